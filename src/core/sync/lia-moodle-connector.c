/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-moodle-connector"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lia-moodle-connector.h"
#include "lia-sync-error.h"
#include "lia-util.h"

/* Moodle's web services: {baseUrl}/webservice/rest/server.php with the
 * token as wstoken, the function as wsfunction, and JSON asked for. An
 * endpoint's path is the function's name. Moodle reports errors with HTTP
 * 200 and a body {"exception", "errorcode", "message"}. */

#define SERVER_PATH "/webservice/rest/server.php"

struct _LiaMoodleConnector
{
  GObject      parent_instance;

  LiaConfig   *config;
  LiaHttp     *http;
  char        *token;

  LiaEndpoint  endpoints[LIA_N_DATA_TYPES];
  gboolean     has_endpoint[LIA_N_DATA_TYPES];
  GPtrArray   *user_mappings;
  GPtrArray   *course_mappings;
  GPtrArray   *default_query;
};

static void connector_iface_init (LiaConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LiaMoodleConnector, lia_moodle_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LIA_TYPE_CONNECTOR, connector_iface_init))

static const char * const user_mapping[] = {
  "externalId", "id", "name", "fullname", "email", "email", NULL
};

static const char * const course_mapping[] = {
  "externalId", "id", "code", "shortname", "name", "fullname", NULL
};

/* Helpers */

static gboolean
is_user_function (const char *function)
{
  return g_strcmp0 (function, "core_user_get_users") == 0 ||
         g_strcmp0 (function, "core_enrol_get_enrolled_users") == 0;
}

static void
setup_endpoints (LiaMoodleConnector *self)
{
  LiaPair *every_email;

  /* core_user_get_users needs a criterion: an email matching "%" is every
   * user with an email address. */
  self->default_query = g_ptr_array_new ();
  every_email = g_new0 (LiaPair, 1);
  every_email->name = (char *) "criteria[0][key]";
  every_email->value = (char *) "email";
  g_ptr_array_add (self->default_query, every_email);
  every_email = g_new0 (LiaPair, 1);
  every_email->name = (char *) "criteria[0][value]";
  every_email->value = (char *) "%";
  g_ptr_array_add (self->default_query, every_email);

  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      const LiaEndpoint *configured = self->config->endpoints[type];
      LiaEndpoint *endpoint = &self->endpoints[type];

      if (configured != NULL)
        {
          *endpoint = *configured;  /* shallow: the config outlives it */
          if (g_strcmp0 (endpoint->path, "core_user_get_users") == 0 &&
              (endpoint->records_path == NULL || *endpoint->records_path == '\0'))
            endpoint->records_path = (char *) "users";
        }
      else if (type == LIA_DATA_TYPE_STUDENTS)
        {
          endpoint->path = (char *) "core_user_get_users";
          endpoint->records_path = (char *) "users";
          endpoint->query = self->default_query;
        }
      else if (type == LIA_DATA_TYPE_SUBJECTS)
        {
          endpoint->path = (char *) "core_course_get_courses";
          endpoint->records_path = (char *) "";
        }
      else
        continue;

      self->has_endpoint[type] = TRUE;
    }

  self->user_mappings = lia_default_mappings_new (user_mapping);
  self->course_mappings = lia_default_mappings_new (course_mapping);
}

static char *
build_url (LiaMoodleConnector *self,
           const char         *function,
           LiaPageState       *state)
{
  g_autofree char *base = lia_url_join (self->config->base_url, SERVER_PATH);
  GString *url = g_string_new (base);

  lia_url_add_param (url, "wstoken", self->token ? self->token : "");
  lia_url_add_param (url, "wsfunction", function);
  lia_url_add_param (url, "moodlewsrestformat", "json");
  if (state != NULL)
    lia_page_state_add_params (state, url);
  return g_string_free (url, FALSE);
}

/* Moodle's error body, as a GError with the code its errorcode calls for. */
static gboolean
check_moodle_error (JsonNode  *root,
                    GError   **error)
{
  JsonObject *object;
  const char *errorcode;
  const char *message;
  LiaSyncErrorCode code = LIA_SYNC_ERROR_FAILED;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "exception") && !json_object_has_member (object, "errorcode"))
    return TRUE;

  errorcode = json_object_get_string_member_with_default (object, "errorcode", "");
  message = json_object_get_string_member_with_default (object, "message", errorcode);

  if (g_str_equal (errorcode, "invalidtoken"))
    code = LIA_SYNC_ERROR_INVALID_CREDENTIALS;
  else if (g_str_equal (errorcode, "accessexception") || g_str_equal (errorcode, "nopermissions") ||
           g_str_equal (errorcode, "requireloginerror") || g_str_equal (errorcode, "servicerequireslogin"))
    code = LIA_SYNC_ERROR_PERMISSION_DENIED;
  else if (g_str_equal (errorcode, "invalidrecord") || g_str_equal (errorcode, "invalidfunction") ||
           g_str_equal (errorcode, "servicenotavailable"))
    code = LIA_SYNC_ERROR_NOT_FOUND;

  g_set_error (error, LIA_SYNC_ERROR, code, _("Moodle: %s (%s)"), message, errorcode);
  return FALSE;
}

