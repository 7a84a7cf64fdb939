/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "lia-database.h"
#include "lia-integration-store.h"
#include "lia-oauth.h"
#include "lia-secrets.h"
#include "lia-sync-runner.h"
#include "lia-test-oidc.h"
#include "lia-test-server.h"
#include "lia-test-util.h"
#include "lia-util.h"

/* OAuth sign-in against a real authorization server (oidc-provider), the
 * test playing the browser. */

typedef struct {
  LiaTestOidc   *oidc;
  LiaTestServer *api;        /* a school API that checks tokens by introspection */
  char          *db_path;
  char          *database_id;
  gint64         id;
} Fixture;

/* The API accepts a bearer token only while the authorization server
 * says it is active. */
static void
handle_api (SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (message), "Authorization");
  gboolean active = FALSE;

  if (auth != NULL && g_str_has_prefix (auth, "Bearer "))
    g_assert_true (lia_test_oidc_introspect (f->oidc, auth + 7, &active, NULL));
  if (!active)
    {
      lia_test_reply_json (message, 401, "{\"error\": \"invalid_token\"}");
      return;
    }
  lia_test_reply_json (message, 200, "[{\"externalId\": \"s1\", \"name\": \"Ada\"}, {\"externalId\": \"s2\", \"name\": \"Grace\"}]");
}

static void
setup_with_ttl (Fixture *f,
                guint    access_ttl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autofree char *json = NULL;

  f->oidc = lia_test_oidc_start (access_ttl);
  f->api = lia_test_server_new (handle_api, f);
  f->db_path = lia_test_db_path ();
  json = g_strdup_printf ("{\"name\": \"School API\", \"kind\": \"rest\", \"baseUrl\": \"%s\", \"authType\": \"oauth2\","
                          " \"oauth\": {\"provider\": \"generic\", \"issuer\": \"%s\", \"clientId\": \"%s\","
                          "  \"scopes\": [\"openid\", \"email\", \"offline_access\"]},"
                          " \"endpoints\": {\"students\": \"/students\"}}",
                          lia_test_server_get_url (f->api), lia_test_oidc_get_issuer (f->oidc), LIA_TEST_OIDC_CLIENT_ID);
  config = lia_test_config (json, NULL);
  db = lia_database_open (f->db_path, &error);
  g_assert_no_error (error);
  f->database_id = g_strdup (lia_database_get_id (db));
  f->id = lia_integration_store_add (db, config, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  setup_with_ttl (f, GPOINTER_TO_UINT (data) ? GPOINTER_TO_UINT (data) : 3600);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lia_test_server_free (f->api);
  lia_test_oidc_stop (f->oidc);
  g_free (f->db_path);
  g_free (f->database_id);
}

static char *
secret (Fixture    *f,
        const char *field)
{
  g_autoptr(GError) error = NULL;
  char *value = lia_secrets_lookup (f->database_id, f->id, field, NULL, &error);

  g_assert_no_error (error);
  return value;
}

static gboolean
is_active (Fixture    *f,
           const char *token)
{
  g_autoptr(GError) error = NULL;
  gboolean active = FALSE;

  g_assert_true (lia_test_oidc_introspect (f->oidc, token, &active, &error));
  g_assert_no_error (error);
  return active;
}

/* A sign-in running in its own thread, as the GUI runs it in a GTask. */
typedef struct {
  Fixture        *f;
  GMutex          mutex;
  GCond           cond;
  char           *url;
  GThread        *thread;
  GCancellable   *cancellable;
  gboolean        ok;
  GError         *error;
  LiaOAuthStatus  status;
} Login;

static void
on_url_cb (const char *url,
           gpointer    user_data)
{
  Login *login = user_data;

  g_mutex_lock (&login->mutex);
  if (login->url == NULL)
    login->url = g_strdup (url);
  g_cond_signal (&login->cond);
  g_mutex_unlock (&login->mutex);
}

static gpointer
login_thread (gpointer data)
{
  Login *login = data;
  LiaOAuthLoginOptions options = { on_url_cb, login, 20 };

  login->ok = lia_oauth_login_blocking (login->f->db_path, login->f->id, &options, login->cancellable,
                                        &login->status, &login->error);
  /* Wake a waiter if the flow ended before it had a URL. */
  on_url_cb ("", login);
  return NULL;
}

static Login *
start_login (Fixture *f)
{
  Login *login = g_new0 (Login, 1);

  login->f = f;
  login->cancellable = g_cancellable_new ();
  g_mutex_init (&login->mutex);
  g_cond_init (&login->cond);
  login->thread = g_thread_new ("login", login_thread, login);

  g_mutex_lock (&login->mutex);
  while (login->url == NULL)
    g_cond_wait (&login->cond, &login->mutex);
  g_mutex_unlock (&login->mutex);
  g_assert_true (g_str_has_prefix (login->url, "http"));
  return login;
}

/* Waits for the sign-in to end, however it ends. */
static void
join_login (Login *login)
{
  if (login->thread != NULL)
    g_thread_join (g_steal_pointer (&login->thread));
}

static void
end_login (Login *login)
{
  join_login (login);
  g_free (login->url);
  g_object_unref (login->cancellable);
  g_mutex_clear (&login->mutex);
  g_cond_clear (&login->cond);
  lia_oauth_status_clear (&login->status);
  g_clear_error (&login->error);
  g_free (login);
}

static char *
query_param (const char *url,
             const char *name)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);

  return g_strdup (g_hash_table_lookup (params, name));
}

