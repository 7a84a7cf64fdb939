/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-database.h"
#include "lia-sync-run.h"

G_BEGIN_DECLS

/* A run keeps this many log entries; error_total counts the rest. */
#define LIA_HISTORY_MAX_ENTRIES 200

typedef struct {
  gint64      integration_id;  /* 0: every integration */
  const char *status;          /* NULL: any */
  gint64      since;           /* Unix ms, 0: no bound */
  gint64      until;           /* Unix ms, 0: no bound */
} LiaHistoryFilter;

gboolean    lia_history_begin_run         (LiaDatabase            *db,
                                           LiaSyncRun             *run,
                                           GError                **error);
gboolean    lia_history_add_entry         (LiaDatabase            *db,
                                           gint64                  run_id,
                                           const LiaSyncLogEntry  *entry,
                                           GError                **error);
gboolean    lia_history_finish_run        (LiaDatabase            *db,
                                           const LiaSyncRun       *run,
                                           GError                **error);
gboolean    lia_history_close_interrupted (LiaDatabase            *db,
                                           gint64                  integration_id,
                                           GError                **error);
GPtrArray  *lia_history_list              (LiaDatabase            *db,
                                           const LiaHistoryFilter *filter,
                                           gint64                  offset,
                                           gint64                  limit,
                                           gboolean                with_details,
                                           GError                **error);
gint64      lia_history_count             (LiaDatabase            *db,
                                           const LiaHistoryFilter *filter,
                                           GError                **error);
LiaSyncRun *lia_history_get               (LiaDatabase            *db,
                                           gint64                  run_id,
                                           GError                **error);
gboolean    lia_history_prune             (LiaDatabase            *db,
                                           gint64                  older_than_ms,
                                           gint64                  keep_runs,
                                           gint64                 *out_deleted,
                                           GError                **error);

G_END_DECLS
