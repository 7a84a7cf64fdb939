/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define LIA_TYPE_RUN_ITEM (lia_run_item_get_type ())

G_DECLARE_FINAL_TYPE (LiaRunItem, lia_run_item, LIA, RUN_ITEM, GObject)

/* One sync run's summary as a list shows it. Until its page of the
 * history has been read, an item is a placeholder: not loaded, id 0. */
typedef struct {
  gint64  id;
  gint64  integration_id;
  char   *integration_name;
  char   *trigger;
  char   *status;
  gint64  started_at;    /* Unix ms */
  gint64  duration_ms;   /* -1 while running */
  gint64  processed;
  gint64  created;
  gint64  updated;
  gint64  deleted;
  gint64  errors;        /* every error the run saw */
} LiaRunSummary;

void         lia_run_summary_clear             (LiaRunSummary *summary);

LiaRunItem  *lia_run_item_new                  (LiaRunSummary *summary);
LiaRunItem  *lia_run_item_new_placeholder      (void);
void         lia_run_item_fill                 (LiaRunItem    *self,
                                                LiaRunItem    *from);
gboolean     lia_run_item_get_loaded           (LiaRunItem    *self);
gint64       lia_run_item_get_id               (LiaRunItem    *self);
gint64       lia_run_item_get_integration_id   (LiaRunItem    *self);
const char  *lia_run_item_get_integration_name (LiaRunItem    *self);
const char  *lia_run_item_get_trigger          (LiaRunItem    *self);
const char  *lia_run_item_get_status           (LiaRunItem    *self);
gint64       lia_run_item_get_started_at       (LiaRunItem    *self);
gint64       lia_run_item_get_duration_ms      (LiaRunItem    *self);
gint64       lia_run_item_get_processed        (LiaRunItem    *self);
gint64       lia_run_item_get_created          (LiaRunItem    *self);
gint64       lia_run_item_get_updated          (LiaRunItem    *self);
gint64       lia_run_item_get_deleted          (LiaRunItem    *self);
gint64       lia_run_item_get_errors           (LiaRunItem    *self);

G_END_DECLS
