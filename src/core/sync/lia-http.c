/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-http"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lia-http.h"
#include "lia-sync-error.h"
#include "lia-util.h"

/* A wait longer than this, asked for by Retry-After, fails the request
 * rather than holding the run. */
#define MAX_RETRY_AFTER_SECONDS 120
#define MAX_BACKOFF_MS 30000

struct _LiaHttp {
  SoupSession     *session;
  LiaConfig       *config;
  LiaCredentials  *credentials;
  GCancellable    *cancellable;
  GList           *extra_cas;  /* GTlsCertificate from the config's caFile */
  LiaTokenFunc     token_func;
  gpointer         token_data;
  guint            backoff_base_ms;
  guint            max_retries;
  guint            last_status;
  guint            requests;
  guint64          bytes;
};

/* Helpers */

static gboolean
sleep_cancellable (guint         milliseconds,
                   GCancellable *cancellable)
{
  GPollFD pollfd;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_poll (&pollfd, 1, milliseconds);
      g_cancellable_release_fd (cancellable);
    }
  else
    {
      g_usleep ((gulong) milliseconds * 1000);
    }
  return !g_cancellable_is_cancelled (cancellable);
}

/* The extra authorities of caFile are trusted on top of the system's, for
 * this integration only. */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  LiaHttp *http = user_data;
  g_autoptr(GSocketConnectable) identity = NULL;
  GUri *uri = soup_message_get_uri (message);

  if (errors != G_TLS_CERTIFICATE_UNKNOWN_CA)
    return FALSE;

  identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri));
  for (GList *l = http->extra_cas; l != NULL; l = l->next)
    if (g_tls_certificate_verify (peer, identity, l->data) == 0)
      return TRUE;
  return FALSE;
}

static char *
base64_credentials (const char *username,
                    const char *password)
{
  g_autofree char *joined = g_strdup_printf ("%s:%s", username, password ? password : "");
  char *encoded = g_base64_encode ((const guchar *) joined, strlen (joined));

  explicit_bzero (joined, strlen (joined));
  return encoded;
}

static gboolean
apply_auth (LiaHttp      *http,
            SoupMessage  *message,
            gboolean      force_refresh,
            GError      **error)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);
  LiaConfig *config = http->config;
  const char *key = http->credentials ? http->credentials->api_key : NULL;

  for (guint i = 0; i < config->headers->len; i++)
    {
      LiaPair *pair = g_ptr_array_index (config->headers, i);
      soup_message_headers_replace (headers, pair->name, pair->value);
    }

  switch (config->auth_type)
    {
    case LIA_AUTH_NONE:
      break;

    case LIA_AUTH_API_KEY:
      /* Query-string keys (and Moodle's wstoken) are put in the URL by the
       * caller; here only the header form. */
      if (config->api_key_header != NULL && key != NULL)
        soup_message_headers_replace (headers, config->api_key_header, key);
      break;

    case LIA_AUTH_BEARER:
      if (key != NULL)
        {
          g_autoptr(LiaSecret) value = g_strconcat ("Bearer ", key, NULL);
          soup_message_headers_replace (headers, "Authorization", value);
        }
      break;

    case LIA_AUTH_BASIC:
      {
        g_autoptr(LiaSecret) encoded = base64_credentials (config->username,
                                                           http->credentials ? http->credentials->password : NULL);
        g_autoptr(LiaSecret) value = g_strconcat ("Basic ", encoded, NULL);
        soup_message_headers_replace (headers, "Authorization", value);
      }
      break;

    case LIA_AUTH_OAUTH2:
      {
        g_autoptr(LiaSecret) token = NULL;
        g_autoptr(LiaSecret) value = NULL;

        if (http->token_func == NULL)
          {
            g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NEEDS_SIGNIN,
                                 _("This integration needs you to sign in"));
            return FALSE;
          }
        token = http->token_func (http->token_data, force_refresh, http->cancellable, error);
        if (token == NULL)
          return FALSE;
        value = g_strconcat ("Bearer ", token, NULL);
        soup_message_headers_replace (headers, "Authorization", value);
      }
      break;

    case LIA_N_AUTH_TYPES:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

