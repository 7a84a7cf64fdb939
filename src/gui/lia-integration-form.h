/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-window.h"

G_BEGIN_DECLS

#define LIA_TYPE_INTEGRATION_FORM (lia_integration_form_get_type ())

G_DECLARE_FINAL_TYPE (LiaIntegrationForm, lia_integration_form, LIA, INTEGRATION_FORM, AdwWindow)

LiaIntegrationForm *lia_integration_form_new  (LiaWindow *window);
void                lia_integration_form_edit (LiaWindow *window,
                                               gint64     integration_id);

G_END_DECLS
