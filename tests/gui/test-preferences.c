/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <string.h>

#include "lia-database.h"
#include "lia-gui-test.h"
#include "lia-history.h"
#include "lia-integration-store.h"
#include "lia-preferences.h"
#include "lia-test-util.h"
#include "lia-util.h"
#include "lia-window.h"

/* The Preferences window driven through its widgets, against GSettings'
 * memory backend (GSETTINGS_BACKEND=memory) and a test database; and the
 * application's Help and Preferences actions. */
static GApplication *app;

#define DAY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))

/* --- Helpers ------------------------------------------------------------- */

static LiaPreferences *
find_preferences (void)
{
  return LIA_PREFERENCES (lia_gui_test_find_toplevel (LIA_TYPE_PREFERENCES));
}

static guint
count_preferences (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    n += LIA_IS_PREFERENCES (l->data);
  return n;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return ADW_MESSAGE_DIALOG (lia_gui_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static gboolean
preferences_shown (gpointer data)
{
  LiaPreferences *preferences = find_preferences ();

  return preferences != NULL && gtk_widget_get_mapped (GTK_WIDGET (preferences));
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* Opens Preferences the way the menu does, from @window. */
static LiaPreferences *
open_preferences (GtkWidget *window)
{
  gtk_window_present (GTK_WINDOW (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (lia_gui_test_wait_until (preferences_shown, NULL));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (find_preferences ())) == GTK_WINDOW (window));
  return find_preferences ();
}

static void
close_preferences (LiaPreferences *preferences)
{
  lia_gui_test_close_window (GTK_WIDGET (preferences));
}

/* The row whose title, without its mnemonic, is @title. */
static AdwActionRow *
find_row (GtkWidget  *root,
          const char *title)
{
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (root, ADW_TYPE_ACTION_ROW, FALSE);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GString) plain = g_string_new (adw_preferences_row_get_title (g_ptr_array_index (rows, i)));

      g_string_replace (plain, "_", "", 0);
      if (g_str_equal (plain->str, title))
        return g_ptr_array_index (rows, i);
    }
  g_error ("No row “%s”", title);
  return NULL;
}

static gint64
add_integration (LiaDatabase *db)
{
  return lia_gui_test_add_integration (db, "{\"name\": \"Moodle\", \"kind\": \"moodle\","
                                           " \"baseUrl\": \"https://moodle.example.edu\"}");
}

static void
add_run (LiaDatabase *db,
         gint64       integration_id,
         const char  *status,
         gint64       started_at_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("INSERT INTO sync_runs (integration_id, trigger, status, started_at, finished_at)"
                         " VALUES (%" G_GINT64_FORMAT ", 'scheduled', '%s', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                         integration_id, status, started_at_ms, started_at_ms + 1000);
  lia_database_exec (db, sql, &error);
  g_assert_no_error (error);
}

static gint64
count_runs (const char *db_path)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  LiaHistoryFilter filter = { 0 };
  gint64 count;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  count = lia_history_count (db, &filter, &error);
  g_assert_no_error (error);
  return count;
}

static gboolean
switch_is_on (gpointer data)
{
  return gtk_switch_get_active (data);
}

static gboolean
folder_is_default (gpointer data)
{
  g_autofree char *folder = g_settings_get_string (data, "default-export-folder");

  return *folder == '\0';
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
shows_label (gpointer data)
{
  LabelWait *wait = data;

  return lia_gui_test_shows_label (wait->root, wait->text);
}

/* --- Cases --------------------------------------------------------------- */

static void
test_preferences_settings (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *folder = lia_test_tmpdir ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  LiaPreferences *preferences;
  GtkWidget *window;
  AdwActionRow *row;
  g_autoptr(GPtrArray) buttons = NULL;
  GtkWidget *control;
  GtkWidget *reset = NULL;

  g_settings_set_boolean (settings, "run-in-background", FALSE);
  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  preferences = open_preferences (window);

  /* Asking again shows the same window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_cmpuint (count_preferences (), ==, 1);

  /* Run in Background: activating the row flips its switch, which
   * writes the key; the key written elsewhere (the menu) shows. */
  row = find_row (GTK_WIDGET (preferences), "Run in Background");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Keep syncing on schedule after the window is closed");
  control = adw_action_row_get_activatable_widget (row);
  g_assert_true (GTK_IS_SWITCH (control));
  gtk_test_accessible_assert_property (control, GTK_ACCESSIBLE_PROPERTY_LABEL, "Run in Background");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (control)));
  adw_action_row_activate (row);
  g_assert_true (lia_gui_test_wait_until (switch_is_on, control));  /* it slides over */
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "run-in-background", NULL);
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (control)));

  /* Excel-friendly CSV. */
  row = find_row (GTK_WIDGET (preferences), "Excel-Friendly CSV (BOM)");
  control = adw_action_row_get_activatable_widget (row);
  gtk_test_accessible_assert_property (control, GTK_ACCESSIBLE_PROPERTY_LABEL, "Excel-Friendly CSV (BOM)");
  g_assert_false (g_settings_get_boolean (settings, "export-bom"));
  adw_action_row_activate (row);
  g_assert_true (lia_gui_test_wait_until (switch_is_on, control));
  g_assert_true (g_settings_get_boolean (settings, "export-bom"));

  /* Retention: the spin buttons hold the keys. */
  control = adw_action_row_get_activatable_widget (find_row (GTK_WIDGET (preferences), "Days to Keep"));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control)), ==, 90);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control), 30);
  g_assert_cmpint (g_settings_get_int (settings, "history-retention-days"), ==, 30);
  control = adw_action_row_get_activatable_widget (find_row (GTK_WIDGET (preferences), "Runs to Keep"));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control)), ==, 100000);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control), 500);
  g_assert_cmpint (g_settings_get_int (settings, "history-retention-runs"), ==, 500);

  /* The export folder: the row shows the key; Reset empties it. */
  row = find_row (GTK_WIDGET (preferences), "Default Export Folder");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "(the default)"));
  g_settings_set_string (settings, "default-export-folder", folder);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, folder);
  {
    g_autofree char *exports = g_build_filename (g_get_home_dir (), "Exports", NULL);

    g_settings_set_string (settings, "default-export-folder", exports);
    g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "~/Exports");
  }
  lia_gui_test_save_screenshot (GTK_WIDGET (preferences), "preferences");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  lia_gui_test_save_screenshot (GTK_WIDGET (preferences), "preferences-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Both icon buttons have a tooltip and a name. */
  buttons = lia_gui_test_find_all (GTK_WIDGET (row), GTK_TYPE_BUTTON, TRUE);
  g_assert_cmpuint (buttons->len, ==, 2);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);

      g_assert_nonnull (gtk_widget_get_tooltip_text (button));
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL));
      if (g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (button)), "edit-undo-symbolic") == 0)
        reset = button;
    }
  g_assert_nonnull (reset);
  g_assert_true (gtk_widget_get_sensitive (reset));
  gtk_widget_activate (reset);  /* pressed for a moment, then clicked */
  g_assert_true (lia_gui_test_wait_until (folder_is_default, settings));
  g_assert_false (gtk_widget_get_sensitive (reset));

  close_preferences (preferences);
  g_settings_reset (settings, "export-bom");
  g_settings_reset (settings, "history-retention-days");
  g_settings_reset (settings, "history-retention-runs");
  lia_gui_test_close_window (window);
}

