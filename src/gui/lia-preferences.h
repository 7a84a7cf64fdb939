/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LIA_TYPE_PREFERENCES (lia_preferences_get_type ())

G_DECLARE_FINAL_TYPE (LiaPreferences, lia_preferences, LIA, PREFERENCES, AdwPreferencesWindow)

LiaPreferences *lia_preferences_new (GtkWindow *transient_for);

G_END_DECLS
