/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-integrations-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-database.h"
#include "lia-gui-text.h"
#include "lia-integration-row.h"
#include "lia-integration-store.h"
#include "lia-integrations-page.h"
#include "lia-sample-data.h"
#include "lia-window.h"

/* The Integrations page: a card for every integration in the database,
 * filtered by the search bar. The list is read in a worker thread with its
 * own database connection and shown when it arrives; until the first
 * answer a spinner shows. With no integration, an empty state offers to
 * add one or to explore a sample school. */
struct _LiaIntegrationsPage
{
  AdwBin             parent_instance;

  char              *database_path;
  LiaSyncController *controller;
  GCancellable      *cancellable;       /* of the load in progress, if any */
  GCancellable      *task_cancellable;  /* of the other tasks, until disposed */
  guint              clock_id;          /* refreshes relative times while mapped */
  gint64             sample_id;         /* the sample school syncing, or 0 */
  gboolean           listed;            /* the list (or why it is empty) shows */
  GPtrArray         *pending;           /* integrations still to get a card */
  guint              pending_id;        /* adds them, a batch at a time */

  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkStack          *stack;
  GtkSpinner        *spinner;
  GtkListBox        *list_box;
  AdwStatusPage     *error_page;
};

G_DEFINE_FINAL_TYPE (LiaIntegrationsPage, lia_integrations_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_SEARCH_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- Loading ------------------------------------------------------------- */

static void
load_integrations_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  GError *error = NULL;

  db = lia_database_open (path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  integrations = lia_integration_store_list (db, &error);
  if (integrations == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&integrations), (GDestroyNotify) g_ptr_array_unref);
}

/* Reads every integration from the database at @path, in a worker thread
 * with a connection of its own. */
static void
load_integrations_async (const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, load_integrations_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_integrations_thread);
}

/* A GPtrArray of LiaIntegration, in the store's order. */
static GPtrArray *
load_integrations_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == load_integrations_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Helpers ------------------------------------------------------------- */

static void
show_state (LiaIntegrationsPage *self,
            const char          *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (name, "loading"));
}

/* Shows @text over the window; it is plain text, not markup. */
static void
show_toast (LiaIntegrationsPage *self,
            const char          *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *escaped = NULL;

  if (!LIA_IS_WINDOW (root))
    return;
  escaped = g_markup_escape_text (text, -1);
  lia_window_add_toast (LIA_WINDOW (root), adw_toast_new (escaped));
}

/* The controller the cards follow. A page used outside LiaApplication
 * (which hands its own) gets one without a scheduler. */
static LiaSyncController *
ensure_controller (LiaIntegrationsPage *self)
{
  if (self->controller == NULL)
    {
      g_autoptr(LiaSyncController) controller = lia_sync_controller_new (self->database_path);

      lia_integrations_page_set_sync_controller (self, controller);
    }
  return self->controller;
}

static void
clear_rows (LiaIntegrationsPage *self)
{
  GtkWidget *child;

  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
}

/* Shows the list, or why it shows nothing: no integration at all, or
 * none that the search finds. */
