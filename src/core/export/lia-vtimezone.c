/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-vtimezone"

#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "lia-vtimezone.h"

/* How far before the range to look for the transition that began the
 * offset in force at its start: a zone with daylight saving time has one
 * every year. */
#define LOOKBACK ((gint64) 400 * 24 * 3600)

typedef struct {
  gint64      at;      /* UTC */
  gint32      from;    /* offsets east of UTC, in seconds */
  gint32      to;
  gboolean    dst;
  const char *abbrev;  /* the GTimeZone's */
} Transition;

/* A transition's local date and time, in the offset it ends. */
typedef struct {
  int      year, month, day, hour, minute, second;
  int      weekday;    /* ICAL_SUNDAY_WEEKDAY … ICAL_SATURDAY_WEEKDAY */
  guint    positions;  /* bit n: the nth such weekday of the month (1–4); bit 0: the last */
} Onset;

/* A yearly weekday rule, as in "the last Sunday of March at 02:00". */
typedef struct {
  int   month, weekday, hour, minute, second;
  guint positions;     /* the positions every onset so far fits */
} Rule;

typedef struct {
  gint64         first;
  icalcomponent *observance;
} Observance;

struct _LiaVTimezone {
  char         *tzid;
  GTimeZone    *zone;
  gint64        from;         /* the range the transitions cover */
  gint64        to;
  gint32        base_offset;  /* in force before the first transition */
  GArray       *transitions;  /* Transition, the first one at or before from if any */
  icaltimezone *ical_zone;    /* owns the VTIMEZONE */
};

/* libical setup */

static gpointer
init_libical_cb (gpointer data)
{
  /* The UTC zone is created on first use, together with libical's list
   * of built-in zones: make that happen once, before any thread races
   * for it. Nothing else of the built-in zone data is used. */
  icaltimezone_get_utc_timezone ();
  return NULL;
}

void
lia_ical_init (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_libical_cb, NULL);
}

/* Times */

static struct icaltimetype
floating_time (gint64 seconds)
{
  struct icaltimetype t = icaltime_null_time ();
  time_t tt = (time_t) seconds;
  struct tm tm;

  gmtime_r (&tt, &tm);
  t.year = tm.tm_year + 1900;
  t.month = tm.tm_mon + 1;
  t.day = tm.tm_mday;
  t.hour = tm.tm_hour;
  t.minute = tm.tm_min;
  t.second = tm.tm_sec;
  t.is_date = 0;
  t.zone = NULL;
  return t;
}

/* A UTC date-time. (icaltime_from_timet_with_zone is avoided: in libical
 * 3.0 it returns a zone's wall time still marked as UTC.) */
struct icaltimetype
lia_vtimezone_utc_time (gint64 utc)
{
  struct icaltimetype t = floating_time (utc);

  lia_ical_init ();
  t.zone = icaltimezone_get_utc_timezone ();
  return t;
}

static void
onset_init (Onset  *onset,
            gint64  local)
{
  time_t tt = (time_t) local;
  struct tm tm;
  int n, days;

  gmtime_r (&tt, &tm);
  onset->year = tm.tm_year + 1900;
  onset->month = tm.tm_mon + 1;
  onset->day = tm.tm_mday;
  onset->hour = tm.tm_hour;
  onset->minute = tm.tm_min;
  onset->second = tm.tm_sec;
  onset->weekday = tm.tm_wday + ICAL_SUNDAY_WEEKDAY;

  n = (tm.tm_mday - 1) / 7 + 1;
  days = g_date_get_days_in_month ((GDateMonth) onset->month, (GDateYear) onset->year);
  onset->positions = n <= 4 ? 1u << n : 0;
  if (tm.tm_mday + 7 > days)
    onset->positions |= 1;
}

static void
rule_init (Rule        *rule,
           const Onset *onset)
{
  rule->month = onset->month;
  rule->weekday = onset->weekday;
  rule->hour = onset->hour;
  rule->minute = onset->minute;
  rule->second = onset->second;
  rule->positions = onset->positions;
}

/* Whether @next, the year after @prev, still follows @rule; narrows it. */
static gboolean
rule_extend (Rule        *rule,
             const Onset *prev,
             const Onset *next)
{
  if (next->year != prev->year + 1 ||
      next->month != rule->month || next->weekday != rule->weekday ||
      next->hour != rule->hour || next->minute != rule->minute || next->second != rule->second ||
      (next->positions & rule->positions) == 0)
    return FALSE;
  rule->positions &= next->positions;
  return TRUE;
}

