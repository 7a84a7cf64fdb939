/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-scheduler"

#include "config.h"

#include "lia-database.h"
#include "lia-scheduler.h"
#include "lia-sync-error.h"
#include "lia-sync-runner.h"
#include "lia-util.h"

/* How often the schedule is looked at. A sync starts at most this late. */
#define CHECK_SECONDS 30

struct _LiaScheduler
{
  GObject       parent_instance;

  char         *db_path;
  GCancellable *cancellable;
  guint         check_id;
  gboolean      checking;
  GHashTable   *next_runs;  /* integration id → Unix ms it is next due */
  GHashTable   *running;    /* integration id → the cancellable of its sync under way */
};

G_DEFINE_FINAL_TYPE (LiaScheduler, lia_scheduler, G_TYPE_OBJECT)

enum {
  SYNC_STARTED,
  SYNC_FINISHED,
  CHECKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct {
  gint64 id;
  gint64 due;
} Due;

/* Helpers */

/* Reads every enabled integration's interval and last start (in a worker:
 * the main loop never waits for the database). */
static void
read_schedule_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *db_path = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GArray) schedule = g_array_new (FALSE, FALSE, sizeof (Due));
  GError *error = NULL;
  sqlite3_stmt *stmt;

  db = lia_database_open (db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  stmt = lia_database_prepare (db,
                               "SELECT i.id, json_extract (i.config, '$.syncInterval'),"
                               " (SELECT max (started_at) FROM sync_runs r WHERE r.integration_id = i.id AND r.dry_run = 0)"
                               " FROM integrations i WHERE i.enabled = 1 AND i.needs_signin = 0", &error);
  if (stmt == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      int interval = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? 60 : sqlite3_column_int (stmt, 1);
      Due due = { sqlite3_column_int64 (stmt, 0), lia_schedule_next_due (sqlite3_column_int64 (stmt, 2), interval) };

      g_array_append_val (schedule, due);
    }
  sqlite3_reset (stmt);
  g_task_return_pointer (task, g_steal_pointer (&schedule), (GDestroyNotify) g_array_unref);
}

typedef struct {
  LiaScheduler *self;
  gint64        id;
} SyncCall;

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree SyncCall *call = user_data;
  g_autoptr(LiaScheduler) self = call->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaSyncRun) run = lia_sync_finish (result, &error);
  gint64 id = call->id;

  g_hash_table_remove (self->running, &id);
  /* Another process running the same integration is not a failure. */
  if (g_error_matches (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_ALREADY_RUNNING))
    g_clear_error (&error);
  g_signal_emit (self, signals[SYNC_FINISHED], 0, id, run, error);
}

static void
start_sync (LiaScheduler *self,
            gint64        id)
{
  LiaSyncOptions options = { .integration_id = id, .trigger = "scheduled" };
  gint64 *key = g_new (gint64, 1);
  SyncCall *call = g_new (SyncCall, 1);
  GCancellable *cancellable = g_cancellable_new ();

  *key = id;
  g_hash_table_insert (self->running, key, cancellable);
  g_signal_emit (self, signals[SYNC_STARTED], 0, id);
  g_debug ("Scheduled sync of integration %" G_GINT64_FORMAT, id);
  call->self = g_object_ref (self);
  call->id = id;
  lia_sync_async (self->db_path, &options, NULL, NULL, cancellable, sync_done_cb, call);
}

static void
schedule_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LiaScheduler) self = user_data;
  g_autoptr(GArray) schedule = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = lia_now_ms ();

  self->checking = FALSE;
  schedule = g_task_propagate_pointer (G_TASK (result), &error);
  if (schedule == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read the sync schedule: %s", error->message);
      return;
    }

  g_hash_table_remove_all (self->next_runs);
  for (guint i = 0; i < schedule->len; i++)
    {
      Due *due = &g_array_index (schedule, Due, i);
      gint64 *key = g_new (gint64, 1);

      *key = due->id;
      g_hash_table_insert (self->next_runs, key, g_memdup2 (&due->due, sizeof due->due));
      if (due->due <= now && !g_hash_table_contains (self->running, &due->id))
        start_sync (self, due->id);
    }
  g_signal_emit (self, signals[CHECKED], 0);
}

