/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-history"

#include "config.h"

#include <string.h>
#include <time.h>

#include "lia-database.h"
#include "lia-gui-test.h"
#include "lia-history-chart.h"
#include "lia-history-model.h"
#include "lia-history-page.h"
#include "lia-history-text.h"
#include "lia-integration-store.h"
#include "lia-run-details.h"
#include "lia-run-row.h"
#include "lia-test-util.h"

/* The History page on a database of many runs (100,000 by default;
 * LIA_TEST_HISTORY_RUNS=1000000 for the big one), made once by SQL in one
 * transaction. Run i (1 … N) started 50 s after run i − 1 and ends now,
 * so the run at position p, newest first, is run N − p. */

static GApplication *app;

typedef struct {
  char   *db_path;
  gint64  ids[3];     /* Moodle, College ERP, Attendance Drop */
  gint64  n_runs;
  gint64  now_ms;
} History;

static History history;

/* --- The database ---------------------------------------------------------- */

static gint64
query_int (LiaDatabase *db,
           const char  *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (lia_database_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static double
query_double (LiaDatabase *db,
              const char  *sql)
{
  sqlite3_stmt *stmt = NULL;
  double value;

  g_assert_cmpint (sqlite3_prepare_v2 (lia_database_get_handle (db), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static LiaDatabase *
open_db (void)
{
  g_autoptr(GError) error = NULL;
  LiaDatabase *db = lia_database_open (history.db_path, &error);

  g_assert_no_error (error);
  return db;
}

static void
make_history (void)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autofree char *runs = NULL;
  g_autofree char *details = NULL;
  const char *env = g_getenv ("LIA_TEST_HISTORY_RUNS");
  gint64 n;
  gint64 begin;

  history.db_path = lia_test_db_path ();
  history.n_runs = n = env != NULL ? g_ascii_strtoll (env, NULL, 10) : 100000;
  history.now_ms = g_get_real_time () / 1000;
  g_assert_cmpint (n, >=, 1000);

  db = open_db ();
  history.ids[0] = lia_gui_test_add_integration (db, "{\"name\": \"Moodle\", \"kind\": \"moodle\","
                                        " \"baseUrl\": \"https://moodle.example.edu\"}");
  history.ids[1] = lia_gui_test_add_integration (db, "{\"name\": \"College ERP & Fees\", \"kind\": \"rest\","
                                        " \"baseUrl\": \"https://erp.example.edu/api\","
                                        " \"endpoints\": {\"students\": \"/students\"}}");
  history.ids[2] = lia_gui_test_add_integration (db, "{\"name\": \"Attendance Drop\", \"kind\": \"file\","
                                        " \"folder\": \"/srv/attendance\","
                                        " \"endpoints\": {\"attendance\": \"attendance-*.csv\"}}");

  begin = g_get_monotonic_time ();
  runs = g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1$" G_GINT64_FORMAT ")"
    " INSERT INTO sync_runs (id, integration_id, trigger, status, started_at, finished_at, duration_ms,"
    "  requests, bytes, error_total)"
    " SELECT i, CASE i %% 3 WHEN 0 THEN %2$" G_GINT64_FORMAT " WHEN 1 THEN %3$" G_GINT64_FORMAT
    "  ELSE %4$" G_GINT64_FORMAT " END,"
    "  CASE i %% 3 WHEN 0 THEN 'manual' WHEN 1 THEN 'scheduled' ELSE 'cli' END,"
    "  CASE WHEN i = %1$" G_GINT64_FORMAT " THEN 'running' WHEN i %% 97 = 0 THEN 'error'"
    "   WHEN i %% 31 = 0 THEN 'partial' WHEN i %% 211 = 0 THEN 'cancelled' ELSE 'success' END,"
    "  %5$" G_GINT64_FORMAT " - (%1$" G_GINT64_FORMAT " - i) * 50000,"
    "  CASE WHEN i = %1$" G_GINT64_FORMAT " THEN NULL"
    "   ELSE %5$" G_GINT64_FORMAT " - (%1$" G_GINT64_FORMAT " - i) * 50000 + 1000 + (i %% 50) * 100 END,"
    "  CASE WHEN i = %1$" G_GINT64_FORMAT " THEN NULL ELSE 1000 + (i %% 50) * 100 END,"
    "  i %% 20, (i %% 20) * 1024,"
    "  CASE WHEN i %% 97 = 0 THEN 1 WHEN i %% 31 = 0 THEN 3 ELSE 0 END"
    " FROM n;"
    "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 2 FROM n WHERE i + 2 <= %1$" G_GINT64_FORMAT ")"
    " INSERT INTO sync_run_counts (run_id, data_type, processed, created, updated, unchanged, deleted, errors)"
    " SELECT i, 'students', 100 + i %% 50, i %% 5, i %% 7, 100 + i %% 50 - i %% 5 - i %% 7, 0,"
    "  CASE WHEN i %% 31 = 0 THEN 3 ELSE 0 END"
    " FROM n;"
    "COMMIT;",
    n, history.ids[0], history.ids[1], history.ids[2], history.now_ms);
  lia_gui_test_exec_sql (db, runs);

  /* The second newest run, in full: two data types, a message, kept
   * errors and a warning, and many more errors than kept. */
  details = g_strdup_printf (
    "UPDATE sync_runs SET status = 'partial', error_total = 1237, requests = 42, bytes = 1536000,"
    " message = 'Some records were rejected by the database' WHERE id = %1$" G_GINT64_FORMAT ";"
    "INSERT INTO sync_run_counts (run_id, data_type, processed, created, updated, unchanged, deleted, errors)"
    " VALUES (%1$" G_GINT64_FORMAT ", 'attendance', 500, 20, 30, 440, 5, 5),"
    " (%1$" G_GINT64_FORMAT ", 'timetable', 12, 0, 2, 10, 0, 0);"
    "INSERT INTO sync_log (run_id, at, level, code, data_type, external_id, message) VALUES"
    " (%1$" G_GINT64_FORMAT ", %2$" G_GINT64_FORMAT ", 'error', 'MAPPING_ERROR', 'attendance', 'att-981',"
    "  'The status “maybe” is not present, absent, late or excused'),"
    " (%1$" G_GINT64_FORMAT ", %2$" G_GINT64_FORMAT ", 'error', 'VALIDATION_ERROR', 'attendance', 'att-982',"
    "  'The session <b>S-14</b> does not exist'),"
    " (%1$" G_GINT64_FORMAT ", %2$" G_GINT64_FORMAT ", 'warning', 'RATE_LIMITED', NULL, NULL,"
    "  'The server asked to slow down; waited 2 s');",
    n - 1, history.now_ms);
  lia_gui_test_exec_sql (db, details);

  g_test_message ("Inserted %" G_GINT64_FORMAT " runs in %" G_GINT64_FORMAT " ms",
                  n, (g_get_monotonic_time () - begin) / 1000);
}

/* --- Waiting --------------------------------------------------------------- */

typedef struct {
  gint64      max_elapsed_us;
  guint       n_pages;
  GHashTable *positions;  /* of pages read, when wanted */
} PageLog;

static void
on_page_loaded_cb (LiaHistoryModel *model,
                   guint            position,
                   guint            n_items,
                   gint64           elapsed_us,
                   PageLog         *log)
{
  log->max_elapsed_us = MAX (log->max_elapsed_us, elapsed_us);
  log->n_pages++;
  if (log->positions != NULL)
    g_hash_table_add (log->positions, GUINT_TO_POINTER (position + 1));
}

static gboolean
is_counted (gpointer data)
{
  return !lia_history_model_get_loading (data);
}

static gboolean
is_loaded (gpointer data)
{
  return lia_run_item_get_loaded (data);
}

/* The item at @position once its page is read. */
static LiaRunItem *
get_loaded_item (LiaHistoryModel *model,
                 guint            position)
{
  LiaRunItem *item = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (item);
  g_assert_true (lia_gui_test_wait_until (is_loaded, item));
  g_assert_cmpuint (lia_history_model_get_n_pages (model), <=, 16);
  return item;
}

static void
wait_counted (LiaHistoryModel *model)
{
  /* A count may be on its way already: give it a turn first. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (lia_gui_test_wait_until (is_counted, model));
  g_assert_null (lia_history_model_get_error (model));
}

/* --- Cases: the model ---------------------------------------------------- */

static void
assert_newest_and_oldest (LiaHistoryModel *model,
                          LiaDatabase     *db,
                          const char      *where)
{
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM sync_runs WHERE %s", where);
  g_autofree char *newest_sql = g_strdup_printf ("SELECT id FROM sync_runs WHERE %s"
                                                 " ORDER BY started_at DESC, id DESC LIMIT 1", where);
  g_autofree char *oldest_sql = g_strdup_printf ("SELECT id FROM sync_runs WHERE %s"
                                                 " ORDER BY started_at, id LIMIT 1", where);
  g_autoptr(LiaRunItem) newest = NULL;
  g_autoptr(LiaRunItem) oldest = NULL;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (model));

  g_assert_cmpint (n_items, ==, query_int (db, count_sql));
  g_assert_cmpuint (n_items, >, 0);
  newest = get_loaded_item (model, 0);
  oldest = get_loaded_item (model, n_items - 1);
  g_assert_cmpint (lia_run_item_get_id (newest), ==, query_int (db, newest_sql));
  g_assert_cmpint (lia_run_item_get_id (oldest), ==, query_int (db, oldest_sql));
}

static void
test_model_paging (void)
{
  g_autoptr(LiaHistoryModel) model = lia_history_model_new ();
  g_autoptr(LiaDatabase) db = open_db ();
  gint64 n = history.n_runs;
  PageLog log = { 0 };
  const guint positions[] = {
    0, 199, 200, 401, n / 2, n / 2 - 1, n / 2 + 333, n - 1, n - 200, n - 201, 12345, n / 3, 7,
  };

  g_signal_connect (model, "page-loaded", G_CALLBACK (on_page_loaded_cb), &log);
  lia_history_model_set_database_path (model, history.db_path);
  wait_counted (model);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == LIA_TYPE_RUN_ITEM);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));

  /* Jumps anywhere, from the top, the bottom and pages read before. */
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    {
      g_autoptr(LiaRunItem) item = get_loaded_item (model, positions[i]);

      g_assert_cmpint (lia_run_item_get_id (item), ==, n - positions[i]);
    }

  /* The newest run is still running; the next one is the detailed one. */
  {
    g_autoptr(LiaRunItem) running = get_loaded_item (model, 0);
    g_autoptr(LiaRunItem) detailed = get_loaded_item (model, 1);

    g_assert_cmpstr (lia_run_item_get_status (running), ==, "running");
    g_assert_cmpint (lia_run_item_get_duration_ms (running), ==, -1);
    g_assert_cmpstr (lia_run_item_get_status (detailed), ==, "partial");
    g_assert_cmpint (lia_run_item_get_processed (detailed), ==, 512);
    g_assert_cmpint (lia_run_item_get_created (detailed), ==, 20);
    g_assert_cmpint (lia_run_item_get_deleted (detailed), ==, 5);
    g_assert_cmpint (lia_run_item_get_errors (detailed), ==, 1237);
    g_assert_cmpstr (lia_run_item_get_integration_name (detailed), ==,
                     (n - 1) % 3 == 0 ? "Moodle" : (n - 1) % 3 == 1 ? "College ERP & Fees" : "Attendance Drop");
  }

  /* Scrolling through everything keeps a few pages only. */
  for (gint64 position = 0; position < n; position += n / 40)
    {
      g_autoptr(LiaRunItem) item = get_loaded_item (model, position);

      g_assert_cmpint (lia_run_item_get_id (item), ==, n - position);
    }
  g_assert_cmpuint (lia_history_model_get_n_pages (model), <=, 16);

  g_test_message ("%u pages of %" G_GINT64_FORMAT " runs, the slowest in %" G_GINT64_FORMAT " µs",
                  log.n_pages, n, log.max_elapsed_us);
}

