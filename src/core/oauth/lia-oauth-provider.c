/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-oauth-provider"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lia-oauth-private.h"

/* The providers schools use most, with what each needs to issue a refresh
 * token. Endpoints the config names win over these. */
typedef struct {
  const char *id;
  const char *issuer;
  const char *authorization_url;  /* {tenant}: Microsoft's tenant */
  const char *token_url;
  const char *revocation_url;
  const char *userinfo_url;
  const char *scopes;
  const char *extra_params[5];
  gboolean    secret_in_basic;
  const char *consent_notice;
} Preset;

static const Preset presets[] = {
  { "google", "https://accounts.google.com",
    "https://accounts.google.com/o/oauth2/v2/auth",
    "https://oauth2.googleapis.com/token",
    "https://oauth2.googleapis.com/revoke",
    "https://openidconnect.googleapis.com/v1/userinfo",
    "openid email profile",
    /* Google issues a refresh token only with these. */
    { "access_type", "offline", "prompt", "consent", NULL },
    FALSE, NULL },
  { "microsoft", NULL,
    "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
    "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    NULL,
    "https://graph.microsoft.com/oidc/userinfo",
    "openid email profile offline_access",
    { NULL },
    FALSE,
    N_("Microsoft has no way for an app to give up its access: remove Liaison from "
       "https://myapps.microsoft.com (work or school accounts) or https://account.live.com/consent/Manage "
       "(personal accounts).") },
  { "zoom", NULL,
    "https://zoom.us/oauth/authorize",
    "https://zoom.us/oauth/token",
    "https://zoom.us/oauth/revoke",
    "https://api.zoom.us/v2/users/me",
    "",
    { NULL },
    TRUE, NULL },
};

void
lia_oauth_endpoints_free (LiaOAuthEndpoints *endpoints)
{
  if (endpoints == NULL)
    return;
  g_free (endpoints->issuer);
  g_free (endpoints->authorization_url);
  g_free (endpoints->token_url);
  g_free (endpoints->revocation_url);
  g_free (endpoints->userinfo_url);
  g_free (endpoints->scopes);
  g_strfreev (endpoints->extra_params);
  g_free (endpoints->consent_notice);
  g_free (endpoints);
}

/* https, or http on a loopback address (local servers and tests): the same
 * rule the config applies, for what discovery returns. */
gboolean
lia_oauth_url_allowed (const char *url)
{
  g_autoptr(GUri) uri = url ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;
  host = g_uri_get_host (uri);
  return g_str_has_prefix (host, "127.") || g_str_equal (host, "::1") || g_str_equal (host, "[::1]") ||
         g_ascii_strcasecmp (host, "localhost") == 0;
}

static char *
take_member (JsonObject *object,
             const char *name)
{
  const char *value = json_object_get_string_member_with_default (object, name, NULL);

  return value && *value ? g_strdup (value) : NULL;
}

/* OpenID Connect discovery: {issuer}/.well-known/openid-configuration. The
 * document must name the same issuer, and every endpoint must be https
 * (or loopback). */
static gboolean
discover (LiaOAuthEndpoints  *endpoints,
          SoupSession        *session,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *issuer = NULL;
  const char *trimmed_end;
  JsonObject *doc;
  const char *checked[] = { "authorization_endpoint", "token_endpoint", "revocation_endpoint", "userinfo_endpoint" };
  char **targets[] = { &endpoints->authorization_url, &endpoints->token_url,
                       &endpoints->revocation_url, &endpoints->userinfo_url };

  trimmed_end = endpoints->issuer + strlen (endpoints->issuer);
  while (trimmed_end > endpoints->issuer && trimmed_end[-1] == '/')
    trimmed_end--;
  url = g_strdup_printf ("%.*s/.well-known/openid-configuration", (int) (trimmed_end - endpoints->issuer),
                         endpoints->issuer);

  message = soup_message_new ("GET", url);
  body = message ? soup_session_send_and_read (session, message, cancellable, &local_error) : NULL;
  if (body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)) ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_DISCOVERY,
                   _("Cannot read the sign-in settings of %s: %s"), endpoints->issuer,
                   local_error ? local_error->message : _("no valid discovery document"));
      return FALSE;
    }

  doc = json_node_get_object (json_parser_get_root (parser));
  issuer = take_member (doc, "issuer");
  if (g_strcmp0 (issuer, endpoints->issuer) != 0)
    {
      g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_DISCOVERY,
                   _("The discovery document of %s names another issuer"), endpoints->issuer);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (checked); i++)
    {
      g_autofree char *value = take_member (doc, checked[i]);

      /* What the config names explicitly wins. */
      if (value == NULL || *targets[i] != NULL)
        continue;
      if (!lia_oauth_url_allowed (value))
        {
          g_set_error (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_DISCOVERY,
                       _("The discovery document of %s gives a %s that is not https"), endpoints->issuer, checked[i]);
          return FALSE;
        }
      *targets[i] = g_steal_pointer (&value);
    }
  endpoints->iss_supported = json_object_get_boolean_member_with_default (doc, "authorization_response_iss_parameter_supported", FALSE);
  return TRUE;
}

