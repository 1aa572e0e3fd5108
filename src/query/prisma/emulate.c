/*
 * relationMode = "prisma": the database has no foreign keys, so the Prisma Client engine carries
 * out the referential actions itself, as Prisma Client does. Every step is a Prisma Client call
 * on one transaction (a savepoint inside the caller's), so a refusal or a failure anywhere
 * leaves nothing behind.
 *
 * Deleting (delete, deleteMany, and the nested deletes that run them): the records to delete
 * are read (their key and the fields other records point at), then the closure of onDelete
 * Cascade is collected breadth-first, model by model; a record already collected is never
 * collected again, so self-relations and cycles in the data end. Then, over every collected
 * record: Restrict / NoAction refuse (P2014) when a record outside the collected set still
 * points at one; SetNull / SetDefault rewrite the foreign keys of the records that point at
 * them; the join rows of implicit many-to-many relations go; last, the collected records are
 * deleted by key, in chunks. The default is Prisma's: SetNull for an optional relation,
 * NoAction (refusing like Restrict) for a required one.
 *
 * Updating a key other records point at (update, updateMany, upsert): per record whose key
 * changes, onUpdate Cascade moves the foreign keys to the new key (the update runs through
 * rorm_db_call again, so a chain of such keys follows), Restrict / NoAction refuse, SetNull /
 * SetDefault rewrite them; join rows follow the id. The default is Cascade. Then the update
 * itself runs. A key changed by arithmetic (increment ...) is refused: its new value is not
 * known before the update.
 */
#include "query/prisma/pc.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/map.h"

typedef rorm_vec(const rorm_value *) value_ptrs;

static int oom(pc_ctx *ctx)
{
    return rorm__error_oom(ctx->err);
}

/* The relation field @p f (on the model holding the foreign key) points at @p m. */
static bool points_at(const rorm_field *f, const rorm_model *m)
{
    return f->type == RORM_FIELD_RELATION && f->relation && f->relation->nfields > 0 &&
           f->relation->model == m && f->relation->nreferences == f->relation->nfields;
}

/* An implicit many-to-many relation field of the model. */
static bool joins(const rorm_field *f)
{
    return f->type == RORM_FIELD_RELATION && f->relation && f->relation->join_table;
}

/* The action taken, Prisma's default filled in. */
static unsigned action_of(const rorm_field *f, bool del)
{
    const rorm_relation *r = f->relation;
    unsigned a = del ? r->on_delete : r->on_update;
    if (a != RORM_ACTION_DEFAULT) {
        return a;
    }
    if (!del) {
        return RORM_ACTION_CASCADE;
    }
    for (size_t i = 0; i < r->nfields; i++) {
        if (r->fields[i]->flags & RORM_NULLABLE) {
            return RORM_ACTION_SET_NULL;
        }
    }
    return RORM_ACTION_NO_ACTION;
}

