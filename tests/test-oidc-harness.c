/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-oidc-harness"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lia-test-oidc.h"
#include "lia-test-server.h"
#include "lia-test-util.h"

/* The harness on its own, without Liaison's OAuth client: a real
 * authorization server, a browser that signs in, and the token endpoint
 * used by hand. Tokens are compared and checked, never printed. */

/* RFC 7636, appendix B. */
#define VERIFIER  "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
#define STATE     "state-2f6c1e"

/* --- helpers --------------------------------------------------------- */

static char *
s256 (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *base64 = NULL;
  GString *out;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  base64 = g_base64_encode (digest, length);
  out = g_string_new (NULL);
  for (const char *p = base64; *p != '\0' && *p != '='; p++)
    g_string_append_c (out, *p == '+' ? '-' : *p == '/' ? '_' : *p);
  return g_string_free (out, FALSE);
}

static char *
redirect_uri_for (guint port)
{
  return g_strdup_printf ("http://127.0.0.1:%u/oauth2/callback", port);
}

/* The authorization URL a client prints; without @challenge, no PKCE. */
static char *
authorization_url (LiaTestOidc *oidc,
                   const char  *redirect_uri,
                   const char  *challenge)
{
  const char *endpoint = lia_test_oidc_get_endpoint (oidc, "authorization_endpoint");
  g_autofree char *query = NULL;

  if (challenge != NULL)
    query = soup_form_encode ("client_id", LIA_TEST_OIDC_CLIENT_ID,
                              "redirect_uri", redirect_uri,
                              "response_type", "code",
                              "scope", "openid email offline_access",
                              "state", STATE,
                              "code_challenge", challenge,
                              "code_challenge_method", "S256",
                              NULL);
  else
    query = soup_form_encode ("client_id", LIA_TEST_OIDC_CLIENT_ID,
                              "redirect_uri", redirect_uri,
                              "response_type", "code",
                              "scope", "openid email offline_access",
                              "state", STATE,
                              NULL);
  g_assert_nonnull (endpoint);
  return g_strconcat (endpoint, "?", query, NULL);
}

/* The query of the callback URL, which must go to @redirect_uri. */
static GHashTable *
callback_params (const char *callback,
                 const char *redirect_uri)
{
  g_autoptr(GUri) uri = g_uri_parse (callback, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(GUri) expected = g_uri_parse (redirect_uri, SOUP_HTTP_URI_FLAGS, NULL);
  GHashTable *params;

  g_assert_nonnull (uri);
  g_assert_cmpstr (g_uri_get_host (uri), ==, g_uri_get_host (expected));
  g_assert_cmpint (g_uri_get_port (uri), ==, g_uri_get_port (expected));
  g_assert_cmpstr (g_uri_get_path (uri), ==, "/oauth2/callback");
  g_assert_nonnull (g_uri_get_query (uri));
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (params);
  return params;
}

static JsonObject *
post_json (const char *url,
           guint       expected_status,
           ...) G_GNUC_NULL_TERMINATED;

/* POSTs a form (name, value, …, NULL) and returns the JSON answer. */
static JsonObject *
post_json (const char *url,
           guint       expected_status,
           ...)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  va_list args;
  char *form;
  const char *first;

  va_start (args, expected_status);
  first = va_arg (args, const char *);
  form = soup_form_encode_valist (first, args);
  va_end (args);

  message = soup_message_new_from_encoded_form ("POST", url, form);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, expected_status);
  if (g_bytes_get_size (body) == 0)
    return NULL;
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
is_active (LiaTestOidc *oidc,
           const char  *token)
{
  g_autoptr(GError) error = NULL;
  gboolean active = TRUE;

  g_assert_true (lia_test_oidc_introspect (oidc, token, &active, &error));
  g_assert_no_error (error);
  return active;
}

