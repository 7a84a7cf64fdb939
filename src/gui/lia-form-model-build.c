/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-form-model"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lia-data-type.h"
#include "lia-form-model-private.h"
#include "lia-kind.h"

/* From the form's values to a config, and the config's rules back to the
 * form's fields. The rules are the config's own: the form builds the JSON
 * the CLI would import and lets lia_config_parse() judge it, then places
 * each "path: rule" line on the row it concerns. The form adds the few
 * rules of its own that a config file does not have (a new integration
 * needs its token now; the CLI can set it later). */

struct _LiaFormCheck
{
  GPtrArray        *errors;   /* of LiaFormError, in the order found */
  LiaConfig        *config;   /* when there are none */
  LiaConfigSecrets *secrets;
};

/* --- Building ------------------------------------------------------------ */

/* A node holding @object, which it takes. */
static JsonNode *
take_object_node (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

static void
set_text (JsonObject *object,
          const char *name,
          const char *text)
{
  if (lia_form_has_text (text))
    json_object_set_string_member (object, name, text);
}

/* A number typed as text: a JSON integer when it reads as one, else the
 * text itself, which the config then refuses with its own words. */
static void
set_number_text (JsonObject *object,
                 const char *name,
                 const char *text)
{
  g_autofree char *stripped = NULL;
  gint64 value;

  if (!lia_form_has_text (text))
    return;
  stripped = g_strstrip (g_strdup (text));
  if (g_ascii_string_to_signed (stripped, 10, G_MININT32, G_MAXINT32, &value, NULL))
    json_object_set_int_member (object, name, value);
  else
    json_object_set_string_member (object, name, text);
}

/* Why header row @index cannot be written, or NULL when it can (or is
 * blank, and simply left out). */
static const char *
header_problem (const LiaFormModel *model,
                guint               index)
{
  LiaFormPair *pair = g_ptr_array_index (model->headers, index);

  if (!lia_form_has_text (pair->name))
    return lia_form_has_text (pair->value) ? _("enter the header’s name") : NULL;

  for (guint i = 0; i < index; i++)
    {
      LiaFormPair *earlier = g_ptr_array_index (model->headers, i);

      if (g_ascii_strcasecmp (earlier->name, pair->name) == 0)
        return _("this header is already set above");
    }
  return NULL;
}

static JsonObject *
build_oauth (const LiaFormModel *model,
             LiaFormBuildFlags   flags)
{
  JsonObject *oauth = json_object_new ();
  const char *provider = lia_form_has_text (model->oauth_provider) ? model->oauth_provider : "generic";
  g_auto(GStrv) scopes = NULL;

  if (!g_str_equal (provider, "generic") || lia_form_model_is_given (model, "oauth.provider"))
    json_object_set_string_member (oauth, "provider", provider);
  set_text (oauth, "issuer", model->oauth_issuer);
  set_text (oauth, "authorizationUrl", model->oauth_authorization_url);
  set_text (oauth, "tokenUrl", model->oauth_token_url);
  set_text (oauth, "revocationUrl", model->oauth_revocation_url);
  set_text (oauth, "userinfoUrl", model->oauth_userinfo_url);
  set_text (oauth, "clientId", model->oauth_client_id);
  if ((flags & LIA_FORM_BUILD_WITH_SECRETS) && model->secrets[LIA_FORM_SECRET_CLIENT_SECRET] != NULL)
    json_object_set_string_member (oauth, "clientSecret", model->secrets[LIA_FORM_SECRET_CLIENT_SECRET]);

  scopes = g_strsplit_set (model->oauth_scopes != NULL ? model->oauth_scopes : "", " \t\n,", -1);
  if (lia_form_has_text (model->oauth_scopes) || lia_form_model_is_given (model, "oauth.scopes"))
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; scopes[i] != NULL; i++)
        if (*scopes[i] != '\0')
          json_array_add_string_element (array, scopes[i]);
      json_object_set_array_member (oauth, "scopes", array);
    }

  /* Only Microsoft has tenants; a tenant typed before switching away
   * from it is not what the user means any more. */
  if (g_str_equal (provider, "microsoft"))
    set_text (oauth, "tenant", model->oauth_tenant);
  return oauth;
}

