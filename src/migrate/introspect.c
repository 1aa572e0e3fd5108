/*
 * Introspection: the live database read into rorm__mg_db through the dialect's catalog
 * queries, which return the same row shapes on every database, and the normalisation of type
 * and default text that lets a rendered schema be compared with what a catalog reports.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate/migrate.h"
#include "util/alloc.h"
#include "util/error.h"

#define MG_HISTORY_TABLE "redi_migrations"

static void names_free(rorm__mg_names *v)
{
    for (size_t i = 0; i < v->len; i++) {
        rorm__free(v->ptr[i]);
    }
    rorm_vec_free(v);
}

void rorm__mg_db_dispose(rorm__mg_db *db)
{
    for (size_t i = 0; i < db->tables.len; i++) {
        rorm__mg_table *t = &db->tables.ptr[i];
        rorm__free(t->name);
        rorm__free(t->schema);
        rorm__free(t->orig_name);
        for (size_t c = 0; c < t->cols.len; c++) {
            rorm__free(t->cols.ptr[c].name);
            rorm__free(t->cols.ptr[c].orig_name);
            rorm__free(t->cols.ptr[c].type);
            rorm__free(t->cols.ptr[c].type2);
            rorm__free(t->cols.ptr[c].def);
        }
        rorm_vec_free(&t->cols);
        names_free(&t->pk);
        for (size_t k = 0; k < t->indexes.len; k++) {
            rorm__free(t->indexes.ptr[k].name);
            names_free(&t->indexes.ptr[k].cols);
            rorm_vec_free(&t->indexes.ptr[k].desc);
        }
        rorm_vec_free(&t->indexes);
        for (size_t k = 0; k < t->fks.len; k++) {
            rorm__mg_fk *fk = &t->fks.ptr[k];
            rorm__free(fk->name);
            rorm__free(fk->ref_table);
            rorm__free(fk->ref_schema);
            rorm__free(fk->on_delete);
            rorm__free(fk->on_update);
            names_free(&fk->cols);
            names_free(&fk->ref_cols);
        }
        rorm_vec_free(&t->fks);
    }
    rorm_vec_free(&db->tables);
    for (size_t i = 0; i < db->enums.len; i++) {
        rorm__free(db->enums.ptr[i].name);
        rorm__free(db->enums.ptr[i].schema);
        names_free(&db->enums.ptr[i].values);
    }
    rorm_vec_free(&db->enums);
}

static bool same_schema(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

rorm__mg_table *rorm__mg_find_table(const rorm__mg_db *db, const char *schema, const char *name)
{
    for (size_t i = 0; i < db->tables.len; i++) {
        if (strcmp(db->tables.ptr[i].name, name) == 0 &&
            same_schema(db->tables.ptr[i].schema, schema)) {
            return &db->tables.ptr[i];
        }
    }
    return NULL;
}

rorm__mg_column *rorm__mg_find_column(const rorm__mg_table *t, const char *name)
{
    for (size_t i = 0; i < t->cols.len; i++) {
        if (strcmp(t->cols.ptr[i].name, name) == 0) {
            return &t->cols.ptr[i];
        }
    }
    return NULL;
}

/* ---- running catalog queries --------------------------------------------------------------- */

#define MG_MAX_CELLS 8

int rorm__mg_query(rorm_conn *conn,
                   const char *sql,
                   const char *param,
                   rorm__mg_row_fn row,
                   void *payload,
                   rorm_error *err)
{
    return rorm__mg_query2(conn, sql, param, NULL, row, payload, err);
}

