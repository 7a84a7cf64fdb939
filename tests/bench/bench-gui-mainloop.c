/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-gui-mainloop"

#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "lia-application.h"
#include "lia-bench-probes.h"
#include "lia-database.h"
#include "lia-integration-row.h"
#include "lia-integration-store.h"
#include "lia-sync-controller.h"
#include "lia-test-server.h"
#include "lia-window.h"

/* The main-loop benchmark: the real window on a database with one
 * integration, whose source (a SoupServer in a thread of its own) pages
 * out N students, 1,000 a page. The card's Sync button is pressed (its
 * card.sync action, the button's own path through LiaSyncController), and
 * while the sync runs, and for a second after it ends, probes record how
 * long the main loop goes without coming back to them:
 *
 *  - a 1 ms timeout at G_PRIORITY_HIGH: the longest any one dispatch held
 *    the main thread (nothing at a higher priority runs in the app);
 *  - a tick callback on the window: the frame clock, at 60 Hz when nothing
 *    holds it up;
 *  - in a run of its own, an idle at G_PRIORITY_DEFAULT_IDLE, which runs
 *    whenever nothing else is pending (it keeps one core busy, so it is
 *    not measured with the others).
 *
 * Each gap also records the main thread's own CPU time, so that a gap the
 * kernel made (another process on the core) shows apart from one the app
 * made. Each renderer runs in a process of its own (GTK picks it once). */

#define FRAME_US 16667

typedef struct {
  guint     n;
  guint     page_size;
  GPtrArray *pages;  /* GBytes, index page - 1 */
} Source;

typedef struct {
  gboolean  done;
  gint64    finished_at;
  char     *status;
  gint64    processed;
  guint     progress_signals;
} SyncWatch;

/* --- The source ---------------------------------------------------------- */

static GBytes *
build_page (guint page,
            guint page_size,
            guint n)
{
  GString *json = g_string_sized_new ((gsize) page_size * 120 + 16);
  guint first = (page - 1) * page_size;

  g_string_append (json, "{\"data\":[");
  for (guint i = first; i < first + page_size && i < n; i++)
    g_string_append_printf (json, "%s{\"id\":\"s%u\",\"name\":\"Student %u\",\"email\":\"student.%u@school.example\","
                            "\"grade\":%u,\"homeroom\":\"%uB\"}",
                            i > first ? "," : "", i, i, i, 7 + i % 6, 7 + i % 6);
  g_string_append (json, "]}");
  return g_string_free_to_bytes (json);
}

