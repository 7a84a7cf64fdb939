/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "lia-config.h"

/* Configs are written with single quotes to keep them readable here;
 * parse() turns them into double quotes. */

#define REST "'name': 'ERP', 'kind': 'rest', 'baseUrl': 'https://erp.example/api', " \
             "'endpoints': {'students': '/students'}"

static const char example[] =
  "{\n"
  "  'name': 'College ERP',\n"
  "  'kind': 'rest',\n"
  "  'baseUrl': 'https://erp.college.edu/api/v1',\n"
  "  'authType': 'bearer',\n"
  "  'apiKey': 'the-token',\n"
  "  'headers': { 'X-College-ID': '12345' },\n"
  "  'endpoints': {\n"
  "    'students': '/students/list',\n"
  "    'attendance': {\n"
  "      'path': '/attendance/records',\n"
  "      'recordsPath': 'data',\n"
  "      'pagination': { 'style': 'page', 'pageParam': 'page', 'sizeParam': 'limit', 'size': 100 }\n"
  "    }\n"
  "  },\n"
  "  'fieldMappings': {\n"
  "    'students': { 'externalId': 'studentId', 'name': 'name', 'email': 'contact.email' },\n"
  "    'attendance': {\n"
  "      'studentId': 'studentId',\n"
  "      'sessionId': 'sessionId',\n"
  "      'status': { 'from': 'attendance', 'map': { 'P': 'present', 'A': 'absent', 'L': 'late', 'E': 'excused' } },\n"
  "      'timestamp': { 'from': 'date', 'format': '%d/%m/%Y %H:%M' }\n"
  "    }\n"
  "  },\n"
  "  'syncInterval': 30,\n"
  "  'enabled': true\n"
  "}\n";

/* A self-signed certificate, for caFile. */
static const char test_ca_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBizCCATGgAwIBAgIUQlWUgLI7/ZmYANv8+YwGsxrMcR4wCgYIKoZIzj0EAwIw\n"
  "GjEYMBYGA1UEAwwPTGlhaXNvbiBUZXN0IENBMCAXDTI2MTEyMjExNTEzNFoYDzIx\n"
  "MjYxMDI5MTE1MTM0WjAaMRgwFgYDVQQDDA9MaWFpc29uIFRlc3QgQ0EwWTATBgcq\n"
  "hkjOPQIBBggqhkjOPQMBBwNCAASEPnGdrjiTD6ksxsXlItXlPmCWen0ynob6oyCk\n"
  "v+Z7uzFL1IvBMKQn8rW9lg93k82WuT6TvT+DIi26Z9EyKgr0o1MwUTAdBgNVHQ4E\n"
  "FgQUiy9i37gLf6uGIc9ulatKbyDZN4swHwYDVR0jBBgwFoAUiy9i37gLf6uGIc9u\n"
  "latKbyDZN4swDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAh1AM\n"
  "pKnzEz/coS+9INVG4jKJd1mXaIBIks6VhStwzJUCIDJ2IFktcrQZkl9ZZ9wDheuJ\n"
  "7rCvSIZ13GSjX/TTYQJp\n"
  "-----END CERTIFICATE-----\n";

/* ---- helpers ---------------------------------------------------------- */

static char *
quote (const char *text)
{
  char *json = g_strdup (text);

  g_strdelimit (json, "'", '"');
  return json;
}

static LiaConfig *
parse_full (const char        *text,
            LiaConfigSecrets **out_secrets)
{
  g_autofree char *json = quote (text);
  g_autoptr(GError) error = NULL;
  LiaConfig *config;

  config = lia_config_parse_data (json, -1, out_secrets, &error);
  if (config == NULL)
    g_error ("%s\n---\n%s", json, error->message);
  g_assert_no_error (error);
  return config;
}

static LiaConfig *
parse (const char *text)
{
  return parse_full (text, NULL);
}

/* Each line of @expected is one "path: rule". */
static void
assert_invalid (const char *text,
                const char *expected)
{
  g_autofree char *json = quote (text);
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaConfigSecrets) secrets = (LiaConfigSecrets *) 0x1;
  g_autoptr(LiaConfig) config = lia_config_parse_data (json, -1, &secrets, &error);

  g_assert_null (config);
  g_assert_null (secrets);
  g_assert_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
assert_syntax_error (const char *json,
                     gssize      length,
                     const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaConfig) config = lia_config_parse_data (json, length, NULL, &error);

  g_assert_null (config);
  g_assert_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
assert_pagination_equal (const LiaPagination *a,
                         const LiaPagination *b)
{
  g_assert_cmpint (a->style, ==, b->style);
  g_assert_cmpstr (a->page_param, ==, b->page_param);
  g_assert_cmpstr (a->offset_param, ==, b->offset_param);
  g_assert_cmpstr (a->cursor_param, ==, b->cursor_param);
  g_assert_cmpstr (a->cursor_path, ==, b->cursor_path);
  g_assert_cmpstr (a->size_param, ==, b->size_param);
  g_assert_cmpstr (a->total_path, ==, b->total_path);
  g_assert_cmpint (a->size, ==, b->size);
  g_assert_cmpint (a->start_page, ==, b->start_page);
}

static void
assert_pairs_equal (GPtrArray *a,
                    GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      LiaPair *pa = g_ptr_array_index (a, i), *pb = g_ptr_array_index (b, i);
      g_assert_cmpstr (pa->name, ==, pb->name);
      g_assert_cmpstr (pa->value, ==, pb->value);
    }
}

static void
assert_mappings_equal (GPtrArray *a,
                       GPtrArray *b)
{
  g_assert_true ((a == NULL) == (b == NULL));
  if (a == NULL)
    return;
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      LiaFieldMapping *ma = g_ptr_array_index (a, i), *mb = g_ptr_array_index (b, i);
      GHashTableIter iter;
      gpointer key, value;

      g_assert_cmpstr (ma->field, ==, mb->field);
      g_assert_cmpstr (ma->from, ==, mb->from);
      g_assert_cmpstr (ma->format, ==, mb->format);
      g_assert_cmpstr (ma->default_value, ==, mb->default_value);
      g_assert_cmpint (ma->transform, ==, mb->transform);
      g_assert_cmpint (ma->required, ==, mb->required);
      g_assert_true ((ma->map == NULL) == (mb->map == NULL));
      if (ma->map == NULL)
        continue;
      g_assert_cmpuint (g_hash_table_size (ma->map), ==, g_hash_table_size (mb->map));
      g_hash_table_iter_init (&iter, ma->map);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_assert_cmpstr (value, ==, g_hash_table_lookup (mb->map, key));
    }
}

static void
assert_config_equal (LiaConfig *a,
                     LiaConfig *b)
{
  g_autofree char *json_a = lia_config_to_string (a, FALSE);
  g_autofree char *json_b = lia_config_to_string (b, FALSE);

  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_cmpstr (a->base_url, ==, b->base_url);
  g_assert_cmpstr (a->folder, ==, b->folder);
  g_assert_cmpint (a->auth_type, ==, b->auth_type);
  g_assert_cmpstr (a->api_key_header, ==, b->api_key_header);
  g_assert_cmpstr (a->api_key_query, ==, b->api_key_query);
  g_assert_cmpstr (a->username, ==, b->username);
  assert_pairs_equal (a->headers, b->headers);
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    {
      LiaEndpoint *ea = a->endpoints[i], *eb = b->endpoints[i];

      g_assert_true ((ea == NULL) == (eb == NULL));
      if (ea != NULL)
        {
          g_assert_cmpstr (ea->path, ==, eb->path);
          g_assert_cmpstr (ea->method, ==, eb->method);
          assert_pairs_equal (ea->query, eb->query);
          g_assert_cmpstr (ea->records_path, ==, eb->records_path);
          g_assert_cmpstr (ea->since_param, ==, eb->since_param);
          assert_pagination_equal (&ea->pagination, &eb->pagination);
        }
      assert_mappings_equal (a->mappings[i], b->mappings[i]);
    }
  g_assert_true ((a->oauth == NULL) == (b->oauth == NULL));
  if (a->oauth != NULL)
    {
      g_assert_cmpstr (a->oauth->provider, ==, b->oauth->provider);
      g_assert_cmpstr (a->oauth->issuer, ==, b->oauth->issuer);
      g_assert_cmpstr (a->oauth->authorization_url, ==, b->oauth->authorization_url);
      g_assert_cmpstr (a->oauth->token_url, ==, b->oauth->token_url);
      g_assert_cmpstr (a->oauth->revocation_url, ==, b->oauth->revocation_url);
      g_assert_cmpstr (a->oauth->userinfo_url, ==, b->oauth->userinfo_url);
      g_assert_cmpstr (a->oauth->client_id, ==, b->oauth->client_id);
      g_assert_cmpstr (a->oauth->tenant, ==, b->oauth->tenant);
      g_assert_cmpstrv (a->oauth->scopes, b->oauth->scopes);
    }
  g_assert_cmpstr (a->timezone, ==, b->timezone);
  g_assert_cmpint (a->sync_interval, ==, b->sync_interval);
  g_assert_cmpint (a->enabled, ==, b->enabled);
  g_assert_cmpint (a->timeout_seconds, ==, b->timeout_seconds);
  g_assert_cmpint (a->max_retries, ==, b->max_retries);
  g_assert_cmpstr (a->ca_file, ==, b->ca_file);
  g_assert_cmpstr (json_a, ==, json_b);
}

