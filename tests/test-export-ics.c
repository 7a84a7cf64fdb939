/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "lia-database.h"
#include "lia-export.h"
#include "lia-ics-private.h"
#include "lia-test-util.h"
#include "lia-vtimezone.h"

/* The iCalendar export: every file is parsed back with libical and
 * compared property by property, and checked once more with Python's
 * icalendar package when it is installed. */

#define HISTORY_TITLE "Histoire : « Révolution », 1789; \"革命\"\nPartie 2, suite"
#define HISTORY_LOCATION "Salle Élysée, 2ᵉ étage; 東京 \"B\""
#define HISTORY_DESCRIPTION "Ligne un\nLigne deux, avec virgule; point-virgule \\ barre \"guillemets\" — Ωμέγα, مرحبا"
#define CALENDAR_NAME "Zoë's timetable, term 2; \"draft\""

/* Fixtures */

typedef struct {
  const char *uid_id;       /* external id */
  gint64      integration;
  const char *summary;
  const char *location;
  const char *description;
  const char *category;
  const char *url;
  const char *tzid;         /* NULL: UTC */
  gint64      start;
  gint64      end;
  int         sequence;
  gint64      created;      /* seconds */
  gint64      updated;
} Expected;

static gint64
zone_time (const char *tzid,
           int         year,
           int         month,
           int         day,
           int         hour,
           int         minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (tzid);
  g_autoptr(GDateTime) time = NULL;

  g_assert_nonnull (zone);
  time = g_date_time_new (zone, year, month, day, hour, minute, 0);
  return g_date_time_to_unix (time);
}

static void
exec (LiaDatabase *db,
      const char  *sql)
{
  g_autoptr(GError) error = NULL;

  lia_database_exec (db, sql, &error);
  g_assert_no_error (error);
}

static void
insert_session (LiaDatabase *db,
                gint64       integration,
                const char  *external_id,
                const char  *title,
                gint64       start,
                gint64       end,
                const char  *location,
                const char  *subject,
                const char  *faculty,
                const char  *description,
                const char  *meeting_url)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = lia_database_prepare (db,
    "INSERT INTO sessions (integration_id, external_id, title, start_at, end_at, location,"
    "                      subject_id, faculty_id, description, meeting_url, sequence,"
    "                      created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1700000000000, 1735000000000)", &error);

  g_assert_no_error (error);
  sqlite3_bind_int64 (stmt, 1, integration);
  sqlite3_bind_text (stmt, 2, external_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, title, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, start);
  sqlite3_bind_int64 (stmt, 5, end);
  sqlite3_bind_text (stmt, 6, location, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, subject, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, faculty, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, description, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, meeting_url, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
}

/* Three integrations: one in Paris, one in New York, one without a
 * timezone (the system's: UTC in the tests). */
static LiaDatabase *
open_school (char **out_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = lia_test_db_path ();
  LiaDatabase *db = lia_database_open (path, &error);

  g_assert_no_error (error);
  exec (db,
        "INSERT INTO integrations (id, name, kind, config, created_at, updated_at) VALUES"
        " (1, 'Lycée', 'file', '{\"name\":\"Lycée\",\"kind\":\"file\",\"folder\":\"/srv\",\"timezone\":\"Europe/Paris\"}', 0, 0),"
        " (2, 'Academy', 'file', '{\"name\":\"Academy\",\"kind\":\"file\",\"folder\":\"/srv\",\"timezone\":\"America/New_York\"}', 0, 0),"
        " (3, 'Local', 'file', '{\"name\":\"Local\",\"kind\":\"file\",\"folder\":\"/srv\"}', 0, 0);"
        "INSERT INTO subjects (integration_id, external_id, code, name, created_at, updated_at) VALUES"
        " (1, 'MATH', 'MATH101', 'Mathématiques', 0, 0),"
        " (1, 'HIST', 'HIST', 'Histoire, géographie', 0, 0);"
        "INSERT INTO faculty (integration_id, external_id, name, created_at, updated_at) VALUES"
        " (1, 'T1', 'Amélie Poulain', 0, 0),"
        " (1, 'T2', '王小明', 0, 0);"
        "INSERT INTO students (integration_id, external_id, name, created_at, updated_at) VALUES"
        " (1, 'S1', 'Zoë Ångström', 0, 0),"
        " (1, 'S2', 'Bob', 0, 0);"
        "INSERT INTO attendance (integration_id, external_id, student_id, session_id, status, created_at, updated_at) VALUES"
        " (1, 'a1', 'S1', 'm1', 'present', 0, 0),"
        " (1, 'a2', 'S1', 'h1', 'late', 0, 0),"
        " (1, 'a3', 'S2', 'm2', 'present', 0, 0);");

  /* 08:00 in Paris on the Mondays either side of the change to summer time */
  insert_session (db, 1, "m1", "Algèbre", zone_time ("Europe/Paris", 2025, 3, 24, 8, 0),
                  zone_time ("Europe/Paris", 2025, 3, 24, 9, 0), "Salle 1", "MATH", "T1", NULL,
                  "https://meet.example.org/abc?x=1&y=2");
  insert_session (db, 1, "m2", "Algèbre", zone_time ("Europe/Paris", 2025, 3, 31, 8, 0),
                  zone_time ("Europe/Paris", 2025, 3, 31, 9, 0), "Salle 1", "MATH", "T1", NULL, NULL);
  insert_session (db, 1, "h1", HISTORY_TITLE, zone_time ("Europe/Paris", 2025, 4, 2, 14, 0),
                  zone_time ("Europe/Paris", 2025, 4, 2, 15, 30), HISTORY_LOCATION, "HIST", "T2",
                  HISTORY_DESCRIPTION, NULL);
  insert_session (db, 1, "x/y z@1", NULL, zone_time ("Europe/Paris", 2025, 5, 5, 10, 0),
                  zone_time ("Europe/Paris", 2025, 5, 5, 11, 0), NULL, "MATH", NULL, NULL, NULL);
  /* New York changes on the 9th of March */
  insert_session (db, 2, "ny0", "Chemistry", zone_time ("America/New_York", 2025, 3, 7, 9, 0),
                  zone_time ("America/New_York", 2025, 3, 7, 10, 0), NULL, NULL, NULL, NULL, NULL);
  insert_session (db, 2, "ny1", "Chemistry", zone_time ("America/New_York", 2025, 3, 10, 9, 0),
                  zone_time ("America/New_York", 2025, 3, 10, 10, 0), NULL, NULL, NULL, NULL, NULL);
  insert_session (db, 3, "u1", "Assembly", zone_time ("UTC", 2025, 4, 10, 12, 0),
                  zone_time ("UTC", 2025, 4, 10, 12, 45), NULL, NULL, NULL, NULL, NULL);

  *out_path = g_steal_pointer (&path);
  return db;
}

