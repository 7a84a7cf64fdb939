/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-sync-runner"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "lia-history.h"
#include "lia-integration-store.h"
#include "lia-lock.h"
#include "lia-mapping.h"
#include "lia-oauth.h"
#include "lia-secrets.h"
#include "lia-sync-error.h"
#include "lia-sync-runner.h"
#include "lia-sync-writer.h"
#include "lia-time.h"
#include "lia-util.h"

#include <string.h>

/* A run is two threads: a fetcher that requests and parses pages, and the
 * caller's thread, which writes them. Parsing one page overlaps writing
 * the one before; the queue between them holds a few pages (enough to
 * ride out a WAL checkpoint on the writer's side) so memory stays flat
 * however many records there are. The fetcher takes the data types' pages
 * in turn rather than one type after the other, so that pages dear to
 * parse but cheap to write (students: many fields, one key) come between
 * pages dear to write (attendance: four indexes), and neither thread
 * waits for the other through a whole type. Mapping goes to whichever
 * thread has time: the fetcher maps a page while the writer still has
 * pages to write (when the database is the slower stage), the writer when
 * it would otherwise wait (when parsing is). Parsed pages are freed by
 * the fetcher either way: freeing a JSON tree from the thread that did
 * not allocate it costs a third more CPU (GSlice's magazines move between
 * threads). */
#define QUEUE_PAGES 16

typedef enum {
  ITEM_TYPE_START,  /* plan: how the type's records map */
  ITEM_PAGE,        /* page; records and strings once mapped */
  ITEM_TYPE_ERROR,  /* error: the type stops here */
  ITEM_DONE,        /* no more items */
} ItemKind;

/* One record of a page, mapped. */
typedef struct {
  LiaRecord  record;
  GError    *error;  /* it could not be mapped; record.external_id names it if it can */
} MappedRecord;

typedef struct {
  ItemKind        kind;
  LiaDataType     type;
  LiaPage        *page;
  GArray         *records;  /* of MappedRecord in page order, NULL until mapped */
  GStringChunk   *strings;  /* every text the records point to */
  LiaMappingPlan *plan;
  GError         *error;
  gboolean        fatal;  /* the error stops the whole run */
} Item;

typedef struct {
  GMutex    mutex;
  GCond     cond;
  GQueue    items;
  GPtrArray *spent;  /* parsed pages the writer mapped, for the fetcher to free */
  gboolean  closed;  /* the writer stopped: drop what comes */
} PageQueue;

typedef struct {
  LiaConfig            *config;
  const LiaCredentials *credentials;  /* each data type's connector gets a copy */
  guint                 types;
  char                 *since[LIA_N_DATA_TYPES];
  LiaHttpOptions        http_options;
  GCancellable         *cancellable;
  PageQueue             queue;
  guint                 requests;
  guint64               bytes;
} Fetcher;

/* Page queue */

static void
item_free (Item *item)
{
  g_clear_pointer (&item->page, lia_page_free);
  for (guint i = 0; item->records != NULL && i < item->records->len; i++)
    g_clear_error (&g_array_index (item->records, MappedRecord, i).error);
  g_clear_pointer (&item->records, g_array_unref);
  g_clear_pointer (&item->strings, g_string_chunk_free);
  g_clear_pointer (&item->plan, lia_mapping_plan_free);
  g_clear_error (&item->error);
  g_free (item);
}

/* Blocks while the queue is full; drops @item if the writer has stopped. */
static void
queue_push (PageQueue *queue,
            Item      *item)
{
  g_mutex_lock (&queue->mutex);
  while (!queue->closed && item->kind == ITEM_PAGE && queue->items.length >= QUEUE_PAGES)
    g_cond_wait (&queue->cond, &queue->mutex);
  if (queue->closed)
    item_free (item);
  else
    g_queue_push_tail (&queue->items, item);
  g_cond_broadcast (&queue->cond);
  g_mutex_unlock (&queue->mutex);
}

static Item *
queue_pop (PageQueue *queue)
{
  Item *item;

  g_mutex_lock (&queue->mutex);
  while (queue->items.length == 0)
    g_cond_wait (&queue->cond, &queue->mutex);
  item = g_queue_pop_head (&queue->items);
  g_cond_broadcast (&queue->cond);
  g_mutex_unlock (&queue->mutex);
  return item;
}

