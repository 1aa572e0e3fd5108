/*
 * Nested writes: create, update and upsert whose data names relation fields. The whole
 * operation runs in one transaction (a savepoint inside the caller's), so a failure anywhere
 * leaves nothing behind. Each step is itself a Prisma Client call on the transaction handle
 * (create, update, updateMany, findUnique ...), so validation, defaults, constraint messages and
 * relation filters are those of the plain operations; the join rows of implicit many-to-many
 * relations are written here. The record is read back at the end with the query's select,
 * include and omit.
 *
 * Order of work for a create: relations whose foreign key this record holds first (connect,
 * create, connectOrCreate the related record and take its key), then the record, then the
 * relations whose records point at it (their foreign key set to this record's key) and the
 * join rows. An update finds the record first and works in the same order.
 */
#include "query/prisma/pc.h"

#include <string.h>

#include "rediorm/sys/driver.h"
#include "util/alloc.h"
#include "util/error.h"

typedef struct nctx {
    pc_ctx *ctx;
    rorm_db *tx;
} nctx;

static int oom(nctx *n)
{
    return rorm__error_oom(n->ctx->err);
}

static bool is_obj(const rorm_value *v)
{
    return v && v->type == RORM_TYPE_OBJECT;
}

/* ---- borrowed value trees in the arena ---------------------------------------------------- */

static rorm_member *members(nctx *n, size_t count)
{
    return rorm__pc_alloc(&n->ctx->arena, (count + 1) * sizeof(rorm_member));
}

/* {k: v} */
static rorm_value obj1(rorm_member *m, const char *k, rorm_value v)
{
    m->key = k;
    m->value = v;
    m->value.flags |= RORM_VALUE_BORROWED;
    return RORM_OBJECT_N(m, 1);
}

/* The members of @p a (an object or nothing) followed by @p extra; borrowed. */
static int
merged(rorm_value *out, nctx *n, const rorm_value *a, const rorm_member *extra, size_t ne)
{
    size_t na = is_obj(a) ? a->u.obj.len : 0;
    rorm_member *m = members(n, na + ne);
    if (m == NULL) {
        return oom(n);
    }
    size_t k = 0;
    for (size_t i = 0; i < na; i++) {
        bool replaced = false;
        for (size_t j = 0; j < ne; j++) {
            replaced |= strcmp(extra[j].key, a->u.obj.items[i].key) == 0;
        }
        if (!replaced) {
            m[k] = a->u.obj.items[i];
            m[k++].value.flags |= RORM_VALUE_BORROWED;
        }
    }
    for (size_t j = 0; j < ne; j++) {
        m[k] = extra[j];
        m[k++].value.flags |= RORM_VALUE_BORROWED;
    }
    *out = RORM_OBJECT_N(m, k);
    return RORM_OK;
}

