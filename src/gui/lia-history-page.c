/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-database.h"
#include "lia-history-chart.h"
#include "lia-history-page.h"
#include "lia-history-text.h"
#include "lia-integration-store.h"
#include "lia-run-details.h"
#include "lia-run-row.h"
#include "lia-time.h"

/* The History page: every sync run, newest first, filtered by integration,
 * status and dates, beside the selected run's details or, with none
 * selected, an overview of the last 30 days. An AdwLeaflet folds the two
 * panes into one below 720 pixels.
 *
 * The list is a LiaHistoryModel, which reads pages of runs on demand; a
 * run's details and the overview are read on their own. Nothing here
 * touches the database on the main thread. */
struct _LiaHistoryPage
{
  AdwBin              parent_instance;

  char               *database_path;
  LiaSyncController  *sync_controller;
  gboolean            stale;             /* a sync ran while hidden */
  LiaHistoryModel    *model;
  GtkSingleSelection *selection;
  GArray             *integration_ids;   /* gint64, one per dropdown item */
  GCancellable       *cancellable;       /* of the integrations' load */
  GCancellable       *find_cancellable;  /* of the selected run's new place */
  gboolean            list_stale;        /* runs changed while scrolled down */
  guint               update_id;
  gboolean            updating_filters;
  gint64              since_ms;
  gint64              until_ms;
  gint64              pending_run_id;    /* selected while a placeholder: -1 */
  gint64              reloaded_at;       /* monotonic µs */

  AdwLeaflet         *leaflet;
  GtkDropDown        *integration_dropdown;
  GtkStringList      *integration_names;
  GtkDropDown        *status_dropdown;
  GtkMenuButton      *date_button;
  GtkPopover         *date_popover;
  GtkEntry           *from_entry;
  GtkEntry           *to_entry;
  GtkLabel           *date_error_label;
  GtkLabel           *count_label;
  GtkStack           *list_stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *empty_page;
  AdwStatusPage      *error_page;
  GtkScrolledWindow  *list_scroller;
  GtkListView        *list_view;
  GtkButton          *back_button;
  GtkLabel           *content_title;
  GtkButton          *close_button;
  GtkStack           *content_stack;
  LiaHistoryChart    *chart;
  LiaRunDetails      *details;
};

G_DEFINE_FINAL_TYPE (LiaHistoryPage, lia_history_page, ADW_TYPE_BIN)

/* The status dropdown's items, in order. */
static const char * const statuses[] = { NULL, "success", "partial", "error", "cancelled" };

/* --- Loading the integrations for the filter ----------------------------- */

static void
load_integrations_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  g_autoptr(LiaDatabase) db = NULL;
  GPtrArray *integrations = NULL;
  GError *error = NULL;

  db = lia_database_open (task_data, &error);
  if (db != NULL)
    integrations = lia_integration_store_list (db, &error);
  if (integrations == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, integrations, (GDestroyNotify) g_ptr_array_unref);
}

static void
load_integrations_async (const char          *db_path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, load_integrations_async);
  g_task_set_task_data (task, g_strdup (db_path), g_free);
  g_task_run_in_thread (task, load_integrations_thread);
}

static GPtrArray *
load_integrations_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == load_integrations_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Helpers ------------------------------------------------------------- */

static gboolean
has_filters (LiaHistoryPage *self)
{
  return gtk_drop_down_get_selected (self->integration_dropdown) > 0 ||
         gtk_drop_down_get_selected (self->status_dropdown) > 0 ||
         self->since_ms > 0 || self->until_ms > 0;
}

static void
apply_filter (LiaHistoryPage *self)
{
  guint integration = gtk_drop_down_get_selected (self->integration_dropdown);
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  gint64 integration_id = 0;

  if (self->updating_filters)
    return;

  if (integration != GTK_INVALID_LIST_POSITION && integration < self->integration_ids->len)
    integration_id = g_array_index (self->integration_ids, gint64, integration);
  if (status >= G_N_ELEMENTS (statuses))
    status = 0;

  lia_history_model_set_filter (self->model, integration_id, statuses[status],
                                self->since_ms, self->until_ms);
}

