/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "lia-database.h"
#include "lia-integration-store.h"
#include "lia-secrets.h"
#include "lia-sync-error.h"
#include "lia-sync-runner.h"
#include "lia-test-server.h"
#include "lia-test-util.h"

/* A school system on 127.0.0.1: routes by path, with the number of
 * students and the faults a test asks for. */
typedef struct {
  gint         n_students;
  gint         fail_count;     /* faults still to serve (atomic) */
  gint         delay_ms;       /* before each answer */
  const char  *expect_header;  /* "Name: value" every request must carry */
  char        *last_query;     /* of the last request, for since checks */
  GMutex       mutex;
} Source;

static Source source;

static void
reset_source (int n_students)
{
  g_mutex_lock (&source.mutex);
  g_clear_pointer (&source.last_query, g_free);
  g_mutex_unlock (&source.mutex);
  source.n_students = n_students;
  source.fail_count = 0;
  source.delay_ms = 0;
  source.expect_header = NULL;
}

static gint64
query_int (GHashTable *query,
           const char *name,
           gint64      fallback)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  return value ? g_ascii_strtoll (value, NULL, 10) : fallback;
}

static void
append_students (GString *json,
                 gint64   first,
                 gint64   count)
{
  g_string_append_c (json, '[');
  for (gint64 i = first; i < first + count && i < source.n_students; i++)
    g_string_append_printf (json, "%s{\"id\": \"s%" G_GINT64_FORMAT "\", \"name\": \"Student %" G_GINT64_FORMAT
                                  "\", \"contact\": {\"email\": \"s%" G_GINT64_FORMAT "@school.test\"}}",
                            i > first ? "," : "", i, i, i);
  g_string_append_c (json, ']');
}

static gboolean
take_fault (void)
{
  return g_atomic_int_dec_and_test (&source.fail_count) || g_atomic_int_get (&source.fail_count) > 0;
}

