/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-sync-run.h"

G_BEGIN_DECLS

/* Syncs each enabled integration every syncInterval minutes while the app
 * runs. A schedule missed while the app was closed runs once at start, not
 * once per missed slot: the next run is due syncInterval after the last
 * one started, whenever that was. Lives in the main context; the checks
 * and the syncs run in GTask threads. */
#define LIA_TYPE_SCHEDULER (lia_scheduler_get_type ())
G_DECLARE_FINAL_TYPE (LiaScheduler, lia_scheduler, LIA, SCHEDULER, GObject)

LiaScheduler *lia_scheduler_new          (const char   *db_path);
void          lia_scheduler_start        (LiaScheduler *self);
void          lia_scheduler_stop         (LiaScheduler *self);
void          lia_scheduler_check_now    (LiaScheduler *self);
void          lia_scheduler_cancel       (LiaScheduler *self,
                                          gint64        integration_id);
gint64        lia_scheduler_get_next_run (LiaScheduler *self,
                                          gint64        integration_id);
gboolean      lia_scheduler_is_running   (LiaScheduler *self,
                                          gint64        integration_id);

gint64        lia_schedule_next_due      (gint64        last_start_ms,
                                          int           interval_minutes);

G_END_DECLS