static JsonObject *
build_pagination (const LiaFormEndpoint *endpoint)
{
  JsonObject *pagination = json_object_new ();
  LiaPaginationStyle style = endpoint->pagination;

  json_object_set_string_member (pagination, "style", lia_form_pagination_to_string (style));

  /* Only the keys of the style shown: the rows of the others are hidden. */
  switch (style)
    {
    case LIA_PAGINATION_PAGE:
      set_text (pagination, "pageParam", endpoint->page_param);
      set_number_text (pagination, "startPage", endpoint->start_page);
      set_text (pagination, "totalPath", endpoint->total_path);
      break;
    case LIA_PAGINATION_OFFSET:
      set_text (pagination, "offsetParam", endpoint->offset_param);
      set_text (pagination, "totalPath", endpoint->total_path);
      break;
    case LIA_PAGINATION_CURSOR:
      set_text (pagination, "cursorParam", endpoint->cursor_param);
      set_text (pagination, "cursorPath", endpoint->cursor_path);
      break;
    case LIA_PAGINATION_LINK:
    case LIA_PAGINATION_NONE:
    default:
      break;
    }
  if (style != LIA_PAGINATION_NONE)
    {
      set_text (pagination, "sizeParam", endpoint->size_param);
      set_number_text (pagination, "size", endpoint->size);
    }
  return pagination;
}

/* One data type's endpoint: the plain path when that is all there is, as
 * a config file would say it; NULL when the type is not synced. */
static JsonNode *
build_endpoint (const LiaFormModel    *model,
                const LiaFormEndpoint *endpoint,
                const char            *key)
{
  g_autofree char *records_key = g_strconcat (key, ".recordsPath", NULL);
  g_autofree char *pagination_key = g_strconcat (key, ".pagination", NULL);
  gboolean records_given = lia_form_has_text (endpoint->records_path) ||
                           lia_form_model_is_given (model, records_key);
  gboolean pagination_given = endpoint->pagination != LIA_PAGINATION_NONE ||
                              lia_form_model_is_given (model, pagination_key);
  gboolean as_object = lia_form_model_is_given (model, key) || records_given || pagination_given ||
                       lia_form_has_text (endpoint->since_param) || endpoint->method != NULL ||
                       endpoint->query != NULL;
  JsonObject *object;

  if (!as_object)
    return lia_form_has_text (endpoint->path) ? json_node_init_string (json_node_alloc (), endpoint->path)
                                              : NULL;

  object = json_object_new ();
  set_text (object, "path", endpoint->path);
  if (endpoint->method != NULL)
    json_object_set_string_member (object, "method", endpoint->method);
  if (endpoint->query != NULL)
    json_object_set_member (object, "query", json_node_copy (endpoint->query));
  if (records_given)
    json_object_set_string_member (object, "recordsPath",
                                   endpoint->records_path != NULL ? endpoint->records_path : "");
  set_text (object, "sinceParam", endpoint->since_param);
  if (pagination_given)
    json_object_set_object_member (object, "pagination", build_pagination (endpoint));
  return take_object_node (object);
}

static JsonObject *
build_endpoints (const LiaFormModel *model)
{
  JsonObject *endpoints = json_object_new ();

  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      g_autofree char *key = g_strconcat ("endpoints.", lia_data_type_to_string (type), NULL);
      JsonNode *node = build_endpoint (model, &model->endpoints[type], key);

      if (node != NULL)
        json_object_set_member (endpoints, lia_data_type_to_string (type), node);
    }
  return endpoints;
}

static void
set_default (JsonObject           *object,
             const LiaFormMapping *mapping)
{
  g_autofree char *text = g_strstrip (g_strdup (mapping->default_value));
  gint64 integer;
  char *end = NULL;
  double number;

  if (mapping->default_is_number && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &integer, NULL))
    {
      json_object_set_int_member (object, "default", integer);
      return;
    }
  if (mapping->default_is_number && *text != '\0')
    {
      number = g_ascii_strtod (text, &end);
      if (end != NULL && *end == '\0')
        {
          json_object_set_double_member (object, "default", number);
          return;
        }
    }
  json_object_set_string_member (object, "default", mapping->default_value);
}

