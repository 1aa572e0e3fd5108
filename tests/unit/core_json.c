/*
 * Tests for JSON: rorm_value_to_json (escaping, UTF-8, doubles, every type) and the internal
 * parser rorm__json_parse (values, key order, numbers, escapes, errors with offsets, depth,
 * out-of-memory).
 */
#include "harness/harness.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "util/alloc.h"

/* Render @p v and compare with @p want. */
static void expect_json(const rorm_value *v, const char *want)
{
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(rorm_value_to_json(&out, &len, v), RORM_OK);
    assert_non_null(out);
    if (strcmp(out, want) != 0) {
        fail_msg("got %s, want %s", out, want);
    }
    assert_int_equal(len, strlen(want));
    rorm_free(out);
}

static void expect_text_json(const char *s, size_t n, const char *want)
{
    rorm_value v = { .type = RORM_TYPE_TEXT, .flags = RORM_VALUE_BORROWED };
    v.u.s.ptr = s;
    v.u.s.len = n;
    expect_json(&v, want);
}

static void test_core_json__scalars(void **state)
{
    (void)state;
    rorm_value v = RORM_NULL_VALUE;
    expect_json(&v, "null");
    v = RORM_BOOL(true);
    expect_json(&v, "true");
    v = RORM_BOOL(false);
    expect_json(&v, "false");
    v = RORM_INT(0);
    expect_json(&v, "0");
    v = RORM_INT(-1);
    expect_json(&v, "-1");
    v = RORM_INT(INT64_MAX);
    expect_json(&v, "9223372036854775807");
    v = RORM_INT(INT64_MIN);
    expect_json(&v, "-9223372036854775808");
    v = RORM_DATETIME(1709288430123LL);
    expect_json(&v, "\"2024-03-01T10:20:30.123Z\"");
    v = RORM_DATETIME(-1);
    expect_json(&v, "\"1969-12-31T23:59:59.999Z\"");
    v = RORM_DECIMAL("-12.50");
    expect_json(&v, "\"-12.50\"");
    v = RORM_JSON("{\"a\": [1, 2]}");
    expect_json(&v, "{\"a\": [1, 2]}");
    v = RORM_JSON("");
    expect_json(&v, "null");

    static const uint8_t foobar[] = { 'f', 'o', 'o', 'b', 'a', 'r' };
    const char *b64[] = { "\"\"",         "\"Zg==\"",     "\"Zm8=\"",    "\"Zm9v\"",
                          "\"Zm9vYg==\"", "\"Zm9vYmE=\"", "\"Zm9vYmFy\"" };
    for (size_t n = 0; n <= 6; n++) {
        v = RORM_BYTES(foobar, n);
        expect_json(&v, b64[n]);
    }
    static const uint8_t high[] = { 0xff, 0xfe, 0x00 };
    v = RORM_BYTES(high, 3);
    expect_json(&v, "\"//4A\"");

    char *out = (char *)"untouched";
    size_t len = 5;
    assert_int_equal(rorm_value_to_json(&out, &len, NULL), RORM_EINVAL);
    assert_null(out);
    assert_int_equal(len, 0);
    v = RORM_INT(1);
    assert_int_equal(rorm_value_to_json(NULL, &len, &v), RORM_EINVAL);
    rorm_value bad = { .type = 42 };
    assert_int_equal(rorm_value_to_json(&out, NULL, &bad), RORM_EINVAL);
    assert_null(out);
    /* len_out is optional. */
    assert_int_equal(rorm_value_to_json(&out, NULL, &v), RORM_OK);
    assert_string_equal(out, "1");
    rorm_free(out);
}

