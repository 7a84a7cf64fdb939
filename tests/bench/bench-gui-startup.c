/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-gui-startup"

#include "config.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lia-bench-school.h"
#include "lia-bench.h"

/* The start-up benchmark: the real `liaison` on a database with 200
 * integrations and 1,000,000 sync runs, launched N times under the current
 * display, timed from just before the spawn to the first frame painted,
 * and to the first frame that shows the integrations' cards.
 *
 * The app cannot be watched from outside, so it reports both frames itself
 * when LIAISON_REPORT_FIRST_FRAME is set (see lia-window.c): a line with
 * g_get_monotonic_time() on standard error, which is CLOCK_MONOTONIC as
 * ours is. With "quit" it quits after the cards' frame.
 *
 * The database (lia-bench-school.c) is made once (it takes a minute) and
 * kept in the build directory. Before the launches, the newest run of each
 * integration is moved to a few minutes ago, so that the scheduler finds
 * nothing due and no launch syncs (which would change the database between
 * launches). */

#define LAUNCH_TIMEOUT_S 60

typedef struct {
  double first_frame_ms;
  double cards_ms;
  double cpu_ms;          /* the app's user + system time, to its exit */
  guint  first_cards;     /* cards in the first frame */
  guint  cards;
} Launch;

/* --- Launching ----------------------------------------------------------- */

static gboolean
parse_report (const char *line,
              const char *tag,
              gint64      spawned,
              double     *out_ms,
              guint      *out_cards)
{
  gint64 at;
  guint cards = 0;

  if (!g_str_has_prefix (line, tag) ||
      sscanf (line + strlen (tag), " %" G_GINT64_FORMAT " cards=%u", &at, &cards) < 2)
    return FALSE;
  *out_ms = (at - spawned) / 1000.0;
  *out_cards = cards;
  return TRUE;
}