static void
handle (SoupServerMessage *message,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  g_autoptr(GString) json = g_string_new (NULL);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  GUri *uri = soup_server_message_get_uri (message);

  g_mutex_lock (&source.mutex);
  g_free (source.last_query);
  source.last_query = g_strdup (g_uri_get_query (uri));
  g_mutex_unlock (&source.mutex);

  if (source.delay_ms > 0)
    g_usleep (source.delay_ms * 1000);

  if (source.expect_header != NULL)
    {
      g_auto(GStrv) pair = g_strsplit (source.expect_header, ": ", 2);
      if (g_strcmp0 (soup_message_headers_get_one (headers, pair[0]), pair[1]) != 0)
        {
          lia_test_reply_json (message, 401, "{\"error\": \"unauthorized\"}");
          return;
        }
    }

  if (g_str_equal (path, "/students/page"))
    {
      gint64 page = query_int (query, "page", 1), size = query_int (query, "limit", 10);
      g_string_append (json, "{\"data\": ");
      append_students (json, (page - 1) * size, size);
      g_string_append_printf (json, ", \"meta\": {\"total\": %d}}", source.n_students);
    }
  else if (g_str_equal (path, "/students/offset"))
    append_students (json, query_int (query, "offset", 0), query_int (query, "limit", 10));
  else if (g_str_equal (path, "/students/cursor"))
    {
      gint64 at = query_int (query, "after", 0);
      g_string_append (json, "{\"results\": {\"items\": ");
      append_students (json, at, 10);
      if (at + 10 < source.n_students)
        g_string_append_printf (json, "}, \"next\": \"%" G_GINT64_FORMAT "\"}", at + 10);
      else
        g_string_append (json, "}, \"next\": null}");
    }
  else if (g_str_equal (path, "/students/link") || g_str_equal (path, "/api/v1/accounts/self/users"))
    {
      gint64 page = query_int (query, "page", 1), size = query_int (query, "per_page", 10);
      append_students (json, (page - 1) * size, size);
      if (page * size < source.n_students)
        {
          g_autofree char *link = g_strdup_printf ("<%s?page=%" G_GINT64_FORMAT "&per_page=%" G_GINT64_FORMAT
                                                   ">; rel=\"next\", <%s?page=1>; rel=\"first\"",
                                                   path, page + 1, size, path);
          soup_message_headers_append (soup_server_message_get_response_headers (message), "Link", link);
        }
    }
  else if (g_str_equal (path, "/students/all"))
    append_students (json, 0, source.n_students);
  else if (g_str_equal (path, "/students/twice"))
    {
      /* s3 again, renamed, in the middle of the page. */
      append_students (json, 0, source.n_students);
      g_string_truncate (json, json->len - 1);
      g_string_append (json, ", {\"id\": \"s3\", \"name\": \"Second 3\", \"contact\": {\"email\": \"s3@school.test\"}}]");
    }
  else if (g_str_equal (path, "/faults/429") && take_fault ())
    {
      soup_message_headers_append (soup_server_message_get_response_headers (message), "Retry-After", "1");
      lia_test_reply_json (message, 429, "{}");
      return;
    }
  else if (g_str_equal (path, "/faults/500") && take_fault ())
    {
      lia_test_reply_json (message, 500, "{}");
      return;
    }
  else if (g_str_equal (path, "/faults/404"))
    {
      lia_test_reply_json (message, 404, "{}");
      return;
    }
  else if (g_str_equal (path, "/students/chunked"))
    {
      /* No Content-Length: the client cannot size its buffer up front. */
      SoupMessageBody *body = soup_server_message_get_response_body (message);

      append_students (json, 0, source.n_students);
      soup_message_headers_set_encoding (soup_server_message_get_response_headers (message), SOUP_ENCODING_CHUNKED);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (message), "application/json", NULL);
      for (gsize at = 0; at < json->len; at += 10000)
        soup_message_body_append (body, SOUP_MEMORY_COPY, json->str + at, MIN (10000, json->len - at));
      soup_message_body_complete (body);
      soup_server_message_set_status (message, 200, NULL);
      return;
    }
  else if (g_str_equal (path, "/faults/truncated"))
    {
      lia_test_reply_json (message, 200, "[{\"id\": \"s1\", \"name\": \"Trunc");
      return;
    }
  else if (g_str_equal (path, "/faults/xml"))
    {
      lia_test_reply (message, 200, "application/xml", "<students/>");
      return;
    }
  else if (g_str_equal (path, "/faults/html"))
    {
      lia_test_reply (message, 200, "text/html", "<html><body><form>Log in</form></body></html>");
      return;
    }
  else if (g_str_equal (path, "/moodle/webservice/rest/server.php"))
    {
      const char *function = g_hash_table_lookup (query, "wsfunction");

      g_assert_cmpstr (g_hash_table_lookup (query, "moodlewsrestformat"), ==, "json");
      if (g_strcmp0 (g_hash_table_lookup (query, "wstoken"), "moodle-token") != 0)
        g_string_append (json, "{\"exception\": \"moodle_exception\", \"errorcode\": \"invalidtoken\","
                               " \"message\": \"Invalid token - token not found\"}");
      else if (g_strcmp0 (function, "core_user_get_users") == 0)
        {
          g_assert_cmpstr (g_hash_table_lookup (query, "criteria[0][key]"), ==, "email");
          g_string_append (json, "{\"users\": [");
          for (int i = 0; i < source.n_students; i++)
            g_string_append_printf (json, "%s{\"id\": %d, \"fullname\": \"Élève %d\", \"email\": \"e%d@moodle.test\"}",
                                    i ? "," : "", 100 + i, i, i);
          g_string_append (json, "], \"warnings\": []}");
        }
      else if (g_strcmp0 (function, "core_course_get_courses") == 0)
        g_string_append (json, "[{\"id\": 1, \"shortname\": \"MATH\", \"fullname\": \"Mathématiques\"},"
                               " {\"id\": 2, \"shortname\": \"HIST\", \"fullname\": \"Histoire\"}]");
      else if (g_strcmp0 (function, "core_webservice_get_site_info") == 0)
        g_string_append (json, "{\"sitename\": \"Test Moodle\"}");
      else
        g_string_append (json, "{\"exception\": \"webservice_access_exception\", \"errorcode\": \"accessexception\","
                               " \"message\": \"Access control exception\"}");
    }
  else if (g_str_has_prefix (path, "/faults/"))
    append_students (json, 0, source.n_students);
  else
    {
      lia_test_reply_json (message, 404, "{\"error\": \"no such path\"}");
      return;
    }

  lia_test_reply_json (message, 200, json->str);
}

/* Fixture */

