/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Texts the windows show about integrations and their runs. Pure functions
 * of their arguments, so tests check them without a display. */

const char *lia_gui_text_status       (const char *status,
                                       const char **out_style_class);
const char *lia_gui_text_run_result   (const char *result);
char       *lia_gui_text_last_sync    (gint64      last_sync_ms,
                                       const char *last_result,
                                       GDateTime  *now);

G_END_DECLS
