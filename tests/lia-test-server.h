/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A real HTTP server on 127.0.0.1 and a random port, running in its own
 * thread and main context, for tests to sync against. The handler runs in
 * the server's thread. */
typedef struct _LiaTestServer LiaTestServer;

typedef void (*LiaTestHandler) (SoupServerMessage *message,
                                const char        *path,
                                GHashTable        *query,
                                gpointer           user_data);

LiaTestServer *lia_test_server_new       (LiaTestHandler  handler,
                                          gpointer        user_data);
LiaTestServer *lia_test_server_new_tls   (LiaTestHandler  handler,
                                          gpointer        user_data);
void           lia_test_server_free      (LiaTestServer  *server);
const char    *lia_test_server_get_url   (LiaTestServer  *server);
guint          lia_test_server_get_hits  (LiaTestServer  *server);

void           lia_test_reply_json       (SoupServerMessage *message,
                                          guint              status,
                                          const char        *json);
void           lia_test_reply            (SoupServerMessage *message,
                                          guint              status,
                                          const char        *content_type,
                                          const char        *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaTestServer, lia_test_server_free)

G_END_DECLS