typedef struct {
  LiaTestServer *server;
  char          *db_path;
  LiaDatabase   *db;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  reset_source (25);
  f->server = lia_test_server_new (handle, NULL);
  f->db_path = lia_test_db_path ();
  f->db = lia_database_open (f->db_path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lia_test_server_free (f->server);
  lia_database_close (f->db);
  g_free (f->db_path);
}

/* Adds an integration from a config whose "URL" stands for the server. */
static gint64
add_integration (Fixture    *f,
                 const char *json_template)
{
  g_autoptr(GString) json = g_string_new (json_template);
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_string_replace (json, "URL", lia_test_server_get_url (f->server), 0);
  config = lia_test_config (json->str, &secrets);
  id = lia_integration_store_add (f->db, config, secrets, &error);
  g_assert_no_error (error);
  return id;
}

static LiaSyncRun *
sync_with (Fixture        *f,
           gint64          id,
           LiaSyncOptions *options)
{
  g_autoptr(GError) error = NULL;
  LiaSyncRun *run;

  options->integration_id = id;
  options->trigger = "cli";
  options->backoff_ms = 10;
  run = lia_sync_run_blocking (f->db_path, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  return run;
}

static LiaSyncRun *
sync_now (Fixture *f,
          gint64   id)
{
  LiaSyncOptions options = { 0 };

  return sync_with (f, id, &options);
}

static gint64
count_rows (Fixture    *f,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *stmt = lia_database_prepare (f->db, sql, NULL);
  gint64 count;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static const LiaSyncLogEntry *
first_error (LiaSyncRun *run)
{
  g_assert_cmpuint (run->errors->len, >, 0);
  return g_ptr_array_index (run->errors, 0);
}

#define STUDENTS LIA_DATA_TYPE_STUDENTS
#define STUDENT_MAPPING \
  "\"fieldMappings\": {\"students\": {\"externalId\": \"id\", \"name\": \"name\", \"email\": \"contact.email\"}}"

/* Pagination */

static void
test_page_pagination (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": {\"path\": \"/students/page\", \"recordsPath\": \"data\","
                                  "  \"pagination\": {\"style\": \"page\", \"pageParam\": \"page\", \"sizeParam\": \"limit\", \"size\": 10}}},"
                                  STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);

  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].processed, ==, 25);
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 25);
  g_assert_cmpint (run->requests, ==, 3);  /* 10 + 10 + 5: the short page ends it */
  g_assert_cmpint (count_rows (f, "students"), ==, 25);
  g_assert_cmpint (run->bytes, >, 0);
}

static void
test_page_pagination_total (Fixture       *f,
                            gconstpointer  data)
{
  gint64 id;
  g_autoptr(LiaSyncRun) run = NULL;

  reset_source (20);
  id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                           " \"endpoints\": {\"students\": {\"path\": \"/students/page\", \"recordsPath\": \"data\","
                           "  \"pagination\": {\"style\": \"page\", \"sizeParam\": \"limit\", \"size\": 10, \"totalPath\": \"meta.total\"}}},"
                           STUDENT_MAPPING "}");
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 20);
  g_assert_cmpint (run->requests, ==, 2);  /* the reported total ends it, no empty page */
}

static void
test_offset_pagination (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": {\"path\": \"/students/offset\","
                                  "  \"pagination\": {\"style\": \"offset\", \"offsetParam\": \"offset\", \"sizeParam\": \"limit\", \"size\": 10}}},"
                                  STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);

  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 25);
  g_assert_cmpint (run->requests, ==, 3);
}

static void
test_cursor_pagination (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": {\"path\": \"/students/cursor\", \"recordsPath\": \"results.items\","
                                  "  \"pagination\": {\"style\": \"cursor\", \"cursorParam\": \"after\", \"cursorPath\": \"next\"}}},"
                                  STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);

  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 25);
  g_assert_cmpint (run->requests, ==, 3);
}

static void
test_link_pagination (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": {\"path\": \"/students/link\","
                                  "  \"pagination\": {\"style\": \"link\", \"sizeParam\": \"per_page\", \"size\": 10}}},"
                                  STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);

  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 25);
  g_assert_cmpint (run->requests, ==, 3);
}

/* Canvas: bearer token, per_page and the Link header, with no endpoint
 * or mapping in the config. */
static void
test_canvas_defaults (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id;
  g_autoptr(LiaSyncRun) run = NULL;

  source.expect_header = "Authorization: Bearer canvas-token";
  id = add_integration (f, "{\"name\": \"Canvas\", \"kind\": \"canvas\", \"baseUrl\": \"URL\", \"apiKey\": \"canvas-token\","
                           " \"fieldMappings\": {\"students\": {\"externalId\": \"id\", \"name\": \"name\", \"email\": \"contact.email\"}}}");
  run = sync_with (f, id, &(LiaSyncOptions) { .types = 1u << STUDENTS });
  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 25);
  g_assert_cmpint (run->requests, ==, 1);  /* per_page=100 fits all 25 */
}

