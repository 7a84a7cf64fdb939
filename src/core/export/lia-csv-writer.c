/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-csv-writer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "lia-csv-writer.h"

/* Exports run to millions of rows, so this writer formats integers and
 * timestamps by hand (no printf, no GDateTime) into a buffer of its own and
 * hands the stream a whole buffer at a time.
 *
 * Spreadsheets run a cell that begins with =, +, -, @, a tab or a carriage
 * return as a formula, and a formula in a file made of data from outside
 * (a pupil's name, a subject's title) is an injection: "=HYPERLINK(…)" or
 * worse. Text cells that begin so are neutralised as OWASP recommends
 * ("CSV Injection"): a single quote goes in front, which spreadsheets show
 * as text and do not run. Numeric cells are written as numbers and never
 * altered, so a mark of -2 stays -2. */

#define BUFFER_SIZE (64 * 1024)

/* How often, in rows, the cancellable is checked and progress told. */
#define PROGRESS_INTERVAL 4096

/* The first and last instants of years 1–9999, as ISO 8601 can write. */
#define MIN_TIMESTAMP G_GINT64_CONSTANT (-62135596800)
#define MAX_TIMESTAMP G_GINT64_CONSTANT (253402300799)

struct _LiaCsvWriter {
  GOutputStream         *out;
  char                  *buffer;
  gsize                  length;
  gboolean               in_row;     /* a cell has been added to this row */
  gint64                 rows;       /* data rows ended, without the header */
  GError                *error;      /* the first error, until taken */
  gboolean               failed;     /* an error was taken: write no more */
  LiaExportProgressFunc  progress;
  gpointer               progress_data;
  GCancellable          *cancellable;
  gint64                 date_days;  /* the day whose date is in date */
  char                   date[10];
};

/* Buffer */

static void
flush_buffer (LiaCsvWriter *writer)
{
  if (writer->length > 0 && writer->error == NULL && !writer->failed)
    g_output_stream_write_all (writer->out, writer->buffer, writer->length, NULL, NULL, &writer->error);
  writer->length = 0;
}

/* Makes room for @size bytes, and says whether they fit in the buffer. */
static inline gboolean
reserve (LiaCsvWriter *writer,
         gsize         size)
{
  if (G_UNLIKELY (writer->length + size > BUFFER_SIZE))
    flush_buffer (writer);
  return size <= BUFFER_SIZE;
}

static void
append (LiaCsvWriter *writer,
        const char   *data,
        gsize         size)
{
  while (size > 0)
    {
      gsize chunk;

      if (writer->length == BUFFER_SIZE)
        flush_buffer (writer);
      chunk = MIN (size, BUFFER_SIZE - writer->length);
      memcpy (writer->buffer + writer->length, data, chunk);
      writer->length += chunk;
      data += chunk;
      size -= chunk;
    }
}

static inline void
begin_cell (LiaCsvWriter *writer)
{
  if (writer->in_row)
    {
      reserve (writer, 1);
      writer->buffer[writer->length++] = ',';
    }
  writer->in_row = TRUE;
}

/* Progress and cancellation */

static void
tick (LiaCsvWriter *writer)
{
  if (writer->error == NULL && !writer->failed)
    g_cancellable_set_error_if_cancelled (writer->cancellable, &writer->error);
  if (writer->error == NULL && !writer->failed && writer->progress != NULL)
    writer->progress (writer->rows, writer->progress_data);
}

/* Once an error is taken the export is over: going on is a bug. */
static gboolean
take_error (LiaCsvWriter  *writer,
            GError       **error)
{
  g_return_val_if_fail (!writer->failed, FALSE);

  if (writer->error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&writer->error));
  writer->failed = TRUE;
  return FALSE;
}

/* Formats */

static gsize
format_int (gint64  value,
            char   *buffer)
{
  char digits[24];
  char *p = digits + sizeof digits;
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;
  gsize size;

  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (value < 0)
    *--p = '-';
  size = (gsize) (digits + sizeof digits - p);
  memcpy (buffer, p, size);
  return size;
}

