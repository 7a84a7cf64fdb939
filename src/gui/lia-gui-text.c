/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-gui-text"

#include "config.h"

#include <glib/gi18n.h>

#include "lia-gui-text.h"
#include "lia-integration-store.h"

/* The short label for an integration's status (one of LIA_STATUS_*), and the
 * style class that colours it. An unknown status is shown as it is. */
const char *
lia_gui_text_status (const char  *status,
                     const char **out_style_class)
{
  const char *label = status;
  const char *style_class = "dim-label";

  g_return_val_if_fail (status != NULL, NULL);

  if (g_str_equal (status, LIA_STATUS_ACTIVE))
    {
      label = _("Active");
      style_class = "success";
    }
  else if (g_str_equal (status, LIA_STATUS_INACTIVE))
    {
      label = _("Inactive");
    }
  else if (g_str_equal (status, LIA_STATUS_ERROR))
    {
      label = _("Error");
      style_class = "error";
    }
  else if (g_str_equal (status, LIA_STATUS_NEEDS_SIGNIN))
    {
      label = _("Needs sign-in");
      style_class = "warning";
    }

  if (out_style_class != NULL)
    *out_style_class = style_class;
  return label;
}

/* A sync run's result as stored in sync_runs.status, or NULL when the
 * result is not one we know. */
const char *
lia_gui_text_run_result (const char *result)
{
  if (result == NULL)
    return NULL;
  if (g_str_equal (result, "success"))
    return _("Succeeded");
  if (g_str_equal (result, "partial"))
    return _("Partly succeeded");
  if (g_str_equal (result, "error"))
    return _("Failed");
  if (g_str_equal (result, "cancelled"))
    return _("Cancelled");
  if (g_str_equal (result, "running"))
    return _("In progress");
  return NULL;
}

/* When an integration last synced: "Last sync 5 minutes ago", or the date
 * for anything older than a week. A time slightly in the future (another
 * machine's clock) counts as now. Each case is a whole sentence so that
 * translators can word it freely. */
static char *
describe_sync_time (gint64     then_ms,
                    GDateTime *now)
{
  g_autoptr(GDateTime) then_utc = NULL;
  g_autoptr(GDateTime) then_local = NULL;
  g_autofree char *date = NULL;
  gint64 minutes;
  gint64 hours;
  gint64 days;

  minutes = (g_date_time_to_unix (now) - then_ms / 1000) / 60;
  hours = minutes / 60;
  days = hours / 24;

  if (minutes < 1)
    return g_strdup (_("Last sync just now"));
  if (hours < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Last sync %d minute ago",
                                         "Last sync %d minutes ago", minutes),
                            (int) minutes);
  if (days < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Last sync %d hour ago",
                                         "Last sync %d hours ago", hours),
                            (int) hours);
  if (days < 7)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Last sync %d day ago",
                                         "Last sync %d days ago", days),
                            (int) days);

  /* Between 1970 and a week ago, so always a valid date. */
  then_utc = g_date_time_new_from_unix_utc (then_ms / 1000);
  g_assert (then_utc != NULL);
  then_local = g_date_time_to_timezone (then_utc, g_date_time_get_timezone (now));
  /* Translators: the date of a sync older than a week, in the format of
   * g_date_time_format(): "22 November 2026". */
  /* xgettext:no-c-format */
  date = g_date_time_format (then_local, _("%-d %B %Y"));
  /* Translators: %s is a date such as "22 November 2026". */
  return g_strdup_printf (_("Last sync on %s"), date);
}

/* One line about an integration's last run: "Never synced", or when it
 * ran and how it went. */
char *
lia_gui_text_last_sync (gint64      last_sync_ms,
                        const char *last_result,
                        GDateTime  *now)
{
  g_autofree char *when = NULL;
  const char *result;

  g_return_val_if_fail (now != NULL, NULL);

  if (last_sync_ms <= 0)
    return g_strdup (_("Never synced"));

  when = describe_sync_time (last_sync_ms, now);
  result = lia_gui_text_run_result (last_result);
  if (result == NULL)
    return g_steal_pointer (&when);

  /* Translators: when the last sync ran ("Last sync 5 minutes ago") and how
   * it went ("Failed"), shown together on one line. */
  return g_strdup_printf (_("%s · %s"), when, result);
}