/* Moodle: a URL and a token are enough. */
static void
test_moodle_defaults (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"Moodle\", \"kind\": \"moodle\", \"baseUrl\": \"URL/moodle\","
                                  " \"apiKey\": \"moodle-token\"}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);
  sqlite3_stmt *stmt;

  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 25);
  g_assert_cmpint (run->counts[LIA_DATA_TYPE_SUBJECTS].created, ==, 2);
  stmt = lia_database_prepare (f->db, "SELECT name, email FROM students WHERE external_id = '103'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Élève 3");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "e3@moodle.test");
  sqlite3_reset (stmt);
  stmt = lia_database_prepare (f->db, "SELECT code, name FROM subjects WHERE external_id = '1'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "MATH");
  sqlite3_reset (stmt);
}

/* Moodle answers errors with HTTP 200: still a failure, with its message. */
static void
test_moodle_error_body (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"Moodle\", \"kind\": \"moodle\", \"baseUrl\": \"URL/moodle\","
                                  " \"apiKey\": \"expired-token\"}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);
  const LiaSyncLogEntry *entry = first_error (run);

  g_assert_cmpstr (run->status, ==, "error");
  g_assert_cmpstr (entry->code, ==, "INVALID_CREDENTIALS");
  g_assert_cmpstr (entry->message, ==, "Moodle: Invalid token - token not found (invalidtoken)");
  g_assert_cmpint (count_rows (f, "students"), ==, 0);
  /* The token is never in a message. */
  g_assert_null (strstr (entry->message, "expired-token"));
}

static void
test_moodle_permission (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"Moodle\", \"kind\": \"moodle\", \"baseUrl\": \"URL/moodle\","
                                  " \"apiKey\": \"moodle-token\", \"endpoints\": {\"marks\": \"gradereport_user_get_grade_items\"}}");
  g_autoptr(LiaSyncRun) run = sync_with (f, id, &(LiaSyncOptions) { .types = 1u << LIA_DATA_TYPE_MARKS });

  g_assert_cmpstr (run->status, ==, "error");
  g_assert_cmpstr (first_error (run)->code, ==, "PERMISSION_DENIED");
}

/* Auth */

static void
check_auth (Fixture    *f,
            const char *expect,
            const char *auth_json)
{
  g_autofree char *config = g_strdup_printf ("{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\", %s,"
                                             " \"endpoints\": {\"students\": \"/students/all\"}, " STUDENT_MAPPING "}",
                                             auth_json);
  gint64 id = add_integration (f, config);
  g_autoptr(LiaSyncRun) run = NULL;

  source.expect_header = expect;
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 25);
}

static void
test_auth_types (Fixture       *f,
                 gconstpointer  data)
{
  check_auth (f, "X-API-Key: k1", "\"authType\": \"api-key\", \"apiKey\": \"k1\"");
  check_auth (f, "X-School-Key: k2", "\"authType\": \"api-key\", \"apiKey\": \"k2\", \"apiKeyHeader\": \"X-School-Key\"");
  check_auth (f, "Authorization: Bearer t3", "\"authType\": \"bearer\", \"apiKey\": \"t3\"");
  /* "admin:pa55" in base64 */
  check_auth (f, "Authorization: Basic YWRtaW46cGE1NQ==", "\"authType\": \"basic\", \"username\": \"admin\", \"password\": \"pa55\"");
  check_auth (f, "X-College-ID: 12345", "\"authType\": \"none\", \"headers\": {\"X-College-ID\": \"12345\"}");
}

static void
test_auth_query_key (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\", \"authType\": \"api-key\","
                                  " \"apiKey\": \"qk\", \"apiKeyQuery\": \"key\", \"endpoints\": {\"students\": \"/students/all\"}, "
                                  STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);

  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpstr (source.last_query, ==, "key=qk");
}

static void
test_wrong_credentials (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\", \"authType\": \"bearer\","
                                  " \"apiKey\": \"wrong\", \"endpoints\": {\"students\": \"/students/all\", \"faculty\": \"/students/all\"}}");
  g_autoptr(LiaSyncRun) run = NULL;

  source.expect_header = "Authorization: Bearer right";
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "error");
  g_assert_cmpstr (first_error (run)->code, ==, "INVALID_CREDENTIALS");
  g_assert_cmpint (run->requests, ==, 1);  /* no retry, and the next type is not tried */
  g_assert_nonnull (strstr (run->message, "credentials"));
}

static void
test_missing_secret (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\", \"authType\": \"bearer\","
                                  " \"endpoints\": {\"students\": \"/students/all\"}}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);

  g_assert_cmpstr (run->status, ==, "error");
  g_assert_cmpstr (first_error (run)->code, ==, "INVALID_CREDENTIALS");
  g_assert_nonnull (strstr (run->message, "set-secret"));
  g_assert_cmpint (run->requests, ==, 0);
}

