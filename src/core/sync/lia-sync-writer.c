/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-sync-writer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lia-sync-writer.h"

/* The row ids of a table that this run has seen, one bit each. A full
 * sync deletes the integration's rows it did not see; keeping that here
 * rather than in a column means a re-sync of unchanged data only reads. */
typedef struct {
  guint64 *words;
  gsize    n_words;
} SeenRows;

/* The SQL function that asks it: lia_sync_seen(data type, id). */
#define SEEN_FUNCTION "lia_sync_seen"

/* While records are new (a first sync), they are inserted this many at a
 * time by one statement: what SQLite spends on each statement it runs is
 * a third of what a small row's insert costs. */
#define BATCH_ROWS 32

/* 8 MiB of page cache instead of 2; a checkpoint every 10,000 pages
 * (about 40 MB of WAL) instead of every 1,000. */
#define WRITER_PRAGMAS "PRAGMA cache_size = -8192; PRAGMA wal_autocheckpoint = 10000"

/* The statements of one data type's table, built from its field list,
 * and the rows of it seen. */
typedef struct {
  sqlite3_stmt *select;
  sqlite3_stmt *insert;
  sqlite3_stmt *insert_batch;  /* BATCH_ROWS rows */
  sqlite3_stmt *update;
  sqlite3_stmt *delete_unseen;
  guint         row_params;    /* the parameters of one row of an insert */
  gboolean      insert_first;  /* the last record was new: so is the next, most likely */
  SeenRows      seen;
} TableStatements;

struct _LiaSyncWriter {
  LiaDatabase     *db;
  gint64           integration_id;
  gint64           now_ms;
  gboolean         own_transaction;  /* this page began the transaction */
  TableStatements  tables[LIA_N_DATA_TYPES];

  /* Records waiting to be inserted together: of one table, borrowed
   * until the page ends, and counted once written. */
  TableStatements *batch_table;
  LiaSyncCounts   *batch_counts;
  const LiaRecord *batch[BATCH_ROWS];
  guint            n_batch;
};

/* Seen rows */

static void
seen_rows_add (SeenRows *seen,
               gint64    id)
{
  gsize word = (guint64) id / 64;

  if (id < 0)
    return;
  if (word >= seen->n_words)
    {
      gsize n_words = MAX (word + 1, seen->n_words * 2);

      seen->words = g_renew (guint64, seen->words, n_words);
      memset (seen->words + seen->n_words, 0, (n_words - seen->n_words) * sizeof (guint64));
      seen->n_words = n_words;
    }
  seen->words[word] |= G_GUINT64_CONSTANT (1) << ((guint64) id % 64);
}

static gboolean
seen_rows_has (const SeenRows *seen,
               gint64          id)
{
  gsize word = (guint64) id / 64;

  return id >= 0 && word < seen->n_words &&
         (seen->words[word] & (G_GUINT64_CONSTANT (1) << ((guint64) id % 64))) != 0;
}

static void
seen_function (sqlite3_context  *context,
               int               argc,
               sqlite3_value   **argv)
{
  LiaSyncWriter *self = sqlite3_user_data (context);
  gint64 type = sqlite3_value_int64 (argv[0]);

  g_assert (type >= 0 && type < LIA_N_DATA_TYPES);
  sqlite3_result_int (context, seen_rows_has (&self->tables[type].seen, sqlite3_value_int64 (argv[1])));
}

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

/* One row's values in an insert: ?base+1 integration, +2 external id,
 * +3 hash, +4 now (created and updated), +5… the data columns. */
static void
append_row_values (GString *values,
                   guint    base,
                   guint    n_data)
{
  g_string_append_printf (values, "(?%u, ?%u, ?%u, ?%u, ?%u", base + 1, base + 2, base + 3, base + 4, base + 4);
  for (guint i = 0; i < n_data; i++)
    g_string_append_printf (values, ", ?%u", base + 5 + i);
  g_string_append_c (values, ')');
}

