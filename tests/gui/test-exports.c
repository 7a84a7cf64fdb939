/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-exports"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lia-database.h"
#include "lia-export.h"
#include "lia-exports-page.h"
#include "lia-gui-test.h"
#include "lia-integration-store.h"
#include "lia-test-util.h"
#include "lia-time.h"

/* The Exports page, through the same code as its buttons: the test gives
 * the file the native chooser would, and compares what the page wrote
 * with what core writes for the same options. */

static GApplication *app;

/* --- Helpers ------------------------------------------------------------- */

/* A school with two students, two sessions and three attendance records,
 * on 1 and 2 March 2024 (UTC, as the tests run). */
static char *
make_school (void)
{
  char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  config = lia_config_parse_data ("{\"name\": \"Attendance Drop\", \"kind\": \"file\", \"folder\": \"/srv/a\","
                                  " \"endpoints\": {\"attendance\": \"a-*.csv\"}}", -1, &secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpint (lia_integration_store_add (db, config, secrets, &error), ==, 1);
  g_assert_no_error (error);

  lia_gui_test_exec_sql (db,
            "INSERT INTO students (integration_id, external_id, name, email, created_at, updated_at) VALUES"
            " (1, 'S1', 'Ana Lima', 'ana@example.edu', 0, 0),"
            " (1, 'S2', 'Ben Okafor', 'ben@example.edu', 0, 0);"
            "INSERT INTO sessions (integration_id, external_id, title, start_at, end_at, created_at, updated_at) VALUES"
            " (1, 'SES-1', 'Maths', 1709280000, 1709283600, 0, 0),"
            " (1, 'SES-2', 'History', 1709366400, 1709370000, 0, 0);"
            "INSERT INTO attendance (integration_id, external_id, student_id, session_id, status, timestamp, method,"
            " created_at, updated_at) VALUES"
            " (1, 'A1', 'S1', 'SES-1', 'present', 1709280100, 'qr', 0, 0),"
            " (1, 'A2', 'S2', 'SES-1', 'late', 1709280700, 'manual', 0, 0),"
            " (1, 'A3', 'S1', 'SES-2', 'absent', 1709366500, 'manual', 0, 0);");
  return db_path;
}

static GtkWidget *
group_row (GtkWidget  *root,
           const char *group_title,
           const char *row_title)
{
  g_autoptr(GPtrArray) groups = lia_gui_test_find_all (root, ADW_TYPE_PREFERENCES_GROUP, FALSE);

  for (guint i = 0; i < groups->len; i++)
    if (g_strcmp0 (adw_preferences_group_get_title (g_ptr_array_index (groups, i)), group_title) == 0)
      return lia_gui_test_find_row (g_ptr_array_index (groups, i), row_title);
  return NULL;
}

static void
set_text (GtkWidget  *root,
          const char *group_title,
          const char *row_title,
          const char *text)
{
  GtkWidget *row = group_row (root, group_title, row_title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
set_choice (GtkWidget  *root,
            const char *group_title,
            const char *row_title,
            guint       choice)
{
  GtkWidget *row = group_row (root, group_title, row_title);

  g_assert_nonnull (row);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), choice);
}

typedef struct {
  gboolean  done;
  guint     section;
  gint64    rows;
  GError   *error;
} Finished;

static void
on_export_finished_cb (LiaExportsPage *page,
                       guint           section,
                       gint64          rows,
                       const GError   *error,
                       Finished       *finished)
{
  finished->done = TRUE;
  finished->section = section;
  finished->rows = rows;
  g_clear_error (&finished->error);
  finished->error = error != NULL ? g_error_copy (error) : NULL;
}

static gboolean
is_finished (gpointer data)
{
  return ((Finished *) data)->done;
}

static LiaExportsPage *
show_exports (GtkWidget *window)
{
  AdwViewStack *stack = ADW_VIEW_STACK (lia_gui_test_find (window, ADW_TYPE_VIEW_STACK));

  adw_view_stack_set_visible_child_name (stack, "exports");
  return LIA_EXPORTS_PAGE (lia_gui_test_find (window, LIA_TYPE_EXPORTS_PAGE));
}

/* What core writes for @options, for comparing. */
static char *
expected_export (const char             *db_path,
                 const LiaExportOptions *options)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "expected", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (lia_export_run (db_path, options, path, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

static gint64
parse_date (const char *text,
            gboolean    end_of_day)
{
  gint64 value = 0;

  g_assert_true (lia_time_parse_cli_date (text, end_of_day, &value, NULL));
  return value;
}

/* Exports @section into a new file in a new folder and waits for the end. */
static char *
export_section (LiaExportsPage    *page,
                LiaExportsSection  section,
                const char        *name,
                Finished          *finished)
{
  g_autofree char *dir = lia_test_tmpdir ();
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  finished->done = FALSE;
  g_assert_true (lia_exports_page_export_to (page, section, file));
  g_assert_true (lia_exports_page_is_exporting (page, section));
  g_assert_true (lia_gui_test_wait_until (is_finished, finished));
  g_assert_false (lia_exports_page_is_exporting (page, section));
  g_assert_cmpuint (finished->section, ==, section);
  g_assert_no_error (finished->error);
  return path;
}

/* --- Cases --------------------------------------------------------------- */

static void
test_exports_records (void)
{
  g_autofree char *db_path = make_school ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  Finished finished = { 0 };
  GtkWidget *window;
  LiaExportsPage *page;
  GtkWidget *bom_row;
  LiaExportOptions options = {
    .kind = LIA_EXPORT_MOODLE_RECORDS,
    .from = parse_date ("2024-03-01", FALSE),
    .to = parse_date ("2024-03-01", TRUE),
    .bom = TRUE,
  };

  /* "For Excel" starts as the preference says. */
  g_settings_set_boolean (settings, "export-bom", TRUE);
  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  page = show_exports (window);
  g_signal_connect (page, "export-finished", G_CALLBACK (on_export_finished_cb), &finished);
  bom_row = group_row (window, "Moodle CSV", "For Excel");
  g_assert_nonnull (bom_row);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (lia_gui_test_find (bom_row, GTK_TYPE_SWITCH))));

  set_choice (window, "Moodle CSV", "Layout", 0);
  set_text (window, "Moodle CSV", "From (YYYY-MM-DD)", "2024-03-01");
  set_text (window, "Moodle CSV", "To (YYYY-MM-DD)", " 2024-03-01 ");
  path = export_section (page, LIA_EXPORTS_SECTION_MOODLE, "attendance-2024-03.csv", &finished);
  g_assert_cmpint (finished.rows, ==, 2);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  expected = expected_export (db_path, &options);
  g_assert_cmpstr (contents, ==, expected);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (contents, "Student ID"));
  g_assert_nonnull (strstr (contents, "ana@example.edu"));
  g_assert_nonnull (strstr (contents, "SES-1"));
  g_assert_null (strstr (contents, "SES-2"));

  /* Done: the progress went, the button is back. */
  g_assert_false (lia_gui_test_shows_label (window, "Cancel"));

  g_settings_set_boolean (settings, "export-bom", FALSE);
  g_clear_error (&finished.error);
  lia_gui_test_close_window (window);
}