/* -1 for "the last", else 1–4. "The last" wins where both fit: that is
 * how the zones that use these rules say it (lastSun). */
static int
rule_position (const Rule *rule)
{
  g_assert (rule->positions != 0);
  if (rule->positions & 1)
    return -1;
  for (int n = 1; n <= 4; n++)
    if (rule->positions & (1u << n))
      return n;
  g_assert_not_reached ();
}

/* The local time of @rule's onset in @year, as Unix seconds. */
static gint64
rule_local_onset (const Rule *rule,
                  int         year)
{
  int position = rule_position (rule);
  int days = g_date_get_days_in_month ((GDateMonth) rule->month, (GDateYear) year);
  GDateWeekday wanted = rule->weekday == ICAL_SUNDAY_WEEKDAY ? G_DATE_SUNDAY : rule->weekday - 1;
  g_autoptr(GDateTime) first = g_date_time_new_utc (year, rule->month, 1, 0, 0, 0);
  int first_day = 1 + (wanted - g_date_time_get_day_of_week (first) + 7) % 7;
  int day = position > 0 ? first_day + 7 * (position - 1) : first_day + 7 * ((days - first_day) / 7);

  return g_date_time_to_unix (first) + (gint64) (day - 1) * 24 * 3600 +
         rule->hour * 3600 + rule->minute * 60 + rule->second;
}

/* by_day as libical 3.0 stores it (icalrecurrencetype_encode_day() is 3.1). */
static short
encode_day (int weekday,
            int position)
{
  return (short) ((abs (position) * 8 + weekday) * (position < 0 ? -1 : 1));
}

/* Transitions */

static int
find_interval (GTimeZone *zone,
               gint64     utc)
{
  return g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, utc);
}

/* Intervals may differ in nothing that iCalendar shows. */
static gboolean
same_observance (GTimeZone *zone,
                 int        a,
                 int        b)
{
  return g_time_zone_get_offset (zone, a) == g_time_zone_get_offset (zone, b) &&
         g_time_zone_is_dst (zone, a) == g_time_zone_is_dst (zone, b) &&
         g_strcmp0 (g_time_zone_get_abbreviation (zone, a), g_time_zone_get_abbreviation (zone, b)) == 0;
}

/* Every change of offset, daylight flag or name in [from - LOOKBACK, to],
 * then drops those before the one in force at @from. GLib numbers a
 * zone's intervals in time order, so each next transition is found by
 * bisecting between the last one and the end of the range. */
static void
collect_transitions (LiaVTimezone *self)
{
  gint64 t = self->from - LOOKBACK;
  int current = find_interval (self->zone, t);
  int last = find_interval (self->zone, self->to);
  guint keep_from = 0;

  while (current != last)
    {
      gint64 lo = t;
      gint64 hi = self->to;
      int interval;

      while (hi - lo > 1)
        {
          gint64 mid = lo + (hi - lo) / 2;

          if (find_interval (self->zone, mid) == current)
            lo = mid;
          else
            hi = mid;
        }
      interval = find_interval (self->zone, hi);
      if (!same_observance (self->zone, current, interval))
        {
          Transition transition = {
            .at = hi,
            .from = g_time_zone_get_offset (self->zone, current),
            .to = g_time_zone_get_offset (self->zone, interval),
            .dst = g_time_zone_is_dst (self->zone, interval),
            .abbrev = g_time_zone_get_abbreviation (self->zone, interval),
          };

          g_array_append_val (self->transitions, transition);
        }
      current = interval;
      t = hi;
    }

  for (guint i = 0; i < self->transitions->len; i++)
    if (g_array_index (self->transitions, Transition, i).at <= self->from)
      keep_from = i;
  g_array_remove_range (self->transitions, 0, keep_from);

  if (self->transitions->len > 0)
    self->base_offset = g_array_index (self->transitions, Transition, 0).from;
  else
    self->base_offset = g_time_zone_get_offset (self->zone, find_interval (self->zone, self->from));
}

/* The VTIMEZONE */