static void
test_model_filters (void)
{
  g_autoptr(LiaHistoryModel) model = lia_history_model_new ();
  g_autoptr(LiaDatabase) db = open_db ();
  g_autofree char *by_integration = g_strdup_printf ("integration_id = %" G_GINT64_FORMAT, history.ids[1]);
  g_autofree char *both = g_strdup_printf ("integration_id = %" G_GINT64_FORMAT " AND status = 'error'",
                                           history.ids[0]);
  gint64 since = history.now_ms - 10 * 86400 * 1000LL;
  gint64 until = history.now_ms - 5 * 86400 * 1000LL;
  g_autofree char *by_date = g_strdup_printf ("started_at >= %" G_GINT64_FORMAT " AND started_at <= %" G_GINT64_FORMAT,
                                              since, until);
  g_autofree char *all_four = g_strdup_printf ("%s AND %s", both, by_date);

  lia_history_model_set_database_path (model, history.db_path);
  wait_counted (model);

  lia_history_model_set_filter (model, history.ids[1], NULL, 0, 0);
  wait_counted (model);
  assert_newest_and_oldest (model, db, by_integration);

  lia_history_model_set_filter (model, 0, "error", 0, 0);
  wait_counted (model);
  assert_newest_and_oldest (model, db, "status = 'error'");

  lia_history_model_set_filter (model, history.ids[0], "error", 0, 0);
  wait_counted (model);
  assert_newest_and_oldest (model, db, both);

  lia_history_model_set_filter (model, 0, NULL, since, until);
  wait_counted (model);
  assert_newest_and_oldest (model, db, by_date);

  lia_history_model_set_filter (model, history.ids[0], "error", since, until);
  wait_counted (model);
  assert_newest_and_oldest (model, db, all_four);

  /* A filter with nothing in it. */
  lia_history_model_set_filter (model, 0, "cancelled", history.now_ms + 1000, 0);
  wait_counted (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  lia_history_model_set_filter (model, 0, NULL, 0, 0);
  wait_counted (model);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, history.n_runs);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *n_changes)
{
  (*n_changes)++;
}

