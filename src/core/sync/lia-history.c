/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-history"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "lia-data-type.h"
#include "lia-history.h"
#include "lia-util.h"

#define RUN_COLUMNS \
  "r.id, r.integration_id, i.name, r.trigger, r.status, r.dry_run, r.started_at, r.finished_at," \
  " r.duration_ms, r.requests, r.bytes, r.error_total, r.message"

/* Helpers */

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static LiaSyncRun *
read_run (sqlite3_stmt *stmt)
{
  LiaSyncRun *run = lia_sync_run_new ();

  run->id = sqlite3_column_int64 (stmt, 0);
  run->integration_id = sqlite3_column_int64 (stmt, 1);
  run->integration_name = dup_column (stmt, 2);
  run->trigger = dup_column (stmt, 3);
  run->status = dup_column (stmt, 4);
  run->dry_run = sqlite3_column_int (stmt, 5);
  run->started_at = sqlite3_column_int64 (stmt, 6);
  run->finished_at = sqlite3_column_int64 (stmt, 7);
  run->duration_ms = sqlite3_column_int64 (stmt, 8);
  run->requests = sqlite3_column_int64 (stmt, 9);
  run->bytes = sqlite3_column_int64 (stmt, 10);
  run->error_total = sqlite3_column_int64 (stmt, 11);
  run->message = dup_column (stmt, 12);
  return run;
}

static gboolean
load_details (LiaDatabase  *db,
              LiaSyncRun   *run,
              GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = lia_database_prepare (db,
                               "SELECT data_type, processed, created, updated, unchanged, deleted, errors"
                               " FROM sync_run_counts WHERE run_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LiaDataType type;

      if (!lia_data_type_from_string ((const char *) sqlite3_column_text (stmt, 0), &type))
        continue;
      run->types |= 1u << type;
      run->counts[type] = (LiaSyncCounts) {
        sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
        sqlite3_column_int64 (stmt, 3), sqlite3_column_int64 (stmt, 4),
        sqlite3_column_int64 (stmt, 5), sqlite3_column_int64 (stmt, 6),
      };
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    goto fail;

  stmt = lia_database_prepare (db,
                               "SELECT at, level, code, data_type, external_id, message"
                               " FROM sync_log WHERE run_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LiaSyncLogEntry *entry = g_new0 (LiaSyncLogEntry, 1);

      entry->at = sqlite3_column_int64 (stmt, 0);
      entry->level = dup_column (stmt, 1);
      entry->code = dup_column (stmt, 2);
      entry->data_type = dup_column (stmt, 3);
      entry->external_id = dup_column (stmt, 4);
      entry->message = dup_column (stmt, 5);
      g_ptr_array_add (run->errors, entry);
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

fail:
  lia_database_set_error (db, error, _("Cannot read the sync history"));
  return FALSE;
}

/* The WHERE clause of a filter; binds come in the order of the fields. */
static char *
filter_clause (const LiaHistoryFilter *filter)
{
  GString *sql = g_string_new (" WHERE 1");

  if (filter != NULL && filter->integration_id > 0)
    g_string_append (sql, " AND r.integration_id = :integration");
  if (filter != NULL && filter->status != NULL)
    g_string_append (sql, " AND r.status = :status");
  if (filter != NULL && filter->since > 0)
    g_string_append (sql, " AND r.started_at >= :since");
  if (filter != NULL && filter->until > 0)
    g_string_append (sql, " AND r.started_at <= :until");
  return g_string_free (sql, FALSE);
}

static void
bind_filter (sqlite3_stmt           *stmt,
             const LiaHistoryFilter *filter)
{
  if (filter == NULL)
    return;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":integration"), filter->integration_id);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":status"), filter->status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":since"), filter->since);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":until"), filter->until);
}

static gboolean
step_done (LiaDatabase   *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  gboolean ok = sqlite3_step (stmt) == SQLITE_DONE;

  if (!ok)
    lia_database_set_error (db, error, _("Cannot write the sync history"));
  sqlite3_reset (stmt);
  return ok;
}