/* Run one Prisma Client call on the transaction; the result lives in the arena. */
static int call(const rorm_value **out,
                nctx *n,
                const rorm_model *m,
                const char *op,
                const rorm_member *args,
                size_t nargs)
{
    rorm_value a = RORM_OBJECT_N((rorm_member *)args, nargs);
    rorm_value r;
    int rc = rorm_db_call(&r, n->tx, m->name, op, &a, n->ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_value *kept = rorm__pc_keep(&n->ctx->arena, &r);
    if (kept == NULL) {
        rorm_value_dispose(&r);
        return oom(n);
    }
    if (out) {
        *out = kept;
    }
    return RORM_OK;
}

/* The members "field: record[field]" for @p fields named @p as (the same fields when NULL). */
static int key_members(rorm_member **out,
                       nctx *n,
                       const rorm_value *rec,
                       const rorm_field *const *fields,
                       const rorm_field *const *as,
                       size_t count)
{
    rorm_member *m = members(n, count);
    if (m == NULL) {
        return oom(n);
    }
    for (size_t k = 0; k < count; k++) {
        const rorm_value *v = rorm_value_object_get(rec, fields[k]->name);
        m[k].key = (as ? as[k] : fields[k])->name;
        m[k].value = v ? *v : RORM_NULL_VALUE;
        m[k].value.flags |= RORM_VALUE_BORROWED;
    }
    *out = m;
    return RORM_OK;
}

/* The primary key of @p rec as a where object. */
static int pk_where(rorm_value *out, nctx *n, const rorm_model *m, const rorm_value *rec)
{
    rorm_member *k;
    int rc = key_members(&k, n, rec, (const rorm_field *const *)m->pk.ptr, NULL, m->pk.len);
    if (rc == RORM_OK) {
        *out = RORM_OBJECT_N(k, m->pk.len);
    }
    return rc;
}

static int not_found(nctx *n, const rorm_field *rel, const char *what)
{
    return rorm__error(n->ctx->err, RORM_ENOTFOUND,
                       "No '%s' record was found for a nested %s on relation `%s.%s`.",
                       rel->relation->model->name, what, rel->model->name, rel->name);
}

/* The items of an operation given as one object or a list. */
static size_t items_of(const rorm_value *v)
{
    return v->type == RORM_TYPE_ARRAY ? v->u.arr.len : 1;
}

static const rorm_value *item_at(const rorm_value *v, size_t i)
{
    return v->type == RORM_TYPE_ARRAY ? &v->u.arr.items[i] : v;
}

static int expect_obj(nctx *n, const rorm_value *v, const rorm_field *rel, const char *op)
{
    if (!is_obj(v)) {
        return rorm__error(n->ctx->err, RORM_EINVAL,
                           "Argument `%s` of relation `%s`: expected an object", op, rel->name);
    }
    return RORM_OK;
}

static int
create_record(const rorm_value **out, nctx *n, const rorm_model *m, const rorm_value *data);
static int update_record(const rorm_value **out,
                         nctx *n,
                         const rorm_model *m,
                         const rorm_value *where,
                         const rorm_value *data);

/* ---- join rows ---------------------------------------------------------------------------- */

static int
join_row(nctx *n, const pc_link *l, const rorm_value *outer, const rorm_value *inner, bool insert)
{
    const rorm_value *a = rorm_value_object_get(outer, l->outer_keys[0]->name);
    const rorm_value *b = rorm_value_object_get(inner, l->inner_keys[0]->name);
    if (a == NULL || b == NULL) {
        return rorm__error(n->ctx->err, RORM_EINVAL, "a join row needs both ids");
    }
    pc_sql s;
    rorm__pc_sql_init(&s, n->tx->dialect);
    /* Inserting deletes first, so that connecting a connected record is not a duplicate. */
    for (int pass = insert ? 0 : 1; pass < 2; pass++) {
        rorm__str_clear(&s.text);
        s.params.len = 0;
        if (pass == 0 || !insert) {
            rorm__str_puts(&s.text, "DELETE FROM ");
            rorm__dialect_qualified(&s.text, s.d, l->join_schema, l->join_table);
            rorm__str_puts(&s.text, " WHERE ");
            s.d->quote_ident(&s.text, l->join_outer_col);
            rorm__str_puts(&s.text, " = ");
            rorm__pc_sql_param(&s, a);
            rorm__str_puts(&s.text, " AND ");
            s.d->quote_ident(&s.text, l->join_inner_col);
            rorm__str_puts(&s.text, " = ");
            rorm__pc_sql_param(&s, b);
        } else {
            rorm__str_puts(&s.text, "INSERT INTO ");
            rorm__dialect_qualified(&s.text, s.d, l->join_schema, l->join_table);
            rorm__str_puts(&s.text, " (");
            s.d->quote_ident(&s.text, l->join_outer_col);
            rorm__str_puts(&s.text, ", ");
            s.d->quote_ident(&s.text, l->join_inner_col);
            rorm__str_puts(&s.text, ") VALUES (");
            rorm__pc_sql_param(&s, a);
            rorm__str_puts(&s.text, ", ");
            rorm__pc_sql_param(&s, b);
            rorm__str_puts(&s.text, ")");
        }
        if (s.oom || rorm__str_oom(&s.text)) {
            rorm__pc_sql_dispose(&s);
            return oom(n);
        }
        int rc = rorm__run_write(n->tx, s.text.ptr, s.text.len, s.params.ptr, s.params.len, NULL,
                                 NULL, n->ctx->err);
        if (rc != RORM_OK) {
            rorm__pc_sql_dispose(&s);
            return rc;
        }
    }
    rorm__pc_sql_dispose(&s);
    return RORM_OK;
}

/* Remove every join row of @p outer. */
static int join_clear(nctx *n, const pc_link *l, const rorm_value *outer)
{
    const rorm_value *a = rorm_value_object_get(outer, l->outer_keys[0]->name);
    pc_sql s;
    rorm__pc_sql_init(&s, n->tx->dialect);
    rorm__str_puts(&s.text, "DELETE FROM ");
    rorm__dialect_qualified(&s.text, s.d, l->join_schema, l->join_table);
    rorm__str_puts(&s.text, " WHERE ");
    s.d->quote_ident(&s.text, l->join_outer_col);
    rorm__str_puts(&s.text, " = ");
    rorm__pc_sql_param(&s, a);
    int rc = s.oom || rorm__str_oom(&s.text)
                 ? oom(n)
                 : rorm__run_write(n->tx, s.text.ptr, s.text.len, s.params.ptr, s.params.len, NULL,
                                   NULL, n->ctx->err);
    rorm__pc_sql_dispose(&s);
    return rc;
}

/* ---- relations whose foreign key the record holds ----------------------------------------- */

/*
 * connect / create / connectOrCreate of a to-one relation held by this record: the related
 * record is found or made, and its key becomes the record's foreign-key values in @p fk
 * (members appended at *nfk). disconnect and delete set the key to null (delete removes the
 * related record after the update: *pending_delete).
 */
static int owning_ops(nctx *n,
                      const rorm_field *rel,
                      const pc_link *l,
                      const rorm_value *ops,
                      const rorm_value *current,
                      rorm_member *fk,
                      size_t *nfk,
                      const rorm_value **pending_delete)
{
    int rc = expect_obj(n, ops, rel, "data");
    for (size_t i = 0; rc == RORM_OK && i < ops->u.obj.len; i++) {
        const char *op = ops->u.obj.items[i].key;
        const rorm_value *v = &ops->u.obj.items[i].value;
        const rorm_value *related = NULL;
        bool set_null = false;
        if (strcmp(op, "connect") == 0) {
            rorm_member a[1];
            a[0].key = "where";
            a[0].value = *v;
            rc = call(&related, n, l->inner, "findUnique", a, 1);
            if (rc == RORM_OK && related->type == RORM_TYPE_NULL) {
                rc = not_found(n, rel, "connect");
            }
        } else if (strcmp(op, "create") == 0) {
            rc = create_record(&related, n, l->inner, v);
        } else if (strcmp(op, "connectOrCreate") == 0) {
            rc = expect_obj(n, v, rel, op);
            rorm_member a[1];
            if (rc == RORM_OK) {
                a[0].key = "where";
                const rorm_value *w = rorm_value_object_get(v, "where");
                a[0].value = w ? *w : RORM_NULL_VALUE;
                rc = call(&related, n, l->inner, "findUnique", a, 1);
            }
            if (rc == RORM_OK && related->type == RORM_TYPE_NULL) {
                rc = create_record(&related, n, l->inner, rorm_value_object_get(v, "create"));
            }
        } else if (current && (strcmp(op, "disconnect") == 0 || strcmp(op, "delete") == 0)) {
            if (v->type == RORM_TYPE_BOOL && !v->u.b) {
                continue;
            }
            set_null = true;
            if (op[0] == 'd' && op[1] == 'e') {
                *pending_delete = current;
            }
        } else if (current && (strcmp(op, "update") == 0 || strcmp(op, "upsert") == 0)) {
            /* The related record the foreign key points at. */
            rorm_member *w;
            rc = key_members(&w, n, current, l->outer_keys, l->inner_keys, l->nkeys);
            rorm_value where = RORM_OBJECT_N(w, l->nkeys);
            const rorm_value *found = NULL;
            rorm_member a[1];
            a[0].key = "where";
            a[0].value = where;
            bool null_key = false;
            for (size_t k = 0; k < l->nkeys; k++) {
                null_key |= w[k].value.type == RORM_TYPE_NULL;
            }
            if (rc == RORM_OK && !null_key) {
                rc = call(&found, n, l->inner, "findUnique", a, 1);
            }
            bool exists = found && found->type != RORM_TYPE_NULL;
            if (rc == RORM_OK && op[1] == 'p' && op[2] == 'd') {
                /* update: data, or {where, data} */
                const rorm_value *data = rorm_value_object_get(v, "data");
                if (!exists) {
                    rc = not_found(n, rel, "update");
                } else {
                    rc = update_record(&related, n, l->inner, &where, data ? data : v);
                    related = NULL; /* the key is unchanged unless the data changes it */
                }
            } else if (rc == RORM_OK) {
                rc = expect_obj(n, v, rel, op);
                if (rc == RORM_OK && exists) {
                    rc = update_record(NULL, n, l->inner, &where,
                                       rorm_value_object_get(v, "update"));
                } else if (rc == RORM_OK) {
                    rc = create_record(&related, n, l->inner, rorm_value_object_get(v, "create"));
                }
            }
        } else {
            static const char *const create_ops[] = { "create", "connect", "connectOrCreate" };
            (void)create_ops;
            rc = rorm__error(n->ctx->err, RORM_EINVAL, "Unknown argument `%s` in data.%s (%s.%s)",
                             op, rel->name, rel->model->name, current ? "update" : "create");
        }
        for (size_t k = 0; rc == RORM_OK && (related || set_null) && k < l->nkeys; k++) {
            const rorm_value *kv =
                related ? rorm_value_object_get(related, l->inner_keys[k]->name) : NULL;
            fk[*nfk].key = l->outer_keys[k]->name;
            fk[*nfk].value = kv ? *kv : RORM_NULL_VALUE;
            fk[*nfk].value.flags |= RORM_VALUE_BORROWED;
            (*nfk)++;
        }
    }
    return rc;
}

/* ---- relations whose records point at this one -------------------------------------------- */

/*
 * The where "related to @p parent": the foreign key equal to the parent's key, or through the
 * join table a relation filter on the opposite field ({posts: {some: {id: 1}}}).
 */
static int related_where(rorm_member **out,
                         size_t *nout,
                         nctx *n,
                         const rorm_field *rel,
                         const pc_link *l,
                         const rorm_value *parent)
{
    if (l->join_table) {
        const rorm_field *opp = rel->relation->opposite;
        if (opp == NULL) {
            return rorm__error(n->ctx->err, RORM_EUNSUPPORTED,
                               "relation `%s.%s` has no opposite field", rel->model->name,
                               rel->name);
        }
        rorm_member *k = NULL;
        int rc = key_members(&k, n, parent, l->outer_keys, NULL, 1);
        rorm_member *some = members(n, 1);
        rorm_member *m = members(n, 1);
        if (rc != RORM_OK || some == NULL || m == NULL) {
            return rc != RORM_OK ? rc : oom(n);
        }
        obj1(m, opp->name, obj1(some, "some", RORM_OBJECT_N(k, 1)));
        *out = m;
        *nout = 1;
        return RORM_OK;
    }
    *nout = l->nkeys;
    return key_members(out, n, parent, l->outer_keys, l->inner_keys, l->nkeys);
}

/* {AND: [a, {related}]} */
static int and_related(
    rorm_value *out, nctx *n, const rorm_value *a, const rorm_member *rel_where, size_t nrel)
{
    rorm_value *both = rorm__pc_alloc(&n->ctx->arena, 2 * sizeof *both);
    rorm_member *m = members(n, 1);
    if (both == NULL || m == NULL) {
        return oom(n);
    }
    both[0] = a && a->type != RORM_TYPE_NULL ? *a : RORM_OBJECT_N(m + 1, 0);
    both[0].flags |= RORM_VALUE_BORROWED;
    both[1] = RORM_OBJECT_N((rorm_member *)rel_where, nrel);
    m[0].key = "AND";
    m[0].value = RORM_ARRAY_N(both, 2);
    *out = RORM_OBJECT_N(m, 1);
    return RORM_OK;
}

static int child_ops(nctx *n,
                     const rorm_field *rel,
                     const pc_link *l,
                     const rorm_value *ops,
                     const rorm_value *parent,
                     bool updating)
{
    int rc = expect_obj(n, ops, rel, "data");
    rorm_member *fk = NULL; /* the foreign key set to the parent (direct relations) */
    rorm_member *rw = NULL; /* where: related to the parent */
    size_t nrw = 0;
    if (rc == RORM_OK && !l->join_table) {
        rc = key_members(&fk, n, parent, l->outer_keys, l->inner_keys, l->nkeys);
    }
    if (rc == RORM_OK) {
        rc = related_where(&rw, &nrw, n, rel, l, parent);
    }
    rorm_member *nullfk = members(n, l->nkeys);
    if (rc == RORM_OK && nullfk == NULL) {
        rc = oom(n);
    }
    for (size_t k = 0; rc == RORM_OK && !l->join_table && k < l->nkeys; k++) {
        nullfk[k].key = l->inner_keys[k]->name;
        nullfk[k].value = RORM_NULL_VALUE;
    }
    rorm_value nulldata = RORM_OBJECT_N(nullfk, l->join_table ? 0 : l->nkeys);
    for (size_t i = 0; rc == RORM_OK && i < ops->u.obj.len; i++) {
        const char *op = ops->u.obj.items[i].key;
        const rorm_value *v = &ops->u.obj.items[i].value;
        size_t count = items_of(v);
        bool single = !l->list;
        if (strcmp(op, "create") == 0) {
            for (size_t j = 0; rc == RORM_OK && j < count; j++) {
                const rorm_value *rec = NULL;
                rorm_value data;
                rc = merged(&data, n, item_at(v, j), fk, l->join_table ? 0 : l->nkeys);
                if (rc == RORM_OK) {
                    rc = create_record(&rec, n, l->inner, &data);
                }
                if (rc == RORM_OK && l->join_table) {
                    rc = join_row(n, l, parent, rec, true);
                }
            }
        } else if (strcmp(op, "createMany") == 0) {
            const rorm_value *data = is_obj(v) ? rorm_value_object_get(v, "data") : NULL;
            if (data == NULL || l->join_table) {
                rc = rorm__error(n->ctx->err, RORM_EINVAL,
                                 "Argument `createMany` of `%s`: expected {data: [...]} on a "
                                 "one-to-many relation",
                                 rel->name);
                break;
            }
            size_t nd = items_of(data);
            rorm_value *recs = rorm__pc_alloc(&n->ctx->arena, (nd + 1) * sizeof *recs);
            if (recs == NULL) {
                rc = oom(n);
                break;
            }
            for (size_t j = 0; rc == RORM_OK && j < nd; j++) {
                rc = merged(&recs[j], n, item_at(data, j), fk, l->nkeys);
            }
            rorm_member a[2];
            size_t na = 0;
            a[na].key = "data";
            a[na++].value = RORM_ARRAY_N(recs, nd);
            const rorm_value *sd = rorm_value_object_get(v, "skipDuplicates");
            if (sd) {
                a[na].key = "skipDuplicates";
                a[na++].value = *sd;
            }
            if (rc == RORM_OK) {
                rc = call(NULL, n, l->inner, "createMany", a, na);
            }
        } else if (strcmp(op, "connect") == 0 || strcmp(op, "connectOrCreate") == 0 ||
                   strcmp(op, "set") == 0) {
            bool set = op[0] == 's';
            bool or_create = strcmp(op, "connectOrCreate") == 0;
            if (set && !l->list) {
                rc = rorm__error(n->ctx->err, RORM_EINVAL,
                                 "Argument `set` is for list relations (`%s` is not)", rel->name);
                break;
            }
            if (set && l->join_table) {
                rc = join_clear(n, l, parent);
            } else if (set || (single && updating)) {
                /* Detach the current ones first (a to-one relation has one). A required key
                   cannot be detached: that is an error only when there is a current one. */
                bool nullable = true;
                for (size_t k = 0; k < l->nkeys; k++) {
                    nullable &= (l->inner_keys[k]->flags & RORM_NULLABLE) != 0;
                }
                rorm_value w = RORM_OBJECT_N(rw, nrw);
                rorm_member a[2] = { { "where", w }, { "data", nulldata } };
                const rorm_value *current = NULL;
                if (!nullable) {
                    rc = call(&current, n, l->inner, "count", a, 1);
                }
                if (rc == RORM_OK && !nullable && rorm_value_as_int(current, 0) > 0) {
                    rc = rorm__error(n->ctx->err, RORM_EINVAL,
                                     "The change you are trying to make would violate the "
                                     "required relation `%s.%s` (its records cannot be "
                                     "disconnected)",
                                     rel->model->name, rel->name);
                } else if (rc == RORM_OK && nullable) {
                    rc = call(NULL, n, l->inner, "updateMany", a, 2);
                }
            }
            for (size_t j = 0;
                 rc == RORM_OK &&
                 j < (set && v->type == RORM_TYPE_ARRAY && v->u.arr.len == 0 ? 0 : count);
                 j++) {
                const rorm_value *item = item_at(v, j);
                const rorm_value *where = item;
                if (or_create) {
                    rc = expect_obj(n, item, rel, op);
                    where = rc == RORM_OK ? rorm_value_object_get(item, "where") : NULL;
                }
                const rorm_value *found = NULL;
                rorm_member a[1] = { { "where", where ? *where : RORM_NULL_VALUE } };
                if (rc == RORM_OK) {
                    rc = call(&found, n, l->inner, "findUnique", a, 1);
                }
                if (rc == RORM_OK && found->type == RORM_TYPE_NULL) {
                    if (!or_create) {
                        rc = not_found(n, rel, set ? "set" : "connect");
                        break;
                    }
                    rorm_value data;
                    rc = merged(&data, n, rorm_value_object_get(item, "create"), fk,
                                l->join_table ? 0 : l->nkeys);
                    if (rc == RORM_OK) {
                        rc = create_record(&found, n, l->inner, &data);
                    }
                    if (rc == RORM_OK && l->join_table) {
                        rc = join_row(n, l, parent, found, true);
                    }
                    continue;
                }
                if (rc == RORM_OK && l->join_table) {
                    rc = join_row(n, l, parent, found, true);
                } else if (rc == RORM_OK) {
                    rorm_value w;
                    rc = pk_where(&w, n, l->inner, found);
                    rorm_member u[2] = { { "where", w }, { "data", RORM_OBJECT_N(fk, l->nkeys) } };
                    if (rc == RORM_OK) {
                        rc = call(NULL, n, l->inner, "update", u, 2);
                    }
                }
            }
        } else if (updating && (strcmp(op, "disconnect") == 0 || strcmp(op, "delete") == 0)) {
            bool del = op[1] == 'e';
            if (single) {
                if (v->type == RORM_TYPE_BOOL && !v->u.b) {
                    continue;
                }
                rorm_value w = RORM_OBJECT_N(rw, nrw);
                rorm_member a[2] = { { "where", w }, { "data", nulldata } };
                rc = call(NULL, n, l->inner, del ? "deleteMany" : "updateMany", a, del ? 1 : 2);
                continue;
            }
            for (size_t j = 0; rc == RORM_OK && j < count; j++) {
                rorm_value w;
                rc = merged(&w, n, item_at(v, j), rw, nrw);
                const rorm_value *found = NULL;
                rorm_member a[2] = { { "where", w }, { "data", nulldata } };
                if (rc == RORM_OK) {
                    rc = call(&found, n, l->inner, "findUnique", a, 1);
                }
                if (rc == RORM_OK && found->type == RORM_TYPE_NULL) {
                    if (del) {
                        rc = not_found(n, rel, "delete");
                    }
                    continue;
                }
                if (rc == RORM_OK && l->join_table && !del) {
                    rc = join_row(n, l, parent, found, false);
                } else if (rc == RORM_OK) {
                    rorm_value pw;
                    rc = pk_where(&pw, n, l->inner, found);
                    a[0].value = pw;
                    if (rc == RORM_OK) {
                        rc = call(NULL, n, l->inner, del ? "delete" : "update", a, del ? 1 : 2);
                    }
                }
            }
        } else if (updating && (strcmp(op, "update") == 0 || strcmp(op, "upsert") == 0)) {
            bool up = strcmp(op, "upsert") == 0;
            for (size_t j = 0; rc == RORM_OK && j < count; j++) {
                const rorm_value *item = item_at(v, j);
                rc = expect_obj(n, item, rel, op);
                const rorm_value *where = single ? NULL : rorm_value_object_get(item, "where");
                const rorm_value *data = up ? rorm_value_object_get(item, "update")
                                            : rorm_value_object_get(item, "data");
                if (single && !up && data == NULL) {
                    data = item; /* `update: {...data}` on a to-one relation */
                }
                rorm_value w;
                if (rc == RORM_OK) {
                    rc = merged(&w, n, where, rw, nrw);
                }
                const rorm_value *found = NULL;
                rorm_member a[1] = { { "where", w } };
                if (rc == RORM_OK) {
                    rc = call(&found, n, l->inner, single ? "findFirst" : "findUnique", a, 1);
                }
                if (rc == RORM_OK && found->type == RORM_TYPE_NULL) {
                    if (!up) {
                        rc = not_found(n, rel, "update");
                        break;
                    }
                    rorm_value cdata;
                    rc = merged(&cdata, n, rorm_value_object_get(item, "create"), fk,
                                l->join_table ? 0 : l->nkeys);
                    const rorm_value *made = NULL;
                    if (rc == RORM_OK) {
                        rc = create_record(&made, n, l->inner, &cdata);
                    }
                    if (rc == RORM_OK && l->join_table) {
                        rc = join_row(n, l, parent, made, true);
                    }
                    continue;
                }
                rorm_value pw;
                if (rc == RORM_OK) {
                    rc = pk_where(&pw, n, l->inner, found);
                }
                if (rc == RORM_OK) {
                    rc = update_record(NULL, n, l->inner, &pw, data);
                }
            }
        } else if (updating && (strcmp(op, "updateMany") == 0 || strcmp(op, "deleteMany") == 0)) {
            bool del = op[0] == 'd';
            for (size_t j = 0; rc == RORM_OK && j < count; j++) {
                const rorm_value *item = item_at(v, j);
                const rorm_value *where = del ? item : rorm_value_object_get(item, "where");
                rorm_value w;
                rc = and_related(&w, n, where, rw, nrw);
                rorm_member a[2] = { { "where", w }, { "data", RORM_NULL_VALUE } };
                if (!del) {
                    const rorm_value *data = rorm_value_object_get(item, "data");
                    a[1].value = data ? *data : RORM_NULL_VALUE;
                }
                if (rc == RORM_OK) {
                    rc = call(NULL, n, l->inner, del ? "deleteMany" : "updateMany", a, del ? 1 : 2);
                }
            }
        } else {
            rc = rorm__error(n->ctx->err, RORM_EINVAL, "Unknown argument `%s` in data.%s (%s.%s)",
                             op, rel->name, rel->model->name, updating ? "update" : "create");
        }
    }
    return rc;
}

/* ---- records ------------------------------------------------------------------------------ */

/* The nested writes of @p data on relations whose foreign key is on the other side (the
   records that point at @p rec). */
static int pointing_ops(
    nctx *n, const rorm_model *m, const rorm_value *data, const rorm_value *rec, bool updating)
{
    int rc = RORM_OK;
    for (size_t i = 0; rc == RORM_OK && i < data->u.obj.len; i++) {
        const rorm_member *mem = &data->u.obj.items[i];
        const rorm_field *f = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
        pc_link l;
        if (f == NULL || f->type != RORM_FIELD_RELATION || mem->value.type == RORM_TYPE_NULL) {
            continue;
        }
        if ((rc = rorm__pc_link(&l, f, n->ctx->err)) == RORM_OK && !l.outer_fk) {
            rc = child_ops(n, f, &l, &mem->value, rec, updating);
        }
    }
    return rc;
}

/* Split @p data into scalar members and relation members. */
static int split(rorm_member **scalars,
                 size_t *nscalars,
                 nctx *n,
                 const rorm_model *m,
                 const rorm_value *data,
                 size_t extra)
{
    size_t nd = is_obj(data) ? data->u.obj.len : 0;
    rorm_member *s = members(n, nd + extra);
    if (s == NULL) {
        return oom(n);
    }
    size_t k = 0;
    for (size_t i = 0; i < nd; i++) {
        const rorm_member *mem = &data->u.obj.items[i];
        const rorm_field *f = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
        if (f && f->type == RORM_FIELD_RELATION && mem->value.type != RORM_TYPE_NULL) {
            continue;
        }
        s[k] = *mem;
        s[k++].value.flags |= RORM_VALUE_BORROWED;
    }
    *scalars = s;
    *nscalars = k;
    return RORM_OK;
}

static size_t fk_room(const rorm_model *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->fields.len; i++) {
        const rorm_field *f = m->fields.ptr[i];
        if (f->type == RORM_FIELD_RELATION && f->relation) {
            n += f->relation->nfields;
        }
    }
    return n;
}

