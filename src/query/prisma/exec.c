/*
 * Running Prisma Client operations: rorm_db_call() validates the arguments (args.c), compiles
 * them (sql.c), runs the statements on the database or transaction handle, and turns the rows
 * into result values. Writes that take more than one statement (update, upsert, delete,
 * createMany with skipDuplicates, createManyAndReturn) run in a transaction, or a savepoint
 * inside the caller's transaction.
 */
#include "query/prisma/pc.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/value.h"
#include "rediorm/sys/driver.h"
#include "util/alloc.h"
#include "util/error.h"

typedef pc_cells value_vec;

static int oom(pc_ctx *ctx)
{
    return rorm__error_oom(ctx->err);
}

static void cells_dispose(value_vec *cells)
{
    for (size_t i = 0; i < cells->len; i++) {
        rorm_value_dispose(&cells->ptr[i]);
    }
    rorm_vec_free(cells);
}

static int
read_cell_owned(rorm_value *out, const pc_col *c, const rorm_value *col, rorm_error *err);

/* ---- the result arena ----------------------------------------------------------------------
 *
 * Blocks of 16 KiB doubling up to 1 MiB after the caller's first region; a request larger than
 * half the next block gets a block of its own. With RORM_ARENA_PASSTHROUGH defined (as for the
 * AST arena) every allocation is its own block.
 */

/* The first heap block of a result arena, and the largest it doubles up to. */
#define RARENA_MIN (16u << 10)
#define RARENA_MAX (1u << 20)

void rorm__pc_rarena_init(pc_rarena *a, void *mem, size_t size)
{
    a->free = mem;
    a->left = mem ? size : 0;
    a->next = RARENA_MIN;
    a->blocks.ptr = NULL;
    a->blocks.len = a->blocks.cap = 0;
}

void rorm__pc_rarena_dispose(pc_rarena *a)
{
    for (size_t i = 0; i < a->blocks.len; i++) {
        rorm__free(a->blocks.ptr[i]);
    }
    rorm_vec_free(&a->blocks);
    a->free = NULL;
    a->left = 0;
}

void *rorm__pc_ralloc(void *payload, size_t n)
{
    pc_rarena *a = payload;
    if (n > SIZE_MAX - 15) {
        return NULL;
    }
    n = (n + 15) & ~(size_t)15;
    if (n == 0) {
        n = 16;
    }
#ifdef RORM_ARENA_PASSTHROUGH
    /* Every allocation its own block, so ASan and valgrind see each one. */
    a->left = 0;
    a->next = 0;
#endif
    if (n <= a->left) {
        void *p = a->free;
        a->free += n;
        a->left -= n;
        return p;
    }
    if (rorm_vec_reserve(&a->blocks, 1) != 0) {
        return NULL;
    }
    if (n > a->next / 2) {
        /* A large request (a long array's items) gets a block of its own; the current block
           stays in use. */
        void *p = rorm__malloc(n);
        if (p != NULL) {
            a->blocks.ptr[a->blocks.len++] = p;
        }
        return p;
    }
    unsigned char *b = rorm__malloc(a->next);
    if (b == NULL) {
        return NULL;
    }
    a->blocks.ptr[a->blocks.len++] = b;
    a->free = b + n;
    a->left = a->next - n;
    if (a->next < RARENA_MAX) {
        a->next *= 2;
    }
    return b;
}

/* The allocator of results: the result arena's, or NULL for owned results. */
static rorm__value_alloc_fn res_alloc(const pc_ctx *ctx)
{
    return ctx->res ? rorm__pc_ralloc : NULL;
}

/* Set member @p key of the result object @p obj (owned, or in the result arena). */
static int res_put(pc_ctx *ctx, rorm_value *obj, const char *key, rorm_value *val)
{
    return rorm__value_object_put_in(obj, key, val, res_alloc(ctx), ctx->res);
}

/* Make @p arr an array with room for @p n items (owned, or borrowed in the result arena). */
static int res_array(pc_ctx *ctx, rorm_value *arr, size_t n)
{
    rorm_value_init_array(arr);
    if (n == 0) {
        return RORM_OK;
    }
    size_t bytes;
    if (!rorm__mul_ok(&bytes, n, sizeof *arr->u.arr.items)) {
        return oom(ctx);
    }
    arr->u.arr.items = ctx->res ? rorm__pc_ralloc(ctx->res, bytes) : rorm__malloc(bytes);
    if (arr->u.arr.items == NULL) {
        return oom(ctx);
    }
    arr->u.arr.cap = n;
    arr->flags = ctx->res ? RORM_VALUE_BORROWED : 0;
    return RORM_OK;
}

/* A converted cell that owns memory, moved into the result arena. */
static int res_adopt(pc_ctx *ctx, rorm_value *v)
{
    if ((v->flags & RORM_VALUE_BORROWED) != 0 || v->type == RORM_TYPE_NULL ||
        v->type == RORM_TYPE_BOOL || v->type == RORM_TYPE_INT || v->type == RORM_TYPE_DOUBLE ||
        v->type == RORM_TYPE_DATETIME) {
        return RORM_OK;
    }
    rorm_value copy;
    int rc = rorm__value_copy_in(&copy, v, rorm__pc_ralloc, ctx->res);
    rorm_value_dispose(v);
    if (rc != RORM_OK) {
        return oom(ctx);
    }
    *v = copy;
    return RORM_OK;
}

/* Text of @p len bytes at @p s as a borrowed value of @p type in the result arena. */
static int res_text(pc_ctx *ctx, rorm_value *out, unsigned type, const char *s, size_t len)
{
    char *p = len + 1 > len ? rorm__pc_ralloc(ctx->res, len + 1) : NULL;
    if (p == NULL) {
        return oom(ctx);
    }
    if (len != 0) {
        memcpy(p, s, len);
    }
    p[len] = '\0';
    out->type = type;
    out->flags = RORM_VALUE_BORROWED;
    out->u.s.ptr = p;
    out->u.s.len = len;
    return RORM_OK;
}

/* Convert a column of the driver into the value the result shows (in the result arena when
   the context has one). */
static int read_cell(rorm_value *out, const pc_col *c, const rorm_value *col, pc_ctx *ctx)
{
    if (ctx->res == NULL) {
        return read_cell_owned(out, c, col, ctx->err);
    }
    rorm_value_init(out);
    const rorm_field *f = c->field;
    if (f != NULL && !(f->flags & RORM_LIST) &&
        (c->agg == PC_AGG_NONE || c->agg == PC_AGG_MIN || c->agg == PC_AGG_MAX)) {
        /* The common strings straight into the arena (what rorm__column_to_value makes). */
        if (f->type == RORM_FIELD_STRING && col->type == RORM_TYPE_TEXT) {
            return res_text(ctx, out, RORM_TYPE_TEXT, col->u.s.ptr, col->u.s.len);
        }
        if (f->type == RORM_FIELD_JSON &&
            (col->type == RORM_TYPE_TEXT || col->type == RORM_TYPE_JSON)) {
            return res_text(ctx, out, RORM_TYPE_JSON, col->u.s.ptr, col->u.s.len);
        }
    }
    int rc = read_cell_owned(out, c, col, ctx->err);
    if (rc == RORM_OK) {
        rc = res_adopt(ctx, out);
    }
    return rc;
}

/* Convert a column of the driver into the owned value the result shows. */
static int read_cell_owned(rorm_value *out, const pc_col *c, const rorm_value *col, rorm_error *err)
{
    if (c->agg == PC_AGG_COUNT) {
        rorm_value_init(out);
        *out = RORM_INT(rorm_value_as_int(col, 0));
        if (col->type == RORM_TYPE_DOUBLE) {
            *out = RORM_INT((int64_t)col->u.d);
        }
        return RORM_OK;
    }
    if (c->agg == PC_AGG_NONE || c->agg == PC_AGG_MIN || c->agg == PC_AGG_MAX) {
        return rorm__column_to_value(out, c->field, col, err);
    }
    /* SUM keeps the field's type (Int sums are BigInt-sized); AVG is a Float (Decimal for
       Decimal fields). */
    rorm_field as = *c->field;
    as.flags &= ~(unsigned)RORM_LIST;
    if (c->agg == PC_AGG_SUM && as.type == RORM_FIELD_INT) {
        as.type = RORM_FIELD_BIGINT;
    }
    if (c->agg == PC_AGG_AVG && as.type != RORM_FIELD_DECIMAL) {
        as.type = RORM_FIELD_FLOAT;
    }
    return rorm__column_to_value(out, &as, col, err);
}

void rorm__pc_cells_dispose(pc_cells *cells)
{
    cells_dispose(cells);
}

/* Run a SELECT and append up to @p max_rows rows of @p ncols converted cells to @p cells. */
int rorm__pc_run_select(pc_ctx *ctx,
                        rorm_db *db,
                        const pc_sql *s,
                        const pc_col *cols,
                        size_t ncols,
                        size_t max_rows,
                        value_vec *cells)
{
    if (s->oom || rorm__str_oom(&s->text)) {
        return oom(ctx);
    }
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_driver *drv = conn->driver;
    rorm_stmt *stmt;
    rc = rorm__conn_prepare(&stmt, conn, s->text.ptr, s->text.len, ctx->err);
    if (rc == RORM_OK) {
        for (size_t i = 0; rc == RORM_OK && i < s->params.len; i++) {
            rc = drv->bind(stmt, i, s->params.ptr[i], ctx->err);
        }
        size_t nrows = 0;
        while (rc == RORM_OK && nrows < max_rows && (rc = drv->step(stmt, ctx->err)) == 1) {
            rc = rorm_vec_reserve(cells, ncols) == 0 ? RORM_OK : oom(ctx);
            for (size_t c = 0; rc == RORM_OK && c < ncols; c++) {
                rorm_value col, *cell = &cells->ptr[cells->len];
                rc = drv->column(stmt, c, &col, ctx->err);
                if (rc == RORM_OK) {
                    rc = read_cell(cell, &cols[c], &col, ctx);
                }
                if (rc == RORM_OK) {
                    cells->len++;
                }
            }
            nrows++;
        }
        drv->reset(stmt);
    }
    rorm__db_release(db, conn);
    return rc;
}

static int run_write(pc_ctx *ctx, rorm_db *db, const pc_sql *s, int64_t *changes)
{
    if (s->oom || rorm__str_oom(&s->text)) {
        return oom(ctx);
    }
    return rorm__run_write(db, s->text.ptr, s->text.len, s->params.ptr, s->params.len, changes,
                           NULL, ctx->err);
}

/* ---- constraint errors -------------------------------------------------------------------- */

/* Whether the native message names @p f's column (as "table.column", "column" or `column`). */
static bool message_names(const char *msg, const rorm_field *f)
{
    char buf[300];
    rorm__pc_fmt(buf, sizeof buf, "%s.%s", f->model->table, f->column);
    if (strstr(msg, buf)) {
        return true;
    }
    rorm__pc_fmt(buf, sizeof buf, "\"%s\"", f->column);
    if (strstr(msg, buf)) {
        return true;
    }
    rorm__pc_fmt(buf, sizeof buf, "(%s)", f->column);
    return strstr(msg, buf) != NULL;
}

static void append_field(char *list, size_t size, const rorm_field *f)
{
    size_t len = strlen(list);
    rorm__pc_fmt(list + len, size - len, "%s`%s`", len ? "," : "", f->name);
}

/*
 * Rewrite a constraint error so that it names the model's fields the way Prisma does
 * ("Unique constraint failed on the fields: (`email`)"), keeping the database's text after it.
 */
