/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-integration-form"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lia-data-type.h"
#include "lia-form-rows.h"
#include "lia-header-row.h"
#include "lia-integration-form-private.h"
#include "lia-kind.h"

/* The form that adds or edits an integration. Its state is a
 * LiaFormModel, a plain value: the rows write what the user types into
 * it, and after every change the model is checked as a whole and each
 * problem shown on its row. The form only shows; what it does (save,
 * test, sign in, import, export) is in lia-integration-form-actions.c. */

G_DEFINE_FINAL_TYPE (LiaIntegrationForm, lia_integration_form, ADW_TYPE_WINDOW)

#define ROW(self, offset) (G_STRUCT_MEMBER (GtkWidget *, (self), (offset)))

/* The text rows and the model keys they edit. */
static const struct {
  gsize       offset;
  const char *key;
} text_rows[] = {
  { G_STRUCT_OFFSET (LiaIntegrationForm, name_row), "name" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, base_url_row), "baseUrl" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, folder_row), "folder" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, api_key_header_row), "apiKeyHeader" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, api_key_query_row), "apiKeyQuery" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, username_row), "username" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, issuer_row), "oauth.issuer" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, authorization_url_row), "oauth.authorizationUrl" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, token_url_row), "oauth.tokenUrl" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, revocation_url_row), "oauth.revocationUrl" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, userinfo_url_row), "oauth.userinfoUrl" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, tenant_row), "oauth.tenant" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, client_id_row), "oauth.clientId" },
  { G_STRUCT_OFFSET (LiaIntegrationForm, scopes_row), "oauth.scopes" },
};

/* The secret rows, and the "Stored" label of each. */
static const struct {
  gsize         offset;
  gsize         stored_offset;
  LiaFormSecret secret;
} secret_rows[] = {
  { G_STRUCT_OFFSET (LiaIntegrationForm, api_key_row),
    G_STRUCT_OFFSET (LiaIntegrationForm, api_key_stored), LIA_FORM_SECRET_API_KEY },
  { G_STRUCT_OFFSET (LiaIntegrationForm, password_row),
    G_STRUCT_OFFSET (LiaIntegrationForm, password_stored), LIA_FORM_SECRET_PASSWORD },
  { G_STRUCT_OFFSET (LiaIntegrationForm, client_secret_row),
    G_STRUCT_OFFSET (LiaIntegrationForm, client_secret_stored), LIA_FORM_SECRET_CLIENT_SECRET },
};

/* The provider combo's items. */
static const char * const providers[] = { "google", "microsoft", "zoom", "generic" };

#define SECRET_DATA "lia-form-secret"

/* --- Helpers ------------------------------------------------------------- */

static const char *
auth_type_title (LiaAuthType auth)
{
  switch (auth)
    {
    case LIA_AUTH_NONE:
      return _("None");
    case LIA_AUTH_API_KEY:
      return _("API Key");
    case LIA_AUTH_BEARER:
      return _("Bearer Token");
    case LIA_AUTH_BASIC:
      return _("Username and Password");
    case LIA_AUTH_OAUTH2:
      return _("Sign In with OAuth 2.0");
    case LIA_N_AUTH_TYPES:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
set_text_quietly (GtkEditable *editable,
                  const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text) != 0)
    gtk_editable_set_text (editable, text);
}

static void
fill_auth_types (LiaIntegrationForm *self)
{
  guint allowed = lia_form_model_allowed_auth (self->model);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  self->n_auth_types = 0;
  for (guint auth = 0; auth < LIA_N_AUTH_TYPES; auth++)
    {
      if (!(allowed & (1u << auth)))
        continue;
      if (auth == self->model->auth_type)
        selected = self->n_auth_types;
      self->auth_types[self->n_auth_types++] = auth;
      gtk_string_list_append (list, auth_type_title (auth));
    }
  adw_combo_row_set_model (self->auth_row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (self->auth_row, selected);
}

static void
update_secret_rows (LiaIntegrationForm *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (secret_rows); i++)
    {
      GtkWidget *row = ROW (self, secret_rows[i].offset);
      GtkWidget *stored = ROW (self, secret_rows[i].stored_offset);
      gboolean shows_stored = self->model->stored[secret_rows[i].secret] &&
                              *gtk_editable_get_text (GTK_EDITABLE (row)) == '\0';

      gtk_widget_set_visible (stored, shows_stored);
      if (shows_stored)
        gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_PLACEHOLDER,
                                        _("Stored in the keyring"), -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_PLACEHOLDER);
    }
}

