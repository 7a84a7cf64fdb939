/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-sync-controller.h"

G_BEGIN_DECLS

#define LIA_TYPE_APPLICATION (lia_application_get_type ())

G_DECLARE_FINAL_TYPE (LiaApplication, lia_application, LIA, APPLICATION, AdwApplication)

LiaApplication    *lia_application_new                 (void);
LiaSyncController *lia_application_get_sync_controller (LiaApplication *self,
                                                        const char     *database_path);

G_END_DECLS