static void
queue_close (PageQueue *queue)
{
  g_mutex_lock (&queue->mutex);
  queue->closed = TRUE;
  g_queue_clear_full (&queue->items, (GDestroyNotify) item_free);
  g_cond_broadcast (&queue->cond);
  g_mutex_unlock (&queue->mutex);
}

static void
push_item (Fetcher     *fetcher,
           ItemKind     kind,
           LiaDataType  type,
           gpointer     data)
{
  Item *item = g_new0 (Item, 1);

  item->kind = kind;
  item->type = type;
  if (kind == ITEM_TYPE_START)
    item->plan = data;
  else if (kind == ITEM_TYPE_ERROR)
    item->error = data;
  queue_push (&fetcher->queue, item);
}

/* Copies the texts @record borrows from the parsed page into @strings. */
static void
detach_record (LiaRecord    *record,
               GStringChunk *strings)
{
  for (guint i = 0; i < LIA_RECORD_MAX_FIELDS; i++)
    if (record->values[i].text != NULL)
      record->values[i].text = g_string_chunk_insert (strings, record->values[i].text);
  if (record->external_id != NULL)
    record->external_id = g_string_chunk_insert (strings, record->external_id);
  if (record->custom_json != NULL)
    record->custom_json = g_string_chunk_insert (strings, record->custom_json);
}

/* Maps the page's records, in either thread, and returns its parsed JSON
 * for the fetcher to free. */
static JsonNode *
map_page (const LiaMappingPlan *plan,
          Item                 *item)
{
  LiaPage *page = item->page;
  guint n = json_array_get_length (page->records);

  item->strings = g_string_chunk_new (64 * 1024);
  item->records = g_array_sized_new (FALSE, FALSE, sizeof (MappedRecord), n);
  for (guint i = 0; i < n; i++)
    {
      MappedRecord mapped = { 0 };

      lia_mapping_apply (plan, json_array_get_element (page->records, i), item->strings,
                         &mapped.record, &mapped.error);
      detach_record (&mapped.record, item->strings);
      g_array_append_val (item->records, mapped);
    }
  page->records = NULL;
  return g_steal_pointer (&page->root);
}

/* The writer hands a parsed page it mapped back to the fetcher to free. */
static void
give_back (PageQueue *queue,
           JsonNode  *root)
{
  g_mutex_lock (&queue->mutex);
  g_ptr_array_add (queue->spent, root);
  g_mutex_unlock (&queue->mutex);
}

/* Fetcher thread */

static void
free_spent_pages (PageQueue *queue)
{
  g_autoptr(GPtrArray) spent = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  GPtrArray *full;

  /* Swapped under the lock, freed outside it. */
  g_mutex_lock (&queue->mutex);
  full = queue->spent;
  queue->spent = g_steal_pointer (&spent);
  g_mutex_unlock (&queue->mutex);
  g_ptr_array_unref (full);
}

static void
push_page (Fetcher              *fetcher,
           LiaDataType           type,
           const LiaMappingPlan *plan,
           LiaPage              *page)
{
  Item *item = g_new0 (Item, 1);
  gboolean writer_busy;

  item->kind = ITEM_PAGE;
  item->type = type;
  item->page = page;

  g_mutex_lock (&fetcher->queue.mutex);
  writer_busy = fetcher->queue.items.length > 0;
  g_mutex_unlock (&fetcher->queue.mutex);
  if (writer_busy)
    json_node_unref (map_page (plan, item));

  queue_push (&fetcher->queue, item);
}

/* These reach every data type alike: no point trying the next one. */
static gboolean
is_fatal (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
         g_error_matches (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_CONNECTION) ||
         g_error_matches (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_TLS) ||
         g_error_matches (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_CREDENTIALS) ||
         g_error_matches (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NEEDS_SIGNIN) ||
         g_error_matches (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_RATE_LIMIT_EXCEEDED);
}

/* One data type's fetching. Each type has a connector of its own, since a
 * connector reads one type's pages in order (the file connector keeps the
 * file it is reading). */
typedef struct {
  LiaDataType           type;
  LiaConnector         *connector;
  const LiaMappingPlan *plan;
  LiaPageState          state;
  gboolean              finished;
} TypeFetch;

