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
    PC_UPDATE_MANY_AND_RETURN,
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

/*
 * A result arena: where the JavaScript binding has rorm__pc_db_call build the result tree
 * it packs and then drops. Nodes made in it are flagged RORM_VALUE_BORROWED; the caller frees
 * everything at once with rorm__pc_rarena_dispose after packing. Nothing that outlives the
 * call (caches, schema data, messages) comes from it.
 */
typedef struct pc_rarena {
    unsigned char *free; /* the free part of the current block */
    size_t left;
    size_t next;             /* the size of the next heap block */
    rorm_vec(void *) blocks; /* heap blocks, freed by dispose */
} pc_rarena;

/* Start @p a with @p size bytes at @p mem (aligned for max_align_t; may be NULL, 0) first. */
void rorm__pc_rarena_init(pc_rarena *a, void *mem, size_t size);
void rorm__pc_rarena_dispose(pc_rarena *a);
/* @p n bytes (not zeroed, 16-aligned) until the arena is disposed; NULL when out of memory.
   The signature of rorm__value_alloc_fn (@p payload is the arena). */
void *rorm__pc_ralloc(void *payload, size_t n);

/* ---- filters ----------------------------------------------------------------------------- */

typedef enum pc_fkind {
    PF_AND,   /* all kids (none: true) */
    PF_OR,    /* any kid (none: false) */
    PF_NOT,   /* not (all kids) */
    PF_CMP,   /* field <cmp> operand */
    PF_CONST, /* TRUE or FALSE */
    PF_REL,   /* relation filter: EXISTS sub-select over the related model (rel.c) */
} pc_fkind;

/* Relation filter quantifiers (PF_REL). */
typedef enum pc_quant {
    PC_SOME,
    PC_EVERY,
    PC_NONE,
    PC_IS,
    PC_IS_NOT,
} pc_quant;

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
    /* Scalar lists: `has` (value: an element), `hasEvery` / `hasSome` / `equals` (a list),
       `isEmpty` (no operand). */
    PC_HAS,
    PC_HAS_EVERY,
    PC_HAS_SOME,
    PC_LIST_EQ,
    PC_IS_EMPTY,
    PC_NOT_EMPTY,
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
    /* PF_CMP on an order key of a related field (cursor conditions): compare its sub-select. */
    const struct pc_order *order;
    /* PF_REL: the relation field of the outer model; kids[0] the filter on the related model
       (nkids 0: `is: null` / `isNot: null`, or every related record). */
    const rorm_field *rel;
    pc_quant quant;
};

/* ---- ordering, selection, writes --------------------------------------------------------- */

#define PC_NULLS_DEFAULT 0
#define PC_NULLS_FIRST   1
#define PC_NULLS_LAST    2

typedef struct pc_order {
    const rorm_field *field;
    pc_aggfn agg; /* groupBy: order by an aggregate; with path: _count of the last relation */
    /* Order by a related field: the to-one relations followed from the query's model, then
       `field` of the last one's model (or, with agg PC_AGG_COUNT and field NULL, the number of
       records of the last, list relation). NULL/0 for the model's own fields. */
    const rorm_field **path;
    size_t npath;
    bool desc;
    int nulls; /* PC_NULLS_* */
} pc_order;

