/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-ics-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "lia-export.h"
#include "lia-ics-private.h"
#include "lia-vtimezone.h"

/* The timetable as iCalendar (RFC 5545), for Google Calendar, Outlook,
 * Apple Calendar, Thunderbird and Evolution to import or subscribe to.
 *
 * The calendar is streamed: its header and VTIMEZONEs are one libical
 * component serialized and cut before its END line, then each session is
 * a VEVENT built, serialized and freed on its own, so memory stays flat
 * however many sessions there are. Everything inside the components
 * (escaping, folding, CRLF) is libical's.
 *
 * UIDs are <external id, percent-encoded>-<integration id>@<database
 * id>.liaison.invalid: the same session keeps its UID in every export
 * from the same database, so that re-importing updates events instead of
 * duplicating them, and two databases (whose integration ids mean
 * different sources) never share one. A database made afresh gives new
 * UIDs. */

#define BATCH 1000

static const char end_calendar[] = "END:VCALENDAR\r\n";

/* One statement over the filtered sessions; a student's calendar is the
 * sessions they have attendance rows for, since the data model has no
 * enrolment table. */
static const char student_filter[] =
  " AND s.id IN (SELECT t.id FROM attendance AS a"
  "   JOIN sessions AS t ON t.integration_id = a.integration_id AND t.external_id = a.session_id"
  "   WHERE a.student_id = :student)";
static const char faculty_filter[] = " AND s.faculty_id = :faculty";

static const char events_sql[] =
  "SELECT s.integration_id, s.external_id, s.title, s.start_at, s.end_at, s.location,"
  "       s.description, s.meeting_url, s.sequence, s.created_at, s.updated_at,"
  "       j.name, j.code, f.name"
  "  FROM sessions AS s"
  "  LEFT JOIN subjects AS j ON j.integration_id = s.integration_id AND j.external_id = s.subject_id"
  "  LEFT JOIN faculty AS f ON f.integration_id = s.integration_id AND f.external_id = s.faculty_id"
  " WHERE s.start_at BETWEEN :from AND :to";
static const char events_order[] = " ORDER BY s.start_at, s.id";

/* The instants the calendar spans, which its VTIMEZONEs must cover. (A
 * plain aggregate: GROUP BY would sort every row in memory first.) */
static const char range_sql[] =
  "SELECT MIN(s.start_at), MAX(MAX(s.start_at, IFNULL(s.end_at, s.start_at)))"
  "  FROM sessions AS s"
  " WHERE s.start_at BETWEEN :from AND :to";

/* The integrations it holds, and their zones */
static const char integrations_sql[] =
  "SELECT i.id, CASE WHEN json_valid(i.config) THEN json_extract(i.config, '$.timezone') END"
  "  FROM integrations AS i"
  " WHERE i.id IN (SELECT s.integration_id FROM sessions AS s"
  "                 WHERE s.start_at BETWEEN :from AND :to";
static const char integrations_tail[] = ")";

enum {
  COL_INTEGRATION,
  COL_EXTERNAL_ID,
  COL_TITLE,
  COL_START,
  COL_END,
  COL_LOCATION,
  COL_DESCRIPTION,
  COL_MEETING_URL,
  COL_SEQUENCE,
  COL_CREATED,
  COL_UPDATED,
  COL_SUBJECT_NAME,
  COL_SUBJECT_CODE,
  COL_TEACHER,
};

typedef struct {
  LiaExportContext    *context;
  const char          *database_id;
  GHashTable          *zones;           /* IANA id → LiaVTimezone */
  GHashTable          *by_integration;  /* integration id → LiaVTimezone; absent: UTC */
  struct icaltimetype  dtstamp;
} IcsWriter;

static void
ics_writer_clear (IcsWriter *writer)
{
  g_clear_pointer (&writer->by_integration, g_hash_table_unref);
  g_clear_pointer (&writer->zones, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IcsWriter, ics_writer_clear)

/* Helpers */

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL && *text != '\0' ? text : NULL;
}

/* @text as iCalendar TEXT can carry it: valid UTF-8, line breaks as \n,
 * no other control characters. NULL when @text is fine as it is. */
static char *
clean_text (const char *text)
{
  g_autofree char *valid = NULL;
  GString *clean;
  gboolean fine = g_utf8_validate (text, -1, NULL);

  for (const char *p = text; fine && *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
      fine = FALSE;
  if (fine)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  clean = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (clean, '\n');
          if (p[1] == '\n')
            p++;
        }
      else if ((guchar) *p >= 0x20 ? *p != 0x7f : (*p == '\n' || *p == '\t'))
        {
          g_string_append_c (clean, *p);
        }
    }
  return g_string_free (clean, FALSE);
}

