/*
 * Shared helpers for the test executables: cmocka, the database URL under test, temporary files.
 */
#ifndef RORM_TESTS_HARNESS_H
#define RORM_TESTS_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rediorm/rediorm.h"

/* The URL from RORM_TEST_URL, or sqlite://:memory: when unset. */
const char *rorm_test_url(void);

/*
 * Open a fresh database at rorm_test_url(): for SQLite files the file (and its -wal/-shm) is
 * deleted first, so each test starts empty. Fails the test on error.
 */
rorm_db *rorm_test_open(void);

/* Assert that @p rc is RORM_OK, printing the error message otherwise. */
#define assert_rorm_ok(rc, err)                                      \
    do {                                                             \
        int rc__ = (rc);                                             \
        if (rc__ != 0) {                                             \
            fail_msg("%s failed: %d %s", #rc, rc__, (err)->message); \
        }                                                            \
    } while (0)

/* Path of a file in ../shared (the read-only corpus), in a static buffer. */
const char *rorm_test_shared_path(const char *rel);

#endif
