/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>

#include "lia-time.h"

/* meson runs the tests with TZ=UTC; so does main(), for direct runs. */

static gint64
utc (int year, int month, int day, int hour, int minute, int second)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, second);
  return g_date_time_to_unix (dt);
}

static gint64
parse_ok (const char *text,
          const char *format,
          const char *zone_id)
{
  g_autoptr(GTimeZone) zone = zone_id != NULL ? g_time_zone_new_identifier (zone_id) : NULL;
  g_autoptr(GError) error = NULL;
  gint64 out = -1;

  g_assert_true (zone_id == NULL || zone != NULL);
  if (!lia_time_parse (text, format, zone, &out, &error))
    g_error ("“%s” with “%s”: %s", text, format ? format : "ISO 8601", error->message);
  return out;
}

static void
assert_parse_fails (const char *text,
                    const char *format,
                    const char *expected_message)
{
  g_autoptr(GError) error = NULL;
  gint64 out = 42;

  g_assert_false (lia_time_parse (text, format, NULL, &out, &error));
  g_assert_error (error, LIA_TIME_ERROR, LIA_TIME_ERROR_INVALID);
  g_assert_cmpint (out, ==, 42);
  if (expected_message != NULL)
    g_assert_cmpstr (error->message, ==, expected_message);
}

static void
assert_format_invalid (const char *format,
                       const char *expected_reason)
{
  g_autofree char *reason = NULL;

  g_assert_false (lia_time_format_is_valid (format, &reason));
  g_assert_cmpstr (reason, ==, expected_reason);
}

/* ---- formats ---------------------------------------------------------- */

static void
test_format_valid (void)
{
  const char *formats[] = {
    "%Y-%m-%d", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%F", "%F %T", "%FT%T%z",
    "%d %b %Y", "%B %d, %Y", "%m/%d/%y %I:%M %p", "%Y%m%d", "%d.%m.%Y г.", "100%% %Y-%m-%d",
  };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *reason = NULL;

      if (!lia_time_format_is_valid (formats[i], &reason))
        g_error ("“%s”: %s", formats[i], reason);
      g_assert_null (reason);
      g_assert_true (lia_time_format_is_valid (formats[i], NULL));
    }
}

static void
test_format_invalid (void)
{
  assert_format_invalid ("%d/%m/%Y %Q", "unsupported conversion %Q");
  assert_format_invalid ("%Y-%j", "unsupported conversion %j");
  assert_format_invalid ("%Y-%m-%d %é", "unsupported conversion %é");
  assert_format_invalid ("%Y-%m-%d %", "ends with a lone %");
  assert_format_invalid ("%Y-%m", "needs a year, a month and a day");
  assert_format_invalid ("%H:%M", "needs a year, a month and a day");
  assert_format_invalid ("%F %Y", "gives the year twice");
  assert_format_invalid ("%F %H:%I %p", "gives the hour twice");
  assert_format_invalid ("%F %I:%M", "%I needs %p");
  assert_format_invalid ("%F %H:%M %p", "%p needs %I");
  assert_format_invalid ("%F %z %z", "gives the UTC offset twice");
  g_assert_false (lia_time_format_is_valid ("%Q", NULL));
}

