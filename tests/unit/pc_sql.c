/*
 * The Prisma Client engine without a database: arguments validated against a fixed schema and
 * compiled to SQL text and parameters for each dialect (SQLite, PostgreSQL, MySQL). The
 * database handle is an offline one (rorm__db_new_offline), so nothing is opened.
 */
#include "pc/pc_fixture.h"

#include "client/client.h"
#include "core/json.h"
#include "query/prisma/pc.h"

static rorm_schema *schema;

static int setup(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_prisma_load_string(&schema, pc_schema, strlen(pc_schema), NULL, NULL, &err),
                   &err);
    assert_rorm_ok(rorm_schema_validate(schema, &err), &err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    rorm_schema_release(schema);
    return 0;
}

static char sql_buf[2048], params_buf[1024];

/*
 * Validate and compile @p args for @p op on @p model with dialect @p d. Returns the code; the
 * SQL is in sql_buf, the parameters as JSON in params_buf, an error message in sql_buf.
 */
static int compile(const rorm_dialect *d, const char *model, const char *op, const char *args)
{
    rorm_db *db = NULL;
    rorm_error err = { 0 };
    assert_rorm_ok(rorm__db_new_offline(&db, d, schema, &err), &err);
    rorm_value v;
    assert_rorm_ok(rorm__json_parse(&v, args, strlen(args), &err), &err);
    pc_ctx ctx;
    ctx.err = &err;
    rorm__pc_arena_init(&ctx.arena);
    pc_sql s;
    rorm__pc_sql_init(&s, d);
    int rc = rorm__pc_compile(&s, &ctx, db, model, op, &v);
    if (rc == RORM_OK) {
        snprintf(sql_buf, sizeof sql_buf, "%s", s.text.ptr);
        rorm_str p = RORM_STR_INIT;
        rorm__str_putc(&p, '[');
        for (size_t i = 0; i < s.params.len; i++) {
            if (i) {
                rorm__str_putc(&p, ',');
            }
            assert_int_equal(rorm__json_write(&p, s.params.ptr[i]), RORM_OK);
        }
        rorm__str_putc(&p, ']');
        snprintf(params_buf, sizeof params_buf, "%s", p.ptr);
        rorm__str_dispose(&p);
    } else {
        snprintf(sql_buf, sizeof sql_buf, "%s", err.message);
        params_buf[0] = '\0';
    }
    rorm__pc_sql_dispose(&s);
    rorm__pc_arena_dispose(&ctx.arena);
    rorm_value_dispose(&v);
    rorm_db_close(db);
    return rc;
}

#define SQLITE (&rorm__dialect_sqlite)
#define PG     (&rorm__dialect_postgres)
#define MYSQL  (&rorm__dialect_mysql)

#define expect_sql(d, model, op, args, sql, params)       \
    do {                                                  \
        int rc__ = compile((d), (model), (op), (args));   \
        if (rc__ != RORM_OK) {                            \
            fail_msg("%s: %d %s", (args), rc__, sql_buf); \
        }                                                 \
        assert_string_equal(sql_buf, (sql));              \
        assert_string_equal(params_buf, (params));        \
    } while (0)

#define expect_error(model, op, args, code, text)                         \
    do {                                                                  \
        assert_int_equal(compile(SQLITE, (model), (op), (args)), (code)); \
        assert_contains(sql_buf, (text));                                 \
    } while (0)

#define ITEM_COLS "\"id\", \"name\", \"qty\", \"price\", \"total\", \"big\", \"category\""

