/*
 * Lists beyond the databases' bound-parameter limits (SQLite 32766 by default, PostgreSQL and
 * MySQL 65535), on every database: `in` / `notIn` with 100,000 items in findMany, count,
 * updateMany, deleteMany, relation filters and streams; the select builder's `in` / `not in`
 * and its delete; createMany and rorm_db_insert_many of 100,000 records in one transaction
 * (all or nothing). Counts and exact results are checked.
 */
#include "pc_fixture.h"

#define NIDS 100000

/* {"<key>": {"<op>": [ids...]}} as JSON text: every even id from 2 to 2 * NIDS (half of them
   exist: the table holds ids 1..NIDS). */
static char *id_list_args(const char *field, const char *op, const char *extra)
{
    size_t cap = (size_t)NIDS * 8 + 256;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t n = (size_t)snprintf(s, cap, "{\"where\": {\"%s\": {\"%s\": [", field, op);
    for (int i = 1; i <= NIDS; i++) {
        n += (size_t)snprintf(s + n, cap - n, "%s%d", i > 1 ? "," : "", 2 * i);
    }
    snprintf(s + n, cap - n, "]}}%s}", extra ? extra : "");
    return s;
}

static int64_t count_json(rorm_db *db, const char *model, const char *args)
{
    rorm_error err = { 0 };
    char *json = NULL;
    assert_rorm_ok(rorm_db_call_json(&json, db, model, "count", args, &err), &err);
    int64_t n = strtoll(json, NULL, 10);
    rorm_free(json);
    return n;
}

/* Stream the ids of a findMany and check they are first, first + step, ..., count of them. */
static void expect_ids(rorm_db *db, const char *args, int64_t first, int64_t step, int64_t count)
{
    rorm_error err = { 0 };
    rorm_cursor *cur = NULL;
    assert_rorm_ok(rorm_db_stream_json(&cur, db, "Post", args, &err), &err);
    rorm_value row;
    int64_t n = 0;
    int rc;
    while ((rc = rorm_cursor_next(&row, cur, &err)) == 1) {
        int64_t id = rorm_value_as_int(rorm_value_object_get(&row, "id"), -1);
        if (id != first + n * step) {
            fail_msg("record %lld has id %lld, expected %lld", (long long)n, (long long)id,
                     (long long)(first + n * step));
        }
        rorm_value_dispose(&row);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, count);
    rorm_cursor_close(cur);
}

static void test_pc_big_lists__in_and_not_in(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_posts(db, NIDS, 0);
    assert_int_equal(count_json(db, "Post", NULL), NIDS);
    char *in =
        id_list_args("id", "in", ", \"orderBy\": {\"id\": \"asc\"}, \"select\": {\"id\": true}");
    char *not_in = id_list_args("id", "notIn",
                                ", \"orderBy\": {\"id\": \"desc\"}, \"select\": {\"id\": true}");
    /* 100,000 ids, 50,000 of which exist: exactly the even ids; the others are the odd ones. */
    expect_ids(db, in, 2, 2, NIDS / 2);
    expect_ids(db, not_in, NIDS - 1, -2, NIDS / 2);
    /* The same through findMany (the whole result), with take and skip. */
    rorm_error err = { 0 };
    char *page =
        id_list_args("id", "in", ", \"orderBy\": {\"id\": \"desc\"}, \"skip\": 10, \"take\": 3");
    char *json = NULL;
    assert_rorm_ok(rorm_db_call_json(&json, db, "Post", "findMany", page, &err), &err);
    assert_contains(json, "\"id\":99980,");
    assert_contains(json, "\"id\":99978,");
    assert_contains(json, "\"id\":99976,");
    assert_null(strstr(json, "\"id\":99982,"));
    rorm_free(json);
    free(page);
    /* count, and a list inside a larger condition (OR, AND, NOT). */
    char *counted = id_list_args("id", "in", NULL);
    assert_int_equal(count_json(db, "Post", counted), NIDS / 2);
    free(counted);
    size_t cap = (size_t)NIDS * 8 + 256;
    char *and_or = malloc(cap);
    assert_non_null(and_or);
    size_t n = (size_t)snprintf(and_or, cap,
                                "{\"where\": {\"OR\": [{\"views\": 1}, {\"AND\": [{\"NOT\": "
                                "{\"views\": {\"gte\": 10}}}, {\"id\": {\"notIn\": [");
    for (int i = 1; i <= NIDS; i++) {
        n += (size_t)snprintf(and_or + n, cap - n, "%s%d", i > 1 ? "," : "", 2 * i);
    }
    snprintf(and_or + n, cap - n, "]}}]}]}}");
    /* views 1 (ids 1, 101, ... : 1,000 of them, all odd) or (views < 10 and odd): the odd ids
       with views 1, 3, 5, 7, 9: 5,000. */
    assert_int_equal(count_json(db, "Post", and_or), 5000);
    free(and_or);
    /* Text lists: titles p1, p3, ... as one list (MySQL binds text lists item by item, under
       its limit of 65535 parameters: 60,000 items there). */
    int ntitles = rorm_test_target_of() == RORM_TARGET_MYSQL ? 60000 : NIDS;
    char *titles = malloc(cap * 2);
    assert_non_null(titles);
    n = (size_t)snprintf(titles, cap * 2, "{\"where\": {\"title\": {\"in\": [");
    for (int i = 1; i <= ntitles; i++) {
        n += (size_t)snprintf(titles + n, cap * 2 - n, "%s\"p%d\"", i > 1 ? "," : "", 2 * i - 1);
    }
    snprintf(titles + n, cap * 2 - n, "]}}}");
    assert_int_equal(count_json(db, "Post", titles), ntitles < NIDS / 2 ? ntitles : NIDS / 2);
    free(titles);
    free(in);
    free(not_in);
    rorm_db_close(db);
}

