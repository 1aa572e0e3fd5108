/*
 * Mapping a validated Prisma AST to the schema model, with Prisma's names: tables and columns
 * as written unless @@map/@map say otherwise; constraint names `<table>_pkey`,
 * `<table>_<columns>_key`, `_idx`, `_fkey` shortened to the provider's identifier limit;
 * implicit many-to-many join tables `_AToB` with their columns and constraint names; each
 * column's database type (db_type); and Prisma's default referential actions.
 *
 * Models and fields are created through the schema builder; what the builder has no parameter
 * for (documentation, native and column types, index details, constraint names, join tables)
 * is filled into the internal structs right after.
 */
#include "prisma/prisma.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema/schema.h"
#include "util/alloc.h"
#include "util/error.h"

/* ---- Names ----------------------------------------------------------------------------------- */

static size_t identifier_limit(const char *provider)
{
    if (!provider) {
        return 0;
    }
    if (strcmp(provider, "postgresql") == 0 || strcmp(provider, "cockroachdb") == 0) {
        return 63;
    }
    if (strcmp(provider, "mysql") == 0) {
        return 64;
    }
    return 0; // SQLite has no practical limit
}

char *rorm__prisma_constraint_name(const char *provider,
                                   const char *table,
                                   const char *const *cols,
                                   size_t ncols,
                                   const char *suffix)
{
    rorm_str s = RORM_STR_INIT;
    rorm__str_puts(&s, table);
    for (size_t i = 0; i < ncols; i++) {
        rorm__str_putc(&s, '_');
        rorm__str_puts(&s, cols[i]);
    }
    size_t limit = identifier_limit(provider);
    size_t slen = strlen(suffix) + 1;
    if (limit > slen && s.len > limit - slen) {
        /* Cut on a character boundary so the name stays valid UTF-8. */
        size_t cut = limit - slen;
        while (cut > 0 && ((unsigned char)s.ptr[cut] & 0xC0) == 0x80) {
            cut--;
        }
        rorm__str_truncate(&s, cut);
    }
    rorm__str_putc(&s, '_');
    rorm__str_puts(&s, suffix);
    if (rorm__str_oom(&s)) {
        rorm__str_dispose(&s);
        return NULL;
    }
    return rorm__str_detach(&s);
}

/* ---- Helpers --------------------------------------------------------------------------------- */

typedef struct mctx {
    const rorm__pconfig *cfg;
    const rorm__pschema *ps;
    rorm_diagnostics *d;
    rorm_schema *schema;
    const char *ds_name;
    rorm_error *err;
    int rc;
} mctx;

static const rorm__expr *attr_arg(const rorm__attr *a, const char *name, int pos)
{
    const rorm__arg *arg = a ? rorm__args_find(&a->args, name, pos) : NULL;
    return arg ? &arg->value : NULL;
}

static const char *attr_string(const rorm__attr_vec *attrs, const char *attr, const char *arg)
{
    const rorm__expr *e = attr_arg(rorm__attr_find(attrs, attr), arg, 0);
    return e && e->kind == RORM_EXPR_STRING ? e->text : NULL;
}

static const char *named_string(const rorm__attr *a, const char *arg)
{
    const rorm__expr *e = attr_arg(a, arg, -1);
    return e && e->kind == RORM_EXPR_STRING ? e->text : NULL;
}

static bool set_str(mctx *c, char **slot, const char *value)
{
    if (!value) {
        return true;
    }
    char *copy = rorm__strdup(value);
    if (!copy) {
        c->rc = rorm__error_oom(c->err);
        return false;
    }
    rorm__free(*slot);
    *slot = copy;
    return true;
}

static bool set_owned(mctx *c, char **slot, char *value)
{
    if (!value) {
        c->rc = rorm__error_oom(c->err);
        return false;
    }
    rorm__free(*slot);
    *slot = value;
    return true;
}

/* A builder call failed: OOM stays OOM, anything else becomes a diagnostic at @p at. */
static void builder_failed(mctx *c, int rc, rorm__span at, rorm_error *e)
{
    if (rc == RORM_ENOMEM) {
        c->rc = rorm__error_oom(c->err);
        return;
    }
    rorm__perr(c->d, at, "%s", e->message);
    if (c->rc == RORM_OK) {
        c->rc = RORM_ESCHEMA;
    }
}

/* The `@db.X(...)` attribute of @p f, or NULL. */
static const rorm__attr *native_attr(const mctx *c, const rorm__pfield *f)
{
    for (size_t i = 0; c->ds_name && i < f->attrs.len; i++) {
        const rorm__attr *a = &f->attrs.ptr[i];
        const char *dot = strchr(a->name, '.');
        if (dot && (size_t)(dot - a->name) == strlen(c->ds_name) &&
            strncmp(a->name, c->ds_name, (size_t)(dot - a->name)) == 0) {
            return a;
        }
    }
    return NULL;
}

