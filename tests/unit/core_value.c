/*
 * Tests for the value type: constructors, borrowed versus owned payloads, copy/move/equal,
 * ordered objects, arrays, accessors and the ISO-8601 date-time conversions.
 */
#include "harness/harness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/value.h"
#include "util/alloc.h"

static void test_core_value__refs_are_borrowed(void **state)
{
    (void)state;
    char text[] = "hello";
    rorm_value v = RORM_TEXT(text);
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_true(v.flags & RORM_VALUE_BORROWED);
    assert_ptr_equal(v.u.s.ptr, text);
    assert_int_equal(v.u.s.len, 5);
    /* Disposing a borrowed value must not free the stack array (ASan would catch it). */
    rorm_value_dispose(&v);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_string_equal(text, "hello");

    v = RORM_DECIMAL("-12.50");
    assert_int_equal(v.type, RORM_TYPE_DECIMAL);
    assert_string_equal(rorm_value_as_text(&v), "-12.50");
    v = RORM_JSON("{\"a\":1}");
    assert_int_equal(v.type, RORM_TYPE_JSON);
    assert_int_equal(v.u.s.len, 7);

    v = rorm_value_text_ref(NULL);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    v = rorm_value_decimal_ref(NULL);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    v = rorm_value_json_ref(NULL);
    assert_int_equal(v.type, RORM_TYPE_NULL);

    rorm_value items[] = { RORM_INT(1), RORM_TEXT("two") };
    rorm_value arr = RORM_ARRAY(items);
    assert_int_equal(rorm_value_len(&arr), 2);
    rorm_value_dispose(&arr);
    assert_int_equal(items[1].type, RORM_TYPE_TEXT);

    rorm_value_dispose(NULL);
}

static void test_core_value__owned_constructors(void **state)
{
    (void)state;
    rorm_value v;
    assert_int_equal(rorm_value_set_text(&v, "a\0b", 3), RORM_OK);
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_int_equal(v.flags, 0);
    assert_int_equal(v.u.s.len, 3);
    assert_memory_equal(v.u.s.ptr, "a\0b", 4);
    rorm_value_dispose(&v);
    assert_int_equal(v.type, RORM_TYPE_NULL);

    assert_int_equal(rorm_value_set_text(&v, NULL, 0), RORM_OK);
    assert_string_equal(v.u.s.ptr, "");
    rorm_value_dispose(&v);
    assert_int_equal(rorm_value_set_text(&v, NULL, 5), RORM_EINVAL);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_value_set_text(NULL, "x", 1), RORM_EINVAL);

    assert_int_equal(rorm_value_set_decimal(&v, "3.14159", 4), RORM_OK);
    assert_int_equal(v.type, RORM_TYPE_DECIMAL);
    assert_string_equal(rorm_value_as_text(&v), "3.14");
    rorm_value_dispose(&v);

    assert_int_equal(rorm_value_set_json(&v, "[1]", 3), RORM_OK);
    assert_int_equal(v.type, RORM_TYPE_JSON);
    assert_string_equal(rorm_value_as_text(&v), "[1]");
    rorm_value_dispose(&v);

    const uint8_t raw[] = { 0, 1, 2, 255 };
    assert_int_equal(rorm_value_set_bytes(&v, raw, sizeof raw), RORM_OK);
    assert_int_equal(v.type, RORM_TYPE_BYTES);
    assert_int_equal(v.u.bytes.len, 4);
    assert_ptr_not_equal(v.u.bytes.ptr, raw);
    assert_memory_equal(v.u.bytes.ptr, raw, 4);
    rorm_value_dispose(&v);
    assert_int_equal(rorm_value_set_bytes(&v, NULL, 0), RORM_OK);
    assert_int_equal(v.type, RORM_TYPE_BYTES);
    assert_int_equal(v.u.bytes.len, 0);
    rorm_value_dispose(&v);
    assert_int_equal(rorm_value_set_bytes(&v, NULL, 1), RORM_EINVAL);
    assert_int_equal(v.type, RORM_TYPE_NULL);

    /* An allocation failure leaves the output null. */
    rorm__alloc_fail_after(1);
    assert_int_equal(rorm_value_set_text(&v, "abc", 3), RORM_ENOMEM);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_value_set_bytes(&v, "abc", 3), RORM_ENOMEM);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    rorm__alloc_fail_after(0);
}

