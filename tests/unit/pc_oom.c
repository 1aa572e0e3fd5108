/*
 * Out of memory through the Prisma Client calls: allocation 1, 2, 3, ... of a scenario that
 * runs every operation (with filters, ordering, cursor, distinct, aggregates, groupBy, writes
 * in transactions) fails in turn until the scenario completes; the same for schema loading and
 * query compilation alone (no database) for each dialect. Every failure must be a clean
 * RORM_ENOMEM, and nothing may leak (LeakSanitizer in the sanitizer build).
 */
#include "pc/pc_fixture.h"

#include "client/client.h"
#include "core/json.h"
#include "dialect/dialect.h"
#include "query/prisma/pc.h"
#include "util/alloc.h"

static const char *const calls[][3] = {
    { "User", "createMany",
      "{\"data\": [{\"email\": \"a@x.io\", \"name\": \"A\", \"age\": 3},"
      " {\"email\": \"b@x.io\", \"name\": \"B\"}]}" },
    { "User", "createMany",
      "{\"data\": [{\"email\": \"a@x.io\", \"name\": \"A\"}, {\"email\": \"c@x.io\", \"name\": \"C\"}],"
      " \"skipDuplicates\": true}" },
    { "User", "create",
      "{\"data\": {\"email\": \"d@x.io\", \"name\": \"D\", \"role\": \"ADMIN\"}}" },
    { "User", "createManyAndReturn",
      "{\"data\": [{\"email\": \"e@x.io\", \"name\": \"E\"}], \"select\": {\"id\": true}}" },
    { "User", "findMany",
      "{\"where\": {\"OR\": [{\"name\": {\"contains\": \"a\", \"mode\": \"insensitive\"}},"
      " {\"age\": {\"in\": [1, 2, 3]}}], \"NOT\": {\"email\": {\"endsWith\": \"%\"}}},"
      " \"orderBy\": [{\"age\": {\"sort\": \"asc\", \"nulls\": \"last\"}}, {\"id\": \"desc\"}],"
      " \"take\": -2, \"skip\": 1, \"omit\": {\"createdAt\": true}}" },
    { "User", "findMany", "{\"cursor\": {\"id\": 2}, \"take\": 2, \"distinct\": [\"role\"]}" },
    { "User", "findUnique", "{\"where\": {\"email\": \"a@x.io\"}, \"select\": {\"id\": true}}" },
    { "User", "findFirstOrThrow", "{\"where\": {\"age\": {\"gte\": 0}}}" },
    { "User", "update", "{\"where\": {\"id\": 1}, \"data\": {\"age\": {\"increment\": 2}}}" },
    { "User", "updateMany", "{\"where\": {\"age\": null}, \"data\": {\"age\": 1}}" },
    { "User", "upsert",
      "{\"where\": {\"email\": \"f@x.io\"}, \"create\": {\"email\": \"f@x.io\", \"name\": \"F\"},"
      " \"update\": {\"name\": \"G\"}}" },
    { "User", "count", "{\"select\": {\"_all\": true, \"age\": true}, \"take\": 3}" },
    { "User", "aggregate",
      "{\"_count\": true, \"_avg\": {\"age\": true}, \"_sum\": {\"age\": true}, \"_min\": {\"name\": true},"
      " \"_max\": {\"email\": true}}" },
    { "User", "groupBy",
      "{\"by\": [\"role\"], \"_count\": {\"_all\": true}, \"having\": {\"age\": {\"_sum\": {\"gt\": 0}}},"
      " \"orderBy\": {\"_count\": {\"role\": \"desc\"}}}" },
    { "Account", "create", "{\"data\": {\"email\": \"a@x.io\", \"tenantId\": \"t\"}}" },
    { "Account", "findUnique",
      "{\"where\": {\"email_tenantId\": {\"email\": \"a@x.io\", \"tenantId\": \"t\"}}}" },
    /* Relations: nested writes, include, _count, relation filters and ordering. */
    { "User", "create",
      "{\"data\": {\"email\": \"h@x.io\", \"name\": \"H\", \"posts\": {\"create\": [{\"title\": \"h1\"},"
      " {\"title\": \"h2\"}]}}, \"include\": {\"posts\": true}}" },
    { "Post", "create",
      "{\"data\": {\"title\": \"p\", \"author\": {\"connect\": {\"id\": 1}}}, \"select\": {\"id\": true}}" },
    { "User", "update",
      "{\"where\": {\"id\": 1}, \"data\": {\"posts\": {\"updateMany\": {\"where\": {}, \"data\":"
      " {\"views\": 2}}, \"create\": {\"title\": \"p2\"}}}, \"select\": {\"_count\": true}}" },
    { "User", "findMany",
      "{\"where\": {\"posts\": {\"some\": {\"views\": {\"gte\": 0}}}}, \"orderBy\": {\"posts\":"
      " {\"_count\": \"desc\"}}, \"select\": {\"name\": true, \"posts\": {\"where\": {\"title\":"
      " {\"not\": \"x\"}}, \"take\": 1, \"select\": {\"title\": true, \"author\": true}},"
      " \"_count\": {\"select\": {\"posts\": {\"where\": {\"views\": 2}}}}}}" },
    { "Post", "findMany",
      "{\"where\": {\"author\": {\"is\": {\"name\": \"H\"}}}, \"orderBy\": {\"author\": {\"name\":"
      " \"asc\"}}, \"include\": {\"author\": true}}" },
    { "User", "delete", "{\"where\": {\"email\": \"h@x.io\"}, \"include\": {\"posts\": true}}" },
    { "User", "delete", "{\"where\": {\"email\": \"b@x.io\"}}" },
    { "User", "deleteMany", "{\"where\": {\"age\": {\"gt\": 100}}}" },
};

