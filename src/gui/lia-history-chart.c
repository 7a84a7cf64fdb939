/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-history-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "lia-history-chart.h"
#include "lia-history-text.h"

/* The History overview: per day over the last 30 days, the records synced
 * (bars in the accent colour) and the failed runs (a strip of error-red
 * bars below, on a scale of their own), then each integration's success
 * rate and mean duration. Everything is computed by SQL aggregates in a
 * worker thread. */
struct _LiaHistoryChart
{
  AdwBin               parent_instance;

  char                *database_path;
  GCancellable        *cancellable;
  LiaHistoryStats     *stats;
  GPtrArray           *rows;

  GtkLabel            *summary_label;
  GtkDrawingArea      *chart_area;
  AdwPreferencesGroup *integrations_group;
};

G_DEFINE_FINAL_TYPE (LiaHistoryChart, lia_history_chart, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- Statistics ---------------------------------------------------------- */

static void
chart_integration_free (LiaChartIntegration *integration)
{
  g_free (integration->name);
  g_free (integration);
}

void
lia_history_stats_free (LiaHistoryStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->first_day, g_date_time_unref);
  g_clear_pointer (&stats->integrations, g_ptr_array_unref);
  g_free (stats);
}

/* The day's index in @stats for a "YYYY-MM-DD" that SQLite's 'localtime'
 * gave, or -1. */
static int
day_index (GHashTable *days,
           const char *date)
{
  gpointer value;

  if (date == NULL || !g_hash_table_lookup_extended (days, date, NULL, &value))
    return -1;
  return GPOINTER_TO_INT (value);
}

/* Reads the overview for the LIA_HISTORY_CHART_DAYS local days that end
 * with @now's. Days are grouped by SQLite's 'localtime', which follows the
 * same TZ as GLib's local zone. */