typedef enum pc_setop {
    PC_SET,
    PC_INCREMENT,
    PC_DECREMENT,
    PC_MULTIPLY,
    PC_DIVIDE,
    PC_PUSH, /* a scalar list: append the value (a list of the elements) */
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

/* A relation to load for each result record (include, or a relation in select). */
typedef struct pc_include {
    const rorm_field *field; /* the relation field of the query's model */
    const rorm_value *args;  /* nested arguments (select, include, where, ...) or NULL */
} pc_include;

/* A relation counted in `_count` (include or select), with an optional where. */
typedef struct pc_rcount {
    const rorm_field *field;
    const rorm_value *where; /* NULL: every related record */
} pc_rcount;

/* The validated query. */
typedef struct pc_query {
    pc_op op;
    rorm_db *db;
    rorm_model *model;
    pc_filter *where; /* never NULL after validation (PF_AND with no kids = everything) */
    /* Which fields the result shows, by field index (1 = shown). */
    unsigned char *shown;
    /* Fields read only to join relations on (shown, then removed from the records). */
    unsigned char *strip;
    /* Relations loaded after the main statement, one batched query per relation (rel.c). */
    pc_include *includes;
    size_t nincludes;
    pc_rcount *counts;
    size_t ncounts;
    bool has_counts; /* `_count` was asked for (the key is shown even with no relation) */
    /* Nested writes: the data names relation fields; nested.c runs the whole operation. */
    bool has_nested;
    const rorm_value *args; /* the argument object as given (NULL: none) */
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
    /* Where results are built: NULL for owned results (rorm_db_call), else a result arena
       (set by exec.c's run only; validation-only contexts leave it alone). */
    pc_rarena *res;
} pc_ctx;

/* args.c: RORM_EINVAL naming the path when @p args nest deeper than RORM_QUERY_MAX_DEPTH
   (checked without recursion). rorm__pc_parse checks it first. */
int rorm__pc_check_depth(const rorm_value *args,
                         const char *model,
                         const char *operation,
                         rorm_error *err);
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
    unsigned aliases; /* sub-select aliases made so far ("r1", "r2", ...) */
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

/*
 * Validate @p args for @p operation on @p model and compile the main statement into @p s
 * without running anything (rorm__pc_parse, then rorm__pc_sql_of): the compile-only entry for
 * tests and the fuzzer. @p ctx has its arena initialised; @p s is initialised with the dialect.
 * RORM_ENOMEM when compiling ran out of memory.
 */
int rorm__pc_compile(pc_sql *s,
                     pc_ctx *ctx,
                     rorm_db *db,
                     const char *model,
                     const char *operation,
                     const rorm_value *args);

/* A column the query reads: a field, or an aggregate of one. */
typedef struct pc_col {
    const rorm_field *field; /* NULL for COUNT(*) */
    pc_aggfn agg;
} pc_col;

/*
 * exec.c, for stream.c: the SELECT of a validated findMany with its window resolved (a cursor's
 * row is read first; @p empty is set when it does not exist) and the columns it reads.
 */
int rorm__pc_stream_sql(pc_sql *s, pc_col **cols_out, size_t *ncols_out, bool *empty, pc_ctx *ctx);
/* exec.c: the record of the current row of @p stmt, which runs rorm__pc_stream_sql's SELECT;
   @p cells is scratch room for @p ncols values. */
int rorm__pc_stream_record(rorm_value *out,
                           pc_ctx *ctx,
                           const pc_col *cols,
                           size_t ncols,
                           rorm_stmt *stmt,
                           rorm_value *cells);

typedef rorm_vec(rorm_value) pc_cells;

/* exec.c: run a SELECT and append up to @p max_rows rows of @p ncols converted cells. */
int rorm__pc_run_select(pc_ctx *ctx,
                        rorm_db *db,
                        const pc_sql *s,
                        const pc_col *cols,
                        size_t ncols,
                        size_t max_rows,
                        pc_cells *cells);
void rorm__pc_cells_dispose(pc_cells *cells);

/* ---- relations (rel.c) -------------------------------------------------------------------- */

/* How a relation field joins its model (the "outer" one) to the related model. */
typedef struct pc_link {
    const rorm_model *outer, *inner;
    /* Direct join: outer_keys[i] = inner_keys[i]. */
    const rorm_field *const *outer_keys;
    const rorm_field *const *inner_keys;
    size_t nkeys;
    bool list;     /* the field holds a list of records */
    bool outer_fk; /* the outer model holds the foreign key (to-one, owning side) */
    /* Implicit many-to-many: join table columns; outer_keys / inner_keys are the ids. */
    const char *join_table;
    const char *join_schema; /* the join table's schema or NULL */
    const char *join_outer_col, *join_inner_col;
} pc_link;

int rorm__pc_link(pc_link *out, const rorm_field *rel, rorm_error *err);
/* Keys per batched relation statement; 0 is the default (tests set a small one). */
extern size_t rorm__pc_chunk_keys;
/* Append the EXISTS condition of a PF_REL filter; @p alias qualifies the outer model. */
void rorm__pc_sql_rel_filter(pc_sql *s, const char *alias, const pc_filter *f);
/* Append the correlated sub-select of an order key with a path. */
void rorm__pc_sql_rel_order(pc_sql *s, const char *alias, const pc_order *o);
/* Load the includes and counts of ctx->q into the records of @p result (an object, an array
   of objects, or null), then remove the fields read only for joining. */
int rorm__pc_load_relations(pc_ctx *ctx, rorm_value *result);

/* nested.c: run create / update / upsert whose data has nested writes, in a transaction (or a
   savepoint), and read the result back with the query's select / include / omit. */
int rorm__pc_nested_write(rorm_value *out, pc_ctx *ctx);
/* nested.c: delete with include / _count: the record is read with its relations first, then
   deleted, in a transaction (the result shows the relations as they were). */
int rorm__pc_delete_with_relations(rorm_value *out, pc_ctx *ctx);

/*
 * exec.c: rorm_db_call, with the emulation of referential actions (relationMode "prisma") left
 * out when @p emulate is false (the emulation's own statements), building the result in @p res
 * (NULL: owned, as rorm_db_call) where the operation allows: a find (with its relations and
 * _count), count, aggregate, groupBy. Other operations return an owned result. Either way the
 * caller disposes @p result_out (a no-op on a borrowed tree), then the arena.
 */
int rorm__pc_db_call(rorm_value *result_out,
                     rorm_db *db,
                     const char *model,
                     const char *operation,
                     const rorm_value *args,
                     bool emulate,
                     pc_rarena *res,
                     rorm_error *err);

/* rel.c: the key text of @p rec over @p fields into @p out (cleared first); false when a part
   is null or missing. */
bool rorm__pc_key_of(rorm_str *out,
                     const rorm_value *rec,
                     const rorm_field *const *fields,
                     size_t n);
/* rel.c: keys per statement for a key of @p nkeys fields (under every parameter limit). */
size_t rorm__pc_chunk_for(size_t nkeys);
/* rel.c: the where member matching keys from..to of @p vals (nkeys values per key):
   `{f: {in: [...]}}`, or `{OR: [{a: x, b: y}, ...]}`; borrowed values in the arena. */
int rorm__pc_key_condition(rorm_value *out,
                           pc_ctx *ctx,
                           const rorm_field *const *fields,
                           size_t nkeys,
                           const rorm_value *const *vals,
                           size_t from,
                           size_t to);

/* emulate.c: relationMode "prisma". True when the validated query deletes records other
   records point at, or changes keys they point at, in a schema without foreign keys. */
bool rorm__pc_emulates(const pc_ctx *ctx);
/* emulate.c: run such a delete / deleteMany / update / updateMany / upsert with the
   referential actions emulated, all in one transaction. */
int rorm__pc_emulated_write(rorm_value *out, pc_ctx *ctx);

/* Dialect behaviour with a default here until every dialect has a hook (see the docs). */
/* True when NULL sorts before every value in ascending order (SQLite, MySQL). */
bool rorm__pc_nulls_smallest(const rorm_dialect *d);

/* Append @p lead (" SET ") and the assignments of an UPDATE ("a" = ?, "n" = "n" + ?); atomic
   updates read the column through @p alias when one is given ("n" = "T"."n" + ?). */
void rorm__pc_sql_sets(
    pc_sql *s, const char *lead, const char *alias, const pc_set *sets, size_t n);

#endif