static const Expected *
expected_events (guint *n)
{
  static Expected events[7];

  events[0] = (Expected) { "m1", 1, "Algèbre", "Salle 1",
    "Teacher: Amélie Poulain\nSubject: Mathématiques (MATH101)\nMeeting: https://meet.example.org/abc?x=1&y=2",
    "Mathématiques", "https://meet.example.org/abc?x=1&y=2", "Europe/Paris",
    zone_time ("UTC", 2025, 3, 24, 7, 0), zone_time ("UTC", 2025, 3, 24, 8, 0), 0, 1700000000, 1735000000 };
  events[1] = (Expected) { "m2", 1, "Algèbre", "Salle 1",
    "Teacher: Amélie Poulain\nSubject: Mathématiques (MATH101)", "Mathématiques", NULL, "Europe/Paris",
    zone_time ("UTC", 2025, 3, 31, 6, 0), zone_time ("UTC", 2025, 3, 31, 7, 0), 0, 1700000000, 1735000000 };
  events[2] = (Expected) { "h1", 1, HISTORY_TITLE, HISTORY_LOCATION,
    "Teacher: 王小明\nSubject: Histoire, géographie (HIST)\n\n" HISTORY_DESCRIPTION,
    "Histoire géographie", NULL, "Europe/Paris",
    zone_time ("UTC", 2025, 4, 2, 12, 0), zone_time ("UTC", 2025, 4, 2, 13, 30), 0, 1700000000, 1735000000 };
  events[3] = (Expected) { "x/y z@1", 1, "Mathématiques", NULL, "Subject: Mathématiques (MATH101)",
    "Mathématiques", NULL, "Europe/Paris",
    zone_time ("UTC", 2025, 5, 5, 8, 0), zone_time ("UTC", 2025, 5, 5, 9, 0), 0, 1700000000, 1735000000 };
  events[4] = (Expected) { "ny0", 2, "Chemistry", NULL, NULL, NULL, NULL, "America/New_York",
    zone_time ("UTC", 2025, 3, 7, 14, 0), zone_time ("UTC", 2025, 3, 7, 15, 0), 0, 1700000000, 1735000000 };
  events[5] = (Expected) { "ny1", 2, "Chemistry", NULL, NULL, NULL, NULL, "America/New_York",
    zone_time ("UTC", 2025, 3, 10, 13, 0), zone_time ("UTC", 2025, 3, 10, 14, 0), 0, 1700000000, 1735000000 };
  events[6] = (Expected) { "u1", 3, "Assembly", NULL, NULL, NULL, NULL, NULL,
    zone_time ("UTC", 2025, 4, 10, 12, 0), zone_time ("UTC", 2025, 4, 10, 12, 45), 0, 1700000000, 1735000000 };
  *n = G_N_ELEMENTS (events);
  return events;
}

/* Exporting and reading back */

static gboolean
export_ics (const char              *db_path,
            const LiaExportOptions  *options,
            const char              *path,
            GCancellable            *cancellable,
            LiaExportProgressFunc    progress,
            gint64                  *out_rows,
            GError                 **error)
{
  /* The progress callback gets the cancellable, to cancel midway */
  return lia_export_run (db_path, options, path, progress, cancellable, cancellable, out_rows, error);
}

/* What RFC 5545 asks of the bytes: CRLF line ends only, lines folded at
 * 75 octets, folds never inside a UTF-8 character. */
static void
assert_well_formed (const char *text)
{
  const char *line = text;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));
  while (*line != '\0')
    {
      const char *end = strstr (line, "\r\n");

      g_assert_nonnull (end);
      g_assert_cmpint (end - line, <=, 75);
      g_assert_null (memchr (line, '\n', end - line));
      g_assert_null (memchr (line, '\r', end - line));
      g_assert_true (g_utf8_validate (line, end - line, NULL));
      line = end + 2;
    }
}

/* Exports with @options and returns the parsed VCALENDAR. */
static icalcomponent *
export_and_parse (const char             *db_path,
                  const LiaExportOptions *options,
                  char                  **out_text,
                  gint64                 *out_rows)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "timetable.ics", NULL);
  g_autofree char *text = NULL;
  icalcomponent *calendar;
  gint64 rows = -1;

  export_ics (db_path, options, path, NULL, NULL, &rows, &error);
  g_assert_no_error (error);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  assert_well_formed (text);

  calendar = icalparser_parse_string (text);
  g_assert_nonnull (calendar);
  g_assert_cmpint (icalcomponent_isa (calendar), ==, ICAL_VCALENDAR_COMPONENT);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, rows);
  if (out_rows != NULL)
    *out_rows = rows;
  if (out_text != NULL)
    *out_text = g_steal_pointer (&text);
  return calendar;
}

