/*
 * The connection pool: a stack of idle connections and a count of open ones under one mutex,
 * with a condition variable for callers waiting on a full pool. Connections are opened and
 * closed with the mutex released: a slot is reserved first (open counts it) and given back if
 * the open fails, so a slow connect never blocks other threads returning connections.
 */
#include "pool/pool.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"
#include "util/error.h"

#define DEFAULT_TIMEOUT_MS 5000
/* A connection idle at least this long is pinged (when the driver can) before it is handed out,
   so one the server dropped meanwhile is replaced instead of failing the caller's query. */
#define PING_AFTER_IDLE_MS 1000

struct rorm_pool {
    const rorm_driver *driver;
    rorm_config cfg; /* strings below are owned copies */
    unsigned max_open;
    unsigned timeout_ms;

    pthread_mutex_t mutex;
    pthread_cond_t available; /* signalled when a connection is idle or a slot is free */
    rorm_conn **idle;         /* max_open entries; the last one released is taken first */
    int64_t *idle_since;      /* when each idle connection was released (monotonic ms) */
    unsigned nidle;
    unsigned max_idle;         /* idle connections kept; more are closed on release */
    unsigned idle_lifetime_ms; /* 0: idle connections live forever */
    unsigned nopen;            /* open connections plus reserved slots being opened */
};

static void free_config(rorm_config *cfg)
{
    rorm__free((char *)cfg->path);
    rorm__free((char *)cfg->host);
    rorm__free((char *)cfg->database);
    rorm__free((char *)cfg->user);
    rorm__free((char *)cfg->password);
    rorm__free((char *)cfg->schema);
    rorm__free((char *)cfg->sslmode);
    rorm__free((char *)cfg->charset);
}

static int copy_string(const char **dst, const char *src)
{
    *dst = NULL;
    if (src == NULL) {
        return RORM_OK;
    }
    *dst = rorm__strdup(src);
    return *dst ? RORM_OK : RORM_ENOMEM;
}

static int copy_config(rorm_config *dst, const rorm_config *src)
{
    *dst = *src;
    dst->path = dst->host = dst->database = dst->user = dst->password = NULL;
    dst->schema = dst->sslmode = dst->charset = NULL;
    if (copy_string(&dst->schema, src->schema) != RORM_OK ||
        copy_string(&dst->sslmode, src->sslmode) != RORM_OK ||
        copy_string(&dst->charset, src->charset) != RORM_OK ||
        copy_string(&dst->path, src->path) != RORM_OK ||
        copy_string(&dst->host, src->host) != RORM_OK ||
        copy_string(&dst->database, src->database) != RORM_OK ||
        copy_string(&dst->user, src->user) != RORM_OK ||
        copy_string(&dst->password, src->password) != RORM_OK) {
        free_config(dst);
        return RORM_ENOMEM;
    }
    return RORM_OK;
}

int rorm__pool_new(rorm_pool **out,
                   const rorm_driver *driver,
                   const rorm_config *cfg,
                   unsigned max_open,
                   unsigned timeout_ms,
                   rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(driver != NULL, err);
    RORM_CHECK_ARG(cfg != NULL, err);
    RORM_CHECK_ARG(max_open >= 1, err);
    *out = NULL;

    rorm_pool *pool = rorm__calloc(1, sizeof *pool);
    if (pool == NULL) {
        return rorm__error_oom(err);
    }
    pool->idle = rorm__calloc(max_open, sizeof *pool->idle);
    pool->idle_since = rorm__calloc(max_open, sizeof *pool->idle_since);
    if (pool->idle == NULL || pool->idle_since == NULL || copy_config(&pool->cfg, cfg) != RORM_OK) {
        rorm__free(pool->idle);
        rorm__free(pool->idle_since);
        rorm__free(pool);
        return rorm__error_oom(err);
    }
    pool->driver = driver;
    pool->max_open = max_open;
    pool->max_idle = max_open;
    if (cfg->version >= 2 && cfg->max_idle > 0 && cfg->max_idle < max_open) {
        pool->max_idle = cfg->max_idle;
    }
    pool->idle_lifetime_ms = cfg->version >= 2 ? cfg->idle_lifetime_ms : 0;
    pool->timeout_ms = timeout_ms ? timeout_ms : DEFAULT_TIMEOUT_MS;

    /* Deadlines are measured on the monotonic clock: a clock change must not stretch a wait. */
    pthread_condattr_t attr;
    int rc = pthread_condattr_init(&attr);
    if (rc == 0) {
        rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
        if (rc == 0) {
            rc = pthread_cond_init(&pool->available, &attr);
        }
        pthread_condattr_destroy(&attr);
    }
    if (rc == 0 && (rc = pthread_mutex_init(&pool->mutex, NULL)) != 0) {
        pthread_cond_destroy(&pool->available);
    }
    if (rc != 0) {
        free_config(&pool->cfg);
        rorm__free(pool->idle);
        rorm__free(pool->idle_since);
        rorm__free(pool);
        return rorm__error(err, rc == ENOMEM ? RORM_ENOMEM : RORM_EDRIVER,
                           "cannot create the pool's lock: %s", strerror(rc));
    }
    *out = pool;
    return RORM_OK;
}

