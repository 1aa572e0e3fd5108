/*
 * rorm_schema_validate(): each problem it reports, with its message, and what it resolves
 * (related models, foreign keys, opposite sides, join tables, inferred kinds). Also the lookups
 * that suggest the nearest name.
 */
#include "harness/harness.h"

#include <string.h>

#include "schema/schema.h"

#define ID_FIELD                                                                             \
    {                                                                                        \
        .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT \
    }

static const rorm_field_def user_fields[] = {
    ID_FIELD,
    { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
    { .name = "name", .type = RORM_FIELD_STRING },
    { 0 },
};
static const rorm_relation_def user_posts[] = {
    { .name = "posts", .kind = RORM_ONE_TO_MANY, .model = "Post" },
    { 0 },
};
static const rorm_field_def post_fields[] = {
    ID_FIELD,
    { .name = "title", .type = RORM_FIELD_STRING },
    { .name = "authorId", .type = RORM_FIELD_INT },
    { .name = "authorEmail", .type = RORM_FIELD_STRING },
    { .name = "authorName", .type = RORM_FIELD_STRING },
    { 0 },
};

/* Build a schema of @p n models (no enums) and validate it. */
static int validate_models(rorm_schema **out, const rorm_model_def *defs, size_t n, rorm_error *err)
{
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_schema_new(&s, err), err);
    for (size_t i = 0; i < n; i++) {
        assert_rorm_ok(rorm_schema_add_model(s, &defs[i], err), err);
    }
    *out = s;
    return rorm_schema_validate(s, err);
}

/* Validation of the models fails with exactly @p message. */
static void expect_error(const rorm_model_def *defs, size_t n, const char *message)
{
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_int_equal(validate_models(&s, defs, n, &err), RORM_ESCHEMA);
    assert_int_equal(err.code, RORM_ESCHEMA);
    assert_string_equal(err.message, message);
    assert_false(s->validated);
    assert_false(s->frozen);
    rorm_schema_release(s);
}

/* A User/Post pair where Post.author is @p author. */
static void expect_author_error(rorm_relation_def author, const char *message)
{
    const rorm_relation_def rels[] = { author, { 0 } };
    const rorm_model_def defs[] = {
        { .name = "User", .fields = user_fields, .relations = user_posts },
        { .name = "Post", .fields = post_fields, .relations = rels },
    };
    expect_error(defs, 2, message);
}

static void test_schema_validate__names(void **state)
{
    (void)state;
    const rorm_field_def dup_fields[] = { ID_FIELD,
                                          { .name = "email", .type = RORM_FIELD_STRING },
                                          { .name = "email", .type = RORM_FIELD_STRING },
                                          { 0 } };
    rorm_model_def one = { .name = "User", .fields = dup_fields };
    expect_error(&one, 1, "duplicate field 'email' in model 'User'");

    const rorm_field_def same_column[] = { ID_FIELD,
                                           { .name = "createdAt", .type = RORM_FIELD_DATETIME },
                                           { .name = "created_at", .type = RORM_FIELD_DATETIME },
                                           { 0 } };
    one = (rorm_model_def){ .name = "User", .fields = same_column };
    expect_error(
        &one, 1,
        "duplicate column 'created_at' in model 'User' (fields 'createdAt' and 'created_at')");

    const rorm_field_def ok_fields[] = { ID_FIELD, { 0 } };
    const rorm_model_def two_users[] = {
        { .name = "User", .fields = ok_fields },
        { .name = "User", .fields = ok_fields, .table = "other" },
    };
    expect_error(two_users, 2, "duplicate model 'User'");
    const rorm_model_def two_tables[] = {
        { .name = "User", .fields = ok_fields },
        { .name = "Member", .fields = ok_fields, .table = "users" },
    };
    expect_error(two_tables, 2, "duplicate table 'users' (models 'User' and 'Member')");

    const rorm_field_def no_id[] = { { .name = "name", .type = RORM_FIELD_STRING }, { 0 } };
    one = (rorm_model_def){ .name = "Tag", .fields = no_id };
    expect_error(
        &one, 1,
        "model 'Tag' has no primary key: mark a field RORM_PRIMARY_KEY or set primary_key");
}

