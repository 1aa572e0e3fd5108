#!/usr/bin/env bash
# Install the build into a temporary prefix, then build and run the quickstart against it the
# way another project would: with pkg-config only.
set -euo pipefail
build="$1"
src="$2"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name rediorm.pc | head -1)")
export PKG_CONFIG_PATH="$pcdir"
cc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags rediorm) "$src/examples/quickstart.c" \
  -o "$prefix/quickstart" $(pkg-config --libs rediorm) -Wl,-rpath,"$prefix/$(basename "$(dirname "$pcdir")")"
# The shared library is found through the rpath; the program must run and print its last line.
"$prefix/quickstart" "sqlite://:memory:" | tail -1 | grep -q '^Done\.$'
# And statically, with the private dependencies from pkg-config.
cc -std=c11 $(pkg-config --cflags rediorm) "$src/examples/quickstart.c" -o "$prefix/quickstart-static" \
  "$pcdir/../librediorm.a" $(pkg-config --libs-only-l --static rediorm | sed 's/-lrediorm//')
"$prefix/quickstart-static" "sqlite://:memory:" | tail -1 | grep -q '^Done\.$'
echo "installed headers, libraries and rediorm.pc work for a consumer"
