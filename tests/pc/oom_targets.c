/*
 * Out of memory on every database target, the server drivers included: with one handle open
 * (schema registered, tables created), allocation 1, 2, 3, ... of a sequence of Prisma Client
 * calls (a nested create read back with include, a find with a relation filter, include and
 * _count, groupBy with having, an update with a nested updateMany, raw SQL with a parameter, a
 * stream read to its end)
 * fails in turn until the sequence completes. Each failure must be a clean RORM_ENOMEM; the
 * handle and its pooled connection must keep working (the next round runs on them); a nested
 * write is all or nothing; nothing leaks (LeakSanitizer in the sanitizer build).
 */
#include "pc/pc_fixture.h"
#include "util/alloc.h"

static const char *const calls[][3] = {
    { "User", "create",
      "{\"data\": {\"email\": \"h@x.io\", \"name\": \"H\", \"posts\": {\"create\": [{\"title\":"
      " \"h1\", \"views\": 3}, {\"title\": \"h2\"}]}}, \"include\": {\"posts\": true}}" },
    { "User", "findMany",
      "{\"where\": {\"posts\": {\"some\": {\"views\": {\"gte\": 0}}}}, \"include\": {\"posts\":"
      " {\"where\": {\"title\": {\"startsWith\": \"h\"}}, \"orderBy\": {\"id\": \"desc\"},"
      " \"take\": 5}, \"_count\": {\"select\": {\"posts\": true}}}}" },
    { "Post", "groupBy",
      "{\"by\": [\"authorId\"], \"_count\": {\"_all\": true}, \"_sum\": {\"views\": true},"
      " \"having\": {\"views\": {\"_sum\": {\"gte\": 0}}}, \"orderBy\": {\"authorId\": \"asc\"}}" },
    { "User", "update",
      "{\"where\": {\"email\": \"h@x.io\"}, \"data\": {\"name\": \"I\", \"posts\": {\"updateMany\":"
      " {\"where\": {}, \"data\": {\"views\": {\"increment\": 1}}}}}, \"select\": {\"name\": true,"
      " \"posts\": {\"select\": {\"views\": true}}}}" },
};

/* Empty both tables with failures off. */
static void reset(rorm_db *db)
{
    pc_call(db, "Post", "deleteMany", "{}");
    pc_call(db, "User", "deleteMany", "{}");
}

/* The nested create is all or nothing: the user exists with both posts, or neither does. */
static void assert_atomic(rorm_db *db)
{
    long long users = strtoll(pc_call(db, "User", "count", "{}"), NULL, 10);
    long long posts = strtoll(pc_call(db, "Post", "count", "{}"), NULL, 10);
    if (!((users == 0 && posts == 0) || (users == 1 && posts == 2))) {
        fail_msg("a failed nested create left %lld users and %lld posts", users, posts);
    }
}

/* Returns true when every call ran without an allocation failure. */
static bool round_of_calls(rorm_db *db)
{
    rorm_error err = { 0 };
    int rc = RORM_OK;
    for (size_t i = 0; rc == RORM_OK && i < RORM_COUNT(calls); i++) {
        char *json = NULL;
        rc = rorm_db_call_json(&json, db, calls[i][0], calls[i][1], calls[i][2], &err);
        if (rc != RORM_OK) {
            assert_null(json);
        }
        rorm_free(json);
        if (rc != RORM_OK && rc != RORM_ENOMEM) {
            fail_msg("%s.%s: %s (%s)", calls[i][0], calls[i][1], rorm_code_name(rc), err.message);
        }
    }
    if (rc == RORM_OK) {
        /* Raw SQL with a parameter and rows converted back. */
        rorm_rows *rows = NULL;
        rorm_value p[] = { RORM_TEXT("h@x.io") };
        rc = rorm_db_query_raw(&rows, db,
                               rorm_test_sql("SELECT \"name\" FROM \"User\" WHERE \"email\" = ?"),
                               p, 1, &err);
        rorm_rows_free(rows);
        if (rc != RORM_OK && rc != RORM_ENOMEM) {
            fail_msg("raw SQL: %s (%s)", rorm_code_name(rc), err.message);
        }
    }
    if (rc == RORM_OK) {
        /* A stream of the posts, read to its end. */
        rorm_cursor *cur = NULL;
        rc = rorm_db_stream_json(&cur, db, "Post", "{\"orderBy\": {\"id\": \"asc\"}}", &err);
        size_t n = 0;
        if (rc == RORM_OK) {
            rorm_value row;
            int r;
            while ((r = rorm_cursor_next(&row, cur, &err)) == 1) {
                rorm_value_dispose(&row);
                n++;
            }
            rc = r;
            if (rc == RORM_OK) {
                assert_int_equal(n, 2);
            }
        }
        rorm_cursor_close(cur);
        if (rc != RORM_OK && rc != RORM_ENOMEM) {
            fail_msg("stream: %s (%s)", rorm_code_name(rc), err.message);
        }
    }
    if (rc == RORM_ENOMEM) {
        assert_int_equal(err.code, RORM_ENOMEM);
    }
    return rc == RORM_OK;
}

static void test_pc_oom_targets__every_allocation_can_fail(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    size_t n = 1;
    for (; n < 100000; n++) {
        rorm__alloc_fail_after(n);
        bool done = round_of_calls(db);
        rorm__alloc_fail_after(0);
        assert_atomic(db);
        reset(db);
        if (done) {
            break;
        }
    }
    print_message("the calls completed on %s once %zu allocations could succeed\n",
                  rorm_test_target_name(), n - 1);
    assert_true(n > 50);
    assert_true(n < 100000);
    assert_true(round_of_calls(db));
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_oom_targets__every_allocation_can_fail),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
