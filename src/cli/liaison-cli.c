/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "liaison-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "lia-cli.h"

static const LiaCliCommand groups[] = {
  { "integration", "integration COMMAND", N_("Add, inspect and remove integrations"), lia_cli_integration },
  { "test", "test ID [--json]", N_("Test an integration’s connection"), lia_cli_test },
  { "sync", "sync ID [--type TYPE]… [--dry-run]", N_("Sync an integration now"), lia_cli_sync },
  { "history", "history [ID] | show RUN | prune", N_("Read or prune the sync history"), lia_cli_history },
  { "data", "data TYPE [--integration ID]", N_("Print synced records"), lia_cli_data },
  { "export", "export moodle | ics … -o FILE", N_("Export attendance as Moodle CSV, or the timetable as iCalendar"), lia_cli_export },
  { "report", "report attendance [STUDENT_ID]", N_("Report attendance rates over a period, for HR"), lia_cli_report },
  { "oauth", "oauth login|status|refresh|logout ID", N_("Sign OAuth integrations in and out"), lia_cli_oauth },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: liaison-cli [--db PATH] COMMAND [OPTION…]"));
  fprintf (out, "%s\n\n", _("Connects a school’s systems: integrations, syncs, exports and sign-in, without a window."));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    fprintf (out, "  %-32s %s\n", groups[i].parameters, _(groups[i].summary));
  fprintf (out, "\n%s\n", _("Options:"));
  fprintf (out, "  %-32s %s\n", "--db PATH", _("Use the database at PATH (default: $LIAISON_DB, or the user’s data folder)"));
  fprintf (out, "  %-32s %s\n", "--version", _("Print the version"));
  fprintf (out, "  %-32s %s\n", "-h, --help", _("Show this help"));
  fprintf (out, "\n%s\n", _("Run “liaison-cli COMMAND --help” for a command’s options; see liaison-cli(1)."));
}

int
main (int    argc,
      char **argv)
{
  LiaCliCommon common = { 0 };
  int status;
  int i;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("liaison-cli");

  /* Options before the command; each command parses its own (and --db
   * again, so it may come anywhere). */
  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_usage (stdout);
          return LIA_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--version"))
        {
          g_print ("liaison-cli %s\n", PACKAGE_VERSION);
          return LIA_EXIT_OK;
        }
      else if (g_str_equal (argv[i], "--db") && i + 1 < argc)
        {
          g_free (common.db_path);
          common.db_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (common.db_path);
          common.db_path = g_strdup (argv[i] + strlen ("--db="));
        }
      else
        {
          g_free (common.db_path);
          return lia_cli_usage (_("Unknown option “%s”; see “liaison-cli --help”"), argv[i]);
        }
    }

  if (i == argc)
    {
      print_usage (stderr);
      return LIA_EXIT_USAGE;
    }

  status = -1;
  for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
    if (g_str_equal (groups[g].name, argv[i]))
      status = groups[g].run (&common, argc - i, argv + i);

  if (status == -1)
    status = lia_cli_usage (_("“%s” is not a command; see “liaison-cli --help”"), argv[i]);

  g_free (common.db_path);
  return status;
}
