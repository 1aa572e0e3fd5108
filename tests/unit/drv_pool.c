/*
 * The connection pool over real SQLite files: reuse, the max_open bound under contention, the
 * acquire timeout, replacement of broken connections and the copied configuration.
 */
#include "harness/harness.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "driver/driver.h"
#include "pool/pool.h"

typedef struct tmpdb {
    char dir[64];
    char path[128];
} tmpdb;

static void tmpdb_make(tmpdb *t)
{
    const char *base = getenv("TMPDIR");
    snprintf(t->dir, sizeof t->dir, "%s/rorm_pool_XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof t->path, "%s/pool.db", t->dir);
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

static rorm_pool *pool_for(const char *path, unsigned max_open, unsigned timeout_ms)
{
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_pool *pool = NULL;
    cfg.type = RORM_DB_SQLITE;
    cfg.path = path;
    assert_rorm_ok(rorm__pool_new(&pool, rorm__driver_for_type(RORM_DB_SQLITE), &cfg, max_open,
                                  timeout_ms, &err),
                   &err);
    return pool;
}

static rorm_conn *acquire_ok(rorm_pool *pool)
{
    rorm_error err = { 0 };
    rorm_conn *conn = NULL;
    assert_rorm_ok(rorm__pool_acquire(&conn, pool, &err), &err);
    assert_non_null(conn);
    return conn;
}

static int64_t query_int(rorm_conn *conn, const char *sql)
{
    rorm_error err = { 0 };
    rorm_stmt *stmt = NULL;
    rorm_value v;
    assert_rorm_ok(rorm__conn_prepare(&stmt, conn, sql, strlen(sql), &err), &err);
    assert_int_equal(conn->driver->step(stmt, &err), 1);
    assert_rorm_ok(conn->driver->column(stmt, 0, &v, &err), &err);
    return v.u.i;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void test_drv_pool__reuse(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_pool *pool = pool_for(t.path, 2, 1000);
    assert_ptr_equal(rorm__pool_driver(pool), rorm__driver_for_type(RORM_DB_SQLITE));

    rorm_conn *a = acquire_ok(pool);
    rorm_conn *b = acquire_ok(pool);
    assert_ptr_not_equal(a, b);
    assert_int_equal(query_int(a, "PRAGMA foreign_keys"), 1);
    rorm__pool_release(pool, a);
    rorm__pool_release(pool, b);

    /* Idle connections are reused, the last returned first; no third one is opened. */
    rorm_conn *c = acquire_ok(pool);
    rorm_conn *d = acquire_ok(pool);
    assert_ptr_equal(c, b);
    assert_ptr_equal(d, a);
    rorm__pool_release(pool, c);
    rorm__pool_release(pool, d);
    rorm__pool_release(pool, NULL);
    rorm__pool_free(pool); /* closes the idle connections: ASan checks nothing leaks */
    rorm__pool_free(NULL);
    tmpdb_remove(&t);
}

static void test_drv_pool__timeout(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_pool *pool = pool_for(t.path, 1, 60);
    rorm_conn *a = acquire_ok(pool);

    rorm_error err = { 0 };
    rorm_conn *b = (rorm_conn *)&err;
    int64_t start = now_ms();
    assert_int_equal(rorm__pool_acquire(&b, pool, &err), RORM_ETIMEOUT);
    int64_t waited = now_ms() - start;
    assert_null(b);
    assert_int_equal(err.code, RORM_ETIMEOUT);
    assert_string_equal(err.message,
                        "timed out after 60 ms waiting for a database connection (pool of 1)");
    assert_true(waited >= 55);
    assert_true(waited < 2000);

    rorm__pool_release(pool, a);
    rorm__pool_release(pool, acquire_ok(pool));
    rorm__pool_free(pool);
    tmpdb_remove(&t);
}

/* ---- two threads, one connection ---------------------------------------------------------- */

typedef struct waiter {
    rorm_pool *pool;
    rorm_conn *got;
    atomic_bool done;
    int rc;
} waiter;

static void *waiter_main(void *arg)
{
    waiter *w = arg;
    rorm_error err = { 0 };
    w->rc = rorm__pool_acquire(&w->got, w->pool, &err);
    atomic_store(&w->done, true);
    if (w->rc == RORM_OK) {
        rorm__pool_release(w->pool, w->got);
    }
    return NULL;
}

static void test_drv_pool__waits_for_release(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_pool *pool = pool_for(t.path, 1, 5000);
    rorm_conn *mine = acquire_ok(pool);

    waiter w = { .pool = pool };
    atomic_init(&w.done, false);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, waiter_main, &w), 0);
    usleep(100 * 1000);
    assert_false(atomic_load(&w.done)); /* still waiting: max_open is 1 */
    rorm__pool_release(pool, mine);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(w.rc, RORM_OK);
    assert_ptr_equal(w.got, mine); /* handed over, not a second connection */

    rorm__pool_free(pool);
    tmpdb_remove(&t);
}

/* ---- contention --------------------------------------------------------------------------- */

#define WORKERS  4
#define ROUNDS   200
#define MAX_OPEN 2

typedef struct shared {
    rorm_pool *pool;
    atomic_int holders;
    atomic_int max_holders;
    atomic_int failures;
    pthread_mutex_t lock;
    rorm_conn *seen[WORKERS * ROUNDS];
    size_t nseen;
} shared;

static void note_conn(shared *s, rorm_conn *c)
{
    pthread_mutex_lock(&s->lock);
    size_t i = 0;
    while (i < s->nseen && s->seen[i] != c) {
        i++;
    }
    if (i == s->nseen) {
        s->seen[s->nseen++] = c;
    }
    pthread_mutex_unlock(&s->lock);
}

static void *worker_main(void *arg)
{
    shared *s = arg;
    for (int i = 0; i < ROUNDS; i++) {
        rorm_error err = { 0 };
        rorm_conn *c = NULL;
        if (rorm__pool_acquire(&c, s->pool, &err) != RORM_OK) {
            atomic_fetch_add(&s->failures, 1);
            continue;
        }
        int now = atomic_fetch_add(&s->holders, 1) + 1;
        int seen = atomic_load(&s->max_holders);
        while (now > seen && !atomic_compare_exchange_weak(&s->max_holders, &seen, now)) {
        }
        note_conn(s, c);
        /* Use it: a write through the statement cache of this connection. */
        rorm_stmt *st = NULL;
        const char *sql = "INSERT INTO hits (n) VALUES (1)";
        if (rorm__conn_prepare(&st, c, sql, strlen(sql), &err) != RORM_OK ||
            c->driver->step(st, &err) != 0) {
            atomic_fetch_add(&s->failures, 1);
        }
        atomic_fetch_sub(&s->holders, 1);
        rorm__pool_release(s->pool, c);
    }
    return NULL;
}

static void test_drv_pool__max_open_under_contention(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    shared *s = calloc(1, sizeof *s);
    assert_non_null(s);
    pthread_mutex_init(&s->lock, NULL);
    s->pool = pool_for(t.path, MAX_OPEN, 10000);
    rorm_error err = { 0 };
    rorm_conn *c = acquire_ok(s->pool);
    assert_rorm_ok(rorm__conn_exec(c, "CREATE TABLE hits (n INTEGER)", &err), &err);
    rorm__pool_release(s->pool, c);

    pthread_t th[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, s), 0);
    }
    for (int i = 0; i < WORKERS; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
    }
    assert_int_equal(atomic_load(&s->failures), 0);
    assert_true(atomic_load(&s->max_holders) <= MAX_OPEN);
    assert_true(atomic_load(&s->max_holders) >= 1);
    assert_true(s->nseen <= MAX_OPEN);

    c = acquire_ok(s->pool);
    assert_int_equal(query_int(c, "SELECT count(*) FROM hits"), WORKERS * ROUNDS);
    rorm__pool_release(s->pool, c);
    rorm__pool_free(s->pool);
    pthread_mutex_destroy(&s->lock);
    free(s);
    tmpdb_remove(&t);
}

