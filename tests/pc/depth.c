/*
 * The query nesting limit (RORM_QUERY_MAX_DEPTH): arguments nested 100,000 levels deep, which
 * would overflow the stack of a recursive validator, give RORM_EINVAL naming the path, through
 * the value API, JSON text, streams and the select builder; where AND/OR/NOT, relation filters,
 * include, select and nested writes alike. Queries right at the limit still run.
 */
#include "pc_fixture.h"

#define DEEP 100000

/*
 * An object chain `{k0: {k1: {... {leaf_key: leaf}}}}` of @p depth objects (the argument object
 * itself included): the keys come from @p prefix, then @p cycle repeated. Members live in one
 * heap block (borrowed values), freed by the caller.
 */
static rorm_member *chain(rorm_value *out,
                          const char *const *prefix,
                          size_t nprefix,
                          const char *const *cycle,
                          size_t ncycle,
                          size_t depth,
                          const char *leaf_key,
                          rorm_value leaf)
{
    rorm_member *m = calloc(depth, sizeof *m);
    assert_non_null(m);
    for (size_t i = 0; i + 1 < depth; i++) {
        m[i].key = i < nprefix ? prefix[i] : cycle[(i - nprefix) % ncycle];
        m[i].value = RORM_OBJECT_N(&m[i + 1], 1);
    }
    m[depth - 1].key = leaf_key;
    m[depth - 1].value = leaf;
    *out = RORM_OBJECT_N(&m[0], 1);
    return m;
}

static void expect_too_deep(
    rorm_db *db, const char *model, const char *op, rorm_value *args, const char *path_start)
{
    rorm_error err = { 0 };
    rorm_value out;
    assert_int_equal(rorm_db_call(&out, db, model, op, args, &err), RORM_EINVAL);
    assert_int_equal(out.type, RORM_TYPE_NULL);
    assert_contains(err.message, "nested deeper than 64 levels at `");
    assert_contains(err.message, path_start);
}

static void test_pc_depth__value_trees(void **state)
{
    (void)state;
    rorm_db *db = pc_open();
    rorm_value args;
    static const char *const where[] = { "where" };
    /* where: {AND: {AND: ...}} and {NOT: {OR: ...}} */
    static const char *const and_cycle[] = { "AND" };
    rorm_member *m = chain(&args, where, 1, and_cycle, 1, DEEP, "id", RORM_INT(1));
    expect_too_deep(db, "User", "findMany", &args, "`where.AND.AND.AND");
    free(m);
    static const char *const not_or[] = { "NOT", "OR" };
    m = chain(&args, where, 1, not_or, 2, DEEP, "id", RORM_INT(1));
    expect_too_deep(db, "User", "count", &args, "`where.NOT.OR.NOT.OR");
    free(m);
    /* Relation filters: where: {posts: {some: {author: {is: {posts: ...}}}}} */
    static const char *const rel[] = { "posts", "some", "author", "is" };
    m = chain(&args, where, 1, rel, 4, DEEP, "id", RORM_INT(1));
    expect_too_deep(db, "User", "findFirst", &args, "`where.posts.some.author.is.posts");
    free(m);
    /* include: {posts: {include: {author: {include: ...}}}} */
    static const char *const include[] = { "include" };
    static const char *const inc[] = { "posts", "include", "author", "include" };
    m = chain(&args, include, 1, inc, 4, DEEP, "posts", RORM_BOOL(true));
    expect_too_deep(db, "User", "findMany", &args, "`include.posts.include.author");
    free(m);
    /* select: {posts: {select: {author: {select: ...}}}} */
    static const char *const select[] = { "select" };
    static const char *const sel[] = { "posts", "select", "author", "select" };
    m = chain(&args, select, 1, sel, 4, DEEP, "id", RORM_BOOL(true));
    expect_too_deep(db, "User", "findMany", &args, "`select.posts.select.author");
    free(m);
    /* Nested writes: data: {posts: {create: {author: {create: ...}}}} */
    static const char *const data[] = { "data" };
    static const char *const nested[] = { "posts", "create", "author", "create" };
    m = chain(&args, data, 1, nested, 4, DEEP, "name", RORM_TEXT("x"));
    expect_too_deep(db, "User", "create", &args, "`data.posts.create.author.create");
    free(m);
    /* A Json value nested as deep. */
    static const char *const json[] = { "data", "meta" };
    static const char *const any[] = { "a" };
    m = chain(&args, json, 2, any, 1, DEEP, "b", RORM_INT(1));
    expect_too_deep(db, "Doc", "create", &args, "`data.meta.a.a");
    free(m);
    /* Arrays count as levels too: where: {OR: [{OR: [...]}]} */
    size_t levels = DEEP / 2;
    rorm_member *mm = calloc(levels + 1, sizeof *mm);
    rorm_value *arr = calloc(levels, sizeof *arr);
    assert_non_null(mm);
    assert_non_null(arr);
    mm[0].key = "where";
    mm[0].value = RORM_OBJECT_N(&mm[1], 1);
    for (size_t i = 1; i < levels; i++) {
        arr[i] = RORM_OBJECT_N(&mm[i + 1], 1);
        mm[i].key = "OR";
        mm[i].value = RORM_ARRAY_N(&arr[i], 1);
    }
    mm[levels].key = "id";
    mm[levels].value = RORM_INT(1);
    args = RORM_OBJECT_N(&mm[0], 1);
    expect_too_deep(db, "User", "findMany", &args, "`where.OR[0].OR[0].OR[0]");
    free(mm);
    free(arr);
    rorm_db_close(db);
}

