/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-config"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "lia-config-private.h"
#include "lia-data-type.h"
#include "lia-time.h"

/* The "endpoints" and "fieldMappings" parts of a config: where each data
 * type is read from, and how its records map onto canonical fields. */

#define STYLE(s) (1u << (s))
#define SIZED_STYLES (STYLE (LIA_PAGINATION_PAGE) | STYLE (LIA_PAGINATION_OFFSET) | \
                      STYLE (LIA_PAGINATION_CURSOR) | STYLE (LIA_PAGINATION_LINK))

static const char * const pagination_styles[] = {
  [LIA_PAGINATION_NONE] = "none",
  [LIA_PAGINATION_PAGE] = "page",
  [LIA_PAGINATION_OFFSET] = "offset",
  [LIA_PAGINATION_CURSOR] = "cursor",
  [LIA_PAGINATION_LINK] = "link",
  NULL
};

/* Which pagination keys each style takes, and the string each fills. */
static const struct {
  const char *name;
  guint       styles;
  gssize      offset;  /* of a char * in LiaPagination, or -1 for a number */
} pagination_keys[] = {
  { "pageParam", STYLE (LIA_PAGINATION_PAGE), G_STRUCT_OFFSET (LiaPagination, page_param) },
  { "startPage", STYLE (LIA_PAGINATION_PAGE), -1 },
  { "offsetParam", STYLE (LIA_PAGINATION_OFFSET), G_STRUCT_OFFSET (LiaPagination, offset_param) },
  { "cursorParam", STYLE (LIA_PAGINATION_CURSOR), G_STRUCT_OFFSET (LiaPagination, cursor_param) },
  { "cursorPath", STYLE (LIA_PAGINATION_CURSOR), G_STRUCT_OFFSET (LiaPagination, cursor_path) },
  { "totalPath", STYLE (LIA_PAGINATION_PAGE) | STYLE (LIA_PAGINATION_OFFSET),
    G_STRUCT_OFFSET (LiaPagination, total_path) },
  { "sizeParam", SIZED_STYLES, G_STRUCT_OFFSET (LiaPagination, size_param) },
  { "size", SIZED_STYLES, -1 },
};

static const char * const endpoint_keys[] = {
  "path", "method", "query", "recordsPath", "sinceParam", "pagination", NULL
};

static const char * const mapping_keys[] = {
  "from", "map", "format", "default", "transform", "required", NULL
};

/* LIA_TRANSFORM_NONE is what leaving "transform" out means. */
static const char * const transforms[] = {
  [LIA_TRANSFORM_LOWER] = "lower",
  [LIA_TRANSFORM_UPPER] = "upper",
  [LIA_TRANSFORM_TRIM] = "trim",
};

/* ---- endpoints -------------------------------------------------------- */

static void
clear_endpoint (LiaEndpoint *endpoint)
{
  g_free (endpoint->path);
  g_free (endpoint->method);
  g_clear_pointer (&endpoint->query, g_ptr_array_unref);
  g_free (endpoint->records_path);
  g_free (endpoint->since_param);
  g_free (endpoint->pagination.page_param);
  g_free (endpoint->pagination.offset_param);
  g_free (endpoint->pagination.cursor_param);
  g_free (endpoint->pagination.cursor_path);
  g_free (endpoint->pagination.size_param);
  g_free (endpoint->pagination.total_path);
}

/* Endpoints are shared between configs (see lia_config_with_enabled()), so
 * they are atomically reference counted. */
void
lia_endpoint_release (LiaEndpoint *endpoint)
{
  g_atomic_rc_box_release_full (endpoint, (GDestroyNotify) clear_endpoint);
}

static LiaEndpoint *
endpoint_new (void)
{
  LiaEndpoint *endpoint = g_atomic_rc_box_new0 (LiaEndpoint);

  endpoint->method = g_strdup ("GET");
  endpoint->query = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_pair_free);
  endpoint->records_path = g_strdup ("");
  endpoint->pagination.style = LIA_PAGINATION_NONE;
  endpoint->pagination.start_page = 1;
  return endpoint;
}

