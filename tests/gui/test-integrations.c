/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-integrations"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lia-application.h"
#include "lia-database.h"
#include "lia-gui-test.h"
#include "lia-gui-text.h"
#include "lia-integration-row.h"
#include "lia-integration-store.h"
#include "lia-integrations-page.h"
#include "lia-sample-data.h"
#include "lia-sync-controller.h"
#include "lia-test-server.h"
#include "lia-test-util.h"
#include "lia-window.h"

/* The Integrations page's cards against real databases, a real HTTP server
 * and the real application: statuses, search, the switch, Delete, Sync
 * with its progress and Cancel, Test, Sync All, the sample school, the
 * scheduler's notifications, and screenshots for people to look at. */

static GApplication *app;

/* --- A school system ---------------------------------------------------- */

/* Students in pages of PAGE_SIZE, each page after a delay. The server runs
 * in a child process (this program with --serve), so that libsoup 3.2's
 * server-side leaks stay out of this process's leak check: GUI tests
 * unwind stacks fast, and the suppressions cannot see libsoup's frames. It
 * reads "DELAY_MS N_STUDENTS" from a control file before each answer. */
#define PAGE_SIZE 50

typedef struct {
  GSubprocess *process;
  char        *url;
  char        *control;
} School;

static void
handle (SoupServerMessage *message,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  const char *control = user_data;
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *settings = NULL;
  const char *page_text = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
  gint64 page = page_text != NULL ? g_ascii_strtoll (page_text, NULL, 10) : 1;
  gint64 delay = 0;
  gint64 n_students = 400;

  if (g_file_get_contents (control, &settings, NULL, NULL))
    {
      char *end = NULL;

      delay = g_ascii_strtoll (settings, &end, 10);
      n_students = g_ascii_strtoll (end, NULL, 10);
    }
  if (delay > 0)
    g_usleep (delay * 1000);

  if (!g_str_equal (path, "/students"))
    {
      lia_test_reply_json (message, 404, "{\"error\": \"no such path\"}");
      return;
    }

  for (gint64 i = (page - 1) * PAGE_SIZE; i < page * PAGE_SIZE && i < n_students; i++)
    g_string_append_printf (json, "%s{\"id\": \"s%" G_GINT64_FORMAT "\", \"name\": \"Pupil %" G_GINT64_FORMAT "\"}",
                            json->len > 1 ? "," : "", i, i);
  g_string_append_c (json, ']');
  lia_test_reply_json (message, 200, json->str);
}

/* The child: serves until killed. */
static int
serve (const char *control)
{
  LiaTestServer *server = lia_test_server_new (handle, (gpointer) control);

  g_print ("%s\n", lia_test_server_get_url (server));
  fflush (stdout);
  for (;;)
    g_usleep (G_USEC_PER_SEC);
  return 0;
}

static void
set_school (School *school,
            int     delay_ms,
            int     n_students)
{
  g_autofree char *settings = g_strdup_printf ("%d %d", delay_ms, n_students);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (school->control, settings, -1, &error);
  g_assert_no_error (error);
}

static School *
school_new (void)
{
  School *school = g_new0 (School, 1);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;

  school->control = g_build_filename (dir, "control", NULL);
  set_school (school, 0, 400);
  school->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                      self_path, "--serve", school->control, NULL);
  g_assert_no_error (error);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (school->process));
  school->url = g_data_input_stream_read_line (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (school->url, "http://127.0.0.1:"));
  return school;
}

static void
school_free (School *school)
{
  g_subprocess_force_exit (school->process);
  g_subprocess_wait (school->process, NULL, NULL);
  g_object_unref (school->process);
  g_free (school->url);
  g_free (school->control);
  g_free (school);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (School, school_free)

static char *
rest_config (const char *name,
             const char *url)
{
  return g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"rest\", \"baseUrl\": \"%s\","
                          " \"maxRetries\": 0, \"timeoutSeconds\": 5,"
                          " \"endpoints\": {\"students\": {\"path\": \"/students\","
                          "   \"pagination\": {\"style\": \"page\", \"pageParam\": \"page\", \"size\": %d}}},"
                          " \"fieldMappings\": {\"students\": {\"externalId\": \"id\", \"name\": \"name\"}}}",
                          name, url, PAGE_SIZE);
}

/* --- Helpers ------------------------------------------------------------- */

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  g_autoptr(GPtrArray) found = lia_gui_test_find_all (root, GTK_TYPE_BUTTON, FALSE);

  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (found, i)), action_name) == 0)
      return g_ptr_array_index (found, i);
  return NULL;
}

/* The text of the first shown label under @root that starts with @prefix. */
static const char *
label_starting_with (GtkWidget  *root,
                     const char *prefix)
{
  g_autoptr(GPtrArray) labels = lia_gui_test_find_all (root, GTK_TYPE_LABEL, TRUE);

  for (guint i = 0; i < labels->len; i++)
    {
      const char *text = gtk_label_get_label (g_ptr_array_index (labels, i));

      if (g_str_has_prefix (text, prefix))
        return text;
    }
  return NULL;
}

