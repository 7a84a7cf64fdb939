/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-application"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-application.h"
#include "lia-database.h"
#include "lia-preferences.h"
#include "lia-window.h"

/* One instance per session. Each command line (the first, and any later
 * `liaison` started while this one runs) shows a window for the database it
 * names, reusing the window already open on that database.
 *
 * Syncs belong to the application, not to windows: one sync controller per
 * database, with its scheduler. With Run in Background on, the application
 * holds itself, so closing the last window leaves the scheduler running;
 * a scheduled sync that fails while no window has the focus raises a
 * notification that opens the run in the history. */
struct _LiaApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  gboolean        held;           /* for Run in Background */
  GHashTable     *controllers;    /* database path → LiaSyncController */
  GHashTable     *run_databases;  /* run id → database path, of notified runs */
};

G_DEFINE_FINAL_TYPE (LiaApplication, lia_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the database at PATH instead of the default one"), N_("PATH") },
  { NULL }
};

/* --- Helpers ------------------------------------------------------------- */

static LiaWindow *
present_window_for (LiaApplication *self,
                    const char     *database_path)
{
  LiaWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (LIA_IS_WINDOW (l->data) &&
          g_strcmp0 (lia_window_get_database_path (l->data), database_path) == 0)
        {
          window = l->data;
          break;
        }
    }

  if (window == NULL)
    window = lia_window_new (ADW_APPLICATION (self), database_path);

  /* A database someone looks at is kept in sync from now on. */
  lia_sync_controller_start_scheduler (lia_application_get_sync_controller (self, database_path));

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
update_background (LiaApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "run-in-background");

  if (wanted == self->held)
    return;

  g_debug ("%s in the background", wanted ? "Running" : "No longer running");
  self->held = wanted;
  if (wanted)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static gboolean
has_active_window (LiaApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (gtk_window_is_active (l->data))
      return TRUE;
  return FALSE;
}

static const char *
find_database_of (LiaApplication *self,
                  LiaScheduler   *scheduler)
{
  GHashTableIter iter;
  const char *path;
  LiaSyncController *controller;

  g_hash_table_iter_init (&iter, self->controllers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &path, (gpointer *) &controller))
    if (lia_sync_controller_get_scheduler (controller) == scheduler)
      return path;
  return NULL;
}

/* --- Callbacks ----------------------------------------------------------- */

/* A scheduled sync failed: with a window in front the card says so; with
 * none, a notification does, and opens the run's history entry. */
static void
on_scheduled_sync_finished_cb (LiaScheduler   *scheduler,
                               gint64          integration_id,
                               LiaSyncRun     *run,
                               GError         *error,
                               LiaApplication *self)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *notification_id = NULL;
  g_autofree char *title = NULL;
  const char *database_path;
  const char *body;

  if (run != NULL ? g_strcmp0 (run->status, "error") != 0
                  : error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (has_active_window (self))
    return;

  if (run != NULL)
    {
      /* Translators: a notification's title; %s is an integration's name. */
      title = g_strdup_printf (_("Sync of “%s” failed"), run->integration_name);
      body = run->message != NULL ? run->message : _("Open its history entry for the details.");
    }
  else
    {
      title = g_strdup (_("A scheduled sync failed"));
      body = error->message;
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  if (run != NULL && run->id > 0)
    {
      database_path = find_database_of (self, scheduler);
      if (database_path != NULL)
        g_hash_table_insert (self->run_databases, g_memdup2 (&run->id, sizeof run->id), g_strdup (database_path));
      g_notification_set_default_action_and_target_value (notification, "app.show-run",
                                                          g_variant_new_int64 (run->id));
    }
  else
    {
      g_notification_set_default_action (notification, "app.activate");
    }

  /* One notification per integration: a newer failure replaces it. */
  notification_id = g_strdup_printf ("sync-failed-%" G_GINT64_FORMAT, integration_id);
  g_debug ("Notifying: %s", title);
  g_application_send_notification (G_APPLICATION (self), notification_id, notification);
}

/* --db wins over the caller's LIAISON_DB; both are read relative to the
 * caller's directory, which may not be ours when another process
 * forwarded its command line. Without either, the default path. */
static char *
resolve_database_path (GApplicationCommandLine *command_line)
{
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autoptr(GFile) file = NULL;
  g_autofree char *explicit_path = NULL;
  const char *arg = NULL;

  if (!g_variant_dict_lookup (options, "db", "^&ay", &arg))
    arg = g_application_command_line_getenv (command_line, "LIAISON_DB");

  if (arg != NULL && *arg != '\0')
    {
      file = g_application_command_line_create_file_for_arg (command_line, arg);
      explicit_path = g_file_get_path (file);
    }

  return lia_database_resolve_path (explicit_path);
}

/* --- Actions ------------------------------------------------------------- */

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Liaison"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("Liaison developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name and e-mail, one translator a line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* Closing each window lets it save its state, as closing it by hand would. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);

  g_application_quit (G_APPLICATION (app));
}

/* Shows a sync run from a notification: the window of its database, asked
 * to open the run in its history (win.show-run) if it knows how. */
