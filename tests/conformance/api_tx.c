/*
 * Transactions on every database: commit, rollback, savepoints, misuse, and a constraint failure
 * inside a transaction leaving it usable.
 */
#include <string.h>

#include "api_fixture.h"

static int64_t count_users(rorm_db *db)
{
    rorm_error err = { 0 };
    rorm_query *q = NULL;
    int64_t n = -1;
    assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    rorm_query_free(q);
    return n;
}

static void test_api_tx__commit_and_rollback(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    fx_user(tx, "a@x.io", "A", 1);
    fx_user(tx, "b@x.io", "B", 2);
    assert_int_equal(count_users(tx), 2);
    assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    assert_int_equal(count_users(db), 2);

    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    int64_t id = fx_user(tx, "c@x.io", "C", 3);
    rorm_member change[] = { { "name", RORM_TEXT("changed") } };
    assert_rorm_ok(rorm_db_update(tx, "User", &RORM_INT(1), &RORM_OBJECT(change), &err), &err);
    assert_rorm_ok(rorm_db_rollback(tx, &err), &err);
    assert_int_equal(count_users(db), 2);
    rorm_value rec;
    assert_int_equal(rorm_db_find(db, "User", &RORM_INT(id), &rec, &err), RORM_ENOTFOUND);
    assert_rorm_ok(rorm_db_find(db, "User", &RORM_INT(1), &rec, &err), &err);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "name")), "A");
    rorm_value_dispose(&rec);
    rorm_db_close(db);
}

static void test_api_tx__savepoints(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    rorm_db *tx = NULL, *inner = NULL, *inner2 = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    fx_user(tx, "outer@x.io", "O", 1);
    assert_rorm_ok(rorm_db_begin(&inner, tx, &err), &err);
    fx_user(inner, "inner@x.io", "I", 2);
    /* Finishing the outer transaction while a savepoint is open is refused. */
    assert_int_equal(rorm_db_commit(tx, &err), RORM_ESTATE);
    assert_rorm_ok(rorm_db_rollback(inner, &err), &err);
    assert_int_equal(count_users(tx), 1);
    assert_rorm_ok(rorm_db_begin(&inner, tx, &err), &err);
    fx_user(inner, "kept@x.io", "K", 3);
    assert_rorm_ok(rorm_db_begin(&inner2, inner, &err), &err);
    fx_user(inner2, "deep@x.io", "D", 4);
    assert_rorm_ok(rorm_db_commit(inner2, &err), &err);
    assert_rorm_ok(rorm_db_commit(inner, &err), &err);
    assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    assert_int_equal(count_users(db), 3);

    /* Committed savepoints still vanish when the outer transaction rolls back. */
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    assert_rorm_ok(rorm_db_begin(&inner, tx, &err), &err);
    fx_user(inner, "gone@x.io", "G", 5);
    assert_rorm_ok(rorm_db_commit(inner, &err), &err);
    assert_rorm_ok(rorm_db_rollback(tx, &err), &err);
    assert_int_equal(count_users(db), 3);
    rorm_db_close(db);
}

static void test_api_tx__failed_statement_leaves_transaction_usable(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    fx_user(tx, "same@x.io", "S", 1);
    rorm_member dup[] = { { "email", RORM_TEXT("same@x.io") }, { "name", RORM_TEXT("T") } };
    assert_int_equal(rorm_db_insert(tx, "User", &RORM_OBJECT(dup), NULL, &err), RORM_ECONSTRAINT);
    if (rorm_test_has(RORM_TESTCAP_TX_CONTINUES_AFTER_ERROR)) {
        fx_user(tx, "other@x.io", "O", 2);
        assert_rorm_ok(rorm_db_commit(tx, &err), &err);
        assert_int_equal(count_users(db), 2);
    } else {
        /* PostgreSQL: the transaction is aborted; statements fail until it ends, and a commit
           reports that it rolled back instead of pretending to succeed. */
        rorm_member other[] = { { "email", RORM_TEXT("other@x.io") }, { "name", RORM_TEXT("O") } };
        assert_int_not_equal(rorm_db_insert(tx, "User", &RORM_OBJECT(other), NULL, &err), RORM_OK);
        assert_int_equal(rorm_db_commit(tx, &err), RORM_ESTATE);
        assert_int_equal(count_users(db), 0);
        /* A savepoint keeps the transaction usable: roll back to it after the failure. */
        assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
        fx_user(tx, "same@x.io", "S", 1);
        rorm_db *sp = NULL;
        assert_rorm_ok(rorm_db_begin(&sp, tx, &err), &err);
        assert_int_equal(rorm_db_insert(sp, "User", &RORM_OBJECT(dup), NULL, &err),
                         RORM_ECONSTRAINT);
        assert_rorm_ok(rorm_db_rollback(sp, &err), &err);
        fx_user(tx, "other@x.io", "O", 2);
        assert_rorm_ok(rorm_db_commit(tx, &err), &err);
        assert_int_equal(count_users(db), 2);
    }
    rorm_db_close(db);
}

/* DDL inside a rolled-back transaction: undone where DDL is transactional, kept on MySQL. */
static void test_api_tx__ddl_in_transactions(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    assert_rorm_ok(
        rorm_db_execute_raw(tx, "CREATE TABLE ddl_probe (n INTEGER)", NULL, 0, NULL, &err), &err);
    assert_rorm_ok(rorm_db_rollback(tx, &err), &err);
    rorm_rows *rows = NULL;
    int rc = rorm_db_query_raw(&rows, db, "SELECT COUNT(*) FROM ddl_probe", NULL, 0, &err);
    if (rorm_test_has(RORM_TESTCAP_TRANSACTIONAL_DDL)) {
        assert_int_equal(rc, RORM_EDRIVER); /* no such table: the CREATE was rolled back */
    } else {
        assert_rorm_ok(rc, &err); /* MySQL commits DDL implicitly */
        assert_int_equal(rorm_value_as_int(rorm_rows_get(rows, 0, 0), -1), 0);
    }
    rorm_rows_free(rows);
    rorm_db_close(db);
}

static void test_api_tx__misuse_is_an_error(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    assert_int_equal(rorm_db_commit(db, &err), RORM_ESTATE);
    assert_int_equal(rorm_db_rollback(db, &err), RORM_ESTATE);
    assert_int_equal(rorm_db_commit(NULL, &err), RORM_ESTATE);
    rorm_db *tx = NULL;
    assert_int_equal(rorm_db_begin(NULL, db, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_begin(&tx, NULL, &err), RORM_EINVAL);
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    rorm_schema *s = NULL;
    assert_rorm_ok(rorm_schema_new(&s, &err), &err);
    assert_int_equal(rorm_db_register(tx, s, &err), RORM_ESTATE);
    rorm_schema_release(s);
    assert_rorm_ok(rorm_db_rollback(tx, &err), &err);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_tx__commit_and_rollback),
        cmocka_unit_test(test_api_tx__savepoints),
        cmocka_unit_test(test_api_tx__failed_statement_leaves_transaction_usable),
        cmocka_unit_test(test_api_tx__ddl_in_transactions),
        cmocka_unit_test(test_api_tx__misuse_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