/* ---- broken connections, failed opens, copied config -------------------------------------- */

static void test_drv_pool__broken_connection_replaced(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_error err = { 0 };
    rorm_pool *pool = pool_for(t.path, 1, 200);

    /* A TEMP table lives only on the connection that made it: it tells connections apart. */
    rorm_conn *a = acquire_ok(pool);
    assert_rorm_ok(rorm__conn_exec(a, "CREATE TEMP TABLE marker (x)", &err), &err);
    rorm__pool_release(pool, a);
    a = acquire_ok(pool);
    assert_int_equal(query_int(a, "SELECT count(*) FROM sqlite_temp_master WHERE name='marker'"),
                     1);

    a->broken = true;
    rorm__pool_release(pool, a); /* closed, and its slot freed */
    rorm_conn *b = acquire_ok(pool);
    assert_false(b->broken);
    assert_int_equal(query_int(b, "SELECT count(*) FROM sqlite_temp_master WHERE name='marker'"),
                     0);
    rorm__pool_release(pool, b);
    rorm__pool_free(pool);
    tmpdb_remove(&t);
}

static void test_drv_pool__failed_open_frees_the_slot(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_pool *pool = pool_for("/nonexistent-dir-rorm/pool.db", 1, 5000);
    rorm_conn *c = NULL;
    for (int i = 0; i < 3; i++) {
        int64_t start = now_ms();
        assert_int_equal(rorm__pool_acquire(&c, pool, &err), RORM_EDRIVER);
        assert_null(c);
        assert_true(now_ms() - start < 1000); /* no wait on a leaked slot */
    }
    rorm__pool_free(pool);
}