static void
update_titles (LiaIntegrationForm *self)
{
  const char *name = self->model->name;
  const char *api_key_title;

  if (self->model->kind == LIA_KIND_MOODLE)
    api_key_title = _("Web Service Token");
  else if (self->model->auth_type == LIA_AUTH_API_KEY)
    api_key_title = _("API Key");
  else if (self->model->kind == LIA_KIND_CANVAS)
    api_key_title = _("Access Token");
  else
    api_key_title = _("Token");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->api_key_row), api_key_title);

  adw_window_title_set_title (self->window_title, self->model->integration_id == 0 ? _("Add Integration")
                                                                                   : _("Edit Integration"));
  adw_window_title_set_subtitle (self->window_title, name != NULL ? name : "");
  gtk_window_set_title (GTK_WINDOW (self), adw_window_title_get_title (self->window_title));
}

static void
update_visibility (LiaIntegrationForm *self)
{
  LiaFormModel *model = self->model;
  const LiaKindInfo *info = lia_kind_get (model->kind);
  gboolean api_key_place = model->auth_type == LIA_AUTH_API_KEY && model->kind != LIA_KIND_MOODLE;
  gboolean generic = g_strcmp0 (model->oauth_provider, "generic") == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->template_group), model->integration_id == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->base_url_row), !info->uses_folder);
  gtk_widget_set_visible (GTK_WIDGET (self->folder_row), info->uses_folder);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_row), self->n_auth_types > 1);
  gtk_widget_set_visible (GTK_WIDGET (self->api_key_row),
                          lia_form_model_needs_secret (model, LIA_FORM_SECRET_API_KEY));
  gtk_widget_set_visible (GTK_WIDGET (self->api_key_place_row), api_key_place);
  gtk_widget_set_visible (GTK_WIDGET (self->api_key_header_row), api_key_place && !model->api_key_in_query);
  gtk_widget_set_visible (GTK_WIDGET (self->api_key_query_row), api_key_place && model->api_key_in_query);
  gtk_widget_set_visible (GTK_WIDGET (self->username_row), model->auth_type == LIA_AUTH_BASIC);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), model->auth_type == LIA_AUTH_BASIC);

  gtk_widget_set_visible (GTK_WIDGET (self->signin_group), model->auth_type == LIA_AUTH_OAUTH2);
  gtk_widget_set_visible (GTK_WIDGET (self->issuer_row), generic);
  gtk_widget_set_visible (GTK_WIDGET (self->oauth_urls_row), generic);
  gtk_widget_set_visible (GTK_WIDGET (self->tenant_row), g_strcmp0 (model->oauth_provider, "microsoft") == 0);

  /* A folder of files has no HTTP to add headers to. */
  gtk_widget_set_visible (GTK_WIDGET (self->headers_group), !info->uses_folder);

  switch (model->kind)
    {
    case LIA_KIND_MOODLE:
      adw_preferences_group_set_description (self->data_group,
                                             _("Moodle’s usual web-service functions are used unless you name others."));
      break;
    case LIA_KIND_CANVAS:
      adw_preferences_group_set_description (self->data_group,
                                             _("Students and subjects come from Canvas’s usual endpoints unless you name others."));
      break;
    case LIA_KIND_FILE:
      adw_preferences_group_set_description (self->data_group,
                                             _("The CSV files in the folder to read for each data type."));
      break;
    case LIA_KIND_REST:
    case LIA_N_KINDS:
    default:
      adw_preferences_group_set_description (self->data_group,
                                             _("Where each data type is read from, below the base URL. Leave a path empty to skip the type."));
      break;
    }
}

