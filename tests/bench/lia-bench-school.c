/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-bench-school"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "lia-bench-school.h"
#include "lia-bench.h"
#include "lia-config.h"
#include "lia-database.h"
#include "lia-integration-store.h"
#include "lia-util.h"

/* The GUI benchmarks' school: a database with 200 integrations and
 * 1,000,000 sync runs over two years, made by direct SQLite inserts.
 *
 * It is made once (it takes a minute) and kept: a database whose meta
 * table holds this file's CACHE_VERSION is used as it is, whatever its
 * size (under the key "bench-gui-startup", the benchmark that made it
 * first). Before each use, the newest run of each integration is moved
 * to a few minutes ago, so that a scheduler finds nothing due and syncs
 * nothing (which would change the database between measures). */

#define CACHE_VERSION "1"
#define HISTORY_DAYS 730

static const char * const schools[] = {
  "Northfield", "Riverside", "St. Anne's", "Hillcrest", "Lakeview", "Oakwood", "Kingsbridge",
  "Meadowbank", "Harbourside", "Westgate", "Elmhurst", "Stonebridge", "Ashford", "Brookfield",
  "Greenhill", "Fairview", "Highland", "Maple Grove", "Seaview", "Valley", "Cedar Park",
  "Sunnyside", "Millbrook", "Pinecrest", "Redwood",
};

static const char * const systems[] = {
  "Student Records", "Attendance", "Timetable", "Gradebook", "Library", "Transport",
};

static const int intervals[] = { 15, 30, 30, 60, 60, 60, 120, 360, 1440 };

typedef enum { KIND_REST, KIND_MOODLE, KIND_CANVAS, KIND_FILE } Kind;

typedef struct {
  gint64  id;
  Kind    kind;
  gboolean enabled;
  gboolean needs_signin;
  gboolean failing;       /* its last run failed */
  int     interval;       /* minutes */
  gint64  first_ms;       /* its first and last runs, Unix ms */
  gint64  last_ms;
  int     population;     /* students it brings */
  double  weight;
  guint   n_runs;
} Integration;

typedef struct {
  gint64  started_at;
  guint16 integration;
} PlannedRun;

/* --- Making the database ------------------------------------------------ */

/* A config of the integration's kind that lia_config_parse_data() accepts,
 * with no secret in it (nothing goes to the keyring). */
static char *
make_config (guint        i,
             Integration *integration)
{
  g_autofree char *name = g_strdup_printf ("%s %s %u", schools[i % G_N_ELEMENTS (schools)],
                                           systems[(i / G_N_ELEMENTS (schools)) % G_N_ELEMENTS (systems)], i + 1);
  const char *enabled = integration->enabled ? "true" : "false";

  switch (integration->kind)
    {
    case KIND_REST:
      return g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"rest\", \"baseUrl\": \"https://sis-%u.schools.example/api/v1\","
                              " \"authType\": %s,"
                              " \"endpoints\": {\"students\": {\"path\": \"/students\", \"recordsPath\": \"data\","
                              "  \"pagination\": {\"style\": \"page\", \"pageParam\": \"page\", \"sizeParam\": \"limit\", \"size\": 500}},"
                              "  \"attendance\": {\"path\": \"/attendance\", \"recordsPath\": \"data\", \"sinceParam\": \"since\"}},"
                              " \"fieldMappings\": {\"students\": {\"externalId\": \"id\", \"name\": \"name\", \"email\": \"email\"},"
                              "  \"attendance\": {\"studentId\": \"studentId\", \"sessionId\": \"sessionId\", \"status\": \"status\","
                              "   \"timestamp\": \"date\"}},"
                              " \"syncInterval\": %d, \"enabled\": %s}",
                              name, i, integration->needs_signin
                                ? "\"oauth2\", \"oauth\": {\"provider\": \"generic\", \"issuer\": \"https://id.schools.example\", \"clientId\": \"liaison\"}"
                                : "\"none\"",
                              integration->interval, enabled);
    case KIND_MOODLE:
      return g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"moodle\", \"baseUrl\": \"https://moodle-%u.schools.example\","
                              " \"syncInterval\": %d, \"enabled\": %s}",
                              name, i, integration->interval, enabled);
    case KIND_CANVAS:
      return g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"canvas\", \"baseUrl\": \"https://canvas-%u.schools.example\","
                              " \"authType\": \"oauth2\", \"oauth\": {\"provider\": \"generic\","
                              "  \"issuer\": \"https://canvas-%u.schools.example\", \"clientId\": \"liaison-%u\"},"
                              " \"endpoints\": {\"subjects\": {\"path\": \"/api/v1/courses\", \"pagination\": {\"style\": \"link\", \"size\": 50}}},"
                              " \"syncInterval\": %d, \"enabled\": %s}",
                              name, i, i, i, integration->interval, enabled);
    case KIND_FILE:
    default:
      return g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"file\", \"folder\": \"/srv/exports/school-%u\","
                              " \"endpoints\": {\"students\": \"students.csv\", \"attendance\": \"attendance-*.csv\"},"
                              " \"fieldMappings\": {\"students\": {\"externalId\": \"student_id\", \"name\": \"full_name\", \"email\": \"email\"},"
                              "  \"attendance\": {\"studentId\": \"student_id\", \"sessionId\": \"session_id\", \"status\": \"status\","
                              "   \"timestamp\": \"marked_at\"}},"
                              " \"syncInterval\": %d, \"enabled\": %s}",
                              name, i, integration->interval, enabled);
    }
}

