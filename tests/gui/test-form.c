/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-form"

#include "config.h"

#include <string.h>

#include "lia-application.h"
#include "lia-database.h"
#include "lia-gui-test.h"
#include "lia-integration-form.h"
#include "lia-integration-store.h"
#include "lia-mapping-editor.h"
#include "lia-secrets.h"
#include "lia-test-server.h"
#include "lia-test-util.h"
#include "lia-window.h"

/* The integration form driven through its widgets, as a user would: type,
 * see the problems where they are, fix them, test, preview the mapping,
 * save, edit, sign in. */

#define TOKEN "form-t0ken-s3cret"

static GApplication *app;

/* --- Helpers ------------------------------------------------------------- */

/* The preferences row titled @title that shows (or would, opened): unlike
 * lia_gui_test_find_row(), a visible one only. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (root, ADW_TYPE_PREFERENCES_ROW, FALSE);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (gtk_widget_is_visible (row) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
        return row;
    }
  return NULL;
}

static gboolean
form_shows (gpointer data)
{
  GtkWidget **form = data;

  *form = lia_gui_test_find_toplevel (LIA_TYPE_INTEGRATION_FORM);
  return *form != NULL && gtk_widget_get_mapped (*form);
}

static gboolean
is_gone (gpointer data)
{
  g_autoptr(GObject) object = g_weak_ref_get (data);

  return object == NULL;
}

/* Clicks @label in @window, which closes it (at once or later). */
static void
click_to_close (GtkWidget  *window,
                const char *label)
{
  GtkWidget *button = lia_gui_test_find_button (window, label);
  GWeakRef ref;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_weak_ref_init (&ref, window);
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (lia_gui_test_wait_until (is_gone, &ref));
  g_weak_ref_clear (&ref);
}

static void
type_into (GtkWidget  *form,
           const char *title,
           const char *text)
{
  GtkWidget *row = find_row (form, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static const char *
row_problem (GtkWidget  *form,
             const char *title)
{
  GtkWidget *row = find_row (form, title);

  g_assert_nonnull (row);
  return gtk_widget_has_css_class (row, "error") ? gtk_widget_get_tooltip_text (row) : NULL;
}

static gboolean
shows_banner (GtkWidget *form)
{
  GtkWidget *show = lia_gui_test_find_button (form, "S_how");

  return gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_ancestor (show, GTK_TYPE_REVEALER)));
}

static gboolean
can_save (GtkWidget *form)
{
  GtkWidget *save = lia_gui_test_find_button (form, "_Save");

  g_assert_nonnull (save);
  return gtk_widget_is_sensitive (save);
}

static void
click (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = lia_gui_test_find_button (root, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
select_item (GtkWidget  *form,
             const char *title,
             guint       position)
{
  GtkWidget *row = find_row (form, title);

  g_assert_true (ADW_IS_COMBO_ROW (row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
}

/* Scrolls the form's page so that @row shows near the top. */
static void
scroll_to (GtkWidget *form,
           GtkWidget *row)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
  graphene_point_t point;

  lia_gui_test_settle ();
  g_assert_true (gtk_widget_compute_point (row, gtk_scrolled_window_get_child (scroller),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - 60);
}

static gboolean
has_size (gpointer data)
{
  GtkWidget *window = data;
  int width = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (window), "want-width"));

  /* Without a compositor the frame may take a few pixels of the size. */
  return ABS (gtk_widget_get_width (window) - width) <= 10;
}

/* @window at each size, light and dark: name-WxH[-dark].png */
static void
save_screenshots (GtkWidget  *window,
                  const char *name)
{
  static const int sizes[][2] = { { 1280, 800 }, { 360, 720 } };
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      /* A realized window keeps its size: show it anew at the new one. */
      gtk_widget_set_visible (window, FALSE);
      gtk_widget_unrealize (window);
      gtk_window_set_default_size (GTK_WINDOW (window), sizes[s][0], sizes[s][1]);
      gtk_window_present (GTK_WINDOW (window));
      g_object_set_data (G_OBJECT (window), "want-width", GINT_TO_POINTER (sizes[s][0]));
      g_assert_true (lia_gui_test_wait_until (has_size, window));
      g_test_message ("%s: %d×%d", name, gtk_widget_get_width (window), gtk_widget_get_height (window));

      for (guint dark = 0; dark < 2; dark++)
        {
          g_autofree char *file = g_strdup_printf ("%s-%dx%d%s", name, sizes[s][0], sizes[s][1],
                                                   dark ? "-dark" : "");

          adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                          : ADW_COLOR_SCHEME_FORCE_LIGHT);
          lia_gui_test_save_screenshot (window, file);
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_widget_set_visible (window, FALSE);
  gtk_widget_unrealize (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 640, 720);
  gtk_window_present (GTK_WINDOW (window));
}

static gint64
add_integration (const char *db_path,
                 const char *json)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  return lia_gui_test_add_integration (db, json);
}

static char *
lookup_secret (const char *db_path,
               gint64      id,
               const char *field)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  char *value;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  value = lia_secrets_lookup (lia_database_get_id (db), id, field, NULL, &error);
  g_assert_no_error (error);
  return value;
}

