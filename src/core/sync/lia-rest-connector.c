/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-rest-connector"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "lia-rest-connector.h"
#include "lia-util.h"
#include "lia-sync-error.h"

/* Any JSON REST API described by the config, and Canvas, which is one with
 * known defaults: bearer token, per_page and Link-header paging. */

#define CANVAS_PAGE_SIZE 100

struct _LiaRestConnector
{
  GObject         parent_instance;

  LiaConfig      *config;
  LiaHttp        *http;
  char           *api_key_query;  /* the key, when it goes in the query */

  /* Canvas: endpoints completed with its defaults, and its mappings. */
  LiaEndpoint     canvas_endpoints[LIA_N_DATA_TYPES];
  gboolean        has_canvas_endpoint[LIA_N_DATA_TYPES];
  GPtrArray      *canvas_mappings[LIA_N_DATA_TYPES];
};

static void connector_iface_init (LiaConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LiaRestConnector, lia_rest_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LIA_TYPE_CONNECTOR, connector_iface_init))

static const char * const canvas_paths[LIA_N_DATA_TYPES] = {
  [LIA_DATA_TYPE_STUDENTS] = "/api/v1/accounts/self/users",
  [LIA_DATA_TYPE_SUBJECTS] = "/api/v1/courses",
};

static const char * const canvas_student_mapping[] = {
  "externalId", "id", "name", "name", "email", "email", NULL
};

static const char * const canvas_subject_mapping[] = {
  "externalId", "id", "code", "course_code", "name", "name", NULL
};

/* Helpers */

/* Canvas endpoints page by Link header with per_page unless the config
 * says otherwise; its two usual data types have default paths. */
static void
setup_canvas (LiaRestConnector *self)
{
  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      const LiaEndpoint *configured = self->config->endpoints[type];
      LiaEndpoint *endpoint = &self->canvas_endpoints[type];

      if (configured != NULL)
        *endpoint = *configured;  /* a shallow copy: the config outlives it */
      else if (canvas_paths[type] != NULL)
        endpoint->path = (char *) canvas_paths[type];
      else
        continue;

      if (endpoint->pagination.style == LIA_PAGINATION_NONE)
        {
          endpoint->pagination = (LiaPagination) {
            .style = LIA_PAGINATION_LINK,
            .size_param = (char *) "per_page",
            .size = CANVAS_PAGE_SIZE,
          };
        }
      self->has_canvas_endpoint[type] = TRUE;
    }

  self->canvas_mappings[LIA_DATA_TYPE_STUDENTS] = lia_default_mappings_new (canvas_student_mapping);
  self->canvas_mappings[LIA_DATA_TYPE_SUBJECTS] = lia_default_mappings_new (canvas_subject_mapping);
}

static gboolean
same_origin (const char *a,
             const char *b)
{
  g_autoptr(GUri) ua = g_uri_parse (a, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) ub = g_uri_parse (b, G_URI_FLAGS_NONE, NULL);

  return ua != NULL && ub != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (ua), g_uri_get_host (ub)) == 0 &&
         g_uri_get_port (ua) == g_uri_get_port (ub);
}

static char *
build_url (LiaRestConnector *self,
           LiaPageState     *state)
{
  GString *url;

  /* A Link header's next URL already carries the query. */
  if (state->next_url != NULL)
    url = g_string_new (state->next_url);
  else
    {
      g_autofree char *joined = lia_url_join (self->config->base_url, state->endpoint->path);
      url = g_string_new (joined);
      lia_page_state_add_params (state, url);
    }

  if (self->api_key_query != NULL && !strstr (url->str, self->config->api_key_query))
    lia_url_add_param (url, self->config->api_key_query, self->api_key_query);

  return g_string_free (url, FALSE);
}

/* LiaConnector */

static const LiaEndpoint *
lia_rest_connector_get_endpoint (LiaConnector *connector,
                                 LiaDataType   type)
{
  LiaRestConnector *self = LIA_REST_CONNECTOR (connector);

  if (self->config->kind == LIA_KIND_CANVAS)
    return self->has_canvas_endpoint[type] ? &self->canvas_endpoints[type] : NULL;
  return self->config->endpoints[type];
}

static GPtrArray *
lia_rest_connector_get_mappings (LiaConnector *connector,
                                 LiaDataType   type)
{
  LiaRestConnector *self = LIA_REST_CONNECTOR (connector);

  if (self->config->mappings[type] != NULL)
    return self->config->mappings[type];
  return self->canvas_mappings[type];
}

