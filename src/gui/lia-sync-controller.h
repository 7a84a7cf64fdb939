/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-scheduler.h"
#include "lia-sync-run.h"

G_BEGIN_DECLS

#define LIA_TYPE_SYNC_CONTROLLER (lia_sync_controller_get_type ())

G_DECLARE_FINAL_TYPE (LiaSyncController, lia_sync_controller, LIA, SYNC_CONTROLLER, GObject)

LiaSyncController *lia_sync_controller_new               (const char           *database_path);
const char        *lia_sync_controller_get_database_path (LiaSyncController    *self);
LiaScheduler      *lia_sync_controller_get_scheduler     (LiaSyncController    *self);
void               lia_sync_controller_start_scheduler   (LiaSyncController    *self);
gboolean           lia_sync_controller_is_scheduling     (LiaSyncController    *self);
void               lia_sync_controller_shutdown          (LiaSyncController    *self);

gboolean           lia_sync_controller_sync              (LiaSyncController    *self,
                                                          gint64                integration_id);
void               lia_sync_controller_cancel            (LiaSyncController    *self,
                                                          gint64                integration_id);
gboolean           lia_sync_controller_is_running        (LiaSyncController    *self,
                                                          gint64                integration_id);
gboolean           lia_sync_controller_get_progress      (LiaSyncController    *self,
                                                          gint64                integration_id,
                                                          gint64               *out_records,
                                                          gint64               *out_expected);
gint64             lia_sync_controller_get_next_run      (LiaSyncController    *self,
                                                          gint64                integration_id);

void               lia_sync_controller_sync_all_async    (LiaSyncController    *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean           lia_sync_controller_sync_all_finish   (LiaSyncController    *self,
                                                          GAsyncResult         *result,
                                                          guint                *out_started,
                                                          GError              **error);

G_END_DECLS
