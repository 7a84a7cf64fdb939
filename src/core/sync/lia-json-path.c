/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-json-path"

#include "config.h"

#include "lia-json-path.h"

struct _LiaJsonPath {
  char  *text;
  GStrv  parts;  /* empty for the document itself */
};

LiaJsonPath *
lia_json_path_new (const char *dotted)
{
  LiaJsonPath *path = g_new0 (LiaJsonPath, 1);

  path->text = g_strdup (dotted ? dotted : "");
  if (path->text[0] == '\0')
    path->parts = g_new0 (char *, 1);
  else
    path->parts = g_strsplit (path->text, ".", -1);
  return path;
}

void
lia_json_path_free (LiaJsonPath *path)
{
  if (path == NULL)
    return;
  g_free (path->text);
  g_strfreev (path->parts);
  g_free (path);
}

const char *
lia_json_path_text (const LiaJsonPath *path)
{
  return path->text;
}

/* The node at @path, borrowed from @root, or NULL when any step is missing.
 * A step into an array is its index. */
JsonNode *
lia_json_path_lookup (const LiaJsonPath *path,
                      JsonNode          *root)
{
  JsonNode *node = root;

  /* A member whose name has dots ("No.", "e.mail", common in CSV headers)
   * is found by its whole name first. */
  if (path->parts[0] != NULL && path->parts[1] != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
      json_object_has_member (json_node_get_object (root), path->text))
    return json_object_get_member (json_node_get_object (root), path->text);

  for (guint i = 0; node != NULL && path->parts[i] != NULL; i++)
    {
      const char *part = path->parts[i];

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          node = json_object_get_member (json_node_get_object (node), part);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index;

          if (!g_ascii_string_to_unsigned (part, 10, 0, G_MAXUINT, &index, NULL) ||
              index >= json_array_get_length (array))
            return NULL;
          node = json_array_get_element (array, index);
        }
      else
        {
          return NULL;
        }
    }
  return node;
}

JsonNode *
lia_json_lookup (JsonNode   *root,
                 const char *dotted)
{
  g_autoptr(LiaJsonPath) path = lia_json_path_new (dotted);

  return lia_json_path_lookup (path, root);
}
