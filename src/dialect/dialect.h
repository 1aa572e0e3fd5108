/*
 * Dialects turn the schema model and queries into SQL text for one database: identifier
 * quoting, placeholders, column types, DDL, LIMIT/OFFSET and transaction statements. They
 * produce text only; values are always bound parameters.
 */
#ifndef RORM_DIALECT_DIALECT_H
#define RORM_DIALECT_DIALECT_H

#include "schema/schema.h"
#include "util/str.h"

/*
 * Introspection queries, one per kind of object, each returning rows in the same shape on every
 * database (the migration engine reads them by position). Those taking a table name have it as
 * their first parameter; PostgreSQL's also take the schema to read ('' for the current one): the
 * first parameter of tables and enums, the second of the others; its foreign keys have an eighth
 * column, the referenced table's schema. Further placeholders (MySQL's cannot repeat a
 * parameter) take the table name again.
 */
typedef struct rorm_introspect_sql {
    /* Rows: table name. */
    const char *tables;
    /* Param table. Rows: column name, type text, not null (0/1), default text or NULL,
       autoincrement (0/1), primary-key position (1-based, 0 = none or read from indexes). */
    const char *columns;
    /* Param table. Rows: index name, unique (0/1), primary (0/1), column name, descending (0/1);
       ordered by index name and column position. */
    const char *indexes;
    /* Param table. Rows: group key, constraint name or NULL, column, referenced table,
       referenced column, ON DELETE action, ON UPDATE action; ordered by group and position. */
    const char *foreign_keys;
    /* Rows: enum type name, value, in value order; NULL when the database has no enum types. */
    const char *enums;
} rorm_introspect_sql;

/* One ALTER-style statement of a migration, rendered by the dialect. */
typedef enum rorm_alter_kind {
    RORM_ALTER_ADD_COLUMN = 1,       /* field */
    RORM_ALTER_DROP_COLUMN = 2,      /* table, name */
    RORM_ALTER_COLUMN_TYPE = 3,      /* field (its type, nullability and default) */
    RORM_ALTER_COLUMN_NULL = 4,      /* field: SET / DROP NOT NULL */
    RORM_ALTER_COLUMN_DEFAULT = 5,   /* field: SET / DROP DEFAULT */
    RORM_ALTER_DROP_INDEX = 6,       /* table, name */
    RORM_ALTER_ADD_FOREIGN_KEY = 7,  /* model, field (the relation field) */
    RORM_ALTER_DROP_FOREIGN_KEY = 8, /* table, name */
    RORM_ALTER_DROP_TABLE = 9,       /* table */
    RORM_ALTER_CREATE_ENUM = 10,     /* enumeration */
    RORM_ALTER_ADD_ENUM_VALUE = 11,  /* enumeration, name (the database value) */
    RORM_ALTER_DROP_ENUM = 12,       /* name (the type) */
    RORM_ALTER_RENAME_TABLE = 13,    /* table, to */
    RORM_ALTER_RENAME_COLUMN = 14,   /* table, name, to */
    /* Enum values removed: PostgreSQL recreates the type (enumeration: the values kept; uses:
       its columns); MySQL restates the column (field; uses: the column). Both with removed. */
    RORM_ALTER_REPLACE_ENUM = 15,
} rorm_alter_kind;

/* A column whose type is the enum a RORM_ALTER_REPLACE_ENUM recreates. */
typedef struct rorm_alter_enum_use {
    const char *table, *column;
    bool list;          /* an array of the enum */
    bool nullable;      /* rows holding a removed value become NULL (else the change fails) */
    bool has_default;   /* the column has a default: dropped while the type changes */
    const char *def;    /* the default expression to restore after the change, or NULL */
    const char *schema; /* the table's schema, or NULL */
} rorm_alter_enum_use;

typedef struct rorm_alter {
    unsigned kind; /* rorm_alter_kind */
    const char *table;
    const char *name;
    const rorm_model *model;
    const rorm_field *field;
    const rorm_enum *enumeration;
    const char *to; /* the new name of a rename */
    /* RORM_ALTER_REPLACE_ENUM: the values removed and the columns of the type. */
    const char *const *removed;
    size_t nremoved;
    const rorm_alter_enum_use *uses;
    size_t nuses;
    const char *schema; /* the schema of table (and of the index or type named), or NULL */
} rorm_alter;

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
    /* A query with one parameter (the table name) returning a row when the table exists;
       PostgreSQL's takes the table's schema as a second ('' for the current schema). */
    const char *table_exists_sql;
    /* INSERTs of a model with a generated key append " RETURNING <key>" (PostgreSQL): the
       driver's last_insert_id then reads the returned row. */
    bool insert_returning;
    /* ---- Migrations ---- */
    const rorm_introspect_sql *introspect;
    /* Append the SQL default expression of @p f (nothing when the database supplies none). */
    int (*column_default)(rorm_str *out, const rorm_field *f, rorm_error *err);
    /* Append the column definition of @p f: type, NOT NULL, DEFAULT (as in CREATE TABLE). */
    int (*column_definition)(rorm_str *out, const rorm_field *f, rorm_error *err);
    /* Append one ALTER statement (no terminating semicolon). */
    int (*alter)(rorm_str *out, const rorm_alter *op, rorm_error *err);
    /*
     * SQLite only (else NULL): append the statements that rebuild @p model's table (create the
     * new table under a temporary name, copy the @p ncopy columns @p copy, drop the old table,
     * rename, re-create the indexes), separated by ";\n". The caller runs them in a transaction
     * with foreign keys off and checks foreign keys before committing.
     */
    int (*rebuild_table)(rorm_str *out,
                         const rorm_model *model,
                         const char *const *copy,
                         size_t ncopy,
                         rorm_error *err);
    /* Append the CREATE TABLE and CREATE INDEX statements (separated by ";\n") of the implicit
       many-to-many join table of @p rel, in Prisma's shape: columns A and B, the AB key, the
       B index, and cascading foreign keys. */
    int (*create_join_table)(rorm_str *out, const rorm_relation *rel, rorm_error *err);
    /* As create_table, without the foreign keys (added afterwards when tables reference each
       other in a cycle); NULL where CREATE TABLE may name tables that do not exist (SQLite). */
    int (*create_table_without_foreign_keys)(rorm_str *out,
                                             const rorm_model *model,
                                             rorm_error *err);
    /* CREATE TABLE IF NOT EXISTS redi_migrations (id, name, checksum, sql_applied, applied_at,
       db_type) in the database's own DDL. */
    const char *history_table_sql;
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
    /* Index prefix lengths (Prisma's `length:`, MySQL's `col`(n)) are written. */
    bool index_prefix_length;
} rorm_ddl_hooks;

