#!/bin/bash
# Liaison's two everyday commands, from a fresh clone on Debian 12:
#   build-aux/dev.sh run [ARGS…]   install what is missing, build, start the app
#   build-aux/dev.sh test          install what is missing, build, run every test
#                                  (a normal build, then one with ASan and UBSan)
# Both are idempotent: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential pkg-config meson ninja-build gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsqlite3-dev libsecret-1-dev libical-dev
  desktop-file-utils appstream yelp-tools
  # for the tests: a real keyring in a private D-Bus session, a display
  dbus dbus-x11 gnome-keyring libsecret-tools xvfb xauth
  python3-icalendar  # an independent reader of the .ics exports
)
# The OAuth tests run oidc-provider (tests/oauth) with node: keep the
# machine's own node when it has one, which may be newer than Debian's.
if ! command -v npm >/dev/null; then
  PACKAGES+=(nodejs npm)
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {
  local missing=()
  for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  # From the committed lock file; quick when already there.
  [ -d tests/oauth/node_modules ] || npm ci --prefix tests/oauth --no-audit --no-fund
}

build() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@"
  fi
  meson compile -C "$dir"
}

# meson prints its own summary; this adds the plain closing line that
# CI systems read.
summarize() {
  python3 - "$1" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as log:
    for line in log:
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

run_suite() {
  local dir=$1
  local status=0
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=$?
  summarize "$dir/meson-logs/testlog.json"
  return $status
}

case "${1:-}" in
  run)
    shift
    install_missing
    build _build
    export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"
    exec ./_build/src/gui/liaison "$@"
    ;;
  test)
    install_missing
    build _build
    run_suite _build
    build _build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
    run_suite _build-sanitize
    ;;
  *)
    echo "usage: build-aux/dev.sh run|test" >&2
    exit 2
    ;;
esac