static void test_core_json__doubles(void **state)
{
    (void)state;
    rorm_value v = RORM_DOUBLE(0.1);
    expect_json(&v, "0.1");
    v = RORM_DOUBLE(1.5);
    expect_json(&v, "1.5");
    v = RORM_DOUBLE(100.0);
    expect_json(&v, "100");
    v = RORM_DOUBLE(-0.0);
    expect_json(&v, "-0");
    v = RORM_DOUBLE(1e300);
    expect_json(&v, "1e+300");
    v = RORM_DOUBLE(0.1 + 0.2);
    expect_json(&v, "0.30000000000000004");
    v = RORM_DOUBLE(1.0 / 3.0);
    expect_json(&v, "0.3333333333333333");
    v = RORM_DOUBLE(5e-324);
    expect_json(&v, "4.94065645841247e-324");
    v = RORM_DOUBLE(1.7976931348623157e308);
    expect_json(&v, "1.7976931348623157e+308");
    v = RORM_DOUBLE(NAN);
    expect_json(&v, "null");
    v = RORM_DOUBLE(INFINITY);
    expect_json(&v, "null");
    v = RORM_DOUBLE(-INFINITY);
    expect_json(&v, "null");

    /* Every rendering reads back as the same double. */
    srand(12345);
    for (int i = 0; i < 20000; i++) {
        uint64_t bits = 0;
        for (int k = 0; k < 4; k++) {
            bits = bits << 16 | (uint64_t)(rand() & 0xffff);
        }
        double d;
        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d)) {
            continue;
        }
        v = RORM_DOUBLE(d);
        char *out;
        assert_int_equal(rorm_value_to_json(&out, NULL, &v), RORM_OK);
        double back = strtod(out, NULL);
        if (memcmp(&back, &d, sizeof d) != 0) {
            fail_msg("%.17g rendered as %s", d, out);
        }
        assert_true(strlen(out) <= 24);
        rorm_free(out);
    }
}