/* In the server's thread. */
static void
serve_cb (SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Source *source = user_data;
  const char *page_text = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
  guint64 page = 1;
  g_autoptr(GBytes) body = NULL;

  if (!g_str_equal (path, "/students"))
    {
      soup_server_message_set_status (message, 404, NULL);
      return;
    }
  if (page_text != NULL)
    g_ascii_string_to_unsigned (page_text, 10, 1, G_MAXUINT, &page, NULL);

  body = page <= source->pages->len ? g_bytes_ref (g_ptr_array_index (source->pages, page - 1))
                                    : g_bytes_new_static ("{\"data\":[]}", 11);
  soup_server_message_set_status (message, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (message),
                                         "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (message), body);
}

/* --- Waiting ------------------------------------------------------------- */

static gboolean
is_past (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static GtkWidget *
find_mapped (GtkWidget *widget,
             GType      type)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
shows_card (gpointer data)
{
  return find_mapped (data, LIA_TYPE_INTEGRATION_ROW) != NULL;
}

static void
on_after_paint_cb (GdkFrameClock *frame_clock,
                   guint         *frames)
{
  (*frames)++;
}

static gboolean
has_painted (gpointer data)
{
  return *(guint *) data > 0;
}

static gboolean
is_sync_done (gpointer data)
{
  return ((SyncWatch *) data)->done;
}

static gboolean
is_gone (gpointer data)
{
  g_autoptr(GObject) object = g_weak_ref_get (data);

  return object == NULL;
}

static void
on_sync_progress_cb (LiaSyncController *controller,
                     gint64             id,
                     gint64             records,
                     guint              pages,
                     SyncWatch         *watch)
{
  watch->progress_signals++;
}

static void
on_sync_finished_cb (LiaSyncController *controller,
                     gint64             id,
                     LiaSyncRun        *run,
                     GError            *error,
                     SyncWatch         *watch)
{
  watch->finished_at = g_get_monotonic_time ();
  watch->done = TRUE;
  if (run != NULL)
    {
      watch->status = g_strdup (run->status);
      watch->processed = lia_sync_run_total (run, G_STRUCT_OFFSET (LiaSyncCounts, processed));
    }
  else
    {
      watch->status = g_strdup (error != NULL ? error->message : "did not run");
    }
}

/* --- One sync ------------------------------------------------------------ */

typedef struct {
  gint64  pressed;  /* monotonic µs */
  double  seconds;
  gint64  processed;
  guint   progress_signals;
  guint   frames;   /* painted from the press to a second after the end */
  char   *status;
} SyncResult;

/* The integration to sync, and @cards - 1 others (never synced) for a
 * fuller page. Returns the first one's id. */
static gint64
add_integrations (const char *db_path,
                  const char *url,
                  guint       page_size,
                  guint       cards)
{
  g_autoptr(GError) error = NULL;
  LiaDatabase *db;
  gint64 id = 0;

  db = lia_database_open (db_path, &error);
  if (db == NULL)
    g_error ("%s", error->message);

  for (guint i = 0; i < cards; i++)
    {
      g_autofree char *name = i == 0 ? g_strdup ("Student Records") : g_strdup_printf ("Campus %03u Records", i);
      g_autofree char *json = NULL;
      g_autoptr(LiaConfigSecrets) secrets = NULL;
      g_autoptr(LiaConfig) config = NULL;
      gint64 added;

      json = g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"rest\", \"baseUrl\": \"%s\","
                              " \"endpoints\": {\"students\": {\"path\": \"/students\", \"recordsPath\": \"data\","
                              "  \"pagination\": {\"style\": \"page\", \"pageParam\": \"page\", \"sizeParam\": \"limit\", \"size\": %u}}},"
                              " \"fieldMappings\": {\"students\": {\"externalId\": \"id\", \"name\": \"name\", \"email\": \"email\"}}}",
                              name, url, page_size);
      config = lia_config_parse_data (json, -1, &secrets, &error);
      if (config == NULL || (added = lia_integration_store_add (db, config, secrets, &error)) <= 0)
        g_error ("%s", error->message);
      if (i == 0)
        id = added;
    }
  lia_database_close (db);
  return id;
}

static GtkWidget *
find_card (GtkWidget *widget,
           gint64     id)
{
  if (LIA_IS_INTEGRATION_ROW (widget) && lia_integration_row_get_id (LIA_INTEGRATION_ROW (widget)) == id)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_card (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct {
  GtkWidget *window;
  gint64     id;
} CardWait;

static gboolean
has_card (gpointer data)
{
  CardWait *wait = data;

  return find_card (wait->window, wait->id) != NULL;
}

/* Opens the window on a new database, presses Sync on its card, and
 * records the probes' gaps (into @recorders) from the press to a second
 * after the sync's end. */
static SyncResult
run_sync (GApplication     *app,
          const char       *url,
          guint             page_size,
          guint             cards,
          gboolean          idle_probe,
          LiaBenchRecorder *recorders)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-gui-mainloop-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "liaison.db", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  SyncWatch watch = { 0 };
  SyncResult result = { 0 };
  LiaSyncController *controller;
  LiaWindow *window;
  GtkWidget *card;
  GdkFrameClock *frame_clock;
  gulong paint_id;
  guint frames = 0;
  CardWait card_wait;
  GWeakRef ref;
  gint64 id, started, end;
  guint source_id, tick_id = 0;

  id = add_integrations (db_path, url, page_size, cards);

  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 800);
  g_settings_set_boolean (settings, "window-maximized", FALSE);
  window = lia_window_new (ADW_APPLICATION (app), db_path);
  card_wait.window = GTK_WIDGET (window);
  card_wait.id = id;
  gtk_window_present (GTK_WINDOW (window));
  /* The cards shown and painted, then a second to settle. */
  if (!lia_bench_wait_until (shows_card, window, 30))
    g_error ("The integration's card did not show");
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  paint_id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint_cb), &frames);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  if (!lia_bench_wait_until (has_painted, &frames, 30))
    g_error ("The window was not painted");
  g_signal_handler_disconnect (frame_clock, paint_id);
  /* With many cards, the page adds them a batch at a time: all of them
   * (the one to sync comes last, by name), then a second to settle. */
  if (!lia_bench_wait_until (has_card, &card_wait, 30))
    g_error ("The card of the integration to sync did not show");
  lia_bench_run_for (G_USEC_PER_SEC);

  controller = lia_window_get_sync_controller (window);
  g_signal_connect (controller, "sync-progress", G_CALLBACK (on_sync_progress_cb), &watch);
  g_signal_connect (controller, "sync-finished", G_CALLBACK (on_sync_finished_cb), &watch);

  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    {
      recorders[p].last = 0;
      g_array_set_size (recorders[p].gaps, 0);
    }
  if (idle_probe)
    {
      source_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, lia_bench_probe_cb, &recorders[LIA_BENCH_PROBE_IDLE], NULL);
    }
  else
    {
      source_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, lia_bench_probe_cb, &recorders[LIA_BENCH_PROBE_TIMEOUT], NULL);
      tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (window), lia_bench_tick_cb, &recorders[LIA_BENCH_PROBE_TICK], NULL);
    }

  card = find_card (GTK_WIDGET (window), id);
  g_assert (card != NULL);
  frames = 0;
  paint_id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint_cb), &frames);
  started = g_get_monotonic_time ();
  if (!gtk_widget_activate_action (card, "card.sync", NULL))
    g_error ("The card has no card.sync action");
  if (!lia_bench_wait_until (is_sync_done, &watch, 600))
    g_error ("The sync did not end in 10 minutes");
  end = watch.finished_at + G_USEC_PER_SEC;
  lia_bench_wait_until (is_past, &end, 5);

  g_source_remove (source_id);
  g_signal_handler_disconnect (frame_clock, paint_id);
  if (tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick_id);
  g_signal_handlers_disconnect_by_data (controller, &watch);

  result.pressed = started;
  result.seconds = (watch.finished_at - started) / 1e6;
  result.processed = watch.processed;
  result.progress_signals = watch.progress_signals;
  result.frames = frames;
  result.status = watch.status;

  g_weak_ref_init (&ref, window);
  gtk_window_close (GTK_WINDOW (window));
  if (!lia_bench_wait_until (is_gone, &ref, 20))
    g_error ("The window did not close");
  g_weak_ref_clear (&ref);

  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

    g_unlink (db_path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return result;
}

