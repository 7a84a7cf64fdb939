/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lia-csv.h"

/* RFC 4180, read the way exports in the wild are written:
 *
 * - the separator is ',' unless the first line has more ';' than ','
 *   outside quotes (Excel in much of Europe);
 * - a UTF-8 byte order mark at the start is skipped;
 * - CR, LF and CRLF all end a line, and are kept as they are inside
 *   quoted fields;
 * - empty lines are skipped (a blank line carries no record);
 * - a quote inside an unquoted field, and text after a closing quote, are
 *   taken literally rather than refused: what the cell shows is kept;
 * - every field must be UTF-8; a quote never closed is an error.
 *
 * A record longer than MAX_RECORD_BYTES is an error too: it is almost
 * always a quote never closed, and reading on would hold the whole file
 * in memory. */

#define BUFFER_SIZE      (64 * 1024)
#define MAX_RECORD_BYTES (4 * 1024 * 1024)

#define CSV_EOF   (-1)
#define CSV_ERROR (-2)

struct _LiaCsvReader
{
  GInputStream *stream;
  guint8       *buffer;
  gsize         pos;
  gsize         len;
  guint64       bytes_read;
  GString      *field;
  guint         line;       /* the line the reader is on, from 1 */
  guint         row_line;   /* the line the last row started on */
  char          separator;
  gboolean      started;
  gboolean      eof;
  gboolean      failed;
};

typedef enum {
  FIELD_START,
  UNQUOTED,
  QUOTED,
  AFTER_QUOTE,  /* a quote inside a quoted field: "" or the end of it */
} ParseState;

G_DEFINE_QUARK (lia-csv-error-quark, lia_csv_error)

/* Reading */

/* 1 when bytes are ready, 0 at the end of the stream, -1 on error. */
static int
fill (LiaCsvReader  *self,
      GError       **error)
{
  gssize n;

  if (self->eof)
    return 0;
  n = g_input_stream_read (self->stream, self->buffer, BUFFER_SIZE, NULL, error);
  if (n < 0)
    return -1;
  self->pos = 0;
  self->len = n;
  self->bytes_read += n;
  if (n == 0)
    self->eof = TRUE;
  return n > 0;
}

static inline int
next_byte (LiaCsvReader  *self,
           GError       **error)
{
  if (self->pos == self->len)
    {
      int ready = fill (self, error);

      if (ready <= 0)
        return ready < 0 ? CSV_ERROR : CSV_EOF;
    }
  return self->buffer[self->pos++];
}

static inline int
peek_byte (LiaCsvReader  *self,
           GError       **error)
{
  if (self->pos == self->len)
    {
      int ready = fill (self, error);

      if (ready <= 0)
        return ready < 0 ? CSV_ERROR : CSV_EOF;
    }
  return self->buffer[self->pos];
}

/* Counts ',' and ';' outside quotes on the first line of what the first
 * read brought in; a header longer than the buffer is judged on its
 * start. A quote toggles the state, so "" inside quotes cancels out. */
static char
detect_separator (const guint8 *data,
                  gsize         len)
{
  gboolean quoted = FALSE;
  guint commas = 0;
  guint semicolons = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '"')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (data[i] == '\n' || data[i] == '\r')
        break;
      else if (data[i] == ',')
        commas++;
      else if (data[i] == ';')
        semicolons++;
    }
  return semicolons > commas ? ';' : ',';
}

static gboolean
start (LiaCsvReader  *self,
       GError       **error)
{
  gsize n = 0;

  self->started = TRUE;
  if (!g_input_stream_read_all (self->stream, self->buffer, BUFFER_SIZE, &n, NULL, error))
    return FALSE;
  self->len = n;
  self->bytes_read = n;
  self->eof = n < BUFFER_SIZE;

  if (n >= 3 && memcmp (self->buffer, "\xEF\xBB\xBF", 3) == 0)
    self->pos = 3;
  self->separator = detect_separator (self->buffer + self->pos, self->len - self->pos);
  return TRUE;
}

/* Rows */

static guint
count_line_breaks (const char *text,
                   gsize       len)
{
  guint breaks = 0;

  for (gsize i = 0; i < len; i++)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == len || text[i + 1] != '\n')))
      breaks++;
  return breaks;
}

static gboolean
end_field (LiaCsvReader  *self,
           GPtrArray     *fields,
           guint          field_line,
           GError       **error)
{
  const char *end;

  if (!g_utf8_validate_len (self->field->str, self->field->len, &end))
    {
      guint line = field_line + count_line_breaks (self->field->str, end - self->field->str);

      g_set_error (error, LIA_CSV_ERROR, LIA_CSV_ERROR_ENCODING,
                   _("Line %u is not valid UTF-8: save the file as UTF-8"), line);
      return FALSE;
    }
  g_ptr_array_add (fields, g_strndup (self->field->str, self->field->len));
  g_string_truncate (self->field, 0);
  return TRUE;
}

