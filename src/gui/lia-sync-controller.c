/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-sync-controller"

#include "config.h"

#include "lia-database.h"
#include "lia-integration-store.h"
#include "lia-integration-tasks.h"
#include "lia-sync-controller.h"
#include "lia-sync-runner.h"

/* Every sync of one database that the app knows about, whoever started it:
 * a card's Sync button, Ctrl+R, or the scheduler this object owns. Windows
 * come and go; the application keeps one controller per database, so that
 * a card opened while a sync runs shows it, and scheduled syncs go on
 * while no window is open.
 *
 * A manual sync has a GCancellable of its own; a scheduled one is
 * cancelled through the scheduler, which leaves the others running.
 *
 * A manual sync's progress is passed on at most every
 * PROGRESS_INTERVAL_US: each update redraws the card, which with software
 * GL costs a frame of the whole window. When it starts, the records its
 * integration's last successful sync processed are read too, for the card
 * to show how far along it probably is. */
struct _LiaSyncController
{
  GObject       parent_instance;

  char         *database_path;
  LiaScheduler *scheduler;
  gboolean      scheduling;
  GHashTable   *running;   /* integration id → Running */
  GHashTable   *shadowed;  /* ids the scheduler tried while a manual sync ran */
};

G_DEFINE_FINAL_TYPE (LiaSyncController, lia_sync_controller, G_TYPE_OBJECT)

enum {
  SYNC_STARTED,
  SYNC_PROGRESS,
  SYNC_FINISHED,
  SCHEDULE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 4)

typedef struct {
  LiaSyncController *self;
  gint64             id;
  gboolean           scheduled;
  GCancellable      *cancellable;     /* manual syncs only */
  GCancellable      *estimate_cancellable;  /* of the read of @expected */
  gint64             records;
  guint              pages;
  gint64             expected;        /* the last success's records; 0: unknown */
  gboolean           has_progress;
  gint64             emitted_at;      /* monotonic µs of the last sync-progress */
  guint              emit_id;         /* a sync-progress held back */
} Running;

/* What a manual sync's completion needs. */
typedef struct {
  LiaSyncController *self;  /* a reference */
  gint64             id;
} ManualCall;

/* --- Helpers ------------------------------------------------------------- */

static void
running_free (Running *running)
{
  g_cancellable_cancel (running->estimate_cancellable);
  g_clear_object (&running->estimate_cancellable);
  g_clear_object (&running->cancellable);
  g_clear_handle_id (&running->emit_id, g_source_remove);
  g_free (running);
}

static gint64 *
id_key (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static void
emit_progress (Running *running)
{
  running->emitted_at = g_get_monotonic_time ();
  g_signal_emit (running->self, signals[SYNC_PROGRESS], 0, running->id, running->records, running->pages);
}

static gboolean
emit_held_progress_cb (gpointer user_data)
{
  Running *running = user_data;

  running->emit_id = 0;
  emit_progress (running);
  return G_SOURCE_REMOVE;
}

/* Emits sync-progress now, or once PROGRESS_INTERVAL_US has passed since
 * the last one. */
static void
queue_progress (Running *running)
{
  gint64 wait = running->emitted_at + PROGRESS_INTERVAL_US - g_get_monotonic_time ();

  if (running->emit_id != 0)
    return;
  if (wait <= 0)
    emit_progress (running);
  else
    running->emit_id = g_timeout_add ((guint) (wait / 1000) + 1, emit_held_progress_cb, running);
}

static void
on_last_records_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Running *running = user_data;
  g_autoptr(GError) error = NULL;
  gint64 records;

  /* Cancelled when the sync ended: @running is gone. */
  records = lia_integration_tasks_last_records_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&running->estimate_cancellable);
  if (records < 0)
    {
      g_debug ("Cannot read the last sync of integration %" G_GINT64_FORMAT ": %s",
               running->id, error->message);
      return;
    }
  running->expected = records;
  if (records > 0 && running->has_progress)
    queue_progress (running);
}

static Running *
add_running (LiaSyncController *self,
             gint64             id,
             gboolean           scheduled)
{
  Running *running = g_new0 (Running, 1);

  running->self = self;
  running->id = id;
  running->scheduled = scheduled;
  g_hash_table_insert (self->running, id_key (id), running);
  return running;
}

