/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-endpoint-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lia-data-type.h"
#include "lia-endpoint-row.h"
#include "lia-form-rows.h"
#include "lia-kind.h"

/* One data type in the form's Data group: where its records are read
 * from and how they page, and the way to its field mappings. The row
 * edits the form's model directly (it is given the form's) and says what
 * it changed; the form checks the model and hands back the problems. */
struct _LiaEndpointRow
{
  AdwExpanderRow  parent_instance;

  LiaDataType     type;
  LiaFormModel   *model;     /* the form's; not owned */
  gboolean        updating;  /* showing the model: not the user's doing */

  AdwEntryRow    *path_row;
  AdwEntryRow    *records_row;
  AdwComboRow    *pagination_row;
  AdwEntryRow    *page_param_row;
  AdwEntryRow    *start_page_row;
  AdwEntryRow    *offset_param_row;
  AdwEntryRow    *cursor_param_row;
  AdwEntryRow    *cursor_path_row;
  AdwEntryRow    *size_param_row;
  AdwEntryRow    *size_row;
  AdwEntryRow    *total_path_row;
  AdwEntryRow    *since_row;
  AdwActionRow   *mappings_row;
};

G_DEFINE_FINAL_TYPE (LiaEndpointRow, lia_endpoint_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_DATA_TYPE,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  SIGNAL_EDIT_MAPPINGS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The text rows and the part of their key after "endpoints.TYPE.". */
static const struct {
  gsize       offset;
  const char *key;
} text_rows[] = {
  { G_STRUCT_OFFSET (LiaEndpointRow, path_row), "path" },
  { G_STRUCT_OFFSET (LiaEndpointRow, records_row), "recordsPath" },
  { G_STRUCT_OFFSET (LiaEndpointRow, page_param_row), "pagination.pageParam" },
  { G_STRUCT_OFFSET (LiaEndpointRow, start_page_row), "pagination.startPage" },
  { G_STRUCT_OFFSET (LiaEndpointRow, offset_param_row), "pagination.offsetParam" },
  { G_STRUCT_OFFSET (LiaEndpointRow, cursor_param_row), "pagination.cursorParam" },
  { G_STRUCT_OFFSET (LiaEndpointRow, cursor_path_row), "pagination.cursorPath" },
  { G_STRUCT_OFFSET (LiaEndpointRow, size_param_row), "pagination.sizeParam" },
  { G_STRUCT_OFFSET (LiaEndpointRow, size_row), "pagination.size" },
  { G_STRUCT_OFFSET (LiaEndpointRow, total_path_row), "pagination.totalPath" },
  { G_STRUCT_OFFSET (LiaEndpointRow, since_row), "sinceParam" },
};

#define TEXT_ROW(self, i) (G_STRUCT_MEMBER (GtkWidget *, (self), text_rows[i].offset))

/* --- Helpers ------------------------------------------------------------- */

static void
update_visibility (LiaEndpointRow *self)
{
  LiaPaginationStyle style = self->model->endpoints[self->type].pagination;
  LiaKind kind = self->model->kind;
  gboolean http = kind != LIA_KIND_FILE;
  gboolean pages = kind == LIA_KIND_REST || kind == LIA_KIND_CANVAS;

  /* CSV files have no records path, pages or changed-since parameter;
   * Moodle's web services do not page. */
  gtk_widget_set_visible (GTK_WIDGET (self->records_row), http);
  gtk_widget_set_visible (GTK_WIDGET (self->since_row), http);
  gtk_widget_set_visible (GTK_WIDGET (self->pagination_row), pages);
  gtk_widget_set_visible (GTK_WIDGET (self->page_param_row), pages && style == LIA_PAGINATION_PAGE);
  gtk_widget_set_visible (GTK_WIDGET (self->start_page_row), pages && style == LIA_PAGINATION_PAGE);
  gtk_widget_set_visible (GTK_WIDGET (self->offset_param_row), pages && style == LIA_PAGINATION_OFFSET);
  gtk_widget_set_visible (GTK_WIDGET (self->cursor_param_row), pages && style == LIA_PAGINATION_CURSOR);
  gtk_widget_set_visible (GTK_WIDGET (self->cursor_path_row), pages && style == LIA_PAGINATION_CURSOR);
  gtk_widget_set_visible (GTK_WIDGET (self->size_param_row), pages && style != LIA_PAGINATION_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->size_row), pages && style != LIA_PAGINATION_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->total_path_row),
                          pages && (style == LIA_PAGINATION_PAGE || style == LIA_PAGINATION_OFFSET));
}

