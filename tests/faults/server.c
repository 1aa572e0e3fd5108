/*
 * Server faults: this test starts its own throwaway PostgreSQL or MariaDB server
 * (scripts/test-servers.sh start DIR pg|mysql, RORM_TEST_TARGET says which), and stops it in the
 * middle of work — SIGKILL by pid (a crash) and a clean shutdown — then restarts it on the same
 * data and port. For each interrupted operation it asserts:
 *   - the call returns RORM_ECONNECTION with a message naming the server,
 *   - a request while the server is down fails the same way, without hanging,
 *   - after the restart the database holds all or none of the work (MariaDB migrations: the
 *     steps the error reports as done, see docs/migrations.md),
 *   - the pool, which held several idle connections when the server died, serves every request
 *     afterwards (no dead connection handed out).
 * The "middle" is made deterministic with a second session holding a lock the operation needs:
 * the test waits until the server reports the operation waiting for that lock, then stops it.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "client/client.h"
#include "faults.h"
#include "pool/pool.h"

#define WARM 4 /* idle pooled connections when the server dies */

static char dir[256];
static char url[512];
static char where[128]; /* "PostgreSQL at 127.0.0.1:PORT" */
static bool is_pg;
static bool servers_up;
/* What a test holds, released by the per-test teardown even when an assertion fails. */
static rorm_db *g_db, *g_admin, *g_holder;

/* Set when a restart failed: the port may now be another server's, so nothing connects to it. */
static bool server_lost;

static void srv(const char *cmd)
{
    char line[1024];
    snprintf(line, sizeof line, "bash '%s/scripts/test-servers.sh' %s '%s' %s >/dev/null",
             getenv("RORM_SOURCE_DIR"), cmd, dir, is_pg ? "pg" : "mysql");
    int rc = system(line);
    if (rc != 0) {
        server_lost = server_lost || strcmp(cmd, "restart") == 0;
        fail_msg("%s failed (%d)", line, rc);
    }
}

static void stop_servers(void)
{
    if (servers_up) {
        servers_up = false;
        char line[1024];
        snprintf(line, sizeof line, "bash '%s/scripts/test-servers.sh' stop '%s' >/dev/null 2>&1",
                 getenv("RORM_SOURCE_DIR"), dir);
        if (system(line) != 0) {
            fprintf(stderr, "could not stop the servers in %s\n", dir);
        }
    }
}

static int group_setup(void **state)
{
    (void)state;
    is_pg = rorm_test_target_of() == RORM_TARGET_POSTGRES;
    /* Ports of our own, away from the test servers' (55432, 53306 and up): while this test has
       its server stopped, another run starting servers must not take the port. */
    char from[16];
    snprintf(from, sizeof from, "%ld", 20000 + (long)(getpid() % 90) * 100);
    setenv(is_pg ? "RORM_TEST_PG_PORT_FROM" : "RORM_TEST_MYSQL_PORT_FROM", from, 1);
    snprintf(dir, sizeof dir, "/tmp/rorm-faults-%s-%ld", is_pg ? "pg" : "mysql", (long)getpid());
    servers_up = true;
    atexit(stop_servers);
    srv("start");
    char path[300];
    snprintf(path, sizeof path, "%s/env", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[600];
    const char *key = is_pg ? "export RORM_TEST_PG_URL='" : "export RORM_TEST_MYSQL_URL='";
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, strlen(key)) == 0) {
            snprintf(url, sizeof url, "%s", line + strlen(key));
            *strchr(url, '\'') = '\0';
        }
    }
    fclose(f);
    assert_true(url[0] != '\0');
    const char *at = strchr(url, '@') + 1;
    size_t n = strcspn(at, "/");
    snprintf(where, sizeof where, "%s at %.*s", is_pg ? "PostgreSQL" : "MySQL", (int)n, at);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_servers();
    return 0;
}

/* Stop the server: SIGKILL by pid, or a clean shutdown. */
static bool server_down;

static void stop_server(bool crash)
{
    srv(crash ? "kill" : "halt");
    server_down = true;
}

static void restart_server(void)
{
    srv("restart");
    server_down = false;
}

static int test_teardown(void **state)
{
    (void)state;
    rorm_error ignored = { 0 };
    if (g_holder) {
        rorm_db_rollback(g_holder, &ignored);
    }
    rorm_db_close(g_admin);
    rorm_db_close(g_db);
    g_holder = g_admin = g_db = NULL;
    if (server_down && !server_lost) {
        restart_server();
    }
    return 0;
}