static void constraint_message(pc_ctx *ctx, const rorm_model *m)
{
    rorm_error *err = ctx->err;
    if (err == NULL || err->code != RORM_ECONSTRAINT) {
        return;
    }
    char native[RORM_ERROR_MESSAGE_SIZE];
    rorm__pc_fmt(native, sizeof native, "%s", err->message);
    char fields[160] = "";
    const char *what = NULL;
    switch (err->constraint) {
    case RORM_CONSTRAINT_UNIQUE:
    case RORM_CONSTRAINT_PRIMARY_KEY: {
        what = "Unique constraint failed on the fields";
        /* An index named in the message, else the one whose columns are all named. */
        for (size_t k = 0; k < m->indexes.len && fields[0] == '\0'; k++) {
            const rorm_index *ix = m->indexes.ptr[k];
            if (ix->kind == RORM_INDEX_UNIQUE && ix->name && strstr(native, ix->name)) {
                for (size_t i = 0; i < ix->nfields; i++) {
                    append_field(fields, sizeof fields, ix->fields[i].field);
                }
            }
        }
        for (size_t k = 0; k < m->indexes.len && fields[0] == '\0'; k++) {
            const rorm_index *ix = m->indexes.ptr[k];
            bool all = ix->kind == RORM_INDEX_UNIQUE && ix->nfields > 0;
            for (size_t i = 0; all && i < ix->nfields; i++) {
                all = message_names(native, ix->fields[i].field);
            }
            for (size_t i = 0; all && i < ix->nfields; i++) {
                append_field(fields, sizeof fields, ix->fields[i].field);
            }
        }
        bool all = fields[0] == '\0' && m->pk.len > 0;
        for (size_t i = 0; all && i < m->pk.len; i++) {
            all = message_names(native, m->pk.ptr[i]) ||
                  (m->pk_name && strstr(native, m->pk_name)) || strstr(native, "PRIMARY");
        }
        for (size_t i = 0; all && i < m->pk.len; i++) {
            append_field(fields, sizeof fields, m->pk.ptr[i]);
        }
        for (size_t i = 0; fields[0] == '\0' && i < m->fields.len; i++) {
            const rorm_field *f = m->fields.ptr[i];
            if (rorm__field_is_column(f) && (f->flags & RORM_UNIQUE) && message_names(native, f)) {
                append_field(fields, sizeof fields, f);
            }
        }
        break;
    }
    case RORM_CONSTRAINT_NOT_NULL:
        what = "Null constraint violation on the fields";
        for (size_t i = 0; i < m->fields.len; i++) {
            const rorm_field *f = m->fields.ptr[i];
            if (rorm__field_is_column(f) && message_names(native, f)) {
                append_field(fields, sizeof fields, f);
            }
        }
        break;
    case RORM_CONSTRAINT_FOREIGN_KEY: {
        what = "Foreign key constraint violated on the fields";
        /* The relation whose constraint is named, else the only foreign key of the model. */
        const rorm_relation *only = NULL;
        size_t nfk = 0;
        for (size_t i = 0; i < m->fields.len; i++) {
            const rorm_field *f = m->fields.ptr[i];
            const rorm_relation *r = f->type == RORM_FIELD_RELATION ? f->relation : NULL;
            if (r == NULL || r->nfields == 0) {
                continue;
            }
            nfk++;
            only = r;
            if (r->fk_name && strstr(native, r->fk_name)) {
                nfk = 1;
                break;
            }
        }
        if (nfk == 1) {
            for (size_t i = 0; i < only->nfields; i++) {
                append_field(fields, sizeof fields, only->fields[i]);
            }
        }
        break;
    }
    default:
        return;
    }
    rorm__pc_fmt(err->message, sizeof err->message, "%s: (%.100s) on model `%.32s` [%.60s]", what,
                 fields, m->name, native);
}

/* ---- reading ----------------------------------------------------------------------------- */

/* The columns to read: shown fields plus @p extra ones, in schema order. */
static size_t read_columns(pc_col *cols, const pc_query *q, const unsigned char *extra)
{
    size_t n = 0;
    for (size_t i = 0; i < q->model->fields.len; i++) {
        if (q->shown[i] || (extra && extra[i])) {
            cols[n].field = q->model->fields.ptr[i];
            cols[n].agg = PC_AGG_NONE;
            n++;
        }
    }
    return n;
}

/* "SELECT cols FROM table" */
static void select_head(pc_sql *s, const rorm_model *m, const pc_col *cols, size_t ncols)
{
    rorm__str_puts(&s->text, "SELECT ");
    for (size_t i = 0; i < ncols; i++) {
        if (i) {
            rorm__str_puts(&s->text, ", ");
        }
        rorm__pc_sql_agg(s, NULL, cols[i].agg, cols[i].field);
    }
    if (ncols == 0) {
        rorm__str_puts(&s->text, "1");
    }
    rorm__str_puts(&s->text, " FROM ");
    rorm__dialect_table(&s->text, s->d, m);
}

static void where_clause(pc_sql *s, const pc_filter *f)
{
    if (f && !(f->kind == PF_AND && f->nkids == 0)) {
        rorm__str_puts(&s->text, " WHERE ");
        rorm__pc_sql_filter(s, NULL, f);
    }
}

/* ---- SQL text by shape -------------------------------------------------------------------- */

/*
 * Single-row calls build the same few statements again and again, differing only in the bound
 * values: a find by key, the read back after a write, an update by key. Their text is cached by
 * shape in the database's SQL cache (src/client/sqlcache.c). The shape holds everything the
 * text depends on (model, columns, the filter's tree, the order, the window); on a hit the
 * values are collected in the order the text binds them. Only filters whose text follows from
 * their structure alone take part: AND / OR / NOT groups, constants, and comparisons (=, <>,
 * <, <=, >, >=) of a field of the model with one operand; anything else is not cached.
 */

static void shape_num(rorm_shape *key, size_t v, size_t max)
{
    if (v > max) {
        key->ok = false;
        return;
    }
    if (max <= UCHAR_MAX) {
        unsigned char b = (unsigned char)v;
        rorm__shape_add(key, &b, 1);
    } else {
        uint16_t x = (uint16_t)v;
        rorm__shape_add(key, &x, sizeof x);
    }
}

static void shape_filter(rorm_shape *key, const rorm_model *m, const pc_filter *f)
{
    shape_num(key, f->kind, UCHAR_MAX);
    switch (f->kind) {
    case PF_CONST:
        shape_num(key, f->truth, UCHAR_MAX);
        return;
    case PF_CMP:
        if (f->cmp > PC_GE || f->agg != PC_AGG_NONE || f->insensitive || f->order != NULL ||
            f->value == NULL || f->field == NULL || f->field->model != m) {
            key->ok = false;
            return;
        }
        shape_num(key, f->cmp, UCHAR_MAX);
        shape_num(key, f->field->index, UINT16_MAX);
        return;
    case PF_AND:
    case PF_OR:
    case PF_NOT:
        shape_num(key, f->nkids, UCHAR_MAX);
        for (size_t i = 0; key->ok && i < f->nkids; i++) {
            shape_filter(key, m, f->kids[i]);
        }
        return;
    default:
        key->ok = false;
        return;
    }
}

/* Append the operands of a filter that shape_filter() accepted, in the order its text binds
   them (rorm__pc_sql_filter visits the groups' members in order, one operand a comparison). */
static void filter_params(pc_sql *s, const pc_filter *f)
{
    if (f->kind == PF_CMP) {
        if (rorm_vec_push(&s->params, f->value) != 0) {
            s->oom = true;
        }
        return;
    }
    for (size_t i = 0; i < f->nkids; i++) {
        filter_params(s, f->kids[i]);
    }
}

static void shape_columns(rorm_shape *key, const rorm_model *m, const pc_col *cols, size_t n)
{
    shape_num(key, n, UINT16_MAX);
    for (size_t i = 0; key->ok && i < n; i++) {
        if (cols[i].agg != PC_AGG_NONE || cols[i].field == NULL || cols[i].field->model != m) {
            key->ok = false;
            return;
        }
        shape_num(key, cols[i].field->index, UINT16_MAX);
    }
}

/* On a hit, the cached text for @p key into s->text (the caller adds the values); false on a
   miss or when @p key could not hold the shape. */
static bool cached_text(pc_sql *s, rorm_db *db, const rorm_shape *key)
{
    size_t len = 0;
    const char *text = key->ok ? rorm__sql_cache_get(db, key, &len) : NULL;
    if (text == NULL) {
        return false;
    }
    if (rorm__str_put(&s->text, text, len) != 0) {
        s->oom = true;
    }
    return true;
}

/* Keep the text just built for @p key (best effort: a full cache or no memory keeps none). */
static void cache_text(rorm_db *db, const rorm_shape *key, const pc_sql *s)
{
    size_t len;
    if (key->ok && !s->oom && !rorm__str_oom(&s->text)) {
        (void)rorm__sql_cache_put(db, key, &s->text, &len);
    }
}

/*
 * Build an object from @p ncols cells, keeping the fields the query shows; the cells' values
 * are moved into it. One allocation holds the members and their keys, with room for the
 * members the relation loader adds (the included relations, `_count`).
 */
static int
make_record(rorm_value *out, pc_ctx *ctx, const pc_col *cols, size_t ncols, rorm_value *cells)
{
    const pc_query *q = &ctx->q;
    size_t n = q->nincludes + q->has_counts, room = q->has_counts ? sizeof "_count" : 0;
    size_t lens[64];
    for (size_t i = 0; i < q->nincludes; i++) {
        room += strlen(q->includes[i].field->name) + 1;
    }
    /* In a result arena the members keep the schema's field names as their keys. */
    bool arena = ctx->res != NULL;
    for (size_t c = 0; c < ncols; c++) {
        if (q->shown[cols[c].field->index]) {
            n++;
            if (!arena) {
                size_t len = strlen(cols[c].field->name);
                room += len + 1;
                if (c < RORM_COUNT(lens)) {
                    lens[c] = len;
                }
            }
        }
    }
    if (rorm__value_object_reserve_in(out, n, room, res_alloc(ctx), ctx->res) != RORM_OK) {
        return oom(ctx); /* the cells keep their values: the caller disposes them */
    }
    /* Nothing can fail from here (the room is reserved): move the values. */
    for (size_t c = 0; c < ncols; c++) {
        const rorm_field *f = cols[c].field;
        if (!q->shown[f->index]) {
            continue;
        }
        if (arena) {
            rorm__value_object_append_name(out, f->name, &cells[c]);
        } else {
            size_t len = c < RORM_COUNT(lens) ? lens[c] : strlen(f->name);
            rorm__value_object_append_take(out, f->name, len, &cells[c]);
        }
    }
    return RORM_OK;
}

/* The filter "primary key = the key in @p cells at the pk positions of @p cols". */
static pc_filter *
key_filter_from_cells(pc_ctx *ctx, const pc_col *cols, size_t ncols, const rorm_value *cells)
{
    const rorm_model *m = ctx->q.model;
    pc_filter *g = rorm__pc_filter_new(ctx, PF_AND, m->pk.len);
    if (g == NULL) {
        return NULL;
    }
    for (size_t k = 0; k < m->pk.len; k++) {
        for (size_t c = 0; c < ncols; c++) {
            if (cols[c].field == m->pk.ptr[k]) {
                rorm_value copy;
                if (rorm_value_copy(&copy, &cells[c]) != RORM_OK) {
                    return NULL;
                }
                const rorm_value *kept = rorm__pc_keep(&ctx->arena, &copy);
                if (kept == NULL || (g->kids[g->nkids++] = rorm__pc_cmp_new(ctx, m->pk.ptr[k],
                                                                            PC_EQ, kept)) == NULL) {
                    return NULL;
                }
                break;
            }
        }
    }
    return g;
}

/* The filter for a key as rorm_db_insert returns it: a value, or an object for a composite. */
static pc_filter *key_filter_from_id(pc_ctx *ctx, const rorm_value *id)
{
    const rorm_model *m = ctx->q.model;
    pc_filter *g = rorm__pc_filter_new(ctx, PF_AND, m->pk.len);
    if (g == NULL) {
        return NULL;
    }
    for (size_t k = 0; k < m->pk.len; k++) {
        const rorm_value *v = m->pk.len == 1 ? id : rorm_value_object_get(id, m->pk.ptr[k]->name);
        if (v == NULL) {
            v = id;
        }
        rorm_value copy;
        if (rorm_value_copy(&copy, v) != RORM_OK) {
            return NULL;
        }
        const rorm_value *kept = rorm__pc_keep(&ctx->arena, &copy);
        if (kept == NULL ||
            (g->kids[g->nkids++] = rorm__pc_cmp_new(ctx, m->pk.ptr[k], PC_EQ, kept)) == NULL) {
            return NULL;
        }
    }
    return g;
}

/* Read the one record matching @p where with the shown fields; *found tells whether it exists. */
static int read_one(rorm_value *out, bool *found, pc_ctx *ctx, rorm_db *db, const pc_filter *where)
{
    const rorm_model *m = ctx->q.model;
    pc_col *cols = rorm__pc_alloc(&ctx->arena, (m->fields.len + 1) * sizeof *cols);
    if (cols == NULL) {
        return oom(ctx);
    }
    size_t ncols = read_columns(cols, &ctx->q, NULL);
    pc_sql s;
    rorm__pc_sql_init(&s, db->dialect);
    rorm_shape key;
    rorm__shape_init(&key, m, RORM_SHAPE_PC_READ, 0);
    shape_columns(&key, m, cols, ncols);
    shape_filter(&key, m, where);
    if (cached_text(&s, db, &key)) {
        filter_params(&s, where);
    } else {
        select_head(&s, m, cols, ncols);
        where_clause(&s, where);
        s.d->limit_offset(&s.text, 1, 0);
        cache_text(db, &key, &s);
    }
    value_vec cells = { 0 };
    int rc = rorm__pc_run_select(ctx, db, &s, cols, ncols, 1, &cells);
    rorm__pc_sql_dispose(&s);
    *found = rc == RORM_OK && cells.len == ncols && (ncols > 0 || cells.len > 0);
    if (rc == RORM_OK && ncols == 0) {
        *found = false; /* unreachable: a result shows at least one field */
    }
    if (rc == RORM_OK && *found) {
        rc = make_record(out, ctx, cols, ncols, cells.ptr);
    }
    cells_dispose(&cells);
    return rc;
}

/* The key of the one record matching @p where, as a key filter; NULL *key when none. */
static int find_key(pc_filter **key, pc_ctx *ctx, rorm_db *db, const pc_filter *where)
{
    const rorm_model *m = ctx->q.model;
    pc_col cols[RORM_MAX_PK_FIELDS];
    size_t ncols = m->pk.len;
    if (ncols == 0 || ncols > RORM_MAX_PK_FIELDS) {
        return rorm__error(ctx->err, RORM_EUNSUPPORTED, "model '%s' has no usable primary key",
                           m->name);
    }
    for (size_t k = 0; k < ncols; k++) {
        cols[k].field = m->pk.ptr[k];
        cols[k].agg = PC_AGG_NONE;
    }
    pc_sql s;
    rorm__pc_sql_init(&s, db->dialect);
    select_head(&s, m, cols, ncols);
    where_clause(&s, where);
    s.d->limit_offset(&s.text, 1, 0);
    value_vec cells = { 0 };
    int rc = rorm__pc_run_select(ctx, db, &s, cols, ncols, 1, &cells);
    rorm__pc_sql_dispose(&s);
    *key = NULL;
    if (rc == RORM_OK && cells.len == ncols) {
        *key = key_filter_from_cells(ctx, cols, ncols, cells.ptr);
        rc = *key ? RORM_OK : oom(ctx);
    }
    cells_dispose(&cells);
    return rc;
}

