/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-moodle-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lia-csv-writer.h"
#include "lia-export.h"

/* Moodle CSV in three layouts:
 *
 * - records: the attendance records as schools exchange them, one a row;
 * - mark-session: what the attendance module's "Import marks" screen reads
 *   for one session: identifier, scantime, status acronym;
 * - gradebook: what Grades → Import → CSV file reads: the identifier, then
 *   one grade item a column (attendance percentage per subject, or with
 *   marks, the score per subject and assessment).
 *
 * Each is one query over a SQLite cursor, streamed through the CSV writer.
 * An attendance record's date is its timestamp: --from and --to match it,
 * and a record without one is only in exports without a date range. */

/* Shared */

/* " AND …" for the options' filters, on attendance a and @time_column. */
static char *
filter_sql (const LiaExportOptions *options,
            const char             *time_column)
{
  GString *where = g_string_new (NULL);

  if (options->session_id != NULL)
    g_string_append (where, " AND a.session_id = :session");
  if (options->from != 0)
    g_string_append_printf (where, " AND %s >= :from", time_column);
  if (options->to != 0)
    g_string_append_printf (where, " AND %s <= :to", time_column);
  return g_string_free (where, FALSE);
}

/* Binds whichever of :session, :from and :to @stmt names. */
static void
bind_filter (sqlite3_stmt           *stmt,
             const LiaExportOptions *options)
{
  int index;

  if ((index = sqlite3_bind_parameter_index (stmt, ":session")) > 0)
    sqlite3_bind_text (stmt, index, options->session_id, -1, SQLITE_TRANSIENT);
  if ((index = sqlite3_bind_parameter_index (stmt, ":from")) > 0)
    sqlite3_bind_int64 (stmt, index, options->from);
  if ((index = sqlite3_bind_parameter_index (stmt, ":to")) > 0)
    sqlite3_bind_int64 (stmt, index, options->to);
}

static sqlite3_stmt *
prepare_filtered (LiaExportContext  *context,
                  const char        *sql,
                  GError           **error)
{
  sqlite3_stmt *stmt = lia_database_prepare (context->db, sql, error);

  if (stmt != NULL)
    bind_filter (stmt, context->options);
  return stmt;
}

/* Ends a cursor: FALSE with @error when it stopped on an error rather
 * than at its end. */
static gboolean
check_step (LiaExportContext  *context,
            sqlite3_stmt      *stmt,
            int                rc,
            GError           **error)
{
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;
  lia_database_set_error (context->db, error, _("Cannot read the attendance"));
  sqlite3_reset (stmt);
  return FALSE;
}

static gboolean
check_session (LiaExportContext  *context,
               GError           **error)
{
  const char *id = context->options->session_id;
  sqlite3_stmt *stmt;
  gboolean found;

  if (id == NULL)
    return TRUE;
  stmt = lia_database_prepare (context->db,
                               "SELECT EXISTS (SELECT 1 FROM sessions WHERE external_id = ?1)"
                               " OR EXISTS (SELECT 1 FROM attendance WHERE session_id = ?1)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return check_step (context, stmt, SQLITE_ERROR, error);
  found = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (!found)
    {
      g_set_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND,
                   _("There is no session with the id “%s”"), id);
      return FALSE;
    }
  return TRUE;
}

static void
add_column_text (LiaCsvWriter *writer,
                 sqlite3_stmt *stmt,
                 int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  lia_csv_writer_add_text (writer, text, text ? sqlite3_column_bytes (stmt, column) : 0);
}

static const char *
identifier_name (const LiaExportOptions *options)
{
  return options->identifier == LIA_IDENTIFIER_IDNUMBER ? "idnumber" : "email";
}

/* Records
 *
 * A join with students costs a B-tree search a row, half the time of a
 * million-row export; a school has far fewer students than records, so
 * each student's email is read once and kept. Memory grows with the
 * students seen, never with the records. */

typedef struct _Email Email;

struct _Email {
  gint64  integration_id;
  char   *email;           /* NULL when the student has none */
  gssize  length;
  Email  *next;            /* the same external id in another integration */
};