/* Build {"id": 7, "name": "Ada", "tags": ["x", b"\x01\x02", {"deep": [1.5, null]}], ...}. */
static void build_nested(rorm_value *out)
{
    rorm_value v, inner, deep, tags;
    rorm_value_init_object(out);
    v = RORM_INT(7);
    assert_int_equal(rorm_value_object_set_take(out, "id", &v), RORM_OK);
    assert_int_equal(rorm_value_set_text(&v, "Ada", 3), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(out, "name", &v), RORM_OK);

    rorm_value_init_array(&tags);
    assert_int_equal(rorm_value_set_text(&v, "x", 1), RORM_OK);
    assert_int_equal(rorm_value_array_push_take(&tags, &v), RORM_OK);
    assert_int_equal(rorm_value_set_bytes(&v, "\x01\x02", 2), RORM_OK);
    assert_int_equal(rorm_value_array_push_take(&tags, &v), RORM_OK);
    rorm_value_init_object(&inner);
    rorm_value_init_array(&deep);
    v = RORM_DOUBLE(1.5);
    assert_int_equal(rorm_value_array_push_take(&deep, &v), RORM_OK);
    v = RORM_NULL_VALUE;
    assert_int_equal(rorm_value_array_push_take(&deep, &v), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(&inner, "deep", &deep), RORM_OK);
    assert_int_equal(rorm_value_array_push_take(&tags, &inner), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(out, "tags", &tags), RORM_OK);

    v = RORM_DATETIME(-1);
    assert_int_equal(rorm_value_object_set_take(out, "born", &v), RORM_OK);
    assert_int_equal(rorm_value_set_decimal(&v, "1.10", 4), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(out, "price", &v), RORM_OK);
    assert_int_equal(rorm_value_set_json(&v, "{}", 2), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(out, "meta", &v), RORM_OK);
    v = RORM_BOOL(true);
    assert_int_equal(rorm_value_object_set_take(out, "ok", &v), RORM_OK);
}

static void test_core_value__copy_borrowed_is_owned(void **state)
{
    (void)state;
    static const uint8_t raw[] = { 0, 1 };
    rorm_value tags[] = { RORM_TEXT("a"), RORM_INT(2), RORM_BYTES(raw, 2) };
    rorm_member members[] = {
        { "name", RORM_TEXT("Ada") },
        { "tags", RORM_ARRAY(tags) },
        { "when", RORM_DATETIME(1000) },
    };
    rorm_value src = RORM_OBJECT(members);
    rorm_value copy;
    assert_int_equal(rorm_value_copy(&copy, &src), RORM_OK);
    assert_int_equal(copy.flags, 0);
    assert_true(rorm_value_equal(&copy, &src));
    assert_int_equal(rorm_value_len(&copy), 3);
    for (size_t i = 0; i < 3; i++) {
        const rorm_member *m = rorm_value_object_at(&copy, i);
        assert_non_null(m);
        assert_ptr_not_equal(m->key, members[i].key);
        assert_string_equal(m->key, members[i].key);
        assert_int_equal(m->value.flags, 0);
    }
    const rorm_value *t = rorm_value_object_get(&copy, "tags");
    assert_non_null(t);
    assert_ptr_not_equal(t->u.arr.items, tags);
    assert_ptr_not_equal(rorm_value_array_at(t, 0)->u.s.ptr, tags[0].u.s.ptr);
    assert_int_equal(rorm_value_array_at(t, 2)->u.bytes.len, 2);
    rorm_value_dispose(&copy);

    assert_int_equal(rorm_value_copy(NULL, &src), RORM_EINVAL);
    assert_int_equal(rorm_value_copy(&copy, NULL), RORM_EINVAL);
    assert_int_equal(copy.type, RORM_TYPE_NULL);
    rorm_value bad = { .type = 99 };
    assert_int_equal(rorm_value_copy(&copy, &bad), RORM_EINVAL);
    assert_int_equal(copy.type, RORM_TYPE_NULL);
}

