/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-test-oidc"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "lia-test-oidc.h"

/* The browser gives up after this many pages and redirects. */
#define MAX_STEPS 20

struct _LiaTestOidc {
  GSubprocess *process;
  char        *issuer;
  JsonObject  *discovery;
};

/* --- HTTP ------------------------------------------------------------ */

static SoupSession *
session_new (void)
{
  /* No proxy: everything here is on the loopback. */
  return soup_session_new_with_options ("timeout", 30,
                                        "user-agent", "liaison-test-browser",
                                        "proxy-resolver", NULL,
                                        NULL);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return g_strndup (data != NULL ? data : "", size);
}

/* Sends @message without following redirects. */
static char *
send_message (SoupSession  *session,
              SoupMessage  *message,
              guint        *out_status,
              GError      **error)
{
  g_autoptr(GBytes) body = NULL;

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, message, NULL, error);
  if (body == NULL)
    return NULL;
  *out_status = soup_message_get_status (message);
  return bytes_to_string (body);
}

static gboolean
post_encoded (const char  *url,
              const char  *basic_auth,
              char        *encoded_form,
              guint       *out_status,
              char       **out_body,
              GError     **error)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(SoupMessage) message = NULL;
  guint status = 0;
  char *body;

  message = soup_message_new_from_encoded_form ("POST", url, encoded_form);
  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid URL");
      return FALSE;
    }
  if (basic_auth != NULL)
    {
      g_autofree char *credentials = g_base64_encode ((const guchar *) basic_auth, strlen (basic_auth));
      g_autofree char *value = g_strconcat ("Basic ", credentials, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");

  body = send_message (session, message, &status, error);
  if (body == NULL)
    return FALSE;
  if (out_status != NULL)
    *out_status = status;
  if (out_body != NULL)
    *out_body = body;
  else
    g_free (body);
  return TRUE;
}

static JsonObject *
parse_object (const char  *text,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Expected a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* --- The server ------------------------------------------------------ */

static char *
get_url (const char *url,
         guint      *out_status,
         GError    **error)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);

  if (message == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Not a valid URL");
      return NULL;
    }
  return send_message (session, message, out_status, error);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Closing its standard input stops the server; a server that has not gone
 * after five seconds is killed. */
static void
stop_process (GSubprocess *process)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (5);
  gboolean done = FALSE;
  gboolean timed_out = FALSE;

  g_main_context_push_thread_default (context);
  g_output_stream_close (g_subprocess_get_stdin_pipe (process), NULL, NULL);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);
  if (!done)
    {
      g_warning ("The test authorization server did not stop; killing it");
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);
}

/* Starts tests/oauth/server.mjs with access tokens that last
 * @access_ttl_seconds, waits for it to listen and reads its discovery
 * document. A machine without node or without the npm packages fails the
 * test at once with the command that fixes it. */
LiaTestOidc *
lia_test_oidc_start (guint access_ttl_seconds)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "oauth", "server.mjs", NULL);
  g_autofree char *package = g_test_build_filename (G_TEST_DIST, "oauth", "node_modules",
                                                    "oidc-provider", "package.json", NULL);
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *ttl = g_strdup_printf ("%u", access_ttl_seconds);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(JsonObject) hello = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *discovery = NULL;
  LiaTestOidc *self;

  g_return_val_if_fail (access_ttl_seconds > 0, NULL);

  if (node == NULL)
    g_error ("node is not installed: the OAuth tests need Node.js 20.18 or later "
             "(build-aux/dev.sh installs it)");
  if (!g_file_test (package, G_FILE_TEST_IS_REGULAR))
    g_error ("oidc-provider is not installed for the OAuth tests: run: npm ci --prefix tests/oauth");

  self = g_new0 (LiaTestOidc, 1);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "OIDC_ACCESS_TTL", ttl, TRUE);
  self->process = g_subprocess_launcher_spawn (launcher, &error, node, script, NULL);
  g_assert_no_error (error);

  /* Its first line says where it listens; nothing else comes on stdout. */
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("The test authorization server (%s) stopped before it listened", script);
  hello = parse_object (line, &error);
  g_assert_no_error (error);
  self->issuer = g_strdup (json_object_get_string_member_with_default (hello, "issuer", NULL));
  g_assert_nonnull (self->issuer);
  g_assert_true (g_str_has_prefix (self->issuer, "http://127.0.0.1:"));

  discovery = lia_test_oidc_get_json (self, "/.well-known/openid-configuration");
  self->discovery = parse_object (discovery, &error);
  g_assert_no_error (error);
  g_debug ("Test authorization server at %s", self->issuer);
  return self;
}

