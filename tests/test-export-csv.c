/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "lia-csv-writer.h"
#include "lia-database.h"
#include "lia-export.h"
#include "lia-test-util.h"
#include "lia-time.h"

/* Moodle CSV in its three layouts and the HR attendance report: the exact
 * bytes of small golden files (tests/data/export), quoting, formula
 * injection, ranges, cancellation, and liaison-cli export and report end to
 * end. TZ is UTC (tests/meson.build), so local dates are UTC dates. */

/* A school with accents, non-Latin scripts, commas, quotes and a newline
 * in its data. Times: SES1 2024-03-01T08:00Z, SES2 2024-03-02T10:00Z, SES3
 * 2024-03-31T15:00Z, SES4 2024-04-01T00:00Z; A7 is at the last second of
 * 31 March and A8 at the first of 1 April. */
static const char school_sql[] =
  "INSERT INTO integrations (name, kind, config, created_at, updated_at) VALUES ('ERP', 'rest', '{}', 1, 1);"
  "INSERT INTO students (integration_id, external_id, created_at, updated_at, name, email) VALUES"
  " (1, 'S1', 1, 1, 'Zoë Ñúñez', 'zoe@example.edu'),"
  " (1, 'S2', 1, 1, 'O''Brien, \"Pat\"' || char(10) || 'Jr', 'pat@example.edu'),"
  " (1, 'S3', 1, 1, '李小龍', '李@例子.测试'),"
  " (1, 'S4', 1, 1, 'Иван Петров', 'ivan@example.edu');"
  "INSERT INTO subjects (integration_id, external_id, created_at, updated_at, code, name) VALUES"
  " (1, 'MATH', 1, 1, 'M1', 'Mathématiques'),"
  " (1, 'HIST', 1, 1, 'H1', 'History, Modern');"
  "INSERT INTO sessions (integration_id, external_id, created_at, updated_at, title, start_at, end_at,"
  "                      subject_id, location) VALUES"
  " (1, 'SES1', 1, 1, 'Algèbre', 1709280000, 1709283600, 'MATH', 'Salle 101, bâtiment B'),"
  " (1, 'SES2', 1, 1, 'Rome', 1709373600, 1709377200, 'HIST', '東棟'),"
  " (1, 'SES3', 1, 1, 'Géométrie', 1711897200, 1711900800, 'MATH', NULL),"
  " (1, 'SES4', 1, 1, 'Athens', 1711929600, 1711933200, 'HIST', NULL);"
  "INSERT INTO attendance (integration_id, external_id, created_at, updated_at, student_id, session_id,"
  "                        status, timestamp, method) VALUES"
  " (1, 'A1', 1, 1, 'S1', 'SES1', 'present', 1709280060, 'qr'),"
  " (1, 'A2', 1, 1, 'S2', 'SES1', 'late', 1709280600, 'manual, desk'),"
  " (1, 'A3', 1, 1, 'S3', 'SES1', 'absent', 1709280000, NULL),"
  " (1, 'A4', 1, 1, 'S1', 'SES2', 'excused', 1709373600, 'note \"sick\"'),"
  " (1, 'A5', 1, 1, 'S2', 'SES2', 'present', 1709373900, 'qr'),"
  " (1, 'A6', 1, 1, 'S3', 'SES3', 'present', 1711897200, 'présence'),"
  " (1, 'A7', 1, 1, 'S1', 'SES3', 'late', 1711929599, 'qr'),"
  " (1, 'A8', 1, 1, 'S2', 'SES4', 'absent', 1711929600, NULL);"
  "INSERT INTO marks (integration_id, external_id, created_at, updated_at, student_id, subject_id,"
  "                   assessment, score, max_score, date) VALUES"
  " (1, 'K1', 1, 1, 'S1', 'MATH', 'Exam 1', 18.5, 20, 1709280000),"
  " (1, 'K2', 1, 1, 'S1', 'MATH', 'Quiz', -2, 10, 1709280000),"
  " (1, 'K3', 1, 1, 'S2', 'HIST', 'Essay', 15, 20, 1709373600),"
  " (1, 'K4', 1, 1, 'S3', 'MATH', 'Exam 1', 12, 20, 1711897200),"
  " (1, 'K5', 1, 1, 'S2', 'MATH', 'Exam 1', 9.75, 20, 1711929600);";

/* Helpers */

static char *
make_db (const char *sql)
{
  g_autofree char *path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (path, &error);

  g_assert_no_error (error);
  if (sql != NULL)
    {
      lia_database_exec (db, sql, &error);
      g_assert_no_error (error);
    }
  return g_steal_pointer (&path);
}

static char *
read_file (const char *path,
           gsize      *out_length)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, out_length, &error);
  g_assert_no_error (error);
  return contents;
}

static char *
read_golden (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "export", name, NULL);

  return read_file (path, NULL);
}

/* Runs an export into a new folder and returns the file's bytes, or NULL
 * with @error. */
static char *
export_to_string (const char             *db_path,
                  const LiaExportOptions *options,
                  gint64                 *out_rows,
                  GError                **error)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "out.csv", NULL);

  if (!lia_export_run (db_path, options, path, NULL, NULL, NULL, out_rows, error))
    {
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      return NULL;
    }
  return read_file (path, NULL);
}

