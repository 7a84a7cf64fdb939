/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "lia-cli.h"
#include "lia-config.h"
#include "lia-oauth.h"
#include "lia-time.h"
#include "lia-util.h"

/* Config files are small; anything bigger is a mistake, not a config. */
#define MAX_INPUT_BYTES (16 * 1024 * 1024)

static void
print_error_lines (const char *message)
{
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_printerr ("liaison-cli: %s\n", lines[i]);
}

/* Runs the command of @commands named by argv[1]. */
int
lia_cli_dispatch (const char          *group,
                  const LiaCliCommand *commands,
                  guint                n_commands,
                  LiaCliCommon        *common,
                  int                  argc,
                  char               **argv)
{
  const char *name = argc > 1 ? argv[1] : NULL;

  if (name == NULL || g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      FILE *out = name == NULL ? stderr : stdout;

      fprintf (out, _("Usage: liaison-cli %s COMMAND [OPTION…]\n\nCommands:\n"), group);
      for (guint i = 0; i < n_commands; i++)
        fprintf (out, "  %-32s %s\n", commands[i].parameters, _(commands[i].summary));
      fprintf (out, _("\nRun “liaison-cli %s COMMAND --help” for a command’s options.\n"), group);
      return name == NULL ? LIA_EXIT_USAGE : LIA_EXIT_OK;
    }

  for (guint i = 0; i < n_commands; i++)
    if (g_str_equal (commands[i].name, name))
      return commands[i].run (common, argc - 1, argv + 1);

  return lia_cli_usage (_("“%s %s” is not a command; see “liaison-cli %s --help”"), group, name, group);
}

/* Parses a command's options, with --db (and --json) added. Prints the
 * error and returns FALSE on bad usage. */
gboolean
lia_cli_parse (const char     *parameters,
               const char     *summary,
               GOptionEntry   *entries,
               LiaCliCommon   *common,
               gboolean        with_json,
               int            *argc,
               char         ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;
  GOptionEntry common_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &common->db_path,
      N_("Use the database at PATH (default: $LIAISON_DB, or the user’s data folder)"), N_("PATH") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &common->json,
      N_("Print JSON (the shapes are documented in liaison-cli(1))"), NULL },
    { NULL }
  };

  if (!with_json)
    common_entries[1] = (GOptionEntry) { NULL };

  g_option_context_set_summary (context, _(summary));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      lia_cli_usage ("%s", error->message);
      return FALSE;
    }
  return TRUE;
}

LiaDatabase *
lia_cli_open_database (LiaCliCommon  *common,
                       GError       **error)
{
  g_autofree char *path = lia_database_resolve_path (common->db_path);

  return lia_database_open (path, error);
}

/* Prints @error as one line per message line and returns the exit status
 * it calls for: bad input is 2, anything else 1. Takes @error. */
int
lia_cli_fail (GError *error)
{
  int status = LIA_EXIT_FAILURE;

  g_return_val_if_fail (error != NULL, LIA_EXIT_FAILURE);

  if (error->domain == LIA_CONFIG_ERROR ||
      error->domain == LIA_TIME_ERROR ||
      g_error_matches (error, LIA_OAUTH_ERROR, LIA_OAUTH_ERROR_CONFIG) ||
      g_error_matches (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_NOT_FOUND))
    status = LIA_EXIT_USAGE;

  print_error_lines (error->message);
  g_error_free (error);
  return status;
}

int
lia_cli_usage (const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  print_error_lines (message);
  return LIA_EXIT_USAGE;
}

gboolean
lia_cli_parse_id_arg (const char *text,
                      gint64     *out_id)
{
  if (lia_parse_id (text, out_id))
    return TRUE;
  lia_cli_usage (_("“%s” is not an integration id (a positive whole number)"), text ? text : "");
  return FALSE;
}

void
lia_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* A moment for people: local time, to the second. */
char *
lia_cli_format_time (gint64 unix_ms)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_ms <= 0)
    return g_strdup (_("never"));
  time = g_date_time_new_from_unix_local (unix_ms / 1000);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

static gboolean
cancel_on_signal_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

/* Runs @loop until it quits, with Ctrl+C (SIGINT) and SIGTERM cancelling
 * @cancellable meanwhile: the command's task stops at its next safe point
 * and reports that it was cancelled. */
void
lia_cli_run_cancellable (GMainLoop    *loop,
                         GCancellable *cancellable)
{
  guint sigint = g_unix_signal_add (SIGINT, cancel_on_signal_cb, cancellable);
  guint sigterm = g_unix_signal_add (SIGTERM, cancel_on_signal_cb, cancellable);

  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
}

/* Reads a whole file, or standard input when @path is "-". */
char *
lia_cli_read_input (const char  *path,
                    gsize       *out_length,
                    GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  guint8 chunk[8192];
  gssize n_read;

  if (!g_str_equal (path, "-"))
    {
      char *contents = NULL;

      if (!g_file_get_contents (path, &contents, out_length, error))
        return NULL;
      if (*out_length > MAX_INPUT_BYTES)
        {
          g_free (contents);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s is larger than %d MiB"), path, MAX_INPUT_BYTES / (1024 * 1024));
          return NULL;
        }
      return contents;
    }

  stream = g_unix_input_stream_new (0, FALSE);
  buffer = g_byte_array_new ();
  while ((n_read = g_input_stream_read (stream, chunk, sizeof chunk, NULL, error)) > 0)
    {
      if (buffer->len + n_read > MAX_INPUT_BYTES)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Standard input is larger than %d MiB"), MAX_INPUT_BYTES / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (buffer, chunk, n_read);
    }
  if (n_read < 0)
    return NULL;

  *out_length = buffer->len;
  g_byte_array_append (buffer, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&buffer), FALSE);
}
