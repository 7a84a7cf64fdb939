/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-integration-form"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "lia-form-rows.h"
#include "lia-form-tasks.h"
#include "lia-integration-form-private.h"
#include "lia-mapping-editor.h"

/* What the integration form does: save, test the connection, sign in and
 * out, import and export its config, and open the mapping editor. Every
 * slow step runs in a worker thread (lia-form-tasks.h, lia-oauth.h); a
 * task holds a reference to the form, and finds it closed if the user
 * closed it meanwhile. */

/* --- Helpers ------------------------------------------------------------- */

static void
window_toast (LiaWindow  *window,
              const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  if (window != NULL)
    lia_window_add_toast (window, adw_toast_new (escaped));
}

/* The Integrations page shows what was just saved or signed in. */
static void
reload_window (LiaIntegrationForm *self)
{
  if (self->window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->window), "win.reload", NULL);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The secrets just saved are in the keyring now: the form shows them as
 * "Stored" and forgets them. */
static void
forget_saved_secrets (LiaIntegrationForm *self)
{
  for (guint i = 0; i < LIA_FORM_N_SECRETS; i++)
    {
      if (self->model->secrets[i] == NULL)
        continue;
      if (lia_form_model_needs_secret (self->model, i))
        self->model->stored[i] = TRUE;
      lia_form_model_set_secret (self->model, i, NULL);
    }
}

static void start_sign_in (LiaIntegrationForm *self);

/* --- Saving -------------------------------------------------------------- */

typedef struct {
  LiaIntegrationForm *form;          /* a reference */
  gboolean            then_sign_in;
} Save;

static void
on_saved_cb (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree Save *data = user_data;
  g_autoptr(LiaIntegrationForm) self = data->form;
  g_autoptr(GError) error = NULL;
  gboolean then_sign_in = data->then_sign_in;
  gint64 id = lia_form_save_finish (result, &error);
  g_autofree char *saved = NULL;

  self->saving = FALSE;

  if (id == 0)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot save: %s"), error->message);

      g_debug ("Cannot save the integration: %s", error->message);
      if (self->closed)
        window_toast (self->window, message);
      else
        {
          self->signing_in = FALSE;
          lia_integration_form_show_sign_in (self);
          lia_integration_form_toast (self, message);
          lia_integration_form_update_actions (self);
        }
      return;
    }

  g_debug ("Saved integration %" G_GINT64_FORMAT, id);
  saved = g_strdup_printf (_("Saved “%s”"), self->model->name);
  reload_window (self);

  if (!then_sign_in || self->closed)
    {
      window_toast (self->window, saved);
      if (!self->closed)
        {
          self->closed = TRUE;
          gtk_window_destroy (GTK_WINDOW (self));
        }
      return;
    }

  /* Saved to sign in: the form stays, now editing the integration. */
  self->model->integration_id = id;
  forget_saved_secrets (self);
  lia_integration_form_show_model (self);
  lia_integration_form_mark_saved (self);
  lia_integration_form_toast (self, saved);
  start_sign_in (self);
}

static void
save (LiaIntegrationForm *self,
      gboolean            then_sign_in)
{
  Save *data = g_new0 (Save, 1);

  self->saving = TRUE;
  lia_integration_form_update_actions (self);

  /* The model is copied: the form may change while the save runs. The
   * save itself is not cancelled by closing the form. */
  data->form = g_object_ref (self);
  data->then_sign_in = then_sign_in;
  lia_form_save_async (self->db_path, self->model, NULL, on_saved_cb, data);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);

  if (self->saving || !lia_form_check_is_valid (self->check))
    return;
  save (self, FALSE);
}

/* --- Testing the connection ---------------------------------------------- */

/* Puts the test row back to "not tested": what it said no longer
 * describes the form. */
