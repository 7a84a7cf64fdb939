/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-sync"

#include "config.h"

#include <glib/gstdio.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lia-bench.h"
#include "lia-database.h"
#include "lia-integration-store.h"
#include "lia-sync-runner.h"

/* The sync benchmark: a local paginated source of N students and N
 * attendance records synced end to end through the real HTTP path and
 * mappings, next to a bare json-glib parse of the same pages and a bare
 * SQLite insert loop of the same rows.
 *
 * Every phase runs in a process of its own (this program re-executed with
 * --phase), so that its getrusage() peak RSS and CPU time are its own; the
 * source server is one more process (--serve), so that its CPU shows apart
 * and it shares neither our allocator nor our heap. */

#define PAGE_SIZE 1000

/* Source data */

static const char * const first_names[] = {
  "Amelia", "Noah", "Olivia", "Liam", "Ava", "Elijah", "Sophia", "Lucas",
  "Isabella", "Mateo", "Mia", "Kwame", "Chiara", "Arjun", "Yuki", "Fatima",
};

static const char * const last_names[] = {
  "Okafor", "Garcia", "Nguyen", "Smith", "Kowalski", "Haddad", "Rossi", "Patel",
  "Johansson", "Moreau", "Tanaka", "Mensah", "Silva", "Murphy", "Novak", "Ibrahim",
};

typedef struct {
  char id[24];
  char name[48];
  char email[80];
} Student;

typedef struct {
  char student_id[24];
  char session_id[24];
  char status[2];       /* as the source sends it: P, A, L or E */
  char date[24];
  const char *method;
} Attendance;

static void
make_student (guint    i,
              Student *s)
{
  const char *first = first_names[i % G_N_ELEMENTS (first_names)];
  const char *last = last_names[(i / G_N_ELEMENTS (first_names)) % G_N_ELEMENTS (last_names)];
  char lower_first[16], lower_last[16];

  g_snprintf (s->id, sizeof s->id, "s%u", i);
  g_snprintf (s->name, sizeof s->name, "%s %s", first, last);
  for (guint j = 0; j < sizeof lower_first; j++)
    if ((lower_first[j] = g_ascii_tolower (first[j])) == '\0')
      break;
  for (guint j = 0; j < sizeof lower_last; j++)
    if ((lower_last[j] = g_ascii_tolower (last[j])) == '\0')
      break;
  g_snprintf (s->email, sizeof s->email, "%s.%s.%u@students.example.edu", lower_first, lower_last, i);
}

/* Record k: one mark a student, in sessions of 25; mostly present. */
static void
make_attendance (guint       k,
                 Attendance *a)
{
  guint session = k / 25;
  guint day = session % 336;
  guint roll = ((k * 2654435761u) >> 24) & 0xff;

  g_snprintf (a->student_id, sizeof a->student_id, "s%u", k);
  g_snprintf (a->session_id, sizeof a->session_id, "sess%u", session);
  a->status[0] = roll < 218 ? 'P' : roll < 236 ? 'A' : roll < 248 ? 'L' : 'E';
  a->status[1] = '\0';
  g_snprintf (a->date, sizeof a->date, "2024-%02u-%02uT%02u:00:00Z",
              1 + day / 28, 1 + day % 28, 8 + session % 8);
  a->method = (k % 3) == 0 ? "manual" : "card";
}

/* What the mapping reads record k's date as (Unix seconds, UTC), without
 * GDateTime in the timed loop. */
static gint64
attendance_timestamp (guint k)
{
  static const int days_before_month_2024[] = { 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335 };
  guint session = k / 25;
  guint day = session % 336;

  return 1704067200 /* 2024-01-01T00:00:00Z */ +
         (gint64) (days_before_month_2024[day / 28] + day % 28) * 86400 + (8 + session % 8) * 3600;
}

static const char *
status_word (const char *code)
{
  switch (code[0])
    {
    case 'P': return "present";
    case 'A': return "absent";
    case 'L': return "late";
    default:  return "excused";
    }
}