static JsonNode *
call (LiaMoodleConnector  *self,
      const char          *url,
      GError             **error)
{
  g_autoptr(LiaHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* The token is in the URL; the messages name only host and path. */
  response = lia_http_send (self->http, "GET", url, FALSE, error);
  if (response == NULL)
    return NULL;
  root = lia_http_parse_json (response, error);
  if (root == NULL || !check_moodle_error (root, error))
    return NULL;
  return g_steal_pointer (&root);
}

/* LiaConnector */

static const LiaEndpoint *
lia_moodle_connector_get_endpoint (LiaConnector *connector,
                                   LiaDataType   type)
{
  LiaMoodleConnector *self = LIA_MOODLE_CONNECTOR (connector);

  return self->has_endpoint[type] ? &self->endpoints[type] : NULL;
}

static GPtrArray *
lia_moodle_connector_get_mappings (LiaConnector *connector,
                                   LiaDataType   type)
{
  LiaMoodleConnector *self = LIA_MOODLE_CONNECTOR (connector);
  const char *function = self->has_endpoint[type] ? self->endpoints[type].path : NULL;

  if (self->config->mappings[type] != NULL)
    return self->config->mappings[type];
  if (is_user_function (function))
    return self->user_mappings;
  if (g_strcmp0 (function, "core_course_get_courses") == 0)
    return self->course_mappings;
  return NULL;
}

static LiaPage *
lia_moodle_connector_fetch_page (LiaConnector  *connector,
                                 LiaPageState  *state,
                                 GError       **error)
{
  LiaMoodleConnector *self = LIA_MOODLE_CONNECTOR (connector);
  g_autofree char *url = build_url (self, state->endpoint->path, state);
  g_autoptr(LiaPage) page = g_new0 (LiaPage, 1);

  page->root = call (self, url, error);
  if (page->root == NULL)
    return NULL;

  page->records = lia_page_find_records (page->root, state->endpoint->records_path, error);
  if (page->records == NULL)
    return NULL;

  if (!lia_page_state_advance (state, page->root, json_array_get_length (page->records), NULL, url, error))
    return NULL;

  page->number = state->pages;
  page->is_last = state->done;
  return g_steal_pointer (&page);
}

static gboolean
lia_moodle_connector_test (LiaConnector       *connector,
                           LiaConnectionTest  *result,
                           GError            **error)
{
  LiaMoodleConnector *self = LIA_MOODLE_CONNECTOR (connector);
  g_autofree char *url = build_url (self, "core_webservice_get_site_info", NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 started = g_get_monotonic_time ();

  lia_http_set_max_retries (self->http, 0);
  root = call (self, url, &local_error);
  lia_connection_test_fill (result, lia_http_get_last_status (self->http),
                            (g_get_monotonic_time () - started) / 1000, local_error);
  return TRUE;
}

static guint
lia_moodle_connector_get_requests (LiaConnector *connector)
{
  return lia_http_get_requests (LIA_MOODLE_CONNECTOR (connector)->http);
}

static guint64
lia_moodle_connector_get_bytes (LiaConnector *connector)
{
  return lia_http_get_bytes (LIA_MOODLE_CONNECTOR (connector)->http);
}

static void
connector_iface_init (LiaConnectorInterface *iface)
{
  iface->get_endpoint = lia_moodle_connector_get_endpoint;
  iface->get_mappings = lia_moodle_connector_get_mappings;
  iface->fetch_page = lia_moodle_connector_fetch_page;
  iface->test = lia_moodle_connector_test;
  iface->get_requests = lia_moodle_connector_get_requests;
  iface->get_bytes = lia_moodle_connector_get_bytes;
}

/* GObject */

static void
lia_moodle_connector_finalize (GObject *object)
{
  LiaMoodleConnector *self = LIA_MOODLE_CONNECTOR (object);

  g_clear_pointer (&self->http, lia_http_free);
  g_clear_pointer (&self->config, lia_config_unref);
  lia_secret_free (self->token);
  g_clear_pointer (&self->user_mappings, g_ptr_array_unref);
  g_clear_pointer (&self->course_mappings, g_ptr_array_unref);
  if (self->default_query != NULL)
    {
      g_ptr_array_set_free_func (self->default_query, g_free);
      g_ptr_array_unref (self->default_query);
    }

  G_OBJECT_CLASS (lia_moodle_connector_parent_class)->finalize (object);
}

static void
lia_moodle_connector_class_init (LiaMoodleConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lia_moodle_connector_finalize;
}

static void
lia_moodle_connector_init (LiaMoodleConnector *self)
{
}

/* Public API */

LiaConnector *
lia_moodle_connector_new (LiaConfig            *config,
                          LiaCredentials       *credentials,
                          const LiaHttpOptions *options)
{
  LiaMoodleConnector *self = g_object_new (LIA_TYPE_MOODLE_CONNECTOR, NULL);

  self->config = lia_config_ref (config);
  if (credentials != NULL)
    self->token = g_strdup (credentials->api_key);
  self->http = lia_http_new (config, credentials, options);
  setup_endpoints (self);

  return LIA_CONNECTOR (self);
}
