/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint64  lia_now_ms          (void);
void    lia_secret_free     (char       *secret);
char   *lia_secret_dup      (const char *secret);
gboolean lia_parse_id       (const char *text,
                             gint64     *out_id);

/* A string holding a secret: g_autoptr(LiaSecret) wipes it when freed. */
typedef char LiaSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaSecret, lia_secret_free)

G_END_DECLS
