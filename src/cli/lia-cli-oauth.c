/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "lia-cli.h"
#include "lia-oauth.h"
#include "lia-time.h"
#include "lia-util.h"

/* `oauth login | status | refresh | logout`. No token is ever printed. */

typedef struct {
  GMainLoop      *loop;
  GCancellable   *cancellable;
  gboolean        no_browser;
  gboolean        ok;
  LiaOAuthStatus  status;
  GError         *error;
} LoginCall;

/* The authorization URL: printed alone on standard output with
 * --no-browser (for a browser on another screen, or a test), else opened
 * in the user's browser through GIO (the portal inside a Flatpak). */
static void
on_url_cb (const char *url,
           gpointer    user_data)
{
  LoginCall *call = user_data;
  g_autoptr(GError) error = NULL;

  if (!call->no_browser && g_app_info_launch_default_for_uri (url, NULL, &error))
    {
      g_printerr ("%s\n", _("Finish signing in in your browser…"));
      return;
    }
  if (error != NULL)
    g_printerr (_("Cannot open a browser (%s). Open this address in one:\n"), error->message);
  g_print ("%s\n", url);
  fflush (stdout);
}

static void
on_login_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LoginCall *call = user_data;

  call->ok = lia_oauth_login_finish (result, &call->status, &call->error);
  g_main_loop_quit (call->loop);
}

static int
run_login (LiaCliCommon  *common,
           int            argc,
           char         **argv)
{
  g_autofree char *db_path = NULL;
  LoginCall call = { 0 };
  gboolean no_browser = FALSE;
  gint64 id;
  GOptionEntry entries[] = {
    { "no-browser", 0, 0, G_OPTION_ARG_NONE, &no_browser,
      N_("Print the sign-in address instead of opening a browser, and wait"), NULL },
    { NULL }
  };

  if (!lia_cli_parse ("oauth login ID", N_("Signs an OAuth integration in, in the browser."),
                      entries, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("oauth login: give one integration ID"));
  if (!lia_cli_parse_id_arg (argv[1], &id))
    return LIA_EXIT_USAGE;

  db_path = lia_database_resolve_path (common->db_path);
  call.loop = g_main_loop_new (NULL, FALSE);
  call.cancellable = g_cancellable_new ();
  call.no_browser = no_browser;

  lia_oauth_login_async (db_path, id, on_url_cb, &call, call.cancellable, on_login_done_cb, &call);
  lia_cli_run_cancellable (call.loop, call.cancellable);

  g_main_loop_unref (call.loop);
  g_object_unref (call.cancellable);

  if (!call.ok)
    return lia_cli_fail (call.error);

  g_printerr (_("Signed in as %s.\n"), call.status.account && *call.status.account ? call.status.account : _("(unknown)"));
  lia_oauth_status_clear (&call.status);
  return LIA_EXIT_OK;
}

static int
run_status (LiaCliCommon  *common,
            int            argc,
            char         **argv)
{
  g_autoptr(LiaDatabase) db = NULL;
  g_autofree char *expires = NULL;
  LiaOAuthStatus status = { 0 };
  GError *error = NULL;
  gint64 id;

  if (!lia_cli_parse ("oauth status ID", N_("Shows whether an integration is signed in, as whom, "
                                           "with which scopes, until when. Never a token."),
                      NULL, common, TRUE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("oauth status: give one integration ID"));
  if (!lia_cli_parse_id_arg (argv[1], &id))
    return LIA_EXIT_USAGE;

  db = lia_cli_open_database (common, &error);
  if (db == NULL || !lia_oauth_get_status (db, id, &status, &error))
    return lia_cli_fail (error);

  expires = status.expires_at > 0 ? lia_time_to_iso8601 (status.expires_at / 1000) : NULL;
  if (common->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "connected");
      json_builder_add_boolean_value (builder, status.connected);
      json_builder_set_member_name (builder, "needsSignIn");
      json_builder_add_boolean_value (builder, status.needs_signin);
      json_builder_set_member_name (builder, "account");
      if (status.account && *status.account)
        json_builder_add_string_value (builder, status.account);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "scopes");
      json_builder_begin_array (builder);
      if (status.scopes != NULL)
        {
          g_auto(GStrv) scopes = g_strsplit (status.scopes, " ", -1);
          for (guint i = 0; scopes[i] != NULL; i++)
            if (*scopes[i])
              json_builder_add_string_value (builder, scopes[i]);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "expiresAt");
      if (expires != NULL)
        json_builder_add_string_value (builder, expires);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      lia_cli_print_json (root);
    }
  else if (status.needs_signin)
    g_print ("%s\n", _("Needs sign-in: the provider no longer accepts this sign-in. Run “liaison-cli oauth login”."));
  else if (!status.connected)
    g_print ("%s\n", _("Not signed in."));
  else
    {
      g_print (_("Signed in as %s.\n"), status.account && *status.account ? status.account : _("(unknown)"));
      if (status.scopes != NULL)
        g_print (_("Scopes: %s\n"), status.scopes);
      if (expires != NULL)
        g_print (_("Access token expires at %s (it is renewed when needed).\n"), expires);
    }

  lia_oauth_status_clear (&status);
  return LIA_EXIT_OK;
}

static int
run_refresh (LiaCliCommon  *common,
             int            argc,
             char         **argv)
{
  g_autofree char *db_path = NULL;
  GError *error = NULL;
  gint64 id;

  if (!lia_cli_parse ("oauth refresh ID", N_("Gets a new access token with the stored refresh token."),
                      NULL, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("oauth refresh: give one integration ID"));
  if (!lia_cli_parse_id_arg (argv[1], &id))
    return LIA_EXIT_USAGE;

  db_path = lia_database_resolve_path (common->db_path);
  if (!lia_oauth_refresh (db_path, id, NULL, &error))
    return lia_cli_fail (error);
  g_print ("%s\n", _("The access token was renewed."));
  return LIA_EXIT_OK;
}

static int
run_logout (LiaCliCommon  *common,
            int            argc,
            char         **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *notice = NULL;
  GError *error = NULL;
  gint64 id;

  if (!lia_cli_parse ("oauth logout ID", N_("Revokes the sign-in at the provider, then deletes its tokens."),
                      NULL, common, FALSE, &argc, &argv))
    return LIA_EXIT_USAGE;
  if (argc != 2)
    return lia_cli_usage (_("oauth logout: give one integration ID"));
  if (!lia_cli_parse_id_arg (argv[1], &id))
    return LIA_EXIT_USAGE;

  db_path = lia_database_resolve_path (common->db_path);
  if (!lia_oauth_logout (db_path, id, &notice, NULL, &error))
    return lia_cli_fail (error);
  g_print ("%s\n", _("Signed out."));
  if (notice != NULL)
    g_print ("%s\n", notice);
  return LIA_EXIT_OK;
}

static const LiaCliCommand commands[] = {
  { "login", "login ID [--no-browser]", N_("Sign in, in the browser"), run_login },
  { "status", "status ID [--json]", N_("Show the sign-in (never a token)"), run_status },
  { "refresh", "refresh ID", N_("Renew the access token"), run_refresh },
  { "logout", "logout ID", N_("Revoke the sign-in and delete its tokens"), run_logout },
};

int
lia_cli_oauth (LiaCliCommon  *common,
               int            argc,
               char         **argv)
{
  return lia_cli_dispatch ("oauth", commands, G_N_ELEMENTS (commands), common, argc, argv);
}
