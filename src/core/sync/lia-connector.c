/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-connector"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lia-connector.h"
#include "lia-file-connector.h"
#include "lia-moodle-connector.h"
#include "lia-rest-connector.h"
#include "lia-sync-error.h"

G_DEFINE_INTERFACE (LiaConnector, lia_connector, G_TYPE_OBJECT)

static GPtrArray *
lia_connector_real_get_mappings (LiaConnector *self,
                                 LiaDataType   type)
{
  return NULL;
}

static guint
lia_connector_real_get_requests (LiaConnector *self)
{
  return 0;
}

static guint64
lia_connector_real_get_bytes (LiaConnector *self)
{
  return 0;
}

static void
lia_connector_default_init (LiaConnectorInterface *iface)
{
  iface->get_mappings = lia_connector_real_get_mappings;
  iface->get_requests = lia_connector_real_get_requests;
  iface->get_bytes = lia_connector_real_get_bytes;
}

void
lia_connection_test_clear (LiaConnectionTest *test)
{
  g_clear_pointer (&test->code, g_free);
  g_clear_pointer (&test->message, g_free);
  g_clear_pointer (&test->hint, g_free);
}

static const char *
hint_for_error (const GError *error)
{
  if (error->domain != LIA_SYNC_ERROR)
    return NULL;
  switch (error->code)
    {
    case LIA_SYNC_ERROR_CONNECTION:
      return _("Check that the server is up and that the base URL is right.");
    case LIA_SYNC_ERROR_TLS:
      return _("Check the server’s certificate, or set caFile to the school’s certificate authority.");
    case LIA_SYNC_ERROR_INVALID_CREDENTIALS:
    case LIA_SYNC_ERROR_NEEDS_SIGNIN:
      return _("Check the API key or password (liaison-cli integration set-secret), or sign in again.");
    case LIA_SYNC_ERROR_PERMISSION_DENIED:
      return _("Give the account access to this data on the server.");
    case LIA_SYNC_ERROR_NOT_FOUND:
      return _("Check the base URL and the endpoint paths.");
    case LIA_SYNC_ERROR_RATE_LIMIT_EXCEEDED:
      return _("Wait a few minutes, then try again.");
    case LIA_SYNC_ERROR_INVALID_RESPONSE:
      return _("Check that the base URL points at the API, not at the web site.");
    default:
      return NULL;
    }
}

/* Fills @test from the outcome of one request; @error is NULL on success. */
void
lia_connection_test_fill (LiaConnectionTest *test,
                          guint              http_status,
                          gint64             elapsed_ms,
                          const GError      *error)
{
  test->reachable = http_status != 0;
  test->http_status = http_status;
  test->response_ms = elapsed_ms;
  if (error == NULL)
    {
      test->message = g_strdup (_("Connected"));
      return;
    }
  test->code = g_strdup (lia_sync_error_code_name ((GError *) error));
  test->message = g_strdup (error->message);
  test->hint = g_strdup (hint_for_error (error));
}

static void
mapping_free (LiaFieldMapping *mapping)
{
  g_free (mapping->field);
  g_free (mapping->from);
  g_free (mapping);
}

/* Default mappings from canonical → external pairs, NULL-terminated:
 * { "externalId", "id", "name", "fullname", NULL }. */
GPtrArray *
lia_default_mappings_new (const char * const *pairs)
{
  GPtrArray *mappings = g_ptr_array_new_with_free_func ((GDestroyNotify) mapping_free);

  for (guint i = 0; pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    {
      LiaFieldMapping *mapping = g_new0 (LiaFieldMapping, 1);

      mapping->field = g_strdup (pairs[i]);
      mapping->from = g_strdup (pairs[i + 1]);
      g_ptr_array_add (mappings, mapping);
    }
  return mappings;
}

/* The connector for @config's kind. Takes @credentials. Call it from the
 * worker thread that will use the connector. */
LiaConnector *
lia_connector_new (LiaConfig            *config,
                   LiaCredentials       *credentials,
                   const LiaHttpOptions *options)
{
  GCancellable *cancellable = options ? options->cancellable : NULL;

  switch (config->kind)
    {
    case LIA_KIND_REST:
    case LIA_KIND_CANVAS:
      return lia_rest_connector_new (config, credentials, options);
    case LIA_KIND_MOODLE:
      return lia_moodle_connector_new (config, credentials, options);
    case LIA_KIND_FILE:
      lia_credentials_free (credentials);
      return lia_file_connector_new (config, cancellable);
    case LIA_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

const LiaEndpoint *
lia_connector_get_endpoint (LiaConnector *self,
                            LiaDataType   type)
{
  g_return_val_if_fail (LIA_IS_CONNECTOR (self), NULL);
  return LIA_CONNECTOR_GET_IFACE (self)->get_endpoint (self, type);
}

GPtrArray *
lia_connector_get_mappings (LiaConnector *self,
                            LiaDataType   type)
{
  g_return_val_if_fail (LIA_IS_CONNECTOR (self), NULL);
  return LIA_CONNECTOR_GET_IFACE (self)->get_mappings (self, type);
}

gboolean
lia_connector_test (LiaConnector       *self,
                    LiaConnectionTest  *result,
                    GError            **error)
{
  g_return_val_if_fail (LIA_IS_CONNECTOR (self), FALSE);
  return LIA_CONNECTOR_GET_IFACE (self)->test (self, result, error);
}

LiaPage *
lia_connector_fetch_page (LiaConnector  *self,
                          LiaPageState  *state,
                          GError       **error)
{
  g_return_val_if_fail (LIA_IS_CONNECTOR (self), NULL);
  g_return_val_if_fail (!state->done, NULL);
  return LIA_CONNECTOR_GET_IFACE (self)->fetch_page (self, state, error);
}

guint
lia_connector_get_requests (LiaConnector *self)
{
  return LIA_CONNECTOR_GET_IFACE (self)->get_requests (self);
}

guint64
lia_connector_get_bytes (LiaConnector *self)
{
  return LIA_CONNECTOR_GET_IFACE (self)->get_bytes (self);
}
