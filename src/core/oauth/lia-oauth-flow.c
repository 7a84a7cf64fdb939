/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-oauth-flow"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "lia-oauth-private.h"
#include "lia-util.h"

/* Sign-in as RFC 8252 wants it for native apps: the system browser, a
 * one-shot listener on the loopback address, PKCE S256 and a random state.
 * The host and path of the redirect are fixed, only the port varies, so
 * providers can match "http://127.0.0.1/oauth2/callback". */

#define CALLBACK_PATH "/oauth2/callback"
#define DEFAULT_TIMEOUT_SECONDS (5 * 60)

typedef struct {
  GMainContext *context;
  GMainLoop   *loop;
  const char  *state;
  const char  *issuer;
  gboolean     iss_required;
  char        *code;
  GError      *error;
  gboolean     done;
} Listener;

static const char page_done[] =
  "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Liaison</title></head>"
  "<body style=\"font-family: sans-serif; margin: 4em auto; max-width: 32em\">"
  "<h1>%s</h1><p>%s</p></body></html>";

static void
reply_page (SoupServerMessage *message,
            guint              status,
            const char        *title,
            const char        *text)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *escaped_text = g_markup_escape_text (text, -1);
  g_autofree char *body = g_strdup_printf (page_done, escaped_title, escaped_text);

  soup_server_message_set_status (message, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (message), "Cache-Control", "no-store");
  soup_server_message_set_response (message, "text/html; charset=utf-8", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
finish (Listener *listener,
        GError   *error)
{
  /* The first outcome wins; later ones (a cancel racing the redirect) go. */
  if (listener->done)
    {
      g_clear_error (&error);
      return;
    }
  listener->error = error;
  listener->done = TRUE;
  g_main_loop_quit (listener->loop);
}

/* The redirect. Anything but its path is 404; the first request on it
 * ends the flow, good or bad. */
static void
callback_cb (SoupServer        *server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Listener *listener = user_data;
  const char *state = query ? g_hash_table_lookup (query, "state") : NULL;
  const char *code = query ? g_hash_table_lookup (query, "code") : NULL;
  const char *oauth_error = query ? g_hash_table_lookup (query, "error") : NULL;
  const char *iss = query ? g_hash_table_lookup (query, "iss") : NULL;

  if (!g_str_equal (path, CALLBACK_PATH) || listener->done)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (g_strcmp0 (state, listener->state) != 0)
    {
      reply_page (message, SOUP_STATUS_BAD_REQUEST, _("Sign-in refused"),
                  _("This answer does not belong to the sign-in Liaison started. Nothing was stored."));
      finish (listener, g_error_new_literal (LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_STATE_MISMATCH,
                                             _("The sign-in answer did not carry the state Liaison sent: it was refused "
                                               "(another page may have tried to sign you in)")));
      return;
    }

  /* RFC 9207: a provider that says it sends iss must send its own. */
  if ((listener->iss_required || iss != NULL) && g_strcmp0 (iss, listener->issuer) != 0)
    {
      reply_page (message, SOUP_STATUS_BAD_REQUEST, _("Sign-in refused"),
                  _("This answer comes from another sign-in server. Nothing was stored."));
      finish (listener, g_error_new_literal (LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_ISSUER_MISMATCH,
                                             _("The sign-in answer came from another issuer than the one configured: "
                                               "it was refused")));
      return;
    }

  if (oauth_error != NULL || code == NULL)
    {
      gboolean denied = g_strcmp0 (oauth_error, "access_denied") == 0;

      reply_page (message, SOUP_STATUS_OK, _("Sign-in cancelled"),
                  _("Liaison was not given access. You can close this tab."));
      finish (listener, denied
              ? g_error_new_literal (LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_ACCESS_DENIED,
                                     _("The sign-in was declined: Liaison was not given access"))
              : g_error_new (LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_FAILED, _("The provider ended the sign-in: %s"),
                             oauth_error ? oauth_error : _("no code")));
      return;
    }

  reply_page (message, SOUP_STATUS_OK, _("Signed in"),
              _("Liaison received the sign-in. You can close this tab and go back to Liaison."));
  listener->code = g_strdup (code);
  finish (listener, NULL);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Listener *listener = user_data;

  finish (listener, g_error_new_literal (LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_TIMED_OUT,
                                         _("Nobody finished the sign-in in the browser in time")));
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  finish (user_data, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sign-in was cancelled")));
  return G_SOURCE_REMOVE;
}

/* Runs in the thread that cancels: the listener's own context ends it. */
static void
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  Listener *listener = user_data;

  g_main_context_invoke (listener->context, cancelled_idle_cb, listener);
}

static char *
build_authorization_url (const LiaOAuthEndpoints *endpoints,
                         const char              *client_id,
                         const char              *redirect_uri,
                         const char              *state,
                         const char              *challenge)
{
  GString *url = g_string_new (endpoints->authorization_url);
  const char *params[] = {
    "response_type", "code",
    "client_id", client_id,
    "redirect_uri", redirect_uri,
    "scope", endpoints->scopes,
    "state", state,
    "code_challenge", challenge,
    "code_challenge_method", "S256",
  };

  for (guint i = 0; i < G_N_ELEMENTS (params); i += 2)
    {
      g_autofree char *value = g_uri_escape_string (params[i + 1], NULL, FALSE);
      g_string_append_printf (url, "%c%s=%s", strchr (url->str, '?') ? '&' : '?', params[i], value);
    }
  for (guint i = 0; endpoints->extra_params[i] != NULL && endpoints->extra_params[i + 1] != NULL; i += 2)
    {
      g_autofree char *value = g_uri_escape_string (endpoints->extra_params[i + 1], NULL, FALSE);
      g_string_append_printf (url, "&%s=%s", endpoints->extra_params[i], value);
    }
  return g_string_free (url, FALSE);
}

/* Waits on a private main context for the browser to come back. Returns
 * the code, or NULL with @error set. */
static char *
wait_for_code (const LiaOAuthEndpoints    *endpoints,
               const char                 *client_id,
               const char                 *challenge,
               const char                 *state,
               const LiaOAuthLoginOptions *options,
               GCancellable               *cancellable,
               char                      **out_redirect_uri,
               GError                    **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autofree char *url = NULL;
  Listener listener = { 0 };
  gulong cancelled_id = 0;

  g_main_context_push_thread_default (context);

  listener.context = context;
  listener.loop = g_main_loop_new (context, FALSE);
  listener.state = state;
  listener.issuer = endpoints->issuer;
  listener.iss_required = endpoints->iss_supported;

  /* Bound to 127.0.0.1 only: nothing else on the network may answer. */
  server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_handler (server, NULL, callback_cb, &listener, NULL);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (!soup_server_listen (server, address, 0, error))
    goto out;
  uris = soup_server_get_uris (server);
  *out_redirect_uri = g_strdup_printf ("http://127.0.0.1:%d" CALLBACK_PATH, g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  url = build_authorization_url (endpoints, client_id, *out_redirect_uri, state, challenge);
  if (options != NULL && options->url_func != NULL)
    options->url_func (url, options->url_data);

  timeout = g_timeout_source_new_seconds (options && options->timeout_seconds ? options->timeout_seconds
                                                                                : DEFAULT_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, timeout_cb, &listener, NULL);
  g_source_attach (timeout, context);
  cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), &listener, NULL);

  if (!listener.done)
    g_main_loop_run (listener.loop);

  g_source_destroy (timeout);
  g_cancellable_disconnect (cancellable, cancelled_id);

  /* Let the browser have its page before the listener goes. */
  soup_server_disconnect (server);
  if (listener.error != NULL)
    g_propagate_error (error, listener.error);

out:
  g_clear_object (&server);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_loop_unref (listener.loop);
  g_main_context_pop_thread_default (context);
  return listener.code;
}

