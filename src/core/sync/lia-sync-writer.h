/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-database.h"
#include "lia-record.h"
#include "lia-sync-run.h"

G_BEGIN_DECLS

/* Writes mapped records into the synced tables: one transaction a page,
 * idempotent upserts keyed by integration, data type and external id. */
typedef struct _LiaSyncWriter LiaSyncWriter;

typedef struct {
  gboolean    delete_unseen;  /* the page ends a complete full sync */
  const char *cursor;         /* the incremental cursor to keep, or NULL */
} LiaPageEnd;

LiaSyncWriter *lia_sync_writer_new         (LiaDatabase      *db,
                                            gint64            integration_id,
                                            gint64            now_ms);
void           lia_sync_writer_free        (LiaSyncWriter    *writer);
gboolean       lia_sync_writer_begin_page  (LiaSyncWriter    *writer,
                                            GError          **error);
gboolean       lia_sync_writer_write       (LiaSyncWriter    *writer,
                                            const LiaRecord  *record,
                                            LiaSyncCounts    *counts,
                                            GError          **error);
gboolean       lia_sync_writer_end_page    (LiaSyncWriter    *writer,
                                            LiaDataType       type,
                                            const LiaPageEnd *end,
                                            LiaSyncCounts    *counts,
                                            GError          **error);
void           lia_sync_writer_abort_page  (LiaSyncWriter    *writer);
char          *lia_sync_writer_get_cursor  (LiaDatabase      *db,
                                            gint64            integration_id,
                                            LiaDataType       type,
                                            GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaSyncWriter, lia_sync_writer_free)

G_END_DECLS
