/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-database.h"

G_BEGIN_DECLS

#define LIA_HISTORY_CHART_DAYS 30

typedef struct {
  gint64 records;  /* records synced: created, updated, unchanged or deleted */
  gint64 runs;
  gint64 failed;   /* runs with status "error" */
} LiaChartDay;

typedef struct {
  gint64  integration_id;
  char   *name;
  gint64  runs;              /* finished runs over the days */
  gint64  succeeded;
  double  mean_duration_ms;  /* of finished runs; 0 without any */
} LiaChartIntegration;

/* The History overview over the last LIA_HISTORY_CHART_DAYS local days,
 * the last of them today. */
typedef struct {
  GDateTime   *first_day;    /* local midnight */
  LiaChartDay  days[LIA_HISTORY_CHART_DAYS];
  GPtrArray   *integrations; /* of LiaChartIntegration, by name */
} LiaHistoryStats;

LiaHistoryStats *lia_history_stats_load (LiaDatabase      *db,
                                         GDateTime        *now,
                                         GError          **error);
void             lia_history_stats_free (LiaHistoryStats  *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaHistoryStats, lia_history_stats_free)

#define LIA_TYPE_HISTORY_CHART (lia_history_chart_get_type ())

G_DECLARE_FINAL_TYPE (LiaHistoryChart, lia_history_chart, LIA, HISTORY_CHART, AdwBin)

void                   lia_history_chart_set_database_path (LiaHistoryChart *self,
                                                            const char      *path);
void                   lia_history_chart_reload            (LiaHistoryChart *self);
gboolean               lia_history_chart_get_loading       (LiaHistoryChart *self);
const LiaHistoryStats *lia_history_chart_get_stats         (LiaHistoryChart *self);

G_END_DECLS
