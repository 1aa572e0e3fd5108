/*
 * The per-connection statement cache (src/driver/conn.c): hits return the same statement reset
 * and unbound, the cache is bounded with least-recently-used eviction, and closing finalizes
 * everything (ASan's leak check fails the run otherwise).
 */
#include "harness/harness.h"

#include <stdio.h>
#include <string.h>

#include "driver/driver.h"
#include "util/alloc.h"

#define CACHE_MAX 256 /* the bound in conn.c */

static rorm_conn *open_memory(void)
{
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_conn *conn = NULL;
    cfg.path = ":memory:";
    assert_rorm_ok(rorm__conn_open(&conn, rorm__driver_for_type(RORM_DB_SQLITE), &cfg, &err), &err);
    return conn;
}

static rorm_stmt *prepare_ok(rorm_conn *conn, const char *sql)
{
    rorm_error err = { 0 };
    rorm_stmt *stmt = NULL;
    assert_rorm_ok(rorm__conn_prepare(&stmt, conn, sql, strlen(sql), &err), &err);
    assert_non_null(stmt);
    return stmt;
}

static void test_drv_cache__hit_returns_same_statement_reset(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_conn *conn = open_memory();
    const rorm_driver *d = conn->driver;
    assert_rorm_ok(rorm__conn_exec(conn, "CREATE TABLE t (x); INSERT INTO t VALUES (1), (2)", &err),
                   &err);
    assert_int_equal(rorm__conn_cache_size(conn), 0);
    assert_int_equal(rorm__conn_statements_run(conn), 0);

    const char *sql = "SELECT x, ? FROM t ORDER BY x";
    rorm_stmt *a = prepare_ok(conn, sql);
    assert_int_equal(rorm__conn_cache_size(conn), 1);
    rorm_value seven = RORM_INT(7);
    assert_rorm_ok(d->bind(a, 0, &seven, &err), &err);
    assert_int_equal(d->step(a, &err), 1); /* left mid-result on purpose */

    /* The key is the exact text: a copy at another address hits too. */
    char copy[64];
    snprintf(copy, sizeof copy, "%s", sql);
    rorm_stmt *b = prepare_ok(conn, copy);
    assert_ptr_equal(a, b);
    assert_int_equal(rorm__conn_cache_size(conn), 1);
    assert_int_equal(rorm__conn_statements_run(conn), 2);

    /* Reset: the first row again; bindings cleared: the parameter reads NULL. */
    rorm_value v;
    assert_int_equal(d->step(b, &err), 1);
    assert_rorm_ok(d->column(b, 0, &v, &err), &err);
    assert_int_equal(v.u.i, 1);
    assert_rorm_ok(d->column(b, 1, &v, &err), &err);
    assert_int_equal(v.type, RORM_TYPE_NULL);

    /* A different text (even by a space or by length) is another statement. */
    rorm_stmt *c = prepare_ok(conn, "SELECT x, ?  FROM t ORDER BY x");
    assert_ptr_not_equal(c, a);
    rorm_stmt *e = NULL;
    assert_rorm_ok(rorm__conn_prepare(&e, conn, sql, 18, &err), &err); /* no ORDER BY */
    assert_ptr_not_equal(e, a);
    assert_int_equal(d->column_count(e), 2);
    assert_int_equal(rorm__conn_cache_size(conn), 3);
    assert_int_equal(rorm__conn_statements_run(conn), 4);

    /* Failed prepares are counted as run but cache nothing. */
    assert_int_equal(rorm__conn_prepare(&e, conn, "SELEC", 5, &err), RORM_EDRIVER);
    assert_int_equal(rorm__conn_cache_size(conn), 3);
    rorm__conn_close(conn);
}

static void test_drv_cache__hit_does_not_allocate(void **state)
{
    (void)state;
    rorm_conn *conn = open_memory();
    const char *sql = "SELECT 1";
    rorm_stmt *a = prepare_ok(conn, sql);
    rorm__alloc_fail_after(0); /* reset the counter */
    for (int i = 0; i < 100; i++) {
        assert_ptr_equal(prepare_ok(conn, sql), a);
    }
    assert_int_equal(rorm__alloc_fail_after(0), 0);
    rorm__conn_close(conn);
}