static void test_pc_depth__at_the_limit(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = pc_open();
    pc_seed_users(db);
    /* {where: {AND: {AND: ... {id: 1}}}}: the argument object, `where`, then ANDs (flat SQL).
       64 objects run, 65 do not. */
    static const char *const where[] = { "where" };
    static const char *const ands[] = { "AND" };
    rorm_value args, out;
    rorm_member *m = chain(&args, where, 1, ands, 1, RORM_QUERY_MAX_DEPTH, "id", RORM_INT(1));
    assert_rorm_ok(rorm_db_call(&out, db, "User", "count", &args, &err), &err);
    assert_int_equal(rorm_value_as_int(&out, -1), 1);
    rorm_value_dispose(&out);
    free(m);
    m = chain(&args, where, 1, ands, 1, RORM_QUERY_MAX_DEPTH + 1, "id", RORM_INT(1));
    expect_too_deep(db, "User", "count", &args, "`where.AND.AND");
    free(m);
    /* NOT nests parentheses in the SQL: 30 levels run everywhere. At the limit (62 NOTs)
       PostgreSQL and MySQL run it; SQLite's own parser refuses it cleanly (its stack holds
       about 100 symbols): RORM_EDRIVER "parser stack overflow". */
    static const char *const nots[] = { "NOT" };
    m = chain(&args, where, 1, nots, 1, 32, "id", RORM_INT(1));
    assert_rorm_ok(rorm_db_call(&out, db, "User", "count", &args, &err), &err);
    assert_int_equal(rorm_value_as_int(&out, -1), 1);
    rorm_value_dispose(&out);
    free(m);
    m = chain(&args, where, 1, nots, 1, RORM_QUERY_MAX_DEPTH, "id", RORM_INT(1));
    if (rorm_test_has(RORM_TESTCAP_SERVER)) {
        assert_rorm_ok(rorm_db_call(&out, db, "User", "count", &args, &err), &err);
        assert_int_equal(rorm_value_as_int(&out, -1), 1);
        rorm_value_dispose(&out);
    } else {
        assert_int_equal(rorm_db_call(&out, db, "User", "count", &args, &err), RORM_EDRIVER);
        assert_contains(err.message, "parser stack overflow");
    }
    free(m);
    rorm_db_close(db);
}