static void test_core_json__string_escapes(void **state)
{
    (void)state;
    expect_text_json("", 0, "\"\"");
    expect_text_json("plain", 5, "\"plain\"");
    expect_text_json("q\"b\\s/", 6, "\"q\\\"b\\\\s/\"");
    expect_text_json("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
    expect_text_json("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
    expect_text_json("a\0b", 3, "\"a\\u0000b\"");
    /* Valid UTF-8 is kept as is: 2, 3 and 4-byte sequences, and the extremes. */
    expect_text_json("h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e", 15,
                     "\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e\"");
    expect_text_json("\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf", 9,
                     "\"\xc2\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\"");
    /* Invalid UTF-8 becomes U+FFFD, one per maximal invalid subpart. */
    expect_text_json("\xff", 1, "\"\\ufffd\"");
    expect_text_json("a\x80z", 3, "\"a\\ufffdz\"");
    expect_text_json("\xc3", 1, "\"\\ufffd\"");
    expect_text_json("\xc3(", 2, "\"\\ufffd(\"");
    expect_text_json("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");                       /* overlong */
    expect_text_json("\xe0\x80\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");            /* overlong */
    expect_text_json("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"");            /* surrogate */
    expect_text_json("\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
    expect_text_json("\xe2\x82"
                     "a",
                     3, "\"\\ufffda\"");                /* truncated 3-byte */
    expect_text_json("\xf0\x9d\x84", 3, "\"\\ufffd\""); /* truncated 4-byte */
    expect_text_json("\xf5\xbf", 2, "\"\\ufffd\\ufffd\"");

    /* Keys are escaped as well. */
    rorm_member m[] = { { "a\"b\n", RORM_INT(1) }, { NULL, RORM_INT(2) } };
    rorm_value obj = RORM_OBJECT(m);
    expect_json(&obj, "{\"a\\\"b\\n\":1,\"\":2}");

    /* The string writer on its own. */
    rorm_str s = RORM_STR_INIT;
    assert_int_equal(rorm__json_write_string(&s, "x\ty", 3), RORM_OK);
    assert_string_equal(s.ptr, "\"x\\ty\"");
    rorm__str_dispose(&s);
}

static void test_core_json__nested(void **state)
{
    (void)state;
    rorm_value empty_arr, empty_obj;
    rorm_value_init_array(&empty_arr);
    rorm_value_init_object(&empty_obj);
    expect_json(&empty_arr, "[]");
    expect_json(&empty_obj, "{}");

    rorm_value inner[] = { RORM_INT(1), RORM_NULL_VALUE, RORM_TEXT("x") };
    rorm_member deep[] = { { "k", RORM_ARRAY(inner) } };
    rorm_member m[] = {
        { "z", RORM_BOOL(true) },
        { "a", RORM_OBJECT(deep) },
        { "m", RORM_DOUBLE(2.5) },
    };
    rorm_value obj = RORM_OBJECT(m);
    expect_json(&obj, "{\"z\":true,\"a\":{\"k\":[1,null,\"x\"]},\"m\":2.5}");

    /* Deeper than the writer accepts. */
    rorm_value root;
    rorm_value_init_array(&root);
    rorm_value *cur = &root;
    for (int i = 0; i < RORM_JSON_MAX_DEPTH + 5; i++) {
        rorm_value child;
        rorm_value_init_array(&child);
        assert_int_equal(rorm_value_array_push_take(cur, &child), RORM_OK);
        cur = &cur->u.arr.items[0];
    }
    char *out = NULL;
    assert_int_equal(rorm_value_to_json(&out, NULL, &root), RORM_EINVAL);
    assert_null(out);
    rorm_value_dispose(&root);

    /* Exactly the limit is fine. */
    rorm_value_init_array(&root);
    cur = &root;
    for (int i = 0; i < RORM_JSON_MAX_DEPTH - 1; i++) {
        rorm_value child;
        rorm_value_init_array(&child);
        assert_int_equal(rorm_value_array_push_take(cur, &child), RORM_OK);
        cur = &cur->u.arr.items[0];
    }
    size_t len;
    assert_int_equal(rorm_value_to_json(&out, &len, &root), RORM_OK);
    assert_int_equal(len, 2 * RORM_JSON_MAX_DEPTH);
    rorm_free(out);
    rorm_value_dispose(&root);
}

static void test_core_json__write_oom(void **state)
{
    (void)state;
    const char *item = "a fairly long string to make the buffer grow";
    rorm_value items[64];
    for (int i = 0; i < 64; i++) {
        items[i] = RORM_TEXT(item);
    }
    rorm_value arr = RORM_ARRAY(items);
    for (size_t n = 1;; n++) {
        char *out = (char *)"x";
        rorm__alloc_fail_after(n);
        int rc = rorm_value_to_json(&out, NULL, &arr);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            assert_int_equal(strlen(out), 64 * (strlen(item) + 2) + 63 + 2);
            rorm_free(out);
            break;
        }
        assert_int_equal(rc, RORM_ENOMEM);
        assert_null(out);
        assert_true(n < 100);
    }
}

/* ---- Parser ------------------------------------------------------------------------------ */

static void parse_ok(const char *text, rorm_value *out)
{
    rorm_error err = { 0 };
    int rc = rorm__json_parse(out, text, strlen(text), &err);
    if (rc != RORM_OK) {
        fail_msg("parse of %s failed: %s", text, err.message);
    }
}

/* Parse @p text and render it again: the canonical form @p want. */
static void round_trip(const char *text, const char *want)
{
    rorm_value v;
    parse_ok(text, &v);
    expect_json(&v, want);
    rorm_value_dispose(&v);
}

static void test_core_json__parse_values(void **state)
{
    (void)state;
    rorm_value v;
    parse_ok("null", &v);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    parse_ok(" true ", &v);
    assert_int_equal(v.type, RORM_TYPE_BOOL);
    assert_true(v.u.b);
    parse_ok("\t\r\nfalse", &v);
    assert_false(v.u.b);
    parse_ok("42", &v);
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_int_equal(v.u.i, 42);
    parse_ok("-0", &v);
    assert_int_equal(v.type, RORM_TYPE_DOUBLE);
    assert_true(v.u.d == 0.0 && signbit(v.u.d));
    parse_ok("0", &v);
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_int_equal(v.u.i, 0);
    parse_ok("9223372036854775807", &v);
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_true(v.u.i == INT64_MAX);
    parse_ok("-9223372036854775808", &v);
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_true(v.u.i == INT64_MIN);

    /* Integers beyond int64 keep their exact digits. */
    parse_ok("9223372036854775808", &v);
    assert_int_equal(v.type, RORM_TYPE_DECIMAL);
    assert_string_equal(v.u.s.ptr, "9223372036854775808");
    assert_int_equal(v.flags, 0);
    rorm_value_dispose(&v);
    parse_ok("-9223372036854775809", &v);
    assert_int_equal(v.type, RORM_TYPE_DECIMAL);
    assert_string_equal(v.u.s.ptr, "-9223372036854775809");
    rorm_value_dispose(&v);
    parse_ok("123456789012345678901234567890", &v);
    assert_int_equal(v.type, RORM_TYPE_DECIMAL);
    assert_string_equal(v.u.s.ptr, "123456789012345678901234567890");
    rorm_value_dispose(&v);

    parse_ok("1.5", &v);
    assert_int_equal(v.type, RORM_TYPE_DOUBLE);
    assert_true(v.u.d == 1.5);
    parse_ok("-0.25e2", &v);
    assert_true(v.u.d == -25.0);
    parse_ok("1e2", &v);
    assert_int_equal(v.type, RORM_TYPE_DOUBLE);
    assert_true(v.u.d == 100.0);
    parse_ok("1E-2", &v);
    assert_true(v.u.d == 0.01);
    parse_ok("2.5e+3", &v);
    assert_true(v.u.d == 2500.0);
    parse_ok("0.30000000000000004", &v);
    assert_true(v.u.d == 0.1 + 0.2);
    parse_ok("1e-400", &v); /* underflow is zero, not an error */
    assert_true(v.u.d == 0.0);
    /* A long mantissa takes the heap path of the conversion. */
    char longnum[400];
    memset(longnum, '1', sizeof longnum);
    longnum[1] = '.';
    longnum[sizeof longnum - 1] = '\0';
    parse_ok(longnum, &v);
    assert_int_equal(v.type, RORM_TYPE_DOUBLE);
    assert_true(fabs(v.u.d - 1.1111111111111112) < 1e-15);

    parse_ok("\"h\\u00e9\\u20ac\\ud834\\udd1e\\n\\\"\\\\\\/\\b\\f\\r\\t\"", &v);
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_string_equal(v.u.s.ptr, "h\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e\n\"\\/\b\f\r\t");
    rorm_value_dispose(&v);
    /* Lone surrogates become U+FFFD; \u0000 is kept in the counted string. */
    parse_ok("\"\\ud800x\\udc00\\ud800\\u0041\\ud800\"", &v);
    assert_string_equal(v.u.s.ptr, "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd"
                                   "A\xef\xbf\xbd");
    rorm_value_dispose(&v);
    parse_ok("\"a\\u0000b\"", &v);
    assert_int_equal(v.u.s.len, 3);
    assert_memory_equal(v.u.s.ptr, "a\0b", 4);
    rorm_value_dispose(&v);
    parse_ok("\"\xe2\x82\xac \xf0\x9d\x84\x9e\"", &v);
    assert_string_equal(v.u.s.ptr, "\xe2\x82\xac \xf0\x9d\x84\x9e");
    rorm_value_dispose(&v);

    /* Only @p len bytes are read. */
    rorm_error err = { 0 };
    assert_int_equal(rorm__json_parse(&v, "[1,2]xyz", 5, &err), RORM_OK);
    assert_int_equal(rorm_value_len(&v), 2);
    rorm_value_dispose(&v);
    assert_int_equal(rorm__json_parse(&v, "12345", 2, &err), RORM_OK);
    assert_int_equal(v.u.i, 12);
}

static void test_core_json__parse_containers(void **state)
{
    (void)state;
    round_trip("[]", "[]");
    round_trip("{}", "{}");
    round_trip(" [ 1 , \"two\" , [ ] , { } , null ] ", "[1,\"two\",[],{},null]");
    round_trip("{\"z\":1,\"a\":{\"y\":[true,false]},\"m\":\"x\"}",
               "{\"z\":1,\"a\":{\"y\":[true,false]},\"m\":\"x\"}");
    /* A repeated key keeps its first position and takes the last value. */
    round_trip("{\"a\":1,\"b\":2,\"a\":{\"c\":3}}", "{\"a\":{\"c\":3},\"b\":2}");

    rorm_value v;
    parse_ok("{\"b\":1,\"a\":2}", &v);
    assert_int_equal(v.type, RORM_TYPE_OBJECT);
    assert_string_equal(rorm_value_object_at(&v, 0)->key, "b");
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&v, "a"), 0), 2);
    rorm_value_dispose(&v);

    /* A large object with repeats uses the key index: order and last values hold. */
    rorm_str text = RORM_STR_INIT;
    rorm__str_putc(&text, '{');
    for (int i = 0; i < 2000; i++) {
        rorm__str_printf(&text, "%s\"key%d\":%d", i ? "," : "", i % 1500, i);
    }
    rorm__str_putc(&text, '}');
    assert_false(rorm__str_oom(&text));
    parse_ok(text.ptr, &v);
    assert_int_equal(rorm_value_len(&v), 1500);
    for (int i = 0; i < 1500; i++) {
        char key[16];
        snprintf(key, sizeof key, "key%d", i);
        const rorm_member *m = rorm_value_object_at(&v, (size_t)i);
        assert_string_equal(m->key, key);
        assert_int_equal(m->value.u.i, i < 500 ? i + 1500 : i);
    }
    rorm_value_dispose(&v);
    rorm__str_dispose(&text);

    /* A long array. */
    rorm__str_putc(&text, '[');
    for (int i = 0; i < 5000; i++) {
        rorm__str_printf(&text, "%s%d", i ? "," : "", i);
    }
    rorm__str_putc(&text, ']');
    parse_ok(text.ptr, &v);
    assert_int_equal(rorm_value_len(&v), 5000);
    assert_int_equal(rorm_value_array_at(&v, 4999)->u.i, 4999);
    rorm_value_dispose(&v);
    rorm__str_dispose(&text);

    /* Escaped keys. */
    round_trip("{\"a\\tb\":\"\\u0001\"}", "{\"a\\tb\":\"\\u0001\"}");
}