/* In the update, ?1 is the row's id and ?3… as in a row of an insert. */
static gboolean
build_statements (LiaSyncWriter  *self,
                  LiaDataType     type,
                  GError        **error)
{
  TableStatements *t = &self->tables[type];
  const char *table = lia_data_type_table (type);
  guint n_fields, n_data;
  const LiaFieldInfo *fields = lia_data_type_fields (type, &n_fields);
  g_autoptr(GString) columns = g_string_new ("integration_id, external_id, content_hash, created_at, updated_at");
  g_autoptr(GString) sets = g_string_new ("content_hash = ?3, updated_at = ?4");
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(GString) batch_values = g_string_new (NULL);
  g_autofree char *select = NULL;
  g_autofree char *insert = NULL;
  g_autofree char *insert_batch = NULL;
  g_autofree char *update = NULL;
  g_autofree char *delete_unseen = NULL;

  for (guint i = 1; i < n_fields; i++)
    {
      g_string_append_printf (columns, ", %s", fields[i].column);
      g_string_append_printf (sets, ", %s = ?%u", fields[i].column, 4 + i);
    }
  n_data = n_fields - 1;
  if (type == LIA_DATA_TYPE_CUSTOM)
    {
      g_string_append (columns, ", data");
      g_string_append_printf (sets, ", data = ?%u", 5 + n_data);
      n_data++;
    }
  /* A changed session is a new version of its calendar event. */
  if (type == LIA_DATA_TYPE_TIMETABLE)
    g_string_append (sets, ", sequence = sequence + 1");

  t->row_params = 4 + n_data;
  append_row_values (values, 0, n_data);
  for (guint row = 0; row < BATCH_ROWS; row++)
    {
      if (row > 0)
        g_string_append (batch_values, ", ");
      append_row_values (batch_values, row * t->row_params, n_data);
    }

  select = g_strdup_printf ("SELECT id, content_hash FROM %s WHERE integration_id = ?1 AND external_id = ?2", table);
  /* DO NOTHING: inserting first, a row that is already there is told by
   * sqlite3_changes() rather than by an error. */
  insert = g_strdup_printf ("INSERT INTO %s (%s) VALUES %s ON CONFLICT (integration_id, external_id) DO NOTHING",
                            table, columns->str, values->str);
  insert_batch = g_strdup_printf ("INSERT INTO %s (%s) VALUES %s ON CONFLICT (integration_id, external_id) DO NOTHING",
                                  table, columns->str, batch_values->str);
  update = g_strdup_printf ("UPDATE %s SET %s WHERE id = ?1", table, sets->str);
  delete_unseen = g_strdup_printf ("DELETE FROM %s WHERE integration_id = ?1 AND NOT " SEEN_FUNCTION "(%d, id)",
                                   table, (int) type);

  return prepare (self->db, select, &t->select, error) &&
         prepare (self->db, insert, &t->insert, error) &&
         prepare (self->db, insert_batch, &t->insert_batch, error) &&
         prepare (self->db, update, &t->update, error) &&
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

/* Binds the record's hash, the time and its data from ?base+3 on. */
static void
bind_values (LiaSyncWriter   *self,
             sqlite3_stmt    *stmt,
             int              base,
             const LiaRecord *record)
{
  guint n_fields;
  const LiaFieldInfo *fields = lia_data_type_fields (record->type, &n_fields);
  int param = base + 5;

  sqlite3_bind_int64 (stmt, base + 3, (sqlite3_int64) record->hash);
  sqlite3_bind_int64 (stmt, base + 4, self->now_ms);
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

LiaSyncWriter *
lia_sync_writer_new (LiaDatabase *db,
                     gint64       integration_id,
                     gint64       now_ms)
{
  LiaSyncWriter *self = g_new0 (LiaSyncWriter, 1);
  sqlite3 *handle = lia_database_get_handle (db);

  /* For this connection only, which the run owns: a page cache that keeps
   * the tables' and unique indexes' hot pages from one page of records to
   * the next, and fewer checkpoints, each of which writes back and syncs
   * the index pages that every page's transaction rewrote. Hints: a
   * failure changes nothing but speed. */
  sqlite3_exec (handle, WRITER_PRAGMAS, NULL, NULL, NULL);
  /* Fails only without memory, and then so does the first statement. */
  sqlite3_create_function_v2 (handle, SEEN_FUNCTION, 2, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                              self, seen_function, NULL, NULL, NULL);

  self->db = db;
  self->integration_id = integration_id;
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
      sqlite3_finalize (self->tables[i].insert_batch);
      sqlite3_finalize (self->tables[i].update);
      sqlite3_finalize (self->tables[i].delete_unseen);
      g_free (self->tables[i].seen.words);
    }
  /* The connection may outlive the writer: nothing may call it then. */
  sqlite3_create_function_v2 (lia_database_get_handle (self->db), SEEN_FUNCTION, 2, SQLITE_UTF8,
                              NULL, NULL, NULL, NULL, NULL);
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

/* Binds the record as row @row of an insert. */
static void
bind_row (LiaSyncWriter    *self,
          TableStatements  *t,
          sqlite3_stmt     *stmt,
          guint             row,
          const LiaRecord  *record)
{
  int base = (int) (row * t->row_params);

  sqlite3_bind_int64 (stmt, base + 1, self->integration_id);
  sqlite3_bind_text (stmt, base + 2, record->external_id, -1, SQLITE_STATIC);
  bind_values (self, stmt, base, record);
}

/* Inserts the record unless its key is there; *inserted tells which. */
static gboolean
insert_record (LiaSyncWriter    *self,
               TableStatements  *t,
               const LiaRecord  *record,
               gboolean         *inserted,
               GError          **error)
{
  sqlite3 *handle = lia_database_get_handle (self->db);

  bind_row (self, t, t->insert, 0, record);
  if (!step (self, t->insert, error))
    return FALSE;
  *inserted = sqlite3_changes (handle) == 1;
  if (*inserted)
    seen_rows_add (&t->seen, sqlite3_last_insert_rowid (handle));
  return TRUE;
}

/* The row of the record's key: its id and hash, or an id of 0. */
static gboolean
look_up (LiaSyncWriter    *self,
         TableStatements  *t,
         const LiaRecord  *record,
         gint64           *out_id,
         guint64          *out_hash,
         GError          **error)
{
  int rc;

  sqlite3_bind_int64 (t->select, 1, self->integration_id);
  sqlite3_bind_text (t->select, 2, record->external_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (t->select);
  *out_id = rc == SQLITE_ROW ? sqlite3_column_int64 (t->select, 0) : 0;
  *out_hash = (guint64) sqlite3_column_int64 (t->select, 1);
  sqlite3_reset (t->select);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      lia_database_set_error (self->db, error, _("Cannot read synced records"));
      return FALSE;
    }
  return TRUE;
}

/* Counts the record whose row @id was there already (with @hash) as
 * unchanged, or updates it. */
static gboolean
settle_existing (LiaSyncWriter    *self,
                 TableStatements  *t,
                 const LiaRecord  *record,
                 gint64            id,
                 guint64           hash,
                 LiaSyncCounts    *counts,
                 GError          **error)
{
  seen_rows_add (&t->seen, id);
  t->insert_first = FALSE;
  counts->processed++;
  if (hash == record->hash)
    {
      counts->unchanged++;
      return TRUE;
    }
  sqlite3_bind_int64 (t->update, 1, id);
  bind_values (self, t->update, 0, record);
  if (!step (self, t->update, error))
    return FALSE;
  counts->updated++;
  return TRUE;
}

/* Upserts one record and counts it as created, updated or unchanged. */
static gboolean
write_one (LiaSyncWriter    *self,
           TableStatements  *t,
           const LiaRecord  *record,
           LiaSyncCounts    *counts,
           GError          **error)
{
  gboolean inserted = FALSE;
  gint64 id;
  guint64 hash;

  /* A wrong guess that the record is new changes no row. */
  if (t->insert_first && !insert_record (self, t, record, &inserted, error))
    return FALSE;
  if (!inserted)
    {
      if (!look_up (self, t, record, &id, &hash, error))
        return FALSE;
      if (id != 0)
        return settle_existing (self, t, record, id, hash, counts, error);
      if (!insert_record (self, t, record, &inserted, error))
        return FALSE;
    }
  t->insert_first = TRUE;
  counts->created++;
  counts->processed++;
  return TRUE;
}

/* Writes the records waiting: BATCH_ROWS of them in one statement, fewer
 * (the page's last) one by one. */
static gboolean
flush_batch (LiaSyncWriter  *self,
             GError        **error)
{
  sqlite3 *handle = lia_database_get_handle (self->db);
  TableStatements *t = self->batch_table;
  LiaSyncCounts *counts = self->batch_counts;
  guint n = self->n_batch;
  gint64 changes, last, claimed;

  self->n_batch = 0;
  if (n < BATCH_ROWS)
    {
      for (guint i = 0; i < n; i++)
        if (!write_one (self, t, self->batch[i], counts, error))
          return FALSE;
      return TRUE;
    }

  for (guint i = 0; i < n; i++)
    bind_row (self, t, t->insert_batch, i, self->batch[i]);
  if (!step (self, t->insert_batch, error))
    return FALSE;

  /* The rows it inserted have the ids last - changes + 1 to last, in the
   * records' order, and the keys it skipped were there before: a record
   * is created if its row is among those and it is the first to find it
   * (a key twice in the batch makes one row). */
  changes = sqlite3_changes (handle);
  last = sqlite3_last_insert_rowid (handle);
  claimed = changes > 0 ? last - changes : G_MAXINT64;
  for (guint i = 0; i < n; i++)
    {
      const LiaRecord *record = self->batch[i];
      gint64 id;
      guint64 hash = 0;

      if (changes == n)
        id = last - n + 1 + i;
      else if (!look_up (self, t, record, &id, &hash, error))
        return FALSE;

      if (changes == n || (id > claimed && id <= last))
        {
          seen_rows_add (&t->seen, id);
          claimed = id;
          counts->created++;
          counts->processed++;
        }
      else if (!settle_existing (self, t, record, id, hash, counts, error))
        return FALSE;
    }
  return TRUE;
}

/* Upserts one record and counts it as created, updated or unchanged. An
 * unchanged row is only read: the run remembers it saw it. While records
 * are new, they wait to be inserted together, until the page ends. */
gboolean
lia_sync_writer_write (LiaSyncWriter    *self,
                       const LiaRecord  *record,
                       LiaSyncCounts    *counts,
                       GError          **error)
{
  TableStatements *t;

  if (!prepare_table (self, record->type, error))
    return FALSE;
  t = &self->tables[record->type];

  if (self->n_batch > 0 && self->batch_table != t && !flush_batch (self, error))
    return FALSE;
  if (!t->insert_first)
    return write_one (self, t, record, counts, error);

  self->batch_table = t;
  self->batch_counts = counts;
  self->batch[self->n_batch++] = record;
  return self->n_batch < BATCH_ROWS || flush_batch (self, error);
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
  if (!flush_batch (self, error))
    goto fail;

  if (end != NULL && end->delete_unseen)
    {
      TableStatements *t;

      if (!prepare_table (self, type, error))
        goto fail;
      t = &self->tables[type];
      sqlite3_bind_int64 (t->delete_unseen, 1, self->integration_id);
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
  self->n_batch = 0;
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
