/*
 * Database types per provider: the native types a `@db.X(...)` attribute may name (with their
 * arguments and the Prisma scalar types they fit), how each is written in SQL, and the column
 * type Prisma gives each scalar type when no native type is set. The lists follow Prisma's schema
 * reference for PostgreSQL, CockroachDB and MySQL; SQLite has no native types.
 */
#include "prisma/prisma.h"

#include <string.h>

#include "util/alloc.h"

#define S(t) (1u << (t))

/* PostgreSQL. */
static const rorm__native_type pg_types[] = {
    { "SmallInt", 0, 0, S(RORM_FIELD_INT), "smallint", NULL },
    { "Integer", 0, 0, S(RORM_FIELD_INT), "integer", NULL },
    { "BigInt", 0, 0, S(RORM_FIELD_BIGINT), "bigint", NULL },
    { "Decimal", 2, 0, S(RORM_FIELD_DECIMAL), "decimal", NULL },
    { "Money", 0, 0, S(RORM_FIELD_DECIMAL), "money", NULL },
    { "Inet", 0, 0, S(RORM_FIELD_STRING), "inet", NULL },
    { "Oid", 0, 0, S(RORM_FIELD_INT), "oid", NULL },
    { "Citext", 0, 0, S(RORM_FIELD_STRING), "citext", NULL },
    { "Real", 0, 0, S(RORM_FIELD_FLOAT), "real", NULL },
    { "DoublePrecision", 0, 0, S(RORM_FIELD_FLOAT), "double precision", NULL },
    { "VarChar", 1, 0, S(RORM_FIELD_STRING), "varchar", NULL },
    { "Char", 1, 0, S(RORM_FIELD_STRING), "char", NULL },
    { "Text", 0, 0, S(RORM_FIELD_STRING), "text", NULL },
    { "ByteA", 0, 0, S(RORM_FIELD_BYTES), "bytea", NULL },
    { "Timestamp", 1, 0, S(RORM_FIELD_DATETIME), "timestamp", NULL },
    { "Timestamptz", 1, 0, S(RORM_FIELD_DATETIME), "timestamptz", NULL },
    { "Date", 0, 0, S(RORM_FIELD_DATETIME), "date", NULL },
    { "Time", 1, 0, S(RORM_FIELD_DATETIME), "time", NULL },
    { "Timetz", 1, 0, S(RORM_FIELD_DATETIME), "timetz", NULL },
    { "Boolean", 0, 0, S(RORM_FIELD_BOOL), "boolean", NULL },
    { "Bit", 1, 0, S(RORM_FIELD_STRING), "bit", NULL },
    { "VarBit", 1, 0, S(RORM_FIELD_STRING), "varbit", NULL },
    { "Uuid", 0, 0, S(RORM_FIELD_STRING), "uuid", NULL },
    { "Xml", 0, 0, S(RORM_FIELD_STRING), "xml", NULL },
    { "Json", 0, 0, S(RORM_FIELD_JSON), "json", NULL },
    { "JsonB", 0, 0, S(RORM_FIELD_JSON), "jsonb", NULL },
    { NULL, 0, 0, 0, NULL, NULL },
};