LiaHistoryStats *
lia_history_stats_load (LiaDatabase  *db,
                        GDateTime    *now,
                        GError      **error)
{
  g_autoptr(LiaHistoryStats) stats = g_new0 (LiaHistoryStats, 1);
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) end = NULL;
  gint64 since_ms;
  gint64 until_ms;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  today = g_date_time_new (g_date_time_get_timezone (now),
                           g_date_time_get_year (now), g_date_time_get_month (now),
                           g_date_time_get_day_of_month (now), 0, 0, 0);
  stats->first_day = g_date_time_add_days (today, 1 - LIA_HISTORY_CHART_DAYS);
  end = g_date_time_add_days (today, 1);
  since_ms = g_date_time_to_unix (stats->first_day) * 1000;
  until_ms = g_date_time_to_unix (end) * 1000;
  stats->integrations = g_ptr_array_new_with_free_func ((GDestroyNotify) chart_integration_free);

  for (int i = 0; i < LIA_HISTORY_CHART_DAYS; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (stats->first_day, i);

      g_hash_table_insert (days, g_date_time_format (day, "%Y-%m-%d"), GINT_TO_POINTER (i));
    }

  /* Runs and failures per day, from the start index alone. */
  stmt = lia_database_prepare (db,
                               "SELECT date(started_at / 1000, 'unixepoch', 'localtime') AS day,"
                               " count(*), sum(status = 'error')"
                               " FROM sync_runs WHERE started_at >= ? AND started_at < ?"
                               " GROUP BY day", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_ms);
  sqlite3_bind_int64 (stmt, 2, until_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int i = day_index (days, (const char *) sqlite3_column_text (stmt, 0));

      if (i < 0)
        continue;
      stats->days[i].runs = sqlite3_column_int64 (stmt, 1);
      stats->days[i].failed = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  /* Records that reached the database, as lia_sync_run_landed() counts. */
  stmt = lia_database_prepare (db,
                               "SELECT date(r.started_at / 1000, 'unixepoch', 'localtime') AS day,"
                               " sum(c.created + c.updated + c.unchanged + c.deleted)"
                               " FROM sync_runs r JOIN sync_run_counts c ON c.run_id = r.id"
                               " WHERE r.started_at >= ? AND r.started_at < ?"
                               " GROUP BY day", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_ms);
  sqlite3_bind_int64 (stmt, 2, until_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int i = day_index (days, (const char *) sqlite3_column_text (stmt, 0));

      if (i >= 0)
        stats->days[i].records = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  /* Every integration, with or without finished runs over the days. */
  stmt = lia_database_prepare (db,
                               "SELECT i.id, i.name, count(r.id), ifnull(sum(r.status = 'success'), 0),"
                               " ifnull(avg(r.duration_ms), 0)"
                               " FROM integrations i LEFT JOIN sync_runs r ON r.integration_id = i.id"
                               "  AND r.started_at >= ? AND r.started_at < ? AND r.status != 'running'"
                               " GROUP BY i.id ORDER BY i.name COLLATE NOCASE, i.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_ms);
  sqlite3_bind_int64 (stmt, 2, until_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LiaChartIntegration *integration = g_new0 (LiaChartIntegration, 1);

      integration->integration_id = sqlite3_column_int64 (stmt, 0);
      integration->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      integration->runs = sqlite3_column_int64 (stmt, 2);
      integration->succeeded = sqlite3_column_int64 (stmt, 3);
      integration->mean_duration_ms = sqlite3_column_double (stmt, 4);
      g_ptr_array_add (stats->integrations, integration);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  return g_steal_pointer (&stats);

fail:
  lia_database_set_error (db, error, _("Cannot read the sync history"));
  return NULL;
}

typedef struct {
  char      *db_path;
  GDateTime *now;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->db_path);
  g_date_time_unref (data->now);
  g_free (data);
}

static void
load_stats_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  LiaHistoryStats *stats = NULL;
  GError *error = NULL;

  db = lia_database_open (data->db_path, &error);
  if (db != NULL)
    stats = lia_history_stats_load (db, data->now, &error);
  if (stats == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, stats, (GDestroyNotify) lia_history_stats_free);
}

static void
load_stats_async (const char          *db_path,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->db_path = g_strdup (db_path);
  data->now = g_date_time_new_now_local ();
  g_task_set_source_tag (task, load_stats_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_stats_thread);
}

static LiaHistoryStats *
load_stats_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == load_stats_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Helpers ------------------------------------------------------------- */

/* A short axis label: "950", "12k", "1.2M". */
static char *
compact_number (gint64 value)
{
  if (value < 1000)
    return g_strdup_printf ("%" G_GINT64_FORMAT, value);
  if (value < 1000000)
    /* Translators: an axis label in thousands: "12k". */
    return g_strdup_printf (_("%gk"), round (value / 100.0) / 10.0);
  /* Translators: an axis label in millions: "1.2M". */
  return g_strdup_printf (_("%gM"), round (value / 100000.0) / 10.0);
}

/* The smallest 1, 2 or 5 × 10ⁿ at or above @value, for an axis. */
static gint64
nice_ceiling (gint64 value)
{
  gint64 step = 1;

  if (value <= 1)
    return 1;
  while (TRUE)
    {
      if (step >= value)
        return step;
      if (2 * step >= value)
        return 2 * step;
      if (5 * step >= value)
        return 5 * step;
      step *= 10;
    }
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              const char *fallback,
              GdkRGBA    *out_color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, out_color))
    gdk_rgba_parse (out_color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static char *
format_day (GDateTime *first_day,
            int        index)
{
  g_autoptr(GDateTime) day = g_date_time_add_days (first_day, index);

  /* Translators: a day under the chart, in the format of
   * g_date_time_format(): "12 Mar". */
  /* xgettext:no-c-format */
  return g_date_time_format (day, _("%-d %b"));
}

static void
show_text (cairo_t     *cr,
           GtkWidget   *widget,
           const char  *text,
           double       x,
           double       y,
           double       xalign,
           double       max_x)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *font = pango_font_description_new ();
  int width;
  int height;

  /* Captions: a little smaller than the text around. */
  pango_font_description_set_size (font, 8 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_get_pixel_size (layout, &width, &height);

  x -= width * xalign;
  x = CLAMP (x, 0, MAX (0, max_x - width));
  cairo_move_to (cr, x, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_chart_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  LiaHistoryChart *self = LIA_HISTORY_CHART (user_data);
  GtkWidget *widget = GTK_WIDGET (area);
  const LiaHistoryStats *stats = self->stats;
  g_autofree char *max_label = NULL;
  GdkRGBA fg;
  GdkRGBA accent;
  GdkRGBA failure;
  gint64 max_records = 0;
  gint64 max_failed = 0;
  const double label_h = 14;
  const double left = 40;
  const double fail_h = 24;
  const double gap = 10;
  double bars_top = label_h / 2;
  double bars_bottom = height - label_h - 6 - fail_h - gap;
  double fail_top = bars_bottom + gap;
  double fail_bottom = fail_top + fail_h;
  double slot;
  double bar_w;

  if (stats == NULL || bars_bottom <= bars_top)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  lookup_color (widget, "accent_bg_color", "#3584e4", &accent);
  lookup_color (widget, "error_color", "#e01b24", &failure);

  for (int i = 0; i < LIA_HISTORY_CHART_DAYS; i++)
    {
      max_records = MAX (max_records, stats->days[i].records);
      max_failed = MAX (max_failed, stats->days[i].failed);
    }
  max_records = nice_ceiling (max_records);
  max_failed = MAX (max_failed, 1);

  slot = (width - left) / LIA_HISTORY_CHART_DAYS;
  bar_w = MAX (1, floor (slot * 0.66));

  /* Grid: the baseline, the middle and the top, faint. */
  cairo_set_line_width (cr, 1);
  for (int line = 0; line <= 2; line++)
    {
      double y = round (bars_bottom - (bars_bottom - bars_top) * line / 2.0) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * (line == 0 ? 0.3 : 0.12));
      cairo_move_to (cr, left, y);
      cairo_line_to (cr, width, y);
      cairo_stroke (cr);
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.12);
  cairo_move_to (cr, left, round (fail_bottom) + 0.5);
  cairo_line_to (cr, width, round (fail_bottom) + 0.5);
  cairo_stroke (cr);

  /* Axis labels, dimmed like .dim-label. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.55);
  max_label = compact_number (max_records);
  show_text (cr, widget, max_label, left - 6, bars_top, 1, width);
  show_text (cr, widget, "0", left - 6, bars_bottom, 1, width);
  for (int i = 0; i < LIA_HISTORY_CHART_DAYS; i += 7)
    {
      int index = LIA_HISTORY_CHART_DAYS - 1 - i;
      g_autofree char *day = format_day (stats->first_day, index);

      show_text (cr, widget, day, left + slot * (index + 0.5), height - label_h / 2, 0.5, width);
    }

  /* Failed runs: their own scale, its top labelled in red. */
  {
    g_autofree char *failed_label = compact_number (max_failed);

    cairo_set_source_rgba (cr, failure.red, failure.green, failure.blue, failure.alpha);
    show_text (cr, widget, failed_label, left - 6, fail_top + 4, 1, width);
  }

  for (int i = 0; i < LIA_HISTORY_CHART_DAYS; i++)
    {
      const LiaChartDay *day = &stats->days[i];
      double x = round (left + slot * i + (slot - bar_w) / 2);

      if (day->records > 0)
        {
          double h = MAX (2, (bars_bottom - bars_top) * day->records / (double) max_records);

          cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, accent.alpha);
          cairo_rectangle (cr, x, round (bars_bottom - h), bar_w, round (h));
          cairo_fill (cr);
        }
      if (day->failed > 0)
        {
          double h = MAX (3, fail_h * day->failed / (double) max_failed);

          cairo_set_source_rgba (cr, failure.red, failure.green, failure.blue, failure.alpha);
          cairo_rectangle (cr, x, round (fail_bottom - h), bar_w, round (h));
          cairo_fill (cr);
        }
    }
}

