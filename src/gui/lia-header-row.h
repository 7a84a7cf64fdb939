/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LIA_TYPE_HEADER_ROW (lia_header_row_get_type ())

G_DECLARE_FINAL_TYPE (LiaHeaderRow, lia_header_row, LIA, HEADER_ROW, AdwPreferencesRow)

LiaHeaderRow *lia_header_row_new        (void);
const char   *lia_header_row_get_name   (LiaHeaderRow *self);
const char   *lia_header_row_get_value  (LiaHeaderRow *self);
void          lia_header_row_set        (LiaHeaderRow *self,
                                         guint         position,
                                         const char   *name,
                                         const char   *value);
void          lia_header_row_set_error  (LiaHeaderRow *self,
                                         const char   *message);
void          lia_header_row_grab_focus (LiaHeaderRow *self);

G_END_DECLS