static void test_drv_pool__config_is_copied(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    char path[128];
    snprintf(path, sizeof path, "%s", t.path);
    rorm_pool *pool = pool_for(path, 1, 100);
    memset(path, 'x', sizeof path - 1); /* the caller's string is gone */
    rorm_conn *c = acquire_ok(pool);
    rorm_error err = { 0 };
    assert_rorm_ok(rorm__conn_exec(c, "CREATE TABLE t (x)", &err), &err);
    rorm__pool_release(pool, c);
    rorm__pool_free(pool);
    assert_int_equal(access(t.path, F_OK), 0);
    tmpdb_remove(&t);
}

static void test_drv_pool__bad_arguments(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_pool *pool = NULL;
    const rorm_driver *d = rorm__driver_for_type(RORM_DB_SQLITE);
    cfg.path = ":memory:";
    assert_int_equal(rorm__pool_new(&pool, d, &cfg, 0, 100, &err), RORM_EINVAL);
    assert_int_equal(rorm__pool_new(&pool, NULL, &cfg, 1, 100, &err), RORM_EINVAL);
    assert_int_equal(rorm__pool_new(&pool, d, NULL, 1, 100, &err), RORM_EINVAL);
    assert_null(pool);
    rorm_conn *c = NULL;
    assert_int_equal(rorm__pool_acquire(&c, NULL, &err), RORM_EINVAL);
    assert_null(rorm__pool_driver(NULL));
}

static rorm_pool *pool_with(const char *path, unsigned max_open, unsigned max_idle, unsigned life)
{
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    rorm_pool *pool = NULL;
    cfg.type = RORM_DB_SQLITE;
    cfg.path = path;
    cfg.max_idle = max_idle;
    cfg.idle_lifetime_ms = life;
    assert_rorm_ok(
        rorm__pool_new(&pool, rorm__driver_for_type(RORM_DB_SQLITE), &cfg, max_open, 1000, &err),
        &err);
    return pool;
}

/* Connections beyond max_idle are closed when released, freeing their slots. */
static void test_drv_pool__max_idle(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_pool *pool = pool_with(t.path, 4, 1, 0);
    rorm_conn *c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = acquire_ok(pool);
    }
    assert_int_equal(rorm__pool_open_count(pool), 3);
    for (int i = 0; i < 3; i++) {
        rorm__pool_release(pool, c[i]);
    }
    assert_int_equal(rorm__pool_idle_count(pool), 1);
    assert_int_equal(rorm__pool_open_count(pool), 1);
    /* The one kept is handed out again. */
    rorm_conn *again = acquire_ok(pool);
    assert_ptr_equal(again, c[0]); /* the first released; later ones found the idle list full */
    rorm__pool_release(pool, again);
    rorm__pool_free(pool);
    tmpdb_remove(&t);
}