/* Mapping */

static void
test_mapping_errors (Fixture       *f,
                     gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/students/all\"},"
                                  " \"fieldMappings\": {\"students\": {\"externalId\": \"id\", \"name\": {\"from\": \"name\", \"transform\": \"upper\"},"
                                  "  \"email\": {\"from\": \"contact.phone\", \"required\": true}}}}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);
  const LiaSyncLogEntry *entry;

  g_assert_cmpstr (run->status, ==, "error");  /* nothing landed */
  g_assert_cmpint (run->counts[STUDENTS].errors, ==, 25);
  g_assert_cmpint (run->error_total, ==, 25);
  entry = first_error (run);
  g_assert_cmpstr (entry->code, ==, "MAPPING_ERROR");
  g_assert_cmpstr (entry->external_id, ==, "s0");
  g_assert_cmpstr (entry->message, ==, "email: missing (nothing at contact.phone)");
  g_assert_cmpint (count_rows (f, "students"), ==, 0);
}

static void
test_transforms_and_status_map (Fixture       *f,
                                gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/students/all\"},"
                                  " \"fieldMappings\": {\"students\": {\"externalId\": {\"from\": \"id\", \"transform\": \"upper\"},"
                                  "  \"name\": {\"from\": \"name\", \"transform\": \"lower\"}, \"email\": {\"from\": \"nope\", \"default\": \"none@school.test\"}}}}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);
  sqlite3_stmt *stmt;

  g_assert_cmpstr (run->status, ==, "success");
  stmt = lia_database_prepare (f->db, "SELECT name, email FROM students WHERE external_id = 'S3'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "student 3");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "none@school.test");
  sqlite3_reset (stmt);
}

/* Writing */

static void
test_resync_unchanged_and_updated (Fixture       *f,
                                   gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/students/all\"}, " STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) first = sync_now (f, id);
  g_autoptr(LiaSyncRun) second = sync_now (f, id);
  g_autoptr(LiaSyncRun) third = NULL;

  g_assert_cmpint (first->counts[STUDENTS].created, ==, 25);
  g_assert_cmpint (second->counts[STUDENTS].created, ==, 0);
  g_assert_cmpint (second->counts[STUDENTS].unchanged, ==, 25);
  g_assert_cmpint (second->counts[STUDENTS].updated, ==, 0);

  /* One student renamed in the database stands for one changed at the
   * source: the next sync puts it right and counts one update. */
  g_assert_true (lia_database_exec (f->db, "UPDATE students SET content_hash = 1 WHERE external_id = 's7'", NULL));
  third = sync_now (f, id);
  g_assert_cmpint (third->counts[STUDENTS].updated, ==, 1);
  g_assert_cmpint (third->counts[STUDENTS].unchanged, ==, 24);
  g_assert_cmpint (count_rows (f, "students"), ==, 25);
}

static char *
student_name (Fixture    *f,
              const char *external_id)
{
  sqlite3_stmt *stmt = lia_database_prepare (f->db, "SELECT name FROM students WHERE external_id = ?", NULL);
  char *name = NULL;

  sqlite3_bind_text (stmt, 1, external_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return name;
}

/* New records are inserted many to a statement: a page of 100 where some
 * keys are there already, some changed and some gone comes out as if
 * each record had been written alone. */
static void
test_batched_inserts (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/students/all\"}, " STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) first = NULL;
  g_autoptr(LiaSyncRun) second = NULL;
  g_autofree char *name_0 = NULL;
  g_autofree char *name_99 = NULL;
  g_autofree char *name_41 = NULL;

  reset_source (100);
  first = sync_now (f, id);
  g_assert_cmpint (first->counts[STUDENTS].created, ==, 100);
  g_assert_cmpint (first->counts[STUDENTS].processed, ==, 100);
  g_assert_cmpint (count_rows (f, "students"), ==, 100);
  name_0 = student_name (f, "s0");
  name_99 = student_name (f, "s99");
  g_assert_cmpstr (name_0, ==, "Student 0");
  g_assert_cmpstr (name_99, ==, "Student 99");

  /* Three rows gone (one in a batch of rows that are all there, one
   * alone, one among rows that are there), one changed. */
  g_assert_true (lia_database_exec (f->db, "DELETE FROM students WHERE external_id IN ('s5', 's40', 's70');"
                                           "UPDATE students SET content_hash = 1, name = 'Old' WHERE external_id = 's41'",
                                    NULL));
  second = sync_now (f, id);
  g_assert_cmpint (second->counts[STUDENTS].created, ==, 3);
  g_assert_cmpint (second->counts[STUDENTS].updated, ==, 1);
  g_assert_cmpint (second->counts[STUDENTS].unchanged, ==, 96);
  g_assert_cmpint (second->counts[STUDENTS].deleted, ==, 0);
  g_assert_cmpint (count_rows (f, "students"), ==, 100);
  name_41 = student_name (f, "s41");
  g_assert_cmpstr (name_41, ==, "Student 41");
}