int rorm__ddl_create_table(rorm_str *out,
                           const rorm_dialect *d,
                           const rorm_ddl_hooks *h,
                           const rorm_model *m,
                           bool with_foreign_keys,
                           rorm_error *err);
int rorm__ddl_create_index(rorm_str *out,
                           const rorm_dialect *d,
                           const rorm_ddl_hooks *h,
                           const rorm_model *m,
                           const rorm_index *index,
                           rorm_error *err);
/* Append the column definition of @p f (type or autoincrement column, NOT NULL, DEFAULT). */
int rorm__ddl_column_definition(rorm_str *out,
                                const rorm_dialect *d,
                                const rorm_ddl_hooks *h,
                                const rorm_field *f,
                                rorm_error *err);
/* Append the default expression of @p f, or nothing. */
int rorm__ddl_column_default(rorm_str *out,
                             const rorm_ddl_hooks *h,
                             const rorm_field *f,
                             rorm_error *err);
/* Append "CONSTRAINT name FOREIGN KEY (...) REFERENCES t (...) ON DELETE .. ON UPDATE ..". */
int rorm__ddl_foreign_key(rorm_str *out,
                          const rorm_dialect *d,
                          const rorm_model *m,
                          const rorm_field *relation_field,
                          rorm_error *err);
/* The constraint name of a foreign key (given or Prisma's Table_col_fkey); caller frees. */
char *rorm__ddl_foreign_key_name(const rorm_model *m, const rorm_relation *rel);
/* The index name (given or Prisma's Table_col_key / _idx); caller frees. */
char *rorm__ddl_index_name(const rorm_model *m, const rorm_index *index);
/* Resolved ON DELETE / ON UPDATE text of a relation (Prisma's defaults applied). */
const char *rorm__ddl_on_delete(const rorm_relation *rel);
const char *rorm__ddl_on_update(const rorm_relation *rel);
/* The join-table writer every dialect shares (see rorm_dialect.create_join_table). */
int rorm__ddl_create_join_table(rorm_str *out,
                                const rorm_dialect *d,
                                const char *table_suffix,
                                const rorm_relation *rel,
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

/* Render the schema changes written the same way on every database (rename a table or a
   column, drop a column or a table); false for the other kinds, which the dialect renders
   itself. */
bool rorm__ddl_alter_common(rorm_str *out, const rorm_dialect *d, const rorm_alter *op);
/* Civil date and time of @p ms (UTC): year, month 1-12, day, hour, minute, second, milli. */
void rorm__civil_from_ms(
    int64_t ms, int64_t *year, int *mon, int *day, int *h, int *mi, int *s, int *milli);
/* Milliseconds since the epoch of a civil UTC date and time. */
int64_t rorm__ms_from_civil(int64_t year, int mon, int day, int h, int mi, int s, int milli);

const rorm_dialect *rorm__dialect_for_type(unsigned db_type);

/*
 * Table names. A model with a schema (Prisma's @@schema, rorm_model_set_schema) lives in that
 * database schema and is written "schema"."table"; without one it is the bare quoted name,
 * found through the connection's current schema. An implicit many-to-many join table lives in
 * the schema of the model whose name sorts first (its column A), as Prisma places it.
 */
void rorm__dialect_qualified(rorm_str *out,
                             const rorm_dialect *d,
                             const char *schema,
                             const char *name);
void rorm__dialect_table(rorm_str *out, const rorm_dialect *d, const rorm_model *m);
/* The schema of @p rel's join table, or NULL. */
const char *rorm__join_table_schema(const rorm_relation *rel);
void rorm__dialect_join_table(rorm_str *out, const rorm_dialect *d, const rorm_relation *rel);

/* Append a comma-separated quoted column list for @p fields. */
void rorm__dialect_column_list(rorm_str *out,
                               const rorm_dialect *d,
                               rorm_field *const *fields,
                               size_t n);

#endif
