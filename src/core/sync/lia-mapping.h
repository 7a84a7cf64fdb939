/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lia-config.h"
#include "lia-record.h"

G_BEGIN_DECLS

#define LIA_MAPPING_ERROR (lia_mapping_error_quark ())

typedef enum {
  LIA_MAPPING_ERROR_MISSING,  /* a required field has no value */
  LIA_MAPPING_ERROR_INVALID,  /* a value cannot be read as its field's kind */
} LiaMappingError;

GQuark lia_mapping_error_quark (void);

/* How one data type's external records become canonical records, compiled
 * once per sync from the config's field mappings (or a connector's
 * defaults, or the canonical names as they are). Immutable: one plan may
 * serve several threads. */
typedef struct _LiaMappingPlan LiaMappingPlan;

LiaMappingPlan *lia_mapping_plan_new   (LiaDataType      type,
                                        GPtrArray       *mappings,
                                        const char      *timezone);
void            lia_mapping_plan_free  (LiaMappingPlan  *plan);
gboolean        lia_mapping_apply      (const LiaMappingPlan *plan,
                                        JsonNode        *node,
                                        GStringChunk    *strings,
                                        LiaRecord       *out_record,
                                        GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaMappingPlan, lia_mapping_plan_free)

G_END_DECLS