static void
on_header_changed_cb (LiaHeaderRow       *row,
                      LiaIntegrationForm *self);
static void
on_header_remove_cb (LiaHeaderRow       *row,
                     LiaIntegrationForm *self);

/* Rebuilds the header rows from the model. */
static void
show_headers (LiaIntegrationForm *self)
{
  for (guint i = 0; i < self->header_rows->len; i++)
    adw_preferences_group_remove (self->headers_group, g_ptr_array_index (self->header_rows, i));
  g_ptr_array_set_size (self->header_rows, 0);

  for (guint i = 0; i < self->model->headers->len; i++)
    {
      LiaFormPair *pair = g_ptr_array_index (self->model->headers, i);
      LiaHeaderRow *row = lia_header_row_new ();

      lia_header_row_set (row, i + 1, pair->name, pair->value);
      g_signal_connect_object (row, "changed", G_CALLBACK (on_header_changed_cb), self, 0);
      g_signal_connect_object (row, "remove", G_CALLBACK (on_header_remove_cb), self, 0);
      adw_preferences_group_add (self->headers_group, GTK_WIDGET (row));
      g_ptr_array_add (self->header_rows, row);
    }
}

static guint
find_header_row (LiaIntegrationForm *self,
                 LiaHeaderRow       *row)
{
  guint index = 0;
  gboolean found = g_ptr_array_find (self->header_rows, row, &index);

  g_assert (found);
  return index;
}

/* The row of @key, wherever it is, or NULL. */
static GtkWidget *
find_row (LiaIntegrationForm *self,
          const char         *key)
{
  GtkWidget *row = g_hash_table_lookup (self->rows, key);
  guint64 index;

  if (row != NULL)
    return row;
  if (g_str_has_prefix (key, "headers.") &&
      g_ascii_string_to_unsigned (key + strlen ("headers."), 10, 0, G_MAXUINT, &index, NULL) &&
      index < self->header_rows->len)
    return g_ptr_array_index (self->header_rows, index);
  if (g_str_equal (key, "endpoints"))
    return GTK_WIDGET (self->endpoint_rows[LIA_DATA_TYPE_STUDENTS]);
  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    if ((row = lia_endpoint_row_find_row (self->endpoint_rows[type], key)) != NULL)
      return row;
  return NULL;
}

/* The banner counts the problems; while the keyboard is on a row with
 * one, it says that one, so the rule is in sight as the user types. */
static void
update_banner (LiaIntegrationForm *self)
{
  guint n_errors = self->check != NULL ? lia_form_check_get_n_errors (self->check) : 0;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, ADW_TYPE_PREFERENCES_ROW) : NULL;
  const LiaFormError *first;
  g_autofree char *text = NULL;

  gtk_revealer_set_reveal_child (self->banner_revealer, n_errors > 0);
  if (n_errors == 0)
    return;

  first = lia_form_check_get_nth_error (self->check, 0);
  if (row != NULL && lia_form_row_has_error (row) && ADW_IS_ENTRY_ROW (row))
    /* Translators: a field of the form and the rule its value breaks,
     * "Base URL: not an http or https URL". */
    text = g_strdup_printf (_("%s: %s"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                            gtk_widget_get_tooltip_text (row));
  /* A problem no row shows (a file the config names) is said here. */
  else if (find_row (self, first->key) == NULL)
    text = g_strdup_printf (_("%s: %s"), first->path, first->message);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Fix %u problem to save", "Fix %u problems to save",
                                         n_errors), n_errors);
  gtk_label_set_label (self->banner_label, text);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_focus_changed_cb (LiaIntegrationForm *self)
{
  if (!self->closed)
    update_banner (self);
}

static void
on_text_row_changed_cb (GtkEditable        *editable,
                        LiaIntegrationForm *self)
{
  const char *key = lia_form_row_get_key (GTK_WIDGET (editable));

  if (self->updating)
    return;

  lia_form_row_mark_touched (GTK_WIDGET (editable));
  if (!lia_form_model_set_text (self->model, key, gtk_editable_get_text (editable)))
    return;
  if (g_str_equal (key, "name"))
    update_titles (self);
  lia_integration_form_revalidate (self);
}

