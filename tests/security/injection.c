/*
 * Hostile input through every entry point, on every database target: values that look like SQL
 * (quotes, semicolons, comment markers, backslashes, NUL bytes, invalid UTF-8, long strings) are
 * stored and read back byte for byte through the Prisma Client call, the record API, the query
 * builder and raw SQL parameters; names that are not in the schema (fields, models, operators,
 * orderBy directions, select / include / groupBy keys, SQL fragments as keys) are refused with a
 * validation error naming them. After each, a canary table still holds its row and the row
 * counts are what the test wrote: nothing ran as SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/harness.h"

/* The schema, for the provider under test (a long text column needs @db.LongText on MySQL,
   where String is VARCHAR(191)). */
static const char *schema_text(void)
{
    static char buf[2048];
    rorm_test_target t = rorm_test_target_of();
    const char *provider = t == RORM_TARGET_POSTGRES ? "postgresql"
                           : t == RORM_TARGET_MYSQL  ? "mysql"
                                                     : "sqlite";
    snprintf(buf, sizeof buf,
             "datasource db {\n  provider = \"%s\"\n  url = \"x\"\n}\n"
             "enum Role {\n  USER\n  ADMIN\n}\n"
             "model User {\n"
             "  id    Int     @id @default(autoincrement())\n"
             "  role  Role    @default(USER)\n"
             "  email String  @unique\n"
             "  name  String\n"
             "  body  String? %s\n"
             "  age   Int?\n"
             "  posts Post[]\n"
             "}\n"
             "model Post {\n"
             "  id       Int    @id @default(autoincrement())\n"
             "  title    String\n"
             "  authorId Int\n"
             "  author   User   @relation(fields: [authorId], references: [id])\n"
             "}\n"
             "model Bag {\n"
             "  id   Int      @id @default(autoincrement())\n"
             "  %s\n"
             "  meta Json?\n"
             "}\n"
             "model Canary {\n"
             "  id   Int    @id @default(autoincrement())\n"
             "  word String\n"
             "}\n",
             provider, t == RORM_TARGET_MYSQL ? "@db.LongText" : "",
             /* Scalar lists: PostgreSQL only, as in Prisma. */
             t == RORM_TARGET_POSTGRES ? "tags String[]" : "");
    return buf;
}

static rorm_db *open_db(void)
{
    rorm_error err = { 0 };
    rorm_db *db = rorm_test_open();
    rorm_schema *schema = NULL;
    const char *text = schema_text();
    assert_rorm_ok(rorm_prisma_load_string(&schema, text, strlen(text), NULL, NULL, &err), &err);
    assert_rorm_ok(rorm_db_register(db, schema, &err), &err);
    rorm_schema_release(schema);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    char *json = NULL;
    assert_rorm_ok(
        rorm_db_call_json(&json, db, "Canary", "create", "{\"data\": {\"word\": \"alive\"}}", &err),
        &err);
    rorm_free(json);
    return db;
}

/* The number of rows of @p table (through a raw statement, not the code under test). */
static int64_t rows_of(rorm_db *db, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM \"%s\"", table);
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, rorm_test_sql(sql), NULL, 0, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    const rorm_value *v = rorm_rows_get(rows, 0, 0);
    int64_t n = v->type == RORM_TYPE_INT ? v->u.i : strtoll(v->u.s.ptr, NULL, 10);
    rorm_rows_free(rows);
    return n;
}

/* Nothing ran as SQL: the canary holds its one row and User has @p users rows. */
static void assert_intact(rorm_db *db, int64_t users)
{
    assert_int_equal(rows_of(db, "Canary"), 1);
    assert_int_equal(rows_of(db, "User"), users);
    assert_int_equal(rows_of(db, "Post"), 0);
}

static rorm_value text_n(const char *p, size_t n)
{
    return (rorm_value){ .type = RORM_TYPE_TEXT, .flags = RORM_VALUE_BORROWED, .u.s = { p, n } };
}

/* Assert that @p v is text equal, byte for byte, to @p p (@p n bytes). */
static void assert_text(const rorm_value *v, const char *p, size_t n, const char *what)
{
    assert_non_null(v);
    if (v->type != RORM_TYPE_TEXT || v->u.s.len != n || memcmp(v->u.s.ptr, p, n) != 0) {
        fail_msg("%s: the value did not come back byte for byte (type %d, %zu of %zu bytes)", what,
                 v->type, v->type == RORM_TYPE_TEXT ? v->u.s.len : 0, n);
    }
}