static inline void
put_2 (char *p,
       guint value)
{
  p[0] = (char) ('0' + value / 10);
  p[1] = (char) ('0' + value % 10);
}

/* Days since 1970-01-01 to a proleptic Gregorian date, in whole 400-year
 * eras of 146097 days whose years start on 1 March, so that a leap day is
 * the last of its year. */
static void
date_from_days (gint64  days,
                guint  *out_year,
                guint  *out_month,
                guint  *out_day)
{
  gint64 era, shifted = days + 719468;  /* from 0000-03-01 */
  guint day_of_era, year_of_era, day_of_year, month_index;

  era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
  day_of_era = (guint) (shifted - era * 146097);
  year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  month_index = (5 * day_of_year + 2) / 153;  /* 0 is March */

  *out_day = day_of_year - (153 * month_index + 2) / 5 + 1;
  *out_month = month_index < 10 ? month_index + 3 : month_index - 9;
  *out_year = (guint) (year_of_era + era * 400 + (*out_month <= 2));
}

static inline gint64
days_of (gint64 unix_seconds)
{
  return unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
}

/* "2024-03-01", 10 bytes. */
static void
format_date (gint64  days,
             char   *p)
{
  guint year, month, day;

  date_from_days (days, &year, &month, &day);
  put_2 (p, year / 100);
  put_2 (p + 2, year % 100);
  p[4] = '-';
  put_2 (p + 5, month);
  p[7] = '-';
  put_2 (p + 8, day);
}

/* "T08:00:00Z" and a NUL, 11 bytes. */
static void
format_time_of_day (gint64  seconds,
                    char   *p)
{
  p[0] = 'T';
  put_2 (p + 1, (guint) (seconds / 3600));
  p[3] = ':';
  put_2 (p + 4, (guint) (seconds / 60 % 60));
  p[6] = ':';
  put_2 (p + 7, (guint) (seconds % 60));
  p[9] = 'Z';
  p[10] = '\0';
}

/* "2024-03-01T08:00:00Z", or 0 outside years 1–9999. */
gsize
lia_csv_format_timestamp (gint64 unix_seconds,
                          char   buffer[LIA_CSV_TIMESTAMP_SIZE])
{
  gint64 days;

  if (unix_seconds < MIN_TIMESTAMP || unix_seconds > MAX_TIMESTAMP)
    return 0;
  days = days_of (unix_seconds);
  format_date (days, buffer);
  format_time_of_day (unix_seconds - days * 86400, buffer + 10);
  return 20;
}

/* @part of @whole as a percentage with one decimal, rounded half away
 * from zero ("66.7", "12.5", "100.0"); 0 when @whole is not positive.
 * Integer arithmetic, so 1 of 8 is 12.5 exactly, never 12.499…. */
gsize
lia_csv_format_percentage (gint64 part,
                           gint64 whole,
                           char   buffer[LIA_CSV_NUMBER_SIZE])
{
  gint64 tenths;
  gsize size;

  if (whole <= 0 || part < 0)
    return 0;
  tenths = (2000 * part + whole) / (2 * whole);
  size = format_int (tenths / 10, buffer);
  buffer[size++] = '.';
  buffer[size++] = (char) ('0' + tenths % 10);
  buffer[size] = '\0';
  return size;
}

/* The shortest form that reads back as the same double: "-2", "72.5".
 * 0 for infinities and NaN, which no spreadsheet reads as numbers. */
gsize
lia_csv_format_double (double value,
                       char   buffer[LIA_CSV_NUMBER_SIZE])
{
  if (!isfinite (value))
    return 0;
  if (value == floor (value) && fabs (value) < 1e15)
    {
      gsize size = format_int ((gint64) value, buffer);
      buffer[size] = '\0';
      return size;
    }
  g_ascii_formatd (buffer, LIA_CSV_NUMBER_SIZE, "%.15g", value);
  if (g_ascii_strtod (buffer, NULL) != value)
    g_ascii_formatd (buffer, LIA_CSV_NUMBER_SIZE, "%.17g", value);
  return strlen (buffer);
}

