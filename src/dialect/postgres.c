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

/* Append the enum's type, qualified by its schema when it has one. */
static void enum_type(rorm_str *out, const rorm_enum *e)
{
    rorm__dialect_qualified(out, &rorm__dialect_postgres, e->schema_name, enum_type_name(e));
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
        enum_type(out, f->enumeration);
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
        enum_type(&body, e);
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
    return rorm__ddl_create_table(out, &rorm__dialect_postgres, &hooks, m, true, err);
}

static int create_table_without_foreign_keys(rorm_str *out, const rorm_model *m, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL, err);
    int rc = create_enums(out, m, err);
    if (rc != RORM_OK) {
        return rc;
    }
    return rorm__ddl_create_table(out, &rorm__dialect_postgres, &hooks, m, false, err);
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

/* ---- migrations --------------------------------------------------------------------------- */

static const rorm_introspect_sql introspect = {
    .tables = "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
              "ON n.oid = c.relnamespace WHERE n.nspname = "
              "COALESCE(NULLIF($1::text, ''), current_schema()) "
              "AND c.relkind IN ('r', 'p') ORDER BY c.relname",
    .columns =
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), "
        "CASE WHEN a.attnotnull THEN 1 ELSE 0 END, "
        "pg_catalog.pg_get_expr(d.adbin, d.adrelid), "
        "CASE WHEN a.attidentity <> '' OR pg_catalog.pg_get_expr(d.adbin, d.adrelid) "
        "LIKE 'nextval(%' THEN 1 ELSE 0 END, 0 "
        "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
        "WHERE n.nspname = COALESCE(NULLIF($2::text, ''), current_schema()) AND c.relname = $1 "
        "AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY a.attnum",
    .indexes =
        "SELECT ic.relname, CASE WHEN ix.indisunique THEN 1 ELSE 0 END, "
        "CASE WHEN ix.indisprimary THEN 1 ELSE 0 END, "
        "pg_catalog.pg_get_indexdef(ix.indexrelid, k.n, true), "
        "(ix.indoption[k.n - 1]::int & 1) "
        "FROM pg_catalog.pg_index ix JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid "
        "JOIN pg_catalog.pg_class ic ON ic.oid = ix.indexrelid "
        "JOIN pg_catalog.pg_namespace ns ON ns.oid = t.relnamespace "
        "CROSS JOIN LATERAL generate_series(1, ix.indnkeyatts) AS k(n) "
        "WHERE ns.nspname = COALESCE(NULLIF($2::text, ''), current_schema()) AND t.relname = $1 "
        "ORDER BY ic.relname, k.n",
    .foreign_keys =
        "SELECT con.conname, con.conname, a.attname, rc.relname, ra.attname, "
        "con.confdeltype::text, con.confupdtype::text, rns.nspname "
        "FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class c ON c.oid = con.conrelid "
        "JOIN pg_catalog.pg_namespace ns ON ns.oid = c.relnamespace "
        "JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid "
        "JOIN pg_catalog.pg_namespace rns ON rns.oid = rc.relnamespace "
        "CROSS JOIN LATERAL generate_subscripts(con.conkey, 1) AS k(n) "
        "JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[k.n] "
        "JOIN pg_catalog.pg_attribute ra ON ra.attrelid = con.confrelid "
        "AND ra.attnum = con.confkey[k.n] "
        "WHERE con.contype = 'f' AND ns.nspname = COALESCE(NULLIF($2::text, ''), current_schema()) "
        "AND c.relname = $1 "
        "ORDER BY con.conname, k.n",
    .enums = "SELECT t.typname, e.enumlabel FROM pg_catalog.pg_type t "
             "JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid "
             "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
             "WHERE n.nspname = COALESCE(NULLIF($1::text, ''), current_schema()) "
             "ORDER BY t.typname, e.enumsortorder",
};

static int column_default(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    return rorm__ddl_column_default(out, &hooks, f, err);
}

static int column_definition(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    return rorm__ddl_column_definition(out, &rorm__dialect_postgres, &hooks, f, err);
}

static void alter_column(rorm_str *out, const rorm_field *f)
{
    rorm__str_puts(out, "ALTER TABLE ");
    rorm__dialect_table(out, &rorm__dialect_postgres, f->model);
    rorm__str_puts(out, " ALTER COLUMN ");
    quote_ident(out, f->column);
}

/* The values of @p op's removed list, as literals: 'a', 'b'. */
static void removed_list(rorm_str *out, const rorm_alter *op)
{
    for (size_t k = 0; k < op->nremoved; k++) {
        rorm__str_puts(out, k ? ", " : "");
        text_literal(out, op->removed[k], strlen(op->removed[k]));
    }
}