static void test_schema_validate__enums(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    const char *ab[] = { "A", "B", NULL };
    const char *aa[] = { "A", "B", "A", NULL };

    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_add_enum(s, "Role", ab, 0, &err), &err);
    assert_rorm_ok(rorm_schema_add_enum(s, "Role", ab, 0, &err), &err);
    assert_int_equal(rorm_schema_validate(s, &err), RORM_ESCHEMA);
    assert_string_equal(err.message, "duplicate enum 'Role'");
    rorm_schema_release(s);

    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_add_enum(s, "Role", aa, 0, &err), &err);
    assert_int_equal(rorm_schema_validate(s, &err), RORM_ESCHEMA);
    assert_string_equal(err.message, "duplicate value 'A' in enum 'Role'");
    rorm_schema_release(s);

    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_add_enum(s, "Role", NULL, 0, &err), &err);
    assert_int_equal(rorm_schema_validate(s, &err), RORM_ESCHEMA);
    assert_string_equal(err.message, "enum 'Role' has no values");
    rorm_schema_release(s);

    /* An enum field must name a known enum. */
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_add_enum(s, "Role", ab, 0, &err), &err);
    const rorm_field_def fields[] = {
        ID_FIELD, { .name = "role", .type = RORM_FIELD_ENUM, .enum_name = "Rol" }, { 0 }
    };
    rorm_model_def def = { .name = "User", .fields = fields };
    assert_rorm_ok(rorm_schema_add_model(s, &def, &err), &err);
    assert_int_equal(rorm_schema_validate(s, &err), RORM_ESCHEMA);
    assert_string_equal(err.message,
                        "field 'User.role' refers to unknown enum 'Rol' (did you mean 'Role'?)");
    rorm_schema_release(s);

    const rorm_field_def no_enum[] = { ID_FIELD,
                                       { .name = "role", .type = RORM_FIELD_ENUM },
                                       { 0 } };
    def = (rorm_model_def){ .name = "User", .fields = no_enum };
    expect_error(&def, 1, "field 'User.role' of type Enum has no enum_name");
}