/* {"data":[…]} for one page of @n records in all. */
static GBytes *
build_page (gboolean students,
            guint    page,
            guint    limit,
            guint    n)
{
  GString *json = g_string_sized_new ((gsize) limit * 200 + 16);
  guint first = (page - 1) * limit;

  g_string_append (json, "{\"data\":[");
  for (guint i = first; page >= 1 && i < first + limit && i < n; i++)
    {
      if (i > first)
        g_string_append_c (json, ',');
      if (students)
        {
          Student s;

          make_student (i, &s);
          g_string_append_printf (json,
                                  "{\"id\":\"%s\",\"firstName\":\"%s\",\"lastName\":\"%s\",\"name\":\"%s\","
                                  "\"email\":\"%s\",\"grade\":%u,\"homeroom\":\"%uB\",\"dateOfBirth\":\"2009-%02u-%02u\"}",
                                  s.id, first_names[i % G_N_ELEMENTS (first_names)],
                                  last_names[(i / G_N_ELEMENTS (first_names)) % G_N_ELEMENTS (last_names)],
                                  s.name, s.email, 7 + i % 6, 7 + i % 6, 1 + i % 12, 1 + i % 28);
        }
      else
        {
          Attendance a;

          make_attendance (i, &a);
          g_string_append_printf (json,
                                  "{\"studentId\":\"%s\",\"sessionId\":\"%s\",\"status\":\"%s\",\"date\":\"%s\","
                                  "\"method\":\"%s\",\"recordedBy\":\"t%u\",\"room\":\"R%u\"}",
                                  a.student_id, a.session_id, a.status, a.date, a.method,
                                  (i / 25) % 80, (i / 25) % 40);
        }
    }
  g_string_append (json, "]}");
  return g_string_free_to_bytes (json);
}

/* The source server (--serve) */

typedef struct {
  guint      n;
  GPtrArray *pages[2];  /* students, attendance: GBytes of each page, index page - 1 */
} Source;