static void
test_exports_calendar_and_report (void)
{
  g_autofree char *db_path = make_school ();
  g_autofree char *ics_path = NULL;
  g_autofree char *report_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  Finished finished = { 0 };
  GtkWidget *window = lia_gui_test_open_window (app, db_path, 1280, 800);
  LiaExportsPage *page = show_exports (window);
  LiaExportOptions report = {
    .kind = LIA_EXPORT_REPORT_CSV,
    .from = parse_date ("2024-03-01", FALSE),
    .to = parse_date ("2024-03-31", TRUE),
  };

  g_signal_connect (page, "export-finished", G_CALLBACK (on_export_finished_cb), &finished);

  /* One student's calendar. */
  set_choice (window, "Calendar (.ics)", "Calendar of", 1);
  set_text (window, "Calendar (.ics)", "Student ID", "S1");
  set_text (window, "Calendar (.ics)", "From (YYYY-MM-DD)", "2024-03-01");
  set_text (window, "Calendar (.ics)", "To (YYYY-MM-DD)", "2024-03-31");
  ics_path = export_section (page, LIA_EXPORTS_SECTION_CALENDAR, "timetable-S1.ics", &finished);
  g_assert_true (g_file_get_contents (ics_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "BEGIN:VCALENDAR"));
  g_assert_nonnull (strstr (contents, "Maths"));
  g_clear_pointer (&contents, g_free);

  /* Everyone's attendance over March, as CSV. */
  set_text (window, "HR Attendance Summary", "From (YYYY-MM-DD)", "2024-03-01");
  set_text (window, "HR Attendance Summary", "To (YYYY-MM-DD)", "2024-03-31");
  report_path = export_section (page, LIA_EXPORTS_SECTION_REPORT, "attendance-summary-2024-03.csv", &finished);
  g_assert_true (g_file_get_contents (report_path, &contents, NULL, NULL));
  expected = expected_export (db_path, &report);
  g_assert_cmpstr (contents, ==, expected);
  g_assert_cmpint (finished.rows, ==, 2);

  g_clear_error (&finished.error);
  lia_gui_test_close_window (window);
}