static char *
replace_param (const char *url,
               const char *name,
               const char *value)
{
  g_autofree char *old = query_param (url, name);
  g_autofree char *escaped = g_uri_escape_string (old, NULL, FALSE);
  g_autofree char *needle = g_strdup_printf ("%s=%s", name, escaped);
  g_autofree char *replacement = g_strdup_printf ("%s=%s", name, value);
  GString *text = g_string_new (url);

  g_assert_nonnull (strstr (url, needle));
  g_string_replace (text, needle, replacement, 1);
  return g_string_free (text, FALSE);
}

static void
sign_in (Fixture *f)
{
  Login *login = start_login (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = lia_test_browser_authorize (login->url, "ada", LIA_TEST_BROWSER_APPROVE, &error);
  g_autofree char *page = NULL;
  guint status;

  g_assert_no_error (error);
  g_assert_true (lia_test_browser_get (callback, &status, &page, &error));
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "close this tab"));
  join_login (login);
  g_assert_no_error (login->error);
  g_assert_true (login->ok);
  g_assert_true (login->status.connected);
  g_assert_cmpstr (login->status.account, ==, "ada@school.test");
  end_login (login);
}

static void
assert_db_free_of (Fixture    *f,
                   const char *value)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->db_path, suffixes[i], NULL);
      g_assert_false (lia_test_file_contains (path, value));
    }
}

/* Tests */

static void
test_sign_in (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LiaSecret) access = NULL;
  g_autoptr(LiaSecret) refresh = NULL;
  g_autoptr(LiaTestResult) status = NULL;
  g_autoptr(JsonNode) json = NULL;

  sign_in (f);
  access = secret (f, LIA_SECRET_ACCESS_TOKEN);
  refresh = secret (f, LIA_SECRET_REFRESH_TOKEN);
  g_assert_nonnull (access);
  g_assert_nonnull (refresh);
  g_assert_true (is_active (f, access));

  /* The tokens are in the keyring only. */
  assert_db_free_of (f, access);
  assert_db_free_of (f, refresh);

  status = lia_test_cli (f->db_path, NULL, "oauth", "status", "1", "--json", NULL);
  g_assert_cmpint (status->status, ==, 0);
  g_assert_null (strstr (status->out, access));
  g_assert_null (strstr (status->out, refresh));
  json = json_from_string (status->out, NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (json), "connected"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json), "account"), ==, "ada@school.test");
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (json), "expiresAt"));
}

