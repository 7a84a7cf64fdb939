/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-mapping-field-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lia-form-rows.h"
#include "lia-mapping-field-row.h"

/* One canonical field in the mapping editor: the dotted path it is read
 * from, always in sight, and behind the arrow how it is changed on the
 * way in (transform, default, required, a date format for timestamps, the
 * meaning of each value for an attendance status). It edits the editor's
 * copy of the form's values directly, and says "changed". */
struct _LiaMappingFieldRow
{
  AdwExpanderRow      parent_instance;

  LiaFormModel       *model;    /* the editor's; not owned */
  LiaDataType         type;
  const LiaFieldInfo *info;
  GPtrArray          *value_rows;  /* AdwEntryRow, one per map entry, borrowed */
  gboolean            updating;

  GtkEntry           *from_entry;
  AdwComboRow        *transform_row;
  AdwEntryRow        *default_row;
  AdwEntryRow        *format_row;
  AdwActionRow       *required_row;
  GtkSwitch          *required_switch;
  AdwActionRow       *map_row;
  GtkButton          *add_value_button;
};

G_DEFINE_FINAL_TYPE (LiaMappingFieldRow, lia_mapping_field_row, ADW_TYPE_EXPANDER_ROW)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const statuses[] = { "present", "absent", "late", "excused" };

/* --- Helpers ------------------------------------------------------------- */

static LiaFormMapping *
get_mapping (LiaMappingFieldRow *self)
{
  return lia_form_model_get_mapping (self->model, self->type, self->info->name, TRUE);
}

static void
replace (char       **slot,
         const char  *text)
{
  g_free (*slot);
  *slot = *text != '\0' ? g_strdup (text) : NULL;
}

static const char *
kind_title (LiaFieldKind kind)
{
  switch (kind)
    {
    case LIA_FIELD_TIMESTAMP:
      return _("Date and time");
    case LIA_FIELD_NUMBER:
      return _("Number");
    case LIA_FIELD_STATUS:
      return _("Present, absent, late or excused");
    case LIA_FIELD_TEXT:
    default:
      return _("Text");
    }
}