/* After a CR or LF that ends a line: a CR takes the LF that follows. */
static gboolean
end_line (LiaCsvReader  *self,
          int            c,
          GError       **error)
{
  self->line++;
  if (c == '\r')
    {
      int next = peek_byte (self, error);

      if (next == CSV_ERROR)
        return FALSE;
      if (next == '\n')
        self->pos++;
    }
  return TRUE;
}

static gboolean
read_row (LiaCsvReader  *self,
          GPtrArray     *fields,
          gboolean      *out_row,
          GError       **error)
{
  ParseState state = FIELD_START;
  guint field_line = self->line;
  gsize record_bytes = 0;

  *out_row = FALSE;
  g_string_truncate (self->field, 0);
  self->row_line = self->line;

  for (;;)
    {
      int c = next_byte (self, error);

      if (c == CSV_ERROR)
        return FALSE;

      if (c == CSV_EOF)
        {
          if (state == QUOTED)
            {
              g_set_error (error, LIA_CSV_ERROR, LIA_CSV_ERROR_SYNTAX,
                           _("The quoted field starting on line %u is never closed"), field_line);
              return FALSE;
            }
          /* The end of the stream ends the last line, if it had anything. */
          if (state == FIELD_START && fields->len == 0)
            return TRUE;
          *out_row = TRUE;
          return end_field (self, fields, field_line, error);
        }

      if (++record_bytes > MAX_RECORD_BYTES)
        {
          g_set_error (error, LIA_CSV_ERROR, LIA_CSV_ERROR_SYNTAX,
                       _("The record starting on line %u is longer than %u MiB: check for a quote that is never closed"),
                       self->row_line, MAX_RECORD_BYTES / (1024 * 1024));
          return FALSE;
        }

      switch (state)
        {
        case FIELD_START:
          field_line = self->line;
          if (c == '"')
            {
              state = QUOTED;
              break;
            }
          if ((c == '\r' || c == '\n') && fields->len == 0)
            {
              /* An empty line: no record, look on. */
              if (!end_line (self, c, error))
                return FALSE;
              self->row_line = self->line;
              record_bytes = 0;
              break;
            }
          G_GNUC_FALLTHROUGH;

        case UNQUOTED:
        case AFTER_QUOTE:
          if (state == AFTER_QUOTE && c == '"')
            {
              g_string_append_c (self->field, '"');
              state = QUOTED;
            }
          else if (c == self->separator)
            {
              if (!end_field (self, fields, field_line, error))
                return FALSE;
              state = FIELD_START;
            }
          else if (c == '\r' || c == '\n')
            {
              *out_row = TRUE;
              return end_field (self, fields, field_line, error) && end_line (self, c, error);
            }
          else
            {
              g_string_append_c (self->field, c);
              state = UNQUOTED;
            }
          break;

        case QUOTED:
          if (c == '"')
            {
              state = AFTER_QUOTE;
              break;
            }
          g_string_append_c (self->field, c);
          if (c == '\n')
            self->line++;
          else if (c == '\r')
            {
              int next = peek_byte (self, error);

              if (next == CSV_ERROR)
                return FALSE;
              if (next != '\n')
                self->line++;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

/* Public API */

/* A reader of @stream, which it keeps a reference to. It reads from the
 * stream's current position. */
LiaCsvReader *
lia_csv_reader_new (GInputStream *stream)
{
  LiaCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (LiaCsvReader, 1);
  self->stream = g_object_ref (stream);
  self->buffer = g_malloc (BUFFER_SIZE);
  self->field = g_string_sized_new (256);
  self->line = 1;
  self->row_line = 1;
  self->separator = ',';
  return self;
}

void
lia_csv_reader_free (LiaCsvReader *reader)
{
  if (reader == NULL)
    return;
  g_object_unref (reader->stream);
  g_free (reader->buffer);
  g_string_free (reader->field, TRUE);
  g_free (reader);
}

/* Reads the next record into @out_fields (strings, owned by the caller).
 * Returns FALSE at the end of the stream with no error set, or on error;
 * after an error the reader reads nothing more. */
gboolean
lia_csv_reader_next_row (LiaCsvReader  *reader,
                         GPtrArray    **out_fields,
                         GError       **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  gboolean has_row = FALSE;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (out_fields != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_fields = NULL;
  if (reader->failed)
    return FALSE;

  fields = g_ptr_array_new_with_free_func (g_free);
  if ((!reader->started && !start (reader, error)) ||
      !read_row (reader, fields, &has_row, error))
    {
      reader->failed = TRUE;
      return FALSE;
    }
  if (!has_row)
    return FALSE;

  *out_fields = g_steal_pointer (&fields);
  return TRUE;
}

/* The line the last row read (or failing) started on, from 1. */
guint
lia_csv_reader_get_line (LiaCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);
  return reader->row_line;
}

/* ',' or ';', as found on the first line; ',' until a row is read. */
char
lia_csv_reader_get_separator (LiaCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, ',');
  return reader->separator;
}

/* The bytes taken from the stream so far (read ahead included). */
guint64
lia_csv_reader_get_bytes_read (LiaCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);
  return reader->bytes_read;
}
