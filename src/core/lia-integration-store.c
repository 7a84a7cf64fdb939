/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-integration-store"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "lia-integration-store.h"
#include "lia-kind.h"
#include "lia-secrets.h"
#include "lia-util.h"

/* The last finished, real run gives "last sync": a dry run changed nothing
 * and a running one has no result yet. */
#define SELECT_INTEGRATIONS \
  "SELECT i.id, i.name, i.kind, i.enabled, i.config, i.needs_signin, i.created_at, i.updated_at," \
  "       r.started_at, r.status" \
  "  FROM integrations i" \
  "  LEFT JOIN sync_runs r ON r.id = (SELECT id FROM sync_runs" \
  "                                    WHERE integration_id = i.id AND status != 'running' AND dry_run = 0" \
  "                                    ORDER BY started_at DESC, id DESC LIMIT 1)"

static const char *all_secret_fields[] = {
  LIA_SECRET_API_KEY,
  LIA_SECRET_PASSWORD,
  LIA_SECRET_CLIENT_SECRET,
};

/* Helpers */

static void
set_not_found (GError **error,
               gint64   id)
{
  g_set_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_NOT_FOUND,
               _("No integration with id %" PRId64), id);
}

static const char *
derive_status (gboolean    enabled,
               gboolean    needs_signin,
               const char *last_result)
{
  if (!enabled)
    return LIA_STATUS_INACTIVE;
  if (needs_signin)
    return LIA_STATUS_NEEDS_SIGNIN;
  if (g_strcmp0 (last_result, "error") == 0)
    return LIA_STATUS_ERROR;
  return LIA_STATUS_ACTIVE;
}

static LiaIntegration *
read_row (sqlite3_stmt  *stmt,
          GError       **error)
{
  g_autoptr(LiaIntegration) integration = g_new0 (LiaIntegration, 1);
  const char *kind_id = (const char *) sqlite3_column_text (stmt, 2);
  const LiaKindInfo *kind = lia_kind_from_string (kind_id);
  const char *config_text = (const char *) sqlite3_column_text (stmt, 4);

  integration->id = sqlite3_column_int64 (stmt, 0);
  integration->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  integration->enabled = sqlite3_column_int (stmt, 3) != 0;
  integration->created_at = sqlite3_column_int64 (stmt, 6);
  integration->updated_at = sqlite3_column_int64 (stmt, 7);
  integration->last_sync = sqlite3_column_int64 (stmt, 8);
  integration->last_result = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  integration->status = derive_status (integration->enabled, sqlite3_column_int (stmt, 5),
                                       integration->last_result);

  if (kind == NULL)
    {
      g_set_error (error, LIA_DATABASE_ERROR, LIA_DATABASE_ERROR_CORRUPT,
                   _("Integration %" PRId64 " has the unknown kind “%s”; it was written by another version of Liaison"),
                   integration->id, kind_id);
      return NULL;
    }
  integration->kind = kind->kind;

  integration->config = lia_config_parse_stored (config_text, error);
  if (integration->config == NULL)
    {
      g_prefix_error (error, _("Integration %" PRId64 " has a stored configuration this version cannot read: "),
                      integration->id);
      return NULL;
    }

  return g_steal_pointer (&integration);
}

/* Stores each secret of @secrets; on failure removes what it stored. */
static gboolean
store_secrets (LiaDatabase       *db,
               gint64             id,
               LiaConfigSecrets  *secrets,
               GError           **error)
{
  if (secrets == NULL)
    return TRUE;

  for (guint i = 0; i < secrets->fields->len; i++)
    {
      LiaPair *pair = g_ptr_array_index (secrets->fields, i);

      if (!lia_secrets_store (lia_database_get_id (db), id, pair->name, pair->value, NULL, error))
        {
          for (guint j = 0; j < i; j++)
            {
              LiaPair *stored = g_ptr_array_index (secrets->fields, j);
              lia_secrets_clear (lia_database_get_id (db), id, stored->name, NULL, NULL);
            }
          return FALSE;
        }
    }
  return TRUE;
}

/* Public API */

void
lia_integration_free (LiaIntegration *integration)
{
  if (integration == NULL)
    return;
  g_free (integration->name);
  g_free (integration->last_result);
  g_clear_pointer (&integration->config, lia_config_unref);
  g_free (integration);
}

/* Adds an integration: its config to the database and its secrets to the
 * keyring, both or neither. Returns the new id, or 0 on error. */
gint64
lia_integration_store_add (LiaDatabase       *db,
                           LiaConfig         *config,
                           LiaConfigSecrets  *secrets,
                           GError           **error)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;
  gint64 now = lia_now_ms ();
  gint64 id;

  g_return_val_if_fail (db != NULL, 0);
  g_return_val_if_fail (config != NULL, 0);

  if (!lia_database_begin (db, error))
    return 0;

  stmt = lia_database_prepare (db,
                               "INSERT INTO integrations (name, kind, enabled, config, created_at, updated_at)"
                               " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;

  json = lia_config_to_string (config, FALSE);
  sqlite3_bind_text (stmt, 1, config->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, lia_kind_get (config->kind)->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, config->enabled);
  sqlite3_bind_text (stmt, 4, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      lia_database_set_error (db, error, _("Cannot add the integration"));
      sqlite3_reset (stmt);
      goto fail;
    }
  sqlite3_reset (stmt);
  id = sqlite3_last_insert_rowid (lia_database_get_handle (db));

  if (!store_secrets (db, id, secrets, error))
    goto fail;

  if (!lia_database_commit (db, error))
    {
      lia_secrets_clear (lia_database_get_id (db), id, NULL, NULL, NULL);
      goto fail;
    }

  g_debug ("Added integration %" PRId64, id);
  return id;

fail:
  lia_database_rollback (db);
  return 0;
}