static gboolean
is_moodle_function (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* What an endpoint's path means depends on the kind: a URL path below the
 * base URL, a Moodle web-service function, or a file in the folder. */
static void
check_endpoint_path (LiaConfigCheck    *check,
                     const LiaKindInfo *kind,
                     const char        *value,
                     const char        *path)
{
  if (kind == NULL)
    return;

  switch (kind->kind)
    {
    case LIA_KIND_REST:
    case LIA_KIND_CANVAS:
      if (value[0] != '/')
        lia_config_check_add (check, path, _("must start with /"));
      break;
    case LIA_KIND_MOODLE:
      if (!is_moodle_function (value))
        lia_config_check_add (check, path, _("must be a Moodle web-service function name (a-z, 0-9 and _)"));
      break;
    case LIA_KIND_FILE:
      if (*value == '\0' || strchr (value, '/') != NULL || strstr (value, "..") != NULL)
        lia_config_check_add (check, path, _("must be a file name or pattern, without / or .."));
      break;
    case LIA_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

static void
parse_query (LiaConfigCheck *check,
             JsonNode       *node,
             const char     *path,
             GPtrArray      *query)
{
  JsonObject *object = lia_config_check_object (check, node, path);
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *member_path = lia_config_path (path, l->data);
      g_autofree char *value = lia_config_scalar_to_string (json_object_get_member (object, l->data));

      if (value == NULL)
        lia_config_check_add (check, member_path, _("must be a string, a number, true or false"));
      else
        g_ptr_array_add (query, lia_pair_new (l->data, value));
    }
}

static int
find_pagination_key (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (pagination_keys); i++)
    if (g_str_equal (pagination_keys[i].name, name))
      return i;
  return -1;
}

static gboolean
find_style (const char         *name,
            LiaPaginationStyle *out_style)
{
  for (guint i = 0; name != NULL && pagination_styles[i] != NULL; i++)
    {
      if (g_str_equal (pagination_styles[i], name))
        {
          *out_style = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
parse_pagination (LiaConfigCheck *check,
                  JsonNode       *node,
                  const char     *path,
                  LiaPagination  *pagination)
{
  JsonObject *object = lia_config_check_object (check, node, path);
  g_autoptr(GList) members = NULL;
  JsonNode *style_node;
  gboolean style_known = FALSE;

  if (object == NULL)
    return;

  /* The style decides which other keys are allowed, wherever it appears. */
  style_node = json_object_get_member (object, "style");
  if (style_node != NULL && lia_json_holds (style_node, G_TYPE_STRING))
    style_known = find_style (json_node_get_string (style_node), &pagination->style);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);
      g_autofree char *member_path = lia_config_path (path, name);
      int key = find_pagination_key (name);
      const char *text = NULL;
      gint64 number;

      if (g_str_equal (name, "style"))
        {
          if (lia_config_check_string (check, value, member_path, TRUE) != NULL && !style_known)
            lia_config_check_add (check, member_path, _("must be one of none, page, offset, cursor, link"));
          continue;
        }
      if (key < 0)
        {
          lia_config_check_add (check, member_path, _("unknown key"));
          continue;
        }
      if (style_known && !(pagination_keys[key].styles & STYLE (pagination->style)))
        {
          lia_config_check_add (check, member_path, _("not used by style %s"),
                                pagination_styles[pagination->style]);
          continue;
        }

      if (g_str_equal (name, "size"))
        {
          if (lia_config_check_int (check, value, member_path, &number) &&
              lia_config_check_range (check, member_path, number, 1, 10000))
            pagination->size = number;
        }
      else if (g_str_equal (name, "startPage"))
        {
          if (lia_config_check_int (check, value, member_path, &number) &&
              lia_config_check_range (check, member_path, number, 0, G_MAXINT))
            pagination->start_page = number;
        }
      else if ((text = lia_config_check_string (check, value, member_path, FALSE)) != NULL)
        {
          char **field = G_STRUCT_MEMBER_P (pagination, pagination_keys[key].offset);

          g_assert (pagination_keys[key].offset >= 0);
          g_free (*field);
          *field = g_strdup (text);
        }
    }

  if (style_node == NULL)
    {
      g_autofree char *style_path = lia_config_path (path, "style");
      lia_config_check_add (check, style_path, _("required"));
    }
  else if (style_known && pagination->style == LIA_PAGINATION_CURSOR)
    {
      g_autofree char *param_path = lia_config_path (path, "cursorParam");
      g_autofree char *cursor_path = lia_config_path (path, "cursorPath");

      if (!json_object_has_member (object, "cursorParam"))
        lia_config_check_add (check, param_path, _("required for style cursor"));
      if (!json_object_has_member (object, "cursorPath"))
        lia_config_check_add (check, cursor_path, _("required for style cursor"));
    }

  if (pagination->style == LIA_PAGINATION_PAGE && pagination->page_param == NULL)
    pagination->page_param = g_strdup ("page");
  if (pagination->style == LIA_PAGINATION_OFFSET && pagination->offset_param == NULL)
    pagination->offset_param = g_strdup ("offset");
}

static void
parse_endpoint_object (LiaConfigCheck    *check,
                       const LiaKindInfo *kind,
                       JsonObject        *object,
                       const char        *path,
                       LiaEndpoint       *endpoint)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);
      g_autofree char *member_path = lia_config_path (path, name);
      const char *text;

      if (!lia_config_is_one_of (name, endpoint_keys))
        lia_config_check_add (check, member_path, _("unknown key"));
      else if (g_str_equal (name, "query"))
        parse_query (check, value, member_path, endpoint->query);
      else if (g_str_equal (name, "pagination"))
        parse_pagination (check, value, member_path, &endpoint->pagination);
      else if (g_str_equal (name, "path"))
        {
          if ((text = lia_config_check_string (check, value, member_path, TRUE)) != NULL)
            {
              check_endpoint_path (check, kind, text, member_path);
              endpoint->path = g_strdup (text);
            }
        }
      else if (g_str_equal (name, "method"))
        {
          if ((text = lia_config_check_string (check, value, member_path, TRUE)) == NULL)
            continue;
          if (!g_str_equal (text, "GET") && !g_str_equal (text, "POST"))
            lia_config_check_add (check, member_path, _("must be GET or POST"));
          g_free (endpoint->method);
          endpoint->method = g_strdup (text);
        }
      else if (g_str_equal (name, "recordsPath"))
        {
          /* "" means the response itself is the array of records. */
          if ((text = lia_config_check_string (check, value, member_path, TRUE)) != NULL)
            {
              g_free (endpoint->records_path);
              endpoint->records_path = g_strdup (text);
            }
        }
      else if ((text = lia_config_check_string (check, value, member_path, FALSE)) != NULL)
        {
          g_assert (g_str_equal (name, "sinceParam"));
          endpoint->since_param = g_strdup (text);
        }
    }

  if (!json_object_has_member (object, "path"))
    {
      g_autofree char *path_path = lia_config_path (path, "path");
      lia_config_check_add (check, path_path, _("required"));
    }
}

