/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-form-model"

#include "config.h"

#include <string.h>

#include "lia-database.h"
#include "lia-form-model.h"
#include "lia-form-tasks.h"
#include "lia-integration-store.h"
#include "lia-secrets.h"
#include "lia-test-server.h"
#include "lia-test-util.h"

/* The integration form without a display: its values, the config they
 * make, where each broken rule shows, and its worker tasks against a real
 * HTTP server and the test session's keyring. */

#define TOKEN "s3cret-t0ken"

/* --- Helpers ------------------------------------------------------------- */

static LiaFormCheck *
check_model (LiaFormModel *model)
{
  return lia_form_model_check (model, LIA_FORM_BUILD_OFFLINE);
}

static void
assert_error (LiaFormModel *model,
              const char   *key,
              const char   *message)
{
  g_autoptr(LiaFormCheck) check = check_model (model);

  g_assert_false (lia_form_check_is_valid (check));
  g_assert_null (lia_form_check_get_config (check));
  g_assert_cmpstr (lia_form_check_get_error (check, key), ==, message);
}

static void
assert_valid (LiaFormModel *model)
{
  g_autoptr(LiaFormCheck) check = check_model (model);

  for (guint i = 0; i < lia_form_check_get_n_errors (check); i++)
    {
      const LiaFormError *error = lia_form_check_get_nth_error (check, i);
      g_test_message ("unexpected: %s (%s): %s", error->key, error->path, error->message);
    }
  g_assert_true (lia_form_check_is_valid (check));
  g_assert_nonnull (lia_form_check_get_config (check));
}

static LiaFormModel *
filled_rest (void)
{
  LiaFormModel *model = lia_form_model_new (LIA_KIND_REST);

  lia_form_model_set_text (model, "name", "College ERP");
  lia_form_model_set_text (model, "baseUrl", "https://erp.example.edu/api");
  lia_form_model_set_secret (model, LIA_FORM_SECRET_API_KEY, TOKEN);
  return model;
}

static char *
to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* --- Rules, shown on their fields ---------------------------------------- */

static void
test_bad_url (void)
{
  g_autoptr(LiaFormModel) model = filled_rest ();

  assert_valid (model);

  lia_form_model_set_text (model, "baseUrl", "erp.example.edu/api");
  assert_error (model, "baseUrl", "not an http or https URL");

  lia_form_model_set_text (model, "baseUrl", "https://admin:pw@erp.example.edu");
  assert_error (model, "baseUrl", "must not contain credentials; use authType");

  lia_form_model_set_text (model, "baseUrl", "");
  assert_error (model, "baseUrl", "required");
}

static void
test_interval (void)
{
  g_autoptr(LiaFormModel) model = filled_rest ();

  model->sync_interval = 3;
  assert_error (model, "syncInterval", "must be at least 5 minutes");
  model->sync_interval = 20000;
  assert_error (model, "syncInterval", "must be at most 10080 minutes (a week)");
  model->sync_interval = 5;
  assert_valid (model);
}

static void
test_missing_credentials (void)
{
  g_autoptr(LiaFormModel) model = filled_rest ();
  g_autoptr(LiaFormCheck) check = NULL;

  /* A config file may leave its token for later; the form may not. */
  lia_form_model_set_secret (model, LIA_FORM_SECRET_API_KEY, NULL);
  assert_error (model, "apiKey", "required");

  /* Editing: the keyring has it. */
  model->stored[LIA_FORM_SECRET_API_KEY] = TRUE;
  assert_valid (model);
  check = check_model (model);
  g_assert_null (lia_config_secrets_get (lia_form_check_get_secrets (check), "apiKey"));
  model->stored[LIA_FORM_SECRET_API_KEY] = FALSE;

  lia_form_model_set_auth_type (model, LIA_AUTH_BASIC);
  assert_error (model, "password", "required");
  assert_error (model, "username", "required for authType basic");
  lia_form_model_set_text (model, "username", "sync");
  lia_form_model_set_secret (model, LIA_FORM_SECRET_PASSWORD, "pw");
  assert_valid (model);

  /* A client secret is optional; a client id is not. */
  lia_form_model_set_auth_type (model, LIA_AUTH_OAUTH2);
  assert_error (model, "oauth.clientId", "required");
  lia_form_model_set_text (model, "oauth.clientId", "liaison");
  assert_valid (model);

  lia_form_model_set_auth_type (model, LIA_AUTH_NONE);
  assert_valid (model);
}

