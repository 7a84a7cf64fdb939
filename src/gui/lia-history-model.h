/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-run-item.h"

G_BEGIN_DECLS

#define LIA_TYPE_HISTORY_MODEL (lia_history_model_get_type ())

G_DECLARE_FINAL_TYPE (LiaHistoryModel, lia_history_model, LIA, HISTORY_MODEL, GObject)

/* Rows per page read from the database at once. */
#define LIA_HISTORY_MODEL_PAGE_SIZE 200

LiaHistoryModel *lia_history_model_new               (void);
const char      *lia_history_model_get_database_path (LiaHistoryModel *self);
void             lia_history_model_set_database_path (LiaHistoryModel *self,
                                                      const char      *path);
void             lia_history_model_set_filter        (LiaHistoryModel *self,
                                                      gint64           integration_id,
                                                      const char      *status,
                                                      gint64           since_ms,
                                                      gint64           until_ms);
void             lia_history_model_reload            (LiaHistoryModel *self);
gboolean         lia_history_model_get_loading       (LiaHistoryModel *self);
const GError    *lia_history_model_get_error         (LiaHistoryModel *self);
guint            lia_history_model_get_n_pages       (LiaHistoryModel *self);
void             lia_history_model_find_position_async  (LiaHistoryModel     *self,
                                                         gint64               run_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gint64           lia_history_model_find_position_finish (LiaHistoryModel     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