static LiaIntegrationRow *
find_card (GtkWidget  *window,
           const char *name)
{
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (window, LIA_TYPE_INTEGRATION_ROW, TRUE);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (lia_integration_row_get_name (g_ptr_array_index (rows, i)), name) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static guint
count_cards (GtkWidget *window)
{
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (window, LIA_TYPE_INTEGRATION_ROW, TRUE);

  return rows->len;
}

static const char *
card_status (LiaIntegrationRow *card)
{
  return gtk_label_get_label (lia_gui_test_find_label_with_class (GTK_WIDGET (card), "lia-status"));
}

/* The label beside the card's Cancel button: "1,200 records". */
static GtkLabel *
card_progress_label (LiaIntegrationRow *card)
{
  return GTK_LABEL (lia_gui_test_find_label_with_class (GTK_WIDGET (card), "numeric"));
}

typedef struct {
  GtkWidget  *window;
  const char *name;
  guint       n_cards;
  const char *text;
} CardWait;

static gboolean
shows_n_cards (gpointer data)
{
  CardWait *wait = data;

  return count_cards (wait->window) == wait->n_cards;
}

static gboolean
card_shows (gpointer data)
{
  CardWait *wait = data;
  LiaIntegrationRow *card = find_card (wait->window, wait->name);

  return card != NULL && label_starting_with (GTK_WIDGET (card), wait->text) != NULL;
}

static void
save_screenshots (GtkWidget  *window,
                  const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *light = g_strconcat (name, "-light", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  lia_gui_test_save_screenshot (window, light);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  lia_gui_test_save_screenshot (window, dark);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* A finished run, as the sync runner records it. */
static void
add_run (LiaDatabase *db,
         gint64       integration_id,
         const char  *status,
         gint64       minutes_ago)
{
  gint64 started = g_get_real_time () / 1000 - minutes_ago * 60 * 1000 - 10 * 1000;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO sync_runs (integration_id, trigger, status, started_at, finished_at)"
                         " VALUES (%" G_GINT64_FORMAT ", 'scheduled', '%s', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                         integration_id, status, started, started + 1000);
  lia_gui_test_exec_sql (db, sql);
}

static gint64
query_int (LiaDatabase *db,
           const char  *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lia_database_prepare (db, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* Four integrations, one in each stored status. */
static void
add_one_of_each (LiaDatabase *db)
{
  gint64 erp;
  gint64 moodle;
  gint64 canvas;

  lia_gui_test_add_integration (db, "{\"name\": \"Attendance Drop\", \"kind\": \"file\","
                       " \"folder\": \"/srv/attendance\", \"enabled\": false,"
                       " \"endpoints\": {\"attendance\": \"attendance-*.csv\"}}");
  erp = lia_gui_test_add_integration (db, "{\"name\": \"College ERP & Fees\", \"kind\": \"rest\","
                             " \"baseUrl\": \"https://erp.example.edu/api\", \"syncInterval\": 30,"
                             " \"endpoints\": {\"students\": \"/students\"}}");
  add_run (db, erp, "success", 180);
  add_run (db, erp, "error", 5);
  canvas = lia_gui_test_add_integration (db, "{\"name\": \"Canvas\", \"kind\": \"canvas\","
                                " \"baseUrl\": \"https://canvas.example.edu\"}");
  add_run (db, canvas, "success", 2 * 24 * 60);
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE integrations SET needs_signin = 1 WHERE id = %" G_GINT64_FORMAT,
                                            canvas);
    lia_gui_test_exec_sql (db, sql);
  }
  moodle = lia_gui_test_add_integration (db, "{\"name\": \"Moodle – Lycée Jean Moulin\", \"kind\": \"moodle\","
                                " \"baseUrl\": \"https://moodle.example.edu\"}");
  add_run (db, moodle, "success", 12);
}

/* A database with one integration in each status (add_one_of_each()), and
 * a 1280×800 window on it showing their four cards. */
static GtkWidget *
open_one_of_each (const char   *db_path,
                  LiaDatabase **out_db)
{
  g_autoptr(GError) error = NULL;
  CardWait wait = { NULL, NULL, 4, NULL };

  *out_db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  add_one_of_each (*out_db);

  wait.window = lia_gui_test_open_window (app, db_path, 1280, 800);
  g_assert_true (lia_gui_test_wait_until (shows_n_cards, &wait));
  return wait.window;
}

static void
set_search (GtkWidget  *window,
            const char *text)
{
  GtkEditable *entry = GTK_EDITABLE (lia_gui_test_find (window, GTK_TYPE_SEARCH_ENTRY));

  gtk_editable_set_text (entry, text);
  /* GtkSearchEntry waits a little before it says the text changed. */
  g_signal_emit_by_name (entry, "search-changed");
  lia_gui_test_settle ();
}

static guint
count_shown_cards (GtkWidget *window)
{
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (window, LIA_TYPE_INTEGRATION_ROW, TRUE);
  guint shown = 0;

  for (guint i = 0; i < rows->len; i++)
    if (gtk_widget_get_child_visible (g_ptr_array_index (rows, i)))
      shown++;
  return shown;
}

static const char *
shown_status_page_title (GtkWidget *window)
{
  g_autoptr(GPtrArray) pages = lia_gui_test_find_all (window, ADW_TYPE_STATUS_PAGE, TRUE);

  return pages->len == 1 ? adw_status_page_get_title (g_ptr_array_index (pages, 0)) : NULL;
}

static gboolean
shows_status_page (gpointer data)
{
  return shown_status_page_title (data) != NULL;
}

/* The header bar's search button. */
static GtkToggleButton *
find_search_button (GtkWidget *window)
{
  g_autoptr(GPtrArray) found = lia_gui_test_find_all (window, GTK_TYPE_TOGGLE_BUTTON, FALSE);

  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_button_get_icon_name (g_ptr_array_index (found, i)), "system-search-symbolic") == 0)
      return g_ptr_array_index (found, i);
  return NULL;
}

/* --- Cases: texts -------------------------------------------------------- */

static void
test_text_next_sync (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 12, 0, 0);
  gint64 now_ms = g_date_time_to_unix (now) * 1000;
  struct {
    gint64      next_ms;
    const char *expected;
  } cases[] = {
    { -1, "Not scheduled" },
    { 0, "Next sync due now" },
    { now_ms - 1000, "Next sync due now" },
    { now_ms + 10 * 1000, "Next sync in 1 minute" },
    { now_ms + 25 * 60 * 1000, "Next sync in 25 minutes" },
    { now_ms + 60 * 60 * 1000, "Next sync in 1 hour" },
    { now_ms + 150 * 60 * 1000, "Next sync in 3 hours" },
    { now_ms + 3 * 86400 * 1000LL, "Next sync in 3 days" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lia_gui_text_next_sync (cases[i].next_ms, now);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_text_misc (void)
{
  g_autofree char *one = lia_gui_text_records (1);
  g_autofree char *many = lia_gui_text_records (1834);
  g_autofree char *so_far = lia_gui_text_progress (1834, 0);
  g_autofree char *of = lia_gui_text_progress (1834, 4000);
  g_autofree char *of_one = lia_gui_text_progress (0, 1);
  g_autofree char *ok = lia_gui_text_connection_test (200, 35, NULL, "Connected", NULL);
  g_autofree char *folder = lia_gui_text_connection_test (0, 2, NULL, "1 file matches students.csv", NULL);
  g_autofree char *failed = lia_gui_text_connection_test (0, 12, "CONNECTION_ERROR", "No answer from erp.example.edu",
                                                          "Check the address.");
  const char *style_class = NULL;

  /* Tests run in C.UTF-8, which does not group digits. */
  g_assert_cmpstr (one, ==, "1 record");
  g_assert_cmpstr (many, ==, "1834 records");
  g_assert_cmpstr (so_far, ==, "1834 records");
  g_assert_cmpstr (of, ==, "1834 of about 4000 records");
  g_assert_cmpstr (of_one, ==, "0 of about 1 record");
  g_assert_cmpstr (ok, ==, "Connected (HTTP 200, 35 ms)");
  g_assert_cmpstr (folder, ==, "1 file matches students.csv (2 ms)");
  g_assert_cmpstr (failed, ==, "CONNECTION_ERROR: No answer from erp.example.edu — Check the address.");
  g_assert_cmpstr (lia_gui_text_status (LIA_GUI_STATUS_SYNCING, &style_class), ==, "Syncing");
  g_assert_cmpstr (style_class, ==, "accent");

  g_assert_true (lia_gui_text_matches ("erp", "College ERP & Fees"));
  g_assert_true (lia_gui_text_matches ("college fees", "College ERP & Fees"));
  g_assert_true (lia_gui_text_matches ("lycee", "Moodle – Lycée Jean Moulin"));
  g_assert_true (lia_gui_text_matches ("LYCÉE", "Moodle – Lycée Jean Moulin"));
  g_assert_true (lia_gui_text_matches ("zoe", "Zoë Müller"));
  g_assert_true (lia_gui_text_matches ("東京", "東京 学校"));
  g_assert_false (lia_gui_text_matches ("大阪", "東京 学校"));
  g_assert_false (lia_gui_text_matches ("canvas", "College ERP & Fees"));
}

static void
test_sample_config (void)
{
  g_autofree char *source = NULL;
  g_autofree char *path = NULL;
  g_autofree char *template_json = NULL;
  g_autofree char *json = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  LiaFieldMapping *status = NULL;
  gsize length;

  source = lia_sample_data_find_source (&error);
  g_assert_no_error (error);
  path = g_build_filename (source, LIA_SAMPLE_CONFIG_FILE, NULL);
  g_file_get_contents (path, &template_json, &length, &error);
  g_assert_no_error (error);

  json = lia_sample_data_build_config (template_json, length, "/var/lib/liaison/sample", &error);
  g_assert_no_error (error);
  config = lia_config_parse_data (json, -1, &secrets, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (config->name, ==, "Sample School");
  g_assert_cmpint (config->kind, ==, LIA_KIND_FILE);
  g_assert_cmpstr (config->folder, ==, "/var/lib/liaison/sample");
  g_assert_cmpstr (config->timezone, ==, "Europe/London");
  for (guint type = LIA_DATA_TYPE_STUDENTS; type <= LIA_DATA_TYPE_MARKS; type++)
    {
      g_autofree char *file = NULL;

      g_assert_nonnull (config->endpoints[type]);
      g_assert_nonnull (config->mappings[type]);
      file = g_build_filename (source, config->endpoints[type]->path, NULL);
      g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
    }

  for (guint i = 0; i < config->mappings[LIA_DATA_TYPE_ATTENDANCE]->len; i++)
    {
      LiaFieldMapping *mapping = g_ptr_array_index (config->mappings[LIA_DATA_TYPE_ATTENDANCE], i);

      if (g_str_equal (mapping->field, "status"))
        status = mapping;
    }
  g_assert_nonnull (status);
  g_assert_cmpstr (g_hash_table_lookup (status->map, "P"), ==, "present");
  g_assert_cmpstr (g_hash_table_lookup (status->map, "A"), ==, "absent");
  g_assert_cmpstr (g_hash_table_lookup (status->map, "L"), ==, "late");
  g_assert_cmpstr (g_hash_table_lookup (status->map, "E"), ==, "excused");

  /* A relative folder is a programmer's error; bad JSON is not. */
  g_clear_pointer (&json, g_free);
  json = lia_sample_data_build_config ("[1, 2]", -1, "/tmp", &error);
  g_assert_null (json);
  g_assert_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_SYNTAX);
}

/* --- Cases: cards -------------------------------------------------------- */

static void
test_cards_statuses (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  CardWait wait = { NULL, NULL, 4, NULL };
  LiaIntegrationRow *card;
  GtkWidget *window;

  window = open_one_of_each (db_path, &db);
  wait.window = window;

  card = find_card (window, "Attendance Drop");
  g_assert_cmpstr (card_status (card), ==, "Inactive");
  g_assert_cmpstr (label_starting_with (GTK_WIDGET (card), "Never"), ==, "Never synced");
  g_assert_cmpstr (label_starting_with (GTK_WIDGET (card), "Not"), ==, "Not scheduled");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_SWITCH))));

  card = find_card (window, "College ERP & Fees");
  g_assert_cmpstr (card_status (card), ==, "Error");
  g_assert_cmpstr (label_starting_with (GTK_WIDGET (card), "Last sync"), ==, "Last sync 5 minutes ago · Failed");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_SWITCH))));

  card = find_card (window, "Canvas");
  g_assert_cmpstr (card_status (card), ==, "Needs sign-in");
  g_assert_cmpstr (label_starting_with (GTK_WIDGET (card), "Last sync"), ==, "Last sync 2 days ago · Succeeded");
  g_assert_cmpstr (label_starting_with (GTK_WIDGET (card), "Not"), ==, "Not scheduled");

  card = find_card (window, "Moodle – Lycée Jean Moulin");
  g_assert_cmpstr (card_status (card), ==, "Active");
  /* No scheduler runs in this test: nothing is scheduled. */
  g_assert_cmpstr (label_starting_with (GTK_WIDGET (card), "Not"), ==, "Not scheduled");

  /* Every control names its integration for screen readers; the switch
   * says so in its tooltip too. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_SWITCH)),
                   ==, "Sync “Moodle – Lycée Jean Moulin” on schedule");

  /* The card's menu is made when first opened: Edit (the form, on this
   * integration) and Delete. */
  {
    GtkMenuButton *more = GTK_MENU_BUTTON (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_MENU_BUTTON));
    g_autoptr(GVariant) target = NULL;
    g_autofree char *action = NULL;
    GMenuModel *menu;

    g_assert_null (gtk_menu_button_get_menu_model (more));
    gtk_menu_button_popup (more);
    menu = gtk_menu_button_get_menu_model (more);
    g_assert_nonnull (menu);
    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
    g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "win.edit-integration");
    target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_INT64);
    g_assert_cmpint (g_variant_get_int64 (target), ==, lia_integration_row_get_id (card));
    g_clear_pointer (&action, g_free);
    g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "card.delete");
    gtk_menu_button_popdown (more);
  }

  /* The scheduler fills in the next runs: 30 and 60 minute intervals. */
  lia_sync_controller_start_scheduler (lia_window_get_sync_controller (LIA_WINDOW (window)));
  wait.name = "Moodle – Lycée Jean Moulin";
  wait.text = "Next sync in 48 minutes";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  wait.name = "College ERP & Fees";
  wait.text = "Next sync in 25 minutes";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  card = find_card (window, "Canvas");
  g_assert_cmpstr (label_starting_with (GTK_WIDGET (card), "Not"), ==, "Not scheduled");
  lia_sync_controller_shutdown (lia_window_get_sync_controller (LIA_WINDOW (window)));

  lia_gui_test_close_window (window);
}

