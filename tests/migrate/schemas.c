/*
 * Several PostgreSQL schemas (Prisma's `schemas = [...]` and `@@schema`): migrations create the
 * schemas and the tables in them (the same table name in two schemas, a relation and an
 * implicit many-to-many across schemas, an enum in a schema that is not the current one), the
 * plan is empty after applying, and queries name every table with its schema. SQLite and MySQL
 * refuse `schemas` when the schema loads, and a native schema placing a model in a database
 * schema is refused by the migration engine there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"
#include "util/alloc.h"

/* Schema names unique to this test: database schemas are shared by the whole server. */
static const char schema_text[] =
    "datasource db {\n"
    "  provider = \"%s\"\n"
    "  url      = \"x\"\n"
    "  schemas  = [\"rorm_ms_auth\", \"rorm_ms_app\"]\n"
    "}\n"
    "enum Role {\n  USER\n  ADMIN\n  @@schema(\"rorm_ms_auth\")\n}\n"
    "model User {\n"
    "  id    Int    @id @default(autoincrement())\n"
    "  email String @unique\n"
    "  role  Role   @default(USER)\n"
    "  posts Post[]\n"
    "  tags  Tag[]\n"
    "  @@map(\"items\")\n"
    "  @@schema(\"rorm_ms_auth\")\n"
    "}\n"
    "model Item {\n"
    "  id   Int    @id @default(autoincrement())\n"
    "  name String\n"
    "  @@map(\"items\")\n"
    "  @@schema(\"rorm_ms_app\")\n"
    "}\n"
    "model Post {\n"
    "  id       Int    @id @default(autoincrement())\n"
    "  title    String\n"
    "  authorId Int\n"
    "  author   User   @relation(fields: [authorId], references: [id])\n"
    "  @@schema(\"rorm_ms_app\")\n"
    "}\n"
    "model Tag {\n"
    "  id    Int    @id @default(autoincrement())\n"
    "  name  String @unique\n"
    "  users User[]\n"
    "  @@schema(\"rorm_ms_app\")\n"
    "}\n";

static bool postgres(void)
{
    return rorm_test_target_of() == RORM_TARGET_POSTGRES;
}

static int load(rorm_schema **out, const char *provider, rorm_error *err)
{
    char text[4096];
    snprintf(text, sizeof text, schema_text, provider);
    return rorm_prisma_load_string(out, text, strlen(text), NULL, NULL, err);
}

static void exec(rorm_db *db, const char *sql)
{
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_execute_raw(db, sql, NULL, 0, NULL, &err), &err);
}

static size_t plan_count(rorm_db *db, rorm_schema *s)
{
    rorm_error err = { 0 };
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, NULL, &err), &err);
    size_t n = rorm_migrate_plan_count(plan);
    for (size_t i = 0; i < n; i++) {
        fprintf(stderr, "step: %s\n%s\n", rorm_migrate_plan_description(plan, i),
                rorm_migrate_plan_sql(plan, i));
    }
    rorm_migrate_plan_free(plan);
    return n;
}

static char *call(rorm_db *db, const char *model, const char *op, const char *args)
{
    rorm_error err = { 0 };
    char *json = NULL;
    assert_rorm_ok(rorm_db_call_json(&json, db, model, op, args, &err), &err);
    return json;
}

static void
expect(rorm_db *db, const char *model, const char *op, const char *args, const char *want)
{
    char *json = call(db, model, op, args);
    if (strcmp(json, want) != 0) {
        fail_msg("%s.%s(%s) = %s, want %s", model, op, args, json, want);
    }
    rorm_free(json);
}

static int64_t count_sql(rorm_db *db, const char *sql)
{
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, sql, NULL, 0, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    int64_t n = rorm_value_as_int(rorm_rows_get(rows, 0, 0), -1);
    rorm_rows_free(rows);
    return n;
}

static void drop_schemas(rorm_db *db)
{
    exec(db, "DROP SCHEMA IF EXISTS rorm_ms_auth CASCADE");
    exec(db, "DROP SCHEMA IF EXISTS rorm_ms_app CASCADE");
}

/* A fresh database without the two schemas, and the Prisma schema loaded: PostgreSQL only,
   the test is skipped elsewhere. */
static rorm_db *start(rorm_schema **s)
{
    if (!postgres()) {
        skip();
    }
    rorm_db *db = rorm_test_open();
    drop_schemas(db);
    rorm_error err = { 0 };
    assert_rorm_ok(load(s, "postgresql", &err), &err);
    return db;
}