static void
serve_cb (SoupServer        *server,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Source *source = user_data;
  gboolean students = g_str_equal (path, "/students");
  const char *page_text = query ? g_hash_table_lookup (query, "page") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 page = 1, limit = PAGE_SIZE;
  g_autoptr(GBytes) body = NULL;

  if (!students && !g_str_equal (path, "/attendance"))
    {
      soup_server_message_set_status (message, 404, NULL);
      return;
    }
  if (page_text != NULL)
    g_ascii_string_to_unsigned (page_text, 10, 1, G_MAXUINT, &page, NULL);
  if (limit_text != NULL)
    g_ascii_string_to_unsigned (limit_text, 10, 1, 100000, &limit, NULL);

  if (limit == PAGE_SIZE && page <= source->pages[!students]->len)
    body = g_bytes_ref (g_ptr_array_index (source->pages[!students], page - 1));
  else
    body = build_page (students, (guint) page, (guint) limit, source->n);

  soup_server_message_set_status (message, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (message),
                                         "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (message), body);
}

static gboolean
parent_gone_cb (gint         fd,
                GIOCondition condition,
                gpointer     user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Pre-builds every page once, listens on 127.0.0.1, writes its port on
 * standard output and serves until its standard input closes. */
static int
run_server (guint n)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  Source source = { n };

  for (guint t = 0; t < 2; t++)
    {
      source.pages[t] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      for (guint page = 1; (page - 1) * PAGE_SIZE < n; page++)
        g_ptr_array_add (source.pages[t], build_page (t == 0, page, PAGE_SIZE, n));
    }

  server = soup_server_new ("server-header", "bench-source ", NULL);
  soup_server_add_handler (server, NULL, serve_cb, &source, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("bench-sync: cannot listen: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  printf ("%d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, parent_gone_cb, loop);
  g_main_loop_run (loop);

  g_ptr_array_unref (source.pages[0]);
  g_ptr_array_unref (source.pages[1]);
  return 0;
}

/* Phases (--phase, each in its own process) */

#define CONFIG_TEMPLATE \
  "{\"name\": \"Bench source\", \"kind\": \"rest\", \"baseUrl\": \"%s\"," \
  " \"endpoints\": {" \
  "  \"students\": {\"path\": \"/students\", \"recordsPath\": \"data\"," \
  "   \"pagination\": {\"style\": \"page\", \"pageParam\": \"page\", \"sizeParam\": \"limit\", \"size\": %d}}," \
  "  \"attendance\": {\"path\": \"/attendance\", \"recordsPath\": \"data\"," \
  "   \"pagination\": {\"style\": \"page\", \"pageParam\": \"page\", \"sizeParam\": \"limit\", \"size\": %d}}}," \
  " \"fieldMappings\": {" \
  "  \"students\": {\"externalId\": \"id\", \"name\": \"name\", \"email\": \"email\"}," \
  "  \"attendance\": {\"studentId\": \"studentId\", \"sessionId\": \"sessionId\"," \
  "   \"status\": {\"from\": \"status\", \"map\": {\"P\": \"present\", \"A\": \"absent\", \"L\": \"late\", \"E\": \"excused\"}}," \
  "   \"timestamp\": \"date\", \"method\": \"method\"}}}"

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* One line for the parent: the phase's seconds, its peak RSS (KiB), its
 * CPU seconds, and what it counted. */
static void
report (double      seconds,
        const char *counted)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  printf ("RESULT %.6f %ld %.3f %s\n", seconds, usage.ru_maxrss,
          usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
          usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6,
          counted);
  fflush (stdout);
}

static LiaDatabase *
open_with_integration (const char  *db_path,
                       const char  *url,
                       gint64      *out_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (db_path, &error);
  g_autoptr(GPtrArray) integrations = NULL;

  if (db == NULL)
    g_error ("%s", error->message);
  integrations = lia_integration_store_list (db, &error);
  if (integrations == NULL)
    g_error ("%s", error->message);
  if (integrations->len > 0)
    *out_id = ((LiaIntegration *) g_ptr_array_index (integrations, 0))->id;
  else
    {
      g_autofree char *json = g_strdup_printf (CONFIG_TEMPLATE, url, PAGE_SIZE, PAGE_SIZE);
      g_autoptr(LiaConfigSecrets) secrets = NULL;
      g_autoptr(LiaConfig) config = lia_config_parse_data (json, -1, &secrets, &error);

      if (config == NULL)
        g_error ("%s", error->message);
      *out_id = lia_integration_store_add (db, config, secrets, &error);
      if (*out_id <= 0)
        g_error ("%s", error->message);
    }
  return g_steal_pointer (&db);
}

/* The whole engine: lia_sync_run_blocking() against the source. */
static int
phase_sync (const char *db_path,
            const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaSyncRun) run = NULL;
  g_autofree char *counted = NULL;
  LiaSyncOptions options = { 0 };
  gint64 id, start;
  LiaSyncCounts total = { 0 };

  /* The integration row is set up (and the connection closed) first. */
  lia_database_close (open_with_integration (db_path, url, &id));

  options.integration_id = id;
  options.trigger = "cli";
  start = g_get_monotonic_time ();
  run = lia_sync_run_blocking (db_path, &options, NULL, NULL, NULL, &error);
  if (run == NULL)
    g_error ("%s", error->message);

  for (guint t = 0; t < LIA_N_DATA_TYPES; t++)
    {
      total.processed += run->counts[t].processed;
      total.created += run->counts[t].created;
      total.updated += run->counts[t].updated;
      total.unchanged += run->counts[t].unchanged;
      total.errors += run->counts[t].errors;
    }
  counted = g_strdup_printf ("%s processed=%" G_GINT64_FORMAT " created=%" G_GINT64_FORMAT
                             " updated=%" G_GINT64_FORMAT " unchanged=%" G_GINT64_FORMAT
                             " errors=%" G_GINT64_FORMAT " requests=%" G_GINT64_FORMAT,
                             run->status, total.processed, total.created, total.updated,
                             total.unchanged, total.errors, run->requests);
  report (seconds_since (start), counted);
  return g_str_equal (run->status, "success") ? 0 : 1;
}

