/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-gui-history"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "lia-application.h"
#include "lia-bench-probes.h"
#include "lia-bench-school.h"
#include "lia-bench.h"
#include "lia-history-chart.h"
#include "lia-history-model.h"
#include "lia-history-page.h"
#include "lia-run-item.h"
#include "lia-run-row.h"
#include "lia-window.h"

/* The History page benchmark: the real window at 1280×800 on the school
 * database of bench-gui-startup (1,000,000 sync runs, lia-bench-school.c),
 * its History page shown, while someone goes through the runs:
 *
 *  1. a jump to the last run (the list's list.scroll-to-item action),
 *     until its page is read and shown;
 *  2. 20 jumps back to the top, one frame painted after each (like the
 *     scrollbar's handle dragged up fast), until the top page is read and
 *     shown: each jump is laid out, so each asks for its page;
 *  3. a smooth scroll down through 2,000 rows, 2 rows a frame (set on the
 *     list's vertical adjustment from a tick callback, as kinetic
 *     scrolling does), until the last rows are read and shown.
 *
 * Meanwhile the probes of bench-gui-mainloop (lia-bench-probes.c) record
 * how long the main loop goes without coming back to them: a 1 ms timeout
 * at G_PRIORITY_HIGH and the frame clock's tick, and in a run of its own
 * an idle at G_PRIORITY_DEFAULT_IDLE (it keeps a core busy). Each gap also
 * records the main thread's own CPU time, so that a gap the kernel made
 * (another process on the core) shows apart from one the app made. The
 * model's page-loaded signal gives how long each page took its worker.
 *
 * Each renderer runs in a process of its own (GTK picks it once); in it,
 * each run opens a new window and closes it after. */

#define WAIT_S           60    /* for anything to show or be read */
#define SETTLE_US        (G_USEC_PER_SEC / 2)
#define JUMPS            20
#define SCROLL_ROWS      2000
#define SCROLL_ROWS_STEP 2     /* a frame */

typedef enum {
  PHASE_JUMP_END,
  PHASE_JUMPS_BACK,
  PHASE_SCROLL,
  N_PHASES
} Phase;

static const char * const phase_names[N_PHASES] = {
  "jump to the last run",
  "20 jumps back to the top",
  "scroll through 2,000 rows",
};

/* A page the model read while the probes ran. */
typedef struct {
  gint64 at;          /* monotonic µs, when it arrived */
  gint64 elapsed_us;  /* in its worker */
} PageRead;

typedef struct {
  gboolean  measuring;
  GArray   *reads;      /* of PageRead */
  guint     max_pages;  /* the most the model held */
} PageLog;

/* What a renderer's runs add up to. */
typedef struct {
  GArray      *gaps[LIA_BENCH_N_PROBES];                  /* of LiaBenchGap */
  LiaBenchGap  longest[LIA_BENCH_N_PROBES][N_PHASES];
  GArray      *reads[N_PHASES];                 /* of PageRead */
  guint        max_pages;
  GArray      *scroll_seconds;                  /* of double, a run each */
  guint        scroll_frames;
  guint        runs;
} Totals;

/* The History page of one window, found. */
typedef struct {
  GtkWidget       *window;
  LiaHistoryModel *model;
  GtkListView     *list_view;
  LiaHistoryChart *chart;
} History;

typedef struct {
  GtkAdjustment *adjustment;
  double         step;
  double         target;
  guint          frames;
  gboolean       done;
} Scroll;

typedef struct {
  LiaHistoryModel *model;
  guint            position;
} ItemWait;

/* --- Finding widgets ----------------------------------------------------- */

static void
collect (GtkWidget *widget,
         GType      type,
         gboolean   mapped_only,
         GPtrArray *out)
{
  if (mapped_only && !gtk_widget_get_mapped (widget))
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, mapped_only, out);
}

static GtkWidget *
find_first (GtkWidget *root,
            GType      type,
            gboolean   mapped_only)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, mapped_only, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* The list of runs (the filters' dropdowns hold list views too). */
static GtkListView *
find_run_list (GtkWidget *page)
{
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();

  collect (page, GTK_TYPE_LIST_VIEW, FALSE, lists);
  for (guint i = 0; i < lists->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (lists, i), "navigation-sidebar"))
      return g_ptr_array_index (lists, i);
  return NULL;
}

/* --- Waiting ------------------------------------------------------------- */