/* Prisma's P2014: the relation (its name, else <A>To<B>) between the two models, sorted. */
static int violation(pc_ctx *ctx, const rorm_field *f)
{
    const char *a = f->model->name, *b = f->relation->model->name;
    if (strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    char name[160];
    if (f->relation->name) {
        rorm__pc_fmt(name, sizeof name, "%s", f->relation->name);
    } else {
        rorm__pc_fmt(name, sizeof name, "%sTo%s", a, b);
    }
    int rc = rorm__error(ctx->err, RORM_ECONSTRAINT,
                         "The change you are trying to make would violate the required relation "
                         "'%s' between the `%s` and `%s` models.",
                         name, a, b);
    if (ctx->err) {
        ctx->err->constraint = RORM_CONSTRAINT_RELATION;
    }
    return rc;
}

/* Whether anything points at @p m: relations holding a key of it, or join tables. */
static bool referenced(const rorm_model *m)
{
    const rorm_schema *s = m->schema;
    for (size_t i = 0; i < s->models.len; i++) {
        const rorm_model *r = s->models.ptr[i];
        for (size_t k = 0; k < r->fields.len; k++) {
            if (points_at(r->fields.ptr[k], m)) {
                return true;
            }
        }
    }
    for (size_t k = 0; k < m->fields.len; k++) {
        if (joins(m->fields.ptr[k])) {
            return true;
        }
    }
    return false;
}

/* The set of @p f in an update, or NULL. */
static const pc_set *set_of(const pc_query *q, const rorm_field *f)
{
    for (size_t i = 0; i < q->nsets; i++) {
        if (q->sets[i].field == f) {
            return &q->sets[i];
        }
    }
    return NULL;
}

/* Whether the update changes a field some relation or join table points at. */
static bool changes_referenced(const pc_query *q)
{
    const rorm_model *m = q->model;
    const rorm_schema *s = m->schema;
    for (size_t i = 0; i < s->models.len; i++) {
        const rorm_model *r = s->models.ptr[i];
        for (size_t k = 0; k < r->fields.len; k++) {
            const rorm_field *f = r->fields.ptr[k];
            for (size_t j = 0; points_at(f, m) && j < f->relation->nreferences; j++) {
                if (set_of(q, f->relation->references[j])) {
                    return true;
                }
            }
        }
    }
    for (size_t k = 0; k < m->fields.len; k++) {
        const rorm_field *f = m->fields.ptr[k];
        pc_link l;
        if (joins(f) && rorm__pc_link(&l, f, NULL) == RORM_OK && set_of(q, l.outer_keys[0])) {
            return true;
        }
    }
    return false;
}

bool rorm__pc_emulates(const pc_ctx *ctx)
{
    const pc_query *q = &ctx->q;
    if (q->model == NULL || rorm__schema_has_fks(q->model->schema)) {
        return false;
    }
    switch (q->op) {
    case PC_DELETE:
    case PC_DELETE_MANY:
        return referenced(q->model);
    case PC_UPDATE:
    case PC_UPDATE_MANY:
    case PC_UPDATE_MANY_AND_RETURN:
    case PC_UPSERT:
        /* Nested writes update the record through rorm_db_call again: emulated there. */
        return !q->has_nested && changes_referenced(q);
    default:
        return false;
    }
}

/* ---- calls on the transaction -------------------------------------------------------------- */

typedef struct emu {
    pc_ctx *ctx;
    rorm_db *tx;
} emu;

/* One Prisma Client call on the transaction; the result lives in the arena. */
static int call(const rorm_value **out,
                emu *e,
                const rorm_model *m,
                const char *op,
                const rorm_member *args,
                size_t nargs,
                bool emulate)
{
    rorm_value a = RORM_OBJECT_N((rorm_member *)args, nargs);
    rorm_value r;
    int rc = rorm__pc_db_call(&r, e->tx, m->name, op, &a, emulate, NULL, e->ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_value *kept = rorm__pc_keep(&e->ctx->arena, &r);
    if (kept == NULL) {
        rorm_value_dispose(&r);
        return oom(e->ctx);
    }
    if (out) {
        *out = kept;
    }
    return RORM_OK;
}

static void add_name(const char **names, size_t *n, size_t cap, const char *name)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(names[i], name) == 0) {
            return;
        }
    }
    if (*n < cap) {
        names[(*n)++] = name;
    }
}

/* `select` of what the emulation reads of @p m: the key and every field pointed at. */
static int needed_select(rorm_value *out, emu *e, const rorm_model *m)
{
    const rorm_schema *s = m->schema;
    size_t cap = m->fields.len;
    const char **names = rorm__pc_alloc(&e->ctx->arena, (cap + 1) * sizeof *names);
    rorm_member *mem = rorm__pc_alloc(&e->ctx->arena, (cap + 1) * sizeof *mem);
    if (names == NULL || mem == NULL) {
        return oom(e->ctx);
    }
    size_t n = 0;
    for (size_t i = 0; i < m->pk.len; i++) {
        add_name(names, &n, cap, m->pk.ptr[i]->name);
    }
    for (size_t i = 0; i < s->models.len; i++) {
        const rorm_model *r = s->models.ptr[i];
        for (size_t k = 0; k < r->fields.len; k++) {
            const rorm_field *f = r->fields.ptr[k];
            for (size_t j = 0; points_at(f, m) && j < f->relation->nreferences; j++) {
                add_name(names, &n, cap, f->relation->references[j]->name);
            }
        }
    }
    for (size_t k = 0; k < m->fields.len; k++) {
        pc_link l;
        if (joins(m->fields.ptr[k]) && rorm__pc_link(&l, m->fields.ptr[k], e->ctx->err) == 0) {
            add_name(names, &n, cap, l.outer_keys[0]->name);
        }
    }
    for (size_t i = 0; i < n; i++) {
        mem[i].key = names[i];
        mem[i].value = RORM_BOOL(true);
    }
    *out = RORM_OBJECT_N(mem, n);
    return RORM_OK;
}

