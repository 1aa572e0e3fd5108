/*
 * The SQLite dialect: double-quoted identifiers, `?` placeholders, SQLite column types and the
 * DDL for tables and indexes in the shape Prisma's migrations use, so that a database created by
 * either reads the same. Values never appear in the SQL, with one exception: column defaults in
 * CREATE TABLE, which are rendered as SQL literals here (numbers checked, text quoted).
 */
#include "dialect/dialect.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rediorm/db.h"
#include "rediorm/sys/driver.h"
#include "util/alloc.h"
#include "util/error.h"

/* ---- identifiers -------------------------------------------------------------------------- */

/* Append @p s with every double quote doubled (the inside of a quoted identifier). */
static void put_ident_part(rorm_str *out, const char *s)
{
    if (s == NULL) {
        return;
    }
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        rorm__str_put(out, s, (size_t)(q - s) + 1);
        rorm__str_putc(out, '"');
    }
    rorm__str_puts(out, s);
}

static void quote_ident(rorm_str *out, const char *name)
{
    rorm__str_putc(out, '"');
    put_ident_part(out, name);
    rorm__str_putc(out, '"');
}

static void placeholder(rorm_str *out, size_t n)
{
    (void)n;
    rorm__str_putc(out, '?');
}

static const char *model_name(const rorm_field *f)
{
    return f->model && f->model->name ? f->model->name : "?";
}

/* ---- column types ------------------------------------------------------------------------- */

static int column_type(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && f != NULL, err);
    if (f->native_type != NULL) {
        return rorm__ddl_written_type(out, f, f->native_type, err);
    }
    if ((f->flags & RORM_LIST) && f->type != RORM_FIELD_RELATION) {
        rorm__str_puts(out, "TEXT"); /* scalar lists are stored as JSON text */
        return RORM_OK;
    }
    const char *t;
    switch (f->type) {
    case RORM_FIELD_STRING:
    case RORM_FIELD_ENUM:
    case RORM_FIELD_JSON:
        t = "TEXT";
        break;
    case RORM_FIELD_INT:
    case RORM_FIELD_BIGINT:
        t = "INTEGER";
        break;
    case RORM_FIELD_FLOAT:
        t = "REAL";
        break;
    case RORM_FIELD_DECIMAL:
        t = "DECIMAL";
        break;
    case RORM_FIELD_BOOL:
        t = "BOOLEAN";
        break;
    case RORM_FIELD_DATETIME:
        t = "DATETIME";
        break;
    case RORM_FIELD_BYTES:
        t = "BLOB";
        break;
    case RORM_FIELD_UNSUPPORTED:
        return rorm__ddl_written_type(out, f, f->unsupported, err);
    case RORM_FIELD_RELATION:
        return rorm__error(err, RORM_EINVAL,
                           "field '%s' on model '%s' is a relation and has no column", f->name,
                           model_name(f));
    default:
        return rorm__error(err, RORM_ESCHEMA, "field '%s' on model '%s' has unknown type %u",
                           f->name, model_name(f), f->type);
    }
    rorm__str_puts(out, t);
    return RORM_OK;
}

/* ---- default values ----------------------------------------------------------------------- */

/* Append a single-quoted SQL string literal, quotes doubled. */
static int
put_text_literal(rorm_str *out, const char *s, size_t len, const rorm_field *f, rorm_error *err)
{
    if (s == NULL) {
        s = "";
        len = 0;
    }
    if (memchr(s, '\0', len) != NULL) {
        return rorm__error(err, RORM_ESCHEMA,
                           "default of field '%s' on model '%s' contains a NUL character", f->name,
                           model_name(f));
    }
    rorm__str_putc(out, '\'');
    const char *end = s + len;
    for (const char *q; (q = memchr(s, '\'', (size_t)(end - s))) != NULL; s = q + 1) {
        rorm__str_put(out, s, (size_t)(q - s) + 1);
        rorm__str_putc(out, '\'');
    }
    rorm__str_put(out, s, (size_t)(end - s));
    rorm__str_putc(out, '\'');
    return RORM_OK;
}