/* Parses the config's own output again and checks nothing was lost. */
static void
assert_round_trip (LiaConfig *config)
{
  g_autofree char *text = lia_config_to_string (config, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaConfig) again = lia_config_parse_data (text, -1, NULL, &error);

  g_assert_no_error (error);
  assert_config_equal (config, again);
}

static LiaFieldMapping *
mapping_at (LiaConfig   *config,
            LiaDataType  type,
            guint        i)
{
  g_assert_nonnull (config->mappings[type]);
  g_assert_cmpuint (i, <, config->mappings[type]->len);
  return g_ptr_array_index (config->mappings[type], i);
}

/* ---- the whole example ------------------------------------------------ */

static void
test_example (void)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = parse_full (example, &secrets);
  LiaEndpoint *students = config->endpoints[LIA_DATA_TYPE_STUDENTS];
  LiaEndpoint *attendance = config->endpoints[LIA_DATA_TYPE_ATTENDANCE];
  LiaPair *header;
  LiaFieldMapping *mapping;

  g_assert_cmpstr (config->name, ==, "College ERP");
  g_assert_cmpint (config->kind, ==, LIA_KIND_REST);
  g_assert_cmpstr (config->base_url, ==, "https://erp.college.edu/api/v1");
  g_assert_null (config->folder);
  g_assert_cmpint (config->auth_type, ==, LIA_AUTH_BEARER);
  g_assert_null (config->api_key_header);
  g_assert_null (config->api_key_query);
  g_assert_null (config->username);
  g_assert_null (config->oauth);

  g_assert_cmpuint (config->headers->len, ==, 1);
  header = g_ptr_array_index (config->headers, 0);
  g_assert_cmpstr (header->name, ==, "X-College-ID");
  g_assert_cmpstr (header->value, ==, "12345");

  g_assert_nonnull (students);
  g_assert_cmpstr (students->path, ==, "/students/list");
  g_assert_cmpstr (students->method, ==, "GET");
  g_assert_cmpuint (students->query->len, ==, 0);
  g_assert_cmpstr (students->records_path, ==, "");
  g_assert_null (students->since_param);
  g_assert_cmpint (students->pagination.style, ==, LIA_PAGINATION_NONE);

  g_assert_nonnull (attendance);
  g_assert_cmpstr (attendance->path, ==, "/attendance/records");
  g_assert_cmpstr (attendance->records_path, ==, "data");
  g_assert_cmpint (attendance->pagination.style, ==, LIA_PAGINATION_PAGE);
  g_assert_cmpstr (attendance->pagination.page_param, ==, "page");
  g_assert_cmpstr (attendance->pagination.size_param, ==, "limit");
  g_assert_cmpint (attendance->pagination.size, ==, 100);
  g_assert_cmpint (attendance->pagination.start_page, ==, 1);
  g_assert_null (attendance->pagination.total_path);

  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    if (i != LIA_DATA_TYPE_STUDENTS && i != LIA_DATA_TYPE_ATTENDANCE)
      g_assert_null (config->endpoints[i]);

  g_assert_cmpuint (config->mappings[LIA_DATA_TYPE_STUDENTS]->len, ==, 3);
  mapping = mapping_at (config, LIA_DATA_TYPE_STUDENTS, 0);
  g_assert_cmpstr (mapping->field, ==, "externalId");
  g_assert_cmpstr (mapping->from, ==, "studentId");
  g_assert_null (mapping->map);
  g_assert_false (mapping->required);
  mapping = mapping_at (config, LIA_DATA_TYPE_STUDENTS, 2);
  g_assert_cmpstr (mapping->field, ==, "email");
  g_assert_cmpstr (mapping->from, ==, "contact.email");

  g_assert_cmpuint (config->mappings[LIA_DATA_TYPE_ATTENDANCE]->len, ==, 4);
  mapping = mapping_at (config, LIA_DATA_TYPE_ATTENDANCE, 2);
  g_assert_cmpstr (mapping->field, ==, "status");
  g_assert_cmpstr (mapping->from, ==, "attendance");
  g_assert_cmpuint (g_hash_table_size (mapping->map), ==, 4);
  g_assert_cmpstr (g_hash_table_lookup (mapping->map, "P"), ==, "present");
  g_assert_cmpstr (g_hash_table_lookup (mapping->map, "E"), ==, "excused");
  mapping = mapping_at (config, LIA_DATA_TYPE_ATTENDANCE, 3);
  g_assert_cmpstr (mapping->field, ==, "timestamp");
  g_assert_cmpstr (mapping->from, ==, "date");
  g_assert_cmpstr (mapping->format, ==, "%d/%m/%Y %H:%M");
  g_assert_null (config->mappings[LIA_DATA_TYPE_MARKS]);

  g_assert_cmpint (config->sync_interval, ==, 30);
  g_assert_true (config->enabled);
  g_assert_cmpint (config->timeout_seconds, ==, 30);
  g_assert_cmpint (config->max_retries, ==, 3);
  g_assert_null (config->timezone);
  g_assert_null (config->ca_file);

  g_assert_nonnull (secrets);
  g_assert_cmpuint (secrets->fields->len, ==, 1);
  g_assert_cmpstr (lia_config_secrets_get (secrets, LIA_SECRET_API_KEY), ==, "the-token");
  g_assert_null (lia_config_secrets_get (secrets, LIA_SECRET_PASSWORD));
}

/* The stored form keeps the config as given, minus its secrets. */
static void
test_example_to_string (void)
{
  g_autoptr(LiaConfig) config = parse (example);
  g_autofree char *compact = lia_config_to_string (config, FALSE);
  g_autofree char *pretty = lia_config_to_string (config, TRUE);

  g_assert_null (strstr (compact, "the-token"));
  g_assert_null (strstr (compact, "apiKey"));
  g_assert_null (strstr (pretty, "the-token"));
  g_assert_true (g_str_has_prefix (compact, "{\"name\":\"College ERP\",\"kind\":\"rest\","));
  g_assert_true (g_str_has_prefix (pretty, "{\n  \"name\" : \"College ERP\",\n  \"kind\" : \"rest\",\n"));
  g_assert_nonnull (strstr (compact, "\"format\":\"%d/%m/%Y %H:%M\""));
  g_assert_nonnull (strstr (compact, "\"syncInterval\":30,\"enabled\":true}"));
  assert_round_trip (config);
}

static void
test_round_trip (void)
{
  const char *configs[] = {
    example,
    "{" REST "}",
    "{" REST ", 'authType': 'api-key', 'apiKeyQuery': 'key', 'apiKey': 'k', 'timezone': 'Asia/Kolkata',"
    " 'timeoutSeconds': 10, 'maxRetries': 0, 'enabled': false, 'headers': {'Accept': 'application/json'}}",
    "{'name': 'LMS', 'kind': 'canvas', 'baseUrl': 'https://canvas.example', 'authType': 'oauth2',"
    " 'oauth': {'provider': 'generic', 'issuer': 'https://id.example', 'clientId': 'c', 'clientSecret': 's',"
    " 'scopes': ['a', 'b']}, 'endpoints': {'subjects': {'path': '/api/v1/courses', 'method': 'POST',"
    " 'query': {'per_page': 50, 'include': 'term', 'active': true, 'ratio': 0.5},"
    " 'pagination': {'style': 'link', 'size': 50}, 'sinceParam': 'updated_since'}}}",
    "{'name': 'Moodle', 'kind': 'moodle', 'baseUrl': 'https://moodle.example', 'apiKey': 'wstoken'}",
    "{'name': 'Drop', 'kind': 'file', 'folder': '/srv/drop', 'endpoints': {'marks': 'marks-*.csv'},"
    " 'fieldMappings': {'marks': {'score': {'from': 'Score', 'default': 0, 'transform': 'trim', 'required': true},"
    " 'date': {'from': 'When', 'format': '%d %b %Y', 'default': null}}, 'custom': {'anything': 'x.y'}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autoptr(LiaConfig) config = parse (configs[i]);
      assert_round_trip (config);
    }
}

