/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-mapping"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lia-json-path.h"
#include "lia-mapping.h"
#include "lia-time.h"

/* Values quoted in a record error are cut to this many bytes. */
#define QUOTE_MAX 64

typedef struct {
  const LiaFieldInfo *info;
  LiaJsonPath        *path;
  GHashTable         *map;            /* borrowed from the config, or NULL */
  char               *format;
  char               *default_value;
  LiaTransform        transform;
  gboolean            required;
} FieldPlan;

struct _LiaMappingPlan {
  LiaDataType  type;
  GTimeZone   *zone;
  guint        n_fields;
  FieldPlan    fields[LIA_RECORD_MAX_FIELDS];
  GPtrArray   *mappings;         /* holds the maps alive */
  gboolean     has_external_id;  /* the mapping gives externalId */
};

G_DEFINE_QUARK (lia-mapping-error-quark, lia_mapping_error)

/* Helpers */

static char *
quote (const char *text)
{
  if (strlen (text) <= QUOTE_MAX)
    return g_strdup (text);
  return g_strdup_printf ("%.*s…", QUOTE_MAX, text);
}

/* Identity fields: a record without them cannot be stored. */
static gboolean
is_identity (LiaDataType  type,
             const char  *field)
{
  switch (type)
    {
    case LIA_DATA_TYPE_ATTENDANCE:
      return g_str_equal (field, "studentId") || g_str_equal (field, "sessionId");
    case LIA_DATA_TYPE_MARKS:
      return g_str_equal (field, "studentId");
    case LIA_DATA_TYPE_STUDENTS:
    case LIA_DATA_TYPE_FACULTY:
    case LIA_DATA_TYPE_SUBJECTS:
    case LIA_DATA_TYPE_TIMETABLE:
    case LIA_DATA_TYPE_CUSTOM:
      return g_str_equal (field, "externalId");
    case LIA_N_DATA_TYPES:
    default:
      g_assert_not_reached ();
    }
}

/* The text form of a scalar, borrowed when it is a string. */
static const char *
scalar_text (JsonNode     *node,
             GStringChunk *strings)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return json_node_get_string (node);
    case G_TYPE_INT64:
      g_snprintf (buffer, sizeof buffer, "%" PRId64, json_node_get_int (node));
      return g_string_chunk_insert (strings, buffer);
    case G_TYPE_DOUBLE:
      g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node));
      return g_string_chunk_insert (strings, buffer);
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node) ? "true" : "false";
    default:
      return NULL;
    }
}

static int
two_digits (const char *p)
{
  return g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) ? (p[0] - '0') * 10 + (p[1] - '0') : -1;
}

/* The common "YYYY-MM-DDTHH:MM:SSZ" without GDateTime. Anything else, or
 * anything out of range, is left to lia_time_parse(), which reads it (or
 * names what is wrong) the same way for this form. */
static gboolean
read_utc_timestamp (const char *text,
                    gint64     *out_unix)
{
  static const int days_before_month[] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
  int century, year, month, day, hour, minute, second;
  gint64 y, days;

  if (strlen (text) != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text[19] != 'Z')
    return FALSE;
  century = two_digits (text);
  year = two_digits (text + 2);
  month = two_digits (text + 5);
  day = two_digits (text + 8);
  hour = two_digits (text + 11);
  minute = two_digits (text + 14);
  second = two_digits (text + 17);
  if (century < 0 || year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 59)
    return FALSE;
  year += century * 100;
  if (year < 1 || day > g_date_get_days_in_month (month, year))
    return FALSE;

  /* Days since 1970-01-01 of the proleptic Gregorian calendar. */
  y = year - 1;
  days = y * 365 + y / 4 - y / 100 + y / 400 - 719162;
  days += days_before_month[month - 1] + (month > 2 && g_date_is_leap_year (year)) + day - 1;
  *out_unix = days * 86400 + hour * 3600 + minute * 60 + second;
  return TRUE;
}

