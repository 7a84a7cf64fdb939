/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-export-csv"

#include "config.h"

#include <glib/gstdio.h>

#include "lia-bench.h"
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

/* Record k: a session of CLASS_SIZE students every 10 minutes from
 * 2024-01-08, one mark a student a few seconds apart; mostly present. */
static void
fill (const char *db_path,
      gint64      n_rows)
{
  g_autoptr(LiaDatabase) db = lia_bench_open_database (db_path);
  sqlite3 *handle = lia_database_get_handle (db);
  sqlite3_stmt *student, *session, *record;
  gint64 n_sessions = (n_rows + CLASS_SIZE - 1) / CLASS_SIZE;
  const gint64 start = 1704700800;
  char id[32], other[64], name[64];

  lia_bench_exec (handle, "PRAGMA synchronous = OFF; BEGIN;"
                          "INSERT INTO integrations (name, kind, config, created_at, updated_at)"
                          " VALUES ('Bench', 'rest', '{}', 1, 1)");

  student = lia_bench_prepare (handle, "INSERT INTO students (integration_id, external_id, created_at, updated_at, name, email)"
                                       " VALUES (1, ?1, 1, 1, ?2, ?3)");
  for (int i = 0; i < STUDENTS; i++)
    {
      g_snprintf (id, sizeof id, "STU%06d", i);
      g_snprintf (name, sizeof name, "Élève Numéro %d", i);
      g_snprintf (other, sizeof other, "student%06d@school.example.edu", i);
      sqlite3_bind_text (student, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (student, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (student, 3, other, -1, SQLITE_TRANSIENT);
      lia_bench_step (handle, student);
    }
  sqlite3_finalize (student);

  session = lia_bench_prepare (handle, "INSERT INTO sessions (integration_id, external_id, created_at, updated_at,"
                                       " title, start_at, end_at, subject_id)"
                                       " VALUES (1, ?1, 1, 1, 'Lesson', ?2, ?2 + 3000, 'SUBJ' || (?3 % 12))");
  for (gint64 s = 0; s < n_sessions; s++)
    {
      g_snprintf (id, sizeof id, "SES%08" G_GINT64_FORMAT, s);
      sqlite3_bind_text (session, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (session, 2, start + s * 600);
      sqlite3_bind_int64 (session, 3, s);
      lia_bench_step (handle, session);
    }
  sqlite3_finalize (session);

  record = lia_bench_prepare (handle, "INSERT INTO attendance (integration_id, external_id, created_at, updated_at,"
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
      lia_bench_step (handle, record);
    }
  sqlite3_finalize (record);
  lia_bench_exec (handle, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)");
}

/* --- In the children ---------------------------------------------------- */

/* The export, timed. */
static void
export_cb (gpointer data,
           gpointer result)
{
  const LiaBenchCase *bench_case = data;
  LiaBenchSample *sample = result;
  g_autoptr(GError) error = NULL;
  LiaExportOptions options = { .kind = LIA_EXPORT_MOODLE_RECORDS };
  gint64 begin = g_get_monotonic_time ();

  if (!lia_export_run (bench_case->db_path, &options, bench_case->out_path, NULL, NULL, NULL, &sample->rows, &error))
    lia_bench_die ("%s", error->message);
  sample->seconds = (g_get_monotonic_time () - begin) / 1e6;
  sample->bytes = lia_bench_file_size (bench_case->out_path);
}

/* --- Main ---------------------------------------------------------------- */

static void
measure (const LiaBenchCase *bench_case,
         gpointer            user_data)
{
  LiaBenchSample sample;
  long peak = lia_bench_run_repeated (export_cb, bench_case, "rows", &sample);

  g_print ("| %" G_GINT64_FORMAT " | %.3f | %.0f | %.1f | %.1f |\n", bench_case->n, sample.seconds,
           bench_case->n / sample.seconds, sample.bytes / 1e6, peak / 1024.0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sizes = NULL;
  g_autofree char *dir = NULL;
  int runs = 3;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_STRING, &sizes, "Row counts, comma-separated (default 100000,1000000)", "N,…" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Exports per row count; the median time is shown (default 3)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Work in DIR (default: a new folder in /tmp)", "DIR" },
    { NULL }
  };

  lia_bench_parse_options ("— time Moodle CSV exports", entries, &argc, &argv);
  lia_bench_sweep (&(LiaBenchSweep) {
    .title = "Moodle CSV, records layout: lia_export_run() from SQLite to a file",
    .columns = "| Rows | Seconds | Rows/s | Output MB | Peak RSS MB |\n"
               "| ---: | ---: | ---: | ---: | ---: |\n",
    .sizes = sizes ? sizes : "100000,1000000",
    .option = "--rows",
    .runs = runs,
    .dir = dir,
    .db_prefix = "bench",
    .out_name = "export.csv",
    .fill = fill,
    .measure = measure,
  });
  return 0;
}