static rorm_db *open_db(void)
{
    if (server_lost) {
        fail_msg("the server could not be restarted by an earlier test");
    }
    rorm_error err = { 0 };
    char u[600];
    snprintf(u, sizeof u, "%s?connection_limit=8", url);
    rorm_db *db = NULL;
    assert_rorm_ok(rorm_db_open(&db, u, &err), &err);
    ft_register(db);
    return db;
}

/* Fresh tables for the fault models, and nothing else of ours. */
static rorm_db *fresh_db(void)
{
    rorm_error err = { 0 };
    rorm_db *db = open_db();
    static const char *const drops[] = { "DROP TABLE IF EXISTS ft_books",
                                         "DROP TABLE IF EXISTS ft_authors",
                                         "DROP TABLE IF EXISTS ft_items",
                                         "DROP TABLE IF EXISTS ft_extras",
                                         "DROP TABLE IF EXISTS redi_migrations" };
    for (size_t i = 0; i < RORM_COUNT(drops); i++) {
        assert_rorm_ok(rorm_db_execute_raw(db, drops[i], NULL, 0, NULL, &err), &err);
    }
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    return db;
}

/* Leave WARM connections idle in the pool: hold them all at once, then give them back. */
static void warm_pool(rorm_db *db)
{
    rorm_error err = { 0 };
    rorm_db *tx[WARM];
    for (int i = 0; i < WARM; i++) {
        assert_rorm_ok(rorm_db_begin(&tx[i], db, &err), &err);
        ft_count(tx[i], "Item");
    }
    for (int i = 0; i < WARM; i++) {
        assert_rorm_ok(rorm_db_commit(tx[i], &err), &err);
    }
    assert_true(rorm__pool_idle_count(db->pool) >= WARM);
}

static void assert_lost(int rc, const rorm_error *err, const char *what)
{
    if (rc != RORM_ECONNECTION || strstr(err->message, where) == NULL) {
        fail_msg("%s: expected RORM_ECONNECTION naming %s, got %s: %s", what, where,
                 rorm_code_name(rc), err->message);
    }
}

/* While the server is down a request fails at once with a connection error naming it. */
static void assert_down(rorm_db *db)
{
    rorm_error err = { 0 };
    rorm_query *q = NULL;
    int64_t n;
    assert_rorm_ok(rorm_query_new(&q, db, "Item", &err), &err);
    time_t t0 = time(NULL);
    int rc = rorm_query_count(&n, q, &err);
    rorm_query_free(q);
    assert_lost(rc, &err, "a request while the server is down");
    assert_true(time(NULL) - t0 < 10);
}

/*
 * After the restart every acquisition works: more sequential requests than there were idle
 * connections, then WARM transactions at once.
 */
static void assert_pool_serves(rorm_db *db)
{
    rorm_error err = { 0 };
    for (int i = 0; i < 2 * WARM; i++) {
        int64_t n;
        rorm_query *q = NULL;
        assert_rorm_ok(rorm_query_new(&q, db, "Item", &err), &err);
        int rc = rorm_query_count(&n, q, &err);
        rorm_query_free(q);
        if (rc != RORM_OK) {
            fail_msg("request %d after the restart: %s: %s", i + 1, rorm_code_name(rc),
                     err.message);
        }
    }
    rorm_db *tx[WARM];
    for (int i = 0; i < WARM; i++) {
        assert_rorm_ok(rorm_db_begin(&tx[i], db, &err), &err);
        char code[32];
        snprintf(code, sizeof code, "after-%d", i);
        rorm_member m[] = { { "code", RORM_TEXT(code) } };
        assert_rorm_ok(rorm_db_insert(tx[i], "Item", &RORM_OBJECT(m), NULL, &err), &err);
    }
    for (int i = 0; i < WARM; i++) {
        assert_rorm_ok(rorm_db_rollback(tx[i], &err), &err);
    }
}

typedef struct op {
    rorm_db *db;
    int (*run)(struct op *);
    int rc;
    rorm_error err;
    rorm_migrate_plan *plan;
    volatile int finished;
} op;

static void *run_op(void *arg)
{
    op *o = arg;
    o->rc = o->run(o);
    __atomic_store_n(&o->finished, 1, __ATOMIC_RELEASE);
    return NULL;
}

