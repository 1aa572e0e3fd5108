/*
 * relationMode = "prisma": no foreign keys in the database (introspected, and a second migration
 * plan is empty), and the referential actions emulated by the Prisma Client engine: onDelete
 * Cascade (deep, self-relations, cycles in the data), Restrict and the default NoAction (P2014),
 * SetNull, SetDefault (native schema API); onUpdate Cascade, Restrict, SetNull when a key other
 * records point at changes; implicit many-to-many join rows; nested deletes; all-or-nothing.
 */
#include "pc_fixture.h"

#include "util/alloc.h"

static const char rm_schema[] =
    "datasource db {\n"
    "  provider     = \"sqlite\"\n"
    "  url          = \"file:dev.db\"\n"
    "  relationMode = \"prisma\"\n"
    "}\n"
    "model User {\n"
    "  id       Int       @id\n"
    "  email    String    @unique\n"
    "  posts    Post[]\n"
    "  comments Comment[]\n"
    "  profile  Profile?\n"
    "  notes    Note[]\n"
    "  tags     Tag[]\n"
    "}\n"
    "model Post {\n"
    "  id       Int       @id\n"
    "  title    String\n"
    "  authorId Int\n"
    "  author   User      @relation(fields: [authorId], references: [id], onDelete: Cascade)\n"
    "  comments Comment[]\n"
    "  @@index([authorId])\n"
    "}\n"
    "model Comment {\n"
    "  id       Int     @id\n"
    "  body     String\n"
    "  postId   Int\n"
    "  post     Post    @relation(fields: [postId], references: [id], onDelete: Cascade)\n"
    "  authorId Int?\n"
    "  author   User?   @relation(fields: [authorId], references: [id], onUpdate: SetNull)\n"
    "  @@index([postId])\n"
    "  @@index([authorId])\n"
    "}\n"
    "model Profile {\n"
    "  id     Int    @id\n"
    "  userId Int    @unique\n"
    "  user   User   @relation(fields: [userId], references: [id], onDelete: Restrict,"
    " onUpdate: Restrict)\n"
    "}\n"
    "model Note {\n"
    "  id        Int    @id\n"
    "  userEmail String\n"
    "  user      User   @relation(fields: [userEmail], references: [email])\n"
    "  @@index([userEmail])\n"
    "}\n"
    "model Tag {\n"
    "  id    Int    @id\n"
    "  name  String\n"
    "  users User[]\n"
    "}\n"
    "model Category {\n"
    "  id       Int        @id\n"
    "  parentId Int?\n"
    "  parent   Category?  @relation(\"tree\", fields: [parentId], references: [id],"
    " onDelete: Cascade)\n"
    "  children Category[] @relation(\"tree\")\n"
    "  @@index([parentId])\n"
    "}\n";

static rorm_schema *rm_load(void)
{
    rorm_error err = { 0 };
    rorm_schema *schema = NULL;
    assert_rorm_ok(rorm_prisma_load_string(&schema, rm_schema, strlen(rm_schema), NULL, NULL, &err),
                   &err);
    assert_int_equal(rorm_schema_relation_mode(schema), RORM_RELATION_MODE_PRISMA);
    return schema;
}

static rorm_db *rm_open(void)
{
    rorm_error err = { 0 };
    rorm_db *db = rorm_test_open();
    rorm_schema *schema = rm_load();
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    return db;
}

/* Users 1 (ann) and 2 (bob); posts 10, 11 of ann and 20 of bob; comments on them (some by
   bob on ann's posts); tags 1, 2 of ann, tag 2 of bob. */
