/*
 * Dialect lookup, the SQL fragments every dialect writes the same way, and the DDL writer the
 * server dialects (PostgreSQL, MySQL) share: they differ in types, quoting, literals and the
 * autoincrement column, which come in through rorm_ddl_hooks.
 */
#include "dialect/dialect.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rediorm/db.h"
#include "util/alloc.h"
#include "util/error.h"

void rorm__dialect_qualified(rorm_str *out,
                             const rorm_dialect *d,
                             const char *schema,
                             const char *name)
{
    if (schema != NULL) {
        d->quote_ident(out, schema);
        rorm__str_putc(out, '.');
    }
    d->quote_ident(out, name);
}

void rorm__dialect_table(rorm_str *out, const rorm_dialect *d, const rorm_model *m)
{
    rorm__dialect_qualified(out, d, m->schema_name, m->table);
}

const char *rorm__join_table_schema(const rorm_relation *rel)
{
    return rel->join_a_ref != NULL ? rel->join_a_ref->model->schema_name : NULL;
}

void rorm__dialect_join_table(rorm_str *out, const rorm_dialect *d, const rorm_relation *rel)
{
    rorm__dialect_qualified(out, d, rorm__join_table_schema(rel), rel->join_table);
}

const rorm_dialect *rorm__dialect_for_type(unsigned db_type)
{
    switch (db_type) {
    case RORM_DB_SQLITE:
        return &rorm__dialect_sqlite;
    case RORM_DB_POSTGRES:
        return &rorm__dialect_postgres;
    case RORM_DB_MYSQL:
        return &rorm__dialect_mysql;
    default:
        return NULL;
    }
}

void rorm__dialect_column_list(rorm_str *out,
                               const rorm_dialect *d,
                               rorm_field *const *fields,
                               size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            rorm__str_put(out, ", ", 2);
        }
        d->quote_ident(out, fields[i]->column);
    }
}

/* ---- dates -------------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t rorm__ms_from_civil(int64_t year, int mon, int day, int h, int mi, int s, int milli)
{
    int64_t days = days_from_civil(year, mon, day);
    return ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)s * 1000 + milli;
}

void rorm__civil_from_ms(
    int64_t ms, int64_t *year, int *mon, int *day, int *h, int *mi, int *s, int *milli)
{
    int64_t days = ms / 86400000, rem = ms % 86400000;
    if (rem < 0) {
        rem += 86400000;
        days--;
    }
    *milli = (int)(rem % 1000);
    rem /= 1000;
    *s = (int)(rem % 60);
    rem /= 60;
    *mi = (int)(rem % 60);
    *h = (int)(rem / 60);
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*mon <= 2);
}

/* ---- the shared DDL writer ---------------------------------------------------------------- */

static const char *model_name(const rorm_field *f)
{
    return f->model && f->model->name ? f->model->name : "?";
}

/*
 * A column type written in the schema (Unsupported("..."), @db.X(...)) goes into DDL as it is,
 * so it may hold only what type names need: letters, digits, spaces, _ ( ) , . [ ] and
 * identifiers in double quotes or backquotes ("public".geography) - never ; ' \\ or comments.
 */
static bool plain_type_text(const char *t)
{
    if (t == NULL || *t == '\0') {
        return false;
    }
    for (; *t; t++) {
        char c = *t;
        if (c == '"' || c == '`') {
            /* A quoted identifier: a name's characters only (no quote, backslash or ;). */
            const char *q = t + 1;
            while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                   (*q >= '0' && *q <= '9') || *q == '_' || *q == ' ' || *q == '$' || *q == '-' ||
                   (unsigned char)*q >= 0x80) {
                q++;
            }
            if (*q != c || q == t + 1) {
                return false;
            }
            t = q;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == ' ' || c == '_' || c == '(' || c == ')' || c == ',' || c == '.' ||
                  c == '[' || c == ']';
        if (!ok) {
            return false;
        }
    }
    return true;
}

int rorm__ddl_written_type(rorm_str *out, const rorm_field *f, const char *t, rorm_error *err)
{
    if (!plain_type_text(t)) {
        return rorm__error(err, RORM_ESCHEMA,
                           "invalid column type '%s' for field '%s' on model '%s'", t ? t : "",
                           f->name, model_name(f));
    }
    rorm__str_puts(out, t);
    return RORM_OK;
}