/* F5 and showing the page again read the history again, but keep what
 * shows when nothing changed. */
static void
test_model_reload (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaHistoryModel) model = lia_history_model_new ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaRunItem) first = NULL;
  g_autoptr(LiaRunItem) newest = NULL;
  guint n_changes = 0;
  gint64 id;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  id = lia_gui_test_add_integration (db, "{\"name\": \"Moodle\", \"kind\": \"moodle\", \"baseUrl\": \"https://m.example.edu\"}");
  for (int i = 1; i <= 5; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO sync_runs (integration_id, trigger, status, started_at,"
                                              " finished_at, duration_ms) VALUES (%" G_GINT64_FORMAT ","
                                              " 'manual', 'success', %d000, %d500, 500)", id, i, i);
      lia_gui_test_exec_sql (db, sql);
    }

  lia_history_model_set_database_path (model, db_path);
  wait_counted (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  first = get_loaded_item (model, 0);
  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes_cb), &n_changes);

  lia_history_model_reload (model);
  g_assert_false (lia_history_model_get_loading (model));
  lia_gui_test_settle ();
  g_assert_cmpuint (n_changes, ==, 0);
  g_assert_cmpuint (lia_history_model_get_n_pages (model), ==, 1);

  lia_gui_test_exec_sql (db, "INSERT INTO sync_runs (integration_id, trigger, status, started_at)"
                " VALUES (1, 'scheduled', 'running', 9000)");
  lia_history_model_reload (model);
  lia_gui_test_settle ();
  g_assert_cmpuint (n_changes, >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 6);
  newest = get_loaded_item (model, 0);
  g_assert_cmpstr (lia_run_item_get_trigger (newest), ==, "scheduled");
  /* The item shown before stays valid. */
  g_assert_cmpint (lia_run_item_get_started_at (first), ==, 5000);
}