static void
test_defaults (void)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = parse_full ("{" REST "}", &secrets);
  g_autofree const char **fields = lia_config_secret_fields (config);
  LiaEndpoint *endpoint = config->endpoints[LIA_DATA_TYPE_STUDENTS];

  g_assert_cmpint (config->auth_type, ==, LIA_AUTH_NONE);
  g_assert_cmpint (config->sync_interval, ==, 60);
  g_assert_cmpint (config->timeout_seconds, ==, 30);
  g_assert_cmpint (config->max_retries, ==, 3);
  g_assert_true (config->enabled);
  g_assert_null (config->timezone);
  g_assert_null (config->ca_file);
  g_assert_null (config->api_key_header);
  g_assert_nonnull (config->headers);
  g_assert_cmpuint (config->headers->len, ==, 0);
  g_assert_null (config->oauth);
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    g_assert_null (config->mappings[i]);

  g_assert_cmpstr (endpoint->method, ==, "GET");
  g_assert_nonnull (endpoint->query);
  g_assert_cmpstr (endpoint->records_path, ==, "");
  g_assert_cmpint (endpoint->pagination.style, ==, LIA_PAGINATION_NONE);

  g_assert_nonnull (secrets);
  g_assert_cmpuint (secrets->fields->len, ==, 0);
  g_assert_null (fields[0]);
}

/* ---- syntax ----------------------------------------------------------- */

static void
test_syntax (void)
{
  assert_syntax_error ("", -1, "line 1, column 1: empty; expected a JSON object");
  assert_syntax_error ("{}", 0, "line 1, column 1: empty; expected a JSON object");
  assert_syntax_error ("  \n  ", -1, "line 2, column 3: empty; expected a JSON object");
  assert_syntax_error ("{\"name\": \"x\",\n  \"kind\": rest}", -1, "line 2, column 14: unexpected text");
  assert_syntax_error ("{\"name\": \"x\",}", -1, "line 1, column 13: trailing comma");
  assert_syntax_error ("{\"name\": \"x\" \"kind\": \"rest\"}", -1, "line 1, column 12: missing comma; expected “,”");
  assert_syntax_error ("{\"name\" \"x\"}", -1, "line 1, column 7: missing colon; expected “:”");
  assert_syntax_error ("{\"a\": 1} {", -1, "line 1, column 10: unexpected text");
  assert_syntax_error ("{ \"name\": ", -1, "line 1, column 10: the text ends too soon; expected “}”");
  assert_syntax_error ("{ \"name\": \"abc", -1, "line 1, column 15: a string is not closed");
  assert_syntax_error ("{\"name\": \"é\xff\"}", -1, "line 1, column 12: not valid UTF-8 text");
  assert_syntax_error ("{\"a\":\n\"b\xc3\"}", -1, "line 2, column 3: not valid UTF-8 text");
}

/* json-glib quotes the token it stumbled on; that must not reach the user
 * when the token is a secret. */
static void
test_syntax_hides_secrets (void)
{
  const char *texts[] = {
    "{\"apiKey\": s3cr3t-t0ken}",
    "{\"apiKey\": \"s3cr3t-t0ken\" \"name\": \"x\"}",
    "{\"password\": \"s3cr3t-t0ken\" : 1}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LiaConfig) config = lia_config_parse_data (texts[i], -1, NULL, &error);

      g_assert_null (config);
      g_assert_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_SYNTAX);
      g_assert_true (g_str_has_prefix (error->message, "line 1, column "));
      g_assert_null (strstr (error->message, "s3cr3t"));
    }
}

static void
test_root_not_object (void)
{
  assert_invalid ("[1, 2]", "config: must be an object");
  assert_invalid ("'rest'", "config: must be an object");
  assert_invalid ("null", "config: must be an object");
}

/* ---- top-level members ------------------------------------------------ */

static void
test_unknown_keys (void)
{
  assert_invalid ("{" REST ", 'colour': 'red', 'sync_interval': 5}",
                  "colour: unknown key\n"
                  "sync_interval: unknown key");
  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://x.example', 'endpoints': {'attendance':"
                  " {'path': '/a', 'pagnation': {}, 'pagination': {'style': 'page', 'pageSize': 5}}}}",
                  "endpoints.attendance.pagnation: unknown key\n"
                  "endpoints.attendance.pagination.pageSize: unknown key");
  assert_invalid ("{" REST ", 'fieldMappings': {'students': {'name': {'from': 'n', 'mapping': {}}}}}",
                  "fieldMappings.students.name.mapping: unknown key");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c', 'issuer': 'https://id.example',"
                  " 'redirectUri': 'http://localhost'}}",
                  "oauth.redirectUri: unknown key");
}

static void
test_types (void)
{
  assert_invalid ("{" REST ", 'syncInterval': '30'}", "syncInterval: must be a whole number");
  assert_invalid ("{" REST ", 'syncInterval': 30.5}", "syncInterval: must be a whole number");
  assert_invalid ("{" REST ", 'syncInterval': 30.0}", "syncInterval: must be a whole number");
  assert_invalid ("{" REST ", 'maxRetries': true}", "maxRetries: must be a whole number");
  assert_invalid ("{" REST ", 'enabled': 'yes'}", "enabled: must be true or false");
  assert_invalid ("{" REST ", 'enabled': 1}", "enabled: must be true or false");
  assert_invalid ("{" REST ", 'headers': []}", "headers: must be an object");
  assert_invalid ("{" REST ", 'timezone': null}", "timezone: must be a string");
  assert_invalid ("{'name': 5, 'kind': 'rest', 'baseUrl': 'https://x.example', 'endpoints': {'students': '/s'}}",
                  "name: must be a string");
  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://x.example', 'endpoints': ['/s']}",
                  "endpoints: must be an object");
  assert_invalid ("{" REST ", 'fieldMappings': {'students': ['a']}}", "fieldMappings.students: must be an object");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c', 'issuer': 'https://id.example',"
                  " 'scopes': 'openid email'}}",
                  "oauth.scopes: must be an array of strings");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c', 'issuer': 'https://id.example',"
                  " 'scopes': ['openid', 5]}}",
                  "oauth.scopes: must be an array of strings");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': 'google'}", "oauth: must be an object");
}

static void
test_name (void)
{
  g_autofree char *long_name = g_strnfill (200, 'n');
  g_autofree char *too_long = g_strnfill (201, 'n');
  g_autofree char *ok = g_strdup_printf ("{'name': '%s', 'kind': 'moodle', 'baseUrl': 'https://m.example'}", long_name);
  g_autofree char *bad = g_strdup_printf ("{'name': '%s', 'kind': 'moodle', 'baseUrl': 'https://m.example'}", too_long);
  g_autoptr(LiaConfig) config = parse (ok);
  g_autoptr(LiaConfig) trimmed = parse ("{'name': '  Spaced ERP \\t', 'kind': 'moodle', 'baseUrl': 'https://m.example'}");
  g_autoptr(LiaConfig) accented = NULL;
  g_autofree char *accented_name = NULL;
  g_autofree char *accented_json = NULL;

  g_assert_cmpstr (config->name, ==, long_name);
  g_assert_cmpstr (trimmed->name, ==, "Spaced ERP");
  /* Characters, not bytes. */
  accented_name = g_strnfill (199, 'n');
  accented_json = g_strdup_printf ("{'name': '%sé', 'kind': 'moodle', 'baseUrl': 'https://m.example'}", accented_name);
  accented = parse (accented_json);
  g_assert_cmpuint (g_utf8_strlen (accented->name, -1), ==, 200);

  assert_invalid (bad, "name: must be at most 200 characters");
  assert_invalid ("{'name': '   ', 'kind': 'moodle', 'baseUrl': 'https://m.example'}", "name: must not be empty");
  assert_invalid ("{'kind': 'moodle', 'baseUrl': 'https://m.example'}", "name: required");
}

static void
test_kind (void)
{
  assert_invalid ("{'name': 'x', 'kind': 'sharepoint', 'baseUrl': 'https://x.example'}",
                  "kind: must be one of rest, moodle, canvas, file");
  assert_invalid ("{'name': 'x', 'kind': 'REST', 'baseUrl': 'https://x.example'}",
                  "kind: must be one of rest, moodle, canvas, file");
  assert_invalid ("{'name': 'x', 'baseUrl': 'https://x.example'}", "kind: required");
  /* Without a kind, rules that depend on it are not guessed at. */
  assert_invalid ("{'name': 'x', 'kind': 7, 'folder': 'relative'}",
                  "kind: must be a string\n"
                  "folder: must be an absolute path");
}

static void
test_base_url (void)
{
  g_autoptr(LiaConfig) http = parse ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'http://erp.local:8080/api',"
                                     " 'endpoints': {'students': '/s'}}");
  g_autoptr(LiaConfig) upper = parse ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'HTTPS://ERP.example',"
                                      " 'endpoints': {'students': '/s'}}");

  g_assert_cmpstr (http->base_url, ==, "http://erp.local:8080/api");
  g_assert_cmpstr (upper->base_url, ==, "HTTPS://ERP.example");

  assert_invalid ("{'name': 'x', 'kind': 'rest', 'endpoints': {'students': '/s'}}", "baseUrl: required");
  assert_invalid ("{'name': 'x', 'kind': 'canvas', 'baseUrl': 'ftp://files.example', 'endpoints': {'students': '/s'}}",
                  "baseUrl: not an http or https URL");
  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': '/api/v1', 'endpoints': {'students': '/s'}}",
                  "baseUrl: not an http or https URL");
  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://', 'endpoints': {'students': '/s'}}",
                  "baseUrl: not an http or https URL");
  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://erp example', 'endpoints': {'students': '/s'}}",
                  "baseUrl: not an http or https URL");
  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://x.example/a b', 'endpoints': {'students': '/s'}}",
                  "baseUrl: not an http or https URL");
  assert_invalid ("{'name': 'x', 'kind': 'moodle', 'baseUrl': 'https://admin:hunter2@m.example'}",
                  "baseUrl: must not contain credentials; use authType");
  assert_invalid ("{'name': 'x', 'kind': 'file', 'folder': '/srv/x', 'baseUrl': 'https://x.example',"
                  " 'endpoints': {'students': 's.csv'}}",
                  "baseUrl: not used by kind file; use folder");
}