static void
add_text (icalcomponent  *component,
          icalproperty *(*new_property) (const char *),
          const char     *text)
{
  g_autofree char *clean = NULL;

  if (text == NULL)
    return;
  clean = clean_text (text);
  icalcomponent_add_property (component, new_property (clean != NULL ? clean : text));
}

/* An X- property; libical escapes its line breaks and backslashes. */
static void
add_x_text (icalcomponent *component,
            const char    *name,
            const char    *text)
{
  g_autofree char *clean = clean_text (text);
  icalproperty *property = icalproperty_new_x (clean != NULL ? clean : text);

  icalproperty_set_x_name (property, name);
  icalcomponent_add_property (component, property);
}

/* libical 3.0 writes CATEGORIES as a list, its commas unescaped: a comma
 * in a name would split it in two categories, so it becomes a space. */
static void
add_category (icalcomponent *component,
              const char    *name)
{
  g_autofree char *clean = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;

  if (name == NULL)
    return;
  clean = clean_text (name);
  parts = g_strsplit (clean != NULL ? clean : name, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    g_strstrip (parts[i]);
  joined = g_strstrip (g_strjoinv (" ", parts));
  if (*joined != '\0')
    icalcomponent_add_property (component, icalproperty_new_categories (joined));
}

static gboolean
write_all (IcsWriter   *writer,
           const char  *text,
           gsize        length,
           GError     **error)
{
  return g_output_stream_write_all (writer->context->out, text, length, NULL,
                                    writer->context->cancellable, error);
}

/* The people a calendar is for */

/* Finds the student or teacher @id, with their name if the table has it;
 * an id that only attendance rows or sessions know is found too. Returns
 * 1 when found, 0 when not, -1 on a database error. */
static int
find_person (LiaDatabase  *db,
             const char   *name_sql,
             const char   *known_sql,
             const char   *id,
             char        **out_name,
             GError      **error)
{
  const char *queries[] = { name_sql, known_sql };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = lia_database_prepare (db, queries[i], error);
      int rc;

      if (stmt == NULL)
        return -1;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && i == 0)
        *out_name = g_strdup (column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        return 1;
      if (rc != SQLITE_DONE)
        {
          lia_database_set_error (db, error, _("Cannot read the timetable"));
          return -1;
        }
    }
  return 0;
}

/* The X-WR-CALNAME: the option, else whose calendar it is. */
static char *
resolve_calendar_name (LiaExportContext  *context,
                       GError           **error)
{
  const LiaExportOptions *options = context->options;
  g_autofree char *student = NULL;
  g_autofree char *teacher = NULL;
  int found;

  if (options->student_id != NULL)
    {
      found = find_person (context->db,
                           "SELECT name FROM students WHERE external_id = ?1"
                           " ORDER BY name IS NULL, integration_id LIMIT 1",
                           "SELECT 1 FROM attendance WHERE student_id = ?1 LIMIT 1",
                           options->student_id, &student, error);
      if (found == 0)
        g_set_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND,
                     _("No student has the id “%s”."), options->student_id);
      if (found <= 0)
        return NULL;
    }
  if (options->faculty_id != NULL)
    {
      found = find_person (context->db,
                           "SELECT name FROM faculty WHERE external_id = ?1"
                           " ORDER BY name IS NULL, integration_id LIMIT 1",
                           "SELECT 1 FROM sessions WHERE faculty_id = ?1 LIMIT 1",
                           options->faculty_id, &teacher, error);
      if (found == 0)
        g_set_error (error, LIA_EXPORT_ERROR, LIA_EXPORT_ERROR_NOT_FOUND,
                     _("No teacher has the id “%s”."), options->faculty_id);
      if (found <= 0)
        return NULL;
    }

  if (options->calendar_name != NULL && *options->calendar_name != '\0')
    return g_strdup (options->calendar_name);
  if (options->student_id != NULL)
    return g_strdup (student != NULL ? student : options->student_id);
  if (options->faculty_id != NULL)
    return g_strdup (teacher != NULL ? teacher : options->faculty_id);
  return g_strdup (_("Liaison timetable"));
}

/* Zones */

