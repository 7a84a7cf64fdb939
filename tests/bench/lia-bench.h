/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "lia-database.h"

G_BEGIN_DECLS

/* What the benchmarks share. A benchmark is a program, not a library:
 * every helper here that can fail ends the program with a message on
 * standard error, prefixed by g_get_prgname(), rather than returning an
 * error nobody would handle differently. */

/* Runs in a forked child; fills @result, which comes in zeroed. */
typedef void (*LiaBenchChildFunc) (gpointer data,
                                   gpointer result);

/* One size of a sweep (see lia_bench_sweep()): the data its child
 * functions get. */
typedef struct {
  gint64      n;         /* rows, sessions: what the database holds */
  guint       runs;      /* measures to take */
  const char *db_path;
  const char *out_path;  /* where a measure writes its output */
} LiaBenchCase;

/* What a measure sends back from its child. */
typedef struct {
  double seconds;
  gint64 rows;   /* what it wrote: rows, events */
  gint64 bytes;  /* the output's size */
} LiaBenchSample;

/* Makes the database at @db_path, of size @n. */
typedef void (*LiaBenchFillFunc) (const char *db_path,
                                  gint64      n);
typedef void (*LiaBenchCaseFunc) (const LiaBenchCase *bench_case,
                                  gpointer            user_data);

/* A benchmark over a list of sizes: a table, with a database for each
 * size made once by @fill (in a child of its own), then @measure called
 * to print its rows. */
typedef struct {
  const char        *title;      /* the first line, before ", N runs each" */
  const char        *columns;    /* the table's header and rule lines */
  const char        *sizes;      /* comma-separated, as given */
  const char        *option;     /* the option that gave them, for messages */
  int                runs;       /* as given to --runs */
  const char        *dir;        /* where to work and keep the databases;
                                  * NULL for a temporary folder */
  const char        *db_prefix;  /* databases are DIR/PREFIX-SIZE.db */
  const char        *out_name;   /* the output file in DIR */
  LiaBenchFillFunc   fill;
  LiaBenchCaseFunc   measure;
  gpointer           user_data;
} LiaBenchSweep;

/* Exit status 1: something failed. */
G_NORETURN void lia_bench_die              (const char         *format,
                                            ...) G_GNUC_PRINTF (1, 2);
/* Exit status 2: the command line is wrong. */
G_NORETURN void lia_bench_die_usage        (const char         *format,
                                            ...) G_GNUC_PRINTF (1, 2);

void            lia_bench_parse_options    (const char         *parameter_string,
                                            const GOptionEntry *entries,
                                            int                *argc,
                                            char             ***argv);
gint64          lia_bench_parse_count      (const char         *option,
                                            const char         *text);

LiaDatabase    *lia_bench_open_database    (const char         *path);
void            lia_bench_exec             (sqlite3            *handle,
                                            const char         *sql);
sqlite3_stmt   *lia_bench_prepare          (sqlite3            *handle,
                                            const char         *sql);
void            lia_bench_step             (sqlite3            *handle,
                                            sqlite3_stmt       *stmt);
void            lia_bench_remove_database  (const char         *path);

gint64          lia_bench_file_size        (const char         *path);

long            lia_bench_run_child        (LiaBenchChildFunc   func,
                                            gpointer            data,
                                            gpointer            result,
                                            gsize               result_size);
double          lia_bench_median           (double             *values,
                                            guint               n);
char           *lia_bench_describe_cpus    (void);

void            lia_bench_sweep            (const LiaBenchSweep *sweep);
long            lia_bench_run_repeated     (LiaBenchChildFunc   func,
                                            const LiaBenchCase *bench_case,
                                            const char         *noun,
                                            LiaBenchSample     *out_sample);

G_END_DECLS
