/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-form-tasks"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "lia-data-type.h"
#include "lia-database.h"
#include "lia-form-tasks.h"
#include "lia-integration-store.h"
#include "lia-mapping.h"
#include "lia-secrets.h"
#include "lia-sync-error.h"

/* Each task copies what it needs on the main thread, and the worker opens
 * its own database connection and SoupSession (DESIGN.md, "Threading
 * rules"). */

typedef struct {
  char         *db_path;
  LiaFormModel *model;      /* a snapshot; its typed secrets are wiped when freed */
  LiaDataType   type;
  GFile        *file;
  gint64        integration_id;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->db_path);
  g_clear_pointer (&data->model, lia_form_model_free);
  g_clear_object (&data->file);
  g_free (data);
}

static GTask *
task_new (gpointer             source_tag,
          const char          *db_path,
          const LiaFormModel  *model,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  data->db_path = g_strdup (db_path);
  data->model = model != NULL ? lia_form_model_copy (model) : NULL;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  return task;
}

/* The rules the form breaks, one "path: rule" a line, as the config
 * reports them. */
static void
set_invalid_error (GError             **error,
                   const LiaFormCheck  *check)
{
  g_autoptr(GString) message = g_string_new (NULL);

  for (guint i = 0; i < lia_form_check_get_n_errors (check); i++)
    {
      const LiaFormError *problem = lia_form_check_get_nth_error (check, i);
      g_string_append_printf (message, "%s%s: %s", i > 0 ? "\n" : "", problem->path, problem->message);
    }
  g_set_error_literal (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_INVALID, message->str);
}

/* --- Loading an integration ---------------------------------------------- */

typedef struct {
  LiaFormModel   *model;
  LiaOAuthStatus  status;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  lia_form_model_free (loaded->model);
  lia_oauth_status_clear (&loaded->status);
  g_free (loaded);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(LiaDatabase) db = NULL;
  g_autoptr(LiaIntegration) integration = NULL;
  Loaded *loaded;
  GError *error = NULL;

  db = lia_database_open (data->db_path, &error);
  if (db != NULL)
    integration = lia_integration_store_get (db, data->integration_id, &error);
  if (integration == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  loaded = g_new0 (Loaded, 1);
  loaded->model = lia_form_model_new (integration->kind);
  loaded->model->integration_id = integration->id;
  lia_form_model_load (loaded->model, integration->config, NULL);

  /* The form shows "Stored" for these, and never their values. */
  for (guint i = 0; i < LIA_FORM_N_SECRETS; i++)
    {
      const char *field = lia_form_secret_field (i);

      if (lia_config_uses_secret (integration->config, field) &&
          !lia_integration_store_has_secret (db, integration->id, field, &loaded->model->stored[i], &error))
        {
          loaded_free (loaded);
          g_task_return_error (task, error);
          return;
        }
    }

  if (integration->config->auth_type == LIA_AUTH_OAUTH2 &&
      !lia_oauth_get_status (db, integration->id, &loaded->status, &error))
    {
      loaded_free (loaded);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

/* Reads integration @integration_id into a form model, with what the
 * keyring holds for it and, for OAuth, its sign-in. */
void
lia_form_load_async (const char          *db_path,
                     gint64               integration_id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (db_path != NULL);

  task = task_new (lia_form_load_async, db_path, NULL, cancellable, callback, user_data);
  ((TaskData *) g_task_get_task_data (task))->integration_id = integration_id;
  g_task_run_in_thread (task, load_thread);
}

/* @out_status (may be NULL) receives the OAuth sign-in; clear it with
 * lia_oauth_status_clear(). */
LiaFormModel *
lia_form_load_finish (GAsyncResult    *result,
                      LiaOAuthStatus  *out_status,
                      GError         **error)
{
  Loaded *loaded;
  LiaFormModel *model;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_form_load_async, NULL);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return NULL;

  model = g_steal_pointer (&loaded->model);
  if (out_status != NULL)
    {
      *out_status = loaded->status;
      memset (&loaded->status, 0, sizeof loaded->status);
    }
  loaded_free (loaded);
  return model;
}

/* --- Saving -------------------------------------------------------------- */

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(LiaFormCheck) check = NULL;
  g_autoptr(LiaDatabase) db = NULL;
  LiaConfig *config;
  GError *error = NULL;
  gint64 id = data->model->integration_id;

  /* Again with the files the form's own check leaves alone (caFile). */
  check = lia_form_model_check (data->model, LIA_FORM_BUILD_NONE);
  config = lia_form_check_get_config (check);
  if (config == NULL)
    {
      set_invalid_error (&error, check);
      g_task_return_error (task, error);
      return;
    }

  db = lia_database_open (data->db_path, &error);
  if (db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (id == 0)
    id = lia_integration_store_add (db, config, lia_form_check_get_secrets (check), &error);
  else if (!lia_integration_store_update (db, id, config, lia_form_check_get_secrets (check), &error))
    id = 0;

  if (id == 0)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&id, sizeof id), g_free);
}

