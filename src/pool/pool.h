/*
 * A connection pool shared by all drivers. Thread-safe: acquire waits up to a timeout for a free
 * connection when the maximum is open. No driver call happens with the pool mutex held.
 */
#ifndef RORM_POOL_POOL_H
#define RORM_POOL_POOL_H

#include "driver/driver.h"

typedef struct rorm_pool rorm_pool;

/* @p max_open >= 1; @p timeout_ms 0 means 5000. The config is copied (its strings too). */
int rorm__pool_new(rorm_pool **out,
                   const rorm_driver *driver,
                   const rorm_config *cfg,
                   unsigned max_open,
                   unsigned timeout_ms,
                   rorm_error *err);
void rorm__pool_free(rorm_pool *pool);
/* Take a connection (an idle one, a new one under the maximum, or wait). */
int rorm__pool_acquire(rorm_conn **out, rorm_pool *pool, rorm_error *err);
/*
 * Give it back; a connection marked broken is closed instead of kept, and so is one beyond the
 * config's max_idle. Idle connections past idle_lifetime_ms are closed when next taken, and
 * ones idle for a second or more are pinged first (drivers with a ping method): a connection
 * the server dropped is replaced, never handed out.
 */
void rorm__pool_release(rorm_pool *pool, rorm_conn *conn);
/* Open connections (including slots being opened) and idle ones, for tests. */
unsigned rorm__pool_open_count(rorm_pool *pool);
unsigned rorm__pool_idle_count(rorm_pool *pool);
const rorm_driver *rorm__pool_driver(const rorm_pool *pool);

#endif
