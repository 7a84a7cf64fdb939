/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-schema"

#include "config.h"

#include "lia-schema.h"

/* Times are Unix milliseconds for bookkeeping (runs, rows) and Unix seconds
 * for synced instants (session start, attendance timestamp). Synced rows
 * keep the external id they came from; foreign keys to other synced rows
 * are external ids too, because sources send them in any order. */

static const char migration_1[] =
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ") WITHOUT ROWID;"
  /* Names this database's items in the keyring, so that two databases
   * never share or overwrite each other's secrets. */
  "INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));"

  /* AUTOINCREMENT: an id is never reused, so a removed integration's
   * history or keyring items can never be taken for a new one's. */
  "CREATE TABLE integrations ("
  "  id           INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name         TEXT NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),"
  "  config       TEXT NOT NULL,"      /* JSON, never a secret */
  "  needs_signin INTEGER NOT NULL DEFAULT 0 CHECK (needs_signin IN (0, 1)),"
  "  created_at   INTEGER NOT NULL,"
  "  updated_at   INTEGER NOT NULL"
  ");"

  "CREATE TABLE sync_runs ("
  "  id             INTEGER PRIMARY KEY,"
  "  integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  trigger        TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled', 'cli')),"
  "  status         TEXT NOT NULL CHECK (status IN ('running', 'success', 'partial', 'error', 'cancelled')),"
  "  dry_run        INTEGER NOT NULL DEFAULT 0,"
  "  started_at     INTEGER NOT NULL,"
  "  finished_at    INTEGER,"
  "  duration_ms    INTEGER,"
  "  requests       INTEGER NOT NULL DEFAULT 0,"
  "  bytes          INTEGER NOT NULL DEFAULT 0,"
  "  error_total    INTEGER NOT NULL DEFAULT 0," /* errors seen, including those not kept */
  "  message        TEXT"
  ");"
  "CREATE INDEX sync_runs_by_start ON sync_runs (started_at DESC, id DESC);"
  "CREATE INDEX sync_runs_by_integration ON sync_runs (integration_id, started_at DESC);"
  "CREATE INDEX sync_runs_by_status ON sync_runs (status, started_at DESC);"

  "CREATE TABLE sync_run_counts ("
  "  run_id    INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,"
  "  data_type TEXT NOT NULL,"
  "  processed INTEGER NOT NULL DEFAULT 0,"
  "  created   INTEGER NOT NULL DEFAULT 0,"
  "  updated   INTEGER NOT NULL DEFAULT 0,"
  "  unchanged INTEGER NOT NULL DEFAULT 0,"
  "  deleted   INTEGER NOT NULL DEFAULT 0,"
  "  errors    INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (run_id, data_type)"
  ") WITHOUT ROWID;"

  /* A run's log: per request and per record errors, capped per run. */
  "CREATE TABLE sync_log ("
  "  id          INTEGER PRIMARY KEY,"
  "  run_id      INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,"
  "  at          INTEGER NOT NULL,"
  "  level       TEXT NOT NULL CHECK (level IN ('info', 'warning', 'error')),"
  "  code        TEXT,"
  "  data_type   TEXT,"
  "  external_id TEXT,"
  "  message     TEXT NOT NULL"
  ");"
  "CREATE INDEX sync_log_by_run ON sync_log (run_id, id);"

  /* Where an incremental sync goes on from, written in the same
   * transaction as the data it covers. */
  "CREATE TABLE sync_cursors ("
  "  integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,"
  "  data_type      TEXT NOT NULL,"
  "  cursor         TEXT NOT NULL,"
  "  updated_at     INTEGER NOT NULL,"
  "  PRIMARY KEY (integration_id, data_type)"
  ") WITHOUT ROWID;"