/* Fetches every page the sync fetches into memory, then times only
 * json_parser_load_from_data() over them, one parser a page as
 * lia_http_parse_json() does. */
static int
phase_parse (const char *url,
             guint       n)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *counted = NULL;
  gint64 parse_us = 0;
  gsize bytes = 0;

  for (guint t = 0; t < 2; t++)
    for (guint page = 1; ; page++)
      {
        g_autofree char *page_url = g_strdup_printf ("%s/%s?limit=%d&page=%u", url,
                                                     t == 0 ? "students" : "attendance", PAGE_SIZE, page);
        g_autoptr(SoupMessage) message = soup_message_new ("GET", page_url);
        g_autoptr(GError) error = NULL;
        GBytes *body = soup_session_send_and_read (session, message, NULL, &error);

        if (body == NULL)
          g_error ("%s", error->message);
        g_ptr_array_add (pages, body);
        bytes += g_bytes_get_size (body);
        /* As the engine stops: on a short (here, the empty) page. */
        if ((page - 1) * PAGE_SIZE >= n || page * PAGE_SIZE > n)
          break;
      }

  for (guint i = 0; i < pages->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      gsize length;
      const char *data = g_bytes_get_data (g_ptr_array_index (pages, i), &length);
      gint64 start = g_get_monotonic_time ();

      if (!json_parser_load_from_data (parser, data, (gssize) length, &error))
        g_error ("%s", error->message);
      parse_us += g_get_monotonic_time () - start;
    }

  counted = g_strdup_printf ("pages=%u bytes=%" G_GSIZE_FORMAT, pages->len, bytes);
  report ((double) parse_us / G_USEC_PER_SEC, counted);
  return 0;
}

static void
check_sqlite (sqlite3 *handle,
              int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    g_error ("SQLite: %s", sqlite3_errmsg (handle));
}

/* What lia-sync-writer.c sets on its connection; the ceiling runs with it
 * too, so that it measures SQLite and not a setting. */
#define WRITER_PRAGMAS "PRAGMA cache_size = -8192; PRAGMA wal_autocheckpoint = 10000"

/* The ceiling: the same 2N rows into the same tables (same columns,
 * indexes, unique keys and pragmas, through lia_database_open()) by a
 * minimal prepared-statement loop, one transaction a page. */