/* What the server's sessions are doing, for a failure message. */
static void describe_sessions(rorm_db *admin, char *out, size_t size)
{
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    const char *sql = is_pg ? "SELECT coalesce(wait_event_type, '-') || ' ' || "
                              "coalesce(state, '-') || ' ' || left(query, 60) FROM "
                              "pg_stat_activity WHERE backend_type = 'client backend'"
                            : "SELECT concat(coalesce(command, '-'), ' ', coalesce(state, '-'), "
                              "' ', left(coalesce(info, '-'), 60)) FROM "
                              "information_schema.processlist";
    size_t len = 0;
    out[0] = '\0';
    if (rorm_db_query_raw(&rows, admin, sql, NULL, 0, &err) != RORM_OK) {
        snprintf(out, size, "(%s)", err.message);
        return;
    }
    for (size_t i = 0; i < rorm_rows_count(rows) && len + 1 < size; i++) {
        len += (size_t)snprintf(out + len, size - len, "[%s] ",
                                rorm_value_as_text(rorm_rows_get(rows, i, 0)));
    }
    rorm_rows_free(rows);
}

/* Wait until the server shows a session waiting for a lock (at most 20 s). */
static bool wait_blocked(rorm_db *admin, op *o)
{
    const char *sql =
        is_pg ? "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
              /* A row lock wait shows in innodb_trx, though not always at once: a write
                 still running after 300 ms is one too. */
              : "SELECT (SELECT count(*) FROM information_schema.innodb_trx WHERE trx_state = "
                "'LOCK WAIT') + (SELECT count(*) FROM information_schema.processlist WHERE state "
                "LIKE 'Waiting for table metadata lock%' OR (state = 'Update' AND time_ms > "
                "300))";
    for (int i = 0; i < 2000 && !__atomic_load_n(&o->finished, __ATOMIC_ACQUIRE); i++) {
        if (ft_scalar(admin, sql) > 0) {
            return true;
        }
        usleep(10000);
    }
    return false;
}

/* A session holding an uncommitted row with @p code in @p model's unique column. */
static rorm_db *hold_row(rorm_db *holder, const char *model, const char *field, const char *code)
{
    rorm_error err = { 0 };
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, holder, &err), &err);
    rorm_member m[] = { { field, RORM_TEXT(code) }, { "authorId", RORM_INT(0) } };
    /* A book needs an author: the holder inserts its own first. */
    if (strcmp(model, "Book") == 0) {
        rorm_member a[] = { { "email", RORM_TEXT("holder@x.io") } };
        rorm_value id;
        assert_rorm_ok(rorm_db_insert(tx, "Author", &RORM_OBJECT(a), &id, &err), &err);
        m[1].value = id;
        assert_rorm_ok(rorm_db_insert(tx, model, &RORM_OBJECT(m), NULL, &err), &err);
    } else {
        assert_rorm_ok(rorm_db_insert(tx, model, &RORM_OBJECT_N(m, 1), NULL, &err), &err);
    }
    return tx;
}

/*
 * Run @p o in a thread until it waits for the lock @p holder_tx holds, stop the server, and
 * check what the operation returned. The holder is finished (its connection is dead too).
 */
static void interrupt(op *o, rorm_db *admin, rorm_db *holder_tx, bool crash)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, run_op, o), 0);
    bool blocked = wait_blocked(admin, o);
    char sessions[1024] = "";
    if (!blocked) {
        describe_sessions(admin, sessions, sizeof sessions);
    }
    /* Stopped in any case, so that the operation returns before the test goes on. */
    stop_server(crash);
    pthread_join(t, NULL);
    if (!blocked) {
        fail_msg("the operation did not wait for the lock (it returned %s: %s); sessions: %s",
                 rorm_code_name(o->rc), o->err.message, sessions);
    }
    assert_lost(o->rc, &o->err, "the interrupted operation");
    rorm_error ignored = { 0 };
    rorm_db_rollback(holder_tx, &ignored);
    g_holder = NULL;
}

/* ---- an open transaction with writes ------------------------------------------------------ */

static void transaction(bool crash)
{
    rorm_error err = { 0 };
    rorm_db *db = g_db = fresh_db();
    rorm_member m0[] = { { "code", RORM_TEXT("before") } };
    assert_rorm_ok(rorm_db_insert(db, "Item", &RORM_OBJECT(m0), NULL, &err), &err);
    warm_pool(db);
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    for (int i = 0; i < 3; i++) {
        char code[16];
        snprintf(code, sizeof code, "tx-%d", i);
        rorm_member m[] = { { "code", RORM_TEXT(code) }, { "n", RORM_INT(i) } };
        assert_rorm_ok(rorm_db_insert(tx, "Item", &RORM_OBJECT(m), NULL, &err), &err);
    }
    rorm_value id = RORM_INT(1);
    rorm_member up[] = { { "n", RORM_INT(99) } };
    assert_rorm_ok(rorm_db_update(tx, "Item", &id, &RORM_OBJECT(up), &err), &err);
    stop_server(crash);
    /* The commit cannot succeed: it reports the lost connection and frees the handle. */
    assert_lost(rorm_db_commit(tx, &err), &err, "commit");
    assert_down(db);
    restart_server();
    assert_pool_serves(db);
    assert_int_equal(ft_count(db, "Item"), 1);
    rorm_value rec;
    assert_rorm_ok(rorm_db_find(db, "Item", &id, &rec, &err), &err);
    assert_int_equal(rorm_value_object_get(&rec, "n")->type, RORM_TYPE_NULL);
    rorm_value_dispose(&rec);
    test_teardown(NULL);
}