static void test_core_value__copy_move_equal(void **state)
{
    (void)state;
    rorm_value a, b, c;
    build_nested(&a);
    assert_int_equal(rorm_value_copy(&b, &a), RORM_OK);
    assert_true(rorm_value_equal(&a, &b));
    assert_true(rorm_value_equal(&b, &a));

    /* Change one deep leaf: no longer equal. */
    rorm_value *tags = (rorm_value *)rorm_value_object_get(&b, "tags");
    rorm_value *inner = &tags->u.arr.items[2];
    rorm_value *deep = &inner->u.obj.items[0].value;
    deep->u.arr.items[0].u.d = 2.5;
    assert_false(rorm_value_equal(&a, &b));

    rorm_value_move(&c, &b);
    assert_int_equal(b.type, RORM_TYPE_NULL);
    assert_int_equal(c.type, RORM_TYPE_OBJECT);
    rorm_value_dispose(&b);
    rorm_value_dispose(&c);
    rorm_value_dispose(&a);

    /* Scalars and edge cases of equality. */
    rorm_value x = RORM_DOUBLE(NAN), y = RORM_DOUBLE(NAN);
    assert_true(rorm_value_equal(&x, &y));
    x = RORM_DOUBLE(0.0);
    y = RORM_DOUBLE(-0.0);
    assert_true(rorm_value_equal(&x, &y));
    x = RORM_INT(1);
    y = RORM_DOUBLE(1.0);
    assert_false(rorm_value_equal(&x, &y));
    x = RORM_TEXT("1.0");
    y = RORM_DECIMAL("1.0");
    assert_false(rorm_value_equal(&x, &y));
    y = RORM_TEXT("1.0");
    assert_true(rorm_value_equal(&x, &y));
    y = RORM_TEXT("1.00");
    assert_false(rorm_value_equal(&x, &y));
    static const uint8_t ab[] = { 'a', 'b' }, ab2[] = { 'a', 'b' }, ac[] = { 'a', 'c' };
    x = RORM_BYTES(ab, 2);
    y = RORM_BYTES(ab2, 2);
    assert_true(rorm_value_equal(&x, &y));
    y = RORM_BYTES(ac, 2);
    assert_false(rorm_value_equal(&x, &y));
    assert_false(rorm_value_equal(&x, NULL));
    assert_true(rorm_value_equal(NULL, NULL));

    /* Objects compare by members, whatever their order. */
    rorm_member m1[] = { { "a", RORM_INT(1) }, { "b", RORM_INT(2) } };
    rorm_member m2[] = { { "b", RORM_INT(2) }, { "a", RORM_INT(1) } };
    rorm_member m3[] = { { "b", RORM_INT(2) }, { "c", RORM_INT(1) } };
    x = RORM_OBJECT(m1);
    y = RORM_OBJECT(m2);
    assert_true(rorm_value_equal(&x, &y));
    y = RORM_OBJECT(m3);
    assert_false(rorm_value_equal(&x, &y));
    /* Arrays compare in order. */
    rorm_value a1[] = { RORM_INT(1), RORM_INT(2) };
    rorm_value a2[] = { RORM_INT(2), RORM_INT(1) };
    rorm_value a3[] = { RORM_INT(1) };
    x = RORM_ARRAY(a1);
    y = RORM_ARRAY(a2);
    assert_false(rorm_value_equal(&x, &y));
    y = RORM_ARRAY(a3);
    assert_false(rorm_value_equal(&x, &y));

    rorm_value_move(NULL, &x);
    rorm_value_move(&x, NULL);
    assert_int_equal(x.type, RORM_TYPE_NULL);
}

