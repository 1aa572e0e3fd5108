/*
 * Relations in the Prisma Client engine: how a relation field joins two models (pc_link), the
 * EXISTS sub-selects of relation filters and the correlated sub-selects of ordering by a
 * relation (SQL text, called from sql.c), and the loading of `include` / relation `select` and
 * `_count` after the main statement.
 *
 * Loading takes a fixed number of statements per relation, whatever the number of parent
 * records: the parents' keys are collected and deduplicated, the related records are read with
 * one findMany per chunk of keys (`key IN (...)`, or `(a = ? AND b = ?) OR ...` for composite
 * keys; chunks stay under every database's parameter limit), grouped by key in a hash map and
 * handed to their parents. An implicit many-to-many relation reads its join table first (one
 * more statement). The nested findMany loads the next level the same way. `take`, `skip`,
 * `cursor` and `distinct` inside an include apply to each parent's list, in memory.
 */
#include "query/prisma/pc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/value.h"
#include "rediorm/sys/driver.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/map.h"

/* Keys per statement: with composite keys each one takes several parameters. SQLite allows
   32766 parameters, PostgreSQL and MySQL 65535; room is left for the include's own where. */
#define PC_CHUNK_PARAMS 30000

size_t rorm__pc_chunk_keys = 0; /* tests: a smaller chunk (0: the default) */

int rorm__pc_link(pc_link *out, const rorm_field *rel, rorm_error *err)
{
    memset(out, 0, sizeof *out);
    const rorm_relation *r = rel->type == RORM_FIELD_RELATION ? rel->relation : NULL;
    if (r == NULL || r->model == NULL) {
        return rorm__error(err, RORM_EINVAL, "`%s.%s` is not a resolved relation field",
                           rel->model->name, rel->name);
    }
    out->outer = rel->model;
    out->inner = r->model;
    out->list = (rel->flags & RORM_LIST) != 0;
    if (r->join_table && r->join_self_column && r->join_a_ref && r->join_b_ref) {
        bool self_a = strcmp(r->join_self_column, "A") == 0;
        out->outer_keys = (const rorm_field *const *)(self_a ? &r->join_a_ref : &r->join_b_ref);
        out->inner_keys = (const rorm_field *const *)(self_a ? &r->join_b_ref : &r->join_a_ref);
        out->nkeys = 1;
        out->join_table = r->join_table;
        out->join_schema = rorm__join_table_schema(r);
        out->join_outer_col = r->join_self_column;
        out->join_inner_col = r->join_other_column;
        return RORM_OK;
    }
    if (r->nfields > 0 && r->nfields == r->nreferences) {
        out->outer_keys = (const rorm_field *const *)r->fields;
        out->inner_keys = (const rorm_field *const *)r->references;
        out->nkeys = r->nfields;
        out->outer_fk = true;
        return RORM_OK;
    }
    const rorm_relation *o = r->opposite ? r->opposite->relation : NULL;
    if (o && o->nfields > 0 && o->nfields == o->nreferences) {
        out->outer_keys = (const rorm_field *const *)o->references;
        out->inner_keys = (const rorm_field *const *)o->fields;
        out->nkeys = o->nfields;
        return RORM_OK;
    }
    return rorm__error(err, RORM_EUNSUPPORTED,
                       "relation `%s.%s` has no foreign key or join table to follow",
                       rel->model->name, rel->name);
}

/* ---- SQL: relation filters and ordering --------------------------------------------------- */

static void put(pc_sql *s, const char *text)
{
    rorm__str_puts(&s->text, text);
}

static void new_alias(pc_sql *s, char *buf, size_t size)
{
    snprintf(buf, size, "r%u", ++s->aliases);
}

/* " FROM inner AS a WHERE <a joined to the outer row q>" (join tables: two aliases). */
static void link_from(pc_sql *s, const pc_link *l, const char *q, const char *a)
{
    put(s, " FROM ");
    if (l->join_table) {
        char j[16];
        new_alias(s, j, sizeof j);
        rorm__dialect_qualified(&s->text, s->d, l->join_schema, l->join_table);
        put(s, " AS ");
        s->d->quote_ident(&s->text, j);
        put(s, ", ");
        rorm__dialect_table(&s->text, s->d, l->inner);
        put(s, " AS ");
        s->d->quote_ident(&s->text, a);
        put(s, " WHERE ");
        s->d->quote_ident(&s->text, j);
        put(s, ".");
        s->d->quote_ident(&s->text, l->join_outer_col);
        put(s, " = ");
        rorm__pc_sql_column(s, q, l->outer_keys[0]);
        put(s, " AND ");
        s->d->quote_ident(&s->text, j);
        put(s, ".");
        s->d->quote_ident(&s->text, l->join_inner_col);
        put(s, " = ");
        rorm__pc_sql_column(s, a, l->inner_keys[0]);
        return;
    }
    rorm__dialect_table(&s->text, s->d, l->inner);
    put(s, " AS ");
    s->d->quote_ident(&s->text, a);
    put(s, " WHERE ");
    for (size_t k = 0; k < l->nkeys; k++) {
        put(s, k ? " AND " : "");
        rorm__pc_sql_column(s, a, l->inner_keys[k]);
        put(s, " = ");
        rorm__pc_sql_column(s, q, l->outer_keys[k]);
    }
}

void rorm__pc_sql_rel_filter(pc_sql *s, const char *alias, const pc_filter *f)
{
    pc_link l;
    if (rorm__pc_link(&l, f->rel, NULL) != RORM_OK) {
        put(s, "1=0"); /* validated by args.c: not reached */
        return;
    }
    const char *q = alias ? alias : l.outer->table;
    bool has_sub = f->nkids > 0;
    if (!l.list && !has_sub && l.outer_fk) {
        /* `is: null` / `isNot: null` on the side holding the foreign key. */
        for (size_t k = 0; k < l.nkeys; k++) {
            put(s, k ? (f->quant == PC_IS ? " OR " : " AND ") : "");
            rorm__pc_sql_column(s, q, l.outer_keys[k]);
            put(s, f->quant == PC_IS ? " IS NULL" : " IS NOT NULL");
        }
        return;
    }
    bool negate;
    switch (f->quant) {
    case PC_EVERY:
    case PC_NONE:
    case PC_IS_NOT:
        negate = true;
        break;
    default:
        negate = false;
        break;
    }
    if (!l.list && !has_sub) {
        negate = !negate; /* is null: no related record */
    }
    char a[16];
    new_alias(s, a, sizeof a);
    put(s, negate ? "NOT EXISTS (SELECT 1" : "EXISTS (SELECT 1");
    link_from(s, &l, q, a);
    if (has_sub) {
        put(s, f->quant == PC_EVERY ? " AND NOT (" : " AND (");
        rorm__pc_sql_filter(s, a, f->kids[0]);
        put(s, ")");
    }
    put(s, ")");
}

