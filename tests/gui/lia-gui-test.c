/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-gui-test"

#include "config.h"

#include <stdlib.h>

#include "lia-application.h"
#include "lia-database.h"
#include "lia-gui-test.h"
#include "lia-integration-store.h"
#include "lia-test-util.h"
#include "lia-window.h"

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* The real application, registered once, as test-window.c does: its
 * startup loads the style sheet and the icons. */
GApplication *
lia_gui_test_init (int    *argc,
                   char ***argv)
{
  g_autoptr(GError) error = NULL;
  GApplication *app;

  lia_test_init (argc, argv);

  app = G_APPLICATION (lia_application_new ());
  g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);
  return app;
}

/* Runs the main loop until @predicate holds, for at most 20 seconds (times
 * $LIAISON_TEST_SLOWDOWN, for slow runs such as valgrind's). */
gboolean
lia_gui_test_wait_until (LiaGuiPredicate predicate,
                         gpointer        data)
{
  const char *slowdown = g_getenv ("LIAISON_TEST_SLOWDOWN");
  int seconds = 20 * (slowdown != NULL ? MAX (atoi (slowdown), 1) : 1);
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake_up_id = g_timeout_add (20, wake_up_cb, NULL);
  gboolean done;

  while (!(done = predicate (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake_up_id);
  return done;
}

/* Lets transitions end and layout settle: half a second of main loop. */
void
lia_gui_test_settle (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  guint wake_up_id = g_timeout_add (10, wake_up_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_up_id);
}

static gboolean
is_frame_drawn (gpointer data)
{
  GtkWidget *window = data;

  return gtk_widget_get_mapped (window) && gtk_widget_get_width (window) > 0;
}

/* Opens a window on @db_path at @width × @height and returns once it is on
 * screen: some of its actions act only then. */
GtkWidget *
lia_gui_test_open_window (GApplication *app,
                          const char   *db_path,
                          int           width,
                          int           height)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  LiaWindow *window;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = lia_window_new (ADW_APPLICATION (app), db_path);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (lia_gui_test_wait_until (is_frame_drawn, window));
  return GTK_WIDGET (window);
}

static gboolean
is_gone (gpointer data)
{
  g_autoptr(GObject) object = g_weak_ref_get (data);

  return object == NULL;
}

void
lia_gui_test_close_window (GtkWidget *window)
{
  GWeakRef ref;

  g_weak_ref_init (&ref, window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (lia_gui_test_wait_until (is_gone, &ref));
  g_weak_ref_clear (&ref);
}

static void
collect (GtkWidget *widget,
         GType      type,
         gboolean   drawable_only,
         GPtrArray *out)
{
  if (drawable_only && !gtk_widget_is_drawable (widget))
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, drawable_only, out);
}

/* The widgets of @type under @root in tree order; with @drawable_only,
 * those on screen. */
GPtrArray *
lia_gui_test_find_all (GtkWidget *root,
                       GType      type,
                       gboolean   drawable_only)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, drawable_only, found);
  return found;
}

/* The first widget of @type under @root, shown or not. */
GtkWidget *
lia_gui_test_find (GtkWidget *root,
                   GType      type)
{
  g_autoptr(GPtrArray) found = lia_gui_test_find_all (root, type, FALSE);

  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* The preferences row under @root whose title is @title, as a user finds
 * it. */
GtkWidget *
lia_gui_test_find_row (GtkWidget  *root,
                       const char *title)
{
  g_autoptr(GPtrArray) rows = lia_gui_test_find_all (root, ADW_TYPE_PREFERENCES_ROW, FALSE);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* The first button under @root labelled @label, shown or not. */
GtkWidget *
lia_gui_test_find_button (GtkWidget  *root,
                          const char *label)
{
  g_autoptr(GPtrArray) buttons = lia_gui_test_find_all (root, GTK_TYPE_BUTTON, FALSE);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

/* The first label under @root with the style class @css_class, shown or
 * not. */
GtkLabel *
lia_gui_test_find_label_with_class (GtkWidget  *root,
                                    const char *css_class)
{
  g_autoptr(GPtrArray) labels = lia_gui_test_find_all (root, GTK_TYPE_LABEL, FALSE);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), css_class))
      return g_ptr_array_index (labels, i);
  return NULL;
}

/* The first visible window of @type: a dialog or a window that the
 * application opened. */
GtkWidget *
lia_gui_test_find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

gboolean
lia_gui_test_shows_label (GtkWidget  *root,
                          const char *text)
{
  g_autoptr(GPtrArray) labels = lia_gui_test_find_all (root, GTK_TYPE_LABEL, TRUE);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;
  return FALSE;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_painted (gpointer data)
{
  return *(gboolean *) data;
}

/* Renders @window as it shows into tests/gui/screenshots/@name.png in the
 * build directory, for people to look at. */
void
lia_gui_test_save_screenshot (GtkWidget  *window,
                              const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_BUILT, "gui", "screenshots", NULL);
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width;
  int height;
  gboolean painted = FALSE;
  gulong paint_id;

  g_assert_true (lia_gui_test_wait_until (is_frame_drawn, window));
  lia_gui_test_settle ();

  /* Right after a frame, before anything can ask for the next one: the
   * window's drawing is complete then. */
  paint_id = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                               G_CALLBACK (on_after_paint_cb), &painted);
  gtk_widget_queue_draw (window);
  g_assert_true (lia_gui_test_wait_until (is_painted, &painted));
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (window), paint_id);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

void
lia_gui_test_set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_DEFAULT);
}

/* Stores the integration that @json configures and returns its id. */
gint64
lia_gui_test_add_integration (LiaDatabase *db,
                              const char  *json)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  config = lia_config_parse_data (json, -1, &secrets, &error);
  g_assert_no_error (error);
  id = lia_integration_store_add (db, config, secrets, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

void
lia_gui_test_exec_sql (LiaDatabase *db,
                       const char  *sql)
{
  g_autoptr(GError) error = NULL;

  lia_database_exec (db, sql, &error);
  g_assert_no_error (error);
}
