/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-types.h"

G_BEGIN_DECLS

/* What the config validator and the UI need to know about a kind of
 * integration. Adding a kind means adding one row to the table in
 * lia-kind.c (and, for syncing, a connector). */
typedef struct {
  LiaKind      kind;
  const char  *id;            /* as in the config: "moodle" */
  const char  *display_name;  /* translatable */
  const char  *icon_name;
  gboolean     uses_folder;   /* a local folder instead of a base URL */
  gboolean     has_defaults;  /* its connector knows endpoints: the config may omit them */
  LiaAuthType  default_auth;  /* when the config leaves authType out */
  guint        allowed_auth;  /* bit mask of 1 << LiaAuthType */
} LiaKindInfo;

const LiaKindInfo *lia_kind_get         (LiaKind      kind);
const LiaKindInfo *lia_kind_from_string (const char  *id);
char              *lia_kind_list        (void);

const char        *lia_auth_type_to_string   (LiaAuthType  auth);
gboolean           lia_auth_type_from_string (const char  *id,
                                              LiaAuthType *out_auth);
char              *lia_auth_type_list        (guint        mask);

G_END_DECLS