static GPtrArray *
list_integrations (const char *db_path)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *integrations;

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  integrations = lia_integration_store_list (db, &error);
  g_assert_no_error (error);
  return integrations;
}

/* --- A school system on 127.0.0.1 ---------------------------------------- */

static void
handle_school (SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  if (g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"), "Bearer " TOKEN) != 0)
    lia_test_reply_json (message, 401, "{\"error\": \"unauthorized\"}");
  else if (g_str_equal (path, "/students"))
    lia_test_reply_json (message, 200,
                         "{\"data\": ["
                         "{\"id\": \"s1\", \"fullName\": \"Ada Lovelace\", \"contact\": {\"email\": \"ada@school.test\"}},"
                         "{\"id\": \"s2\", \"fullName\": \"Alan Turing\", \"contact\": {}},"
                         "{\"id\": \"s3\", \"fullName\": \"Grace Hopper\", \"contact\": {\"email\": \"grace@school.test\"}}"
                         "]}");
  else
    lia_test_reply_json (message, 404, "{}");
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
shows_label_cb (gpointer data)
{
  LabelWait *wait = data;

  return lia_gui_test_shows_label (wait->root, wait->text);
}

static gboolean
test_row_says_cb (gpointer data)
{
  LabelWait *wait = data;
  GtkWidget *row = find_row (wait->root, "Test Connection");
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  return subtitle != NULL && g_str_has_prefix (subtitle, wait->text);
}

/* --- Cases --------------------------------------------------------------- */

static void
test_form_add (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new (handle_school, NULL);
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GPtrArray) integrations = NULL;
  g_autofree char *secret = NULL;
  GtkWidget *window = lia_gui_test_open_window (app, db_path, 1280, 800);
  GtkWidget *form = NULL;
  GtkWidget *editor = NULL;
  GtkWidget *mappings_row;
  LiaIntegration *integration;
  LabelWait wait;
  GtkSpinButton *spin;

  /* Ctrl+N's action: an empty form, Generic REST to start from. */
  gtk_widget_activate_action (window, "win.add-integration", NULL);
  g_assert_true (lia_gui_test_wait_until (form_shows, &form));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (form)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (form)) == GTK_WINDOW (window));
  g_assert_nonnull (find_row (form, "Template"));
  g_assert_false (can_save (form));
  /* Nothing typed yet: the banner counts, the rows stay calm. */
  g_assert_true (lia_gui_test_shows_label (form, "Fix 2 problems to save"));
  g_assert_null (row_problem (form, "Base URL"));

  /* A bad URL: on its row, and Save stays off. */
  type_into (form, "Base URL", "erp.example.edu/api");
  g_assert_cmpstr (row_problem (form, "Base URL"), ==, "not an http or https URL");
  g_assert_false (can_save (form));

  /* Every 3 minutes is too often. */
  spin = GTK_SPIN_BUTTON (lia_gui_test_find (find_row (form, "Sync Every"), GTK_TYPE_SPIN_BUTTON));
  gtk_spin_button_set_value (spin, 3);
  g_assert_cmpstr (row_problem (form, "Sync Every"), ==, "must be at least 5 minutes");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (form, "Sync Every"))), ==,
                   "must be at least 5 minutes");

  /* A bearer token is required; "Show" brings out the untouched rows. */
  g_assert_true (lia_gui_test_shows_label (form, "Fix 3 problems to save"));
  g_assert_null (row_problem (form, "Token"));
  click (form, "S_how");
  g_assert_cmpstr (row_problem (form, "Token"), ==, "required");
  save_screenshots (form, "form-add-errors");

  /* Fixed, one by one. */
  type_into (form, "Base URL", lia_test_server_get_url (server));
  gtk_spin_button_set_value (spin, 30);
  g_assert_null (row_problem (form, "Sync Every"));
  g_assert_false (can_save (form));
  type_into (form, "Token", TOKEN);
  type_into (form, "Name", "College ERP");
  g_assert_null (row_problem (form, "Token"));
  g_assert_true (can_save (form));
  g_assert_false (shows_banner (form));

  /* The data comes from "data" in the answer. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (form, "Students")), TRUE);
  type_into (form, "Records Path", "data");

  /* Test Connection, unsaved, with the typed token. */
  click (form, "_Test");
  wait = (LabelWait) { form, "HTTP 200 · " };
  g_assert_true (lia_gui_test_wait_until (test_row_says_cb, &wait));

  /* The mapping editor: three paths, and a sample page mapped. */
  mappings_row = find_row (find_row (form, "Students"), "Field Mappings");
  g_assert_nonnull (mappings_row);
  adw_action_row_activate (ADW_ACTION_ROW (mappings_row));
  editor = lia_gui_test_find_toplevel (LIA_TYPE_MAPPING_EDITOR);
  g_assert_nonnull (editor);
  gtk_editable_set_text (GTK_EDITABLE (lia_gui_test_find (find_row (editor, "externalId"), GTK_TYPE_ENTRY)), "id");
  gtk_editable_set_text (GTK_EDITABLE (lia_gui_test_find (find_row (editor, "name"), GTK_TYPE_ENTRY)), "fullName");
  gtk_editable_set_text (GTK_EDITABLE (lia_gui_test_find (find_row (editor, "email"), GTK_TYPE_ENTRY)), "contact.email");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (editor, "email")), TRUE);
  gtk_switch_set_active (GTK_SWITCH (lia_gui_test_find (find_row (find_row (editor, "email"), "Required"), GTK_TYPE_SWITCH)),
                         TRUE);
  click (editor, "_Fetch Sample");
  wait = (LabelWait) { editor, "Ada Lovelace" };
  g_assert_true (lia_gui_test_wait_until (shows_label_cb, &wait));
  scroll_to (editor, lia_gui_test_find_button (editor, "_Fetch Sample"));
  lia_gui_test_save_screenshot (editor, "mapping-editor-sample");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  lia_gui_test_save_screenshot (editor, "mapping-editor-sample-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_assert_true (lia_gui_test_shows_label (editor, "grace@school.test"));
  g_assert_true (lia_gui_test_shows_label (editor, "Record 2: email: missing (nothing at contact.email)"));
  g_assert_true (lia_gui_test_shows_label (editor, "1 of 3 records shown cannot be mapped."));
  click_to_close (editor, "_Done");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (mappings_row)), ==, "3 fields mapped");

  /* Save: the config in the database, the token in the keyring only. */
  click_to_close (form, "_Save");
  integrations = list_integrations (db_path);
  g_assert_cmpuint (integrations->len, ==, 1);
  integration = g_ptr_array_index (integrations, 0);
  g_assert_cmpstr (integration->name, ==, "College ERP");
  g_assert_cmpint (integration->config->auth_type, ==, LIA_AUTH_BEARER);
  g_assert_cmpint (integration->config->sync_interval, ==, 30);
  g_assert_cmpstr (integration->config->endpoints[LIA_DATA_TYPE_STUDENTS]->records_path, ==, "data");
  g_assert_cmpuint (integration->config->mappings[LIA_DATA_TYPE_STUDENTS]->len, ==, 3);
  secret = lookup_secret (db_path, integration->id, "apiKey");
  g_assert_cmpstr (secret, ==, TOKEN);
  g_assert_false (lia_test_file_contains (db_path, TOKEN));

  lia_gui_test_close_window (window);
}

