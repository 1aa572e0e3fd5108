/*
 * Edge values on every database: empty and NULL text, the int64 and int32 limits, decimal 0.1
 * and long decimals, floats, dates before 1970 and after 2038, 4-byte UTF-8, large text and
 * blobs, NUL bytes, every list type, and lookups by them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"

/* Insert a Thing with @p members and read it back. */
static void round_trip(rorm_db *db, rorm_member *members, size_t n, rorm_value *rec)
{
    rorm_error err = { 0 };
    rorm_value id;
    assert_rorm_ok(rorm_db_insert(db, "Thing", &RORM_OBJECT_N(members, n), &id, &err), &err);
    assert_rorm_ok(rorm_db_find(db, "Thing", &id, rec, &err), &err);
    rorm_value_dispose(&id);
}

static void expect_same(const rorm_value *rec, rorm_member *members, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const rorm_value *got = rorm_value_object_get(rec, members[i].key);
        assert_non_null(got);
        if (!rorm_value_equal(got, &members[i].value)) {
            char *a = NULL, *b = NULL;
            size_t len;
            rorm_value_to_json(&a, &len, got);
            rorm_value_to_json(&b, &len, &members[i].value);
            fail_msg("%s: field %s: got %.200s, want %.200s", rorm_test_target_name(),
                     members[i].key, a ? a : "?", b ? b : "?");
        }
    }
}

static void test_api_values__integers_and_empty_text(void **state)
{
    (void)state;
    rorm_db *db = fx_open();
    rorm_value rec;
    rorm_member lo[] = {
        { "s", RORM_TEXT("") },       { "i", RORM_INT(INT32_MIN) }, { "big", RORM_INT(INT64_MIN) },
        { "label", RORM_NULL_VALUE }, { "f", RORM_DOUBLE(-0.5) },   { "b", RORM_BOOL(false) },
    };
    round_trip(db, lo, RORM_COUNT(lo), &rec);
    expect_same(&rec, lo, RORM_COUNT(lo));
    rorm_value_dispose(&rec);
    rorm_member hi[] = {
        { "s", RORM_NULL_VALUE },       { "i", RORM_INT(INT32_MAX) },
        { "big", RORM_INT(INT64_MAX) }, { "f", RORM_DOUBLE(1.7976931348623157e308) },
        { "b", RORM_BOOL(true) },
    };
    round_trip(db, hi, RORM_COUNT(hi), &rec);
    expect_same(&rec, hi, RORM_COUNT(hi));
    rorm_value_dispose(&rec);
    rorm_member tiny[] = { { "f", RORM_DOUBLE(5e-324) }, { "big", RORM_INT(0) } };
    round_trip(db, tiny, RORM_COUNT(tiny), &rec);
    expect_same(&rec, tiny, RORM_COUNT(tiny));
    rorm_value_dispose(&rec);

    /* Lookups by the extremes find exactly those rows. */
    rorm_error err = { 0 };
    rorm_query *q = NULL;
    int64_t n = 0;
    assert_rorm_ok(rorm_query_new(&q, db, "Thing", &err), &err);
    rorm_query_where(q, "big", "=", &RORM_INT(INT64_MIN));
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 1);
    rorm_query_free(q);
    assert_rorm_ok(rorm_query_new(&q, db, "Thing", &err), &err);
    rorm_query_where(q, "s", "=", &RORM_TEXT(""));
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 1); /* the empty string is not NULL */
    rorm_query_free(q);
    assert_rorm_ok(rorm_query_new(&q, db, "Thing", &err), &err);
    rorm_query_where(q, "s", "is null", NULL);
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 2);
    rorm_query_free(q);
    rorm_db_close(db);
}