static JsonNode *
build_mapping (const LiaFormModel   *model,
               const LiaFormMapping *mapping,
               const char           *key)
{
  g_autofree char *required_key = g_strconcat (key, ".required", NULL);
  gboolean required_given = mapping->required || lia_form_model_is_given (model, required_key);
  JsonObject *object;

  if (!lia_form_model_is_given (model, key) && mapping->map->len == 0 &&
      !lia_form_has_text (mapping->format) && !lia_form_has_text (mapping->default_value) &&
      mapping->transform == LIA_TRANSFORM_NONE && !required_given)
    return lia_form_has_text (mapping->from) ? json_node_init_string (json_node_alloc (), mapping->from)
                                             : NULL;

  object = json_object_new ();
  set_text (object, "from", mapping->from);
  if (mapping->map->len > 0)
    {
      JsonObject *map = json_object_new ();

      for (guint i = 0; i < mapping->map->len; i++)
        {
          LiaFormPair *pair = g_ptr_array_index (mapping->map, i);

          /* A row still being filled in says nothing yet. */
          if (lia_form_has_text (pair->name))
            json_object_set_string_member (map, pair->name, pair->value);
        }
      json_object_set_object_member (object, "map", map);
    }
  set_text (object, "format", mapping->format);
  if (lia_form_has_text (mapping->default_value))
    set_default (object, mapping);
  if (mapping->transform != LIA_TRANSFORM_NONE)
    json_object_set_string_member (object, "transform", lia_form_transform_to_string (mapping->transform));
  if (required_given)
    json_object_set_boolean_member (object, "required", mapping->required);
  return take_object_node (object);
}

static JsonObject *
build_mappings (const LiaFormModel *model)
{
  JsonObject *mappings = json_object_new ();

  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      g_autofree char *type_key = g_strconcat ("fieldMappings.", lia_data_type_to_string (type), NULL);
      JsonObject *fields;

      if (model->mappings[type] == NULL)
        continue;

      fields = json_object_new ();
      for (guint i = 0; i < model->mappings[type]->len; i++)
        {
          LiaFormMapping *mapping = g_ptr_array_index (model->mappings[type], i);
          g_autofree char *key = g_strconcat (type_key, ".", mapping->field, NULL);
          JsonNode *node = build_mapping (model, mapping, key);

          if (node != NULL)
            json_object_set_member (fields, mapping->field, node);
        }

      if (json_object_get_size (fields) > 0 || lia_form_model_is_given (model, type_key))
        json_object_set_object_member (mappings, lia_data_type_to_string (type), fields);
      else
        json_object_unref (fields);
    }
  return mappings;
}

static void
set_int_unless_default (JsonObject         *root,
                        const LiaFormModel *model,
                        const char         *name,
                        int                 value,
                        int                 default_value)
{
  if (value != default_value || lia_form_model_is_given (model, name))
    json_object_set_int_member (root, name, value);
}

/* The config JSON the form's values make, in the shape a config file has:
 * what the form leaves at a default and the loaded config left out stays
 * out. With LIA_FORM_BUILD_WITH_SECRETS the typed secrets are in it, and
 * json-glib will not wipe them: lia_form_model_check() does. */