static void
test_cards_search (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  GtkWidget *window;
  GtkSearchBar *bar;
  GtkToggleButton *search_button;

  window = open_one_of_each (db_path, &db);

  /* Ctrl+F (win.search) shows the bar, and the header's button follows. */
  bar = GTK_SEARCH_BAR (lia_gui_test_find (window, GTK_TYPE_SEARCH_BAR));
  search_button = find_search_button (window);
  g_assert_nonnull (search_button);
  g_assert_false (gtk_search_bar_get_search_mode (bar));
  g_assert_true (gtk_widget_activate_action (window, "win.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (bar));
  g_assert_true (gtk_toggle_button_get_active (search_button));

  /* By name, without the accent. */
  set_search (window, "lycee");
  g_assert_cmpuint (count_shown_cards (window), ==, 1);
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (find_card (window, "Moodle – Lycée Jean Moulin"))));

  /* By kind, in any case. */
  set_search (window, "file FOLDER");
  g_assert_cmpuint (count_shown_cards (window), ==, 1);
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (find_card (window, "Attendance Drop"))));
  set_search (window, "rest");
  g_assert_cmpuint (count_shown_cards (window), ==, 1);

  /* By status. */
  set_search (window, "sign-in");
  g_assert_cmpuint (count_shown_cards (window), ==, 1);
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (find_card (window, "Canvas"))));
  set_search (window, "error");
  g_assert_cmpuint (count_shown_cards (window), ==, 1);
  g_assert_true (gtk_widget_get_child_visible (GTK_WIDGET (find_card (window, "College ERP & Fees"))));

  /* Nothing found says so. */
  set_search (window, "blackboard");
  g_assert_cmpstr (shown_status_page_title (window), ==, "No Matching Integrations");
  lia_gui_test_save_screenshot (window, "no-matches-1280x800");

  /* Closing the bar with its button shows everything again. */
  gtk_toggle_button_set_active (search_button, FALSE);
  lia_gui_test_settle ();
  g_assert_false (gtk_search_bar_get_search_mode (bar));
  set_search (window, "");
  g_assert_cmpuint (count_shown_cards (window), ==, 4);
  g_assert_null (shown_status_page_title (window));

  lia_gui_test_close_window (window);
}

