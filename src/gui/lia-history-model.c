/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-history-model"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-database.h"
#include "lia-history-model-private.h"
#include "lia-history-model.h"

/* The sync history as a GListModel of LiaRunItem, newest first, that never
 * holds more than a few pages of it.
 *
 * The number of runs comes from a COUNT in a worker thread. An item asked
 * for before its page is read is a placeholder, and its page is read in a
 * worker thread with a connection of its own; when it arrives the
 * placeholders are filled in and items-changed tells the view. Pages are
 * kept in a small LRU cache.
 *
 * Pages are read by keyset, never by OFFSET over whole rows: a page starts
 * at a known (started_at, id) key. To find the key of a page's first row,
 * the reader counts from the nearest place whose key it knows (the top,
 * the bottom, or the first and last rows of pages read before) along a
 * covering index, so scrolling on reads a page in about a millisecond and
 * even a jump to the middle of a million runs skips half a million index
 * entries without touching the table (tens of milliseconds, in a thread).
 *
 * The count takes the largest run id as a snapshot: runs recorded after it
 * wait for the next reload, so that positions stay stable while paging.
 * A reload counts again and keeps every page when nothing changed (the
 * same snapshot, count and number of running runs), so that showing the
 * page again or pressing F5 does not flash. */

#define PAGE_SIZE   LIA_HISTORY_MODEL_PAGE_SIZE
#define MAX_PAGES   16      /* 3,200 runs in memory at most */
#define MAX_ANCHORS 4096


typedef struct {
  guint         index;
  GPtrArray    *items;         /* of LiaRunItem */
  guint64       tick;          /* when last asked for, for the LRU */
  GCancellable *cancellable;   /* while being read */
} Page;

struct _LiaHistoryModel
{
  GObject                parent_instance;

  char                  *database_path;
  LiaHistoryModelFilter  filter;

  guint                  n_items;
  gint64                 snapshot_id;   /* the largest run id when counted */
  gint64                 n_running;     /* runs running then, anywhere */
  guint                  generation;    /* grows with every reload */
  gboolean               counting;
  GCancellable          *count_cancellable;
  GError                *error;

  GHashTable            *pages;         /* page index → Page */
  GHashTable            *anchors;       /* position + 1 → LiaHistoryKey */
  guint64                tick;
};

static void lia_history_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LiaHistoryModel, lia_history_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, lia_history_model_list_model_init))

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PAGE_LOADED,
  RESET,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- Pages --------------------------------------------------------------- */

static void
page_free (Page *page)
{
  if (page->cancellable != NULL)
    g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page);
}

static LiaHistoryJob *
job_new (LiaHistoryModel *self)
{
  LiaHistoryJob *job = g_new0 (LiaHistoryJob, 1);

  job->db_path = g_strdup (self->database_path);
  lia_history_filter_copy (&job->filter, &self->filter);
  job->snapshot_id = self->snapshot_id;
  job->generation = self->generation;
  return job;
}

static void
add_anchor (LiaHistoryModel     *self,
            guint                position,
            const LiaHistoryKey *key)
{
  /* Anchors only save time: when there are many, start again. */
  if (g_hash_table_size (self->anchors) >= MAX_ANCHORS)
    g_hash_table_remove_all (self->anchors);
  g_hash_table_insert (self->anchors, GUINT_TO_POINTER (position + 1), g_memdup2 (key, sizeof *key));
}

/* Where to count the row at @start from: the top, the bottom or the
 * nearest row whose key is known, whichever is closest. */
static void
choose_origin (LiaHistoryModel *self,
               LiaHistoryJob             *job)
{
  GHashTableIter iter;
  gpointer position_ptr;
  gpointer key_ptr;
  guint start = job->start;
  gint64 best = start;

  job->has_key = FALSE;
  job->backward = FALSE;
  job->offset = start;

  if ((gint64) self->n_items - 1 - start < best)
    {
      best = (gint64) self->n_items - 1 - start;
      job->backward = TRUE;
      job->offset = best;
    }

  g_hash_table_iter_init (&iter, self->anchors);
  while (g_hash_table_iter_next (&iter, &position_ptr, &key_ptr))
    {
      guint position = GPOINTER_TO_UINT (position_ptr) - 1;
      gint64 distance = position <= start ? (gint64) start - position : (gint64) position - start;

      if (distance >= best)
        continue;

      best = distance;
      job->has_key = TRUE;
      job->key = *(LiaHistoryKey *) key_ptr;
      job->backward = position > start;
      /* Counting from a key skips rows past it: the row at the key is -1. */
      job->offset = distance - 1;
    }
}

