/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "lia-database.h"
#include "lia-test-server.h"
#include "lia-test-util.h"
#include "lia-util.h"

/* liaison-cli test, sync, history and data, end to end against a school
 * system on 127.0.0.1, and what happens when a sync is killed, cancelled
 * or started twice. */

#define N_STUDENTS 100
#define PAGE_SIZE 10

static gint delay_ms;
static gint broken;  /* answer every page but the first with broken JSON */

static void
handle (SoupServerMessage *message,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  g_autoptr(GString) json = g_string_new ("{\"data\": [");
  gint64 page = query ? g_ascii_strtoll (g_hash_table_lookup (query, "page") ?: "1", NULL, 10) : 1;
  gint64 first = (page - 1) * PAGE_SIZE;

  if (g_atomic_int_get (&delay_ms) > 0)
    g_usleep (g_atomic_int_get (&delay_ms) * 1000);

  if (g_str_equal (path, "/ping"))
    {
      lia_test_reply_json (message, 200, "{\"ok\": true}");
      return;
    }
  if (!g_str_equal (path, "/students"))
    {
      lia_test_reply_json (message, 404, "{}");
      return;
    }
  if (g_atomic_int_get (&broken) && page > 1)
    {
      lia_test_reply_json (message, 200, "{\"data\": [{\"id\": ");
      return;
    }

  for (gint64 i = first; i < first + PAGE_SIZE && i < N_STUDENTS; i++)
    g_string_append_printf (json, "%s{\"externalId\": \"st-%" G_GINT64_FORMAT "\", \"name\": \"Élève %" G_GINT64_FORMAT
                                  "\", \"email\": \"st%" G_GINT64_FORMAT "@school.test\"}",
                            i > first ? "," : "", i, i, i);
  g_string_append (json, "]}");
  lia_test_reply_json (message, 200, json->str);
}

typedef struct {
  LiaTestServer *server;
  char          *db_path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *config = NULL;
  g_autoptr(LiaTestResult) r = NULL;

  g_atomic_int_set (&delay_ms, 0);
  g_atomic_int_set (&broken, 0);
  f->server = lia_test_server_new (handle, NULL);
  f->db_path = lia_test_db_path ();
  config = g_strdup_printf ("{\"name\": \"College ERP\", \"kind\": \"rest\", \"baseUrl\": \"%s\","
                            " \"authType\": \"bearer\", \"apiKey\": \"sync-secret-7731\","
                            " \"endpoints\": {\"students\": {\"path\": \"/students\", \"recordsPath\": \"data\","
                            "  \"pagination\": {\"style\": \"page\", \"sizeParam\": \"limit\", \"size\": %d}}}}",
                            lia_test_server_get_url (f->server), PAGE_SIZE);
  r = lia_test_cli (f->db_path, config, "integration", "import", "-", NULL);
  g_assert_cmpint (r->status, ==, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lia_test_server_free (f->server);
  g_free (f->db_path);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static gint64
count_students (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (f->db_path, &error);
  sqlite3_stmt *stmt = lia_database_prepare (db, "SELECT count(*), count(DISTINCT external_id) FROM students", &error);
  gint64 count;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  g_assert_cmpint (count, ==, sqlite3_column_int64 (stmt, 1));  /* never a duplicate */
  sqlite3_reset (stmt);
  return count;
}

/* Starts `liaison-cli sync 1` in the background. */
static GSubprocess *
spawn_sync (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                           g_getenv ("LIAISON_CLI"), "--db", f->db_path, "sync", "1", NULL);

  g_assert_no_error (error);
  return process;
}

static void
wait_for_hits (Fixture *f,
               guint    hits)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (lia_test_server_get_hits (f->server) < hits)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
}