static char *
export_ok (const char             *db_path,
           const LiaExportOptions *options)
{
  g_autoptr(GError) error = NULL;
  char *text = export_to_string (db_path, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  return text;
}

static gint64
cli_date (const char *text,
          gboolean    end_of_day)
{
  g_autoptr(GError) error = NULL;
  gint64 unix_time = 0;

  g_assert_true (lia_time_parse_cli_date (text, end_of_day, &unix_time, &error));
  g_assert_no_error (error);
  return unix_time;
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* The writer alone */

static char *
write_cells (gboolean  bom,
             void    (*fill) (LiaCsvWriter *writer))
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(LiaCsvWriter) writer = lia_csv_writer_new (out, bom);
  g_autoptr(GError) error = NULL;

  fill (writer);
  g_assert_true (lia_csv_writer_finish (writer, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
fill_quoting (LiaCsvWriter *writer)
{
  lia_csv_writer_add_text (writer, "plain", -1);
  lia_csv_writer_add_text (writer, "a,b", -1);
  lia_csv_writer_add_text (writer, "say \"hi\"", -1);
  lia_csv_writer_add_text (writer, "two\nlines", -1);
  lia_csv_writer_add_text (writer, "cr\rhere", -1);
  lia_csv_writer_add_text (writer, NULL, -1);
  lia_csv_writer_add_text (writer, "", -1);
  lia_csv_writer_add_text (writer, " spaced ", -1);
  g_assert_true (lia_csv_writer_end_row (writer, NULL));
  lia_csv_writer_add_text (writer, "Zoë Ñúñez", -1);
  lia_csv_writer_add_text (writer, "李小龍", -1);
  lia_csv_writer_add_text (writer, "Иван, \"Ваня\"", -1);
  lia_csv_writer_add_text (writer, "bad \xff byte", -1);
  lia_csv_writer_add_text (writer, "cut here", 3);
  g_assert_true (lia_csv_writer_end_row (writer, NULL));
}

static void
test_writer_quoting (void)
{
  g_autofree char *text = write_cells (FALSE, fill_quoting);

  g_assert_cmpstr (text, ==,
                   "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",,, spaced \r\n"
                   "Zoë Ñúñez,李小龍,\"Иван, \"\"Ваня\"\"\",bad \xef\xbf\xbd byte,cut\r\n");
}

static void
fill_bom (LiaCsvWriter *writer)
{
  lia_csv_writer_add_text (writer, "é", -1);
  g_assert_true (lia_csv_writer_end_header (writer, NULL));
}

static void
test_writer_bom (void)
{
  g_autofree char *with = write_cells (TRUE, fill_bom);
  g_autofree char *without = write_cells (FALSE, fill_bom);

  g_assert_cmpstr (with, ==, "\xEF\xBB\xBF\xC3\xA9\r\n");
  g_assert_cmpstr (without, ==, "\xC3\xA9\r\n");
}

static void
fill_formulas (LiaCsvWriter *writer)
{
  lia_csv_writer_add_text (writer, "=SUM(A1:A9)", -1);
  lia_csv_writer_add_text (writer, "=SUM(1,2)", -1);
  lia_csv_writer_add_text (writer, "+1", -1);
  lia_csv_writer_add_text (writer, "-x", -1);
  lia_csv_writer_add_text (writer, "@x", -1);
  lia_csv_writer_add_text (writer, "\tx", -1);
  lia_csv_writer_add_text (writer, "\rx", -1);
  lia_csv_writer_add_text (writer, "=HYPERLINK(\"http://evil.test\")", -1);
  g_assert_true (lia_csv_writer_end_row (writer, NULL));
  /* Not at the start, or not text: left alone. */
  lia_csv_writer_add_text (writer, "a=b", -1);
  lia_csv_writer_add_text (writer, " =1", -1);
  lia_csv_writer_add_int (writer, -2);
  lia_csv_writer_add_double (writer, -2);
  lia_csv_writer_add_double (writer, -2.5);
  lia_csv_writer_add_percentage (writer, 1, 3);
  g_assert_true (lia_csv_writer_end_row (writer, NULL));
}

static void
test_writer_formulas (void)
{
  g_autofree char *text = write_cells (FALSE, fill_formulas);

  g_assert_cmpstr (text, ==,
                   "'=SUM(A1:A9),\"'=SUM(1,2)\",'+1,'-x,'@x,'\tx,\"'\rx\",\"'=HYPERLINK(\"\"http://evil.test\"\")\"\r\n"
                   "a=b, =1,-2,-2,-2.5,33.3\r\n");
}

static void
test_writer_numbers (void)
{
  struct {
    gint64      part, whole;
    const char *expected;
  } rates[] = {
    { 2, 3, "66.7" }, { 1, 8, "12.5" }, { 1, 16, "6.3" }, { 1, 80, "1.3" }, { 1, 6, "16.7" },
    { 1, 3, "33.3" }, { 5, 8, "62.5" }, { 0, 5, "0.0" }, { 7, 7, "100.0" }, { 0, 0, "" },
    { 199, 200, "99.5" }, { 1999, 2000, "100.0" }, { 1, 2000, "0.1" }, { 1, 2001, "0.0" },
  };
  struct {
    gint64      unix_time;
    const char *expected;
  } times[] = {
    { 0, "1970-01-01T00:00:00Z" }, { -1, "1969-12-31T23:59:59Z" }, { 951782400, "2000-02-29T00:00:00Z" },
    { 1709208000, "2024-02-29T12:00:00Z" }, { 1711929599, "2024-03-31T23:59:59Z" },
    { 4107542400, "2100-03-01T00:00:00Z" }, { -62135596800, "0001-01-01T00:00:00Z" },
    { 253402300799, "9999-12-31T23:59:59Z" }, { -62135596801, "" }, { 253402300800, "" },
  };
  struct {
    double      value;
    const char *expected;
  } doubles[] = {
    { -2, "-2" }, { 0, "0" }, { 18.5, "18.5" }, { 9.75, "9.75" }, { 0.1, "0.1" }, { 1.0 / 3, "0.33333333333333331" },
    { 1e20, "1e+20" }, { -0.0, "0" }, { 123456789012345.0, "123456789012345" },
  };
  char buffer[LIA_CSV_NUMBER_SIZE];
  char timestamp[LIA_CSV_TIMESTAMP_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    {
      gsize length = lia_csv_format_percentage (rates[i].part, rates[i].whole, buffer);

      g_assert_cmpstr (length ? buffer : "", ==, rates[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *glib = lia_time_to_iso8601 (times[i].unix_time);
      gsize length = lia_csv_format_timestamp (times[i].unix_time, timestamp);

      g_assert_cmpstr (length ? timestamp : "", ==, times[i].expected);
      /* The same as the slow, sure way (whose %Y does not pad year 1). */
      if (times[i].unix_time > 0)
        g_assert_cmpstr (length ? timestamp : NULL, ==, glib);
    }
  /* Every day of four centuries, through the leap-year rules. */
  for (gint64 t = -2208988800; t < 10413792000; t += 86400 + 3601)
    {
      g_autofree char *glib = lia_time_to_iso8601 (t);

      lia_csv_format_timestamp (t, timestamp);
      g_assert_cmpstr (timestamp, ==, glib);
    }
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      lia_csv_format_double (doubles[i].value, buffer);
      g_assert_cmpstr (buffer, ==, doubles[i].expected);
    }
  g_assert_cmpuint (lia_csv_format_double (INFINITY, buffer), ==, 0);
  g_assert_cmpuint (lia_csv_format_double (NAN, buffer), ==, 0);
}

static void
fill_extremes (LiaCsvWriter *writer)
{
  lia_csv_writer_add_int (writer, G_MININT64);
  lia_csv_writer_add_int (writer, G_MAXINT64);
  lia_csv_writer_add_int (writer, 0);
  lia_csv_writer_add_timestamp (writer, 1709280000);
  lia_csv_writer_add_timestamp (writer, G_MAXINT64);
  lia_csv_writer_add_empty (writer);
  g_assert_true (lia_csv_writer_end_row (writer, NULL));
}

static void
test_writer_extremes (void)
{
  g_autofree char *text = write_cells (FALSE, fill_extremes);

  g_assert_cmpstr (text, ==, "-9223372036854775808,9223372036854775807,0,2024-03-01T08:00:00Z,,\r\n");
}

/* A cell bigger than the writer's buffer, with quotes across it. */
static void
test_writer_large_cell (void)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(LiaCsvWriter) writer = lia_csv_writer_new (out, FALSE);
  g_autoptr(GString) cell = g_string_new ("=");
  g_autoptr(GString) expected = g_string_new ("\"'=");
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;

  for (int i = 0; i < 50000; i++)
    {
      g_string_append (cell, "ab\"c,");
      g_string_append (expected, "ab\"\"c,");
    }
  g_string_append (expected, "\",1\r\n");

  lia_csv_writer_add_text (writer, cell->str, (gssize) cell->len);
  lia_csv_writer_add_int (writer, 1);
  g_assert_true (lia_csv_writer_end_row (writer, &error));
  g_assert_true (lia_csv_writer_finish (writer, &error));
  g_assert_no_error (error);

  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_cmpuint (size, ==, expected->len);
  g_assert_true (memcmp (data, expected->str, size) == 0);
}

/* Moodle layouts: golden files */

static void
assert_golden (const char *text,
               const char *golden_name)
{
  g_autofree char *golden = read_golden (golden_name);

  g_assert_cmpstr (text, ==, golden);
}

static void
test_records (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_RECORDS };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 rows = 0;

  text = export_to_string (db, &options, &rows, &error);
  g_assert_no_error (error);
  assert_golden (text, "records.csv");
  g_assert_cmpint (rows, ==, 8);
}

static void
test_records_bom (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_RECORDS, .bom = TRUE };
  g_autofree char *text = export_ok (db, &options);
  g_autofree char *golden = read_golden ("records.csv");

  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  g_assert_cmpstr (text + 3, ==, golden);
}

/* --to 2024-03-31 takes in the last second of the 31st, not the 1st. */
static void
test_records_range (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = {
    .kind = LIA_EXPORT_MOODLE_RECORDS,
    .from = cli_date ("2024-03-01T08:01:00Z", FALSE),
    .to = cli_date ("2024-03-31", TRUE),
  };
  g_autofree char *text = export_ok (db, &options);
  g_autofree char *golden = read_golden ("records.csv");
  g_auto(GStrv) lines = g_strsplit (golden, "\r\n", -1);
  g_autofree char *expected = NULL;

  /* The golden file without its second row (08:00:00) and last (1 April). */
  expected = g_strconcat (lines[0], "\r\n", lines[2], "\r\n", lines[3], "\r\n", lines[4], "\r\n",
                          lines[5], "\r\n", lines[6], "\r\n", lines[7], "\r\n", NULL);
  g_assert_cmpstr (text, ==, expected);
  g_assert_nonnull (strstr (text, "2024-03-31T23:59:59Z"));
}

static void
test_records_session (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_RECORDS, .session_id = "SES2" };
  g_autofree char *text = export_ok (db, &options);

  g_assert_cmpstr (text, ==,
                   "Student ID,Student Email,Session ID,Status,Timestamp,Method\r\n"
                   "S1,zoe@example.edu,SES2,excused,2024-03-02T10:00:00Z,\"note \"\"sick\"\"\"\r\n"
                   "S2,pat@example.edu,SES2,present,2024-03-02T10:05:00Z,qr\r\n");
}

static void
test_mark_session (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_MARK_SESSION, .session_id = "SES1" };
  g_autofree char *email = export_ok (db, &options);
  g_autofree char *idnumber = NULL;
  g_autofree char *remapped = NULL;

  assert_golden (email, "mark-session.csv");

  options.identifier = LIA_IDENTIFIER_IDNUMBER;
  idnumber = export_ok (db, &options);
  g_assert_cmpstr (idnumber, ==, "idnumber,scantime,status\r\nS1,,P\r\nS2,,L\r\nS3,,A\r\n");

  options.acronyms[1] = "R";
  options.acronyms[3] = "Abs";
  remapped = export_ok (db, &options);
  g_assert_cmpstr (remapped, ==, "idnumber,scantime,status\r\nS1,,P\r\nS2,,R\r\nS3,,Abs\r\n");
}

static void
test_mark_session_needs_session (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_MARK_SESSION };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = export_to_string (db, &options, NULL, &error);

  g_assert_null (text);
  g_assert_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_INVALID);
}

