/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define LIA_CSV_ERROR (lia_csv_error_quark ())

typedef enum {
  LIA_CSV_ERROR_ENCODING,  /* not UTF-8 */
  LIA_CSV_ERROR_SYNTAX,    /* an unterminated quote, a record too long */
} LiaCsvError;

GQuark lia_csv_error_quark (void);

/* An RFC 4180 reader that streams rows from a GInputStream, holding one
 * buffer and one row in memory whatever the size of the file. */
typedef struct _LiaCsvReader LiaCsvReader;

LiaCsvReader *lia_csv_reader_new            (GInputStream  *stream);
void          lia_csv_reader_free           (LiaCsvReader  *reader);
gboolean      lia_csv_reader_next_row       (LiaCsvReader  *reader,
                                             GPtrArray    **out_fields,
                                             GError       **error);
guint         lia_csv_reader_get_line       (LiaCsvReader  *reader);
char          lia_csv_reader_get_separator  (LiaCsvReader  *reader);
guint64       lia_csv_reader_get_bytes_read (LiaCsvReader  *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaCsvReader, lia_csv_reader_free)

G_END_DECLS