/* --- Cases: texts -------------------------------------------------------- */

static void
test_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 12, 0, 0);
  gint64 now_ms = g_date_time_to_unix (now) * 1000;
  struct {
    gint64      ms;
    const char *expected;
  } durations[] = {
    { 0, "0.0 s" }, { 420, "0.4 s" }, { 4200, "4.2 s" }, { 59949, "59.9 s" },
    { 60000, "1 min 0 s" }, { 125000, "2 min 5 s" }, { 3780000, "1 h 3 min" },
  };
  struct {
    gint64      ago_ms;
    const char *expected;
  } agos[] = {
    { 0, "just now" }, { 2 * 60 * 1000, "2 min ago" }, { 5 * 3600 * 1000, "5 h ago" },
    { 3 * 86400 * 1000LL, "3 days ago" }, { 1 * 86400 * 1000LL, "1 day ago" },
    { 30 * 86400 * 1000LL, "23 Oct 2026" },
  };
  const char *icon = NULL;
  const char *style = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      g_autofree char *text = lia_history_text_duration (durations[i].ms);

      g_assert_cmpstr (text, ==, durations[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (agos); i++)
    {
      g_autofree char *text = lia_history_text_ago (now_ms - agos[i].ago_ms, now);

      g_assert_cmpstr (text, ==, agos[i].expected);
    }

  {
    g_autofree char *with_errors = lia_history_text_counts (1200, 3);
    g_autofree char *without = lia_history_text_counts (1, 0);

    /* C.UTF-8 has no thousands separator. */
    g_assert_cmpstr (with_errors, ==, "1200 processed · 3 errors");
    g_assert_cmpstr (without, ==, "1 processed");
  }

  g_assert_cmpstr (lia_history_text_status ("partial", &icon, &style), ==, "Partly succeeded");
  g_assert_cmpstr (icon, ==, "dialog-warning-symbolic");
  g_assert_cmpstr (style, ==, "warning");
  g_assert_cmpstr (lia_history_text_status ("error", &icon, &style), ==, "Failed");
  g_assert_cmpstr (style, ==, "error");
  g_assert_cmpstr (lia_history_text_trigger ("cli"), ==, "Command line");
  g_assert_cmpstr (lia_history_text_data_type (LIA_DATA_TYPE_ATTENDANCE), ==, "Attendance");
}

/* --- Cases: the page ----------------------------------------------------- */

typedef struct {
  gint64 last_tick;
  gint64 last_cpu;
  gint64 longest_gap;      /* wall-clock µs */
  gint64 longest_cpu_gap;  /* µs the main thread ran in that time */
} Ticks;

static gint64
thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

/* Every 5 ms while the main loop runs freely: a long gap is a frozen UI.
 * The gaps are reported, not asserted: a shared machine's load decides
 * them as much as the page does, and timing belongs to the benchmarks.
 * The wall-clock gap counts other processes taking the processor too; the
 * main thread's own CPU time between two ticks is what it did without
 * coming back to the loop. */
