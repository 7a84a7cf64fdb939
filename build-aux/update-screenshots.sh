#!/bin/sh
# Copies the screenshots that the GUI tests take into data/screenshots/,
# the PNGs that the AppStream metainfo shows in software centres.
#
#   meson test -C _build --suite gui       # takes them, light and dark
#   build-aux/update-screenshots.sh _build # copies the chosen ones
#   git add data/screenshots
#
# With --check, it only checks that every screenshot the metainfo names is
# in data/screenshots/ as a PNG (a test in the data suite runs this).
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
dest="$srcdir/data/screenshots"
metainfo="$srcdir/data/io.github.liaison.Liaison.metainfo.xml.in"

# name in data/screenshots  <-  name the tests give it
shots='
integrations.png        integrations-1280x800-light.png
history.png             history-overview-1280x800.png
form.png                mapping-editor-sample.png
exports.png             exports-1280x800-light.png
narrow.png              integrations-360x720-light.png
integrations-dark.png   integrations-1280x800-dark.png
'

is_png () {
  # The eight bytes every PNG starts with.
  [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
}

if [ "${1:-}" = --check ]; then
  status=0
  for url in $(sed -n 's|.*<image[^>]*>\([^<]*\)</image>.*|\1|p' "$metainfo"); do
    file="$dest/${url##*/}"
    if [ ! -f "$file" ] || ! is_png "$file"; then
      echo "update-screenshots: $url: no PNG at data/screenshots/${url##*/}" >&2
      status=1
    fi
  done
  exit $status
fi

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 BUILDDIR   (after meson test -C BUILDDIR --suite gui)" >&2
  echo "       $0 --check" >&2
  exit 2
fi
build=$(cd "$1" && pwd)

# The GUI tests save into tests/gui/screenshots.
find_shot () {
  if [ -f "$build/tests/gui/screenshots/$1" ]; then
    echo "$build/tests/gui/screenshots/$1"
    return 0
  fi
  return 1
}

missing=0
echo "$shots" | while read -r name from; do
  [ -n "$name" ] || continue
  if ! find_shot "$from" >/dev/null; then
    echo "update-screenshots: $from: not in $build/tests; run: meson test -C $1 --suite gui" >&2
    exit 1
  fi
done || missing=1
[ $missing -eq 0 ] || exit 1

mkdir -p "$dest"
echo "$shots" | while read -r name from; do
  [ -n "$name" ] || continue
  cp "$(find_shot "$from")" "$dest/$name"
  echo "data/screenshots/$name  <-  $from"
done
