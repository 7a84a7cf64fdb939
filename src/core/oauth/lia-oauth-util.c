/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-oauth"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

#include "lia-oauth-private.h"
#include "lia-util.h"

#define TOKEN_TIMEOUT_SECONDS 30

G_DEFINE_QUARK (lia-oauth-error-quark, lia_oauth_error)

void
lia_oauth_status_clear (LiaOAuthStatus *status)
{
  g_clear_pointer (&status->account, g_free);
  g_clear_pointer (&status->scopes, g_free);
}

void
lia_oauth_tokens_free (LiaOAuthTokens *tokens)
{
  if (tokens == NULL)
    return;
  lia_secret_free (tokens->access_token);
  lia_secret_free (tokens->refresh_token);
  lia_secret_free (tokens->id_token);
  g_free (tokens->scope);
  g_free (tokens);
}

SoupSession *
lia_oauth_session_new (void)
{
  g_autofree char *user_agent = g_strdup_printf ("Liaison/%s ", PACKAGE_VERSION);

  return soup_session_new_with_options ("timeout", TOKEN_TIMEOUT_SECONDS, "user-agent", user_agent, NULL);
}

static char *
base64url (const guchar *data,
           gsize         length)
{
  char *text = g_base64_encode (data, length);

  for (char *p = text; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

/* From the kernel's CSPRNG (getrandom), never GLib's g_random_*: a PKCE
 * verifier or a state that can be guessed protects nothing. */
char *
lia_oauth_random_string (gsize n_bytes)
{
  g_autofree guchar *bytes = g_malloc (n_bytes);
  gsize filled = 0;

  while (filled < n_bytes)
    {
      ssize_t n = getrandom (bytes + filled, n_bytes - filled, 0);

      if (n < 0)
        g_error ("getrandom() failed: %s", g_strerror (errno));
      filled += n;
    }
  return base64url (bytes, n_bytes);
}

/* RFC 7636 S256: base64url (SHA-256 (verifier)). */
char *
lia_oauth_pkce_challenge (const char *verifier)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  return base64url (digest, length);
}

/* The account's email (or name) from an ID token's claims. It came
 * straight from the token endpoint over TLS, so, as OpenID Connect Core
 * 3.1.3.7 allows, its signature is not checked: it is only shown. */
char *
lia_oauth_account_from_id_token (const char *id_token)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonNode) claims = NULL;
  g_autofree guchar *payload = NULL;
  g_autofree char *padded = NULL;
  gsize length;
  JsonObject *object;
  const char *account;

  if (id_token == NULL)
    return NULL;
  parts = g_strsplit (id_token, ".", 3);
  if (g_strv_length (parts) != 3)
    return NULL;

  padded = g_strdup_printf ("%s%s", parts[1], &"==="[(strlen (parts[1]) + 3) % 4]);
  g_strdelimit (padded, "-", '+');
  g_strdelimit (padded, "_", '/');
  payload = g_base64_decode (padded, &length);
  payload = g_realloc (payload, length + 1);
  payload[length] = '\0';
  claims = json_from_string ((const char *) payload, NULL);
  if (claims == NULL || !JSON_NODE_HOLDS_OBJECT (claims))
    return NULL;

  object = json_node_get_object (claims);
  account = json_object_get_string_member_with_default (object, "email", NULL);
  if (account == NULL)
    account = json_object_get_string_member_with_default (object, "name", NULL);
  if (account == NULL)
    account = json_object_get_string_member_with_default (object, "preferred_username", NULL);
  return g_strdup (account);
}

/* The client authenticates in the form (client_id, and client_secret for
 * confidential clients), or by HTTP Basic where the provider wants that. */
static gboolean
uses_basic (const LiaOAuthEndpoints *endpoints,
            const char              *client_secret)
{
  return client_secret != NULL && endpoints->secret_in_basic;
}

static void
add_form_client_auth (GHashTable              *form,
                      const LiaOAuthEndpoints *endpoints,
                      const char              *client_id,
                      const char              *client_secret)
{
  if (uses_basic (endpoints, client_secret))
    return;
  g_hash_table_replace (form, (char *) "client_id", g_strdup (client_id));
  if (client_secret != NULL)
    g_hash_table_replace (form, (char *) "client_secret", g_strdup (client_secret));
}

