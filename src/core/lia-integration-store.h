/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-config.h"
#include "lia-database.h"

G_BEGIN_DECLS

/* The status an integration shows: "active", "inactive" (disabled),
 * "error" (its last run failed) or "needs-signin" (OAuth sign-in lost). */
#define LIA_STATUS_ACTIVE        "active"
#define LIA_STATUS_INACTIVE      "inactive"
#define LIA_STATUS_ERROR         "error"
#define LIA_STATUS_NEEDS_SIGNIN  "needs-signin"

/* A snapshot of one integration row; plain data, safe to pass between
 * threads. */
struct _LiaIntegration {
  gint64      id;
  char       *name;
  LiaKind     kind;
  gboolean    enabled;
  const char *status;         /* one of LIA_STATUS_* */
  gint64      last_sync;      /* Unix ms of the last run's start, 0 if none */
  char       *last_result;    /* the last run's status, NULL if none */
  gint64      created_at;     /* Unix ms */
  gint64      updated_at;     /* Unix ms */
  LiaConfig  *config;
};

void            lia_integration_free               (LiaIntegration    *integration);

gint64          lia_integration_store_add          (LiaDatabase       *db,
                                                    LiaConfig         *config,
                                                    LiaConfigSecrets  *secrets,
                                                    GError           **error);
gboolean        lia_integration_store_update       (LiaDatabase       *db,
                                                    gint64             id,
                                                    LiaConfig         *config,
                                                    LiaConfigSecrets  *secrets,
                                                    GError           **error);
GPtrArray      *lia_integration_store_list         (LiaDatabase       *db,
                                                    GError           **error);
LiaIntegration *lia_integration_store_get          (LiaDatabase       *db,
                                                    gint64             id,
                                                    GError           **error);
gboolean        lia_integration_store_remove       (LiaDatabase       *db,
                                                    gint64             id,
                                                    GError           **error);
gboolean        lia_integration_store_set_enabled  (LiaDatabase       *db,
                                                    gint64             id,
                                                    gboolean           enabled,
                                                    GError           **error);
gboolean        lia_integration_store_set_secret   (LiaDatabase       *db,
                                                    gint64             id,
                                                    const char        *field,
                                                    const char        *value,
                                                    GError           **error);
gboolean        lia_integration_store_has_secret   (LiaDatabase       *db,
                                                    gint64             id,
                                                    const char        *field,
                                                    gboolean          *out_present,
                                                    GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaIntegration, lia_integration_free)

G_END_DECLS
