/*
 * The native builder: rorm_schema_add_model() and the step-by-step calls give identical models,
 * field flags become indexes and keys, failed calls leave nothing behind, frozen schemas refuse
 * changes, and every allocation failure comes back as RORM_ENOMEM without leaks.
 */
#include "harness/harness.h"

#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"
#include "util/alloc.h"

/* ---- A three-model schema, as tables ----------------------------------------------------------
 */

static const char *const role_values[] = { "USER", "ADMIN", NULL };

static const rorm_field_def user_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "email",
      .type = RORM_FIELD_STRING,
      .flags = RORM_UNIQUE,
      .native_type = "VARCHAR(255)" },
    { .name = "name", .type = RORM_FIELD_STRING, .flags = RORM_NULLABLE, .doc = "display name" },
    { .name = "role",
      .type = RORM_FIELD_ENUM,
      .enum_name = "Role",
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "USER" },
    { .name = "age",
      .type = RORM_FIELD_INT,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "18" },
    { .name = "createdAt", .type = RORM_FIELD_DATETIME, .default_kind = RORM_DEFAULT_NOW },
    { .name = "updatedAt", .type = RORM_FIELD_DATETIME, .flags = RORM_UPDATED_AT },
    { 0 },
};

static const rorm_relation_def user_relations[] = {
    { .name = "posts", .kind = RORM_ONE_TO_MANY, .model = "Post" },
    { 0 },
};