/* Which data types a run of @kind counts. */
static guint
kind_types (Kind          kind,
            const char  **types)
{
  switch (kind)
    {
    case KIND_MOODLE:
      types[0] = "students", types[1] = "subjects", types[2] = "attendance";
      return 3;
    case KIND_CANVAS:
      types[0] = "subjects";
      return 1;
    case KIND_REST:
    case KIND_FILE:
    default:
      types[0] = "students", types[1] = "attendance";
      return 2;
    }
}

static int
compare_planned (gconstpointer a,
                 gconstpointer b)
{
  const PlannedRun *x = a, *y = b;

  return x->started_at < y->started_at ? -1 : x->started_at > y->started_at;
}

static const char * const error_codes[] = {
  "CONNECTION_ERROR", "CONNECTION_ERROR", "INVALID_CREDENTIALS", "RATE_LIMIT_EXCEEDED", "INVALID_RESPONSE",
};

static const char * const error_messages[] = {
  "Cannot connect to the server: it did not answer within 30 seconds",
  "Cannot connect to the server: connection refused",
  "The server refused the credentials (HTTP 401): check the API key",
  "The server asked us to slow down (HTTP 429) and did not recover after 3 retries",
  "The server’s answer is not valid JSON (unexpected end of data): it may be cut off or not an API response",
};

/* The runs: each integration syncs every `interval` minutes, with jitter,
 * from the day it was added (most in the first months) to now, or to the
 * day it was switched off; the 1,000,000 are shared in proportion. About
 * 93 % succeed, 3.5 % are partial (record errors), 3 % fail, 0.5 % are
 * cancelled; a few integrations fail lately. */