static int put_literal(rorm_str *out, const rorm_field *f, const rorm_value *v, rorm_error *err)
{
    static const char hex[] = "0123456789ABCDEF";
    switch (v->type) {
    case RORM_TYPE_NULL:
        rorm__str_puts(out, "NULL");
        return RORM_OK;
    case RORM_TYPE_BOOL:
        rorm__str_puts(out, v->u.b ? "true" : "false");
        return RORM_OK;
    case RORM_TYPE_INT:
        rorm__str_put_int(out, v->u.i);
        return RORM_OK;
    case RORM_TYPE_DATETIME:
        rorm__str_put_int(out, v->u.ms); /* stored as INTEGER milliseconds */
        return RORM_OK;
    case RORM_TYPE_DOUBLE: {
        char buf[32];
        if (!isfinite(v->u.d)) {
            return rorm__error(err, RORM_ESCHEMA,
                               "default of field '%s' on model '%s' is not a finite number",
                               f->name, model_name(f));
        }
        snprintf(buf, sizeof buf, "%.17g", v->u.d);
        rorm__str_puts(out, buf);
        return RORM_OK;
    }
    case RORM_TYPE_DECIMAL:
        if (v->u.s.ptr == NULL || !rorm__decimal_literal(v->u.s.ptr, v->u.s.len)) {
            return rorm__error(err, RORM_ESCHEMA,
                               "default of field '%s' on model '%s' is not a decimal number",
                               f->name, model_name(f));
        }
        rorm__str_put(out, v->u.s.ptr, v->u.s.len);
        return RORM_OK;
    case RORM_TYPE_TEXT:
        if (f->type == RORM_FIELD_ENUM && v->u.s.ptr != NULL) {
            const char *db = rorm__ddl_enum_db_value(f, v->u.s.ptr);
            return put_text_literal(out, db, strlen(db), f, err);
        }
        return put_text_literal(out, v->u.s.ptr, v->u.s.len, f, err);
    case RORM_TYPE_JSON:
        return put_text_literal(out, v->u.s.ptr, v->u.s.len, f, err);
    case RORM_TYPE_BYTES:
        rorm__str_puts(out, "X'");
        for (size_t i = 0; i < v->u.bytes.len; i++) {
            rorm__str_putc(out, hex[v->u.bytes.ptr[i] >> 4]);
            rorm__str_putc(out, hex[v->u.bytes.ptr[i] & 0xf]);
        }
        rorm__str_putc(out, '\'');
        return RORM_OK;
    case RORM_TYPE_ARRAY:
    case RORM_TYPE_OBJECT: {
        /* Scalar lists live in JSON text, so their default is JSON text too. */
        char *json = NULL;
        size_t len = 0;
        int error = rorm_value_to_json(&json, &len, v);
        if (error == RORM_ENOMEM) {
            return rorm__error_oom(err);
        }
        if (error != RORM_OK) {
            return rorm__error(err, RORM_ESCHEMA,
                               "default of field '%s' on model '%s' has no JSON form", f->name,
                               model_name(f));
        }
        error = put_text_literal(out, json, len, f, err);
        rorm_free(json);
        return error;
    }
    default:
        return rorm__error(err, RORM_ESCHEMA,
                           "default of field '%s' on model '%s' has unknown value type %u", f->name,
                           model_name(f), v->type);
    }
}

/*
 * Append " DEFAULT ..." when the database supplies the default. now(), uuid(), cuid() and the
 * other generated defaults are filled in by the library on insert, so they have no SQL default.
 */
static int put_default(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    switch (f->def.kind) {
    case RORM_DEFAULT_VALUE:
        rorm__str_puts(out, " DEFAULT ");
        return put_literal(out, f, &f->def.value, err);
    case RORM_DEFAULT_DBGENERATED:
        if (f->def.expr == NULL || f->def.expr[0] == '\0') {
            return RORM_OK; /* dbgenerated() without an expression: the column has its own */
        }
        rorm__str_puts(out, " DEFAULT (");
        rorm__str_puts(out, f->def.expr);
        rorm__str_putc(out, ')');
        return RORM_OK;
    default:
        return RORM_OK;
    }
}

/* ---- tables ------------------------------------------------------------------------------- */