static gboolean
is_utc_name (const char *tzid)
{
  static const char * const names[] = {
    "UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "Greenwich",
    "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "Etc/GMT", "Etc/GMT0", "Etc/Greenwich",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (tzid, names[i]))
      return TRUE;
  return FALSE;
}

/* Whether @id names a zone of the IANA database (not a POSIX TZ string,
 * an offset or a path), so that other calendars know it by that name. */
static gboolean
is_iana_name (const char *id)
{
  const char *dir = g_getenv ("TZDIR");
  g_autofree char *path = NULL;

  if (id == NULL || !g_ascii_isalpha (*id) || strstr (id, "..") != NULL)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("/_+-", *p) == NULL)
      return FALSE;
  path = g_build_filename (dir != NULL && *dir != '\0' ? dir : "/usr/share/zoneinfo", id, NULL);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The IANA id an integration's times are written in, or NULL for UTC:
 * its configured timezone, else the system's, if either is one. */
static char *
resolve_tzid (const char *configured)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  const char *id = configured;

  if (id == NULL)
    {
      local = g_time_zone_new_local ();
      id = g_time_zone_get_identifier (local);
      if (id[0] == ':')  /* TZ=:Europe/Paris */
        id++;
    }
  if (is_iana_name (id) && !is_utc_name (id))
    zone = g_time_zone_new_identifier (id);
  if (zone == NULL)
    {
      g_debug ("Writing the times of zone “%s” in UTC", id);
      return NULL;
    }
  return g_strdup (id);
}

static void
bind_filters (sqlite3_stmt           *stmt,
              const LiaExportOptions *options)
{
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":from"),
                      options->from != 0 ? options->from : G_MININT64);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":to"),
                      options->to != 0 ? options->to : G_MAXINT64);
  if (options->student_id != NULL)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":student"),
                       options->student_id, -1, SQLITE_STATIC);
  if (options->faculty_id != NULL)
    sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":faculty"),
                       options->faculty_id, -1, SQLITE_STATIC);
}

static char *
filtered_sql (const char             *select,
              const char             *tail,
              const LiaExportOptions *options)
{
  return g_strconcat (select,
                      options->student_id != NULL ? student_filter : "",
                      options->faculty_id != NULL ? faculty_filter : "",
                      tail, NULL);
}

/* The range the filtered sessions span; FALSE with no error when there
 * are none. */