/* One launch: the app on @db_path, until it quits after its cards' frame. */
static gboolean
launch (const char  *app,
        const char  *db_path,
        char       **envp,
        Launch      *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) output = g_string_new (NULL);
  const char *argv[] = { app, "--db", db_path, NULL };
  gboolean have_first = FALSE, have_cards = FALSE;
  gint64 spawned, deadline;
  int err_fd = -1;
  struct rusage usage;
  GPid pid;
  int status;
  gsize scanned = 0;

  spawned = g_get_monotonic_time ();
  if (!g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, &pid, NULL, NULL, &err_fd, &error))
    g_error ("Cannot start %s: %s", app, error->message);

  deadline = spawned + LAUNCH_TIMEOUT_S * G_USEC_PER_SEC;
  for (;;)
    {
      struct pollfd pfd = { err_fd, POLLIN, 0 };
      char buffer[4096];
      gssize n;
      char *newline;
      int left_ms = (int) ((deadline - g_get_monotonic_time ()) / 1000);

      if (left_ms <= 0)
        {
          g_printerr ("bench-gui-startup: no cards after %d s; killing the app\n", LAUNCH_TIMEOUT_S);
          kill (pid, SIGKILL);
          break;
        }
      if (poll (&pfd, 1, left_ms) <= 0)
        continue;
      n = read (err_fd, buffer, sizeof buffer);
      if (n <= 0)
        break;
      g_string_append_len (output, buffer, n);
      while ((newline = strchr (output->str + scanned, '\n')) != NULL)
        {
          *newline = '\0';
          if (!have_first)
            have_first = parse_report (output->str + scanned, "first-frame", spawned, &out->first_frame_ms,
                                       &out->first_cards);
          if (!have_cards)
            have_cards = parse_report (output->str + scanned, "cards-shown", spawned, &out->cards_ms,
                                       &out->cards);
          *newline = '\n';
          scanned = newline - output->str + 1;
        }
    }
  close (err_fd);
  wait4 (pid, &status, 0, &usage);
  g_spawn_close_pid (pid);
  out->cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
                (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;

  if (!have_first || !have_cards)
    {
      g_printerr ("bench-gui-startup: the app reported no %s (exit status %d). Its output:\n%s\n"
                  "(Is another Liaison running on this D-Bus session? Run the benchmark in a session of its own.)\n",
                  have_first ? "cards" : "frame", status, output->str);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  double median, min, max;
} Summary;

static Summary
summarize (const Launch *launches,
           guint         n,
           gsize         offset)
{
  g_autofree double *values = g_new (double, n);
  Summary s;

  for (guint i = 0; i < n; i++)
    values[i] = G_STRUCT_MEMBER (double, &launches[i], offset);
  s.median = lia_bench_median (values, n);  /* sorts them */
  s.min = values[0];
  s.max = values[n - 1];
  return s;
}

/* --- Main ---------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *app = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *schemas = NULL;
  g_auto(GStrv) envp = NULL;
  g_autofree Launch *launches = NULL;
  int n_launches = 10;
  int n_integrations = LIA_BENCH_SCHOOL_INTEGRATIONS;
  int n_runs = LIA_BENCH_SCHOOL_RUNS;
  guint first_with_cards = 0;
  Summary first_frame, cards, cpu;
  double load[3] = { 0 }, load_after[3] = { 0 };
  const GOptionEntry entries[] = {
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app, "The liaison program", "PATH" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "The database, made if missing (default: ./bench-gui-startup.db)", "PATH" },
    { "schemas", 0, 0, G_OPTION_ARG_FILENAME, &schemas, "Where the compiled GSettings schema is", "DIR" },
    { "launches", 0, 0, G_OPTION_ARG_INT, &n_launches, "Launches (default 10; the first is reported apart)", "N" },
    { "integrations", 0, 0, G_OPTION_ARG_INT, &n_integrations, "Integrations in a new database (default 200)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Sync runs in a new database (default 1000000)", "N" },
    { NULL }
  };

  context = g_option_context_new ("— time the app's start-up");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-gui-startup: %s\n", error->message);
      return 2;
    }
  if (app == NULL || n_launches < 2 || n_integrations < 1 || n_integrations > G_MAXUINT16 || n_runs < 1)
    {
      g_printerr ("bench-gui-startup: --app is required, with at least 2 launches\n");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-gui-startup: no display: run it under xvfb-run -a -s '-screen 0 1280x800x24'\n");
      return 2;
    }
  if (db_path == NULL)
    db_path = g_strdup (LIA_BENCH_SCHOOL_CACHE_NAME);

  lia_bench_prepare_school_database (db_path, n_integrations, n_runs);

  envp = g_get_environ ();
  envp = g_environ_setenv (envp, "GSETTINGS_BACKEND", "memory", TRUE);
  if (schemas != NULL)
    envp = g_environ_setenv (envp, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  envp = g_environ_setenv (envp, "LIAISON_REPORT_FIRST_FRAME", "quit", TRUE);

  getloadavg (load, 3);
  launches = g_new0 (Launch, n_launches);
  for (int i = 0; i < n_launches; i++)
    {
      if (!launch (app, db_path, envp, &launches[i]))
        return 1;
      g_print ("launch %2d: first frame %6.1f ms (%s), cards %6.1f ms (%u cards), CPU %6.1f ms\n",
               i + 1, launches[i].first_frame_ms, launches[i].first_cards > 0 ? "with the cards" : "loading",
               launches[i].cards_ms, launches[i].cards, launches[i].cpu_ms);
      if (i > 0 && launches[i].first_cards > 0)
        first_with_cards++;
    }

  first_frame = summarize (launches + 1, n_launches - 1, G_STRUCT_OFFSET (Launch, first_frame_ms));
  cards = summarize (launches + 1, n_launches - 1, G_STRUCT_OFFSET (Launch, cards_ms));
  cpu = summarize (launches + 1, n_launches - 1, G_STRUCT_OFFSET (Launch, cpu_ms));
  getloadavg (load_after, 3);
  g_print ("\nRenderer: %s. Load average %.2f before, %.2f after. Launch 1 is the first of this run"
           " (caches as the machine left them).\n\n",
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "GTK's default", load[0], load_after[0]);
  g_print ("| Launches | Measure | Median ms | Min ms | Max ms | First launch ms |\n");
  g_print ("| ---: | --- | ---: | ---: | ---: | ---: |\n");
  g_print ("| 2-%d | spawn to first frame | %.0f | %.0f | %.0f | %.0f |\n", n_launches,
           first_frame.median, first_frame.min, first_frame.max, launches[0].first_frame_ms);
  g_print ("| 2-%d | spawn to cards shown | %.0f | %.0f | %.0f | %.0f |\n", n_launches,
           cards.median, cards.min, cards.max, launches[0].cards_ms);
  g_print ("| 2-%d | CPU time, all threads, to exit | %.0f | %.0f | %.0f | %.0f |\n", n_launches,
           cpu.median, cpu.min, cpu.max, launches[0].cpu_ms);
  g_print ("\nThe first frame showed the cards in %u of launches 2-%d (the spinner in the others).\n",
           first_with_cards, n_launches);
  return 0;
}
