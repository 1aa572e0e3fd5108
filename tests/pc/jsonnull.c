/*
 * Prisma's null values for Json fields in C: RORM_PRISMA_JSON_NULL (the JSON text "null"),
 * RORM_PRISMA_DB_NULL (a null) and RORM_PRISMA_ANY_NULL (a marker, filters only) in value trees,
 * and Prisma's JSON protocol spelling {"$type": "Enum", "value": "..."} in JSON arguments.
 */
#include "pc_fixture.h"

static const char jn_schema[] = "datasource db {\n"
                                "  provider = \"sqlite\"\n"
                                "  url      = \"file:dev.db\"\n"
                                "}\n"
                                "model Blob {\n"
                                "  id   Int    @id\n"
                                "  doc  Json\n"
                                "  note Json?\n"
                                "  name String?\n"
                                "}\n";

static rorm_db *jn_open(void)
{
    rorm_error err = { 0 };
    rorm_db *db = rorm_test_open();
    rorm_schema *schema = NULL;
    assert_rorm_ok(rorm_prisma_load_string(&schema, jn_schema, strlen(jn_schema), NULL, NULL, &err),
                   &err);
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    return db;
}

/* The ids of the records matching the JSON where @p where, as a JSON list. */
static const char *ids(rorm_db *db, const char *where)
{
    static char buf[512];
    char args[512];
    snprintf(args, sizeof args,
             "{\"where\": %s, \"orderBy\": {\"id\": \"asc\"}, \"select\": {\"id\": true}}", where);
    const char *json = pc_call(db, "Blob", "findMany", args);
    size_t n = 0;
    buf[n++] = '[';
    for (const char *p = json; *p; p++) {
        if ((*p >= '0' && *p <= '9') || (*p == ',' && n > 1)) {
            buf[n++] = *p;
        }
    }
    buf[n++] = ']';
    buf[n] = '\0';
    return buf;
}

/* Create record @p id with @p doc and @p note (a member left out when NULL) through a value tree.
 */
static void create(rorm_db *db, int id, const rorm_value *doc, const rorm_value *note)
{
    rorm_error err = { 0 };
    rorm_member data[3] = { { "id", RORM_INT(id) }, { "doc", *doc }, { "note", RORM_NULL_VALUE } };
    size_t n = 2;
    if (note) {
        data[n++].value = *note;
    }
    rorm_member args[] = { { "data", RORM_OBJECT_N(data, n) } };
    rorm_value out;
    assert_rorm_ok(rorm_db_call(&out, db, "Blob", "create", &RORM_OBJECT(args), &err), &err);
    rorm_value_dispose(&out);
}

/* Expect @p want records matching `field: {<op>: v}`, given as a value tree. */
static void expect_count(rorm_db *db, const char *field, const char *op, rorm_value v, int64_t want)
{
    rorm_error err = { 0 };
    rorm_member cmp[] = { { op, v } };
    rorm_member where[] = { { field, RORM_OBJECT(cmp) } };
    rorm_member args[] = { { "where", RORM_OBJECT(where) } };
    rorm_value out;
    assert_rorm_ok(rorm_db_call(&out, db, "Blob", "count", &RORM_OBJECT(args), &err), &err);
    assert_int_equal(out.type, RORM_TYPE_INT);
    assert_int_equal(out.u.i, want);
    rorm_value_dispose(&out);
}