static void test_faults_server__transaction_kill(void **state)
{
    (void)state;
    transaction(true);
}

static void test_faults_server__transaction_halt(void **state)
{
    (void)state;
    transaction(false);
}

/* ---- createMany --------------------------------------------------------------------------- */

#define MANY 12

static int run_create_many(op *o)
{
    /* Alternating field sets: one INSERT per record, so the first ones are written before the
       one with the held code waits. */
    char codes[MANY][16];
    rorm_member members[MANY][2];
    rorm_value records[MANY];
    for (int i = 0; i < MANY; i++) {
        snprintf(codes[i], sizeof codes[i], i == MANY - 2 ? "held" : "many-%d", i);
        members[i][0] = (rorm_member){ "code", RORM_TEXT(codes[i]) };
        members[i][1] = (rorm_member){ "n", RORM_INT(i) };
        records[i] = RORM_OBJECT_N(members[i], (size_t)(i % 2 ? 2 : 1));
    }
    int64_t n = 0;
    return rorm_db_insert_many(o->db, "Item", records, MANY, &n, &o->err);
}

/*
 * Run @p run while another session holds the row @p model.@p field = "held" that it writes,
 * stop the server, check the error, restart and check that the pool serves.
 */
static void held_write(bool crash, const char *model, const char *field, int (*run)(op *))
{
    g_db = fresh_db();
    g_admin = open_db();
    warm_pool(g_db);
    g_holder = hold_row(g_admin, model, field, "held");
    op o = { .db = g_db, .run = run };
    interrupt(&o, g_admin, g_holder, crash);
    assert_down(g_db);
    restart_server();
    assert_pool_serves(g_db);
}

static void create_many(bool crash)
{
    held_write(crash, "Item", "code", run_create_many);
    assert_int_equal(ft_count(g_db, "Item"), 0);
    test_teardown(NULL);
}

static void test_faults_server__create_many_kill(void **state)
{
    (void)state;
    create_many(true);
}

static void test_faults_server__create_many_halt(void **state)
{
    (void)state;
    create_many(false);
}

/* ---- a nested write ----------------------------------------------------------------------- */

static int run_nested(op *o)
{
    char *out = NULL;
    int rc = rorm_db_call_json(&out, o->db, "Author", "create",
                               "{\"data\":{\"email\":\"a@x.io\",\"books\":{\"create\":["
                               "{\"title\":\"first\"},{\"title\":\"second\"},"
                               "{\"title\":\"held\"},{\"title\":\"last\"}]}}}",
                               &o->err);
    rorm_free(out);
    return rc;
}

static void nested(bool crash)
{
    held_write(crash, "Book", "title", run_nested);
    assert_int_equal(ft_count(g_db, "Author"), 0);
    assert_int_equal(ft_count(g_db, "Book"), 0);
    test_teardown(NULL);
}

static void test_faults_server__nested_write_kill(void **state)
{
    (void)state;
    nested(true);
}

static void test_faults_server__nested_write_halt(void **state)
{
    (void)state;
    nested(false);
}

/* ---- a migration -------------------------------------------------------------------------- */

static const rorm_field_def ft_item2_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "code", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
    { .name = "n", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
    { .name = "note", .type = RORM_FIELD_STRING, .flags = RORM_NULLABLE },
};
static const rorm_field_def ft_extra_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "label", .type = RORM_FIELD_STRING },
};

static int run_migrate(op *o)
{
    return rorm_migrate_apply(o->db, o->plan, NULL, &o->err);
}

static int64_t table_exists(rorm_db *db, const char *table)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM information_schema.tables WHERE table_name = '%s' AND "
             "table_schema = %s",
             table, is_pg ? "current_schema()" : "database()");
    return ft_scalar(db, sql);
}

static int64_t column_exists(rorm_db *db, const char *table, const char *column)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM information_schema.columns WHERE table_name = '%s' AND "
             "column_name = '%s' AND table_schema = %s",
             table, column, is_pg ? "current_schema()" : "database()");
    return ft_scalar(db, sql);
}