void
lia_test_oidc_stop (LiaTestOidc *self)
{
  if (self == NULL)
    return;
  if (self->process != NULL)
    stop_process (self->process);
  g_clear_object (&self->process);
  g_clear_pointer (&self->discovery, json_object_unref);
  g_free (self->issuer);
  g_free (self);
}

/* "http://127.0.0.1:<port>", without a trailing slash. */
const char *
lia_test_oidc_get_issuer (LiaTestOidc *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->issuer;
}

/* A URL from the discovery document, such as "token_endpoint", or NULL. */
const char *
lia_test_oidc_get_endpoint (LiaTestOidc *self,
                           const char  *name)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return json_object_get_string_member_with_default (self->discovery, name, NULL);
}

/* The body of GET <issuer><path>, which must answer 200. */
char *
lia_test_oidc_get_json (LiaTestOidc *self,
                        const char  *path)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;
  char *body;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  url = g_strconcat (self->issuer, path, NULL);
  body = get_url (url, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  return body;
}

/* Asks the server, as the confidential "introspector" client, whether
 * @token (an access or a refresh token) is still active. */
gboolean
lia_test_oidc_introspect (LiaTestOidc  *self,
                          const char   *token,
                          gboolean     *out_active,
                          GError      **error)
{
  const char *endpoint;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (out_active != NULL, FALSE);

  endpoint = lia_test_oidc_get_endpoint (self, "introspection_endpoint");
  g_assert_nonnull (endpoint);
  if (!post_encoded (endpoint, "introspector:introspector-secret",
                     soup_form_encode ("token", token, NULL),
                     &status, &body, error))
    return FALSE;
  answer = parse_object (body, error);
  if (answer == NULL)
    return FALSE;
  if (status != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Introspection answered %u (%s)", status,
                   json_object_get_string_member_with_default (answer, "error", "no error code"));
      return FALSE;
    }
  *out_active = json_object_get_boolean_member_with_default (answer, "active", FALSE);
  return TRUE;
}

/* --- The browser ----------------------------------------------------- */

typedef struct {
  char      *action;
  GPtrArray *names;
  GPtrArray *values;
} Form;

static void
form_free (Form *form)
{
  g_free (form->action);
  g_ptr_array_unref (form->names);
  g_ptr_array_unref (form->values);
  g_free (form);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Form, form_free)

/* The entities an HTML template escapes attributes with. */
static char *
decode_entities (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      const char *end;

      if (*p != '&' || (end = strchr (p, ';')) == NULL || end - p > 10)
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (g_str_has_prefix (p, "&amp;"))
        g_string_append_c (out, '&');
      else if (g_str_has_prefix (p, "&lt;"))
        g_string_append_c (out, '<');
      else if (g_str_has_prefix (p, "&gt;"))
        g_string_append_c (out, '>');
      else if (g_str_has_prefix (p, "&quot;"))
        g_string_append_c (out, '"');
      else if (g_str_has_prefix (p, "&apos;"))
        g_string_append_c (out, '\'');
      else if (p[1] == '#')
        {
          gboolean hex = p[2] == 'x' || p[2] == 'X';
          gunichar c = (gunichar) g_ascii_strtoull (p + (hex ? 3 : 2), NULL, hex ? 16 : 10);

          g_string_append_unichar (out, c);
        }
      else
        {
          g_string_append_c (out, *p);
          continue;
        }
      p = end;
    }
  return g_string_free (out, FALSE);
}

static char *
attribute (const char *tag,
           const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\\b%s\\s*=\\s*\"([^\"]*)\"", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *raw = NULL;

  if (!g_regex_match (regex, tag, 0, &match))
    return NULL;
  raw = g_match_info_fetch (match, 1);
  return decode_entities (raw);
}

