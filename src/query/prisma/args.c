/*
 * Prisma Client arguments -> the validated query (pc_query). Every key of the argument tree is
 * checked against the operation and the schema; unknown names get a "did you mean" suggestion,
 * values are converted for their field with Prisma-like messages ("Argument `age`: expected
 * Int, got String"), and relation features that come with the relations work are refused with
 * RORM_EUNSUPPORTED rather than ignored.
 */
#include "query/prisma/pc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

void rorm__pc_fmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

/* ---- arena ------------------------------------------------------------------------------- */

struct pc_block {
    pc_block *next;
    size_t used, size;
    max_align_t data[];
};

#define PC_BLOCK_SIZE 4096

void rorm__pc_arena_init(pc_arena *a)
{
    a->head = NULL;
    a->values.ptr = NULL;
    a->values.len = a->values.cap = 0;
    a->first = NULL;
    a->first_used = a->first_size = 0;
}

void rorm__pc_arena_use(pc_arena *a, void *mem, size_t size)
{
    a->first = mem;
    a->first_used = 0;
    a->first_size = size;
}

void rorm__pc_arena_dispose(pc_arena *a)
{
    for (pc_block *b = a->head; b;) {
        pc_block *next = b->next;
        rorm__free(b);
        b = next;
    }
    a->head = NULL;
    for (size_t i = 0; i < a->values.len; i++) {
        rorm_value_dispose(&a->values.ptr[i]);
    }
    rorm_vec_free(&a->values);
}

void *rorm__pc_alloc(pc_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    if (n > SIZE_MAX - align) {
        return NULL;
    }
    n = (n + align - 1) / align * align;
    if (n == 0) {
        n = align;
    }
    if (a->first && a->first_size - a->first_used >= n) {
        void *p = a->first + a->first_used;
        a->first_used += n;
        memset(p, 0, n);
        return p;
    }
    pc_block *b = a->head;
    if (b == NULL || b->size - b->used < n) {
        size_t size = n > PC_BLOCK_SIZE ? n : PC_BLOCK_SIZE;
        b = rorm__malloc(sizeof *b + size);
        if (b == NULL) {
            return NULL;
        }
        b->size = size;
        b->used = 0;
        /* A block made for one large request goes second, so the current block stays usable. */
        if (n > PC_BLOCK_SIZE && a->head) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

/*
 * A kept value has two copies of the same header: the owning one in the values vector (which
 * may move when it grows), and a borrowed view in arena memory whose address stays put.
 */
const rorm_value *rorm__pc_keep(pc_arena *a, rorm_value *v)
{
    rorm_value *cell = rorm__pc_alloc(a, sizeof *cell);
    if (cell == NULL || rorm_vec_push(&a->values, *v) != 0) {
        rorm_value_dispose(v);
        return NULL;
    }
    *cell = *v;
    cell->flags |= RORM_VALUE_BORROWED;
    rorm_value_init(v);
    return cell;
}

/* ---- names ------------------------------------------------------------------------------- */

static const char *const op_names[PC_NOPS] = {
    "create",
    "createMany",
    "createManyAndReturn",
    "findUnique",
    "findUniqueOrThrow",
    "findFirst",
    "findFirstOrThrow",
    "findMany",
    "update",
    "updateMany",
    "upsert",
    "delete",
    "deleteMany",
    "count",
    "aggregate",
    "groupBy",
    "updateManyAndReturn",
};

const char *rorm__pc_op_name(pc_op op)
{
    return op < PC_NOPS ? op_names[op] : "?";
}

/* The candidate closest to @p name, or NULL when none is close (same rule as rorm__suggest). */
static const char *suggest(const char *name, const char *const *cands, size_t n)
{
    size_t len = strlen(name);
    size_t max = len / 3 > 2 ? len / 3 : 2;
    const char *best = NULL;
    size_t best_d = max + 1;
    for (size_t i = 0; i < n; i++) {
        if (cands[i] == NULL) {
            continue;
        }
        size_t d = rorm__edit_distance(name, cands[i], max);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}

/* The Prisma name of a value's type, for messages. */
static const char *value_type_name(const rorm_value *v)
{
    switch (v->type) {
    case RORM_TYPE_NULL:
        return "null";
    case RORM_TYPE_BOOL:
        return "Boolean";
    case RORM_TYPE_INT:
        return "Int";
    case RORM_TYPE_DOUBLE:
        return "Float";
    case RORM_TYPE_TEXT:
        return "String";
    case RORM_TYPE_BYTES:
        return "Bytes";
    case RORM_TYPE_DATETIME:
        return "DateTime";
    case RORM_TYPE_DECIMAL:
        return "Decimal";
    case RORM_TYPE_JSON:
        return "Json";
    case RORM_TYPE_ARRAY:
        return "List";
    case RORM_TYPE_OBJECT:
        return "Object";
    default:
        return "unknown";
    }
}

static const char *field_type_name(const rorm_field *f)
{
    if (f->type == RORM_FIELD_ENUM && f->enumeration) {
        return f->enumeration->name;
    }
    return rorm_field_type_name(f->type);
}

static int unknown_field(pc_ctx *ctx, const rorm_model *m, const char *name, const char *where)
{
    const char *near = rorm__suggest(&m->field_map, name);
    if (near) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Unknown argument `%s` in %s for model `%s` (did you mean `%s`?)", name,
                           where, m->name, near);
    }
    return rorm__error(ctx->err, RORM_EINVAL, "Unknown argument `%s` in %s for model `%s`", name,
                       where, m->name);
}

static int
unknown_key(pc_ctx *ctx, const char *name, const char *where, const char *const *cands, size_t n)
{
    const char *near = suggest(name, cands, n);
    if (near) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Unknown argument `%s` in %s (did you mean `%s`?)", name, where, near);
    }
    return rorm__error(ctx->err, RORM_EINVAL, "Unknown argument `%s` in %s", name, where);
}

static int oom(pc_ctx *ctx)
{
    return rorm__error_oom(ctx->err);
}

static bool is_obj(const rorm_value *v)
{
    return v && v->type == RORM_TYPE_OBJECT;
}

/* A field the query can read or filter on: a column that is neither ignored nor unsupported. */
static bool readable(const rorm_field *f)
{
    return rorm__field_is_column(f) && !(f->flags & RORM_IGNORED) &&
           f->type != RORM_FIELD_UNSUPPORTED;
}

/* Look up a scalar field by name for @p what; relations are refused as not supported yet. */
static int scalar_field(
    const rorm_field **out, pc_ctx *ctx, const rorm_model *m, const char *name, const char *what)
{
    const rorm_field *f = rorm__map_get(&m->field_map, name, strlen(name));
    if (f == NULL) {
        return unknown_field(ctx, m, name, what);
    }
    if (f->type == RORM_FIELD_RELATION) {
        return rorm__error(ctx->err, RORM_EUNSUPPORTED,
                           "relation field `%s.%s` in %s is not supported yet", m->name, name,
                           what);
    }
    if (!readable(f)) {
        return rorm__error(ctx->err, RORM_EINVAL, "field `%s.%s` cannot be used in %s", m->name,
                           name, what);
    }
    *out = f;
    return RORM_OK;
}

/* ---- values ------------------------------------------------------------------------------ */

static bool integral_double(double d)
{
    return isfinite(d) && floor(d) == d && fabs(d) <= 9007199254740992.0;
}

/* Whether @p v has a type a field of type @p f accepts (before conversion). */
static bool type_accepts(const rorm_field *f, const rorm_value *v)
{
    unsigned t = v->type;
    switch (f->type) {
    case RORM_FIELD_STRING:
    case RORM_FIELD_ENUM:
        return t == RORM_TYPE_TEXT;
    case RORM_FIELD_INT:
    case RORM_FIELD_BIGINT:
        return t == RORM_TYPE_INT || (t == RORM_TYPE_DOUBLE && integral_double(v->u.d));
    case RORM_FIELD_FLOAT:
        return t == RORM_TYPE_INT || t == RORM_TYPE_DOUBLE;
    case RORM_FIELD_DECIMAL:
        return t == RORM_TYPE_DECIMAL || t == RORM_TYPE_TEXT || t == RORM_TYPE_INT ||
               t == RORM_TYPE_DOUBLE;
    case RORM_FIELD_BOOL:
        return t == RORM_TYPE_BOOL;
    case RORM_FIELD_DATETIME:
        return t == RORM_TYPE_DATETIME || t == RORM_TYPE_TEXT;
    case RORM_FIELD_JSON:
        return true;
    case RORM_FIELD_BYTES:
        return t == RORM_TYPE_BYTES;
    default:
        return false;
    }
}

/* ---- Prisma's null values for Json fields ----------------------------------------------- */

/*
 * Prisma.JsonNull (the JSON value null), Prisma.DbNull (database NULL) and Prisma.AnyNull
 * (either, in filters only). In an argument tree JsonNull is the JSON text "null" and DbNull a
 * plain null, which need no marker; these markers name all three (docs/prisma-client.md):
 * JSON text "JsonNull", "DbNull" or "AnyNull" (not JSON, so no JSON value is taken for one;
 * RORM_PRISMA_ANY_NULL is the last), and Prisma's JSON protocol object
 * {"$type": "Enum", "value": "DbNull"} (the spelling of JSON text arguments).
 */
typedef enum json_null {
    JN_NONE,
    JN_JSON,
    JN_DB,
    JN_ANY,
} json_null;

static const char *const json_null_names[] = { "", "JsonNull", "DbNull", "AnyNull" };

static const rorm_value json_null_value = { .type = RORM_TYPE_JSON,
                                            .flags = RORM_VALUE_BORROWED,
                                            .u.s = { "null", 4 } };
static const rorm_value db_null_value = { .type = RORM_TYPE_NULL };

static json_null json_null_named(const char *s, size_t len)
{
    for (int k = JN_JSON; k <= JN_ANY; k++) {
        if (len == strlen(json_null_names[k]) && memcmp(s, json_null_names[k], len) == 0) {
            return (json_null)k;
        }
    }
    return JN_NONE;
}

/* Which of the three @p v is a marker of (JN_NONE for every other value). */
static json_null json_null_of(const rorm_value *v)
{
    if (v->type == RORM_TYPE_JSON) {
        return v->u.s.len <= 8 ? json_null_named(v->u.s.ptr, v->u.s.len) : JN_NONE;
    }
    if (v->type != RORM_TYPE_OBJECT || v->u.obj.len != 2) {
        return JN_NONE;
    }
    const rorm_member *t = &v->u.obj.items[0], *val = &v->u.obj.items[1];
    if (strcmp(t->key, "$type") != 0) {
        const rorm_member *swap = t;
        t = val;
        val = swap;
    }
    if (strcmp(t->key, "$type") != 0 || strcmp(val->key, "value") != 0 ||
        t->value.type != RORM_TYPE_TEXT || val->value.type != RORM_TYPE_TEXT ||
        strcmp(t->value.u.s.ptr, "Enum") != 0) {
        return JN_NONE;
    }
    return json_null_named(val->value.u.s.ptr, val->value.u.s.len);
}

/*
 * The value a marker stands for in data (JSON null or NULL), checked for field @p f: the
 * markers are only for Json fields, AnyNull only in filters, DbNull only for optional fields.
 */