typedef struct {
  LiaDatabase *db;
  const char  *sql;
  gint64       expected;
  GtkSwitch   *widget;
} DbWait;

static gboolean
database_says (gpointer data)
{
  DbWait *wait = data;

  return query_int (wait->db, wait->sql) == wait->expected &&
         (wait->widget == NULL || gtk_widget_get_sensitive (GTK_WIDGET (wait->widget)));
}

static void
test_cards_enable (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  CardWait wait = { NULL, NULL, 4, NULL };
  DbWait db_wait = { NULL, "SELECT enabled FROM integrations WHERE name = 'College ERP & Fees'", 0, NULL };
  LiaIntegrationRow *card;
  GtkWidget *window;
  GtkSwitch *toggle;

  window = open_one_of_each (db_path, &db);
  wait.window = window;
  db_wait.db = db;

  /* Off: the database says so, then the card. */
  card = find_card (window, "College ERP & Fees");
  toggle = GTK_SWITCH (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_SWITCH));
  db_wait.widget = toggle;
  gtk_switch_set_active (toggle, FALSE);
  g_assert_true (lia_gui_test_wait_until (database_says, &db_wait));
  wait.name = "College ERP & Fees";
  wait.text = "Inactive";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  g_assert_false (gtk_switch_get_state (toggle));

  /* And on again. */
  db_wait.expected = 1;
  gtk_switch_set_active (toggle, TRUE);
  g_assert_true (lia_gui_test_wait_until (database_says, &db_wait));
  wait.text = "Error";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  g_assert_true (gtk_switch_get_state (toggle));

  /* When the database refuses, the switch goes back. */
  lia_gui_test_exec_sql (db, "CREATE TRIGGER no_disabling BEFORE UPDATE OF enabled ON integrations"
                " BEGIN SELECT RAISE (ABORT, 'read-only for the test'); END");
  gtk_switch_set_active (toggle, FALSE);
  db_wait.expected = 1;
  g_assert_true (lia_gui_test_wait_until (database_says, &db_wait));
  g_assert_true (gtk_switch_get_active (toggle));
  g_assert_true (gtk_switch_get_state (toggle));
  lia_gui_test_exec_sql (db, "DROP TRIGGER no_disabling");

  lia_gui_test_close_window (window);
}

