/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-form-model.h"

G_BEGIN_DECLS

#define LIA_TYPE_MAPPING_EDITOR (lia_mapping_editor_get_type ())

G_DECLARE_FINAL_TYPE (LiaMappingEditor, lia_mapping_editor, LIA, MAPPING_EDITOR, AdwWindow)

LiaMappingEditor *lia_mapping_editor_new           (GtkWindow          *parent,
                                                    const char         *db_path,
                                                    const LiaFormModel *model,
                                                    LiaDataType         type);
LiaDataType       lia_mapping_editor_get_data_type (LiaMappingEditor   *self);
GPtrArray        *lia_mapping_editor_get_mappings  (LiaMappingEditor   *self);

G_END_DECLS