/*
 * The native type of @db.VarChar(255) as "VarChar(255)", followed in the same allocation by its
 * SQL text "varchar(255)" after the terminating NUL (rorm_field.db_type points there, so both
 * are freed with native_type); *sql_out is NULL when the provider does not know the type.
 */
static char *native_type_text(const mctx *c, const rorm__attr *a, const char **sql_out)
{
    const char *name = strchr(a->name, '.') + 1;
    const char *args[2];
    size_t nargs = 0;
    rorm_str s = RORM_STR_INIT;
    rorm__str_puts(&s, name);
    if (a->has_args && a->args.len > 0) { /* `@db.Text()` is `Text` */
        rorm__str_putc(&s, '(');
        for (size_t k = 0; k < a->args.len; k++) {
            const rorm__expr *e = &a->args.items[k].value;
            if (k > 0) {
                rorm__str_putc(&s, ',');
            }
            rorm__str_puts(&s, e->text ? e->text : "");
            if (nargs < 2) {
                args[nargs++] = e->text ? e->text : "";
            }
        }
        rorm__str_putc(&s, ')');
    }
    size_t name_len = s.len;
    const rorm__native_type *nt = rorm__prisma_native_type(c->cfg->provider, name);
    char *sql = nt ? rorm__prisma_native_sql(nt, args, nargs) : NULL;
    if (sql) {
        rorm__str_putc(&s, '\0');
        rorm__str_puts(&s, sql);
    }
    bool oom = rorm__str_oom(&s) || (nt && !sql);
    rorm__free(sql);
    if (oom) {
        rorm__str_dispose(&s);
        return NULL;
    }
    char *text = rorm__str_detach(&s);
    *sql_out = nt ? text + name_len + 1 : NULL;
    return text;
}

/* Append a literal default to @p s in the builder's text form. */
static void put_literal(rorm_str *s, const rorm__expr *v, bool quote)
{
    if (v->kind == RORM_EXPR_STRING && quote) {
        rorm__str_putc(s, '"');
        for (const char *p = v->text; *p; p++) {
            if (*p == '"' || *p == '\\') {
                rorm__str_putc(s, '\\');
            }
            rorm__str_putc(s, *p);
        }
        rorm__str_putc(s, '"');
    } else {
        rorm__str_puts(s, v->text ? v->text : "");
    }
}

/* Fill the default of @p def from @default(...); @p text receives owned literal text. */
static void map_default(const rorm__pfield *f, rorm_field_def *def, rorm_str *text)
{
    const rorm__attr *a = rorm__attr_find(&f->attrs, "default");
    const rorm__expr *v = attr_arg(a, "value", 0);
    if (!v) {
        return;
    }
    if (v->kind == RORM_EXPR_CALL) {
        const char *fn = v->text;
        const rorm__expr *arg0 = v->args.len > 0 ? &v->args.items[0].value : NULL;
        const char *ver = arg0 && arg0->kind == RORM_EXPR_NUMBER ? arg0->text : "";
        if (strcmp(fn, "autoincrement") == 0) {
            def->default_kind = RORM_DEFAULT_AUTOINCREMENT;
        } else if (strcmp(fn, "now") == 0) {
            def->default_kind = RORM_DEFAULT_NOW;
        } else if (strcmp(fn, "uuid") == 0) {
            def->default_kind = strcmp(ver, "7") == 0 ? RORM_DEFAULT_UUID7 : RORM_DEFAULT_UUID;
        } else if (strcmp(fn, "cuid") == 0) {
            def->default_kind = strcmp(ver, "2") == 0 ? RORM_DEFAULT_CUID2 : RORM_DEFAULT_CUID;
        } else if (strcmp(fn, "nanoid") == 0) {
            def->default_kind = RORM_DEFAULT_NANOID;
        } else if (strcmp(fn, "ulid") == 0) {
            def->default_kind = RORM_DEFAULT_ULID;
        } else if (strcmp(fn, "sequence") == 0) {
            def->default_kind = RORM_DEFAULT_SEQUENCE;
        } else if (strcmp(fn, "dbgenerated") == 0) {
            def->default_kind = RORM_DEFAULT_DBGENERATED;
            if (arg0 && arg0->kind == RORM_EXPR_STRING) {
                rorm__str_puts(text, arg0->text);
                def->default_text = text->ptr;
            }
        }
        return;
    }
    def->default_kind = RORM_DEFAULT_VALUE;
    if (v->kind == RORM_EXPR_ARRAY) {
        rorm__str_putc(text, '[');
        for (size_t i = 0; i < v->args.len; i++) {
            if (i > 0) {
                rorm__str_puts(text, ", ");
            }
            put_literal(text, &v->args.items[i].value, true);
        }
        rorm__str_putc(text, ']');
    } else {
        put_literal(text, v, false);
    }
    def->default_text = text->ptr;
}