static icalcomponent *
find_event (icalcomponent *calendar,
            const char    *uid_prefix)
{
  for (icalcomponent *event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
       event != NULL;
       event = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    if (g_str_has_prefix (icalcomponent_get_uid (event), uid_prefix))
      return event;
  return NULL;
}

static char *
expected_uid (const char *db_path,
              const char *external_id,
              gint64      integration)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaDatabase) db = lia_database_open (db_path, &error);
  g_autofree char *escaped = g_uri_escape_string (external_id, NULL, FALSE);

  g_assert_no_error (error);
  return g_strdup_printf ("%s-%" G_GINT64_FORMAT "@%s.liaison.invalid",
                          escaped, integration, lia_database_get_id (db));
}

static const char *
property_text (icalcomponent    *component,
               icalproperty_kind kind)
{
  icalproperty *property = icalcomponent_get_first_property (component, kind);

  return property != NULL ? icalvalue_get_text (icalproperty_get_value (property)) : NULL;
}

static const char *
x_property (icalcomponent *component,
            const char    *name)
{
  for (icalproperty *property = icalcomponent_get_first_property (component, ICAL_X_PROPERTY);
       property != NULL;
       property = icalcomponent_get_next_property (component, ICAL_X_PROPERTY))
    if (g_str_equal (icalproperty_get_x_name (property), name))
      return icalproperty_get_x (property);
  return NULL;
}

/* A DTSTART or DTEND: its TZID names a VTIMEZONE of @calendar exactly
 * (or it is UTC), and it is the instant @utc. */
static void
assert_time (icalcomponent    *calendar,
             icalcomponent    *event,
             icalproperty_kind kind,
             const char       *tzid,
             gint64            utc)
{
  icalproperty *property = icalcomponent_get_first_property (event, kind);
  icalparameter *parameter;
  struct icaltimetype time;

  g_assert_nonnull (property);
  parameter = icalproperty_get_first_parameter (property, ICAL_TZID_PARAMETER);
  time = kind == ICAL_DTSTART_PROPERTY ? icalcomponent_get_dtstart (event) : icalcomponent_get_dtend (event);
  g_assert_false (time.is_date);
  if (tzid == NULL)
    {
      g_assert_null (parameter);
      g_assert_true (icaltime_is_utc (time));
    }
  else
    {
      icaltimezone *zone;

      g_assert_nonnull (parameter);
      g_assert_cmpstr (icalparameter_get_tzid (parameter), ==, tzid);
      zone = icalcomponent_get_timezone (calendar, tzid);
      g_assert_nonnull (zone);
      g_assert_true (time.zone == zone);
    }
  g_assert_cmpint (icaltime_as_timet_with_zone (time, time.zone), ==, utc);
}

static void
assert_event (const char     *db_path,
              icalcomponent  *calendar,
              const Expected *expected,
              gint64          exported_at)
{
  g_autofree char *uid = expected_uid (db_path, expected->uid_id, expected->integration);
  icalcomponent *event = find_event (calendar, uid);
  icalproperty *property;
  struct icaltimetype time;
  int n_properties = 8;  /* UID DTSTAMP DTSTART DTEND SUMMARY CREATED LAST-MODIFIED SEQUENCE */

  g_assert_nonnull (event);
  g_assert_cmpstr (icalcomponent_get_uid (event), ==, uid);

  time = icalcomponent_get_dtstamp (event);
  g_assert_true (icaltime_is_utc (time));
  g_assert_cmpint (icaltime_as_timet (time), >=, exported_at - 1);
  g_assert_cmpint (icaltime_as_timet (time), <=, exported_at + 5);

  assert_time (calendar, event, ICAL_DTSTART_PROPERTY, expected->tzid, expected->start);
  assert_time (calendar, event, ICAL_DTEND_PROPERTY, expected->tzid, expected->end);

  g_assert_cmpstr (icalcomponent_get_summary (event), ==, expected->summary);
  g_assert_cmpstr (property_text (event, ICAL_LOCATION_PROPERTY), ==, expected->location);
  g_assert_cmpstr (property_text (event, ICAL_DESCRIPTION_PROPERTY), ==, expected->description);
  g_assert_cmpint (icalcomponent_count_properties (event, ICAL_CATEGORIES_PROPERTY), ==,
                   expected->category != NULL ? 1 : 0);
  g_assert_cmpstr (property_text (event, ICAL_CATEGORIES_PROPERTY), ==, expected->category);
  property = icalcomponent_get_first_property (event, ICAL_URL_PROPERTY);
  g_assert_cmpstr (property != NULL ? icalproperty_get_url (property) : NULL, ==, expected->url);
  n_properties += (expected->location != NULL) + (expected->description != NULL) +
                  (expected->category != NULL) + (expected->url != NULL);

  property = icalcomponent_get_first_property (event, ICAL_CREATED_PROPERTY);
  g_assert_true (icaltime_is_utc (icalproperty_get_created (property)));
  g_assert_cmpint (icaltime_as_timet (icalproperty_get_created (property)), ==, expected->created);
  property = icalcomponent_get_first_property (event, ICAL_LASTMODIFIED_PROPERTY);
  g_assert_true (icaltime_is_utc (icalproperty_get_lastmodified (property)));
  g_assert_cmpint (icaltime_as_timet (icalproperty_get_lastmodified (property)), ==, expected->updated);
  g_assert_cmpint (icalcomponent_get_sequence (event), ==, expected->sequence);

  /* and nothing else */
  g_assert_cmpint (icalcomponent_count_properties (event, ICAL_ANY_PROPERTY), ==, n_properties);
  g_assert_null (icalcomponent_get_first_component (event, ICAL_ANY_COMPONENT));
}

static icalcomponent *
find_vtimezone (icalcomponent *calendar,
                const char    *tzid)
{
  for (icalcomponent *vtimezone = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT);
       vtimezone != NULL;
       vtimezone = icalcomponent_get_next_component (calendar, ICAL_VTIMEZONE_COMPONENT))
    if (g_str_equal (icalproperty_get_tzid (icalcomponent_get_first_property (vtimezone, ICAL_TZID_PROPERTY)), tzid))
      return vtimezone;
  return NULL;
}

