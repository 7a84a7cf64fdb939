/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-file-connector"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "lia-csv.h"
#include "lia-data-type.h"
#include "lia-file-connector.h"
#include "lia-json-path.h"
#include "lia-sync-error.h"

/* Exports dropped in a local folder, for systems that can do nothing
 * else. An endpoint's path is a file name or a glob inside the folder;
 * the matching files are read in name order, each JSON file as one page
 * (its records at recordsPath) and each CSV file in pages of CSV_PAGE_SIZE
 * rows, every row an object of header → string. A glob that matches
 * nothing is no error: the data type is empty.
 *
 * Where a data type is, lives in its LiaPageState: cursor is the file
 * being read (NULL before the first), offset the data rows already taken
 * from it. The open CSV file stays open between pages; if another data
 * type's pages come between, it is opened again and read up to offset. */

#define CSV_PAGE_SIZE 1000

typedef enum {
  FORMAT_CSV,
  FORMAT_JSON,
} FileFormat;

struct _LiaFileConnector
{
  GObject        parent_instance;

  LiaConfig     *config;
  GCancellable  *cancellable;
  guint64        bytes;

  /* The CSV file being read. */
  LiaDataType    csv_type;
  char          *csv_name;
  LiaCsvReader  *csv;
  GPtrArray     *csv_header;   /* NULL for an empty file */
  GPtrArray     *csv_ahead;    /* the row after the last page, or NULL */
  guint          csv_ahead_line;
  GError        *csv_error;    /* met reading ahead: it belongs to the next page */
  guint64        csv_counted;  /* of the reader's bytes, those in bytes */
};

static void connector_iface_init (LiaConnectorInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LiaFileConnector, lia_file_connector, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (LIA_TYPE_CONNECTOR, connector_iface_init))

/* Errors */

static void
set_folder_error (LiaFileConnector  *self,
                  const GError      *local_error,
                  GError           **error)
{
  const char *folder = self->config->folder;

  if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NOT_FOUND,
                 _("The folder %s does not exist: check the integration’s folder"), folder);
  else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR))
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NOT_FOUND,
                 _("%s is not a folder: check the integration’s folder"), folder);
  else if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_ACCES))
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_PERMISSION_DENIED,
                 _("Liaison may not read the folder %s: give it read access"), folder);
  else
    g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NOT_FOUND,
                 _("The folder %s cannot be read (%s): check the integration’s folder"),
                 folder, local_error->message);
}

/* An error opening or reading the file @name, from GIO or GLib's file
 * functions, as a sync error; cancellation stays what it is. */
static void
set_file_error (const char    *name,
                const GError  *local_error,
                GError       **error)
{
  int code = local_error->code;

  if (local_error->domain == G_FILE_ERROR)
    code = g_io_error_from_file_error (local_error->code);
  else if (local_error->domain == LIA_CSV_ERROR)
    {
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                   "%s: %s", name, local_error->message);
      return;
    }
  else if (local_error->domain != G_IO_ERROR)
    code = G_IO_ERROR_FAILED;

  switch (code)
    {
    case G_IO_ERROR_CANCELLED:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, local_error->message);
      break;
    case G_IO_ERROR_NOT_FOUND:
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_NOT_FOUND,
                   _("The file %s left the folder while it was being read"), name);
      break;
    case G_IO_ERROR_PERMISSION_DENIED:
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_PERMISSION_DENIED,
                   _("Liaison may not read the file %s: give it read access"), name);
      break;
    default:
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_FAILED,
                   _("The file %s could not be read: %s"), name, local_error->message);
      break;
    }
}

/* Files */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The regular files in the folder whose names match @pattern, sorted.
 * Hidden files are left out: tools write them while a drop is under way. */
static GPtrArray *
list_matches (LiaFileConnector  *self,
              const char        *pattern,
              GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = g_dir_open (self->config->folder, 0, &local_error);
  g_autoptr(GPatternSpec) spec = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (dir == NULL)
    {
      set_folder_error (self, local_error, error);
      return NULL;
    }

  spec = g_pattern_spec_new (pattern);
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (name[0] == '.' || !g_pattern_spec_match_string (spec, name))
        continue;
      path = g_build_filename (self->config->folder, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  return g_steal_pointer (&names);
}

/* The first matching file after @after (NULL: the first of all), or NULL
 * in @out_name when there is none. Listing again each time lets files
 * dropped during a run be read in their turn. */
static gboolean
find_next_file (LiaFileConnector  *self,
                const char        *pattern,
                const char        *after,
                char             **out_name,
                GError           **error)
{
  g_autoptr(GPtrArray) names = list_matches (self, pattern, error);

  *out_name = NULL;
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (after == NULL || strcmp (name, after) > 0)
        {
          *out_name = g_strdup (name);
          break;
        }
    }
  return TRUE;
}