static void test_pc_big_lists__writes(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = pc_open();
    pc_seed_posts(db, NIDS, 0);
    /* updateMany where id in 100,000 ids: the 50,000 even ones. */
    char *upd = id_list_args("id", "in", ", \"data\": {\"views\": 1000}");
    char *json = NULL;
    assert_rorm_ok(rorm_db_call_json(&json, db, "Post", "updateMany", upd, &err), &err);
    assert_string_equal(json, "{\"count\":50000}");
    rorm_free(json);
    free(upd);
    assert_int_equal(count_json(db, "Post", "{\"where\": {\"views\": 1000}}"), NIDS / 2);
    /* A relation filter holding the list: users with a post among the ids. */
    pc_call(
        db, "User", "create",
        "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\", \"posts\": {\"connect\": [{\"id\": "
        "4}, {\"id\": 5}]}}}");
    pc_call(db, "User", "create",
            "{\"data\": {\"email\": \"b@x.io\", \"name\": \"B\", \"posts\": {\"connect\": "
            "{\"id\": 7}}}}");
    size_t cap = (size_t)NIDS * 8 + 256;
    char *rel = malloc(cap);
    assert_non_null(rel);
    size_t n = (size_t)snprintf(rel, cap, "{\"where\": {\"posts\": {\"some\": {\"id\": {\"in\": [");
    for (int i = 1; i <= NIDS; i++) {
        n += (size_t)snprintf(rel + n, cap - n, "%s%d", i > 1 ? "," : "", 2 * i);
    }
    snprintf(rel + n, cap - n, "]}}}}}");
    assert_int_equal(count_json(db, "User", rel), 1);
    free(rel);
    /* deleteMany where id notIn 100,000 ids: the 50,000 odd ones go. */
    char *del = id_list_args("id", "notIn", NULL);
    assert_rorm_ok(rorm_db_call_json(&json, db, "Post", "deleteMany", del, &err), &err);
    assert_string_equal(json, "{\"count\":50000}");
    rorm_free(json);
    free(del);
    assert_int_equal(count_json(db, "Post", NULL), NIDS / 2);
    expect_ids(db, "{\"orderBy\": {\"id\": \"asc\"}, \"select\": {\"id\": true}}", 2, 2, NIDS / 2);
    rorm_db_close(db);
}