/* Expect @p text to fail with RORM_EPARSE and "offset <offset>" in the message. */
static void parse_fails(const char *text, size_t len, size_t offset, const char *fragment)
{
    rorm_value v = RORM_INT(5);
    rorm_error err = { 0 };
    int rc = rorm__json_parse(&v, text, len, &err);
    if (rc != RORM_EPARSE) {
        fail_msg("%s: rc %d (%s)", text, rc, err.message);
    }
    assert_int_equal(err.code, RORM_EPARSE);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    char want[64];
    snprintf(want, sizeof want, "at offset %zu:", offset);
    if (strstr(err.message, want) == NULL || strstr(err.message, fragment) == NULL) {
        fail_msg("%s: message '%s' lacks '%s' or '%s'", text, err.message, want, fragment);
    }
}

#define FAILS(text, offset, fragment) parse_fails((text), sizeof(text) - 1, (offset), (fragment))

static void test_core_json__parse_errors(void **state)
{
    (void)state;
    FAILS("", 0, "unexpected end of input");
    FAILS("   ", 3, "unexpected end of input");
    FAILS("[1,]", 3, "unexpected character ']'");
    FAILS("[1 2]", 3, "expected ',' or ']'");
    FAILS("[1,", 3, "unexpected end of input");
    FAILS("[", 1, "unexpected end of input");
    FAILS("{", 1, "unexpected end of input");
    FAILS("{\"a\" 1}", 5, "expected ':'");
    FAILS("{\"a\":1,}", 7, "expected a string key");
    FAILS("{\"a\":1 \"b\":2}", 7, "expected ',' or '}'");
    FAILS("{a:1}", 1, "expected a string key");
    FAILS("{\"a\"", 4, "unexpected end of input");
    FAILS("{\"a\":", 5, "unexpected end of input");
    FAILS("tru", 3, "unexpected end of input");
    FAILS("trux", 3, "unexpected character 'x'");
    FAILS("nul", 3, "unexpected end of input");
    FAILS("True", 0, "unexpected character 'T'");
    FAILS("NaN", 0, "unexpected character 'N'");
    FAILS("Infinity", 0, "unexpected character 'I'");
    FAILS("01", 1, "unexpected data after the value");
    FAILS("1 2", 2, "unexpected data after the value");
    FAILS("+1", 0, "unexpected character '+'");
    FAILS("-", 1, "unexpected end of input");
    FAILS("-a", 0, "invalid number");
    FAILS("1.", 0, "invalid number");
    FAILS("1.e5", 0, "invalid number");
    FAILS(".5", 0, "unexpected character '.'");
    FAILS("1e", 0, "invalid number");
    FAILS("1e+", 0, "invalid number");
    FAILS("1e400", 0, "number out of range");
    FAILS("[-1e999]", 1, "number out of range");
    FAILS("\"abc", 0, "unterminated string");
    FAILS("[\"abc\\\"]", 1, "unterminated string");
    FAILS("\"a\x01\"", 2, "control character in string");
    FAILS("\"a\nb\"", 2, "control character in string");
    FAILS("\"\\x\"", 1, "invalid escape");
    FAILS("\"\\u12\"", 1, "invalid \\u escape");
    FAILS("\"\\u12g4\"", 1, "invalid \\u escape");
    FAILS("\"ab\xff\"", 3, "invalid UTF-8");
    FAILS("\"\xc0\xaf\"", 1, "invalid UTF-8");
    FAILS("\"\xed\xa0\x80\"", 1, "invalid UTF-8");
    FAILS("\"\xe2\x82\"", 1, "invalid UTF-8");
    FAILS("{\"a\\u0000b\":1}", 1, "object key contains \\u0000");
    FAILS("[1]]", 3, "unexpected data after the value");
    FAILS("\xef\xbb\xbf[]", 0, "unexpected byte 0xef");
    FAILS("[1,\0]", 3, "unexpected byte 0x00");
    FAILS("// comment\n1", 0, "unexpected character '/'");
    FAILS("'single'", 0, "unexpected character '''");

    rorm_value v;
    rorm_error err = { 0 };
    assert_int_equal(rorm__json_parse(NULL, "1", 1, &err), RORM_EINVAL);
    assert_int_equal(rorm__json_parse(&v, NULL, 3, &err), RORM_EINVAL);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_int_equal(rorm__json_parse(&v, NULL, 0, NULL), RORM_EPARSE);
    assert_int_equal(rorm__json_parse(&v, "[x]", 3, NULL), RORM_EPARSE);
}