static void
show_run_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  LiaApplication *self = LIA_APPLICATION (user_data);
  gint64 run_id = g_variant_get_int64 (parameter);
  g_autofree char *default_path = NULL;
  const char *database_path;
  LiaWindow *window;

  database_path = g_hash_table_lookup (self->run_databases, &run_id);
  if (database_path == NULL)
    database_path = default_path = lia_database_resolve_path (NULL);

  window = present_window_for (self, database_path);
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.show-run", "x", run_id))
    g_debug ("The window cannot show run %" G_GINT64_FORMAT " yet", run_id);
}

/* The main window behind @window: itself, or the one a dialog such as
 * the integration form belongs to. */
static LiaWindow *
find_main_window (GtkApplication *app,
                  GtkWindow      *window)
{
  for (GtkWindow *w = window; w != NULL; w = gtk_window_get_transient_for (w))
    if (LIA_IS_WINDOW (w))
      return LIA_WINDOW (w);

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (LIA_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  LiaWindow *window = find_main_window (app, gtk_application_get_active_window (app));

  /* One Preferences window per main window. */
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (LIA_IS_PREFERENCES (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      {
        gtk_window_present (l->data);
        return;
      }

  gtk_window_present (GTK_WINDOW (lia_preferences_new (GTK_WINDOW (window))));
}

static void
on_help_shown_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LiaWindow) window = user_data;
  g_autoptr(GError) error = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (source), result, &error))
    return;

  g_debug ("Cannot show the help: %s", error->message);
  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
    lia_window_add_toast (window, adw_toast_new (_("Cannot open the help: is the Help app (Yelp) installed?")));
}

/* F1: the help pages that gnome.yelp installs as "liaison", in Yelp. A
 * failure (no help viewer) says so in a toast rather than a warning. */
static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *active = gtk_application_get_active_window (app);
  LiaWindow *window = find_main_window (app, active);

  gtk_show_uri_full (active, "help:liaison", GDK_CURRENT_TIME, NULL, on_help_shown_cb,
                     window != NULL ? g_object_ref (window) : NULL);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "help", help_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
  { "show-run", show_run_action, "x" },
};

/* --- GApplication -------------------------------------------------------- */

static int
lia_application_command_line (GApplication            *app,
                              GApplicationCommandLine *command_line)
{
  g_autofree char *database_path = resolve_database_path (command_line);

  g_debug ("Showing the database at %s", database_path);
  present_window_for (LIA_APPLICATION (app), database_path);

  return EXIT_SUCCESS;
}

static void
lia_application_activate (GApplication *app)
{
  g_autofree char *database_path = lia_database_resolve_path (NULL);

  present_window_for (LIA_APPLICATION (app), database_path);
}

static void
lia_application_startup (GApplication *app)
{
  LiaApplication *self = LIA_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (lia_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  {
    g_autoptr(GAction) background = NULL;

    self->settings = g_settings_new (APPLICATION_ID);
    background = g_settings_create_action (self->settings, "run-in-background");
    g_action_map_add_action (G_ACTION_MAP (app), background);
    g_signal_connect_object (self->settings, "changed::run-in-background",
                             G_CALLBACK (update_background), self, G_CONNECT_SWAPPED);
    update_background (self);
  }
}

static void
lia_application_shutdown (GApplication *app)
{
  LiaApplication *self = LIA_APPLICATION (app);
  GHashTableIter iter;
  LiaSyncController *controller;

  /* Running syncs stop at their next page, recorded as cancelled. */
  g_hash_table_iter_init (&iter, self->controllers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &controller))
    lia_sync_controller_shutdown (controller);

  G_APPLICATION_CLASS (lia_application_parent_class)->shutdown (app);
}

static void
lia_application_dispose (GObject *object)
{
  LiaApplication *self = LIA_APPLICATION (object);

  g_clear_pointer (&self->controllers, g_hash_table_unref);
  g_clear_pointer (&self->run_databases, g_hash_table_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lia_application_parent_class)->dispose (object);
}

static void
lia_application_class_init (LiaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = lia_application_dispose;

  app_class->startup = lia_application_startup;
  app_class->shutdown = lia_application_shutdown;
  app_class->activate = lia_application_activate;
  app_class->command_line = lia_application_command_line;
}

static void
lia_application_init (LiaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);

  self->controllers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->run_databases = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

/* --- Public API ---------------------------------------------------------- */

LiaApplication *
lia_application_new (void)
{
  return g_object_new (LIA_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_SEND_ENVIRONMENT,
                       "resource-base-path", "/io/github/liaison/Liaison",
                       NULL);
}

/* The sync controller of the database at @database_path (a resolved
 * path), made on first use and kept while the application runs. Its
 * scheduler starts when a window shows the database. */
LiaSyncController *
lia_application_get_sync_controller (LiaApplication *self,
                                     const char     *database_path)
{
  LiaSyncController *controller;

  g_return_val_if_fail (LIA_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (database_path != NULL, NULL);

  controller = g_hash_table_lookup (self->controllers, database_path);
  if (controller != NULL)
    return controller;

  controller = lia_sync_controller_new (database_path);
  g_hash_table_insert (self->controllers, g_strdup (database_path), controller);
  g_signal_connect_object (lia_sync_controller_get_scheduler (controller), "sync-finished",
                           G_CALLBACK (on_scheduled_sync_finished_cb), self, 0);
  return controller;
}
