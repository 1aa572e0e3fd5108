/*
 * The record API on every database: open, register, ensure schema, insert/find/update/delete,
 * value round trips, defaults, constraint errors and bad input.
 */
#include <stdlib.h>
#include <string.h>

#include "api_fixture.h"
#include "client/client.h"
#include "core/json.h"

static void test_api_crud__open_bad_uris(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = (rorm_db *)1;
    assert_int_equal(rorm_db_open(&db, "nosuch://x", &err), RORM_EPARSE);
    assert_null(db);
    assert_non_null(strstr(err.message, "nosuch://x"));
    assert_int_equal(rorm_db_open(&db, "sqlite://", &err), RORM_EPARSE);
    assert_int_not_equal(rorm_db_open(&db, "postgresql://bob:s3cret@localhost/db?bogus=1", &err),
                         RORM_OK);
    assert_null(strstr(err.message, "s3cret"));
    assert_int_equal(rorm_db_open(&db, NULL, &err), RORM_EINVAL);
}

static void test_api_crud__open_config(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_config cfg = RORM_CONFIG_INIT;
    cfg.type = RORM_DB_SQLITE;
    cfg.path = ":memory:";
    rorm_db *db = NULL;
    assert_rorm_ok(rorm_db_open_config(&db, &cfg, &err), &err);
    assert_int_equal(rorm_db_type_of(db), RORM_DB_SQLITE);
    rorm_db_close(db);
    cfg.path = NULL;
    assert_int_equal(rorm_db_open_config(&db, &cfg, &err), RORM_EINVAL);
    /* A version 1 struct (the fields up to busy_timeout_ms) is still accepted. */
    rorm_config v1 = RORM_CONFIG_INIT;
    v1.version = 1;
    v1.type = RORM_DB_SQLITE;
    v1.path = ":memory:";
    assert_rorm_ok(rorm_db_open_config(&db, &v1, &err), &err);
    rorm_db_close(db);
    v1.version = 99;
    assert_int_equal(rorm_db_open_config(&db, &v1, &err), RORM_EINVAL);

    /* The database under test, through the structured config parsed from its URL. */
    assert_rorm_ok(rorm_db_open(&db, rorm_test_url(), &err), &err);
    unsigned type = rorm_db_type_of(db);
    rorm_db_close(db);
    rorm_test_target t = rorm_test_target_of();
    assert_int_equal(type, t == RORM_TARGET_POSTGRES ? RORM_DB_POSTGRES
                           : t == RORM_TARGET_MYSQL  ? RORM_DB_MYSQL
                                                     : RORM_DB_SQLITE);
}

/* Servers: a wrong password or port is a clear connection error naming the server. */
static void test_api_crud__server_connection_errors(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    rorm_test_target t = rorm_test_target_of();
    if (!rorm_test_has(RORM_TESTCAP_SERVER)) {
        /* SQLite: a path in a missing directory fails at open. */
        assert_int_not_equal(rorm_db_open(&db, "sqlite:///nonexistent-dir/sub/x.db", &err),
                             RORM_OK);
        assert_null(db);
        return;
    }
    const char *bad = t == RORM_TARGET_POSTGRES
                          ? "postgresql://rorm:wrong%20pw@127.0.0.1:1/x?connect_timeout=2"
                          : "mysql://rorm:wrong%20pw@127.0.0.1:1/x?connect_timeout=2";
    /* Over the Unix socket (the test servers export these URLs; your own servers may not). */
    const char *sock = getenv(t == RORM_TARGET_POSTGRES ? "RORM_TEST_PG_SOCKET_URL"
                                                        : "RORM_TEST_MYSQL_SOCKET_URL");
    if (sock && *sock) {
        rorm_rows *rows = NULL;
        assert_rorm_ok(rorm_db_open(&db, sock, &err), &err);
        assert_rorm_ok(rorm_db_query_raw(&rows, db, "SELECT 1", NULL, 0, &err), &err);
        assert_int_equal(rorm_value_as_int(rorm_rows_get(rows, 0, 0), 0), 1);
        rorm_rows_free(rows);
        rorm_db_close(db);
    } else {
        print_message("%s: no socket URL set, Unix socket connection not checked\n",
                      rorm_test_target_name());
    }
    assert_int_equal(rorm_db_open(&db, bad, &err), RORM_ECONNECTION);
    assert_null(db);
    assert_non_null(strstr(err.message, "127.0.0.1"));
    assert_null(strstr(err.message, "wrong pw"));
    /* Unknown parameters and bad values are parse errors, password masked. */
    assert_int_equal(rorm_db_open(&db, "postgres://u:sekrit@h/db?sslmode=maybe", &err),
                     RORM_EPARSE);
    assert_null(strstr(err.message, "sekrit"));
    assert_int_equal(rorm_db_open(&db, "mariadb://u:sekrit@h/db?nope=1", &err), RORM_EPARSE);
    assert_null(strstr(err.message, "sekrit"));
}