static void rel_order_at(pc_sql *s, const char *q, const pc_order *o, size_t i)
{
    pc_link l;
    if (rorm__pc_link(&l, o->path[i], NULL) != RORM_OK) {
        put(s, "NULL");
        return;
    }
    char a[16];
    new_alias(s, a, sizeof a);
    put(s, "(SELECT ");
    if (i + 1 < o->npath) {
        rel_order_at(s, a, o, i + 1);
    } else if (o->agg == PC_AGG_COUNT) {
        put(s, "COUNT(*)");
    } else {
        rorm__pc_sql_column(s, a, o->field);
    }
    link_from(s, &l, q, a);
    put(s, ")");
}

void rorm__pc_sql_rel_order(pc_sql *s, const char *alias, const pc_order *o)
{
    rel_order_at(s, alias ? alias : o->path[0]->model->table, o, 0);
}

/* ---- loading: keys ------------------------------------------------------------------------ */

/* A record's member @p name, or NULL. */
static const rorm_value *member(const rorm_value *rec, const char *name)
{
    return rec && rec->type == RORM_TYPE_OBJECT ? rorm_value_object_get(rec, name) : NULL;
}

/* Append the text of one key value; false for null (no related record). */
static bool key_part(rorm_str *out, const rorm_value *v)
{
    if (v == NULL) {
        return false;
    }
    switch (v->type) {
    case RORM_TYPE_INT:
        rorm__str_putc(out, 'i');
        rorm__str_put_int(out, v->u.i);
        break;
    case RORM_TYPE_DATETIME:
        rorm__str_putc(out, 'd');
        rorm__str_put_int(out, v->u.ms);
        break;
    case RORM_TYPE_BOOL:
        rorm__str_puts(out, v->u.b ? "b1" : "b0");
        break;
    case RORM_TYPE_DOUBLE:
        /* An integral double keys as the integer (JavaScript numbers meet Int columns). */
        if (v->u.d >= -9007199254740992.0 && v->u.d <= 9007199254740992.0 &&
            v->u.d == (double)(int64_t)v->u.d) {
            rorm__str_putc(out, 'i');
            rorm__str_put_int(out, (int64_t)v->u.d);
        } else {
            rorm__str_printf(out, "f%.17g", v->u.d);
        }
        break;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        rorm__str_printf(out, "s%zu:", v->u.s.len);
        rorm__str_put(out, v->u.s.ptr, v->u.s.len);
        break;
    case RORM_TYPE_BYTES:
        rorm__str_printf(out, "x%zu:", v->u.bytes.len);
        rorm__str_put(out, (const char *)v->u.bytes.ptr, v->u.bytes.len);
        break;
    default:
        return false;
    }
    rorm__str_putc(out, ';');
    return true;
}

bool rorm__pc_key_of(rorm_str *out,
                     const rorm_value *rec,
                     const rorm_field *const *fields,
                     size_t n)
{
    rorm__str_clear(out);
    for (size_t k = 0; k < n; k++) {
        if (!key_part(out, member(rec, fields[k]->name))) {
            return false;
        }
    }
    return true;
}

/* The records of a result: the object itself, or the array's objects. */
static int result_records(rorm_value ***out, size_t *n_out, pc_ctx *ctx, rorm_value *result)
{
    size_t n = result->type == RORM_TYPE_ARRAY    ? result->u.arr.len
               : result->type == RORM_TYPE_OBJECT ? 1
                                                  : 0;
    rorm_value **recs = rorm__pc_alloc(&ctx->arena, (n + 1) * sizeof *recs);
    if (recs == NULL) {
        return rorm__error_oom(ctx->err);
    }
    for (size_t i = 0; i < n; i++) {
        recs[i] = result->type == RORM_TYPE_ARRAY ? &result->u.arr.items[i] : result;
    }
    *out = recs;
    *n_out = n;
    return RORM_OK;
}

/*
 * The distinct keys of the parents: slot numbers in @p slots (key text -> slot + 1), the key
 * values of slot i at vals[i * nkeys ...] (borrowed from the records).
 */
typedef struct keyset {
    rorm_map slots;
    rorm_vec(const rorm_value *) vals;
    size_t nkeys;
    size_t n;
} keyset;

static void keyset_dispose(keyset *ks)
{
    rorm__map_dispose(&ks->slots);
    rorm_vec_free(&ks->vals);
}

static int keyset_build(keyset *ks,
                        pc_ctx *ctx,
                        rorm_value **recs,
                        size_t n,
                        const rorm_field *const *fields,
                        size_t nkeys)
{
    rorm__map_init(&ks->slots, NULL);
    ks->vals.ptr = NULL;
    ks->vals.len = ks->vals.cap = 0;
    ks->nkeys = nkeys;
    ks->n = 0;
    rorm_str key = RORM_STR_INIT;
    int rc = RORM_OK;
    for (size_t i = 0; rc == RORM_OK && i < n; i++) {
        if (!rorm__pc_key_of(&key, recs[i], fields, nkeys) ||
            rorm__map_has(&ks->slots, key.ptr, key.len)) {
            continue;
        }
        if (rorm__str_oom(&key) ||
            rorm__map_set(&ks->slots, key.ptr, key.len, (void *)(uintptr_t)(ks->n + 1)) != 0) {
            rc = rorm__error_oom(ctx->err);
            break;
        }
        for (size_t k = 0; k < nkeys; k++) {
            if (rorm_vec_push(&ks->vals, member(recs[i], fields[k]->name)) != 0) {
                rc = rorm__error_oom(ctx->err);
            }
        }
        ks->n++;
    }
    rorm__str_dispose(&key);
    return rc;
}

/* The slot of @p rec's key, or SIZE_MAX. */
static size_t
keyset_slot(const keyset *ks, rorm_str *key, const rorm_value *rec, const rorm_field *const *fields)
{
    if (!rorm__pc_key_of(key, rec, fields, ks->nkeys)) {
        return SIZE_MAX;
    }
    void *v = rorm__map_get(&ks->slots, key->ptr, key->len);
    return v ? (size_t)(uintptr_t)v - 1 : SIZE_MAX;
}