static const char *
apply_transform (LiaTransform  transform,
                 const char   *text,
                 GStringChunk *strings)
{
  g_autofree char *changed = NULL;

  switch (transform)
    {
    case LIA_TRANSFORM_NONE:
      return text;
    case LIA_TRANSFORM_LOWER:
      changed = g_utf8_strdown (text, -1);
      break;
    case LIA_TRANSFORM_UPPER:
      changed = g_utf8_strup (text, -1);
      break;
    case LIA_TRANSFORM_TRIM:
      changed = g_strstrip (g_strdup (text));
      break;
    default:
      g_assert_not_reached ();
    }
  return g_string_chunk_insert (strings, changed);
}

/* Reads @text as the field's kind into @value. */
static gboolean
convert (const LiaMappingPlan  *plan,
         const FieldPlan       *field,
         JsonNode              *node,
         const char            *text,
         GStringChunk          *strings,
         LiaValue              *value,
         GError               **error)
{
  const char *name = field->info->name;

  switch (field->info->kind)
    {
    case LIA_FIELD_TEXT:
      value->text = text;
      break;

    case LIA_FIELD_STATUS:
      /* Most sources, or their status map, give the canonical word. */
      if (lia_attendance_status_is_valid (text))
        {
          value->text = text;
          break;
        }
      {
        g_autofree char *lower = g_ascii_strdown (text, -1);

        g_strstrip (lower);
        if (!lia_attendance_status_is_valid (lower))
          {
            g_autofree char *quoted = quote (text);
            g_set_error (error, LIA_MAPPING_ERROR, LIA_MAPPING_ERROR_INVALID,
                         _("%s: “%s” is not present, absent, late or excused"), name, quoted);
            return FALSE;
          }
        value->text = g_string_chunk_insert_const (strings, lower);
      }
      break;

    case LIA_FIELD_NUMBER:
      if (node != NULL && (json_node_get_value_type (node) == G_TYPE_INT64 ||
                           json_node_get_value_type (node) == G_TYPE_DOUBLE))
        value->number = json_node_get_double (node);
      else
        {
          char *end = NULL;

          value->number = g_ascii_strtod (text, &end);
          if (end == text || *end != '\0' || !isfinite (value->number))
            {
              g_autofree char *quoted = quote (text);
              g_set_error (error, LIA_MAPPING_ERROR, LIA_MAPPING_ERROR_INVALID,
                           _("%s: “%s” is not a number"), name, quoted);
              return FALSE;
            }
        }
      break;

    case LIA_FIELD_TIMESTAMP:
      if (node != NULL && json_node_get_value_type (node) == G_TYPE_INT64 && field->format == NULL)
        value->instant = json_node_get_int (node);  /* Unix seconds */
      else if (field->format == NULL && read_utc_timestamp (text, &value->instant))
        ;
      else
        {
          g_autoptr(GError) local_error = NULL;

          if (!lia_time_parse (text, field->format, plan->zone, &value->instant, &local_error))
            {
              g_autofree char *quoted = quote (text);
              if (field->format != NULL)
                g_set_error (error, LIA_MAPPING_ERROR, LIA_MAPPING_ERROR_INVALID,
                             _("%s: “%s” does not match the format %s"), name, quoted, field->format);
              else
                g_set_error (error, LIA_MAPPING_ERROR, LIA_MAPPING_ERROR_INVALID,
                             _("%s: “%s” is not an ISO 8601 date or time"), name, quoted);
              return FALSE;
            }
        }
      break;

    default:
      g_assert_not_reached ();
    }

  value->present = TRUE;
  return TRUE;
}