static gboolean
has_suffix_nocase (const char *name,
                   const char *suffix)
{
  gsize len = strlen (name);
  gsize suffix_len = strlen (suffix);

  return len > suffix_len && g_ascii_strcasecmp (name + len - suffix_len, suffix) == 0;
}

static gboolean
find_format (const char  *name,
             FileFormat  *out_format,
             GError     **error)
{
  if (has_suffix_nocase (name, ".csv"))
    *out_format = FORMAT_CSV;
  else if (has_suffix_nocase (name, ".json"))
    *out_format = FORMAT_JSON;
  else
    {
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                   _("The file %s is neither .csv nor .json: change the endpoint’s file pattern"), name);
      return FALSE;
    }
  return TRUE;
}

/* JSON */

/* The whole file, parsed, as one page's root. The file is mapped rather
 * than copied; the tree is what it is. */
static JsonNode *
read_json_file (LiaFileConnector  *self,
                const char        *name,
                const char        *records_path,
                GError           **error)
{
  g_autofree char *path = g_build_filename (self->config->folder, name, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &local_error);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *records;
  gsize size;

  if (mapped == NULL)
    {
      set_file_error (name, local_error, error);
      return NULL;
    }
  size = g_mapped_file_get_length (mapped);
  self->bytes += size;

  parser = json_parser_new_immutable ();
  if (size > 0 && !json_parser_load_from_data (parser, g_mapped_file_get_contents (mapped), size, &local_error))
    {
      /* json-glib says "<data>:line:column: what"; the file has a name. */
      const char *detail = local_error->message;

      if (g_str_has_prefix (detail, "<data>:"))
        detail += strlen ("<data>:");
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                   _("The file %s is not valid JSON: %s"), name, detail);
      return NULL;
    }
  root = size > 0 ? json_parser_steal_root (parser) : NULL;
  if (root == NULL)
    {
      g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                   _("The file %s is empty"), name);
      return NULL;
    }

  records = lia_json_lookup (root, records_path ? records_path : "");
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records))
    {
      if (records_path == NULL || *records_path == '\0')
        g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                     _("The file %s is not a JSON array of records: set recordsPath to where the records are"),
                     name);
      else
        g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                     _("The file %s has no array of records at “%s”: check recordsPath"),
                     name, records_path);
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* CSV */

static void
count_csv_bytes (LiaFileConnector *self)
{
  guint64 read = lia_csv_reader_get_bytes_read (self->csv);

  self->bytes += read - self->csv_counted;
  self->csv_counted = read;
}

static void
close_csv (LiaFileConnector *self)
{
  if (self->csv != NULL)
    count_csv_bytes (self);
  g_clear_pointer (&self->csv, lia_csv_reader_free);
  g_clear_pointer (&self->csv_name, g_free);
  g_clear_pointer (&self->csv_header, g_ptr_array_unref);
  g_clear_pointer (&self->csv_ahead, g_ptr_array_unref);
  g_clear_error (&self->csv_error);
  self->csv_counted = 0;
}

/* Opens @name, reads its header and skips the @skip data rows a former
 * opening already gave. */
static gboolean
open_csv (LiaFileConnector  *self,
          LiaDataType        type,
          const char        *name,
          gint64             skip,
          GError           **error)
{
  g_autofree char *path = g_build_filename (self->config->folder, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;

  close_csv (self);
  g_debug ("Reading %s for %s from row %" PRId64,
           name, lia_data_type_to_string (type), skip);

  stream = g_file_read (file, self->cancellable, &local_error);
  if (stream == NULL)
    {
      set_file_error (name, local_error, error);
      return FALSE;
    }
  /* From here on, the caller closes the file on error. */
  self->csv = lia_csv_reader_new (G_INPUT_STREAM (stream));
  self->csv_type = type;
  self->csv_name = g_strdup (name);

  if (!lia_csv_reader_next_row (self->csv, &self->csv_header, &local_error) && local_error != NULL)
    {
      set_file_error (name, local_error, error);
      return FALSE;
    }
  for (gint64 i = 0; i < skip && self->csv_header != NULL; i++)
    {
      g_autoptr(GPtrArray) row = NULL;

      if (!lia_csv_reader_next_row (self->csv, &row, &local_error))
        {
          if (local_error != NULL)
            {
              set_file_error (name, local_error, error);
              return FALSE;
            }
          break;
        }
    }
  return TRUE;
}

/* A row as an object of header → cell. A row shorter than the header
 * lacks the trailing keys (as exports leave out empty trailing cells); a
 * longer one is a broken file, unless its extra cells are empty (some
 * tools end every line with a separator). Columns without a header name
 * cannot be mapped, and are left out. */
static JsonNode *
row_to_object (GPtrArray   *header,
               GPtrArray   *row,
               const char  *name,
               guint        line,
               GError     **error)
{
  JsonObject *object;
  JsonNode *node;

  for (guint i = header->len; i < row->len; i++)
    {
      if (*(const char *) g_ptr_array_index (row, i) != '\0')
        {
          g_set_error (error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_INVALID_RESPONSE,
                       _("%s: Line %u has %u cells where the header has %u"),
                       name, line, row->len, header->len);
          return NULL;
        }
    }

  node = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  json_node_take_object (node, object);
  for (guint i = 0; i < MIN (header->len, row->len); i++)
    {
      const char *key = g_ptr_array_index (header, i);

      if (*key != '\0')
        json_object_set_string_member (object, key, g_ptr_array_index (row, i));
    }
  return node;
}

static gboolean
take_csv_row (LiaFileConnector  *self,
              GPtrArray        **out_row,
              guint             *out_line,
              GError           **error)
{
  if (self->csv_ahead != NULL)
    {
      *out_row = g_steal_pointer (&self->csv_ahead);
      *out_line = self->csv_ahead_line;
      return TRUE;
    }
  if (self->csv_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->csv_error));
      return FALSE;
    }
  if (!lia_csv_reader_next_row (self->csv, out_row, error))
    return FALSE;
  *out_line = lia_csv_reader_get_line (self->csv);
  return TRUE;
}