static int64_t count_rows(rorm_db *db, const char *sql, const rorm_value *params, size_t n)
{
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, sql, params, n, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    int64_t v = rorm_value_as_int(rorm_rows_get(rows, 0, 0), -1);
    rorm_rows_free(rows);
    return v;
}

/* Catalog queries per database: tables, columns, unique indexes, foreign keys, all objects. */
static int64_t catalog_count(rorm_db *db, const char *what, const char *table, const char *column)
{
    rorm_value p[] = { rorm_value_text_ref(table), rorm_value_text_ref(column) };
    rorm_test_target t = rorm_test_target_of();
    const char *sql = NULL;
    size_t n = 1;
    if (t == RORM_TARGET_SQLITE_MEMORY || t == RORM_TARGET_SQLITE_FILE) {
        if (strcmp(what, "table") == 0) {
            sql = "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name=?";
        } else if (strcmp(what, "column") == 0) {
            sql = "SELECT COUNT(*) FROM pragma_table_info(?) WHERE name=?";
            n = 2;
        } else if (strcmp(what, "unique") == 0) {
            sql = "SELECT COUNT(*) FROM pragma_index_list(?) WHERE \"unique\"=1 AND origin='c'";
        } else if (strcmp(what, "index") == 0) {
            sql = "SELECT COUNT(*) FROM pragma_index_list(?) WHERE origin='c'";
        } else if (strcmp(what, "fk") == 0) {
            sql = "SELECT COUNT(*) FROM pragma_foreign_key_list(?) WHERE \"table\"=?";
            n = 2;
        } else {
            sql = "SELECT COUNT(*) FROM sqlite_master WHERE ? IS NOT NULL";
        }
    } else {
        bool pg = t == RORM_TARGET_POSTGRES;
        const char *schema = pg ? "current_schema()" : "DATABASE()";
        static char buf[512];
        /* On PostgreSQL the catalogs are read directly, restricted to the test's own schema:
           the information_schema views look at every relation of the database, which races
           with parallel tests dropping their schemas ("could not open relation with OID"). */
        if (strcmp(what, "table") == 0 && pg) {
            snprintf(buf, sizeof buf,
                     "SELECT COUNT(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = "
                     "current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname=?");
        } else if (strcmp(what, "table") == 0) {
            snprintf(buf, sizeof buf,
                     "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema=%s AND "
                     "table_name=?",
                     schema);
        } else if (strcmp(what, "column") == 0 && pg) {
            snprintf(buf, sizeof buf,
                     "SELECT COUNT(*) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON "
                     "c.oid = a.attrelid WHERE c.relnamespace = current_schema()::regnamespace AND "
                     "c.relname=? AND a.attname=? AND a.attnum > 0 AND NOT a.attisdropped");
            n = 2;
        } else if (strcmp(what, "column") == 0) {
            snprintf(buf, sizeof buf,
                     "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema=%s AND "
                     "table_name=? AND column_name=?",
                     schema);
            n = 2;
        } else if (strcmp(what, "unique") == 0 || strcmp(what, "index") == 0) {
            bool unique = strcmp(what, "unique") == 0;
            if (pg) {
                snprintf(buf, sizeof buf,
                         "SELECT COUNT(*) FROM pg_indexes WHERE schemaname=current_schema() AND "
                         "tablename=? AND indexname NOT LIKE '%%pkey'%s",
                         unique ? " AND indexdef LIKE 'CREATE UNIQUE%'" : "");
            } else {
                snprintf(buf, sizeof buf,
                         "SELECT COUNT(DISTINCT index_name) FROM information_schema.statistics "
                         "WHERE table_schema=DATABASE() AND table_name=? AND index_name<>'PRIMARY'"
                         "%s",
                         unique ? " AND non_unique=0" : "");
            }
        } else if (strcmp(what, "fk") == 0) {
            if (pg) {
                snprintf(
                    buf, sizeof buf,
                    "SELECT COUNT(*) FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class t "
                    "ON t.oid = k.conrelid JOIN pg_catalog.pg_class r ON r.oid = k.confrelid "
                    "WHERE k.contype = 'f' AND t.relnamespace = current_schema()::regnamespace "
                    "AND t.relname=? AND r.relname=?");
            } else {
                snprintf(buf, sizeof buf,
                         "SELECT COUNT(*) FROM information_schema.referential_constraints WHERE "
                         "constraint_schema=DATABASE() AND table_name=? AND "
                         "referenced_table_name=?");
            }
            n = 2;
        } else if (pg) {
            snprintf(
                buf, sizeof buf,
                "SELECT (SELECT COUNT(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = "
                "current_schema()::regnamespace AND c.relkind IN ('r', 'p')) + (SELECT "
                "COUNT(*) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = "
                "a.attrelid WHERE c.relnamespace = current_schema()::regnamespace AND "
                "c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped) + 0 * "
                "LENGTH(?)");
        } else {
            snprintf(buf, sizeof buf,
                     "SELECT (SELECT COUNT(*) FROM information_schema.tables WHERE "
                     "table_schema=%s) + (SELECT COUNT(*) FROM information_schema.columns WHERE "
                     "table_schema=%s) + 0 * LENGTH(?)",
                     schema, schema);
        }
        sql = buf;
    }
    return count_rows(db, rorm_test_sql(sql), p, n);
}