/* Composite keys are matched by an OR of ANDs, which SQLite nests as a tree of limited depth
   (1000): they go in smaller chunks. */
#define PC_CHUNK_COMPOSITE 200

size_t rorm__pc_chunk_for(size_t nkeys)
{
    size_t per = rorm__pc_chunk_keys ? rorm__pc_chunk_keys : PC_CHUNK_PARAMS / (nkeys ? nkeys : 1);
    if (nkeys > 1 && per > PC_CHUNK_COMPOSITE) {
        per = PC_CHUNK_COMPOSITE;
    }
    return per ? per : 1;
}

/*
 * The where member "fields match one of the keys from..to": `{f: {in: [...]}}`, or for several
 * fields `{OR: [{a: x, b: y}, ...]}`. Built from borrowed values in the arena.
 */
int rorm__pc_key_condition(rorm_value *out,
                           pc_ctx *ctx,
                           const rorm_field *const *fields,
                           size_t nkeys,
                           const rorm_value *const *vals,
                           size_t from,
                           size_t to)
{
    size_t n = to - from;
    if (nkeys == 1) {
        rorm_value *items = rorm__pc_alloc(&ctx->arena, (n + 1) * sizeof *items);
        rorm_member *in = rorm__pc_alloc(&ctx->arena, sizeof *in);
        rorm_member *top = rorm__pc_alloc(&ctx->arena, sizeof *top);
        if (items == NULL || in == NULL || top == NULL) {
            return rorm__error_oom(ctx->err);
        }
        for (size_t i = 0; i < n; i++) {
            items[i] = *vals[from + i];
            items[i].flags |= RORM_VALUE_BORROWED;
        }
        in->key = "in";
        in->value = RORM_ARRAY_N(items, n);
        top->key = fields[0]->name;
        top->value = RORM_OBJECT_N(in, 1);
        *out = RORM_OBJECT_N(top, 1);
        return RORM_OK;
    }
    rorm_value *alts = rorm__pc_alloc(&ctx->arena, (n + 1) * sizeof *alts);
    rorm_member *mems = rorm__pc_alloc(&ctx->arena, (n * nkeys + 1) * sizeof *mems);
    rorm_member *top = rorm__pc_alloc(&ctx->arena, sizeof *top);
    if (alts == NULL || mems == NULL || top == NULL) {
        return rorm__error_oom(ctx->err);
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < nkeys; k++) {
            rorm_member *m = &mems[i * nkeys + k];
            m->key = fields[k]->name;
            m->value = *vals[(from + i) * nkeys + k];
            m->value.flags |= RORM_VALUE_BORROWED;
        }
        alts[i] = RORM_OBJECT_N(&mems[i * nkeys], nkeys);
    }
    top->key = "OR";
    top->value = RORM_ARRAY_N(alts, n);
    *out = RORM_OBJECT_N(top, 1);
    return RORM_OK;
}

/* ---- loading: the nested findMany --------------------------------------------------------- */

/* The in-memory window of an include: per parent list. */
typedef struct list_window {
    bool has_take;
    int64_t take, skip;
    const rorm_value *cursor;   /* {field: value, ...} */
    const rorm_value *distinct; /* a name or an array of names */
} list_window;

/* Names a nested select must show for the loader, removed from the records afterwards. */
typedef struct needed {
    const char *names[64];
    size_t n;
} needed;

static void need(needed *nd, const char *name)
{
    for (size_t i = 0; i < nd->n; i++) {
        if (strcmp(nd->names[i], name) == 0) {
            return;
        }
    }
    if (nd->n < sizeof nd->names / sizeof nd->names[0]) {
        nd->names[nd->n++] = name;
    }
}

/*
 * The arguments of the nested findMany: the include's own (select, include, omit, where,
 * orderBy) with the key condition ANDed to its where, the fields the loader needs shown, and the
 * primary key as the default order. Fills @p win with the per-parent window and @p strip with
 * the names to remove afterwards.
 */
