/*
 * Results built in a result arena (rorm__pc_db_call, what the JavaScript binding calls): the
 * same JSON as rorm_db_call's owned results for reads with include (to-many, to-one shared by
 * several records, in several batched parts), _count, aggregates, groupBy, every column type,
 * and the same errors; writes still return owned results. Allocation 1, 2, 3, ... fails in turn
 * with nothing leaked (LeakSanitizer in the sanitizer build).
 */
#include "pc/pc_fixture.h"
#include "core/json.h"
#include "query/prisma/pc.h"
#include "util/alloc.h"
#include "util/error.h"

static const char *const reads[][3] = {
    { "User", "findMany",
      "{\"include\": {\"posts\": {\"orderBy\": {\"id\": \"asc\"}}, \"_count\": true},"
      " \"orderBy\": {\"id\": \"asc\"}}" },
    { "User", "findMany",
      "{\"select\": {\"name\": true, \"posts\": {\"select\": {\"title\": true, \"author\": true},"
      " \"where\": {\"views\": {\"gte\": 1}}, \"take\": 2}, \"_count\": {\"select\": {\"posts\":"
      " {\"where\": {\"views\": {\"gt\": 1}}}}}}, \"orderBy\": {\"id\": \"desc\"}}" },
    { "Post", "findMany",
      "{\"include\": {\"author\": {\"include\": {\"posts\": true}}}, \"orderBy\": {\"id\": "
      "\"asc\"}}" },
    { "Post", "findMany", "{\"distinct\": [\"authorId\"], \"orderBy\": {\"id\": \"desc\"}}" },
    { "Post", "findMany",
      "{\"cursor\": {\"id\": 3}, \"take\": -2, \"orderBy\": {\"id\": \"asc\"}}" },
    { "User", "findUnique", "{\"where\": {\"id\": 1}, \"include\": {\"posts\": true}}" },
    { "User", "findUnique", "{\"where\": {\"id\": 999}}" },
    { "User", "findFirst", "{\"where\": {\"age\": null}, \"omit\": {\"createdAt\": true}}" },
    { "Post", "count", "{}" },
    { "Post", "count", "{\"select\": {\"_all\": true, \"authorId\": true}}" },
    { "Post", "aggregate",
      "{\"_count\": {\"_all\": true, \"views\": true}, \"_sum\": {\"views\": true}, \"_avg\":"
      " {\"views\": true}, \"_min\": {\"title\": true}, \"_max\": {\"title\": true}}" },
    { "Post", "groupBy",
      "{\"by\": [\"authorId\"], \"_count\": true, \"_sum\": {\"views\": true}, \"_max\":"
      " {\"title\": true}, \"orderBy\": {\"authorId\": \"asc\"}}" },
    { "Item", "findMany", "{\"orderBy\": {\"id\": \"asc\"}}" },
    { "Item", "groupBy",
      "{\"by\": [\"category\"], \"_avg\": {\"total\": true}, \"orderBy\":"
      " {\"category\": \"asc\"}}" },
    { "Doc", "findMany", "{\"orderBy\": {\"at\": \"asc\"}}" },
    { "Member", "findMany", "{\"orderBy\": [{\"tenantId\": \"asc\"}, {\"userId\": \"asc\"}]}" },
};

static void seed(rorm_db *db)
{
    pc_seed_users(db);
    pc_call(db, "Post", "createMany",
            "{\"data\": [{\"title\": \"a\", \"views\": 1, \"authorId\": 1},"
            " {\"title\": \"b\", \"views\": 2, \"authorId\": 1}, {\"title\": \"c\", \"views\": 3,"
            " \"authorId\": 2}, {\"title\": \"d\", \"authorId\": 3}, {\"title\": \"e\"},"
            " {\"title\": \"f\", \"views\": 5, \"authorId\": 1}]}");
    pc_call(db, "Item", "createMany",
            "{\"data\": [{\"name\": \"x\", \"qty\": 1, \"price\": 1.5, \"total\": \"10.25\","
            " \"big\": 9007199254740993, \"category\": \"k\"}, {\"name\": \"y\", \"qty\": 2,"
            " \"price\": 2, \"category\": \"k\", \"total\": \"1.5\"}, {\"name\": \"z\", \"qty\": 3,"
            " \"price\": 0}]}");
    rorm_member data[] = { { "meta", RORM_JSON("{\"k\": [1, \"two\", null]}") },
                           { "blob", RORM_BYTES("\x00\x01\xff", 3) },
                           { "at", RORM_DATETIME(1704164645006) } };
    rorm_member args[] = { { "data", RORM_OBJECT(data) } };
    rorm_value out;
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_call(&out, db, "Doc", "create", &RORM_OBJECT(args), &err), &err);
    rorm_value_dispose(&out);
    pc_call(db, "Doc", "create", "{\"data\": {}}");
    pc_call(db, "Member", "createMany",
            "{\"data\": [{\"tenantId\": \"t\", \"userId\": 1, \"note\": \"n\"}, {\"tenantId\": "
            "\"t\", \"userId\": 2}]}");
}

