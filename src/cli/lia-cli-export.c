/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lia-cli.h"
#include "lia-export.h"
#include "lia-time.h"

/* `export moodle`, `export ics` and `report attendance`: options are
 * checked here, at the boundary, each bad one named in one line; the
 * export itself runs in core, in a worker thread, so that Ctrl+C cancels
 * it and no half-written file is left. */

/* Helpers */

static gboolean
parse_date_option (const char  *text,
                   const char  *option,
                   gboolean     end_of_day,
                   gint64      *out_unix)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return TRUE;
  if (lia_time_parse_cli_date (text, end_of_day, out_unix, &error))
    return TRUE;
  lia_cli_usage ("%s: %s", option, error->message);
  return FALSE;
}

/* --from and --to, both inclusive. */
static gboolean
parse_range (const char       *from_text,
             const char       *to_text,
             LiaExportOptions *options)
{
  if (!parse_date_option (from_text, "--from", FALSE, &options->from) ||
      !parse_date_option (to_text, "--to", TRUE, &options->to))
    return FALSE;
  if (options->from != 0 && options->to != 0 && options->from > options->to)
    {
      lia_cli_usage (_("--from: must not be after --to"));
      return FALSE;
    }
  return TRUE;
}

/* Options that name nothing in the database, or an id that is not there,
 * are bad input (2); the rest, such as a folder we cannot write in, are
 * failures (1). */
static int
fail_export (GError   *error,
             gboolean  to_stdout)
{
  int status;

  if (g_error_matches (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_INVALID) ||
      g_error_matches (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND))
    status = lia_cli_usage ("%s", error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      lia_cli_usage ("%s", to_stdout ? _("Cancelled") : _("Cancelled; no file was written"));
      status = LIA_EXIT_FAILURE;
    }
  else
    return lia_cli_fail (error);

  g_error_free (error);
  return status;
}

/* Running, with a main loop so that SIGINT and SIGTERM cancel */

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  gboolean      show_progress;
  gboolean      ok;
  gint64        rows;
  GError       *error;
} ExportCall;

static void
on_progress_cb (gint64   rows,
                gpointer user_data)
{
  ExportCall *call = user_data;

  if (call->show_progress)
    g_printerr (_("\r%" PRId64 " rows "), rows);
}

static void
on_export_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ExportCall *call = user_data;

  call->ok = lia_export_finish (result, &call->rows, &call->error);
  g_main_loop_quit (call->loop);
}

static int
run_export (LiaCliCommon           *common,
            const LiaExportOptions *options,
            const char             *path)
{
  g_autofree char *db_path = lia_database_resolve_path (common->db_path);
  gboolean to_stdout = g_str_equal (path, "-");
  ExportCall call = { 0 };

  call.loop = g_main_loop_new (NULL, FALSE);
  call.cancellable = g_cancellable_new ();
  /* Progress only for a person watching, never into a pipe or the data. */
  call.show_progress = !to_stdout && isatty (STDERR_FILENO);

  lia_export_async (db_path, options, path, on_progress_cb, &call, call.cancellable, on_export_done_cb, &call);
  lia_cli_run_cancellable (call.loop, call.cancellable);

  g_main_loop_unref (call.loop);
  g_object_unref (call.cancellable);
  if (call.show_progress)
    g_printerr ("\r\033[K");

  if (!call.ok)
    return fail_export (call.error, to_stdout);
  return LIA_EXIT_OK;
}

/* `export moodle` */

static gboolean
parse_layout (const char    *text,
              LiaExportKind *out_kind)
{
  if (text == NULL || g_str_equal (text, "records"))
    *out_kind = LIA_EXPORT_MOODLE_RECORDS;
  else if (g_str_equal (text, "mark-session"))
    *out_kind = LIA_EXPORT_MOODLE_MARK_SESSION;
  else if (g_str_equal (text, "gradebook"))
    *out_kind = LIA_EXPORT_MOODLE_GRADEBOOK;
  else
    {
      lia_cli_usage (_("--layout: “%s” is not a layout (records, mark-session or gradebook)"), text);
      return FALSE;
    }
  return TRUE;
}

/* --acronym STATUS=ACRONYM, into the options' acronyms (present, late,
 * excused, absent), pointing into @acronyms. */
