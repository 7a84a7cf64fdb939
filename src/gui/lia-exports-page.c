/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-exports-page"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-export.h"
#include "lia-exports-page.h"
#include "lia-history-text.h"
#include "lia-time.h"
#include "lia-window.h"

/* The Exports page: Moodle CSV, the timetable as iCalendar and the HR
 * attendance summary, each a group of options with an Export… button.
 *
 * The button checks the options, then asks for a file with the native
 * chooser; the chooser only supplies the path, and
 * lia_exports_page_export_to() does the rest, as tests do without a
 * chooser. The export runs in core's worker thread (lia_export_async())
 * with a progress bar and a Cancel button; a cancelled or failed export
 * leaves no file. */

typedef struct {
  AdwPreferencesGroup *group;
  GtkButton           *export_button;
  AdwEntryRow         *from_row;
  AdwEntryRow         *to_row;
  GtkLabel            *error_label;
  GtkWidget           *progress_box;
  GtkProgressBar      *progress_bar;
  GtkLabel            *progress_label;
  GtkButton           *cancel_button;
  GCancellable        *cancellable;   /* while exporting */
} Section;

struct _LiaExportsPage
{
  AdwBin                parent_instance;

  char                 *database_path;
  GSettings            *settings;
  gboolean              disposed;
  GtkFileChooserNative *chooser;
  LiaExportsSection     chooser_section;
  Section               sections[LIA_N_EXPORTS_SECTIONS];

  AdwComboRow          *moodle_layout_row;
  AdwEntryRow          *moodle_session_row;
  AdwComboRow          *moodle_identifier_row;
  AdwActionRow         *moodle_marks_row;
  GtkSwitch            *moodle_marks_switch;
  GtkSwitch            *moodle_bom_switch;
  AdwComboRow          *ics_person_kind_row;
  AdwEntryRow          *ics_person_row;
  GtkSwitch            *ics_utc_switch;
  AdwComboRow          *report_person_kind_row;
  AdwEntryRow          *report_person_row;
};

G_DEFINE_FINAL_TYPE (LiaExportsPage, lia_exports_page, ADW_TYPE_BIN)

