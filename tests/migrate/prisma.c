/*
 * Databases made by Prisma's own migrations (its table, constraint and index names, `_AToB`
 * join tables, its column types and defaults) are recognised as up to date: the plan is empty.
 * And a fresh database gets the same shape from the engine, join tables included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"

static const char schema_text[] =
    "datasource db {\n  provider = \"%s\"\n  url = \"x\"\n}\n"
    "enum Role {\n  USER\n  ADMIN\n}\n"
    "model User {\n"
    "  id        Int      @id @default(autoincrement())\n"
    "  email     String   @unique\n"
    "  name      String?\n"
    "  role      Role     @default(USER)\n"
    "  createdAt DateTime @default(now())\n"
    "  posts     Post[]\n"
    "}\n"
    "model Post {\n"
    "  id       Int    @id @default(autoincrement())\n"
    "  title    String\n"
    "  views    Int    @default(0)\n"
    "  authorId Int\n"
    "  author   User   @relation(fields: [authorId], references: [id])\n"
    "  tags     Tag[]\n"
    "  @@index([authorId])\n"
    "}\n"
    "model Tag {\n"
    "  id    Int    @id @default(autoincrement())\n"
    "  name  String @unique\n"
    "  posts Post[]\n"
    "}\n";

/* What `prisma migrate` writes for the schema above, per database. */
static const char *const sqlite_ddl[] = {
    "CREATE TABLE \"User\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \"email\" TEXT NOT "
    "NULL, \"name\" TEXT, \"role\" TEXT NOT NULL DEFAULT 'USER', \"createdAt\" DATETIME NOT NULL "
    "DEFAULT CURRENT_TIMESTAMP)",
    "CREATE TABLE \"Post\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \"title\" TEXT NOT "
    "NULL, \"views\" INTEGER NOT NULL DEFAULT 0, \"authorId\" INTEGER NOT NULL, CONSTRAINT "
    "\"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\" (\"id\") ON DELETE "
    "RESTRICT ON UPDATE CASCADE)",
    "CREATE TABLE \"Tag\" (\"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \"name\" TEXT NOT "
    "NULL)",
    "CREATE TABLE \"_PostToTag\" (\"A\" INTEGER NOT NULL, \"B\" INTEGER NOT NULL, CONSTRAINT "
    "\"_PostToTag_A_fkey\" FOREIGN KEY (\"A\") REFERENCES \"Post\" (\"id\") ON DELETE CASCADE ON "
    "UPDATE CASCADE, CONSTRAINT \"_PostToTag_B_fkey\" FOREIGN KEY (\"B\") REFERENCES \"Tag\" "
    "(\"id\") ON DELETE CASCADE ON UPDATE CASCADE)",
    "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\")",
    "CREATE INDEX \"Post_authorId_idx\" ON \"Post\"(\"authorId\")",
    "CREATE UNIQUE INDEX \"Tag_name_key\" ON \"Tag\"(\"name\")",
    "CREATE UNIQUE INDEX \"_PostToTag_AB_unique\" ON \"_PostToTag\"(\"A\", \"B\")",
    "CREATE INDEX \"_PostToTag_B_index\" ON \"_PostToTag\"(\"B\")",
    NULL,
};

static const char *const postgres_ddl[] = {
    "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN')",
    "CREATE TABLE \"User\" (\"id\" SERIAL NOT NULL, \"email\" TEXT NOT NULL, \"name\" TEXT, "
    "\"role\" \"Role\" NOT NULL DEFAULT 'USER', \"createdAt\" TIMESTAMP(3) NOT NULL DEFAULT "
    "CURRENT_TIMESTAMP, CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\"))",
    "CREATE TABLE \"Post\" (\"id\" SERIAL NOT NULL, \"title\" TEXT NOT NULL, \"views\" INTEGER NOT "
    "NULL DEFAULT 0, \"authorId\" INTEGER NOT NULL, CONSTRAINT \"Post_pkey\" PRIMARY KEY (\"id\"))",
    "CREATE TABLE \"Tag\" (\"id\" SERIAL NOT NULL, \"name\" TEXT NOT NULL, CONSTRAINT "
    "\"Tag_pkey\" PRIMARY KEY (\"id\"))",
    "CREATE TABLE \"_PostToTag\" (\"A\" INTEGER NOT NULL, \"B\" INTEGER NOT NULL, CONSTRAINT "
    "\"_PostToTag_AB_pkey\" PRIMARY KEY (\"A\",\"B\"))",
    "CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\")",
    "CREATE INDEX \"Post_authorId_idx\" ON \"Post\"(\"authorId\")",
    "CREATE UNIQUE INDEX \"Tag_name_key\" ON \"Tag\"(\"name\")",
    "CREATE INDEX \"_PostToTag_B_index\" ON \"_PostToTag\"(\"B\")",
    "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") "
    "REFERENCES \"User\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE \"_PostToTag\" ADD CONSTRAINT \"_PostToTag_A_fkey\" FOREIGN KEY (\"A\") "
    "REFERENCES \"Post\"(\"id\") ON DELETE CASCADE ON UPDATE CASCADE",
    "ALTER TABLE \"_PostToTag\" ADD CONSTRAINT \"_PostToTag_B_fkey\" FOREIGN KEY (\"B\") "
    "REFERENCES \"Tag\"(\"id\") ON DELETE CASCADE ON UPDATE CASCADE",
    NULL,
};