/* Public API */

/* Records the start of @run (status running) and sets its id. */
gboolean
lia_history_begin_run (LiaDatabase  *db,
                       LiaSyncRun   *run,
                       GError      **error)
{
  sqlite3_stmt *stmt = lia_database_prepare (db,
                                             "INSERT INTO sync_runs (integration_id, trigger, status, dry_run, started_at)"
                                             " VALUES (?, ?, 'running', ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->integration_id);
  sqlite3_bind_text (stmt, 2, run->trigger, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, run->dry_run);
  sqlite3_bind_int64 (stmt, 4, run->started_at);
  if (!step_done (db, stmt, error))
    return FALSE;
  run->id = sqlite3_last_insert_rowid (lia_database_get_handle (db));
  return TRUE;
}

gboolean
lia_history_add_entry (LiaDatabase            *db,
                       gint64                  run_id,
                       const LiaSyncLogEntry  *entry,
                       GError                **error)
{
  sqlite3_stmt *stmt = lia_database_prepare (db,
                                             "INSERT INTO sync_log (run_id, at, level, code, data_type, external_id, message)"
                                             " VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, entry->at);
  sqlite3_bind_text (stmt, 3, entry->level, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entry->code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->data_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, entry->external_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, entry->message, -1, SQLITE_STATIC);
  return step_done (db, stmt, error);
}

/* Writes the outcome of @run: its status, times, totals and counts. */
gboolean
lia_history_finish_run (LiaDatabase       *db,
                        const LiaSyncRun  *run,
                        GError           **error)
{
  sqlite3_stmt *stmt;

  if (!lia_database_begin (db, error))
    return FALSE;

  stmt = lia_database_prepare (db,
                               "UPDATE sync_runs SET status = ?, finished_at = ?, duration_ms = ?, requests = ?,"
                               " bytes = ?, error_total = ?, message = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, run->status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, run->finished_at);
  sqlite3_bind_int64 (stmt, 3, run->duration_ms);
  sqlite3_bind_int64 (stmt, 4, run->requests);
  sqlite3_bind_int64 (stmt, 5, run->bytes);
  sqlite3_bind_int64 (stmt, 6, run->error_total);
  sqlite3_bind_text (stmt, 7, run->message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, run->id);
  if (!step_done (db, stmt, error))
    goto fail;

  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      const LiaSyncCounts *c = &run->counts[type];

      if (!(run->types & (1u << type)))
        continue;
      stmt = lia_database_prepare (db,
                                   "INSERT OR REPLACE INTO sync_run_counts"
                                   " (run_id, data_type, processed, created, updated, unchanged, deleted, errors)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, run->id);
      sqlite3_bind_text (stmt, 2, lia_data_type_to_string (type), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, c->processed);
      sqlite3_bind_int64 (stmt, 4, c->created);
      sqlite3_bind_int64 (stmt, 5, c->updated);
      sqlite3_bind_int64 (stmt, 6, c->unchanged);
      sqlite3_bind_int64 (stmt, 7, c->deleted);
      sqlite3_bind_int64 (stmt, 8, c->errors);
      if (!step_done (db, stmt, error))
        goto fail;
    }

  if (lia_database_commit (db, error))
    return TRUE;

fail:
  lia_database_rollback (db);
  return FALSE;
}

/* A run still marked running when its integration's lock is free was cut
 * short by a crash or a kill: it is recorded as an error. */
gboolean
lia_history_close_interrupted (LiaDatabase  *db,
                               gint64        integration_id,
                               GError      **error)
{
  sqlite3_stmt *stmt = lia_database_prepare (db,
                                             "UPDATE sync_runs SET status = 'error', message = ?,"
                                             " error_total = error_total + 1"
                                             " WHERE integration_id = ? AND status = 'running'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, _("The run was interrupted: Liaison stopped before it finished"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, integration_id);
  return step_done (db, stmt, error);
}

/* Runs matching @filter, newest first. With @with_details, each run has
 * its counts and log; without, only its totals. */
GPtrArray *
lia_history_list (LiaDatabase             *db,
                  const LiaHistoryFilter  *filter,
                  gint64                   offset,
                  gint64                   limit,
                  gboolean                 with_details,
                  GError                 **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_sync_run_free);
  g_autofree char *where = filter_clause (filter);
  g_autofree char *sql = g_strdup_printf ("SELECT " RUN_COLUMNS " FROM sync_runs r"
                                          " JOIN integrations i ON i.id = r.integration_id%s"
                                          " ORDER BY r.started_at DESC, r.id DESC LIMIT ? OFFSET ?", where);
  sqlite3_stmt *stmt = lia_database_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, filter);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_count (stmt) - 1, limit > 0 ? limit : -1);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_count (stmt), offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (runs, read_run (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lia_database_set_error (db, error, _("Cannot read the sync history"));
      return NULL;
    }

  for (guint i = 0; with_details && i < runs->len; i++)
    if (!load_details (db, g_ptr_array_index (runs, i), error))
      return NULL;

  return g_steal_pointer (&runs);
}

gint64
lia_history_count (LiaDatabase             *db,
                   const LiaHistoryFilter  *filter,
                   GError                 **error)
{
  g_autofree char *where = filter_clause (filter);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sync_runs r%s", where);
  sqlite3_stmt *stmt = lia_database_prepare (db, sql, error);
  gint64 count = -1;

  if (stmt == NULL)
    return -1;
  bind_filter (stmt, filter);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    lia_database_set_error (db, error, _("Cannot read the sync history"));
  sqlite3_reset (stmt);
  return count;
}

LiaSyncRun *
lia_history_get (LiaDatabase  *db,
                 gint64        run_id,
                 GError      **error)
{
  g_autoptr(LiaSyncRun) run = NULL;
  sqlite3_stmt *stmt = lia_database_prepare (db,
                                             "SELECT " RUN_COLUMNS " FROM sync_runs r"
                                             " JOIN integrations i ON i.id = r.integration_id WHERE r.id = ?",
                                             error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    run = read_run (stmt);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_NOT_FOUND,
                   _("No sync run with id %" PRId64), run_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      lia_database_set_error (db, error, _("Cannot read the sync history"));
      return NULL;
    }
  if (!load_details (db, run, error))
    return NULL;
  return g_steal_pointer (&run);
}

/* Deletes finished runs older than @older_than_ms (0: no age limit) and
 * all but the newest @keep_runs (0: no count limit). Running runs stay. */
gboolean
lia_history_prune (LiaDatabase  *db,
                   gint64        older_than_ms,
                   gint64        keep_runs,
                   gint64       *out_deleted,
                   GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 deleted = 0;

  if (!lia_database_begin (db, error))
    return FALSE;

  if (older_than_ms > 0)
    {
      stmt = lia_database_prepare (db, "DELETE FROM sync_runs WHERE status != 'running' AND started_at < ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, older_than_ms);
      if (!step_done (db, stmt, error))
        goto fail;
      deleted += sqlite3_changes (lia_database_get_handle (db));
    }

  if (keep_runs > 0)
    {
      stmt = lia_database_prepare (db,
                                   "DELETE FROM sync_runs WHERE status != 'running' AND id NOT IN"
                                   " (SELECT id FROM sync_runs ORDER BY started_at DESC, id DESC LIMIT ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, keep_runs);
      if (!step_done (db, stmt, error))
        goto fail;
      deleted += sqlite3_changes (lia_database_get_handle (db));
    }

  if (!lia_database_commit (db, error))
    goto fail;
  if (out_deleted != NULL)
    *out_deleted = deleted;
  return TRUE;

fail:
  lia_database_rollback (db);
  return FALSE;
}