enum {
  EXPORT_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The Moodle layouts and the calendars' owners, in their rows' order. */
enum { LAYOUT_RECORDS, LAYOUT_MARK_SESSION, LAYOUT_GRADEBOOK };
enum { CALENDAR_EVERYONE, CALENDAR_STUDENT, CALENDAR_TEACHER };
enum { REPORT_EVERYONE, REPORT_ONE };

/* --- The form, as plain values ------------------------------------------- */

/* What a section's widgets say, trimmed: checked and turned into export
 * options without any widget. */
typedef struct {
  LiaExportsSection  section;
  guint              layout;
  char              *session;
  char              *from;
  char              *to;
  guint              identifier;
  gboolean           marks;
  gboolean           bom;
  guint              person_kind;
  char              *person;
  gboolean           utc;
} ExportForm;

typedef enum {
  FIELD_NONE,
  FIELD_SESSION,
  FIELD_FROM,
  FIELD_TO,
  FIELD_PERSON,
} FormField;

static void
export_form_clear (ExportForm *form)
{
  g_clear_pointer (&form->session, g_free);
  g_clear_pointer (&form->from, g_free);
  g_clear_pointer (&form->to, g_free);
  g_clear_pointer (&form->person, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportForm, export_form_clear)

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
parse_date (const char  *text,
            gboolean     end_of_day,
            gint64      *out_unix,
            char       **out_message)
{
  *out_unix = 0;
  if (nonempty (text) == NULL)
    return TRUE;
  if (lia_time_parse_cli_date (text, end_of_day, out_unix, NULL))
    return TRUE;
  *out_message = g_strdup (_("Enter a date as YYYY-MM-DD, for example 2024-03-01."));
  return FALSE;
}

/* Turns @form into @options, which point into @form's strings. On a bad
 * value, names its field and says why in a sentence. */
static gboolean
form_to_options (const ExportForm  *form,
                 LiaExportOptions  *options,
                 FormField         *out_field,
                 char             **out_message)
{
  *options = (LiaExportOptions) { 0 };
  *out_field = FIELD_NONE;

  if (!parse_date (form->from, FALSE, &options->from, out_message))
    {
      *out_field = FIELD_FROM;
      return FALSE;
    }
  if (!parse_date (form->to, TRUE, &options->to, out_message))
    {
      *out_field = FIELD_TO;
      return FALSE;
    }
  if (options->from != 0 && options->to != 0 && options->from > options->to)
    {
      *out_field = FIELD_TO;
      *out_message = g_strdup (_("The end date must not be before the start date."));
      return FALSE;
    }

  options->bom = form->bom;

  switch (form->section)
    {
    case LIA_EXPORTS_SECTION_MOODLE:
      options->kind = form->layout == LAYOUT_MARK_SESSION ? LIA_EXPORT_MOODLE_MARK_SESSION
                    : form->layout == LAYOUT_GRADEBOOK ? LIA_EXPORT_MOODLE_GRADEBOOK
                    : LIA_EXPORT_MOODLE_RECORDS;
      options->identifier = form->identifier == 1 ? LIA_IDENTIFIER_IDNUMBER : LIA_IDENTIFIER_EMAIL;
      options->marks = form->layout == LAYOUT_GRADEBOOK && form->marks;
      if (form->layout != LAYOUT_GRADEBOOK)
        options->session_id = nonempty (form->session);
      if (form->layout == LAYOUT_MARK_SESSION && options->session_id == NULL)
        {
          *out_field = FIELD_SESSION;
          *out_message = g_strdup (_("Enter the session to mark: its ID in the source system."));
          return FALSE;
        }
      return TRUE;

    case LIA_EXPORTS_SECTION_CALENDAR:
      options->kind = LIA_EXPORT_ICS;
      options->utc = form->utc;
      if (form->person_kind == CALENDAR_EVERYONE)
        return TRUE;
      if (nonempty (form->person) == NULL)
        {
          *out_field = FIELD_PERSON;
          *out_message = g_strdup (form->person_kind == CALENDAR_STUDENT
                                   ? _("Enter the student’s ID, or export the whole timetable.")
                                   : _("Enter the teacher’s ID, or export the whole timetable."));
          return FALSE;
        }
      if (form->person_kind == CALENDAR_STUDENT)
        options->student_id = form->person;
      else
        options->faculty_id = form->person;
      return TRUE;

    case LIA_EXPORTS_SECTION_REPORT:
      if (form->person_kind == REPORT_EVERYONE)
        {
          options->kind = LIA_EXPORT_REPORT_CSV;
          return TRUE;
        }
      options->kind = LIA_EXPORT_REPORT_JSON;
      options->student_id = nonempty (form->person);
      if (options->student_id == NULL)
        {
          *out_field = FIELD_PERSON;
          *out_message = g_strdup (_("Enter the student’s ID, or choose everyone."));
          return FALSE;
        }
      return TRUE;

    case LIA_N_EXPORTS_SECTIONS:
    default:
      g_assert_not_reached ();
    }
}

/* An id as part of a file name: letters, digits, "-" and "_" only. */
static char *
file_name_part (const char *id)
{
  g_autofree char *part = g_strdup (id);

  for (char *c = part; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-' && *c != '_')
      *c = '-';
  return g_steal_pointer (&part);
}

/* "attendance-2024-03.csv": what the file holds, and its month. */
static char *
suggest_file_name (const ExportForm       *form,
                   const LiaExportOptions *options)
{
  g_autoptr(GDateTime) month_time = NULL;
  g_autofree char *month = NULL;
  g_autofree char *id = NULL;

  if (options->from != 0)
    month_time = g_date_time_new_from_unix_local (options->from);
  else if (options->to != 0)
    month_time = g_date_time_new_from_unix_local (options->to);
  else
    month_time = g_date_time_new_now_local ();
  month = g_date_time_format (month_time, "%Y-%m");

  switch (options->kind)
    {
    case LIA_EXPORT_MOODLE_RECORDS:
      return g_strdup_printf ("attendance-%s.csv", month);
    case LIA_EXPORT_MOODLE_MARK_SESSION:
      id = file_name_part (options->session_id);
      return g_strdup_printf ("attendance-session-%s.csv", id);
    case LIA_EXPORT_MOODLE_GRADEBOOK:
      return g_strdup_printf ("%s-%s.csv", options->marks ? "grades" : "gradebook", month);
    case LIA_EXPORT_ICS:
      if (options->student_id != NULL || options->faculty_id != NULL)
        {
          id = file_name_part (options->student_id != NULL ? options->student_id : options->faculty_id);
          return g_strdup_printf ("timetable-%s.ics", id);
        }
      return g_strdup ("timetable.ics");
    case LIA_EXPORT_REPORT_CSV:
      return g_strdup_printf ("attendance-summary-%s.csv", month);
    case LIA_EXPORT_REPORT_JSON:
      id = file_name_part (options->student_id);
      return g_strdup_printf ("attendance-summary-%s-%s.json", id, month);
    default:
      g_assert_not_reached ();
    }
}

/* --- Helpers ------------------------------------------------------------- */

static char *
entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
read_form (LiaExportsPage    *self,
           LiaExportsSection  section,
           ExportForm        *form)
{
  Section *s = &self->sections[section];

  form->section = section;
  form->from = entry_text (s->from_row);
  form->to = entry_text (s->to_row);
  form->bom = g_settings_get_boolean (self->settings, "export-bom");

  switch (section)
    {
    case LIA_EXPORTS_SECTION_MOODLE:
      form->layout = adw_combo_row_get_selected (self->moodle_layout_row);
      form->session = entry_text (self->moodle_session_row);
      form->identifier = adw_combo_row_get_selected (self->moodle_identifier_row);
      form->marks = gtk_switch_get_active (self->moodle_marks_switch);
      form->bom = gtk_switch_get_active (self->moodle_bom_switch);
      break;

    case LIA_EXPORTS_SECTION_CALENDAR:
      form->person_kind = adw_combo_row_get_selected (self->ics_person_kind_row);
      form->person = entry_text (self->ics_person_row);
      form->utc = gtk_switch_get_active (self->ics_utc_switch);
      break;

    case LIA_EXPORTS_SECTION_REPORT:
      form->person_kind = adw_combo_row_get_selected (self->report_person_kind_row);
      form->person = entry_text (self->report_person_row);
      break;

    case LIA_N_EXPORTS_SECTIONS:
    default:
      g_assert_not_reached ();
    }
}

static AdwEntryRow *
field_row (LiaExportsPage    *self,
           LiaExportsSection  section,
           FormField          field)
{
  switch (field)
    {
    case FIELD_SESSION:
      return self->moodle_session_row;
    case FIELD_FROM:
      return self->sections[section].from_row;
    case FIELD_TO:
      return self->sections[section].to_row;
    case FIELD_PERSON:
      return section == LIA_EXPORTS_SECTION_CALENDAR ? self->ics_person_row : self->report_person_row;
    case FIELD_NONE:
    default:
      return NULL;
    }
}

static void
set_row_invalid (AdwEntryRow *row,
                 gboolean     invalid)
{
  if (invalid)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* Shows @message under the section's rows (NULL: hides it), marking the
 * row it is about and moving the focus there. */
static void
show_section_error (LiaExportsPage    *self,
                    LiaExportsSection  section,
                    FormField          field,
                    const char        *message)
{
  Section *s = &self->sections[section];
  static const FormField fields[] = { FIELD_SESSION, FIELD_FROM, FIELD_TO, FIELD_PERSON };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      AdwEntryRow *row = field_row (self, section, fields[i]);

      if (row != NULL && (section == LIA_EXPORTS_SECTION_MOODLE || fields[i] != FIELD_SESSION))
        set_row_invalid (row, fields[i] == field);
    }

  gtk_label_set_label (s->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (s->error_label), message != NULL);

  if (field != FIELD_NONE)
    {
      AdwEntryRow *row = field_row (self, section, field);

      gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, s->error_label, NULL,
                                      -1);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

/* Checks the section's form: TRUE with @options filled in (pointing into
 * @form), or FALSE with the error shown. */
static gboolean
validate_section (LiaExportsPage    *self,
                  LiaExportsSection  section,
                  ExportForm        *form,
                  LiaExportOptions  *options)
{
  g_autofree char *message = NULL;
  FormField field;

  read_form (self, section, form);
  if (!form_to_options (form, options, &field, &message))
    {
      show_section_error (self, section, field, message);
      return FALSE;
    }
  show_section_error (self, section, FIELD_NONE, NULL);
  return TRUE;
}

static void
show_progress (LiaExportsPage    *self,
               LiaExportsSection  section,
               gboolean           running)
{
  Section *s = &self->sections[section];

  gtk_widget_set_visible (s->progress_box, running);
  gtk_widget_set_sensitive (GTK_WIDGET (s->export_button), !running);
  if (running)
    {
      gtk_progress_bar_set_fraction (s->progress_bar, 0);
      gtk_label_set_label (s->progress_label, _("Starting…"));
    }
}

static void
add_toast (LiaExportsPage *self,
           AdwToast       *toast)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (LIA_IS_WINDOW (root))
    lia_window_add_toast (LIA_WINDOW (root), toast);
  else
    g_object_unref (toast);
}

static char *
describe_rows (LiaExportsSection section,
               gint64            rows)
{
  g_autofree char *number = lia_history_text_number (rows);

  switch (section)
    {
    case LIA_EXPORTS_SECTION_CALENDAR:
      /* Translators: %s is a number of calendar events. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %s event", "Exported %s events", rows),
                              number);
    case LIA_EXPORTS_SECTION_REPORT:
      /* Translators: %s is a number of people in an attendance summary. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %s person", "Exported %s people", rows),
                              number);
    case LIA_EXPORTS_SECTION_MOODLE:
    case LIA_N_EXPORTS_SECTIONS:
    default:
      /* Translators: %s is a number of CSV rows. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %s row", "Exported %s rows", rows),
                              number);
    }
}

/* --- Exporting ----------------------------------------------------------- */

typedef struct {
  LiaExportsPage    *self;     /* a reference, until the export ends */
  LiaExportsSection  section;
  GFile             *file;
} ExportCall;

static void
export_call_free (ExportCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->file);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportCall, export_call_free)

/* From core's thread, on the main context, at most every 100 ms; always
 * before the export's end. */
static void
on_export_progress_cb (gint64   rows,
                       gpointer user_data)
{
  ExportCall *call = user_data;
  Section *s = &call->self->sections[call->section];
  g_autofree char *number = lia_history_text_number (rows);
  g_autofree char *text = NULL;

  if (call->self->disposed)
    return;

  /* Translators: rows written so far; %s is a number. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", rows), number);
  gtk_label_set_label (s->progress_label, text);
  gtk_progress_bar_pulse (s->progress_bar);
}

static void
on_export_done_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ExportCall) call = user_data;
  g_autoptr(GError) error = NULL;
  LiaExportsPage *self = call->self;
  Section *s = &self->sections[call->section];
  gint64 rows = 0;

  lia_export_finish (result, &rows, &error);
  g_clear_object (&s->cancellable);

  /* Closed meanwhile: the widgets are gone, only the signal is left. */
  if (self->disposed)
    {
      g_signal_emit (self, signals[EXPORT_FINISHED], 0, (guint) call->section, rows, error);
      return;
    }

  show_progress (self, call->section, FALSE);

  if (error == NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (call->file);
      g_autofree char *uri = g_file_get_uri (folder);
      g_autofree char *title = describe_rows (call->section, rows);
      AdwToast *toast = adw_toast_new (title);

      g_debug ("Exported %" G_GINT64_FORMAT " rows to %s", rows, g_file_peek_path (call->file));
      adw_toast_set_button_label (toast, _("Open Folder"));
      adw_toast_set_action_name (toast, "win.open-folder");
      adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
      add_toast (self, toast);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      add_toast (self, adw_toast_new (_("Export cancelled; no file was written")));
    }
  else
    {
      g_debug ("Cannot export: %s", error->message);
      show_section_error (self, call->section, FIELD_NONE, error->message);
      add_toast (self, adw_toast_new (_("Export failed")));
    }

  g_signal_emit (self, signals[EXPORT_FINISHED], 0, (guint) call->section, rows, error);
}

/* --- Callbacks ----------------------------------------------------------- */

static LiaExportsSection
section_of (LiaExportsPage *self,
            GtkWidget      *widget)
{
  for (guint i = 0; i < LIA_N_EXPORTS_SECTIONS; i++)
    if (gtk_widget_is_ancestor (widget, GTK_WIDGET (self->sections[i].group)) ||
        widget == GTK_WIDGET (self->sections[i].export_button))
      return i;
  g_assert_not_reached ();
}

static void
on_chooser_response_cb (LiaExportsPage *self,
                        int             response)
{
  g_autoptr(GtkFileChooserNative) chooser = g_steal_pointer (&self->chooser);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        lia_exports_page_export_to (self, self->chooser_section, file);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
}

static GFile *
default_folder (LiaExportsPage *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "default-export-folder");
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (*folder != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (folder);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (documents);
  return g_file_new_for_path (g_get_home_dir ());
}

static void
on_export_clicked_cb (LiaExportsPage *self,
                      GtkButton      *button)
{
  LiaExportsSection section = section_of (self, GTK_WIDGET (button));
  g_auto(ExportForm) form = { 0 };
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GFile) folder = default_folder (self);
  g_autofree char *name = NULL;
  LiaExportOptions options;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!validate_section (self, section, &form, &options) || self->chooser != NULL)
    return;

  name = suggest_file_name (&form, &options);
  self->chooser = gtk_file_chooser_native_new (_("Export"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  self->chooser_section = section;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);

  switch (options.kind)
    {
    case LIA_EXPORT_ICS:
      gtk_file_filter_set_name (filter, _("Calendars"));
      gtk_file_filter_add_mime_type (filter, "text/calendar");
      break;
    case LIA_EXPORT_REPORT_JSON:
      gtk_file_filter_set_name (filter, _("JSON files"));
      gtk_file_filter_add_mime_type (filter, "application/json");
      break;
    default:
      gtk_file_filter_set_name (filter, _("CSV files"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
      break;
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_cancel_clicked_cb (LiaExportsPage *self,
                      GtkButton      *button)
{
  lia_exports_page_cancel (self, section_of (self, GTK_WIDGET (button)));
}

static void
on_options_changed_cb (LiaExportsPage *self)
{
  guint layout = adw_combo_row_get_selected (self->moodle_layout_row);
  guint calendar = adw_combo_row_get_selected (self->ics_person_kind_row);

  gtk_widget_set_sensitive (GTK_WIDGET (self->moodle_session_row), layout != LAYOUT_GRADEBOOK);
  gtk_widget_set_sensitive (GTK_WIDGET (self->moodle_identifier_row), layout != LAYOUT_RECORDS);
  gtk_widget_set_sensitive (GTK_WIDGET (self->moodle_marks_row), layout == LAYOUT_GRADEBOOK);

  gtk_widget_set_visible (GTK_WIDGET (self->ics_person_row), calendar != CALENDAR_EVERYONE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ics_person_row),
                                 calendar == CALENDAR_TEACHER ? _("Teacher ID") : _("Student ID"));
  gtk_widget_set_visible (GTK_WIDGET (self->report_person_row),
                          adw_combo_row_get_selected (self->report_person_kind_row) == REPORT_ONE);
}

/* Combo rows show their choice ellipsized, so that a long one (or a long
 * translation) fits 360 pixels; their lists show it whole. */
static void
setup_choice_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (GPOINTER_TO_INT (user_data))
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 4);
    }
  gtk_list_item_set_child (list_item, label);
}

static void
bind_choice_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (list_item)),
                       gtk_string_object_get_string (gtk_list_item_get_item (list_item)));
}

