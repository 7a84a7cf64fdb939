/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libical/ical.h>

G_BEGIN_DECLS

/* libical's plain types, for g_autoptr. Declared once, here. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (icalcomponent, icalcomponent_free)

/* libical's global state is not thread-safe: call this before using it. */
void lia_ical_init (void);

G_END_DECLS