static int
phase_sqlite (const char *db_path,
              const char *url,
              guint       n)
{
  g_autoptr(LiaDatabase) db = NULL;
  sqlite3 *handle;
  sqlite3_stmt *insert[2];
  g_autofree char *counted = NULL;
  gint64 id, start, now_ms = g_get_real_time () / 1000;
  gint64 rows = 0;

  db = open_with_integration (db_path, url, &id);
  handle = lia_database_get_handle (db);
  check_sqlite (handle, sqlite3_exec (handle, WRITER_PRAGMAS, NULL, NULL, NULL));
  check_sqlite (handle, sqlite3_prepare_v2 (handle,
                "INSERT INTO students (integration_id, external_id, content_hash, created_at, updated_at,"
                " name, email) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)", -1, &insert[0], NULL));
  check_sqlite (handle, sqlite3_prepare_v2 (handle,
                "INSERT INTO attendance (integration_id, external_id, content_hash, created_at, updated_at,"
                " student_id, session_id, status, timestamp, method) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7, ?8, ?9)",
                -1, &insert[1], NULL));

  /* The arithmetic above agrees with GDateTime. */
  for (guint k = 0; k < MIN (n, 336 * 25 * 8); k += 25)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) dt = NULL;
      Attendance a;

      make_attendance (k, &a);
      dt = g_date_time_new_from_iso8601 (a.date, utc);
      g_assert_cmpint (g_date_time_to_unix (dt), ==, attendance_timestamp (k));
    }

  start = g_get_monotonic_time ();
  for (guint t = 0; t < 2; t++)
    for (guint i = 0; i < n; i++)
      {
        sqlite3_stmt *stmt = insert[t];

        if (i % PAGE_SIZE == 0)
          check_sqlite (handle, sqlite3_exec (handle, "BEGIN IMMEDIATE", NULL, NULL, NULL));

        sqlite3_bind_int64 (stmt, 1, id);
        sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) i * 0x9e3779b97f4a7c15);
        sqlite3_bind_int64 (stmt, 4, now_ms);
        if (t == 0)
          {
            Student s;

            make_student (i, &s);
            sqlite3_bind_text (stmt, 2, s.id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (stmt, 5, s.name, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (stmt, 6, s.email, -1, SQLITE_TRANSIENT);
            check_sqlite (handle, sqlite3_step (stmt));
          }
        else
          {
            Attendance a;
            char external_id[48];

            make_attendance (i, &a);
            g_snprintf (external_id, sizeof external_id, "%s/%s", a.student_id, a.session_id);
            sqlite3_bind_text (stmt, 2, external_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (stmt, 5, a.student_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (stmt, 6, a.session_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text (stmt, 7, status_word (a.status), -1, SQLITE_STATIC);
            sqlite3_bind_int64 (stmt, 8, attendance_timestamp (i));
            sqlite3_bind_text (stmt, 9, a.method, -1, SQLITE_STATIC);
            check_sqlite (handle, sqlite3_step (stmt));
          }
        sqlite3_reset (stmt);
        rows++;

        if (i % PAGE_SIZE == PAGE_SIZE - 1 || i == n - 1)
          check_sqlite (handle, sqlite3_exec (handle, "COMMIT", NULL, NULL, NULL));
      }

  counted = g_strdup_printf ("rows=%" G_GINT64_FORMAT, rows);
  report (seconds_since (start), counted);
  sqlite3_finalize (insert[0]);
  sqlite3_finalize (insert[1]);
  return 0;
}

/* The parent */

typedef struct {
  double  seconds;
  long    rss_kb;
  double  cpu;         /* the phase process's user + system seconds */
  double  server_cpu;  /* the source server's, during the phase */
  char   *counted;
} Result;

static char *self_path;

static double
process_cpu (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  const char *p;
  unsigned long utime = 0, stime = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (p = strrchr (text, ')')) == NULL)
    return 0;
  /* After "(comm)": state, then fields 4… ; utime and stime are 14 and 15. */
  if (sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return 0;
  return (double) (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

static gboolean
run_phase (const char *phase,
           guint       n,
           const char *url,
           const char *db_path,
           GPid        server,
           Result     *result)
{
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  const char *argv[] = { self_path, "--phase", phase, "--n", n_text, "--url", url, "--db", db_path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  char *line;
  double server_before = process_cpu (server);
  int status, rest = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error))
    g_error ("%s", error->message);
  result->server_cpu = process_cpu (server) - server_before;
  line = out ? strstr (out, "RESULT ") : NULL;
  if (!g_spawn_check_wait_status (status, &error) || line == NULL)
    {
      g_printerr ("bench-sync: phase %s failed: %s\n%s", phase, error ? error->message : "no result", out ? out : "");
      return FALSE;
    }
  if (sscanf (line, "RESULT %lf %ld %lf %n", &result->seconds, &result->rss_kb, &result->cpu, &rest) < 3)
    return FALSE;
  result->counted = g_strndup (line + rest, strcspn (line + rest, "\n"));
  return TRUE;
}

static GPid
start_server (guint  n,
              int   *out_stdin,
              char **out_url)
{
  g_autofree char *n_text = g_strdup_printf ("%u", n);
  const char *argv[] = { self_path, "--serve", "--n", n_text, NULL };
  g_autoptr(GError) error = NULL;
  char port[32] = { 0 };
  int out_fd;
  GPid pid;
  gsize got = 0;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &pid, out_stdin, &out_fd, NULL, &error))
    g_error ("%s", error->message);
  while (got < sizeof port - 1 && !strchr (port, '\n'))
    {
      ssize_t r = read (out_fd, port + got, sizeof port - 1 - got);
      if (r <= 0)
        g_error ("bench-sync: the source server did not start");
      got += (gsize) r;
    }
  close (out_fd);
  *out_url = g_strdup_printf ("http://127.0.0.1:%d", atoi (port));
  return pid;
}

static void
stop_server (GPid pid,
             int  stdin_fd)
{
  close (stdin_fd);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

/* The database, its WAL and the sync lock beside it. */
static void
remove_db (const char *db_path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *locks = g_strconcat (db_path, ".locks", NULL);
  g_autoptr(GDir) dir = g_dir_open (locks, 0, NULL);
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
      g_unlink (path);
    }
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (locks, name, NULL);
      g_unlink (path);
    }
  g_rmdir (locks);
}

/* The first field of /proc/loadavg. */
static char *
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  return g_strndup (text, strcspn (text, " "));
}

