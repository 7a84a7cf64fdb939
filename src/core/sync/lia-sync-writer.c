/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-sync-writer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lia-sync-writer.h"

/* What the last record of a table turned out to be: the next one is
 * most likely the same (a first sync creates every row, a re-sync finds
 * most unchanged), so it is tried with the one statement that settles
 * that case, and looked up only when the guess was wrong. */
typedef enum {
  GUESS_NONE,       /* look up first */
  GUESS_CREATED,    /* insert first */
  GUESS_UNCHANGED,  /* touch by key and hash first */
} Guess;

/* 8 MiB of page cache instead of 2; a checkpoint every 10,000 pages
 * (about 40 MB of WAL) instead of every 1,000. */
#define WRITER_PRAGMAS "PRAGMA cache_size = -8192; PRAGMA wal_autocheckpoint = 10000"

/* The statements of one data type's table, built from its field list. */
typedef struct {
  sqlite3_stmt *select;
  sqlite3_stmt *insert;
  sqlite3_stmt *update;
  sqlite3_stmt *touch;
  sqlite3_stmt *touch_unchanged;
  sqlite3_stmt *delete_unseen;
  Guess         guess;
} TableStatements;

struct _LiaSyncWriter {
  LiaDatabase     *db;
  gint64           integration_id;
  gint64           run_marker;  /* seen_run_id of the rows this run saw */
  gint64           now_ms;
  gboolean         own_transaction;  /* this page began the transaction */
  TableStatements  tables[LIA_N_DATA_TYPES];
};

/* Helpers */

static gboolean
prepare (LiaDatabase   *db,
         const char    *sql,
         sqlite3_stmt **out_stmt,
         GError       **error)
{
  /* Not through the database's cache: these are the writer's own and are
   * finalized with it. */
  if (sqlite3_prepare_v3 (lia_database_get_handle (db), sql, -1, SQLITE_PREPARE_PERSISTENT,
                          out_stmt, NULL) != SQLITE_OK)
    {
      lia_database_set_error (db, error, _("Cannot prepare the sync"));
      return FALSE;
    }
  return TRUE;
}

/* ?1 id or integration, ?2 external id, ?3 hash, ?4 run marker, ?5 now,
 * ?6… the data columns in field order. */
static gboolean
build_statements (LiaSyncWriter  *self,
                  LiaDataType     type,
                  GError        **error)
{
  TableStatements *t = &self->tables[type];
  const char *table = lia_data_type_table (type);
  guint n_fields;
  const LiaFieldInfo *fields = lia_data_type_fields (type, &n_fields);
  g_autoptr(GString) columns = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(GString) sets = g_string_new (NULL);
  g_autofree char *select = NULL;
  g_autofree char *insert = NULL;
  g_autofree char *update = NULL;
  g_autofree char *touch = NULL;
  g_autofree char *touch_unchanged = NULL;
  g_autofree char *delete_unseen = NULL;
  guint param = 6;

  for (guint i = 1; i < n_fields; i++, param++)
    {
      g_string_append_printf (columns, ", %s", fields[i].column);
      g_string_append_printf (values, ", ?%u", param);
      g_string_append_printf (sets, ", %s = ?%u", fields[i].column, param);
    }
  if (type == LIA_DATA_TYPE_CUSTOM)
    {
      g_string_append (columns, ", data");
      g_string_append_printf (values, ", ?%u", param);
      g_string_append_printf (sets, ", data = ?%u", param);
    }
  /* A changed session is a new version of its calendar event. */
  if (type == LIA_DATA_TYPE_TIMETABLE)
    g_string_append (sets, ", sequence = sequence + 1");

  select = g_strdup_printf ("SELECT id, content_hash FROM %s WHERE integration_id = ?1 AND external_id = ?2", table);
  /* DO NOTHING: inserting first, a row that is already there is told by
   * sqlite3_changes() rather than by an error. */
  insert = g_strdup_printf ("INSERT INTO %s (integration_id, external_id, content_hash, seen_run_id, created_at,"
                            " updated_at%s) VALUES (?1, ?2, ?3, ?4, ?5, ?5%s)"
                            " ON CONFLICT (integration_id, external_id) DO NOTHING", table, columns->str, values->str);
  update = g_strdup_printf ("UPDATE %s SET content_hash = ?3, seen_run_id = ?4, updated_at = ?5%s WHERE id = ?1",
                            table, sets->str);
  touch = g_strdup_printf ("UPDATE %s SET seen_run_id = ?2 WHERE id = ?1", table);
  touch_unchanged = g_strdup_printf ("UPDATE %s SET seen_run_id = ?4"
                                     " WHERE integration_id = ?1 AND external_id = ?2 AND content_hash = ?3", table);
  delete_unseen = g_strdup_printf ("DELETE FROM %s WHERE integration_id = ?1"
                                   " AND (seen_run_id IS NULL OR seen_run_id != ?2)", table);

  return prepare (self->db, select, &t->select, error) &&
         prepare (self->db, insert, &t->insert, error) &&
         prepare (self->db, update, &t->update, error) &&
         prepare (self->db, touch, &t->touch, error) &&
         prepare (self->db, touch_unchanged, &t->touch_unchanged, error) &&
         prepare (self->db, delete_unseen, &t->delete_unseen, error);
}

