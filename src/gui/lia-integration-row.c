/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-integration-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-connector.h"
#include "lia-gui-text.h"
#include "lia-integration-row.h"
#include "lia-integration-tasks.h"
#include "lia-kind.h"
#include "lia-sync-runner.h"
#include "lia-window.h"

/* One integration's card in the Integrations page: what it is, whether it
 * works, when it synced and syncs next, and what to do with it. Its sync
 * state comes from the sync controller, so a sync started elsewhere (Ctrl+R,
 * the scheduler) shows here too; after a sync, or when switched on or off,
 * the card reads its integration again in a worker thread. */
struct _LiaIntegrationRow
{
  GtkListBoxRow      parent_instance;

  LiaSyncController *controller;
  GCancellable      *cancellable;   /* of every task the card started */

  gint64             id;
  char              *name;
  LiaKind            kind;
  gboolean           enabled;
  char              *status;        /* LIA_STATUS_* as stored */
  gint64             last_sync;
  char              *last_result;

  gboolean           syncing;
  gboolean           testing;
  gboolean           deleting;
  gboolean           reverting;     /* the switch is being set back */

  GtkImage          *kind_icon;
  GtkLabel          *name_label;
  GtkLabel          *kind_label;
  GtkSwitch         *enable_switch;
  GtkLabel          *status_label;
  GtkLabel          *last_sync_label;
  GtkLabel          *next_sync_label;
  GtkWidget         *progress_box;
  GtkProgressBar    *progress_bar;
  GtkLabel          *progress_label;
  GtkButton         *cancel_button;
  GtkLabel          *test_label;
  GtkButton         *test_button;
  GtkButton         *sync_button;
  GtkMenuButton     *menu_button;
};

G_DEFINE_FINAL_TYPE (LiaIntegrationRow, lia_integration_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  CHANGED,
  DELETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reload (LiaIntegrationRow *self);

/* --- Helpers ------------------------------------------------------------- */

static const char *
get_database_path (LiaIntegrationRow *self)
{
  return lia_sync_controller_get_database_path (self->controller);
}

/* Shows @text over the window; it is plain text, not markup. */
static void
show_toast (LiaIntegrationRow *self,
            const char        *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *escaped = NULL;

  if (!LIA_IS_WINDOW (root))
    return;
  escaped = g_markup_escape_text (text, -1);
  lia_window_add_toast (LIA_WINDOW (root), adw_toast_new (escaped));
}

static const char *
shown_status (LiaIntegrationRow *self,
              const char       **out_style_class)
{
  return lia_gui_text_status (self->syncing ? LIA_GUI_STATUS_SYNCING : self->status,
                              out_style_class);
}

static void
update_status (LiaIntegrationRow *self)
{
  static const char *classes[] = { "success", "warning", "error", "dim-label", "accent" };
  const char *style_class = NULL;
  const char *label = shown_status (self, &style_class);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), classes[i]);
  gtk_label_set_label (self->status_label, label);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style_class);
}

/* A screen reader moving through the list hears the name, then the rest
 * in the order the card shows it. */