static void
test_unknown_session (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_MARK_SESSION, .session_id = "NOPE" };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = export_to_string (db, &options, NULL, &error);

  g_assert_null (text);
  g_assert_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "NOPE"));

  g_clear_error (&error);
  options.kind = LIA_EXPORT_MOODLE_RECORDS;
  g_assert_null (export_to_string (db, &options, NULL, &error));
  g_assert_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND);
}

static void
test_gradebook (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_GRADEBOOK };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 rows = 0;

  text = export_to_string (db, &options, &rows, &error);
  g_assert_no_error (error);
  assert_golden (text, "gradebook.csv");
  g_assert_cmpint (rows, ==, 3);
}

static void
test_gradebook_marks (void)
{
  g_autofree char *db = make_db (school_sql);
  LiaExportOptions options = {
    .kind = LIA_EXPORT_MOODLE_GRADEBOOK,
    .marks = TRUE,
    .identifier = LIA_IDENTIFIER_IDNUMBER,
  };
  g_autofree char *text = export_ok (db, &options);
  g_autofree char *march = NULL;

  assert_golden (text, "gradebook-marks.csv");

  /* Marks are dated: S2's April exam is out of March. */
  options.from = cli_date ("2024-03-01", FALSE);
  options.to = cli_date ("2024-03-31", TRUE);
  options.identifier = LIA_IDENTIFIER_EMAIL;
  march = export_ok (db, &options);
  g_assert_cmpstr (march, ==,
                   "email,\"History, Modern: Essay\",Mathématiques: Exam 1,Mathématiques: Quiz\r\n"
                   "zoe@example.edu,,18.5,-2\r\n"
                   "pat@example.edu,15,,\r\n"
                   "李@例子.测试,,12,\r\n");
}