typedef struct {
  sqlite3_stmt *lookup;
  GHashTable   *by_student;  /* external id → Email list */
} EmailCache;

static void
email_list_free (Email *email)
{
  while (email != NULL)
    {
      Email *next = email->next;

      g_free (email->email);
      g_free (email);
      email = next;
    }
}

static const Email *
email_cache_get (EmailCache  *cache,
                 gint64       integration_id,
                 const char  *student_id,
                 int          student_id_length)
{
  Email *first = g_hash_table_lookup (cache->by_student, student_id);
  Email *email;

  for (email = first; email != NULL; email = email->next)
    if (email->integration_id == integration_id)
      return email;

  email = g_new0 (Email, 1);
  email->integration_id = integration_id;
  sqlite3_bind_int64 (cache->lookup, 1, integration_id);
  sqlite3_bind_text (cache->lookup, 2, student_id, student_id_length, SQLITE_STATIC);
  if (sqlite3_step (cache->lookup) == SQLITE_ROW && sqlite3_column_text (cache->lookup, 0) != NULL)
    {
      email->email = g_strdup ((const char *) sqlite3_column_text (cache->lookup, 0));
      email->length = sqlite3_column_bytes (cache->lookup, 0);
    }
  sqlite3_reset (cache->lookup);

  if (first != NULL)
    {
      email->next = first->next;
      first->next = email;
    }
  else
    g_hash_table_insert (cache->by_student, g_strndup (student_id, student_id_length), email);
  return email;
}

static gint64
write_records (LiaExportContext  *context,
               LiaCsvWriter      *writer,
               GError           **error)
{
  g_autoptr(GHashTable) by_student = NULL;
  EmailCache emails = { 0 };
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  emails.lookup = lia_database_prepare (context->db,
                                        "SELECT email FROM students WHERE integration_id = ?1 AND external_id = ?2",
                                        error);
  if (emails.lookup == NULL)
    return -1;
  by_student = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) email_list_free);
  emails.by_student = by_student;

  where = filter_sql (context->options, "a.timestamp");
  /* The timestamp index gives the order, so nothing is sorted in memory. */
  sql = g_strconcat ("SELECT a.student_id, a.integration_id, a.session_id, a.status, a.timestamp, a.method"
                     " FROM attendance a"
                     " WHERE 1", where,
                     " ORDER BY a.timestamp, a.id", NULL);

  stmt = prepare_filtered (context, sql, error);
  if (stmt == NULL)
    return -1;

  lia_csv_writer_add_text (writer, "Student ID", -1);
  lia_csv_writer_add_text (writer, "Student Email", -1);
  lia_csv_writer_add_text (writer, "Session ID", -1);
  lia_csv_writer_add_text (writer, "Status", -1);
  lia_csv_writer_add_text (writer, "Timestamp", -1);
  lia_csv_writer_add_text (writer, "Method", -1);
  if (!lia_csv_writer_end_header (writer, error))
    goto fail;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *student_id = (const char *) sqlite3_column_text (stmt, 0);
      int student_id_length = sqlite3_column_bytes (stmt, 0);
      const Email *email = email_cache_get (&emails, sqlite3_column_int64 (stmt, 1),
                                            student_id, student_id_length);

      lia_csv_writer_add_text (writer, student_id, student_id_length);
      lia_csv_writer_add_text (writer, email->email, email->length);
      add_column_text (writer, stmt, 2);
      add_column_text (writer, stmt, 3);
      if (sqlite3_column_type (stmt, 4) == SQLITE_NULL)
        lia_csv_writer_add_empty (writer);
      else
        lia_csv_writer_add_timestamp (writer, sqlite3_column_int64 (stmt, 4));
      add_column_text (writer, stmt, 5);
      if (!lia_csv_writer_end_row (writer, error))
        goto fail;
    }
  if (!check_step (context, stmt, rc, error))
    return -1;
  sqlite3_reset (stmt);
  return lia_csv_writer_get_rows (writer);

