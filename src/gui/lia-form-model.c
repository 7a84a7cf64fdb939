/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-form-model"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lia-data-type.h"
#include "lia-form-model-private.h"
#include "lia-kind.h"

/* The form's values: life cycle, templates and the setters. Loading a
 * config is in lia-form-model-load.c, mappings in lia-form-mapping.c,
 * building the config and checking it in lia-form-model-build.c. */

/* --- Life cycle ---------------------------------------------------------- */

static void
endpoint_clear (LiaFormEndpoint *endpoint)
{
  g_free (endpoint->path);
  g_free (endpoint->records_path);
  g_free (endpoint->since_param);
  g_free (endpoint->page_param);
  g_free (endpoint->offset_param);
  g_free (endpoint->cursor_param);
  g_free (endpoint->cursor_path);
  g_free (endpoint->size_param);
  g_free (endpoint->total_path);
  g_free (endpoint->size);
  g_free (endpoint->start_page);
  g_free (endpoint->method);
  g_clear_pointer (&endpoint->query, json_node_unref);
  memset (endpoint, 0, sizeof *endpoint);
}

static void
endpoint_copy (LiaFormEndpoint       *copy,
               const LiaFormEndpoint *endpoint)
{
  copy->path = g_strdup (endpoint->path);
  copy->records_path = g_strdup (endpoint->records_path);
  copy->since_param = g_strdup (endpoint->since_param);
  copy->pagination = endpoint->pagination;
  copy->page_param = g_strdup (endpoint->page_param);
  copy->offset_param = g_strdup (endpoint->offset_param);
  copy->cursor_param = g_strdup (endpoint->cursor_param);
  copy->cursor_path = g_strdup (endpoint->cursor_path);
  copy->size_param = g_strdup (endpoint->size_param);
  copy->total_path = g_strdup (endpoint->total_path);
  copy->size = g_strdup (endpoint->size);
  copy->start_page = g_strdup (endpoint->start_page);
  copy->method = g_strdup (endpoint->method);
  copy->query = endpoint->query != NULL ? json_node_copy (endpoint->query) : NULL;
}

/* Frees what @model holds and zeroes it, keeping nothing. */
void
lia_form_model_clear (LiaFormModel *model)
{
  g_free (model->name);
  g_free (model->base_url);
  g_free (model->folder);
  g_free (model->api_key_header);
  g_free (model->api_key_query);
  g_free (model->username);
  for (guint i = 0; i < LIA_FORM_N_SECRETS; i++)
    lia_secret_free (model->secrets[i]);
  g_clear_pointer (&model->headers, g_ptr_array_unref);
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    {
      endpoint_clear (&model->endpoints[i]);
      g_clear_pointer (&model->mappings[i], g_ptr_array_unref);
    }
  g_free (model->oauth_provider);
  g_free (model->oauth_issuer);
  g_free (model->oauth_authorization_url);
  g_free (model->oauth_token_url);
  g_free (model->oauth_revocation_url);
  g_free (model->oauth_userinfo_url);
  g_free (model->oauth_client_id);
  g_free (model->oauth_scopes);
  g_free (model->oauth_tenant);
  g_free (model->timezone);
  g_free (model->ca_file);
  g_clear_pointer (&model->given, g_hash_table_unref);
  memset (model, 0, sizeof *model);
}