static void
update_list_state (LiaIntegrationsPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint rows = 0;
  guint matches = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!LIA_IS_INTEGRATION_ROW (child))
        continue;
      rows++;
      if (lia_integration_row_matches (LIA_INTEGRATION_ROW (child), query))
        matches++;
    }

  if (rows == 0)
    show_state (self, "empty");
  else if (matches == 0)
    show_state (self, "no-results");
  else
    show_state (self, "list");
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (user_data);

  return LIA_IS_INTEGRATION_ROW (row) &&
         lia_integration_row_matches (LIA_INTEGRATION_ROW (row),
                                      gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* The card's status or name changed, which a search may now find or not:
 * the filter runs again on that card alone, not on the whole list. */
static void
on_row_changed_cb (LiaIntegrationsPage *self,
                   LiaIntegrationRow   *row)
{
  gtk_list_box_row_changed (GTK_LIST_BOX_ROW (row));
  update_list_state (self);
}

static void
on_row_deleted_cb (LiaIntegrationsPage *self,
                   LiaIntegrationRow   *row)
{
  gtk_list_box_remove (self->list_box, GTK_WIDGET (row));
  update_list_state (self);
}

/* Cards are costly to build and measure (a few ms each): the first
 * screenful goes in before the first frame, the rest a batch per main
 * loop turn, so a school with hundreds of integrations sees its window at
 * once and it never stops responding. */
#define FIRST_CARDS 8
#define CARDS_PER_BATCH 16

static void
add_cards (LiaIntegrationsPage *self,
           guint                count)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  LiaSyncController *controller = ensure_controller (self);

  for (guint i = 0; i < count && self->pending->len > 0; i++)
    {
      g_autoptr(LiaIntegration) integration = g_ptr_array_steal_index (self->pending, 0);
      GtkWidget *row = lia_integration_row_new (integration, controller, now);

      g_signal_connect_object (row, "changed", G_CALLBACK (on_row_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "deleted", G_CALLBACK (on_row_deleted_cb), self, G_CONNECT_SWAPPED);
      gtk_list_box_append (self->list_box, row);
    }
}

static gboolean
add_pending_cards_cb (gpointer user_data)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (user_data);

  add_cards (self, CARDS_PER_BATCH);
  update_list_state (self);
  if (self->pending->len > 0)
    return G_SOURCE_CONTINUE;

  self->pending_id = 0;
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  return G_SOURCE_REMOVE;
}

static void
show_integrations (LiaIntegrationsPage *self,
                   GPtrArray           *integrations)
{
  clear_rows (self);

  /* Cards are added in the order they came, from the front. */
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_integration_free);
  while (integrations->len > 0)
    g_ptr_array_add (self->pending, g_ptr_array_steal_index (integrations, 0));

  add_cards (self, FIRST_CARDS);
  if (self->pending->len > 0)
    self->pending_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, add_pending_cards_cb, self, NULL);
  else
    g_clear_pointer (&self->pending, g_ptr_array_unref);

  self->listed = TRUE;
  update_list_state (self);
}

static void
show_error (LiaIntegrationsPage *self,
            const GError        *error)
{
  gboolean cannot_open = error->domain == LIA_DATABASE_ERROR &&
                         (error->code == LIA_DATABASE_ERROR_OPEN ||
                          error->code == LIA_DATABASE_ERROR_TOO_NEW ||
                          error->code == LIA_DATABASE_ERROR_CORRUPT);

  /* The description is markup, and the message may hold a path with "&". */
  g_autofree char *description = g_markup_escape_text (error->message, -1);

  clear_rows (self);
  self->listed = FALSE;
  adw_status_page_set_title (self->error_page,
                             cannot_open ? _("Cannot Open the Database")
                                         : _("Cannot Load Integrations"));
  adw_status_page_set_description (self->error_page, description);
  show_state (self, "error");
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_integrations_loaded_cb (GObject      *source_object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  LiaIntegrationsPage *self;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GError) error = NULL;

  integrations = load_integrations_finish (result, &error);

  /* A cancelled load belongs to a page that is gone or loading again:
   * user_data may already be freed, so do not touch it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_INTEGRATIONS_PAGE (user_data);
  g_clear_object (&self->cancellable);

  if (integrations == NULL)
    {
      g_debug ("Cannot load the integrations: %s", error->message);
      show_error (self, error);
      return;
    }

  g_debug ("Loaded %u integrations", integrations->len);
  show_integrations (self, integrations);
}

static gboolean
on_clock_tick_cb (gpointer user_data)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (user_data);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (LIA_IS_INTEGRATION_ROW (child))
        lia_integration_row_update_time (LIA_INTEGRATION_ROW (child), now);
    }

  return G_SOURCE_CONTINUE;
}

static void
on_search_changed_cb (LiaIntegrationsPage *self,
                      GtkSearchEntry      *entry)
{
  gtk_list_box_invalidate_filter (self->list_box);
  if (self->listed)
    update_list_state (self);
}

static void
on_search_mode_notify_cb (LiaIntegrationsPage *self,
                          GParamSpec          *pspec,
                          GtkSearchBar        *search_bar)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE]);
}

/* The sample school's first sync ended: say how it went, as it was
 * started by a button with nothing else to show for it. */
static void
on_sync_finished_cb (LiaIntegrationsPage *self,
                     gint64               id,
                     LiaSyncRun          *run,
                     GError              *error,
                     LiaSyncController   *controller)
{
  g_autofree char *text = NULL;

  if (id != self->sample_id || id == 0)
    return;
  self->sample_id = 0;

  if (run != NULL && (g_str_equal (run->status, "success") || g_str_equal (run->status, "partial")))
    {
      g_autofree char *records = NULL;

      records = lia_gui_text_records (lia_sync_run_total (run, G_STRUCT_OFFSET (LiaSyncCounts, processed)));
      /* Translators: %s is a number of records, such as "1,896 records". */
      text = g_strdup_printf (_("Sample School synced: %s"), records);
    }
  else
    {
      const char *reason = run != NULL && run->message != NULL ? run->message
                         : error != NULL ? error->message
                         : _("another sync was running");

      /* Translators: %s says why. */
      text = g_strdup_printf (_("The sample school could not be synced: %s"), reason);
    }
  show_toast (self, text);
}

static void
on_sample_installed_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  LiaIntegrationsPage *self;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = lia_sample_data_install_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_INTEGRATIONS_PAGE (user_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.explore-sample", TRUE);

  if (id == 0)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot add the sample school: %s"), error->message);

      show_toast (self, text);
      return;
    }

  /* Started before the list is read again, so that its card shows it. */
  self->sample_id = id;
  lia_sync_controller_sync (ensure_controller (self), id);
  lia_integrations_page_reload (self);
}