static void
test_file_kind (void)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = parse_full ("{'name': 'Drop folder', 'kind': 'file', 'folder': '/srv/school/drop',"
                                            " 'endpoints': {'students': 'students.csv', 'attendance': 'attendance-*.csv'}}",
                                            &secrets);
  g_autofree const char **fields = lia_config_secret_fields (config);

  g_assert_cmpint (config->kind, ==, LIA_KIND_FILE);
  g_assert_cmpstr (config->folder, ==, "/srv/school/drop");
  g_assert_null (config->base_url);
  g_assert_cmpint (config->auth_type, ==, LIA_AUTH_NONE);
  g_assert_cmpstr (config->endpoints[LIA_DATA_TYPE_ATTENDANCE]->path, ==, "attendance-*.csv");
  g_assert_null (fields[0]);
  assert_round_trip (config);

  assert_invalid ("{'name': 'x', 'kind': 'file', 'endpoints': {'students': 's.csv'}}", "folder: required");
  assert_invalid ("{'name': 'x', 'kind': 'file', 'folder': 'drop', 'endpoints': {'students': 's.csv'}}",
                  "folder: must be an absolute path");
  assert_invalid ("{'name': 'x', 'kind': 'file', 'folder': '/drop', 'endpoints': {'students': '../s.csv',"
                  " 'faculty': 'staff/f.csv', 'subjects': ''}}",
                  "endpoints.students: must be a file name or pattern, without / or ..\n"
                  "endpoints.faculty: must be a file name or pattern, without / or ..\n"
                  "endpoints.subjects: must be a file name or pattern, without / or ..");
  assert_invalid ("{'name': 'x', 'kind': 'file', 'folder': '/drop', 'authType': 'bearer', 'apiKey': 't',"
                  " 'endpoints': {'students': 's.csv'}}",
                  "authType: kind file allows only none");
  assert_invalid ("{'name': 'x', 'kind': 'file', 'folder': '/drop', 'apiKey': 't', 'endpoints': {'students': 's.csv'}}",
                  "apiKey: not used by authType none");
  assert_invalid ("{" REST ", 'folder': '/srv/x'}", "folder: not used by kind rest; use baseUrl");
}

/* ---- authentication --------------------------------------------------- */

static void
test_auth_type (void)
{
  g_autoptr(LiaConfig) canvas = parse ("{'name': 'x', 'kind': 'canvas', 'baseUrl': 'https://c.example',"
                                       " 'endpoints': {'subjects': '/api/v1/courses'}}");

  /* Left out, the kind's default applies. */
  g_assert_cmpint (canvas->auth_type, ==, LIA_AUTH_BEARER);

  assert_invalid ("{" REST ", 'authType': 'token'}", "authType: must be one of none, api-key, bearer, basic, oauth2");
  assert_invalid ("{'name': 'x', 'kind': 'canvas', 'baseUrl': 'https://c.example', 'authType': 'basic',"
                  " 'endpoints': {'subjects': '/s'}}",
                  "authType: kind canvas allows only bearer, oauth2");
  /* A wrong authType brings no follow-on errors about the secrets. */
  assert_invalid ("{" REST ", 'authType': 'digest', 'password': 'p', 'apiKey': 'k'}",
                  "authType: must be one of none, api-key, bearer, basic, oauth2");
}

static void
test_api_key (void)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) later = parse_full ("{" REST ", 'authType': 'bearer'}", &secrets);

  /* The key may be set later with "integration set-secret". */
  g_assert_cmpuint (secrets->fields->len, ==, 0);
  g_assert_true (lia_config_uses_secret (later, LIA_SECRET_API_KEY));

  assert_invalid ("{" REST ", 'apiKey': 'k'}", "apiKey: not used by authType none");
  assert_invalid ("{" REST ", 'authType': 'basic', 'username': 'u', 'apiKey': 'k'}",
                  "apiKey: not used by authType basic");
  assert_invalid ("{" REST ", 'authType': 'bearer', 'apiKey': 12345}", "apiKey: must be a string");
  assert_invalid ("{" REST ", 'authType': 'bearer', 'apiKey': ''}", "apiKey: must not be empty");
}

static void
test_api_key_place (void)
{
  g_autoptr(LiaConfig) plain = parse ("{" REST ", 'authType': 'api-key', 'apiKey': 'k'}");
  g_autoptr(LiaConfig) header = parse ("{" REST ", 'authType': 'api-key', 'apiKeyHeader': 'X-Token'}");
  g_autoptr(LiaConfig) query = parse ("{" REST ", 'authType': 'api-key', 'apiKeyQuery': 'api_key'}");

  g_assert_cmpstr (plain->api_key_header, ==, "X-API-Key");
  g_assert_null (plain->api_key_query);
  g_assert_cmpstr (header->api_key_header, ==, "X-Token");
  g_assert_null (header->api_key_query);
  g_assert_null (query->api_key_header);
  g_assert_cmpstr (query->api_key_query, ==, "api_key");

  assert_invalid ("{" REST ", 'authType': 'api-key', 'apiKeyHeader': 'X-Token', 'apiKeyQuery': 'key'}",
                  "apiKeyQuery: give apiKeyHeader or apiKeyQuery, not both");
  assert_invalid ("{" REST ", 'authType': 'api-key', 'apiKeyHeader': 'X Token'}",
                  "apiKeyHeader: not a valid HTTP header name");
  assert_invalid ("{" REST ", 'authType': 'api-key', 'apiKeyHeader': 'X-Tök'}",
                  "apiKeyHeader: not a valid HTTP header name");
  assert_invalid ("{" REST ", 'authType': 'api-key', 'apiKeyQuery': ''}", "apiKeyQuery: must not be empty");
  assert_invalid ("{" REST ", 'authType': 'bearer', 'apiKeyHeader': 'X-Token'}",
                  "apiKeyHeader: not used by authType bearer");
  assert_invalid ("{" REST ", 'apiKeyQuery': 'key'}", "apiKeyQuery: not used by authType none");
}

static void
test_basic (void)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = parse_full ("{" REST ", 'authType': 'basic', 'username': 'registrar',"
                                            " 'password': 'p@ss'}", &secrets);
  g_autofree char *text = lia_config_to_string (config, FALSE);

  g_assert_cmpint (config->auth_type, ==, LIA_AUTH_BASIC);
  g_assert_cmpstr (config->username, ==, "registrar");
  g_assert_cmpstr (lia_config_secrets_get (secrets, LIA_SECRET_PASSWORD), ==, "p@ss");
  g_assert_null (strstr (text, "p@ss"));
  g_assert_null (strstr (text, "password"));
  g_assert_nonnull (strstr (text, "\"username\":\"registrar\""));

  assert_invalid ("{" REST ", 'authType': 'basic', 'password': 'p'}", "username: required for authType basic");
  assert_invalid ("{" REST ", 'authType': 'basic', 'username': ''}", "username: must not be empty");
  assert_invalid ("{" REST ", 'authType': 'bearer', 'username': 'u', 'password': 'p'}",
                  "username: not used by authType bearer\n"
                  "password: not used by authType bearer");
}

