/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-cli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "lia-cli.h"
#include "lia-data-query.h"
#include "lia-data-type.h"
#include "lia-history.h"
#include "lia-sync-error.h"
#include "lia-sync-runner.h"
#include "lia-time.h"
#include "lia-util.h"

/* `test`, `sync`, `history` and `data`: running syncs and reading what they
 * did and brought. */

/* Helpers */

static gboolean
parse_date_option (const char  *text,
                   const char  *option,
                   gboolean     end_of_day,
                   gint64      *out_unix)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return TRUE;
  if (lia_time_parse_cli_date (text, end_of_day, out_unix, &error))
    return TRUE;
  lia_cli_usage ("%s: %s", option, error->message);
  return FALSE;
}

static void
print_counts (const LiaSyncRun *run)
{
  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      const LiaSyncCounts *c = &run->counts[type];

      if (!(run->types & (1u << type)))
        continue;
      g_print (_("  %-11s %" PRId64 " processed: %" PRId64 " created, %" PRId64
                 " updated, %" PRId64 " unchanged, %" PRId64 " deleted, %" PRId64
                 " errors\n"),
               lia_data_type_to_string (type), c->processed, c->created, c->updated, c->unchanged,
               c->deleted, c->errors);
    }
}

static void
print_run (const LiaSyncRun *run,
           gboolean          with_errors)
{
  g_autofree char *started = lia_cli_format_time (run->started_at);

  if (run->id > 0)
    g_print (_("Run %" PRId64 " of “%s” (%s): %s"), run->id, run->integration_name, run->trigger, run->status);
  else
    g_print (_("Dry run of “%s”: %s"), run->integration_name, run->status);
  g_print (_(", started %s, %" PRId64 " ms, %" PRId64 " requests, %" PRId64 " bytes\n"),
           started, run->duration_ms, run->requests, run->bytes);
  if (run->message != NULL)
    g_print ("  %s\n", run->message);
  print_counts (run);

  for (guint i = 0; with_errors && i < run->errors->len; i++)
    {
      LiaSyncLogEntry *entry = g_ptr_array_index (run->errors, i);

      g_print ("  %s", entry->code);
      if (entry->data_type != NULL)
        g_print (" %s", entry->data_type);
      if (entry->external_id != NULL)
        g_print (" [%s]", entry->external_id);
      g_print (": %s\n", entry->message);
    }
  if (with_errors && run->error_total > (gint64) run->errors->len)
    g_print (_("  … and %" PRId64 " more errors\n"), run->error_total - (gint64) run->errors->len);
}

/* `sync`: an async run with a main loop, so that Ctrl+C cancels it at a
 * page boundary and the run is recorded as cancelled. */

typedef struct {
  GMainLoop    *loop;
  GCancellable *cancellable;
  LiaSyncRun   *run;
  GError       *error;
  gboolean      show_progress;
} SyncCall;

static void
on_progress_cb (const LiaSyncProgress *progress,
                gpointer               user_data)
{
  SyncCall *call = user_data;

  if (call->show_progress)
    g_printerr ("\r%-11s %" PRId64 " records, %u pages ",
                lia_data_type_to_string (progress->type), progress->records, progress->pages);
}

static void
on_sync_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SyncCall *call = user_data;

  call->run = lia_sync_finish (result, &call->error);
  g_main_loop_quit (call->loop);
}

int
lia_cli_sync (LiaCliCommon  *common,
              int            argc,
              char         **argv)
{
  g_auto(GStrv) types = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *db_path = NULL;
  gboolean dry_run = FALSE;
  LiaSyncOptions options = { 0 };
  SyncCall call = { 0 };
  int status;
  GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING_ARRAY, &types, N_("Sync only this data type (repeatable)"), N_("TYPE") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Compute the counts, write nothing"), NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Only records from DATE (ISO 8601, inclusive)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Only records up to DATE (inclusive: a date covers its whole day)"), N_("DATE") },
    { NULL }
  };

  if (!lia_cli_parse ("sync ID", N_("Syncs an integration now. Exit status: 0 success, 3 partial, 1 error."),
                      entries, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("sync: give one integration ID"));
  if (!lia_cli_parse_id_arg (argv[1], &options.integration_id))
    return LIA_EXIT_USAGE;
  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    {
      LiaDataType type;

      if (!lia_data_type_from_string (types[i], &type))
        {
          g_autofree char *known = lia_data_type_list ();
          return lia_cli_usage (_("--type: “%s” is not a data type (%s)"), types[i], known);
        }
      options.types |= 1u << type;
    }
  if (!parse_date_option (from_text, "--from", FALSE, &options.from) ||
      !parse_date_option (to_text, "--to", TRUE, &options.to))
    return LIA_EXIT_USAGE;
  if (options.from && options.to && options.from > options.to)
    return lia_cli_usage (_("--from: must not be after --to"));
  options.dry_run = dry_run;
  options.trigger = "cli";

  db_path = lia_database_resolve_path (common->db_path);
  call.loop = g_main_loop_new (NULL, FALSE);
  call.cancellable = g_cancellable_new ();
  call.show_progress = !common->json && isatty (STDERR_FILENO);

  lia_sync_async (db_path, &options, on_progress_cb, &call, call.cancellable, on_sync_done_cb, &call);
  lia_cli_run_cancellable (call.loop, call.cancellable);

  g_main_loop_unref (call.loop);
  g_object_unref (call.cancellable);
  if (call.show_progress)
    g_printerr ("\r\033[K");

  if (call.run == NULL)
    return lia_cli_fail (call.error);

  if (common->json)
    {
      g_autoptr(JsonNode) node = lia_sync_run_to_json (call.run);
      lia_cli_print_json (node);
    }
  else
    print_run (call.run, TRUE);

  if (g_str_equal (call.run->status, "success"))
    status = LIA_EXIT_OK;
  else if (g_str_equal (call.run->status, "partial"))
    status = LIA_EXIT_PARTIAL;
  else
    status = LIA_EXIT_FAILURE;
  lia_sync_run_free (call.run);
  return status;
}

