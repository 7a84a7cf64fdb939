/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "lia-ics-private.h"

G_BEGIN_DECLS

/* A compact VTIMEZONE for one IANA zone over a range of instants, built
 * from GLib's GTimeZone rather than libical's built-in zone data: only the
 * rules in force over the range (a yearly RRULE where the transitions
 * follow one, RDATEs where they do not), as Google and Outlook write them,
 * and an icaltimezone over it whose TZID is the bare IANA id. */
typedef struct _LiaVTimezone LiaVTimezone;

LiaVTimezone        *lia_vtimezone_new           (const char   *tzid,
                                                  GTimeZone    *zone,
                                                  gint64        from,
                                                  gint64        to);
void                 lia_vtimezone_free          (LiaVTimezone *self);
const char          *lia_vtimezone_get_tzid      (LiaVTimezone *self);
icalcomponent       *lia_vtimezone_get_component (LiaVTimezone *self);
icaltimezone        *lia_vtimezone_get_timezone  (LiaVTimezone *self);
int                  lia_vtimezone_get_offset    (LiaVTimezone *self,
                                                  gint64        utc);
struct icaltimetype  lia_vtimezone_to_local      (LiaVTimezone *self,
                                                  gint64        utc);
struct icaltimetype  lia_vtimezone_utc_time      (gint64        utc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaVTimezone, lia_vtimezone_free)

G_END_DECLS