static int json_null_data(
    const rorm_value **out, pc_ctx *ctx, const rorm_field *f, json_null jn, const char *arg)
{
    if (f->type != RORM_FIELD_JSON || (f->flags & RORM_LIST)) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s`: Prisma.%s is only valid for Json fields (`%s` is %s)",
                           arg, json_null_names[jn], f->name, field_type_name(f));
    }
    if (jn == JN_ANY) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s`: Prisma.AnyNull is only valid in filters (equals, not)",
                           arg);
    }
    if (jn == JN_DB && !(f->flags & RORM_NULLABLE)) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s` must not be null (Prisma.DbNull is not valid for a "
                           "required Json field; Prisma.JsonNull is the JSON value null)",
                           arg);
    }
    *out = jn == JN_DB ? &db_null_value : &json_null_value;
    return RORM_OK;
}

int rorm__pc_convert(
    const rorm_value **out, pc_ctx *ctx, const rorm_field *f, const rorm_value *v, const char *arg)
{
    json_null jn = json_null_of(v);
    if (jn != JN_NONE) {
        return json_null_data(out, ctx, f, jn, arg);
    }
    if (v->type == RORM_TYPE_NULL) {
        if (!(f->flags & RORM_NULLABLE)) {
            if (f->type == RORM_FIELD_JSON && !(f->flags & RORM_LIST)) {
                return rorm__error(ctx->err, RORM_EINVAL,
                                   "Argument `%s` must not be null (Prisma.DbNull is not valid "
                                   "for a required Json field; Prisma.JsonNull is the JSON value "
                                   "null)",
                                   arg);
            }
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s` must not be null", arg);
        }
        *out = v;
        return RORM_OK;
    }
    if (v->type == RORM_TYPE_JSON && f->type != RORM_FIELD_JSON && v->u.s.len == 4 &&
        memcmp(v->u.s.ptr, "null", 4) == 0) {
        return json_null_data(out, ctx, f, JN_JSON, arg);
    }
    bool list = (f->flags & RORM_LIST) != 0;
    if (list) {
        if (v->type != RORM_TYPE_ARRAY) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected %s[], got %s", arg,
                               field_type_name(f), value_type_name(v));
        }
        for (size_t i = 0; i < v->u.arr.len; i++) {
            if (!type_accepts(f, &v->u.arr.items[i])) {
                return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected %s[], got %s[]",
                                   arg, field_type_name(f), value_type_name(&v->u.arr.items[i]));
            }
        }
    } else if (!type_accepts(f, v)) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected %s, got %s", arg,
                           field_type_name(f), value_type_name(v));
    }
    rorm_error e = { 0 };
    rorm_value tmp;
    const rorm_value *conv;
    if (rorm__coerce(&conv, &tmp, f, v, &e) != RORM_OK) {
        if (e.code == RORM_ENOMEM) {
            return oom(ctx);
        }
        return rorm__error(ctx->err, e.code, "Argument `%s`: %s", arg, e.message);
    }
    if (conv != &tmp) {
        *out = conv;
        return RORM_OK;
    }
    *out = rorm__pc_keep(&ctx->arena, &tmp);
    return *out ? RORM_OK : oom(ctx);
}

/* An integer argument (take, skip): an int, or a double holding one. */
static int int_arg(int64_t *out, pc_ctx *ctx, const rorm_value *v, const char *name)
{
    if (v->type == RORM_TYPE_INT) {
        *out = v->u.i;
        return RORM_OK;
    }
    if (v->type == RORM_TYPE_DOUBLE && integral_double(v->u.d)) {
        *out = (int64_t)v->u.d;
        return RORM_OK;
    }
    return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected Int, got %s", name,
                       value_type_name(v));
}

static int bool_arg(bool *out, pc_ctx *ctx, const rorm_value *v, const char *name)
{
    if (v->type != RORM_TYPE_BOOL) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected Boolean, got %s", name,
                           value_type_name(v));
    }
    *out = v->u.b;
    return RORM_OK;
}

/* ---- filters ----------------------------------------------------------------------------- */

pc_filter *rorm__pc_filter_new(pc_ctx *ctx, pc_fkind kind, size_t nkids)
{
    pc_filter *f = rorm__pc_alloc(&ctx->arena, sizeof *f);
    if (f == NULL) {
        return NULL;
    }
    f->kind = kind;
    if (nkids) {
        f->kids = rorm__pc_alloc(&ctx->arena, nkids * sizeof *f->kids);
        if (f->kids == NULL) {
            return NULL;
        }
    }
    return f;
}

pc_filter *rorm__pc_cmp_new(pc_ctx *ctx, const rorm_field *fld, pc_cmp cmp, const rorm_value *v)
{
    pc_filter *f = rorm__pc_filter_new(ctx, PF_CMP, 0);
    if (f) {
        f->field = fld;
        f->cmp = cmp;
        f->value = v;
    }
    return f;
}

static const char *const filter_ops[] = {
    "equals",     "not",      "in",   "notIn",  "lt",   "lte",  "gt",   "gte",  "contains",
    "startsWith", "endsWith", "mode", "_count", "_avg", "_sum", "_min", "_max",
};
#define N_PLAIN_OPS 12 /* the first 12; the aggregates only in `having` */

static bool is_string_field(const rorm_field *f)
{
    return f->type == RORM_FIELD_STRING;
}

/* The field a comparison operand converts to: the field itself, or the aggregate's result. */
static const rorm_field *operand_field(rorm_field *tmp, const rorm_field *f, pc_aggfn agg)
{
    if (agg == PC_AGG_NONE) {
        return f;
    }
    *tmp = *f;
    tmp->flags &= ~(unsigned)(RORM_LIST | RORM_UPDATED_AT);
    tmp->flags |= RORM_NULLABLE;
    if (agg == PC_AGG_COUNT) {
        tmp->type = RORM_FIELD_BIGINT;
    } else if (agg == PC_AGG_AVG) {
        tmp->type = RORM_FIELD_FLOAT;
    }
    return tmp;
}

typedef rorm_vec(pc_filter *) filter_vec;
typedef rorm_vec(pc_order) order_vec;
typedef rorm_vec(pc_agg) agg_vec;

static int add_kid(pc_ctx *ctx, filter_vec *kids, pc_filter *f)
{
    if (f == NULL) {
        return oom(ctx);
    }
    return rorm_vec_push(kids, f) == 0 ? RORM_OK : oom(ctx);
}

/* Move a vector of filters into an AND/OR/NOT node (arena memory). */
static pc_filter *group_of(pc_ctx *ctx, pc_fkind kind, pc_filter **kids, size_t n)
{
    pc_filter *g = rorm__pc_filter_new(ctx, kind, n);
    if (g) {
        if (n) {
            memcpy(g->kids, kids, n * sizeof *kids);
        }
        g->nkids = n;
    }
    return g;
}

/*
 * `equals` (or the shorthand) / `not` of a Prisma null marker on a Json field: JsonNull compares
 * with the JSON value null (`col = 'null'`, bound), DbNull is IS NULL, AnyNull either. Negated
 * they follow SQL as other comparisons do: `not: JsonNull` leaves out database NULLs, `not:
 * DbNull` keeps JSON nulls, `not: AnyNull` keeps rows that hold a JSON value other than null.
 */
static int json_null_filter(
    pc_filter **out, pc_ctx *ctx, const rorm_field *f, json_null jn, bool negate, pc_aggfn agg)
{
    if (f->type != RORM_FIELD_JSON || (f->flags & RORM_LIST) || agg != PC_AGG_NONE) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s`: Prisma.%s is only valid for Json fields (`%s` is %s)",
                           f->name, json_null_names[jn], f->name, field_type_name(f));
    }
    pc_filter *is_null = rorm__pc_cmp_new(ctx, f, negate ? PC_NOT_NULL : PC_IS_NULL, NULL);
    pc_filter *json = rorm__pc_cmp_new(ctx, f, negate ? PC_NE : PC_EQ, &json_null_value);
    if (is_null == NULL || json == NULL) {
        return oom(ctx);
    }
    if (jn != JN_ANY) {
        *out = jn == JN_DB ? is_null : json;
        return RORM_OK;
    }
    pc_filter *both = rorm__pc_filter_new(ctx, negate ? PF_AND : PF_OR, 2);
    if (both == NULL) {
        return oom(ctx);
    }
    both->kids[0] = is_null;
    both->kids[1] = json;
    both->nkids = 2;
    *out = both;
    return RORM_OK;
}

/*
 * A filter on a scalar list: a list (shorthand for equals) or an object of `equals`, `has`,
 * `hasEvery`, `hasSome` and `isEmpty`, ANDed.
 */
static int parse_list_filter(pc_filter **out, pc_ctx *ctx, const rorm_field *f, const rorm_value *v)
{
    static const char *const ops[] = { "equals", "has", "hasEvery", "hasSome", "isEmpty" };
    static const pc_cmp cmps[] = { PC_LIST_EQ, PC_HAS, PC_HAS_EVERY, PC_HAS_SOME, PC_IS_EMPTY };
    rorm_value shorthand;
    rorm_member eq = { "equals", { 0 } };
    if (v->type == RORM_TYPE_ARRAY) {
        eq.value = *v;
        eq.value.flags |= RORM_VALUE_BORROWED;
        shorthand = RORM_OBJECT_N(&eq, 1);
        v = &shorthand;
    }
    if (!is_obj(v) || v->u.obj.len == 0) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s`: expected a list or an object of equals, has, hasEvery, "
                           "hasSome, isEmpty, got %s",
                           f->name, value_type_name(v));
    }
    filter_vec kids = { 0 };
    int rc = RORM_OK;
    for (size_t i = 0; rc == RORM_OK && i < v->u.obj.len; i++) {
        const rorm_member *mem = &v->u.obj.items[i];
        size_t k = 0;
        while (k < 5 && strcmp(ops[k], mem->key) != 0) {
            k++;
        }
        if (k == 5) {
            rc = unknown_key(ctx, mem->key, f->name, ops, 5);
            break;
        }
        const rorm_value *conv = NULL;
        pc_cmp cmp = cmps[k];
        if (mem->value.type == RORM_TYPE_NULL) {
            rc = rorm__error(ctx->err, RORM_EINVAL, "Argument `%s` of `%s` must not be null",
                             mem->key, f->name);
        } else if (cmp == PC_IS_EMPTY) {
            if (mem->value.type != RORM_TYPE_BOOL) {
                rc = rorm__error(ctx->err, RORM_EINVAL,
                                 "Argument `isEmpty` of `%s`: expected Boolean, got %s", f->name,
                                 value_type_name(&mem->value));
            } else if (!mem->value.u.b) {
                cmp = PC_NOT_EMPTY;
            }
        } else if (cmp == PC_HAS) {
            rorm_field element = *f;
            element.flags &= ~(unsigned)RORM_LIST;
            rc = rorm__pc_convert(&conv, ctx, &element, &mem->value, f->name);
        } else {
            rc = rorm__pc_convert(&conv, ctx, f, &mem->value, f->name);
        }
        pc_filter *kid = NULL;
        if (rc == RORM_OK) {
            kid = rorm__pc_cmp_new(ctx, f, cmp, conv);
            rc = kid ? add_kid(ctx, &kids, kid) : oom(ctx);
        }
    }
    if (rc == RORM_OK) {
        *out = kids.len == 1 ? kids.ptr[0] : group_of(ctx, PF_AND, kids.ptr, kids.len);
        rc = *out ? RORM_OK : oom(ctx);
    }
    rorm_vec_free(&kids);
    return rc;
}

static int parse_field_filter(pc_filter **out,
                              pc_ctx *ctx,
                              const rorm_field *f,
                              const rorm_value *v,
                              pc_aggfn agg,
                              bool having);

static void set_insensitive(pc_filter *f)
{
    if (f->kind == PF_CMP) {
        f->insensitive = f->agg == PC_AGG_NONE;
    }
    for (size_t i = 0; i < f->nkids; i++) {
        set_insensitive(f->kids[i]);
    }
}