static int nested_args(rorm_value *out,
                       needed *strip,
                       list_window *win,
                       pc_ctx *ctx,
                       const pc_link *l,
                       const rorm_value *args,
                       const rorm_value *keycond,
                       const rorm_field *const *keyfields,
                       size_t nkeyfields)
{
    memset(win, 0, sizeof *win);
    strip->n = 0;
    const rorm_model *m = l->inner;
    size_t nin = args ? args->u.obj.len : 0;
    rorm_member *mems = rorm__pc_alloc(&ctx->arena, (nin + 4) * sizeof *mems);
    if (mems == NULL) {
        return rorm__error_oom(ctx->err);
    }
    size_t n = 0;
    const rorm_value *where = NULL, *select = NULL, *omit = NULL, *order = NULL;
    for (size_t i = 0; i < nin; i++) {
        const rorm_member *a = &args->u.obj.items[i];
        if (a->value.type == RORM_TYPE_NULL) {
            continue;
        }
        if (strcmp(a->key, "where") == 0) {
            where = &a->value;
        } else if (strcmp(a->key, "select") == 0) {
            select = &a->value;
        } else if (strcmp(a->key, "omit") == 0) {
            omit = &a->value;
        } else if (strcmp(a->key, "orderBy") == 0) {
            order = &a->value;
        } else if (strcmp(a->key, "take") == 0 || strcmp(a->key, "skip") == 0) {
            /* Checked by the validation of the include (an Int, or an integral double as
               JavaScript numbers come). */
            int64_t v = a->value.type == RORM_TYPE_DOUBLE ? (int64_t)a->value.u.d : a->value.u.i;
            if (a->key[0] == 't') {
                win->has_take = true;
                win->take = v;
            } else {
                win->skip = v;
            }
        } else if (strcmp(a->key, "cursor") == 0) {
            if (a->value.type != RORM_TYPE_OBJECT) {
                return rorm__error(ctx->err, RORM_EINVAL, "Argument `cursor`: expected an object");
            }
            win->cursor = &a->value;
        } else if (strcmp(a->key, "distinct") == 0) {
            win->distinct = &a->value;
        } else {
            mems[n++] = *a; /* include, and unknown keys for findMany to report */
        }
    }
    /* Fields the loader reads from the related records. */
    needed want = { .n = 0 };
    for (size_t k = 0; k < nkeyfields; k++) {
        need(&want, keyfields[k]->name);
    }
    for (size_t i = 0; win->cursor && i < win->cursor->u.obj.len; i++) {
        need(&want, win->cursor->u.obj.items[i].key);
    }
    if (win->distinct && win->distinct->type == RORM_TYPE_TEXT) {
        need(&want, win->distinct->u.s.ptr);
    }
    for (size_t i = 0;
         win->distinct && win->distinct->type == RORM_TYPE_ARRAY && i < win->distinct->u.arr.len;
         i++) {
        if (win->distinct->u.arr.items[i].type == RORM_TYPE_TEXT) {
            need(&want, win->distinct->u.arr.items[i].u.s.ptr);
        }
    }
    if (select && select->type == RORM_TYPE_OBJECT) {
        rorm_member *sm =
            rorm__pc_alloc(&ctx->arena, (select->u.obj.len + want.n + 1) * sizeof *sm);
        if (sm == NULL) {
            return rorm__error_oom(ctx->err);
        }
        size_t sn = 0;
        for (size_t i = 0; i < select->u.obj.len; i++) {
            sm[sn++] = select->u.obj.items[i];
        }
        for (size_t w = 0; w < want.n; w++) {
            const rorm_value *v = rorm_value_object_get(select, want.names[w]);
            if (v == NULL || !(v->type == RORM_TYPE_BOOL && v->u.b)) {
                need(strip, want.names[w]);
                bool found = false;
                for (size_t i = 0; i < sn; i++) {
                    if (strcmp(sm[i].key, want.names[w]) == 0) {
                        sm[i].value = RORM_BOOL(true);
                        found = true;
                    }
                }
                if (!found) {
                    sm[sn].key = want.names[w];
                    sm[sn++].value = RORM_BOOL(true);
                }
            }
        }
        mems[n].key = "select";
        mems[n++].value = RORM_OBJECT_N(sm, sn);
    } else if (select) {
        mems[n].key = "select";
        mems[n++].value = *select;
    }
    if (omit && omit->type == RORM_TYPE_OBJECT) {
        rorm_member *om = rorm__pc_alloc(&ctx->arena, (omit->u.obj.len + 1) * sizeof *om);
        if (om == NULL) {
            return rorm__error_oom(ctx->err);
        }
        for (size_t i = 0; i < omit->u.obj.len; i++) {
            om[i] = omit->u.obj.items[i];
            for (size_t w = 0; w < want.n; w++) {
                if (strcmp(om[i].key, want.names[w]) == 0 && om[i].value.type == RORM_TYPE_BOOL &&
                    om[i].value.u.b) {
                    om[i].value = RORM_BOOL(false);
                    need(strip, want.names[w]);
                }
            }
        }
        mems[n].key = "omit";
        mems[n++].value = RORM_OBJECT_N(om, omit->u.obj.len);
    } else if (omit) {
        mems[n].key = "omit";
        mems[n++].value = *omit;
    }
    /* where: the include's own AND the keys. */
    if (where) {
        rorm_value *both = rorm__pc_alloc(&ctx->arena, 2 * sizeof *both);
        rorm_member *and = rorm__pc_alloc(&ctx->arena, sizeof *and);
        if (both == NULL || and == NULL) {
            return rorm__error_oom(ctx->err);
        }
        both[0] = *where;
        both[1] = *keycond;
        and->key = "AND";
        and->value = RORM_ARRAY_N(both, 2);
        mems[n].key = "where";
        mems[n++].value = RORM_OBJECT_N(and, 1);
    } else {
        mems[n].key = "where";
        mems[n++].value = *keycond;
    }
    /* orderBy: the include's, else the primary key (a stable order for every database). */
    if (order) {
        mems[n].key = "orderBy";
        mems[n++].value = *order;
    } else if (m->pk.len > 0) {
        /* The keys the records are grouped by come first, then the primary key: each parent
           still gets its records in primary-key order, and the database can read them in the
           order of the key's index instead of sorting every record by the primary key. */
        size_t max = nkeyfields + m->pk.len, no = 0;
        rorm_member *om = rorm__pc_alloc(&ctx->arena, max * sizeof *om);
        rorm_value *items = rorm__pc_alloc(&ctx->arena, max * sizeof *items);
        if (om == NULL || items == NULL) {
            return rorm__error_oom(ctx->err);
        }
        for (size_t k = 0; k < nkeyfields; k++) {
            bool in_pk = false;
            for (size_t j = 0; j < m->pk.len; j++) {
                in_pk |= m->pk.ptr[j] == keyfields[k];
            }
            if (!in_pk) {
                om[no++] = (rorm_member){ keyfields[k]->name, RORM_TEXT("asc") };
            }
        }
        for (size_t k = 0; k < m->pk.len; k++) {
            om[no++] = (rorm_member){ m->pk.ptr[k]->name, RORM_TEXT("asc") };
        }
        for (size_t k = 0; k < no; k++) {
            items[k] = RORM_OBJECT_N(&om[k], 1);
        }
        mems[n].key = "orderBy";
        mems[n++].value = RORM_ARRAY_N(items, no);
    }
    *out = RORM_OBJECT_N(mems, n);
    return RORM_OK;
}

/*
 * Move the items of array @p from to the end of array @p to: the first part is taken whole;
 * later ones are appended to an owned array (whose items may be borrowed records of the result
 * arena, which the array does not free).
 */
static int append_items(pc_ctx *ctx, rorm_value *to, rorm_value *from)
{
    if (to->type != RORM_TYPE_ARRAY ||
        (to->u.arr.len == 0 && to->u.arr.items == NULL && from->type == RORM_TYPE_ARRAY)) {
        rorm_value_dispose(to);
        rorm_value_move(to, from);
        return RORM_OK;
    }
    if ((to->flags & RORM_VALUE_BORROWED) != 0) {
        /* A part in the result arena: its items go into an owned array that can grow. */
        size_t n = to->u.arr.len;
        rorm_value *items = rorm__malloc((n + 1) * sizeof *items);
        if (items == NULL) {
            return rorm__error_oom(ctx->err); /* to and from are the arena's */
        }
        memcpy(items, to->u.arr.items, n * sizeof *items);
        rorm_value_init_array(to);
        to->u.arr.items = items;
        to->u.arr.len = n;
        to->u.arr.cap = n + 1;
    }
    int rc = RORM_OK;
    for (size_t i = 0; rc == RORM_OK && i < from->u.arr.len; i++) {
        if (rorm_value_array_push_take(to, &from->u.arr.items[i]) != RORM_OK) {
            rc = rorm__error_oom(ctx->err);
        }
    }
    rorm_value_dispose(from); /* what was not moved goes with it */
    return rc;
}