/* Signs in and exchanges the code; returns the token response. */
static JsonObject *
sign_in (LiaTestOidc *oidc,
         guint        port)
{
  g_autofree char *redirect_uri = redirect_uri_for (port);
  g_autofree char *url = authorization_url (oidc, redirect_uri, CHALLENGE);
  g_autofree char *callback = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;

  callback = lia_test_browser_authorize (url, "ada", LIA_TEST_BROWSER_APPROVE, &error);
  g_assert_no_error (error);
  params = callback_params (callback, redirect_uri);
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, STATE);
  g_assert_cmpstr (g_hash_table_lookup (params, "iss"), ==, lia_test_oidc_get_issuer (oidc));
  g_assert_null (g_hash_table_lookup (params, "error"));
  g_assert_nonnull (g_hash_table_lookup (params, "code"));

  return post_json (lia_test_oidc_get_endpoint (oidc, "token_endpoint"), SOUP_STATUS_OK,
                    "grant_type", "authorization_code",
                    "code", g_hash_table_lookup (params, "code"),
                    "redirect_uri", redirect_uri,
                    "client_id", LIA_TEST_OIDC_CLIENT_ID,
                    "code_verifier", VERIFIER,
                    NULL);
}

/* The app's loopback listener, reduced to what a browser sees. */
static void
callback_handler (SoupServerMessage *message,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  if (g_str_equal (path, "/oauth2/callback") && query != NULL && g_hash_table_contains (query, "code"))
    lia_test_reply (message, SOUP_STATUS_OK, "text/plain", "You can close this window.");
  else
    lia_test_reply (message, SOUP_STATUS_BAD_REQUEST, "text/plain", "No code.");
}

/* --- tests ----------------------------------------------------------- */

static void
test_pkce_s256 (void)
{
  g_autofree char *challenge = s256 (VERIFIER);

  g_assert_cmpstr (challenge, ==, CHALLENGE);
}

static void
test_discovery (void)
{
  g_autoptr(LiaTestOidc) oidc = lia_test_oidc_start (3600);
  g_autofree char *text = lia_test_oidc_get_json (oidc, "/.well-known/openid-configuration");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *discovery;
  JsonArray *methods;
  gboolean s256_found = FALSE;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  discovery = json_node_get_object (json_parser_get_root (parser));

  g_assert_cmpstr (json_object_get_string_member (discovery, "issuer"), ==, lia_test_oidc_get_issuer (oidc));
  g_assert_true (g_str_has_prefix (lia_test_oidc_get_issuer (oidc), "http://127.0.0.1:"));
  for (guint i = 0; i < 4; i++)
    {
      const char *names[] = { "authorization_endpoint", "token_endpoint",
                              "revocation_endpoint", "introspection_endpoint" };
      const char *url = json_object_get_string_member_with_default (discovery, names[i], NULL);

      g_assert_nonnull (url);
      g_assert_true (g_str_has_prefix (url, lia_test_oidc_get_issuer (oidc)));
    }
  g_assert_true (json_object_get_boolean_member_with_default (discovery,
                                                              "authorization_response_iss_parameter_supported",
                                                              FALSE));
  methods = json_object_get_array_member (discovery, "code_challenge_methods_supported");
  for (guint i = 0; i < json_array_get_length (methods); i++)
    s256_found |= g_str_equal (json_array_get_string_element (methods, i), "S256");
  g_assert_true (s256_found);
}