static gboolean
is_on_screen (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
is_gone (gpointer data)
{
  g_autoptr(GObject) object = g_weak_ref_get (data);

  return object == NULL;
}

/* The item at the position is read. Asking for it again each time reads
 * its page again should the model have dropped it meanwhile. */
static gboolean
is_item_loaded (gpointer data)
{
  ItemWait *wait = data;
  g_autoptr(LiaRunItem) item = g_list_model_get_item (G_LIST_MODEL (wait->model), wait->position);

  return item != NULL && lia_run_item_get_loaded (item);
}

/* Counted, the chart drawn, and rows showing read runs. */
static gboolean
shows_runs (gpointer data)
{
  History *history = data;
  ItemWait top = { history->model, 0 };

  return !lia_history_model_get_loading (history->model) &&
         g_list_model_get_n_items (G_LIST_MODEL (history->model)) > 0 &&
         lia_history_chart_get_stats (history->chart) != NULL &&
         !lia_history_chart_get_loading (history->chart) &&
         find_first (GTK_WIDGET (history->list_view), LIA_TYPE_RUN_ROW, TRUE) != NULL &&
         is_item_loaded (&top);
}

static void
on_after_paint_cb (GdkFrameClock *frame_clock,
                   guint         *frames)
{
  (*frames)++;
}

typedef struct {
  guint *frames;
  guint  before;
} FrameWait;

static gboolean
has_painted (gpointer data)
{
  FrameWait *wait = data;

  return *wait->frames > wait->before;
}

/* Until the item at @position is read, then half a second for it to
 * show; ends the program after WAIT_S. */
static void
wait_for_item (History *history,
               guint    position)
{
  ItemWait wait = { history->model, position };

  if (!lia_bench_wait_until (is_item_loaded, &wait, WAIT_S))
    lia_bench_die ("the page of run %u of %u was not read within %d s", position + 1,
                   g_list_model_get_n_items (G_LIST_MODEL (history->model)), WAIT_S);
  lia_bench_run_for (SETTLE_US);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_page_loaded_cb (LiaHistoryModel *model,
                   guint            position,
                   guint            n_items,
                   gint64           elapsed_us,
                   PageLog         *log)
{
  PageRead read = { g_get_monotonic_time (), elapsed_us };

  if (!log->measuring)
    return;
  g_array_append_val (log->reads, read);
  log->max_pages = MAX (log->max_pages, lia_history_model_get_n_pages (model));
}

/* A step of the smooth scroll, in the frame's update phase as kinetic
 * scrolling's. */
static gboolean
on_scroll_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *frame_clock,
                   gpointer       user_data)
{
  Scroll *scroll = user_data;
  double end = gtk_adjustment_get_upper (scroll->adjustment) - gtk_adjustment_get_page_size (scroll->adjustment);
  double value = MIN (gtk_adjustment_get_value (scroll->adjustment) + scroll->step, scroll->target);

  gtk_adjustment_set_value (scroll->adjustment, value);
  scroll->frames++;
  if (value >= scroll->target || value >= end)
    {
      scroll->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
is_scrolled (gpointer data)
{
  return ((Scroll *) data)->done;
}

/* --- One run ------------------------------------------------------------- */

static History
open_history (GApplication *app,
              const char   *db_path)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  History history = { 0 };
  AdwViewStack *stack;
  GtkWidget *page;

  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 800);
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  history.window = GTK_WIDGET (lia_window_new (ADW_APPLICATION (app), db_path));
  gtk_window_present (GTK_WINDOW (history.window));
  if (!lia_bench_wait_until (is_on_screen, history.window, WAIT_S))
    lia_bench_die ("the window did not show within %d s", WAIT_S);

  stack = ADW_VIEW_STACK (find_first (history.window, ADW_TYPE_VIEW_STACK, FALSE));
  if (stack == NULL)
    lia_bench_die ("the window has no view stack");
  adw_view_stack_set_visible_child_name (stack, "history");
  page = find_first (history.window, LIA_TYPE_HISTORY_PAGE, FALSE);
  if (page == NULL)
    lia_bench_die ("the window has no History page");
  history.model = lia_history_page_get_model (LIA_HISTORY_PAGE (page));
  history.list_view = find_run_list (page);
  history.chart = LIA_HISTORY_CHART (find_first (page, LIA_TYPE_HISTORY_CHART, FALSE));
  if (history.list_view == NULL || history.chart == NULL)
    lia_bench_die ("the History page has no list of runs or no chart");

  if (!lia_bench_wait_until (shows_runs, &history, WAIT_S))
    lia_bench_die ("the History page showed no runs within %d s (%s)", WAIT_S,
                   lia_history_model_get_error (history.model) != NULL
                     ? lia_history_model_get_error (history.model)->message : "no error from the model");
  return history;
}

static void
close_window (GtkWidget *window)
{
  GWeakRef ref;

  g_weak_ref_init (&ref, window);
  gtk_window_close (GTK_WINDOW (window));
  if (!lia_bench_wait_until (is_gone, &ref, WAIT_S))
    lia_bench_die ("the window did not close within %d s", WAIT_S);
  g_weak_ref_clear (&ref);
}

static void
jump_to (History *history,
         guint    position)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (history->list_view), "list.scroll-to-item", "u", position))
    lia_bench_die ("the list has no list.scroll-to-item action");
}

