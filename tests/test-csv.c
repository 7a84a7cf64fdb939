/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "lia-csv.h"
#include "lia-test-util.h"

/* Helpers */

static LiaCsvReader *
reader_for (const char *data,
            gssize      length)
{
  g_autoptr(GInputStream) stream = NULL;

  if (length < 0)
    length = strlen (data);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (data, length), length, g_free);
  return lia_csv_reader_new (stream);
}

/* Every row, each as its fields joined by '|', rows joined by '\n';
 * asserts the input reads to its end without error. */
static char *
read_all (const char *data,
          gssize      length)
{
  g_autoptr(LiaCsvReader) reader = reader_for (data, length);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *row;

  while (lia_csv_reader_next_row (reader, &row, &error))
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (row, NULL);
      joined = g_strjoinv ("|", (char **) row->pdata);
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, joined);
      g_ptr_array_unref (row);
    }
  g_assert_no_error (error);
  g_assert_null (row);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The error reading @data meets, after the rows before it. */
static GError *
read_error (const char *data,
            gssize      length,
            guint      *out_rows)
{
  g_autoptr(LiaCsvReader) reader = reader_for (data, length);
  GError *error = NULL;
  GPtrArray *row;
  guint rows = 0;

  while (lia_csv_reader_next_row (reader, &row, &error))
    {
      g_ptr_array_unref (row);
      rows++;
    }
  g_assert_null (row);
  g_assert_nonnull (error);
  /* After an error, nothing more. */
  g_assert_false (lia_csv_reader_next_row (reader, &row, NULL));
  if (out_rows != NULL)
    *out_rows = rows;
  return error;
}