/* Adds the form's integration, or updates it once it has an id. Only the
 * secrets typed in the form go to the keyring. */
void
lia_form_save_async (const char          *db_path,
                     const LiaFormModel  *model,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (model != NULL);

  task = task_new (lia_form_save_async, db_path, model, cancellable, callback, user_data);
  /* Once the transaction starts it ends, so the form knows what happened. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, save_thread);
}

/* The integration's id, or 0 with @error set. */
gint64
lia_form_save_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_autofree gint64 *id = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_form_save_async, 0);

  id = g_task_propagate_pointer (G_TASK (result), error);
  return id != NULL ? *id : 0;
}

/* --- A connector for an unsaved form ------------------------------------- */

typedef struct {
  const char *db_path;
  gint64      integration_id;
} TokenSource;

static char *
get_token_cb (gpointer       user_data,
              gboolean       force_refresh,
              GCancellable  *cancellable,
              GError       **error)
{
  TokenSource *source = user_data;
  g_autoptr(GError) local_error = NULL;
  char *token;

  if (source->integration_id == 0)
    {
      g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NEEDS_SIGNIN,
                           _("Save the integration and sign in first."));
      return NULL;
    }

  token = lia_oauth_get_access_token (source->db_path, source->integration_id, force_refresh,
                                      cancellable, &local_error);
  if (token != NULL)
    return token;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NEEDS_SIGNIN, local_error->message);
  return NULL;
}

/* The secret typed in the form, else the one the keyring holds. */
static char *
find_secret (const LiaFormModel  *model,
             const char          *db_path,
             LiaFormSecret        secret,
             GError             **error)
{
  g_autoptr(LiaDatabase) db = NULL;
  char *value;

  if (model->secrets[secret] != NULL)
    return lia_secret_dup (model->secrets[secret]);

  if (model->integration_id != 0 && model->stored[secret])
    {
      db = lia_database_open (db_path, error);
      if (db == NULL)
        return NULL;
      value = lia_secrets_lookup (lia_database_get_id (db), model->integration_id,
                                  lia_form_secret_field (secret), NULL, error);
      if (value != NULL || (error != NULL && *error != NULL))
        return value;
    }

  g_set_error_literal (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_CREDENTIALS,
                       secret == LIA_FORM_SECRET_PASSWORD ? _("Type the password first.")
                                                          : _("Type the token first."));
  return NULL;
}

static LiaCredentials *
find_credentials (const LiaFormModel  *model,
                  const char          *db_path,
                  GError             **error)
{
  g_autoptr(LiaCredentials) credentials = g_new0 (LiaCredentials, 1);

  if (lia_form_model_needs_secret (model, LIA_FORM_SECRET_API_KEY))
    {
      credentials->api_key = find_secret (model, db_path, LIA_FORM_SECRET_API_KEY, error);
      if (credentials->api_key == NULL)
        return NULL;
    }
  if (lia_form_model_needs_secret (model, LIA_FORM_SECRET_PASSWORD))
    {
      credentials->password = find_secret (model, db_path, LIA_FORM_SECRET_PASSWORD, error);
      if (credentials->password == NULL)
        return NULL;
    }
  return g_steal_pointer (&credentials);
}

/* The form's config, checked in full, or NULL with the rules it breaks. */
static LiaConfig *
check_config (const LiaFormModel  *model,
              GError             **error)
{
  g_autoptr(LiaFormCheck) check = lia_form_model_check (model, LIA_FORM_BUILD_NONE);
  LiaConfig *config = lia_form_check_get_config (check);

  if (config == NULL)
    {
      set_invalid_error (error, check);
      return NULL;
    }
  return lia_config_ref (config);
}

/* --- Testing the connection ---------------------------------------------- */

static void
connection_test_free (LiaConnectionTest *test)
{
  lia_connection_test_clear (test);
  g_free (test);
}

