#!/usr/bin/env bash
# The shared library exports exactly the public API: every function declared RORM_API in
# include/rediorm, and no symbol without the rorm_ prefix (the rest is -fvisibility=hidden).
set -euo pipefail
lib="$1"
include="$2"
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRV]$/ {print $3}' | sort -u)
bad=$(grep -v '^rorm_' <<<"$exported" || true)
if [ -n "$bad" ]; then
  echo "exported symbols without the rorm_ prefix:"
  echo "$bad"
  exit 1
fi
declared=$(cat "$include"/rediorm/*.h "$include"/rediorm/sys/*.h | tr '\n' ' ' |
  grep -oE 'RORM_API [^;{]*\(' | grep -oE 'rorm_[a-z0-9_]+ *\($' | tr -d ' (' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
if [ -n "$missing" ]; then
  echo "declared RORM_API but not exported (is the header included where it is defined?):"
  echo "$missing"
  exit 1
fi
echo "exports: $(wc -l <<<"$exported") rorm_ symbols, all $(wc -l <<<"$declared") declared functions, nothing else"