/* Values that look like SQL or break naive quoting. */
static const char *const hostile[] = {
    "'",
    "''",
    "\"",
    "`",
    "'; DROP TABLE \"Canary\"; --",
    "\"; DROP TABLE `Canary`; --",
    "' OR '1'='1",
    "1; DELETE FROM Canary",
    "x' UNION SELECT word FROM Canary --",
    "-- line comment",
    "/* open comment",
    "*/ close comment",
    "# hash comment",
    "\\",
    "\\'",
    "\\\"",
    "\\0 backslash zero",
    "%",
    "_",
    "%_\\%",
    "$1",
    "?",
    "$$ dollar $$",
    ":name",
    "\r\n\t\x1b[31m",
    "\xce\xa9\xe2\x89\x88 \xf0\x9f\x98\x80",
    "NULL",
    "{\"$type\": \"Bytes\"}",
    "",
};

/* The row a hostile value goes in: body holds it, and name too when it fits (name is
   VARCHAR(191) on MySQL; a long value leaves it "long"). */
typedef struct row {
    char email[32];
    rorm_value val, short_val;
    const char *short_s;
    size_t short_n;
} row;

static row row_for(char prefix, int i, const char *s, size_t n)
{
    row r;
    snprintf(r.email, sizeof r.email, "%c%d@x.io", prefix, i);
    r.val = text_n(s, n);
    r.short_s = n < 191 ? s : "long";
    r.short_n = n < 191 ? n : 4;
    r.short_val = text_n(r.short_s, r.short_n);
    return r;
}

/* One hostile value through the Prisma Client call: create, read back by key, filter by it
   (equals, contains, in), update with it. */
static void prisma_round_trip(rorm_db *db, int i, const char *s, size_t n)
{
    rorm_error err = { 0 };
    row r = row_for('u', i, s, n);
    const char *email = r.email, *short_s = r.short_s;
    rorm_value val = r.val, short_val = r.short_val;
    size_t short_n = r.short_n;
    rorm_member data[] = { { "email", RORM_TEXT(email) }, { "name", short_val }, { "body", val } };
    rorm_member create[] = { { "data", RORM_OBJECT(data) } };
    rorm_value out;
    assert_rorm_ok(rorm_db_call(&out, db, "User", "create", &RORM_OBJECT(create), &err), &err);
    assert_text(rorm_value_object_get(&out, "name"), short_s, short_n, "create result");
    assert_text(rorm_value_object_get(&out, "body"), s, n, "create result");
    rorm_value_dispose(&out);

    rorm_member by_email[] = { { "email", RORM_TEXT(email) } };
    rorm_member find[] = { { "where", RORM_OBJECT(by_email) } };
    assert_rorm_ok(rorm_db_call(&out, db, "User", "findUnique", &RORM_OBJECT(find), &err), &err);
    assert_text(rorm_value_object_get(&out, "name"), short_s, short_n, "findUnique name");
    assert_text(rorm_value_object_get(&out, "body"), s, n, "findUnique body");
    rorm_value_dispose(&out);

    /* The value as a filter matches its own row. */
    rorm_member eq[] = { { "equals", val } };
    rorm_member w[] = { { "body", RORM_OBJECT(eq) }, { "email", RORM_TEXT(email) } };
    rorm_member many[] = { { "where", RORM_OBJECT(w) } };
    assert_rorm_ok(rorm_db_call(&out, db, "User", "findMany", &RORM_OBJECT(many), &err), &err);
    assert_int_equal(rorm_value_len(&out), 1);
    rorm_value_dispose(&out);
    if (n > 0 && n < 10000) { /* SQLite limits LIKE patterns to 50,000 bytes */
        rorm_member has[] = { { "contains", val } };
        rorm_member w2[] = { { "body", RORM_OBJECT(has) }, { "email", RORM_TEXT(email) } };
        rorm_member many2[] = { { "where", RORM_OBJECT(w2) } };
        assert_rorm_ok(rorm_db_call(&out, db, "User", "findMany", &RORM_OBJECT(many2), &err), &err);
        assert_int_equal(rorm_value_len(&out), 1);
        rorm_value_dispose(&out);
    }
    rorm_value list[] = { short_val };
    rorm_member in[] = { { "in", RORM_ARRAY(list) } };
    rorm_member w3[] = { { "name", RORM_OBJECT(in) }, { "email", RORM_TEXT(email) } };
    rorm_member cnt[] = { { "where", RORM_OBJECT(w3) } };
    assert_rorm_ok(rorm_db_call(&out, db, "User", "count", &RORM_OBJECT(cnt), &err), &err);
    assert_int_equal(out.u.i, 1);
    rorm_value_dispose(&out);

    /* Update: the value written through SET comes back too. */
    rorm_member set[] = { { "name", short_val } };
    rorm_member upd[] = { { "where", RORM_OBJECT(by_email) }, { "data", RORM_OBJECT(set) } };
    assert_rorm_ok(rorm_db_call(&out, db, "User", "update", &RORM_OBJECT(upd), &err), &err);
    assert_text(rorm_value_object_get(&out, "name"), short_s, short_n, "update result");
    rorm_value_dispose(&out);
}

