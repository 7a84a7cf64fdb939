/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lia-types.h"

G_BEGIN_DECLS

typedef struct {
  gint64 processed;
  gint64 created;
  gint64 updated;
  gint64 unchanged;
  gint64 deleted;
  gint64 errors;
} LiaSyncCounts;

/* One entry of a run's log: a failed request or page (no external id) or
 * a failed record. */
typedef struct {
  gint64  at;           /* Unix ms */
  char   *level;        /* "error" or "warning" */
  char   *code;         /* CONNECTION_ERROR, MAPPING_ERROR, … */
  char   *data_type;    /* NULL for the run as a whole */
  char   *external_id;  /* the record's, or NULL */
  char   *message;
} LiaSyncLogEntry;

/* A sync run, as history keeps it and as `sync --json` prints it. */
typedef struct {
  gint64         id;              /* 0 for a dry run, which is not kept */
  gint64         integration_id;
  char          *integration_name;
  char          *trigger;         /* manual, scheduled, cli */
  char          *status;          /* running, success, partial, error, cancelled */
  gboolean       dry_run;
  gint64         started_at;      /* Unix ms */
  gint64         finished_at;     /* Unix ms, 0 while running */
  gint64         duration_ms;
  gint64         requests;
  gint64         bytes;
  guint          types;           /* bit mask of the data types it synced */
  LiaSyncCounts  counts[LIA_N_DATA_TYPES];
  GPtrArray     *errors;          /* of LiaSyncLogEntry: the first ones */
  gint64         error_total;     /* every error, kept or not */
  char          *message;         /* what went wrong as a whole, or NULL */
} LiaSyncRun;

LiaSyncRun      *lia_sync_run_new          (void);
void             lia_sync_run_free         (LiaSyncRun          *run);
gint64           lia_sync_run_landed       (const LiaSyncRun    *run);
gint64           lia_sync_run_total        (const LiaSyncRun    *run,
                                            gsize                offset);
JsonNode        *lia_sync_run_to_json      (const LiaSyncRun    *run);
void             lia_sync_log_entry_free   (LiaSyncLogEntry     *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaSyncRun, lia_sync_run_free)

G_END_DECLS