/* One operator of a field filter object. */
static int parse_op(pc_filter **out,
                    pc_ctx *ctx,
                    const rorm_field *f,
                    const char *op,
                    const rorm_value *v,
                    pc_aggfn agg,
                    bool insensitive,
                    bool having)
{
    rorm_field tmpf;
    const rorm_field *of = operand_field(&tmpf, f, agg);
    const rorm_value *conv;
    int rc;
    pc_cmp cmp;
    json_null jn = json_null_of(v);
    if (jn != JN_NONE && (strcmp(op, "equals") == 0 || strcmp(op, "not") == 0)) {
        return json_null_filter(out, ctx, f, jn, op[0] == 'n', agg);
    }
    if (strcmp(op, "equals") == 0) {
        if (v->type == RORM_TYPE_NULL) {
            *out = rorm__pc_cmp_new(ctx, f, PC_IS_NULL, NULL);
            goto done;
        }
        cmp = PC_EQ;
    } else if (strcmp(op, "not") == 0) {
        if (v->type == RORM_TYPE_NULL) {
            *out = rorm__pc_cmp_new(ctx, f, PC_NOT_NULL, NULL);
            goto done;
        }
        if (is_obj(v)) {
            pc_filter *inner;
            rc = parse_field_filter(&inner, ctx, f, v, agg, having);
            if (rc != RORM_OK) {
                return rc;
            }
            /* A `mode` outside the nested filter applies inside it too. */
            if (insensitive) {
                set_insensitive(inner);
            }
            *out = group_of(ctx, PF_NOT, &inner, 1);
            goto done;
        }
        cmp = PC_NE;
    } else if (strcmp(op, "in") == 0 || strcmp(op, "notIn") == 0) {
        cmp = op[0] == 'i' ? PC_IN : PC_NOT_IN;
        if (v->type != RORM_TYPE_ARRAY) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `%s` of `%s`: expected a list, got %s", op, f->name,
                               value_type_name(v));
        }
        pc_filter *c = rorm__pc_cmp_new(ctx, f, cmp, NULL);
        if (c == NULL) {
            return oom(ctx);
        }
        c->agg = agg;
        c->insensitive = insensitive;
        c->nvalues = v->u.arr.len;
        c->values = rorm__pc_alloc(&ctx->arena, (c->nvalues ? c->nvalues : 1) * sizeof *c->values);
        if (c->values == NULL) {
            return oom(ctx);
        }
        for (size_t i = 0; i < c->nvalues; i++) {
            const rorm_value *item = &v->u.arr.items[i];
            if (item->type == RORM_TYPE_NULL) {
                return rorm__error(ctx->err, RORM_EINVAL,
                                   "Argument `%s` of `%s`: null is not a valid list item", op,
                                   f->name);
            }
            rc = rorm__pc_convert(&c->values[i], ctx, of, item, f->name);
            if (rc != RORM_OK) {
                return rc;
            }
        }
        *out = c;
        return RORM_OK;
    } else if (strcmp(op, "lt") == 0) {
        cmp = PC_LT;
    } else if (strcmp(op, "lte") == 0) {
        cmp = PC_LE;
    } else if (strcmp(op, "gt") == 0) {
        cmp = PC_GT;
    } else if (strcmp(op, "gte") == 0) {
        cmp = PC_GE;
    } else if (strcmp(op, "contains") == 0 || strcmp(op, "startsWith") == 0 ||
               strcmp(op, "endsWith") == 0) {
        cmp = op[0] == 'c' ? PC_CONTAINS : op[0] == 's' ? PC_STARTS_WITH : PC_ENDS_WITH;
        if (!is_string_field(f) || agg != PC_AGG_NONE) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `%s` is only valid for String fields (field `%s` is %s)",
                               op, f->name, field_type_name(f));
        }
        if (v->type != RORM_TYPE_TEXT) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected String, got %s", op,
                               value_type_name(v));
        }
    } else {
        return unknown_key(ctx, op, "a field filter", filter_ops, having ? 17 : N_PLAIN_OPS);
    }
    if (v->type == RORM_TYPE_NULL) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s` of `%s` must not be null", op,
                           f->name);
    }
    if (cmp == PC_CONTAINS || cmp == PC_STARTS_WITH || cmp == PC_ENDS_WITH) {
        conv = v;
    } else {
        rc = rorm__pc_convert(&conv, ctx, of, v, f->name);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    *out = rorm__pc_cmp_new(ctx, f, cmp, conv);
    if (*out) {
        (*out)->insensitive = insensitive;
    }
done:
    if (*out == NULL) {
        return oom(ctx);
    }
    if ((*out)->kind == PF_CMP) {
        (*out)->agg = agg;
    }
    return RORM_OK;
}

static pc_aggfn agg_named(const char *k)
{
    if (strcmp(k, "_count") == 0) {
        return PC_AGG_COUNT;
    }
    if (strcmp(k, "_sum") == 0) {
        return PC_AGG_SUM;
    }
    if (strcmp(k, "_avg") == 0) {
        return PC_AGG_AVG;
    }
    if (strcmp(k, "_min") == 0) {
        return PC_AGG_MIN;
    }
    if (strcmp(k, "_max") == 0) {
        return PC_AGG_MAX;
    }
    return PC_AGG_NONE;
}

static int parse_field_filter(pc_filter **out,
                              pc_ctx *ctx,
                              const rorm_field *f,
                              const rorm_value *v,
                              pc_aggfn agg,
                              bool having)
{
    if (f->flags & RORM_LIST) {
        return parse_list_filter(out, ctx, f, v);
    }
    json_null jn = json_null_of(v);
    if (jn != JN_NONE) {
        return json_null_filter(out, ctx, f, jn, false, agg);
    }
    if (v->type == RORM_TYPE_NULL) {
        *out = rorm__pc_cmp_new(ctx, f, PC_IS_NULL, NULL);
        if (*out) {
            (*out)->agg = agg;
        }
        return *out ? RORM_OK : oom(ctx);
    }
    if (!is_obj(v)) {
        const rorm_value *conv;
        rorm_field tmpf;
        int rc = rorm__pc_convert(&conv, ctx, operand_field(&tmpf, f, agg), v, f->name);
        if (rc != RORM_OK) {
            return rc;
        }
        *out = rorm__pc_cmp_new(ctx, f, PC_EQ, conv);
        if (*out) {
            (*out)->agg = agg;
        }
        return *out ? RORM_OK : oom(ctx);
    }
    /* A filter object: its operators are ANDed; `mode` applies to all of them. */
    bool insensitive = false;
    const rorm_value *mode = rorm_value_object_get(v, "mode");
    if (mode) {
        const char *s = rorm_value_as_text(mode);
        if (mode->type != RORM_TYPE_TEXT ||
            (strcmp(s, "insensitive") != 0 && strcmp(s, "default") != 0)) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `mode` of `%s`: expected \"default\" or \"insensitive\"",
                               f->name);
        }
        insensitive = strcmp(s, "insensitive") == 0;
        if (insensitive && !is_string_field(f)) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `mode` is only valid for String fields (field `%s` is %s)",
                               f->name, field_type_name(f));
        }
    }
    filter_vec kids = { 0 };
    int rc = RORM_OK;
    for (size_t i = 0; rc == RORM_OK && i < v->u.obj.len; i++) {
        const rorm_member *mem = &v->u.obj.items[i];
        if (strcmp(mem->key, "mode") == 0) {
            continue;
        }
        pc_filter *k = NULL;
        pc_aggfn a = having && agg == PC_AGG_NONE ? agg_named(mem->key) : PC_AGG_NONE;
        if (a != PC_AGG_NONE) {
            if ((a == PC_AGG_SUM || a == PC_AGG_AVG) &&
                !(f->type == RORM_FIELD_INT || f->type == RORM_FIELD_BIGINT ||
                  f->type == RORM_FIELD_FLOAT || f->type == RORM_FIELD_DECIMAL)) {
                rc = rorm__error(ctx->err, RORM_EINVAL, "`%s` needs a number field, `%s` is %s",
                                 mem->key, f->name, field_type_name(f));
                break;
            }
            rc = parse_field_filter(&k, ctx, f, &mem->value, a, having);
        } else {
            rc = parse_op(&k, ctx, f, mem->key, &mem->value, agg, insensitive, having);
        }
        if (rc == RORM_OK) {
            rc = add_kid(ctx, &kids, k);
        }
    }
    if (rc == RORM_OK) {
        *out = kids.len == 1 ? kids.ptr[0] : group_of(ctx, PF_AND, kids.ptr, kids.len);
        rc = *out ? RORM_OK : oom(ctx);
    }
    rorm_vec_free(&kids);
    return rc;
}

static int parse_where(pc_filter **out,
                       pc_ctx *ctx,
                       const rorm_model *m,
                       const rorm_value *w,
                       const char *what,
                       bool having);

/* AND / OR / NOT: an object or an array of objects. */
static int parse_logic(pc_filter **out,
                       pc_ctx *ctx,
                       const rorm_model *m,
                       const char *key,
                       const rorm_value *v,
                       const char *what,
                       bool having)
{
    pc_fkind kind = key[0] == 'A' ? PF_AND : key[0] == 'O' ? PF_OR : PF_NOT;
    size_t n = v->type == RORM_TYPE_ARRAY ? v->u.arr.len : 1;
    if (v->type != RORM_TYPE_ARRAY && !is_obj(v)) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s` in %s: expected an object or a list, got %s", key, what,
                           value_type_name(v));
    }
    pc_filter *g = rorm__pc_filter_new(ctx, kind == PF_NOT ? PF_AND : kind, n);
    if (g == NULL) {
        return oom(ctx);
    }
    for (size_t i = 0; i < n; i++) {
        const rorm_value *item = v->type == RORM_TYPE_ARRAY ? &v->u.arr.items[i] : v;
        pc_filter *k;
        int rc = parse_where(&k, ctx, m, item, what, having);
        if (rc != RORM_OK) {
            return rc;
        }
        if (kind == PF_NOT) {
            /* NOT: every condition must be false. */
            k = group_of(ctx, PF_NOT, &k, 1);
            if (k == NULL) {
                return oom(ctx);
            }
        }
        g->kids[g->nkids++] = k;
    }
    *out = g;
    return RORM_OK;
}

/* A PF_REL node for @p rel with quantifier @p quant over @p sub (NULL: no condition). */
static pc_filter *rel_node(pc_ctx *ctx, const rorm_field *rel, pc_quant quant, pc_filter *sub)
{
    pc_filter *f = rorm__pc_filter_new(ctx, PF_REL, 1);
    if (f) {
        f->rel = rel;
        f->quant = quant;
        if (sub) {
            f->kids[f->nkids++] = sub;
        }
    }
    return f;
}

/*
 * A relation filter: `{some|every|none: where}` for lists; `{is|isNot: where | null}`, a plain
 * where (is) or null (is null) for single relations. Several quantifiers are ANDed.
 */
