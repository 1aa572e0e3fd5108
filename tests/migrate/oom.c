/*
 * Out of memory through the migration engine: allocation 1, 2, 3, ... of a scenario (create,
 * alter, a SQLite rebuild, describe, status, file generation and apply) fails in turn until
 * the scenario completes. Every failure must be a clean RORM_ENOMEM, and nothing may leak
 * (LeakSanitizer in the sanitizer build). The scenario runs on an in-memory SQLite database on
 * every target: it tests the engine's allocations, not a server's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"
#include "util/alloc.h"

#define STEP(call)                                                            \
    do {                                                                      \
        int rc_ = (call);                                                     \
        if (rc_ == RORM_ENOMEM) {                                             \
            assert_int_equal(err.code, RORM_ENOMEM);                          \
            goto done;                                                        \
        }                                                                     \
        if (rc_ != RORM_OK) {                                                 \
            fail_msg("%s: %s (%s)", #call, rorm_code_name(rc_), err.message); \
        }                                                                     \
    } while (0)

static const char v1[] =
    "datasource db {\n  provider = \"sqlite\"\n  url = \"x\"\n}\n"
    "model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n"
    "  age Int?\n  posts Post[]\n}\n"
    "model Post {\n  id Int @id @default(autoincrement())\n  authorId Int\n"
    "  author User @relation(fields: [authorId], references: [id])\n}\n";
static const char v2[] =
    "datasource db {\n  provider = \"sqlite\"\n  url = \"x\"\n}\n"
    "model User {\n  id Int @id @default(autoincrement())\n  email String @unique\n"
    "  name String @default(\"x\")\n  posts Post[]\n  @@index([name])\n}\n"
    "model Post {\n  id Int @id @default(autoincrement())\n  authorId Int\n"
    "  author User @relation(fields: [authorId], references: [id])\n}\n";

static const char *dir;

static bool scenario(void)
{
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    rorm_schema *s1 = NULL, *s2 = NULL;
    rorm_migrate_plan *plan = NULL;
    rorm_rows *rows = NULL;
    char *text = NULL, *path = NULL;
    bool completed = false;
    rorm_migrate_options force = RORM_MIGRATE_OPTIONS_INIT;
    force.force = true;

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);

    STEP(rorm_db_open(&db, "sqlite://:memory:", &err));
    STEP(rorm_prisma_load_string(&s1, v1, strlen(v1), NULL, NULL, &err));
    STEP(rorm_prisma_load_string(&s2, v2, strlen(v2), NULL, NULL, &err));
    STEP(rorm_migrate_generate(&path, db, s1, dir, "init", NULL, &err));
    STEP(rorm_migrate_apply_dir(NULL, db, dir, &err));
    STEP(rorm_db_execute_raw(db, "INSERT INTO \"User\" (\"email\", \"age\") VALUES ('a', 1)", NULL,
                             0, NULL, &err));
    STEP(rorm_migrate_plan_schema(&plan, db, s2, &force, &err));
    STEP(rorm_migrate_apply(db, plan, &force, &err));
    STEP(rorm_migrate_describe(&text, db, &err));
    STEP(rorm_migrate_status(&rows, db, &err));
    assert_int_equal(rorm_rows_count(rows), 2);
    rorm_free(text);
    text = NULL;
    STEP(rorm_migrate_status_dir(&text, db, dir, &err));
    rorm_free(text);
    text = NULL;
    STEP(rorm_migrate_pull(&text, db, &err));
    completed = true;

done:
    rorm_free(text);
    rorm_free(path);
    rorm_rows_free(rows);
    rorm_migrate_plan_free(plan);
    rorm_schema_release(s1);
    rorm_schema_release(s2);
    rorm_db_close(db);
    return completed;
}

static void test_migrate_oom__every_allocation_can_fail(void **state)
{
    (void)state;
    static char path[256];
    snprintf(path, sizeof path, "tmp/oom-%s", rorm_test_target_name());
    dir = path;
    size_t n = rorm_test_alloc_loop(scenario, 200000);
    print_message("the scenario completed once %zu allocations could succeed\n", n - 1);
    assert_true(n > 50);
    assert_true(n < 200000);
    assert_true(scenario());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_oom__every_allocation_can_fail),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
