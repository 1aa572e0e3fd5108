/*
 * The native naming convention: field names to snake_case columns, model names to plural
 * snake_case tables; and that explicit names and the Prisma mode bypass it.
 */
#include "harness/harness.h"

#include <string.h>

#include "schema/schema.h"
#include "util/alloc.h"

static void expect_snake(const char *in, const char *want)
{
    char *got = rorm__snake_case(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    rorm__free(got);
}

static void expect_table(const char *in, const char *want)
{
    char *got = rorm__table_name(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    rorm__free(got);
}

static void test_schema_naming__snake_case(void **state)
{
    (void)state;
    expect_snake("createdAt", "created_at");
    expect_snake("userID", "user_id");
    expect_snake("userId", "user_id");
    expect_snake("HTTPServer", "http_server");
    expect_snake("already_snake", "already_snake");
    expect_snake("id", "id");
    expect_snake("ID", "id");
    expect_snake("User", "user");
    expect_snake("BlogPost", "blog_post");
    expect_snake("line2Text", "line2_text");
    expect_snake("parseURLForMe", "parse_url_for_me");
    expect_snake("snake_Case", "snake_case");
    expect_snake("", "");
    assert_null(rorm__snake_case(NULL));
}

static void test_schema_naming__table_names(void **state)
{
    (void)state;
    expect_table("User", "users");
    expect_table("Category", "categories");
    expect_table("BlogPost", "blog_posts");
    expect_table("Box", "boxes");
    expect_table("Bus", "buses");
    expect_table("Address", "addresses");
    expect_table("Person", "people");
    expect_table("Status", "statuses");
    expect_table("Key", "keys");
    expect_table("Day", "days");
    expect_table("Child", "children");
    expect_table("Man", "men");
    expect_table("Woman", "women");
    expect_table("Mouse", "mice");
    expect_table("Church", "churches");
    expect_table("Wish", "wishes");
    expect_table("UserAddress", "user_addresses");
    expect_table("GroupPerson", "group_people");
    expect_table("Human", "humans");
    expect_table("Tag", "tags");
    expect_table("HTTPServer", "http_servers");
    assert_null(rorm__table_name(NULL));
}

static void test_schema_naming__applied_by_builder(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    rorm_model *m = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_new_model(&m, s, "BlogPost", &err), &err);
    assert_string_equal(rorm_model_table(m), "blog_posts");
    rorm_field_def f1 = { .name = "createdAt", .type = RORM_FIELD_DATETIME };
    rorm_field_def f2 = { .name = "authorID", .type = RORM_FIELD_INT, .column = "writer" };
    assert_rorm_ok(rorm_model_add_field(m, &f1, &err), &err);
    assert_rorm_ok(rorm_model_add_field(m, &f2, &err), &err);
    assert_string_equal(rorm_field_column(rorm_model_field(m, "createdAt")), "created_at");
    assert_string_equal(rorm_field_column(rorm_model_field(m, "authorID")), "writer");
    assert_rorm_ok(rorm_model_set_table(m, "posts_v2", &err), &err);
    assert_string_equal(rorm_model_table(m), "posts_v2");
    rorm_schema_release(s);

    /* The Prisma mode keeps names as written. */
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    s->naming = RORM_NAMING_PRISMA;
    assert_rorm_ok(rorm_schema_new_model(&m, s, "BlogPost", &err), &err);
    assert_rorm_ok(rorm_model_add_field(m, &f1, &err), &err);
    assert_string_equal(rorm_model_table(m), "BlogPost");
    assert_string_equal(rorm_field_column(rorm_model_field(m, "createdAt")), "createdAt");
    rorm_schema_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_naming__snake_case),
        cmocka_unit_test(test_schema_naming__table_names),
        cmocka_unit_test(test_schema_naming__applied_by_builder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
