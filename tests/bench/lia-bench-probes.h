/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What the GUI benchmarks that watch the main loop share: probes that
 * record how long the main loop goes without coming back to them, and
 * ways to run it until something holds. */

/* The probes the GUI benchmarks run: a 1 ms timeout at G_PRIORITY_HIGH
 * (the longest any one dispatch held the main thread), the frame clock's
 * tick, and, in a run of its own since it keeps a core busy, an idle at
 * G_PRIORITY_DEFAULT_IDLE. */
typedef enum {
  LIA_BENCH_PROBE_TIMEOUT,
  LIA_BENCH_PROBE_TICK,
  LIA_BENCH_PROBE_IDLE,
  LIA_BENCH_N_PROBES
} LiaBenchProbe;

extern const char * const lia_bench_probe_names[LIA_BENCH_N_PROBES];

/* One time the main loop came back to a probe. */
typedef struct {
  gint64 at;   /* monotonic µs, the end of the gap */
  gint64 gap;  /* µs since the probe ran before */
  gint64 cpu;  /* µs the main thread ran during it */
} LiaBenchGap;

/* A probe's gaps. Zero last before starting it; gaps holds LiaBenchGap. */
typedef struct {
  gint64  last;
  gint64  last_cpu;
  GArray *gaps;
} LiaBenchRecorder;

typedef gboolean (*LiaBenchPredicate) (gpointer data);

gint64   lia_bench_thread_cpu_us (void);
void     lia_bench_record        (LiaBenchRecorder  *recorder);
gboolean lia_bench_probe_cb      (gpointer           recorder);
gboolean lia_bench_tick_cb       (GtkWidget         *widget,
                                  GdkFrameClock     *frame_clock,
                                  gpointer           recorder);
int      lia_bench_compare_gaps  (gconstpointer      a,
                                  gconstpointer      b);
double   lia_bench_percentile_ms (GArray            *sorted,
                                  double             p);

gboolean lia_bench_wait_until    (LiaBenchPredicate  predicate,
                                  gpointer           data,
                                  int                seconds);
void     lia_bench_run_for       (gint64             us);

G_END_DECLS