static gboolean
on_tick_cb (gpointer data)
{
  Ticks *ticks = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_us ();

  if (ticks->last_tick != 0)
    {
      ticks->longest_gap = MAX (ticks->longest_gap, now - ticks->last_tick);
      ticks->longest_cpu_gap = MAX (ticks->longest_cpu_gap, cpu - ticks->last_cpu);
    }
  ticks->last_tick = now;
  ticks->last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

/* Rows of runs show, read from the database. */
static gboolean
shows_run_rows (gpointer data)
{
  GtkWidget *window = data;
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (window, LIA_TYPE_RUN_ROW, TRUE);

  return rows->len > 0 &&
         (lia_gui_test_shows_label (window, "Moodle") ||
          lia_gui_test_shows_label (window, "Attendance Drop"));
}

/* The list of runs (the dropdowns' popovers hold list views too). */
static GtkListView *
find_run_list (GtkWidget *root)
{
  g_autoptr(GPtrArray) lists = lia_gui_test_find_all (root, GTK_TYPE_LIST_VIEW, FALSE);

  for (guint i = 0; i < lists->len; i++)
    {
      GtkListView *list = g_ptr_array_index (lists, i);

      if (gtk_widget_has_css_class (GTK_WIDGET (list), "navigation-sidebar"))
        return list;
    }
  g_assert_not_reached ();
}

static LiaHistoryPage *
show_history (GtkWidget *window)
{
  AdwViewStack *stack = ADW_VIEW_STACK (lia_gui_test_find (window, ADW_TYPE_VIEW_STACK));

  adw_view_stack_set_visible_child_name (stack, "history");
  return LIA_HISTORY_PAGE (lia_gui_test_find (window, LIA_TYPE_HISTORY_PAGE));
}

static gboolean
is_details_shown (gpointer data)
{
  GtkWidget *window = data;
  LiaRunDetails *details = LIA_RUN_DETAILS (lia_gui_test_find (window, LIA_TYPE_RUN_DETAILS));

  return gtk_widget_is_drawable (GTK_WIDGET (details)) &&
         !lia_run_details_get_loading (details) &&
         lia_gui_test_shows_label (window, "Partly succeeded") &&
         lia_gui_test_find_row (window, "Attendance") != NULL;
}

static gboolean
is_chart_loaded (gpointer data)
{
  return lia_history_chart_get_stats (data) != NULL && !lia_history_chart_get_loading (data);
}

typedef struct {
  PageLog *log;
  guint    position;
} PageWait;

static gboolean
is_page_loaded (gpointer data)
{
  PageWait *wait = data;

  return g_hash_table_contains (wait->log->positions, GUINT_TO_POINTER (wait->position + 1));
}

typedef struct {
  GtkSingleSelection *selection;
  gint64              run_id;
} SelectedWait;

static gboolean
is_run_selected (gpointer data)
{
  SelectedWait *wait = data;
  LiaRunItem *item = gtk_single_selection_get_selected_item (wait->selection);

  return item != NULL && lia_run_item_get_loaded (item) && lia_run_item_get_id (item) == wait->run_id;
}

static void
assert_error_row (GtkWidget  *window,
                  const char *message,
                  const char *subtitle)
{
  GtkWidget *row = lia_gui_test_find_row (window, message);

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_is_drawable (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, subtitle);
}

static void
assert_details (GtkWidget *window)
{
  GtkWidget *attendance = lia_gui_test_find_row (window, "Attendance");
  GtkWidget *timetable = lia_gui_test_find_row (window, "Timetable");

  g_assert_true (lia_gui_test_shows_label (window, "Partly succeeded"));
  g_assert_true (lia_gui_test_shows_label (window, "Some records were rejected by the database"));
  g_assert_true (lia_gui_test_shows_label (window, "1.5\u00a0MB"));
  g_assert_true (lia_gui_test_shows_label (window, "42"));
  g_assert_nonnull (attendance);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (attendance)), ==,
                   "20 created · 30 updated · 440 unchanged · 5 deleted · 5 errors");
  g_assert_true (lia_gui_test_shows_label (attendance, "500 processed"));
  g_assert_nonnull (timetable);
  g_assert_null (lia_gui_test_find_row (window, "Students"));

  assert_error_row (window, "The status “maybe” is not present, absent, late or excused",
                    "MAPPING_ERROR · Attendance · Record att-981");
  /* Shown as it came, never as markup. */
  assert_error_row (window, "The session <b>S-14</b> does not exist",
                    "VALIDATION_ERROR · Attendance · Record att-982");
  assert_error_row (window, "The server asked to slow down; waited 2 s", "RATE_LIMITED");
  g_assert_nonnull (lia_gui_test_find_row (window, "… and 1235 more errors"));
}

static void
assert_chart_matches_sql (LiaHistoryChart *chart)
{
  const LiaHistoryStats *stats = lia_history_chart_get_stats (chart);
  g_autoptr(LiaDatabase) db = open_db ();
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GDateTime) last = NULL;
  gint64 since_ms;
  gint64 until_ms;
  gint64 total_records = 0;

  g_assert_nonnull (stats);
  g_assert_cmpint (g_date_time_get_hour (stats->first_day), ==, 0);
  first = g_date_time_ref (stats->first_day);
  last = g_date_time_add_days (first, LIA_HISTORY_CHART_DAYS);
  since_ms = g_date_time_to_unix (first) * 1000;
  until_ms = g_date_time_to_unix (last) * 1000;

  for (int i = 0; i < LIA_HISTORY_CHART_DAYS; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (first, i);
      g_autoptr(GDateTime) next = g_date_time_add_days (first, i + 1);
      gint64 from = g_date_time_to_unix (day) * 1000;
      gint64 to = g_date_time_to_unix (next) * 1000;
      g_autofree char *runs = g_strdup_printf ("SELECT count(*) FROM sync_runs WHERE started_at >= %"
                                               G_GINT64_FORMAT " AND started_at < %" G_GINT64_FORMAT, from, to);
      g_autofree char *failed = g_strdup_printf ("SELECT count(*) FROM sync_runs WHERE status = 'error'"
                                                 " AND started_at >= %" G_GINT64_FORMAT
                                                 " AND started_at < %" G_GINT64_FORMAT, from, to);
      g_autofree char *records = g_strdup_printf ("SELECT total(c.created + c.updated + c.unchanged + c.deleted)"
                                                  " FROM sync_runs r, sync_run_counts c WHERE c.run_id = r.id"
                                                  " AND r.started_at >= %" G_GINT64_FORMAT
                                                  " AND r.started_at < %" G_GINT64_FORMAT, from, to);

      g_assert_cmpint (stats->days[i].runs, ==, query_int (db, runs));
      g_assert_cmpint (stats->days[i].failed, ==, query_int (db, failed));
      g_assert_cmpint (stats->days[i].records, ==, (gint64) query_double (db, records));
      total_records += stats->days[i].records;
    }
  /* The newest 30 days hold runs: 50 s apart, ending now. */
  g_assert_cmpint (stats->days[LIA_HISTORY_CHART_DAYS - 1].runs, >, 0);
  g_assert_cmpint (total_records, >, 0);

  g_assert_cmpuint (stats->integrations->len, ==, 3);
  for (guint i = 0; i < stats->integrations->len; i++)
    {
      const LiaChartIntegration *integration = g_ptr_array_index (stats->integrations, i);
      g_autofree char *where = g_strdup_printf ("FROM sync_runs WHERE integration_id = %" G_GINT64_FORMAT
                                                " AND status != 'running' AND started_at >= %" G_GINT64_FORMAT
                                                " AND started_at < %" G_GINT64_FORMAT,
                                                integration->integration_id, since_ms, until_ms);
      g_autofree char *runs = g_strconcat ("SELECT count(*) ", where, NULL);
      g_autofree char *succeeded = g_strconcat ("SELECT count(*) ", where, " AND status = 'success'", NULL);
      g_autofree char *mean = g_strconcat ("SELECT avg(duration_ms) ", where, NULL);

      g_assert_cmpint (integration->runs, ==, query_int (db, runs));
      g_assert_cmpint (integration->succeeded, ==, query_int (db, succeeded));
      g_assert_cmpfloat_with_epsilon (integration->mean_duration_ms, query_double (db, mean), 0.001);
    }
  /* By name. */
  g_assert_cmpstr (((LiaChartIntegration *) g_ptr_array_index (stats->integrations, 0))->name, ==,
                   "Attendance Drop");
}

