/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/stat.h>

#include "lia-database.h"
#include "lia-secrets.h"
#include "lia-test-util.h"
#include "lia-util.h"

#define SECRET "tok-9f8e7d6c5b4a-do-not-leak"

static const char erp_config[] =
  "{\n"
  "  \"name\": \"College ERP\",\n"
  "  \"kind\": \"rest\",\n"
  "  \"baseUrl\": \"https://erp.college.edu/api/v1\",\n"
  "  \"authType\": \"bearer\",\n"
  "  \"apiKey\": \"" SECRET "\",\n"
  "  \"headers\": { \"X-College-ID\": \"12345\" },\n"
  "  \"endpoints\": {\n"
  "    \"students\": \"/students/list\",\n"
  "    \"attendance\": {\n"
  "      \"path\": \"/attendance/records\",\n"
  "      \"recordsPath\": \"data\",\n"
  "      \"pagination\": { \"style\": \"page\", \"pageParam\": \"page\", \"sizeParam\": \"limit\", \"size\": 100 }\n"
  "    }\n"
  "  },\n"
  "  \"fieldMappings\": {\n"
  "    \"students\": { \"externalId\": \"studentId\", \"name\": \"name\", \"email\": \"contact.email\" },\n"
  "    \"attendance\": {\n"
  "      \"studentId\": \"studentId\",\n"
  "      \"sessionId\": \"sessionId\",\n"
  "      \"status\": { \"from\": \"attendance\", \"map\": { \"P\": \"present\", \"A\": \"absent\", \"L\": \"late\", \"E\": \"excused\" } },\n"
  "      \"timestamp\": { \"from\": \"date\", \"format\": \"%d/%m/%Y %H:%M\" }\n"
  "    }\n"
  "  },\n"
  "  \"syncInterval\": 30,\n"
  "  \"enabled\": true\n"
  "}\n";

static void
assert_no_secret (LiaTestResult *result)
{
  g_assert_null (strstr (result->out, SECRET));
  g_assert_null (strstr (result->err, SECRET));
}

/* Every file of the database (with its -wal) is searched for @secret. */
static void
assert_db_free_of (const char *db_path,
                   const char *secret)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
      g_assert_false (lia_test_file_contains (path, secret));
    }
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static gint64
import_erp (const char *db_path)
{
  g_autoptr(LiaTestResult) r = lia_test_cli (db_path, erp_config, "integration", "import", "-", NULL);
  gint64 id;

  g_assert_cmpstr (r->err, ==, "");
  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (lia_parse_id (g_strchomp (r->out), &id));
  return id;
}

static char *
database_id (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (db_path, &error);

  g_assert_no_error (error);
  return g_strdup (lia_database_get_id (db));
}