/* The authorization request carries PKCE S256 and a fresh random state. */
static void
test_authorization_request (Fixture       *f,
                            gconstpointer  data)
{
  Login *first = start_login (f);
  g_autofree char *state1 = query_param (first->url, "state");
  g_autofree char *method = query_param (first->url, "code_challenge_method");
  g_autofree char *challenge = query_param (first->url, "code_challenge");
  g_autofree char *redirect = query_param (first->url, "redirect_uri");
  g_autofree char *state2 = NULL;
  Login *second;

  g_assert_cmpstr (method, ==, "S256");
  g_assert_cmpuint (strlen (challenge), ==, 43);
  g_assert_cmpuint (strlen (state1), >=, 22);
  g_assert_true (g_str_has_prefix (redirect, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (redirect, "/oauth2/callback"));
  g_cancellable_cancel (first->cancellable);
  end_login (first);

  second = start_login (f);
  state2 = query_param (second->url, "state");
  g_assert_cmpstr (state1, !=, state2);
  g_cancellable_cancel (second->cancellable);
  end_login (second);
}

static void
test_tampered_state (Fixture       *f,
                     gconstpointer  data)
{
  Login *login = start_login (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = lia_test_browser_authorize (login->url, "ada", LIA_TEST_BROWSER_APPROVE, &error);
  g_autofree char *forged = replace_param (callback, "state", "forged-state");
  g_autofree char *page = NULL;
  g_autoptr(LiaSecret) access = NULL;
  guint status;

  g_assert_no_error (error);
  g_assert_true (lia_test_browser_get (forged, &status, &page, &error));
  g_assert_cmpuint (status, ==, 400);
  join_login (login);
  g_assert_false (login->ok);
  g_assert_error (login->error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_STATE_MISMATCH);
  end_login (login);

  access = secret (f, LIA_SECRET_ACCESS_TOKEN);
  g_assert_null (access);

  /* The listener is gone: the real answer finds nobody. */
  g_assert_false (lia_test_browser_get (callback, &status, NULL, &error));
}

static void
test_wrong_issuer (Fixture       *f,
                   gconstpointer  data)
{
  Login *login = start_login (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = lia_test_browser_authorize (login->url, "ada", LIA_TEST_BROWSER_APPROVE, &error);
  g_autofree char *forged = replace_param (callback, "iss", "https%3A%2F%2Fevil.example");
  guint status;

  g_assert_no_error (error);
  g_assert_true (lia_test_browser_get (forged, &status, NULL, &error));
  g_assert_cmpuint (status, ==, 400);
  join_login (login);
  g_assert_error (login->error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_ISSUER_MISMATCH);
  end_login (login);
}

static void
test_denied (Fixture       *f,
             gconstpointer  data)
{
  Login *login = start_login (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *callback = lia_test_browser_authorize (login->url, "ada", LIA_TEST_BROWSER_DENY, &error);
  g_autofree char *oauth_error = query_param (callback, "error");
  g_autoptr(LiaSecret) refresh = NULL;
  guint status;

  g_assert_no_error (error);
  g_assert_cmpstr (oauth_error, ==, "access_denied");
  g_assert_true (lia_test_browser_get (callback, &status, NULL, &error));
  join_login (login);
  g_assert_error (login->error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_ACCESS_DENIED);
  end_login (login);

  refresh = secret (f, LIA_SECRET_REFRESH_TOKEN);
  g_assert_null (refresh);
}

/* Only 127.0.0.1, only /oauth2/callback. */
static void
test_listener (Fixture       *f,
               gconstpointer  data)
{
  Login *login = start_login (f);
  g_autofree char *redirect = query_param (login->url, "redirect_uri");
  g_autoptr(GUri) uri = g_uri_parse (redirect, G_URI_FLAGS_NONE, NULL);
  g_autofree char *other_path = g_strdup_printf ("http://127.0.0.1:%d/favicon.ico", g_uri_get_port (uri));
  g_autofree char *other_host = g_strdup_printf ("http://127.0.0.2:%d/oauth2/callback", g_uri_get_port (uri));
  g_autoptr(GError) error = NULL;
  guint status = 0;

  g_assert_true (lia_test_browser_get (other_path, &status, NULL, &error));
  g_assert_cmpuint (status, ==, 404);
  g_assert_false (lia_test_browser_get (other_host, &status, NULL, &error));
  g_clear_error (&error);

  g_cancellable_cancel (login->cancellable);
  end_login (login);
  g_assert_false (lia_test_browser_get (other_path, &status, NULL, &error));
}

/* The access token lives 2 s: the sync refreshes it before its request. */
static void
test_expired_token_refreshed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(LiaSecret) first_access = NULL;
  g_autoptr(LiaSecret) first_refresh = NULL;
  g_autoptr(LiaSecret) second_refresh = NULL;
  g_autoptr(LiaSyncRun) run = NULL;
  g_autoptr(GError) error = NULL;
  LiaSyncOptions options = { .integration_id = f->id, .trigger = "cli" };

  sign_in (f);
  first_access = secret (f, LIA_SECRET_ACCESS_TOKEN);
  first_refresh = secret (f, LIA_SECRET_REFRESH_TOKEN);
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_false (is_active (f, first_access));

  run = lia_sync_run_blocking (f->db_path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (run->status, ==, "success");
  g_assert_cmpint (run->counts[LIA_DATA_TYPE_STUDENTS].created, ==, 2);

  /* Rotation: the new refresh token replaced the old, which is spent. */
  second_refresh = secret (f, LIA_SECRET_REFRESH_TOKEN);
  g_assert_cmpstr (second_refresh, !=, first_refresh);
  g_assert_true (is_active (f, second_refresh));
}

static void
test_revoked_refresh_needs_sign_in (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(LiaSecret) refresh = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaTestResult) cli = NULL;
  guint status;

  sign_in (f);
  refresh = secret (f, LIA_SECRET_REFRESH_TOKEN);
  g_assert_true (lia_test_post_form (lia_test_oidc_get_endpoint (f->oidc, "revocation_endpoint"), &status, NULL, &error,
                                     "token", refresh, "client_id", LIA_TEST_OIDC_CLIENT_ID, NULL));
  g_assert_cmpuint (status, ==, 200);

  g_assert_false (lia_oauth_refresh (f->db_path, f->id, NULL, &error));
  g_assert_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_NEEDS_SIGNIN);

  db = lia_database_open (f->db_path, NULL);
  integration = lia_integration_store_get (db, f->id, NULL);
  g_assert_cmpstr (integration->status, ==, LIA_STATUS_NEEDS_SIGNIN);
  cli = lia_test_cli (f->db_path, NULL, "oauth", "status", "1", NULL);
  g_assert_nonnull (strstr (cli->out, "Needs sign-in"));
}

static void
test_logout_revokes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LiaSecret) refresh = NULL;
  g_autoptr(LiaSecret) after = NULL;
  g_autoptr(LiaTestResult) logout = NULL;
  g_autoptr(LiaTestResult) status = NULL;

  sign_in (f);
  refresh = secret (f, LIA_SECRET_REFRESH_TOKEN);
  g_assert_true (is_active (f, refresh));

  logout = lia_test_cli (f->db_path, NULL, "oauth", "logout", "1", NULL);
  g_assert_cmpint (logout->status, ==, 0);
  g_assert_false (is_active (f, refresh));
  after = secret (f, LIA_SECRET_REFRESH_TOKEN);
  g_assert_null (after);

  status = lia_test_cli (f->db_path, NULL, "oauth", "status", "1", "--json", NULL);
  g_assert_nonnull (strstr (status->out, "\"connected\" : false"));
}