static void rm_seed(rorm_db *db)
{
    pc_call(db, "User", "createMany",
            "{\"data\": [{\"id\": 1, \"email\": \"ann@x\"}, {\"id\": 2, \"email\": \"bob@x\"}]}");
    pc_call(db, "Post", "createMany",
            "{\"data\": [{\"id\": 10, \"title\": \"a\", \"authorId\": 1},"
            " {\"id\": 11, \"title\": \"b\", \"authorId\": 1},"
            " {\"id\": 20, \"title\": \"c\", \"authorId\": 2}]}");
    pc_call(db, "Comment", "createMany",
            "{\"data\": [{\"id\": 100, \"body\": \"x\", \"postId\": 10, \"authorId\": 2},"
            " {\"id\": 101, \"body\": \"y\", \"postId\": 11, \"authorId\": 1},"
            " {\"id\": 200, \"body\": \"z\", \"postId\": 20, \"authorId\": 1},"
            " {\"id\": 201, \"body\": \"w\", \"postId\": 20, \"authorId\": 2}]}");
    pc_call(db, "Tag", "create",
            "{\"data\": {\"id\": 1, \"name\": \"t1\", \"users\": {\"connect\": [{\"id\": 1}]}}}");
    pc_call(db, "Tag", "create",
            "{\"data\": {\"id\": 2, \"name\": \"t2\", \"users\": {\"connect\": [{\"id\": 1},"
            " {\"id\": 2}]}}}");
}

static void test_pc_relation_mode__no_foreign_keys(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = rm_open();
    /* Introspected: the pulled schema has no relation (they come from foreign keys). */
    char *pulled = NULL;
    assert_rorm_ok(rorm_migrate_pull(&pulled, db, &err), &err);
    assert_non_null(strstr(pulled, "model Post"));
    assert_null(strstr(pulled, "@relation"));
    rorm_free(pulled);
    /* A second plan has nothing to do. */
    rorm_schema *schema = rm_load();
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, schema, NULL, &err), &err);
    if (rorm_migrate_plan_count(plan) != 0) {
        fail_msg("not idempotent: %s", rorm_migrate_plan_description(plan, 0));
    }
    rorm_migrate_plan_free(plan);
    rorm_schema_release(schema);
    rorm_db_close(db);
    /* A database made with foreign keys (relationMode foreignKeys) planned with the prisma
       schema: the foreign keys are left alone, nothing to do. */
    static const char mode_line[] = "  relationMode = \"prisma\"\n";
    char *fk_text = strdup(rm_schema);
    char *line = strstr(fk_text, mode_line);
    memmove(line, line + strlen(mode_line), strlen(line + strlen(mode_line)) + 1);
    rorm_schema *fk_schema = NULL;
    assert_rorm_ok(rorm_prisma_load_string(&fk_schema, fk_text, strlen(fk_text), NULL, NULL, &err),
                   &err);
    free(fk_text);
    assert_int_equal(rorm_schema_relation_mode(fk_schema), RORM_RELATION_MODE_FOREIGN_KEYS);
    db = rorm_test_open();
    assert_rorm_ok(rorm_migrate_schema(db, fk_schema, NULL, &err), &err);
    rorm_schema_release(fk_schema);
    assert_rorm_ok(rorm_migrate_pull(&pulled, db, &err), &err);
    assert_non_null(strstr(pulled, "@relation"));
    rorm_free(pulled);
    schema = rm_load();
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, schema, NULL, &err), &err);
    if (rorm_migrate_plan_count(plan) != 0) {
        fail_msg("foreign keys planned: %s", rorm_migrate_plan_description(plan, 0));
    }
    rorm_migrate_plan_free(plan);
    rorm_schema_release(schema);
    /* Nothing checks a key on insert, as in Prisma: a post of a user that does not exist. */
    rorm_db_close(db);
    db = rm_open();
    pc_call(db, "Post", "create", "{\"data\": {\"id\": 99, \"title\": \"o\", \"authorId\": 42}}");
    pc_expect(db, "Post", "count", "{}", "1");
    rorm_db_close(db);
}