static void
update_description (LiaIntegrationRow *self)
{
  g_autofree char *description = NULL;

  description = g_strdup_printf ("%s, %s, %s, %s",
                                 gtk_label_get_label (self->kind_label),
                                 gtk_label_get_label (self->status_label),
                                 gtk_label_get_label (self->last_sync_label),
                                 gtk_label_get_label (self->next_sync_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Each control names the integration it acts on, as several cards have
 * the same buttons. Only when the name changes: a tooltip set on a shown
 * widget asks the display server where the pointer is. */
static void
update_names (LiaIntegrationRow *self)
{
  g_autofree char *enable = NULL;
  g_autofree char *test = NULL;
  g_autofree char *sync = NULL;
  g_autofree char *cancel = NULL;
  g_autofree char *more = NULL;

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->name,
                                  -1);

  /* Translators: %s is an integration's name, on its switch. */
  enable = g_strdup_printf (_("Sync “%s” on schedule"), self->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->enable_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, enable, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->enable_switch), enable);
  test = g_strdup_printf (_("Test the connection of “%s”"), self->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, test, -1);
  sync = g_strdup_printf (_("Sync “%s” now"), self->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, sync, -1);
  cancel = g_strdup_printf (_("Cancel the sync of “%s”"), self->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cancel, -1);
  more = g_strdup_printf (_("More actions for “%s”"), self->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, more, -1);
}

static void
update_actions (LiaIntegrationRow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.sync", !self->syncing && !self->deleting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.cancel", self->syncing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.test", !self->testing && !self->deleting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "card.delete", !self->syncing && !self->deleting);
}

/* The records so far and a bar: when the integration synced successfully
 * before, it fills against what that sync brought; otherwise it pulses.
 * It changes only when the controller reports, at most four times a
 * second. (A pulsing bar animates at the frame rate, which costs a
 * window like this one about 3 ms of CPU a frame with software GL.) */
static void
update_progress (LiaIntegrationRow *self)
{
  g_autofree char *text = NULL;
  gint64 records = 0;
  gint64 expected = 0;
  gboolean reported;

  reported = lia_sync_controller_get_progress (self->controller, self->id, &records, &expected);
  if (reported)
    text = lia_gui_text_progress (records, expected);
  gtk_label_set_label (self->progress_label, text != NULL ? text : _("Syncing…"));

  if (expected > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN ((double) records / expected, 1.0));
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

/* The progress and Cancel while syncing, and the actions that fit. */
static void
show_sync_state (LiaIntegrationRow *self)
{
  gtk_widget_set_visible (self->progress_box, self->syncing);
  if (self->syncing)
    update_progress (self);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, 0);  /* ends a pulse's animation */
  update_actions (self);
}

static void
set_syncing (LiaIntegrationRow *self,
             gboolean           syncing)
{
  self->syncing = syncing;
  show_sync_state (self);
  update_status (self);
  update_description (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Sets the switch without asking the database. */
static void
set_switch (LiaIntegrationRow *self,
            gboolean           active)
{
  self->reverting = TRUE;
  gtk_switch_set_active (self->enable_switch, active);
  gtk_switch_set_state (self->enable_switch, active);
  self->reverting = FALSE;
}

/* The last sync and the next one, relative to @now. */
static void
show_times (LiaIntegrationRow *self,
            GDateTime         *now)
{
  g_autofree char *last = NULL;
  g_autofree char *next = NULL;
  gint64 next_ms = -1;

  /* The scheduler skips what is off or waits for a sign-in. */
  if (self->enabled && g_strcmp0 (self->status, LIA_STATUS_NEEDS_SIGNIN) != 0)
    next_ms = lia_sync_controller_get_next_run (self->controller, self->id);

  last = lia_gui_text_last_sync (self->last_sync, self->last_result, now);
  next = lia_gui_text_next_sync (next_ms, now);
  gtk_label_set_label (self->last_sync_label, last);
  gtk_label_set_label (self->next_sync_label, next);
}

static void
show_integration (LiaIntegrationRow    *self,
                  const LiaIntegration *integration,
                  GDateTime            *now)
{
  const LiaKindInfo *kind = lia_kind_get (integration->kind);
  gboolean renamed = g_strcmp0 (self->name, integration->name) != 0;

  g_free (self->name);
  self->name = g_strdup (integration->name);
  self->kind = integration->kind;
  self->enabled = integration->enabled;
  g_free (self->status);
  self->status = g_strdup (integration->status);
  self->last_sync = integration->last_sync;
  g_free (self->last_result);
  self->last_result = g_strdup (integration->last_result);

  gtk_image_set_from_icon_name (self->kind_icon, kind->icon_name);
  gtk_label_set_label (self->kind_label, _(kind->display_name));
  if (renamed)
    {
      gtk_label_set_label (self->name_label, integration->name);
      update_names (self);
    }
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->enable_switch)))
    set_switch (self, integration->enabled);

  update_status (self);
  show_times (self, now);
  update_description (self);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_integration_read_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  LiaIntegrationRow *self;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;

  integration = lia_integration_tasks_get_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_INTEGRATION_ROW (user_data);
  if (g_error_matches (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_NOT_FOUND))
    {
      /* Removed elsewhere, by the command line for one. */
      g_signal_emit (self, signals[DELETED], 0);
      return;
    }
  if (integration == NULL)
    {
      g_warning ("Cannot read integration %" G_GINT64_FORMAT " again: %s", self->id, error->message);
      return;
    }

  lia_integration_row_update (self, integration);
}

