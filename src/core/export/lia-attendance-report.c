/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-attendance-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lia-csv-writer.h"
#include "lia-export.h"

/* The HR attendance summary: for each person (a student, or an employee
 * whose attendance a source tracks the same way) over a period, the
 * attendance records by status and the attendance rate, as one JSON object
 * for one person or as CSV for everyone, for payroll and compliance.
 *
 * The rate is the share of the sessions attended, present or late, out of
 * those not excused, in percent with one decimal, rounded half away from
 * zero; there is none (null, an empty cell) when every session was excused
 * or there were none. A record belongs to the period by its timestamp. */

/* Without a start, the period is the 30 days up to its end (to the second,
 * both ends included); without an end, it ends now. */
#define DEFAULT_PERIOD (30 * 24 * 3600)

static const char * const columns[] = {
  "student_id", "student_email", "student_name", "period_start", "period_end",
  "total_sessions", "present", "absent", "late", "excused", "attendance_rate",
};

enum {
  COLUMN_ID,
  COLUMN_EMAIL,
  COLUMN_NAME,
  COLUMN_PRESENT,
  COLUMN_ABSENT,
  COLUMN_LATE,
  COLUMN_EXCUSED,
};

typedef struct {
  gint64 present;
  gint64 absent;
  gint64 late;
  gint64 excused;
} Counts;

/* Helpers */

static void
resolve_period (const LiaExportOptions *options,
                gint64                 *out_from,
                gint64                 *out_to)
{
  *out_to = options->to != 0 ? options->to : g_get_real_time () / G_USEC_PER_SEC;
  *out_from = options->from != 0 ? options->from : *out_to - DEFAULT_PERIOD + 1;
}

static gboolean
check_student (LiaExportContext  *context,
               const char        *id,
               GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean found;

  stmt = lia_database_prepare (context->db,
                               "SELECT EXISTS (SELECT 1 FROM students WHERE external_id = ?1)"
                               " OR EXISTS (SELECT 1 FROM attendance WHERE student_id = ?1)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      lia_database_set_error (context->db, error, _("Cannot read the students"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  found = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND,
                   _("There is no student with the id “%s”"), id);
      return FALSE;
    }
  return TRUE;
}

/* One row per person: id, email, name, present, absent, late, excused.
 * Everyone is every known student and anyone with records in the period;
 * the counts come grouped in the index's student order, so nothing is
 * sorted, and take memory by the person, not by the record. */
static sqlite3_stmt *
prepare_summary (LiaExportContext  *context,
                 const char        *student_id,
                 gint64             from,
                 gint64             to,
                 GError           **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int index;

#define FIRST_OF(column) \
  "(SELECT s." column " FROM students s WHERE s.external_id = p.id AND COALESCE(s." column ", '') <> ''" \
  "  ORDER BY s.integration_id LIMIT 1)"
  sql = g_strconcat ("WITH counts AS ("
                     "  SELECT student_id,"
                     "    SUM(status = 'present') AS present, SUM(status = 'absent') AS absent,"
                     "    SUM(status = 'late') AS late, SUM(status = 'excused') AS excused"
                     "  FROM attendance INDEXED BY attendance_by_student"
                     "  WHERE status IS NOT NULL AND timestamp >= :from AND timestamp <= :to",
                     student_id ? " AND student_id = :student" : "",
                     "  GROUP BY student_id),",
                     student_id ? " people (id) AS (SELECT :student)"
                                : " people (id) AS (SELECT external_id FROM students"
                                  "   UNION SELECT student_id FROM counts)",
                     " SELECT p.id, " FIRST_OF ("email") ", " FIRST_OF ("name") ","
                     "   COALESCE(c.present, 0), COALESCE(c.absent, 0),"
                     "   COALESCE(c.late, 0), COALESCE(c.excused, 0)"
                     " FROM people p LEFT JOIN counts c ON c.student_id = p.id"
                     " ORDER BY p.id", NULL);
#undef FIRST_OF

  stmt = lia_database_prepare (context->db, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":from"), from);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":to"), to);
  if ((index = sqlite3_bind_parameter_index (stmt, ":student")) > 0)
    sqlite3_bind_text (stmt, index, student_id, -1, SQLITE_TRANSIENT);
  return stmt;
}

static void
read_counts (sqlite3_stmt *stmt,
             Counts       *counts)
{
  counts->present = sqlite3_column_int64 (stmt, COLUMN_PRESENT);
  counts->absent = sqlite3_column_int64 (stmt, COLUMN_ABSENT);
  counts->late = sqlite3_column_int64 (stmt, COLUMN_LATE);
  counts->excused = sqlite3_column_int64 (stmt, COLUMN_EXCUSED);
}

static gint64
total_of (const Counts *counts)
{
  return counts->present + counts->absent + counts->late + counts->excused;
}

/* JSON */

static void
append_json_string (GString    *json,
                    const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    {
      g_string_append (json, "null");
      return;
    }
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (json, '\\');
          g_string_append_c (json, (char) c);
        }
      else if (c == '\n')
        g_string_append (json, "\\n");
      else if (c == '\r')
        g_string_append (json, "\\r");
      else if (c == '\t')
        g_string_append (json, "\\t");
      else if (c < 0x20)
        g_string_append_printf (json, "\\u%04x", c);
      else
        g_string_append_c (json, (char) c);
    }
  g_string_append_c (json, '"');
}

static void
append_json_timestamp (GString *json,
                       gint64   unix_seconds)
{
  char buffer[LIA_CSV_TIMESTAMP_SIZE];

  if (lia_csv_format_timestamp (unix_seconds, buffer) == 0)
    g_string_append (json, "null");
  else
    g_string_append_printf (json, "\"%s\"", buffer);
}

