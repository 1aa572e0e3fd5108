/*
 * The schema and helpers of the Prisma Client tests: users with posts, a model with compound
 * unique keys, one with a composite primary key, and one with every number type. Arguments and
 * results are written as JSON (rorm_db_call_json) so that a test reads like the Prisma call.
 */
#ifndef RORM_TESTS_PC_FIXTURE_H
#define RORM_TESTS_PC_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "driver/driver.h"
#include "harness/harness.h"
#include "pc/pc_schema.h"

static const char pc_schema[] = PC_SCHEMA_TEXT;

/* Register the schema with @p db and create its tables. */
static inline rorm_db *pc_register(rorm_db *db)
{
    rorm_error err = { 0 };
    rorm_schema *schema = NULL;
    assert_rorm_ok(rorm_prisma_load_string(&schema, pc_schema, strlen(pc_schema), NULL, NULL, &err),
                   &err);
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    return db;
}

/* Open a fresh database with the schema registered and its tables created. */
static inline rorm_db *pc_open(void)
{
    return pc_register(rorm_test_open());
}

/* Run an operation that must succeed; the JSON result is in a static buffer. */
static inline const char *pc_call(rorm_db *db, const char *model, const char *op, const char *args)
{
    static char buf[8192];
    rorm_error err = { 0 };
    char *json = NULL;
    int rc = rorm_db_call_json(&json, db, model, op, args, &err);
    if (rc != RORM_OK) {
        fail_msg("%s.%s(%s) failed: %d %s", model, op, args, rc, err.message);
    }
    snprintf(buf, sizeof buf, "%s", json);
    rorm_free(json);
    return buf;
}

/*
 * Run an operation that must succeed inside a transaction (one pinned connection) and return
 * the number of statements it ran, counted by the connection; *json_out gets the result.
 */
static inline uint64_t
pc_statements(rorm_db *db, const char *model, const char *op, const char *args, char **json_out)
{
    rorm_error err = { 0 };
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    rorm_conn *conn = NULL;
    assert_rorm_ok(rorm__db_acquire(&conn, tx, &err), &err);
    uint64_t before = rorm__conn_statements_run(conn);
    assert_rorm_ok(rorm_db_call_json(json_out, tx, model, op, args, &err), &err);
    uint64_t ran = rorm__conn_statements_run(conn) - before;
    rorm__db_release(tx, conn);
    assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    return ran;
}

/* Expect the JSON result of an operation. */
#define pc_expect(db, model, op, args, expected) \
    assert_string_equal(pc_call((db), (model), (op), (args)), (expected))

/* Run an operation that must fail with @p code; returns the message (static buffer). */
static inline const char *
pc_fail(rorm_db *db, const char *model, const char *op, const char *args, int code)
{
    static rorm_error err;
    char *json = NULL;
    memset(&err, 0, sizeof err);
    int rc = rorm_db_call_json(&json, db, model, op, args, &err);
    if (rc != code) {
        fail_msg("%s.%s(%s): expected code %d, got %d (%s) %s", model, op, args, code, rc,
                 err.message, json ? json : "");
    }
    assert_null(json);
    return err.message;
}

/* Assert that @p haystack contains @p needle. */
#define assert_contains(haystack, needle)                          \
    do {                                                           \
        const char *h__ = (haystack);                              \
        if (strstr(h__, (needle)) == NULL) {                       \
            fail_msg("'%s' does not contain '%s'", h__, (needle)); \
        }                                                          \
    } while (0)

/* Text compares ignoring case (MySQL's _ci collations). */
#define PCT_CI_TEXT rorm_test_has(RORM_TESTCAP_CASE_INSENSITIVE_COLLATION)
/* NULL sorts after every value ascending (PostgreSQL). */
#define PCT_NULLS_LAST rorm_test_has(RORM_TESTCAP_NULLS_SORT_LAST)

/* Six users: ages 10..50 and one NULL, names of mixed case; ids 1..6. */
static inline void pc_seed_users(rorm_db *db)
{
    pc_call(db, "User", "createMany",
            "{\"data\": ["
            "{\"email\": \"eve@x.io\", \"name\": \"Eve\", \"age\": 10, \"score\": 1.5},"
            "{\"email\": \"dave@x.io\", \"name\": \"dave\", \"age\": 20, \"score\": 2.5},"
            "{\"email\": \"carol@x.io\", \"name\": \"Carol\", \"age\": 30},"
            "{\"email\": \"bob@x.io\", \"name\": \"Bob\", \"age\": 40, \"role\": \"ADMIN\"},"
            "{\"email\": \"alice@x.io\", \"name\": \"Alice\", \"age\": 50, \"score\": 9},"
            "{\"email\": \"zed@x.io\", \"name\": \"Zed\"}]}");
}

/* Insert @p n posts: title "p<i>" (padded to @p title_len when larger), views i % 100. */
static inline void pc_seed_posts(rorm_db *db, size_t n, size_t title_len)
{
    rorm_error err = { 0 };
    rorm_value data;
    rorm_value_init_array(&data);
    char *title = malloc(title_len + 32);
    assert_non_null(title);
    for (size_t i = 1; i <= n; i++) {
        int len = snprintf(title, 32, "p%zu", i);
        while ((size_t)len < title_len) {
            title[len++] = 'x';
        }
        title[len] = '\0';
        rorm_value rec, v;
        rorm_value_init_object(&rec);
        assert_int_equal(rorm_value_set_text(&v, title, (size_t)len), RORM_OK);
        assert_int_equal(rorm_value_object_set_take(&rec, "title", &v), RORM_OK);
        v = RORM_INT((int64_t)(i % 100));
        assert_int_equal(rorm_value_object_set_take(&rec, "views", &v), RORM_OK);
        assert_int_equal(rorm_value_array_push_take(&data, &rec), RORM_OK);
    }
    free(title);
    rorm_member args[] = { { "data", data } };
    rorm_value out;
    assert_rorm_ok(rorm_db_call(&out, db, "Post", "createMany", &RORM_OBJECT(args), &err), &err);
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&out, "count"), -1), (int64_t)n);
    rorm_value_dispose(&out);
    rorm_value_dispose(&data);
}

/* The ids of a findMany, in order, e.g. "1,2,3" (static buffer). */
static inline const char *pc_ids(rorm_db *db, const char *model, const char *args)
{
    static char buf[1024];
    rorm_error err = { 0 };
    char *out = NULL;
    if (rorm_db_call_json(&out, db, model, "findMany", args, &err) != RORM_OK) {
        fail_msg("%s.findMany(%s) failed: %s", model, args, err.message);
    }
    buf[0] = '\0';
    size_t n = 0;
    for (const char *p = out; (p = strstr(p, "\"id\":")) != NULL;) {
        p += 5;
        n +=
            (size_t)snprintf(buf + n, sizeof buf - n, "%s%lld", n ? "," : "", strtoll(p, NULL, 10));
    }
    rorm_free(out);
    return buf;
}

#endif
