/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lia-types.h"

G_BEGIN_DECLS

#define LIA_CONFIG_ERROR (lia_config_error_quark ())

typedef enum {
  LIA_CONFIG_ERROR_SYNTAX,   /* not JSON at all */
  LIA_CONFIG_ERROR_INVALID,  /* JSON, but breaks rules: one "path: rule" per line */
} LiaConfigError;

GQuark lia_config_error_quark (void);

/* The names of the secret fields, as they appear in the config JSON and as
 * they are stored in the keyring. */
#define LIA_SECRET_API_KEY       "apiKey"
#define LIA_SECRET_PASSWORD      "password"
#define LIA_SECRET_CLIENT_SECRET "oauth.clientSecret"

typedef enum {
  LIA_PAGINATION_NONE,
  LIA_PAGINATION_PAGE,
  LIA_PAGINATION_OFFSET,
  LIA_PAGINATION_CURSOR,
  LIA_PAGINATION_LINK,
} LiaPaginationStyle;

typedef enum {
  LIA_TRANSFORM_NONE,
  LIA_TRANSFORM_LOWER,
  LIA_TRANSFORM_UPPER,
  LIA_TRANSFORM_TRIM,
} LiaTransform;

typedef struct {
  char *name;
  char *value;
} LiaPair;

typedef struct {
  LiaPaginationStyle  style;
  char               *page_param;    /* page */
  char               *offset_param;  /* offset */
  char               *cursor_param;  /* cursor */
  char               *cursor_path;   /* cursor: dotted path to the next cursor */
  char               *size_param;    /* page, offset, cursor, link; may be NULL */
  char               *total_path;    /* page, offset; may be NULL */
  int                 size;          /* 0 when the config names none */
  int                 start_page;    /* page; default 1 */
} LiaPagination;

typedef struct {
  char          *path;          /* URL path, Moodle wsfunction, or file glob */
  char          *method;        /* "GET" (default) or "POST" */
  GPtrArray     *query;         /* of LiaPair, in config order; never NULL */
  char          *records_path;  /* dotted path, "" for a top-level array */
  char          *since_param;   /* NULL when the endpoint has none */
  LiaPagination  pagination;
} LiaEndpoint;

typedef struct {
  char         *field;          /* canonical name ("email") */
  char         *from;           /* dotted path in the external record */
  GHashTable   *map;            /* string → string, or NULL */
  char         *format;         /* strptime-like timestamp format, or NULL */
  char         *default_value;  /* NULL when there is no default */
  LiaTransform  transform;
  gboolean      required;
} LiaFieldMapping;

typedef struct {
  char      *provider;           /* google, microsoft, zoom, generic */
  char      *issuer;
  char      *authorization_url;
  char      *token_url;
  char      *revocation_url;
  char      *userinfo_url;
  char      *client_id;
  char      *tenant;
  GStrv      scopes;             /* never NULL */
  gboolean   has_client_secret;  /* the config named one (it lives in the keyring) */
} LiaOAuthConfig;

/* An integration's configuration: immutable once parsed, reference counted,
 * safe to hand to a worker thread. It never holds a secret. */
struct _LiaConfig {
  char            *name;
  LiaKind          kind;
  char            *base_url;        /* NULL for folder kinds */
  char            *folder;          /* NULL for URL kinds */
  LiaAuthType      auth_type;
  char            *api_key_header;  /* api-key: default "X-API-Key" unless api_key_query is set */
  char            *api_key_query;   /* api-key: NULL unless the key goes in the query */
  char            *username;        /* basic */
  GPtrArray       *headers;         /* of LiaPair; never NULL */
  LiaEndpoint     *endpoints[LIA_N_DATA_TYPES];  /* NULL where the config names none */
  GPtrArray       *mappings[LIA_N_DATA_TYPES];   /* of LiaFieldMapping, NULL where none */
  LiaOAuthConfig  *oauth;           /* oauth2 only */
  char            *timezone;        /* IANA id, or NULL for the system zone */
  int              sync_interval;   /* minutes, default 60 */
  gboolean         enabled;         /* default TRUE */
  int              timeout_seconds; /* default 30 */
  int              max_retries;     /* default 3 */
  char            *ca_file;         /* NULL when none */

  /*< private >*/
  gatomicrefcount  ref_count;
  JsonNode        *json;            /* the config as given, secrets removed */
};

/* The secret fields found in a config file, taken out of it by
 * lia_config_parse(). Values are wiped when freed. */
struct _LiaConfigSecrets {
  GPtrArray *fields;  /* of LiaPair: name is LIA_SECRET_*, value the secret */
};

LiaConfig        *lia_config_parse             (JsonNode          *root,
                                                LiaConfigSecrets **out_secrets,
                                                GError           **error);
LiaConfig        *lia_config_parse_data        (const char        *data,
                                                gssize             length,
                                                LiaConfigSecrets **out_secrets,
                                                GError           **error);
LiaConfig        *lia_config_parse_stored      (const char        *data,
                                                GError           **error);
LiaConfig        *lia_config_ref               (LiaConfig         *config);
void              lia_config_unref             (LiaConfig         *config);
JsonNode         *lia_config_to_json           (LiaConfig         *config);
char             *lia_config_to_string         (LiaConfig         *config,
                                                gboolean           pretty);
const char      **lia_config_secret_fields     (LiaConfig         *config);
gboolean          lia_config_uses_secret       (LiaConfig         *config,
                                                const char        *field);
LiaConfig        *lia_config_with_enabled      (LiaConfig         *config,
                                                gboolean           enabled);

void              lia_config_secrets_free      (LiaConfigSecrets  *secrets);
const char       *lia_config_secrets_get       (LiaConfigSecrets  *secrets,
                                                const char        *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaConfig, lia_config_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaConfigSecrets, lia_config_secrets_free)

G_END_DECLS