/* --- Report -------------------------------------------------------------- */

static void
print_row (const char    *renderer,
           LiaBenchProbe  probe,
           GArray        *gaps)
{
  g_autoptr(GArray) sorted = g_array_copy (gaps);
  guint over_16 = 0, over_50 = 0;
  const LiaBenchGap *worst;

  if (sorted->len == 0)
    return;
  g_array_sort (sorted, lia_bench_compare_gaps);
  for (guint i = 0; i < sorted->len; i++)
    {
      gint64 gap = g_array_index (sorted, LiaBenchGap, i).gap;

      /* A frame is 16.7 ms: for the tick, count frames missed instead. */
      if (probe == LIA_BENCH_PROBE_TICK ? gap > FRAME_US * 3 / 2 : gap > 16000)
        over_16++;
      if (gap > 50000)
        over_50++;
    }
  worst = &g_array_index (sorted, LiaBenchGap, sorted->len - 1);

  g_print ("| %s | %s | %u | %.2f | %.2f | %.2f | %.1f (%.1f on the CPU) | %u%s | %u |\n",
           renderer, lia_bench_probe_names[probe], sorted->len,
           lia_bench_percentile_ms (sorted, 0.5), lia_bench_percentile_ms (sorted, 0.95),
           lia_bench_percentile_ms (sorted, 0.99),
           worst->gap / 1000.0, worst->cpu / 1000.0,
           over_16, probe == LIA_BENCH_PROBE_TICK ? " (> 25 ms)" : "", over_50);
}