fail:
  sqlite3_reset (stmt);
  return -1;
}

/* Mark a session */

static const char *
status_acronym (const LiaExportOptions *options,
                const char             *status)
{
  /* In the order of LiaExportOptions.acronyms. */
  static const char * const statuses[] = { "present", "late", "excused", "absent" };
  static const char * const defaults[] = { "P", "L", "E", "A" };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (status, statuses[i]))
      return options->acronyms[i] != NULL ? options->acronyms[i] : defaults[i];
  return NULL;
}

static gint64
write_mark_session (LiaExportContext  *context,
                    LiaCsvWriter      *writer,
                    GError           **error)
{
  const LiaExportOptions *options = context->options;
  gboolean by_email = options->identifier == LIA_IDENTIFIER_EMAIL;
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (options->session_id == NULL)
    {
      g_set_error_literal (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_INVALID,
                           _("session: required by the mark-session layout"));
      return -1;
    }

  where = filter_sql (options, "a.timestamp");
  sql = g_strconcat ("SELECT a.student_id, st.email, a.status"
                     " FROM attendance a"
                     " LEFT JOIN students st"
                     "   ON st.integration_id = a.integration_id AND st.external_id = a.student_id"
                     " WHERE a.status IS NOT NULL", where,
                     " ORDER BY a.student_id, a.id", NULL);

  stmt = prepare_filtered (context, sql, error);
  if (stmt == NULL)
    return -1;

  /* Moodle derives a status from a scan time when one is given; we give
   * the status itself, so the column stays empty. */
  lia_csv_writer_add_text (writer, identifier_name (options), -1);
  lia_csv_writer_add_text (writer, "scantime", -1);
  lia_csv_writer_add_text (writer, "status", -1);
  if (!lia_csv_writer_end_header (writer, error))
    goto fail;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 2);

      add_column_text (writer, stmt, by_email ? 1 : 0);
      lia_csv_writer_add_empty (writer);
      lia_csv_writer_add_text (writer, status_acronym (options, status), -1);
      if (!lia_csv_writer_end_row (writer, error))
        goto fail;
    }
  if (!check_step (context, stmt, rc, error))
    return -1;
  sqlite3_reset (stmt);
  return lia_csv_writer_get_rows (writer);

fail:
  sqlite3_reset (stmt);
  return -1;
}

/* Gradebook
 *
 * Rows come ordered by student (through an index, so nothing is sorted in
 * memory) and are summed into one slot per grade item, a row at a time;
 * the grade items, read first, are the columns. */

typedef struct {
  GHashTable *columns;   /* item key → column index + 1 */
  GPtrArray  *titles;    /* column headers */
  guint       n_columns;
} Columns;

static void
columns_clear (Columns *columns)
{
  g_clear_pointer (&columns->columns, g_hash_table_unref);
  g_clear_pointer (&columns->titles, g_ptr_array_unref);
}

/* Reads the grade items: each row of @stmt is (key, title), and @prefix
 * goes before the title. Two items with the same title are told apart by
 * their keys. */
