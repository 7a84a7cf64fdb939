/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-run-item.h"

G_BEGIN_DECLS

/* What LiaHistoryModel's worker threads read, apart from the model: plain
 * values copied from it, and the queries run with a connection of the
 * thread's own (lia-history-model-query.c). */

typedef struct {
  gint64 started_at;
  gint64 id;
} LiaHistoryKey;

typedef struct {
  gint64  integration_id;  /* 0: any */
  char   *status;          /* NULL: any */
  gint64  since;           /* Unix ms, 0: no bound */
  gint64  until;           /* Unix ms, 0: no bound */
} LiaHistoryModelFilter;

/* What a worker needs, copied: it never sees the model. */
typedef struct {
  char                  *db_path;
  LiaHistoryModelFilter  filter;
  gint64                 snapshot_id;
  guint                  generation;
  gboolean               hard;         /* count jobs: what shows is wrong already */

  /* Page jobs: the page, and where to count its first row from. */
  guint                  page_index;
  guint                  start;
  guint                  count;
  gboolean               has_key;      /* from a known run, or else the top or bottom */
  LiaHistoryKey          key;
  gboolean               backward;     /* counting towards the newest runs */
  gint64                 offset;       /* rows to skip past the origin; -1: the key's own */

  /* Find jobs: the run whose position to count. */
  gint64                 run_id;
} LiaHistoryJob;

typedef struct {
  GPtrArray     *items;        /* of LiaRunItem, loaded */
  LiaHistoryKey  first;
  LiaHistoryKey  last;
  gint64         snapshot_id;
  gint64         n_running;
  gint64         count;
  gint64         elapsed_us;
} LiaHistoryResult;

void lia_history_filter_clear  (LiaHistoryModelFilter       *filter);
void lia_history_filter_copy   (LiaHistoryModelFilter       *dest,
                                const LiaHistoryModelFilter *src);
void lia_history_job_free      (LiaHistoryJob               *job);
void lia_history_result_free   (LiaHistoryResult            *result);

/* GTaskThreadFuncs: task data is a LiaHistoryJob; each returns a
 * LiaHistoryResult (count and page) or an int (find). */
void lia_history_count_thread  (GTask                       *task,
                                gpointer                     source_object,
                                gpointer                     task_data,
                                GCancellable                *cancellable);
void lia_history_page_thread   (GTask                       *task,
                                gpointer                     source_object,
                                gpointer                     task_data,
                                GCancellable                *cancellable);
void lia_history_find_thread   (GTask                       *task,
                                gpointer                     source_object,
                                gpointer                     task_data,
                                GCancellable                *cancellable);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaHistoryResult, lia_history_result_free)

G_END_DECLS