/* The values a config has when it leaves a member out. */
void
lia_form_model_init_blank (LiaFormModel *model,
                           LiaKind       kind)
{
  model->kind = kind;
  model->auth_type = lia_kind_get (kind)->default_auth;
  model->headers = lia_form_pairs_new ();
  model->oauth_provider = g_strdup ("generic");
  model->sync_interval = 60;
  model->enabled = TRUE;
  model->timeout_seconds = 30;
  model->max_retries = 3;
  model->given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static const char *
default_name (LiaKind kind)
{
  return _(lia_kind_get (kind)->display_name);
}

/* What a new integration of @kind starts from: as little as the kind
 * allows, so that a Moodle or Canvas site needs only its URL and token. */
static void
model_init_template (LiaFormModel *model,
                     LiaKind       kind)
{
  lia_form_model_init_blank (model, kind);
  model->name = g_strdup (default_name (kind));
  /* Schools' REST APIs nearly all want a token. */
  if (kind == LIA_KIND_REST)
    model->auth_type = LIA_AUTH_BEARER;
  /* Most schools sign in with Google or Microsoft: offer the first. */
  g_free (model->oauth_provider);
  model->oauth_provider = g_strdup ("google");

  /* The form shows these two, so the config says them. */
  lia_form_model_mark_given (model, "syncInterval");
  lia_form_model_mark_given (model, "enabled");

  switch (kind)
    {
    case LIA_KIND_REST:
      model->endpoints[LIA_DATA_TYPE_STUDENTS].path = g_strdup ("/students");
      break;
    case LIA_KIND_FILE:
      model->endpoints[LIA_DATA_TYPE_STUDENTS].path = g_strdup ("students*.csv");
      break;
    case LIA_KIND_MOODLE:
    case LIA_KIND_CANVAS:
    case LIA_N_KINDS:
    default:
      break;
    }
}

LiaFormModel *
lia_form_model_new (LiaKind kind)
{
  LiaFormModel *model = g_new0 (LiaFormModel, 1);

  g_return_val_if_fail (kind < LIA_N_KINDS, NULL);

  model_init_template (model, kind);
  return model;
}

/* A deep copy, typed secrets included: a snapshot to hand to a worker. */
LiaFormModel *
lia_form_model_copy (const LiaFormModel *model)
{
  LiaFormModel *copy = g_new0 (LiaFormModel, 1);
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (model != NULL, NULL);

  copy->integration_id = model->integration_id;
  copy->kind = model->kind;
  copy->name = g_strdup (model->name);
  copy->base_url = g_strdup (model->base_url);
  copy->folder = g_strdup (model->folder);
  copy->auth_type = model->auth_type;
  copy->api_key_in_query = model->api_key_in_query;
  copy->api_key_header = g_strdup (model->api_key_header);
  copy->api_key_query = g_strdup (model->api_key_query);
  copy->username = g_strdup (model->username);
  for (guint i = 0; i < LIA_FORM_N_SECRETS; i++)
    {
      copy->secrets[i] = lia_secret_dup (model->secrets[i]);
      copy->stored[i] = model->stored[i];
    }
  copy->headers = lia_form_pairs_copy (model->headers);
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    {
      endpoint_copy (&copy->endpoints[i], &model->endpoints[i]);
      copy->mappings[i] = lia_form_mappings_copy (model->mappings[i]);
    }
  copy->oauth_provider = g_strdup (model->oauth_provider);
  copy->oauth_issuer = g_strdup (model->oauth_issuer);
  copy->oauth_authorization_url = g_strdup (model->oauth_authorization_url);
  copy->oauth_token_url = g_strdup (model->oauth_token_url);
  copy->oauth_revocation_url = g_strdup (model->oauth_revocation_url);
  copy->oauth_userinfo_url = g_strdup (model->oauth_userinfo_url);
  copy->oauth_client_id = g_strdup (model->oauth_client_id);
  copy->oauth_scopes = g_strdup (model->oauth_scopes);
  copy->oauth_tenant = g_strdup (model->oauth_tenant);
  copy->timezone = g_strdup (model->timezone);
  copy->sync_interval = model->sync_interval;
  copy->enabled = model->enabled;
  copy->timeout_seconds = model->timeout_seconds;
  copy->max_retries = model->max_retries;
  copy->ca_file = g_strdup (model->ca_file);
  copy->given = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, model->given);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (copy->given, g_strdup (key));
  return copy;
}

void
lia_form_model_free (LiaFormModel *model)
{
  if (model == NULL)
    return;
  lia_form_model_clear (model);
  g_free (model);
}

/* Switches a new integration to another kind's template. What the user
 * typed that still applies stays: the name (unless it is the old
 * template's), the address and the token. */