void
lia_integration_form_clear_test (LiaIntegrationForm *self)
{
  if (self->testing)
    return;
  adw_action_row_set_subtitle (self->test_row, _("Not tested yet"));
  gtk_image_set_from_icon_name (self->test_icon, "network-transmit-receive-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), "error");
}

static void
show_test_result (LiaIntegrationForm      *self,
                  const LiaConnectionTest *test)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean ok = test->reachable && test->code == NULL;
  g_autofree char *escaped = NULL;

  if (ok && test->http_status != 0)
    /* Translators: "HTTP 200 · 35 ms", what a connection test found. */
    g_string_append_printf (text, _("HTTP %u · %" PRId64 " ms"), test->http_status, test->response_ms);
  else if (ok)
    g_string_append_printf (text, _("%s · %" PRId64 " ms"), test->message, test->response_ms);
  else
    {
      g_string_append (text, test->code != NULL ? test->code : _("FAILED"));
      if (test->http_status != 0)
        g_string_append_printf (text, _(" · HTTP %u"), test->http_status);
      if (test->response_ms > 0)
        g_string_append_printf (text, _(" · %" PRId64 " ms"), test->response_ms);
      if (test->message != NULL)
        g_string_append_printf (text, "\n%s", test->message);
      if (test->hint != NULL)
        g_string_append_printf (text, "\n%s", test->hint);
    }

  escaped = g_markup_escape_text (text->str, -1);
  adw_action_row_set_subtitle (self->test_row, escaped);
  gtk_image_set_from_icon_name (self->test_icon, ok ? "emblem-ok-symbolic" : "dialog-error-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_icon), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), ok ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
}

static void
on_tested_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LiaIntegrationForm) self = user_data;
  g_autoptr(GError) error = NULL;
  LiaConnectionTest test = { 0 };

  if (!lia_form_test_finish (result, &test, &error) && is_cancelled (error))
    return;
  if (self->closed)
    {
      lia_connection_test_clear (&test);
      return;
    }

  self->testing = FALSE;
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);

  if (error != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_action_row_set_subtitle (self->test_row, escaped);
      gtk_image_set_from_icon_name (self->test_icon, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_icon), "error");
    }
  else
    show_test_result (self, &test);

  lia_connection_test_clear (&test);
  lia_integration_form_update_actions (self);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);

  if (self->testing)
    return;

  lia_integration_form_clear_test (self);
  self->testing = TRUE;
  adw_action_row_set_subtitle (self->test_row, _("Testing…"));
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), TRUE);
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  lia_integration_form_update_actions (self);

  lia_form_test_async (self->db_path, self->model, self->cancellable, on_tested_cb, g_object_ref (self));
}

/* --- Importing and exporting --------------------------------------------- */

static void
on_imported_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LiaIntegrationForm) self = user_data;
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  config = lia_form_import_finish (result, &secrets, &error);
  if (self->closed || is_cancelled (error))
    return;

  if (config == NULL)
    {
      /* Every broken rule is a line: the first says enough for a toast. */
      g_auto(GStrv) lines = g_strsplit (error->message, "\n", 2);

      message = g_strdup_printf (_("Cannot import: %s"), lines[0]);
      lia_integration_form_toast (self, message);
      return;
    }

  lia_form_model_load (self->model, config, secrets);
  self->reveal_all = TRUE;
  lia_integration_form_clear_test (self);
  lia_integration_form_show_model (self);
  message = g_strdup_printf (_("Imported “%s”"), config->name);
  lia_integration_form_toast (self, message);
}

static void
on_import_response_cb (GtkNativeDialog    *dialog,
                       int                 response,
                       LiaIntegrationForm *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL && !self->closed)
    lia_form_import_async (file, self->cancellable, on_imported_cb, g_object_ref (self));
  g_object_unref (dialog);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Integration Configs (JSON)"));
  gtk_file_filter_add_mime_type (filter, "application/json");
  gtk_file_filter_add_suffix (filter, "json");
  return filter;
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = json_filter ();

  dialog = gtk_file_chooser_native_new (_("Import Integration Config"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_import_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_exported_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LiaIntegrationForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!lia_form_export_finish (result, &error) && is_cancelled (error))
    return;
  if (self->closed)
    return;

  if (error != NULL)
    message = g_strdup_printf (_("Cannot export: %s"), error->message);
  else
    message = g_strdup (_("Exported, without secrets"));
  lia_integration_form_toast (self, message);
}