static const rorm_field_def post_fields[] = {
    { .name = "id",
      .type = RORM_FIELD_BIGINT,
      .flags = RORM_PRIMARY_KEY,
      .default_kind = RORM_DEFAULT_AUTOINCREMENT },
    { .name = "title", .type = RORM_FIELD_STRING, .flags = RORM_INDEX },
    { .name = "score",
      .type = RORM_FIELD_FLOAT,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "1.5" },
    { .name = "published",
      .type = RORM_FIELD_BOOL,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "false" },
    { .name = "authorId", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
    { .name = "slug",
      .type = RORM_FIELD_STRING,
      .default_kind = RORM_DEFAULT_DBGENERATED,
      .default_text = "gen_slug()" },
    { .name = "tagName", .type = RORM_FIELD_STRING },
    { .name = "tagGroupId", .type = RORM_FIELD_INT },
};

static const rorm_index_def post_indexes[] = {
    { .fields = "title, authorId" },
    { .name = "post_slug_unique", .fields = "slug", .unique = true },
};

static const rorm_relation_def post_relations[] = {
    { .name = "author",
      .kind = RORM_MANY_TO_ONE,
      .model = "User",
      .fields = "authorId",
      .references = "id",
      .on_delete = RORM_ACTION_SET_NULL },
    { .name = "tag",
      .kind = RORM_MANY_TO_ONE,
      .model = "Tag",
      .fields = "tagName, tagGroupId",
      .on_delete = RORM_ACTION_CASCADE,
      .on_update = RORM_ACTION_RESTRICT },
};

static const rorm_field_def tag_fields[] = {
    { .name = "name", .type = RORM_FIELD_STRING },
    { .name = "groupId", .type = RORM_FIELD_INT },
    { 0 },
};

static const rorm_relation_def tag_relations[] = {
    { .name = "posts", .kind = RORM_ONE_TO_MANY, .model = "Post" },
    { 0 },
};

static const rorm_model_def user_def = {
    .name = "User",
    .fields = user_fields,
    .relations = user_relations,
    .doc = "a person",
};
static const rorm_model_def post_def = {
    .name = "Post",
    .fields = post_fields,
    .nfields = RORM_COUNT(post_fields),
    .indexes = post_indexes,
    .nindexes = RORM_COUNT(post_indexes),
    .relations = post_relations,
    .nrelations = RORM_COUNT(post_relations),
};
static const rorm_model_def tag_def = {
    .name = "Tag",
    .table = "labels",
    .fields = tag_fields,
    .primary_key = "name, groupId",
    .relations = tag_relations,
};

/* Build the schema from the tables. Returns the first error code. */
static int build_tables(rorm_schema **out, rorm_error *err)
{
    int rc;
    rorm_schema *s = NULL;
    *out = NULL;
    if ((rc = rorm_schema_new(&s, err)) != RORM_OK) {
        return rc;
    }
    if ((rc = rorm_schema_add_enum(s, "Role", role_values, 0, err)) != RORM_OK ||
        (rc = rorm_schema_add_model(s, &user_def, err)) != RORM_OK ||
        (rc = rorm_schema_add_model(s, &post_def, err)) != RORM_OK ||
        (rc = rorm_schema_add_model(s, &tag_def, err)) != RORM_OK ||
        (rc = rorm_schema_validate(s, err)) != RORM_OK) {
        rorm_schema_release(s);
        return rc;
    }
    *out = s;
    return RORM_OK;
}

/* Build the same schema with the step-by-step calls. */
static void build_steps(rorm_schema **out)
{
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    rorm_model *m = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    const char *roles[] = { "USER", "ADMIN" };
    assert_rorm_ok(rorm_schema_add_enum(s, "Role", roles, 2, &err), &err);

    assert_rorm_ok(rorm_schema_new_model(&m, s, "User", &err), &err);
    m->doc = rorm__strdup("a person");
    for (size_t i = 0; user_fields[i].name; i++) {
        assert_rorm_ok(rorm_model_add_field(m, &user_fields[i], &err), &err);
    }
    assert_rorm_ok(rorm_model_add_relation(m, &user_relations[0], &err), &err);

    assert_rorm_ok(rorm_schema_new_model(&m, s, "Post", &err), &err);
    for (size_t i = 0; i < RORM_COUNT(post_fields); i++) {
        assert_rorm_ok(rorm_model_add_field(m, &post_fields[i], &err), &err);
    }
    assert_rorm_ok(rorm_model_add_index(m, &(rorm_index_def){ .fields = "title,authorId" }, &err),
                   &err);
    assert_rorm_ok(
        rorm_model_add_index(
            m, &(rorm_index_def){ .name = "post_slug_unique", .fields = " slug ", .unique = true },
            &err),
        &err);
    for (size_t i = 0; i < RORM_COUNT(post_relations); i++) {
        assert_rorm_ok(rorm_model_add_relation(m, &post_relations[i], &err), &err);
    }

    assert_rorm_ok(rorm_schema_new_model(&m, s, "Tag", &err), &err);
    assert_rorm_ok(rorm_model_set_primary_key(m, "name,groupId", &err), &err);
    assert_rorm_ok(rorm_model_add_field(m, &tag_fields[0], &err), &err);
    assert_rorm_ok(rorm_model_add_field(m, &tag_fields[1], &err), &err);
    assert_rorm_ok(rorm_model_set_table(m, "labels", &err), &err);
    assert_rorm_ok(rorm_model_add_relation(m, &tag_relations[0], &err), &err);

    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    *out = s;
}

/* ---- Deep comparison --------------------------------------------------------------------------
 */

static void assert_str_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        assert_ptr_equal(a, b);
    } else {
        assert_string_equal(a, b);
    }
}

static void assert_names_eq(char **a, char **b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_str_eq(a[i], b[i]);
    }
}

