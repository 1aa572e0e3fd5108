#!/usr/bin/env bash
# The shared library exports rorm_ symbols only (the rest is built with -fvisibility=hidden).
set -euo pipefail
lib="$1"
bad=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRV]$/ {print $3}' | grep -v '^rorm_' || true)
if [ -n "$bad" ]; then
  echo "exported symbols without the rorm_ prefix:"
  echo "$bad"
  exit 1
fi
count=$(nm -D --defined-only "$lib" | grep -c ' rorm_' || true)
[ "$count" -gt 50 ] || { echo "expected the public API to be exported, found $count rorm_ symbols"; exit 1; }
echo "exports: $count rorm_ symbols, nothing else"
