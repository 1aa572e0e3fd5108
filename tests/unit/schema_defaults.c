/*
 * Default values: literals parsed by the field type (and rejected when they do not parse),
 * database-generated expressions, list literals, and the default kinds checked by validation.
 */
#include "harness/harness.h"

#include <string.h>

#include "schema/schema.h"

typedef struct one_field {
    rorm_schema *s;
    rorm_model *m;
    const rorm_field *f;
    rorm_error err;
} one_field;

/* Add field "f" of @p type to a model "User" that has an id; returns the add_field result. */
static int add_one(one_field *o, unsigned type, unsigned flags, unsigned kind, const char *text)
{
    memset(o, 0, sizeof *o);
    assert_rorm_ok(rorm_schema_new(&o->s, &o->err), &o->err);
    const char *roles[] = { "USER", "ADMIN", NULL };
    assert_rorm_ok(rorm_schema_add_enum(o->s, "Role", roles, 0, &o->err), &o->err);
    assert_rorm_ok(rorm_schema_new_model(&o->m, o->s, "User", &o->err), &o->err);
    rorm_field_def id = { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY };
    assert_rorm_ok(rorm_model_add_field(o->m, &id, &o->err), &o->err);
    rorm_field_def def = { .name = "f",
                           .type = type,
                           .flags = flags,
                           .default_kind = kind,
                           .default_text = text,
                           .enum_name = "Role" };
    int rc = rorm_model_add_field(o->m, &def, &o->err);
    o->f = rorm_model_field(o->m, "f");
    return rc;
}

/* The literal @p text parses as a default of @p type; the caller checks o->f and releases. */
static const rorm_value *ok_value(one_field *o, unsigned type, const char *text)
{
    assert_rorm_ok(add_one(o, type, 0, RORM_DEFAULT_VALUE, text), &o->err);
    assert_non_null(o->f);
    assert_int_equal(o->f->def.kind, RORM_DEFAULT_VALUE);
    return &o->f->def.value;
}

static void expect_bad(unsigned type, unsigned flags, const char *text, const char *message)
{
    one_field o;
    assert_int_equal(add_one(&o, type, flags, RORM_DEFAULT_VALUE, text), RORM_ESCHEMA);
    assert_int_equal(o.err.code, RORM_ESCHEMA);
    assert_string_equal(o.err.message, message);
    assert_null(o.f);
    assert_int_equal(rorm_model_field_count(o.m), 1);
    rorm_schema_release(o.s);
}

static void test_schema_defaults__integers(void **state)
{
    (void)state;
    one_field o;
    const rorm_value *v = ok_value(&o, RORM_FIELD_INT, "42");
    assert_int_equal(v->type, RORM_TYPE_INT);
    assert_int_equal(v->u.i, 42);
    rorm_schema_release(o.s);
    v = ok_value(&o, RORM_FIELD_INT, "-2147483648");
    assert_int_equal(v->u.i, INT32_MIN);
    rorm_schema_release(o.s);
    v = ok_value(&o, RORM_FIELD_INT, "+7");
    assert_int_equal(v->u.i, 7);
    rorm_schema_release(o.s);
    v = ok_value(&o, RORM_FIELD_BIGINT, "9223372036854775807");
    assert_true(v->u.i == INT64_MAX);
    rorm_schema_release(o.s);
    v = ok_value(&o, RORM_FIELD_BIGINT, "-9223372036854775808");
    assert_true(v->u.i == INT64_MIN);
    rorm_schema_release(o.s);

    expect_bad(RORM_FIELD_INT, 0, "abc", "default 'abc' of field 'User.f' is not a valid Int");
    expect_bad(RORM_FIELD_INT, 0, "2147483648",
               "default '2147483648' of field 'User.f' is not a valid Int");
    expect_bad(RORM_FIELD_INT, 0, "1.5", "default '1.5' of field 'User.f' is not a valid Int");
    expect_bad(RORM_FIELD_INT, 0, "", "default '' of field 'User.f' is not a valid Int");
    expect_bad(RORM_FIELD_INT, 0, " 1", "default ' 1' of field 'User.f' is not a valid Int");
    expect_bad(RORM_FIELD_INT, 0, "-", "default '-' of field 'User.f' is not a valid Int");
    expect_bad(RORM_FIELD_BIGINT, 0, "9223372036854775808",
               "default '9223372036854775808' of field 'User.f' is not a valid BigInt");
}

