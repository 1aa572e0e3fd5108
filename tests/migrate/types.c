/*
 * Idempotence over every field type and default: after the engine made the tables, a plan for
 * the same schema is empty on every database (types and defaults read back from the catalogs
 * compare equal to the rendered ones), for the native fixture schema and for a Prisma schema.
 */
#include <stdio.h>
#include <string.h>

#include "conformance/api_fixture.h"

static const char prisma_text[] = "datasource db {\n  provider = \"%s\"\n  url = \"x\"\n}\n"
                                  "enum Mood {\n  HAPPY\n  SAD @map(\"sad\")\n}\n"
                                  "model Every {\n"
                                  "  id     String   @id @default(uuid())\n"
                                  "  s      String   @default(\"it's\")\n"
                                  "  i      Int      @default(-3)\n"
                                  "  big    BigInt   @default(9007199254740993)\n"
                                  "  f      Float    @default(1.5)\n"
                                  "  dec    Decimal  @default(2.25)\n"
                                  "  b      Boolean  @default(true)\n"
                                  "  at     DateTime @default(\"2024-01-02T03:04:05.006Z\")\n"
                                  "  now    DateTime @default(now())\n"
                                  "  upd    DateTime @updatedAt\n"
                                  "  doc    Json?\n"
                                  "  raw    Bytes?\n"
                                  "  mood   Mood     @default(SAD)\n"
                                  "  opt    String?\n"
                                  "  %s\n"
                                  "  @@index([s(sort: Desc), i])\n"
                                  "  @@unique([i, big], map: \"every_pair\")\n"
                                  "}\n";

static void assert_empty_plan(rorm_db *db, rorm_schema *s)
{
    rorm_error err = { 0 };
    rorm_migrate_plan *plan = NULL;
    if (s) {
        assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, s, NULL, &err), &err);
    } else {
        assert_rorm_ok(rorm_migrate_plan_new(&plan, db, NULL, &err), &err);
    }
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
    int rc = rorm_prisma_load_string(&pulled, text, strlen(text), "pulled.prisma", NULL, &err);
    if (rc != RORM_OK) {
        fprintf(stderr, "%s", text);
        fail_msg("the pulled schema does not load: %s (line %d)", err.message, err.line);
    }
    rorm_migrate_plan *plan = NULL;
    assert_rorm_ok(rorm_migrate_plan_schema(&plan, db, pulled, NULL, &err), &err);
    if (rorm_migrate_plan_count(plan) != 0) {
        fprintf(stderr, "%s", text);
    }
    rorm_free(text);
    rorm_migrate_plan_free(plan);
    assert_empty_plan(db, pulled);
    rorm_schema_release(pulled);
}

static void test_migrate_types__native_fixture_plans_empty(void **state)
{
    (void)state;
    rorm_db *db = fx_open(); /* ensure-schema made the tables */
    assert_empty_plan(db, NULL);
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    assert_pull_round_trip(db);
    rorm_db_close(db);
}

static void test_migrate_types__every_prisma_type_plans_empty(void **state)
{
    (void)state;
    static const char *const providers[] = { "sqlite", "sqlite", "postgresql", "mysql" };
    rorm_test_target t = rorm_test_target_of();
    /* Scalar lists are native arrays on PostgreSQL only (Prisma rejects them elsewhere). */
    const char *lists = t == RORM_TARGET_POSTGRES ? "tags String[] @default([\"a\", \"b\"])\n"
                                                    "  nums Int[]"
                                                  : "";
    char text[4096];
    snprintf(text, sizeof text, prisma_text, providers[t], lists);
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_prisma_load_string(&s, text, strlen(text), NULL, NULL, &err), &err);
    rorm_db *db = rorm_test_open();
    assert_rorm_ok(rorm_migrate_schema(db, s, NULL, &err), &err);
    assert_empty_plan(db, s);
    assert_pull_round_trip(db);
    rorm_schema_release(s);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_types__native_fixture_plans_empty),
        cmocka_unit_test(test_migrate_types__every_prisma_type_plans_empty),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