/* The host and path, for messages: never the query, which may hold a key. */
static char *
describe_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL)
    return g_strdup (_("(invalid URL)"));
  return g_strdup_printf ("%s%s", g_uri_get_host (uri), g_uri_get_path (uri));
}

static void
set_status_error (GError     **error,
                  guint        status,
                  const char  *where)
{
  if (status == SOUP_STATUS_UNAUTHORIZED)
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_CREDENTIALS,
                 _("%s refused the credentials (HTTP 401): check the API key, password or sign-in"), where);
  else if (status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_PERMISSION_DENIED,
                 _("%s denied access (HTTP 403): the account lacks the permission for this data"), where);
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NOT_FOUND,
                 _("%s was not found (HTTP 404): check the base URL and the endpoint path"), where);
  else if (status == 429)
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_RATE_LIMIT_EXCEEDED,
                 _("%s is limiting requests (HTTP 429): sync less often or try later"), where);
  else if (status >= 500)
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_FAILED,
                 _("%s had a server error (HTTP %u): try later, or ask its administrator"), where, status);
  else
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_FAILED,
                 _("%s answered HTTP %u: check the endpoint configuration"), where, status);
}

static gboolean
is_retryable_status (guint status)
{
  return status == 429 || (status >= 500 && status <= 599);
}

/* Connection problems are worth another try; TLS failures and
 * cancellation are not. */
static gboolean
translate_transport_error (GError      *in,
                           const char  *where,
                           int          timeout,
                           GError     **error)
{
  gboolean retry = FALSE;

  if (g_error_matches (in, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (in));
  else if (in->domain == G_TLS_ERROR)
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_TLS,
                 _("The secure connection to %s failed: %s. Check the certificate, or give the "
                   "school’s certificate authority as caFile"), where, in->message);
  else if (g_error_matches (in, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                 _("The answer from %s was cut off before its end"), where);
  else if (g_error_matches (in, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_CONNECTION,
                   _("%s did not answer within %d seconds: check that it is up, or raise timeoutSeconds"),
                   where, timeout);
      retry = TRUE;
    }
  else
    {
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_CONNECTION,
                   _("Cannot connect to %s: %s. Check the address and the network"), where, in->message);
      retry = TRUE;
    }
  return retry;
}

/* Milliseconds to wait before attempt @attempt (1, 2, …): exponential, with
 * up to half again of jitter so that clients do not retry in step. */
static guint
backoff_delay (LiaHttp *http,
               guint    attempt)
{
  guint64 delay = (guint64) http->backoff_base_ms << MIN (attempt - 1, 16);

  delay = MIN (delay, MAX_BACKOFF_MS);
  return (guint) (delay + g_random_int_range (0, (gint32) (delay / 2 + 1)));
}

/* Retry-After as seconds or an HTTP date; -1 when absent. */
static gint64
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  guint64 seconds;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (value == NULL)
    return -1;
  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds;
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (0, g_date_time_difference (when, now) / G_USEC_PER_SEC);
}

/* Public API */

LiaCredentials *
lia_credentials_copy (const LiaCredentials *credentials)
{
  LiaCredentials *copy = g_new0 (LiaCredentials, 1);

  copy->api_key = lia_secret_dup (credentials->api_key);
  copy->password = lia_secret_dup (credentials->password);
  return copy;
}

void
lia_credentials_free (LiaCredentials *credentials)
{
  if (credentials == NULL)
    return;
  lia_secret_free (credentials->api_key);
  lia_secret_free (credentials->password);
  g_free (credentials);
}