static void test_drv_cache__eviction_is_lru_and_bounded(void **state)
{
    (void)state;
    char sql[64];
    rorm_conn *conn = open_memory();
    rorm_stmt *first = prepare_ok(conn, "SELECT 0");
    for (int i = 1; i < CACHE_MAX; i++) {
        snprintf(sql, sizeof sql, "SELECT %d", i);
        prepare_ok(conn, sql);
    }
    assert_int_equal(rorm__conn_cache_size(conn), CACHE_MAX);

    /* Touch "SELECT 0" so that "SELECT 1" is now the least recently used. */
    assert_ptr_equal(prepare_ok(conn, "SELECT 0"), first);
    prepare_ok(conn, "SELECT 'new'");
    assert_int_equal(rorm__conn_cache_size(conn), CACHE_MAX);
    assert_ptr_equal(prepare_ok(conn, "SELECT 0"), first);

    /* "SELECT 1" was evicted (finalized): asking again prepares it anew and evicts "SELECT 2".
       Cycling many more texts keeps the bound; ASan reports any statement left unfinalized. */
    rorm_error err = { 0 };
    rorm_value v;
    rorm_stmt *one = prepare_ok(conn, "SELECT 1");
    assert_int_equal(conn->driver->step(one, &err), 1);
    assert_rorm_ok(conn->driver->column(one, 0, &v, &err), &err);
    assert_int_equal(v.u.i, 1);
    for (int i = 0; i < 3 * CACHE_MAX; i++) {
        snprintf(sql, sizeof sql, "SELECT %d AS k", i);
        prepare_ok(conn, sql);
        assert_true(rorm__conn_cache_size(conn) <= CACHE_MAX);
    }
    assert_int_equal(rorm__conn_cache_size(conn), CACHE_MAX);
    assert_int_equal(rorm__conn_statements_run(conn), CACHE_MAX + 4 + 3 * CACHE_MAX);
    rorm__conn_close(conn);
}

static void test_drv_cache__null_and_bad_arguments(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_stmt *stmt = NULL;
    rorm__conn_close(NULL);
    assert_int_equal(rorm__conn_cache_size(NULL), 0);
    assert_int_equal(rorm__conn_statements_run(NULL), 0);
    assert_int_equal(rorm__conn_prepare(&stmt, NULL, "SELECT 1", 8, &err), RORM_EINVAL);
    assert_int_equal(rorm__conn_exec(NULL, "SELECT 1", &err), RORM_EINVAL);

    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_conn *conn = NULL;
    assert_int_equal(rorm__conn_open(&conn, NULL, &cfg, &err), RORM_EINVAL);
    rorm_driver future = *rorm__driver_for_type(RORM_DB_SQLITE);
    future.version = RORM_DRIVER_VERSION + 1;
    cfg.path = ":memory:";
    assert_int_equal(rorm__conn_open(&conn, &future, &cfg, &err), RORM_EUNSUPPORTED);
    assert_null(conn);
}

static void test_drv_cache__open_and_prepare_out_of_memory(void **state)
{
    (void)state;
    rorm_config cfg = RORM_CONFIG_INIT;
    cfg.path = ":memory:";
    const rorm_driver *d = rorm__driver_for_type(RORM_DB_SQLITE);

    /* Fail our allocation 1, 2, ... until open succeeds: each failure is ENOMEM, no leak. */
    for (size_t n = 1;; n++) {
        rorm_error err = { 0 };
        rorm_conn *conn = NULL;
        rorm__alloc_fail_after(n);
        int rc = rorm__conn_open(&conn, d, &cfg, &err);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            rorm__conn_close(conn);
            break;
        }
        assert_int_equal(rc, RORM_ENOMEM);
        assert_null(conn);
        assert_true(n < 100);
    }

    rorm_conn *conn = open_memory();
    for (size_t n = 1;; n++) {
        rorm_error err = { 0 };
        rorm_stmt *stmt = NULL;
        rorm__alloc_fail_after(n);
        int rc = rorm__conn_prepare(&stmt, conn, "SELECT 42", 9, &err);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            assert_int_equal(rorm__conn_cache_size(conn), 1);
            break;
        }
        assert_int_equal(rc, RORM_ENOMEM);
        assert_int_equal(rorm__conn_cache_size(conn), 0);
        assert_true(n < 100);
    }
    rorm__conn_close(conn);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drv_cache__hit_returns_same_statement_reset),
        cmocka_unit_test(test_drv_cache__hit_does_not_allocate),
        cmocka_unit_test(test_drv_cache__eviction_is_lru_and_bounded),
        cmocka_unit_test(test_drv_cache__null_and_bad_arguments),
        cmocka_unit_test(test_drv_cache__open_and_prepare_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
