/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-page"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lia-http.h"
#include "lia-json-path.h"
#include "lia-page.h"
#include "lia-sync-error.h"

/* A source that never stops paging is a bug on one side or the other;
 * this many pages of one data type ends it. */
#define MAX_PAGES 1000000

void
lia_page_free (LiaPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->root, json_node_unref);
  g_free (page);
}

void
lia_page_state_init (LiaPageState      *state,
                     LiaDataType        type,
                     const LiaEndpoint *endpoint,
                     const char        *since)
{
  memset (state, 0, sizeof *state);
  state->type = type;
  state->endpoint = endpoint;
  state->since = since;
  state->page = endpoint->pagination.style == LIA_PAGINATION_PAGE ? endpoint->pagination.start_page : 0;
}

void
lia_page_state_clear (LiaPageState *state)
{
  g_clear_pointer (&state->cursor, g_free);
  g_clear_pointer (&state->next_url, g_free);
}

static void
add_int_param (GString    *url,
               const char *name,
               gint64      value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" PRId64, value);
  lia_url_add_param (url, name, text);
}

/* Adds the endpoint's query, the since cursor and the paging parameters
 * for the next page to @url. */
void
lia_page_state_add_params (LiaPageState *state,
                           GString      *url)
{
  const LiaEndpoint *endpoint = state->endpoint;
  const LiaPagination *p = &endpoint->pagination;

  for (guint i = 0; endpoint->query != NULL && i < endpoint->query->len; i++)
    {
      LiaPair *pair = g_ptr_array_index (endpoint->query, i);
      lia_url_add_param (url, pair->name, pair->value);
    }
  if (state->since != NULL && endpoint->since_param != NULL)
    lia_url_add_param (url, endpoint->since_param, state->since);

  if (p->size_param != NULL && p->size > 0)
    add_int_param (url, p->size_param, p->size);

  switch (p->style)
    {
    case LIA_PAGINATION_PAGE:
      add_int_param (url, p->page_param ? p->page_param : "page", state->page);
      break;
    case LIA_PAGINATION_OFFSET:
      add_int_param (url, p->offset_param ? p->offset_param : "offset", state->offset);
      break;
    case LIA_PAGINATION_CURSOR:
      if (state->cursor != NULL)
        lia_url_add_param (url, p->cursor_param, state->cursor);
      break;
    case LIA_PAGINATION_NONE:
    case LIA_PAGINATION_LINK:
    default:
      break;
    }
}

/* The URL of rel="next" in an RFC 8288 Link header, resolved against the
 * current page's URL, or NULL. */
static char *
find_next_link (const char *header,
                const char *current_url)
{
  const char *p = header;

  while (p != NULL && *p != '\0')
    {
      const char *open = strchr (p, '<');
      const char *close = open ? strchr (open, '>') : NULL;
      const char *end;
      g_autofree char *params = NULL;
      g_auto(GStrv) parts = NULL;

      if (open == NULL || close == NULL)
        return NULL;
      /* The link's parameters run to the next comma outside <…>. */
      end = strchr (close, ',');
      params = end ? g_strndup (close + 1, end - close - 1) : g_strdup (close + 1);
      parts = g_strsplit (params, ";", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_autofree char *param = g_strstrip (g_strdup (parts[i]));
          g_auto(GStrv) rels = NULL;

          if (!g_str_has_prefix (param, "rel="))
            continue;
          rels = g_strsplit_set (param + 4, "\" ", -1);
          for (guint j = 0; rels[j] != NULL; j++)
            if (g_ascii_strcasecmp (rels[j], "next") == 0)
              {
                g_autofree char *target = g_strndup (open + 1, close - open - 1);
                return g_uri_resolve_relative (current_url, target, G_URI_FLAGS_NONE, NULL);
              }
        }
      p = end ? end + 1 : NULL;
    }
  return NULL;
}

static gint64
read_total (JsonNode   *root,
            const char *total_path)
{
  JsonNode *node;

  if (total_path == NULL)
    return -1;
  node = lia_json_lookup (root, total_path);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return -1;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return -1;
}

/* Moves past the page just received and decides whether another follows.
 * A source that repeats its cursor or next link is INVALID_RESPONSE rather
 * than an endless loop. */
gboolean
lia_page_state_advance (LiaPageState  *state,
                        JsonNode      *root,
                        guint          n_records,
                        const char    *link_header,
                        const char    *current_url,
                        GError       **error)
{
  const LiaPagination *p = &state->endpoint->pagination;
  gint64 total = read_total (root, p->total_path);
  gboolean short_page = p->size > 0 && n_records < (guint) p->size;

  state->pages++;
  state->records += n_records;

  switch (p->style)
    {
    case LIA_PAGINATION_NONE:
      state->done = TRUE;
      break;

    case LIA_PAGINATION_PAGE:
      state->page++;
      state->done = n_records == 0 || short_page || (total >= 0 && state->records >= total);
      break;

    case LIA_PAGINATION_OFFSET:
      state->offset += n_records;
      state->done = n_records == 0 || short_page || (total >= 0 && state->offset >= total);
      break;

    case LIA_PAGINATION_CURSOR:
      {
        JsonNode *node = lia_json_lookup (root, p->cursor_path);
        const char *next = NULL;
        char buffer[32];

        if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
          {
            if (json_node_get_value_type (node) == G_TYPE_STRING)
              next = json_node_get_string (node);
            else if (json_node_get_value_type (node) == G_TYPE_INT64)
              {
                g_snprintf (buffer, sizeof buffer, "%" PRId64, json_node_get_int (node));
                next = buffer;
              }
          }
        if (next == NULL || *next == '\0' || n_records == 0)
          state->done = TRUE;
        else if (g_strcmp0 (next, state->cursor) == 0)
          {
            g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                                 _("The server sent the same page cursor twice; paging stopped"));
            return FALSE;
          }
        else
          {
            g_free (state->cursor);
            state->cursor = g_strdup (next);
          }
      }
      break;

    case LIA_PAGINATION_LINK:
      {
        g_autofree char *next = link_header ? find_next_link (link_header, current_url) : NULL;

        if (next == NULL)
          state->done = TRUE;
        else if (g_strcmp0 (next, current_url) == 0 || g_strcmp0 (next, state->next_url) == 0)
          {
            g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                                 _("The server’s next-page link points back to the same page; paging stopped"));
            return FALSE;
          }
        else
          {
            g_free (state->next_url);
            state->next_url = g_steal_pointer (&next);
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (!state->done && state->pages >= MAX_PAGES)
    {
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                   _("The server kept sending pages past %d; paging stopped"), MAX_PAGES);
      return FALSE;
    }
  return TRUE;
}

/* The array of records at @records_path ("" for a top-level array). */
JsonArray *
lia_page_find_records (JsonNode    *root,
                       const char  *records_path,
                       GError     **error)
{
  JsonNode *node = lia_json_lookup (root, records_path ? records_path : "");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      if (records_path == NULL || *records_path == '\0')
        g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                             _("The answer is not a JSON array of records: set recordsPath to where the records are"));
      else
        g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                     _("The answer has no array of records at “%s”: check recordsPath"), records_path);
      return NULL;
    }
  return json_node_get_array (node);
}