static void test_pc_relation_mode__delete_cascade_set_null_join(void **state)
{
    (void)state;
    rorm_db *db = rm_open();
    rm_seed(db);
    /* bob: post 20 and its comments cascade; ann's comment 200 on it goes too; bob's comment
       100 on ann's post gets a null author (optional relation: SetNull); his join row goes. */
    pc_expect(db, "User", "delete", "{\"where\": {\"id\": 2}}", "{\"id\":2,\"email\":\"bob@x\"}");
    pc_expect(db, "Post", "findMany",
              "{\"select\": {\"id\": true}, \"orderBy\": {\"id\": \"asc\"}}",
              "[{\"id\":10},{\"id\":11}]");
    pc_expect(db, "Comment", "findMany",
              "{\"select\": {\"id\": true, \"authorId\": true}, \"orderBy\": {\"id\": \"asc\"}}",
              "[{\"id\":100,\"authorId\":null},{\"id\":101,\"authorId\":1}]");
    pc_expect(db, "Tag", "findUnique",
              "{\"where\": {\"id\": 2}, \"select\": {\"users\": {\"select\": {\"id\": true}}}}",
              "{\"users\":[{\"id\":1}]}");
    pc_expect(db, "Tag", "count", "{}", "2");
    /* deleteMany counts the records it was asked to delete, not the cascaded ones. */
    pc_expect(db, "User", "deleteMany", "{}", "{\"count\":1}");
    pc_expect(db, "Post", "count", "{}", "0");
    pc_expect(db, "Comment", "count", "{}", "0");
    pc_expect(db, "Tag", "findMany",
              "{\"select\": {\"_count\": {\"select\": {\"users\": true}}}, \"orderBy\": {\"id\":"
              " \"asc\"}}",
              "[{\"_count\":{\"users\":0}},{\"_count\":{\"users\":0}}]");
    /* A delete returns the record as it was, relations included. */
    pc_call(db, "User", "create",
            "{\"data\": {\"id\": 3, \"email\": \"cy@x\", \"posts\": {\"create\": {\"id\": 30,"
            " \"title\": \"p\"}}}}");
    pc_expect(db, "User", "delete",
              "{\"where\": {\"email\": \"cy@x\"}, \"include\": {\"posts\": {\"select\": {\"id\":"
              " true}}}}",
              "{\"id\":3,\"email\":\"cy@x\",\"posts\":[{\"id\":30}]}");
    pc_expect(db, "Post", "count", "{}", "0");
    const char *msg = pc_fail(db, "User", "delete", "{\"where\": {\"id\": 3}}", RORM_ENOTFOUND);
    assert_contains(msg, "Record to delete not found");
    rorm_db_close(db);
}

static void test_pc_relation_mode__restrict_and_no_action(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    char *json = NULL;
    rorm_db *db = rm_open();
    rm_seed(db);
    pc_call(db, "Profile", "create", "{\"data\": {\"id\": 1, \"userId\": 1}}");
    /* Restrict: refused with Prisma's P2014, and nothing changed (the cascade to posts, the
       SetNull of comments and the join rows all stay). */
    int rc = rorm_db_call_json(&json, db, "User", "delete", "{\"where\": {\"id\": 1}}", &err);
    assert_int_equal(rc, RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_RELATION);
    assert_string_equal(rorm_error_prisma_code(&err), "P2014");
    assert_string_equal(err.message,
                        "The change you are trying to make would violate the required relation "
                        "'ProfileToUser' between the `Profile` and `User` models.");
    /* deleteMany of both users: bob could go, ann cannot: neither goes. */
    pc_fail(db, "User", "deleteMany", "{}", RORM_ECONSTRAINT);
    pc_expect(db, "User", "count", "{}", "2");
    pc_expect(db, "Post", "count", "{}", "3");
    pc_expect(db, "Comment", "count", "{\"where\": {\"authorId\": {\"not\": null}}}", "4");
    pc_expect(db, "Tag", "findUnique",
              "{\"where\": {\"id\": 2}, \"select\": {\"_count\": {\"select\": {\"users\": true}}}}",
              "{\"_count\":{\"users\":2}}");
    /* The default for a required relation (NoAction) refuses as well. */
    pc_call(db, "Profile", "delete", "{\"where\": {\"id\": 1}}");
    pc_call(db, "Note", "create", "{\"data\": {\"id\": 1, \"userEmail\": \"ann@x\"}}");
    const char *msg = pc_fail(db, "User", "delete", "{\"where\": {\"id\": 1}}", RORM_ECONSTRAINT);
    assert_contains(msg, "'NoteToUser' between the `Note` and `User` models");
    pc_call(db, "Note", "delete", "{\"where\": {\"id\": 1}}");
    pc_call(db, "User", "delete", "{\"where\": {\"id\": 1}}");
    pc_expect(db, "Post", "findMany", "{\"select\": {\"id\": true}}", "[{\"id\":20}]");
    rorm_db_close(db);
}