static void test_schema_defaults__numbers_and_bools(void **state)
{
    (void)state;
    one_field o;
    const rorm_value *v = ok_value(&o, RORM_FIELD_FLOAT, "1.5");
    assert_int_equal(v->type, RORM_TYPE_DOUBLE);
    assert_true(v->u.d == 1.5);
    rorm_schema_release(o.s);
    v = ok_value(&o, RORM_FIELD_FLOAT, "-2e3");
    assert_true(v->u.d == -2000.0);
    rorm_schema_release(o.s);
    expect_bad(RORM_FIELD_FLOAT, 0, "1e", "default '1e' of field 'User.f' is not a valid Float");
    expect_bad(RORM_FIELD_FLOAT, 0, "nan", "default 'nan' of field 'User.f' is not a valid Float");
    expect_bad(RORM_FIELD_FLOAT, 0, "inf", "default 'inf' of field 'User.f' is not a valid Float");
    expect_bad(RORM_FIELD_FLOAT, 0, "0x10",
               "default '0x10' of field 'User.f' is not a valid Float");
    expect_bad(RORM_FIELD_FLOAT, 0, "1e999",
               "default '1e999' of field 'User.f' is not a valid Float");

    v = ok_value(&o, RORM_FIELD_DECIMAL, "-12.50");
    assert_int_equal(v->type, RORM_TYPE_DECIMAL);
    assert_string_equal(rorm_value_as_text(v), "-12.50");
    rorm_schema_release(o.s);
    expect_bad(RORM_FIELD_DECIMAL, 0, "1.2.3",
               "default '1.2.3' of field 'User.f' is not a valid Decimal");
    expect_bad(RORM_FIELD_DECIMAL, 0, ".", "default '.' of field 'User.f' is not a valid Decimal");
    expect_bad(RORM_FIELD_DECIMAL, 0, "1e5",
               "default '1e5' of field 'User.f' is not a valid Decimal");

    v = ok_value(&o, RORM_FIELD_BOOL, "true");
    assert_int_equal(v->type, RORM_TYPE_BOOL);
    assert_true(v->u.b);
    rorm_schema_release(o.s);
    expect_bad(RORM_FIELD_BOOL, 0, "TRUE",
               "default 'TRUE' of field 'User.f' is not a valid Boolean");
    expect_bad(RORM_FIELD_BOOL, 0, "1", "default '1' of field 'User.f' is not a valid Boolean");
}

static void test_schema_defaults__text_kinds(void **state)
{
    (void)state;
    one_field o;
    const rorm_value *v = ok_value(&o, RORM_FIELD_STRING, "guest, \"quoted\"");
    assert_int_equal(v->type, RORM_TYPE_TEXT);
    assert_string_equal(rorm_value_as_text(v), "guest, \"quoted\"");
    rorm_schema_release(o.s);
    v = ok_value(&o, RORM_FIELD_STRING, "");
    assert_string_equal(rorm_value_as_text(v), "");
    rorm_schema_release(o.s);

    v = ok_value(&o, RORM_FIELD_DATETIME, "2024-01-01T00:00:00Z");
    assert_int_equal(v->type, RORM_TYPE_DATETIME);
    assert_true(v->u.ms == INT64_C(1704067200000));
    rorm_schema_release(o.s);
    expect_bad(RORM_FIELD_DATETIME, 0, "yesterday",
               "default 'yesterday' of field 'User.f' is not a valid DateTime");

    v = ok_value(&o, RORM_FIELD_JSON, "{\"a\": [1, 2]}");
    assert_int_equal(v->type, RORM_TYPE_JSON);
    assert_string_equal(rorm_value_as_text(v), "{\"a\": [1, 2]}");
    rorm_schema_release(o.s);
    expect_bad(RORM_FIELD_JSON, 0, "  ", "default '  ' of field 'User.f' is not a valid Json");

    v = ok_value(&o, RORM_FIELD_BYTES, "aGVsbG8=");
    assert_int_equal(v->type, RORM_TYPE_BYTES);
    assert_int_equal(v->u.bytes.len, 5);
    assert_memory_equal(v->u.bytes.ptr, "hello", 5);
    rorm_schema_release(o.s);
    v = ok_value(&o, RORM_FIELD_BYTES, "aGk");
    assert_int_equal(v->u.bytes.len, 2);
    assert_memory_equal(v->u.bytes.ptr, "hi", 2);
    rorm_schema_release(o.s);
    expect_bad(RORM_FIELD_BYTES, 0,
               "a$==", "default 'a$==' of field 'User.f' is not a valid Bytes");
    expect_bad(RORM_FIELD_BYTES, 0, "a", "default 'a' of field 'User.f' is not a valid Bytes");

    /* Enum defaults are kept as text; membership is checked by validation. */
    v = ok_value(&o, RORM_FIELD_ENUM, "ADMIN");
    assert_string_equal(rorm_value_as_text(v), "ADMIN");
    assert_rorm_ok(rorm_schema_validate(o.s, &o.err), &o.err);
    rorm_schema_release(o.s);
    ok_value(&o, RORM_FIELD_ENUM, "GUEST");
    assert_int_equal(rorm_schema_validate(o.s, &o.err), RORM_ESCHEMA);
    assert_string_equal(o.err.message,
                        "default 'GUEST' of field 'User.f' is not a member of enum 'Role'");
    assert_false(o.s->frozen);
    rorm_schema_release(o.s);
}

