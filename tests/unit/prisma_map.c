/*
 * Mapping Prisma schemas to the schema model with Prisma's names: tables and columns, key,
 * index and foreign-key constraint names (and their shortening), implicit many-to-many join
 * tables, relation kinds, default referential actions and default column types per provider.
 */
#include "harness/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prisma/prisma.h"
#include "schema/schema.h"
#include "util/alloc.h"

static rorm_schema *load_ok(const char *provider, const char *body)
{
    char text[8192];
    snprintf(text, sizeof text, "datasource db {\n  provider = \"%s\"\n  url = \"x\"\n}\n%s",
             provider, body);
    rorm_diagnostics *d;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_int_equal(rorm_diagnostics_new(&d, &err), RORM_OK);
    if (rorm_prisma_load_string(&s, text, strlen(text), NULL, d, &err) != RORM_OK) {
        rorm_diagnostics_print(d, stderr);
        fail_msg("load failed: %s", err.message);
    }
    rorm_diagnostics_free(d);
    return s;
}

static const rorm_index *find_index(const rorm_model *m, const char *name)
{
    for (size_t i = 0; i < m->indexes.len; i++) {
        if (m->indexes.ptr[i]->name && strcmp(m->indexes.ptr[i]->name, name) == 0) {
            return m->indexes.ptr[i];
        }
    }
    return NULL;
}

static const char *blog =
    "model User {\n"
    "  id    Int    @id @default(autoincrement())\n"
    "  email String @unique @map(\"email_address\")\n"
    "  posts Post[]\n"
    "  @@map(\"users\")\n"
    "}\n"
    "model Post {\n"
    "  id         Int        @id\n"
    "  title      String\n"
    "  authorId   Int\n"
    "  editorId   Int?\n"
    "  author     User       @relation(fields: [authorId], references: [id])\n"
    "  editor     Editor?    @relation(fields: [editorId], references: [id])\n"
    "  categories Category[]\n"
    "  tags       Tag[]      @relation(\"PostTags\")\n"
    "  @@index([title, authorId])\n"
    "  @@unique([title, editorId], map: \"custom_unique\")\n"
    "}\n"
    "model Editor {\n  id Int @id\n  posts Post[]\n}\n"
    "model Category {\n  id String @id\n  posts Post[]\n}\n"
    "model Tag {\n  id BigInt @id\n  posts Post[] @relation(\"PostTags\")\n}\n";

static void test_prisma_map__names(void **state)
{
    (void)state;
    rorm_schema *s = load_ok("postgresql", blog);
    assert_int_equal(s->naming, RORM_NAMING_PRISMA);
    const rorm_model *user = rorm_schema_model(s, "User");
    assert_string_equal(user->table, "users");
    assert_string_equal(user->pk_name, "users_pkey");
    assert_string_equal(rorm_field_column(rorm_model_field(user, "email")), "email_address");
    assert_non_null(find_index(user, "users_email_address_key"));
    const rorm_model *post = rorm_schema_model(s, "Post");
    assert_string_equal(post->table, "Post");
    assert_string_equal(post->pk_name, "Post_pkey");
    assert_non_null(find_index(post, "Post_title_authorId_idx"));
    const rorm_index *cu = find_index(post, "custom_unique");
    assert_non_null(cu);
    assert_int_equal(cu->kind, RORM_INDEX_UNIQUE);
    const rorm_field *author = rorm_model_field(post, "author");
    assert_string_equal(author->relation->fk_name, "Post_authorId_fkey");
    assert_ptr_equal(author->relation->model, user);
    assert_ptr_equal(author->relation->opposite, rorm_model_field(user, "posts"));
    rorm_schema_release(s);
}