static void
set_choice_factories (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_choice_cb), GINT_TO_POINTER (TRUE));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_choice_cb), NULL);
  g_signal_connect (list_factory, "setup", G_CALLBACK (setup_choice_cb), GINT_TO_POINTER (FALSE));
  g_signal_connect (list_factory, "bind", G_CALLBACK (bind_choice_cb), NULL);
  adw_combo_row_set_factory (row, factory);
  adw_combo_row_set_list_factory (row, list_factory);
}

static void
on_entry_changed_cb (AdwEntryRow *row)
{
  /* Typing again is fixing the value: the red goes until the next try. */
  set_row_invalid (row, FALSE);
}

/* --- GObject ------------------------------------------------------------ */

static void
lia_exports_page_dispose (GObject *object)
{
  LiaExportsPage *self = LIA_EXPORTS_PAGE (object);

  self->disposed = TRUE;
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  for (guint i = 0; i < LIA_N_EXPORTS_SECTIONS; i++)
    {
      g_cancellable_cancel (self->sections[i].cancellable);
      g_clear_object (&self->sections[i].cancellable);
    }

  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), LIA_TYPE_EXPORTS_PAGE);

  G_OBJECT_CLASS (lia_exports_page_parent_class)->dispose (object);
}

static void
lia_exports_page_finalize (GObject *object)
{
  LiaExportsPage *self = LIA_EXPORTS_PAGE (object);

  g_clear_object (&self->settings);
  g_free (self->database_path);

  G_OBJECT_CLASS (lia_exports_page_parent_class)->finalize (object);
}