static void
test_sync_json (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(LiaTestResult) r = lia_test_cli (f->db_path, NULL, "sync", "1", "--json", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *run;
  JsonObject *counts;

  g_assert_cmpint (r->status, ==, 0);
  g_assert_null (strstr (r->out, "sync-secret-7731"));
  node = parse_json (r->out);
  run = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (run, "id"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (run, "integrationId"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (run, "trigger"), ==, "cli");
  g_assert_cmpstr (json_object_get_string_member (run, "status"), ==, "success");
  g_assert_true (json_object_has_member (run, "startedAt"));
  g_assert_true (json_object_has_member (run, "finishedAt"));
  g_assert_cmpint (json_object_get_int_member (run, "durationMs"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (run, "requests"), ==, N_STUDENTS / PAGE_SIZE + 1);
  g_assert_cmpint (json_object_get_int_member (run, "bytes"), >, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (run, "errors")), ==, 0);
  counts = json_object_get_object_member (json_object_get_object_member (run, "counts"), "students");
  g_assert_cmpint (json_object_get_int_member (counts, "processed"), ==, N_STUDENTS);
  g_assert_cmpint (json_object_get_int_member (counts, "created"), ==, N_STUDENTS);
  g_assert_cmpint (json_object_get_int_member (counts, "updated"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "unchanged"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "deleted"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (counts, "errors"), ==, 0);
}

static void
test_history_and_data (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LiaTestResult) first = lia_test_cli (f->db_path, NULL, "sync", "1", NULL);
  g_autoptr(LiaTestResult) second = NULL;
  g_autoptr(LiaTestResult) history = NULL;
  g_autoptr(LiaTestResult) show = NULL;
  g_autoptr(LiaTestResult) records = NULL;
  g_autoptr(LiaTestResult) only_errors = NULL;
  g_autoptr(JsonNode) history_json = NULL;
  g_autoptr(JsonNode) records_json = NULL;
  JsonArray *runs;
  JsonObject *record;

  g_assert_cmpint (first->status, ==, 0);
  second = lia_test_cli (f->db_path, NULL, "sync", "1", NULL);
  g_assert_cmpint (second->status, ==, 0);

  history = lia_test_cli (f->db_path, NULL, "history", "--json", NULL);
  g_assert_cmpint (history->status, ==, 0);
  history_json = parse_json (history->out);
  runs = json_node_get_array (history_json);
  g_assert_cmpuint (json_array_get_length (runs), ==, 2);
  /* Newest first. */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (runs, 0), "id"), ==, 2);

  show = lia_test_cli (f->db_path, NULL, "history", "show", "2", "--json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  g_assert_nonnull (strstr (show->out, "\"unchanged\" : 100"));

  only_errors = lia_test_cli (f->db_path, NULL, "history", "1", "--status", "error", "--json", NULL);
  g_assert_cmpint (only_errors->status, ==, 0);
  g_assert_cmpstr (g_strstrip (only_errors->out), ==, "[]");

  records = lia_test_cli (f->db_path, NULL, "data", "students", "--json", NULL);
  g_assert_cmpint (records->status, ==, 0);
  records_json = parse_json (records->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (records_json)), ==, N_STUDENTS);
  record = json_array_get_object_element (json_node_get_array (records_json), 0);
  g_assert_cmpint (json_object_get_int_member (record, "integrationId"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (record, "externalId"), ==, "st-0");
  g_assert_cmpstr (json_object_get_string_member (record, "name"), ==, "Élève 0");
  g_assert_cmpstr (json_object_get_string_member (record, "email"), ==, "st0@school.test");
}

static void
test_exit_codes (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LiaTestResult) partial = NULL;
  g_autoptr(LiaTestResult) unknown = lia_test_cli (f->db_path, NULL, "sync", "9", NULL);
  g_autoptr(LiaTestResult) bad_type = lia_test_cli (f->db_path, NULL, "sync", "1", "--type", "grades", NULL);
  g_autoptr(LiaTestResult) bad_date = lia_test_cli (f->db_path, NULL, "sync", "1", "--from", "31/12/2024", NULL);
  g_autoptr(LiaTestResult) reversed = lia_test_cli (f->db_path, NULL, "sync", "1", "--from", "2024-03-02", "--to", "2024-03-01", NULL);

  g_assert_cmpint (unknown->status, ==, 2);
  g_assert_cmpint (bad_type->status, ==, 2);
  g_assert_cmpint (bad_date->status, ==, 2);
  g_assert_true (g_str_has_prefix (bad_date->err, "liaison-cli: --from: "));
  g_assert_cmpint (reversed->status, ==, 2);

  /* The first page lands, the second is broken: partial, exit 3. */
  g_atomic_int_set (&broken, 1);
  partial = lia_test_cli (f->db_path, NULL, "sync", "1", NULL);
  g_assert_cmpint (partial->status, ==, 3);
  g_assert_nonnull (strstr (partial->out, "INVALID_RESPONSE"));
  g_assert_cmpint (count_students (f), ==, PAGE_SIZE);
}

