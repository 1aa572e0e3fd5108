/*
 * Test helpers: the database URL under test and fresh databases for each test.
 */
#include "harness/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *rorm_test_url(void)
{
    const char *url = getenv("RORM_TEST_URL");
    return url && *url ? url : "sqlite://:memory:";
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

rorm_db *rorm_test_open(void)
{
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    const char *url = rorm_test_url();
    remove_sqlite_file(url);
    if (rorm_db_open(&db, url, &err) != RORM_OK) {
        fail_msg("cannot open %s: %s", url, err.message);
    }
    return db;
}

const char *rorm_test_shared_path(const char *rel)
{
    static char path[4096];
    const char *dir = getenv("RORM_SHARED_DIR");
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "../shared", rel);
    return path;
}