/* A range with nothing in it: the header alone. */
static void
test_empty_range (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autofree char *empty_db = make_db (NULL);
  LiaExportOptions options = {
    .from = cli_date ("2023-01-01", FALSE),
    .to = cli_date ("2023-12-31", TRUE),
  };
  struct {
    LiaExportKind kind;
    gboolean      marks;
    const char   *session_id;
    const char   *expected;
  } cases[] = {
    { LIA_EXPORT_MOODLE_RECORDS, FALSE, NULL, "Student ID,Student Email,Session ID,Status,Timestamp,Method\r\n" },
    { LIA_EXPORT_MOODLE_MARK_SESSION, FALSE, "SES1", "email,scantime,status\r\n" },
    { LIA_EXPORT_MOODLE_GRADEBOOK, FALSE, NULL, "email\r\n" },
    { LIA_EXPORT_MOODLE_GRADEBOOK, TRUE, NULL, "email\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *from_empty = NULL;
      gint64 rows = -1;

      options.kind = cases[i].kind;
      options.marks = cases[i].marks;
      options.session_id = cases[i].session_id;
      text = export_to_string (db, &options, &rows, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, cases[i].expected);
      g_assert_cmpint (rows, ==, 0);

      /* An empty database, too (where a session cannot be found). */
      if (cases[i].session_id == NULL)
        {
          from_empty = export_to_string (empty_db, &options, &rows, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (from_empty, ==, cases[i].expected);
        }
    }
}

/* Formula injection: text cells neutralised, numbers never. */
static void
test_formula_injection (void)
{
  g_autofree char *db = make_db (
    "INSERT INTO integrations (name, kind, config, created_at, updated_at) VALUES ('X', 'rest', '{}', 1, 1);"
    "INSERT INTO students (integration_id, external_id, created_at, updated_at, name, email) VALUES"
    " (1, '=SUM(1,2)', 1, 1, '=cmd|'' /C calc''!A0', '+1@evil.test'),"
    " (1, 'a=b', 1, 1, '@SUM(A1)', 'ok@example.edu');"
    "INSERT INTO subjects (integration_id, external_id, created_at, updated_at, name) VALUES"
    " (1, 'SUB', 1, 1, '=HYPERLINK(\"http://evil.test\")');"
    "INSERT INTO sessions (integration_id, external_id, created_at, updated_at, start_at, subject_id) VALUES"
    " (1, '@S', 1, 1, 1709280000, 'SUB');"
    "INSERT INTO attendance (integration_id, external_id, created_at, updated_at, student_id, session_id,"
    "                        status, timestamp, method) VALUES"
    " (1, 'A1', 1, 1, '=SUM(1,2)', '@S', 'present', 1709280000, '-x'),"
    " (1, 'A2', 1, 1, 'a=b', '@S', 'late', 1709280001, char(9) || 'tab'),"
    " (1, 'A3', 1, 1, 'a=b', '@S', 'late', 1709280002, char(13) || 'cr'),"
    " (1, 'A4', 1, 1, 'a=b', '@S', 'late', 1709280003, '-2');"
    "INSERT INTO marks (integration_id, external_id, created_at, updated_at, student_id, subject_id,"
    "                   assessment, score, date) VALUES"
    " (1, 'K1', 1, 1, '=SUM(1,2)', 'SUB', '+Quiz', -2, 1709280000),"
    " (1, 'K2', 1, 1, 'a=b', 'SUB', '+Quiz', -0.5, 1709280000);");
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_RECORDS };
  g_autofree char *records = export_ok (db, &options);
  g_autofree char *marks = NULL;
  g_autofree char *report = NULL;

  g_assert_cmpstr (records, ==,
                   "Student ID,Student Email,Session ID,Status,Timestamp,Method\r\n"
                   "\"'=SUM(1,2)\",'+1@evil.test,'@S,present,2024-03-01T08:00:00Z,'-x\r\n"
                   "a=b,ok@example.edu,'@S,late,2024-03-01T08:00:01Z,'\ttab\r\n"
                   "a=b,ok@example.edu,'@S,late,2024-03-01T08:00:02Z,\"'\rcr\"\r\n"
                   "a=b,ok@example.edu,'@S,late,2024-03-01T08:00:03Z,'-2\r\n");

  options.kind = LIA_EXPORT_MOODLE_GRADEBOOK;
  options.marks = TRUE;
  options.identifier = LIA_IDENTIFIER_IDNUMBER;
  marks = export_ok (db, &options);
  g_assert_cmpstr (marks, ==,
                   "idnumber,\"'=HYPERLINK(\"\"http://evil.test\"\"): +Quiz\"\r\n"
                   "\"'=SUM(1,2)\",-2\r\n"
                   "a=b,-0.5\r\n");

  options = (LiaExportOptions) { .kind = LIA_EXPORT_REPORT_CSV, .from = 1, .to = 1709280003 };
  report = export_ok (db, &options);
  g_assert_cmpstr (report, ==,
                   "student_id,student_email,student_name,period_start,period_end,total_sessions,present,"
                   "absent,late,excused,attendance_rate\r\n"
                   "\"'=SUM(1,2)\",'+1@evil.test,'=cmd|' /C calc'!A0,1970-01-01T00:00:01Z,2024-03-01T08:00:03Z,"
                   "1,1,0,0,0,100.0\r\n"
                   "a=b,ok@example.edu,'@SUM(A1),1970-01-01T00:00:01Z,2024-03-01T08:00:03Z,3,0,0,3,0,100.0\r\n");
}

/* The HR report */

static const char rates_sql[] =
  "INSERT INTO integrations (name, kind, config, created_at, updated_at) VALUES ('HR', 'rest', '{}', 1, 1);"
  "INSERT INTO students (integration_id, external_id, created_at, updated_at, name, email) VALUES"
  " (1, 'R1', 1, 1, 'Two of three', 'r1@example.edu'),"
  " (1, 'R2', 1, 1, 'One of eight', NULL),"
  " (1, 'R3', 1, 1, 'All excused', 'r3@example.edu'),"
  " (1, 'R4', 1, 1, NULL, NULL);"
  "INSERT INTO attendance (integration_id, external_id, created_at, updated_at, student_id, session_id,"
  "                        status, timestamp) VALUES"
  " (1, 'a1', 1, 1, 'R1', 'x1', 'present', 1709280000),"
  " (1, 'a2', 1, 1, 'R1', 'x2', 'late', 1709280000),"
  " (1, 'a3', 1, 1, 'R1', 'x3', 'absent', 1709280000),"
  " (1, 'a4', 1, 1, 'R1', 'x4', 'excused', 1709280000),"
  " (1, 'b1', 1, 1, 'R2', 'x1', 'present', 1709280000),"
  " (1, 'b2', 1, 1, 'R2', 'x2', 'absent', 1709280000),"
  " (1, 'b3', 1, 1, 'R2', 'x3', 'absent', 1709280000),"
  " (1, 'b4', 1, 1, 'R2', 'x4', 'absent', 1709280000),"
  " (1, 'b5', 1, 1, 'R2', 'x5', 'absent', 1709280000),"
  " (1, 'b6', 1, 1, 'R2', 'x6', 'absent', 1709280000),"
  " (1, 'b7', 1, 1, 'R2', 'x7', 'absent', 1709280000),"
  " (1, 'b8', 1, 1, 'R2', 'x8', 'absent', 1709280000),"
  " (1, 'c1', 1, 1, 'R3', 'x1', 'excused', 1709280000),"
  " (1, 'c2', 1, 1, 'R3', 'x2', 'excused', 1709280000),"
  /* Someone only the attendance system knows, and records out of range. */
  " (1, 'd1', 1, 1, 'R5', 'x1', 'late', 1709280000),"
  " (1, 'e1', 1, 1, 'R1', 'x9', 'absent', 1000),"
  " (1, 'e2', 1, 1, 'R1', 'x9', 'absent', 1900000000);";

static JsonObject *
report_json (const char *db,
             const char *student_id,
             JsonNode  **out_root)
{
  LiaExportOptions options = {
    .kind = LIA_EXPORT_REPORT_JSON,
    .student_id = student_id,
    .from = cli_date ("2024-03-01", FALSE),
    .to = cli_date ("2024-03-31", TRUE),
  };
  g_autofree char *text = export_ok (db, &options);
  g_autoptr(GError) error = NULL;

  *out_root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*out_root));
  return json_node_get_object (*out_root);
}