/* Starts fetching @type, if the integration has an endpoint for it. */
static gboolean
type_fetch_init (TypeFetch   *fetch,
                 Fetcher     *fetcher,
                 LiaDataType  type)
{
  const LiaEndpoint *endpoint;

  fetch->type = type;
  fetch->connector = lia_connector_new (fetcher->config, lia_credentials_copy (fetcher->credentials),
                                        &fetcher->http_options);
  endpoint = lia_connector_get_endpoint (fetch->connector, type);
  if (endpoint == NULL)
    {
      g_clear_object (&fetch->connector);
      return FALSE;
    }

  /* The writer owns the plan and frees it only after this thread ends:
   * borrowing it here is safe. */
  fetch->plan = lia_mapping_plan_new (type, lia_connector_get_mappings (fetch->connector, type),
                                      fetcher->config->timezone);
  push_item (fetcher, ITEM_TYPE_START, type, (gpointer) fetch->plan);
  lia_page_state_init (&fetch->state, type, endpoint, fetcher->since[type]);
  return TRUE;
}

/* Fetches the type's next page; FALSE after an error that reaches every
 * type alike. */
static gboolean
type_fetch_next (TypeFetch *fetch,
                 Fetcher   *fetcher)
{
  GError *error = NULL;
  LiaPage *page = NULL;

  free_spent_pages (&fetcher->queue);
  if (!g_cancellable_set_error_if_cancelled (fetcher->cancellable, &error))
    page = lia_connector_fetch_page (fetch->connector, &fetch->state, &error);
  if (page == NULL)
    {
      gboolean fatal = is_fatal (error);

      fetch->finished = TRUE;
      push_item (fetcher, ITEM_TYPE_ERROR, fetch->type, error);
      return !fatal;
    }
  fetch->finished = fetch->state.done;
  push_page (fetcher, fetch->type, fetch->plan, g_steal_pointer (&page));
  return TRUE;
}

static gpointer
fetch_thread (gpointer data)
{
  Fetcher *fetcher = data;
  TypeFetch fetches[LIA_N_DATA_TYPES] = { 0 };
  guint n_fetches = 0, n_active;
  gboolean go_on = TRUE;

  /* The connectors, and their HTTP sessions, belong to this thread. */
  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    if ((fetcher->types & (1u << type)) && type_fetch_init (&fetches[n_fetches], fetcher, type))
      n_fetches++;

  n_active = n_fetches;
  while (go_on && n_active > 0)
    for (guint i = 0; go_on && i < n_fetches; i++)
      if (!fetches[i].finished)
        {
          go_on = type_fetch_next (&fetches[i], fetcher);
          n_active -= fetches[i].finished;
        }

  for (guint i = 0; i < n_fetches; i++)
    {
      fetcher->requests += lia_connector_get_requests (fetches[i].connector);
      fetcher->bytes += lia_connector_get_bytes (fetches[i].connector);
      lia_page_state_clear (&fetches[i].state);
      g_object_unref (fetches[i].connector);
    }
  push_item (fetcher, ITEM_DONE, 0, NULL);
  return NULL;
}

/* OAuth: the fetcher asks for a valid access token before each request,
 * and for a new one after a 401. */
typedef struct {
  const char *db_path;
  gint64      integration_id;
} TokenSource;

static char *
get_token_cb (gpointer       user_data,
              gboolean       force_refresh,
              GCancellable  *cancellable,
              GError       **error)
{
  TokenSource *source = user_data;
  GError *local_error = NULL;
  char *token = lia_oauth_get_access_token (source->db_path, source->integration_id, force_refresh,
                                            cancellable, &local_error);

  if (token != NULL)
    return token;
  if (g_error_matches (local_error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_NEEDS_SIGNIN))
    g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NEEDS_SIGNIN, local_error->message);
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_CREDENTIALS,
                 _("Cannot get an access token: %s"), local_error->message);
  g_clear_error (&local_error);
  return NULL;
}

/* Writer (the calling thread) */

typedef struct {
  const LiaSyncOptions *options;
  const char           *db_path;
  LiaDatabase          *db;
  LiaSyncRun           *run;
  LiaSyncProgressFunc   progress;
  gpointer              progress_data;
  LiaSyncProgress       progress_state;
  gboolean              fatal;
} Run;