/* Takes the record out of the table, and emits sync-finished. */
static void
finish_running (LiaSyncController *self,
                gint64             id,
                const LiaSyncRun  *run,
                const GError      *error)
{
  g_hash_table_remove (self->running, &id);
  g_signal_emit (self, signals[SYNC_FINISHED], 0, id, run, error);

  /* The next slot moved: read the schedule again. */
  if (self->scheduling)
    lia_scheduler_check_now (self->scheduler);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
on_sync_progress_cb (const LiaSyncProgress *progress,
                     gpointer               user_data)
{
  LiaSyncController *self = LIA_SYNC_CONTROLLER (user_data);
  Running *running = g_hash_table_lookup (self->running, &progress->integration_id);

  if (running == NULL)
    return;

  running->records = progress->records;
  running->pages = progress->pages;
  running->has_progress = TRUE;
  queue_progress (running);
}

static void
on_manual_sync_done_cb (GObject      *source_object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autofree ManualCall *call = user_data;
  g_autoptr(LiaSyncController) self = call->self;
  g_autoptr(LiaSyncRun) run = NULL;
  g_autoptr(GError) error = NULL;

  run = lia_sync_finish (result, &error);
  g_debug ("Manual sync of integration %" G_GINT64_FORMAT " ended: %s", call->id,
           run != NULL ? run->status : error->message);
  finish_running (self, call->id, run, error);
}

static void
on_scheduled_sync_started_cb (LiaSyncController *self,
                              gint64             id,
                              LiaScheduler      *scheduler)
{
  Running *running = g_hash_table_lookup (self->running, &id);

  /* A manual sync holds the lock: the scheduler's run ends at once, and
   * must not end the manual one's display. */
  if (running != NULL)
    {
      g_hash_table_add (self->shadowed, id_key (id));
      return;
    }

  add_running (self, id, TRUE);
  g_signal_emit (self, signals[SYNC_STARTED], 0, id);
}

static void
on_scheduled_sync_finished_cb (LiaSyncController *self,
                               gint64             id,
                               LiaSyncRun        *run,
                               GError            *error,
                               LiaScheduler      *scheduler)
{
  Running *running;

  if (g_hash_table_remove (self->shadowed, &id))
    return;

  running = g_hash_table_lookup (self->running, &id);
  if (running == NULL || !running->scheduled)
    return;

  finish_running (self, id, run, error);
}

static void
on_schedule_checked_cb (LiaSyncController *self,
                        LiaScheduler      *scheduler)
{
  g_signal_emit (self, signals[SCHEDULE_CHANGED], 0);
}

/* --- Sync all ------------------------------------------------------------ */

/* The ids of every enabled integration that can sync without a sign-in. */
static void
list_syncable_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GPtrArray) integrations = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GError *error = NULL;

  db = lia_database_open (path, &error);
  if (db != NULL)
    integrations = lia_integration_store_list (db, &error);
  if (integrations == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < integrations->len; i++)
    {
      LiaIntegration *integration = g_ptr_array_index (integrations, i);

      if (integration->enabled && g_strcmp0 (integration->status, LIA_STATUS_NEEDS_SIGNIN) != 0)
        g_array_append_val (ids, integration->id);
    }
  g_task_return_pointer (task, g_steal_pointer (&ids), (GDestroyNotify) g_array_unref);
}

static void
on_syncable_listed_cb (GObject      *source_object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  LiaSyncController *self = LIA_SYNC_CONTROLLER (source_object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GArray) ids = NULL;
  GError *error = NULL;
  gssize started = 0;

  ids = g_task_propagate_pointer (G_TASK (result), &error);
  if (ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < ids->len; i++)
    if (lia_sync_controller_sync (self, g_array_index (ids, gint64, i)))
      started++;
  g_task_return_int (task, started);
}

/* --- GObject ------------------------------------------------------------ */

static void
lia_sync_controller_dispose (GObject *object)
{
  LiaSyncController *self = LIA_SYNC_CONTROLLER (object);

  if (self->scheduler != NULL)
    lia_scheduler_stop (self->scheduler);
  g_clear_object (&self->scheduler);

  G_OBJECT_CLASS (lia_sync_controller_parent_class)->dispose (object);
}

static void
lia_sync_controller_finalize (GObject *object)
{
  LiaSyncController *self = LIA_SYNC_CONTROLLER (object);

  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_pointer (&self->shadowed, g_hash_table_unref);
  g_free (self->database_path);

  G_OBJECT_CLASS (lia_sync_controller_parent_class)->finalize (object);
}