static void test_pc_sql__filters(void **state)
{
    (void)state;
    expect_sql(SQLITE, "Item", "findMany", "{\"where\": {\"qty\": 3, \"name\": {\"not\": \"x\"}}}",
               "SELECT " ITEM_COLS " FROM \"Item\" WHERE \"qty\" = ? AND \"name\" <> ?",
               "[3,\"x\"]");
    expect_sql(
        SQLITE, "Item", "findMany",
        "{\"where\": {\"OR\": [{\"qty\": {\"lt\": 1}}, {\"qty\": {\"gte\": 9, \"lte\": 12}}],"
        " \"NOT\": [{\"name\": null}, {\"category\": {\"in\": [\"a\", \"b\"]}}]},"
        " \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"Item\" WHERE (\"qty\" < ? OR (\"qty\" >= ? AND \"qty\" <= ?))"
        " AND NOT (\"name\" IS NULL) AND NOT (\"category\" IN (?, ?))",
        "[1,9,12,\"a\",\"b\"]");
    expect_sql(
        SQLITE, "Item", "findMany",
        "{\"where\": {\"category\": {\"notIn\": []}, \"qty\": {\"in\": []}, \"total\": {\"not\": null}},"
        " \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"Item\" WHERE 1=1 AND 1=0 AND \"total\" IS NOT NULL", "[]");
    expect_sql(SQLITE, "Item", "findMany", "{\"where\": {\"OR\": []}, \"select\": {\"id\": true}}",
               "SELECT \"id\" FROM \"Item\" WHERE 1=0", "[]");
    /* Values never reach the text. */
    expect_sql(
        SQLITE, "Item", "findMany",
        "{\"where\": {\"name\": \"'; DROP TABLE \\\"Item\\\"; --\"}, \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"Item\" WHERE \"name\" = ?", "[\"'; DROP TABLE \\\"Item\\\"; --\"]");
    /* Dates are converted for their field; decimals kept exact. */
    expect_sql(SQLITE, "User", "count", "{\"where\": {\"createdAt\": {\"gte\": \"2024-01-02\"}}}",
               "SELECT COUNT(*) FROM \"User\" WHERE \"createdAt\" >= ?",
               "[\"2024-01-02T00:00:00.000Z\"]");
    expect_sql(SQLITE, "Item", "count", "{\"where\": {\"total\": {\"gt\": 1.25}}}",
               "SELECT COUNT(*) FROM \"Item\" WHERE \"total\" > ?", "[\"1.25\"]");
}

/* Prisma.JsonNull / DbNull / AnyNull on a Json field: the JSON null is a bound parameter. */
static void test_pc_sql__json_null(void **state)
{
    (void)state;
#define JN(name) "{\"$type\": \"Enum\", \"value\": \"" name "\"}"
    expect_sql(SQLITE, "Doc", "count", "{\"where\": {\"meta\": " JN("JsonNull") "}}",
               "SELECT COUNT(*) FROM \"Doc\" WHERE \"meta\" = ?", "[null]");
    expect_sql(PG, "Doc", "count", "{\"where\": {\"meta\": {\"equals\": " JN("DbNull") "}}}",
               "SELECT COUNT(*) FROM \"Doc\" WHERE \"meta\" IS NULL", "[]");
    expect_sql(MYSQL, "Doc", "count",
               "{\"where\": {\"meta\": {\"equals\": " JN("AnyNull") "}, \"at\": null}}",
               "SELECT COUNT(*) FROM `Doc` WHERE (`meta` IS NULL OR `meta` = ?) AND `at` IS NULL",
               "[null]");
    expect_sql(PG, "Doc", "count", "{\"where\": {\"meta\": {\"not\": " JN("AnyNull") "}}}",
               "SELECT COUNT(*) FROM \"Doc\" WHERE \"meta\" IS NOT NULL AND \"meta\" <> $1",
               "[null]");
    expect_error("Doc", "create", "{\"data\": {\"meta\": " JN("AnyNull") "}}", RORM_EINVAL,
                 "Prisma.AnyNull is only valid in filters");
    expect_error("Doc", "count", "{\"where\": {\"at\": " JN("JsonNull") "}}", RORM_EINVAL,
                 "Prisma.JsonNull is only valid for Json fields");
#undef JN
}

