/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-form-model.h"

G_BEGIN_DECLS

/* Shared by lia-form-model.c (values), lia-form-model-load.c (from a
 * config), lia-form-mapping.c (pairs, mappings) and lia-form-model-build.c
 * (the config they make, and its check). */

static inline gboolean
lia_form_has_text (const char *text)
{
  return text != NULL && *text != '\0';
}

void        lia_form_model_clear            (LiaFormModel        *model);
void        lia_form_model_init_blank       (LiaFormModel        *model,
                                             LiaKind              kind);
void        lia_form_model_mark_given       (LiaFormModel        *model,
                                             const char          *key);
gboolean    lia_form_model_is_given         (const LiaFormModel  *model,
                                             const char          *key);

GPtrArray  *lia_form_pairs_new              (void);
GPtrArray  *lia_form_pairs_copy             (GPtrArray           *pairs);

const char *lia_form_pagination_to_string   (LiaPaginationStyle   style);
gboolean    lia_form_pagination_from_string (const char          *name,
                                             LiaPaginationStyle  *out_style);
const char *lia_form_transform_to_string    (LiaTransform         transform);
gboolean    lia_form_transform_from_string  (const char          *name,
                                             LiaTransform        *out_transform);

G_END_DECLS