static void
test_connection_test (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(LiaTestResult) ok = lia_test_cli (f->db_path, NULL, "test", "1", "--json", NULL);
  g_autoptr(JsonNode) node = parse_json (ok->out);
  JsonObject *result = json_node_get_object (node);
  g_autoptr(LiaTestResult) down = NULL;
  g_autofree char *config = g_strdup ("{\"name\": \"Down\", \"kind\": \"rest\", \"baseUrl\": \"http://127.0.0.1:9\","
                                      " \"endpoints\": {\"students\": \"/students\"}}");
  g_autoptr(LiaTestResult) import = lia_test_cli (f->db_path, config, "integration", "import", "-", NULL);

  g_assert_cmpint (ok->status, ==, 0);
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  g_assert_true (json_object_get_boolean_member (result, "reachable"));
  g_assert_cmpint (json_object_get_int_member (result, "httpStatus"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (result, "responseMs"), >=, 0);

  g_assert_cmpint (import->status, ==, 0);
  down = lia_test_cli (f->db_path, NULL, "test", "2", NULL);
  g_assert_cmpint (down->status, ==, 1);
  g_assert_true (g_str_has_prefix (down->out, "CONNECTION_ERROR: "));
  g_assert_nonnull (strstr (down->out, "Check that the server is up"));
}

/* A sync killed halfway leaves a consistent database; the next run marks
 * it interrupted and completes without duplicates. */
static void
test_killed_then_resumed (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(LiaTestResult) again = NULL;
  g_autoptr(LiaTestResult) killed_run = NULL;
  gint64 landed;

  g_atomic_int_set (&delay_ms, 100);
  process = spawn_sync (f);
  wait_for_hits (f, 4);
  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (process));

  landed = count_students (f);
  g_assert_cmpint (landed, <, N_STUDENTS);
  g_assert_cmpint (landed % PAGE_SIZE, ==, 0);  /* whole pages only */

  g_atomic_int_set (&delay_ms, 0);
  again = lia_test_cli (f->db_path, NULL, "sync", "1", NULL);
  g_assert_cmpint (again->status, ==, 0);
  g_assert_cmpint (count_students (f), ==, N_STUDENTS);

  killed_run = lia_test_cli (f->db_path, NULL, "history", "show", "1", NULL);
  g_assert_nonnull (strstr (killed_run->out, ": error"));
  g_assert_nonnull (strstr (killed_run->out, "interrupted"));
}

static void
test_second_sync_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(LiaTestResult) second = NULL;
  g_autoptr(GError) error = NULL;

  g_atomic_int_set (&delay_ms, 100);
  process = spawn_sync (f);
  wait_for_hits (f, 2);
  second = lia_test_cli (f->db_path, NULL, "sync", "1", NULL);
  g_assert_cmpint (second->status, ==, 1);
  g_assert_cmpstr (second->err, ==, "liaison-cli: A sync of “College ERP” is already running\n");

  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_students (f), ==, N_STUDENTS);
}

/* SIGTERM (or Ctrl+C) cancels at a page boundary; the run says so. */
static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(LiaTestResult) history = NULL;

  g_atomic_int_set (&delay_ms, 100);
  process = spawn_sync (f);
  wait_for_hits (f, 3);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);

  history = lia_test_cli (f->db_path, NULL, "history", "--status", "cancelled", "--json", NULL);
  g_assert_nonnull (strstr (history->out, "\"status\" : \"cancelled\""));
  g_assert_cmpint (count_students (f), <, N_STUDENTS);
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/cli/sync/json", test_sync_json);
  ADD ("/cli/sync/history-and-data", test_history_and_data);
  ADD ("/cli/sync/exit-codes", test_exit_codes);
  ADD ("/cli/sync/test", test_connection_test);
  ADD ("/cli/sync/killed-then-resumed", test_killed_then_resumed);
  ADD ("/cli/sync/second-refused", test_second_sync_refused);
  ADD ("/cli/sync/cancelled", test_cancelled);
#undef ADD

  return g_test_run ();
}