/* One STANDARD and one DAYLIGHT, each a yearly rule on a Sunday of its
 * month: the nth, or the last for -1. */
static void
assert_two_rules (icalcomponent *vtimezone,
                  int            daylight_month,
                  int            daylight_position,
                  int            standard_month,
                  int            standard_position)
{
  icalcomponent_kind kinds[] = { ICAL_XSTANDARD_COMPONENT, ICAL_XDAYLIGHT_COMPONENT };

  g_assert_cmpint (icalcomponent_count_components (vtimezone, ICAL_ANY_COMPONENT), ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      icalcomponent *observance = icalcomponent_get_first_component (vtimezone, kinds[i]);
      icalproperty *rrule;
      struct icalrecurrencetype recurrence;

      g_assert_nonnull (observance);
      g_assert_nonnull (icalcomponent_get_first_property (observance, ICAL_DTSTART_PROPERTY));
      g_assert_nonnull (icalcomponent_get_first_property (observance, ICAL_TZOFFSETFROM_PROPERTY));
      g_assert_nonnull (icalcomponent_get_first_property (observance, ICAL_TZOFFSETTO_PROPERTY));
      g_assert_null (icalcomponent_get_first_property (observance, ICAL_RDATE_PROPERTY));
      rrule = icalcomponent_get_first_property (observance, ICAL_RRULE_PROPERTY);
      g_assert_nonnull (rrule);
      recurrence = icalproperty_get_rrule (rrule);
      g_assert_cmpint (recurrence.freq, ==, ICAL_YEARLY_RECURRENCE);
      g_assert_cmpint (recurrence.by_month[0], ==, i == 0 ? standard_month : daylight_month);
      g_assert_cmpint (icalrecurrencetype_day_day_of_week (recurrence.by_day[0]), ==, ICAL_SUNDAY_WEEKDAY);
      g_assert_cmpint (icalrecurrencetype_day_position (recurrence.by_day[0]), ==,
                       i == 0 ? standard_position : daylight_position);
      g_assert_true (icaltime_is_null_time (recurrence.until));
    }
}

/* Cases */

static void
test_round_trip (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS };
  g_autoptr(icalcomponent) calendar = NULL;
  gint64 exported_at = g_get_real_time () / G_USEC_PER_SEC;
  const Expected *expected;
  icalcomponent *paris, *new_york;
  guint n;
  gint64 rows;

  calendar = export_and_parse (db_path, &options, NULL, &rows);
  expected = expected_events (&n);
  g_assert_cmpint (rows, ==, n);

  g_assert_cmpstr (icalproperty_get_prodid (icalcomponent_get_first_property (calendar, ICAL_PRODID_PROPERTY)),
                   ==, "-//Liaison//Liaison " PACKAGE_VERSION "//EN");
  g_assert_cmpstr (icalproperty_get_version (icalcomponent_get_first_property (calendar, ICAL_VERSION_PROPERTY)),
                   ==, "2.0");
  g_assert_cmpstr (icalproperty_get_calscale (icalcomponent_get_first_property (calendar, ICAL_CALSCALE_PROPERTY)),
                   ==, "GREGORIAN");
  g_assert_cmpint (icalcomponent_get_method (calendar), ==, ICAL_METHOD_PUBLISH);
  g_assert_cmpstr (x_property (calendar, "X-WR-CALNAME"), ==, "Liaison timetable");
  /* two zones: no single calendar zone to name */
  g_assert_null (x_property (calendar, "X-WR-TIMEZONE"));

  /* One VTIMEZONE per zone used, with only the rules in force: the last
   * Sundays of March and October; the second Sunday of March and the
   * first of November. The third integration is in UTC. */
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VTIMEZONE_COMPONENT), ==, 2);
  paris = find_vtimezone (calendar, "Europe/Paris");
  new_york = find_vtimezone (calendar, "America/New_York");
  g_assert_nonnull (paris);
  g_assert_nonnull (new_york);
  assert_two_rules (paris, 3, -1, 10, -1);
  assert_two_rules (new_york, 3, 2, 11, 1);

  for (guint i = 0; i < n; i++)
    assert_event (db_path, calendar, &expected[i], exported_at);

  /* In start order */
  {
    gint64 last = G_MININT64;

    for (icalcomponent *event = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
         event != NULL;
         event = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
      {
        struct icaltimetype start = icalcomponent_get_dtstart (event);
        gint64 at = icaltime_as_timet_with_zone (start, start.zone);

        g_assert_cmpint (at, >=, last);
        last = at;
      }
  }
}

/* 08:00 in Paris is 07:00 UTC before the last Sunday of March, 06:00 after:
 * written as 08:00 both times, with the zone to tell them apart. */
static void
test_daylight_saving (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS };
  g_autoptr(icalcomponent) calendar = NULL;
  g_autofree char *text = NULL;
  const char *ids[] = { "m1", "m2" };
  const int utc_hours[] = { 7, 6 };

  calendar = export_and_parse (db_path, &options, &text, NULL);
  g_assert_nonnull (strstr (text, "DTSTART;TZID=Europe/Paris:20250324T080000\r\n"));
  g_assert_nonnull (strstr (text, "DTSTART;TZID=Europe/Paris:20250331T080000\r\n"));
  g_assert_null (strstr (text, "freeassociation"));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *uid = expected_uid (db_path, ids[i], 1);
      icalcomponent *event = find_event (calendar, uid);
      struct icaltimetype start = icalcomponent_get_dtstart (event);
      struct icaltimetype utc = icaltime_convert_to_zone (start, icaltimezone_get_utc_timezone ());

      g_assert_cmpint (start.hour, ==, 8);
      g_assert_cmpint (utc.hour, ==, utc_hours[i]);
    }
}