static char *
with_tenant (const char *url,
             const char *tenant)
{
  GString *text = g_string_new (url);
  g_autofree char *escaped = g_uri_escape_string (tenant, NULL, FALSE);

  g_string_replace (text, "{tenant}", escaped, 0);
  return g_string_free (text, FALSE);
}

/* The endpoints of @oauth: preset, then the config's own, then discovery
 * for what is still missing when an issuer is given. */
LiaOAuthEndpoints *
lia_oauth_endpoints_resolve (const LiaOAuthConfig  *oauth,
                             SoupSession           *session,
                             GCancellable          *cancellable,
                             GError               **error)
{
  g_autoptr(LiaOAuthEndpoints) endpoints = g_new0 (LiaOAuthEndpoints, 1);
  const Preset *preset = NULL;
  g_autoptr(GStrvBuilder) params = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_strcmp0 (presets[i].id, oauth->provider) == 0)
      preset = &presets[i];

  if (preset != NULL)
    {
      const char *tenant = oauth->tenant ? oauth->tenant : "common";

      endpoints->issuer = g_strdup (preset->issuer);
      endpoints->authorization_url = with_tenant (preset->authorization_url, tenant);
      endpoints->token_url = with_tenant (preset->token_url, tenant);
      endpoints->revocation_url = g_strdup (preset->revocation_url);
      endpoints->userinfo_url = g_strdup (preset->userinfo_url);
      endpoints->scopes = g_strdup (preset->scopes);
      endpoints->secret_in_basic = preset->secret_in_basic;
      endpoints->consent_notice = preset->consent_notice ? g_strdup (_(preset->consent_notice)) : NULL;
      g_strv_builder_addv (params, (const char **) preset->extra_params);
    }
  endpoints->extra_params = g_strv_builder_end (params);

#define OVERRIDE(field, value) \
  if ((value) != NULL) { g_free (endpoints->field); endpoints->field = g_strdup (value); }
  OVERRIDE (issuer, oauth->issuer);
  OVERRIDE (authorization_url, oauth->authorization_url);
  OVERRIDE (token_url, oauth->token_url);
  OVERRIDE (revocation_url, oauth->revocation_url);
  OVERRIDE (userinfo_url, oauth->userinfo_url);
#undef OVERRIDE
  if (oauth->scopes != NULL && oauth->scopes[0] != NULL)
    {
      g_free (endpoints->scopes);
      endpoints->scopes = g_strjoinv (" ", oauth->scopes);
    }
  if (endpoints->scopes == NULL)
    endpoints->scopes = g_strdup ("openid email profile offline_access");

  /* Presets know their endpoints; a generic issuer is discovered. */
  if (oauth->issuer != NULL && (endpoints->authorization_url == NULL || endpoints->token_url == NULL ||
                                preset == NULL))
    {
      if (!discover (endpoints, session, cancellable, error))
        return NULL;
    }

  if (endpoints->authorization_url == NULL || endpoints->token_url == NULL)
    {
      g_set_error_literal (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_CONFIG,
                           _("The sign-in has no authorization or token endpoint: give issuer, "
                             "or authorizationUrl and tokenUrl"));
      return NULL;
    }
  return g_steal_pointer (&endpoints);
}