/* "{"where": {"AND": {"AND": ... {"id": 1} ...}}}" with @p n ANDs. */
static char *deep_json(size_t n)
{
    char *s = malloc(n * 10 + 64);
    assert_non_null(s);
    size_t k = (size_t)sprintf(s, "{\"where\": ");
    for (size_t i = 0; i < n; i++) {
        k += (size_t)sprintf(s + k, "{\"AND\": ");
    }
    k += (size_t)sprintf(s + k, "{\"id\": 1}");
    for (size_t i = 0; i < n + 1; i++) {
        s[k++] = '}';
    }
    s[k] = '\0';
    return s;
}

static void test_pc_depth__json_text_and_streams(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = pc_open();
    char *out = NULL;
    /* 100,000 levels of JSON text: the parser stops at its own limit, without recursing on. */
    char *text = deep_json(DEEP);
    assert_int_equal(rorm_db_call_json(&out, db, "User", "findMany", text, &err), RORM_EPARSE);
    assert_contains(err.message, "nesting deeper than");
    assert_null(out);
    rorm_cursor *cur = NULL;
    assert_int_equal(rorm_db_stream_json(&cur, db, "User", text, &err), RORM_EPARSE);
    assert_null(cur);
    free(text);
    /* Deeper than the query limit but parseable: the query's message, with the path. */
    text = deep_json(300);
    assert_int_equal(rorm_db_call_json(&out, db, "User", "findMany", text, &err), RORM_EINVAL);
    assert_contains(err.message, "nested deeper than 64 levels at `where.AND.AND");
    assert_int_equal(rorm_db_stream_json(&cur, db, "User", text, &err), RORM_EINVAL);
    assert_contains(err.message, "nested deeper than 64 levels at `where.AND.AND");
    free(text);
    /* A stream of a value tree 100,000 deep: refused before the arguments are copied. */
    static const char *const where[] = { "where" };
    static const char *const ands[] = { "AND" };
    rorm_value args;
    rorm_member *m = chain(&args, where, 1, ands, 1, DEEP, "id", RORM_INT(1));
    assert_int_equal(rorm_db_stream(&cur, db, "User", &args, &err), RORM_EINVAL);
    assert_contains(err.message, "`where.AND.AND");
    free(m);
    rorm_db_close(db);
}

static void test_pc_depth__builder_groups(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = pc_open();
    pc_seed_users(db);
    rorm_query *q = NULL;
    assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
    int first_error = RORM_OK;
    for (int i = 0; i < DEEP; i++) {
        int rc = (i % 2 ? rorm_query_or_begin : rorm_query_and_begin)(q);
        if (rc != RORM_OK && first_error == RORM_OK) {
            first_error = rc;
            assert_int_equal(i, RORM_QUERY_MAX_DEPTH - 1);
        }
    }
    assert_int_equal(first_error, RORM_EINVAL);
    rorm_rows *rows = NULL;
    assert_int_equal(rorm_query_execute(&rows, q, &err), RORM_EINVAL);
    assert_contains(err.message, "groups nested deeper than 64 levels");
    rorm_query_free(q);
    /* Groups up to the limit run. */
    assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
    for (int i = 0; i < RORM_QUERY_MAX_DEPTH - 1; i++) {
        assert_int_equal(rorm_query_or_begin(q), RORM_OK);
    }
    assert_int_equal(rorm_query_where(q, "age", ">=", &RORM_INT(40)), RORM_OK);
    for (int i = 0; i < RORM_QUERY_MAX_DEPTH - 1; i++) {
        assert_int_equal(rorm_query_group_end(q), RORM_OK);
    }
    int64_t n = -1;
    assert_rorm_ok(rorm_query_count(&n, q, &err), &err);
    assert_int_equal(n, 2);
    rorm_query_free(q);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pc_depth__value_trees),
        cmocka_unit_test(test_pc_depth__at_the_limit),
        cmocka_unit_test(test_pc_depth__json_text_and_streams),
        cmocka_unit_test(test_pc_depth__builder_groups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
