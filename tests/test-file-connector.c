/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lia-connector.h"
#include "lia-file-connector.h"
#include "lia-sync-error.h"
#include "lia-test-util.h"

/* Helpers */

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

/* A students CSV of @n rows, ids from @first. */
static gsize
write_students (const char *dir,
                const char *name,
                guint       first,
                guint       n)
{
  g_autoptr(GString) csv = g_string_new ("id,name,email\n");

  for (guint i = first; i < first + n; i++)
    g_string_append_printf (csv, "%u,\"Student %u\",s%u@example.org\n", i, i, i);
  write_file (dir, name, csv->str);
  return csv->len;
}

static LiaConnector *
connector_for (const char   *folder,
               const char   *endpoints,
               GCancellable *cancellable)
{
  g_autofree char *json = g_strdup_printf ("{\"name\":\"Drop\",\"kind\":\"file\",\"folder\":\"%s\","
                                           "\"endpoints\":%s}", folder, endpoints);
  g_autoptr(LiaConfig) config = lia_test_config (json, NULL);

  return lia_file_connector_new (config, cancellable);
}

static void
init_state (LiaConnector *connector,
            LiaPageState *state,
            LiaDataType   type)
{
  const LiaEndpoint *endpoint = lia_connector_get_endpoint (connector, type);

  g_assert_nonnull (endpoint);
  lia_page_state_init (state, type, endpoint, NULL);
}

static LiaPage *
fetch (LiaConnector *connector,
       LiaPageState *state)
{
  g_autoptr(GError) error = NULL;
  LiaPage *page = lia_connector_fetch_page (connector, state, &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_nonnull (page->records);
  return page;
}

static const char *
record_string (LiaPage    *page,
               guint       index,
               const char *member)
{
  JsonObject *record = json_array_get_object_element (page->records, index);

  return json_object_get_string_member_with_default (record, member, NULL);
}

/* Tests */

static void
test_csv_pages (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  LiaPageState state;
  const guint sizes[] = { 1000, 1000, 500, 1000 };
  const char *first_ids[] = { "0", "1000", "2000", "5000" };
  gsize bytes = 0;

  bytes += write_students (dir, "students-b.csv", 5000, 1000);
  bytes += write_students (dir, "students-a.csv", 0, 2500);
  /* Neither matches the glob, nor is a hidden file read. */
  write_students (dir, "staff.csv", 9000, 10);
  write_students (dir, ".students-c.csv", 9000, 10);
  {
    g_autofree char *subdir = g_build_filename (dir, "students-dir.csv", NULL);

    g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);
  }

  connector = connector_for (dir, "{\"students\":\"students*.csv\"}", NULL);
  init_state (connector, &state, LIA_DATA_TYPE_STUDENTS);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(LiaPage) page = fetch (connector, &state);

      g_assert_cmpuint (page->number, ==, i + 1);
      g_assert_cmpuint (json_array_get_length (page->records), ==, sizes[i]);
      g_assert_cmpstr (record_string (page, 0, "id"), ==, first_ids[i]);
      g_assert_cmpint (page->is_last, ==, i == G_N_ELEMENTS (sizes) - 1);
      g_assert_cmpint (state.done, ==, page->is_last);
    }

  g_assert_cmpint (state.records, ==, 3500);
  g_assert_cmpuint (lia_connector_get_requests (connector), ==, 0);
  g_assert_cmpuint (lia_connector_get_bytes (connector), ==, bytes);

  {
    g_autoptr(LiaPage) again = NULL;
    LiaPageState restart;

    /* Values are strings, quotes gone. */
    init_state (connector, &restart, LIA_DATA_TYPE_STUDENTS);
    again = fetch (connector, &restart);
    g_assert_cmpstr (record_string (again, 7, "name"), ==, "Student 7");
    g_assert_cmpstr (record_string (again, 7, "email"), ==, "s7@example.org");
    lia_page_state_clear (&restart);
  }

  lia_page_state_clear (&state);
}

/* Another data type's pages in between: the file is opened again and
 * read on from where it was. */
