/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lia-integration-store.h"
#include "lia-oauth.h"

G_BEGIN_DECLS

/* A provider's endpoints and what it wants asked, resolved from a preset,
 * the config and (for an issuer) OpenID Connect discovery. */
typedef struct {
  char     *issuer;
  char     *authorization_url;
  char     *token_url;
  char     *revocation_url;  /* NULL: the provider has none (Microsoft) */
  char     *userinfo_url;
  char     *scopes;          /* space-separated */
  GStrv     extra_params;    /* name, value, name, value, …, NULL */
  gboolean  iss_supported;   /* RFC 9207: the redirect must carry iss */
  gboolean  secret_in_basic; /* send the client secret by HTTP Basic */
  char     *consent_notice;  /* where to remove the app's consent, when no revocation */
} LiaOAuthEndpoints;

void               lia_oauth_endpoints_free    (LiaOAuthEndpoints *endpoints);
LiaOAuthEndpoints *lia_oauth_endpoints_resolve (const LiaOAuthConfig *oauth,
                                                SoupSession          *session,
                                                GCancellable         *cancellable,
                                                GError              **error);
gboolean           lia_oauth_url_allowed       (const char           *url);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaOAuthEndpoints, lia_oauth_endpoints_free)

/* Tokens as a token endpoint sends them. */
typedef struct {
  char   *access_token;
  char   *refresh_token;  /* NULL when none was sent */
  gint64  expires_at;     /* Unix ms, 0 when not said */
  char   *scope;
  char   *id_token;
} LiaOAuthTokens;

void            lia_oauth_tokens_free    (LiaOAuthTokens *tokens);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaOAuthTokens, lia_oauth_tokens_free)

SoupSession    *lia_oauth_session_new    (void);
LiaOAuthTokens *lia_oauth_token_request  (SoupSession          *session,
                                          const LiaOAuthEndpoints *endpoints,
                                          const char           *client_id,
                                          const char           *client_secret,
                                          GHashTable           *form,
                                          GCancellable         *cancellable,
                                          GError              **error);
gboolean        lia_oauth_revoke_token   (SoupSession          *session,
                                          const LiaOAuthEndpoints *endpoints,
                                          const char           *client_id,
                                          const char           *client_secret,
                                          const char           *token,
                                          const char           *hint,
                                          GCancellable         *cancellable,
                                          GError              **error);
LiaIntegration *lia_oauth_load_integration (LiaDatabase       *db,
                                            gint64             integration_id,
                                            char             **out_client_secret,
                                            GError           **error);
gboolean        lia_oauth_store_tokens   (LiaDatabase          *db,
                                          gint64                integration_id,
                                          const LiaOAuthTokens *tokens,
                                          const char           *account,
                                          GError              **error);
char           *lia_oauth_random_string  (gsize                 n_bytes);
char           *lia_oauth_pkce_challenge (const char           *verifier);
char           *lia_oauth_account_from_id_token (const char    *id_token);

G_END_DECLS