/* Adds up to CSV_PAGE_SIZE rows of @name to @records, and reads one row
 * ahead to know whether the file ends with them. */
static gboolean
read_csv_page (LiaFileConnector  *self,
               LiaPageState      *state,
               const char        *name,
               JsonArray         *records,
               gboolean          *out_file_done,
               GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  *out_file_done = FALSE;
  if (self->csv == NULL || self->csv_type != state->type || g_strcmp0 (self->csv_name, name) != 0)
    {
      if (!open_csv (self, state->type, name, state->offset, error))
        return FALSE;
    }
  if (self->csv_header == NULL)
    {
      *out_file_done = TRUE;
      count_csv_bytes (self);
      return TRUE;
    }

  while (json_array_get_length (records) < CSV_PAGE_SIZE)
    {
      g_autoptr(GPtrArray) row = NULL;
      JsonNode *object;
      guint line = 0;

      if (!take_csv_row (self, &row, &line, &local_error))
        {
          if (local_error != NULL)
            {
              set_file_error (name, local_error, error);
              return FALSE;
            }
          *out_file_done = TRUE;
          break;
        }
      object = row_to_object (self->csv_header, row, name, line, error);
      if (object == NULL)
        return FALSE;
      json_array_add_element (records, object);
    }

  if (!*out_file_done && self->csv_error == NULL)
    {
      if (lia_csv_reader_next_row (self->csv, &self->csv_ahead, &self->csv_error))
        self->csv_ahead_line = lia_csv_reader_get_line (self->csv);
      else if (self->csv_error == NULL)
        *out_file_done = TRUE;
    }
  count_csv_bytes (self);
  return TRUE;
}

static JsonNode *
new_array_node (void)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, json_array_new ());
  return node;
}

/* LiaConnector */

static const LiaEndpoint *
lia_file_connector_get_endpoint (LiaConnector *connector,
                                 LiaDataType   type)
{
  return LIA_FILE_CONNECTOR (connector)->config->endpoints[type];
}

static GPtrArray *
lia_file_connector_get_mappings (LiaConnector *connector,
                                 LiaDataType   type)
{
  return LIA_FILE_CONNECTOR (connector)->config->mappings[type];
}