/* A body sent in chunks, with no length announced, arrives whole. */
static void
test_chunked_body (Fixture       *f,
                   gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/students/chunked\"}, " STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = NULL;
  g_autofree char *name = NULL;

  reset_source (3000);  /* about 300 kB, more than the first buffer */
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 3000);
  g_assert_cmpint (run->bytes, >, 64 * 1024);
  name = student_name (f, "s2999");
  g_assert_cmpstr (name, ==, "Student 2999");
}

/* A key twice in one batch makes one row, created then updated. */
static void
test_batched_key_twice (Fixture       *f,
                        gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/students/twice\"}, " STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = NULL;
  g_autoptr(LiaSyncRun) again = NULL;
  g_autofree char *name = NULL;

  reset_source (39);
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[STUDENTS].processed, ==, 40);
  g_assert_cmpint (run->counts[STUDENTS].created, ==, 39);
  g_assert_cmpint (run->counts[STUDENTS].updated, ==, 1);
  g_assert_cmpint (count_rows (f, "students"), ==, 39);
  name = student_name (f, "s3");
  g_assert_cmpstr (name, ==, "Second 3");

  /* Nothing is deleted: the row was seen, whichever record made it. */
  again = sync_now (f, id);
  g_assert_cmpint (again->counts[STUDENTS].deleted, ==, 0);
  g_assert_cmpint (count_rows (f, "students"), ==, 39);
}

static void
test_delete_after_complete_sync (Fixture       *f,
                                 gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": {\"path\": \"/students/page\", \"recordsPath\": \"data\","
                                  "  \"pagination\": {\"style\": \"page\", \"sizeParam\": \"limit\", \"size\": 10}}}, " STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) first = sync_now (f, id);
  g_autoptr(LiaSyncRun) second = NULL;
  g_autoptr(LiaSyncRun) dry = NULL;

  g_assert_cmpint (count_rows (f, "students"), ==, 25);

  /* Five students left the school. */
  reset_source (20);
  dry = sync_with (f, id, &(LiaSyncOptions) { .dry_run = TRUE });
  g_assert_cmpint (dry->counts[STUDENTS].deleted, ==, 5);
  g_assert_cmpint (count_rows (f, "students"), ==, 25);

  second = sync_now (f, id);
  g_assert_cmpstr (second->status, ==, "success");
  g_assert_cmpint (second->counts[STUDENTS].deleted, ==, 5);
  g_assert_cmpint (second->counts[STUDENTS].unchanged, ==, 20);
  g_assert_cmpint (count_rows (f, "students"), ==, 20);
}

/* A run that fails halfway deletes nothing, even though it saw only some
 * of the records. */
static void
test_no_delete_after_failed_sync (Fixture       *f,
                                  gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\", \"maxRetries\": 0,"
                                  " \"endpoints\": {\"students\": {\"path\": \"/faults/500\", \"pagination\": {\"style\": \"none\"}}}, "
                                  STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) first = sync_now (f, id);
  g_autoptr(LiaSyncRun) second = NULL;

  g_assert_cmpstr (first->status, ==, "success");
  reset_source (0);
  source.fail_count = 1;
  second = sync_now (f, id);
  g_assert_cmpstr (second->status, ==, "error");
  g_assert_cmpstr (first_error (second)->code, ==, "SYNC_FAILED");
  g_assert_cmpint (second->counts[STUDENTS].deleted, ==, 0);
  g_assert_cmpint (count_rows (f, "students"), ==, 25);
}

static void
test_dry_run_writes_nothing (Fixture       *f,
                             gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/students/all\"}, " STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) dry = sync_with (f, id, &(LiaSyncOptions) { .dry_run = TRUE });
  g_autoptr(LiaSyncRun) real = NULL;

  g_assert_cmpstr (dry->status, ==, "success");
  g_assert_true (dry->dry_run);
  g_assert_cmpint (dry->id, ==, 0);
  g_assert_cmpint (dry->counts[STUDENTS].created, ==, 25);
  g_assert_cmpint (count_rows (f, "students"), ==, 0);
  g_assert_cmpint (count_rows (f, "sync_runs"), ==, 0);

  real = sync_now (f, id);
  g_assert_cmpint (real->counts[STUDENTS].created, ==, dry->counts[STUDENTS].created);
}

