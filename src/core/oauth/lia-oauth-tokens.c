/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-oauth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "lia-lock.h"
#include "lia-oauth-private.h"
#include "lia-secrets.h"
#include "lia-util.h"

/* An access token this close to its expiry is refreshed first. */
#define EXPIRY_MARGIN_MS (60 * 1000)

/* Helpers */

static char *
lock_name (gint64 integration_id)
{
  return g_strdup_printf ("oauth-%" PRId64, integration_id);
}

static gboolean
set_needs_signin (LiaDatabase  *db,
                  gint64        integration_id,
                  gboolean      needs_signin,
                  GError      **error)
{
  sqlite3_stmt *stmt = lia_database_prepare (db, "UPDATE integrations SET needs_signin = ? WHERE id = ?", error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, needs_signin);
  sqlite3_bind_int64 (stmt, 2, integration_id);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lia_database_set_error (db, error, _("Cannot record the sign-in"));
  sqlite3_reset (stmt);
  return ok;
}

static gint64
read_expiry (LiaDatabase *db,
             gint64       integration_id)
{
  sqlite3_stmt *stmt = lia_database_prepare (db, "SELECT expires_at FROM oauth_accounts WHERE integration_id = ?", NULL);
  gint64 expires_at = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, integration_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    expires_at = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return expires_at;
}

static char *
lookup (LiaDatabase  *db,
        gint64        integration_id,
        const char   *field,
        GError      **error)
{
  return lia_secrets_lookup (lia_database_get_id (db), integration_id, field, NULL, error);
}

/* Internal API */

/* The integration, checked to be an OAuth one, and its client secret
 * (NULL for a public client). */
LiaIntegration *
lia_oauth_load_integration (LiaDatabase  *db,
                            gint64        integration_id,
                            char        **out_client_secret,
                            GError      **error)
{
  g_autoptr(LiaIntegration) integration = lia_integration_store_get (db, integration_id, error);
  GError *local_error = NULL;

  if (integration == NULL)
    return NULL;
  if (integration->config->auth_type != LIA_AUTH_OAUTH2 || integration->config->oauth == NULL)
    {
      g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_CONFIG,
                   _("“%s” does not sign in with OAuth (its authType is not oauth2)"), integration->name);
      return NULL;
    }

  *out_client_secret = NULL;
  if (integration->config->oauth->has_client_secret)
    {
      *out_client_secret = lookup (db, integration_id, LIA_SECRET_CLIENT_SECRET, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
    }
  return g_steal_pointer (&integration);
}

/* Keeps new tokens: the refresh token first, so that a rotated one is
 * safe in the keyring before the access token it came with is used. */
gboolean
lia_oauth_store_tokens (LiaDatabase           *db,
                        gint64                 integration_id,
                        const LiaOAuthTokens  *tokens,
                        const char            *account,
                        GError               **error)
{
  const char *database_id = lia_database_get_id (db);
  sqlite3_stmt *stmt;
  gint64 now = lia_now_ms ();
  gboolean ok;

  if (tokens->refresh_token != NULL &&
      !lia_secrets_store (database_id, integration_id, LIA_SECRET_REFRESH_TOKEN, tokens->refresh_token, NULL, error))
    return FALSE;
  if (!lia_secrets_store (database_id, integration_id, LIA_SECRET_ACCESS_TOKEN, tokens->access_token, NULL, error))
    return FALSE;

  /* A refresh keeps the account and scopes it does not restate. */
  stmt = lia_database_prepare (db,
                               "INSERT INTO oauth_accounts (integration_id, account, scopes, expires_at, signed_in_at, refreshed_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, NULL)"
                               " ON CONFLICT (integration_id) DO UPDATE SET"
                               "  account = coalesce (excluded.account, account),"
                               "  scopes = coalesce (excluded.scopes, scopes),"
                               "  expires_at = excluded.expires_at,"
                               "  refreshed_at = CASE WHEN ?2 IS NULL THEN ?5 ELSE refreshed_at END,"
                               "  signed_in_at = CASE WHEN ?2 IS NULL THEN signed_in_at ELSE ?5 END", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, integration_id);
  sqlite3_bind_text (stmt, 2, account, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tokens->scope, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, tokens->expires_at);
  sqlite3_bind_int64 (stmt, 5, now);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    lia_database_set_error (db, error, _("Cannot record the sign-in"));
  sqlite3_reset (stmt);

  return ok && set_needs_signin (db, integration_id, FALSE, error);
}

