/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-integration-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-gui-text.h"
#include "lia-integration-row.h"
#include "lia-kind.h"

/* One integration in the Integrations page's list: what it is, whether it
 * works and when it last synced. It shows a snapshot; the page makes new
 * rows when the list is loaded again. */
struct _LiaIntegrationRow
{
  GtkListBoxRow  parent_instance;

  gint64         id;
  gint64         last_sync;
  char          *last_result;

  GtkImage      *kind_icon;
  GtkLabel      *name_label;
  GtkLabel      *kind_label;
  GtkLabel      *last_sync_label;
  GtkLabel      *status_label;
};

G_DEFINE_FINAL_TYPE (LiaIntegrationRow, lia_integration_row, GTK_TYPE_LIST_BOX_ROW)

/* --- Helpers ------------------------------------------------------------- */

/* A screen reader moving through the list hears the name, then the rest
 * in the order the row shows it. */
static void
update_accessible (LiaIntegrationRow *self)
{
  g_autofree char *description = NULL;

  description = g_strdup_printf ("%s, %s, %s",
                                 gtk_label_get_label (self->kind_label),
                                 gtk_label_get_label (self->status_label),
                                 gtk_label_get_label (self->last_sync_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_label (self->name_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* --- GObject ------------------------------------------------------------ */

static void
lia_integration_row_finalize (GObject *object)
{
  LiaIntegrationRow *self = LIA_INTEGRATION_ROW (object);

  g_free (self->last_result);

  G_OBJECT_CLASS (lia_integration_row_parent_class)->finalize (object);
}

static void
lia_integration_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_INTEGRATION_ROW);

  G_OBJECT_CLASS (lia_integration_row_parent_class)->dispose (object);
}

static void
lia_integration_row_class_init (LiaIntegrationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_integration_row_dispose;
  object_class->finalize = lia_integration_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-integration-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, kind_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, LiaIntegrationRow, status_label);
}

static void
lia_integration_row_init (LiaIntegrationRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- Public API ---------------------------------------------------------- */

GtkWidget *
lia_integration_row_new (const LiaIntegration *integration,
                         GDateTime            *now)
{
  LiaIntegrationRow *self;
  const LiaKindInfo *kind;
  const char *status_class = NULL;
  const char *status;

  g_return_val_if_fail (integration != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (LIA_TYPE_INTEGRATION_ROW, NULL);
  self->id = integration->id;
  self->last_sync = integration->last_sync;
  self->last_result = g_strdup (integration->last_result);

  kind = lia_kind_get (integration->kind);
  gtk_image_set_from_icon_name (self->kind_icon, kind->icon_name);
  gtk_label_set_label (self->kind_label, _(kind->display_name));
  gtk_label_set_label (self->name_label, integration->name);

  status = lia_gui_text_status (integration->status, &status_class);
  gtk_label_set_label (self->status_label, status);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_class);

  lia_integration_row_update_time (self, now);

  return GTK_WIDGET (self);
}

gint64
lia_integration_row_get_id (LiaIntegrationRow *self)
{
  g_return_val_if_fail (LIA_IS_INTEGRATION_ROW (self), 0);

  return self->id;
}

/* Relative times ("5 minutes ago") go stale; the page calls this now and
 * then with the current time. */
void
lia_integration_row_update_time (LiaIntegrationRow *self,
                                 GDateTime         *now)
{
  g_autofree char *text = NULL;

  g_return_if_fail (LIA_IS_INTEGRATION_ROW (self));
  g_return_if_fail (now != NULL);

  text = lia_gui_text_last_sync (self->last_sync, self->last_result, now);
  gtk_label_set_label (self->last_sync_label, text);
  update_accessible (self);
}
