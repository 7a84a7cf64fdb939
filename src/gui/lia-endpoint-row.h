/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-form-model.h"

G_BEGIN_DECLS

#define LIA_TYPE_ENDPOINT_ROW (lia_endpoint_row_get_type ())

G_DECLARE_FINAL_TYPE (LiaEndpointRow, lia_endpoint_row, LIA, ENDPOINT_ROW, AdwExpanderRow)

LiaEndpointRow *lia_endpoint_row_new           (LiaDataType         type);
LiaDataType     lia_endpoint_row_get_data_type (LiaEndpointRow     *self);
void            lia_endpoint_row_set_model     (LiaEndpointRow     *self,
                                                LiaFormModel       *model);
void            lia_endpoint_row_sync          (LiaEndpointRow     *self);
void            lia_endpoint_row_show_problems (LiaEndpointRow     *self,
                                                const LiaFormCheck *check,
                                                const char         *group_problem,
                                                gboolean            reveal_all);
GtkWidget      *lia_endpoint_row_find_row      (LiaEndpointRow     *self,
                                                const char         *key);

G_END_DECLS
