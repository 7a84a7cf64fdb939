/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "lia-database.h"
#include "lia-test-util.h"

static char *
query_text (LiaDatabase *db,
            const char  *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lia_database_prepare (db, sql, &error);
  char *value = NULL;

  g_assert_no_error (error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
set_user_version (const char *path,
                  int         version)
{
  sqlite3 *handle = NULL;
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);

  g_assert_cmpint (sqlite3_open (path, &handle), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (handle, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (handle);
}

static void
test_fresh (void)
{
  g_autofree char *path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (path, &error);
  g_autofree char *mode = NULL;
  g_autofree char *fk = NULL;
  g_autofree char *tables = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  mode = query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  fk = query_text (db, "PRAGMA foreign_keys");
  g_assert_cmpstr (fk, ==, "1");
  g_assert_cmpint (lia_database_get_version (db), ==, lia_database_latest_version ());

  g_assert_nonnull (lia_database_get_id (db));
  g_assert_cmpuint (strlen (lia_database_get_id (db)), ==, 32);

  tables = query_text (db, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master"
                           " WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)");
  g_assert_cmpstr (tables, ==,
                   "attendance,custom_records,faculty,integrations,marks,meta,oauth_accounts,sessions,students,"
                   "subjects,sync_cursors,sync_log,sync_run_counts,sync_runs");

  /* The -wal and -shm files SQLite makes take the database's mode. */
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_reopen_keeps_id (void)
{
  g_autofree char *path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first_id = NULL;
  LiaDatabase *db;

  db = lia_database_open (path, &error);
  g_assert_no_error (error);
  first_id = g_strdup (lia_database_get_id (db));
  lia_database_close (db);

  db = lia_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lia_database_get_id (db), ==, first_id);
  lia_database_close (db);
}

static void
test_ids_differ (void)
{
  g_autofree char *path1 = lia_test_db_path ();
  g_autofree char *path2 = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db1 = lia_database_open (path1, &error);
  g_autoptr(LiaDatabase) db2 = lia_database_open (path2, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (lia_database_get_id (db1), !=, lia_database_get_id (db2));
}

static void
test_default_path (void)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "liaison", "liaison.db", NULL);
  g_autofree char *by_default = NULL;
  g_autofree char *by_env = NULL;
  g_autofree char *by_option = NULL;

  g_unsetenv ("LIAISON_DB");
  by_default = lia_database_resolve_path (NULL);
  g_assert_cmpstr (by_default, ==, expected);

  g_setenv ("LIAISON_DB", "/tmp/from-env.db", TRUE);
  by_env = lia_database_resolve_path (NULL);
  g_assert_cmpstr (by_env, ==, "/tmp/from-env.db");
  by_option = lia_database_resolve_path ("/tmp/from-option.db");
  g_assert_cmpstr (by_option, ==, "/tmp/from-option.db");
  g_unsetenv ("LIAISON_DB");
}

static void
test_creates_folders (void)
{
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "a", "b", "liaison.db", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (path, &error);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

/* Each older schema is upgraded at open, keeping its data. */
static void
test_upgrade (void)
{
  int latest = lia_database_latest_version ();

  for (int from = 1; from < latest; from++)
    {
      g_autofree char *path = lia_test_db_path ();
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;
      g_autofree char *id_before = NULL;
      LiaDatabase *db;

      db = lia_database_open_at_version (path, from, &error);
      g_assert_no_error (error);
      g_assert_cmpint (lia_database_get_version (db), ==, from);
      id_before = g_strdup (lia_database_get_id (db));
      g_assert_true (lia_database_exec (db, "INSERT INTO integrations (name, kind, config, created_at, updated_at)"
                                            " VALUES ('Old', 'rest', '{}', 1, 1)", &error));
      g_assert_no_error (error);
      lia_database_close (db);

      db = lia_database_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (lia_database_get_version (db), ==, latest);
      g_assert_cmpstr (lia_database_get_id (db), ==, id_before);
      name = query_text (db, "SELECT name FROM integrations");
      g_assert_cmpstr (name, ==, "Old");
      lia_database_close (db);
    }

  /* From nothing: an empty file is a database at version 0. */
  {
    g_autofree char *path = lia_test_db_path ();
    g_autoptr(GError) error = NULL;
    g_autoptr(LiaDatabase) db = NULL;

    g_assert_true (g_file_set_contents (path, "", 0, NULL));
    db = lia_database_open (path, &error);
    g_assert_no_error (error);
    g_assert_cmpint (lia_database_get_version (db), ==, latest);
  }
}

/* Schema 5 rebuilds the synced tables around a unique key that leads with
 * external_id: every row and column comes across, the unique key still
 * refuses a second row with the same key, and the indexes no query needs
 * are gone. */
static void
test_upgrade_synced_tables (void)
{
  g_autofree char *path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *indexes = NULL;
  g_autofree char *columns = NULL;
  sqlite3_stmt *stmt;
  LiaDatabase *db;

  db = lia_database_open_at_version (path, 4, &error);
  g_assert_no_error (error);
  g_assert_true (lia_database_exec (db,
                                    "INSERT INTO integrations (id, name, kind, config, created_at, updated_at)"
                                    " VALUES (3, 'A', 'rest', '{}', 1, 1);"
                                    "INSERT INTO students (id, integration_id, external_id, content_hash, seen_run_id,"
                                    "  created_at, updated_at, name, email)"
                                    " VALUES (41, 3, 's1', 77, 9, 10, 20, 'Ada', 'ada@example.edu');"
                                    "INSERT INTO sessions (integration_id, external_id, created_at, updated_at, title,"
                                    "  start_at, sequence)"
                                    " VALUES (3, 'm1', 1, 2, 'Maths', 1700000000, 4);"
                                    "INSERT INTO attendance (integration_id, external_id, created_at, updated_at,"
                                    "  student_id, session_id, status, timestamp, method)"
                                    " VALUES (3, 's1/m1', 1, 2, 's1', 'm1', 'late', 1700000100, 'card');",
                                    &error));
  g_assert_no_error (error);
  lia_database_close (db);

  db = lia_database_open (path, &error);
  g_assert_no_error (error);
  rows = query_text (db, "SELECT (SELECT group_concat(id || integration_id || external_id || content_hash"
                         "          || created_at || updated_at || name || email) FROM students)"
                         " || '|' || (SELECT title || start_at || sequence FROM sessions)"
                         " || '|' || (SELECT student_id || session_id || status || timestamp || method FROM attendance)");
  g_assert_cmpstr (rows, ==, "413s1771020Adaada@example.edu|Maths17000000004|s1m1late1700000100card");
  columns = query_text (db, "SELECT group_concat(name) FROM pragma_table_info('students')");
  g_assert_cmpstr (columns, ==, "id,integration_id,external_id,content_hash,created_at,updated_at,name,email");

  g_assert_false (lia_database_exec (db, "INSERT INTO students (integration_id, external_id, created_at, updated_at)"
                                         " VALUES (3, 's1', 1, 1)", &error));
  g_assert_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_SQL);
  g_clear_error (&error);

  indexes = query_text (db, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                            " WHERE type = 'index' AND sql IS NOT NULL"
                            "   AND tbl_name IN ('students', 'sessions', 'attendance') ORDER BY name)");
  g_assert_cmpstr (indexes, ==, "attendance_by_session,attendance_by_student,attendance_by_time,"
                                "sessions_by_faculty,sessions_by_start");
  /* A student looked up by external id alone still finds it by index. */
  stmt = lia_database_prepare (db, "EXPLAIN QUERY PLAN SELECT name FROM students WHERE external_id = 's1'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 3), "USING INDEX"));
  sqlite3_reset (stmt);
  lia_database_close (db);
}

static void
test_too_new (void)
{
  g_autofree char *path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  LiaDatabase *db;

  db = lia_database_open (path, &error);
  g_assert_no_error (error);
  lia_database_close (db);
  set_user_version (path, lia_database_latest_version () + 1);

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  db = lia_database_open (path, &error);
  g_assert_null (db);
  g_assert_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Liaison"));
  g_assert_null (strchr (error->message, '\n'));

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char garbage[] = "this is a spreadsheet, not a database, and it is long enough to matter";
  LiaDatabase *db;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  db = lia_database_open (path, &error);
  g_assert_null (db);
  g_assert_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_CORRUPT);

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

static gpointer
open_in_thread (gpointer path)
{
  g_autoptr(GError) error = NULL;
  LiaDatabase *db = lia_database_open (path, &error);

  g_assert_no_error (error);
  return db;
}

/* Two processes or threads opening a new database at once: one migrates,
 * the other waits and finds it done. */
static void
test_concurrent_open (void)
{
  g_autofree char *path = lia_test_db_path ();
  GThread *threads[4];
  g_autofree char *first_id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_in_thread, path);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      LiaDatabase *db = g_thread_join (threads[i]);

      g_assert_cmpint (lia_database_get_version (db), ==, lia_database_latest_version ());
      if (first_id == NULL)
        first_id = g_strdup (lia_database_get_id (db));
      g_assert_cmpstr (lia_database_get_id (db), ==, first_id);
      lia_database_close (db);
    }
}

static void
test_cascade (void)
{
  g_autofree char *path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (path, &error);
  g_autofree char *count = NULL;

  g_assert_no_error (error);
  g_assert_true (lia_database_exec (db,
                                    "INSERT INTO integrations (id, name, kind, config, created_at, updated_at)"
                                    " VALUES (7, 'A', 'rest', '{}', 1, 1);"
                                    "INSERT INTO students (integration_id, external_id, created_at, updated_at, name)"
                                    " VALUES (7, 's1', 1, 1, 'Ada');"
                                    "INSERT INTO sync_runs (integration_id, trigger, status, started_at)"
                                    " VALUES (7, 'cli', 'success', 1);"
                                    "DELETE FROM integrations WHERE id = 7;", &error));
  g_assert_no_error (error);
  count = query_text (db, "SELECT (SELECT count(*) FROM students) + (SELECT count(*) FROM sync_runs)");
  g_assert_cmpstr (count, ==, "0");

  /* A synced row must name an integration that exists. */
  g_assert_false (lia_database_exec (db, "INSERT INTO students (integration_id, external_id, created_at, updated_at)"
                                         " VALUES (99, 'x', 1, 1)", &error));
  g_assert_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_SQL);
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/database/fresh", test_fresh);
  g_test_add_func ("/database/reopen-keeps-id", test_reopen_keeps_id);
  g_test_add_func ("/database/ids-differ", test_ids_differ);
  g_test_add_func ("/database/default-path", test_default_path);
  g_test_add_func ("/database/creates-folders", test_creates_folders);
  g_test_add_func ("/database/upgrade", test_upgrade);
  g_test_add_func ("/database/upgrade-synced-tables", test_upgrade_synced_tables);
  g_test_add_func ("/database/too-new", test_too_new);
  g_test_add_func ("/database/not-a-database", test_not_a_database);
  g_test_add_func ("/database/concurrent-open", test_concurrent_open);
  g_test_add_func ("/database/cascade", test_cascade);

  return g_test_run ();
}