static char *
fetch_account (SoupSession             *session,
               const LiaOAuthEndpoints *endpoints,
               const LiaOAuthTokens    *tokens,
               GCancellable            *cancellable)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(LiaSecret) bearer = NULL;
  g_autofree char *text = NULL;
  char *account = lia_oauth_account_from_id_token (tokens->id_token);

  if (account != NULL || endpoints->userinfo_url == NULL)
    return account;

  message = soup_message_new ("GET", endpoints->userinfo_url);
  if (message == NULL)
    return NULL;
  bearer = g_strconcat ("Bearer ", tokens->access_token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
  body = soup_session_send_and_read (session, message, cancellable, NULL);
  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    return NULL;
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  root = json_from_string (text, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  account = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "email", NULL));
  if (account == NULL)
    account = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "name", NULL));
  return account;
}

/* Public API */

/* The whole sign-in, in the calling thread (not the GTK main thread):
 * listener, browser (through @options->url_func), code exchange, tokens to
 * the keyring. Any failure stores nothing. */
gboolean
lia_oauth_login_blocking (const char                 *db_path,
                          gint64                      integration_id,
                          const LiaOAuthLoginOptions *options,
                          GCancellable               *cancellable,
                          LiaOAuthStatus             *out_status,
                          GError                    **error)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaSecret) client_secret = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(LiaOAuthEndpoints) endpoints = NULL;
  g_autoptr(LiaOAuthTokens) tokens = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(LiaSecret) verifier = lia_oauth_random_string (32);
  g_autoptr(LiaSecret) code = NULL;
  g_autofree char *state = lia_oauth_random_string (16);
  g_autofree char *challenge = lia_oauth_pkce_challenge (verifier);
  g_autofree char *redirect_uri = NULL;
  g_autofree char *account = NULL;

  db = lia_database_open (db_path, error);
  if (db == NULL)
    return FALSE;
  integration = lia_oauth_load_integration (db, integration_id, &client_secret, error);
  if (integration == NULL)
    return FALSE;

  session = lia_oauth_session_new ();
  endpoints = lia_oauth_endpoints_resolve (integration->config->oauth, session, cancellable, error);
  if (endpoints == NULL)
    return FALSE;

  code = wait_for_code (endpoints, integration->config->oauth->client_id, challenge, state, options,
                        cancellable, &redirect_uri, error);
  if (code == NULL)
    return FALSE;

  form = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lia_secret_free);
  g_hash_table_insert (form, (char *) "grant_type", g_strdup ("authorization_code"));
  g_hash_table_insert (form, (char *) "code", g_strdup (code));
  g_hash_table_insert (form, (char *) "redirect_uri", g_strdup (redirect_uri));
  g_hash_table_insert (form, (char *) "code_verifier", g_strdup (verifier));
  tokens = lia_oauth_token_request (session, endpoints, integration->config->oauth->client_id, client_secret,
                                    form, cancellable, error);
  if (tokens == NULL)
    {
      g_prefix_error (error, _("Signing in failed: "));
      return FALSE;
    }

  account = fetch_account (session, endpoints, tokens, cancellable);
  if (!lia_oauth_store_tokens (db, integration_id, tokens, account ? account : "", error))
    return FALSE;

  g_debug ("Integration %" PRId64 " signed in", integration_id);
  return out_status == NULL || lia_oauth_get_status (db, integration_id, out_status, error);
}

