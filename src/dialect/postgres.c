/*
 * The PostgreSQL dialect: double-quoted identifiers, $n placeholders, PostgreSQL column types
 * (timestamp(3), jsonb, bytea, decimal(65,30), native enums and arrays) and the DDL in the shape
 * Prisma's migrations write. Enums are created as types before the first table that uses them.
 */
#include "dialect/dialect.h"

#include <stdio.h>
#include <string.h>

#include "rediorm/db.h"
#include "rediorm/sys/driver.h"
#include "util/error.h"

static void quote_ident(rorm_str *out, const char *name)
{
    rorm__str_putc(out, '"');
    for (const char *s = name ? name : ""; *s; s++) {
        if (*s == '"') {
            rorm__str_putc(out, '"');
        }
        rorm__str_putc(out, *s);
    }
    rorm__str_putc(out, '"');
}

static void placeholder(rorm_str *out, size_t n)
{
    rorm__str_putc(out, '$');
    rorm__str_put_int(out, (int64_t)n);
}

static const char *enum_type_name(const rorm_enum *e)
{
    return e->db_name ? e->db_name : e->name;
}

static int scalar_type(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    const char *t;
    switch (f->type) {
    case RORM_FIELD_STRING:
        t = "TEXT";
        break;
    case RORM_FIELD_INT:
        t = "INTEGER";
        break;
    case RORM_FIELD_BIGINT:
        t = "BIGINT";
        break;
    case RORM_FIELD_FLOAT:
        t = "DOUBLE PRECISION";
        break;
    case RORM_FIELD_DECIMAL:
        t = "DECIMAL(65,30)";
        break;
    case RORM_FIELD_BOOL:
        t = "BOOLEAN";
        break;
    case RORM_FIELD_DATETIME:
        t = "TIMESTAMP(3)";
        break;
    case RORM_FIELD_JSON:
        t = "JSONB";
        break;
    case RORM_FIELD_BYTES:
        t = "BYTEA";
        break;
    case RORM_FIELD_ENUM:
        if (f->enumeration == NULL) {
            return rorm__error(err, RORM_ESCHEMA, "enum of field '%s' is not resolved", f->name);
        }
        quote_ident(out, enum_type_name(f->enumeration));
        return RORM_OK;
    case RORM_FIELD_UNSUPPORTED:
        return rorm__ddl_written_type(out, f, f->unsupported, err);
    default:
        return rorm__error(err, RORM_EINVAL, "field '%s' has no column type", f->name);
    }
    rorm__str_puts(out, t);
    return RORM_OK;
}

static int column_type(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && f != NULL, err);
    if (f->native_type != NULL) {
        return rorm__ddl_written_type(out, f, f->native_type, err);
    }
    int rc = scalar_type(out, f, err);
    if (rc == RORM_OK && (f->flags & RORM_LIST)) {
        rorm__str_puts(out, "[]");
    }
    return rc;
}

static void autoincrement_column(rorm_str *out, const rorm_field *f)
{
    rorm__str_puts(out, f->type == RORM_FIELD_BIGINT ? "BIGSERIAL NOT NULL" : "SERIAL NOT NULL");
}

static void text_literal(rorm_str *out, const char *s, size_t len)
{
    rorm__str_putc(out, '\'');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\'') {
            rorm__str_putc(out, '\'');
        }
        rorm__str_putc(out, s[i]);
    }
    rorm__str_putc(out, '\'');
}

static void bytes_literal(rorm_str *out, const uint8_t *p, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    rorm__str_puts(out, "'\\x");
    for (size_t i = 0; i < len; i++) {
        rorm__str_putc(out, hex[p[i] >> 4]);
        rorm__str_putc(out, hex[p[i] & 0xf]);
    }
    rorm__str_puts(out, "'::bytea");
}

static void datetime_literal(rorm_str *out, int64_t ms)
{
    int64_t y;
    int mo, d, h, mi, s, milli;
    rorm__civil_from_ms(ms, &y, &mo, &d, &h, &mi, &s, &milli);
    bool bc = y <= 0;
    rorm__str_printf(out, "'%04lld-%02d-%02d %02d:%02d:%02d.%03d%s'", (long long)(bc ? 1 - y : y),
                     mo, d, h, mi, s, milli, bc ? " BC" : "");
}

static int list_literal(rorm_str *out, const rorm_field *f, const rorm_value *v, rorm_error *err);

