/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-window"

#include "config.h"

#include "lia-application.h"
#include "lia-exports-page.h"
#include "lia-history-page.h"
#include "lia-integration-form.h"
#include "lia-integration-row.h"
#include "lia-integrations-page.h"
#include "lia-window.h"

/* The main window: one AdwViewStack page per area of the app, switched from
 * the header bar when wide and from the bottom bar when narrow. Each page
 * is a widget of its own that loads what it shows from the window's
 * database. The History and Exports pages are made when they first show:
 * nothing of theirs is in the first frame, yet building them, and the
 * History page reading a long history and making its rows, came before
 * it. */
struct _LiaWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *database_path;
  GSettings            *settings;
  LiaSyncController    *sync_controller;  /* the application's, for this database */

  AdwViewStack         *view_stack;
  LiaIntegrationsPage  *integrations_page;
  AdwBin               *history_bin;
  LiaHistoryPage       *history_page;       /* NULL until it first shows */
  AdwBin               *exports_bin;
  LiaExportsPage       *exports_page;       /* NULL until it first shows */
  AdwToastOverlay      *toast_overlay;
  GtkToggleButton      *search_button;
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

static LiaHistoryPage *
ensure_history_page (LiaWindow *self)
{
  if (self->history_page == NULL)
    {
      self->history_page = g_object_new (LIA_TYPE_HISTORY_PAGE, NULL);
      if (self->sync_controller != NULL)
        lia_history_page_set_sync_controller (self->history_page, self->sync_controller);
      lia_history_page_set_database_path (self->history_page, self->database_path);
      adw_bin_set_child (self->history_bin, GTK_WIDGET (self->history_page));
    }
  return self->history_page;
}

static void
ensure_exports_page (LiaWindow *self)
{
  if (self->exports_page == NULL)
    {
      self->exports_page = g_object_new (LIA_TYPE_EXPORTS_PAGE, NULL);
      lia_exports_page_set_database_path (self->exports_page, self->database_path);
      adw_bin_set_child (self->exports_bin, GTK_WIDGET (self->exports_page));
    }
}

/* --- Start-up report ----------------------------------------------------- */

/* For tests/bench/bench-gui-startup.c, which cannot see frames from
 * outside: with LIAISON_REPORT_FIRST_FRAME set, the first frame painted and
 * then the first one with integration cards are written to standard error
 * in g_get_monotonic_time() µs (CLOCK_MONOTONIC, the benchmark's clock).
 * Set to "quit", the app quits after the cards' frame. */

static guint
count_mapped (GtkWidget *widget,
              GType      type)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return 1;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_mapped (child, type);
  return n;
}

static void
on_report_after_paint_cb (GdkFrameClock *frame_clock,
                          LiaWindow     *self)
{
  static gboolean first_reported;  /* one report a process: start-up's */
  gint64 now = g_get_monotonic_time ();
  guint cards = count_mapped (GTK_WIDGET (self->integrations_page), LIA_TYPE_INTEGRATION_ROW);

  if (!first_reported)
    {
      first_reported = TRUE;
      g_printerr ("first-frame %" G_GINT64_FORMAT " cards=%u\n", now, cards);
    }
  if (cards == 0)
    return;

  g_printerr ("cards-shown %" G_GINT64_FORMAT " cards=%u\n", now, cards);
  g_signal_handlers_disconnect_by_func (frame_clock, on_report_after_paint_cb, self);
  if (g_strcmp0 (g_getenv ("LIAISON_REPORT_FIRST_FRAME"), "quit") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.quit", NULL);
}

static void
on_report_realize_cb (GtkWidget *widget)
{
  g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                           G_CALLBACK (on_report_after_paint_cb), widget, 0);
}

/* --- Actions ------------------------------------------------------------- */

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LiaWindow *self = LIA_WINDOW (widget);
  const char *visible = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (visible, "history") == 0)
    lia_history_page_reload (ensure_history_page (self));
  else
    lia_integrations_page_reload (self->integrations_page);
}

/* win.show-run(x): a run's details on the History page, as from a
 * notification. */