static void
test_headers (void)
{
  g_autoptr(LiaFormModel) model = filled_rest ();
  g_autoptr(LiaFormCheck) check = NULL;
  GPtrArray *headers;

  lia_form_model_add_header (model, "X-College-ID", "12345");
  lia_form_model_add_header (model, "", "");  /* just added, still blank */
  assert_valid (model);

  lia_form_model_add_header (model, "Bad Name", "1");
  assert_error (model, "headers.2", "not a valid HTTP header name");
  lia_form_model_set_header (model, 2, "Authorization", "Bearer x");
  assert_error (model, "headers.2", "credentials go in apiKey or password, not in headers");
  lia_form_model_set_header (model, 2, "x-college-id", "2");
  assert_error (model, "headers.2", "this header is already set above");
  lia_form_model_set_header (model, 2, "", "2");
  assert_error (model, "headers.2", "enter the header’s name");
  lia_form_model_set_header (model, 2, "X-Campus", "North");
  assert_valid (model);

  lia_form_model_remove_header (model, 1);
  check = check_model (model);
  headers = lia_form_check_get_config (check)->headers;
  g_assert_cmpuint (headers->len, ==, 2);
  g_assert_cmpstr (((LiaPair *) g_ptr_array_index (headers, 1))->name, ==, "X-Campus");
  g_assert_cmpstr (((LiaPair *) g_ptr_array_index (headers, 1))->value, ==, "North");
}

static void
test_error_keys (void)
{
  g_autoptr(LiaFormModel) model = filled_rest ();
  g_autoptr(LiaFormCheck) check = NULL;
  LiaFormMapping *mapping;

  lia_form_model_set_text (model, "endpoints.students.path", "students");
  assert_error (model, "endpoints.students.path", "must start with /");
  lia_form_model_set_text (model, "endpoints.students.path", "/students");

  lia_form_model_set_text (model, "endpoints.students.pagination.style", "cursor");
  assert_error (model, "endpoints.students.pagination.cursorParam", "required for style cursor");
  lia_form_model_set_text (model, "endpoints.students.pagination.cursorParam", "after");
  lia_form_model_set_text (model, "endpoints.students.pagination.cursorPath", "meta.next");
  lia_form_model_set_text (model, "endpoints.students.pagination.size", "lots");
  assert_error (model, "endpoints.students.pagination.size", "must be a whole number");
  lia_form_model_set_text (model, "endpoints.students.pagination.size", "0");
  assert_error (model, "endpoints.students.pagination.size", "must be between 1 and 10000");
  lia_form_model_set_text (model, "endpoints.students.pagination.size", "100");
  /* The page style's keys are not written for a cursor. */
  lia_form_model_set_text (model, "endpoints.students.pagination.pageParam", "p");
  assert_valid (model);

  lia_form_model_set_text (model, "endpoints.students.path", "");
  assert_error (model, "endpoints.students.path", "required");
  lia_form_model_set_text (model, "endpoints.students.pagination.style", "none");
  assert_error (model, "endpoints", "give the path of at least one data type");
  lia_form_model_set_text (model, "endpoints.timetable.path", "/events");

  mapping = lia_form_model_get_mapping (model, LIA_DATA_TYPE_TIMETABLE, "start", TRUE);
  mapping->from = g_strdup ("begins");
  mapping->format = g_strdup ("%Q");
  check = check_model (model);
  g_assert_nonnull (lia_form_check_get_error (check, "fieldMappings.timetable.start"));
  g_assert_nonnull (lia_form_check_find_path (check, "fieldMappings.timetable.start.format"));
  g_assert_cmpuint (lia_form_check_count_prefix (check, "fieldMappings.timetable"), ==, 1);
  g_assert_cmpuint (lia_form_check_count_prefix (check, "fieldMappings"), ==, 1);
  g_assert_cmpuint (lia_form_check_count_prefix (check, "fieldMappings.time"), ==, 0);
  g_clear_pointer (&mapping->format, g_free);
  mapping->format = g_strdup ("%d/%m/%Y %H:%M");
  assert_valid (model);

  lia_form_model_set_auth_type (model, LIA_AUTH_OAUTH2);
  lia_form_model_set_text (model, "oauth.provider", "generic");
  lia_form_model_set_text (model, "oauth.clientId", "liaison");
  assert_error (model, "oauth.issuer", "give issuer, or authorizationUrl and tokenUrl");
  lia_form_model_set_text (model, "oauth.issuer", "http://login.example.edu");
  assert_error (model, "oauth.issuer", "must be https (http only on a loopback address)");
  lia_form_model_set_text (model, "oauth.issuer", "https://login.example.edu");
  assert_valid (model);

  model->timeout_seconds = 0;
  assert_error (model, "timeoutSeconds", "must be between 1 and 600");
}