/* Called for every record: builds the statements only the first time. */
static inline gboolean
prepare_table (LiaSyncWriter  *self,
               LiaDataType     type,
               GError        **error)
{
  return self->tables[type].select != NULL || build_statements (self, type, error);
}

static void
bind_values (sqlite3_stmt    *stmt,
             const LiaRecord *record)
{
  guint n_fields;
  const LiaFieldInfo *fields = lia_data_type_fields (record->type, &n_fields);
  int param = 6;

  for (guint i = 1; i < n_fields; i++, param++)
    {
      const LiaValue *value = &record->values[i];

      if (!value->present)
        sqlite3_bind_null (stmt, param);
      else if (fields[i].kind == LIA_FIELD_TIMESTAMP)
        sqlite3_bind_int64 (stmt, param, value->instant);
      else if (fields[i].kind == LIA_FIELD_NUMBER)
        sqlite3_bind_double (stmt, param, value->number);
      else
        sqlite3_bind_text (stmt, param, value->text, -1, SQLITE_STATIC);
    }
  if (record->type == LIA_DATA_TYPE_CUSTOM)
    sqlite3_bind_text (stmt, param, record->custom_json, -1, SQLITE_STATIC);
}

static gboolean
step (LiaSyncWriter  *self,
      sqlite3_stmt   *stmt,
      GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lia_database_set_error (self->db, error, _("Cannot write synced records"));
      return FALSE;
    }
  return TRUE;
}

/* Public API */

/* @run_marker tells this run's rows apart (the run id; a dry run uses any
 * number no real run has). */
LiaSyncWriter *
lia_sync_writer_new (LiaDatabase *db,
                     gint64       integration_id,
                     gint64       run_marker,
                     gint64       now_ms)
{
  LiaSyncWriter *self = g_new0 (LiaSyncWriter, 1);

  /* For this connection only, which the run owns: a page cache that keeps
   * the tables' and unique indexes' hot pages from one page of records to
   * the next, and fewer checkpoints, each of which writes back and syncs
   * the index pages that every page's transaction rewrote. Hints: a
   * failure changes nothing but speed. */
  sqlite3_exec (lia_database_get_handle (db), WRITER_PRAGMAS, NULL, NULL, NULL);

  self->db = db;
  self->integration_id = integration_id;
  self->run_marker = run_marker;
  self->now_ms = now_ms;
  return self;
}

void
lia_sync_writer_free (LiaSyncWriter *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    {
      sqlite3_finalize (self->tables[i].select);
      sqlite3_finalize (self->tables[i].insert);
      sqlite3_finalize (self->tables[i].update);
      sqlite3_finalize (self->tables[i].touch);
      sqlite3_finalize (self->tables[i].touch_unchanged);
      sqlite3_finalize (self->tables[i].delete_unseen);
    }
  g_free (self);
}

gboolean
lia_sync_writer_begin_page (LiaSyncWriter  *self,
                            GError        **error)
{
  /* A dry run wraps the whole run in one transaction that it rolls back;
   * a page is a savepoint inside it. Otherwise a page is its own
   * transaction, IMMEDIATE so that it waits for other writers rather than
   * failing when it upgrades from reading; no savepoint then, which would
   * only copy every page it changes into a sub-journal for nothing. */
  self->own_transaction = sqlite3_get_autocommit (lia_database_get_handle (self->db));
  if (self->own_transaction)
    return lia_database_begin (self->db, error);
  return lia_database_exec (self->db, "SAVEPOINT page", error);
}

