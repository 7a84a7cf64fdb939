/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A dotted path into a JSON document ("results.items", "contact.email",
 * "rows.0.id"), split once so that looking it up per record is cheap.
 * The empty path is the document itself. */
typedef struct _LiaJsonPath LiaJsonPath;

LiaJsonPath *lia_json_path_new    (const char        *dotted);
void         lia_json_path_free   (LiaJsonPath       *path);
const char  *lia_json_path_text   (const LiaJsonPath *path);
JsonNode    *lia_json_path_lookup (const LiaJsonPath *path,
                                   JsonNode          *root);
JsonNode    *lia_json_lookup      (JsonNode          *root,
                                   const char        *dotted);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaJsonPath, lia_json_path_free)

G_END_DECLS
