/*
 * Error mapping on every database: unique, foreign key, not null and check violations map to
 * RORM_ECONSTRAINT with the same constraint kind everywhere; deadlocks and serialization
 * failures to RORM_ECONFLICT; a dropped server session to RORM_ECONNECTION, after which the pool
 * replaces the connection. Isolation levels are accepted where the database has them.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api_fixture.h"

static int raw(rorm_db *db, const char *sql, const rorm_value *params, size_t n, rorm_error *err)
{
    return rorm_db_execute_raw(db, rorm_test_sql(sql), params, n, NULL, err);
}

static int64_t count_rows_raw(rorm_db *db, const char *sql)
{
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, sql, NULL, 0, &err), &err);
    int64_t n = rorm_value_as_int(rorm_rows_get(rows, 0, 0), -1);
    rorm_rows_free(rows);
    return n;
}

/*
 * A cached statement keeps working after a column it reads changes type (PostgreSQL refuses
 * the old plan with 0A000 and the driver prepares the text again; MySQL and SQLite re-prepare
 * by themselves).
 */
static void test_api_errors__statement_survives_table_change(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    db = rorm_test_open();
    assert_rorm_ok(raw(db, "CREATE TABLE shifting (a INTEGER)", NULL, 0, &err), &err);
    assert_rorm_ok(raw(db, "INSERT INTO shifting (a) VALUES (1)", NULL, 0, &err), &err);
    rorm_rows *rows = NULL;
    assert_rorm_ok(raw(db, "ALTER TABLE shifting ADD COLUMN b INTEGER", NULL, 0, &err), &err);
    /* A change of a column's type under an explicit column list is absorbed everywhere. */
    assert_rorm_ok(rorm_db_query_raw(&rows, db, "SELECT a FROM shifting", NULL, 0, &err), &err);
    rorm_rows_free(rows);
    const char *alter = rorm_test_target_of() == RORM_TARGET_POSTGRES
                            ? "ALTER TABLE shifting ALTER COLUMN a TYPE BIGINT"
                        : rorm_test_target_of() == RORM_TARGET_MYSQL
                            ? "ALTER TABLE shifting MODIFY a BIGINT"
                            : NULL;
    if (alter) {
        assert_rorm_ok(raw(db, alter, NULL, 0, &err), &err);
    } else {
        /* SQLite has no ALTER COLUMN; recreate the table with another type. */
        assert_rorm_ok(raw(db, "DROP TABLE shifting", NULL, 0, &err), &err);
        assert_rorm_ok(raw(db, "CREATE TABLE shifting (a TEXT, b INTEGER)", NULL, 0, &err), &err);
        assert_rorm_ok(raw(db, "INSERT INTO shifting (a) VALUES ('1')", NULL, 0, &err), &err);
    }
    assert_rorm_ok(rorm_db_query_raw(&rows, db, "SELECT a FROM shifting", NULL, 0, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    rorm_rows_free(rows);
    rorm_db_close(db);
}

static void test_api_errors__constraints(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    int64_t uid = fx_user(db, "c@x.io", "C", 1);

    /* Unique. */
    rorm_member dup[] = { { "email", RORM_TEXT("c@x.io") }, { "name", RORM_TEXT("D") } };
    assert_int_equal(rorm_db_insert(db, "User", &RORM_OBJECT(dup), NULL, &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_UNIQUE);
    if (rorm_test_has(RORM_TESTCAP_SERVER)) {
        /* Servers send a SQLSTATE: 23505 (PostgreSQL), 23000 (MySQL). */
        assert_int_equal(strncmp(err.sqlstate, "23", 2), 0);
    }

    /* Foreign key on insert, and RESTRICT on delete. */
    rorm_member orphan[] = { { "title", RORM_TEXT("T") }, { "authorId", RORM_INT(uid + 100) } };
    assert_int_equal(rorm_db_insert(db, "Post", &RORM_OBJECT(orphan), NULL, &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_FOREIGN_KEY);
    rorm_member post[] = { { "title", RORM_TEXT("T") }, { "authorId", RORM_INT(uid) } };
    assert_rorm_ok(rorm_db_insert(db, "Post", &RORM_OBJECT(post), NULL, &err), &err);
    assert_int_equal(rorm_db_delete(db, "User", &RORM_INT(uid), &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_FOREIGN_KEY);

    /* Not null, through raw SQL (the record API refuses a null before the database sees it). */
    rorm_value p[] = { RORM_TEXT("n@x.io") };
    assert_int_equal(raw(db, "INSERT INTO users (email, name) VALUES (?, NULL)", p, 1, &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_NOT_NULL);

    /* Check. */
    assert_rorm_ok(raw(db, "CREATE TABLE checked (n INTEGER CHECK (n > 0))", NULL, 0, &err), &err);
    rorm_value one[] = { RORM_INT(1) }, neg[] = { RORM_INT(-1) };
    assert_rorm_ok(raw(db, "INSERT INTO checked (n) VALUES (?)", one, 1, &err), &err);
    assert_int_equal(raw(db, "INSERT INTO checked (n) VALUES (?)", neg, 1, &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_CHECK);

    assert_string_equal(rorm_code_name(RORM_ECONFLICT), "RORM_ECONFLICT");
    assert_string_equal(rorm_code_name(RORM_ECONNECTION), "RORM_ECONNECTION");

    /* Other errors are RORM_EDRIVER with the database's text. */
    assert_int_equal(raw(db, "SELECT * FROM no_such_table", NULL, 0, &err), RORM_EDRIVER);
    assert_non_null(strstr(err.message, "no_such_table"));
    /* A statement that failed to prepare leaves the connection usable, again and again. */
    for (int i = 0; i < 3; i++) {
        assert_int_not_equal(raw(db, "SELEC broken", NULL, 0, &err), RORM_OK);
        assert_int_equal(count_rows_raw(db, "SELECT COUNT(*) FROM users"), 1);
    }
    rorm_db_close(db);
}

/* ---- conflicts ------------------------------------------------------------------------------ */

typedef struct locker {
    rorm_db *db;
    int64_t first, second;
    pthread_barrier_t *barrier;
    int rc;
    char message[RORM_ERROR_MESSAGE_SIZE];
} locker;

static void *lock_two(void *arg)
{
    locker *l = arg;
    rorm_error err = { 0 };
    rorm_db *tx = NULL;
    rorm_member a[] = { { "age", RORM_INT(1) } };
    l->rc = rorm_db_begin(&tx, l->db, &err);
    if (l->rc == RORM_OK) {
        l->rc = rorm_db_update(tx, "User", &RORM_INT(l->first), &RORM_OBJECT(a), &err);
    }
    pthread_barrier_wait(l->barrier);
    if (l->rc == RORM_OK) {
        l->rc = rorm_db_update(tx, "User", &RORM_INT(l->second), &RORM_OBJECT(a), &err);
    }
    if (tx) {
        if (l->rc == RORM_OK) {
            l->rc = rorm_db_commit(tx, &err);
        } else {
            rorm_db_rollback(tx, NULL);
        }
    }
    snprintf(l->message, sizeof l->message, "%s", err.message);
    return NULL;
}

static void test_api_errors__conflicts(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    int64_t a = fx_user(db, "a@x.io", "A", 1), b = fx_user(db, "b@x.io", "B", 2);
    if (!rorm_test_has(RORM_TESTCAP_CONCURRENT_CONNECTIONS) ||
        !rorm_test_has(RORM_TESTCAP_SERVER)) {
        /* SQLite: writers take the lock at BEGIN (IMMEDIATE), so two transactions never
           deadlock: they run one after the other. Nothing to provoke here; the isolation test
           below covers what SQLite refuses. */
        rorm_db_close(db);
        return;
    }
    /* Two transactions lock two rows in opposite orders: one is chosen as the deadlock victim
       (RORM_ECONFLICT, retry it), the other commits. */
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    locker l1 = { db, a, b, &barrier, 0, "" }, l2 = { db, b, a, &barrier, 0, "" };
    pthread_t t1, t2;
    assert_int_equal(pthread_create(&t1, NULL, lock_two, &l1), 0);
    assert_int_equal(pthread_create(&t2, NULL, lock_two, &l2), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_barrier_destroy(&barrier);
    int ok = (l1.rc == RORM_OK) + (l2.rc == RORM_OK);
    int conflict = (l1.rc == RORM_ECONFLICT) + (l2.rc == RORM_ECONFLICT);
    if (ok != 1 || conflict != 1) {
        fail_msg("expected one commit and one conflict: %d (%s) / %d (%s)", l1.rc, l1.message,
                 l2.rc, l2.message);
    }

    if (rorm_test_target_of() == RORM_TARGET_POSTGRES) {
        /* A serialization failure: a repeatable-read transaction updates a row another one
           changed after its snapshot. */
        rorm_db *tx = NULL;
        rorm_value rec;
        assert_rorm_ok(rorm_db_begin_isolation(&tx, db, RORM_ISOLATION_REPEATABLE_READ, &err),
                       &err);
        assert_rorm_ok(rorm_db_find(tx, "User", &RORM_INT(a), &rec, &err), &err);
        rorm_value_dispose(&rec);
        rorm_member n[] = { { "name", RORM_TEXT("outside") } };
        assert_rorm_ok(rorm_db_update(db, "User", &RORM_INT(a), &RORM_OBJECT(n), &err), &err);
        rorm_member m[] = { { "name", RORM_TEXT("inside") } };
        assert_int_equal(rorm_db_update(tx, "User", &RORM_INT(a), &RORM_OBJECT(m), &err),
                         RORM_ECONFLICT);
        assert_string_equal(err.sqlstate, "40001");
        assert_rorm_ok(rorm_db_rollback(tx, &err), &err);
    }
    rorm_db_close(db);
}

static void test_api_errors__isolation_levels(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    rorm_db *tx = NULL, *sp = NULL;
    for (unsigned level = RORM_ISOLATION_DEFAULT; level <= RORM_ISOLATION_SERIALIZABLE; level++) {
        int rc = rorm_db_begin_isolation(&tx, db, level, &err);
        bool available = level == RORM_ISOLATION_DEFAULT || level == RORM_ISOLATION_SERIALIZABLE ||
                         rorm_test_has(RORM_TESTCAP_ISOLATION_LEVELS);
        if (!available) {
            assert_int_equal(rc, RORM_EUNSUPPORTED);
            assert_null(tx);
            continue;
        }
        assert_rorm_ok(rc, &err);
        fx_user(tx,
                level == 0   ? "l0@x.io"
                : level == 1 ? "l1@x.io"
                : level == 2 ? "l2@x.io"
                : level == 3 ? "l3@x.io"
                             : "l4@x.io",
                "L", (int)level);
        if (rorm_test_target_of() == RORM_TARGET_POSTGRES && level != 0) {
            static const char *const names[] = { "", "read uncommitted", "read committed",
                                                 "repeatable read", "serializable" };
            rorm_rows *rows = NULL;
            assert_rorm_ok(rorm_db_query_raw(&rows, tx,
                                             "SELECT current_setting('transaction_isolation')",
                                             NULL, 0, &err),
                           &err);
            assert_string_equal(rorm_value_as_text(rorm_rows_get(rows, 0, 0)), names[level]);
            rorm_rows_free(rows);
        }
        /* A savepoint runs at its transaction's level: asking for one is an error. */
        assert_int_equal(rorm_db_begin_isolation(&sp, tx, RORM_ISOLATION_SERIALIZABLE, &err),
                         RORM_EINVAL);
        assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    }
    assert_int_equal(rorm_db_begin_isolation(&tx, db, 99, &err), RORM_EINVAL);
    rorm_db_close(db);
}

/* ---- lost connections ---------------------------------------------------------------------- */

static void test_api_errors__lost_connection_is_replaced(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    if (!rorm_test_has(RORM_TESTCAP_SERVER)) {
        /* SQLite has no session to lose; a connection the driver marks broken (I/O errors) is
           replaced by the pool, covered by the pool unit tests. */
        return;
    }
    rorm_db *admin = fx_open();
    char url[4200];
    const char *base = rorm_test_open_url();
    snprintf(url, sizeof url, "%s%cconnection_limit=1", base, strchr(base, '?') ? '&' : '?');
    rorm_db *db = NULL;
    assert_rorm_ok(rorm_db_open(&db, url, &err), &err);
    int64_t first = rorm_test_session_id(db);

    /* Killed while idle, used at once: that call fails with RORM_ECONNECTION, and the pool
       replaces the connection instead of handing it out again. */
    rorm_test_kill_session(admin, first);
    rorm_rows *rows = NULL;
    int rc = rorm_db_query_raw(&rows, db, "SELECT 1", NULL, 0, &err);
    if (rc != RORM_OK) {
        assert_int_equal(rc, RORM_ECONNECTION);
    }
    rorm_rows_free(rows);
    int64_t second = rorm_test_session_id(db);
    assert_true(second != first);

    /* Killed and left idle for over a second: the pool pings it first, so the caller's query
       runs on a fresh connection and succeeds. */
    rorm_test_kill_session(admin, second);
    sleep(1);
    assert_rorm_ok(rorm_db_query_raw(&rows, db, "SELECT 1", NULL, 0, &err), &err);
    rorm_rows_free(rows);
    int64_t third = rorm_test_session_id(db);
    assert_true(third != second && third != first);

    /* A transaction whose connection dies reports it, and the handle keeps working. */
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    rorm_test_kill_session(admin, rorm_test_session_id(tx));
    rc = rorm_db_query_raw(&rows, tx, "SELECT 1", NULL, 0, &err);
    assert_int_equal(rc, RORM_ECONNECTION);
    assert_int_not_equal(rorm_db_rollback(tx, &err), RORM_OK);
    assert_true(rorm_test_session_id(db) > 0);
    rorm_db_close(db);
    rorm_db_close(admin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_errors__constraints),
        cmocka_unit_test(test_api_errors__statement_survives_table_change),
        cmocka_unit_test(test_api_errors__conflicts),
        cmocka_unit_test(test_api_errors__isolation_levels),
        cmocka_unit_test(test_api_errors__lost_connection_is_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
