/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-gui-baseline"

#include "config.h"

#include <adwaita.h>
#include <stdio.h>

/* What start-up costs before any of Liaison's code: an AdwApplication
 * (unique on the session bus, as Liaison is) whose window holds a header
 * bar and a label, at the size Liaison's window first opens (1000×700). It reports its first
 * frame as Liaison does with LIAISON_REPORT_FIRST_FRAME (see lia-window.c),
 * so that bench-gui-startup times it the same way:
 *
 *   bench-gui-startup --app BUILDDIR/tests/bench/bench-gui-baseline …
 *
 * The difference between the two is Liaison's own start-up. */

static void
on_after_paint_cb (GdkFrameClock *frame_clock,
                   GtkWidget     *window)
{
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (frame_clock, on_after_paint_cb, window);
  /* No cards to wait for: both reports at once. */
  fprintf (stderr, "first-frame %" G_GINT64_FORMAT " cards=0\n", now);
  fprintf (stderr, "cards-shown %" G_GINT64_FORMAT " cards=0\n", now);
  g_application_quit (g_application_get_default ());
}

static void
on_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint_cb), window);
}

static void
on_activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Baseline");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("io.github.liaison.Liaison.Baseline", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);

  /* The benchmark passes --db for Liaison: nothing here to read. */
  return g_application_run (G_APPLICATION (app), 1, argv);
}
