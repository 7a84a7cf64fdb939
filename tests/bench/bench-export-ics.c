/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-export-ics"

#include "config.h"

#include <glib/gstdio.h>

#include "lia-bench.h"
#include "lia-database.h"
#include "lia-export.h"
#include "lia-ics-private.h"
#include "lia-vtimezone.h"

/* The iCalendar benchmark: N sessions over a school year (Europe/Paris,
 * weekdays from September to early July, eight periods a day, with their
 * subjects and teachers) written straight into a database with SQLite,
 * then exported with lia_export_run() to a file, as
 * `liaison-cli export ics -o FILE` does.
 *
 * Each database is filled in a process of its own, and each export runs in
 * a fresh forked process, so that the peak RSS wait4() reports is that
 * export's alone. Time is the export's wall clock, from opening the
 * database to the file renamed into place (and fsync()ed).
 *
 * With --tree, the same events are also built as one libical tree and
 * serialized at once, the way not taken, for comparison. */

#define SUBJECTS 20
#define TEACHERS 40
#define PERIODS 8

static const char * const subjects[SUBJECTS] = {
  "Mathématiques", "Français", "Histoire-géographie", "Anglais", "Espagnol",
  "Allemand", "Physique-chimie", "SVT", "Technologie", "Éducation musicale",
  "Arts plastiques", "EPS", "Latin", "Grec ancien", "Philosophie",
  "SES", "NSI", "Chinois (中文)", "Arabe (العربية)", "Enseignement moral et civique",
};

/* Writes the calendar of the database at @db_path to @out_path. */
typedef void (*WriteFunc) (const char     *db_path,
                           const char     *out_path,
                           LiaBenchSample *sample);

/* The weekdays of the 2024–2025 school year, as Unix seconds of their
 * local midnight in Paris. */
static GArray *
school_days (void)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GDateTime) day = g_date_time_new (paris, 2024, 9, 2, 0, 0, 0);
  GArray *days = g_array_new (FALSE, FALSE, sizeof (gint64));

  while (g_date_time_get_year (day) < 2025 || g_date_time_get_month (day) < 7 ||
         g_date_time_get_day_of_month (day) <= 4)
    {
      GDateTime *next = g_date_time_add_days (day, 1);

      if (g_date_time_get_day_of_week (day) <= 5)
        {
          gint64 midnight = g_date_time_to_unix (day);

          g_array_append_val (days, midnight);
        }
      g_date_time_unref (day);
      day = next;
    }
  return days;
}