static void
test_error_order (void)
{
  g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_REST);
  g_autoptr(LiaFormCheck) check = NULL;

  lia_form_model_set_text (model, "name", "");
  model->sync_interval = 1;
  check = check_model (model);

  /* In the form's order, whatever order the config found them in. */
  g_assert_cmpuint (lia_form_check_get_n_errors (check), ==, 4);
  g_assert_cmpstr (lia_form_check_get_nth_error (check, 0)->key, ==, "name");
  g_assert_cmpstr (lia_form_check_get_nth_error (check, 1)->key, ==, "baseUrl");
  g_assert_cmpstr (lia_form_check_get_nth_error (check, 2)->key, ==, "apiKey");
  g_assert_cmpstr (lia_form_check_get_nth_error (check, 3)->key, ==, "syncInterval");
}

/* --- Templates ----------------------------------------------------------- */

static void
test_templates (void)
{
  g_autoptr(LiaFormCheck) check = NULL;
  LiaConfig *config;

  /* Moodle: the URL and the token, nothing else. */
  {
    g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_MOODLE);

    g_assert_cmpstr (model->name, ==, "Moodle");
    assert_error (model, "baseUrl", "required");
    assert_error (model, "apiKey", "required");
    lia_form_model_set_text (model, "baseUrl", "https://moodle.example.edu");
    lia_form_model_set_secret (model, LIA_FORM_SECRET_API_KEY, TOKEN);
    assert_valid (model);
    check = check_model (model);
    config = lia_form_check_get_config (check);
    g_assert_cmpint (config->kind, ==, LIA_KIND_MOODLE);
    g_assert_cmpint (config->auth_type, ==, LIA_AUTH_API_KEY);
    g_assert_cmpstr (lia_config_secrets_get (lia_form_check_get_secrets (check), "apiKey"), ==, TOKEN);
    g_clear_pointer (&check, lia_form_check_free);
  }

  /* Canvas: the URL and the token. */
  {
    g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_CANVAS);

    g_assert_cmpuint (lia_form_model_allowed_auth (model), ==, (1u << LIA_AUTH_BEARER) | (1u << LIA_AUTH_OAUTH2));
    assert_error (model, "apiKey", "required");
    lia_form_model_set_text (model, "baseUrl", "https://school.instructure.com");
    lia_form_model_set_secret (model, LIA_FORM_SECRET_API_KEY, TOKEN);
    assert_valid (model);
    check = check_model (model);
    g_assert_cmpint (lia_form_check_get_config (check)->auth_type, ==, LIA_AUTH_BEARER);
    g_clear_pointer (&check, lia_form_check_free);
  }

  /* A folder, and students*.csv in it. */
  {
    g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_FILE);

    assert_error (model, "folder", "required");
    lia_form_model_set_text (model, "folder", "exports");
    assert_error (model, "folder", "must be an absolute path");
    lia_form_model_set_text (model, "folder", "/srv/sis-exports");
    assert_valid (model);
    check = check_model (model);
    config = lia_form_check_get_config (check);
    g_assert_cmpstr (config->endpoints[LIA_DATA_TYPE_STUDENTS]->path, ==, "students*.csv");
    g_assert_cmpint (config->auth_type, ==, LIA_AUTH_NONE);
    g_clear_pointer (&check, lia_form_check_free);
  }

  /* Generic REST: a students endpoint and a token. */
  {
    g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_REST);

    lia_form_model_set_text (model, "baseUrl", "https://erp.example.edu");
    assert_error (model, "apiKey", "required");
    lia_form_model_set_secret (model, LIA_FORM_SECRET_API_KEY, TOKEN);
    assert_valid (model);
    check = check_model (model);
    config = lia_form_check_get_config (check);
    g_assert_cmpstr (config->endpoints[LIA_DATA_TYPE_STUDENTS]->path, ==, "/students");
    g_assert_cmpint (config->auth_type, ==, LIA_AUTH_BEARER);
    g_assert_cmpint (config->sync_interval, ==, 60);
    g_assert_true (config->enabled);
  }
}

