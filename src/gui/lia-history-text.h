/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lia-types.h"

G_BEGIN_DECLS

/* Texts the History page shows about sync runs. Pure functions of their
 * arguments, so tests check them without a display. */

const char *lia_history_text_status      (const char  *status,
                                          const char **out_icon_name,
                                          const char **out_style_class);
const char *lia_history_text_trigger     (const char  *trigger);
const char *lia_history_text_data_type   (LiaDataType  type);
char       *lia_history_text_number      (gint64       value);
char       *lia_history_text_duration    (gint64       duration_ms);
char       *lia_history_text_ago         (gint64       then_ms,
                                          GDateTime   *now);
char       *lia_history_text_date_time   (gint64       unix_ms);
char       *lia_history_text_counts      (gint64       processed,
                                          gint64       errors);

G_END_DECLS