#define SYNCED_COLUMNS \
  "  id             INTEGER PRIMARY KEY," \
  "  integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE," \
  "  external_id    TEXT NOT NULL," \
  "  content_hash   INTEGER NOT NULL DEFAULT 0," \
  "  seen_run_id    INTEGER," \
  "  created_at     INTEGER NOT NULL," \
  "  updated_at     INTEGER NOT NULL,"

  "CREATE TABLE students (" SYNCED_COLUMNS
  "  name  TEXT,"
  "  email TEXT,"
  "  UNIQUE (integration_id, external_id)"
  ");"
  "CREATE INDEX students_by_email ON students (email);"

  "CREATE TABLE faculty (" SYNCED_COLUMNS
  "  name       TEXT,"
  "  email      TEXT,"
  "  department TEXT,"
  "  UNIQUE (integration_id, external_id)"
  ");"

  "CREATE TABLE subjects (" SYNCED_COLUMNS
  "  code TEXT,"
  "  name TEXT,"
  "  UNIQUE (integration_id, external_id)"
  ");"

  /* The timetable. sequence grows each time a sync changes the session,
   * for iCalendar's SEQUENCE. */
  "CREATE TABLE sessions (" SYNCED_COLUMNS
  "  title       TEXT,"
  "  start_at    INTEGER,"
  "  end_at      INTEGER,"
  "  location    TEXT,"
  "  subject_id  TEXT,"
  "  faculty_id  TEXT,"
  "  description TEXT,"
  "  meeting_url TEXT,"
  "  sequence    INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (integration_id, external_id)"
  ");"
  "CREATE INDEX sessions_by_start ON sessions (start_at);"
  "CREATE INDEX sessions_by_faculty ON sessions (faculty_id, start_at);"

  "CREATE TABLE attendance (" SYNCED_COLUMNS
  "  student_id TEXT NOT NULL,"
  "  session_id TEXT NOT NULL,"
  "  status     TEXT CHECK (status IN ('present', 'absent', 'late', 'excused')),"
  "  timestamp  INTEGER,"
  "  method     TEXT,"
  "  UNIQUE (integration_id, external_id)"
  ");"
  "CREATE INDEX attendance_by_session ON attendance (session_id);"
  "CREATE INDEX attendance_by_student ON attendance (student_id, timestamp);"
  "CREATE INDEX attendance_by_time ON attendance (timestamp);"

  "CREATE TABLE marks (" SYNCED_COLUMNS
  "  student_id TEXT NOT NULL,"
  "  subject_id TEXT,"
  "  assessment TEXT,"
  "  score      REAL,"
  "  max_score  REAL,"
  "  date       INTEGER,"
  "  UNIQUE (integration_id, external_id)"
  ");"
  "CREATE INDEX marks_by_student ON marks (student_id);"

  "CREATE TABLE custom_records (" SYNCED_COLUMNS
  "  data TEXT NOT NULL,"
  "  UNIQUE (integration_id, external_id)"
  ");";

#undef SYNCED_COLUMNS

/* OAuth sign-ins: what may be shown of them. The tokens themselves are in
 * the keyring only. */
static const char migration_2[] =
  "CREATE TABLE oauth_accounts ("
  "  integration_id INTEGER PRIMARY KEY REFERENCES integrations (id) ON DELETE CASCADE,"
  "  account        TEXT,"              /* email or name of who signed in */
  "  scopes         TEXT,"              /* granted, space-separated */
  "  expires_at     INTEGER,"           /* the access token's, Unix ms */
  "  signed_in_at   INTEGER NOT NULL,"
  "  refreshed_at   INTEGER"
  ");";

/* Exports and reports look people and sessions up by external id alone,
 * across integrations (--session ID, report attendance STUDENT_ID). */
static const char migration_3[] =
  "CREATE INDEX students_by_external_id ON students (external_id);"
  "CREATE INDEX sessions_by_external_id ON sessions (external_id);";

/* The History page pages through runs newest first by (started_at, id),
 * filtered by integration, status or both. Each filter gets an index in
 * that whole order, so that a page starts right at its key and counting
 * to a far position reads the index alone (the rowid an index ends with
 * ascends, which cannot serve "id DESC"). */