/* findMany of @p m with @p where (NULL: every record), reading what the emulation needs. */
static int
read_records(const rorm_value **out, emu *e, const rorm_model *m, const rorm_value *where)
{
    rorm_member a[2];
    size_t na = 0;
    if (where && where->type != RORM_TYPE_NULL) {
        a[na].key = "where";
        a[na].value = *where;
        a[na++].value.flags |= RORM_VALUE_BORROWED;
    }
    a[na].key = "select";
    int rc = needed_select(&a[na++].value, e, m);
    return rc == RORM_OK ? call(out, e, m, "findMany", a, na, false) : rc;
}

/* The distinct keys of @p recs over @p fields (incomplete ones left out): values in @p vals. */
static int distinct_keys(emu *e,
                         const rorm_value *const *recs,
                         size_t nrecs,
                         const rorm_field *const *fields,
                         size_t nf,
                         value_ptrs *vals,
                         size_t *nkeys)
{
    rorm_map seen;
    rorm__map_init(&seen, NULL);
    rorm_str key = RORM_STR_INIT;
    int rc = RORM_OK;
    *nkeys = 0;
    for (size_t i = 0; rc == RORM_OK && i < nrecs; i++) {
        if (!rorm__pc_key_of(&key, recs[i], fields, nf) || rorm__map_has(&seen, key.ptr, key.len)) {
            continue;
        }
        if (rorm__str_oom(&key) || rorm__map_set(&seen, key.ptr, key.len, (void *)1) != 0) {
            rc = oom(e->ctx);
            break;
        }
        for (size_t k = 0; rc == RORM_OK && k < nf; k++) {
            if (rorm_vec_push(vals, rorm_value_object_get(recs[i], fields[k]->name)) != 0) {
                rc = oom(e->ctx);
            }
        }
        (*nkeys)++;
    }
    rorm__str_dispose(&key);
    rorm__map_dispose(&seen);
    return rc;
}

/* ---- deleting ------------------------------------------------------------------------------- */

/* Records of one model to delete. */
typedef struct batch {
    const rorm_model *model;
    value_ptrs recs;
} batch;

typedef struct closure {
    rorm_vec(batch) batches;
    rorm_map taken; /* "<model index>:<key text>" of every collected record */
    rorm_str key;
} closure;

static void closure_dispose(closure *c)
{
    for (size_t i = 0; i < c->batches.len; i++) {
        rorm_vec_free(&c->batches.ptr[i].recs);
    }
    rorm_vec_free(&c->batches);
    rorm__map_dispose(&c->taken);
    rorm__str_dispose(&c->key);
}

/* The "taken" key of @p rec of @p m; false when its key is incomplete. */
static bool taken_key(closure *c, const rorm_model *m, const rorm_value *rec)
{
    rorm_str part = RORM_STR_INIT;
    bool ok = rorm__pc_key_of(&part, rec, (const rorm_field *const *)m->pk.ptr, m->pk.len);
    rorm__str_clear(&c->key);
    rorm__str_printf(&c->key, "%zu:", m->index);
    rorm__str_put(&c->key, part.ptr ? part.ptr : "", part.len);
    rorm__str_dispose(&part);
    return ok && !rorm__str_oom(&c->key);
}

/* Add the records of @p list (an array) not collected yet as a batch of @p m. */
static int collect(emu *e, closure *c, const rorm_model *m, const rorm_value *list)
{
    batch b = { m, { 0 } };
    int rc = RORM_OK;
    for (size_t i = 0; rc == RORM_OK && i < list->u.arr.len; i++) {
        const rorm_value *rec = &list->u.arr.items[i];
        if (!taken_key(c, m, rec) || rorm__map_has(&c->taken, c->key.ptr, c->key.len)) {
            continue;
        }
        if (rorm__map_set(&c->taken, c->key.ptr, c->key.len, (void *)1) != 0 ||
            rorm_vec_push(&b.recs, rec) != 0) {
            rc = oom(e->ctx);
        }
    }
    if (rc == RORM_OK && b.recs.len > 0 && rorm_vec_push(&c->batches, b) != 0) {
        rc = oom(e->ctx);
    }
    if (rc != RORM_OK || b.recs.len == 0) {
        rorm_vec_free(&b.recs);
    }
    return rc;
}