static Phase
phase_at (const gint64 *phase_ends,
          gint64        at)
{
  for (guint p = 0; p < N_PHASES - 1; p++)
    if (at <= phase_ends[p])
      return p;
  return N_PHASES - 1;
}

static void
print_worst (GArray       *gaps,
             const gint64 *phase_starts,
             const gint64 *phase_ends,
             guint         n)
{
  g_autoptr(GArray) sorted = g_array_copy (gaps);

  g_array_sort (sorted, lia_bench_compare_gaps);
  for (guint i = sorted->len; i > 0 && i > sorted->len - n; i--)
    {
      const LiaBenchGap *gap = &g_array_index (sorted, LiaBenchGap, i - 1);
      Phase phase = phase_at (phase_ends, gap->at);

      g_printerr ("  gap %.1f ms (%.1f ms on the CPU), ending %.3f s into \"%s\"\n", gap->gap / 1000.0,
                  gap->cpu / 1000.0, (gap->at - phase_starts[phase]) / 1e6, phase_names[phase]);
    }
}

/* Opens the window on the History page, goes through the runs while the
 * probes record, closes the window, and adds it all to @totals. */
static void
run_once (GApplication *app,
          const char   *db_path,
          gboolean      idle_probe,
          gboolean      verbose,
          const char   *renderer,
          guint         run,
          Totals       *totals)
{
  History history = open_history (app, db_path);
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (history.window);
  LiaBenchRecorder recorders[LIA_BENCH_N_PROBES] = { { 0 } };
  PageLog log = { FALSE, g_array_new (FALSE, FALSE, sizeof (PageRead)), 0 };
  gint64 phase_starts[N_PHASES], phase_ends[N_PHASES];
  guint n_runs = g_list_model_get_n_items (G_LIST_MODEL (history.model));
  guint frames = 0;
  GtkAdjustment *adjustment;
  Scroll scroll = { 0 };
  double scroll_seconds;
  gulong paint_id, page_id;
  guint source_id, tick_id = 0;

  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    recorders[p].gaps = g_array_new (FALSE, FALSE, sizeof (LiaBenchGap));
  paint_id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint_cb), &frames);
  page_id = g_signal_connect (history.model, "page-loaded", G_CALLBACK (on_page_loaded_cb), &log);
  lia_bench_run_for (G_USEC_PER_SEC);

  log.measuring = TRUE;
  log.max_pages = lia_history_model_get_n_pages (history.model);
  if (idle_probe)
    {
      source_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, lia_bench_probe_cb, &recorders[LIA_BENCH_PROBE_IDLE], NULL);
    }
  else
    {
      source_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, lia_bench_probe_cb, &recorders[LIA_BENCH_PROBE_TIMEOUT], NULL);
      tick_id = gtk_widget_add_tick_callback (history.window, lia_bench_tick_cb, &recorders[LIA_BENCH_PROBE_TICK], NULL);
    }

  /* 1. To the last run. */
  phase_starts[PHASE_JUMP_END] = g_get_monotonic_time ();
  jump_to (&history, n_runs - 1);
  wait_for_item (&history, n_runs - 1);
  phase_ends[PHASE_JUMP_END] = g_get_monotonic_time ();

  /* 2. Back to the top in 20 jumps, a frame painted after each. */
  phase_starts[PHASE_JUMPS_BACK] = phase_ends[PHASE_JUMP_END];
  for (guint step = 1; step <= JUMPS; step++)
    {
      FrameWait frame_wait = { &frames, frames };

      jump_to (&history, (guint) ((guint64) (n_runs - 1) * (JUMPS - step) / JUMPS));
      if (!lia_bench_wait_until (has_painted, &frame_wait, WAIT_S))
        lia_bench_die ("no frame was painted within %d s of a jump", WAIT_S);
      log.max_pages = MAX (log.max_pages, lia_history_model_get_n_pages (history.model));
    }
  wait_for_item (&history, 0);
  phase_ends[PHASE_JUMPS_BACK] = g_get_monotonic_time ();

  /* 3. Down through 2,000 rows, a few rows a frame. The list estimates
   * the height of rows it has not measured from those it has. */
  phase_starts[PHASE_SCROLL] = phase_ends[PHASE_JUMPS_BACK];
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (history.list_view));
  scroll.adjustment = adjustment;
  scroll.step = gtk_adjustment_get_upper (adjustment) / n_runs * SCROLL_ROWS_STEP;
  scroll.target = gtk_adjustment_get_value (adjustment) + scroll.step * (SCROLL_ROWS / SCROLL_ROWS_STEP);
  gtk_widget_add_tick_callback (GTK_WIDGET (history.list_view), on_scroll_tick_cb, &scroll, NULL);
  if (!lia_bench_wait_until (is_scrolled, &scroll, 10 * WAIT_S))
    lia_bench_die ("the scroll through %d rows did not end within %d s", SCROLL_ROWS, 10 * WAIT_S);
  scroll_seconds = (g_get_monotonic_time () - phase_starts[PHASE_SCROLL]) / 1e6;
  wait_for_item (&history, MIN (SCROLL_ROWS, n_runs - 1));
  phase_ends[PHASE_SCROLL] = g_get_monotonic_time ();

  g_source_remove (source_id);
  if (tick_id != 0)
    gtk_widget_remove_tick_callback (history.window, tick_id);
  log.measuring = FALSE;
  log.max_pages = MAX (log.max_pages, lia_history_model_get_n_pages (history.model));
  g_signal_handler_disconnect (frame_clock, paint_id);
  g_signal_handler_disconnect (history.model, page_id);

  /* Into the totals, by phase. */
  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    {
      GArray *gaps = recorders[p].gaps;

      g_array_append_vals (totals->gaps[p], gaps->data, gaps->len);
      for (guint i = 0; i < gaps->len; i++)
        {
          const LiaBenchGap *gap = &g_array_index (gaps, LiaBenchGap, i);
          LiaBenchGap *longest = &totals->longest[p][phase_at (phase_ends, gap->at)];

          if (gap->gap > longest->gap)
            *longest = *gap;
        }
    }
  for (guint i = 0; i < log.reads->len; i++)
    {
      const PageRead *read = &g_array_index (log.reads, PageRead, i);

      g_array_append_val (totals->reads[phase_at (phase_ends, read->at)], *read);
    }
  totals->max_pages = MAX (totals->max_pages, log.max_pages);
  if (!idle_probe)
    {
      totals->runs++;
      g_array_append_val (totals->scroll_seconds, scroll_seconds);
      totals->scroll_frames += scroll.frames;
    }

  if (verbose)
    {
      LiaBenchProbe probe = idle_probe ? LIA_BENCH_PROBE_IDLE : LIA_BENCH_PROBE_TIMEOUT;

      g_printerr ("%s run %u%s: %u runs; %u pages read; the scroll took %u frames of %.0f px in %.1f s;"
                  " the longest gaps of the %s:\n",
                  renderer, run, idle_probe ? " (idle probe)" : "", n_runs, log.reads->len, scroll.frames,
                  scroll.step, scroll_seconds, lia_bench_probe_names[probe]);
      print_worst (recorders[probe].gaps, phase_starts, phase_ends, 5);
    }

  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    g_array_unref (recorders[p].gaps);
  g_array_unref (log.reads);
  close_window (history.window);
}