/* The GUI (a thread here) and liaison-cli refresh at once: one waits for
 * the other, and the sign-in survives rotation. */
static gpointer
refresh_thread (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GError) error = NULL;
  gboolean ok = lia_oauth_refresh (f->db_path, f->id, NULL, &error);

  g_assert_no_error (error);
  return GINT_TO_POINTER (ok);
}

static void
test_concurrent_refresh (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaSecret) refresh = NULL;

  sign_in (f);
  for (int round = 0; round < 3; round++)
    {
      GThread *thread = g_thread_new ("gui-refresh", refresh_thread, f);
      g_autoptr(LiaTestResult) cli = lia_test_cli (f->db_path, NULL, "oauth", "refresh", "1", NULL);

      g_assert_cmpstr (cli->err, ==, "");
      g_assert_cmpint (cli->status, ==, 0);
      g_assert_true (GPOINTER_TO_INT (g_thread_join (thread)));
    }

  g_assert_true (lia_oauth_refresh (f->db_path, f->id, NULL, &error));
  g_assert_no_error (error);
  refresh = secret (f, LIA_SECRET_REFRESH_TOKEN);
  g_assert_true (is_active (f, refresh));
}

/* The CLI end to end: --no-browser prints the URL alone on a line. */
static void
test_cli_login (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                                     &error, g_getenv ("LIAISON_CLI"), "--db", f->db_path,
                                                     "oauth", "login", "1", "--no-browser", NULL);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autofree char *url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_autofree char *callback = NULL;
  g_autofree char *rest = NULL;
  g_autoptr(LiaSecret) access = NULL;
  guint status;

  g_assert_no_error (error);
  callback = lia_test_browser_authorize (url, "grace", LIA_TEST_BROWSER_APPROVE, &error);
  g_assert_no_error (error);
  g_assert_true (lia_test_browser_get (callback, &status, NULL, &error));
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    {
      g_autoptr(GDataInputStream) err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
      g_autofree char *text = g_data_input_stream_read_upto (err, "", 0, NULL, NULL, NULL);
      g_error ("liaison-cli oauth login failed: %s", text ? text : "");
    }

  access = secret (f, LIA_SECRET_ACCESS_TOKEN);
  rest = g_data_input_stream_read_upto (out, "", 0, NULL, NULL, NULL);
  g_assert_true (rest == NULL || strstr (rest, access) == NULL);
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

#define ADD(path, func, ttl) g_test_add (path, Fixture, GUINT_TO_POINTER (ttl), fixture_setup, func, fixture_teardown)
  ADD ("/oauth/sign-in", test_sign_in, 0);
  ADD ("/oauth/authorization-request", test_authorization_request, 0);
  ADD ("/oauth/tampered-state", test_tampered_state, 0);
  ADD ("/oauth/wrong-issuer", test_wrong_issuer, 0);
  ADD ("/oauth/denied", test_denied, 0);
  ADD ("/oauth/listener", test_listener, 0);
  ADD ("/oauth/expired-token-refreshed", test_expired_token_refreshed, 2);
  ADD ("/oauth/revoked-refresh", test_revoked_refresh_needs_sign_in, 0);
  ADD ("/oauth/logout-revokes", test_logout_revokes, 0);
  ADD ("/oauth/concurrent-refresh", test_concurrent_refresh, 0);
  ADD ("/oauth/cli-login", test_cli_login, 0);
#undef ADD

  return g_test_run ();
}