static void
add_log_entry (Run         *r,
               const char  *code,
               LiaDataType  type,
               const char  *external_id,
               const char  *message,
               gboolean     for_type)
{
  LiaSyncLogEntry *entry;

  r->run->error_total++;
  if (r->run->errors->len >= LIA_HISTORY_MAX_ENTRIES)
    return;

  entry = g_new0 (LiaSyncLogEntry, 1);
  entry->at = lia_now_ms ();
  entry->level = g_strdup ("error");
  entry->code = g_strdup (code);
  entry->data_type = for_type ? g_strdup (lia_data_type_to_string (type)) : NULL;
  entry->external_id = g_strdup (external_id);
  entry->message = g_strdup (message);
  g_ptr_array_add (r->run->errors, entry);

  /* A dry run keeps nothing; a log line that cannot be written is not
   * worth failing the run for. */
  if (!r->run->dry_run)
    lia_history_add_entry (r->db, r->run->id, entry, NULL);
}

static void
fail_run (Run          *r,
          const GError *error)
{
  r->fatal = TRUE;
  if (r->run->message == NULL)
    r->run->message = g_strdup (error->message);
}

/* Whether a record falls in --from/--to, by its data type's date. */
static gboolean
in_range (const LiaSyncOptions *options,
          const LiaRecord      *record)
{
  const LiaValue *date;

  if (options->from == 0 && options->to == 0)
    return TRUE;
  switch (record->type)
    {
    case LIA_DATA_TYPE_TIMETABLE:
      date = &record->values[2];  /* start */
      break;
    case LIA_DATA_TYPE_ATTENDANCE:
      date = &record->values[4];  /* timestamp */
      break;
    case LIA_DATA_TYPE_MARKS:
      date = &record->values[6];  /* date */
      break;
    default:
      return TRUE;
    }
  if (!date->present)
    return FALSE;
  return (options->from == 0 || date->instant >= options->from) &&
         (options->to == 0 || date->instant <= options->to);
}

static gboolean
type_has_date (LiaDataType type)
{
  return type == LIA_DATA_TYPE_TIMETABLE || type == LIA_DATA_TYPE_ATTENDANCE || type == LIA_DATA_TYPE_MARKS;
}

typedef struct {
  LiaMappingPlan *plan;
  gint64          errors;      /* record and page errors of this type */
  gboolean        incremental; /* not every record was asked for */
  gboolean        keeps_cursor;
} TypeState;

static void
write_page (Run            *r,
            LiaSyncWriter  *writer,
            TypeState      *ts,
            Item           *item,
            const char     *cursor)
{
  g_autoptr(GError) error = NULL;
  LiaDataType type = item->type;
  LiaPage *page = item->page;
  LiaSyncCounts *counts = &r->run->counts[type];
  guint n = item->records->len;
  LiaPageEnd end = { 0 };

  if (!lia_sync_writer_begin_page (writer, &error))
    {
      fail_run (r, error);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      const MappedRecord *mapped = &g_array_index (item->records, MappedRecord, i);
      const LiaRecord *record = &mapped->record;

      if (mapped->error != NULL)
        {
          counts->processed++;
          counts->errors++;
          ts->errors++;
          add_log_entry (r, lia_sync_error_code_name (mapped->error), type, record->external_id,
                         mapped->error->message, TRUE);
          continue;
        }
      if (!in_range (r->options, record))
        continue;
      if (!lia_sync_writer_write (writer, record, counts, &error))
        {
          lia_sync_writer_abort_page (writer);
          fail_run (r, error);
          return;
        }
    }

  /* Only a complete, error-free sync of everything may delete and move
   * the cursor on. */
  if (page->is_last && ts->errors == 0)
    {
      end.delete_unseen = !ts->incremental;
      end.cursor = ts->keeps_cursor ? cursor : NULL;
    }
  if (!lia_sync_writer_end_page (writer, type, &end, counts, &error))
    {
      fail_run (r, error);
      return;
    }

  r->progress_state.type = type;
  r->progress_state.records += n;
  r->progress_state.pages++;
  if (r->progress != NULL)
    r->progress (&r->progress_state, r->progress_data);
}

