/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum {
  LIA_EXPORTS_SECTION_MOODLE,
  LIA_EXPORTS_SECTION_CALENDAR,
  LIA_EXPORTS_SECTION_REPORT,
  LIA_N_EXPORTS_SECTIONS
} LiaExportsSection;

#define LIA_TYPE_EXPORTS_PAGE (lia_exports_page_get_type ())

G_DECLARE_FINAL_TYPE (LiaExportsPage, lia_exports_page, LIA, EXPORTS_PAGE, AdwBin)

void     lia_exports_page_set_database_path (LiaExportsPage    *self,
                                             const char        *path);
gboolean lia_exports_page_export_to         (LiaExportsPage    *self,
                                             LiaExportsSection  section,
                                             GFile             *file);
void     lia_exports_page_cancel            (LiaExportsPage    *self,
                                             LiaExportsSection  section);
gboolean lia_exports_page_is_exporting      (LiaExportsPage    *self,
                                             LiaExportsSection  section);

G_END_DECLS