static void alter_column_head(rorm_str *out, const rorm_alter_enum_use *u)
{
    rorm__str_puts(out, ";\nALTER TABLE ");
    rorm__dialect_qualified(out, &rorm__dialect_postgres, u->schema, u->table);
    rorm__str_puts(out, " ALTER COLUMN ");
    quote_ident(out, u->column);
}

/*
 * Remove values from an enum type: PostgreSQL cannot drop a value, so a new type with the kept
 * values replaces it. Rows holding a removed value lose it first (NULL, or removed from an
 * array); each column's default is dropped while its type changes and restored after.
 */
static void replace_enum(rorm_str *out, const rorm_alter *op)
{
    const char *name = enum_type_name(op->enumeration);
    char fresh[256], old[256]; /* PostgreSQL names are at most 63 bytes */
    snprintf(fresh, sizeof fresh, "%s_new", name);
    snprintf(old, sizeof old, "%s_old", name);
    const char *schema = op->enumeration->schema_name;
    rorm__str_puts(out, "CREATE TYPE ");
    rorm__dialect_qualified(out, &rorm__dialect_postgres, schema, fresh);
    rorm__str_puts(out, " AS ENUM (");
    const rorm_enum *e = op->enumeration;
    for (size_t k = 0; k < e->db_values.len; k++) {
        rorm__str_puts(out, k ? ", " : "");
        text_literal(out, e->db_values.ptr[k], strlen(e->db_values.ptr[k]));
    }
    rorm__str_putc(out, ')');
    for (size_t i = 0; i < op->nuses; i++) {
        const rorm_alter_enum_use *u = &op->uses[i];
        if (!u->list && !u->nullable) {
            continue;
        }
        rorm__str_puts(out, ";\nUPDATE ");
        rorm__dialect_qualified(out, &rorm__dialect_postgres, u->schema, u->table);
        rorm__str_puts(out, " SET ");
        quote_ident(out, u->column);
        if (u->list) {
            rorm__str_puts(out, " = ARRAY(SELECT v FROM unnest(");
            quote_ident(out, u->column);
            rorm__str_puts(out, ") AS v WHERE v::text NOT IN (");
            removed_list(out, op);
            rorm__str_puts(out, "))");
        } else {
            rorm__str_puts(out, " = NULL");
        }
        rorm__str_puts(out, " WHERE ");
        quote_ident(out, u->column);
        rorm__str_puts(out, u->list ? "::text[] && ARRAY[" : "::text IN (");
        removed_list(out, op);
        rorm__str_puts(out, u->list ? "]::text[]" : ")");
    }
    for (size_t i = 0; i < op->nuses; i++) {
        const rorm_alter_enum_use *u = &op->uses[i];
        if (u->has_default) {
            alter_column_head(out, u);
            rorm__str_puts(out, " DROP DEFAULT");
        }
        alter_column_head(out, u);
        rorm__str_puts(out, " TYPE ");
        rorm__dialect_qualified(out, &rorm__dialect_postgres, schema, fresh);
        rorm__str_puts(out, u->list ? "[] USING (" : " USING (");
        quote_ident(out, u->column);
        rorm__str_puts(out, u->list ? "::text[]::" : "::text::");
        rorm__dialect_qualified(out, &rorm__dialect_postgres, schema, fresh);
        rorm__str_puts(out, u->list ? "[])" : ")");
    }
    rorm__str_puts(out, ";\nALTER TYPE ");
    rorm__dialect_qualified(out, &rorm__dialect_postgres, schema, name);
    rorm__str_puts(out, " RENAME TO ");
    quote_ident(out, old);
    rorm__str_puts(out, ";\nALTER TYPE ");
    rorm__dialect_qualified(out, &rorm__dialect_postgres, schema, fresh);
    rorm__str_puts(out, " RENAME TO ");
    quote_ident(out, name);
    rorm__str_puts(out, ";\nDROP TYPE ");
    rorm__dialect_qualified(out, &rorm__dialect_postgres, schema, old);
    for (size_t i = 0; i < op->nuses; i++) {
        const rorm_alter_enum_use *u = &op->uses[i];
        if (u->def) {
            alter_column_head(out, u);
            rorm__str_puts(out, " SET DEFAULT ");
            rorm__str_puts(out, u->def);
        }
    }
}