/* Text */

static inline gboolean
is_formula_start (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Writes a cell too big for the buffer, piece by piece. */
static void
put_text_slowly (LiaCsvWriter *writer,
                 const char   *text,
                 gsize         length,
                 gboolean      quote,
                 gboolean      neutralise)
{
  const char *end = text + length;

  if (quote)
    append (writer, "\"", 1);
  if (neutralise)
    append (writer, "'", 1);
  while (text < end)
    {
      const char *q = quote ? memchr (text, '"', (gsize) (end - text)) : NULL;

      if (q == NULL)
        {
          append (writer, text, (gsize) (end - text));
          break;
        }
      append (writer, text, (gsize) (q - text));
      append (writer, "\"\"", 2);
      text = q + 1;
    }
  if (quote)
    append (writer, "\"", 1);
}

/* What each ASCII character asks of a cell. */
enum {
  NEEDS_QUOTES = 1 << 0,
  IS_QUOTE     = 1 << 1,
  NOT_ASCII    = 1 << 2,
};

static const guint8 ascii_classes[128] = {
  ['\n'] = NEEDS_QUOTES, ['\r'] = NEEDS_QUOTES, [','] = NEEDS_QUOTES, ['"'] = NEEDS_QUOTES | IS_QUOTE,
};

static void
put_text (LiaCsvWriter *writer,
          const char   *text,
          gsize         length)
{
  gboolean neutralise = is_formula_start (text[0]);
  gboolean quote, high;
  guint seen = 0;
  gsize quotes = 0, size;
  char *p;

  /* One table look-up a byte, without branches: the hot loop of exports. */
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];
      guint k = c < 0x80 ? ascii_classes[c] : NOT_ASCII;

      seen |= k;
      quotes += k >> 1 & 1;
    }
  quote = (seen & NEEDS_QUOTES) != 0;
  high = (seen & NOT_ASCII) != 0;

  if (G_UNLIKELY (high) && !g_utf8_validate_len (text, length, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, (gssize) length);

      put_text (writer, valid, strlen (valid));
      return;
    }

  size = length + (neutralise ? 1 : 0) + (quote ? 2 + quotes : 0);
  if (G_UNLIKELY (!reserve (writer, size)))
    {
      put_text_slowly (writer, text, length, quote, neutralise);
      return;
    }

  p = writer->buffer + writer->length;
  if (quote)
    *p++ = '"';
  if (neutralise)
    *p++ = '\'';
  if (quotes == 0)
    {
      memcpy (p, text, length);
      p += length;
    }
  else
    {
      for (gsize i = 0; i < length; i++)
        {
          *p++ = text[i];
          if (text[i] == '"')
            *p++ = '"';
        }
    }
  if (quote)
    *p++ = '"';
  writer->length = (gsize) (p - writer->buffer);
}

/* Public API */

/* A writer into @out, which it does not own; with @bom, the output begins
 * with a UTF-8 byte order mark, so that Excel reads accents right. */
LiaCsvWriter *
lia_csv_writer_new (GOutputStream *out,
                    gboolean       bom)
{
  LiaCsvWriter *writer;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), NULL);

  writer = g_new0 (LiaCsvWriter, 1);
  writer->out = out;
  writer->buffer = g_malloc (BUFFER_SIZE);
  writer->date_days = G_MININT64;
  if (bom)
    append (writer, "\xEF\xBB\xBF", 3);
  return writer;
}

/* Frees the writer; what was not finished is dropped. */
void
lia_csv_writer_free (LiaCsvWriter *writer)
{
  if (writer == NULL)
    return;
  g_clear_error (&writer->error);
  g_free (writer->buffer);
  g_free (writer);
}

/* @progress is called with the data rows written after the header and
 * every few thousand rows, when @cancellable is checked too. */