static void test_core_json__parse_depth(void **state)
{
    (void)state;
    char text[2 * (RORM_JSON_MAX_DEPTH + 1) + 1];
    size_t n = 0;
    for (int i = 0; i < RORM_JSON_MAX_DEPTH; i++) {
        text[n++] = '[';
    }
    for (int i = 0; i < RORM_JSON_MAX_DEPTH; i++) {
        text[n++] = ']';
    }
    rorm_value v;
    rorm_error err = { 0 };
    assert_int_equal(rorm__json_parse(&v, text, n, &err), RORM_OK);
    rorm_value_dispose(&v);

    /* One more level fails at the innermost bracket. */
    n = 0;
    for (int i = 0; i <= RORM_JSON_MAX_DEPTH; i++) {
        text[n++] = '[';
    }
    for (int i = 0; i <= RORM_JSON_MAX_DEPTH; i++) {
        text[n++] = ']';
    }
    assert_int_equal(rorm__json_parse(&v, text, n, &err), RORM_EPARSE);
    assert_non_null(strstr(err.message, "nesting deeper than 512 levels"));
    assert_non_null(strstr(err.message, "offset 512"));

    /* Mixed objects and arrays, and a huge unbalanced input: no stack overflow. */
    size_t big = 200000;
    char *deep = malloc(big * 5);
    assert_non_null(deep);
    n = 0;
    for (size_t i = 0; i < big; i++) {
        memcpy(deep + n, "{\"a\":", 5);
        n += 5;
    }
    assert_int_equal(rorm__json_parse(&v, deep, n, &err), RORM_EPARSE);
    assert_non_null(strstr(err.message, "nesting"));
    memset(deep, '[', big);
    assert_int_equal(rorm__json_parse(&v, deep, big, &err), RORM_EPARSE);
    free(deep);
}

