/*
 * Quickstart: define a schema in C, open a SQLite database, create the tables, then insert,
 * query, update and delete records through RediORM's C API.
 *
 *     make example                      # runs ./quickstart sqlite://./quickstart.db
 *     ./build/examples/quickstart sqlite://:memory:
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rediorm/rediorm.h>

/* User { id Int @id @default(autoincrement()), email String @unique, name String, age Int?,
 *        createdAt DateTime @default(now()), posts Post[] } */
static const rorm_field_def user_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
    { .name = "name", .type = RORM_FIELD_STRING },
    { .name = "age", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
    { .name = "createdAt", .type = RORM_FIELD_DATETIME, .default_kind = RORM_DEFAULT_NOW },
};
static const rorm_relation_def user_relations[] = {
    { .name = "posts", .kind = RORM_ONE_TO_MANY, .model = "Post" },
};

/* Post { id Int @id @default(autoincrement()), title String, published Boolean @default(false),
 *        authorId Int, author User @relation(fields: [authorId], references: [id]) } */
static const rorm_field_def post_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "title", .type = RORM_FIELD_STRING },
    { .name = "published",
      .type = RORM_FIELD_BOOL,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "false" },
    { .name = "authorId", .type = RORM_FIELD_INT, .flags = RORM_INDEX },
};
static const rorm_relation_def post_relations[] = {
    { .name = "author",
      .kind = RORM_MANY_TO_ONE,
      .model = "User",
      .fields = "authorId",
      .references = "id",
      .on_delete = RORM_ACTION_CASCADE },
};

static const rorm_model_def models[] = {
    { .name = "User",
      .fields = user_fields,
      .nfields = RORM_COUNT(user_fields),
      .relations = user_relations,
      .nrelations = RORM_COUNT(user_relations) },
    { .name = "Post",
      .fields = post_fields,
      .nfields = RORM_COUNT(post_fields),
      .relations = post_relations,
      .nrelations = RORM_COUNT(post_relations) },
};

static void check(int rc, const rorm_error *err, const char *what)
{
    if (rc != RORM_OK) {
        fprintf(stderr, "quickstart: %s failed: %s (%s)\n", what, err->message, rorm_code_name(rc));
        exit(1);
    }
}

static void print_value(const rorm_value *v)
{
    char *json = NULL;
    size_t len = 0;
    if (rorm_value_to_json(&json, &len, v) == RORM_OK) {
        printf("%s", json);
        rorm_free(json);
    }
}

static void print_rows(const rorm_rows *rows)
{
    for (size_t r = 0; r < rorm_rows_count(rows); r++) {
        printf("    {");
        for (size_t c = 0; c < rorm_rows_column_count(rows); c++) {
            printf("%s%s: ", c ? ", " : " ", rorm_rows_column_name(rows, c));
            print_value(rorm_rows_get(rows, r, c));
        }
        printf(" }\n");
    }
}

