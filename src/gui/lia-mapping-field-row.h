/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-data-type.h"
#include "lia-form-model.h"

G_BEGIN_DECLS

#define LIA_TYPE_MAPPING_FIELD_ROW (lia_mapping_field_row_get_type ())

G_DECLARE_FINAL_TYPE (LiaMappingFieldRow, lia_mapping_field_row, LIA, MAPPING_FIELD_ROW, AdwExpanderRow)

LiaMappingFieldRow *lia_mapping_field_row_new           (LiaFormModel       *model,
                                                         LiaDataType         type,
                                                         const LiaFieldInfo *info);
void                lia_mapping_field_row_show_problems (LiaMappingFieldRow *self,
                                                         const LiaFormCheck *check);

G_END_DECLS
