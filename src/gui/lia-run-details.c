/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-run-details"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "lia-data-type.h"
#include "lia-database.h"
#include "lia-history-text.h"
#include "lia-history.h"
#include "lia-run-details.h"

/* One sync run in full: how it went, its counts per data type and the
 * errors it kept. The run is read in a worker thread with a connection of
 * its own; showing another run cancels the read in progress. */
struct _LiaRunDetails
{
  AdwBin               parent_instance;

  char                *database_path;
  gint64               run_id;
  gint64               shown_run_id;
  GCancellable        *cancellable;
  char                *status_class;
  GPtrArray           *rows;          /* added to counts_group and errors_group */

  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkScrolledWindow   *scrolled_window;
  GtkImage            *status_icon;
  GtkLabel            *status_label;
  GtkLabel            *integration_label;
  GtkLabel            *subtitle_label;
  GtkLabel            *message_label;
  GtkLabel            *trigger_value;
  GtkLabel            *started_value;
  GtkLabel            *duration_value;
  GtkLabel            *requests_value;
  GtkLabel            *bytes_value;
  AdwPreferencesGroup *counts_group;
  AdwPreferencesGroup *errors_group;
};

G_DEFINE_FINAL_TYPE (LiaRunDetails, lia_run_details, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_RUN_ID,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- Loading ------------------------------------------------------------- */

typedef struct {
  char   *db_path;
  gint64  run_id;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->db_path);
  g_free (data);
}

static void
load_run_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaSyncRun) run = NULL;
  GError *error = NULL;

  db = lia_database_open (data->db_path, &error);
  if (db != NULL)
    run = lia_history_get (db, data->run_id, &error);
  if (run == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&run), (GDestroyNotify) lia_sync_run_free);
}

static void
load_run_async (const char          *db_path,
                gint64               run_id,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoadData *data = g_new0 (LoadData, 1);

  data->db_path = g_strdup (db_path);
  data->run_id = run_id;
  g_task_set_source_tag (task, load_run_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_run_thread);
}

static LiaSyncRun *
load_run_finish (GAsyncResult  *result,
                 GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == load_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Helpers ------------------------------------------------------------- */

static void
clear_rows (LiaRunDetails *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_GROUP);

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }
  g_ptr_array_set_size (self->rows, 0);
}

static AdwActionRow *
add_row (LiaRunDetails       *self,
         AdwPreferencesGroup *group,
         const char          *title,
         const char          *subtitle)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  /* Messages come from remote systems: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (row, subtitle);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  g_ptr_array_add (self->rows, row);
  return row;
}

static char *
describe_counts (const LiaSyncCounts *counts)
{
  g_autofree char *created = lia_history_text_number (counts->created);
  g_autofree char *updated = lia_history_text_number (counts->updated);
  g_autofree char *unchanged = lia_history_text_number (counts->unchanged);
  g_autofree char *deleted = lia_history_text_number (counts->deleted);
  g_autofree char *errors = lia_history_text_number (counts->errors);

  /* Translators: what a sync did with one data type's records; each %s
   * is a number with thousands separators. */
  return g_strdup_printf (_("%s created · %s updated · %s unchanged · %s deleted · %s errors"),
                          created, updated, unchanged, deleted, errors);
}

static void
show_counts (LiaRunDetails    *self,
             const LiaSyncRun *run)
{
  gboolean any = FALSE;

  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      const LiaSyncCounts *counts = &run->counts[type];
      g_autofree char *subtitle = NULL;
      g_autofree char *processed = NULL;
      g_autofree char *processed_text = NULL;
      AdwActionRow *row;
      GtkWidget *label;

      if (!(run->types & (1u << type)))
        continue;

      any = TRUE;
      subtitle = describe_counts (counts);
      row = add_row (self, self->counts_group, lia_history_text_data_type (type), subtitle);
      processed = lia_history_text_number (counts->processed);
      /* Translators: records of one data type a run processed; %s is a number. */
      processed_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s processed", "%s processed",
                                                     counts->processed),
                                        processed);
      label = gtk_label_new (processed_text);
      gtk_widget_add_css_class (label, "numeric");
      if (counts->errors > 0)
        gtk_widget_add_css_class (label, "warning");
      adw_action_row_add_suffix (row, label);
    }

  adw_preferences_group_set_description (self->counts_group,
                                         any ? NULL : _("This run synced no records."));
}