static void
on_secret_row_changed_cb (GtkEditable        *editable,
                          LiaIntegrationForm *self)
{
  LiaFormSecret secret = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editable), SECRET_DATA));

  if (self->updating)
    return;

  /* Straight into the model's wiped memory; never logged. */
  lia_form_row_mark_touched (GTK_WIDGET (editable));
  lia_form_model_set_secret (self->model, secret, gtk_editable_get_text (editable));
  update_secret_rows (self);
  lia_integration_form_clear_test (self);
  lia_integration_form_revalidate (self);
}

static void
on_template_selected_cb (LiaIntegrationForm *self)
{
  LiaKind kind = adw_combo_row_get_selected (self->template_row);

  gboolean unchanged;

  if (self->updating || kind >= LIA_N_KINDS || kind == self->model->kind)
    return;

  /* Another template on an untouched form loses nothing a cancel would. */
  unchanged = !lia_integration_form_has_changes (self);
  lia_form_model_apply_template (self->model, kind);
  lia_integration_form_clear_test (self);
  lia_integration_form_show_model (self);
  if (unchanged)
    lia_integration_form_mark_saved (self);
}

static void
on_auth_selected_cb (LiaIntegrationForm *self)
{
  guint selected = adw_combo_row_get_selected (self->auth_row);
  LiaFormModel *model = self->model;

  if (self->updating || selected >= self->n_auth_types)
    return;

  lia_form_model_set_auth_type (model, self->auth_types[selected]);

  /* The name most APIs use, shown rather than implied. */
  if (model->auth_type == LIA_AUTH_API_KEY && model->kind != LIA_KIND_MOODLE &&
      (model->api_key_header == NULL || *model->api_key_header == '\0') && !model->api_key_in_query)
    {
      lia_form_model_set_text (model, "apiKeyHeader", "X-API-Key");
      self->updating = TRUE;
      set_text_quietly (GTK_EDITABLE (self->api_key_header_row), "X-API-Key");
      self->updating = FALSE;
    }

  update_visibility (self);
  update_titles (self);
  lia_integration_form_show_sign_in (self);
  lia_integration_form_clear_test (self);
  lia_integration_form_revalidate (self);
}

static void
on_api_key_place_selected_cb (LiaIntegrationForm *self)
{
  if (self->updating)
    return;

  self->model->api_key_in_query = adw_combo_row_get_selected (self->api_key_place_row) == 1;
  update_visibility (self);
  lia_integration_form_revalidate (self);
}

static void
on_provider_selected_cb (LiaIntegrationForm *self)
{
  guint selected = adw_combo_row_get_selected (self->provider_row);

  if (self->updating || selected >= G_N_ELEMENTS (providers))
    return;

  lia_form_model_set_text (self->model, "oauth.provider", providers[selected]);
  update_visibility (self);
  lia_integration_form_revalidate (self);
}

static void
on_interval_changed_cb (LiaIntegrationForm *self)
{
  if (self->updating)
    return;

  self->model->sync_interval = gtk_spin_button_get_value_as_int (self->interval_spin);
  lia_form_row_mark_touched (GTK_WIDGET (self->interval_row));
  lia_integration_form_revalidate (self);
}

static void
on_enabled_changed_cb (LiaIntegrationForm *self)
{
  if (self->updating)
    return;

  self->model->enabled = gtk_switch_get_active (self->enabled_switch);
  lia_integration_form_revalidate (self);
}

static void
on_header_changed_cb (LiaHeaderRow       *row,
                      LiaIntegrationForm *self)
{
  guint index = find_header_row (self, row);

  lia_form_row_mark_touched (GTK_WIDGET (row));
  lia_form_model_set_header (self->model, index, lia_header_row_get_name (row), lia_header_row_get_value (row));
  lia_integration_form_revalidate (self);
}