static const char *const mysql_ddl[] = {
    "CREATE TABLE `User` (`id` INTEGER NOT NULL AUTO_INCREMENT, `email` VARCHAR(191) NOT NULL, "
    "`name` VARCHAR(191) NULL, `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER', `createdAt` "
    "DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX `User_email_key`(`email`), "
    "PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
    "CREATE TABLE `Post` (`id` INTEGER NOT NULL AUTO_INCREMENT, `title` VARCHAR(191) NOT NULL, "
    "`views` INTEGER NOT NULL DEFAULT 0, `authorId` INTEGER NOT NULL, INDEX "
    "`Post_authorId_idx`(`authorId`), PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE "
    "utf8mb4_unicode_ci",
    "CREATE TABLE `Tag` (`id` INTEGER NOT NULL AUTO_INCREMENT, `name` VARCHAR(191) NOT NULL, "
    "UNIQUE INDEX `Tag_name_key`(`name`), PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 "
    "COLLATE utf8mb4_unicode_ci",
    "CREATE TABLE `_PostToTag` (`A` INTEGER NOT NULL, `B` INTEGER NOT NULL, UNIQUE INDEX "
    "`_PostToTag_AB_unique`(`A`, `B`), INDEX `_PostToTag_B_index`(`B`)) DEFAULT CHARACTER SET "
    "utf8mb4 COLLATE utf8mb4_unicode_ci",
    "ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES "
    "`User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
    "ALTER TABLE `_PostToTag` ADD CONSTRAINT `_PostToTag_A_fkey` FOREIGN KEY (`A`) REFERENCES "
    "`Post`(`id`) ON DELETE CASCADE ON UPDATE CASCADE",
    "ALTER TABLE `_PostToTag` ADD CONSTRAINT `_PostToTag_B_fkey` FOREIGN KEY (`B`) REFERENCES "
    "`Tag`(`id`) ON DELETE CASCADE ON UPDATE CASCADE",
    NULL,
};

static rorm_schema *load(void)
{
    static const char *const providers[] = { "sqlite", "sqlite", "postgresql", "mysql" };
    char text[4096];
    snprintf(text, sizeof text, schema_text, providers[rorm_test_target_of()]);
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_prisma_load_string(&s, text, strlen(text), NULL, NULL, &err), &err);
    return s;
}

static void assert_empty_plan(rorm_db *db, rorm_schema *s)
{
    rorm_error err = { 0 };
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, NULL, &err), &err);
    for (size_t i = 0; i < rorm_migrate_plan_count(plan); i++) {
        fprintf(stderr, "unexpected step: %s\n%s\n", rorm_migrate_plan_description(plan, i),
                rorm_migrate_plan_sql(plan, i));
    }
    if (rorm_migrate_plan_count(plan) != 0) {
        char *text = NULL;
        rorm_migrate_describe(&text, db, &err);
        fprintf(stderr, "%s", text ? text : "");
        rorm_free(text);
    }
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
}