static bool is_autoincrement(const rorm_field *f)
{
    return (f->flags & RORM_AUTOINCREMENT) || f->def.kind == RORM_DEFAULT_AUTOINCREMENT;
}

static const char *action_sql(unsigned action)
{
    switch (action) {
    case RORM_ACTION_CASCADE:
        return "CASCADE";
    case RORM_ACTION_RESTRICT:
        return "RESTRICT";
    case RORM_ACTION_NO_ACTION:
        return "NO ACTION";
    case RORM_ACTION_SET_NULL:
        return "SET NULL";
    case RORM_ACTION_SET_DEFAULT:
        return "SET DEFAULT";
    default:
        return NULL;
    }
}

static void field_columns(rorm_str *out, rorm_field *const *fields, size_t n)
{
    rorm__dialect_column_list(out, &rorm__dialect_sqlite, fields, n);
}

/* Append ",\n    CONSTRAINT ... FOREIGN KEY ..." for the owning side of @p rel. */
static int put_foreign_key(rorm_str *out,
                           const rorm_model *m,
                           const rorm_field *f,
                           const rorm_relation *rel,
                           rorm_error *err)
{
    if (rel->nreferences != rel->nfields || rel->references == NULL || rel->fields == NULL) {
        return rorm__error(err, RORM_ESCHEMA,
                           "relation '%s' on model '%s' has %zu fields but %zu references", f->name,
                           m->name, rel->nfields, rel->nreferences);
    }
    for (size_t i = 0; i < rel->nfields; i++) {
        if (rel->fields[i] == NULL || rel->references[i] == NULL) {
            return rorm__error(
                err, RORM_ESCHEMA,
                "relation '%s' on model '%s' is not resolved (validate the schema first)", f->name,
                m->name);
        }
    }

    rorm__str_puts(out, ",\n    CONSTRAINT \"");
    if (rel->fk_name != NULL) {
        put_ident_part(out, rel->fk_name);
    } else {
        /* Prisma's default name: table_column(s)_fkey. */
        put_ident_part(out, m->table);
        for (size_t i = 0; i < rel->nfields; i++) {
            rorm__str_putc(out, '_');
            put_ident_part(out, rel->fields[i]->column);
        }
        rorm__str_puts(out, "_fkey");
    }
    rorm__str_puts(out, "\" FOREIGN KEY (");
    field_columns(out, rel->fields, rel->nfields);
    rorm__str_puts(out, ") REFERENCES ");
    rorm__dialect_table(out, &rorm__dialect_sqlite, rel->model);
    rorm__str_puts(out, " (");
    field_columns(out, rel->references, rel->nfields);
    rorm__str_puts(out, ")");

    /* Prisma's defaults: SET NULL when the key may be NULL, else RESTRICT; updates cascade. */
    const char *on_delete = action_sql(rel->on_delete);
    if (on_delete == NULL) {
        on_delete = "RESTRICT";
        for (size_t i = 0; i < rel->nfields; i++) {
            if (rel->fields[i]->flags & RORM_NULLABLE) {
                on_delete = "SET NULL";
            }
        }
    }
    const char *on_update = action_sql(rel->on_update);
    rorm__str_puts(out, " ON DELETE ");
    rorm__str_puts(out, on_delete);
    rorm__str_puts(out, " ON UPDATE ");
    rorm__str_puts(out, on_update ? on_update : "CASCADE");
    return RORM_OK;
}

/* The single autoincrement key field, NULL when there is none; an error when it cannot be one. */
static int autoincrement_key(const rorm_field **out, const rorm_model *m, rorm_error *err)
{
    *out = NULL;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (!rorm__field_is_column(f) || !is_autoincrement(f)) {
            continue;
        }
        if (m->pk.len != 1 || m->pk.ptr[0] != f) {
            return rorm__error(
                err, RORM_EUNSUPPORTED,
                "autoincrement field '%s' on model '%s' must be the only primary-key field on SQLite",
                f->name, m->name);
        }
        if (f->type != RORM_FIELD_INT && f->type != RORM_FIELD_BIGINT) {
            return rorm__error(err, RORM_ESCHEMA,
                               "autoincrement field '%s' on model '%s' must be Int or BigInt",
                               f->name, m->name);
        }
        *out = f;
    }
    return RORM_OK;
}

