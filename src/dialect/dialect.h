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
    /* INSERTs of a model with a generated key append " RETURNING <key>" (PostgreSQL): the
       driver's last_insert_id then reads the returned row. */
    bool insert_returning;
} rorm_dialect;

extern const rorm_dialect rorm__dialect_sqlite;
extern const rorm_dialect rorm__dialect_postgres;
extern const rorm_dialect rorm__dialect_mysql;

/*
 * The DDL writer shared by the server dialects: CREATE TABLE with columns, primary key and
 * foreign keys, and CREATE INDEX, in the shape Prisma's migrations use. The hooks say what
 * differs between databases.
 */
typedef struct rorm_ddl_hooks {
    /* Append the column definition of an autoincrement key field (type and NOT NULL). */
    void (*autoincrement_column)(rorm_str *out, const rorm_field *f);
    /* Append a string literal (quotes and, on MySQL, backslashes escaped). */
    void (*text_literal)(rorm_str *out, const char *s, size_t len);
    /* Append a bytes literal. */
    void (*bytes_literal)(rorm_str *out, const uint8_t *p, size_t len);
    /* Append a datetime literal from milliseconds since the epoch. */
    void (*datetime_literal)(rorm_str *out, int64_t ms);
    /* Append a list default literal (a native array or JSON text). */
    int (*list_literal)(rorm_str *out, const rorm_field *f, const rorm_value *v, rorm_error *err);
    /* Text after the closing parenthesis of CREATE TABLE, or NULL. */
    const char *table_suffix;
    /* "CREATE INDEX IF NOT EXISTS" is available. */
    bool index_if_not_exists;
} rorm_ddl_hooks;

int rorm__ddl_create_table(rorm_str *out,
                           const rorm_dialect *d,
                           const rorm_ddl_hooks *h,
                           const rorm_model *m,
                           rorm_error *err);
int rorm__ddl_create_index(rorm_str *out,
                           const rorm_dialect *d,
                           const rorm_ddl_hooks *h,
                           const rorm_model *m,
                           const rorm_index *index,
                           rorm_error *err);
/* Append the literal for a default value of @p f. */
int rorm__ddl_literal(rorm_str *out,
                      const rorm_ddl_hooks *h,
                      const rorm_field *f,
                      const rorm_value *v,
                      rorm_error *err);
/* Check a type written by the schema author (native_type) and append it. */
int rorm__ddl_written_type(rorm_str *out, const rorm_field *f, const char *t, rorm_error *err);
/* The database name of an enum value (@map), or the value itself. */
const char *rorm__ddl_enum_db_value(const rorm_field *f, const char *value);
/* Civil date and time of @p ms (UTC): year, month 1-12, day, hour, minute, second, milli. */
void rorm__civil_from_ms(
    int64_t ms, int64_t *year, int *mon, int *day, int *h, int *mi, int *s, int *milli);
/* Milliseconds since the epoch of a civil UTC date and time. */
int64_t rorm__ms_from_civil(int64_t year, int mon, int day, int h, int mi, int s, int milli);

const rorm_dialect *rorm__dialect_for_type(unsigned db_type);

/* Append a comma-separated quoted column list for @p fields. */
void rorm__dialect_column_list(rorm_str *out,
                               const rorm_dialect *d,
                               rorm_field *const *fields,
                               size_t n);

#endif