static void test_pc_sql__patterns_per_dialect(void **state)
{
    (void)state;
    const char *contains =
        "{\"where\": {\"name\": {\"contains\": \"50%_off\\\\*?[\"}}, \"select\": {\"id\": true}}";
    const char *insensitive =
        "{\"where\": {\"name\": {\"startsWith\": \"50%_\", \"mode\": \"insensitive\"}}, \"select\": {\"id\": true}}";
    expect_sql(SQLITE, "Item", "findMany", contains,
               "SELECT \"id\" FROM \"Item\" WHERE \"name\" GLOB ?", "[\"*50%_off\\\\[*][?][[]*\"]");
    expect_sql(SQLITE, "Item", "findMany", insensitive,
               "SELECT \"id\" FROM \"Item\" WHERE LOWER(\"name\") LIKE LOWER(?) ESCAPE '\\'",
               "[\"50\\\\%\\\\_%\"]");
    expect_sql(PG, "Item", "findMany", contains,
               "SELECT \"id\" FROM \"Item\" WHERE \"name\" LIKE $1 ESCAPE '\\'",
               "[\"%50\\\\%\\\\_off\\\\\\\\*?[%\"]");
    expect_sql(PG, "Item", "findMany", insensitive,
               "SELECT \"id\" FROM \"Item\" WHERE LOWER(\"name\") LIKE LOWER($1) ESCAPE '\\'",
               "[\"50\\\\%\\\\_%\"]");
    expect_sql(MYSQL, "Item", "findMany", contains,
               "SELECT `id` FROM `Item` WHERE `name` LIKE BINARY ? ESCAPE '\\\\'",
               "[\"%50\\\\%\\\\_off\\\\\\\\*?[%\"]");
    expect_sql(
        MYSQL, "Item", "findMany",
        "{\"where\": {\"name\": {\"endsWith\": \"x\", \"mode\": \"insensitive\"}}, \"select\": {\"id\": true}}",
        "SELECT `id` FROM `Item` WHERE LOWER(`name`) LIKE LOWER(?) ESCAPE '\\\\'", "[\"%x\"]");
    expect_sql(
        PG, "Item", "findMany",
        "{\"where\": {\"name\": {\"in\": [\"A\", \"b\"], \"mode\": \"insensitive\"}}, \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"Item\" WHERE LOWER(\"name\") IN (LOWER($1), LOWER($2))",
        "[\"A\",\"b\"]");
}

static void test_pc_sql__order_and_window(void **state)
{
    (void)state;
    const char *nulls =
        "{\"orderBy\": [{\"category\": {\"sort\": \"asc\", \"nulls\": \"last\"}}, {\"id\": \"desc\"}],"
        " \"take\": 10, \"skip\": 20, \"select\": {\"id\": true}}";
    expect_sql(
        SQLITE, "Item", "findMany", nulls,
        "SELECT \"id\" FROM \"Item\" ORDER BY \"category\" ASC NULLS LAST, \"id\" DESC LIMIT 10 OFFSET 20",
        "[]");
    expect_sql(
        PG, "Item", "findMany", nulls,
        "SELECT \"id\" FROM \"Item\" ORDER BY \"category\" ASC NULLS LAST, \"id\" DESC LIMIT 10 OFFSET 20",
        "[]");
    /* MySQL has no NULLS FIRST/LAST: sorted on "is null" first. */
    expect_sql(MYSQL, "Item", "findMany", nulls,
               "SELECT `id` FROM `Item` ORDER BY CASE WHEN `category` IS NULL THEN 1 ELSE 0 END,"
               " `category` ASC, `id` DESC LIMIT 10 OFFSET 20",
               "[]");
    /* A negative take sorts the other way (the key breaks ties) and the rows are reversed. */
    expect_sql(
        SQLITE, "Item", "findMany",
        "{\"orderBy\": {\"category\": {\"sort\": \"asc\", \"nulls\": \"first\"}}, \"take\": -3, \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"Item\" ORDER BY \"category\" DESC NULLS LAST, \"id\" DESC LIMIT 3",
        "[]");
    expect_sql(SQLITE, "Item", "findFirst", "{\"where\": {\"qty\": 1}, \"select\": {\"id\": true}}",
               "SELECT \"id\" FROM \"Item\" WHERE \"qty\" = ? LIMIT 1", "[1]");
    expect_sql(SQLITE, "Item", "findUnique",
               "{\"where\": {\"id\": 7, \"qty\": {\"gt\": 1}}, \"select\": {\"id\": true}}",
               "SELECT \"id\" FROM \"Item\" WHERE \"id\" = ? AND \"qty\" > ?", "[7,1]");
    expect_sql(
        SQLITE, "Account", "findUnique",
        "{\"where\": {\"email_tenantId\": {\"tenantId\": \"t\", \"email\": \"e\"}}, \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"Account\" WHERE \"email\" = ? AND \"tenantId\" = ?", "[\"e\",\"t\"]");
    /* distinct reads its fields too, without a window (applied in memory). */
    expect_sql(SQLITE, "Item", "findMany",
               "{\"distinct\": [\"category\"], \"take\": 2, \"select\": {\"id\": true}}",
               "SELECT \"id\", \"category\" FROM \"Item\"", "[]");
    assert_int_equal(compile(SQLITE, "Item", "findMany", "{\"cursor\": {\"id\": 1}}"),
                     RORM_EUNSUPPORTED);
}

