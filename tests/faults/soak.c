/*
 * Concurrency soak: THREADS threads share one rorm_db and run a mix of operations against a
 * bank of accounts:
 *   - transfers inside transactions, with a random isolation level where the database has
 *     levels: under SERIALIZABLE a read-modify-write (find, then update with the computed
 *     balance), otherwise atomic decrement/increment through rorm_db_call; each transfer inserts
 *     one ledger row (thread, seq, from, to, amount). Accounts are locked in random order, so
 *     deadlocks and serialization failures happen: RORM_ECONFLICT (and RORM_EBUSY) are retried;
 *   - scratch ledger rows inserted and deleted again (sometimes in a transaction rolled back);
 *   - reads: the sum of balances in one statement (always the total), an account by key.
 * Then the invariants: the balances sum to the starting total; the ledger holds exactly the
 * transfers the threads saw committed (each (thread, seq) once, none missing, no scratch rows
 * left); every balance equals its start plus the ledger's credits minus its debits.
 *
 * RORM_SOAK_OPS sets the operations per thread (default 3000; more for a manual run). The run
 * prints its duration and operations per second.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/harness.h"

#define THREADS  8
#define ACCOUNTS 10
#define INITIAL  1000
#define RETRIES  200

static const rorm_field_def sk_account_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY },
    { .name = "balance", .type = RORM_FIELD_INT },
};
static const rorm_field_def sk_ledger_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "thread", .type = RORM_FIELD_INT },
    { .name = "seq", .type = RORM_FIELD_INT },
    { .name = "kind", .type = RORM_FIELD_STRING }, /* "transfer" or "scratch" */
    { .name = "fromId", .type = RORM_FIELD_INT },
    { .name = "toId", .type = RORM_FIELD_INT },
    { .name = "amount", .type = RORM_FIELD_INT },
};
static const rorm_model_def sk_models[] = {
    { .name = "Account",
      .table = "soak_accounts",
      .fields = sk_account_fields,
      .nfields = RORM_COUNT(sk_account_fields) },
    { .name = "Ledger",
      .table = "soak_ledger",
      .fields = sk_ledger_fields,
      .nfields = RORM_COUNT(sk_ledger_fields) },
};

typedef struct worker {
    rorm_db *db;
    int index;
    int ops;
    unsigned seed;
    int committed; /* transfers committed: seqs 0 .. committed-1 */
    int retries;   /* transactions retried after ECONFLICT / EBUSY */
    int failures;
    char message[400];
} worker;

static bool levels; /* the database takes isolation levels other than serializable */

