#!/bin/sh
# CLI test for `redi-orm validate`: exit codes and the file:line:column + caret output.
#   tests/cli/validate.sh path/to/redi-orm
# Uses the seed schemas in fuzz/corpus/prisma (valid: basic.prisma; invalid: errors.prisma).
set -eu
bin=${1:?usage: validate.sh path/to/redi-orm}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" validate --schema "$root/fuzz/corpus/prisma/basic.prisma" >"$tmp/out" 2>&1 ||
    fail "valid schema rejected: $(cat "$tmp/out")"

if "$bin" validate --schema "$root/fuzz/corpus/prisma/errors.prisma" >"$tmp/out" 2>&1; then
    fail "invalid schema accepted"
fi
grep -q 'errors.prisma:6:23: error:' "$tmp/out" || fail "no file:line:column diagnostic"
grep -q '^   |                       \^~~~~$' "$tmp/out" || fail "no caret line"

# Default path ./schema.prisma, and a missing file.
cp "$root/fuzz/corpus/prisma/basic.prisma" "$tmp/schema.prisma"
(cd "$tmp" && "$bin" validate >/dev/null 2>&1) || fail "default ./schema.prisma not used"
if (cd "$tmp" && "$bin" validate --schema nope.prisma >/dev/null 2>&1); then
    fail "missing file accepted"
fi
echo "ok"