static void
test_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(GError) credentials_error = NULL;
  TokenSource token_source = { data->db_path, data->model->integration_id };
  LiaHttpOptions options = { cancellable, 0, get_token_cb, &token_source };
  LiaConnectionTest *result = g_new0 (LiaConnectionTest, 1);
  LiaCredentials *credentials;
  GError *error = NULL;

  config = check_config (data->model, &error);
  if (config == NULL)
    {
      g_free (result);
      g_task_return_error (task, error);
      return;
    }

  /* Missing credentials are the test's answer, as the runner's is. */
  credentials = find_credentials (data->model, data->db_path, &credentials_error);
  if (credentials == NULL)
    {
      lia_connection_test_fill (result, 0, 0, credentials_error);
      g_task_return_pointer (task, result, (GDestroyNotify) connection_test_free);
      return;
    }

  connector = lia_connector_new (config, credentials, &options);
  if (!lia_connector_test (connector, result, &error))
    {
      lia_connection_test_clear (result);
      g_free (result);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) connection_test_free);
}

/* Tests the connection the form describes, saved or not, with the secret
 * typed in it or the stored one. */
void
lia_form_test_async (const char          *db_path,
                     const LiaFormModel  *model,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (model != NULL);

  task = task_new (lia_form_test_async, db_path, model, cancellable, callback, user_data);
  g_task_run_in_thread (task, test_thread);
}

/* Fills @out_result; clear it with lia_connection_test_clear(). */
gboolean
lia_form_test_finish (GAsyncResult       *result,
                      LiaConnectionTest  *out_result,
                      GError            **error)
{
  g_autofree LiaConnectionTest *test = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_form_test_async, FALSE);

  test = g_task_propagate_pointer (G_TASK (result), error);
  if (test == NULL)
    return FALSE;
  *out_result = *test;
  return TRUE;
}

/* --- A sample page ------------------------------------------------------- */

static void
sample_row_free (LiaFormSampleRow *row)
{
  g_strfreev (row->values);
  g_free (row->error);
  g_free (row);
}

void
lia_form_sample_free (LiaFormSample *sample)
{
  if (sample == NULL)
    return;
  g_strfreev (sample->columns);
  g_clear_pointer (&sample->rows, g_ptr_array_unref);
  g_free (sample);
}

static char *
format_value (const LiaFieldInfo *info,
              const LiaValue     *value,
              GTimeZone          *zone)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (!value->present)
    return g_strdup ("");

  switch (info->kind)
    {
    case LIA_FIELD_TIMESTAMP:
      utc = g_date_time_new_from_unix_utc (value->instant);
      local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
      return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");
    case LIA_FIELD_NUMBER:
      return g_strdup_printf ("%g", value->number);
    case LIA_FIELD_TEXT:
    case LIA_FIELD_STATUS:
    default:
      return g_strdup (value->text != NULL ? value->text : "");
    }
}

static LiaFormSample *
map_sample (LiaConfig     *config,
            LiaConnector  *connector,
            LiaDataType    type,
            LiaPage       *page)
{
  g_autoptr(LiaMappingPlan) plan = NULL;
  g_autoptr(GStringChunk) strings = g_string_chunk_new (1024);
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GStrvBuilder) columns = g_strv_builder_new ();
  LiaFormSample *sample = g_new0 (LiaFormSample, 1);
  const LiaFieldInfo *fields;
  guint n_fields, n_records;

  fields = lia_data_type_fields (type, &n_fields);
  for (guint i = 0; i < n_fields; i++)
    g_strv_builder_add (columns, fields[i].name);

  sample->type = type;
  sample->columns = g_strv_builder_end (columns);
  sample->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_row_free);
  n_records = page->records != NULL ? json_array_get_length (page->records) : 0;
  sample->n_records = n_records;

  if (config->timezone != NULL)
    zone = g_time_zone_new_identifier (config->timezone);
  if (zone == NULL)
    zone = g_time_zone_new_local ();

  plan = lia_mapping_plan_new (type, lia_connector_get_mappings (connector, type), config->timezone);
  for (guint i = 0; i < MIN (n_records, LIA_FORM_SAMPLE_ROWS); i++)
    {
      LiaFormSampleRow *row = g_new0 (LiaFormSampleRow, 1);
      LiaRecord record = { 0 };
      g_autoptr(GError) error = NULL;

      if (lia_mapping_apply (plan, json_array_get_element (page->records, i), strings, &record, &error))
        {
          row->values = g_new0 (char *, n_fields + 1);
          for (guint f = 0; f < n_fields; f++)
            row->values[f] = format_value (&fields[f], &record.values[f], zone);
        }
      else
        row->error = g_strdup (error->message);
      g_ptr_array_add (sample->rows, row);
    }
  return sample;
}