JsonNode *
lia_form_model_build (const LiaFormModel *model,
                      LiaFormBuildFlags   flags)
{
  const LiaKindInfo *info;
  JsonObject *root;
  JsonObject *headers;
  JsonObject *endpoints;
  JsonObject *mappings;
  gboolean with_secrets = (flags & LIA_FORM_BUILD_WITH_SECRETS) != 0;

  g_return_val_if_fail (model != NULL, NULL);

  info = lia_kind_get (model->kind);
  root = json_object_new ();

  set_text (root, "name", model->name);
  json_object_set_string_member (root, "kind", info->id);
  if (info->uses_folder)
    set_text (root, "folder", model->folder);
  else
    set_text (root, "baseUrl", model->base_url);

  /* Moodle signs in with its web-service token only, and says nothing. */
  if (model->kind != LIA_KIND_MOODLE &&
      (model->auth_type != info->default_auth || lia_form_model_is_given (model, "authType")))
    json_object_set_string_member (root, "authType", lia_auth_type_to_string (model->auth_type));

  if (with_secrets && lia_form_model_needs_secret (model, LIA_FORM_SECRET_API_KEY) &&
      model->secrets[LIA_FORM_SECRET_API_KEY] != NULL)
    json_object_set_string_member (root, "apiKey", model->secrets[LIA_FORM_SECRET_API_KEY]);
  if (model->auth_type == LIA_AUTH_API_KEY && model->kind != LIA_KIND_MOODLE)
    {
      if (model->api_key_in_query)
        json_object_set_string_member (root, "apiKeyQuery", model->api_key_query != NULL ? model->api_key_query : "");
      else
        set_text (root, "apiKeyHeader", model->api_key_header);
    }
  if (model->auth_type == LIA_AUTH_BASIC)
    {
      set_text (root, "username", model->username);
      if (with_secrets && model->secrets[LIA_FORM_SECRET_PASSWORD] != NULL)
        json_object_set_string_member (root, "password", model->secrets[LIA_FORM_SECRET_PASSWORD]);
    }
  if (model->auth_type == LIA_AUTH_OAUTH2)
    json_object_set_object_member (root, "oauth", build_oauth (model, flags));

  headers = json_object_new ();
  for (guint i = 0; i < model->headers->len; i++)
    {
      LiaFormPair *pair = g_ptr_array_index (model->headers, i);

      if (lia_form_has_text (pair->name) && header_problem (model, i) == NULL)
        json_object_set_string_member (headers, pair->name, pair->value);
    }
  if (json_object_get_size (headers) > 0 || lia_form_model_is_given (model, "headers"))
    json_object_set_object_member (root, "headers", headers);
  else
    json_object_unref (headers);

  endpoints = build_endpoints (model);
  if (json_object_get_size (endpoints) > 0 || lia_form_model_is_given (model, "endpoints") ||
      !info->has_defaults)
    json_object_set_object_member (root, "endpoints", endpoints);
  else
    json_object_unref (endpoints);

  mappings = build_mappings (model);
  if (json_object_get_size (mappings) > 0 || lia_form_model_is_given (model, "fieldMappings"))
    json_object_set_object_member (root, "fieldMappings", mappings);
  else
    json_object_unref (mappings);

  if (!(flags & LIA_FORM_BUILD_OFFLINE))
    set_text (root, "timezone", model->timezone);
  set_int_unless_default (root, model, "timeoutSeconds", model->timeout_seconds, 30);
  set_int_unless_default (root, model, "maxRetries", model->max_retries, 3);
  set_int_unless_default (root, model, "syncInterval", model->sync_interval, 60);
  if (!model->enabled || lia_form_model_is_given (model, "enabled"))
    json_object_set_boolean_member (root, "enabled", model->enabled);
  if (!(flags & LIA_FORM_BUILD_OFFLINE))
    set_text (root, "caFile", model->ca_file);

  return take_object_node (root);
}

static void
wipe_member (JsonObject *object,
             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      char *value = (char *) json_node_get_string (node);
      explicit_bzero (value, strlen (value));
    }
}

/* json-glib frees strings without wiping them. */
static void
wipe_secrets (JsonNode *json)
{
  JsonObject *root = json_node_get_object (json);
  JsonNode *oauth = json_object_get_member (root, "oauth");

  wipe_member (root, LIA_SECRET_API_KEY);
  wipe_member (root, LIA_SECRET_PASSWORD);
  if (oauth != NULL && JSON_NODE_HOLDS_OBJECT (oauth))
    wipe_member (json_node_get_object (oauth), "clientSecret");
}

/* --- Checking ------------------------------------------------------------ */

static void
add_error (LiaFormCheck *check,
           const char   *key,
           const char   *path,
           const char   *message)
{
  LiaFormError *error = g_new0 (LiaFormError, 1);

  error->key = g_strdup (key);
  error->path = g_strdup (path != NULL ? path : key);
  error->message = g_strdup (message);
  g_ptr_array_add (check->errors, error);
}

static void
form_error_free (LiaFormError *error)
{
  g_free (error->key);
  g_free (error->path);
  g_free (error->message);
  g_free (error);
}

/* The header row a "headers.NAME" path is about. */
static char *
header_key (const LiaFormModel *model,
            const char         *name)
{
  for (guint i = 0; i < model->headers->len; i++)
    {
      LiaFormPair *pair = g_ptr_array_index (model->headers, i);

      if (g_strcmp0 (pair->name, name) == 0)
        return g_strdup_printf ("headers.%u", i);
    }
  return g_strdup ("headers");
}

/* "fieldMappings.TYPE.FIELD…" → "fieldMappings.TYPE.FIELD". Custom
 * fields may hold dots, so the model's own field names decide. */
