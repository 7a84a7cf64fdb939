/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-config"

#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "lia-config-private.h"
#include "lia-kind.h"
#include "lia-util.h"

/* An integration's config is checked as a whole: every member is looked at,
 * in document order, and every rule it breaks is reported, so that a
 * principal fixing a file by hand sees all of the problems at once. This
 * file holds the life cycle and the JSON side; the rules themselves are in
 * lia-config-members.c and lia-config-endpoints.c. */

G_DEFINE_QUARK (lia-config-error-quark, lia_config_error)

/* ---- checking helpers (shared by the lia-config-*.c files) ----------- */

void
lia_config_check_add (LiaConfigCheck *check,
                      const char     *path,
                      const char     *format,
                      ...)
{
  g_autofree char *rule = NULL;
  va_list args;

  va_start (args, format);
  rule = g_strdup_vprintf (format, args);
  va_end (args);

  g_ptr_array_add (check->errors, g_strdup_printf ("%s: %s", path, rule));
}

char *
lia_config_path (const char *parent,
                 const char *key)
{
  return g_strconcat (parent, ".", key, NULL);
}

/* The string in @node, or NULL after reporting why it is not one. */
const char *
lia_config_check_string (LiaConfigCheck *check,
                         JsonNode       *node,
                         const char     *path,
                         gboolean        allow_empty)
{
  const char *value;

  if (!lia_json_holds (node, G_TYPE_STRING))
    {
      lia_config_check_add (check, path, _("must be a string"));
      return NULL;
    }
  value = json_node_get_string (node);
  if (!allow_empty && *value == '\0')
    {
      lia_config_check_add (check, path, _("must not be empty"));
      return NULL;
    }
  return value;
}

JsonObject *
lia_config_check_object (LiaConfigCheck *check,
                         JsonNode       *node,
                         const char     *path)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      lia_config_check_add (check, path, _("must be an object"));
      return NULL;
    }
  return json_node_get_object (node);
}

/* Only JSON integers count: 5.5, 5.0 and "5" are all refused. */
gboolean
lia_config_check_int (LiaConfigCheck *check,
                      JsonNode       *node,
                      const char     *path,
                      gint64         *out_value)
{
  if (!lia_json_holds (node, G_TYPE_INT64))
    {
      lia_config_check_add (check, path, _("must be a whole number"));
      return FALSE;
    }
  *out_value = json_node_get_int (node);
  return TRUE;
}

gboolean
lia_config_check_range (LiaConfigCheck *check,
                        const char     *path,
                        gint64          value,
                        int             min,
                        int             max)
{
  if (value >= min && value <= max)
    return TRUE;
  if (max == G_MAXINT)
    lia_config_check_add (check, path, _("must be at least %d"), min);
  else
    lia_config_check_add (check, path, _("must be between %d and %d"), min, max);
  return FALSE;
}

gboolean
lia_config_check_bool (LiaConfigCheck *check,
                       JsonNode       *node,
                       const char     *path,
                       gboolean       *out_value)
{
  if (!lia_json_holds (node, G_TYPE_BOOLEAN))
    {
      lia_config_check_add (check, path, _("must be true or false"));
      return FALSE;
    }
  *out_value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
lia_config_is_one_of (const char         *name,
                      const char * const *names)
{
  return name != NULL && g_strv_contains (names, name);
}

/* A string, number or boolean as the text a request or a record would
 * carry; NULL for anything else. */
char *
lia_config_scalar_to_string (JsonNode *node)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" PRId64, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

LiaPair *
lia_pair_new (const char *name,
              const char *value)
{
  LiaPair *pair = g_new (LiaPair, 1);

  pair->name = g_strdup (name);
  pair->value = g_strdup (value);
  return pair;
}

void
lia_pair_free (LiaPair *pair)
{
  g_free (pair->name);
  g_free (pair->value);
  g_free (pair);
}

/* ---- secrets ---------------------------------------------------------- */

static void
secret_pair_free (LiaPair *pair)
{
  g_free (pair->name);
  lia_secret_free (pair->value);
  g_free (pair);
}

LiaConfigSecrets *
lia_config_secrets_new (void)
{
  LiaConfigSecrets *secrets = g_new0 (LiaConfigSecrets, 1);

  secrets->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) secret_pair_free);
  return secrets;
}

void
lia_config_secrets_free (LiaConfigSecrets *secrets)
{
  if (secrets == NULL)
    return;
  g_ptr_array_unref (secrets->fields);
  g_free (secrets);
}

/* The value of a secret field (LIA_SECRET_*) the config file gave, or NULL. */
const char *
lia_config_secrets_get (LiaConfigSecrets *secrets,
                        const char       *field)
{
  g_return_val_if_fail (secrets != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; i < secrets->fields->len; i++)
    {
      LiaPair *pair = g_ptr_array_index (secrets->fields, i);
      if (g_str_equal (pair->name, field))
        return pair->value;
    }
  return NULL;
}