/* --- Report -------------------------------------------------------------- */

static void
print_probe_row (LiaBenchProbe  probe,
                 GArray        *gaps)
{
  g_autoptr(GArray) sorted = g_array_copy (gaps);
  const LiaBenchGap *longest;
  guint over_50 = 0;

  if (sorted->len == 0)
    return;
  g_array_sort (sorted, lia_bench_compare_gaps);
  for (guint i = 0; i < sorted->len; i++)
    if (g_array_index (sorted, LiaBenchGap, i).gap > 50000)
      over_50++;
  longest = &g_array_index (sorted, LiaBenchGap, sorted->len - 1);
  g_print ("| %s | %u | %.2f | %.2f | %.1f | %.1f | %u |\n", lia_bench_probe_names[probe], sorted->len,
           lia_bench_percentile_ms (sorted, 0.5), lia_bench_percentile_ms (sorted, 0.99),
           longest->gap / 1000.0, longest->cpu / 1000.0, over_50);
}

static int
compare_reads (gconstpointer a,
               gconstpointer b)
{
  const PageRead *x = a, *y = b;

  return x->elapsed_us < y->elapsed_us ? -1 : x->elapsed_us > y->elapsed_us;
}

static void
print_report (const char *renderer,
              Totals     *totals)
{
  g_autoptr(GArray) all_reads = g_array_new (FALSE, FALSE, sizeof (PageRead));
  GArray *seconds = totals->scroll_seconds;
  double total_seconds = 0;

  g_print ("#### Renderer: %s\n\n", renderer);
  g_print ("Runs measured: %u, then one more with the idle probe alone.\n\n", totals->runs);
  g_print ("| Probe | Gaps | Median ms | p99 ms | Longest ms | Main thread CPU in the longest, ms | > 50 ms |\n");
  g_print ("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    print_probe_row (p, totals->gaps[p]);

  g_print ("\nBy phase, the longest gap (ms, main thread CPU in it) and the pages the model read"
           " (in its worker threads; the idle run's too):\n\n");
  g_print ("| Phase | 1 ms timeout | Frame clock tick | Idle | Pages read | Slowest page ms |\n");
  g_print ("| --- | ---: | ---: | ---: | ---: | ---: |\n");
  for (guint phase = 0; phase < N_PHASES; phase++)
    {
      GArray *reads = totals->reads[phase];
      gint64 slowest = 0;

      g_print ("| %s", phase_names[phase]);
      for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
        g_print (" | %.1f (%.1f)", totals->longest[p][phase].gap / 1000.0, totals->longest[p][phase].cpu / 1000.0);
      for (guint i = 0; i < reads->len; i++)
        slowest = MAX (slowest, g_array_index (reads, PageRead, i).elapsed_us);
      g_print (" | %u | %.1f |\n", reads->len, slowest / 1000.0);
      g_array_append_vals (all_reads, reads->data, reads->len);
    }

  g_array_sort (all_reads, compare_reads);
  for (guint i = 0; i < seconds->len; i++)
    total_seconds += g_array_index (seconds, double, i);
  g_print ("\nPages read: %u, median %.1f ms, slowest %.1f ms; the model held %u pages at most.\n",
           all_reads->len,
           all_reads->len > 0 ? g_array_index (all_reads, PageRead, all_reads->len / 2).elapsed_us / 1000.0 : 0.0,
           all_reads->len > 0 ? g_array_index (all_reads, PageRead, all_reads->len - 1).elapsed_us / 1000.0 : 0.0,
           totals->max_pages);
  g_print ("The scroll through %d rows took %.1f s (median of the %u runs), %.0f frames a second.\n\n",
           SCROLL_ROWS, lia_bench_median ((double *) (gpointer) seconds->data, seconds->len), seconds->len,
           totals->scroll_frames / total_seconds);
}

static int
run_child (const char *renderer,
           const char *db_path,
           guint       runs,
           gboolean    verbose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GApplication) app = NULL;
  Totals totals = { 0 };

  app = G_APPLICATION (lia_application_new ());
  g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (app, NULL, &error))
    lia_bench_die ("%s", error->message);

  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    totals.gaps[p] = g_array_new (FALSE, FALSE, sizeof (LiaBenchGap));
  for (guint phase = 0; phase < N_PHASES; phase++)
    totals.reads[phase] = g_array_new (FALSE, FALSE, sizeof (PageRead));
  totals.scroll_seconds = g_array_new (FALSE, FALSE, sizeof (double));

  /* The measured runs, then one more with the idle probe alone. */
  for (guint r = 0; r <= runs; r++)
    run_once (app, db_path, r == runs, verbose, renderer, r + 1, &totals);

  print_report (renderer, &totals);

  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    g_array_unref (totals.gaps[p]);
  for (guint phase = 0; phase < N_PHASES; phase++)
    g_array_unref (totals.reads[phase]);
  g_array_unref (totals.scroll_seconds);
  return 0;
}

