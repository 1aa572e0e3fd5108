/*
 * The select builder: a tree of conditions, sort keys, limit and offset over one model,
 * compiled to one SELECT with every value bound as a parameter. Builder errors are sticky: the
 * first one is kept and reported again when the query runs.
 */
#include "rediorm/query.h"

#include <string.h>
#include <strings.h>

#include "client/client.h"
#include "query/prisma/pc.h"
#include "util/alloc.h"
#include "util/error.h"

typedef enum cond_op {
    OP_EQ,
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_LIKE,
    OP_NOT_LIKE,
    OP_IN,
    OP_NOT_IN,
    OP_IS_NULL,
    OP_IS_NOT_NULL,
} cond_op;

static const struct {
    const char *text;
    cond_op op;
    const char *sql;
} op_table[] = {
    { "=", OP_EQ, " = " },
    { "==", OP_EQ, " = " },
    { "!=", OP_NE, " <> " },
    { "<>", OP_NE, " <> " },
    { "<", OP_LT, " < " },
    { "<=", OP_LE, " <= " },
    { ">", OP_GT, " > " },
    { ">=", OP_GE, " >= " },
    { "like", OP_LIKE, " LIKE " },
    { "not like", OP_NOT_LIKE, " NOT LIKE " },
    { "in", OP_IN, " IN " },
    { "not in", OP_NOT_IN, " NOT IN " },
    { "is null", OP_IS_NULL, " IS NULL" },
    { "is not null", OP_IS_NOT_NULL, " IS NOT NULL" },
};

#define GROUP_AND 0
#define GROUP_OR  1

typedef struct cond cond;
struct cond {
    bool is_group;
    /* Leaf. */
    rorm_field *field;
    unsigned op;              /* index into op_table */
    rorm_value value;         /* owned copy, already converted to the field's type */
    const rorm_value **items; /* in / not in: pointers to value's items (made when compiled) */
    /* Group. */
    int join; /* GROUP_AND / GROUP_OR */
    rorm_vec(cond *) children;
};

typedef struct order_key {
    rorm_field *field;
    rorm_order order;
} order_key;

struct rorm_query {
    rorm_db *db;
    rorm_model *model;
    rorm_vec(rorm_field *) select; /* empty: every scalar field */
    cond root;
    rorm_vec(cond *) stack; /* open groups; the innermost last; root not included */
    rorm_vec(order_key) orders;
    int64_t limit; /* -1: none */
    int64_t offset;
    rorm_error error; /* the first builder error, code RORM_OK when none */
};

static void cond_dispose(cond *c)
{
    if (c->is_group) {
        for (size_t i = 0; i < c->children.len; i++) {
            cond_dispose(c->children.ptr[i]);
            rorm__free(c->children.ptr[i]);
        }
        rorm_vec_free(&c->children);
    } else {
        rorm_value_dispose(&c->value);
        rorm__free(c->items);
    }
}