/* The same value through the record API, the query builder and raw SQL parameters. */
static void c_api_round_trip(rorm_db *db, int i, const char *s, size_t n)
{
    rorm_error err = { 0 };
    row r = row_for('c', i, s, n);
    const char *email = r.email;
    rorm_value val = r.val, short_val = r.short_val;
    rorm_member rec[] = { { "email", RORM_TEXT(email) }, { "name", short_val }, { "body", val } };
    rorm_value id, out;
    assert_rorm_ok(rorm_db_insert(db, "User", &RORM_OBJECT(rec), &id, &err), &err);
    assert_rorm_ok(rorm_db_find(db, "User", &id, &out, &err), &err);
    assert_text(rorm_value_object_get(&out, "body"), s, n, "rorm_db_find");
    rorm_value_dispose(&out);
    rorm_member change[] = { { "body", val } };
    assert_rorm_ok(rorm_db_update(db, "User", &id, &RORM_OBJECT(change), &err), &err);

    rorm_query *q = NULL;
    assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
    assert_rorm_ok(rorm_query_where(q, "body", "=", &val), &err);
    assert_rorm_ok(rorm_query_where(q, "email", "=", &RORM_TEXT(email)), &err);
    assert_rorm_ok(rorm_query_first(&out, q, &err), &err);
    assert_text(rorm_value_object_get(&out, "body"), s, n, "rorm_query_first");
    rorm_value_dispose(&out);
    rorm_query_free(q);

    rorm_value params[] = { val, RORM_TEXT(email) };
    int64_t changed = 0;
    assert_rorm_ok(rorm_db_execute_raw(db,
                                       rorm_test_sql("UPDATE \"User\" SET \"name\" = ?, \"body\" "
                                                     "= ? WHERE \"email\" = ?"),
                                       (rorm_value[]){ short_val, val, RORM_TEXT(email) }, 3,
                                       &changed, &err),
                   &err);
    assert_int_equal(changed, 1);
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db,
                                     rorm_test_sql("SELECT \"body\" FROM \"User\" WHERE \"body\" "
                                                   "= ? AND \"email\" = ?"),
                                     params, 2, &err),
                   &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    assert_text(rorm_rows_get(rows, 0, 0), s, n, "raw SQL parameter");
    rorm_rows_free(rows);
    rorm_value_dispose(&id);
}

static void test_injection__hostile_values_are_data(void **state)
{
    (void)state;
    rorm_db *db = open_db();
    int64_t users = 0;
    for (size_t i = 0; i < RORM_COUNT(hostile); i++) {
        prisma_round_trip(db, (int)i, hostile[i], strlen(hostile[i]));
        c_api_round_trip(db, (int)i, hostile[i], strlen(hostile[i]));
        users += 2;
        assert_intact(db, users);
    }
    /* A long value: 1 MiB of quotes, semicolons and comment markers. */
    size_t big = 1 << 20;
    char *text = malloc(big + 1); /* text values are NUL-terminated (value.h) */
    assert_non_null(text);
    static const char piece[] = "'; DROP TABLE \"Canary\"; -- /* \\ # ";
    for (size_t i = 0; i < big; i++) {
        text[i] = piece[i % (sizeof piece - 1)];
    }
    text[big] = '\0';
    prisma_round_trip(db, 1000, text, big);
    c_api_round_trip(db, 1000, text, big);
    users += 2;
    assert_intact(db, users);
    free(text);
    rorm_db_close(db);
}

/*
 * Hostile values inside relations: a nested create, a relation filter, an include with a where,
 * groupBy with having, and the JSON entry point (rorm_db_call_json, the values escaped as JSON
 * text). Each value comes back byte for byte and matches only its own rows.
 */