static LiaPage *
lia_file_connector_fetch_page (LiaConnector  *connector,
                               LiaPageState  *state,
                               GError       **error)
{
  LiaFileConnector *self = LIA_FILE_CONNECTOR (connector);
  g_autoptr(LiaPage) page = g_new0 (LiaPage, 1);
  g_autofree char *next = NULL;
  const char *records_path = "";
  gboolean file_done = TRUE;
  FileFormat format;
  guint n_records;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return NULL;

  if (state->cursor == NULL &&
      !find_next_file (self, state->endpoint->path, NULL, &state->cursor, error))
    return NULL;

  if (state->cursor == NULL)
    {
      /* No file matches: nothing to read, which is no error. */
      page->root = new_array_node ();
    }
  else if (!find_format (state->cursor, &format, error))
    {
      return NULL;
    }
  else if (format == FORMAT_JSON)
    {
      records_path = state->endpoint->records_path;
      page->root = read_json_file (self, state->cursor, records_path, error);
      if (page->root == NULL)
        return NULL;
    }
  else
    {
      page->root = new_array_node ();
      if (!read_csv_page (self, state, state->cursor, json_node_get_array (page->root), &file_done, error))
        {
          /* The reader is spent: a retry opens the file again. */
          close_csv (self);
          return NULL;
        }
    }

  page->records = lia_page_find_records (page->root, records_path, error);
  if (page->records == NULL)
    return NULL;
  n_records = json_array_get_length (page->records);

  if (file_done && state->cursor != NULL)
    {
      if (self->csv_type == state->type && g_strcmp0 (self->csv_name, state->cursor) == 0)
        close_csv (self);
      if (!find_next_file (self, state->endpoint->path, state->cursor, &next, error))
        return NULL;
    }

  state->pages++;
  state->records += n_records;
  if (file_done)
    {
      g_free (state->cursor);
      state->cursor = g_steal_pointer (&next);
      state->offset = 0;
      state->done = state->cursor == NULL;
    }
  else
    {
      state->offset += n_records;
    }

  page->number = state->pages;
  page->is_last = state->done;
  return g_steal_pointer (&page);
}

/* Reachable when the folder can be listed; says how many files each
 * endpoint's pattern matches. */
static gboolean
lia_file_connector_test (LiaConnector       *connector,
                         LiaConnectionTest  *result,
                         GError            **error)
{
  LiaFileConnector *self = LIA_FILE_CONNECTOR (connector);
  g_autoptr(GString) message = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  gint64 started = g_get_monotonic_time ();

  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      const LiaEndpoint *endpoint = self->config->endpoints[type];
      g_autoptr(GPtrArray) names = NULL;

      if (endpoint == NULL)
        continue;
      names = list_matches (self, endpoint->path, &local_error);
      if (names == NULL)
        break;
      if (message->len > 0)
        g_string_append (message, ", ");
      g_string_append_printf (message,
                              g_dngettext (GETTEXT_PACKAGE, "%u file matches %s", "%u files match %s", names->len),
                              names->len, endpoint->path);
    }

  /* With no endpoint, the folder itself is still worth a look. */
  if (local_error == NULL && message->len == 0)
    {
      g_autoptr(GDir) dir = g_dir_open (self->config->folder, 0, &local_error);

      if (dir == NULL)
        {
          g_autoptr(GError) folder_error = g_steal_pointer (&local_error);

          set_folder_error (self, folder_error, &local_error);
        }
      else
        g_string_append (message, _("The folder can be read; no endpoint names a file"));
    }

  if (local_error != NULL)
    {
      lia_connection_test_fill (result, 0, (g_get_monotonic_time () - started) / 1000, local_error);
      g_free (result->hint);
      if (g_error_matches (local_error, LIA_SYNC_ERROR, LIA_SYNC_ERROR_PERMISSION_DENIED))
        result->hint = g_strdup (_("Give the account Liaison runs as read access to the folder."));
      else
        result->hint = g_strdup (_("Check the folder in the integration’s settings, and that the exports are dropped there."));
      return TRUE;
    }

  result->reachable = TRUE;
  result->http_status = 0;
  result->response_ms = (g_get_monotonic_time () - started) / 1000;
  result->message = g_string_free (g_steal_pointer (&message), FALSE);
  return TRUE;
}

static guint64
lia_file_connector_get_bytes (LiaConnector *connector)
{
  return LIA_FILE_CONNECTOR (connector)->bytes;
}

static void
connector_iface_init (LiaConnectorInterface *iface)
{
  iface->get_endpoint = lia_file_connector_get_endpoint;
  iface->get_mappings = lia_file_connector_get_mappings;
  iface->fetch_page = lia_file_connector_fetch_page;
  iface->test = lia_file_connector_test;
  iface->get_bytes = lia_file_connector_get_bytes;
}

/* GObject */

static void
lia_file_connector_finalize (GObject *object)
{
  LiaFileConnector *self = LIA_FILE_CONNECTOR (object);

  close_csv (self);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->config, lia_config_unref);

  G_OBJECT_CLASS (lia_file_connector_parent_class)->finalize (object);
}

static void
lia_file_connector_class_init (LiaFileConnectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lia_file_connector_finalize;
}

static void
lia_file_connector_init (LiaFileConnector *self)
{
}

/* Public API */

LiaConnector *
lia_file_connector_new (LiaConfig    *config,
                        GCancellable *cancellable)
{
  LiaFileConnector *self;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->folder != NULL, NULL);

  self = g_object_new (LIA_TYPE_FILE_CONNECTOR, NULL);
  self->config = lia_config_ref (config);
  if (cancellable != NULL)
    self->cancellable = g_object_ref (cancellable);

  return LIA_CONNECTOR (self);
}