static void test_pc_relation_mode__update_keys(void **state)
{
    (void)state;
    rorm_db *db = rm_open();
    rm_seed(db);
    pc_call(db, "Note", "create", "{\"data\": {\"id\": 1, \"userEmail\": \"ann@x\"}}");
    /* onUpdate default (Cascade): posts and notes follow; the join rows follow the id;
       Comment.author has onUpdate SetNull. */
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 1}, \"data\": {\"id\": 5, \"email\": \"ann@y\"}}",
              "{\"id\":5,\"email\":\"ann@y\"}");
    pc_expect(db, "Post", "findMany",
              "{\"where\": {\"authorId\": 5}, \"select\": {\"id\": true}, \"orderBy\": {\"id\":"
              " \"asc\"}}",
              "[{\"id\":10},{\"id\":11}]");
    pc_expect(db, "Note", "findUnique", "{\"where\": {\"id\": 1}}",
              "{\"id\":1,\"userEmail\":\"ann@y\"}");
    pc_expect(db, "Comment", "findMany",
              "{\"select\": {\"id\": true, \"authorId\": true}, \"orderBy\": {\"id\": \"asc\"}}",
              "[{\"id\":100,\"authorId\":2},{\"id\":101,\"authorId\":null},"
              "{\"id\":200,\"authorId\":null},{\"id\":201,\"authorId\":2}]");
    pc_expect(db, "User", "findUnique",
              "{\"where\": {\"id\": 5}, \"select\": {\"tags\": {\"select\": {\"id\": true},"
              " \"orderBy\": {\"id\": \"asc\"}}}}",
              "{\"tags\":[{\"id\":1},{\"id\":2}]}");
    /* updateMany and upsert take the same path. */
    pc_expect(db, "User", "updateMany",
              "{\"where\": {\"email\": \"bob@x\"}, \"data\": {\"id\": 6}}", "{\"count\":1}");
    pc_expect(db, "Post", "findUnique",
              "{\"where\": {\"id\": 20}, \"select\": {\"authorId\": true}}", "{\"authorId\":6}");
    pc_expect(db, "User", "upsert",
              "{\"where\": {\"id\": 6}, \"update\": {\"id\": 7}, \"create\": {\"id\": 8, \"email\":"
              " \"n@x\"}}",
              "{\"id\":7,\"email\":\"bob@x\"}");
    pc_expect(db, "Post", "count", "{\"where\": {\"authorId\": 7}}", "1");
    /* Restrict on update: refused, nothing moved. */
    pc_call(db, "Profile", "create", "{\"data\": {\"id\": 1, \"userId\": 5}}");
    const char *msg = pc_fail(db, "User", "update",
                              "{\"where\": {\"id\": 5}, \"data\": {\"id\": 9}}", RORM_ECONSTRAINT);
    assert_contains(msg, "would violate the required relation 'ProfileToUser'");
    pc_expect(db, "Post", "count", "{\"where\": {\"authorId\": 5}}", "2");
    /* A key changed by arithmetic cannot be followed. */
    msg = pc_fail(db, "User", "update",
                  "{\"where\": {\"id\": 7}, \"data\": {\"id\": {\"increment\":"
                  " 1}}}",
                  RORM_EUNSUPPORTED);
    assert_contains(msg, "`User.id`");
    /* A change that keeps the key does nothing to the others. */
    pc_call(db, "User", "update", "{\"where\": {\"id\": 5}, \"data\": {\"id\": 5}}");
    rorm_db_close(db);
}

