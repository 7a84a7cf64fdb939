/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-run-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-history-text.h"
#include "lia-run-row.h"

/* One run in the History list: its status, integration, trigger, when it
 * started and how long it took, and what it did. A placeholder item,
 * whose page is still being read, shows as grey bars of the same height. */
struct _LiaRunRow
{
  GtkWidget   parent_instance;

  char       *status_class;
  LiaRunItem *item;          /* shown, watched until its page arrives */

  GtkStack   *stack;
  GtkImage   *status_icon;
  GtkLabel   *name_label;
  GtkLabel   *time_label;
  GtkLabel   *status_label;
  GtkLabel   *trigger_label;
  GtkLabel   *counts_label;
};

G_DEFINE_FINAL_TYPE (LiaRunRow, lia_run_row, GTK_TYPE_WIDGET)

/* --- Helpers ------------------------------------------------------------- */

static void
set_status_class (LiaRunRow  *self,
                  const char *style_class)
{
  if (self->status_class != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), self->status_class);
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), self->status_class);
    }
  g_free (self->status_class);
  self->status_class = g_strdup (style_class);
  if (style_class != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), style_class);
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style_class);
    }
}

static void
show_item (LiaRunRow *self,
           GDateTime *now)
{
  LiaRunItem *item = self->item;
  g_autofree char *ago = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *trigger_text = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *description = NULL;
  const char *name;
  const char *status;
  const char *icon_name = NULL;
  const char *style_class = NULL;

  if (item == NULL || !lia_run_item_get_loaded (item))
    {
      gtk_stack_set_visible_child_name (self->stack, "skeleton");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading…"),
                                      -1);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  /* A run outlives no integration (ON DELETE CASCADE), but be safe. */
  name = lia_run_item_get_integration_name (item);
  if (name == NULL)
    name = "";
  status = lia_history_text_status (lia_run_item_get_status (item), &icon_name, &style_class);
  ago = lia_history_text_ago (lia_run_item_get_started_at (item), now);
  if (lia_run_item_get_duration_ms (item) >= 0)
    {
      duration = lia_history_text_duration (lia_run_item_get_duration_ms (item));
      /* Translators: when a run started ("2 min ago") and how long it took ("4.2 s"). */
      time_text = g_strdup_printf (_("%s · %s"), ago, duration);
    }
  else
    time_text = g_strdup (ago);
  /* Translators: what started a run, after its status: "Succeeded · Scheduled". */
  trigger_text = g_strdup_printf (_("· %s"), lia_history_text_trigger (lia_run_item_get_trigger (item)));
  counts = lia_history_text_counts (lia_run_item_get_processed (item), lia_run_item_get_errors (item));

  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  set_status_class (self, style_class);
  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->time_label, time_text);
  gtk_label_set_label (self->status_label, status);
  gtk_label_set_label (self->trigger_label, trigger_text);
  gtk_label_set_label (self->counts_label, counts);
  gtk_stack_set_visible_child_name (self->stack, "run");

  /* A screen reader hears the integration, then the rest as shown. */
  description = g_strdup_printf ("%s, %s, %s, %s", status,
                                 lia_history_text_trigger (lia_run_item_get_trigger (item)),
                                 time_text, counts);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_item_loaded_cb (LiaRunRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  show_item (self, now);
}

/* --- GObject ------------------------------------------------------------ */

static void
lia_run_row_dispose (GObject *object)
{
  LiaRunRow *self = LIA_RUN_ROW (object);

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_loaded_cb, self);
  g_clear_object (&self->item);

  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_RUN_ROW);

  G_OBJECT_CLASS (lia_run_row_parent_class)->dispose (object);
}

static void
lia_run_row_finalize (GObject *object)
{
  LiaRunRow *self = LIA_RUN_ROW (object);

  g_free (self->status_class);

  G_OBJECT_CLASS (lia_run_row_parent_class)->finalize (object);
}

static void
lia_run_row_class_init (LiaRunRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_run_row_dispose;
  object_class->finalize = lia_run_row_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-run-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaRunRow, stack);
  gtk_widget_class_bind_template_child (widget_class, LiaRunRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, LiaRunRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, LiaRunRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, LiaRunRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, LiaRunRow, trigger_label);
  gtk_widget_class_bind_template_child (widget_class, LiaRunRow, counts_label);
}

static void
lia_run_row_init (LiaRunRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- Public API ---------------------------------------------------------- */

GtkWidget *
lia_run_row_new (void)
{
  return g_object_new (LIA_TYPE_RUN_ROW, NULL);
}

/* Shows @item (NULL: nothing), or grey bars while it is a placeholder
 * until its page arrives; @now is for "2 min ago". */
void
lia_run_row_bind (LiaRunRow  *self,
                  LiaRunItem *item,
                  GDateTime  *now)
{
  g_return_if_fail (LIA_IS_RUN_ROW (self));
  g_return_if_fail (item == NULL || LIA_IS_RUN_ITEM (item));

  if (self->item != item)
    {
      if (self->item != NULL)
        g_signal_handlers_disconnect_by_func (self->item, on_item_loaded_cb, self);
      g_set_object (&self->item, item);
      if (item != NULL && !lia_run_item_get_loaded (item))
        g_signal_connect_object (item, "notify::loaded", G_CALLBACK (on_item_loaded_cb),
                                 self, G_CONNECT_SWAPPED);
    }

  show_item (self, now);
}
