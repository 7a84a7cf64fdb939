/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "lia-database.h"
#include "lia-history.h"
#include "lia-preferences.h"
#include "lia-util.h"
#include "lia-window.h"

/* The Preferences window: the application's GSettings, bound to their
 * controls, and "Delete Old History Now", which prunes the sync history
 * of the database that the window it belongs to shows, in a worker
 * thread with a connection of its own. */
struct _LiaPreferences
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GCancellable         *cancellable;
  GtkFileChooserNative *folder_chooser;

  GtkSwitch            *background_switch;
  AdwActionRow         *folder_row;
  GtkButton            *folder_reset_button;
  GtkButton            *folder_button;
  GtkSwitch            *bom_switch;
  GtkSpinButton        *days_spin;
  GtkSpinButton        *runs_spin;
  GtkButton            *prune_button;
};

G_DEFINE_FINAL_TYPE (LiaPreferences, lia_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/* --- Pruning ------------------------------------------------------------- */

typedef struct {
  char   *db_path;
  gint64  older_than_ms;
  gint64  keep_runs;
} PruneData;

static void
prune_data_free (PruneData *data)
{
  g_free (data->db_path);
  g_free (data);
}

static void
prune_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  PruneData *data = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  GError *error = NULL;
  gint64 deleted = 0;

  db = lia_database_open (data->db_path, &error);
  if (db == NULL ||
      !lia_history_prune (db, data->older_than_ms, data->keep_runs, &deleted, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Pruned %" G_GINT64_FORMAT " runs", deleted);
  g_task_return_int (task, (gssize) deleted);
}

/* Deletes the runs that started more than @keep_days days ago, and all
 * but the newest @keep_runs, from the database at @db_path. */
static void
prune_async (LiaPreferences      *self,
             const char          *db_path,
             int                  keep_days,
             int                  keep_runs,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, user_data);
  PruneData *data = g_new0 (PruneData, 1);

  data->db_path = g_strdup (db_path);
  data->older_than_ms = lia_now_ms () - (gint64) keep_days * 24 * 3600 * 1000;
  data->keep_runs = keep_runs;

  g_task_set_source_tag (task, prune_async);
  g_task_set_task_data (task, data, (GDestroyNotify) prune_data_free);
  g_task_run_in_thread (task, prune_thread);
}

static gint64
prune_finish (LiaPreferences  *self,
              GAsyncResult    *result,
              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == prune_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* --- Helpers ------------------------------------------------------------- */

/* The main window this one belongs to, or NULL. */
static LiaWindow *
get_main_window (LiaPreferences *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  return LIA_IS_WINDOW (parent) ? LIA_WINDOW (parent) : NULL;
}

static void
toast (LiaPreferences *self,
       const char     *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

/* A folder as people read it: ~/Exports rather than /home/ana/Exports. */
static char *
display_folder (const char *path)
{
  const char *home = g_get_home_dir ();
  g_autofree char *display = g_filename_display_name (path);
  gsize home_len = strlen (home);

  if (home_len > 1 && g_str_has_prefix (path, home) &&
      (path[home_len] == '/' || path[home_len] == '\0'))
    {
      g_autofree char *rest = g_filename_display_name (path + home_len);

      return g_strconcat ("~", rest, NULL);
    }
  return g_steal_pointer (&display);
}

static void
update_folder_row (LiaPreferences *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "default-export-folder");
  g_autofree char *subtitle = NULL;

  if (*folder != '\0')
    {
      subtitle = display_folder (folder);
    }
  else
    {
      const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
      g_autofree char *shown = display_folder (documents != NULL ? documents : g_get_home_dir ());

      /* Translators: the default export folder when none was chosen; %s is a folder such as ~/Documents. */
      subtitle = g_strdup_printf (_("%s (the default)"), shown);
    }

  adw_action_row_set_subtitle (self->folder_row, subtitle);
  gtk_widget_set_sensitive (GTK_WIDGET (self->folder_reset_button), *folder != '\0');
}

static GFile *
current_folder (LiaPreferences *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "default-export-folder");
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (*folder != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (folder);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (documents);
  return g_file_new_for_path (g_get_home_dir ());
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_folder_chooser_response_cb (LiaPreferences       *self,
                               int                   response,
                               GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        g_settings_set_string (self->settings, "default-export-folder", path);
      else
        toast (self, _("Choose a folder on this computer"));
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->folder_chooser);
}

static void
on_folder_choose_clicked_cb (LiaPreferences *self,
                             GtkButton      *button)
{
  g_autoptr(GFile) folder = current_folder (self);

  if (self->folder_chooser != NULL)
    return;

  self->folder_chooser = gtk_file_chooser_native_new (_("Choose the Default Export Folder"),
                                                      GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                      _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->folder_chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->folder_chooser), folder, NULL);
  g_signal_connect_object (self->folder_chooser, "response",
                           G_CALLBACK (on_folder_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->folder_chooser));
}

static void
on_folder_reset_clicked_cb (LiaPreferences *self,
                            GtkButton      *button)
{
  g_settings_reset (self->settings, "default-export-folder");
}

static void
on_prune_finished_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  LiaPreferences *self = LIA_PREFERENCES (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  LiaWindow *main_window;
  gint64 deleted;

  deleted = prune_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->prune_button), TRUE);

  if (error != NULL)
    {
      text = g_strdup_printf (_("Cannot delete old history: %s"), error->message);
      toast (self, text);
      return;
    }

  if (deleted == 0)
    {
      toast (self, _("No runs are beyond these limits"));
      return;
    }

  text = g_strdup_printf (ngettext ("Deleted %" PRId64 " run", "Deleted %" PRId64 " runs", (gulong) deleted),
                          (int64_t) deleted);
  toast (self, text);

  /* The visible page (a card's last sync, the history list) shows what
   * is left. */
  main_window = get_main_window (self);
  if (main_window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (main_window), "win.reload", NULL);
}