static void on_page_loaded_cb (GObject      *source_object,
                               GAsyncResult *result,
                               gpointer      user_data);

static void
evict_pages (LiaHistoryModel *self,
             Page            *keep)
{
  while (g_hash_table_size (self->pages) > MAX_PAGES)
    {
      GHashTableIter iter;
      Page *page;
      Page *oldest = NULL;

      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &page))
        if (page != keep && (oldest == NULL || page->tick < oldest->tick))
          oldest = page;

      g_assert (oldest != NULL);
      g_debug ("Dropping page %u", oldest->index);
      g_hash_table_remove (self->pages, GUINT_TO_POINTER (oldest->index));
    }
}

static Page *
ensure_page (LiaHistoryModel *self,
             guint            index)
{
  g_autoptr(GTask) task = NULL;
  Page *page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  LiaHistoryJob *job;
  guint start = index * PAGE_SIZE;
  guint count = MIN (PAGE_SIZE, self->n_items - start);

  if (page != NULL)
    return page;

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_ptr_array_new_full (count, g_object_unref);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (page->items, lia_run_item_new_placeholder ());
  page->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

  job = job_new (self);
  job->page_index = index;
  job->start = start;
  job->count = count;
  choose_origin (self, job);

  g_debug ("Reading page %u: %s %" G_GINT64_FORMAT " rows from %s", index,
           job->backward ? "back" : "on", MAX (job->offset, 0),
           job->has_key ? "a known run" : job->backward ? "the bottom" : "the top");

  task = g_task_new (self, page->cancellable, on_page_loaded_cb, NULL);
  g_task_set_source_tag (task, ensure_page);
  g_task_set_task_data (task, job, (GDestroyNotify) lia_history_job_free);
  g_task_run_in_thread (task, lia_history_page_thread);

  return page;
}

static void
forget_pages (LiaHistoryModel *self)
{
  self->generation++;
  g_hash_table_remove_all (self->pages);
  g_hash_table_remove_all (self->anchors);
}

/* Counts again. @hard: for another filter or database, every page and
 * anchor is forgotten at once; items already handed out stay valid, and
 * the view keeps showing them until the count arrives. Otherwise the
 * pages stay unless the count finds a change. */