static void test_pc_sql__aggregates(void **state)
{
    (void)state;
    expect_sql(SQLITE, "Item", "count", "{}", "SELECT COUNT(*) FROM \"Item\"", "[]");
    expect_sql(SQLITE, "Item", "count", "{\"select\": {\"_all\": true, \"total\": true}}",
               "SELECT COUNT(*), COUNT(\"total\") FROM \"Item\"", "[]");
    expect_sql(PG, "Item", "count", "{\"where\": {\"qty\": {\"gt\": 1}}, \"take\": 5}",
               "SELECT COUNT(*) FROM (SELECT " ITEM_COLS
               " FROM \"Item\" WHERE \"qty\" > $1 LIMIT 5) AS \"w\"",
               "[1]");
    expect_sql(
        SQLITE, "Item", "aggregate",
        "{\"_sum\": {\"qty\": true}, \"_avg\": {\"price\": true}, \"_min\": {\"name\": true},"
        " \"_max\": {\"total\": true}, \"_count\": {\"_all\": true}}",
        "SELECT COUNT(*), AVG(\"price\"), SUM(\"qty\"), MIN(\"name\"), MAX(\"total\") FROM \"Item\"",
        "[]");
    expect_sql(
        SQLITE, "Item", "groupBy",
        "{\"by\": [\"category\"], \"where\": {\"qty\": {\"gt\": 0}}, \"_sum\": {\"qty\": true},"
        " \"having\": {\"qty\": {\"_sum\": {\"gt\": 5}}, \"category\": {\"not\": null}},"
        " \"orderBy\": [{\"_sum\": {\"qty\": \"desc\"}}, {\"category\": \"asc\"}], \"take\": 2}",
        "SELECT \"category\", SUM(\"qty\") FROM \"Item\" WHERE \"qty\" > ? GROUP BY \"category\""
        " HAVING SUM(\"qty\") > ? AND \"category\" IS NOT NULL ORDER BY SUM(\"qty\") DESC,"
        " \"category\" ASC LIMIT 2",
        "[0,5]");
    expect_sql(
        MYSQL, "Item", "groupBy",
        "{\"by\": \"category\", \"_count\": true, \"having\": {\"price\": {\"_avg\": {\"gte\": 2}}}}",
        "SELECT `category`, COUNT(*) FROM `Item` GROUP BY `category` HAVING AVG(`price`) >= ?",
        "[2]");
}

static void test_pc_sql__writes(void **state)
{
    (void)state;
    expect_sql(
        SQLITE, "Item", "updateMany",
        "{\"where\": {\"category\": \"a\"}, \"data\": {\"qty\": {\"increment\": 2}, \"price\": {\"divide\": 2},"
        " \"name\": \"n\", \"total\": {\"set\": null}}}",
        "UPDATE \"Item\" SET \"qty\" = \"qty\" + ?, \"price\" = \"price\" / ?, \"name\" = ?,"
        " \"total\" = ? WHERE \"category\" = ?",
        "[2,2,\"n\",null,\"a\"]");
    expect_sql(PG, "Item", "updateMany",
               "{\"data\": {\"qty\": {\"multiply\": 3}, \"big\": {\"decrement\": 1}}}",
               "UPDATE \"Item\" SET \"qty\" = \"qty\" * $1, \"big\" = \"big\" - $2", "[3,1]");
    expect_sql(SQLITE, "Item", "deleteMany", "{\"where\": {\"qty\": {\"lte\": 0}}}",
               "DELETE FROM \"Item\" WHERE \"qty\" <= ?", "[0]");
    expect_sql(MYSQL, "Item", "deleteMany", "{}", "DELETE FROM `Item`", "[]");
    assert_int_equal(compile(SQLITE, "Item", "create",
                             "{\"data\": {\"name\": \"x\", \"qty\": 1, \"price\": 1}}"),
                     RORM_EUNSUPPORTED);
}

