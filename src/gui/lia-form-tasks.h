/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-connector.h"
#include "lia-form-model.h"
#include "lia-oauth.h"

G_BEGIN_DECLS

/* The integration form's slow work, each in a GTask worker thread with a
 * database connection of its own and a copy of the form's values, so the
 * form may change while it runs. */

/* At most this many records of a sample page are mapped and shown. */
#define LIA_FORM_SAMPLE_ROWS 10

typedef struct {
  char **values;  /* one per column, "" where the record has none; NULL with error */
  char  *error;   /* why the record does not map, or NULL */
} LiaFormSampleRow;

typedef struct {
  LiaDataType  type;
  GStrv        columns;     /* the canonical field names */
  GPtrArray   *rows;        /* of LiaFormSampleRow */
  guint        n_records;   /* on the whole page */
  gint64       elapsed_ms;
} LiaFormSample;

void           lia_form_sample_free         (LiaFormSample       *sample);

void           lia_form_load_async          (const char          *db_path,
                                             gint64               integration_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
LiaFormModel  *lia_form_load_finish         (GAsyncResult        *result,
                                             LiaOAuthStatus      *out_status,
                                             GError             **error);

void           lia_form_save_async          (const char          *db_path,
                                             const LiaFormModel  *model,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gint64         lia_form_save_finish         (GAsyncResult        *result,
                                             GError             **error);

void           lia_form_test_async          (const char          *db_path,
                                             const LiaFormModel  *model,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       lia_form_test_finish         (GAsyncResult        *result,
                                             LiaConnectionTest   *out_result,
                                             GError             **error);

void           lia_form_fetch_sample_async  (const char          *db_path,
                                             const LiaFormModel  *model,
                                             LiaDataType          type,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
LiaFormSample *lia_form_fetch_sample_finish (GAsyncResult        *result,
                                             GError             **error);

void           lia_form_import_async        (GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
LiaConfig     *lia_form_import_finish       (GAsyncResult        *result,
                                             LiaConfigSecrets   **out_secrets,
                                             GError             **error);

void           lia_form_export_async        (GFile               *file,
                                             const LiaFormModel  *model,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       lia_form_export_finish       (GAsyncResult        *result,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaFormSample, lia_form_sample_free)

G_END_DECLS