static void test_core_value__object_order_and_replace(void **state)
{
    (void)state;
    rorm_value obj, v;
    rorm_value_init_object(&obj);
    const char *keys[] = { "zeta", "alpha", "mid", "beta" };
    for (int i = 0; i < 4; i++) {
        v = RORM_INT(i);
        assert_int_equal(rorm_value_object_set_take(&obj, keys[i], &v), RORM_OK);
    }
    /* Replacing keeps the position and frees the old owned value. */
    assert_int_equal(rorm_value_set_text(&v, "first", 5), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(&obj, "alpha", &v), RORM_OK);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_value_set_text(&v, "second", 6), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(&obj, "alpha", &v), RORM_OK);
    assert_int_equal(rorm_value_len(&obj), 4);
    for (int i = 0; i < 4; i++) {
        assert_string_equal(rorm_value_object_at(&obj, (size_t)i)->key, keys[i]);
    }
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&obj, "alpha")), "second");
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&obj, "beta"), -1), 3);
    assert_null(rorm_value_object_get(&obj, "gamma"));
    assert_null(rorm_value_object_get(&obj, NULL));
    assert_null(rorm_value_object_at(&obj, 4));

    /* The key is copied. */
    char key[] = "temp";
    v = RORM_BOOL(false);
    assert_int_equal(rorm_value_object_set_take(&obj, key, &v), RORM_OK);
    key[0] = 'X';
    assert_non_null(rorm_value_object_get(&obj, "temp"));

    /* Many members. */
    for (int i = 0; i < 300; i++) {
        char name[16];
        snprintf(name, sizeof name, "k%d", i);
        v = RORM_INT(i);
        assert_int_equal(rorm_value_object_set_take(&obj, name, &v), RORM_OK);
    }
    assert_int_equal(rorm_value_len(&obj), 305);
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&obj, "k299"), -1), 299);
    assert_string_equal(rorm_value_object_at(&obj, 5)->key, "k0");

    /* Errors consume the value. */
    assert_int_equal(rorm_value_set_text(&v, "lost", 4), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(&obj, NULL, &v), RORM_EINVAL);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    rorm_value arr;
    rorm_value_init_array(&arr);
    assert_int_equal(rorm_value_set_text(&v, "lost", 4), RORM_OK);
    assert_int_equal(rorm_value_object_set_take(&arr, "a", &v), RORM_EINVAL);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    rorm_member ms[] = { { "a", RORM_INT(1) } };
    rorm_value borrowed = RORM_OBJECT(ms);
    v = RORM_INT(5);
    assert_int_equal(rorm_value_object_set_take(&borrowed, "b", &v), RORM_EINVAL);
    assert_int_equal(rorm_value_object_set_take(&obj, "x", NULL), RORM_EINVAL);

    /* Out of memory while appending: the value is consumed, the object unchanged. */
    assert_int_equal(rorm_value_set_text(&v, "oom", 3), RORM_OK);
    rorm__alloc_fail_after(1);
    assert_int_equal(rorm_value_object_set_take(&obj, "new-key", &v), RORM_ENOMEM);
    rorm__alloc_fail_after(0);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_value_len(&obj), 305);
    rorm_value_dispose(&obj);
}

static void test_core_value__array_push(void **state)
{
    (void)state;
    rorm_value arr, v;
    rorm_value_init_array(&arr);
    assert_int_equal(rorm_value_len(&arr), 0);
    assert_null(rorm_value_array_at(&arr, 0));
    for (int i = 0; i < 1000; i++) {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "item%d", i);
        assert_int_equal(rorm_value_set_text(&v, buf, (size_t)n), RORM_OK);
        assert_int_equal(rorm_value_array_push_take(&arr, &v), RORM_OK);
        assert_int_equal(v.type, RORM_TYPE_NULL);
    }
    assert_int_equal(rorm_value_len(&arr), 1000);
    assert_string_equal(rorm_value_as_text(rorm_value_array_at(&arr, 999)), "item999");
    assert_null(rorm_value_array_at(&arr, 1000));

    /* A borrowed item stays borrowed inside an owned array. */
    v = RORM_TEXT("static");
    assert_int_equal(rorm_value_array_push_take(&arr, &v), RORM_OK);
    assert_true(rorm_value_array_at(&arr, 1000)->flags & RORM_VALUE_BORROWED);

    /* Errors consume the item. */
    rorm_value not_array = RORM_INT(3);
    assert_int_equal(rorm_value_set_text(&v, "lost", 4), RORM_OK);
    assert_int_equal(rorm_value_array_push_take(&not_array, &v), RORM_EINVAL);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    rorm_value items[] = { RORM_INT(1) };
    rorm_value borrowed = RORM_ARRAY(items);
    v = RORM_INT(2);
    assert_int_equal(rorm_value_array_push_take(&borrowed, &v), RORM_EINVAL);
    assert_int_equal(rorm_value_array_push_take(&arr, NULL), RORM_EINVAL);
    assert_int_equal(rorm_value_array_push_take(NULL, &v), RORM_EINVAL);
    assert_int_equal(rorm_value_array_push_take(&arr, &arr), RORM_EINVAL);
    rorm_value_dispose(&arr);

    rorm_value_init_array(&arr);
    assert_int_equal(rorm_value_set_text(&v, "x", 1), RORM_OK);
    rorm__alloc_fail_after(1);
    assert_int_equal(rorm_value_array_push_take(&arr, &v), RORM_ENOMEM);
    rorm__alloc_fail_after(0);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_value_len(&arr), 0);
    rorm_value_dispose(&arr);
}