static void
on_header_remove_cb (LiaHeaderRow       *row,
                     LiaIntegrationForm *self)
{
  guint index = find_header_row (self, row);

  lia_form_model_remove_header (self->model, index);
  show_headers (self);
  lia_integration_form_revalidate (self);

  /* The keyboard stays in the list, or goes back to Add. */
  if (self->header_rows->len > 0)
    lia_header_row_grab_focus (g_ptr_array_index (self->header_rows, MIN (index, self->header_rows->len - 1)));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_header_button));
}

static void
on_endpoint_changed_cb (LiaEndpointRow     *row,
                        const char         *key,
                        LiaIntegrationForm *self)
{
  lia_integration_form_clear_test (self);
  lia_integration_form_revalidate (self);
}

static void
on_edit_mappings_cb (LiaEndpointRow     *row,
                     LiaIntegrationForm *self)
{
  lia_integration_form_edit_mappings (self, lia_endpoint_row_get_data_type (row));
}

static void
on_banner_show_clicked_cb (LiaIntegrationForm *self)
{
  self->reveal_all = TRUE;
  lia_integration_form_revalidate (self);

  for (guint i = 0; i < lia_form_check_get_n_errors (self->check); i++)
    {
      GtkWidget *row = find_row (self, lia_form_check_get_nth_error (self->check, i)->key);

      if (row == NULL || !gtk_widget_is_visible (row))
        continue;
      if (LIA_IS_HEADER_ROW (row))
        lia_header_row_grab_focus (LIA_HEADER_ROW (row));
      else if (LIA_IS_ENDPOINT_ROW (row))
        lia_form_row_reveal (lia_endpoint_row_find_row (LIA_ENDPOINT_ROW (row), "endpoints.students.path"));
      else
        lia_form_row_reveal (row);
      return;
    }
}

static void
add_header_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);

  lia_form_model_add_header (self->model, "", "");
  show_headers (self);
  lia_integration_form_revalidate (self);
  lia_header_row_grab_focus (g_ptr_array_index (self->header_rows, self->header_rows->len - 1));
}

/* --- GObject and GtkWindow ---------------------------------------------- */

static void
on_discard_response_cb (AdwMessageDialog   *dialog,
                        const char         *response,
                        LiaIntegrationForm *self)
{
  if (g_str_equal (response, "discard"))
    {
      self->closed = TRUE;
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

static gboolean
lia_integration_form_close_request (GtkWindow *window)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (window);
  AdwMessageDialog *dialog;

  if (self->closed || self->saving || !lia_integration_form_has_changes (self))
    {
      self->closed = TRUE;
      return GTK_WINDOW_CLASS (lia_integration_form_parent_class)->close_request (window);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Discard Changes?"),
                                                       _("The integration has changes that are not saved.")));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
lia_integration_form_dispose (GObject *object)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (object);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->signin_cancellable);
  g_clear_weak_pointer (&self->window);

  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_INTEGRATION_FORM);

  G_OBJECT_CLASS (lia_integration_form_parent_class)->dispose (object);
}

static void
lia_integration_form_finalize (GObject *object)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->signin_cancellable);
  g_clear_pointer (&self->model, lia_form_model_free);
  g_clear_pointer (&self->check, lia_form_check_free);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->header_rows, g_ptr_array_unref);
  lia_oauth_status_clear (&self->oauth_status);
  g_free (self->signin_url);
  g_free (self->saved_json);
  g_free (self->db_path);

  G_OBJECT_CLASS (lia_integration_form_parent_class)->finalize (object);
}