/* Fills @endpoints (indexed by data type) from the "endpoints" object. */
void
lia_config_parse_endpoints (LiaConfigCheck     *check,
                            const LiaKindInfo  *kind,
                            JsonNode           *node,
                            LiaEndpoint       **endpoints)
{
  JsonObject *object = lia_config_check_object (check, node, "endpoints");
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);
      g_autofree char *path = lia_config_path ("endpoints", name);
      LiaEndpoint *endpoint;
      LiaDataType type;

      if (!lia_data_type_from_string (name, &type))
        {
          lia_config_check_add (check, path, _("unknown data type"));
          continue;
        }

      endpoint = endpoint_new ();
      g_clear_pointer (&endpoints[type], lia_endpoint_release);
      endpoints[type] = endpoint;

      if (lia_json_holds (value, G_TYPE_STRING))
        {
          endpoint->path = g_strdup (json_node_get_string (value));
          check_endpoint_path (check, kind, endpoint->path, path);
        }
      else if (JSON_NODE_HOLDS_OBJECT (value))
        parse_endpoint_object (check, kind, json_node_get_object (value), path, endpoint);
      else
        lia_config_check_add (check, path, _("must be a string or an object"));
    }
}

/* ---- field mappings --------------------------------------------------- */

static void
field_mapping_free (LiaFieldMapping *mapping)
{
  g_free (mapping->field);
  g_free (mapping->from);
  g_clear_pointer (&mapping->map, g_hash_table_unref);
  g_free (mapping->format);
  g_free (mapping->default_value);
  g_free (mapping);
}

static char *
list_fields (LiaDataType type)
{
  g_autoptr(GString) list = g_string_new (NULL);
  guint n_fields;
  const LiaFieldInfo *fields = lia_data_type_fields (type, &n_fields);

  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (list, "%s%s", i ? ", " : "", fields[i].name);
  return g_string_free (g_steal_pointer (&list), FALSE);
}

static void
parse_map (LiaConfigCheck  *check,
           JsonNode        *node,
           const char      *path,
           gboolean         is_status,
           LiaFieldMapping *mapping)
{
  JsonObject *object = lia_config_check_object (check, node, path);
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return;

  mapping->map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *member_path = lia_config_path (path, l->data);
      const char *to = lia_config_check_string (check, json_object_get_member (object, l->data),
                                                member_path, TRUE);

      if (to == NULL)
        continue;
      if (is_status && !lia_attendance_status_is_valid (to))
        lia_config_check_add (check, member_path, _("must be one of present, absent, late, excused"));
      g_hash_table_insert (mapping->map, g_strdup (l->data), g_strdup (to));
    }
}