/* CockroachDB: its own names (Int8, String, Bool...), not PostgreSQL's. */
static const rorm__native_type crdb_types[] = {
    { "Bit", 1, 0, S(RORM_FIELD_STRING), "bit", NULL },
    { "Bool", 0, 0, S(RORM_FIELD_BOOL), "bool", NULL },
    { "Bytes", 0, 0, S(RORM_FIELD_BYTES), "bytes", NULL },
    { "Char", 1, 0, S(RORM_FIELD_STRING), "char", NULL },
    { "Date", 0, 0, S(RORM_FIELD_DATETIME), "date", NULL },
    { "Decimal", 2, 0, S(RORM_FIELD_DECIMAL), "decimal", NULL },
    { "Float4", 0, 0, S(RORM_FIELD_FLOAT), "float4", NULL },
    { "Float8", 0, 0, S(RORM_FIELD_FLOAT), "float8", NULL },
    { "Inet", 0, 0, S(RORM_FIELD_STRING), "inet", NULL },
    { "Int2", 0, 0, S(RORM_FIELD_INT), "int2", NULL },
    { "Int4", 0, 0, S(RORM_FIELD_INT), "int4", NULL },
    { "Int8", 0, 0, S(RORM_FIELD_BIGINT), "int8", NULL },
    { "JsonB", 0, 0, S(RORM_FIELD_JSON), "jsonb", NULL },
    { "Oid", 0, 0, S(RORM_FIELD_INT), "oid", NULL },
    { "CatalogSingleChar", 0, 0, S(RORM_FIELD_STRING), "\"char\"", NULL },
    { "String", 1, 0, S(RORM_FIELD_STRING), "string", NULL },
    { "Time", 1, 0, S(RORM_FIELD_DATETIME), "time", NULL },
    { "Timestamp", 1, 0, S(RORM_FIELD_DATETIME), "timestamp", NULL },
    { "Timestamptz", 1, 0, S(RORM_FIELD_DATETIME), "timestamptz", NULL },
    { "Timetz", 1, 0, S(RORM_FIELD_DATETIME), "timetz", NULL },
    { "Uuid", 0, 0, S(RORM_FIELD_STRING), "uuid", NULL },
    { "VarBit", 1, 0, S(RORM_FIELD_STRING), "varbit", NULL },
    { NULL, 0, 0, 0, NULL, NULL },
};

/* MySQL: Bit, Char, VarChar, Binary and VarBinary need their length. */
static const rorm__native_type my_types[] = {
    { "Int", 0, 0, S(RORM_FIELD_INT), "int", NULL },
    { "UnsignedInt", 0, 0, S(RORM_FIELD_INT), "int", " unsigned" },
    { "SmallInt", 0, 0, S(RORM_FIELD_INT), "smallint", NULL },
    { "UnsignedSmallInt", 0, 0, S(RORM_FIELD_INT), "smallint", " unsigned" },
    { "TinyInt", 0, 0, S(RORM_FIELD_INT) | S(RORM_FIELD_BOOL), "tinyint", NULL },
    { "UnsignedTinyInt", 0, 0, S(RORM_FIELD_INT) | S(RORM_FIELD_BOOL), "tinyint", " unsigned" },
    { "MediumInt", 0, 0, S(RORM_FIELD_INT), "mediumint", NULL },
    { "UnsignedMediumInt", 0, 0, S(RORM_FIELD_INT), "mediumint", " unsigned" },
    { "BigInt", 0, 0, S(RORM_FIELD_BIGINT), "bigint", NULL },
    { "UnsignedBigInt", 0, 0, S(RORM_FIELD_BIGINT), "bigint", " unsigned" },
    { "Decimal", 2, 0, S(RORM_FIELD_DECIMAL), "decimal", NULL },
    { "Float", 0, 0, S(RORM_FIELD_FLOAT), "float", NULL },
    { "Double", 0, 0, S(RORM_FIELD_FLOAT), "double", NULL },
    { "Bit", 1, 1, S(RORM_FIELD_BOOL) | S(RORM_FIELD_BYTES), "bit", NULL },
    { "Char", 1, 1, S(RORM_FIELD_STRING), "char", NULL },
    { "VarChar", 1, 1, S(RORM_FIELD_STRING), "varchar", NULL },
    { "Binary", 1, 1, S(RORM_FIELD_BYTES), "binary", NULL },
    { "VarBinary", 1, 1, S(RORM_FIELD_BYTES), "varbinary", NULL },
    { "TinyBlob", 0, 0, S(RORM_FIELD_BYTES), "tinyblob", NULL },
    { "Blob", 0, 0, S(RORM_FIELD_BYTES), "blob", NULL },
    { "MediumBlob", 0, 0, S(RORM_FIELD_BYTES), "mediumblob", NULL },
    { "LongBlob", 0, 0, S(RORM_FIELD_BYTES), "longblob", NULL },
    { "TinyText", 0, 0, S(RORM_FIELD_STRING), "tinytext", NULL },
    { "Text", 0, 0, S(RORM_FIELD_STRING), "text", NULL },
    { "MediumText", 0, 0, S(RORM_FIELD_STRING), "mediumtext", NULL },
    { "LongText", 0, 0, S(RORM_FIELD_STRING), "longtext", NULL },
    { "Date", 0, 0, S(RORM_FIELD_DATETIME), "date", NULL },
    { "Time", 1, 0, S(RORM_FIELD_DATETIME), "time", NULL },
    { "DateTime", 1, 0, S(RORM_FIELD_DATETIME), "datetime", NULL },
    { "Timestamp", 1, 0, S(RORM_FIELD_DATETIME), "timestamp", NULL },
    { "Year", 0, 0, S(RORM_FIELD_INT), "year", NULL },
    { "Json", 0, 0, S(RORM_FIELD_JSON), "json", NULL },
    { NULL, 0, 0, 0, NULL, NULL },
};

