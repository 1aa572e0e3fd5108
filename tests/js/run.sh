#!/bin/sh
# Run one JavaScript test through the CLI on a database URI, starting from an empty database:
#   run.sh REDI_ORM URI SCRIPT
# A file URI (sqlite://PATH) has its files removed first.
set -eu
cli=$1
uri=$2
script=$3
dir=$(dirname "$script")
case "$uri" in
  sqlite://:memory:) ;;
  sqlite://*) path=${uri#sqlite://}; rm -f "$path" "$path-wal" "$path-shm" "$path-journal" ;;
esac
exec "$cli" run --db "$uri" --schema "$dir/schema.prisma" "$script"
