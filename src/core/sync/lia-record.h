/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-data-type.h"

G_BEGIN_DECLS

#define LIA_RECORD_MAX_FIELDS 8

/* One canonical field's value. Text is borrowed from the page it came
 * from (the parsed JSON or the page's string chunk). */
typedef struct {
  gboolean    present;  /* FALSE: null or missing */
  const char *text;     /* text and status fields */
  gint64      instant;  /* timestamp fields: Unix seconds */
  double      number;   /* number fields */
} LiaValue;

/* An external record mapped onto a data type's canonical fields, in the
 * order of lia_data_type_fields(). */
typedef struct {
  LiaDataType  type;
  const char  *external_id;
  LiaValue     values[LIA_RECORD_MAX_FIELDS];
  const char  *custom_json;  /* custom: the whole record, as JSON */
  guint64      hash;         /* of every value: equal hashes, unchanged row */
} LiaRecord;

guint64 lia_record_compute_hash (const LiaRecord *record);

G_END_DECLS