/* ---- windows: order, cursor, take, skip --------------------------------------------------- */

typedef struct window {
    pc_order *orders; /* as the SQL sorts (reversed for a negative take) */
    pc_order *base;   /* as the query asks, before any reversal */
    size_t norders;
    pc_filter *where; /* the query's where, with the cursor condition */
    bool reverse;     /* negative take: rows come back reversed */
    int64_t limit;    /* -1: none */
    int64_t offset;
    bool empty; /* the cursor row does not exist: the result is empty */
} window;

static pc_filter *and2(pc_ctx *ctx, pc_filter *a, pc_filter *b)
{
    pc_filter *g = rorm__pc_filter_new(ctx, PF_AND, 2);
    if (g) {
        g->kids[0] = a;
        g->kids[1] = b;
        g->nkids = 2;
    }
    return g;
}

/* Whether NULL comes first for @p o as sorted. */
static bool nulls_first(const rorm_dialect *d, const pc_order *o)
{
    if (o->nulls != PC_NULLS_DEFAULT) {
        return o->nulls == PC_NULLS_FIRST;
    }
    return rorm__pc_nulls_smallest(d) ? !o->desc : o->desc;
}

/* A comparison on order key @p o: its field, or its relation sub-select. */
static pc_filter *order_cmp(pc_ctx *ctx, const pc_order *o, pc_cmp cmp, const rorm_value *v)
{
    pc_filter *f = rorm__pc_cmp_new(ctx, o->field, cmp, v);
    if (f && o->npath > 0) {
        f->order = o;
    }
    return f;
}

/*
 * The condition "the row sorts at or after the cursor row" for the order keys @p o, given the
 * cursor row's values: for each key i, (keys before i equal AND key i after) OR all equal.
 */
static pc_filter *cursor_condition(
    pc_ctx *ctx, const rorm_dialect *d, const pc_order *o, size_t n, const rorm_value *vals)
{
    pc_filter *any = rorm__pc_filter_new(ctx, PF_OR, n + 1);
    if (any == NULL) {
        return NULL;
    }
    for (size_t i = 0; i <= n; i++) {
        pc_filter *branch = rorm__pc_filter_new(ctx, PF_AND, i + 1);
        if (branch == NULL) {
            return NULL;
        }
        for (size_t j = 0; j < i; j++) {
            bool null = vals[j].type == RORM_TYPE_NULL;
            pc_filter *eq =
                order_cmp(ctx, &o[j], null ? PC_IS_NULL : PC_EQ, null ? NULL : &vals[j]);
            if (eq == NULL) {
                return NULL;
            }
            branch->kids[branch->nkids++] = eq;
        }
        if (i < n) {
            /* Key i strictly after the cursor's value. */
            pc_filter *after;
            bool nf = nulls_first(d, &o[i]);
            if (vals[i].type == RORM_TYPE_NULL) {
                if (nf) {
                    after = order_cmp(ctx, &o[i], PC_NOT_NULL, NULL);
                } else {
                    after = rorm__pc_filter_new(ctx, PF_CONST, 0); /* nothing after the nulls */
                }
            } else {
                pc_filter *cmp = order_cmp(ctx, &o[i], o[i].desc ? PC_LT : PC_GT, &vals[i]);
                if (cmp == NULL) {
                    return NULL;
                }
                after = cmp;
                if (!nf) {
                    after = rorm__pc_filter_new(ctx, PF_OR, 2);
                    if (after) {
                        after->kids[0] = cmp;
                        after->kids[1] = order_cmp(ctx, &o[i], PC_IS_NULL, NULL);
                        after->nkids = after->kids[1] ? 2 : 0;
                    }
                }
            }
            if (after == NULL) {
                return NULL;
            }
            branch->kids[branch->nkids++] = after;
        }
        any->kids[any->nkids++] = branch;
    }
    return any;
}

static int make_window(window *w, pc_ctx *ctx, rorm_db *db, bool first_only)
{
    pc_query *q = &ctx->q;
    const rorm_model *m = q->model;
    memset(w, 0, sizeof *w);
    w->where = q->where;
    w->limit = -1;
    w->offset = q->skip;
    int64_t take = q->has_take ? q->take : -1;
    bool negative = q->has_take && q->take < 0;
    if (first_only) {
        take = 1;
    }
    /* A cursor or a negative take needs a total order: the primary key breaks ties. */
    /* (Not for groupBy: its rows are groups, ordered by grouped fields or aggregates.) */
    bool need_pk = (q->cursor != NULL || negative) && q->op != PC_GROUP_BY;
    size_t cap = q->norders + (need_pk ? m->pk.len : 0);
    w->orders = rorm__pc_alloc(&ctx->arena, (cap + 1) * sizeof *w->orders);
    if (w->orders == NULL) {
        return oom(ctx);
    }
    if (q->norders) {
        memcpy(w->orders, q->orders, q->norders * sizeof *q->orders);
    }
    w->norders = q->norders;
    for (size_t k = 0; need_pk && k < m->pk.len; k++) {
        bool present = false;
        for (size_t i = 0; i < q->norders; i++) {
            present |= q->orders[i].field == m->pk.ptr[k] && q->orders[i].agg == PC_AGG_NONE;
        }
        if (!present) {
            pc_order o = { m->pk.ptr[k], PC_AGG_NONE, false, PC_NULLS_DEFAULT };
            w->orders[w->norders++] = o;
        }
    }
    w->base = rorm__pc_alloc(&ctx->arena, (w->norders + 1) * sizeof *w->base);
    if (w->base == NULL) {
        return oom(ctx);
    }
    if (w->norders) {
        memcpy(w->base, w->orders, w->norders * sizeof *w->base);
    }
    if (negative) {
        /* From the end: sort the other way, take |n|, and reverse the rows afterwards. */
        w->reverse = true;
        take = q->take == INT64_MIN ? INT64_MAX : -q->take;
        for (size_t i = 0; i < w->norders; i++) {
            pc_order *o = &w->orders[i];
            bool nf = nulls_first(db->dialect, o);
            o->desc = !o->desc;
            if (o->nulls != PC_NULLS_DEFAULT) {
                o->nulls = nf ? PC_NULLS_LAST : PC_NULLS_FIRST;
            }
        }
    }
    w->limit = take;
    if (q->cursor == NULL) {
        return RORM_OK;
    }
    /* The cursor row's values of the order keys. */
    pc_col *cols = rorm__pc_alloc(&ctx->arena, (w->norders + 1) * sizeof *cols);
    if (cols == NULL) {
        return oom(ctx);
    }
    for (size_t i = 0; i < w->norders; i++) {
        cols[i].field = w->orders[i].field;
        cols[i].agg = w->orders[i].npath > 0 ? w->orders[i].agg : PC_AGG_NONE;
    }
    pc_sql s;
    rorm__pc_sql_init(&s, db->dialect);
    select_head(&s, m, cols, w->norders);
    bool related = false;
    for (size_t i = 0; i < w->norders; i++) {
        related |= w->orders[i].npath > 0;
    }
    if (related) {
        /* Order keys of related fields: their sub-selects, on the cursor row. */
        rorm__str_clear(&s.text);
        rorm__str_puts(&s.text, "SELECT ");
        for (size_t i = 0; i < w->norders; i++) {
            rorm__str_puts(&s.text, i ? ", " : "");
            if (w->orders[i].npath > 0) {
                rorm__pc_sql_rel_order(&s, NULL, &w->orders[i]);
            } else {
                rorm__pc_sql_column(&s, NULL, w->orders[i].field);
            }
        }
        rorm__str_puts(&s.text, " FROM ");
        rorm__dialect_table(&s.text, s.d, m);
    }
    where_clause(&s, q->cursor);
    s.d->limit_offset(&s.text, 1, 0);
    value_vec cells = { 0 };
    int rc = rorm__pc_run_select(ctx, db, &s, cols, w->norders, 1, &cells);
    rorm__pc_sql_dispose(&s);
    if (rc == RORM_OK && cells.len < w->norders) {
        w->empty = true;
    } else if (rc == RORM_OK) {
        /* The values live in the arena for the rest of the query. */
        rorm_value arr;
        rorm_value_init_array(&arr);
        arr.u.arr.items = cells.ptr;
        arr.u.arr.len = arr.u.arr.cap = cells.len;
        cells.ptr = NULL;
        cells.len = cells.cap = 0;
        const rorm_value *kept = rorm__pc_keep(&ctx->arena, &arr);
        pc_filter *c =
            kept ? cursor_condition(ctx, db->dialect, w->orders, w->norders, kept->u.arr.items)
                 : NULL;
        w->where = c ? and2(ctx, q->where, c) : NULL;
        rc = w->where ? RORM_OK : oom(ctx);
    }
    cells_dispose(&cells);
    return rc;
}

/* ---- find ---------------------------------------------------------------------------------- */

static void reverse_rows(rorm_value *cells, size_t nrows, size_t ncols)
{
    for (size_t a = 0, b = nrows ? nrows - 1 : 0; a < b; a++, b--) {
        for (size_t c = 0; c < ncols; c++) {
            rorm_value t = cells[a * ncols + c];
            cells[a * ncols + c] = cells[b * ncols + c];
            cells[b * ncols + c] = t;
        }
    }
}

/* Keep the first row of each combination of the distinct fields; returns the rows kept. */
static size_t distinct_rows(pc_ctx *ctx, const pc_col *cols, size_t ncols, value_vec *cells)
{
    size_t nrows = ncols ? cells->len / ncols : 0, kept = 0;
    const pc_query *q = &ctx->q;
    for (size_t r = 0; r < nrows; r++) {
        rorm_value *row = cells->ptr + r * ncols;
        bool dup = false;
        for (size_t p = 0; p < kept && !dup; p++) {
            const rorm_value *prev = cells->ptr + p * ncols;
            bool same = true;
            for (size_t c = 0; c < ncols && same; c++) {
                for (size_t k = 0; k < q->ndistinct; k++) {
                    if (q->distinct[k] == cols[c].field) {
                        same = rorm_value_equal(&prev[c], &row[c]);
                        break;
                    }
                }
            }
            dup = same;
        }
        if (dup) {
            for (size_t c = 0; c < ncols; c++) {
                rorm_value_dispose(&row[c]);
            }
            continue;
        }
        if (kept != r) {
            memmove(cells->ptr + kept * ncols, row, ncols * sizeof *row);
        }
        kept++;
    }
    cells->len = kept * ncols;
    return kept;
}

/* The SELECT of a find over window @p w, reading @p cols. */
static void find_sql(pc_sql *s, pc_ctx *ctx, const window *w, const pc_col *cols, size_t ncols)
{
    select_head(s, ctx->q.model, cols, ncols);
    where_clause(s, w->where);
    if (ctx->q.ndistinct > 0) {
        /* distinct is applied in memory to the ordered rows, then the window. */
        rorm__pc_sql_order_by(s, NULL, w->base, w->norders);
    } else {
        rorm__pc_sql_order_by(s, NULL, w->orders, w->norders);
        if (w->limit >= 0 || w->offset > 0) {
            s->d->limit_offset(&s->text, w->limit, w->offset);
        }
    }
}

/* find_sql() with the text cached by shape when the window allows (no distinct). */
static void
find_sql_cached(pc_sql *s, pc_ctx *ctx, const window *w, const pc_col *cols, size_t ncols)
{
    const rorm_model *m = ctx->q.model;
    rorm_shape key;
    rorm__shape_init(&key, m, RORM_SHAPE_PC_FIND, 0);
    key.ok = ctx->q.ndistinct == 0;
    shape_columns(&key, m, cols, ncols);
    shape_filter(&key, m, w->where);
    shape_num(&key, w->norders, UCHAR_MAX);
    for (size_t i = 0; key.ok && i < w->norders; i++) {
        const pc_order *o = &w->orders[i];
        if (o->npath > 0 || o->agg != PC_AGG_NONE || o->field == NULL || o->field->model != m) {
            key.ok = false;
        }
        shape_num(&key, key.ok ? o->field->index : 0, UINT16_MAX);
        shape_num(&key, o->desc, UCHAR_MAX);
        shape_num(&key, (size_t)o->nulls, UCHAR_MAX);
    }
    rorm__shape_add(&key, &w->limit, sizeof w->limit);
    rorm__shape_add(&key, &w->offset, sizeof w->offset);
    if (cached_text(s, ctx->q.db, &key)) {
        filter_params(s, w->where);
        return;
    }
    find_sql(s, ctx, w, cols, ncols);
    cache_text(ctx->q.db, &key, s);
}