static void test_injection__hostile_values_in_relations(void **state)
{
    (void)state;
    rorm_db *db = open_db();
    rorm_error err = { 0 };
    int64_t posts = 0;
    for (size_t i = 0; i < RORM_COUNT(hostile); i++) {
        row r = row_for('r', (int)i, hostile[i], strlen(hostile[i]));
        /* create { posts: { create: [{ title: s }, { title: s }] } }, through JSON text */
        rorm_member post[] = { { "title", r.short_val } };
        rorm_value two[] = { RORM_OBJECT(post), RORM_OBJECT(post) };
        rorm_member nested[] = { { "create", RORM_ARRAY(two) } };
        rorm_member data[] = { { "email", RORM_TEXT(r.email) },
                               { "name", r.short_val },
                               { "posts", RORM_OBJECT(nested) } };
        rorm_member args[] = { { "data", RORM_OBJECT(data) } };
        char *json = NULL, *result = NULL;
        size_t len = 0;
        assert_int_equal(rorm_value_to_json(&json, &len, &RORM_OBJECT(args)), RORM_OK);
        assert_rorm_ok(rorm_db_call_json(&result, db, "User", "create", json, &err), &err);
        rorm_free(json);
        rorm_free(result);
        posts += 2;

        /* findMany { where: { posts: { some: { title: s } } }, include: { posts: { where: {
           title: s } } } } */
        rorm_member title[] = { { "title", r.short_val } };
        rorm_member some[] = { { "some", RORM_OBJECT(title) } };
        rorm_member where[] = { { "posts", RORM_OBJECT(some) } };
        rorm_member inc_args[] = { { "where", RORM_OBJECT(title) } };
        rorm_member include[] = { { "posts", RORM_OBJECT(inc_args) } };
        rorm_member find[] = { { "where", RORM_OBJECT(where) },
                               { "include", RORM_OBJECT(include) } };
        rorm_value out;
        assert_rorm_ok(rorm_db_call(&out, db, "User", "findMany", &RORM_OBJECT(find), &err), &err);
        /* MySQL compares text ignoring case: "null" and "NULL" are one value there. */
        if (!rorm_test_has(RORM_TESTCAP_CASE_INSENSITIVE_COLLATION)) {
            assert_int_equal(rorm_value_len(&out), 1);
        }
        bool seen = false;
        for (size_t k = 0; k < rorm_value_len(&out); k++) {
            const rorm_value *u = rorm_value_array_at(&out, k);
            const char *email = rorm_value_object_get(u, "email")->u.s.ptr;
            if (strcmp(email, r.email) == 0) {
                seen = true;
                const rorm_value *ps = rorm_value_object_get(u, "posts");
                assert_int_equal(rorm_value_len(ps), 2);
                for (size_t j = 0; j < 2; j++) {
                    assert_text(rorm_value_object_get(rorm_value_array_at(ps, j), "title"),
                                r.short_s, r.short_n, "included title");
                }
            }
        }
        assert_true(seen);
        rorm_value_dispose(&out);

        /* groupBy { by: [title], where: { title: s }, having: { title: { _count: ... } } } */
        rorm_value by[] = { RORM_TEXT("title") };
        rorm_member all[] = { { "_all", RORM_BOOL(true) } };
        rorm_member group[] = { { "by", RORM_ARRAY(by) },
                                { "where", RORM_OBJECT(title) },
                                { "_count", RORM_OBJECT(all) } };
        assert_rorm_ok(rorm_db_call(&out, db, "Post", "groupBy", &RORM_OBJECT(group), &err), &err);
        assert_int_equal(rorm_value_len(&out), 1);
        const rorm_value *g = rorm_value_array_at(&out, 0);
        if (!rorm_test_has(RORM_TESTCAP_CASE_INSENSITIVE_COLLATION)) {
            assert_text(rorm_value_object_get(g, "title"), r.short_s, r.short_n, "groupBy key");
        }
        rorm_value_dispose(&out);
        assert_int_equal(rows_of(db, "Post"), posts);
        assert_int_equal(rows_of(db, "Canary"), 1);
    }
    rorm_db_close(db);
}

/*
 * NUL bytes and invalid UTF-8 in text. Stored and read back where the database keeps them
 * (capabilities TEXT_NUL, TEXT_INVALID_UTF8); elsewhere a clear error before or from the server,
 * and nothing stored.
 */