static void
update_list_state (LiaHistoryPage *self)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  gboolean loading = lia_history_model_get_loading (self->model);
  const GError *error = lia_history_model_get_error (self->model);
  const char *state;

  if (n_items > 0)
    {
      g_autofree char *number = lia_history_text_number (n_items);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s run", "%s runs", n_items),
                                               number);

      gtk_label_set_label (self->count_label, text);
      state = "list";
    }
  else if (loading)
    {
      gtk_label_set_label (self->count_label, _("Loading…"));
      state = g_str_equal (gtk_stack_get_visible_child_name (self->list_stack), "list")
              ? "list" : "loading";
    }
  else if (error != NULL)
    {
      g_autofree char *description = g_markup_escape_text (error->message, -1);

      gtk_label_set_label (self->count_label, "");
      adw_status_page_set_description (self->error_page, description);
      state = "error";
    }
  else
    {
      gtk_label_set_label (self->count_label, _("No runs"));
      adw_status_page_set_description (self->empty_page,
                                       has_filters (self)
                                       ? _("No runs match these filters.")
                                       : _("Runs show here once an integration syncs."));
      state = "empty";
    }

  gtk_stack_set_visible_child_name (self->list_stack, state);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
}

static void
update_content_bar (LiaHistoryPage *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  gboolean details = g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), "details");

  gtk_label_set_label (self->content_title, details ? _("Sync Run") : _("Overview"));
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), folded);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), details && !folded);
  /* Narrow, a tap opens a run; wide, selecting one shows it beside. */
  gtk_list_view_set_single_click_activate (self->list_view, folded);
}

static void
show_content (LiaHistoryPage *self,
              const char     *name,
              gboolean        navigate)
{
  gtk_stack_set_visible_child_name (self->content_stack, name);
  update_content_bar (self);
  if (navigate)
    adw_leaflet_set_visible_child_name (self->leaflet, "content");
}

static void
show_item_details (LiaHistoryPage *self,
                   LiaRunItem     *item,
                   gboolean        navigate)
{
  if (!lia_run_item_get_loaded (item))
    {
      /* Shown when its page arrives. */
      self->pending_run_id = -1;
      if (navigate)
        show_content (self, "details", TRUE);
      return;
    }

  self->pending_run_id = 0;
  lia_run_details_show_run (self->details, lia_run_item_get_id (item));
  show_content (self, "details", navigate);
}

static void
update_date_button (LiaHistoryPage *self)
{
  const char *from = gtk_editable_get_text (GTK_EDITABLE (self->from_entry));
  const char *to = gtk_editable_get_text (GTK_EDITABLE (self->to_entry));
  g_autofree char *label = NULL;

  if (self->since_ms > 0 && self->until_ms > 0)
    /* Translators: a range of dates on the dates button: "2024-03-01 – 2024-03-31". */
    label = g_strdup_printf (_("%s – %s"), from, to);
  else if (self->since_ms > 0)
    /* Translators: %s is a date. */
    label = g_strdup_printf (_("From %s"), from);
  else if (self->until_ms > 0)
    /* Translators: %s is a date. */
    label = g_strdup_printf (_("Until %s"), to);
  else
    label = g_strdup (_("Any Date"));

  gtk_menu_button_set_label (self->date_button, label);
}

static void
set_date_error (LiaHistoryPage *self,
                GtkEntry       *entry,
                const char     *message)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->to_entry), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->date_error_label), message != NULL);
  gtk_label_set_label (self->date_error_label, message != NULL ? message : "");

  if (entry != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_widget_grab_focus (GTK_WIDGET (entry));
    }
  else
    {
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->from_entry), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->to_entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* One end of the date range: empty for no bound, else an ISO 8601 date
 * (or date and time), the whole day included. */
static gboolean
parse_date_entry (LiaHistoryPage *self,
                  GtkEntry       *entry,
                  gboolean        end_of_day,
                  gint64         *out_ms)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autoptr(GError) error = NULL;
  gint64 seconds;

  *out_ms = 0;
  if (*text == '\0')
    return TRUE;
  if (!lia_time_parse_cli_date (text, end_of_day, &seconds, &error))
    {
      set_date_error (self, entry, _("Enter a date as YYYY-MM-DD, for example 2024-03-01."));
      return FALSE;
    }
  *out_ms = seconds * 1000 + (end_of_day ? 999 : 0);
  return TRUE;
}

/* Fills the integration filter with @integrations (NULL: none yet),
 * keeping the one selected. */
