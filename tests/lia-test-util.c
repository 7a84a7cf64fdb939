/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-test"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "lia-test-util.h"

static GPtrArray *tmpdirs;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_tmpdirs (void)
{
  for (guint i = 0; tmpdirs != NULL && i < tmpdirs->len; i++)
    remove_tree (g_ptr_array_index (tmpdirs, i));
  g_clear_pointer (&tmpdirs, g_ptr_array_unref);
}

void
lia_test_init (int    *argc,
               char ***argv)
{
  g_test_init (argc, argv, NULL);
  atexit (remove_tmpdirs);
}

/* A fresh directory, removed when the test program ends. */
char *
lia_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("liaison-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (tmpdirs == NULL)
    tmpdirs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (tmpdirs, g_strdup (dir));
  return dir;
}

char *
lia_test_db_path (void)
{
  g_autofree char *dir = lia_test_tmpdir ();

  return g_build_filename (dir, "liaison.db", NULL);
}

/* Whether the file's bytes hold @needle anywhere. */
gboolean
lia_test_file_contains (const char *path,
                        const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

LiaConfig *
lia_test_config (const char        *json,
                 LiaConfigSecrets **out_secrets)
{
  g_autoptr(GError) error = NULL;
  LiaConfig *config = lia_config_parse_data (json, -1, out_secrets, &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  return config;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &size) : NULL;

  return data ? g_strndup (data, size) : g_strdup ("");
}

/* Runs liaison-cli (from $LIAISON_CLI) with @args, @input on its standard
 * input, and @env added to the environment ("NAME=value" strings). */
LiaTestResult *
lia_test_cli_env (const char **env,
                  const char  *input,
                  const char **args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) out_bytes = NULL;
  g_autoptr(GBytes) err_bytes = NULL;
  LiaTestResult *result = g_new0 (LiaTestResult, 1);
  const char *cli = g_getenv ("LIAISON_CLI");

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1] ? pair[1] : "", TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* No input is an empty, closed standard input. */
  stdin_bytes = g_bytes_new (input, input ? strlen (input) : 0);
  g_subprocess_communicate (process, stdin_bytes, NULL, &out_bytes, &err_bytes, &error);
  g_assert_no_error (error);

  if (g_subprocess_get_if_exited (process))
    result->status = g_subprocess_get_exit_status (process);
  else
    result->status = 128 + g_subprocess_get_term_sig (process);
  result->out = bytes_to_string (out_bytes);
  result->err = bytes_to_string (err_bytes);
  return result;
}

/* Runs liaison-cli --db @db_path ARGS…, NULL-terminated. */
LiaTestResult *
lia_test_cli (const char *db_path,
              const char *input,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  if (db_path != NULL)
    {
      g_ptr_array_add (args, (char *) "--db");
      g_ptr_array_add (args, (char *) db_path);
    }
  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return lia_test_cli_env (NULL, input, (const char **) args->pdata);
}

void
lia_test_result_free (LiaTestResult *result)
{
  if (result == NULL)
    return;
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}