static void
show_run_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LiaWindow *self = LIA_WINDOW (widget);
  gint64 run_id = g_variant_get_int64 (parameter);

  if (run_id <= 0)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "history");
  lia_history_page_show_run (ensure_history_page (self), run_id);
}

/* win.open-folder(s): a folder's URI, shown in the file manager (the
 * Exports page's toasts). */
static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

static void
sync_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  LiaWindow *self = LIA_WINDOW (widget);

  lia_integrations_page_sync_all (self->integrations_page);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LiaWindow *self = LIA_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "integrations");
  lia_integrations_page_start_search (self->integrations_page);
}

static void
on_visible_page_cb (LiaWindow  *self,
                    GParamSpec *pspec,
                    GObject    *view_stack)
{
  const char *visible = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (visible, "history") == 0)
    ensure_history_page (self);
  else if (g_strcmp0 (visible, "exports") == 0)
    ensure_exports_page (self);
}

/* The search button searches integrations: it shows on their page only. */
static gboolean
is_integrations_page (gpointer    user_data,
                      const char *visible_child_name)
{
  return g_strcmp0 (visible_child_name, "integrations") == 0;
}

/* win.add-integration: the integration form, empty, with templates. */
static void
add_integration_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  gtk_window_present (GTK_WINDOW (lia_integration_form_new (LIA_WINDOW (widget))));
}

/* win.edit-integration(x): the form on integration x, once read. */
static void
edit_integration_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  gint64 id = g_variant_get_int64 (parameter);

  if (id > 0)
    lia_integration_form_edit (LIA_WINDOW (widget), id);
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
  LiaWindow *self = LIA_WINDOW (object);

  g_clear_object (&self->sync_controller);
  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_WINDOW);
  /* They went with their bins. */
  self->history_page = NULL;
  self->exports_page = NULL;

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
  gtk_widget_class_bind_template_child (widget_class, LiaWindow, history_bin);
  gtk_widget_class_bind_template_child (widget_class, LiaWindow, exports_bin);
  gtk_widget_class_bind_template_child (widget_class, LiaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, LiaWindow, search_button);
  gtk_widget_class_bind_template_callback (widget_class, is_integrations_page);

  /* Ctrl+R stays free for syncing every integration. */
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-run", "x", show_run_action);
  gtk_widget_class_install_action (widget_class, "win.open-folder", "s", open_folder_action);
  gtk_widget_class_install_action (widget_class, "win.sync-all", NULL, sync_all_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.sync-all", NULL);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_install_action (widget_class, "win.add-integration", NULL, add_integration_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.add-integration", NULL);
  gtk_widget_class_install_action (widget_class, "win.edit-integration", "x", edit_integration_action);

  g_type_ensure (LIA_TYPE_INTEGRATIONS_PAGE);
}

static void
lia_window_init (LiaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Start-up benchmark only (see on_report_after_paint_cb). */
  if (g_getenv ("LIAISON_REPORT_FIRST_FRAME") != NULL)
    g_signal_connect (self, "realize", G_CALLBACK (on_report_realize_cb), NULL);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_visible_page_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->integrations_page, "search-mode",
                          self->search_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* --- Public API ---------------------------------------------------------- */

LiaWindow *
lia_window_new (AdwApplication *application,
                const char     *database_path)
{
  LiaWindow *self;

  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (database_path != NULL, NULL);

  self = g_object_new (LIA_TYPE_WINDOW,
                       "application", application,
                       "database-path", database_path,
                       NULL);

  /* Syncs outlive windows: the application keeps them, one controller
   * per database. */
  if (LIA_IS_APPLICATION (application))
    {
      self->sync_controller = g_object_ref (lia_application_get_sync_controller (LIA_APPLICATION (application),
                                                                                  database_path));
      lia_integrations_page_set_sync_controller (self->integrations_page, self->sync_controller);
    }

  return self;
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

/* The controller of this window's database's syncs (see
 * lia_application_get_sync_controller()), or NULL outside LiaApplication. */
LiaSyncController *
lia_window_get_sync_controller (LiaWindow *self)
{
  g_return_val_if_fail (LIA_IS_WINDOW (self), NULL);

  return self->sync_controller;
}