/* The first <form> of @html: its action and its named inputs. */
static Form *
parse_form (const char *html)
{
  g_autoptr(GRegex) form_regex = g_regex_new ("<form\\b([^>]*)>(.*?)</form>",
                                              G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) input_regex = g_regex_new ("<input\\b[^>]*>", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GMatchInfo) inputs = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *content = NULL;
  Form *form;

  if (!g_regex_match (form_regex, html, 0, &match))
    return NULL;
  tag = g_match_info_fetch (match, 1);
  content = g_match_info_fetch (match, 2);

  form = g_new0 (Form, 1);
  form->action = attribute (tag, "action");
  form->names = g_ptr_array_new_with_free_func (g_free);
  form->values = g_ptr_array_new_with_free_func (g_free);
  g_regex_match (input_regex, content, 0, &inputs);
  while (g_match_info_matches (inputs))
    {
      g_autofree char *input = g_match_info_fetch (inputs, 0);
      char *name = attribute (input, "name");
      char *value = attribute (input, "value");

      if (name != NULL)
        {
          g_ptr_array_add (form->names, name);
          g_ptr_array_add (form->values, value != NULL ? value : g_strdup (""));
        }
      else
        g_free (value);
      g_match_info_next (inputs, NULL);
    }
  return form;
}

static const char *
form_get (Form       *form,
          const char *name)
{
  for (guint i = 0; i < form->names->len; i++)
    if (g_str_equal (g_ptr_array_index (form->names, i), name))
      return g_ptr_array_index (form->values, i);
  return NULL;
}

static void
form_set (Form       *form,
          const char *name,
          const char *value)
{
  for (guint i = 0; i < form->names->len; i++)
    if (g_str_equal (g_ptr_array_index (form->names, i), name))
      {
        g_free (form->values->pdata[i]);
        form->values->pdata[i] = g_strdup (value);
      }
}

static char *
form_encode (Form *form)
{
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < form->names->len; i++)
    g_hash_table_insert (fields, g_ptr_array_index (form->names, i), g_ptr_array_index (form->values, i));
  return soup_form_encode_hash (fields);
}

/* The href of the link whose text says @text, such as the interaction
 * page's "[ Cancel ]". */