/* ---- Enums ----------------------------------------------------------------------------------- */

static void map_enum(mctx *c, const rorm__block *b)
{
    const char **values = rorm__calloc(b->fields.len + 1, sizeof *values);
    if (!values) {
        c->rc = rorm__error_oom(c->err);
        return;
    }
    for (size_t i = 0; i < b->fields.len; i++) {
        values[i] = b->fields.ptr[i].name;
    }
    rorm_error e = { 0 };
    int rc = rorm_schema_add_enum(c->schema, b->name, values, b->fields.len, &e);
    rorm__free(values);
    if (rc != RORM_OK) {
        builder_failed(c, rc, b->name_span, &e);
        return;
    }
    rorm_enum *en = c->schema->enums.ptr[c->schema->enums.len - 1];
    en->line = b->name_span.line;
    const char *dbn = attr_string(&b->attrs, "map", "name");
    if (!set_str(c, &en->db_name, dbn ? dbn : b->name) || !set_str(c, &en->doc, b->doc) ||
        !set_str(c, &en->schema_name, attr_string(&b->attrs, "schema", "name"))) {
        return;
    }
    for (size_t i = 0; i < b->fields.len && i < en->db_values.len; i++) {
        const char *m = attr_string(&b->fields.ptr[i].attrs, "map", "name");
        if (m && !set_str(c, &en->db_values.ptr[i], m)) {
            return;
        }
    }
}

/* ---- Models ---------------------------------------------------------------------------------- */

static const char *column_of(const rorm__pfield *f)
{
    const char *m = attr_string(&f->attrs, "map", "name");
    return m ? m : f->name;
}

static const char *table_of(const rorm__block *b)
{
    const char *m = attr_string(&b->attrs, "map", "name");
    return m ? m : b->name;
}

static rorm_field *find_field(rorm_model *m, const char *name)
{
    return rorm__map_get(&m->field_map, name, strlen(name));
}

/*
 * The column type Prisma creates for @p f: the @db type's SQL text, else the provider's default
 * for the scalar type; an enum is its PostgreSQL type (the enum's database name) or TEXT on
 * SQLite (MySQL writes ENUM(...) inline: NULL); Unsupported("x") is x.
 */
static const char *
column_type(const mctx *c, const rorm_field *f, const rorm__block *tb, const char *native_sql)
{
    const char *pv = c->cfg->provider;
    if (native_sql) {
        return native_sql;
    }
    if (f->type == RORM_FIELD_UNSUPPORTED) {
        return f->unsupported;
    }
    if (f->type == RORM_FIELD_ENUM) {
        const rorm_enum *en =
            tb ? rorm__map_get(&c->schema->enum_map, tb->name, strlen(tb->name)) : NULL;
        if (!pv || !en) {
            return NULL;
        }
        if (strcmp(pv, "postgresql") == 0 || strcmp(pv, "cockroachdb") == 0) {
            return en->db_name;
        }
        return strcmp(pv, "sqlite") == 0 ? "TEXT" : NULL;
    }
    return rorm__prisma_default_db_type(pv, f->type);
}