static void
reset (LiaHistoryModel *self,
       gboolean         hard)
{
  g_autoptr(GTask) task = NULL;
  LiaHistoryJob *job;

  /* A reload while a new filter is being counted counts for that filter:
   * what shows is wrong already. */
  hard = hard || self->counting;

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  if (hard)
    forget_pages (self);

  if (self->database_path == NULL)
    return;

  if (hard && !self->counting)
    {
      self->counting = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  self->count_cancellable = g_cancellable_new ();
  job = job_new (self);
  job->hard = hard;
  task = g_task_new (self, self->count_cancellable, on_page_loaded_cb, NULL);
  g_task_set_source_tag (task, reset);
  g_task_set_task_data (task, job, (GDestroyNotify) lia_history_job_free);
  g_task_run_in_thread (task, lia_history_count_thread);
}

/* --- Callbacks ----------------------------------------------------------- */

static void
finish_count (LiaHistoryModel *self,
              GTask           *task)
{
  g_autoptr(LiaHistoryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LiaHistoryJob *job = g_task_get_task_data (task);
  guint old_n_items = self->n_items;
  guint new_n_items = 0;
  gboolean was_counting;

  /* Counted again since. */
  if (g_task_get_cancellable (task) != self->count_cancellable)
    return;

  result = g_task_propagate_pointer (task, &error);
  g_clear_object (&self->count_cancellable);

  if (!job->hard && result != NULL && self->error == NULL &&
      result->count == self->n_items &&
      result->snapshot_id == self->snapshot_id &&
      result->n_running == self->n_running)
    {
      g_debug ("The history did not change");
      return;
    }

  g_clear_error (&self->error);
  if (!job->hard)
    forget_pages (self);

  if (result == NULL)
    {
      g_debug ("Cannot count the runs: %s", error->message);
      self->error = g_steal_pointer (&error);
    }
  else
    {
      g_debug ("Counted %" G_GINT64_FORMAT " runs in %" G_GINT64_FORMAT " µs",
               result->count, result->elapsed_us);
      new_n_items = (guint) CLAMP (result->count, 0, G_MAXUINT);
      self->snapshot_id = result->snapshot_id;
      self->n_running = result->n_running;
    }

  /* Not counting any more before the view asks for the new items. */
  was_counting = self->counting;
  self->counting = FALSE;
  /* In two steps: a view looks for the items it tracks (its scroll anchor,
   * its focus) among the items added in the change that removed them, and
   * GTK 4.8 does so item by item, which would read every page. */
  if (old_n_items > 0)
    {
      g_signal_emit (self, signals[RESET], 0, job->hard);
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, 0);
      /* Whatever was read meanwhile was read for the old positions. */
      forget_pages (self);
    }
  self->n_items = new_n_items;
  if (new_n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n_items);
  if (was_counting)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
finish_page (LiaHistoryModel *self,
             GTask           *task)
{
  g_autoptr(LiaHistoryResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LiaHistoryJob *job = g_task_get_task_data (task);
  Page *page;
  guint n;

  result = g_task_propagate_pointer (task, &error);
  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (job->page_index));
  if (page == NULL || page->cancellable != g_task_get_cancellable (task))
    return;
  g_clear_object (&page->cancellable);

  if (result == NULL)
    {
      /* The placeholders stay; the page is read again once it is dropped
       * and asked for again, or at the next reload. */
      g_debug ("Cannot read page %u: %s", job->page_index, error->message);
      if (self->error == NULL)
        self->error = g_steal_pointer (&error);
      return;
    }

  g_debug ("Read page %u (%u runs) in %" G_GINT64_FORMAT " µs",
           job->page_index, result->items->len, result->elapsed_us);

  n = MIN (result->items->len, page->items->len);
  for (guint i = 0; i < n; i++)
    lia_run_item_fill (g_ptr_array_index (page->items, i), g_ptr_array_index (result->items, i));
  if (n > 0)
    {
      add_anchor (self, job->start, &result->first);
      add_anchor (self, job->start + n - 1, &result->last);
      g_list_model_items_changed (G_LIST_MODEL (self), job->start, n, n);
    }

  g_signal_emit (self, signals[PAGE_LOADED], 0, job->start, n, result->elapsed_us);
}

static void
on_page_loaded_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LiaHistoryModel *self = LIA_HISTORY_MODEL (source_object);
  GTask *task = G_TASK (result);
  LiaHistoryJob *job = g_task_get_task_data (task);

  /* A new filter or changed history came since: nothing here is wanted. */
  if (job->generation != self->generation)
    return;

  if (g_task_get_source_tag (task) == reset)
    finish_count (self, task);
  else
    finish_page (self, task);
}

/* --- GListModel ---------------------------------------------------------- */

static GType
lia_history_model_get_item_type (GListModel *model)
{
  return LIA_TYPE_RUN_ITEM;
}

static guint
lia_history_model_get_n_items (GListModel *model)
{
  return LIA_HISTORY_MODEL (model)->n_items;
}

static gpointer
lia_history_model_get_item (GListModel *model,
                            guint       position)
{
  LiaHistoryModel *self = LIA_HISTORY_MODEL (model);
  Page *page;

  if (position >= self->n_items)
    return NULL;

  /* Counting again: the rows shown are about to be replaced. */
  if (self->counting)
    return lia_run_item_new_placeholder ();

  page = ensure_page (self, position / PAGE_SIZE);
  page->tick = ++self->tick;
  evict_pages (self, page);

  return g_object_ref (g_ptr_array_index (page->items, position % PAGE_SIZE));
}

static void
lia_history_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lia_history_model_get_item_type;
  iface->get_n_items = lia_history_model_get_n_items;
  iface->get_item = lia_history_model_get_item;
}

/* --- GObject ------------------------------------------------------------ */

static void
lia_history_model_dispose (GObject *object)
{
  LiaHistoryModel *self = LIA_HISTORY_MODEL (object);

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  if (self->pages != NULL)
    g_hash_table_remove_all (self->pages);

  G_OBJECT_CLASS (lia_history_model_parent_class)->dispose (object);
}

static void
lia_history_model_finalize (GObject *object)
{
  LiaHistoryModel *self = LIA_HISTORY_MODEL (object);

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->anchors, g_hash_table_unref);
  g_clear_error (&self->error);
  lia_history_filter_clear (&self->filter);
  g_free (self->database_path);

  G_OBJECT_CLASS (lia_history_model_parent_class)->finalize (object);
}