void
lia_http_response_free (LiaHttpResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

/* Takes @credentials. Call from the thread that will use it. */
LiaHttp *
lia_http_new (LiaConfig            *config,
              LiaCredentials       *credentials,
              const LiaHttpOptions *options)
{
  GCancellable *cancellable = options ? options->cancellable : NULL;

  LiaHttp *http = g_new0 (LiaHttp, 1);
  g_autofree char *user_agent = g_strdup_printf ("Liaison/%s ", PACKAGE_VERSION);

  http->config = lia_config_ref (config);
  http->credentials = credentials;
  http->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  http->backoff_base_ms = options && options->backoff_ms ? options->backoff_ms : 500;
  http->token_func = options ? options->token_func : NULL;
  http->token_data = options ? options->token_data : NULL;
  http->max_retries = (guint) config->max_retries;
  /* The trailing space makes libsoup append its own product token. */
  http->session = soup_session_new_with_options ("timeout", (guint) config->timeout_seconds,
                                                 "idle-timeout", 60u,
                                                 "user-agent", user_agent,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  if (config->ca_file != NULL)
    http->extra_cas = g_tls_certificate_list_new_from_file (config->ca_file, NULL);
  return http;
}

void
lia_http_free (LiaHttp *http)
{
  if (http == NULL)
    return;
  g_clear_object (&http->session);
  g_clear_pointer (&http->config, lia_config_unref);
  g_clear_pointer (&http->credentials, lia_credentials_free);
  g_clear_object (&http->cancellable);
  g_list_free_full (http->extra_cas, g_object_unref);
  g_free (http);
}

/* The response's body, read into one buffer of its announced length
 * (soup_session_send_and_read() grows its buffer as it reads, copying
 * what it has each time: a page's worth of copies). */
static GBytes *
send_and_read (LiaHttp      *http,
               SoupMessage  *message,
               GError      **error)
{
  g_autoptr(GInputStream) stream = soup_session_send (http->session, message, http->cancellable, error);
  g_autoptr(GByteArray) buffer = NULL;
  goffset length;
  gsize capacity;

  if (stream == NULL)
    return NULL;
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (message));
  capacity = length > 0 && length <= 64 * 1024 * 1024 ? (gsize) length : 64 * 1024;
  buffer = g_byte_array_sized_new (capacity);
  for (;;)
    {
      guint len = buffer->len;
      gssize got;

      if (len < capacity)
        {
          g_byte_array_set_size (buffer, capacity);
          got = g_input_stream_read (stream, buffer->data + len, capacity - len, http->cancellable, error);
          g_byte_array_set_size (buffer, len + MAX (got, 0));
        }
      else
        {
          /* Full: with the length announced, this read finds the end;
           * without, the buffer grows. */
          guint8 more[4096];

          got = g_input_stream_read (stream, more, sizeof more, http->cancellable, error);
          if (got > 0)
            {
              g_byte_array_append (buffer, more, (guint) got);
              capacity = 2 * (gsize) buffer->len;
            }
        }
      if (got < 0)
        return NULL;
      if (got == 0)
        break;
    }
  if (!g_input_stream_close (stream, http->cancellable, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

/* Sends one request, retrying connection errors, 429 and 5xx with
 * backoff (honouring Retry-After) up to the config's maxRetries, and once
 * after a 401 with a fresh OAuth token. Any status but 2xx is an error. */
LiaHttpResponse *
lia_http_send (LiaHttp     *http,
               const char  *method,
               const char  *url,
               gboolean     with_auth,
               GError     **error)
{
  g_autofree char *where = describe_url (url);
  gboolean refreshed = FALSE;
  guint attempt = 0;

  for (;;)
    {
      g_autoptr(SoupMessage) message = soup_message_new (method, url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 started = g_get_monotonic_time ();
      gint64 wait_ms = -1;
      guint status;

      if (message == NULL)
        {
          g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_FAILED, _("Not a valid URL: %s"), where);
          return NULL;
        }
      if (http->extra_cas != NULL)
        g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), http);
      if (with_auth && !apply_auth (http, message, refreshed, error))
        return NULL;

      g_debug ("%s %s", method, where);
      http->requests++;
      body = send_and_read (http, message, &local_error);
      status = soup_message_get_status (message);
      http->last_status = status;

      if (local_error != NULL)
        {
          GError *translated = NULL;

          if (!translate_transport_error (local_error, where, http->config->timeout_seconds, &translated) ||
              attempt >= http->max_retries)
            {
              g_propagate_error (error, translated);
              return NULL;
            }
          g_debug ("%s: %s; retrying", where, translated->message);
          g_error_free (translated);
        }
      else
        {
          http->bytes += g_bytes_get_size (body);

          if (SOUP_STATUS_IS_SUCCESSFUL (status))
            {
              LiaHttpResponse *response = g_new0 (LiaHttpResponse, 1);

              response->status = status;
              response->body = g_steal_pointer (&body);
              response->headers = soup_message_headers_ref (soup_message_get_response_headers (message));
              response->elapsed_ms = (g_get_monotonic_time () - started) / 1000;
              return response;
            }

          if (status == SOUP_STATUS_UNAUTHORIZED && http->config->auth_type == LIA_AUTH_OAUTH2 &&
              with_auth && !refreshed)
            {
              refreshed = TRUE;
              continue;
            }

          if (!is_retryable_status (status) || attempt >= http->max_retries)
            {
              set_status_error (error, status, where);
              return NULL;
            }

          wait_ms = parse_retry_after (soup_message_get_response_headers (message));
          if (wait_ms > MAX_RETRY_AFTER_SECONDS)
            {
              g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_RATE_LIMIT_EXCEEDED,
                           _("%s asks to wait %" PRId64 " seconds before the next request: try later"),
                           where, wait_ms);
              return NULL;
            }
          if (wait_ms >= 0)
            wait_ms *= 1000;
          g_debug ("%s: HTTP %u; retrying", where, status);
        }

      attempt++;
      if (!sleep_cancellable (wait_ms >= 0 ? (guint) wait_ms : backoff_delay (http, attempt), http->cancellable))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          return NULL;
        }
    }
}