static void
show_integrations (LiaHistoryPage *self,
                   GPtrArray      *integrations)
{
  guint selected = gtk_drop_down_get_selected (self->integration_dropdown);
  gint64 selected_id = 0;
  gint64 all = 0;
  guint new_selected = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (selected != GTK_INVALID_LIST_POSITION && selected < self->integration_ids->len)
    selected_id = g_array_index (self->integration_ids, gint64, selected);

  g_array_set_size (self->integration_ids, 0);
  g_array_append_val (self->integration_ids, all);
  g_ptr_array_add (names, (gpointer) _("All Integrations"));
  for (guint i = 0; integrations != NULL && i < integrations->len; i++)
    {
      const LiaIntegration *integration = g_ptr_array_index (integrations, i);

      if (integration->id == selected_id)
        new_selected = self->integration_ids->len;
      g_array_append_val (self->integration_ids, integration->id);
      g_ptr_array_add (names, integration->name);
    }
  g_ptr_array_add (names, NULL);

  /* The filter holds while the list is replaced: a removed integration's
   * runs are gone with it, so "All" is right then. */
  self->updating_filters = TRUE;
  gtk_string_list_splice (self->integration_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->integration_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->integration_dropdown, new_selected);
  self->updating_filters = FALSE;

  if (selected_id != 0 && new_selected == 0)
    apply_filter (self);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_integrations_loaded_cb (GObject      *source_object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  LiaHistoryPage *self;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GError) error = NULL;

  integrations = load_integrations_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_HISTORY_PAGE (user_data);
  g_clear_object (&self->cancellable);
  if (integrations == NULL)
    {
      /* The list shows the same error; the filter just keeps "All". */
      g_debug ("Cannot load the integrations: %s", error->message);
      return;
    }
  show_integrations (self, integrations);
}

static gboolean
is_list_at_top (LiaHistoryPage *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

  return adjustment == NULL || gtk_adjustment_get_value (adjustment) <= 0;
}

/* A run began or ended: a new row, or a row's outcome. The list reads
 * them at once only at its top: a reload takes it there (GTK 4.8 cannot
 * keep a position among rows it has not measured), and a scheduled sync
 * must not pull the list from under someone reading further down. It
 * catches up when scrolled back to the top, on F5, or when shown again. */
static void
on_sync_changed_cb (LiaHistoryPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }

  if (is_list_at_top (self))
    lia_history_model_reload (self->model);
  else
    self->list_stale = TRUE;
  lia_history_chart_reload (self->chart);
  if (lia_run_details_get_run_id (self->details) > 0 &&
      g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), "details"))
    lia_run_details_show_run (self->details, lia_run_details_get_run_id (self->details));
}

static void
on_list_scrolled_cb (LiaHistoryPage *self)
{
  if (self->list_stale && is_list_at_top (self))
    {
      self->list_stale = FALSE;
      lia_history_model_reload (self->model);
    }
}

static void
on_filter_changed_cb (LiaHistoryPage *self)
{
  apply_filter (self);
}

static gboolean
update_after_change_cb (gpointer user_data)
{
  LiaHistoryPage *self = LIA_HISTORY_PAGE (user_data);
  LiaRunItem *item;

  self->update_id = 0;
  update_list_state (self);

  /* A run selected while its page was read is shown now that it came. */
  item = gtk_single_selection_get_selected_item (self->selection);
  if (self->pending_run_id == -1 && item != NULL && lia_run_item_get_loaded (item))
    show_item_details (self, item, FALSE);
  return G_SOURCE_REMOVE;
}

/* Once the changes of a turn of the main loop are all in, before the
 * next frame: a reset empties the list and fills it again at once, and
 * showing "no runs" in between would only remap the list. */
static void
on_model_changed_cb (LiaHistoryPage *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (GDK_PRIORITY_REDRAW - 10, update_after_change_cb, self, NULL);
}