static char *
mapping_key (const LiaFormModel *model,
             const char         *rest)
{
  const char *dot = strchr (rest, '.');
  g_autofree char *type_name = dot != NULL ? g_strndup (rest, dot - rest) : g_strdup (rest);
  const char *fields = dot != NULL ? dot + 1 : NULL;
  LiaDataType type;

  if (fields == NULL || !lia_data_type_from_string (type_name, &type))
    return g_strconcat ("fieldMappings.", rest, NULL);

  for (guint i = 0; model->mappings[type] != NULL && i < model->mappings[type]->len; i++)
    {
      LiaFormMapping *mapping = g_ptr_array_index (model->mappings[type], i);
      gsize len = strlen (mapping->field);

      if (strncmp (fields, mapping->field, len) == 0 && (fields[len] == '\0' || fields[len] == '.'))
        return g_strdup_printf ("fieldMappings.%s.%s", type_name, mapping->field);
    }

  dot = strchr (fields, '.');
  return dot != NULL ? g_strdup_printf ("fieldMappings.%s.%.*s", type_name, (int) (dot - fields), fields)
                     : g_strconcat ("fieldMappings.", rest, NULL);
}

static char *
endpoint_key (const char *rest)
{
  const char *dot = strchr (rest, '.');
  g_autofree char *type_name = dot != NULL ? g_strndup (rest, dot - rest) : g_strdup (rest);
  const char *sub = dot != NULL ? dot + 1 : NULL;

  /* A plain-string endpoint is its path. */
  if (sub == NULL)
    return g_strdup_printf ("endpoints.%s.path", type_name);
  if (g_str_equal (sub, "pagination"))
    return g_strdup_printf ("endpoints.%s.pagination.style", type_name);
  if (g_str_has_prefix (sub, "query"))
    return g_strdup_printf ("endpoints.%s.query", type_name);
  return g_strdup_printf ("endpoints.%s.%s", type_name, sub);
}

/* The field key of the form that a config path names. */
static char *
path_to_key (const LiaFormModel *model,
             const char         *path)
{
  if (g_str_has_prefix (path, "headers."))
    return header_key (model, path + strlen ("headers."));
  if (g_str_has_prefix (path, "endpoints."))
    return endpoint_key (path + strlen ("endpoints."));
  if (g_str_has_prefix (path, "fieldMappings."))
    return mapping_key (model, path + strlen ("fieldMappings."));
  /* "give issuer, or authorizationUrl and tokenUrl" */
  if (g_str_equal (path, "oauth"))
    return g_strdup ("oauth.issuer");
  return g_strdup (path);
}

static void
add_config_errors (LiaFormCheck       *check,
                   const LiaFormModel *model,
                   const char         *message)
{
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *separator = strstr (lines[i], ": ");
      g_autofree char *path = NULL;
      g_autofree char *key = NULL;
      const char *rule;

      if (separator == NULL)
        {
          add_error (check, "", "", lines[i]);
          continue;
        }
      path = g_strndup (lines[i], separator - lines[i]);
      rule = separator + 2;
      key = path_to_key (model, path);

      /* Said as the form asks it: the form has one row per data type. */
      if (g_str_equal (key, "endpoints"))
        rule = _("give the path of at least one data type");
      add_error (check, key, path, rule);
    }
}

static void
check_form_rules (LiaFormCheck       *check,
                  const LiaFormModel *model)
{
  for (guint i = 0; i < model->headers->len; i++)
    {
      const char *problem = header_problem (model, i);

      if (problem != NULL)
        {
          g_autofree char *key = g_strdup_printf ("headers.%u", i);
          add_error (check, key, key, problem);
        }
    }

  /* A config file may leave its secret for "set-secret" later; the form
   * saves an integration that can sync. */
  if (lia_form_model_needs_secret (model, LIA_FORM_SECRET_API_KEY) &&
      model->secrets[LIA_FORM_SECRET_API_KEY] == NULL && !model->stored[LIA_FORM_SECRET_API_KEY])
    add_error (check, LIA_SECRET_API_KEY, NULL, _("required"));
  if (lia_form_model_needs_secret (model, LIA_FORM_SECRET_PASSWORD) &&
      model->secrets[LIA_FORM_SECRET_PASSWORD] == NULL && !model->stored[LIA_FORM_SECRET_PASSWORD])
    add_error (check, LIA_SECRET_PASSWORD, NULL, _("required"));
}

static int
compare_errors (gconstpointer a,
                gconstpointer b)
{
  static const char * const order[] = {
    "name", "baseUrl", "folder", "authType", "apiKey", "apiKeyHeader", "apiKeyQuery",
    "username", "password", "oauth", "headers", "endpoints", "fieldMappings",
  };
  const LiaFormError *error_a = *(const LiaFormError * const *) a;
  const LiaFormError *error_b = *(const LiaFormError * const *) b;
  guint rank_a = G_N_ELEMENTS (order), rank_b = G_N_ELEMENTS (order);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      gsize len = strlen (order[i]);

      if (rank_a == G_N_ELEMENTS (order) && g_str_has_prefix (error_a->key, order[i]) &&
          (error_a->key[len] == '\0' || error_a->key[len] == '.'))
        rank_a = i;
      if (rank_b == G_N_ELEMENTS (order) && g_str_has_prefix (error_b->key, order[i]) &&
          (error_b->key[len] == '\0' || error_b->key[len] == '.'))
        rank_b = i;
    }
  return (int) rank_a - (int) rank_b;
}

