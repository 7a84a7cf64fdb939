/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-connector.h"

G_BEGIN_DECLS

#define LIA_TYPE_MOODLE_CONNECTOR (lia_moodle_connector_get_type ())
G_DECLARE_FINAL_TYPE (LiaMoodleConnector, lia_moodle_connector, LIA, MOODLE_CONNECTOR, GObject)

LiaConnector *lia_moodle_connector_new (LiaConfig            *config,
                                        LiaCredentials       *credentials,
                                        const LiaHttpOptions *options);

G_END_DECLS