static void
lia_integration_form_class_init (LiaIntegrationFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = lia_integration_form_dispose;
  object_class->finalize = lia_integration_form_finalize;
  window_class->close_request = lia_integration_form_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-integration-form.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, window_title);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, save_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, menu_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, banner_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, banner_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, page);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, template_group);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, template_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, connection_group);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, name_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, folder_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, auth_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, api_key_stored);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, api_key_place_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, api_key_header_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, api_key_query_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, username_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, password_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, password_stored);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, signin_group);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, provider_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, issuer_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, oauth_urls_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, authorization_url_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, token_url_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, revocation_url_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, userinfo_url_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, client_secret_stored);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, account_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, account_stack);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, signin_spinner);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, copy_link_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, signin_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, headers_group);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, add_header_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, data_group);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, schedule_group);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, interval_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, enabled_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, test_group);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, test_row);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, test_icon);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationForm, test_button);
  gtk_widget_class_bind_template_callback (widget_class, on_text_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_secret_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_template_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_auth_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_api_key_place_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_provider_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_interval_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_enabled_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_show_clicked_cb);

  gtk_widget_class_install_action (widget_class, "form.add-header", NULL, add_header_action);
  lia_integration_form_class_init_actions (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lia_integration_form_init (LiaIntegrationForm *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);

  /* Until it has a model, the form takes nothing from its rows. */
  self->updating = TRUE;
  g_type_ensure (LIA_TYPE_ENDPOINT_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);
  self->header_rows = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (text_rows); i++)
    {
      lia_form_row_set_key (ROW (self, text_rows[i].offset), text_rows[i].key);
      g_hash_table_insert (self->rows, (gpointer) text_rows[i].key, ROW (self, text_rows[i].offset));
    }
  for (guint i = 0; i < G_N_ELEMENTS (secret_rows); i++)
    {
      const char *key = lia_form_secret_field (secret_rows[i].secret);
      GtkWidget *row = ROW (self, secret_rows[i].offset);

      g_object_set_data (G_OBJECT (row), SECRET_DATA, GUINT_TO_POINTER (secret_rows[i].secret));
      lia_form_row_set_key (row, key);
      g_hash_table_insert (self->rows, (gpointer) key, row);
    }
  g_hash_table_insert (self->rows, (gpointer) "kind", self->template_row);
  g_hash_table_insert (self->rows, (gpointer) "authType", self->auth_row);
  g_hash_table_insert (self->rows, (gpointer) "oauth.provider", self->provider_row);
  g_hash_table_insert (self->rows, (gpointer) "syncInterval", self->interval_row);
  g_hash_table_insert (self->rows, (gpointer) "enabled", self->enabled_row);

  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_changed_cb), NULL);

  for (guint kind = 0; kind < LIA_N_KINDS; kind++)
    gtk_string_list_append (kinds, _(lia_kind_get (kind)->display_name));
  adw_combo_row_set_model (self->template_row, G_LIST_MODEL (kinds));

  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      self->endpoint_rows[type] = lia_endpoint_row_new (type);
      g_signal_connect_object (self->endpoint_rows[type], "changed", G_CALLBACK (on_endpoint_changed_cb), self, 0);
      g_signal_connect_object (self->endpoint_rows[type], "edit-mappings", G_CALLBACK (on_edit_mappings_cb), self, 0);
      adw_preferences_group_add (self->data_group, GTK_WIDGET (self->endpoint_rows[type]));
    }
}

/* --- Shared with the actions (lia-integration-form-private.h) ----------- */

/* Shows every value of the model, as after a template, a load, an import
 * or a save. */
void
lia_integration_form_show_model (LiaIntegrationForm *self)
{
  LiaFormModel *model = self->model;

  self->updating = TRUE;

  adw_combo_row_set_selected (self->template_row, model->kind);
  for (guint i = 0; i < G_N_ELEMENTS (text_rows); i++)
    set_text_quietly (GTK_EDITABLE (ROW (self, text_rows[i].offset)),
                      lia_form_model_get_text (model, text_rows[i].key));
  for (guint i = 0; i < G_N_ELEMENTS (secret_rows); i++)
    {
      const char *secret = model->secrets[secret_rows[i].secret];
      set_text_quietly (GTK_EDITABLE (ROW (self, secret_rows[i].offset)), secret != NULL ? secret : "");
    }
  fill_auth_types (self);
  adw_combo_row_set_selected (self->api_key_place_row, model->api_key_in_query ? 1 : 0);
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    if (g_strcmp0 (model->oauth_provider, providers[i]) == 0)
      adw_combo_row_set_selected (self->provider_row, i);
  gtk_spin_button_set_value (self->interval_spin, model->sync_interval);
  gtk_switch_set_active (self->enabled_switch, model->enabled);
  show_headers (self);
  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    lia_endpoint_row_set_model (self->endpoint_rows[type], model);

  self->updating = FALSE;

  update_secret_rows (self);
  update_visibility (self);
  update_titles (self);
  lia_integration_form_show_sign_in (self);
  lia_integration_form_revalidate (self);
}

