/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-time"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "lia-time.h"

/* Timestamps from school systems come in many shapes. We read them with our
 * own small strptime-like reader rather than strptime(3): that one depends
 * on the process locale and on tzset() state, neither of which a sync worker
 * thread may touch, and it does not say what went wrong. */

G_DEFINE_QUARK (lia-time-error-quark, lia_time_error)

/* How much of a bad value an error message may quote. */
#define MAX_QUOTED_CHARS 64

/* The parts a format sets; each may be set once. */
enum {
  PART_YEAR   = 1 << 0,
  PART_MONTH  = 1 << 1,
  PART_DAY    = 1 << 2,
  PART_HOUR   = 1 << 3,
  PART_MINUTE = 1 << 4,
  PART_SECOND = 1 << 5,
  PART_AMPM   = 1 << 6,
  PART_OFFSET = 1 << 7,
};

typedef struct {
  guint    parts;      /* PART_* seen so far */
  gboolean hour12;     /* the hour came from %I */
  int      year;
  int      month;
  int      day;
  int      hour;
  int      minute;
  int      second;
  gboolean pm;
  int      offset;     /* seconds east of UTC, with PART_OFFSET */
} Fields;

static const char * const month_names[12] = {
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
};

/* ---- helpers ---------------------------------------------------------- */

static char *
quote_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (g_utf8_strlen (valid, -1) <= MAX_QUOTED_CHARS)
    return g_strdup_printf ("“%s”", valid);
  else
    {
      g_autofree char *head = g_utf8_substring (valid, 0, MAX_QUOTED_CHARS);
      return g_strdup_printf ("“%s…”", head);
    }
}

static gboolean G_GNUC_PRINTF (3, 4)
set_error (GError     **error,
           const char  *text,
           const char  *format,
           ...)
{
  g_autofree char *quoted = quote_text (text);
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, LIA_TIME_ERROR, LIA_TIME_ERROR_INVALID, "%s: %s", quoted, problem);
  return FALSE;
}

/* Reads between @min_digits and @max_digits ASCII digits. */
static gboolean
read_number (const char **p,
             int          min_digits,
             int          max_digits,
             int         *out)
{
  int value = 0;
  int n = 0;

  while (n < max_digits && g_ascii_isdigit ((*p)[n]))
    {
      value = value * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min_digits)
    return FALSE;
  *p += n;
  *out = value;
  return TRUE;
}

/* Matches one of the English month names, in full or as its three-letter
 * abbreviation, without regard to case or locale. */
static gboolean
read_month_name (const char **p,
                 gboolean     full,
                 int         *out_month)
{
  for (int i = 0; i < 12; i++)
    {
      gsize len = full ? strlen (month_names[i]) : 3;

      if (g_ascii_strncasecmp (*p, month_names[i], len) == 0)
        {
          *p += len;
          *out_month = i + 1;
          return TRUE;
        }
    }
  return FALSE;
}

/* Z, ±hh:mm or ±hhmm. */
static gboolean
read_offset (const char **p,
             int         *out_offset)
{
  const char *s = *p;
  int sign, hours, minutes;

  if (*s == 'Z' || *s == 'z')
    {
      *p = s + 1;
      *out_offset = 0;
      return TRUE;
    }
  if (*s != '+' && *s != '-')
    return FALSE;
  sign = *s == '-' ? -1 : 1;
  s++;
  if (!read_number (&s, 2, 2, &hours))
    return FALSE;
  if (*s == ':')
    s++;
  if (!read_number (&s, 2, 2, &minutes))
    return FALSE;
  if (hours > 23 || minutes > 59)
    return FALSE;
  *p = s;
  *out_offset = sign * (hours * 3600 + minutes * 60);
  return TRUE;
}

static guint
conversion_part (char c)
{
  switch (c)
    {
    case 'Y': case 'y': return PART_YEAR;
    case 'm': case 'b': case 'B': return PART_MONTH;
    case 'd': return PART_DAY;
    case 'H': case 'I': return PART_HOUR;
    case 'M': return PART_MINUTE;
    case 'S': return PART_SECOND;
    case 'p': return PART_AMPM;
    case 'z': return PART_OFFSET;
    default: return 0;
    }
}

