/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-gui-text"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

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
  else if (g_str_equal (status, LIA_GUI_STATUS_SYNCING))
    {
      label = _("Syncing");
      style_class = "accent";
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

/* When the scheduler syncs next: "Next sync in 25 minutes". @next_ms is
 * Unix ms, 0 when the sync is due now, and negative when nothing is
 * scheduled. Rounded up, so "in 1 minute" never shows a sync that is
 * late. */
char *
lia_gui_text_next_sync (gint64     next_ms,
                        GDateTime *now)
{
  gint64 seconds;
  gint64 minutes;
  gint64 hours;
  gint64 days;

  g_return_val_if_fail (now != NULL, NULL);

  if (next_ms < 0)
    return g_strdup (_("Not scheduled"));

  seconds = next_ms / 1000 - g_date_time_to_unix (now);
  if (seconds <= 0)
    return g_strdup (_("Next sync due now"));

  minutes = (seconds + 59) / 60;
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Next sync in %d minute",
                                         "Next sync in %d minutes", minutes),
                            (int) minutes);

  /* To the nearest hour, or day: the minutes no longer matter. */
  hours = (minutes + 30) / 60;
  if (hours < 24)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Next sync in %d hour",
                                         "Next sync in %d hours", hours),
                            (int) hours);

  days = (hours + 12) / 24;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Next sync in %d day",
                                       "Next sync in %d days", days),
                          (int) days);
}

/* "1,200 records", grouped as the locale groups digits. */
char *
lia_gui_text_records (gint64 records)
{
  g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, records);

  /* Translators: %s is a number of records, digits already grouped. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record", "%s records", records),
                          number);
}

/* A running sync's records so far: "1,200 records", or with what the last
 * successful sync brought, "1,200 of about 4,000 records". */
char *
lia_gui_text_progress (gint64 records,
                       gint64 expected)
{
  g_autofree char *number = NULL;
  g_autofree char *of = NULL;

  if (expected <= 0)
    return lia_gui_text_records (records);

  number = g_strdup_printf ("%'" G_GINT64_FORMAT, records);
  of = g_strdup_printf ("%'" G_GINT64_FORMAT, expected);
  /* Translators: a sync's progress; the first %s is the records so far,
   * the second what the last successful sync brought, digits grouped. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of about %s record", "%s of about %s records", expected),
                          number, of);
}

/* One line about a connection test, from the fields of a
 * LiaConnectionTest: "Connected (HTTP 200, 35 ms)", or the error's code,
 * what happened and what to do: "CONNECTION_ERROR: … — …". */
char *
lia_gui_text_connection_test (guint       http_status,
                              gint64      response_ms,
                              const char *code,
                              const char *message,
                              const char *hint)
{
  if (code == NULL && http_status != 0)
    /* Translators: a successful connection test; %u is an HTTP status
     * such as 200, and the number after it milliseconds. */
    return g_strdup_printf (_("Connected (HTTP %u, %" PRId64 " ms)"), http_status, response_ms);

  if (code == NULL)
    /* Translators: a successful test without HTTP, such as a readable
     * folder: what was found, then milliseconds. */
    return g_strdup_printf (_("%s (%" PRId64 " ms)"),
                            message != NULL ? message : _("Connected"), response_ms);

  if (hint != NULL && *hint != '\0')
    /* Translators: a failed connection test: an error code such as
     * CONNECTION_ERROR (keep it as it is), what happened, what to do. */
    return g_strdup_printf (_("%s: %s — %s"), code, message, hint);

  /* Translators: a failed connection test: an error code such as
   * CONNECTION_ERROR (keep it as it is), then what happened. */
  return g_strdup_printf (_("%s: %s"), code, message);
}

/* Folds @text for searching: lower case, and letters with accents taken
 * to their plain form where a plain form exists ("Zoë" → "zoe"). */
static char *
fold_for_search (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, NULL);

  return g_ascii_strdown (ascii, -1);
}

static gboolean
contains_every_word (const char *query,
                     const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (query, " \t", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && strstr (text, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* Whether a search for @query finds @text: each word of the query is a
 * part of the text, ignoring case and accents. Scripts that have no
 * ASCII form are compared case-folded instead. */
gboolean
lia_gui_text_matches (const char *query,
                      const char *text)
{
  g_autofree char *folded_query = NULL;
  g_autofree char *folded_text = NULL;
  g_autofree char *normal_query = NULL;
  g_autofree char *normal_text = NULL;

  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  folded_query = fold_for_search (query);
  /* A character without an ASCII form becomes "?", which would match
   * any other such character. */
  if (strchr (folded_query, '?') == NULL || strchr (query, '?') != NULL)
    {
      folded_text = fold_for_search (text);
      if (contains_every_word (folded_query, folded_text))
        return TRUE;
    }

  normal_query = g_utf8_casefold (query, -1);
  normal_text = g_utf8_casefold (text, -1);
  g_free (folded_query);
  g_free (folded_text);
  folded_query = g_utf8_normalize (normal_query, -1, G_NORMALIZE_ALL);
  folded_text = g_utf8_normalize (normal_text, -1, G_NORMALIZE_ALL);
  return folded_query != NULL && folded_text != NULL &&
         contains_every_word (folded_query, folded_text);
}