static void test_schema_defaults__lists(void **state)
{
    (void)state;
    one_field o;
    assert_rorm_ok(add_one(&o, RORM_FIELD_INT, RORM_LIST, RORM_DEFAULT_VALUE, "[1, -2, 3]"),
                   &o.err);
    const rorm_value *v = &o.f->def.value;
    assert_int_equal(v->type, RORM_TYPE_ARRAY);
    assert_int_equal(rorm_value_len(v), 3);
    assert_int_equal(rorm_value_array_at(v, 1)->u.i, -2);
    rorm_schema_release(o.s);

    assert_rorm_ok(add_one(&o, RORM_FIELD_STRING, RORM_LIST, RORM_DEFAULT_VALUE,
                           "[\"a,b\", plain , \"q\\\"x\"]"),
                   &o.err);
    v = &o.f->def.value;
    assert_int_equal(rorm_value_len(v), 3);
    assert_string_equal(rorm_value_as_text(rorm_value_array_at(v, 0)), "a,b");
    assert_string_equal(rorm_value_as_text(rorm_value_array_at(v, 1)), "plain");
    assert_string_equal(rorm_value_as_text(rorm_value_array_at(v, 2)), "q\"x");
    rorm_schema_release(o.s);

    assert_rorm_ok(add_one(&o, RORM_FIELD_BOOL, RORM_LIST, RORM_DEFAULT_VALUE, " [ ] "), &o.err);
    assert_int_equal(o.f->def.value.type, RORM_TYPE_ARRAY);
    assert_int_equal(rorm_value_len(&o.f->def.value), 0);
    rorm_schema_release(o.s);

    assert_rorm_ok(add_one(&o, RORM_FIELD_ENUM, RORM_LIST, RORM_DEFAULT_VALUE, "[USER, GUEST]"),
                   &o.err);
    assert_int_equal(rorm_schema_validate(o.s, &o.err), RORM_ESCHEMA);
    assert_string_equal(o.err.message,
                        "default 'GUEST' of field 'User.f' is not a member of enum 'Role'");
    rorm_schema_release(o.s);

    expect_bad(RORM_FIELD_INT, RORM_LIST, "1",
               "default '1' of field 'User.f' is not a valid Int[]");
    expect_bad(RORM_FIELD_INT, RORM_LIST, "[1,,2]",
               "default '[1,,2]' of field 'User.f' is not a valid Int[]");
    expect_bad(RORM_FIELD_INT, RORM_LIST, "[1, x]",
               "default '[1, x]' of field 'User.f' is not a valid Int[]");
    expect_bad(RORM_FIELD_INT, RORM_LIST, "[1,]",
               "default '[1,]' of field 'User.f' is not a valid Int[]");
}

