/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lia-integration-store.h"

G_BEGIN_DECLS

#define LIA_TYPE_INTEGRATION_ROW (lia_integration_row_get_type ())

G_DECLARE_FINAL_TYPE (LiaIntegrationRow, lia_integration_row, LIA, INTEGRATION_ROW, GtkListBoxRow)

GtkWidget *lia_integration_row_new            (const LiaIntegration *integration,
                                               GDateTime            *now);
gint64     lia_integration_row_get_id         (LiaIntegrationRow    *self);
void       lia_integration_row_update_time    (LiaIntegrationRow    *self,
                                               GDateTime            *now);

G_END_DECLS
