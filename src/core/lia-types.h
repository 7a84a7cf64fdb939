/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _LiaConfig        LiaConfig;
typedef struct _LiaConfigSecrets LiaConfigSecrets;
typedef struct _LiaDatabase      LiaDatabase;
typedef struct _LiaIntegration   LiaIntegration;

/* The synced data types, in the order they are synced and shown. */
typedef enum {
  LIA_DATA_TYPE_STUDENTS,
  LIA_DATA_TYPE_FACULTY,
  LIA_DATA_TYPE_SUBJECTS,
  LIA_DATA_TYPE_TIMETABLE,
  LIA_DATA_TYPE_ATTENDANCE,
  LIA_DATA_TYPE_MARKS,
  LIA_DATA_TYPE_CUSTOM,
  LIA_N_DATA_TYPES
} LiaDataType;

typedef enum {
  LIA_KIND_REST,
  LIA_KIND_MOODLE,
  LIA_KIND_CANVAS,
  LIA_KIND_FILE,
  LIA_N_KINDS
} LiaKind;

typedef enum {
  LIA_AUTH_NONE,
  LIA_AUTH_API_KEY,
  LIA_AUTH_BEARER,
  LIA_AUTH_BASIC,
  LIA_AUTH_OAUTH2,
  LIA_N_AUTH_TYPES
} LiaAuthType;

G_END_DECLS