static void
on_sync_all_started_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  LiaIntegrationsPage *self;
  g_autoptr(GError) error = NULL;
  guint started = 0;

  lia_sync_controller_sync_all_finish (LIA_SYNC_CONTROLLER (source_object), result, &started, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_INTEGRATIONS_PAGE (user_data);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot sync: %s"), error->message);

      show_toast (self, text);
    }
  else if (started == 0)
    {
      show_toast (self, _("Nothing to sync: every integration is off or syncing already"));
    }
}

/* --- Actions ------------------------------------------------------------- */

static void
explore_sample_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (widget);

  g_return_if_fail (self->database_path != NULL);

  g_debug ("Adding the sample school");
  gtk_widget_action_set_enabled (widget, "page.explore-sample", FALSE);
  lia_sample_data_install_async (self->database_path, self->task_cancellable,
                                 on_sample_installed_cb, self);
}

/* --- GObject and GtkWidget ---------------------------------------------- */

static void
lia_integrations_page_map (GtkWidget *widget)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (widget);

  GTK_WIDGET_CLASS (lia_integrations_page_parent_class)->map (widget);

  /* Catch up on the time spent hidden, then keep up once a minute. */
  on_clock_tick_cb (self);
  self->clock_id = g_timeout_add_seconds (60, on_clock_tick_cb, self);
}

static void
lia_integrations_page_unmap (GtkWidget *widget)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (widget);

  g_clear_handle_id (&self->clock_id, g_source_remove);

  GTK_WIDGET_CLASS (lia_integrations_page_parent_class)->unmap (widget);
}

static void
lia_integrations_page_dispose (GObject *object)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->task_cancellable);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->controller);

  /* AdwBin unparents its child itself; letting the template do it too
   * would leave AdwBin with a dangling pointer (libadwaita 1.2). */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIA_TYPE_INTEGRATIONS_PAGE);

  G_OBJECT_CLASS (lia_integrations_page_parent_class)->dispose (object);
}

static void
lia_integrations_page_finalize (GObject *object)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (object);

  g_clear_object (&self->task_cancellable);
  g_free (self->database_path);

  G_OBJECT_CLASS (lia_integrations_page_parent_class)->finalize (object);
}