static int parse_rel_filter(
    pc_filter **out, pc_ctx *ctx, const rorm_field *rel, const rorm_value *v, const char *what)
{
    pc_link link;
    int rc = rorm__pc_link(&link, rel, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_model *inner = link.inner;
    bool list = (rel->flags & RORM_LIST) != 0;
    if (!list && v->type == RORM_TYPE_NULL) {
        *out = rel_node(ctx, rel, PC_IS, NULL);
        return *out ? RORM_OK : oom(ctx);
    }
    if (!is_obj(v)) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s` in %s: expected a relation filter object, got %s",
                           rel->name, what, value_type_name(v));
    }
    static const char *const list_ops[] = { "some", "every", "none" };
    static const char *const one_ops[] = { "is", "isNot" };
    bool quantified = v->u.obj.len > 0;
    for (size_t i = 0; i < v->u.obj.len; i++) {
        const char *k = v->u.obj.items[i].key;
        bool known = false;
        for (size_t j = 0; j < (list ? 3u : 2u); j++) {
            known |= strcmp(k, list ? list_ops[j] : one_ops[j]) == 0;
        }
        quantified &= known;
    }
    if (!list && !quantified) {
        /* `author: {name: "x"}` is `author: {is: {name: "x"}}`. */
        pc_filter *sub;
        if ((rc = parse_where(&sub, ctx, inner, v, what, false)) != RORM_OK) {
            return rc;
        }
        *out = rel_node(ctx, rel, PC_IS, sub);
        return *out ? RORM_OK : oom(ctx);
    }
    pc_filter *g = rorm__pc_filter_new(ctx, PF_AND, v->u.obj.len);
    if (g == NULL) {
        return oom(ctx);
    }
    for (size_t i = 0; i < v->u.obj.len; i++) {
        const rorm_member *mem = &v->u.obj.items[i];
        const char *k = mem->key;
        pc_quant quant;
        if (list && strcmp(k, "some") == 0) {
            quant = PC_SOME;
        } else if (list && strcmp(k, "every") == 0) {
            quant = PC_EVERY;
        } else if (list && strcmp(k, "none") == 0) {
            quant = PC_NONE;
        } else if (!list && strcmp(k, "is") == 0) {
            quant = PC_IS;
        } else if (!list && strcmp(k, "isNot") == 0) {
            quant = PC_IS_NOT;
        } else {
            char where[160];
            rorm__pc_fmt(where, sizeof where, "%s.%s", what, rel->name);
            return unknown_key(ctx, k, where, list ? list_ops : one_ops, list ? 3 : 2);
        }
        pc_filter *sub = NULL;
        if (mem->value.type == RORM_TYPE_NULL && !list) {
            sub = NULL;
        } else if ((rc = parse_where(&sub, ctx, inner, &mem->value, what, false)) != RORM_OK) {
            return rc;
        }
        pc_filter *node = rel_node(ctx, rel, quant, sub);
        if (node == NULL) {
            return oom(ctx);
        }
        g->kids[g->nkids++] = node;
    }
    *out = g;
    return RORM_OK;
}

static int parse_where(pc_filter **out,
                       pc_ctx *ctx,
                       const rorm_model *m,
                       const rorm_value *w,
                       const char *what,
                       bool having)
{
    if (!is_obj(w)) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected an object, got %s", what,
                           value_type_name(w));
    }
    pc_filter *g = rorm__pc_filter_new(ctx, PF_AND, w->u.obj.len);
    if (g == NULL) {
        return oom(ctx);
    }
    for (size_t i = 0; i < w->u.obj.len; i++) {
        const rorm_member *mem = &w->u.obj.items[i];
        pc_filter *k;
        int rc;
        if (strcmp(mem->key, "AND") == 0 || strcmp(mem->key, "OR") == 0 ||
            strcmp(mem->key, "NOT") == 0) {
            rc = parse_logic(&k, ctx, m, mem->key, &mem->value, what, having);
        } else {
            const rorm_field *f = NULL;
            const rorm_field *rf = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
            if (rf && rf->type == RORM_FIELD_RELATION && !having) {
                rc = parse_rel_filter(&k, ctx, rf, &mem->value, what);
                if (rc != RORM_OK) {
                    return rc;
                }
                g->kids[g->nkids++] = k;
                continue;
            }
            rc = scalar_field(&f, ctx, m, mem->key, what);
            if (rc == RORM_OK) {
                rc = parse_field_filter(&k, ctx, f, &mem->value, PC_AGG_NONE, having);
            }
        }
        if (rc != RORM_OK) {
            return rc;
        }
        g->kids[g->nkids++] = k;
    }
    *out = g;
    return RORM_OK;
}

/* ---- unique criteria --------------------------------------------------------------------- */

/* The compound unique keys of a model: composite primary key and multi-field unique indexes. */
typedef struct compound {
    char name[256];
    const rorm_field *fields[RORM_MAX_PK_FIELDS];
    size_t n;
} compound;

static size_t compounds_of(compound *out, size_t max, const rorm_model *m)
{
    size_t n = 0;
    if (m->pk.len > 1 && m->pk.len <= RORM_MAX_PK_FIELDS && n < max) {
        compound *c = &out[n++];
        c->name[0] = '\0';
        c->n = m->pk.len;
        for (size_t i = 0; i < m->pk.len; i++) {
            c->fields[i] = m->pk.ptr[i];
            size_t len = strlen(c->name);
            rorm__pc_fmt(c->name + len, sizeof c->name - len, "%s%s", i ? "_" : "",
                         m->pk.ptr[i]->name);
        }
    }
    for (size_t k = 0; k < m->indexes.len && n < max; k++) {
        const rorm_index *ix = m->indexes.ptr[k];
        if (ix->kind != RORM_INDEX_UNIQUE || ix->nfields < 2 || ix->nfields > RORM_MAX_PK_FIELDS) {
            continue;
        }
        compound *c = &out[n++];
        c->name[0] = '\0';
        c->n = ix->nfields;
        for (size_t i = 0; i < ix->nfields; i++) {
            c->fields[i] = ix->fields[i].field;
            if (ix->api_name == NULL) {
                size_t len = strlen(c->name);
                rorm__pc_fmt(c->name + len, sizeof c->name - len, "%s%s", i ? "_" : "",
                             ix->fields[i].field->name);
            }
        }
        if (ix->api_name) {
            rorm__pc_fmt(c->name, sizeof c->name, "%s", ix->api_name);
        }
    }
    return n;
}

static bool field_is_unique(const rorm_model *m, const rorm_field *f)
{
    if (m->pk.len == 1 && m->pk.ptr[0] == f) {
        return true;
    }
    if (f->flags & RORM_UNIQUE) {
        return true;
    }
    for (size_t k = 0; k < m->indexes.len; k++) {
        const rorm_index *ix = m->indexes.ptr[k];
        if (ix->kind == RORM_INDEX_UNIQUE && ix->nfields == 1 && ix->fields[0].field == f) {
            return true;
        }
    }
    return false;
}

#define MAX_COMPOUNDS 16

/* A WhereUniqueInput: a where filter that names at least one unique field or compound key. */
static int parse_where_unique(
    pc_filter **out, pc_ctx *ctx, const rorm_model *m, const rorm_value *w, const char *what)
{
    if (!is_obj(w)) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected an object, got %s", what,
                           w ? value_type_name(w) : "nothing");
    }
    compound comps[MAX_COMPOUNDS];
    size_t ncomps = compounds_of(comps, MAX_COMPOUNDS, m);
    pc_filter *g = rorm__pc_filter_new(ctx, PF_AND, w->u.obj.len + 1);
    if (g == NULL) {
        return oom(ctx);
    }
    bool unique = false;
    rorm_value rest;
    rorm_member *rest_items = rorm__pc_alloc(&ctx->arena, (w->u.obj.len + 1) * sizeof *rest_items);
    if (rest_items == NULL) {
        return oom(ctx);
    }
    size_t nrest = 0;
    for (size_t i = 0; i < w->u.obj.len; i++) {
        const rorm_member *mem = &w->u.obj.items[i];
        const compound *c = NULL;
        for (size_t k = 0; k < ncomps; k++) {
            if (strcmp(comps[k].name, mem->key) == 0) {
                c = &comps[k];
            }
        }
        if (c == NULL) {
            const rorm_field *f = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
            if (f && readable(f) && field_is_unique(m, f) && mem->value.type != RORM_TYPE_NULL &&
                (!is_obj(&mem->value) ||
                 (mem->value.u.obj.len == 1 && rorm_value_object_get(&mem->value, "equals")))) {
                unique = true;
            }
            if (f == NULL && strcmp(mem->key, "AND") != 0 && strcmp(mem->key, "OR") != 0 &&
                strcmp(mem->key, "NOT") != 0) {
                const char *names[MAX_COMPOUNDS + 1];
                for (size_t k = 0; k < ncomps; k++) {
                    names[k] = comps[k].name;
                }
                const char *near = rorm__suggest(&m->field_map, mem->key);
                if (near == NULL) {
                    near = suggest(mem->key, names, ncomps);
                }
                if (near) {
                    return rorm__error(
                        ctx->err, RORM_EINVAL,
                        "Unknown argument `%s` in %s for model `%s` (did you mean `%s`?)", mem->key,
                        what, m->name, near);
                }
                return unknown_field(ctx, m, mem->key, what);
            }
            rest_items[nrest++] = *mem;
            continue;
        }
        /* A compound key: an object with exactly its fields. */
        const rorm_value *v = &mem->value;
        if (!is_obj(v)) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected an object, got %s",
                               c->name, value_type_name(v));
        }
        for (size_t j = 0; j < v->u.obj.len; j++) {
            bool known = false;
            for (size_t k = 0; k < c->n; k++) {
                known |= strcmp(c->fields[k]->name, v->u.obj.items[j].key) == 0;
            }
            if (!known) {
                const char *names[RORM_MAX_PK_FIELDS];
                for (size_t k = 0; k < c->n; k++) {
                    names[k] = c->fields[k]->name;
                }
                return unknown_key(ctx, v->u.obj.items[j].key, c->name, names, c->n);
            }
        }
        pc_filter *and = rorm__pc_filter_new(ctx, PF_AND, c->n);
        if (and == NULL) {
            return oom(ctx);
        }
        for (size_t k = 0; k < c->n; k++) {
            const rorm_value *fv = rorm_value_object_get(v, c->fields[k]->name);
            if (fv == NULL || fv->type == RORM_TYPE_NULL) {
                return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s` of `%s` is missing",
                                   c->fields[k]->name, c->name);
            }
            const rorm_value *conv;
            int rc = rorm__pc_convert(&conv, ctx, c->fields[k], fv, c->fields[k]->name);
            if (rc != RORM_OK) {
                return rc;
            }
            if ((and->kids[ and->nkids++] = rorm__pc_cmp_new(ctx, c->fields[k], PC_EQ, conv)) ==
                NULL) {
                return oom(ctx);
            }
        }
        g->kids[g->nkids++] = and;
        unique = true;
    }
    if (!unique) {
        char list[200] = "";
        for (size_t i = 0; i < m->fields.len; i++) {
            const rorm_field *f = m->fields.ptr[i];
            if (readable(f) && field_is_unique(m, f)) {
                size_t len = strlen(list);
                rorm__pc_fmt(list + len, sizeof list - len, "%s`%s`", len ? ", " : "", f->name);
            }
        }
        for (size_t k = 0; k < ncomps; k++) {
            size_t len = strlen(list);
            rorm__pc_fmt(list + len, sizeof list - len, "%s`%s`", len ? ", " : "", comps[k].name);
        }
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s` of %s.%s needs at least one unique argument: %s", what,
                           m->name, rorm__pc_op_name(ctx->q.op), list);
    }
    if (nrest) {
        rest = RORM_OBJECT_N(rest_items, nrest);
        pc_filter *k;
        int rc = parse_where(&k, ctx, m, &rest, what, false);
        if (rc != RORM_OK) {
            return rc;
        }
        g->kids[g->nkids++] = k;
    }
    *out = g;
    return RORM_OK;
}

/* ---- relations in select / include ------------------------------------------------------- */

/* Grow an arena array by one element (arrays are small: a copy per addition is fine). */
static void *grow_one(pc_ctx *ctx, void *old, size_t n, size_t size)
{
    void *p = rorm__pc_alloc(&ctx->arena, (n + 1) * size);
    if (p && n) {
        memcpy(p, old, n * size);
    }
    return p;
}

/* `rel: true | false | {select, include, omit, where, orderBy, take, skip, cursor, distinct}` */
static int add_include(pc_ctx *ctx, const rorm_field *f, const rorm_value *v, const char *what)
{
    pc_query *q = &ctx->q;
    if (v->type == RORM_TYPE_BOOL && !v->u.b) {
        return RORM_OK;
    }
    if (!(v->type == RORM_TYPE_BOOL || is_obj(v))) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s.%s`: expected a boolean or an object, got %s", what,
                           f->name, value_type_name(v));
    }
    if (is_obj(v) && !(f->flags & RORM_LIST)) {
        static const char *const keys[] = { "select", "include", "omit" };
        for (size_t i = 0; i < v->u.obj.len; i++) {
            const char *k = v->u.obj.items[i].key;
            if (strcmp(k, "select") && strcmp(k, "include") && strcmp(k, "omit")) {
                return unknown_key(ctx, k, f->name, keys, 3);
            }
        }
    }
    pc_link link;
    int rc = rorm__pc_link(&link, f, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (is_obj(v)) {
        /* Validated now, as a findMany of the related model, so that a mistake is reported
           even when there is no parent record to load it for. */
        pc_ctx sub;
        sub.err = ctx->err;
        rorm__pc_arena_init(&sub.arena);
        rc = rorm__pc_parse(&sub, q->db, link.inner->name, "findMany", v);
        rorm__pc_arena_dispose(&sub.arena);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    for (size_t i = 0; i < q->nincludes; i++) {
        if (q->includes[i].field == f) {
            q->includes[i].args = is_obj(v) ? v : NULL;
            return RORM_OK;
        }
    }
    pc_include *inc = grow_one(ctx, q->includes, q->nincludes, sizeof *inc);
    if (inc == NULL) {
        return oom(ctx);
    }
    inc[q->nincludes].field = f;
    inc[q->nincludes].args = is_obj(v) ? v : NULL;
    q->includes = inc;
    q->nincludes++;
    return RORM_OK;
}

static int add_count(pc_ctx *ctx, const rorm_field *f, const rorm_value *where)
{
    pc_query *q = &ctx->q;
    pc_link link;
    int rc = rorm__pc_link(&link, f, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (where) {
        /* Checked now, as the where of a findMany of the related model. */
        rorm_member wm = { "where", *where };
        rorm_value args = RORM_OBJECT_N(&wm, 1);
        pc_ctx sub;
        sub.err = ctx->err;
        rorm__pc_arena_init(&sub.arena);
        rc = rorm__pc_parse(&sub, q->db, link.inner->name, "findMany", &args);
        rorm__pc_arena_dispose(&sub.arena);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    pc_rcount *c = grow_one(ctx, q->counts, q->ncounts, sizeof *c);
    if (c == NULL) {
        return oom(ctx);
    }
    c[q->ncounts].field = f;
    c[q->ncounts].where = where;
    q->counts = c;
    q->ncounts++;
    return RORM_OK;
}

/* `_count: true` (every list relation) or `_count: {select: {posts: true | {where}}}`. */
static int parse_rel_count(pc_ctx *ctx, const rorm_model *m, const rorm_value *v, const char *what)
{
    pc_query *q = &ctx->q;
    if (v->type == RORM_TYPE_BOOL) {
        if (!v->u.b) {
            return RORM_OK;
        }
        q->has_counts = true;
        for (size_t i = 0; i < m->fields.len; i++) {
            const rorm_field *f = m->fields.ptr[i];
            if (f->type == RORM_FIELD_RELATION && (f->flags & RORM_LIST)) {
                int rc = add_count(ctx, f, NULL);
                if (rc != RORM_OK) {
                    return rc;
                }
            }
        }
        return RORM_OK;
    }
    const rorm_value *sel = is_obj(v) ? rorm_value_object_get(v, "select") : NULL;
    if (sel == NULL || !is_obj(sel) || v->u.obj.len != 1) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `%s._count`: expected true or {select: {...}}", what);
    }
    for (size_t i = 0; i < sel->u.obj.len; i++) {
        const rorm_member *mem = &sel->u.obj.items[i];
        const rorm_field *f = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
        if (f == NULL) {
            return unknown_field(ctx, m, mem->key, "_count.select");
        }
        if (f->type != RORM_FIELD_RELATION || !(f->flags & RORM_LIST)) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `_count.select`: `%s` is not a list relation of `%s`",
                               mem->key, m->name);
        }
        const rorm_value *where = NULL;
        if (mem->value.type == RORM_TYPE_BOOL) {
            if (!mem->value.u.b) {
                continue;
            }
        } else if (is_obj(&mem->value)) {
            for (size_t j = 0; j < mem->value.u.obj.len; j++) {
                if (strcmp(mem->value.u.obj.items[j].key, "where") != 0) {
                    static const char *const keys[] = { "where" };
                    return unknown_key(ctx, mem->value.u.obj.items[j].key, mem->key, keys, 1);
                }
                where = &mem->value.u.obj.items[j].value;
                if (where->type == RORM_TYPE_NULL) {
                    where = NULL;
                }
            }
        } else {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `_count.select.%s`: expected a boolean or {where}",
                               mem->key);
        }
        q->has_counts = true;
        int rc = add_count(ctx, f, where);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

/* Show the keys the relations join on; those the query does not show are removed later. */
static int show_link_keys(pc_ctx *ctx, const rorm_model *m)
{
    pc_query *q = &ctx->q;
    for (size_t i = 0; i < q->nincludes + q->ncounts; i++) {
        const rorm_field *f =
            i < q->nincludes ? q->includes[i].field : q->counts[i - q->nincludes].field;
        pc_link link;
        int rc = rorm__pc_link(&link, f, ctx->err);
        if (rc != RORM_OK) {
            return rc;
        }
        for (size_t k = 0; k < link.nkeys; k++) {
            size_t idx = link.outer_keys[k]->index;
            if (!q->shown[idx]) {
                if (q->strip == NULL &&
                    (q->strip = rorm__pc_alloc(&ctx->arena, m->fields.len + 1)) == NULL) {
                    return oom(ctx);
                }
                q->shown[idx] = 1;
                q->strip[idx] = 1;
            }
        }
    }
    return RORM_OK;
}

/* ---- selection --------------------------------------------------------------------------- */

static int parse_selection(pc_ctx *ctx,
                           const rorm_model *m,
                           const rorm_value *select,
                           const rorm_value *omit,
                           const rorm_value *include)
{
    pc_query *q = &ctx->q;
    size_t n = m->fields.len;
    q->shown = rorm__pc_alloc(&ctx->arena, n ? n : 1);
    if (q->shown == NULL) {
        return oom(ctx);
    }
    if (select && select->type == RORM_TYPE_NULL) {
        select = NULL;
    }
    if (omit && omit->type == RORM_TYPE_NULL) {
        omit = NULL;
    }
    if (include && include->type == RORM_TYPE_NULL) {
        include = NULL;
    }
    if (select && (omit || include)) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Please either use `%s` or `select`, but not both at the same time",
                           omit ? "omit" : "include");
    }
    if (include) {
        if (!is_obj(include)) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `include`: expected an object, got %s",
                               value_type_name(include));
        }
        for (size_t i = 0; i < include->u.obj.len; i++) {
            const char *k = include->u.obj.items[i].key;
            const rorm_value *v = &include->u.obj.items[i].value;
            const rorm_field *f = rorm__map_get(&m->field_map, k, strlen(k));
            int rc;
            if (strcmp(k, "_count") == 0) {
                rc = parse_rel_count(ctx, m, v, "include");
            } else if (f == NULL) {
                return unknown_field(ctx, m, k, "include");
            } else if (f->type != RORM_FIELD_RELATION) {
                return rorm__error(ctx->err, RORM_EINVAL,
                                   "Argument `include`: `%s` is not a relation field of `%s`", k,
                                   m->name);
            } else {
                rc = add_include(ctx, f, v, "include");
            }
            if (rc != RORM_OK) {
                return rc;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        q->shown[i] = select == NULL && readable(m->fields.ptr[i]);
    }
    const rorm_value *sel[2] = { select, omit };
    for (int which = 0; which < 2; which++) {
        const rorm_value *s = sel[which];
        const char *name = which == 0 ? "select" : "omit";
        if (s == NULL) {
            continue;
        }
        if (!is_obj(s)) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected an object, got %s",
                               name, value_type_name(s));
        }
        size_t truthy = 0;
        for (size_t i = 0; i < s->u.obj.len; i++) {
            const rorm_member *mem = &s->u.obj.items[i];
            if (which == 0 && strcmp(mem->key, "_count") == 0) {
                size_t before = q->ncounts;
                bool had = q->has_counts;
                int rc = parse_rel_count(ctx, m, &mem->value, name);
                if (rc != RORM_OK) {
                    return rc;
                }
                truthy += q->ncounts > before || (q->has_counts && !had);
                continue;
            }
            const rorm_field *f = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
            if (f == NULL) {
                return unknown_field(ctx, m, mem->key, name);
            }
            if (f->type == RORM_FIELD_RELATION) {
                if (which == 1) {
                    return rorm__error(ctx->err, RORM_EINVAL,
                                       "Argument `omit`: `%s` is a relation field", mem->key);
                }
                size_t before = q->nincludes;
                int rc = add_include(ctx, f, &mem->value, name);
                if (rc != RORM_OK) {
                    return rc;
                }
                truthy += q->nincludes > before;
                continue;
            }
            bool on = false;
            char arg[160];
            rorm__pc_fmt(arg, sizeof arg, "%s.%s", name, mem->key);
            int rc = bool_arg(&on, ctx, &mem->value, arg);
            if (rc != RORM_OK) {
                return rc;
            }
            if (!readable(f)) {
                if (on) {
                    return rorm__error(ctx->err, RORM_EINVAL, "field `%s.%s` cannot be read",
                                       m->name, f->name);
                }
                continue;
            }
            truthy += on;
            if (which == 0) {
                q->shown[f->index] = on;
            } else if (on) {
                q->shown[f->index] = 0;
            }
        }
        if (which == 0 && truthy == 0) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "The `select` statement for type %s needs at least one truthy value",
                               m->name);
        }
    }
    return show_link_keys(ctx, m);
}