/* Checks the form: every rule the config breaks, and the form's own.
 * With LIA_FORM_BUILD_OFFLINE (for checking as the user types, on the
 * main thread) nothing is read from disk. */
LiaFormCheck *
lia_form_model_check (const LiaFormModel *model,
                      LiaFormBuildFlags   flags)
{
  g_autoptr(LiaFormCheck) check = g_new0 (LiaFormCheck, 1);
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (model != NULL, NULL);

  check->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) form_error_free);
  check_form_rules (check, model);

  json = lia_form_model_build (model, flags | LIA_FORM_BUILD_WITH_SECRETS);
  config = lia_config_parse (json, &secrets, &error);
  wipe_secrets (json);

  if (config == NULL)
    add_config_errors (check, model, error->message);

  /* In the form's order, whatever order the config found them in: the
   * banner's "Show" goes to the first. g_ptr_array_sort is stable. */
  g_ptr_array_sort (check->errors, compare_errors);

  if (check->errors->len == 0)
    {
      check->config = g_steal_pointer (&config);
      check->secrets = g_steal_pointer (&secrets);
    }
  return g_steal_pointer (&check);
}

gboolean
lia_form_check_is_valid (const LiaFormCheck *check)
{
  g_return_val_if_fail (check != NULL, FALSE);
  return check->errors->len == 0;
}

guint
lia_form_check_get_n_errors (const LiaFormCheck *check)
{
  g_return_val_if_fail (check != NULL, 0);
  return check->errors->len;
}

const LiaFormError *
lia_form_check_get_nth_error (const LiaFormCheck *check,
                              guint               index)
{
  g_return_val_if_fail (check != NULL, NULL);
  g_return_val_if_fail (index < check->errors->len, NULL);
  return g_ptr_array_index (check->errors, index);
}

/* The first problem of the field @key, or NULL. */
const char *
lia_form_check_get_error (const LiaFormCheck *check,
                          const char         *key)
{
  g_return_val_if_fail (check != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < check->errors->len; i++)
    {
      LiaFormError *error = g_ptr_array_index (check->errors, i);

      if (g_str_equal (error->key, key))
        return error->message;
    }
  return NULL;
}

/* The first problem reported at the config path @path exactly. */
const LiaFormError *
lia_form_check_find_path (const LiaFormCheck *check,
                          const char         *path)
{
  g_return_val_if_fail (check != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < check->errors->len; i++)
    {
      LiaFormError *error = g_ptr_array_index (check->errors, i);

      if (g_str_equal (error->path, path))
        return error;
    }
  return NULL;
}

/* How many problems concern @prefix or a key below it ("prefix.…"). */
guint
lia_form_check_count_prefix (const LiaFormCheck *check,
                             const char         *prefix)
{
  gsize len;
  guint count = 0;

  g_return_val_if_fail (check != NULL, 0);
  g_return_val_if_fail (prefix != NULL, 0);

  len = strlen (prefix);
  for (guint i = 0; i < check->errors->len; i++)
    {
      LiaFormError *error = g_ptr_array_index (check->errors, i);

      if (g_str_has_prefix (error->key, prefix) && (error->key[len] == '\0' || error->key[len] == '.'))
        count++;
    }
  return count;
}

/* The config the form makes, once it breaks no rule; NULL before. */
LiaConfig *
lia_form_check_get_config (const LiaFormCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);
  return check->config;
}

/* The secrets typed in the form (only those: a stored one is not
 * repeated), once the form breaks no rule. */
LiaConfigSecrets *
lia_form_check_get_secrets (const LiaFormCheck *check)
{
  g_return_val_if_fail (check != NULL, NULL);
  return check->secrets;
}

void
lia_form_check_free (LiaFormCheck *check)
{
  if (check == NULL)
    return;
  g_clear_pointer (&check->errors, g_ptr_array_unref);
  g_clear_pointer (&check->config, lia_config_unref);
  g_clear_pointer (&check->secrets, lia_config_secrets_free);
  g_free (check);
}
