/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "lia-secrets.h"
#include "lia-test-util.h"
#include "lia-util.h"

static char *
lookup (const char *database_id,
        gint64      integration_id,
        const char *field)
{
  g_autoptr(GError) error = NULL;
  char *value = lia_secrets_lookup (database_id, integration_id, field, NULL, &error);

  g_assert_no_error (error);
  return value;
}

static void
store (const char *database_id,
       gint64      integration_id,
       const char *field,
       const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lia_secrets_store (database_id, integration_id, field, value, NULL, &error));
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaSecret) first = NULL;
  g_autoptr(LiaSecret) second = NULL;
  g_autoptr(LiaSecret) gone = NULL;

  store ("db-round-trip", 1, "apiKey", "tok-Ünïcode-1");
  first = lookup ("db-round-trip", 1, "apiKey");
  g_assert_cmpstr (first, ==, "tok-Ünïcode-1");

  /* Storing again replaces, never duplicates. */
  store ("db-round-trip", 1, "apiKey", "tok-2");
  second = lookup ("db-round-trip", 1, "apiKey");
  g_assert_cmpstr (second, ==, "tok-2");

  g_assert_true (lia_secrets_clear ("db-round-trip", 1, "apiKey", NULL, &error));
  g_assert_no_error (error);
  gone = lookup ("db-round-trip", 1, "apiKey");
  g_assert_null (gone);

  /* Clearing what is not there is fine. */
  g_assert_true (lia_secrets_clear ("db-round-trip", 1, "apiKey", NULL, &error));
  g_assert_no_error (error);
}

/* Two databases with the same integration ids never see each other's. */
static void
test_isolated_by_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaSecret) a = NULL;
  g_autoptr(LiaSecret) b = NULL;
  g_autoptr(LiaSecret) b_after = NULL;
  g_autoptr(LiaSecret) a_after = NULL;

  store ("db-a", 1, "password", "secret-of-a");
  store ("db-b", 1, "password", "secret-of-b");
  a = lookup ("db-a", 1, "password");
  b = lookup ("db-b", 1, "password");
  g_assert_cmpstr (a, ==, "secret-of-a");
  g_assert_cmpstr (b, ==, "secret-of-b");

  g_assert_true (lia_secrets_clear ("db-a", 1, NULL, NULL, &error));
  a_after = lookup ("db-a", 1, "password");
  b_after = lookup ("db-b", 1, "password");
  g_assert_null (a_after);
  g_assert_cmpstr (b_after, ==, "secret-of-b");
}

static void
test_clear_all_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LiaSecret) key = NULL;
  g_autoptr(LiaSecret) pass = NULL;
  g_autoptr(LiaSecret) other = NULL;

  store ("db-clear", 5, "apiKey", "k");
  store ("db-clear", 5, "oauth.clientSecret", "c");
  store ("db-clear", 6, "apiKey", "other-integration");

  g_assert_true (lia_secrets_clear ("db-clear", 5, NULL, NULL, &error));
  g_assert_no_error (error);
  key = lookup ("db-clear", 5, "apiKey");
  pass = lookup ("db-clear", 5, "oauth.clientSecret");
  other = lookup ("db-clear", 6, "apiKey");
  g_assert_null (key);
  g_assert_null (pass);
  g_assert_cmpstr (other, ==, "other-integration");
}

/* With no Secret Service on the bus, a clear error says what to start. */
static void
test_unavailable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/liaison-test-bus", TRUE);
      g_assert_false (lia_secrets_store ("db-x", 1, "apiKey", "s3cret-Zq9", NULL, &error));
      g_assert_error (error, LIA_SECRETS_ERROR, LIA_SECRETS_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "gnome-keyring-daemon"));
      g_assert_null (strchr (error->message, '\n'));
      g_assert_null (strstr (error->message, "s3cret-Zq9"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  lia_test_init (&argc, &argv);

  g_test_add_func ("/secrets/round-trip", test_round_trip);
  g_test_add_func ("/secrets/isolated-by-database", test_isolated_by_database);
  g_test_add_func ("/secrets/clear-all-fields", test_clear_all_fields);
  g_test_add_func ("/secrets/unavailable", test_unavailable);

  return g_test_run ();
}