static void
test_utc (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS, .utc = TRUE };
  g_autoptr(icalcomponent) calendar = NULL;
  g_autofree char *text = NULL;
  gint64 exported_at = g_get_real_time () / G_USEC_PER_SEC;
  const Expected *expected;
  guint n;

  calendar = export_and_parse (db_path, &options, &text, NULL);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VTIMEZONE_COMPONENT), ==, 0);
  g_assert_null (strstr (text, "TZID"));
  g_assert_nonnull (strstr (text, "DTSTART:20250324T070000Z\r\n"));
  g_assert_nonnull (strstr (text, "DTSTART:20250331T060000Z\r\n"));

  expected = expected_events (&n);
  for (guint i = 0; i < n; i++)
    {
      Expected utc = expected[i];

      utc.tzid = NULL;
      assert_event (db_path, calendar, &utc, exported_at);
    }
}

/* The same session keeps its UID; a sync that changes it raises SEQUENCE. */
static void
test_stable_uid_and_sequence (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS };
  g_autoptr(icalcomponent) first = NULL;
  g_autoptr(icalcomponent) second = NULL;
  g_autoptr(icalcomponent) third = NULL;
  g_autoptr(GPtrArray) uids = g_ptr_array_new ();
  g_autofree char *m1 = NULL;
  icalcomponent *event;

  first = export_and_parse (db_path, &options, NULL, NULL);
  second = export_and_parse (db_path, &options, NULL, NULL);
  for (event = icalcomponent_get_first_component (first, ICAL_VEVENT_COMPONENT);
       event != NULL;
       event = icalcomponent_get_next_component (first, ICAL_VEVENT_COMPONENT))
    {
      const char *uid = icalcomponent_get_uid (event);
      icalcomponent *again = find_event (second, uid);

      g_assert_nonnull (again);
      g_assert_cmpstr (icalcomponent_get_uid (again), ==, uid);
      g_assert_cmpint (icalcomponent_get_sequence (again), ==, icalcomponent_get_sequence (event));
      /* unique within the calendar */
      g_assert_false (g_ptr_array_find_with_equal_func (uids, uid, g_str_equal, NULL));
      g_ptr_array_add (uids, (gpointer) uid);
    }
  g_assert_cmpuint (uids->len, ==, 7);

  exec (db, "UPDATE sessions SET sequence = sequence + 1, updated_at = 1740000000000,"
            " location = 'Salle 2' WHERE external_id = 'm1'");
  third = export_and_parse (db_path, &options, NULL, NULL);
  m1 = expected_uid (db_path, "m1", 1);
  event = find_event (third, m1);
  g_assert_nonnull (event);
  g_assert_cmpstr (icalcomponent_get_uid (event), ==, m1);
  g_assert_cmpint (icalcomponent_get_sequence (event), ==, 1);
  g_assert_cmpstr (icalcomponent_get_location (event), ==, "Salle 2");
  g_assert_cmpint (icaltime_as_timet (icalproperty_get_lastmodified (
    icalcomponent_get_first_property (event, ICAL_LASTMODIFIED_PROPERTY))), ==, 1740000000);
  g_assert_cmpint (icalcomponent_count_components (third, ICAL_VEVENT_COMPONENT), ==, 7);
}

/* Accents, CJK, Arabic, commas, semicolons, quotes, backslashes and line
 * breaks come back as they went in; bad bytes and control characters
 * do not break the file. */
static void
test_text (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS, .calendar_name = CALENDAR_NAME };
  g_autoptr(icalcomponent) calendar = NULL;
  g_autofree char *uid = NULL;
  g_autofree char *long_title = NULL;
  g_autoptr(GString) title = g_string_new (NULL);
  icalcomponent *event;

  /* Long enough to fold, with multi-byte characters around every fold */
  for (guint i = 0; i < 40; i++)
    g_string_append (title, "é東ü");
  long_title = g_strdup (title->str);
  insert_session (db, 1, "long", long_title, zone_time ("UTC", 2025, 4, 20, 8, 0),
                  zone_time ("UTC", 2025, 4, 20, 9, 0), NULL, NULL, NULL,
                  "Windows\r\nline\rends, a tab\there, a bell\a, bad \xff bytes", NULL);

  calendar = export_and_parse (db_path, &options, NULL, NULL);
  g_assert_cmpstr (x_property (calendar, "X-WR-CALNAME"), ==, CALENDAR_NAME);

  uid = expected_uid (db_path, "h1", 1);
  event = find_event (calendar, uid);
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, HISTORY_TITLE);
  g_assert_cmpstr (icalcomponent_get_location (event), ==, HISTORY_LOCATION);
  g_assert_true (g_str_has_suffix (icalcomponent_get_description (event), HISTORY_DESCRIPTION));

  g_clear_pointer (&uid, g_free);
  uid = expected_uid (db_path, "long", 1);
  event = find_event (calendar, uid);
  g_assert_cmpstr (icalcomponent_get_summary (event), ==, long_title);
  g_assert_cmpstr (icalcomponent_get_description (event), ==,
                   "Windows\nline\nends, a tab\there, a bell, bad \xef\xbf\xbd bytes");

  /* A UID made of a hard external id is still plain ASCII */
  g_clear_pointer (&uid, g_free);
  uid = expected_uid (db_path, "x/y z@1", 1);
  g_assert_true (g_str_has_prefix (uid, "x%2Fy%20z%401-1@"));
  g_assert_nonnull (find_event (calendar, uid));
}

