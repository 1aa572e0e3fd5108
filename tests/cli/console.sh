#!/bin/sh
# CLI test for `redi-orm console` fed from a pipe (no terminal: no prompt, no line editing):
# values printed as console.log prints them, top-level await, declarations kept between lines,
# input continued over lines, errors reported without stopping, .exit, process.exit, exit codes.
#   tests/cli/console.sh path/to/redi-orm
set -eu
bin=${1:?usage: console.sh path/to/redi-orm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cat >"$tmp/schema.prisma" <<'SCHEMA'
datasource db {
  provider = "sqlite"
  url      = "file:./console.db"
}
model User {
  id    Int    @id @default(autoincrement())
  name  String
  posts Post[]
}
model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
SCHEMA

# A session: the schema's tables are created; each value printed (to depth 2, as Node prints);
# the error does not stop it.
status=0
"$bin" console --schema "$tmp/schema.prisma" >"$tmp/out" 2>"$tmp/err" <<'INPUT' || status=$?
const ann = await db.user.create({ data: { name: "Ann", posts: { create: [{ title: "a" }, { title: "b" }] } } })
ann.name + " has id " + ann.id
await db.user.findMany({
  include: { posts: { select: { title: true } } },
})
function twice(x) { return 2 * x }
twice(await db.post.count())
db.user.findUnique({ where: { id: 1 }, select: { nmae: true } })
let left = `posts: ${
  await db.post.count()
}`
left
.help
models.User.select(["name"]).execute()
.exit
"not reached"
INPUT
[ "$status" -eq 1 ] || fail "exit status $status after an error, expected 1"
cat >"$tmp/want" <<'WANT'
Ann has id 1
[ { id: 1, name: 'Ann', posts: [ [Object], [Object] ] } ]
4
posts: 2
WANT
head -n 4 "$tmp/out" >"$tmp/got"
diff "$tmp/want" "$tmp/got" || fail "unexpected output: $(cat "$tmp/out")"
grep -q '^\.exit  leave' "$tmp/out" || fail ".help printed nothing"
grep -q "^\[ { name: 'Ann' } \]$" "$tmp/out" || fail "chainable API result missing"
grep -q 'not reached' "$tmp/out" && fail ".exit did not stop the session"
grep -q '^Uncaught .*Unknown .*nmae' "$tmp/err" || fail "error not reported: $(cat "$tmp/err")"
[ -f "$tmp/console.db" ] || fail "the schema's database was not used"

# A clean session exits 0; process.exit sets the status; unfinished input is an error.
printf '1 + 1\n' | "$bin" console --db "sqlite://$tmp/console.db" >"$tmp/out" 2>&1 ||
    fail "clean session failed: $(cat "$tmp/out")"
[ "$(cat "$tmp/out")" = "2" ] || fail "1 + 1 printed $(cat "$tmp/out")"
status=0
printf 'process.exit(3)\n"after"\n' | "$bin" console --db sqlite://:memory: >"$tmp/out" 2>&1 || status=$?
[ "$status" -eq 3 ] || fail "process.exit(3) gave status $status"
grep -q after "$tmp/out" && fail "input after process.exit ran"
status=0
printf 'db.$queryRaw`SELECT 1`.then((r) => {\n' | "$bin" console --db sqlite://:memory: >"$tmp/out" 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "unfinished input gave status $status"
grep -q 'unfinished' "$tmp/out" || fail "unfinished input not reported"

# On a terminal (script(1), from Debian's essential bsdutils, gives one): the banner, the
# prompt, line editing by libedit.
printf '6 * 7\n.exit\n' | script -qec "$bin console --db sqlite://:memory:" /dev/null |
    tr -d '\r' >"$tmp/out" 2>&1 || fail "terminal session failed: $(cat "$tmp/out")"
grep -q '^RediORM .* console on sqlite://:memory:' "$tmp/out" || fail "no banner: $(cat "$tmp/out")"
grep -q '^redi> 6 \* 7$' "$tmp/out" || fail "no prompt: $(cat "$tmp/out")"
grep -q '^42$' "$tmp/out" || fail "6 * 7 not printed: $(cat "$tmp/out")"

# Usage.
"$bin" console --help | grep -q 'usage: redi-orm console' || fail "--help"
status=0
"$bin" console --bogus </dev/null >/dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "unknown option gave status $status"
echo "ok"
