/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-form-model"

#include "config.h"

#include "lia-data-type.h"
#include "lia-form-model-private.h"

/* Pairs (headers, map entries) and field mappings: their life cycle, and
 * the model's mappings of each data type. */

LiaFormPair *
lia_form_pair_new (const char *name,
                   const char *value)
{
  LiaFormPair *pair = g_new0 (LiaFormPair, 1);

  pair->name = g_strdup (name != NULL ? name : "");
  pair->value = g_strdup (value != NULL ? value : "");
  return pair;
}

void
lia_form_pair_free (LiaFormPair *pair)
{
  if (pair == NULL)
    return;
  g_free (pair->name);
  g_free (pair->value);
  g_free (pair);
}

GPtrArray *
lia_form_pairs_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) lia_form_pair_free);
}

GPtrArray *
lia_form_pairs_copy (GPtrArray *pairs)
{
  GPtrArray *copy = lia_form_pairs_new ();

  for (guint i = 0; i < pairs->len; i++)
    {
      LiaFormPair *pair = g_ptr_array_index (pairs, i);
      g_ptr_array_add (copy, lia_form_pair_new (pair->name, pair->value));
    }
  return copy;
}

LiaFormMapping *
lia_form_mapping_new (const char *field)
{
  LiaFormMapping *mapping = g_new0 (LiaFormMapping, 1);

  mapping->field = g_strdup (field);
  mapping->map = lia_form_pairs_new ();
  return mapping;
}

LiaFormMapping *
lia_form_mapping_copy (const LiaFormMapping *mapping)
{
  LiaFormMapping *copy = lia_form_mapping_new (mapping->field);

  copy->from = g_strdup (mapping->from);
  g_ptr_array_unref (copy->map);
  copy->map = lia_form_pairs_copy (mapping->map);
  copy->format = g_strdup (mapping->format);
  copy->default_value = g_strdup (mapping->default_value);
  copy->default_is_number = mapping->default_is_number;
  copy->transform = mapping->transform;
  copy->required = mapping->required;
  return copy;
}

void
lia_form_mapping_free (LiaFormMapping *mapping)
{
  if (mapping == NULL)
    return;
  g_free (mapping->field);
  g_free (mapping->from);
  g_ptr_array_unref (mapping->map);
  g_free (mapping->format);
  g_free (mapping->default_value);
  g_free (mapping);
}

/* Whether @mapping says nothing beyond "the field's own name". */
gboolean
lia_form_mapping_is_default (const LiaFormMapping *mapping)
{
  return !lia_form_has_text (mapping->from) && mapping->map->len == 0 &&
         !lia_form_has_text (mapping->format) && !lia_form_has_text (mapping->default_value) &&
         mapping->transform == LIA_TRANSFORM_NONE && !mapping->required;
}

GPtrArray *
lia_form_mappings_copy (GPtrArray *mappings)
{
  GPtrArray *copy;

  if (mappings == NULL)
    return NULL;
  copy = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_form_mapping_free);
  for (guint i = 0; i < mappings->len; i++)
    g_ptr_array_add (copy, lia_form_mapping_copy (g_ptr_array_index (mappings, i)));
  return copy;
}

/* --- Mappings ------------------------------------------------------------ */

/* The mapping of @field for @type; with @create, a blank one is added
 * when there is none. */
LiaFormMapping *
lia_form_model_get_mapping (LiaFormModel *model,
                            LiaDataType   type,
                            const char   *field,
                            gboolean      create)
{
  LiaFormMapping *mapping;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (type < LIA_N_DATA_TYPES, NULL);
  g_return_val_if_fail (field != NULL, NULL);

  for (guint i = 0; model->mappings[type] != NULL && i < model->mappings[type]->len; i++)
    {
      mapping = g_ptr_array_index (model->mappings[type], i);
      if (g_str_equal (mapping->field, field))
        return mapping;
    }
  if (!create)
    return NULL;

  if (model->mappings[type] == NULL)
    model->mappings[type] = g_ptr_array_new_with_free_func ((GDestroyNotify) lia_form_mapping_free);
  mapping = lia_form_mapping_new (field);
  g_ptr_array_add (model->mappings[type], mapping);
  return mapping;
}

/* Drops the mappings of @type that say nothing (and were not loaded as
 * objects), so a field left alone is not written. */
void
lia_form_model_prune_mappings (LiaFormModel *model,
                               LiaDataType   type)
{
  GPtrArray *mappings;
  g_autofree char *type_key = NULL;

  g_return_if_fail (model != NULL);
  g_return_if_fail (type < LIA_N_DATA_TYPES);

  mappings = model->mappings[type];
  if (mappings == NULL)
    return;
  type_key = g_strconcat ("fieldMappings.", lia_data_type_to_string (type), NULL);

  for (guint i = mappings->len; i > 0; i--)
    {
      LiaFormMapping *mapping = g_ptr_array_index (mappings, i - 1);
      g_autofree char *key = g_strconcat (type_key, ".", mapping->field, NULL);

      if (lia_form_mapping_is_default (mapping) && !lia_form_model_is_given (model, key))
        g_ptr_array_remove_index (mappings, i - 1);
    }
  if (mappings->len == 0 && !lia_form_model_is_given (model, type_key))
    g_clear_pointer (&model->mappings[type], g_ptr_array_unref);
}

/* Replaces the mappings of @type with a copy of @mappings (NULL: none). */
void
lia_form_model_set_mappings (LiaFormModel *model,
                             LiaDataType   type,
                             GPtrArray    *mappings)
{
  g_return_if_fail (model != NULL);
  g_return_if_fail (type < LIA_N_DATA_TYPES);

  g_clear_pointer (&model->mappings[type], g_ptr_array_unref);
  model->mappings[type] = lia_form_mappings_copy (mappings);
  lia_form_model_prune_mappings (model, type);
}

/* How many fields of @type the form maps other than by their own name. */
guint
lia_form_model_count_mappings (const LiaFormModel *model,
                               LiaDataType         type)
{
  guint count = 0;

  g_return_val_if_fail (model != NULL, 0);
  g_return_val_if_fail (type < LIA_N_DATA_TYPES, 0);

  for (guint i = 0; model->mappings[type] != NULL && i < model->mappings[type]->len; i++)
    if (!lia_form_mapping_is_default (g_ptr_array_index (model->mappings[type], i)))
      count++;
  return count;
}

/* Whether the form names an endpoint for @type. */
gboolean
lia_form_model_uses_type (const LiaFormModel *model,
                          LiaDataType         type)
{
  g_return_val_if_fail (model != NULL, FALSE);
  g_return_val_if_fail (type < LIA_N_DATA_TYPES, FALSE);

  return lia_form_has_text (model->endpoints[type].path);
}
