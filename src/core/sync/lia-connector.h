/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-config.h"
#include "lia-http.h"
#include "lia-page.h"

G_BEGIN_DECLS

/* What "test the connection" found. */
typedef struct {
  gboolean  reachable;
  guint     http_status;   /* 0 when no HTTP answer (or not HTTP) */
  gint64    response_ms;
  char     *code;          /* the error code name, NULL when reachable */
  char     *message;       /* what happened, for people */
  char     *hint;          /* what to do about it, or NULL */
} LiaConnectionTest;

void lia_connection_test_clear (LiaConnectionTest *test);
void lia_connection_test_fill  (LiaConnectionTest *test,
                                guint              http_status,
                                gint64             elapsed_ms,
                                const GError      *error);
GPtrArray *lia_default_mappings_new (const char * const *pairs);

#define LIA_TYPE_CONNECTOR (lia_connector_get_type ())
G_DECLARE_INTERFACE (LiaConnector, lia_connector, LIA, CONNECTOR, GObject)

/* A kind of integration's way of reading its source: one implementation
 * per kind. A connector is made in, and used from, one worker thread. */
struct _LiaConnectorInterface
{
  GTypeInterface parent_iface;

  /* The endpoint @type is read from: the config's or the kind's default;
   * NULL when this integration does not provide @type. */
  const LiaEndpoint *(*get_endpoint) (LiaConnector       *self,
                                      LiaDataType         type);
  /* Field mappings for @type: the config's, else the kind's defaults,
   * else NULL (canonical names as they are). */
  GPtrArray         *(*get_mappings) (LiaConnector       *self,
                                      LiaDataType         type);
  gboolean           (*test)         (LiaConnector       *self,
                                      LiaConnectionTest  *result,
                                      GError            **error);
  /* The next page of @state, or NULL with @error set; @state->done says
   * when none follows. */
  LiaPage           *(*fetch_page)   (LiaConnector       *self,
                                      LiaPageState       *state,
                                      GError            **error);
  guint              (*get_requests) (LiaConnector       *self);
  guint64            (*get_bytes)    (LiaConnector       *self);
};

LiaConnector      *lia_connector_new          (LiaConfig            *config,
                                               LiaCredentials       *credentials,
                                               const LiaHttpOptions *options);
const LiaEndpoint *lia_connector_get_endpoint (LiaConnector       *self,
                                               LiaDataType         type);
GPtrArray         *lia_connector_get_mappings (LiaConnector       *self,
                                               LiaDataType         type);
gboolean           lia_connector_test         (LiaConnector       *self,
                                               LiaConnectionTest  *result,
                                               GError            **error);
LiaPage           *lia_connector_fetch_page   (LiaConnector       *self,
                                               LiaPageState       *state,
                                               GError            **error);
guint              lia_connector_get_requests (LiaConnector       *self);
guint64            lia_connector_get_bytes    (LiaConnector       *self);

G_END_DECLS