static LiaPage *
lia_rest_connector_fetch_page (LiaConnector  *connector,
                               LiaPageState  *state,
                               GError       **error)
{
  LiaRestConnector *self = LIA_REST_CONNECTOR (connector);
  g_autofree char *url = NULL;
  g_autoptr(LiaHttpResponse) response = NULL;
  g_autoptr(LiaPage) page = g_new0 (LiaPage, 1);
  const char *method = state->endpoint->method ? state->endpoint->method : "GET";

  /* The credentials go with every request: never to another server. */
  if (state->next_url != NULL && !same_origin (state->next_url, self->config->base_url))
    {
      g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                           _("The next-page link points to another server; paging stopped"));
      return NULL;
    }

  url = build_url (self, state);
  response = lia_http_send (self->http, method, url, TRUE, error);
  if (response == NULL)
    return NULL;

  page->root = lia_http_parse_json (response, error);
  if (page->root == NULL)
    return NULL;

  page->records = lia_page_find_records (page->root, state->endpoint->records_path, error);
  if (page->records == NULL)
    return NULL;

  if (!lia_page_state_advance (state, page->root, json_array_get_length (page->records),
                               soup_message_headers_get_one (response->headers, "Link"), url, error))
    return NULL;

  page->number = state->pages;
  page->is_last = state->done;
  return g_steal_pointer (&page);
}

/* Fetches the first page of the first endpoint there is, or the base URL. */
static gboolean
lia_rest_connector_test (LiaConnector       *connector,
                         LiaConnectionTest  *result,
                         GError            **error)
{
  LiaRestConnector *self = LIA_REST_CONNECTOR (connector);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LiaHttpResponse) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  gint64 started = g_get_monotonic_time ();

  lia_http_set_max_retries (self->http, 0);

  for (guint type = 0; type < LIA_N_DATA_TYPES && url == NULL; type++)
    {
      const LiaEndpoint *endpoint = lia_rest_connector_get_endpoint (connector, type);
      LiaPageState state;

      if (endpoint == NULL)
        continue;
      lia_page_state_init (&state, type, endpoint, NULL);
      url = build_url (self, &state);
      lia_page_state_clear (&state);
    }
  if (url == NULL)
    url = g_strdup (self->config->base_url);

  response = lia_http_send (self->http, "GET", url, TRUE, &local_error);
  if (response != NULL)
    root = lia_http_parse_json (response, &local_error);

  lia_connection_test_fill (result, lia_http_get_last_status (self->http),
                            (g_get_monotonic_time () - started) / 1000, local_error);
  return TRUE;
}

static guint
lia_rest_connector_get_requests (LiaConnector *connector)
{
  return lia_http_get_requests (LIA_REST_CONNECTOR (connector)->http);
}

static guint64
lia_rest_connector_get_bytes (LiaConnector *connector)
{
  return lia_http_get_bytes (LIA_REST_CONNECTOR (connector)->http);
}

static void
connector_iface_init (LiaConnectorInterface *iface)
{
  iface->get_endpoint = lia_rest_connector_get_endpoint;
  iface->get_mappings = lia_rest_connector_get_mappings;
  iface->fetch_page = lia_rest_connector_fetch_page;
  iface->test = lia_rest_connector_test;
  iface->get_requests = lia_rest_connector_get_requests;
  iface->get_bytes = lia_rest_connector_get_bytes;
}

/* GObject */

static void
lia_rest_connector_finalize (GObject *object)
{
  LiaRestConnector *self = LIA_REST_CONNECTOR (object);

  g_clear_pointer (&self->http, lia_http_free);
  g_clear_pointer (&self->config, lia_config_unref);
  lia_secret_free (self->api_key_query);
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    g_clear_pointer (&self->canvas_mappings[i], g_ptr_array_unref);

  G_OBJECT_CLASS (lia_rest_connector_parent_class)->finalize (object);
}

static void
lia_rest_connector_class_init (LiaRestConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lia_rest_connector_finalize;
}

static void
lia_rest_connector_init (LiaRestConnector *self)
{
}

/* Public API */

LiaConnector *
lia_rest_connector_new (LiaConfig            *config,
                        LiaCredentials       *credentials,
                        const LiaHttpOptions *options)
{
  LiaRestConnector *self = g_object_new (LIA_TYPE_REST_CONNECTOR, NULL);

  self->config = lia_config_ref (config);
  if (config->auth_type == LIA_AUTH_API_KEY && config->api_key_query != NULL &&
      credentials != NULL && credentials->api_key != NULL)
    self->api_key_query = g_strdup (credentials->api_key);
  self->http = lia_http_new (config, credentials, options);
  if (config->kind == LIA_KIND_CANVAS)
    setup_canvas (self);

  return LIA_CONNECTOR (self);
}

