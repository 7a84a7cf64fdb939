/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "lia-config.h"

G_BEGIN_DECLS

/* The secrets a run needs, read from the keyring once per run. Wiped when
 * freed. */
typedef struct {
  char *api_key;   /* api-key, bearer; Moodle's web-service token */
  char *password;  /* basic */
} LiaCredentials;

LiaCredentials *lia_credentials_copy (const LiaCredentials *credentials);
void            lia_credentials_free (LiaCredentials       *credentials);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaCredentials, lia_credentials_free)

/* Gives an OAuth access token; with @force_refresh, a new one (after the
 * server answered 401 to the last). Returns NULL with @error set when
 * there is none to give. */
typedef char *(*LiaTokenFunc) (gpointer       user_data,
                               gboolean       force_refresh,
                               GCancellable  *cancellable,
                               GError       **error);

typedef struct {
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
  gint64              elapsed_ms;
} LiaHttpResponse;

void lia_http_response_free (LiaHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaHttpResponse, lia_http_response_free)

/* How a run's requests behave beyond the config. */
typedef struct {
  GCancellable *cancellable;
  guint         backoff_ms;  /* first wait between retries; 0: the default */
  LiaTokenFunc  token_func;  /* oauth2: where access tokens come from */
  gpointer      token_data;
} LiaHttpOptions;

/* One integration's HTTP client, for one worker thread: it owns a
 * SoupSession, which libsoup wants used from the thread that made it. */
typedef struct _LiaHttp LiaHttp;

LiaHttp         *lia_http_new              (LiaConfig            *config,
                                            LiaCredentials       *credentials,
                                            const LiaHttpOptions *options);
void             lia_http_free             (LiaHttp         *http);
LiaHttpResponse *lia_http_send             (LiaHttp         *http,
                                            const char      *method,
                                            const char      *url,
                                            gboolean         apply_auth,
                                            GError         **error);
void             lia_http_set_max_retries  (LiaHttp         *http,
                                            guint            max_retries);
guint            lia_http_get_last_status  (LiaHttp         *http);
JsonNode        *lia_http_parse_json       (LiaHttpResponse *response,
                                            GError         **error);
guint            lia_http_get_requests     (LiaHttp         *http);
guint64          lia_http_get_bytes        (LiaHttp         *http);

char            *lia_url_join              (const char      *base,
                                            const char      *path);
void             lia_url_add_param         (GString         *url,
                                            const char      *name,
                                            const char      *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaHttp, lia_http_free)

G_END_DECLS
