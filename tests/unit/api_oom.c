/*
 * Out of memory through the C API: allocation 1, 2, 3, ... of a whole scenario (open, schema,
 * register, ensure, insert, insert_many, find, update, query, transaction, delete) fails in
 * turn until the scenario completes. Every failure must be a clean RORM_ENOMEM, and nothing
 * may leak (checked by LeakSanitizer in the sanitizer build).
 */
#include <string.h>

#include "conformance/api_fixture.h"
#include "util/alloc.h"

/* Check one step: RORM_OK continues, RORM_ENOMEM ends the run, anything else fails the test. */
#define STEP(call)                                                            \
    do {                                                                      \
        int rc_ = (call);                                                     \
        if (rc_ == RORM_ENOMEM) {                                             \
            assert_int_equal(err.code, RORM_ENOMEM);                          \
            goto done;                                                        \
        }                                                                     \
        if (rc_ != RORM_OK) {                                                 \
            fail_msg("%s: %s (%s)", #call, rorm_code_name(rc_), err.message); \
        }                                                                     \
    } while (0)

/* Returns true when the whole scenario ran without an allocation failure. */
static bool scenario(void)
{
    rorm_error err = { 0 };
    rorm_db *db = NULL, *tx = NULL;
    rorm_schema *schema = NULL;
    rorm_query *q = NULL;
    rorm_rows *rows = NULL;
    rorm_value id, rec, tid;
    bool completed = false;
    rorm_value_init(&id);
    rorm_value_init(&rec);
    rorm_value_init(&tid);
    static const char *const colors[] = { "RED", "GREEN" };

    STEP(rorm_db_open(&db, "sqlite://:memory:", &err));
    STEP(rorm_schema_new(&schema, &err));
    STEP(rorm_schema_add_enum(schema, "Color", colors, 2, &err));
    for (size_t i = 0; i < RORM_COUNT(fx_models); i++) {
        STEP(rorm_schema_add_model(schema, &fx_models[i], &err));
    }
    STEP(rorm_db_register(db, schema, &err));
    STEP(rorm_db_ensure_schema(db, &err));

    rorm_member user[] = { { "email", RORM_TEXT("a@x.io") },
                           { "name", RORM_TEXT("A") },
                           { "age", RORM_INT(3) } };
    STEP(rorm_db_insert(db, "User", &RORM_OBJECT(user), &id, &err));
    rorm_value tags[] = { RORM_TEXT("x"), RORM_TEXT("y") };
    rorm_member thing[] = { { "s", RORM_TEXT("s") },
                            { "tags", RORM_ARRAY(tags) },
                            { "doc", RORM_JSON("[1,{\"a\":2}]") } };
    STEP(rorm_db_insert(db, "Thing", &RORM_OBJECT(thing), &tid, &err));
    STEP(rorm_db_find(db, "Thing", &tid, &rec, &err));
    rorm_value_dispose(&rec);

    rorm_member p1[] = { { "title", RORM_TEXT("one") }, { "authorId", id } };
    rorm_member p2[] = { { "title", RORM_TEXT("two") },
                         { "authorId", id },
                         { "published", RORM_BOOL(true) } };
    rorm_value posts[] = { RORM_OBJECT(p1), RORM_OBJECT(p1), RORM_OBJECT(p2) };
    int64_t n = 0;
    STEP(rorm_db_insert_many(db, "Post", posts, 3, &n, &err));

    STEP(rorm_db_find(db, "User", &id, &rec, &err));
    rorm_value_dispose(&rec);
    rorm_member change[] = { { "name", RORM_TEXT("B") } };
    STEP(rorm_db_update(db, "User", &id, &RORM_OBJECT(change), &err));

    STEP(rorm_query_new(&q, db, "Post", &err));
    rorm_value ids[] = { RORM_INT(1), RORM_INT(2), RORM_INT(3) };
    rorm_query_where(q, "id", "in", &RORM_ARRAY(ids));
    rorm_query_or_begin(q);
    rorm_query_where(q, "published", "=", &RORM_BOOL(true));
    rorm_query_where(q, "title", "like", &RORM_TEXT("o%"));
    rorm_query_group_end(q);
    rorm_query_order_by(q, "id", RORM_DESC);
    rorm_query_limit(q, 5);
    STEP(rorm_query_execute(&rows, q, &err));
    assert_int_equal(rorm_rows_count(rows), 3);
    STEP(rorm_query_first(&rec, q, &err));
    rorm_value_dispose(&rec);
    STEP(rorm_query_count(&n, q, &err));

    STEP(rorm_db_begin(&tx, db, &err));
    STEP(rorm_db_delete(tx, "Post", &RORM_INT(1), &err));
    STEP(rorm_db_commit(tx, &err));
    tx = NULL;
    completed = true;

done:
    if (tx) {
        rorm_db_rollback(tx, NULL);
    }
    rorm_rows_free(rows);
    rorm_query_free(q);
    rorm_value_dispose(&id);
    rorm_value_dispose(&tid);
    rorm_value_dispose(&rec);
    rorm_schema_release(schema);
    rorm_db_close(db);
    return completed;
}

static void test_api_oom__every_allocation_can_fail(void **state)
{
    (void)state;
    size_t n = rorm_test_alloc_loop(scenario, 100000);
    print_message("the scenario completed once %zu allocations could succeed\n", n - 1);
    assert_true(n > 50); /* the scenario allocates: the loop really injected failures */
    assert_true(n < 100000);
    /* With failures off, the scenario runs cleanly. */
    assert_true(scenario());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_oom__every_allocation_can_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