static gboolean
read_columns (LiaExportContext  *context,
              sqlite3_stmt      *stmt,
              const char        *prefix,
              Columns           *columns,
              GError           **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  int rc;

  columns->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  columns->titles = g_ptr_array_new_with_free_func (g_free);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *title = (const char *) sqlite3_column_text (stmt, 1);
      char *header = g_strconcat (prefix, title ? title : "", NULL);

      if (g_hash_table_contains (seen, header))
        {
          g_autofree char *shown_key = g_strdelimit (g_strdup (key), "\x1f", ' ');
          char *unique = g_strdup_printf ("%s (%s)", header, shown_key);

          g_free (header);
          header = unique;
        }
      g_hash_table_add (seen, header);
      g_ptr_array_add (columns->titles, header);
      g_hash_table_insert (columns->columns, g_strdup (key), GUINT_TO_POINTER (++columns->n_columns));
    }
  if (!check_step (context, stmt, rc, error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_columns_header (LiaExportContext  *context,
                      LiaCsvWriter      *writer,
                      Columns           *columns,
                      GError           **error)
{
  lia_csv_writer_add_text (writer, identifier_name (context->options), -1);
  for (guint i = 0; i < columns->titles->len; i++)
    lia_csv_writer_add_text (writer, g_ptr_array_index (columns->titles, i), -1);
  return lia_csv_writer_end_header (writer, error);
}

/* The student whose row is being summed: rows of @stmt start with
 * (student id, email). */
typedef struct {
  gboolean  by_email;
  gboolean  has_student;
  GString  *id;
  GString  *identifier;  /* as the row shows it */
} StudentRow;

static void
student_row_init (StudentRow             *row,
                  const LiaExportOptions *options)
{
  row->by_email = options->identifier == LIA_IDENTIFIER_EMAIL;
  row->has_student = FALSE;
  row->id = g_string_new (NULL);
  row->identifier = g_string_new (NULL);
}

static void
student_row_clear (StudentRow *row)
{
  g_string_free (row->id, TRUE);
  g_string_free (row->identifier, TRUE);
}

/* Whether the row being summed ends before @id (NULL: no more rows). */
static gboolean
student_row_ends (const StudentRow *row,
                  const char       *id)
{
  return row->has_student && (id == NULL || !g_str_equal (id, row->id->str));
}

/* Writes the ended row's first cell, the student's identifier; the
 * caller writes the rest. */
static void
student_row_end (StudentRow   *row,
                 LiaCsvWriter *writer)
{
  lia_csv_writer_add_text (writer, row->identifier->str, (gssize) row->identifier->len);
  row->has_student = FALSE;
}

/* Starts the row of the current student, or fills in their email from a
 * later record of theirs when the first had none. */
static void
student_row_take (StudentRow   *row,
                  sqlite3_stmt *stmt)
{
  const char *email = (const char *) sqlite3_column_text (stmt, 1);

  if (!row->has_student)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);

      g_string_assign (row->id, id);
      g_string_assign (row->identifier, row->by_email ? (email ? email : "") : id);
      row->has_student = TRUE;
    }
  else if (row->by_email && row->identifier->len == 0 && email != NULL)
    g_string_assign (row->identifier, email);
}

/* Attendance, one column per subject */