static void test_core_value__accessors(void **state)
{
    (void)state;
    rorm_value i = RORM_INT(INT64_MIN), d = RORM_DOUBLE(2.5), t = RORM_TEXT("t");
    rorm_value j = RORM_JSON("1"), n = RORM_NULL_VALUE, b = RORM_BOOL(true);
    assert_true(rorm_value_as_int(&i, 0) == INT64_MIN);
    assert_int_equal(rorm_value_as_int(&d, 42), 42);
    assert_int_equal(rorm_value_as_int(&b, 42), 42);
    assert_int_equal(rorm_value_as_int(NULL, 42), 42);
    assert_true(rorm_value_as_double(&d, 0) == 2.5);
    assert_true(rorm_value_as_double(&t, -1) == -1);
    assert_true(rorm_value_as_double(NULL, -1) == -1);
    assert_string_equal(rorm_value_as_text(&t), "t");
    assert_string_equal(rorm_value_as_text(&j), "1");
    assert_null(rorm_value_as_text(&n));
    assert_null(rorm_value_as_text(&i));
    assert_null(rorm_value_as_text(NULL));
    assert_int_equal(rorm_value_len(&t), 0);
    assert_int_equal(rorm_value_len(NULL), 0);
    assert_null(rorm_value_array_at(NULL, 0));
    assert_null(rorm_value_object_at(&t, 0));

    const char *names[] = { "null",     "bool",    "int",  "double", "text",  "bytes",
                            "datetime", "decimal", "json", "array",  "object" };
    for (unsigned k = 0; k <= RORM_TYPE_OBJECT; k++) {
        assert_string_equal(rorm_type_name(k), names[k]);
    }
    assert_string_equal(rorm_type_name(11), "unknown");
    assert_string_equal(rorm_type_name(~0u), "unknown");

    rorm_value v = RORM_INT(5);
    rorm_value_init(&v);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    rorm_value_init(NULL);
    rorm_value_init_array(NULL);
    rorm_value_init_object(NULL);
}

/* ---- Dates ------------------------------------------------------------------------------- */

static int64_t parse_ok(const char *s)
{
    int64_t ms = 12345;
    int rc = rorm_datetime_parse(&ms, s, strlen(s));
    if (rc != RORM_OK) {
        fail_msg("rorm_datetime_parse(\"%s\") = %d", s, rc);
    }
    return ms;
}

static void test_core_value__datetime_parse(void **state)
{
    (void)state;
    assert_true(parse_ok("1970-01-01") == 0);
    assert_true(parse_ok("1970-01-01T00:00:00Z") == 0);
    assert_true(parse_ok("2024-03-01T10:20:30.123Z") == 1709288430123LL);
    assert_true(parse_ok("2024-03-01t10:20:30.123z") == 1709288430123LL);
    assert_true(parse_ok("2024-03-01 10:20:30+02:00") == 1709281230000LL);
    assert_true(parse_ok("2024-03-01T10:20:30+0200") == 1709281230000LL);
    assert_true(parse_ok("2024-01-01T12:00+05:30") == 1704090600000LL);
    assert_true(parse_ok("2024-01-01T12:00-08:00") == 1704139200000LL);
    assert_true(parse_ok("2024-01-01T12:00:00-0800") == 1704139200000LL);
    assert_true(parse_ok("2024-01-01T12:00") == parse_ok("2024-01-01T12:00:00.000Z"));
    /* Leap years. */
    assert_true(parse_ok("2024-02-29") == 1709164800000LL);
    assert_true(parse_ok("2000-02-29T23:59:59.999Z") == 951868799999LL);
    assert_true(parse_ok("1600-02-29T12:00:00Z") == -11670955200000LL);
    assert_true(parse_ok("1900-03-01") == -2203891200000LL);
    /* Before 1970 and the ends of the range. */
    assert_true(parse_ok("1969-12-31T23:59:59.999Z") == -1);
    assert_true(parse_ok("0001-01-01") == -62135596800000LL);
    assert_true(parse_ok("0000-01-01T00:00:00Z") == -62167219200000LL);
    assert_true(parse_ok("0000-02-29") == -62167219200000LL + 59 * 86400000LL);
    assert_true(parse_ok("9999-12-31T23:59:59.999Z") == 253402300799999LL);
    /* Fractions: padded to milliseconds, truncated beyond. */
    assert_true(parse_ok("1970-01-01T00:00:00.1Z") == 100);
    assert_true(parse_ok("1970-01-01T00:00:00.12Z") == 120);
    assert_true(parse_ok("1970-01-01T00:00:00.123456789Z") == 123);
    assert_true(parse_ok("1970-01-01T00:00:00.9999999999999999999") == 999);
    assert_true(parse_ok("1969-12-31T23:59:59.5Z") == -500);
    /* An offset can move the date across midnight and the epoch. */
    assert_true(parse_ok("1970-01-01T01:00:00+01:00") == 0);
    assert_true(parse_ok("1970-01-01T00:00:00+00:01") == -60000);

    /* Only @p len bytes are read. */
    int64_t ms;
    assert_int_equal(rorm_datetime_parse(&ms, "2024-02-29garbage", 10), RORM_OK);
    assert_true(ms == 1709164800000LL);
    assert_int_equal(rorm_datetime_parse(&ms, "2024-02-29", 9), RORM_EPARSE);
}

