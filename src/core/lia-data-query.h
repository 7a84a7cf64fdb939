/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lia-database.h"

G_BEGIN_DECLS

/* Called once per synced row, with the row as a JSON object of its
 * canonical field names and integrationId. Return FALSE to stop. */
typedef gboolean (*LiaDataRowFunc) (JsonObject *row,
                                    gpointer    user_data);

gboolean lia_data_foreach (LiaDatabase     *db,
                           LiaDataType      type,
                           gint64           integration_id,
                           LiaDataRowFunc   func,
                           gpointer         user_data,
                           GError         **error);

G_END_DECLS