static void test_api_crud__ensure_schema_creates_mapped_tables_once(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    static const char *const tables[] = { "users", "posts", "memberships", "things" };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(catalog_count(db, "table", tables[i], NULL), 1);
    }
    /* Columns follow the naming convention unless mapped. */
    assert_int_equal(catalog_count(db, "column", "users", "created_at"), 1);
    assert_int_equal(catalog_count(db, "column", "posts", "author_id"), 1);
    assert_int_equal(catalog_count(db, "column", "things", "custom_label"), 1);
    /* Indexes and the foreign key exist. */
    assert_int_equal(catalog_count(db, "unique", "users", NULL), 1);
    /* MySQL indexes a foreign key's columns itself; our index on author_id serves it. */
    assert_int_equal(catalog_count(db, "index", "posts", NULL), 1);
    assert_int_equal(catalog_count(db, "fk", "posts", "users"), 1);
    int64_t objects = catalog_count(db, "all", "x", NULL);
    /* Idempotent: a second call changes nothing and keeps the data. */
    fx_user(db, "a@x.io", "A", 1);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    assert_rorm_ok(rorm_db_create_table(db, "User", &err), &err);
    assert_int_equal(catalog_count(db, "all", "x", NULL), objects);
    assert_int_equal(count_rows(db, "SELECT COUNT(*) FROM users", NULL, 0), 1);
    assert_int_equal(rorm_db_create_table(db, "Usr", &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "did you mean 'User'"));
    rorm_db_close(db);
}