/* ---- ordering ---------------------------------------------------------------------------- */

static int parse_direction(pc_order *o, pc_ctx *ctx, const rorm_value *v, const char *name)
{
    const char *s = rorm_value_as_text(v);
    if (v->type == RORM_TYPE_TEXT && (strcmp(s, "asc") == 0 || strcmp(s, "desc") == 0)) {
        o->desc = s[0] == 'd';
        return RORM_OK;
    }
    if (is_obj(v) && o->agg == PC_AGG_NONE) {
        static const char *const keys[] = { "sort", "nulls" };
        const rorm_value *sort = NULL;
        for (size_t i = 0; i < v->u.obj.len; i++) {
            const rorm_member *mem = &v->u.obj.items[i];
            if (strcmp(mem->key, "sort") == 0) {
                sort = &mem->value;
            } else if (strcmp(mem->key, "nulls") == 0) {
                const char *n = rorm_value_as_text(&mem->value);
                if (mem->value.type != RORM_TYPE_TEXT ||
                    (strcmp(n, "first") != 0 && strcmp(n, "last") != 0)) {
                    return rorm__error(
                        ctx->err, RORM_EINVAL,
                        "Argument `nulls` of orderBy `%s`: expected \"first\" or \"last\"", name);
                }
                o->nulls = n[0] == 'f' ? PC_NULLS_FIRST : PC_NULLS_LAST;
            } else {
                return unknown_key(ctx, mem->key, "orderBy", keys, 2);
            }
        }
        if (sort == NULL) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `sort` of orderBy `%s` is missing",
                               name);
        }
        return parse_direction(o, ctx, sort, name);
    }
    return rorm__error(ctx->err, RORM_EINVAL,
                       "Argument `orderBy.%s`: expected \"asc\" or \"desc\", got %s", name,
                       value_type_name(v));
}

