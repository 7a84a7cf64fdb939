/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-integration-tasks"

#include "config.h"

#include "lia-history.h"
#include "lia-integration-tasks.h"

/* What every task carries into its thread: plain copies, nothing the UI
 * may change meanwhile. */
typedef struct {
  char     *database_path;
  gint64    id;
  gboolean  enabled;
} Op;

/* --- Helpers ------------------------------------------------------------- */

static void
op_free (Op *op)
{
  g_free (op->database_path);
  g_free (op);
}

static GTask *
new_task (const char          *database_path,
          gint64               id,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->database_path = g_strdup (database_path);
  op->id = id;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return task;
}

/* Opens this thread's own connection, or returns the error on @task. */
static LiaDatabase *
open_or_return (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  LiaDatabase *db = lia_database_open (op->database_path, &error);

  if (db == NULL)
    g_task_return_error (task, error);
  return db;
}

static gboolean
is_valid (GAsyncResult *result,
          gpointer      source_tag)
{
  return g_task_is_valid (result, NULL) && g_task_get_source_tag (G_TASK (result)) == source_tag;
}

/* --- Threads ------------------------------------------------------------- */

static void
get_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(LiaDatabase) db = open_or_return (task);
  LiaIntegration *integration;
  GError *error = NULL;

  if (db == NULL)
    return;
  integration = lia_integration_store_get (db, op->id, &error);
  if (integration == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, integration, (GDestroyNotify) lia_integration_free);
}

static void
set_enabled_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(LiaDatabase) db = open_or_return (task);
  GError *error = NULL;

  if (db == NULL)
    return;
  if (lia_integration_store_set_enabled (db, op->id, op->enabled, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
count_runs_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(LiaDatabase) db = open_or_return (task);
  LiaHistoryFilter filter = { .integration_id = op->id };
  GError *error = NULL;
  gint64 count;

  if (db == NULL)
    return;
  count = lia_history_count (db, &filter, &error);
  if (count < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, count);
}

static void
last_records_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(LiaDatabase) db = open_or_return (task);
  LiaHistoryFilter filter = { .integration_id = op->id, .status = "success" };
  g_autoptr(GPtrArray) runs = NULL;
  GError *error = NULL;

  if (db == NULL)
    return;
  runs = lia_history_list (db, &filter, 0, 1, TRUE, &error);
  if (runs == NULL)
    g_task_return_error (task, error);
  else if (runs->len == 0)
    g_task_return_int (task, 0);
  else
    g_task_return_int (task, lia_sync_run_total (g_ptr_array_index (runs, 0),
                                                 G_STRUCT_OFFSET (LiaSyncCounts, processed)));
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Op *op = task_data;
  g_autoptr(LiaDatabase) db = open_or_return (task);
  GError *error = NULL;

  if (db == NULL)
    return;
  /* The store removes its keyring items and, by cascade, its data and
   * history. */
  if (lia_integration_store_remove (db, op->id, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* --- Public API ---------------------------------------------------------- */

/* Reads one integration again, with its status and last run. */
void
lia_integration_tasks_get_async (const char          *database_path,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (database_path != NULL);

  task = new_task (database_path, id, lia_integration_tasks_get_async, cancellable, callback, user_data);
  g_task_run_in_thread (task, get_thread);
}

LiaIntegration *
lia_integration_tasks_get_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (is_valid (result, lia_integration_tasks_get_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
lia_integration_tasks_set_enabled_async (const char          *database_path,
                                         gint64               id,
                                         gboolean             enabled,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (database_path != NULL);

  task = new_task (database_path, id, lia_integration_tasks_set_enabled_async, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  op->enabled = enabled;
  g_task_run_in_thread (task, set_enabled_thread);
}

gboolean
lia_integration_tasks_set_enabled_finish (GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (is_valid (result, lia_integration_tasks_set_enabled_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* How many sync runs the history keeps for the integration. */
void
lia_integration_tasks_count_runs_async (const char          *database_path,
                                        gint64               id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (database_path != NULL);

  task = new_task (database_path, id, lia_integration_tasks_count_runs_async, cancellable, callback, user_data);
  g_task_run_in_thread (task, count_runs_thread);
}

/* The count, or -1 with @error set. */
gint64
lia_integration_tasks_count_runs_finish (GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (is_valid (result, lia_integration_tasks_count_runs_async), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* How many records the integration's last successful sync processed: what
 * the next one will likely bring. */
void
lia_integration_tasks_last_records_async (const char          *database_path,
                                          gint64               id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (database_path != NULL);

  task = new_task (database_path, id, lia_integration_tasks_last_records_async, cancellable, callback, user_data);
  g_task_run_in_thread (task, last_records_thread);
}

/* The records, 0 when it never synced successfully, or -1 with @error set. */
gint64
lia_integration_tasks_last_records_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (is_valid (result, lia_integration_tasks_last_records_async), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* Removes the integration, its synced data, its history and its secrets. */
void
lia_integration_tasks_remove_async (const char          *database_path,
                                    gint64               id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (database_path != NULL);

  task = new_task (database_path, id, lia_integration_tasks_remove_async, cancellable, callback, user_data);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
lia_integration_tasks_remove_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (is_valid (result, lia_integration_tasks_remove_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
