/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lia-database.h"
#include "lia-integration-store.h"
#include "lia-scheduler.h"
#include "lia-sync-runner.h"
#include "lia-test-server.h"
#include "lia-test-util.h"
#include "lia-util.h"

/* The scheduler and the async sync API, on a real main loop. */

static void
handle (SoupServerMessage *message,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  GString *json = g_string_new ("[");

  for (int i = 0; i < 30; i++)
    g_string_append_printf (json, "%s{\"externalId\": \"p%d\", \"name\": \"Pupil %d\"}", i ? "," : "", i, i);
  g_string_append_c (json, ']');
  lia_test_reply_json (message, 200, json->str);
  g_string_free (json, TRUE);
}

static gint64
add (LiaDatabase   *db,
     LiaTestServer *server,
     const char    *name,
     gboolean       enabled)
{
  g_autofree char *json = g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"rest\", \"baseUrl\": \"%s\", \"syncInterval\": 30,"
                                           " \"enabled\": %s, \"endpoints\": {\"students\": \"/students\"}}",
                                           name, lia_test_server_get_url (server), enabled ? "true" : "false");
  g_autoptr(LiaConfig) config = lia_test_config (json, NULL);
  g_autoptr(GError) error = NULL;
  gint64 id = lia_integration_store_add (db, config, NULL, &error);

  g_assert_no_error (error);
  return id;
}

typedef struct {
  GArray  *started;
  GArray  *finished;
  gboolean checked;
} Events;

static void
on_started_cb (LiaScheduler *scheduler,
               gint64        id,
               Events       *events)
{
  g_array_append_val (events->started, id);
}

static void
on_finished_cb (LiaScheduler *scheduler,
                gint64        id,
                LiaSyncRun   *run,
                GError       *error,
                Events       *events)
{
  g_assert_no_error (error);
  g_assert_cmpstr (run->trigger, ==, "scheduled");
  g_assert_cmpstr (run->status, ==, "success");
  g_array_append_val (events->finished, id);
}

static void
on_checked_cb (LiaScheduler *scheduler,
               Events       *events)
{
  events->checked = TRUE;
}

