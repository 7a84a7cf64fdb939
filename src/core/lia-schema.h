/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The schema migrations, oldest first: step i takes a database from
 * PRAGMA user_version i to i + 1. Append; never edit a released step. */
const char * const *lia_schema_migrations (guint *n_migrations);

G_END_DECLS
