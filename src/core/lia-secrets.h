/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LIA_SECRETS_ERROR (lia_secrets_error_quark ())

typedef enum {
  LIA_SECRETS_ERROR_UNAVAILABLE,  /* no Secret Service answered */
  LIA_SECRETS_ERROR_LOCKED,       /* the keyring stayed locked */
  LIA_SECRETS_ERROR_FAILED,
} LiaSecretsError;

GQuark    lia_secrets_error_quark (void);

/* Blocking calls to the Secret Service: use them from worker threads or
 * the command line, never from the GTK main loop. An item is named by the
 * database's id, the integration's id and the secret field's name. */
gboolean  lia_secrets_store   (const char    *database_id,
                               gint64         integration_id,
                               const char    *field,
                               const char    *value,
                               GCancellable  *cancellable,
                               GError       **error);
char     *lia_secrets_lookup  (const char    *database_id,
                               gint64         integration_id,
                               const char    *field,
                               GCancellable  *cancellable,
                               GError       **error);
gboolean  lia_secrets_clear   (const char    *database_id,
                               gint64         integration_id,
                               const char    *field,
                               GCancellable  *cancellable,
                               GError       **error);

G_END_DECLS