static gboolean
has_message_dialog (gpointer data)
{
  return lia_gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static void
test_cards_delete (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  CardWait wait = { NULL, NULL, 4, NULL };
  DbWait db_wait = { NULL, "SELECT count(*) FROM integrations WHERE name = 'College ERP & Fees'", 0, NULL };
  LiaIntegrationRow *card;
  AdwMessageDialog *dialog;
  GtkWidget *window;

  window = open_one_of_each (db_path, &db);
  wait.window = window;
  db_wait.db = db;
  card = find_card (window, "College ERP & Fees");

  /* Cancel keeps it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (card), "card.delete", NULL));
  g_assert_true (lia_gui_test_wait_until (has_message_dialog, NULL));
  dialog = ADW_MESSAGE_DIALOG (lia_gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “College ERP & Fees”?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "Its synced data, its 2 sync runs and its stored credentials will be removed."
                   " This cannot be undone.");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "delete"), ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  lia_gui_test_save_screenshot (GTK_WIDGET (dialog), "delete-dialog");
  adw_message_dialog_response (dialog, "cancel");
  lia_gui_test_settle ();
  g_assert_cmpint (query_int (db, db_wait.sql), ==, 1);

  /* Delete removes it, its runs with it, and its card. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (card), "card.delete", NULL));
  g_assert_true (lia_gui_test_wait_until (has_message_dialog, NULL));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (lia_gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)), "delete");
  g_assert_true (lia_gui_test_wait_until (database_says, &db_wait));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sync_runs r"
                                  " WHERE NOT EXISTS (SELECT 1 FROM integrations i WHERE i.id = r.integration_id)"), ==, 0);
  wait.n_cards = 3;
  g_assert_true (lia_gui_test_wait_until (shows_n_cards, &wait));
  g_assert_null (find_card (window, "College ERP & Fees"));

  lia_gui_test_close_window (window);
}

/* --- Cases: syncing ------------------------------------------------------ */

typedef struct {
  LiaIntegrationRow *card;
  gint64             seen_records;
  gboolean           saw_status;
  const char        *expected;      /* the end of the label with a bar */
} ProgressWait;

/* While the card syncs: its status and a record count that grows. */
static gboolean
shows_progress (gpointer data)
{
  ProgressWait *wait = data;
  GtkLabel *label = card_progress_label (wait->card);
  const char *text = gtk_label_get_label (label);
  gint64 records;

  if (!gtk_widget_is_drawable (GTK_WIDGET (label)))
    return FALSE;
  if (g_strcmp0 (card_status (wait->card), "Syncing") == 0)
    wait->saw_status = TRUE;
  if (!g_str_has_suffix (text, " records"))
    return FALSE;
  records = g_ascii_strtoll (text, NULL, 10);
  if (records > wait->seen_records && wait->seen_records > 0)
    return TRUE;
  wait->seen_records = MAX (wait->seen_records, records);
  return FALSE;
}

/* While the card syncs again: a bar that fills against the records of the
 * last successful sync, which the label says. */
static gboolean
shows_expected (gpointer data)
{
  ProgressWait *wait = data;
  GtkWidget *bar = lia_gui_test_find (GTK_WIDGET (wait->card), GTK_TYPE_PROGRESS_BAR);
  const char *text = gtk_label_get_label (card_progress_label (wait->card));

  return gtk_widget_is_drawable (bar) && g_str_has_suffix (text, wait->expected) &&
         g_ascii_strtoll (text, NULL, 10) > 0;
}

/* A bar in activity mode: GTK marks its moving block "pulse". */
static gboolean
bar_pulses (gpointer bar)
{
  GtkWidget *block = gtk_widget_get_first_child (GTK_WIDGET (bar));

  for (; block != NULL; block = gtk_widget_get_next_sibling (block))
    {
      GtkWidget *child;

      if (gtk_widget_has_css_class (block, "pulse"))
        return TRUE;
      for (child = gtk_widget_get_first_child (block); child != NULL; child = gtk_widget_get_next_sibling (child))
        if (gtk_widget_has_css_class (child, "pulse"))
          return TRUE;
    }
  return FALSE;
}

static void
test_cards_sync (void)
{
  g_autoptr(School) school = school_new ();
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *json = rest_config ("Student Records", school->url);
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  CardWait wait = { NULL, NULL, 1, NULL };
  ProgressWait progress = { NULL, 0, FALSE, NULL };
  LiaIntegrationRow *card;
  GtkWidget *window;
  GtkWidget *sync_button;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  lia_gui_test_add_integration (db, json);

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  wait.window = window;
  g_assert_true (lia_gui_test_wait_until (shows_n_cards, &wait));
  card = find_card (window, "Student Records");

  /* Test first: reachable, with its status and time. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (card), "card.test", NULL));
  wait.name = "Student Records";
  wait.text = "Connected (HTTP 200, ";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));

  /* Slow pages, so that the progress shows. */
  set_school (school, 150, 400);
  sync_button = find_actionable (GTK_WIDGET (card), "card.sync");
  g_assert_true (gtk_widget_get_sensitive (sync_button));
  gtk_widget_activate (sync_button);
  progress.card = card;
  g_assert_true (lia_gui_test_wait_until (shows_progress, &progress));
  g_assert_true (progress.saw_status);
  g_assert_true (lia_integration_row_is_syncing (card));
  /* A first sync has no total to go by: the records so far, and a bar
   * that pulses with each report. */
  g_assert_true (gtk_widget_is_drawable (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_PROGRESS_BAR)));
  g_assert_true (bar_pulses (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_PROGRESS_BAR)));
  g_assert_false (gtk_widget_get_sensitive (sync_button));
  g_assert_true (gtk_widget_get_sensitive (find_actionable (GTK_WIDGET (card), "card.cancel")));

  wait.text = "Last sync just now · Succeeded";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  g_assert_cmpstr (card_status (card), ==, "Active");
  g_assert_false (gtk_widget_is_drawable (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_PROGRESS_BAR)));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM students"), ==, 400);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sync_runs WHERE status = 'success' AND trigger = 'manual'"), ==, 1);

  /* Cancel stops it at a page boundary: recorded as cancelled. */
  set_school (school, 300, 400);
  gtk_widget_activate (sync_button);
  progress.seen_records = 0;
  g_assert_true (lia_gui_test_wait_until (shows_progress, &progress));
  /* This time the last sync tells what to expect. */
  progress.expected = " of about 400 records";
  g_assert_true (lia_gui_test_wait_until (shows_expected, &progress));
  {
    GtkProgressBar *bar = GTK_PROGRESS_BAR (lia_gui_test_find (GTK_WIDGET (card), GTK_TYPE_PROGRESS_BAR));
    gint64 records = g_ascii_strtoll (gtk_label_get_label (card_progress_label (card)), NULL, 10);

    g_assert_false (bar_pulses (bar));
    g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (bar), records / 400.0, 1e-9);
  }
  gtk_widget_activate (find_actionable (GTK_WIDGET (card), "card.cancel"));
  wait.text = "Last sync just now · Cancelled";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sync_runs WHERE status = 'cancelled'"), ==, 1);

  lia_gui_test_close_window (window);
}