static void test_api_values__decimals(void **state)
{
    (void)state;
    rorm_db *db = fx_open();
    rorm_value rec;
    rorm_member a[] = { { "dec", RORM_DECIMAL("0.1") } };
    round_trip(db, a, 1, &rec);
    expect_same(&rec, a, 1);
    rorm_value_dispose(&rec);
    rorm_member b[] = { { "dec", RORM_DECIMAL("-123456789.000001") } };
    round_trip(db, b, 1, &rec);
    expect_same(&rec, b, 1);
    rorm_value_dispose(&rec);
    rorm_member z[] = { { "dec", RORM_DECIMAL("0") } };
    round_trip(db, z, 1, &rec);
    expect_same(&rec, z, 1);
    rorm_value_dispose(&rec);
    /* 35 integer digits and 30 fractional ones: exact on the servers (DECIMAL(65,30)). */
    const char *longdec = "12345678901234567890123456789012345.123456789012345678901234567891";
    rorm_member c[] = { { "dec", RORM_DECIMAL(longdec) } };
    round_trip(db, c, 1, &rec);
    const char *got = rorm_value_as_text(rorm_value_object_get(&rec, "dec"));
    assert_non_null(got);
    if (rorm_test_has(RORM_TESTCAP_DECIMAL_EXACT)) {
        assert_string_equal(got, longdec);
    } else {
        /* SQLite keeps 15 significant digits (NUMERIC affinity stores a REAL). */
        if (strncmp(got, "1.23456789012345", 16) != 0 || strstr(got, "e+34") == NULL) {
            fail_msg("SQLite decimal came back as %s", got);
        }
    }
    rorm_value_dispose(&rec);
    /* 0.1 + 0.2 is 0.3 in the database's decimal arithmetic, not 0.30000000000000004. */
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    rorm_value p[] = { RORM_DECIMAL("0.1") };
    assert_rorm_ok(rorm_db_query_raw(&rows, db,
                                     rorm_test_sql("SELECT COUNT(*) FROM things WHERE \"dec\" = ?"),
                                     p, 1, &err),
                   &err);
    assert_int_equal(rorm_value_as_int(rorm_rows_get(rows, 0, 0), -1), 1);
    rorm_rows_free(rows);
    rorm_db_close(db);
}

static void test_api_values__datetimes(void **state)
{
    (void)state;
    rorm_db *db = fx_open();
    rorm_error err = { 0 };
    static const char *const dates[] = {
        "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "1900-02-28T12:34:56.789Z",
        "1000-01-01T00:00:00.001Z", "2038-01-19T03:14:08.000Z", "2100-12-31T23:59:59.999Z",
        "9999-12-31T23:59:59.999Z", "0500-06-15T06:00:00.000Z",
    };
    for (size_t i = 0; i < RORM_COUNT(dates); i++) {
        int64_t ms;
        assert_rorm_ok(rorm_datetime_parse(&ms, dates[i], strlen(dates[i])), &err);
        rorm_member m[] = { { "at", RORM_DATETIME(ms) } };
        rorm_value id, rec;
        assert_rorm_ok(rorm_db_insert(db, "Thing", &RORM_OBJECT(m), &id, &err), &err);
        assert_rorm_ok(rorm_db_find(db, "Thing", &id, &rec, &err), &err);
        const rorm_value *at = rorm_value_object_get(&rec, "at");
        if (at->type != RORM_TYPE_DATETIME || at->u.ms != ms) {
            char buf[40];
            rorm_datetime_format(buf, sizeof buf, at->u.ms);
            fail_msg("%s: %s came back as %s", rorm_test_target_name(), dates[i], buf);
        }
        /* The stored value compares as the same instant. */
        rorm_query *q = NULL;
        int64_t n = 0;
        assert_rorm_ok(rorm_query_new(&q, db, "Thing", &err), &err);
        rorm_query_where(q, "at", "=", &RORM_DATETIME(ms));
        assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
        assert_int_equal(n, 1);
        rorm_query_free(q);
        rorm_value_dispose(&rec);
        rorm_value_dispose(&id);
    }
    rorm_db_close(db);
}