static void
lia_integrations_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    case PROP_SEARCH_MODE:
      g_value_set_boolean (value, gtk_search_bar_get_search_mode (self->search_bar));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_integrations_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  LiaIntegrationsPage *self = LIA_INTEGRATIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      lia_integrations_page_set_database_path (self, g_value_get_string (value));
      break;

    case PROP_SEARCH_MODE:
      /* The search bar notifies, and so this property with it. */
      gtk_search_bar_set_search_mode (self->search_bar, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_integrations_page_class_init (LiaIntegrationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_integrations_page_dispose;
  object_class->finalize = lia_integrations_page_finalize;
  object_class->get_property = lia_integrations_page_get_property;
  object_class->set_property = lia_integrations_page_set_property;

  widget_class->map = lia_integrations_page_map;
  widget_class->unmap = lia_integrations_page_unmap;

  /**
   * LiaIntegrationsPage:database-path:
   *
   * The database the page lists integrations from. Setting it loads the
   * list again.
   */
  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LiaIntegrationsPage:search-mode:
   *
   * Whether the search bar shows, for the window's search button.
   */
  properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-integrations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);

  gtk_widget_class_install_action (widget_class, "page.explore-sample", NULL, explore_sample_action);

  g_type_ensure (LIA_TYPE_INTEGRATION_ROW);
}

static void
lia_integrations_page_init (LiaIntegrationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->task_cancellable = g_cancellable_new ();
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_list_box_set_filter_func (self->list_box, filter_row, self, NULL);
  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (on_search_mode_notify_cb), self, G_CONNECT_SWAPPED);
}

/* --- Public API ---------------------------------------------------------- */

const char *
lia_integrations_page_get_database_path (LiaIntegrationsPage *self)
{
  g_return_val_if_fail (LIA_IS_INTEGRATIONS_PAGE (self), NULL);

  return self->database_path;
}

void
lia_integrations_page_set_database_path (LiaIntegrationsPage *self,
                                         const char          *path)
{
  g_return_if_fail (LIA_IS_INTEGRATIONS_PAGE (self));

  if (g_strcmp0 (self->database_path, path) == 0)
    return;

  g_free (self->database_path);
  self->database_path = g_strdup (path);

  /* Another database: what shows now is not its content. */
  clear_rows (self);
  self->listed = FALSE;
  show_state (self, "loading");
  lia_integrations_page_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
}

LiaSyncController *
lia_integrations_page_get_sync_controller (LiaIntegrationsPage *self)
{
  g_return_val_if_fail (LIA_IS_INTEGRATIONS_PAGE (self), NULL);

  return self->controller;
}

/* Sets the controller whose syncs the cards show and start; takes a
 * reference. It must be for the page's database. */
void
lia_integrations_page_set_sync_controller (LiaIntegrationsPage *self,
                                           LiaSyncController   *controller)
{
  g_autoptr(LiaSyncController) old = NULL;

  g_return_if_fail (LIA_IS_INTEGRATIONS_PAGE (self));
  g_return_if_fail (LIA_IS_SYNC_CONTROLLER (controller));

  if (controller == self->controller)
    return;

  old = g_steal_pointer (&self->controller);
  if (old != NULL)
    g_signal_handlers_disconnect_by_data (old, self);
  self->controller = g_object_ref (controller);
  g_signal_connect_object (controller, "sync-finished", G_CALLBACK (on_sync_finished_cb), self, G_CONNECT_SWAPPED);

  /* Cards made for the other controller follow the wrong syncs. */
  if (old != NULL && gtk_widget_get_first_child (GTK_WIDGET (self->list_box)) != NULL)
    lia_integrations_page_reload (self);
}

/* Reads the list again. What shows stays until the new list arrives, so a
 * reload does not flash. */
void
lia_integrations_page_reload (LiaIntegrationsPage *self)
{
  g_return_if_fail (LIA_IS_INTEGRATIONS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->database_path == NULL)
    return;

  g_debug ("Loading the integrations from %s", self->database_path);
  self->cancellable = g_cancellable_new ();
  load_integrations_async (self->database_path, self->cancellable,
                           on_integrations_loaded_cb, self);
}

/* Shows the search bar and puts the keyboard in it. */
void
lia_integrations_page_start_search (LiaIntegrationsPage *self)
{
  g_return_if_fail (LIA_IS_INTEGRATIONS_PAGE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Syncs every enabled integration now (Ctrl+R). */
void
lia_integrations_page_sync_all (LiaIntegrationsPage *self)
{
  g_return_if_fail (LIA_IS_INTEGRATIONS_PAGE (self));

  if (self->database_path == NULL)
    return;
  lia_sync_controller_sync_all_async (ensure_controller (self), self->task_cancellable,
                                      on_sync_all_started_cb, self);
}
