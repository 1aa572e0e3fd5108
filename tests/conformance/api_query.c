/*
 * The select builder on every database: every operator, groups, ordering, windows, projections,
 * counts, and the errors for bad fields and operators.
 */
#include <stdio.h>
#include <string.h>

#include "api_fixture.h"

static rorm_db *seeded(void)
{
    rorm_db *db = fx_open();
    /* ages: 10 20 30 40 50, and one NULL */
    fx_user(db, "u1@x.io", "Eve", 10);
    fx_user(db, "u2@x.io", "dave", 20);
    fx_user(db, "u3@x.io", "Carol", 30);
    fx_user(db, "u4@x.io", "Bob", 40);
    fx_user(db, "u5@x.io", "Alice", 50);
    fx_user(db, "u6@x.io", "Zed", -1);
    return db;
}

/* Run @p q and return the ids of the rows, in order, as a comma-separated string. */
static const char *ids_of(rorm_query *q)
{
    static char buf[256];
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_query_execute(&rows, q, &err), &err);
    buf[0] = '\0';
    long col = rorm_rows_column_index(rows, "id");
    assert_true(col >= 0);
    for (size_t r = 0; r < rorm_rows_count(rows); r++) {
        char one[24];
        snprintf(one, sizeof one, "%s%lld", r ? "," : "",
                 (long long)rorm_value_as_int(rorm_rows_get(rows, r, (size_t)col), -1));
        strcat(buf, one);
    }
    rorm_rows_free(rows);
    rorm_query_free(q);
    return buf;
}

static rorm_query *users(rorm_db *db)
{
    rorm_error err = { 0 };
    rorm_query *q = NULL;
    assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
    return q;
}

static void test_api_query__comparison_operators(void **state)
{
    (void)state;
    rorm_db *db = seeded();
    rorm_query *q;
    q = users(db), rorm_query_where(q, "age", "=", &RORM_INT(30));
    assert_string_equal(ids_of(q), "3");
    q = users(db), rorm_query_where(q, "age", "!=", &RORM_INT(30));
    assert_string_equal(ids_of(q), "1,2,4,5");
    q = users(db), rorm_query_where(q, "age", "<>", &RORM_INT(30));
    assert_string_equal(ids_of(q), "1,2,4,5");
    q = users(db), rorm_query_where(q, "age", "<", &RORM_INT(30));
    assert_string_equal(ids_of(q), "1,2");
    q = users(db), rorm_query_where(q, "age", "<=", &RORM_INT(30));
    assert_string_equal(ids_of(q), "1,2,3");
    q = users(db), rorm_query_where(q, "age", ">", &RORM_INT(30));
    assert_string_equal(ids_of(q), "4,5");
    q = users(db), rorm_query_where(q, "age", ">=", &RORM_INT(30));
    assert_string_equal(ids_of(q), "3,4,5");
    q = users(db), rorm_query_where(q, "name", "LIKE", &RORM_TEXT("%a%"));
    if (rorm_test_has(RORM_TESTCAP_LIKE_CASE_INSENSITIVE)) {
        assert_string_equal(ids_of(q), "2,3,5"); /* dave, Carol, Alice */
    } else {
        assert_string_equal(ids_of(q), "2,3"); /* dave, Carol: 'A' is not 'a' */
    }
    q = users(db), rorm_query_where(q, "name", "not like", &RORM_TEXT("%e"));
    assert_string_equal(ids_of(q), "3,4,6");
    q = users(db), rorm_query_where(q, "age", "is null", NULL);
    assert_string_equal(ids_of(q), "6");
    q = users(db), rorm_query_where(q, "age", "IS NOT NULL", NULL);
    assert_string_equal(ids_of(q), "1,2,3,4,5");
    q = users(db), rorm_query_where(q, "age", "=", &RORM_NULL_VALUE);
    assert_string_equal(ids_of(q), "6");
    rorm_db_close(db);
}

static void test_api_query__in_and_not_in(void **state)
{
    (void)state;
    rorm_db *db = seeded();
    rorm_value set[] = { RORM_INT(20), RORM_INT(40), RORM_INT(99) };
    rorm_value none[1];
    rorm_value empty = { .type = RORM_TYPE_ARRAY,
                         .flags = RORM_VALUE_BORROWED,
                         .u.arr = { none, 0, 0 } };
    rorm_query *q;
    q = users(db), rorm_query_where(q, "age", "in", &RORM_ARRAY(set));
    assert_string_equal(ids_of(q), "2,4");
    q = users(db), rorm_query_where(q, "age", "not in", &RORM_ARRAY(set));
    assert_string_equal(ids_of(q), "1,3,5");
    q = users(db), rorm_query_where(q, "age", "in", &empty);
    assert_string_equal(ids_of(q), "");
    q = users(db), rorm_query_where(q, "age", "not in", &empty);
    assert_string_equal(ids_of(q), "1,2,3,4,5,6");
    rorm_value emails[] = { RORM_TEXT("u1@x.io"), RORM_TEXT("u6@x.io") };
    q = users(db), rorm_query_where(q, "email", "IN", &RORM_ARRAY(emails));
    assert_string_equal(ids_of(q), "1,6");
    rorm_db_close(db);
}