static void test_schema_defaults__other_kinds(void **state)
{
    (void)state;
    one_field o;
    assert_rorm_ok(add_one(&o, RORM_FIELD_STRING, 0, RORM_DEFAULT_DBGENERATED, "gen_random_uuid()"),
                   &o.err);
    assert_string_equal(o.f->def.expr, "gen_random_uuid()");
    assert_int_equal(o.f->def.value.type, RORM_TYPE_NULL);
    rorm_schema_release(o.s);

    assert_rorm_ok(add_one(&o, RORM_FIELD_STRING, 0, RORM_DEFAULT_UUID, NULL), &o.err);
    assert_int_equal(rorm_field_default_kind(o.f), RORM_DEFAULT_UUID);
    assert_null(o.f->def.expr);
    assert_rorm_ok(rorm_schema_validate(o.s, &o.err), &o.err);
    rorm_schema_release(o.s);

    /* The flag and the default kind mean the same. */
    assert_rorm_ok(add_one(&o, RORM_FIELD_BIGINT, 0, RORM_DEFAULT_AUTOINCREMENT, NULL), &o.err);
    assert_int_equal(o.f->flags, RORM_AUTOINCREMENT);
    rorm_schema_release(o.s);
    assert_rorm_ok(add_one(&o, RORM_FIELD_BIGINT, RORM_AUTOINCREMENT, RORM_DEFAULT_NONE, NULL),
                   &o.err);
    assert_int_equal(o.f->def.kind, RORM_DEFAULT_AUTOINCREMENT);
    rorm_schema_release(o.s);

    assert_int_equal(add_one(&o, RORM_FIELD_INT, RORM_AUTOINCREMENT, RORM_DEFAULT_VALUE, "1"),
                     RORM_ESCHEMA);
    assert_string_equal(o.err.message, "field 'User.f' has RORM_AUTOINCREMENT and another default");
    rorm_schema_release(o.s);
    assert_int_equal(add_one(&o, RORM_FIELD_INT, 0, RORM_DEFAULT_VALUE, NULL), RORM_ESCHEMA);
    assert_string_equal(o.err.message, "field 'User.f' has RORM_DEFAULT_VALUE but no default_text");
    rorm_schema_release(o.s);
    assert_int_equal(add_one(&o, RORM_FIELD_INT, 0, 99, NULL), RORM_EINVAL);
    rorm_schema_release(o.s);
}

/* Default kinds that do not fit the field type are found by validation. */
static void expect_invalid(unsigned type, unsigned flags, unsigned kind, const char *message)
{
    one_field o;
    assert_rorm_ok(add_one(&o, type, flags, kind, NULL), &o.err);
    assert_int_equal(rorm_schema_validate(o.s, &o.err), RORM_ESCHEMA);
    assert_string_equal(o.err.message, message);
    rorm_schema_release(o.s);
}

static void test_schema_defaults__kind_checks(void **state)
{
    (void)state;
    expect_invalid(RORM_FIELD_STRING, RORM_AUTOINCREMENT, 0,
                   "autoincrement on field 'User.f' which is not Int or BigInt");
    expect_invalid(RORM_FIELD_FLOAT, 0, RORM_DEFAULT_AUTOINCREMENT,
                   "autoincrement on field 'User.f' which is not Int or BigInt");
    expect_invalid(RORM_FIELD_STRING, RORM_UPDATED_AT, 0,
                   "RORM_UPDATED_AT on field 'User.f' which is not DateTime");
    expect_invalid(RORM_FIELD_INT, 0, RORM_DEFAULT_NOW,
                   "default now() on field 'User.f' which is not DateTime");
    expect_invalid(RORM_FIELD_INT, 0, RORM_DEFAULT_UUID,
                   "default uuid() on field 'User.f' which is not String");
    expect_invalid(RORM_FIELD_BOOL, 0, RORM_DEFAULT_CUID,
                   "default cuid() on field 'User.f' which is not String");

    one_field o;
    assert_rorm_ok(add_one(&o, RORM_FIELD_DATETIME, RORM_UPDATED_AT, RORM_DEFAULT_NOW, NULL),
                   &o.err);
    assert_rorm_ok(rorm_schema_validate(o.s, &o.err), &o.err);
    rorm_schema_release(o.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_defaults__integers),
        cmocka_unit_test(test_schema_defaults__numbers_and_bools),
        cmocka_unit_test(test_schema_defaults__text_kinds),
        cmocka_unit_test(test_schema_defaults__lists),
        cmocka_unit_test(test_schema_defaults__other_kinds),
        cmocka_unit_test(test_schema_defaults__kind_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