static icalcomponent *
new_observance (gboolean     dst,
                gint32       from,
                gint32       to,
                const char  *abbrev,
                gint64       local_start)
{
  icalcomponent *observance = icalcomponent_new (dst ? ICAL_XDAYLIGHT_COMPONENT
                                                     : ICAL_XSTANDARD_COMPONENT);

  icalcomponent_add_property (observance, icalproperty_new_dtstart (floating_time (local_start)));
  icalcomponent_add_property (observance, icalproperty_new_tzoffsetfrom (from));
  icalcomponent_add_property (observance, icalproperty_new_tzoffsetto (to));
  if (abbrev != NULL && *abbrev != '\0')
    icalcomponent_add_property (observance, icalproperty_new_tzname (abbrev));
  return observance;
}

static void
add_observance (GArray        *observances,
                gint64         first,
                icalcomponent *observance)
{
  Observance item = { first, observance };

  g_array_append_val (observances, item);
}

static const Transition *
transition_at (LiaVTimezone *self,
               guint         i)
{
  return &g_array_index (self->transitions, Transition, i);
}

/* The transitions @indices, all with the same offsets and name, as runs
 * of a yearly rule (one observance with an RRULE each), and what is left
 * as one observance with RDATEs. */
static void
add_observances_for (LiaVTimezone *self,
                     GArray       *indices,
                     GArray       *observances)
{
  g_autoptr(GArray) leftover = g_array_new (FALSE, FALSE, sizeof (guint));
  guint k = 0;

  while (k < indices->len)
    {
      const Transition *first = transition_at (self, g_array_index (indices, guint, k));
      const Transition *last = first;
      Onset prev, next;
      Rule rule;
      guint end = k + 1;
      gint64 after;

      onset_init (&prev, first->at + first->from);
      rule_init (&rule, &prev);
      for (; end < indices->len; end++)
        {
          const Transition *candidate = transition_at (self, g_array_index (indices, guint, end));

          onset_init (&next, candidate->at + candidate->from);
          if (!rule_extend (&rule, &prev, &next))
            break;
          prev = next;
          last = candidate;
        }

      /* When the rule would go on inside the range, it did not: stop it.
       * A lone transition whose rule would recur is no rule at all. */
      after = rule_local_onset (&rule, prev.year + 1) - first->from;
      if (end - k >= 2 || after > self->to)
        {
          icalcomponent *observance = new_observance (first->dst, first->from, first->to,
                                                      first->abbrev, first->at + first->from);
          struct icalrecurrencetype recurrence;

          icalrecurrencetype_clear (&recurrence);
          recurrence.freq = ICAL_YEARLY_RECURRENCE;
          recurrence.by_month[0] = (short) rule.month;
          recurrence.by_day[0] = encode_day (rule.weekday, rule_position (&rule));
          if (after <= self->to)
            recurrence.until = lia_vtimezone_utc_time (last->at);
          icalcomponent_add_property (observance, icalproperty_new_rrule (recurrence));
          add_observance (observances, first->at, observance);
        }
      else
        {
          g_array_append_val (leftover, g_array_index (indices, guint, k));
        }
      k = end;
    }

  if (leftover->len > 0)
    {
      const Transition *first = transition_at (self, g_array_index (leftover, guint, 0));
      icalcomponent *observance = new_observance (first->dst, first->from, first->to,
                                                  first->abbrev, first->at + first->from);

      for (guint i = 1; i < leftover->len; i++)
        {
          const Transition *other = transition_at (self, g_array_index (leftover, guint, i));
          struct icaldatetimeperiodtype rdate = { 0 };

          rdate.time = floating_time (other->at + other->from);
          rdate.period = icalperiodtype_null_period ();
          icalcomponent_add_property (observance, icalproperty_new_rdate (rdate));
        }
      add_observance (observances, first->at, observance);
    }
}

static gboolean
same_kind (const Transition *a,
           const Transition *b)
{
  return a->from == b->from && a->to == b->to && a->dst == b->dst &&
         g_strcmp0 (a->abbrev, b->abbrev) == 0;
}

static int
compare_observances (gconstpointer a,
                     gconstpointer b)
{
  const Observance *x = a;
  const Observance *y = b;

  return (x->first > y->first) - (x->first < y->first);
}