static int create_table(rorm_str *out, const rorm_model *m, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL, err);
    const rorm_field *autoinc;
    int error = autoincrement_key(&autoinc, m, err);
    if (error != RORM_OK) {
        return error;
    }

    rorm__str_puts(out, "CREATE TABLE IF NOT EXISTS ");
    rorm__dialect_table(out, &rorm__dialect_sqlite, m);
    rorm__str_puts(out, " (");
    bool first = true;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (!rorm__field_is_column(f)) {
            continue;
        }
        rorm__str_puts(out, first ? "\n    " : ",\n    ");
        first = false;
        quote_ident(out, f->column);
        rorm__str_putc(out, ' ');
        if (f == autoinc) {
            /* Only INTEGER PRIMARY KEY makes the rowid alias that AUTOINCREMENT needs. */
            rorm__str_puts(out, "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT");
            continue;
        }
        if ((error = column_type(out, f, err)) != RORM_OK) {
            return error;
        }
        if (!(f->flags & RORM_NULLABLE)) {
            rorm__str_puts(out, " NOT NULL");
        }
        if ((error = put_default(out, f, err)) != RORM_OK) {
            return error;
        }
    }

    if (autoinc == NULL && m->pk.len > 0) {
        rorm__str_puts(out, ",\n    CONSTRAINT \"");
        if (m->pk_name != NULL) {
            put_ident_part(out, m->pk_name);
        } else {
            put_ident_part(out, m->table);
            rorm__str_puts(out, "_pkey");
        }
        rorm__str_puts(out, "\" PRIMARY KEY (");
        field_columns(out, m->pk.ptr, m->pk.len);
        rorm__str_putc(out, ')');
    }

    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        const rorm_relation *rel = f->relation;
        if (f->type != RORM_FIELD_RELATION || rel == NULL || rel->nfields == 0 ||
            rel->model == NULL || !rorm__schema_has_fks(m->schema)) {
            continue;
        }
        if ((error = put_foreign_key(out, m, f, rel, err)) != RORM_OK) {
            return error;
        }
    }
    rorm__str_puts(out, "\n)");
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

/* ---- indexes ------------------------------------------------------------------------------ */

static int
create_index(rorm_str *out, const rorm_model *m, const rorm_index *index, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL && index != NULL, err);
    if (index->kind == RORM_INDEX_FULLTEXT) {
        return rorm__error(err, RORM_EUNSUPPORTED,
                           "full-text index '%s' on model '%s' is not supported on SQLite",
                           index->name ? index->name : "", m->name);
    }
    if (index->nfields == 0) {
        return rorm__error(err, RORM_ESCHEMA, "index '%s' on model '%s' has no fields",
                           index->name ? index->name : "", m->name);
    }
    for (size_t i = 0; i < index->nfields; i++) {
        if (index->fields[i].field == NULL) {
            const char *name = index->fields[i].name;
            return rorm__error(
                err, RORM_ESCHEMA,
                "index on model '%s' names unresolved field '%s' (validate the schema first)",
                m->name, name ? name : "?");
        }
    }

    bool unique = index->kind == RORM_INDEX_UNIQUE;
    rorm__str_puts(out, unique ? "CREATE UNIQUE INDEX IF NOT EXISTS \""
                               : "CREATE INDEX IF NOT EXISTS \"");
    if (index->name != NULL) {
        put_ident_part(out, index->name);
    } else {
        /* Prisma's default name: table_column(s)_key for unique, _idx otherwise. */
        put_ident_part(out, m->table);
        for (size_t i = 0; i < index->nfields; i++) {
            rorm__str_putc(out, '_');
            put_ident_part(out, index->fields[i].field->column);
        }
        rorm__str_puts(out, unique ? "_key" : "_idx");
    }
    rorm__str_puts(out, "\" ON ");
    rorm__dialect_table(out, &rorm__dialect_sqlite, m);
    rorm__str_putc(out, '(');
    for (size_t i = 0; i < index->nfields; i++) {
        if (i > 0) {
            rorm__str_puts(out, ", ");
        }
        quote_ident(out, index->fields[i].field->column);
        if (index->fields[i].sort < 0) {
            rorm__str_puts(out, " DESC");
        }
    }
    rorm__str_putc(out, ')');
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