static void test_injection__nul_and_invalid_utf8(void **state)
{
    (void)state;
    rorm_db *db = open_db();
    static const struct {
        const char *s;
        size_t n;
        rorm_test_cap cap;
        const char *message;
    } cases[] = {
        { "a\0b", 3, RORM_TESTCAP_TEXT_NUL, "NUL" },
        { "'\0; DROP TABLE Canary; --", 25, RORM_TESTCAP_TEXT_NUL, "NUL" },
        { "\xff\xfe", 2, RORM_TESTCAP_TEXT_INVALID_UTF8, "UTF-8" },
        { "a\xc3", 2, RORM_TESTCAP_TEXT_INVALID_UTF8, "UTF-8" },
        { "\xed\xa0\x80 surrogate", 12, RORM_TESTCAP_TEXT_INVALID_UTF8, "UTF-8" },
        { "\xc0\xaf overlong", 10, RORM_TESTCAP_TEXT_INVALID_UTF8, "UTF-8" },
    };
    int64_t users = 0;
    for (size_t i = 0; i < RORM_COUNT(cases); i++) {
        const char *s = cases[i].s;
        size_t n = cases[i].n;
        if (rorm_test_has(cases[i].cap)) {
            prisma_round_trip(db, (int)i, s, n);
            c_api_round_trip(db, (int)i, s, n);
            users += 2;
        } else {
            rorm_error err = { 0 };
            rorm_member data[] = { { "email", RORM_TEXT("bad@x.io") }, { "name", text_n(s, n) } };
            rorm_member create[] = { { "data", RORM_OBJECT(data) } };
            rorm_value out;
            int rc = rorm_db_call(&out, db, "User", "create", &RORM_OBJECT(create), &err);
            assert_int_equal(rc, RORM_EINVAL);
            if (strstr(err.message, cases[i].message) == NULL) {
                fail_msg("case %zu: '%s' does not name the problem (%s)", i, err.message,
                         cases[i].message);
            }
            rc = rorm_db_insert(db, "User", &RORM_OBJECT(data), NULL, &err);
            assert_int_equal(rc, RORM_EINVAL);
            rorm_rows *rows = NULL;
            rc = rorm_db_query_raw(&rows, db, rorm_test_sql("SELECT ? AS x"),
                                   (rorm_value[]){ text_n(s, n) }, 1, &err);
            assert_int_equal(rc, RORM_EINVAL);
            assert_null(rows);
        }
        assert_intact(db, users);
    }
    /* Text inside a list or a Json object is sent as JSON, which cannot hold bytes that are not
       UTF-8: refused on every database, rather than written as U+FFFD. */
    for (size_t i = 2; i < RORM_COUNT(cases); i++) {
        rorm_error err = { 0 };
        rorm_value bad = text_n(cases[i].s, cases[i].n);
        rorm_value list[] = { RORM_TEXT("ok"), bad };
        rorm_member inner[] = { { "k", bad } };
        rorm_member with_list[] = { { "tags", RORM_ARRAY(list) } };
        rorm_member with_json[] = { { "meta", RORM_OBJECT(inner) } };
        rorm_member *datas[] = { with_json, with_list };
        size_t ns[] = { RORM_COUNT(with_json), RORM_COUNT(with_list) };
        bool lists = rorm_test_target_of() == RORM_TARGET_POSTGRES;
        for (size_t k = 0; k < (lists ? 2u : 1u); k++) {
            rorm_member create[] = { { "data", RORM_OBJECT_N(datas[k], ns[k]) } };
            rorm_value out;
            int rc = rorm_db_call(&out, db, "Bag", "create", &RORM_OBJECT(create), &err);
            if (rc != RORM_EINVAL || strstr(err.message, "UTF-8") == NULL) {
                fail_msg("case %zu/%zu: %s (%s), expected RORM_EINVAL naming UTF-8", i, k,
                         rorm_code_name(rc), err.message);
            }
        }
    }
    assert_int_equal(rows_of(db, "Bag"), 0);
    rorm_db_close(db);
}

/* Run a Prisma Client call that must be refused as invalid; the message must contain each of
   the NULL-terminated @p names. */
static void refused(rorm_db *db, const char *model, const char *op, const char *args, ...)
{
    rorm_error err = { 0 };
    char *json = NULL;
    int rc = rorm_db_call_json(&json, db, model, op, args, &err);
    if (rc != RORM_EINVAL) {
        fail_msg("%s.%s(%s): expected RORM_EINVAL, got %s (%s) %s", model, op, args,
                 rorm_code_name(rc), err.message, json ? json : "");
    }
    assert_null(json);
    va_list ap;
    va_start(ap, args);
    for (const char *name; (name = va_arg(ap, const char *)) != NULL;) {
        if (strstr(err.message, name) == NULL) {
            fail_msg("%s.%s(%s): '%s' does not name '%s'", model, op, args, err.message, name);
        }
    }
    va_end(ap);
}

#define DROP "\\\"; DROP TABLE Canary; --"