/* Public API */

gboolean
lia_oauth_get_status (LiaDatabase     *db,
                      gint64           integration_id,
                      LiaOAuthStatus  *out_status,
                      GError         **error)
{
  g_autoptr(LiaSecret) refresh = NULL;
  g_autoptr(LiaSecret) access = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaSecret) client_secret = NULL;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  memset (out_status, 0, sizeof *out_status);

  integration = lia_oauth_load_integration (db, integration_id, &client_secret, error);
  if (integration == NULL)
    return FALSE;

  stmt = lia_database_prepare (db,
                               "SELECT i.needs_signin, a.account, a.scopes, a.expires_at FROM integrations i"
                               " LEFT JOIN oauth_accounts a ON a.integration_id = i.id WHERE i.id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, integration_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out_status->needs_signin = sqlite3_column_int (stmt, 0);
      out_status->account = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      out_status->scopes = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      out_status->expires_at = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);

  refresh = lookup (db, integration_id, LIA_SECRET_REFRESH_TOKEN, &local_error);
  if (local_error == NULL && refresh == NULL)
    access = lookup (db, integration_id, LIA_SECRET_ACCESS_TOKEN, &local_error);
  if (local_error != NULL)
    {
      lia_oauth_status_clear (out_status);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  out_status->connected = (refresh != NULL || access != NULL) && !out_status->needs_signin;
  return TRUE;
}

/* A valid access token for a request: the stored one while it is fresh,
 * else a refreshed one. Refreshes of one integration are serialised
 * across every process that shares the database, and a process that
 * waited re-reads what the other one stored rather than spending the
 * (rotated, now revoked) refresh token again. @force_refresh: the server
 * refused the current token (HTTP 401). */
char *
lia_oauth_get_access_token (const char    *db_path,
                            gint64         integration_id,
                            gboolean       force_refresh,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaSecret) client_secret = NULL;
  g_autoptr(LiaSecret) seen = NULL;
  g_autoptr(LiaSecret) current = NULL;
  g_autoptr(LiaSecret) refresh = NULL;
  g_autoptr(LiaLock) lock = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(LiaOAuthEndpoints) endpoints = NULL;
  g_autoptr(LiaOAuthTokens) tokens = NULL;
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *name = lock_name (integration_id);
  GError *local_error = NULL;

  db = lia_database_open (db_path, error);
  if (db == NULL)
    return NULL;
  integration = lia_oauth_load_integration (db, integration_id, &client_secret, error);
  if (integration == NULL)
    return NULL;

  seen = lookup (db, integration_id, LIA_SECRET_ACCESS_TOKEN, error);
  if (seen != NULL && !force_refresh && read_expiry (db, integration_id) > lia_now_ms () + EXPIRY_MARGIN_MS)
    return g_steal_pointer (&seen);

  lock = lia_lock_acquire (db_path, name, cancellable, error);
  if (lock == NULL)
    return NULL;

  /* Another process may have refreshed while this one waited. */
  current = lookup (db, integration_id, LIA_SECRET_ACCESS_TOKEN, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (current != NULL && read_expiry (db, integration_id) > lia_now_ms () + EXPIRY_MARGIN_MS &&
      (!force_refresh || g_strcmp0 (current, seen) != 0))
    return g_steal_pointer (&current);

  refresh = lookup (db, integration_id, LIA_SECRET_REFRESH_TOKEN, &local_error);
  if (refresh == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_NEEDS_SIGNIN,
                     _("“%s” is not signed in: sign in first"), integration->name);
      return NULL;
    }

  session = lia_oauth_session_new ();
  endpoints = lia_oauth_endpoints_resolve (integration->config->oauth, session, cancellable, error);
  if (endpoints == NULL)
    return NULL;

  form = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) lia_secret_free);
  g_hash_table_insert (form, (char *) "grant_type", g_strdup ("refresh_token"));
  g_hash_table_insert (form, (char *) "refresh_token", g_strdup (refresh));
  tokens = lia_oauth_token_request (session, endpoints, integration->config->oauth->client_id, client_secret,
                                    form, cancellable, &local_error);
  if (tokens == NULL)
    {
      /* The sign-in is gone: say so, and keep everything else. */
      if (g_error_matches (local_error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_NEEDS_SIGNIN))
        set_needs_signin (db, integration_id, TRUE, NULL);
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (!lia_oauth_store_tokens (db, integration_id, tokens, NULL, error))
    return NULL;
  g_debug ("Refreshed the access token of integration %" PRId64, integration_id);
  return g_strdup (tokens->access_token);
}