static void
test_import_and_inspect (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *db_id = NULL;
  g_autoptr(LiaSecret) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = import_erp (db_path);
  g_autoptr(LiaTestResult) list = NULL;
  g_autoptr(LiaTestResult) show = NULL;
  g_autoptr(LiaTestResult) human = NULL;
  g_autoptr(LiaTestResult) export = NULL;
  g_autoptr(JsonNode) list_json = NULL;
  g_autoptr(JsonNode) show_json = NULL;
  JsonObject *item;
  JsonObject *secrets;

  g_assert_cmpint (id, ==, 1);

  /* The secret is in the keyring, under this database's id. */
  db_id = database_id (db_path);
  stored = lia_secrets_lookup (db_id, id, "apiKey", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, SECRET);

  list = lia_test_cli (db_path, NULL, "integration", "list", "--json", NULL);
  g_assert_cmpint (list->status, ==, 0);
  list_json = parse_json (list->out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list_json)), ==, 1);
  item = json_array_get_object_element (json_node_get_array (list_json), 0);
  g_assert_cmpint (json_object_get_int_member (item, "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "College ERP");
  g_assert_cmpstr (json_object_get_string_member (item, "kind"), ==, "rest");
  g_assert_true (json_object_get_boolean_member (item, "enabled"));
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "active");
  g_assert_true (json_object_get_null_member (item, "lastSync"));

  show = lia_test_cli (db_path, NULL, "integration", "show", "1", "--json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  assert_no_secret (show);
  show_json = parse_json (show->out);
  secrets = json_object_get_object_member (json_node_get_object (show_json), "secrets");
  g_assert_cmpstr (json_object_get_string_member (secrets, "apiKey"), ==, "stored");
  g_assert_true (json_object_has_member (json_node_get_object (show_json), "config"));

  human = lia_test_cli (db_path, NULL, "integration", "show", "1", NULL);
  g_assert_cmpint (human->status, ==, 0);
  g_assert_nonnull (strstr (human->out, "College ERP"));
  assert_no_secret (human);

  /* Export prints the config without the secret, and imports again. */
  export = lia_test_cli (db_path, NULL, "integration", "export", "1", NULL);
  g_assert_cmpint (export->status, ==, 0);
  assert_no_secret (export);
  g_assert_nonnull (strstr (export->out, "\"X-College-ID\""));
  g_assert_null (strstr (export->out, "apiKey"));
  {
    g_autoptr(LiaTestResult) again = lia_test_cli (db_path, export->out, "integration", "import", "-", "--json", NULL);
    g_autoptr(JsonNode) again_json = parse_json (again->out);

    g_assert_cmpint (again->status, ==, 0);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (again_json), "id"), ==, 2);
  }

  assert_db_free_of (db_path, SECRET);
}

static void
test_import_from_file (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *db_path = g_build_filename (dir, "db.sqlite", NULL);
  g_autofree char *file = g_build_filename (dir, "erp.json", NULL);
  g_autoptr(LiaTestResult) r = NULL;
  GStatBuf st;

  g_assert_true (g_file_set_contents (file, erp_config, -1, NULL));
  r = lia_test_cli (db_path, NULL, "integration", "import", file, NULL);
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "1\n");
  assert_no_secret (r);

  g_assert_cmpint (g_stat (db_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  assert_db_free_of (db_path, SECRET);
}

/* Every error of a file is reported, one per line; nothing is stored. */
static void
test_import_invalid (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  const char bad[] =
    "{ \"name\": \"Bad\", \"kind\": \"rest\", \"baseUrl\": \"ftp://x\", \"apiKey\": \"" SECRET "\","
    "  \"authType\": \"bearer\", \"syncInterval\": 3,"
    "  \"endpoints\": { \"grades\": \"/g\" } }";
  g_autoptr(LiaTestResult) r = lia_test_cli (db_path, bad, "integration", "import", "-", NULL);
  g_autoptr(LiaTestResult) list = NULL;

  g_assert_cmpint (r->status, ==, 2);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_nonnull (strstr (r->err, "liaison-cli: baseUrl: not an http or https URL\n"));
  g_assert_nonnull (strstr (r->err, "liaison-cli: syncInterval: must be at least 5 minutes\n"));
  g_assert_nonnull (strstr (r->err, "liaison-cli: endpoints.grades: unknown data type\n"));
  assert_no_secret (r);

  list = lia_test_cli (db_path, NULL, "integration", "list", "--json", NULL);
  g_assert_cmpint (list->status, ==, 0);
  g_assert_cmpstr (g_strstrip (list->out), ==, "[]");
}

static void
test_import_not_json (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaTestResult) r = lia_test_cli (db_path, "{ \"name\": ", "integration", "import", "-", NULL);
  g_autoptr(LiaTestResult) missing = lia_test_cli (db_path, NULL, "integration", "import", "/nonexistent/x.json", NULL);

  g_assert_cmpint (r->status, ==, 2);
  g_assert_true (g_str_has_prefix (r->err, "liaison-cli: "));
  g_assert_cmpint (missing->status, ==, 1);
  g_assert_true (g_str_has_prefix (missing->err, "liaison-cli: "));
}