static void
lia_exports_page_class_init (LiaExportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const prefixes[] = { "moodle", "ics", "report" };

  G_STATIC_ASSERT (G_N_ELEMENTS (prefixes) == LIA_N_EXPORTS_SECTIONS);

  object_class->dispose = lia_exports_page_dispose;
  object_class->finalize = lia_exports_page_finalize;

  /**
   * LiaExportsPage::export-finished:
   * @section: the LiaExportsSection
   * @rows: rows (events, people) written
   * @error: (nullable): why it failed or was cancelled
   *
   * An export ended; the file is complete, or was never written.
   */
  signals[EXPORT_FINISHED] =
    g_signal_new ("export-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_INT64, G_TYPE_ERROR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/liaison/Liaison/ui/lia-exports-page.ui");

  for (guint i = 0; i < LIA_N_EXPORTS_SECTIONS; i++)
    {
      g_autofree char *group = g_strconcat (prefixes[i], "_group", NULL);
      g_autofree char *export_button = g_strconcat (prefixes[i], "_export_button", NULL);
      g_autofree char *from_row = g_strconcat (prefixes[i], "_from_row", NULL);
      g_autofree char *to_row = g_strconcat (prefixes[i], "_to_row", NULL);
      g_autofree char *error_label = g_strconcat (prefixes[i], "_error_label", NULL);
      g_autofree char *progress_box = g_strconcat (prefixes[i], "_progress_box", NULL);
      g_autofree char *progress_bar = g_strconcat (prefixes[i], "_progress_bar", NULL);
      g_autofree char *progress_label = g_strconcat (prefixes[i], "_progress_label", NULL);
      g_autofree char *cancel_button = g_strconcat (prefixes[i], "_cancel_button", NULL);
      gssize base = G_STRUCT_OFFSET (LiaExportsPage, sections) + i * sizeof (Section);
      struct {
        const char *name;
        gssize      offset;
      } children[] = {
        { group, G_STRUCT_OFFSET (Section, group) },
        { export_button, G_STRUCT_OFFSET (Section, export_button) },
        { from_row, G_STRUCT_OFFSET (Section, from_row) },
        { to_row, G_STRUCT_OFFSET (Section, to_row) },
        { error_label, G_STRUCT_OFFSET (Section, error_label) },
        { progress_box, G_STRUCT_OFFSET (Section, progress_box) },
        { progress_bar, G_STRUCT_OFFSET (Section, progress_bar) },
        { progress_label, G_STRUCT_OFFSET (Section, progress_label) },
        { cancel_button, G_STRUCT_OFFSET (Section, cancel_button) },
      };

      /* The template keeps the names it is given. */
      for (guint j = 0; j < G_N_ELEMENTS (children); j++)
        gtk_widget_class_bind_template_child_full (widget_class, g_intern_string (children[j].name),
                                                   FALSE, base + children[j].offset);
    }

  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, moodle_layout_row);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, moodle_session_row);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, moodle_identifier_row);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, moodle_marks_row);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, moodle_marks_switch);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, moodle_bom_switch);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, ics_person_kind_row);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, ics_person_row);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, ics_utc_switch);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, report_person_kind_row);
  gtk_widget_class_bind_template_child (widget_class, LiaExportsPage, report_person_row);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);
}

