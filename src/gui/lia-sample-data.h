/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The sample school shipped in data/sample: a folder of CSV exports and
 * sample-school.json, the file integration that reads them. */

#define LIA_SAMPLE_CONFIG_FILE "sample-school.json"

char     *lia_sample_data_find_source    (GError              **error);
char     *lia_sample_data_build_config   (const char           *template_json,
                                          gssize                length,
                                          const char           *folder,
                                          GError              **error);
void      lia_sample_data_install_async  (const char           *database_path,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gint64    lia_sample_data_install_finish (GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