static void test_prisma_map__relations_and_actions(void **state)
{
    (void)state;
    rorm_schema *s = load_ok("postgresql", blog);
    const rorm_model *post = rorm_schema_model(s, "Post");
    const rorm_field *author = rorm_model_field(post, "author");
    const rorm_field *editor = rorm_model_field(post, "editor");
    assert_int_equal(rorm_field_relation_kind(author), RORM_MANY_TO_ONE);
    assert_int_equal(author->relation->on_delete, RORM_ACTION_RESTRICT);
    assert_int_equal(author->relation->on_update, RORM_ACTION_CASCADE);
    assert_int_equal(editor->relation->on_delete, RORM_ACTION_SET_NULL);
    assert_int_equal(editor->relation->on_update, RORM_ACTION_CASCADE);
    const rorm_model *user = rorm_schema_model(s, "User");
    assert_int_equal(rorm_field_relation_kind(rorm_model_field(user, "posts")), RORM_ONE_TO_MANY);
    const rorm_field *cats = rorm_model_field(post, "categories");
    assert_int_equal(rorm_field_relation_kind(cats), RORM_MANY_TO_MANY);
    assert_string_equal(cats->relation->join_table, "_CategoryToPost");
    const rorm_model *cat = rorm_schema_model(s, "Category");
    assert_string_equal(rorm_model_field(cat, "posts")->relation->join_table, "_CategoryToPost");
    assert_string_equal(rorm_model_field(post, "tags")->relation->join_table, "_PostTags");
    assert_int_equal(cats->relation->on_delete, RORM_ACTION_CASCADE);
    rorm_schema_release(s);
}

static void test_prisma_map__one_to_one_and_self(void **state)
{
    (void)state;
    rorm_schema *s =
        load_ok("postgresql", "model User {\n  id Int @id\n  profile Profile?\n"
                              "  managerId Int?\n"
                              "  manager User? @relation(\"M\", fields: [managerId], references: "
                              "[id], onDelete: Cascade, map: \"mgr_fk\")\n"
                              "  reports User[] @relation(\"M\")\n}\n"
                              "model Profile {\n  id Int @id\n  userId Int @unique\n"
                              "  user User @relation(fields: [userId], references: [id])\n}\n");
    const rorm_model *user = rorm_schema_model(s, "User");
    const rorm_model *profile = rorm_schema_model(s, "Profile");
    assert_int_equal(rorm_field_relation_kind(rorm_model_field(profile, "user")), RORM_ONE_TO_ONE);
    assert_int_equal(rorm_field_relation_kind(rorm_model_field(user, "profile")), RORM_ONE_TO_ONE);
    const rorm_field *mgr = rorm_model_field(user, "manager");
    assert_string_equal(mgr->relation->fk_name, "mgr_fk");
    assert_int_equal(mgr->relation->on_delete, RORM_ACTION_CASCADE);
    assert_ptr_equal(mgr->relation->opposite, rorm_model_field(user, "reports"));
    assert_ptr_equal(rorm_model_field(user, "reports")->relation->opposite, mgr);
    rorm_schema_release(s);
}

static void test_prisma_map__constraint_name_limits(void **state)
{
    (void)state;
    const char *cols[] = { "aVeryLongColumnNameNumberOne", "aVeryLongColumnNameNumberTwo" };
    char *pg =
        rorm__prisma_constraint_name("postgresql", "SomeRatherLongTableName", cols, 2, "idx");
    assert_int_equal(strlen(pg), 63);
    assert_string_equal(pg + 59, "_idx");
    assert_int_equal(strncmp(pg, "SomeRatherLongTableName_aVeryLongColumnNameNumberOne_aVeryL", 59),
                     0);
    char *my = rorm__prisma_constraint_name("mysql", "SomeRatherLongTableName", cols, 2, "key");
    assert_int_equal(strlen(my), 64);
    char *lite = rorm__prisma_constraint_name("sqlite", "SomeRatherLongTableName", cols, 2, "idx");
    assert_string_equal(lite, "SomeRatherLongTableName_aVeryLongColumnNameNumberOne_"
                              "aVeryLongColumnNameNumberTwo_idx");
    char *pk = rorm__prisma_constraint_name("postgresql", "User", NULL, 0, "pkey");
    assert_string_equal(pk, "User_pkey");
    rorm__free(pg);
    rorm__free(my);
    rorm__free(lite);
    rorm__free(pk);
}