static void
test_remove (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  gint64 id = import_erp (db_path);
  g_autofree char *db_id = database_id (db_path);
  g_autoptr(LiaTestResult) r = lia_test_cli (db_path, NULL, "integration", "remove", "1", NULL);
  g_autoptr(LiaTestResult) again = NULL;
  g_autoptr(LiaSecret) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (r->status, ==, 0);
  stored = lia_secrets_lookup (db_id, id, "apiKey", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  again = lia_test_cli (db_path, NULL, "integration", "remove", "1", NULL);
  g_assert_cmpint (again->status, ==, 2);
  g_assert_cmpstr (again->err, ==, "liaison-cli: No integration with id 1\n");
}

static void
test_enable_disable (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaTestResult) off = NULL;
  g_autoptr(LiaTestResult) list = NULL;
  g_autoptr(LiaTestResult) export = NULL;
  g_autoptr(LiaTestResult) on = NULL;
  g_autoptr(LiaTestResult) list2 = NULL;

  import_erp (db_path);
  off = lia_test_cli (db_path, NULL, "integration", "disable", "1", NULL);
  g_assert_cmpint (off->status, ==, 0);
  list = lia_test_cli (db_path, NULL, "integration", "list", "--json", NULL);
  g_assert_nonnull (strstr (list->out, "\"status\" : \"inactive\""));
  g_assert_nonnull (strstr (list->out, "\"enabled\" : false"));
  export = lia_test_cli (db_path, NULL, "integration", "export", "1", NULL);
  g_assert_nonnull (strstr (export->out, "\"enabled\" : false"));

  on = lia_test_cli (db_path, NULL, "integration", "enable", "1", NULL);
  g_assert_cmpint (on->status, ==, 0);
  list2 = lia_test_cli (db_path, NULL, "integration", "list", "--json", NULL);
  g_assert_nonnull (strstr (list2->out, "\"status\" : \"active\""));
}

static void
test_set_secret (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  const char no_key[] = "{ \"name\": \"Moodle\", \"kind\": \"moodle\", \"baseUrl\": \"https://moodle.school.test\" }";
  g_autoptr(LiaTestResult) import = lia_test_cli (db_path, no_key, "integration", "import", "-", NULL);
  g_autoptr(LiaTestResult) missing = NULL;
  g_autoptr(LiaTestResult) set = NULL;
  g_autoptr(LiaTestResult) wrong_field = NULL;
  g_autoptr(LiaTestResult) empty = NULL;
  g_autoptr(LiaTestResult) shown = NULL;
  g_autofree char *db_id = NULL;
  g_autoptr(LiaSecret) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (import->status, ==, 0);
  missing = lia_test_cli (db_path, NULL, "integration", "show", "1", "--json", NULL);
  g_assert_nonnull (strstr (missing->out, "\"apiKey\" : \"missing\""));

  set = lia_test_cli (db_path, SECRET "\n", "integration", "set-secret", "1", "apiKey", NULL);
  g_assert_cmpint (set->status, ==, 0);
  assert_no_secret (set);
  db_id = database_id (db_path);
  stored = lia_secrets_lookup (db_id, 1, "apiKey", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, SECRET);

  shown = lia_test_cli (db_path, NULL, "integration", "show", "1", "--json", NULL);
  g_assert_nonnull (strstr (shown->out, "\"apiKey\" : \"stored\""));

  wrong_field = lia_test_cli (db_path, "x", "integration", "set-secret", "1", "password", NULL);
  g_assert_cmpint (wrong_field->status, ==, 2);
  g_assert_nonnull (strstr (wrong_field->err, "password: not a secret this integration uses"));

  empty = lia_test_cli (db_path, "", "integration", "set-secret", "1", "apiKey", NULL);
  g_assert_cmpint (empty->status, ==, 2);

  assert_db_free_of (db_path, SECRET);
}

/* Without a Secret Service the import fails with one line, stores
 * nothing, and leaks nothing. */