static gboolean
insert_record (LiaSyncWriter    *self,
               TableStatements  *t,
               const LiaRecord  *record,
               GError          **error)
{
  sqlite3_bind_int64 (t->insert, 1, self->integration_id);
  sqlite3_bind_text (t->insert, 2, record->external_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (t->insert, 3, (sqlite3_int64) record->hash);
  sqlite3_bind_int64 (t->insert, 4, self->run_marker);
  sqlite3_bind_int64 (t->insert, 5, self->now_ms);
  bind_values (t->insert, record);
  return step (self, t->insert, error);
}

/* Marks the row seen if it is there with the same hash. */
static gboolean
touch_unchanged (LiaSyncWriter    *self,
                 TableStatements  *t,
                 const LiaRecord  *record,
                 GError          **error)
{
  sqlite3_bind_int64 (t->touch_unchanged, 1, self->integration_id);
  sqlite3_bind_text (t->touch_unchanged, 2, record->external_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (t->touch_unchanged, 3, (sqlite3_int64) record->hash);
  sqlite3_bind_int64 (t->touch_unchanged, 4, self->run_marker);
  return step (self, t->touch_unchanged, error);
}

/* Upserts one record and counts it as created, updated or unchanged. */
gboolean
lia_sync_writer_write (LiaSyncWriter    *self,
                       const LiaRecord  *record,
                       LiaSyncCounts    *counts,
                       GError          **error)
{
  sqlite3 *handle = lia_database_get_handle (self->db);
  TableStatements *t;
  int rc;

  if (!prepare_table (self, record->type, error))
    return FALSE;
  t = &self->tables[record->type];

  /* The likely case in one statement; a wrong guess changes no row. */
  if (t->guess == GUESS_CREATED)
    {
      if (!insert_record (self, t, record, error))
        return FALSE;
      if (sqlite3_changes (handle) == 1)
        {
          counts->created++;
          counts->processed++;
          return TRUE;
        }
    }
  else if (t->guess == GUESS_UNCHANGED)
    {
      if (!touch_unchanged (self, t, record, error))
        return FALSE;
      if (sqlite3_changes (handle) == 1)
        {
          counts->unchanged++;
          counts->processed++;
          return TRUE;
        }
    }

  sqlite3_bind_int64 (t->select, 1, self->integration_id);
  sqlite3_bind_text (t->select, 2, record->external_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (t->select);

  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (t->select);
      if (!insert_record (self, t, record, error))
        return FALSE;
      counts->created++;
      t->guess = GUESS_CREATED;
    }
  else if (rc == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (t->select, 0);
      guint64 hash = (guint64) sqlite3_column_int64 (t->select, 1);

      sqlite3_reset (t->select);
      if (hash == record->hash)
        {
          sqlite3_bind_int64 (t->touch, 1, id);
          sqlite3_bind_int64 (t->touch, 2, self->run_marker);
          if (!step (self, t->touch, error))
            return FALSE;
          counts->unchanged++;
          t->guess = GUESS_UNCHANGED;
        }
      else
        {
          sqlite3_bind_int64 (t->update, 1, id);
          sqlite3_bind_int64 (t->update, 3, (sqlite3_int64) record->hash);
          sqlite3_bind_int64 (t->update, 4, self->run_marker);
          sqlite3_bind_int64 (t->update, 5, self->now_ms);
          bind_values (t->update, record);
          if (!step (self, t->update, error))
            return FALSE;
          counts->updated++;
          t->guess = GUESS_NONE;
        }
    }
  else
    {
      sqlite3_reset (t->select);
      lia_database_set_error (self->db, error, _("Cannot read synced records"));
      return FALSE;
    }

  counts->processed++;
  return TRUE;
}

/* Commits the page; when it ends a complete full sync, first deletes the
 * rows this run did not see, and keeps the incremental cursor with it. */
gboolean
lia_sync_writer_end_page (LiaSyncWriter     *self,
                          LiaDataType        type,
                          const LiaPageEnd  *end,
                          LiaSyncCounts     *counts,
                          GError           **error)
{
  if (end != NULL && end->delete_unseen)
    {
      TableStatements *t;

      if (!prepare_table (self, type, error))
        goto fail;
      t = &self->tables[type];
      sqlite3_bind_int64 (t->delete_unseen, 1, self->integration_id);
      sqlite3_bind_int64 (t->delete_unseen, 2, self->run_marker);
      if (!step (self, t->delete_unseen, error))
        goto fail;
      counts->deleted += sqlite3_changes (lia_database_get_handle (self->db));
    }

  if (end != NULL && end->cursor != NULL)
    {
      sqlite3_stmt *stmt = lia_database_prepare (self->db,
                                                 "INSERT INTO sync_cursors (integration_id, data_type, cursor, updated_at)"
                                                 " VALUES (?, ?, ?, ?) ON CONFLICT (integration_id, data_type)"
                                                 " DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at",
                                                 error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, self->integration_id);
      sqlite3_bind_text (stmt, 2, lia_data_type_to_string (type), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, end->cursor, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, self->now_ms);
      if (!step (self, stmt, error))
        goto fail;
    }

  if (self->own_transaction ? lia_database_commit (self->db, error)
                            : lia_database_exec (self->db, "RELEASE page", error))
    return TRUE;

fail:
  lia_sync_writer_abort_page (self);
  return FALSE;
}

void
lia_sync_writer_abort_page (LiaSyncWriter *self)
{
  if (self->own_transaction)
    lia_database_rollback (self->db);
  else
    sqlite3_exec (lia_database_get_handle (self->db), "ROLLBACK TO page; RELEASE page", NULL, NULL, NULL);
}

/* The stored incremental cursor of a data type, or NULL. */
char *
lia_sync_writer_get_cursor (LiaDatabase  *db,
                            gint64        integration_id,
                            LiaDataType   type,
                            GError      **error)
{
  sqlite3_stmt *stmt = lia_database_prepare (db,
                                             "SELECT cursor FROM sync_cursors WHERE integration_id = ? AND data_type = ?",
                                             error);
  char *cursor = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, integration_id);
  sqlite3_bind_text (stmt, 2, lia_data_type_to_string (type), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cursor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return cursor;
}
