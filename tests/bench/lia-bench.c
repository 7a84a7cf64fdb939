/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lia-bench.h"

/* --- Static helpers ------------------------------------------------------ */

/* g_option_context_parse() sets the program's name; before it, there is
 * none to prefix messages and name the work folder with. */
static const char *
program_name (void)
{
  const char *name = g_get_prgname ();

  return name != NULL ? name : "bench";
}

static G_NORETURN void
die_with (int         status,
          const char *format,
          va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  g_printerr ("%s: %s\n", program_name (), message);
  exit (status);
}

/* Moves all @size bytes through a pipe, whatever chunks it takes them in. */
static gboolean
transfer_all (int       fd,
              char     *buffer,
              gsize     size,
              gboolean  writing)
{
  while (size > 0)
    {
      gssize n = writing ? write (fd, buffer, size) : read (fd, buffer, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buffer += n;
      size -= n;
    }
  return TRUE;
}

/* A copy of @dir, or when it is NULL a new folder in the temporary
 * directory, named after the program, for the caller to remove. */
static char *
make_work_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template = NULL;
  char *made;

  if (dir != NULL)
    return g_strdup (dir);
  template = g_strconcat (program_name (), "-XXXXXX", NULL);
  made = g_dir_make_tmp (template, &error);
  if (made == NULL)
    lia_bench_die ("%s", error->message);
  return made;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* --- Ending the program -------------------------------------------------- */

void
lia_bench_die (const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  die_with (1, format, args);
}

void
lia_bench_die_usage (const char *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  die_with (2, format, args);
}

/* --- The command line ---------------------------------------------------- */

/* Parses @entries out of @argc and @argv (handling --help), or ends the
 * program with status 2. */
void
lia_bench_parse_options (const char         *parameter_string,
                         const GOptionEntry *entries,
                         int                *argc,
                         char             ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter_string);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    lia_bench_die_usage ("%s", error->message);
}

/* One of a comma-separated list of sizes given to @option; anything but a
 * positive number ends the program with status 2. */
gint64
lia_bench_parse_count (const char *option,
                       const char *text)
{
  gint64 n = g_ascii_strtoll (text, NULL, 10);

  if (n <= 0)
    lia_bench_die_usage ("%s: “%s” is not a positive number", option, text);
  return n;
}

/* --- SQLite -------------------------------------------------------------- */

LiaDatabase *
lia_bench_open_database (const char *path)
{
  g_autoptr(GError) error = NULL;
  LiaDatabase *db = lia_database_open (path, &error);

  if (db == NULL)
    lia_bench_die ("%s", error->message);
  return db;
}

void
lia_bench_exec (sqlite3    *handle,
                const char *sql)
{
  if (sqlite3_exec (handle, sql, NULL, NULL, NULL) != SQLITE_OK)
    lia_bench_die ("%s: %s", sql, sqlite3_errmsg (handle));
}

sqlite3_stmt *
lia_bench_prepare (sqlite3    *handle,
                   const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    lia_bench_die ("%s: %s", sql, sqlite3_errmsg (handle));
  return stmt;
}

/* Runs a statement that returns no rows (an INSERT, an UPDATE) and resets
 * it for the next bindings. */
void
lia_bench_step (sqlite3      *handle,
                sqlite3_stmt *stmt)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    lia_bench_die ("%s: %s", sqlite3_sql (stmt), sqlite3_errmsg (handle));
  sqlite3_reset (stmt);
}

