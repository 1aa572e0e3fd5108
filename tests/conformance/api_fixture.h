/*
 * A shared schema for the C API integration tests: users, posts (FK), a composite-key model,
 * and a model with every field type.
 */
#ifndef RORM_TESTS_API_FIXTURE_H
#define RORM_TESTS_API_FIXTURE_H

#include "harness/harness.h"

static const rorm_field_def fx_user_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
    { .name = "name", .type = RORM_FIELD_STRING },
    { .name = "age", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
    { .name = "createdAt", .type = RORM_FIELD_DATETIME, .default_kind = RORM_DEFAULT_NOW },
    { .name = "updatedAt", .type = RORM_FIELD_DATETIME, .flags = RORM_UPDATED_AT },
};
static const rorm_relation_def fx_user_relations[] = {
    { .name = "posts", .kind = RORM_ONE_TO_MANY, .model = "Post" },
};
static const rorm_field_def fx_post_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "title", .type = RORM_FIELD_STRING },
    { .name = "published",
      .type = RORM_FIELD_BOOL,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "false" },
    { .name = "authorId", .type = RORM_FIELD_INT, .flags = RORM_INDEX },
};
static const rorm_relation_def fx_post_relations[] = {
    { .name = "author",
      .kind = RORM_MANY_TO_ONE,
      .model = "User",
      .fields = "authorId",
      .references = "id" },
};
static const rorm_field_def fx_member_fields[] = {
    { .name = "tenantId", .type = RORM_FIELD_STRING },
    { .name = "userId", .type = RORM_FIELD_BIGINT },
    { .name = "role",
      .type = RORM_FIELD_STRING,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "member's" },
};
static const rorm_field_def fx_thing_fields[] = {
    { .name = "id",
      .type = RORM_FIELD_STRING,
      .flags = RORM_PRIMARY_KEY,
      .default_kind = RORM_DEFAULT_UUID },
    { .name = "s", .type = RORM_FIELD_STRING, .flags = RORM_NULLABLE },
    { .name = "i", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
    { .name = "big", .type = RORM_FIELD_BIGINT, .flags = RORM_NULLABLE },
    { .name = "f", .type = RORM_FIELD_FLOAT, .flags = RORM_NULLABLE },
    { .name = "dec", .type = RORM_FIELD_DECIMAL, .flags = RORM_NULLABLE },
    { .name = "b", .type = RORM_FIELD_BOOL, .flags = RORM_NULLABLE },
    { .name = "at", .type = RORM_FIELD_DATETIME, .flags = RORM_NULLABLE },
    { .name = "doc", .type = RORM_FIELD_JSON, .flags = RORM_NULLABLE },
    { .name = "raw", .type = RORM_FIELD_BYTES, .flags = RORM_NULLABLE },
    { .name = "color", .type = RORM_FIELD_ENUM, .flags = RORM_NULLABLE, .enum_name = "Color" },
    { .name = "tags", .type = RORM_FIELD_STRING, .flags = RORM_LIST },
    { .name = "scores", .type = RORM_FIELD_INT, .flags = RORM_LIST },
    { .name = "label",
      .type = RORM_FIELD_STRING,
      .column = "custom_label",
      .flags = RORM_NULLABLE },
};
static const rorm_model_def fx_models[] = {
    { .name = "User",
      .fields = fx_user_fields,
      .nfields = RORM_COUNT(fx_user_fields),
      .relations = fx_user_relations,
      .nrelations = RORM_COUNT(fx_user_relations) },
    { .name = "Post",
      .fields = fx_post_fields,
      .nfields = RORM_COUNT(fx_post_fields),
      .relations = fx_post_relations,
      .nrelations = RORM_COUNT(fx_post_relations) },
    { .name = "Membership",
      .table = "memberships",
      .fields = fx_member_fields,
      .nfields = RORM_COUNT(fx_member_fields),
      .primary_key = "tenantId, userId" },
    { .name = "Thing", .fields = fx_thing_fields, .nfields = RORM_COUNT(fx_thing_fields) },
};

/* Open a fresh database with the fixture schema registered and its tables created. */
static inline rorm_db *fx_open(void)
{
    rorm_error err = { 0 };
    rorm_db *db = rorm_test_open();
    rorm_schema *schema = NULL;
    static const char *const colors[] = { "RED", "GREEN", "BLUE" };
    assert_rorm_ok(rorm_schema_new(&schema, &err), &err);
    assert_rorm_ok(rorm_schema_add_enum(schema, "Color", colors, 3, &err), &err);
    for (size_t i = 0; i < RORM_COUNT(fx_models); i++) {
        assert_rorm_ok(rorm_schema_add_model(schema, &fx_models[i], &err), &err);
    }
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    return db;
}

/* Insert a user and return its id. */
static inline int64_t fx_user(rorm_db *db, const char *email, const char *name, int age)
{
    rorm_error err = { 0 };
    rorm_member m[] = {
        { "email", RORM_TEXT(email) },
        { "name", RORM_TEXT(name) },
        { "age", age < 0 ? RORM_NULL_VALUE : RORM_INT(age) },
    };
    rorm_value id;
    assert_rorm_ok(rorm_db_insert(db, "User", &RORM_OBJECT(m), &id, &err), &err);
    assert_int_equal(id.type, RORM_TYPE_INT);
    return id.u.i;
}

#endif
