/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A real OAuth 2.0 / OpenID Connect authorization server for tests:
 * tests/oauth/server.mjs (oidc-provider from npm) in a node child process,
 * on 127.0.0.1 and a random port. It knows two clients:
 *
 *   liaison-test  public native client, PKCE S256 required, redirect
 *                 http://127.0.0.1:<any port>/oauth2/callback, scopes
 *                 openid email profile offline_access; offline_access gives
 *                 a refresh token, rotated on every use
 *   introspector  confidential (introspector / introspector-secret), used
 *                 by lia_test_oidc_introspect()
 *
 * Any login id signs in, with any password; its email is <login>@school.test. */
typedef struct _LiaTestOidc LiaTestOidc;

#define LIA_TEST_OIDC_CLIENT_ID "liaison-test"

typedef enum {
  LIA_TEST_BROWSER_APPROVE,
  LIA_TEST_BROWSER_DENY,
} LiaTestBrowserChoice;

LiaTestOidc *lia_test_oidc_start             (guint          access_ttl_seconds);
void         lia_test_oidc_stop              (LiaTestOidc   *oidc);
const char  *lia_test_oidc_get_issuer        (LiaTestOidc   *oidc);
const char  *lia_test_oidc_get_endpoint      (LiaTestOidc   *oidc,
                                              const char    *name);
char        *lia_test_oidc_get_json          (LiaTestOidc   *oidc,
                                              const char    *path);
gboolean     lia_test_oidc_introspect        (LiaTestOidc   *oidc,
                                              const char    *token,
                                              gboolean      *out_active,
                                              GError       **error);

char        *lia_test_browser_authorize      (const char    *authorization_url,
                                              const char    *login,
                                              LiaTestBrowserChoice choice,
                                              GError       **error);
gboolean     lia_test_browser_get            (const char    *url,
                                              guint         *out_status,
                                              char         **out_body,
                                              GError       **error);
gboolean     lia_test_post_form              (const char    *url,
                                              guint         *out_status,
                                              char         **out_body,
                                              GError       **error,
                                              const char    *first_field,
                                              ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaTestOidc, lia_test_oidc_stop)

G_END_DECLS
