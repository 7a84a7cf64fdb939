/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-history-model"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-database.h"
#include "lia-history-model-private.h"

/* The history model's queries, run in worker threads. Pages are read by
 * keyset: a page starts at the (started_at, id) key of its first run, and
 * finding that key counts along a covering index from the nearest known
 * key (see lia-history-model.c), never through the table. */

void
lia_history_filter_clear (LiaHistoryModelFilter *filter)
{
  g_clear_pointer (&filter->status, g_free);
}

void
lia_history_filter_copy (LiaHistoryModelFilter       *dest,
                         const LiaHistoryModelFilter *src)
{
  *dest = *src;
  dest->status = g_strdup (src->status);
}

void
lia_history_job_free (LiaHistoryJob *job)
{
  g_free (job->db_path);
  lia_history_filter_clear (&job->filter);
  g_free (job);
}

void
lia_history_result_free (LiaHistoryResult *result)
{
  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_free (result);
}


/* The WHERE clause for @filter, with a keyset bound @op ("<", "<=", ">" or
 * NULL) on (started_at, id). A keyset bound makes the filter's bound on the
 * same side redundant (the key belongs to a row that matched it), and
 * leaving it out lets SQLite start the index range at the key. */
static char *
where_clause (const LiaHistoryModelFilter *filter,
              const char                  *op)
{
  GString *sql = g_string_new (" WHERE +r.id <= :snapshot");
  gboolean upper = op != NULL && op[0] == '<';
  gboolean lower = op != NULL && op[0] == '>';

  if (filter->integration_id > 0)
    g_string_append (sql, " AND r.integration_id = :integration");
  if (filter->status != NULL)
    g_string_append (sql, " AND r.status = :status");
  if (filter->since > 0 && !lower)
    g_string_append (sql, " AND r.started_at >= :since");
  if (filter->until > 0 && !upper)
    g_string_append (sql, " AND r.started_at <= :until");
  if (op != NULL)
    g_string_append_printf (sql, " AND (r.started_at, r.id) %s (:key_started, :key_id)", op);
  return g_string_free (sql, FALSE);
}

static void
bind_filter (sqlite3_stmt                *stmt,
             const LiaHistoryModelFilter *filter,
             gint64                       snapshot_id,
             const LiaHistoryKey         *key)
{
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":snapshot"), snapshot_id);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":integration"), filter->integration_id);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":status"), filter->status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":since"), filter->since);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":until"), filter->until);
  if (key != NULL)
    {
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":key_started"), key->started_at);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":key_id"), key->id);
    }
}

static void
set_read_error (LiaDatabase  *db,
                GError      **error)
{
  lia_database_set_error (db, error, _("Cannot read the sync history"));
}

void
lia_history_count_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  LiaHistoryJob *job = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaHistoryResult) result = g_new0 (LiaHistoryResult, 1);
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  GError *error = NULL;
  gint64 begin = g_get_monotonic_time ();

  db = lia_database_open (job->db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  stmt = lia_database_prepare (db,
                               "SELECT ifnull(max(id), 0),"
                               " (SELECT count(*) FROM sync_runs WHERE status = 'running')"
                               " FROM sync_runs", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      result->snapshot_id = sqlite3_column_int64 (stmt, 0);
      result->n_running = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  where = where_clause (&job->filter, NULL);
  sql = g_strconcat ("SELECT count(*) FROM sync_runs r", where, NULL);
  stmt = lia_database_prepare (db, sql, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  bind_filter (stmt, &job->filter, result->snapshot_id, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result->count = sqlite3_column_int64 (stmt, 0);
  else
    set_read_error (db, &error);
  sqlite3_reset (stmt);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  result->elapsed_us = g_get_monotonic_time () - begin;
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) lia_history_result_free);
}

/* The key of the page's first row, counted from the job's origin along a
 * covering index. FALSE with no error when there is no such row (the
 * history shrank since it was counted). */
static gboolean
locate_start (LiaDatabase          *db,
              const LiaHistoryJob  *job,
              LiaHistoryKey        *out_key,
              GError              **error)
{
  g_autofree char *where = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  if (job->has_key && job->offset < 0)
    {
      *out_key = job->key;
      return TRUE;
    }

  where = where_clause (&job->filter, !job->has_key ? NULL : job->backward ? ">" : "<");
  sql = g_strdup_printf ("SELECT r.started_at, r.id FROM sync_runs r%s"
                         " ORDER BY r.started_at %s, r.id %s LIMIT 1 OFFSET :offset",
                         where,
                         job->backward ? "ASC" : "DESC",
                         job->backward ? "ASC" : "DESC");
  stmt = lia_database_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_filter (stmt, &job->filter, job->snapshot_id, job->has_key ? &job->key : NULL);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), MAX (job->offset, 0));

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out_key->started_at = sqlite3_column_int64 (stmt, 0);
      out_key->id = sqlite3_column_int64 (stmt, 1);
      found = TRUE;
    }
  else if (rc != SQLITE_DONE)
    set_read_error (db, error);
  sqlite3_reset (stmt);
  return found;
}