/* The keys of batch @p b that relation @p f points at, as chunked where conditions handed to
   @p each with @p arg. */
typedef int (*chunk_fn)(emu *e, closure *c, const rorm_field *f, const rorm_value *where);

static int for_pointing(emu *e, closure *c, const batch *b, const rorm_field *f, chunk_fn each)
{
    const rorm_relation *r = f->relation;
    value_ptrs vals = { 0 };
    size_t nkeys = 0;
    int rc = distinct_keys(e, b->recs.ptr, b->recs.len, (const rorm_field *const *)r->references,
                           r->nreferences, &vals, &nkeys);
    size_t per = rorm__pc_chunk_for(r->nfields);
    for (size_t from = 0; rc == RORM_OK && from < nkeys; from += per) {
        size_t to = from + per < nkeys ? from + per : nkeys;
        rorm_value where;
        rc = rorm__pc_key_condition(&where, e->ctx, (const rorm_field *const *)r->fields,
                                    r->nfields, vals.ptr, from, to);
        if (rc == RORM_OK) {
            rc = each(e, c, f, &where);
        }
    }
    rorm_vec_free(&vals);
    return rc;
}

static int cascade_chunk(emu *e, closure *c, const rorm_field *f, const rorm_value *where)
{
    const rorm_value *kids = NULL;
    int rc = read_records(&kids, e, f->model, where);
    return rc == RORM_OK ? collect(e, c, f->model, kids) : rc;
}

static int restrict_chunk(emu *e, closure *c, const rorm_field *f, const rorm_value *where)
{
    const rorm_value *kids = NULL;
    int rc = read_records(&kids, e, f->model, where);
    for (size_t i = 0; rc == RORM_OK && i < kids->u.arr.len; i++) {
        /* A record deleted by the same operation does not hold the delete back. */
        if (!taken_key(c, f->model, &kids->u.arr.items[i]) ||
            !rorm__map_has(&c->taken, c->key.ptr, c->key.len)) {
            rc = violation(e->ctx, f);
        }
    }
    return rc;
}

/* updateMany of the records matching @p where: their foreign key of @p f set to null or to
   the fields' defaults. */
static int rewrite_fk(emu *e, const rorm_field *f, const rorm_value *where, bool to_default)
{
    const rorm_relation *r = f->relation;
    rorm_member *data = rorm__pc_alloc(&e->ctx->arena, (r->nfields + 1) * sizeof *data);
    if (data == NULL) {
        return oom(e->ctx);
    }
    for (size_t i = 0; i < r->nfields; i++) {
        const rorm_field *fk = r->fields[i];
        data[i].key = fk->name;
        data[i].value = RORM_NULL_VALUE;
        if (to_default) {
            if (fk->def.kind != RORM_DEFAULT_VALUE) {
                return rorm__error(e->ctx->err, RORM_EUNSUPPORTED,
                                   "onDelete/onUpdate SetDefault on `%s.%s`: the field `%s` has "
                                   "no literal @default to set",
                                   f->model->name, f->name, fk->name);
            }
            data[i].value = fk->def.value;
            data[i].value.flags |= RORM_VALUE_BORROWED;
        }
    }
    rorm_member a[2] = { { "where", *where }, { "data", RORM_OBJECT_N(data, r->nfields) } };
    a[0].value.flags |= RORM_VALUE_BORROWED;
    return call(NULL, e, f->model, "updateMany", a, 2, true);
}

static int set_null_chunk(emu *e, closure *c, const rorm_field *f, const rorm_value *where)
{
    (void)c;
    return rewrite_fk(e, f, where, false);
}

static int set_default_chunk(emu *e, closure *c, const rorm_field *f, const rorm_value *where)
{
    (void)c;
    return rewrite_fk(e, f, where, true);
}

/* Run a statement on the join table, then dispose of it. */
static int run_sql(emu *e, pc_sql *s)
{
    int rc = s->oom || rorm__str_oom(&s->text)
                 ? oom(e->ctx)
                 : rorm__run_write(e->tx, s->text.ptr, s->text.len, s->params.ptr, s->params.len,
                                   NULL, NULL, e->ctx->err);
    rorm__pc_sql_dispose(s);
    return rc;
}