static gboolean
find_range (LiaExportContext  *context,
            gint64            *out_from,
            gint64            *out_to,
            GError           **error)
{
  g_autofree char *sql = filtered_sql (range_sql, "", context->options);
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = lia_database_prepare (context->db, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_filters (stmt, context->options);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      *out_from = sqlite3_column_int64 (stmt, 0);
      *out_to = sqlite3_column_int64 (stmt, 1);
      found = TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    lia_database_set_error (context->db, error, _("Cannot read the timetable"));
  return found;
}

/* One LiaVTimezone for each zone the sessions use, over the range they
 * span, and which integration uses which. */
static gboolean
prepare_zones (IcsWriter  *writer,
               GError    **error)
{
  LiaExportContext *context = writer->context;
  g_autofree char *sql = filtered_sql (integrations_sql, integrations_tail, context->options);
  GError *local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 from, to;
  int rc;

  if (!find_range (context, &from, &to, &local_error))
    {
      if (local_error == NULL)
        return TRUE;  /* an empty calendar */
      g_propagate_error (error, local_error);
      return FALSE;
    }

  stmt = lia_database_prepare (context->db, sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_filters (stmt, context->options);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 integration = sqlite3_column_int64 (stmt, 0);
      g_autofree char *tzid = resolve_tzid (column_text (stmt, 1));
      LiaVTimezone *zone;

      if (tzid == NULL)
        continue;
      zone = g_hash_table_lookup (writer->zones, tzid);
      if (zone == NULL)
        {
          g_autoptr(GTimeZone) gzone = g_time_zone_new_identifier (tzid);

          g_assert (gzone != NULL);  /* resolve_tzid() made one already */
          zone = lia_vtimezone_new (tzid, gzone, from, to);
          g_hash_table_insert (writer->zones, g_strdup (tzid), zone);
        }
      g_hash_table_insert (writer->by_integration, g_memdup2 (&integration, sizeof integration), zone);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lia_database_set_error (context->db, error, _("Cannot read the timetable"));
      return FALSE;
    }
  return TRUE;
}

/* The calendar */

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
write_header (IcsWriter   *writer,
              const char  *calendar_name,
              GError     **error)
{
  g_autoptr(icalcomponent) calendar = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  g_autofree const char **tzids = NULL;
  guint n_zones;
  char *text;
  gsize length;
  gboolean ok;

  icalcomponent_add_property (calendar, icalproperty_new_prodid ("-//Liaison//Liaison " PACKAGE_VERSION "//EN"));
  icalcomponent_add_property (calendar, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (calendar, icalproperty_new_calscale ("GREGORIAN"));
  icalcomponent_add_property (calendar, icalproperty_new_method (ICAL_METHOD_PUBLISH));
  add_x_text (calendar, "X-WR-CALNAME", calendar_name);

  /* In a stable order, so that two exports of the same data are equal
   * but for DTSTAMP. */
  tzids = (const char **) g_hash_table_get_keys_as_array (writer->zones, &n_zones);
  qsort (tzids, n_zones, sizeof (char *), compare_strings);
  if (n_zones == 1)
    add_x_text (calendar, "X-WR-TIMEZONE", tzids[0]);
  for (guint i = 0; i < n_zones; i++)
    {
      LiaVTimezone *zone = g_hash_table_lookup (writer->zones, tzids[i]);

      icalcomponent_add_component (calendar, icalcomponent_new_clone (lia_vtimezone_get_component (zone)));
    }

  text = icalcomponent_as_ical_string_r (calendar);
  length = strlen (text);
  g_assert (g_str_has_suffix (text, end_calendar));
  ok = write_all (writer, text, length - strlen (end_calendar), error);
  icalmemory_free_buffer (text);
  return ok;
}

static char *
build_description (const char *teacher,
                   const char *subject_name,
                   const char *subject_code,
                   const char *meeting_url,
                   const char *description)
{
  GString *text = g_string_new (NULL);

  if (teacher != NULL)
    {
      g_string_append_printf (text, _("Teacher: %s"), teacher);
      g_string_append_c (text, '\n');
    }
  if (subject_name != NULL && subject_code != NULL && !g_str_equal (subject_name, subject_code))
    {
      g_autofree char *subject = g_strdup_printf ("%s (%s)", subject_name, subject_code);

      g_string_append_printf (text, _("Subject: %s"), subject);
      g_string_append_c (text, '\n');
    }
  else if (subject_name != NULL || subject_code != NULL)
    {
      g_string_append_printf (text, _("Subject: %s"), subject_name != NULL ? subject_name : subject_code);
      g_string_append_c (text, '\n');
    }
  if (meeting_url != NULL)
    {
      g_string_append_printf (text, _("Meeting: %s"), meeting_url);
      g_string_append_c (text, '\n');
    }
  if (description != NULL)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, description);
    }
  else if (text->len > 0)
    {
      g_string_truncate (text, text->len - 1);
    }

  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

/* A web address calendars can open; anything else stays in DESCRIPTION. */
static gboolean
is_web_address (const char *url)
{
  const char *scheme = g_uri_peek_scheme (url);

  return (g_strcmp0 (scheme, "https") == 0 || g_strcmp0 (scheme, "http") == 0) &&
         g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL);
}

static char *
build_uid (IcsWriter  *writer,
           gint64      integration,
           const char *external_id)
{
  g_autofree char *escaped = g_uri_escape_string (external_id, NULL, FALSE);

  return g_strdup_printf ("%s-%" G_GINT64_FORMAT "@%s.liaison.invalid",
                          escaped, integration, writer->database_id);
}

static struct icaltimetype
event_time (LiaVTimezone *zone,
            gint64        utc)
{
  return zone != NULL ? lia_vtimezone_to_local (zone, utc) : lia_vtimezone_utc_time (utc);
}

