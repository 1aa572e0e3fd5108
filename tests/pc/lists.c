/*
 * Scalar lists: the filters `equals` (and the list shorthand), `has`, `hasEvery`, `hasSome`,
 * `isEmpty`, and `push` in updates. Native arrays on PostgreSQL, JSON text elsewhere (a schema
 * for PostgreSQL, where Prisma allows lists, registered on every database).
 */
#include "pc_fixture.h"

static const char lists_schema[] = "datasource db {\n"
                                   "  provider = \"postgresql\"\n"
                                   "  url      = \"x\"\n"
                                   "}\n"
                                   "model Box {\n"
                                   "  id    Int      @id @default(autoincrement())\n"
                                   "  label String\n"
                                   "  tags  String[]\n"
                                   "  nums  Int[]\n"
                                   "}\n";

static rorm_db *lists_open(void)
{
    rorm_error err = { 0 };
    rorm_db *db = rorm_test_open();
    rorm_schema *schema = NULL;
    assert_rorm_ok(
        rorm_prisma_load_string(&schema, lists_schema, strlen(lists_schema), NULL, NULL, &err),
        &err);
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    pc_call(db, "Box", "createMany",
            "{\"data\": [{\"label\": \"a\", \"tags\": [\"red\", \"blue\"], \"nums\": [1, 2, 3]},"
            " {\"label\": \"b\", \"tags\": [\"blue\"], \"nums\": [3]},"
            " {\"label\": \"c\", \"tags\": [], \"nums\": []},"
            " {\"label\": \"d\", \"tags\": [\"it's\", \"a;b\"], \"nums\": [7]}]}");
    return db;
}

/* The labels of the boxes matching @p where, by id. */
static const char *labels(rorm_db *db, const char *where)
{
    static char out[256];
    char args[512];
    snprintf(args, sizeof args,
             "{\"where\": %s, \"orderBy\": {\"id\": \"asc\"}, \"select\": {\"label\": true}}",
             where);
    const char *json = pc_call(db, "Box", "findMany", args);
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = json; (p = strstr(p, "\"label\":\"")) != NULL;) {
        p += strlen("\"label\":\"");
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%c", n ? "," : "", *p);
    }
    return out;
}

static void test_pc_lists__filters(void **state)
{
    (void)state;
    rorm_db *db = lists_open();
    assert_string_equal(labels(db, "{\"tags\": {\"has\": \"blue\"}}"), "a,b");
    assert_string_equal(labels(db, "{\"tags\": {\"has\": \"it's\"}}"), "d");
    assert_string_equal(labels(db, "{\"tags\": {\"has\": \"green\"}}"), "");
    assert_string_equal(labels(db, "{\"nums\": {\"has\": 3}}"), "a,b");
    assert_string_equal(labels(db, "{\"tags\": {\"hasEvery\": [\"blue\", \"red\"]}}"), "a");
    assert_string_equal(labels(db, "{\"tags\": {\"hasEvery\": []}}"), "a,b,c,d");
    assert_string_equal(labels(db, "{\"tags\": {\"hasSome\": [\"red\", \"a;b\"]}}"), "a,d");
    assert_string_equal(labels(db, "{\"tags\": {\"hasSome\": []}}"), "");
    assert_string_equal(labels(db, "{\"nums\": {\"hasSome\": [2, 7]}}"), "a,d");
    assert_string_equal(labels(db, "{\"tags\": {\"isEmpty\": true}}"), "c");
    assert_string_equal(labels(db, "{\"tags\": {\"isEmpty\": false}}"), "a,b,d");
    assert_string_equal(labels(db, "{\"nums\": {\"equals\": [1, 2, 3]}}"), "a");
    assert_string_equal(labels(db, "{\"nums\": [3]}"), "b");
    assert_string_equal(labels(db, "{\"nums\": {\"equals\": [3, 2, 1]}}"), "");
    assert_string_equal(labels(db, "{\"tags\": {\"has\": \"blue\", \"isEmpty\": false}, "
                                   "\"NOT\": {\"nums\": {\"has\": 1}}}"),
                        "b");
    /* Wrong operands are validation errors naming the field. */
    assert_contains(
        pc_fail(db, "Box", "findMany", "{\"where\": {\"nums\": {\"has\": \"x\"}}}", RORM_EINVAL),
        "nums");
    assert_contains(
        pc_fail(db, "Box", "findMany", "{\"where\": {\"tags\": {\"has\": null}}}", RORM_EINVAL),
        "must not be null");
    assert_contains(pc_fail(db, "Box", "findMany", "{\"where\": {\"tags\": {\"hasAny\": [\"x\"]}}}",
                            RORM_EINVAL),
                    "hasAny");
    assert_contains(
        pc_fail(db, "Box", "findMany", "{\"where\": {\"tags\": {\"isEmpty\": 1}}}", RORM_EINVAL),
        "isEmpty");
    rorm_db_close(db);
}

static void test_pc_lists__push(void **state)
{
    (void)state;
    rorm_db *db = lists_open();
    pc_expect(db, "Box", "update",
              "{\"where\": {\"id\": 1}, \"data\": {\"tags\": {\"push\": \"green\"}}, "
              "\"select\": {\"tags\": true}}",
              "{\"tags\":[\"red\",\"blue\",\"green\"]}");
    pc_expect(db, "Box", "update",
              "{\"where\": {\"id\": 3}, \"data\": {\"nums\": {\"push\": [4, 5]}}, "
              "\"select\": {\"nums\": true}}",
              "{\"nums\":[4,5]}");
    pc_expect(db, "Box", "updateMany",
              "{\"where\": {\"tags\": {\"has\": \"blue\"}}, \"data\": {\"nums\": {\"push\": 9}}}",
              "{\"count\":2}");
    pc_expect(db, "Box", "findMany",
              "{\"orderBy\": {\"id\": \"asc\"}, \"select\": {\"nums\": true}}",
              "[{\"nums\":[1,2,3,9]},{\"nums\":[3,9]},{\"nums\":[4,5]},{\"nums\":[7]}]");
    pc_expect(db, "Box", "update",
              "{\"where\": {\"id\": 4}, \"data\": {\"tags\": {\"push\": []}}, "
              "\"select\": {\"tags\": true}}",
              "{\"tags\":[\"it's\",\"a;b\"]}");
    assert_contains(pc_fail(db, "Box", "update",
                            "{\"where\": {\"id\": 1}, \"data\": {\"nums\": {\"push\": \"x\"}}}",
                            RORM_EINVAL),
                    "nums");
    assert_contains(pc_fail(db, "Box", "update",
                            "{\"where\": {\"id\": 1}, \"data\": {\"label\": {\"push\": \"x\"}}}",
                            RORM_EINVAL),
                    "push");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_lists__filters),
        cmocka_unit_test(test_pc_lists__push),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