static const char *
part_name (guint part)
{
  switch (part)
    {
    case PART_YEAR: return _("the year");
    case PART_MONTH: return _("the month");
    case PART_DAY: return _("the day");
    case PART_HOUR: return _("the hour");
    case PART_MINUTE: return _("the minutes");
    case PART_SECOND: return _("the seconds");
    case PART_AMPM: return "%p";
    case PART_OFFSET: return _("the UTC offset");
    default: g_assert_not_reached ();
    }
}

/* ---- format checking -------------------------------------------------- */

static gboolean
check_format (const char  *format,
              guint       *parts,
              gboolean    *hour12,
              char       **out_reason)
{
  for (const char *f = format; *f != '\0'; f++)
    {
      guint part;

      if (*f != '%')
        continue;
      f++;
      if (*f == '\0')
        {
          *out_reason = g_strdup (_("ends with a lone %"));
          return FALSE;
        }
      if (*f == '%')
        continue;
      if (*f == 'T' || *f == 'F')
        {
          if (!check_format (*f == 'T' ? "%H:%M:%S" : "%Y-%m-%d", parts, hour12, out_reason))
            return FALSE;
          continue;
        }

      part = conversion_part (*f);
      if (part == 0)
        {
          g_autofree char *conv = g_utf8_substring (f, 0, 1);
          *out_reason = g_strdup_printf (_("unsupported conversion %%%s"), conv);
          return FALSE;
        }
      if (*parts & part)
        {
          *out_reason = g_strdup_printf (_("gives %s twice"), part_name (part));
          return FALSE;
        }
      *parts |= part;
      if (*f == 'I')
        *hour12 = TRUE;
    }
  return TRUE;
}

/* Whether @format can be used with lia_time_parse(). When it cannot,
 * @out_reason says why ("unsupported conversion %Q"). */
gboolean
lia_time_format_is_valid (const char  *format,
                          char       **out_reason)
{
  g_autofree char *reason = NULL;
  guint parts = 0;
  gboolean hour12 = FALSE;
  gboolean valid;
  const guint date = PART_YEAR | PART_MONTH | PART_DAY;

  g_return_val_if_fail (format != NULL, FALSE);

  if (!g_utf8_validate (format, -1, NULL))
    reason = g_strdup (_("not valid UTF-8"));
  else if (!check_format (format, &parts, &hour12, &reason))
    ;
  else if ((parts & date) != date)
    reason = g_strdup (_("needs a year, a month and a day"));
  else if (hour12 && !(parts & PART_AMPM))
    reason = g_strdup (_("%I needs %p"));
  else if ((parts & PART_AMPM) && !hour12)
    reason = g_strdup (_("%p needs %I"));

  valid = reason == NULL;
  if (out_reason != NULL)
    *out_reason = g_steal_pointer (&reason);
  return valid;
}

/* ---- reading ---------------------------------------------------------- */