static int push_order(pc_ctx *ctx, order_vec *orders, pc_order o)
{
    return rorm_vec_push(orders, o) == 0 ? RORM_OK : oom(ctx);
}

/*
 * orderBy of a relation: `{posts: {_count: "desc"}}` for a list, `{author: {name: "asc"}}` (or a
 * deeper to-one path) for a single relation. @p path holds the relations followed so far.
 */
static int parse_rel_order(pc_ctx *ctx,
                           order_vec *orders,
                           const rorm_field *rel,
                           const rorm_value *v,
                           const rorm_field **path,
                           size_t npath)
{
    pc_link link;
    int rc = rorm__pc_link(&link, rel, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (!is_obj(v)) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `orderBy.%s`: expected an object, got %s", rel->name,
                           value_type_name(v));
    }
    const rorm_field **p = rorm__pc_alloc(&ctx->arena, (npath + 1) * sizeof *p);
    if (p == NULL) {
        return oom(ctx);
    }
    if (npath) {
        memcpy(p, path, npath * sizeof *p);
    }
    p[npath] = rel;
    for (size_t i = 0; i < v->u.obj.len; i++) {
        const rorm_member *mem = &v->u.obj.items[i];
        pc_order o = { 0 };
        o.path = p;
        o.npath = npath + 1;
        if (link.list) {
            if (strcmp(mem->key, "_count") != 0) {
                return rorm__error(ctx->err, RORM_EINVAL,
                                   "Argument `orderBy.%s`: a list relation orders by `_count` "
                                   "only, got `%s`",
                                   rel->name, mem->key);
            }
            o.agg = PC_AGG_COUNT;
        } else {
            const rorm_field *f = rorm__map_get(&link.inner->field_map, mem->key, strlen(mem->key));
            if (f && f->type == RORM_FIELD_RELATION) {
                rc = parse_rel_order(ctx, orders, f, &mem->value, p, npath + 1);
                if (rc != RORM_OK) {
                    return rc;
                }
                continue;
            }
            if ((rc = scalar_field(&o.field, ctx, link.inner, mem->key, "orderBy")) != RORM_OK) {
                return rc;
            }
        }
        if ((rc = parse_direction(&o, ctx, &mem->value, mem->key)) != RORM_OK ||
            (rc = push_order(ctx, orders, o)) != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

static int parse_order_object(
    pc_ctx *ctx, order_vec *orders, const rorm_model *m, const rorm_value *v, bool aggregates)
{
    if (!is_obj(v)) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `orderBy`: expected an object, got %s",
                           value_type_name(v));
    }
    for (size_t i = 0; i < v->u.obj.len; i++) {
        const rorm_member *mem = &v->u.obj.items[i];
        pc_aggfn agg = aggregates ? agg_named(mem->key) : PC_AGG_NONE;
        int rc;
        if (agg != PC_AGG_NONE) {
            if (!is_obj(&mem->value)) {
                return rorm__error(ctx->err, RORM_EINVAL,
                                   "Argument `orderBy.%s`: expected an object, got %s", mem->key,
                                   value_type_name(&mem->value));
            }
            for (size_t j = 0; j < mem->value.u.obj.len; j++) {
                const rorm_member *inner = &mem->value.u.obj.items[j];
                pc_order o = { 0 };
                o.agg = agg;
                if (!(agg == PC_AGG_COUNT && strcmp(inner->key, "_all") == 0)) {
                    rc = scalar_field(&o.field, ctx, m, inner->key, "orderBy");
                    if (rc != RORM_OK) {
                        return rc;
                    }
                }
                if ((rc = parse_direction(&o, ctx, &inner->value, inner->key)) != RORM_OK ||
                    (rc = push_order(ctx, orders, o)) != RORM_OK) {
                    return rc;
                }
            }
            continue;
        }
        pc_order o = { 0 };
        const rorm_field *rf = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
        if (rf && rf->type == RORM_FIELD_RELATION && !aggregates) {
            if ((rc = parse_rel_order(ctx, orders, rf, &mem->value, NULL, 0)) != RORM_OK) {
                return rc;
            }
            continue;
        }
        rc = scalar_field(&o.field, ctx, m, mem->key, "orderBy");
        if (rc != RORM_OK || (rc = parse_direction(&o, ctx, &mem->value, mem->key)) != RORM_OK ||
            (rc = push_order(ctx, orders, o)) != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

static int parse_order_by(pc_ctx *ctx, const rorm_model *m, const rorm_value *v, bool aggregates)
{
    order_vec orders = { 0 };
    int rc = RORM_OK;
    if (v->type == RORM_TYPE_ARRAY) {
        for (size_t i = 0; rc == RORM_OK && i < v->u.arr.len; i++) {
            rc = parse_order_object(ctx, &orders, m, &v->u.arr.items[i], aggregates);
        }
    } else {
        rc = parse_order_object(ctx, &orders, m, v, aggregates);
    }
    if (rc == RORM_OK && orders.len) {
        ctx->q.orders = rorm__pc_alloc(&ctx->arena, orders.len * sizeof *orders.ptr);
        if (ctx->q.orders == NULL) {
            rc = oom(ctx);
        } else {
            memcpy(ctx->q.orders, orders.ptr, orders.len * sizeof *orders.ptr);
            ctx->q.norders = orders.len;
        }
    }
    rorm_vec_free(&orders);
    return rc;
}

/* A list of field names (distinct, by): an array of strings or one string. */
static int parse_field_list(const rorm_field ***out,
                            size_t *n_out,
                            pc_ctx *ctx,
                            const rorm_model *m,
                            const rorm_value *v,
                            const char *what)
{
    size_t n = v->type == RORM_TYPE_ARRAY ? v->u.arr.len : 1;
    const rorm_field **fields = rorm__pc_alloc(&ctx->arena, (n ? n : 1) * sizeof *fields);
    if (fields == NULL) {
        return oom(ctx);
    }
    for (size_t i = 0; i < n; i++) {
        const rorm_value *item = v->type == RORM_TYPE_ARRAY ? &v->u.arr.items[i] : v;
        if (item->type != RORM_TYPE_TEXT) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `%s`: expected a field name, got %s", what,
                               value_type_name(item));
        }
        int rc = scalar_field(&fields[i], ctx, m, item->u.s.ptr, what);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    *out = fields;
    *n_out = n;
    return RORM_OK;
}

/* ---- writes ------------------------------------------------------------------------------ */

/* A writable scalar field of the data object, with nested writes refused. */
static int data_field(const rorm_field **out, pc_ctx *ctx, const rorm_model *m, const char *name)
{
    const rorm_field *f = rorm__map_get(&m->field_map, name, strlen(name));
    if (f == NULL) {
        return unknown_field(ctx, m, name, "data");
    }
    if (f->type == RORM_FIELD_RELATION) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "nested writes (relation `%s.%s` in data) are only allowed in create, "
                           "update and upsert",
                           m->name, name);
    }
    if ((f->flags & RORM_IGNORED) || f->type == RORM_FIELD_UNSUPPORTED) {
        return rorm__error(ctx->err, RORM_EINVAL, "field `%s.%s` cannot be written", m->name, name);
    }
    *out = f;
    return RORM_OK;
}

/*
 * A relation field in data is a nested write when the operation allows them (create, update,
 * upsert); nested.c validates and runs its operations. Elsewhere data_field() refuses it.
 */
static bool nested_member(pc_ctx *ctx, const rorm_model *m, const rorm_member *mem)
{
    pc_op op = ctx->q.op;
    if (op != PC_CREATE && op != PC_UPDATE && op != PC_UPSERT) {
        return false;
    }
    const rorm_field *f = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
    if (f == NULL || f->type != RORM_FIELD_RELATION || mem->value.type == RORM_TYPE_NULL) {
        return false;
    }
    ctx->q.has_nested = true;
    return true;
}

/* Whether foreign-key field @p f is set by a nested write of a relation in @p data. */
static bool set_by_relation(const rorm_model *m, const rorm_value *data, const rorm_field *f)
{
    for (size_t i = 0; i < data->u.obj.len; i++) {
        const char *k = data->u.obj.items[i].key;
        const rorm_field *rf = rorm__map_get(&m->field_map, k, strlen(k));
        if (rf == NULL || rf->type != RORM_FIELD_RELATION || rf->relation == NULL) {
            continue;
        }
        for (size_t j = 0; j < rf->relation->nfields; j++) {
            if (rf->relation->fields[j] == f) {
                return true;
            }
        }
    }
    return false;
}

static bool required_on_create(const rorm_field *f)
{
    return rorm__field_is_column(f) &&
           !(f->flags &
             (RORM_NULLABLE | RORM_LIST | RORM_AUTOINCREMENT | RORM_UPDATED_AT | RORM_IGNORED)) &&
           f->def.kind == RORM_DEFAULT_NONE && f->type != RORM_FIELD_UNSUPPORTED;
}

/*
 * Check the data of a create; @p out is @p data, or a copy (borrowing its members, in the arena)
 * where the markers of Prisma.JsonNull / DbNull are replaced by what they stand for, since the
 * record is inserted from the data as given.
 */