static void test_core_value__datetime_invalid(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "2024",
        "2024-03",
        "24-01-01",
        "-2024-01-01",
        "+2024-01-01",
        "2024-1-01",
        "2024-01-1",
        "2024/01/01",
        "2024-13-01",
        "2024-00-10",
        "2024-01-00",
        "2024-01-32",
        "2024-04-31",
        "2023-02-29",
        "1900-02-29",
        "2100-02-29",
        "2024-01-01T",
        "2024-01-01T10",
        "2024-01-01T10:",
        "2024-01-01T1:00",
        "2024-01-01T24:00",
        "2024-01-01T23:60",
        "2024-01-01T23:59:60",
        "2024-01-01T10:00:00.",
        "2024-01-01T10:00:00.Z",
        "2024-01-01T10:00:00,5Z",
        "2024-01-01T10:00Zjunk",
        "2024-01-01T10:00:00 ",
        "2024-01-01X10:00",
        "2024-01-01Z",
        "2024-01-01 ",
        "2024-01-01T10:00+25:00",
        "2024-01-01T10:00+05:60",
        "2024-01-01T10:00+5:00",
        "2024-01-01T10:00+05:0",
        "2024-01-01T10:00+050",
        "2024-01-01T10:00+",
        "2024-01-01T10:00UTC",
        "abcd-ef-gh",
        "2024-01-01T10:00:00.123Z\x01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = 77;
        int rc = rorm_datetime_parse(&ms, bad[i], strlen(bad[i]));
        if (rc != RORM_EPARSE) {
            fail_msg("'%s' parsed (rc %d, ms %lld)", bad[i], rc, (long long)ms);
        }
    }
    int64_t ms;
    assert_int_equal(rorm_datetime_parse(&ms, NULL, 0), RORM_EPARSE);
    assert_int_equal(rorm_datetime_parse(&ms, NULL, 10), RORM_EPARSE);
    assert_int_equal(rorm_datetime_parse(NULL, "2024-01-01", 10), RORM_EINVAL);
    /* A string with an embedded NUL inside the given length. */
    assert_int_equal(rorm_datetime_parse(&ms, "2024-01-01\0T10:00", 16), RORM_EPARSE);
}

