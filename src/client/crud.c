/*
 * The record API: insert, find, update and delete by primary key. Each call builds its SQL from
 * the schema (identifiers quoted by the dialect), binds every value as a parameter and runs on
 * a cached prepared statement.
 */
#include "client/client.h"

#include <string.h>

#include "core/ids.h"
#include "util/alloc.h"
#include "util/error.h"

/* Most models have few columns; larger ones fall back to the heap. */
#define STACK_COLS 32

typedef struct bind_list {
    const rorm_value **params;
    rorm_value *tmps;
    size_t n, cap;
    const rorm_value *params_stack[STACK_COLS];
    rorm_value tmps_stack[STACK_COLS];
} bind_list;

static int bind_list_init(bind_list *b, size_t cap, rorm_error *err)
{
    b->n = 0;
    b->cap = cap;
    if (cap <= STACK_COLS) {
        b->params = b->params_stack;
        b->tmps = b->tmps_stack;
        return RORM_OK;
    }
    b->params = rorm__calloc(cap, sizeof *b->params);
    b->tmps = rorm__calloc(cap, sizeof *b->tmps);
    if (b->params == NULL || b->tmps == NULL) {
        rorm__free(b->params);
        rorm__free(b->tmps);
        b->params = NULL;
        b->tmps = NULL;
        b->cap = 0;
        return rorm__error_oom(err);
    }
    return RORM_OK;
}

static void bind_list_dispose(bind_list *b)
{
    for (size_t i = 0; i < b->n; i++) {
        rorm_value_dispose(&b->tmps[i]);
    }
    if (b->params != b->params_stack) {
        rorm__free(b->params);
        rorm__free(b->tmps);
    }
}

/* Check @p v for field @p f and append it to the parameter list. */
static int bind_list_add(bind_list *b, const rorm_field *f, const rorm_value *v, rorm_error *err)
{
    if (b->n >= b->cap) {
        return rorm__error(err, RORM_EINVAL, "too many values");
    }
    int rc = rorm__coerce(&b->params[b->n], &b->tmps[b->n], f, v, err);
    if (rc != RORM_OK) {
        return rc;
    }
    b->n++;
    return RORM_OK;
}

int rorm__run_select(rorm_rows *rows,
                     rorm_conn *conn,
                     const char *sql,
                     size_t len,
                     const rorm_value *const *params,
                     size_t nparams,
                     rorm_field *const *fields,
                     size_t nfields,
                     rorm_error *err)
{
    const rorm_driver *drv = conn->driver;
    rorm_stmt *stmt;
    int rc = rorm__conn_prepare(&stmt, conn, sql, len, err);
    if (rc != RORM_OK) {
        return rc;
    }
    for (size_t i = 0; rc == RORM_OK && i < nparams; i++) {
        rc = drv->bind(stmt, i, params[i], err);
    }
    while (rc == RORM_OK && (rc = drv->step(stmt, err)) == 1) {
        rc = RORM_OK;
        if (rows == NULL) {
            continue;
        }
        rorm_value *cells;
        rc = rorm__rows_add(&cells, rows, err);
        for (size_t c = 0; rc == RORM_OK && c < nfields; c++) {
            rorm_value col;
            rc = drv->column(stmt, c, &col, err);
            if (rc == RORM_OK) {
                rc = rorm__column_to_value(&cells[c], fields[c], &col, err);
            }
        }
    }
    drv->reset(stmt);
    return rc;
}

/*
 * Run one write statement with its parameters on @p db's connection; report the changed-row
 * count and the generated row id when asked.
 */
int rorm__run_write(rorm_db *db,
                    const rorm_str *sql,
                    const rorm_value *const *params,
                    size_t nparams,
                    int64_t *changes_out,
                    int64_t *rowid_out,
                    rorm_error *err)
{
    if (rorm__str_oom(sql)) {
        return rorm__error_oom(err);
    }
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_driver *drv = conn->driver;
    rorm_stmt *stmt;
    rc = rorm__conn_prepare(&stmt, conn, sql->ptr, sql->len, err);
    if (rc == RORM_OK) {
        for (size_t i = 0; rc == RORM_OK && i < nparams; i++) {
            rc = drv->bind(stmt, i, params[i], err);
        }
        if (rc == RORM_OK) {
            rc = drv->step(stmt, err);
            rc = rc > 0 ? RORM_OK : rc;
        }
        if (rc == RORM_OK && changes_out) {
            *changes_out = drv->changes(stmt);
        }
        if (rc == RORM_OK && rowid_out) {
            *rowid_out = drv->last_insert_id(stmt);
        }
        drv->reset(stmt);
    }
    rorm__db_release(db, conn);
    return rc;
}