static gint64
write_gradebook_attendance (LiaExportContext  *context,
                            LiaCsvWriter      *writer,
                            GError           **error)
{
  const LiaExportOptions *options = context->options;
  Columns columns = { 0 };
  g_autofree char *where = NULL;
  g_autofree char *columns_sql = NULL;
  g_autofree char *rows_sql = NULL;
  g_autofree gint64 *counts = NULL;
  StudentRow student;
  sqlite3_stmt *stmt;
  gint64 result = -1;
  int rc;

  student_row_init (&student, options);
  where = filter_sql (options, "a.timestamp");
  /* Subjects with attendance in range, by name. */
  columns_sql = g_strconcat ("SELECT se.subject_id,"
                             "   MIN(COALESCE(NULLIF(sub.name, ''), NULLIF(sub.code, ''), se.subject_id)) AS title"
                             " FROM sessions se"
                             " LEFT JOIN subjects sub"
                             "   ON sub.integration_id = se.integration_id AND sub.external_id = se.subject_id"
                             " WHERE se.subject_id IS NOT NULL AND EXISTS ("
                             "   SELECT 1 FROM attendance a"
                             "   WHERE a.integration_id = se.integration_id AND a.session_id = se.external_id"
                             "     AND a.status IS NOT NULL", where, ")"
                             " GROUP BY se.subject_id ORDER BY title, se.subject_id", NULL);
  /* Read in student order from the index, even with a date range for
   * which the planner would rather sort every record in it; one session's
   * records are few, and sorted. */
  rows_sql = g_strconcat ("SELECT a.student_id, st.email, se.subject_id, a.status"
                          " FROM attendance a",
                          options->session_id == NULL ? " INDEXED BY attendance_by_student" : "",
                          " JOIN sessions se"
                          "   ON se.integration_id = a.integration_id AND se.external_id = a.session_id"
                          " LEFT JOIN students st"
                          "   ON st.integration_id = a.integration_id AND st.external_id = a.student_id"
                          " WHERE se.subject_id IS NOT NULL AND a.status IS NOT NULL", where,
                          " ORDER BY a.student_id", NULL);

  stmt = prepare_filtered (context, columns_sql, error);
  if (stmt == NULL || !read_columns (context, stmt, "Attendance: ", &columns, error))
    goto out;
  if (!write_columns_header (context, writer, &columns, error))
    goto out;

  stmt = prepare_filtered (context, rows_sql, error);
  if (stmt == NULL)
    goto out;
  counts = g_new0 (gint64, 2 * columns.n_columns);

  for (;;)
    {
      const char *id;
      const char *status;
      guint column;

      rc = sqlite3_step (stmt);
      id = rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0) : NULL;

      /* A student ends: their row. */
      if (student_row_ends (&student, id))
        {
          student_row_end (&student, writer);
          for (guint i = 0; i < columns.n_columns; i++)
            lia_csv_writer_add_percentage (writer, counts[2 * i], counts[2 * i + 1]);
          if (!lia_csv_writer_end_row (writer, error))
            goto out;
          memset (counts, 0, 2 * columns.n_columns * sizeof *counts);
        }
      if (rc != SQLITE_ROW)
        break;
      student_row_take (&student, stmt);

      /* Attended is present or late, out of the sessions not excused. */
      column = GPOINTER_TO_UINT (g_hash_table_lookup (columns.columns, sqlite3_column_text (stmt, 2)));
      status = (const char *) sqlite3_column_text (stmt, 3);
      if (column == 0 || g_str_equal (status, "excused"))
        continue;
      counts[2 * (column - 1) + 1]++;
      if (g_str_equal (status, "present") || g_str_equal (status, "late"))
        counts[2 * (column - 1)]++;
    }
  if (!check_step (context, stmt, rc, error))
    goto out;
  result = lia_csv_writer_get_rows (writer);

out:
  if (stmt != NULL)
    sqlite3_reset (stmt);
  columns_clear (&columns);
  student_row_clear (&student);
  return result;
}

/* Marks, one column per subject and assessment */