int
lia_cli_test (LiaCliCommon  *common,
              int            argc,
              char         **argv)
{
  g_autofree char *db_path = NULL;
  LiaConnectionTest test = { 0 };
  GError *error = NULL;
  gint64 id;
  gboolean ok;

  if (!lia_cli_parse ("test ID", N_("Tests an integration’s connection: reachable or not, HTTP status, response time."),
                      NULL, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("test: give one integration ID"));
  if (!lia_cli_parse_id_arg (argv[1], &id))
    return LIA_EXIT_USAGE;

  db_path = lia_database_resolve_path (common->db_path);
  if (!lia_connection_test_blocking (db_path, id, &test, NULL, &error))
    return lia_cli_fail (error);
  ok = test.code == NULL;

  if (common->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, ok);
      json_builder_set_member_name (builder, "reachable");
      json_builder_add_boolean_value (builder, test.reachable);
      json_builder_set_member_name (builder, "httpStatus");
      if (test.http_status)
        json_builder_add_int_value (builder, test.http_status);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "responseMs");
      json_builder_add_int_value (builder, test.response_ms);
      json_builder_set_member_name (builder, "code");
      if (test.code)
        json_builder_add_string_value (builder, test.code);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, test.message);
      json_builder_set_member_name (builder, "hint");
      if (test.hint)
        json_builder_add_string_value (builder, test.hint);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      lia_cli_print_json (root);
    }
  else
    {
      if (ok)
        g_print (_("Connected"));
      else
        g_print ("%s: %s", test.code, test.message);
      if (test.http_status)
        g_print (_(" (HTTP %u, %" PRId64 " ms)\n"), test.http_status, test.response_ms);
      else
        g_print (_(" (%" PRId64 " ms)\n"), test.response_ms);
      if (test.hint)
        g_print ("%s\n", test.hint);
    }

  lia_connection_test_clear (&test);
  return ok ? LIA_EXIT_OK : LIA_EXIT_FAILURE;
}

/* `history` */

static int
run_history_show (LiaCliCommon  *common,
                  int            argc,
                  char         **argv)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaSyncRun) run = NULL;
  GError *error = NULL;
  gint64 id;

  if (!lia_cli_parse ("history show RUN", N_("Shows one sync run: its counts per data type and its errors."),
                      NULL, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2 || !lia_parse_id (argv[1], &id))
    return lia_cli_usage (_("history show: give one run id (a positive whole number)"));

  db = lia_cli_open_database (common, &error);
  if (db != NULL)
    run = lia_history_get (db, id, &error);
  if (run == NULL)
    return lia_cli_fail (error);

  if (common->json)
    {
      g_autoptr(JsonNode) node = lia_sync_run_to_json (run);
      lia_cli_print_json (node);
    }
  else
    print_run (run, TRUE);
  return LIA_EXIT_OK;
}