static int check_data(const rorm_model *m, const rorm_value *data, rorm_error *err)
{
    if (data == NULL || data->type != RORM_TYPE_OBJECT) {
        return rorm__error(err, RORM_EINVAL,
                           "data for model '%s' must be an object of field values", m->name);
    }
    for (size_t i = 0; i < data->u.obj.len; i++) {
        const char *key = data->u.obj.items[i].key;
        rorm_field *f;
        int rc = rorm__model_find_field(&f, m, key, err);
        if (rc != RORM_OK) {
            return rc;
        }
        if (f->type == RORM_FIELD_RELATION) {
            return rorm__error(
                err, RORM_EUNSUPPORTED,
                "field '%s.%s' is a relation: nested writes are not supported by this call",
                m->name, f->name);
        }
        if (f->flags & RORM_IGNORED) {
            return rorm__error(err, RORM_EINVAL,
                               "field '%s.%s' is ignored (@ignore) and cannot be written", m->name,
                               f->name);
        }
    }
    return RORM_OK;
}

/* Generate the library-side default of @p f into @p out (TEXT or DATETIME); 0 if none. */
static int generate_default(rorm_value *out, const rorm_field *f, int64_t now, rorm_error *err)
{
    char buf[40];
    int rc;
    switch (f->def.kind) {
    case RORM_DEFAULT_NOW:
        *out = RORM_DATETIME(now);
        return 1;
    case RORM_DEFAULT_UUID:
        rc = rorm__gen_uuid4(buf);
        break;
    case RORM_DEFAULT_UUID7:
        rc = rorm__gen_uuid7(buf);
        break;
    case RORM_DEFAULT_CUID:
        rc = rorm__gen_cuid(buf);
        break;
    case RORM_DEFAULT_CUID2:
        rc = rorm__gen_cuid2(buf);
        break;
    case RORM_DEFAULT_NANOID:
        rc = rorm__gen_nanoid(buf);
        break;
    case RORM_DEFAULT_ULID:
        rc = rorm__gen_ulid(buf);
        break;
    case RORM_DEFAULT_VALUE:
        if (rorm_value_copy(out, &f->def.value) != RORM_OK) {
            return rorm__error_oom(err);
        }
        return 1;
    default:
        if (f->flags & RORM_UPDATED_AT) {
            *out = RORM_DATETIME(now);
            return 1;
        }
        if (f->flags & RORM_LIST) {
            rorm_value_init_array(out); /* a list left out is empty, as in Prisma */
            return 1;
        }
        return 0;
    }
    if (rc != RORM_OK) {
        return rorm__error(err, rc, "cannot generate a default id for '%s.%s'", f->model->name,
                           f->name);
    }
    if (rorm_value_set_text(out, buf, strlen(buf)) != RORM_OK) {
        return rorm__error_oom(err);
    }
    return 1;
}

/*
 * Which columns a row of @p data writes: the fields it gives, plus those whose default the
 * library makes (now(), uuid(), literals, @updatedAt). Database-generated keys are left out.
 * Returns the number of columns; `include[i]` is set for each field written.
 */
static size_t row_columns(const rorm_model *m, const rorm_value *data, bool *include)
{
    size_t n = 0;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        include[i] = false;
        if (!rorm__field_is_column(f) || (f->flags & RORM_IGNORED)) {
            continue;
        }
        if (rorm_value_object_get(data, f->name) == NULL) {
            unsigned k = f->def.kind;
            if ((f->flags & RORM_AUTOINCREMENT) || k == RORM_DEFAULT_AUTOINCREMENT ||
                k == RORM_DEFAULT_DBGENERATED || k == RORM_DEFAULT_SEQUENCE) {
                continue;
            }
            if (k == RORM_DEFAULT_NONE && !(f->flags & (RORM_UPDATED_AT | RORM_LIST)) &&
                (f->flags & RORM_NULLABLE)) {
                continue; /* the column's NULL default applies */
            }
        }
        include[i] = true;
        n++;
    }
    return n;
}