static gboolean
parse_acronyms (char             **acronyms,
                LiaExportOptions  *options)
{
  static const char * const statuses[] = { "present", "late", "excused", "absent" };

  for (guint i = 0; acronyms != NULL && acronyms[i] != NULL; i++)
    {
      char *equals = strchr (acronyms[i], '=');
      guint status;

      if (equals == NULL || equals[1] == '\0')
        {
          lia_cli_usage (_("--acronym: “%s” is not STATUS=ACRONYM, as in late=R"), acronyms[i]);
          return FALSE;
        }
      *equals = '\0';
      for (status = 0; status < G_N_ELEMENTS (statuses); status++)
        if (g_str_equal (acronyms[i], statuses[status]))
          break;
      if (status == G_N_ELEMENTS (statuses))
        {
          lia_cli_usage (_("--acronym: “%s” is not a status (present, late, excused or absent)"), acronyms[i]);
          return FALSE;
        }
      options->acronyms[status] = equals + 1;
    }
  return TRUE;
}

static int
run_export_moodle (LiaCliCommon  *common,
                   int            argc,
                   char         **argv)
{
  g_autofree char *layout = NULL;
  g_autofree char *session = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *identifier = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) acronyms = NULL;
  gboolean marks = FALSE, bom = FALSE;
  LiaExportOptions options = { 0 };
  GOptionEntry entries[] = {
    { "layout", 0, 0, G_OPTION_ARG_STRING, &layout,
      N_("records (the default), mark-session or gradebook"), N_("LAYOUT") },
    { "session", 0, 0, G_OPTION_ARG_STRING, &session,
      N_("Only this session (required by mark-session)"), N_("ID") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Only records from DATE (ISO 8601, inclusive)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("Only records up to DATE (inclusive: a date covers its whole day)"), N_("DATE") },
    { "identifier", 0, 0, G_OPTION_ARG_STRING, &identifier,
      N_("Name students by email (the default) or idnumber, their external id"), N_("FIELD") },
    { "marks", 0, 0, G_OPTION_ARG_NONE, &marks,
      N_("Gradebook: a score per subject and assessment, instead of attendance"), NULL },
    { "acronym", 0, 0, G_OPTION_ARG_STRING_ARRAY, &acronyms,
      N_("Mark-session: a status’s acronym, as in late=R (default P, L, E, A)"), N_("STATUS=ACRONYM") },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom,
      N_("Begin with a UTF-8 byte order mark, so that Excel shows accents"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (“-” for standard output)"), N_("FILE") },
    { NULL }
  };

  if (!lia_cli_parse ("export moodle -o FILE",
                      N_("Exports attendance as Moodle CSV: the records (the layout schools exchange),\n"
                         "one session’s marks for the attendance module, or a gradebook import."),
                      entries, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 1)
    return lia_cli_usage (_("export moodle takes no arguments; see “liaison-cli export moodle --help”"));

  if (!parse_layout (layout, &options.kind))
    return LIA_EXIT_USAGE;
  if (identifier == NULL || g_str_equal (identifier, "email"))
    options.identifier = LIA_IDENTIFIER_EMAIL;
  else if (g_str_equal (identifier, "idnumber"))
    options.identifier = LIA_IDENTIFIER_IDNUMBER;
  else
    return lia_cli_usage (_("--identifier: “%s” is not email or idnumber"), identifier);
  if (marks && options.kind != LIA_EXPORT_MOODLE_GRADEBOOK)
    return lia_cli_usage (_("--marks: only with --layout gradebook"));
  if (acronyms != NULL && options.kind != LIA_EXPORT_MOODLE_MARK_SESSION)
    return lia_cli_usage (_("--acronym: only with --layout mark-session"));
  if (!parse_acronyms (acronyms, &options))
    return LIA_EXIT_USAGE;
  if (session != NULL && *session == '\0')
    return lia_cli_usage (_("--session: give a session ID"));
  if (session == NULL && options.kind == LIA_EXPORT_MOODLE_MARK_SESSION)
    return lia_cli_usage (_("--session: required by --layout mark-session"));
  if (!parse_range (from_text, to_text, &options))
    return LIA_EXIT_USAGE;
  if (output == NULL || *output == '\0')
    return lia_cli_usage (_("-o: required (“-o -” writes to standard output)"));

  options.session_id = session;
  options.marks = marks;
  options.bom = bom;
  return run_export (common, &options, output);
}

/* `export ics` */

static int
run_export_ics (LiaCliCommon  *common,
                int            argc,
                char         **argv)
{
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *student = NULL;
  g_autofree char *faculty = NULL;
  g_autofree char *output = NULL;
  g_autofree char *name = NULL;
  gboolean utc = FALSE;
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS };
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Only sessions from DATE (ISO 8601, inclusive)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("Only sessions up to DATE (inclusive: a date covers its whole day)"), N_("DATE") },
    { "student", 0, 0, G_OPTION_ARG_STRING, &student,
      N_("One student’s timetable"), N_("ID") },
    { "faculty", 0, 0, G_OPTION_ARG_STRING, &faculty,
      N_("One teacher’s timetable"), N_("ID") },
    { "utc", 0, 0, G_OPTION_ARG_NONE, &utc,
      N_("Write times in UTC instead of the integration’s time zone"), NULL },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("The calendar’s name, as calendar applications show it"), N_("NAME") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE (“-” for standard output)"), N_("FILE") },
    { NULL }
  };

  if (!lia_cli_parse ("export ics -o FILE",
                      N_("Exports the timetable as iCalendar, for calendar applications."),
                      entries, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 1)
    return lia_cli_usage (_("export ics takes no arguments; see “liaison-cli export ics --help”"));
  if (student != NULL && faculty != NULL)
    return lia_cli_usage (_("--student: cannot be combined with --faculty"));
  if ((student != NULL && *student == '\0') || (faculty != NULL && *faculty == '\0'))
    return lia_cli_usage (student != NULL ? _("--student: give a student ID") : _("--faculty: give a teacher ID"));
  if (!parse_range (from_text, to_text, &options))
    return LIA_EXIT_USAGE;
  if (output == NULL || *output == '\0')
    return lia_cli_usage (_("-o: required (“-o -” writes to standard output)"));

  options.student_id = student;
  options.faculty_id = faculty;
  options.utc = utc;
  options.calendar_name = name;
  return run_export (common, &options, output);
}

