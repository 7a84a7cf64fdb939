/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-secrets"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "lia-secrets.h"
#include "lia-util.h"

G_DEFINE_QUARK (lia-secrets-error-quark, lia_secrets_error)

/* One schema, with a stable attribute set: never rename these. */
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.liaison.Liaison.Secret", SECRET_SCHEMA_NONE,
    {
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "integration", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static GHashTable *
build_attributes (const char *database_id,
                  gint64      integration_id,
                  const char *field)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (char *) "database", g_strdup (database_id));
  g_hash_table_insert (attributes, (char *) "integration",
                       g_strdup_printf ("%" PRId64, integration_id));
  if (field != NULL)
    g_hash_table_insert (attributes, (char *) "field", g_strdup (field));
  return attributes;
}

/* The Secret Service's own errors are D-Bus jargon; a principal needs to
 * know what to start. The detail goes to the debug log only. */
static void
translate_error (GError  *in,
                 GError **error)
{
  if (g_error_matches (in, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, in);
      return;
    }

  g_debug ("Secret Service error: %s", in->message);

  if (g_error_matches (in, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    g_set_error_literal (error, LIA_SECRETS_ERROR, LIA_SECRETS_ERROR_LOCKED,
                         _("The keyring is locked: unlock it (for example by logging in to the desktop) and try again"));
  else if (in->domain == SECRET_ERROR)
    g_set_error (error, LIA_SECRETS_ERROR, LIA_SECRETS_ERROR_FAILED,
                 _("The keyring refused the request: %s"), in->message);
  else
    g_set_error_literal (error, LIA_SECRETS_ERROR, LIA_SECRETS_ERROR_UNAVAILABLE,
                         _("No keyring is available: start gnome-keyring-daemon (or another Secret Service) "
                           "in this session and unlock it, then try again"));
  g_error_free (in);
}

gboolean
lia_secrets_store (const char    *database_id,
                   gint64         integration_id,
                   const char    *field,
                   const char    *value,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (database_id != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  attributes = build_attributes (database_id, integration_id, field);
  label = g_strdup_printf (_("Liaison integration %" PRId64 ": %s"), integration_id, field);

  if (!secret_password_storev_sync (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                                    label, value, cancellable, &local_error))
    {
      translate_error (local_error, error);
      return FALSE;
    }
  return TRUE;
}

/* Returns the secret (free it with lia_secret_free()), or NULL with no
 * error when there is none. */
char *
lia_secrets_lookup (const char    *database_id,
                    gint64         integration_id,
                    const char    *field,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;
  char *secret;
  char *copy;

  g_return_val_if_fail (database_id != NULL, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  attributes = build_attributes (database_id, integration_id, field);
  secret = secret_password_lookupv_sync (get_schema (), attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      translate_error (local_error, error);
      return NULL;
    }

  /* Hand out memory that lia_secret_free() can wipe and free. */
  copy = lia_secret_dup (secret);
  secret_password_free (secret);
  return copy;
}

/* Deletes one field's item, or every item of the integration when @field
 * is NULL. Nothing to delete is not an error. */
gboolean
lia_secrets_clear (const char    *database_id,
                   gint64         integration_id,
                   const char    *field,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (database_id != NULL, FALSE);

  attributes = build_attributes (database_id, integration_id, field);
  secret_password_clearv_sync (get_schema (), attributes, cancellable, &local_error);
  if (local_error != NULL)
    {
      translate_error (local_error, error);
      return FALSE;
    }
  return TRUE;
}