/* Returns true when the whole scenario ran without an allocation failure. */
static bool scenario(void)
{
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    rorm_schema *schema = NULL;
    bool completed = false;
    int rc = rorm_db_open(&db, "sqlite://:memory:", &err);
    if (rc == RORM_OK) {
        rc = rorm_prisma_load_string(&schema, pc_schema, strlen(pc_schema), NULL, NULL, &err);
    }
    if (rc == RORM_OK) {
        rc = rorm_db_register(db, schema, &err);
    }
    if (rc == RORM_OK) {
        rc = rorm_db_ensure_schema(db, &err);
    }
    for (size_t i = 0; rc == RORM_OK && i < sizeof calls / sizeof calls[0]; i++) {
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
    if (rc == RORM_ENOMEM) {
        assert_int_equal(err.code, RORM_ENOMEM);
    } else if (rc != RORM_OK) {
        fail_msg("setup: %s (%s)", rorm_code_name(rc), err.message);
    } else {
        completed = true;
    }
    rorm_schema_release(schema);
    rorm_db_close(db);
    return completed;
}

static void test_pc_oom__every_allocation_can_fail(void **state)
{
    (void)state;
    size_t n = rorm_test_alloc_loop(scenario, 200000);
    print_message("the scenario completed once %zu allocations could succeed\n", n - 1);
    assert_true(n > 100);
    assert_true(n < 200000);
    assert_true(scenario());
}

/* Compiled without a database, for every dialect: SQL generation the SQLite scenario above
   does not reach (PostgreSQL and MySQL spellings, the many-to-many and self relations). */
static const char *const compiles[][3] = {
    { "User", "findMany",
      "{\"where\": {\"OR\": [{\"name\": {\"contains\": \"a%\", \"mode\": \"insensitive\"}},"
      " {\"age\": {\"notIn\": [1, 2]}}], \"posts\": {\"every\": {\"views\": {\"gt\": 1}}}},"
      " \"orderBy\": [{\"age\": {\"sort\": \"desc\", \"nulls\": \"first\"}}, {\"posts\":"
      " {\"_count\": \"asc\"}}], \"take\": -3, \"skip\": 2, \"distinct\": [\"role\"]}" },
    { "Account", "findUnique",
      "{\"where\": {\"email_tenantId\": {\"email\": \"a\", \"tenantId\": \"t\"}}}" },
    { "Tag", "findMany",
      "{\"where\": {\"parent\": {\"is\": {\"label\": \"x\"}}, \"nodes\": {\"some\":"
      " {\"name\": {\"startsWith\": \"n\"}}}, \"children\": {\"none\": {}}},"
      " \"orderBy\": {\"parent\": {\"label\": \"asc\"}}}" },
    { "Node", "count", "{\"where\": {\"tags\": {\"some\": {\"label\": \"a\"}}}}" },
    { "Item", "aggregate",
      "{\"_count\": {\"_all\": true, \"name\": true}, \"_avg\": {\"price\": true},"
      " \"_sum\": {\"total\": true}, \"_min\": {\"big\": true}, \"_max\": {\"name\": true},"
      " \"where\": {\"total\": {\"gte\": \"1.5\"}}, \"take\": 10}" },
    { "Item", "groupBy",
      "{\"by\": [\"category\"], \"_sum\": {\"qty\": true}, \"having\": {\"qty\": {\"_avg\":"
      " {\"gt\": 1}}}, \"orderBy\": {\"_sum\": {\"qty\": \"desc\"}}, \"skip\": 1, \"take\": 2}" },
    { "Post", "updateMany",
      "{\"where\": {\"author\": {\"is\": {\"age\": {\"lt\": 3}}}}, \"data\": {\"views\":"
      " {\"increment\": 1}, \"title\": \"t\"}}" },
    { "Doc", "deleteMany",
      "{\"where\": {\"at\": {\"lt\": \"2024-01-01T00:00:00Z\"}, \"blob\": {\"not\": null}}}" },
};

/* Returns true when loading and every compilation ran without an allocation failure. */
static bool compile_scenario(void)
{
    static const rorm_dialect *const dialects[] = { &rorm__dialect_sqlite, &rorm__dialect_postgres,
                                                    &rorm__dialect_mysql };
    static const char text[] = PC_SCHEMA_TEXT PC_SCHEMA_MORE_TEXT;
    int rc = RORM_OK;
    rorm_error err = { 0 };
    for (size_t d = 0; rc == RORM_OK && d < RORM_COUNT(dialects); d++) {
        rorm_schema *schema = NULL;
        rorm_diagnostics *diags = NULL;
        rorm_db *db = NULL;
        rc = rorm_diagnostics_new(&diags, &err);
        if (rc == RORM_OK) {
            rc = rorm_prisma_load_string(&schema, text, strlen(text), "pc.prisma", diags, &err);
        }
        if (rc == RORM_OK) {
            rc = rorm__db_new_offline(&db, dialects[d], schema, &err);
        }
        for (size_t i = 0; rc == RORM_OK && i < RORM_COUNT(compiles); i++) {
            rorm_value args;
            rc = rorm__json_parse(&args, compiles[i][2], strlen(compiles[i][2]), &err);
            if (rc != RORM_OK) {
                break;
            }
            pc_ctx ctx;
            ctx.err = &err;
            rorm__pc_arena_init(&ctx.arena);
            pc_sql s;
            rorm__pc_sql_init(&s, dialects[d]);
            rc = rorm__pc_compile(&s, &ctx, db, compiles[i][0], compiles[i][1], &args);
            rorm__pc_sql_dispose(&s);
            rorm__pc_arena_dispose(&ctx.arena);
            rorm_value_dispose(&args);
            if (rc != RORM_OK && rc != RORM_ENOMEM) {
                fail_msg("%s.%s on %s: %s (%s)", compiles[i][0], compiles[i][1], dialects[d]->name,
                         rorm_code_name(rc), err.message);
            }
        }
        rorm_db_close(db);
        rorm_schema_release(schema);
        rorm_diagnostics_free(diags);
    }
    if (rc != RORM_OK) {
        assert_int_equal(rc, RORM_ENOMEM);
        assert_int_equal(err.code, RORM_ENOMEM);
        return false;
    }
    return true;
}

static void test_pc_oom__compile_without_a_database(void **state)
{
    (void)state;
    size_t n = rorm_test_alloc_loop(compile_scenario, 200000);
    print_message("compilation completed once %zu allocations could succeed\n", n - 1);
    assert_true(n > 100);
    assert_true(n < 200000);
    assert_true(compile_scenario());
}

/* A schema with errors of several kinds (unknown type, missing relation side, duplicate field,
   bad attribute argument) and a warning: loading it into a diagnostics list and rendering
   them is complete when the schema error is reported with every diagnostic. */
static const char bad_schema[] =
    "datasource db {\n  provider = \"postgresql\"\n  url = \"x\"\n}\n"
    "model User {\n  id Int @id @default(autoincrement())\n  name Strin\n  name String\n"
    "  posts Post[]\n  age Int @default(\"x\")\n}\n"
    "model Post {\n  id Int @id\n  authorId Int\n  author Usr @relation(fields: [authorId],"
    " references: [id])\n  tags String[] @db.VarChar(-1)\n}\n";

static int count_bytes(const char *text, size_t len, void *payload)
{
    (void)text;
    *(size_t *)payload += len;
    return 0;
}

static bool invalid_schema_scenario(size_t *ndiags)
{
    rorm_error err = { 0 };
    rorm_diagnostics *diags = NULL;
    rorm_schema *schema = NULL;
    int rc = rorm_diagnostics_new(&diags, &err);
    if (rc == RORM_OK) {
        rc = rorm_prisma_load_string(&schema, bad_schema, strlen(bad_schema), "bad.prisma", diags,
                                     &err);
        assert_null(schema);
    }
    bool completed = false;
    if (rc == RORM_ESCHEMA) {
        size_t bytes = 0;
        int r = rorm_diagnostics_render(diags, count_bytes, &bytes);
        if (r == RORM_OK) {
            assert_true(bytes > 0);
            *ndiags = rorm_diagnostics_count(diags);
            completed = true;
        } else {
            assert_int_equal(r, RORM_ENOMEM);
        }
    } else if (rc != RORM_ENOMEM) {
        fail_msg("loading the invalid schema: %s (%s)", rorm_code_name(rc), err.message);
    } else {
        assert_int_equal(err.code, RORM_ENOMEM);
    }
    rorm_diagnostics_free(diags);
    return completed;
}

static void test_pc_oom__invalid_schema_diagnostics(void **state)
{
    (void)state;
    size_t expected = 0, got = 0;
    assert_true(invalid_schema_scenario(&expected));
    assert_true(expected >= 4);
    size_t n = 1;
    for (; n < 200000; n++) {
        rorm__alloc_fail_after(n);
        bool done = invalid_schema_scenario(&got);
        rorm__alloc_fail_after(0);
        if (done) {
            /* Never a partial list: a run that reports the schema error has every diagnostic. */
            assert_int_equal(got, expected);
            break;
        }
    }
    print_message("the diagnostics were complete once %zu allocations could succeed\n", n - 1);
    assert_true(n > 20);
    assert_true(n < 200000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_oom__every_allocation_can_fail),
        cmocka_unit_test(test_pc_oom__compile_without_a_database),
        cmocka_unit_test(test_pc_oom__invalid_schema_diagnostics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