void
lia_form_model_apply_template (LiaFormModel *model,
                               LiaKind       kind)
{
  g_autofree char *name = NULL;
  g_autofree char *base_url = NULL;
  g_autoptr(LiaSecret) api_key = NULL;
  gint64 id;

  g_return_if_fail (model != NULL);
  g_return_if_fail (kind < LIA_N_KINDS);

  if (kind == model->kind)
    return;

  if (lia_form_has_text (model->name) && !g_str_equal (model->name, default_name (model->kind)))
    name = g_steal_pointer (&model->name);
  base_url = g_steal_pointer (&model->base_url);
  api_key = g_steal_pointer (&model->secrets[LIA_FORM_SECRET_API_KEY]);
  id = model->integration_id;

  lia_form_model_clear (model);
  model_init_template (model, kind);
  model->integration_id = id;

  if (name != NULL)
    {
      g_free (model->name);
      model->name = g_steal_pointer (&name);
    }
  if (!lia_kind_get (kind)->uses_folder)
    model->base_url = g_steal_pointer (&base_url);
  if (lia_form_model_needs_secret (model, LIA_FORM_SECRET_API_KEY))
    model->secrets[LIA_FORM_SECRET_API_KEY] = g_steal_pointer (&api_key);
}

/* --- Setters ------------------------------------------------------------- */

static const struct {
  const char *key;
  gsize       offset;
} text_keys[] = {
  { "name", G_STRUCT_OFFSET (LiaFormModel, name) },
  { "baseUrl", G_STRUCT_OFFSET (LiaFormModel, base_url) },
  { "folder", G_STRUCT_OFFSET (LiaFormModel, folder) },
  { "apiKeyHeader", G_STRUCT_OFFSET (LiaFormModel, api_key_header) },
  { "apiKeyQuery", G_STRUCT_OFFSET (LiaFormModel, api_key_query) },
  { "username", G_STRUCT_OFFSET (LiaFormModel, username) },
  { "timezone", G_STRUCT_OFFSET (LiaFormModel, timezone) },
  { "oauth.provider", G_STRUCT_OFFSET (LiaFormModel, oauth_provider) },
  { "oauth.issuer", G_STRUCT_OFFSET (LiaFormModel, oauth_issuer) },
  { "oauth.authorizationUrl", G_STRUCT_OFFSET (LiaFormModel, oauth_authorization_url) },
  { "oauth.tokenUrl", G_STRUCT_OFFSET (LiaFormModel, oauth_token_url) },
  { "oauth.revocationUrl", G_STRUCT_OFFSET (LiaFormModel, oauth_revocation_url) },
  { "oauth.userinfoUrl", G_STRUCT_OFFSET (LiaFormModel, oauth_userinfo_url) },
  { "oauth.clientId", G_STRUCT_OFFSET (LiaFormModel, oauth_client_id) },
  { "oauth.scopes", G_STRUCT_OFFSET (LiaFormModel, oauth_scopes) },
  { "oauth.tenant", G_STRUCT_OFFSET (LiaFormModel, oauth_tenant) },
};

static const struct {
  const char *key;
  gsize       offset;
} endpoint_keys[] = {
  { "path", G_STRUCT_OFFSET (LiaFormEndpoint, path) },
  { "recordsPath", G_STRUCT_OFFSET (LiaFormEndpoint, records_path) },
  { "sinceParam", G_STRUCT_OFFSET (LiaFormEndpoint, since_param) },
  { "pagination.pageParam", G_STRUCT_OFFSET (LiaFormEndpoint, page_param) },
  { "pagination.offsetParam", G_STRUCT_OFFSET (LiaFormEndpoint, offset_param) },
  { "pagination.cursorParam", G_STRUCT_OFFSET (LiaFormEndpoint, cursor_param) },
  { "pagination.cursorPath", G_STRUCT_OFFSET (LiaFormEndpoint, cursor_path) },
  { "pagination.sizeParam", G_STRUCT_OFFSET (LiaFormEndpoint, size_param) },
  { "pagination.totalPath", G_STRUCT_OFFSET (LiaFormEndpoint, total_path) },
  { "pagination.size", G_STRUCT_OFFSET (LiaFormEndpoint, size) },
  { "pagination.startPage", G_STRUCT_OFFSET (LiaFormEndpoint, start_page) },
};

/* The endpoint a key such as "endpoints.students.recordsPath" names, with
 * @out_rest pointing at "recordsPath". */