static void
test_code_flow (void)
{
  g_autoptr(LiaTestOidc) oidc = lia_test_oidc_start (3600);
  g_autoptr(LiaTestServer) listener = lia_test_server_new (callback_handler, NULL);
  g_autoptr(GUri) listener_uri = g_uri_parse (lia_test_server_get_url (listener), SOUP_HTTP_URI_FLAGS, NULL);
  guint port = (guint) g_uri_get_port (listener_uri);
  g_autofree char *redirect_uri = redirect_uri_for (port);
  g_autofree char *url = authorization_url (oidc, redirect_uri, CHALLENGE);
  g_autofree char *callback = NULL;
  g_autofree char *page = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(JsonObject) tokens = NULL;
  g_autoptr(JsonObject) refreshed = NULL;
  g_autoptr(JsonObject) reused = NULL;
  g_autoptr(GError) error = NULL;
  const char *token_endpoint = lia_test_oidc_get_endpoint (oidc, "token_endpoint");
  const char *access, *refresh, *new_access, *new_refresh;
  guint status = 0;

  callback = lia_test_browser_authorize (url, "ada", LIA_TEST_BROWSER_APPROVE, &error);
  g_assert_no_error (error);
  params = callback_params (callback, redirect_uri);
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, STATE);
  g_assert_cmpstr (g_hash_table_lookup (params, "iss"), ==, lia_test_oidc_get_issuer (oidc));
  g_assert_nonnull (g_hash_table_lookup (params, "code"));

  /* The browser delivers it to the loopback listener. */
  g_assert_true (lia_test_browser_get (callback, &status, &page, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (page, ==, "You can close this window.");
  g_assert_cmpuint (lia_test_server_get_hits (listener), ==, 1);

  /* PKCE: the code without the right verifier is refused. */
  reused = post_json (token_endpoint, SOUP_STATUS_BAD_REQUEST,
                      "grant_type", "authorization_code",
                      "code", g_hash_table_lookup (params, "code"),
                      "redirect_uri", redirect_uri,
                      "client_id", LIA_TEST_OIDC_CLIENT_ID,
                      "code_verifier", "wrong-verifier-wrong-verifier-wrong-verifier",
                      NULL);
  g_assert_cmpstr (json_object_get_string_member (reused, "error"), ==, "invalid_grant");
  g_clear_pointer (&params, g_hash_table_unref);

  /* A fresh sign-in then, exchanged properly. */
  tokens = sign_in (oidc, port);
  access = json_object_get_string_member_with_default (tokens, "access_token", NULL);
  refresh = json_object_get_string_member_with_default (tokens, "refresh_token", NULL);
  g_assert_nonnull (access);
  g_assert_nonnull (refresh);
  g_assert_nonnull (json_object_get_string_member_with_default (tokens, "id_token", NULL));
  g_assert_cmpstr (json_object_get_string_member (tokens, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (tokens, "expires_in"), >, 3000);
  g_assert_true (is_active (oidc, access));
  g_assert_true (is_active (oidc, refresh));

  /* Refresh with rotation: a new refresh token, the old one spent. */
  refreshed = post_json (token_endpoint, SOUP_STATUS_OK,
                         "grant_type", "refresh_token",
                         "refresh_token", refresh,
                         "client_id", LIA_TEST_OIDC_CLIENT_ID,
                         NULL);
  new_access = json_object_get_string_member_with_default (refreshed, "access_token", NULL);
  new_refresh = json_object_get_string_member_with_default (refreshed, "refresh_token", NULL);
  g_assert_nonnull (new_access);
  g_assert_nonnull (new_refresh);
  g_assert_true (g_strcmp0 (new_refresh, refresh) != 0);
  g_assert_true (g_strcmp0 (new_access, access) != 0);
  g_assert_false (is_active (oidc, refresh));
  g_assert_true (is_active (oidc, new_refresh));
  g_assert_true (is_active (oidc, new_access));

  /* Logout: revoking the refresh token ends the whole grant. */
  g_assert_true (lia_test_post_form (lia_test_oidc_get_endpoint (oidc, "revocation_endpoint"),
                                     &status, NULL, &error,
                                     "token", new_refresh,
                                     "token_type_hint", "refresh_token",
                                     "client_id", LIA_TEST_OIDC_CLIENT_ID,
                                     NULL));
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  g_assert_false (is_active (oidc, new_refresh));
  g_assert_false (is_active (oidc, new_access));

  /* A revoked refresh token is refused: the client must sign in again. */
  g_clear_pointer (&reused, json_object_unref);
  reused = post_json (token_endpoint, SOUP_STATUS_BAD_REQUEST,
                      "grant_type", "refresh_token",
                      "refresh_token", new_refresh,
                      "client_id", LIA_TEST_OIDC_CLIENT_ID,
                      NULL);
  g_assert_cmpstr (json_object_get_string_member (reused, "error"), ==, "invalid_grant");
}

/* Reusing a rotated refresh token revokes the whole grant (RFC 9700 4.14). */
static void
test_refresh_reuse (void)
{
  g_autoptr(LiaTestOidc) oidc = lia_test_oidc_start (3600);
  g_autoptr(JsonObject) tokens = sign_in (oidc, 43123);
  g_autoptr(JsonObject) refreshed = NULL;
  g_autoptr(JsonObject) reused = NULL;
  const char *token_endpoint = lia_test_oidc_get_endpoint (oidc, "token_endpoint");
  const char *refresh = json_object_get_string_member (tokens, "refresh_token");

  refreshed = post_json (token_endpoint, SOUP_STATUS_OK,
                         "grant_type", "refresh_token", "refresh_token", refresh,
                         "client_id", LIA_TEST_OIDC_CLIENT_ID, NULL);
  reused = post_json (token_endpoint, SOUP_STATUS_BAD_REQUEST,
                      "grant_type", "refresh_token", "refresh_token", refresh,
                      "client_id", LIA_TEST_OIDC_CLIENT_ID, NULL);
  g_assert_cmpstr (json_object_get_string_member (reused, "error"), ==, "invalid_grant");
  g_assert_false (is_active (oidc, json_object_get_string_member (refreshed, "refresh_token")));
  g_assert_false (is_active (oidc, json_object_get_string_member (refreshed, "access_token")));
}

static void
test_pkce_required (void)
{
  g_autoptr(LiaTestOidc) oidc = lia_test_oidc_start (3600);
  g_autofree char *redirect_uri = redirect_uri_for (43124);
  g_autofree char *url = authorization_url (oidc, redirect_uri, NULL);
  g_autofree char *callback = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;

  callback = lia_test_browser_authorize (url, "ada", LIA_TEST_BROWSER_APPROVE, &error);
  g_assert_no_error (error);
  params = callback_params (callback, redirect_uri);
  g_assert_cmpstr (g_hash_table_lookup (params, "error"), ==, "invalid_request");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, STATE);
  g_assert_null (g_hash_table_lookup (params, "code"));
}

static void
test_deny (void)
{
  g_autoptr(LiaTestOidc) oidc = lia_test_oidc_start (3600);
  g_autofree char *redirect_uri = redirect_uri_for (43125);
  g_autofree char *url = authorization_url (oidc, redirect_uri, CHALLENGE);
  g_autofree char *callback = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;

  callback = lia_test_browser_authorize (url, "ada", LIA_TEST_BROWSER_DENY, &error);
  g_assert_no_error (error);
  params = callback_params (callback, redirect_uri);
  g_assert_cmpstr (g_hash_table_lookup (params, "error"), ==, "access_denied");
  g_assert_cmpstr (g_hash_table_lookup (params, "state"), ==, STATE);
  g_assert_cmpstr (g_hash_table_lookup (params, "iss"), ==, lia_test_oidc_get_issuer (oidc));
  g_assert_null (g_hash_table_lookup (params, "code"));
}

static void
test_redirect_uri_mismatch (void)
{
  g_autoptr(LiaTestOidc) oidc = lia_test_oidc_start (3600);
  g_autofree char *url = authorization_url (oidc, "http://127.0.0.1:43126/elsewhere", CHALLENGE);
  g_autofree char *callback = NULL;
  g_autoptr(GError) error = NULL;

  /* The server shows an error page and never redirects. */
  callback = lia_test_browser_authorize (url, "ada", LIA_TEST_BROWSER_APPROVE, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "redirect_uri"));
  g_assert_null (callback);
}

static void
test_access_expiry (void)
{
  g_autoptr(LiaTestOidc) oidc = lia_test_oidc_start (2);
  g_autoptr(JsonObject) tokens = sign_in (oidc, 43127);
  const char *access = json_object_get_string_member (tokens, "access_token");

  g_assert_cmpint (json_object_get_int_member (tokens, "expires_in"), <=, 2);
  g_assert_true (is_active (oidc, access));
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_false (is_active (oidc, access));
  /* The refresh token outlives it. */
  g_assert_true (is_active (oidc, json_object_get_string_member (tokens, "refresh_token")));
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/oidc/pkce/s256", test_pkce_s256);
  g_test_add_func ("/oidc/discovery", test_discovery);
  g_test_add_func ("/oidc/code-flow", test_code_flow);
  g_test_add_func ("/oidc/refresh/reuse-revokes-grant", test_refresh_reuse);
  g_test_add_func ("/oidc/pkce/required", test_pkce_required);
  g_test_add_func ("/oidc/consent/deny", test_deny);
  g_test_add_func ("/oidc/redirect-uri/mismatch", test_redirect_uri_mismatch);
  g_test_add_func ("/oidc/access-token/expiry", test_access_expiry);

  return g_test_run ();
}