const char *rorm__ddl_enum_db_value(const rorm_field *f, const char *value)
{
    const rorm_enum *e = f->enumeration;
    if (e == NULL || e->db_values.len != e->values.len) {
        return value;
    }
    for (size_t i = 0; i < e->values.len; i++) {
        if (strcmp(e->values.ptr[i], value) == 0) {
            return e->db_values.ptr[i];
        }
    }
    return value;
}

int rorm__ddl_literal(rorm_str *out,
                      const rorm_ddl_hooks *h,
                      const rorm_field *f,
                      const rorm_value *v,
                      rorm_error *err)
{
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
        h->datetime_literal(out, v->u.ms);
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
    case RORM_TYPE_JSON: {
        const char *s = v->u.s.ptr ? v->u.s.ptr : "";
        size_t len = v->u.s.ptr ? v->u.s.len : 0;
        if (f->type == RORM_FIELD_ENUM && v->type == RORM_TYPE_TEXT) {
            s = rorm__ddl_enum_db_value(f, s);
            len = strlen(s);
        }
        if (memchr(s, '\0', len) != NULL) {
            return rorm__error(err, RORM_ESCHEMA,
                               "default of field '%s' on model '%s' contains a NUL character",
                               f->name, model_name(f));
        }
        h->text_literal(out, s, len);
        return RORM_OK;
    }
    case RORM_TYPE_BYTES:
        h->bytes_literal(out, v->u.bytes.ptr, v->u.bytes.len);
        return RORM_OK;
    case RORM_TYPE_ARRAY:
    case RORM_TYPE_OBJECT:
        return h->list_literal(out, f, v, err);
    default:
        return rorm__error(err, RORM_ESCHEMA,
                           "default of field '%s' on model '%s' has unknown value type %u", f->name,
                           model_name(f), v->type);
    }
}

static int put_default(rorm_str *out, const rorm_ddl_hooks *h, const rorm_field *f, rorm_error *err)
{
    switch (f->def.kind) {
    case RORM_DEFAULT_VALUE:
        rorm__str_puts(out, " DEFAULT ");
        return rorm__ddl_literal(out, h, f, &f->def.value, err);
    case RORM_DEFAULT_DBGENERATED:
        if (f->def.expr == NULL || f->def.expr[0] == '\0') {
            return RORM_OK;
        }
        rorm__str_puts(out, " DEFAULT (");
        rorm__str_puts(out, f->def.expr);
        rorm__str_putc(out, ')');
        return RORM_OK;
    default:
        return RORM_OK;
    }
}

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

/* Append a name made of the table, the columns and a suffix, quoted as one identifier. */
static void put_derived_name(rorm_str *out,
                             const rorm_dialect *d,
                             const char *table,
                             rorm_field *const *fields,
                             size_t n,
                             const char *suffix)
{
    rorm_str name = RORM_STR_INIT;
    rorm__str_puts(&name, table);
    for (size_t i = 0; i < n; i++) {
        rorm__str_putc(&name, '_');
        rorm__str_puts(&name, fields[i]->column);
    }
    rorm__str_puts(&name, suffix);
    if (rorm__str_oom(&name)) {
        rorm__str_grow(out, SIZE_MAX); /* carry the OOM over */
    } else {
        d->quote_ident(out, name.ptr);
    }
    rorm__str_dispose(&name);
}