int rorm__mg_query2(rorm_conn *conn,
                    const char *sql,
                    const char *param,
                    const char *param2,
                    rorm__mg_row_fn row,
                    void *payload,
                    rorm_error *err)
{
    const rorm_driver *drv = conn->driver;
    rorm_stmt *stmt = NULL;
    int rc = rorm__conn_prepare(&stmt, conn, sql, strlen(sql), err);
    if (rc != RORM_OK) {
        return rc;
    }
    /* The second placeholder is the schema; every other one the first parameter (a query may
       name the table for several catalog tables). */
    for (size_t i = 0; rc == RORM_OK && i < stmt->nparams; i++) {
        const char *text = i == 1 ? param2 : param;
        rorm_value v = rorm_value_text_ref(text ? text : "");
        rc = drv->bind(stmt, i, &v, err);
    }
    size_t ncols = drv->column_count(stmt);
    if (ncols > MG_MAX_CELLS) {
        ncols = MG_MAX_CELLS;
    }
    while (rc == RORM_OK && (rc = drv->step(stmt, err)) == 1) {
        rorm_value cells[MG_MAX_CELLS];
        rc = RORM_OK;
        for (size_t c = 0; c < ncols && rc == RORM_OK; c++) {
            rc = drv->column(stmt, c, &cells[c], err);
        }
        if (rc == RORM_OK && row != NULL) {
            rc = row(cells, ncols, payload);
            if (rc != RORM_OK) {
                rc = rorm__error(err, rc, "out of memory reading the catalog");
            }
        }
    }
    drv->reset(stmt);
    return rc < 0 ? rc : RORM_OK;
}

/* A cell as an owned string (NULL for SQL NULL or on OOM: *oom is set then). */
static char *cell_str(const rorm_value *v, bool *oom)
{
    char buf[32];
    const char *p = NULL;
    size_t n = 0;
    switch (v->type) {
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        p = v->u.s.ptr;
        n = v->u.s.len;
        break;
    case RORM_TYPE_BYTES:
        p = (const char *)v->u.bytes.ptr;
        n = v->u.bytes.len;
        break;
    case RORM_TYPE_INT:
        n = (size_t)snprintf(buf, sizeof buf, "%lld", (long long)v->u.i);
        p = buf;
        break;
    case RORM_TYPE_BOOL:
        p = v->u.b ? "1" : "0";
        n = 1;
        break;
    default:
        return NULL;
    }
    char *s = rorm__malloc(n + 1);
    if (s == NULL) {
        *oom = true;
        return NULL;
    }
    if (n) {
        memcpy(s, p ? p : "", n);
    }
    s[n] = '\0';
    return s;
}

static int64_t cell_int(const rorm_value *v)
{
    switch (v->type) {
    case RORM_TYPE_INT:
        return v->u.i;
    case RORM_TYPE_BOOL:
        return v->u.b;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
        return v->u.s.ptr ? strtoll(v->u.s.ptr, NULL, 10) : 0;
    case RORM_TYPE_DOUBLE:
        return (int64_t)v->u.d;
    default:
        return 0;
    }
}

/* PostgreSQL's pg_get_indexdef quotes names that need it: "authorId" -> authorId. */
static char *unquote(char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        size_t j = 0;
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '"' && s[i + 1] == '"') {
                i++;
            }
            s[j++] = s[i];
        }
        s[j] = '\0';
    }
    return s;
}

/* ---- row readers ---------------------------------------------------------------------------- */

static int read_table(const rorm_value *c, size_t n, void *payload)
{
    rorm__mg_db *db = payload;
    bool oom = false;
    if (n < 1) {
        return RORM_OK;
    }
    char *name = cell_str(&c[0], &oom);
    if (oom) {
        return RORM_ENOMEM;
    }
    if (name == NULL || strcmp(name, MG_HISTORY_TABLE) == 0 ||
        strncmp(name, "_rorm_new_", 10) == 0) {
        rorm__free(name);
        return RORM_OK;
    }
    rorm__mg_table t = { 0 };
    t.name = name;
    if (rorm_vec_push(&db->tables, t) != 0) {
        rorm__free(name);
        return RORM_ENOMEM;
    }
    return RORM_OK;
}