static void
test_moodle (void)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = parse_full ("{'name': 'Moodle', 'kind': 'moodle',"
                                            " 'baseUrl': 'https://moodle.school.example', 'apiKey': 'wstoken-value'}",
                                            &secrets);
  g_autoptr(LiaConfig) explicit_auth = parse ("{'name': 'Moodle', 'kind': 'moodle', 'authType': 'api-key',"
                                              " 'baseUrl': 'https://moodle.school.example'}");
  g_autoptr(LiaConfig) functions = parse ("{'name': 'Moodle', 'kind': 'moodle', 'baseUrl': 'https://m.example',"
                                          " 'endpoints': {'students': 'core_enrol_get_enrolled_users',"
                                          " 'marks': {'path': 'gradereport_user_get_grade_items', 'recordsPath': 'usergrades'}}}");

  g_assert_cmpint (config->kind, ==, LIA_KIND_MOODLE);
  g_assert_cmpint (config->auth_type, ==, LIA_AUTH_API_KEY);
  g_assert_null (config->api_key_header);
  g_assert_null (config->api_key_query);
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    g_assert_null (config->endpoints[i]);
  g_assert_cmpstr (lia_config_secrets_get (secrets, LIA_SECRET_API_KEY), ==, "wstoken-value");
  g_assert_true (lia_config_uses_secret (config, LIA_SECRET_API_KEY));
  assert_round_trip (config);

  g_assert_cmpint (explicit_auth->auth_type, ==, LIA_AUTH_API_KEY);
  g_assert_cmpstr (functions->endpoints[LIA_DATA_TYPE_STUDENTS]->path, ==, "core_enrol_get_enrolled_users");

  assert_invalid ("{'name': 'Moodle', 'kind': 'moodle', 'baseUrl': 'https://m.example', 'authType': 'bearer',"
                  " 'apiKey': 'k'}",
                  "authType: moodle uses its web-service token (apiKey); leave authType out");
  assert_invalid ("{'name': 'Moodle', 'kind': 'moodle', 'baseUrl': 'https://m.example', 'apiKeyHeader': 'X-Key'}",
                  "apiKeyHeader: not used by kind moodle (the token is sent as wstoken)");
  assert_invalid ("{'name': 'Moodle', 'kind': 'moodle', 'baseUrl': 'https://m.example',"
                  " 'endpoints': {'students': '/webservice/rest', 'faculty': 'Core_Get'}}",
                  "endpoints.students: must be a Moodle web-service function name (a-z, 0-9 and _)\n"
                  "endpoints.faculty: must be a Moodle web-service function name (a-z, 0-9 and _)");
  assert_invalid ("{'name': 'Moodle', 'kind': 'moodle', 'baseUrl': 'https://m.example', 'username': 'u'}",
                  "username: not used by authType api-key");
}

static void
test_oauth_generic (void)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = parse_full ("{" REST ", 'authType': 'oauth2', 'oauth': {"
                                            " 'authorizationUrl': 'https://id.example/authorize',"
                                            " 'tokenUrl': 'https://id.example/token',"
                                            " 'revocationUrl': 'https://id.example/revoke',"
                                            " 'userinfoUrl': 'https://id.example/userinfo',"
                                            " 'clientId': 'liaison', 'clientSecret': 'cl13nt-s3cret',"
                                            " 'scopes': ['openid', 'offline_access']}}",
                                            &secrets);
  g_autoptr(LiaConfig) issuer = parse ("{" REST ", 'authType': 'oauth2', 'oauth': {'provider': 'generic',"
                                       " 'issuer': 'https://id.example', 'clientId': 'liaison'}}");
  g_autoptr(LiaConfig) loopback = parse ("{" REST ", 'authType': 'oauth2', 'oauth': {"
                                         " 'authorizationUrl': 'http://127.0.0.1:9000/auth',"
                                         " 'tokenUrl': 'http://localhost:9000/token',"
                                         " 'userinfoUrl': 'http://[::1]:9000/me', 'clientId': 'c'}}");
  g_autofree char *text = lia_config_to_string (config, TRUE);
  LiaOAuthConfig *oauth = config->oauth;
  const char *scopes[] = { "openid", "offline_access", NULL };

  g_assert_nonnull (oauth);
  g_assert_cmpstr (oauth->provider, ==, "generic");
  g_assert_null (oauth->issuer);
  g_assert_cmpstr (oauth->authorization_url, ==, "https://id.example/authorize");
  g_assert_cmpstr (oauth->token_url, ==, "https://id.example/token");
  g_assert_cmpstr (oauth->revocation_url, ==, "https://id.example/revoke");
  g_assert_cmpstr (oauth->userinfo_url, ==, "https://id.example/userinfo");
  g_assert_cmpstr (oauth->client_id, ==, "liaison");
  g_assert_null (oauth->tenant);
  g_assert_cmpstrv (oauth->scopes, scopes);
  g_assert_true (oauth->has_client_secret);
  g_assert_cmpstr (lia_config_secrets_get (secrets, LIA_SECRET_CLIENT_SECRET), ==, "cl13nt-s3cret");
  g_assert_null (strstr (text, "cl13nt-s3cret"));
  g_assert_null (strstr (text, "clientSecret"));
  g_assert_nonnull (strstr (text, "\"clientId\" : \"liaison\""));
  assert_round_trip (config);

  g_assert_cmpstr (issuer->oauth->issuer, ==, "https://id.example");
  g_assert_false (issuer->oauth->has_client_secret);
  g_assert_nonnull (issuer->oauth->scopes);
  g_assert_null (issuer->oauth->scopes[0]);
  g_assert_cmpstr (loopback->oauth->token_url, ==, "http://localhost:9000/token");

  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c', 'tokenUrl': 'https://id.example/t'}}",
                  "oauth: give issuer, or authorizationUrl and tokenUrl");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'issuer': 'https://id.example'}}",
                  "oauth.clientId: required");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': '', 'issuer': 'https://id.example'}}",
                  "oauth.clientId: must not be empty");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c',"
                  " 'authorizationUrl': 'https://id.example/a', 'tokenUrl': 'http://id.example/token'}}",
                  "oauth.tokenUrl: must be https (http only on a loopback address)");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c', 'issuer': 'http://128.0.0.1'}}",
                  "oauth.issuer: must be https (http only on a loopback address)");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c', 'issuer': 'id.example'}}",
                  "oauth.issuer: not an http or https URL");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c', 'issuer': 'https://u:p@id.example'}}",
                  "oauth.issuer: must not contain credentials");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'provider': 'okta', 'clientId': 'c',"
                  " 'issuer': 'https://id.example'}}",
                  "oauth.provider: must be one of google, microsoft, zoom, generic");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'tenant': 'school', 'clientId': 'c',"
                  " 'issuer': 'https://id.example'}}",
                  "oauth.tenant: only used by provider microsoft");
  assert_invalid ("{" REST ", 'authType': 'oauth2'}", "oauth: required for authType oauth2");
  assert_invalid ("{" REST ", 'authType': 'bearer', 'oauth': {'clientId': 'c'}}", "oauth: not used by authType bearer");
  assert_invalid ("{" REST ", 'authType': 'oauth2', 'oauth': {'clientId': 'c', 'issuer': 'https://id.example',"
                  " 'clientSecret': 7}}",
                  "oauth.clientSecret: must be a string");
}

static void
test_oauth_providers (void)
{
  g_autoptr(LiaConfig) google = parse ("{" REST ", 'authType': 'oauth2', 'oauth': {'provider': 'google',"
                                       " 'clientId': 'abc.apps.googleusercontent.com'}}");
  g_autoptr(LiaConfig) microsoft = parse ("{" REST ", 'authType': 'oauth2', 'oauth': {'provider': 'microsoft',"
                                          " 'tenant': 'school.onmicrosoft.com', 'clientId': 'c',"
                                          " 'scopes': ['User.Read']}}");
  g_autoptr(LiaConfig) canvas = parse ("{'name': 'x', 'kind': 'canvas', 'baseUrl': 'https://c.example',"
                                       " 'authType': 'oauth2', 'oauth': {'provider': 'zoom', 'clientId': 'z'},"
                                       " 'endpoints': {'subjects': '/api/v1/courses'}}");

  g_assert_cmpstr (google->oauth->provider, ==, "google");
  g_assert_null (google->oauth->issuer);
  g_assert_null (google->oauth->scopes[0]);
  g_assert_cmpstr (microsoft->oauth->tenant, ==, "school.onmicrosoft.com");
  g_assert_cmpstr (microsoft->oauth->scopes[0], ==, "User.Read");
  g_assert_cmpint (canvas->auth_type, ==, LIA_AUTH_OAUTH2);
  g_assert_cmpstr (canvas->oauth->provider, ==, "zoom");
  assert_round_trip (google);
  assert_round_trip (microsoft);
}

/* ---- headers ---------------------------------------------------------- */

static void
test_headers (void)
{
  g_autoptr(LiaConfig) config = parse ("{" REST ", 'headers': {'X-College-ID': '12345', 'Accept': 'application/json',"
                                       " 'X-Empty': ''}}");
  LiaPair *pair = g_ptr_array_index (config->headers, 1);

  g_assert_cmpuint (config->headers->len, ==, 3);
  g_assert_cmpstr (pair->name, ==, "Accept");
  g_assert_cmpstr (pair->value, ==, "application/json");

  assert_invalid ("{" REST ", 'headers': {'Authorization': 'Bearer abc', 'cookie': 'sid=1',"
                  " 'PROXY-AUTHORIZATION': 'Basic x'}}",
                  "headers.Authorization: credentials go in apiKey or password, not in headers\n"
                  "headers.cookie: credentials go in apiKey or password, not in headers\n"
                  "headers.PROXY-AUTHORIZATION: credentials go in apiKey or password, not in headers");
  assert_invalid ("{" REST ", 'headers': {'X Foo': 'a', 'X:Bar': 'b'}}",
                  "headers.X Foo: not a valid HTTP header name\n"
                  "headers.X:Bar: not a valid HTTP header name");
  assert_invalid ("{" REST ", 'headers': {'X-A': 'one\\r\\nX-Injected: 1', 'X-B': 'two\\n'}}",
                  "headers.X-A: must not contain line breaks\n"
                  "headers.X-B: must not contain line breaks");
  assert_invalid ("{" REST ", 'headers': {'X-Count': 5}}", "headers.X-Count: must be a string");
}