void
lia_config_secrets_add (LiaConfigSecrets *secrets,
                        const char       *field,
                        const char       *value)
{
  LiaPair *pair = g_new (LiaPair, 1);

  pair->name = g_strdup (field);
  pair->value = lia_secret_dup (value);
  g_ptr_array_add (secrets->fields, pair);
}

/* ---- the config as a whole -------------------------------------------- */

static LiaConfig *
config_new (void)
{
  LiaConfig *config = g_new0 (LiaConfig, 1);

  g_atomic_ref_count_init (&config->ref_count);
  config->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_pair_free);
  config->sync_interval = 60;
  config->enabled = TRUE;
  config->timeout_seconds = 30;
  config->max_retries = 3;
  return config;
}

static void
config_free (LiaConfig *config)
{
  g_free (config->name);
  g_free (config->base_url);
  g_free (config->folder);
  g_free (config->api_key_header);
  g_free (config->api_key_query);
  g_free (config->username);
  g_ptr_array_unref (config->headers);
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    {
      g_clear_pointer (&config->endpoints[i], lia_endpoint_release);
      g_clear_pointer (&config->mappings[i], g_ptr_array_unref);
    }
  g_clear_pointer (&config->oauth, lia_oauth_config_release);
  g_free (config->timezone);
  g_free (config->ca_file);
  g_clear_pointer (&config->json, json_node_unref);
  g_free (config);
}

/* ---- JSON ------------------------------------------------------------- */

static JsonNode *copy_json (JsonNode *node);

/* Takes @object into a new node. */
static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

/* Copies @object without the members named in @skip: dotted paths relative
 * to @object, such as "oauth.clientSecret". */
static JsonObject *
copy_object (JsonObject         *object,
             const char * const *skip)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *member = json_object_get_member (object, name);
      gsize len = strlen (name);
      g_autoptr(GPtrArray) nested = g_ptr_array_new ();
      gboolean skipped = FALSE;

      for (guint i = 0; skip != NULL && skip[i] != NULL; i++)
        {
          if (g_str_equal (skip[i], name))
            skipped = TRUE;
          else if (g_str_has_prefix (skip[i], name) && skip[i][len] == '.')
            g_ptr_array_add (nested, (gpointer) (skip[i] + len + 1));
        }
      g_ptr_array_add (nested, NULL);

      if (skipped)
        continue;
      if (nested->len > 1 && JSON_NODE_HOLDS_OBJECT (member))
        json_object_set_member (copy, name,
                                object_node (copy_object (json_node_get_object (member),
                                                          (const char * const *) nested->pdata)));
      else
        json_object_set_member (copy, name, copy_json (member));
    }
  return copy;
}

/* A deep copy that never touches @node's reference counts: json-glib's are
 * not atomic, and a config's JSON is read from several threads at once. */
static JsonNode *
copy_json (JsonNode *node)
{
  JsonNode *copy;
  JsonArray *array, *array_copy;

  if (JSON_NODE_HOLDS_OBJECT (node))
    return object_node (copy_object (json_node_get_object (node), NULL));

  copy = json_node_alloc ();
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_ARRAY:
      array = json_node_get_array (node);
      array_copy = json_array_sized_new (json_array_get_length (array));
      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (array_copy, copy_json (json_array_get_element (array, i)));
      json_node_init_array (copy, array_copy);
      json_array_unref (array_copy);
      return copy;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return json_node_init_string (copy, json_node_get_string (node));
        case G_TYPE_INT64:
          return json_node_init_int (copy, json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return json_node_init_double (copy, json_node_get_double (node));
        case G_TYPE_BOOLEAN:
          return json_node_init_boolean (copy, json_node_get_boolean (node));
        default:
          g_assert_not_reached ();
        }
    case JSON_NODE_NULL:
    case JSON_NODE_OBJECT:
    default:
      return json_node_init_null (copy);
    }
}

static const char * const secret_members[] = {
  LIA_SECRET_API_KEY, LIA_SECRET_PASSWORD, LIA_SECRET_CLIENT_SECRET, NULL
};

static void
wipe_string_member (JsonObject *object,
                    const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && lia_json_holds (node, G_TYPE_STRING))
    {
      char *value = (char *) json_node_get_string (node);
      explicit_bzero (value, strlen (value));
    }
}

/* json-glib frees strings without wiping them, so the parser's copies of the
 * secrets are wiped by hand once they have been taken out. */
static void
wipe_secret_members (JsonObject *root)
{
  JsonNode *oauth = json_object_get_member (root, "oauth");

  wipe_string_member (root, LIA_SECRET_API_KEY);
  wipe_string_member (root, LIA_SECRET_PASSWORD);
  if (oauth != NULL && JSON_NODE_HOLDS_OBJECT (oauth))
    wipe_string_member (json_node_get_object (oauth), "clientSecret");
}

