/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-test-server"

#include "config.h"

#include <string.h>

#include "lia-test-server.h"

struct _LiaTestServer {
  GThread        *thread;
  GMainContext   *context;
  GMainLoop      *loop;
  SoupServer     *server;
  LiaTestHandler  handler;
  gpointer        user_data;
  char           *url;
  guint           hits;  /* atomic */
  GTlsCertificate *certificate;  /* HTTPS when set */
  GMutex          mutex;
  GCond           cond;
  gboolean        ready;
};

static void
handle_cb (SoupServer        *soup_server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  LiaTestServer *self = user_data;

  g_atomic_int_inc (&self->hits);
  self->handler (message, path, query, self->user_data);
}

static gpointer
server_thread (gpointer data)
{
  LiaTestServer *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "liaison-test ", "tls-certificate", self->certificate, NULL);
  soup_server_add_handler (self->server, NULL, handle_cb, self, NULL);
  soup_server_listen_local (self->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY | (self->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->url = g_strdup_printf ("%s://127.0.0.1:%d", self->certificate ? "https" : "http",
                               g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&self->mutex);
  self->ready = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);

  g_main_loop_run (self->loop);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Closed connections are freed from idle callbacks. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static LiaTestServer *
server_new (LiaTestHandler   handler,
            gpointer         user_data,
            GTlsCertificate *certificate)
{
  LiaTestServer *self = g_new0 (LiaTestServer, 1);

  self->certificate = certificate;
  self->handler = handler;
  self->user_data = user_data;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  self->thread = g_thread_new ("test-server", server_thread, self);
  g_mutex_lock (&self->mutex);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
  return self;
}

LiaTestServer *
lia_test_server_new (LiaTestHandler handler,
                     gpointer       user_data)
{
  return server_new (handler, user_data, NULL);
}

/* HTTPS with tests/data/tls/server.pem, signed by tests/data/tls/ca.pem,
 * which no system trusts. */
LiaTestServer *
lia_test_server_new_tls (LiaTestHandler handler,
                         gpointer       user_data)
{
  g_autofree char *cert = g_test_build_filename (G_TEST_DIST, "data", "tls", "server.pem", NULL);
  g_autofree char *key = g_test_build_filename (G_TEST_DIST, "data", "tls", "server.key", NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_files (cert, key, &error);

  g_assert_no_error (error);
  return server_new (handler, user_data, certificate);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
lia_test_server_free (LiaTestServer *self)
{
  if (self == NULL)
    return;
  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_clear_object (&self->certificate);
  g_free (self->url);
  g_free (self);
}

const char *
lia_test_server_get_url (LiaTestServer *self)
{
  return self->url;
}

guint
lia_test_server_get_hits (LiaTestServer *self)
{
  return (guint) g_atomic_int_get (&self->hits);
}

void
lia_test_reply (SoupServerMessage *message,
                guint              status,
                const char        *content_type,
                const char        *body)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

void
lia_test_reply_json (SoupServerMessage *message,
                     guint              status,
                     const char        *json)
{
  lia_test_reply (message, status, "application/json", json);
}
