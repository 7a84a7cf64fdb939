/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lia-config.h"
#include "lia-util.h"

G_BEGIN_DECLS

/* The integration form's state as a plain value: what the form shows, with
 * pure functions to change it, to turn it into a config and to check it.
 * No widget lives here, so tests drive it without a display.
 *
 * Every editable value has a key, the config's JSON path to it
 * ("baseUrl", "oauth.clientId", "endpoints.students.pagination.size"),
 * and errors come back under the same keys, so the form can show each on
 * the row it concerns. The exceptions: a header row is "headers.N" (N its
 * position, as its name is being edited), an endpoint given as a plain
 * string reports on "endpoints.TYPE.path", and every problem of one data
 * type's mappings on "fieldMappings.TYPE.FIELD". */

typedef enum {
  LIA_FORM_SECRET_API_KEY,        /* apiKey: api-key, bearer, Moodle's token */
  LIA_FORM_SECRET_PASSWORD,       /* password: basic */
  LIA_FORM_SECRET_CLIENT_SECRET,  /* oauth.clientSecret: oauth2, optional */
  LIA_FORM_N_SECRETS
} LiaFormSecret;

typedef struct {
  char *name;
  char *value;
} LiaFormPair;

/* One canonical field's mapping. Empty strings mean "not given". */
typedef struct {
  char         *field;
  char         *from;           /* dotted path; empty: the field's own name */
  GPtrArray    *map;            /* of LiaFormPair, external → canonical; never NULL */
  char         *format;         /* timestamps */
  char         *default_value;
  gboolean      default_is_number;
  LiaTransform  transform;
  gboolean      required;
} LiaFormMapping;

/* One data type's endpoint. The path is empty when the type is not
 * synced (or, for kinds with defaults, read from the kind's own). */
typedef struct {
  char               *path;
  char               *records_path;
  char               *since_param;
  LiaPaginationStyle  pagination;
  char               *page_param;
  char               *offset_param;
  char               *cursor_param;
  char               *cursor_path;
  char               *size_param;
  char               *total_path;
  char               *size;         /* text, checked as a whole number */
  char               *start_page;   /* text, checked as a whole number */
  char               *method;       /* as loaded, not edited: NULL means GET */
  JsonNode           *query;        /* as loaded, not edited; NULL when none */
} LiaFormEndpoint;

typedef struct {
  gint64            integration_id;  /* 0 until saved */
  LiaKind           kind;
  char             *name;
  char             *base_url;
  char             *folder;
  LiaAuthType       auth_type;
  gboolean          api_key_in_query; /* api-key: sent as a query parameter */
  char             *api_key_header;  /* empty: X-API-Key */
  char             *api_key_query;
  char             *username;
  LiaSecret        *secrets[LIA_FORM_N_SECRETS];  /* typed in the form; wiped when freed */
  gboolean          stored[LIA_FORM_N_SECRETS];   /* the keyring holds one already */
  GPtrArray        *headers;         /* of LiaFormPair, as rows (may be blank); never NULL */
  LiaFormEndpoint   endpoints[LIA_N_DATA_TYPES];
  GPtrArray        *mappings[LIA_N_DATA_TYPES];  /* of LiaFormMapping; NULL: none given */
  char             *oauth_provider;  /* google, microsoft, zoom or generic */
  char             *oauth_issuer;
  char             *oauth_authorization_url;
  char             *oauth_token_url;
  char             *oauth_revocation_url;
  char             *oauth_userinfo_url;
  char             *oauth_client_id;
  char             *oauth_scopes;    /* separated by spaces */
  char             *oauth_tenant;
  char             *timezone;
  int               sync_interval;   /* minutes */
  gboolean          enabled;
  int               timeout_seconds;
  int               max_retries;
  char             *ca_file;         /* as loaded, not edited */

  /*< private >*/
  GHashTable       *given;           /* keys to write even at their defaults */
} LiaFormModel;

typedef enum {
  LIA_FORM_BUILD_NONE          = 0,
  LIA_FORM_BUILD_WITH_SECRETS  = 1 << 0,  /* add the typed secrets */
  LIA_FORM_BUILD_OFFLINE       = 1 << 1,  /* leave out what parsing reads from disk: caFile, timezone */
} LiaFormBuildFlags;