static void
show_errors (LiaRunDetails    *self,
             const LiaSyncRun *run)
{
  gint64 shown_errors = 0;

  for (guint i = 0; i < run->errors->len; i++)
    {
      const LiaSyncLogEntry *entry = g_ptr_array_index (run->errors, i);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *subtitle = NULL;
      gboolean is_error = g_strcmp0 (entry->level, "error") == 0;
      LiaDataType type;
      AdwActionRow *row;
      GtkWidget *icon;

      if (is_error)
        shown_errors++;
      if (entry->code != NULL)
        g_ptr_array_add (parts, g_strdup (entry->code));
      if (entry->data_type != NULL && lia_data_type_from_string (entry->data_type, &type))
        g_ptr_array_add (parts, g_strdup (lia_history_text_data_type (type)));
      if (entry->external_id != NULL)
        /* Translators: the id of the record an error was about, in its source system. */
        g_ptr_array_add (parts, g_strdup_printf (_("Record %s"), entry->external_id));
      g_ptr_array_add (parts, NULL);
      subtitle = g_strjoinv (" · ", (char **) parts->pdata);

      row = add_row (self, self->errors_group, entry->message != NULL ? entry->message : "",
                     *subtitle != '\0' ? subtitle : NULL);
      gtk_widget_add_css_class (GTK_WIDGET (row), "lia-log-row");
      icon = gtk_image_new_from_icon_name (is_error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, is_error ? "error" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, is_error ? _("Error") : _("Warning"),
                                      -1);
      adw_action_row_add_prefix (row, icon);
    }

  if (run->error_total > shown_errors)
    {
      gint64 more = run->error_total - shown_errors;
      g_autofree char *number = lia_history_text_number (more);
      g_autofree char *text = NULL;
      AdwActionRow *row;

      /* Translators: errors a run saw beyond those it kept; %s is a number. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… and %s more error", "… and %s more errors", more),
                              number);
      row = add_row (self, self->errors_group, text, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (row), "dim-label");
    }

  adw_preferences_group_set_description (self->errors_group,
                                         run->errors->len == 0 && run->error_total == 0
                                         ? _("No errors.") : NULL);
}

static void
show_run (LiaRunDetails    *self,
          const LiaSyncRun *run)
{
  g_autofree char *started = lia_history_text_date_time (run->started_at);
  g_autofree char *duration = NULL;
  g_autofree char *requests = lia_history_text_number (run->requests);
  g_autofree char *bytes = g_format_size (run->bytes);
  g_autofree char *subtitle = NULL;
  const char *icon_name = NULL;
  const char *style_class = NULL;
  const char *status = lia_history_text_status (run->status, &icon_name, &style_class);

  if (self->status_class != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), self->status_class);
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->status_class);
    }
  g_free (self->status_class);
  self->status_class = g_strdup (style_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), style_class);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style_class);
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_label_set_label (self->status_label, status);
  gtk_label_set_label (self->integration_label, run->integration_name != NULL ? run->integration_name : "");
  /* Translators: a sync run's number in the history. */
  subtitle = g_strdup_printf (_("Run %" PRId64), run->id);
  gtk_label_set_label (self->subtitle_label, subtitle);

  gtk_label_set_label (self->message_label, run->message != NULL ? run->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), run->message != NULL && *run->message != '\0');

  if (run->finished_at > 0)
    duration = lia_history_text_duration (run->duration_ms);
  else
    duration = g_strdup (_("In progress"));

  gtk_label_set_label (self->trigger_value, lia_history_text_trigger (run->trigger));
  gtk_label_set_label (self->started_value, started);
  gtk_label_set_label (self->duration_value, duration);
  gtk_label_set_label (self->requests_value, requests);
  gtk_label_set_label (self->bytes_value, bytes);

  clear_rows (self);
  show_counts (self, run);
  show_errors (self, run);

  /* Another run starts at its top; the same one read again stays put. */
  if (run->id != self->shown_run_id)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  self->shown_run_id = run->id;
}