static gboolean
read_format (const char  *text,
             const char  *format,
             const char **p,
             Fields      *fields,
             GError     **error)
{
  for (const char *f = format; *f != '\0'; f++)
    {
      int position = (int) (*p - text) + 1;

      if (g_ascii_isspace (*f))
        {
          /* As in strptime, white space matches any amount of it. */
          while (g_ascii_isspace (**p))
            (*p)++;
          continue;
        }
      if (*f != '%' || f[1] == '%')
        {
          if (*f == '%')
            f++;
          if (**p != *f && (guchar) *f < 0x80)
            return set_error (error, text, _("expected “%c” at position %d"), *f, position);
          if (**p != *f)
            return set_error (error, text, _("does not match the format at position %d"), position);
          (*p)++;
          continue;
        }

      f++;
      switch (*f)
        {
        case 'T':
        case 'F':
          if (!read_format (text, *f == 'T' ? "%H:%M:%S" : "%Y-%m-%d", p, fields, error))
            return FALSE;
          continue;
        case 'Y':
          if (!read_number (p, 4, 4, &fields->year))
            return set_error (error, text, _("expected a four-digit year at position %d"), position);
          break;
        case 'y':
          if (!read_number (p, 2, 2, &fields->year))
            return set_error (error, text, _("expected a two-digit year at position %d"), position);
          /* The POSIX pivot: 69–99 are 1969–1999, 00–68 are 2000–2068. */
          fields->year += fields->year >= 69 ? 1900 : 2000;
          break;
        case 'm':
          if (!read_number (p, 1, 2, &fields->month))
            return set_error (error, text, _("expected a month number at position %d"), position);
          break;
        case 'b':
        case 'B':
          if (!read_month_name (p, *f == 'B', &fields->month))
            return set_error (error, text, *f == 'B' ? _("expected an English month name at position %d")
                                                     : _("expected an English month abbreviation at position %d"),
                              position);
          break;
        case 'd':
          if (!read_number (p, 1, 2, &fields->day))
            return set_error (error, text, _("expected a day of the month at position %d"), position);
          break;
        case 'H':
        case 'I':
          if (!read_number (p, 1, 2, &fields->hour))
            return set_error (error, text, _("expected an hour at position %d"), position);
          fields->hour12 = *f == 'I';
          break;
        case 'M':
          if (!read_number (p, 1, 2, &fields->minute))
            return set_error (error, text, _("expected minutes at position %d"), position);
          break;
        case 'S':
          if (!read_number (p, 1, 2, &fields->second))
            return set_error (error, text, _("expected seconds at position %d"), position);
          break;
        case 'p':
          if (g_ascii_strncasecmp (*p, "AM", 2) != 0 && g_ascii_strncasecmp (*p, "PM", 2) != 0)
            return set_error (error, text, _("expected AM or PM at position %d"), position);
          fields->pm = g_ascii_tolower (**p) == 'p';
          *p += 2;
          break;
        case 'z':
          if (!read_offset (p, &fields->offset))
            return set_error (error, text, _("expected a UTC offset (Z, +hh:mm or +hhmm) at position %d"), position);
          break;
        default:
          /* lia_time_parse() checked the format first. */
          g_assert_not_reached ();
        }
      fields->parts |= conversion_part (*f);
    }
  return TRUE;
}

/* Range checks that give the user a reason, not just "invalid". */
static gboolean
check_fields (const char  *text,
              Fields      *fields,
              GError     **error)
{
  if (fields->year < 1 || fields->year > 9999)
    return set_error (error, text, _("year %d is out of range"), fields->year);
  if (fields->month < 1 || fields->month > 12)
    return set_error (error, text, _("month %d is out of range"), fields->month);
  if (fields->day < 1 || fields->day > g_date_get_days_in_month (fields->month, fields->year))
    return set_error (error, text, _("%s %d has no day %d"),
                      month_names[fields->month - 1], fields->year, fields->day);
  if (fields->hour12)
    {
      if (fields->hour < 1 || fields->hour > 12)
        return set_error (error, text, _("hour %d is out of range for a 12-hour clock"), fields->hour);
      fields->hour = fields->hour % 12 + (fields->pm ? 12 : 0);
    }
  if (fields->hour > 23)
    return set_error (error, text, _("hour %d is out of range"), fields->hour);
  if (fields->minute > 59)
    return set_error (error, text, _("minute %d is out of range"), fields->minute);
  if (fields->second > 59)
    return set_error (error, text, _("second %d is out of range"), fields->second);
  return TRUE;
}

static gboolean
fields_to_unix (const char  *text,
                Fields      *fields,
                GTimeZone   *zone,
                gint64      *out_unix,
                GError     **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) dt = NULL;

  if (!check_fields (text, fields, error))
    return FALSE;

  if (fields->parts & PART_OFFSET)
    tz = g_time_zone_new_offset (fields->offset);
  else
    tz = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();

  /* In a zone's spring-forward gap GLib moves the time forward, as a wall
   * clock would. */
  dt = g_date_time_new (tz, fields->year, fields->month, fields->day,
                        fields->hour, fields->minute, fields->second);
  if (dt == NULL)
    return set_error (error, text, _("out of range"));
  *out_unix = g_date_time_to_unix (dt);
  return TRUE;
}