/* ---- migrations --------------------------------------------------------------------------- */

static const rorm_introspect_sql introspect = {
    .tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
              "ORDER BY name",
    .columns = "SELECT p.name, p.type, p.\"notnull\", p.dflt_value, "
               "CASE WHEN p.pk = 1 AND upper(p.type) = 'INTEGER' AND (SELECT upper(m.sql) FROM "
               "sqlite_master m WHERE m.type = 'table' AND m.name = ?1) LIKE '%AUTOINCREMENT%' "
               "THEN 1 ELSE 0 END, p.pk FROM pragma_table_info(?1) p ORDER BY p.cid",
    .indexes = "SELECT il.name, il.\"unique\", CASE WHEN il.origin = 'pk' THEN 1 ELSE 0 END, "
               "ii.name, ii.\"desc\" FROM pragma_index_list(?1) il "
               "JOIN pragma_index_xinfo(il.name) ii WHERE ii.key = 1 "
               "ORDER BY il.name, ii.seqno",
    .foreign_keys = "SELECT f.id, NULL, f.\"from\", f.\"table\", f.\"to\", f.on_delete, "
                    "f.on_update FROM pragma_foreign_key_list(?1) f ORDER BY f.id, f.seq",
    .enums = NULL,
};

static int column_default(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    size_t len = out->len;
    int error = put_default(out, f, err);
    if (error != RORM_OK) {
        return error;
    }
    if (out->len > len) {
        size_t skip = strlen(" DEFAULT ");
        memmove(out->ptr + len, out->ptr + len + skip, out->len - len - skip + 1);
        out->len -= skip;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

static int column_definition(rorm_str *out, const rorm_field *f, rorm_error *err)
{
    int error = column_type(out, f, err);
    if (error != RORM_OK) {
        return error;
    }
    if (!(f->flags & RORM_NULLABLE)) {
        rorm__str_puts(out, " NOT NULL");
    }
    if ((error = put_default(out, f, err)) != RORM_OK) {
        return error;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

/* ALTER TABLE on SQLite adds columns and drops whole tables and indexes; every other change is
   a table rebuild (rebuild_table). */
static int alter(rorm_str *out, const rorm_alter *op, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && op != NULL, err);
    int rc = RORM_OK;
    switch (op->kind) {
    case RORM_ALTER_ADD_COLUMN:
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_table(out, &rorm__dialect_sqlite, op->field->model);
        rorm__str_puts(out, " ADD COLUMN ");
        quote_ident(out, op->field->column);
        rorm__str_putc(out, ' ');
        rc = column_definition(out, op->field, err);
        break;
    case RORM_ALTER_DROP_INDEX:
        rorm__str_puts(out, "DROP INDEX ");
        quote_ident(out, op->name);
        break;
    default:
        if (rorm__ddl_alter_common(out, &rorm__dialect_sqlite, op)) {
            break;
        }
        return rorm__error(err, RORM_EUNSUPPORTED,
                           "schema change %u needs a table rebuild on SQLite", op->kind);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

static int rebuild_table(
    rorm_str *out, const rorm_model *m, const char *const *copy, size_t ncopy, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL && (copy != NULL || ncopy == 0), err);
    rorm_str tmp_name = RORM_STR_INIT, create = RORM_STR_INIT, prefix = RORM_STR_INIT;
    rorm__str_puts(&tmp_name, "_rorm_new_");
    rorm__str_puts(&tmp_name, m->table);
    int rc = create_table(&create, m, err);
    /* create_table names the model's table: put the temporary name in its place. */
    rorm__str_puts(&prefix, "CREATE TABLE IF NOT EXISTS ");
    rorm__dialect_table(&prefix, &rorm__dialect_sqlite, m);
    if (rc == RORM_OK &&
        (rorm__str_oom(&create) || rorm__str_oom(&prefix) || rorm__str_oom(&tmp_name))) {
        rc = rorm__error_oom(err);
    }
    if (rc == RORM_OK && strncmp(create.ptr, prefix.ptr, prefix.len) != 0) {
        rc = rorm__error(err, RORM_EINVAL, "unexpected CREATE TABLE text for '%s'", m->table);
    }
    if (rc == RORM_OK) {
        rorm__str_puts(out, "CREATE TABLE ");
        quote_ident(out, tmp_name.ptr);
        rorm__str_puts(out, create.ptr + prefix.len);
        rorm__str_puts(out, ";\n");
        if (ncopy > 0) {
            rorm__str_puts(out, "INSERT INTO ");
            quote_ident(out, tmp_name.ptr);
            rorm__str_puts(out, " (");
            for (size_t i = 0; i < ncopy; i++) {
                rorm__str_puts(out, i ? ", " : "");
                quote_ident(out, copy[i]);
            }
            rorm__str_puts(out, ") SELECT ");
            for (size_t i = 0; i < ncopy; i++) {
                rorm__str_puts(out, i ? ", " : "");
                quote_ident(out, copy[i]);
            }
            rorm__str_puts(out, " FROM ");
            rorm__dialect_table(out, &rorm__dialect_sqlite, m);
            rorm__str_puts(out, ";\n");
        }
        rorm__str_puts(out, "DROP TABLE ");
        rorm__dialect_table(out, &rorm__dialect_sqlite, m);
        rorm__str_puts(out, ";\nALTER TABLE ");
        quote_ident(out, tmp_name.ptr);
        rorm__str_puts(out, " RENAME TO ");
        rorm__dialect_table(out, &rorm__dialect_sqlite, m);
    }
    for (size_t i = 0; rc == RORM_OK && i < m->indexes.len; i++) {
        rorm__str_puts(out, ";\n");
        rc = create_index(out, m, m->indexes.ptr[i], err);
    }
    rorm__str_dispose(&tmp_name);
    rorm__str_dispose(&create);
    rorm__str_dispose(&prefix);
    if (rc != RORM_OK) {
        return rc;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

static int create_join_table(rorm_str *out, const rorm_relation *rel, rorm_error *err)
{
    return rorm__ddl_create_join_table(out, &rorm__dialect_sqlite, NULL, rel, err);
}

/* ---- queries ------------------------------------------------------------------------------ */

static void limit_offset(rorm_str *out, int64_t limit, int64_t offset)
{
    if (limit < 0 && offset <= 0) {
        return;
    }
    rorm__str_puts(out, " LIMIT ");
    /* SQLite has no OFFSET without LIMIT; a negative limit means no limit. */
    rorm__str_put_int(out, limit < 0 ? -1 : limit);
    if (offset > 0) {
        rorm__str_puts(out, " OFFSET ");
        rorm__str_put_int(out, offset);
    }
}

const rorm_dialect rorm__dialect_sqlite = {
    .name = "sqlite",
    .db_type = RORM_DB_SQLITE,
    .caps = RORM_CAP_RETURNING | RORM_CAP_SAVEPOINTS | RORM_CAP_TRANSACTIONAL_DDL |
            RORM_CAP_UPSERT_ON_CONFLICT,
    .quote_ident = quote_ident,
    .placeholder = placeholder,
    .column_type = column_type,
    .create_table = create_table,
    .create_index = create_index,
    .limit_offset = limit_offset,
    /* IMMEDIATE takes the write lock at BEGIN: two pooled connections that both read and then
       write would otherwise deadlock on the lock upgrade (one gets SQLITE_BUSY at once). */
    .begin_sql = "BEGIN IMMEDIATE",
    .commit_sql = "COMMIT",
    .rollback_sql = "ROLLBACK",
    .table_exists_sql = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
    .introspect = &introspect,
    .column_default = column_default,
    .column_definition = column_definition,
    .alter = alter,
    .create_join_table = create_join_table,
    .rebuild_table = rebuild_table,
    .history_table_sql = "CREATE TABLE IF NOT EXISTS \"redi_migrations\" (\n"
                         "    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n"
                         "    \"name\" TEXT NOT NULL,\n"
                         "    \"checksum\" TEXT NOT NULL,\n"
                         "    \"sql_applied\" TEXT NOT NULL,\n"
                         "    \"applied_at\" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
                         "    \"db_type\" TEXT NOT NULL\n)",
};