static void test_api_query__and_or_groups(void **state)
{
    (void)state;
    rorm_db *db = seeded();
    rorm_query *q = users(db);
    /* age >= 20 AND (name = 'Bob' OR age < 25 OR (age > 45 AND name like 'A%')) */
    rorm_query_where(q, "age", ">=", &RORM_INT(20));
    rorm_query_or_begin(q);
    rorm_query_where(q, "name", "=", &RORM_TEXT("Bob"));
    rorm_query_where(q, "age", "<", &RORM_INT(25));
    rorm_query_and_begin(q);
    rorm_query_where(q, "age", ">", &RORM_INT(45));
    rorm_query_where(q, "name", "like", &RORM_TEXT("A%"));
    rorm_query_group_end(q);
    rorm_query_group_end(q);
    assert_string_equal(ids_of(q), "2,4,5");

    /* Several wheres at the top level are ANDed. */
    q = users(db);
    rorm_query_where(q, "age", ">", &RORM_INT(10));
    rorm_query_where(q, "age", "<", &RORM_INT(50));
    rorm_query_where(q, "name", "!=", &RORM_TEXT("Bob"));
    assert_string_equal(ids_of(q), "2,3");

    /* An empty OR group matches nothing; an empty AND group everything. */
    q = users(db);
    rorm_query_or_begin(q);
    rorm_query_group_end(q);
    assert_string_equal(ids_of(q), "");
    rorm_db_close(db);
}

static void test_api_query__order_limit_offset_select(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = seeded();
    fx_user(db, "u7@x.io", "Bob", 41);
    rorm_query *q = users(db);
    rorm_query_order_by(q, "name", RORM_ASC);
    rorm_query_order_by(q, "age", RORM_DESC);
    if (rorm_test_has(RORM_TESTCAP_CASE_INSENSITIVE_COLLATION)) {
        assert_string_equal(ids_of(q), "5,7,4,3,2,1,6"); /* 'dave' between Carol and Eve */
    } else {
        assert_string_equal(ids_of(q), "5,7,4,3,1,6,2"); /* 'dave' after upper case */
    }
    q = users(db);
    rorm_query_order_by(q, "age", RORM_DESC);
    rorm_query_limit(q, 2);
    if (rorm_test_has(RORM_TESTCAP_NULLS_SORT_LAST)) {
        assert_string_equal(ids_of(q), "6,5"); /* NULL is larger than any value */
    } else {
        assert_string_equal(ids_of(q), "5,7"); /* NULL is smaller than any value */
    }
    q = users(db);
    rorm_query_where(q, "age", "is not null", NULL);
    rorm_query_order_by(q, "age", RORM_DESC);
    rorm_query_limit(q, 2);
    assert_string_equal(ids_of(q), "5,7");
    q = users(db);
    rorm_query_order_by(q, "id", RORM_ASC);
    rorm_query_offset(q, 5);
    assert_string_equal(ids_of(q), "6,7");
    q = users(db);
    rorm_query_order_by(q, "id", RORM_DESC);
    rorm_query_limit(q, 2);
    rorm_query_offset(q, 1);
    assert_string_equal(ids_of(q), "6,5");
    q = users(db);
    rorm_query_limit(q, 0);
    assert_string_equal(ids_of(q), "");

    /* Projection: field names out, in the order asked, whatever the columns are called. */
    rorm_rows *rows;
    q = users(db);
    assert_rorm_ok(rorm_query_select(q, " createdAt ,id"), &err);
    rorm_query_where(q, "id", "=", &RORM_INT(3));
    assert_rorm_ok(rorm_query_execute(&rows, q, &err), &err);
    assert_int_equal(rorm_rows_column_count(rows), 2);
    assert_string_equal(rorm_rows_column_name(rows, 0), "createdAt");
    assert_int_equal(rorm_rows_get(rows, 0, 0)->type, RORM_TYPE_DATETIME);
    assert_int_equal(rorm_rows_get(rows, 0, 1)->u.i, 3);
    assert_null(rorm_rows_get(rows, 1, 0));
    assert_null(rorm_rows_get(rows, 0, 2));
    rorm_value rec;
    assert_rorm_ok(rorm_rows_record(&rec, rows, 0, &err), &err);
    assert_int_equal(rorm_value_object_get(&rec, "id")->u.i, 3);
    rorm_value_dispose(&rec);
    rorm_rows_free(rows);
    rorm_query_free(q);
    rorm_db_close(db);
}