static void test_pc_sql__validation(void **state)
{
    (void)state;
    expect_error("Itme", "findMany", "{}", RORM_EINVAL,
                 "unknown model 'Itme' (did you mean 'Item'?)");
    expect_error("Item", "findmany", "{}", RORM_EINVAL, "did you mean 'findMany'");
    expect_error("Item", "findMany", "{\"wher\": {}}", RORM_EINVAL,
                 "Unknown argument `wher` in Item.findMany (did you mean `where`?)");
    expect_error("Item", "findMany", "{\"where\": {\"qtty\": 1}}", RORM_EINVAL,
                 "Unknown argument `qtty` in where for model `Item` (did you mean `qty`?)");
    expect_error("Item", "findMany", "{\"where\": {\"qty\": {\"equal\": 1}}}", RORM_EINVAL,
                 "Unknown argument `equal` in a field filter (did you mean `equals`?)");
    expect_error("Item", "findMany", "{\"where\": {\"qty\": true}}", RORM_EINVAL,
                 "Argument `qty`: expected Int, got Boolean");
    expect_error("Item", "findMany", "{\"where\": {\"price\": \"1\"}}", RORM_EINVAL,
                 "Argument `price`: expected Float, got String");
    expect_error("Item", "findMany", "{\"where\": {\"qty\": {\"in\": [1, null]}}}", RORM_EINVAL,
                 "null is not a valid list item");
    expect_error("Item", "findMany", "{\"where\": {\"qty\": {\"lt\": null}}}", RORM_EINVAL,
                 "Argument `lt` of `qty` must not be null");
    expect_error("Item", "findMany", "{\"where\": {\"qty\": {\"_sum\": {\"gt\": 1}}}}", RORM_EINVAL,
                 "Unknown argument `_sum` in a field filter");
    expect_error("Item", "findMany", "{\"orderBy\": {\"qty\": \"up\"}}", RORM_EINVAL,
                 "Argument `orderBy.qty`: expected \"asc\" or \"desc\", got String");
    expect_error("Item", "findMany", "{\"orderBy\": {\"_count\": {\"qty\": \"asc\"}}}", RORM_EINVAL,
                 "Unknown argument `_count` in orderBy");
    expect_error("Item", "findMany", "{\"distinct\": [1]}", RORM_EINVAL,
                 "Argument `distinct`: expected a field name, got Int");
    expect_error("Item", "findMany", "{\"omit\": {\"nam\": true}}", RORM_EINVAL,
                 "Unknown argument `nam` in omit for model `Item` (did you mean `name`?)");
    expect_error("Item", "findUnique", "{\"where\": {\"name\": \"x\"}}", RORM_EINVAL,
                 "Argument `where` of Item.findUnique needs at least one unique argument: `id`");
    expect_error("Account", "findUnique", "{\"where\": {\"email\": \"x\"}}", RORM_EINVAL,
                 "`id`, `email_tenantId`, `tenantLabel`");
    expect_error("Item", "updateMany", "{\"data\": {\"qty\": {\"push\": 1}}}", RORM_EINVAL,
                 "Unknown argument `push` in qty");
    expect_error("Item", "updateMany", "{\"data\": {\"qty\": 1, \"qtyy\": 2}}", RORM_EINVAL,
                 "did you mean `qty`");
    expect_error("Item", "updateMany", "{\"data\": {\"id\": null}}", RORM_EINVAL,
                 "Argument `id` must not be null");
    expect_error("User", "findMany", "{\"where\": {\"posts\": {\"all\": {}}}}", RORM_EINVAL,
                 "Unknown argument `all` in where.posts");
    expect_error("User", "findMany", "{\"select\": {\"_count\": 1}}", RORM_EINVAL,
                 "expected true or {select");
    expect_error("User", "updateMany", "{\"data\": {\"posts\": {\"connect\": {\"id\": 1}}}}",
                 RORM_EINVAL,
                 "nested writes (relation `User.posts` in data) are only allowed in create, "
                 "update and upsert");
    expect_error("User", "groupBy", "{\"by\": [\"posts\"]}", RORM_EUNSUPPORTED,
                 "not supported yet");
    expect_error("Item", "groupBy", "{\"by\": [\"category\"], \"having\": {\"qty\": {\"gt\": 1}}}",
                 RORM_EINVAL, "Field `qty` in having must be in `by` or used with an aggregate");
}