int rorm_query_new(rorm_query **out, rorm_db *db, const char *model, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(db != NULL, err);
    rorm_model *m;
    int rc = rorm__db_model(&m, db, model, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_query *q = rorm__calloc(1, sizeof *q);
    if (q == NULL) {
        return rorm__error_oom(err);
    }
    q->db = db;
    q->model = m;
    q->root.is_group = true;
    q->root.join = GROUP_AND;
    q->limit = -1;
    *out = q;
    return RORM_OK;
}

void rorm_query_free(rorm_query *q)
{
    if (q == NULL) {
        return;
    }
    cond_dispose(&q->root);
    rorm_vec_free(&q->stack);
    rorm_vec_free(&q->select);
    rorm_vec_free(&q->orders);
    rorm__free(q);
}

/* Record the first builder error; later calls keep failing with it. */
static int fail(rorm_query *q, const rorm_error *e)
{
    if (q->error.code == RORM_OK) {
        q->error = *e;
    }
    return e->code;
}

#define QUERY_CHECK(q)                    \
    do {                                  \
        if ((q) == NULL) {                \
            return RORM_EINVAL;           \
        }                                 \
        if ((q)->error.code != RORM_OK) { \
            return (q)->error.code;       \
        }                                 \
    } while (0)

static int find_field(rorm_field **out, rorm_query *q, const char *name)
{
    rorm_error e = { 0 };
    int rc = rorm__model_find_field(out, q->model, name, &e);
    if (rc != RORM_OK) {
        return fail(q, &e);
    }
    if (!rorm__field_is_column(*out)) {
        rorm__error(&e, RORM_EINVAL, "field '%s.%s' is a relation, not a column", q->model->name,
                    name);
        return fail(q, &e);
    }
    return RORM_OK;
}

int rorm_query_select(rorm_query *q, const char *fields)
{
    QUERY_CHECK(q);
    rorm_error e = { 0 };
    if (fields == NULL) {
        rorm__error(&e, RORM_EINVAL, "select: field list is NULL");
        return fail(q, &e);
    }
    const char *p = fields;
    for (;;) {
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        const char *start = p;
        while (*p && *p != ',') {
            p++;
        }
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t')) {
            end--;
        }
        if (end == start) {
            rorm__error(&e, RORM_EINVAL, "select: empty field name in '%s'", fields);
            return fail(q, &e);
        }
        char name[128];
        size_t n = (size_t)(end - start);
        if (n >= sizeof name) {
            rorm__error(&e, RORM_EINVAL, "select: field name too long in '%.60s'", fields);
            return fail(q, &e);
        }
        memcpy(name, start, n);
        name[n] = '\0';
        rorm_field *f;
        int rc = find_field(&f, q, name);
        if (rc != RORM_OK) {
            return rc;
        }
        if (rorm_vec_push(&q->select, f) != RORM_OK) {
            rorm__error_oom(&e);
            return fail(q, &e);
        }
        if (*p == '\0') {
            break;
        }
        p++;
    }
    return RORM_OK;
}

static cond *current_group(rorm_query *q)
{
    return q->stack.len ? q->stack.ptr[q->stack.len - 1] : &q->root;
}

static int add_cond(rorm_query *q, cond *c)
{
    cond *g = current_group(q);
    if (rorm_vec_push(&g->children, c) != RORM_OK) {
        rorm_error e = { 0 };
        cond_dispose(c);
        rorm__free(c);
        rorm__error_oom(&e);
        return fail(q, &e);
    }
    return RORM_OK;
}

/* Convert one operand for @p f into an owned value. */
static int convert_operand(
    rorm_value *out, rorm_query *q, const rorm_field *f, const rorm_value *v, cond_op op)
{
    rorm_error e = { 0 };
    const rorm_value *conv;
    rorm_value tmp;
    rorm_field as = *f;
    /* A comparison may use NULL-free values even for lists' elements; LIKE patterns are text. */
    as.flags |= RORM_NULLABLE;
    if (op == OP_LIKE || op == OP_NOT_LIKE) {
        if (v->type != RORM_TYPE_TEXT) {
            rorm__error(&e, RORM_EINVAL, "'%s' on field '%s.%s' needs a text pattern",
                        op_table[op].text, q->model->name, f->name);
            return fail(q, &e);
        }
        conv = v;
        rorm_value_init(&tmp);
    } else if (rorm__coerce(&conv, &tmp, &as, v, &e) != RORM_OK) {
        return fail(q, &e);
    }
    int rc = rorm_value_copy(out, conv);
    rorm_value_dispose(&tmp);
    if (rc != RORM_OK) {
        rorm__error_oom(&e);
        return fail(q, &e);
    }
    return RORM_OK;
}

