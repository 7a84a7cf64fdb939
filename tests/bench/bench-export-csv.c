/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-export-csv"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lia-database.h"
#include "lia-export.h"

/* The Moodle CSV benchmark: N attendance records (with their students and
 * sessions) written straight into a database with SQLite, then exported in
 * the records layout with lia_export_run() to a file, as
 * `liaison-cli export moodle -o FILE` does.
 *
 * Each database is filled in a process of its own, and each export runs in
 * a fresh forked process, so that the peak RSS wait4() reports is that
 * export's alone. Time is the export's wall clock, from opening the
 * database to the file renamed into place (and fsync()ed). */

#define STUDENTS 1000
#define CLASS_SIZE 25

static const char * const statuses[] = { "present", "present", "present", "present", "present",
                                         "present", "late", "absent", "present", "excused" };
static const char * const methods[] = { "qr", "card", "manual", "nfc" };

typedef struct {
  double seconds;
  gint64 rows;
  gint64 bytes;
} Sample;

static void
die_sql (sqlite3    *handle,
         const char *what)
{
  g_printerr ("bench-export-csv: %s: %s\n", what, sqlite3_errmsg (handle));
  exit (1);
}

static void
exec_or_die (sqlite3    *handle,
             const char *sql)
{
  if (sqlite3_exec (handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    die_sql (handle, sql);
}

static sqlite3_stmt *
prepare_or_die (sqlite3    *handle,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    die_sql (handle, sql);
  return stmt;
}

static void
step_or_die (sqlite3      *handle,
             sqlite3_stmt *stmt)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    die_sql (handle, "insert");
  sqlite3_reset (stmt);
}

/* Record k: a session of CLASS_SIZE students every 10 minutes from
 * 2024-01-08, one mark a student a few seconds apart; mostly present. */
static void
fill (const char *db_path,
      gint64      n_rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (db_path, &error);
  sqlite3 *handle;
  sqlite3_stmt *student, *session, *record;
  gint64 n_sessions = (n_rows + CLASS_SIZE - 1) / CLASS_SIZE;
  const gint64 start = 1704700800;
  char id[32], other[64], name[64];

  if (db == NULL)
    {
      g_printerr ("bench-export-csv: %s\n", error->message);
      exit (1);
    }
  handle = lia_database_get_handle (db);
  exec_or_die (handle, "PRAGMA synchronous = OFF; BEGIN;"
                       "INSERT INTO integrations (name, kind, config, created_at, updated_at)"
                       " VALUES ('Bench', 'rest', '{}', 1, 1)");

  student = prepare_or_die (handle, "INSERT INTO students (integration_id, external_id, created_at, updated_at, name, email)"
                                    " VALUES (1, ?1, 1, 1, ?2, ?3)");
  for (int i = 0; i < STUDENTS; i++)
    {
      g_snprintf (id, sizeof id, "STU%06d", i);
      g_snprintf (name, sizeof name, "Élève Numéro %d", i);
      g_snprintf (other, sizeof other, "student%06d@school.example.edu", i);
      sqlite3_bind_text (student, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (student, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (student, 3, other, -1, SQLITE_TRANSIENT);
      step_or_die (handle, student);
    }
  sqlite3_finalize (student);

  session = prepare_or_die (handle, "INSERT INTO sessions (integration_id, external_id, created_at, updated_at,"
                                    " title, start_at, end_at, subject_id)"
                                    " VALUES (1, ?1, 1, 1, 'Lesson', ?2, ?2 + 3000, 'SUBJ' || (?3 % 12))");
  for (gint64 s = 0; s < n_sessions; s++)
    {
      g_snprintf (id, sizeof id, "SES%08" G_GINT64_FORMAT, s);
      sqlite3_bind_text (session, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (session, 2, start + s * 600);
      sqlite3_bind_int64 (session, 3, s);
      step_or_die (handle, session);
    }
  sqlite3_finalize (session);

  record = prepare_or_die (handle, "INSERT INTO attendance (integration_id, external_id, created_at, updated_at,"
                                   " student_id, session_id, status, timestamp, method)"
                                   " VALUES (1, ?1, 1, 1, ?2, ?3, ?4, ?5, ?6)");
  for (gint64 k = 0; k < n_rows; k++)
    {
      gint64 s = k / CLASS_SIZE;

      g_snprintf (id, sizeof id, "ATT%09" G_GINT64_FORMAT, k);
      sqlite3_bind_text (record, 1, id, -1, SQLITE_TRANSIENT);
      g_snprintf (other, sizeof other, "STU%06d", (int) ((s * 7 + k % CLASS_SIZE) % STUDENTS));
      sqlite3_bind_text (record, 2, other, -1, SQLITE_TRANSIENT);
      g_snprintf (name, sizeof name, "SES%08" G_GINT64_FORMAT, s);
      sqlite3_bind_text (record, 3, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (record, 4, statuses[k % G_N_ELEMENTS (statuses)], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (record, 5, start + s * 600 + k % CLASS_SIZE * 7);
      sqlite3_bind_text (record, 6, methods[k % G_N_ELEMENTS (methods)], -1, SQLITE_STATIC);
      step_or_die (handle, record);
    }
  sqlite3_finalize (record);
  exec_or_die (handle, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
}

/* In a child: the export, timed, its sample written to @fd. */
static void
measure (const char *db_path,
         const char *out_path,
         int         fd)
{
  g_autoptr(GError) error = NULL;
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_RECORDS };
  Sample sample = { 0 };
  gint64 begin = g_get_monotonic_time ();
  GStatBuf st;

  if (!lia_export_run (db_path, &options, out_path, NULL, NULL, NULL, &sample.rows, &error))
    {
      g_printerr ("bench-export-csv: %s\n", error->message);
      exit (1);
    }
  sample.seconds = (g_get_monotonic_time () - begin) / 1e6;
  if (g_stat (out_path, &st) == 0)
    sample.bytes = st.st_size;
  if (write (fd, &sample, sizeof sample) != sizeof sample)
    exit (1);
}

/* Fills the database (without @out_sample) or measures an export, in a
 * forked child; returns the child's peak RSS in KiB. */
static long
run_child (const char *db_path,
           const char *out_path,
           gint64      n_rows,
           Sample     *out_sample)
{
  struct rusage usage;
  int fds[2], status;
  pid_t pid;

  if (pipe (fds) != 0)
    exit (1);
  pid = fork ();
  if (pid < 0)
    exit (1);
  if (pid == 0)
    {
      close (fds[0]);
      if (out_sample == NULL)
        fill (db_path, n_rows);
      else
        measure (db_path, out_path, fds[1]);
      _exit (0);
    }
  close (fds[1]);
  if (out_sample != NULL && read (fds[0], out_sample, sizeof *out_sample) != sizeof *out_sample)
    out_sample->rows = -1;
  close (fds[0]);
  if (wait4 (pid, &status, 0, &usage) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_printerr ("bench-export-csv: a child failed\n");
      exit (1);
    }
  return usage.ru_maxrss;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sizes_text = NULL;
  g_autofree char *dir_option = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sizes = NULL;
  g_autofree char *dir = NULL;
  int runs = 3;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "Row counts, comma-separated (default 100000,1000000)", "N,…" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Exports per row count; the median time is shown (default 3)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_option, "Work in DIR (default: a new folder in /tmp)", "DIR" },
    { NULL }
  };

  context = g_option_context_new ("— time Moodle CSV exports");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1)
    {
      g_printerr ("bench-export-csv: %s\n", error ? error->message : "--runs: must be at least 1");
      return 2;
    }
  sizes = g_strsplit (sizes_text ? sizes_text : "100000,1000000", ",", -1);
  dir = dir_option ? g_strdup (dir_option) : g_dir_make_tmp ("bench-export-csv-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("bench-export-csv: %s\n", error->message);
      return 1;
    }

  g_print ("Moodle CSV, records layout: lia_export_run() from SQLite to a file, %d runs each\n", runs);
  g_print ("(median time; peak RSS is the largest of the runs, each in a process of its own)\n\n");
  g_print ("| Rows | Seconds | Rows/s | Output MB | Peak RSS MB |\n");
  g_print ("| ---: | ---: | ---: | ---: | ---: |\n");

  for (guint i = 0; sizes[i] != NULL; i++)
    {
      gint64 n_rows = g_ascii_strtoll (sizes[i], NULL, 10);
      g_autofree char *name = g_strdup_printf ("bench-%s.db", sizes[i]);
      g_autofree char *db_path = g_build_filename (dir, name, NULL);
      g_autofree char *out_path = g_build_filename (dir, "export.csv", NULL);
      g_autofree double *seconds = g_new (double, runs);
      g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
      long peak = 0;
      Sample sample = { 0 };

      if (n_rows <= 0)
        {
          g_printerr ("bench-export-csv: --rows: “%s” is not a positive number\n", sizes[i]);
          return 2;
        }
      if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
        run_child (db_path, NULL, n_rows, NULL);

      for (int r = 0; r < runs; r++)
        {
          peak = MAX (peak, run_child (db_path, out_path, n_rows, &sample));
          seconds[r] = sample.seconds;
          if (sample.rows != n_rows)
            {
              g_printerr ("bench-export-csv: exported %" G_GINT64_FORMAT " rows of %" G_GINT64_FORMAT "\n",
                          sample.rows, n_rows);
              return 1;
            }
        }
      qsort (seconds, runs, sizeof *seconds, compare_doubles);

      g_print ("| %" G_GINT64_FORMAT " | %.3f | %.0f | %.1f | %.1f |\n", n_rows, seconds[runs / 2],
               n_rows / seconds[runs / 2], sample.bytes / 1e6, peak / 1024.0);

      g_unlink (out_path);
      if (dir_option == NULL)
        {
          g_unlink (db_path);
          g_unlink (wal);
          g_unlink (shm);
        }
    }

  if (dir_option == NULL)
    g_rmdir (dir);
  return 0;
}