typedef struct {
  LiaDatabase *db;
  gint64       runs;
} RunsWait;

static gboolean
has_runs (gpointer data)
{
  RunsWait *wait = data;

  return query_int (wait->db, "SELECT count(*) FROM sync_runs WHERE status != 'running'") == wait->runs;
}

static void
test_cards_sync_all (void)
{
  g_autoptr(School) school = school_new ();
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *first = rest_config ("First School", school->url);
  g_autofree char *second = rest_config ("Second School", school->url);
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  CardWait wait = { NULL, NULL, 3, NULL };
  RunsWait runs = { NULL, 2 };
  GtkWidget *window;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  lia_gui_test_add_integration (db, first);
  lia_gui_test_add_integration (db, second);
  lia_gui_test_add_integration (db, "{\"name\": \"Switched Off\", \"kind\": \"file\", \"folder\": \"/nowhere\","
                       " \"enabled\": false, \"endpoints\": {\"students\": \"*.csv\"}}");
  runs.db = db;

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  wait.window = window;
  g_assert_true (lia_gui_test_wait_until (shows_n_cards, &wait));

  /* Ctrl+R: the enabled ones only. */
  g_assert_true (gtk_widget_activate_action (window, "win.sync-all", NULL));
  g_assert_true (lia_gui_test_wait_until (has_runs, &runs));
  wait.name = "First School";
  wait.text = "Last sync just now · Succeeded";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  wait.name = "Second School";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  g_assert_cmpstr (label_starting_with (GTK_WIDGET (find_card (window, "Switched Off")), "Never"), ==, "Never synced");

  lia_gui_test_close_window (window);
}