int rorm_query_where(rorm_query *q, const char *field, const char *op, const rorm_value *value)
{
    QUERY_CHECK(q);
    rorm_error e = { 0 };
    rorm_field *f;
    int rc = find_field(&f, q, field);
    if (rc != RORM_OK) {
        return rc;
    }
    if (op == NULL) {
        rorm__error(&e, RORM_EINVAL, "where: operator is NULL");
        return fail(q, &e);
    }
    size_t k = 0;
    for (; k < sizeof op_table / sizeof op_table[0]; k++) {
        if (strcasecmp(op_table[k].text, op) == 0) {
            break;
        }
    }
    if (k == sizeof op_table / sizeof op_table[0]) {
        rorm__error(
            &e, RORM_EINVAL,
            "unknown operator '%.40s' (use =, !=, <, <=, >, >=, like, not like, in, not in, is null, is not null)",
            op);
        return fail(q, &e);
    }
    cond_op cop = op_table[k].op;
    static const rorm_value null_value = { .type = RORM_TYPE_NULL };
    if (value == NULL) {
        value = &null_value;
    }
    /* "= NULL" and "!= NULL" mean IS NULL / IS NOT NULL, as in Prisma's `where: { f: null }`. */
    if (value->type == RORM_TYPE_NULL && (cop == OP_EQ || cop == OP_NE)) {
        cop = cop == OP_EQ ? OP_IS_NULL : OP_IS_NOT_NULL;
    }
    cond *c = rorm__calloc(1, sizeof *c);
    if (c == NULL) {
        rorm__error_oom(&e);
        return fail(q, &e);
    }
    c->field = f;
    for (k = 0; op_table[k].op != cop; k++) {
    }
    c->op = (unsigned)k;
    rc = RORM_OK;
    if (cop == OP_IS_NULL || cop == OP_IS_NOT_NULL) {
        if (value->type != RORM_TYPE_NULL) {
            rc = rorm__error(&e, RORM_EINVAL, "'%s' takes no value (field '%s.%s')", op,
                             q->model->name, f->name);
            rc = fail(q, &e);
        }
    } else if (cop == OP_IN || cop == OP_NOT_IN) {
        if (value->type != RORM_TYPE_ARRAY) {
            rorm__error(&e, RORM_EINVAL, "'%s' on field '%s.%s' needs an array of values", op,
                        q->model->name, f->name);
            rc = fail(q, &e);
        } else {
            rorm_value_init_array(&c->value);
            for (size_t i = 0; rc == RORM_OK && i < value->u.arr.len; i++) {
                rorm_value item;
                rc = convert_operand(&item, q, f, &value->u.arr.items[i], cop);
                if (rc == RORM_OK && rorm_value_array_push_take(&c->value, &item) != RORM_OK) {
                    rorm_value_dispose(&item);
                    rorm__error_oom(&e);
                    rc = fail(q, &e);
                }
            }
        }
    } else if (value->type == RORM_TYPE_NULL) {
        rorm__error(&e, RORM_EINVAL, "'%s' cannot compare with NULL (field '%s.%s'); use 'is null'",
                    op, q->model->name, f->name);
        rc = fail(q, &e);
    } else {
        rc = convert_operand(&c->value, q, f, value, cop);
    }
    if (rc != RORM_OK) {
        cond_dispose(c);
        rorm__free(c);
        return rc;
    }
    return add_cond(q, c);
}

static int group_begin(rorm_query *q, int join)
{
    QUERY_CHECK(q);
    rorm_error e = { 0 };
    if (q->stack.len + 1 >= RORM_QUERY_MAX_DEPTH) {
        /* Groups render and free recursively: bounded, as rorm_db_call's arguments are. */
        rorm__error(&e, RORM_EINVAL, "groups nested deeper than %d levels", RORM_QUERY_MAX_DEPTH);
        return fail(q, &e);
    }
    cond *c = rorm__calloc(1, sizeof *c);
    if (c == NULL) {
        rorm__error_oom(&e);
        return fail(q, &e);
    }
    c->is_group = true;
    c->join = join;
    if (rorm_vec_reserve(&q->stack, 1) != RORM_OK) {
        rorm__free(c);
        rorm__error_oom(&e);
        return fail(q, &e);
    }
    int rc = add_cond(q, c);
    if (rc == RORM_OK) {
        q->stack.ptr[q->stack.len++] = c;
    }
    return rc;
}

int rorm_query_or_begin(rorm_query *q)
{
    return group_begin(q, GROUP_OR);
}

