/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "lia-export.h"

/* Big enough that a million CSV rows cost a few hundred writes. */
#define BUFFER_SIZE (256 * 1024)

struct _LiaExportSink {
  char          *path;       /* the target, NULL for standard output */
  char          *temp_path;  /* beside it, renamed over it on commit */
  int            fd;
  GOutputStream *stream;     /* buffered, over fd */
  gboolean       committed;
};

G_DEFINE_QUARK (lia-export-error-quark, lia_export_error)

/* Sink */

LiaExportSink *
lia_export_sink_new (const char  *path,
                     GError     **error)
{
  g_autoptr(LiaExportSink) sink = g_new0 (LiaExportSink, 1);
  g_autoptr(GOutputStream) raw = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  sink->fd = -1;
  if (g_str_equal (path, "-"))
    {
      raw = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *template = g_strdup_printf (".%s.XXXXXX", base);

      sink->path = g_strdup (path);
      sink->temp_path = g_build_filename (dir, template, NULL);
      sink->fd = g_mkstemp_full (sink->temp_path, O_WRONLY | O_CLOEXEC, 0644);
      if (sink->fd < 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot write in %s: %s"), dir, g_strerror (saved_errno));
          g_clear_pointer (&sink->temp_path, g_free);
          return NULL;
        }
      raw = g_unix_output_stream_new (sink->fd, FALSE);
    }

  sink->stream = g_buffered_output_stream_new_sized (raw, BUFFER_SIZE);
  return g_steal_pointer (&sink);
}

GOutputStream *
lia_export_sink_get_stream (LiaExportSink *sink)
{
  return sink->stream;
}

/* Flushes, syncs and renames the file into place. */
gboolean
lia_export_sink_commit (LiaExportSink  *sink,
                        GError        **error)
{
  if (!g_output_stream_flush (sink->stream, NULL, error))
    return FALSE;
  if (sink->temp_path == NULL)
    {
      sink->committed = TRUE;
      return TRUE;
    }

  if (fsync (sink->fd) != 0 || g_rename (sink->temp_path, sink->path) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot write %s: %s"), sink->path, g_strerror (saved_errno));
      return FALSE;
    }
  sink->committed = TRUE;
  return TRUE;
}

/* Frees the sink; without a commit, the temporary file goes too. */
void
lia_export_sink_free (LiaExportSink *sink)
{
  if (sink == NULL)
    return;
  g_clear_object (&sink->stream);
  if (sink->fd >= 0)
    close (sink->fd);
  if (!sink->committed && sink->temp_path != NULL)
    g_unlink (sink->temp_path);
  g_free (sink->path);
  g_free (sink->temp_path);
  g_free (sink);
}

/* Running */

/* Exports in the calling thread (not the GTK main thread). */
gboolean
lia_export_run (const char              *db_path,
                const LiaExportOptions  *options,
                const char              *path,
                LiaExportProgressFunc    progress,
                gpointer                 progress_data,
                GCancellable            *cancellable,
                gint64                  *out_rows,
                GError                 **error)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaExportSink) sink = NULL;
  LiaExportContext context = { 0 };
  gint64 rows = -1;

  db = lia_database_open (db_path, error);
  if (db == NULL)
    return FALSE;
  sink = lia_export_sink_new (path, error);
  if (sink == NULL)
    return FALSE;

  context.db = db;
  context.options = options;
  context.out = lia_export_sink_get_stream (sink);
  context.progress = progress;
  context.progress_data = progress_data;
  context.cancellable = cancellable;

  switch (options->kind)
    {
    case LIA_EXPORT_MOODLE_RECORDS:
    case LIA_EXPORT_MOODLE_MARK_SESSION:
    case LIA_EXPORT_MOODLE_GRADEBOOK:
      rows = lia_moodle_csv_write (&context, error);
      break;
    case LIA_EXPORT_ICS:
      rows = lia_ics_write (&context, error);
      break;
    case LIA_EXPORT_REPORT_CSV:
    case LIA_EXPORT_REPORT_JSON:
      rows = lia_attendance_report_write (&context, error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (rows < 0 || !lia_export_sink_commit (sink, error))
    return FALSE;
  if (out_rows != NULL)
    *out_rows = rows;
  return TRUE;
}

typedef struct {
  char                  *db_path;
  char                  *path;
  LiaExportOptions       options;
  char                  *strings[8];  /* copies the options point into */
  LiaExportProgressFunc  progress;
  gpointer               progress_data;
  GMainContext          *context;
  gint64                 last_progress;
} ExportTaskData;

typedef struct {
  LiaExportProgressFunc progress;
  gpointer              progress_data;
  gint64                rows;
} ProgressCall;

static void
export_task_data_free (ExportTaskData *data)
{
  g_free (data->db_path);
  g_free (data->path);
  for (guint i = 0; i < G_N_ELEMENTS (data->strings); i++)
    g_free (data->strings[i]);
  g_main_context_unref (data->context);
  g_free (data);
}

static gboolean
deliver_progress_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (call->rows, call->progress_data);
  return G_SOURCE_REMOVE;
}

static void
forward_progress (gint64   rows,
                  gpointer user_data)
{
  ExportTaskData *data = user_data;
  gint64 now = g_get_monotonic_time ();
  ProgressCall *call;

  if (now - data->last_progress < 100 * 1000)
    return;
  data->last_progress = now;
  call = g_new (ProgressCall, 1);
  call->progress = data->progress;
  call->progress_data = data->progress_data;
  call->rows = rows;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress_cb, call, g_free);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportTaskData *data = task_data;
  GError *error = NULL;
  gint64 rows = 0;

  if (lia_export_run (data->db_path, &data->options, data->path,
                      data->progress ? forward_progress : NULL, data,
                      cancellable, &rows, &error))
    g_task_return_int (task, rows);
  else
    g_task_return_error (task, error);
}

/* The same in a GTask thread; progress comes to the caller's main context
 * at most every 100 ms. */
void
lia_export_async (const char              *db_path,
                  const LiaExportOptions  *options,
                  const char              *path,
                  LiaExportProgressFunc    progress,
                  gpointer                 progress_data,
                  GCancellable            *cancellable,
                  GAsyncReadyCallback      callback,
                  gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExportTaskData *data = g_new0 (ExportTaskData, 1);
  const char **fields[] = {
    &data->options.session_id, &data->options.student_id, &data->options.faculty_id,
    &data->options.calendar_name, &data->options.acronyms[0], &data->options.acronyms[1],
    &data->options.acronyms[2], &data->options.acronyms[3],
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (fields) == G_N_ELEMENTS (data->strings));

  data->db_path = g_strdup (db_path);
  data->path = g_strdup (path);
  data->options = *options;
  /* The caller's strings may be gone before the thread reads them. */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = data->strings[i] = g_strdup (*fields[i]);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();

  g_task_set_source_tag (task, lia_export_async);
  g_task_set_task_data (task, data, (GDestroyNotify) export_task_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
lia_export_finish (GAsyncResult  *result,
                   gint64        *out_rows,
                   GError       **error)
{
  GError *local_error = NULL;
  gssize rows = g_task_propagate_int (G_TASK (result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_rows != NULL)
    *out_rows = rows;
  return TRUE;
}