static int alter(rorm_str *out, const rorm_alter *op, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && op != NULL, err);
    const rorm_field *f = op->field;
    int rc = RORM_OK;
    switch (op->kind) {
    case RORM_ALTER_ADD_COLUMN:
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_table(out, &rorm__dialect_postgres, f->model);
        rorm__str_puts(out, " ADD COLUMN ");
        quote_ident(out, f->column);
        rorm__str_putc(out, ' ');
        rc = column_definition(out, f, err);
        break;
    case RORM_ALTER_COLUMN_TYPE:
        /* The default goes first: the old one may not cast to the new type. */
        alter_column(out, f);
        rorm__str_puts(out, " DROP DEFAULT;\n");
        alter_column(out, f);
        rorm__str_puts(out, " TYPE ");
        rc = column_type(out, f, err);
        rorm__str_puts(out, " USING ");
        quote_ident(out, f->column);
        rorm__str_puts(out, "::");
        if (rc == RORM_OK) {
            rc = column_type(out, f, err);
        }
        break;
    case RORM_ALTER_COLUMN_NULL:
        alter_column(out, f);
        rorm__str_puts(out, (f->flags & RORM_NULLABLE) ? " DROP NOT NULL" : " SET NOT NULL");
        break;
    case RORM_ALTER_COLUMN_DEFAULT: {
        size_t mark = out->len;
        alter_column(out, f);
        rorm__str_puts(out, " SET DEFAULT ");
        size_t before = out->len;
        rc = column_default(out, f, err);
        if (rc == RORM_OK && out->len == before) {
            rorm__str_truncate(out, mark);
            alter_column(out, f);
            rorm__str_puts(out, " DROP DEFAULT");
        }
        break;
    }
    case RORM_ALTER_DROP_INDEX:
        rorm__str_puts(out, "DROP INDEX ");
        rorm__dialect_qualified(out, &rorm__dialect_postgres, op->schema, op->name);
        break;
    case RORM_ALTER_ADD_FOREIGN_KEY:
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_table(out, &rorm__dialect_postgres, op->model);
        rorm__str_puts(out, " ADD ");
        rc = rorm__ddl_foreign_key(out, &rorm__dialect_postgres, op->model, f, err);
        break;
    case RORM_ALTER_DROP_FOREIGN_KEY:
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_qualified(out, &rorm__dialect_postgres, op->schema, op->table);
        rorm__str_puts(out, " DROP CONSTRAINT ");
        quote_ident(out, op->name);
        break;
    case RORM_ALTER_CREATE_ENUM: {
        const rorm_enum *e = op->enumeration;
        rorm__str_puts(out, "CREATE TYPE ");
        enum_type(out, e);
        rorm__str_puts(out, " AS ENUM (");
        for (size_t k = 0; k < e->db_values.len; k++) {
            if (k) {
                rorm__str_puts(out, ", ");
            }
            text_literal(out, e->db_values.ptr[k], strlen(e->db_values.ptr[k]));
        }
        rorm__str_putc(out, ')');
        break;
    }
    case RORM_ALTER_DROP_ENUM:
        rorm__str_puts(out, "DROP TYPE ");
        rorm__dialect_qualified(out, &rorm__dialect_postgres, op->schema, op->name);
        break;
    case RORM_ALTER_REPLACE_ENUM:
        replace_enum(out, op);
        break;
    case RORM_ALTER_ADD_ENUM_VALUE:
        rorm__str_puts(out, "ALTER TYPE ");
        enum_type(out, op->enumeration);
        rorm__str_puts(out, " ADD VALUE ");
        text_literal(out, op->name, strlen(op->name));
        break;
    default:
        if (rorm__ddl_alter_common(out, &rorm__dialect_postgres, op)) {
            break;
        }
        return rorm__error(err, RORM_EUNSUPPORTED, "unknown schema change %u", op->kind);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

static int create_join_table(rorm_str *out, const rorm_relation *rel, rorm_error *err)
{
    return rorm__ddl_create_join_table(out, &rorm__dialect_postgres, NULL, rel, err);
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
    .table_exists_sql = "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = "
                        "COALESCE(NULLIF($2::text, ''), current_schema()) "
                        "AND tablename = $1",
    .insert_returning = true,
    .introspect = &introspect,
    .column_default = column_default,
    .column_definition = column_definition,
    .alter = alter,
    .create_join_table = create_join_table,
    .create_table_without_foreign_keys = create_table_without_foreign_keys,
    .rebuild_table = NULL,
    .history_table_sql = "CREATE TABLE IF NOT EXISTS \"redi_migrations\" (\n"
                         "    \"id\" SERIAL NOT NULL PRIMARY KEY,\n"
                         "    \"name\" TEXT NOT NULL,\n"
                         "    \"checksum\" TEXT NOT NULL,\n"
                         "    \"sql_applied\" TEXT NOT NULL,\n"
                         "    \"applied_at\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                         "    \"db_type\" TEXT NOT NULL\n)",
};