/* Create a record of @p m from @p data with its nested writes; *out is the record created. */
static int
create_record(const rorm_value **out, nctx *n, const rorm_model *m, const rorm_value *data)
{
    if (!is_obj(data)) {
        return rorm__error(n->ctx->err, RORM_EINVAL,
                           "Argument `create` of a nested write on `%s`: expected an object",
                           m->name);
    }
    rorm_member *s;
    size_t ns;
    int rc = split(&s, &ns, n, m, data, fk_room(m));
    /* First the relations whose key this record holds. */
    for (size_t i = 0; rc == RORM_OK && i < data->u.obj.len; i++) {
        const rorm_member *mem = &data->u.obj.items[i];
        const rorm_field *f = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
        pc_link l;
        if (f == NULL || f->type != RORM_FIELD_RELATION || mem->value.type == RORM_TYPE_NULL) {
            continue;
        }
        if ((rc = rorm__pc_link(&l, f, n->ctx->err)) == RORM_OK && l.outer_fk) {
            rc = owning_ops(n, f, &l, &mem->value, NULL, s, &ns, NULL);
        }
    }
    const rorm_value *rec = NULL;
    rorm_member a[1];
    a[0].key = "data";
    a[0].value = RORM_OBJECT_N(s, ns);
    if (rc == RORM_OK) {
        rc = call(&rec, n, m, "create", a, 1);
    }
    /* Then the records that point at it. */
    if (rc == RORM_OK) {
        rc = pointing_ops(n, m, data, rec, false);
    }
    if (rc == RORM_OK && out) {
        *out = rec;
    }
    return rc;
}

