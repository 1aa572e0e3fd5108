/*
 * Shared helpers for the test executables: cmocka, the database under test (one URL per run:
 * SQLite memory or file, PostgreSQL, MariaDB/MySQL), fresh databases for every test, and the
 * capability flags that name the genuine differences between databases.
 */
#ifndef RORM_TESTS_HARNESS_H
#define RORM_TESTS_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rediorm/rediorm.h"

/* The database a conformance run targets (RORM_TEST_TARGET, else from RORM_TEST_URL). */
typedef enum rorm_test_target {
    RORM_TARGET_SQLITE_MEMORY,
    RORM_TARGET_SQLITE_FILE,
    RORM_TARGET_POSTGRES,
    RORM_TARGET_MYSQL,
} rorm_test_target;

/*
 * Genuine differences between databases, one flag each. Tests check them and assert the other
 * behaviour where a flag is off; a test never skips silently.
 */
typedef enum rorm_test_cap {
    /* LIKE ignores letter case ('%a%' matches "Alice"). SQLite (ASCII), MySQL (_ci collation). */
    RORM_TESTCAP_LIKE_CASE_INSENSITIVE,
    /* Text compares and sorts ignoring case (utf8mb4_unicode_ci): ORDER BY, =, unique keys. */
    RORM_TESTCAP_CASE_INSENSITIVE_COLLATION,
    /* Text may hold NUL bytes. PostgreSQL text cannot (RORM_EINVAL before sending). */
    RORM_TESTCAP_TEXT_NUL,
    /* Text may hold bytes that are not UTF-8 (stored and read back as given). PostgreSQL and
       MySQL (utf8mb4) refuse them: RORM_EINVAL naming UTF-8, before sending. */
    RORM_TESTCAP_TEXT_INVALID_UTF8,
    /* A failed statement leaves the transaction usable. PostgreSQL aborts the transaction:
       every later statement fails until ROLLBACK, and COMMIT reports the rollback. */
    RORM_TESTCAP_TX_CONTINUES_AFTER_ERROR,
    /* Json comes back as the text stored. PostgreSQL jsonb normalises it (same value). */
    RORM_TESTCAP_JSON_TEXT_PRESERVED,
    /* Decimals are exact beyond 15 significant digits (SQLite's NUMERIC affinity is not). */
    RORM_TESTCAP_DECIMAL_EXACT,
    /* Several connections (a server or a SQLite file); sqlite://:memory: has one. */
    RORM_TESTCAP_CONCURRENT_CONNECTIONS,
    /* Isolation levels other than serializable can be chosen (servers). */
    RORM_TESTCAP_ISOLATION_LEVELS,
    /* A server that can drop a session (pg_terminate_backend / KILL): broken-connection tests. */
    RORM_TESTCAP_SERVER,
    /* DDL is transactional. */
    RORM_TESTCAP_TRANSACTIONAL_DDL,
    /* NULL sorts after every value in ascending order (PostgreSQL); elsewhere it sorts first. */
    RORM_TESTCAP_NULLS_SORT_LAST,
    /* Enum columns refuse values outside the enum (PostgreSQL types, MySQL enum(...)); SQLite
       stores an enum as TEXT. */
    RORM_TESTCAP_ENUM_CHECKED,
    /* Scalar lists are native arrays (PostgreSQL); elsewhere they are JSON text. */
    RORM_TESTCAP_NATIVE_ARRAYS,
} rorm_test_cap;

rorm_test_target rorm_test_target_of(void);
/* @return whether the database under test has capability @p cap. */
bool rorm_test_has(rorm_test_cap cap);
/* @return a short name for the target, e.g. "postgres". */
const char *rorm_test_target_name(void);

/*
 * The URL under test: RORM_TEST_URL, or for server targets RORM_TEST_PG_URL /
 * RORM_TEST_MYSQL_URL. When a server URL is unset the run exits: with 77 (skipped) for a
 * developer, with 1 (failed) when CI is set.
 */
const char *rorm_test_url(void);

/*
 * Open a fresh, empty database at the URL under test: SQLite files are deleted first; on a
 * server a per-test schema (PostgreSQL) or database (MySQL) named after RORM_TEST_DB is dropped
 * and created again. Fails the test on error.
 */
rorm_db *rorm_test_open(void);
/* The URL rorm_test_open() last opened (with the per-test schema or database). */
const char *rorm_test_open_url(void);

/*
 * Rewrite @p sql written with `?` placeholders and "double-quoted" identifiers for the
 * database under test ($1.. on PostgreSQL, backquotes on MySQL), into a static buffer.
 */
const char *rorm_test_sql(const char *sql);

/* Assert that @p rc is RORM_OK, printing the error message otherwise. */
#define assert_rorm_ok(rc, err)                                      \
    do {                                                             \
        int rc__ = (rc);                                             \
        if (rc__ != 0) {                                             \
            fail_msg("%s failed: %d %s", #rc, rc__, (err)->message); \
        }                                                            \
    } while (0)

/* The server's id of the session a call on @p db runs on (pg_backend_pid / CONNECTION_ID). */
int64_t rorm_test_session_id(rorm_db *db);
/* End session @p id from @p admin (pg_terminate_backend / KILL) and wait until it is gone. */
void rorm_test_kill_session(rorm_db *admin, int64_t id);

/*
 * Run @p scenario with allocation 1, then 2, 3, ... failing (rorm__alloc_fail_after) until it
 * reports completing; returns the n of that run (the scenario needs n - 1 allocations). Fails
 * the test when it does not complete before @p max. The scenario asserts that each failure was
 * a clean error.
 */
size_t rorm_test_alloc_loop(bool (*scenario)(void), size_t max);

/* Path of a file in ../shared (the read-only corpus), in a static buffer. */
const char *rorm_test_shared_path(const char *rel);

#endif