static void
test_format_parse (void)
{
  g_assert_cmpint (parse_ok ("05/03/2024 14:30", "%d/%m/%Y %H:%M", NULL), ==, utc (2024, 3, 5, 14, 30, 0));
  g_assert_cmpint (parse_ok ("5/3/2024 9:05", "%d/%m/%Y %H:%M", NULL), ==, utc (2024, 3, 5, 9, 5, 0));
  g_assert_cmpint (parse_ok ("2024-03-05", "%Y-%m-%d", NULL), ==, utc (2024, 3, 5, 0, 0, 0));
  g_assert_cmpint (parse_ok ("2024-03-05 14:30:15", "%F %T", NULL), ==, utc (2024, 3, 5, 14, 30, 15));
  g_assert_cmpint (parse_ok ("20240305", "%Y%m%d", NULL), ==, utc (2024, 3, 5, 0, 0, 0));
  g_assert_cmpint (parse_ok ("05 mar 2024", "%d %b %Y", NULL), ==, utc (2024, 3, 5, 0, 0, 0));
  g_assert_cmpint (parse_ok ("05 SEP 2024", "%d %b %Y", NULL), ==, utc (2024, 9, 5, 0, 0, 0));
  g_assert_cmpint (parse_ok ("September 5, 2024", "%B %d, %Y", NULL), ==, utc (2024, 9, 5, 0, 0, 0));
  g_assert_cmpint (parse_ok ("may 5, 2024", "%B %d, %Y", NULL), ==, utc (2024, 5, 5, 0, 0, 0));
  g_assert_cmpint (parse_ok ("03/05/24 12:15 AM", "%m/%d/%y %I:%M %p", NULL), ==, utc (2024, 3, 5, 0, 15, 0));
  g_assert_cmpint (parse_ok ("03/05/24 12:15 pm", "%m/%d/%y %I:%M %p", NULL), ==, utc (2024, 3, 5, 12, 15, 0));
  g_assert_cmpint (parse_ok ("03/05/99 01:15 PM", "%m/%d/%y %I:%M %p", NULL), ==, utc (1999, 3, 5, 13, 15, 0));
  g_assert_cmpint (parse_ok ("100% 2024-03-05", "100%% %F", NULL), ==, utc (2024, 3, 5, 0, 0, 0));
  /* White space in the format matches any amount of it, as in strptime. */
  g_assert_cmpint (parse_ok ("2024-03-05   14:30", "%F %H:%M", NULL), ==, utc (2024, 3, 5, 14, 30, 0));
  g_assert_cmpint (parse_ok ("2024-03-0514:30", "%F %H:%M", NULL), ==, utc (2024, 3, 5, 14, 30, 0));
  /* Leap day in a leap year. */
  g_assert_cmpint (parse_ok ("29/02/2024", "%d/%m/%Y", NULL), ==, utc (2024, 2, 29, 0, 0, 0));
}

static void
test_format_offset (void)
{
  const char *format = "%FT%T%z";
  gint64 expected = utc (2024, 3, 5, 13, 30, 0);

  g_assert_cmpint (parse_ok ("2024-03-05T14:30:00+01:00", format, NULL), ==, expected);
  g_assert_cmpint (parse_ok ("2024-03-05T14:30:00+0100", format, NULL), ==, expected);
  g_assert_cmpint (parse_ok ("2024-03-05T13:30:00Z", format, NULL), ==, expected);
  g_assert_cmpint (parse_ok ("2024-03-05T08:00:00-05:30", format, NULL), ==, expected);
  /* An offset in the text wins over the zone. */
  g_assert_cmpint (parse_ok ("2024-03-05T14:30:00+01:00", format, "Asia/Kolkata"), ==, expected);
  assert_parse_fails ("2024-03-05T14:30:00+1", format,
                      "“2024-03-05T14:30:00+1”: expected a UTC offset (Z, +hh:mm or +hhmm) at position 20");
  assert_parse_fails ("2024-03-05T14:30:00+25:00", format, NULL);
}

static void
test_format_zone (void)
{
  const char *format = "%d/%m/%Y %H:%M";

  /* Europe/Paris is +01:00 in winter and +02:00 in summer. */
  g_assert_cmpint (parse_ok ("15/01/2024 10:00", format, "Europe/Paris"), ==, utc (2024, 1, 15, 9, 0, 0));
  g_assert_cmpint (parse_ok ("15/07/2024 10:00", format, "Europe/Paris"), ==, utc (2024, 7, 15, 8, 0, 0));
  /* The day the clocks go forward: before and after the change. */
  g_assert_cmpint (parse_ok ("31/03/2024 01:30", format, "Europe/Paris"), ==, utc (2024, 3, 31, 0, 30, 0));
  g_assert_cmpint (parse_ok ("31/03/2024 03:30", format, "Europe/Paris"), ==, utc (2024, 3, 31, 1, 30, 0));
  g_assert_cmpint (parse_ok ("15/01/2024 10:00", format, "Asia/Kolkata"), ==, utc (2024, 1, 15, 4, 30, 0));
  /* No zone: the local one, UTC in the tests. */
  g_assert_cmpint (parse_ok ("15/07/2024 10:00", format, NULL), ==, utc (2024, 7, 15, 10, 0, 0));
}