/* Update the record of @p m matching @p where with @p data and its nested writes. */
static int update_record(const rorm_value **out,
                         nctx *n,
                         const rorm_model *m,
                         const rorm_value *where,
                         const rorm_value *data)
{
    if (!is_obj(data)) {
        return rorm__error(n->ctx->err, RORM_EINVAL,
                           "Argument `data` of an update of `%s`: expected an object", m->name);
    }
    const rorm_value *cur = NULL;
    rorm_member a[2];
    a[0].key = "where";
    a[0].value = *where;
    a[0].value.flags |= RORM_VALUE_BORROWED;
    int rc = call(&cur, n, m, "findUnique", a, 1);
    if (rc == RORM_OK && cur->type == RORM_TYPE_NULL) {
        return rorm__error(n->ctx->err, RORM_ENOTFOUND,
                           "An operation failed because it depends on one or more records that "
                           "were required but not found. Record to update not found. (%s.update)",
                           m->name);
    }
    rorm_member *s;
    size_t ns;
    const rorm_value *pending_delete = NULL;
    const rorm_field *pending_rel = NULL;
    if (rc == RORM_OK) {
        rc = split(&s, &ns, n, m, data, fk_room(m));
    }
    for (size_t i = 0; rc == RORM_OK && i < data->u.obj.len; i++) {
        const rorm_member *mem = &data->u.obj.items[i];
        const rorm_field *f = rorm__map_get(&m->field_map, mem->key, strlen(mem->key));
        pc_link l;
        if (f == NULL || f->type != RORM_FIELD_RELATION || mem->value.type == RORM_TYPE_NULL) {
            continue;
        }
        if ((rc = rorm__pc_link(&l, f, n->ctx->err)) == RORM_OK && l.outer_fk) {
            const rorm_value *del = NULL;
            rc = owning_ops(n, f, &l, &mem->value, cur, s, &ns, &del);
            if (del) {
                pending_delete = del;
                pending_rel = f;
            }
        }
    }
    const rorm_value *rec = cur;
    rorm_value pw;
    if (rc == RORM_OK) {
        rc = pk_where(&pw, n, m, cur);
    }
    if (rc == RORM_OK && ns > 0) {
        a[0].value = pw;
        a[1].key = "data";
        a[1].value = RORM_OBJECT_N(s, ns);
        rc = call(&rec, n, m, "update", a, 2);
    }
    if (rc == RORM_OK) {
        rc = pointing_ops(n, m, data, rec, true);
    }
    if (rc == RORM_OK && pending_delete) {
        pc_link l;
        rc = rorm__pc_link(&l, pending_rel, n->ctx->err);
        rorm_member *w = NULL;
        if (rc == RORM_OK) {
            rc = key_members(&w, n, pending_delete, l.outer_keys, l.inner_keys, l.nkeys);
        }
        rorm_member d[1];
        if (rc == RORM_OK) {
            d[0].key = "where";
            d[0].value = RORM_OBJECT_N(w, l.nkeys);
            rc = call(NULL, n, l.inner, "delete", d, 1);
        }
    }
    if (rc == RORM_OK && out) {
        *out = rec;
    }
    return rc;
}