/* As start, with the schema migrated. */
static rorm_db *migrated(rorm_schema **s)
{
    rorm_db *db = start(s);
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_migrate_schema(db, *s, NULL, &err), &err);
    return db;
}

static void finish(rorm_db *db, rorm_schema *s)
{
    rorm_schema_release(s);
    drop_schemas(db);
    rorm_db_close(db);
}

static void test_migrate_schemas__migrate_query_and_plan_empty(void **state)
{
    (void)state;
    rorm_schema *s = NULL;
    rorm_db *db = start(&s);
    rorm_error err = { 0 };

    /* The plan creates both schemas before anything in them. */
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, NULL, &err), &err);
    assert_true(rorm_migrate_plan_count(plan) > 2);
    assert_string_equal(rorm_migrate_plan_sql(plan, 0),
                        "CREATE SCHEMA IF NOT EXISTS \"rorm_ms_auth\"");
    assert_string_equal(rorm_migrate_plan_sql(plan, 1),
                        "CREATE SCHEMA IF NOT EXISTS \"rorm_ms_app\"");
    assert_rorm_ok(rorm_migrate_apply(db, plan, NULL, &err), &err);
    rorm_migrate_plan_free(plan);
    assert_int_equal(plan_count(db, s), 0);

    /* Each table is where its @@schema puts it; the join table is in the schema of Tag (the
       model whose name sorts first), as Prisma places it; the enum type is in auth. */
    assert_int_equal(count_sql(db, "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE "
                                   "schemaname = 'rorm_ms_auth' AND tablename = 'items'"),
                     1);
    assert_int_equal(count_sql(db, "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE "
                                   "schemaname = 'rorm_ms_app' AND tablename IN "
                                   "('items', 'Post', 'Tag', '_TagToUser')"),
                     4);
    assert_int_equal(count_sql(db, "SELECT COUNT(*) FROM pg_catalog.pg_type t JOIN "
                                   "pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE "
                                   "n.nspname = 'rorm_ms_auth' AND t.typname = 'Role'"),
                     1);

    /* CRUD and includes across schemas through rorm_db_call. */
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    expect(db, "User", "create", "{\"data\": {\"email\": \"a@x\", \"role\": \"ADMIN\"}}",
           "{\"id\":1,\"email\":\"a@x\",\"role\":\"ADMIN\"}");
    expect(db, "Item", "create", "{\"data\": {\"name\": \"widget\"}}",
           "{\"id\":1,\"name\":\"widget\"}");
    expect(db, "Post", "create",
           "{\"data\": {\"title\": \"hello\", \"author\": {\"connect\": {\"id\": 1}}}}",
           "{\"id\":1,\"title\":\"hello\",\"authorId\":1}");
    expect(db, "Tag", "create",
           "{\"data\": {\"name\": \"t1\", \"users\": {\"connect\": [{\"id\": 1}]}}}",
           "{\"id\":1,\"name\":\"t1\"}");
    expect(db, "User", "findMany",
           "{\"include\": {\"posts\": true, \"tags\": true, \"_count\": {\"select\": "
           "{\"posts\": true}}}}",
           "[{\"id\":1,\"email\":\"a@x\",\"role\":\"ADMIN\",\"posts\":[{\"id\":1,\"title\":"
           "\"hello\",\"authorId\":1}],\"tags\":[{\"id\":1,\"name\":\"t1\"}],\"_count\":{\"posts\":"
           "1}}]");
    expect(db, "Post", "findMany",
           "{\"where\": {\"author\": {\"is\": {\"role\": \"ADMIN\"}}}, \"include\": {\"author\": "
           "true}}",
           "[{\"id\":1,\"title\":\"hello\",\"authorId\":1,\"author\":{\"id\":1,\"email\":\"a@x\","
           "\"role\":\"ADMIN\"}}]");
    expect(db, "Item", "count", NULL, "1");
    expect(db, "User", "update", "{\"where\": {\"id\": 1}, \"data\": {\"role\": \"USER\"}}",
           "{\"id\":1,\"email\":\"a@x\",\"role\":\"USER\"}");
    /* The two "items" tables are distinct. */
    assert_int_equal(count_sql(db, "SELECT COUNT(*) FROM rorm_ms_auth.items WHERE email = 'a@x'"),
                     1);
    assert_int_equal(count_sql(db, "SELECT COUNT(*) FROM rorm_ms_app.items WHERE name = 'widget'"),
                     1);
    /* The foreign key across schemas holds. */
    char *json = NULL;
    assert_int_equal(rorm_db_call_json(&json, db, "Post", "create",
                                       "{\"data\": {\"title\": \"x\", \"authorId\": 99}}", &err),
                     RORM_ECONSTRAINT);
    rorm_free(json);
    expect(db, "Tag", "update",
           "{\"where\": {\"id\": 1}, \"data\": {\"users\": {\"disconnect\": [{\"id\": 1}]}}}",
           "{\"id\":1,\"name\":\"t1\"}");
    expect(db, "User", "findUnique", "{\"where\": {\"id\": 1}, \"include\": {\"tags\": true}}",
           "{\"id\":1,\"email\":\"a@x\",\"role\":\"USER\",\"tags\":[]}");
    expect(db, "Post", "deleteMany", NULL, "{\"count\":1}");
    expect(db, "User", "delete", "{\"where\": {\"id\": 1}}",
           "{\"id\":1,\"email\":\"a@x\",\"role\":\"USER\"}");

    /* Still nothing to do, with rows in the tables. */
    assert_int_equal(plan_count(db, s), 0);
    finish(db, s);
}