static void
test_preferences_prune (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  LiaPreferences *preferences;
  AdwMessageDialog *dialog;
  GtkWidget *window;
  GtkWidget *button;
  GtkWidget *spin;
  LabelWait wait;
  gint64 integration;
  gint64 now = lia_now_ms ();

  /* Ten runs, half a day to nine and a half days old, and a running one
   * that no pruning touches. */
  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  integration = add_integration (db);
  for (int i = 0; i < 10; i++)
    add_run (db, integration, i % 3 == 0 ? "error" : "success", now - i * DAY_MS - DAY_MS / 2);
  add_run (db, integration, "running", now - 20 * DAY_MS);
  g_clear_pointer (&db, lia_database_close);
  g_assert_cmpint (count_runs (db_path), ==, 11);

  window = lia_gui_test_open_window (app, db_path, 1280, 800);
  preferences = open_preferences (window);

  spin = adw_action_row_get_activatable_widget (find_row (GTK_WIDGET (preferences), "Days to Keep"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 5);
  spin = adw_action_row_get_activatable_widget (find_row (GTK_WIDGET (preferences), "Runs to Keep"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 4);

  /* Cancelling the question deletes nothing. */
  button = lia_gui_test_find_button (GTK_WIDGET (preferences), "Delete _Old History Now");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  g_assert_true (lia_gui_test_wait_until (message_dialog_shown, NULL));
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete Old History?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "more than 5 days ago"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "newest 4 runs"));
  adw_message_dialog_response (dialog, "cancel");
  lia_gui_test_settle ();
  g_assert_cmpint (count_runs (db_path), ==, 11);

  /* Deleting: five runs are older than five days; of the other five and
   * the running one, the newest four stay, and the running one always. */
  gtk_widget_activate (button);
  g_assert_true (lia_gui_test_wait_until (message_dialog_shown, NULL));
  adw_message_dialog_response (find_message_dialog (), "delete");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_true (lia_gui_test_wait_until (is_sensitive, button));
  g_assert_cmpint (count_runs (db_path), ==, 5);
  wait = (LabelWait) { GTK_WIDGET (preferences), "Deleted 6 runs" };
  g_assert_true (lia_gui_test_wait_until (shows_label, &wait));

  /* Again: nothing left to delete. */
  gtk_widget_activate (button);
  g_assert_true (lia_gui_test_wait_until (message_dialog_shown, NULL));
  adw_message_dialog_response (find_message_dialog (), "delete");
  g_assert_true (lia_gui_test_wait_until (is_sensitive, button));
  g_assert_cmpint (count_runs (db_path), ==, 5);

  close_preferences (preferences);
  g_settings_reset (settings, "history-retention-days");
  g_settings_reset (settings, "history-retention-runs");
  lia_gui_test_close_window (window);
}

