/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "lia-types.h"

G_BEGIN_DECLS

/* Helpers for the GUI tests: waiting on the main loop, opening and closing
 * windows, finding widgets, saving screenshots and filling a database. */

typedef gboolean (*LiaGuiPredicate) (gpointer data);

GApplication *lia_gui_test_init                   (int              *argc,
                                                   char           ***argv);
gboolean      lia_gui_test_wait_until             (LiaGuiPredicate   predicate,
                                                   gpointer          data);
void          lia_gui_test_settle                 (void);
GtkWidget    *lia_gui_test_open_window            (GApplication     *app,
                                                   const char       *db_path,
                                                   int               width,
                                                   int               height);
void          lia_gui_test_close_window           (GtkWidget        *window);
GtkWidget    *lia_gui_test_find                   (GtkWidget        *root,
                                                   GType             type);
GPtrArray    *lia_gui_test_find_all               (GtkWidget        *root,
                                                   GType             type,
                                                   gboolean          drawable_only);
GtkWidget    *lia_gui_test_find_row               (GtkWidget        *root,
                                                   const char       *title);
GtkWidget    *lia_gui_test_find_button            (GtkWidget        *root,
                                                   const char       *label);
GtkLabel     *lia_gui_test_find_label_with_class  (GtkWidget        *root,
                                                   const char       *css_class);
GtkWidget    *lia_gui_test_find_toplevel          (GType             type);
gboolean      lia_gui_test_shows_label            (GtkWidget        *root,
                                                   const char       *text);
void          lia_gui_test_save_screenshot        (GtkWidget        *window,
                                                   const char       *name);
void          lia_gui_test_set_dark               (gboolean          dark);
gint64        lia_gui_test_add_integration        (LiaDatabase      *db,
                                                   const char       *json);
void          lia_gui_test_exec_sql               (LiaDatabase      *db,
                                                   const char       *sql);

G_END_DECLS