static void
test_incremental_cursor (Fixture       *f,
                         gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": {\"path\": \"/students/all\", \"sinceParam\": \"changedSince\"}}, "
                                  STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) first = sync_now (f, id);
  g_autoptr(LiaSyncRun) second = NULL;

  g_assert_null (source.last_query);  /* no cursor yet: everything */
  second = sync_now (f, id);
  g_assert_nonnull (source.last_query);
  g_assert_true (g_str_has_prefix (source.last_query, "changedSince="));
  /* An incremental sync never deletes what it was not sent. */
  g_assert_cmpint (second->counts[STUDENTS].deleted, ==, 0);
}

/* Faults */

static void
test_retry_after_429 (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/faults/429\"}, " STUDENT_MAPPING "}");
  gint64 started = g_get_monotonic_time ();
  g_autoptr(LiaSyncRun) run = NULL;

  source.fail_count = 1;
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->requests, ==, 2);
  /* Retry-After: 1 was honoured, not the 10 ms backoff. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC);
}

static void
test_retry_500_then_success (Fixture       *f,
                             gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\", \"maxRetries\": 3,"
                                  " \"endpoints\": {\"students\": \"/faults/500\"}, " STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = NULL;

  source.fail_count = 2;
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->requests, ==, 3);
}

static void
test_rate_limit_exhausted (Fixture       *f,
                           gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\", \"maxRetries\": 1,"
                                  " \"endpoints\": {\"students\": \"/faults/429\"}, " STUDENT_MAPPING "}");
  g_autoptr(LiaSyncRun) run = NULL;

  source.fail_count = 5;
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "error");
  g_assert_cmpstr (first_error (run)->code, ==, "RATE_LIMIT_EXCEEDED");
  g_assert_cmpint (run->requests, ==, 2);
}

static void
test_no_retry_on_404 (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                  " \"endpoints\": {\"students\": \"/faults/404\", \"faculty\": \"/students/all\"},"
                                  " \"fieldMappings\": {\"faculty\": {\"externalId\": \"id\"}}}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);

  g_assert_cmpstr (first_error (run)->code, ==, "NOT_FOUND");
  g_assert_cmpint (run->requests, ==, 2);  /* one each: no retry, and faculty goes on */
  g_assert_cmpstr (run->status, ==, "partial");
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\", \"timeoutSeconds\": 1,"
                                  " \"maxRetries\": 0, \"endpoints\": {\"students\": \"/students/all\"}}");
  g_autoptr(LiaSyncRun) run = NULL;

  source.delay_ms = 2500;
  run = sync_now (f, id);
  g_assert_cmpstr (run->status, ==, "error");
  g_assert_cmpstr (first_error (run)->code, ==, "CONNECTION_ERROR");
  g_assert_nonnull (strstr (first_error (run)->message, "within 1 seconds"));
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  gint64 id = add_integration (f, "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"http://127.0.0.1:9\","
                                  " \"maxRetries\": 1, \"endpoints\": {\"students\": \"/students/all\"}}");
  g_autoptr(LiaSyncRun) run = sync_now (f, id);

  g_assert_cmpstr (run->status, ==, "error");
  g_assert_cmpstr (first_error (run)->code, ==, "CONNECTION_ERROR");
  g_assert_cmpint (run->requests, ==, 2);  /* retried once */
}

/* A broken page stops its data type; the others go on; the run is
 * partial because something landed. */
static void
check_bad_page (Fixture    *f,
                const char *path,
                const char *message_part)
{
  g_autofree char *config = g_strdup_printf ("{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"URL\","
                                             " \"endpoints\": {\"students\": \"%s\", \"faculty\": \"/students/all\"},"
                                             " \"fieldMappings\": {\"faculty\": {\"externalId\": \"id\"}}}", path);
  gint64 id = add_integration (f, config);
  g_autoptr(LiaSyncRun) run = sync_now (f, id);
  const LiaSyncLogEntry *entry = first_error (run);

  g_assert_cmpstr (run->status, ==, "partial");
  g_assert_cmpstr (entry->code, ==, "INVALID_RESPONSE");
  g_assert_cmpstr (entry->data_type, ==, "students");
  g_assert_nonnull (strstr (entry->message, message_part));
  g_assert_cmpint (run->counts[LIA_DATA_TYPE_FACULTY].created, ==, 25);
}