static gboolean
is_json_type (const char *content_type)
{
  return g_str_equal (content_type, "application/json") ||
         g_str_has_suffix (content_type, "+json") ||
         g_str_equal (content_type, "text/json") ||
         /* Some APIs label JSON as plain text; the parser decides. */
         g_str_equal (content_type, "text/plain");
}

/* The body as JSON. An HTML page (often a login page), another content
 * type, or a body that is not JSON is INVALID_RESPONSE. */
JsonNode *
lia_http_parse_json (LiaHttpResponse  *response,
                     GError          **error)
{
  /* Not json_parser_new_immutable(): sealing hashes every object of the
   * tree, some 10% of the parse, and no one shares or changes it. */
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  const char *content_type = soup_message_headers_get_content_type (response->headers, NULL);
  gsize length;
  const char *data = g_bytes_get_data (response->body, &length);

  if (content_type != NULL && g_str_equal (content_type, "text/html"))
    {
      g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                           _("The server sent a web page where JSON was expected (a login page?): "
                             "check the base URL and the credentials"));
      return NULL;
    }
  if (content_type != NULL && !is_json_type (content_type))
    {
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server sent %s where JSON was expected: check the endpoint path"), content_type);
      return NULL;
    }
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server’s answer is not valid JSON (%s): it may be cut off or not an API response"),
                   local_error ? local_error->message : _("empty body"));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* A connection test wants one quick answer, not a patient sync. */
void
lia_http_set_max_retries (LiaHttp *http,
                          guint    max_retries)
{
  http->max_retries = max_retries;
}

/* The HTTP status of the last answer, 0 if none came. */
guint
lia_http_get_last_status (LiaHttp *http)
{
  return http->last_status;
}

guint
lia_http_get_requests (LiaHttp *http)
{
  return http->requests;
}

guint64
lia_http_get_bytes (LiaHttp *http)
{
  return http->bytes;
}

/* base "https://h/api/v1" + path "/students" → "https://h/api/v1/students":
 * the base's own path is kept, unlike RFC 3986 resolution. */
char *
lia_url_join (const char *base,
              const char *path)
{
  gsize base_len = strlen (base);

  while (base_len > 0 && base[base_len - 1] == '/')
    base_len--;
  if (path == NULL || *path == '\0')
    return g_strndup (base, base_len);
  return g_strdup_printf ("%.*s%s%s", (int) base_len, base, path[0] == '/' ? "" : "/", path);
}

void
lia_url_add_param (GString    *url,
                   const char *name,
                   const char *value)
{
  g_autofree char *escaped_name = g_uri_escape_string (name, NULL, TRUE);
  g_autofree char *escaped_value = g_uri_escape_string (value, NULL, TRUE);

  g_string_append_c (url, strchr (url->str, '?') ? '&' : '?');
  g_string_append_printf (url, "%s=%s", escaped_name, escaped_value);
}
