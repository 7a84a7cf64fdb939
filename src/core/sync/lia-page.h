/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lia-config.h"

G_BEGIN_DECLS

/* One page of external records, parsed, on its way from a connector to
 * the writer. */
typedef struct {
  JsonNode  *root;     /* the whole parsed page; records point into it */
  JsonArray *records;  /* borrowed from root */
  gboolean   is_last;  /* no page follows: the data type is complete */
  guint      number;   /* 1, 2, … */
} LiaPage;

void lia_page_free (LiaPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaPage, lia_page_free)

/* Where a connector is in one data type's pages. */
typedef struct {
  LiaDataType         type;
  const LiaEndpoint  *endpoint;    /* may be a connector's default */
  const char         *since;       /* the incremental cursor to send, or NULL */
  guint               pages;       /* fetched so far */
  gint64              records;     /* received so far */
  gint64              page;        /* page style: the next page number */
  gint64              offset;      /* offset style: the next offset */
  char               *cursor;      /* cursor style: the next cursor */
  char               *next_url;    /* link style: the next page's URL */
  gboolean            done;
} LiaPageState;

void       lia_page_state_init     (LiaPageState       *state,
                                    LiaDataType         type,
                                    const LiaEndpoint  *endpoint,
                                    const char         *since);
void       lia_page_state_clear    (LiaPageState       *state);
void       lia_page_state_add_params (LiaPageState     *state,
                                    GString            *url);
gboolean   lia_page_state_advance  (LiaPageState       *state,
                                    JsonNode           *root,
                                    guint               n_records,
                                    const char         *link_header,
                                    const char         *current_url,
                                    GError            **error);
JsonArray *lia_page_find_records   (JsonNode           *root,
                                    const char         *records_path,
                                    GError            **error);

G_END_DECLS