/* The columns a find reads: the shown fields and the distinct ones. */
static int find_columns(pc_col **cols_out, size_t *n_out, pc_ctx *ctx)
{
    const pc_query *q = &ctx->q;
    size_t nfields = q->model->fields.len;
    unsigned char *extra = rorm__pc_alloc(&ctx->arena, nfields + 1);
    pc_col *cols = rorm__pc_alloc(&ctx->arena, (nfields + 1) * sizeof *cols);
    if (extra == NULL || cols == NULL) {
        return oom(ctx);
    }
    for (size_t k = 0; k < q->ndistinct; k++) {
        extra[q->distinct[k]->index] = 1;
    }
    *n_out = read_columns(cols, q, extra);
    *cols_out = cols;
    return RORM_OK;
}

static int op_find(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    rorm_db *db = q->db;
    const rorm_model *m = q->model;
    bool unique = q->op == PC_FIND_UNIQUE || q->op == PC_FIND_UNIQUE_OR_THROW;
    bool first = q->op == PC_FIND_FIRST || q->op == PC_FIND_FIRST_OR_THROW;
    bool many = q->op == PC_FIND_MANY;
    window w;
    int rc = make_window(&w, ctx, db, false);
    if (rc != RORM_OK) {
        return rc;
    }
    if (first) {
        /* findFirst reads one row; a negative take reads the last one. */
        w.limit = 1;
    }
    pc_col *cols = NULL;
    size_t ncols = 0;
    if ((rc = find_columns(&cols, &ncols, ctx)) != RORM_OK) {
        return rc;
    }
    value_vec cells = { 0 };
    if (!w.empty) {
        bool in_memory = q->ndistinct > 0;
        pc_sql s;
        rorm__pc_sql_init(&s, db->dialect);
        find_sql_cached(&s, ctx, &w, cols, ncols);
        size_t max = unique ? 1 : SIZE_MAX;
        rc = rorm__pc_run_select(ctx, db, &s, cols, ncols, max, &cells);
        rorm__pc_sql_dispose(&s);
        size_t nrows = ncols ? cells.len / ncols : 0;
        if (rc == RORM_OK && in_memory) {
            /* Ordered as the query asks (not reversed): dedupe, then skip/take, from the end
               for a negative take. */
            nrows = distinct_rows(ctx, cols, ncols, &cells);
            size_t start = 0, end = nrows;
            uint64_t skip = (uint64_t)q->skip;
            uint64_t take = w.limit < 0 ? UINT64_MAX : (uint64_t)w.limit;
            if (!w.reverse) {
                start = skip < nrows ? (size_t)skip : nrows;
                end = take < nrows - start ? start + (size_t)take : nrows;
            } else {
                end = skip < nrows ? nrows - (size_t)skip : 0;
                start = take < end ? end - (size_t)take : 0;
            }
            for (size_t i = 0; i < nrows * ncols; i++) {
                if (i < start * ncols || i >= end * ncols) {
                    rorm_value_dispose(&cells.ptr[i]);
                }
            }
            if (end > start && start > 0) {
                memmove(cells.ptr, cells.ptr + start * ncols,
                        (end - start) * ncols * sizeof *cells.ptr);
            }
            cells.len = (end - start) * ncols;
            nrows = end - start;
        } else if (rc == RORM_OK && w.reverse) {
            reverse_rows(cells.ptr, nrows, ncols);
        }
    }
    size_t nrows = ncols && rc == RORM_OK ? cells.len / ncols : 0;
    if (rc == RORM_OK && many) {
        /* The array's items allocated once, filled in place. */
        rorm_value arr;
        rc = res_array(ctx, &arr, nrows);
        for (size_t r = 0; rc == RORM_OK && r < nrows; r++) {
            rc = make_record(&arr.u.arr.items[r], ctx, cols, ncols, cells.ptr + r * ncols);
            arr.u.arr.len += rc == RORM_OK;
        }
        if (rc == RORM_OK) {
            *out = arr;
        } else {
            rorm_value_dispose(&arr);
        }
    } else if (rc == RORM_OK && nrows > 0) {
        rc = make_record(out, ctx, cols, ncols, cells.ptr);
    } else if (rc == RORM_OK &&
               (q->op == PC_FIND_UNIQUE_OR_THROW || q->op == PC_FIND_FIRST_OR_THROW)) {
        rc = rorm__error(ctx->err, RORM_ENOTFOUND, "No record was found for a query (%s.%s)",
                         m->name, rorm__pc_op_name(q->op));
    }
    cells_dispose(&cells);
    return rc;
}

/* ---- count, aggregate, groupBy ------------------------------------------------------------ */

/*
 * "FROM table WHERE ..." or, with a window, "FROM (SELECT cols FROM table WHERE ... ORDER BY
 * ... LIMIT ...) AS w" so that the aggregates see only the window's rows.
 */
static void aggregate_source(pc_sql *s, pc_ctx *ctx, const window *w)
{
    pc_query *q = &ctx->q;
    const rorm_model *m = q->model;
    bool windowed = q->has_take || q->skip > 0 || q->cursor != NULL;
    rorm__str_puts(&s->text, " FROM ");
    if (!windowed) {
        rorm__dialect_table(&s->text, s->d, m);
        where_clause(s, w->where);
        return;
    }
    rorm__str_puts(&s->text, "(SELECT ");
    size_t n = 0;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (rorm__field_is_column(f) && !(f->flags & RORM_IGNORED) &&
            f->type != RORM_FIELD_UNSUPPORTED) {
            rorm__str_puts(&s->text, n++ ? ", " : "");
            rorm__pc_sql_column(s, NULL, f);
        }
    }
    rorm__str_puts(&s->text, " FROM ");
    rorm__dialect_table(&s->text, s->d, m);
    where_clause(s, w->where);
    rorm__pc_sql_order_by(s, NULL, w->orders, w->norders);
    s->d->limit_offset(&s->text, w->limit, w->offset);
    rorm__str_puts(&s->text, ") AS ");
    s->d->quote_ident(&s->text, "w");
}

/* The columns of count and aggregate: COUNT(*) alone for a plain count. */
static int aggregate_columns(pc_col **cols_out, size_t *n_out, pc_ctx *ctx)
{
    const pc_query *q = &ctx->q;
    size_t n = q->naggs;
    pc_col *cols = rorm__pc_alloc(&ctx->arena, (n + 1) * sizeof *cols);
    if (cols == NULL) {
        return oom(ctx);
    }
    if (q->op == PC_COUNT && !q->count_object) {
        cols[0].agg = PC_AGG_COUNT;
        n = 1;
    }
    for (size_t i = 0; i < q->naggs; i++) {
        cols[i].agg = q->aggs[i].fn;
        cols[i].field = q->aggs[i].field;
    }
    *cols_out = cols;
    *n_out = n;
    return RORM_OK;
}

static void aggregate_sql(pc_sql *s, pc_ctx *ctx, const window *w, const pc_col *cols, size_t n)
{
    rorm__str_puts(&s->text, "SELECT ");
    for (size_t i = 0; i < n; i++) {
        rorm__str_puts(&s->text, i ? ", " : "");
        rorm__pc_sql_agg(s, NULL, cols[i].agg, cols[i].field);
    }
    if (n == 0) {
        rorm__str_puts(&s->text, "1");
    }
    aggregate_source(s, ctx, w);
}

static const char *agg_key(pc_aggfn fn)
{
    static const char *const keys[] = { "", "_count", "_sum", "_avg", "_min", "_max" };
    return keys[fn];
}

/*
 * Put the aggregate cells into @p obj: `_count: n` for a bare count, else
 * `_count: {_all: n, field: n}`, `_avg: {field: x}` ... in the order first asked.
 */
static int
put_aggregates(rorm_value *obj, pc_ctx *ctx, const pc_agg *aggs, size_t naggs, rorm_value *cells)
{
    for (size_t i = 0; i < naggs; i++) {
        const char *key = agg_key(aggs[i].fn);
        if (aggs[i].bare) {
            if (res_put(ctx, obj, key, &cells[i]) != RORM_OK) {
                return oom(ctx);
            }
            continue;
        }
        rorm_value *group = (rorm_value *)rorm_value_object_get(obj, key);
        if (group == NULL) {
            /* Room for this function's fields, allocated once. */
            size_t n = 0, room = 0;
            for (size_t j = i; j < naggs; j++) {
                if (!aggs[j].bare && aggs[j].fn == aggs[i].fn) {
                    n++;
                    room += (aggs[j].field ? strlen(aggs[j].field->name) : 4) + 1;
                }
            }
            rorm_value empty;
            if (rorm__value_object_reserve_in(&empty, n, room, res_alloc(ctx), ctx->res) !=
                    RORM_OK ||
                res_put(ctx, obj, key, &empty) != RORM_OK) {
                return oom(ctx);
            }
            group = (rorm_value *)rorm_value_object_get(obj, key);
        }
        const char *name = aggs[i].field ? aggs[i].field->name : "_all";
        if (res_put(ctx, group, name, &cells[i]) != RORM_OK) {
            return oom(ctx);
        }
    }
    return RORM_OK;
}