static int read_column(const rorm_value *c, size_t n, void *payload)
{
    rorm__mg_table *t = payload;
    bool oom = false;
    if (n < 6) {
        return RORM_OK;
    }
    rorm__mg_column col = { 0 };
    col.name = cell_str(&c[0], &oom);
    col.type = cell_str(&c[1], &oom);
    col.notnull = cell_int(&c[2]) != 0;
    col.def = cell_str(&c[3], &oom);
    col.autoinc = cell_int(&c[4]) != 0;
    col.pkpos = (int)cell_int(&c[5]);
    if (oom || col.name == NULL || rorm_vec_push(&t->cols, col) != 0) {
        rorm__free(col.name);
        rorm__free(col.type);
        rorm__free(col.def);
        return oom || col.name == NULL ? RORM_ENOMEM : RORM_ENOMEM;
    }
    return RORM_OK;
}

static int read_index(const rorm_value *c, size_t n, void *payload)
{
    rorm__mg_table *t = payload;
    bool oom = false;
    if (n < 5) {
        return RORM_OK;
    }
    char *name = cell_str(&c[0], &oom);
    char *col = unquote(cell_str(&c[3], &oom));
    if (oom || name == NULL || col == NULL) {
        rorm__free(name);
        rorm__free(col);
        return oom ? RORM_ENOMEM : RORM_OK;
    }
    rorm__mg_index *ix = t->indexes.len ? &t->indexes.ptr[t->indexes.len - 1] : NULL;
    if (ix == NULL || strcmp(ix->name, name) != 0) {
        rorm__mg_index fresh = { 0 };
        fresh.name = name;
        fresh.unique = cell_int(&c[1]) != 0;
        fresh.primary = cell_int(&c[2]) != 0;
        if (rorm_vec_push(&t->indexes, fresh) != 0) {
            rorm__free(name);
            rorm__free(col);
            return RORM_ENOMEM;
        }
        ix = &t->indexes.ptr[t->indexes.len - 1];
    } else {
        rorm__free(name);
    }
    if (rorm_vec_push(&ix->cols, col) != 0) {
        rorm__free(col);
        return RORM_ENOMEM;
    }
    if (rorm_vec_push(&ix->desc, (int)cell_int(&c[4])) != 0) {
        return RORM_ENOMEM;
    }
    return RORM_OK;
}

static const char *action_name(const char *a)
{
    if (a == NULL) {
        return "NO ACTION";
    }
    if (strlen(a) == 1) { /* PostgreSQL's confdeltype codes */
        switch (a[0]) {
        case 'a':
            return "NO ACTION";
        case 'r':
            return "RESTRICT";
        case 'c':
            return "CASCADE";
        case 'n':
            return "SET NULL";
        case 'd':
            return "SET DEFAULT";
        default:
            break;
        }
    }
    return NULL;
}

static char *norm_action(char *a)
{
    const char *name = action_name(a);
    if (name != NULL) {
        rorm__free(a);
        return rorm__strdup(name);
    }
    for (char *p = a; *p; p++) {
        *p = (char)toupper((unsigned char)*p);
    }
    return a;
}

typedef struct fk_reader {
    rorm__mg_table *t;
    char *group; /* key of the constraint being read */
} fk_reader;

