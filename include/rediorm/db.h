/**
 * @file rediorm/db.h
 * @brief Opening a database, registering schemas, and the record API (insert/find/update/delete,
 * transactions, raw SQL).
 *
 * A rorm_db is a handle on one database reached by a URI: `sqlite://./file.db`,
 * `sqlite:///abs/path.db`, `sqlite://:memory:`. It holds a pool of connections and is safe to
 * use from several threads at once. A transaction is also a rorm_db (see rorm_db_begin()): every
 * call that takes a rorm_db works on either, so the same code runs inside and outside one.
 *
 * Field names in, field names out: data objects use the schema's field names and the library
 * maps them to columns.
 */
#ifndef REDIORM_DB_H
#define REDIORM_DB_H

#include <stdint.h>

#include "common.h"
#include "error.h"
#include "schema.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rorm_db rorm_db;
typedef struct rorm_rows rorm_rows;

/** Database kinds. */
typedef enum rorm_db_type {
    RORM_DB_NONE = 0,
    RORM_DB_SQLITE = 1,
    RORM_DB_POSTGRES = 2,
    RORM_DB_MYSQL = 3,
} rorm_db_type;

/** Structured connection settings; start from RORM_CONFIG_INIT. Strings are borrowed. */
typedef struct rorm_config {
    unsigned version; /**< RORM_CONFIG_VERSION */
    unsigned type;    /**< rorm_db_type */
    const char *path; /**< SQLite: file path or ":memory:" */
    const char *host; /**< servers: host name, or a Unix socket directory */
    unsigned port;    /**< servers: 0 for the default port */
    const char *database;
    const char *user;
    const char *password;
    unsigned max_connections; /**< pool size; 0 for the default (SQLite files: 4) */
    unsigned busy_timeout_ms; /**< SQLite busy timeout / pool wait; 0 for 5000 */
    /* Version 2. */
    const char *schema;         /**< PostgreSQL: the schema (search_path); NULL for the default */
    const char *sslmode;        /**< servers: disable, prefer, require, verify-ca, verify-full */
    unsigned connect_timeout_s; /**< servers: connect timeout in seconds; 0 for the default */
    const char *charset;        /**< MySQL: connection character set; NULL for utf8mb4 */
    unsigned max_idle;          /**< idle connections kept; 0 for max_connections */
    unsigned idle_lifetime_ms;  /**< close connections idle longer than this; 0 for never */
} rorm_config;

#define RORM_CONFIG_VERSION 2
#define RORM_CONFIG_INIT                                                                         \
    {                                                                                            \
        RORM_CONFIG_VERSION, 0, NULL, NULL, 0, NULL, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, 0, 0 \
    }

/**
 * Open the database named by @p uri. A malformed URI or an unknown scheme is RORM_EPARSE with
 * the URI quoted (password masked). The caller closes `*out`.
 */
RORM_API int rorm_db_open(rorm_db **out, const char *uri, rorm_error *err);
/** Open from structured settings. */
RORM_API int rorm_db_open_config(rorm_db **out, const rorm_config *config, rorm_error *err);
/** Close the database and its connections. A transaction handle must be finished first. */
RORM_API void rorm_db_close(rorm_db *db);
/** @return the database kind. */
RORM_API unsigned rorm_db_type_of(const rorm_db *db);

/**
 * Register @p schema with the database: validates it (if not yet), freezes it and keeps a
 * reference. Several schemas may be registered; their model names must not clash.
 */
RORM_API int rorm_db_register(rorm_db *db, rorm_schema *schema, rorm_error *err);
/** @return the registered model named @p name, or NULL. */
RORM_API const rorm_model *rorm_db_model(const rorm_db *db, const char *name);

/** Create the table (and indexes) of @p model if it does not exist. */
RORM_API int rorm_db_create_table(rorm_db *db, const char *model, rorm_error *err);
/**
 * Create every missing table of the registered schemas, in foreign-key order, with their
 * indexes, in one transaction. Idempotent: a second call changes nothing.
 */
RORM_API int rorm_db_ensure_schema(rorm_db *db, rorm_error *err);

/**
 * Insert one record. @p data is an object keyed by field names; fields left out get their
 * defaults (autoincrement, now(), uuid(), cuid(), literals). @p id_out, when not NULL, receives
 * the primary key: the value of a single-field key, or an object for a composite key.
 */
RORM_API int rorm_db_insert(
    rorm_db *db, const char *model, const rorm_value *data, rorm_value *id_out, rorm_error *err);
/**
 * Insert many records in one transaction (createMany): all of them or none. Consecutive records
 * that write the same fields are sent as multi-row INSERTs, chunked under the database's
 * parameter limit. @p count_out, when not NULL, receives the number of rows inserted.
 */