static void
test_report_json (void)
{
  g_autofree char *db = make_db (rates_sql);
  LiaExportOptions options = {
    .kind = LIA_EXPORT_REPORT_JSON,
    .student_id = "R1",
    .from = cli_date ("2024-03-01", FALSE),
    .to = cli_date ("2024-03-31", TRUE),
  };
  g_autofree char *text = export_ok (db, &options);
  struct {
    const char *id;
    double      rate;  /* < 0 for null */
    gint64      total;
  } people[] = {
    { "R1", 66.7, 4 }, { "R2", 12.5, 8 }, { "R3", -1, 2 }, { "R4", -1, 0 }, { "R5", 100.0, 1 },
  };

  /* The exact bytes for one; the numbers for the others. */
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"student_id\": \"R1\",\n"
                   "  \"student_email\": \"r1@example.edu\",\n"
                   "  \"student_name\": \"Two of three\",\n"
                   "  \"period_start\": \"2024-03-01T00:00:00Z\",\n"
                   "  \"period_end\": \"2024-03-31T23:59:59Z\",\n"
                   "  \"total_sessions\": 4,\n"
                   "  \"present\": 1,\n"
                   "  \"absent\": 1,\n"
                   "  \"late\": 1,\n"
                   "  \"excused\": 1,\n"
                   "  \"attendance_rate\": 66.7\n"
                   "}\n");

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object = report_json (db, people[i].id, &root);

      g_assert_cmpstr (json_object_get_string_member (object, "student_id"), ==, people[i].id);
      g_assert_cmpint (json_object_get_int_member (object, "total_sessions"), ==, people[i].total);
      if (people[i].rate < 0)
        g_assert_true (json_object_get_null_member (object, "attendance_rate"));
      else
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "attendance_rate"),
                                        people[i].rate, 1e-9);
      g_assert_cmpuint (json_object_get_size (object), ==, 11);
    }

  {
    g_autoptr(JsonNode) root = NULL;
    JsonObject *object = report_json (db, "R4", &root);

    g_assert_true (json_object_get_null_member (object, "student_email"));
    g_assert_true (json_object_get_null_member (object, "student_name"));
  }
}

static void
test_report_json_escapes (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = report_json (db, "S2", &root);

  g_assert_cmpstr (json_object_get_string_member (object, "student_name"), ==, "O'Brien, \"Pat\"\nJr");
  g_assert_cmpint (json_object_get_int_member (object, "late"), ==, 1);
  g_clear_pointer (&root, json_node_unref);
  object = report_json (db, "S3", &root);
  g_assert_cmpstr (json_object_get_string_member (object, "student_name"), ==, "李小龍");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "attendance_rate"), 50.0, 1e-9);
}

static void
test_report_csv (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autofree char *rates_db = make_db (rates_sql);
  LiaExportOptions options = {
    .kind = LIA_EXPORT_REPORT_CSV,
    .from = cli_date ("2024-03-01", FALSE),
    .to = cli_date ("2024-03-31", TRUE),
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *rates = NULL;
  g_autofree char *one = NULL;
  gint64 rows = 0;

  text = export_to_string (db, &options, &rows, &error);
  g_assert_no_error (error);
  assert_golden (text, "report.csv");
  g_assert_cmpint (rows, ==, 4);

  rates = export_ok (rates_db, &options);
  g_assert_cmpstr (rates, ==,
                   "student_id,student_email,student_name,period_start,period_end,total_sessions,present,"
                   "absent,late,excused,attendance_rate\r\n"
                   "R1,r1@example.edu,Two of three,2024-03-01T00:00:00Z,2024-03-31T23:59:59Z,4,1,1,1,1,66.7\r\n"
                   "R2,,One of eight,2024-03-01T00:00:00Z,2024-03-31T23:59:59Z,8,1,7,0,0,12.5\r\n"
                   "R3,r3@example.edu,All excused,2024-03-01T00:00:00Z,2024-03-31T23:59:59Z,2,0,0,0,2,\r\n"
                   "R4,,,2024-03-01T00:00:00Z,2024-03-31T23:59:59Z,0,0,0,0,0,\r\n"
                   "R5,,,2024-03-01T00:00:00Z,2024-03-31T23:59:59Z,1,0,0,1,0,100.0\r\n");

  /* One person as CSV. */
  options.student_id = "R2";
  one = export_ok (rates_db, &options);
  g_assert_true (g_str_has_suffix (one, "\r\nR2,,One of eight,2024-03-01T00:00:00Z,2024-03-31T23:59:59Z,"
                                        "8,1,7,0,0,12.5\r\n"));
}

static void
test_report_unknown_student (void)
{
  g_autofree char *db = make_db (rates_sql);
  LiaExportOptions options = { .kind = LIA_EXPORT_REPORT_JSON, .student_id = "NOBODY" };
  g_autoptr(GError) error = NULL;

  g_assert_null (export_to_string (db, &options, NULL, &error));
  g_assert_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND);

  g_clear_error (&error);
  options.kind = LIA_EXPORT_REPORT_CSV;
  g_assert_null (export_to_string (db, &options, NULL, &error));
  g_assert_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND);

  g_clear_error (&error);
  options = (LiaExportOptions) { .kind = LIA_EXPORT_REPORT_JSON };
  g_assert_null (export_to_string (db, &options, NULL, &error));
  g_assert_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_INVALID);
}

