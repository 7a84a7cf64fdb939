/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "lia-database.h"

G_BEGIN_DECLS

/* Exit statuses, as documented in liaison-cli(1). */
enum {
  LIA_EXIT_OK      = 0,
  LIA_EXIT_FAILURE = 1,  /* a runtime failure */
  LIA_EXIT_USAGE   = 2,  /* bad usage or bad input */
  LIA_EXIT_PARTIAL = 3,  /* a sync that landed only part of the data */
};

/* Options every command accepts. */
typedef struct {
  char     *db_path;
  gboolean  json;
} LiaCliCommon;

typedef int (*LiaCliCommandFunc) (LiaCliCommon  *common,
                                  int            argc,
                                  char         **argv);

typedef struct {
  const char        *name;
  const char        *parameters;  /* for the usage line */
  const char        *summary;     /* translatable */
  LiaCliCommandFunc  run;
} LiaCliCommand;

int           lia_cli_integration      (LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);

int           lia_cli_sync             (LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);
int           lia_cli_test             (LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);
int           lia_cli_history          (LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);
int           lia_cli_data             (LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);

int           lia_cli_oauth            (LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);

int           lia_cli_export           (LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);
int           lia_cli_report           (LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);

int           lia_cli_dispatch         (const char     *group,
                                        const LiaCliCommand *commands,
                                        guint           n_commands,
                                        LiaCliCommon   *common,
                                        int             argc,
                                        char          **argv);
gboolean      lia_cli_parse            (const char     *parameters,
                                        const char     *summary,
                                        GOptionEntry   *entries,
                                        LiaCliCommon   *common,
                                        gboolean        with_json,
                                        int            *argc,
                                        char         ***argv);
LiaDatabase  *lia_cli_open_database    (LiaCliCommon   *common,
                                        GError        **error);
int           lia_cli_fail             (GError         *error);
int           lia_cli_usage            (const char     *format,
                                        ...) G_GNUC_PRINTF (1, 2);
gboolean      lia_cli_parse_id_arg     (const char     *text,
                                        gint64         *out_id);
void          lia_cli_print_json       (JsonNode       *node);
char         *lia_cli_format_time      (gint64          unix_ms);
void          lia_cli_run_cancellable  (GMainLoop      *loop,
                                        GCancellable   *cancellable);
char         *lia_cli_read_input       (const char     *path,
                                        gsize          *out_length,
                                        GError        **error);

G_END_DECLS