static void
test_apply_template (void)
{
  g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_REST);

  /* The template's own name follows the template. */
  lia_form_model_set_text (model, "baseUrl", "https://lms.example.edu");
  lia_form_model_set_secret (model, LIA_FORM_SECRET_API_KEY, TOKEN);
  lia_form_model_apply_template (model, LIA_KIND_MOODLE);
  g_assert_cmpstr (model->name, ==, "Moodle");
  g_assert_cmpstr (model->base_url, ==, "https://lms.example.edu");
  g_assert_cmpstr (model->secrets[LIA_FORM_SECRET_API_KEY], ==, TOKEN);
  assert_valid (model);

  /* A typed name stays; a folder kind has no URL or token. */
  lia_form_model_set_text (model, "name", "District Files");
  lia_form_model_apply_template (model, LIA_KIND_FILE);
  g_assert_cmpstr (model->name, ==, "District Files");
  g_assert_null (model->base_url);
  g_assert_null (model->secrets[LIA_FORM_SECRET_API_KEY]);
  g_assert_cmpstr (model->endpoints[LIA_DATA_TYPE_STUDENTS].path, ==, "students*.csv");
}

/* --- Round trips --------------------------------------------------------- */

static const char * const round_trip_configs[] = {
  /* The README's example. */
  "{\"name\": \"College ERP\", \"kind\": \"rest\", \"baseUrl\": \"https://erp.college.edu/api/v1\","
  " \"authType\": \"bearer\", \"headers\": {\"X-College-ID\": \"12345\"},"
  " \"endpoints\": {\"students\": \"/students/list\","
  "   \"attendance\": {\"path\": \"/attendance/records\", \"recordsPath\": \"data\","
  "     \"pagination\": {\"style\": \"page\", \"pageParam\": \"page\", \"sizeParam\": \"limit\", \"size\": 100}}},"
  " \"fieldMappings\": {"
  "   \"students\": {\"externalId\": \"studentId\", \"name\": \"name\", \"email\": \"contact.email\"},"
  "   \"attendance\": {\"studentId\": \"studentId\", \"sessionId\": \"sessionId\","
  "     \"status\": {\"from\": \"attendance\", \"map\": {\"P\": \"present\", \"A\": \"absent\", \"L\": \"late\", \"E\": \"excused\"}},"
  "     \"timestamp\": {\"from\": \"date\", \"format\": \"%d/%m/%Y %H:%M\"}}},"
  " \"syncInterval\": 30, \"enabled\": true}",

  /* Every other corner the form keeps. */
  "{\"name\": \"SIS\", \"kind\": \"rest\", \"baseUrl\": \"http://127.0.0.1:8080\","
  " \"authType\": \"api-key\", \"apiKeyQuery\": \"key\", \"headers\": {},"
  " \"endpoints\": {"
  "   \"faculty\": {\"path\": \"/staff\", \"method\": \"POST\", \"query\": {\"active\": true, \"limit\": 50},"
  "     \"recordsPath\": \"\", \"sinceParam\": \"updated_since\","
  "     \"pagination\": {\"style\": \"cursor\", \"cursorParam\": \"after\", \"cursorPath\": \"meta.next\", \"size\": 25}},"
  "   \"subjects\": {\"path\": \"/courses\", \"pagination\": {\"style\": \"none\"}},"
  "   \"marks\": {\"path\": \"/marks\", \"pagination\": {\"style\": \"offset\", \"offsetParam\": \"skip\", \"totalPath\": \"total\"}},"
  "   \"timetable\": {\"path\": \"/events\", \"pagination\": {\"style\": \"page\", \"startPage\": 0}},"
  "   \"custom\": {\"path\": \"/misc\", \"pagination\": {\"style\": \"link\", \"sizeParam\": \"per_page\"}}},"
  " \"fieldMappings\": {"
  "   \"marks\": {\"score\": {\"from\": \"result.value\", \"default\": 0, \"required\": false},"
  "     \"maxScore\": {\"default\": 100.5}, \"assessment\": {\"from\": \"exam\", \"transform\": \"trim\", \"required\": true},"
  "     \"studentId\": {\"from\": \"pupil\"}},"
  "   \"custom\": {\"room.number\": \"room\"}, \"faculty\": {}},"
  " \"timezone\": \"Europe/Paris\", \"timeoutSeconds\": 60, \"maxRetries\": 0, \"enabled\": false}",

  "{\"name\": \"Moodle\", \"kind\": \"moodle\", \"baseUrl\": \"https://moodle.example.edu\","
  " \"endpoints\": {\"students\": {\"path\": \"core_enrol_get_enrolled_users\", \"query\": {\"courseid\": 7}}}}",

  "{\"name\": \"Drop\", \"kind\": \"file\", \"folder\": \"/srv/drop\", \"authType\": \"none\","
  " \"endpoints\": {\"attendance\": \"attendance-*.csv\"}, \"syncInterval\": 60}",

  "{\"name\": \"Canvas 365\", \"kind\": \"canvas\", \"baseUrl\": \"https://canvas.example.edu\","
  " \"authType\": \"oauth2\", \"oauth\": {\"provider\": \"microsoft\", \"clientId\": \"abc\","
  "   \"tenant\": \"school.example.edu\", \"scopes\": [\"openid\", \"offline_access\"]}}",

  "{\"name\": \"Keycloak\", \"kind\": \"rest\", \"baseUrl\": \"https://api.example.edu\","
  " \"authType\": \"oauth2\", \"oauth\": {\"authorizationUrl\": \"https://id.example.edu/auth\","
  "   \"tokenUrl\": \"https://id.example.edu/token\", \"revocationUrl\": \"https://id.example.edu/revoke\","
  "   \"userinfoUrl\": \"https://id.example.edu/me\", \"clientId\": \"liaison\", \"scopes\": []},"
  " \"endpoints\": {\"students\": \"/students\"}}",

  "{\"name\": \"Basic\", \"kind\": \"rest\", \"baseUrl\": \"https://b.example.edu\", \"authType\": \"basic\","
  " \"username\": \"sync\", \"endpoints\": {\"students\": \"/s\"}, \"fieldMappings\": {}}",
};