static void
test_csv_interleaved (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  LiaPageState students;
  LiaPageState faculty;

  write_students (dir, "students.csv", 0, 2500);
  write_students (dir, "faculty.csv", 100, 1500);
  connector = connector_for (dir, "{\"students\":\"students.csv\",\"faculty\":\"faculty.csv\"}", NULL);
  init_state (connector, &students, LIA_DATA_TYPE_STUDENTS);
  init_state (connector, &faculty, LIA_DATA_TYPE_FACULTY);

  {
    g_autoptr(LiaPage) s1 = fetch (connector, &students);
    g_autoptr(LiaPage) f1 = fetch (connector, &faculty);
    g_autoptr(LiaPage) s2 = fetch (connector, &students);
    g_autoptr(LiaPage) f2 = fetch (connector, &faculty);
    g_autoptr(LiaPage) s3 = fetch (connector, &students);

    g_assert_cmpstr (record_string (s2, 0, "id"), ==, "1000");
    g_assert_cmpstr (record_string (f2, 0, "id"), ==, "1100");
    g_assert_cmpuint (json_array_get_length (f2->records), ==, 500);
    g_assert_true (f2->is_last);
    g_assert_cmpstr (record_string (s3, 499, "id"), ==, "2499");
    g_assert_true (s3->is_last);
  }
  lia_page_state_clear (&students);
  lia_page_state_clear (&faculty);
}

static void
test_excel_export (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(LiaPage) page = NULL;
  LiaPageState state;

  write_file (dir, "Lehrer.CSV",
              "\xEF\xBB\xBFKürzel;Name;Fächer;\r\n"
              "MÜL;Müller, Jürgen;\"Mathe; Physik\";\r\n"
              "ŁUK;Łukasiewicz\r\n"
              "ИВА;Иванова;;\r\n");
  connector = connector_for (dir, "{\"faculty\":\"lehrer.csv\"}", NULL);
  init_state (connector, &state, LIA_DATA_TYPE_FACULTY);

  /* The glob is matched as written: no file, no error. */
  page = fetch (connector, &state);
  g_assert_cmpuint (json_array_get_length (page->records), ==, 0);
  g_clear_pointer (&page, lia_page_free);
  lia_page_state_clear (&state);
  g_clear_object (&connector);

  connector = connector_for (dir, "{\"faculty\":\"Lehrer.*\"}", NULL);
  init_state (connector, &state, LIA_DATA_TYPE_FACULTY);
  page = fetch (connector, &state);
  g_assert_true (page->is_last);
  g_assert_cmpuint (json_array_get_length (page->records), ==, 3);
  g_assert_cmpstr (record_string (page, 0, "Kürzel"), ==, "MÜL");
  g_assert_cmpstr (record_string (page, 0, "Name"), ==, "Müller, Jürgen");
  g_assert_cmpstr (record_string (page, 0, "Fächer"), ==, "Mathe; Physik");
  /* Fewer cells: absent keys; empty cells: empty strings. */
  g_assert_cmpstr (record_string (page, 1, "Name"), ==, "Łukasiewicz");
  g_assert_false (json_object_has_member (json_array_get_object_element (page->records, 1), "Fächer"));
  g_assert_cmpstr (record_string (page, 2, "Kürzel"), ==, "ИВА");
  g_assert_cmpstr (record_string (page, 2, "Fächer"), ==, "");
  /* The empty header after the trailing ';' names no key. */
  g_assert_false (json_object_has_member (json_array_get_object_element (page->records, 0), ""));
  lia_page_state_clear (&state);
}

static void
test_csv_extra_cells (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  LiaPageState state;
  LiaPage *page;

  write_file (dir, "students.csv", "id,name\n1,Ann\n2,Bo,\n3,Cy,extra,\n");
  connector = connector_for (dir, "{\"students\":\"students.csv\"}", NULL);
  init_state (connector, &state, LIA_DATA_TYPE_STUDENTS);
  page = lia_connector_fetch_page (connector, &state, &error);
  g_assert_null (page);
  g_assert_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "students.csv: Line 4 has 4 cells"));
  g_assert_cmpint (state.records, ==, 0);
  lia_page_state_clear (&state);
}

