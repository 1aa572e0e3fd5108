#!/usr/bin/env bash
# Run a command with throwaway test servers: start PostgreSQL and MariaDB (scripts/test-servers.sh),
# run CMD with RORM_TEST_PG_URL / RORM_TEST_MYSQL_URL exported, stop the servers whatever CMD
# did, and exit with CMD's status. When both URLs are already set (your own servers), CMD just runs.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${RORM_TEST_PG_URL:-}" ] && [ -n "${RORM_TEST_MYSQL_URL:-}" ]; then
  exec "$@"
fi
dir=$(mktemp -d /tmp/rediorm-servers.XXXXXX)
trap 'bash "$here/test-servers.sh" stop "$dir"' EXIT
trap 'exit 130' INT TERM
bash "$here/test-servers.sh" start "$dir" >/dev/null || exit 1
# shellcheck disable=SC1091
. "$dir/env"
echo "with-test-servers: $RORM_TEST_PG_URL $RORM_TEST_MYSQL_URL" >&2
"$@"
