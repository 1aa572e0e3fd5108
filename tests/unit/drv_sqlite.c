/*
 * The SQLite driver against real SQLite, in memory and in a temporary file: connection settings,
 * binding and reading every value kind, statement rules and the mapping of SQLite errors.
 */
#include "harness/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/driver.h"

/* ---- helpers ------------------------------------------------------------------------------ */

typedef struct tmpdb {
    char dir[64];
    char path[128];
} tmpdb;

static void tmpdb_make(tmpdb *t)
{
    const char *base = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/rorm_drv_XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
}

static void tmpdb_remove(tmpdb *t)
{
    char p[160];
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", t->path, suffixes[i]);
        unlink(p);
    }
    rmdir(t->dir);
}

static const rorm_driver *sqlite_driver(void)
{
    const rorm_driver *d = rorm__driver_for_scheme("sqlite", 6);
    assert_non_null(d);
    return d;
}

static rorm_conn *open_path(const char *path)
{
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_conn *conn = NULL;
    cfg.type = RORM_DB_SQLITE;
    cfg.path = path;
    assert_rorm_ok(rorm__conn_open(&conn, sqlite_driver(), &cfg, &err), &err);
    assert_non_null(conn);
    return conn;
}

static void exec_ok(rorm_conn *conn, const char *sql)
{
    rorm_error err = { 0 };
    assert_rorm_ok(rorm__conn_exec(conn, sql, &err), &err);
}

static rorm_stmt *prepare_ok(rorm_conn *conn, const char *sql)
{
    rorm_error err = { 0 };
    rorm_stmt *stmt = NULL;
    assert_rorm_ok(rorm__conn_prepare(&stmt, conn, sql, strlen(sql), &err), &err);
    return stmt;
}

/* Run @p sql and return the first column of its first row (which must be an integer). */
static int64_t query_int(rorm_conn *conn, const char *sql)
{
    rorm_error err = { 0 };
    rorm_value v;
    rorm_stmt *stmt = prepare_ok(conn, sql);
    assert_int_equal(conn->driver->step(stmt, &err), 1);
    assert_rorm_ok(conn->driver->column(stmt, 0, &v, &err), &err);
    assert_int_equal(v.type, RORM_TYPE_INT);
    return v.u.i;
}

/* Run @p sql and copy the first column of its first row (text) into @p buf. */
static void query_text(rorm_conn *conn, const char *sql, char *buf, size_t size)
{
    rorm_error err = { 0 };
    rorm_value v;
    rorm_stmt *stmt = prepare_ok(conn, sql);
    assert_int_equal(conn->driver->step(stmt, &err), 1);
    assert_rorm_ok(conn->driver->column(stmt, 0, &v, &err), &err);
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    snprintf(buf, size, "%s", v.u.s.ptr);
}

#define TEXT_N(p, n) \
    ((rorm_value){ .type = RORM_TYPE_TEXT, .flags = RORM_VALUE_BORROWED, .u.s = { (p), (n) } })
#define TYPED_TEXT(t, p) \
    ((rorm_value){ .type = (t), .flags = RORM_VALUE_BORROWED, .u.s = { (p), strlen(p) } })

/* ---- registry ----------------------------------------------------------------------------- */

static void test_drv_sqlite__registry(void **state)
{
    (void)state;
    const rorm_driver *d = sqlite_driver();
    assert_string_equal(d->scheme, "sqlite");
    assert_int_equal(d->db_type, RORM_DB_SQLITE);
    assert_int_equal(d->version, RORM_DRIVER_VERSION);
    assert_true(d->caps & RORM_CAP_RETURNING);
    assert_true(d->caps & RORM_CAP_SAVEPOINTS);
    assert_true(d->caps & RORM_CAP_TRANSACTIONAL_DDL);
    assert_true(d->caps & RORM_CAP_UPSERT_ON_CONFLICT);
    assert_false(d->caps & RORM_CAP_UPSERT_ON_DUPLICATE);
    assert_ptr_equal(rorm__driver_for_type(RORM_DB_SQLITE), d);
    assert_ptr_equal(rorm__driver_for_scheme("SQLite", 6), d);
    assert_ptr_equal(rorm__driver_for_scheme("sqlite://x", 6), d);
    assert_null(rorm__driver_for_scheme("sqlit", 5));
    assert_null(rorm__driver_for_scheme("sqlite3", 7));
#ifdef RORM_WITH_PG
    assert_ptr_equal(rorm__driver_for_scheme("postgresql", 10),
                     rorm__driver_for_type(RORM_DB_POSTGRES));
#else
    assert_null(rorm__driver_for_scheme("postgresql", 10));
#endif
    assert_null(rorm__driver_for_scheme(NULL, 0));
    assert_null(rorm__driver_for_type(RORM_DB_NONE));

    size_t n = 0;
    while (rorm__drivers[n] != NULL) {
        n++;
    }
    assert_true(n >= 1);
    assert_ptr_equal(rorm__drivers[0], d);
}