static int op_aggregate(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    bool plain_count = q->op == PC_COUNT && !q->count_object;
    pc_col *cols = NULL;
    size_t n = 0;
    window w;
    int rc = aggregate_columns(&cols, &n, ctx);
    if (rc == RORM_OK) {
        rc = make_window(&w, ctx, q->db, false);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    value_vec cells = { 0 };
    if (!w.empty) {
        pc_sql s;
        rorm__pc_sql_init(&s, q->db->dialect);
        aggregate_sql(&s, ctx, &w, cols, n);
        rc = rorm__pc_run_select(ctx, q->db, &s, cols, n, 1, &cells);
        rorm__pc_sql_dispose(&s);
    }
    if (rc == RORM_OK && cells.len < n) {
        /* No row (an empty cursor window): counts are 0, the rest null. */
        for (size_t i = cells.len; i < n; i++) {
            rorm_value v = cols[i].agg == PC_AGG_COUNT ? RORM_INT(0) : RORM_NULL_VALUE;
            if (rorm_vec_push(&cells, v) != 0) {
                rc = oom(ctx);
                break;
            }
        }
    }
    if (rc == RORM_OK && plain_count) {
        *out = cells.ptr[0];
        cells.len = 0;
    } else if (rc == RORM_OK) {
        rorm_value obj;
        rorm_value_init_object(&obj);
        if (ctx->res != NULL) {
            /* Members of the count object, or aggregate keys (each at most 7 bytes). */
            size_t room = n * sizeof "_count";
            for (size_t i = 0; q->op == PC_COUNT && i < n; i++) {
                room += (cols[i].field ? strlen(cols[i].field->name) : 4) + 1;
            }
            if (rorm__value_object_reserve_in(&obj, n, room, rorm__pc_ralloc, ctx->res) !=
                RORM_OK) {
                rc = oom(ctx);
            }
        }
        if (rc == RORM_OK && q->op == PC_COUNT) {
            for (size_t i = 0; rc == RORM_OK && i < n; i++) {
                const char *name = cols[i].field ? cols[i].field->name : "_all";
                if (res_put(ctx, &obj, name, &cells.ptr[i]) != RORM_OK) {
                    rc = oom(ctx);
                }
            }
        } else if (rc == RORM_OK) {
            rc = put_aggregates(&obj, ctx, q->aggs, n, cells.ptr);
        }
        if (rc == RORM_OK) {
            *out = obj;
        } else {
            rorm_value_dispose(&obj);
        }
    }
    cells_dispose(&cells);
    return rc;
}

static int group_by_columns(pc_col **cols_out, size_t *n_out, pc_ctx *ctx)
{
    const pc_query *q = &ctx->q;
    size_t ncols = q->nby + q->naggs;
    pc_col *cols = rorm__pc_alloc(&ctx->arena, (ncols + 1) * sizeof *cols);
    if (cols == NULL) {
        return oom(ctx);
    }
    for (size_t i = 0; i < q->nby; i++) {
        cols[i].field = q->by[i];
        cols[i].agg = PC_AGG_NONE;
    }
    for (size_t i = 0; i < q->naggs; i++) {
        cols[q->nby + i].field = q->aggs[i].field;
        cols[q->nby + i].agg = q->aggs[i].fn;
    }
    *cols_out = cols;
    *n_out = ncols;
    return RORM_OK;
}

static void group_by_sql(pc_sql *s, pc_ctx *ctx, const window *w, const pc_col *cols, size_t ncols)
{
    const pc_query *q = &ctx->q;
    select_head(s, q->model, cols, ncols);
    where_clause(s, q->where);
    rorm__str_puts(&s->text, " GROUP BY ");
    for (size_t i = 0; i < q->nby; i++) {
        rorm__str_puts(&s->text, i ? ", " : "");
        rorm__pc_sql_column(s, NULL, q->by[i]);
    }
    if (q->having) {
        rorm__str_puts(&s->text, " HAVING ");
        rorm__pc_sql_filter(s, NULL, q->having);
    }
    rorm__pc_sql_order_by(s, NULL, w->orders, w->norders);
    if (w->limit >= 0 || w->offset > 0) {
        s->d->limit_offset(&s->text, w->limit, w->offset);
    }
}

static int op_group_by(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    pc_col *cols = NULL;
    size_t ncols = 0;
    window w;
    int rc = group_by_columns(&cols, &ncols, ctx);
    if (rc == RORM_OK) {
        rc = make_window(&w, ctx, q->db, false);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    pc_sql s;
    rorm__pc_sql_init(&s, q->db->dialect);
    group_by_sql(&s, ctx, &w, cols, ncols);
    value_vec cells = { 0 };
    rc = rorm__pc_run_select(ctx, q->db, &s, cols, ncols, SIZE_MAX, &cells);
    rorm__pc_sql_dispose(&s);
    /* A negative take reads the groups from the end; unlike findMany, Prisma's groupBy returns
       them in that reversed order, and so does this. */
    size_t nrows = rc == RORM_OK && ncols ? cells.len / ncols : 0;
    rorm_value arr;
    rorm_value_init_array(&arr);
    if (rc == RORM_OK) {
        rc = res_array(ctx, &arr, nrows);
    }
    /* Room for the by fields and the aggregates, so the members are allocated once. */
    size_t room = 0;
    for (size_t i = 0; i < q->nby; i++) {
        room += strlen(q->by[i]->name) + 1;
    }
    for (size_t i = 0; i < q->naggs; i++) {
        room += strlen(agg_key(q->aggs[i].fn)) + 1;
    }
    for (size_t r = 0; rc == RORM_OK && r < nrows; r++) {
        rorm_value obj;
        if (rorm__value_object_reserve_in(&obj, q->nby + q->naggs, room, res_alloc(ctx),
                                          ctx->res) != RORM_OK) {
            rc = oom(ctx);
            break;
        }
        rorm_value *row = cells.ptr + r * ncols;
        for (size_t i = 0; rc == RORM_OK && i < q->nby; i++) {
            if (res_put(ctx, &obj, q->by[i]->name, &row[i]) != RORM_OK) {
                rc = oom(ctx);
            }
        }
        if (rc == RORM_OK) {
            rc = put_aggregates(&obj, ctx, q->aggs, q->naggs, row + q->nby);
        }
        if (rc == RORM_OK) {
            arr.u.arr.items[arr.u.arr.len++] = obj; /* the room is reserved */
        } else {
            rorm_value_dispose(&obj);
        }
    }
    if (rc == RORM_OK) {
        *out = arr;
    } else {
        rorm_value_dispose(&arr);
    }
    cells_dispose(&cells);
    return rc;
}

/* ---- writes -------------------------------------------------------------------------------- */

static bool returns_rows(const rorm_db *db);

/*
 * A transaction on SQLite: a create there reads its record back by key after a plain INSERT,
 * and an update by key is the UPDATE and a read back by key (update_by_key; other updates find
 * the key first, as on MySQL), which is atomic inside the transaction and cheaper and steadier
 * than ... RETURNING: SQLite collects RETURNING rows in a temporary table opened and closed for
 * every statement (UPDATE ... RETURNING by key measured 2.3 us against 1.0 us for the UPDATE and
 * a SELECT, prepared, SQLite 3.40), and with glibc the heap top grows and shrinks with each one.
 */
static bool in_process_tx(const rorm_db *db)
{
    return db->depth > 0 && db->dialect->db_type == RORM_DB_SQLITE;
}
static int returning_columns(pc_col **cols_out, size_t *n_out, pc_ctx *ctx);

static int count_result(rorm_value *out, pc_ctx *ctx, int64_t n)
{
    rorm_value obj, v = RORM_INT(n);
    rorm_value_init_object(&obj);
    if (rorm_value_object_set_take(&obj, "count", &v) != RORM_OK) {
        rorm_value_dispose(&obj);
        return oom(ctx);
    }
    *out = obj;
    return RORM_OK;
}

/* Finish a transaction begun for one operation: commit on success, roll back on failure. */
static int finish_tx(rorm_db *tx, int rc, pc_ctx *ctx)
{
    if (rc == RORM_OK) {
        return rorm_db_commit(tx, ctx->err);
    }
    rorm_db_rollback(tx, NULL);
    return rc;
}

static bool duplicate(const rorm_error *e, int rc)
{
    return rc == RORM_ECONSTRAINT && (e->constraint == RORM_CONSTRAINT_UNIQUE ||
                                      e->constraint == RORM_CONSTRAINT_PRIMARY_KEY);
}

/* Insert one record; with skipDuplicates inside a savepoint so a duplicate is skipped. */
static int insert_one(rorm_value *id, bool *inserted, pc_ctx *ctx, rorm_db *db, const rorm_value *r)
{
    const char *model = ctx->q.model->name;
    *inserted = false;
    if (!ctx->q.skip_duplicates) {
        int rc = rorm_db_insert(db, model, r, id, ctx->err);
        *inserted = rc == RORM_OK;
        return rc;
    }
    rorm_db *sp;
    int rc = rorm_db_begin(&sp, db, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_error e = { 0 };
    rc = rorm_db_insert(sp, model, r, id, &e);
    if (rc == RORM_OK) {
        *inserted = true;
        return rorm_db_commit(sp, ctx->err);
    }
    rorm_db_rollback(sp, NULL);
    if (duplicate(&e, rc)) {
        return RORM_OK;
    }
    if (ctx->err) {
        *ctx->err = e;
    }
    return rc;
}

/*
 * The value a create writes for field @p f left out of the data: a default the library makes
 * (now(), uuid(), cuid(), a literal, @updatedAt, an empty list), as the record API does.
 * *out is NULL when the column is left to the database (autoincrement, dbgenerated, or a
 * nullable column without a default); an error when a required field has no default.
 */
static int default_value(const rorm_value **out, pc_ctx *ctx, const rorm_field *f, int64_t *now)
{
    *out = NULL;
    unsigned k = f->def.kind;
    if ((f->flags & RORM_AUTOINCREMENT) || k == RORM_DEFAULT_AUTOINCREMENT ||
        k == RORM_DEFAULT_DBGENERATED || k == RORM_DEFAULT_SEQUENCE) {
        return RORM_OK;
    }
    if (k == RORM_DEFAULT_VALUE) {
        *out = &f->def.value; /* no copy: the schema outlives the call */
        return RORM_OK;
    }
    if (*now == 0 && (k == RORM_DEFAULT_NOW || (f->flags & RORM_UPDATED_AT))) {
        *now = rorm__now_ms();
    }
    rorm_value v;
    int rc = rorm__generate_default(&v, f, *now, ctx->err);
    if (rc < 0) {
        return rc;
    }
    if (rc == 0) {
        if (f->flags & RORM_NULLABLE) {
            return RORM_OK;
        }
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s` is missing (%s.create)", f->name,
                           f->model->name);
    }
    return (*out = rorm__pc_keep(&ctx->arena, &v)) ? RORM_OK : oom(ctx);
}

/* "INSERT INTO t (cols) VALUES (?, ...)" for the create data, defaults made by the library. */
static int insert_sql(pc_sql *s, pc_ctx *ctx)
{
    const rorm_model *m = ctx->q.model;
    rorm__str_puts(&s->text, "INSERT INTO ");
    rorm__dialect_table(&s->text, s->d, m);
    int64_t now = 0;
    size_t n = 0;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (!rorm__field_is_column(f) || (f->flags & RORM_IGNORED)) {
            continue;
        }
        const rorm_value *v = rorm_value_object_get(ctx->q.data, f->name);
        int rc;
        if (v == NULL && (rc = default_value(&v, ctx, f, &now)) != RORM_OK) {
            return rc;
        }
        if (v == NULL) {
            continue;
        }
        const rorm_value *conv;
        if ((rc = rorm__pc_convert(&conv, ctx, f, v, f->name)) != RORM_OK) {
            return rc;
        }
        rorm__str_puts(&s->text, n++ ? ", " : " (");
        rorm__pc_sql_column(s, NULL, f);
        if (rorm_vec_push(&s->params, conv) != 0) {
            s->oom = true;
        }
    }
    if (n == 0) {
        rorm__str_puts(&s->text, " DEFAULT VALUES");
        return RORM_OK;
    }
    rorm__str_puts(&s->text, ") VALUES (");
    for (size_t i = 0; i < n; i++) {
        rorm__str_puts(&s->text, i ? ", " : "");
        s->d->placeholder(&s->text, i + 1);
    }
    rorm__str_puts(&s->text, ")");
    return RORM_OK;
}

/* Append " RETURNING <cols>", run the statement and make the one record it returns. */
static int run_returning(rorm_value *out, pc_ctx *ctx, pc_sql *s, const pc_col *cols, size_t ncols)
{
    rorm__str_puts(&s->text, " RETURNING ");
    for (size_t i = 0; i < ncols; i++) {
        rorm__str_puts(&s->text, i ? ", " : "");
        rorm__pc_sql_column(s, NULL, cols[i].field);
    }
    value_vec cells = { 0 };
    int rc = rorm__pc_run_select(ctx, ctx->q.db, s, cols, ncols, SIZE_MAX, &cells);
    if (rc == RORM_OK && cells.len < ncols) {
        rc = rorm__error(ctx->err, RORM_EDRIVER, "INSERT ... RETURNING gave no row (%s.%s)",
                         ctx->q.model->name, rorm__pc_op_name(ctx->q.op));
    }
    if (rc == RORM_OK) {
        rc = make_record(out, ctx, cols, ncols, cells.ptr);
    }
    cells_dispose(&cells);
    return rc;
}

/* create in one statement: "INSERT ... RETURNING <fields>" where the dialect has RETURNING. */
static int insert_returning(rorm_value *out, pc_ctx *ctx)
{
    pc_col *cols = NULL;
    size_t ncols = 0;
    int rc = returning_columns(&cols, &ncols, ctx);
    if (rc != RORM_OK) {
        return rc;
    }
    pc_sql s;
    rorm__pc_sql_init(&s, ctx->q.db->dialect);
    rc = insert_sql(&s, ctx);
    if (rc == RORM_OK) {
        rc = run_returning(out, ctx, &s, cols, ncols);
    }
    rorm__pc_sql_dispose(&s);
    return rc;
}

static int op_create(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    if (returns_rows(q->db) && !in_process_tx(q->db)) {
        return insert_returning(out, ctx);
    }
    rorm_value id;
    rorm_value_init(&id);
    int rc = rorm_db_insert(q->db, q->model->name, q->data, &id, ctx->err);
    if (rc == RORM_OK) {
        pc_filter *key = key_filter_from_id(ctx, &id);
        bool found = false;
        rc = key ? read_one(out, &found, ctx, q->db, key) : oom(ctx);
        if (rc == RORM_OK && !found) {
            rc = rorm__error(ctx->err, RORM_ENOTFOUND,
                             "the %s record just created could not be read back", q->model->name);
        }
    }
    rorm_value_dispose(&id);
    return rc;
}

static int op_create_many(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    bool returning = q->op == PC_CREATE_MANY_AND_RETURN;
    if (!returning && !q->skip_duplicates) {
        /* One call: consecutive records of the same shape become multi-row INSERTs. */
        const rorm_value *records = q->records[0];
        rorm_value *copy = NULL;
        if (q->nrecords > 1 && q->records[1] != records + 1) {
            copy = rorm__malloc(q->nrecords * sizeof *copy);
            if (copy == NULL) {
                return oom(ctx);
            }
            for (size_t i = 0; i < q->nrecords; i++) {
                copy[i] = *q->records[i];
                copy[i].flags |= RORM_VALUE_BORROWED;
            }
            records = copy;
        }
        int64_t count = 0;
        int rc = rorm_db_insert_many(q->db, q->model->name, q->nrecords ? records : NULL,
                                     q->nrecords, &count, ctx->err);
        rorm__free(copy);
        return rc == RORM_OK ? count_result(out, ctx, count) : rc;
    }
    rorm_db *tx;
    int rc = rorm_db_begin(&tx, q->db, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    int64_t count = 0;
    rorm_value arr;
    rorm_value_init_array(&arr);
    for (size_t i = 0; rc == RORM_OK && i < q->nrecords; i++) {
        rorm_value id;
        bool inserted;
        rorm_value_init(&id);
        rc = insert_one(&id, &inserted, ctx, tx, q->records[i]);
        count += inserted;
        if (rc == RORM_OK && inserted && returning) {
            pc_filter *key = key_filter_from_id(ctx, &id);
            rorm_value rec;
            bool found = false;
            rc = key ? read_one(&rec, &found, ctx, tx, key) : oom(ctx);
            if (rc == RORM_OK && found && rorm_value_array_push_take(&arr, &rec) != RORM_OK) {
                rc = oom(ctx);
            }
        }
        rorm_value_dispose(&id);
    }
    rc = finish_tx(tx, rc, ctx);
    if (rc == RORM_OK && returning) {
        *out = arr;
        return RORM_OK;
    }
    rorm_value_dispose(&arr);
    return rc == RORM_OK ? count_result(out, ctx, count) : rc;
}

/* The SET list with @updatedAt fields stamped when the data does not set them. */
static int stamped_sets(pc_set **sets_out, size_t *n_out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    const rorm_model *m = q->model;
    pc_set *sets = rorm__pc_alloc(&ctx->arena, (q->nsets + m->fields.len + 1) * sizeof *sets);
    if (sets == NULL) {
        return oom(ctx);
    }
    if (q->nsets) {
        memcpy(sets, q->sets, q->nsets * sizeof *sets);
    }
    size_t n = q->nsets;
    const rorm_value *now = NULL;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (!rorm__field_is_column(f) || !(f->flags & RORM_UPDATED_AT)) {
            continue;
        }
        bool given = false;
        for (size_t k = 0; k < q->nsets; k++) {
            given |= q->sets[k].field == f;
        }
        if (given) {
            continue;
        }
        if (now == NULL) {
            rorm_value v = RORM_DATETIME(rorm__now_ms());
            if ((now = rorm__pc_keep(&ctx->arena, &v)) == NULL) {
                return oom(ctx);
            }
        }
        pc_set s = { f, PC_SET, now };
        sets[n++] = s;
    }
    *sets_out = sets;
    *n_out = n;
    return RORM_OK;
}

/* The columns a write returns (the shown fields and the key) and its SET list, stamped. */
static int returned_and_set(pc_col **cols, size_t *ncols, pc_set **sets, size_t *nsets, pc_ctx *ctx)
{
    int rc = returning_columns(cols, ncols, ctx);
    return rc == RORM_OK ? stamped_sets(sets, nsets, ctx) : rc;
}

/* UPDATE the rows matching @p where; @p changes gets the count. */
static int update_where(int64_t *changes, pc_ctx *ctx, rorm_db *db, const pc_filter *where)
{
    pc_set *sets = NULL;
    size_t nsets = 0;
    int rc = stamped_sets(&sets, &nsets, ctx);
    if (rc != RORM_OK) {
        return rc;
    }
    pc_sql s;
    rorm__pc_sql_init(&s, db->dialect);
    if (nsets == 0) {
        /* Nothing to change: count what would have been updated. */
        pc_col c = { NULL, PC_AGG_COUNT };
        select_head(&s, ctx->q.model, &c, 1);
        where_clause(&s, where);
        value_vec cells = { 0 };
        rc = rorm__pc_run_select(ctx, db, &s, &c, 1, 1, &cells);
        *changes = rc == RORM_OK && cells.len ? rorm_value_as_int(&cells.ptr[0], 0) : 0;
        cells_dispose(&cells);
    } else {
        const rorm_model *m = ctx->q.model;
        rorm_shape key;
        rorm__shape_init(&key, m, RORM_SHAPE_PC_UPDATE, 0);
        shape_num(&key, nsets, UINT16_MAX);
        for (size_t i = 0; key.ok && i < nsets; i++) {
            key.ok = sets[i].op != PC_PUSH && sets[i].field->model == m;
            shape_num(&key, sets[i].field->index, UINT16_MAX);
            shape_num(&key, sets[i].op, UCHAR_MAX);
        }
        shape_filter(&key, m, where);
        if (cached_text(&s, db, &key)) {
            /* The text binds the values of the SET list, then the where's. */
            for (size_t i = 0; i < nsets; i++) {
                if (rorm_vec_push(&s.params, sets[i].value) != 0) {
                    s.oom = true;
                }
            }
            filter_params(&s, where);
        } else {
            rorm__str_puts(&s.text, "UPDATE ");
            rorm__dialect_table(&s.text, s.d, m);
            rorm__pc_sql_sets(&s, " SET ", NULL, sets, nsets);
            where_clause(&s, where);
            cache_text(db, &key, &s);
        }
        rc = run_write(ctx, db, &s, changes);
    }
    rorm__pc_sql_dispose(&s);
    return rc;
}

/* The key after an update: the data's new values for key fields it sets, else the old key. */
static pc_filter *updated_key(pc_ctx *ctx, pc_filter *key)
{
    for (size_t k = 0; k < key->nkids; k++) {
        pc_filter *eq = key->kids[k];
        for (size_t i = 0; i < ctx->q.nsets; i++) {
            if (ctx->q.sets[i].field == eq->field && ctx->q.sets[i].op == PC_SET) {
                eq->value = ctx->q.sets[i].value;
            }
        }
    }
    return key;
}

static int not_found(pc_ctx *ctx, const char *what)
{
    return rorm__error(ctx->err, RORM_ENOTFOUND,
                       "An operation failed because it depends on one or more records that were "
                       "required but not found. Record to %s not found. (%s.%s)",
                       what, ctx->q.model->name, rorm__pc_op_name(ctx->q.op));
}

/* Whether writes can return their rows (UPDATE/DELETE ... RETURNING). */
static bool returns_rows(const rorm_db *db)
{
    return (db->dialect->caps & RORM_CAP_RETURNING) != 0;
}

/* The shown fields plus the key, so that RETURNING always has a column. */
static int returning_columns(pc_col **cols_out, size_t *n_out, pc_ctx *ctx)
{
    const rorm_model *m = ctx->q.model;
    unsigned char *extra = rorm__pc_alloc(&ctx->arena, m->fields.len + 1);
    pc_col *cols = rorm__pc_alloc(&ctx->arena, (m->fields.len + 1) * sizeof *cols);
    if (extra == NULL || cols == NULL) {
        return oom(ctx);
    }
    for (size_t k = 0; k < m->pk.len; k++) {
        extra[m->pk.ptr[k]->index] = 1;
    }
    *n_out = read_columns(cols, &ctx->q, extra);
    *cols_out = cols;
    return RORM_OK;
}

/*
 * update / delete in one statement, "UPDATE ... WHERE <unique where> RETURNING <fields>", where
 * the dialect has RETURNING: no transaction, no key lookup, no read back.
 */
static int write_returning(rorm_value *out, pc_ctx *ctx, bool del)
{
    pc_query *q = &ctx->q;
    pc_col *cols = NULL;
    size_t ncols = 0;
    pc_set *sets = NULL;
    size_t nsets = 0;
    int rc = returning_columns(&cols, &ncols, ctx);
    if (rc == RORM_OK && !del) {
        rc = stamped_sets(&sets, &nsets, ctx);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    pc_sql s;
    rorm__pc_sql_init(&s, q->db->dialect);
    if (del) {
        rorm__str_puts(&s.text, "DELETE FROM ");
        rorm__dialect_table(&s.text, s.d, q->model);
        where_clause(&s, q->where);
    } else if (nsets > 0) {
        rorm__str_puts(&s.text, "UPDATE ");
        rorm__dialect_table(&s.text, s.d, q->model);
        rorm__pc_sql_sets(&s, " SET ", NULL, sets, nsets);
        where_clause(&s, q->where);
    } else {
        /* Nothing to change: the record as it is. */
        select_head(&s, q->model, cols, ncols);
        where_clause(&s, q->where);
    }
    if (del || nsets > 0) {
        rorm__str_puts(&s.text, " RETURNING ");
        for (size_t i = 0; i < ncols; i++) {
            rorm__str_puts(&s.text, i ? ", " : "");
            rorm__pc_sql_column(&s, NULL, cols[i].field);
        }
    }
    value_vec cells = { 0 };
    rc = rorm__pc_run_select(ctx, q->db, &s, cols, ncols, SIZE_MAX, &cells);
    rorm__pc_sql_dispose(&s);
    if (rc == RORM_OK && cells.len < ncols) {
        rc = not_found(ctx, del ? "delete" : "update");
    }
    if (rc == RORM_OK) {
        rc = make_record(out, ctx, cols, ncols, cells.ptr);
    }
    cells_dispose(&cells);
    return rc;
}

/* ---- database upserts --------------------------------------------------------------------- */

/* Flatten @p f into equalities on fields; false when it holds anything else. */
static bool where_equalities(const pc_filter **eqs, size_t *n, size_t max, const pc_filter *f)
{
    if (f->kind == PF_AND) {
        for (size_t i = 0; i < f->nkids; i++) {
            if (!where_equalities(eqs, n, max, f->kids[i])) {
                return false;
            }
        }
        return true;
    }
    if (f->kind != PF_CMP || f->cmp != PC_EQ || f->agg != PC_AGG_NONE || f->insensitive ||
        f->order != NULL || f->value == NULL || *n == max) {
        return false;
    }
    for (size_t i = 0; i < *n; i++) {
        if (eqs[i]->field == f->field) {
            return false;
        }
    }
    eqs[(*n)++] = f;
    return true;
}

static bool names_field(const pc_filter *const *eqs, size_t n, const rorm_field *f)
{
    for (size_t i = 0; i < n; i++) {
        if (eqs[i]->field == f) {
            return true;
        }
    }
    return false;
}

/* Whether the fields of @p eqs are exactly one unique constraint of @p m: the primary key, a
   field marked unique, or a unique index. */
static bool is_unique_constraint(const rorm_model *m, const pc_filter *const *eqs, size_t n)
{
    bool pk = m->pk.len == n;
    for (size_t k = 0; pk && k < m->pk.len; k++) {
        pk = names_field(eqs, n, m->pk.ptr[k]);
    }
    if (pk || (n == 1 && (eqs[0]->field->flags & RORM_UNIQUE))) {
        return true;
    }
    for (size_t k = 0; k < m->indexes.len; k++) {
        const rorm_index *ix = m->indexes.ptr[k];
        bool same = ix->kind == RORM_INDEX_UNIQUE && ix->nfields == n;
        for (size_t i = 0; same && i < ix->nfields; i++) {
            same = names_field(eqs, n, ix->fields[i].field);
        }
        if (same) {
            return true;
        }
    }
    return false;
}

/*
 * Prisma's rule for a database upsert: the where is one unique criterion (a unique field or a
 * compound key, by equality) and the create data gives each of its fields the same value. Then
 * the conflict target is that constraint and the insert can only conflict on the record the
 * where names. @p eqs gets the equalities (their fields are the conflict target).
 */
static size_t upsert_target(const pc_filter **eqs, size_t max, pc_ctx *ctx)
{
    const pc_query *q = &ctx->q;
    size_t n = 0;
    if (!where_equalities(eqs, &n, max, q->where) || n == 0 ||
        !is_unique_constraint(q->model, eqs, n)) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        const rorm_value *v = rorm_value_object_get(q->data, eqs[i]->field->name);
        const rorm_value *conv;
        rorm_error ignored = { 0 };
        rorm_error *keep = ctx->err;
        ctx->err = &ignored;
        int rc = v ? rorm__pc_convert(&conv, ctx, eqs[i]->field, v, eqs[i]->field->name) : -1;
        ctx->err = keep;
        if (rc != RORM_OK || !rorm_value_equal(conv, eqs[i]->value)) {
            return 0;
        }
    }
    return n;
}

static bool autoincremented(const rorm_field *f)
{
    return (f->flags & RORM_AUTOINCREMENT) || f->def.kind == RORM_DEFAULT_AUTOINCREMENT;
}

/* Whether unique constraint @p fields (@p n) can conflict on an insert of @p data: not when
   one of its fields is an autoincrement the data leaves to the database. */
static bool may_conflict(const rorm_value *data, const rorm_field *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (autoincremented(fields[i]) && rorm_value_object_get(data, fields[i]->name) == NULL) {
            return false;
        }
    }
    return true;
}

/*
 * MySQL's ON DUPLICATE KEY UPDATE fires on whichever unique key the insert collides with, so it
 * stands for the upsert only when the target is the one key the insert can collide on, and the
 * update does not compute a new value for a key field (the record is read back by its key).
 */
static bool duplicate_key_is_target(pc_ctx *ctx, const pc_filter *const *eqs, size_t n)
{
    const pc_query *q = &ctx->q;
    const rorm_model *m = q->model;
    for (size_t i = 0; i < q->nsets; i++) {
        if (q->sets[i].op != PC_SET && names_field(eqs, n, q->sets[i].field)) {
            return false;
        }
    }
    bool pk_target = m->pk.len == n;
    for (size_t k = 0; pk_target && k < m->pk.len; k++) {
        pk_target = names_field(eqs, n, m->pk.ptr[k]);
    }
    if (!pk_target && may_conflict(q->data, (const rorm_field *const *)m->pk.ptr, m->pk.len)) {
        return false;
    }
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if ((f->flags & RORM_UNIQUE) && !(n == 1 && eqs[0]->field == f) &&
            may_conflict(q->data, &f, 1)) {
            return false;
        }
    }
    for (size_t k = 0; k < m->indexes.len; k++) {
        const rorm_index *ix = m->indexes.ptr[k];
        if (ix->kind != RORM_INDEX_UNIQUE) {
            continue;
        }
        const rorm_field *fields[RORM_MAX_PK_FIELDS];
        bool target = ix->nfields == n && n <= RORM_MAX_PK_FIELDS;
        for (size_t i = 0; i < ix->nfields && i < RORM_MAX_PK_FIELDS; i++) {
            fields[i] = ix->fields[i].field;
            target = target && names_field(eqs, n, fields[i]);
        }
        if (!target &&
            (ix->nfields > RORM_MAX_PK_FIELDS || may_conflict(q->data, fields, ix->nfields))) {
            return false;
        }
    }
    return true;
}

/* The upsert on MySQL: INSERT ... ON DUPLICATE KEY UPDATE, then the record read by its key. */
static int duplicate_key_upsert(rorm_value *out, pc_ctx *ctx, const pc_filter *const *eqs, size_t n)
{
    pc_query *q = &ctx->q;
    pc_set *sets = NULL;
    size_t nsets = 0;
    int rc = stamped_sets(&sets, &nsets, ctx);
    pc_filter *key = rorm__pc_filter_new(ctx, PF_AND, n);
    for (size_t i = 0; key && i < n; i++) {
        if ((key->kids[key->nkids++] =
                 rorm__pc_cmp_new(ctx, eqs[i]->field, PC_EQ, eqs[i]->value)) == NULL) {
            key = NULL;
        }
    }
    if (rc != RORM_OK || key == NULL) {
        return rc != RORM_OK ? rc : oom(ctx);
    }
    pc_sql s;
    rorm__pc_sql_init(&s, q->db->dialect);
    rc = insert_sql(&s, ctx);
    if (nsets > 0) {
        rorm__pc_sql_sets(&s, " ON DUPLICATE KEY UPDATE ", NULL, sets, nsets);
    } else {
        rorm__str_puts(&s.text, " ON DUPLICATE KEY UPDATE ");
        rorm__pc_sql_column(&s, NULL, eqs[0]->field);
        rorm__str_puts(&s.text, " = ");
        rorm__pc_sql_column(&s, NULL, eqs[0]->field);
    }
    int64_t changes = 0;
    if (rc == RORM_OK) {
        rc = run_write(ctx, q->db, &s, &changes);
    }
    rorm__pc_sql_dispose(&s);
    bool found = false;
    if (rc == RORM_OK) {
        /* 1 row: inserted; 2: updated; 0: updated to the same values. */
        rc = read_one(out, &found, ctx, q->db, changes == 1 ? key : updated_key(ctx, key));
    }
    if (rc == RORM_OK && !found) {
        rc = not_found(ctx, "read back");
    }
    return rc;
}

/*
 * upsert as one statement where Prisma's rule allows it: "INSERT ... ON CONFLICT (<unique>) DO
 * UPDATE SET ... RETURNING" (SQLite, PostgreSQL), "INSERT ... ON DUPLICATE KEY UPDATE ..." on
 * MySQL when that key is the only one the insert can collide on. Atomic: two concurrent upserts
 * of the same record cannot both insert. *done is false when the rule does not hold: the caller
 * runs the general form (read, then insert or update, in a transaction).
 */
static int database_upsert(rorm_value *out, bool *done, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    const unsigned caps = q->db->dialect->caps;
    const unsigned on_conflict = RORM_CAP_UPSERT_ON_CONFLICT | RORM_CAP_RETURNING;
    const pc_filter *eqs[RORM_MAX_PK_FIELDS];
    *done = false;
    size_t n = 0;
    if (((caps & on_conflict) != on_conflict && !(caps & RORM_CAP_UPSERT_ON_DUPLICATE)) ||
        (n = upsert_target(eqs, RORM_MAX_PK_FIELDS, ctx)) == 0) {
        return RORM_OK;
    }
    if ((caps & on_conflict) != on_conflict) {
        if (!duplicate_key_is_target(ctx, eqs, n)) {
            return RORM_OK;
        }
        *done = true;
        return duplicate_key_upsert(out, ctx, eqs, n);
    }
    *done = true;
    pc_col *cols = NULL;
    size_t ncols = 0;
    pc_set *sets = NULL;
    size_t nsets = 0;
    int rc = returned_and_set(&cols, &ncols, &sets, &nsets, ctx);
    if (rc != RORM_OK) {
        return rc;
    }
    pc_sql s;
    rorm__pc_sql_init(&s, q->db->dialect);
    rc = insert_sql(&s, ctx);
    rorm__str_puts(&s.text, " ON CONFLICT (");
    for (size_t i = 0; i < n; i++) {
        rorm__str_puts(&s.text, i ? ", " : "");
        rorm__pc_sql_column(&s, NULL, eqs[i]->field);
    }
    rorm__str_puts(&s.text, ") DO UPDATE");
    if (nsets > 0) {
        rorm__pc_sql_sets(&s, " SET ", q->model->table, sets, nsets);
    } else {
        /* Nothing to change: a no-op assignment, so that RETURNING gives the existing row. */
        rorm__str_puts(&s.text, " SET ");
        rorm__pc_sql_column(&s, NULL, eqs[0]->field);
        rorm__str_puts(&s.text, " = ");
        rorm__pc_sql_column(&s, q->model->table, eqs[0]->field);
    }
    if (rc == RORM_OK) {
        rc = run_returning(out, ctx, &s, cols, ncols);
    }
    rorm__pc_sql_dispose(&s);
    return rc;
}

/* The equality on @p f among the conditions @p w requires (its AND groups), or NULL. */
static pc_filter *required_equality(const pc_filter *w, const rorm_field *f)
{
    if (w->kind == PF_CMP && w->field == f && w->cmp == PC_EQ && w->agg == PC_AGG_NONE &&
        !w->insensitive && w->order == NULL && w->value != NULL &&
        w->value->type != RORM_TYPE_NULL) {
        return (pc_filter *)w;
    }
    for (size_t i = 0; w->kind == PF_AND && i < w->nkids; i++) {
        pc_filter *eq = required_equality(w->kids[i], f);
        if (eq) {
            return eq;
        }
    }
    return NULL;
}

/*
 * update inside a transaction on SQLite whose where names the primary key by equality and
 * whose data leaves the key alone: the UPDATE itself (no changed row: P2025), then the record
 * read back by its key. Two statements with no savepoint around them: inside the transaction
 * nothing else writes between them, and a failed UPDATE is undone by SQLite as a statement.
 * Cheaper than UPDATE ... RETURNING there (see in_process_tx) and than finding the key first.
 * *done is false when the conditions do not hold.
 */
static int update_by_key(rorm_value *out, bool *done, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    const rorm_model *m = q->model;
    *done = false;
    if (m->pk.len == 0 || m->pk.len > RORM_MAX_PK_FIELDS) {
        return RORM_OK;
    }
    for (size_t i = 0; i < q->nsets; i++) {
        for (size_t k = 0; k < m->pk.len; k++) {
            if (q->sets[i].field == m->pk.ptr[k]) {
                return RORM_OK;
            }
        }
    }
    pc_filter *eqs[RORM_MAX_PK_FIELDS];
    for (size_t k = 0; k < m->pk.len; k++) {
        if ((eqs[k] = required_equality(q->where, m->pk.ptr[k])) == NULL) {
            return RORM_OK;
        }
    }
    *done = true;
    pc_filter *key = rorm__pc_filter_new(ctx, PF_AND, m->pk.len);
    if (key == NULL) {
        return oom(ctx);
    }
    for (size_t k = 0; k < m->pk.len; k++) {
        key->kids[key->nkids++] = eqs[k];
    }
    int64_t changes = 0;
    int rc = update_where(&changes, ctx, q->db, q->where);
    if (rc == RORM_OK && changes == 0) {
        rc = not_found(ctx, "update");
    }
    bool found = false;
    if (rc == RORM_OK) {
        rc = read_one(out, &found, ctx, q->db, key);
    }
    if (rc == RORM_OK && !found) {
        rorm_value_dispose(out);
        rc = not_found(ctx, "read back");
    }
    return rc;
}

static int op_update(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    if (q->op == PC_UPDATE && returns_rows(q->db) && !in_process_tx(q->db)) {
        return write_returning(out, ctx, false);
    }
    if (q->op == PC_UPDATE && in_process_tx(q->db)) {
        bool done;
        int rc = update_by_key(out, &done, ctx);
        if (done) {
            return rc;
        }
    }
    if (q->op == PC_UPSERT) {
        bool done;
        int rc = database_upsert(out, &done, ctx);
        if (done) {
            return rc;
        }
    }
    rorm_db *tx;
    int rc = rorm_db_begin(&tx, q->db, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    pc_filter *key = NULL;
    rc = find_key(&key, ctx, tx, q->where);
    bool create = rc == RORM_OK && key == NULL && q->op == PC_UPSERT;
    if (rc == RORM_OK && key == NULL && !create) {
        rc = not_found(ctx, "update");
    }
    if (rc == RORM_OK && create) {
        rorm_value id;
        rorm_value_init(&id);
        rc = rorm_db_insert(tx, q->model->name, q->data, &id, ctx->err);
        if (rc == RORM_OK) {
            key = key_filter_from_id(ctx, &id);
            rc = key ? RORM_OK : oom(ctx);
        }
        rorm_value_dispose(&id);
    } else if (rc == RORM_OK) {
        int64_t changes = 0;
        rc = update_where(&changes, ctx, tx, key);
        key = updated_key(ctx, key);
    }
    bool found = false;
    if (rc == RORM_OK) {
        rc = read_one(out, &found, ctx, tx, key);
    }
    if (rc == RORM_OK && !found) {
        rorm_value_dispose(out);
        rc = not_found(ctx, "read back");
    }
    if (rc != RORM_OK) {
        rorm_value_dispose(out);
    }
    return finish_tx(tx, rc, ctx);
}

static int op_update_many(rorm_value *out, pc_ctx *ctx)
{
    int64_t changes = 0;
    int rc = update_where(&changes, ctx, ctx->q.db, ctx->q.where);
    return rc == RORM_OK ? count_result(out, ctx, changes) : rc;
}

/* The filter "primary key is one of the keys in @p cells" (@p nrows rows of @p ncols). */
static pc_filter *keys_filter(pc_ctx *ctx, const pc_col *cols, size_t ncols, const value_vec *cells)
{
    size_t nrows = ncols ? cells->len / ncols : 0;
    pc_filter *any = rorm__pc_filter_new(ctx, PF_OR, nrows);
    for (size_t r = 0; any != NULL && r < nrows; r++) {
        pc_filter *key = key_filter_from_cells(ctx, cols, ncols, cells->ptr + r * ncols);
        if (key == NULL) {
            return NULL;
        }
        any->kids[any->nkids++] = key;
    }
    return any;
}

/* Make an array of records from @p cells (rows of @p ncols), moving the values. */
static int
records_of(rorm_value *out, pc_ctx *ctx, const pc_col *cols, size_t ncols, value_vec *cells)
{
    size_t nrows = ncols ? cells->len / ncols : 0;
    rorm_value arr;
    rorm_value_init_array(&arr);
    int rc = RORM_OK;
    for (size_t r = 0; rc == RORM_OK && r < nrows; r++) {
        rorm_value rec;
        rc = make_record(&rec, ctx, cols, ncols, cells->ptr + r * ncols);
        if (rc == RORM_OK && rorm_value_array_push_take(&arr, &rec) != RORM_OK) {
            rorm_value_dispose(&rec);
            rc = oom(ctx);
        }
    }
    if (rc == RORM_OK) {
        *out = arr;
    } else {
        rorm_value_dispose(&arr);
    }
    return rc;
}

/*
 * updateManyAndReturn: "UPDATE ... WHERE ... RETURNING <fields>" where the dialect returns rows;
 * elsewhere (MySQL), in a transaction: the keys of the matching records, the UPDATE of those,
 * and the records read back by key (a change of a key field is refused there: the new keys
 * would not be known).
 */
static int op_update_many_and_return(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    const rorm_model *m = q->model;
    pc_col *cols = NULL;
    size_t ncols = 0;
    pc_set *sets = NULL;
    size_t nsets = 0;
    int rc = returned_and_set(&cols, &ncols, &sets, &nsets, ctx);
    if (rc != RORM_OK) {
        return rc;
    }
    value_vec cells = { 0 };
    pc_sql s;
    if (returns_rows(q->db) && nsets > 0) {
        rorm__pc_sql_init(&s, q->db->dialect);
        rorm__str_puts(&s.text, "UPDATE ");
        s.d->quote_ident(&s.text, m->table);
        rorm__pc_sql_sets(&s, " SET ", NULL, sets, nsets);
        where_clause(&s, q->where);
        rorm__str_puts(&s.text, " RETURNING ");
        for (size_t i = 0; i < ncols; i++) {
            rorm__str_puts(&s.text, i ? ", " : "");
            rorm__pc_sql_column(&s, NULL, cols[i].field);
        }
        rc = rorm__pc_run_select(ctx, q->db, &s, cols, ncols, SIZE_MAX, &cells);
        rorm__pc_sql_dispose(&s);
        if (rc == RORM_OK) {
            rc = records_of(out, ctx, cols, ncols, &cells);
        }
        cells_dispose(&cells);
        return rc;
    }
    for (size_t i = 0; i < q->nsets; i++) {
        for (size_t k = 0; k < m->pk.len; k++) {
            if (q->sets[i].field == m->pk.ptr[k]) {
                return rorm__error(ctx->err, RORM_EUNSUPPORTED,
                                   "%s.updateManyAndReturn cannot change the key field `%s` on "
                                   "this database (it has no UPDATE ... RETURNING)",
                                   m->name, m->pk.ptr[k]->name);
            }
        }
    }
    rorm_db *tx;
    if ((rc = rorm_db_begin(&tx, q->db, ctx->err)) != RORM_OK) {
        return rc;
    }
    pc_col *keys = rorm__pc_alloc(&ctx->arena, (m->pk.len + 1) * sizeof *keys);
    rc = keys ? RORM_OK : oom(ctx);
    for (size_t k = 0; rc == RORM_OK && k < m->pk.len; k++) {
        keys[k].field = m->pk.ptr[k];
        keys[k].agg = PC_AGG_NONE;
    }
    if (rc == RORM_OK) {
        rorm__pc_sql_init(&s, tx->dialect);
        select_head(&s, m, keys, m->pk.len);
        where_clause(&s, q->where);
        rc = rorm__pc_run_select(ctx, tx, &s, keys, m->pk.len, SIZE_MAX, &cells);
        rorm__pc_sql_dispose(&s);
    }
    pc_filter *matched = rc == RORM_OK ? keys_filter(ctx, keys, m->pk.len, &cells) : NULL;
    cells_dispose(&cells);
    if (rc == RORM_OK && matched == NULL) {
        rc = oom(ctx);
    }
    int64_t changes = 0;
    if (rc == RORM_OK && matched->nkids > 0) {
        rc = update_where(&changes, ctx, tx, matched);
    }
    if (rc == RORM_OK && matched->nkids > 0) {
        rorm__pc_sql_init(&s, tx->dialect);
        select_head(&s, m, cols, ncols);
        where_clause(&s, matched);
        rc = rorm__pc_run_select(ctx, tx, &s, cols, ncols, SIZE_MAX, &cells);
        rorm__pc_sql_dispose(&s);
    }
    if (rc == RORM_OK) {
        rc = records_of(out, ctx, cols, ncols, &cells);
    }
    cells_dispose(&cells);
    return finish_tx(tx, rc, ctx);
}

static int delete_where(int64_t *changes, pc_ctx *ctx, rorm_db *db, const pc_filter *where)
{
    pc_sql s;
    rorm__pc_sql_init(&s, db->dialect);
    rorm__str_puts(&s.text, "DELETE FROM ");
    rorm__dialect_table(&s.text, s.d, ctx->q.model);
    where_clause(&s, where);
    int rc = run_write(ctx, db, &s, changes);
    rorm__pc_sql_dispose(&s);
    return rc;
}

static int op_delete(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    if (returns_rows(q->db)) {
        return write_returning(out, ctx, true);
    }
    rorm_db *tx;
    int rc = rorm_db_begin(&tx, q->db, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    pc_filter *key = NULL;
    rc = find_key(&key, ctx, tx, q->where);
    if (rc == RORM_OK && key == NULL) {
        rc = not_found(ctx, "delete");
    }
    bool found = false;
    if (rc == RORM_OK) {
        rc = read_one(out, &found, ctx, tx, key);
    }
    int64_t changes = 0;
    if (rc == RORM_OK) {
        rc = delete_where(&changes, ctx, tx, key);
    }
    if (rc != RORM_OK) {
        rorm_value_dispose(out);
    }
    return finish_tx(tx, rc, ctx);
}

static int op_delete_many(rorm_value *out, pc_ctx *ctx)
{
    int64_t changes = 0;
    int rc = delete_where(&changes, ctx, ctx->q.db, ctx->q.where);
    return rc == RORM_OK ? count_result(out, ctx, changes) : rc;
}

/* ---- streams (stream.c) ------------------------------------------------------------------- */

int rorm__pc_stream_sql(pc_sql *s, pc_col **cols_out, size_t *ncols_out, bool *empty, pc_ctx *ctx)
{
    window w;
    int rc = make_window(&w, ctx, ctx->q.db, false);
    if (rc == RORM_OK) {
        rc = find_columns(cols_out, ncols_out, ctx);
    }
    if (rc == RORM_OK) {
        *empty = w.empty;
        find_sql(s, ctx, &w, *cols_out, *ncols_out);
    }
    return rc;
}

int rorm__pc_stream_record(rorm_value *out,
                           pc_ctx *ctx,
                           const pc_col *cols,
                           size_t ncols,
                           rorm_stmt *stmt,
                           rorm_value *cells)
{
    const rorm_driver *drv = stmt->conn->driver;
    size_t n = 0;
    int rc = RORM_OK;
    for (; rc == RORM_OK && n < ncols; n++) {
        rorm_value col;
        rc = drv->column(stmt, n, &col, ctx->err);
        if (rc == RORM_OK) {
            rc = read_cell(&cells[n], &cols[n], &col, ctx);
        }
        if (rc != RORM_OK) {
            break;
        }
    }
    if (rc == RORM_OK) {
        rc = make_record(out, ctx, cols, ncols, cells);
    }
    for (size_t c = 0; c < n; c++) {
        rorm_value_dispose(&cells[c]);
    }
    return rc;
}

/* ---- SQL without running (tests, explain) -------------------------------------------------- */

int rorm__pc_sql_of(pc_sql *s, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    if (q->cursor) {
        return rorm__error(ctx->err, RORM_EUNSUPPORTED,
                           "a cursor is resolved against the database: no SQL without it");
    }
    window w;
    pc_col *cols = NULL;
    size_t ncols = 0;
    int rc;
    switch (q->op) {
    case PC_FIND_UNIQUE:
    case PC_FIND_UNIQUE_OR_THROW:
    case PC_FIND_FIRST:
    case PC_FIND_FIRST_OR_THROW:
    case PC_FIND_MANY:
        if ((rc = make_window(&w, ctx, q->db, false)) != RORM_OK ||
            (rc = find_columns(&cols, &ncols, ctx)) != RORM_OK) {
            return rc;
        }
        if (q->op == PC_FIND_FIRST || q->op == PC_FIND_FIRST_OR_THROW) {
            w.limit = 1;
        }
        find_sql(s, ctx, &w, cols, ncols);
        return RORM_OK;
    case PC_COUNT:
    case PC_AGGREGATE:
        if ((rc = make_window(&w, ctx, q->db, false)) != RORM_OK ||
            (rc = aggregate_columns(&cols, &ncols, ctx)) != RORM_OK) {
            return rc;
        }
        aggregate_sql(s, ctx, &w, cols, ncols);
        return RORM_OK;
    case PC_GROUP_BY:
        if ((rc = make_window(&w, ctx, q->db, false)) != RORM_OK ||
            (rc = group_by_columns(&cols, &ncols, ctx)) != RORM_OK) {
            return rc;
        }
        group_by_sql(s, ctx, &w, cols, ncols);
        return RORM_OK;
    case PC_UPDATE_MANY: {
        pc_set *sets = NULL;
        size_t nsets = 0;
        if ((rc = stamped_sets(&sets, &nsets, ctx)) != RORM_OK) {
            return rc;
        }
        rorm__str_puts(&s->text, "UPDATE ");
        rorm__dialect_table(&s->text, s->d, q->model);
        rorm__pc_sql_sets(s, " SET ", NULL, sets, nsets);
        where_clause(s, q->where);
        return RORM_OK;
    }
    case PC_DELETE_MANY:
        rorm__str_puts(&s->text, "DELETE FROM ");
        rorm__dialect_table(&s->text, s->d, q->model);
        where_clause(s, q->where);
        return RORM_OK;
    default:
        return rorm__error(ctx->err, RORM_EUNSUPPORTED, "%s runs several statements",
                           rorm__pc_op_name(q->op));
    }
}

int rorm__pc_compile(pc_sql *s,
                     pc_ctx *ctx,
                     rorm_db *db,
                     const char *model,
                     const char *operation,
                     const rorm_value *args)
{
    int rc = rorm__pc_parse(ctx, db, model, operation, args);
    if (rc == RORM_OK) {
        rc = rorm__pc_sql_of(s, ctx);
    }
    if (rc == RORM_OK && (s->oom || rorm__str_oom(&s->text))) {
        rc = rorm__error_oom(ctx->err);
    }
    return rc;
}

/* ---- the API ------------------------------------------------------------------------------ */

int rorm_db_call(rorm_value *result_out,
                 rorm_db *db,
                 const char *model,
                 const char *operation,
                 const rorm_value *args,
                 rorm_error *err)
{
    return rorm__pc_db_call(result_out, db, model, operation, args, true, NULL, err);
}

/* Whether the validated query builds its result in a result arena when given one: reads,
   whose results are only read (writes hand theirs through other calls). */
static bool res_op(const pc_query *q)
{
    switch (q->op) {
    case PC_FIND_UNIQUE:
    case PC_FIND_UNIQUE_OR_THROW:
    case PC_FIND_FIRST:
    case PC_FIND_FIRST_OR_THROW:
    case PC_FIND_MANY:
    case PC_COUNT:
    case PC_AGGREGATE:
    case PC_GROUP_BY:
        return !q->has_nested;
    default:
        return false;
    }
}

int rorm__pc_db_call(rorm_value *result_out,
                     rorm_db *db,
                     const char *model,
                     const char *operation,
                     const rorm_value *args,
                     bool emulate,
                     pc_rarena *res,
                     rorm_error *err)
{
    RORM_CHECK_ARG(result_out != NULL, err);
    rorm_value_init(result_out);
    RORM_CHECK_ARG(db != NULL, err);
    pc_ctx ctx;
    ctx.err = err;
    ctx.res = NULL;
    rorm__pc_arena_init(&ctx.arena);
    /* Most queries fit in a few kilobytes: no heap block for them. */
    max_align_t first[3072 / sizeof(max_align_t)];
    rorm__pc_arena_use(&ctx.arena, first, sizeof first);
    int rc = rorm__pc_parse(&ctx, db, model, operation, args);
    if (rc == RORM_OK && res != NULL && res_op(&ctx.q)) {
        ctx.res = res;
    }
    if (rc == RORM_OK && emulate && rorm__pc_emulates(&ctx)) {
        rc = rorm__pc_emulated_write(result_out, &ctx);
    } else if (rc == RORM_OK && ctx.q.has_nested) {
        rc = rorm__pc_nested_write(result_out, &ctx);
    } else if (rc == RORM_OK && ctx.q.op == PC_DELETE &&
               (ctx.q.nincludes > 0 || ctx.q.has_counts)) {
        rc = rorm__pc_delete_with_relations(result_out, &ctx);
    } else if (rc == RORM_OK) {
        switch (ctx.q.op) {
        case PC_CREATE:
            rc = op_create(result_out, &ctx);
            break;
        case PC_CREATE_MANY:
        case PC_CREATE_MANY_AND_RETURN:
            rc = op_create_many(result_out, &ctx);
            break;
        case PC_FIND_UNIQUE:
        case PC_FIND_UNIQUE_OR_THROW:
        case PC_FIND_FIRST:
        case PC_FIND_FIRST_OR_THROW:
        case PC_FIND_MANY:
            rc = op_find(result_out, &ctx);
            break;
        case PC_UPDATE:
        case PC_UPSERT:
            rc = op_update(result_out, &ctx);
            break;
        case PC_UPDATE_MANY:
            rc = op_update_many(result_out, &ctx);
            break;
        case PC_UPDATE_MANY_AND_RETURN:
            rc = op_update_many_and_return(result_out, &ctx);
            break;
        case PC_DELETE:
            rc = op_delete(result_out, &ctx);
            break;
        case PC_DELETE_MANY:
            rc = op_delete_many(result_out, &ctx);
            break;
        case PC_COUNT:
        case PC_AGGREGATE:
            rc = op_aggregate(result_out, &ctx);
            break;
        case PC_GROUP_BY:
            rc = op_group_by(result_out, &ctx);
            break;
        default:
            rc = rorm__error(err, RORM_EINVAL, "unknown operation");
            break;
        }
        if (rc == RORM_ECONSTRAINT) {
            constraint_message(&ctx, ctx.q.model);
        }
        if (rc == RORM_OK && (ctx.q.nincludes || ctx.q.has_counts || ctx.q.strip)) {
            rc = rorm__pc_load_relations(&ctx, result_out);
        }
    }
    if (rc != RORM_OK) {
        rorm_value_dispose(result_out);
    }
    rorm__pc_arena_dispose(&ctx.arena);
    return rc;
}

int rorm_db_load_relations(
    rorm_value *records, rorm_db *db, const char *model, const rorm_value *include, rorm_error *err)
{
    RORM_CHECK_ARG(records != NULL && db != NULL && model != NULL && include != NULL, err);
    RORM_CHECK_ARG(records->type == RORM_TYPE_OBJECT || records->type == RORM_TYPE_ARRAY, err);
    rorm_member m = { "include", *include };
    m.value.flags |= RORM_VALUE_BORROWED;
    rorm_value args = RORM_OBJECT_N(&m, 1);
    pc_ctx ctx;
    ctx.err = err;
    ctx.res = NULL;
    rorm__pc_arena_init(&ctx.arena);
    int rc = rorm__pc_parse(&ctx, db, model, "findMany", &args);
    if (rc == RORM_OK) {
        rc = rorm__pc_load_relations(&ctx, records);
    }
    rorm__pc_arena_dispose(&ctx.arena);
    return rc;
}

const char *rorm_error_prisma_code(const rorm_error *err)
{
    if (err == NULL) {
        return NULL;
    }
    if (err->code == RORM_ENOTFOUND) {
        return "P2025";
    }
    if (err->code != RORM_ECONSTRAINT) {
        return NULL;
    }
    switch (err->constraint) {
    case RORM_CONSTRAINT_UNIQUE:
    case RORM_CONSTRAINT_PRIMARY_KEY:
        return "P2002";
    case RORM_CONSTRAINT_FOREIGN_KEY:
        return "P2003";
    case RORM_CONSTRAINT_NOT_NULL:
        return "P2011";
    case RORM_CONSTRAINT_RELATION:
        return "P2014";
    default:
        return NULL;
    }
}

int rorm_db_call_json(char **result_json_out,
                      rorm_db *db,
                      const char *model,
                      const char *operation,
                      const char *args_json,
                      rorm_error *err)
{
    RORM_CHECK_ARG(result_json_out != NULL, err);
    *result_json_out = NULL;
    rorm_value args, result;
    rorm_value_init(&args);
    int rc = RORM_OK;
    if (args_json && *args_json) {
        rc = rorm__json_parse(&args, args_json, strlen(args_json), err);
    }
    if (rc == RORM_OK) {
        rc = rorm_db_call(&result, db, model, operation, &args, err);
    }
    if (rc == RORM_OK) {
        size_t len;
        if (rorm_value_to_json(result_json_out, &len, &result) != RORM_OK) {
            rc = rorm__error_oom(err);
        }
        rorm_value_dispose(&result);
    }
    rorm_value_dispose(&args);
    return rc;
}
