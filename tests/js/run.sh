#!/bin/sh
# Run one JavaScript test through the CLI on one database target, from an empty database:
#   run.sh REDI_ORM TARGET SCRIPT TMPDIR
# TARGET is sqlite-memory, sqlite-file (a file in TMPDIR), postgres (a scratch schema on
# $RORM_TEST_PG_URL) or mysql (a scratch database on $RORM_TEST_MYSQL_URL). Without the server
# URL a server target exits 77 (skipped), or fails when CI is set, as the conformance suite does.
set -eu
cli=$1
target=$2
script=$3
tmp=$4
dir=$(dirname "$script")
name=$(basename "$script" .test.js)
scratch="js_$(echo "$name" | tr -c 'a-z0-9\n' '_')"
server_url() { # server_url VAR
  eval "url=\${$1:-}"
  if [ -z "$url" ]; then
    case "${CI:-}" in
      "" | 0 | false) echo "$1 is not set: skipping the $target run of $name" >&2; exit 77 ;;
      *) echo "$1 is not set: CI runs every target" >&2; exit 1 ;;
    esac
  fi
}
case "$target" in
  sqlite-memory) uri=sqlite://:memory: ;;
  sqlite-file)
    path="$tmp/$name.db"
    rm -f "$path" "$path-wal" "$path-shm" "$path-journal"
    uri="sqlite://$path"
    ;;
  postgres)
    server_url RORM_TEST_PG_URL
    "$cli" run --db "$url" "$dir/scratch.js" postgres "$scratch" 2>/dev/null
    case "$url" in *\?*) uri="$url&schema=$scratch" ;; *) uri="$url?schema=$scratch" ;; esac
    ;;
  mysql)
    server_url RORM_TEST_MYSQL_URL
    "$cli" run --db "$url" "$dir/scratch.js" mysql "$scratch"
    base=${url%%\?*}
    query=${url#"$base"}
    uri="${base%/*}/$scratch$query"
    ;;
  *) echo "run.sh: unknown target $target" >&2; exit 2 ;;
esac
exec "$cli" run --db "$uri" --schema "$dir/schema.prisma" "$script"