/* A change in one schema is planned there only: a column added to auth.items leaves
   app.items alone. */
static void test_migrate_schemas__change_in_one_schema(void **state)
{
    (void)state;
    rorm_schema *s = NULL;
    rorm_db *db = migrated(&s);
    rorm_error err = { 0 };
    exec(db, "ALTER TABLE rorm_ms_app.items ADD COLUMN extra TEXT");
    exec(db, "INSERT INTO rorm_ms_app.items (name, extra) VALUES ('kept', 'x')");
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, NULL, &err), &err);
    assert_int_equal(rorm_migrate_plan_count(plan), 1);
    assert_string_equal(rorm_migrate_plan_sql(plan, 0),
                        "ALTER TABLE \"rorm_ms_app\".\"items\" DROP COLUMN \"extra\"");
    /* Destructive: refused without force, the row count names the one row. */
    assert_int_equal(rorm_migrate_plan_rows(plan, 0), 1);
    assert_int_equal(rorm_migrate_apply(db, plan, NULL, &err), RORM_ESCHEMA);
    rorm_migrate_plan_free(plan);
    finish(db, s);
}

/* `pull` of the listed schemas writes `schemas` and `@@schema`; loaded back it plans empty. The
   same table name in two schemas is refused (models are named after tables). */
static void test_migrate_schemas__pull_round_trip(void **state)
{
    (void)state;
    rorm_schema *s = NULL;
    rorm_db *db = migrated(&s);
    rorm_error err = { 0 };
    static const char *const names[] = { "rorm_ms_auth", "rorm_ms_app" };
    char *text = NULL;
    assert_int_equal(rorm_migrate_pull_schemas(&text, db, names, 2, &err), RORM_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "\"items\""));
    assert_null(text);
    exec(db, "DROP TABLE rorm_ms_app.items");
    assert_rorm_ok(rorm_migrate_pull_schemas(&text, db, names, 2, &err), &err);
    assert_non_null(strstr(text, "schemas  = [\"rorm_ms_auth\", \"rorm_ms_app\"]"));
    assert_non_null(strstr(text, "@@schema(\"rorm_ms_auth\")"));
    rorm_schema *pulled = NULL;
    rorm_diagnostics *diags = NULL;
    assert_rorm_ok(rorm_diagnostics_new(&diags, &err), &err);
    if (rorm_prisma_load_string(&pulled, text, strlen(text), "pulled.prisma", diags, &err) !=
        RORM_OK) {
        rorm_diagnostics_print(diags, stderr);
        fail_msg("the pulled schema does not load: %s\n%s", err.message, text);
    }
    rorm_diagnostics_free(diags);
    if (plan_count(db, pulled) != 0) {
        fail_msg("the pulled schema plans changes:\n%s", text);
    }
    /* The enum column reads as the enum, the relation across schemas as a relation. */
    assert_non_null(strstr(text, " Role "));
    assert_non_null(strstr(text, "@relation(\"Post_authorId_fkey\""));
    rorm_schema_release(pulled);
    rorm_free(text);
    finish(db, s);
}

/* The native C API: a model and an enum in a database schema, another model in the current
   schema (read as the current schema's name by the plan). */