static void
lia_sync_controller_class_init (LiaSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lia_sync_controller_dispose;
  object_class->finalize = lia_sync_controller_finalize;

  /**
   * LiaSyncController::sync-started:
   * @integration_id: the integration
   *
   * A sync of the integration began, manual or scheduled.
   */
  signals[SYNC_STARTED] = g_signal_new ("sync-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * LiaSyncController::sync-progress:
   * @integration_id: the integration
   * @records: records processed so far, every data type together
   * @pages: pages so far
   *
   * At most four times a second while a manual sync runs, and when the
   * records it will probably bring are known (see
   * lia_sync_controller_get_progress()). Scheduled syncs report no
   * progress.
   */
  signals[SYNC_PROGRESS] = g_signal_new ("sync-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                         G_TYPE_INT64, G_TYPE_INT64, G_TYPE_UINT);

  /**
   * LiaSyncController::sync-finished:
   * @integration_id: the integration
   * @run: (nullable): the LiaSyncRun, valid during the emission
   * @error: (nullable): what kept the sync from running at all
   *
   * The sync ended. Neither @run nor @error is set when another process
   * was syncing the integration already.
   */
  signals[SYNC_FINISHED] = g_signal_new ("sync-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                         G_TYPE_INT64, G_TYPE_POINTER, G_TYPE_ERROR);

  /**
   * LiaSyncController::schedule-changed:
   *
   * The scheduler read the schedule again: next runs may have moved.
   */
  signals[SCHEDULE_CHANGED] = g_signal_new ("schedule-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
lia_sync_controller_init (LiaSyncController *self)
{
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) running_free);
  self->shadowed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* --- Public API ---------------------------------------------------------- */

LiaSyncController *
lia_sync_controller_new (const char *database_path)
{
  LiaSyncController *self;

  g_return_val_if_fail (database_path != NULL, NULL);

  self = g_object_new (LIA_TYPE_SYNC_CONTROLLER, NULL);
  self->database_path = g_strdup (database_path);
  self->scheduler = lia_scheduler_new (database_path);
  g_signal_connect_object (self->scheduler, "sync-started",
                           G_CALLBACK (on_scheduled_sync_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scheduler, "sync-finished",
                           G_CALLBACK (on_scheduled_sync_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scheduler, "checked",
                           G_CALLBACK (on_schedule_checked_cb), self, G_CONNECT_SWAPPED);
  return self;
}

const char *
lia_sync_controller_get_database_path (LiaSyncController *self)
{
  g_return_val_if_fail (LIA_IS_SYNC_CONTROLLER (self), NULL);

  return self->database_path;
}

/* The scheduler, for whoever wants to hear of scheduled syncs alone
 * (the application's notifications). */
LiaScheduler *
lia_sync_controller_get_scheduler (LiaSyncController *self)
{
  g_return_val_if_fail (LIA_IS_SYNC_CONTROLLER (self), NULL);

  return self->scheduler;
}

/* Starts syncing each enabled integration on its schedule. The
 * application calls it when it shows a database; tests leave it off so
 * that nothing syncs behind their back. */
void
lia_sync_controller_start_scheduler (LiaSyncController *self)
{
  g_return_if_fail (LIA_IS_SYNC_CONTROLLER (self));

  if (self->scheduling)
    return;
  self->scheduling = TRUE;
  lia_scheduler_start (self->scheduler);
}

gboolean
lia_sync_controller_is_scheduling (LiaSyncController *self)
{
  g_return_val_if_fail (LIA_IS_SYNC_CONTROLLER (self), FALSE);

  return self->scheduling;
}

/* Stops the scheduler and cancels every sync; each still ends, recorded
 * as cancelled, and emits sync-finished. */
void
lia_sync_controller_shutdown (LiaSyncController *self)
{
  GHashTableIter iter;
  Running *running;

  g_return_if_fail (LIA_IS_SYNC_CONTROLLER (self));

  self->scheduling = FALSE;
  lia_scheduler_stop (self->scheduler);

  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &running))
    if (running->cancellable != NULL)
      g_cancellable_cancel (running->cancellable);
}

/* Starts a manual sync of the integration, unless one is under way
 * already (then returns FALSE). */
gboolean
lia_sync_controller_sync (LiaSyncController *self,
                          gint64             integration_id)
{
  LiaSyncOptions options = { .integration_id = integration_id, .trigger = "manual" };
  ManualCall *call;
  Running *running;

  g_return_val_if_fail (LIA_IS_SYNC_CONTROLLER (self), FALSE);
  g_return_val_if_fail (integration_id > 0, FALSE);

  if (g_hash_table_contains (self->running, &integration_id))
    return FALSE;

  running = add_running (self, integration_id, FALSE);
  running->cancellable = g_cancellable_new ();
  running->estimate_cancellable = g_cancellable_new ();
  lia_integration_tasks_last_records_async (self->database_path, integration_id, running->estimate_cancellable,
                                            on_last_records_cb, running);
  g_debug ("Manual sync of integration %" G_GINT64_FORMAT, integration_id);
  g_signal_emit (self, signals[SYNC_STARTED], 0, integration_id);

  call = g_new0 (ManualCall, 1);
  call->self = g_object_ref (self);
  call->id = integration_id;
  lia_sync_async (self->database_path, &options, on_sync_progress_cb, self,
                  running->cancellable, on_manual_sync_done_cb, call);
  return TRUE;
}

/* Asks the integration's sync to stop at its next page boundary. */
void
lia_sync_controller_cancel (LiaSyncController *self,
                            gint64             integration_id)
{
  Running *running;

  g_return_if_fail (LIA_IS_SYNC_CONTROLLER (self));

  running = g_hash_table_lookup (self->running, &integration_id);
  if (running == NULL)
    return;

  g_debug ("Cancelling the sync of integration %" G_GINT64_FORMAT, integration_id);
  if (running->cancellable != NULL)
    g_cancellable_cancel (running->cancellable);
  else
    lia_scheduler_cancel (self->scheduler, integration_id);
}

gboolean
lia_sync_controller_is_running (LiaSyncController *self,
                                gint64             integration_id)
{
  g_return_val_if_fail (LIA_IS_SYNC_CONTROLLER (self), FALSE);

  return g_hash_table_contains (self->running, &integration_id);
}

/* Whether the integration's running sync has reported progress yet, and
 * its records so far. @out_expected gets how many records the last
 * successful sync of the integration processed (0 when unknown): about
 * what this one will bring, whether it reported progress or not. */
gboolean
lia_sync_controller_get_progress (LiaSyncController *self,
                                  gint64             integration_id,
                                  gint64            *out_records,
                                  gint64            *out_expected)
{
  Running *running;

  g_return_val_if_fail (LIA_IS_SYNC_CONTROLLER (self), FALSE);

  running = g_hash_table_lookup (self->running, &integration_id);
  if (out_expected != NULL)
    *out_expected = running != NULL ? running->expected : 0;
  if (running == NULL || !running->has_progress)
    return FALSE;
  if (out_records != NULL)
    *out_records = running->records;
  return TRUE;
}

/* When the scheduler next syncs the integration, in Unix ms: 0 when it is
 * due now, -1 when nothing is scheduled (the scheduler is off, or the
 * integration is disabled or needs a sign-in). */
gint64
lia_sync_controller_get_next_run (LiaSyncController *self,
                                  gint64             integration_id)
{
  g_return_val_if_fail (LIA_IS_SYNC_CONTROLLER (self), -1);

  if (!self->scheduling)
    return -1;
  return lia_scheduler_get_next_run (self->scheduler, integration_id);
}

/* Starts a manual sync of every enabled integration that is not syncing
 * already and needs no sign-in. The list is read in a worker thread; the
 * syncs start on the main context, so that their signals come in order. */
void
lia_sync_controller_sync_all_async (LiaSyncController   *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) list_task = NULL;

  g_return_if_fail (LIA_IS_SYNC_CONTROLLER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lia_sync_controller_sync_all_async);

  list_task = g_task_new (self, cancellable, on_syncable_listed_cb, g_steal_pointer (&task));
  g_task_set_source_tag (list_task, list_syncable_thread);
  g_task_set_task_data (list_task, g_strdup (self->database_path), g_free);
  g_task_run_in_thread (list_task, list_syncable_thread);
}

/* How many syncs began (those already running are not counted). */
gboolean
lia_sync_controller_sync_all_finish (LiaSyncController  *self,
                                     GAsyncResult       *result,
                                     guint              *out_started,
                                     GError            **error)
{
  gssize started;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_sync_controller_sync_all_async, FALSE);

  started = g_task_propagate_int (G_TASK (result), error);
  if (started < 0)
    return FALSE;
  if (out_started != NULL)
    *out_started = (guint) started;
  return TRUE;
}