/* Migrations recorded in redi_migrations (0 when the table is not there). */
static int64_t history(rorm_db *db)
{
    return table_exists(db, "redi_migrations")
               ? ft_scalar(db, "SELECT count(*) FROM redi_migrations")
               : 0;
}

static void migration(bool crash)
{
    rorm_error err = { 0 };
    rorm_db *db = g_db = fresh_db();
    rorm_db *admin = g_admin = open_db();
    warm_pool(db);
    /* The target schema: a new table "ft_extras" and a new column "note" of "ft_items". */
    rorm_schema *target = NULL;
    assert_rorm_ok(rorm_schema_new(&target, &err), &err);
    rorm_model_def item2 = ft_models[0];
    item2.fields = ft_item2_fields;
    item2.nfields = RORM_COUNT(ft_item2_fields);
    rorm_model_def extra = { .name = "Extra",
                             .table = "ft_extras",
                             .fields = ft_extra_fields,
                             .nfields = RORM_COUNT(ft_extra_fields) };
    const rorm_model_def *defs[] = { &extra, &item2, &ft_models[1], &ft_models[2] };
    for (size_t i = 0; i < RORM_COUNT(defs); i++) {
        assert_rorm_ok(rorm_schema_add_model(target, defs[i], &err), &err);
    }
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, target, NULL, &err), &err);
    size_t nsteps = rorm_migrate_plan_count(plan);
    assert_true(nsteps >= 2);
    /* Which step touches ft_items (it waits for the holder), which creates ft_extras. */
    size_t alter = nsteps, create = nsteps;
    for (size_t i = 0; i < nsteps; i++) {
        const char *sql = rorm_migrate_plan_sql(plan, i);
        if (strstr(sql, "ft_extras")) {
            create = i;
        } else if (strstr(sql, "ft_items") && alter == nsteps) {
            alter = i;
        }
    }
    assert_true(create < nsteps && alter < nsteps);

    int64_t recorded = history(db);
    /* The holder has read ft_items in an open transaction: ALTER TABLE waits for it. */
    rorm_db *holder = NULL;
    assert_rorm_ok(rorm_db_begin(&holder, admin, &err), &err);
    g_holder = holder;
    ft_count(holder, "Item");
    op o = { .db = db, .run = run_migrate, .plan = plan };
    interrupt(&o, admin, holder, crash);
    assert_down(db);
    restart_server();
    assert_pool_serves(db);
    assert_int_equal(column_exists(db, "ft_items", "note"), 0);
    assert_int_equal(history(db), recorded);
    if (is_pg) {
        /* One transaction: nothing of the plan is there. */
        assert_int_equal(rorm_migrate_plan_done(plan), 0);
        assert_true(strstr(o.err.message, "nothing applied") != NULL);
        assert_int_equal(table_exists(db, "ft_extras"), 0);
    } else {
        /* Step by step: the steps reported done are there, the others are not. */
        size_t done = rorm_migrate_plan_done(plan);
        assert_int_equal(done, alter);
        char said[64];
        snprintf(said, sizeof said, "%zu done, %zu not done", done, nsteps - done);
        if (strstr(o.err.message, said) == NULL) {
            fail_msg("expected \"%s\" in: %s", said, o.err.message);
        }
        assert_int_equal(table_exists(db, "ft_extras"), create < done ? 1 : 0);
    }
    rorm_migrate_plan_free(plan);
    rorm_schema_release(target);
    test_teardown(NULL);
}

static void test_faults_server__migration_kill(void **state)
{
    (void)state;
    migration(true);
}

static void test_faults_server__migration_halt(void **state)
{
    (void)state;
    migration(false);
}

int main(void)
{
    if (rorm_test_target_of() != RORM_TARGET_POSTGRES &&
        rorm_test_target_of() != RORM_TARGET_MYSQL) {
        fprintf(stderr, "set RORM_TEST_TARGET to postgres or mysql\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_faults_server__transaction_kill, test_teardown),
        cmocka_unit_test_teardown(test_faults_server__transaction_halt, test_teardown),
        cmocka_unit_test_teardown(test_faults_server__create_many_kill, test_teardown),
        cmocka_unit_test_teardown(test_faults_server__create_many_halt, test_teardown),
        cmocka_unit_test_teardown(test_faults_server__nested_write_kill, test_teardown),
        cmocka_unit_test_teardown(test_faults_server__nested_write_halt, test_teardown),
        cmocka_unit_test_teardown(test_faults_server__migration_kill, test_teardown),
        cmocka_unit_test_teardown(test_faults_server__migration_halt, test_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