/* Checks the model and shows what is wrong where it is wrong. */
void
lia_integration_form_revalidate (LiaIntegrationForm *self)
{
  GHashTableIter iter;
  gpointer key, row;
  gboolean students_first = TRUE;

  g_clear_pointer (&self->check, lia_form_check_free);
  self->check = lia_form_model_check (self->model, LIA_FORM_BUILD_OFFLINE);

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    {
      const char *message = gtk_widget_get_visible (row) ? lia_form_check_get_error (self->check, key) : NULL;
      lia_form_row_show_problem (row, message, self->reveal_all);
    }

  for (guint i = 0; i < self->header_rows->len; i++)
    {
      g_autofree char *header_key = g_strdup_printf ("headers.%u", i);
      lia_header_row_set_error (g_ptr_array_index (self->header_rows, i),
                                lia_form_check_get_error (self->check, header_key));
    }

  /* "Give at least one path" concerns the group: the first row says it. */
  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      lia_endpoint_row_show_problems (self->endpoint_rows[type], self->check,
                                      students_first ? lia_form_check_get_error (self->check, "endpoints") : NULL,
                                      self->reveal_all);
      students_first = FALSE;
    }

  update_banner (self);
  lia_integration_form_update_actions (self);
}

/* Whether the form holds anything not saved yet. */
gboolean
lia_integration_form_has_changes (LiaIntegrationForm *self)
{
  g_autoptr(JsonNode) json = lia_form_model_build (self->model, LIA_FORM_BUILD_NONE);
  g_autofree char *text = json_to_string (json, FALSE);

  for (guint i = 0; i < LIA_FORM_N_SECRETS; i++)
    if (self->model->secrets[i] != NULL)
      return TRUE;
  return g_strcmp0 (text, self->saved_json) != 0;
}

/* Remembers the model as it is now as what is saved (or, for a new one,
 * as what a cancel loses nothing of). */
void
lia_integration_form_mark_saved (LiaIntegrationForm *self)
{
  g_autoptr(JsonNode) json = lia_form_model_build (self->model, LIA_FORM_BUILD_NONE);

  g_free (self->saved_json);
  self->saved_json = json_to_string (json, FALSE);
}

/* Shows @text, plain text, over the form for a few seconds. */
void
lia_integration_form_toast (LiaIntegrationForm *self,
                            const char         *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* --- Public API ---------------------------------------------------------- */

/* A form on @model (taken), over @window. */
LiaIntegrationForm *
lia_integration_form_new_for_model (LiaWindow            *window,
                                    LiaFormModel         *model,
                                    const LiaOAuthStatus *status)
{
  LiaIntegrationForm *self;

  g_return_val_if_fail (LIA_IS_WINDOW (window), NULL);
  g_return_val_if_fail (model != NULL, NULL);

  self = g_object_new (LIA_TYPE_INTEGRATION_FORM,
                       "transient-for", window,
                       "application", gtk_window_get_application (GTK_WINDOW (window)),
                       NULL);
  g_set_weak_pointer (&self->window, window);
  self->db_path = g_strdup (lia_window_get_database_path (window));
  self->model = model;
  if (status != NULL)
    {
      self->oauth_status = *status;
      self->oauth_status.account = g_strdup (status->account);
      self->oauth_status.scopes = g_strdup (status->scopes);
    }

  /* An integration loaded shows its problems at once: they were not the
   * user's doing a moment ago. */
  self->reveal_all = model->integration_id != 0;
  lia_integration_form_show_model (self);
  lia_integration_form_mark_saved (self);
  return self;
}

/* A form that adds an integration, starting from the Generic REST
 * template. */
LiaIntegrationForm *
lia_integration_form_new (LiaWindow *window)
{
  g_return_val_if_fail (LIA_IS_WINDOW (window), NULL);

  return lia_integration_form_new_for_model (window, lia_form_model_new (LIA_KIND_REST), NULL);
}