static gint64
write_json (LiaExportContext  *context,
            gint64             from,
            gint64             to,
            GError           **error)
{
  const char *id = context->options->student_id;
  g_autoptr(GString) json = g_string_new (NULL);
  char rate[LIA_CSV_NUMBER_SIZE];
  Counts counts;
  sqlite3_stmt *stmt;
  int rc;

  if (id == NULL)
    {
      g_set_error_literal (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_INVALID,
                           _("student: the JSON report is of one person"));
      return -1;
    }
  if (!check_student (context, id, error))
    return -1;

  stmt = prepare_summary (context, id, from, to, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      lia_database_set_error (context->db, error, _("Cannot read the attendance"));
      sqlite3_reset (stmt);
      return -1;
    }
  read_counts (stmt, &counts);

  /* The member names are HR's, snake_case, the same as the CSV columns. */
  g_string_append (json, "{\n  \"student_id\": ");
  append_json_string (json, id);
  g_string_append (json, ",\n  \"student_email\": ");
  append_json_string (json, (const char *) sqlite3_column_text (stmt, COLUMN_EMAIL));
  g_string_append (json, ",\n  \"student_name\": ");
  append_json_string (json, (const char *) sqlite3_column_text (stmt, COLUMN_NAME));
  sqlite3_reset (stmt);
  g_string_append (json, ",\n  \"period_start\": ");
  append_json_timestamp (json, from);
  g_string_append (json, ",\n  \"period_end\": ");
  append_json_timestamp (json, to);
  g_string_append_printf (json,
                          ",\n  \"total_sessions\": %" G_GINT64_FORMAT
                          ",\n  \"present\": %" G_GINT64_FORMAT
                          ",\n  \"absent\": %" G_GINT64_FORMAT
                          ",\n  \"late\": %" G_GINT64_FORMAT
                          ",\n  \"excused\": %" G_GINT64_FORMAT
                          ",\n  \"attendance_rate\": %s\n}\n",
                          total_of (&counts), counts.present, counts.absent, counts.late, counts.excused,
                          lia_csv_format_percentage (counts.present + counts.late,
                                                     total_of (&counts) - counts.excused, rate) > 0
                            ? rate : "null");

  /* As with CSV, a cancel from the progress callback is seen. */
  if (context->progress != NULL)
    context->progress (0, context->progress_data);
  if (g_cancellable_set_error_if_cancelled (context->cancellable, error) ||
      !g_output_stream_write_all (context->out, json->str, json->len, NULL, context->cancellable, error))
    return -1;
  return 1;
}

/* CSV */

static gint64
write_csv (LiaExportContext  *context,
           gint64             from,
           gint64             to,
           GError           **error)
{
  const LiaExportOptions *options = context->options;
  g_autoptr(LiaCsvWriter) writer = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (options->student_id != NULL && !check_student (context, options->student_id, error))
    return -1;
  stmt = prepare_summary (context, options->student_id, from, to, error);
  if (stmt == NULL)
    return -1;

  writer = lia_csv_writer_new (context->out, options->bom);
  lia_csv_writer_set_progress (writer, context->progress, context->progress_data, context->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    lia_csv_writer_add_text (writer, columns[i], -1);
  if (!lia_csv_writer_end_header (writer, error))
    goto fail;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Counts counts;

      read_counts (stmt, &counts);
      for (int column = COLUMN_ID; column <= COLUMN_NAME; column++)
        lia_csv_writer_add_text (writer, (const char *) sqlite3_column_text (stmt, column),
                                 sqlite3_column_bytes (stmt, column));
      lia_csv_writer_add_timestamp (writer, from);
      lia_csv_writer_add_timestamp (writer, to);
      lia_csv_writer_add_int (writer, total_of (&counts));
      lia_csv_writer_add_int (writer, counts.present);
      lia_csv_writer_add_int (writer, counts.absent);
      lia_csv_writer_add_int (writer, counts.late);
      lia_csv_writer_add_int (writer, counts.excused);
      lia_csv_writer_add_percentage (writer, counts.present + counts.late, total_of (&counts) - counts.excused);
      if (!lia_csv_writer_end_row (writer, error))
        goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      lia_database_set_error (context->db, error, _("Cannot read the attendance"));
      goto fail;
    }
  sqlite3_reset (stmt);

  if (!lia_csv_writer_finish (writer, error))
    return -1;
  return lia_csv_writer_get_rows (writer);

fail:
  sqlite3_reset (stmt);
  return -1;
}

/* Public API */

/* Writes the attendance summary: for options->student_id as JSON
 * (LIA_EXPORT_REPORT_JSON), or for everyone (or that one person) as CSV
 * (LIA_EXPORT_REPORT_CSV). Returns the number of people, or -1. */
gint64
lia_attendance_report_write (LiaExportContext  *context,
                             GError           **error)
{
  gint64 from, to;

  g_return_val_if_fail (context != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  resolve_period (context->options, &from, &to);

  switch (context->options->kind)
    {
    case LIA_EXPORT_REPORT_JSON:
      return write_json (context, from, to, error);
    case LIA_EXPORT_REPORT_CSV:
      return write_csv (context, from, to, error);
    case LIA_EXPORT_MOODLE_RECORDS:
    case LIA_EXPORT_MOODLE_MARK_SESSION:
    case LIA_EXPORT_MOODLE_GRADEBOOK:
    case LIA_EXPORT_ICS:
    default:
      g_return_val_if_reached (-1);
    }
}
