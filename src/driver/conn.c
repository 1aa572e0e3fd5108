/*
 * Connections as the core sees them: a driver connection plus the core's bookkeeping, chiefly a
 * per-connection cache of prepared statements keyed by their SQL text. Every query goes through
 * rorm__conn_prepare, so a cache hit is kept to one hash lookup and a few pointer moves, with no
 * allocation. The cache is bounded; the least recently used statement is finalized to make room.
 */
#include "driver/driver.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

/* Enough for every statement shape of a large schema; beyond it, the coldest one goes. */
#define STMT_CACHE_MAX 256

/* One cached statement, on a doubly linked list from most to least recently used. */
typedef struct cache_entry {
    rorm_stmt *stmt;
    struct cache_entry *newer, *older;
    size_t len;
    char sql[]; /* the key, NUL-terminated, for removing the entry from the map */
} cache_entry;

typedef struct conn_core {
    rorm_map cache; /* SQL text -> cache_entry * (freed by this file, not by the map) */
    cache_entry *newest, *oldest;
    uint64_t statements_run;
} conn_core;

static void lru_unlink(conn_core *core, cache_entry *e)
{
    if (e->newer) {
        e->newer->older = e->older;
    } else {
        core->newest = e->older;
    }
    if (e->older) {
        e->older->newer = e->newer;
    } else {
        core->oldest = e->newer;
    }
    e->newer = e->older = NULL;
}

static void lru_push_newest(conn_core *core, cache_entry *e)
{
    e->newer = NULL;
    e->older = core->newest;
    if (core->newest) {
        core->newest->newer = e;
    } else {
        core->oldest = e;
    }
    core->newest = e;
}

static void evict_oldest(rorm_conn *conn, conn_core *core)
{
    cache_entry *e = core->oldest;
    assert(e != NULL);
    lru_unlink(core, e);
    rorm__map_remove(&core->cache, e->sql, e->len);
    conn->driver->finalize(e->stmt);
    rorm__free(e);
}

int rorm__conn_open(rorm_conn **out,
                    const rorm_driver *driver,
                    const rorm_config *cfg,
                    rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(driver != NULL, err);
    RORM_CHECK_ARG(cfg != NULL, err);
    *out = NULL;
    if (driver->version < 1 || driver->version > RORM_DRIVER_VERSION) {
        return rorm__error(err, RORM_EUNSUPPORTED,
                           "driver '%s' has interface version %u; this library supports 1 to %d",
                           driver->scheme ? driver->scheme : "?", driver->version,
                           RORM_DRIVER_VERSION);
    }

    conn_core *core = rorm__calloc(1, sizeof *core);
    if (core == NULL) {
        return rorm__error_oom(err);
    }
    rorm__map_init(&core->cache, NULL);

    rorm_conn *conn = NULL;
    int error = driver->connect(&conn, cfg, err);
    if (error != RORM_OK) {
        rorm__free(core);
        return error;
    }
    conn->driver = driver;
    conn->core = core;
    *out = conn;
    return RORM_OK;
}

void rorm__conn_close(rorm_conn *conn)
{
    if (conn == NULL) {
        return;
    }
    conn_core *core = conn->core;
    if (core != NULL) {
        cache_entry *e = core->newest;
        while (e != NULL) {
            cache_entry *next = e->older;
            conn->driver->finalize(e->stmt);
            rorm__free(e);
            e = next;
        }
        rorm__map_dispose(&core->cache);
        rorm__free(core);
        conn->core = NULL;
    }
    conn->driver->disconnect(conn);
}

int rorm__conn_prepare(
    rorm_stmt **out, rorm_conn *conn, const char *sql, size_t len, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(conn != NULL && conn->core != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    conn_core *core = conn->core;
    const rorm_driver *driver = conn->driver;
    *out = NULL;
    core->statements_run++;

    cache_entry *e = rorm__map_get(&core->cache, sql, len);
    if (e != NULL) {
        driver->reset(e->stmt);
        if (core->newest != e) {
            lru_unlink(core, e);
            lru_push_newest(core, e);
        }
        *out = e->stmt;
        return RORM_OK;
    }

    rorm_stmt *stmt = NULL;
    int error = driver->prepare(&stmt, conn, sql, len, err);
    if (error != RORM_OK) {
        return error;
    }
    size_t size;
    if (!rorm__add_ok(&size, sizeof *e, len) || !rorm__add_ok(&size, size, 1) ||
        (e = rorm__malloc(size)) == NULL) {
        driver->finalize(stmt);
        return rorm__error_oom(err);
    }
    e->stmt = stmt;
    e->len = len;
    memcpy(e->sql, sql, len);
    e->sql[len] = '\0';
    if (core->cache.len >= STMT_CACHE_MAX) {
        evict_oldest(conn, core);
    }
    if (rorm__map_set(&core->cache, e->sql, len, e) != RORM_OK) {
        driver->finalize(stmt);
        rorm__free(e);
        return rorm__error_oom(err);
    }
    lru_push_newest(core, e);
    *out = stmt;
    return RORM_OK;
}

int rorm__conn_exec(rorm_conn *conn, const char *sql, rorm_error *err)
{
    RORM_CHECK_ARG(conn != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    return conn->driver->exec(conn, sql, err);
}

size_t rorm__conn_cache_size(const rorm_conn *conn)
{
    const conn_core *core = conn ? conn->core : NULL;
    return core ? core->cache.len : 0;
}

uint64_t rorm__conn_statements_run(const rorm_conn *conn)
{
    const conn_core *core = conn ? conn->core : NULL;
    return core ? core->statements_run : 0;
}

bool rorm__socket_readable(int fd)
{
    if (fd < 0) {
        return true;
    }
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int n;
    do {
        n = poll(&p, 1, 0);
    } while (n < 0 && errno == EINTR);
    return n != 0;
}