static void
update_titles (LiaEndpointRow *self)
{
  const char *path = self->model->endpoints[self->type].path;
  const char *path_title;
  const char *subtitle;
  guint n_mapped = lia_form_model_count_mappings (self->model, self->type);
  g_autofree char *mapped = NULL;

  switch (self->model->kind)
    {
    case LIA_KIND_MOODLE:
      path_title = _("Web Service Function");
      break;
    case LIA_KIND_FILE:
      path_title = _("File Name or Pattern");
      break;
    case LIA_KIND_REST:
    case LIA_KIND_CANVAS:
    case LIA_N_KINDS:
    default:
      path_title = _("Path");
      break;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->path_row), path_title);

  if (path != NULL && *path != '\0')
    subtitle = path;
  else if (lia_kind_get (self->model->kind)->has_defaults)
    subtitle = _("Default, where there is one");
  else
    subtitle = _("Not synced");
  lia_form_row_set_subtitle (GTK_WIDGET (self), subtitle);

  if (n_mapped == 0)
    mapped = g_strdup (_("Fields read by their own names"));
  else
    mapped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u field mapped", "%u fields mapped", n_mapped),
                              n_mapped);
  lia_form_row_set_subtitle (GTK_WIDGET (self->mappings_row), mapped);
}

static char *
full_key (LiaEndpointRow *self,
          const char     *key)
{
  return g_strdup_printf ("endpoints.%s.%s", lia_data_type_to_string (self->type), key);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_text_changed_cb (GtkEditable    *editable,
                    LiaEndpointRow *self)
{
  const char *key = lia_form_row_get_key (GTK_WIDGET (editable));

  if (self->updating || self->model == NULL)
    return;

  lia_form_row_mark_touched (GTK_WIDGET (editable));
  if (lia_form_model_set_text (self->model, key, gtk_editable_get_text (editable)))
    {
      update_titles (self);
      g_signal_emit (self, signals[SIGNAL_CHANGED], 0, key);
    }
}

static void
on_pagination_selected_cb (AdwComboRow    *row,
                           GParamSpec     *pspec,
                           LiaEndpointRow *self)
{
  LiaPaginationStyle style = adw_combo_row_get_selected (row);
  g_autofree char *key = full_key (self, "pagination.style");

  if (self->updating || self->model == NULL || style > LIA_PAGINATION_LINK)
    return;

  self->model->endpoints[self->type].pagination = style;
  update_visibility (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, key);
}

static void
on_mappings_activated_cb (LiaEndpointRow *self)
{
  g_signal_emit (self, signals[SIGNAL_EDIT_MAPPINGS], 0);
}

/* --- GObject ------------------------------------------------------------- */

static void
lia_endpoint_row_constructed (GObject *object)
{
  LiaEndpointRow *self = LIA_ENDPOINT_ROW (object);
  g_autofree char *mappings_key = g_strconcat ("fieldMappings.", lia_data_type_to_string (self->type), NULL);

  G_OBJECT_CLASS (lia_endpoint_row_parent_class)->constructed (object);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), lia_form_data_type_title (self->type));
  for (guint i = 0; i < G_N_ELEMENTS (text_rows); i++)
    {
      g_autofree char *key = full_key (self, text_rows[i].key);
      lia_form_row_set_key (TEXT_ROW (self, i), key);
    }
  {
    g_autofree char *key = full_key (self, "pagination.style");
    lia_form_row_set_key (GTK_WIDGET (self->pagination_row), key);
  }
  lia_form_row_set_key (GTK_WIDGET (self->mappings_row), mappings_key);
}

static void
lia_endpoint_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), LIA_TYPE_ENDPOINT_ROW);

  G_OBJECT_CLASS (lia_endpoint_row_parent_class)->dispose (object);
}