static void test_pc_jsonnull__value_tree(void **state)
{
    (void)state;
    rorm_db *db = jn_open();
    rorm_error err = { 0 };
    rorm_value jnull = RORM_PRISMA_JSON_NULL, dbnull = RORM_PRISMA_DB_NULL;
    rorm_value obj = RORM_JSON("{\"a\":1}");
    create(db, 1, &jnull, &jnull);
    create(db, 2, &obj, &dbnull);
    create(db, 3, &obj, &obj);
    create(db, 4, &jnull, NULL);

    /* Read back: JSON null is the JSON text "null", database NULL a null value. */
    rorm_member w1[] = { { "id", RORM_INT(1) } };
    rorm_member a1[] = { { "where", RORM_OBJECT(w1) } };
    rorm_value rec;
    assert_rorm_ok(rorm_db_call(&rec, db, "Blob", "findUnique", &RORM_OBJECT(a1), &err), &err);
    const rorm_value *note = rorm_value_object_get(&rec, "note");
    assert_non_null(note);
    assert_int_equal(note->type, RORM_TYPE_JSON);
    assert_string_equal(rorm_value_as_text(note), "null");
    rorm_value_dispose(&rec);
    rorm_member w2[] = { { "id", RORM_INT(2) } };
    rorm_member a2[] = { { "where", RORM_OBJECT(w2) } };
    assert_rorm_ok(rorm_db_call(&rec, db, "Blob", "findUnique", &RORM_OBJECT(a2), &err), &err);
    assert_int_equal(rorm_value_object_get(&rec, "note")->type, RORM_TYPE_NULL);
    rorm_value_dispose(&rec);

    expect_count(db, "note", "equals", RORM_PRISMA_JSON_NULL, 1);
    expect_count(db, "note", "equals", RORM_PRISMA_DB_NULL, 2);
    expect_count(db, "note", "equals", RORM_PRISMA_ANY_NULL, 3);
    expect_count(db, "note", "not", RORM_PRISMA_JSON_NULL, 1);
    expect_count(db, "note", "not", RORM_PRISMA_DB_NULL, 2);
    expect_count(db, "note", "not", RORM_PRISMA_ANY_NULL, 1);
    expect_count(db, "doc", "equals", RORM_PRISMA_JSON_NULL, 2);
    /* The JSON text markers "JsonNull" and "DbNull" mean the same. */
    expect_count(db, "note", "equals", RORM_JSON("JsonNull"), 1);
    expect_count(db, "note", "equals", RORM_JSON("DbNull"), 2);

    /* AnyNull in data, DbNull on a required field, a marker on a String field. */
    rorm_member bad1[] = { { "id", RORM_INT(9) }, { "doc", RORM_PRISMA_ANY_NULL } };
    rorm_member bad2[] = { { "id", RORM_INT(9) }, { "doc", RORM_JSON("DbNull") } };
    rorm_member bad3[] = { { "id", RORM_INT(9) },
                           { "doc", RORM_INT(1) },
                           { "name", RORM_PRISMA_JSON_NULL } };
    rorm_member b1[] = { { "data", RORM_OBJECT(bad1) } };
    rorm_member b2[] = { { "data", RORM_OBJECT(bad2) } };
    rorm_member b3[] = { { "data", RORM_OBJECT(bad3) } };
    rorm_value out;
    assert_int_equal(rorm_db_call(&out, db, "Blob", "create", &RORM_OBJECT(b1), &err), RORM_EINVAL);
    assert_contains(err.message, "Prisma.AnyNull is only valid in filters");
    assert_int_equal(rorm_db_call(&out, db, "Blob", "create", &RORM_OBJECT(b2), &err), RORM_EINVAL);
    assert_contains(err.message, "Argument `doc` must not be null");
    assert_int_equal(rorm_db_call(&out, db, "Blob", "create", &RORM_OBJECT(b3), &err), RORM_EINVAL);
    assert_contains(err.message, "Prisma.JsonNull is only valid for Json fields");

    /* The markers in create data inside a transaction (where some databases insert the data
       as given, then read back) are written as what they stand for. */
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    rorm_member d5[] = { { "id", RORM_INT(5) },
                         { "doc", RORM_JSON("JsonNull") },
                         { "note", RORM_JSON("DbNull") } };
    rorm_member a5[] = { { "data", RORM_OBJECT(d5) } };
    assert_rorm_ok(rorm_db_call(&out, tx, "Blob", "create", &RORM_OBJECT(a5), &err), &err);
    assert_int_equal(rorm_value_object_get(&out, "doc")->type, RORM_TYPE_JSON);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&out, "doc")), "null");
    assert_int_equal(rorm_value_object_get(&out, "note")->type, RORM_TYPE_NULL);
    rorm_value_dispose(&out);
    assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    assert_string_equal(ids(db, "{\"doc\": {\"$type\": \"Enum\", \"value\": \"JsonNull\"}}"),
                        "[1,4,5]");
    assert_string_equal(ids(db, "{\"note\": null}"), "[2,4,5]");
    rorm_db_close(db);
}

