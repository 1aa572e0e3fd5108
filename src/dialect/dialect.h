/*
 * Dialects turn the schema model and queries into SQL text for one database: identifier
 * quoting, placeholders, column types, DDL, LIMIT/OFFSET and transaction statements. They
 * produce text only; values are always bound parameters.
 */
#ifndef RORM_DIALECT_DIALECT_H
#define RORM_DIALECT_DIALECT_H

#include "schema/schema.h"
#include "util/str.h"

typedef struct rorm_dialect {
    const char *name; /* "sqlite", "postgresql", "mysql" */
    unsigned db_type; /* rorm_db_type */
    unsigned caps;    /* RORM_CAP_* */
    /* Append @p name quoted as an identifier ("a""b" / `a``b`). */
    void (*quote_ident)(rorm_str *out, const char *name);
    /* Append the placeholder for parameter @p n (1-based): ? or $n. */
    void (*placeholder)(rorm_str *out, size_t n);
    /* Append the column type for a scalar field (honouring native_type). */
    int (*column_type)(rorm_str *out, const rorm_field *field, rorm_error *err);
    /* Append CREATE TABLE IF NOT EXISTS for @p model (columns, primary key, foreign keys). */
    int (*create_table)(rorm_str *out, const rorm_model *model, rorm_error *err);
    /* Append CREATE [UNIQUE] INDEX IF NOT EXISTS for @p index of @p model. */
    int (*create_index)(rorm_str *out,
                        const rorm_model *model,
                        const rorm_index *index,
                        rorm_error *err);
    /* Append " LIMIT ? OFFSET ?" style text; limit < 0 means none. Values are inlined integers
       (they are integers checked by the query layer, never strings). */
    void (*limit_offset)(rorm_str *out, int64_t limit, int64_t offset);
    /* Statements for transactions. Savepoints use the same SQL on every database
       (SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT), written by the core. */
    const char *begin_sql;
    const char *commit_sql;
    const char *rollback_sql;
    /* A query with one parameter (the table name) returning a row when the table exists. */
    const char *table_exists_sql;
} rorm_dialect;

extern const rorm_dialect rorm__dialect_sqlite;

const rorm_dialect *rorm__dialect_for_type(unsigned db_type);

/* Append a comma-separated quoted column list for @p fields. */
void rorm__dialect_column_list(rorm_str *out,
                               const rorm_dialect *d,
                               rorm_field *const *fields,
                               size_t n);

#endif