static LiaFormEndpoint *
endpoint_for_key (const LiaFormModel  *model,
                  const char          *key,
                  const char         **out_rest)
{
  g_autofree char *type_name = NULL;
  const char *dot;
  LiaDataType type;

  if (!g_str_has_prefix (key, "endpoints."))
    return NULL;
  key += strlen ("endpoints.");
  dot = strchr (key, '.');
  if (dot == NULL)
    return NULL;
  type_name = g_strndup (key, dot - key);
  if (!lia_data_type_from_string (type_name, &type))
    return NULL;
  *out_rest = dot + 1;
  return (LiaFormEndpoint *) &model->endpoints[type];
}

static char **
text_slot (const LiaFormModel *model,
           const char         *key)
{
  LiaFormEndpoint *endpoint;
  const char *rest;

  for (guint i = 0; i < G_N_ELEMENTS (text_keys); i++)
    if (g_str_equal (key, text_keys[i].key))
      return G_STRUCT_MEMBER_P (model, text_keys[i].offset);

  endpoint = endpoint_for_key (model, key, &rest);
  for (guint i = 0; endpoint != NULL && i < G_N_ELEMENTS (endpoint_keys); i++)
    if (g_str_equal (rest, endpoint_keys[i].key))
      return G_STRUCT_MEMBER_P (endpoint, endpoint_keys[i].offset);
  return NULL;
}

/* Sets the text value under @key; "endpoints.TYPE.pagination.style" takes
 * a style's name. Returns whether anything changed. */