static void assert_field_eq(const rorm_field *a, const rorm_field *b)
{
    assert_str_eq(a->name, b->name);
    assert_str_eq(a->column, b->column);
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->flags, b->flags);
    assert_int_equal(a->def.kind, b->def.kind);
    assert_true(rorm_value_equal(&a->def.value, &b->def.value));
    assert_str_eq(a->def.expr, b->def.expr);
    assert_str_eq(a->enum_name, b->enum_name);
    assert_str_eq(a->native_type, b->native_type);
    assert_str_eq(a->doc, b->doc);
    assert_int_equal(a->index, b->index);
    if (a->enumeration || b->enumeration) {
        assert_non_null(a->enumeration);
        assert_non_null(b->enumeration);
        assert_str_eq(a->enumeration->name, b->enumeration->name);
    }
    assert_int_equal(a->relation != NULL, b->relation != NULL);
    if (a->relation) {
        const rorm_relation *ra = a->relation, *rb = b->relation;
        assert_int_equal(ra->kind, rb->kind);
        assert_str_eq(ra->model_name, rb->model_name);
        assert_str_eq(ra->model->name, rb->model->name);
        assert_str_eq(ra->name, rb->name);
        assert_int_equal(ra->nfields, rb->nfields);
        assert_int_equal(ra->nreferences, rb->nreferences);
        assert_names_eq(ra->field_names, rb->field_names, ra->nfields);
        assert_names_eq(ra->reference_names, rb->reference_names, ra->nreferences);
        for (size_t i = 0; i < ra->nfields; i++) {
            assert_str_eq(ra->fields[i]->name, rb->fields[i]->name);
        }
        for (size_t i = 0; i < ra->nreferences; i++) {
            assert_str_eq(ra->references[i]->name, rb->references[i]->name);
        }
        assert_int_equal(ra->on_delete, rb->on_delete);
        assert_int_equal(ra->on_update, rb->on_update);
        assert_str_eq(ra->fk_name, rb->fk_name);
        assert_str_eq(ra->join_table, rb->join_table);
        assert_int_equal(ra->opposite != NULL, rb->opposite != NULL);
        if (ra->opposite) {
            assert_str_eq(ra->opposite->name, rb->opposite->name);
        }
    }
}

static void assert_model_eq(const rorm_model *a, const rorm_model *b)
{
    assert_str_eq(a->name, b->name);
    assert_str_eq(a->table, b->table);
    assert_str_eq(a->doc, b->doc);
    assert_int_equal(a->fields.len, b->fields.len);
    for (size_t i = 0; i < a->fields.len; i++) {
        assert_field_eq(a->fields.ptr[i], b->fields.ptr[i]);
    }
    assert_int_equal(a->pk.len, b->pk.len);
    for (size_t i = 0; i < a->pk.len; i++) {
        assert_str_eq(a->pk.ptr[i]->name, b->pk.ptr[i]->name);
    }
    assert_str_eq(a->pk_name, b->pk_name);
    assert_int_equal(a->indexes.len, b->indexes.len);
    for (size_t i = 0; i < a->indexes.len; i++) {
        const rorm_index *x = a->indexes.ptr[i], *y = b->indexes.ptr[i];
        assert_str_eq(x->name, y->name);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->nfields, y->nfields);
        for (size_t k = 0; k < x->nfields; k++) {
            assert_str_eq(x->fields[k].name, y->fields[k].name);
            assert_str_eq(x->fields[k].field->name, y->fields[k].field->name);
        }
    }
}

static void test_schema_builder__both_styles_identical(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *a = NULL, *b = NULL;
    assert_rorm_ok(build_tables(&a, &err), &err);
    build_steps(&b);
    assert_int_equal(rorm_schema_model_count(a), 3);
    assert_int_equal(rorm_schema_model_count(b), 3);
    for (size_t i = 0; i < 3; i++) {
        assert_model_eq(rorm_schema_model_at(a, i), rorm_schema_model_at(b, i));
    }
    assert_int_equal(rorm_schema_enum_count(a), 1);
    assert_int_equal(rorm_schema_enum_count(b), 1);
    rorm_schema_release(a);
    rorm_schema_release(b);
}

