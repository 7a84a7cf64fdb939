/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-run-item"

#include "config.h"

#include <string.h>

#include "lia-run-item.h"

/* A plain value object: the history model makes items (placeholders on the
 * main thread, loaded ones in its worker threads) and fills a placeholder
 * in place when its page arrives, so that a selection made on the
 * placeholder survives. */
struct _LiaRunItem
{
  GObject        parent_instance;

  gboolean       loaded;
  LiaRunSummary  summary;
};

G_DEFINE_FINAL_TYPE (LiaRunItem, lia_run_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- GObject ------------------------------------------------------------ */

static void
lia_run_item_finalize (GObject *object)
{
  LiaRunItem *self = LIA_RUN_ITEM (object);

  lia_run_summary_clear (&self->summary);

  G_OBJECT_CLASS (lia_run_item_parent_class)->finalize (object);
}

static void
lia_run_item_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  LiaRunItem *self = LIA_RUN_ITEM (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_ID:
      g_value_set_int64 (value, self->summary.id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lia_run_item_class_init (LiaRunItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = lia_run_item_finalize;
  object_class->get_property = lia_run_item_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lia_run_item_init (LiaRunItem *self)
{
}

/* --- Public API ---------------------------------------------------------- */

void
lia_run_summary_clear (LiaRunSummary *summary)
{
  g_clear_pointer (&summary->integration_name, g_free);
  g_clear_pointer (&summary->trigger, g_free);
  g_clear_pointer (&summary->status, g_free);
}

/* A loaded item; takes the summary's strings and clears it. */
LiaRunItem *
lia_run_item_new (LiaRunSummary *summary)
{
  LiaRunItem *self;

  g_return_val_if_fail (summary != NULL, NULL);

  self = g_object_new (LIA_TYPE_RUN_ITEM, NULL);
  self->loaded = TRUE;
  self->summary = *summary;
  memset (summary, 0, sizeof *summary);
  return self;
}

LiaRunItem *
lia_run_item_new_placeholder (void)
{
  return g_object_new (LIA_TYPE_RUN_ITEM, NULL);
}

/* Makes the placeholder @self the loaded item @from, whose values it takes. */
void
lia_run_item_fill (LiaRunItem *self,
                   LiaRunItem *from)
{
  g_return_if_fail (LIA_IS_RUN_ITEM (self));
  g_return_if_fail (LIA_IS_RUN_ITEM (from));
  g_return_if_fail (!self->loaded && from->loaded);

  self->summary = from->summary;
  memset (&from->summary, 0, sizeof from->summary);
  from->loaded = FALSE;
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

gboolean
lia_run_item_get_loaded (LiaRunItem *self)
{
  g_return_val_if_fail (LIA_IS_RUN_ITEM (self), FALSE);
  return self->loaded;
}

#define GETTER(type, name) \
  type \
  lia_run_item_get_##name (LiaRunItem *self) \
  { \
    g_return_val_if_fail (LIA_IS_RUN_ITEM (self), 0); \
    return self->summary.name; \
  }

GETTER (gint64, id)
GETTER (gint64, integration_id)
GETTER (const char *, integration_name)
GETTER (const char *, trigger)
GETTER (const char *, status)
GETTER (gint64, started_at)
GETTER (gint64, duration_ms)
GETTER (gint64, processed)
GETTER (gint64, created)
GETTER (gint64, updated)
GETTER (gint64, deleted)
GETTER (gint64, errors)

#undef GETTER