static void test_pc_relation_mode__deep_cascade_and_cycles(void **state)
{
    (void)state;
    rorm_db *db = rm_open();
    /* A chain of 60 categories: deleting the root removes all of them. */
    char buf[128];
    pc_call(db, "Category", "create", "{\"data\": {\"id\": 1}}");
    for (int i = 2; i <= 60; i++) {
        snprintf(buf, sizeof buf, "{\"data\": {\"id\": %d, \"parentId\": %d}}", i, i - 1);
        pc_call(db, "Category", "create", buf);
    }
    pc_call(db, "Category", "create", "{\"data\": {\"id\": 100}}");
    pc_expect(db, "Category", "delete", "{\"where\": {\"id\": 1}, \"select\": {\"id\": true}}",
              "{\"id\":1}");
    pc_expect(db, "Category", "findMany", "{\"select\": {\"id\": true}}", "[{\"id\":100}]");
    /* A cycle in the data (1 -> 2 -> 3 -> 1) with a branch: deleting one removes all. */
    pc_call(db, "Category", "createMany",
            "{\"data\": [{\"id\": 1, \"parentId\": 3}, {\"id\": 2, \"parentId\": 1},"
            " {\"id\": 3, \"parentId\": 2}, {\"id\": 4, \"parentId\": 2}]}");
    pc_expect(db, "Category", "delete", "{\"where\": {\"id\": 2}, \"select\": {\"id\": true}}",
              "{\"id\":2}");
    pc_expect(db, "Category", "findMany", "{\"select\": {\"id\": true}}", "[{\"id\":100}]");
    /* Three levels across models: user -> posts -> comments. */
    rm_seed(db);
    pc_call(db, "User", "delete", "{\"where\": {\"id\": 1}}");
    pc_expect(db, "Comment", "findMany",
              "{\"select\": {\"id\": true, \"authorId\": true}, \"orderBy\": {\"id\": \"asc\"}}",
              "[{\"id\":200,\"authorId\":null},{\"id\":201,\"authorId\":2}]");
    rorm_db_close(db);
}

static void test_pc_relation_mode__nested(void **state)
{
    (void)state;
    rorm_db *db = rm_open();
    rm_seed(db);
    /* A nested delete cascades like a plain one. */
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 1}, \"data\": {\"posts\": {\"delete\": {\"id\": 10}}},"
              " \"select\": {\"posts\": {\"select\": {\"id\": true}}}}",
              "{\"posts\":[{\"id\":11}]}");
    pc_expect(db, "Comment", "count", "{\"where\": {\"postId\": 10}}", "0");
    pc_expect(db, "User", "update",
              "{\"where\": {\"id\": 2}, \"data\": {\"posts\": {\"deleteMany\": {}}},"
              " \"select\": {\"posts\": true}}",
              "{\"posts\":[]}");
    pc_expect(db, "Comment", "findMany", "{\"select\": {\"id\": true}}", "[{\"id\":101}]");
    /* All or nothing: the nested delete (and its cascade) is undone when a later step fails. */
    pc_fail(db, "User", "update",
            "{\"where\": {\"id\": 1}, \"data\": {\"posts\": {\"delete\": {\"id\": 11},"
            " \"connect\": {\"id\": 999}}}}",
            RORM_ENOTFOUND);
    pc_expect(db, "Post", "findMany", "{\"select\": {\"id\": true}}", "[{\"id\":11}]");
    pc_expect(db, "Comment", "findMany", "{\"select\": {\"id\": true}}", "[{\"id\":101}]");
    /* Inside a caller's transaction the emulation uses a savepoint. */
    rorm_error err = { 0 };
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    pc_call(tx, "User", "delete", "{\"where\": {\"id\": 1}}");
    assert_rorm_ok(rorm_db_rollback(tx, &err), &err);
    pc_expect(db, "Post", "count", "{}", "1");
    rorm_db_close(db);
}