static void
test_filters (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS, .student_id = "S1" };
  g_autoptr(icalcomponent) student = NULL;
  g_autoptr(icalcomponent) teacher = NULL;
  g_autoptr(icalcomponent) both = NULL;
  g_autoptr(icalcomponent) ranged = NULL;
  g_autofree char *m1 = expected_uid (db_path, "m1", 1);
  g_autofree char *m2 = expected_uid (db_path, "m2", 1);
  g_autofree char *h1 = expected_uid (db_path, "h1", 1);
  g_autofree char *x = expected_uid (db_path, "x/y z@1", 1);
  gint64 rows;

  /* A student's sessions are those with their attendance */
  student = export_and_parse (db_path, &options, NULL, &rows);
  g_assert_cmpint (rows, ==, 2);
  g_assert_nonnull (find_event (student, m1));
  g_assert_nonnull (find_event (student, h1));
  g_assert_cmpstr (x_property (student, "X-WR-CALNAME"), ==, "Zoë Ångström");
  g_assert_cmpstr (x_property (student, "X-WR-TIMEZONE"), ==, "Europe/Paris");
  g_assert_cmpint (icalcomponent_count_components (student, ICAL_VTIMEZONE_COMPONENT), ==, 1);

  options.student_id = NULL;
  options.faculty_id = "T1";
  teacher = export_and_parse (db_path, &options, NULL, &rows);
  g_assert_cmpint (rows, ==, 2);
  g_assert_nonnull (find_event (teacher, m1));
  g_assert_nonnull (find_event (teacher, m2));
  g_assert_cmpstr (x_property (teacher, "X-WR-CALNAME"), ==, "Amélie Poulain");

  options.student_id = "S1";
  both = export_and_parse (db_path, &options, NULL, &rows);
  g_assert_cmpint (rows, ==, 1);
  g_assert_nonnull (find_event (both, m1));

  /* Inclusive dates: from the start of the 31st of March to the end of the 2nd of April */
  options.student_id = NULL;
  options.faculty_id = NULL;
  options.from = zone_time ("UTC", 2025, 3, 31, 0, 0);
  options.to = zone_time ("UTC", 2025, 4, 2, 23, 59) + 59;
  ranged = export_and_parse (db_path, &options, NULL, &rows);
  g_assert_cmpint (rows, ==, 2);
  g_assert_nonnull (find_event (ranged, m2));
  g_assert_nonnull (find_event (ranged, h1));
  g_assert_null (find_event (ranged, x));
}

static void
test_not_found (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "timetable.ics", NULL);
  LiaExportOptions student = { .kind = LIA_EXPORT_ICS, .student_id = "nobody" };
  LiaExportOptions teacher = { .kind = LIA_EXPORT_ICS, .faculty_id = "nobody" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  g_assert_false (export_ics (db_path, &student, path, NULL, NULL, NULL, &error));
  g_assert_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "nobody"));
  g_clear_error (&error);
  g_assert_false (export_ics (db_path, &teacher, path, NULL, NULL, NULL, &error));
  g_assert_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND);

  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
}

static void
test_empty (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  LiaExportOptions options = {
    .kind = LIA_EXPORT_ICS,
    .from = zone_time ("UTC", 2030, 1, 1, 0, 0),
    .to = zone_time ("UTC", 2030, 12, 31, 0, 0),
  };
  g_autoptr(icalcomponent) calendar = NULL;
  g_autofree char *text = NULL;
  gint64 rows;

  calendar = export_and_parse (db_path, &options, &text, &rows);
  g_assert_cmpint (rows, ==, 0);
  g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_ANY_COMPONENT), ==, 0);
  g_assert_nonnull (icalcomponent_get_first_property (calendar, ICAL_PRODID_PROPERTY));
  g_assert_true (g_str_has_prefix (text, "BEGIN:VCALENDAR\r\n"));
}