/* Garbage of every byte value never crashes the parser, and accepted input renders again. */
static void test_core_json__parse_fuzz(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "{\"a\":[1,2.5,\"x\\u00e9\",null,true,{\"b\":-3e2}]}",
        "[\"\\ud834\\udd1e\",12345678901234567890,0.1,{}]",
    };
    srand(777);
    for (int round = 0; round < 20000; round++) {
        char buf[64];
        const char *seed = seeds[round % 2];
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        int edits = 1 + rand() % 3;
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)rand() % n;
            switch (rand() % 3) {
            case 0:
                buf[at] = (char)(rand() % 256);
                break;
            case 1:
                n = at; /* truncate */
                break;
            default:
                buf[at] = "[]{}\",:\\0e-."[rand() % 13];
                break;
            }
            if (n == 0) {
                break;
            }
        }
        rorm_value v;
        rorm_error err = { 0 };
        int rc = rorm__json_parse(&v, buf, n, &err);
        if (rc == RORM_OK) {
            /* JSON does not tell 100 from 100.0, so compare renderings, not values. */
            char *out, *out2;
            assert_int_equal(rorm_value_to_json(&out, NULL, &v), RORM_OK);
            rorm_value again;
            assert_int_equal(rorm__json_parse(&again, out, strlen(out), &err), RORM_OK);
            assert_int_equal(rorm_value_to_json(&out2, NULL, &again), RORM_OK);
            assert_string_equal(out, out2);
            rorm_value_dispose(&again);
            rorm_free(out);
            rorm_free(out2);
            rorm_value_dispose(&v);
        } else {
            assert_int_equal(rc, RORM_EPARSE);
            assert_non_null(strstr(err.message, "invalid JSON at offset "));
            assert_int_equal(v.type, RORM_TYPE_NULL);
        }
    }
}

