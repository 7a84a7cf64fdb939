/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-mapping-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-data-type.h"
#include "lia-form-rows.h"
#include "lia-form-tasks.h"
#include "lia-mapping-editor.h"
#include "lia-mapping-field-row.h"

/* The field mappings of one data type: a row per canonical field, and a
 * preview that fetches the first page of the system as the form describes
 * it (saved or not) and shows up to ten records mapped, or why each one
 * cannot be. It works on a copy of the form's values; Done ("applied")
 * hands the mappings back, Cancel drops them. */
struct _LiaMappingEditor
{
  AdwWindow            parent_instance;

  char                *db_path;
  LiaFormModel        *model;      /* a copy of the form's */
  LiaFormCheck        *check;
  LiaDataType          type;
  GCancellable        *cancellable;
  GPtrArray           *field_rows;  /* LiaMappingFieldRow, borrowed */
  gboolean             fetching;

  AdwWindowTitle      *window_title;
  GtkButton           *done_button;
  AdwPreferencesGroup *fields_group;
  AdwPreferencesGroup *sample_group;
  GtkButton           *fetch_button;
  GtkSpinner          *sample_spinner;
  GtkLabel            *sample_status;
  GtkScrolledWindow   *sample_scroller;
  GtkGrid             *sample_grid;
  GtkBox              *sample_errors;
};

G_DEFINE_FINAL_TYPE (LiaMappingEditor, lia_mapping_editor, ADW_TYPE_WINDOW)

enum {
  SIGNAL_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- Helpers ------------------------------------------------------------- */

static char *
mappings_prefix (LiaMappingEditor *self)
{
  return g_strconcat ("fieldMappings.", lia_data_type_to_string (self->type), NULL);
}

static void
revalidate (LiaMappingEditor *self)
{
  g_autofree char *prefix = mappings_prefix (self);

  g_clear_pointer (&self->check, lia_form_check_free);
  self->check = lia_form_model_check (self->model, LIA_FORM_BUILD_OFFLINE);

  for (guint i = 0; i < self->field_rows->len; i++)
    lia_mapping_field_row_show_problems (g_ptr_array_index (self->field_rows, i), self->check);

  /* Done brings back mappings the config takes; the rest of the form is
   * the form's business. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.apply",
                                 lia_form_check_count_prefix (self->check, prefix) == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.fetch-sample",
                                 !self->fetching && lia_form_check_is_valid (self->check));
}

static void
set_status (LiaMappingEditor *self,
            const char       *text,
            gboolean          is_error)
{
  gtk_label_set_label (self->sample_status, text);
  if (is_error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->sample_status), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->sample_status), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->sample_status), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->sample_status), "dim-label");
    }
}

static void
clear_sample (LiaMappingEditor *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sample_grid))) != NULL)
    gtk_grid_remove (self->sample_grid, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sample_errors))) != NULL)
    gtk_box_remove (self->sample_errors, child);
}

static GtkWidget *
cell_new (const char *text,
          const char *css_class)
{
  GtkWidget *label = gtk_label_new (*text != '\0' ? text : "—");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_tooltip_text (label, *text != '\0' ? text : NULL);
  if (*text == '\0')
    gtk_widget_add_css_class (label, "dim-label");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
show_sample (LiaMappingEditor    *self,
             const LiaFormSample *sample)
{
  guint n_columns = g_strv_length (sample->columns);
  guint n_failed = 0;
  guint grid_row = 1;
  g_autofree char *status = NULL;

  clear_sample (self);
  for (guint c = 0; c < n_columns; c++)
    gtk_grid_attach (self->sample_grid, cell_new (sample->columns[c], "heading"), c, 0, 1, 1);

  for (guint r = 0; r < sample->rows->len; r++)
    {
      const LiaFormSampleRow *row = g_ptr_array_index (sample->rows, r);

      /* What does not map is said under the table, whole. */
      if (row->error != NULL)
        {
          /* Translators: a record of the sample that does not map; %u is its
           * position on the page, %s what is wrong with it. */
          g_autofree char *text = g_strdup_printf (_("Record %u: %s"), r + 1, row->error);
          GtkWidget *label = cell_new (text, "error");

          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
          gtk_label_set_max_width_chars (GTK_LABEL (label), -1);
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
          gtk_box_append (self->sample_errors, label);
          n_failed++;
          continue;
        }
      for (guint c = 0; c < n_columns; c++)
        gtk_grid_attach (self->sample_grid, cell_new (row->values[c], NULL), c, grid_row, 1, 1);
      grid_row++;
    }

  if (sample->n_records == 0)
    status = g_strdup (_("The first page has no records. Check the records path."));
  else if (n_failed > 0)
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u of %u records shown cannot be mapped.",
                                           "%u of %u records shown cannot be mapped.", sample->rows->len),
                              n_failed, sample->rows->len);
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u record on the first page; %u shown, mapped.",
                                           "%u records on the first page; %u shown, mapped.", sample->n_records),
                              sample->n_records, sample->rows->len);
  set_status (self, status, n_failed > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sample_scroller), grid_row > 1);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_field_changed_cb (LiaMappingFieldRow *row,
                     LiaMappingEditor   *self)
{
  revalidate (self);
}