static void test_api_crud__insert_find_update_delete(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    int64_t before = rorm__now_ms();
    int64_t id = fx_user(db, "alice@example.com", "Alice", 30);
    int64_t id2 = fx_user(db, "bob@example.com", "Bob", -1);
    assert_true(id2 == id + 1);

    rorm_value rec;
    assert_rorm_ok(rorm_db_find(db, "User", &RORM_INT(id), &rec, &err), &err);
    assert_int_equal(rorm_value_len(&rec), 6);
    assert_string_equal(rorm_value_object_at(&rec, 0)->key, "id");
    assert_string_equal(rorm_value_object_at(&rec, 4)->key, "createdAt");
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&rec, "id"), 0), id);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "email")),
                        "alice@example.com");
    assert_int_equal(rorm_value_as_int(rorm_value_object_get(&rec, "age"), 0), 30);
    const rorm_value *created = rorm_value_object_get(&rec, "createdAt");
    assert_int_equal(created->type, RORM_TYPE_DATETIME);
    assert_true(created->u.ms >= before - 5 && created->u.ms <= before + 60000);
    const rorm_value *updated = rorm_value_object_get(&rec, "updatedAt");
    assert_int_equal(updated->type, RORM_TYPE_DATETIME);
    rorm_value_dispose(&rec);

    assert_rorm_ok(rorm_db_find(db, "User", &RORM_INT(id2), &rec, &err), &err);
    assert_int_equal(rorm_value_object_get(&rec, "age")->type, RORM_TYPE_NULL);
    rorm_value_dispose(&rec);

    /* An object key works as well as a bare value. */
    rorm_member key[] = { { "id", RORM_INT(id) } };
    rorm_member change[] = { { "name", RORM_TEXT("Alice B.") }, { "age", RORM_NULL_VALUE } };
    assert_rorm_ok(rorm_db_update(db, "User", &RORM_OBJECT(key), &RORM_OBJECT(change), &err), &err);
    assert_rorm_ok(rorm_db_find(db, "User", &RORM_INT(id), &rec, &err), &err);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "name")), "Alice B.");
    assert_int_equal(rorm_value_object_get(&rec, "age")->type, RORM_TYPE_NULL);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "email")),
                        "alice@example.com");
    rorm_value_dispose(&rec);

    assert_int_equal(rorm_db_update(db, "User", &RORM_INT(9999), &RORM_OBJECT(change), &err),
                     RORM_ENOTFOUND);
    assert_rorm_ok(rorm_db_delete(db, "User", &RORM_INT(id), &err), &err);
    assert_int_equal(rorm_db_find(db, "User", &RORM_INT(id), &rec, &err), RORM_ENOTFOUND);
    assert_int_equal(rec.type, RORM_TYPE_NULL);
    assert_int_equal(rorm_db_delete(db, "User", &RORM_INT(id), &err), RORM_ENOTFOUND);
    rorm_db_close(db);
}

static void test_api_crud__defaults_and_generated_ids(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    int64_t uid = fx_user(db, "p@x.io", "P", 20);
    rorm_member post[] = { { "title", RORM_TEXT("T") }, { "authorId", RORM_INT(uid) } };
    rorm_value pid;
    assert_rorm_ok(rorm_db_insert(db, "Post", &RORM_OBJECT(post), &pid, &err), &err);
    rorm_value rec;
    assert_rorm_ok(rorm_db_find(db, "Post", &pid, &rec, &err), &err);
    assert_int_equal(rorm_value_object_get(&rec, "published")->type, RORM_TYPE_BOOL);
    assert_false(rorm_value_object_get(&rec, "published")->u.b);
    rorm_value_dispose(&rec);

    /* A uuid() key is generated by the library and returned. */
    rorm_member thing[] = { { "s", RORM_TEXT("x") } };
    rorm_value tid, tid2;
    assert_rorm_ok(rorm_db_insert(db, "Thing", &RORM_OBJECT(thing), &tid, &err), &err);
    assert_rorm_ok(rorm_db_insert(db, "Thing", &RORM_OBJECT(thing), &tid2, &err), &err);
    assert_int_equal(tid.type, RORM_TYPE_TEXT);
    assert_int_equal(tid.u.s.len, 36);
    assert_int_equal(tid.u.s.ptr[14], '4');
    assert_false(rorm_value_equal(&tid, &tid2));
    assert_rorm_ok(rorm_db_find(db, "Thing", &tid, &rec, &err), &err);
    assert_true(rorm_value_equal(rorm_value_object_get(&rec, "id"), &tid));
    /* An empty list default. */
    assert_int_equal(rorm_value_object_get(&rec, "tags")->type, RORM_TYPE_ARRAY);
    rorm_value_dispose(&rec);
    rorm_value_dispose(&tid);
    rorm_value_dispose(&tid2);

    /* A composite key comes back as an object; a text default with a quote is stored. */
    rorm_member mem[] = { { "tenantId", RORM_TEXT("acme") }, { "userId", RORM_INT(INT64_MAX) } };
    rorm_value mid;
    assert_rorm_ok(rorm_db_insert(db, "Membership", &RORM_OBJECT(mem), &mid, &err), &err);
    assert_int_equal(mid.type, RORM_TYPE_OBJECT);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&mid, "tenantId")), "acme");
    assert_int_equal(rorm_value_object_get(&mid, "userId")->u.i, INT64_MAX);
    assert_rorm_ok(rorm_db_find(db, "Membership", &mid, &rec, &err), &err);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "role")), "member's");
    rorm_value_dispose(&rec);
    rorm_member role[] = { { "role", RORM_TEXT("owner") } };
    assert_rorm_ok(rorm_db_update(db, "Membership", &mid, &RORM_OBJECT(role), &err), &err);
    assert_int_equal(rorm_db_find(db, "Membership", &RORM_TEXT("acme"), &rec, &err), RORM_EINVAL);
    assert_rorm_ok(rorm_db_delete(db, "Membership", &mid, &err), &err);
    assert_int_equal(rorm_db_delete(db, "Membership", &mid, &err), RORM_ENOTFOUND);
    rorm_value_dispose(&mid);
    rorm_db_close(db);
}