static void
lia_exports_page_init (LiaExportsPage *self)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (today, -29);
  g_autofree char *today_text = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *month_ago_text = g_date_time_format (month_ago, "%Y-%m-%d");
  AdwEntryRow *entries[3];

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_switch_set_active (self->moodle_bom_switch, g_settings_get_boolean (self->settings, "export-bom"));

  /* The HR summary covers the last 30 days unless told otherwise. */
  gtk_editable_set_text (GTK_EDITABLE (self->sections[LIA_EXPORTS_SECTION_REPORT].from_row), month_ago_text);
  gtk_editable_set_text (GTK_EDITABLE (self->sections[LIA_EXPORTS_SECTION_REPORT].to_row), today_text);

  entries[0] = self->moodle_session_row;
  entries[1] = self->ics_person_row;
  entries[2] = self->report_person_row;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_signal_connect (entries[i], "changed", G_CALLBACK (on_entry_changed_cb), NULL);
  for (guint i = 0; i < LIA_N_EXPORTS_SECTIONS; i++)
    {
      g_signal_connect (self->sections[i].from_row, "changed", G_CALLBACK (on_entry_changed_cb), NULL);
      g_signal_connect (self->sections[i].to_row, "changed", G_CALLBACK (on_entry_changed_cb), NULL);
    }

  set_choice_factories (self->moodle_layout_row);
  set_choice_factories (self->moodle_identifier_row);
  set_choice_factories (self->ics_person_kind_row);
  set_choice_factories (self->report_person_kind_row);

  g_signal_connect_object (self->moodle_layout_row, "notify::selected",
                           G_CALLBACK (on_options_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->ics_person_kind_row, "notify::selected",
                           G_CALLBACK (on_options_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->report_person_kind_row, "notify::selected",
                           G_CALLBACK (on_options_changed_cb), self, G_CONNECT_SWAPPED);
  on_options_changed_cb (self);
}

/* --- Public API ---------------------------------------------------------- */

void
lia_exports_page_set_database_path (LiaExportsPage *self,
                                    const char     *path)
{
  g_return_if_fail (LIA_IS_EXPORTS_PAGE (self));

  g_free (self->database_path);
  self->database_path = g_strdup (path);
}

/* Exports @section as its options say into @file, as the Export… button
 * does once the chooser gave the file. FALSE, with the error shown, when
 * an option is wrong or the section is already exporting. */
gboolean
lia_exports_page_export_to (LiaExportsPage    *self,
                            LiaExportsSection  section,
                            GFile             *file)
{
  g_auto(ExportForm) form = { 0 };
  g_autoptr(GFile) parent = NULL;
  LiaExportOptions options;
  ExportCall *call;
  Section *s;

  g_return_val_if_fail (LIA_IS_EXPORTS_PAGE (self), FALSE);
  g_return_val_if_fail (section < LIA_N_EXPORTS_SECTIONS, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  s = &self->sections[section];
  if (s->cancellable != NULL || self->database_path == NULL)
    return FALSE;
  if (!validate_section (self, section, &form, &options))
    return FALSE;

  parent = g_file_get_parent (file);
  if (g_file_peek_path (file) == NULL || parent == NULL)
    {
      show_section_error (self, section, FIELD_NONE, _("Choose a file on this computer."));
      return FALSE;
    }

  call = g_new0 (ExportCall, 1);
  call->self = g_object_ref (self);
  call->section = section;
  call->file = g_object_ref (file);

  s->cancellable = g_cancellable_new ();
  show_progress (self, section, TRUE);
  lia_export_async (self->database_path, &options, g_file_peek_path (file),
                    on_export_progress_cb, call, s->cancellable, on_export_done_cb, call);
  return TRUE;
}

/* Stops @section's export; no file is left. */
void
lia_exports_page_cancel (LiaExportsPage    *self,
                         LiaExportsSection  section)
{
  g_return_if_fail (LIA_IS_EXPORTS_PAGE (self));
  g_return_if_fail (section < LIA_N_EXPORTS_SECTIONS);

  g_cancellable_cancel (self->sections[section].cancellable);
}

gboolean
lia_exports_page_is_exporting (LiaExportsPage    *self,
                               LiaExportsSection  section)
{
  g_return_val_if_fail (LIA_IS_EXPORTS_PAGE (self), FALSE);
  g_return_val_if_fail (section < LIA_N_EXPORTS_SECTIONS, FALSE);

  return self->sections[section].cancellable != NULL;
}