/* A host program in a locale with a decimal comma still gets '.' out and in. */
static void test_core_json__decimal_comma_locale(void **state)
{
    (void)state;
    static const char *const names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8" };
    const char *set = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && set == NULL; i++) {
        set = setlocale(LC_NUMERIC, names[i]);
    }
    if (set == NULL || strcmp(localeconv()->decimal_point, ",") != 0) {
        setlocale(LC_NUMERIC, "C");
        skip();
    }
    rorm_value v = RORM_DOUBLE(2.5);
    expect_json(&v, "2.5");
    rorm_value parsed;
    parse_ok("[0.125,1e-3]", &parsed);
    setlocale(LC_NUMERIC, "C");
    assert_true(rorm_value_array_at(&parsed, 0)->u.d == 0.125);
    assert_true(rorm_value_array_at(&parsed, 1)->u.d == 0.001);
    rorm_value_dispose(&parsed);
}

/* Every allocation of a parse fails in turn; each failure is clean, then the parse succeeds. */
static void test_core_json__parse_oom_loop(void **state)
{
    (void)state;
    rorm_str text = RORM_STR_INIT;
    rorm__str_puts(&text, "{\"list\":[1,\"two\",{\"three\":[3.5,null]}],\"s\":\"esc\\n\\u00e9\",");
    rorm__str_puts(&text, "\"big\":123456789012345678901234567890,");
    for (int i = 0; i < 40; i++) {
        rorm__str_printf(&text, "\"k%d\":%d,", i % 30, i);
    }
    rorm__str_puts(&text, "\"end\":true}");
    assert_false(rorm__str_oom(&text));

    int failures = 0;
    for (size_t n = 1;; n++) {
        rorm_value v = RORM_INT(1);
        rorm_error err = { 0 };
        rorm__alloc_fail_after(n);
        int rc = rorm__json_parse(&v, text.ptr, text.len, &err);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            assert_int_equal(rorm_value_len(&v), 34);
            assert_int_equal(rorm_value_object_get(&v, "big")->type, RORM_TYPE_DECIMAL);
            rorm_value_dispose(&v);
            break;
        }
        assert_int_equal(rc, RORM_ENOMEM);
        assert_int_equal(err.code, RORM_ENOMEM);
        assert_int_equal(v.type, RORM_TYPE_NULL);
        failures++;
        assert_true(n < 10000);
    }
    assert_true(failures > 40);
    rorm__str_dispose(&text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_json__scalars),
        cmocka_unit_test(test_core_json__doubles),
        cmocka_unit_test(test_core_json__string_escapes),
        cmocka_unit_test(test_core_json__nested),
        cmocka_unit_test(test_core_json__write_oom),
        cmocka_unit_test(test_core_json__parse_values),
        cmocka_unit_test(test_core_json__parse_containers),
        cmocka_unit_test(test_core_json__parse_errors),
        cmocka_unit_test(test_core_json__parse_depth),
        cmocka_unit_test(test_core_json__parse_fuzz),
        cmocka_unit_test(test_core_json__decimal_comma_locale),
        cmocka_unit_test(test_core_json__parse_oom_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