/* ---- parsing ---------------------------------------------------------- */

/* Checks @root against every rule and, when it keeps them all, returns the
 * config. Secret members (apiKey, password, oauth.clientSecret) are taken
 * out into @out_secrets, never kept in the config. When rules are broken,
 * the error is LIA_CONFIG_ERROR_INVALID with one "path: rule" line each. */
static LiaConfig *
parse_root (JsonNode          *root,
            gboolean           stored,
            LiaConfigSecrets **out_secrets,
            GError           **error)
{
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(LiaConfig) config = NULL;
  LiaConfigParser parser = { 0 };

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_secrets != NULL)
    *out_secrets = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_INVALID,
                           _("config: must be an object"));
      return NULL;
    }

  errors = g_ptr_array_new_with_free_func (g_free);
  secrets = lia_config_secrets_new ();
  config = config_new ();
  parser.check.errors = errors;
  parser.root = json_node_get_object (root);
  parser.config = config;
  parser.secrets = secrets;
  parser.stored = stored;

  lia_config_parser_begin (&parser);
  members = json_object_get_members (parser.root);
  for (GList *l = members; l != NULL; l = l->next)
    lia_config_parser_member (&parser, l->data, json_object_get_member (parser.root, l->data));
  lia_config_parser_finish (&parser);

  if (errors->len > 0)
    {
      g_autofree char *message = NULL;

      g_ptr_array_add (errors, NULL);
      message = g_strjoinv ("\n", (char **) errors->pdata);
      g_set_error_literal (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_INVALID, message);
      return NULL;
    }

  config->json = object_node (copy_object (parser.root, secret_members));
  json_node_seal (config->json);

  if (out_secrets != NULL)
    *out_secrets = g_steal_pointer (&secrets);
  return g_steal_pointer (&config);
}

static void
set_syntax_error (GError     **error,
                  const char  *data,
                  const char  *at,
                  const char  *problem)
{
  guint line = 1;
  const char *line_start = data;

  for (const char *p = data; p < at; p++)
    {
      if (*p == '\n')
        {
          line++;
          line_start = p + 1;
        }
    }
  g_set_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_SYNTAX, _("line %u, column %ld: %s"),
               line, g_utf8_pointer_to_offset (line_start, at) + 1, problem);
}

/* json-glib's messages quote the offending token, which may be a secret:
 * only its position, the kind of mistake and the character the grammar
 * wanted there are passed on. */
static void
set_json_error (GError       **error,
                const GError  *json_error)
{
  const char *message = json_error->message;
  const char *expected = strstr (message, ", expected character `");
  g_autofree char *problem = NULL;
  guint line, column;

  if (strstr (message, "unexpected end of file") != NULL)
    problem = g_strdup (_("the text ends too soon"));
  else if (strstr (message, "unterminated string") != NULL)
    problem = g_strdup (_("a string is not closed"));
  else if (json_error->code == JSON_PARSER_ERROR_TRAILING_COMMA)
    problem = g_strdup (_("trailing comma"));
  else if (json_error->code == JSON_PARSER_ERROR_MISSING_COMMA)
    problem = g_strdup (_("missing comma"));
  else if (json_error->code == JSON_PARSER_ERROR_MISSING_COLON)
    problem = g_strdup (_("missing colon"));
  else if (json_error->code == JSON_PARSER_ERROR_EMPTY_MEMBER_NAME)
    problem = g_strdup (_("empty member name"));
  else
    problem = g_strdup (_("unexpected text"));

  /* Only ", expected character `X'" at the very end: one character of the
   * grammar, never of the input. (After a trailing comma json-glib names
   * the wrong one.) */
  if (expected != NULL && json_error->code != JSON_PARSER_ERROR_TRAILING_COMMA)
    {
      expected += strlen (", expected character `");
      if (expected[0] != '\0' && g_str_equal (expected + 1, "'"))
        {
          char *with_char = g_strdup_printf (_("%s; expected “%c”"), problem, expected[0]);
          g_free (problem);
          problem = with_char;
        }
    }

  if (json_error->domain == JSON_PARSER_ERROR &&
      sscanf (message, "<data>:%u:%u:", &line, &column) == 2)
    g_set_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_SYNTAX,
                 _("line %u, column %u: %s"), line, column, problem);
  else
    g_set_error_literal (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_SYNTAX, problem);
}

LiaConfig *
lia_config_parse (JsonNode          *root,
                  LiaConfigSecrets **out_secrets,
                  GError           **error)
{
  return parse_root (root, FALSE, out_secrets, error);
}

/* Parses config text: LIA_CONFIG_ERROR_SYNTAX when it is not JSON (or is
 * empty), else as parse_root(). @length may be -1. */