/* Without dates, the last 30 days up to now. */
static void
test_report_default_period (void)
{
  g_autofree char *db = make_db (rates_sql);
  g_autoptr(JsonNode) root = NULL;
  LiaExportOptions options = { .kind = LIA_EXPORT_REPORT_JSON, .student_id = "R1" };
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 start, end;
  JsonObject *object;

  text = export_ok (db, &options);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_true (lia_time_parse (json_object_get_string_member (object, "period_start"), NULL, NULL, &start, NULL));
  g_assert_true (lia_time_parse (json_object_get_string_member (object, "period_end"), NULL, NULL, &end, NULL));
  g_assert_cmpint (end, >=, before);
  g_assert_cmpint (end, <=, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpint (end - start + 1, ==, 30 * 24 * 3600);
  /* Everything in the fixture is older. */
  g_assert_cmpint (json_object_get_int_member (object, "total_sessions"), ==, 0);
}

/* Cancellation */

typedef struct {
  GCancellable *cancellable;
  gint64        at_rows;
  guint         calls;
} CancelAt;

static void
cancel_progress_cb (gint64   rows,
                    gpointer user_data)
{
  CancelAt *cancel = user_data;

  cancel->calls++;
  if (rows >= cancel->at_rows)
    g_cancellable_cancel (cancel->cancellable);
}

static char *
make_big_db (int n_rows)
{
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO integrations (name, kind, config, created_at, updated_at) VALUES ('Big', 'rest', '{}', 1, 1);"
    "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %d)"
    " INSERT INTO attendance (integration_id, external_id, created_at, updated_at, student_id, session_id,"
    "                         status, timestamp, method)"
    " SELECT 1, 'A' || i, 1, 1, 'S' || (i %% 500), 'SES' || (i / 25), 'present', 1709280000 + i, 'qr' FROM n;",
    n_rows);

  return make_db (sql);
}

