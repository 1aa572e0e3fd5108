/*
 * File-based migrations on every database: generate, apply in order, status (applied, pending,
 * modified, drift), rollback of the last one (and refusal when a step cannot be undone), reset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/harness.h"

static const char v1[] = "model User {\n  id Int @id @default(autoincrement())\n"
                         "  email String @unique\n  age Int?\n}\n";
static const char v2[] = "model User {\n  id Int @id @default(autoincrement())\n"
                         "  email String @unique\n  age Int?\n  bio String?\n"
                         "  @@index([age])\n}\n"
                         "model Note {\n  id Int @id @default(autoincrement())\n"
                         "  text String\n}\n";
static const char v3[] = "model User {\n  id Int @id @default(autoincrement())\n"
                         "  email String @unique\n  bio String?\n}\n"
                         "model Note {\n  id Int @id @default(autoincrement())\n"
                         "  text String\n}\n";

static rorm_schema *load(const char *models)
{
    static const char *const providers[] = { "sqlite", "sqlite", "postgresql", "mysql" };
    char text[2048];
    snprintf(text, sizeof text, "datasource db {\n  provider = \"%s\"\n  url = \"x\"\n}\n%s",
             providers[rorm_test_target_of()], models);
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_prisma_load_string(&s, text, strlen(text), NULL, NULL, &err), &err);
    return s;
}

static const char *migrations_dir(void)
{
    static char dir[256];
    snprintf(dir, sizeof dir, "tmp/migrations-%s", rorm_test_target_name());
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return dir;
}

static char *generate(rorm_db *db, const char *models, const char *dir, const char *name)
{
    rorm_error err = { 0 };
    rorm_schema *s = load(models);
    char *path = NULL;
    assert_rorm_ok(rorm_migrate_generate(&path, db, s, dir, name, NULL, &err), &err);
    rorm_schema_release(s);
    return path;
}

static char *status(rorm_db *db, const char *dir)
{
    rorm_error err = { 0 };
    char *text = NULL;
    assert_rorm_ok(rorm_migrate_status_dir(&text, db, dir, &err), &err);
    return text;
}

static size_t apply(rorm_db *db, const char *dir)
{
    rorm_error err = { 0 };
    size_t n = 0;
    assert_rorm_ok(rorm_migrate_apply_dir(&n, db, dir, &err), &err);
    return n;
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static bool has_column(rorm_db *db, const char *needle)
{
    rorm_error err = { 0 };
    char *text = NULL;
    assert_rorm_ok(rorm_migrate_describe(&text, db, &err), &err);
    bool found = strstr(text, needle) != NULL;
    rorm_free(text);
    return found;
}

static void test_migrate_files__generate_apply_status_rollback_reset(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    rorm_error err = { 0 };
    const char *dir = migrations_dir();

    char *init = generate(db, v1, dir, "init");
    assert_non_null(init);
    char path[512];
    snprintf(path, sizeof path, "%s/migration.sql", init);
    assert_non_null(strstr(read_all(path), "CREATE TABLE"));
    snprintf(path, sizeof path, "%s/down.sql", init);
    assert_non_null(strstr(read_all(path), "DROP TABLE"));
    /* Generating changes nothing in the database: the migration is pending. */
    char *text = status(db, dir);
    assert_non_null(strstr(text, "pending "));
    rorm_free(text);
    assert_int_equal(apply(db, dir), 1);
    assert_int_equal(apply(db, dir), 0);
    assert_rorm_ok(rorm_db_execute_raw(db,
                                       rorm_test_sql("INSERT INTO \"User\" (\"email\", \"age\") "
                                                     "VALUES ('a@x', 3)"),
                                       NULL, 0, NULL, &err),
                   &err);

    char *second = generate(db, v2, dir, "notes");
    assert_non_null(second);
    assert_true(strcmp(strrchr(second, '/'), strrchr(init, '/')) > 0); /* sorts after init */
    text = status(db, dir);
    assert_non_null(strstr(text, "applied "));
    assert_non_null(strstr(text, "pending "));
    rorm_free(text);
    assert_int_equal(apply(db, dir), 1);
    assert_true(has_column(db, "  column bio "));
    assert_true(has_column(db, "table Note\n"));

    /* Registered, the schema has no drift against the files. */
    rorm_schema *s2 = load(v2);
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s2, NULL, &err), &err);
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
    rorm_schema_release(s2);

    /* An applied file edited afterwards is reported and blocks applying. */
    snprintf(path, sizeof path, "%s/migration.sql", init);
    FILE *fp = fopen(path, "ab");
    assert_non_null(fp);
    fputs("-- edited\n", fp);
    fclose(fp);
    text = status(db, dir);
    assert_non_null(strstr(text, "modified "));
    rorm_free(text);
    size_t n = 0;
    assert_int_equal(rorm_migrate_apply_dir(&n, db, dir, &err), RORM_ESTATE);
    assert_non_null(strstr(err.message, "was modified after it was applied"));
    /* Put it back (drop the added line). */
    char *content = read_all(path);
    content[strlen(content) - strlen("-- edited\n")] = '\0';
    fp = fopen(path, "wb");
    fputs(content, fp);
    fclose(fp);

    /* Roll back the last one: Note and bio go, the row stays. */
    char *name = NULL;
    assert_rorm_ok(rorm_migrate_rollback(&name, db, dir, &err), &err);
    assert_non_null(strstr(second, name));
    rorm_free(name);
    assert_false(has_column(db, "  column bio "));
    assert_false(has_column(db, "table Note\n"));
    text = status(db, dir);
    assert_non_null(strstr(text, "pending "));
    rorm_free(text);
    assert_int_equal(apply(db, dir), 1);
    assert_true(has_column(db, "  column bio "));

    /* Dropping a column cannot be undone: the rollback says so and changes nothing. */
    rorm_migrate_options force = RORM_MIGRATE_OPTIONS_INIT;
    force.force = true;
    rorm_schema *s3 = load(v3);
    char *third = NULL;
    assert_rorm_ok(rorm_migrate_generate(&third, db, s3, dir, "drop_age", &force, &err), &err);
    rorm_schema_release(s3);
    assert_non_null(third);
    assert_int_equal(apply(db, dir), 1);
    assert_false(has_column(db, "  column age "));
    assert_int_equal(rorm_migrate_rollback(NULL, db, dir, &err), RORM_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "cannot be rolled back"));

    /* Reset: everything dropped and applied again; the rows are gone. */
    assert_rorm_ok(rorm_migrate_reset(db, dir, &err), &err);
    text = status(db, dir);
    assert_null(strstr(text, "pending "));
    rorm_free(text);
    rorm_rows *rows = NULL;
    assert_rorm_ok(
        rorm_db_query_raw(&rows, db, rorm_test_sql("SELECT \"id\" FROM \"User\""), NULL, 0, &err),
        &err);
    assert_int_equal(rorm_rows_count(rows), 0);
    rorm_rows_free(rows);
    assert_rorm_ok(rorm_migrate_status(&rows, db, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 3);
    rorm_rows_free(rows);

    rorm_free(init);
    rorm_free(second);
    rorm_free(third);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_files__generate_apply_status_rollback_reset),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
