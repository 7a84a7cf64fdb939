/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LIA_TYPE_RUN_DETAILS (lia_run_details_get_type ())

G_DECLARE_FINAL_TYPE (LiaRunDetails, lia_run_details, LIA, RUN_DETAILS, AdwBin)

void     lia_run_details_set_database_path (LiaRunDetails *self,
                                            const char    *path);
void     lia_run_details_show_run          (LiaRunDetails *self,
                                            gint64         run_id);
gint64   lia_run_details_get_run_id        (LiaRunDetails *self);
gboolean lia_run_details_get_loading       (LiaRunDetails *self);

G_END_DECLS