static void
assert_cancelled_leaves_nothing (const char             *db,
                                 const LiaExportOptions *options,
                                 gint64                  at_rows)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *kept = g_build_filename (dir, "kept.csv", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  CancelAt cancel = { cancellable, at_rows, 0 };

  /* A new file is never made. */
  g_assert_false (lia_export_run (db, options, path, cancel_progress_cb, &cancel, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cancel.calls, >, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* An old one is left as it was. */
  g_clear_error (&error);
  g_cancellable_reset (cancellable);
  g_assert_true (g_file_set_contents (kept, "old\n", -1, NULL));
  g_assert_false (lia_export_run (db, options, kept, cancel_progress_cb, &cancel, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  contents = read_file (kept, NULL);
  g_assert_cmpstr (contents, ==, "old\n");
  g_assert_cmpuint (count_files (dir), ==, 1);
}

static void
test_cancel (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autofree char *big = make_big_db (20000);
  LiaExportOptions options = { 0 };
  LiaExportKind kinds[] = {
    LIA_EXPORT_MOODLE_RECORDS, LIA_EXPORT_MOODLE_MARK_SESSION, LIA_EXPORT_MOODLE_GRADEBOOK,
    LIA_EXPORT_REPORT_CSV, LIA_EXPORT_REPORT_JSON,
  };

  /* At once, from the first progress call, in every kind. */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      options = (LiaExportOptions) { .kind = kinds[i], .from = 1, .to = 1900000000 };
      if (kinds[i] == LIA_EXPORT_MOODLE_MARK_SESSION)
        options.session_id = "SES1";
      if (kinds[i] == LIA_EXPORT_REPORT_JSON)
        options.student_id = "S1";
      assert_cancelled_leaves_nothing (db, &options, 0);
    }

  /* Halfway through a bigger export. */
  options = (LiaExportOptions) { .kind = LIA_EXPORT_MOODLE_RECORDS };
  assert_cancelled_leaves_nothing (big, &options, 8000);
}

/* A failed export (a folder that is not there) leaves nothing either. */
static void
test_unwritable (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "missing", "out.csv", NULL);
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_RECORDS };
  g_autoptr(GError) error = NULL;

  g_assert_false (lia_export_run (db, &options, path, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

/* The GUI's way: a GTask thread, progress on the main context. */

typedef struct {
  GMainLoop *loop;
  GThread   *main_thread;
  gint64     last_progress;
  gint64     rows;
  gboolean   ok;
  GError    *error;
} AsyncCall;

static void
async_progress_cb (gint64   rows,
                   gpointer user_data)
{
  AsyncCall *call = user_data;

  g_assert_true (g_thread_self () == call->main_thread);
  g_assert_cmpint (rows, >=, call->last_progress);
  call->last_progress = rows;
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncCall *call = user_data;

  call->ok = lia_export_finish (result, &call->rows, &call->error);
  g_main_loop_quit (call->loop);
}

static void
test_async (void)
{
  g_autofree char *db = make_big_db (30000);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "async.csv", NULL);
  g_autofree char *contents = NULL;
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_RECORDS };
  AsyncCall call = { 0 };
  gsize length;

  call.loop = g_main_loop_new (NULL, FALSE);
  call.main_thread = g_thread_self ();
  lia_export_async (db, &options, path, async_progress_cb, &call, NULL, async_done_cb, &call);
  g_main_loop_run (call.loop);
  g_main_loop_unref (call.loop);

  g_assert_no_error (call.error);
  g_assert_true (call.ok);
  g_assert_cmpint (call.rows, ==, 30000);
  contents = read_file (path, &length);
  g_assert_true (g_str_has_prefix (contents, "Student ID,"));
  g_assert_true (g_str_has_suffix (contents, "S499,,SES1199,present,2024-03-01T16:19:59Z,qr\r\n"));
}

/* liaison-cli */

static void
assert_usage_error (LiaTestResult *result,
                    const char    *message)
{
  g_assert_cmpint (result->status, ==, 2);
  g_assert_cmpstr (result->out, ==, "");
  g_assert_cmpstr (result->err, ==, message);
}

static void
test_cli_export_moodle (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "moodle.csv", NULL);
  g_autofree char *golden = read_golden ("records.csv");
  g_autofree char *contents = NULL;
  g_autoptr(LiaTestResult) out = NULL;
  g_autoptr(LiaTestResult) file = NULL;
  g_autoptr(LiaTestResult) mark = NULL;
  g_autoptr(LiaTestResult) gradebook = NULL;
  g_autoptr(LiaTestResult) ranged = NULL;
  g_autofree char *mark_golden = read_golden ("mark-session.csv");
  g_autofree char *marks_golden = read_golden ("gradebook-marks.csv");

  out = lia_test_cli (db, NULL, "export", "moodle", "-o", "-", NULL);
  g_assert_cmpint (out->status, ==, 0);
  g_assert_cmpstr (out->out, ==, golden);
  g_assert_cmpstr (out->err, ==, "");

  file = lia_test_cli (db, NULL, "export", "moodle", "--layout", "records", "--bom", "-o", path, NULL);
  g_assert_cmpint (file->status, ==, 0);
  g_assert_cmpstr (file->err, ==, "");
  contents = read_file (path, NULL);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
  g_assert_cmpstr (contents + 3, ==, golden);
  g_assert_cmpuint (count_files (dir), ==, 1);

  mark = lia_test_cli (db, NULL, "export", "moodle", "--layout", "mark-session", "--session", "SES1", "-o", "-", NULL);
  g_assert_cmpint (mark->status, ==, 0);
  g_assert_cmpstr (mark->out, ==, mark_golden);

  gradebook = lia_test_cli (db, NULL, "export", "moodle", "--layout=gradebook", "--marks",
                            "--identifier", "idnumber", "-o", "-", NULL);
  g_assert_cmpint (gradebook->status, ==, 0);
  g_assert_cmpstr (gradebook->out, ==, marks_golden);

  ranged = lia_test_cli (db, NULL, "export", "moodle", "--session", "SES3", "--from", "2024-03-31",
                         "--to", "2024-03-31", "-o", "-", NULL);
  g_assert_cmpint (ranged->status, ==, 0);
  g_assert_cmpstr (ranged->out, ==,
                   "Student ID,Student Email,Session ID,Status,Timestamp,Method\r\n"
                   "S3,李@例子.测试,SES3,present,2024-03-31T15:00:00Z,présence\r\n"
                   "S1,zoe@example.edu,SES3,late,2024-03-31T23:59:59Z,qr\r\n");
}

static void
test_cli_export_acronyms (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autoptr(LiaTestResult) result = NULL;
  g_autoptr(LiaTestResult) bad = NULL;

  result = lia_test_cli (db, NULL, "export", "moodle", "--layout", "mark-session", "--session", "SES1",
                         "--acronym", "late=R", "--acronym", "absent=X", "--identifier", "idnumber", "-o", "-", NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_cmpstr (result->out, ==, "idnumber,scantime,status\r\nS1,,P\r\nS2,,R\r\nS3,,X\r\n");

  bad = lia_test_cli (db, NULL, "export", "moodle", "--layout", "mark-session", "--session", "SES1",
                      "--acronym", "tardy=R", "-o", "-", NULL);
  assert_usage_error (bad, "liaison-cli: --acronym: “tardy” is not a status (present, late, excused or absent)\n");
}

static void
test_cli_export_errors (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *missing = g_build_filename (dir, "no", "such", "folder.csv", NULL);
  struct {
    const char *args[12];
    const char *message;
  } cases[] = {
    { { "export", "moodle", "--layout", "xml", "-o", "-" },
      "liaison-cli: --layout: “xml” is not a layout (records, mark-session or gradebook)\n" },
    { { "export", "moodle", "--layout", "mark-session", "-o", "-" },
      "liaison-cli: --session: required by --layout mark-session\n" },
    { { "export", "moodle", "--identifier", "username", "-o", "-" },
      "liaison-cli: --identifier: “username” is not email or idnumber\n" },
    { { "export", "moodle", "--marks", "-o", "-" },
      "liaison-cli: --marks: only with --layout gradebook\n" },
    { { "export", "moodle", "--from", "2024-02-30", "-o", "-" },
      "liaison-cli: --from: “2024-02-30”: February 2024 has no day 30\n" },
    { { "export", "moodle", "--to", "yesterday", "-o", "-" },
      "liaison-cli: --to: “yesterday”: not an ISO 8601 date (YYYY-MM-DD) or date and time\n" },
    { { "export", "moodle", "--from", "2024-04-01", "--to", "2024-03-01", "-o", "-" },
      "liaison-cli: --from: must not be after --to\n" },
    { { "export", "moodle" },
      "liaison-cli: -o: required (“-o -” writes to standard output)\n" },
    { { "export", "moodle", "-o", "-", "extra" },
      "liaison-cli: export moodle takes no arguments; see “liaison-cli export moodle --help”\n" },
    { { "export", "moodle", "--session", "NOPE", "-o", "-" },
      "liaison-cli: There is no session with the id “NOPE”\n" },
    { { "export", "moodle", "--layout", "mark-session", "--session", "NOPE", "-o", "-" },
      "liaison-cli: There is no session with the id “NOPE”\n" },
    { { "export", "ics", "--student", "S1", "--faculty", "F1", "-o", "-" },
      "liaison-cli: --student: cannot be combined with --faculty\n" },
    { { "export", "ics", "--from", "2024-13-01", "-o", "-" },
      "liaison-cli: --from: “2024-13-01”: month 13 is out of range\n" },
    { { "export", "ics", "--from", "2024-03-02", "--to", "2024-03-01", "-o", "-" },
      "liaison-cli: --from: must not be after --to\n" },
    { { "export", "ics" },
      "liaison-cli: -o: required (“-o -” writes to standard output)\n" },
    { { "export", "pdf" },
      "liaison-cli: “export pdf” is not a command; see “liaison-cli export --help”\n" },
    { { "report", "attendance", "NOBODY" },
      "liaison-cli: There is no student with the id “NOBODY”\n" },
    { { "report", "attendance", "--json" },
      "liaison-cli: --json: needs a STUDENT_ID (--csv reports everyone)\n" },
    { { "report", "attendance", "S1", "--json", "--csv" },
      "liaison-cli: --json: cannot be combined with --csv\n" },
    { { "report", "attendance", "S1", "S2" },
      "liaison-cli: report attendance: give at most one STUDENT_ID\n" },
    { { "report", "attendance", "--from", "2024-03-31", "--to", "2024-03-01" },
      "liaison-cli: --from: must not be after --to\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[16] = { "--db", db };
      g_autoptr(LiaTestResult) result = NULL;

      for (guint j = 0; cases[i].args[j] != NULL; j++)
        args[j + 2] = cases[i].args[j];
      result = lia_test_cli_env (NULL, NULL, args);
      g_test_message ("%s %s …", cases[i].args[0], cases[i].args[1]);
      assert_usage_error (result, cases[i].message);
    }

  /* A folder that is not there is a failure, not bad usage. */
  {
    g_autoptr(LiaTestResult) result = lia_test_cli (db, NULL, "export", "moodle", "-o", missing, NULL);

    g_assert_cmpint (result->status, ==, 1);
    g_assert_true (g_str_has_prefix (result->err, "liaison-cli: Cannot write in "));
    g_assert_cmpuint (count_files (dir), ==, 0);
  }
}

static void
test_cli_report (void)
{
  g_autofree char *db = make_db (school_sql);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "hr.csv", NULL);
  g_autofree char *golden = read_golden ("report.csv");
  g_autofree char *contents = NULL;
  g_autoptr(LiaTestResult) json = NULL;
  g_autoptr(LiaTestResult) by_default = NULL;
  g_autoptr(LiaTestResult) csv = NULL;
  g_autoptr(LiaTestResult) file = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  json = lia_test_cli (db, NULL, "report", "attendance", "S3", "--json", "--from", "2024-03-01",
                       "--to", "2024-03-31", NULL);
  g_assert_cmpint (json->status, ==, 0);
  g_assert_cmpstr (json->err, ==, "");
  root = json_from_string (json->out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "student_id"), ==, "S3");
  g_assert_cmpstr (json_object_get_string_member (object, "student_email"), ==, "李@例子.测试");
  g_assert_cmpstr (json_object_get_string_member (object, "period_end"), ==, "2024-03-31T23:59:59Z");
  g_assert_cmpint (json_object_get_int_member (object, "total_sessions"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "attendance_rate"), 50.0, 1e-9);

  /* A STUDENT_ID alone means JSON too. */
  by_default = lia_test_cli (db, NULL, "report", "attendance", "S3", "--from", "2024-03-01",
                             "--to", "2024-03-31", NULL);
  g_assert_cmpint (by_default->status, ==, 0);
  g_assert_cmpstr (by_default->out, ==, json->out);

  csv = lia_test_cli (db, NULL, "report", "attendance", "--csv", "--from", "2024-03-01", "--to", "2024-03-31", NULL);
  g_assert_cmpint (csv->status, ==, 0);
  g_assert_cmpstr (csv->out, ==, golden);

  file = lia_test_cli (db, NULL, "report", "attendance", "--from", "2024-03-01", "--to", "2024-03-31",
                       "--bom", "-o", path, NULL);
  g_assert_cmpint (file->status, ==, 0);
  g_assert_cmpstr (file->out, ==, "");
  contents = read_file (path, NULL);
  g_assert_cmpstr (contents + 3, ==, golden);
}

/* Ctrl+C in the middle of an export to a file: exit 1, and no file. */
static void
test_cli_interrupt (void)
{
  g_autofree char *db = make_big_db (150000);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "big.csv", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gboolean finished_first = FALSE;
  gsize size;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              g_getenv ("LIAISON_CLI"), "--db", db, "export", "moodle", "-o", path, NULL);
  g_assert_no_error (error);

  /* The temporary file appears once the export has begun, after the
   * signal handlers are in place. */
  while (count_files (dir) == 0 && g_get_monotonic_time () < deadline)
    g_usleep (500);
  g_assert_cmpuint (count_files (dir), ==, 1);
  finished_first = g_file_test (path, G_FILE_TEST_EXISTS);
  g_subprocess_send_signal (process, SIGINT);
  g_subprocess_communicate (process, NULL, NULL, NULL, &err_bytes, &error);
  g_assert_no_error (error);

  if (finished_first)
    {
      g_test_skip ("the export finished before it could be interrupted");
      return;
    }
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpstr (g_bytes_get_data (err_bytes, &size), ==, "liaison-cli: Cancelled; no file was written\n");
  g_assert_cmpuint (count_files (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/export/csv/writer/quoting", test_writer_quoting);
  g_test_add_func ("/export/csv/writer/bom", test_writer_bom);
  g_test_add_func ("/export/csv/writer/formulas", test_writer_formulas);
  g_test_add_func ("/export/csv/writer/numbers", test_writer_numbers);
  g_test_add_func ("/export/csv/writer/extremes", test_writer_extremes);
  g_test_add_func ("/export/csv/writer/large-cell", test_writer_large_cell);
  g_test_add_func ("/export/csv/moodle/records", test_records);
  g_test_add_func ("/export/csv/moodle/records-bom", test_records_bom);
  g_test_add_func ("/export/csv/moodle/records-range", test_records_range);
  g_test_add_func ("/export/csv/moodle/records-session", test_records_session);
  g_test_add_func ("/export/csv/moodle/mark-session", test_mark_session);
  g_test_add_func ("/export/csv/moodle/mark-session-needs-session", test_mark_session_needs_session);
  g_test_add_func ("/export/csv/moodle/unknown-session", test_unknown_session);
  g_test_add_func ("/export/csv/moodle/gradebook", test_gradebook);
  g_test_add_func ("/export/csv/moodle/gradebook-marks", test_gradebook_marks);
  g_test_add_func ("/export/csv/moodle/empty-range", test_empty_range);
  g_test_add_func ("/export/csv/formula-injection", test_formula_injection);
  g_test_add_func ("/export/csv/report/json", test_report_json);
  g_test_add_func ("/export/csv/report/json-escapes", test_report_json_escapes);
  g_test_add_func ("/export/csv/report/csv", test_report_csv);
  g_test_add_func ("/export/csv/report/unknown-student", test_report_unknown_student);
  g_test_add_func ("/export/csv/report/default-period", test_report_default_period);
  g_test_add_func ("/export/csv/cancel", test_cancel);
  g_test_add_func ("/export/csv/unwritable", test_unwritable);
  g_test_add_func ("/export/csv/async", test_async);
  g_test_add_func ("/export/csv/cli/moodle", test_cli_export_moodle);
  g_test_add_func ("/export/csv/cli/acronyms", test_cli_export_acronyms);
  g_test_add_func ("/export/csv/cli/errors", test_cli_export_errors);
  g_test_add_func ("/export/csv/cli/report", test_cli_report);
  g_test_add_func ("/export/csv/cli/interrupt", test_cli_interrupt);

  return g_test_run ();
}