static void
test_csv_broken (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  LiaPageState state;
  g_autoptr(GString) csv = g_string_new ("id\n");

  /* A whole page, then a broken line: the page comes, the error after. */
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (csv, "%u\n", i);
  g_string_append (csv, "caf\xE9\n");
  write_file (dir, "students.csv", csv->str);

  connector = connector_for (dir, "{\"students\":\"students.csv\"}", NULL);
  init_state (connector, &state, LIA_DATA_TYPE_STUDENTS);
  {
    g_autoptr(LiaPage) page = fetch (connector, &state);

    g_assert_cmpuint (json_array_get_length (page->records), ==, 1000);
    g_assert_false (page->is_last);
  }
  g_assert_null (lia_connector_fetch_page (connector, &state, &error));
  g_assert_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "students.csv"));
  g_assert_nonnull (strstr (error->message, "Line 1002"));
  lia_page_state_clear (&state);
}

static void
test_json_records_path (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(LiaPage) page = NULL;
  LiaPageState state;
  const char *json = "{\"exported\":\"2024-05-01\",\"data\":["
                     "{\"student\":\"1\",\"status\":\"present\"},"
                     "{\"student\":\"2\",\"status\":\"late\"}]}";

  write_file (dir, "att.json", json);
  connector = connector_for (dir, "{\"attendance\":{\"path\":\"att.json\",\"recordsPath\":\"data\"}}", NULL);
  init_state (connector, &state, LIA_DATA_TYPE_ATTENDANCE);

  page = fetch (connector, &state);
  g_assert_true (page->is_last);
  g_assert_true (state.done);
  g_assert_cmpuint (page->number, ==, 1);
  g_assert_cmpuint (json_array_get_length (page->records), ==, 2);
  g_assert_cmpstr (record_string (page, 1, "status"), ==, "late");
  g_assert_cmpuint (lia_connector_get_bytes (connector), ==, strlen (json));
  lia_page_state_clear (&state);
}

/* CSV and JSON files under one glob, each read its way. */
static void
test_mixed_files (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  LiaPageState state;

  write_students (dir, "students-1.csv", 0, 3);
  write_file (dir, "students-2.JSON", "[{\"id\":\"3\"},{\"id\":\"4\"}]");
  write_file (dir, "students-3.csv", "");
  connector = connector_for (dir, "{\"students\":\"students-*\"}", NULL);
  init_state (connector, &state, LIA_DATA_TYPE_STUDENTS);
  {
    g_autoptr(LiaPage) p1 = fetch (connector, &state);
    g_autoptr(LiaPage) p2 = fetch (connector, &state);
    g_autoptr(LiaPage) p3 = fetch (connector, &state);

    g_assert_cmpuint (json_array_get_length (p1->records), ==, 3);
    g_assert_cmpstr (record_string (p2, 1, "id"), ==, "4");
    g_assert_false (p2->is_last);
    g_assert_cmpuint (json_array_get_length (p3->records), ==, 0);
    g_assert_true (p3->is_last);
  }
  lia_page_state_clear (&state);
}

static void
test_json_broken (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) not_array = NULL;
  g_autoptr(GError) extension = NULL;
  LiaPageState state;

  write_file (dir, "bad.json", "[\n  {\"id\": 1},\n  {\"id\": 2,,}\n]");
  write_file (dir, "object.json", "{\"rows\": []}");
  write_file (dir, "students.txt", "id\n1\n");
  connector = connector_for (dir, "{\"students\":\"bad.json\",\"faculty\":\"object.json\",\"subjects\":\"*.txt\"}",
                             NULL);

  init_state (connector, &state, LIA_DATA_TYPE_STUDENTS);
  g_assert_null (lia_connector_fetch_page (connector, &state, &error));
  g_assert_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "bad.json"));
  g_assert_nonnull (strstr (error->message, "3:"));
  g_assert_null (strstr (error->message, "<data>"));
  g_assert_null (strstr (error->message, dir));
  lia_page_state_clear (&state);

  init_state (connector, &state, LIA_DATA_TYPE_FACULTY);
  g_assert_null (lia_connector_fetch_page (connector, &state, &not_array));
  g_assert_error (not_array, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (not_array->message, "object.json"));
  g_assert_nonnull (strstr (not_array->message, "recordsPath"));
  lia_page_state_clear (&state);

  init_state (connector, &state, LIA_DATA_TYPE_SUBJECTS);
  g_assert_null (lia_connector_fetch_page (connector, &state, &extension));
  g_assert_error (extension, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (extension->message, "students.txt"));
  lia_page_state_clear (&state);
}