static icalcomponent *
build_vtimezone (LiaVTimezone *self)
{
  icalcomponent *vtimezone = icalcomponent_new (ICAL_VTIMEZONE_COMPONENT);
  g_autoptr(GArray) observances = g_array_new (FALSE, FALSE, sizeof (Observance));
  g_autofree gboolean *done = g_new0 (gboolean, self->transitions->len + 1);
  int at_from = find_interval (self->zone, self->from);
  icalproperty *location;

  icalcomponent_add_property (vtimezone, icalproperty_new_tzid (self->tzid));
  /* As Google writes it: libical-based calendars match it to their zones. */
  location = icalproperty_new_x (self->tzid);
  icalproperty_set_x_name (location, "X-LIC-LOCATION");
  icalcomponent_add_property (vtimezone, location);

  /* Nothing began the offset in force at the start (a zone without
   * daylight saving time, or one that had none in the past year): it is
   * stated as in force since 1970, as Google writes fixed zones. */
  if (self->transitions->len == 0 || transition_at (self, 0)->at > self->from)
    add_observance (observances, G_MININT64,
                    new_observance (self->transitions->len > 0 && g_time_zone_is_dst (self->zone, at_from),
                                    self->base_offset, self->base_offset,
                                    g_time_zone_get_abbreviation (self->zone, at_from), 0));

  for (guint i = 0; i < self->transitions->len; i++)
    {
      g_autoptr(GArray) indices = NULL;

      if (done[i])
        continue;
      indices = g_array_new (FALSE, FALSE, sizeof (guint));
      for (guint j = i; j < self->transitions->len; j++)
        if (!done[j] && same_kind (transition_at (self, i), transition_at (self, j)))
          {
            g_array_append_val (indices, j);
            done[j] = TRUE;
          }
      add_observances_for (self, indices, observances);
    }

  g_array_sort (observances, compare_observances);
  for (guint i = 0; i < observances->len; i++)
    icalcomponent_add_component (vtimezone, g_array_index (observances, Observance, i).observance);
  return vtimezone;
}

/* Public API */

/* The VTIMEZONE of @zone, named @tzid (its IANA id), for the instants
 * from @from to @to (Unix seconds). */
LiaVTimezone *
lia_vtimezone_new (const char *tzid,
                   GTimeZone  *zone,
                   gint64      from,
                   gint64      to)
{
  LiaVTimezone *self;

  g_return_val_if_fail (tzid != NULL, NULL);
  g_return_val_if_fail (zone != NULL, NULL);
  g_return_val_if_fail (from <= to, NULL);

  lia_ical_init ();

  self = g_new0 (LiaVTimezone, 1);
  self->tzid = g_strdup (tzid);
  self->zone = g_time_zone_ref (zone);
  self->from = from;
  self->to = to;
  self->transitions = g_array_new (FALSE, FALSE, sizeof (Transition));
  collect_transitions (self);

  /* An icaltimezone over our own component: its TZID is the bare IANA id,
   * with no built-in zone or TZID prefix involved. */
  self->ical_zone = icaltimezone_new ();
  icaltimezone_set_component (self->ical_zone, build_vtimezone (self));
  return self;
}

void
lia_vtimezone_free (LiaVTimezone *self)
{
  if (self == NULL)
    return;
  icaltimezone_free (self->ical_zone, TRUE);
  g_array_unref (self->transitions);
  g_time_zone_unref (self->zone);
  g_free (self->tzid);
  g_free (self);
}

const char *
lia_vtimezone_get_tzid (LiaVTimezone *self)
{
  return self->tzid;
}

/* The VTIMEZONE, owned by @self. */
icalcomponent *
lia_vtimezone_get_component (LiaVTimezone *self)
{
  return icaltimezone_get_component (self->ical_zone);
}

icaltimezone *
lia_vtimezone_get_timezone (LiaVTimezone *self)
{
  return self->ical_zone;
}

/* The offset east of UTC at @utc, in seconds. */
int
lia_vtimezone_get_offset (LiaVTimezone *self,
                          gint64        utc)
{
  guint lo = 0;
  guint hi = self->transitions->len;

  if (utc < self->from || utc > self->to)
    return g_time_zone_get_offset (self->zone, find_interval (self->zone, utc));

  /* The first transition after @utc */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (transition_at (self, mid)->at <= utc)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo == 0 ? self->base_offset : transition_at (self, lo - 1)->to;
}

/* @utc as the zone's wall time, marked with the zone (so that a DTSTART
 * made from it carries TZID=<the IANA id>). */
struct icaltimetype
lia_vtimezone_to_local (LiaVTimezone *self,
                        gint64        utc)
{
  struct icaltimetype t = floating_time (utc + lia_vtimezone_get_offset (self, utc));

  t.zone = self->ical_zone;
  return t;
}
