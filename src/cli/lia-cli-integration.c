/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-cli"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lia-cli.h"
#include "lia-integration-store.h"
#include "lia-kind.h"
#include "lia-time.h"
#include "lia-util.h"

/* Helpers */

static JsonNode *
build_time_node (gint64 unix_ms)
{
  g_autofree char *iso = NULL;

  if (unix_ms <= 0)
    return json_node_new (JSON_NODE_NULL);
  iso = lia_time_to_iso8601 (unix_ms / 1000);
  return json_node_init_string (json_node_alloc (), iso);
}

/* The summary shape of `integration list --json`. */
static void
add_summary_members (JsonBuilder    *builder,
                     LiaIntegration *integration)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, integration->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, integration->name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, lia_kind_get (integration->kind)->id);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, integration->enabled);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, integration->status);
  json_builder_set_member_name (builder, "lastSync");
  json_builder_add_value (builder, build_time_node (integration->last_sync));
  json_builder_set_member_name (builder, "lastResult");
  if (integration->last_result != NULL)
    json_builder_add_string_value (builder, integration->last_result);
  else
    json_builder_add_null_value (builder);
}

static LiaIntegration *
load_integration (LiaCliCommon  *common,
                  const char    *id_text,
                  LiaDatabase  **out_db,
                  int           *out_status)
{
  g_autoptr(LiaDatabase) db = NULL;
  GError *error = NULL;
  LiaIntegration *integration = NULL;
  gint64 id;

  *out_status = LIA_EXIT_FAILURE;
  if (!lia_cli_parse_id_arg (id_text, &id))
    {
      *out_status = LIA_EXIT_USAGE;
      return NULL;
    }

  db = lia_cli_open_database (common, &error);
  if (db != NULL)
    integration = lia_integration_store_get (db, id, &error);
  if (error != NULL)
    {
      *out_status = lia_cli_fail (error);
      return NULL;
    }

  if (out_db != NULL)
    *out_db = g_steal_pointer (&db);
  return integration;
}

/* Reads a secret from standard input: the whole input without its final
 * line end, or one line typed with echo off on a terminal. The buffer is
 * wiped as it goes. */