static void
show_state (LiaRunDetails *self,
            const char    *name)
{
  gboolean loading = g_str_equal (name, "loading");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->spinner, loading);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_run_loaded_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LiaRunDetails *self;
  g_autoptr(LiaSyncRun) run = NULL;
  g_autoptr(GError) error = NULL;

  run = load_run_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_RUN_DETAILS (user_data);
  g_clear_object (&self->cancellable);

  if (run == NULL)
    {
      g_autofree char *description = g_markup_escape_text (error->message, -1);

      g_debug ("Cannot load run %" PRId64 ": %s", self->run_id, error->message);
      adw_status_page_set_description (self->error_page, description);
      show_state (self, "error");
    }
  else
    {
      show_run (self, run);
      show_state (self, "run");
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* --- GObject ------------------------------------------------------------ */

static void
lia_run_details_dispose (GObject *object)
{
  LiaRunDetails *self = LIA_RUN_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIA_TYPE_RUN_DETAILS);

  G_OBJECT_CLASS (lia_run_details_parent_class)->dispose (object);
}

static void
lia_run_details_finalize (GObject *object)
{
  LiaRunDetails *self = LIA_RUN_DETAILS (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_free (self->status_class);
  g_free (self->database_path);

  G_OBJECT_CLASS (lia_run_details_parent_class)->finalize (object);
}

static void
lia_run_details_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  LiaRunDetails *self = LIA_RUN_DETAILS (object);

  switch (prop_id)
    {
    case PROP_RUN_ID:
      g_value_set_int64 (value, self->run_id);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, lia_run_details_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_run_details_class_init (LiaRunDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_run_details_dispose;
  object_class->finalize = lia_run_details_finalize;
  object_class->get_property = lia_run_details_get_property;

  properties[PROP_RUN_ID] =
    g_param_spec_int64 ("run-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-run-details.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, spinner);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, error_page);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, status_icon);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, status_label);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, integration_label);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, message_label);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, trigger_value);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, started_value);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, duration_value);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, requests_value);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, bytes_value);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, counts_group);
  gtk_widget_class_bind_template_child (widget_class, LiaRunDetails, errors_group);
}

static void
lia_run_details_init (LiaRunDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new ();
}

/* --- Public API ---------------------------------------------------------- */

void
lia_run_details_set_database_path (LiaRunDetails *self,
                                   const char    *path)
{
  g_return_if_fail (LIA_IS_RUN_DETAILS (self));

  g_free (self->database_path);
  self->database_path = g_strdup (path);
}

/* Reads run @run_id and shows it; a spinner shows meanwhile. */
void
lia_run_details_show_run (LiaRunDetails *self,
                          gint64         run_id)
{
  g_return_if_fail (LIA_IS_RUN_DETAILS (self));
  g_return_if_fail (run_id > 0);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->run_id != run_id)
    {
      self->run_id = run_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN_ID]);
    }

  if (self->database_path == NULL)
    return;

  /* A run shown stays until the next one comes, most often within a
   * frame: a spinner in between would only flash. */
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "run"))
    show_state (self, "loading");
  self->cancellable = g_cancellable_new ();
  load_run_async (self->database_path, run_id, self->cancellable, on_run_loaded_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

gint64
lia_run_details_get_run_id (LiaRunDetails *self)
{
  g_return_val_if_fail (LIA_IS_RUN_DETAILS (self), 0);

  return self->run_id;
}

gboolean
lia_run_details_get_loading (LiaRunDetails *self)
{
  g_return_val_if_fail (LIA_IS_RUN_DETAILS (self), FALSE);

  return self->cancellable != NULL;
}