/* `pull` writes a schema that, loaded back, plans empty against the same database. */
static void assert_pull_round_trip(rorm_db *db)
{
    rorm_error err = { 0 };
    char *text = NULL;
    assert_rorm_ok(rorm_migrate_pull(&text, db, &err), &err);
    rorm_schema *pulled = NULL;
    rorm_diagnostics *diags = NULL;
    assert_rorm_ok(rorm_diagnostics_new(&diags, &err), &err);
    int rc = rorm_prisma_load_string(&pulled, text, strlen(text), "pulled.prisma", diags, &err);
    if (rc != RORM_OK) {
        rorm_diagnostics_print(diags, stderr);
        fprintf(stderr, "%s", text);
        fail_msg("the pulled schema does not load: %s", err.message);
    }
    rorm_diagnostics_free(diags);
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, pulled, NULL, &err), &err);
    if (rorm_migrate_plan_count(plan) != 0) {
        fprintf(stderr, "%s", text);
        for (size_t i = 0; i < rorm_migrate_plan_count(plan); i++) {
            fprintf(stderr, "unexpected step: %s\n%s\n", rorm_migrate_plan_description(plan, i),
                    rorm_migrate_plan_sql(plan, i));
        }
    }
    assert_int_equal(rorm_migrate_plan_count(plan), 0);
    rorm_migrate_plan_free(plan);
    rorm_schema_release(pulled);
    rorm_free(text);
}

static void exec(rorm_db *db, const char *sql)
{
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_execute_raw(db, sql, NULL, 0, NULL, &err), &err);
}

static void test_migrate_prisma__prisma_made_database_is_up_to_date(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    const char *const *ddl = rorm_test_target_of() == RORM_TARGET_POSTGRES ? postgres_ddl
                             : rorm_test_target_of() == RORM_TARGET_MYSQL  ? mysql_ddl
                                                                           : sqlite_ddl;
    for (size_t i = 0; ddl[i]; i++) {
        exec(db, ddl[i]);
    }
    rorm_schema *s = load();
    assert_empty_plan(db, s);
    assert_pull_round_trip(db);
    /* Registered, ensure-schema finds nothing to do either, and the client works on it. */
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_migrate_status(&rows, db, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 0); /* nothing was applied */
    rorm_rows_free(rows);
    rorm_schema_release(s);
    rorm_db_close(db);
}

static void test_migrate_prisma__fresh_database_gets_join_tables(void **state)
{
    (void)state;
    rorm_db *db = rorm_test_open();
    rorm_schema *s = load();
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_register(db, s, &err), &err);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    assert_empty_plan(db, s);
    assert_pull_round_trip(db);
    char *text = NULL;
    assert_rorm_ok(rorm_migrate_describe(&text, db, &err), &err);
    assert_non_null(strstr(text, "table _PostToTag\n"));
    assert_non_null(strstr(text, "  index _PostToTag_B_index (B)\n"));
    assert_non_null(strstr(text, " (A) references Post (id) on delete CASCADE on update CASCADE"));
    rorm_free(text);
    /* The record API fills createdAt (now() is made by the library). */
    rorm_member user[] = { { "email", RORM_TEXT("a@x") } };
    rorm_member post[] = { { "title", RORM_TEXT("p") }, { "authorId", RORM_INT(1) } };
    rorm_member tag[] = { { "name", RORM_TEXT("t") } };
    assert_rorm_ok(rorm_db_insert(db, "User", &RORM_OBJECT(user), NULL, &err), &err);
    assert_rorm_ok(rorm_db_insert(db, "Post", &RORM_OBJECT(post), NULL, &err), &err);
    assert_rorm_ok(rorm_db_insert(db, "Tag", &RORM_OBJECT(tag), NULL, &err), &err);
    exec(db, rorm_test_sql("INSERT INTO \"_PostToTag\" (\"A\", \"B\") VALUES (1, 1)"));
    assert_int_equal(rorm_db_execute_raw(
                         db,
                         rorm_test_sql("INSERT INTO \"_PostToTag\" (\"A\", \"B\") VALUES (1, 1)"),
                         NULL, 0, NULL, &err),
                     RORM_ECONSTRAINT);
    /* Deleting the post cascades into the join table. */
    exec(db, rorm_test_sql("DELETE FROM \"Post\""));
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, rorm_test_sql("SELECT \"A\" FROM \"_PostToTag\""),
                                     NULL, 0, &err),
                   &err);
    assert_int_equal(rorm_rows_count(rows), 0);
    rorm_rows_free(rows);
    rorm_schema_release(s);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_prisma__prisma_made_database_is_up_to_date),
        cmocka_unit_test(test_migrate_prisma__fresh_database_gets_join_tables),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