static void
test_form_edit (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new (handle_school, NULL);
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *json = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  GtkWidget *window;
  GtkWidget *form = NULL;
  LabelWait wait;
  gint64 id;

  json = g_strdup_printf ("{\"name\": \"Student Information System\", \"kind\": \"rest\", \"baseUrl\": \"%s\","
                          " \"authType\": \"bearer\", \"apiKey\": \"" TOKEN "\","
                          " \"headers\": {\"X-School\": \"North\"},"
                          " \"endpoints\": {\"students\": {\"path\": \"/students\", \"recordsPath\": \"data\"}},"
                          " \"fieldMappings\": {\"students\": {\"externalId\": \"id\", \"name\": \"fullName\"}},"
                          " \"syncInterval\": 15}",
                          lia_test_server_get_url (server));
  id = add_integration (db_path, json);
  window = lia_gui_test_open_window (app, db_path, 1280, 800);

  gtk_widget_activate_action (window, "win.edit-integration", "x", id);
  g_assert_true (lia_gui_test_wait_until (form_shows, &form));
  g_assert_null (find_row (form, "Template"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (form, "Name"))), ==, "Student Information System");
  /* The token is "Stored", never shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (form, "Token"))), ==, "");
  g_assert_true (lia_gui_test_shows_label (find_row (form, "Token"), "Stored"));
  g_assert_true (can_save (form));
  g_assert_false (shows_banner (form));

  /* The stored token tests the unsaved form too. */
  click (form, "_Test");
  wait = (LabelWait) { form, "HTTP 200 · " };
  g_assert_true (lia_gui_test_wait_until (test_row_says_cb, &wait));
  save_screenshots (form, "form-edit");
  scroll_to (form, find_row (form, "Sync Every"));
  lia_gui_test_save_screenshot (form, "form-edit-schedule");

  /* A new name only: the token stays in the keyring. */
  type_into (form, "Name", "SIS (North Campus)");
  click_to_close (form, "_Save");
  integrations = list_integrations (db_path);
  g_assert_cmpstr (((LiaIntegration *) g_ptr_array_index (integrations, 0))->name, ==, "SIS (North Campus)");
  g_assert_cmpint (((LiaIntegration *) g_ptr_array_index (integrations, 0))->config->sync_interval, ==, 15);
  g_assert_cmpuint (((LiaIntegration *) g_ptr_array_index (integrations, 0))->config->headers->len, ==, 1);
  secret = lookup_secret (db_path, id, "apiKey");
  g_assert_cmpstr (secret, ==, TOKEN);

  lia_gui_test_close_window (window);
}