int
lia_cli_export (LiaCliCommon  *common,
                int            argc,
                char         **argv)
{
  static const LiaCliCommand commands[] = {
    { "moodle", "moodle [--layout LAYOUT] … -o FILE", N_("Attendance as Moodle CSV"), run_export_moodle },
    { "ics", "ics [--student ID | --faculty ID] [--utc] -o FILE", N_("The timetable as iCalendar"), run_export_ics },
  };

  return lia_cli_dispatch ("export", commands, G_N_ELEMENTS (commands), common, argc, argv);
}

/* `report attendance` */

static int
run_report_attendance (LiaCliCommon  *common,
                       int            argc,
                       char         **argv)
{
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *output = NULL;
  gboolean csv = FALSE, bom = FALSE;
  LiaExportOptions options = { 0 };
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("The period’s first day (ISO 8601; default: 30 days before its end)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("The period’s last day, included (default: now)"), N_("DATE") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv,
      N_("Print CSV (the default without a STUDENT_ID)"), NULL },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom,
      N_("CSV: begin with a UTF-8 byte order mark, so that Excel shows accents"), NULL },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE instead of standard output"), N_("FILE") },
    { NULL }
  };

  if (!lia_cli_parse ("report attendance [STUDENT_ID]",
                      N_("Summarises attendance over a period, for HR: sessions, present, absent, late,\n"
                         "excused and the attendance rate. One person as JSON (the default with a\n"
                         "STUDENT_ID), or everyone as CSV."),
                      entries, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc > 2)
    return lia_cli_usage (_("report attendance: give at most one STUDENT_ID"));
  if (argc == 2 && *argv[1] == '\0')
    return lia_cli_usage (_("report attendance: give a STUDENT_ID"));
  if (common->json && csv)
    return lia_cli_usage (_("--json: cannot be combined with --csv"));
  if (common->json && argc != 2)
    return lia_cli_usage (_("--json: needs a STUDENT_ID (--csv reports everyone)"));
  if (bom && argc == 2 && !csv)
    return lia_cli_usage (_("--bom: only with CSV"));
  if (!parse_range (from_text, to_text, &options))
    return LIA_EXIT_USAGE;

  options.student_id = argc == 2 ? argv[1] : NULL;
  options.kind = options.student_id != NULL && !csv ? LIA_EXPORT_REPORT_JSON : LIA_EXPORT_REPORT_CSV;
  options.bom = bom;
  return run_export (common, &options, output != NULL && *output != '\0' ? output : "-");
}

int
lia_cli_report (LiaCliCommon  *common,
                int            argc,
                char         **argv)
{
  static const LiaCliCommand commands[] = {
    { "attendance", "attendance [STUDENT_ID] [--json | --csv]", N_("Attendance rates over a period, for HR"),
      run_report_attendance },
  };

  return lia_cli_dispatch ("report", commands, G_N_ELEMENTS (commands), common, argc, argv);
}