#define JN(name) "{\"$type\": \"Enum\", \"value\": \"" name "\"}"

static void test_pc_jsonnull__json_text(void **state)
{
    (void)state;
    rorm_db *db = jn_open();
    pc_expect(db, "Blob", "create",
              "{\"data\": {\"id\": 1, \"doc\": " JN("JsonNull") ", \"note\": " JN("JsonNull") "}}",
              "{\"id\":1,\"doc\":null,\"note\":null,\"name\":null}");
    pc_expect(db, "Blob", "createMany",
              "{\"data\": [{\"id\": 2, \"doc\": [1], \"note\": " JN(
                  "DbNull") "},"
                            " {\"id\": 3, \"doc\": {\"$type\": \"Enum\"}, \"note\": \"x\"},"
                            " {\"id\": 4, \"doc\": " JN("JsonNull") "}]}",
              "{\"count\":3}");
    /* An object with `$type` alone is a Json value like any other. */
    assert_string_equal(ids(db, "{\"doc\": {\"equals\": {\"$type\": \"Enum\"}}}"), "[3]");
    assert_string_equal(ids(db, "{\"note\": " JN("JsonNull") "}"), "[1]");
    assert_string_equal(ids(db, "{\"note\": " JN("DbNull") "}"), "[2,4]");
    assert_string_equal(ids(db, "{\"note\": " JN("AnyNull") "}"), "[1,2,4]");
    assert_string_equal(ids(db, "{\"note\": {\"not\": " JN("AnyNull") "}}"), "[3]");
    assert_string_equal(ids(db, "{\"note\": {\"not\": " JN("DbNull") "}}"), "[1,3]");
    assert_string_equal(ids(db, "{\"doc\": {\"equals\": " JN("JsonNull") "}}"), "[1,4]");
    assert_string_equal(ids(db, "{\"doc\": {\"not\": " JN("JsonNull") "}}"), "[2,3]");

    pc_call(db, "Blob", "update",
            "{\"where\": {\"id\": 3}, \"data\": {\"note\": " JN("JsonNull") "}}");
    pc_call(db, "Blob", "updateMany",
            "{\"where\": {\"id\": 1}, \"data\": {\"note\": " JN("DbNull") "}}");
    pc_call(db, "Blob", "upsert",
            "{\"where\": {\"id\": 5}, \"create\": {\"id\": 5, \"doc\": " JN(
                "JsonNull") ","
                            " \"note\": " JN("JsonNull") "}, \"update\": {}}");
    assert_string_equal(ids(db, "{\"note\": " JN("JsonNull") "}"), "[3,5]");
    assert_string_equal(ids(db, "{\"note\": " JN("DbNull") "}"), "[1,2,4]");
    pc_call(db, "Blob", "upsert",
            "{\"where\": {\"id\": 5}, \"create\": {\"id\": 5, \"doc\": 1},"
            " \"update\": {\"note\": " JN("DbNull") "}}");
    assert_string_equal(ids(db, "{\"note\": " JN("DbNull") "}"), "[1,2,4,5]");

    assert_contains(pc_fail(db, "Blob", "create",
                            "{\"data\": {\"id\": 9, \"doc\": " JN("DbNull") "}}", RORM_EINVAL),
                    "must not be null");
    assert_contains(pc_fail(db, "Blob", "update",
                            "{\"where\": {\"id\": 1}, \"data\": {\"note\": " JN("AnyNull") "}}",
                            RORM_EINVAL),
                    "Prisma.AnyNull is only valid in filters");
    assert_contains(
        pc_fail(db, "Blob", "findMany", "{\"where\": {\"name\": " JN("DbNull") "}}", RORM_EINVAL),
        "Prisma.DbNull is only valid for Json fields");
    assert_contains(pc_fail(db, "Blob", "findMany",
                            "{\"where\": {\"note\": {\"in\": [" JN("AnyNull") "]}}}", RORM_EINVAL),
                    "Prisma.AnyNull is only valid in filters");
    pc_expect(db, "Blob", "count", "{}", "5");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_jsonnull__value_tree),
        cmocka_unit_test(test_pc_jsonnull__json_text),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