/* Whether @p rec's fields equal every member of @p cursor (the cursor converted as a where). */
static bool cursor_matches(const rorm_value *rec, const rorm_value *cursor)
{
    for (size_t i = 0; i < cursor->u.obj.len; i++) {
        const rorm_member *c = &cursor->u.obj.items[i];
        const rorm_value *v = member(rec, c->key);
        const rorm_value *want = &c->value;
        if (want->type == RORM_TYPE_OBJECT) {
            want = rorm_value_object_get(want, "equals");
        }
        if (v == NULL || want == NULL) {
            return false;
        }
        if (!rorm_value_equal(v, want)) {
            /* JSON numbers for Float fields, texts for dates: compare by key text. */
            rorm_str a = RORM_STR_INIT, b = RORM_STR_INIT;
            bool same = key_part(&a, v) && key_part(&b, want) && a.len == b.len &&
                        memcmp(a.ptr, b.ptr, a.len) == 0;
            rorm__str_dispose(&a);
            rorm__str_dispose(&b);
            if (!same) {
                return false;
            }
        }
    }
    return true;
}

static bool distinct_same(const rorm_value *a, const rorm_value *b, const rorm_value *distinct)
{
    size_t n = distinct->type == RORM_TYPE_ARRAY ? distinct->u.arr.len : 1;
    for (size_t i = 0; i < n; i++) {
        const rorm_value *name =
            distinct->type == RORM_TYPE_ARRAY ? &distinct->u.arr.items[i] : distinct;
        if (name->type != RORM_TYPE_TEXT) {
            continue;
        }
        const rorm_value *x = member(a, name->u.s.ptr), *y = member(b, name->u.s.ptr);
        if (x == NULL || y == NULL || !rorm_value_equal(x, y)) {
            return false;
        }
    }
    return true;
}

/*
 * Apply the window to one parent's list of related records (indexes into @p kids, in the
 * query's order); returns the new length.
 */
static size_t apply_window(size_t *idx, size_t n, const list_window *w, const rorm_value *kids)
{
    if (w->distinct) {
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            bool dup = false;
            for (size_t p = 0; p < kept && !dup; p++) {
                dup = distinct_same(&kids[idx[p]], &kids[idx[i]], w->distinct);
            }
            if (!dup) {
                idx[kept++] = idx[i];
            }
        }
        n = kept;
    }
    size_t start = 0, end = n;
    if (w->cursor) {
        size_t at = n;
        for (size_t i = 0; i < n && at == n; i++) {
            if (cursor_matches(&kids[idx[i]], w->cursor)) {
                at = i;
            }
        }
        if (at == n) {
            return 0; /* the cursor is not in this list */
        }
        if (w->has_take && w->take < 0) {
            end = at + 1;
        } else {
            start = at;
        }
    }
    uint64_t skip = (uint64_t)w->skip;
    if (w->has_take && w->take < 0) {
        uint64_t take = w->take == INT64_MIN ? UINT64_MAX : (uint64_t)(-w->take);
        end = skip < end - start ? end - (size_t)skip : start;
        start = take < end - start ? end - (size_t)take : start;
    } else {
        start = skip < end - start ? start + (size_t)skip : end;
        if (w->has_take) {
            uint64_t take = (uint64_t)w->take;
            end = take < end - start ? start + (size_t)take : end;
        }
    }
    if (start > 0 && end > start) {
        memmove(idx, idx + start, (end - start) * sizeof *idx);
    }
    return end > start ? end - start : 0;
}

/* A (parent slot, related record) pair. */
typedef struct pair {
    size_t slot, kid;
} pair;

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->slot != y->slot) {
        return x->slot < y->slot ? -1 : 1;
    }
    return x->kid < y->kid ? -1 : x->kid > y->kid;
}

/* Remove members named in @p nd from every record of array @p kids. */
static void strip_members(rorm_value *kids, const needed *nd)
{
    for (size_t i = 0; nd->n && kids->type == RORM_TYPE_ARRAY && i < kids->u.arr.len; i++) {
        rorm_value *rec = &kids->u.arr.items[i];
        if (rec->type != RORM_TYPE_OBJECT) {
            continue;
        }
        size_t kept = 0;
        for (size_t j = 0; j < rec->u.obj.len; j++) {
            rorm_member *mem = &rec->u.obj.items[j];
            bool drop = false;
            for (size_t k = 0; k < nd->n && !drop; k++) {
                drop = strcmp(mem->key, nd->names[k]) == 0;
            }
            if (drop) {
                rorm__value_member_dispose(rec, mem);
            } else {
                rec->u.obj.items[kept++] = *mem;
            }
        }
        rec->u.obj.len = kept;
    }
}

/* Read the join table rows (outer id, inner id) of the parents' keys into @p cells. */
static int read_join_rows(pc_cells *cells, pc_ctx *ctx, const pc_link *l, const keyset *ks)
{
    pc_col cols[2] = { { l->outer_keys[0], PC_AGG_NONE }, { l->inner_keys[0], PC_AGG_NONE } };
    size_t per = rorm__pc_chunk_for(1);
    int rc = RORM_OK;
    for (size_t from = 0; rc == RORM_OK && from < ks->n; from += per) {
        size_t to = ks->n - from < per ? ks->n : from + per;
        pc_sql s;
        rorm__pc_sql_init(&s, ctx->q.db->dialect);
        put(&s, "SELECT ");
        s.d->quote_ident(&s.text, l->join_outer_col);
        put(&s, ", ");
        s.d->quote_ident(&s.text, l->join_inner_col);
        put(&s, " FROM ");
        rorm__dialect_qualified(&s.text, s.d, l->join_schema, l->join_table);
        put(&s, " WHERE ");
        s.d->quote_ident(&s.text, l->join_outer_col);
        put(&s, " IN (");
        for (size_t i = from; i < to; i++) {
            put(&s, i > from ? ", " : "");
            rorm__pc_sql_param(&s, ks->vals.ptr[i]);
        }
        put(&s, ")");
        rc = rorm__pc_run_select(ctx, ctx->q.db, &s, cols, 2, SIZE_MAX, cells);
        rorm__pc_sql_dispose(&s);
    }
    return rc;
}