static void
test_form_headers (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  GtkWidget *window = lia_gui_test_open_window (app, db_path, 1280, 800);
  GtkWidget *form = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GtkWidget *name_entry;

  gtk_widget_activate_action (window, "win.add-integration", NULL);
  g_assert_true (lia_gui_test_wait_until (form_shows, &form));
  type_into (form, "Base URL", "https://erp.example.edu");
  type_into (form, "Token", TOKEN);
  g_assert_true (can_save (form));

  gtk_widget_activate_action (form, "form.add-header", NULL);
  g_assert_nonnull (find_row (form, "Header 1"));
  g_assert_true (can_save (form));  /* a blank row says nothing */

  entries = lia_gui_test_find_all (find_row (form, "Header 1"), GTK_TYPE_ENTRY, FALSE);
  name_entry = g_ptr_array_index (entries, 0);
  gtk_editable_set_text (GTK_EDITABLE (name_entry), "Authorization");
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 1)), "Bearer x");
  g_assert_true (gtk_widget_has_css_class (name_entry, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (name_entry), ==,
                   "credentials go in apiKey or password, not in headers");
  g_assert_false (can_save (form));

  gtk_editable_set_text (GTK_EDITABLE (name_entry), "X-College-ID");
  g_assert_false (gtk_widget_has_css_class (name_entry, "error"));
  g_assert_true (can_save (form));

  /* Removed, it is gone from the form. */
  g_signal_emit_by_name (lia_gui_test_find_button (find_row (form, "Header 1"), NULL), "clicked");
  g_assert_null (find_row (form, "Header 1"));

  gtk_window_destroy (GTK_WINDOW (form));
  lia_gui_test_close_window (window);
}

