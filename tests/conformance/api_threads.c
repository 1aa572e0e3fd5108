/*
 * One database handle shared by several threads: inserts, lookups, queries and transactions
 * run concurrently through the pool; nothing is lost or duplicated.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api_fixture.h"

#define THREADS 4
#define ROUNDS  150

typedef struct worker {
    rorm_db *db;
    int index;
    int failures;
    char message[400];
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    rorm_error err = { 0 };
    for (int i = 0; i < ROUNDS && w->failures == 0; i++) {
        char email[64], name[32];
        snprintf(email, sizeof email, "t%d-%d@x.io", w->index, i);
        snprintf(name, sizeof name, "T%d", w->index);
        rorm_member m[] = { { "email", RORM_TEXT(email) },
                            { "name", RORM_TEXT(name) },
                            { "age", RORM_INT(i) } };
        rorm_value id, rec;
        rorm_db *tx = NULL;
        int rc;
        if (i % 3 == 0) {
            /* Every third insert goes through a transaction with a post. */
            rc = rorm_db_begin(&tx, w->db, &err);
            if (rc == RORM_OK) {
                rc = rorm_db_insert(tx, "User", &RORM_OBJECT(m), &id, &err);
            }
            if (rc == RORM_OK) {
                rorm_member p[] = { { "title", RORM_TEXT(email) }, { "authorId", id } };
                rc = rorm_db_insert(tx, "Post", &RORM_OBJECT(p), NULL, &err);
            }
            if (tx) {
                rc = rc == RORM_OK ? rorm_db_commit(tx, &err) : (rorm_db_rollback(tx, NULL), rc);
            }
        } else {
            rc = rorm_db_insert(w->db, "User", &RORM_OBJECT(m), &id, &err);
        }
        if (rc == RORM_OK) {
            rc = rorm_db_find(w->db, "User", &id, &rec, &err);
            if (rc == RORM_OK &&
                strcmp(rorm_value_as_text(rorm_value_object_get(&rec, "email")), email) != 0) {
                rc = RORM_EINVAL;
                snprintf(err.message, sizeof err.message, "read back another record");
            }
            rorm_value_dispose(&rec);
        }
        if (rc != RORM_OK) {
            w->failures++;
            snprintf(w->message, sizeof w->message, "round %d: %s (%s)", i, err.message,
                     rorm_code_name(rc));
        }
    }
    return NULL;
}

static void test_api_threads__shared_handle(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker){ db, t, 0, "" };
        assert_int_equal(pthread_create(&threads[t], NULL, work, &workers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
        if (workers[t].failures) {
            fail_msg("thread %d: %s", t, workers[t].message);
        }
    }
    rorm_query *q;
    int64_t n = 0;
    assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    rorm_query_free(q);
    assert_int_equal(n, THREADS * ROUNDS);
    assert_rorm_ok(rorm_query_new(&q, db, "Post", &err), &err);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    rorm_query_free(q);
    assert_int_equal(n, THREADS * ((ROUNDS + 2) / 3));
    /* Every user of thread 0 is there exactly once. */
    assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
    rorm_query_where(q, "name", "=", &RORM_TEXT("T0"));
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    rorm_query_free(q);
    assert_int_equal(n, ROUNDS);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_threads__shared_handle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
