/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-application"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-application.h"
#include "lia-database.h"
#include "lia-window.h"

/* One instance per session. Each command line (the first, and any later
 * `liaison` started while this one runs) shows a window for the database it
 * names, reusing the window already open on that database. */
struct _LiaApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (LiaApplication, lia_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the database at PATH instead of the default one"), N_("PATH") },
  { NULL }
};

/* --- Helpers ------------------------------------------------------------- */

static void
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

  gtk_window_present (GTK_WINDOW (window));
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

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
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
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (lia_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);

  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
lia_application_class_init (LiaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = lia_application_startup;
  app_class->activate = lia_application_activate;
  app_class->command_line = lia_application_command_line;
}

static void
lia_application_init (LiaApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
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