static void
fill_runs (sqlite3     *handle,
           Integration *integrations,
           guint        n_integrations,
           guint        n_runs,
           GRand       *rand)
{
  g_autofree PlannedRun *plan = g_new (PlannedRun, n_runs);
  sqlite3_stmt *run_stmt, *count_stmt, *log_stmt;
  double total_weight = 0;
  guint planned = 0;

  for (guint i = 0; i < n_integrations; i++)
    total_weight += integrations[i].weight;
  for (guint i = 0; i < n_integrations; i++)
    {
      Integration *in = &integrations[i];
      double step;

      in->n_runs = i + 1 < n_integrations ? (guint) (n_runs * in->weight / total_weight) : n_runs - planned;
      step = (double) (in->last_ms - in->first_ms) / MAX (in->n_runs, 1);
      for (guint k = 0; k < in->n_runs; k++)
        {
          gint64 jitter = (gint64) (g_rand_double (rand) * step * 0.2);

          plan[planned + k].started_at = in->first_ms + (gint64) (k * step) + jitter;
          plan[planned + k].integration = i;
        }
      planned += in->n_runs;
    }
  g_assert (planned == n_runs);
  qsort (plan, n_runs, sizeof *plan, compare_planned);

  run_stmt = lia_bench_prepare (handle,
                                "INSERT INTO sync_runs (integration_id, trigger, status, dry_run, started_at, finished_at,"
                                " duration_ms, requests, bytes, error_total, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  count_stmt = lia_bench_prepare (handle,
                                  "INSERT INTO sync_run_counts (run_id, data_type, processed, created, updated, unchanged, deleted, errors)"
                                  " VALUES (?, ?, ?, ?, ?, ?, 0, ?)");
  log_stmt = lia_bench_prepare (handle,
                                "INSERT INTO sync_log (run_id, at, level, code, data_type, external_id, message)"
                                " VALUES (?, ?, ?, ?, ?, ?, ?)");

  lia_bench_exec (handle, "BEGIN");
  for (guint r = 0; r < n_runs; r++)
    {
      Integration *in = &integrations[plan[r].integration];
      const char *types[3];
      guint n_types = kind_types (in->kind, types);
      double roll = g_rand_double (rand);
      gboolean last = plan[r].started_at >= in->last_ms - (gint64) in->interval * 60000 * 2 &&
                      in->failing;
      const char *status = last ? "error"
                         : roll < 0.93 ? "success" : roll < 0.965 ? "partial" : roll < 0.995 ? "error" : "cancelled";
      double trigger_roll = g_rand_double (rand);
      const char *trigger = trigger_roll < 0.92 ? "scheduled" : trigger_roll < 0.99 ? "manual" : "cli";
      gboolean failed = g_str_equal (status, "error");
      int pages = failed ? 1 : 1 + in->population / 500;
      gint64 duration = failed ? g_rand_int_range (rand, 200, 30000)
                               : pages * g_rand_int_range (rand, 150, 900) + g_rand_int_range (rand, 50, 400);
      int errors = g_str_equal (status, "partial") ? g_rand_int_range (rand, 1, 40) : 0;
      guint code = g_rand_int_range (rand, 0, G_N_ELEMENTS (error_codes));
      gint64 run_id;

      sqlite3_bind_int64 (run_stmt, 1, in->id);
      sqlite3_bind_text (run_stmt, 2, trigger, -1, SQLITE_STATIC);
      sqlite3_bind_text (run_stmt, 3, status, -1, SQLITE_STATIC);
      sqlite3_bind_int (run_stmt, 4, g_rand_double (rand) < 0.002);
      sqlite3_bind_int64 (run_stmt, 5, plan[r].started_at);
      sqlite3_bind_int64 (run_stmt, 6, plan[r].started_at + duration);
      sqlite3_bind_int64 (run_stmt, 7, duration);
      sqlite3_bind_int (run_stmt, 8, pages * (int) n_types);
      sqlite3_bind_int64 (run_stmt, 9, failed ? 0 : (gint64) pages * n_types * 180000);
      sqlite3_bind_int (run_stmt, 10, failed ? 1 : errors);
      if (failed)
        sqlite3_bind_text (run_stmt, 11, error_messages[code], -1, SQLITE_STATIC);
      else if (errors > 0)
        sqlite3_bind_text (run_stmt, 11, "Some records could not be read: see the log", -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (run_stmt, 11);
      lia_bench_step (handle, run_stmt);
      run_id = sqlite3_last_insert_rowid (handle);

      for (guint t = 0; t < n_types && !failed; t++)
        {
          int processed = g_str_equal (types[t], "attendance") ? in->population * 6
                        : g_str_equal (types[t], "subjects") ? 40 + in->population / 50
                        : in->population;
          int created = g_rand_int_range (rand, 0, 1 + processed / 100);
          int updated = g_rand_int_range (rand, 0, 1 + processed / 20);
          int type_errors = t == 0 ? errors : 0;

          sqlite3_bind_int64 (count_stmt, 1, run_id);
          sqlite3_bind_text (count_stmt, 2, types[t], -1, SQLITE_STATIC);
          sqlite3_bind_int (count_stmt, 3, processed);
          sqlite3_bind_int (count_stmt, 4, created);
          sqlite3_bind_int (count_stmt, 5, updated);
          sqlite3_bind_int (count_stmt, 6, MAX (processed - created - updated - type_errors, 0));
          sqlite3_bind_int (count_stmt, 7, type_errors);
          lia_bench_step (handle, count_stmt);
        }

      /* The log: the failure, or the first few record errors. */
      for (int e = 0; e < (failed ? 1 : MIN (errors, 3)); e++)
        {
          g_autofree char *external_id = failed ? NULL : g_strdup_printf ("s%d", g_rand_int_range (rand, 1, 99999));

          sqlite3_bind_int64 (log_stmt, 1, run_id);
          sqlite3_bind_int64 (log_stmt, 2, plan[r].started_at + duration);
          sqlite3_bind_text (log_stmt, 3, failed ? "error" : "warning", -1, SQLITE_STATIC);
          sqlite3_bind_text (log_stmt, 4, failed ? error_codes[code] : "MAPPING_ERROR", -1, SQLITE_STATIC);
          sqlite3_bind_text (log_stmt, 5, failed ? NULL : types[0], -1, SQLITE_STATIC);
          sqlite3_bind_text (log_stmt, 6, external_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (log_stmt, 7, failed ? error_messages[code] : "email: not an email address", -1, SQLITE_STATIC);
          lia_bench_step (handle, log_stmt);
        }
    }
  lia_bench_exec (handle, "COMMIT");

  sqlite3_finalize (run_stmt);
  sqlite3_finalize (count_stmt);
  sqlite3_finalize (log_stmt);
}

/* Makes the database at @path (through a temporary file beside it, so
 * that an interrupted run leaves no half-made cache). */
static void
make_database (const char *path,
               guint       n_integrations,
               guint       n_runs)
{
  g_autofree char *tmp_path = g_strconcat (path, ".tmp", NULL);
  g_autofree Integration *integrations = g_new0 (Integration, n_integrations);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240901);
  g_autoptr(GError) error = NULL;
  LiaDatabase *db;
  sqlite3 *handle;
  gint64 now_ms = lia_now_ms ();
  gint64 begin_ms = now_ms - (gint64) HISTORY_DAYS * 86400000;
  gint64 start = g_get_monotonic_time ();

  g_print ("Making %s: %u integrations, %u sync runs (once)...\n", path, n_integrations, n_runs);
  lia_bench_remove_database (tmp_path);

  db = lia_bench_open_database (tmp_path);
  handle = lia_database_get_handle (db);
  lia_bench_exec (handle, "PRAGMA synchronous = OFF");

  for (guint i = 0; i < n_integrations; i++)
    {
      Integration *in = &integrations[i];
      double kind_roll = g_rand_double (rand);
      g_autofree char *json = NULL;
      g_autoptr(LiaConfig) config = NULL;
      g_autoptr(LiaConfigSecrets) secrets = NULL;

      in->kind = kind_roll < 0.5 ? KIND_REST : kind_roll < 0.75 ? KIND_MOODLE : kind_roll < 0.9 ? KIND_CANVAS : KIND_FILE;
      in->enabled = g_rand_double (rand) < 0.85;
      in->needs_signin = in->enabled && (in->kind == KIND_CANVAS || (in->kind == KIND_REST && g_rand_double (rand) < 0.05)) &&
                         g_rand_double (rand) < 0.4;
      in->failing = in->enabled && !in->needs_signin && g_rand_double (rand) < 0.1;
      in->interval = intervals[g_rand_int_range (rand, 0, G_N_ELEMENTS (intervals))];
      in->population = g_rand_int_range (rand, 150, 4000);
      /* A fifth from the start, the others added over the years. */
      in->first_ms = g_rand_double (rand) < 0.2 ? begin_ms
                   : begin_ms + (gint64) (g_rand_double (rand) * (HISTORY_DAYS - 30) * 86400000.0);
      in->last_ms = in->enabled ? now_ms - 10 * 60000
                  : in->first_ms + (gint64) (g_rand_double (rand) * (now_ms - in->first_ms));
      in->weight = (double) (in->last_ms - in->first_ms) / in->interval;

      json = make_config (i, in);
      config = lia_config_parse_data (json, -1, &secrets, &error);
      if (config == NULL)
        g_error ("config %u: %s\n%s", i, error->message, json);
      in->id = lia_integration_store_add (db, config, NULL, &error);
      if (in->id <= 0)
        g_error ("%s", error->message);
    }

  {
    sqlite3_stmt *stmt = lia_bench_prepare (handle, "UPDATE integrations SET created_at = ?, updated_at = ? WHERE id = ?");

    lia_bench_exec (handle, "BEGIN");
    for (guint i = 0; i < n_integrations; i++)
      {
        sqlite3_bind_int64 (stmt, 1, integrations[i].first_ms - 3600000);
        sqlite3_bind_int64 (stmt, 2, integrations[i].first_ms - 3600000);
        sqlite3_bind_int64 (stmt, 3, integrations[i].id);
        lia_bench_step (handle, stmt);
      }
    sqlite3_finalize (stmt);
    stmt = lia_bench_prepare (handle, "UPDATE integrations SET needs_signin = 1 WHERE id = ?");
    for (guint i = 0; i < n_integrations; i++)
      if (integrations[i].needs_signin)
        {
          sqlite3_bind_int64 (stmt, 1, integrations[i].id);
          lia_bench_step (handle, stmt);
        }
    sqlite3_finalize (stmt);
    lia_bench_exec (handle, "COMMIT");
  }

  fill_runs (handle, integrations, n_integrations, n_runs, rand);
  lia_bench_exec (handle, "INSERT INTO meta (key, value) VALUES ('bench-gui-startup', '" CACHE_VERSION "')");
  lia_bench_exec (handle, "PRAGMA wal_checkpoint(TRUNCATE)");
  lia_database_close (db);

  if (g_rename (tmp_path, path) != 0)
    g_error ("Cannot rename %s: %s", tmp_path, g_strerror (errno));
  g_print ("Made in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
}

/* --- The cache ---------------------------------------------------------- */

static gboolean
is_cache_current (const char *path)
{
  g_autoptr(GError) error = NULL;
  LiaDatabase *db;
  sqlite3_stmt *stmt;
  gboolean current = FALSE;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  db = lia_database_open (path, &error);
  if (db == NULL)
    return FALSE;
  stmt = lia_bench_prepare (lia_database_get_handle (db), "SELECT value FROM meta WHERE key = 'bench-gui-startup'");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    current = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), CACHE_VERSION) == 0;
  sqlite3_finalize (stmt);
  lia_database_close (db);
  return current;
}

