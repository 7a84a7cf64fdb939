/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "lia-lock"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "lia-lock.h"

struct _LiaLock {
  int fd;
};

static int
open_lock_file (const char  *db_path,
                const char  *name,
                GError     **error)
{
  g_autofree char *dir = g_strconcat (db_path, ".locks", NULL);
  g_autofree char *file = g_strconcat (name, ".lock", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the lock folder %s: %s"), dir, g_strerror (saved_errno));
      return -1;
    }
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the lock file %s: %s"), path, g_strerror (saved_errno));
    }
  return fd;
}

/* Takes the lock if it is free. When another holds it, returns NULL with
 * *@out_busy TRUE and no error. */
LiaLock *
lia_lock_try (const char  *db_path,
              const char  *name,
              gboolean    *out_busy,
              GError     **error)
{
  LiaLock *lock;
  int fd;

  *out_busy = FALSE;
  fd = open_lock_file (db_path, name, error);
  if (fd < 0)
    return NULL;

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      close (fd);
      if (saved_errno == EWOULDBLOCK)
        {
          *out_busy = TRUE;
          return NULL;
        }
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot take the lock %s: %s"), name, g_strerror (saved_errno));
      return NULL;
    }

  lock = g_new0 (LiaLock, 1);
  lock->fd = fd;
  return lock;
}

/* Waits for the lock, checking @cancellable every 50 ms. */
LiaLock *
lia_lock_acquire (const char    *db_path,
                  const char    *name,
                  GCancellable  *cancellable,
                  GError       **error)
{
  for (;;)
    {
      gboolean busy;
      LiaLock *lock = lia_lock_try (db_path, name, &busy, error);

      if (lock != NULL || !busy)
        return lock;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_usleep (50 * 1000);
    }
}

void
lia_lock_release (LiaLock *lock)
{
  if (lock == NULL)
    return;
  flock (lock->fd, LOCK_UN);
  close (lock->fd);
  g_free (lock);
}