static void test_api_values__large_and_unicode(void **state)
{
    (void)state;
    rorm_db *db = fx_open();
    rorm_error err = { 0 };
    size_t big = 4u << 20; /* 4 MiB */
    char *text = malloc(big + 1);
    uint8_t *blob = malloc(big);
    assert_non_null(text);
    assert_non_null(blob);
    for (size_t i = 0; i < big; i++) {
        text[i] = (char)('a' + i % 26);
        blob[i] = (uint8_t)(i * 7 + (i >> 8));
    }
    text[big] = '\0';
    rorm_member m[] = {
        { "raw", RORM_BYTES(blob, big) },
        { "doc", RORM_JSON("{\"emoji\":\"\xf0\x9f\x98\x80\",\"n\":1}") },
        { "label", RORM_TEXT("\xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87 \xc3\xa9") },
    };
    rorm_value rec;
    round_trip(db, m, RORM_COUNT(m), &rec);
    const rorm_value *raw = rorm_value_object_get(&rec, "raw");
    assert_int_equal(raw->type, RORM_TYPE_BYTES);
    assert_int_equal(raw->u.bytes.len, big);
    assert_memory_equal(raw->u.bytes.ptr, blob, big);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "label")),
                        "\xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87 \xc3\xa9");
    assert_non_null(
        strstr(rorm_value_as_text(rorm_value_object_get(&rec, "doc")), "\xf0\x9f\x98\x80"));
    rorm_value_dispose(&rec);

    /* Large text: on MySQL a String is VARCHAR(191), so long text needs a TEXT column; Json
       holds it everywhere. */
    rorm_value long_text = { .type = RORM_TYPE_TEXT,
                             .flags = RORM_VALUE_BORROWED,
                             .u.s = { text, big } };
    rorm_member lt[] = { { "tags", RORM_ARRAY_N(&long_text, 1) } };
    round_trip(db, lt, 1, &rec);
    const rorm_value *tags = rorm_value_object_get(&rec, "tags");
    assert_int_equal(rorm_value_len(tags), 1);
    assert_int_equal(rorm_value_array_at(tags, 0)->u.s.len, big);
    assert_memory_equal(rorm_value_array_at(tags, 0)->u.s.ptr, text, big);
    rorm_value_dispose(&rec);

    /* An empty blob stays an empty blob, not NULL. */
    rorm_member e[] = { { "raw", RORM_BYTES("", 0) } };
    round_trip(db, e, 1, &rec);
    assert_int_equal(rorm_value_object_get(&rec, "raw")->type, RORM_TYPE_BYTES);
    assert_int_equal(rorm_value_object_get(&rec, "raw")->u.bytes.len, 0);
    rorm_value_dispose(&rec);

    /* Text with a NUL byte: kept whole where the database allows it, refused where not. */
    rorm_value nul = { .type = RORM_TYPE_TEXT, .flags = RORM_VALUE_BORROWED, .u.s = { "a\0b", 3 } };
    rorm_member n[] = { { "label", nul } };
    rorm_value id;
    int rc = rorm_db_insert(db, "Thing", &RORM_OBJECT(n), &id, &err);
    if (rorm_test_has(RORM_TESTCAP_TEXT_NUL)) {
        assert_rorm_ok(rc, &err);
        assert_rorm_ok(rorm_db_find(db, "Thing", &id, &rec, &err), &err);
        assert_true(rorm_value_equal(rorm_value_object_get(&rec, "label"), &nul));
        rorm_value_dispose(&rec);
        rorm_value_dispose(&id);
    } else {
        assert_int_equal(rc, RORM_EINVAL);
        assert_non_null(strstr(err.message, "NUL"));
    }
    free(text);
    free(blob);
    rorm_db_close(db);
}

static void test_api_values__lists(void **state)
{
    (void)state;
    rorm_db *db = fx_open();
    rorm_value tags[] = { RORM_TEXT(""),        RORM_TEXT("a,b"),  RORM_TEXT("q\"uote\\slash"),
                          RORM_TEXT("{brace}"), RORM_TEXT("NULL"), RORM_TEXT("\xf0\x9f\x98\x80") };
    rorm_value scores[] = { RORM_INT(INT32_MIN), RORM_INT(0), RORM_INT(INT32_MAX) };
    rorm_member m[] = { { "tags", RORM_ARRAY(tags) }, { "scores", RORM_ARRAY(scores) } };
    rorm_value rec;
    round_trip(db, m, RORM_COUNT(m), &rec);
    expect_same(&rec, m, RORM_COUNT(m));
    rorm_value_dispose(&rec);
    rorm_value none[1];
    rorm_member e[] = { { "tags", RORM_ARRAY_N(none, 0) }, { "scores", RORM_ARRAY_N(none, 0) } };
    round_trip(db, e, RORM_COUNT(e), &rec);
    expect_same(&rec, e, RORM_COUNT(e));
    rorm_value_dispose(&rec);
    /* Updating a list replaces it. */
    rorm_error err = { 0 };
    rorm_value id;
    assert_rorm_ok(rorm_db_insert(db, "Thing", &RORM_OBJECT(m), &id, &err), &err);
    rorm_value two[] = { RORM_TEXT("x"), RORM_TEXT("y") };
    rorm_member up[] = { { "tags", RORM_ARRAY(two) } };
    assert_rorm_ok(rorm_db_update(db, "Thing", &id, &RORM_OBJECT(up), &err), &err);
    assert_rorm_ok(rorm_db_find(db, "Thing", &id, &rec, &err), &err);
    expect_same(&rec, up, 1);
    rorm_value_dispose(&rec);
    rorm_value_dispose(&id);
    rorm_db_close(db);
}