static void
test_cards_sample (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = g_build_filename (g_get_user_data_dir (), "liaison", "sample", "students.csv", NULL);
  CardWait wait = { NULL, NULL, 1, NULL };
  GtkWidget *window;
  GtkWidget *explore;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  wait.window = window;
  explore = find_actionable (window, "page.explore-sample");
  g_assert_nonnull (explore);
  g_assert_true (gtk_widget_get_sensitive (explore));
  gtk_widget_activate (explore);

  wait.name = "Sample School";
  wait.text = "Last sync just now · Succeeded";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  g_assert_cmpstr (card_status (find_card (window, "Sample School")), ==, "Active");
  g_assert_true (g_file_test (copied, G_FILE_TEST_IS_REGULAR));

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM students"), ==, 60);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM faculty"), ==, 8);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM subjects"), ==, 8);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sessions"), ==, 120);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM attendance"), ==, 1500);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM marks"), ==, 200);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sync_log"), ==, 0);
  /* 08:50 in London: GMT before 30 March 2025, BST after. */
  g_assert_cmpint (query_int (db, "SELECT min (start_at) FROM sessions"), ==, 1742201400);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sessions WHERE external_id = 'TT-20250331-9A-MA9'"
                                  " AND start_at = 1743407400"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM students WHERE name = 'Zoë Müller'"), ==, 1);

  /* Its folder test says what it found. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_card (window, "Sample School")), "card.test", NULL));
  wait.text = "1 file matches students.csv";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));

  save_screenshots (window, "sample-1280x800");
  lia_gui_test_close_window (window);
}

/* --- Cases: screenshots -------------------------------------------------- */

static void
test_screenshots (void)
{
  g_autoptr(School) school = school_new ();
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *json = rest_config ("Admissions and Student Information System", school->url);
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  CardWait wait = { NULL, NULL, 5, NULL };
  ProgressWait progress = { NULL, 0, FALSE, NULL };
  LiaSyncController *controller;
  GtkWidget *wide;
  GtkWidget *narrow;
  gint64 sis;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  add_one_of_each (db);
  sis = lia_gui_test_add_integration (db, json);
  add_run (db, sis, "success", 40);
  lia_gui_test_exec_sql (db, "INSERT INTO sync_run_counts (run_id, data_type, processed, created, updated, unchanged, deleted, errors)"
                " VALUES (last_insert_rowid (), 'students', 2000, 0, 0, 2000, 0, 0)");

  /* Two windows on one database share its syncs. */
  wide = lia_gui_test_open_window (app, db_path, 1280, 800);
  narrow = lia_gui_test_open_window (app, db_path, 360, 720);
  controller = lia_window_get_sync_controller (LIA_WINDOW (wide));
  g_assert_true (controller == lia_window_get_sync_controller (LIA_WINDOW (narrow)));
  lia_sync_controller_start_scheduler (controller);
  wait.window = wide;
  g_assert_true (lia_gui_test_wait_until (shows_n_cards, &wait));
  wait.window = narrow;
  g_assert_true (lia_gui_test_wait_until (shows_n_cards, &wait));
  wait.name = "Moodle – Lycée Jean Moulin";
  wait.text = "Next sync in";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));

  /* A sync under way, slow enough for four pictures. */
  set_school (school, 500, 2000);
  g_assert_true (lia_sync_controller_sync (controller, sis));
  progress.card = find_card (narrow, "Admissions and Student Information System");
  progress.expected = " of about 2000 records";
  g_assert_true (lia_gui_test_wait_until (shows_progress, &progress));
  g_assert_true (lia_gui_test_wait_until (shows_expected, &progress));
  g_assert_true (lia_integration_row_is_syncing (find_card (wide, "Admissions and Student Information System")));

  save_screenshots (wide, "integrations-1280x800");
  save_screenshots (narrow, "integrations-360x720");

  /* Nothing is cut off: the narrow window stays as narrow as asked. */
  g_assert_cmpint (gtk_widget_get_width (narrow), ==, 360);

  lia_sync_controller_cancel (controller, sis);
  wait.window = wide;
  wait.name = "Admissions and Student Information System";
  wait.text = "Last sync just now · Cancelled";
  g_assert_true (lia_gui_test_wait_until (card_shows, &wait));
  lia_sync_controller_shutdown (controller);

  lia_gui_test_close_window (narrow);
  lia_gui_test_close_window (wide);
}

static void
test_screenshots_empty (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);

  window = lia_gui_test_open_window (app, db_path, 360, 720);
  g_assert_true (lia_gui_test_wait_until (shows_status_page, window));
  g_assert_cmpstr (shown_status_page_title (window), ==, "No Integrations Yet");
  save_screenshots (window, "empty-360x720");
  g_assert_cmpint (gtk_widget_get_width (window), ==, 360);
  lia_gui_test_close_window (window);
}

/* --- Cases: the application ---------------------------------------------- */

/* A stand-in for GNOME Shell's org.gtk.Notifications, on the test's own
 * session bus: GLib sends GNotifications there when the name has an owner. */