/* The JSON of a call through the arena, or NULL with *rc and @p err set; allocation
   @p fail_after of the call fails (0: none). */
static char *
arena_json(int *rc, rorm_db *db, const char *const call[3], size_t fail_after, rorm_error *err)
{
    rorm_value args, result;
    assert_rorm_ok(rorm__json_parse(&args, call[2], strlen(call[2]), err), err);
    max_align_t first[256 / sizeof(max_align_t)];
    pc_rarena res;
    rorm__pc_rarena_init(&res, first, sizeof first);
    char *json = NULL;
    rorm__alloc_fail_after(fail_after);
    *rc = rorm__pc_db_call(&result, db, call[0], call[1], &args, true, &res, err);
    rorm__alloc_fail_after(0);
    if (*rc == RORM_OK) {
        size_t len;
        if (rorm_value_to_json(&json, &len, &result) != RORM_OK) {
            *rc = rorm__error_oom(err);
        }
    }
    rorm_value_dispose(&result);
    rorm__pc_rarena_dispose(&res);
    rorm_value_dispose(&args);
    return json;
}

static void compare_all(rorm_db *db)
{
    for (size_t i = 0; i < RORM_COUNT(reads); i++) {
        rorm_error err = { 0 };
        int rc;
        char *got = arena_json(&rc, db, reads[i], 0, &err);
        if (rc != RORM_OK) {
            fail_msg("%s.%s: %s", reads[i][0], reads[i][1], err.message);
        }
        assert_string_equal(got, pc_call(db, reads[i][0], reads[i][1], reads[i][2]));
        rorm_free(got);
    }
}

static void test_pc_arena__same_results(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    seed(db);
    compare_all(db);
    /* Relations read in several batched parts (two keys per statement). */
    rorm__pc_chunk_keys = 2;
    compare_all(db);
    rorm__pc_chunk_keys = 0;
    rorm_db_close(db);
}

static void test_pc_arena__same_errors_and_writes(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    seed(db);
    static const char *const bad[][3] = {
        { "User", "findUniqueOrThrow", "{\"where\": {\"id\": 999}}" },
        { "User", "findMany", "{\"where\": {\"emial\": \"x\"}}" },
        { "User", "findMany", "{\"include\": {\"posts\": {\"where\": {\"nope\": 1}}}}" },
    };
    for (size_t i = 0; i < RORM_COUNT(bad); i++) {
        rorm_error err = { 0 };
        int rc;
        char *got = arena_json(&rc, db, bad[i], 0, &err);
        assert_null(got);
        const char *msg = pc_fail(db, bad[i][0], bad[i][1], bad[i][2], rc);
        assert_string_equal(err.message, msg);
    }
    /* A write through the arena entry: an owned result, as rorm_db_call's. */
    static const char *const create[3] = {
        "User", "create",
        "{\"data\": {\"email\": \"w@x.io\", \"name\": \"W\", \"posts\": {\"create\": {\"title\":"
        " \"w\"}}}, \"include\": {\"posts\": {\"select\": {\"title\": true}}}}"
    };
    rorm_error err = { 0 };
    int rc;
    char *got = arena_json(&rc, db, create, 0, &err);
    assert_rorm_ok(rc, &err);
    assert_contains(got, "\"posts\":[{\"title\":\"w\"}]");
    rorm_free(got);
    rorm_db_close(db);
}

static void test_pc_arena__every_allocation_can_fail(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    seed(db);
    rorm__pc_chunk_keys = 2;
    size_t n = 1;
    for (; n < 100000; n++) {
        bool done = true;
        for (size_t i = 0; i < RORM_COUNT(reads); i++) {
            rorm_error err = { 0 };
            int rc;
            char *got = arena_json(&rc, db, reads[i], n, &err);
            rorm_free(got);
            if (rc != RORM_OK && rc != RORM_ENOMEM) {
                fail_msg("%s.%s: %s (%s)", reads[i][0], reads[i][1], rorm_code_name(rc),
                         err.message);
            }
            done &= rc == RORM_OK;
        }
        if (done) {
            break;
        }
    }
    rorm__pc_chunk_keys = 0;
    print_message("the reads completed on %s once %zu allocations could succeed\n",
                  rorm_test_target_name(), n - 1);
    assert_true(n > 10);
    assert_true(n < 100000);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_arena__same_results),
        cmocka_unit_test(test_pc_arena__same_errors_and_writes),
        cmocka_unit_test(test_pc_arena__every_allocation_can_fail),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