static void
test_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (round_trip_configs); i++)
    {
      g_autoptr(LiaConfig) config = lia_test_config (round_trip_configs[i], NULL);
      g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_REST);
      g_autoptr(LiaFormModel) copy = NULL;
      g_autoptr(JsonNode) original = lia_config_to_json (config);
      g_autoptr(JsonNode) built = NULL;
      g_autoptr(JsonNode) built_copy = NULL;
      g_autofree char *original_text = to_string (original);
      g_autofree char *built_text = NULL;

      lia_form_model_load (model, config, NULL);
      built = lia_form_model_build (model, LIA_FORM_BUILD_NONE);
      built_text = to_string (built);
      g_test_message ("config %u:\n%s\nbuilt:\n%s", i, original_text, built_text);
      g_assert_true (json_node_equal (original, built));

      /* A copy builds the same. */
      copy = lia_form_model_copy (model);
      built_copy = lia_form_model_build (copy, LIA_FORM_BUILD_NONE);
      g_assert_true (json_node_equal (built, built_copy));
    }
}

static void
test_load_secrets (void)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_MOODLE);
  g_autoptr(JsonNode) built = NULL;
  g_autofree char *text = NULL;

  config = lia_test_config ("{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"https://erp.example.edu\","
                            " \"authType\": \"bearer\", \"apiKey\": \"" TOKEN "\","
                            " \"endpoints\": {\"students\": \"/students\"}}", &secrets);
  model->integration_id = 7;
  lia_form_model_load (model, config, secrets);

  g_assert_cmpint (model->integration_id, ==, 7);
  g_assert_cmpint (model->kind, ==, LIA_KIND_REST);
  g_assert_cmpstr (model->secrets[LIA_FORM_SECRET_API_KEY], ==, TOKEN);
  assert_valid (model);

  /* Built for export, the config has no secret. */
  built = lia_form_model_build (model, LIA_FORM_BUILD_NONE);
  text = to_string (built);
  g_assert_null (strstr (text, TOKEN));
}