/* One problem, as the form shows it. */
typedef struct {
  char *key;      /* the field it concerns (see above); "" if none */
  char *path;     /* the config path the rule named, or the key */
  char *message;  /* the rule, translated: "must be at least 5 minutes" */
} LiaFormError;

typedef struct _LiaFormCheck LiaFormCheck;

LiaFormModel     *lia_form_model_new             (LiaKind              kind);
LiaFormModel     *lia_form_model_copy            (const LiaFormModel  *model);
void              lia_form_model_free            (LiaFormModel        *model);
void              lia_form_model_apply_template  (LiaFormModel        *model,
                                                  LiaKind              kind);
void              lia_form_model_load            (LiaFormModel        *model,
                                                  LiaConfig           *config,
                                                  LiaConfigSecrets    *secrets);

gboolean          lia_form_model_set_text        (LiaFormModel        *model,
                                                  const char          *key,
                                                  const char          *text);
const char       *lia_form_model_get_text        (const LiaFormModel  *model,
                                                  const char          *key);
void              lia_form_model_set_auth_type   (LiaFormModel        *model,
                                                  LiaAuthType          auth_type);
void              lia_form_model_set_secret      (LiaFormModel        *model,
                                                  LiaFormSecret        secret,
                                                  const char          *value);
gboolean          lia_form_model_needs_secret    (const LiaFormModel  *model,
                                                  LiaFormSecret        secret);
const char       *lia_form_secret_field          (LiaFormSecret        secret);
guint             lia_form_model_allowed_auth    (const LiaFormModel  *model);

guint             lia_form_model_add_header      (LiaFormModel        *model,
                                                  const char          *name,
                                                  const char          *value);
void              lia_form_model_remove_header   (LiaFormModel        *model,
                                                  guint                index);
void              lia_form_model_set_header      (LiaFormModel        *model,
                                                  guint                index,
                                                  const char          *name,
                                                  const char          *value);

LiaFormMapping   *lia_form_model_get_mapping     (LiaFormModel        *model,
                                                  LiaDataType          type,
                                                  const char          *field,
                                                  gboolean             create);
void              lia_form_model_prune_mappings  (LiaFormModel        *model,
                                                  LiaDataType          type);
void              lia_form_model_set_mappings    (LiaFormModel        *model,
                                                  LiaDataType          type,
                                                  GPtrArray           *mappings);
guint             lia_form_model_count_mappings  (const LiaFormModel  *model,
                                                  LiaDataType          type);
gboolean          lia_form_model_uses_type       (const LiaFormModel  *model,
                                                  LiaDataType          type);

JsonNode         *lia_form_model_build           (const LiaFormModel  *model,
                                                  LiaFormBuildFlags    flags);
LiaFormCheck     *lia_form_model_check           (const LiaFormModel  *model,
                                                  LiaFormBuildFlags    flags);

gboolean          lia_form_check_is_valid        (const LiaFormCheck  *check);
guint             lia_form_check_get_n_errors    (const LiaFormCheck  *check);
const LiaFormError *lia_form_check_get_nth_error (const LiaFormCheck  *check,
                                                  guint                index);
const char       *lia_form_check_get_error       (const LiaFormCheck  *check,
                                                  const char          *key);
const LiaFormError *lia_form_check_find_path     (const LiaFormCheck  *check,
                                                  const char          *path);
guint             lia_form_check_count_prefix    (const LiaFormCheck  *check,
                                                  const char          *prefix);
LiaConfig        *lia_form_check_get_config      (const LiaFormCheck  *check);
LiaConfigSecrets *lia_form_check_get_secrets     (const LiaFormCheck  *check);
void              lia_form_check_free            (LiaFormCheck        *check);

LiaFormMapping   *lia_form_mapping_new           (const char          *field);
LiaFormMapping   *lia_form_mapping_copy          (const LiaFormMapping *mapping);
void              lia_form_mapping_free          (LiaFormMapping      *mapping);
gboolean          lia_form_mapping_is_default    (const LiaFormMapping *mapping);
GPtrArray        *lia_form_mappings_copy         (GPtrArray           *mappings);

LiaFormPair      *lia_form_pair_new              (const char          *name,
                                                  const char          *value);
void              lia_form_pair_free             (LiaFormPair         *pair);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaFormModel, lia_form_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaFormCheck, lia_form_check_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaFormMapping, lia_form_mapping_free)

G_END_DECLS