static void test_migrate_schemas__native_api(void **state)
{
    (void)state;
    if (!postgres()) {
        skip();
    }
    rorm_db *db = rorm_test_open();
    exec(db, "DROP SCHEMA IF EXISTS rorm_ms_native CASCADE");
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    static const char *const moods[] = { "HAPPY", "SAD" };
    assert_rorm_ok(rorm_schema_add_enum(s, "Mood", moods, 2, &err), &err);
    assert_int_equal(rorm_schema_set_enum_schema(s, "Nope", "x", &err), RORM_ENOTFOUND);
    assert_int_equal(rorm_schema_set_enum_schema(s, "Mood", "", &err), RORM_EINVAL);
    assert_rorm_ok(rorm_schema_set_enum_schema(s, "Mood", "rorm_ms_native", &err), &err);
    rorm_field_def id = { .name = "id",
                          .type = RORM_FIELD_INT,
                          .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT };
    rorm_field_def mood = { .name = "mood", .type = RORM_FIELD_ENUM, .enum_name = "Mood" };
    rorm_field_def text = { .name = "text", .type = RORM_FIELD_STRING };
    rorm_model *thing = NULL, *note = NULL;
    assert_rorm_ok(rorm_schema_new_model(&thing, s, "Thing", &err), &err);
    assert_rorm_ok(rorm_model_add_field(thing, &id, &err), &err);
    assert_rorm_ok(rorm_model_add_field(thing, &mood, &err), &err);
    assert_rorm_ok(rorm_model_set_schema(thing, "rorm_ms_native", &err), &err);
    assert_rorm_ok(rorm_schema_new_model(&note, s, "Note", &err), &err);
    assert_rorm_ok(rorm_model_add_field(note, &id, &err), &err);
    assert_rorm_ok(rorm_model_add_field(note, &text, &err), &err);
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    assert_rorm_ok(rorm_migrate_schema(db, s, NULL, &err), &err);
    assert_int_equal(plan_count(db, s), 0);
    assert_int_equal(count_sql(db, "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE "
                                   "schemaname = 'rorm_ms_native' AND tablename = 'things'"),
                     1);
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    expect(db, "Thing", "create", "{\"data\": {\"mood\": \"SAD\"}}", "{\"id\":1,\"mood\":\"SAD\"}");
    expect(db, "Note", "create", "{\"data\": {\"text\": \"n\"}}", "{\"id\":1,\"text\":\"n\"}");
    expect(db, "Thing", "findMany", "{\"where\": {\"mood\": \"SAD\"}}",
           "[{\"id\":1,\"mood\":\"SAD\"}]");
    rorm_schema_release(s);
    exec(db, "DROP SCHEMA rorm_ms_native CASCADE");
    rorm_db_close(db);
}

/* rorm_db_ensure_schema() (what syncSchemas() calls) makes the schemas and tables too. */
static void test_migrate_schemas__ensure_schema(void **state)
{
    (void)state;
    rorm_schema *s = NULL;
    rorm_db *db = start(&s);
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    assert_int_equal(plan_count(db, s), 0);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    expect(db, "Item", "create", "{\"data\": {\"name\": \"w\"}}", "{\"id\":1,\"name\":\"w\"}");
    assert_int_equal(count_sql(db, "SELECT COUNT(*) FROM rorm_ms_app.items"), 1);
    finish(db, s);
}

/* File-based migrations: generated, applied, and reset empties every registered schema before
   applying the files again. */
static void test_migrate_schemas__files_and_reset(void **state)
{
    (void)state;
    rorm_schema *s = NULL;
    rorm_db *db = start(&s);
    rorm_error err = { 0 };
    assert_int_equal(system("rm -rf tmp/schemas-files"), 0);
    char *path = NULL;
    assert_rorm_ok(rorm_migrate_generate(&path, db, s, "tmp/schemas-files", "init", NULL, &err),
                   &err);
    rorm_free(path);
    size_t applied = 0;
    assert_rorm_ok(rorm_migrate_apply_dir(&applied, db, "tmp/schemas-files", &err), &err);
    assert_int_equal(applied, 1);
    assert_int_equal(plan_count(db, s), 0);
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    expect(db, "Item", "create", "{\"data\": {\"name\": \"w\"}}", "{\"id\":1,\"name\":\"w\"}");
    assert_rorm_ok(rorm_migrate_reset(db, "tmp/schemas-files", &err), &err);
    assert_int_equal(count_sql(db, "SELECT COUNT(*) FROM rorm_ms_app.items"), 0);
    assert_int_equal(plan_count(db, s), 0);
    finish(db, s);
}