static void
on_sync_started_cb (LiaIntegrationRow *self,
                    gint64             id,
                    LiaSyncController *controller)
{
  if (id != self->id)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->test_label), FALSE);
  set_syncing (self, TRUE);
}

static void
on_sync_progress_cb (LiaIntegrationRow *self,
                     gint64             id,
                     gint64             records,
                     guint              pages,
                     LiaSyncController *controller)
{
  if (id != self->id || !self->syncing)
    return;

  update_progress (self);
}

/* Made when first opened: a popover for each of 200 cards costs start-up
 * time for menus that are rarely opened. */
static void
create_menu_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  LiaIntegrationRow *self = LIA_INTEGRATION_ROW (user_data);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) edit = g_menu_item_new (_("_Edit"), NULL);

  /* The integration form answers win.edit-integration. */
  g_menu_item_set_action_and_target_value (edit, "win.edit-integration", g_variant_new_int64 (self->id));
  g_menu_append_item (menu, edit);
  g_menu_append (menu, _("_Delete…"), "card.delete");
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static void
on_sync_finished_cb (LiaIntegrationRow *self,
                     gint64             id,
                     LiaSyncRun        *run,
                     GError            *error,
                     LiaSyncController *controller)
{
  if (id != self->id)
    return;

  set_syncing (self, FALSE);
  /* A failed run says so on the card; a sync that could not start at all
   * has nowhere else to say it. */
  if (run == NULL && error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s is an integration's name, then why its sync
       * could not run. */
      g_autofree char *text = g_strdup_printf (_("Sync of “%s” failed: %s"), self->name, error->message);

      show_toast (self, text);
    }
  reload (self);
}

static void
on_schedule_changed_cb (LiaIntegrationRow *self,
                        LiaSyncController *controller)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  lia_integration_row_update_time (self, now);
}

static void
on_enabled_set_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LiaIntegrationRow *self;
  g_autoptr(GError) error = NULL;
  gboolean active;

  lia_integration_tasks_set_enabled_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_INTEGRATION_ROW (user_data);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enable_switch), TRUE);
  active = gtk_switch_get_active (self->enable_switch);

  if (error != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is an integration's name, then the reason. */
      text = g_strdup_printf (active ? _("Cannot turn “%s” on: %s") : _("Cannot turn “%s” off: %s"),
                              self->name, error->message);
      set_switch (self, !active);
      show_toast (self, text);
      return;
    }

  gtk_switch_set_state (self->enable_switch, active);
  reload (self);
}

/* The switch asks first; its state follows once the database agrees. */
static gboolean
on_enable_state_set_cb (GtkSwitch         *widget,
                        gboolean           state,
                        LiaIntegrationRow *self)
{
  if (self->reverting || state == self->enabled)
    return FALSE;

  g_debug ("Turning integration %" G_GINT64_FORMAT " %s", self->id, state ? "on" : "off");
  gtk_widget_set_sensitive (GTK_WIDGET (self->enable_switch), FALSE);
  lia_integration_tasks_set_enabled_async (get_database_path (self), self->id, state,
                                           self->cancellable, on_enabled_set_cb, self);
  return TRUE;
}