static void
lia_endpoint_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  LiaEndpointRow *self = LIA_ENDPOINT_ROW (object);

  switch (prop_id)
    {
    case PROP_DATA_TYPE:
      g_value_set_uint (value, self->type);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_endpoint_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  LiaEndpointRow *self = LIA_ENDPOINT_ROW (object);

  switch (prop_id)
    {
    case PROP_DATA_TYPE:
      self->type = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_endpoint_row_class_init (LiaEndpointRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = lia_endpoint_row_constructed;
  object_class->dispose = lia_endpoint_row_dispose;
  object_class->get_property = lia_endpoint_row_get_property;
  object_class->set_property = lia_endpoint_row_set_property;

  /**
   * LiaEndpointRow:data-type:
   *
   * The LiaDataType the row is about.
   */
  properties[PROP_DATA_TYPE] =
    g_param_spec_uint ("data-type", NULL, NULL,
                       0, LIA_N_DATA_TYPES - 1, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LiaEndpointRow::changed:
   * @key: the field key of the value that changed in the model
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * LiaEndpointRow::edit-mappings:
   *
   * The user asked for the data type's field mappings.
   */
  signals[SIGNAL_EDIT_MAPPINGS] = g_signal_new ("edit-mappings", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-endpoint-row.ui");
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, path_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, records_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, pagination_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, page_param_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, start_page_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, offset_param_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, cursor_param_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, cursor_path_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, size_param_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, size_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, total_path_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, since_row);
  gtk_widget_class_bind_template_child (widget_class, LiaEndpointRow, mappings_row);
  gtk_widget_class_bind_template_callback (widget_class, on_text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pagination_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_mappings_activated_cb);
}

static void
lia_endpoint_row_init (LiaEndpointRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- Public API ---------------------------------------------------------- */

LiaEndpointRow *
lia_endpoint_row_new (LiaDataType type)
{
  g_return_val_if_fail (type < LIA_N_DATA_TYPES, NULL);

  return g_object_new (LIA_TYPE_ENDPOINT_ROW, "data-type", type, NULL);
}

LiaDataType
lia_endpoint_row_get_data_type (LiaEndpointRow *self)
{
  g_return_val_if_fail (LIA_IS_ENDPOINT_ROW (self), 0);
  return self->type;
}

/* The row edits @model, the form's, which must outlive it. */
void
lia_endpoint_row_set_model (LiaEndpointRow *self,
                            LiaFormModel   *model)
{
  g_return_if_fail (LIA_IS_ENDPOINT_ROW (self));

  self->model = model;
  lia_endpoint_row_sync (self);
}

/* Shows the model's values, as after a template, a load or an import. */
void
lia_endpoint_row_sync (LiaEndpointRow *self)
{
  g_return_if_fail (LIA_IS_ENDPOINT_ROW (self));

  if (self->model == NULL)
    return;

  self->updating = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (text_rows); i++)
    {
      GtkEditable *editable = GTK_EDITABLE (TEXT_ROW (self, i));
      const char *text = lia_form_model_get_text (self->model, lia_form_row_get_key (GTK_WIDGET (editable)));

      if (g_strcmp0 (gtk_editable_get_text (editable), text) != 0)
        gtk_editable_set_text (editable, text);
    }
  adw_combo_row_set_selected (self->pagination_row, self->model->endpoints[self->type].pagination);
  self->updating = FALSE;

  update_visibility (self);
  update_titles (self);
}

/* Shows the problems @check found in this data type, and
 * @group_problem, one that concerns the Data group as a whole (or NULL). */
void
lia_endpoint_row_show_problems (LiaEndpointRow     *self,
                                const LiaFormCheck *check,
                                const char         *group_problem,
                                gboolean            reveal_all)
{
  g_autofree char *mappings_key = NULL;
  const char *first = group_problem;
  const char *mappings_problem = NULL;

  g_return_if_fail (LIA_IS_ENDPOINT_ROW (self));
  g_return_if_fail (check != NULL);

  mappings_key = g_strconcat ("fieldMappings.", lia_data_type_to_string (self->type), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (text_rows); i++)
    {
      GtkWidget *row = TEXT_ROW (self, i);
      const char *message = lia_form_check_get_error (check, lia_form_row_get_key (row));

      if (!gtk_widget_get_visible (row))
        message = NULL;
      lia_form_row_show_problem (row, message, reveal_all);
      if (first == NULL && lia_form_row_has_error (row))
        first = message;
    }
  lia_form_row_set_error (GTK_WIDGET (self->pagination_row),
                          lia_form_check_get_error (check, lia_form_row_get_key (GTK_WIDGET (self->pagination_row))));

  for (guint i = 0; i < lia_form_check_get_n_errors (check); i++)
    {
      const LiaFormError *error = lia_form_check_get_nth_error (check, i);

      if (g_str_has_prefix (error->key, mappings_key) &&
          (error->key[strlen (mappings_key)] == '\0' || error->key[strlen (mappings_key)] == '.'))
        {
          mappings_problem = error->message;
          break;
        }
    }
  lia_form_row_set_error (GTK_WIDGET (self->mappings_row), mappings_problem);
  if (first == NULL)
    first = mappings_problem;

  /* Closed, the row still says what is wrong inside it. */
  lia_form_row_set_error (GTK_WIDGET (self), first);
}

/* The row inside that edits @key, or NULL. */
GtkWidget *
lia_endpoint_row_find_row (LiaEndpointRow *self,
                           const char     *key)
{
  g_autofree char *mappings_key = NULL;

  g_return_val_if_fail (LIA_IS_ENDPOINT_ROW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (text_rows); i++)
    if (g_strcmp0 (lia_form_row_get_key (TEXT_ROW (self, i)), key) == 0)
      return TEXT_ROW (self, i);
  if (g_strcmp0 (lia_form_row_get_key (GTK_WIDGET (self->pagination_row)), key) == 0)
    return GTK_WIDGET (self->pagination_row);

  mappings_key = g_strconcat ("fieldMappings.", lia_data_type_to_string (self->type), NULL);
  if (g_str_has_prefix (key, mappings_key))
    return GTK_WIDGET (self->mappings_row);
  return NULL;
}
