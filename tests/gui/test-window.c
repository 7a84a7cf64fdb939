/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "lia-application.h"
#include "lia-database.h"
#include "lia-gui-text.h"
#include "lia-integration-row.h"
#include "lia-integration-store.h"
#include "lia-gui-test.h"
#include "lia-test-util.h"
#include "lia-window.h"

/* The real application, registered once: its startup loads the style
 * sheet, the icons and the shortcuts window as a user's run does. */
static GApplication *app;

/* --- Helpers ------------------------------------------------------------- */

typedef struct {
  GtkWidget *window;
  guint      n_rows;
} RowsWait;

static gboolean
shows_n_rows (gpointer data)
{
  RowsWait *wait = data;
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (wait->window, LIA_TYPE_INTEGRATION_ROW, TRUE);

  return rows->len == wait->n_rows;
}

typedef struct {
  GtkWidget     *window;
  AdwStatusPage *page;
} StatusWait;

/* True once exactly one status page shows (the stack's crossfade has
 * ended), which it stores in the struct. */
static gboolean
shows_status_page (gpointer data)
{
  StatusWait *wait = data;
  g_autoptr(GPtrArray) pages = lia_gui_test_find_all (wait->window, ADW_TYPE_STATUS_PAGE, TRUE);
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (wait->window, LIA_TYPE_INTEGRATION_ROW, TRUE);

  wait->page = pages->len == 1 && rows->len == 0 ? g_ptr_array_index (pages, 0) : NULL;
  return wait->page != NULL;
}

/* A finished run, as the sync runner records it. */
static void
add_run (LiaDatabase *db,
         gint64       integration_id,
         const char  *status,
         gint64       started_at_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO sync_runs (integration_id, trigger, status, started_at, finished_at)"
                         " VALUES (%" G_GINT64_FORMAT ", 'manual', '%s', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                         integration_id, status, started_at_ms, started_at_ms + 1000);
  lia_database_exec (db, sql, &error);
  g_assert_no_error (error);
}

static void
assert_row (GtkWidget  *row,
            const char *name,
            const char *kind,
            const char *status,
            const char *status_class,
            const char *last_sync)
{
  GtkLabel *status_label = lia_gui_test_find_label_with_class (row, "lia-status");

  g_assert_true (lia_gui_test_shows_label (row, name));
  g_assert_true (lia_gui_test_shows_label (row, kind));
  g_assert_true (lia_gui_test_shows_label (row, last_sync));
  g_assert_nonnull (status_label);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (status_label)));
  g_assert_cmpstr (gtk_label_get_label (status_label), ==, status);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status_label), status_class));
}

/* --- Cases --------------------------------------------------------------- */