static const rorm_ddl_hooks hooks = {
    .autoincrement_column = autoincrement_column,
    .text_literal = text_literal,
    .bytes_literal = bytes_literal,
    .datetime_literal = datetime_literal,
    .list_literal = list_literal,
    .table_suffix = NULL,
    .index_if_not_exists = true,
};

static int list_literal(rorm_str *out, const rorm_field *f, const rorm_value *v, rorm_error *err)
{
    if (v->type != RORM_TYPE_ARRAY) {
        return rorm__error(err, RORM_ESCHEMA, "default of list field '%s' is not a list", f->name);
    }
    rorm__str_puts(out, "ARRAY[");
    for (size_t i = 0; i < v->u.arr.len; i++) {
        if (i) {
            rorm__str_puts(out, ", ");
        }
        int rc = rorm__ddl_literal(out, &hooks, f, &v->u.arr.items[i], err);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    rorm__str_puts(out, "]::");
    return column_type(out, f, err);
}

/* CREATE TYPE for each enum the model uses, skipped when it exists (DO blocks catch that). */
static int create_enums(rorm_str *out, const rorm_model *m, rorm_error *err)
{
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        const rorm_enum *e = f->enumeration;
        if (f->type != RORM_FIELD_ENUM || e == NULL || f->native_type != NULL) {
            continue;
        }
        bool seen = false;
        for (size_t j = 0; j < i; j++) {
            seen |= m->fields.ptr[j]->type == RORM_FIELD_ENUM && m->fields.ptr[j]->enumeration == e;
        }
        if (seen) {
            continue;
        }
        rorm_str body = RORM_STR_INIT;
        rorm__str_puts(&body, "CREATE TYPE ");
        quote_ident(&body, enum_type_name(e));
        rorm__str_puts(&body, " AS ENUM (");
        for (size_t k = 0; k < e->db_values.len; k++) {
            if (k) {
                rorm__str_puts(&body, ", ");
            }
            text_literal(&body, e->db_values.ptr[k], strlen(e->db_values.ptr[k]));
        }
        rorm__str_putc(&body, ')');
        int rc = RORM_OK;
        if (rorm__str_oom(&body)) {
            rc = rorm__error_oom(err);
        } else if (strstr(body.ptr, "$rorm$") != NULL) {
            rc = rorm__error(err, RORM_ESCHEMA, "enum '%s' has a name or value containing '$rorm$'",
                             e->name);
        } else {
            rorm__str_puts(out, "DO $rorm$ BEGIN ");
            rorm__str_puts(out, body.ptr);
            rorm__str_puts(out, "; EXCEPTION WHEN duplicate_object THEN NULL; END $rorm$;\n");
        }
        rorm__str_dispose(&body);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

static int create_table(rorm_str *out, const rorm_model *m, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL, err);
    int rc = create_enums(out, m, err);
    if (rc != RORM_OK) {
        return rc;
    }
    return rorm__ddl_create_table(out, &rorm__dialect_postgres, &hooks, m, err);
}

static int
create_index(rorm_str *out, const rorm_model *m, const rorm_index *index, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL && index != NULL, err);
    if (index->kind == RORM_INDEX_FULLTEXT) {
        return rorm__error(err, RORM_EUNSUPPORTED,
                           "full-text index '%s' on model '%s' is not supported on PostgreSQL",
                           index->name ? index->name : "", m->name);
    }
    return rorm__ddl_create_index(out, &rorm__dialect_postgres, &hooks, m, index, err);
}

static void limit_offset(rorm_str *out, int64_t limit, int64_t offset)
{
    if (limit >= 0) {
        rorm__str_puts(out, " LIMIT ");
        rorm__str_put_int(out, limit);
    }
    if (offset > 0) {
        rorm__str_puts(out, " OFFSET ");
        rorm__str_put_int(out, offset);
    }
}

const rorm_dialect rorm__dialect_postgres = {
    .name = "postgresql",
    .db_type = RORM_DB_POSTGRES,
    .caps = RORM_CAP_RETURNING | RORM_CAP_SAVEPOINTS | RORM_CAP_TRANSACTIONAL_DDL |
            RORM_CAP_UPSERT_ON_CONFLICT | RORM_CAP_NATIVE_ENUMS | RORM_CAP_NATIVE_ARRAYS,
    .quote_ident = quote_ident,
    .placeholder = placeholder,
    .column_type = column_type,
    .create_table = create_table,
    .create_index = create_index,
    .limit_offset = limit_offset,
    .begin_sql = "BEGIN",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .table_exists_sql = "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                        "AND tablename = $1",
    .insert_returning = true,
};
