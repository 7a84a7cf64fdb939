/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Not a stored status: what a card shows while its integration syncs. */
#define LIA_GUI_STATUS_SYNCING "syncing"

/* Texts the windows show about integrations and their runs. Pure functions
 * of their arguments, so tests check them without a display. */

const char *lia_gui_text_status       (const char *status,
                                       const char **out_style_class);
const char *lia_gui_text_run_result   (const char *result);
char       *lia_gui_text_last_sync    (gint64      last_sync_ms,
                                       const char *last_result,
                                       GDateTime  *now);
char       *lia_gui_text_next_sync    (gint64      next_ms,
                                       GDateTime  *now);
char       *lia_gui_text_records      (gint64      records);
char       *lia_gui_text_progress     (gint64      records,
                                       gint64      expected);
char       *lia_gui_text_connection_test (guint       http_status,
                                          gint64      response_ms,
                                          const char *code,
                                          const char *message,
                                          const char *hint);
gboolean    lia_gui_text_matches      (const char *query,
                                       const char *text);

G_END_DECLS