/* The same from the native C schema API, with SetDefault (Prisma text refuses it in this mode). */
static void test_pc_relation_mode__native_set_default(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_rorm_ok(rorm_schema_set_relation_mode(s, RORM_RELATION_MODE_PRISMA, &err), &err);
    assert_int_equal(rorm_schema_set_relation_mode(s, 7, &err), RORM_EINVAL);
    static const rorm_field_def owner_fields[] = {
        { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY }, { 0 }
    };
    static const rorm_relation_def owner_rels[] = {
        { .name = "pets", .kind = RORM_ONE_TO_MANY, .model = "Pet" }, { 0 }
    };
    static const rorm_field_def pet_fields[] = {
        { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY },
        { .name = "ownerId",
          .type = RORM_FIELD_INT,
          .default_kind = RORM_DEFAULT_VALUE,
          .default_text = "0" },
        { 0 }
    };
    static const rorm_relation_def pet_rels[] = { { .name = "owner",
                                                    .kind = RORM_MANY_TO_ONE,
                                                    .model = "Owner",
                                                    .fields = "ownerId",
                                                    .references = "id",
                                                    .on_delete = RORM_ACTION_SET_DEFAULT,
                                                    .on_update = RORM_ACTION_SET_DEFAULT },
                                                  { 0 } };
    const rorm_model_def owner = { .name = "Owner",
                                   .fields = owner_fields,
                                   .relations = owner_rels };
    const rorm_model_def pet = { .name = "Pet", .fields = pet_fields, .relations = pet_rels };
    assert_rorm_ok(rorm_schema_add_model(s, &owner, &err), &err);
    assert_rorm_ok(rorm_schema_add_model(s, &pet, &err), &err);
    rorm_db *db = rorm_test_open();
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, NULL, &err), &err);
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
    rorm_schema_release(s);
    pc_call(db, "Owner", "createMany", "{\"data\": [{\"id\": 0}, {\"id\": 1}, {\"id\": 2}]}");
    pc_call(db, "Pet", "createMany",
            "{\"data\": [{\"id\": 1, \"ownerId\": 1}, {\"id\": 2, \"ownerId\": 2}]}");
    pc_call(db, "Owner", "delete", "{\"where\": {\"id\": 1}}");
    pc_call(db, "Owner", "update", "{\"where\": {\"id\": 2}, \"data\": {\"id\": 3}}");
    pc_expect(db, "Pet", "findMany",
              "{\"select\": {\"id\": true, \"ownerId\": true}, \"orderBy\": {\"id\": \"asc\"}}",
              "[{\"id\":1,\"ownerId\":0},{\"id\":2,\"ownerId\":0}]");
    rorm_db_close(db);
}

/* Prisma's rules for the mode: NoAction is refused on SQLite and PostgreSQL. */
static void test_pc_relation_mode__validation(void **state)
{
    (void)state;
    static const char text[] = "datasource db {\n"
                               "  provider     = \"postgresql\"\n"
                               "  url          = \"postgresql://x\"\n"
                               "  relationMode = \"prisma\"\n"
                               "}\n"
                               "model A {\n"
                               "  id Int @id\n"
                               "  bs B[]\n"
                               "}\n"
                               "model B {\n"
                               "  id  Int @id\n"
                               "  aId Int\n"
                               "  a   A   @relation(fields: [aId], references: [id], onDelete:"
                               " NoAction)\n"
                               "  @@index([aId])\n"
                               "}\n";
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_int_equal(rorm_prisma_load_string(&s, text, strlen(text), NULL, NULL, &err),
                     RORM_ESCHEMA);
    assert_contains(err.message, "`NoAction` is not implemented for Postgres when using "
                                 "`relationMode = \"prisma\"`");
    /* The older spelling, with Prisma's deprecation warning. */
    static const char old_spelling[] = "datasource db {\n"
                                       "  provider             = \"mysql\"\n"
                                       "  url                  = \"mysql://x\"\n"
                                       "  referentialIntegrity = \"prisma\"\n"
                                       "}\n"
                                       "model A {\n"
                                       "  id Int @id\n"
                                       "}\n";
    rorm_diagnostics *d = NULL;
    assert_rorm_ok(rorm_diagnostics_new(&d, &err), &err);
    assert_rorm_ok(rorm_prisma_load_string(&s, old_spelling, strlen(old_spelling), NULL, d, &err),
                   &err);
    assert_int_equal(rorm_schema_relation_mode(s), RORM_RELATION_MODE_PRISMA);
    assert_int_equal(rorm_diagnostics_count(d), 1);
    assert_contains(rorm_diagnostics_at(d, 0)->message,
                    "`referentialIntegrity` attribute is deprecated");
    rorm_diagnostics_free(d);
    rorm_schema_release(s);
}