static void test_injection__names_outside_the_schema(void **state)
{
    (void)state;
    rorm_db *db = open_db();
    char *json = NULL;
    rorm_error err = { 0 };
    assert_rorm_ok(rorm_db_call_json(&json, db, "User", "create",
                                     "{\"data\": {\"email\": \"a@x.io\", \"name\": \"A\"}}", &err),
                   &err);
    rorm_free(json);

    /* Models and operations. */
    refused(db, "User\"; DROP TABLE Canary; --", "findMany", "{}", "DROP TABLE Canary", NULL);
    refused(db, "Canary; --", "count", "{}", "Canary; --", NULL);
    refused(db, "User", "findMany; DROP TABLE Canary", "{}", "findMany; DROP TABLE Canary", NULL);
    /* Field names as where keys, select / omit / include keys, data keys. */
    refused(db, "User", "findMany", "{\"where\": {\"" DROP "\": 1}}", "DROP TABLE Canary", NULL);
    refused(db, "User", "findMany", "{\"where\": {\"1=1 OR name\": \"x\"}}", "1=1 OR name", NULL);
    refused(db, "User", "findMany", "{\"where\": {\"OR\": [{\"name) OR (1=1\": \"x\"}]}}",
            "name) OR (1=1", NULL);
    refused(db, "User", "findMany", "{\"select\": {\"id, (SELECT word FROM Canary)\": true}}",
            "id, (SELECT word FROM Canary)", NULL);
    refused(db, "User", "findMany", "{\"omit\": {\"* FROM Canary --\": true}}", "* FROM Canary --",
            NULL);
    refused(db, "User", "findMany", "{\"include\": {\"Canary\": true}}", "Canary", NULL);
    refused(db, "User", "findMany", "{\"include\": {\"posts; DROP TABLE Post\": true}}",
            "posts; DROP TABLE Post", NULL);
    refused(db, "User", "findMany", "{\"include\": {\"name\": true}}", "name", NULL);
    refused(db, "User", "create",
            "{\"data\": {\"email\": \"b@x.io\", \"name\": \"B\", \"age) VALUES (1); --\": 1}}",
            "age) VALUES (1); --", NULL);
    refused(db, "User", "updateMany", "{\"data\": {\"name = 'x', email\": \"y\"}}",
            "name = 'x', email", NULL);
    /* Operators. */
    refused(db, "User", "findMany", "{\"where\": {\"name\": {\"equals; DROP TABLE Canary\": 1}}}",
            "equals; DROP TABLE Canary", NULL);
    refused(db, "User", "findMany", "{\"where\": {\"age\": {\"gt) OR (1=1\": 1}}}", "gt) OR (1=1",
            NULL);
    refused(db, "User", "findMany", "{\"where\": {\"name\": {\"mode\": \"insensitive'; --\"}}}",
            "mode", "insensitive", NULL);
    /* orderBy: unknown fields and directions. */
    refused(db, "User", "findMany", "{\"orderBy\": {\"name\": \"asc; DROP TABLE Canary\"}}",
            "orderBy.name", NULL);
    refused(db, "User", "findMany", "{\"orderBy\": {\"name\": \"desc NULLS FIRST, (SELECT 1)\"}}",
            "orderBy.name", NULL);
    refused(db, "User", "findMany", "{\"orderBy\": {\"(SELECT 1)\": \"asc\"}}", "(SELECT 1)", NULL);
    refused(db, "User", "findMany",
            "{\"orderBy\": {\"name\": {\"sort\": \"asc\", \"nulls\": \"last; --\"}}}", "nulls",
            NULL);
    refused(db, "User", "findMany", "{\"distinct\": [\"name; --\"]}", "name; --", NULL);
    refused(db, "User", "findMany", "{\"cursor\": {\"id = 1 OR 1\": 1}}", "id = 1 OR 1", NULL);
    /* groupBy / aggregates. */
    refused(db, "User", "groupBy", "{\"by\": [\"name\", \"1; DROP TABLE Canary\"]}",
            "1; DROP TABLE Canary", NULL);
    refused(db, "User", "groupBy",
            "{\"by\": [\"name\"], \"_count\": {\"email) FROM Canary --\": true}}",
            "email) FROM Canary --", NULL);
    refused(db, "User", "aggregate", "{\"_sum\": {\"age) FROM Canary; --\": true}}",
            "age) FROM Canary; --", NULL);
    refused(db, "User", "aggregate", "{\"_avg\": {\"name\": true}}", "name", NULL);
    refused(db, "User", "groupBy",
            "{\"by\": [\"name\"], \"having\": {\"age\": {\"_max; --\": {\"gt\": 1}}}}", "_max; --",
            NULL);
    /* Relation filters and nested writes. */
    refused(db, "User", "findMany", "{\"where\": {\"posts\": {\"some; --\": {}}}}", "some; --",
            NULL);
    refused(db, "User", "create",
            "{\"data\": {\"email\": \"c@x.io\", \"name\": \"C\", \"posts\": {\"create\": "
            "{\"title\": \"t\", \"x'); DROP TABLE Canary; --\": 1}}}}",
            "x'); DROP TABLE Canary; --", NULL);
    refused(db, "User", "create",
            "{\"data\": {\"email\": \"c@x.io\", \"name\": \"C\", \"posts\": {\"insert; --\": {}}}}",
            "insert; --", NULL);
    /* Enum values are names too: checked against the enum, never cast from any text. */
    refused(db, "User", "create",
            "{\"data\": {\"email\": \"e@x.io\", \"name\": \"E\", \"role\": \"ADMIN'; DROP TABLE "
            "Canary; --\"}}",
            "role", NULL);
    refused(db, "User", "findMany",
            "{\"where\": {\"role\": {\"in\": [\"USER\", \"ADMIN') OR ('1\"]}}}", "role", NULL);
    /* Types: a value of the wrong shape where a name or number goes. */
    refused(db, "User", "findMany", "{\"take\": \"1; DROP TABLE Canary\"}", "take", NULL);
    refused(db, "User", "findMany", "{\"orderBy\": {\"name\": 1}}", "name", NULL);
    assert_intact(db, 1);

    /* The C API: the record API and the builder. */
    rorm_member bad[] = { { "name\" = 'x' --", RORM_TEXT("x") } };
    int rc = rorm_db_insert(db, "User", &RORM_OBJECT(bad), NULL, &err);
    assert_int_equal(rc, RORM_EINVAL);
    assert_non_null(strstr(err.message, "name\" = 'x' --"));
    rc = rorm_db_update(db, "User", &RORM_INT(1), &RORM_OBJECT(bad), &err);
    assert_int_equal(rc, RORM_EINVAL);
    assert_non_null(strstr(err.message, "name\" = 'x' --"));
    rc = rorm_db_insert(db, "Canary; DROP TABLE User", &RORM_OBJECT(bad), NULL, &err);
    assert_int_equal(rc, RORM_EINVAL);
    assert_non_null(strstr(err.message, "Canary; DROP TABLE User"));
    static const struct {
        const char *field, *op, *select, *order;
        rorm_order dir;
        const char *named;
    } builder[] = {
        { "id; DROP TABLE Canary", "=", NULL, NULL, RORM_ASC, "id; DROP TABLE Canary" },
        { "id", "= 1 OR 1 =", NULL, NULL, RORM_ASC, "= 1 OR 1 =" },
        { "id", "=", "id, (SELECT word FROM Canary)", NULL, RORM_ASC, "(SELECT word FROM Canary)" },
        { "id", "=", NULL, "name; DROP TABLE Canary", RORM_ASC, "name; DROP TABLE Canary" },
        { "id", "=", NULL, "name", (rorm_order)42, "order" },
    };
    for (size_t i = 0; i < RORM_COUNT(builder); i++) {
        rorm_query *q = NULL;
        assert_rorm_ok(rorm_query_new(&q, db, "User", &err), &err);
        rorm_query_where(q, builder[i].field, builder[i].op, &RORM_INT(1));
        if (builder[i].select) {
            rorm_query_select(q, builder[i].select);
        }
        if (builder[i].order) {
            rorm_query_order_by(q, builder[i].order, builder[i].dir);
        }
        rorm_rows *rows = NULL;
        rc = rorm_query_execute(&rows, q, &err);
        if (rc != RORM_EINVAL || strstr(err.message, builder[i].named) == NULL) {
            fail_msg("builder case %zu: %s (%s), expected RORM_EINVAL naming '%s'", i,
                     rorm_code_name(rc), err.message, builder[i].named);
        }
        assert_null(rows);
        rorm_query_free(q);
    }
    assert_intact(db, 1);
    rorm_db_close(db);
}