static void
test_page_wide (void)
{
  GtkWidget *window = lia_gui_test_open_window (app, history.db_path, 1280, 800);
  LiaHistoryPage *page = show_history (window);
  LiaHistoryModel *model = lia_history_page_get_model (page);
  GtkListView *list_view = find_run_list (GTK_WIDGET (page));
  LiaHistoryChart *chart = LIA_HISTORY_CHART (lia_gui_test_find (GTK_WIDGET (page), LIA_TYPE_HISTORY_CHART));
  g_autoptr(GPtrArray) dropdowns = lia_gui_test_find_all (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, FALSE);
  g_autoptr(LiaDatabase) db = open_db ();
  g_autoptr(GHashTable) positions = g_hash_table_new (g_direct_hash, g_direct_equal);
  PageLog log = { 0, 0, positions };
  PageWait page_wait = { &log, 0 };
  Ticks ticks = { 0 };
  guint tick_id;
  guint last_page = (history.n_runs - 1) / LIA_HISTORY_MODEL_PAGE_SIZE * LIA_HISTORY_MODEL_PAGE_SIZE;

  g_assert_true (lia_gui_test_wait_until (shows_run_rows, window));
  wait_counted (model);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, history.n_runs);
  g_assert_true (lia_gui_test_wait_until (is_chart_loaded, chart));
  assert_chart_matches_sql (chart);
  lia_gui_test_save_screenshot (window, "history-overview-1280x800");

  /* To the end and back while measuring how long the main loop stalls.
   * First a short scroll, so that the renderer has made its glyphs and
   * shaders: software GL under Xvfb takes 100 ms and more for the first
   * frames, whatever the page does. */
  g_signal_connect (model, "page-loaded", G_CALLBACK (on_page_loaded_cb), &log);
  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", 1000);
  page_wait.position = 1000;
  g_assert_true (lia_gui_test_wait_until (is_page_loaded, &page_wait));
  lia_gui_test_settle ();
  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", 0);
  lia_gui_test_settle ();
  tick_id = g_timeout_add (5, on_tick_cb, &ticks);
  lia_gui_test_settle ();
  ticks.longest_gap = 0;
  ticks.longest_cpu_gap = 0;

  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", (guint) history.n_runs - 1);
  page_wait.position = last_page;
  g_assert_true (lia_gui_test_wait_until (is_page_loaded, &page_wait));
  lia_gui_test_settle ();
  g_test_message ("Scrolled to the end of %" G_GINT64_FORMAT " runs: page read in %" G_GINT64_FORMAT " µs,"
                  " longest main loop stall %" G_GINT64_FORMAT " µs (%" G_GINT64_FORMAT " µs on the processor)",
                  history.n_runs, log.max_elapsed_us, ticks.longest_gap, ticks.longest_cpu_gap);

  g_hash_table_remove_all (positions);
  for (int step = 1; step <= 20; step++)
    {
      guint position = (guint) (history.n_runs - 1) * (20 - step) / 20;

      gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", position);
      for (int i = 0; i < 5; i++)
        g_main_context_iteration (NULL, TRUE);
    }
  page_wait.position = 0;
  g_assert_true (lia_gui_test_wait_until (is_page_loaded, &page_wait));
  lia_gui_test_settle ();
  g_source_remove (tick_id);

  g_test_message ("Jumped through %u pages: slowest page %" G_GINT64_FORMAT " µs,"
                  " longest main loop stall %" G_GINT64_FORMAT " µs (%" G_GINT64_FORMAT " µs on the processor)",
                  log.n_pages, log.max_elapsed_us, ticks.longest_gap, ticks.longest_cpu_gap);
  g_assert_cmpuint (lia_history_model_get_n_pages (model), <=, 16);

  /* Filters: the dropdowns, then the dates' popover. */
  g_assert_cmpuint (dropdowns->len, ==, 2);
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), 2);  /* by name: College ERP & Fees */
  wait_counted (model);
  {
    g_autofree char *where = g_strdup_printf ("integration_id = %" G_GINT64_FORMAT, history.ids[1]);

    assert_newest_and_oldest (model, db, where);
  }
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 1), 3);  /* Failed */
  wait_counted (model);
  {
    g_autofree char *where = g_strdup_printf ("integration_id = %" G_GINT64_FORMAT " AND status = 'error'",
                                              history.ids[1]);

    assert_newest_and_oldest (model, db, where);
  }
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), 0);
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 1), 0);
  wait_counted (model);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, history.n_runs);

  {
    GtkMenuButton *date_button = GTK_MENU_BUTTON (lia_gui_test_find (GTK_WIDGET (page), GTK_TYPE_MENU_BUTTON));
    GtkPopover *popover = gtk_menu_button_get_popover (date_button);
    g_autoptr(GPtrArray) entries = lia_gui_test_find_all (GTK_WIDGET (popover), GTK_TYPE_ENTRY, FALSE);
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) from_day = g_date_time_add_days (now, -10);
    g_autoptr(GDateTime) to_day = g_date_time_add_days (now, -5);
    g_autofree char *from_text = g_date_time_format (from_day, "%Y-%m-%d");
    g_autofree char *to_text = g_date_time_format (to_day, "%Y-%m-%d");
    g_autoptr(GDateTime) from_midnight = g_date_time_new_local (g_date_time_get_year (from_day),
                                                                g_date_time_get_month (from_day),
                                                                g_date_time_get_day_of_month (from_day), 0, 0, 0);
    g_autoptr(GDateTime) to_midnight = g_date_time_new_local (g_date_time_get_year (to_day),
                                                              g_date_time_get_month (to_day),
                                                              g_date_time_get_day_of_month (to_day), 0, 0, 0);
    g_autoptr(GDateTime) after_to = g_date_time_add_days (to_midnight, 1);
    g_autofree char *where = g_strdup_printf ("started_at >= %" G_GINT64_FORMAT " AND started_at < %" G_GINT64_FORMAT,
                                              g_date_time_to_unix (from_midnight) * 1000,
                                              g_date_time_to_unix (after_to) * 1000);
    g_autofree char *button_label = g_strdup_printf ("%s – %s", from_text, to_text);

    gtk_menu_button_popup (date_button);
    g_assert_cmpuint (entries->len, ==, 2);

    /* A date that does not exist: told at once, nothing filtered. */
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "2024-02-30");
    g_signal_emit_by_name (g_ptr_array_index (entries, 0), "activate");
    g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (entries, 0), "error"));
    g_assert_true (lia_gui_test_shows_label (GTK_WIDGET (popover),
                                             "Enter a date as YYYY-MM-DD, for example 2024-03-01."));
    g_assert_false (lia_history_model_get_loading (model));
    g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, history.n_runs);

    /* The end before the start. */
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), to_text);
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), from_text);
    g_signal_emit_by_name (g_ptr_array_index (entries, 1), "activate");
    g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (entries, 1), "error"));
    g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (entries, 0), "error"));

    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), from_text);
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), to_text);
    g_signal_emit_by_name (g_ptr_array_index (entries, 1), "activate");
    g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (entries, 1), "error"));
    wait_counted (model);
    assert_newest_and_oldest (model, db, where);
    g_assert_cmpstr (gtk_menu_button_get_label (date_button), ==, button_label);

    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "");
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), "");
    g_signal_emit_by_name (g_ptr_array_index (entries, 0), "activate");
    wait_counted (model);
    g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, history.n_runs);
    g_assert_cmpstr (gtk_menu_button_get_label (date_button), ==, "Any Date");
  }

  /* Selecting the second run shows it beside the list. */
  gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", 0);
  lia_gui_test_settle ();
  gtk_selection_model_select_item (gtk_list_view_get_model (list_view), 1, TRUE);
  g_assert_true (lia_gui_test_wait_until (is_details_shown, window));
  assert_details (window);
  lia_gui_test_save_screenshot (window, "history-1280x800-light");
  lia_gui_test_set_dark (TRUE);
  lia_gui_test_save_screenshot (window, "history-1280x800-dark");
  lia_gui_test_set_dark (FALSE);

  /* The errors, at the end of the details. */
  {
    LiaRunDetails *details = LIA_RUN_DETAILS (lia_gui_test_find (window, LIA_TYPE_RUN_DETAILS));
    g_autoptr(GPtrArray) scrollers = lia_gui_test_find_all (GTK_WIDGET (details), GTK_TYPE_SCROLLED_WINDOW, TRUE);
    GtkAdjustment *adjustment;

    g_assert_cmpuint (scrollers->len, ==, 1);
    adjustment = gtk_scrolled_window_get_vadjustment (g_ptr_array_index (scrollers, 0));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    lia_gui_test_save_screenshot (window, "history-errors-1280x800");
  }

  /* A new filter keeps the selected run selected, where it is now, and
   * reads no more than the pages shown to find it. */
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (list_view));
    /* The dropdown lists "All", then the integrations by name. */
    guint by_name[3] = { 3, 2, 1 };
    guint pages_before = log.n_pages;
    SelectedWait selected_wait = { selection, history.n_runs - 1 };

    gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), by_name[(history.n_runs - 1) % 3]);
    wait_counted (model);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), <, history.n_runs);
    g_assert_true (lia_gui_test_wait_until (is_run_selected, &selected_wait));
    lia_gui_test_settle ();
    g_assert_cmpuint (log.n_pages - pages_before, <=, 4);
    g_assert_cmpuint (lia_history_model_get_n_pages (model), <=, 4);

    gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), 0);
    wait_counted (model);
    g_assert_true (lia_gui_test_wait_until (is_run_selected, &selected_wait));
    g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);
  }

  /* F5 after a sync recorded a run: the list reads it, and the selected
   * run stays selected where it is now. */
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (list_view));
    SelectedWait selected_wait = { selection, history.n_runs - 500 };
    g_autofree char *insert = g_strdup_printf ("INSERT INTO sync_runs (id, integration_id, trigger, status, started_at)"
                                               " VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'scheduled',"
                                               " 'running', %" G_GINT64_FORMAT ")",
                                               history.n_runs + 1, history.ids[0], g_get_real_time () / 1000);
    g_autofree char *delete = g_strdup_printf ("DELETE FROM sync_runs WHERE id = %" G_GINT64_FORMAT,
                                               history.n_runs + 1);

    gtk_widget_activate_action (GTK_WIDGET (list_view), "list.scroll-to-item", "u", 500);
    gtk_single_selection_set_selected (selection, 500);
    g_assert_true (lia_gui_test_wait_until (is_run_selected, &selected_wait));

    lia_gui_test_exec_sql (db, insert);
    gtk_widget_activate_action (window, "win.reload", NULL);
    wait_counted (model);
    g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, history.n_runs + 1);
    g_assert_true (lia_gui_test_wait_until (is_run_selected, &selected_wait));
    g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 501);

    lia_gui_test_exec_sql (db, delete);
    lia_history_page_reload (page);
    wait_counted (model);
    lia_gui_test_settle ();
    g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, history.n_runs);
  }

  /* Back to the overview, in the dark too. */
  lia_history_page_show_overview (page);
  g_assert_null (gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (gtk_list_view_get_model (list_view))));
  lia_gui_test_set_dark (TRUE);
  lia_gui_test_save_screenshot (window, "history-overview-1280x800-dark");
  lia_gui_test_set_dark (FALSE);

  lia_gui_test_close_window (window);
}

