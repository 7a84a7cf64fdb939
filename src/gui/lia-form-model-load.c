/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-form-model"

#include "config.h"

#include <string.h>

#include "lia-data-type.h"
#include "lia-form-model-private.h"

/* Filling the form from a parsed config, from its JSON as given rather
 * than from the parsed values, so that what the config left out stays out
 * when the form builds it again. */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A string, number or boolean member as text; NULL when absent. */
static char *
member_text (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];
        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
load_pagination (LiaFormModel    *model,
                 LiaFormEndpoint *endpoint,
                 JsonObject      *object,
                 const char      *key)
{
  g_autofree char *pagination_key = g_strconcat (key, ".pagination", NULL);
  JsonObject *pagination = member_object (object, "pagination");
  const char *style;

  if (pagination == NULL)
    return;
  lia_form_model_mark_given (model, pagination_key);

  style = member_string (pagination, "style");
  lia_form_pagination_from_string (style, &endpoint->pagination);
  endpoint->page_param = g_strdup (member_string (pagination, "pageParam"));
  endpoint->offset_param = g_strdup (member_string (pagination, "offsetParam"));
  endpoint->cursor_param = g_strdup (member_string (pagination, "cursorParam"));
  endpoint->cursor_path = g_strdup (member_string (pagination, "cursorPath"));
  endpoint->size_param = g_strdup (member_string (pagination, "sizeParam"));
  endpoint->total_path = g_strdup (member_string (pagination, "totalPath"));
  endpoint->size = member_text (pagination, "size");
  endpoint->start_page = member_text (pagination, "startPage");
}

static void
load_endpoints (LiaFormModel *model,
                JsonObject   *root)
{
  JsonObject *endpoints = member_object (root, "endpoints");
  g_autoptr(GList) members = NULL;

  if (endpoints == NULL)
    return;
  lia_form_model_mark_given (model, "endpoints");

  members = json_object_get_members (endpoints);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (endpoints, l->data);
      g_autofree char *key = g_strconcat ("endpoints.", l->data, NULL);
      g_autofree char *records_key = g_strconcat (key, ".recordsPath", NULL);
      LiaFormEndpoint *endpoint;
      JsonObject *object;
      LiaDataType type;

      if (!lia_data_type_from_string (l->data, &type))
        continue;
      endpoint = &model->endpoints[type];

      if (JSON_NODE_HOLDS_VALUE (node))
        {
          endpoint->path = member_text (endpoints, l->data);
          continue;
        }
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      object = json_node_get_object (node);
      lia_form_model_mark_given (model, key);
      endpoint->path = g_strdup (member_string (object, "path"));
      endpoint->method = g_strdup (member_string (object, "method"));
      if (json_object_has_member (object, "query"))
        endpoint->query = json_node_copy (json_object_get_member (object, "query"));
      if (json_object_has_member (object, "recordsPath"))
        lia_form_model_mark_given (model, records_key);
      endpoint->records_path = g_strdup (member_string (object, "recordsPath"));
      endpoint->since_param = g_strdup (member_string (object, "sinceParam"));
      load_pagination (model, endpoint, object, key);
    }
}

static LiaFormMapping *
load_mapping (LiaFormModel *model,
              JsonObject   *fields,
              const char   *field,
              const char   *type_key)
{
  JsonNode *node = json_object_get_member (fields, field);
  LiaFormMapping *mapping = lia_form_mapping_new (field);
  g_autofree char *key = g_strconcat (type_key, ".", field, NULL);
  g_autofree char *required_key = g_strconcat (key, ".required", NULL);
  JsonObject *object, *map;
  JsonNode *default_node, *required;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      mapping->from = member_text (fields, field);
      return mapping;
    }

  object = json_node_get_object (node);
  lia_form_model_mark_given (model, key);
  mapping->from = g_strdup (member_string (object, "from"));
  mapping->format = g_strdup (member_string (object, "format"));
  lia_form_transform_from_string (member_string (object, "transform"), &mapping->transform);

  default_node = json_object_get_member (object, "default");
  if (default_node != NULL && JSON_NODE_HOLDS_VALUE (default_node))
    {
      mapping->default_value = member_text (object, "default");
      mapping->default_is_number = json_node_get_value_type (default_node) != G_TYPE_STRING;
    }

  required = json_object_get_member (object, "required");
  if (required != NULL)
    {
      lia_form_model_mark_given (model, required_key);
      mapping->required = JSON_NODE_HOLDS_VALUE (required) && json_node_get_boolean (required);
    }

  map = member_object (object, "map");
  if (map != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (map);

      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (mapping->map, lia_form_pair_new (l->data, member_string (map, l->data)));
    }
  return mapping;
}

