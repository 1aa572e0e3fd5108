/*
 * Bulk writes and typed conditions on every database: insert_many (one row, many rows, runs of
 * different shapes, a failure rolling back all rows), deleteMany through a query, and where
 * conditions on every scalar type (enum, bool, decimal, datetime, bigint, float, text).
 */
#include <stdio.h>
#include <string.h>

#include "api_fixture.h"

static int64_t
count_where(rorm_db *db, const char *model, const char *field, const char *op, const rorm_value *v)
{
    rorm_error err = { 0 };
    rorm_query *q = NULL;
    int64_t n = -1;
    assert_rorm_ok(rorm_query_new(&q, db, model, &err), &err);
    if (field) {
        assert_rorm_ok(rorm_query_where(q, field, op, v), &err);
    }
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    rorm_query_free(q);
    return n;
}

static void test_api_bulk__insert_many(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    enum { N = 1200 };
    static char emails[N][32];
    static rorm_member members[N][3];
    static rorm_value records[N];
    for (int i = 0; i < N; i++) {
        snprintf(emails[i], sizeof emails[i], "bulk%d@x.io", i);
        members[i][0] = (rorm_member){ "email", RORM_TEXT(emails[i]) };
        members[i][1] = (rorm_member){ "name", RORM_TEXT("Bulk") };
        /* Every 100th record leaves age out: a run of another shape. */
        members[i][2] = (rorm_member){ "age", RORM_INT(i % 90) };
        records[i] = RORM_OBJECT_N(members[i], i % 100 == 0 ? 2 : 3);
    }
    int64_t n = 0;
    assert_rorm_ok(rorm_db_insert_many(db, "User", records, N, &n, &err), &err);
    assert_int_equal(n, N);
    assert_int_equal(count_where(db, "User", NULL, NULL, NULL), N);
    assert_int_equal(count_where(db, "User", "age", "is null", NULL), N / 100);
    /* One record alone, and none. */
    rorm_member one[] = { { "email", RORM_TEXT("one@x.io") }, { "name", RORM_TEXT("One") } };
    assert_rorm_ok(rorm_db_insert_many(db, "User", &RORM_OBJECT(one), 1, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_rorm_ok(rorm_db_insert_many(db, "User", NULL, 0, &n, &err), &err);
    assert_int_equal(n, 0);
    /* A duplicate in the middle: nothing of the batch is kept. */
    rorm_member fresh[] = { { "email", RORM_TEXT("fresh@x.io") }, { "name", RORM_TEXT("F") } };
    rorm_value batch[] = { RORM_OBJECT(fresh), RORM_OBJECT(one) };
    assert_int_equal(rorm_db_insert_many(db, "User", batch, 2, &n, &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_UNIQUE);
    assert_int_equal(count_where(db, "User", "email", "=", &RORM_TEXT("fresh@x.io")), 0);

    /* deleteMany through a query. */
    rorm_query *q = NULL;
    assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
    rorm_query_where(q, "age", "<", &RORM_INT(10));
    assert_rorm_ok(rorm_query_delete(&n, q, &err), &err);
    rorm_query_free(q);
    assert_true(n > 0);
    assert_int_equal(count_where(db, "User", "age", "<", &RORM_INT(10)), 0);
    rorm_db_close(db);
}

static void test_api_bulk__conditions_on_every_type(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    static const char *const colors[] = { "RED", "GREEN", "BLUE" };
    for (int i = 0; i < 6; i++) {
        char label[16];
        snprintf(label, sizeof label, "L%d", i);
        char dec[16];
        snprintf(dec, sizeof dec, "%d.25", i);
        rorm_member m[] = {
            { "s", RORM_TEXT(label) },
            { "i", RORM_INT(i) },
            { "big", RORM_INT((int64_t)i * 1000000000000LL) },
            { "f", RORM_DOUBLE(i * 0.5) },
            { "dec", RORM_DECIMAL(dec) },
            { "b", RORM_BOOL(i % 2 == 0) },
            { "at", RORM_DATETIME((int64_t)i * 86400000 - 3 * 86400000LL) },
            { "color", RORM_TEXT(colors[i % 3]) },
        };
        assert_rorm_ok(rorm_db_insert(db, "Thing", &RORM_OBJECT(m), NULL, &err), &err);
    }
    assert_int_equal(count_where(db, "Thing", "color", "=", &RORM_TEXT("GREEN")), 2);
    rorm_value rb[] = { RORM_TEXT("RED"), RORM_TEXT("BLUE") };
    assert_int_equal(count_where(db, "Thing", "color", "in", &RORM_ARRAY(rb)), 4);
    assert_int_equal(count_where(db, "Thing", "color", "not in", &RORM_ARRAY(rb)), 2);
    assert_int_equal(count_where(db, "Thing", "b", "=", &RORM_BOOL(true)), 3);
    assert_int_equal(count_where(db, "Thing", "dec", ">", &RORM_DECIMAL("2.25")), 3);
    assert_int_equal(count_where(db, "Thing", "dec", "=", &RORM_DECIMAL("2.25")), 1);
    assert_int_equal(count_where(db, "Thing", "big", ">=", &RORM_INT(3000000000000LL)), 3);
    assert_int_equal(count_where(db, "Thing", "f", "<", &RORM_DOUBLE(1.0)), 2);
    assert_int_equal(count_where(db, "Thing", "at", "<", &RORM_DATETIME(0)), 3); /* before 1970 */
    assert_int_equal(count_where(db, "Thing", "at", ">=", &RORM_TEXT("1970-01-01T00:00:00Z")), 3);
    assert_int_equal(count_where(db, "Thing", "s", "like", &RORM_TEXT("L_")), 6);
    assert_int_equal(count_where(db, "Thing", "label", "is null", NULL), 6);
    assert_int_equal(count_where(db, "Thing", "i", "!=", &RORM_INT(3)), 5);

    /* Ordering by a decimal and a datetime, with pagination. */
    rorm_query *q = NULL;
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_query_new(&q, db, "Thing", &err), &err);
    rorm_query_select(q, "i, dec, at");
    rorm_query_order_by(q, "dec", RORM_DESC);
    rorm_query_limit(q, 2);
    rorm_query_offset(q, 1);
    assert_rorm_ok(rorm_query_execute(&rows, q, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 2);
    assert_int_equal(rorm_value_as_int(rorm_rows_field(rows, 0, "i"), -1), 4);
    assert_string_equal(rorm_value_as_text(rorm_rows_field(rows, 1, "dec")), "3.25");
    assert_int_equal(rorm_rows_field(rows, 1, "at")->u.ms, 0);
    rorm_rows_free(rows);
    rorm_query_free(q);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_bulk__insert_many),
        cmocka_unit_test(test_api_bulk__conditions_on_every_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