static LiaCredentials *
load_credentials (LiaDatabase  *db,
                  gint64        id,
                  LiaConfig    *config,
                  GError      **error)
{
  g_autoptr(LiaCredentials) credentials = g_new0 (LiaCredentials, 1);
  const char *database_id = lia_database_get_id (db);

  switch (config->auth_type)
    {
    case LIA_AUTH_API_KEY:
    case LIA_AUTH_BEARER:
      credentials->api_key = lia_secrets_lookup (database_id, id, LIA_SECRET_API_KEY, NULL, error);
      if (credentials->api_key == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_CREDENTIALS,
                         _("No API key is stored for this integration: set it with "
                           "“liaison-cli integration set-secret %" PRId64 " apiKey”"), id);
          return NULL;
        }
      break;
    case LIA_AUTH_BASIC:
      credentials->password = lia_secrets_lookup (database_id, id, LIA_SECRET_PASSWORD, NULL, error);
      if (credentials->password == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_CREDENTIALS,
                         _("No password is stored for this integration: set it with "
                           "“liaison-cli integration set-secret %" PRId64 " password”"), id);
          return NULL;
        }
      break;
    case LIA_AUTH_NONE:
    case LIA_AUTH_OAUTH2:
    default:
      break;
    }
  return g_steal_pointer (&credentials);
}

static const char *
decide_status (Run          *r,
               GCancellable *cancellable)
{
  if (g_cancellable_is_cancelled (cancellable))
    return "cancelled";
  if (r->fatal && lia_sync_run_landed (r->run) == 0)
    return "error";
  if (r->run->error_total == 0 && !r->fatal)
    return "success";
  return lia_sync_run_landed (r->run) > 0 ? "partial" : "error";
}

/* Runs the fetcher and writes what it sends until it is done. */
static void
sync_types (Run                  *r,
            LiaConfig            *config,
            const LiaCredentials *credentials,
            GCancellable         *cancellable)
{
  g_autoptr(GCancellable) fetch_cancellable = g_cancellable_new ();
  g_autoptr(LiaSyncWriter) writer = NULL;
  g_autofree char *cursor = lia_time_to_iso8601 (r->run->started_at / 1000);
  g_autofree char *from_text = r->options->from ? lia_time_to_iso8601 (r->options->from) : NULL;
  TypeState types[LIA_N_DATA_TYPES] = { 0 };
  Fetcher fetcher = { 0 };
  TokenSource token_source = { r->db_path, r->run->integration_id };
  GThread *thread;
  gulong cancelled_id;
  gboolean done = FALSE;

  fetcher.config = config;
  fetcher.credentials = credentials;
  fetcher.types = r->options->types ? r->options->types : (1u << LIA_N_DATA_TYPES) - 1;
  fetcher.cancellable = fetch_cancellable;
  fetcher.http_options.cancellable = fetch_cancellable;
  fetcher.http_options.backoff_ms = r->options->backoff_ms;
  fetcher.http_options.token_func = get_token_cb;
  fetcher.http_options.token_data = &token_source;
  g_mutex_init (&fetcher.queue.mutex);
  g_cond_init (&fetcher.queue.cond);
  g_queue_init (&fetcher.queue.items);
  fetcher.queue.spent = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      const LiaEndpoint *endpoint = config->endpoints[type];
      g_autofree char *stored = NULL;

      /* --from asks the source for less, and what it sends may be filtered
       * by date: either way the sync is not complete. */
      types[type].incremental = (r->options->from || r->options->to) && type_has_date (type);
      if (endpoint == NULL || endpoint->since_param == NULL)
        continue;
      stored = lia_sync_writer_get_cursor (r->db, r->run->integration_id, type, NULL);
      fetcher.since[type] = from_text ? g_strdup (from_text) : g_steal_pointer (&stored);
      types[type].incremental |= fetcher.since[type] != NULL;
      types[type].keeps_cursor = r->options->from == 0 && r->options->to == 0;
    }

  writer = lia_sync_writer_new (r->db, r->run->integration_id, r->run->started_at);

  cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (g_cancellable_cancel),
                                        g_object_ref (fetch_cancellable), g_object_unref);
  thread = g_thread_new ("lia-fetch", fetch_thread, &fetcher);

  while (!done)
    {
      Item *item = queue_pop (&fetcher.queue);
      TypeState *ts = &types[item->type];

      switch (item->kind)
        {
        case ITEM_TYPE_START:
          ts->plan = g_steal_pointer (&item->plan);
          r->run->types |= 1u << item->type;
          r->progress_state.type = item->type;
          break;

        case ITEM_PAGE:
          if (!r->fatal)
            {
              if (item->records == NULL)
                give_back (&fetcher.queue, map_page (ts->plan, item));
              write_page (r, writer, ts, item, cursor);
            }
          if (r->fatal || g_cancellable_is_cancelled (cancellable))
            g_cancellable_cancel (fetch_cancellable);
          break;

        case ITEM_TYPE_ERROR:
          if (g_error_matches (item->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          ts->errors++;
          add_log_entry (r, lia_sync_error_code_name (item->error), item->type, NULL,
                         item->error->message, TRUE);
          if (is_fatal (item->error))
            fail_run (r, item->error);
          break;

        case ITEM_DONE:
          done = TRUE;
          break;

        default:
          g_assert_not_reached ();
        }
      item_free (item);
    }

  g_thread_join (thread);
  g_cancellable_disconnect (cancellable, cancelled_id);
  queue_close (&fetcher.queue);
  g_ptr_array_unref (fetcher.queue.spent);
  g_mutex_clear (&fetcher.queue.mutex);
  g_cond_clear (&fetcher.queue.cond);

  r->run->requests = fetcher.requests;
  r->run->bytes = (gint64) fetcher.bytes;
  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      g_clear_pointer (&types[type].plan, lia_mapping_plan_free);
      g_free (fetcher.since[type]);
    }
}