static void map_scalar_field(mctx *c, rorm_model *m, const rorm__block *b, const rorm__pfield *f)
{
    unsigned t = rorm__prisma_scalar_type(f->type_name);
    const rorm__block *tb = t ? NULL : rorm__pschema_find(c->ps, f->type_name);
    if (!t && !(tb && tb->kind == RORM_BLOCK_ENUM)) {
        rorm__perr(c->d, f->type_span,
                   "Field \"%s\" of %s \"%s\" has composite type \"%s\", which RediORM does not "
                   "support on SQL databases: use a Json field or a related model.",
                   f->name, rorm__block_kind_name(b->kind), b->name, f->type_name);
        c->rc = RORM_ESCHEMA;
        return;
    }
    rorm_field_def def = { 0 };
    def.name = f->name;
    def.type = t ? t : RORM_FIELD_ENUM;
    def.enum_name = t ? NULL : tb->name;
    def.column = column_of(f);
    def.doc = f->doc;
    if (f->arity == RORM_ARITY_OPTIONAL) {
        def.flags |= RORM_NULLABLE;
    } else if (f->arity == RORM_ARITY_LIST) {
        def.flags |= RORM_LIST;
    }
    if (rorm__attr_find(&f->attrs, "id")) {
        def.flags |= RORM_PRIMARY_KEY;
    }
    if (rorm__attr_find(&f->attrs, "unique")) {
        def.flags |= RORM_UNIQUE;
    }
    if (rorm__attr_find(&f->attrs, "updatedAt")) {
        def.flags |= RORM_UPDATED_AT;
    }
    if (rorm__attr_find(&f->attrs, "ignore")) {
        def.flags |= RORM_IGNORED;
    }
    rorm_str deftext = RORM_STR_INIT;
    map_default(f, &def, &deftext);
    const rorm__attr *na = native_attr(c, f);
    const char *native_sql = NULL;
    char *native = na ? native_type_text(c, na, &native_sql) : NULL;
    if (na && !native) {
        rorm__str_dispose(&deftext);
        c->rc = rorm__error_oom(c->err);
        return;
    }
    def.native_type = native;
    rorm_error e = { 0 };
    int rc = rorm__str_oom(&deftext) ? RORM_ENOMEM : rorm_model_add_field(m, &def, &e);
    rorm__str_dispose(&deftext);
    if (rc != RORM_OK) {
        rorm__free(native);
        builder_failed(c, rc, f->span, &e);
        return;
    }
    rorm_field *rf = m->fields.ptr[m->fields.len - 1];
    /* Keep the allocation that also holds the SQL text, so db_type can point into it. */
    rorm__free(rf->native_type);
    rf->native_type = native;
    rf->line = f->name_span.line;
    rf->column_no = f->name_span.col;
    if (t == RORM_FIELD_UNSUPPORTED && f->type_args.len == 1 &&
        !set_str(c, &rf->unsupported, f->type_args.items[0].value.text)) {
        return;
    }
    rf->db_type = column_type(c, rf, tb, native_sql);
    /* Name the single-field unique index the builder made for RORM_UNIQUE. */
    const rorm__attr *ua = rorm__attr_find(&f->attrs, "unique");
    for (size_t i = 0; ua && i < m->indexes.len; i++) {
        rorm_index *ix = m->indexes.ptr[i];
        if (ix->nfields == 1 && ix->fields[0].field == rf && ix->kind == RORM_INDEX_UNIQUE) {
            const char *given = named_string(ua, "map");
            const char *col = rf->column;
            char *name =
                given ? rorm__strdup(given)
                      : rorm__prisma_constraint_name(c->cfg->provider, m->table, &col, 1, "key");
            if (!set_owned(c, &ix->name, name)) {
                return;
            }
            ix->line = ua->span.line;
            const rorm__expr *sort = attr_arg(ua, "sort", -1);
            const rorm__expr *len = attr_arg(ua, "length", -1);
            if (sort && sort->kind == RORM_EXPR_CONST) {
                ix->fields[0].sort = strcmp(sort->text, "Desc") == 0 ? -1 : 1;
            }
            if (len && len->kind == RORM_EXPR_NUMBER) {
                ix->fields[0].length = atoi(len->text);
            }
        }
    }
}

/* The column names of a list of field names on @p b, in a caller array. */
static size_t columns_of(const rorm__block *b, const char **names, size_t n, const char **out)
{
    for (size_t i = 0; i < n; i++) {
        const rorm__pfield *f = rorm__block_field(b, names[i]);
        out[i] = f ? column_of(f) : names[i];
    }
    return n;
}

static size_t index_names(const rorm__expr *fl, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; fl && fl->kind == RORM_EXPR_ARRAY && i < fl->args.len && n < max; i++) {
        const rorm__expr *e = &fl->args.items[i].value;
        if (e->kind == RORM_EXPR_CONST || e->kind == RORM_EXPR_CALL) {
            out[n++] = e->text;
        }
    }
    return n;
}

static char *join_names(const char **names, size_t n)
{
    rorm_str s = RORM_STR_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            rorm__str_puts(&s, ", ");
        }
        rorm__str_puts(&s, names[i]);
    }
    if (rorm__str_oom(&s)) {
        rorm__str_dispose(&s);
        return NULL;
    }
    return rorm__str_detach(&s);
}

#define MAX_INDEX_FIELDS 64

