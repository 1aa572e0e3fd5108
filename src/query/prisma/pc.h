/*
 * The Prisma Client query engine: argument trees (rorm_value) are validated against the schema
 * into a query description (the IR below), compiled by the dialect into SQL text with bound
 * parameters, and run. The IR is the one description every front end produces (C, JavaScript,
 * the chainable builder); relations (include, relation filters, nested writes) extend it.
 *
 * Three steps, three files: args.c (argument tree -> IR, every error a Prisma-like message),
 * sql.c (IR -> SQL text + parameter list), exec.c (running, results, rorm_db_call).
 *
 * Everything the IR points at lives in the query's arena or in the caller's argument tree,
 * both of which outlive the query; converted values are owned by the arena's value list.
 */
#ifndef RORM_QUERY_PRISMA_PC_H
#define RORM_QUERY_PRISMA_PC_H

#include <stdbool.h>
#include <stdint.h>

#include "client/client.h"
#include "rediorm/client.h"

/* ---- operations -------------------------------------------------------------------------- */

typedef enum pc_op {
    PC_CREATE,
    PC_CREATE_MANY,
    PC_CREATE_MANY_AND_RETURN,
    PC_FIND_UNIQUE,
    PC_FIND_UNIQUE_OR_THROW,
    PC_FIND_FIRST,
    PC_FIND_FIRST_OR_THROW,
    PC_FIND_MANY,
    PC_UPDATE,
    PC_UPDATE_MANY,
    PC_UPSERT,
    PC_DELETE,
    PC_DELETE_MANY,
    PC_COUNT,
    PC_AGGREGATE,
    PC_GROUP_BY,
    PC_NOPS
} pc_op;

/* The Prisma method name of @p op. */
const char *rorm__pc_op_name(pc_op op);