/* The day under the pointer, in words. */
static gboolean
on_query_tooltip_cb (GtkWidget  *widget,
                     int         x,
                     int         y,
                     gboolean    keyboard_mode,
                     GtkTooltip *tooltip,
                     gpointer    user_data)
{
  LiaHistoryChart *self = LIA_HISTORY_CHART (user_data);
  const double left = 40;
  g_autofree char *day = NULL;
  g_autofree char *records = NULL;
  g_autofree char *text = NULL;
  double slot;
  int index;

  if (self->stats == NULL || x < left)
    return FALSE;
  slot = (gtk_widget_get_width (widget) - left) / LIA_HISTORY_CHART_DAYS;
  index = (int) ((x - left) / slot);
  if (index < 0 || index >= LIA_HISTORY_CHART_DAYS)
    return FALSE;

  day = format_day (self->stats->first_day, index);
  records = lia_history_text_number (self->stats->days[index].records);
  /* Translators: a chart's tooltip: a day, records synced that day and
   * failed runs. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s: %s records synced, %d failed run",
                                       "%s: %s records synced, %d failed runs",
                                       self->stats->days[index].failed),
                          day, records, (int) self->stats->days[index].failed);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static char *
describe_totals (const LiaHistoryStats *stats)
{
  g_autofree char *records_number = NULL;
  g_autofree char *records_text = NULL;
  g_autofree char *failed_text = NULL;
  gint64 records = 0;
  gint64 failed = 0;

  for (int i = 0; i < LIA_HISTORY_CHART_DAYS; i++)
    {
      records += stats->days[i].records;
      failed += stats->days[i].failed;
    }

  records_number = lia_history_text_number (records);
  /* Translators: %s is a number with thousands separators. */
  records_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record synced", "%s records synced", records),
                                  records_number);
  failed_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d failed run", "%d failed runs", failed),
                                 (int) failed);
  /* Translators: records synced and failed runs over 30 days, on one line. */
  return g_strdup_printf (_("%s · %s"), records_text, failed_text);
}

