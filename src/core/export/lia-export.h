/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "lia-database.h"

G_BEGIN_DECLS

#define LIA_EXPORT_ERROR (lia_export_error_quark ())

typedef enum {
  LIA_EXPORT_ERROR_INVALID,    /* options that do not fit: names the option */
  LIA_EXPORT_ERROR_NOT_FOUND,  /* no such session, student or teacher */
  LIA_EXPORT_ERROR_FAILED,
} LiaExportError;

GQuark lia_export_error_quark (void);

typedef enum {
  LIA_EXPORT_MOODLE_RECORDS,       /* Student ID,Student Email,Session ID,Status,Timestamp,Method */
  LIA_EXPORT_MOODLE_MARK_SESSION,  /* the attendance module's "import marks" file, one session */
  LIA_EXPORT_MOODLE_GRADEBOOK,     /* Grades → Import → CSV: one row per student */
  LIA_EXPORT_ICS,                  /* the timetable as iCalendar */
  LIA_EXPORT_REPORT_CSV,           /* HR attendance summary of everyone, as CSV */
  LIA_EXPORT_REPORT_JSON,          /* HR attendance summary of one person, as JSON */
} LiaExportKind;

typedef enum {
  LIA_IDENTIFIER_EMAIL,
  LIA_IDENTIFIER_IDNUMBER,  /* the student's external id */
} LiaIdentifier;

/* What to export. Times are Unix seconds, 0 for no bound; ids are the
 * source systems' external ids. */
typedef struct {
  LiaExportKind  kind;
  gint64         from;
  gint64         to;
  const char    *session_id;     /* records: filter; mark-session: required */
  const char    *student_id;     /* ics: one student's calendar; report: one person */
  const char    *faculty_id;     /* ics: one teacher's calendar */
  LiaIdentifier  identifier;     /* mark-session, gradebook */
  gboolean       marks;          /* gradebook: scores per subject and assessment */
  gboolean       bom;            /* CSV: begin with a UTF-8 byte order mark */
  const char    *acronyms[4];    /* mark-session: present, late, excused, absent; NULL = P, L, E, A */
  gboolean       utc;            /* ics: times in UTC instead of the integration's zone */
  const char    *calendar_name;  /* ics: X-WR-CALNAME; NULL for a default */
} LiaExportOptions;

/* Called now and then from the exporting thread with the rows written. */
typedef void (*LiaExportProgressFunc) (gint64   rows,
                                       gpointer user_data);

/* Where an export goes: standard output, or a temporary file beside the
 * target that is renamed over it only when everything was written, so a
 * failed or cancelled export never leaves half a file. */
typedef struct _LiaExportSink LiaExportSink;

LiaExportSink *lia_export_sink_new        (const char     *path,
                                           GError        **error);
GOutputStream *lia_export_sink_get_stream (LiaExportSink  *sink);
gboolean       lia_export_sink_commit     (LiaExportSink  *sink,
                                           GError        **error);
void           lia_export_sink_free       (LiaExportSink  *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiaExportSink, lia_export_sink_free)

gboolean lia_export_run    (const char              *db_path,
                            const LiaExportOptions  *options,
                            const char              *path,
                            LiaExportProgressFunc    progress,
                            gpointer                 progress_data,
                            GCancellable            *cancellable,
                            gint64                  *out_rows,
                            GError                 **error);
void     lia_export_async  (const char              *db_path,
                            const LiaExportOptions  *options,
                            const char              *path,
                            LiaExportProgressFunc    progress,
                            gpointer                 progress_data,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data);
gboolean lia_export_finish (GAsyncResult            *result,
                            gint64                  *out_rows,
                            GError                 **error);

/* The writers lia_export_run() dispatches to; each streams rows from a
 * SQLite cursor into @out, checking @cancellable every so many rows, and
 * returns the number of rows (events, people) written, or -1. */
typedef struct {
  LiaDatabase            *db;
  const LiaExportOptions *options;
  GOutputStream          *out;
  LiaExportProgressFunc   progress;
  gpointer                progress_data;
  GCancellable           *cancellable;
} LiaExportContext;

gint64 lia_moodle_csv_write        (LiaExportContext  *context,
                                    GError           **error);
gint64 lia_ics_write               (LiaExportContext  *context,
                                    GError           **error);
gint64 lia_attendance_report_write (LiaExportContext  *context,
                                    GError           **error);

G_END_DECLS