/* snprintf into a fixed buffer where a cut is acceptable (names in messages). */
void rorm__pc_fmt(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the arena --------------------------------------------------------------------------- */

typedef struct pc_block pc_block;

typedef struct pc_arena {
    pc_block *head;
    rorm_vec(rorm_value) values; /* owned values made while validating (converted operands) */
    /* A first region owned by the caller (on its stack), used before any heap block. */
    unsigned char *first;
    size_t first_used, first_size;
} pc_arena;

void rorm__pc_arena_init(pc_arena *a);
/* Give the arena @p size bytes at @p mem (aligned for max_align_t) to use first. */
void rorm__pc_arena_use(pc_arena *a, void *mem, size_t size);
void rorm__pc_arena_dispose(pc_arena *a);
/* Zeroed memory that lives until the arena is disposed; NULL when out of memory. */
void *rorm__pc_alloc(pc_arena *a, size_t n);
/* Keep @p v (taken: it becomes null) until the arena is disposed; returns its new address. */
const rorm_value *rorm__pc_keep(pc_arena *a, rorm_value *v);

/* ---- filters ----------------------------------------------------------------------------- */

typedef enum pc_fkind {
    PF_AND,   /* all kids (none: true) */
    PF_OR,    /* any kid (none: false) */
    PF_NOT,   /* not (all kids) */
    PF_CMP,   /* field <cmp> operand */
    PF_CONST, /* TRUE or FALSE */
} pc_fkind;

typedef enum pc_cmp {
    PC_EQ,
    PC_NE,
    PC_LT,
    PC_LE,
    PC_GT,
    PC_GE,
    PC_IN,
    PC_NOT_IN,
    PC_CONTAINS,
    PC_STARTS_WITH,
    PC_ENDS_WITH,
    PC_IS_NULL,
    PC_NOT_NULL,
} pc_cmp;

/* Aggregate functions (groupBy having/orderBy, aggregate, count). */
typedef enum pc_aggfn {
    PC_AGG_NONE = 0,
    PC_AGG_COUNT,
    PC_AGG_SUM,
    PC_AGG_AVG,
    PC_AGG_MIN,
    PC_AGG_MAX,
} pc_aggfn;

typedef struct pc_filter pc_filter;
struct pc_filter {
    pc_fkind kind;
    bool truth; /* PF_CONST */
    pc_filter **kids;
    size_t nkids;
    /* PF_CMP */
    const rorm_field *field;
    pc_cmp cmp;
    pc_aggfn agg;              /* compare an aggregate of the field (having) */
    bool insensitive;          /* mode: "insensitive" */
    const rorm_value *value;   /* the bound operand (LIKE patterns already escaped) */
    const rorm_value **values; /* PC_IN / PC_NOT_IN operands */
    size_t nvalues;
};

/* ---- ordering, selection, writes --------------------------------------------------------- */

#define PC_NULLS_DEFAULT 0
#define PC_NULLS_FIRST   1
#define PC_NULLS_LAST    2

typedef struct pc_order {
    const rorm_field *field;
    pc_aggfn agg; /* groupBy: order by an aggregate */
    bool desc;
    int nulls; /* PC_NULLS_* */
} pc_order;

typedef enum pc_setop {
    PC_SET,
    PC_INCREMENT,
    PC_DECREMENT,
    PC_MULTIPLY,
    PC_DIVIDE,
} pc_setop;

typedef struct pc_set {
    const rorm_field *field;
    pc_setop op;
    const rorm_value *value; /* converted for the field */
} pc_set;

typedef struct pc_agg {
    pc_aggfn fn;
    const rorm_field *field; /* NULL for _count._all */
    bool bare;               /* `_count: true`: the result is a number, not an object */
} pc_agg;

/* The validated query. */
typedef struct pc_query {
    pc_op op;
    rorm_db *db;
    rorm_model *model;
    pc_filter *where; /* never NULL after validation (PF_AND with no kids = everything) */
    /* Which fields the result shows, by field index (1 = shown). */
    unsigned char *shown;
    /* Ordering, window and cursor. */
    pc_order *orders;
    size_t norders;
    bool has_take;
    int64_t take; /* negative: from the end */
    int64_t skip;
    pc_filter *cursor; /* equality on unique fields, or NULL */
    const rorm_field **distinct;
    size_t ndistinct;
    /* Writes. */
    const rorm_value *data;     /* create / upsert create: the validated data object */
    const rorm_value **records; /* createMany */
    size_t nrecords;
    bool skip_duplicates;
    pc_set *sets; /* update / upsert update / updateMany */
    size_t nsets;
    /* count / aggregate / groupBy. */
    pc_agg *aggs;
    size_t naggs;
    bool count_object; /* count with `select`: the result is an object */
    const rorm_field **by;
    size_t nby;
    pc_filter *having;
} pc_query;

/* A validation or run: the query, its arena, and where errors go. */
typedef struct pc_ctx {
    pc_arena arena;
    pc_query q;
    rorm_error *err;
} pc_ctx;

/* args.c: check @p args for @p op on @p model and fill ctx->q. */
int rorm__pc_parse(
    pc_ctx *ctx, rorm_db *db, const char *model, const char *operation, const rorm_value *args);

/* Helpers shared by args.c and exec.c. */
pc_filter *rorm__pc_filter_new(pc_ctx *ctx, pc_fkind kind, size_t nkids);
pc_filter *rorm__pc_cmp_new(pc_ctx *ctx, const rorm_field *f, pc_cmp cmp, const rorm_value *v);
/* Convert @p v for field @p f (Prisma-style message naming @p arg on a mismatch); the result
   lives in the arena or is @p v itself. */
int rorm__pc_convert(
    const rorm_value **out, pc_ctx *ctx, const rorm_field *f, const rorm_value *v, const char *arg);

/* ---- SQL ---------------------------------------------------------------------------------- */

typedef struct pc_sql {
    rorm_str text;
    rorm_vec(const rorm_value *) params;
    rorm_vec(rorm_value *) owned; /* values made while compiling (LIKE patterns) */
    const rorm_dialect *d;
    bool oom;
} pc_sql;

void rorm__pc_sql_init(pc_sql *s, const rorm_dialect *d);
void rorm__pc_sql_dispose(pc_sql *s);
/* Append a bound parameter's placeholder. */
void rorm__pc_sql_param(pc_sql *s, const rorm_value *v);
/* Append a column reference, qualified by @p alias when not NULL. */
void rorm__pc_sql_column(pc_sql *s, const char *alias, const rorm_field *f);
/* Append the condition for @p f (true when it has no condition). */
void rorm__pc_sql_filter(pc_sql *s, const char *alias, const pc_filter *f);
/* Append " ORDER BY ..." for @p orders (nothing when there are none). */
void rorm__pc_sql_order_by(pc_sql *s, const char *alias, const pc_order *orders, size_t n);
/* Append an aggregate expression: COUNT(*), SUM("col") ... */
void rorm__pc_sql_agg(pc_sql *s, const char *alias, pc_aggfn fn, const rorm_field *f);

/*
 * exec.c: the main statement of a validated query (find*, count, aggregate, groupBy,
 * updateMany, deleteMany) without running it. A cursor is RORM_EUNSUPPORTED (its row is read
 * from the database first); so are the operations that run several statements.
 */
int rorm__pc_sql_of(pc_sql *s, pc_ctx *ctx);

/* Dialect behaviour with a default here until every dialect has a hook (see the docs). */
/* True when NULL sorts before every value in ascending order (SQLite, MySQL). */
bool rorm__pc_nulls_smallest(const rorm_dialect *d);

/* Append the SET list of an UPDATE ("a" = ?, "n" = "n" + ?). */
void rorm__pc_sql_sets(pc_sql *s, const pc_set *sets, size_t n);

#endif
