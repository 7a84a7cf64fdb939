/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-config.h"
#include "lia-database.h"

G_BEGIN_DECLS

#define LIA_OAUTH_ERROR (lia_oauth_error_quark ())

typedef enum {
  LIA_OAUTH_ERROR_CONFIG,          /* the integration is not set up for OAuth */
  LIA_OAUTH_ERROR_DISCOVERY,       /* the issuer's discovery document is unusable */
  LIA_OAUTH_ERROR_STATE_MISMATCH,  /* the redirect's state is not ours: refused */
  LIA_OAUTH_ERROR_ISSUER_MISMATCH, /* RFC 9207: the redirect came from another issuer */
  LIA_OAUTH_ERROR_ACCESS_DENIED,   /* the user or the provider said no */
  LIA_OAUTH_ERROR_EXCHANGE,        /* the token endpoint refused the code */
  LIA_OAUTH_ERROR_TIMED_OUT,       /* nobody came back in time */
  LIA_OAUTH_ERROR_NOT_SIGNED_IN,
  LIA_OAUTH_ERROR_NEEDS_SIGNIN,    /* the refresh token was refused: sign in again */
  LIA_OAUTH_ERROR_FAILED,
} LiaOAuthError;

GQuark lia_oauth_error_quark (void);

/* The keyring fields of a sign-in, beside the config's secrets. */
#define LIA_SECRET_ACCESS_TOKEN  "oauth.accessToken"
#define LIA_SECRET_REFRESH_TOKEN "oauth.refreshToken"

/* What may be shown of a sign-in: never a token. */
typedef struct {
  gboolean  connected;     /* a token is in the keyring */
  gboolean  needs_signin;  /* the provider refused the refresh token */
  char     *account;       /* email or name, or NULL */
  char     *scopes;        /* granted, space-separated, or NULL */
  gint64    expires_at;    /* the access token's, Unix ms, 0 if unknown */
} LiaOAuthStatus;

void lia_oauth_status_clear (LiaOAuthStatus *status);

/* Called once the loopback listener is ready, with the authorization URL
 * to open in the browser. */
typedef void (*LiaOAuthUrlFunc) (const char *url,
                                 gpointer    user_data);

typedef struct {
  LiaOAuthUrlFunc  url_func;
  gpointer         url_data;
  guint            timeout_seconds;  /* 0: five minutes */
} LiaOAuthLoginOptions;

/* Blocking: from a worker thread or the command line. */
gboolean lia_oauth_login_blocking  (const char                 *db_path,
                                    gint64                      integration_id,
                                    const LiaOAuthLoginOptions *options,
                                    GCancellable               *cancellable,
                                    LiaOAuthStatus             *out_status,
                                    GError                    **error);
char    *lia_oauth_get_access_token (const char                *db_path,
                                    gint64                      integration_id,
                                    gboolean                    force_refresh,
                                    GCancellable               *cancellable,
                                    GError                    **error);
gboolean lia_oauth_refresh         (const char                 *db_path,
                                    gint64                      integration_id,
                                    GCancellable               *cancellable,
                                    GError                    **error);
gboolean lia_oauth_logout          (const char                 *db_path,
                                    gint64                      integration_id,
                                    char                      **out_notice,
                                    GCancellable               *cancellable,
                                    GError                    **error);
gboolean lia_oauth_get_status      (LiaDatabase                *db,
                                    gint64                      integration_id,
                                    LiaOAuthStatus             *out_status,
                                    GError                    **error);

/* The same for the GUI, in GTask threads; @url_func is called on the
 * caller's main context. */
void     lia_oauth_login_async     (const char                 *db_path,
                                    gint64                      integration_id,
                                    LiaOAuthUrlFunc             url_func,
                                    gpointer                    url_data,
                                    GCancellable               *cancellable,
                                    GAsyncReadyCallback         callback,
                                    gpointer                    user_data);
gboolean lia_oauth_login_finish    (GAsyncResult               *result,
                                    LiaOAuthStatus             *out_status,
                                    GError                    **error);
void     lia_oauth_logout_async    (const char                 *db_path,
                                    gint64                      integration_id,
                                    GCancellable               *cancellable,
                                    GAsyncReadyCallback         callback,
                                    gpointer                    user_data);
char    *lia_oauth_logout_finish   (GAsyncResult               *result,
                                    GError                    **error);

G_END_DECLS
