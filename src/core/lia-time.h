/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define LIA_TIME_ERROR (lia_time_error_quark ())

typedef enum {
  LIA_TIME_ERROR_INVALID,
} LiaTimeError;

GQuark    lia_time_error_quark      (void);

gboolean  lia_time_format_is_valid  (const char  *format,
                                     char       **out_reason);
gboolean  lia_time_parse            (const char  *text,
                                     const char  *format,
                                     GTimeZone   *zone,
                                     gint64      *out_unix,
                                     GError     **error);
gboolean  lia_time_parse_cli_date   (const char  *text,
                                     gboolean     end_of_day,
                                     gint64      *out_unix,
                                     GError     **error);
char     *lia_time_to_iso8601       (gint64       unix_seconds);

G_END_DECLS
