/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-util"

#include "config.h"

#include <string.h>

#include "lia-util.h"

gint64
lia_now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Secrets are wiped before their memory goes back to the allocator, so a
 * later heap dump or a use-after-free cannot show them. */
void
lia_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

char *
lia_secret_dup (const char *secret)
{
  return g_strdup (secret);
}

/* A positive decimal id, as typed on a command line. */
gboolean
lia_parse_id (const char *text,
              gint64     *out_id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out_id = (gint64) value;
  return TRUE;
}