static void
fill (const char *db_path,
      gint64      n_sessions)
{
  g_autoptr(LiaDatabase) db = lia_bench_open_database (db_path);
  g_autoptr(GArray) days = school_days ();
  gint64 per_day = (n_sessions + days->len - 1) / days->len;
  sqlite3 *handle = lia_database_get_handle (db);
  sqlite3_stmt *stmt;

  lia_bench_exec (handle, "BEGIN");
  lia_bench_exec (handle,
                  "INSERT INTO integrations (id, name, kind, config, created_at, updated_at) VALUES"
                  " (1, 'Lycée', 'file', '{\"name\":\"Lycée\",\"kind\":\"file\",\"folder\":\"/srv\","
                  "\"timezone\":\"Europe/Paris\"}', 0, 0)");

  stmt = lia_bench_prepare (handle,
                            "INSERT INTO subjects (integration_id, external_id, code, name, created_at, updated_at)"
                            " VALUES (1, ?1, ?1, ?2, 0, 0)");
  for (int i = 0; i < SUBJECTS; i++)
    {
      char code[16];

      g_snprintf (code, sizeof code, "SUB%02d", i);
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, subjects[i], -1, SQLITE_STATIC);
      lia_bench_step (handle, stmt);
    }
  sqlite3_finalize (stmt);

  stmt = lia_bench_prepare (handle,
                            "INSERT INTO faculty (integration_id, external_id, name, email, created_at, updated_at)"
                            " VALUES (1, ?1, ?2, ?3, 0, 0)");
  for (int i = 0; i < TEACHERS; i++)
    {
      char id[16], name[64], email[64];

      g_snprintf (id, sizeof id, "FAC%03d", i);
      g_snprintf (name, sizeof name, "Professeur·e Numéro %d", i);
      g_snprintf (email, sizeof email, "prof%03d@lycee.example.fr", i);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, email, -1, SQLITE_TRANSIENT);
      lia_bench_step (handle, stmt);
    }
  sqlite3_finalize (stmt);

  stmt = lia_bench_prepare (handle,
                            "INSERT INTO sessions (integration_id, external_id, title, start_at, end_at, location,"
                            "                      subject_id, faculty_id, description, meeting_url, sequence,"
                            "                      created_at, updated_at)"
                            " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1719792000000, ?11)");
  for (gint64 s = 0; s < n_sessions; s++)
    {
      gint64 day = g_array_index (days, gint64, MIN (s / per_day, (gint64) days->len - 1));
      int period = (int) (s % PERIODS);
      int group = (int) ((s / PERIODS) % 36);
      int subject = (int) ((s * 7 + s / PERIODS) % SUBJECTS);
      gint64 start = day + (8 + period) * 3600 + (period >= 4 ? 1800 : 0);
      char id[24], title[96], location[32], subject_id[16], teacher_id[16], url[64];

      g_snprintf (id, sizeof id, "SES%08" G_GINT64_FORMAT, s);
      g_snprintf (title, sizeof title, "%s — %d%c", subjects[subject], 2 + group / 6, 'A' + group % 6);
      g_snprintf (location, sizeof location, "Salle %d", 100 + group * 3 % 60);
      g_snprintf (subject_id, sizeof subject_id, "SUB%02d", subject);
      g_snprintf (teacher_id, sizeof teacher_id, "FAC%03d", (int) ((subject * 2 + group) % TEACHERS));
      g_snprintf (url, sizeof url, "https://visio.lycee.example.fr/salle-%" G_GINT64_FORMAT, s % 997);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, start);
      sqlite3_bind_int64 (stmt, 4, start + 55 * 60);
      sqlite3_bind_text (stmt, 5, location, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, subject_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, teacher_id, -1, SQLITE_TRANSIENT);
      if (s % 7 == 0)
        sqlite3_bind_text (stmt, 8, "Apportez calculatrice, rapporteur; et cahier.\nContrôle la semaine prochaine.",
                           -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 8);
      if (s % 5 == 0)
        sqlite3_bind_text (stmt, 9, url, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 9);
      sqlite3_bind_int (stmt, 10, (int) (s % 3));
      sqlite3_bind_int64 (stmt, 11, 1725000000000 + s * 1000);
      lia_bench_step (handle, stmt);
    }
  sqlite3_finalize (stmt);
  lia_bench_exec (handle, "COMMIT");
}

static void
write_streamed (const char     *db_path,
                const char     *out_path,
                LiaBenchSample *sample)
{
  g_autoptr(GError) error = NULL;
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS };

  if (!lia_export_run (db_path, &options, out_path, NULL, NULL, NULL, &sample->rows, &error))
    lia_bench_die ("%s", error->message);
}

/* The way not taken: every VEVENT into one VCALENDAR, serialized once. */
static void
write_tree (const char     *db_path,
            const char     *out_path,
            LiaBenchSample *sample)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_bench_open_database (db_path);
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(LiaVTimezone) zone = NULL;
  g_autoptr(icalcomponent) calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  struct icaltimetype now;
  sqlite3_stmt *stmt;
  char *text;

  stmt = lia_bench_prepare (lia_database_get_handle (db),
                            "SELECT s.external_id, s.title, s.start_at, s.end_at, s.location, s.description,"
                            "       s.sequence, s.updated_at, j.name, f.name, MIN(s.start_at) OVER (), MAX(s.end_at) OVER ()"
                            "  FROM sessions AS s"
                            "  LEFT JOIN subjects AS j ON j.integration_id = s.integration_id AND j.external_id = s.subject_id"
                            "  LEFT JOIN faculty AS f ON f.integration_id = s.integration_id AND f.external_id = s.faculty_id"
                            " ORDER BY s.start_at, s.id");
  now = lia_vtimezone_utc_time (g_get_real_time () / G_USEC_PER_SEC);
  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Liaison//Liaison " PACKAGE_VERSION "//EN"));
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      icalcomponent *event = icalcomponent_new (ICAL_VEVENT_COMPONENT);
      g_autofree char *uid = g_strdup_printf ("%s-1@bench.liaison.invalid", sqlite3_column_text (stmt, 0));
      g_autofree char *description = g_strdup_printf ("Teacher: %s\nSubject: %s\n%s",
                                                      sqlite3_column_text (stmt, 9), sqlite3_column_text (stmt, 8),
                                                      sqlite3_column_text (stmt, 5) ? (const char *) sqlite3_column_text (stmt, 5) : "");

      if (zone == NULL)
        {
          zone = lia_vtimezone_new ("Europe/Paris", paris, sqlite3_column_int64 (stmt, 10), sqlite3_column_int64 (stmt, 11));
          icalcomponent_add_component (calendar, icalcomponent_new_clone (lia_vtimezone_get_component (zone)));
        }
      icalcomponent_add_property (event, icalproperty_new_uid (uid));
      icalcomponent_add_property (event, icalproperty_new_dtstamp (now));
      icalcomponent_set_dtstart (event, lia_vtimezone_to_local (zone, sqlite3_column_int64 (stmt, 2)));
      icalcomponent_set_dtend (event, lia_vtimezone_to_local (zone, sqlite3_column_int64 (stmt, 3)));
      icalcomponent_add_property (event, icalproperty_new_summary ((const char *) sqlite3_column_text (stmt, 1)));
      icalcomponent_add_property (event, icalproperty_new_location ((const char *) sqlite3_column_text (stmt, 4)));
      icalcomponent_add_property (event, icalproperty_new_description (description));
      icalcomponent_add_property (event, icalproperty_new_categories ((const char *) sqlite3_column_text (stmt, 8)));
      icalcomponent_add_property (event, icalproperty_new_lastmodified (
        lia_vtimezone_utc_time (sqlite3_column_int64 (stmt, 7) / 1000)));
      icalcomponent_add_property (event, icalproperty_new_sequence (sqlite3_column_int (stmt, 6)));
      icalcomponent_add_component (calendar, event);
      sample->rows++;
    }
  sqlite3_finalize (stmt);

  text = icalcomponent_as_ical_string_r (calendar);
  if (!g_file_set_contents (out_path, text, -1, &error))
    lia_bench_die ("%s", error->message);
  icalmemory_free_buffer (text);
}