static gboolean
write_event (IcsWriter     *writer,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autoptr(icalcomponent) event = icalcomponent_new (ICAL_VEVENT_COMPONENT);
  gint64 integration = sqlite3_column_int64 (stmt, COL_INTEGRATION);
  const char *external_id = (const char *) sqlite3_column_text (stmt, COL_EXTERNAL_ID);
  const char *title = column_text (stmt, COL_TITLE);
  const char *subject_name = column_text (stmt, COL_SUBJECT_NAME);
  const char *subject_code = column_text (stmt, COL_SUBJECT_CODE);
  const char *meeting_url = column_text (stmt, COL_MEETING_URL);
  gint64 start = sqlite3_column_int64 (stmt, COL_START);
  LiaVTimezone *zone = g_hash_table_lookup (writer->by_integration, &integration);
  g_autofree char *uid = build_uid (writer, integration, external_id);
  g_autofree char *description = NULL;
  char *text;
  gboolean ok;

  icalcomponent_add_property (event, icalproperty_new_uid (uid));
  icalcomponent_add_property (event, icalproperty_new_dtstamp (writer->dtstamp));
  /* With the time's zone, these add TZID=<its IANA id>, or write UTC. */
  icalcomponent_set_dtstart (event, event_time (zone, start));
  /* DTEND must be later than DTSTART; without it the event is an instant. */
  if (sqlite3_column_type (stmt, COL_END) != SQLITE_NULL && sqlite3_column_int64 (stmt, COL_END) > start)
    icalcomponent_set_dtend (event, event_time (zone, sqlite3_column_int64 (stmt, COL_END)));

  add_text (event, icalproperty_new_summary,
            title != NULL ? title : subject_name != NULL ? subject_name
                                  : subject_code != NULL ? subject_code : _("Session"));
  add_text (event, icalproperty_new_location, column_text (stmt, COL_LOCATION));
  description = build_description (column_text (stmt, COL_TEACHER), subject_name, subject_code,
                                   meeting_url, column_text (stmt, COL_DESCRIPTION));
  add_text (event, icalproperty_new_description, description);
  add_category (event, subject_name != NULL ? subject_name : subject_code);
  if (meeting_url != NULL && is_web_address (meeting_url))
    icalcomponent_add_property (event, icalproperty_new_url (meeting_url));

  if (sqlite3_column_type (stmt, COL_CREATED) != SQLITE_NULL)
    icalcomponent_add_property (event, icalproperty_new_created (
      lia_vtimezone_utc_time (sqlite3_column_int64 (stmt, COL_CREATED) / 1000)));
  if (sqlite3_column_type (stmt, COL_UPDATED) != SQLITE_NULL)
    icalcomponent_add_property (event, icalproperty_new_lastmodified (
      lia_vtimezone_utc_time (sqlite3_column_int64 (stmt, COL_UPDATED) / 1000)));
  icalcomponent_add_property (event, icalproperty_new_sequence (sqlite3_column_int (stmt, COL_SEQUENCE)));

  text = icalcomponent_as_ical_string_r (event);
  ok = write_all (writer, text, strlen (text), error);
  icalmemory_free_buffer (text);
  return ok;
}

static gint64
write_events (IcsWriter  *writer,
              GError    **error)
{
  LiaExportContext *context = writer->context;
  g_autofree char *sql = filtered_sql (events_sql, events_order, context->options);
  sqlite3_stmt *stmt;
  gint64 rows = 0;
  int rc;

  stmt = lia_database_prepare (context->db, sql, error);
  if (stmt == NULL)
    return -1;
  bind_filters (stmt, context->options);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!write_event (writer, stmt, error))
        {
          sqlite3_reset (stmt);
          return -1;
        }
      if (++rows % BATCH == 0)
        {
          if (g_cancellable_set_error_if_cancelled (context->cancellable, error))
            {
              sqlite3_reset (stmt);
              return -1;
            }
          if (context->progress != NULL)
            context->progress (rows, context->progress_data);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      lia_database_set_error (context->db, error, _("Cannot read the timetable"));
      return -1;
    }
  return rows;
}

/* Public API */

/* Writes the sessions @context's options select as an iCalendar file:
 * between two dates (by start), optionally only one student's or one
 * teacher's, in each integration's timezone or in UTC. Returns the
 * number of events, or -1. */
gint64
lia_ics_write (LiaExportContext  *context,
               GError           **error)
{
  g_auto(IcsWriter) writer = { 0 };
  g_autofree char *calendar_name = NULL;
  gint64 rows;

  g_return_val_if_fail (context != NULL, -1);
  g_return_val_if_fail (context->options->kind == LIA_EXPORT_ICS, -1);

  lia_ical_init ();
  writer.context = context;
  writer.database_id = lia_database_get_id (context->db);
  writer.zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) lia_vtimezone_free);
  writer.by_integration = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  writer.dtstamp = lia_vtimezone_utc_time (g_get_real_time () / G_USEC_PER_SEC);

  if (g_cancellable_set_error_if_cancelled (context->cancellable, error))
    return -1;
  calendar_name = resolve_calendar_name (context, error);
  if (calendar_name == NULL)
    return -1;
  if (!context->options->utc && !prepare_zones (&writer, error))
    return -1;
  if (!write_header (&writer, calendar_name, error))
    return -1;
  rows = write_events (&writer, error);
  if (rows < 0 || !write_all (&writer, end_calendar, strlen (end_calendar), error))
    return -1;
  if (context->progress != NULL)
    context->progress (rows, context->progress_data);
  return rows;
}