/* The longest gaps of the timeout probe, where they were in the sync. */
static void
print_worst (GArray *gaps,
             gint64  started,
             guint   n)
{
  g_autoptr(GArray) sorted = g_array_copy (gaps);

  g_array_sort (sorted, lia_bench_compare_gaps);
  for (guint i = sorted->len; i > 0 && i > sorted->len - n; i--)
    {
      const LiaBenchGap *gap = &g_array_index (sorted, LiaBenchGap, i - 1);

      g_printerr ("  gap %.1f ms (%.1f ms on the CPU), ending %.3f s after the press\n",
                  gap->gap / 1000.0, gap->cpu / 1000.0, (gap->at - started) / 1e6);
    }
}

static int
run_child (const char *renderer,
           guint       n,
           guint       page_size,
           guint       cards,
           guint       runs,
           gboolean    verbose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GApplication) app = NULL;
  GArray *all[LIA_BENCH_N_PROBES];
  LiaBenchRecorder recorders[LIA_BENCH_N_PROBES];
  Source source = { n, page_size, g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref) };
  g_autoptr(LiaTestServer) server = NULL;
  g_autoptr(GString) syncs = g_string_new (NULL);

  for (guint page = 1; (page - 1) * page_size < n; page++)
    g_ptr_array_add (source.pages, build_page (page, page_size, n));
  server = lia_test_server_new (serve_cb, &source);

  app = G_APPLICATION (lia_application_new ());
  g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (app, NULL, &error))
    g_error ("%s", error->message);

  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    {
      all[p] = g_array_new (FALSE, FALSE, sizeof (LiaBenchGap));
      recorders[p].gaps = g_array_new (FALSE, FALSE, sizeof (LiaBenchGap));
    }

  /* The measured runs, then one more with the idle probe alone. */
  for (guint r = 0; r <= runs; r++)
    {
      gboolean idle_probe = r == runs;
      SyncResult result = run_sync (app, lia_test_server_get_url (server), page_size, cards,
                                   idle_probe, recorders);

      if (!idle_probe)
        g_string_append_printf (syncs, "%s%.2f s (%.0f records/s, %u progress updates, %u frames)",
                                r > 0 ? "; " : "", result.seconds, result.processed / result.seconds,
                                result.progress_signals, result.frames);
      if (verbose)
        {
          g_printerr ("%s run %u%s: %s, %" G_GINT64_FORMAT " records in %.2f s, %u frames painted\n", renderer, r + 1,
                      idle_probe ? " (idle probe)" : "", result.status, result.processed, result.seconds, result.frames);
          print_worst (recorders[idle_probe ? LIA_BENCH_PROBE_IDLE : LIA_BENCH_PROBE_TIMEOUT].gaps, result.pressed, 5);
        }
      if (g_strcmp0 (result.status, "success") != 0 || result.processed != n)
        g_error ("The sync ended %s with %" G_GINT64_FORMAT " records", result.status, result.processed);
      g_free (result.status);

      for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
        g_array_append_vals (all[p], recorders[p].gaps->data, recorders[p].gaps->len);
    }

  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    print_row (renderer, p, all[p]);
  g_print ("SYNCS with the %s renderer: %s\n", renderer, syncs->str);

  for (guint p = 0; p < LIA_BENCH_N_PROBES; p++)
    {
      g_array_unref (recorders[p].gaps);
      g_array_unref (all[p]);
    }
  g_ptr_array_unref (source.pages);
  return 0;
}