static int
check_create_data(const rorm_value **out, pc_ctx *ctx, const rorm_model *m, const rorm_value *data)
{
    if (!is_obj(data)) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `data`: expected an object, got %s",
                           data ? value_type_name(data) : "nothing");
    }
    *out = data;
    rorm_member *copy = NULL;
    for (size_t i = 0; i < data->u.obj.len; i++) {
        const rorm_member *mem = &data->u.obj.items[i];
        const rorm_field *f = NULL;
        const rorm_value *conv;
        if (nested_member(ctx, m, mem)) {
            continue;
        }
        int rc = data_field(&f, ctx, m, mem->key);
        if (rc == RORM_OK) {
            rc = rorm__pc_convert(&conv, ctx, f, &mem->value, f->name);
        }
        if (rc != RORM_OK) {
            return rc;
        }
        if (json_null_of(&mem->value) == JN_NONE) {
            continue;
        }
        if (copy == NULL) {
            size_t n = data->u.obj.len;
            rorm_value *obj = rorm__pc_alloc(&ctx->arena, sizeof *obj);
            copy = rorm__pc_alloc(&ctx->arena, n * sizeof *copy);
            if (obj == NULL || copy == NULL) {
                return oom(ctx);
            }
            memcpy(copy, data->u.obj.items, n * sizeof *copy);
            for (size_t k = 0; k < n; k++) {
                copy[k].value.flags |= RORM_VALUE_BORROWED;
            }
            *obj = RORM_OBJECT_N(copy, n);
            *out = obj;
        }
        copy[i].value = *conv;
        copy[i].value.flags |= RORM_VALUE_BORROWED;
    }
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (required_on_create(f) && rorm_value_object_get(data, f->name) == NULL &&
            !set_by_relation(m, data, f)) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s` is missing (%s.%s)", f->name,
                               m->name, rorm__pc_op_name(ctx->q.op));
        }
    }
    return RORM_OK;
}

static bool numeric(const rorm_field *f)
{
    return f->type == RORM_FIELD_INT || f->type == RORM_FIELD_BIGINT ||
           f->type == RORM_FIELD_FLOAT || f->type == RORM_FIELD_DECIMAL;
}

static int parse_update_data(pc_ctx *ctx, const rorm_model *m, const rorm_value *data)
{
    if (!is_obj(data)) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `data`: expected an object, got %s",
                           data ? value_type_name(data) : "nothing");
    }
    pc_query *q = &ctx->q;
    q->sets = rorm__pc_alloc(&ctx->arena, (data->u.obj.len + 1) * sizeof *q->sets);
    if (q->sets == NULL) {
        return oom(ctx);
    }
    for (size_t i = 0; i < data->u.obj.len; i++) {
        const rorm_member *mem = &data->u.obj.items[i];
        const rorm_field *f = NULL;
        if (nested_member(ctx, m, mem)) {
            continue;
        }
        int rc = data_field(&f, ctx, m, mem->key);
        if (rc != RORM_OK) {
            return rc;
        }
        for (size_t k = 0; k < q->nsets; k++) {
            if (q->sets[k].field == f) {
                return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s` is given twice", f->name);
            }
        }
        pc_set *s = &q->sets[q->nsets++];
        s->field = f;
        s->op = PC_SET;
        const rorm_value *v = &mem->value;
        if (is_obj(v) && f->type != RORM_FIELD_JSON) {
            static const char *const ops[] = { "set",      "increment", "decrement",
                                               "multiply", "divide",    "push" };
            bool list = (f->flags & RORM_LIST) != 0;
            if (v->u.obj.len != 1) {
                return rorm__error(
                    ctx->err, RORM_EINVAL, "Argument `%s`: expected exactly one of %s", f->name,
                    list ? "set, push" : "set, increment, decrement, multiply, divide");
            }
            const char *op = v->u.obj.items[0].key;
            size_t k = 0;
            while (k < 6 && strcmp(ops[k], op) != 0) {
                k++;
            }
            if (k == 6 || (k == PC_PUSH && !list)) {
                return unknown_key(ctx, op, f->name, ops, list ? 6 : 5);
            }
            s->op = (pc_setop)k;
            v = &v->u.obj.items[0].value;
            if (s->op == PC_PUSH) {
                if (v->type == RORM_TYPE_NULL) {
                    return rorm__error(ctx->err, RORM_EINVAL,
                                       "Argument `push` of `%s` must not be null", f->name);
                }
                if (v->type != RORM_TYPE_ARRAY) {
                    /* One element: a list of one. */
                    rorm_value one, copy;
                    rorm_value_init_array(&one);
                    if (rorm_value_copy(&copy, v) != RORM_OK ||
                        rorm_value_array_push_take(&one, &copy) != RORM_OK ||
                        (v = rorm__pc_keep(&ctx->arena, &one)) == NULL) {
                        rorm_value_dispose(&one);
                        return oom(ctx);
                    }
                }
            } else if (s->op != PC_SET) {
                if (!numeric(f) || list) {
                    return rorm__error(ctx->err, RORM_EINVAL,
                                       "Argument `%s` is only valid for number fields (`%s` is %s)",
                                       op, f->name, field_type_name(f));
                }
                if (v->type == RORM_TYPE_NULL) {
                    return rorm__error(ctx->err, RORM_EINVAL,
                                       "Argument `%s` of `%s` must not be null", op, f->name);
                }
                if (s->op == PC_DIVIDE && ((v->type == RORM_TYPE_INT && v->u.i == 0) ||
                                           (v->type == RORM_TYPE_DOUBLE && v->u.d == 0))) {
                    return rorm__error(ctx->err, RORM_EINVAL,
                                       "Argument `divide` of `%s`: division by zero", f->name);
                }
            }
        }
        int rc2 = rorm__pc_convert(&s->value, ctx, f, v, f->name);
        if (rc2 != RORM_OK) {
            return rc2;
        }
    }
    return RORM_OK;
}

/* ---- aggregates -------------------------------------------------------------------------- */

static int push_agg(pc_ctx *ctx, agg_vec *aggs, pc_aggfn fn, const rorm_field *f, bool bare)
{
    pc_agg a = { fn, f, bare };
    return rorm_vec_push(aggs, a) == 0 ? RORM_OK : oom(ctx);
}

