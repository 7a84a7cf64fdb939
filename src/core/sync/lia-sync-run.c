/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-sync-run"

#include "config.h"

#include "lia-data-type.h"
#include "lia-sync-run.h"
#include "lia-time.h"

LiaSyncRun *
lia_sync_run_new (void)
{
  LiaSyncRun *run = g_new0 (LiaSyncRun, 1);

  run->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_sync_log_entry_free);
  return run;
}

void
lia_sync_run_free (LiaSyncRun *run)
{
  if (run == NULL)
    return;
  g_free (run->integration_name);
  g_free (run->trigger);
  g_free (run->status);
  g_clear_pointer (&run->errors, g_ptr_array_unref);
  g_free (run->message);
  g_free (run);
}

void
lia_sync_log_entry_free (LiaSyncLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->level);
  g_free (entry->code);
  g_free (entry->data_type);
  g_free (entry->external_id);
  g_free (entry->message);
  g_free (entry);
}

/* The sum over data types of one counter, given by its offset in
 * LiaSyncCounts: lia_sync_run_total (run, G_STRUCT_OFFSET (LiaSyncCounts, created)). */
gint64
lia_sync_run_total (const LiaSyncRun *run,
                    gsize             offset)
{
  gint64 total = 0;

  for (guint i = 0; i < LIA_N_DATA_TYPES; i++)
    total += G_STRUCT_MEMBER (gint64, &run->counts[i], offset);
  return total;
}

/* Records that reached the database: created, updated, unchanged (seen
 * again) or deleted. */
gint64
lia_sync_run_landed (const LiaSyncRun *run)
{
  return lia_sync_run_total (run, G_STRUCT_OFFSET (LiaSyncCounts, created)) +
         lia_sync_run_total (run, G_STRUCT_OFFSET (LiaSyncCounts, updated)) +
         lia_sync_run_total (run, G_STRUCT_OFFSET (LiaSyncCounts, unchanged)) +
         lia_sync_run_total (run, G_STRUCT_OFFSET (LiaSyncCounts, deleted));
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       unix_ms)
{
  json_builder_set_member_name (builder, name);
  if (unix_ms <= 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autofree char *iso = lia_time_to_iso8601 (unix_ms / 1000);
      json_builder_add_string_value (builder, iso);
    }
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The documented JSON shape of a run (see liaison-cli(1)). */
JsonNode *
lia_sync_run_to_json (const LiaSyncRun *run)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  static const char * const count_names[] = {
    "processed", "created", "updated", "unchanged", "deleted", "errors"
  };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  if (run->id > 0)
    json_builder_add_int_value (builder, run->id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "integrationId");
  json_builder_add_int_value (builder, run->integration_id);
  add_string_or_null (builder, "integrationName", run->integration_name);
  add_string_or_null (builder, "trigger", run->trigger);
  add_string_or_null (builder, "status", run->status);
  json_builder_set_member_name (builder, "dryRun");
  json_builder_add_boolean_value (builder, run->dry_run);
  add_time (builder, "startedAt", run->started_at);
  add_time (builder, "finishedAt", run->finished_at);
  json_builder_set_member_name (builder, "durationMs");
  if (run->finished_at > 0)
    json_builder_add_int_value (builder, run->duration_ms);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  for (guint type = 0; type < LIA_N_DATA_TYPES; type++)
    {
      const gint64 *values = (const gint64 *) &run->counts[type];

      if (!(run->types & (1u << type)))
        continue;
      json_builder_set_member_name (builder, lia_data_type_to_string (type));
      json_builder_begin_object (builder);
      for (guint i = 0; i < G_N_ELEMENTS (count_names); i++)
        {
          json_builder_set_member_name (builder, count_names[i]);
          json_builder_add_int_value (builder, values[i]);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, run->requests);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, run->bytes);
  json_builder_set_member_name (builder, "errorTotal");
  json_builder_add_int_value (builder, run->error_total);
  add_string_or_null (builder, "message", run->message);

  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < run->errors->len; i++)
    {
      LiaSyncLogEntry *entry = g_ptr_array_index (run->errors, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "code", entry->code);
      add_string_or_null (builder, "message", entry->message);
      add_string_or_null (builder, "dataType", entry->data_type);
      add_string_or_null (builder, "externalId", entry->external_id);
      add_time (builder, "at", entry->at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
