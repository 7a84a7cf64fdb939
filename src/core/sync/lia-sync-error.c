/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-sync-error"

#include "config.h"

#include <gio/gio.h>

#include "lia-mapping.h"
#include "lia-sync-error.h"

G_DEFINE_QUARK (lia-sync-error-quark, lia_sync_error)

static const char * const code_names[] = {
  [LIA_SYNC_ERROR_CONNECTION] = "CONNECTION_ERROR",
  [LIA_SYNC_ERROR_TLS] = "TLS_ERROR",
  [LIA_SYNC_ERROR_INVALID_CREDENTIALS] = "INVALID_CREDENTIALS",
  [LIA_SYNC_ERROR_PERMISSION_DENIED] = "PERMISSION_DENIED",
  [LIA_SYNC_ERROR_NOT_FOUND] = "NOT_FOUND",
  [LIA_SYNC_ERROR_RATE_LIMIT_EXCEEDED] = "RATE_LIMIT_EXCEEDED",
  [LIA_SYNC_ERROR_INVALID_RESPONSE] = "INVALID_RESPONSE",
  [LIA_SYNC_ERROR_MAPPING] = "MAPPING_ERROR",
  [LIA_SYNC_ERROR_FAILED] = "SYNC_FAILED",
  [LIA_SYNC_ERROR_ALREADY_RUNNING] = "ALREADY_RUNNING",
  [LIA_SYNC_ERROR_CANCELLED] = "CANCELLED",
  [LIA_SYNC_ERROR_NEEDS_SIGNIN] = "INVALID_CREDENTIALS",
};

/* The code name of any error a sync meets: errors of other domains are
 * SYNC_FAILED, except mapping errors and cancellation. */
const char *
lia_sync_error_code_name (GError *error)
{
  if (error == NULL)
    return NULL;
  if (error->domain == LIA_SYNC_ERROR && (guint) error->code < G_N_ELEMENTS (code_names))
    return code_names[error->code];
  if (error->domain == LIA_MAPPING_ERROR)
    return code_names[LIA_SYNC_ERROR_MAPPING];
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return code_names[LIA_SYNC_ERROR_CANCELLED];
  return code_names[LIA_SYNC_ERROR_FAILED];
}
