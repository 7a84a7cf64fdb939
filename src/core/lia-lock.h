/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A named lock shared by every process that opens the same database (the
 * GUI, liaison-cli, cron). It is an flock() on a file beside the
 * database, so the kernel releases it when its holder dies: a killed
 * process never leaves an integration stuck. */
typedef struct _LiaLock LiaLock;

LiaLock *lia_lock_try     (const char    *db_path,
                           const char    *name,
                           gboolean      *out_busy,
                           GError       **error);
LiaLock *lia_lock_acquire (const char    *db_path,
                           const char    *name,
                           GCancellable  *cancellable,
                           GError       **error);
void     lia_lock_release (LiaLock       *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaLock, lia_lock_release)

G_END_DECLS