/* ---- endpoints -------------------------------------------------------- */

static void
test_endpoints (void)
{
  g_autoptr(LiaConfig) config = parse ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://x.example', 'endpoints': {"
                                       " 'timetable': {'path': '/sessions', 'method': 'POST', 'recordsPath': 'result.items',"
                                       " 'sinceParam': 'modifiedSince',"
                                       " 'query': {'term': '2024', 'limit': 50, 'active': true, 'ratio': 0.25}},"
                                       " 'custom': {'path': '/custom', 'recordsPath': ''}}}");
  LiaEndpoint *endpoint = config->endpoints[LIA_DATA_TYPE_TIMETABLE];
  const char *expected[][2] = { { "term", "2024" }, { "limit", "50" }, { "active", "true" }, { "ratio", "0.25" } };

  g_assert_cmpstr (endpoint->path, ==, "/sessions");
  g_assert_cmpstr (endpoint->method, ==, "POST");
  g_assert_cmpstr (endpoint->records_path, ==, "result.items");
  g_assert_cmpstr (endpoint->since_param, ==, "modifiedSince");
  g_assert_cmpuint (endpoint->query->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      LiaPair *pair = g_ptr_array_index (endpoint->query, i);
      g_assert_cmpstr (pair->name, ==, expected[i][0]);
      g_assert_cmpstr (pair->value, ==, expected[i][1]);
    }
  g_assert_cmpstr (config->endpoints[LIA_DATA_TYPE_CUSTOM]->records_path, ==, "");

  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://x.example', 'endpoints': {"
                  " 'grades': '/grades', 'students': 'students', 'faculty': {'path': 'staff'},"
                  " 'subjects': {'recordsPath': 'x'}, 'marks': {'path': '/m', 'method': 'PUT'},"
                  " 'timetable': 5, 'attendance': {'path': '/a', 'query': {'ids': [1, 2]}, 'sinceParam': ''}}}",
                  "endpoints.grades: unknown data type\n"
                  "endpoints.students: must start with /\n"
                  "endpoints.faculty.path: must start with /\n"
                  "endpoints.subjects.path: required\n"
                  "endpoints.marks.method: must be GET or POST\n"
                  "endpoints.timetable: must be a string or an object\n"
                  "endpoints.attendance.query.ids: must be a string, a number, true or false\n"
                  "endpoints.attendance.sinceParam: must not be empty");
  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://x.example'}", "endpoints: required for kind rest");
  assert_invalid ("{'name': 'x', 'kind': 'canvas', 'baseUrl': 'https://x.example', 'endpoints': {}}",
                  "endpoints: name at least one data type");
}

static void
test_pagination (void)
{
  g_autoptr(LiaConfig) config = parse ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://x.example', 'endpoints': {"
                                       " 'students': {'path': '/s', 'pagination': {'style': 'page'}},"
                                       " 'faculty': {'path': '/f', 'pagination': {'style': 'offset', 'size': 10000,"
                                       " 'sizeParam': 'limit', 'totalPath': 'meta.total'}},"
                                       " 'subjects': {'path': '/c', 'pagination': {'cursorParam': 'after',"
                                       " 'style': 'cursor', 'cursorPath': 'meta.next', 'size': 1}},"
                                       " 'marks': {'path': '/m', 'pagination': {'style': 'link'}},"
                                       " 'timetable': {'path': '/t', 'pagination': {'style': 'page', 'startPage': 0,"
                                       " 'pageParam': 'p'}},"
                                       " 'custom': {'path': '/x', 'pagination': {'style': 'none'}}}}");
  LiaPagination *page = &config->endpoints[LIA_DATA_TYPE_STUDENTS]->pagination;
  LiaPagination *offset = &config->endpoints[LIA_DATA_TYPE_FACULTY]->pagination;
  LiaPagination *cursor = &config->endpoints[LIA_DATA_TYPE_SUBJECTS]->pagination;
  LiaPagination *zero = &config->endpoints[LIA_DATA_TYPE_TIMETABLE]->pagination;

  g_assert_cmpint (page->style, ==, LIA_PAGINATION_PAGE);
  g_assert_cmpstr (page->page_param, ==, "page");
  g_assert_cmpint (page->start_page, ==, 1);
  g_assert_cmpint (page->size, ==, 0);
  g_assert_null (page->size_param);
  g_assert_cmpint (offset->style, ==, LIA_PAGINATION_OFFSET);
  g_assert_cmpstr (offset->offset_param, ==, "offset");
  g_assert_cmpstr (offset->size_param, ==, "limit");
  g_assert_cmpint (offset->size, ==, 10000);
  g_assert_cmpstr (offset->total_path, ==, "meta.total");
  g_assert_null (offset->page_param);
  g_assert_cmpint (cursor->style, ==, LIA_PAGINATION_CURSOR);
  g_assert_cmpstr (cursor->cursor_param, ==, "after");
  g_assert_cmpstr (cursor->cursor_path, ==, "meta.next");
  g_assert_cmpint (cursor->size, ==, 1);
  g_assert_cmpint (config->endpoints[LIA_DATA_TYPE_MARKS]->pagination.style, ==, LIA_PAGINATION_LINK);
  g_assert_cmpint (zero->start_page, ==, 0);
  g_assert_cmpstr (zero->page_param, ==, "p");
  g_assert_cmpint (config->endpoints[LIA_DATA_TYPE_CUSTOM]->pagination.style, ==, LIA_PAGINATION_NONE);
  assert_round_trip (config);

  assert_invalid ("{'name': 'x', 'kind': 'rest', 'baseUrl': 'https://x.example', 'endpoints': {"
                  " 'students': {'path': '/s', 'pagination': {'style': 'page', 'cursorPath': 'next', 'offsetParam': 'o'}},"
                  " 'faculty': {'path': '/f', 'pagination': {'style': 'cursor', 'size': 0}},"
                  " 'subjects': {'path': '/c', 'pagination': {'size': 10001}},"
                  " 'marks': {'path': '/m', 'pagination': {'style': 'pages', 'startPage': -1}},"
                  " 'timetable': {'path': '/t', 'pagination': {'style': 'none', 'size': 5}},"
                  " 'custom': {'path': '/x', 'pagination': {'style': 'link', 'size': '50', 'totalPath': 't'}},"
                  " 'attendance': {'path': '/a', 'pagination': {'style': 'page', 'startPage': -1, 'pageParam': ''}}}}",
                  "endpoints.students.pagination.cursorPath: not used by style page\n"
                  "endpoints.students.pagination.offsetParam: not used by style page\n"
                  "endpoints.faculty.pagination.size: must be between 1 and 10000\n"
                  "endpoints.faculty.pagination.cursorParam: required for style cursor\n"
                  "endpoints.faculty.pagination.cursorPath: required for style cursor\n"
                  "endpoints.subjects.pagination.size: must be between 1 and 10000\n"
                  "endpoints.subjects.pagination.style: required\n"
                  "endpoints.marks.pagination.style: must be one of none, page, offset, cursor, link\n"
                  "endpoints.marks.pagination.startPage: must be at least 0\n"
                  "endpoints.timetable.pagination.size: not used by style none\n"
                  "endpoints.custom.pagination.size: must be a whole number\n"
                  "endpoints.custom.pagination.totalPath: not used by style link\n"
                  "endpoints.attendance.pagination.startPage: must be at least 0\n"
                  "endpoints.attendance.pagination.pageParam: must not be empty");
  assert_invalid ("{" REST ", 'endpoints': {'students': {'path': '/s', 'pagination': 'page'}}}",
                  "endpoints.students.pagination: must be an object");
}

/* ---- field mappings --------------------------------------------------- */

