/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-sync-controller.h"

G_BEGIN_DECLS

#define LIA_TYPE_WINDOW (lia_window_get_type ())

G_DECLARE_FINAL_TYPE (LiaWindow, lia_window, LIA, WINDOW, AdwApplicationWindow)

LiaWindow  *lia_window_new               (AdwApplication *application,
                                          const char     *database_path);
const char *lia_window_get_database_path (LiaWindow      *self);
void        lia_window_add_toast         (LiaWindow      *self,
                                          AdwToast       *toast);
LiaSyncController *lia_window_get_sync_controller (LiaWindow *self);

G_END_DECLS