static void
changed (LiaMappingFieldRow *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void on_value_changed_cb (LiaMappingFieldRow *self);
static void on_value_remove_clicked_cb (GtkButton          *button,
                                        LiaMappingFieldRow *self);

/* Rows for the map's entries, rebuilt from the mapping. */
static void
show_values (LiaMappingFieldRow *self)
{
  LiaFormMapping *mapping = lia_form_model_get_mapping (self->model, self->type, self->info->name, FALSE);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->value_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_ptr_array_index (self->value_rows, i));
  g_ptr_array_set_size (self->value_rows, 0);

  gtk_string_list_append (names, _("Present"));
  gtk_string_list_append (names, _("Absent"));
  gtk_string_list_append (names, _("Late"));
  gtk_string_list_append (names, _("Excused"));

  for (guint i = 0; mapping != NULL && i < mapping->map->len; i++)
    {
      LiaFormPair *pair = g_ptr_array_index (mapping->map, i);
      GtkWidget *row = adw_entry_row_new ();
      GtkWidget *status = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *status_label = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("The System’s Value"));
      gtk_editable_set_text (GTK_EDITABLE (row), pair->name);
      for (guint s = 0; s < G_N_ELEMENTS (statuses); s++)
        if (g_strcmp0 (pair->value, statuses[s]) == 0)
          gtk_drop_down_set_selected (GTK_DROP_DOWN (status), s);

      /* Translators: for screen readers, the status a system's value means. */
      status_label = g_strdup_printf (_("Status for value %s"), pair->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (status), GTK_ACCESSIBLE_PROPERTY_LABEL, status_label, -1);
      gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove Value"));
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), status);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
      g_object_set_data (G_OBJECT (row), "status", status);
      g_object_set_data (G_OBJECT (remove), "row", row);

      g_signal_connect_object (row, "changed", G_CALLBACK (on_value_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (status, "notify::selected", G_CALLBACK (on_value_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_value_remove_clicked_cb), self, 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
      g_ptr_array_add (self->value_rows, row);
    }
}

static void
update_subtitle (LiaMappingFieldRow *self)
{
  lia_form_row_set_subtitle (GTK_WIDGET (self), kind_title (self->info->kind));
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_from_changed_cb (LiaMappingFieldRow *self)
{
  if (self->updating)
    return;
  replace (&get_mapping (self)->from, gtk_editable_get_text (GTK_EDITABLE (self->from_entry)));
  changed (self);
}

static void
on_transform_selected_cb (LiaMappingFieldRow *self)
{
  if (self->updating)
    return;
  get_mapping (self)->transform = adw_combo_row_get_selected (self->transform_row);
  changed (self);
}

static void
on_default_changed_cb (LiaMappingFieldRow *self)
{
  LiaFormMapping *mapping;

  if (self->updating)
    return;
  mapping = get_mapping (self);
  replace (&mapping->default_value, gtk_editable_get_text (GTK_EDITABLE (self->default_row)));
  mapping->default_is_number = self->info->kind == LIA_FIELD_NUMBER;
  changed (self);
}

static void
on_format_changed_cb (LiaMappingFieldRow *self)
{
  if (self->updating)
    return;
  replace (&get_mapping (self)->format, gtk_editable_get_text (GTK_EDITABLE (self->format_row)));
  changed (self);
}

static void
on_required_changed_cb (LiaMappingFieldRow *self)
{
  if (self->updating)
    return;
  get_mapping (self)->required = gtk_switch_get_active (self->required_switch);
  changed (self);
}

static void
on_value_changed_cb (LiaMappingFieldRow *self)
{
  LiaFormMapping *mapping = get_mapping (self);

  if (self->updating)
    return;

  g_ptr_array_set_size (mapping->map, 0);
  for (guint i = 0; i < self->value_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->value_rows, i);
      GtkDropDown *status = g_object_get_data (G_OBJECT (row), "status");
      guint selected = gtk_drop_down_get_selected (status);

      g_ptr_array_add (mapping->map,
                       lia_form_pair_new (gtk_editable_get_text (GTK_EDITABLE (row)),
                                          statuses[MIN (selected, G_N_ELEMENTS (statuses) - 1)]));
    }
  changed (self);
}

static void
on_value_remove_clicked_cb (GtkButton          *button,
                            LiaMappingFieldRow *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "row");
  guint index;

  if (!g_ptr_array_find (self->value_rows, row, &index))
    return;
  g_ptr_array_remove_index (get_mapping (self)->map, index);
  show_values (self);
  changed (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_value_button));
}

static void
on_add_value_clicked_cb (LiaMappingFieldRow *self)
{
  g_ptr_array_add (get_mapping (self)->map, lia_form_pair_new ("", "present"));
  show_values (self);
  changed (self);
  gtk_widget_grab_focus (g_ptr_array_index (self->value_rows, self->value_rows->len - 1));
}

/* --- GObject ------------------------------------------------------------- */

static void
lia_mapping_field_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_MAPPING_FIELD_ROW);

  G_OBJECT_CLASS (lia_mapping_field_row_parent_class)->dispose (object);
}

