/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-history-model.h"
#include "lia-sync-controller.h"

G_BEGIN_DECLS

#define LIA_TYPE_HISTORY_PAGE (lia_history_page_get_type ())

G_DECLARE_FINAL_TYPE (LiaHistoryPage, lia_history_page, LIA, HISTORY_PAGE, AdwBin)

void             lia_history_page_set_database_path (LiaHistoryPage *self,
                                                     const char     *path);
void             lia_history_page_set_sync_controller (LiaHistoryPage    *self,
                                                       LiaSyncController *controller);
void             lia_history_page_reload            (LiaHistoryPage *self);
void             lia_history_page_show_run          (LiaHistoryPage *self,
                                                     gint64          run_id);
void             lia_history_page_show_overview     (LiaHistoryPage *self);
LiaHistoryModel *lia_history_page_get_model         (LiaHistoryPage *self);

G_END_DECLS