int rorm_query_and_begin(rorm_query *q)
{
    return group_begin(q, GROUP_AND);
}

int rorm_query_group_end(rorm_query *q)
{
    QUERY_CHECK(q);
    if (q->stack.len == 0) {
        rorm_error e = { 0 };
        rorm__error(&e, RORM_EINVAL, "group_end without an open group");
        return fail(q, &e);
    }
    q->stack.len--;
    return RORM_OK;
}

int rorm_query_order_by(rorm_query *q, const char *field, rorm_order order)
{
    QUERY_CHECK(q);
    rorm_error e = { 0 };
    if (order != RORM_ASC && order != RORM_DESC) {
        rorm__error(&e, RORM_EINVAL, "order_by: direction must be RORM_ASC or RORM_DESC");
        return fail(q, &e);
    }
    rorm_field *f;
    int rc = find_field(&f, q, field);
    if (rc != RORM_OK) {
        return rc;
    }
    order_key k = { f, order };
    if (rorm_vec_push(&q->orders, k) != RORM_OK) {
        rorm__error_oom(&e);
        return fail(q, &e);
    }
    return RORM_OK;
}

int rorm_query_limit(rorm_query *q, int64_t n)
{
    QUERY_CHECK(q);
    if (n < 0) {
        rorm_error e = { 0 };
        rorm__error(&e, RORM_EINVAL, "limit must not be negative (got %lld)", (long long)n);
        return fail(q, &e);
    }
    q->limit = n;
    return RORM_OK;
}

int rorm_query_offset(rorm_query *q, int64_t n)
{
    QUERY_CHECK(q);
    if (n < 0) {
        rorm_error e = { 0 };
        rorm__error(&e, RORM_EINVAL, "offset must not be negative (got %lld)", (long long)n);
        return fail(q, &e);
    }
    q->offset = n;
    return RORM_OK;
}

/* ---- Compilation ------------------------------------------------------------------------- */

/* The statement being compiled: SQL text and parameters, as the Prisma engine compiles them
   (its filter compiler renders in / not in lists). */
typedef pc_sql compiled;

static void compile_cond(compiled *c, const rorm_dialect *d, const cond *x)
{
    if (x->is_group) {
        if (x->children.len == 0) {
            /* An empty AND group is true; an empty OR group is false (as in Prisma). */
            rorm__str_puts(&c->text, x->join == GROUP_AND ? "1=1" : "1=0");
            return;
        }
        for (size_t i = 0; i < x->children.len; i++) {
            if (i) {
                rorm__str_puts(&c->text, x->join == GROUP_AND ? " AND " : " OR ");
            }
            const cond *child = x->children.ptr[i];
            bool paren = child->is_group && child->children.len > 1;
            if (paren) {
                rorm__str_putc(&c->text, '(');
            }
            compile_cond(c, d, child);
            if (paren) {
                rorm__str_putc(&c->text, ')');
            }
        }
        return;
    }
    cond_op op = op_table[x->op].op;
    if (op == OP_IN || op == OP_NOT_IN) {
        /* The Prisma engine's rendering: a long list goes as one parameter (sql.c). */
        size_t n = x->value.u.arr.len;
        cond *mx = (cond *)x;
        if (mx->items == NULL && (mx->items = rorm__calloc(n ? n : 1, sizeof *mx->items)) == NULL) {
            c->oom = true;
            return;
        }
        for (size_t i = 0; i < n; i++) {
            mx->items[i] = &x->value.u.arr.items[i];
        }
        pc_filter f;
        memset(&f, 0, sizeof f);
        f.kind = PF_CMP;
        f.field = x->field;
        f.cmp = op == OP_IN ? PC_IN : PC_NOT_IN;
        f.values = mx->items;
        f.nvalues = n;
        rorm__pc_sql_filter(c, NULL, &f);
        return;
    }
    d->quote_ident(&c->text, x->field->column);
    rorm__str_puts(&c->text, op_table[x->op].sql);
    if (op == OP_IS_NULL || op == OP_IS_NOT_NULL) {
        return;
    }
    rorm__pc_sql_param(c, &x->value);
}

