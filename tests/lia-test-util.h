/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-config.h"

G_BEGIN_DECLS

typedef struct {
  int   status;  /* the exit status, or 128 + signal */
  char *out;
  char *err;
} LiaTestResult;

void           lia_test_init            (int          *argc,
                                         char       ***argv);
char          *lia_test_tmpdir          (void);
char          *lia_test_db_path         (void);
gboolean       lia_test_file_contains   (const char   *path,
                                         const char   *needle);
LiaConfig     *lia_test_config          (const char   *json,
                                         LiaConfigSecrets **out_secrets);
LiaTestResult *lia_test_cli             (const char   *db_path,
                                         const char   *input,
                                         ...) G_GNUC_NULL_TERMINATED;
LiaTestResult *lia_test_cli_env         (const char  **env,
                                         const char   *input,
                                         const char  **args);
void           lia_test_result_free     (LiaTestResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaTestResult, lia_test_result_free)

G_END_DECLS