static void
assert_invalid (GtkWidget  *window,
                const char *group_title,
                const char *row_title,
                const char *message)
{
  GtkWidget *row = group_row (window, group_title, row_title);

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_true (lia_gui_test_shows_label (window, message));
}

static void
test_exports_validation (void)
{
  g_autofree char *db_path = make_school ();
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (now, -29);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *from = g_date_time_format (month_ago, "%Y-%m-%d");
  GtkWidget *window = lia_gui_test_open_window (app, db_path, 360, 720);
  LiaExportsPage *page = show_exports (window);

  /* The HR summary covers the last 30 days to begin with. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (group_row (window, "HR Attendance Summary",
                                                                   "From (YYYY-MM-DD)"))), ==, from);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (group_row (window, "HR Attendance Summary",
                                                                   "To (YYYY-MM-DD)"))), ==, today);

  /* Marking a session needs the session. */
  set_choice (window, "Moodle CSV", "Layout", 1);
  g_assert_false (lia_exports_page_export_to (page, LIA_EXPORTS_SECTION_MOODLE, file));
  assert_invalid (window, "Moodle CSV", "Session ID", "Enter the session to mark: its ID in the source system.");
  lia_gui_test_save_screenshot (window, "exports-invalid-360x720");

  /* Typing clears the red at once. */
  set_text (window, "Moodle CSV", "Session ID", "SES-1");
  g_assert_false (gtk_widget_has_css_class (group_row (window, "Moodle CSV", "Session ID"), "error"));

  set_text (window, "Moodle CSV", "From (YYYY-MM-DD)", "2024-13-01");
  g_assert_false (lia_exports_page_export_to (page, LIA_EXPORTS_SECTION_MOODLE, file));
  assert_invalid (window, "Moodle CSV", "From (YYYY-MM-DD)", "Enter a date as YYYY-MM-DD, for example 2024-03-01.");
  g_assert_false (gtk_widget_has_css_class (group_row (window, "Moodle CSV", "Session ID"), "error"));

  set_text (window, "Moodle CSV", "From (YYYY-MM-DD)", "2024-03-05");
  set_text (window, "Moodle CSV", "To (YYYY-MM-DD)", "2024-03-01");
  g_assert_false (lia_exports_page_export_to (page, LIA_EXPORTS_SECTION_MOODLE, file));
  assert_invalid (window, "Moodle CSV", "To (YYYY-MM-DD)", "The end date must not be before the start date.");

  /* A student's or a teacher's calendar needs their id. */
  set_choice (window, "Calendar (.ics)", "Calendar of", 2);
  g_assert_nonnull (group_row (window, "Calendar (.ics)", "Teacher ID"));
  g_assert_false (lia_exports_page_export_to (page, LIA_EXPORTS_SECTION_CALENDAR, file));
  assert_invalid (window, "Calendar (.ics)", "Teacher ID", "Enter the teacher’s ID, or export the whole timetable.");

  set_choice (window, "HR Attendance Summary", "People", 1);
  g_assert_false (lia_exports_page_export_to (page, LIA_EXPORTS_SECTION_REPORT, file));
  assert_invalid (window, "HR Attendance Summary", "Student ID", "Enter the student’s ID, or choose everyone.");

  /* Nothing was written. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  lia_gui_test_close_window (window);
}

static gboolean
is_dir_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

static void
test_exports_cancel (void)
{
  g_autofree char *db_path = make_school ();
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "attendance.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  Finished finished = { 0 };
  GtkWidget *window;
  LiaExportsPage *page;

  /* Enough rows that the export is still running when cancelled. */
  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  lia_gui_test_exec_sql (db, "BEGIN;"
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
                " INSERT INTO attendance (integration_id, external_id, student_id, session_id, status, timestamp,"
                "  method, created_at, updated_at)"
                " SELECT 1, 'bulk-' || i, 'S' || (1 + i % 2), 'SES-1', 'present', 1709280000 + i, 'qr', 0, 0 FROM n;"
                "COMMIT;");

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  page = show_exports (window);
  g_signal_connect (page, "export-finished", G_CALLBACK (on_export_finished_cb), &finished);

  g_assert_true (lia_exports_page_export_to (page, LIA_EXPORTS_SECTION_MOODLE, file));
  /* A second export of the same section waits for the first. */
  g_assert_false (lia_exports_page_export_to (page, LIA_EXPORTS_SECTION_MOODLE, file));
  g_assert_true (lia_gui_test_shows_label (window, "Cancel"));
  lia_exports_page_cancel (page, LIA_EXPORTS_SECTION_MOODLE);
  g_assert_true (lia_gui_test_wait_until (is_finished, &finished));

  g_assert_error (finished.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (is_dir_empty (dir));
  g_assert_false (lia_exports_page_is_exporting (page, LIA_EXPORTS_SECTION_MOODLE));
  g_assert_false (lia_gui_test_shows_label (window, "Cancel"));

  g_clear_error (&finished.error);
  lia_gui_test_close_window (window);
}

static void
test_exports_screenshots (void)
{
  g_autofree char *db_path = make_school ();
  const struct {
    int         width;
    int         height;
    gboolean    dark;
    const char *name;
  } shots[] = {
    { 1280, 800, FALSE, "exports-1280x800-light" },
    { 1280, 800, TRUE, "exports-1280x800-dark" },
    { 360, 720, FALSE, "exports-360x720-light" },
    { 360, 720, TRUE, "exports-360x720-dark" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      GtkWidget *window = lia_gui_test_open_window (app, db_path, shots[i].width, shots[i].height);

      show_exports (window);
      lia_gui_test_set_dark (shots[i].dark);
      lia_gui_test_save_screenshot (window, shots[i].name);
      /* As narrow as asked: nothing on the page needs more room. */
      if (shots[i].width == 360)
        g_assert_cmpint (gtk_widget_get_width (window), ==, 360);
      lia_gui_test_set_dark (FALSE);
      lia_gui_test_close_window (window);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = lia_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/exports/records", test_exports_records);
  g_test_add_func ("/gui/exports/calendar-and-report", test_exports_calendar_and_report);
  g_test_add_func ("/gui/exports/validation", test_exports_validation);
  g_test_add_func ("/gui/exports/cancel", test_exports_cancel);
  g_test_add_func ("/gui/exports/screenshots", test_exports_screenshots);

  status = g_test_run ();

  g_object_unref (app);
  return status;
}
