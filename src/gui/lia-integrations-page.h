/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-sync-controller.h"

G_BEGIN_DECLS

#define LIA_TYPE_INTEGRATIONS_PAGE (lia_integrations_page_get_type ())

G_DECLARE_FINAL_TYPE (LiaIntegrationsPage, lia_integrations_page, LIA, INTEGRATIONS_PAGE, AdwBin)

const char        *lia_integrations_page_get_database_path  (LiaIntegrationsPage *self);
void               lia_integrations_page_set_database_path  (LiaIntegrationsPage *self,
                                                             const char          *path);
LiaSyncController *lia_integrations_page_get_sync_controller (LiaIntegrationsPage *self);
void               lia_integrations_page_set_sync_controller (LiaIntegrationsPage *self,
                                                              LiaSyncController   *controller);
void               lia_integrations_page_reload             (LiaIntegrationsPage *self);
void               lia_integrations_page_start_search       (LiaIntegrationsPage *self);
void               lia_integrations_page_sync_all           (LiaIntegrationsPage *self);

G_END_DECLS