/*
 * Check and collect the values of one row for the included columns, generating defaults into
 * @p gen (one slot per field). Missing required fields are an error naming the field.
 */
static int row_bind(bind_list *b,
                    rorm_value *gen,
                    const rorm_model *m,
                    const rorm_value *data,
                    const bool *include,
                    int64_t *now,
                    rorm_error *err)
{
    for (size_t i = 0; i < m->fields.len; i++) {
        if (!include[i]) {
            continue;
        }
        const rorm_field *f = m->fields.ptr[i];
        const rorm_value *v = rorm_value_object_get(data, f->name);
        if (v == NULL) {
            if (*now == 0) {
                *now = rorm__now_ms();
            }
            int rc = generate_default(&gen[i], f, *now, err);
            if (rc < 0) {
                return rc;
            }
            if (rc == 0) {
                return rorm__error(err, RORM_EINVAL, "missing value for required field '%s.%s'",
                                   m->name, f->name);
            }
            v = &gen[i];
        }
        int rc = bind_list_add(b, f, v, err);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

/* "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)" for @p nrows rows of the included columns. */
static void insert_sql(rorm_str *sql,
                       const rorm_dialect *d,
                       const rorm_model *m,
                       const bool *include,
                       size_t ncols,
                       size_t nrows)
{
    rorm__str_puts(sql, "INSERT INTO ");
    d->quote_ident(sql, m->table);
    if (ncols == 0) {
        rorm__str_puts(sql, " DEFAULT VALUES");
        return;
    }
    size_t c = 0;
    for (size_t i = 0; i < m->fields.len; i++) {
        if (include[i]) {
            rorm__str_puts(sql, c++ == 0 ? " (" : ", ");
            d->quote_ident(sql, m->fields.ptr[i]->column);
        }
    }
    rorm__str_puts(sql, ") VALUES ");
    size_t p = 0;
    for (size_t r = 0; r < nrows; r++) {
        rorm__str_puts(sql, r ? ", (" : "(");
        for (size_t k = 0; k < ncols; k++) {
            if (k) {
                rorm__str_puts(sql, ", ");
            }
            d->placeholder(sql, ++p);
        }
        rorm__str_putc(sql, ')');
    }
}

/* Scratch space for a row's generated defaults: on the stack for ordinary models. */
typedef struct row_scratch {
    rorm_value *gen;
    bool *include;
    rorm_value gen_stack[STACK_COLS];
    bool include_stack[STACK_COLS];
} row_scratch;

static int scratch_init(row_scratch *s, size_t nfields, rorm_error *err)
{
    s->gen = s->gen_stack;
    s->include = s->include_stack;
    if (nfields > STACK_COLS) {
        s->gen = rorm__calloc(nfields, sizeof *s->gen);
        s->include = rorm__calloc(nfields, sizeof *s->include);
        if (s->gen == NULL || s->include == NULL) {
            rorm__free(s->gen);
            rorm__free(s->include);
            s->gen = NULL;
            s->include = NULL;
            return rorm__error_oom(err);
        }
    }
    for (size_t i = 0; i < nfields; i++) {
        rorm_value_init(&s->gen[i]);
    }
    return RORM_OK;
}

static void scratch_clear(row_scratch *s, size_t nfields)
{
    for (size_t i = 0; i < nfields; i++) {
        rorm_value_dispose(&s->gen[i]);
    }
}

static void scratch_dispose(row_scratch *s, size_t nfields)
{
    if (s->gen == NULL) {
        return;
    }
    scratch_clear(s, nfields);
    if (s->gen != s->gen_stack) {
        rorm__free(s->gen);
        rorm__free(s->include);
    }
}

static int writable_model(rorm_model **out, rorm_db *db, const char *model, rorm_error *err)
{
    int rc = rorm__db_model(out, db, model, err);
    if (rc == RORM_OK && (*out)->is_view) {
        rc = rorm__error(err, RORM_EINVAL, "model '%s' is a view and cannot be written",
                         (*out)->name);
    }
    return rc;
}

/* The key of a just-inserted row: a single field's value, or an object for a composite key. */
static int inserted_key(rorm_value *out,
                        const rorm_model *m,
                        const bind_list *b,
                        const bool *include,
                        int64_t rowid,
                        rorm_error *err)
{
    rorm_value obj;
    rorm_value_init_object(&obj);
    for (size_t k = 0; k < m->pk.len; k++) {
        const rorm_field *pkf = m->pk.ptr[k];
        rorm_value kv = RORM_INT(rowid);
        /* Find the bound value of this key field, if the row wrote it. */
        size_t p = 0;
        for (size_t i = 0; i < m->fields.len; i++) {
            if (!include[i]) {
                continue;
            }
            if (m->fields.ptr[i] == pkf) {
                if (rorm_value_copy(&kv, b->params[p]) != RORM_OK) {
                    rorm_value_dispose(&obj);
                    return rorm__error_oom(err);
                }
                break;
            }
            p++;
        }
        if (m->pk.len == 1) {
            rorm_value_dispose(&obj);
            *out = kv;
            return RORM_OK;
        }
        if (rorm_value_object_set_take(&obj, pkf->name, &kv) != RORM_OK) {
            rorm_value_dispose(&kv);
            rorm_value_dispose(&obj);
            return rorm__error_oom(err);
        }
    }
    rorm_value_move(out, &obj);
    return RORM_OK;
}

int rorm_db_insert(
    rorm_db *db, const char *model, const rorm_value *data, rorm_value *id_out, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    if (id_out) {
        rorm_value_init(id_out);
    }
    rorm_model *m;
    int rc = writable_model(&m, db, model, err);
    if (rc == RORM_OK) {
        rc = check_data(m, data, err);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    size_t nfields = m->fields.len;
    bind_list b;
    row_scratch s;
    if ((rc = bind_list_init(&b, nfields, err)) != RORM_OK) {
        return rc;
    }
    if ((rc = scratch_init(&s, nfields, err)) != RORM_OK) {
        bind_list_dispose(&b);
        return rc;
    }
    int64_t now = 0, rowid = 0;
    size_t ncols = row_columns(m, data, s.include);
    rc = row_bind(&b, s.gen, m, data, s.include, &now, err);
    rorm_str sql = RORM_STR_INIT;
    if (rc == RORM_OK) {
        insert_sql(&sql, db->dialect, m, s.include, ncols, 1);
        rc = rorm__run_write(db, &sql, b.params, b.n, NULL, &rowid, err);
    }
    if (rc == RORM_OK && id_out && m->pk.len > 0) {
        rc = inserted_key(id_out, m, &b, s.include, rowid, err);
    }
    rorm__str_dispose(&sql);
    bind_list_dispose(&b);
    scratch_dispose(&s, nfields);
    return rc;
}

/* Rows per multi-row INSERT: under every database's parameter limit, and a bounded SQL size. */
static size_t rows_per_statement(size_t ncols)
{
    size_t rows = ncols ? 30000 / ncols : 1;
    return rows > 500 ? 500 : rows ? rows : 1;
}

int rorm_db_insert_many(rorm_db *db,
                        const char *model,
                        const rorm_value *records,
                        size_t nrecords,
                        int64_t *count_out,
                        rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    RORM_CHECK_ARG(records != NULL || nrecords == 0, err);
    if (count_out) {
        *count_out = 0;
    }
    rorm_model *m;
    int rc = writable_model(&m, db, model, err);
    for (size_t r = 0; rc == RORM_OK && r < nrecords; r++) {
        rc = check_data(m, &records[r], err);
    }
    if (rc != RORM_OK || nrecords == 0) {
        return rc;
    }
    size_t nfields = m->fields.len;
    row_scratch s, s2;
    if ((rc = scratch_init(&s, nfields, err)) != RORM_OK) {
        return rc;
    }
    if ((rc = scratch_init(&s2, nfields, err)) != RORM_OK) {
        scratch_dispose(&s, nfields);
        return rc;
    }
    /* One transaction (or savepoint) for all the rows: all of them or none. */
    rorm_db *tx = NULL;
    rc = rorm_db_begin(&tx, db, err);
    rorm_str sql = RORM_STR_INIT;
    int64_t total = 0;
    size_t r = 0;
    while (rc == RORM_OK && r < nrecords) {
        /* A run of records that write the same columns becomes one statement per chunk. */
        size_t ncols = row_columns(m, &records[r], s.include);
        size_t max_rows = rows_per_statement(ncols);
        size_t end = r + 1;
        while (end < nrecords && end - r < max_rows && ncols > 0) {
            size_t n2 = row_columns(m, &records[end], s2.include);
            if (n2 != ncols || memcmp(s.include, s2.include, nfields * sizeof(bool)) != 0) {
                break;
            }
            end++;
        }
        size_t nrows = end - r;
        bind_list b;
        size_t nparams = ncols * nrows;
        rc = bind_list_init(&b, nparams ? nparams : 1, err);
        if (rc != RORM_OK) {
            break;
        }
        rorm_value *gens = NULL;
        if (nrows > 1 || nfields > STACK_COLS) {
            size_t ngen;
            if (!rorm__mul_ok(&ngen, nrows, nfields) ||
                (gens = rorm__calloc(ngen ? ngen : 1, sizeof *gens)) == NULL) {
                rc = rorm__error_oom(err);
            }
        } else {
            gens = s.gen;
        }
        int64_t now = 0;
        for (size_t k = 0; rc == RORM_OK && k < nrows; k++) {
            rc = row_bind(&b, gens + k * nfields, m, &records[r + k], s.include, &now, err);
        }
        if (rc == RORM_OK) {
            rorm__str_clear(&sql);
            insert_sql(&sql, db->dialect, m, s.include, ncols, nrows);
            int64_t changes = 0;
            rc = rorm__run_write(tx, &sql, b.params, b.n, &changes, NULL, err);
            total += changes;
        }
        bind_list_dispose(&b);
        if (gens && gens != s.gen) {
            for (size_t k = 0; k < nrows * nfields; k++) {
                rorm_value_dispose(&gens[k]);
            }
            rorm__free(gens);
        } else {
            scratch_clear(&s, nfields);
        }
        r = end;
    }
    rorm__str_dispose(&sql);
    scratch_dispose(&s, nfields);
    scratch_dispose(&s2, nfields);
    if (tx) {
        if (rc == RORM_OK) {
            rc = rorm_db_commit(tx, err);
        } else {
            rorm_db_rollback(tx, NULL);
        }
    }
    if (rc == RORM_OK && count_out) {
        *count_out = total;
    }
    return rc;
}

int rorm__pk_condition(rorm_str *sql,
                       const rorm_value **params,
                       rorm_value *tmps,
                       size_t *nparams,
                       const rorm_db *db,
                       const rorm_model *m,
                       const rorm_value *id,
                       rorm_error *err)
{
    const rorm_dialect *d = db->dialect;
    if (m->pk.len == 0) {
        return rorm__error(err, RORM_EINVAL, "model '%s' has no primary key", m->name);
    }
    if (id == NULL) {
        return rorm__error(err, RORM_EINVAL, "no key given for model '%s'", m->name);
    }
    bool keyed = id->type == RORM_TYPE_OBJECT;
    if (m->pk.len > 1 && !keyed) {
        return rorm__error(err, RORM_EINVAL,
                           "model '%s' has a composite key: pass an object with its fields",
                           m->name);
    }
    if (m->pk.len > RORM_MAX_PK_FIELDS) {
        return rorm__error(err, RORM_EUNSUPPORTED, "model '%s' has too many key fields", m->name);
    }
    for (size_t k = 0; k < m->pk.len; k++) {
        const rorm_field *f = m->pk.ptr[k];
        const rorm_value *v = keyed ? rorm_value_object_get(id, f->name) : id;
        if (v == NULL) {
            return rorm__error(err, RORM_EINVAL, "key field '%s' missing for model '%s'", f->name,
                               m->name);
        }
        if (v->type == RORM_TYPE_NULL) {
            return rorm__error(err, RORM_EINVAL, "key field '%s.%s' cannot be null", m->name,
                               f->name);
        }
        int rc = rorm__coerce(&params[*nparams], &tmps[*nparams], f, v, err);
        if (rc != RORM_OK) {
            return rc;
        }
        rorm__str_puts(sql, k == 0 ? " WHERE " : " AND ");
        d->quote_ident(sql, f->column);
        rorm__str_puts(sql, " = ");
        (*nparams)++;
        d->placeholder(sql, *nparams);
    }
    if (keyed && id->u.obj.len != m->pk.len) {
        for (size_t i = 0; i < id->u.obj.len; i++) {
            rorm_field *f;
            int rc = rorm__model_find_field(&f, m, id->u.obj.items[i].key, err);
            if (rc != RORM_OK) {
                return rc;
            }
            if (!(f->flags & RORM_PRIMARY_KEY)) {
                return rorm__error(err, RORM_EINVAL, "field '%s.%s' is not part of the primary key",
                                   m->name, f->name);
            }
        }
    }
    return RORM_OK;
}

/* Append the quoted columns of every readable scalar field and collect the fields. */
static size_t
select_columns(rorm_str *sql, rorm_field **fields, const rorm_dialect *d, const rorm_model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->fields.len; i++) {
        rorm_field *f = m->fields.ptr[i];
        if (!rorm__field_is_column(f) || (f->flags & RORM_IGNORED) ||
            f->type == RORM_FIELD_UNSUPPORTED) {
            continue;
        }
        if (n) {
            rorm__str_puts(sql, ", ");
        }
        d->quote_ident(sql, f->column);
        fields[n++] = f;
    }
    return n;
}

int rorm_db_find(
    rorm_db *db, const char *model, const rorm_value *id, rorm_value *record_out, rorm_error *err)
{
    RORM_CHECK_ARG(record_out != NULL, err);
    rorm_value_init(record_out);
    RORM_CHECK_ARG(db != NULL, err);
    rorm_model *m;
    int rc = rorm__db_model(&m, db, model, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_field **fields = rorm__calloc(m->fields.len ? m->fields.len : 1, sizeof *fields);
    if (fields == NULL) {
        return rorm__error_oom(err);
    }
    const rorm_value *params[RORM_MAX_PK_FIELDS];
    rorm_value tmps[RORM_MAX_PK_FIELDS];
    size_t nparams = 0;
    rorm_str sql = RORM_STR_INIT;
    rorm__str_puts(&sql, "SELECT ");
    size_t n = select_columns(&sql, fields, db->dialect, m);
    rorm__str_puts(&sql, " FROM ");
    db->dialect->quote_ident(&sql, m->table);
    rc = rorm__pk_condition(&sql, params, tmps, &nparams, db, m, id, err);
    if (rc == RORM_OK) {
        db->dialect->limit_offset(&sql, 1, 0);
        if (rorm__str_oom(&sql)) {
            rc = rorm__error_oom(err);
        }
    }
    rorm_rows *rows = NULL;
    if (rc == RORM_OK) {
        rc = rorm__rows_new(&rows, n, err);
    }
    rorm_conn *conn = NULL;
    if (rc == RORM_OK) {
        rc = rorm__db_acquire(&conn, db, err);
    }
    if (rc == RORM_OK) {
        rc = rorm__run_select(rows, conn, sql.ptr, sql.len, params, nparams, fields, n, err);
        rorm__db_release(db, conn);
    }
    if (rc == RORM_OK && rows->nrows == 0) {
        rc = rorm__error(err, RORM_ENOTFOUND, "no %s record with that key", m->name);
    }
    if (rc == RORM_OK) {
        /* Move the cells into an object keyed by field names (borrowed from the schema). */
        rorm_value obj;
        rorm_value_init_object(&obj);
        for (size_t c = 0; rc == RORM_OK && c < n; c++) {
            if (rorm_value_object_set_take(&obj, fields[c]->name, &rows->cells[c]) != RORM_OK) {
                rc = rorm__error_oom(err);
            }
        }
        if (rc == RORM_OK) {
            rorm_value_move(record_out, &obj);
        } else {
            rorm_value_dispose(&obj);
        }
    }
    for (size_t i = 0; i < nparams; i++) {
        rorm_value_dispose(&tmps[i]);
    }
    rorm_rows_free(rows);
    rorm__str_dispose(&sql);
    rorm__free(fields);
    return rc;
}

int rorm_db_update(
    rorm_db *db, const char *model, const rorm_value *id, const rorm_value *data, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    rorm_model *m;
    int rc = rorm__db_model(&m, db, model, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if ((rc = check_data(m, data, err)) != RORM_OK) {
        return rc;
    }
    const rorm_dialect *d = db->dialect;
    bind_list b;
    if ((rc = bind_list_init(&b, m->fields.len + RORM_MAX_PK_FIELDS, err)) != RORM_OK) {
        return rc;
    }
    rorm_str sql = RORM_STR_INIT;
    rorm__str_puts(&sql, "UPDATE ");
    d->quote_ident(&sql, m->table);
    size_t nset = 0;
    int64_t now = 0;
    for (size_t i = 0; rc == RORM_OK && i < m->fields.len; i++) {
        rorm_field *f = m->fields.ptr[i];
        if (!rorm__field_is_column(f)) {
            continue;
        }
        const rorm_value *v = rorm_value_object_get(data, f->name);
        rorm_value stamp;
        if (v == NULL && (f->flags & RORM_UPDATED_AT)) {
            if (now == 0) {
                now = rorm__now_ms();
            }
            stamp = RORM_DATETIME(now);
            v = &stamp;
        }
        if (v == NULL) {
            continue;
        }
        rorm__str_puts(&sql, nset == 0 ? " SET " : ", ");
        d->quote_ident(&sql, f->column);
        rorm__str_puts(&sql, " = ");
        rc = bind_list_add(&b, f, v, err);
        d->placeholder(&sql, b.n);
        nset++;
    }
    if (rc == RORM_OK && nset == 0) {
        /* Nothing to change: report whether the record exists, as an update would. */
        rorm__str_dispose(&sql);
        bind_list_dispose(&b);
        rorm_value rec;
        rc = rorm_db_find(db, model, id, &rec, err);
        rorm_value_dispose(&rec);
        return rc;
    }
    if (rc == RORM_OK) {
        rc = rorm__pk_condition(&sql, b.params, b.tmps, &b.n, db, m, id, err);
    }
    int64_t changes = 0;
    if (rc == RORM_OK) {
        rc = rorm__run_write(db, &sql, b.params, b.n, &changes, NULL, err);
    }
    if (rc == RORM_OK && changes == 0) {
        rc = rorm__error(err, RORM_ENOTFOUND, "no %s record with that key", m->name);
    }
    rorm__str_dispose(&sql);
    bind_list_dispose(&b);
    return rc;
}

int rorm_db_delete(rorm_db *db, const char *model, const rorm_value *id, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    rorm_model *m;
    int rc = rorm__db_model(&m, db, model, err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_value *params[RORM_MAX_PK_FIELDS];
    rorm_value tmps[RORM_MAX_PK_FIELDS];
    size_t nparams = 0;
    rorm_str sql = RORM_STR_INIT;
    rorm__str_puts(&sql, "DELETE FROM ");
    db->dialect->quote_ident(&sql, m->table);
    rc = rorm__pk_condition(&sql, params, tmps, &nparams, db, m, id, err);
    int64_t changes = 0;
    if (rc == RORM_OK) {
        rc = rorm__run_write(db, &sql, params, nparams, &changes, NULL, err);
    }
    if (rc == RORM_OK && changes == 0) {
        rc = rorm__error(err, RORM_ENOTFOUND, "no %s record with that key", m->name);
    }
    for (size_t i = 0; i < nparams; i++) {
        rorm_value_dispose(&tmps[i]);
    }
    rorm__str_dispose(&sql);
    return rc;
}
