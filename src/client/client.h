/*
 * The database handle's internals, shared by the record API (crud.c), the select builder
 * (query/) and transactions (db.c).
 */
#ifndef RORM_CLIENT_CLIENT_H
#define RORM_CLIENT_CLIENT_H

#include <pthread.h>

#include "dialect/dialect.h"
#include "driver/driver.h"
#include "pool/pool.h"
#include "rediorm/db.h"
#include "schema/schema.h"

struct rorm_db {
    rorm_db *root; /* the handle that owns the pool (itself for the root) */
    const rorm_driver *driver;
    const rorm_dialect *dialect;
    /* Root only. */
    rorm_pool *pool;
    rorm_vec(rorm_schema *) schemas;
    rorm_map models; /* model name -> rorm_model * across registered schemas */
    /* Root only: generated SQL by statement shape (sqlcache.c). */
    pthread_mutex_t sql_lock;
    rorm_map sql_cache;
    /* Transactions only: the pinned connection, the enclosing transaction, nesting depth. */
    rorm_conn *conn;
    rorm_db *parent;
    int depth;         /* 0 for the root, 1 for a transaction, 2+ for savepoints */
    int open_children; /* savepoints opened on this handle and not finished */
    int open_streams;  /* streams open on this handle or its savepoints (they hold the conn) */
};

struct rorm_rows {
    size_t ncols, nrows, cap; /* cap in rows */
    const char **names;       /* column names: field names (borrowed) or owned (raw queries) */
    bool names_owned;
    rorm_value *cells; /* nrows * ncols, row-major, owned */
};

/* The connection to run a statement on: the pinned one for a transaction, else from the pool.
   A transaction whose connection a stream holds is RORM_ESTATE. */
int rorm__db_acquire(rorm_conn **out, rorm_db *db, rorm_error *err);
void rorm__db_release(rorm_db *db, rorm_conn *conn);

/*
 * A handle with no driver and no connection: @p schema registered and @p dialect set, enough to
 * validate Prisma Client arguments and compile them (rorm__pc_compile) for tests and fuzzing.
 * Only rorm_db_close() and the compile path may be used on it.
 */
int rorm__db_new_offline(rorm_db **out,
                         const rorm_dialect *dialect,
                         rorm_schema *schema,
                         rorm_error *err);

/* Find a registered model, with a suggestion on a miss (RORM_EINVAL). */
int rorm__db_model(rorm_model **out, const rorm_db *db, const char *name, rorm_error *err);

/*
 * Check @p in against @p field's type and convert it to the value to bind. Returns a pointer to
 * @p in itself or to @p tmp (which the caller disposes) in @p *out.
 */
int rorm__coerce(const rorm_value **out,
                 rorm_value *tmp,
                 const rorm_field *field,
                 const rorm_value *in,
                 rorm_error *err);
/*
 * The value the library makes for @p f when a write leaves it out: now() and @updatedAt (@p now,
 * ms), uuid()/cuid()/nanoid()/ulid() ids, a literal default (copied), an empty list. Returns 1
 * with @p out set (owned), 0 when the library makes none, or a negative error.
 */
int rorm__generate_default(rorm_value *out, const rorm_field *f, int64_t now, rorm_error *err);
/* Convert a driver column value (native kind) into @p field's type; @p out is owned. */
int rorm__column_to_value(rorm_value *out,
                          const rorm_field *field,
                          const rorm_value *col,
                          rorm_error *err);

/* Result sets. */
int rorm__rows_new(rorm_rows **out, size_t ncols, rorm_error *err);
/* Make room for @p nrows rows in all. */
int rorm__rows_reserve(rorm_rows *rows, size_t nrows, rorm_error *err);
/* Append an empty row (ncols null cells) and return a pointer to its first cell. */
int rorm__rows_add(rorm_value **row_out, rorm_rows *rows, rorm_error *err);

/* Move row @p row's cells into a new object keyed by the column names (copied). */
int rorm__rows_take_record(rorm_value *out, rorm_rows *rows, size_t row, rorm_error *err);

/* Run a prepared statement with @p nparams values bound, reading rows of the model's @p fields
 * into @p rows (when not NULL). */
int rorm__run_select(rorm_rows *rows,
                     rorm_conn *conn,
                     const char *sql,
                     size_t len,
                     const rorm_value *const *params,
                     size_t nparams,
                     rorm_field *const *fields,
                     size_t nfields,
                     size_t max_rows,
                     rorm_error *err);

/* Run one write statement; report changed rows and the generated row id when asked. */
int rorm__run_write(rorm_db *db,
                    const char *sql,
                    size_t len,
                    const rorm_value *const *params,
                    size_t nparams,
                    int64_t *changes_out,
                    int64_t *rowid_out,
                    rorm_error *err);

/* Append the WHERE condition "pk = ? [AND pk2 = ?]" for @p model and collect the key values. */
int rorm__pk_condition(rorm_str *sql,
                       const rorm_value **params,
                       rorm_value *tmps,
                       size_t *nparams,
                       const rorm_db *db,
                       const rorm_model *model,
                       const rorm_value *id,
                       rorm_error *err);

/* The shape of a generated statement: model, kind, row count and a bitmask of columns. */
typedef struct rorm_shape {
    unsigned char bytes[256];
    size_t len;
    bool ok; /* false when the key did not fit: do not cache */
} rorm_shape;

#define RORM_SHAPE_INSERT 1
#define RORM_SHAPE_FIND   2
#define RORM_SHAPE_UPDATE 3
#define RORM_SHAPE_DELETE 4
/* Statements of the Prisma Client engine (src/query/prisma/exec.c). */
#define RORM_SHAPE_PC_FIND   5
#define RORM_SHAPE_PC_READ   6
#define RORM_SHAPE_PC_UPDATE 7

void rorm__sql_cache_init(rorm_db *db);
void rorm__sql_cache_dispose(rorm_db *db);
void rorm__shape_init(rorm_shape *key, const rorm_model *m, unsigned kind, uint32_t nrows);
void rorm__shape_add_mask(rorm_shape *key, const bool *include, size_t n);
/* Append @p n bytes at @p p to the key (it stops being ok when they do not fit). */
void rorm__shape_add(rorm_shape *key, const void *p, size_t n);
/* The cached SQL for @p key, or NULL. */
const char *rorm__sql_cache_get(rorm_db *db, const rorm_shape *key, size_t *len_out);
/* Cache a copy of @p sql under @p key; returns the cached text, or NULL when not cached. */
const char *
rorm__sql_cache_put(rorm_db *db, const rorm_shape *key, const rorm_str *sql, size_t *len_out);

/* Current time in milliseconds since the epoch. */
int64_t rorm__now_ms(void);

#define RORM_MAX_PK_FIELDS 16

#endif
