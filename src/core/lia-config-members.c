/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-config"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "lia-config-private.h"
#include "lia-kind.h"

/* The top-level members of a config: what it is, where it is, how to sign
 * in, and how often to sync. Rules that depend on the kind or the auth type
 * are checked against the values read up front by
 * lia_config_parser_begin(), wherever in the file those appear. */

#define MAX_NAME_CHARS 200

typedef void (*ParseMemberFunc) (LiaConfigParser *ctx,
                                 const char      *key,
                                 JsonNode        *node);

static const char * const oauth_providers[] = {
  "google", "microsoft", "zoom", "generic", NULL
};

/* Header names that carry credentials: a secret there would be stored in
 * the database in the clear. */
static const char * const credential_headers[] = {
  "authorization", "proxy-authorization", "cookie", NULL
};

/* ---- helpers -------------------------------------------------------- */

/* RFC 7230 token characters, as header names must be. */
static gboolean
is_http_token (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* GUri takes almost anything between "//" and "/" as a host. */
static gboolean
is_host_name (const char *host)
{
  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;
  for (const char *p = host; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_' && (guchar) *p < 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
has_space_or_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return TRUE;
  return FALSE;
}

/* An absolute http or https URL with a host and no user:password. With
 * @https_only, plain http is allowed only to this machine: OAuth tokens
 * must not cross a network unencrypted. */
static gboolean
check_url (LiaConfigCheck *check,
           const char     *path,
           const char     *value,
           gboolean        https_only,
           const char     *credentials_rule)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  gboolean https = scheme != NULL && g_ascii_strcasecmp (scheme, "https") == 0;

  if (uri == NULL || !is_host_name (host) || has_space_or_control (value) ||
      (!https && g_ascii_strcasecmp (scheme, "http") != 0))
    lia_config_check_add (check, path, _("not an http or https URL"));
  else if (g_uri_get_userinfo (uri) != NULL)
    lia_config_check_add (check, path, "%s", credentials_rule);
  else if (https_only && !https && !is_loopback_host (host))
    lia_config_check_add (check, path, _("must be https (http only on a loopback address)"));
  else
    return TRUE;
  return FALSE;
}

/* Takes a secret out of the config. Its value never goes into a message. */
static void
take_secret (LiaConfigParser *ctx,
             const char      *path,
             const char      *field,
             JsonNode        *node)
{
  const char *value = lia_config_check_string (&ctx->check, node, path, FALSE);

  if (value != NULL)
    lia_config_secrets_add (ctx->secrets, field, value);
}

/* ---- the top-level members -------------------------------------------- */

static gboolean
uses_auth (LiaConfigParser *ctx,
           const char      *key,
           guint            auth_mask)
{
  if (ctx->auth_known && !(auth_mask & (1u << ctx->config->auth_type)))
    {
      lia_config_check_add (&ctx->check, key, _("not used by authType %s"),
                            lia_auth_type_to_string (ctx->config->auth_type));
      return FALSE;
    }
  return TRUE;
}

static void
parse_name (LiaConfigParser *ctx,
            const char      *key,
            JsonNode        *node)
{
  const char *value = lia_config_check_string (&ctx->check, node, key, TRUE);
  g_autofree char *name = NULL;

  if (value == NULL)
    return;
  name = g_strstrip (g_strdup (value));
  if (*name == '\0')
    lia_config_check_add (&ctx->check, key, _("must not be empty"));
  else if (g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    lia_config_check_add (&ctx->check, key, _("must be at most %d characters"), MAX_NAME_CHARS);
  else
    ctx->config->name = g_steal_pointer (&name);
}

static void
parse_kind (LiaConfigParser *ctx,
            const char      *key,
            JsonNode        *node)
{
  g_autofree char *kinds = NULL;

  if (lia_config_check_string (&ctx->check, node, key, TRUE) == NULL || ctx->kind != NULL)
    return;
  kinds = lia_kind_list ();
  lia_config_check_add (&ctx->check, key, _("must be one of %s"), kinds);
}

static void
parse_base_url (LiaConfigParser *ctx,
                const char      *key,
                JsonNode        *node)
{
  const char *value;

  if (ctx->kind != NULL && ctx->kind->uses_folder)
    {
      lia_config_check_add (&ctx->check, key, _("not used by kind %s; use folder"), ctx->kind->id);
      return;
    }
  value = lia_config_check_string (&ctx->check, node, key, TRUE);
  if (value != NULL &&
      check_url (&ctx->check, key, value, FALSE, _("must not contain credentials; use authType")))
    ctx->config->base_url = g_strdup (value);
}

static void
parse_folder (LiaConfigParser *ctx,
              const char      *key,
              JsonNode        *node)
{
  const char *value;

  if (ctx->kind != NULL && !ctx->kind->uses_folder)
    {
      lia_config_check_add (&ctx->check, key, _("not used by kind %s; use baseUrl"), ctx->kind->id);
      return;
    }
  value = lia_config_check_string (&ctx->check, node, key, TRUE);
  if (value == NULL)
    return;
  if (!g_path_is_absolute (value))
    lia_config_check_add (&ctx->check, key, _("must be an absolute path"));
  else
    ctx->config->folder = g_strdup (value);
}

/* Reports a bad authType; the value in effect was read up front by
 * lia_config_parser_begin(). */
static void
parse_auth_type (LiaConfigParser *ctx,
                 const char      *key,
                 JsonNode        *node)
{
  const char *value = lia_config_check_string (&ctx->check, node, key, TRUE);
  LiaAuthType auth;

  if (value == NULL)
    return;

  if (ctx->kind != NULL && ctx->kind->kind == LIA_KIND_MOODLE)
    {
      if (!g_str_equal (value, lia_auth_type_to_string (LIA_AUTH_API_KEY)))
        lia_config_check_add (&ctx->check, key,
                              _("moodle uses its web-service token (apiKey); leave authType out"));
    }
  else if (!lia_auth_type_from_string (value, &auth))
    {
      g_autofree char *all = lia_auth_type_list ((1u << LIA_N_AUTH_TYPES) - 1);
      lia_config_check_add (&ctx->check, key, _("must be one of %s"), all);
    }
  else if (ctx->kind != NULL && !(ctx->kind->allowed_auth & (1u << auth)))
    {
      g_autofree char *allowed = lia_auth_type_list (ctx->kind->allowed_auth);
      lia_config_check_add (&ctx->check, key, _("kind %s allows only %s"), ctx->kind->id, allowed);
    }
}

static void
parse_api_key (LiaConfigParser *ctx,
               const char      *key,
               JsonNode        *node)
{
  if (uses_auth (ctx, key, (1u << LIA_AUTH_API_KEY) | (1u << LIA_AUTH_BEARER)))
    take_secret (ctx, key, LIA_SECRET_API_KEY, node);
}

static void
parse_password (LiaConfigParser *ctx,
                const char      *key,
                JsonNode        *node)
{
  if (uses_auth (ctx, key, 1u << LIA_AUTH_BASIC))
    take_secret (ctx, key, LIA_SECRET_PASSWORD, node);
}

static void
parse_username (LiaConfigParser *ctx,
                const char      *key,
                JsonNode        *node)
{
  const char *value;

  if (!uses_auth (ctx, key, 1u << LIA_AUTH_BASIC))
    return;
  value = lia_config_check_string (&ctx->check, node, key, FALSE);
  if (value != NULL)
    ctx->config->username = g_strdup (value);
}

/* apiKeyHeader and apiKeyQuery: where an api-key token goes. */
static void
parse_api_key_place (LiaConfigParser *ctx,
                     const char      *key,
                     JsonNode        *node)
{
  gboolean is_header = g_str_equal (key, "apiKeyHeader");
  const char *value;

  if (ctx->kind != NULL && ctx->kind->kind == LIA_KIND_MOODLE)
    {
      lia_config_check_add (&ctx->check, key, _("not used by kind moodle (the token is sent as wstoken)"));
      return;
    }
  if (!uses_auth (ctx, key, 1u << LIA_AUTH_API_KEY))
    return;
  value = lia_config_check_string (&ctx->check, node, key, FALSE);
  if (value == NULL)
    return;

  if (is_header && !is_http_token (value))
    lia_config_check_add (&ctx->check, key, _("not a valid HTTP header name"));
  else if (!is_header && json_object_has_member (ctx->root, "apiKeyHeader"))
    lia_config_check_add (&ctx->check, key, _("give apiKeyHeader or apiKeyQuery, not both"));
  else if (is_header)
    ctx->config->api_key_header = g_strdup (value);
  else
    ctx->config->api_key_query = g_strdup (value);
}

static void
clear_oauth (LiaOAuthConfig *oauth)
{
  g_free (oauth->provider);
  g_free (oauth->issuer);
  g_free (oauth->authorization_url);
  g_free (oauth->token_url);
  g_free (oauth->revocation_url);
  g_free (oauth->userinfo_url);
  g_free (oauth->client_id);
  g_free (oauth->tenant);
  g_strfreev (oauth->scopes);
}

/* Shared between configs (see lia_config_with_enabled()), so atomically
 * reference counted, as endpoints are. */
void
lia_oauth_config_release (LiaOAuthConfig *oauth)
{
  g_atomic_rc_box_release_full (oauth, (GDestroyNotify) clear_oauth);
}

static GStrv
check_string_array (LiaConfigCheck *check,
                    JsonNode       *node,
                    const char     *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!lia_json_holds (element, G_TYPE_STRING))
        array = NULL;
      else
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  if (array == NULL)
    {
      lia_config_check_add (check, path, _("must be an array of strings"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

static void
parse_oauth_member (LiaConfigParser *ctx,
                    LiaOAuthConfig  *oauth,
                    gboolean         provider_known,
                    const char      *name,
                    JsonNode        *node,
                    const char      *path)
{
  static const struct {
    const char *name;
    gsize       offset;
  } urls[] = {
    { "issuer", G_STRUCT_OFFSET (LiaOAuthConfig, issuer) },
    { "authorizationUrl", G_STRUCT_OFFSET (LiaOAuthConfig, authorization_url) },
    { "tokenUrl", G_STRUCT_OFFSET (LiaOAuthConfig, token_url) },
    { "revocationUrl", G_STRUCT_OFFSET (LiaOAuthConfig, revocation_url) },
    { "userinfoUrl", G_STRUCT_OFFSET (LiaOAuthConfig, userinfo_url) },
  };
  const char *value;

  if (g_str_equal (name, "clientSecret"))
    {
      take_secret (ctx, path, LIA_SECRET_CLIENT_SECRET, node);
      oauth->has_client_secret = TRUE;
      return;
    }
  if (g_str_equal (name, "scopes"))
    {
      GStrv scopes = check_string_array (&ctx->check, node, path);
      if (scopes != NULL)
        {
          g_strfreev (oauth->scopes);
          oauth->scopes = scopes;
        }
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      if (!g_str_equal (name, urls[i].name))
        continue;
      value = lia_config_check_string (&ctx->check, node, path, TRUE);
      if (value != NULL && check_url (&ctx->check, path, value, TRUE, _("must not contain credentials")))
        G_STRUCT_MEMBER (char *, oauth, urls[i].offset) = g_strdup (value);
      return;
    }

  /* The provider itself was read by parse_oauth(). */
  if (g_str_equal (name, "provider"))
    {
      value = lia_config_check_string (&ctx->check, node, path, TRUE);
      if (value != NULL && !provider_known)
        lia_config_check_add (&ctx->check, path, _("must be one of google, microsoft, zoom, generic"));
    }
  else if (g_str_equal (name, "clientId"))
    {
      value = lia_config_check_string (&ctx->check, node, path, FALSE);
      if (value != NULL)
        oauth->client_id = g_strdup (value);
    }
  else if (g_str_equal (name, "tenant"))
    {
      value = lia_config_check_string (&ctx->check, node, path, FALSE);
      if (value != NULL && provider_known && !g_str_equal (oauth->provider, "microsoft"))
        lia_config_check_add (&ctx->check, path, _("only used by provider microsoft"));
      else if (value != NULL)
        oauth->tenant = g_strdup (value);
    }
  else
    lia_config_check_add (&ctx->check, path, _("unknown key"));
}

static void
parse_oauth (LiaConfigParser *ctx,
             const char      *key,
             JsonNode        *node)
{
  g_autoptr(GList) members = NULL;
  LiaOAuthConfig *oauth;
  JsonObject *object;
  JsonNode *provider;
  gboolean provider_known;

  if (!uses_auth (ctx, key, 1u << LIA_AUTH_OAUTH2))
    return;
  object = lia_config_check_object (&ctx->check, node, key);
  if (object == NULL)
    return;

  oauth = g_atomic_rc_box_new0 (LiaOAuthConfig);
  oauth->scopes = g_new0 (char *, 1);
  ctx->config->oauth = oauth;

  /* The provider decides what else is needed, wherever it appears. */
  provider = json_object_get_member (object, "provider");
  if (provider == NULL)
    oauth->provider = g_strdup ("generic");
  else if (lia_json_holds (provider, G_TYPE_STRING) &&
           lia_config_is_one_of (json_node_get_string (provider), oauth_providers))
    oauth->provider = g_strdup (json_node_get_string (provider));
  provider_known = oauth->provider != NULL;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *path = lia_config_path (key, l->data);
      parse_oauth_member (ctx, oauth, provider_known, l->data, json_object_get_member (object, l->data), path);
    }

  if (!json_object_has_member (object, "clientId"))
    lia_config_check_add (&ctx->check, "oauth.clientId", _("required"));
  /* The well-known providers' endpoints are built in; a generic one needs
   * discovery or explicit endpoints. */
  if (provider_known && g_str_equal (oauth->provider, "generic") &&
      !json_object_has_member (object, "issuer") &&
      !(json_object_has_member (object, "authorizationUrl") && json_object_has_member (object, "tokenUrl")))
    lia_config_check_add (&ctx->check, key, _("give issuer, or authorizationUrl and tokenUrl"));
}

static void
parse_headers (LiaConfigParser *ctx,
               const char      *key,
               JsonNode        *node)
{
  JsonObject *object = lia_config_check_object (&ctx->check, node, key);
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = lia_config_path (key, name);
      g_autofree char *lower = g_ascii_strdown (name, -1);
      const char *value;

      if (!is_http_token (name))
        lia_config_check_add (&ctx->check, path, _("not a valid HTTP header name"));
      else if (lia_config_is_one_of (lower, credential_headers))
        lia_config_check_add (&ctx->check, path, _("credentials go in apiKey or password, not in headers"));
      else if ((value = lia_config_check_string (&ctx->check, json_object_get_member (object, name),
                                                 path, TRUE)) == NULL)
        continue;
      /* Line breaks would let a value start a header of its own. (NUL
       * cannot get this far: json-glib ends the string there.) */
      else if (strpbrk (value, "\r\n") != NULL)
        lia_config_check_add (&ctx->check, path, _("must not contain line breaks"));
      else
        g_ptr_array_add (ctx->config->headers, lia_pair_new (name, value));
    }
}

static void
parse_endpoints (LiaConfigParser *ctx,
                 const char      *key,
                 JsonNode        *node)
{
  lia_config_parse_endpoints (&ctx->check, ctx->kind, node, ctx->config->endpoints);

  /* Moodle has a web-service function for each data type already. */
  if (ctx->kind != NULL && ctx->kind->kind != LIA_KIND_MOODLE &&
      JSON_NODE_HOLDS_OBJECT (node) && json_object_get_size (json_node_get_object (node)) == 0)
    lia_config_check_add (&ctx->check, key, _("name at least one data type"));
}

static void
parse_field_mappings (LiaConfigParser *ctx,
                      const char      *key,
                      JsonNode        *node)
{
  lia_config_parse_mappings (&ctx->check, node, ctx->config->mappings);
}

static void
parse_timezone (LiaConfigParser *ctx,
                const char      *key,
                JsonNode        *node)
{
  const char *value = lia_config_check_string (&ctx->check, node, key, TRUE);
  g_autoptr(GTimeZone) zone = NULL;

  if (value == NULL)
    return;
  if (*value != '\0')
    zone = g_time_zone_new_identifier (value);
  if (zone == NULL)
    lia_config_check_add (&ctx->check, key, _("unknown time zone"));
  else
    ctx->config->timezone = g_strdup (value);
}

static void
parse_number (LiaConfigParser *ctx,
              const char      *key,
              JsonNode        *node)
{
  gint64 value;

  if (!lia_config_check_int (&ctx->check, node, key, &value))
    return;

  if (g_str_equal (key, "syncInterval"))
    {
      if (value < 5)
        lia_config_check_add (&ctx->check, key, _("must be at least 5 minutes"));
      else if (value > 10080)
        lia_config_check_add (&ctx->check, key, _("must be at most 10080 minutes (a week)"));
      else
        ctx->config->sync_interval = value;
    }
  else if (g_str_equal (key, "timeoutSeconds"))
    {
      if (lia_config_check_range (&ctx->check, key, value, 1, 600))
        ctx->config->timeout_seconds = value;
    }
  else
    {
      g_assert (g_str_equal (key, "maxRetries"));
      if (lia_config_check_range (&ctx->check, key, value, 0, 10))
        ctx->config->max_retries = value;
    }
}

static void
parse_enabled (LiaConfigParser *ctx,
               const char      *key,
               JsonNode        *node)
{
  lia_config_check_bool (&ctx->check, node, key, &ctx->config->enabled);
}

static void
parse_ca_file (LiaConfigParser *ctx,
               const char      *key,
               JsonNode        *node)
{
  const char *value = lia_config_check_string (&ctx->check, node, key, TRUE);
  g_autoptr(GError) error = NULL;
  GList *certificates;

  if (value == NULL)
    return;
  if (!g_path_is_absolute (value))
    {
      lia_config_check_add (&ctx->check, key, _("must be an absolute path"));
      return;
    }

  /* Checked on the way in; a stored config whose file went away must still
   * load (its syncs then fail with a TLS error that says why). */
  if (ctx->stored)
    {
      ctx->config->ca_file = g_strdup (value);
      return;
    }

  certificates = g_tls_certificate_list_new_from_file (value, &error);
  if (certificates == NULL)
    lia_config_check_add (&ctx->check, key, _("cannot read certificates from %s: %s"), value,
                          error != NULL ? error->message : _("the file holds no certificate"));
  else
    ctx->config->ca_file = g_strdup (value);
  g_list_free_full (certificates, g_object_unref);
}

static const struct {
  const char      *key;
  ParseMemberFunc  parse;
} top_level_keys[] = {
  { "name", parse_name },
  { "kind", parse_kind },
  { "baseUrl", parse_base_url },
  { "folder", parse_folder },
  { "authType", parse_auth_type },
  { "apiKey", parse_api_key },
  { "apiKeyHeader", parse_api_key_place },
  { "apiKeyQuery", parse_api_key_place },
  { "username", parse_username },
  { "password", parse_password },
  { "oauth", parse_oauth },
  { "headers", parse_headers },
  { "endpoints", parse_endpoints },
  { "fieldMappings", parse_field_mappings },
  { "timezone", parse_timezone },
  { "timeoutSeconds", parse_number },
  { "maxRetries", parse_number },
  { "syncInterval", parse_number },
  { "enabled", parse_enabled },
  { "caFile", parse_ca_file },
};

/* ---- the parser's steps ---------------------------------------------- */

/* Reads the two values other rules depend on, quietly: their own errors are
 * reported where they appear. An auth type stays unknown when it is wrong,
 * so that it does not bring a flood of follow-on errors. */
void
lia_config_parser_begin (LiaConfigParser *ctx)
{
  JsonNode *kind = json_object_get_member (ctx->root, "kind");
  JsonNode *auth = json_object_get_member (ctx->root, "authType");
  LiaAuthType auth_type;

  if (kind != NULL && lia_json_holds (kind, G_TYPE_STRING))
    ctx->kind = lia_kind_from_string (json_node_get_string (kind));
  if (ctx->kind != NULL)
    ctx->config->kind = ctx->kind->kind;

  /* Moodle has one way to sign in, whatever authType says. */
  if (ctx->kind != NULL && (auth == NULL || ctx->kind->kind == LIA_KIND_MOODLE))
    {
      ctx->config->auth_type = ctx->kind->default_auth;
      ctx->auth_known = TRUE;
    }
  else if (auth != NULL && lia_json_holds (auth, G_TYPE_STRING) &&
           lia_auth_type_from_string (json_node_get_string (auth), &auth_type) &&
           (ctx->kind == NULL || (ctx->kind->allowed_auth & (1u << auth_type))))
    {
      ctx->config->auth_type = auth_type;
      ctx->auth_known = TRUE;
    }
}

/* Checks one top-level member. */
void
lia_config_parser_member (LiaConfigParser *ctx,
                          const char      *key,
                          JsonNode        *node)
{
  for (guint i = 0; i < G_N_ELEMENTS (top_level_keys); i++)
    {
      if (g_str_equal (key, top_level_keys[i].key))
        {
          top_level_keys[i].parse (ctx, key, node);
          return;
        }
    }
  lia_config_check_add (&ctx->check, key, _("unknown key"));
}

/* Reports what is missing, and fills in the defaults that depend on other
 * members. */
void
lia_config_parser_finish (LiaConfigParser *ctx)
{
  LiaConfig *config = ctx->config;
  JsonObject *root = ctx->root;

  if (!json_object_has_member (root, "name"))
    lia_config_check_add (&ctx->check, "name", _("required"));
  if (!json_object_has_member (root, "kind"))
    lia_config_check_add (&ctx->check, "kind", _("required"));

  if (ctx->kind != NULL && !ctx->kind->uses_folder && !json_object_has_member (root, "baseUrl"))
    lia_config_check_add (&ctx->check, "baseUrl", _("required"));
  if (ctx->kind != NULL && ctx->kind->uses_folder && !json_object_has_member (root, "folder"))
    lia_config_check_add (&ctx->check, "folder", _("required"));

  if (ctx->auth_known && config->auth_type == LIA_AUTH_BASIC &&
      !json_object_has_member (root, "username"))
    lia_config_check_add (&ctx->check, "username", _("required for authType basic"));
  if (ctx->auth_known && config->auth_type == LIA_AUTH_OAUTH2 &&
      !json_object_has_member (root, "oauth"))
    lia_config_check_add (&ctx->check, "oauth", _("required for authType oauth2"));

  if (ctx->kind != NULL && !ctx->kind->has_defaults &&
      !json_object_has_member (root, "endpoints"))
    lia_config_check_add (&ctx->check, "endpoints", _("required for kind %s"), ctx->kind->id);

  if (config->auth_type == LIA_AUTH_API_KEY && config->kind != LIA_KIND_MOODLE &&
      config->api_key_header == NULL && config->api_key_query == NULL)
    config->api_key_header = g_strdup ("X-API-Key");
}
