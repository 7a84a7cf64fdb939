/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LIA_SYNC_ERROR (lia_sync_error_quark ())

/* The codes a failed request, page or run carries; their names (below) are
 * what history, --json output and the help pages show. */
typedef enum {
  LIA_SYNC_ERROR_CONNECTION,
  LIA_SYNC_ERROR_TLS,
  LIA_SYNC_ERROR_INVALID_CREDENTIALS,
  LIA_SYNC_ERROR_PERMISSION_DENIED,
  LIA_SYNC_ERROR_NOT_FOUND,
  LIA_SYNC_ERROR_RATE_LIMIT_EXCEEDED,
  LIA_SYNC_ERROR_INVALID_RESPONSE,
  LIA_SYNC_ERROR_MAPPING,
  LIA_SYNC_ERROR_FAILED,
  LIA_SYNC_ERROR_ALREADY_RUNNING,
  LIA_SYNC_ERROR_CANCELLED,
  LIA_SYNC_ERROR_NEEDS_SIGNIN,
} LiaSyncErrorCode;

GQuark      lia_sync_error_quark     (void);
const char *lia_sync_error_code_name (GError *error);

G_END_DECLS