static void map_block_index(mctx *c, rorm_model *m, const rorm__block *b, const rorm__attr *a)
{
    const rorm__expr *fl = attr_arg(a, "fields", 0);
    const char *names[MAX_INDEX_FIELDS], *cols[MAX_INDEX_FIELDS];
    size_t n = index_names(fl, names, MAX_INDEX_FIELDS);
    if (n == 0) {
        return;
    }
    columns_of(b, names, n, cols);
    bool unique = strcmp(a->name, "unique") == 0;
    bool fulltext = strcmp(a->name, "fulltext") == 0;
    const char *given = named_string(a, "map");
    char *name = given ? rorm__strdup(given)
                       : rorm__prisma_constraint_name(c->cfg->provider, m->table, cols, n,
                                                      unique ? "key" : "idx");
    char *list = join_names(names, n);
    if (!name || !list) {
        rorm__free(name);
        rorm__free(list);
        c->rc = rorm__error_oom(c->err);
        return;
    }
    rorm_index_def def = { name, list, unique };
    rorm_error e = { 0 };
    int rc = rorm_model_add_index(m, &def, &e);
    rorm__free(name);
    rorm__free(list);
    if (rc != RORM_OK) {
        builder_failed(c, rc, a->span, &e);
        return;
    }
    rorm_index *ix = m->indexes.ptr[m->indexes.len - 1];
    ix->line = a->span.line;
    if (fulltext) {
        ix->kind = RORM_INDEX_FULLTEXT;
    }
    const rorm__expr *type = attr_arg(a, "type", -1);
    const rorm__expr *clustered = attr_arg(a, "clustered", -1);
    if (!set_str(c, &ix->api_name, named_string(a, "name")) ||
        (type && type->kind == RORM_EXPR_CONST && !set_str(c, &ix->using, type->text))) {
        return;
    }
    ix->clustered =
        clustered && clustered->kind == RORM_EXPR_CONST && strcmp(clustered->text, "true") == 0;
    size_t k = 0;
    for (size_t i = 0; i < fl->args.len && k < ix->nfields; i++) {
        const rorm__expr *it = &fl->args.items[i].value;
        if (it->kind != RORM_EXPR_CONST && it->kind != RORM_EXPR_CALL) {
            continue;
        }
        rorm_index_field *xf = &ix->fields[k++];
        if (it->kind != RORM_EXPR_CALL) {
            continue;
        }
        const rorm__arg *sort = rorm__args_find(&it->args, "sort", -1);
        const rorm__arg *len = rorm__args_find(&it->args, "length", -1);
        const rorm__arg *ops = rorm__args_find(&it->args, "ops", -1);
        if (sort && sort->value.kind == RORM_EXPR_CONST) {
            xf->sort = strcmp(sort->value.text, "Desc") == 0 ? -1 : 1;
        }
        if (len && len->value.kind == RORM_EXPR_NUMBER) {
            xf->length = atoi(len->value.text);
        }
        if (ops && ops->value.text && !set_str(c, &xf->ops, ops->value.text)) {
            return;
        }
    }
}

static void map_model(mctx *c, const rorm__block *b)
{
    rorm_model *m;
    rorm_error e = { 0 };
    int rc = rorm_schema_new_model(&m, c->schema, b->name, &e);
    if (rc != RORM_OK) {
        builder_failed(c, rc, b->name_span, &e);
        return;
    }
    if ((rc = rorm_model_set_table(m, table_of(b), &e)) != RORM_OK) {
        builder_failed(c, rc, b->name_span, &e);
        return;
    }
    m->is_view = b->kind == RORM_BLOCK_VIEW;
    m->ignored = rorm__attr_find(&b->attrs, "ignore") != NULL;
    m->line = b->name_span.line;
    if (!set_str(c, &m->doc, b->doc) ||
        !set_str(c, &m->schema_name, attr_string(&b->attrs, "schema", "name"))) {
        return;
    }
    for (size_t i = 0; i < b->fields.len && c->rc != RORM_ENOMEM; i++) {
        const rorm__pfield *f = &b->fields.ptr[i];
        if (!rorm__field_relation_target(c->ps, f)) {
            map_scalar_field(c, m, b, f);
        }
    }
    /* The primary key and its constraint name. */
    const rorm__attr *bid = rorm__attr_find(&b->attrs, "id");
    const char *pk_map = NULL;
    bool has_pk = bid != NULL;
    for (size_t i = 0; i < b->fields.len; i++) {
        const rorm__attr *ida = rorm__attr_find(&b->fields.ptr[i].attrs, "id");
        if (ida) {
            has_pk = true;
            pk_map = named_string(ida, "map");
        }
    }
    if (bid) {
        const char *names[MAX_INDEX_FIELDS];
        size_t n = index_names(attr_arg(bid, "fields", 0), names, MAX_INDEX_FIELDS);
        char *list = join_names(names, n);
        if (!list) {
            c->rc = rorm__error_oom(c->err);
            return;
        }
        rc = n > 0 ? rorm_model_set_primary_key(m, list, &e) : RORM_OK;
        rorm__free(list);
        if (rc != RORM_OK) {
            builder_failed(c, rc, bid->span, &e);
            return;
        }
        pk_map = named_string(bid, "map");
    }
    if (has_pk) {
        char *pk = pk_map
                       ? rorm__strdup(pk_map)
                       : rorm__prisma_constraint_name(c->cfg->provider, m->table, NULL, 0, "pkey");
        if (!set_owned(c, &m->pk_name, pk)) {
            return;
        }
    }
    for (size_t i = 0; i < b->attrs.len && c->rc != RORM_ENOMEM; i++) {
        const rorm__attr *a = &b->attrs.ptr[i];
        if (strcmp(a->name, "unique") == 0 || strcmp(a->name, "index") == 0 ||
            strcmp(a->name, "fulltext") == 0) {
            map_block_index(c, m, b, a);
        }
    }
}

