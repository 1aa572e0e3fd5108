/*
 * Streams (rorm_db_stream): the records of a findMany one at a time, on every database. 20,000
 * rows here; tests/large/ reads 1,000,000 and measures memory. Checked: the same records in the
 * same order as findMany (where, orderBy, select, skip/take, cursor), the connection given back
 * at the end, on error and on an early close, transactions, what is refused, errors mid-stream.
 */
#include <unistd.h>

#include "pc_fixture.h"

#define NPOSTS 20000

/* Stream @p args and check every record equals findMany's, in order; returns the count. */
static size_t same_as_find_many(rorm_db *db, const char *args)
{
    rorm_error err = { 0 };
    char *ref = NULL;
    assert_rorm_ok(rorm_db_call_json(&ref, db, "Post", "findMany", args, &err), &err);
    rorm_cursor *cur = NULL;
    assert_rorm_ok(rorm_db_stream_json(&cur, db, "Post", args, &err), &err);
    /* Each streamed record, as JSON, is the next element of findMany's array. */
    const char *p = ref + 1;
    size_t n = 0;
    rorm_value row;
    int rc;
    while ((rc = rorm_cursor_next(&row, cur, &err)) == 1) {
        char *rj = NULL;
        size_t len = 0;
        assert_int_equal(rorm_value_to_json(&rj, &len, &row), RORM_OK);
        if (strncmp(p, rj, len) != 0) {
            fail_msg("record %zu differs: stream %s, findMany %.200s", n, rj, p);
        }
        p += len;
        p += *p == ',';
        rorm_free(rj);
        rorm_value_dispose(&row);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_string_equal(p, "]");
    /* At the end the value is null and the cursor stays at the end. */
    assert_int_equal(row.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_cursor_next(&row, cur, &err), 0);
    rorm_cursor_close(cur);
    rorm_free(ref);
    return n;
}

static void test_pc_stream__same_records_as_find_many(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    pc_seed_posts(db, NPOSTS, 0);
    assert_int_equal(same_as_find_many(db, "{\"orderBy\": {\"id\": \"asc\"}}"), NPOSTS);
    assert_int_equal(same_as_find_many(db,
                                       "{\"where\": {\"views\": {\"gte\": 90}}, "
                                       "\"orderBy\": [{\"views\": \"desc\"}, {\"id\": \"asc\"}],"
                                       " \"select\": {\"id\": true, \"views\": true}}"),
                     NPOSTS / 10);
    assert_int_equal(same_as_find_many(db, "{\"orderBy\": {\"id\": \"desc\"}, \"skip\": 100, "
                                           "\"take\": 5000, \"omit\": {\"title\": true}}"),
                     5000);
    assert_int_equal(same_as_find_many(db, "{\"cursor\": {\"id\": 19990}, \"orderBy\": {\"id\": "
                                           "\"asc\"}}"),
                     11);
    assert_int_equal(same_as_find_many(db, "{\"cursor\": {\"id\": 999999}}"), 0);
    assert_int_equal(same_as_find_many(db, "{\"where\": {\"title\": \"nothing\"}}"), 0);
    /* A relation filter is one statement: it streams. */
    assert_int_equal(same_as_find_many(db, "{\"where\": {\"author\": {\"is\": null}}, \"take\": "
                                           "3, \"orderBy\": {\"id\": \"asc\"}}"),
                     3);
    rorm_db_close(db);
}

/* Whether a call on @p db succeeds now (a pool of one connection must have it back). */
static void assert_db_serves(rorm_db *db)
{
    rorm_error err = { 0 };
    char *json = NULL;
    assert_rorm_ok(rorm_db_call_json(&json, db, "Post", "count", NULL, &err), &err);
    rorm_free(json);
}

static rorm_db *open_one_connection(void)
{
    /* A pool of one connection: a connection not given back makes the next call time out. */
    rorm_db *db = pc_open();
    rorm_db_close(db);
    char url[1024];
    const char *base = rorm_test_open_url();
    snprintf(url, sizeof url, "%s%sconnection_limit=1", base, strchr(base, '?') ? "&" : "?");
    rorm_error err = { 0 };
    if (rorm_test_target_of() == RORM_TARGET_SQLITE_MEMORY) {
        snprintf(url, sizeof url, "%s", base); /* one shared connection already */
    }
    assert_rorm_ok(rorm_db_open(&db, url, &err), &err);
    return pc_register(db);
}

static void test_pc_stream__connection_given_back(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = open_one_connection();
    pc_seed_posts(db, NPOSTS, 0);
    /* Early close, many times over: each gives its connection back. */
    for (int i = 0; i < 10; i++) {
        rorm_cursor *cur = NULL;
        assert_rorm_ok(
            rorm_db_stream_json(&cur, db, "Post", "{\"orderBy\": {\"id\": \"asc\"}}", &err), &err);
        rorm_value row;
        for (int k = 0; k < 10 * i + 1; k++) {
            assert_int_equal(rorm_cursor_next(&row, cur, &err), 1);
            assert_int_equal(rorm_value_as_int(rorm_value_object_get(&row, "id"), -1), k + 1);
            rorm_value_dispose(&row);
        }
        rorm_cursor_close(cur);
        assert_db_serves(db);
    }
    /* Read to the end: the connection is back before the close. */
    rorm_cursor *cur = NULL;
    assert_rorm_ok(rorm_db_stream_json(&cur, db, "Post", "{\"take\": 3}", &err), &err);
    rorm_value row;
    while (rorm_cursor_next(&row, cur, &err) == 1) {
        rorm_value_dispose(&row);
    }
    assert_db_serves(db);
    rorm_cursor_close(cur);
    /* A cursor closed before its first row, and a NULL cursor. */
    assert_rorm_ok(rorm_db_stream_json(&cur, db, "Post", NULL, &err), &err);
    rorm_cursor_close(cur);
    rorm_cursor_close(NULL);
    assert_db_serves(db);
    rorm_db_close(db);
}

static void test_pc_stream__refused(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = pc_open();
    rorm_cursor *cur = (rorm_cursor *)1;
    assert_int_equal(
        rorm_db_stream_json(&cur, db, "User", "{\"include\": {\"posts\": true}}", &err),
        RORM_EUNSUPPORTED);
    assert_null(cur);
    assert_contains(err.message, "does not support relations");
    assert_int_equal(
        rorm_db_stream_json(&cur, db, "User", "{\"select\": {\"_count\": true}}", &err),
        RORM_EUNSUPPORTED);
    assert_int_equal(rorm_db_stream_json(&cur, db, "User", "{\"select\": {\"posts\": true}}", &err),
                     RORM_EUNSUPPORTED);
    assert_int_equal(rorm_db_stream_json(&cur, db, "Post", "{\"distinct\": [\"views\"]}", &err),
                     RORM_EUNSUPPORTED);
    assert_contains(err.message, "distinct");
    assert_int_equal(rorm_db_stream_json(&cur, db, "Post", "{\"take\": -3}", &err),
                     RORM_EUNSUPPORTED);
    assert_contains(err.message, "negative take");
    assert_int_equal(rorm_db_stream_json(&cur, db, "Post", "{\"where\": {\"nope\": 1}}", &err),
                     RORM_EINVAL);
    assert_contains(err.message, "nope");
    assert_int_equal(rorm_db_stream_json(&cur, db, "Nope", NULL, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_stream_json(&cur, db, "Post", "{", &err), RORM_EPARSE);
    assert_int_equal(rorm_db_stream(NULL, db, "Post", NULL, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_stream(&cur, NULL, "Post", NULL, &err), RORM_EINVAL);
    rorm_value row;
    assert_int_equal(rorm_cursor_next(&row, NULL, &err), RORM_EINVAL);
    assert_db_serves(db);
    rorm_db_close(db);
}

static void test_pc_stream__in_a_transaction(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = pc_open();
    pc_seed_posts(db, 100, 0);
    rorm_db *tx = NULL;
    assert_rorm_ok(rorm_db_begin(&tx, db, &err), &err);
    char *json = NULL;
    assert_rorm_ok(
        rorm_db_call_json(&json, tx, "Post", "create", "{\"data\": {\"title\": \"new\"}}", &err),
        &err);
    rorm_free(json);
    rorm_cursor *cur = NULL;
    assert_rorm_ok(rorm_db_stream_json(&cur, tx, "Post", "{\"orderBy\": {\"id\": \"desc\"}}", &err),
                   &err);
    rorm_value row;
    assert_int_equal(rorm_cursor_next(&row, cur, &err), 1);
    /* The transaction's own insert is visible to its stream. */
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&row, "title")), "new");
    rorm_value_dispose(&row);
    /* While the stream holds the connection, the transaction refuses other work. */
    assert_int_equal(rorm_db_call_json(&json, tx, "Post", "count", NULL, &err), RORM_ESTATE);
    assert_contains(err.message, "stream is open");
    rorm_cursor *second = NULL;
    assert_int_equal(rorm_db_stream_json(&second, tx, "Post", NULL, &err), RORM_ESTATE);
    rorm_db *sp = NULL;
    assert_int_equal(rorm_db_begin(&sp, tx, &err), RORM_ESTATE);
    assert_int_equal(rorm_db_commit(tx, &err), RORM_ESTATE);
    assert_int_equal(rorm_db_rollback(tx, &err), RORM_ESTATE);
    /* The stream itself goes on. */
    size_t n = 1;
    while (rorm_cursor_next(&row, cur, &err) == 1) {
        rorm_value_dispose(&row);
        n++;
    }
    assert_int_equal(n, 101);
    rorm_cursor_close(cur);
    /* Closed: the transaction works again. A stream on a savepoint holds it too. */
    assert_rorm_ok(rorm_db_begin(&sp, tx, &err), &err);
    assert_rorm_ok(rorm_db_stream_json(&cur, sp, "Post", NULL, &err), &err);
    assert_int_equal(rorm_db_call_json(&json, tx, "Post", "count", NULL, &err), RORM_ESTATE);
    assert_int_equal(rorm_db_commit(sp, &err), RORM_ESTATE);
    rorm_cursor_close(cur);
    assert_rorm_ok(rorm_db_commit(sp, &err), &err);
    assert_rorm_ok(rorm_db_commit(tx, &err), &err);
    pc_expect(db, "Post", "count", NULL, "101");
    rorm_db_close(db);
}