static gint64
write_gradebook_marks (LiaExportContext  *context,
                       LiaCsvWriter      *writer,
                       GError           **error)
{
  const LiaExportOptions *options = context->options;
  Columns columns = { 0 };
  g_autofree char *where = NULL;
  g_autofree char *columns_sql = NULL;
  g_autofree char *rows_sql = NULL;
  g_autofree double *scores = NULL;
  g_autofree gboolean *has_score = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  StudentRow student;
  sqlite3_stmt *stmt;
  gint64 result = -1;
  int rc;

  student_row_init (&student, options);
  /* Marks have no session; the date range applies to their date. */
  where = filter_sql (&(LiaExportOptions) { .from = options->from, .to = options->to }, "m.date");

  /* An item is a subject and an assessment; its key joins the two ids
   * with a unit separator, which no id holds. */
#define ITEM_KEY "COALESCE(m.subject_id, '') || char(31) || COALESCE(m.assessment, '')"
  columns_sql = g_strconcat ("SELECT " ITEM_KEY " AS item,"
                             "   MIN(CASE"
                             "     WHEN m.subject_id IS NULL THEN COALESCE(m.assessment, '')"
                             "     WHEN m.assessment IS NULL THEN"
                             "       COALESCE(NULLIF(sub.name, ''), NULLIF(sub.code, ''), m.subject_id)"
                             "     ELSE COALESCE(NULLIF(sub.name, ''), NULLIF(sub.code, ''), m.subject_id)"
                             "       || ': ' || m.assessment END) AS title"
                             " FROM marks m"
                             " LEFT JOIN subjects sub"
                             "   ON sub.integration_id = m.integration_id AND sub.external_id = m.subject_id"
                             " WHERE 1", where,
                             " GROUP BY item ORDER BY title, item", NULL);
  /* Within a student, the latest mark of an item wins. */
  rows_sql = g_strconcat ("SELECT m.student_id, st.email, " ITEM_KEY ", m.score"
                          " FROM marks m"
                          " LEFT JOIN students st"
                          "   ON st.integration_id = m.integration_id AND st.external_id = m.student_id"
                          " WHERE 1", where,
                          " ORDER BY m.student_id, m.date, m.id", NULL);
#undef ITEM_KEY

  stmt = prepare_filtered (context, columns_sql, error);
  if (stmt == NULL || !read_columns (context, stmt, "", &columns, error))
    goto out;
  if (!write_columns_header (context, writer, &columns, error))
    goto out;

  stmt = prepare_filtered (context, rows_sql, error);
  if (stmt == NULL)
    goto out;
  scores = g_new0 (double, columns.n_columns);
  has_score = g_new0 (gboolean, columns.n_columns);

  for (;;)
    {
      const char *id;
      guint column;
      int type;

      rc = sqlite3_step (stmt);
      id = rc == SQLITE_ROW ? (const char *) sqlite3_column_text (stmt, 0) : NULL;

      if (student_row_ends (&student, id))
        {
          student_row_end (&student, writer);
          for (guint i = 0; i < columns.n_columns; i++)
            if (has_score[i])
              lia_csv_writer_add_double (writer, scores[i]);
            else
              lia_csv_writer_add_empty (writer);
          if (!lia_csv_writer_end_row (writer, error))
            goto out;
          memset (has_score, 0, columns.n_columns * sizeof *has_score);
        }
      if (rc != SQLITE_ROW)
        break;
      student_row_take (&student, stmt);

      g_string_assign (key, (const char *) sqlite3_column_text (stmt, 2));
      column = GPOINTER_TO_UINT (g_hash_table_lookup (columns.columns, key->str));
      type = sqlite3_column_type (stmt, 3);
      /* A score that is not a number (text the source sent) is no grade. */
      if (column == 0 || (type != SQLITE_INTEGER && type != SQLITE_FLOAT))
        continue;
      scores[column - 1] = sqlite3_column_double (stmt, 3);
      has_score[column - 1] = TRUE;
    }
  if (!check_step (context, stmt, rc, error))
    goto out;
  result = lia_csv_writer_get_rows (writer);

out:
  if (stmt != NULL)
    sqlite3_reset (stmt);
  columns_clear (&columns);
  student_row_clear (&student);
  return result;
}

/* Public API */

/* Writes the Moodle CSV layout that @context's options name, and returns
 * the number of rows after the header, or -1. */
gint64
lia_moodle_csv_write (LiaExportContext  *context,
                      GError           **error)
{
  const LiaExportOptions *options;
  g_autoptr(LiaCsvWriter) writer = NULL;
  gint64 rows;

  g_return_val_if_fail (context != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  options = context->options;
  if (!check_session (context, error))
    return -1;

  writer = lia_csv_writer_new (context->out, options->bom);
  lia_csv_writer_set_progress (writer, context->progress, context->progress_data, context->cancellable);

  switch (options->kind)
    {
    case LIA_EXPORT_MOODLE_RECORDS:
      rows = write_records (context, writer, error);
      break;
    case LIA_EXPORT_MOODLE_MARK_SESSION:
      rows = write_mark_session (context, writer, error);
      break;
    case LIA_EXPORT_MOODLE_GRADEBOOK:
      if (options->marks)
        rows = write_gradebook_marks (context, writer, error);
      else
        rows = write_gradebook_attendance (context, writer, error);
      break;
    case LIA_EXPORT_ICS:
    case LIA_EXPORT_REPORT_CSV:
    case LIA_EXPORT_REPORT_JSON:
    default:
      g_return_val_if_reached (-1);
    }

  if (rows < 0 || !lia_csv_writer_finish (writer, error))
    return -1;
  g_debug ("Wrote %" G_GINT64_FORMAT " rows of Moodle CSV", rows);
  return rows;
}