/* Removes the database at @path with the files SQLite keeps beside it. */
void
lia_bench_remove_database (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* --- Files --------------------------------------------------------------- */

/* The size of the file at @path, or 0 when there is none. */
gint64
lia_bench_file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

/* --- Measuring ----------------------------------------------------------- */

/* Runs func (@data, @result) in a forked child, so that the peak RSS
 * wait4() reports is that run's alone, and copies the child's @result
 * (@result_size bytes; nothing when @result is NULL) back through a pipe.
 * Ends the program when the child fails. Returns the child's peak RSS in
 * KiB. */
long
lia_bench_run_child (LiaBenchChildFunc func,
                     gpointer          data,
                     gpointer          result,
                     gsize             result_size)
{
  struct rusage usage;
  gboolean received;
  int fds[2], status;
  pid_t pid;

  g_return_val_if_fail (func != NULL, 0);
  g_return_val_if_fail (result != NULL || result_size == 0, 0);

  /* The child inherits stdio's buffers: were they not empty, a child that
   * ends through exit() (lia_bench_die()) would print them a second time. */
  fflush (stdout);
  fflush (stderr);
  if (pipe (fds) != 0)
    lia_bench_die ("pipe: %s", g_strerror (errno));
  pid = fork ();
  if (pid < 0)
    lia_bench_die ("fork: %s", g_strerror (errno));
  if (pid == 0)
    {
      close (fds[0]);
      if (result != NULL)
        memset (result, 0, result_size);
      func (data, result);
      _exit (transfer_all (fds[1], result, result_size, TRUE) ? 0 : 1);
    }

  close (fds[1]);
  received = transfer_all (fds[0], result, result_size, FALSE);
  close (fds[0]);
  if (wait4 (pid, &status, 0, &usage) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    lia_bench_die ("a child failed");
  if (!received)
    lia_bench_die ("a child sent no result");
  return usage.ru_maxrss;
}

/* The median of @n values, which it sorts in place: the caller may then
 * read the smallest and the largest at both ends. */
double
lia_bench_median (double *values,
                  guint   n)
{
  g_return_val_if_fail (values != NULL, 0.0);
  g_return_val_if_fail (n > 0, 0.0);

  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* The machine, for a benchmark's report: "2 CPUs (its model)". */
char *
lia_bench_describe_cpus (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL) &&
      (line = strstr (cpuinfo, "model name")) != NULL && (line = strchr (line, ':')) != NULL)
    model = g_strstrip (g_strndup (line + 1, strcspn (line + 1, "\n")));
  return g_strdup_printf ("%u CPUs (%s)", g_get_num_processors (), model != NULL ? model : "unknown model");
}

/* --- Sweeping sizes ------------------------------------------------------ */

typedef struct {
  LiaBenchFillFunc    fill;
  const LiaBenchCase *bench_case;
} FillJob;

static void
fill_cb (gpointer data,
         gpointer result)
{
  const FillJob *job = data;

  job->fill (job->bench_case->db_path, job->bench_case->n);
}

/* Runs @sweep: prints the table's header; for each size, makes its
 * database unless it is there (in a child, so that a measure never
 * inherits what filling it left in memory), calls the measure, then
 * removes the output and, unless they are in the caller's --dir, the
 * database and the folder. */
void
lia_bench_sweep (const LiaBenchSweep *sweep)
{
  g_auto(GStrv) sizes = NULL;
  g_autofree char *dir = NULL;

  g_return_if_fail (sweep != NULL);
  g_return_if_fail (sweep->fill != NULL && sweep->measure != NULL);

  if (sweep->runs < 1)
    lia_bench_die_usage ("--runs: must be at least 1");
  sizes = g_strsplit (sweep->sizes, ",", -1);
  dir = make_work_dir (sweep->dir);

  g_print ("%s, %d runs each\n", sweep->title, sweep->runs);
  g_print ("(median time; peak RSS is the largest of the runs, each in a process of its own)\n\n");
  g_print ("%s", sweep->columns);

  for (guint i = 0; sizes[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%s.db", sweep->db_prefix, sizes[i]);
      g_autofree char *db_path = g_build_filename (dir, name, NULL);
      g_autofree char *out_path = g_build_filename (dir, sweep->out_name, NULL);
      LiaBenchCase bench_case = {
        .n = lia_bench_parse_count (sweep->option, sizes[i]),
        .runs = sweep->runs,
        .db_path = db_path,
        .out_path = out_path,
      };
      FillJob job = { sweep->fill, &bench_case };

      if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
        lia_bench_run_child (fill_cb, &job, NULL, 0);
      sweep->measure (&bench_case, sweep->user_data);

      g_unlink (out_path);
      if (sweep->dir == NULL)
        lia_bench_remove_database (db_path);
    }

  if (sweep->dir == NULL)
    g_rmdir (dir);
}

/* Runs @func (given @bench_case, filling a LiaBenchSample) the case's
 * runs times, each in a child of its own, and ends the program unless
 * every run wrote n @noun. Returns the median time in @out_sample, with
 * the last run's rows and bytes, and the largest peak RSS in KiB. */
long
lia_bench_run_repeated (LiaBenchChildFunc   func,
                        const LiaBenchCase *bench_case,
                        const char         *noun,
                        LiaBenchSample     *out_sample)
{
  g_autofree double *seconds = NULL;
  long peak = 0;

  g_return_val_if_fail (bench_case != NULL && bench_case->runs > 0, 0);
  g_return_val_if_fail (out_sample != NULL, 0);

  seconds = g_new (double, bench_case->runs);
  for (guint r = 0; r < bench_case->runs; r++)
    {
      peak = MAX (peak, lia_bench_run_child (func, (gpointer) bench_case, out_sample, sizeof *out_sample));
      seconds[r] = out_sample->seconds;
      if (out_sample->rows != bench_case->n)
        lia_bench_die ("exported %" G_GINT64_FORMAT " %s of %" G_GINT64_FORMAT,
                       out_sample->rows, noun, bench_case->n);
    }
  out_sample->seconds = lia_bench_median (seconds, bench_case->runs);
  return peak;
}