static void
on_run_found_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LiaHistoryPage *self;
  g_autoptr(GError) error = NULL;
  gint64 position;

  position = lia_history_model_find_position_finish (LIA_HISTORY_MODEL (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_HISTORY_PAGE (user_data);
  g_clear_object (&self->find_cancellable);

  /* Unless another run was chosen meanwhile. */
  if (position >= 0 && position < g_list_model_get_n_items (G_LIST_MODEL (self->model)) &&
      gtk_single_selection_get_selected (self->selection) == GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, (guint) position);
}

/* The list is about to be emptied and filled again (see
 * LiaHistoryModel::reset), which takes it to the top: the selected run
 * comes back where it is now. */
static void
on_model_reset_cb (LiaHistoryPage *self,
                   gboolean        filter_changed)
{
  LiaRunItem *item = gtk_single_selection_get_selected_item (self->selection);
  gint64 run_id = item != NULL && lia_run_item_get_loaded (item) ? lia_run_item_get_id (item) : 0;

  g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);

  if (item == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  if (run_id > 0)
    {
      self->find_cancellable = g_cancellable_new ();
      lia_history_model_find_position_async (self->model, run_id, self->find_cancellable,
                                             on_run_found_cb, self);
    }
}

static void
on_selection_changed_cb (LiaHistoryPage *self)
{
  LiaRunItem *item = gtk_single_selection_get_selected_item (self->selection);

  /* Folded, a run opens when activated, not while moving over the list. */
  if (item == NULL || adw_leaflet_get_folded (self->leaflet))
    return;
  show_item_details (self, item, FALSE);
}

static void
on_list_activate_cb (LiaHistoryPage *self,
                     guint           position)
{
  g_autoptr(LiaRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (item == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  show_item_details (self, item, TRUE);
}

static void
on_overview_clicked_cb (LiaHistoryPage *self)
{
  lia_history_page_show_overview (self);
}

static void
on_back_clicked_cb (LiaHistoryPage *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_folded_changed_cb (LiaHistoryPage *self)
{
  update_content_bar (self);
}

static void
on_date_popover_show_cb (LiaHistoryPage *self)
{
  set_date_error (self, NULL, NULL);
}

static void
on_date_apply_cb (LiaHistoryPage *self)
{
  gint64 since_ms;
  gint64 until_ms;

  if (!parse_date_entry (self, self->from_entry, FALSE, &since_ms) ||
      !parse_date_entry (self, self->to_entry, TRUE, &until_ms))
    return;
  if (since_ms > 0 && until_ms > 0 && since_ms > until_ms)
    {
      set_date_error (self, self->to_entry, _("The end date must not be before the start date."));
      return;
    }

  set_date_error (self, NULL, NULL);
  self->since_ms = since_ms;
  self->until_ms = until_ms;
  update_date_button (self);
  gtk_popover_popdown (self->date_popover);
  apply_filter (self);
}

static void
on_date_clear_cb (LiaHistoryPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), "");
  on_date_apply_cb (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, lia_run_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  lia_run_row_bind (LIA_RUN_ROW (gtk_list_item_get_child (list_item)),
                    gtk_list_item_get_item (list_item), now);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  lia_run_row_bind (LIA_RUN_ROW (gtk_list_item_get_child (list_item)), NULL, NULL);
}

/* Dropdown buttons ellipsize long names; their lists show them whole. */
static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (user_data))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 6);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 20);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (list_item);

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       gtk_string_object_get_string (string));
}

static GtkListItemFactory *
label_factory_new (gboolean ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);
  return factory;
}

static void
set_dropdown_factories (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) button_factory = label_factory_new (TRUE);
  g_autoptr(GtkListItemFactory) list_factory = label_factory_new (FALSE);

  gtk_drop_down_set_factory (dropdown, button_factory);
  gtk_drop_down_set_list_factory (dropdown, list_factory);
}

/* --- GObject and GtkWidget ---------------------------------------------- */

static void
lia_history_page_map (GtkWidget *widget)
{
  LiaHistoryPage *self = LIA_HISTORY_PAGE (widget);

  GTK_WIDGET_CLASS (lia_history_page_parent_class)->map (widget);

  /* Shown again: catch up on runs recorded meanwhile, unless just read.
   * Without a sync controller, other processes' syncs are not heard of,
   * so read again anyway. */
  if (self->stale || self->sync_controller == NULL ||
      g_get_monotonic_time () - self->reloaded_at > 10 * G_USEC_PER_SEC)
    lia_history_page_reload (self);
}

static void
lia_history_page_dispose (GObject *object)
{
  LiaHistoryPage *self = LIA_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->find_cancellable);
  g_clear_object (&self->find_cancellable);
  g_clear_handle_id (&self->update_id, g_source_remove);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIA_TYPE_HISTORY_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->sync_controller);

  G_OBJECT_CLASS (lia_history_page_parent_class)->dispose (object);
}

static void
lia_history_page_finalize (GObject *object)
{
  LiaHistoryPage *self = LIA_HISTORY_PAGE (object);

  g_clear_pointer (&self->integration_ids, g_array_unref);
  g_free (self->database_path);

  G_OBJECT_CLASS (lia_history_page_parent_class)->finalize (object);
}