static void
test_window_integrations (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *window;
  RowsWait wait = { NULL, 3 };
  gint64 erp;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  lia_gui_test_add_integration (db, "{\"name\": \"Moodle\", \"kind\": \"moodle\","
                       " \"baseUrl\": \"https://moodle.example.edu\"}");
  lia_gui_test_add_integration (db, "{\"name\": \"Attendance Drop\", \"kind\": \"file\","
                       " \"folder\": \"/srv/attendance\", \"enabled\": false,"
                       " \"endpoints\": {\"attendance\": \"attendance-*.csv\"}}");
  erp = lia_gui_test_add_integration (db, "{\"name\": \"College ERP & Fees\", \"kind\": \"rest\","
                             " \"baseUrl\": \"https://erp.example.edu/api\","
                             " \"endpoints\": {\"students\": \"/students\"}}");
  add_run (db, erp, "success", g_get_real_time () / 1000 - 3 * 3600 * 1000);
  add_run (db, erp, "error", g_get_real_time () / 1000 - (5 * 60 + 10) * 1000);

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  wait.window = window;
  g_assert_true (lia_gui_test_wait_until (shows_n_rows, &wait));

  /* In the store's order, by name. */
  rows = lia_gui_test_find_all (window, LIA_TYPE_INTEGRATION_ROW, TRUE);
  assert_row (g_ptr_array_index (rows, 0), "Attendance Drop", "File Folder",
              "Inactive", "dim-label", "Never synced");
  assert_row (g_ptr_array_index (rows, 1), "College ERP & Fees", "Generic REST",
              "Error", "error", "Last sync 5 minutes ago · Failed");
  assert_row (g_ptr_array_index (rows, 2), "Moodle", "Moodle",
              "Active", "success", "Never synced");

  lia_gui_test_save_screenshot (window, "integrations-1280x800");

  /* F5 reads the list again. */
  lia_gui_test_add_integration (db, "{\"name\": \"Canvas\", \"kind\": \"canvas\","
                       " \"baseUrl\": \"https://canvas.example.edu\","
                       " \"endpoints\": {\"students\": \"/api/v1/courses/1/users\"}}");
  gtk_widget_activate_action (window, "win.reload", NULL);
  wait.n_rows = 4;
  g_assert_true (lia_gui_test_wait_until (shows_n_rows, &wait));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = lia_gui_test_find_all (window, LIA_TYPE_INTEGRATION_ROW, TRUE);
  assert_row (g_ptr_array_index (rows, 1), "Canvas", "Canvas",
              "Active", "success", "Never synced");

  /* Closing saves the size for the next start. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 750);
  lia_gui_test_close_window (window);
  settings = g_settings_new (APPLICATION_ID);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1100);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 750);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static void
test_window_narrow (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  RowsWait wait = { NULL, 2 };

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  lia_gui_test_add_integration (db, "{\"name\": \"Moodle\", \"kind\": \"moodle\","
                       " \"baseUrl\": \"https://moodle.example.edu\"}");
  lia_gui_test_add_integration (db, "{\"name\": \"Student Information System of the District\", \"kind\": \"rest\","
                       " \"baseUrl\": \"https://sis.example.edu\", \"enabled\": false,"
                       " \"endpoints\": {\"students\": \"/students\"}}");

  window = lia_gui_test_open_window (app, db_path, 360, 720);
  wait.window = window;
  g_assert_true (lia_gui_test_wait_until (shows_n_rows, &wait));
  lia_gui_test_save_screenshot (window, "integrations-360x720");

  /* Nothing is cut off: the window is as narrow as asked. */
  g_assert_cmpint (gtk_widget_get_width (window), ==, 360);

  lia_gui_test_close_window (window);
}

static void
test_window_empty (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  StatusWait wait = { NULL, NULL };
  GtkWidget *window;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  wait.window = window;
  g_assert_true (lia_gui_test_wait_until (shows_status_page, &wait));
  g_assert_cmpstr (adw_status_page_get_title (wait.page), ==, "No Integrations Yet");
  g_assert_true (lia_gui_test_shows_label (window, "_Add Integration"));
  g_assert_true (lia_gui_test_shows_label (window, "_Explore with Sample Data"));
  lia_gui_test_save_screenshot (window, "empty-1280x800");

  lia_gui_test_close_window (window);
}