static int put_foreign_key(rorm_str *out,
                           const rorm_dialect *d,
                           const rorm_model *m,
                           const rorm_field *f,
                           const rorm_relation *rel,
                           const char *lead,
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
    rorm__str_puts(out, lead);
    if (rel->fk_name != NULL) {
        d->quote_ident(out, rel->fk_name);
    } else {
        put_derived_name(out, d, m->table, rel->fields, rel->nfields, "_fkey");
    }
    rorm__str_puts(out, " FOREIGN KEY (");
    rorm__dialect_column_list(out, d, rel->fields, rel->nfields);
    rorm__str_puts(out, ") REFERENCES ");
    rorm__dialect_table(out, d, rel->model);
    rorm__str_puts(out, " (");
    rorm__dialect_column_list(out, d, rel->references, rel->nfields);
    rorm__str_puts(out, ")");
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

int rorm__ddl_column_definition(rorm_str *out,
                                const rorm_dialect *d,
                                const rorm_ddl_hooks *h,
                                const rorm_field *f,
                                rorm_error *err)
{
    if (is_autoincrement(f) && f->native_type == NULL) {
        h->autoincrement_column(out, f);
        return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
    }
    int error = d->column_type(out, f, err);
    if (error != RORM_OK) {
        return error;
    }
    if (!(f->flags & RORM_NULLABLE)) {
        rorm__str_puts(out, " NOT NULL");
    }
    if ((error = put_default(out, h, f, err)) != RORM_OK) {
        return error;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

int rorm__ddl_column_default(rorm_str *out,
                             const rorm_ddl_hooks *h,
                             const rorm_field *f,
                             rorm_error *err)
{
    size_t len = out->len;
    int error = put_default(out, h, f, err);
    if (error != RORM_OK) {
        return error;
    }
    /* Drop the " DEFAULT " put_default writes first. */
    if (out->len > len) {
        size_t skip = strlen(" DEFAULT ");
        memmove(out->ptr + len, out->ptr + len + skip, out->len - len - skip + 1);
        out->len -= skip;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

int rorm__ddl_foreign_key(
    rorm_str *out, const rorm_dialect *d, const rorm_model *m, const rorm_field *f, rorm_error *err)
{
    RORM_CHECK_ARG(f != NULL && f->relation != NULL && f->relation->model != NULL, err);
    int error = put_foreign_key(out, d, m, f, f->relation, "CONSTRAINT ", err);
    if (error != RORM_OK) {
        return error;
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

static char *derived_name(const char *table, rorm_field *const *fields, size_t n, const char *sfx)
{
    rorm_str name = RORM_STR_INIT;
    rorm__str_puts(&name, table);
    for (size_t i = 0; i < n; i++) {
        rorm__str_putc(&name, '_');
        rorm__str_puts(&name, fields[i] ? fields[i]->column : "");
    }
    rorm__str_puts(&name, sfx);
    return rorm__str_detach(&name);
}

char *rorm__ddl_foreign_key_name(const rorm_model *m, const rorm_relation *rel)
{
    if (rel->fk_name != NULL) {
        return rorm__strdup(rel->fk_name);
    }
    return derived_name(m->table, rel->fields, rel->nfields, "_fkey");
}

char *rorm__ddl_index_name(const rorm_model *m, const rorm_index *index)
{
    if (index->name != NULL) {
        return rorm__strdup(index->name);
    }
    rorm_field *fields[64];
    size_t n = index->nfields < 64 ? index->nfields : 64;
    for (size_t i = 0; i < n; i++) {
        fields[i] = index->fields[i].field;
    }
    return derived_name(m->table, fields, n, index->kind == RORM_INDEX_UNIQUE ? "_key" : "_idx");
}

const char *rorm__ddl_on_delete(const rorm_relation *rel)
{
    const char *a = action_sql(rel->on_delete);
    if (a != NULL) {
        return a;
    }
    for (size_t i = 0; i < rel->nfields; i++) {
        if (rel->fields[i] && (rel->fields[i]->flags & RORM_NULLABLE)) {
            return "SET NULL";
        }
    }
    return "RESTRICT";
}

const char *rorm__ddl_on_update(const rorm_relation *rel)
{
    const char *a = action_sql(rel->on_update);
    return a ? a : "CASCADE";
}

static int join_column(rorm_str *out,
                       const rorm_dialect *d,
                       const char *name,
                       const char *type,
                       const rorm_field *ref,
                       rorm_error *err)
{
    d->quote_ident(out, name);
    rorm__str_putc(out, ' ');
    int rc = type ? rorm__ddl_written_type(out, ref, type, err) : d->column_type(out, ref, err);
    rorm__str_puts(out, " NOT NULL");
    return rc;
}

static void join_fk(
    rorm_str *out, const rorm_dialect *d, const char *name, const char *col, const rorm_field *ref)
{
    rorm__str_puts(out, ",\n    CONSTRAINT ");
    d->quote_ident(out, name);
    rorm__str_puts(out, " FOREIGN KEY (");
    d->quote_ident(out, col);
    rorm__str_puts(out, ") REFERENCES ");
    rorm__dialect_table(out, d, ref->model);
    rorm__str_puts(out, " (");
    d->quote_ident(out, ref->column);
    rorm__str_puts(out, ") ON DELETE CASCADE ON UPDATE CASCADE");
}

int rorm__ddl_create_join_table(rorm_str *out,
                                const rorm_dialect *d,
                                const char *table_suffix,
                                const rorm_relation *rel,
                                rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && rel != NULL, err);
    if (rel->join_table == NULL || rel->join_a_ref == NULL || rel->join_b_ref == NULL ||
        rel->join_ab_name == NULL || rel->join_b_index == NULL || rel->join_a_fkey == NULL ||
        rel->join_b_fkey == NULL) {
        return rorm__error(err, RORM_EUNSUPPORTED,
                           "many-to-many relation '%s' has no join table details",
                           rel->name ? rel->name : "?");
    }
    rorm__str_puts(out, "CREATE TABLE ");
    rorm__dialect_join_table(out, d, rel);
    rorm__str_puts(out, " (\n    ");
    int rc = join_column(out, d, "A", rel->join_a_type, rel->join_a_ref, err);
    rorm__str_puts(out, ",\n    ");
    if (rc == RORM_OK) {
        rc = join_column(out, d, "B", rel->join_b_type, rel->join_b_ref, err);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    if (rel->join_ab_primary) {
        rorm__str_puts(out, ",\n    CONSTRAINT ");
        d->quote_ident(out, rel->join_ab_name);
        rorm__str_puts(out, " PRIMARY KEY (");
        d->quote_ident(out, "A");
        rorm__str_puts(out, ", ");
        d->quote_ident(out, "B");
        rorm__str_putc(out, ')');
    }
    if (rorm__schema_has_fks(rel->join_a_ref->model->schema)) {
        join_fk(out, d, rel->join_a_fkey, "A", rel->join_a_ref);
        join_fk(out, d, rel->join_b_fkey, "B", rel->join_b_ref);
    }
    rorm__str_puts(out, "\n)");
    if (table_suffix) {
        rorm__str_puts(out, table_suffix);
    }
    if (!rel->join_ab_primary) {
        rorm__str_puts(out, ";\nCREATE UNIQUE INDEX ");
        d->quote_ident(out, rel->join_ab_name);
        rorm__str_puts(out, " ON ");
        rorm__dialect_join_table(out, d, rel);
        rorm__str_puts(out, "(");
        d->quote_ident(out, "A");
        rorm__str_puts(out, ", ");
        d->quote_ident(out, "B");
        rorm__str_puts(out, ")");
    }
    rorm__str_puts(out, ";\nCREATE INDEX ");
    d->quote_ident(out, rel->join_b_index);
    rorm__str_puts(out, " ON ");
    rorm__dialect_join_table(out, d, rel);
    rorm__str_puts(out, "(");
    d->quote_ident(out, "B");
    rorm__str_puts(out, ")");
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

int rorm__ddl_create_table(rorm_str *out,
                           const rorm_dialect *d,
                           const rorm_ddl_hooks *h,
                           const rorm_model *m,
                           bool with_foreign_keys,
                           rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL, err);
    int error;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (rorm__field_is_column(f) && is_autoincrement(f) && f->type != RORM_FIELD_INT &&
            f->type != RORM_FIELD_BIGINT) {
            return rorm__error(err, RORM_ESCHEMA,
                               "autoincrement field '%s' on model '%s' must be Int or BigInt",
                               f->name, m->name);
        }
    }
    rorm__str_puts(out, "CREATE TABLE IF NOT EXISTS ");
    rorm__dialect_table(out, d, m);
    rorm__str_puts(out, " (");
    bool first = true;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (!rorm__field_is_column(f)) {
            continue;
        }
        rorm__str_puts(out, first ? "\n    " : ",\n    ");
        first = false;
        d->quote_ident(out, f->column);
        rorm__str_putc(out, ' ');
        if ((error = rorm__ddl_column_definition(out, d, h, f, err)) != RORM_OK) {
            return error;
        }
    }
    if (m->pk.len > 0) {
        rorm__str_puts(out, ",\n    CONSTRAINT ");
        if (m->pk_name != NULL) {
            d->quote_ident(out, m->pk_name);
        } else {
            put_derived_name(out, d, m->table, NULL, 0, "_pkey");
        }
        rorm__str_puts(out, " PRIMARY KEY (");
        rorm__dialect_column_list(out, d, m->pk.ptr, m->pk.len);
        rorm__str_putc(out, ')');
    }
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        const rorm_relation *rel = f->relation;
        if (!with_foreign_keys || f->type != RORM_FIELD_RELATION || rel == NULL ||
            rel->nfields == 0 || rel->model == NULL || !rorm__schema_has_fks(m->schema)) {
            continue;
        }
        if ((error = put_foreign_key(out, d, m, f, rel, ",\n    CONSTRAINT ", err)) != RORM_OK) {
            return error;
        }
    }
    rorm__str_puts(out, "\n)");
    if (h->table_suffix) {
        rorm__str_puts(out, h->table_suffix);
    }
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

int rorm__ddl_create_index(rorm_str *out,
                           const rorm_dialect *d,
                           const rorm_ddl_hooks *h,
                           const rorm_model *m,
                           const rorm_index *index,
                           rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL && m != NULL && index != NULL, err);
    if (index->nfields == 0) {
        return rorm__error(err, RORM_ESCHEMA, "index '%s' on model '%s' has no fields",
                           index->name ? index->name : "", m->name);
    }
    rorm_field *fields[64];
    if (index->nfields > 64) {
        return rorm__error(err, RORM_EUNSUPPORTED, "index on model '%s' has too many fields",
                           m->name);
    }
    for (size_t i = 0; i < index->nfields; i++) {
        if (index->fields[i].field == NULL) {
            const char *name = index->fields[i].name;
            return rorm__error(
                err, RORM_ESCHEMA,
                "index on model '%s' names unresolved field '%s' (validate the schema first)",
                m->name, name ? name : "?");
        }
        fields[i] = index->fields[i].field;
    }
    bool unique = index->kind == RORM_INDEX_UNIQUE;
    bool fulltext = index->kind == RORM_INDEX_FULLTEXT;
    rorm__str_puts(out, unique     ? "CREATE UNIQUE INDEX "
                        : fulltext ? "CREATE FULLTEXT INDEX "
                                   : "CREATE INDEX ");
    if (h->index_if_not_exists) {
        rorm__str_puts(out, "IF NOT EXISTS ");
    }
    if (index->name != NULL) {
        d->quote_ident(out, index->name);
    } else {
        put_derived_name(out, d, m->table, fields, index->nfields, unique ? "_key" : "_idx");
    }
    rorm__str_puts(out, " ON ");
    rorm__dialect_table(out, d, m);
    rorm__str_putc(out, '(');
    for (size_t i = 0; i < index->nfields; i++) {
        if (i > 0) {
            rorm__str_puts(out, ", ");
        }
        d->quote_ident(out, fields[i]->column);
        if (h->index_prefix_length && index->fields[i].length > 0) {
            rorm__str_printf(out, "(%d)", index->fields[i].length);
        }
        if (index->fields[i].sort < 0) {
            rorm__str_puts(out, " DESC");
        }
    }
    rorm__str_putc(out, ')');
    return rorm__str_oom(out) ? rorm__error_oom(err) : RORM_OK;
}

bool rorm__ddl_alter_common(rorm_str *out, const rorm_dialect *d, const rorm_alter *op)
{
    switch (op->kind) {
    case RORM_ALTER_RENAME_TABLE:
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_qualified(out, d, op->schema, op->table);
        rorm__str_puts(out, " RENAME TO ");
        d->quote_ident(out, op->to);
        return true;
    case RORM_ALTER_RENAME_COLUMN:
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_qualified(out, d, op->schema, op->table);
        rorm__str_puts(out, " RENAME COLUMN ");
        d->quote_ident(out, op->name);
        rorm__str_puts(out, " TO ");
        d->quote_ident(out, op->to);
        return true;
    case RORM_ALTER_DROP_COLUMN:
        /* On SQLite (3.35+) only for a column no index, key or constraint uses (the rollback of
           an added column); the plan rebuilds the table for everything else. */
        rorm__str_puts(out, "ALTER TABLE ");
        rorm__dialect_qualified(out, d, op->schema, op->table);
        rorm__str_puts(out, " DROP COLUMN ");
        d->quote_ident(out, op->name);
        return true;
    case RORM_ALTER_DROP_TABLE:
        rorm__str_puts(out, "DROP TABLE ");
        rorm__dialect_qualified(out, d, op->schema, op->table);
        return true;
    default:
        return false;
    }
}