static unsigned next_rand(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

static bool retryable(int rc)
{
    return rc == RORM_ECONFLICT || rc == RORM_EBUSY;
}

/* Move @p amount from @p from to @p to and record it, in one transaction. */
static int
transfer_once(worker *w, int from, int to, int amount, unsigned isolation, rorm_error *err)
{
    rorm_db *tx = NULL;
    int rc = rorm_db_begin_isolation(&tx, w->db, isolation, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (isolation == RORM_ISOLATION_SERIALIZABLE) {
        /* Read-modify-write: only serializable isolation keeps this safe. */
        int ids[2] = { from, to }, delta[2] = { -amount, amount };
        for (int k = 0; k < 2 && rc == RORM_OK; k++) {
            rorm_value id = RORM_INT(ids[k]), rec;
            rc = rorm_db_find(tx, "Account", &id, &rec, err);
            if (rc == RORM_OK) {
                int64_t balance = rorm_value_object_get(&rec, "balance")->u.i;
                rorm_value_dispose(&rec);
                rorm_member m[] = { { "balance", RORM_INT(balance + delta[k]) } };
                rc = rorm_db_update(tx, "Account", &id, &RORM_OBJECT(m), err);
            }
        }
    } else {
        char args[160];
        char *out = NULL;
        snprintf(args, sizeof args,
                 "{\"where\":{\"id\":%d},\"data\":{\"balance\":{\"decrement\":%d}}}", from, amount);
        rc = rorm_db_call_json(&out, tx, "Account", "update", args, err);
        rorm_free(out);
        out = NULL;
        if (rc == RORM_OK) {
            snprintf(args, sizeof args,
                     "{\"where\":{\"id\":%d},\"data\":{\"balance\":{\"increment\":%d}}}", to,
                     amount);
            rc = rorm_db_call_json(&out, tx, "Account", "update", args, err);
            rorm_free(out);
        }
    }
    if (rc == RORM_OK) {
        rorm_member m[] = { { "thread", RORM_INT(w->index) },  { "seq", RORM_INT(w->committed) },
                            { "kind", RORM_TEXT("transfer") }, { "fromId", RORM_INT(from) },
                            { "toId", RORM_INT(to) },          { "amount", RORM_INT(amount) } };
        rc = rorm_db_insert(tx, "Ledger", &RORM_OBJECT(m), NULL, err);
    }
    if (rc != RORM_OK) {
        rorm_error ignored = { 0 };
        rorm_db_rollback(tx, &ignored);
        return rc;
    }
    return rorm_db_commit(tx, err);
}

static int transfer(worker *w, rorm_error *err)
{
    int from = (int)(next_rand(&w->seed) % ACCOUNTS) + 1;
    int to = (int)(next_rand(&w->seed) % (ACCOUNTS - 1)) + 1;
    to = to >= from ? to + 1 : to;
    int amount = (int)(next_rand(&w->seed) % 50) + 1;
    unsigned isolation = RORM_ISOLATION_SERIALIZABLE;
    if (levels) {
        static const unsigned choice[] = { RORM_ISOLATION_DEFAULT, RORM_ISOLATION_READ_COMMITTED,
                                           RORM_ISOLATION_REPEATABLE_READ,
                                           RORM_ISOLATION_SERIALIZABLE };
        isolation = choice[next_rand(&w->seed) % 4];
    } else if (next_rand(&w->seed) % 2) {
        isolation = RORM_ISOLATION_DEFAULT;
    }
    for (int attempt = 0;; attempt++) {
        int rc = transfer_once(w, from, to, amount, isolation, err);
        if (rc == RORM_OK) {
            w->committed++;
            return RORM_OK;
        }
        if (!retryable(rc) || attempt == RETRIES) {
            return rc;
        }
        w->retries++;
    }
}

/* A scratch ledger row, inserted and deleted (or rolled back with its transaction). */
static int scratch(worker *w, rorm_error *err)
{
    rorm_member m[] = { { "thread", RORM_INT(w->index) }, { "seq", RORM_INT(-1) },
                        { "kind", RORM_TEXT("scratch") }, { "fromId", RORM_INT(0) },
                        { "toId", RORM_INT(0) },          { "amount", RORM_INT(0) } };
    rorm_value id;
    if (next_rand(&w->seed) % 2) {
        int rc = rorm_db_insert(w->db, "Ledger", &RORM_OBJECT(m), &id, err);
        return rc == RORM_OK ? rorm_db_delete(w->db, "Ledger", &id, err) : rc;
    }
    for (int attempt = 0;; attempt++) {
        rorm_db *tx = NULL;
        int rc = rorm_db_begin(&tx, w->db, err);
        if (rc == RORM_OK) {
            rc = rorm_db_insert(tx, "Ledger", &RORM_OBJECT(m), &id, err);
            rorm_error ignored = { 0 };
            int rb = rorm_db_rollback(tx, &ignored);
            rc = rc == RORM_OK ? rb : rc;
        }
        if (rc == RORM_OK || !retryable(rc) || attempt == RETRIES) {
            return rc;
        }
        w->retries++;
    }
}

static int read_some(worker *w, rorm_error *err)
{
    if (next_rand(&w->seed) % 2) {
        char *out = NULL;
        int rc = rorm_db_call_json(&out, w->db, "Account", "aggregate",
                                   "{\"_sum\":{\"balance\":true}}", err);
        if (rc == RORM_OK) {
            char want[64];
            snprintf(want, sizeof want, "{\"_sum\":{\"balance\":%d}}", ACCOUNTS * INITIAL);
            if (strcmp(out, want) != 0) {
                rc = RORM_EINVAL;
                snprintf(err->message, sizeof err->message, "sum of balances read as %.100s", out);
            }
        }
        rorm_free(out);
        return rc;
    }
    rorm_value id = RORM_INT((int)(next_rand(&w->seed) % ACCOUNTS) + 1), rec;
    int rc = rorm_db_find(w->db, "Account", &id, &rec, err);
    if (rc == RORM_OK) {
        rorm_value_dispose(&rec);
    }
    return rc;
}

static void *work(void *arg)
{
    worker *w = arg;
    rorm_error err = { 0 };
    for (int i = 0; i < w->ops && w->failures == 0; i++) {
        unsigned r = next_rand(&w->seed) % 10;
        const char *what = r < 5 ? "transfer" : r < 7 ? "scratch" : "read";
        int rc = r < 5 ? transfer(w, &err) : r < 7 ? scratch(w, &err) : read_some(w, &err);
        if (rc != RORM_OK) {
            w->failures++;
            snprintf(w->message, sizeof w->message, "op %d (%s): %s (%s)", i, what, err.message,
                     rorm_code_name(rc));
        }
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_faults_soak__shared_handle(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    levels = rorm_test_has(RORM_TESTCAP_ISOLATION_LEVELS);
    const char *env = getenv("RORM_SOAK_OPS");
    int ops = env && atoi(env) > 0 ? atoi(env) : 3000;

    rorm_db *db = rorm_test_open();
    rorm_schema *schema = NULL;
    assert_rorm_ok(rorm_schema_new(&schema, &err), &err);
    for (size_t i = 0; i < RORM_COUNT(sk_models); i++) {
        assert_rorm_ok(rorm_schema_add_model(schema, &sk_models[i], &err), &err);
    }
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    for (int a = 1; a <= ACCOUNTS; a++) {
        rorm_member m[] = { { "id", RORM_INT(a) }, { "balance", RORM_INT(INITIAL) } };
        assert_rorm_ok(rorm_db_insert(db, "Account", &RORM_OBJECT(m), NULL, &err), &err);
    }

    pthread_t threads[THREADS];
    worker workers[THREADS];
    double t0 = now_s();
    for (int t = 0; t < THREADS; t++) {
        workers[t] =
            (worker){ .db = db, .index = t, .ops = ops, .seed = 7919u * (unsigned)(t + 1) };
        assert_int_equal(pthread_create(&threads[t], NULL, work, &workers[t]), 0);
    }
    int committed = 0, retries = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        committed += workers[t].committed;
        retries += workers[t].retries;
    }
    double elapsed = now_s() - t0;
    for (int t = 0; t < THREADS; t++) {
        if (workers[t].failures) {
            fail_msg("thread %d: %s", t, workers[t].message);
        }
    }
    printf("soak on %s: %d threads x %d operations in %.2f s, %.0f operations/s; %d transfers "
           "committed, %d retries\n",
           rorm_test_target_name(), THREADS, ops, elapsed, THREADS * ops / elapsed, committed,
           retries);

    /* The ledger, as the threads saw it: every committed (thread, seq) exactly once. */
    rorm_query *q = NULL;
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_query_new(&q, db, "Ledger", &err), &err);
    rorm_query_order_by(q, "thread", RORM_ASC);
    rorm_query_order_by(q, "seq", RORM_ASC);
    assert_rorm_ok(rorm_query_execute(&rows, q, &err), &err);
    rorm_query_free(q);
    assert_int_equal(rorm_rows_count(rows), (size_t)committed);
    int64_t balance[ACCOUNTS + 1];
    for (int a = 1; a <= ACCOUNTS; a++) {
        balance[a] = INITIAL;
    }
    size_t k = 0;
    for (int t = 0; t < THREADS; t++) {
        for (int s = 0; s < workers[t].committed; s++, k++) {
            assert_string_equal(rorm_value_as_text(rorm_rows_field(rows, k, "kind")), "transfer");
            assert_int_equal(rorm_rows_field(rows, k, "thread")->u.i, t);
            assert_int_equal(rorm_rows_field(rows, k, "seq")->u.i, s);
            int64_t amount = rorm_rows_field(rows, k, "amount")->u.i;
            balance[rorm_rows_field(rows, k, "fromId")->u.i] -= amount;
            balance[rorm_rows_field(rows, k, "toId")->u.i] += amount;
        }
    }
    rorm_rows_free(rows);

    /* Balances: what the ledger says, and the total unchanged. */
    int64_t total = 0;
    for (int a = 1; a <= ACCOUNTS; a++) {
        rorm_value id = RORM_INT(a), rec;
        assert_rorm_ok(rorm_db_find(db, "Account", &id, &rec, &err), &err);
        int64_t b = rorm_value_object_get(&rec, "balance")->u.i;
        rorm_value_dispose(&rec);
        if (b != balance[a]) {
            fail_msg("account %d holds %lld, the ledger says %lld", a, (long long)b,
                     (long long)balance[a]);
        }
        total += b;
    }
    assert_int_equal(total, ACCOUNTS * INITIAL);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults_soak__shared_handle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