static void
lia_history_page_class_init (LiaHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_history_page_dispose;
  object_class->finalize = lia_history_page_finalize;

  widget_class->map = lia_history_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, integration_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, integration_names);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, date_button);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, date_popover);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, date_error_label);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, content_title);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, chart);
  gtk_widget_class_bind_template_child (widget_class, LiaHistoryPage, details);
  gtk_widget_class_bind_template_callback (widget_class, on_overview_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_date_clear_cb);

  g_type_ensure (LIA_TYPE_HISTORY_CHART);
  g_type_ensure (LIA_TYPE_RUN_DETAILS);
}

static void
lia_history_page_init (LiaHistoryPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->integration_ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->model = lia_history_model_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  set_dropdown_factories (self->integration_dropdown);
  set_dropdown_factories (self->status_dropdown);
  show_integrations (self, NULL);
  update_date_button (self);

  g_signal_connect_object (self->model, "reset", G_CALLBACK (on_model_reset_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_model_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_model_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (on_selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->integration_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->status_dropdown, "notify::selected", G_CALLBACK (on_filter_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (on_folded_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->list_scroller), "value-changed",
                           G_CALLBACK (on_list_scrolled_cb), self, G_CONNECT_SWAPPED);

  update_list_state (self);
  update_content_bar (self);
}

/* --- Public API ---------------------------------------------------------- */

/* The integration filter's choices, read again. */
static void
load_integrations (LiaHistoryPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->database_path == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  load_integrations_async (self->database_path, self->cancellable, on_integrations_loaded_cb, self);
}

void
lia_history_page_set_database_path (LiaHistoryPage *self,
                                    const char     *path)
{
  g_return_if_fail (LIA_IS_HISTORY_PAGE (self));

  if (g_strcmp0 (self->database_path, path) == 0)
    return;

  g_free (self->database_path);
  self->database_path = g_strdup (path);

  self->reloaded_at = g_get_monotonic_time ();
  lia_history_model_set_database_path (self->model, path);
  lia_run_details_set_database_path (self->details, path);
  lia_history_chart_set_database_path (self->chart, path);
  load_integrations (self);
}

/* Reloads when @controller's syncs start or finish, at once when the page
 * shows or else when it shows next. */
void
lia_history_page_set_sync_controller (LiaHistoryPage    *self,
                                      LiaSyncController *controller)
{
  g_return_if_fail (LIA_IS_HISTORY_PAGE (self));
  g_return_if_fail (controller == NULL || LIA_IS_SYNC_CONTROLLER (controller));

  if (self->sync_controller != NULL)
    g_signal_handlers_disconnect_by_func (self->sync_controller, on_sync_changed_cb, self);
  g_set_object (&self->sync_controller, controller);
  if (controller == NULL)
    return;

  g_signal_connect_object (controller, "sync-started", G_CALLBACK (on_sync_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "sync-finished", G_CALLBACK (on_sync_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

/* Reads everything again: runs recorded or finished since, the overview,
 * the integrations and the run shown. What shows stays until then. */
void
lia_history_page_reload (LiaHistoryPage *self)
{
  g_return_if_fail (LIA_IS_HISTORY_PAGE (self));

  if (self->database_path == NULL)
    return;

  self->reloaded_at = g_get_monotonic_time ();
  self->stale = FALSE;
  self->list_stale = FALSE;
  lia_history_model_reload (self->model);
  lia_history_chart_reload (self->chart);
  load_integrations (self);
  if (lia_run_details_get_run_id (self->details) > 0 &&
      g_str_equal (gtk_stack_get_visible_child_name (self->content_stack), "details"))
    lia_run_details_show_run (self->details, lia_run_details_get_run_id (self->details));
}

/* Shows run @run_id's details, wherever it is in the list, as from a
 * notification. */
void
lia_history_page_show_run (LiaHistoryPage *self,
                           gint64          run_id)
{
  g_return_if_fail (LIA_IS_HISTORY_PAGE (self));
  g_return_if_fail (run_id > 0);

  self->pending_run_id = 0;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  lia_run_details_show_run (self->details, run_id);
  show_content (self, "details", TRUE);
}

/* Unselects the run and shows the last 30 days instead. */
void
lia_history_page_show_overview (LiaHistoryPage *self)
{
  g_return_if_fail (LIA_IS_HISTORY_PAGE (self));

  self->pending_run_id = 0;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  show_content (self, "overview", TRUE);
}

LiaHistoryModel *
lia_history_page_get_model (LiaHistoryPage *self)
{
  g_return_val_if_fail (LIA_IS_HISTORY_PAGE (self), NULL);

  return self->model;
}