static void test_api_values__update_counts_unchanged_rows(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    int64_t id = fx_user(db, "same@x.io", "Same", 5);
    /* Writing the values a row already has still finds the row (MySQL: CLIENT_FOUND_ROWS). */
    rorm_member same[] = { { "name", RORM_TEXT("Same") }, { "age", RORM_INT(5) } };
    assert_rorm_ok(rorm_db_update(db, "User", &RORM_INT(id), &RORM_OBJECT(same), &err), &err);
    int64_t affected = -1;
    rorm_value p[] = { RORM_INT(5), RORM_INT(id) };
    assert_rorm_ok(rorm_db_execute_raw(db, rorm_test_sql("UPDATE users SET age = ? WHERE id = ?"),
                                       p, 2, &affected, &err),
                   &err);
    assert_int_equal(affected, 1);
    rorm_db_close(db);
}

/*
 * Text and JSON whose length sits at the edges of the drivers' result buffers (MariaDB grows
 * them on demand), followed by more text and JSON columns in the same row, over several rows
 * read by the same cached statement: every column of every row comes back whole.
 */
static void test_api_values__lengths_at_buffer_edges(void **state)
{
    (void)state;
    rorm_db *db = fx_open();
    static const size_t lengths[] = { 0,   1,   62,  63,  64,   65,   66,   127,
                                      128, 129, 255, 256, 4095, 4096, 70000 };
    char *text = malloc(70001);
    char *json = malloc(70010);
    assert_non_null(text);
    assert_non_null(json);
    for (size_t k = 0; k < RORM_COUNT(lengths); k++) {
        size_t n = lengths[k];
        for (size_t i = 0; i < n; i++) {
            text[i] = (char)('a' + (i + k) % 26);
        }
        text[n] = '\0';
        snprintf(json, 70010, "[\"%s\"]", text);
        rorm_value tags[] = { RORM_TEXT(text), RORM_TEXT("after") };
        /* String is VARCHAR(191) on MySQL (Prisma's default): the long values go to the JSON
           and list columns, which are unbounded everywhere. */
        rorm_value short_text = RORM_TEXT(text);
        if (short_text.u.s.len > 191) {
            short_text.u.s.len = 191;
        }
        char short_copy[192];
        memcpy(short_copy, text, short_text.u.s.len);
        short_copy[short_text.u.s.len] = '\0';
        short_text.u.s.ptr = short_copy;
        rorm_member m[] = {
            { "s", short_text },
            { "dec", RORM_DECIMAL("1.5") },
            { "doc", RORM_JSON(json) },
            { "tags", RORM_ARRAY(tags) },
            { "label", RORM_TEXT("tail") },
        };
        rorm_value rec;
        round_trip(db, m, RORM_COUNT(m), &rec);
        const rorm_value *doc = rorm_value_object_get(&rec, "doc");
        assert_non_null(doc);
        assert_int_equal(doc->type, RORM_TYPE_JSON);
        /* A server may normalise JSON spacing; the string inside must be whole. */
        assert_non_null(strstr(doc->u.s.ptr, text));
        m[2] = m[0]; /* compare the other members exactly */
        expect_same(&rec, m, RORM_COUNT(m));
        rorm_value_dispose(&rec);
    }
    free(text);
    free(json);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_values__integers_and_empty_text),
        cmocka_unit_test(test_api_values__lengths_at_buffer_edges),
        cmocka_unit_test(test_api_values__decimals),
        cmocka_unit_test(test_api_values__datetimes),
        cmocka_unit_test(test_api_values__large_and_unicode),
        cmocka_unit_test(test_api_values__lists),
        cmocka_unit_test(test_api_values__update_counts_unchanged_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