static void test_pc_sql__relations(void **state)
{
    (void)state;
    /* Relation filters: EXISTS sub-selects, the outer table named by its table name. */
    expect_sql(
        SQLITE, "User", "findMany",
        "{\"where\": {\"posts\": {\"some\": {\"views\": {\"gt\": 5}}}}, \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"User\" WHERE EXISTS (SELECT 1 FROM \"Post\" AS \"r1\" WHERE "
        "\"r1\".\"authorId\" = \"User\".\"id\" AND (\"r1\".\"views\" > ?))",
        "[5]");
    expect_sql(
        PG, "User", "findMany",
        "{\"where\": {\"posts\": {\"every\": {\"published\": true}}}, \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"User\" WHERE NOT EXISTS (SELECT 1 FROM \"Post\" AS \"r1\" WHERE "
        "\"r1\".\"authorId\" = \"User\".\"id\" AND NOT (\"r1\".\"published\" = $1))",
        "[true]");
    expect_sql(
        MYSQL, "Post", "findMany",
        "{\"where\": {\"author\": {\"isNot\": {\"name\": \"x\"}}}, \"select\": {\"id\": true}}",
        "SELECT `id` FROM `Post` WHERE NOT EXISTS (SELECT 1 FROM `User` AS `r1` WHERE "
        "`r1`.`id` = `Post`.`authorId` AND (`r1`.`name` = ?))",
        "[\"x\"]");
    expect_sql(SQLITE, "Post", "findMany",
               "{\"where\": {\"author\": null}, \"select\": {\"id\": true}}",
               "SELECT \"id\" FROM \"Post\" WHERE \"Post\".\"authorId\" IS NULL", "[]");
    expect_sql(SQLITE, "Post", "deleteMany", "{\"where\": {\"author\": {\"is\": {\"age\": 3}}}}",
               "DELETE FROM \"Post\" WHERE EXISTS (SELECT 1 FROM \"User\" AS \"r1\" WHERE "
               "\"r1\".\"id\" = \"Post\".\"authorId\" AND (\"r1\".\"age\" = ?))",
               "[3]");
    /* Ordering by a related field and by a relation's count: correlated sub-selects. */
    expect_sql(
        SQLITE, "Post", "findMany",
        "{\"orderBy\": {\"author\": {\"name\": \"desc\"}}, \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"Post\" ORDER BY (SELECT \"r1\".\"name\" FROM \"User\" AS \"r1\" "
        "WHERE \"r1\".\"id\" = \"Post\".\"authorId\") DESC",
        "[]");
    expect_sql(
        PG, "User", "findMany",
        "{\"orderBy\": {\"posts\": {\"_count\": \"asc\"}}, \"select\": {\"id\": true}}",
        "SELECT \"id\" FROM \"User\" ORDER BY (SELECT COUNT(*) FROM \"Post\" AS \"r1\" WHERE "
        "\"r1\".\"authorId\" = \"User\".\"id\") ASC",
        "[]");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_sql__filters),
        cmocka_unit_test(test_pc_sql__json_null),
        cmocka_unit_test(test_pc_sql__patterns_per_dialect),
        cmocka_unit_test(test_pc_sql__order_and_window),
        cmocka_unit_test(test_pc_sql__aggregates),
        cmocka_unit_test(test_pc_sql__writes),
        cmocka_unit_test(test_pc_sql__validation),
        cmocka_unit_test(test_pc_sql__relations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