static void
load_mappings (LiaFormModel *model,
               JsonObject   *root)
{
  JsonObject *mappings = member_object (root, "fieldMappings");
  g_autoptr(GList) types = NULL;

  if (mappings == NULL)
    return;
  lia_form_model_mark_given (model, "fieldMappings");

  types = json_object_get_members (mappings);
  for (GList *t = types; t != NULL; t = t->next)
    {
      JsonObject *fields = member_object (mappings, t->data);
      g_autofree char *type_key = g_strconcat ("fieldMappings.", t->data, NULL);
      g_autoptr(GList) members = NULL;
      LiaDataType type;

      if (fields == NULL || !lia_data_type_from_string (t->data, &type))
        continue;
      lia_form_model_mark_given (model, type_key);
      g_clear_pointer (&model->mappings[type], g_ptr_array_unref);
      model->mappings[type] = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_form_mapping_free);

      members = json_object_get_members (fields);
      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (model->mappings[type], load_mapping (model, fields, l->data, type_key));
    }
}

static void
load_oauth (LiaFormModel *model,
            JsonObject   *root)
{
  JsonObject *oauth = member_object (root, "oauth");
  JsonNode *scopes;

  if (oauth == NULL)
    return;

  if (json_object_has_member (oauth, "provider"))
    {
      lia_form_model_mark_given (model, "oauth.provider");
      g_free (model->oauth_provider);
      model->oauth_provider = g_strdup (member_string (oauth, "provider"));
    }
  model->oauth_issuer = g_strdup (member_string (oauth, "issuer"));
  model->oauth_authorization_url = g_strdup (member_string (oauth, "authorizationUrl"));
  model->oauth_token_url = g_strdup (member_string (oauth, "tokenUrl"));
  model->oauth_revocation_url = g_strdup (member_string (oauth, "revocationUrl"));
  model->oauth_userinfo_url = g_strdup (member_string (oauth, "userinfoUrl"));
  model->oauth_client_id = g_strdup (member_string (oauth, "clientId"));
  model->oauth_tenant = g_strdup (member_string (oauth, "tenant"));

  scopes = json_object_get_member (oauth, "scopes");
  if (scopes != NULL && JSON_NODE_HOLDS_ARRAY (scopes))
    {
      JsonArray *array = json_node_get_array (scopes);
      g_autoptr(GString) text = g_string_new (NULL);

      lia_form_model_mark_given (model, "oauth.scopes");
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_string_append_printf (text, "%s%s", i > 0 ? " " : "", json_array_get_string_element (array, i));
      model->oauth_scopes = g_string_free (g_steal_pointer (&text), FALSE);
    }
}

/* Fills the form from @config, a parsed (so valid) config, exactly as it
 * was given: what it left out stays out when the form builds it again.
 * The secrets the config file held (@secrets, may be NULL) become typed
 * secrets. The integration id and what the keyring holds stay as they
 * were. */
void
lia_form_model_load (LiaFormModel     *model,
                     LiaConfig        *config,
                     LiaConfigSecrets *secrets)
{
  static const char * const given_keys[] = {
    "authType", "headers", "syncInterval", "enabled", "timeoutSeconds", "maxRetries", NULL
  };
  g_autoptr(JsonNode) json = NULL;
  gboolean stored[LIA_FORM_N_SECRETS];
  JsonObject *root, *headers;
  gint64 id;

  g_return_if_fail (model != NULL);
  g_return_if_fail (config != NULL);

  id = model->integration_id;
  memcpy (stored, model->stored, sizeof stored);
  lia_form_model_clear (model);
  lia_form_model_init_blank (model, config->kind);
  model->integration_id = id;
  memcpy (model->stored, stored, sizeof stored);

  json = lia_config_to_json (config);
  root = json_node_get_object (json);
  for (guint i = 0; given_keys[i] != NULL; i++)
    if (json_object_has_member (root, given_keys[i]))
      lia_form_model_mark_given (model, given_keys[i]);

  model->auth_type = config->auth_type;
  model->name = g_strdup (member_string (root, "name"));
  model->base_url = g_strdup (member_string (root, "baseUrl"));
  model->folder = g_strdup (member_string (root, "folder"));
  model->api_key_header = g_strdup (member_string (root, "apiKeyHeader"));
  model->api_key_query = g_strdup (member_string (root, "apiKeyQuery"));
  model->api_key_in_query = json_object_has_member (root, "apiKeyQuery");
  model->username = g_strdup (member_string (root, "username"));
  model->timezone = g_strdup (member_string (root, "timezone"));
  model->ca_file = g_strdup (member_string (root, "caFile"));
  model->sync_interval = config->sync_interval;
  model->enabled = config->enabled;
  model->timeout_seconds = config->timeout_seconds;
  model->max_retries = config->max_retries;

  headers = member_object (root, "headers");
  if (headers != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (headers);

      for (GList *l = members; l != NULL; l = l->next)
        lia_form_model_add_header (model, l->data, member_string (headers, l->data));
    }

  load_oauth (model, root);
  load_endpoints (model, root);
  load_mappings (model, root);

  for (guint i = 0; secrets != NULL && i < LIA_FORM_N_SECRETS; i++)
    lia_form_model_set_secret (model, i, lia_config_secrets_get (secrets, lia_form_secret_field (i)));
}
