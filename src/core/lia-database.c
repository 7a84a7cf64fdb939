/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-database"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "lia-database.h"
#include "lia-schema.h"

struct _LiaDatabase {
  sqlite3    *handle;
  char       *path;
  char       *id;
  int         version;
  GHashTable *statements;  /* SQL text → sqlite3_stmt, finalized on close */
};

G_DEFINE_QUARK (lia-database-error-quark, lia_database_error)

/* Helpers */

static void
set_sqlite_error (sqlite3     *handle,
                  GError     **error,
                  const char  *what)
{
  int code = sqlite3_errcode (handle);
  LiaDatabaseError lia_code = LIA_DATABASE_ERROR_SQL;

  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    lia_code = LIA_DATABASE_ERROR_BUSY;
  else if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    lia_code = LIA_DATABASE_ERROR_CORRUPT;

  g_set_error (error, LIA_DATABASE_ERROR, lia_code, "%s: %s", what, sqlite3_errmsg (handle));
}

static gboolean
exec_sql (sqlite3     *handle,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (handle, error, _("Database error"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_user_version (sqlite3  *handle,
                   int      *out_version,
                   GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (handle, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (handle, error, _("Cannot read the database"));
      return FALSE;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_version = sqlite3_column_int (stmt, 0);
  else
    set_sqlite_error (handle, error, _("Cannot read the database"));
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

/* SQLite would create the file with the umask's mode; a database that may
 * hold personal data about pupils is for its owner only. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_OPEN,
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_OPEN,
                   _("Cannot open the database %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
migrate (LiaDatabase  *db,
         int           target,
         GError      **error)
{
  guint n_migrations;
  const char * const *migrations = lia_schema_migrations (&n_migrations);
  int version;

  /* Up to date, as almost always: no write lock, so that opening never
   * waits for a sync that is writing. */
  if (!read_user_version (db->handle, &version, error))
    return FALSE;
  if (version >= target)
    {
      db->version = version;
      return TRUE;
    }

  /* IMMEDIATE: two processes opening a fresh database at once must not both
   * run the same steps; the version is read again under the lock. */
  if (!exec_sql (db->handle, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!read_user_version (db->handle, &version, error))
    goto fail;

  for (int step = version; step < target; step++)
    {
      g_autofree char *set_version = NULL;

      g_debug ("Migrating %s from schema %d to %d", db->path, step, step + 1);
      if (!exec_sql (db->handle, migrations[step], error))
        {
          g_prefix_error (error, _("Cannot upgrade the database to schema %d: "), step + 1);
          goto fail;
        }
      set_version = g_strdup_printf ("PRAGMA user_version = %d", step + 1);
      if (!exec_sql (db->handle, set_version, error))
        goto fail;
    }

  if (!exec_sql (db->handle, "COMMIT", error))
    goto fail;

  db->version = MAX (version, target);
  return TRUE;

fail:
  sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
load_id (LiaDatabase  *db,
         GError      **error)
{
  sqlite3_stmt *stmt = lia_database_prepare (db, "SELECT value FROM meta WHERE key = 'database_id'", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_CORRUPT,
                   _("The database %s has no id; it was not made by Liaison"), db->path);
      return FALSE;
    }
  db->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

/* Public API */

char *
lia_database_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "liaison", "liaison.db", NULL);
}

/* --db PATH, then $LIAISON_DB, then the default under $XDG_DATA_HOME. */
char *
lia_database_resolve_path (const char *explicit_path)
{
  const char *env = g_getenv ("LIAISON_DB");

  if (explicit_path != NULL && *explicit_path != '\0')
    return g_strdup (explicit_path);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return lia_database_default_path ();
}

int
lia_database_latest_version (void)
{
  guint n_migrations;

  lia_schema_migrations (&n_migrations);
  return (int) n_migrations;
}

/* Process-wide settings, which SQLite takes only before its first use.
 * Without memory statistics, which nothing here reads, every allocation
 * SQLite makes skips a global mutex: a sync allocates for each record it
 * writes, and this alone makes it a sixth faster. Too late (another
 * library used SQLite first) changes nothing but speed. */
static void
configure_sqlite_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&done, 1);
    }
}

LiaDatabase *
lia_database_open (const char  *path,
                   GError     **error)
{
  return lia_database_open_at_version (path, lia_database_latest_version (), error);
}

/* Opens the database, migrated up to @version (tests use an older one). A
 * database newer than this build understands is refused before anything
 * is written to it. */
LiaDatabase *
lia_database_open_at_version (const char  *path,
                              int          version,
                              GError     **error)
{
  g_autoptr(LiaDatabase) db = NULL;
  int found;
  int latest = lia_database_latest_version ();

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (version > 0 && version <= latest, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !create_private_file (path, error))
    return NULL;

  db = g_new0 (LiaDatabase, 1);
  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) sqlite3_finalize);

  configure_sqlite_once ();
  if (sqlite3_open_v2 (path, &db->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_OPEN,
                   _("Cannot open the database %s: %s"), path,
                   db->handle ? sqlite3_errmsg (db->handle) : g_strerror (ENOMEM));
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, 10000);

  if (!read_user_version (db->handle, &found, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (found > latest)
    {
      g_set_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of Liaison "
                     "(schema %d; this version knows up to %d). Upgrade Liaison to open it."),
                   path, found, latest);
      return NULL;
    }

  /* WAL lets the GUI read while a sync writes; NORMAL sync is safe in WAL
   * mode (a crash loses at most the last transaction, never consistency). */
  if (!exec_sql (db->handle, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                             "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY", error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  if (!migrate (db, MAX (version, found), error) || !load_id (db, error))
    return NULL;

  return g_steal_pointer (&db);
}

void
lia_database_close (LiaDatabase *db)
{
  if (db == NULL)
    return;
  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db->id);
  g_free (db);
}

const char *
lia_database_get_path (LiaDatabase *db)
{
  return db->path;
}

/* The random id created with the database; names its keyring items. */
const char *
lia_database_get_id (LiaDatabase *db)
{
  return db->id;
}

sqlite3 *
lia_database_get_handle (LiaDatabase *db)
{
  return db->handle;
}

int
lia_database_get_version (LiaDatabase *db)
{
  return db->version;
}

/* A prepared statement, cached for the connection's life: reset and with
 * its bindings cleared. Do not finalize it; reset it when done. */
sqlite3_stmt *
lia_database_prepare (LiaDatabase  *db,
                      const char   *sql,
                      GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (db->handle, error, _("Database error"));
      return NULL;
    }
  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
lia_database_exec (LiaDatabase  *db,
                   const char   *sql,
                   GError      **error)
{
  return exec_sql (db->handle, sql, error);
}

gboolean
lia_database_begin (LiaDatabase  *db,
                    GError      **error)
{
  return exec_sql (db->handle, "BEGIN IMMEDIATE", error);
}

gboolean
lia_database_commit (LiaDatabase  *db,
                     GError      **error)
{
  return exec_sql (db->handle, "COMMIT", error);
}

void
lia_database_rollback (LiaDatabase *db)
{
  if (!sqlite3_get_autocommit (db->handle))
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
}

void
lia_database_set_error (LiaDatabase  *db,
                        GError      **error,
                        const char   *what)
{
  set_sqlite_error (db->handle, error, what);
}
