/*
 * Test helpers: the database under test, fresh databases for each test, capability flags and
 * SQL rewriting for raw statements.
 */
#include "harness/harness.h"

#include "util/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *target_env(void)
{
    const char *t = getenv("RORM_TEST_TARGET");
    return t && *t ? t : NULL;
}

rorm_test_target rorm_test_target_of(void)
{
    const char *t = target_env();
    if (t && strcmp(t, "postgres") == 0) {
        return RORM_TARGET_POSTGRES;
    }
    if (t && strcmp(t, "mysql") == 0) {
        return RORM_TARGET_MYSQL;
    }
    const char *url = getenv("RORM_TEST_URL");
    if (url == NULL || *url == '\0' || strcmp(url, "sqlite://:memory:") == 0) {
        return RORM_TARGET_SQLITE_MEMORY;
    }
    if (strncmp(url, "postgres", 8) == 0) {
        return RORM_TARGET_POSTGRES;
    }
    if (strncmp(url, "mysql", 5) == 0 || strncmp(url, "mariadb", 7) == 0) {
        return RORM_TARGET_MYSQL;
    }
    return RORM_TARGET_SQLITE_FILE;
}

const char *rorm_test_target_name(void)
{
    static const char *const names[] = { "sqlite-memory", "sqlite-file", "postgres", "mysql" };
    return names[rorm_test_target_of()];
}

/* The capability table: one row per flag, one column per target (memory, file, pg, mysql). */
static const bool caps[][4] = {
    [RORM_TESTCAP_LIKE_CASE_INSENSITIVE] = { true, true, false, true },
    [RORM_TESTCAP_CASE_INSENSITIVE_COLLATION] = { false, false, false, true },
    [RORM_TESTCAP_TEXT_NUL] = { true, true, false, true },
    [RORM_TESTCAP_TEXT_INVALID_UTF8] = { true, true, false, false },
    [RORM_TESTCAP_TX_CONTINUES_AFTER_ERROR] = { true, true, false, true },
    [RORM_TESTCAP_JSON_TEXT_PRESERVED] = { true, true, false, true },
    [RORM_TESTCAP_DECIMAL_EXACT] = { false, false, true, true },
    [RORM_TESTCAP_CONCURRENT_CONNECTIONS] = { false, true, true, true },
    [RORM_TESTCAP_ISOLATION_LEVELS] = { false, false, true, true },
    [RORM_TESTCAP_SERVER] = { false, false, true, true },
    [RORM_TESTCAP_TRANSACTIONAL_DDL] = { true, true, true, false },
    [RORM_TESTCAP_NULLS_SORT_LAST] = { false, false, true, false },
    [RORM_TESTCAP_ENUM_CHECKED] = { false, false, true, true },
    [RORM_TESTCAP_NATIVE_ARRAYS] = { false, false, true, false },
};

bool rorm_test_has(rorm_test_cap cap)
{
    return caps[cap][rorm_test_target_of()];
}

static const char *server_url(const char *var)
{
    const char *url = getenv(var);
    if (url && *url) {
        return url;
    }
    const char *ci = getenv("CI");
    if (ci && *ci && strcmp(ci, "false") != 0 && strcmp(ci, "0") != 0) {
        fprintf(stderr,
                "%s is not set: CI runs every suite against real servers "
                "(make test starts them with scripts/with-test-servers.sh)\n",
                var);
        exit(1);
    }
    fprintf(stderr, "%s is not set: skipping the %s suite\n", var, rorm_test_target_name());
    exit(77);
}

const char *rorm_test_url(void)
{
    switch (rorm_test_target_of()) {
    case RORM_TARGET_POSTGRES:
        return target_env() ? server_url("RORM_TEST_PG_URL") : getenv("RORM_TEST_URL");
    case RORM_TARGET_MYSQL:
        return target_env() ? server_url("RORM_TEST_MYSQL_URL") : getenv("RORM_TEST_URL");
    default: {
        const char *url = getenv("RORM_TEST_URL");
        return url && *url ? url : "sqlite://:memory:";
    }
    }
}

static void remove_sqlite_file(const char *url)
{
    char path[4096];
    if (strncmp(url, "sqlite://", 9) != 0 || strcmp(url + 9, ":memory:") == 0) {
        return;
    }
    const char *p = url + 9;
    snprintf(path, sizeof path, "%s", p);
    unlink(path);
    snprintf(path, sizeof path, "%s-wal", p);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", p);
    unlink(path);
}

/* The per-test schema or database name: t_<RORM_TEST_DB>, letters, digits and _ only. */
static const char *scratch_name(void)
{
    static char name[64];
    const char *base = getenv("RORM_TEST_DB");
    snprintf(name, sizeof name, "t_%s", base && *base ? base : "rorm");
    for (char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            *p = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : '_';
        }
    }
    return name;
}

static char open_url[4096];

const char *rorm_test_open_url(void)
{
    return open_url;
}

static void admin_exec(rorm_db *admin, const char *sql, const char *url)
{
    rorm_error err = { 0 };
    if (rorm_db_execute_raw(admin, sql, NULL, 0, NULL, &err) != RORM_OK) {
        fail_msg("%s on %s: %s", sql, url, err.message);
    }
}