static int read_fk(const rorm_value *c, size_t n, void *payload)
{
    fk_reader *r = payload;
    rorm__mg_table *t = r->t;
    bool oom = false;
    if (n < 7) {
        return RORM_OK;
    }
    char *group = cell_str(&c[0], &oom);
    char *col = cell_str(&c[2], &oom);
    char *ref_col = cell_str(&c[4], &oom);
    if (oom || group == NULL || col == NULL || ref_col == NULL) {
        rorm__free(group);
        rorm__free(col);
        rorm__free(ref_col);
        return oom ? RORM_ENOMEM : RORM_OK;
    }
    rorm__mg_fk *fk = NULL;
    if (r->group == NULL || strcmp(r->group, group) != 0) {
        rorm__mg_fk fresh = { 0 };
        fresh.name = cell_str(&c[1], &oom);
        fresh.ref_table = cell_str(&c[3], &oom);
        fresh.on_delete = norm_action(cell_str(&c[5], &oom));
        fresh.on_update = norm_action(cell_str(&c[6], &oom));
        if (t->schema != NULL && n > 7) {
            fresh.ref_schema = cell_str(&c[7], &oom);
        }
        if (oom || fresh.on_delete == NULL || fresh.on_update == NULL ||
            rorm_vec_push(&t->fks, fresh) != 0) {
            rorm__free(fresh.name);
            rorm__free(fresh.ref_table);
            rorm__free(fresh.ref_schema);
            rorm__free(fresh.on_delete);
            rorm__free(fresh.on_update);
            rorm__free(group);
            rorm__free(col);
            rorm__free(ref_col);
            return RORM_ENOMEM;
        }
        rorm__free(r->group);
        r->group = group;
    } else {
        rorm__free(group);
    }
    fk = &t->fks.ptr[t->fks.len - 1];
    if (rorm_vec_push(&fk->cols, col) != 0) {
        rorm__free(col);
        rorm__free(ref_col);
        return RORM_ENOMEM;
    }
    if (rorm_vec_push(&fk->ref_cols, ref_col) != 0) {
        rorm__free(ref_col);
        return RORM_ENOMEM;
    }
    return RORM_OK;
}

static int read_enum(const rorm_value *c, size_t n, void *payload)
{
    rorm__mg_db *db = payload;
    bool oom = false;
    if (n < 2) {
        return RORM_OK;
    }
    char *name = cell_str(&c[0], &oom);
    char *value = cell_str(&c[1], &oom);
    if (oom || name == NULL || value == NULL) {
        rorm__free(name);
        rorm__free(value);
        return oom ? RORM_ENOMEM : RORM_OK;
    }
    rorm__mg_enum *e = db->enums.len ? &db->enums.ptr[db->enums.len - 1] : NULL;
    /* An enum with a schema was read with an earlier schema: not the one these rows continue. */
    if (e == NULL || e->schema != NULL || strcmp(e->name, name) != 0) {
        rorm__mg_enum fresh = { 0 };
        fresh.name = name;
        if (rorm_vec_push(&db->enums, fresh) != 0) {
            rorm__free(name);
            rorm__free(value);
            return RORM_ENOMEM;
        }
        e = &db->enums.ptr[db->enums.len - 1];
    } else {
        rorm__free(name);
    }
    if (rorm_vec_push(&e->values, value) != 0) {
        rorm__free(value);
        return RORM_ENOMEM;
    }
    return RORM_OK;
}

/* The primary key: from the columns' key positions (SQLite), else the primary index. */
static int fill_pk(rorm__mg_table *t)
{
    for (int pos = 1;; pos++) {
        bool found = false;
        for (size_t i = 0; i < t->cols.len; i++) {
            if (t->cols.ptr[i].pkpos == pos) {
                char *name = rorm__strdup(t->cols.ptr[i].name);
                if (name == NULL || rorm_vec_push(&t->pk, name) != 0) {
                    rorm__free(name);
                    return RORM_ENOMEM;
                }
                found = true;
            }
        }
        if (!found) {
            break;
        }
    }
    for (size_t i = 0; t->pk.len == 0 && i < t->indexes.len; i++) {
        const rorm__mg_index *ix = &t->indexes.ptr[i];
        if (!ix->primary) {
            continue;
        }
        for (size_t k = 0; k < ix->cols.len; k++) {
            char *name = rorm__strdup(ix->cols.ptr[k]);
            if (name == NULL || rorm_vec_push(&t->pk, name) != 0) {
                rorm__free(name);
                return RORM_ENOMEM;
            }
        }
    }
    return RORM_OK;
}

/* Give the tables and enums read from @p first on the schema name @p schema. */
static int name_schema(rorm__mg_db *out, size_t first_table, size_t first_enum, const char *schema)
{
    for (size_t i = first_table; schema && i < out->tables.len; i++) {
        if ((out->tables.ptr[i].schema = rorm__strdup(schema)) == NULL) {
            return RORM_ENOMEM;
        }
    }
    for (size_t i = first_enum; schema && i < out->enums.len; i++) {
        if ((out->enums.ptr[i].schema = rorm__strdup(schema)) == NULL) {
            return RORM_ENOMEM;
        }
    }
    return RORM_OK;
}