static void
show_integrations (LiaHistoryChart       *self,
                   const LiaHistoryStats *stats)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->integrations_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; i < stats->integrations->len; i++)
    {
      const LiaChartIntegration *integration = g_ptr_array_index (stats->integrations, i);
      g_autofree char *subtitle = NULL;
      g_autofree char *rate = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), integration->name);

      if (integration->runs > 0)
        {
          g_autofree char *duration = lia_history_text_duration ((gint64) integration->mean_duration_ms);
          g_autofree char *runs = lia_history_text_number (integration->runs);
          g_autofree char *runs_text = NULL;
          int percent = (int) floor (100.0 * integration->succeeded / integration->runs);

          runs_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s run", "%s runs", integration->runs), runs);
          /* Translators: an integration's mean run duration ("4.2 s") and
           * its number of runs ("1,200 runs"). */
          subtitle = g_strdup_printf (_("Mean %s · %s"), duration, runs_text);
          /* Translators: the share of an integration's runs that
           * succeeded, in percent. */
          rate = g_strdup_printf (_("%d%% succeeded"), percent);
          label = gtk_label_new (rate);
          gtk_widget_add_css_class (label, percent >= 95 ? "success" : percent >= 80 ? "warning" : "error");
        }
      else
        {
          subtitle = g_strdup (_("No runs in these 30 days"));
          label = gtk_label_new ("—");
          gtk_widget_add_css_class (label, "dim-label");
        }

      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (self->integrations_group, row);
      g_ptr_array_add (self->rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->integrations_group), stats->integrations->len > 0);
}

