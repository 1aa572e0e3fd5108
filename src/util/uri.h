/*
 * Database URIs: parsing `sqlite://./app.db`, `postgresql://user:pw@host:5432/db?sslmode=require`
 * or `mysql://user@[::1]/db` into a rorm_config, and masking passwords for error messages.
 */
#ifndef RORM_UTIL_URI_H
#define RORM_UTIL_URI_H

#include <stddef.h>

#include "rediorm/db.h"
#include "rediorm/error.h"

/* A recognised query parameter that has no rorm_config field (sslmode, connect_timeout,
 * schema, charset), kept for the server drivers. Both strings are percent-decoded. */
typedef struct rorm_uri_param {
    const char *key;
    const char *value;
} rorm_uri_param;

typedef struct rorm_uri {
    rorm_config config;     /* strings point into buf; NULL when absent */
    const char *scheme;     /* the scheme as recognised, lower-case: "sqlite", "postgres", ... */
    char *buf;              /* storage for every string of the parse */
    rorm_uri_param *params; /* in URI order; a repeated key keeps its last value */
    size_t nparams;
} rorm_uri;

/*
 * Parse @p uri into @p out. Forms:
 *   sqlite://./rel.db  sqlite://rel.db  sqlite:///abs/path.db  sqlite://:memory:
 *     (the path is taken literally; parameters busy_timeout=<ms>, connection_limit=<n>)
 *   postgresql:// postgres:// mysql:// mariadb://  user[:password]@host[:port]/database?params
 *     (user, password, host and database are percent-decoded; [::1] for IPv6; port 0 when
 *     absent; the host may be empty when a host= or socket= parameter names a socket
 *     directory; parameters sslmode, connect_timeout, schema, connection_limit,
 *     pool_timeout=<s>, charset, host, socket)
 * connection_limit goes to config.max_connections, busy_timeout and pool_timeout (as ms) to
 * config.busy_timeout_ms, host and socket to config.host; the others to out->params.
 * @return RORM_OK; RORM_EPARSE for anything else, with the URI quoted, its password masked;
 * RORM_ENOMEM; RORM_EINVAL for NULL arguments. The caller disposes @p out, also after a failure
 * (it is then empty).
 */
int rorm__uri_parse(rorm_uri *out, const char *uri, rorm_error *err);

/* Free what @p u holds and reset it. NULL is accepted. */
void rorm__uri_dispose(rorm_uri *u);

/* @return the value of recognised parameter @p key kept in u->params, or NULL. */
const char *rorm__uri_param(const rorm_uri *u, const char *key);

/*
 * Copy @p uri into @p buf (@p size bytes, always NUL-terminated) with the password replaced by
 * "****" (the userinfo password and any password= parameter), control characters by '?', and
 * "..." at the end when it had to be shortened. Works on malformed text too and never
 * allocates, so it can be used when reporting any error.
 */
void rorm__uri_mask(char *buf, size_t size, const char *uri);

#endif