static void
test_bad_pages (Fixture       *f,
                gconstpointer  data)
{
  check_bad_page (f, "/faults/truncated", "not valid JSON");
  check_bad_page (f, "/faults/xml", "application/xml");
  check_bad_page (f, "/faults/html", "login page");
}

/* TLS: always verified; a caFile adds the school's own authority. */
static void
check_tls (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new_tls (handle, NULL);
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *ca = g_test_build_filename (G_TEST_DIST, "data", "tls", "ca.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (db_path, &error);
  const char *expected[] = { "error", "success" };

  reset_source (25);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *extra = i == 0 ? g_strdup ("") : g_strdup_printf (", \"caFile\": \"%s\"", ca);
      g_autofree char *json = g_strdup_printf ("{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"%s\", \"maxRetries\": 0,"
                                               " \"endpoints\": {\"students\": \"/students/all\"}, " STUDENT_MAPPING "%s}",
                                               lia_test_server_get_url (server), extra);
      g_autoptr(LiaConfig) config = lia_test_config (json, NULL);
      gint64 id = lia_integration_store_add (db, config, NULL, &error);
      LiaSyncOptions options = { .integration_id = id, .trigger = "cli" };
      g_autoptr(LiaSyncRun) run = NULL;

      g_assert_no_error (error);
      run = lia_sync_run_blocking (db_path, &options, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (run->status, ==, expected[i]);
      if (i == 0)
        {
          g_assert_cmpstr (first_error (run)->code, ==, "TLS_ERROR");
          g_assert_nonnull (strstr (first_error (run)->message, "caFile"));
        }
    }
}

/* GCC 12's LeakSanitizer crashes at exit (its tracer segfaults) on the
 * dynamic TLS that GnuTLS sets up in glib-networking's threads, a known
 * runtime bug (google/sanitizers#1342): the TLS checks run in a child
 * process without leak detection; AddressSanitizer still watches them. */
static void
test_tls (void)
{
  g_autofree char *asan_options = g_strdup (g_getenv ("ASAN_OPTIONS"));

  if (g_test_subprocess ())
    {
      check_tls ();
      return;
    }

  g_setenv ("ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (asan_options != NULL)
    g_setenv ("ASAN_OPTIONS", asan_options, TRUE);
  else
    g_unsetenv ("ASAN_OPTIONS");
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sync/pagination/page", test_page_pagination);
  ADD ("/sync/pagination/page-total", test_page_pagination_total);
  ADD ("/sync/pagination/offset", test_offset_pagination);
  ADD ("/sync/pagination/cursor", test_cursor_pagination);
  ADD ("/sync/pagination/link", test_link_pagination);
  ADD ("/sync/canvas/defaults", test_canvas_defaults);
  ADD ("/sync/moodle/defaults", test_moodle_defaults);
  ADD ("/sync/moodle/error-body", test_moodle_error_body);
  ADD ("/sync/moodle/permission", test_moodle_permission);
  ADD ("/sync/auth/types", test_auth_types);
  ADD ("/sync/auth/query-key", test_auth_query_key);
  ADD ("/sync/auth/wrong-credentials", test_wrong_credentials);
  ADD ("/sync/auth/missing-secret", test_missing_secret);
  ADD ("/sync/mapping/errors", test_mapping_errors);
  ADD ("/sync/mapping/transforms", test_transforms_and_status_map);
  ADD ("/sync/write/resync", test_resync_unchanged_and_updated);
  ADD ("/sync/write/batched-inserts", test_batched_inserts);
  ADD ("/sync/write/batched-key-twice", test_batched_key_twice);
  ADD ("/sync/http/chunked-body", test_chunked_body);
  ADD ("/sync/write/delete-after-complete", test_delete_after_complete_sync);
  ADD ("/sync/write/no-delete-after-failure", test_no_delete_after_failed_sync);
  ADD ("/sync/write/dry-run", test_dry_run_writes_nothing);
  ADD ("/sync/write/incremental-cursor", test_incremental_cursor);
  ADD ("/sync/faults/retry-after-429", test_retry_after_429);
  ADD ("/sync/faults/500-then-success", test_retry_500_then_success);
  ADD ("/sync/faults/rate-limit-exhausted", test_rate_limit_exhausted);
  ADD ("/sync/faults/no-retry-404", test_no_retry_on_404);
  ADD ("/sync/faults/timeout", test_timeout);
  ADD ("/sync/faults/connection-refused", test_connection_refused);
  ADD ("/sync/faults/bad-pages", test_bad_pages);
#undef ADD
  g_test_add_func ("/sync/tls/ca-file", test_tls);

  return g_test_run ();
}