static void
test_format_errors (void)
{
  assert_parse_fails ("05/03/2024 14:30x", "%d/%m/%Y %H:%M", "“05/03/2024 14:30x”: unexpected text at position 17");
  assert_parse_fails ("05-03-2024", "%d/%m/%Y", "“05-03-2024”: expected “/” at position 3");
  assert_parse_fails ("29/02/2023", "%d/%m/%Y", "“29/02/2023”: February 2023 has no day 29");
  assert_parse_fails ("31/04/2024", "%d/%m/%Y", "“31/04/2024”: April 2024 has no day 31");
  assert_parse_fails ("05/13/2024", "%d/%m/%Y", "“05/13/2024”: month 13 is out of range");
  assert_parse_fails ("00/12/2024", "%d/%m/%Y", "“00/12/2024”: December 2024 has no day 0");
  assert_parse_fails ("05/03/2024 24:00", "%d/%m/%Y %H:%M", "“05/03/2024 24:00”: hour 24 is out of range");
  assert_parse_fails ("05/03/2024 23:60", "%d/%m/%Y %H:%M", "“05/03/2024 23:60”: minute 60 is out of range");
  assert_parse_fails ("05/03/2024 23:59:60", "%d/%m/%Y %T", "“05/03/2024 23:59:60”: second 60 is out of range");
  assert_parse_fails ("05/03/2024 13:00 PM", "%d/%m/%Y %I:%M %p",
                      "“05/03/2024 13:00 PM”: hour 13 is out of range for a 12-hour clock");
  assert_parse_fails ("05/03/2024 11:00 XM", "%d/%m/%Y %I:%M %p", "“05/03/2024 11:00 XM”: expected AM or PM at position 18");
  assert_parse_fails ("05 Mrz 2024", "%d %b %Y", "“05 Mrz 2024”: expected an English month abbreviation at position 4");
  assert_parse_fails ("05 Sept 2024", "%d %B %Y", "“05 Sept 2024”: expected an English month name at position 4");
  assert_parse_fails ("5 March 2024", "%d %b %Y", "“5 March 2024”: expected a four-digit year at position 6");
  assert_parse_fails ("24-03-05", "%Y-%m-%d", "“24-03-05”: expected a four-digit year at position 1");
  assert_parse_fails ("0000-03-05", "%Y-%m-%d", "“0000-03-05”: year 0 is out of range");
  assert_parse_fails ("/03/2024", "%d/%m/%Y", "“/03/2024”: expected a day of the month at position 1");
  assert_parse_fails ("", "%d/%m/%Y", "“”: expected a day of the month at position 1");
  assert_parse_fails ("05/03/2024", "%d/%m/%Y %Q", "Unusable time format: unsupported conversion %Q");
}

