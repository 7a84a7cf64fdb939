/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-config.h"
#include "lia-kind.h"

G_BEGIN_DECLS

/* Shared by lia-config.c (life cycle, JSON), lia-config-members.c (the
 * top-level members) and lia-config-endpoints.c (endpoints and field
 * mappings). */

/* Collects every rule a config breaks, as "path: rule" lines in the order
 * they are found, so the user can fix them all in one go. */
typedef struct {
  GPtrArray *errors;  /* of char * */
} LiaConfigCheck;

void         lia_config_check_add        (LiaConfigCheck  *check,
                                          const char      *path,
                                          const char      *format,
                                          ...) G_GNUC_PRINTF (3, 4);
char        *lia_config_path             (const char      *parent,
                                          const char      *key);
const char  *lia_config_check_string     (LiaConfigCheck  *check,
                                          JsonNode        *node,
                                          const char      *path,
                                          gboolean         allow_empty);
JsonObject  *lia_config_check_object     (LiaConfigCheck  *check,
                                          JsonNode        *node,
                                          const char      *path);
gboolean     lia_config_check_int        (LiaConfigCheck  *check,
                                          JsonNode        *node,
                                          const char      *path,
                                          gint64          *out_value);
gboolean     lia_config_check_range      (LiaConfigCheck  *check,
                                          const char      *path,
                                          gint64           value,
                                          int              min,
                                          int              max);
gboolean     lia_config_check_bool       (LiaConfigCheck  *check,
                                          JsonNode        *node,
                                          const char      *path,
                                          gboolean        *out_value);
gboolean     lia_config_is_one_of        (const char      *name,
                                          const char * const *names);
char        *lia_config_scalar_to_string (JsonNode        *node);

/* Whether @node is a JSON value of @type (G_TYPE_STRING, G_TYPE_INT64, …). */
static inline gboolean
lia_json_holds (JsonNode *node,
                GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

LiaPair     *lia_pair_new                (const char      *name,
                                          const char      *value);
void         lia_pair_free               (LiaPair         *pair);

LiaConfigSecrets *lia_config_secrets_new (void);
void         lia_config_secrets_add      (LiaConfigSecrets *secrets,
                                          const char       *field,
                                          const char       *value);

/* One parse of a config's top-level object (lia-config-members.c). */
typedef struct {
  LiaConfigCheck     check;
  JsonObject        *root;
  LiaConfig         *config;
  LiaConfigSecrets  *secrets;
  const LiaKindInfo *kind;        /* NULL when "kind" is missing or wrong */
  gboolean           auth_known;  /* config->auth_type is the one in effect */
  gboolean           stored;      /* read back from the database: no file checks */
} LiaConfigParser;

void         lia_config_parser_begin     (LiaConfigParser *parser);
void         lia_config_parser_member    (LiaConfigParser *parser,
                                          const char      *key,
                                          JsonNode        *node);
void         lia_config_parser_finish    (LiaConfigParser *parser);
void         lia_oauth_config_release    (LiaOAuthConfig  *oauth);

void         lia_config_parse_endpoints  (LiaConfigCheck     *check,
                                          const LiaKindInfo  *kind,
                                          JsonNode           *node,
                                          LiaEndpoint       **endpoints);
void         lia_config_parse_mappings   (LiaConfigCheck     *check,
                                          JsonNode           *node,
                                          GPtrArray         **mappings);
void         lia_endpoint_release        (LiaEndpoint        *endpoint);

G_END_DECLS