static void test_core_value__datetime_format(void **state)
{
    (void)state;
    char buf[32];
    assert_int_equal(rorm_datetime_format(buf, sizeof buf, 0), 24);
    assert_string_equal(buf, "1970-01-01T00:00:00.000Z");
    rorm_datetime_format(buf, sizeof buf, -1);
    assert_string_equal(buf, "1969-12-31T23:59:59.999Z");
    rorm_datetime_format(buf, sizeof buf, 1709288430123LL);
    assert_string_equal(buf, "2024-03-01T10:20:30.123Z");
    rorm_datetime_format(buf, sizeof buf, 951868799999LL);
    assert_string_equal(buf, "2000-02-29T23:59:59.999Z");
    rorm_datetime_format(buf, sizeof buf, -62167219200000LL);
    assert_string_equal(buf, "0000-01-01T00:00:00.000Z");
    rorm_datetime_format(buf, sizeof buf, 253402300799999LL);
    assert_string_equal(buf, "9999-12-31T23:59:59.999Z");
    /* Outside 0000-9999: signed extended years, never a crash or an overflow. */
    rorm_datetime_format(buf, sizeof buf, 253402300800000LL);
    assert_string_equal(buf, "+010000-01-01T00:00:00.000Z");
    rorm_datetime_format(buf, sizeof buf, -62167219200001LL);
    assert_string_equal(buf, "-000001-12-31T23:59:59.999Z");
    size_t n = rorm_datetime_format(buf, sizeof buf, INT64_MAX);
    assert_string_equal(buf, "+292278994-08-17T07:12:55.807Z");
    assert_int_equal(n, strlen(buf));
    rorm_datetime_format(buf, sizeof buf, INT64_MIN);
    assert_string_equal(buf, "-292275055-05-16T16:47:04.192Z");
    /* Short buffers are truncated and terminated. */
    char small[8];
    assert_int_equal(rorm_datetime_format(small, sizeof small, 0), 7);
    assert_string_equal(small, "1970-01");
    assert_int_equal(rorm_datetime_format(NULL, 10, 0), 0);
    assert_int_equal(rorm_datetime_format(small, 0, 0), 0);
}

/* Days all across years 0000-9999, at a moving time of day: format, compare with gmtime_r where
 * time_t reaches, and parse back. */
static void test_core_value__datetime_round_trip(void **state)
{
    (void)state;
    const int64_t first = -62167219200000LL, last = 253402300799999LL;
    int64_t step = 86400000LL + 3600000LL * 7 + 61001; /* a bit over a day */
    char buf[32], want[64];
    for (int64_t ms = first; ms <= last; ms += step) {
        size_t n = rorm_datetime_format(buf, sizeof buf, ms);
        assert_int_equal(n, 24);
        int64_t back;
        assert_int_equal(rorm_datetime_parse(&back, buf, n), RORM_OK);
        if (back != ms) {
            fail_msg("%lld -> %s -> %lld", (long long)ms, buf, (long long)back);
        }
        time_t secs = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
        struct tm tm;
        if ((ms / 86400000LL) % 5 == 0 && gmtime_r(&secs, &tm) != NULL) {
            snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
            assert_memory_equal(buf, want, 19);
        }
    }
    /* Around the epoch, millisecond by millisecond in both directions. */
    for (int64_t ms = -2500; ms <= 2500; ms++) {
        int64_t back;
        size_t n = rorm_datetime_format(buf, sizeof buf, ms);
        assert_int_equal(rorm_datetime_parse(&back, buf, n), RORM_OK);
        assert_true(back == ms);
    }
}

/* rorm_value_copy of a nested value fails cleanly at each allocation until it succeeds. */
static void test_core_value__copy_oom_loop(void **state)
{
    (void)state;
    rorm_value src;
    build_nested(&src);
    int failures = 0;
    for (size_t n = 1;; n++) {
        rorm_value copy = RORM_INT(99);
        rorm__alloc_fail_after(n);
        int rc = rorm_value_copy(&copy, &src);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            assert_true(rorm_value_equal(&copy, &src));
            rorm_value_dispose(&copy);
            break;
        }
        assert_int_equal(rc, RORM_ENOMEM);
        assert_int_equal(copy.type, RORM_TYPE_NULL);
        failures++;
        assert_true(n < 1000);
    }
    assert_true(failures >= 10);
    rorm_value_dispose(&src);
}

/*
 * Objects whose keys live with their members (RORM_VALUE_KEYS_INLINE, as results are built):
 * filled within the reserved room, grown past it by rorm_value_object_set_take(), members
 * replaced and removed, copied into an ordinary object and disposed (ASan checks the frees).
 */