/* ---- the operation ------------------------------------------------------------------------ */

int rorm__pc_nested_write(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    const rorm_value *args = q->args;
    const rorm_value *where = rorm_value_object_get(args, "where");
    rorm_db *tx;
    int rc = rorm_db_begin(&tx, q->db, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    nctx n = { ctx, tx };
    const rorm_value *rec = NULL;
    switch (q->op) {
    case PC_CREATE:
        rc = create_record(&rec, &n, q->model, rorm_value_object_get(args, "data"));
        break;
    case PC_UPDATE:
        rc = update_record(&rec, &n, q->model, where, rorm_value_object_get(args, "data"));
        break;
    case PC_UPSERT: {
        rorm_member a[1] = { { "where", *where } };
        const rorm_value *found = NULL;
        rc = call(&found, &n, q->model, "findUnique", a, 1);
        if (rc == RORM_OK && found->type != RORM_TYPE_NULL) {
            rc = update_record(&rec, &n, q->model, where, rorm_value_object_get(args, "update"));
        } else if (rc == RORM_OK) {
            rc = create_record(&rec, &n, q->model, rorm_value_object_get(args, "create"));
        }
        break;
    }
    default:
        rc = rorm__error(ctx->err, RORM_EINVAL, "nested writes are for create, update, upsert");
        break;
    }
    /* The result, read back with the query's selection (relations included). */
    if (rc == RORM_OK) {
        rorm_member a[4];
        size_t na = 0;
        rc = pk_where(&a[na].value, &n, q->model, rec);
        a[na++].key = "where";
        static const char *const keep[] = { "select", "include", "omit" };
        for (size_t k = 0; k < 3; k++) {
            const rorm_value *v = rorm_value_object_get(args, keep[k]);
            if (v && v->type != RORM_TYPE_NULL) {
                a[na].key = keep[k];
                a[na++].value = *v;
            }
        }
        rorm_value r = RORM_OBJECT_N(a, na);
        if (rc == RORM_OK) {
            rc = rorm_db_call(out, tx, q->model->name, "findUniqueOrThrow", &r, ctx->err);
        }
    }
    if (rc == RORM_OK) {
        rc = rorm_db_commit(tx, ctx->err);
        if (rc != RORM_OK) {
            rorm_value_dispose(out);
        }
        return rc;
    }
    rorm_db_rollback(tx, NULL);
    return rc;
}

int rorm__pc_delete_with_relations(rorm_value *out, pc_ctx *ctx)
{
    pc_query *q = &ctx->q;
    const rorm_value *args = q->args;
    rorm_db *tx;
    int rc = rorm_db_begin(&tx, q->db, ctx->err);
    if (rc != RORM_OK) {
        return rc;
    }
    nctx n = { ctx, tx };
    /* The record with its relations as they are before the delete. */
    rc = rorm_db_call(out, tx, q->model->name, "findUnique", args, ctx->err);
    if (rc == RORM_OK && out->type == RORM_TYPE_NULL) {
        rc = rorm__error(ctx->err, RORM_ENOTFOUND,
                         "An operation failed because it depends on one or more records that were "
                         "required but not found. Record to delete not found. (%s.delete)",
                         q->model->name);
    }
    if (rc == RORM_OK) {
        rorm_member a[1];
        a[0].key = "where";
        a[0].value = *rorm_value_object_get(args, "where");
        a[0].value.flags |= RORM_VALUE_BORROWED;
        rc = call(NULL, &n, q->model, "delete", a, 1);
    }
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