/* Raw SQL: parameters stay data even when they hold SQL; SQL text with several statements is
   not run as several statements. */
static void test_injection__raw_sql(void **state)
{
    (void)state;
    rorm_db *db = open_db();
    rorm_error err = { 0 };
    rorm_value p[] = { RORM_TEXT("x'); DROP TABLE \"Canary\"; --") };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, rorm_test_sql("SELECT ? AS v"), p, 1, &err), &err);
    /* MySQL types `SELECT ?` as binary: the bytes are what counts. */
    const rorm_value *v = rorm_rows_get(rows, 0, 0);
    if (v->type == RORM_TYPE_BYTES) {
        assert_int_equal(v->u.bytes.len, p[0].u.s.len);
        assert_memory_equal(v->u.bytes.ptr, p[0].u.s.ptr, p[0].u.s.len);
    } else {
        assert_text(v, p[0].u.s.ptr, p[0].u.s.len, "raw SELECT ?");
    }
    rorm_rows_free(rows);
    /* Two statements in one call: refused (or the second one is never run). */
    int rc = rorm_db_execute_raw(db, rorm_test_sql("SELECT 1; DROP TABLE \"Canary\""), NULL, 0,
                                 NULL, &err);
    assert_int_not_equal(rc, RORM_OK);
    assert_intact(db, 0);
    rorm_db_close(db);
}

