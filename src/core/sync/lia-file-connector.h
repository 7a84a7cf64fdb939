/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-connector.h"

G_BEGIN_DECLS

#define LIA_TYPE_FILE_CONNECTOR (lia_file_connector_get_type ())
G_DECLARE_FINAL_TYPE (LiaFileConnector, lia_file_connector, LIA, FILE_CONNECTOR, GObject)

LiaConnector *lia_file_connector_new (LiaConfig    *config,
                                      GCancellable *cancellable);

G_END_DECLS
