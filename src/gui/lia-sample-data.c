/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-sample-data"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "lia-config.h"
#include "lia-database.h"
#include "lia-integration-store.h"
#include "lia-sample-data.h"

/* "Explore with Sample Data": the sample school is copied to the user's
 * data folder, so that the integration's folder stays valid whatever
 * happens to the installed copy, and added as a file integration. The
 * caller syncs it. Everything runs in a worker thread. */

/* --- Helpers ------------------------------------------------------------- */

/* Copies the regular files of @source into @target, replacing what is
 * there. */
static gboolean
copy_folder (const char    *source,
             const char    *target,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_mkdir_with_parents (target, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), target, g_strerror (saved_errno));
      return FALSE;
    }

  dir = g_dir_open (source, 0, error);
  if (dir == NULL)
    return FALSE;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *from_path = g_build_filename (source, name, NULL);
      g_autofree char *to_path = g_build_filename (target, name, NULL);
      g_autoptr(GFile) from = NULL;
      g_autoptr(GFile) to = NULL;

      if (!g_file_test (from_path, G_FILE_TEST_IS_REGULAR))
        continue;
      from = g_file_new_for_path (from_path);
      to = g_file_new_for_path (to_path);
      if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static void
install_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *database_path = task_data;
  g_autofree char *source = NULL;
  g_autofree char *target = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *template_json = NULL;
  g_autofree char *json = NULL;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(LiaConfigSecrets) secrets = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  gsize length = 0;
  GError *error = NULL;
  gint64 id;

  source = lia_sample_data_find_source (&error);
  if (source == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  target = g_build_filename (g_get_user_data_dir (), "liaison", "sample", NULL);
  g_debug ("Copying the sample school from %s to %s", source, target);
  config_path = g_build_filename (target, LIA_SAMPLE_CONFIG_FILE, NULL);
  if (!copy_folder (source, target, cancellable, &error) ||
      !g_file_get_contents (config_path, &template_json, &length, &error) ||
      (json = lia_sample_data_build_config (template_json, length, target, &error)) == NULL ||
      (config = lia_config_parse_data (json, -1, &secrets, &error)) == NULL ||
      (db = lia_database_open (database_path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  id = lia_integration_store_add (db, config, secrets, &error);
  if (id <= 0)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, id);
}

/* --- Public API ---------------------------------------------------------- */

/* Where the sample school is: $LIAISON_SAMPLE_DIR when set (tests and
 * runs from the build tree set it to data/sample in the sources), else
 * the installed copy in the package data folder. */
char *
lia_sample_data_find_source (GError **error)
{
  const char *from_env = g_getenv ("LIAISON_SAMPLE_DIR");
  g_autofree char *dir = NULL;
  g_autofree char *config = NULL;

  if (from_env != NULL && *from_env != '\0')
    dir = g_strdup (from_env);
  else
    dir = g_build_filename (PKGDATADIR, "sample", NULL);

  config = g_build_filename (dir, LIA_SAMPLE_CONFIG_FILE, NULL);
  if (!g_file_test (config, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The sample school is not installed (no %s): reinstall Liaison, or set LIAISON_SAMPLE_DIR"),
                   config);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

/* The sample integration's config with its "folder" set to @folder, as
 * JSON text for lia_config_parse_data(). */
char *
lia_sample_data_build_config (const char  *template_json,
                              gssize       length,
                              const char  *folder,
                              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  JsonNode *root;

  g_return_val_if_fail (template_json != NULL, NULL);
  g_return_val_if_fail (folder != NULL && g_path_is_absolute (folder), NULL);

  if (!json_parser_load_from_data (parser, template_json, length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_SYNTAX,
                           _("The sample school’s configuration is not a JSON object"));
      return NULL;
    }
  json_object_set_string_member (json_node_get_object (root), "folder", folder);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Copies the sample school to $XDG_DATA_HOME/liaison/sample and adds its
 * integration to the database at @database_path. */
void
lia_sample_data_install_async (const char          *database_path,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (database_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, lia_sample_data_install_async);
  g_task_set_task_data (task, g_strdup (database_path), g_free);
  g_task_run_in_thread (task, install_thread);
}

/* The new integration's id, or 0 with @error set. */
gint64
lia_sample_data_install_finish (GAsyncResult  *result,
                                GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_sample_data_install_async, 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id < 0 ? 0 : id;
}