static void test_schema_builder__model_contents(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(build_tables(&s, &err), &err);

    const rorm_model *user = rorm_schema_model(s, "User");
    assert_non_null(user);
    assert_string_equal(rorm_model_name(user), "User");
    assert_string_equal(rorm_model_table(user), "users");
    assert_string_equal(user->pk_name, "users_pkey");
    assert_int_equal(rorm_model_field_count(user), 8);
    assert_int_equal(rorm_model_pk_count(user), 1);
    assert_string_equal(rorm_field_name(rorm_model_pk_at(user, 0)), "id");
    const rorm_field *id = rorm_model_field(user, "id");
    assert_int_equal(rorm_field_flags(id), RORM_PRIMARY_KEY | RORM_AUTOINCREMENT);
    assert_int_equal(rorm_field_default_kind(id), RORM_DEFAULT_AUTOINCREMENT);
    assert_string_equal(rorm_field_column(rorm_model_field(user, "createdAt")), "created_at");
    assert_int_equal(rorm_field_default_kind(rorm_model_field(user, "createdAt")),
                     RORM_DEFAULT_NOW);
    assert_string_equal(rorm_model_field(user, "email")->native_type, "VARCHAR(255)");
    assert_string_equal(rorm_model_field(user, "name")->doc, "display name");
    assert_string_equal(user->doc, "a person");
    assert_int_equal(user->indexes.len, 1);
    assert_string_equal(user->indexes.ptr[0]->name, "users_email_key");
    assert_int_equal(user->indexes.ptr[0]->kind, RORM_INDEX_UNIQUE);
    const rorm_field *role = rorm_model_field(user, "role");
    assert_non_null(role->enumeration);
    assert_string_equal(rorm_enum_name(role->enumeration), "Role");
    assert_int_equal(rorm_enum_value_count(role->enumeration), 2);
    assert_string_equal(rorm_enum_value_at(role->enumeration, 1), "ADMIN");
    assert_int_equal(role->def.value.type, RORM_TYPE_TEXT);
    assert_string_equal(rorm_value_as_text(&role->def.value), "USER");
    assert_int_equal(rorm_model_field(user, "age")->def.value.u.i, 18);
    assert_int_equal(rorm_field_type_of(rorm_model_field(user, "posts")), RORM_FIELD_RELATION);
    assert_null(rorm_field_column(rorm_model_field(user, "posts")));
    assert_true(rorm_field_flags(rorm_model_field(user, "posts")) & RORM_LIST);

    const rorm_model *post = rorm_schema_model(s, "Post");
    assert_string_equal(rorm_model_table(post), "posts");
    assert_int_equal(rorm_model_field(post, "id")->flags, RORM_PRIMARY_KEY | RORM_AUTOINCREMENT);
    assert_int_equal(post->indexes.len, 3);
    assert_string_equal(post->indexes.ptr[0]->name, "posts_title_idx");
    assert_int_equal(post->indexes.ptr[0]->kind, RORM_INDEX_PLAIN);
    assert_string_equal(post->indexes.ptr[1]->name, "posts_title_author_id_idx");
    assert_int_equal(post->indexes.ptr[1]->nfields, 2);
    assert_string_equal(post->indexes.ptr[1]->fields[1].name, "authorId");
    assert_ptr_equal(post->indexes.ptr[1]->fields[1].field, rorm_model_field(post, "authorId"));
    assert_string_equal(post->indexes.ptr[2]->name, "post_slug_unique");
    assert_int_equal(post->indexes.ptr[2]->kind, RORM_INDEX_UNIQUE);
    const rorm_field *score = rorm_model_field(post, "score");
    assert_int_equal(score->def.value.type, RORM_TYPE_DOUBLE);
    assert_true(score->def.value.u.d == 1.5);
    assert_int_equal(rorm_model_field(post, "published")->def.value.type, RORM_TYPE_BOOL);
    assert_false(rorm_model_field(post, "published")->def.value.u.b);
    assert_string_equal(rorm_model_field(post, "slug")->def.expr, "gen_slug()");
    const rorm_field *author = rorm_model_field(post, "author");
    assert_int_equal(rorm_field_relation_kind(author), RORM_MANY_TO_ONE);
    assert_ptr_equal(rorm_field_related_model(author), user);
    assert_string_equal(author->relation->fk_name, "posts_author_id_fkey");
    assert_true(author->flags & RORM_NULLABLE); // authorId is nullable
    assert_int_equal(author->relation->on_delete, RORM_ACTION_SET_NULL);
    assert_ptr_equal(author->relation->opposite, rorm_model_field(user, "posts"));
    assert_ptr_equal(rorm_model_field(user, "posts")->relation->opposite, author);
    assert_ptr_equal(author->relation->fields[0], rorm_model_field(post, "authorId"));
    assert_ptr_equal(author->relation->references[0], id);

    /* A composite foreign key whose references default to the target's primary key. */
    const rorm_field *tag_rel = rorm_model_field(post, "tag");
    const rorm_relation *r = tag_rel->relation;
    assert_int_equal(r->nfields, 2);
    assert_int_equal(r->nreferences, 2);
    assert_string_equal(r->reference_names[0], "name");
    assert_string_equal(r->reference_names[1], "groupId");
    assert_string_equal(r->references[1]->name, "groupId");
    assert_string_equal(r->fk_name, "posts_tag_name_tag_group_id_fkey");
    assert_int_equal(r->on_delete, RORM_ACTION_CASCADE);
    assert_int_equal(r->on_update, RORM_ACTION_RESTRICT);
    assert_false(tag_rel->flags & RORM_NULLABLE);

    const rorm_model *tag = rorm_schema_model(s, "Tag");
    assert_string_equal(rorm_model_table(tag), "labels");
    assert_string_equal(tag->pk_name, "labels_pkey");
    assert_int_equal(rorm_model_pk_count(tag), 2);
    assert_string_equal(rorm_field_name(rorm_model_pk_at(tag, 0)), "name");
    assert_string_equal(rorm_field_name(rorm_model_pk_at(tag, 1)), "groupId");
    assert_true(rorm_field_flags(rorm_model_field(tag, "groupId")) & RORM_PRIMARY_KEY);
    assert_string_equal(rorm_field_column(rorm_model_field(tag, "groupId")), "group_id");
    assert_ptr_equal(r->model, tag);
    assert_ptr_equal(r->opposite, rorm_model_field(tag, "posts"));
    assert_null(rorm_schema_model(s, "Nope"));
    assert_null(rorm_model_field(tag, "nope"));
    assert_null(rorm_schema_model_at(s, 3));
    assert_string_equal(rorm_field_type_name(RORM_FIELD_DATETIME), "DateTime");
    assert_string_equal(rorm_field_type_name(RORM_FIELD_BOOL), "Boolean");
    rorm_schema_release(s);
}

