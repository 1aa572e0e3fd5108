/*
 * The driver registry and the per-connection statement cache.
 */
#ifndef RORM_DRIVER_DRIVER_H
#define RORM_DRIVER_DRIVER_H

#include "rediorm/sys/driver.h"
#include "util/map.h"

/* The drivers built in. */
extern const rorm_driver rorm__driver_sqlite;
#ifdef RORM_WITH_PG
extern const rorm_driver rorm__driver_postgres;
#endif
#ifdef RORM_WITH_MYSQL
extern const rorm_driver rorm__driver_mysql;
#endif

/* The registry: a NULL-terminated table of the drivers built in. */
extern const rorm_driver *const rorm__drivers[];

/* Find the driver for a database type or a URI scheme; NULL when not built in. */
const rorm_driver *rorm__driver_for_type(unsigned db_type);
const rorm_driver *rorm__driver_for_scheme(const char *scheme, size_t len);

/*
 * Open a connection through @p driver and attach the core bookkeeping (statement cache).
 * rorm__conn_close() finalizes cached statements and disconnects.
 */
int rorm__conn_open(rorm_conn **out,
                    const rorm_driver *driver,
                    const rorm_config *cfg,
                    rorm_error *err);
void rorm__conn_close(rorm_conn *conn);

/*
 * Get a prepared statement for @p sql from the connection's cache, preparing it on a miss. The
 * statement is reset and its bindings cleared; it stays owned by the cache, so the caller must
 * not finalize it and must be done with it before the next rorm__conn_prepare of the same text
 * (or before 256 other texts have been prepared on the connection: the cache then evicts and
 * finalizes its least recently used statement).
 */
int rorm__conn_prepare(
    rorm_stmt **out, rorm_conn *conn, const char *sql, size_t len, rorm_error *err);
/* Run statements without parameters (BEGIN, DDL). */
int rorm__conn_exec(rorm_conn *conn, const char *sql, rorm_error *err);
/* Number of statements in the cache (for tests). */
size_t rorm__conn_cache_size(const rorm_conn *conn);

/*
 * Whether socket @p fd has something to read (data, end of file or an error) right now: on an
 * idle connection that means the server closed it or is about to. A negative fd counts as
 * readable (there is no connection).
 */
bool rorm__socket_readable(int fd);

/* Statement counter for tests and the query-count checks: incremented on every prepare-or-hit. */
uint64_t rorm__conn_statements_run(const rorm_conn *conn);

#endif