static void test_core_value__inline_keys(void **state)
{
    (void)state;
    rorm_value obj, v;
    assert_int_equal(rorm__value_object_reserve(&obj, 2, sizeof "id" + sizeof "title"), RORM_OK);
    assert_true(obj.flags & RORM_VALUE_KEYS_INLINE);
    assert_int_equal(rorm_value_len(&obj), 0);
    v = RORM_INT(7);
    assert_int_equal(rorm__value_object_append_take(&obj, "id", 2, &v), RORM_OK);
    assert_int_equal(rorm_value_set_text(&v, "Hello", 5), RORM_OK);
    assert_int_equal(rorm__value_object_append_take(&obj, "title", 5, &v), RORM_OK);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&obj, "id"), 0), 7);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&obj, "title")), "Hello");

    /* Past the room: the members and keys move to a larger block, in order. */
    const char *more[] = { "published", "authorId", "a-rather-long-key-for-the-room", "x" };
    for (size_t i = 0; i < RORM_COUNT(more); i++) {
        assert_int_equal(rorm_value_set_text(&v, more[i], strlen(more[i])), RORM_OK);
        assert_int_equal(rorm_value_object_set_take(&obj, more[i], &v), RORM_OK);
    }
    assert_int_equal(rorm_value_len(&obj), 6);
    assert_string_equal(rorm_value_object_at(&obj, 0)->key, "id");
    assert_string_equal(rorm_value_object_at(&obj, 1)->key, "title");
    for (size_t i = 0; i < RORM_COUNT(more); i++) {
        const rorm_member *m = rorm_value_object_at(&obj, i + 2);
        assert_string_equal(m->key, more[i]);
        assert_string_equal(rorm_value_as_text(&m->value), more[i]);
    }
    /* Replacing keeps the position. */
    v = RORM_BOOL(true);
    assert_int_equal(rorm_value_object_set_take(&obj, "title", &v), RORM_OK);
    assert_int_equal(rorm_value_len(&obj), 6);
    assert_int_equal(rorm_value_object_at(&obj, 1)->value.type, RORM_TYPE_BOOL);

    /* A copy is an ordinary owned object with the same content. */
    rorm_value copy;
    assert_int_equal(rorm_value_copy(&copy, &obj), RORM_OK);
    assert_false(copy.flags & RORM_VALUE_KEYS_INLINE);
    assert_true(rorm_value_equal(&copy, &obj));

    /* Removing the last member (as the relation loader strips fields). */
    rorm__value_member_dispose(&obj, &obj.u.obj.items[5]);
    obj.u.obj.len--;
    assert_null(rorm_value_object_get(&obj, "x"));
    rorm_value_dispose(&copy);
    rorm_value_dispose(&obj);
    assert_int_equal(obj.type, RORM_TYPE_NULL);

    /* Out of memory: the reservation fails cleanly, and so does a growth. */
    rorm__alloc_fail_after(1);
    assert_int_equal(rorm__value_object_reserve(&obj, 1, 4), RORM_ENOMEM);
    rorm__alloc_fail_after(0);
    assert_int_equal(obj.type, RORM_TYPE_NULL);
    assert_int_equal(rorm__value_object_reserve(&obj, 1, 2), RORM_OK);
    v = RORM_INT(1);
    assert_int_equal(rorm__value_object_append_take(&obj, "a", 1, &v), RORM_OK);
    assert_int_equal(rorm_value_set_text(&v, "b", 1), RORM_OK);
    rorm__alloc_fail_after(1);
    assert_int_equal(rorm_value_object_set_take(&obj, "b", &v), RORM_ENOMEM);
    rorm__alloc_fail_after(0);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_value_len(&obj), 1);
    assert_string_equal(rorm_value_object_at(&obj, 0)->key, "a");
    rorm_value_dispose(&obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_value__refs_are_borrowed),
        cmocka_unit_test(test_core_value__owned_constructors),
        cmocka_unit_test(test_core_value__copy_borrowed_is_owned),
        cmocka_unit_test(test_core_value__copy_move_equal),
        cmocka_unit_test(test_core_value__object_order_and_replace),
        cmocka_unit_test(test_core_value__array_push),
        cmocka_unit_test(test_core_value__accessors),
        cmocka_unit_test(test_core_value__datetime_parse),
        cmocka_unit_test(test_core_value__datetime_invalid),
        cmocka_unit_test(test_core_value__datetime_format),
        cmocka_unit_test(test_core_value__datetime_round_trip),
        cmocka_unit_test(test_core_value__copy_oom_loop),
        cmocka_unit_test(test_core_value__inline_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