static void test_prisma_map__default_types(void **state)
{
    (void)state;
    assert_string_equal(rorm__prisma_default_db_type("postgresql", RORM_FIELD_STRING), "text");
    assert_string_equal(rorm__prisma_default_db_type("mysql", RORM_FIELD_STRING), "varchar(191)");
    assert_string_equal(rorm__prisma_default_db_type("postgresql", RORM_FIELD_DATETIME),
                        "timestamp(3)");
    assert_string_equal(rorm__prisma_default_db_type("mysql", RORM_FIELD_DATETIME), "datetime(3)");
    assert_string_equal(rorm__prisma_default_db_type("cockroachdb", RORM_FIELD_JSON), "jsonb");
    assert_null(rorm__prisma_default_db_type(NULL, RORM_FIELD_STRING));
}

static void test_prisma_map__indexes_details(void **state)
{
    (void)state;
    rorm_schema *s = load_ok("mysql", "model A {\n  id Int @id\n  body String @db.Text\n"
                                      "  t String @db.VarChar(100)\n"
                                      "  @@index([body(length: 10), t(sort: Desc)], name: \"x\")\n"
                                      "  @@fulltext([body])\n}\n");
    const rorm_model *a = rorm_schema_model(s, "A");
    const rorm_index *ix = find_index(a, "A_body_t_idx");
    assert_non_null(ix);
    assert_int_equal(ix->fields[0].length, 10);
    assert_int_equal(ix->fields[1].sort, -1);
    const rorm_index *ft = find_index(a, "A_body_idx");
    assert_non_null(ft);
    assert_int_equal(ft->kind, RORM_INDEX_FULLTEXT);
    assert_string_equal(rorm_model_field(a, "body")->native_type, "Text");
    rorm_schema_release(s);
}

static void test_prisma_map__join_tables(void **state)
{
    (void)state;
    static const char *body = "model Post {\n  id Int @id @default(autoincrement())\n"
                              "  categories Category[]\n}\n"
                              "model Category {\n  id String @id @db.Uuid\n  posts Post[]\n}\n";
    rorm_schema *s = load_ok("postgresql", body);
    const rorm_model *post = rorm_schema_model(s, "Post");
    const rorm_model *cat = rorm_schema_model(s, "Category");
    const rorm_relation *pr = rorm_model_field(post, "categories")->relation;
    const rorm_relation *cr = rorm_model_field(cat, "posts")->relation;
    /* Category sorts first: it is A, whichever side is declared first. */
    assert_string_equal(pr->join_table, "_CategoryToPost");
    assert_string_equal(pr->join_self_column, "B");
    assert_string_equal(pr->join_other_column, "A");
    assert_string_equal(cr->join_self_column, "A");
    assert_string_equal(cr->join_other_column, "B");
    for (int i = 0; i < 2; i++) {
        const rorm_relation *r = i ? cr : pr;
        assert_ptr_equal(r->join_a_ref, rorm_model_field(cat, "id"));
        assert_ptr_equal(r->join_b_ref, rorm_model_field(post, "id"));
        assert_string_equal(r->join_a_type, "uuid");
        assert_string_equal(r->join_b_type, "integer");
        assert_string_equal(r->join_ab_name, "_CategoryToPost_AB_pkey");
        assert_true(r->join_ab_primary);
        assert_string_equal(r->join_b_index, "_CategoryToPost_B_index");
        assert_string_equal(r->join_a_fkey, "_CategoryToPost_A_fkey");
        assert_string_equal(r->join_b_fkey, "_CategoryToPost_B_fkey");
        assert_int_equal(r->join_on_delete, RORM_ACTION_CASCADE);
        assert_int_equal(r->join_on_update, RORM_ACTION_CASCADE);
    }
    rorm_schema_release(s);
    /* Elsewhere (CockroachDB included) the pair is a unique index; types follow the provider. */
    static const char *const others[][3] = { { "sqlite", "TEXT", "INTEGER" },
                                             { "mysql", "varchar(191)", "int" },
                                             { "cockroachdb", "string", "int4" } };
    for (size_t i = 0; i < 3; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "model Post {\n  id Int @id\n  categories Category[]\n}\n"
                 "model Category {\n  id String @id\n  posts Post[]\n}\n");
        s = load_ok(others[i][0], text);
        const rorm_relation *r =
            rorm_model_field(rorm_schema_model(s, "Post"), "categories")->relation;
        assert_string_equal(r->join_ab_name, "_CategoryToPost_AB_unique");
        assert_false(r->join_ab_primary);
        assert_string_equal(r->join_a_type, others[i][1]);
        assert_string_equal(r->join_b_type, others[i][2]);
        rorm_schema_release(s);
    }
}