/* DELETE FROM join WHERE col IN (ids of the batch), in chunks. */
static int delete_join_rows(emu *e, const batch *b, const rorm_field *f)
{
    pc_link l;
    int rc = rorm__pc_link(&l, f, e->ctx->err);
    value_ptrs vals = { 0 };
    size_t nkeys = 0;
    if (rc == RORM_OK) {
        rc = distinct_keys(e, b->recs.ptr, b->recs.len, l.outer_keys, 1, &vals, &nkeys);
    }
    size_t per = rorm__pc_chunk_for(1);
    for (size_t from = 0; rc == RORM_OK && from < nkeys; from += per) {
        size_t to = from + per < nkeys ? from + per : nkeys;
        pc_sql s;
        rorm__pc_sql_init(&s, e->tx->dialect);
        rorm__str_puts(&s.text, "DELETE FROM ");
        rorm__dialect_qualified(&s.text, s.d, l.join_schema, l.join_table);
        rorm__str_puts(&s.text, " WHERE ");
        s.d->quote_ident(&s.text, l.join_outer_col);
        rorm__str_puts(&s.text, " IN (");
        for (size_t i = from; i < to; i++) {
            rorm__str_puts(&s.text, i > from ? ", " : "");
            rorm__pc_sql_param(&s, vals.ptr[i]);
        }
        rorm__str_putc(&s.text, ')');
        rc = run_sql(e, &s);
    }
    rorm_vec_free(&vals);
    return rc;
}

/* deleteMany of the batch's records by key, in chunks (nothing emulated: done already). */
static int delete_batch(emu *e, const batch *b)
{
    const rorm_model *m = b->model;
    value_ptrs vals = { 0 };
    size_t nkeys = 0;
    const rorm_field *const *pk = (const rorm_field *const *)m->pk.ptr;
    int rc = distinct_keys(e, b->recs.ptr, b->recs.len, pk, m->pk.len, &vals, &nkeys);
    size_t per = rorm__pc_chunk_for(m->pk.len);
    for (size_t from = 0; rc == RORM_OK && from < nkeys; from += per) {
        size_t to = from + per < nkeys ? from + per : nkeys;
        rorm_member a[1];
        a[0].key = "where";
        rc = rorm__pc_key_condition(&a[0].value, e->ctx, pk, m->pk.len, vals.ptr, from, to);
        if (rc == RORM_OK) {
            rc = call(NULL, e, m, "deleteMany", a, 1, false);
        }
    }
    rorm_vec_free(&vals);
    return rc;
}

/* Run @p each for every (batch, relation pointing at its model with one of @p actions). */
static int each_pointing(emu *e, closure *c, unsigned a1, unsigned a2, chunk_fn each)
{
    int rc = RORM_OK;
    /* Batches are appended while cascading: index, not pointer. */
    for (size_t i = 0; rc == RORM_OK && i < c->batches.len; i++) {
        const rorm_model *m = c->batches.ptr[i].model;
        const rorm_schema *s = m->schema;
        for (size_t j = 0; rc == RORM_OK && j < s->models.len; j++) {
            const rorm_model *r = s->models.ptr[j];
            for (size_t k = 0; rc == RORM_OK && k < r->fields.len; k++) {
                const rorm_field *f = r->fields.ptr[k];
                if (points_at(f, m) && (action_of(f, true) == a1 || action_of(f, true) == a2)) {
                    batch b = c->batches.ptr[i];
                    rc = for_pointing(e, c, &b, f, each);
                }
            }
        }
    }
    return rc;
}

static int emulate_delete(emu *e, closure *c)
{
    /* 1. The closure of Cascade (breadth-first; each record once). */
    int rc = each_pointing(e, c, RORM_ACTION_CASCADE, RORM_ACTION_CASCADE, cascade_chunk);
    /* 2. Restrict / NoAction: nothing outside the closure may point at it. */
    if (rc == RORM_OK) {
        rc = each_pointing(e, c, RORM_ACTION_RESTRICT, RORM_ACTION_NO_ACTION, restrict_chunk);
    }
    /* 3. SetNull / SetDefault. */
    if (rc == RORM_OK) {
        rc = each_pointing(e, c, RORM_ACTION_SET_NULL, RORM_ACTION_SET_NULL, set_null_chunk);
    }
    if (rc == RORM_OK) {
        rc = each_pointing(e, c, RORM_ACTION_SET_DEFAULT, RORM_ACTION_SET_DEFAULT,
                           set_default_chunk);
    }
    /* 4. Join rows and the records themselves. */
    for (size_t i = 0; rc == RORM_OK && i < c->batches.len; i++) {
        const batch *b = &c->batches.ptr[i];
        for (size_t k = 0; rc == RORM_OK && k < b->model->fields.len; k++) {
            if (joins(b->model->fields.ptr[k])) {
                rc = delete_join_rows(e, b, b->model->fields.ptr[k]);
            }
        }
        if (rc == RORM_OK) {
            rc = delete_batch(e, b);
        }
    }
    return rc;
}

