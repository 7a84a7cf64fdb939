/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-integration-store.h"
#include "lia-sync-controller.h"

G_BEGIN_DECLS

#define LIA_TYPE_INTEGRATION_ROW (lia_integration_row_get_type ())

G_DECLARE_FINAL_TYPE (LiaIntegrationRow, lia_integration_row, LIA, INTEGRATION_ROW, GtkListBoxRow)

GtkWidget  *lia_integration_row_new              (const LiaIntegration *integration,
                                                  LiaSyncController    *controller,
                                                  GDateTime            *now);
gint64      lia_integration_row_get_id           (LiaIntegrationRow    *self);
const char *lia_integration_row_get_name         (LiaIntegrationRow    *self);
gboolean    lia_integration_row_is_syncing       (LiaIntegrationRow    *self);
void        lia_integration_row_update           (LiaIntegrationRow    *self,
                                                  const LiaIntegration *integration);
void        lia_integration_row_update_time      (LiaIntegrationRow    *self,
                                                  GDateTime            *now);
gboolean    lia_integration_row_matches          (LiaIntegrationRow    *self,
                                                  const char           *query);

G_END_DECLS
