#!/bin/sh
# redi-orm run as a user runs it: help texts, version, exit statuses, uncaught errors with file
# and line, how the database URI is chosen.
#   cli.sh REDI_ORM TESTS_JS_DIR TMPDIR
set -u
cli=$1
src=$2
tmp=$3
fails=0
check() { # check WHAT CONDITION...
  what=$1
  shift
  if "$@"; then :; else
    echo "FAIL: $what"
    fails=$((fails + 1))
  fi
}
has() { grep -q -- "$2" "$1"; }

"$cli" --help >"$tmp/out" 2>&1
check "--help exits 0" test $? -eq 0
check "--help lists run" has "$tmp/out" "run "
check "--help lists validate" has "$tmp/out" "validate"
"$cli" run --help >"$tmp/out" 2>&1
check "run --help exits 0" test $? -eq 0
check "run --help shows --schema" has "$tmp/out" "--schema PATH"
check "run --help shows DATABASE_URL" has "$tmp/out" "DATABASE_URL"
"$cli" version >"$tmp/out" 2>&1
check "version exits 0" test $? -eq 0
check "version prints the version" has "$tmp/out" "redi-orm 0\."
"$cli" run >"$tmp/out" 2>&1
check "run without a script is a usage error" test $? -eq 2
"$cli" run --bogus x.js >"$tmp/out" 2>&1
check "unknown option is a usage error" test $? -eq 2
"$cli" run --db sqlite://:memory: "$tmp/missing.js" >"$tmp/out" 2>&1
check "missing script exits 1" test $? -eq 1
check "missing script named" has "$tmp/out" "missing.js"

cat >"$tmp/throw.js" <<'JS'
console.log('before');

function fail() {
  throw new TypeError('it broke');
}
fail();
JS
"$cli" run --db sqlite://:memory: "$tmp/throw.js" >"$tmp/out" 2>"$tmp/err"
check "uncaught error exits 1" test $? -eq 1
check "output before the error is kept" has "$tmp/out" "before"
check "uncaught error names file and line" has "$tmp/err" "throw.js:4: TypeError: it broke"

printf 'await db.executeRaw("CREATE TABLE t (id INTEGER PRIMARY KEY)");\n\nawait db.queryRaw("SELECT nope FROM t");\n' >"$tmp/awaited.js"
"$cli" run --db sqlite://:memory: "$tmp/awaited.js" >"$tmp/out" 2>"$tmp/err"
check "an awaited query error exits 1" test $? -eq 1
check "an awaited query error names the script line" has "$tmp/err" "awaited.js:3: PrismaClientKnownRequestError: Raw query failed: no such column: nope"

printf 'const a = 1;\n\nlet let = ;\n' >"$tmp/syntax.js"
"$cli" run --db sqlite://:memory: "$tmp/syntax.js" >"$tmp/out" 2>"$tmp/err"
check "a syntax error exits 1" test $? -eq 1
check "a syntax error names file and line" has "$tmp/err" "syntax.js:3: SyntaxError"
printf 'module.exports = {\n  a: 1,\n  b: ,\n};\n' >"$tmp/badmod.js"
printf 'require("./badmod");\n' >"$tmp/req.js"
"$cli" run --db sqlite://:memory: "$tmp/req.js" >"$tmp/out" 2>"$tmp/err"
check "a syntax error in a required module names that module" has "$tmp/err" "badmod.js:3: SyntaxError"

printf 'process.stdout.write("a");\nprocess.stdout.write("b\\n");\nconsole.log("c");\n' >"$tmp/write.js"
"$cli" run --db sqlite://:memory: "$tmp/write.js" >"$tmp/out" 2>&1
check "process.stdout.write writes what it is given" test "$(cat "$tmp/out")" = "ab
c"

printf 'await null;\nsetTimeout(() => { Promise.reject(1); null.x; }, 1);\n' >"$tmp/timer-throw.js"
"$cli" run --db sqlite://:memory: "$tmp/timer-throw.js" >"$tmp/out" 2>"$tmp/err"
check "error in a timer exits 1" test $? -eq 1
check "error in a timer names the line" has "$tmp/err" "timer-throw.js:2"

printf 'const p = Promise.reject(new Error("handled"));\np.catch(() => {});\nPromise.reject(new Error("nobody"));\nsetTimeout(() => console.log("too late"), 50);\n' >"$tmp/unhandled.js"
"$cli" run --db sqlite://:memory: "$tmp/unhandled.js" >"$tmp/out" 2>"$tmp/err"
check "an unhandled rejection exits 1" test $? -eq 1
check "an unhandled rejection is printed with its line" has "$tmp/err" "unhandled.js:3: Error: nobody"
check "a handled rejection is not reported" test "$(grep -c "Error: handled" "$tmp/err")" -eq 0
check "timers stop after an unhandled rejection" test "$(grep -c "too late" "$tmp/out")" -eq 0