static const char migration_4[] =
  "DROP INDEX sync_runs_by_integration;"
  "DROP INDEX sync_runs_by_status;"
  "CREATE INDEX sync_runs_by_integration ON sync_runs (integration_id, started_at DESC, id DESC);"
  "CREATE INDEX sync_runs_by_status ON sync_runs (status, started_at DESC, id DESC);"
  "CREATE INDEX sync_runs_by_integration_status ON sync_runs (integration_id, status, started_at DESC, id DESC);";

/* Every synced row costs one B-tree insert per index, and a sync writes
 * hundreds of thousands of them: each synced table's unique key now leads
 * with external_id, so that it also serves the lookups by external id
 * alone that students_by_external_id and sessions_by_external_id served,
 * and students_by_email, which no query used, goes. seen_run_id goes too:
 * a run keeps the rows it saw in memory, so that a re-sync of unchanged
 * records rewrites none of them. SQLite cannot change a table's unique
 * key in place, so each table is rebuilt. */
#define REBUILD(table, declarations, names, indexes) \
  "CREATE TABLE " table "_new (" \
  "  id             INTEGER PRIMARY KEY," \
  "  integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE," \
  "  external_id    TEXT NOT NULL," \
  "  content_hash   INTEGER NOT NULL DEFAULT 0," \
  "  created_at     INTEGER NOT NULL," \
  "  updated_at     INTEGER NOT NULL," \
  declarations \
  "  UNIQUE (external_id, integration_id)" \
  ");" \
  "INSERT INTO " table "_new" \
  "  SELECT id, integration_id, external_id, content_hash, created_at, updated_at, " names \
  "  FROM " table ";" \
  "DROP TABLE " table ";" \
  "ALTER TABLE " table "_new RENAME TO " table ";" \
  indexes

static const char migration_5[] =
  REBUILD ("students",
           "  name  TEXT,"
           "  email TEXT,",
           "name, email",
           "")
  REBUILD ("faculty",
           "  name       TEXT,"
           "  email      TEXT,"
           "  department TEXT,",
           "name, email, department",
           "")
  REBUILD ("subjects",
           "  code TEXT,"
           "  name TEXT,",
           "code, name",
           "")
  REBUILD ("sessions",
           "  title       TEXT,"
           "  start_at    INTEGER,"
           "  end_at      INTEGER,"
           "  location    TEXT,"
           "  subject_id  TEXT,"
           "  faculty_id  TEXT,"
           "  description TEXT,"
           "  meeting_url TEXT,"
           "  sequence    INTEGER NOT NULL DEFAULT 0,",
           "title, start_at, end_at, location, subject_id, faculty_id, description, meeting_url, sequence",
           "CREATE INDEX sessions_by_start ON sessions (start_at);"
           "CREATE INDEX sessions_by_faculty ON sessions (faculty_id, start_at);")
  REBUILD ("attendance",
           "  student_id TEXT NOT NULL,"
           "  session_id TEXT NOT NULL,"
           "  status     TEXT CHECK (status IN ('present', 'absent', 'late', 'excused')),"
           "  timestamp  INTEGER,"
           "  method     TEXT,",
           "student_id, session_id, status, timestamp, method",
           "CREATE INDEX attendance_by_session ON attendance (session_id);"
           "CREATE INDEX attendance_by_student ON attendance (student_id, timestamp);"
           "CREATE INDEX attendance_by_time ON attendance (timestamp);")
  REBUILD ("marks",
           "  student_id TEXT NOT NULL,"
           "  subject_id TEXT,"
           "  assessment TEXT,"
           "  score      REAL,"
           "  max_score  REAL,"
           "  date       INTEGER,",
           "student_id, subject_id, assessment, score, max_score, date",
           "CREATE INDEX marks_by_student ON marks (student_id);")
  REBUILD ("custom_records",
           "  data TEXT NOT NULL,",
           "data",
           "");

#undef REBUILD

static const char * const migrations[] = {
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
};

const char * const *
lia_schema_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