static void
on_sample_fetched_cb (GObject      *source_object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(LiaMappingEditor) self = user_data;
  g_autoptr(LiaFormSample) sample = NULL;
  g_autoptr(GError) error = NULL;

  sample = lia_form_fetch_sample_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  self->fetching = FALSE;
  gtk_spinner_set_spinning (self->sample_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sample_spinner), FALSE);

  if (sample == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot fetch a sample: %s"), error->message);

      clear_sample (self);
      gtk_widget_set_visible (GTK_WIDGET (self->sample_scroller), FALSE);
      set_status (self, text, TRUE);
    }
  else
    show_sample (self, sample);
  revalidate (self);
}

static void
fetch_sample_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LiaMappingEditor *self = LIA_MAPPING_EDITOR (widget);

  if (self->fetching)
    return;

  self->fetching = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->sample_spinner), TRUE);
  gtk_spinner_set_spinning (self->sample_spinner, TRUE);
  set_status (self, _("Fetching the first page…"), FALSE);
  revalidate (self);

  lia_form_fetch_sample_async (self->db_path, self->model, self->type, self->cancellable,
                               on_sample_fetched_cb, g_object_ref (self));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LiaMappingEditor *self = LIA_MAPPING_EDITOR (widget);

  lia_form_model_prune_mappings (self->model, self->type);
  g_signal_emit (self, signals[SIGNAL_APPLIED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* --- GObject ------------------------------------------------------------- */

static void
lia_mapping_editor_dispose (GObject *object)
{
  LiaMappingEditor *self = LIA_MAPPING_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_MAPPING_EDITOR);

  G_OBJECT_CLASS (lia_mapping_editor_parent_class)->dispose (object);
}

static void
lia_mapping_editor_finalize (GObject *object)
{
  LiaMappingEditor *self = LIA_MAPPING_EDITOR (object);

  g_clear_pointer (&self->check, lia_form_check_free);
  g_clear_pointer (&self->model, lia_form_model_free);
  g_clear_pointer (&self->field_rows, g_ptr_array_unref);
  g_free (self->db_path);

  G_OBJECT_CLASS (lia_mapping_editor_parent_class)->finalize (object);
}

static void
lia_mapping_editor_class_init (LiaMappingEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lia_mapping_editor_dispose;
  object_class->finalize = lia_mapping_editor_finalize;

  /**
   * LiaMappingEditor::applied:
   *
   * The user is done: lia_mapping_editor_get_mappings() has the mappings.
   */
  signals[SIGNAL_APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-mapping-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, done_button);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, fields_group);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, sample_group);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, fetch_button);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, sample_spinner);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, sample_status);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, sample_scroller);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, sample_grid);
  gtk_widget_class_bind_template_child (widget_class, LiaMappingEditor, sample_errors);

  gtk_widget_class_install_action (widget_class, "editor.apply", NULL, apply_action);
  gtk_widget_class_install_action (widget_class, "editor.fetch-sample", NULL, fetch_sample_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
lia_mapping_editor_init (LiaMappingEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->field_rows = g_ptr_array_new ();
}

/* --- Public API ---------------------------------------------------------- */

/* An editor of @type's mappings on a copy of @model, over @parent. */
LiaMappingEditor *
lia_mapping_editor_new (GtkWindow          *parent,
                        const char         *db_path,
                        const LiaFormModel *model,
                        LiaDataType         type)
{
  LiaMappingEditor *self;
  const LiaFieldInfo *fields;
  guint n_fields;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (type < LIA_N_DATA_TYPES, NULL);

  self = g_object_new (LIA_TYPE_MAPPING_EDITOR,
                       "transient-for", parent,
                       "application", gtk_window_get_application (parent),
                       NULL);
  self->db_path = g_strdup (db_path);
  self->model = lia_form_model_copy (model);
  self->type = type;

  adw_window_title_set_subtitle (self->window_title, lia_form_data_type_title (type));
  fields = lia_data_type_fields (type, &n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      LiaMappingFieldRow *row = lia_mapping_field_row_new (self->model, type, &fields[i]);

      g_signal_connect_object (row, "changed", G_CALLBACK (on_field_changed_cb), self, 0);
      adw_preferences_group_add (self->fields_group, GTK_WIDGET (row));
      g_ptr_array_add (self->field_rows, row);
    }

  revalidate (self);
  if (!lia_form_check_is_valid (self->check))
    set_status (self, _("Fix the form’s problems to fetch a sample."), FALSE);
  return self;
}

LiaDataType
lia_mapping_editor_get_data_type (LiaMappingEditor *self)
{
  g_return_val_if_fail (LIA_IS_MAPPING_EDITOR (self), 0);
  return self->type;
}

/* The mappings as edited, of LiaFormMapping; NULL when none. Owned by the
 * editor. */
GPtrArray *
lia_mapping_editor_get_mappings (LiaMappingEditor *self)
{
  g_return_val_if_fail (LIA_IS_MAPPING_EDITOR (self), NULL);
  return self->model->mappings[self->type];
}