/* A connection idle longer than the idle lifetime is closed and replaced when next taken. */
static void test_drv_pool__idle_lifetime(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_pool *pool = pool_with(t.path, 2, 0, 50);
    rorm_conn *c = acquire_ok(pool);
    assert_int_equal(query_int(c, "SELECT 7"), 7);
    assert_int_equal(rorm__conn_cache_size(c), 1);
    rorm__pool_release(pool, c);
    /* Within the lifetime: the same connection, its statement cache intact. */
    c = acquire_ok(pool);
    assert_int_equal(rorm__conn_cache_size(c), 1);
    rorm__pool_release(pool, c);
    usleep(80 * 1000);
    c = acquire_ok(pool);
    assert_int_equal(rorm__conn_cache_size(c), 0); /* a fresh connection */
    assert_int_equal(rorm__pool_open_count(pool), 1);
    rorm__pool_release(pool, c);
    rorm__pool_free(pool);
    tmpdb_remove(&t);
}

/* A broken idle connection is never handed out: it is closed and another taken or opened. */
static void test_drv_pool__broken_idle_not_handed_out(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_pool *pool = pool_with(t.path, 2, 0, 0);
    rorm_conn *a = acquire_ok(pool), *b = acquire_ok(pool);
    rorm__pool_release(pool, a);
    rorm__pool_release(pool, b);
    b->broken = true; /* lost while idle (as a ping would find) */
    rorm_conn *c = acquire_ok(pool);
    assert_ptr_equal(c, a);
    assert_int_equal(rorm__pool_open_count(pool), 1);
    rorm__pool_release(pool, c);
    rorm__pool_free(pool);
    tmpdb_remove(&t);
}

/* The SQLite driver with an alive check that reports one chosen connection gone. */
static rorm_conn *gone;
static int alive_calls;

static bool alive_unless_gone(rorm_conn *conn)
{
    alive_calls++;
    if (conn == gone) {
        conn->broken = true;
        return false;
    }
    return true;
}

/*
 * A connection the driver's alive check reports gone (its server closed the socket) is replaced
 * at once, however briefly it sat idle: the check runs on every hand-out, without a ping.
 */
static void test_drv_pool__alive_check_on_every_hand_out(void **state)
{
    (void)state;
    tmpdb t;
    tmpdb_make(&t);
    rorm_driver driver = *rorm__driver_for_type(RORM_DB_SQLITE);
    driver.alive = alive_unless_gone;
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    cfg.type = RORM_DB_SQLITE;
    cfg.path = t.path;
    rorm_pool *pool = NULL;
    assert_rorm_ok(rorm__pool_new(&pool, &driver, &cfg, 2, 0, &err), &err);
    rorm_conn *a = acquire_ok(pool), *b = acquire_ok(pool);
    rorm__pool_release(pool, a);
    rorm__pool_release(pool, b);
    gone = b; /* b is taken first (last released) */
    alive_calls = 0;
    rorm_conn *c = acquire_ok(pool);
    assert_ptr_equal(c, a);
    assert_int_equal(alive_calls, 2);
    assert_int_equal(rorm__pool_open_count(pool), 1);
    gone = NULL;
    rorm_conn *d = acquire_ok(pool); /* a new one in b's slot */
    assert_int_equal(query_int(d, "SELECT 7"), 7);
    rorm__pool_release(pool, c);
    rorm__pool_release(pool, d);
    rorm__pool_free(pool);
    tmpdb_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_drv_pool__reuse),
        cmocka_unit_test(test_drv_pool__timeout),
        cmocka_unit_test(test_drv_pool__waits_for_release),
        cmocka_unit_test(test_drv_pool__max_open_under_contention),
        cmocka_unit_test(test_drv_pool__broken_connection_replaced),
        cmocka_unit_test(test_drv_pool__failed_open_frees_the_slot),
        cmocka_unit_test(test_drv_pool__config_is_copied),
        cmocka_unit_test(test_drv_pool__bad_arguments),
        cmocka_unit_test(test_drv_pool__max_idle),
        cmocka_unit_test(test_drv_pool__idle_lifetime),
        cmocka_unit_test(test_drv_pool__broken_idle_not_handed_out),
        cmocka_unit_test(test_drv_pool__alive_check_on_every_hand_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