/* Replaces an integration's config. Secrets in @secrets are stored; those
 * the new config no longer uses are deleted from the keyring. */
gboolean
lia_integration_store_update (LiaDatabase       *db,
                              gint64             id,
                              LiaConfig         *config,
                              LiaConfigSecrets  *secrets,
                              GError           **error)
{
  g_autofree char *json = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (!lia_database_begin (db, error))
    return FALSE;

  stmt = lia_database_prepare (db,
                               "UPDATE integrations SET name = ?, kind = ?, enabled = ?, config = ?, updated_at = ?"
                               " WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;

  json = lia_config_to_string (config, FALSE);
  sqlite3_bind_text (stmt, 1, config->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, lia_kind_get (config->kind)->id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, config->enabled);
  sqlite3_bind_text (stmt, 4, json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, lia_now_ms ());
  sqlite3_bind_int64 (stmt, 6, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      lia_database_set_error (db, error, _("Cannot update the integration"));
      sqlite3_reset (stmt);
      goto fail;
    }
  sqlite3_reset (stmt);
  if (sqlite3_changes (lia_database_get_handle (db)) == 0)
    {
      set_not_found (error, id);
      goto fail;
    }

  if (!store_secrets (db, id, secrets, error))
    goto fail;

  for (guint i = 0; i < G_N_ELEMENTS (all_secret_fields); i++)
    if (!lia_config_uses_secret (config, all_secret_fields[i]) &&
        !lia_secrets_clear (lia_database_get_id (db), id, all_secret_fields[i], NULL, error))
      goto fail;

  if (lia_database_commit (db, error))
    return TRUE;

fail:
  lia_database_rollback (db);
  return FALSE;
}

/* Every integration, by name. Returns a GPtrArray of LiaIntegration. */
GPtrArray *
lia_integration_store_list (LiaDatabase  *db,
                            GError      **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_integration_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = lia_database_prepare (db, SELECT_INTEGRATIONS " ORDER BY i.name COLLATE NOCASE, i.id", error);
  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LiaIntegration *integration = read_row (stmt, error);

      if (integration == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (list, integration);
    }
  if (rc != SQLITE_DONE)
    {
      lia_database_set_error (db, error, _("Cannot list the integrations"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&list);
}

LiaIntegration *
lia_integration_store_get (LiaDatabase  *db,
                           gint64        id,
                           GError      **error)
{
  LiaIntegration *integration = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = lia_database_prepare (db, SELECT_INTEGRATIONS " WHERE i.id = ?", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    integration = read_row (stmt, error);
  else if (rc == SQLITE_DONE)
    set_not_found (error, id);
  else
    lia_database_set_error (db, error, _("Cannot read the integration"));
  sqlite3_reset (stmt);
  return integration;
}

/* Removes an integration with its synced data, its history and its keyring
 * items. If the keyring cannot be reached, nothing is removed. */
gboolean
lia_integration_store_remove (LiaDatabase  *db,
                              gint64        id,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (db != NULL, FALSE);

  if (!lia_database_begin (db, error))
    return FALSE;

  stmt = lia_database_prepare (db, "DELETE FROM integrations WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      lia_database_set_error (db, error, _("Cannot remove the integration"));
      sqlite3_reset (stmt);
      goto fail;
    }
  sqlite3_reset (stmt);
  if (sqlite3_changes (lia_database_get_handle (db)) == 0)
    {
      set_not_found (error, id);
      goto fail;
    }

  if (!lia_secrets_clear (lia_database_get_id (db), id, NULL, NULL, error))
    goto fail;

  if (lia_database_commit (db, error))
    return TRUE;

fail:
  lia_database_rollback (db);
  return FALSE;
}

gboolean
lia_integration_store_set_enabled (LiaDatabase  *db,
                                   gint64        id,
                                   gboolean      enabled,
                                   GError      **error)
{
  g_autoptr(LiaIntegration) integration = NULL;
  g_autoptr(LiaConfig) config = NULL;

  g_return_val_if_fail (db != NULL, FALSE);

  integration = lia_integration_store_get (db, id, error);
  if (integration == NULL)
    return FALSE;
  if (integration->enabled == !!enabled)
    return TRUE;

  config = lia_config_with_enabled (integration->config, enabled);
  return lia_integration_store_update (db, id, config, NULL, error);
}

/* Stores one secret field for an integration whose config uses it. */
gboolean
lia_integration_store_set_secret (LiaDatabase  *db,
                                  gint64        id,
                                  const char   *field,
                                  const char   *value,
                                  GError      **error)
{
  g_autoptr(LiaIntegration) integration = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  integration = lia_integration_store_get (db, id, error);
  if (integration == NULL)
    return FALSE;

  if (!lia_config_uses_secret (integration->config, field))
    {
      g_autofree const char **uses = lia_config_secret_fields (integration->config);
      g_autofree char *known = g_strjoinv (", ", (char **) uses);
      g_set_error (error, LIA_CONFIG_ERROR, LIA_CONFIG_ERROR_INVALID,
                   _("%s: not a secret this integration uses (it uses: %s)"),
                   field, *known ? known : _("none"));
      return FALSE;
    }

  return lia_secrets_store (lia_database_get_id (db), id, field, value, NULL, error);
}

gboolean
lia_integration_store_has_secret (LiaDatabase  *db,
                                  gint64        id,
                                  const char   *field,
                                  gboolean     *out_present,
                                  GError      **error)
{
  g_autoptr(LiaSecret) value = NULL;
  GError *local_error = NULL;

  value = lia_secrets_lookup (lia_database_get_id (db), id, field, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *out_present = value != NULL && *value != '\0';
  return TRUE;
}