/* Read the tables and enums of @p schema (NULL: the current schema) into @p out. */
static int introspect_schema(rorm__mg_db *out,
                             rorm_conn *conn,
                             const rorm_introspect_sql *q,
                             const char *schema,
                             rorm_error *err)
{
    size_t first = out->tables.len, first_enum = out->enums.len;
    int rc = rorm__mg_query(conn, q->tables, schema, read_table, out, err);
    if (rc == RORM_OK && q->enums != NULL) {
        rc = rorm__mg_query(conn, q->enums, schema, read_enum, out, err);
    }
    if (rc == RORM_OK && name_schema(out, first, first_enum, schema) != RORM_OK) {
        rc = rorm__error_oom(err);
    }
    for (size_t i = first; rc == RORM_OK && i < out->tables.len; i++) {
        rorm__mg_table *t = &out->tables.ptr[i];
        rc = rorm__mg_query2(conn, q->columns, t->name, schema, read_column, t, err);
        if (rc == RORM_OK) {
            rc = rorm__mg_query2(conn, q->indexes, t->name, schema, read_index, t, err);
        }
        if (rc == RORM_OK) {
            fk_reader r = { t, NULL };
            rc = rorm__mg_query2(conn, q->foreign_keys, t->name, schema, read_fk, &r, err);
            rorm__free(r.group);
        }
        if (rc == RORM_OK && fill_pk(t) != RORM_OK) {
            rc = rorm__error_oom(err);
        }
    }
    return rc;
}

int rorm__mg_introspect(rorm__mg_db *out, rorm_conn *conn, const rorm_dialect *d, rorm_error *err)
{
    return rorm__mg_introspect_in(out, conn, d, NULL, 0, err);
}

