/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-data-type"

#include "config.h"

#include "lia-data-type.h"

/* The canonical fields of each data type. The custom type has none: its
 * records are kept whole, as JSON. */

static const LiaFieldInfo student_fields[] = {
  { "externalId", "external_id", LIA_FIELD_TEXT },
  { "name", "name", LIA_FIELD_TEXT },
  { "email", "email", LIA_FIELD_TEXT },
};

static const LiaFieldInfo faculty_fields[] = {
  { "externalId", "external_id", LIA_FIELD_TEXT },
  { "name", "name", LIA_FIELD_TEXT },
  { "email", "email", LIA_FIELD_TEXT },
  { "department", "department", LIA_FIELD_TEXT },
};

static const LiaFieldInfo subject_fields[] = {
  { "externalId", "external_id", LIA_FIELD_TEXT },
  { "code", "code", LIA_FIELD_TEXT },
  { "name", "name", LIA_FIELD_TEXT },
};

static const LiaFieldInfo timetable_fields[] = {
  { "externalId", "external_id", LIA_FIELD_TEXT },
  { "title", "title", LIA_FIELD_TEXT },
  { "start", "start_at", LIA_FIELD_TIMESTAMP },
  { "end", "end_at", LIA_FIELD_TIMESTAMP },
  { "location", "location", LIA_FIELD_TEXT },
  { "subjectId", "subject_id", LIA_FIELD_TEXT },
  { "facultyId", "faculty_id", LIA_FIELD_TEXT },
  { "description", "description", LIA_FIELD_TEXT },
};

static const LiaFieldInfo attendance_fields[] = {
  { "externalId", "external_id", LIA_FIELD_TEXT },
  { "studentId", "student_id", LIA_FIELD_TEXT },
  { "sessionId", "session_id", LIA_FIELD_TEXT },
  { "status", "status", LIA_FIELD_STATUS },
  { "timestamp", "timestamp", LIA_FIELD_TIMESTAMP },
  { "method", "method", LIA_FIELD_TEXT },
};

static const LiaFieldInfo mark_fields[] = {
  { "externalId", "external_id", LIA_FIELD_TEXT },
  { "studentId", "student_id", LIA_FIELD_TEXT },
  { "subjectId", "subject_id", LIA_FIELD_TEXT },
  { "assessment", "assessment", LIA_FIELD_TEXT },
  { "score", "score", LIA_FIELD_NUMBER },
  { "maxScore", "max_score", LIA_FIELD_NUMBER },
  { "date", "date", LIA_FIELD_TIMESTAMP },
};

static const LiaFieldInfo custom_fields[] = {
  { "externalId", "external_id", LIA_FIELD_TEXT },
};

static const struct {
  const char         *name;
  const char         *table;
  const LiaFieldInfo *fields;
  guint               n_fields;
} data_types[LIA_N_DATA_TYPES] = {
  [LIA_DATA_TYPE_STUDENTS] = { "students", "students", student_fields, G_N_ELEMENTS (student_fields) },
  [LIA_DATA_TYPE_FACULTY] = { "faculty", "faculty", faculty_fields, G_N_ELEMENTS (faculty_fields) },
  [LIA_DATA_TYPE_SUBJECTS] = { "subjects", "subjects", subject_fields, G_N_ELEMENTS (subject_fields) },
  [LIA_DATA_TYPE_TIMETABLE] = { "timetable", "sessions", timetable_fields, G_N_ELEMENTS (timetable_fields) },
  [LIA_DATA_TYPE_ATTENDANCE] = { "attendance", "attendance", attendance_fields, G_N_ELEMENTS (attendance_fields) },
  [LIA_DATA_TYPE_MARKS] = { "marks", "marks", mark_fields, G_N_ELEMENTS (mark_fields) },
  [LIA_DATA_TYPE_CUSTOM] = { "custom", "custom_records", custom_fields, G_N_ELEMENTS (custom_fields) },
};

const char *
lia_data_type_to_string (LiaDataType type)
{
  g_return_val_if_fail (type < LIA_N_DATA_TYPES, NULL);
  return data_types[type].name;
}

gboolean
lia_data_type_from_string (const char  *name,
                           LiaDataType *out_type)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    {
      if (g_str_equal (name, data_types[i].name))
        {
          if (out_type != NULL)
            *out_type = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
lia_data_type_table (LiaDataType type)
{
  g_return_val_if_fail (type < LIA_N_DATA_TYPES, NULL);
  return data_types[type].table;
}

const LiaFieldInfo *
lia_data_type_fields (LiaDataType  type,
                      guint       *n_fields)
{
  g_return_val_if_fail (type < LIA_N_DATA_TYPES, NULL);
  if (n_fields != NULL)
    *n_fields = data_types[type].n_fields;
  return data_types[type].fields;
}

const LiaFieldInfo *
lia_data_type_find_field (LiaDataType  type,
                          const char  *name)
{
  guint n_fields;
  const LiaFieldInfo *fields = lia_data_type_fields (type, &n_fields);

  for (guint i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].name, name))
      return &fields[i];
  return NULL;
}

/* "students, faculty, …" for error messages. */
char *
lia_data_type_list (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", data_types[i].name);
  return g_string_free (s, FALSE);
}

gboolean
lia_attendance_status_is_valid (const char *status)
{
  return g_strcmp0 (status, "present") == 0 ||
         g_strcmp0 (status, "absent") == 0 ||
         g_strcmp0 (status, "late") == 0 ||
         g_strcmp0 (status, "excused") == 0;
}