/* Public API */

/* Syncs one integration in the calling thread, which must not be the GTK
 * main thread. Returns the run (also when it failed: its status and log
 * say how), or NULL with @error set when no run could start: unknown
 * integration, database error, or a sync of it already running. */
LiaSyncRun *
lia_sync_run_blocking (const char            *db_path,
                       const LiaSyncOptions  *options,
                       LiaSyncProgressFunc    progress,
                       gpointer               progress_data,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaLock) lock = NULL;
  g_autoptr(LiaSyncRun) run = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GCancellable) own_cancellable = NULL;
  g_autofree char *lock_name = NULL;
  LiaCredentials *credentials;
  gboolean busy;
  gint64 started;
  Run r = { 0 };

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (cancellable == NULL)
    cancellable = own_cancellable = g_cancellable_new ();

  db = lia_database_open (db_path, error);
  if (db == NULL)
    return NULL;
  integration = lia_integration_store_get (db, options->integration_id, error);
  if (integration == NULL)
    return NULL;

  lock_name = g_strdup_printf ("sync-%" PRId64, integration->id);
  lock = lia_lock_try (db_path, lock_name, &busy, error);
  if (lock == NULL)
    {
      if (busy)
        g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_ALREADY_RUNNING,
                     _("A sync of “%s” is already running"), integration->name);
      return NULL;
    }

  /* Holding the lock, any run still marked running is a dead one. */
  if (!lia_history_close_interrupted (db, integration->id, error))
    return NULL;

  started = g_get_monotonic_time ();
  run = lia_sync_run_new ();
  run->integration_id = integration->id;
  run->integration_name = g_strdup (integration->name);
  run->trigger = g_strdup (options->trigger ? options->trigger : "manual");
  run->dry_run = options->dry_run;
  run->started_at = lia_now_ms ();
  run->status = g_strdup ("running");

  if (run->dry_run)
    {
      /* Everything a dry run writes is rolled back at its end. */
      if (!lia_database_begin (db, error))
        return NULL;
    }
  else if (!lia_history_begin_run (db, run, error))
    return NULL;

  r.options = options;
  r.db_path = db_path;
  r.db = db;
  r.run = run;
  r.progress = progress;
  r.progress_data = progress_data;
  r.progress_state.integration_id = integration->id;

  credentials = load_credentials (db, integration->id, integration->config, &local_error);
  if (credentials == NULL)
    {
      add_log_entry (&r, lia_sync_error_code_name (local_error), 0, NULL, local_error->message, FALSE);
      fail_run (&r, local_error);
    }
  else
    {
      sync_types (&r, integration->config, credentials, cancellable);
      lia_credentials_free (credentials);
    }

  if (run->dry_run)
    lia_database_rollback (db);

  g_free (run->status);
  run->status = g_strdup (decide_status (&r, cancellable));
  run->finished_at = lia_now_ms ();
  run->duration_ms = (g_get_monotonic_time () - started) / 1000;

  if (!run->dry_run && !lia_history_finish_run (db, run, error))
    return NULL;

  g_debug ("Sync of integration %" PRId64 ": %s in %" PRId64 " ms",
           run->integration_id, run->status, run->duration_ms);
  return g_steal_pointer (&run);
}

/* Async: the same in a GTask thread, progress handed to the caller's main
 * context (at most every 100 ms, so a fast sync cannot flood it). */

