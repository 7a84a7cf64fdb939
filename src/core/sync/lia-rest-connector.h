/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-connector.h"

G_BEGIN_DECLS

#define LIA_TYPE_REST_CONNECTOR (lia_rest_connector_get_type ())
G_DECLARE_FINAL_TYPE (LiaRestConnector, lia_rest_connector, LIA, REST_CONNECTOR, GObject)

LiaConnector *lia_rest_connector_new (LiaConfig            *config,
                                      LiaCredentials       *credentials,
                                      const LiaHttpOptions *options);

G_END_DECLS
