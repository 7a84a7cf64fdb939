/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-types.h"

G_BEGIN_DECLS

/* How a canonical field's value is read and stored. */
typedef enum {
  LIA_FIELD_TEXT,
  LIA_FIELD_TIMESTAMP,  /* an absolute instant, stored as Unix seconds */
  LIA_FIELD_NUMBER,
  LIA_FIELD_STATUS,     /* present, absent, late or excused */
} LiaFieldKind;

typedef struct {
  const char   *name;   /* camelCase, as in the config: "externalId" */
  const char   *column; /* the database column: "external_id" */
  LiaFieldKind  kind;
} LiaFieldInfo;

const char         *lia_data_type_to_string   (LiaDataType   type);
gboolean            lia_data_type_from_string (const char   *name,
                                               LiaDataType  *out_type);
const char         *lia_data_type_table       (LiaDataType   type);
const LiaFieldInfo *lia_data_type_fields      (LiaDataType   type,
                                               guint        *n_fields);
const LiaFieldInfo *lia_data_type_find_field  (LiaDataType   type,
                                               const char   *name);
char               *lia_data_type_list        (void);

gboolean            lia_attendance_status_is_valid (const char *status);

G_END_DECLS