/* Async, for the GUI */

typedef struct {
  char            *db_path;
  gint64           integration_id;
  LiaOAuthUrlFunc  url_func;
  gpointer         url_data;
  GMainContext    *context;
} LoginData;

typedef struct {
  LiaOAuthUrlFunc  func;
  gpointer         data;
  char            *url;
} UrlCall;

static void
login_data_free (LoginData *data)
{
  g_free (data->db_path);
  g_main_context_unref (data->context);
  g_free (data);
}

static void
url_call_free (UrlCall *call)
{
  g_free (call->url);
  g_free (call);
}

static gboolean
deliver_url_cb (gpointer user_data)
{
  UrlCall *call = user_data;

  call->func (call->url, call->data);
  return G_SOURCE_REMOVE;
}

static void
forward_url (const char *url,
             gpointer    user_data)
{
  LoginData *data = user_data;
  UrlCall *call = g_new0 (UrlCall, 1);

  call->func = data->url_func;
  call->data = data->url_data;
  call->url = g_strdup (url);
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_url_cb, call,
                              (GDestroyNotify) url_call_free);
}

static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LoginData *data = task_data;
  LiaOAuthLoginOptions options = { forward_url, data, 0 };
  LiaOAuthStatus *status = g_new0 (LiaOAuthStatus, 1);
  GError *error = NULL;

  if (lia_oauth_login_blocking (data->db_path, data->integration_id, &options, cancellable, status, &error))
    g_task_return_pointer (task, status, NULL);
  else
    {
      g_free (status);
      g_task_return_error (task, error);
    }
}

void
lia_oauth_login_async (const char          *db_path,
                       gint64               integration_id,
                       LiaOAuthUrlFunc      url_func,
                       gpointer             url_data,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoginData *data = g_new0 (LoginData, 1);

  data->db_path = g_strdup (db_path);
  data->integration_id = integration_id;
  data->url_func = url_func;
  data->url_data = url_data;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, lia_oauth_login_async);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);
  g_task_run_in_thread (task, login_thread);
}

gboolean
lia_oauth_login_finish (GAsyncResult    *result,
                        LiaOAuthStatus  *out_status,
                        GError         **error)
{
  g_autofree LiaOAuthStatus *status = g_task_propagate_pointer (G_TASK (result), error);

  if (status == NULL)
    return FALSE;
  if (out_status != NULL)
    *out_status = *status;
  else
    lia_oauth_status_clear (status);
  return TRUE;
}

static void
logout_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  LoginData *data = task_data;
  g_autofree char *notice = NULL;
  GError *error = NULL;

  if (lia_oauth_logout (data->db_path, data->integration_id, &notice, cancellable, &error))
    g_task_return_pointer (task, notice ? g_steal_pointer (&notice) : g_strdup (""), g_free);
  else
    g_task_return_error (task, error);
}

void
lia_oauth_logout_async (const char          *db_path,
                        gint64               integration_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  LoginData *data = g_new0 (LoginData, 1);

  data->db_path = g_strdup (db_path);
  data->integration_id = integration_id;
  data->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (task, lia_oauth_logout_async);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);
  g_task_run_in_thread (task, logout_thread);
}

/* Returns the notice to show (empty when there is none), or NULL on error. */
char *
lia_oauth_logout_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
