/*
 * Tests for database URI parsing: every SQLite and server form, query parameters, percent
 * decoding, IPv6, and the errors with their masked passwords; junk input never crashes.
 */
#include "harness/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/uri.h"

static void parse_ok(rorm_uri *u, const char *uri)
{
    rorm_error err = { 0 };
    int rc = rorm__uri_parse(u, uri, &err);
    if (rc != RORM_OK) {
        fail_msg("%s: %s", uri, err.message);
    }
}

/* Parse must fail with RORM_EPARSE and exactly @p message. */
static void parse_fails(const char *uri, const char *message)
{
    rorm_uri u;
    rorm_error err = { 0 };
    int rc = rorm__uri_parse(&u, uri, &err);
    if (rc != RORM_EPARSE) {
        fail_msg("%s: rc %d", uri, rc);
    }
    assert_int_equal(err.code, RORM_EPARSE);
    if (strcmp(err.message, message) != 0) {
        fail_msg("%s:\n got: %s\nwant: %s", uri, err.message, message);
    }
    assert_int_equal(u.config.type, RORM_DB_NONE);
    assert_null(u.buf);
    assert_null(u.params);
    rorm__uri_dispose(&u);
}

static void expect_str(const char *got, const char *want)
{
    if (want == NULL) {
        assert_null(got);
    } else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

static void test_core_uri__sqlite_forms(void **state)
{
    (void)state;
    static const struct {
        const char *uri, *path;
    } cases[] = {
        { "sqlite://./file.db", "./file.db" },
        { "sqlite://file.db", "file.db" },
        { "sqlite:///abs/path.db", "/abs/path.db" },
        { "sqlite://:memory:", ":memory:" },
        { "sqlite://../up/x.db", "../up/x.db" },
        { "SQLite://./Case.db", "./Case.db" },
        { "sqlite://./with space/and%20percent#hash.db", "./with space/and%20percent#hash.db" },
        { "sqlite://./d\xc3\xa9j\xc3\xa0.db", "./d\xc3\xa9j\xc3\xa0.db" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rorm_uri u;
        parse_ok(&u, cases[i].uri);
        assert_int_equal(u.config.version, RORM_CONFIG_VERSION);
        assert_int_equal(u.config.type, RORM_DB_SQLITE);
        assert_string_equal(u.scheme, "sqlite");
        expect_str(u.config.path, cases[i].path);
        assert_null(u.config.host);
        assert_null(u.config.database);
        assert_null(u.config.user);
        assert_null(u.config.password);
        assert_int_equal(u.config.port, 0);
        assert_int_equal(u.config.max_connections, 0);
        assert_int_equal(u.config.busy_timeout_ms, 0);
        assert_int_equal(u.nparams, 0);
        rorm__uri_dispose(&u);
    }
}

static void test_core_uri__sqlite_params(void **state)
{
    (void)state;
    rorm_uri u;
    parse_ok(&u, "sqlite://./app.db?busy_timeout=2500&connection_limit=8");
    expect_str(u.config.path, "./app.db");
    assert_int_equal(u.config.busy_timeout_ms, 2500);
    assert_int_equal(u.config.max_connections, 8);
    rorm__uri_dispose(&u);

    parse_ok(&u, "sqlite://:memory:?connection_limit=1&&busy_timeout=0&");
    expect_str(u.config.path, ":memory:");
    assert_int_equal(u.config.max_connections, 1);
    assert_int_equal(u.config.busy_timeout_ms, 0);
    rorm__uri_dispose(&u);

    parse_ok(&u, "sqlite://x.db?");
    expect_str(u.config.path, "x.db");
    rorm__uri_dispose(&u);

    /* Percent-encoded parameter names and values are decoded; the last repeat wins. */
    parse_ok(&u, "sqlite://x.db?busy%5Ftimeout=%31%30&busy_timeout=20");
    assert_int_equal(u.config.busy_timeout_ms, 20);
    rorm__uri_dispose(&u);

    parse_fails("sqlite://x.db?mode=ro",
                "invalid database URI 'sqlite://x.db?mode=ro': unknown parameter 'mode'");
    parse_fails("sqlite://x.db?sslmode=require",
                "invalid database URI 'sqlite://x.db?sslmode=require': unknown parameter "
                "'sslmode'");
    parse_fails("sqlite://x.db?busy_timeout=abc",
                "invalid database URI 'sqlite://x.db?busy_timeout=abc': busy_timeout must be a "
                "number of milliseconds, not 'abc'");
    parse_fails("sqlite://x.db?busy_timeout=-1",
                "invalid database URI 'sqlite://x.db?busy_timeout=-1': busy_timeout must be a "
                "number of milliseconds, not '-1'");
    parse_fails("sqlite://x.db?busy_timeout=99999999999",
                "invalid database URI 'sqlite://x.db?busy_timeout=99999999999': busy_timeout "
                "must be a number of milliseconds, not '99999999999'");
    parse_fails("sqlite://x.db?connection_limit=0",
                "invalid database URI 'sqlite://x.db?connection_limit=0': connection_limit must "
                "be a positive integer, not '0'");
    parse_fails("sqlite://x.db?connection_limit=",
                "invalid database URI 'sqlite://x.db?connection_limit=': connection_limit must "
                "be a positive integer, not ''");
    parse_fails("sqlite://x.db?busy_timeout",
                "invalid database URI 'sqlite://x.db?busy_timeout': parameter 'busy_timeout' "
                "has no value");
    parse_fails("sqlite://x.db?busy_timeout=%zz",
                "invalid database URI 'sqlite://x.db?busy_timeout=%zz': bad percent-encoding in "
                "the parameter value");
}

static void test_core_uri__sqlite_errors(void **state)
{
    (void)state;
    parse_fails("sqlite://", "invalid database URI 'sqlite://': empty path (use "
                             "sqlite://./file.db, sqlite:///abs/path.db or sqlite://:memory:)");
    parse_fails("sqlite://?busy_timeout=1",
                "invalid database URI 'sqlite://?busy_timeout=1': empty path (use "
                "sqlite://./file.db, sqlite:///abs/path.db or sqlite://:memory:)");
    parse_fails("sqlite:./file.db",
                "invalid database URI 'sqlite:./file.db': expected '//' after 'sqlite:'");
    parse_fails("sqlite:/file.db",
                "invalid database URI 'sqlite:/file.db': expected '//' after 'sqlite:'");
    parse_fails("file:test.db", "unknown database scheme 'file' in 'file:test.db' (expected "
                                "sqlite, postgresql, postgres, mysql or mariadb)");
    parse_fails("file:///tmp/x.db", "unknown database scheme 'file' in 'file:///tmp/x.db' "
                                    "(expected sqlite, postgresql, postgres, mysql or mariadb)");
    parse_fails("foo://x", "unknown database scheme 'foo' in 'foo://x' (expected sqlite, "
                           "postgresql, postgres, mysql or mariadb)");
    parse_fails("sqlite3://x.db", "unknown database scheme 'sqlite3' in 'sqlite3://x.db' "
                                  "(expected sqlite, postgresql, postgres, mysql or mariadb)");
    parse_fails("./file.db", "invalid database URI './file.db': missing scheme (expected e.g. "
                             "sqlite://./app.db or postgresql://host/db)");
    parse_fails("", "invalid database URI '': empty URI (expected e.g. sqlite://./app.db)");
    parse_fails("://x", "invalid database URI '://x': missing scheme (expected e.g. "
                        "sqlite://./app.db or postgresql://host/db)");
    parse_fails("sqlite://x\n.db",
                "invalid database URI 'sqlite://x?.db': control character at offset 10");
}

static void test_core_uri__server_forms(void **state)
{
    (void)state;
    static const struct {
        const char *uri;
        unsigned type;
        const char *scheme, *host;
        unsigned port;
        const char *database, *user, *password;
    } cases[] = {
        { "postgresql://bob:secret@db.example.com:5433/shop", RORM_DB_POSTGRES, "postgresql",
          "db.example.com", 5433, "shop", "bob", "secret" },
        { "postgres://localhost/app", RORM_DB_POSTGRES, "postgres", "localhost", 0, "app", NULL,
          NULL },
        { "mysql://root@127.0.0.1:3306/test", RORM_DB_MYSQL, "mysql", "127.0.0.1", 3306, "test",
          "root", NULL },
        { "mariadb://u:p@maria/db", RORM_DB_MYSQL, "mariadb", "maria", 0, "db", "u", "p" },
        { "POSTGRESQL://H/D", RORM_DB_POSTGRES, "postgresql", "H", 0, "D", NULL, NULL },
        { "postgresql://host", RORM_DB_POSTGRES, "postgresql", "host", 0, NULL, NULL, NULL },
        { "postgresql://host/", RORM_DB_POSTGRES, "postgresql", "host", 0, NULL, NULL, NULL },
        { "postgresql://host:1", RORM_DB_POSTGRES, "postgresql", "host", 1, NULL, NULL, NULL },
        { "postgresql://host:65535/x", RORM_DB_POSTGRES, "postgresql", "host", 65535, "x", NULL,
          NULL },
        /* Percent-decoding of user, password and database; an empty password. */
        { "postgresql://b%40b:p%3Aw%2F%40%25@host/my%20db", RORM_DB_POSTGRES, "postgresql", "host",
          0, "my db", "b@b", "p:w/@%" },
        { "mysql://user:@host/db", RORM_DB_MYSQL, "mysql", "host", 0, "db", "user", "" },
        { "mysql://:pw@host/db", RORM_DB_MYSQL, "mysql", "host", 0, "db", NULL, "pw" },
        /* The userinfo ends at the last '@', and a password may hold ':'. */
        { "postgresql://bob:p@ss:w@host/db", RORM_DB_POSTGRES, "postgresql", "host", 0, "db", "bob",
          "p@ss:w" },
        /* IPv6. */
        { "postgresql://[::1]:5432/db", RORM_DB_POSTGRES, "postgresql", "::1", 5432, "db", NULL,
          NULL },
        { "mysql://u:p@[2001:db8::7]/db", RORM_DB_MYSQL, "mysql", "2001:db8::7", 0, "db", "u",
          "p" },
        { "postgresql://[::ffff:192.0.2.1]/db", RORM_DB_POSTGRES, "postgresql", "::ffff:192.0.2.1",
          0, "db", NULL, NULL },
        /* A socket directory as a percent-encoded host. */
        { "postgresql://%2Fvar%2Frun%2Fpostgresql/db", RORM_DB_POSTGRES, "postgresql",
          "/var/run/postgresql", 0, "db", NULL, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rorm_uri u;
        parse_ok(&u, cases[i].uri);
        assert_int_equal(u.config.type, cases[i].type);
        assert_string_equal(u.scheme, cases[i].scheme);
        assert_null(u.config.path);
        expect_str(u.config.host, cases[i].host);
        assert_int_equal(u.config.port, cases[i].port);
        expect_str(u.config.database, cases[i].database);
        expect_str(u.config.user, cases[i].user);
        expect_str(u.config.password, cases[i].password);
        rorm__uri_dispose(&u);
    }
}

static void test_core_uri__server_params(void **state)
{
    (void)state;
    rorm_uri u;
    parse_ok(&u, "postgresql://bob:pw@host/db?sslmode=require&connect_timeout=10&schema=app&"
                 "connection_limit=5&pool_timeout=20&charset=utf8mb4");
    assert_int_equal(u.config.max_connections, 5);
    assert_int_equal(u.config.busy_timeout_ms, 20000);
    assert_int_equal(u.nparams, 4);
    assert_string_equal(u.params[0].key, "sslmode");
    assert_string_equal(u.params[0].value, "require");
    assert_string_equal(u.params[1].key, "connect_timeout");
    assert_string_equal(u.params[1].value, "10");
    assert_string_equal(u.params[2].key, "schema");
    assert_string_equal(u.params[3].key, "charset");
    expect_str(rorm__uri_param(&u, "schema"), "app");
    expect_str(rorm__uri_param(&u, "charset"), "utf8mb4");
    assert_null(rorm__uri_param(&u, "host"));
    assert_null(rorm__uri_param(&u, "nothing"));
    assert_null(rorm__uri_param(NULL, "schema"));
    assert_null(rorm__uri_param(&u, NULL));
    rorm__uri_dispose(&u);

    /* A repeated parameter keeps its place and its last value; values are decoded. */
    parse_ok(&u, "mysql://h/db?schema=a&sslmode=VERIFY_IDENTITY&schema=my%20schema");
    assert_int_equal(u.nparams, 2);
    assert_string_equal(u.params[0].key, "schema");
    assert_string_equal(u.params[0].value, "my schema");
    expect_str(rorm__uri_param(&u, "sslmode"), "VERIFY_IDENTITY");
    rorm__uri_dispose(&u);

    /* host= or socket= may stand in for an empty host, or override one. */
    parse_ok(&u, "postgresql:///db?host=/var/run/postgresql");
    expect_str(u.config.host, "/var/run/postgresql");
    expect_str(u.config.database, "db");
    rorm__uri_dispose(&u);
    parse_ok(&u, "postgresql://bob@/db?host=%2Ftmp");
    expect_str(u.config.host, "/tmp");
    expect_str(u.config.user, "bob");
    rorm__uri_dispose(&u);
    parse_ok(&u, "mysql://root:pw@localhost/db?socket=/run/mysqld/mysqld.sock");
    expect_str(u.config.host, "/run/mysqld/mysqld.sock");
    rorm__uri_dispose(&u);
    parse_ok(&u, "postgresql://?host=/tmp");
    expect_str(u.config.host, "/tmp");
    assert_null(u.config.database);
    rorm__uri_dispose(&u);
    parse_ok(&u, "postgresql://:5433/db?host=/tmp");
    assert_int_equal(u.config.port, 5433);
    rorm__uri_dispose(&u);

    parse_ok(&u, "postgresql://h/db?pool_timeout=0");
    assert_int_equal(u.config.busy_timeout_ms, 0);
    rorm__uri_dispose(&u);
    parse_ok(&u, "postgresql://h/db?pool_timeout=4294967");
    assert_int_equal(u.config.busy_timeout_ms, 4294967000u);
    rorm__uri_dispose(&u);
}

static void test_core_uri__server_errors(void **state)
{
    (void)state;
    parse_fails("postgresql://bob:secret@host/db?foo=1",
                "invalid database URI 'postgresql://bob:****@host/db?foo=1': unknown parameter "
                "'foo'");
    parse_fails("postgresql://bob:secret@host/db?busy_timeout=1",
                "invalid database URI 'postgresql://bob:****@host/db?busy_timeout=1': unknown "
                "parameter 'busy_timeout'");
    parse_fails("postgresql://bob:secret@host:abc/db",
                "invalid database URI 'postgresql://bob:****@host:abc/db': bad port 'abc'");
    parse_fails("postgresql://host:/db",
                "invalid database URI 'postgresql://host:/db': bad port ''");
    parse_fails("postgresql://host:0/db",
                "invalid database URI 'postgresql://host:0/db': bad port '0'");
    parse_fails("postgresql://host:65536/db",
                "invalid database URI 'postgresql://host:65536/db': bad port '65536'");
    parse_fails("postgresql://host:-1/db",
                "invalid database URI 'postgresql://host:-1/db': bad port '-1'");
    parse_fails("postgresql://host:5432:1/db",
                "invalid database URI 'postgresql://host:5432:1/db': bad port '5432:1'");
    parse_fails("postgresql://host:123456789012345678901/db",
                "invalid database URI 'postgresql://host:123456789012345678901/db': bad port "
                "'123456789012345678901'");
    parse_fails("postgresql://bob:secret@/db",
                "invalid database URI 'postgresql://bob:****@/db': missing host (give one, or a "
                "host= or socket= parameter)");
    parse_fails("mysql:///db", "invalid database URI 'mysql:///db': missing host (give one, or a "
                               "host= or socket= parameter)");
    parse_fails("postgresql://", "invalid database URI 'postgresql://': missing host (give one, "
                                 "or a host= or socket= parameter)");
    parse_fails("postgresql://h/db?host=",
                "invalid database URI 'postgresql://h/db?host=': empty value for 'host'");
    parse_fails("postgresql://b%zzb:secret@host/db",
                "invalid database URI 'postgresql://b%zzb:****@host/db': bad percent-encoding in "
                "the user name");
    parse_fails("postgresql://bob:sec%2@host/db",
                "invalid database URI 'postgresql://bob:****@host/db': bad percent-encoding in "
                "the password");
    parse_fails("postgresql://bob@host/d%4",
                "invalid database URI 'postgresql://bob@host/d%4': bad percent-encoding in the "
                "database name");
    parse_fails("postgresql://bob@host/d%00b",
                "invalid database URI 'postgresql://bob@host/d%00b': %00 in the database name");
    parse_fails("postgresql://host/a/b",
                "invalid database URI 'postgresql://host/a/b': invalid database name 'a/b'");
    parse_fails("postgresql://ho st/db",
                "invalid database URI 'postgresql://ho st/db': invalid character ' ' in the host");
    parse_fails("postgresql://[::1/db",
                "invalid database URI 'postgresql://[::1/db': unterminated IPv6 address");
    parse_fails("postgresql://[::g]/db",
                "invalid database URI 'postgresql://[::g]/db': invalid IPv6 address '::g'");
    parse_fails("postgresql://[1234]/db",
                "invalid database URI 'postgresql://[1234]/db': invalid IPv6 address '1234'");
    parse_fails("postgresql://[::1]x/db",
                "invalid database URI 'postgresql://[::1]x/db': unexpected 'x' after the IPv6 "
                "address");
    parse_fails("postgresql://[::1]:99999/db",
                "invalid database URI 'postgresql://[::1]:99999/db': bad port '99999'");
    parse_fails("postgresql://bob:se#cret@host/db",
                "invalid database URI 'postgresql://bob:****@host/db': unexpected '#' "
                "(percent-encode it as %23)");
    parse_fails("postgresql://h/db?sslmode=sometimes",
                "invalid database URI 'postgresql://h/db?sslmode=sometimes': unknown sslmode "
                "'sometimes'");
    parse_fails("postgresql://h/db?connect_timeout=1s",
                "invalid database URI 'postgresql://h/db?connect_timeout=1s': connect_timeout "
                "must be a number of seconds, not '1s'");
    parse_fails("postgresql://h/db?pool_timeout=4294968",
                "invalid database URI 'postgresql://h/db?pool_timeout=4294968': pool_timeout "
                "must be a number of seconds, not '4294968'");
    parse_fails("postgresql://h/db?schema=",
                "invalid database URI 'postgresql://h/db?schema=': empty value for 'schema'");
    parse_fails("mysql:host/db", "invalid database URI 'mysql:host/db': expected '//' after "
                                 "'mysql:'");
    /* Pieces quoted in the reason are masked like the URI. */
    parse_fails("postgresql://bob:secret/x@h/db",
                "invalid database URI 'postgresql://bob:****@h/db': bad port '****'");
    parse_fails("postgresql:///ob:secret@h/x/db",
                "invalid database URI 'postgresql:///ob:****@h/x/db': invalid database name "
                "'ob:****@h/x/db'");
    /* A password given as a parameter is masked too. */
    parse_fails("postgresql://bob@h/db?password=hunter2&x=1",
                "invalid database URI 'postgresql://bob@h/db?password=****&x=1': unknown "
                "parameter 'password'");
    /* Unknown schemes are masked as well. */
    parse_fails("redis://:hunter2@cache:6379",
                "unknown database scheme 'redis' in 'redis://:****@cache:6379' (expected sqlite, "
                "postgresql, postgres, mysql or mariadb)");
}

static void test_core_uri__mask(void **state)
{
    (void)state;
    char buf[128];
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "postgresql://bob:secret@host/db", "postgresql://bob:****@host/db" },
        { "postgresql://bob@host/db", "postgresql://bob@host/db" },
        { "postgresql://host/db", "postgresql://host/db" },
        { "mysql://:secret@host", "mysql://:****@host" },
        /* Unencoded '/', '?' and '@' in a password do not leak. */
        { "postgresql://bob:pa/ss@host/db", "postgresql://bob:****@host/db" },
        { "postgresql://bob:pa?ss@host/db", "postgresql://bob:****@host/db" },
        { "postgresql://bob:p@ss@host/db", "postgresql://bob:****@host/db" },
        { "bob:secret@host", "bob:****@host" },
        { "x://a?password=p1&password=p2", "x://a?password=****&password=****" },
        { "sqlite://./file.db", "sqlite://./file.db" },
        { "a\x01\x7f"
          "b",
          "a??b" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rorm__uri_mask(buf, sizeof buf, cases[i].in);
        assert_string_equal(buf, cases[i].out);
    }
    rorm__uri_mask(buf, sizeof buf, NULL);
    assert_string_equal(buf, "(null)");

    /* Truncation keeps the password masked and ends with "...". */
    char small[20];
    rorm__uri_mask(small, sizeof small, "postgresql://bob:secret@host/db");
    assert_string_equal(small, "postgresql://bob...");
    rorm__uri_mask(small, sizeof small, "postgresql://b:secret@h");
    assert_string_equal(small, "postgresql://b:*...");
    char tiny[3] = "zz";
    rorm__uri_mask(tiny, sizeof tiny, "abcdef");
    assert_string_equal(tiny, "ab");
    rorm__uri_mask(tiny, 1, "abcdef");
    assert_string_equal(tiny, "");
    rorm__uri_mask(NULL, 10, "x");
    rorm__uri_mask(tiny, 0, "x");
}

static void test_core_uri__bad_arguments(void **state)
{
    (void)state;
    rorm_uri u;
    rorm_error err = { 0 };
    assert_int_equal(rorm__uri_parse(&u, NULL, &err), RORM_EINVAL);
    assert_int_equal(err.code, RORM_EINVAL);
    assert_int_equal(u.config.type, RORM_DB_NONE);
    rorm__uri_dispose(&u);
    assert_int_equal(rorm__uri_parse(NULL, "sqlite://x", &err), RORM_EINVAL);
    assert_int_equal(rorm__uri_parse(&u, "nope", NULL), RORM_EPARSE);
    rorm__uri_dispose(&u);
    rorm__uri_dispose(NULL);

    /* Huge input: parses, and errors keep the message bounded. */
    size_t n = 1 << 20;
    char *huge = malloc(n + 1);
    assert_non_null(huge);
    memcpy(huge, "sqlite://", 9);
    memset(huge + 9, 'a', n - 9);
    huge[n] = '\0';
    parse_ok(&u, huge);
    assert_int_equal(strlen(u.config.path), n - 9);
    rorm__uri_dispose(&u);
    memcpy(huge, "postgresql://bob:", 17);
    assert_int_equal(rorm__uri_parse(&u, huge, &err), RORM_EPARSE);
    assert_true(strlen(err.message) < sizeof err.message);
    assert_non_null(strstr(err.message, "...'"));
    free(huge);
}

/* Random bytes and mutations of valid URIs never crash and always give OK or EPARSE. */
static void test_core_uri__fuzz(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "postgresql://bob:secret@[::1]:5432/db?sslmode=require&schema=a%20b",
        "mysql://u:p@h/db?socket=/tmp/s&connection_limit=3",
        "sqlite://./file.db?busy_timeout=10",
    };
    srand(4242);
    for (int round = 0; round < 30000; round++) {
        char buf[96];
        const char *seed = seeds[round % 3];
        size_t n = strlen(seed);
        memcpy(buf, seed, n + 1);
        int edits = 1 + rand() % 3;
        for (int e = 0; e < edits && n > 0; e++) {
            size_t at = (size_t)rand() % n;
            if (rand() % 4 == 0) {
                buf[at] = (char)(1 + rand() % 255);
            } else {
                buf[at] = ":/@?&=%[]#0a"[rand() % 12];
            }
        }
        rorm_uri u;
        rorm_error err = { 0 };
        int rc = rorm__uri_parse(&u, buf, &err);
        assert_true(rc == RORM_OK || rc == RORM_EPARSE);
        if (rc == RORM_OK) {
            assert_true(u.config.type != RORM_DB_NONE);
            if (u.config.type == RORM_DB_SQLITE) {
                assert_non_null(u.config.path);
            } else {
                assert_non_null(u.config.host);
            }
            /*
             * Whatever the parser took for the password must not show in an error about the
             * same URI (made here with an unknown parameter).
             */
            if (u.config.password != NULL && strstr(u.config.password, "secret") != NULL) {
                char bad[128];
                snprintf(bad, sizeof bad, "%s%czzz=1", buf, strchr(buf, '?') ? '&' : '?');
                rorm_uri u2;
                assert_int_equal(rorm__uri_parse(&u2, bad, &err), RORM_EPARSE);
                if (strstr(err.message, "secret") != NULL) {
                    fail_msg("%s: %s", bad, err.message);
                }
                rorm__uri_dispose(&u2);
            }
        } else {
            assert_int_equal(err.code, RORM_EPARSE);
        }
        rorm__uri_dispose(&u);
    }
}

static void test_core_uri__oom(void **state)
{
    (void)state;
    const char *uri = "postgresql://bob:pw@host:5432/db?sslmode=require&schema=s";
    for (size_t n = 1;; n++) {
        rorm_uri u;
        rorm_error err = { 0 };
        rorm__alloc_fail_after(n);
        int rc = rorm__uri_parse(&u, uri, &err);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            assert_int_equal(u.nparams, 2);
            rorm__uri_dispose(&u);
            break;
        }
        assert_int_equal(rc, RORM_ENOMEM);
        assert_null(u.buf);
        rorm__uri_dispose(&u);
        assert_true(n < 10);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_uri__sqlite_forms),
        cmocka_unit_test(test_core_uri__sqlite_params),
        cmocka_unit_test(test_core_uri__sqlite_errors),
        cmocka_unit_test(test_core_uri__server_forms),
        cmocka_unit_test(test_core_uri__server_params),
        cmocka_unit_test(test_core_uri__server_errors),
        cmocka_unit_test(test_core_uri__mask),
        cmocka_unit_test(test_core_uri__bad_arguments),
        cmocka_unit_test(test_core_uri__fuzz),
        cmocka_unit_test(test_core_uri__oom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