static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static GVariant *last_notification;
static char *last_notification_id;
static gboolean name_owned;

static void
on_notification_method_cb (GDBusConnection       *connection,
                           const char            *sender,
                           const char            *object_path,
                           const char            *interface_name,
                           const char            *method_name,
                           GVariant              *parameters,
                           GDBusMethodInvocation *invocation,
                           gpointer               user_data)
{
  if (g_str_equal (method_name, "AddNotification"))
    {
      g_clear_pointer (&last_notification, g_variant_unref);
      g_clear_pointer (&last_notification_id, g_free);
      g_variant_get (parameters, "(s&s@a{sv})", NULL, &last_notification_id, &last_notification);
      last_notification_id = g_strdup (last_notification_id);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  name_owned = TRUE;
}

static gboolean
is_name_owned (gpointer data)
{
  return name_owned;
}

static gboolean
has_notification (gpointer data)
{
  return last_notification != NULL;
}

static gboolean
has_window_for (gpointer data)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (LIA_IS_WINDOW (l->data) && g_strcmp0 (lia_window_get_database_path (l->data), data) == 0)
      return TRUE;
  return FALSE;
}

static void
test_app_notification (void)
{
  static const GDBusInterfaceVTable vtable = { on_notification_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;
  LiaSyncController *controller;
  guint object_id;
  guint owner_id;
  gint64 id;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  object_id = g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                                 &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  owner_id = g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                           on_name_acquired_cb, NULL, NULL, NULL);
  g_assert_true (lia_gui_test_wait_until (is_name_owned, NULL));

  /* Nothing listens on port 1: the scheduled sync fails at once. */
  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  id = lia_gui_test_add_integration (db, "{\"name\": \"College ERP\", \"kind\": \"rest\", \"baseUrl\": \"http://127.0.0.1:1\","
                            " \"maxRetries\": 0, \"endpoints\": {\"students\": \"/students\"}}");

  /* No window: as when running in the background. */
  controller = lia_application_get_sync_controller (LIA_APPLICATION (app), db_path);
  lia_sync_controller_start_scheduler (controller);
  g_assert_true (lia_gui_test_wait_until (has_notification, NULL));
  lia_sync_controller_shutdown (controller);

  g_assert_cmpstr (last_notification_id, ==, "sync-failed-1");
  g_assert_true (g_variant_lookup (last_notification, "title", "s", &title));
  g_assert_cmpstr (title, ==, "Sync of “College ERP” failed");
  g_assert_true (g_variant_lookup (last_notification, "default-action", "s", &action));
  g_assert_cmpstr (action, ==, "app.show-run");
  target = g_variant_lookup_value (last_notification, "default-action-target", G_VARIANT_TYPE_INT64);
  g_assert_nonnull (target);
  g_assert_cmpint (g_variant_get_int64 (target),
                   ==, query_int (db, "SELECT max (id) FROM sync_runs WHERE trigger = 'scheduled' AND status = 'error'"));
  g_assert_cmpint (id, ==, 1);

  /* Its action opens a window on that database. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-run", target);
  g_assert_true (lia_gui_test_wait_until (has_window_for, db_path));
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (LIA_IS_WINDOW (l->data) && g_strcmp0 (lia_window_get_database_path (l->data), db_path) == 0)
      {
        lia_gui_test_close_window (l->data);
        break;
      }

  g_bus_unown_name (owner_id);
  g_dbus_connection_unregister_object (bus, object_id);
  g_clear_pointer (&last_notification, g_variant_unref);
  g_clear_pointer (&last_notification_id, g_free);
}

static void
test_app_background (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) state = NULL;

  /* The menu's check item is the setting. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "run-in-background"));
  g_action_group_change_action_state (G_ACTION_GROUP (app), "run-in-background", g_variant_new_boolean (TRUE));
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  state = g_action_group_get_action_state (G_ACTION_GROUP (app), "run-in-background");
  g_assert_true (g_variant_get_boolean (state));

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_clear_pointer (&state, g_variant_unref);
  state = g_action_group_get_action_state (G_ACTION_GROUP (app), "run-in-background");
  g_assert_false (g_variant_get_boolean (state));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (argc == 3 && g_str_equal (argv[1], "--serve"))
    return serve (argv[2]);

  /* Each test program runs in a bus of its own; no need to be the only
   * instance. */
  app = lia_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/integrations/text/next-sync", test_text_next_sync);
  g_test_add_func ("/gui/integrations/text/misc", test_text_misc);
  g_test_add_func ("/gui/integrations/sample-config", test_sample_config);
  g_test_add_func ("/gui/integrations/statuses", test_cards_statuses);
  g_test_add_func ("/gui/integrations/search", test_cards_search);
  g_test_add_func ("/gui/integrations/enable", test_cards_enable);
  g_test_add_func ("/gui/integrations/delete", test_cards_delete);
  g_test_add_func ("/gui/integrations/sync", test_cards_sync);
  g_test_add_func ("/gui/integrations/sync-all", test_cards_sync_all);
  g_test_add_func ("/gui/integrations/sample", test_cards_sample);
  g_test_add_func ("/gui/integrations/screenshots", test_screenshots);
  g_test_add_func ("/gui/integrations/screenshots-empty", test_screenshots_empty);
  g_test_add_func ("/gui/app/notification", test_app_notification);
  g_test_add_func ("/gui/app/background", test_app_background);

  status = g_test_run ();

  g_object_unref (app);
  return status;
}