/* Drop and create the scratch schema (PostgreSQL) or database (MySQL); set open_url. */
static void fresh_server_database(const char *url)
{
    rorm_error err = { 0 };
    rorm_db *admin = NULL;
    if (rorm_db_open(&admin, url, &err) != RORM_OK) {
        fail_msg("cannot open %s: %s", url, err.message);
    }
    const char *name = scratch_name();
    char sql[256];
    if (rorm_test_target_of() == RORM_TARGET_POSTGRES) {
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS \"%s\" CASCADE", name);
        admin_exec(admin, sql, url);
        snprintf(sql, sizeof sql, "CREATE SCHEMA \"%s\"", name);
        admin_exec(admin, sql, url);
        snprintf(open_url, sizeof open_url, "%s%cschema=%s", url, strchr(url, '?') ? '&' : '?',
                 name);
    } else {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", name);
        admin_exec(admin, sql, url);
        snprintf(sql, sizeof sql,
                 "CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", name);
        admin_exec(admin, sql, url);
        /* Replace the database path of the URL: scheme://auth@host:port/<db>?params. */
        const char *slash = strchr(strstr(url, "://") + 3, '/');
        const char *query = strchr(url, '?');
        if (slash == NULL) {
            slash = query ? query : url + strlen(url);
        }
        snprintf(open_url, sizeof open_url, "%.*s/%s%s", (int)(slash - url), url, name,
                 query ? query : "");
    }
    rorm_db_close(admin);
}

rorm_db *rorm_test_open(void)
{
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    const char *url = rorm_test_url();
    rorm_test_target t = rorm_test_target_of();
    if (t == RORM_TARGET_POSTGRES || t == RORM_TARGET_MYSQL) {
        fresh_server_database(url);
    } else {
        remove_sqlite_file(url);
        snprintf(open_url, sizeof open_url, "%s", url);
    }
    if (rorm_db_open(&db, open_url, &err) != RORM_OK) {
        fail_msg("cannot open %s: %s", open_url, err.message);
    }
    return db;
}

const char *rorm_test_sql(const char *sql)
{
    static char buf[8192];
    rorm_test_target t = rorm_test_target_of();
    size_t n = 0, param = 0;
    char quote = 0; /* inside a '...' literal */
    for (const char *p = sql; *p && n + 16 < sizeof buf; p++) {
        if (quote) {
            if (*p == '\'') {
                quote = 0;
            }
            buf[n++] = *p;
        } else if (*p == '\'') {
            quote = *p;
            buf[n++] = *p;
        } else if (*p == '?' && t == RORM_TARGET_POSTGRES) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "$%zu", ++param);
        } else if (*p == '"' && t == RORM_TARGET_MYSQL) {
            buf[n++] = '`';
        } else {
            buf[n++] = *p;
        }
    }
    buf[n] = '\0';
    return buf;
}

const char *rorm_test_shared_path(const char *rel)
{
    static char path[4096];
    const char *dir = getenv("RORM_SHARED_DIR");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "../shared", rel);
    return path;
}

/* ---- server sessions ------------------------------------------------------------------------ */

int64_t rorm_test_session_id(rorm_db *db)
{
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    const char *sql = rorm_test_target_of() == RORM_TARGET_POSTGRES ? "SELECT pg_backend_pid()"
                                                                    : "SELECT CONNECTION_ID()";
    assert_rorm_ok(rorm_db_query_raw(&rows, db, sql, NULL, 0, &err), &err);
    int64_t id = rorm_value_as_int(rorm_rows_get(rows, 0, 0), -1);
    rorm_rows_free(rows);
    return id;
}

void rorm_test_kill_session(rorm_db *admin, int64_t id)
{
    rorm_error err = { 0 };
    char sql[96];
    if (rorm_test_target_of() == RORM_TARGET_POSTGRES) {
        snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld)", (long long)id);
    } else {
        snprintf(sql, sizeof sql, "KILL %lld", (long long)id);
    }
    assert_rorm_ok(rorm_db_execute_raw(admin, sql, NULL, 0, NULL, &err), &err);
    /* The server ends the session asynchronously: wait until it is gone (up to 10 s). */
    const char *gone = rorm_test_target_of() == RORM_TARGET_POSTGRES
                           ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = $1"
                           : "SELECT COUNT(*) FROM information_schema.processlist WHERE id = ?";
    rorm_value p[] = { RORM_INT(id) };
    for (int i = 0; i < 200; i++) {
        rorm_rows *rows = NULL;
        assert_rorm_ok(rorm_db_query_raw(&rows, admin, gone, p, 1, &err), &err);
        int64_t n = rorm_value_as_int(rorm_rows_get(rows, 0, 0), -1);
        rorm_rows_free(rows);
        if (n == 0) {
            break;
        }
        usleep(50 * 1000);
    }
    usleep(50 * 1000);
}

size_t rorm_test_alloc_loop(bool (*scenario)(void), size_t max)
{
    size_t n = 1;
    for (; n < max; n++) {
        rorm__alloc_fail_after(n);
        bool done = scenario();
        rorm__alloc_fail_after(0);
        if (done) {
            break;
        }
    }
    assert_true(n < max);
    return n;
}