static void
on_connection_tested_cb (GObject      *source_object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  LiaIntegrationRow *self;
  LiaConnectionTest test = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  ok = lia_connection_test_finish (result, &test, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_INTEGRATION_ROW (user_data);
  self->testing = FALSE;
  update_actions (self);

  if (!ok)
    {
      text = g_strdup_printf (_("Cannot test “%s”: %s"), self->name, error->message);
    }
  else
    {
      text = lia_gui_text_connection_test (test.http_status, test.response_ms,
                                           test.code, test.message, test.hint);
      ok = test.code == NULL;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), ok ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->test_label), ok ? "success" : "error");
  gtk_label_set_label (self->test_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->test_label), TRUE);
  show_toast (self, text);
  lia_connection_test_clear (&test);
}

static void
on_removed_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  LiaIntegrationRow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  lia_integration_tasks_remove_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_INTEGRATION_ROW (user_data);
  self->deleting = FALSE;
  update_actions (self);

  if (error != NULL)
    {
      text = g_strdup_printf (_("Cannot delete “%s”: %s"), self->name, error->message);
      show_toast (self, text);
      return;
    }

  /* Translators: %s is the name of the integration just deleted. */
  text = g_strdup_printf (_("“%s” deleted"), self->name);
  show_toast (self, text);
  g_signal_emit (self, signals[DELETED], 0);
}

static void
on_delete_response_cb (AdwMessageDialog  *dialog,
                       const char        *response,
                       LiaIntegrationRow *self)
{
  if (!g_str_equal (response, "delete"))
    return;

  g_debug ("Deleting integration %" G_GINT64_FORMAT, self->id);
  self->deleting = TRUE;
  update_actions (self);
  lia_integration_tasks_remove_async (get_database_path (self), self->id,
                                      self->cancellable, on_removed_cb, self);
}

static void
on_runs_counted_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  LiaIntegrationRow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root;
  GtkWidget *dialog;
  gint64 runs;

  runs = lia_integration_tasks_count_runs_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = LIA_INTEGRATION_ROW (user_data);
  self->deleting = FALSE;
  update_actions (self);

  /* Without the count the dialog still says what goes. */
  if (runs < 0)
    g_debug ("Cannot count the runs of integration %" G_GINT64_FORMAT ": %s", self->id, error->message);

  /* Translators: %s is an integration's name. */
  heading = g_strdup_printf (_("Delete “%s”?"), self->name);
  if (runs > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Its synced data, its %d sync run and its stored credentials will be removed. This cannot be undone.",
                                         "Its synced data, its %d sync runs and its stored credentials will be removed. This cannot be undone.",
                                         runs),
                            (int) runs);
  else
    body = g_strdup (_("Its synced data, its sync history and its stored credentials will be removed. This cannot be undone."));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- Actions ------------------------------------------------------------- */

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LiaIntegrationRow *self = LIA_INTEGRATION_ROW (widget);

  lia_sync_controller_sync (self->controller, self->id);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LiaIntegrationRow *self = LIA_INTEGRATION_ROW (widget);

  gtk_label_set_label (self->progress_label, _("Cancelling…"));
  gtk_widget_action_set_enabled (widget, "card.cancel", FALSE);
  lia_sync_controller_cancel (self->controller, self->id);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LiaIntegrationRow *self = LIA_INTEGRATION_ROW (widget);

  self->testing = TRUE;
  update_actions (self);
  gtk_label_set_label (self->test_label, _("Testing the connection…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->test_label), TRUE);
  lia_connection_test_async (get_database_path (self), self->id, self->cancellable,
                             on_connection_tested_cb, self);
}

/* Counts what goes first, so that the question can say it. */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LiaIntegrationRow *self = LIA_INTEGRATION_ROW (widget);

  self->deleting = TRUE;
  update_actions (self);
  lia_integration_tasks_count_runs_async (get_database_path (self), self->id,
                                          self->cancellable, on_runs_counted_cb, self);
}

/* --- GObject ------------------------------------------------------------ */

static void
reload (LiaIntegrationRow *self)
{
  lia_integration_tasks_get_async (get_database_path (self), self->id, self->cancellable,
                                   on_integration_read_cb, self);
}

static void
lia_integration_row_dispose (GObject *object)
{
  LiaIntegrationRow *self = LIA_INTEGRATION_ROW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_INTEGRATION_ROW);

  G_OBJECT_CLASS (lia_integration_row_parent_class)->dispose (object);
}