static gboolean
map_field (const LiaMappingPlan  *plan,
           const FieldPlan       *field,
           JsonNode              *record,
           GStringChunk          *strings,
           LiaValue              *value,
           GError               **error)
{
  JsonNode *node = lia_json_path_lookup (field->path, record);
  const char *text = NULL;

  memset (value, 0, sizeof *value);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    {
      text = scalar_text (node, strings);
    }
  else if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, LIA_MAPPING_ERROR, LIA_MAPPING_ERROR_INVALID,
                   _("%s: the value at %s is not text or a number"),
                   field->info->name, lia_json_path_text (field->path));
      return FALSE;
    }

  if (text != NULL && field->map != NULL)
    {
      const char *mapped = g_hash_table_lookup (field->map, text);
      if (mapped != NULL)
        {
          text = mapped;
          node = NULL;  /* the mapped text, not the JSON value, is read */
        }
    }

  if (text == NULL && field->default_value != NULL)
    {
      text = field->default_value;
      node = NULL;
    }

  if (text != NULL)
    text = apply_transform (field->transform, text, strings);

  if (text == NULL || (*text == '\0' && field->info->kind != LIA_FIELD_TEXT))
    {
      if (field->required)
        {
          g_set_error (error, LIA_MAPPING_ERROR, LIA_MAPPING_ERROR_MISSING,
                       _("%s: missing (nothing at %s)"),
                       field->info->name, lia_json_path_text (field->path));
          return FALSE;
        }
      return TRUE;
    }

  if (field->required && *text == '\0')
    {
      g_set_error (error, LIA_MAPPING_ERROR, LIA_MAPPING_ERROR_MISSING,
                   _("%s: empty (at %s)"), field->info->name, lia_json_path_text (field->path));
      return FALSE;
    }

  return convert (plan, field, node, text, strings, value, error);
}

/* Attendance and marks are known by what they are about, unless the
 * mapping names an externalId. */
static const char *
derive_external_id (const LiaMappingPlan *plan,
                    LiaRecord            *record,
                    GStringChunk         *strings)
{
  const char *parts[3];
  guint n_parts;
  char buffer[256];
  g_autofree char *allocated = NULL;
  char *id = buffer;
  gsize length = 0, total = 0;

  if (plan->type != LIA_DATA_TYPE_ATTENDANCE && plan->type != LIA_DATA_TYPE_MARKS)
    return record->values[0].text;
  if (plan->has_external_id && record->values[0].present)
    return record->values[0].text;

  /* values[1] and [2]: studentId and sessionId, or studentId and
   * subjectId; marks add assessment in [3]. Joined with "/" on the stack
   * (ids are short) rather than in a GString a record. */
  n_parts = plan->type == LIA_DATA_TYPE_MARKS ? 3 : 2;
  for (guint i = 0; i < n_parts; i++)
    {
      parts[i] = record->values[i + 1].present ? record->values[i + 1].text : "";
      total += strlen (parts[i]) + 1;
    }
  if (total > sizeof buffer)
    id = allocated = g_malloc (total);
  for (guint i = 0; i < n_parts; i++)
    {
      gsize part_length = strlen (parts[i]);

      if (i > 0)
        id[length++] = '/';
      memcpy (id + length, parts[i], part_length);
      length += part_length;
    }
  return g_string_chunk_insert_len (strings, id, (gssize) length);
}

static LiaFieldMapping *
find_mapping (GPtrArray  *mappings,
              const char *field)
{
  for (guint i = 0; mappings != NULL && i < mappings->len; i++)
    {
      LiaFieldMapping *mapping = g_ptr_array_index (mappings, i);
      if (g_str_equal (mapping->field, field))
        return mapping;
    }
  return NULL;
}

/* Public API */

/* @mappings: the config's (or a connector's default) mappings for @type,
 * or NULL to read the canonical names as they are. */
LiaMappingPlan *
lia_mapping_plan_new (LiaDataType  type,
                      GPtrArray   *mappings,
                      const char  *timezone)
{
  LiaMappingPlan *plan = g_new0 (LiaMappingPlan, 1);
  const LiaFieldInfo *fields = lia_data_type_fields (type, &plan->n_fields);

  g_assert (plan->n_fields <= LIA_RECORD_MAX_FIELDS);

  plan->type = type;
  plan->zone = timezone ? g_time_zone_new_identifier (timezone) : NULL;
  if (plan->zone == NULL)
    plan->zone = g_time_zone_new_local ();
  plan->mappings = mappings ? g_ptr_array_ref (mappings) : NULL;

  for (guint i = 0; i < plan->n_fields; i++)
    {
      FieldPlan *field = &plan->fields[i];
      LiaFieldMapping *mapping = find_mapping (mappings, fields[i].name);

      field->info = &fields[i];
      field->required = is_identity (type, fields[i].name);
      if (mapping != NULL)
        {
          field->path = lia_json_path_new (mapping->from ? mapping->from : mapping->field);
          field->map = mapping->map;
          field->format = g_strdup (mapping->format);
          field->default_value = g_strdup (mapping->default_value);
          field->transform = mapping->transform;
          field->required |= mapping->required;
          if (i == 0)
            plan->has_external_id = TRUE;
        }
      else
        {
          field->path = lia_json_path_new (fields[i].name);
        }
    }

  /* Attendance and marks derive their id when none is given. */
  if ((type == LIA_DATA_TYPE_ATTENDANCE || type == LIA_DATA_TYPE_MARKS) && !plan->has_external_id)
    plan->fields[0].required = FALSE;

  return plan;
}

