/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-history-text"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-history-text.h"

/* A run's status as stored in sync_runs.status: its label, the symbolic
 * icon that shows it and the style class that colours both. An unknown
 * status shows as it is. */
const char *
lia_history_text_status (const char  *status,
                         const char **out_icon_name,
                         const char **out_style_class)
{
  const char *label = status != NULL ? status : "";
  const char *icon_name = "content-loading-symbolic";
  const char *style_class = "dim-label";

  if (g_strcmp0 (status, "success") == 0)
    {
      label = _("Succeeded");
      icon_name = "emblem-ok-symbolic";
      style_class = "success";
    }
  else if (g_strcmp0 (status, "partial") == 0)
    {
      label = _("Partly succeeded");
      icon_name = "dialog-warning-symbolic";
      style_class = "warning";
    }
  else if (g_strcmp0 (status, "error") == 0)
    {
      label = _("Failed");
      icon_name = "dialog-error-symbolic";
      style_class = "error";
    }
  else if (g_strcmp0 (status, "cancelled") == 0)
    {
      label = _("Cancelled");
      icon_name = "process-stop-symbolic";
    }
  else if (g_strcmp0 (status, "running") == 0)
    {
      label = _("In progress");
      icon_name = "emblem-synchronizing-symbolic";
      style_class = "accent";
    }

  if (out_icon_name != NULL)
    *out_icon_name = icon_name;
  if (out_style_class != NULL)
    *out_style_class = style_class;
  return label;
}

/* What started a run: sync_runs.trigger. */
const char *
lia_history_text_trigger (const char *trigger)
{
  if (g_strcmp0 (trigger, "manual") == 0)
    return _("Manual");
  if (g_strcmp0 (trigger, "scheduled") == 0)
    return _("Scheduled");
  if (g_strcmp0 (trigger, "cli") == 0)
    /* Translators: a sync started from liaison-cli. */
    return _("Command line");
  return trigger != NULL ? trigger : "";
}

const char *
lia_history_text_data_type (LiaDataType type)
{
  switch (type)
    {
    case LIA_DATA_TYPE_STUDENTS:
      return _("Students");
    case LIA_DATA_TYPE_FACULTY:
      return _("Faculty");
    case LIA_DATA_TYPE_SUBJECTS:
      return _("Subjects");
    case LIA_DATA_TYPE_TIMETABLE:
      return _("Timetable");
    case LIA_DATA_TYPE_ATTENDANCE:
      return _("Attendance");
    case LIA_DATA_TYPE_MARKS:
      return _("Marks");
    case LIA_DATA_TYPE_CUSTOM:
      return _("Custom records");
    case LIA_N_DATA_TYPES:
    default:
      g_return_val_if_fail (type < LIA_N_DATA_TYPES, NULL);
      return NULL;
    }
}

/* A count with the locale's thousands separator: "1,200". */
char *
lia_history_text_number (gint64 value)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, value);
}

/* How long a run took: "0.4 s", "4.2 s", "2 min 5 s", "1 h 3 min". */
char *
lia_history_text_duration (gint64 duration_ms)
{
  gint64 seconds;

  if (duration_ms < 0)
    duration_ms = 0;
  if (duration_ms < 60 * 1000)
    /* Translators: a duration in seconds, with one decimal. */
    return g_strdup_printf (_("%.1f s"), duration_ms / 1000.0);

  seconds = duration_ms / 1000;
  if (seconds < 3600)
    /* Translators: a duration in minutes and seconds. */
    return g_strdup_printf (_("%d min %d s"), (int) (seconds / 60), (int) (seconds % 60));
  /* Translators: a duration in hours and minutes. */
  return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600), (int) (seconds % 3600 / 60));
}

/* A run's start, short, for a list row: "just now", "2 min ago",
 * "5 h ago", "3 days ago", then the date. */
char *
lia_history_text_ago (gint64     then_ms,
                      GDateTime *now)
{
  g_autoptr(GDateTime) then_utc = NULL;
  g_autoptr(GDateTime) then_local = NULL;
  gint64 minutes;
  gint64 hours;
  gint64 days;

  g_return_val_if_fail (now != NULL, NULL);

  minutes = (g_date_time_to_unix (now) - then_ms / 1000) / 60;
  hours = minutes / 60;
  days = hours / 24;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (hours < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d min ago", "%d min ago", minutes),
                            (int) minutes);
  if (days < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d h ago", "%d h ago", hours),
                            (int) hours);
  if (days < 7)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days),
                            (int) days);

  then_utc = g_date_time_new_from_unix_utc (then_ms / 1000);
  if (then_utc == NULL)
    return g_strdup ("");
  then_local = g_date_time_to_timezone (then_utc, g_date_time_get_timezone (now));
  /* Translators: the day of an older run in a list row, in the format of
   * g_date_time_format(): "12 Mar 2024". */
  /* xgettext:no-c-format */
  return g_date_time_format (then_local, _("%-d %b %Y"));
}

/* A full local date and time: "12 March 2024, 14:05:09". */
char *
lia_history_text_date_time (gint64 unix_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  /* Translators: a run's start or end, in the format of
   * g_date_time_format(): "12 March 2024, 14:05:09". */
  /* xgettext:no-c-format */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M:%S"));
}

/* "1,200 processed · 3 errors", or "1,200 processed" without errors. */
char *
lia_history_text_counts (gint64 processed,
                         gint64 errors)
{
  g_autofree char *processed_number = lia_history_text_number (processed);
  g_autofree char *errors_number = lia_history_text_number (errors);
  g_autofree char *processed_text = NULL;
  g_autofree char *errors_text = NULL;

  /* Translators: %s is a number of records, with thousands separators. */
  processed_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s processed", "%s processed", processed),
                                    processed_number);
  if (errors <= 0)
    return g_steal_pointer (&processed_text);

  /* Translators: %s is a number of errors, with thousands separators. */
  errors_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s error", "%s errors", errors),
                                 errors_number);
  /* Translators: records processed and errors in a run, on one line. */
  return g_strdup_printf (_("%s · %s"), processed_text, errors_text);
}