static bool json_same(const rorm_value *a, const rorm_value *b)
{
    rorm_value pa, pb;
    rorm_error err = { 0 };
    assert_rorm_ok(rorm__json_parse(&pa, a->u.s.ptr, a->u.s.len, &err), &err);
    assert_rorm_ok(rorm__json_parse(&pb, b->u.s.ptr, b->u.s.len, &err), &err);
    bool same = rorm_value_equal(&pa, &pb);
    rorm_value_dispose(&pa);
    rorm_value_dispose(&pb);
    return same;
}

static void test_api_crud__every_type_round_trips(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    static const uint8_t blob[] = { 0, 1, 2, 255, 0, 'x' };
    rorm_value tags[] = { RORM_TEXT("a"), RORM_TEXT("b'c"), RORM_TEXT("\xc3\xa9\xf0\x9f\x98\x80") };
    rorm_value scores[] = { RORM_INT(1), RORM_INT(-2), RORM_INT(3) };
    const char *text = "O'Brien; DROP TABLE users; -- \"quoted\" \xe2\x9c\x93";
    rorm_member thing[] = {
        { "s", RORM_TEXT(text) },
        { "i", RORM_INT(INT32_MIN) },
        { "big", RORM_INT(INT64_MIN) },
        { "f", RORM_DOUBLE(0.1) },
        { "dec", RORM_DECIMAL("1234567.125") },
        { "b", RORM_BOOL(true) },
        { "at", RORM_DATETIME(-86400000 + 123) },
        { "doc", RORM_JSON("{\"k\":[1,2,{\"z\":null}]}") },
        { "raw", RORM_BYTES(blob, sizeof blob) },
        { "color", RORM_TEXT("GREEN") },
        { "tags", RORM_ARRAY(tags) },
        { "scores", RORM_ARRAY(scores) },
        { "label", RORM_TEXT("") },
    };
    rorm_value id, rec;
    assert_rorm_ok(rorm_db_insert(db, "Thing", &RORM_OBJECT(thing), &id, &err), &err);
    assert_rorm_ok(rorm_db_find(db, "Thing", &id, &rec, &err), &err);
    for (size_t i = 0; i < RORM_COUNT(thing); i++) {
        const rorm_value *got = rorm_value_object_get(&rec, thing[i].key);
        assert_non_null(got);
        if (got->type == RORM_TYPE_JSON && !rorm_test_has(RORM_TESTCAP_JSON_TEXT_PRESERVED)) {
            /* jsonb stores the value, not the text: compare parsed. */
            assert_true(json_same(got, &thing[i].value));
            continue;
        }
        if (!rorm_value_equal(got, &thing[i].value)) {
            char *json = NULL;
            size_t n;
            rorm_value_to_json(&json, &n, got);
            fail_msg("field %s did not round-trip: got %s", thing[i].key, json ? json : "?");
        }
    }
    rorm_value_dispose(&rec);
    rorm_value_dispose(&id);

    /* Text for DateTime and Decimal is parsed; JS-style integral doubles fit Int. */
    rorm_member conv[] = { { "at", RORM_TEXT("2024-02-29T12:00:00.5Z") },
                           { "i", RORM_DOUBLE(42.0) },
                           { "dec", RORM_TEXT("-0.50") } };
    assert_rorm_ok(rorm_db_insert(db, "Thing", &RORM_OBJECT(conv), &id, &err), &err);
    assert_rorm_ok(rorm_db_find(db, "Thing", &id, &rec, &err), &err);
    int64_t ms;
    assert_rorm_ok(rorm_datetime_parse(&ms, "2024-02-29T12:00:00.500Z", 24), &err);
    assert_int_equal(rorm_value_object_get(&rec, "at")->u.ms, ms);
    assert_int_equal(rorm_value_object_get(&rec, "i")->u.i, 42);
    rorm_value_dispose(&rec);
    rorm_value_dispose(&id);
    rorm_db_close(db);
}