#undef S

static bool is_pg(const char *provider)
{
    return strcmp(provider, "postgresql") == 0;
}

const rorm__native_type *rorm__prisma_native_types(const char *provider)
{
    if (!provider) {
        return NULL;
    }
    if (is_pg(provider)) {
        return pg_types;
    }
    if (strcmp(provider, "cockroachdb") == 0) {
        return crdb_types;
    }
    if (strcmp(provider, "mysql") == 0) {
        return my_types;
    }
    return NULL;
}

const rorm__native_type *rorm__prisma_native_type(const char *provider, const char *name)
{
    const rorm__native_type *t = rorm__prisma_native_types(provider);
    for (; t && t->name; t++) {
        if (strcmp(t->name, name) == 0) {
            return t;
        }
    }
    return NULL;
}

char *rorm__prisma_native_sql(const rorm__native_type *t, const char *const *args, size_t nargs)
{
    rorm_str s = RORM_STR_INIT;
    rorm__str_puts(&s, t->sql);
    if (nargs > 0) {
        rorm__str_putc(&s, '(');
        for (size_t i = 0; i < nargs; i++) {
            if (i > 0) {
                rorm__str_putc(&s, ',');
            }
            rorm__str_puts(&s, args[i]);
        }
        rorm__str_putc(&s, ')');
    }
    if (t->suffix) {
        rorm__str_puts(&s, t->suffix);
    }
    if (rorm__str_oom(&s)) {
        rorm__str_dispose(&s);
        return NULL;
    }
    return rorm__str_detach(&s);
}

const char *rorm__prisma_default_db_type(const char *provider, unsigned type)
{
    if (!provider || type < RORM_FIELD_STRING || type > RORM_FIELD_BYTES) {
        return NULL;
    }
    /* Indexed by rorm_field_type, String .. Bytes. */
    static const char *const pg[] = {
        NULL,      "text",         "integer", "bigint", "double precision", "decimal(65,30)",
        "boolean", "timestamp(3)", "jsonb",   "bytea"
    };
    static const char *const crdb[] = { NULL,     "string",         "int4", "int8",
                                        "float8", "decimal(65,30)", "bool", "timestamp(3)",
                                        "jsonb",  "bytes" };
    static const char *const my[] = { NULL,     "varchar(191)",   "int",        "bigint",
                                      "double", "decimal(65,30)", "tinyint(1)", "datetime(3)",
                                      "json",   "longblob" };
    static const char *const lite[] = { NULL,      "TEXT",    "INTEGER",  "BIGINT", "REAL",
                                        "DECIMAL", "BOOLEAN", "DATETIME", "JSONB",  "BLOB" };
    if (is_pg(provider)) {
        return pg[type];
    }
    if (strcmp(provider, "cockroachdb") == 0) {
        return crdb[type];
    }
    if (strcmp(provider, "mysql") == 0) {
        return my[type];
    }
    if (strcmp(provider, "sqlite") == 0) {
        return lite[type];
    }
    return NULL;
}