static void
test_window_too_new (void)
{
  /* The message names the path, which the status page must not read as
   * markup. */
  g_autofree char *tmpdir = lia_test_tmpdir ();
  g_autofree char *dir = g_build_filename (tmpdir, "R&D <office>", NULL);
  g_autofree char *db_path = g_build_filename (dir, "liaison.db", NULL);
  StatusWait wait = { NULL, NULL };
  GtkWidget *window;
  sqlite3 *handle = NULL;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (db_path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  wait.window = window;
  g_assert_true (lia_gui_test_wait_until (shows_status_page, &wait));
  g_assert_cmpstr (adw_status_page_get_title (wait.page), ==, "Cannot Open the Database");
  g_assert_nonnull (strstr (adw_status_page_get_description (wait.page), "newer version"));
  g_assert_true (lia_gui_test_shows_label (window, adw_status_page_get_description (wait.page)));
  g_assert_nonnull (strstr (adw_status_page_get_description (wait.page), "R&amp;D &lt;office&gt;"));
  lia_gui_test_save_screenshot (window, "too-new-1280x800");

  lia_gui_test_close_window (window);
}

static void
test_window_chrome (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GList) toplevels = NULL;
  GtkWidget *window;
  AdwAboutWindow *about = NULL;
  const char *website;

  window = lia_gui_test_open_window (app, db_path, 800, 600);

  /* The shortcuts window comes from the application's resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_ABOUT_WINDOW (l->data))
      about = l->data;
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Liaison");
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  website = adw_about_window_get_website (about);
  g_assert_true (website == NULL || *website == '\0');
  gtk_window_destroy (GTK_WINDOW (about));

  lia_gui_test_close_window (window);
}

static void
test_text_status (void)
{
  const char *style_class = NULL;

  g_assert_cmpstr (lia_gui_text_status (LIA_STATUS_ACTIVE, &style_class), ==, "Active");
  g_assert_cmpstr (style_class, ==, "success");
  g_assert_cmpstr (lia_gui_text_status (LIA_STATUS_INACTIVE, &style_class), ==, "Inactive");
  g_assert_cmpstr (style_class, ==, "dim-label");
  g_assert_cmpstr (lia_gui_text_status (LIA_STATUS_ERROR, &style_class), ==, "Error");
  g_assert_cmpstr (style_class, ==, "error");
  g_assert_cmpstr (lia_gui_text_status (LIA_STATUS_NEEDS_SIGNIN, &style_class), ==, "Needs sign-in");
  g_assert_cmpstr (style_class, ==, "warning");
}

static void
test_text_last_sync (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 12, 0, 0);
  g_autofree char *text = NULL;
  gint64 now_ms = g_date_time_to_unix (now) * 1000;
  struct {
    gint64      ago_ms;
    const char *result;
    const char *expected;
  } cases[] = {
    { 0, "success", "Last sync just now · Succeeded" },
    { -30 * 1000, "success", "Last sync just now · Succeeded" },  /* a clock ahead */
    { 59 * 1000, "partial", "Last sync just now · Partly succeeded" },
    { 60 * 1000, "error", "Last sync 1 minute ago · Failed" },
    { 5 * 60 * 1000, "cancelled", "Last sync 5 minutes ago · Cancelled" },
    { 59 * 60 * 1000, "success", "Last sync 59 minutes ago · Succeeded" },
    { 60 * 60 * 1000, "success", "Last sync 1 hour ago · Succeeded" },
    { 23 * 3600 * 1000, "success", "Last sync 23 hours ago · Succeeded" },
    { 24 * 3600 * 1000, "success", "Last sync 1 day ago · Succeeded" },
    { 6 * 86400 * 1000LL, "success", "Last sync 6 days ago · Succeeded" },
    { 7 * 86400 * 1000LL, "success", "Last sync on 15 November 2026 · Succeeded" },
    { 400 * 86400 * 1000LL, "error", "Last sync on 18 October 2025 · Failed" },
    { 3 * 3600 * 1000, "something-new", "Last sync 3 hours ago" },
    { 3 * 3600 * 1000, NULL, "Last sync 3 hours ago" },
  };

  text = lia_gui_text_last_sync (0, NULL, now);
  g_assert_cmpstr (text, ==, "Never synced");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = lia_gui_text_last_sync (now_ms - cases[i].ago_ms, cases[i].result, now);

      g_assert_cmpstr (line, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  lia_test_init (&argc, &argv);

  /* Each test runs in a bus of its own; no need to be the only instance. */
  app = G_APPLICATION (lia_application_new ());
  g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/gui/text/status", test_text_status);
  g_test_add_func ("/gui/text/last-sync", test_text_last_sync);
  g_test_add_func ("/gui/window/integrations", test_window_integrations);
  g_test_add_func ("/gui/window/narrow", test_window_narrow);
  g_test_add_func ("/gui/window/empty", test_window_empty);
  g_test_add_func ("/gui/window/too-new", test_window_too_new);
  g_test_add_func ("/gui/window/chrome", test_window_chrome);

  status = g_test_run ();

  g_object_unref (app);
  return status;
}