/* Exactly YYYY-MM-DD: the date-only form of ISO 8601. */
static gboolean
read_iso_date (const char *text,
               Fields     *fields)
{
  const char *p = text;

  return read_number (&p, 4, 4, &fields->year) && *p++ == '-' &&
         read_number (&p, 2, 2, &fields->month) && *p++ == '-' &&
         read_number (&p, 2, 2, &fields->day);
}

static gboolean
parse_iso8601 (const char  *text,
               GTimeZone   *zone,
               gboolean    *out_date_only,
               Fields      *out_date,
               gint64      *out_unix,
               GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  Fields fields = { 0 };
  gboolean starts_with_date = read_iso_date (text, &fields);

  if (starts_with_date && text[10] == '\0')
    {
      *out_date_only = TRUE;
      *out_date = fields;
      return fields_to_unix (text, &fields, zone, out_unix, error);
    }

  *out_date_only = FALSE;
  if (zone != NULL)
    dt = g_date_time_new_from_iso8601 (text, zone);
  else
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      dt = g_date_time_new_from_iso8601 (text, local);
    }
  if (dt == NULL)
    {
      /* Name a bad date rather than the whole form when we can. */
      if (starts_with_date && !check_fields (text, &fields, error))
        return FALSE;
      return set_error (error, text, _("not an ISO 8601 date (YYYY-MM-DD) or date and time"));
    }
  *out_unix = g_date_time_to_unix (dt);
  return TRUE;
}

/* ---- public API ------------------------------------------------------- */

/* Reads @text as @format (see lia_time_format_is_valid()), or as ISO 8601
 * when @format is NULL: a date (midnight) or a date and time. A time without
 * a UTC offset is read in @zone, or in the local zone when @zone is NULL.
 * The whole of @text must match. Safe to call from any thread. */
gboolean
lia_time_parse (const char  *text,
                const char  *format,
                GTimeZone   *zone,
                gint64      *out_unix,
                GError     **error)
{
  Fields fields = { .year = 0, .month = 1, .day = 1 };
  const char *p = text;
  gint64 unix_time;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (format == NULL)
    {
      gboolean date_only;
      Fields date = { 0 };

      if (!parse_iso8601 (text, zone, &date_only, &date, &unix_time, error))
        return FALSE;
    }
  else
    {
      g_autofree char *reason = NULL;

      if (!lia_time_format_is_valid (format, &reason))
        {
          g_set_error (error, LIA_TIME_ERROR, LIA_TIME_ERROR_INVALID,
                       _("Unusable time format: %s"), reason);
          return FALSE;
        }
      if (!read_format (text, format, &p, &fields, error))
        return FALSE;
      if (*p != '\0')
        return set_error (error, text, _("unexpected text at position %d"), (int) (p - text) + 1);
      if (!fields_to_unix (text, &fields, zone, &unix_time, error))
        return FALSE;
    }

  if (out_unix != NULL)
    *out_unix = unix_time;
  return TRUE;
}

/* For the command line's --from and --to: an ISO 8601 date or date and
 * time, in the local zone unless it names an offset. A bare date means its
 * first second, or with @end_of_day its last, so "--to 2024-03-31" covers
 * the whole of that day. */
gboolean
lia_time_parse_cli_date (const char  *text,
                         gboolean     end_of_day,
                         gint64      *out_unix,
                         GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  gboolean date_only;
  Fields date = { 0 };
  gint64 unix_time;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_iso8601 (text, local, &date_only, &date, &unix_time, error))
    return FALSE;

  if (date_only && end_of_day)
    {
      date.hour = 23;
      date.minute = 59;
      date.second = 59;
      if (!fields_to_unix (text, &date, local, &unix_time, error))
        return FALSE;
    }

  if (out_unix != NULL)
    *out_unix = unix_time;
  return TRUE;
}

/* "2024-03-01T08:00:00Z", or NULL for an instant outside years 1–9999. */
char *
lia_time_to_iso8601 (gint64 unix_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}