/* --- Tasks --------------------------------------------------------------- */

static void
handle_school (SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);

  if (g_strcmp0 (soup_message_headers_get_one (headers, "Authorization"), "Bearer " TOKEN) != 0)
    {
      lia_test_reply_json (message, 401, "{\"error\": \"unauthorized\"}");
      return;
    }
  if (g_str_equal (path, "/students"))
    {
      lia_test_reply_json (message, 200,
                           "{\"data\": ["
                           "{\"id\": \"s1\", \"fullName\": \"Ada Lovelace\", \"contact\": {\"email\": \"ada@school.test\"}},"
                           "{\"id\": \"s2\", \"fullName\": \"Alan Turing\", \"contact\": {}},"
                           "{\"fullName\": \"Nobody\"}"
                           "]}");
      return;
    }
  lia_test_reply_json (message, 404, "{}");
}

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
store_result_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static GAsyncResult *
wait_for_result (Wait *wait)
{
  g_main_loop_run (wait->loop);
  return wait->result;
}

static LiaFormModel *
school_model (LiaTestServer *server)
{
  LiaFormModel *model = filled_rest ();
  LiaFormMapping *mapping;

  lia_form_model_set_text (model, "baseUrl", lia_test_server_get_url (server));
  lia_form_model_set_text (model, "endpoints.students.recordsPath", "data");
  mapping = lia_form_model_get_mapping (model, LIA_DATA_TYPE_STUDENTS, "externalId", TRUE);
  mapping->from = g_strdup ("id");
  mapping = lia_form_model_get_mapping (model, LIA_DATA_TYPE_STUDENTS, "name", TRUE);
  mapping->from = g_strdup ("fullName");
  mapping = lia_form_model_get_mapping (model, LIA_DATA_TYPE_STUDENTS, "email", TRUE);
  mapping->from = g_strdup ("contact.email");
  mapping->required = TRUE;
  return model;
}