static void
parse_mapping_object (LiaConfigCheck     *check,
                      JsonObject         *object,
                      const char         *path,
                      const LiaFieldInfo *info,
                      LiaFieldMapping    *mapping)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *value = json_object_get_member (object, name);
      g_autofree char *member_path = lia_config_path (path, name);
      const char *text;

      if (!lia_config_is_one_of (name, mapping_keys))
        lia_config_check_add (check, member_path, _("unknown key"));
      else if (g_str_equal (name, "map"))
        parse_map (check, value, member_path, info != NULL && info->kind == LIA_FIELD_STATUS, mapping);
      else if (g_str_equal (name, "required"))
        lia_config_check_bool (check, value, member_path, &mapping->required);
      else if (g_str_equal (name, "default"))
        {
          /* null says "no default", as leaving it out does. */
          if (JSON_NODE_HOLDS_NULL (value))
            continue;
          g_clear_pointer (&mapping->default_value, g_free);
          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) != G_TYPE_BOOLEAN)
            mapping->default_value = lia_config_scalar_to_string (value);
          else
            lia_config_check_add (check, member_path, _("must be a string, a number or null"));
        }
      else if ((text = lia_config_check_string (check, value, member_path, FALSE)) == NULL)
        continue;
      else if (g_str_equal (name, "from"))
        {
          g_free (mapping->from);
          mapping->from = g_strdup (text);
        }
      else if (g_str_equal (name, "transform"))
        {
          mapping->transform = LIA_TRANSFORM_NONE;
          for (guint i = LIA_TRANSFORM_LOWER; i < G_N_ELEMENTS (transforms); i++)
            if (g_str_equal (text, transforms[i]))
              mapping->transform = i;
          if (mapping->transform == LIA_TRANSFORM_NONE)
            lia_config_check_add (check, member_path, _("must be one of lower, upper, trim"));
        }
      else
        {
          g_autofree char *reason = NULL;

          g_assert (g_str_equal (name, "format"));
          if (info == NULL || info->kind != LIA_FIELD_TIMESTAMP)
            lia_config_check_add (check, member_path, _("only timestamp fields take a format"));
          else if (!lia_time_format_is_valid (text, &reason))
            lia_config_check_add (check, member_path, "%s", reason);
          else
            mapping->format = g_strdup (text);
        }
    }
}

static GPtrArray *
parse_type_mappings (LiaConfigCheck *check,
                     JsonObject     *object,
                     const char     *path,
                     LiaDataType     type)
{
  g_autoptr(GPtrArray) mappings = g_ptr_array_new_with_free_func ((GDestroyNotify) field_mapping_free);
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode *value = json_object_get_member (object, field);
      g_autofree char *field_path = lia_config_path (path, field);
      const LiaFieldInfo *info = lia_data_type_find_field (type, field);
      LiaFieldMapping *mapping;
      const char *from;

      /* Custom records are kept whole, so any field may be picked out. */
      if (info == NULL && type != LIA_DATA_TYPE_CUSTOM)
        {
          g_autofree char *expected = list_fields (type);
          lia_config_check_add (check, field_path, _("unknown field for %s (expected %s)"),
                                lia_data_type_to_string (type), expected);
          continue;
        }

      mapping = g_new0 (LiaFieldMapping, 1);
      mapping->field = g_strdup (field);
      g_ptr_array_add (mappings, mapping);

      if (JSON_NODE_HOLDS_OBJECT (value))
        parse_mapping_object (check, json_node_get_object (value), field_path, info, mapping);
      else if (!lia_json_holds (value, G_TYPE_STRING))
        lia_config_check_add (check, field_path, _("must be a string or an object"));
      else if ((from = lia_config_check_string (check, value, field_path, FALSE)) != NULL)
        mapping->from = g_strdup (from);

      if (mapping->from == NULL)
        mapping->from = g_strdup (field);
    }
  return g_steal_pointer (&mappings);
}

/* Fills @mappings (indexed by data type) from the "fieldMappings" object. */
void
lia_config_parse_mappings (LiaConfigCheck  *check,
                           JsonNode        *node,
                           GPtrArray      **mappings)
{
  JsonObject *object = lia_config_check_object (check, node, "fieldMappings");
  g_autoptr(GList) members = NULL;

  if (object == NULL)
    return;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *path = lia_config_path ("fieldMappings", name);
      JsonObject *fields;
      LiaDataType type;

      if (!lia_data_type_from_string (name, &type))
        {
          lia_config_check_add (check, path, _("unknown data type"));
          continue;
        }
      fields = lia_config_check_object (check, json_object_get_member (object, name), path);
      if (fields == NULL)
        continue;

      g_clear_pointer (&mappings[type], g_ptr_array_unref);
      mappings[type] = parse_type_mappings (check, fields, path, type);
    }
}