static gboolean
check_cb (gpointer user_data)
{
  lia_scheduler_check_now (user_data);
  return G_SOURCE_CONTINUE;
}

/* GObject */

static void
lia_scheduler_dispose (GObject *object)
{
  LiaScheduler *self = LIA_SCHEDULER (object);

  lia_scheduler_stop (self);
  G_OBJECT_CLASS (lia_scheduler_parent_class)->dispose (object);
}

static void
lia_scheduler_finalize (GObject *object)
{
  LiaScheduler *self = LIA_SCHEDULER (object);

  g_free (self->db_path);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->next_runs, g_hash_table_unref);
  g_clear_pointer (&self->running, g_hash_table_unref);
  G_OBJECT_CLASS (lia_scheduler_parent_class)->finalize (object);
}

static void
lia_scheduler_class_init (LiaSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lia_scheduler_dispose;
  object_class->finalize = lia_scheduler_finalize;

  /* An integration's scheduled sync started. */
  signals[SYNC_STARTED] = g_signal_new ("sync-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /* It ended: with its run (a pointer to LiaSyncRun, valid during the
   * emission), or with the GError that kept it from running. */
  signals[SYNC_FINISHED] = g_signal_new ("sync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                         G_TYPE_INT64, G_TYPE_POINTER, G_TYPE_ERROR);
  /* The schedule was read again (next runs are up to date). */
  signals[CHECKED] = g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lia_scheduler_init (LiaScheduler *self)
{
  self->next_runs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

/* Public API */

LiaScheduler *
lia_scheduler_new (const char *db_path)
{
  LiaScheduler *self = g_object_new (LIA_TYPE_SCHEDULER, NULL);

  self->db_path = g_strdup (db_path);
  return self;
}

void
lia_scheduler_start (LiaScheduler *self)
{
  g_return_if_fail (LIA_IS_SCHEDULER (self));

  if (self->check_id != 0)
    return;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->check_id = g_timeout_add_seconds (CHECK_SECONDS, check_cb, self);
  lia_scheduler_check_now (self);
}

/* Stops scheduling and cancels the syncs it started (each ends at a page
 * boundary, recorded as cancelled). */
void
lia_scheduler_stop (LiaScheduler *self)
{
  GHashTableIter iter;
  GCancellable *cancellable;

  g_return_if_fail (LIA_IS_SCHEDULER (self));

  g_clear_handle_id (&self->check_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &cancellable))
    g_cancellable_cancel (cancellable);
}

/* Cancels the integration's scheduled sync, if one is under way, and
 * nothing else: the schedule and the other syncs go on. */
void
lia_scheduler_cancel (LiaScheduler *self,
                      gint64        integration_id)
{
  GCancellable *cancellable;

  g_return_if_fail (LIA_IS_SCHEDULER (self));

  cancellable = g_hash_table_lookup (self->running, &integration_id);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

void
lia_scheduler_check_now (LiaScheduler *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (LIA_IS_SCHEDULER (self));

  if (self->checking)
    return;
  self->checking = TRUE;
  task = g_task_new (NULL, self->cancellable, schedule_read_cb, g_object_ref (self));
  g_task_set_source_tag (task, lia_scheduler_check_now);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, read_schedule_thread);
}

/* When the integration is next due, in Unix ms (0 when it is not
 * scheduled: disabled, needing sign-in, or not read yet). */
gint64
lia_scheduler_get_next_run (LiaScheduler *self,
                            gint64        integration_id)
{
  gint64 *due = g_hash_table_lookup (self->next_runs, &integration_id);

  return due ? *due : 0;
}

gboolean
lia_scheduler_is_running (LiaScheduler *self,
                          gint64        integration_id)
{
  return g_hash_table_contains (self->running, &integration_id);
}

/* An integration that never ran is due at once; otherwise one interval
 * after its last start, however many intervals ago that was. */
gint64
lia_schedule_next_due (gint64 last_start_ms,
                       int    interval_minutes)
{
  if (last_start_ms <= 0)
    return 0;
  return last_start_ms + (gint64) MAX (interval_minutes, 5) * 60 * 1000;
}
