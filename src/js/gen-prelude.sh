#!/bin/sh
# Turn prelude.js into prelude.js.inc, a C string literal that engine.c includes: each line
# becomes "...\n" with backslashes and double quotes escaped.
# usage: gen-prelude.sh [prelude.js [prelude.js.inc]]
set -eu
dir=$(dirname "$0")
in=${1:-$dir/prelude.js}
out=${2:-$dir/prelude.js.inc}
{
  echo "/* Generated from prelude.js by gen-prelude.sh: do not edit. */"
  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/' "$in"
} > "$out"