typedef struct {
  char                *db_path;
  LiaSyncOptions       options;
  char                *trigger;
  LiaSyncProgressFunc  progress;
  gpointer             progress_data;
  GMainContext        *context;
  gint64               last_progress;
} SyncTaskData;

typedef struct {
  LiaSyncProgressFunc progress;
  gpointer            progress_data;
  LiaSyncProgress     state;
} ProgressCall;

static void
sync_task_data_free (SyncTaskData *data)
{
  g_free (data->db_path);
  g_free (data->trigger);
  g_main_context_unref (data->context);
  g_free (data);
}

static gboolean
deliver_progress_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (&call->state, call->progress_data);
  return G_SOURCE_REMOVE;
}

static void
forward_progress (const LiaSyncProgress *progress,
                  gpointer               user_data)
{
  SyncTaskData *data = user_data;
  gint64 now = g_get_monotonic_time ();
  ProgressCall *call;

  if (now - data->last_progress < 100 * 1000)
    return;
  data->last_progress = now;

  call = g_new0 (ProgressCall, 1);
  call->progress = data->progress;
  call->progress_data = data->progress_data;
  call->state = *progress;
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress_cb, call, g_free);
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SyncTaskData *data = task_data;
  GError *error = NULL;
  LiaSyncRun *run;

  run = lia_sync_run_blocking (data->db_path, &data->options,
                               data->progress ? forward_progress : NULL, data,
                               cancellable, &error);
  if (run == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, run, (GDestroyNotify) lia_sync_run_free);
}

void
lia_sync_async (const char            *db_path,
                const LiaSyncOptions  *options,
                LiaSyncProgressFunc    progress,
                gpointer               progress_data,
                GCancellable          *cancellable,
                GAsyncReadyCallback    callback,
                gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  SyncTaskData *data;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (options != NULL);

  data = g_new0 (SyncTaskData, 1);
  data->db_path = g_strdup (db_path);
  data->options = *options;
  data->trigger = g_strdup (options->trigger);
  data->options.trigger = data->trigger;
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lia_sync_async);
  g_task_set_task_data (task, data, (GDestroyNotify) sync_task_data_free);
  /* A run can outlast a cancelled window: it returns once, at its end,
   * and a cancelled run is a result (its status says so, with what it
   * did before), not an error. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, sync_thread);
}

LiaSyncRun *
lia_sync_finish (GAsyncResult  *result,
                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Connection test */

gboolean
lia_connection_test_blocking (const char         *db_path,
                              gint64              integration_id,
                              LiaConnectionTest  *result,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(GError) credentials_error = NULL;
  LiaCredentials *credentials;
  TokenSource token_source = { db_path, integration_id };
  LiaHttpOptions options = { cancellable, 0, get_token_cb, &token_source };

  memset (result, 0, sizeof *result);

  db = lia_database_open (db_path, error);
  if (db == NULL)
    return FALSE;
  integration = lia_integration_store_get (db, integration_id, error);
  if (integration == NULL)
    return FALSE;

  credentials = load_credentials (db, integration->id, integration->config, &credentials_error);
  if (credentials == NULL)
    {
      lia_connection_test_fill (result, 0, 0, credentials_error);
      return TRUE;
    }

  connector = lia_connector_new (integration->config, credentials, &options);
  return lia_connector_test (connector, result, error);
}

static void
connection_test_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  LiaConnectionTest *result = g_new0 (LiaConnectionTest, 1);
  GError *error = NULL;

  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "integration-id"));

  if (lia_connection_test_blocking (g_task_get_task_data (task), id, result, cancellable, &error))
    g_task_return_pointer (task, result, NULL);
  else
    {
      g_free (result);
      g_task_return_error (task, error);
    }
}

void
lia_connection_test_async (const char          *db_path,
                           gint64               integration_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, lia_connection_test_async);
  g_task_set_task_data (task, g_strdup (db_path), g_free);
  g_object_set_data (G_OBJECT (task), "integration-id", GSIZE_TO_POINTER (integration_id));
  g_task_run_in_thread (task, connection_test_thread);
}

gboolean
lia_connection_test_finish (GAsyncResult       *result,
                            LiaConnectionTest  *out_result,
                            GError            **error)
{
  g_autofree LiaConnectionTest *test = g_task_propagate_pointer (G_TASK (result), error);

  if (test == NULL)
    return FALSE;
  *out_result = *test;
  return TRUE;
}
