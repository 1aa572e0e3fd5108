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
                     size_t max_rows,
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
        if (rc == RORM_OK && rows->nrows == max_rows) {
            break; /* e.g. a lookup by key: no need to step past the row wanted */
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
                    const char *sql,
                    size_t len,
                    const rorm_value *const *params,
                    size_t nparams,
                    int64_t *changes_out,
                    int64_t *rowid_out,
                    rorm_error *err)
{
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_driver *drv = conn->driver;
    rorm_stmt *stmt;
    rc = rorm__conn_prepare(&stmt, conn, sql, len, err);
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

/*
 * Check that @p data is an object of writable scalar fields of @p m, and index its values by
 * field position: by_field[i] is the value given for field i, or NULL.
 */
static int check_data(const rorm_value **by_field,
                      const rorm_model *m,
                      const rorm_value *data,
                      rorm_error *err)
{
    if (data == NULL || data->type != RORM_TYPE_OBJECT) {
        return rorm__error(err, RORM_EINVAL,
                           "data for model '%s' must be an object of field values", m->name);
    }
    for (size_t i = 0; i < m->fields.len; i++) {
        by_field[i] = NULL;
    }
    for (size_t i = 0; i < data->u.obj.len; i++) {
        const rorm_member *mem = &data->u.obj.items[i];
        rorm_field *f;
        int rc = rorm__model_find_field(&f, m, mem->key, err);
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
        if (by_field[f->index] != NULL) {
            return rorm__error(err, RORM_EINVAL, "field '%s.%s' is given twice", m->name, f->name);
        }
        by_field[f->index] = &mem->value;
    }
    return RORM_OK;
}

int rorm__generate_default(rorm_value *out, const rorm_field *f, int64_t now, rorm_error *err)
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
 * Which columns a row writes: the fields it gives, plus those whose default the library makes
 * (now(), uuid(), literals, @updatedAt, empty lists). Database-generated keys are left out.
 * Returns the number of columns; `include[i]` is set for each field written.
 */
static size_t row_columns(const rorm_model *m, const rorm_value *const *by_field, bool *include)
{
    size_t n = 0;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        include[i] = false;
        if (!rorm__field_is_column(f) || (f->flags & RORM_IGNORED)) {
            continue;
        }
        if (by_field[i] == NULL) {
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
 * @p gen (one slot per field). A missing required field is an error naming it.
 */
static int row_bind(bind_list *b,
                    rorm_value *gen,
                    const rorm_model *m,
                    const rorm_value *const *by_field,
                    const bool *include,
                    int64_t *now,
                    rorm_error *err)
{
    for (size_t i = 0; i < m->fields.len; i++) {
        if (!include[i]) {
            continue;
        }
        const rorm_field *f = m->fields.ptr[i];
        const rorm_value *v = by_field[i];
        if (v == NULL) {
            if (*now == 0) {
                *now = rorm__now_ms();
            }
            int rc = rorm__generate_default(&gen[i], f, *now, err);
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
    rorm__dialect_table(sql, d, m);
    /* A key the database generates comes back by RETURNING where last_insert_id cannot. */
    const rorm_field *returning = NULL;
    if (d->insert_returning && m->pk.len == 1 && !include[m->pk.ptr[0]->index]) {
        returning = m->pk.ptr[0];
    }
    if (ncols == 0) {
        rorm__str_puts(sql, d->db_type == RORM_DB_MYSQL ? " () VALUES ()" : " DEFAULT VALUES");
        if (returning) {
            rorm__str_puts(sql, " RETURNING ");
            d->quote_ident(sql, returning->column);
        }
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
    if (returning) {
        rorm__str_puts(sql, " RETURNING ");
        d->quote_ident(sql, returning->column);
    }
}

/* The cached INSERT text for this shape, building and caching it on a miss. */
static const char *insert_text(rorm_db *db,
                               rorm_str *scratch,
                               const rorm_model *m,
                               const bool *include,
                               size_t ncols,
                               size_t nrows,
                               size_t *len)
{
    rorm_shape key;
    rorm__shape_init(&key, m, RORM_SHAPE_INSERT, (uint32_t)nrows);
    rorm__shape_add_mask(&key, include, m->fields.len);
    const char *text = key.ok ? rorm__sql_cache_get(db, &key, len) : NULL;
    if (text) {
        return text;
    }
    rorm__str_clear(scratch);
    insert_sql(scratch, db->dialect, m, include, ncols, nrows);
    if (rorm__str_oom(scratch)) {
        return NULL;
    }
    text = key.ok ? rorm__sql_cache_put(db, &key, scratch, len) : NULL;
    if (text == NULL) {
        *len = scratch->len;
        text = scratch->ptr;
    }
    return text;
}

/* Per-call scratch space indexed by field: on the stack for ordinary models. */
typedef struct row_scratch {
    size_t n;
    rorm_value *gen;
    bool *include;
    const rorm_value **by_field;
    rorm_value gen_stack[STACK_COLS];
    bool include_stack[STACK_COLS];
    const rorm_value *by_field_stack[STACK_COLS];
} row_scratch;

static int scratch_init(row_scratch *s, size_t nfields, rorm_error *err)
{
    s->n = nfields;
    s->gen = s->gen_stack;
    s->include = s->include_stack;
    s->by_field = s->by_field_stack;
    if (nfields > STACK_COLS) {
        s->gen = rorm__calloc(nfields, sizeof *s->gen);
        s->include = rorm__calloc(nfields, sizeof *s->include);
        s->by_field = rorm__calloc(nfields, sizeof *s->by_field);
        if (s->gen == NULL || s->include == NULL || s->by_field == NULL) {
            rorm__free(s->gen);
            rorm__free(s->include);
            rorm__free(s->by_field);
            s->gen = NULL;
            return rorm__error_oom(err);
        }
    }
    for (size_t i = 0; i < nfields; i++) {
        rorm_value_init(&s->gen[i]);
    }
    return RORM_OK;
}

static void scratch_dispose(row_scratch *s)
{
    if (s->gen == NULL) {
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        rorm_value_dispose(&s->gen[i]);
    }
    if (s->gen != s->gen_stack) {
        rorm__free(s->gen);
        rorm__free(s->include);
        rorm__free(s->by_field);
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
        /* The bound value of this key field, if the row wrote it: parameters follow field order. */
        size_t p = 0;
        for (size_t i = 0; i < pkf->index; i++) {
            p += include[i];
        }
        if (include[pkf->index] && rorm_value_copy(&kv, b->params[p]) != RORM_OK) {
            rorm_value_dispose(&obj);
            return rorm__error_oom(err);
        }
        if (m->pk.len == 1) {
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
    if (rc != RORM_OK) {
        return rc;
    }
    size_t nfields = m->fields.len;
    bind_list b;
    row_scratch s;
    if ((rc = scratch_init(&s, nfields, err)) != RORM_OK) {
        return rc;
    }
    if ((rc = check_data(s.by_field, m, data, err)) != RORM_OK ||
        (rc = bind_list_init(&b, nfields, err)) != RORM_OK) {
        scratch_dispose(&s);
        return rc;
    }
    int64_t now = 0, rowid = 0;
    size_t ncols = row_columns(m, s.by_field, s.include);
    rc = row_bind(&b, s.gen, m, s.by_field, s.include, &now, err);
    rorm_str scratch = RORM_STR_INIT;
    if (rc == RORM_OK) {
        size_t len;
        const char *text = insert_text(db, &scratch, m, s.include, ncols, 1, &len);
        rc = text ? rorm__run_write(db, text, len, b.params, b.n, NULL, &rowid, err)
                  : rorm__error_oom(err);
    }
    if (rc == RORM_OK && id_out && m->pk.len > 0) {
        rc = inserted_key(id_out, m, &b, s.include, rowid, err);
    }
    rorm__str_dispose(&scratch);
    bind_list_dispose(&b);
    scratch_dispose(&s);
    return rc;
}

/* Rows per multi-row INSERT: under every database's parameter limit, and a bounded SQL size. */
static size_t rows_per_statement(size_t ncols)
{
    size_t rows = ncols ? 30000 / ncols : 1;
    return rows > 500 ? 500 : rows ? rows : 1;
}

/* Insert records[0..n) that all write the columns in @p include, as one statement. */
static int insert_run(rorm_db *tx,
                      rorm_str *scratch,
                      const rorm_model *m,
                      const rorm_value *const *by_field,
                      size_t nrows,
                      const bool *include,
                      size_t ncols,
                      int64_t *count,
                      rorm_error *err)
{
    size_t nfields = m->fields.len, ngen;
    bind_list b;
    size_t nparams = ncols * nrows;
    int rc = bind_list_init(&b, nparams ? nparams : 1, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_value *gens = NULL;
    if (!rorm__mul_ok(&ngen, nrows, nfields) ||
        (gens = rorm__calloc(ngen ? ngen : 1, sizeof *gens)) == NULL) {
        bind_list_dispose(&b);
        return rorm__error_oom(err);
    }
    int64_t now = 0;
    for (size_t k = 0; rc == RORM_OK && k < nrows; k++) {
        rc = row_bind(&b, gens + k * nfields, m, by_field + k * nfields, include, &now, err);
    }
    if (rc == RORM_OK) {
        size_t len;
        const char *text = insert_text(tx, scratch, m, include, ncols, nrows, &len);
        int64_t changes = 0;
        rc = text ? rorm__run_write(tx, text, len, b.params, b.n, &changes, NULL, err)
                  : rorm__error_oom(err);
        *count += changes;
    }
    bind_list_dispose(&b);
    for (size_t k = 0; k < ngen; k++) {
        rorm_value_dispose(&gens[k]);
    }
    rorm__free(gens);
    return rc;
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
    if (rc != RORM_OK || nrecords == 0) {
        return rc;
    }
    size_t nfields = m->fields.len, nslots;
    size_t max_rows = rows_per_statement(1);
    /* by_field for up to max_rows records, and the include masks of the run and the next row. */
    const rorm_value **by_field = NULL;
    bool *include = rorm__calloc(nfields ? 2 * nfields : 1, sizeof *include);
    if (rorm__mul_ok(&nslots, max_rows, nfields ? nfields : 1)) {
        by_field = rorm__calloc(nslots, sizeof *by_field);
    }
    if (by_field == NULL || include == NULL) {
        rorm__free(by_field);
        rorm__free(include);
        return rorm__error_oom(err);
    }
    bool *next = include + nfields;
    /* One transaction (or savepoint) for all the rows: all of them or none. */
    rorm_db *tx = NULL;
    rc = rorm_db_begin(&tx, db, err);
    rorm_str scratch = RORM_STR_INIT;
    int64_t total = 0;
    size_t r = 0;
    while (rc == RORM_OK && r < nrecords) {
        /* A run of records that write the same columns becomes one statement. */
        rc = check_data(by_field, m, &records[r], err);
        if (rc != RORM_OK) {
            break;
        }
        size_t ncols = row_columns(m, by_field, include);
        size_t limit = rows_per_statement(ncols);
        size_t n = 1;
        while (rc == RORM_OK && r + n < nrecords && n < limit && ncols > 0) {
            const rorm_value **slot = by_field + n * nfields;
            rc = check_data(slot, m, &records[r + n], err);
            if (rc != RORM_OK || row_columns(m, slot, next) != ncols ||
                memcmp(include, next, nfields * sizeof *include) != 0) {
                break;
            }
            n++;
        }
        if (rc == RORM_OK) {
            rc = insert_run(tx, &scratch, m, by_field, n, include, ncols, &total, err);
        }
        r += n;
    }
    rorm__str_dispose(&scratch);
    rorm__free(by_field);
    rorm__free(include);
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
    if (keyed) {
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
        (*nparams)++;
        if (sql) {
            rorm__str_puts(sql, k == 0 ? " WHERE " : " AND ");
            d->quote_ident(sql, f->column);
            rorm__str_puts(sql, " = ");
            d->placeholder(sql, *nparams);
        }
    }
    return RORM_OK;
}

/* The readable scalar fields of a model, in schema order. */
static size_t readable_fields(rorm_field **fields, const rorm_model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->fields.len; i++) {
        rorm_field *f = m->fields.ptr[i];
        if (rorm__field_is_column(f) && !(f->flags & RORM_IGNORED) &&
            f->type != RORM_FIELD_UNSUPPORTED) {
            fields[n++] = f;
        }
    }
    return n;
}

/*
 * The WHERE text "pk = ? [AND pk2 = ?]" appended to @p prefix (a FROM/UPDATE/DELETE head), with
 * the key values collected; the whole text is cached by shape. @p tail is appended last.
 */
static const char *
keyed_text(rorm_db *db,
           rorm_str *scratch,
           const rorm_shape *key,
           const rorm_model *m,
           const rorm_value *id,
           const rorm_value **params,
           rorm_value *tmps,
           size_t *nparams,
           void (*head)(rorm_str *, const rorm_db *, const rorm_model *, const void *),
           const void *head_arg,
           bool limit1,
           size_t *len,
           int *rc,
           rorm_error *err)
{
    const char *text = key->ok ? rorm__sql_cache_get(db, key, len) : NULL;
    /* The key values are checked and collected either way; the text only on a miss. */
    size_t before = *nparams;
    *rc = rorm__pk_condition(NULL, params, tmps, nparams, db, m, id, err);
    if (*rc != RORM_OK || text) {
        return text;
    }
    *nparams = before;
    for (size_t i = 0; i < m->pk.len && i < RORM_MAX_PK_FIELDS; i++) {
        rorm_value_dispose(&tmps[before + i]);
    }
    rorm__str_clear(scratch);
    head(scratch, db, m, head_arg);
    *rc = rorm__pk_condition(scratch, params, tmps, nparams, db, m, id, err);
    if (*rc != RORM_OK) {
        return NULL;
    }
    if (limit1) {
        db->dialect->limit_offset(scratch, 1, 0);
    }
    if (rorm__str_oom(scratch)) {
        *rc = rorm__error_oom(err);
        return NULL;
    }
    text = key->ok ? rorm__sql_cache_put(db, key, scratch, len) : NULL;
    if (text == NULL) {
        *len = scratch->len;
        text = scratch->ptr;
    }
    return text;
}

static void find_head(rorm_str *sql, const rorm_db *db, const rorm_model *m, const void *arg)
{
    const struct {
        rorm_field **fields;
        size_t n;
    } *cols = arg;
    rorm__str_puts(sql, "SELECT ");
    rorm__dialect_column_list(sql, db->dialect, cols->fields, cols->n);
    rorm__str_puts(sql, " FROM ");
    rorm__dialect_table(sql, db->dialect, m);
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
    rorm_field *stack_fields[STACK_COLS];
    rorm_field **fields = stack_fields;
    if (m->fields.len > STACK_COLS &&
        (fields = rorm__calloc(m->fields.len, sizeof *fields)) == NULL) {
        return rorm__error_oom(err);
    }
    struct {
        rorm_field **fields;
        size_t n;
    } cols = { fields, readable_fields(fields, m) };
    const rorm_value *params[RORM_MAX_PK_FIELDS];
    rorm_value tmps[RORM_MAX_PK_FIELDS];
    size_t nparams = 0, len = 0;
    rorm_str scratch = RORM_STR_INIT;
    rorm_shape key;
    rorm__shape_init(&key, m, RORM_SHAPE_FIND, 0);
    const char *text = keyed_text(db, &scratch, &key, m, id, params, tmps, &nparams, find_head,
                                  &cols, true, &len, &rc, err);
    rorm_rows *rows = NULL;
    if (rc == RORM_OK && (rc = rorm__rows_new(&rows, cols.n, err)) == RORM_OK) {
        rc = rorm__rows_reserve(rows, 1, err);
    }
    for (size_t c = 0; rc == RORM_OK && c < cols.n; c++) {
        rows->names[c] = fields[c]->name;
    }
    rorm_conn *conn = NULL;
    if (rc == RORM_OK) {
        rc = rorm__db_acquire(&conn, db, err);
    }
    if (rc == RORM_OK) {
        rc = rorm__run_select(rows, conn, text, len, params, nparams, fields, cols.n, 1, err);
        rorm__db_release(db, conn);
    }
    if (rc == RORM_OK && rows->nrows == 0) {
        rc = rorm__error(err, RORM_ENOTFOUND, "no %s record with that key", m->name);
    }
    if (rc == RORM_OK) {
        rc = rorm__rows_take_record(record_out, rows, 0, err);
    }
    for (size_t i = 0; i < nparams; i++) {
        rorm_value_dispose(&tmps[i]);
    }
    rorm_rows_free(rows);
    rorm__str_dispose(&scratch);
    if (fields != stack_fields) {
        rorm__free(fields);
    }
    return rc;
}

static void update_head(rorm_str *sql, const rorm_db *db, const rorm_model *m, const void *arg)
{
    const bool *set = arg;
    const rorm_dialect *d = db->dialect;
    size_t n = 0;
    rorm__str_puts(sql, "UPDATE ");
    rorm__dialect_table(sql, d, m);
    for (size_t i = 0; i < m->fields.len; i++) {
        if (set[i]) {
            rorm__str_puts(sql, n == 0 ? " SET " : ", ");
            d->quote_ident(sql, m->fields.ptr[i]->column);
            rorm__str_puts(sql, " = ");
            d->placeholder(sql, ++n);
        }
    }
}

int rorm_db_update(
    rorm_db *db, const char *model, const rorm_value *id, const rorm_value *data, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    rorm_model *m;
    int rc = writable_model(&m, db, model, err);
    if (rc != RORM_OK) {
        return rc;
    }
    size_t nfields = m->fields.len;
    row_scratch s;
    bind_list b;
    if ((rc = scratch_init(&s, nfields, err)) != RORM_OK) {
        return rc;
    }
    if ((rc = check_data(s.by_field, m, data, err)) != RORM_OK ||
        (rc = bind_list_init(&b, nfields + RORM_MAX_PK_FIELDS, err)) != RORM_OK) {
        scratch_dispose(&s);
        return rc;
    }
    size_t nset = 0;
    int64_t now = 0;
    for (size_t i = 0; rc == RORM_OK && i < nfields; i++) {
        rorm_field *f = m->fields.ptr[i];
        const rorm_value *v = s.by_field[i];
        s.include[i] = false;
        if (v == NULL && rorm__field_is_column(f) && (f->flags & RORM_UPDATED_AT)) {
            if (now == 0) {
                now = rorm__now_ms();
            }
            s.gen[i] = RORM_DATETIME(now);
            v = &s.gen[i];
        }
        if (v != NULL) {
            s.include[i] = true;
            rc = bind_list_add(&b, f, v, err);
            nset++;
        }
    }
    if (rc == RORM_OK && nset == 0) {
        /* Nothing to change: report whether the record exists, as an update would. */
        bind_list_dispose(&b);
        scratch_dispose(&s);
        rorm_value rec;
        rc = rorm_db_find(db, model, id, &rec, err);
        rorm_value_dispose(&rec);
        return rc;
    }
    rorm_str scratch = RORM_STR_INIT;
    size_t len = 0;
    const char *text = NULL;
    if (rc == RORM_OK) {
        rorm_shape key;
        rorm__shape_init(&key, m, RORM_SHAPE_UPDATE, 0);
        rorm__shape_add_mask(&key, s.include, nfields);
        text = keyed_text(db, &scratch, &key, m, id, b.params, b.tmps, &b.n, update_head, s.include,
                          false, &len, &rc, err);
    }
    int64_t changes = 0;
    if (rc == RORM_OK) {
        rc = rorm__run_write(db, text, len, b.params, b.n, &changes, NULL, err);
    }
    if (rc == RORM_OK && changes == 0) {
        rc = rorm__error(err, RORM_ENOTFOUND, "no %s record with that key", m->name);
    }
    rorm__str_dispose(&scratch);
    bind_list_dispose(&b);
    scratch_dispose(&s);
    return rc;
}

static void delete_head(rorm_str *sql, const rorm_db *db, const rorm_model *m, const void *arg)
{
    (void)arg;
    rorm__str_puts(sql, "DELETE FROM ");
    rorm__dialect_table(sql, db->dialect, m);
}

int rorm_db_delete(rorm_db *db, const char *model, const rorm_value *id, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    rorm_model *m;
    int rc = writable_model(&m, db, model, err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_value *params[RORM_MAX_PK_FIELDS];
    rorm_value tmps[RORM_MAX_PK_FIELDS];
    size_t nparams = 0, len = 0;
    rorm_str scratch = RORM_STR_INIT;
    rorm_shape key;
    rorm__shape_init(&key, m, RORM_SHAPE_DELETE, 0);
    const char *text = keyed_text(db, &scratch, &key, m, id, params, tmps, &nparams, delete_head,
                                  NULL, false, &len, &rc, err);
    int64_t changes = 0;
    if (rc == RORM_OK) {
        rc = rorm__run_write(db, text, len, params, nparams, &changes, NULL, err);
    }
    if (rc == RORM_OK && changes == 0) {
        rc = rorm__error(err, RORM_ENOTFOUND, "no %s record with that key", m->name);
    }
    for (size_t i = 0; i < nparams; i++) {
        rorm_value_dispose(&tmps[i]);
    }
    rorm__str_dispose(&scratch);
    return rc;
}