/* ---- Relations ------------------------------------------------------------------------------- */

static int action_of(const rorm__attr *rel, const char *which)
{
    const rorm__expr *v = attr_arg(rel, which, -1);
    if (!v || v->kind != RORM_EXPR_CONST) {
        return RORM_ACTION_DEFAULT;
    }
    static const struct {
        const char *name;
        int action;
    } actions[] = { { "Cascade", RORM_ACTION_CASCADE },
                    { "Restrict", RORM_ACTION_RESTRICT },
                    { "NoAction", RORM_ACTION_NO_ACTION },
                    { "SetNull", RORM_ACTION_SET_NULL },
                    { "SetDefault", RORM_ACTION_SET_DEFAULT } };
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
        if (strcmp(actions[i].name, v->text) == 0) {
            return actions[i].action;
        }
    }
    return RORM_ACTION_DEFAULT;
}

/*
 * Prisma's implicit many-to-many join table: "_" + the relation name, or "_AToB" with the model
 * names in byte-wise order. Model A's ids go in column A; in a self-relation the field whose
 * name sorts first reads its related records from A (so its own ids are in B). The table name
 * and its constraint names share one allocation, owned by join_table.
 */
static void map_join_table(mctx *c,
                           rorm_relation *r,
                           const rorm__block *b,
                           const rorm__pfield *f,
                           const rorm__block *ob,
                           const rorm__pfield *of,
                           const char *relation_name)
{
    int order = strcmp(b->name, ob->name);
    bool self_is_a = order < 0 || (order == 0 && of && strcmp(f->name, of->name) > 0);
    bool pk = c->cfg->provider && strcmp(c->cfg->provider, "postgresql") == 0;
    rorm_str s = RORM_STR_INIT;
    rorm__str_putc(&s, '_');
    if (relation_name) {
        rorm__str_puts(&s, relation_name);
    } else {
        bool first = order <= 0;
        rorm__str_printf(&s, "%sTo%s", first ? b->name : ob->name, first ? ob->name : b->name);
    }
    if (rorm__str_oom(&s)) {
        rorm__str_dispose(&s);
        c->rc = rorm__error_oom(c->err);
        return;
    }
    char *join = rorm__str_detach(&s);
    if (!join) {
        c->rc = rorm__error_oom(c->err);
        return;
    }
    size_t offs[4];
    static const char *const suffixes[] = { NULL, "_B_index", "_A_fkey", "_B_fkey" };
    rorm__str_puts(&s, join);
    for (size_t i = 0; i < 4; i++) {
        rorm__str_putc(&s, '\0');
        offs[i] = s.len;
        rorm__str_puts(&s, join);
        rorm__str_puts(&s, i == 0 ? (pk ? "_AB_pkey" : "_AB_unique") : suffixes[i]);
    }
    rorm__free(join);
    if (rorm__str_oom(&s)) {
        rorm__str_dispose(&s);
        c->rc = rorm__error_oom(c->err);
        return;
    }
    char *text = rorm__str_detach(&s);
    if (!set_owned(c, &r->join_table, text)) {
        return;
    }
    r->join_ab_name = text + offs[0];
    r->join_ab_primary = pk;
    r->join_b_index = text + offs[1];
    r->join_a_fkey = text + offs[2];
    r->join_b_fkey = text + offs[3];
    r->join_self_column = self_is_a ? "A" : "B";
    r->join_other_column = self_is_a ? "B" : "A";
    r->join_on_delete = RORM_ACTION_CASCADE;
    r->join_on_update = RORM_ACTION_CASCADE;
}