static void
test_task_sample (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new (handle_school, NULL);
  g_autoptr(LiaFormModel) model = school_model (server);
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(LiaFormSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, NULL };
  LiaFormSampleRow *row;

  lia_form_fetch_sample_async (db_path, model, LIA_DATA_TYPE_STUDENTS, NULL, store_result_cb, &wait);
  sample = lia_form_fetch_sample_finish (wait_for_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  g_assert_cmpuint (sample->n_records, ==, 3);
  g_assert_cmpuint (sample->rows->len, ==, 3);
  g_assert_cmpstr (sample->columns[0], ==, "externalId");
  g_assert_cmpstr (sample->columns[2], ==, "email");
  row = g_ptr_array_index (sample->rows, 0);
  g_assert_null (row->error);
  g_assert_cmpstr (row->values[0], ==, "s1");
  g_assert_cmpstr (row->values[1], ==, "Ada Lovelace");
  g_assert_cmpstr (row->values[2], ==, "ada@school.test");
  row = g_ptr_array_index (sample->rows, 1);
  g_assert_cmpstr (row->error, ==, "email: missing (nothing at contact.email)");
  row = g_ptr_array_index (sample->rows, 2);
  g_assert_nonnull (row->error);

  /* No endpoint for the type: said so, nothing fetched. */
  lia_form_fetch_sample_async (db_path, model, LIA_DATA_TYPE_MARKS, NULL, store_result_cb, &wait);
  g_assert_null (lia_form_fetch_sample_finish (wait_for_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Without a token there is nothing to send. */
  lia_form_model_set_secret (model, LIA_FORM_SECRET_API_KEY, NULL);
  model->stored[LIA_FORM_SECRET_API_KEY] = TRUE;  /* as if, but unsaved */
  lia_form_fetch_sample_async (db_path, model, LIA_DATA_TYPE_STUDENTS, NULL, store_result_cb, &wait);
  g_assert_null (lia_form_fetch_sample_finish (wait_for_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_nonnull (error);
}

static void
test_task_test (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new (handle_school, NULL);
  g_autoptr(LiaFormModel) model = school_model (server);
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  LiaConnectionTest result = { 0 };
  Wait wait = { loop, NULL };

  lia_form_test_async (db_path, model, NULL, store_result_cb, &wait);
  g_assert_true (lia_form_test_finish (wait_for_result (&wait), &result, &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_true (result.reachable);
  g_assert_cmpuint (result.http_status, ==, 200);
  g_assert_null (result.code);
  lia_connection_test_clear (&result);

  lia_form_model_set_secret (model, LIA_FORM_SECRET_API_KEY, "wrong");
  lia_form_test_async (db_path, model, NULL, store_result_cb, &wait);
  g_assert_true (lia_form_test_finish (wait_for_result (&wait), &result, &error));
  g_clear_object (&wait.result);
  g_assert_cmpuint (result.http_status, ==, 401);
  g_assert_cmpstr (result.code, ==, "INVALID_CREDENTIALS");
  lia_connection_test_clear (&result);
}

static void
test_task_save_load (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new (handle_school, NULL);
  g_autoptr(LiaFormModel) model = school_model (server);
  g_autoptr(LiaFormModel) loaded = NULL;
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  LiaOAuthStatus status = { 0 };
  Wait wait = { loop, NULL };
  gint64 id;

  lia_form_save_async (db_path, model, NULL, store_result_cb, &wait);
  id = lia_form_save_finish (wait_for_result (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  db = lia_database_open (db_path, &error);
  g_assert_no_error (error);
  secret = lia_secrets_lookup (lia_database_get_id (db), id, "apiKey", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, TOKEN);
  g_assert_false (lia_test_file_contains (db_path, TOKEN));

  lia_form_load_async (db_path, id, NULL, store_result_cb, &wait);
  loaded = lia_form_load_finish (wait_for_result (&wait), &status, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->integration_id, ==, id);
  g_assert_cmpstr (loaded->name, ==, "College ERP");
  g_assert_null (loaded->secrets[LIA_FORM_SECRET_API_KEY]);
  g_assert_true (loaded->stored[LIA_FORM_SECRET_API_KEY]);
  g_assert_false (status.connected);
  assert_valid (loaded);

  /* A new name only: the stored token stays, and still works. */
  lia_form_model_set_text (loaded, "name", "College ERP (North)");
  lia_form_save_async (db_path, loaded, NULL, store_result_cb, &wait);
  g_assert_cmpint (lia_form_save_finish (wait_for_result (&wait), &error), ==, id);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  integration = lia_integration_store_get (db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (integration->name, ==, "College ERP (North)");
  g_clear_pointer (&secret, g_free);
  secret = lia_secrets_lookup (lia_database_get_id (db), id, "apiKey", NULL, &error);
  g_assert_cmpstr (secret, ==, TOKEN);

  {
    LiaConnectionTest result = { 0 };

    lia_form_test_async (db_path, loaded, NULL, store_result_cb, &wait);
    g_assert_true (lia_form_test_finish (wait_for_result (&wait), &result, &error));
    g_clear_object (&wait.result);
    g_assert_cmpuint (result.http_status, ==, 200);
    lia_connection_test_clear (&result);
  }

  /* A missing integration is an error, not a crash. */
  lia_form_load_async (db_path, id + 100, NULL, store_result_cb, &wait);
  g_assert_null (lia_form_load_finish (wait_for_result (&wait), NULL, &error));
  g_clear_object (&wait.result);
  g_assert_nonnull (error);
}

static void
test_task_import_export (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *in_path = g_build_filename (dir, "in.json", NULL);
  g_autofree char *out_path = g_build_filename (dir, "out.json", NULL);
  g_autoptr(GFile) in_file = g_file_new_for_path (in_path);
  g_autoptr(GFile) out_file = g_file_new_for_path (out_path);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(LiaConfig) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *written = NULL;
  Wait wait = { loop, NULL };

  g_assert_true (g_file_set_contents (in_path, round_trip_configs[0], -1, NULL));
  {
    g_autofree char *with_key = NULL;
    g_autoptr(GString) text = g_string_new (round_trip_configs[0]);

    g_string_replace (text, "\"authType\": \"bearer\",", "\"authType\": \"bearer\", \"apiKey\": \"" TOKEN "\",", 1);
    with_key = g_string_free (g_steal_pointer (&text), FALSE);
    g_assert_true (g_file_set_contents (in_path, with_key, -1, NULL));
  }

  lia_form_import_async (in_file, NULL, store_result_cb, &wait);
  config = lia_form_import_finish (wait_for_result (&wait), &secrets, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_cmpstr (lia_config_secrets_get (secrets, "apiKey"), ==, TOKEN);

  {
    g_autoptr(LiaFormModel) model = lia_form_model_new (LIA_KIND_MOODLE);

    lia_form_model_load (model, config, secrets);
    lia_form_export_async (out_file, model, NULL, store_result_cb, &wait);
  }
  g_assert_true (lia_form_export_finish (wait_for_result (&wait), &error));
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  g_assert_false (lia_test_file_contains (out_path, TOKEN));

  g_assert_true (g_file_get_contents (out_path, &written, NULL, NULL));
  again = lia_config_parse_data (written, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->name, ==, "College ERP");

  /* Not JSON: the parser's words, with a line and column. */
  g_assert_true (g_file_set_contents (in_path, "{\"name\": ", -1, NULL));
  lia_form_import_async (in_file, NULL, store_result_cb, &wait);
  g_assert_null (lia_form_import_finish (wait_for_result (&wait), NULL, &error));
  g_clear_object (&wait.result);
  g_assert_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_SYNTAX);
}

int
main (int   argc,
      char *argv[])
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/form/model/bad-url", test_bad_url);
  g_test_add_func ("/form/model/interval", test_interval);
  g_test_add_func ("/form/model/missing-credentials", test_missing_credentials);
  g_test_add_func ("/form/model/headers", test_headers);
  g_test_add_func ("/form/model/error-keys", test_error_keys);
  g_test_add_func ("/form/model/error-order", test_error_order);
  g_test_add_func ("/form/model/templates", test_templates);
  g_test_add_func ("/form/model/apply-template", test_apply_template);
  g_test_add_func ("/form/model/round-trip", test_round_trip);
  g_test_add_func ("/form/model/load-secrets", test_load_secrets);
  g_test_add_func ("/form/tasks/sample", test_task_sample);
  g_test_add_func ("/form/tasks/test", test_task_test);
  g_test_add_func ("/form/tasks/save-load", test_task_save_load);
  g_test_add_func ("/form/tasks/import-export", test_task_import_export);

  return g_test_run ();
}