void
lia_csv_writer_set_progress (LiaCsvWriter          *writer,
                             LiaExportProgressFunc  progress,
                             gpointer               progress_data,
                             GCancellable          *cancellable)
{
  writer->progress = progress;
  writer->progress_data = progress_data;
  writer->cancellable = cancellable;
}

/* A text cell: NULL or "" is an empty cell. Text that is not UTF-8 is
 * repaired with U+FFFD; text that a spreadsheet would run as a formula is
 * neutralised (see above). */
void
lia_csv_writer_add_text (LiaCsvWriter *writer,
                         const char   *text,
                         gssize        length)
{
  begin_cell (writer);
  if (text == NULL)
    return;
  if (length < 0)
    length = (gssize) strlen (text);
  if (length > 0)
    put_text (writer, text, (gsize) length);
}

void
lia_csv_writer_add_int (LiaCsvWriter *writer,
                        gint64        value)
{
  begin_cell (writer);
  reserve (writer, 24);
  writer->length += format_int (value, writer->buffer + writer->length);
}

void
lia_csv_writer_add_double (LiaCsvWriter *writer,
                           double        value)
{
  char number[LIA_CSV_NUMBER_SIZE];
  gsize size = lia_csv_format_double (value, number);

  begin_cell (writer);
  append (writer, number, size);
}

/* An ISO 8601 instant in UTC; empty outside years 1–9999. Rows come in
 * time order more often than not, so the date of the last is kept. */
void
lia_csv_writer_add_timestamp (LiaCsvWriter *writer,
                              gint64        unix_seconds)
{
  char *p;
  gint64 days;

  begin_cell (writer);
  if (unix_seconds < MIN_TIMESTAMP || unix_seconds > MAX_TIMESTAMP)
    return;

  days = days_of (unix_seconds);
  if (days != writer->date_days)
    {
      format_date (days, writer->date);
      writer->date_days = days;
    }
  reserve (writer, LIA_CSV_TIMESTAMP_SIZE);
  p = writer->buffer + writer->length;
  memcpy (p, writer->date, 10);
  format_time_of_day (unix_seconds - days * 86400, p + 10);
  writer->length += 20;
}

/* See lia_csv_format_percentage(); empty when @whole is 0. */
void
lia_csv_writer_add_percentage (LiaCsvWriter *writer,
                               gint64        part,
                               gint64        whole)
{
  char number[LIA_CSV_NUMBER_SIZE];
  gsize size = lia_csv_format_percentage (part, whole, number);

  begin_cell (writer);
  append (writer, number, size);
}

void
lia_csv_writer_add_empty (LiaCsvWriter *writer)
{
  begin_cell (writer);
}

static void
end_line (LiaCsvWriter *writer)
{
  reserve (writer, 2);
  writer->buffer[writer->length++] = '\r';
  writer->buffer[writer->length++] = '\n';
  writer->in_row = FALSE;
}

/* Ends the header row; the cancellable is checked and progress told (0
 * rows) once here, so that even a short export can be cancelled. */
gboolean
lia_csv_writer_end_header (LiaCsvWriter  *writer,
                           GError       **error)
{
  end_line (writer);
  tick (writer);
  return take_error (writer, error);
}

gboolean
lia_csv_writer_end_row (LiaCsvWriter  *writer,
                        GError       **error)
{
  end_line (writer);
  if (G_UNLIKELY (++writer->rows % PROGRESS_INTERVAL == 0))
    tick (writer);
  return take_error (writer, error);
}

/* Writes out what is buffered, then checks the cancellable a last time:
 * an export cancelled at any moment fails. */
gboolean
lia_csv_writer_finish (LiaCsvWriter  *writer,
                       GError       **error)
{
  flush_buffer (writer);
  tick (writer);
  return take_error (writer, error);
}

/* The data rows ended so far, without the header. */
gint64
lia_csv_writer_get_rows (LiaCsvWriter *writer)
{
  return writer->rows;
}