static void compile_tail(compiled *c, const rorm_query *q, bool with_order)
{
    const rorm_dialect *d = q->db->dialect;
    if (q->root.children.len) {
        rorm__str_puts(&c->text, " WHERE ");
        compile_cond(c, d, &q->root);
    }
    if (with_order) {
        for (size_t i = 0; i < q->orders.len; i++) {
            rorm__str_puts(&c->text, i ? ", " : " ORDER BY ");
            d->quote_ident(&c->text, q->orders.ptr[i].field->column);
            rorm__str_puts(&c->text, q->orders.ptr[i].order == RORM_DESC ? " DESC" : " ASC");
        }
    }
    if (q->limit >= 0 || q->offset > 0) {
        d->limit_offset(&c->text, q->limit, q->offset);
    }
}

static int check_runnable(rorm_query *q, rorm_error *err)
{
    if (q == NULL) {
        return rorm__error(err, RORM_EINVAL, "query is NULL");
    }
    if (q->error.code != RORM_OK) {
        if (err) {
            *err = q->error;
        }
        return q->error.code;
    }
    if (q->stack.len) {
        return rorm__error(err, RORM_EINVAL,
                           "%zu condition group(s) left open: call rorm_query_group_end()",
                           q->stack.len);
    }
    return RORM_OK;
}

static int run(rorm_rows **out, rorm_query *q, int64_t limit_override, rorm_error *err)
{
    const rorm_dialect *d = q->db->dialect;
    const rorm_model *m = q->model;
    rorm_field *stack_fields[32];
    rorm_field **fields = stack_fields;
    size_t nfields = 0;
    if (q->select.len) {
        fields = q->select.ptr;
        nfields = q->select.len;
    } else {
        if (m->fields.len > 32) {
            fields = rorm__calloc(m->fields.len, sizeof *fields);
            if (fields == NULL) {
                return rorm__error_oom(err);
            }
        }
        for (size_t i = 0; i < m->fields.len; i++) {
            rorm_field *f = m->fields.ptr[i];
            if (rorm__field_is_column(f) && !(f->flags & RORM_IGNORED) &&
                f->type != RORM_FIELD_UNSUPPORTED) {
                fields[nfields++] = f;
            }
        }
    }
    compiled c;
    rorm__pc_sql_init(&c, d);
    rorm__str_puts(&c.text, "SELECT ");
    rorm__dialect_column_list(&c.text, d, fields, nfields);
    rorm__str_puts(&c.text, " FROM ");
    rorm__dialect_table(&c.text, d, m);
    int64_t saved = q->limit;
    if (limit_override >= 0 && (q->limit < 0 || q->limit > limit_override)) {
        q->limit = limit_override;
    }
    compile_tail(&c, q, true);
    q->limit = saved;
    int rc = rorm__str_oom(&c.text) || c.oom ? rorm__error_oom(err) : RORM_OK;
    rorm_rows *rows = NULL;
    if (rc == RORM_OK) {
        rc = rorm__rows_new(&rows, nfields, err);
    }
    if (rc == RORM_OK) {
        for (size_t i = 0; i < nfields; i++) {
            rows->names[i] = fields[i]->name;
        }
        rorm_conn *conn;
        rc = rorm__db_acquire(&conn, q->db, err);
        if (rc == RORM_OK) {
            rc = rorm__run_select(rows, conn, c.text.ptr, c.text.len, c.params.ptr, c.params.len,
                                  fields, nfields, SIZE_MAX, err);
            rorm__db_release(q->db, conn);
        }
    }
    rorm__pc_sql_dispose(&c);
    if (fields != stack_fields && fields != q->select.ptr) {
        rorm__free(fields);
    }
    if (rc != RORM_OK) {
        rorm_rows_free(rows);
        return rc;
    }
    *out = rows;
    return RORM_OK;
}