static char *
dup_text (sqlite3_stmt *stmt,
          int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
read_page (LiaDatabase          *db,
           const LiaHistoryJob  *job,
           const LiaHistoryKey  *start,
           LiaHistoryResult     *result,
           GError              **error)
{
  g_autofree char *where = where_clause (&job->filter, "<=");
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  /* The page's runs come from the index; their integration's name and
   * the sums of their counts are looked up for those runs only. */
  sql = g_strdup_printf ("WITH page AS ("
                         " SELECT r.id, r.integration_id, r.trigger, r.status, r.started_at,"
                         "  r.finished_at, r.duration_ms, r.error_total"
                         " FROM sync_runs r%s"
                         " ORDER BY r.started_at DESC, r.id DESC LIMIT :limit)"
                         " SELECT p.id, p.integration_id, i.name, p.trigger, p.status, p.started_at,"
                         "  CASE WHEN p.finished_at IS NULL THEN -1 ELSE ifnull(p.duration_ms, 0) END,"
                         "  ifnull(sum(c.processed), 0), ifnull(sum(c.created), 0),"
                         "  ifnull(sum(c.updated), 0), ifnull(sum(c.deleted), 0),"
                         "  max(p.error_total, ifnull(sum(c.errors), 0))"
                         " FROM page p"
                         " LEFT JOIN integrations i ON i.id = p.integration_id"
                         " LEFT JOIN sync_run_counts c ON c.run_id = p.id"
                         " GROUP BY p.id ORDER BY p.started_at DESC, p.id DESC", where);
  stmt = lia_database_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_filter (stmt, &job->filter, job->snapshot_id, start);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), job->count);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LiaRunSummary summary = {
        .id = sqlite3_column_int64 (stmt, 0),
        .integration_id = sqlite3_column_int64 (stmt, 1),
        .integration_name = dup_text (stmt, 2),
        .trigger = dup_text (stmt, 3),
        .status = dup_text (stmt, 4),
        .started_at = sqlite3_column_int64 (stmt, 5),
        .duration_ms = sqlite3_column_int64 (stmt, 6),
        .processed = sqlite3_column_int64 (stmt, 7),
        .created = sqlite3_column_int64 (stmt, 8),
        .updated = sqlite3_column_int64 (stmt, 9),
        .deleted = sqlite3_column_int64 (stmt, 10),
        .errors = sqlite3_column_int64 (stmt, 11),
      };
      LiaHistoryKey key = { summary.started_at, summary.id };

      if (result->items->len == 0)
        result->first = key;
      result->last = key;
      g_ptr_array_add (result->items, lia_run_item_new (&summary));
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_read_error (db, error);
      return FALSE;
    }
  return TRUE;
}

void
lia_history_page_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  LiaHistoryJob *job = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaHistoryResult) result = g_new0 (LiaHistoryResult, 1);
  GError *error = NULL;
  gint64 begin = g_get_monotonic_time ();
  LiaHistoryKey start;

  result->items = g_ptr_array_new_with_free_func (g_object_unref);

  /* Scrolled past already: not worth a connection. */
  if (g_task_return_error_if_cancelled (task))
    return;

  db = lia_database_open (job->db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (locate_start (db, job, &start, &error) &&
      !read_page (db, job, &start, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  result->elapsed_us = g_get_monotonic_time () - begin;
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) lia_history_result_free);
}

/* The position of run @job->run_id under the filter: the runs newer than
 * it, counted along the index; -1 when the filter leaves it out. */
void
lia_history_find_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  LiaHistoryJob *job = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  g_autofree char *where = where_clause (&job->filter, NULL);
  g_autofree char *find_sql = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *newer = where_clause (&job->filter, ">");
  sqlite3_stmt *stmt;
  GError *error = NULL;
  gint64 position = -1;
  LiaHistoryKey key;
  int rc;

  db = lia_database_open (job->db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  find_sql = g_strdup_printf ("SELECT r.started_at FROM sync_runs r%s AND r.id = :run", where);
  stmt = lia_database_prepare (db, find_sql, &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  bind_filter (stmt, &job->filter, job->snapshot_id, NULL);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":run"), job->run_id);
  rc = sqlite3_step (stmt);
  key.started_at = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  key.id = job->run_id;
  sqlite3_reset (stmt);

  if (rc == SQLITE_ROW)
    {
      count_sql = g_strconcat ("SELECT count(*) FROM sync_runs r", newer, NULL);
      stmt = lia_database_prepare (db, count_sql, &error);
      if (stmt == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      bind_filter (stmt, &job->filter, job->snapshot_id, &key);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        position = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  g_task_return_int (task, position);
}