static void
test_missing_folder (void)
{
  g_autofree char *parent = lia_test_tmpdir ();
  g_autofree char *dir = g_build_filename (parent, "not-there", NULL);
  g_autoptr(LiaConnector) connector = connector_for (dir, "{\"students\":\"*.csv\"}", NULL);
  g_autoptr(GError) error = NULL;
  LiaConnectionTest test = { 0 };
  LiaPageState state;

  g_assert_true (lia_connector_test (connector, &test, &error));
  g_assert_no_error (error);
  g_assert_false (test.reachable);
  g_assert_cmpuint (test.http_status, ==, 0);
  g_assert_cmpstr (test.code, ==, "NOT_FOUND");
  g_assert_nonnull (strstr (test.message, dir));
  g_assert_nonnull (test.hint);
  g_assert_null (strstr (test.hint, "URL"));
  lia_connection_test_clear (&test);

  init_state (connector, &state, LIA_DATA_TYPE_STUDENTS);
  g_assert_null (lia_connector_fetch_page (connector, &state, &error));
  g_assert_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, dir));
  g_assert_false (state.done);
  lia_page_state_clear (&state);
}

static void
test_connection_test (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = NULL;
  LiaConnectionTest test = { 0 };

  write_students (dir, "students-1.csv", 0, 1);
  write_students (dir, "students-2.csv", 0, 1);
  write_file (dir, "att.json", "[]");
  connector = connector_for (dir, "{\"students\":\"students*.csv\",\"attendance\":{\"path\":\"att.json\"},"
                                  "\"marks\":\"marks.csv\"}", NULL);

  g_assert_true (lia_connector_test (connector, &test, NULL));
  g_assert_true (test.reachable);
  g_assert_cmpuint (test.http_status, ==, 0);
  g_assert_cmpint (test.response_ms, >=, 0);
  g_assert_null (test.code);
  g_assert_null (test.hint);
  g_assert_cmpstr (test.message, ==, "2 files match students*.csv, 1 file matches att.json, "
                                     "0 files match marks.csv");
  lia_connection_test_clear (&test);
}

static void
test_no_match (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(LiaConnector) connector = connector_for (dir, "{\"students\":\"students*.csv\"}", NULL);
  g_autoptr(LiaPage) page = NULL;
  LiaPageState state;

  init_state (connector, &state, LIA_DATA_TYPE_STUDENTS);
  page = fetch (connector, &state);
  g_assert_cmpuint (json_array_get_length (page->records), ==, 0);
  g_assert_true (page->is_last);
  g_assert_true (state.done);
  g_assert_cmpint (state.records, ==, 0);
  g_assert_cmpuint (lia_connector_get_bytes (connector), ==, 0);
  lia_page_state_clear (&state);
}

static void
test_cancel (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(LiaPage) page = NULL;
  g_autoptr(GError) error = NULL;
  LiaPageState state;

  write_students (dir, "students.csv", 0, 1500);
  connector = connector_for (dir, "{\"students\":\"students.csv\"}", cancellable);
  init_state (connector, &state, LIA_DATA_TYPE_STUDENTS);

  page = fetch (connector, &state);
  g_assert_false (page->is_last);
  g_cancellable_cancel (cancellable);
  g_assert_null (lia_connector_fetch_page (connector, &state, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (lia_sync_error_code_name (error), ==, "CANCELLED");
  g_assert_cmpint (state.records, ==, 1000);
  lia_page_state_clear (&state);
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/file-connector/csv-pages", test_csv_pages);
  g_test_add_func ("/file-connector/csv-interleaved", test_csv_interleaved);
  g_test_add_func ("/file-connector/excel-export", test_excel_export);
  g_test_add_func ("/file-connector/csv-extra-cells", test_csv_extra_cells);
  g_test_add_func ("/file-connector/csv-broken", test_csv_broken);
  g_test_add_func ("/file-connector/json-records-path", test_json_records_path);
  g_test_add_func ("/file-connector/mixed-files", test_mixed_files);
  g_test_add_func ("/file-connector/json-broken", test_json_broken);
  g_test_add_func ("/file-connector/missing-folder", test_missing_folder);
  g_test_add_func ("/file-connector/connection-test", test_connection_test);
  g_test_add_func ("/file-connector/no-match", test_no_match);
  g_test_add_func ("/file-connector/cancel", test_cancel);

  return g_test_run ();
}
