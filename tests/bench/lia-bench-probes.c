/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-bench-probes"

#include "config.h"

#include <time.h>

#include "lia-bench-probes.h"

const char * const lia_bench_probe_names[LIA_BENCH_N_PROBES] = {
  "1 ms timeout, G_PRIORITY_HIGH",
  "frame clock tick",
  "idle, G_PRIORITY_DEFAULT_IDLE (a run of its own)",
};

/* --- Static helpers ------------------------------------------------------ */

static gboolean
wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
is_past (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

/* --- Probes -------------------------------------------------------------- */

/* The CPU time the calling thread has run, in µs: for a gap, what the main
 * thread did in it rather than what the kernel gave to others. */
gint64
lia_bench_thread_cpu_us (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

/* Records the gap since @recorder's last call (none on the first). */
void
lia_bench_record (LiaBenchRecorder *recorder)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = lia_bench_thread_cpu_us ();

  g_return_if_fail (recorder != NULL && recorder->gaps != NULL);

  if (recorder->last != 0)
    {
      LiaBenchGap gap = { now, now - recorder->last, cpu - recorder->last_cpu };

      g_array_append_val (recorder->gaps, gap);
    }
  recorder->last = now;
  recorder->last_cpu = cpu;
}

/* A GSourceFunc that records into the LiaBenchRecorder it is given: for a
 * timeout or an idle. */
gboolean
lia_bench_probe_cb (gpointer recorder)
{
  lia_bench_record (recorder);
  return G_SOURCE_CONTINUE;
}

/* A GtkTickCallback that records into the LiaBenchRecorder it is given. */
gboolean
lia_bench_tick_cb (GtkWidget     *widget,
                   GdkFrameClock *frame_clock,
                   gpointer       recorder)
{
  lia_bench_record (recorder);
  return G_SOURCE_CONTINUE;
}

/* Orders LiaBenchGaps by their length, for g_array_sort(). */
int
lia_bench_compare_gaps (gconstpointer a,
                        gconstpointer b)
{
  const LiaBenchGap *x = a, *y = b;

  return x->gap < y->gap ? -1 : x->gap > y->gap;
}

/* The gap at @p (0 to 1) of @sorted, gaps sorted by length, in ms. */
double
lia_bench_percentile_ms (GArray *sorted,
                         double  p)
{
  guint i;

  g_return_val_if_fail (sorted != NULL && sorted->len > 0, 0.0);

  i = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, LiaBenchGap, i).gap / 1000.0;
}

/* --- Waiting ------------------------------------------------------------- */

/* Runs the main loop until @predicate holds or @seconds have passed;
 * returns whether it holds. */
gboolean
lia_bench_wait_until (LiaBenchPredicate predicate,
                      gpointer          data,
                      int               seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake_up_id = g_timeout_add (20, wake_up_cb, NULL);
  gboolean done;

  while (!(done = predicate (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_up_id);
  return done;
}

/* Runs the main loop for @us microseconds. */
void
lia_bench_run_for (gint64 us)
{
  gint64 end = g_get_monotonic_time () + us;

  lia_bench_wait_until (is_past, &end, (int) (us / G_USEC_PER_SEC) + 2);
}
