/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-integrations-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-database.h"
#include "lia-integration-row.h"
#include "lia-integration-store.h"
#include "lia-integrations-page.h"

/* The Integrations page: every integration in the database with its status.
 * The list is read in a worker thread with its own database connection and
 * shown when it arrives; until the first answer a spinner shows. */
struct _LiaIntegrationsPage
{
  AdwBin         parent_instance;

  char          *database_path;
  GCancellable  *cancellable;   /* of the load in progress, if any */
  guint          clock_id;      /* refreshes relative times while mapped */

  GtkStack      *stack;
  GtkSpinner    *spinner;
  GtkListBox    *list_box;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (LiaIntegrationsPage, lia_integrations_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DATABASE_PATH,
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

static void
clear_rows (LiaIntegrationsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);
}

static void
show_integrations (LiaIntegrationsPage *self,
                   GPtrArray           *integrations)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  clear_rows (self);

  if (integrations->len == 0)
    {
      show_state (self, "empty");
      return;
    }

  for (guint i = 0; i < integrations->len; i++)
    {
      const LiaIntegration *integration = g_ptr_array_index (integrations, i);

      gtk_list_box_append (self->list_box, lia_integration_row_new (integration, now));
    }
  show_state (self, "list");
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
  g_clear_handle_id (&self->clock_id, g_source_remove);

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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-integrations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationsPage, error_page);

  g_type_ensure (LIA_TYPE_INTEGRATION_ROW);
}

static void
lia_integrations_page_init (LiaIntegrationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
  show_state (self, "loading");
  lia_integrations_page_reload (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
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