static void
test_no_keyring (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  const char *env[] = { "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/liaison-bus", NULL };
  const char *args[] = { "--db", db_path, "integration", "import", "-", NULL };
  g_autoptr(LiaTestResult) r = lia_test_cli_env (env, erp_config, args);
  g_autoptr(LiaTestResult) list = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (r->status, ==, 1);
  lines = g_strsplit (r->err, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (r->err, "gnome-keyring-daemon"));
  assert_no_secret (r);

  list = lia_test_cli (db_path, NULL, "integration", "list", "--json", NULL);
  g_assert_cmpstr (g_strstrip (list->out), ==, "[]");
  assert_db_free_of (db_path, SECRET);
}

static void
test_too_new_database (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaTestResult) r = NULL;
  sqlite3 *handle;

  g_assert_cmpint (sqlite3_open (db_path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);

  r = lia_test_cli (db_path, NULL, "integration", "list", NULL);
  g_assert_cmpint (r->status, ==, 1);
  g_assert_nonnull (strstr (r->err, "newer version of Liaison"));
}

static void
test_database_from_environment (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autofree char *env_db = g_strconcat ("LIAISON_DB=", db_path, NULL);
  const char *env[] = { env_db, NULL };
  const char *args[] = { "integration", "import", "-", NULL };
  g_autoptr(LiaTestResult) r = lia_test_cli_env (env, erp_config, args);

  g_assert_cmpint (r->status, ==, 0);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_EXISTS));
}

static void
test_usage (void)
{
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(LiaTestResult) none = lia_test_cli (NULL, NULL, NULL);
  g_autoptr(LiaTestResult) help = lia_test_cli (NULL, NULL, "--help", NULL);
  g_autoptr(LiaTestResult) unknown = lia_test_cli (NULL, NULL, "frobnicate", NULL);
  g_autoptr(LiaTestResult) sub_help = lia_test_cli (NULL, NULL, "integration", "import", "--help", NULL);
  g_autoptr(LiaTestResult) bad_id = lia_test_cli (db_path, NULL, "integration", "show", "abc", NULL);
  g_autoptr(LiaTestResult) no_such = lia_test_cli (db_path, NULL, "integration", "show", "42", NULL);
  g_autoptr(LiaTestResult) bad_option = lia_test_cli (db_path, NULL, "integration", "list", "--frob", NULL);
  g_autoptr(LiaTestResult) version = lia_test_cli (NULL, NULL, "--version", NULL);

  g_assert_cmpint (none->status, ==, 2);
  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "integration"));
  g_assert_cmpint (unknown->status, ==, 2);
  g_assert_cmpstr (unknown->err, ==, "liaison-cli: “frobnicate” is not a command; see “liaison-cli --help”\n");
  g_assert_cmpint (sub_help->status, ==, 0);
  g_assert_nonnull (strstr (sub_help->out, "--db"));
  g_assert_cmpint (bad_id->status, ==, 2);
  g_assert_cmpint (no_such->status, ==, 2);
  g_assert_cmpint (bad_option->status, ==, 2);
  g_assert_cmpint (version->status, ==, 0);
  g_assert_true (g_str_has_prefix (version->out, "liaison-cli "));
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/cli/import-and-inspect", test_import_and_inspect);
  g_test_add_func ("/cli/import-from-file", test_import_from_file);
  g_test_add_func ("/cli/import-invalid", test_import_invalid);
  g_test_add_func ("/cli/import-not-json", test_import_not_json);
  g_test_add_func ("/cli/remove", test_remove);
  g_test_add_func ("/cli/enable-disable", test_enable_disable);
  g_test_add_func ("/cli/set-secret", test_set_secret);
  g_test_add_func ("/cli/no-keyring", test_no_keyring);
  g_test_add_func ("/cli/too-new-database", test_too_new_database);
  g_test_add_func ("/cli/database-from-environment", test_database_from_environment);
  g_test_add_func ("/cli/usage", test_usage);

  return g_test_run ();
}