/* Fail allocation 1, 2, 3, ... of @p fn until it completes: each failure is a clean RORM_ENOMEM
   (LeakSanitizer checks that nothing leaks in the sanitizer build). */
static void every_allocation_can_fail(rorm_db *db,
                                      rorm_schema *s,
                                      int (*fn)(rorm_db *, rorm_schema *, rorm_error *))
{
    size_t n = 1;
    for (; n < 100000; n++) {
        rorm_error err = { 0 };
        rorm__alloc_fail_after(n);
        int rc = fn(db, s, &err);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            break;
        }
        if (rc != RORM_ENOMEM) {
            fail_msg("allocation %zu failing: %s (%s)", n, rorm_code_name(rc), err.message);
        }
    }
    print_message("completed once %zu allocations could succeed\n", n - 1);
    assert_true(n > 20);
    assert_true(n < 100000);
}

static int plan_once(rorm_db *db, rorm_schema *s, rorm_error *err)
{
    rorm_migrate_plan *plan = NULL;
    int rc = rorm_migrate_plan_schema(&plan, db, s, NULL, err);
    rorm_migrate_plan_free(plan);
    return rc;
}

static int pull_once(rorm_db *db, rorm_schema *s, rorm_error *err)
{
    (void)s;
    static const char *const names[] = { "rorm_ms_auth", "rorm_ms_app" };
    char *text = NULL;
    int rc = rorm_migrate_pull_schemas(&text, db, names, 2, err);
    rorm_free(text);
    return rc == RORM_EUNSUPPORTED ? RORM_OK : rc; /* the same table name in both: refused */
}

/* Out of memory while planning several schemas (fresh: the CREATE SCHEMA steps; migrated:
   reading them) and pulling them. */
static void test_migrate_schemas__out_of_memory(void **state)
{
    (void)state;
    rorm_schema *s = NULL;
    rorm_db *db = start(&s);
    every_allocation_can_fail(db, s, plan_once);
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_migrate_schema(db, s, NULL, &err), &err);
    every_allocation_can_fail(db, s, plan_once);
    every_allocation_can_fail(db, s, pull_once);
    finish(db, s);
}

/* SQLite and MySQL: `schemas` does not load, and a native model in a database schema is refused
   by the migration engine, naming the schema. */
static void test_migrate_schemas__refused_elsewhere(void **state)
{
    (void)state;
    if (postgres()) {
        skip();
    }
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    const char *provider = rorm_test_target_of() == RORM_TARGET_MYSQL ? "mysql" : "sqlite";
    assert_int_equal(load(&s, provider, &err), RORM_ESCHEMA);
    assert_non_null(strstr(err.message, "schemas"));
    assert_null(s);

    rorm_db *db = rorm_test_open();
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    rorm_model *m = NULL;
    assert_rorm_ok(rorm_schema_new_model(&m, s, "Thing", &err), &err);
    rorm_field_def id = { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY };
    assert_rorm_ok(rorm_model_add_field(m, &id, &err), &err);
    assert_int_equal(rorm_model_set_schema(m, "", &err), RORM_EINVAL);
    assert_rorm_ok(rorm_model_set_schema(m, "other", &err), &err);
    assert_string_equal(rorm_model_schema(m), "other");
    assert_rorm_ok(rorm_schema_validate(s, &err), &err);
    rorm_migrate_plan *plan = NULL;
    assert_int_equal(rorm_migrate_plan_schema(&plan, db, s, NULL, &err), RORM_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "\"other\""));
    assert_null(plan);
    static const char *const names[] = { "other" };
    char *text = NULL;
    assert_int_equal(rorm_migrate_pull_schemas(&text, db, names, 1, &err), RORM_EUNSUPPORTED);
    assert_null(text);
    rorm_schema_release(s);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_schemas__migrate_query_and_plan_empty),
        cmocka_unit_test(test_migrate_schemas__change_in_one_schema),
        cmocka_unit_test(test_migrate_schemas__pull_round_trip),
        cmocka_unit_test(test_migrate_schemas__native_api),
        cmocka_unit_test(test_migrate_schemas__ensure_schema),
        cmocka_unit_test(test_migrate_schemas__files_and_reset),
        cmocka_unit_test(test_migrate_schemas__out_of_memory),
        cmocka_unit_test(test_migrate_schemas__refused_elsewhere),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
