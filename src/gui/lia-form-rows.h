/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-types.h"

G_BEGIN_DECLS

/* How the integration form and its parts show a broken rule on a row, the
 * same way everywhere: the row takes the error style, says the rule in its
 * tooltip (and subtitle, where it has one) and in its accessible
 * description. */

void        lia_form_row_set_key      (GtkWidget   *row,
                                       const char  *key);
const char *lia_form_row_get_key      (GtkWidget   *row);
void        lia_form_row_set_error    (GtkWidget   *row,
                                       const char  *message);
void        lia_form_row_set_subtitle (GtkWidget   *row,
                                       const char  *subtitle);
void        lia_form_row_mark_touched (GtkWidget   *row);
void        lia_form_row_show_problem (GtkWidget   *row,
                                       const char  *message,
                                       gboolean     reveal_all);
gboolean    lia_form_row_has_error    (GtkWidget   *row);
void        lia_form_row_reveal       (GtkWidget   *row);

const char *lia_form_data_type_title  (LiaDataType  type);

G_END_DECLS