static void test_schema_validate__keys_and_indexes(void **state)
{
    (void)state;
    const rorm_field_def tag_fields[] = {
        { .name = "name", .type = RORM_FIELD_STRING },
        { .name = "group", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
        { 0 },
    };
    rorm_model_def tag = { .name = "Tag", .fields = tag_fields, .primary_key = "nme" };
    expect_error(&tag, 1,
                 "primary key of model 'Tag' names unknown field 'nme' (did you mean 'name'?)");
    tag.primary_key = "name, zzzzzzzz";
    expect_error(&tag, 1, "primary key of model 'Tag' names unknown field 'zzzzzzzz'");
    tag.primary_key = "name, name";
    expect_error(&tag, 1, "primary key of model 'Tag' names field 'name' twice");
    tag.primary_key = "name, group";
    expect_error(&tag, 1, "primary key field 'Tag.group' cannot be RORM_NULLABLE");

    const rorm_field_def flagged[] = {
        { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY },
        { .name = "name", .type = RORM_FIELD_STRING },
        { 0 },
    };
    rorm_model_def both = { .name = "Tag", .fields = flagged, .primary_key = "name" };
    expect_error(
        &both, 1,
        "field 'Tag.id' is marked RORM_PRIMARY_KEY but is not in primary_key of model 'Tag'");

    const rorm_index_def bad_named[] = { { .name = "x", .fields = "titel" }, { 0 } };
    rorm_model_def post = { .name = "Post", .fields = post_fields, .indexes = bad_named };
    expect_error(&post, 1,
                 "index 'x' on model 'Post' names unknown field 'titel' (did you mean 'title'?)");
    const rorm_index_def bad_unnamed[] = { { .fields = "title, authorID" }, { 0 } };
    post.indexes = bad_unnamed;
    expect_error(
        &post, 1,
        "index (title, authorID) on model 'Post' names unknown field 'authorID' (did you mean 'authorId'?)");
    const rorm_index_def twice[] = { { .fields = "title, title", .unique = true }, { 0 } };
    post.indexes = twice;
    expect_error(&post, 1, "index (title, title) on model 'Post' names field 'title' twice");
}

static void test_schema_validate__relation_errors(void **state)
{
    (void)state;
    expect_author_error(
        (rorm_relation_def){
            .name = "author", .kind = RORM_MANY_TO_ONE, .model = "Usr", .fields = "authorId" },
        "relation 'author' on model 'Post' refers to unknown model 'Usr' (did you mean 'User'?)");
    expect_author_error(
        (rorm_relation_def){
            .name = "author", .kind = RORM_MANY_TO_ONE, .model = "Customer", .fields = "authorId" },
        "relation 'author' on model 'Post' refers to unknown model 'Customer'");
    expect_author_error(
        (rorm_relation_def){
            .name = "author", .kind = RORM_MANY_TO_ONE, .model = "User", .fields = "authorID" },
        "relation 'author' on model 'Post' names unknown field 'authorID' (did you mean 'authorId'?)");
    expect_author_error(
        (rorm_relation_def){ .name = "author",
                             .kind = RORM_MANY_TO_ONE,
                             .model = "User",
                             .fields = "authorId",
                             .references = "idd" },
        "relation 'author' on model 'Post' references unknown field 'idd' on model 'User' (did you mean 'id'?)");
    expect_author_error((rorm_relation_def){ .name = "author",
                                             .kind = RORM_MANY_TO_ONE,
                                             .model = "User",
                                             .fields = "authorId, authorEmail",
                                             .references = "id" },
                        "relation 'author' on model 'Post' has 2 fields but 1 references");
    expect_author_error(
        (rorm_relation_def){
            .name = "author", .kind = RORM_MANY_TO_ONE, .model = "User", .fields = "authorEmail" },
        "relation 'author' on model 'Post': field 'authorEmail' is String but referenced field 'User.id' is Int");
    expect_author_error(
        (rorm_relation_def){ .name = "author",
                             .kind = RORM_MANY_TO_ONE,
                             .model = "User",
                             .fields = "authorName",
                             .references = "name" },
        "relation 'author' on model 'Post' references (name) on model 'User' which is neither the primary key nor unique");
    expect_author_error(
        (rorm_relation_def){ .name = "author", .kind = RORM_MANY_TO_ONE, .model = "User" },
        "relation 'author' on model 'Post' has no fields: a many-to-one relation holds the foreign key");
    expect_author_error(
        (rorm_relation_def){
            .name = "author", .kind = RORM_MANY_TO_ONE, .model = "User", .references = "id" },
        "relation 'author' on model 'Post' has references but no fields");
    expect_author_error(
        (rorm_relation_def){ .name = "author", .kind = RORM_MANY_TO_MANY, .model = "User" },
        "relation 'posts' on model 'User' is one-to-many but its back-relation 'Post.author' is many-to-many");

    /* A one-to-many side needs the many-to-one side that holds the key. */
    const rorm_model_def lonely[] = {
        { .name = "User", .fields = user_fields, .relations = user_posts },
        { .name = "Post", .fields = post_fields },
    };
    expect_error(
        lonely, 2,
        "relation 'posts' on model 'User' has no back-relation on model 'Post' holding the foreign key");

    /* Two unnamed relations to the same model are ambiguous. */
    const rorm_relation_def two[] = {
        { .name = "author", .kind = RORM_MANY_TO_ONE, .model = "User", .fields = "authorId" },
        { .name = "editor", .kind = RORM_MANY_TO_ONE, .model = "User", .fields = "authorId" },
        { 0 },
    };
    const rorm_model_def ambiguous[] = {
        { .name = "User", .fields = user_fields, .relations = user_posts },
        { .name = "Post", .fields = post_fields, .relations = two },
    };
    expect_error(
        ambiguous, 2,
        "ambiguous relation 'posts' on model 'User': model 'Post' has 2 relations back to it; give each pair the same relation_name");
}

static void test_schema_validate__relations_resolved(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    /* Named relations, a reference to a unique field, a one-sided many-to-one. */
    const rorm_relation_def user_rels[] = {
        { .name = "written",
          .kind = RORM_ONE_TO_MANY,
          .model = "Post",
          .relation_name = "Written" },
        { .name = "edited", .kind = RORM_ONE_TO_MANY, .model = "Post", .relation_name = "Edited" },
        { 0 },
    };
    const rorm_relation_def post_rels[] = {
        { .name = "author",
          .kind = RORM_MANY_TO_ONE,
          .model = "User",
          .fields = "authorId",
          .relation_name = "Written" },
        { .name = "editor",
          .kind = RORM_MANY_TO_ONE,
          .model = "User",
          .fields = "authorEmail",
          .references = "email",
          .relation_name = "Edited" },
        { .name = "reviewer",
          .kind = RORM_MANY_TO_ONE,
          .model = "User",
          .fields = "authorName",
          .references = "name",
          .relation_name = "Reviewed" },
        { 0 },
    };
    const rorm_field_def user_f[] = {
        ID_FIELD,
        { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
        { .name = "name", .type = RORM_FIELD_STRING },
        { 0 },
    };
    const rorm_index_def user_ix[] = { { .fields = "name", .unique = true }, { 0 } };
    const rorm_model_def defs[] = {
        { .name = "User", .fields = user_f, .relations = user_rels, .indexes = user_ix },
        { .name = "Post", .fields = post_fields, .relations = post_rels },
    };
    assert_rorm_ok(validate_models(&s, defs, 2, &err), &err);
    const rorm_model *user = rorm_schema_model(s, "User");
    const rorm_model *post = rorm_schema_model(s, "Post");
    const rorm_field *author = rorm_model_field(post, "author");
    const rorm_field *editor = rorm_model_field(post, "editor");
    const rorm_field *reviewer = rorm_model_field(post, "reviewer");
    assert_ptr_equal(author->relation->opposite, rorm_model_field(user, "written"));
    assert_ptr_equal(editor->relation->opposite, rorm_model_field(user, "edited"));
    assert_ptr_equal(rorm_model_field(user, "edited")->relation->opposite, editor);
    assert_null(reviewer->relation->opposite);
    assert_ptr_equal(editor->relation->references[0], rorm_model_field(user, "email"));
    assert_ptr_equal(reviewer->relation->model, user);
    assert_string_equal(editor->relation->fk_name, "posts_author_email_fkey");
    assert_string_equal(user->indexes.ptr[1]->name, "users_name_key");
    /* Validation is idempotent. */
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    assert_ptr_equal(author->relation->opposite, rorm_model_field(user, "written"));
    rorm_schema_release(s);
}

static void test_schema_validate__many_to_many(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    const rorm_field_def id_only[] = { ID_FIELD, { 0 } };
    const rorm_relation_def post_rels[] = {
        { .name = "categories", .kind = RORM_MANY_TO_MANY, .model = "Category" },
        { .name = "tags", .kind = RORM_MANY_TO_MANY, .model = "Tag", .relation_name = "PostTags" },
        { .name = "related", .kind = RORM_MANY_TO_MANY, .model = "Post" },
        { 0 },
    };
    const rorm_relation_def cat_rels[] = {
        { .name = "posts", .kind = RORM_MANY_TO_MANY, .model = "Post" },
        { 0 },
    };
    const rorm_relation_def tag_rels[] = {
        { .name = "posts",
          .kind = RORM_MANY_TO_MANY,
          .model = "Post",
          .relation_name = "PostTags" },
        { 0 },
    };
    const rorm_model_def defs[] = {
        { .name = "Post", .fields = id_only, .relations = post_rels },
        { .name = "Category", .fields = id_only, .relations = cat_rels },
        { .name = "Tag", .fields = id_only, .relations = tag_rels },
    };
    assert_rorm_ok(validate_models(&s, defs, 3, &err), &err);
    const rorm_model *post = rorm_schema_model(s, "Post");
    const rorm_model *cat = rorm_schema_model(s, "Category");
    const rorm_field *categories = rorm_model_field(post, "categories");
    assert_string_equal(categories->relation->join_table, "_CategoryToPost");
    assert_string_equal(rorm_model_field(cat, "posts")->relation->join_table, "_CategoryToPost");
    assert_ptr_equal(categories->relation->opposite, rorm_model_field(cat, "posts"));
    assert_true(categories->flags & RORM_LIST);
    assert_null(categories->relation->fk_name);
    assert_string_equal(rorm_model_field(post, "tags")->relation->join_table, "_PostTags");
    /* A one-sided self relation. */
    const rorm_field *related = rorm_model_field(post, "related");
    assert_string_equal(related->relation->join_table, "_PostToPost");
    assert_null(related->relation->opposite);
    rorm_schema_release(s);

    const rorm_field_def composite[] = { { .name = "a", .type = RORM_FIELD_INT },
                                         { .name = "b", .type = RORM_FIELD_INT },
                                         { 0 } };
    const rorm_relation_def to_cat[] = {
        { .name = "categories", .kind = RORM_MANY_TO_MANY, .model = "Category" },
        { 0 },
    };
    const rorm_model_def bad[] = {
        { .name = "Post", .fields = id_only, .relations = to_cat },
        { .name = "Category", .fields = composite, .primary_key = "a,b" },
    };
    expect_error(
        bad, 2,
        "many-to-many relation 'categories' on model 'Post' needs a single-field primary key on model 'Category'");
}

static void test_schema_validate__one_to_one_and_self(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    const rorm_relation_def user_rels[] = {
        { .name = "profile", .kind = RORM_ONE_TO_ONE, .model = "Profile" },
        { 0 },
    };
    const rorm_field_def profile_fields[] = {
        ID_FIELD,
        { .name = "userId", .type = RORM_FIELD_INT, .flags = RORM_UNIQUE },
        { 0 },
    };
    const rorm_relation_def profile_rels[] = {
        { .name = "user", .kind = RORM_ONE_TO_ONE, .model = "User", .fields = "userId" },
        { 0 },
    };
    const rorm_field_def cat_fields[] = {
        ID_FIELD,
        { .name = "parentId", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
        { 0 },
    };
    const rorm_relation_def cat_rels[] = {
        { .name = "parent", .kind = RORM_MANY_TO_ONE, .model = "Category", .fields = "parentId" },
        { .name = "children", .kind = RORM_ONE_TO_MANY, .model = "Category" },
        { 0 },
    };
    const rorm_model_def defs[] = {
        { .name = "User", .fields = user_fields, .relations = user_rels },
        { .name = "Profile", .fields = profile_fields, .relations = profile_rels },
        { .name = "Category", .fields = cat_fields, .relations = cat_rels },
    };
    assert_rorm_ok(validate_models(&s, defs, 3, &err), &err);
    const rorm_model *user = rorm_schema_model(s, "User");
    const rorm_model *profile = rorm_schema_model(s, "Profile");
    const rorm_model *cat = rorm_schema_model(s, "Category");
    const rorm_field *uprof = rorm_model_field(user, "profile");
    assert_ptr_equal(uprof->relation->opposite, rorm_model_field(profile, "user"));
    assert_true(uprof->flags & RORM_NULLABLE); // the back side of a one-to-one is optional
    assert_false(rorm_model_field(profile, "user")->flags & RORM_NULLABLE);
    assert_string_equal(rorm_model_field(profile, "user")->relation->fk_name,
                        "profiles_user_id_fkey");
    const rorm_field *parent = rorm_model_field(cat, "parent");
    const rorm_field *children = rorm_model_field(cat, "children");
    assert_ptr_equal(parent->relation->opposite, children);
    assert_ptr_equal(children->relation->opposite, parent);
    assert_true(parent->flags & RORM_NULLABLE);
    assert_string_equal(rorm_model_table(cat), "categories");
    assert_string_equal(parent->relation->fk_name, "categories_parent_id_fkey");
    rorm_schema_release(s);

    /* The foreign key of a one-to-one must be unique; only one side holds it. */
    const rorm_field_def not_unique[] = { ID_FIELD,
                                          { .name = "userId", .type = RORM_FIELD_INT },
                                          { 0 } };
    const rorm_model_def bad[] = {
        { .name = "User", .fields = user_fields, .relations = user_rels },
        { .name = "Profile", .fields = not_unique, .relations = profile_rels },
    };
    expect_error(
        bad, 2,
        "one-to-one relation 'user' on model 'Profile' needs its fields (userId) to be unique");
    const rorm_relation_def no_fields[] = {
        { .name = "user", .kind = RORM_ONE_TO_ONE, .model = "User" },
        { 0 },
    };
    const rorm_model_def neither[] = {
        { .name = "User", .fields = user_fields, .relations = user_rels },
        { .name = "Profile", .fields = profile_fields, .relations = no_fields },
    };
    expect_error(
        neither, 2,
        "neither side of one-to-one relation 'profile' on model 'User' has fields (the foreign key)");
}

/* The Prisma front end leaves kinds to validation (RORM_RELATION_NONE) and marks lists. */
static void test_schema_validate__inferred_kinds(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    rorm_model *user, *post, *tag;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    s->naming = RORM_NAMING_PRISMA;
    assert_rorm_ok(rorm_schema_new_model(&user, s, "User", &err), &err);
    assert_rorm_ok(rorm_schema_new_model(&post, s, "Post", &err), &err);
    assert_rorm_ok(rorm_schema_new_model(&tag, s, "Tag", &err), &err);
    rorm_field_def id = ID_FIELD;
    rorm_field_def author_id = { .name = "authorId", .type = RORM_FIELD_INT };
    assert_rorm_ok(rorm_model_add_field(user, &id, &err), &err);
    assert_rorm_ok(rorm_model_add_field(post, &id, &err), &err);
    assert_rorm_ok(rorm_model_add_field(post, &author_id, &err), &err);
    assert_rorm_ok(rorm_model_add_field(tag, &id, &err), &err);
    rorm_relation_def posts = { .name = "posts", .model = "Post" };
    rorm_relation_def author = {
        .name = "author", .model = "User", .fields = "authorId", .references = "id"
    };
    rorm_relation_def tags = { .name = "tags", .model = "Tag" };
    rorm_relation_def tag_posts = { .name = "posts", .model = "Post" };
    assert_rorm_ok(rorm_model_add_relation(user, &posts, &err), &err);
    assert_rorm_ok(rorm_model_add_relation(post, &author, &err), &err);
    assert_rorm_ok(rorm_model_add_relation(post, &tags, &err), &err);
    assert_rorm_ok(rorm_model_add_relation(tag, &tag_posts, &err), &err);
    user->fields.ptr[1]->flags |= RORM_LIST;
    post->fields.ptr[3]->flags |= RORM_LIST;
    tag->fields.ptr[1]->flags |= RORM_LIST;
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    assert_string_equal(rorm_model_table(post), "Post");
    assert_string_equal(rorm_field_column(rorm_model_field(post, "authorId")), "authorId");
    assert_int_equal(rorm_field_relation_kind(rorm_model_field(user, "posts")), RORM_ONE_TO_MANY);
    assert_int_equal(rorm_field_relation_kind(rorm_model_field(post, "author")), RORM_MANY_TO_ONE);
    assert_int_equal(rorm_field_relation_kind(rorm_model_field(post, "tags")), RORM_MANY_TO_MANY);
    assert_int_equal(rorm_field_relation_kind(rorm_model_field(tag, "posts")), RORM_MANY_TO_MANY);
    assert_string_equal(rorm_model_field(post, "tags")->relation->join_table, "_PostToTag");
    assert_string_equal(rorm_model_field(post, "author")->relation->fk_name, "Post_authorId_fkey");
    assert_string_equal(post->pk_name, "Post_pkey");
    rorm_schema_release(s);
}

static void test_schema_validate__fix_and_retry(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    rorm_model *m = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_new_model(&m, s, "Tag", &err), &err);
    rorm_field_def name = { .name = "name", .type = RORM_FIELD_STRING };
    assert_rorm_ok(rorm_model_add_field(m, &name, &err), &err);
    m->line = 3;
    assert_int_equal(rorm_schema_validate(s, &err), RORM_ESCHEMA);
    assert_int_equal(err.line, 3);
    assert_null(m->pk_name);
    /* Not frozen after a failure: fix it and validate again. */
    assert_rorm_ok(rorm_model_set_primary_key(m, "name", &err), &err);
    assert_rorm_ok(rorm_model_set_table(m, "labels", &err), &err);
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    assert_string_equal(m->pk_name, "labels_pkey");
    assert_true(rorm_field_flags(rorm_model_field(m, "name")) & RORM_PRIMARY_KEY);
    rorm_schema_release(s);
}

static void test_schema_validate__lookups(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    const rorm_field_def fields[] = {
        ID_FIELD,
        { .name = "email", .type = RORM_FIELD_STRING },
        { .name = "createdAt", .type = RORM_FIELD_DATETIME },
        { 0 },
    };
    const rorm_model_def defs[] = { { .name = "User", .fields = fields } };
    assert_rorm_ok(validate_models(&s, defs, 1, &err), &err);
    rorm_model *m = NULL;
    rorm_field *f = NULL;
    assert_rorm_ok(rorm__schema_find_model(&m, s, "User", &err), &err);
    assert_string_equal(m->name, "User");
    assert_int_equal(rorm__schema_find_model(&m, s, "Usr", &err), RORM_EINVAL);
    assert_null(m);
    assert_string_equal(err.message, "unknown model 'Usr' (did you mean 'User'?)");
    assert_int_equal(rorm__schema_find_model(&m, s, "Invoice", &err), RORM_EINVAL);
    assert_string_equal(err.message, "unknown model 'Invoice'");
    assert_int_equal(rorm__schema_find_model(&m, s, "user", &err), RORM_EINVAL);
    assert_string_equal(err.message, "unknown model 'user' (did you mean 'User'?)");

    m = s->models.ptr[0];
    assert_rorm_ok(rorm__model_find_field(&f, m, "email", &err), &err);
    assert_string_equal(f->name, "email");
    assert_int_equal(rorm__model_find_field(&f, m, "emial", &err), RORM_EINVAL);
    assert_string_equal(err.message,
                        "unknown field 'emial' on model 'User' (did you mean 'email'?)");
    assert_int_equal(rorm__model_find_field(&f, m, "createdOn", &err), RORM_EINVAL);
    assert_string_equal(err.message,
                        "unknown field 'createdOn' on model 'User' (did you mean 'createdAt'?)");
    assert_int_equal(rorm__model_find_field(&f, m, "password", &err), RORM_EINVAL);
    assert_string_equal(err.message, "unknown field 'password' on model 'User'");
    assert_int_equal(rorm__model_find_field(&f, m, NULL, &err), RORM_EINVAL);
    rorm_schema_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_validate__names),
        cmocka_unit_test(test_schema_validate__enums),
        cmocka_unit_test(test_schema_validate__keys_and_indexes),
        cmocka_unit_test(test_schema_validate__relation_errors),
        cmocka_unit_test(test_schema_validate__relations_resolved),
        cmocka_unit_test(test_schema_validate__many_to_many),
        cmocka_unit_test(test_schema_validate__one_to_one_and_self),
        cmocka_unit_test(test_schema_validate__inferred_kinds),
        cmocka_unit_test(test_schema_validate__fix_and_retry),
        cmocka_unit_test(test_schema_validate__lookups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