static void
test_field_mappings (void)
{
  g_autoptr(LiaConfig) config = parse ("{" REST ", 'fieldMappings': {"
                                       " 'marks': {'score': {'from': 'result.score', 'default': 0, 'required': true},"
                                       " 'maxScore': {'default': 100.5}, 'assessment': {'transform': 'upper', 'default': 'exam'},"
                                       " 'date': {'from': 'when', 'format': '%F', 'default': null},"
                                       " 'studentId': {'transform': 'trim'}, 'subjectId': {'transform': 'lower'}},"
                                       " 'custom': {'roomCapacity': 'capacity', 'anything.at.all': {'from': 'x'}},"
                                       " 'timetable': {'start': {'from': 'begins', 'format': '%d/%m/%Y %H:%M'}}}}");
  LiaFieldMapping *score = mapping_at (config, LIA_DATA_TYPE_MARKS, 0);
  LiaFieldMapping *max_score = mapping_at (config, LIA_DATA_TYPE_MARKS, 1);
  LiaFieldMapping *assessment = mapping_at (config, LIA_DATA_TYPE_MARKS, 2);
  LiaFieldMapping *date = mapping_at (config, LIA_DATA_TYPE_MARKS, 3);
  LiaFieldMapping *custom = mapping_at (config, LIA_DATA_TYPE_CUSTOM, 1);

  g_assert_cmpstr (score->from, ==, "result.score");
  g_assert_cmpstr (score->default_value, ==, "0");
  g_assert_true (score->required);
  g_assert_cmpint (score->transform, ==, LIA_TRANSFORM_NONE);
  /* "from" defaults to the field's own name. */
  g_assert_cmpstr (max_score->from, ==, "maxScore");
  g_assert_cmpstr (max_score->default_value, ==, "100.5");
  g_assert_false (max_score->required);
  g_assert_cmpint (assessment->transform, ==, LIA_TRANSFORM_UPPER);
  g_assert_cmpstr (assessment->default_value, ==, "exam");
  g_assert_cmpstr (date->format, ==, "%F");
  g_assert_null (date->default_value);
  g_assert_cmpint (mapping_at (config, LIA_DATA_TYPE_MARKS, 4)->transform, ==, LIA_TRANSFORM_TRIM);
  g_assert_cmpint (mapping_at (config, LIA_DATA_TYPE_MARKS, 5)->transform, ==, LIA_TRANSFORM_LOWER);
  g_assert_cmpstr (mapping_at (config, LIA_DATA_TYPE_CUSTOM, 0)->from, ==, "capacity");
  g_assert_cmpstr (custom->field, ==, "anything.at.all");
  g_assert_cmpstr (custom->from, ==, "x");
  assert_round_trip (config);

  assert_invalid ("{" REST ", 'fieldMappings': {'grades': {}, 'students': {'nmae': 'name', 'email': ''},"
                  " 'faculty': {'department': 7}}}",
                  "fieldMappings.grades: unknown data type\n"
                  "fieldMappings.students.nmae: unknown field for students (expected externalId, name, email)\n"
                  "fieldMappings.students.email: must not be empty\n"
                  "fieldMappings.faculty.department: must be a string or an object");
  assert_invalid ("{" REST ", 'fieldMappings': {'attendance': {"
                  " 'status': {'from': 'att', 'map': {'P': 'present', 'X': 'exempt', 'L': 3}},"
                  " 'timestamp': {'format': '%d/%m/%Y %Q'}, 'method': {'format': '%F', 'map': {'qr': 'QR code'}},"
                  " 'studentId': {'from': '', 'transform': 'capitalize', 'required': 'yes', 'default': true}}}}",
                  "fieldMappings.attendance.status.map.X: must be one of present, absent, late, excused\n"
                  "fieldMappings.attendance.status.map.L: must be a string\n"
                  "fieldMappings.attendance.timestamp.format: unsupported conversion %Q\n"
                  "fieldMappings.attendance.method.format: only timestamp fields take a format\n"
                  "fieldMappings.attendance.studentId.from: must not be empty\n"
                  "fieldMappings.attendance.studentId.transform: must be one of lower, upper, trim\n"
                  "fieldMappings.attendance.studentId.required: must be true or false\n"
                  "fieldMappings.attendance.studentId.default: must be a string, a number or null");
  assert_invalid ("{" REST ", 'fieldMappings': {'custom': {'note': {'format': '%F'}}}}",
                  "fieldMappings.custom.note.format: only timestamp fields take a format");
  assert_invalid ("{" REST ", 'fieldMappings': {'marks': {'date': {'format': '%Y-%m'}}}}",
                  "fieldMappings.marks.date.format: needs a year, a month and a day");
}

/* ---- scalars ---------------------------------------------------------- */

static void
test_numbers (void)
{
  g_autoptr(LiaConfig) low = parse ("{" REST ", 'syncInterval': 5, 'timeoutSeconds': 1, 'maxRetries': 0}");
  g_autoptr(LiaConfig) high = parse ("{" REST ", 'syncInterval': 10080, 'timeoutSeconds': 600, 'maxRetries': 10,"
                                     " 'enabled': false}");

  g_assert_cmpint (low->sync_interval, ==, 5);
  g_assert_cmpint (low->timeout_seconds, ==, 1);
  g_assert_cmpint (low->max_retries, ==, 0);
  g_assert_cmpint (high->sync_interval, ==, 10080);
  g_assert_cmpint (high->timeout_seconds, ==, 600);
  g_assert_cmpint (high->max_retries, ==, 10);
  g_assert_false (high->enabled);

  assert_invalid ("{" REST ", 'syncInterval': 4}", "syncInterval: must be at least 5 minutes");
  assert_invalid ("{" REST ", 'syncInterval': -60}", "syncInterval: must be at least 5 minutes");
  assert_invalid ("{" REST ", 'syncInterval': 10081}", "syncInterval: must be at most 10080 minutes (a week)");
  assert_invalid ("{" REST ", 'syncInterval': 99999999999999}", "syncInterval: must be at most 10080 minutes (a week)");
  assert_invalid ("{" REST ", 'timeoutSeconds': 0, 'maxRetries': 11}",
                  "timeoutSeconds: must be between 1 and 600\n"
                  "maxRetries: must be between 0 and 10");
  assert_invalid ("{" REST ", 'timeoutSeconds': 601, 'maxRetries': -1}",
                  "timeoutSeconds: must be between 1 and 600\n"
                  "maxRetries: must be between 0 and 10");
}

static void
test_timezone (void)
{
  g_autoptr(LiaConfig) config = parse ("{" REST ", 'timezone': 'Europe/Paris'}");

  g_assert_cmpstr (config->timezone, ==, "Europe/Paris");
  assert_invalid ("{" REST ", 'timezone': 'Mars/Olympus_Mons'}", "timezone: unknown time zone");
  assert_invalid ("{" REST ", 'timezone': ''}", "timezone: unknown time zone");
}

/* The database's copy loads even after its caFile was deleted: the file
 * was checked on import, and a sync says clearly what is wrong now. */
static void
test_ca_file_stored (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaConfig) config = NULL;
  const char json[] = "{\"name\": \"ERP\", \"kind\": \"rest\", \"baseUrl\": \"https://erp.test\","
                      " \"endpoints\": {\"students\": \"/s\"}, \"caFile\": \"/nonexistent/ca.pem\"}";

  g_assert_null (lia_config_parse_data (json, -1, NULL, &error));
  g_assert_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_INVALID);
  g_clear_error (&error);

  config = lia_config_parse_stored (json, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (config->ca_file, ==, "/nonexistent/ca.pem");
}

static void
test_ca_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lia-config-XXXXXX", &error);
  g_autofree char *ca = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.pem", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(LiaConfig) config = NULL;

  g_assert_no_error (error);
  g_file_set_contents (ca, test_ca_pem, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (empty, "not a certificate\n", -1, &error);
  g_assert_no_error (error);

  good = g_strdup_printf ("{" REST ", 'caFile': '%s'}", ca);
  config = parse (good);
  g_assert_cmpstr (config->ca_file, ==, ca);

  bad = g_strdup_printf ("{" REST ", 'caFile': '%s'}", empty);
  expected = g_strdup_printf ("caFile: cannot read certificates from %s: the file holds no certificate", empty);
  assert_invalid (bad, expected);

  assert_invalid ("{" REST ", 'caFile': 'certs/ca.pem'}", "caFile: must be an absolute path");

  /* The reason comes from GIO; only the start of the line is ours. */
  {
    g_autofree char *json = NULL;
    g_autofree char *prefix = g_strdup_printf ("caFile: cannot read certificates from %s: ", missing);
    g_autoptr(LiaConfig) none = NULL;

    g_free (bad);
    bad = g_strdup_printf ("{" REST ", 'caFile': '%s'}", missing);
    json = quote (bad);
    none = lia_config_parse_data (json, -1, NULL, &error);
    g_assert_null (none);
    g_assert_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, prefix));
    g_assert_null (strchr (error->message, '\n'));
  }

  g_unlink (ca);
  g_unlink (empty);
  g_rmdir (dir);
}

/* ---- errors as a whole ------------------------------------------------ */

/* Every problem is reported, in document order, with what is missing at
 * the end. */
static void
test_many_errors (void)
{
  assert_invalid ("{\n"
                  "  'kind': 'rest',\n"
                  "  'syncInterval': 2,\n"
                  "  'baseUrl': 'erp.college.edu/api',\n"
                  "  'authType': 'basic',\n"
                  "  'password': 'hunter2',\n"
                  "  'headers': { 'Authorization': 'Basic aGk=', 'X-Foo': 'ok' },\n"
                  "  'endpoints': { 'grades': '/grades', 'students': { 'path': '/s', 'pagination': { 'style': 'page', 'cursorPath': 'x' } } },\n"
                  "  'fieldMappings': { 'students': { 'nmae': 'name' } },\n"
                  "  'enabled': 'yes',\n"
                  "  'colour': 'blue'\n"
                  "}",
                  "syncInterval: must be at least 5 minutes\n"
                  "baseUrl: not an http or https URL\n"
                  "headers.Authorization: credentials go in apiKey or password, not in headers\n"
                  "endpoints.grades: unknown data type\n"
                  "endpoints.students.pagination.cursorPath: not used by style page\n"
                  "fieldMappings.students.nmae: unknown field for students (expected externalId, name, email)\n"
                  "enabled: must be true or false\n"
                  "colour: unknown key\n"
                  "name: required\n"
                  "username: required for authType basic");
}