static void
lia_integration_row_finalize (GObject *object)
{
  LiaIntegrationRow *self = LIA_INTEGRATION_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->controller);
  g_free (self->name);
  g_free (self->status);
  g_free (self->last_result);

  G_OBJECT_CLASS (lia_integration_row_parent_class)->finalize (object);
}

static void
lia_integration_row_class_init (LiaIntegrationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_integration_row_dispose;
  object_class->finalize = lia_integration_row_finalize;

  /**
   * LiaIntegrationRow::changed:
   *
   * What the card shows changed: its status, its sync state or its
   * integration, which a search may now match or not.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * LiaIntegrationRow::deleted:
   *
   * The integration is gone from the database.
   */
  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-integration-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, enable_switch);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, next_sync_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, test_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, test_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, on_enable_state_set_cb);

  gtk_widget_class_install_action (widget_class, "card.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "card.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "card.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "card.delete", NULL, delete_action);
}

static void
lia_integration_row_init (LiaIntegrationRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_cb, self, NULL);
}

/* --- Public API ---------------------------------------------------------- */

GtkWidget *
lia_integration_row_new (const LiaIntegration *integration,
                         LiaSyncController    *controller,
                         GDateTime            *now)
{
  LiaIntegrationRow *self;

  g_return_val_if_fail (integration != NULL, NULL);
  g_return_val_if_fail (LIA_IS_SYNC_CONTROLLER (controller), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (LIA_TYPE_INTEGRATION_ROW, NULL);
  self->id = integration->id;
  self->controller = g_object_ref (controller);
  self->syncing = lia_sync_controller_is_running (controller, integration->id);

  g_signal_connect_object (controller, "sync-started", G_CALLBACK (on_sync_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "sync-progress", G_CALLBACK (on_sync_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "sync-finished", G_CALLBACK (on_sync_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "schedule-changed", G_CALLBACK (on_schedule_changed_cb), self, G_CONNECT_SWAPPED);

  show_integration (self, integration, now);
  show_sync_state (self);

  return GTK_WIDGET (self);
}

gint64
lia_integration_row_get_id (LiaIntegrationRow *self)
{
  g_return_val_if_fail (LIA_IS_INTEGRATION_ROW (self), 0);

  return self->id;
}

const char *
lia_integration_row_get_name (LiaIntegrationRow *self)
{
  g_return_val_if_fail (LIA_IS_INTEGRATION_ROW (self), NULL);

  return self->name;
}

gboolean
lia_integration_row_is_syncing (LiaIntegrationRow *self)
{
  g_return_val_if_fail (LIA_IS_INTEGRATION_ROW (self), FALSE);

  return self->syncing;
}

/* Shows @integration, a newer snapshot of the card's integration. */
void
lia_integration_row_update (LiaIntegrationRow    *self,
                            const LiaIntegration *integration)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_return_if_fail (LIA_IS_INTEGRATION_ROW (self));
  g_return_if_fail (integration != NULL && integration->id == self->id);

  show_integration (self, integration, now);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Relative times ("5 minutes ago", "in 25 minutes") go stale; the page
 * calls this now and then with the current time. */
void
lia_integration_row_update_time (LiaIntegrationRow *self,
                                 GDateTime         *now)
{
  g_return_if_fail (LIA_IS_INTEGRATION_ROW (self));
  g_return_if_fail (now != NULL);

  show_times (self, now);
  update_description (self);
}

/* Whether a search for @query finds the card, by its name, its kind or
 * the status it shows. */
gboolean
lia_integration_row_matches (LiaIntegrationRow *self,
                             const char        *query)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (LIA_IS_INTEGRATION_ROW (self), FALSE);

  if (query == NULL || *query == '\0')
    return TRUE;

  text = g_strjoin ("\n", self->name, _(lia_kind_get (self->kind)->display_name),
                    shown_status (self, NULL), NULL);
  return lia_gui_text_matches (query, text);
}