/* --- Main ---------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *renderers = NULL;
  g_autofree char *schemas = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GString) sync_lines = g_string_new (NULL);
  double load[3] = { 0 }, load_before;
  gboolean child = FALSE;
  gboolean verbose = FALSE;
  int n = 100000;
  int page_size = 1000;
  int runs = 3;
  int cards = 1;
  const GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &n, "Students in the source (default 100000)", "N" },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &page_size, "Students a page (default 1000)", "N" },
    { "cards", 0, 0, G_OPTION_ARG_INT, &cards, "Integrations on the page (default 1: the one that syncs)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Syncs measured per renderer (default 3), then one with the idle probe", "N" },
    { "renderers", 0, 0, G_OPTION_ARG_STRING, &renderers, "GSK renderers, comma-separated (default: GTK's choice, then cairo)", "LIST" },
    { "schemas", 0, 0, G_OPTION_ARG_FILENAME, &schemas, "Where the compiled GSettings schema is", "DIR" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Each sync and its longest gaps, on standard error", NULL },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child, NULL, NULL },
    { NULL }
  };

  context = g_option_context_new ("— how long the main loop stalls while a sync runs");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-gui-mainloop: %s\n", error->message);
      return 2;
    }
  if (n < 1 || page_size < 1 || runs < 1 || cards < 1)
    {
      g_printerr ("bench-gui-mainloop: --records, --page-size, --cards and --runs must be positive\n");
      return 2;
    }
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-gui-mainloop: no display: run it under xvfb-run -a -s '-screen 0 1280x800x24'\n");
      return 2;
    }

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (schemas != NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, TRUE);

  if (child)
    return run_child (g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default", n, page_size, cards, runs, verbose);

  g_print ("%d students, %d a page, from a SoupServer in a thread of this process; %d card(s) on the page;"
           " %d syncs a renderer (a fresh database each), then one with the idle probe.\n\n",
           n, page_size, cards, runs);
  g_print ("| Renderer | Probe | Gaps | Median ms | p95 ms | p99 ms | Max ms | > 16 ms | > 50 ms |\n");
  g_print ("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");

  getloadavg (load, 3);
  load_before = load[0];
  names = g_strsplit (renderers != NULL ? renderers : "default,cairo", ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_auto(GStrv) envp = g_get_environ ();
      g_autoptr(GPtrArray) child_argv = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *output = NULL;
      g_auto(GStrv) lines = NULL;
      int status;

      g_ptr_array_add (child_argv, g_strdup (argv[0]));
      g_ptr_array_add (child_argv, g_strdup ("--child"));
      g_ptr_array_add (child_argv, g_strdup_printf ("--records=%d", n));
      g_ptr_array_add (child_argv, g_strdup_printf ("--page-size=%d", page_size));
      g_ptr_array_add (child_argv, g_strdup_printf ("--runs=%d", runs));
      g_ptr_array_add (child_argv, g_strdup_printf ("--cards=%d", cards));
      if (verbose)
        g_ptr_array_add (child_argv, g_strdup ("--verbose"));
      g_ptr_array_add (child_argv, NULL);

      if (g_str_equal (names[i], "default"))
        envp = g_environ_unsetenv (envp, "GSK_RENDERER");
      else
        envp = g_environ_setenv (envp, "GSK_RENDERER", names[i], TRUE);
      if (!g_spawn_sync (NULL, (char **) child_argv->pdata, envp, G_SPAWN_CHILD_INHERITS_STDIN,
                         NULL, NULL, &output, NULL, &status, &error) ||
          !g_spawn_check_wait_status (status, &error))
        {
          g_printerr ("bench-gui-mainloop: the %s run failed: %s\n", names[i], error->message);
          return 1;
        }

      /* Its table rows now, its syncs under the table. */
      lines = g_strsplit (output, "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          if (g_str_has_prefix (lines[l], "SYNCS "))
            g_string_append_printf (sync_lines, "Syncs %s\n", lines[l] + strlen ("SYNCS "));
          else if (lines[l][0] != '\0')
            g_print ("%s\n", lines[l]);
        }
    }
  getloadavg (load, 3);
  g_print ("\n%sLoad average %.2f before, %.2f after.\n", sync_lines->str, load_before, load[0]);
  return 0;
}