/* URIs with injected parameters or percent-encoded junk: an error that says what is wrong (the
   password masked), never a crash, and never a parameter smuggled through another one. */
static void test_injection__uris(void **state)
{
    (void)state;
    static const struct {
        const char *uri;
        const char *named;
    } bad[] = {
        { "sqlite://./x.db?busy_timeout=1;DROP", "busy_timeout" },
        { "sqlite://./x.db?foreign_keys=off", "foreign_keys" },
        { "sqlite://./x.db?connection_limit=2%00", "connection_limit" },
        { "postgresql://u:secret@h/db?sslmode=disable&options=-csearch_path%3Devil", "options" },
        { "postgresql://u:secret@h/db?sslmode=disable%26options%3D-c", "sslmode" },
        { "postgresql://u:secret@h:5432%2F/db", "port" },
        { "postgresql://u:secret@h/db%00x", "%00" },
        { "postgresql://u:secret@h/db?connect_timeout=1%20OR%201", "connect_timeout" },
        { "mysql://u:secret@h/db?init_command=DROP%20TABLE%20x", "init_command" },
        { "mysql://u:secret@h/db?charset=utf8mb4'%3B", "charset" },
        { "mysql://u:secret@h/db?%zz=1", "%zz" },
        { "postgresql://u%ZZ:secret@h/db", "%ZZ" },
    };
    for (size_t i = 0; i < RORM_COUNT(bad); i++) {
        rorm_db *db = NULL;
        rorm_error err = { 0 };
        int rc = rorm_db_open(&db, bad[i].uri, &err);
        if (rc == RORM_OK || strstr(err.message, bad[i].named) == NULL ||
            strstr(err.message, "secret") != NULL) {
            fail_msg("%s: %s (%s), expected an error naming '%s'", bad[i].uri, rorm_code_name(rc),
                     err.message, bad[i].named);
        }
        assert_null(db);
    }
}

/*
 * On the servers, names from the URI that reach the server: a PostgreSQL schema is quoted as an
 * identifier in SET search_path (the statement cannot be ended by it), a MySQL database name
 * travels in the connect packet (never in SQL). Either way the canary survives.
 */
static void test_injection__uri_names_on_servers(void **state)
{
    (void)state;
    rorm_test_target t = rorm_test_target_of();
    if (t != RORM_TARGET_POSTGRES && t != RORM_TARGET_MYSQL) {
        print_message("no server: the URI names of %s are paths\n", rorm_test_target_name());
        return;
    }
    rorm_db *db = open_db();
    const char *base = rorm_test_open_url();
    static const char evil[] = "x%22%60%3B%20DROP%20TABLE%20Canary%3B%20--";
    char url[4200];
    if (t == RORM_TARGET_POSTGRES) {
        /* A repeated parameter keeps its last value: this schema replaces the scratch one. */
        snprintf(url, sizeof url, "%s&schema=%s", base, evil);
    } else {
        const char *q = strchr(base, '?');
        int n = q ? (int)(q - base) : (int)strlen(base);
        snprintf(url, sizeof url, "%.*s%s%s", n, base, evil, q ? q : "");
    }
    rorm_db *other = NULL;
    rorm_error err = { 0 };
    int rc = rorm_db_open(&other, url, &err);
    if (t == RORM_TARGET_POSTGRES) {
        /* The schema does not exist: the search path is empty, Canary is not found there. */
        assert_rorm_ok(rc, &err);
        rorm_rows *rows = NULL;
        rc = rorm_db_query_raw(&rows, other, "SELECT COUNT(*) FROM \"Canary\"", NULL, 0, &err);
        assert_int_not_equal(rc, RORM_OK);
        assert_non_null(strstr(err.message, "Canary"));
        rorm_db_close(other);
    } else {
        assert_int_not_equal(rc, RORM_OK);
        assert_non_null(strstr(err.message, "DROP TABLE Canary"));
        assert_null(other);
    }
    assert_intact(db, 0);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_injection__hostile_values_are_data),
        cmocka_unit_test(test_injection__hostile_values_in_relations),
        cmocka_unit_test(test_injection__nul_and_invalid_utf8),
        cmocka_unit_test(test_injection__names_outside_the_schema),
        cmocka_unit_test(test_injection__raw_sql),
        cmocka_unit_test(test_injection__uris),
        cmocka_unit_test(test_injection__uri_names_on_servers),
    };
    return cmocka_run_group_tests_name(rorm_test_target_name(), tests, NULL, NULL);
}