/* ---- connections -------------------------------------------------------------------------- */

static void test_drv_sqlite__memory_pragmas(void **state)
{
    (void)state;
    char mode[32];
    rorm_conn *conn = open_path(":memory:");
    assert_int_equal(query_int(conn, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(conn, "PRAGMA busy_timeout"), 5000);
    /* WAL is for files; a memory database keeps its own journal mode. */
    query_text(conn, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "memory");
    assert_false(conn->broken);
    rorm__conn_close(conn);
}

static void test_drv_sqlite__file_pragmas(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    char mode[32];
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_conn *conn = NULL;
    cfg.path = t.path;
    cfg.busy_timeout_ms = 1234;
    assert_rorm_ok(rorm__conn_open(&conn, sqlite_driver(), &cfg, &err), &err);
    assert_int_equal(access(t.path, F_OK), 0); /* created */
    assert_int_equal(query_int(conn, "PRAGMA foreign_keys"), 1);
    assert_int_equal(query_int(conn, "PRAGMA busy_timeout"), 1234);
    assert_int_equal(query_int(conn, "PRAGMA synchronous"), 1); /* NORMAL */
    query_text(conn, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    rorm__conn_close(conn);

    /* WAL is persistent; a second connection sees the same file and settings. */
    conn = open_path(t.path);
    query_text(conn, "PRAGMA journal_mode", mode, sizeof mode);
    assert_string_equal(mode, "wal");
    assert_int_equal(query_int(conn, "PRAGMA foreign_keys"), 1);
    rorm__conn_close(conn);
    tmpdb_remove(&t);
}

static void test_drv_sqlite__open_errors(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_conn *conn = (rorm_conn *)&err;
    assert_int_equal(rorm__conn_open(&conn, sqlite_driver(), &cfg, &err), RORM_EINVAL);
    assert_null(conn);
    assert_int_equal(err.code, RORM_EINVAL);

    cfg.path = "/nonexistent-dir-rorm/x/y.db";
    assert_int_equal(rorm__conn_open(&conn, sqlite_driver(), &cfg, &err), RORM_EDRIVER);
    assert_null(conn);
    assert_non_null(strstr(err.message, "/nonexistent-dir-rorm/x/y.db"));
    assert_non_null(strstr(err.message, "unable to open database file"));
}

/* ---- exec and prepare --------------------------------------------------------------------- */

static void test_drv_sqlite__exec_and_prepare_rules(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_stmt *stmt = NULL;
    rorm_conn *conn = open_path(":memory:");
    const rorm_driver *d = conn->driver;

    /* exec takes several statements. */
    exec_ok(conn,
            "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
    assert_int_equal(query_int(conn, "SELECT count(*) FROM t"), 2);

    /* prepare takes one; a trailing semicolon, blanks or comments are fine. */
    stmt = prepare_ok(conn, "SELECT a FROM t ORDER BY a; -- done\n  ");
    assert_int_equal(d->column_count(stmt), 1);
    assert_string_equal(d->column_name(stmt, 0), "a");
    assert_int_equal(stmt->nparams, 0);

    const char *two = "SELECT 1; SELECT 2";
    assert_int_equal(rorm__conn_prepare(&stmt, conn, two, strlen(two), &err), RORM_EINVAL);
    assert_null(stmt);
    assert_non_null(strstr(err.message, "one SQL statement"));
    assert_int_equal(rorm__conn_cache_size(conn), 2); /* the count(*) and the ORDER BY query */

    /* Only @p len bytes count: the second statement lies beyond them. */
    stmt = NULL;
    assert_rorm_ok(rorm__conn_prepare(&stmt, conn, two, 9, &err), &err);
    assert_non_null(stmt);

    const char *empty = "  -- nothing\n";
    assert_int_equal(rorm__conn_prepare(&stmt, conn, empty, strlen(empty), &err), RORM_EINVAL);

    const char *bad = "SELEC 1";
    assert_int_equal(rorm__conn_prepare(&stmt, conn, bad, strlen(bad), &err), RORM_EDRIVER);
    assert_non_null(strstr(err.message, "syntax error"));
    assert_int_equal(rorm__conn_exec(conn, "CREATE TABLE t (a)", &err), RORM_EDRIVER);
    assert_string_equal(err.message, "table t already exists");

    /* Parameter counts and out-of-range binds. */
    stmt = prepare_ok(conn, "SELECT ?, ?");
    assert_int_equal(stmt->nparams, 2);
    rorm_value one = RORM_INT(1);
    assert_int_equal(d->bind(stmt, 2, &one, &err), RORM_EINVAL);
    assert_int_equal(d->bind(stmt, 0, &one, &err), RORM_OK);

    /* A bad value type is an error, not a crash. */
    rorm_value junk = { .type = 99 };
    assert_int_equal(d->bind(stmt, 1, &junk, &err), RORM_EINVAL);
    rorm__conn_close(conn);
}

/* ---- values ------------------------------------------------------------------------------- */

static void test_drv_sqlite__round_trip_every_kind(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_conn *conn = open_path(":memory:");
    const rorm_driver *d = conn->driver;
    exec_ok(conn, "CREATE TABLE v (id INTEGER PRIMARY KEY, x)");

    static const char nul_text[] = "a\0b\0c";
    static const uint8_t blob[] = { 0x00, 0xff, 0x10, 0x00, 0x7f };
    rorm_value args[] = {
        RORM_NULL_VALUE,
        RORM_BOOL(true),
        RORM_BOOL(false),
        RORM_INT(INT64_MIN),
        RORM_INT(INT64_MAX),
        RORM_DOUBLE(-2.5e-300),
        TEXT_N(nul_text, sizeof nul_text - 1),
        TEXT_N("h\xc3\xa9llo", 6),
        TEXT_N("", 0),
        RORM_BYTES(blob, sizeof blob),
        RORM_BYTES(NULL, 0),
        RORM_DATETIME(1709288430123LL),
        RORM_DATETIME(-86400000LL),
        TYPED_TEXT(RORM_TYPE_DECIMAL, "-12.50"),
        TYPED_TEXT(RORM_TYPE_JSON, "{\"a\": [1, 2]}"),
    };
    const size_t n = sizeof args / sizeof args[0];

    rorm_stmt *ins = prepare_ok(conn, "INSERT INTO v (id, x) VALUES (?, ?)");
    assert_int_equal(ins->nparams, 2);
    for (size_t i = 0; i < n; i++) {
        rorm_value id = RORM_INT((int64_t)i + 1);
        ins = prepare_ok(conn, "INSERT INTO v (id, x) VALUES (?, ?)");
        assert_rorm_ok(d->bind(ins, 0, &id, &err), &err);
        assert_rorm_ok(d->bind(ins, 1, &args[i], &err), &err);
        assert_int_equal(d->step(ins, &err), 0);
        assert_int_equal(d->changes(ins), 1);
        assert_int_equal(d->last_insert_id(ins), (int64_t)i + 1);
    }

    rorm_stmt *sel = prepare_ok(conn, "SELECT x, typeof(x) FROM v ORDER BY id");
    assert_int_equal(d->column_count(sel), 2);
    assert_string_equal(d->column_name(sel, 0), "x");
    rorm_value v, ty;
    char typ[16];
#define NEXT_ROW()                                          \
    do {                                                    \
        assert_int_equal(d->step(sel, &err), 1);            \
        assert_rorm_ok(d->column(sel, 0, &v, &err), &err);  \
        assert_rorm_ok(d->column(sel, 1, &ty, &err), &err); \
        assert_true(v.flags &RORM_VALUE_BORROWED);          \
        snprintf(typ, sizeof typ, "%s", ty.u.s.ptr);        \
    } while (0)

    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_string_equal(typ, "null");

    NEXT_ROW(); /* bool -> integer 1 / 0 */
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_int_equal(v.u.i, 1);
    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_int_equal(v.u.i, 0);

    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_true(v.u.i == INT64_MIN);
    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_true(v.u.i == INT64_MAX);

    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_DOUBLE);
    assert_true(v.u.d == -2.5e-300);
    assert_string_equal(typ, "real");

    NEXT_ROW(); /* text with NULs keeps its length */
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_int_equal(v.u.s.len, 5);
    assert_memory_equal(v.u.s.ptr, nul_text, 5);
    assert_int_equal(v.u.s.ptr[5], '\0');
    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_int_equal(v.u.s.len, 6);
    assert_string_equal(v.u.s.ptr, "h\xc3\xa9llo");
    NEXT_ROW(); /* empty text is text, not NULL */
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_int_equal(v.u.s.len, 0);
    assert_string_equal(typ, "text");

    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_BYTES);
    assert_int_equal(v.u.bytes.len, sizeof blob);
    assert_memory_equal(v.u.bytes.ptr, blob, sizeof blob);
    NEXT_ROW(); /* an empty blob is a blob, not NULL */
    assert_int_equal(v.type, RORM_TYPE_BYTES);
    assert_int_equal(v.u.bytes.len, 0);
    assert_non_null(v.u.bytes.ptr);
    assert_string_equal(typ, "blob");

    NEXT_ROW(); /* datetimes are INTEGER milliseconds */
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_true(v.u.i == 1709288430123LL);
    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_true(v.u.i == -86400000LL);

    NEXT_ROW(); /* decimals are text (exact digits) */
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_string_equal(v.u.s.ptr, "-12.50");
    NEXT_ROW();
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_string_equal(v.u.s.ptr, "{\"a\": [1, 2]}");
    assert_string_equal(typ, "text");

    assert_int_equal(d->step(sel, &err), 0);
#undef NEXT_ROW

    /* Column index out of range. */
    sel = prepare_ok(conn, "SELECT 1");
    assert_int_equal(d->step(sel, &err), 1);
    assert_int_equal(d->column(sel, 1, &v, &err), RORM_EINVAL);
    rorm__conn_close(conn);
}

static void test_drv_sqlite__array_and_object_as_json(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_conn *conn = open_path(":memory:");
    const rorm_driver *d = conn->driver;
    exec_ok(conn, "CREATE TABLE j (tags TEXT, meta TEXT)");

    rorm_value items[] = { RORM_INT(1), TEXT_N("two", 3), RORM_BOOL(true), RORM_NULL_VALUE };
    rorm_member members[] = {
        { .key = "name", .value = TEXT_N("a\"b", 3) },
        { .key = "n", .value = RORM_INT(-7) },
    };
    rorm_value arr = RORM_ARRAY(items);
    rorm_value obj = RORM_OBJECT(members);

    /* Bind, reset (which frees the JSON text), bind again: no leak, no stale pointer. */
    rorm_stmt *ins = prepare_ok(conn, "INSERT INTO j VALUES (?, ?)");
    assert_rorm_ok(d->bind(ins, 0, &arr, &err), &err);
    assert_rorm_ok(d->bind(ins, 1, &obj, &err), &err);
    d->reset(ins);
    assert_rorm_ok(d->bind(ins, 0, &arr, &err), &err);
    assert_rorm_ok(d->bind(ins, 0, &arr, &err), &err); /* rebinding keeps both texts alive */
    assert_rorm_ok(d->bind(ins, 1, &obj, &err), &err);
    assert_int_equal(d->step(ins, &err), 0);

    /* reset cleared the bindings: a step now inserts NULLs. */
    d->reset(ins);
    assert_int_equal(d->step(ins, &err), 0);

    char buf[128];
    query_text(conn, "SELECT tags FROM j WHERE rowid = 1", buf, sizeof buf);
    assert_string_equal(buf, "[1,\"two\",true,null]");
    query_text(conn, "SELECT meta FROM j WHERE rowid = 1", buf, sizeof buf);
    assert_string_equal(buf, "{\"name\":\"a\\\"b\",\"n\":-7}");
    assert_int_equal(query_int(conn, "SELECT json_array_length(tags) FROM j WHERE rowid = 1"), 4);
    assert_int_equal(query_int(conn, "SELECT count(*) FROM j WHERE rowid = 2 AND tags IS NULL"), 1);
    rorm__conn_close(conn);
}

/* ---- errors ------------------------------------------------------------------------------- */

/* Run @p sql through prepare + step and return the step's result code, filling @p err. */
static int step_sql(rorm_conn *conn, const char *sql, rorm_error *err)
{
    rorm_stmt *stmt = prepare_ok(conn, sql);
    return conn->driver->step(stmt, err);
}

static void test_drv_sqlite__constraint_errors(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_conn *conn = open_path(":memory:");
    exec_ok(conn, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE,"
                  " age INTEGER CHECK (age >= 0));"
                  "CREATE TABLE posts (id INTEGER PRIMARY KEY,"
                  " author_id INTEGER NOT NULL REFERENCES users (id));"
                  "CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b));"
                  "INSERT INTO users (id, email, age) VALUES (1, 'a@x', 1);"
                  "INSERT INTO pairs VALUES (1, 2);");

    assert_int_equal(step_sql(conn, "INSERT INTO users (email) VALUES ('a@x')", &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.code, RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_UNIQUE);
    assert_string_equal(err.message, "UNIQUE constraint failed: users.email");

    assert_int_equal(step_sql(conn, "INSERT INTO users (id, email) VALUES (1, 'b@x')", &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_PRIMARY_KEY);
    assert_string_equal(err.message, "UNIQUE constraint failed: users.id");

    assert_int_equal(step_sql(conn, "INSERT INTO pairs VALUES (1, 2)", &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_PRIMARY_KEY);

    assert_int_equal(step_sql(conn, "INSERT INTO posts (author_id) VALUES (42)", &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_FOREIGN_KEY);
    assert_string_equal(err.message, "FOREIGN KEY constraint failed");

    assert_int_equal(step_sql(conn, "DELETE FROM users WHERE id = 1", &err), 0);
    exec_ok(conn, "INSERT INTO users (id, email) VALUES (1, 'a@x');"
                  "INSERT INTO posts (author_id) VALUES (1)");
    assert_int_equal(step_sql(conn, "DELETE FROM users WHERE id = 1", &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_FOREIGN_KEY);

    assert_int_equal(step_sql(conn, "INSERT INTO users (email) VALUES (NULL)", &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_NOT_NULL);
    assert_string_equal(err.message, "NOT NULL constraint failed: users.email");

    assert_int_equal(step_sql(conn, "INSERT INTO users (email, age) VALUES ('c@x', -1)", &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_CHECK);
    assert_non_null(strstr(err.message, "CHECK constraint failed"));

    /* exec maps the same way. */
    assert_int_equal(rorm__conn_exec(conn, "INSERT INTO users (email) VALUES ('a@x')", &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_UNIQUE);

    /* Other failures are driver errors with no constraint. */
    assert_int_equal(rorm__conn_exec(conn, "INSERT INTO nope VALUES (1)", &err), RORM_EDRIVER);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_NONE);
    assert_string_equal(err.message, "no such table: nope");
    assert_false(conn->broken);
    rorm__conn_close(conn);
}

static void test_drv_sqlite__busy(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_conn *a = NULL, *b = NULL;
    cfg.path = t.path;
    cfg.busy_timeout_ms = 1;
    assert_rorm_ok(rorm__conn_open(&a, sqlite_driver(), &cfg, &err), &err);
    assert_rorm_ok(rorm__conn_open(&b, sqlite_driver(), &cfg, &err), &err);
    exec_ok(a, "CREATE TABLE t (x)");
    exec_ok(a, "BEGIN IMMEDIATE");
    assert_int_equal(rorm__conn_exec(b, "BEGIN IMMEDIATE", &err), RORM_EBUSY);
    assert_int_equal(err.code, RORM_EBUSY);
    assert_string_equal(err.message, "database is locked");
    exec_ok(a, "COMMIT");
    exec_ok(b, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1); COMMIT");
    rorm__conn_close(a);
    rorm__conn_close(b);
    tmpdb_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drv_sqlite__registry),
        cmocka_unit_test(test_drv_sqlite__memory_pragmas),
        cmocka_unit_test(test_drv_sqlite__file_pragmas),
        cmocka_unit_test(test_drv_sqlite__open_errors),
        cmocka_unit_test(test_drv_sqlite__exec_and_prepare_rules),
        cmocka_unit_test(test_drv_sqlite__round_trip_every_kind),
        cmocka_unit_test(test_drv_sqlite__array_and_object_as_json),
        cmocka_unit_test(test_drv_sqlite__constraint_errors),
        cmocka_unit_test(test_drv_sqlite__busy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