/* Out of memory: allocation 1, 2, 3 ... of an emulated cascade, SetNull, join-row delete, key
   update and refusal fails in turn; each failure is a clean RORM_ENOMEM (LeakSanitizer checks
   nothing leaks in the sanitizer build). SQLite in memory only: the loop opens a database per
   allocation. */
static bool rm_oom_scenario(size_t fail_after)
{
    static const char *const calls[][3] = {
        { "User", "update", "{\"where\": {\"id\": 1}, \"data\": {\"id\": 5}}" },
        { "Profile", "create", "{\"data\": {\"id\": 1, \"userId\": 2}}" },
        { "User", "deleteMany", "{\"where\": {\"id\": 2}}" },
        { "Profile", "delete", "{\"where\": {\"id\": 1}}" },
        { "User", "delete", "{\"where\": {\"id\": 2}, \"include\": {\"posts\": true}}" },
        { "User", "deleteMany", "{}" },
    };
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    rorm_schema *schema = NULL;
    int rc = rorm_db_open(&db, "sqlite://:memory:", &err);
    if (rc == RORM_OK) {
        rc = rorm_prisma_load_string(&schema, rm_schema, strlen(rm_schema), NULL, NULL, &err);
    }
    if (rc == RORM_OK) {
        rc = rorm_db_register(db, schema, &err);
    }
    if (rc == RORM_OK) {
        rc = rorm_db_ensure_schema(db, &err);
    }
    if (rc == RORM_OK) {
        rm_seed(db);
        rorm__alloc_fail_after(fail_after);
    }
    for (size_t i = 0; rc == RORM_OK && i < RORM_COUNT(calls); i++) {
        char *json = NULL;
        rc = rorm_db_call_json(&json, db, calls[i][0], calls[i][1], calls[i][2], &err);
        rorm_free(json);
        if (i == 2 && rc == RORM_ECONSTRAINT) {
            rc = RORM_OK; /* the refusal is part of the scenario */
        }
        if (rc != RORM_OK && rc != RORM_ENOMEM) {
            rorm__alloc_fail_after(0);
            fail_msg("%s.%s: %s (%s)", calls[i][0], calls[i][1], rorm_code_name(rc), err.message);
        }
    }
    rorm__alloc_fail_after(0);
    if (rc == RORM_ENOMEM) {
        assert_int_equal(err.code, RORM_ENOMEM);
    }
    rorm_schema_release(schema);
    rorm_db_close(db);
    return rc == RORM_OK;
}

static void test_pc_relation_mode__out_of_memory(void **state)
{
    (void)state;
    if (rorm_test_target_of() != RORM_TARGET_SQLITE_MEMORY) {
        skip();
    }
    size_t n = 1;
    for (; n < 100000; n++) {
        if (rm_oom_scenario(n)) {
            break;
        }
    }
    print_message("completed once %zu allocations could succeed\n", n - 1);
    assert_true(n < 100000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_relation_mode__no_foreign_keys),
        cmocka_unit_test(test_pc_relation_mode__delete_cascade_set_null_join),
        cmocka_unit_test(test_pc_relation_mode__restrict_and_no_action),
        cmocka_unit_test(test_pc_relation_mode__update_keys),
        cmocka_unit_test(test_pc_relation_mode__deep_cascade_and_cycles),
        cmocka_unit_test(test_pc_relation_mode__nested),
        cmocka_unit_test(test_pc_relation_mode__native_set_default),
        cmocka_unit_test(test_pc_relation_mode__validation),
        cmocka_unit_test(test_pc_relation_mode__out_of_memory),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