static void test_api_query__first_and_count(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = seeded();
    rorm_query *q = users(db);
    rorm_query_where(q, "age", ">", &RORM_INT(15));
    rorm_query_order_by(q, "age", RORM_DESC);
    rorm_value rec;
    assert_rorm_ok(rorm_query_first(&rec, q, &err), &err);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "name")), "Alice");
    rorm_value_dispose(&rec);
    int64_t n = 0;
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 4);
    rorm_query_limit(q, 3);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 3);
    rorm_query_offset(q, 2);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 2);
    /* The query can run again: the same results. */
    assert_rorm_ok(rorm_query_first(&rec, q, &err), &err);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "name")), "Carol");
    rorm_value_dispose(&rec);
    rorm_query_free(q);

    q = users(db);
    rorm_query_where(q, "age", ">", &RORM_INT(1000));
    assert_int_equal(rorm_query_first(&rec, q, &err), RORM_ENOTFOUND);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 0);
    rorm_query_free(q);
    rorm_db_close(db);
}

static void test_api_query__errors_are_sticky_and_named(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = seeded();
    rorm_rows *rows = NULL;
    rorm_query *q = users(db);
    assert_int_equal(rorm_query_where(q, "agee", ">", &RORM_INT(1)), RORM_EINVAL);
    rorm_query_order_by(q, "name", RORM_ASC); /* ignored: the query already failed */
    assert_int_equal(rorm_query_execute(&rows, q, &err), RORM_EINVAL);
    assert_null(rows);
    assert_non_null(strstr(err.message, "unknown field 'agee'"));
    assert_non_null(strstr(err.message, "did you mean 'age'"));
    rorm_query_free(q);

    q = users(db);
    assert_int_equal(rorm_query_where(q, "age", "; DROP TABLE users", &RORM_INT(1)), RORM_EINVAL);
    assert_int_equal(rorm_query_execute(&rows, q, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "unknown operator"));
    rorm_query_free(q);

    q = users(db);
    assert_int_equal(rorm_query_where(q, "age", ">", &RORM_TEXT("ten")), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    assert_int_equal(rorm_query_where(q, "age", "in", &RORM_INT(3)), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    assert_int_equal(rorm_query_where(q, "age", ">", NULL), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    assert_int_equal(rorm_query_select(q, "id,,name"), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    assert_int_equal(rorm_query_select(q, "id, \"name\" FROM users --"), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    assert_int_equal(rorm_query_where(q, "posts", "=", &RORM_INT(1)), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    assert_int_equal(rorm_query_limit(q, -1), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    assert_int_equal(rorm_query_order_by(q, "age", (rorm_order)7), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    assert_int_equal(rorm_query_group_end(q), RORM_EINVAL);
    rorm_query_free(q);
    q = users(db);
    rorm_query_or_begin(q);
    assert_int_equal(rorm_query_execute(&rows, q, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "open"));
    rorm_query_free(q);

    assert_int_equal(rorm_query_new(&q, db, "Users", &err), RORM_EINVAL);
    assert_null(q);
    assert_non_null(strstr(err.message, "did you mean 'User'"));
    rorm_db_close(db);
}

static void test_api_query__values_are_never_sql(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = seeded();
    const char *evil = "x' OR '1'='1'; DROP TABLE users; --";
    rorm_query *q = users(db);
    rorm_query_where(q, "name", "=", &RORM_TEXT(evil));
    assert_string_equal(ids_of(q), "");
    int64_t id = fx_user(db, "evil@x.io", evil, 1);
    q = users(db);
    rorm_query_where(q, "name", "=", &RORM_TEXT(evil));
    rorm_value rec;
    assert_rorm_ok(rorm_query_first(&rec, q, &err), &err);
    assert_int_equal(rorm_value_object_get(&rec, "id")->u.i, id);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "name")), evil);
    rorm_value_dispose(&rec);
    rorm_query_free(q);
    int64_t n;
    q = users(db);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 7);
    rorm_query_free(q);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_query__comparison_operators),
        cmocka_unit_test(test_api_query__in_and_not_in),
        cmocka_unit_test(test_api_query__and_or_groups),
        cmocka_unit_test(test_api_query__order_limit_offset_select),
        cmocka_unit_test(test_api_query__first_and_count),
        cmocka_unit_test(test_api_query__errors_are_sticky_and_named),
        cmocka_unit_test(test_api_query__values_are_never_sql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