void
lia_mapping_plan_free (LiaMappingPlan *plan)
{
  if (plan == NULL)
    return;
  for (guint i = 0; i < plan->n_fields; i++)
    {
      lia_json_path_free (plan->fields[i].path);
      g_free (plan->fields[i].format);
      g_free (plan->fields[i].default_value);
    }
  g_clear_pointer (&plan->mappings, g_ptr_array_unref);
  g_time_zone_unref (plan->zone);
  g_free (plan);
}

/* Maps one external record. Strings that the record does not hold as they
 * are go into @strings, which must outlive @out_record. On error,
 * @out_record->external_id is set when the record has one, for the
 * history. */
gboolean
lia_mapping_apply (const LiaMappingPlan  *plan,
                   JsonNode              *node,
                   GStringChunk          *strings,
                   LiaRecord             *out_record,
                   GError               **error)
{
  g_return_val_if_fail (plan != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  memset (out_record, 0, sizeof *out_record);
  out_record->type = plan->type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, LIA_MAPPING_ERROR, LIA_MAPPING_ERROR_INVALID,
                           _("the record is not a JSON object"));
      return FALSE;
    }

  for (guint i = 0; i < plan->n_fields; i++)
    {
      if (!map_field (plan, &plan->fields[i], node, strings, &out_record->values[i], error))
        {
          /* Name the record in the error if its id could be read. */
          LiaValue id_value;
          if (i > 0 && out_record->values[0].present)
            out_record->external_id = out_record->values[0].text;
          else if (i == 0 || !map_field (plan, &plan->fields[0], node, strings, &id_value, NULL))
            out_record->external_id = NULL;
          else if (id_value.present)
            out_record->external_id = id_value.text;
          return FALSE;
        }
    }

  out_record->external_id = derive_external_id (plan, out_record, strings);

  if (plan->type == LIA_DATA_TYPE_CUSTOM)
    {
      g_autofree char *json = json_to_string (node, FALSE);
      out_record->custom_json = g_string_chunk_insert (strings, json);
    }

  out_record->hash = lia_record_compute_hash (out_record);
  return TRUE;
}

/* FNV-1a over every value, with a separator and a presence mark per value
 * so that ("ab", "") and ("a", "b") differ. */
guint64
lia_record_compute_hash (const LiaRecord *record)
{
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  guint n_fields;
  const LiaFieldInfo *fields = lia_data_type_fields (record->type, &n_fields);

#define MIX(byte) (hash = (hash ^ (guint8) (byte)) * G_GUINT64_CONSTANT (0x100000001b3))

  for (guint i = 0; i < n_fields; i++)
    {
      const LiaValue *value = &record->values[i];
      const guint8 *bytes = NULL;
      gsize length = 0;

      MIX (value->present ? 1 : 0);
      if (!value->present)
        continue;
      switch (fields[i].kind)
        {
        case LIA_FIELD_TEXT:
        case LIA_FIELD_STATUS:
          bytes = (const guint8 *) value->text;
          length = strlen (value->text);
          break;
        case LIA_FIELD_TIMESTAMP:
          bytes = (const guint8 *) &value->instant;
          length = sizeof value->instant;
          break;
        case LIA_FIELD_NUMBER:
          bytes = (const guint8 *) &value->number;
          length = sizeof value->number;
          break;
        default:
          g_assert_not_reached ();
        }
      for (gsize j = 0; j < length; j++)
        MIX (bytes[j]);
      MIX (0xff);
    }

  if (record->custom_json != NULL)
    for (const char *p = record->custom_json; *p; p++)
      MIX (*p);

#undef MIX
  return hash;
}
