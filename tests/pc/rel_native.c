/*
 * Relations of a schema built with the native C API (snake_case tables and columns): include,
 * relation filters, ordering and nested writes work as with a Prisma schema.
 */
#include "rel_fixture.h"

static const rorm_field_def author_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "fullName", .type = RORM_FIELD_STRING },
    { 0 },
};
static const rorm_relation_def author_relations[] = {
    { .name = "books", .kind = RORM_ONE_TO_MANY, .model = "Book" },
    { 0 },
};
static const rorm_field_def book_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "bookTitle", .type = RORM_FIELD_STRING },
    { .name = "authorId", .type = RORM_FIELD_INT },
    { 0 },
};
static const rorm_relation_def book_relations[] = {
    { .name = "author",
      .kind = RORM_MANY_TO_ONE,
      .model = "Author",
      .fields = "authorId",
      .references = "id" },
    { 0 },
};
static const rorm_model_def author_def = { .name = "Author",
                                           .fields = author_fields,
                                           .relations = author_relations };
static const rorm_model_def book_def = { .name = "Book",
                                         .fields = book_fields,
                                         .relations = book_relations };

static rorm_db *native_open(void)
{
    rorm_error err = { 0 };
    rorm_db *db = rorm_test_open();
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_add_model(s, &author_def, &err), &err);
    assert_rorm_ok(rorm_schema_add_model(s, &book_def, &err), &err);
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    rorm_schema_release(s);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    return db;
}

static void test_pc_rel_native__everything(void **state)
{
    (void)state;
    rorm_db *db = native_open();
    pc_expect(
        db, "Author", "create",
        "{\"data\": {\"fullName\": \"Ann\", \"books\": {\"create\": [{\"bookTitle\": \"b1\"},"
        " {\"bookTitle\": \"b2\"}]}}, \"include\": {\"books\": {\"select\": {\"bookTitle\": true}}}}",
        "{\"id\":1,\"fullName\":\"Ann\",\"books\":[{\"bookTitle\":\"b1\"},{\"bookTitle\":\"b2\"}]}");
    pc_expect(
        db, "Book", "create",
        "{\"data\": {\"bookTitle\": \"c1\", \"author\": {\"create\": {\"fullName\": \"Cy\"}}},"
        " \"select\": {\"author\": {\"select\": {\"fullName\": true}}}}",
        "{\"author\":{\"fullName\":\"Cy\"}}");
    assert_string_equal(
        pc_ids(db, "Author", "{\"where\": {\"books\": {\"some\": {\"bookTitle\": \"c1\"}}}}"), "2");
    assert_string_equal(
        pc_ids(db, "Book",
               "{\"orderBy\": [{\"author\": {\"fullName\": \"desc\"}}, {\"id\": \"asc\"}]}"),
        "3,1,2");
    pc_expect(
        db, "Author", "findMany",
        "{\"select\": {\"fullName\": true, \"_count\": true}, \"orderBy\": {\"books\": {\"_count\": \"asc\"}}}",
        "[{\"fullName\":\"Cy\",\"_count\":{\"books\":1}},{\"fullName\":\"Ann\",\"_count\":{\"books\":2}}]");
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_rel_native__everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