static void
sample_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(LiaConfig) config = NULL;
  g_autoptr(LiaConnector) connector = NULL;
  g_autoptr(LiaPage) page = NULL;
  TokenSource token_source = { data->db_path, data->model->integration_id };
  LiaHttpOptions options = { cancellable, 0, get_token_cb, &token_source };
  const LiaEndpoint *endpoint;
  LiaCredentials *credentials;
  LiaFormSample *sample;
  LiaPageState state;
  GError *error = NULL;
  gint64 started = g_get_monotonic_time ();

  config = check_config (data->model, &error);
  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  credentials = find_credentials (data->model, data->db_path, &error);
  if (credentials == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  connector = lia_connector_new (config, credentials, &options);
  endpoint = lia_connector_get_endpoint (connector, data->type);
  if (endpoint == NULL)
    {
      g_task_return_new_error (task, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NOT_FOUND,
                               _("Give this data type an endpoint path first."));
      return;
    }

  lia_page_state_init (&state, data->type, endpoint, NULL);
  page = lia_connector_fetch_page (connector, &state, &error);
  lia_page_state_clear (&state);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sample = map_sample (config, connector, data->type, page);
  sample->elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_task_return_pointer (task, sample, (GDestroyNotify) lia_form_sample_free);
}

/* Fetches the first page of @type as the form describes it, and maps up
 * to LIA_FORM_SAMPLE_ROWS of its records with the form's mappings. */
void
lia_form_fetch_sample_async (const char          *db_path,
                             const LiaFormModel  *model,
                             LiaDataType          type,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (model != NULL);
  g_return_if_fail (type < LIA_N_DATA_TYPES);

  task = task_new (lia_form_fetch_sample_async, db_path, model, cancellable, callback, user_data);
  ((TaskData *) g_task_get_task_data (task))->type = type;
  g_task_run_in_thread (task, sample_thread);
}

LiaFormSample *
lia_form_fetch_sample_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_form_fetch_sample_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Importing and exporting --------------------------------------------- */

typedef struct {
  LiaConfig        *config;
  LiaConfigSecrets *secrets;
} Imported;

static void
imported_free (Imported *imported)
{
  g_clear_pointer (&imported->config, lia_config_unref);
  g_clear_pointer (&imported->secrets, lia_config_secrets_free);
  g_free (imported);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autofree char *contents = NULL;
  gsize length;
  Imported *imported;
  GError *error = NULL;

  if (!g_file_load_contents (data->file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  imported = g_new0 (Imported, 1);
  imported->config = lia_config_parse_data (contents, length, &imported->secrets, &error);
  /* The file's secrets are in the copy read; it is not kept. */
  explicit_bzero (contents, length);
  if (imported->config == NULL)
    {
      imported_free (imported);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, imported, (GDestroyNotify) imported_free);
}

/* Reads a config file, the same shape `liaison-cli integration import`
 * takes, and checks it. */
void
lia_form_import_async (GFile               *file,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = task_new (lia_form_import_async, NULL, NULL, cancellable, callback, user_data);
  ((TaskData *) g_task_get_task_data (task))->file = g_object_ref (file);
  g_task_run_in_thread (task, import_thread);
}

LiaConfig *
lia_form_import_finish (GAsyncResult      *result,
                        LiaConfigSecrets **out_secrets,
                        GError           **error)
{
  Imported *imported;
  LiaConfig *config;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_form_import_async, NULL);

  imported = g_task_propagate_pointer (G_TASK (result), error);
  if (imported == NULL)
    return NULL;
  config = g_steal_pointer (&imported->config);
  if (out_secrets != NULL)
    *out_secrets = g_steal_pointer (&imported->secrets);
  imported_free (imported);
  return config;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(LiaConfig) config = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  /* Checked in full here: the form's own check leaves files alone. */
  config = check_config (data->model, &error);
  if (config == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  json = lia_config_to_string (config, TRUE);
  text = g_strconcat (json, "\n", NULL);

  if (g_file_replace_contents (data->file, text, strlen (text), NULL, FALSE,
                               G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Writes the form's config as JSON, the shape `liaison-cli integration
 * import` takes, without secrets (a config never holds any). */
void
lia_form_export_async (GFile               *file,
                       const LiaFormModel  *model,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (model != NULL);

  task = task_new (lia_form_export_async, NULL, model, cancellable, callback, user_data);
  ((TaskData *) g_task_get_task_data (task))->file = g_object_ref (file);
  g_task_run_in_thread (task, export_thread);
}

gboolean
lia_form_export_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lia_form_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