/* An error in the middle: rows before it come out, then the error, again on every call. */
/* Servers: @p n Docs of 8 KiB each, so that the server is still sending (80 MB, more than
   socket buffers hold) when the session is killed. */
static void seed_docs(rorm_db *db, size_t n)
{
    static unsigned char blob[8192];
    memset(blob, 'b', sizeof blob);
    rorm_error err = { 0 };
    enum { BATCH = 500 };
    rorm_member members[BATCH][1];
    rorm_value recs[BATCH];
    for (size_t done = 0; done < n; done += BATCH) {
        for (size_t i = 0; i < BATCH; i++) {
            members[i][0] = (rorm_member){ "blob", RORM_BYTES(blob, sizeof blob) };
            recs[i] = RORM_OBJECT(members[i]);
        }
        rorm_member args[] = { { "data", RORM_ARRAY_N(recs, BATCH) } };
        rorm_value out;
        assert_rorm_ok(rorm_db_call(&out, db, "Doc", "createMany", &RORM_OBJECT(args), &err), &err);
        rorm_value_dispose(&out);
    }
}

/* An error in the middle: rows before it come out, then the error, again on every call. */
static void test_pc_stream__error_mid_stream(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = open_one_connection();
    bool server = rorm_test_has(RORM_TESTCAP_SERVER);
    rorm_db *admin = NULL;
    int64_t victim = -1;
    const char *model = server ? "Doc" : "Post";
    size_t total = server ? 10000 : 200;
    if (server) {
        seed_docs(db, total);
        victim = rorm_test_session_id(db); /* the pool's only connection: the stream's */
        assert_rorm_ok(rorm_db_open(&admin, rorm_test_open_url(), &err), &err);
    } else {
        /* SQLite: a value the schema's type cannot take, in row 101. */
        pc_seed_posts(db, total, 0);
        assert_rorm_ok(rorm_db_execute_raw(db,
                                           "UPDATE \"Post\" SET \"views\" = 'many' WHERE "
                                           "\"id\" = 101",
                                           NULL, 0, NULL, &err),
                       &err);
    }
    rorm_cursor *cur = NULL;
    assert_rorm_ok(rorm_db_stream_json(&cur, db, model, "{\"orderBy\": {\"id\": \"asc\"}}", &err),
                   &err);
    rorm_value row;
    int rc;
    size_t n = 0;
    while ((rc = rorm_cursor_next(&row, cur, &err)) == 1) {
        if (!server) {
            assert_int_equal(rorm_value_as_int(rorm_value_object_get(&row, "id"), -1),
                             (int64_t)n + 1);
        }
        rorm_value_dispose(&row);
        n++;
        if (server && n == 10) {
            rorm_test_kill_session(admin, victim);
        }
    }
    if (rc >= 0) {
        fail_msg("the stream ended without an error after %zu rows", n);
    }
    if (server) {
        assert_true(n >= 10 && n < total);
        if (rc != RORM_ECONNECTION) {
            fail_msg("expected a lost connection, got %d: %s", rc, err.message);
        }
    } else {
        assert_int_equal(n, 100);
        assert_contains(err.message, "views");
    }
    char first[RORM_ERROR_MESSAGE_SIZE];
    snprintf(first, sizeof first, "%s", err.message);
    /* The same error again; the connection is back (replaced when it was lost). */
    memset(&err, 0, sizeof err);
    assert_int_equal(rorm_cursor_next(&row, cur, &err), rc);
    assert_string_equal(err.message, first);
    assert_int_equal(row.type, RORM_TYPE_NULL);
    assert_db_serves(db);
    rorm_cursor_close(cur);
    assert_db_serves(db);
    rorm_db_close(admin);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_stream__same_records_as_find_many),
        cmocka_unit_test(test_pc_stream__connection_given_back),
        cmocka_unit_test(test_pc_stream__refused),
        cmocka_unit_test(test_pc_stream__in_a_transaction),
        cmocka_unit_test(test_pc_stream__error_mid_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