static void map_relation(mctx *c, rorm_model *m, const rorm__block *b, const rorm__pfield *f)
{
    const rorm__block *ob;
    const rorm__pfield *of = rorm__relation_opposite(c->ps, b, f, &ob);
    const rorm__attr *rel = rorm__attr_find(&f->attrs, "relation");
    bool list = f->arity == RORM_ARITY_LIST;
    bool olist = of && of->arity == RORM_ARITY_LIST;
    rorm_relation_def def = { 0 };
    def.name = f->name;
    def.model = ob->name;
    def.kind = list ? (olist ? RORM_MANY_TO_MANY : RORM_ONE_TO_MANY)
                    : (olist ? RORM_MANY_TO_ONE : RORM_ONE_TO_ONE);
    def.relation_name = rorm__field_relation_name(f);
    const char *fk[MAX_INDEX_FIELDS], *refs[MAX_INDEX_FIELDS];
    size_t nfk = index_names(attr_arg(rel, "fields", -1), fk, MAX_INDEX_FIELDS);
    size_t nref = index_names(attr_arg(rel, "references", -1), refs, MAX_INDEX_FIELDS);
    char *fields = nfk ? join_names(fk, nfk) : NULL;
    char *references = nref ? join_names(refs, nref) : NULL;
    if ((nfk && !fields) || (nref && !references)) {
        rorm__free(fields);
        rorm__free(references);
        c->rc = rorm__error_oom(c->err);
        return;
    }
    def.fields = fields;
    def.references = references;
    def.on_delete = action_of(rel, "onDelete");
    def.on_update = action_of(rel, "onUpdate");
    if (nfk > 0) {
        /* Prisma's defaults: SetNull when a foreign-key field is optional, else Restrict; and
         * Cascade on update. */
        bool optional = false;
        for (size_t i = 0; i < nfk; i++) {
            const rorm__pfield *ff = rorm__block_field(b, fk[i]);
            optional = optional || (ff && ff->arity == RORM_ARITY_OPTIONAL);
        }
        if (def.on_delete == RORM_ACTION_DEFAULT) {
            def.on_delete = optional ? RORM_ACTION_SET_NULL : RORM_ACTION_RESTRICT;
        }
        if (def.on_update == RORM_ACTION_DEFAULT) {
            def.on_update = RORM_ACTION_CASCADE;
        }
    } else if (def.kind == RORM_MANY_TO_MANY) {
        def.on_delete = RORM_ACTION_CASCADE;
        def.on_update = RORM_ACTION_CASCADE;
    }
    rorm_error e = { 0 };
    int rc = rorm_model_add_relation(m, &def, &e);
    rorm__free(fields);
    rorm__free(references);
    if (rc != RORM_OK) {
        builder_failed(c, rc, f->span, &e);
        return;
    }
    rorm_field *rf = m->fields.ptr[m->fields.len - 1];
    rorm_relation *r = rf->relation;
    rf->line = f->name_span.line;
    rf->column_no = f->name_span.col;
    if (f->arity == RORM_ARITY_OPTIONAL) {
        rf->flags |= RORM_NULLABLE;
    }
    if (rorm__attr_find(&f->attrs, "ignore")) {
        rf->flags |= RORM_IGNORED;
    }
    if (!set_str(c, &rf->doc, f->doc)) {
        return;
    }
    if (nfk > 0 && !c->cfg->relation_mode_prisma) {
        const char *cols[MAX_INDEX_FIELDS];
        columns_of(b, fk, nfk, cols);
        const char *given = named_string(rel, "map");
        char *name =
            given ? rorm__strdup(given)
                  : rorm__prisma_constraint_name(c->cfg->provider, m->table, cols, nfk, "fkey");
        if (!set_owned(c, &r->fk_name, name)) {
            return;
        }
    }
    if (def.kind == RORM_MANY_TO_MANY) {
        map_join_table(c, r, b, f, ob, of, def.relation_name);
    }
}

/* The model's single @id field, or NULL. */
static rorm_field *single_id(const rorm_model *m)
{
    rorm_field *id = NULL;
    for (size_t i = 0; i < m->fields.len; i++) {
        if (m->fields.ptr[i]->flags & RORM_PRIMARY_KEY) {
            if (id) {
                return NULL;
            }
            id = m->fields.ptr[i];
        }
    }
    return id;
}

/* Resolve the pointers of relations and enum fields; the builder's validation does the rest. */
static void link(mctx *c)
{
    rorm_schema *s = c->schema;
    for (size_t i = 0; i < s->models.len; i++) {
        rorm_model *m = s->models.ptr[i];
        for (size_t j = 0; j < m->fields.len; j++) {
            rorm_field *f = m->fields.ptr[j];
            if (f->enum_name) {
                f->enumeration = rorm__map_get(&s->enum_map, f->enum_name, strlen(f->enum_name));
            }
            if (!f->relation) {
                continue;
            }
            rorm_relation *r = f->relation;
            r->model = rorm__map_get(&s->model_map, r->model_name, strlen(r->model_name));
            for (size_t k = 0; k < r->nfields; k++) {
                r->fields[k] = find_field(m, r->field_names[k]);
            }
            for (size_t k = 0; r->model && k < r->nreferences; k++) {
                r->references[k] = find_field(r->model, r->reference_names[k]);
            }
            if (r->join_table && r->model) {
                /* Column A references the id of the model whose name sorts first. */
                bool a_here = strcmp(m->name, r->model->name) <= 0;
                r->join_a_ref = single_id(a_here ? m : r->model);
                r->join_b_ref = single_id(a_here ? r->model : m);
                r->join_a_type = r->join_a_ref ? r->join_a_ref->db_type : NULL;
                r->join_b_type = r->join_b_ref ? r->join_b_ref->db_type : NULL;
            }
        }
    }
}