static gboolean
contains (GArray *array,
          gint64  id)
{
  for (guint i = 0; i < array->len; i++)
    if (g_array_index (array, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static void
run_blocking (const char *db_path,
              gint64      id)
{
  LiaSyncOptions options = { .integration_id = id, .trigger = "manual" };
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaSyncRun) run = lia_sync_run_blocking (db_path, &options, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (run->status, ==, "success");
}

static void
test_schedule (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new (handle, NULL);
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (db_path, &error);
  g_autoptr(LiaScheduler) scheduler = NULL;
  Events events = { g_array_new (FALSE, FALSE, sizeof (gint64)), g_array_new (FALSE, FALSE, sizeof (gint64)), FALSE };
  gint64 never, missed, fresh, disabled;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  never = add (db, server, "Never synced", TRUE);
  missed = add (db, server, "Missed while closed", TRUE);
  fresh = add (db, server, "Synced just now", TRUE);
  disabled = add (db, server, "Disabled", FALSE);

  /* "Missed" last ran five hours ago: ten slots of 30 minutes missed. */
  run_blocking (db_path, missed);
  run_blocking (db_path, fresh);
  sql = g_strdup_printf ("UPDATE sync_runs SET started_at = started_at - 5 * 3600 * 1000"
                         " WHERE integration_id = %" G_GINT64_FORMAT, missed);
  g_assert_true (lia_database_exec (db, sql, &error));

  scheduler = lia_scheduler_new (db_path);
  g_signal_connect (scheduler, "sync-started", G_CALLBACK (on_started_cb), &events);
  g_signal_connect (scheduler, "sync-finished", G_CALLBACK (on_finished_cb), &events);
  g_signal_connect (scheduler, "checked", G_CALLBACK (on_checked_cb), &events);
  lia_scheduler_start (scheduler);

  while (events.finished->len < 2 || !events.checked)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (events.started->len, ==, 2);
  g_assert_true (contains (events.started, never));
  g_assert_true (contains (events.started, missed));
  g_assert_false (contains (events.started, fresh));
  g_assert_false (contains (events.started, disabled));

  /* The next looks start nothing more: the missed slots ran once. */
  events.checked = FALSE;
  lia_scheduler_check_now (scheduler);
  while (!events.checked)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (events.started->len, ==, 2);

  g_assert_cmpint (lia_scheduler_get_next_run (scheduler, fresh), >, lia_now_ms () + 29 * 60 * 1000);
  g_assert_cmpint (lia_scheduler_get_next_run (scheduler, disabled), ==, 0);

  lia_scheduler_stop (scheduler);
  g_array_unref (events.started);
  g_array_unref (events.finished);
}

static void
test_next_due (void)
{
  g_assert_cmpint (lia_schedule_next_due (0, 30), ==, 0);
  g_assert_cmpint (lia_schedule_next_due (1000, 30), ==, 1000 + 30 * 60 * 1000);
}

/* lia_sync_async: progress and the result come back on the caller's main
 * context, never on the worker threads. */
typedef struct {
  GThread    *main_thread;
  guint       progress_calls;
  LiaSyncRun *run;
} AsyncCall;

static void
on_progress_cb (const LiaSyncProgress *progress,
                gpointer               user_data)
{
  AsyncCall *call = user_data;

  g_assert_true (g_thread_self () == call->main_thread);
  g_assert_cmpint (progress->records, >, 0);
  call->progress_calls++;
}

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncCall *call = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_thread_self () == call->main_thread);
  call->run = lia_sync_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async_progress (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new (handle, NULL);
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (db_path, &error);
  gint64 id = add (db, server, "Async", TRUE);
  LiaSyncOptions options = { .integration_id = id, .trigger = "manual" };
  AsyncCall call = { g_thread_self (), 0, NULL };

  lia_sync_async (db_path, &options, on_progress_cb, &call, NULL, on_done_cb, &call);
  while (call.run == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Progress that was queued is delivered before or after the result,
   * always on this thread. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_cmpstr (call.run->status, ==, "success");
  g_assert_cmpint (call.run->counts[LIA_DATA_TYPE_STUDENTS].created, ==, 30);
  g_assert_cmpuint (call.progress_calls, >=, 1);
  lia_sync_run_free (call.run);
}

/* Full pages of ten, for ever, slowly: a sync that runs until cancelled. */
static void
handle_endless (SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  GString *json = g_string_new ("[");
  const char *page = g_hash_table_lookup (query, "page");

  for (int i = 0; i < 10; i++)
    g_string_append_printf (json, "%s{\"externalId\": \"e%s-%d\"}", i ? "," : "", page ? page : "", i);
  g_string_append_c (json, ']');
  g_usleep (20 * 1000);
  lia_test_reply_json (message, 200, json->str);
  g_string_free (json, TRUE);
}

typedef struct {
  gint64  id;
  char   *status;
} Finished;

static void
on_finished_keep_cb (LiaScheduler *scheduler,
                     gint64        id,
                     LiaSyncRun   *run,
                     GError       *error,
                     GArray       *finished)
{
  Finished f = { id, NULL };

  g_assert_no_error (error);
  f.status = g_strdup (run->status);
  g_array_append_val (finished, f);
}

/* Cancelling one integration's scheduled sync stops that sync only. */
static void
test_cancel_one (void)
{
  g_autoptr(LiaTestServer) server = lia_test_server_new (handle, NULL);
  g_autoptr(LiaTestServer) endless_server = lia_test_server_new (handle_endless, NULL);
  g_autofree char *db_path = lia_test_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (db_path, &error);
  g_autoptr(LiaScheduler) scheduler = NULL;
  g_autoptr(GArray) finished = g_array_new (FALSE, FALSE, sizeof (Finished));
  g_autoptr(LiaConfig) config = NULL;
  g_autofree char *json = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 quick, endless;

  g_assert_no_error (error);
  quick = add (db, server, "Quick", TRUE);
  json = g_strdup_printf ("{\"name\": \"Endless\", \"kind\": \"rest\", \"baseUrl\": \"%s\", \"syncInterval\": 30,"
                          " \"endpoints\": {\"students\": {\"path\": \"/students\", \"pagination\":"
                          " {\"style\": \"page\", \"pageParam\": \"page\", \"sizeParam\": \"limit\", \"size\": 10}}}}",
                          lia_test_server_get_url (endless_server));
  config = lia_test_config (json, NULL);
  endless = lia_integration_store_add (db, config, NULL, &error);
  g_assert_no_error (error);

  scheduler = lia_scheduler_new (db_path);
  g_signal_connect (scheduler, "sync-finished", G_CALLBACK (on_finished_keep_cb), finished);
  lia_scheduler_start (scheduler);

  /* Both are due at once; the quick one ends, the endless one goes on. */
  while (finished->len < 1 || lia_test_server_get_hits (endless_server) < 3)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (g_array_index (finished, Finished, 0).id, ==, quick);
  g_assert_true (lia_scheduler_is_running (scheduler, endless));

  lia_scheduler_cancel (scheduler, quick);  /* not running: nothing happens */
  lia_scheduler_cancel (scheduler, endless);
  while (finished->len < 2)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (g_array_index (finished, Finished, 1).id, ==, endless);
  g_assert_cmpstr (g_array_index (finished, Finished, 1).status, ==, "cancelled");
  g_assert_cmpstr (g_array_index (finished, Finished, 0).status, ==, "success");
  g_assert_false (lia_scheduler_is_running (scheduler, endless));

  /* The schedule itself goes on: both are now due in 30 minutes. */
  g_assert_cmpint (lia_scheduler_get_next_run (scheduler, quick), ==, 0);
  lia_scheduler_check_now (scheduler);
  while (lia_scheduler_get_next_run (scheduler, quick) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpint (lia_scheduler_get_next_run (scheduler, endless), >, lia_now_ms () + 29 * 60 * 1000);
  g_assert_cmpuint (finished->len, ==, 2);

  lia_scheduler_stop (scheduler);
  for (guint i = 0; i < finished->len; i++)
    g_free (g_array_index (finished, Finished, i).status);
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/scheduler/next-due", test_next_due);
  g_test_add_func ("/scheduler/schedule", test_schedule);
  g_test_add_func ("/scheduler/cancel-one", test_cancel_one);
  g_test_add_func ("/scheduler/async-progress", test_async_progress);

  return g_test_run ();
}