static gboolean
is_folded (gpointer data)
{
  return adw_leaflet_get_folded (data);
}

static void
test_page_narrow (void)
{
  GtkWidget *window = lia_gui_test_open_window (app, history.db_path, 360, 720);
  LiaHistoryPage *page = show_history (window);
  AdwLeaflet *leaflet = ADW_LEAFLET (lia_gui_test_find (GTK_WIDGET (page), ADW_TYPE_LEAFLET));

  g_assert_true (lia_gui_test_wait_until (shows_run_rows, window));
  g_assert_true (lia_gui_test_wait_until (is_folded, leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");
  lia_gui_test_save_screenshot (window, "history-list-360x720-light");

  /* As a notification does. */
  gtk_widget_activate_action (window, "win.show-run", "x", history.n_runs - 1);
  g_assert_true (lia_gui_test_wait_until (is_details_shown, window));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  assert_details (window);
  /* As narrow as asked: nothing on the page needs more room. */
  g_assert_cmpint (gtk_widget_get_width (window), ==, 360);
  lia_gui_test_save_screenshot (window, "history-360x720-light");
  lia_gui_test_set_dark (TRUE);
  lia_gui_test_save_screenshot (window, "history-360x720-dark");
  lia_gui_test_set_dark (FALSE);

  /* Back to the list. */
  adw_leaflet_navigate (leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "list");

  lia_gui_test_close_window (window);
}

static void
test_page_empty (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  LiaHistoryPage *page;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  page = show_history (window);
  wait_counted (lia_history_page_get_model (page));
  lia_gui_test_settle ();
  g_assert_true (lia_gui_test_shows_label (window, "No Sync Runs"));
  g_assert_true (lia_gui_test_shows_label (window, "Runs show here once an integration syncs."));
  lia_gui_test_save_screenshot (window, "history-empty-1280x800");

  lia_gui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The main loop's stalls are measured with the software renderer that
   * cairo is: GL under Xvfb is Mesa's llvmpipe, which compiles shaders on
   * the main thread for 100 ms and more when new ones are needed. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  app = lia_gui_test_init (&argc, &argv);
  make_history ();

  g_test_add_func ("/gui/history/text", test_text);
  g_test_add_func ("/gui/history/model/paging", test_model_paging);
  g_test_add_func ("/gui/history/model/filters", test_model_filters);
  g_test_add_func ("/gui/history/model/reload", test_model_reload);
  g_test_add_func ("/gui/history/page/wide", test_page_wide);
  g_test_add_func ("/gui/history/page/narrow", test_page_narrow);
  g_test_add_func ("/gui/history/page/empty", test_page_empty);

  status = g_test_run ();

  g_free (history.db_path);
  g_object_unref (app);
  return status;
}