static void
on_export_response_cb (GtkNativeDialog    *dialog,
                       int                 response,
                       LiaIntegrationForm *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL && !self->closed)
    lia_form_export_async (file, self->model, self->cancellable, on_exported_cb, g_object_ref (self));
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = json_filter ();
  g_autofree char *file_name = NULL;

  if (!lia_form_check_is_valid (self->check))
    return;

  dialog = gtk_file_chooser_native_new (_("Export Integration Config"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Translators: the file name an export suggests; %s is the integration's name. */
  file_name = g_strdup_printf (_("%s.json"), self->model->name);
  g_strdelimit (file_name, "/", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), file_name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* --- The folder of a file integration ------------------------------------ */

static void
on_folder_response_cb (GtkNativeDialog    *dialog,
                       int                 response,
                       LiaIntegrationForm *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL)
    path = g_file_get_path (file);
  /* Through the row, as if typed: the model, the check, the title. */
  if (path != NULL && !self->closed)
    gtk_editable_set_text (GTK_EDITABLE (self->folder_row), path);
  g_object_unref (dialog);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Choose the Folder"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_folder_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* --- Signing in ---------------------------------------------------------- */

/* Shows where the OAuth sign-in stands: out, waiting for the browser, or
 * in (and as whom). */
void
lia_integration_form_show_sign_in (LiaIntegrationForm *self)
{
  const char *page;
  g_autofree char *subtitle = NULL;

  if (self->signing_in)
    {
      page = "waiting";
      subtitle = g_strdup (gtk_widget_get_visible (GTK_WIDGET (self->copy_link_button))
                             ? _("No browser opened. Copy the link into one to sign in.")
                             : _("Finish signing in in your browser…"));
    }
  else if (self->oauth_status.connected && !self->oauth_status.needs_signin)
    {
      page = "signed-in";
      subtitle = self->oauth_status.account != NULL
                   ? g_strdup_printf (_("Signed in as %s"), self->oauth_status.account)
                   : g_strdup (_("Signed in"));
    }
  else
    {
      page = "signed-out";
      if (self->oauth_status.needs_signin)
        subtitle = g_strdup (_("The provider ended the sign-in: sign in again"));
      else if (self->model->integration_id == 0)
        subtitle = g_strdup (_("Not signed in. Signing in saves the integration first."));
      else
        subtitle = g_strdup (_("Not signed in"));
    }

  gtk_stack_set_visible_child_name (self->account_stack, page);
  gtk_spinner_set_spinning (self->signin_spinner, self->signing_in);
  lia_form_row_set_subtitle (GTK_WIDGET (self->account_row), subtitle);
  lia_integration_form_update_actions (self);
}

typedef struct {
  GWeakRef form;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_weak_ref_clear (&sign_in->form);
  g_free (sign_in);
}

static void
on_uri_shown_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(LiaIntegrationForm) self = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source_object), result, &error) || is_cancelled (error))
    return;
  if (self->closed || !self->signing_in)
    return;

  /* Without a browser the link can still be copied into one. */
  g_debug ("Cannot open the browser: %s", error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_link_button), TRUE);
  lia_integration_form_show_sign_in (self);
}

static void
on_sign_in_url_cb (const char *url,
                   gpointer    user_data)
{
  SignIn *sign_in = user_data;
  g_autoptr(LiaIntegrationForm) self = g_weak_ref_get (&sign_in->form);

  if (self == NULL || self->closed)
    return;

  g_free (self->signin_url);
  self->signin_url = g_strdup (url);
  gtk_show_uri_full (GTK_WINDOW (self), url, GDK_CURRENT_TIME, self->signin_cancellable,
                     on_uri_shown_cb, g_object_ref (self));
}

static void
on_signed_in_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SignIn *sign_in = user_data;
  g_autoptr(LiaIntegrationForm) self = g_weak_ref_get (&sign_in->form);
  g_autoptr(GError) error = NULL;
  LiaOAuthStatus status = { 0 };
  gboolean signed_in;

  signed_in = lia_oauth_login_finish (result, &status, &error);
  sign_in_free (sign_in);

  if (self == NULL || self->closed)
    {
      lia_oauth_status_clear (&status);
      return;
    }

  self->signing_in = FALSE;
  g_clear_pointer (&self->signin_url, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_link_button), FALSE);

  if (signed_in)
    {
      lia_oauth_status_clear (&self->oauth_status);
      self->oauth_status = status;
      reload_window (self);
    }
  else if (!is_cancelled (error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot sign in: %s"), error->message);
      lia_integration_form_toast (self, message);
    }
  lia_integration_form_show_sign_in (self);
}

static void
start_sign_in (LiaIntegrationForm *self)
{
  SignIn *sign_in = g_new0 (SignIn, 1);

  g_weak_ref_init (&sign_in->form, self);
  g_clear_object (&self->signin_cancellable);
  self->signin_cancellable = g_cancellable_new ();
  self->signing_in = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->copy_link_button), FALSE);
  lia_integration_form_show_sign_in (self);

  lia_oauth_login_async (self->db_path, self->model->integration_id, on_sign_in_url_cb, sign_in,
                         self->signin_cancellable, on_signed_in_cb, sign_in);
  gtk_widget_grab_focus (GTK_WIDGET (self->signin_cancel_button));
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);

  if (self->signing_in || self->saving)
    return;

  if (!lia_form_check_is_valid (self->check))
    {
      lia_integration_form_toast (self, _("Fix the form’s problems first: signing in saves it"));
      return;
    }

  /* The sign-in reads the stored integration: it must be the form's. */
  if (self->model->integration_id == 0 || lia_integration_form_has_changes (self))
    {
      self->signing_in = TRUE;
      lia_integration_form_show_sign_in (self);
      save (self, TRUE);
    }
  else
    start_sign_in (self);
}

static void
cancel_sign_in_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);

  g_cancellable_cancel (self->signin_cancellable);
}

static void
copy_sign_in_link_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);

  if (self->signin_url == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->signin_url);
  lia_integration_form_toast (self, _("Sign-in link copied"));
}