/* app.help (F1) and app.preferences (Ctrl+,) exist, with their
 * shortcuts, and the primary menu offers both. */
static void
test_preferences_actions (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_auto(GStrv) help_accels = NULL;
  g_auto(GStrv) preferences_accels = NULL;
  g_autoptr(GPtrArray) menu_buttons = NULL;
  GMenuModel *menu = NULL;
  gboolean has_help = FALSE;
  gboolean has_preferences = FALSE;
  GtkWidget *window;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  help_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.help");
  preferences_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_true (g_strv_contains ((const char * const *) help_accels, "F1"));
  g_assert_true (g_strv_contains ((const char * const *) preferences_accels, "<Control>comma"));

  window = lia_gui_test_open_window (app, db_path, 800, 600);
  menu_buttons = lia_gui_test_find_all (window, GTK_TYPE_MENU_BUTTON, FALSE);
  for (guint i = 0; i < menu_buttons->len; i++)
    if (gtk_menu_button_get_primary (g_ptr_array_index (menu_buttons, i)))
      menu = gtk_menu_button_get_menu_model (g_ptr_array_index (menu_buttons, i));
  g_assert_nonnull (menu);

  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      GMenuModel *section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *action = NULL;

          if (!g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
            continue;
          has_help |= g_str_equal (action, "app.help");
          has_preferences |= g_str_equal (action, "app.preferences");
        }
      g_clear_object (&section);
    }
  g_assert_true (has_help);
  g_assert_true (has_preferences);

  lia_gui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = lia_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/preferences/settings", test_preferences_settings);
  g_test_add_func ("/gui/preferences/prune", test_preferences_prune);
  g_test_add_func ("/gui/preferences/actions", test_preferences_actions);

  status = g_test_run ();

  g_object_unref (app);
  return status;
}