static void
on_prune_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      LiaPreferences   *self)
{
  LiaWindow *main_window = get_main_window (self);

  if (g_strcmp0 (response, "delete") != 0 || main_window == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->prune_button), FALSE);
  prune_async (self, lia_window_get_database_path (main_window),
               g_settings_get_int (self->settings, "history-retention-days"),
               g_settings_get_int (self->settings, "history-retention-runs"),
               on_prune_finished_cb, NULL);
}

/* Deleting cannot be undone: it asks first, with the limits in words. */
static void
on_prune_clicked_cb (LiaPreferences *self,
                     GtkButton      *button)
{
  int days = g_settings_get_int (self->settings, "history-retention-days");
  int runs = g_settings_get_int (self->settings, "history-retention-runs");
  g_autofree char *days_text = NULL;
  g_autofree char *runs_text = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  days_text = g_strdup_printf (ngettext ("Runs that started more than %d day ago will be deleted.",
                                         "Runs that started more than %d days ago will be deleted.", days),
                               days);
  runs_text = g_strdup_printf (ngettext ("Only the newest run will be kept.",
                                         "Only the newest %d runs will be kept.", runs),
                               runs);
  body = g_strjoin (" ", days_text, runs_text, _("This cannot be undone."), NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Delete Old History?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_prune_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- GObject ------------------------------------------------------------- */

static void
lia_preferences_dispose (GObject *object)
{
  LiaPreferences *self = LIA_PREFERENCES (object);

  g_cancellable_cancel (self->cancellable);
  if (self->folder_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->folder_chooser));
  g_clear_object (&self->folder_chooser);

  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_PREFERENCES);

  G_OBJECT_CLASS (lia_preferences_parent_class)->dispose (object);
}

static void
lia_preferences_finalize (GObject *object)
{
  LiaPreferences *self = LIA_PREFERENCES (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lia_preferences_parent_class)->finalize (object);
}

static void
lia_preferences_class_init (LiaPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_preferences_dispose;
  object_class->finalize = lia_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaPreferences, background_switch);
  gtk_widget_class_bind_template_child (widget_class, LiaPreferences, folder_row);
  gtk_widget_class_bind_template_child (widget_class, LiaPreferences, folder_reset_button);
  gtk_widget_class_bind_template_child (widget_class, LiaPreferences, folder_button);
  gtk_widget_class_bind_template_child (widget_class, LiaPreferences, bom_switch);
  gtk_widget_class_bind_template_child (widget_class, LiaPreferences, days_spin);
  gtk_widget_class_bind_template_child (widget_class, LiaPreferences, runs_spin);
  gtk_widget_class_bind_template_child (widget_class, LiaPreferences, prune_button);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_reset_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_prune_clicked_cb);
}

static void
lia_preferences_init (LiaPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);

  g_settings_bind (self->settings, "run-in-background",
                   self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "export-bom",
                   self->bom_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-retention-days",
                   self->days_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-retention-runs",
                   self->runs_spin, "value", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed::default-export-folder",
                           G_CALLBACK (update_folder_row), self, G_CONNECT_SWAPPED);
  update_folder_row (self);
}

/* --- Public API ---------------------------------------------------------- */

/* The Preferences window for @transient_for; "Delete Old History Now"
 * works on its database when it is a LiaWindow. */
LiaPreferences *
lia_preferences_new (GtkWindow *transient_for)
{
  LiaPreferences *self;

  g_return_val_if_fail (transient_for == NULL || GTK_IS_WINDOW (transient_for), NULL);

  self = g_object_new (LIA_TYPE_PREFERENCES,
                       "transient-for", transient_for,
                       "application", transient_for != NULL ? gtk_window_get_application (transient_for) : NULL,
                       NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->prune_button), LIA_IS_WINDOW (transient_for));
  return self;
}