static void
lia_history_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  LiaHistoryModel *self = LIA_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->counting);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_history_model_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  LiaHistoryModel *self = LIA_HISTORY_MODEL (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      lia_history_model_set_database_path (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_history_model_class_init (LiaHistoryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lia_history_model_dispose;
  object_class->finalize = lia_history_model_finalize;
  object_class->get_property = lia_history_model_get_property;
  object_class->set_property = lia_history_model_set_property;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * LiaHistoryModel:loading:
   *
   * Whether the runs are being counted: until then the number of items is
   * the previous count's.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LiaHistoryModel::page-loaded:
   * @position: the page's first position
   * @n_items: the runs it holds
   * @elapsed_us: how long the worker took, connection included
   *
   * A page arrived and its items are filled in.
   */
  /**
   * LiaHistoryModel::reset:
   * @filter_changed: whether for a new filter or database, rather than
   *   for runs recorded, finished or removed
   *
   * Every item is about to be removed, then the new ones added, in two
   * items-changed. A view loses its scroll position and selection; find
   * the selected run's new place with
   * lia_history_model_find_position_async().
   */
  signals[RESET] =
    g_signal_new ("reset",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  signals[PAGE_LOADED] =
    g_signal_new ("page-loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_INT64);
}

static void
lia_history_model_init (LiaHistoryModel *self)
{
  self->pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) page_free);
  self->anchors = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
}

/* --- Public API ---------------------------------------------------------- */

LiaHistoryModel *
lia_history_model_new (void)
{
  return g_object_new (LIA_TYPE_HISTORY_MODEL, NULL);
}

const char *
lia_history_model_get_database_path (LiaHistoryModel *self)
{
  g_return_val_if_fail (LIA_IS_HISTORY_MODEL (self), NULL);

  return self->database_path;
}

void
lia_history_model_set_database_path (LiaHistoryModel *self,
                                     const char      *path)
{
  g_return_if_fail (LIA_IS_HISTORY_MODEL (self));

  if (g_strcmp0 (self->database_path, path) == 0)
    return;

  g_free (self->database_path);
  self->database_path = g_strdup (path);
  reset (self, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE_PATH]);
}

/* Shows only the runs of one integration (0: every one), with one status
 * (NULL: any), started between @since_ms and @until_ms (Unix ms, inclusive;
 * 0: no bound). Reads the history again when the filter changed. */
void
lia_history_model_set_filter (LiaHistoryModel *self,
                              gint64           integration_id,
                              const char      *status,
                              gint64           since_ms,
                              gint64           until_ms)
{
  g_return_if_fail (LIA_IS_HISTORY_MODEL (self));

  if (self->filter.integration_id == integration_id &&
      g_strcmp0 (self->filter.status, status) == 0 &&
      self->filter.since == since_ms &&
      self->filter.until == until_ms)
    return;

  lia_history_filter_clear (&self->filter);
  self->filter.integration_id = integration_id;
  self->filter.status = g_strdup (status);
  self->filter.since = since_ms;
  self->filter.until = until_ms;
  reset (self, TRUE);
}

/* Counts again, for runs recorded or finished since; the pages read are
 * read again only if something changed. */
void
lia_history_model_reload (LiaHistoryModel *self)
{
  g_return_if_fail (LIA_IS_HISTORY_MODEL (self));

  reset (self, FALSE);
}

gboolean
lia_history_model_get_loading (LiaHistoryModel *self)
{
  g_return_val_if_fail (LIA_IS_HISTORY_MODEL (self), FALSE);

  return self->counting;
}

/* Why the last count or page could not be read, or NULL. */
const GError *
lia_history_model_get_error (LiaHistoryModel *self)
{
  g_return_val_if_fail (LIA_IS_HISTORY_MODEL (self), NULL);

  return self->error;
}

/* How many pages the model holds now: never more than a few. */
guint
lia_history_model_get_n_pages (LiaHistoryModel *self)
{
  g_return_val_if_fail (LIA_IS_HISTORY_MODEL (self), 0);

  return g_hash_table_size (self->pages);
}

/* Counts, in a worker thread, where run @run_id is in the list as it is
 * filtered now: its position, or -1 when the filter leaves it out. */
void
lia_history_model_find_position_async (LiaHistoryModel     *self,
                                       gint64               run_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LiaHistoryJob *job;

  g_return_if_fail (LIA_IS_HISTORY_MODEL (self));
  g_return_if_fail (run_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lia_history_model_find_position_async);
  if (self->database_path == NULL || self->counting)
    {
      g_task_return_int (task, -1);
      return;
    }

  job = job_new (self);
  job->run_id = run_id;
  g_task_set_task_data (task, job, (GDestroyNotify) lia_history_job_free);
  g_task_run_in_thread (task, lia_history_find_thread);
}

gint64
lia_history_model_find_position_finish (LiaHistoryModel  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_history_model_find_position_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}