gboolean
lia_form_model_set_text (LiaFormModel *model,
                         const char   *key,
                         const char   *text)
{
  LiaFormEndpoint *endpoint;
  const char *rest;
  char **slot;

  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (text == NULL)
    text = "";

  endpoint = endpoint_for_key (model, key, &rest);
  if (endpoint != NULL && g_str_equal (rest, "pagination.style"))
    {
      LiaPaginationStyle style = LIA_PAGINATION_NONE;

      lia_form_pagination_from_string (text, &style);
      if (style == endpoint->pagination)
        return FALSE;
      endpoint->pagination = style;
      return TRUE;
    }

  slot = text_slot (model, key);
  g_return_val_if_fail (slot != NULL, FALSE);

  if (g_strcmp0 (*slot != NULL ? *slot : "", text) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (text);
  return TRUE;
}

/* The text value under @key, "" when none; never NULL. */
const char *
lia_form_model_get_text (const LiaFormModel *model,
                         const char         *key)
{
  LiaFormEndpoint *endpoint;
  const char *rest;
  char **slot;

  g_return_val_if_fail (model != NULL, "");
  g_return_val_if_fail (key != NULL, "");

  endpoint = endpoint_for_key (model, key, &rest);
  if (endpoint != NULL && g_str_equal (rest, "pagination.style"))
    return lia_form_pagination_to_string (endpoint->pagination);

  slot = text_slot (model, key);
  g_return_val_if_fail (slot != NULL, "");
  return *slot != NULL ? *slot : "";
}

/* The auth types the kind allows, as a bit mask of 1 << LiaAuthType. */
guint
lia_form_model_allowed_auth (const LiaFormModel *model)
{
  g_return_val_if_fail (model != NULL, 0);
  return lia_kind_get (model->kind)->allowed_auth;
}

void
lia_form_model_set_auth_type (LiaFormModel *model,
                              LiaAuthType   auth_type)
{
  g_return_if_fail (model != NULL);
  g_return_if_fail (auth_type < LIA_N_AUTH_TYPES);

  if (lia_form_model_allowed_auth (model) & (1u << auth_type))
    model->auth_type = auth_type;
}

const char *
lia_form_secret_field (LiaFormSecret secret)
{
  static const char * const fields[LIA_FORM_N_SECRETS] = {
    [LIA_FORM_SECRET_API_KEY] = LIA_SECRET_API_KEY,
    [LIA_FORM_SECRET_PASSWORD] = LIA_SECRET_PASSWORD,
    [LIA_FORM_SECRET_CLIENT_SECRET] = LIA_SECRET_CLIENT_SECRET,
  };

  g_return_val_if_fail (secret < LIA_FORM_N_SECRETS, NULL);
  return fields[secret];
}

/* Whether the auth type in effect signs in with @secret. */
gboolean
lia_form_model_needs_secret (const LiaFormModel *model,
                             LiaFormSecret       secret)
{
  g_return_val_if_fail (model != NULL, FALSE);

  switch (secret)
    {
    case LIA_FORM_SECRET_API_KEY:
      return model->auth_type == LIA_AUTH_API_KEY || model->auth_type == LIA_AUTH_BEARER;
    case LIA_FORM_SECRET_PASSWORD:
      return model->auth_type == LIA_AUTH_BASIC;
    case LIA_FORM_SECRET_CLIENT_SECRET:
      return model->auth_type == LIA_AUTH_OAUTH2;
    case LIA_FORM_N_SECRETS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Keeps a secret typed in the form; empty or NULL forgets it (a stored one
 * then stays as it is). */
void
lia_form_model_set_secret (LiaFormModel  *model,
                           LiaFormSecret  secret,
                           const char    *value)
{
  g_return_if_fail (model != NULL);
  g_return_if_fail (secret < LIA_FORM_N_SECRETS);

  g_clear_pointer (&model->secrets[secret], lia_secret_free);
  if (value != NULL && *value != '\0')
    model->secrets[secret] = lia_secret_dup (value);
}

/* --- Headers ------------------------------------------------------------- */

guint
lia_form_model_add_header (LiaFormModel *model,
                           const char   *name,
                           const char   *value)
{
  g_return_val_if_fail (model != NULL, 0);

  g_ptr_array_add (model->headers, lia_form_pair_new (name, value));
  return model->headers->len - 1;
}

void
lia_form_model_remove_header (LiaFormModel *model,
                              guint         index)
{
  g_return_if_fail (model != NULL);
  g_return_if_fail (index < model->headers->len);

  g_ptr_array_remove_index (model->headers, index);
}

void
lia_form_model_set_header (LiaFormModel *model,
                           guint         index,
                           const char   *name,
                           const char   *value)
{
  LiaFormPair *pair;

  g_return_if_fail (model != NULL);
  g_return_if_fail (index < model->headers->len);

  pair = g_ptr_array_index (model->headers, index);
  if (name != NULL)
    {
      g_free (pair->name);
      pair->name = g_strdup (name);
    }
  if (value != NULL)
    {
      g_free (pair->value);
      pair->value = g_strdup (value);
    }
}

/* --- Private helpers (lia-form-model-private.h) -------------------------- */

void
lia_form_model_mark_given (LiaFormModel *model,
                           const char   *key)
{
  g_hash_table_add (model->given, g_strdup (key));
}

gboolean
lia_form_model_is_given (const LiaFormModel *model,
                         const char         *key)
{
  return g_hash_table_contains (model->given, key);
}

static const char * const pagination_styles[] = {
  [LIA_PAGINATION_NONE] = "none",
  [LIA_PAGINATION_PAGE] = "page",
  [LIA_PAGINATION_OFFSET] = "offset",
  [LIA_PAGINATION_CURSOR] = "cursor",
  [LIA_PAGINATION_LINK] = "link",
};

const char *
lia_form_pagination_to_string (LiaPaginationStyle style)
{
  g_return_val_if_fail (style < G_N_ELEMENTS (pagination_styles), "none");
  return pagination_styles[style];
}

gboolean
lia_form_pagination_from_string (const char         *name,
                                 LiaPaginationStyle *out_style)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (pagination_styles); i++)
    {
      if (g_str_equal (name, pagination_styles[i]))
        {
          *out_style = i;
          return TRUE;
        }
    }
  return FALSE;
}

static const char * const transforms[] = {
  [LIA_TRANSFORM_NONE] = "",
  [LIA_TRANSFORM_LOWER] = "lower",
  [LIA_TRANSFORM_UPPER] = "upper",
  [LIA_TRANSFORM_TRIM] = "trim",
};

const char *
lia_form_transform_to_string (LiaTransform transform)
{
  g_return_val_if_fail (transform < G_N_ELEMENTS (transforms), "");
  return transforms[transform];
}

gboolean
lia_form_transform_from_string (const char   *name,
                                LiaTransform *out_transform)
{
  for (guint i = LIA_TRANSFORM_LOWER; name != NULL && i < G_N_ELEMENTS (transforms); i++)
    {
      if (g_str_equal (name, transforms[i]))
        {
          *out_transform = i;
          return TRUE;
        }
    }
  return FALSE;
}