/* --- Main ---------------------------------------------------------------- */

/* bench-gui-startup's database, beside this program in the build
 * directory. */
static char *
default_db_path (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : g_strdup (".");

  return g_build_filename (dir, LIA_BENCH_SCHOOL_CACHE_NAME, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *command_line = g_strjoinv (" ", argv);
  g_autofree char *db_path = NULL;
  g_autofree char *schemas = NULL;
  g_autofree char *renderers = NULL;
  g_autofree char *machine = NULL;
  g_auto(GStrv) names = NULL;
  double load_before[3] = { 0 }, load_after[3] = { 0 };
  gboolean child = FALSE;
  gboolean verbose = FALSE;
  int runs = 3;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      "The database, made if missing (default: bench-gui-startup's, beside this program)", "PATH" },
    { "schemas", 0, 0, G_OPTION_ARG_FILENAME, &schemas, "Where the compiled GSettings schema is", "DIR" },
    { "renderers", 0, 0, G_OPTION_ARG_STRING, &renderers, "GSK renderers, comma-separated (default gl,cairo)", "LIST" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs measured per renderer (default 3), then one with the idle probe", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Each run and its longest gaps, on standard error", NULL },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child, NULL, NULL },
    { NULL }
  };

  lia_bench_parse_options ("— the main loop while going through a million runs on the History page",
                           entries, &argc, &argv);
  if (runs < 1)
    lia_bench_die_usage ("--runs must be at least 1");
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    lia_bench_die_usage ("no display: run it under xvfb-run -a -s '-screen 0 1280x800x24'");
  if (db_path == NULL)
    db_path = default_db_path ();

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (schemas != NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE)
                                                       : NULL;

    /* GSettings would abort the child without it. */
    if (schema == NULL)
      lia_bench_die_usage ("no GSettings schema %s: give --schemas BUILDDIR/data", APPLICATION_ID);
  }

  if (child)
    return run_child (g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default", db_path, runs, verbose);

  machine = lia_bench_describe_cpus ();
  g_print ("Command: %s\n", command_line);
  g_print ("Machine: %s; GTK %u.%u.%u, libadwaita %u.%u.%u\n", machine,
           gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
           adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version ());
  lia_bench_prepare_school_database (db_path, LIA_BENCH_SCHOOL_INTEGRATIONS, LIA_BENCH_SCHOOL_RUNS);
  g_print ("The window at 1280x800 on the History page; per run: %s, %s (a frame each), %s (%d rows a frame).\n\n",
           phase_names[PHASE_JUMP_END], phase_names[PHASE_JUMPS_BACK], phase_names[PHASE_SCROLL], SCROLL_ROWS_STEP);

  getloadavg (load_before, 3);
  names = g_strsplit (renderers != NULL ? renderers : "gl,cairo", ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) envp = g_get_environ ();
      g_autoptr(GPtrArray) child_argv = g_ptr_array_new_with_free_func (g_free);
      int status;

      g_ptr_array_add (child_argv, g_strdup (argv[0]));
      g_ptr_array_add (child_argv, g_strdup ("--child"));
      g_ptr_array_add (child_argv, g_strdup_printf ("--db=%s", db_path));
      g_ptr_array_add (child_argv, g_strdup_printf ("--runs=%d", runs));
      if (verbose)
        g_ptr_array_add (child_argv, g_strdup ("--verbose"));
      g_ptr_array_add (child_argv, NULL);

      if (g_str_equal (names[i], "default"))
        envp = g_environ_unsetenv (envp, "GSK_RENDERER");
      else
        envp = g_environ_setenv (envp, "GSK_RENDERER", names[i], TRUE);

      /* The child writes its table to our standard output. */
      fflush (stdout);
      if (!g_spawn_sync (NULL, (char **) child_argv->pdata, envp,
                         G_SPAWN_CHILD_INHERITS_STDIN,
                         NULL, NULL, NULL, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        lia_bench_die ("the %s run failed: %s", names[i], error->message);
    }
  getloadavg (load_after, 3);
  g_print ("Load average %.2f before, %.2f after.\n", load_before[0], load_after[0]);
  return 0;
}
