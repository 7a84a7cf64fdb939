/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-window"

#include "config.h"

#include "lia-integrations-page.h"
#include "lia-window.h"

/* The main window: one AdwViewStack page per area of the app, switched from
 * the header bar when wide and from the bottom bar when narrow. Each page
 * is a widget of its own that loads what it shows from the window's
 * database. */
struct _LiaWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *database_path;
  GSettings            *settings;

  AdwViewStack         *view_stack;
  LiaIntegrationsPage  *integrations_page;
  AdwToastOverlay      *toast_overlay;
};

G_DEFINE_FINAL_TYPE (LiaWindow, lia_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- Helpers ------------------------------------------------------------- */

static void
restore_window_state (LiaWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (LiaWindow *self)
{
  int width = 0;
  int height = 0;

  /* GTK 4 keeps the default size equal to the unmaximized size. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_apply (self->settings);
}

/* --- Actions ------------------------------------------------------------- */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LiaWindow *self = LIA_WINDOW (widget);

  lia_integrations_page_reload (self->integrations_page);
}

/* --- GObject and GtkWindow ---------------------------------------------- */

static gboolean
lia_window_close_request (GtkWindow *window)
{
  save_window_state (LIA_WINDOW (window));

  return GTK_WINDOW_CLASS (lia_window_parent_class)->close_request (window);
}

static void
lia_window_constructed (GObject *object)
{
  LiaWindow *self = LIA_WINDOW (object);

  G_OBJECT_CLASS (lia_window_parent_class)->constructed (object);

  restore_window_state (self);
  lia_integrations_page_set_database_path (self->integrations_page, self->database_path);
}

static void
lia_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_WINDOW);

  G_OBJECT_CLASS (lia_window_parent_class)->dispose (object);
}

static void
lia_window_finalize (GObject *object)
{
  LiaWindow *self = LIA_WINDOW (object);

  g_clear_object (&self->settings);
  g_free (self->database_path);

  G_OBJECT_CLASS (lia_window_parent_class)->finalize (object);
}

static void
lia_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  LiaWindow *self = LIA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  LiaWindow *self = LIA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      self->database_path = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_window_class_init (LiaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = lia_window_constructed;
  object_class->dispose = lia_window_dispose;
  object_class->finalize = lia_window_finalize;
  object_class->get_property = lia_window_get_property;
  object_class->set_property = lia_window_set_property;

  window_class->close_request = lia_window_close_request;

  /**
   * LiaWindow:database-path:
   *
   * The database the window shows, already resolved (see
   * lia_database_resolve_path()).
   */
  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-window.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, LiaWindow, integrations_page);
  gtk_widget_class_bind_template_child (widget_class, LiaWindow, toast_overlay);

  /* Ctrl+R stays free for syncing every integration. */
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);

  g_type_ensure (LIA_TYPE_INTEGRATIONS_PAGE);
}

static void
lia_window_init (LiaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
}

/* --- Public API ---------------------------------------------------------- */

LiaWindow *
lia_window_new (AdwApplication *application,
                const char     *database_path)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (database_path != NULL, NULL);

  return g_object_new (LIA_TYPE_WINDOW,
                       "application", application,
                       "database-path", database_path,
                       NULL);
}

const char *
lia_window_get_database_path (LiaWindow *self)
{
  g_return_val_if_fail (LIA_IS_WINDOW (self), NULL);

  return self->database_path;
}

/* Shows a short message over the window; takes @toast. */
void
lia_window_add_toast (LiaWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (LIA_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