static void test_schema_builder__failed_add_model_leaves_nothing(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    const rorm_field_def fields[] = {
        { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY },
        { .name = "age",
          .type = RORM_FIELD_INT,
          .default_kind = RORM_DEFAULT_VALUE,
          .default_text = "abc" },
        { 0 },
    };
    rorm_model_def def = { .name = "User", .fields = fields };
    assert_int_equal(rorm_schema_add_model(s, &def, &err), RORM_ESCHEMA);
    assert_string_equal(err.message, "default 'abc' of field 'User.age' is not a valid Int");
    assert_int_equal(rorm_schema_model_count(s), 0);
    assert_null(rorm_schema_model(s, "User"));

    /* An empty item in a list, in an index and in a relation. */
    rorm_index_def bad_index[] = { { .fields = "id,,age" }, { 0 } };
    const rorm_field_def good[] = {
        { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY }, { 0 }
    };
    def = (rorm_model_def){ .name = "User", .fields = good, .indexes = bad_index };
    assert_int_equal(rorm_schema_add_model(s, &def, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "empty field name"));
    rorm_relation_def bad_rel[] = { { .name = "x", .model = "User", .fields = " , a" }, { 0 } };
    def = (rorm_model_def){ .name = "User", .fields = good, .relations = bad_rel };
    assert_int_equal(rorm_schema_add_model(s, &def, &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_model_count(s), 0);

    /* A relation given as a scalar field, bad names and flags. */
    const rorm_field_def rel_field[] = { { .name = "r", .type = RORM_FIELD_RELATION }, { 0 } };
    def = (rorm_model_def){ .name = "User", .fields = rel_field };
    assert_int_equal(rorm_schema_add_model(s, &def, &err), RORM_EINVAL);
    def = (rorm_model_def){ .name = "9User", .fields = good };
    assert_int_equal(rorm_schema_add_model(s, &def, &err), RORM_EINVAL);
    const rorm_field_def bad_flags[] = { { .name = "id", .type = RORM_FIELD_INT, .flags = 0x8000 },
                                         { 0 } };
    def = (rorm_model_def){ .name = "User", .fields = bad_flags };
    assert_int_equal(rorm_schema_add_model(s, &def, &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_model_count(s), 0);

    /* A model that did go in is kept when a later one fails. */
    def = (rorm_model_def){ .name = "User", .fields = good };
    assert_rorm_ok(rorm_schema_add_model(s, &def, &err), &err);
    def = (rorm_model_def){ .name = "Post", .fields = fields };
    assert_int_equal(rorm_schema_add_model(s, &def, &err), RORM_ESCHEMA);
    assert_int_equal(rorm_schema_model_count(s), 1);
    assert_non_null(rorm_schema_model(s, "User"));
    /* A failed duplicate must not take the first model's name out of the map. */
    def = (rorm_model_def){ .name = "User", .fields = fields };
    assert_int_equal(rorm_schema_add_model(s, &def, &err), RORM_ESCHEMA);
    assert_non_null(rorm_schema_model(s, "User"));
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    rorm_schema_release(s);
}

static void test_schema_builder__frozen(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(build_tables(&s, &err), &err);
    assert_true(s->validated);
    assert_true(s->frozen);
    rorm_model *user = s->models.ptr[0];
    rorm_model *m = NULL;
    rorm_field_def f = { .name = "extra", .type = RORM_FIELD_INT };
    assert_int_equal(rorm_schema_new_model(&m, s, "Other", &err), RORM_ESTATE);
    assert_null(m);
    assert_int_equal(rorm_schema_add_model(s, &tag_def, &err), RORM_ESTATE);
    assert_int_equal(rorm_schema_add_enum(s, "E", role_values, 0, &err), RORM_ESTATE);
    assert_int_equal(rorm_model_add_field(user, &f, &err), RORM_ESTATE);
    assert_non_null(strstr(err.message, "frozen"));
    assert_int_equal(rorm_model_set_table(user, "x", &err), RORM_ESTATE);
    assert_int_equal(rorm_model_set_primary_key(user, "id", &err), RORM_ESTATE);
    assert_int_equal(rorm_model_add_index(user, &(rorm_index_def){ .fields = "id" }, &err),
                     RORM_ESTATE);
    assert_int_equal(
        rorm_model_add_relation(user, &(rorm_relation_def){ .name = "x", .model = "Post" }, &err),
        RORM_ESTATE);
    assert_int_equal(rorm_model_field_count(user), 8);
    /* Validating again is a no-op. */
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    rorm_schema_retain(s);
    rorm_schema_release(s);
    assert_string_equal(rorm_model_name(user), "User");
    rorm_schema_release(s);
    rorm_schema_release(NULL);
}

static void test_schema_builder__bad_arguments(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    rorm_model *m = NULL;
    assert_int_equal(rorm_schema_new(NULL, &err), RORM_EINVAL);
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_int_equal(rorm_schema_add_model(s, NULL, &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_new_model(&m, s, NULL, NULL), RORM_EINVAL);
    assert_int_equal(rorm_schema_new_model(&m, s, "", &err), RORM_EINVAL);
    assert_int_equal(rorm_schema_add_enum(s, "bad name", role_values, 0, &err), RORM_EINVAL);
    const char *empty_value[] = { "A", "" };
    assert_int_equal(rorm_schema_add_enum(s, "E", empty_value, 2, &err), RORM_EINVAL);
    assert_rorm_ok(rorm_schema_new_model(&m, s, "User", &err), &err);
    assert_int_equal(rorm_model_add_field(m, NULL, &err), RORM_EINVAL);
    assert_int_equal(rorm_model_add_field(m, &(rorm_field_def){ .name = "x", .type = 99 }, &err),
                     RORM_EINVAL);
    assert_int_equal(rorm_model_set_table(m, "", &err), RORM_EINVAL);
    assert_int_equal(rorm_model_set_primary_key(m, "", &err), RORM_EINVAL);
    assert_int_equal(rorm_model_set_primary_key(m, "a,", &err), RORM_EINVAL);
    assert_int_equal(rorm_model_add_index(m, &(rorm_index_def){ .fields = " " }, &err),
                     RORM_EINVAL);
    assert_int_equal(rorm_model_add_relation(
                         m, &(rorm_relation_def){ .name = "p", .model = "Post", .kind = 9 }, &err),
                     RORM_EINVAL);
    assert_int_equal(
        rorm_model_add_relation(
            m, &(rorm_relation_def){ .name = "p", .model = "Post", .on_delete = 17 }, &err),
        RORM_EINVAL);
    assert_int_equal(rorm_model_field_count(m), 0);
    assert_int_equal(m->indexes.len, 0);
    /* Setting the key twice keeps the last one. */
    assert_rorm_ok(rorm_model_set_primary_key(m, "a, b", &err), &err);
    assert_rorm_ok(rorm_model_set_primary_key(m, "id", &err), &err);
    assert_int_equal(m->pk_names.len, 1);
    assert_string_equal(m->pk_names.ptr[0], "id");
    rorm_schema_release(s);
}

/* ---- Out of memory ----------------------------------------------------------------------------
 */

static long live_blocks;

static void *counting_malloc(size_t n)
{
    void *p = malloc(n);
    if (p) {
        live_blocks++;
    }
    return p;
}

static void *counting_realloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q && p == NULL) {
        live_blocks++;
    }
    return q;
}

static void counting_free(void *p)
{
    if (p) {
        live_blocks--;
    }
    free(p);
}

static void test_schema_builder__out_of_memory(void **state)
{
    (void)state;
    rorm_set_allocator(counting_malloc, counting_realloc, counting_free);
    size_t n;
    for (n = 1;; n++) {
        rorm_error err = { 0 };
        rorm_schema *s = NULL;
        live_blocks = 0;
        rorm__alloc_fail_after(n);
        int rc = build_tables(&s, &err);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            assert_int_equal(rorm_schema_model_count(s), 3);
            assert_true(s->validated);
            rorm_schema_release(s);
            assert_int_equal(live_blocks, 0);
            break;
        }
        if (rc != RORM_ENOMEM) {
            fail_msg("allocation %zu: expected RORM_ENOMEM, got %d: %s", n, rc, err.message);
        }
        assert_int_equal(err.code, RORM_ENOMEM);
        assert_null(s);
        if (live_blocks != 0) {
            fail_msg("allocation %zu: %ld blocks leaked", n, live_blocks);
        }
    }
    rorm_set_allocator(NULL, NULL, NULL);
    assert_true(n > 50); // the loop did reach the later allocations
}

