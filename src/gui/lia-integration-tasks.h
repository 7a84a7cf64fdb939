/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-integration-store.h"

G_BEGIN_DECLS

/* The integration store's blocking calls, each in a GTask worker thread
 * with a database connection of its own, for widgets to call from the
 * main loop. */

void            lia_integration_tasks_get_async          (const char           *database_path,
                                                          gint64                id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
LiaIntegration *lia_integration_tasks_get_finish         (GAsyncResult         *result,
                                                          GError              **error);

void            lia_integration_tasks_set_enabled_async  (const char           *database_path,
                                                          gint64                id,
                                                          gboolean              enabled,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean        lia_integration_tasks_set_enabled_finish (GAsyncResult         *result,
                                                          GError              **error);

void            lia_integration_tasks_count_runs_async   (const char           *database_path,
                                                          gint64                id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gint64          lia_integration_tasks_count_runs_finish  (GAsyncResult         *result,
                                                          GError              **error);

void            lia_integration_tasks_last_records_async  (const char           *database_path,
                                                           gint64                id,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gint64          lia_integration_tasks_last_records_finish (GAsyncResult         *result,
                                                           GError              **error);

void            lia_integration_tasks_remove_async       (const char           *database_path,
                                                          gint64                id,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean        lia_integration_tasks_remove_finish      (GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