static void
cancel_progress_cb (gint64   rows,
                    gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* Cancelled before or in the middle, the export leaves no file. */
static void
test_cancelled (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "timetable.ics", NULL);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS };
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  exec (db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)"
            " INSERT INTO sessions (integration_id, external_id, title, start_at, end_at, created_at, updated_at)"
            " SELECT 1, 'bulk' || i, 'Bulk', 1767225600 + i * 3600, 1767225600 + i * 3600 + 1800, 0, 0 FROM n");

  g_cancellable_cancel (before);
  g_assert_false (export_ics (db_path, &options, path, before, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (export_ics (db_path, &options, path, during, cancel_progress_cb, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  listing = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (listing));
}

typedef struct {
  GMainLoop *loop;
  guint      pending;
} AsyncState;

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;
  g_autoptr(GError) error = NULL;
  gint64 rows = -1;

  g_assert_true (lia_export_finish (result, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rows, >, 0);
  if (--state->pending == 0)
    g_main_loop_quit (state->loop);
}

/* Exports in worker threads at once, as the app may start them: libical
 * is set up once, and each export keeps its zones to itself. */
static void
test_concurrent (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  g_autofree char *dir = lia_test_tmpdir ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncState state = { loop, 4 };
  LiaExportOptions options[4] = {
    { .kind = LIA_EXPORT_ICS },
    { .kind = LIA_EXPORT_ICS, .utc = TRUE },
    { .kind = LIA_EXPORT_ICS, .student_id = "S1" },
    { .kind = LIA_EXPORT_ICS, .faculty_id = "T1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *name = g_strdup_printf ("timetable-%u.ics", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      lia_export_async (db_path, &options[i], path, NULL, NULL, NULL, export_done_cb, &state);
    }
  g_main_loop_run (loop);

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    {
      g_autofree char *name = g_strdup_printf ("timetable-%u.ics", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      g_autoptr(icalcomponent) calendar = NULL;
      const int expected[] = { 7, 7, 2, 2 };

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      assert_well_formed (text);
      calendar = icalparser_parse_string (text);
      g_assert_cmpint (icalcomponent_count_components (calendar, ICAL_VEVENT_COMPONENT), ==, expected[i]);
    }
}

/* Without a configured timezone, the system's is used when it has an IANA
 * name; a POSIX TZ string has none, so those times are written in UTC. */
static void
test_local_zone (void)
{
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = open_school (&db_path);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS };
  g_autoptr(icalcomponent) tokyo = NULL;
  g_autoptr(icalcomponent) posix = NULL;
  g_autofree char *saved = g_strdup (g_getenv ("TZ"));
  g_autofree char *u1 = expected_uid (db_path, "u1", 3);
  icalcomponent *vtimezone, *standard;
  Expected assembly = { "u1", 3, "Assembly", NULL, NULL, NULL, NULL, "Asia/Tokyo",
                        zone_time ("UTC", 2025, 4, 10, 12, 0), zone_time ("UTC", 2025, 4, 10, 12, 45),
                        0, 1700000000, 1735000000 };

  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  tokyo = export_and_parse (db_path, &options, NULL, NULL);
  g_assert_cmpint (icalcomponent_count_components (tokyo, ICAL_VTIMEZONE_COMPONENT), ==, 3);
  assert_event (db_path, tokyo, &assembly, g_get_real_time () / G_USEC_PER_SEC);

  /* A zone without transitions: one STANDARD */
  vtimezone = find_vtimezone (tokyo, "Asia/Tokyo");
  g_assert_cmpint (icalcomponent_count_components (vtimezone, ICAL_ANY_COMPONENT), ==, 1);
  standard = icalcomponent_get_first_component (vtimezone, ICAL_XSTANDARD_COMPONENT);
  g_assert_nonnull (standard);
  g_assert_cmpint (icalproperty_get_tzoffsetto (icalcomponent_get_first_property (standard, ICAL_TZOFFSETTO_PROPERTY)),
                   ==, 9 * 3600);
  g_assert_null (icalcomponent_get_first_property (standard, ICAL_RRULE_PROPERTY));

  g_setenv ("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", TRUE);
  posix = export_and_parse (db_path, &options, NULL, NULL);
  g_assert_cmpint (icalcomponent_count_components (posix, ICAL_VTIMEZONE_COMPONENT), ==, 2);
  assembly.tzid = NULL;
  assert_event (db_path, posix, &assembly, g_get_real_time () / G_USEC_PER_SEC);

  if (saved != NULL)
    g_setenv ("TZ", saved, TRUE);
  else
    g_unsetenv ("TZ");
  g_assert_nonnull (find_event (posix, u1));
}

/* VTIMEZONE: every hour of three years, libical's reading of the compact
 * VTIMEZONE gives the offset GLib's zone data gives, for zones with
 * northern and southern rules, half-hour and 45-minute offsets, a
 * 30-minute daylight shift, rules that stop (São Paulo 2019, Tehran 2022)
 * and transitions that follow no weekday rule (Casablanca's Ramadan). */
static void
test_vtimezone_offsets (void)
{
  const char *zones[] = {
    "Europe/Paris", "Europe/London", "Europe/Dublin", "America/New_York", "America/St_Johns",
    "America/Sao_Paulo", "America/Santiago", "Australia/Sydney", "Australia/Lord_Howe",
    "Pacific/Chatham", "Asia/Tokyo", "Asia/Kolkata", "Asia/Tehran", "Africa/Casablanca",
    "Antarctica/Troll", "Pacific/Apia", "Europe/Moscow",
  };
  gint64 from = zone_time ("UTC", 2018, 9, 1, 0, 0);
  gint64 to = zone_time ("UTC", 2021, 8, 31, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zones[i]);
      g_autoptr(LiaVTimezone) vtimezone = NULL;
      g_autoptr(icalcomponent) calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
      g_autofree char *text = NULL;
      char *serialized;
      icaltimezone *parsed_zone;
      icalcomponent *parsed;

      g_assert_nonnull (zone);
      vtimezone = lia_vtimezone_new (zones[i], zone, from, to);

      /* Through text, as a calendar reads it */
      icalcomponent_add_component (calendar, icalcomponent_new_clone (lia_vtimezone_get_component (vtimezone)));
      serialized = icalcomponent_as_ical_string_r (calendar);
      text = g_strdup (serialized);
      icalmemory_free_buffer (serialized);
      g_clear_pointer (&calendar, icalcomponent_free);
      calendar = icalparser_parse_string (text);
      parsed = icalcomponent_get_first_component (calendar, ICAL_VTIMEZONE_COMPONENT);
      g_assert_nonnull (parsed);
      parsed_zone = icalcomponent_get_timezone (calendar, zones[i]);
      g_assert_nonnull (parsed_zone);
      g_test_message ("%s:\n%s", zones[i], text);

      for (gint64 t = from; t <= to; t += 3600)
        {
          struct icaltimetype utc = lia_vtimezone_utc_time (t);
          int expected = g_time_zone_get_offset (zone, g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, t));
          int is_daylight = 0;

          g_assert_cmpint (lia_vtimezone_get_offset (vtimezone, t), ==, expected);
          if (icaltimezone_get_utc_offset_of_utc_time (parsed_zone, &utc, &is_daylight) != expected)
            g_error ("%s at %" G_GINT64_FORMAT ": libical reads %d, GLib says %d", zones[i], t,
                     icaltimezone_get_utc_offset_of_utc_time (parsed_zone, &utc, NULL), expected);
        }
    }
}

/* Compact: Paris over a school year is two rules, not a century of them. */
static void
test_vtimezone_compact (void)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GTimeZone) sao_paulo = g_time_zone_new_identifier ("America/Sao_Paulo");
  g_autoptr(LiaVTimezone) year = lia_vtimezone_new ("Europe/Paris", paris,
                                                    zone_time ("UTC", 2024, 9, 2, 0, 0),
                                                    zone_time ("UTC", 2025, 7, 4, 0, 0));
  g_autoptr(LiaVTimezone) summer = lia_vtimezone_new ("Europe/Paris", paris,
                                                      zone_time ("UTC", 2025, 5, 1, 0, 0),
                                                      zone_time ("UTC", 2025, 7, 1, 0, 0));
  g_autoptr(LiaVTimezone) stopped = lia_vtimezone_new ("America/Sao_Paulo", sao_paulo,
                                                       zone_time ("UTC", 2017, 1, 1, 0, 0),
                                                       zone_time ("UTC", 2020, 12, 31, 0, 0));
  icalcomponent *daylight;
  struct icalrecurrencetype recurrence;
  int n_rules = 0;

  assert_two_rules (lia_vtimezone_get_component (year), 3, -1, 10, -1);
  /* The rule that began summer time is all that is in force in summer */
  g_assert_cmpint (icalcomponent_count_components (lia_vtimezone_get_component (summer), ICAL_ANY_COMPONENT), ==, 1);
  daylight = icalcomponent_get_first_component (lia_vtimezone_get_component (summer), ICAL_XDAYLIGHT_COMPONENT);
  g_assert_nonnull (daylight);

  /* Brazil stopped daylight saving time in 2019: its rules end with UNTIL */
  for (icalcomponent *observance = icalcomponent_get_first_component (lia_vtimezone_get_component (stopped), ICAL_ANY_COMPONENT);
       observance != NULL;
       observance = icalcomponent_get_next_component (lia_vtimezone_get_component (stopped), ICAL_ANY_COMPONENT))
    {
      icalproperty *rrule = icalcomponent_get_first_property (observance, ICAL_RRULE_PROPERTY);

      if (rrule == NULL)
        continue;
      recurrence = icalproperty_get_rrule (rrule);
      if (!icaltime_is_null_time (recurrence.until))
        {
          g_assert_true (icaltime_is_utc (recurrence.until));
          n_rules++;
        }
    }
  g_assert_cmpint (n_rules, >=, 1);
}