static int run_delete(rorm_value *out, emu *e)
{
    pc_ctx *ctx = e->ctx;
    const pc_query *q = &ctx->q;
    const rorm_value *where = rorm_value_object_get(q->args, "where");
    int rc = RORM_OK;
    if (q->op == PC_DELETE) {
        /* The record as delete returns it (select / include / omit), read before anything. */
        rc = rorm__pc_db_call(out, e->tx, q->model->name, "findUnique", q->args, false, NULL,
                              ctx->err);
        if (rc == RORM_OK && out->type == RORM_TYPE_NULL) {
            rc = rorm__error(ctx->err, RORM_ENOTFOUND,
                             "An operation failed because it depends on one or more records that "
                             "were required but not found. Record to delete not found. (%s.delete)",
                             q->model->name);
        }
        if (rc != RORM_OK) {
            return rc;
        }
    }
    const rorm_value *top = NULL;
    closure c = { 0 };
    rorm__map_init(&c.taken, NULL);
    rc = read_records(&top, e, q->model, where);
    size_t ntop = 0;
    if (rc == RORM_OK) {
        rc = collect(e, &c, q->model, top);
        ntop = c.batches.len ? c.batches.ptr[0].recs.len : 0;
    }
    if (rc == RORM_OK) {
        rc = emulate_delete(e, &c);
    }
    closure_dispose(&c);
    if (rc == RORM_OK && q->op == PC_DELETE_MANY) {
        rorm_value obj, v = RORM_INT((int64_t)ntop);
        rorm_value_init_object(&obj);
        if (rorm_value_object_set_take(&obj, "count", &v) != RORM_OK) {
            rorm_value_dispose(&obj);
            return oom(ctx);
        }
        *out = obj;
    }
    return rc;
}

/* ---- updating a key ------------------------------------------------------------------------- */

/* The new value of @p f in the update (NULL: unchanged); an arithmetic change is refused. */
static int new_value(const rorm_value **out, pc_ctx *ctx, const rorm_field *f)
{
    const pc_set *s = set_of(&ctx->q, f);
    *out = NULL;
    if (s == NULL) {
        return RORM_OK;
    }
    if (s->op != PC_SET) {
        return rorm__error(ctx->err, RORM_EUNSUPPORTED,
                           "relationMode = \"prisma\": `%s.%s` is pointed at by a relation, so it "
                           "can only be set to a value, not changed by arithmetic",
                           f->model->name, f->name);
    }
    *out = s->value;
    return RORM_OK;
}

/* One record's key change, followed by relation @p f pointing at it. */
static int follow_update(emu *e, const rorm_value *rec, const rorm_field *f)
{
    const rorm_relation *r = f->relation;
    size_t n = r->nfields;
    rorm_member *where = rorm__pc_alloc(&e->ctx->arena, (n + 1) * sizeof *where);
    rorm_member *data = rorm__pc_alloc(&e->ctx->arena, (n + 1) * sizeof *data);
    if (where == NULL || data == NULL) {
        return oom(e->ctx);
    }
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        const rorm_value *old = rorm_value_object_get(rec, r->references[i]->name);
        const rorm_value *nv = NULL;
        int rc = new_value(&nv, e->ctx, r->references[i]);
        if (rc != RORM_OK) {
            return rc;
        }
        if (old == NULL || old->type == RORM_TYPE_NULL) {
            return RORM_OK; /* nothing points at a null key */
        }
        changed |= nv != NULL && !rorm_value_equal(old, nv);
        where[i].key = data[i].key = r->fields[i]->name;
        where[i].value = *old;
        where[i].value.flags |= RORM_VALUE_BORROWED;
        data[i].value = nv ? *nv : *old;
        data[i].value.flags |= RORM_VALUE_BORROWED;
    }
    if (!changed) {
        return RORM_OK;
    }
    rorm_value w = RORM_OBJECT_N(where, n);
    switch (action_of(f, false)) {
    case RORM_ACTION_RESTRICT:
    case RORM_ACTION_NO_ACTION: {
        rorm_member a[1] = { { "where", w } };
        const rorm_value *count = NULL;
        int rc = call(&count, e, f->model, "count", a, 1, false);
        return rc == RORM_OK && rorm_value_as_int(count, 0) > 0 ? violation(e->ctx, f) : rc;
    }
    case RORM_ACTION_SET_NULL:
        return rewrite_fk(e, f, &w, false);
    case RORM_ACTION_SET_DEFAULT:
        return rewrite_fk(e, f, &w, true);
    default: {
        rorm_member a[2] = { { "where", w }, { "data", RORM_OBJECT_N(data, n) } };
        return call(NULL, e, f->model, "updateMany", a, 2, true);
    }
    }
}