static void test_api_crud__bad_input_is_a_clear_error(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    rorm_value id;
    rorm_member typo[] = { { "emial", RORM_TEXT("x@y.z") }, { "name", RORM_TEXT("X") } };
    assert_int_equal(rorm_db_insert(db, "User", &RORM_OBJECT(typo), &id, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "unknown field 'emial'"));
    assert_non_null(strstr(err.message, "did you mean 'email'"));

    rorm_member missing[] = { { "email", RORM_TEXT("x@y.z") } };
    assert_int_equal(rorm_db_insert(db, "User", &RORM_OBJECT(missing), &id, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "User.name"));

    rorm_member wrong[] = { { "email", RORM_TEXT("x@y.z") }, { "name", RORM_INT(5) } };
    assert_int_equal(rorm_db_insert(db, "User", &RORM_OBJECT(wrong), &id, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "User.name"));

    rorm_member nul[] = { { "email", RORM_NULL_VALUE }, { "name", RORM_TEXT("X") } };
    assert_int_equal(rorm_db_insert(db, "User", &RORM_OBJECT(nul), &id, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "cannot be null"));

    rorm_member big[] = { { "email", RORM_TEXT("x@y.z") },
                          { "name", RORM_TEXT("X") },
                          { "age", RORM_INT(1LL << 40) } };
    assert_int_equal(rorm_db_insert(db, "User", &RORM_OBJECT(big), &id, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "out of range"));

    rorm_member color[] = { { "color", RORM_TEXT("PURPLE") } };
    assert_int_equal(rorm_db_insert(db, "Thing", &RORM_OBJECT(color), &id, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "Color"));

    rorm_member baddate[] = { { "at", RORM_TEXT("2023-02-29") } };
    assert_int_equal(rorm_db_insert(db, "Thing", &RORM_OBJECT(baddate), &id, &err), RORM_EINVAL);

    rorm_member baddec[] = { { "dec", RORM_TEXT("1.2.3") } };
    assert_int_equal(rorm_db_insert(db, "Thing", &RORM_OBJECT(baddec), &id, &err), RORM_EINVAL);

    rorm_member relation[] = { { "author", RORM_INT(1) } };
    assert_int_equal(rorm_db_insert(db, "Post", &RORM_OBJECT(relation), &id, &err),
                     RORM_EUNSUPPORTED);

    assert_int_equal(rorm_db_insert(db, "User", &RORM_INT(1), &id, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_insert(db, "User", NULL, &id, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_insert(db, NULL, &RORM_OBJECT(typo), &id, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_insert(db, "Usr", &RORM_OBJECT(typo), &id, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "did you mean 'User'"));
    assert_int_equal(rorm_db_find(db, "User", &RORM_TEXT("abc"), &id, &err), RORM_EINVAL);
    assert_int_equal(rorm_db_find(db, "User", NULL, &id, &err), RORM_EINVAL);
    /* Nothing was written by the failed calls. */
    assert_int_equal(count_rows(db, "SELECT COUNT(*) FROM users", NULL, 0), 0);
    assert_int_equal(count_rows(db, "SELECT COUNT(*) FROM things", NULL, 0), 0);
    rorm_db_close(db);
}

static void test_api_crud__constraint_errors(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    fx_user(db, "dup@x.io", "D", 1);
    rorm_member dup[] = { { "email", RORM_TEXT("dup@x.io") }, { "name", RORM_TEXT("E") } };
    rorm_value id;
    assert_int_equal(rorm_db_insert(db, "User", &RORM_OBJECT(dup), &id, &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_UNIQUE);
    /* The database's own text names the table and column: users.email, users_email_key. */
    assert_non_null(strstr(err.message, "email"));

    /* Unique keys follow the collation: "DUP@x.io" is the same key as "dup@x.io" on MySQL. */
    rorm_member upper[] = { { "email", RORM_TEXT("DUP@x.io") }, { "name", RORM_TEXT("U") } };
    int rc = rorm_db_insert(db, "User", &RORM_OBJECT(upper), NULL, &err);
    if (rorm_test_has(RORM_TESTCAP_CASE_INSENSITIVE_COLLATION)) {
        assert_int_equal(rc, RORM_ECONSTRAINT);
        assert_int_equal(err.constraint, RORM_CONSTRAINT_UNIQUE);
    } else {
        assert_rorm_ok(rc, &err);
    }

    rorm_member orphan[] = { { "title", RORM_TEXT("T") }, { "authorId", RORM_INT(424242) } };
    assert_int_equal(rorm_db_insert(db, "Post", &RORM_OBJECT(orphan), &id, &err), RORM_ECONSTRAINT);
    assert_int_equal(err.constraint, RORM_CONSTRAINT_FOREIGN_KEY);

    rorm_member m1[] = { { "tenantId", RORM_TEXT("t") }, { "userId", RORM_INT(1) } };
    assert_rorm_ok(rorm_db_insert(db, "Membership", &RORM_OBJECT(m1), NULL, &err), &err);
    assert_int_equal(rorm_db_insert(db, "Membership", &RORM_OBJECT(m1), NULL, &err),
                     RORM_ECONSTRAINT);
    rorm_db_close(db);
}

static void test_api_crud__raw_sql_binds_parameters(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    rorm_db *db = fx_open();
    fx_user(db, "r1@x.io", "R1", 10);
    fx_user(db, "r2@x.io", "R2", 20);
    int64_t affected = 0;
    rorm_value params[] = { RORM_INT(99), RORM_TEXT("r1@x.io") };
    assert_rorm_ok(rorm_db_execute_raw(db,
                                       rorm_test_sql("UPDATE users SET age = ? WHERE email = ?"),
                                       params, 2, &affected, &err),
                   &err);
    assert_int_equal(affected, 1);
    rorm_rows *rows;
    rorm_value p[] = { RORM_INT(50) };
    assert_rorm_ok(
        rorm_db_query_raw(&rows, db,
                          rorm_test_sql("SELECT email, age FROM users WHERE age > ? ORDER BY id"),
                          p, 1, &err),
        &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    assert_string_equal(rorm_rows_column_name(rows, 0), "email");
    assert_string_equal(rorm_value_as_text(rorm_rows_field(rows, 0, "email")), "r1@x.io");
    rorm_rows_free(rows);
    assert_int_equal(rorm_db_query_raw(&rows, db,
                                       rorm_test_sql("SELECT * FROM users WHERE age > ?"), NULL, 0,
                                       &err),
                     RORM_EINVAL);
    assert_int_not_equal(rorm_db_execute_raw(db, "SELEC nonsense", NULL, 0, NULL, &err), RORM_OK);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_crud__open_bad_uris),
        cmocka_unit_test(test_api_crud__open_config),
        cmocka_unit_test(test_api_crud__server_connection_errors),
        cmocka_unit_test(test_api_crud__ensure_schema_creates_mapped_tables_once),
        cmocka_unit_test(test_api_crud__insert_find_update_delete),
        cmocka_unit_test(test_api_crud__defaults_and_generated_ids),
        cmocka_unit_test(test_api_crud__every_type_round_trips),
        cmocka_unit_test(test_api_crud__bad_input_is_a_clear_error),
        cmocka_unit_test(test_api_crud__constraint_errors),
        cmocka_unit_test(test_api_crud__raw_sql_binds_parameters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