void rorm__pool_free(rorm_pool *pool)
{
    if (pool == NULL) {
        return;
    }
    /* Connections still out are the caller's to release first (see pool.h); close the rest. */
    for (unsigned i = 0; i < pool->nidle; i++) {
        rorm__conn_close(pool->idle[i]);
    }
    pthread_mutex_destroy(&pool->mutex);
    pthread_cond_destroy(&pool->available);
    free_config(&pool->cfg);
    rorm__free(pool->idle);
    rorm__free(pool->idle_since);
    rorm__free(pool);
}

static int64_t monotonic_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Close a connection that will not be handed out again and give its slot back. */
static void discard(rorm_pool *pool, rorm_conn *conn)
{
    rorm__conn_close(conn);
    pthread_mutex_lock(&pool->mutex);
    pool->nopen--;
    pthread_cond_signal(&pool->available);
    pthread_mutex_unlock(&pool->mutex);
}

/*
 * Whether an idle connection may be handed out: not broken, not past its idle lifetime, and
 * answering a ping when it sat idle for a while. Runs without the mutex held.
 */
static bool still_good(rorm_pool *pool, rorm_conn *conn, int64_t idle_since)
{
    if (conn->broken) {
        return false;
    }
    /* A server that went away (crashed, restarted) closed the socket: seen without a round trip. */
    if (pool->driver->version >= 4 && pool->driver->alive && !pool->driver->alive(conn)) {
        return false;
    }
    int64_t idle = monotonic_ms() - idle_since;
    if (pool->idle_lifetime_ms && idle >= (int64_t)pool->idle_lifetime_ms) {
        return false;
    }
    if (idle >= PING_AFTER_IDLE_MS && pool->driver->version >= 2 && pool->driver->ping) {
        if (pool->driver->ping(conn) != RORM_OK) {
            return false;
        }
    }
    return !conn->broken;
}

static struct timespec deadline_after(unsigned ms)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += (time_t)(ms / 1000);
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

int rorm__pool_acquire(rorm_conn **out, rorm_pool *pool, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(pool != NULL, err);
    *out = NULL;

    struct timespec deadline;
    bool waited = false;
    pthread_mutex_lock(&pool->mutex);
    for (;;) {
        if (pool->nidle > 0) {
            rorm_conn *conn = pool->idle[--pool->nidle];
            int64_t since = pool->idle_since[pool->nidle];
            pthread_mutex_unlock(&pool->mutex);
            if (still_good(pool, conn, since)) {
                *out = conn;
                return RORM_OK;
            }
            /* Replace it: close it, then take another idle one or open a new one. */
            discard(pool, conn);
            pthread_mutex_lock(&pool->mutex);
            continue;
        }
        if (pool->nopen < pool->max_open) {
            break;
        }
        if (!waited) {
            deadline = deadline_after(pool->timeout_ms);
            waited = true;
        }
        int rc = pthread_cond_timedwait(&pool->available, &pool->mutex, &deadline);
        if (rc == ETIMEDOUT && pool->nidle == 0 && pool->nopen >= pool->max_open) {
            pthread_mutex_unlock(&pool->mutex);
            return rorm__error(
                err, RORM_ETIMEOUT,
                "timed out after %u ms waiting for a database connection (pool of %u)",
                pool->timeout_ms, pool->max_open);
        }
    }

    /* Reserve the slot, then open with the mutex released. */
    pool->nopen++;
    pthread_mutex_unlock(&pool->mutex);

    rorm_conn *conn = NULL;
    int error = rorm__conn_open(&conn, pool->driver, &pool->cfg, err);
    if (error != RORM_OK) {
        pthread_mutex_lock(&pool->mutex);
        pool->nopen--;
        /* The freed slot may let a waiting caller try its own open. */
        pthread_cond_signal(&pool->available);
        pthread_mutex_unlock(&pool->mutex);
        return error;
    }
    *out = conn;
    return RORM_OK;
}

void rorm__pool_release(rorm_pool *pool, rorm_conn *conn)
{
    if (pool == NULL || conn == NULL) {
        return;
    }
    if (conn->broken) {
        /* Close outside the mutex, then give the slot back for a fresh connection. */
        discard(pool, conn);
        return;
    }
    int64_t now = monotonic_ms();
    pthread_mutex_lock(&pool->mutex);
    if (pool->nidle == pool->max_open) {
        /* More returned than were handed out (a double release): keep the stack in bounds. */
        pthread_mutex_unlock(&pool->mutex);
        rorm__conn_close(conn);
        return;
    }
    if (pool->nidle >= pool->max_idle) {
        /* Enough idle connections already: close this one and free its slot. */
        pthread_mutex_unlock(&pool->mutex);
        discard(pool, conn);
        return;
    }
    pool->idle_since[pool->nidle] = now;
    pool->idle[pool->nidle++] = conn;
    pthread_cond_signal(&pool->available);
    pthread_mutex_unlock(&pool->mutex);
}

unsigned rorm__pool_open_count(rorm_pool *pool)
{
    pthread_mutex_lock(&pool->mutex);
    unsigned n = pool->nopen;
    pthread_mutex_unlock(&pool->mutex);
    return n;
}

unsigned rorm__pool_idle_count(rorm_pool *pool)
{
    pthread_mutex_lock(&pool->mutex);
    unsigned n = pool->nidle;
    pthread_mutex_unlock(&pool->mutex);
    return n;
}

const rorm_driver *rorm__pool_driver(const rorm_pool *pool)
{
    return pool ? pool->driver : NULL;
}
