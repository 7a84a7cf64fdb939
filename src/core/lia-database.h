/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "lia-types.h"

G_BEGIN_DECLS

#define LIA_DATABASE_ERROR (lia_database_error_quark ())

typedef enum {
  LIA_DATABASE_ERROR_OPEN,       /* cannot create or open the file */
  LIA_DATABASE_ERROR_TOO_NEW,    /* written by a newer Liaison */
  LIA_DATABASE_ERROR_CORRUPT,    /* not a Liaison database */
  LIA_DATABASE_ERROR_SQL,        /* a statement failed */
  LIA_DATABASE_ERROR_BUSY,       /* another process held the lock too long */
  LIA_DATABASE_ERROR_NOT_FOUND,  /* no such row */
} LiaDatabaseError;

GQuark        lia_database_error_quark      (void);

/* One connection. Use it only from the thread that opened it: every thread
 * that touches the database opens its own (see DESIGN.md). */
char         *lia_database_default_path     (void);
char         *lia_database_resolve_path     (const char   *explicit_path);
LiaDatabase  *lia_database_open             (const char   *path,
                                             GError      **error);
LiaDatabase  *lia_database_open_at_version  (const char   *path,
                                             int           version,
                                             GError      **error);
void          lia_database_close            (LiaDatabase  *db);
const char   *lia_database_get_path         (LiaDatabase  *db);
const char   *lia_database_get_id           (LiaDatabase  *db);
sqlite3      *lia_database_get_handle       (LiaDatabase  *db);
int           lia_database_get_version      (LiaDatabase  *db);
int           lia_database_latest_version   (void);

sqlite3_stmt *lia_database_prepare          (LiaDatabase  *db,
                                             const char   *sql,
                                             GError      **error);
gboolean      lia_database_exec             (LiaDatabase  *db,
                                             const char   *sql,
                                             GError      **error);
gboolean      lia_database_begin            (LiaDatabase  *db,
                                             GError      **error);
gboolean      lia_database_commit           (LiaDatabase  *db,
                                             GError      **error);
void          lia_database_rollback         (LiaDatabase  *db);
void          lia_database_set_error        (LiaDatabase  *db,
                                             GError      **error,
                                             const char   *what);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaDatabase, lia_database_close)

G_END_DECLS