static void test_prisma_map__join_table_self_relation(void **state)
{
    (void)state;
    /* The field whose name sorts first reads its records from column A. */
    rorm_schema *s = load_ok("sqlite", "model Animal {\n  id Int @id\n"
                                       "  b_eatenBy Animal[] @relation(\"FoodChain\")\n"
                                       "  a_eats Animal[] @relation(\"FoodChain\")\n}\n");
    const rorm_model *m = rorm_schema_model(s, "Animal");
    const rorm_relation *eats = rorm_model_field(m, "a_eats")->relation;
    const rorm_relation *eaten = rorm_model_field(m, "b_eatenBy")->relation;
    assert_string_equal(eats->join_table, "_FoodChain");
    assert_string_equal(eats->join_other_column, "A");
    assert_string_equal(eats->join_self_column, "B");
    assert_string_equal(eaten->join_other_column, "B");
    assert_string_equal(eaten->join_self_column, "A");
    assert_ptr_equal(eats->join_a_ref, rorm_model_field(m, "id"));
    assert_ptr_equal(eats->join_b_ref, rorm_model_field(m, "id"));
    assert_string_equal(eats->join_b_index, "_FoodChain_B_index");
    assert_string_equal(eats->join_ab_name, "_FoodChain_AB_unique");
    rorm_schema_release(s);
}

static void test_prisma_map__load_path(void **state)
{
    (void)state;
    char dir[] = "/tmp/rorm_prisma_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/a.prisma", dir);
    FILE *fp = fopen(path, "w");
    fputs("datasource db {\n  provider = \"sqlite\"\n  url = \"file:x\"\n}\n", fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/b.prisma", dir);
    fp = fopen(path, "w");
    fputs("model M {\n  id Int @id\n}\n", fp);
    fclose(fp);
    rorm_schema *s = NULL;
    rorm_error err = { 0 };
    assert_int_equal(rorm_prisma_load_path(&s, dir, NULL, &err), RORM_OK);
    assert_int_equal(rorm_schema_model_count(s), 1);
    assert_string_equal(s->provider, "sqlite");
    rorm_schema_release(s);
    assert_int_equal(rorm_prisma_load_path(&s, "/nonexistent/x.prisma", NULL, &err),
                     RORM_ENOTFOUND);
    remove(path);
    snprintf(path, sizeof path, "%s/a.prisma", dir);
    remove(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prisma_map__names),
        cmocka_unit_test(test_prisma_map__relations_and_actions),
        cmocka_unit_test(test_prisma_map__one_to_one_and_self),
        cmocka_unit_test(test_prisma_map__constraint_name_limits),
        cmocka_unit_test(test_prisma_map__default_types),
        cmocka_unit_test(test_prisma_map__indexes_details),
        cmocka_unit_test(test_prisma_map__join_tables),
        cmocka_unit_test(test_prisma_map__join_table_self_relation),
        cmocka_unit_test(test_prisma_map__load_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