/* The allocator of results: the result arena's, or NULL for owned results. */
static rorm__value_alloc_fn res_alloc(const pc_ctx *ctx)
{
    return ctx->res ? rorm__pc_ralloc : NULL;
}

/* Load one included relation into every record of @p recs. */
static int load_include(pc_ctx *ctx, rorm_value **recs, size_t nrecs, const pc_include *inc)
{
    pc_link l;
    int rc = rorm__pc_link(&l, inc->field, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    keyset ks;
    rc = keyset_build(&ks, ctx, recs, nrecs, l.outer_keys, l.nkeys);
    pc_cells join = { 0 };
    rorm_value kids;
    rorm_value_init(&kids);
    rorm_value_init_array(&kids);
    rorm_str key = RORM_STR_INIT;
    rorm_vec(pair) pairs = { 0 };
    needed strip = { .n = 0 };
    list_window win;
    memset(&win, 0, sizeof win);
    /* The keys the related records are read by, and the fields they are matched on. */
    const rorm_field *const *kfields = l.inner_keys;
    keyset inner_ids;
    bool have_inner = false;
    if (rc == RORM_OK && l.join_table && ks.n > 0) {
        rc = read_join_rows(&join, ctx, &l, &ks);
        if (rc == RORM_OK) {
            /* The distinct ids of the related records, as a keyset over fake records. */
            rorm__map_init(&inner_ids.slots, NULL);
            inner_ids.vals.ptr = NULL;
            inner_ids.vals.len = inner_ids.vals.cap = 0;
            inner_ids.nkeys = 1;
            inner_ids.n = 0;
            have_inner = true;
            for (size_t i = 1; rc == RORM_OK && i < join.len; i += 2) {
                rorm__str_clear(&key);
                if (!key_part(&key, &join.ptr[i]) ||
                    rorm__map_has(&inner_ids.slots, key.ptr, key.len)) {
                    continue;
                }
                if (rorm__str_oom(&key) ||
                    rorm__map_set(&inner_ids.slots, key.ptr, key.len,
                                  (void *)(uintptr_t)(inner_ids.n + 1)) != 0 ||
                    rorm_vec_push(&inner_ids.vals, &join.ptr[i]) != 0) {
                    rc = rorm__error_oom(ctx->err);
                }
                inner_ids.n++;
            }
        }
    }
    const keyset *by = have_inner ? &inner_ids : &ks;
    size_t per = rorm__pc_chunk_for(l.nkeys);
    for (size_t from = 0; rc == RORM_OK && from < by->n; from += per) {
        size_t to = by->n - from < per ? by->n : from + per;
        rorm_value cond, args, part;
        rc = rorm__pc_key_condition(&cond, ctx, kfields, have_inner ? 1 : l.nkeys, by->vals.ptr,
                                    from, to);
        if (rc == RORM_OK) {
            rc = nested_args(&args, &strip, &win, ctx, &l, inc->args, &cond, kfields,
                             have_inner ? 1 : l.nkeys);
        }
        if (rc == RORM_OK) {
            rc = rorm__pc_db_call(&part, ctx->q.db, l.inner->name, "findMany", &args, true,
                                  ctx->res, ctx->err);
        }
        if (rc == RORM_OK) {
            rc = append_items(ctx, &kids, &part);
        }
    }
    /* Pair every related record with the parents' slots, in the related records' order. */
    if (rc == RORM_OK && have_inner) {
        /* related id -> record index */
        rorm_map at;
        rorm__map_init(&at, NULL);
        for (size_t i = 0; rc == RORM_OK && i < kids.u.arr.len; i++) {
            if (rorm__pc_key_of(&key, &kids.u.arr.items[i], kfields, 1) &&
                rorm__map_set(&at, key.ptr, key.len, (void *)(uintptr_t)(i + 1)) != 0) {
                rc = rorm__error_oom(ctx->err);
            }
        }
        for (size_t i = 0; rc == RORM_OK && i + 1 < join.len; i += 2) {
            rorm__str_clear(&key);
            if (!key_part(&key, &join.ptr[i + 1])) {
                continue;
            }
            void *kid = rorm__map_get(&at, key.ptr, key.len);
            rorm__str_clear(&key);
            if (kid == NULL || !key_part(&key, &join.ptr[i])) {
                continue;
            }
            void *slot = rorm__map_get(&ks.slots, key.ptr, key.len);
            pair p = { (size_t)(uintptr_t)slot - 1, (size_t)(uintptr_t)kid - 1 };
            if (slot && rorm_vec_push(&pairs, p) != 0) {
                rc = rorm__error_oom(ctx->err);
            }
        }
        rorm__map_dispose(&at);
    } else if (rc == RORM_OK) {
        for (size_t i = 0; rc == RORM_OK && i < kids.u.arr.len; i++) {
            size_t slot = keyset_slot(&ks, &key, &kids.u.arr.items[i], kfields);
            pair p = { slot, i };
            if (slot != SIZE_MAX && rorm_vec_push(&pairs, p) != 0) {
                rc = rorm__error_oom(ctx->err);
            }
        }
    }
    if (rc == RORM_OK && pairs.len > 1 && have_inner) {
        qsort(pairs.ptr, pairs.len, sizeof *pairs.ptr, pair_cmp);
    } else if (rc == RORM_OK && pairs.len > 1) {
        /* Already in the related records' order: a stable counting sort by slot. */
        size_t *at = rorm__malloc((ks.n + 1) * sizeof *at);
        pair *sorted = rorm__malloc(pairs.len * sizeof *sorted);
        if (at == NULL || sorted == NULL) {
            rc = rorm__error_oom(ctx->err);
        } else {
            memset(at, 0, (ks.n + 1) * sizeof *at);
            for (size_t p = 0; p < pairs.len; p++) {
                at[pairs.ptr[p].slot + 1]++;
            }
            for (size_t slot = 1; slot <= ks.n; slot++) {
                at[slot] += at[slot - 1];
            }
            for (size_t p = 0; p < pairs.len; p++) {
                sorted[at[pairs.ptr[p].slot]++] = pairs.ptr[p];
            }
            memcpy(pairs.ptr, sorted, pairs.len * sizeof *sorted);
        }
        rorm__free(at);
        rorm__free(sorted);
    }
    /* Slot -> range of pairs. */
    size_t *first = NULL;
    size_t *idx = NULL;
    rorm_value **home = NULL;
    if (rc == RORM_OK) {
        first = rorm__malloc((ks.n + 1) * sizeof *first);
        idx = rorm__malloc((pairs.len + 1) * sizeof *idx);
        home = rorm__malloc((kids.u.arr.len + 1) * sizeof *home);
        if (first == NULL || idx == NULL || home == NULL) {
            rc = rorm__error_oom(ctx->err);
        } else {
            memset(home, 0, (kids.u.arr.len + 1) * sizeof *home);
            size_t p = 0;
            for (size_t slot = 0; slot <= ks.n; slot++) {
                while (p < pairs.len && pairs.ptr[p].slot < slot) {
                    p++;
                }
                first[slot] = p;
            }
        }
    }
    for (size_t r = 0; rc == RORM_OK && r < nrecs; r++) {
        size_t slot = keyset_slot(&ks, &key, recs[r], l.outer_keys);
        size_t n = 0;
        if (slot != SIZE_MAX) {
            for (size_t p = first[slot]; p < first[slot + 1]; p++) {
                idx[n++] = pairs.ptr[p].kid;
            }
        }
        if (l.list) {
            n = apply_window(idx, n, &win, kids.u.arr.items);
        } else if (n > 1) {
            n = 1;
        }
        rorm_value v;
        if (l.list) {
            rorm_value_init_array(&v);
            if (n > 0 && ctx->res != NULL) {
                v.flags = RORM_VALUE_BORROWED;
                v.u.arr.items = rorm__pc_ralloc(ctx->res, n * sizeof *v.u.arr.items);
            } else if (n > 0) {
                v.u.arr.items = rorm__malloc(n * sizeof *v.u.arr.items);
            }
            if (n > 0 && v.u.arr.items == NULL) {
                rc = rorm__error_oom(ctx->err);
            }
            v.u.arr.cap = n;
        } else {
            rorm_value_init(&v);
        }
        for (size_t i = 0; rc == RORM_OK && i < n; i++) {
            rorm_value *src = &kids.u.arr.items[idx[i]];
            rorm_value *dst = l.list ? &v.u.arr.items[i] : &v;
            if (home[idx[i]] == NULL) {
                rorm_value_move(dst, src);
            } else if ((ctx->res ? rorm__value_copy_in(dst, home[idx[i]], rorm__pc_ralloc, ctx->res)
                                 : rorm_value_copy(dst, home[idx[i]])) != RORM_OK) {
                rc = rorm__error_oom(ctx->err);
                break;
            }
            if (l.list) {
                v.u.arr.len++;
            }
            if (home[idx[i]] == NULL) {
                home[idx[i]] = dst;
            }
        }
        /* Fields only the loader needed (keys, cursor, distinct) go before handing out. */
        if (rc == RORM_OK && l.list) {
            strip_members(&v, &strip);
        } else if (rc == RORM_OK && n == 1) {
            rorm_value one = RORM_ARRAY_N(&v, 1);
            strip_members(&one, &strip);
        }
        /* A record moved into a single relation's value moves again when it is set: point
           later copies at its final place. */
        if (rc == RORM_OK && rorm__value_object_put_in(recs[r], inc->field->name, &v,
                                                       res_alloc(ctx), ctx->res) != RORM_OK) {
            rc = rorm__error_oom(ctx->err);
        }
        if (rc == RORM_OK && !l.list && n == 1) {
            home[idx[0]] = (rorm_value *)rorm_value_object_get(recs[r], inc->field->name);
        }
        rorm_value_dispose(&v);
    }
    rorm__free(first);
    rorm__free(idx);
    rorm__free(home);
    rorm_vec_free(&pairs);
    rorm__str_dispose(&key);
    rorm_value_dispose(&kids);
    if (have_inner) {
        keyset_dispose(&inner_ids);
    }
    rorm__pc_cells_dispose(&join);
    keyset_dispose(&ks);
    return rc;
}

/* ---- loading: _count ---------------------------------------------------------------------- */

/* Count the related records of every parent for one relation into their `_count` objects. */
static int load_count(pc_ctx *ctx, rorm_value **recs, size_t nrecs, const pc_rcount *cnt)
{
    pc_link l;
    int rc = rorm__pc_link(&l, cnt->field, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    keyset ks;
    rc = keyset_build(&ks, ctx, recs, nrecs, l.outer_keys, l.nkeys);
    int64_t *counts = NULL;
    if (rc == RORM_OK) {
        counts = rorm__malloc((ks.n + 1) * sizeof *counts);
        if (counts == NULL) {
            rc = rorm__error_oom(ctx->err);
        } else {
            memset(counts, 0, (ks.n + 1) * sizeof *counts);
        }
    }
    /* The where on the related model, validated as a findMany of it would be. */
    pc_ctx sub;
    bool have_sub = false;
    if (rc == RORM_OK && cnt->where && ks.n > 0) {
        rorm_member wm = { "where", *cnt->where };
        rorm_value wargs = RORM_OBJECT_N(&wm, 1);
        sub.err = ctx->err;
        rorm__pc_arena_init(&sub.arena);
        have_sub = true;
        rc = rorm__pc_parse(&sub, ctx->q.db, l.inner->name, "findMany", &wargs);
    }
    const rorm_field *const *gkeys = l.join_table ? l.outer_keys : l.inner_keys;
    size_t per = rorm__pc_chunk_for(l.nkeys);
    rorm_str key = RORM_STR_INIT;
    for (size_t from = 0; rc == RORM_OK && from < ks.n; from += per) {
        size_t to = ks.n - from < per ? ks.n : from + per;
        pc_sql s;
        rorm__pc_sql_init(&s, ctx->q.db->dialect);
        char a[8] = "c";
        pc_col cols[RORM_MAX_PK_FIELDS + 1];
        size_t ncols = 0;
        put(&s, "SELECT ");
        for (size_t k = 0; k < l.nkeys && k < RORM_MAX_PK_FIELDS; k++) {
            put(&s, k ? ", " : "");
            if (l.join_table) {
                s.d->quote_ident(&s.text, a);
                put(&s, ".");
                s.d->quote_ident(&s.text, l.join_outer_col);
            } else {
                rorm__pc_sql_column(&s, a, gkeys[k]);
            }
            cols[ncols].field = gkeys[k];
            cols[ncols++].agg = PC_AGG_NONE;
        }
        put(&s, ", COUNT(*) FROM ");
        cols[ncols].field = NULL;
        cols[ncols++].agg = PC_AGG_COUNT;
        if (l.join_table) {
            rorm__dialect_qualified(&s.text, s.d, l.join_schema, l.join_table);
        } else {
            rorm__dialect_table(&s.text, s.d, l.inner);
        }
        put(&s, " AS ");
        s.d->quote_ident(&s.text, a);
        put(&s, " WHERE (");
        if (l.nkeys == 1) {
            if (l.join_table) {
                s.d->quote_ident(&s.text, a);
                put(&s, ".");
                s.d->quote_ident(&s.text, l.join_outer_col);
            } else {
                rorm__pc_sql_column(&s, a, gkeys[0]);
            }
            put(&s, " IN (");
        }
        for (size_t i = from; i < to; i++) {
            if (l.nkeys == 1) {
                put(&s, i > from ? ", " : "");
                rorm__pc_sql_param(&s, ks.vals.ptr[i]);
                continue;
            }
            put(&s, i > from ? " OR " : "");
            put(&s, "(");
            for (size_t k = 0; k < l.nkeys; k++) {
                put(&s, k ? " AND " : "");
                rorm__pc_sql_column(&s, a, gkeys[k]);
                put(&s, " = ");
                rorm__pc_sql_param(&s, ks.vals.ptr[i * l.nkeys + k]);
            }
            put(&s, ")");
        }
        put(&s, l.nkeys == 1 ? ")" : "");
        put(&s, ")");
        if (have_sub) {
            if (l.join_table) {
                put(&s, " AND ");
                s.d->quote_ident(&s.text, a);
                put(&s, ".");
                s.d->quote_ident(&s.text, l.join_inner_col);
                put(&s, " IN (SELECT ");
                rorm__pc_sql_column(&s, "ci", l.inner_keys[0]);
                put(&s, " FROM ");
                rorm__dialect_table(&s.text, s.d, l.inner);
                put(&s, " AS ");
                s.d->quote_ident(&s.text, "ci");
                put(&s, " WHERE ");
                rorm__pc_sql_filter(&s, "ci", sub.q.where);
                put(&s, ")");
            } else {
                put(&s, " AND ");
                rorm__pc_sql_filter(&s, a, sub.q.where);
            }
        }
        put(&s, " GROUP BY ");
        for (size_t k = 0; k < l.nkeys; k++) {
            put(&s, k ? ", " : "");
            if (l.join_table) {
                s.d->quote_ident(&s.text, a);
                put(&s, ".");
                s.d->quote_ident(&s.text, l.join_outer_col);
            } else {
                rorm__pc_sql_column(&s, a, gkeys[k]);
            }
        }
        pc_cells cells = { 0 };
        rc = rorm__pc_run_select(ctx, ctx->q.db, &s, cols, ncols, SIZE_MAX, &cells);
        rorm__pc_sql_dispose(&s);
        for (size_t r = 0; rc == RORM_OK && r + ncols <= cells.len; r += ncols) {
            rorm__str_clear(&key);
            bool ok = true;
            for (size_t k = 0; k + 1 < ncols; k++) {
                ok = ok && key_part(&key, &cells.ptr[r + k]);
            }
            void *slot = ok ? rorm__map_get(&ks.slots, key.ptr, key.len) : NULL;
            if (slot) {
                counts[(size_t)(uintptr_t)slot - 1] =
                    rorm_value_as_int(&cells.ptr[r + ncols - 1], 0);
            }
        }
        rorm__pc_cells_dispose(&cells);
    }
    for (size_t r = 0; rc == RORM_OK && r < nrecs; r++) {
        size_t slot = keyset_slot(&ks, &key, recs[r], l.outer_keys);
        rorm_value v = RORM_INT(slot == SIZE_MAX ? 0 : counts[slot]);
        rorm_value *obj = (rorm_value *)rorm_value_object_get(recs[r], "_count");
        if (obj == NULL || rorm__value_object_put_in(obj, cnt->field->name, &v, res_alloc(ctx),
                                                     ctx->res) != RORM_OK) {
            rc = rorm__error_oom(ctx->err);
        }
    }
    if (have_sub) {
        rorm__pc_arena_dispose(&sub.arena);
    }
    rorm__str_dispose(&key);
    rorm__free(counts);
    keyset_dispose(&ks);
    return rc;
}

int rorm__pc_load_relations(pc_ctx *ctx, rorm_value *result)
{
    pc_query *q = &ctx->q;
    rorm_value **recs = NULL;
    size_t n = 0;
    int rc = result_records(&recs, &n, ctx, result);
    if (rc != RORM_OK || n == 0) {
        return rc;
    }
    for (size_t i = 0; rc == RORM_OK && i < q->nincludes; i++) {
        rc = load_include(ctx, recs, n, &q->includes[i]);
    }
    if (rc == RORM_OK && q->has_counts) {
        size_t count_room = 0;
        for (size_t i = 0; i < q->ncounts; i++) {
            count_room += strlen(q->counts[i].field->name) + 1;
        }
        for (size_t r = 0; rc == RORM_OK && r < n; r++) {
            rorm_value obj;
            rorm_value_init_object(&obj);
            if (ctx->res != NULL &&
                rorm__value_object_reserve_in(&obj, q->ncounts, count_room, rorm__pc_ralloc,
                                              ctx->res) != RORM_OK) {
                rc = rorm__error_oom(ctx->err);
                break;
            }
            if (rorm__value_object_put_in(recs[r], "_count", &obj, res_alloc(ctx), ctx->res) !=
                RORM_OK) {
                rorm_value_dispose(&obj);
                rc = rorm__error_oom(ctx->err);
            }
        }
        for (size_t i = 0; rc == RORM_OK && i < q->ncounts; i++) {
            rc = load_count(ctx, recs, n, &q->counts[i]);
        }
    }
    if (rc == RORM_OK && q->strip) {
        needed nd = { .n = 0 };
        for (size_t i = 0; i < q->model->fields.len; i++) {
            if (q->strip[i]) {
                need(&nd, q->model->fields.ptr[i]->name);
            }
        }
        for (size_t r = 0; r < n; r++) {
            rorm_value arr = RORM_ARRAY_N(recs[r], 1);
            strip_members(&arr, &nd);
        }
    }
    return rc;
}
