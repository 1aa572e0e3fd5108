#!/bin/sh
# The migration commands as a user runs them, on a SQLite file: migrate (dry run, apply,
# refusal, force), migrate:generate/apply/status/rollback/reset, and pull (loaded back by
# migrate: nothing to do). Usage: cli.sh path/to/redi-orm
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
export DATABASE_URL="sqlite://$WORK/dev.db"
fails=0
check() { # description, command output file, pattern
    if ! grep -q -- "$3" "$2"; then
        echo "FAIL: $1: no '$3' in:"; cat "$2"; fails=$((fails + 1))
    fi
}
status_is() { # description, expected, actual
    if [ "$2" != "$3" ]; then
        echo "FAIL: $1: exit status $3, expected $2"; fails=$((fails + 1))
    fi
}

cat > schema.prisma <<'P'
datasource db {
  provider = "sqlite"
  url      = "file:./dev.db"
}
model User {
  id    Int     @id @default(autoincrement())
  email String  @unique
  age   Int?
  posts Post[]
}
model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}
P

"$BIN" migrate --dry-run > out.txt 2>&1; status_is "dry run" 0 $?
check "dry run lists the steps" out.txt '-- create table "User"'
check "dry run prints the SQL" out.txt 'CREATE TABLE'
"$BIN" migrate > out.txt 2>&1; status_is "migrate" 0 $?
check "migrate applies" out.txt 'Applied 2 steps.'
"$BIN" migrate > out.txt 2>&1; status_is "migrate again" 0 $?
check "migrate is idempotent" out.txt 'The database is up to date.'

sqlite3 dev.db "INSERT INTO User (email, age) VALUES ('a@x', 3)" 2>/dev/null || true
sed -i 's/  age   Int?//' schema.prisma
"$BIN" migrate > out.txt 2>&1; status_is "destructive refused" 1 $?
check "refusal names the step" out.txt 'drop column "age"'
"$BIN" migrate --force > out.txt 2>&1; status_is "forced" 0 $?
check "forced applies" out.txt 'Applied 1 step.'

"$BIN" pull --out pulled.prisma > out.txt 2>&1; status_is "pull" 0 $?
check "pull writes models" pulled.prisma 'model User {'
check "pull writes relations" pulled.prisma '@relation('
"$BIN" migrate --schema pulled.prisma > out.txt 2>&1; status_is "pulled schema" 0 $?
check "the pulled schema plans empty" out.txt 'The database is up to date.'
# Several schemas are PostgreSQL's (tests/migrate/schemas.c pulls them there).
"$BIN" pull --schemas auth,app > out.txt 2>&1; status_is "pull --schemas on SQLite" 1 $?
check "pull --schemas names the schema" out.txt 'several schemas are supported on PostgreSQL only'
"$BIN" pull --schemas , > out.txt 2>&1; status_is "pull --schemas without names" 2 $?

# File-based migrations on a second database.
export DATABASE_URL="sqlite://$WORK/files.db"
"$BIN" migrate:generate --name init > out.txt 2>&1; status_is "generate" 0 $?
check "generate writes a directory" out.txt 'Wrote migrations/'
"$BIN" migrate:status > out.txt 2>&1; status_is "status" 0 $?
check "status shows pending" out.txt 'pending '
check "status shows drift" out.txt 'drift 2'
"$BIN" migrate:apply > out.txt 2>&1; status_is "apply" 0 $?
check "apply applies" out.txt 'Applied 1 migration.'
"$BIN" migrate:status > out.txt 2>&1
check "status shows applied" out.txt 'applied '
check "no drift" out.txt 'drift 0'
"$BIN" migrate:rollback > out.txt 2>&1; status_is "rollback" 0 $?
check "rollback names it" out.txt 'Rolled back '
"$BIN" migrate:reset > out.txt 2>&1; status_is "reset without force" 1 $?
"$BIN" migrate:reset --force > out.txt 2>&1; status_is "reset" 0 $?
"$BIN" migrate:status > out.txt 2>&1
check "reset applied everything" out.txt 'applied '
"$BIN" migrate --bogus > out.txt 2>&1; status_is "usage" 2 $?

[ $fails -eq 0 ] && echo "all CLI migration checks passed"
exit $fails
