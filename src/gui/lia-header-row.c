/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-header-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-header-row.h"

/* One custom header in the integration form: its name and value side by
 * side, and a button to remove it. The form keeps the values; the row
 * says when they change ("changed") and when to go ("remove"). */
struct _LiaHeaderRow
{
  AdwPreferencesRow  parent_instance;

  gboolean           updating;

  GtkEntry          *name_entry;
  GtkEntry          *value_entry;
  GtkImage          *error_icon;
  GtkButton         *remove_button;
};

G_DEFINE_FINAL_TYPE (LiaHeaderRow, lia_header_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  SIGNAL_CHANGED,
  SIGNAL_REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- Callbacks ----------------------------------------------------------- */

static void
on_entry_changed_cb (LiaHeaderRow *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_remove_clicked_cb (LiaHeaderRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

/* --- GObject ------------------------------------------------------------- */

static void
lia_header_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_HEADER_ROW);

  G_OBJECT_CLASS (lia_header_row_parent_class)->dispose (object);
}

static void
lia_header_row_class_init (LiaHeaderRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_header_row_dispose;

  /**
   * LiaHeaderRow::changed:
   *
   * The user edited the name or the value.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * LiaHeaderRow::remove:
   *
   * The user asked to remove the header.
   */
  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-header-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaHeaderRow, name_entry);
  gtk_widget_class_bind_template_child (widget_class, LiaHeaderRow, value_entry);
  gtk_widget_class_bind_template_child (widget_class, LiaHeaderRow, error_icon);
  gtk_widget_class_bind_template_child (widget_class, LiaHeaderRow, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
}

static void
lia_header_row_init (LiaHeaderRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- Public API ---------------------------------------------------------- */

LiaHeaderRow *
lia_header_row_new (void)
{
  return g_object_new (LIA_TYPE_HEADER_ROW, NULL);
}

const char *
lia_header_row_get_name (LiaHeaderRow *self)
{
  g_return_val_if_fail (LIA_IS_HEADER_ROW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
}

const char *
lia_header_row_get_value (LiaHeaderRow *self)
{
  g_return_val_if_fail (LIA_IS_HEADER_ROW (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->value_entry));
}

/* Shows header @position (counted from 1, for screen readers) without
 * saying "changed". */
void
lia_header_row_set (LiaHeaderRow *self,
                    guint         position,
                    const char   *name,
                    const char   *value)
{
  g_autofree char *title = NULL;
  g_autofree char *name_label = NULL;
  g_autofree char *value_label = NULL;
  g_autofree char *remove_label = NULL;

  g_return_if_fail (LIA_IS_HEADER_ROW (self));

  self->updating = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->name_entry)), name) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->value_entry)), value) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->value_entry), value);
  self->updating = FALSE;

  /* Translators: a custom HTTP header's row, for screen readers. */
  title = g_strdup_printf (_("Header %u"), position);
  /* Translators: %u is the header's position in the list. */
  name_label = g_strdup_printf (_("Header %u name"), position);
  value_label = g_strdup_printf (_("Header %u value"), position);
  remove_label = g_strdup_printf (_("Remove header %u"), position);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->value_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, value_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
}

/* Marks the row with the rule it breaks; NULL clears it. */
void
lia_header_row_set_error (LiaHeaderRow *self,
                          const char   *message)
{
  g_return_if_fail (LIA_IS_HEADER_ROW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->error_icon), message != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_icon), message);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_entry), message);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_entry), "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_entry), "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->name_entry),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

void
lia_header_row_grab_focus (LiaHeaderRow *self)
{
  g_return_if_fail (LIA_IS_HEADER_ROW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}