int rorm__mg_introspect_in(rorm__mg_db *out,
                           rorm_conn *conn,
                           const rorm_dialect *d,
                           const char *const *schemas,
                           size_t nschemas,
                           rorm_error *err)
{
    memset(out, 0, sizeof *out);
    const rorm_introspect_sql *q = d->introspect;
    if (q == NULL) {
        return rorm__error(err, RORM_EUNSUPPORTED, "no introspection for %s", d->name);
    }
    int rc = RORM_OK;
    if (nschemas == 0) {
        rc = introspect_schema(out, conn, q, NULL, err);
    }
    for (size_t i = 0; rc == RORM_OK && i < nschemas; i++) {
        rc = introspect_schema(out, conn, q, schemas[i], err);
    }
    if (rc != RORM_OK) {
        rorm__mg_db_dispose(out);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

/* ---- description ------------------------------------------------------------------------------
 */

static void put_names(rorm_str *out, const rorm__mg_names *v, const int *desc)
{
    rorm__str_putc(out, '(');
    for (size_t i = 0; i < v->len; i++) {
        rorm__str_puts(out, i ? ", " : "");
        rorm__str_puts(out, v->ptr[i]);
        if (desc && desc[i]) {
            rorm__str_puts(out, " desc");
        }
    }
    rorm__str_putc(out, ')');
}

void rorm__mg_describe(rorm_str *out, const rorm__mg_db *db)
{
    for (size_t i = 0; i < db->enums.len; i++) {
        if (db->enums.ptr[i].schema != NULL) {
            rorm__str_printf(out, "enum %s.", db->enums.ptr[i].schema);
        } else {
            rorm__str_puts(out, "enum ");
        }
        rorm__str_printf(out, "%s ", db->enums.ptr[i].name);
        put_names(out, &db->enums.ptr[i].values, NULL);
        rorm__str_putc(out, '\n');
    }
    for (size_t i = 0; i < db->tables.len; i++) {
        const rorm__mg_table *t = &db->tables.ptr[i];
        if (t->schema != NULL) {
            rorm__str_printf(out, "table %s.%s\n", t->schema, t->name);
        } else {
            rorm__str_printf(out, "table %s\n", t->name);
        }
        for (size_t c = 0; c < t->cols.len; c++) {
            const rorm__mg_column *col = &t->cols.ptr[c];
            rorm__str_printf(out, "  column %s %s%s%s%s%s\n", col->name,
                             col->type ? col->type : "?", col->notnull ? " not null" : "",
                             col->autoinc ? " autoincrement" : "", col->def ? " default " : "",
                             col->def ? col->def : "");
        }
        if (t->pk.len) {
            rorm__str_puts(out, "  primary key ");
            put_names(out, &t->pk, NULL);
            rorm__str_putc(out, '\n');
        }
        for (size_t k = 0; k < t->indexes.len; k++) {
            const rorm__mg_index *ix = &t->indexes.ptr[k];
            if (ix->primary) {
                continue;
            }
            rorm__str_printf(out, "  %s %s ", ix->unique ? "unique" : "index", ix->name);
            put_names(out, &ix->cols, ix->desc.ptr);
            rorm__str_putc(out, '\n');
        }
        for (size_t k = 0; k < t->fks.len; k++) {
            const rorm__mg_fk *fk = &t->fks.ptr[k];
            rorm__str_printf(out, "  foreign key %s ", fk->name ? fk->name : "-");
            put_names(out, &fk->cols, NULL);
            rorm__str_printf(out, " references %s ", fk->ref_table ? fk->ref_table : "?");
            put_names(out, &fk->ref_cols, NULL);
            rorm__str_printf(out, " on delete %s on update %s\n", fk->on_delete, fk->on_update);
        }
    }
}

/* ---- normalisation ------------------------------------------------------------------------------
 */

static void lower(char *s)
{
    for (; *s; s++) {
        *s = (char)tolower((unsigned char)*s);
    }
}

/* Replace the first @p from in @p s (owned) by @p to; returns the new string. */
static char *replace(char *s, const char *from, const char *to)
{
    char *at = s ? strstr(s, from) : NULL;
    if (at == NULL) {
        return s;
    }
    rorm_str r = RORM_STR_INIT;
    rorm__str_put(&r, s, (size_t)(at - s));
    rorm__str_puts(&r, to);
    rorm__str_puts(&r, at + strlen(from));
    rorm__free(s);
    return rorm__str_detach(&r);
}

char *rorm__mg_norm_type(unsigned db_type, const char *type)
{
    if (type == NULL) {
        return NULL;
    }
    /* Lower case, no double quotes, no blanks after commas or before parentheses. */
    rorm_str r = RORM_STR_INIT;
    for (const char *p = type; *p; p++) {
        if (*p == '"') {
            continue;
        }
        if (*p == ' ' && (p[1] == '(' || p[1] == ',' || p[1] == ')' || p[1] == '\0' ||
                          (r.len && (r.ptr[r.len - 1] == ',' || r.ptr[r.len - 1] == ' ')))) {
            continue;
        }
        rorm__str_putc(&r, (char)tolower((unsigned char)*p));
    }
    char *s = rorm__str_detach(&r);
    if (s == NULL) {
        return NULL;
    }
    if (db_type == RORM_DB_POSTGRES) {
        /* A type in another schema is written schema.type (an enum): compared by its name. */
        char *dot = strchr(s, '.');
        char *paren = strchr(s, '(');
        if (dot != NULL && (paren == NULL || dot < paren)) {
            memmove(s, dot + 1, strlen(dot + 1) + 1);
        }
        /* "timestamp(6) with time zone" is "timestamptz(6)", "time with time zone" "timetz". */
        char *tz = s ? strstr(s, " with time zone") : NULL;
        if (tz != NULL && (strncmp(s, "timestamp", 9) == 0 || strncmp(s, "time", 4) == 0)) {
            size_t base = strncmp(s, "timestamp", 9) == 0 ? 9 : 4;
            rorm_str t = RORM_STR_INIT;
            rorm__str_put(&t, s, base);
            rorm__str_puts(&t, "tz");
            rorm__str_put(&t, s + base, (size_t)(tz - s) - base);
            rorm__str_puts(&t, tz + strlen(" with time zone"));
            rorm__free(s);
            s = rorm__str_detach(&t);
        }
        s = replace(s, " without time zone", "");
        s = replace(s, "character varying", "varchar");
        s = replace(s, "character(", "char(");
        s = replace(s, "numeric", "decimal");
        s = replace(s, "int4", "integer");
        s = replace(s, "int8", "bigint");
    } else if (db_type == RORM_DB_MYSQL) {
        static const char *const ints[] = { "tinyint", "smallint", "mediumint", "int", "bigint" };
        if (s && strcmp(s, "tinyint(1)") == 0) {
            rorm__free(s);
            return rorm__strdup("boolean");
        }
        if (s && (strcmp(s, "json") == 0)) {
            rorm__free(s);
            return rorm__strdup("longtext"); /* MariaDB: JSON is LONGTEXT with a check */
        }
        if (s && strcmp(s, "bool") == 0) {
            rorm__free(s);
            return rorm__strdup("boolean");
        }
        s = replace(s, "double precision", "double");
        /* A fractional precision of 0 is the default: MariaDB shows "timestamp", not
           "timestamp(0)". */
        static const char *const times[] = { "timestamp(0)", "datetime(0)", "time(0)" };
        for (size_t i = 0; s && i < sizeof times / sizeof times[0]; i++) {
            if (strcmp(s, times[i]) == 0) {
                s[strlen(s) - 3] = '\0';
            }
        }
        for (size_t i = 0; s && i < sizeof ints / sizeof ints[0]; i++) {
            size_t n = strlen(ints[i]);
            if (strncmp(s, ints[i], n) == 0 && s[n] == '(') {
                char *close = strchr(s + n, ')');
                if (close) {
                    memmove(s + n, close + 1, strlen(close + 1) + 1);
                }
                break;
            }
        }
    }
    return s;
}

static bool type_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == ' ' || c == '"' || c == '.';
}

/* Remove PostgreSQL casts ("'a'::text", "'{}'::text[]") outside string literals. */
static void strip_casts(char *s)
{
    size_t j = 0;
    bool quoted = false;
    for (size_t i = 0; s[i];) {
        if (s[i] == '\'') {
            quoted = !quoted;
        }
        if (!quoted && s[i] == ':' && s[i + 1] == ':') {
            i += 2;
            for (;;) {
                while (type_char(s[i])) {
                    i++;
                }
                if (s[i] == '(') {
                    size_t k = i + 1;
                    while (isdigit((unsigned char)s[k]) || s[k] == ',' || s[k] == ' ') {
                        k++;
                    }
                    if (s[k] == ')') {
                        i = k + 1;
                        continue;
                    }
                }
                if (s[i] == '[' && s[i + 1] == ']') {
                    i += 2;
                    continue;
                }
                break;
            }
            continue;
        }
        s[j++] = s[i++];
    }
    s[j] = '\0';
    while (j > 0 && s[j - 1] == ' ') {
        s[--j] = '\0';
    }
}

/* True when the parentheses at both ends of s[0..n) enclose the whole text. */
static bool wrapped(const char *s, size_t n)
{
    if (n < 2 || s[0] != '(' || s[n - 1] != ')') {
        return false;
    }
    int depth = 0;
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'') {
            quoted = !quoted;
        } else if (!quoted && s[i] == '(') {
            depth++;
        } else if (!quoted && s[i] == ')') {
            depth--;
            if (depth == 0 && i + 1 < n) {
                return false;
            }
        }
    }
    return true;
}