gboolean
lia_oauth_refresh (const char    *db_path,
                   gint64         integration_id,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(LiaSecret) token = lia_oauth_get_access_token (db_path, integration_id, TRUE, cancellable, error);

  return token != NULL;
}

/* Revokes the sign-in at the provider (RFC 7009) when it can, then deletes
 * the tokens. Where the provider cannot revoke (Microsoft), *@out_notice
 * says where the user removes the app's consent. If the provider cannot be
 * reached, nothing is deleted: try again. */
gboolean
lia_oauth_logout (const char    *db_path,
                  gint64         integration_id,
                  char         **out_notice,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaSecret) client_secret = NULL;
  g_autoptr(LiaSecret) refresh = NULL;
  g_autoptr(LiaSecret) access = NULL;
  g_autoptr(LiaLock) lock = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(LiaOAuthEndpoints) endpoints = NULL;
  g_autofree char *name = lock_name (integration_id);
  const char *database_id;
  sqlite3_stmt *stmt;
  GError *local_error = NULL;

  if (out_notice != NULL)
    *out_notice = NULL;

  db = lia_database_open (db_path, error);
  if (db == NULL)
    return FALSE;
  integration = lia_oauth_load_integration (db, integration_id, &client_secret, error);
  if (integration == NULL)
    return FALSE;
  database_id = lia_database_get_id (db);

  lock = lia_lock_acquire (db_path, name, cancellable, error);
  if (lock == NULL)
    return FALSE;

  refresh = lookup (db, integration_id, LIA_SECRET_REFRESH_TOKEN, &local_error);
  if (local_error == NULL)
    access = lookup (db, integration_id, LIA_SECRET_ACCESS_TOKEN, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (refresh != NULL || access != NULL)
    {
      session = lia_oauth_session_new ();
      endpoints = lia_oauth_endpoints_resolve (integration->config->oauth, session, cancellable, error);
      if (endpoints == NULL)
        return FALSE;

      /* Revoking the refresh token ends the whole grant (RFC 7009 2.1). */
      if (endpoints->revocation_url != NULL &&
          !lia_oauth_revoke_token (session, endpoints, integration->config->oauth->client_id, client_secret,
                                   refresh ? refresh : access, refresh ? "refresh_token" : "access_token",
                                   cancellable, error))
        return FALSE;
      if (endpoints->revocation_url == NULL && out_notice != NULL)
        *out_notice = g_strdup (endpoints->consent_notice ? endpoints->consent_notice
                                                          : _("This provider cannot revoke a sign-in: remove "
                                                              "Liaison’s access in your account’s settings there."));
    }

  if (!lia_secrets_clear (database_id, integration_id, LIA_SECRET_REFRESH_TOKEN, NULL, error) ||
      !lia_secrets_clear (database_id, integration_id, LIA_SECRET_ACCESS_TOKEN, NULL, error))
    return FALSE;

  stmt = lia_database_prepare (db, "DELETE FROM oauth_accounts WHERE integration_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, integration_id);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return set_needs_signin (db, integration_id, FALSE, error);
}
