/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-form-rows"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-form-rows.h"

#define KEY_DATA      "lia-form-key"
#define ICON_DATA     "lia-form-error-icon"
#define SUBTITLE_DATA "lia-form-subtitle"
#define ERROR_DATA    "lia-form-error"
#define TOUCHED_DATA  "lia-form-touched"

/* The field key (see lia-form-model.h) a row edits. */
void
lia_form_row_set_key (GtkWidget  *row,
                      const char *key)
{
  g_return_if_fail (GTK_IS_WIDGET (row));
  g_object_set_data_full (G_OBJECT (row), KEY_DATA, g_strdup (key), g_free);
}

const char *
lia_form_row_get_key (GtkWidget *row)
{
  g_return_val_if_fail (GTK_IS_WIDGET (row), NULL);
  return g_object_get_data (G_OBJECT (row), KEY_DATA);
}

/* Entry rows have no subtitle: an icon at the end says there is a
 * problem, its tooltip says which. */
static GtkWidget *
ensure_error_icon (AdwEntryRow *row)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), ICON_DATA);

  if (icon == NULL)
    {
      icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_visible (icon, FALSE);
      adw_entry_row_add_suffix (row, icon);
      g_object_set_data (G_OBJECT (row), ICON_DATA, icon);
    }
  return icon;
}

/* Action rows (and combo and expander rows) say the rule in their
 * subtitle, and get it back afterwards. */
static void
set_subtitle_error (GtkWidget  *row,
                    const char *message)
{
  if (!g_object_get_data (G_OBJECT (row), SUBTITLE_DATA))
    {
      g_autofree char *subtitle = NULL;

      g_object_get (row, "subtitle", &subtitle, NULL);
      g_object_set_data_full (G_OBJECT (row), SUBTITLE_DATA,
                              g_strdup (subtitle != NULL ? subtitle : ""), g_free);
    }

  /* Subtitles are markup; rules and values are not. */
  if (message != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (message, -1);
      g_object_set (row, "subtitle", escaped, NULL);
    }
  else
    g_object_set (row, "subtitle", g_object_get_data (G_OBJECT (row), SUBTITLE_DATA), NULL);
}

/* Marks @row with @message, the rule its value breaks; NULL clears it. */
void
lia_form_row_set_error (GtkWidget  *row,
                        const char *message)
{
  const char *current;

  g_return_if_fail (GTK_IS_WIDGET (row));

  current = g_object_get_data (G_OBJECT (row), ERROR_DATA);
  if (g_strcmp0 (current, message) == 0)
    return;
  g_object_set_data_full (G_OBJECT (row), ERROR_DATA, g_strdup (message), g_free);

  if (ADW_IS_ENTRY_ROW (row))
    {
      GtkWidget *icon = ensure_error_icon (ADW_ENTRY_ROW (row));

      gtk_widget_set_visible (icon, message != NULL);
      gtk_widget_set_tooltip_text (icon, message);
    }
  else if (ADW_IS_ACTION_ROW (row) || ADW_IS_EXPANDER_ROW (row))
    set_subtitle_error (row, message);

  gtk_widget_set_tooltip_text (row, message);
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

/* Sets the subtitle (plain text) an action or expander row shows when its
 * value breaks no rule. */
void
lia_form_row_set_subtitle (GtkWidget  *row,
                           const char *subtitle)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (ADW_IS_ACTION_ROW (row) || ADW_IS_EXPANDER_ROW (row));

  escaped = g_markup_escape_text (subtitle != NULL ? subtitle : "", -1);
  if (!lia_form_row_has_error (row))
    g_object_set (row, "subtitle", escaped, NULL);
  g_object_set_data_full (G_OBJECT (row), SUBTITLE_DATA, g_steal_pointer (&escaped), g_free);
}

/* The user changed the row: from now on it shows its problems, even
 * empty. */
void
lia_form_row_mark_touched (GtkWidget *row)
{
  g_return_if_fail (GTK_IS_WIDGET (row));
  g_object_set_data (G_OBJECT (row), TOUCHED_DATA, GINT_TO_POINTER (TRUE));
}

/* Shows @message on @row, unless the row is an empty field the user has
 * not come to yet: a new form does not open covered in red. The banner
 * counts the problem all the same, and @reveal_all (its "Show" button)
 * shows every one. */
void
lia_form_row_show_problem (GtkWidget  *row,
                           const char *message,
                           gboolean    reveal_all)
{
  g_return_if_fail (GTK_IS_WIDGET (row));

  if (message != NULL && !reveal_all &&
      !g_object_get_data (G_OBJECT (row), TOUCHED_DATA) &&
      GTK_IS_EDITABLE (row) && *gtk_editable_get_text (GTK_EDITABLE (row)) == '\0')
    message = NULL;
  lia_form_row_set_error (row, message);
}

gboolean
lia_form_row_has_error (GtkWidget *row)
{
  g_return_val_if_fail (GTK_IS_WIDGET (row), FALSE);
  return g_object_get_data (G_OBJECT (row), ERROR_DATA) != NULL;
}

/* Brings @row into view and the keyboard to it, opening the expander rows
 * it is inside. */
void
lia_form_row_reveal (GtkWidget *row)
{
  g_return_if_fail (GTK_IS_WIDGET (row));

  for (GtkWidget *ancestor = gtk_widget_get_parent (row);
       ancestor != NULL;
       ancestor = gtk_widget_get_parent (ancestor))
    if (ADW_IS_EXPANDER_ROW (ancestor))
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (ancestor), TRUE);

  gtk_widget_grab_focus (row);
}

/* A data type as the form names it. */
const char *
lia_form_data_type_title (LiaDataType type)
{
  static const char * const titles[LIA_N_DATA_TYPES] = {
    [LIA_DATA_TYPE_STUDENTS] = N_("Students"),
    [LIA_DATA_TYPE_FACULTY] = N_("Faculty"),
    [LIA_DATA_TYPE_SUBJECTS] = N_("Subjects"),
    [LIA_DATA_TYPE_TIMETABLE] = N_("Timetable"),
    [LIA_DATA_TYPE_ATTENDANCE] = N_("Attendance"),
    [LIA_DATA_TYPE_MARKS] = N_("Marks"),
    [LIA_DATA_TYPE_CUSTOM] = N_("Custom Records"),
  };

  g_return_val_if_fail (type < LIA_N_DATA_TYPES, NULL);
  return _(titles[type]);
}
