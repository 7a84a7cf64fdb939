/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The size of the school database the GUI benchmarks share. */
#define LIA_BENCH_SCHOOL_INTEGRATIONS 200
#define LIA_BENCH_SCHOOL_RUNS         1000000

/* Where bench-gui-startup's run target keeps it: in the build directory,
 * beside the benchmarks. */
#define LIA_BENCH_SCHOOL_CACHE_NAME   "bench-gui-startup.db"

void lia_bench_prepare_school_database (const char *path,
                                        guint       n_integrations,
                                        guint       n_runs);

G_END_DECLS