/* --- In the children ---------------------------------------------------- */

/* Times @writer, from opening the database to the file in place. */
static void
write_timed (const LiaBenchCase *bench_case,
             LiaBenchSample     *sample,
             WriteFunc           writer)
{
  gint64 begin = g_get_monotonic_time ();

  writer (bench_case->db_path, bench_case->out_path, sample);
  sample->seconds = (g_get_monotonic_time () - begin) / 1e6;
  sample->bytes = lia_bench_file_size (bench_case->out_path);
}

static void
streamed_cb (gpointer data,
             gpointer result)
{
  write_timed (data, result, write_streamed);
}

static void
tree_cb (gpointer data,
         gpointer result)
{
  write_timed (data, result, write_tree);
}

/* --- Main ---------------------------------------------------------------- */

static void
print_row (const char           *what,
           gint64                n_sessions,
           const LiaBenchSample *sample,
           long                  peak_kb)
{
  g_print ("| %s | %" G_GINT64_FORMAT " | %.3f | %.0f | %.1f | %.1f |\n", what, n_sessions, sample->seconds,
           n_sessions / sample->seconds, sample->bytes / 1e6, peak_kb / 1024.0);
}

static void
measure (const LiaBenchCase *bench_case,
         gpointer            user_data)
{
  const gboolean *tree = user_data;
  LiaBenchSample sample;
  long peak = lia_bench_run_repeated (streamed_cb, bench_case, "events", &sample);

  print_row ("streamed (lia_export_run)", bench_case->n, &sample, peak);
  if (*tree)
    {
      peak = lia_bench_run_child (tree_cb, (gpointer) bench_case, &sample, sizeof sample);
      print_row ("one libical tree", bench_case->n, &sample, peak);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *sizes = NULL;
  g_autofree char *dir = NULL;
  gboolean tree = FALSE;
  int runs = 3;
  GOptionEntry entries[] = {
    { "sessions", 0, 0, G_OPTION_ARG_STRING, &sizes, "Session counts, comma-separated (default 10000,100000)", "N,…" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Exports per count; the median time is shown (default 3)", "N" },
    { "tree", 0, 0, G_OPTION_ARG_NONE, &tree, "Also build the whole calendar as one libical tree, for comparison", NULL },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Work in DIR (default: a new folder in /tmp)", "DIR" },
    { NULL }
  };

  lia_bench_parse_options ("— time iCalendar exports", entries, &argc, &argv);
  lia_bench_sweep (&(LiaBenchSweep) {
    .title = "iCalendar: lia_export_run() from SQLite to a file, Europe/Paris",
    .columns = "| Writer | Sessions | Seconds | Events/s | Output MB | Peak RSS MB |\n"
               "| --- | ---: | ---: | ---: | ---: | ---: |\n",
    .sizes = sizes ? sizes : "10000,100000",
    .option = "--sessions",
    .runs = runs,
    .dir = dir,
    .db_prefix = "bench-ics",
    .out_name = "export.ics",
    .fill = fill,
    .measure = measure,
    .user_data = &tree,
  });
  return 0;
}
