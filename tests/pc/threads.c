/*
 * One database handle shared by several threads, every call through rorm_db_call: creates,
 * updates with atomic increments, finds, counts and deletes run concurrently through the pool;
 * nothing is lost or counted twice. `make tsan` runs it under ThreadSanitizer.
 */
#include <pthread.h>

#include "pc_fixture.h"

#define THREADS 4
#define ROUNDS  60

typedef struct worker {
    rorm_db *db;
    int index;
    int failures;
    char message[400];
} worker;

static int call(worker *w, const char *model, const char *op, const char *args, char **out)
{
    rorm_error err = { 0 };
    char *json = NULL;
    int rc = rorm_db_call_json(&json, w->db, model, op, args, &err);
    if (rc != RORM_OK && w->failures++ == 0) {
        snprintf(w->message, sizeof w->message, "%s.%s(%s): %s", model, op, args, err.message);
    }
    if (out) {
        *out = json;
    } else {
        rorm_free(json);
    }
    return rc;
}

static void *work(void *arg)
{
    worker *w = arg;
    char args[256];
    for (int i = 0; i < ROUNDS && w->failures == 0; i++) {
        snprintf(args, sizeof args,
                 "{\"data\": {\"email\": \"t%d-%d@x.io\", \"name\": \"T%d\", \"age\": 0}}",
                 w->index, i, w->index);
        call(w, "User", "create", args, NULL);
        snprintf(
            args, sizeof args,
            "{\"where\": {\"email\": \"t%d-%d@x.io\"}, \"data\": {\"age\": {\"increment\": %d}}}",
            w->index, i, i);
        call(w, "User", "update", args, NULL);
        /* The shared counter row: increments must not be lost. */
        call(w, "Item", "update",
             "{\"where\": {\"id\": 1}, \"data\": {\"qty\": {\"increment\": 1}}}", NULL);
        char *out = NULL;
        snprintf(args, sizeof args,
                 "{\"where\": {\"email\": \"t%d-%d@x.io\"}, \"select\": {\"age\": true}}", w->index,
                 i);
        if (call(w, "User", "findUnique", args, &out) == RORM_OK) {
            char expect[32];
            snprintf(expect, sizeof expect, "{\"age\":%d}", i);
            if (strcmp(out, expect) != 0 && w->failures++ == 0) {
                snprintf(w->message, sizeof w->message, "read %s, expected %s", out, expect);
            }
        }
        rorm_free(out);
        snprintf(args, sizeof args, "{\"where\": {\"name\": \"T%d\", \"age\": {\"lt\": 10}}}",
                 w->index);
        if (i % 20 == 19) {
            call(w, "User", "deleteMany", args, NULL);
        }
    }
    return NULL;
}

static void test_pc_threads__shared_handle(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_call(db, "Item", "create", "{\"data\": {\"name\": \"counter\", \"qty\": 0, \"price\": 0}}");
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker){ .db = db, .index = t };
        assert_int_equal(pthread_create(&threads[t], NULL, work, &workers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
    }
    for (int t = 0; t < THREADS; t++) {
        if (workers[t].failures) {
            fail_msg("thread %d: %s", t, workers[t].message);
        }
    }
    char expect[64];
    snprintf(expect, sizeof expect, "{\"qty\":%d}", THREADS * ROUNDS);
    pc_expect(db, "Item", "findUnique", "{\"where\": {\"id\": 1}, \"select\": {\"qty\": true}}",
              expect);
    /* Each thread deleted its users with age < 10 (rounds 0-9) after round 19. */
    snprintf(expect, sizeof expect, "%d", THREADS * (ROUNDS - 10));
    assert_string_equal(pc_call(db, "User", "count", "{}"), expect);
    rorm_db_close(db);
}

/* Every thread upserts the same few records at once, incrementing a counter when they exist. */
static void *upserts(void *arg)
{
    worker *w = arg;
    char args[256];
    for (int i = 0; i < ROUNDS && w->failures == 0; i++) {
        snprintf(args, sizeof args,
                 "{\"where\": {\"email\": \"u%d@x.io\"}, \"create\": {\"email\": \"u%d@x.io\", "
                 "\"name\": \"U\", \"age\": 1}, \"update\": {\"age\": {\"increment\": 1}}}",
                 i % 3, i % 3);
        call(w, "User", "upsert", args, NULL);
    }
    return NULL;
}

/*
 * Concurrent upserts of the same records: a database upsert (one statement, see
 * test_pc_write__database_upsert) never fails with a unique-constraint error when two threads
 * create the same record at once, and no increment is lost.
 */
static void test_pc_threads__concurrent_upserts(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker){ .db = db, .index = t };
        assert_int_equal(pthread_create(&threads[t], NULL, upserts, &workers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
    }
    for (int t = 0; t < THREADS; t++) {
        if (workers[t].failures) {
            fail_msg("thread %d: %s", t, workers[t].message);
        }
    }
    assert_string_equal(pc_call(db, "User", "count", "{}"), "3");
    char expect[64];
    snprintf(expect, sizeof expect, "{\"_sum\":{\"age\":%d}}", THREADS * ROUNDS);
    pc_expect(db, "User", "aggregate", "{\"_sum\": {\"age\": true}}", expect);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_threads__shared_handle),
        cmocka_unit_test(test_pc_threads__concurrent_upserts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