/* The select builder and the record API: `in` / `not in` with 100,000 values, insert_many. */
static void test_pc_big_lists__record_api(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = pc_open();
    /* rorm_db_insert_many of 100,000 records: one transaction. */
    rorm_value *recs = calloc(NIDS, sizeof *recs);
    rorm_member(*members)[2] = calloc(NIDS, sizeof *members);
    assert_non_null(recs);
    assert_non_null(members);
    for (size_t i = 0; i < NIDS; i++) {
        members[i][0] = (rorm_member){ "title", RORM_TEXT("r") };
        members[i][1] = (rorm_member){ "views", RORM_INT((int64_t)i % 7) };
        recs[i] = RORM_OBJECT(members[i]);
    }
    int64_t count = 0;
    assert_rorm_ok(rorm_db_insert_many(db, "Post", recs, NIDS, &count, &err), &err);
    assert_int_equal(count, NIDS);
    rorm_value *ids = calloc(NIDS, sizeof *ids);
    assert_non_null(ids);
    for (size_t i = 0; i < NIDS; i++) {
        ids[i] = RORM_INT((int64_t)(2 * i + 2));
    }
    rorm_query *q = NULL;
    assert_rorm_ok(rorm_query_new(&q, db, "Post", &err), &err);
    assert_int_equal(rorm_query_where(q, "id", "in", &RORM_ARRAY_N(ids, NIDS)), RORM_OK);
    int64_t n = -1;
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, NIDS / 2);
    rorm_query_order_by(q, "id", RORM_DESC);
    rorm_query_limit(q, 2);
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_query_execute(&rows, q, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 2);
    assert_int_equal(rorm_value_as_int(rorm_rows_field(rows, 0, "id"), -1), NIDS);
    assert_int_equal(rorm_value_as_int(rorm_rows_field(rows, 1, "id"), -1), NIDS - 2);
    rorm_rows_free(rows);
    rorm_query_free(q);
    /* delete where id not in the list: the odd ids. */
    assert_rorm_ok(rorm_query_new(&q, db, "Post", &err), &err);
    assert_int_equal(rorm_query_where(q, "id", "not in", &RORM_ARRAY_N(ids, NIDS)), RORM_OK);
    assert_rorm_ok(rorm_query_delete(&n, q, &err), &err);
    assert_int_equal(n, NIDS / 2);
    rorm_query_free(q);
    assert_int_equal(count_json(db, "Post", NULL), NIDS / 2);
    free(ids);
    free(recs);
    free(members);
    rorm_db_close(db);
}

/* createMany of 100,000 records is one transaction: a duplicate in the last one keeps none. */
static void test_pc_big_lists__create_many_is_atomic(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = pc_open();
    rorm_value *recs = calloc(NIDS, sizeof *recs);
    rorm_member(*members)[2] = calloc(NIDS, sizeof *members);
    char(*emails)[24] = calloc(NIDS, sizeof *emails);
    assert_non_null(recs);
    assert_non_null(members);
    assert_non_null(emails);
    for (size_t i = 0; i < NIDS; i++) {
        snprintf(emails[i], sizeof emails[i], "u%zu@x.io", i == NIDS - 1 ? (size_t)0 : i);
        members[i][0] = (rorm_member){ "email", rorm_value_text_ref(emails[i]) };
        members[i][1] = (rorm_member){ "tenantId", RORM_TEXT("t") };
        recs[i] = RORM_OBJECT(members[i]);
    }
    rorm_member args[] = { { "data", RORM_ARRAY_N(recs, NIDS) } };
    rorm_value out;
    assert_int_equal(rorm_db_call(&out, db, "Account", "createMany", &RORM_OBJECT(args), &err),
                     RORM_ECONSTRAINT);
    assert_int_equal(count_json(db, "Account", NULL), 0);
    /* Without the duplicate, all of them. */
    snprintf(emails[NIDS - 1], sizeof emails[NIDS - 1], "last@x.io");
    assert_rorm_ok(rorm_db_call(&out, db, "Account", "createMany", &RORM_OBJECT(args), &err), &err);
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&out, "count"), -1), NIDS);
    rorm_value_dispose(&out);
    assert_int_equal(count_json(db, "Account", NULL), NIDS);
    free(recs);
    free(members);
    free(emails);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_big_lists__in_and_not_in),
        cmocka_unit_test(test_pc_big_lists__writes),
        cmocka_unit_test(test_pc_big_lists__record_api),
        cmocka_unit_test(test_pc_big_lists__create_many_is_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
