/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "lia-run-item.h"

G_BEGIN_DECLS

#define LIA_TYPE_RUN_ROW (lia_run_row_get_type ())

G_DECLARE_FINAL_TYPE (LiaRunRow, lia_run_row, LIA, RUN_ROW, GtkWidget)

GtkWidget *lia_run_row_new  (void);
void       lia_run_row_bind (LiaRunRow  *self,
                             LiaRunItem *item,
                             GDateTime  *now);

G_END_DECLS