static int
run_history_prune (LiaCliCommon  *common,
                   int            argc,
                   char         **argv)
{
  g_autoptr(LiaDatabase) db = NULL;
  GError *error = NULL;
  int days = 0, keep = 0;
  gint64 deleted = 0;
  GOptionEntry entries[] = {
    { "older-than", 0, 0, G_OPTION_ARG_INT, &days, N_("Delete runs that started more than DAYS days ago"), N_("DAYS") },
    { "keep", 0, 0, G_OPTION_ARG_INT, &keep, N_("Keep only the newest N runs"), N_("N") },
    { NULL }
  };

  if (!lia_cli_parse ("history prune", N_("Deletes old sync history (never a running run)."),
                      entries, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 1)
    return lia_cli_usage (_("history prune takes no arguments"));
  if (days <= 0 && keep <= 0)
    return lia_cli_usage (_("history prune: give --older-than DAYS or --keep N (positive), or both"));
  if (days < 0 || keep < 0)
    return lia_cli_usage (_("history prune: DAYS and N must be positive"));

  db = lia_cli_open_database (common, &error);
  if (db == NULL ||
      !lia_history_prune (db, days > 0 ? lia_now_ms () - (gint64) days * 24 * 3600 * 1000 : 0, keep, &deleted, &error))
    return lia_cli_fail (error);

  g_print (_("Deleted %" PRId64 " runs.\n"), deleted);
  return LIA_EXIT_OK;
}

static int
run_history_list (LiaCliCommon  *common,
                  int            argc,
                  char         **argv)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autofree char *status = NULL;
  LiaHistoryFilter filter = { 0 };
  GError *error = NULL;
  int limit = 20;
  GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("Only runs with STATUS (success, partial, error, cancelled, running)"), N_("STATUS") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most N runs (default 20)"), N_("N") },
    { NULL }
  };
  static const char * const statuses[] = { "success", "partial", "error", "cancelled", "running", NULL };

  if (!lia_cli_parse ("history [ID]", N_("Lists sync runs, newest first.\n"
                                         "“history show RUN” shows one; “history prune” deletes old ones."),
                      entries, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc > 2)
    return lia_cli_usage (_("history: give at most one integration ID"));
  if (argc == 2 && !lia_cli_parse_id_arg (argv[1], &filter.integration_id))
    return LIA_EXIT_USAGE;
  if (status != NULL && !g_strv_contains (statuses, status))
    return lia_cli_usage (_("--status: must be one of success, partial, error, cancelled, running"));
  if (limit <= 0)
    return lia_cli_usage (_("--limit: must be a positive whole number"));
  filter.status = status;

  db = lia_cli_open_database (common, &error);
  if (db != NULL)
    runs = lia_history_list (db, &filter, 0, limit, common->json, &error);
  if (runs == NULL)
    return lia_cli_fail (error);

  if (common->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_sized_new (runs->len);

      for (guint i = 0; i < runs->len; i++)
        json_array_add_element (array, lia_sync_run_to_json (g_ptr_array_index (runs, i)));
      json_node_take_array (root, array);
      lia_cli_print_json (root);
      return LIA_EXIT_OK;
    }

  if (runs->len == 0)
    g_print ("%s\n", _("No sync runs."));
  for (guint i = 0; i < runs->len; i++)
    {
      LiaSyncRun *run = g_ptr_array_index (runs, i);
      g_autofree char *started = lia_cli_format_time (run->started_at);

      g_print ("%-7" PRId64 " %-19s %-24s %-9s %-10s %8" PRId64 " ms %6" PRId64 " errors\n",
               run->id, started, run->integration_name, run->trigger, run->status, run->duration_ms,
               run->error_total);
    }
  return LIA_EXIT_OK;
}

int
lia_cli_history (LiaCliCommon  *common,
                 int            argc,
                 char         **argv)
{
  if (argc > 1 && g_str_equal (argv[1], "show"))
    return run_history_show (common, argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "prune"))
    return run_history_prune (common, argc - 1, argv + 1);
  return run_history_list (common, argc, argv);
}

/* `data` */

typedef struct {
  gboolean  json;
  guint     count;
} DataPrint;

static gboolean
print_row_cb (JsonObject *row,
              gpointer    user_data)
{
  DataPrint *print = user_data;
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), row);
  g_autofree char *text = json_to_string (node, FALSE);

  if (print->json)
    g_print ("%s  %s", print->count ? ",\n" : "", text);
  else
    g_print ("%s\n", text);
  print->count++;
  return TRUE;
}

int
lia_cli_data (LiaCliCommon  *common,
              int            argc,
              char         **argv)
{
  g_autoptr(LiaDatabase) db = NULL;
  GError *error = NULL;
  gint64 integration_id = 0;
  LiaDataType type;
  DataPrint print = { 0 };
  GOptionEntry entries[] = {
    { "integration", 0, 0, G_OPTION_ARG_INT64, &integration_id, N_("Only records from integration ID"), N_("ID") },
    { NULL }
  };

  if (!lia_cli_parse ("data TYPE", N_("Prints the synced records of a data type: students, faculty, subjects,\n"
                                      "timetable, attendance, marks or custom."),
                      entries, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("data: give one data TYPE"));
  if (!lia_data_type_from_string (argv[1], &type))
    {
      g_autofree char *known = lia_data_type_list ();
      return lia_cli_usage (_("“%s” is not a data type (%s)"), argv[1], known);
    }
  if (integration_id < 0)
    return lia_cli_usage (_("--integration: must be a positive whole number"));

  db = lia_cli_open_database (common, &error);
  if (db == NULL)
    return lia_cli_fail (error);

  print.json = common->json;
  if (print.json)
    g_print ("[\n");
  if (!lia_data_foreach (db, type, integration_id, print_row_cb, &print, &error))
    return lia_cli_fail (error);
  if (print.json)
    g_print ("%s]\n", print.count ? "\n" : "");
  return LIA_EXIT_OK;
}
