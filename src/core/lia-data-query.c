/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-data-query"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lia-data-query.h"
#include "lia-data-type.h"
#include "lia-time.h"

/* Streams the rows of one data type, from a SQLite cursor: memory does not
 * grow with the number of rows. @integration_id 0 means every one. */
gboolean
lia_data_foreach (LiaDatabase     *db,
                  LiaDataType      type,
                  gint64           integration_id,
                  LiaDataRowFunc   func,
                  gpointer         user_data,
                  GError         **error)
{
  guint n_fields;
  const LiaFieldInfo *fields = lia_data_type_fields (type, &n_fields);
  g_autoptr(GString) sql = g_string_new ("SELECT integration_id");
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < n_fields; i++)
    g_string_append_printf (sql, ", %s", fields[i].column);
  if (type == LIA_DATA_TYPE_CUSTOM)
    g_string_append (sql, ", data");
  g_string_append_printf (sql, " FROM %s", lia_data_type_table (type));
  if (integration_id > 0)
    g_string_append (sql, " WHERE integration_id = ?");
  g_string_append (sql, " ORDER BY integration_id, external_id");

  stmt = lia_database_prepare (db, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  if (integration_id > 0)
    sqlite3_bind_int64 (stmt, 1, integration_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonObject) row = json_object_new ();
      gboolean go_on;

      json_object_set_int_member (row, "integrationId", sqlite3_column_int64 (stmt, 0));
      for (guint i = 0; i < n_fields; i++)
        {
          int column = (int) i + 1;

          if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
            json_object_set_null_member (row, fields[i].name);
          else if (fields[i].kind == LIA_FIELD_TIMESTAMP)
            {
              g_autofree char *iso = lia_time_to_iso8601 (sqlite3_column_int64 (stmt, column));
              json_object_set_string_member (row, fields[i].name, iso);
            }
          else if (fields[i].kind == LIA_FIELD_NUMBER)
            json_object_set_double_member (row, fields[i].name, sqlite3_column_double (stmt, column));
          else
            json_object_set_string_member (row, fields[i].name, (const char *) sqlite3_column_text (stmt, column));
        }
      if (type == LIA_DATA_TYPE_CUSTOM)
        {
          JsonNode *data = json_from_string ((const char *) sqlite3_column_text (stmt, n_fields + 1), NULL);
          if (data != NULL)
            json_object_set_member (row, "data", data);
        }

      go_on = func (row, user_data);
      if (!go_on)
        break;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lia_database_set_error (db, error, _("Cannot read the synced data"));
      return FALSE;
    }
  return TRUE;
}