static const rorm__pfield *ast_field_of(const rorm__block *b, const rorm_field *f)
{
    return rorm__block_field(b, f->name);
}

static void link_opposites(mctx *c)
{
    rorm_schema *s = c->schema;
    for (size_t i = 0; i < s->models.len; i++) {
        rorm_model *m = s->models.ptr[i];
        const rorm__block *b = rorm__pschema_find(c->ps, m->name);
        for (size_t j = 0; b && j < m->fields.len; j++) {
            rorm_field *f = m->fields.ptr[j];
            const rorm__pfield *pf = f->relation ? ast_field_of(b, f) : NULL;
            const rorm__block *ob;
            const rorm__pfield *of = pf ? rorm__relation_opposite(c->ps, b, pf, &ob) : NULL;
            if (of && f->relation->model) {
                f->relation->opposite = find_field(f->relation->model, of->name);
            }
        }
    }
}

int rorm__prisma_map(rorm_schema **out,
                     const rorm__pconfig *cfg,
                     const rorm__pschema *ps,
                     rorm_diagnostics *d,
                     rorm_error *err)
{
    mctx c;
    memset(&c, 0, sizeof c);
    c.cfg = cfg;
    c.ps = ps;
    c.d = d;
    c.err = err;
    *out = NULL;
    int rc = rorm_schema_new(&c.schema, err);
    if (rc != RORM_OK) {
        return rc;
    }
    c.schema->naming = RORM_NAMING_PRISMA;
    c.schema->relation_mode_prisma = cfg->relation_mode_prisma;
    if (cfg->provider && !(c.schema->provider = rorm__strdup(cfg->provider))) {
        rorm_schema_release(c.schema);
        return rorm__error_oom(err);
    }
    for (size_t i = 0; cfg->schemas && i < cfg->schemas->args.len; i++) {
        const rorm__expr *e = &cfg->schemas->args.items[i].value;
        char *name = e->kind == RORM_EXPR_STRING ? rorm__strdup(e->text) : NULL;
        if (e->kind == RORM_EXPR_STRING &&
            (name == NULL || rorm_vec_push(&c.schema->db_schemas, name) != 0)) {
            rorm__free(name);
            rorm_schema_release(c.schema);
            return rorm__error_oom(err);
        }
    }
    for (size_t i = 0; i < ps->blocks.len; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if (b->kind == RORM_BLOCK_DATASOURCE && b->name && !c.ds_name) {
            c.ds_name = b->name;
        }
    }
    for (size_t i = 0; i < ps->blocks.len && c.rc != RORM_ENOMEM; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if (b->kind == RORM_BLOCK_ENUM && b->name) {
            map_enum(&c, b);
        }
    }
    for (size_t i = 0; i < ps->blocks.len && c.rc != RORM_ENOMEM; i++) {
        const rorm__block *b = ps->blocks.ptr[i];
        if ((b->kind == RORM_BLOCK_MODEL || b->kind == RORM_BLOCK_VIEW) && b->name) {
            map_model(&c, b);
        }
    }
    for (size_t i = 0; i < c.schema->models.len && c.rc != RORM_ENOMEM; i++) {
        rorm_model *m = c.schema->models.ptr[i];
        const rorm__block *b = rorm__pschema_find(ps, m->name);
        for (size_t j = 0; b && j < b->fields.len && c.rc != RORM_ENOMEM; j++) {
            const rorm__pfield *f = &b->fields.ptr[j];
            if (rorm__field_relation_target(ps, f)) {
                map_relation(&c, m, b, f);
            }
        }
    }
    if (c.rc == RORM_OK) {
        link(&c);
        link_opposites(&c);
        rorm_error e = { 0 };
        rc = rorm_schema_validate(c.schema, &e);
        if (rc == RORM_ENOMEM) {
            c.rc = rorm__error_oom(err);
        } else if (rc != RORM_OK) {
            rorm__span at = { 0 };
            at.line = 1;
            at.col = 1;
            rorm__perr(d, at, "The schema model refused this schema: %s", e.message);
            c.rc = rorm__error(err, RORM_ESCHEMA, "%s", e.message);
        }
    }
    if (c.rc != RORM_OK) {
        rorm_schema_release(c.schema);
        return c.rc;
    }
    *out = c.schema;
    return RORM_OK;
}