printf 'process.exitCode = 0;\nsetTimeout(() => process.exit(7), 5);\n' >"$tmp/exit.js"
"$cli" run --db sqlite://:memory: "$tmp/exit.js" >"$tmp/out" 2>&1
check "process.exit status" test $? -eq 7

printf 'process.exitCode = 5;\nconsole.log("done");\n' >"$tmp/exitcode.js"
"$cli" run --db sqlite://:memory: "$tmp/exitcode.js" >"$tmp/out" 2>&1
check "process.exitCode status" test $? -eq 5

printf 'console.log(db.type, process.argv.slice(2).join(","));\n' >"$tmp/argv.js"
"$cli" run --db sqlite://:memory: "$tmp/argv.js" a --b c >"$tmp/out" 2>&1
check "script arguments reach process.argv" has "$tmp/out" "sqlite a,--b,c"
printf 'console.log(process.argv[1]);\n' >"$tmp/argv1.js"
(cd "$tmp" && "$cli" run --db sqlite://:memory: argv1.js) >"$tmp/out" 2>&1
check "process.argv[1] is absolute" test "$(cat "$tmp/out")" = "$(cd "$tmp" && pwd -P)/argv1.js"

# The URI: --db, else DATABASE_URL, else the schema's datasource url, else ./dev.db.
printf 'console.log((await db.queryRaw("PRAGMA database_list"))[0].file);\n' >"$tmp/where.js"
rm -f "$tmp/env.db" "$tmp/js-test.db"
DATABASE_URL="sqlite://$tmp/env.db" "$cli" run "$tmp/where.js" >"$tmp/out" 2>&1
check "DATABASE_URL is used" has "$tmp/out" "env.db"
cp "$src/schema.prisma" "$tmp/schema.prisma"
(unset DATABASE_URL; "$cli" run --schema "$tmp/schema.prisma" "$tmp/where.js") >"$tmp/out" 2>&1
check "the schema's datasource url is used" has "$tmp/out" "$tmp/js-test.db"
mkdir -p "$tmp/multi"
rm -f "$tmp/multi/"*.prisma "$tmp/multi/multi.db"
printf 'datasource db {\n  provider = "sqlite"\n  url      = env("RORM_JS_TEST_MULTI_URL")\n}\n' >"$tmp/multi/a.prisma"
printf 'model M {\n  id Int @id\n}\n' >"$tmp/multi/b.prisma"
(unset DATABASE_URL; RORM_JS_TEST_MULTI_URL="file:./multi.db" "$cli" run --schema "$tmp/multi" "$tmp/where.js") >"$tmp/out" 2>&1
check "a schema directory's datasource url (env, relative to the directory)" has "$tmp/out" "$tmp/multi/multi.db"
(cd "$tmp" && unset DATABASE_URL && "$cli" run where.js) >"$tmp/out" 2>&1
check "the default is ./dev.db" has "$tmp/out" "dev.db"
rm -f "$tmp/dev.db"

# --no-migrate leaves the database as it is.
rm -f "$tmp/nomig.db"
printf 'try { await db.user.select().count(); console.log("has table"); } catch (e) { console.log("no table:", e.message); }\n' >"$tmp/nomig.js"
sed -i 's/db.user.select()/models.User.select()/' "$tmp/nomig.js"
"$cli" run --db "sqlite://$tmp/nomig.db" --schema "$tmp/schema.prisma" --no-migrate "$tmp/nomig.js" >"$tmp/out" 2>&1
check "--no-migrate does not create tables" has "$tmp/out" "no table"
"$cli" run --db "sqlite://$tmp/nomig.db" --schema "$tmp/schema.prisma" "$tmp/nomig.js" >"$tmp/out" 2>&1
check "without --no-migrate tables are created" has "$tmp/out" "has table"

printf 'model X {\n  id Strin @id\n}\n' >"$tmp/bad.prisma"
"$cli" run --db sqlite://:memory: --schema "$tmp/bad.prisma" "$tmp/argv.js" >"$tmp/out" 2>&1
check "a bad schema exits 1" test $? -eq 1
check "a bad schema is reported with its line" has "$tmp/out" "bad.prisma:2"

"$cli" validate --schema "$src/schema.prisma" >"$tmp/out" 2>&1
check "validate still works" test $? -eq 0

if [ "$fails" -ne 0 ]; then
  echo "cli: $fails failed"
  exit 1
fi
echo "cli: all passed"