static void
lia_mapping_field_row_finalize (GObject *object)
{
  LiaMappingFieldRow *self = LIA_MAPPING_FIELD_ROW (object);

  g_clear_pointer (&self->value_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (lia_mapping_field_row_parent_class)->finalize (object);
}

static void
lia_mapping_field_row_class_init (LiaMappingFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_mapping_field_row_dispose;
  object_class->finalize = lia_mapping_field_row_finalize;

  /**
   * LiaMappingFieldRow::changed:
   *
   * The user changed the field's mapping in the model.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-mapping-field-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaMappingFieldRow, from_entry);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingFieldRow, transform_row);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingFieldRow, default_row);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingFieldRow, format_row);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingFieldRow, required_row);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingFieldRow, required_switch);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingFieldRow, map_row);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingFieldRow, add_value_button);
  gtk_widget_class_bind_template_callback (widget_class, on_from_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_transform_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_default_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_format_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_required_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_value_clicked_cb);
}

static void
lia_mapping_field_row_init (LiaMappingFieldRow *self)
{
  self->value_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- Public API ---------------------------------------------------------- */

/* A row for @info's field of @type, editing @model (which must outlive
 * it). */
LiaMappingFieldRow *
lia_mapping_field_row_new (LiaFormModel       *model,
                           LiaDataType         type,
                           const LiaFieldInfo *info)
{
  LiaMappingFieldRow *self;
  LiaFormMapping *mapping;
  g_autofree char *from_label = NULL;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (LIA_TYPE_MAPPING_FIELD_ROW, NULL);
  self->model = model;
  self->type = type;
  self->info = info;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), info->name);
  update_subtitle (self);
  gtk_entry_set_placeholder_text (self->from_entry, info->name);
  /* Translators: for screen readers; %s is a field's name such as "email". */
  from_label = g_strdup_printf (_("Where %s is in a record"), info->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->from_entry), GTK_ACCESSIBLE_PROPERTY_LABEL, from_label, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->from_entry),
                               _("A dotted path such as contact.email; empty for the field’s own name"));

  gtk_widget_set_visible (GTK_WIDGET (self->format_row), info->kind == LIA_FIELD_TIMESTAMP);
  gtk_widget_set_visible (GTK_WIDGET (self->map_row), info->kind == LIA_FIELD_STATUS);

  self->updating = TRUE;
  mapping = lia_form_model_get_mapping (model, type, info->name, FALSE);
  if (mapping != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->from_entry), mapping->from != NULL ? mapping->from : "");
      adw_combo_row_set_selected (self->transform_row, mapping->transform);
      gtk_editable_set_text (GTK_EDITABLE (self->default_row),
                             mapping->default_value != NULL ? mapping->default_value : "");
      gtk_editable_set_text (GTK_EDITABLE (self->format_row), mapping->format != NULL ? mapping->format : "");
      gtk_switch_set_active (self->required_switch, mapping->required);
    }
  show_values (self);
  self->updating = FALSE;

  return self;
}

/* Shows the problems @check found in this field's mapping, each on the
 * part it concerns. */
void
lia_mapping_field_row_show_problems (LiaMappingFieldRow *self,
                                     const LiaFormCheck *check)
{
  g_autofree char *key = NULL;
  const char *header_problem = NULL;
  const char *format_problem = NULL;
  const char *default_problem = NULL;
  const char *map_problem = NULL;
  gsize key_len;

  g_return_if_fail (LIA_IS_MAPPING_FIELD_ROW (self));

  key = g_strdup_printf ("fieldMappings.%s.%s", lia_data_type_to_string (self->type), self->info->name);
  key_len = strlen (key);

  for (guint i = 0; i < lia_form_check_get_n_errors (check); i++)
    {
      const LiaFormError *error = lia_form_check_get_nth_error (check, i);
      const char *sub = error->path + key_len;

      if (!g_str_equal (error->key, key) || !g_str_has_prefix (error->path, key))
        continue;
      if (g_str_equal (sub, ".format") && format_problem == NULL)
        format_problem = error->message;
      else if (g_str_equal (sub, ".default") && default_problem == NULL)
        default_problem = error->message;
      else if (g_str_has_prefix (sub, ".map") && map_problem == NULL)
        map_problem = error->message;
      else if (header_problem == NULL)
        header_problem = error->message;
    }

  lia_form_row_set_error (GTK_WIDGET (self->format_row), format_problem);
  lia_form_row_set_error (GTK_WIDGET (self->default_row), default_problem);
  lia_form_row_set_error (GTK_WIDGET (self->map_row), map_problem);
  if (header_problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->from_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->from_entry), "error");

  /* Closed, the row still says what is wrong inside it. */
  if (header_problem == NULL)
    header_problem = format_problem != NULL ? format_problem : default_problem != NULL ? default_problem : map_problem;
  lia_form_row_set_error (GTK_WIDGET (self), header_problem);
}