static char *
find_link (const char *html,
           const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("<a\\b([^>]*)>([^<]*)</a>", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (regex, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *tag = g_match_info_fetch (match, 1);
      g_autofree char *label = g_match_info_fetch (match, 2);

      if (strstr (label, text) != NULL)
        return attribute (tag, "href");
      g_match_info_next (match, NULL);
    }
  return NULL;
}

/* The text of an error page, tags removed and shortened. */
static char *
page_text (const char *html)
{
  g_autoptr(GRegex) tags = g_regex_new ("<(head|summary)\\b.*?</\\1>|<[^>]*>",
                                        G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autofree char *stripped = g_regex_replace_literal (tags, html, -1, 0, " ", 0, NULL);
  g_autofree char *decoded = decode_entities (stripped);
  g_autofree char *text = g_regex_replace_literal (spaces, decoded, -1, 0, " ", 0, NULL);

  g_strstrip (text);
  if (g_utf8_strlen (text, -1) > 200)
    return g_utf8_substring (text, 0, 200);
  return g_steal_pointer (&text);
}

static int
uri_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0
      && g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0
      && uri_port (a) == uri_port (b);
}

/* Like a browser's top-level navigation on the server's site, so that its
 * SameSite=Lax cookies go along. */
static SoupMessage *
navigation_new (const char *method,
                GUri       *uri,
                GUri       *site,
                char       *encoded_form)
{
  g_autofree char *uri_string = g_uri_to_string (uri);
  SoupMessage *message;

  if (encoded_form != NULL)
    message = soup_message_new_from_encoded_form (method, uri_string, encoded_form);
  else
    message = soup_message_new_from_uri (method, uri);
  soup_message_set_first_party (message, site);
  soup_message_set_site_for_cookies (message, site);
  soup_message_set_is_top_level_navigation (message, TRUE);
  return message;
}

/* Plays the user's browser on the authorization server: opens
 * @authorization_url, signs in as @login (any password), then approves or
 * denies on the consent page. It follows the server's redirects within its
 * own origin and stops at the first one that leaves it, normally to the
 * client's loopback redirect URI, which it returns without fetching:
 * http://127.0.0.1:<port>/oauth2/callback?code=…&state=…&iss=…, or with
 * error=access_denied (or the server's error) instead of code. */
char *
lia_test_browser_authorize (const char            *authorization_url,
                            const char            *login,
                            LiaTestBrowserChoice   choice,
                            GError               **error)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(SoupCookieJar) jar = soup_cookie_jar_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GUri) site = NULL;

  g_return_val_if_fail (authorization_url != NULL, NULL);
  g_return_val_if_fail (login != NULL, NULL);

  site = g_uri_parse (authorization_url, SOUP_HTTP_URI_FLAGS, error);
  if (site == NULL)
    return NULL;
  soup_cookie_jar_set_accept_policy (jar, SOUP_COOKIE_JAR_ACCEPT_ALWAYS);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (jar));
  message = navigation_new ("GET", site, site, NULL);

  for (guint step = 0; step < MAX_STEPS; step++)
    {
      g_autofree char *html = NULL;
      g_autoptr(Form) form = NULL;
      g_autoptr(GUri) next = NULL;
      g_autofree char *target = NULL;
      GUri *here = soup_message_get_uri (message);
      const char *prompt;
      guint status = 0;

      html = send_message (session, message, &status, error);
      if (html == NULL)
        return NULL;

      if (SOUP_STATUS_IS_REDIRECTION (status))
        {
          const char *location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                               "Location");

          if (location == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "A redirect (%u) without a Location", status);
              return NULL;
            }
          next = g_uri_parse_relative (here, location, SOUP_HTTP_URI_FLAGS, error);
          if (next == NULL)
            return NULL;
          if (!same_origin (next, site))
            return g_uri_to_string (next);
          g_clear_object (&message);
          message = navigation_new ("GET", next, site, NULL);
          continue;
        }

      if (status != SOUP_STATUS_OK)
        {
          g_autofree char *text = page_text (html);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "The authorization server answered %u: %s", status, text);
          return NULL;
        }

      form = parse_form (html);
      prompt = form != NULL ? form_get (form, "prompt") : NULL;
      if (g_strcmp0 (prompt, "login") == 0)
        {
          form_set (form, "login", login);
          form_set (form, "password", "any password");
        }
      else if (g_strcmp0 (prompt, "consent") == 0 && choice == LIA_TEST_BROWSER_DENY)
        {
          g_clear_pointer (&form, form_free);
          target = find_link (html, "Cancel");
          if (target == NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The consent page has no Cancel link");
              return NULL;
            }
        }
      else if (g_strcmp0 (prompt, "consent") != 0)
        {
          g_autofree char *text = page_text (html);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "A page with neither login nor consent: %s", text);
          return NULL;
        }

      if (form != NULL)
        target = g_strdup (form->action);
      next = g_uri_parse_relative (here, target != NULL ? target : "", SOUP_HTTP_URI_FLAGS, error);
      if (next == NULL)
        return NULL;
      if (!same_origin (next, site))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "A form or link that leaves the server");
          return NULL;
        }
      g_clear_object (&message);
      if (form != NULL)
        message = navigation_new ("POST", next, site, form_encode (form));
      else
        message = navigation_new ("GET", next, site, NULL);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No redirect back to the client after %d steps", MAX_STEPS);
  return NULL;
}

/* A plain GET without redirects, as a browser delivers the callback to the
 * app's loopback listener. */
gboolean
lia_test_browser_get (const char  *url,
                      guint       *out_status,
                      char       **out_body,
                      GError     **error)
{
  guint status = 0;
  char *body;

  g_return_val_if_fail (url != NULL, FALSE);

  body = get_url (url, &status, error);
  if (body == NULL)
    return FALSE;
  if (out_status != NULL)
    *out_status = status;
  if (out_body != NULL)
    *out_body = body;
  else
    g_free (body);
  return TRUE;
}

/* POSTs the NULL-terminated name, value pairs as a form to @url, without
 * client authentication (as a public client does at the token and the
 * revocation endpoints), and returns the status and the body. */
gboolean
lia_test_post_form (const char  *url,
                    guint       *out_status,
                    char       **out_body,
                    GError     **error,
                    const char  *first_field,
                    ...)
{
  va_list args;
  char *encoded;

  g_return_val_if_fail (url != NULL, FALSE);

  va_start (args, first_field);
  encoded = soup_form_encode_valist (first_field, args);
  va_end (args);
  return post_encoded (url, NULL, encoded, out_status, out_body, error);
}