/* _count: true | {_all: true, field: true}; _avg/_sum/_min/_max: {field: true}. */
static int parse_agg(pc_ctx *ctx,
                     agg_vec *aggs,
                     const rorm_model *m,
                     pc_aggfn fn,
                     const char *name,
                     const rorm_value *v)
{
    if (fn == PC_AGG_COUNT && v->type == RORM_TYPE_BOOL) {
        return v->u.b ? push_agg(ctx, aggs, fn, NULL, true) : RORM_OK;
    }
    if (!is_obj(v)) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s`: expected an object, got %s", name,
                           value_type_name(v));
    }
    for (size_t i = 0; i < v->u.obj.len; i++) {
        const rorm_member *mem = &v->u.obj.items[i];
        bool on = false;
        int rc = bool_arg(&on, ctx, &mem->value, mem->key);
        if (rc != RORM_OK) {
            return rc;
        }
        if (fn == PC_AGG_COUNT && strcmp(mem->key, "_all") == 0) {
            if (on && (rc = push_agg(ctx, aggs, fn, NULL, false)) != RORM_OK) {
                return rc;
            }
            continue;
        }
        const rorm_field *f = NULL;
        if ((rc = scalar_field(&f, ctx, m, mem->key, name)) != RORM_OK) {
            return rc;
        }
        if ((fn == PC_AGG_SUM || fn == PC_AGG_AVG) && !numeric(f)) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `%s.%s`: `%s` needs a number field, `%s` is %s", name,
                               f->name, name, f->name, field_type_name(f));
        }
        if (on && (rc = push_agg(ctx, aggs, fn, f, false)) != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

/* ---- the operation ----------------------------------------------------------------------- */

enum {
    A_WHERE,
    A_DATA,
    A_SELECT,
    A_OMIT,
    A_INCLUDE,
    A_ORDER_BY,
    A_TAKE,
    A_SKIP,
    A_CURSOR,
    A_DISTINCT,
    A_SKIP_DUPLICATES,
    A_CREATE,
    A_UPDATE,
    A_COUNT,
    A_AVG,
    A_SUM,
    A_MIN,
    A_MAX,
    A_BY,
    A_HAVING,
    A_RELATION_LOAD_STRATEGY,
    A_NARGS
};

static const char *const arg_names[A_NARGS] = {
    "where", "data",   "select",   "omit",           "include", "orderBy", "take",
    "skip",  "cursor", "distinct", "skipDuplicates", "create",  "update",  "_count",
    "_avg",  "_sum",   "_min",     "_max",           "by",      "having",  "relationLoadStrategy",
};

#define B(x)        (1u << (x))
#define READ_ARGS   (B(A_SELECT) | B(A_OMIT) | B(A_INCLUDE) | B(A_RELATION_LOAD_STRATEGY))
#define WINDOW_ARGS (B(A_WHERE) | B(A_ORDER_BY) | B(A_TAKE) | B(A_SKIP) | B(A_CURSOR))
#define AGG_ARGS    (B(A_COUNT) | B(A_AVG) | B(A_SUM) | B(A_MIN) | B(A_MAX))

static const unsigned op_args[PC_NOPS] = {
    [PC_CREATE] = B(A_DATA) | READ_ARGS,
    [PC_CREATE_MANY] = B(A_DATA) | B(A_SKIP_DUPLICATES),
    [PC_CREATE_MANY_AND_RETURN] = B(A_DATA) | B(A_SKIP_DUPLICATES) | READ_ARGS,
    [PC_FIND_UNIQUE] = B(A_WHERE) | READ_ARGS,
    [PC_FIND_UNIQUE_OR_THROW] = B(A_WHERE) | READ_ARGS,
    [PC_FIND_FIRST] = WINDOW_ARGS | B(A_DISTINCT) | READ_ARGS,
    [PC_FIND_FIRST_OR_THROW] = WINDOW_ARGS | B(A_DISTINCT) | READ_ARGS,
    [PC_FIND_MANY] = WINDOW_ARGS | B(A_DISTINCT) | READ_ARGS,
    [PC_UPDATE] = B(A_WHERE) | B(A_DATA) | READ_ARGS,
    [PC_UPDATE_MANY] = B(A_WHERE) | B(A_DATA),
    [PC_UPDATE_MANY_AND_RETURN] = B(A_WHERE) | B(A_DATA) | READ_ARGS,
    [PC_UPSERT] = B(A_WHERE) | B(A_CREATE) | B(A_UPDATE) | READ_ARGS,
    [PC_DELETE] = B(A_WHERE) | READ_ARGS,
    [PC_DELETE_MANY] = B(A_WHERE),
    [PC_COUNT] = WINDOW_ARGS | B(A_SELECT),
    [PC_AGGREGATE] = WINDOW_ARGS | AGG_ARGS,
    [PC_GROUP_BY] =
        B(A_BY) | B(A_WHERE) | B(A_HAVING) | B(A_ORDER_BY) | B(A_TAKE) | B(A_SKIP) | AGG_ARGS,
};

static int parse_count_select(pc_ctx *ctx, const rorm_model *m, const rorm_value *select)
{
    agg_vec aggs = { 0 };
    ctx->q.count_object = true;
    int rc = parse_agg(ctx, &aggs, m, PC_AGG_COUNT, "select", select);
    if (rc == RORM_OK) {
        ctx->q.aggs = rorm__pc_alloc(&ctx->arena, (aggs.len + 1) * sizeof *aggs.ptr);
        if (ctx->q.aggs == NULL) {
            rc = oom(ctx);
        } else {
            if (aggs.len) {
                memcpy(ctx->q.aggs, aggs.ptr, aggs.len * sizeof *aggs.ptr);
            }
            ctx->q.naggs = aggs.len;
        }
    }
    rorm_vec_free(&aggs);
    return rc;
}

/* A field compared without an aggregate in `having` that is not grouped, or NULL. */
static const rorm_field *ungrouped_field(const pc_filter *f, const pc_query *q)
{
    if (f->kind == PF_CMP && f->agg == PC_AGG_NONE) {
        for (size_t k = 0; k < q->nby; k++) {
            if (q->by[k] == f->field) {
                return NULL;
            }
        }
        return f->field;
    }
    for (size_t i = 0; i < f->nkids; i++) {
        const rorm_field *loose = ungrouped_field(f->kids[i], q);
        if (loose) {
            return loose;
        }
    }
    return NULL;
}

static int parse_args(pc_ctx *ctx, const rorm_value *const *a)
{
    pc_query *q = &ctx->q;
    const rorm_model *m = q->model;
    const char *opname = rorm__pc_op_name(q->op);
    int rc = RORM_OK;
    bool unique_where = q->op == PC_FIND_UNIQUE || q->op == PC_FIND_UNIQUE_OR_THROW ||
                        q->op == PC_UPDATE || q->op == PC_UPSERT || q->op == PC_DELETE;
    /* where */
    if (a[A_WHERE] && unique_where) {
        rc = parse_where_unique(&q->where, ctx, m, a[A_WHERE], "where");
    } else if (unique_where) {
        return rorm__error(ctx->err, RORM_EINVAL, "Argument `where` is missing (%s.%s)", m->name,
                           opname);
    } else if (a[A_WHERE]) {
        rc = parse_where(&q->where, ctx, m, a[A_WHERE], "where", false);
    } else {
        q->where = rorm__pc_filter_new(ctx, PF_AND, 0);
        rc = q->where ? RORM_OK : oom(ctx);
    }
    if (rc != RORM_OK) {
        return rc;
    }
    /* Prisma's choice between one query with JSON aggregation and one query per relation
       level: relations load here one batched query per level either way. */
    const rorm_value *rls = a[A_RELATION_LOAD_STRATEGY];
    if (rls && (rls->type != RORM_TYPE_TEXT ||
                (strcmp(rls->u.s.ptr, "join") != 0 && strcmp(rls->u.s.ptr, "query") != 0))) {
        return rorm__error(ctx->err, RORM_EINVAL,
                           "Argument `relationLoadStrategy`: expected \"join\" or \"query\"");
    }
    /* selection */
    if (q->op == PC_COUNT) {
        if (a[A_SELECT] && (rc = parse_count_select(ctx, m, a[A_SELECT])) != RORM_OK) {
            return rc;
        }
    } else if ((rc = parse_selection(ctx, m, a[A_SELECT], a[A_OMIT], a[A_INCLUDE])) != RORM_OK) {
        return rc;
    }
    /* ordering and window */
    if (a[A_ORDER_BY] &&
        (rc = parse_order_by(ctx, m, a[A_ORDER_BY], q->op == PC_GROUP_BY)) != RORM_OK) {
        return rc;
    }
    if (a[A_TAKE]) {
        if ((rc = int_arg(&q->take, ctx, a[A_TAKE], "take")) != RORM_OK) {
            return rc;
        }
        q->has_take = true;
    }
    if (a[A_SKIP]) {
        if ((rc = int_arg(&q->skip, ctx, a[A_SKIP], "skip")) != RORM_OK) {
            return rc;
        }
        if (q->skip < 0) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `skip` must not be negative (got %lld)",
                               (long long)q->skip);
        }
    }
    if (a[A_CURSOR] &&
        (rc = parse_where_unique(&q->cursor, ctx, m, a[A_CURSOR], "cursor")) != RORM_OK) {
        return rc;
    }

    if (a[A_DISTINCT] && (rc = parse_field_list(&q->distinct, &q->ndistinct, ctx, m, a[A_DISTINCT],
                                                "distinct")) != RORM_OK) {
        return rc;
    }
    /* writes */
    if (op_args[q->op] & B(A_DATA)) {
        const rorm_value *data = a[A_DATA];
        if (data == NULL) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `data` is missing (%s.%s)", m->name,
                               opname);
        }
        if (q->op == PC_CREATE) {
            rc = check_create_data(&q->data, ctx, m, data);
        } else if (q->op == PC_CREATE_MANY || q->op == PC_CREATE_MANY_AND_RETURN) {
            size_t n = data->type == RORM_TYPE_ARRAY ? data->u.arr.len : 1;
            q->records = rorm__pc_alloc(&ctx->arena, (n ? n : 1) * sizeof *q->records);
            if (q->records == NULL) {
                return oom(ctx);
            }
            for (size_t i = 0; rc == RORM_OK && i < n; i++) {
                rc =
                    check_create_data(&q->records[i], ctx, m,
                                      data->type == RORM_TYPE_ARRAY ? &data->u.arr.items[i] : data);
            }
            q->nrecords = n;
        } else {
            rc = parse_update_data(ctx, m, data);
        }
        if (rc != RORM_OK) {
            return rc;
        }
    }
    if (a[A_SKIP_DUPLICATES] && (rc = bool_arg(&q->skip_duplicates, ctx, a[A_SKIP_DUPLICATES],
                                               "skipDuplicates")) != RORM_OK) {
        return rc;
    }
    if (q->op == PC_UPSERT) {
        if (a[A_CREATE] == NULL || a[A_UPDATE] == NULL) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `%s` is missing (%s.upsert)",
                               a[A_CREATE] ? "update" : "create", m->name);
        }
        if ((rc = check_create_data(&q->data, ctx, m, a[A_CREATE])) != RORM_OK ||
            (rc = parse_update_data(ctx, m, a[A_UPDATE])) != RORM_OK) {
            return rc;
        }
    }
    /* aggregates */
    if (op_args[q->op] & B(A_COUNT)) {
        agg_vec aggs = { 0 };
        for (int k = A_COUNT; rc == RORM_OK && k <= A_MAX; k++) {
            if (a[k]) {
                rc = parse_agg(ctx, &aggs, m, agg_named(arg_names[k]), arg_names[k], a[k]);
            }
        }
        if (rc == RORM_OK && aggs.len) {
            q->aggs = rorm__pc_alloc(&ctx->arena, aggs.len * sizeof *aggs.ptr);
            if (q->aggs == NULL) {
                rc = oom(ctx);
            } else {
                memcpy(q->aggs, aggs.ptr, aggs.len * sizeof *aggs.ptr);
                q->naggs = aggs.len;
            }
        }
        rorm_vec_free(&aggs);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    if (q->op == PC_GROUP_BY) {
        if (a[A_BY] == NULL) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `by` is missing (%s.groupBy)",
                               m->name);
        }
        if ((rc = parse_field_list(&q->by, &q->nby, ctx, m, a[A_BY], "by")) != RORM_OK) {
            return rc;
        }
        if (q->nby == 0) {
            return rorm__error(ctx->err, RORM_EINVAL, "Argument `by` of %s.groupBy is empty",
                               m->name);
        }
        if (a[A_HAVING] &&
            (rc = parse_where(&q->having, ctx, m, a[A_HAVING], "having", true)) != RORM_OK) {
            return rc;
        }
        const rorm_field *loose = q->having ? ungrouped_field(q->having, q) : NULL;
        if (loose) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Field `%s` in having must be in `by` or used with an aggregate "
                               "(_count, _sum, _avg, _min, _max)",
                               loose->name);
        }
        /* Plain orderBy fields must be grouped; aggregates may name any field. */
        for (size_t i = 0; i < q->norders; i++) {
            bool grouped = q->orders[i].agg != PC_AGG_NONE;
            for (size_t k = 0; k < q->nby && !grouped; k++) {
                grouped = q->by[k] == q->orders[i].field;
            }
            if (!grouped) {
                return rorm__error(ctx->err, RORM_EINVAL,
                                   "Every field used for orderBy must be included in the "
                                   "by-arguments of the query. Missing fields: %s",
                                   q->orders[i].field->name);
            }
        }
        /* As in Prisma: the groups are paged only in a stated order (`skip: 0` pages nothing). */
        bool take = a[A_TAKE] != NULL, skip = a[A_SKIP] != NULL && q->skip != 0;
        if ((take || skip) && q->norders == 0) {
            const char *what = take && skip ? "`take` and `skip`" : take ? "`take`" : "`skip`";
            return rorm__error(ctx->err, RORM_EINVAL,
                               "Argument `orderBy` of %s.groupBy is required when using %s: "
                               "order the groups by a `by` field or an aggregate, or leave %s out",
                               m->name, what, what);
        }
    }
    return RORM_OK;
}

/* Whether @p v has members or items (a level of nesting). */
static bool is_nest(const rorm_value *v)
{
    return v->type == RORM_TYPE_OBJECT || v->type == RORM_TYPE_ARRAY;
}

int rorm__pc_check_depth(const rorm_value *args,
                         const char *model,
                         const char *operation,
                         rorm_error *err)
{
    /* Depth first with an explicit stack: a tree too deep to recurse over is the input this
       check is for. Each frame is a nesting level and the index of its next member. */
    struct frame {
        const rorm_value *v;
        size_t next;
    } st[RORM_QUERY_MAX_DEPTH];
    if (args == NULL || !is_nest(args)) {
        return RORM_OK;
    }
    size_t n = 1;
    st[0].v = args;
    st[0].next = 0;
    while (n > 0) {
        struct frame *f = &st[n - 1];
        bool obj = f->v->type == RORM_TYPE_OBJECT;
        size_t len = obj ? f->v->u.obj.len : f->v->u.arr.len;
        if (f->next >= len) {
            n--;
            continue;
        }
        const rorm_value *kid =
            obj ? &f->v->u.obj.items[f->next].value : &f->v->u.arr.items[f->next];
        f->next++;
        if (!is_nest(kid)) {
            continue;
        }
        if (n < RORM_QUERY_MAX_DEPTH) {
            st[n].v = kid;
            st[n].next = 0;
            n++;
            continue;
        }
        /* The path to the level too many: keys and indexes, cut to fit the message. */
        char path[150];
        size_t len_path = 0;
        for (size_t k = 0; k < n && len_path + 1 < sizeof path; k++) {
            size_t i = st[k].next - 1;
            int w = st[k].v->type == RORM_TYPE_OBJECT
                        ? snprintf(path + len_path, sizeof path - len_path, "%s%.40s", k ? "." : "",
                                   st[k].v->u.obj.items[i].key)
                        : snprintf(path + len_path, sizeof path - len_path, "[%zu]", i);
            len_path += w > 0 ? (size_t)w : 0;
        }
        if (len_path + 1 >= sizeof path) {
            memcpy(path + sizeof path - 4, "...", 4);
        }
        return rorm__error(
            err, RORM_EINVAL, "arguments of %.40s.%.40s are nested deeper than %d levels at `%s`",
            model ? model : "?", operation ? operation : "?", RORM_QUERY_MAX_DEPTH, path);
    }
    return RORM_OK;
}

int rorm__pc_parse(
    pc_ctx *ctx, rorm_db *db, const char *model, const char *operation, const rorm_value *args)
{
    pc_query *q = &ctx->q;
    memset(q, 0, sizeof *q);
    q->db = db;
    int rc = rorm__db_model(&q->model, db, model, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (operation == NULL) {
        return rorm__error(ctx->err, RORM_EINVAL, "operation name is NULL");
    }
    size_t op = 0;
    while (op < PC_NOPS && strcmp(op_names[op], operation) != 0) {
        op++;
    }
    if (op == PC_NOPS) {
        const char *near = suggest(operation, op_names, PC_NOPS);
        if (near) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "unknown operation '%s' on model '%s' (did you mean '%s'?)",
                               operation, model, near);
        }
        return rorm__error(ctx->err, RORM_EINVAL, "unknown operation '%s' on model '%s'", operation,
                           model);
    }
    q->op = (pc_op)op;
    if ((rc = rorm__pc_check_depth(args, model, operation, ctx->err)) != RORM_OK) {
        return rc;
    }
    q->args = args && args->type == RORM_TYPE_OBJECT ? args : NULL;
    if (q->model->is_view &&
        (op_args[op] & (B(A_DATA) | B(A_CREATE)) || op == PC_DELETE || op == PC_DELETE_MANY)) {
        return rorm__error(ctx->err, RORM_EINVAL, "model '%s' is a view and cannot be written",
                           q->model->name);
    }
    const rorm_value *a[A_NARGS] = { 0 };
    if (args && args->type != RORM_TYPE_NULL) {
        if (args->type != RORM_TYPE_OBJECT) {
            return rorm__error(ctx->err, RORM_EINVAL,
                               "arguments of %s.%s must be an object, got %s", q->model->name,
                               operation, value_type_name(args));
        }
        for (size_t i = 0; i < args->u.obj.len; i++) {
            const rorm_member *mem = &args->u.obj.items[i];
            size_t k = 0;
            while (k < A_NARGS && !((op_args[op] & B(k)) && strcmp(arg_names[k], mem->key) == 0)) {
                k++;
            }
            if (k == A_NARGS) {
                const char *cands[A_NARGS];
                for (size_t j = 0; j < A_NARGS; j++) {
                    cands[j] = (op_args[op] & B(j)) ? arg_names[j] : NULL;
                }
                char where[128];
                rorm__pc_fmt(where, sizeof where, "%s.%s", q->model->name, operation);
                return unknown_key(ctx, mem->key, where, cands, A_NARGS);
            }
            /* An argument given as null (JavaScript's undefined turned into null) is absent. */
            if (mem->value.type != RORM_TYPE_NULL) {
                a[k] = &mem->value;
            }
        }
    }
    return parse_args(ctx, a);
}
