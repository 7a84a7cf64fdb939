/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-export.h"

G_BEGIN_DECLS

/* "2024-03-01T08:00:00Z" and its final NUL. */
#define LIA_CSV_TIMESTAMP_SIZE 21
/* "-9223372036854775808.0" and its final NUL, with room to spare. */
#define LIA_CSV_NUMBER_SIZE 32

/* Writes RFC 4180 CSV into a stream: cells are separated by commas, rows
 * end in CRLF, and a cell holding a comma, a quote, a CR or an LF is
 * quoted. Cells are added one after the other and go out a buffer at a
 * time, so a row costs no allocation. A write error is kept and returned
 * by the next lia_csv_writer_end_row() or lia_csv_writer_finish(). */
typedef struct _LiaCsvWriter LiaCsvWriter;

LiaCsvWriter *lia_csv_writer_new            (GOutputStream         *out,
                                             gboolean               bom);
void          lia_csv_writer_free           (LiaCsvWriter          *writer);
void          lia_csv_writer_set_progress   (LiaCsvWriter          *writer,
                                             LiaExportProgressFunc  progress,
                                             gpointer               progress_data,
                                             GCancellable          *cancellable);

void          lia_csv_writer_add_text       (LiaCsvWriter          *writer,
                                             const char            *text,
                                             gssize                 length);
void          lia_csv_writer_add_int        (LiaCsvWriter          *writer,
                                             gint64                 value);
void          lia_csv_writer_add_double     (LiaCsvWriter          *writer,
                                             double                 value);
void          lia_csv_writer_add_timestamp  (LiaCsvWriter          *writer,
                                             gint64                 unix_seconds);
void          lia_csv_writer_add_percentage (LiaCsvWriter          *writer,
                                             gint64                 part,
                                             gint64                 whole);
void          lia_csv_writer_add_empty      (LiaCsvWriter          *writer);

gboolean      lia_csv_writer_end_header     (LiaCsvWriter          *writer,
                                             GError               **error);
gboolean      lia_csv_writer_end_row        (LiaCsvWriter          *writer,
                                             GError               **error);
gboolean      lia_csv_writer_finish         (LiaCsvWriter          *writer,
                                             GError               **error);
gint64        lia_csv_writer_get_rows       (LiaCsvWriter          *writer);

/* The formats the cells use, for other writers (the JSON report). Each
 * returns the length written into @buffer, or 0 when there is nothing to
 * write. */
gsize         lia_csv_format_timestamp      (gint64                 unix_seconds,
                                             char                   buffer[LIA_CSV_TIMESTAMP_SIZE]);
gsize         lia_csv_format_percentage     (gint64                 part,
                                             gint64                 whole,
                                             char                   buffer[LIA_CSV_NUMBER_SIZE]);
gsize         lia_csv_format_double         (double                 value,
                                             char                   buffer[LIA_CSV_NUMBER_SIZE]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaCsvWriter, lia_csv_writer_free)

G_END_DECLS
