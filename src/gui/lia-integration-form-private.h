/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "lia-endpoint-row.h"
#include "lia-form-model.h"
#include "lia-integration-form.h"
#include "lia-oauth.h"

G_BEGIN_DECLS

/* Shared by lia-integration-form.c (the rows: showing the model, editing
 * it, showing its problems) and lia-integration-form-actions.c (what the
 * form does: save, test, sign in, import, export, mappings). */
struct _LiaIntegrationForm
{
  AdwWindow            parent_instance;

  LiaWindow           *window;           /* weak: the main window */
  char                *db_path;
  LiaFormModel        *model;
  LiaFormCheck        *check;            /* of the model as it is now */
  char                *saved_json;       /* the config as last saved, to tell unsaved changes */
  GCancellable        *cancellable;      /* of every task; cancelled when the form closes */
  GCancellable        *signin_cancellable;
  LiaOAuthStatus       oauth_status;
  char                *signin_url;       /* to copy when no browser opened */
  gboolean             updating;         /* showing the model: not the user's doing */
  gboolean             reveal_all;       /* show problems on untouched rows too */
  gboolean             saving;
  gboolean             testing;
  gboolean             signing_in;
  gboolean             closed;
  guint                auth_types[LIA_N_AUTH_TYPES];  /* the auth combo's items */
  guint                n_auth_types;
  GHashTable          *rows;             /* key → row, borrowed */
  GPtrArray           *header_rows;      /* LiaHeaderRow, in order, borrowed */
  LiaEndpointRow      *endpoint_rows[LIA_N_DATA_TYPES];

  AdwWindowTitle      *window_title;
  GtkButton           *cancel_button;
  GtkButton           *save_button;
  GtkMenuButton       *menu_button;
  GtkRevealer         *banner_revealer;
  GtkLabel            *banner_label;
  GtkButton           *banner_button;
  AdwToastOverlay     *toast_overlay;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *template_group;
  AdwComboRow         *template_row;
  AdwPreferencesGroup *connection_group;
  AdwEntryRow         *name_row;
  AdwEntryRow         *base_url_row;
  AdwEntryRow         *folder_row;
  GtkButton           *folder_button;
  AdwComboRow         *auth_row;
  AdwPasswordEntryRow *api_key_row;
  GtkWidget           *api_key_stored;
  AdwComboRow         *api_key_place_row;
  AdwEntryRow         *api_key_header_row;
  AdwEntryRow         *api_key_query_row;
  AdwEntryRow         *username_row;
  AdwPasswordEntryRow *password_row;
  GtkWidget           *password_stored;
  AdwPreferencesGroup *signin_group;
  AdwComboRow         *provider_row;
  AdwEntryRow         *issuer_row;
  AdwExpanderRow      *oauth_urls_row;
  AdwEntryRow         *authorization_url_row;
  AdwEntryRow         *token_url_row;
  AdwEntryRow         *revocation_url_row;
  AdwEntryRow         *userinfo_url_row;
  AdwEntryRow         *tenant_row;
  AdwEntryRow         *client_id_row;
  AdwPasswordEntryRow *client_secret_row;
  GtkWidget           *client_secret_stored;
  AdwEntryRow         *scopes_row;
  AdwActionRow        *account_row;
  GtkStack            *account_stack;
  GtkButton           *sign_in_button;
  GtkSpinner          *signin_spinner;
  GtkButton           *copy_link_button;
  GtkButton           *signin_cancel_button;
  GtkButton           *sign_out_button;
  AdwPreferencesGroup *headers_group;
  GtkButton           *add_header_button;
  AdwPreferencesGroup *data_group;
  AdwPreferencesGroup *schedule_group;
  AdwActionRow        *interval_row;
  GtkSpinButton       *interval_spin;
  AdwActionRow        *enabled_row;
  GtkSwitch           *enabled_switch;
  AdwPreferencesGroup *test_group;
  AdwActionRow        *test_row;
  GtkImage            *test_icon;
  GtkSpinner          *test_spinner;
  GtkButton           *test_button;
};

/* lia-integration-form.c */
LiaIntegrationForm *lia_integration_form_new_for_model (LiaWindow            *window,
                                                        LiaFormModel         *model,
                                                        const LiaOAuthStatus *status);
void     lia_integration_form_show_model       (LiaIntegrationForm *self);
void     lia_integration_form_revalidate       (LiaIntegrationForm *self);
void     lia_integration_form_update_actions   (LiaIntegrationForm *self);
void     lia_integration_form_show_sign_in     (LiaIntegrationForm *self);
void     lia_integration_form_toast            (LiaIntegrationForm *self,
                                                const char         *text);
gboolean lia_integration_form_has_changes      (LiaIntegrationForm *self);
void     lia_integration_form_mark_saved       (LiaIntegrationForm *self);

/* lia-integration-form-actions.c */
void     lia_integration_form_class_init_actions (GtkWidgetClass     *widget_class);
void     lia_integration_form_edit_mappings      (LiaIntegrationForm *self,
                                                  LiaDataType         type);
void     lia_integration_form_clear_test         (LiaIntegrationForm *self);

G_END_DECLS