/* Each step-by-step call fails cleanly: after ENOMEM the model is as before. */
static void test_schema_builder__out_of_memory_steps(void **state)
{
    (void)state;
    for (size_t n = 1;; n++) {
        rorm_error err = { 0 };
        rorm_schema *s = NULL;
        rorm_model *m = NULL;
        assert_rorm_ok(rorm_schema_new(&s, &err), &err);
        assert_rorm_ok(rorm_schema_new_model(&m, s, "Post", &err), &err);
        rorm__alloc_fail_after(n);
        int rc = rorm_model_add_field(m, &user_fields[1], &err);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            assert_int_equal(rorm_model_field_count(m), 1);
            assert_int_equal(m->indexes.len, 1);
            rorm_schema_release(s);
            break;
        }
        assert_int_equal(rc, RORM_ENOMEM);
        assert_int_equal(rorm_model_field_count(m), 0);
        assert_int_equal(m->indexes.len, 0);
        assert_null(rorm_model_field(m, "email"));
        rorm_schema_release(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_builder__both_styles_identical),
        cmocka_unit_test(test_schema_builder__model_contents),
        cmocka_unit_test(test_schema_builder__failed_add_model_leaves_nothing),
        cmocka_unit_test(test_schema_builder__frozen),
        cmocka_unit_test(test_schema_builder__bad_arguments),
        cmocka_unit_test(test_schema_builder__out_of_memory),
        cmocka_unit_test(test_schema_builder__out_of_memory_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