int rorm_query_execute(rorm_rows **out, rorm_query *q, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    int rc = check_runnable(q, err);
    if (rc != RORM_OK) {
        return rc;
    }
    return run(out, q, -1, err);
}

int rorm_query_first(rorm_value *record_out, rorm_query *q, rorm_error *err)
{
    RORM_CHECK_ARG(record_out != NULL, err);
    rorm_value_init(record_out);
    int rc = check_runnable(q, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_rows *rows;
    rc = run(&rows, q, 1, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (rows->nrows == 0) {
        rc = rorm__error(err, RORM_ENOTFOUND, "no %s record matches the query", q->model->name);
    } else {
        rc = rorm__rows_take_record(record_out, rows, 0, err);
    }
    rorm_rows_free(rows);
    return rc;
}

int rorm_query_count(int64_t *count_out, rorm_query *q, rorm_error *err)
{
    RORM_CHECK_ARG(count_out != NULL, err);
    *count_out = 0;
    int rc = check_runnable(q, err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_dialect *d = q->db->dialect;
    compiled c;
    rorm__pc_sql_init(&c, d);
    bool windowed = q->limit >= 0 || q->offset > 0;
    /* With a limit or offset the count is over the window, so count a sub-select. */
    rorm__str_puts(&c.text, windowed ? "SELECT COUNT(*) FROM (SELECT 1 AS one FROM "
                                     : "SELECT COUNT(*) FROM ");
    rorm__dialect_table(&c.text, d, q->model);
    compile_tail(&c, q, windowed);
    if (windowed) {
        rorm__str_puts(&c.text, ") AS windowed");
    }
    rc = rorm__str_oom(&c.text) || c.oom ? rorm__error_oom(err) : RORM_OK;
    rorm_conn *conn = NULL;
    if (rc == RORM_OK) {
        rc = rorm__db_acquire(&conn, q->db, err);
    }
    if (rc == RORM_OK) {
        rorm_stmt *stmt;
        const rorm_driver *drv = conn->driver;
        rc = rorm__conn_prepare(&stmt, conn, c.text.ptr, c.text.len, err);
        if (rc == RORM_OK) {
            for (size_t i = 0; rc == RORM_OK && i < c.params.len; i++) {
                rc = drv->bind(stmt, i, c.params.ptr[i], err);
            }
            if (rc == RORM_OK) {
                rc = drv->step(stmt, err);
                if (rc == 1) {
                    rorm_value v;
                    rc = drv->column(stmt, 0, &v, err);
                    if (rc == RORM_OK) {
                        *count_out = rorm_value_as_int(&v, 0);
                    }
                } else if (rc == 0) {
                    rc = rorm__error(err, RORM_EDRIVER, "COUNT(*) returned no row");
                }
            }
            drv->reset(stmt);
        }
        rorm__db_release(q->db, conn);
    }
    rorm__pc_sql_dispose(&c);
    return rc;
}

int rorm_query_delete(int64_t *count_out, rorm_query *q, rorm_error *err)
{
    if (count_out) {
        *count_out = 0;
    }
    int rc = check_runnable(q, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (q->select.len || q->orders.len || q->limit >= 0 || q->offset > 0) {
        return rorm__error(err, RORM_EINVAL,
                           "delete takes only conditions: no select, order, limit or offset");
    }
    if (q->model->is_view) {
        return rorm__error(err, RORM_EINVAL, "model '%s' is a view and cannot be written",
                           q->model->name);
    }
    compiled c;
    rorm__pc_sql_init(&c, q->db->dialect);
    rorm__str_puts(&c.text, "DELETE FROM ");
    rorm__dialect_table(&c.text, q->db->dialect, q->model);
    compile_tail(&c, q, false);
    rc = rorm__str_oom(&c.text) || c.oom ? rorm__error_oom(err) : RORM_OK;
    if (rc == RORM_OK) {
        rc = rorm__run_write(q->db, c.text.ptr, c.text.len, c.params.ptr, c.params.len, count_out,
                             NULL, err);
    }
    rorm__pc_sql_dispose(&c);
    return rc;
}