/* True when s[0..n) is a decimal number: [+-]digits[.digits][e[+-]digits]. */
static bool number_text(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        i++;
    }
    while (i < n && isdigit((unsigned char)s[i])) {
        i++;
        digits++;
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && isdigit((unsigned char)s[i]); i++) {
            digits++;
        }
    }
    if (digits && i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) {
            i++;
        }
        while (i < n && isdigit((unsigned char)s[i])) {
            i++;
        }
    }
    return digits > 0 && i == n;
}

/* Integers keep every digit (a leading '+' dropped); other numbers go through a double. */
static char *norm_number(char *s)
{
    if (!number_text(s, strlen(s))) {
        return s;
    }
    const char *p = s[0] == '+' ? s + 1 : s;
    bool integer = true;
    for (const char *q = p[0] == '-' ? p + 1 : p; *q; q++) {
        integer = integer && isdigit((unsigned char)*q);
    }
    if (integer) {
        char *copy = rorm__strdup(p);
        rorm__free(s);
        return copy;
    }
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", strtod(s, NULL));
    rorm__free(s);
    return rorm__strdup(buf);
}

char *rorm__mg_norm_default(unsigned db_type, const char *def)
{
    if (def == NULL) {
        return NULL;
    }
    while (*def == ' ') {
        def++;
    }
    size_t n = strlen(def);
    while (n && def[n - 1] == ' ') {
        n--;
    }
    while (wrapped(def, n)) {
        def++;
        n -= 2;
    }
    char *s = rorm__malloc(n + 1);
    if (s == NULL) {
        return NULL;
    }
    memcpy(s, def, n);
    s[n] = '\0';
    if (db_type == RORM_DB_POSTGRES) {
        strip_casts(s);
        n = strlen(s);
        while (wrapped(s, n)) {
            memmove(s, s + 1, n - 2);
            n -= 2;
            s[n] = '\0';
        }
    }
    if (s[0] == '\'' && n >= 2 && s[n - 1] == '\'') {
        /* A string literal: decode it ('' and, on MySQL, backslash escapes) and quote it
           plainly, so that every database's spelling of the same text compares equal. */
        rorm_str r = RORM_STR_INIT;
        rorm__str_putc(&r, '\'');
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '\'' && s[i + 1] == '\'' && i + 2 < n) {
                i++;
            } else if (db_type == RORM_DB_MYSQL && s[i] == '\\' && i + 2 < n) {
                i++;
            }
            rorm__str_putc(&r, s[i]);
        }
        /* JSON text: PostgreSQL's jsonb prints it with blanks after ':' and ','; compare it
           without blanks outside JSON strings. */
        if (r.len > 2 && (r.ptr[1] == '{' || r.ptr[1] == '[')) {
            size_t j = 1;
            bool in_str = false;
            for (size_t i = 1; i < r.len; i++) {
                char c = r.ptr[i];
                if (in_str && c == '\\' && i + 1 < r.len) {
                    r.ptr[j++] = c;
                    r.ptr[j++] = r.ptr[++i];
                    continue;
                }
                if (c == '"') {
                    in_str = !in_str;
                }
                if (!in_str && (c == ' ' || c == '\n' || c == '\t')) {
                    continue;
                }
                r.ptr[j++] = c;
            }
            r.len = j;
            r.ptr[j] = '\0';
        }
        /* Datetimes: '2024-01-01 00:00:00.000' and '2024-01-01 00:00:00' are one value. */
        if (r.len == 24 && strcmp(r.ptr + 20, ".000") == 0 && r.ptr[11] == ' ') {
            rorm__str_truncate(&r, 20);
        }
        rorm__str_putc(&r, '\'');
        rorm__free(s);
        s = rorm__str_detach(&r);
        if (s == NULL) {
            return NULL;
        }
        /* PostgreSQL quotes some numbers ('-3'::integer): compare them as numbers. */
        size_t n2 = strlen(s);
        if (n2 > 2 && number_text(s + 1, n2 - 2)) {
            memmove(s, s + 1, n2 - 2);
            s[n2 - 2] = '\0';
            return norm_number(s);
        }
        return s;
    }
    lower(s);
    if (strcmp(s, "null") == 0) {
        rorm__free(s);
        return NULL;
    }
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
        bool t = s[0] == 't';
        rorm__free(s);
        return rorm__strdup(t ? "1" : "0");
    }
    return norm_number(s);
}
