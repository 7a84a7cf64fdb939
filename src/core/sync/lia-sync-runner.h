/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-connector.h"
#include "lia-sync-run.h"

G_BEGIN_DECLS

typedef struct {
  gint64      integration_id;
  const char *trigger;     /* "manual", "scheduled" or "cli" */
  guint       types;       /* bit mask of data types; 0: every one configured */
  gboolean    dry_run;     /* compute the counts, write nothing */
  gint64      from;        /* Unix seconds, 0: no lower bound */
  gint64      to;          /* Unix seconds, 0: no upper bound */
  guint       backoff_ms;  /* 0: the default wait between retries */
} LiaSyncOptions;

typedef struct {
  gint64      integration_id;
  LiaDataType type;        /* the data type being synced */
  gint64      records;     /* records processed so far, all types */
  guint       pages;       /* pages so far, all types */
} LiaSyncProgress;

typedef void (*LiaSyncProgressFunc) (const LiaSyncProgress *progress,
                                     gpointer               user_data);

LiaSyncRun *lia_sync_run_blocking   (const char            *db_path,
                                     const LiaSyncOptions  *options,
                                     LiaSyncProgressFunc    progress,
                                     gpointer               progress_data,
                                     GCancellable          *cancellable,
                                     GError               **error);
void        lia_sync_async          (const char            *db_path,
                                     const LiaSyncOptions  *options,
                                     LiaSyncProgressFunc    progress,
                                     gpointer               progress_data,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data);
LiaSyncRun *lia_sync_finish         (GAsyncResult          *result,
                                     GError               **error);

gboolean    lia_connection_test_blocking (const char         *db_path,
                                          gint64              integration_id,
                                          LiaConnectionTest  *result,
                                          GCancellable       *cancellable,
                                          GError            **error);
void        lia_connection_test_async    (const char         *db_path,
                                          gint64              integration_id,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean    lia_connection_test_finish   (GAsyncResult       *result,
                                          LiaConnectionTest  *out_result,
                                          GError            **error);

G_END_DECLS