/* The join rows of one record follow its new id. */
static int follow_join(emu *e, const rorm_value *rec, const rorm_field *f)
{
    pc_link l;
    int rc = rorm__pc_link(&l, f, e->ctx->err);
    const rorm_value *nv = NULL;
    if (rc == RORM_OK) {
        rc = new_value(&nv, e->ctx, l.outer_keys[0]);
    }
    const rorm_value *old = rorm_value_object_get(rec, l.outer_keys[0]->name);
    if (rc != RORM_OK || nv == NULL || old == NULL || rorm_value_equal(old, nv)) {
        return rc;
    }
    pc_sql s;
    rorm__pc_sql_init(&s, e->tx->dialect);
    rorm__str_puts(&s.text, "UPDATE ");
    rorm__dialect_qualified(&s.text, s.d, l.join_schema, l.join_table);
    rorm__str_puts(&s.text, " SET ");
    s.d->quote_ident(&s.text, l.join_outer_col);
    rorm__str_puts(&s.text, " = ");
    rorm__pc_sql_param(&s, nv);
    rorm__str_puts(&s.text, " WHERE ");
    s.d->quote_ident(&s.text, l.join_outer_col);
    rorm__str_puts(&s.text, " = ");
    rorm__pc_sql_param(&s, old);
    rc = run_sql(e, &s);
    return rc;
}

static int run_update(rorm_value *out, emu *e)
{
    pc_ctx *ctx = e->ctx;
    const pc_query *q = &ctx->q;
    const rorm_model *m = q->model;
    const rorm_schema *s = m->schema;
    const rorm_value *recs = NULL;
    int rc = read_records(&recs, e, m, rorm_value_object_get(q->args, "where"));
    for (size_t i = 0; rc == RORM_OK && i < recs->u.arr.len; i++) {
        const rorm_value *rec = &recs->u.arr.items[i];
        for (size_t j = 0; rc == RORM_OK && j < s->models.len; j++) {
            const rorm_model *r = s->models.ptr[j];
            for (size_t k = 0; rc == RORM_OK && k < r->fields.len; k++) {
                if (points_at(r->fields.ptr[k], m)) {
                    rc = follow_update(e, rec, r->fields.ptr[k]);
                }
            }
        }
        for (size_t k = 0; rc == RORM_OK && k < m->fields.len; k++) {
            if (joins(m->fields.ptr[k])) {
                rc = follow_join(e, rec, m->fields.ptr[k]);
            }
        }
    }
    /* The update itself, as asked. */
    if (rc == RORM_OK) {
        rc = rorm__pc_db_call(out, e->tx, m->name, rorm__pc_op_name(q->op), q->args, false, NULL,
                              ctx->err);
    }
    return rc;
}

int rorm__pc_emulated_write(rorm_value *out, pc_ctx *ctx)
{
    rorm_db *tx;
    int rc = rorm_db_begin(&tx, ctx->q.db, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    emu e = { ctx, tx };
    rorm_value_init(out);
    bool del = ctx->q.op == PC_DELETE || ctx->q.op == PC_DELETE_MANY;
    rc = del ? run_delete(out, &e) : run_update(out, &e);
    if (rc == RORM_OK) {
        rc = rorm_db_commit(tx, ctx->err);
        if (rc == RORM_OK) {
            return RORM_OK;
        }
    } else {
        rorm_db_rollback(tx, NULL);
    }
    rorm_value_dispose(out);
    return rc;
}
