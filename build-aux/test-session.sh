#!/bin/sh
# Runs one command inside a private D-Bus session with a real
# gnome-keyring-daemon unlocked by a test password, and with fresh XDG
# directories, so that nothing touches the user's own keyring or data.
# meson uses it as the wrapper of every test (see tests/meson.build).
set -u

if [ -z "${LIAISON_TEST_SESSION:-}" ]; then
  export LIAISON_TEST_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/liaison-test.XXXXXX")
export XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data"
export XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" HOME="$tmp/home"
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"

# The daemon prints its control socket; it leaves with the bus.
eval "$(printf 'liaison-test' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
export GNOME_KEYRING_CONTROL="${GNOME_KEYRING_CONTROL:-}"

# Wait until the daemon owns the Secret Service name: a test that asked
# first would make D-Bus start a second daemon, with a locked keyring.
tries=0
while [ $tries -lt 50 ] &&
      ! dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; do
  sleep 0.1
  tries=$((tries + 1))
done

"$@"
status=$?
rm -rf "$tmp"
exit $status