/* An error quotes at most 64 characters of the value. */
static void
test_error_quoting (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *long_text = g_strnfill (200, 'x');
  g_autofree char *head = g_strnfill (64, 'x');
  g_autofree char *expected = g_strdup_printf ("“%s…”: not an ISO 8601 date (YYYY-MM-DD) or date and time", head);
  gint64 out;

  g_assert_false (lia_time_parse (long_text, NULL, NULL, &out, &error));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* Invalid UTF-8 is not copied into the message as it is. */
  g_assert_false (lia_time_parse ("2024-\xff", NULL, NULL, &out, &error));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* ---- ISO 8601 --------------------------------------------------------- */

static void
test_iso8601_date (void)
{
  g_assert_cmpint (parse_ok ("2024-03-01", NULL, NULL), ==, utc (2024, 3, 1, 0, 0, 0));
  g_assert_cmpint (parse_ok ("2024-03-01", NULL, "UTC"), ==, utc (2024, 3, 1, 0, 0, 0));
  g_assert_cmpint (parse_ok ("2024-03-01", NULL, "Europe/Paris"), ==, utc (2024, 2, 29, 23, 0, 0));
  g_assert_cmpint (parse_ok ("2024-07-01", NULL, "Europe/Paris"), ==, utc (2024, 6, 30, 22, 0, 0));
  g_assert_cmpint (parse_ok ("2024-02-29", NULL, NULL), ==, utc (2024, 2, 29, 0, 0, 0));
}

static void
test_iso8601_date_time (void)
{
  gint64 expected = utc (2024, 3, 1, 8, 0, 0);

  g_assert_cmpint (parse_ok ("2024-03-01T08:00:00Z", NULL, NULL), ==, expected);
  g_assert_cmpint (parse_ok ("2024-03-01T08:00:00Z", NULL, "Europe/Paris"), ==, expected);
  g_assert_cmpint (parse_ok ("2024-03-01T09:00:00+01:00", NULL, NULL), ==, expected);
  g_assert_cmpint (parse_ok ("2024-03-01T03:30:00-04:30", NULL, NULL), ==, expected);
  g_assert_cmpint (parse_ok ("2024-03-01T08:00:00.750Z", NULL, NULL), ==, expected);
  g_assert_cmpint (parse_ok ("2024-03-01 08:00:00", NULL, NULL), ==, expected);
  /* Without an offset: in the zone given, with its summer time. */
  g_assert_cmpint (parse_ok ("2024-03-01T09:00:00", NULL, "Europe/Paris"), ==, expected);
  g_assert_cmpint (parse_ok ("2024-07-01T10:00:00", NULL, "Europe/Paris"), ==, utc (2024, 7, 1, 8, 0, 0));
  g_assert_cmpint (parse_ok ("2024-03-01T08:00:00", NULL, NULL), ==, expected);
}

static void
test_iso8601_invalid (void)
{
  assert_parse_fails ("2023-02-29", NULL, "“2023-02-29”: February 2023 has no day 29");
  assert_parse_fails ("2023-02-29T10:00:00Z", NULL, "“2023-02-29T10:00:00Z”: February 2023 has no day 29");
  assert_parse_fails ("2024-13-01", NULL, "“2024-13-01”: month 13 is out of range");
  assert_parse_fails ("2024-03-01x", NULL, "“2024-03-01x”: not an ISO 8601 date (YYYY-MM-DD) or date and time");
  assert_parse_fails ("2024-03-01T08:00:00Z junk", NULL, NULL);
  assert_parse_fails ("2024-03-01T25:00:00Z", NULL, NULL);
  assert_parse_fails ("2024-3-1", NULL, NULL);
  assert_parse_fails ("1709280000", NULL, NULL);
  assert_parse_fails ("yesterday", NULL, NULL);
  assert_parse_fails (" 2024-03-01", NULL, NULL);
  assert_parse_fails ("", NULL, "“”: not an ISO 8601 date (YYYY-MM-DD) or date and time");
}

/* ---- the command line ------------------------------------------------- */

static gint64
cli_ok (const char *text,
        gboolean    end_of_day)
{
  g_autoptr(GError) error = NULL;
  gint64 out = -1;

  if (!lia_time_parse_cli_date (text, end_of_day, &out, &error))
    g_error ("“%s”: %s", text, error->message);
  return out;
}

static void
test_cli_date (void)
{
  g_autoptr(GError) error = NULL;
  gint64 out;

  /* "--to 2024-03-31" covers the whole day; "--from" starts with it. */
  g_assert_cmpint (cli_ok ("2024-03-31", FALSE), ==, utc (2024, 3, 31, 0, 0, 0));
  g_assert_cmpint (cli_ok ("2024-03-31", TRUE), ==, utc (2024, 3, 31, 23, 59, 59));
  /* A time is taken as it is, whatever end_of_day says. */
  g_assert_cmpint (cli_ok ("2024-03-31T10:00:00", TRUE), ==, utc (2024, 3, 31, 10, 0, 0));
  g_assert_cmpint (cli_ok ("2024-03-31T10:00:00+02:00", FALSE), ==, utc (2024, 3, 31, 8, 0, 0));
  g_assert_cmpint (cli_ok ("2024-03-31T10:00:00Z", TRUE), ==, utc (2024, 3, 31, 10, 0, 0));

  g_assert_false (lia_time_parse_cli_date ("2023-02-29", TRUE, &out, &error));
  g_assert_error (error, LIA_TIME_ERROR, LIA_TIME_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "“2023-02-29”: February 2023 has no day 29");
  g_clear_error (&error);
  g_assert_false (lia_time_parse_cli_date ("31/03/2024", FALSE, &out, &error));
  g_assert_error (error, LIA_TIME_ERROR, LIA_TIME_ERROR_INVALID);
}

/* Run in a child with TZ set, so the local zone has summer time. */
static void
test_cli_date_local_zone (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("TZ", "Europe/Paris", TRUE);
      /* The day the clocks go forward has 23 hours. */
      g_assert_cmpint (cli_ok ("2024-03-31", FALSE), ==, utc (2024, 3, 30, 23, 0, 0));
      g_assert_cmpint (cli_ok ("2024-03-31", TRUE), ==, utc (2024, 3, 31, 21, 59, 59));
      g_assert_cmpint (cli_ok ("2024-01-15", TRUE), ==, utc (2024, 1, 15, 22, 59, 59));
      g_assert_cmpint (cli_ok ("2024-03-31T12:00:00", FALSE), ==, utc (2024, 3, 31, 10, 0, 0));
      g_assert_cmpint (cli_ok ("2024-03-31T12:00:00Z", FALSE), ==, utc (2024, 3, 31, 12, 0, 0));
      g_assert_cmpint (parse_ok ("15/01/2024 10:00", "%d/%m/%Y %H:%M", NULL), ==, utc (2024, 1, 15, 9, 0, 0));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ---- output and threads ----------------------------------------------- */

static void
test_to_iso8601 (void)
{
  g_autofree char *epoch = lia_time_to_iso8601 (0);
  g_autofree char *march = lia_time_to_iso8601 (utc (2024, 3, 1, 8, 0, 0));
  g_autofree char *before = lia_time_to_iso8601 (-1);
  g_autofree char *too_late = lia_time_to_iso8601 (G_GINT64_CONSTANT (400000000000));

  g_assert_cmpstr (epoch, ==, "1970-01-01T00:00:00Z");
  g_assert_cmpstr (march, ==, "2024-03-01T08:00:00Z");
  g_assert_cmpstr (before, ==, "1969-12-31T23:59:59Z");
  g_assert_null (too_late);
}

static gpointer
parse_many (gpointer data)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");

  for (int i = 0; i < 2000; i++)
    {
      g_autofree char *text = g_strdup_printf ("%02d/07/2024 %02d:30", i % 28 + 1, i % 24);
      gint64 out;

      if (!lia_time_parse (text, "%d/%m/%Y %H:%M", paris, &out, NULL) ||
          out != utc (2024, 7, i % 28 + 1, i % 24, 30, 0) - 2 * 3600)
        return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (TRUE);
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_many, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/format/valid", test_format_valid);
  g_test_add_func ("/time/format/invalid", test_format_invalid);
  g_test_add_func ("/time/format/parse", test_format_parse);
  g_test_add_func ("/time/format/offset", test_format_offset);
  g_test_add_func ("/time/format/zone", test_format_zone);
  g_test_add_func ("/time/format/errors", test_format_errors);
  g_test_add_func ("/time/format/error-quoting", test_error_quoting);
  g_test_add_func ("/time/iso8601/date", test_iso8601_date);
  g_test_add_func ("/time/iso8601/date-time", test_iso8601_date_time);
  g_test_add_func ("/time/iso8601/invalid", test_iso8601_invalid);
  g_test_add_func ("/time/cli/date", test_cli_date);
  g_test_add_func ("/time/cli/local-zone", test_cli_date_local_zone);
  g_test_add_func ("/time/to-iso8601", test_to_iso8601);
  g_test_add_func ("/time/threads", test_threads);

  return g_test_run ();
}