static void
on_signed_out_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LiaIntegrationForm) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *notice = lia_oauth_logout_finish (result, &error);

  if (self->closed || is_cancelled (error))
    return;

  self->signing_in = FALSE;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot sign out: %s"), error->message);
      lia_integration_form_toast (self, message);
    }
  else
    {
      lia_oauth_status_clear (&self->oauth_status);
      reload_window (self);

      /* Microsoft cannot revoke: the notice says where to remove consent. */
      if (notice != NULL && *notice != '\0')
        {
          GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Signed Out"), notice);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
          gtk_window_present (GTK_WINDOW (dialog));
        }
      else
        lia_integration_form_toast (self, _("Signed out"));
    }
  lia_integration_form_show_sign_in (self);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LiaIntegrationForm *self = LIA_INTEGRATION_FORM (widget);

  if (self->signing_in || self->model->integration_id == 0)
    return;

  self->signing_in = TRUE;
  lia_integration_form_update_actions (self);
  lia_oauth_logout_async (self->db_path, self->model->integration_id, self->cancellable,
                          on_signed_out_cb, g_object_ref (self));
}

/* --- Field mappings ------------------------------------------------------ */

static void
on_mappings_applied_cb (LiaMappingEditor   *editor,
                        LiaIntegrationForm *self)
{
  LiaDataType type = lia_mapping_editor_get_data_type (editor);

  lia_form_model_set_mappings (self->model, type, lia_mapping_editor_get_mappings (editor));
  lia_endpoint_row_sync (self->endpoint_rows[type]);
  lia_integration_form_revalidate (self);
}

/* Opens the mapping editor of @type on a copy of the form's values; Done
 * brings its mappings back. */
void
lia_integration_form_edit_mappings (LiaIntegrationForm *self,
                                    LiaDataType         type)
{
  LiaMappingEditor *editor = lia_mapping_editor_new (GTK_WINDOW (self), self->db_path, self->model, type);

  g_signal_connect_object (editor, "applied", G_CALLBACK (on_mappings_applied_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

/* --- Actions ------------------------------------------------------------- */

/* What may be done now: Save and Export need a valid form, and one thing
 * at a time. */
void
lia_integration_form_update_actions (LiaIntegrationForm *self)
{
  gboolean valid = self->check != NULL && lia_form_check_is_valid (self->check);
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean idle = !self->saving && !self->signing_in;

  gtk_widget_action_set_enabled (widget, "form.save", valid && idle);
  gtk_widget_action_set_enabled (widget, "form.export", valid);
  gtk_widget_action_set_enabled (widget, "form.import", idle);
  gtk_widget_action_set_enabled (widget, "form.test", valid && !self->testing);
  gtk_widget_action_set_enabled (widget, "form.sign-in", idle);
  gtk_widget_action_set_enabled (widget, "form.sign-out", idle && self->model->integration_id != 0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->test_button),
                               valid ? NULL : _("Fix the form’s problems to test it"));
}

void
lia_integration_form_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "form.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "form.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "form.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "form.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "form.cancel-sign-in", NULL, cancel_sign_in_action);
  gtk_widget_class_install_action (widget_class, "form.copy-sign-in-link", NULL, copy_sign_in_link_action);
  gtk_widget_class_install_action (widget_class, "form.sign-out", NULL, sign_out_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save", NULL);
}

/* --- Opening an integration ---------------------------------------------- */

static void
on_integration_loaded_cb (GObject      *source_object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GWeakRef *window_ref = user_data;
  g_autoptr(LiaWindow) window = g_weak_ref_get (window_ref);
  g_autoptr(GError) error = NULL;
  LiaOAuthStatus status = { 0 };
  LiaFormModel *model;
  LiaIntegrationForm *form;

  model = lia_form_load_finish (result, &status, &error);
  g_weak_ref_clear (window_ref);
  g_free (window_ref);

  if (window == NULL)
    {
      lia_form_model_free (model);
      lia_oauth_status_clear (&status);
      return;
    }
  if (model == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot open the integration: %s"), error->message);
      window_toast (window, message);
      return;
    }

  form = lia_integration_form_new_for_model (window, model, &status);
  lia_oauth_status_clear (&status);
  gtk_window_present (GTK_WINDOW (form));
}

/* Reads integration @integration_id in a worker thread and opens the form
 * on it over @window. */
void
lia_integration_form_edit (LiaWindow *window,
                           gint64     integration_id)
{
  GWeakRef *window_ref;

  g_return_if_fail (LIA_IS_WINDOW (window));
  g_return_if_fail (integration_id > 0);

  window_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (window_ref, window);
  lia_form_load_async (lia_window_get_database_path (window), integration_id, NULL,
                       on_integration_loaded_cb, window_ref);
}