RORM_API int rorm_db_insert_many(rorm_db *db,
                                 const char *model,
                                 const rorm_value *records,
                                 size_t nrecords,
                                 int64_t *count_out,
                                 rorm_error *err);
/**
 * Find a record by primary key (a value, or an object for a composite key). `*record_out`
 * becomes an object with every scalar field in schema order; dispose it.
 * @return RORM_OK, RORM_ENOTFOUND when there is no such record, or another error.
 */
RORM_API int rorm_db_find(
    rorm_db *db, const char *model, const rorm_value *id, rorm_value *record_out, rorm_error *err);
/** Update the fields present in @p data of the record with key @p id. RORM_ENOTFOUND if none. */
RORM_API int rorm_db_update(
    rorm_db *db, const char *model, const rorm_value *id, const rorm_value *data, rorm_error *err);
/** Delete the record with key @p id. RORM_ENOTFOUND if there is none. */
RORM_API int rorm_db_delete(rorm_db *db, const char *model, const rorm_value *id, rorm_error *err);

/**
 * Begin a transaction. `*tx_out` is a database handle pinned to one connection: pass it to any
 * call that takes a rorm_db. Calling rorm_db_begin() on a transaction opens a savepoint (a nested
 * transaction). Finish it with rorm_db_commit() or rorm_db_rollback(), which free the handle.
 */
RORM_API int rorm_db_begin(rorm_db **tx_out, rorm_db *db, rorm_error *err);
/** Commit (or release the savepoint) and free @p tx. On failure the transaction is rolled back
 * and @p tx freed all the same. */
RORM_API int rorm_db_commit(rorm_db *tx, rorm_error *err);
/** Roll back (to the savepoint) and free @p tx. */
RORM_API int rorm_db_rollback(rorm_db *tx, rorm_error *err);

/** Transaction isolation levels for rorm_db_begin_isolation(). */
typedef enum rorm_isolation {
    RORM_ISOLATION_DEFAULT = 0, /**< the database's default */
    RORM_ISOLATION_READ_UNCOMMITTED = 1,
    RORM_ISOLATION_READ_COMMITTED = 2,
    RORM_ISOLATION_REPEATABLE_READ = 3,
    RORM_ISOLATION_SERIALIZABLE = 4,
} rorm_isolation;

/**
 * Begin a transaction with an isolation level (rorm_isolation). PostgreSQL and MySQL take every
 * level; SQLite transactions are always serializable, so SQLite accepts DEFAULT and SERIALIZABLE
 * and returns RORM_EUNSUPPORTED for the others. On a transaction handle (a savepoint) only
 * DEFAULT is accepted. Otherwise as rorm_db_begin().
 */
RORM_API int
rorm_db_begin_isolation(rorm_db **tx_out, rorm_db *db, unsigned isolation, rorm_error *err);

/**
 * Run raw SQL that returns no rows, with @p nparams values bound in order to the dialect's
 * placeholders (`?` on SQLite). @p affected_out, when not NULL, gets the changed-row count.
 */
RORM_API int rorm_db_execute_raw(rorm_db *db,
                                 const char *sql,
                                 const rorm_value *params,
                                 size_t nparams,
                                 int64_t *affected_out,
                                 rorm_error *err);
/** Run raw SQL that returns rows. Column values come back as the database gives them. */
RORM_API int rorm_db_query_raw(rorm_rows **out,
                               rorm_db *db,
                               const char *sql,
                               const rorm_value *params,
                               size_t nparams,
                               rorm_error *err);

/* ---- Result sets ------------------------------------------------------------------------- */

/** @return the number of rows. */
RORM_API size_t rorm_rows_count(const rorm_rows *rows);
/** @return the number of columns (fields) per row. */
RORM_API size_t rorm_rows_column_count(const rorm_rows *rows);
/** @return the field name of column @p col (borrowed), or NULL when out of range. */
RORM_API const char *rorm_rows_column_name(const rorm_rows *rows, size_t col);
/** @return the column index of field @p name, or -1. */
RORM_API long rorm_rows_column_index(const rorm_rows *rows, const char *name);
/** @return the value at @p row, @p col (borrowed until rorm_rows_free), or NULL out of range. */
RORM_API const rorm_value *rorm_rows_get(const rorm_rows *rows, size_t row, size_t col);
/** @return the value of field @p name in @p row, or NULL. */
RORM_API const rorm_value *rorm_rows_field(const rorm_rows *rows, size_t row, const char *name);
/** Copy row @p row into a new object value (owned by the caller). */
RORM_API int rorm_rows_record(rorm_value *out, const rorm_rows *rows, size_t row, rorm_error *err);
/** Free a result set. NULL is accepted. */
RORM_API void rorm_rows_free(rorm_rows *rows);

#ifdef __cplusplus
}
#endif
#endif