static LiaConfig *
parse_text (const char        *data,
            gssize             length,
            gboolean           stored,
            LiaConfigSecrets **out_secrets,
            GError           **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;
  const char *end;
  JsonNode *root;
  LiaConfig *config;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (out_secrets != NULL)
    *out_secrets = NULL;
  if (length < 0)
    length = strlen (data);

  /* Checked here, as json-glib would not say where the bad byte is. */
  if (!g_utf8_validate_len (data, length, &end))
    {
      set_syntax_error (error, data, end, _("not valid UTF-8 text"));
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &json_error))
    {
      set_json_error (error, json_error);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      set_syntax_error (error, data, data + length, _("empty; expected a JSON object"));
      return NULL;
    }

  config = parse_root (root, stored, out_secrets, error);
  if (JSON_NODE_HOLDS_OBJECT (root))
    wipe_secret_members (json_node_get_object (root));
  return config;
}

LiaConfig *
lia_config_parse_data (const char        *data,
                       gssize             length,
                       LiaConfigSecrets **out_secrets,
                       GError           **error)
{
  return parse_text (data, length, FALSE, out_secrets, error);
}

/* A config as the database keeps it: the rules were checked when it was
 * stored, and what lives outside it (caFile) may have changed since. */
LiaConfig *
lia_config_parse_stored (const char  *data,
                         GError     **error)
{
  return parse_text (data, -1, TRUE, NULL, error);
}

/* ---- the config ------------------------------------------------------- */

LiaConfig *
lia_config_ref (LiaConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  g_atomic_ref_count_inc (&config->ref_count);
  return config;
}

void
lia_config_unref (LiaConfig *config)
{
  g_return_if_fail (config != NULL);

  if (g_atomic_ref_count_dec (&config->ref_count))
    config_free (config);
}

/* The config as it was given, without its secrets, and with "enabled" as
 * the config has it. The caller owns the copy. */
JsonNode *
lia_config_to_json (LiaConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  return copy_json (config->json);
}

char *
lia_config_to_string (LiaConfig *config,
                      gboolean   pretty)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) json = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  json = copy_json (config->json);
  generator = json_generator_new ();
  json_generator_set_root (generator, json);
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

/* The secret fields (LIA_SECRET_*) this config signs in with, NULL
 * terminated. Free only the array. */
const char **
lia_config_secret_fields (LiaConfig *config)
{
  const char **fields = g_new0 (const char *, 2);

  g_return_val_if_fail (config != NULL, fields);

  switch (config->auth_type)
    {
    case LIA_AUTH_API_KEY:
    case LIA_AUTH_BEARER:
      fields[0] = LIA_SECRET_API_KEY;
      break;
    case LIA_AUTH_BASIC:
      fields[0] = LIA_SECRET_PASSWORD;
      break;
    case LIA_AUTH_OAUTH2:
      fields[0] = LIA_SECRET_CLIENT_SECRET;
      break;
    case LIA_AUTH_NONE:
    case LIA_N_AUTH_TYPES:
    default:
      break;
    }
  return fields;
}

gboolean
lia_config_uses_secret (LiaConfig  *config,
                        const char *field)
{
  g_autofree const char **fields = NULL;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);

  fields = lia_config_secret_fields (config);
  return g_strv_contains ((const char * const *) fields, field);
}

/* A copy of @config with "enabled" set to @enabled. A config never changes,
 * so the copy shares its parts. */
LiaConfig *
lia_config_with_enabled (LiaConfig *config,
                         gboolean   enabled)
{
  LiaConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_new (LiaConfig, 1);
  *copy = *config;
  g_atomic_ref_count_init (&copy->ref_count);
  copy->name = g_strdup (config->name);
  copy->base_url = g_strdup (config->base_url);
  copy->folder = g_strdup (config->folder);
  copy->api_key_header = g_strdup (config->api_key_header);
  copy->api_key_query = g_strdup (config->api_key_query);
  copy->username = g_strdup (config->username);
  copy->headers = g_ptr_array_ref (config->headers);
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    {
      if (config->endpoints[i] != NULL)
        copy->endpoints[i] = g_atomic_rc_box_acquire (config->endpoints[i]);
      if (config->mappings[i] != NULL)
        copy->mappings[i] = g_ptr_array_ref (config->mappings[i]);
    }
  if (config->oauth != NULL)
    copy->oauth = g_atomic_rc_box_acquire (config->oauth);
  copy->timezone = g_strdup (config->timezone);
  copy->ca_file = g_strdup (config->ca_file);

  copy->enabled = enabled != FALSE;
  copy->json = copy_json (config->json);
  json_object_set_boolean_member (json_node_get_object (copy->json), "enabled", copy->enabled);
  json_node_seal (copy->json);
  return copy;
}