static void
test_form_templates (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *folder = lia_test_tmpdir ();
  GtkWidget *window = lia_gui_test_open_window (app, db_path, 1280, 800);
  GtkWidget *form = NULL;

  gtk_widget_activate_action (window, "win.add-integration", NULL);
  g_assert_true (lia_gui_test_wait_until (form_shows, &form));

  /* Moodle: the URL and its web-service token, nothing to choose. */
  select_item (form, "Template", LIA_KIND_MOODLE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (form, "Name"))), ==, "Moodle");
  g_assert_null (find_row (form, "Authentication"));
  g_assert_nonnull (find_row (form, "Web Service Token"));
  type_into (form, "Base URL", "https://moodle.example.edu");
  type_into (form, "Web Service Token", TOKEN);
  g_assert_true (can_save (form));
  lia_gui_test_save_screenshot (form, "form-template-moodle");

  /* Canvas keeps the address and the token. */
  select_item (form, "Template", LIA_KIND_CANVAS);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (form, "Name"))), ==, "Canvas");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (form, "Base URL"))), ==,
                   "https://moodle.example.edu");
  g_assert_nonnull (find_row (form, "Access Token"));
  g_assert_true (can_save (form));

  /* A folder instead of an address, and no token at all. */
  select_item (form, "Template", LIA_KIND_FILE);
  g_assert_null (find_row (form, "Base URL"));
  g_assert_null (find_row (form, "Token"));
  g_assert_nonnull (find_row (form, "Folder"));
  g_assert_false (can_save (form));
  type_into (form, "Folder", folder);
  g_assert_true (can_save (form));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (form, "Students")), TRUE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (form, "File Name or Pattern"))), ==,
                   "students*.csv");
  g_assert_null (find_row (form, "Records Path"));
  lia_gui_test_save_screenshot (form, "form-template-file");

  gtk_window_destroy (GTK_WINDOW (form));
  lia_gui_test_close_window (window);
}

static gboolean
stack_shows (gpointer data)
{
  LabelWait *wait = data;
  GtkWidget *row = find_row (wait->root, "Account");
  GtkStack *stack = GTK_STACK (lia_gui_test_find (row, GTK_TYPE_STACK));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), wait->text) == 0;
}

static void
test_form_sign_in (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GPtrArray) integrations = NULL;
  GtkWidget *window = lia_gui_test_open_window (app, db_path, 1280, 800);
  GtkWidget *form = NULL;
  LabelWait wait;

  gtk_widget_activate_action (window, "win.add-integration", NULL);
  g_assert_true (lia_gui_test_wait_until (form_shows, &form));
  type_into (form, "Name", "District Calendar");
  type_into (form, "Base URL", "https://calendar.example.edu/api");
  select_item (form, "Authentication", LIA_AUTH_OAUTH2);
  g_assert_nonnull (find_row (form, "Client ID"));
  g_assert_null (find_row (form, "Token"));

  /* An issuer nobody needs to answer: the sign-in waits for the browser. */
  select_item (form, "Provider", 3);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find_row (form, "Endpoints")), TRUE);
  type_into (form, "Authorization URL", "http://127.0.0.1:9/authorize");
  type_into (form, "Token URL", "http://127.0.0.1:9/token");
  type_into (form, "Client ID", "liaison-test");
  g_assert_true (can_save (form));
  g_assert_true (lia_gui_test_shows_label (form, "Not signed in. Signing in saves the integration first."));

  /* Unsaved: Sign In saves first, then waits; Cancel comes back. */
  click (form, "Sign _In");
  wait = (LabelWait) { form, "waiting" };
  g_assert_true (lia_gui_test_wait_until (stack_shows, &wait));
  wait = (LabelWait) { form, "Edit Integration" };
  g_assert_true (lia_gui_test_wait_until (shows_label_cb, &wait));
  integrations = list_integrations (db_path);
  g_assert_cmpuint (integrations->len, ==, 1);
  g_assert_cmpint (((LiaIntegration *) g_ptr_array_index (integrations, 0))->config->auth_type, ==, LIA_AUTH_OAUTH2);
  g_assert_true (lia_gui_test_shows_label (form, "Finish signing in in your browser…") ||
                 lia_gui_test_shows_label (form, "No browser opened. Copy the link into one to sign in."));
  scroll_to (form, find_row (form, "Provider"));
  lia_gui_test_save_screenshot (form, "form-sign-in-waiting");

  click (form, "Cancel");
  wait = (LabelWait) { form, "signed-out" };
  g_assert_true (lia_gui_test_wait_until (stack_shows, &wait));
  g_assert_true (lia_gui_test_shows_label (form, "Not signed in"));

  gtk_window_destroy (GTK_WINDOW (form));
  lia_gui_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The test session's accessibility bus comes up racily, and GTK makes a
   * failure to reach it a critical; nothing here talks AT-SPI. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  app = lia_gui_test_init (&argc, &argv);

  g_test_add_func ("/gui/form/add", test_form_add);
  g_test_add_func ("/gui/form/edit", test_form_edit);
  g_test_add_func ("/gui/form/headers", test_form_headers);
  g_test_add_func ("/gui/form/templates", test_form_templates);
  g_test_add_func ("/gui/form/sign-in", test_form_sign_in);

  status = g_test_run ();

  g_object_unref (app);
  return status;
}