static void
add_basic_client_auth (SoupMessage             *message,
                       const LiaOAuthEndpoints *endpoints,
                       const char              *client_id,
                       const char              *client_secret)
{
  g_autoptr(LiaSecret) pair = NULL;
  g_autoptr(LiaSecret) encoded = NULL;
  g_autoptr(LiaSecret) header = NULL;

  if (!uses_basic (endpoints, client_secret))
    return;
  pair = g_strdup_printf ("%s:%s", client_id, client_secret);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  header = g_strconcat ("Basic ", encoded, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", header);
}

/* A form POST whose body (it holds codes, tokens and secrets) is wiped
 * when libsoup lets go of it. */
static SoupMessage *
new_form_post (const char *url,
               GHashTable *form)
{
  SoupMessage *message = soup_message_new ("POST", url);
  char *encoded;
  g_autoptr(GBytes) body = NULL;

  if (message == NULL)
    return NULL;
  encoded = soup_form_encode_hash (form);
  body = g_bytes_new_with_free_func (encoded, strlen (encoded), (GDestroyNotify) lia_secret_free, encoded);
  soup_message_set_request_body_from_bytes (message, SOUP_FORM_MIME_TYPE_URLENCODED, body);
  return message;
}

/* An OAuth error response's "error", for deciding; its description is for
 * people. */
static void
set_token_error (GError     **error,
                 guint        status,
                 GBytes      *body)
{
  g_autoptr(JsonNode) root = NULL;
  const char *code = NULL;
  const char *description = NULL;

  if (body != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      root = json_from_string (text, NULL);
      explicit_bzero (text, strlen (text));
    }
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      code = json_object_get_string_member_with_default (json_node_get_object (root), "error", NULL);
      description = json_object_get_string_member_with_default (json_node_get_object (root), "error_description", NULL);
    }

  /* RFC 6749 5.2: a refused grant means the sign-in is gone. */
  if (g_strcmp0 (code, "invalid_grant") == 0)
    g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_NEEDS_SIGNIN,
                 _("The provider no longer accepts this sign-in (%s): sign in again"),
                 description ? description : code);
  else if (code != NULL)
    g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_EXCHANGE,
                 _("The provider refused the request: %s%s%s"), code,
                 description ? ": " : "", description ? description : "");
  else
    g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_EXCHANGE,
                 _("The provider’s token endpoint answered HTTP %u"), status);
}

/* POSTs @form (with the client's authentication added) to the token
 * endpoint and reads the tokens it answers with. */
LiaOAuthTokens *
lia_oauth_token_request (SoupSession             *session,
                         const LiaOAuthEndpoints *endpoints,
                         const char              *client_id,
                         const char              *client_secret,
                         GHashTable              *form,
                         GCancellable            *cancellable,
                         GError                 **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(LiaOAuthTokens) tokens = g_new0 (LiaOAuthTokens, 1);
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  gint64 expires_in;

  add_form_client_auth (form, endpoints, client_id, client_secret);
  message = new_form_post (endpoints->token_url, form);
  if (message == NULL)
    {
      g_set_error_literal (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_CONFIG, _("The token endpoint is not a valid URL"));
      return NULL;
    }
  add_basic_client_auth (message, endpoints, client_id, client_secret);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");

  body = soup_session_send_and_read (session, message, cancellable, &local_error);
  if (body == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_FAILED,
                     _("Cannot reach the provider’s token endpoint: %s"), local_error->message);
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      set_token_error (error, soup_message_get_status (message), body);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_EXCHANGE,
                           _("The provider’s token endpoint did not answer with JSON"));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  tokens->access_token = g_strdup (json_object_get_string_member_with_default (object, "access_token", NULL));
  tokens->refresh_token = g_strdup (json_object_get_string_member_with_default (object, "refresh_token", NULL));
  tokens->id_token = g_strdup (json_object_get_string_member_with_default (object, "id_token", NULL));
  tokens->scope = g_strdup (json_object_get_string_member_with_default (object, "scope", NULL));
  expires_in = json_object_get_int_member_with_default (object, "expires_in", 0);
  tokens->expires_at = expires_in > 0 ? lia_now_ms () + expires_in * 1000 : 0;

  if (tokens->access_token == NULL || *tokens->access_token == '\0')
    {
      g_set_error_literal (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_EXCHANGE,
                           _("The provider’s token endpoint sent no access token"));
      return NULL;
    }
  return g_steal_pointer (&tokens);
}

/* RFC 7009. A token the server no longer knows counts as revoked. */
gboolean
lia_oauth_revoke_token (SoupSession             *session,
                        const LiaOAuthEndpoints *endpoints,
                        const char              *client_id,
                        const char              *client_secret,
                        const char              *token,
                        const char              *hint,
                        GCancellable            *cancellable,
                        GError                 **error)
{
  g_autoptr(GHashTable) form = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lia_secret_free);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) local_error = NULL;

  g_hash_table_insert (form, (char *) "token", g_strdup (token));
  g_hash_table_insert (form, (char *) "token_type_hint", g_strdup (hint));
  add_form_client_auth (form, endpoints, client_id, client_secret);
  message = new_form_post (endpoints->revocation_url, form);
  if (message == NULL)
    {
      g_set_error_literal (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_CONFIG, _("The revocation endpoint is not a valid URL"));
      return FALSE;
    }
  add_basic_client_auth (message, endpoints, client_id, client_secret);

  body = soup_session_send_and_read (session, message, cancellable, &local_error);
  if (body == NULL)
    {
      g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_FAILED,
                   _("Cannot reach the provider to revoke the sign-in: %s"), local_error->message);
      return FALSE;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      set_token_error (error, soup_message_get_status (message), body);
      return FALSE;
    }
  return TRUE;
}