/* An independent reader: Python's icalendar (Debian's python3-icalendar)
 * reads the file and converts every start and end through our VTIMEZONE. */
static const char python_check[] =
  "import datetime, json, sys, icalendar\n"
  "cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
  "zones = {str(tz['TZID']): tz.to_tz() for tz in cal.walk('VTIMEZONE')}\n"
  "def instant(prop):\n"
  "    tzid = prop.params.get('TZID')\n"
  "    if tzid:\n"
  "        local = zones[tzid].localize(prop.dt.replace(tzinfo=None))\n"
  "        return int(local.timestamp())\n"
  "    return int(prop.dt.timestamp())\n"
  "out = {}\n"
  "for ev in cal.walk('VEVENT'):\n"
  "    out[str(ev['UID'])] = {\n"
  "        'start': instant(ev['DTSTART']), 'end': instant(ev['DTEND']),\n"
  "        'summary': str(ev['SUMMARY']), 'location': str(ev.get('LOCATION', '')),\n"
  "        'description': str(ev.get('DESCRIPTION', '')), 'sequence': int(ev['SEQUENCE']),\n"
  "        'errors': [str(e) for e in getattr(ev, 'errors', [])]}\n"
  "out['@calname'] = str(cal['X-WR-CALNAME'])\n"
  "json.dump(out, sys.stdout)\n";

static char *
find_python_with_icalendar (void)
{
  const char *candidates[] = { "/usr/bin/python3", "python3" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *program = g_find_program_in_path (candidates[i]);
      g_autoptr(GSubprocess) process = NULL;

      if (program == NULL)
        continue;
      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL,
                                  program, "-c", "import icalendar", NULL);
      if (process != NULL && g_subprocess_wait_check (process, NULL, NULL))
        return g_steal_pointer (&program);
    }
  return NULL;
}

static void
test_python_icalendar (void)
{
  g_autofree char *python = find_python_with_icalendar ();
  g_autofree char *db_path = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  g_autofree char *dir = lia_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "timetable.ics", NULL);
  LiaExportOptions options = { .kind = LIA_EXPORT_ICS, .calendar_name = CALENDAR_NAME };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const Expected *expected;
  JsonObject *root;
  guint n;

  if (python == NULL)
    {
      g_test_skip ("Python's icalendar package is not installed (Debian: python3-icalendar)");
      return;
    }

  db = open_school (&db_path);
  export_ics (db_path, &options, path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              python, "-c", python_check, path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("icalendar could not read the export: %s", err);

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "@calname"), ==, CALENDAR_NAME);

  expected = expected_events (&n);
  g_assert_cmpuint (json_object_get_size (root), ==, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uid = expected_uid (db_path, expected[i].uid_id, expected[i].integration);
      JsonObject *event = json_object_get_object_member (root, uid);

      g_assert_nonnull (event);
      g_assert_cmpint (json_object_get_int_member (event, "start"), ==, expected[i].start);
      g_assert_cmpint (json_object_get_int_member (event, "end"), ==, expected[i].end);
      g_assert_cmpstr (json_object_get_string_member (event, "summary"), ==, expected[i].summary);
      g_assert_cmpstr (json_object_get_string_member (event, "location"), ==,
                       expected[i].location != NULL ? expected[i].location : "");
      g_assert_cmpstr (json_object_get_string_member (event, "description"), ==,
                       expected[i].description != NULL ? expected[i].description : "");
      g_assert_cmpint (json_object_get_int_member (event, "sequence"), ==, expected[i].sequence);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (event, "errors")), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/export/ics/round-trip", test_round_trip);
  g_test_add_func ("/export/ics/daylight-saving", test_daylight_saving);
  g_test_add_func ("/export/ics/utc", test_utc);
  g_test_add_func ("/export/ics/stable-uid-and-sequence", test_stable_uid_and_sequence);
  g_test_add_func ("/export/ics/text", test_text);
  g_test_add_func ("/export/ics/filters", test_filters);
  g_test_add_func ("/export/ics/not-found", test_not_found);
  g_test_add_func ("/export/ics/empty", test_empty);
  g_test_add_func ("/export/ics/cancelled", test_cancelled);
  g_test_add_func ("/export/ics/concurrent", test_concurrent);
  g_test_add_func ("/export/ics/local-zone", test_local_zone);
  g_test_add_func ("/export/ics/vtimezone/offsets", test_vtimezone_offsets);
  g_test_add_func ("/export/ics/vtimezone/compact", test_vtimezone_compact);
  g_test_add_func ("/export/ics/python-icalendar", test_python_icalendar);

  return g_test_run ();
}