/* A secret value never appears in an error, whatever is wrong with it. */
static void
test_errors_hide_secrets (void)
{
  const char *texts[] = {
    "{" REST ", 'apiKey': 'SECRET-VALUE-1'}",
    "{" REST ", 'authType': 'basic', 'password': 'SECRET-VALUE-1'}",
    "{" REST ", 'authType': 'bearer', 'apiKey': 'SECRET-VALUE-1', 'headers': {'Authorization': 'SECRET-VALUE-1',"
    " 'X-Key': 'SECRET-VALUE-1\\n'}, 'baseUrl': 'https://user:SECRET-VALUE-1@x.example'}",
    "{" REST ", 'authType': 'oauth2', 'oauth': {'clientSecret': 'SECRET-VALUE-1', 'issuer': 'http://SECRET-VALUE-1'}}",
    "{" REST ", 'authType': 'none', 'oauth': {'clientSecret': 'SECRET-VALUE-1'}, 'username': 'SECRET-VALUE-1'}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *json = quote (texts[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(LiaConfig) config = lia_config_parse_data (json, -1, NULL, &error);

      g_assert_null (config);
      g_assert_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_INVALID);
      g_assert_null (strstr (error->message, "SECRET-VALUE"));
    }
}

/* ---- secrets and copies ----------------------------------------------- */

static void
test_secret_fields (void)
{
  const struct {
    const char *config;
    const char *field;
  } cases[] = {
    { "{" REST "}", NULL },
    { "{" REST ", 'authType': 'api-key'}", LIA_SECRET_API_KEY },
    { "{" REST ", 'authType': 'bearer'}", LIA_SECRET_API_KEY },
    { "{" REST ", 'authType': 'basic', 'username': 'u'}", LIA_SECRET_PASSWORD },
    { "{" REST ", 'authType': 'oauth2', 'oauth': {'provider': 'google', 'clientId': 'c'}}", LIA_SECRET_CLIENT_SECRET },
    { "{'name': 'm', 'kind': 'moodle', 'baseUrl': 'https://m.example'}", LIA_SECRET_API_KEY },
  };
  const char *all[] = { LIA_SECRET_API_KEY, LIA_SECRET_PASSWORD, LIA_SECRET_CLIENT_SECRET };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LiaConfig) config = parse (cases[i].config);
      g_autofree const char **fields = lia_config_secret_fields (config);

      g_assert_cmpstr (fields[0], ==, cases[i].field);
      if (fields[0] != NULL)
        g_assert_null (fields[1]);
      for (guint j = 0; j < G_N_ELEMENTS (all); j++)
        g_assert_cmpint (lia_config_uses_secret (config, all[j]), ==, g_strcmp0 (all[j], cases[i].field) == 0);
    }
}

/* lia_config_parse() on a node the caller keeps: the node is left alone. */
static void
test_parse_node (void)
{
  g_autofree char *json = quote ("{" REST ", 'authType': 'bearer', 'apiKey': 'tok'}");
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaConfig) config = lia_config_parse (root, &secrets, &error);
  g_autoptr(JsonNode) out = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lia_config_secrets_get (secrets, LIA_SECRET_API_KEY), ==, "tok");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "apiKey"), ==, "tok");

  /* The JSON handed out is the caller's to change. */
  out = lia_config_to_json (config);
  g_assert_false (json_object_has_member (json_node_get_object (out), "apiKey"));
  json_object_set_string_member (json_node_get_object (out), "name", "Changed");
  g_assert_cmpstr (config->name, ==, "ERP");
  {
    g_autofree char *text = lia_config_to_string (config, FALSE);
    g_assert_null (strstr (text, "Changed"));
  }
  /* No secrets asked for: still parses. */
  {
    g_autoptr(LiaConfig) again = lia_config_parse (root, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (again);
  }
}

static void
test_with_enabled (void)
{
  g_autoptr(LiaConfig) config = parse (example);
  g_autoptr(LiaConfig) disabled = lia_config_with_enabled (config, FALSE);
  g_autoptr(LiaConfig) enabled = NULL;
  g_autoptr(JsonNode) json = lia_config_to_json (disabled);
  g_autoptr(LiaConfig) implicit = parse ("{" REST "}");
  g_autoptr(LiaConfig) implicit_off = lia_config_with_enabled (implicit, FALSE);
  g_autofree char *implicit_text = lia_config_to_string (implicit_off, FALSE);

  g_assert_true (config->enabled);
  g_assert_false (disabled->enabled);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (json), "enabled"));
  g_assert_cmpstr (disabled->name, ==, config->name);
  g_assert_cmpstr (disabled->endpoints[LIA_DATA_TYPE_ATTENDANCE]->path, ==, "/attendance/records");
  assert_round_trip (disabled);

  /* The original is unchanged, and outlives or dies before the copy. */
  {
    g_autofree char *text = lia_config_to_string (config, FALSE);
    g_assert_nonnull (strstr (text, "\"enabled\":true"));
  }
  enabled = lia_config_with_enabled (disabled, TRUE);
  g_clear_pointer (&config, lia_config_unref);
  g_clear_pointer (&disabled, lia_config_unref);
  g_assert_true (enabled->enabled);
  g_assert_cmpuint (enabled->mappings[LIA_DATA_TYPE_ATTENDANCE]->len, ==, 4);
  assert_round_trip (enabled);

  g_assert_true (g_str_has_suffix (implicit_text, "\"enabled\":false}"));
  assert_round_trip (implicit_off);
}

static gpointer
use_config (gpointer data)
{
  LiaConfig *config = data;

  for (int i = 0; i < 200; i++)
    {
      g_autoptr(LiaConfig) ref = lia_config_ref (config);
      g_autofree char *text = lia_config_to_string (ref, i % 2);
      g_autoptr(JsonNode) json = lia_config_to_json (ref);
      g_autoptr(LiaConfig) copy = lia_config_with_enabled (ref, FALSE);

      if (strstr (text, "College ERP") == NULL || json == NULL || copy->enabled)
        return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (TRUE);
}

/* A config is handed to worker threads: reading it from several at once
 * must be safe. */
static void
test_threads (void)
{
  g_autoptr(LiaConfig) config = parse (example);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("config", use_config, config);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config/example", test_example);
  g_test_add_func ("/config/example/to-string", test_example_to_string);
  g_test_add_func ("/config/round-trip", test_round_trip);
  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/syntax", test_syntax);
  g_test_add_func ("/config/syntax/hides-secrets", test_syntax_hides_secrets);
  g_test_add_func ("/config/root-not-object", test_root_not_object);
  g_test_add_func ("/config/unknown-keys", test_unknown_keys);
  g_test_add_func ("/config/types", test_types);
  g_test_add_func ("/config/name", test_name);
  g_test_add_func ("/config/kind", test_kind);
  g_test_add_func ("/config/base-url", test_base_url);
  g_test_add_func ("/config/file-kind", test_file_kind);
  g_test_add_func ("/config/auth/type", test_auth_type);
  g_test_add_func ("/config/auth/api-key", test_api_key);
  g_test_add_func ("/config/auth/api-key-place", test_api_key_place);
  g_test_add_func ("/config/auth/basic", test_basic);
  g_test_add_func ("/config/auth/moodle", test_moodle);
  g_test_add_func ("/config/auth/oauth-generic", test_oauth_generic);
  g_test_add_func ("/config/auth/oauth-providers", test_oauth_providers);
  g_test_add_func ("/config/headers", test_headers);
  g_test_add_func ("/config/endpoints", test_endpoints);
  g_test_add_func ("/config/pagination", test_pagination);
  g_test_add_func ("/config/field-mappings", test_field_mappings);
  g_test_add_func ("/config/numbers", test_numbers);
  g_test_add_func ("/config/timezone", test_timezone);
  g_test_add_func ("/config/ca-file", test_ca_file);
  g_test_add_func ("/config/ca-file-stored", test_ca_file_stored);
  g_test_add_func ("/config/errors/many", test_many_errors);
  g_test_add_func ("/config/errors/hide-secrets", test_errors_hide_secrets);
  g_test_add_func ("/config/secret-fields", test_secret_fields);
  g_test_add_func ("/config/parse-node", test_parse_node);
  g_test_add_func ("/config/with-enabled", test_with_enabled);
  g_test_add_func ("/config/threads", test_threads);

  return g_test_run ();
}