static void
show_stats (LiaHistoryChart *self)
{
  g_autofree char *summary = describe_totals (self->stats);
  g_autofree char *description = NULL;
  gint64 busiest = 0;
  int busiest_day = -1;

  for (int i = 0; i < LIA_HISTORY_CHART_DAYS; i++)
    if (self->stats->days[i].records > busiest)
      {
        busiest = self->stats->days[i].records;
        busiest_day = i;
      }

  gtk_label_set_label (self->summary_label, summary);

  /* What the bars show, for those who cannot see them. */
  if (busiest_day >= 0)
    {
      g_autofree char *day = format_day (self->stats->first_day, busiest_day);
      g_autofree char *number = lia_history_text_number (busiest);

      /* Translators: the chart's description for screen readers: the
       * totals, then the day with the most records and their number. */
      description = g_strdup_printf (_("Over the last 30 days: %s. The busiest day was %s, with %s records."),
                                     summary, day, number);
    }
  else
    description = g_strdup_printf (_("Over the last 30 days: %s."), summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart_area),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);

  show_integrations (self, self->stats);
  gtk_widget_queue_draw (GTK_WIDGET (self->chart_area));
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_stats_loaded_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  LiaHistoryChart *self;
  g_autoptr(GError) error = NULL;
  LiaHistoryStats *stats;

  stats = load_stats_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_HISTORY_CHART (user_data);
  g_clear_object (&self->cancellable);

  if (stats == NULL)
    {
      g_debug ("Cannot load the history overview: %s", error->message);
      gtk_label_set_label (self->summary_label, error->message);
    }
  else
    {
      g_clear_pointer (&self->stats, lia_history_stats_free);
      self->stats = stats;
      show_stats (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* --- GObject and GtkWidget ---------------------------------------------- */

static void
lia_history_chart_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  LiaHistoryChart *self = LIA_HISTORY_CHART (widget);

  GTK_WIDGET_CLASS (lia_history_chart_parent_class)->css_changed (widget, change);

  /* The colours come from the style: dark mode redraws. */
  gtk_widget_queue_draw (GTK_WIDGET (self->chart_area));
}

static void
lia_history_chart_dispose (GObject *object)
{
  LiaHistoryChart *self = LIA_HISTORY_CHART (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIA_TYPE_HISTORY_CHART);

  G_OBJECT_CLASS (lia_history_chart_parent_class)->dispose (object);
}

static void
lia_history_chart_finalize (GObject *object)
{
  LiaHistoryChart *self = LIA_HISTORY_CHART (object);

  g_clear_pointer (&self->stats, lia_history_stats_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->database_path);

  G_OBJECT_CLASS (lia_history_chart_parent_class)->finalize (object);
}

static void
lia_history_chart_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LiaHistoryChart *self = LIA_HISTORY_CHART (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, lia_history_chart_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_history_chart_class_init (LiaHistoryChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_history_chart_dispose;
  object_class->finalize = lia_history_chart_finalize;
  object_class->get_property = lia_history_chart_get_property;

  widget_class->css_changed = lia_history_chart_css_changed;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-history-chart.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryChart, summary_label);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryChart, chart_area);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryChart, integrations_group);
}

static void
lia_history_chart_init (LiaHistoryChart *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
  gtk_drawing_area_set_draw_func (self->chart_area, draw_chart_cb, self, NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->chart_area), TRUE);
  g_signal_connect_object (self->chart_area, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), self, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->integrations_group), FALSE);
}

/* --- Public API ---------------------------------------------------------- */

void
lia_history_chart_set_database_path (LiaHistoryChart *self,
                                     const char      *path)
{
  g_return_if_fail (LIA_IS_HISTORY_CHART (self));

  if (g_strcmp0 (self->database_path, path) == 0)
    return;
  g_free (self->database_path);
  self->database_path = g_strdup (path);
  lia_history_chart_reload (self);
}

/* Computes the overview again; what shows stays until it arrives. */
void
lia_history_chart_reload (LiaHistoryChart *self)
{
  g_return_if_fail (LIA_IS_HISTORY_CHART (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->database_path == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  load_stats_async (self->database_path, self->cancellable, on_stats_loaded_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

gboolean
lia_history_chart_get_loading (LiaHistoryChart *self)
{
  g_return_val_if_fail (LIA_IS_HISTORY_CHART (self), FALSE);

  return self->cancellable != NULL;
}

/* What the chart shows, or NULL before it was first read. */
const LiaHistoryStats *
lia_history_chart_get_stats (LiaHistoryChart *self)
{
  g_return_val_if_fail (LIA_IS_HISTORY_CHART (self), NULL);

  return self->stats;
}
