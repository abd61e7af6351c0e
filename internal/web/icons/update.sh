#!/bin/sh
# Refreshes the web app's icons from the npm package lucide-static (ISC
# licence, kept beside them in LICENSE), at the version pinned here. The
# server inlines them into pages at start (icons.go); add a name to NAMES
# and run this script to use another icon.
set -eu
VERSION=1.87.0
NAMES="house search square-pen heart user message-circle repeat-2 send ellipsis bookmark quote pencil trash-2 flag volume-x ban link globe compass list settings shield log-out user-plus menu x image plus at-sign"
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "lucide-static@$VERSION" >/dev/null && tar xzf "lucide-static-$VERSION.tgz")
rm -f ./*.svg
cp "$tmp/package/LICENSE" LICENSE
for name in $NAMES; do
  cp "$tmp/package/icons/$name.svg" "$name.svg"
done
echo "lucide-static $VERSION: $(echo $NAMES | wc -w) icons"
