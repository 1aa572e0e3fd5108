/*
 * The pull round trip over the real-world Prisma schemas of the shared corpus whose provider is
 * the database under test: migrate a fresh database to the schema, pull it, load the pulled
 * schema, and plan it against the same database: nothing to do.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"

static const char *provider(void)
{
    static const char *const providers[] = { "sqlite", "sqlite", "postgresql", "mysql" };
    return providers[rorm_test_target_of()];
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return NULL;
    }
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, fp);
    buf[got] = '\0';
    fclose(fp);
    return buf;
}

/*
 * Schemas that cannot be migrated here, each with the reason (printed, never skipped silently).
 * They are not counted as failures; every other schema of the provider must pass.
 */
static const struct {
    const char *file, *provider, *reason;
} known[] = {
    { "pdovhomilja__nextcrm-app__prisma-schema.prisma", "postgresql",
      "needs the pgvector extension (type vector), not installed on the test server" },
};

static const char *known_reason(const char *file)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (strcmp(known[i].file, file) == 0 && strcmp(known[i].provider, provider()) == 0) {
            return known[i].reason;
        }
    }
    return NULL;
}

/*
 * What a project creates before its first migration (its own migration files do), run on the
 * fresh database before the schema is migrated.
 */
static const struct {
    const char *file, *provider, *sql[2];
} prepare[] = {
    /* rallly's columns are @db.Citext: the extension's types go in the test's own schema (the
       search path), so a copy left in another schema by an earlier run is dropped first. */
    { "lukevella__rallly__packages-database-prisma-MERGED.prisma",
      "postgresql",
      { "DROP EXTENSION IF EXISTS citext CASCADE", "CREATE EXTENSION citext" } },
    /* The PostGIS example names its type "public".geography. */
    { "prisma__prisma-examples__typescript-postgis-express.prisma",
      "postgresql",
      { "CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public", NULL } },
};

static int prepare_database(rorm_db *db, const char *file, rorm_error *err)
{
    for (size_t i = 0; i < sizeof prepare / sizeof prepare[0]; i++) {
        if (strcmp(prepare[i].file, file) != 0 || strcmp(prepare[i].provider, provider()) != 0) {
            continue;
        }
        for (size_t k = 0; k < 2 && prepare[i].sql[k]; k++) {
            int rc = rorm_db_execute_raw(db, prepare[i].sql[k], NULL, 0, NULL, err);
            if (rc != RORM_OK) {
                return rc;
            }
        }
    }
    return RORM_OK;
}

/* One schema: 0 when the round trip holds, else a message on stderr and 1. */
static int round_trip(const char *name, const char *text)
{
    rorm_error err = { 0 };
    rorm_schema *s = NULL;
    rorm_schema *pulled = NULL;
    char *out = NULL;
    rorm_migrate_plan *plan = NULL;
    int failed = 1;
    rorm_db *db = rorm_test_open();
    if (rorm_prisma_load_string(&s, text, strlen(text), name, NULL, &err) != RORM_OK) {
        fprintf(stderr, "%s: load: %s\n", name, err.message);
        goto done;
    }
    if (prepare_database(db, name, &err) != RORM_OK) {
        fprintf(stderr, "%s: prepare: %s\n", name, err.message);
        goto done;
    }
    if (rorm_migrate_schema(db, s, NULL, &err) != RORM_OK) {
        fprintf(stderr, "%s: migrate: %s\n", name, err.message);
        goto done;
    }
    if (rorm_migrate_plan_schema(&plan, db, s, NULL, &err) != RORM_OK ||
        rorm_migrate_plan_count(plan) != 0) {
        fprintf(stderr, "%s: not idempotent: %zu steps: %s\n", name, rorm_migrate_plan_count(plan),
                rorm_migrate_plan_count(plan) ? rorm_migrate_plan_description(plan, 0)
                                              : err.message);
        goto done;
    }
    rorm_migrate_plan_free(plan);
    plan = NULL;
    if (rorm_migrate_pull(&out, db, &err) != RORM_OK) {
        fprintf(stderr, "%s: pull: %s\n", name, err.message);
        goto done;
    }
    if (rorm_prisma_load_string(&pulled, out, strlen(out), "pulled.prisma", NULL, &err) !=
        RORM_OK) {
        fprintf(stderr, "%s: pulled schema: %s\n", name, err.message);
        goto done;
    }
    if (rorm_migrate_plan_schema(&plan, db, pulled, NULL, &err) != RORM_OK ||
        rorm_migrate_plan_count(plan) != 0) {
        fprintf(stderr, "%s: round trip: %zu steps: %s\n", name, rorm_migrate_plan_count(plan),
                rorm_migrate_plan_count(plan) ? rorm_migrate_plan_description(plan, 0)
                                              : err.message);
        goto done;
    }
    failed = 0;
done:
    rorm_migrate_plan_free(plan);
    rorm_free(out);
    rorm_schema_release(s);
    rorm_schema_release(pulled);
    rorm_db_close(db);
    return failed;
}

static void test_migrate_corpus__pull_round_trip(void **state)
{
    (void)state;
    const char *dir = rorm_test_shared_path("corpus/prisma/real");
    char dirbuf[4096];
    snprintf(dirbuf, sizeof dirbuf, "%s", dir);
    DIR *d = opendir(dirbuf);
    assert_non_null(d);
    struct dirent *e;
    int tried = 0, failed = 0;
    char needle[64];
    snprintf(needle, sizeof needle, "\"%s\"", provider());
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".prisma") == NULL) {
            continue;
        }
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dirbuf, e->d_name);
        char *text = read_all(path);
        const char *ds = text ? strstr(text, "datasource") : NULL;
        const char *p = ds ? strstr(ds, "provider") : NULL;
        const char *eol = p ? strchr(p, '\n') : NULL;
        bool match = p && eol && strstr(p, needle) && strstr(p, needle) < eol;
        const char *reason = match ? known_reason(e->d_name) : NULL;
        if (reason) {
            print_message("known: %s: %s\n", e->d_name, reason);
        } else if (match) {
            tried++;
            failed += round_trip(e->d_name, text);
        }
        free(text);
    }
    closedir(d);
    print_message("%d schemas, %d failed\n", tried, failed);
    assert_true(tried > 0);
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrate_corpus__pull_round_trip),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