#define assert_reads(data, expected) \
  G_STMT_START { \
    g_autofree char *got_ = read_all ((data), -1); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

/* Tests */

static void
test_simple (void)
{
  assert_reads ("a,b,c\n1,2,3\n", "a|b|c\n1|2|3");
  assert_reads ("a,b,c\n1,,3\n,,\n", "a|b|c\n1||3\n||");
  assert_reads ("single\nvalue", "single\nvalue");
  assert_reads (" spaced , kept \n", " spaced | kept ");
}

static void
test_quotes (void)
{
  assert_reads ("\"a,b\",c\n", "a,b|c");
  assert_reads ("\"say \"\"hi\"\"\",x\n", "say \"hi\"|x");
  assert_reads ("\"\",\"\"\"\"\n", "|\"");
  assert_reads ("\"only\"", "only");
  /* Taken literally rather than refused. */
  assert_reads ("a\"b,\"x\"y,c\"\n", "a\"b|xy|c\"");
}

static void
test_newlines_in_quotes (void)
{
  g_autoptr(LiaCsvReader) reader = reader_for ("id,note\r\n"
                                               "1,\"two\nlines\"\r\n"
                                               "2,\"crlf\r\nkept\"\r\n"
                                               "3,\"cr\ronly\"\r\n"
                                               "4,end\r\n", -1);
  g_autoptr(GError) error = NULL;
  const char *expected[][2] = {
    { "id", "note" }, { "1", "two\nlines" }, { "2", "crlf\r\nkept" }, { "3", "cr\ronly" }, { "4", "end" },
  };
  const guint lines[] = { 1, 2, 4, 6, 8 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GPtrArray) row = NULL;

      g_assert_true (lia_csv_reader_next_row (reader, &row, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (row->len, ==, 2);
      g_assert_cmpstr (g_ptr_array_index (row, 0), ==, expected[i][0]);
      g_assert_cmpstr (g_ptr_array_index (row, 1), ==, expected[i][1]);
      g_assert_cmpuint (lia_csv_reader_get_line (reader), ==, lines[i]);
    }
  g_assert_false (lia_csv_reader_next_row (reader, &(GPtrArray *) { NULL }, &error));
  g_assert_no_error (error);
}

static void
test_line_ends (void)
{
  assert_reads ("a,b\r\n1,2\r\n", "a|b\n1|2");
  assert_reads ("a,b\r1,2\r", "a|b\n1|2");
  assert_reads ("a,b\n1,2\r\n3,4\r5,6", "a|b\n1|2\n3|4\n5|6");
  /* Blank lines carry no record; a line of separators does. */
  assert_reads ("\n\na,b\n\r\n\n1,2\n\n", "a|b\n1|2");
  assert_reads ("a,b\n,\n", "a|b\n|");
  assert_reads ("a,b\n1,", "a|b\n1|");
  assert_reads ("", "");
}

static void
test_bom (void)
{
  g_autoptr(LiaCsvReader) reader = reader_for ("\xEF\xBB\xBFname,email\nZoë,zoe@example.org\n", -1);
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lia_csv_reader_next_row (reader, &header, &error));
  g_assert_cmpstr (g_ptr_array_index (header, 0), ==, "name");

  assert_reads ("\xEF\xBB\xBF", "");
  assert_reads ("\xEF\xBB\xBF\"quoted\",x\n", "quoted|x");
  /* Only at the start. */
  assert_reads ("a\n\xEF\xBB\xBF" "b\n", "a\n\xEF\xBB\xBF" "b");
}

static void
test_semicolons (void)
{
  g_autoptr(LiaCsvReader) reader = reader_for ("Name;Klasse;Note\r\nMüller, Anna;5a;1,7\r\n", -1);
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) row = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (lia_csv_reader_next_row (reader, &header, &error));
  g_assert_cmpint (lia_csv_reader_get_separator (reader), ==, ';');
  g_assert_cmpuint (header->len, ==, 3);
  g_assert_true (lia_csv_reader_next_row (reader, &row, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (row->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (row, 0), ==, "Müller, Anna");
  g_assert_cmpstr (g_ptr_array_index (row, 2), ==, "1,7");

  /* Separators inside quotes do not count; a tie stays with commas. */
  assert_reads ("\"a,b,c\";d;e\n1;2;3\n", "a,b,c|d|e\n1|2|3");
  assert_reads ("\"a;b;c\",d,e\n1,2,3\n", "a;b;c|d|e\n1|2|3");
  assert_reads ("a;b,c\n", "a;b|c");
  assert_reads ("\xEF\xBB\xBF" "x;y\n1;2", "x|y\n1|2");
  /* Only the first line decides. */
  assert_reads ("a,b\n1;2;3;4,5\n", "a|b\n1;2;3;4|5");
}

static void
test_scripts (void)
{
  assert_reads ("name,city,note\n"
                "Łukasz Żółć,Kraków,é è ê ß\n"
                "Дмитрий Иванов,Москва,\"кириллица, да\"\n"
                "山田太郎,東京,日本語\n"
                "محمد,القاهرة,عربي\n"
                "Ἀθηνᾶ,Ἀθῆναι,🎓📚\n",
                "name|city|note\n"
                "Łukasz Żółć|Kraków|é è ê ß\n"
                "Дмитрий Иванов|Москва|кириллица, да\n"
                "山田太郎|東京|日本語\n"
                "محمد|القاهرة|عربي\n"
                "Ἀθηνᾶ|Ἀθῆναι|🎓📚");
}

static void
test_unterminated_quote (void)
{
  guint rows = 0;
  g_autoptr(GError) error = read_error ("a,b\n1,2\n3,\"never\nclosed\n", -1, &rows);

  g_assert_error (error, LIA_CSV_ERROR, LIA_CSV_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_assert_cmpuint (rows, ==, 2);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GError) latin1 = read_error ("name\nM\xFCller\n", -1, NULL);
  g_autoptr(GError) after_quotes = read_error ("a,b\n\"x\ny\",ok\n1,\"fine\nbad \xC3\x28\"\n", -1, NULL);
  g_autoptr(GError) nul = read_error ("a\nb\0c\n", 6, NULL);
  g_autoptr(GError) utf16 = read_error ("\xFF\xFE" "a\0,\0b\0", 8, NULL);

  g_assert_error (latin1, LIA_CSV_ERROR, LIA_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (latin1->message, "Line 2 "));
  /* The line of the bad bytes, counted through quoted newlines. */
  g_assert_error (after_quotes, LIA_CSV_ERROR, LIA_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (after_quotes->message, "Line 5 "));
  g_assert_error (nul, LIA_CSV_ERROR, LIA_CSV_ERROR_ENCODING);
  g_assert_error (utf16, LIA_CSV_ERROR, LIA_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (utf16->message, "Line 1 "));
}

/* Line ends, escaped quotes and multi-byte characters cut by the 64 KiB
 * read buffer, and a file far larger than it. */
static void
test_buffer_boundaries (void)
{
  const gsize boundary = 64 * 1024;
  const char *tail = ",\"é\"\"\r\nq\"\r\nlast,row\r\n";

  /* Each byte of the tail falls on the boundary in turn. */
  for (gsize shift = 1; shift <= strlen (tail); shift++)
    {
      g_autoptr(GString) data = g_string_new ("h1,h2\n");
      g_autofree char *got = NULL;
      g_auto(GStrv) rows = NULL;

      while (data->len + 4 <= boundary - shift)
        g_string_append (data, "x,y\n");
      while (data->len < boundary - shift)
        g_string_append_c (data, 'p');
      g_string_append (data, tail);

      got = read_all (data->str, data->len);
      rows = g_strsplit (got, "\n", -1);
      g_assert_true (g_str_has_suffix (got, "|é\"\r\nq\nlast|row"));
      /* header, x,y rows, the padded row (its note splits in two), last */
      g_assert_cmpuint (g_strv_length (rows), ==, 1 + (boundary - shift - 6) / 4 + 2 + 1);
    }

  {
    g_autoptr(GString) big = g_string_new ("id,name,note\n");
    g_autoptr(LiaCsvReader) reader = NULL;
    g_autoptr(GError) error = NULL;
    GPtrArray *row;
    guint rows = 0;

    for (guint i = 0; i < 50000; i++)
      g_string_append_printf (big, "%u,Schüler %u,\"Zeile\r\n%u, mit \"\"Zitat\"\"\"\r\n", i, i, i);
    reader = reader_for (big->str, big->len);
    g_assert_true (lia_csv_reader_next_row (reader, &row, &error));
    g_ptr_array_unref (row);
    while (lia_csv_reader_next_row (reader, &row, &error))
      {
        g_autofree char *name = g_strdup_printf ("Schüler %u", rows);
        g_autofree char *note = g_strdup_printf ("Zeile\r\n%u, mit \"Zitat\"", rows);

        g_assert_cmpuint (row->len, ==, 3);
        g_assert_cmpstr (g_ptr_array_index (row, 1), ==, name);
        g_assert_cmpstr (g_ptr_array_index (row, 2), ==, note);
        g_assert_cmpuint (lia_csv_reader_get_line (reader), ==, 2 + 2 * rows);
        g_ptr_array_unref (row);
        rows++;
      }
    g_assert_no_error (error);
    g_assert_cmpuint (rows, ==, 50000);
    g_assert_cmpuint (lia_csv_reader_get_bytes_read (reader), ==, big->len);
  }
}

static void
test_record_too_long (void)
{
  gsize length = 5 * 1024 * 1024;
  g_autofree char *data = g_malloc (length);
  g_autoptr(GError) error = NULL;

  memcpy (data, "a\n\"", 3);
  memset (data + 3, 'x', length - 3);
  error = read_error (data, length, NULL);
  g_assert_error (error, LIA_CSV_ERROR, LIA_CSV_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "line 2"));
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/csv/simple", test_simple);
  g_test_add_func ("/csv/quotes", test_quotes);
  g_test_add_func ("/csv/newlines-in-quotes", test_newlines_in_quotes);
  g_test_add_func ("/csv/line-ends", test_line_ends);
  g_test_add_func ("/csv/bom", test_bom);
  g_test_add_func ("/csv/semicolons", test_semicolons);
  g_test_add_func ("/csv/scripts", test_scripts);
  g_test_add_func ("/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/csv/buffer-boundaries", test_buffer_boundaries);
  g_test_add_func ("/csv/record-too-long", test_record_too_long);

  return g_test_run ();
}
