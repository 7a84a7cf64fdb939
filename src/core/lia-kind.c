/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-kind"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lia-kind.h"

#define AUTH(a) (1u << (a))
#define ALL_HTTP_AUTH (AUTH (LIA_AUTH_NONE) | AUTH (LIA_AUTH_API_KEY) | AUTH (LIA_AUTH_BEARER) | \
                       AUTH (LIA_AUTH_BASIC) | AUTH (LIA_AUTH_OAUTH2))

static const LiaKindInfo kinds[LIA_N_KINDS] = {
  { LIA_KIND_REST, "rest", N_("Generic REST"), "network-server-symbolic",
    FALSE, FALSE, LIA_AUTH_NONE, ALL_HTTP_AUTH },
  /* Moodle's web services take the token as the wstoken parameter. */
  { LIA_KIND_MOODLE, "moodle", N_("Moodle"), "school-symbolic",
    FALSE, TRUE, LIA_AUTH_API_KEY, AUTH (LIA_AUTH_API_KEY) },
  { LIA_KIND_CANVAS, "canvas", N_("Canvas"), "applications-science-symbolic",
    FALSE, TRUE, LIA_AUTH_BEARER, AUTH (LIA_AUTH_BEARER) | AUTH (LIA_AUTH_OAUTH2) },
  { LIA_KIND_FILE, "file", N_("File Folder"), "folder-symbolic",
    TRUE, FALSE, LIA_AUTH_NONE, AUTH (LIA_AUTH_NONE) },
};

static const char *auth_types[LIA_N_AUTH_TYPES] = {
  [LIA_AUTH_NONE] = "none",
  [LIA_AUTH_API_KEY] = "api-key",
  [LIA_AUTH_BEARER] = "bearer",
  [LIA_AUTH_BASIC] = "basic",
  [LIA_AUTH_OAUTH2] = "oauth2",
};

const LiaKindInfo *
lia_kind_get (LiaKind kind)
{
  g_return_val_if_fail (kind < LIA_N_KINDS, NULL);
  return &kinds[kind];
}

const LiaKindInfo *
lia_kind_from_string (const char *id)
{
  for (guint i = 0; id != NULL && i < LIA_N_KINDS; i++)
    if (g_str_equal (kinds[i].id, id))
      return &kinds[i];
  return NULL;
}

char *
lia_kind_list (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < LIA_N_KINDS; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", kinds[i].id);
  return g_string_free (s, FALSE);
}

const char *
lia_auth_type_to_string (LiaAuthType auth)
{
  g_return_val_if_fail (auth < LIA_N_AUTH_TYPES, NULL);
  return auth_types[auth];
}

gboolean
lia_auth_type_from_string (const char  *id,
                           LiaAuthType *out_auth)
{
  for (guint i = 0; id != NULL && i < LIA_N_AUTH_TYPES; i++)
    {
      if (g_str_equal (auth_types[i], id))
        {
          if (out_auth != NULL)
            *out_auth = i;
          return TRUE;
        }
    }
  return FALSE;
}

char *
lia_auth_type_list (guint mask)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < LIA_N_AUTH_TYPES; i++)
    if (mask & AUTH (i))
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", auth_types[i]);
  return g_string_free (s, FALSE);
}