int main(int argc, char **argv)
{
    const char *url = argc > 1 ? argv[1] : "sqlite://./quickstart.db";
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    rorm_schema *schema = NULL;

    printf("RediORM %s quickstart on %s\n\n", rorm_version(), url);
    check(rorm_db_open(&db, url, &err), &err, "open");

    check(rorm_schema_new(&schema, &err), &err, "schema");
    for (size_t i = 0; i < RORM_COUNT(models); i++) {
        check(rorm_schema_add_model(schema, &models[i], &err), &err, "add model");
    }
    check(rorm_db_register(db, schema, &err), &err, "register");
    check(rorm_db_ensure_schema(db, &err), &err, "ensure schema");
    printf("1. Created tables '%s' and '%s' (model User -> table users, createdAt -> created_at)\n",
           rorm_model_table(rorm_db_model(db, "User")),
           rorm_model_table(rorm_db_model(db, "Post")));

    /* Insert three users and a few posts; the ids come back. */
    static const char *const names[] = { "Alice", "Bob", "Carol" };
    static const char *const emails[] = { "alice@example.com", "bob@example.com",
                                          "carol@example.com" };
    static const int ages[] = { 31, 24, 45 };
    rorm_value ids[3];
    for (int i = 0; i < 3; i++) {
        rorm_member user[] = {
            { "email", RORM_TEXT(emails[i]) },
            { "name", RORM_TEXT(names[i]) },
            { "age", RORM_INT(ages[i]) },
        };
        check(rorm_db_insert(db, "User", &RORM_OBJECT(user), &ids[i], &err), &err, "insert user");
        printf("2. Inserted User %s with id %" PRId64 "\n", names[i], ids[i].u.i);
    }

    /* Writes inside a transaction: all or nothing. */
    rorm_db *tx = NULL;
    check(rorm_db_begin(&tx, db, &err), &err, "begin");
    static const char *const titles[] = { "Hello RediORM", "SQLite tips", "Draft" };
    for (int i = 0; i < 3; i++) {
        rorm_member post[] = {
            { "title", RORM_TEXT(titles[i]) },
            { "published", RORM_BOOL(i < 2) },
            { "authorId", ids[i % 2] },
        };
        check(rorm_db_insert(tx, "Post", &RORM_OBJECT(post), NULL, &err), &err, "insert post");
    }
    check(rorm_db_commit(tx, &err), &err, "commit");
    printf("3. Inserted 3 posts in one transaction\n");

    /* Find by id. */
    rorm_value alice;
    check(rorm_db_find(db, "User", &ids[0], &alice, &err), &err, "find");
    printf("4. Found by id: ");
    print_value(&alice);
    printf("\n");
    rorm_value_dispose(&alice);

    /* A query: users older than 25, by name. */
    rorm_query *q = NULL;
    rorm_rows *rows = NULL;
    check(rorm_query_new(&q, db, "User", &err), &err, "query");
    rorm_query_select(q, "id, name, age");
    rorm_query_where(q, "age", ">", &RORM_INT(25));
    rorm_query_order_by(q, "name", RORM_ASC);
    check(rorm_query_execute(&rows, q, &err), &err, "execute");
    printf("5. Users with age > 25, ordered by name:\n");
    print_rows(rows);
    rorm_rows_free(rows);
    rorm_query_free(q);

    /* Count published posts. */
    int64_t published = 0;
    check(rorm_query_new(&q, db, "Post", &err), &err, "query");
    rorm_query_where(q, "published", "=", &RORM_BOOL(true));
    check(rorm_query_count(&published, q, &err), &err, "count");
    rorm_query_free(q);
    printf("6. Published posts: %" PRId64 "\n", published);

    /* Update and delete by id. */
    rorm_member change[] = { { "name", RORM_TEXT("Robert") }, { "age", RORM_INT(25) } };
    check(rorm_db_update(db, "User", &ids[1], &RORM_OBJECT(change), &err), &err, "update");
    rorm_value bob;
    check(rorm_db_find(db, "User", &ids[1], &bob, &err), &err, "find");
    printf("7. Updated user %" PRId64 ": name is now %s\n", ids[1].u.i,
           rorm_value_as_text(rorm_value_object_get(&bob, "name")));
    rorm_value_dispose(&bob);

    check(rorm_db_delete(db, "User", &ids[2], &err), &err, "delete");
    rorm_value gone;
    int rc = rorm_db_find(db, "User", &ids[2], &gone, &err);
    printf("8. Deleted user %" PRId64 "; finding it again gives %s (%s)\n", ids[2].u.i,
           rorm_code_name(rc), err.message);

    /* Bad input is an error with a message, never a crash. */
    rc = rorm_query_new(&q, db, "Usr", &err);
    printf("9. A typo in a model name: %s\n", err.message);

    rorm_schema_release(schema);
    rorm_db_close(db);
    printf("\nDone.\n");
    return 0;
}