static char *
read_secret_from_stdin (const char *field)
{
  gboolean tty = isatty (STDIN_FILENO);
  struct termios saved, quiet;
  g_autoptr(GString) value = g_string_sized_new (256);
  int c;

  if (tty)
    {
      g_printerr (_("Value for %s (input hidden): "), field);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  while ((c = getchar ()) != EOF && !(tty && c == '\n'))
    {
      if (value->len + 1 >= value->allocated_len)
        {
          /* Grow by hand so the old buffer is wiped, not just freed. */
          GString *bigger = g_string_sized_new (value->allocated_len * 2);
          g_string_append_len (bigger, value->str, value->len);
          explicit_bzero (value->str, value->allocated_len);
          g_string_free (value, TRUE);
          value = bigger;
        }
      g_string_append_c (value, (char) c);
    }

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  if (value->len > 0 && value->str[value->len - 1] == '\n')
    g_string_truncate (value, value->len - 1);
  if (value->len > 0 && value->str[value->len - 1] == '\r')
    g_string_truncate (value, value->len - 1);

  return g_string_free (g_steal_pointer (&value), FALSE);
}

/* Commands */

static int
run_import (LiaCliCommon  *common,
            int            argc,
            char         **argv)
{
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  g_autofree char *data = NULL;
  GError *error = NULL;
  gsize length;
  gint64 id;

  if (!lia_cli_parse ("integration import FILE|-",
                      N_("Validates an integration config (JSON), stores it and moves its secrets to the keyring.\n"
                         "Prints the new integration’s id."),
                      NULL, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("integration import: give one FILE, or - for standard input"));

  data = lia_cli_read_input (argv[1], &length, &error);
  if (data == NULL)
    return lia_cli_fail (error);

  config = lia_config_parse_data (data, length, &secrets, &error);
  explicit_bzero (data, length);
  if (config == NULL)
    return lia_cli_fail (error);

  db = lia_cli_open_database (common, &error);
  if (db == NULL)
    return lia_cli_fail (error);

  id = lia_integration_store_add (db, config, secrets, &error);
  if (id == 0)
    return lia_cli_fail (error);

  if (common->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, id);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      lia_cli_print_json (root);
    }
  else
    g_print ("%" PRId64 "\n", id);

  return LIA_EXIT_OK;
}

static int
run_export (LiaCliCommon  *common,
            int            argc,
            char         **argv)
{
  g_autoptr(LiaIntegration) integration = NULL;
  g_autofree char *text = NULL;
  int status;

  if (!lia_cli_parse ("integration export ID",
                      N_("Prints an integration’s config as JSON, without its secrets."),
                      NULL, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("integration export: give one integration ID"));

  integration = load_integration (common, argv[1], NULL, &status);
  if (integration == NULL)
    return status;

  text = lia_config_to_string (integration->config, TRUE);
  g_print ("%s\n", text);
  return LIA_EXIT_OK;
}

static int
run_list (LiaCliCommon  *common,
          int            argc,
          char         **argv)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(GPtrArray) list = NULL;
  GError *error = NULL;

  if (!lia_cli_parse ("integration list", N_("Lists the integrations."),
                      NULL, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 1)
    return lia_cli_usage (_("integration list takes no arguments"));

  db = lia_cli_open_database (common, &error);
  if (db != NULL)
    list = lia_integration_store_list (db, &error);
  if (error != NULL)
    return lia_cli_fail (error);

  if (common->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < list->len; i++)
        {
          json_builder_begin_object (builder);
          add_summary_members (builder, g_ptr_array_index (list, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      lia_cli_print_json (root);
      return LIA_EXIT_OK;
    }

  if (list->len == 0)
    {
      g_print ("%s\n", _("No integrations. Add one with “liaison-cli integration import FILE”."));
      return LIA_EXIT_OK;
    }

  g_print ("%-5s %-30s %-8s %-13s %s\n", _("ID"), _("NAME"), _("KIND"), _("STATUS"), _("LAST SYNC"));
  for (guint i = 0; i < list->len; i++)
    {
      LiaIntegration *integration = g_ptr_array_index (list, i);
      g_autofree char *last = lia_cli_format_time (integration->last_sync);

      g_print ("%-5" PRId64 " %-30s %-8s %-13s %s%s%s%s\n",
               integration->id, integration->name, lia_kind_get (integration->kind)->id,
               integration->status, last,
               integration->last_result ? " (" : "",
               integration->last_result ? integration->last_result : "",
               integration->last_result ? ")" : "");
    }
  return LIA_EXIT_OK;
}

static int
run_show (LiaCliCommon  *common,
          int            argc,
          char         **argv)
{
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree const char **fields = NULL;
  int status;

  if (!lia_cli_parse ("integration show ID", N_("Shows one integration, its status and which secrets are stored."),
                      NULL, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("integration show: give one integration ID"));

  integration = load_integration (common, argv[1], &db, &status);
  if (integration == NULL)
    return status;

  fields = lia_config_secret_fields (integration->config);

  json_builder_begin_object (builder);
  add_summary_members (builder, integration);
  json_builder_set_member_name (builder, "createdAt");
  json_builder_add_value (builder, build_time_node (integration->created_at));
  json_builder_set_member_name (builder, "updatedAt");
  json_builder_add_value (builder, build_time_node (integration->updated_at));
  json_builder_set_member_name (builder, "secrets");
  json_builder_begin_object (builder);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean present = FALSE;

      /* Show what it can: a missing keyring does not hide the config. */
      json_builder_set_member_name (builder, fields[i]);
      if (lia_integration_store_has_secret (db, integration->id, fields[i], &present, &error))
        json_builder_add_string_value (builder, present ? "stored" : "missing");
      else
        json_builder_add_string_value (builder, "unavailable");
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "config");
  json_builder_add_value (builder, lia_config_to_json (integration->config));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  if (common->json)
    {
      lia_cli_print_json (root);
      return LIA_EXIT_OK;
    }
  else
    {
      JsonObject *object = json_node_get_object (root);
      JsonObject *secrets = json_object_get_object_member (object, "secrets");
      g_autoptr(GList) names = json_object_get_members (secrets);
      g_autofree char *last = lia_cli_format_time (integration->last_sync);
      g_autofree char *created = lia_cli_format_time (integration->created_at);
      g_autofree char *config = lia_config_to_string (integration->config, TRUE);

      g_print ("%-11s %" PRId64 "\n", _("ID:"), integration->id);
      g_print ("%-11s %s\n", _("Name:"), integration->name);
      g_print ("%-11s %s\n", _("Kind:"), lia_kind_get (integration->kind)->id);
      g_print ("%-11s %s\n", _("Enabled:"), integration->enabled ? _("yes") : _("no"));
      g_print ("%-11s %s\n", _("Status:"), integration->status);
      g_print ("%-11s %s%s%s%s\n", _("Last sync:"), last,
               integration->last_result ? " (" : "",
               integration->last_result ? integration->last_result : "",
               integration->last_result ? ")" : "");
      g_print ("%-11s %s\n", _("Created:"), created);
      for (GList *l = names; l != NULL; l = l->next)
        g_print ("%-11s %s %s\n", l == names ? _("Secrets:") : "", (const char *) l->data,
                 json_object_get_string_member (secrets, l->data));
      g_print ("%s\n%s\n", _("Config:"), config);
    }

  return LIA_EXIT_OK;
}

static int
run_remove (LiaCliCommon  *common,
            int            argc,
            char         **argv)
{
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  GError *error = NULL;
  int status;

  if (!lia_cli_parse ("integration remove ID",
                      N_("Removes an integration with its synced data, its history and its keyring items."),
                      NULL, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("integration remove: give one integration ID"));

  integration = load_integration (common, argv[1], &db, &status);
  if (integration == NULL)
    return status;

  if (!lia_integration_store_remove (db, integration->id, &error))
    return lia_cli_fail (error);

  g_print (_("Removed integration %" PRId64 " (%s) with its data, history and secrets.\n"),
           integration->id, integration->name);
  return LIA_EXIT_OK;
}

static int
set_enabled (LiaCliCommon  *common,
             int            argc,
             char         **argv,
             gboolean       enabled)
{
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  GError *error = NULL;
  int status;

  if (!lia_cli_parse (enabled ? "integration enable ID" : "integration disable ID",
                      enabled ? N_("Enables an integration: it syncs on its schedule.")
                              : N_("Disables an integration: it keeps its data but no longer syncs."),
                      NULL, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("give one integration ID"));

  integration = load_integration (common, argv[1], &db, &status);
  if (integration == NULL)
    return status;

  if (!lia_integration_store_set_enabled (db, integration->id, enabled, &error))
    return lia_cli_fail (error);

  g_print (enabled ? _("Integration %" PRId64 " (%s) is enabled.\n")
                   : _("Integration %" PRId64 " (%s) is disabled.\n"),
           integration->id, integration->name);
  return LIA_EXIT_OK;
}

static int
run_enable (LiaCliCommon  *common,
            int            argc,
            char         **argv)
{
  return set_enabled (common, argc, argv, TRUE);
}

static int
run_disable (LiaCliCommon  *common,
             int            argc,
             char         **argv)
{
  return set_enabled (common, argc, argv, FALSE);
}

static int
run_set_secret (LiaCliCommon  *common,
                int            argc,
                char         **argv)
{
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaSecret) value = NULL;
  GError *error = NULL;
  const char *field;
  int status;

  if (!lia_cli_parse ("integration set-secret ID FIELD",
                      N_("Stores a secret field (apiKey, password or oauth.clientSecret) in the keyring.\n"
                         "The value is read from standard input, never from the command line."),
                      NULL, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 3)
    return lia_cli_usage (_("integration set-secret: give an integration ID and a FIELD"));
  field = argv[2];

  integration = load_integration (common, argv[1], &db, &status);
  if (integration == NULL)
    return status;

  if (!lia_config_uses_secret (integration->config, field))
    {
      g_autofree const char **uses = lia_config_secret_fields (integration->config);
      g_autofree char *known = g_strjoinv (", ", (char **) uses);

      return lia_cli_usage (_("%s: not a secret this integration uses (it uses: %s)"),
                            field, *known ? known : _("none"));
    }

  value = read_secret_from_stdin (field);
  if (*value == '\0')
    return lia_cli_usage (_("%s: the value read from standard input is empty"), field);

  if (!lia_integration_store_set_secret (db, integration->id, field, value, &error))
    return lia_cli_fail (error);

  g_print (_("Stored %s for integration %" PRId64 " in the keyring.\n"), field, integration->id);
  return LIA_EXIT_OK;
}

static const LiaCliCommand commands[] = {
  { "import", "import FILE|-", N_("Add an integration from a JSON config"), run_import },
  { "export", "export ID", N_("Print an integration’s config, without secrets"), run_export },
  { "list", "list [--json]", N_("List the integrations"), run_list },
  { "show", "show ID [--json]", N_("Show one integration"), run_show },
  { "remove", "remove ID", N_("Remove an integration, its data and its secrets"), run_remove },
  { "enable", "enable ID", N_("Enable an integration"), run_enable },
  { "disable", "disable ID", N_("Disable an integration"), run_disable },
  { "set-secret", "set-secret ID FIELD", N_("Store a secret read from standard input"), run_set_secret },
};

int
lia_cli_integration (LiaCliCommon  *common,
                     int            argc,
                     char         **argv)
{
  return lia_cli_dispatch ("integration", commands, G_N_ELEMENTS (commands), common, argc, argv);
}