static char *
describe_machine (void)
{
  g_autofree char *cpus = lia_bench_describe_cpus ();

  return g_strdup_printf ("%s; SQLite %s, json-glib %s, libsoup %u.%u.%u", cpus, sqlite3_libversion (),
                          JSON_VERSION_S, soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version ());
}

static int
compare_results (gconstpointer a,
                 gconstpointer b)
{
  double x = ((const Result *) a)->seconds, y = ((const Result *) b)->seconds;
  return x < y ? -1 : x > y;
}

enum { PHASE_PARSE, PHASE_FIRST, PHASE_RESYNC, PHASE_SQLITE, N_PHASES };

static const char * const phase_titles[N_PHASES] = {
  "json-glib parse only",
  "first sync",
  "re-sync, unchanged",
  "SQLite insert loop (ceiling)",
};

static int
run_benchmark (GArray *sizes,
               guint   runs)
{
  g_autofree char *tmpdir = g_dir_make_tmp ("liaison-bench-XXXXXX", NULL);
  g_autofree char *sync_db = g_build_filename (tmpdir, "sync.db", NULL);
  g_autofree char *ceiling_db = g_build_filename (tmpdir, "ceiling.db", NULL);
  g_autoptr(GString) table = g_string_new (NULL);
  g_autoptr(GString) best = g_string_new (NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autofree char *machine = describe_machine ();
  g_autofree char *load_before = load_average ();
  g_autofree char *load_after = NULL;

  for (guint i = 0; i < 2; i++)
    g_string_append_printf (i == 0 ? table : best,
                            "%s\n\n"
                            "| N | phase | seconds | records/s | ratio to parse | peak RSS MB | CPU s (proc) | CPU s (server) |\n"
                            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
                            i == 0 ? "Median of the runs:" : "Best of the runs (the least disturbed by other work):");

  for (guint s = 0; s < sizes->len; s++)
    {
      guint n = g_array_index (sizes, guint, s);
      Result results[N_PHASES][9] = { 0 };
      g_autofree char *url = NULL;
      int server_stdin;
      GPid server = start_server (n, &server_stdin, &url);

      for (guint r = 0; r < runs; r++)
        {
          g_printerr ("bench-sync: N = %u, run %u of %u\n", n, r + 1, runs);
          remove_db (sync_db);
          remove_db (ceiling_db);
          if (!run_phase ("parse", n, url, sync_db, server, &results[PHASE_PARSE][r]) ||
              !run_phase ("sync", n, url, sync_db, server, &results[PHASE_FIRST][r]) ||
              !run_phase ("sync", n, url, sync_db, server, &results[PHASE_RESYNC][r]) ||
              !run_phase ("sqlite", n, url, ceiling_db, server, &results[PHASE_SQLITE][r]))
            return 1;
          for (guint p = 0; p < N_PHASES; p++)
            g_printerr ("  %-30s %8.3f s  %6.1f MB  %s\n", phase_titles[p], results[p][r].seconds,
                        results[p][r].rss_kb / 1024.0, results[p][r].counted);
        }
      stop_server (server, server_stdin);

      for (guint p = 0; p < N_PHASES; p++)
        qsort (results[p], runs, sizeof (Result), compare_results);

      for (guint i = 0; i < 2; i++)
        for (guint p = 0; p < N_PHASES; p++)
          {
            guint at = i == 0 ? runs / 2 : 0;
            const Result *m = &results[p][at];
            double parse = results[PHASE_PARSE][at].seconds;

            g_string_append_printf (i == 0 ? table : best, "| %u | %s | %.2f | %.0f | %.2f× | %.1f%s | %.2f | %.2f |\n",
                                    n, phase_titles[p], m->seconds, 2.0 * n / m->seconds, m->seconds / parse,
                                    m->rss_kb / 1024.0, p == PHASE_PARSE ? " ¹" : "", m->cpu,
                                    p == PHASE_FIRST || p == PHASE_RESYNC ? m->server_cpu : 0.0);
          }
      for (guint p = 0; p < N_PHASES; p++)
        for (guint r = 0; r < runs; r++)
          g_free (results[p][r].counted);
    }

  load_after = load_average ();
  g_string_append_printf (notes,
                          "\n%s; load average %s before, %s after.\n"
                          "%u run(s) a size, each phase ranked by time. Records are students + attendance (2N). "
                          "Peak RSS is getrusage(RUSAGE_SELF).ru_maxrss of the phase's own process; "
                          "CPU s (proc) is that process's user + system time, CPU s (server) the source's "
                          "during the phase.\n"
                          "¹ The parse phase holds every page in memory at once, so its RSS is not comparable.\n",
                          machine, load_before, load_after, runs);
  printf ("%s\n%s%s", table->str, best->str, notes->str);

  remove_db (sync_db);
  remove_db (ceiling_db);
  g_rmdir (tmpdir);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) n_texts = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *url = NULL;
  g_autofree char *db_path = NULL;
  gboolean serve = FALSE;
  int runs = 1;
  GOptionEntry entries[] = {
    { "n", 0, 0, G_OPTION_ARG_STRING_ARRAY, &n_texts, "Records of each type (repeatable; default 100000 and 1000000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each size; the table shows medians (default 1)", "R" },
    { "serve", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &serve, NULL, NULL },
    { "phase", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &phase, NULL, NULL },
    { "url", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &url, NULL, NULL },
    { "db", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &db_path, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new ("— benchmark the sync engine against a local source");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-sync: %s\n", error->message);
      return 2;
    }
  for (guint i = 0; n_texts != NULL && n_texts[i] != NULL; i++)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (n_texts[i], 10, 1, G_MAXUINT32 / 2, &n, &error))
        {
          g_printerr ("bench-sync: --n: %s\n", error->message);
          return 2;
        }
      g_array_append_val (sizes, n);
    }
  if (sizes->len == 0)
    {
      guint defaults[] = { 100000, 1000000 };
      g_array_append_vals (sizes, defaults, G_N_ELEMENTS (defaults));
    }
  if (runs < 1 || runs > 9)
    {
      g_printerr ("bench-sync: --runs must be between 1 and 9\n");
      return 2;
    }

  if (serve)
    return run_server (g_array_index (sizes, guint, 0));
  if (phase != NULL)
    {
      guint n = g_array_index (sizes, guint, 0);

      if (url == NULL || db_path == NULL)
        return 2;
      if (g_str_equal (phase, "sync"))
        return phase_sync (db_path, url);
      if (g_str_equal (phase, "parse"))
        return phase_parse (url, n);
      if (g_str_equal (phase, "sqlite"))
        return phase_sqlite (db_path, url, n);
      return 2;
    }

  self_path = g_file_read_link ("/proc/self/exe", &error);
  if (self_path == NULL)
    {
      g_printerr ("bench-sync: %s\n", error->message);
      return 1;
    }
  return run_benchmark (sizes, (guint) runs);
}