/* Opens the database as the app would (migrating it if the schema grew
 * since it was made), and moves each integration's newest run to a few
 * minutes ago, so that nothing is due. */
static void
prepare_database (const char *path)
{
  LiaDatabase *db = lia_bench_open_database (path);
  sqlite3 *handle;
  sqlite3_stmt *stmt;
  char sql[512];

  handle = lia_database_get_handle (db);
  g_snprintf (sql, sizeof sql,
              "UPDATE sync_runs SET started_at = %" G_GINT64_FORMAT " - (id %% 7) * 60000,"
              " finished_at = %" G_GINT64_FORMAT " - (id %% 7) * 60000 + duration_ms"
              " WHERE id IN (SELECT (SELECT id FROM sync_runs r WHERE r.integration_id = i.id AND r.dry_run = 0"
              "                      ORDER BY started_at DESC, id DESC LIMIT 1)"
              "              FROM integrations i WHERE i.enabled = 1)",
              lia_now_ms () - 120000, lia_now_ms () - 120000);
  lia_bench_exec (handle, sql);
  stmt = lia_bench_prepare (handle, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  lia_database_close (db);
}

static void
describe_database (const char *path)
{
  LiaDatabase *db = lia_bench_open_database (path);
  sqlite3_stmt *stmt;
  GStatBuf st;

  stmt = lia_bench_prepare (lia_database_get_handle (db),
                            "SELECT (SELECT count(*) FROM integrations),"
                            " (SELECT count(*) FROM integrations WHERE enabled = 0),"
                            " (SELECT count(*) FROM integrations WHERE needs_signin = 1),"
                            " (SELECT count(*) FROM sync_runs),"
                            " (SELECT count(*) FROM sync_runs WHERE status = 'error'),"
                            " (SELECT count(*) FROM sync_run_counts),"
                            " (SELECT count(*) FROM sync_log)");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_print ("Database: %s, %.0f MB: %d integrations (%d off, %d needing a sign-in), %d runs (%d failed),"
             " %d count rows, %d log rows\n",
             path, g_stat (path, &st) == 0 ? st.st_size / 1e6 : 0.0,
             sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1), sqlite3_column_int (stmt, 2),
             sqlite3_column_int (stmt, 3), sqlite3_column_int (stmt, 4), sqlite3_column_int (stmt, 5),
             sqlite3_column_int (stmt, 6));
  sqlite3_finalize (stmt);
  lia_database_close (db);
}

/* --- Public API ---------------------------------------------------------- */

/* Makes the school database at @path unless a current one is there (with
 * @n_integrations and @n_runs, at most G_MAXUINT16 integrations), moves
 * each integration's newest run to a few minutes ago, and prints what the
 * database holds. Ends the program on failure. */
void
lia_bench_prepare_school_database (const char *path,
                                   guint       n_integrations,
                                   guint       n_runs)
{
  g_return_if_fail (path != NULL);
  g_return_if_fail (n_integrations >= 1 && n_integrations <= G_MAXUINT16);
  g_return_if_fail (n_runs >= 1);

  if (!is_cache_current (path))
    make_database (path, n_integrations, n_runs);
  prepare_database (path);
  describe_database (path);
}
