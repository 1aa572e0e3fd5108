/*
 * The native functions under the JavaScript runtime: opening databases, loading schemas, the
 * record API, the select builder, Prisma Client calls (rorm_db_call), raw SQL, transactions, and
 * the few operating-system services scripts need (printing, files, environment, exit).
 * prelude.js builds the user-facing API on these; it receives them as one object, never as
 * globals.
 */
#include "js/js.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "query/prisma/pc.h"
#include "rediorm/client.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/error.h"

extern char **environ;

#define NATIVE(name)                                                                        \
    static JSValueRef name(JSContextRef ctx, JSObjectRef fn, JSObjectRef self, size_t argc, \
                           const JSValueRef argv[], JSValueRef *exc)
#define UNUSED_ARGS() ((void)fn, (void)self, (void)exc)
#define ARG(i)        ((i) < argc ? argv[i] : JSValueMakeUndefined(ctx))

/* A string argument as UTF-8 (owned), or NULL with a TypeError thrown. */
static char *arg_string(JSContextRef ctx,
                        size_t argc,
                        const JSValueRef argv[],
                        size_t i,
                        const char *what,
                        JSValueRef *exc)
{
    if (i >= argc || !JSValueIsString(ctx, argv[i])) {
        rorm__js_throw_type(ctx, exc, "%s must be a string", what);
        return NULL;
    }
    char *s = rorm__js_to_utf8(ctx, argv[i], exc);
    if (s == NULL && *exc == NULL) {
        rorm__js_throw_oom(ctx, exc);
    }
    return s;
}

/* The database behind a handle argument, opening a lazily opened one. */
static rorm_db *arg_db(JSContextRef ctx, JSValueRef v, JSValueRef *exc)
{
    rorm_jsdb *h = rorm__js_handle_of(ctx, v, exc);
    if (h == NULL) {
        return NULL;
    }
    if (h->db == NULL && !h->is_tx && h->uri != NULL) {
        rorm_error err = { 0 };
        if (rorm_db_open(&h->db, h->uri, &err) != RORM_OK) {
            rorm__js_throw_error(ctx, &err, exc);
            return NULL;
        }
    }
    if (h->db == NULL) {
        rorm_error err = { 0 };
        rorm__error(&err, RORM_ESTATE,
                    h->is_tx ? "the transaction is already finished" : "the database is closed");
        rorm__js_throw_error(ctx, &err, exc);
        return NULL;
    }
    return h->db;
}

static JSValueRef throw_err(JSContextRef ctx, rorm_error *err, JSValueRef *exc)
{
    return rorm__js_throw_error(ctx, err, exc);
}

/* The root handle (database, not transaction) of a handle. */
static rorm_jsdb *root_of(rorm_jsdb *h)
{
    return h->is_tx ? h->root : h;
}

/* ---- databases and schemas ---------------------------------------------------------------- */

NATIVE(n_open)
{
    UNUSED_ARGS();
    char *uri = arg_string(ctx, argc, argv, 0, "the database URI", exc);
    if (uri == NULL) {
        return NULL;
    }
    rorm_js_engine *e = rorm__js_engine_of(ctx);
    rorm_jsdb *h = rorm__js_handle_new(e);
    if (h == NULL) {
        rorm__free(uri);
        return rorm__js_throw_oom(ctx, exc);
    }
    h->owned = true;
    h->uri = uri;
    /* Parse errors belong to fromUri(); opening the file waits for connect() or first use. */
    return rorm__js_handle_wrap(ctx, h);
}

NATIVE(n_connect)
{
    UNUSED_ARGS();
    return arg_db(ctx, ARG(0), exc) == NULL ? NULL : JSValueMakeUndefined(ctx);
}

NATIVE(n_close)
{
    UNUSED_ARGS();
    rorm_jsdb *h = rorm__js_handle_of(ctx, ARG(0), exc);
    if (h == NULL) {
        return NULL;
    }
    if (h->owned) {
        rorm__js_handle_close(h);
        rorm__free(h->uri);
        h->uri = NULL;
    }
    return JSValueMakeUndefined(ctx);
}

NATIVE(n_load_schema)
{
    UNUSED_ARGS();
    rorm_jsdb *h = rorm__js_handle_of(ctx, ARG(0), exc);
    if (h == NULL || arg_db(ctx, ARG(0), exc) == NULL) {
        return NULL;
    }
    bool from_path = argc > 2 && JSValueToBoolean(ctx, argv[2]);
    char *text =
        arg_string(ctx, argc, argv, 1, from_path ? "the schema path" : "the schema text", exc);
    if (text == NULL) {
        return NULL;
    }
    rorm_error err = { 0 };
    rorm_schema *schema = NULL;
    rorm_diagnostics *diags = NULL;
    int rc = rorm_diagnostics_new(&diags, &err);
    if (rc == RORM_OK) {
        rc = from_path ? rorm_prisma_load_path(&schema, text, diags, &err)
                       : rorm_prisma_load_string(&schema, text, strlen(text), "schema.prisma",
                                                 diags, &err);
    }
    if (rc == RORM_OK) {
        rc = rorm__js_handle_add_schema(root_of(h), schema, &err);
    }
    rorm_schema_release(schema);
    rorm__free(text);
    if (rc != RORM_OK) {
        /* The first diagnostic says more than the summary. */
        const rorm_diag *d =
            rorm_diagnostics_error_count(diags) > 0 ? rorm_diagnostics_at(diags, 0) : NULL;
        for (size_t i = 0; d != NULL && i < rorm_diagnostics_count(diags); i++) {
            d = rorm_diagnostics_at(diags, i);
            if (d->severity == RORM_DIAG_ERROR) {
                break;
            }
        }
        if (d != NULL) {
            rorm__error(&err, rc, "%s:%d:%d: %s", d->file, d->line, d->column, d->message);
            err.line = d->line;
            err.column = d->column;
        }
        rorm_diagnostics_free(diags);
        return throw_err(ctx, &err, exc);
    }
    rorm_diagnostics_free(diags);
    return JSValueMakeUndefined(ctx);
}

NATIVE(n_sync)
{
    UNUSED_ARGS();
    rorm_db *db = arg_db(ctx, ARG(0), exc);
    if (db == NULL) {
        return NULL;
    }
    rorm_error err = { 0 };
    if (rorm_db_ensure_schema(db, &err) != RORM_OK) {
        return throw_err(ctx, &err, exc);
    }
    return JSValueMakeUndefined(ctx);
}

static JSValueRef str_value(JSContextRef ctx, const char *s)
{
    return s != NULL ? rorm__js_make_string(ctx, s, strlen(s)) : JSValueMakeNull(ctx);
}

static JSObjectRef field_info(JSContextRef ctx, const rorm_field *f)
{
    JSObjectRef o = JSObjectMake(ctx, NULL, NULL);
    rorm__js_set(ctx, o, "name", str_value(ctx, f->name));
    rorm__js_set(ctx, o, "column", str_value(ctx, f->column));
    rorm__js_set(ctx, o, "type",
                 str_value(ctx, f->type == RORM_FIELD_ENUM && f->enum_name
                                    ? f->enum_name
                                    : rorm_field_type_name(f->type)));
    rorm__js_set(ctx, o, "kind",
                 str_value(ctx, f->type == RORM_FIELD_RELATION ? "object"
                                : f->type == RORM_FIELD_ENUM   ? "enum"
                                                               : "scalar"));
    rorm__js_set(ctx, o, "isList", JSValueMakeBoolean(ctx, (f->flags & RORM_LIST) != 0));
    rorm__js_set(ctx, o, "isRequired", JSValueMakeBoolean(ctx, (f->flags & RORM_NULLABLE) == 0));
    rorm__js_set(ctx, o, "isId", JSValueMakeBoolean(ctx, (f->flags & RORM_PRIMARY_KEY) != 0));
    rorm__js_set(ctx, o, "isUnique", JSValueMakeBoolean(ctx, (f->flags & RORM_UNIQUE) != 0));
    bool has_default =
        f->def.kind != RORM_DEFAULT_NONE || (f->flags & (RORM_AUTOINCREMENT | RORM_UPDATED_AT));
    rorm__js_set(ctx, o, "hasDefault", JSValueMakeBoolean(ctx, has_default));
    if (f->type == RORM_FIELD_RELATION && f->relation != NULL) {
        const rorm_relation *r = f->relation;
        rorm__js_set(ctx, o, "relatedModel",
                     str_value(ctx, r->model ? r->model->name : r->model_name));
        JSObjectRef fk = JSObjectMakeArray(ctx, 0, NULL, NULL);
        for (size_t i = 0; i < r->nfields; i++) {
            JSObjectSetPropertyAtIndex(ctx, fk, (unsigned)i, str_value(ctx, r->fields[i]->name),
                                       NULL);
        }
        rorm__js_set(ctx, o, "relationFromFields", fk);
    }
    return o;
}

NATIVE(n_models)
{
    UNUSED_ARGS();
    rorm_jsdb *h = rorm__js_handle_of(ctx, ARG(0), exc);
    if (h == NULL) {
        return NULL;
    }
    rorm_jsdb *root = root_of(h);
    JSObjectRef arr = JSObjectMakeArray(ctx, 0, NULL, NULL);
    unsigned k = 0;
    for (size_t s = 0; root != NULL && s < root->nschemas; s++) {
        const rorm_schema *schema = root->schemas[s];
        for (size_t m = 0; m < rorm_schema_model_count(schema); m++) {
            const rorm_model *model = rorm_schema_model_at(schema, m);
            if (model->ignored) {
                continue;
            }
            JSObjectRef o = JSObjectMake(ctx, NULL, NULL);
            rorm__js_set(ctx, o, "name", str_value(ctx, model->name));
            rorm__js_set(ctx, o, "table", str_value(ctx, model->table));
            JSObjectRef fields = JSObjectMakeArray(ctx, 0, NULL, NULL);
            unsigned nf = 0;
            for (size_t i = 0; i < model->fields.len; i++) {
                const rorm_field *f = model->fields.ptr[i];
                if (f->flags & RORM_IGNORED) {
                    continue;
                }
                JSObjectSetPropertyAtIndex(ctx, fields, nf++, field_info(ctx, f), NULL);
            }
            rorm__js_set(ctx, o, "fields", fields);
            JSObjectRef pk = JSObjectMakeArray(ctx, 0, NULL, NULL);
            for (size_t i = 0; i < model->pk.len; i++) {
                JSObjectSetPropertyAtIndex(ctx, pk, (unsigned)i,
                                           str_value(ctx, model->pk.ptr[i]->name), NULL);
            }
            rorm__js_set(ctx, o, "primaryKey", pk);
            JSObjectSetPropertyAtIndex(ctx, arr, k++, o, NULL);
        }
        for (size_t i = 0; i < rorm_schema_enum_count(schema); i++) {
            (void)i; /* enums need no metadata: their values are strings both ways */
        }
    }
    return arr;
}

NATIVE(n_db_type)
{
    UNUSED_ARGS();
    rorm_db *db = arg_db(ctx, ARG(0), exc);
    if (db == NULL) {
        return NULL;
    }
    static const char *const names[] = { "none", "sqlite", "postgresql", "mysql" };
    unsigned t = rorm_db_type_of(db);
    return str_value(ctx, t < 4 ? names[t] : "unknown");
}

/* ---- records --------------------------------------------------------------------------------- */

/* The common head of model calls: the database and the model name. */
static rorm_db *model_args(
    JSContextRef ctx, size_t argc, const JSValueRef argv[], char **model_out, JSValueRef *exc)
{
    rorm_db *db = arg_db(ctx, ARG(0), exc);
    if (db == NULL) {
        return NULL;
    }
    *model_out = arg_string(ctx, argc, argv, 1, "the model name", exc);
    return *model_out == NULL ? NULL : db;
}

NATIVE(n_insert)
{
    UNUSED_ARGS();
    char *model = NULL;
    rorm_db *db = model_args(ctx, argc, argv, &model, exc);
    if (db == NULL) {
        return NULL;
    }
    rorm_value data, id;
    rorm_value_init(&id);
    JSValueRef out = NULL;
    if (rorm__js_to_value(ctx, ARG(2), &data, "argument `data`", exc) == RORM_OK) {
        rorm_error err = { 0 };
        if (rorm_db_insert(db, model, &data, &id, &err) != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            const rorm_model *m = rorm_db_model(db, model);
            const rorm_field *pk = m && rorm_model_pk_count(m) == 1 ? rorm_model_pk_at(m, 0) : NULL;
            out = pk ? rorm__js_from_field_value(ctx, &id, pk, exc)
                     : rorm__js_from_value(ctx, &id, m, exc);
        }
        rorm_value_dispose(&data);
    }
    rorm_value_dispose(&id);
    rorm__free(model);
    return out;
}

NATIVE(n_find)
{
    UNUSED_ARGS();
    char *model = NULL;
    rorm_db *db = model_args(ctx, argc, argv, &model, exc);
    if (db == NULL) {
        return NULL;
    }
    rorm_value id, rec;
    rorm_value_init(&rec);
    JSValueRef out = NULL;
    if (rorm__js_to_value(ctx, ARG(2), &id, "argument `id`", exc) == RORM_OK) {
        rorm_error err = { 0 };
        int rc = rorm_db_find(db, model, &id, &rec, &err);
        if (rc == RORM_ENOTFOUND) {
            out = JSValueMakeNull(ctx);
        } else if (rc != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = rorm__js_from_value(ctx, &rec, rorm_db_model(db, model), exc);
        }
        rorm_value_dispose(&id);
    }
    rorm_value_dispose(&rec);
    rorm__free(model);
    return out;
}

NATIVE(n_update)
{
    UNUSED_ARGS();
    char *model = NULL;
    rorm_db *db = model_args(ctx, argc, argv, &model, exc);
    if (db == NULL) {
        return NULL;
    }
    rorm_value id, data;
    JSValueRef out = NULL;
    if (rorm__js_to_value(ctx, ARG(2), &id, "argument `id`", exc) == RORM_OK) {
        if (rorm__js_to_value(ctx, ARG(3), &data, "argument `data`", exc) == RORM_OK) {
            rorm_error err = { 0 };
            if (rorm_db_update(db, model, &id, &data, &err) != RORM_OK) {
                throw_err(ctx, &err, exc);
            } else {
                out = JSValueMakeUndefined(ctx);
            }
            rorm_value_dispose(&data);
        }
        rorm_value_dispose(&id);
    }
    rorm__free(model);
    return out;
}

NATIVE(n_remove)
{
    UNUSED_ARGS();
    char *model = NULL;
    rorm_db *db = model_args(ctx, argc, argv, &model, exc);
    if (db == NULL) {
        return NULL;
    }
    rorm_value id;
    JSValueRef out = NULL;
    if (rorm__js_to_value(ctx, ARG(2), &id, "argument `id`", exc) == RORM_OK) {
        rorm_error err = { 0 };
        if (rorm_db_delete(db, model, &id, &err) != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = JSValueMakeUndefined(ctx);
        }
        rorm_value_dispose(&id);
    }
    rorm__free(model);
    return out;
}

/* ---- the select builder ---------------------------------------------------------------------- */

static JSValueRef prop(JSContextRef ctx, JSValueRef obj, const char *name)
{
    return JSValueIsObject(ctx, obj) ? rorm__js_get(ctx, (JSObjectRef)obj, name) : NULL;
}

static size_t array_len(JSContextRef ctx, JSValueRef arr)
{
    JSValueRef l = prop(ctx, arr, "length");
    return l != NULL && JSValueIsNumber(ctx, l) ? (size_t)JSValueToNumber(ctx, l, NULL) : 0;
}

static JSValueRef at(JSContextRef ctx, JSValueRef arr, size_t i)
{
    return JSObjectGetPropertyAtIndex(ctx, (JSObjectRef)arr, (unsigned)i, NULL);
}

/* Apply a list of conditions: [field, op, value] triples, or {or: [...]} / {and: [...]} groups. */
static int apply_where(JSContextRef ctx, rorm_query *q, JSValueRef list, int depth, JSValueRef *exc)
{
    size_t n = array_len(ctx, list);
    for (size_t i = 0; i < n; i++) {
        JSValueRef c = at(ctx, list, i);
        if (!JSValueIsArray(ctx, c)) {
            JSValueRef group = prop(ctx, c, "or");
            bool is_or = group != NULL && !JSValueIsUndefined(ctx, group);
            if (!is_or) {
                group = prop(ctx, c, "and");
            }
            if (group == NULL || depth > 32) {
                rorm__js_throw_type(ctx, exc,
                                    "where: a condition must be (field, operator, value)");
                return RORM_EINVAL;
            }
            (is_or ? rorm_query_or_begin : rorm_query_and_begin)(q);
            int rc = apply_where(ctx, q, group, depth + 1, exc);
            rorm_query_group_end(q);
            if (rc != RORM_OK) {
                return rc;
            }
            continue;
        }
        char *field = rorm__js_to_utf8(ctx, at(ctx, c, 0), exc);
        char *op = rorm__js_to_utf8(ctx, at(ctx, c, 1), exc);
        rorm_value v;
        rorm_value_init(&v);
        int rc = field && op ? rorm__js_to_value(ctx, at(ctx, c, 2), &v, "the where value", exc)
                             : RORM_ENOMEM;
        if (rc == RORM_OK) {
            /* Errors are kept by the query and reported by execute(). */
            rorm_query_where(q, field, op, &v);
        }
        rorm_value_dispose(&v);
        rorm__free(field);
        rorm__free(op);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

NATIVE(n_query)
{
    UNUSED_ARGS();
    char *model = NULL;
    rorm_db *db = model_args(ctx, argc, argv, &model, exc);
    if (db == NULL) {
        return NULL;
    }
    JSValueRef spec = ARG(2);
    char *mode = arg_string(ctx, argc, argv, 3, "the query mode", exc);
    rorm_query *q = NULL;
    rorm_error err = { 0 };
    JSValueRef out = NULL;
    if (mode == NULL) {
        goto done;
    }
    if (rorm_query_new(&q, db, model, &err) != RORM_OK) {
        throw_err(ctx, &err, exc);
        goto done;
    }
    JSValueRef sel = prop(ctx, spec, "select");
    if (sel != NULL && JSValueIsString(ctx, sel)) {
        char *fields = rorm__js_to_utf8(ctx, sel, exc);
        if (fields != NULL) {
            rorm_query_select(q, fields);
        }
        rorm__free(fields);
    }
    JSValueRef where = prop(ctx, spec, "where");
    if (where != NULL && apply_where(ctx, q, where, 0, exc) != RORM_OK) {
        goto done;
    }
    JSValueRef order = prop(ctx, spec, "order");
    for (size_t i = 0, n = order ? array_len(ctx, order) : 0; i < n; i++) {
        JSValueRef o = at(ctx, order, i);
        char *field = rorm__js_to_utf8(ctx, at(ctx, o, 0), exc);
        char *dir = rorm__js_to_utf8(ctx, at(ctx, o, 1), exc);
        if (field != NULL && dir != NULL) {
            rorm_query_order_by(q, field, strcasecmp(dir, "DESC") == 0 ? RORM_DESC : RORM_ASC);
        }
        rorm__free(field);
        rorm__free(dir);
    }
    JSValueRef limit = prop(ctx, spec, "limit");
    if (limit != NULL && JSValueIsNumber(ctx, limit)) {
        rorm_query_limit(q, (int64_t)JSValueToNumber(ctx, limit, NULL));
    }
    JSValueRef offset = prop(ctx, spec, "offset");
    if (offset != NULL && JSValueIsNumber(ctx, offset)) {
        rorm_query_offset(q, (int64_t)JSValueToNumber(ctx, offset, NULL));
    }
    const rorm_model *m = rorm_db_model(db, model);
    if (strcmp(mode, "count") == 0) {
        int64_t count = 0;
        if (rorm_query_count(&count, q, &err) != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = JSValueMakeNumber(ctx, (double)count);
        }
    } else if (strcmp(mode, "first") == 0) {
        rorm_value rec;
        int rc = rorm_query_first(&rec, q, &err);
        if (rc == RORM_ENOTFOUND) {
            out = JSValueMakeNull(ctx);
        } else if (rc != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = rorm__js_from_value(ctx, &rec, m, exc);
            rorm_value_dispose(&rec);
        }
    } else if (strcmp(mode, "delete") == 0) {
        int64_t count = 0;
        if (rorm_query_delete(&count, q, &err) != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = JSValueMakeNumber(ctx, (double)count);
        }
    } else {
        rorm_rows *rows = NULL;
        if (rorm_query_execute(&rows, q, &err) != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = rorm__js_from_rows(ctx, rows, m, exc);
        }
        rorm_rows_free(rows);
    }
done:
    rorm_query_free(q);
    rorm__free(mode);
    rorm__free(model);
    return out;
}

/* ---- Prisma Client calls --------------------------------------------------------------------- */

/* native.call(h, values[, tokens, text]): the model, the operation and the arguments come
   packed by the prelude's packArgs() (args.c), the result goes back packed (pack.c). */
NATIVE(n_call)
{
    UNUSED_ARGS();
    rorm_db *db = arg_db(ctx, ARG(0), exc);
    if (db == NULL) {
        return NULL;
    }
    const char *names[2]; /* model, operation */
    rorm_value args, result;
    rorm_value_init(&result);
    JSValueRef out = NULL;
    rorm_value_init(&args);
    max_align_t first[2048 / sizeof(max_align_t)]; /* small results need no heap block */
    pc_rarena res;
    rorm__pc_rarena_init(&res, first, sizeof first);
    rorm_js_packed_args in;
    if (rorm__js_packed_args_of(ctx, &in, argc > 0 ? argc - 1 : 0, argv + 1, exc) == RORM_OK &&
        rorm__js_unpack_args(ctx, &in, names, 2, &args, "the arguments", exc) == RORM_OK) {
        rorm_error err = { 0 };
        /* Reads build their result in an arena dropped after packing: no free per node. */
        if (rorm__pc_db_call(&result, db, names[0], names[1], &args, true, &res, &err) != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = rorm__js_pack_value(ctx, &result, rorm_db_model(db, names[0]), exc);
        }
    }
    rorm__js_args_done(&in);     /* (args is borrowed from it) */
    rorm_value_dispose(&result); /* (a no-op when the result is in the arena) */
    rorm__pc_rarena_dispose(&res);
    return out;
}

/* native.include(h, model, records, include): the records with the include loaded (the
   chainable builder's .include(), through the Prisma Client engine's batched loader). */
/* native.argBuffers(nops, ntext): new buffers for packArgs(), [Float64Array, Uint16Array]. */
NATIVE(n_arg_buffers)
{
    UNUSED_ARGS();
    return rorm__js_arg_buffers(ctx, JSValueToNumber(ctx, ARG(0), NULL),
                                JSValueToNumber(ctx, ARG(1), NULL), exc);
}

/* native.resultBuffer(): the Float64Array results come back in when they fit. */
NATIVE(n_result_buffer)
{
    UNUSED_ARGS();
    (void)argc, (void)argv;
    return rorm__js_result_buffer(ctx, exc);
}

NATIVE(n_include)
{
    UNUSED_ARGS();
    char *model = NULL;
    rorm_db *db = model_args(ctx, argc, argv, &model, exc);
    if (db == NULL) {
        return NULL;
    }
    rorm_value recs, include;
    rorm_value_init(&recs);
    rorm_value_init(&include);
    JSValueRef out = NULL;
    if (rorm__js_to_value(ctx, ARG(2), &recs, "the records", exc) == RORM_OK &&
        rorm__js_to_value(ctx, ARG(3), &include, "the include", exc) == RORM_OK) {
        rorm_error err = { 0 };
        if (rorm_db_load_relations(&recs, db, model, &include, &err) != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = rorm__js_from_value(ctx, &recs, rorm_db_model(db, model), exc);
        }
    }
    rorm_value_dispose(&recs);
    rorm_value_dispose(&include);
    rorm__free(model);
    return out;
}

/* ---- streams ----------------------------------------------------------------------------------
 */

/* streamOpen(handle, model, args): a stream handle over findMany(args)'s records. */
NATIVE(n_stream_open)
{
    UNUSED_ARGS();
    char *model = NULL;
    rorm_db *db = model_args(ctx, argc, argv, &model, exc);
    if (db == NULL) {
        return NULL;
    }
    rorm_jsdb *source = rorm__js_handle_of(ctx, ARG(0), exc);
    rorm_value args;
    rorm_value_init(&args);
    JSValueRef out = NULL;
    if (rorm__js_to_value(ctx, ARG(2), &args, "the arguments", exc) == RORM_OK) {
        rorm_error err = { 0 };
        rorm_cursor *cur = NULL;
        rorm_jsdb *h = NULL;
        if (rorm_db_stream(&cur, db, model, &args, &err) != RORM_OK) {
            throw_err(ctx, &err, exc);
        } else if ((h = rorm__js_handle_new(rorm__js_engine_of(ctx))) == NULL) {
            rorm_cursor_close(cur);
            rorm__js_throw_oom(ctx, exc);
        } else {
            h->is_stream = true;
            h->cursor = cur;
            h->source = source;
            h->model = rorm_db_model(db, model);
            out = rorm__js_handle_wrap(ctx, h);
        }
    }
    rorm_value_dispose(&args);
    rorm__free(model);
    return out;
}

/* streamNext(stream, max): up to max records (an empty array at the end). */
NATIVE(n_stream_next)
{
    UNUSED_ARGS();
    rorm_jsdb *h = rorm__js_handle_of(ctx, ARG(0), exc);
    if (h == NULL) {
        return NULL;
    }
    if (!h->is_stream) {
        return rorm__js_throw_type(ctx, exc, "not a stream");
    }
    double max =
        argc > 1 && JSValueIsNumber(ctx, argv[1]) ? JSValueToNumber(ctx, argv[1], NULL) : 1;
    size_t n = max >= 1 && max <= 65536 ? (size_t)max : 1, got = 0;
    /* The records go straight into the array, which the stack keeps alive for the
       collector while the next ones are made. */
    JSObjectRef arr = JSObjectMakeArray(ctx, 0, NULL, exc);
    if (arr == NULL) {
        return NULL;
    }
    rorm_error err = { 0 };
    int rc = 0;
    if (h->cursor == NULL) {
        rc = rorm__error(&err, RORM_ESTATE, "the stream is closed");
    }
    while (h->cursor != NULL && got < n) {
        rorm_value row;
        rc = rorm_cursor_next(&row, h->cursor, &err);
        if (rc != 1) {
            break;
        }
        JSValueRef v = rorm__js_from_value(ctx, &row, h->model, exc);
        rorm_value_dispose(&row);
        if (v == NULL) {
            return NULL;
        }
        JSObjectSetPropertyAtIndex(ctx, arr, (unsigned)got++, v, exc);
    }
    if (rc < 0 && got == 0) {
        return throw_err(ctx, &err, exc);
    }
    /* An error after some records: they come out first; the cursor repeats the error on the
       next call. */
    return *exc == NULL ? arr : NULL;
}

NATIVE(n_stream_close)
{
    UNUSED_ARGS();
    rorm_jsdb *h = rorm__js_handle_of(ctx, ARG(0), exc);
    if (h == NULL) {
        return NULL;
    }
    if (h->is_stream) {
        rorm_cursor_close(h->cursor);
        h->cursor = NULL;
    }
    return JSValueMakeUndefined(ctx);
}

/* ---- raw SQL --------------------------------------------------------------------------------- */

static int raw_params(JSContextRef ctx, JSValueRef list, rorm_value *arr, JSValueRef *exc)
{
    if (list == NULL || JSValueIsUndefined(ctx, list) || JSValueIsNull(ctx, list)) {
        rorm_value_init_array(arr);
        return RORM_OK;
    }
    if (!JSValueIsArray(ctx, list)) {
        rorm__js_throw_type(ctx, exc, "raw SQL parameters must be an array");
        return RORM_EINVAL;
    }
    return rorm__js_to_value(ctx, list, arr, "a raw SQL parameter", exc);
}

NATIVE(n_query_raw)
{
    UNUSED_ARGS();
    rorm_db *db = arg_db(ctx, ARG(0), exc);
    char *sql = db ? arg_string(ctx, argc, argv, 1, "the SQL text", exc) : NULL;
    if (sql == NULL) {
        return NULL;
    }
    rorm_value params;
    JSValueRef out = NULL;
    if (raw_params(ctx, ARG(2), &params, exc) == RORM_OK) {
        rorm_rows *rows = NULL;
        rorm_error err = { 0 };
        if (rorm_db_query_raw(&rows, db, sql, params.u.arr.items, params.u.arr.len, &err) !=
            RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = rorm__js_from_rows(ctx, rows, NULL, exc);
        }
        rorm_rows_free(rows);
        rorm_value_dispose(&params);
    }
    rorm__free(sql);
    return out;
}

NATIVE(n_execute_raw)
{
    UNUSED_ARGS();
    rorm_db *db = arg_db(ctx, ARG(0), exc);
    char *sql = db ? arg_string(ctx, argc, argv, 1, "the SQL text", exc) : NULL;
    if (sql == NULL) {
        return NULL;
    }
    rorm_value params;
    JSValueRef out = NULL;
    if (raw_params(ctx, ARG(2), &params, exc) == RORM_OK) {
        int64_t affected = 0;
        rorm_error err = { 0 };
        if (rorm_db_execute_raw(db, sql, params.u.arr.items, params.u.arr.len, &affected, &err) !=
            RORM_OK) {
            throw_err(ctx, &err, exc);
        } else {
            out = JSValueMakeNumber(ctx, (double)affected);
        }
        rorm_value_dispose(&params);
    }
    rorm__free(sql);
    return out;
}

/* ---- transactions ---------------------------------------------------------------------------- */

NATIVE(n_begin)
{
    UNUSED_ARGS();
    rorm_jsdb *parent = rorm__js_handle_of(ctx, ARG(0), exc);
    rorm_db *db = parent ? arg_db(ctx, ARG(0), exc) : NULL;
    if (db == NULL) {
        return NULL;
    }
    rorm_js_engine *e = rorm__js_engine_of(ctx);
    rorm_jsdb *h = rorm__js_handle_new(e);
    if (h == NULL) {
        return rorm__js_throw_oom(ctx, exc);
    }
    h->is_tx = true;
    h->root = root_of(parent);
    h->parent = parent;
    /* ARG(1): an isolation level (RORM_ISOLATION_*), or undefined for the default. */
    unsigned level = JSValueIsNumber(ctx, ARG(1)) ? (unsigned)JSValueToNumber(ctx, ARG(1), NULL)
                                                  : RORM_ISOLATION_DEFAULT;
    rorm_error err = { 0 };
    int rc = level == RORM_ISOLATION_DEFAULT ? rorm_db_begin(&h->db, db, &err)
                                             : rorm_db_begin_isolation(&h->db, db, level, &err);
    if (rc != RORM_OK) {
        h->db = NULL;
        JSValueRef w = rorm__js_handle_wrap(ctx, h); /* freed by its finalizer */
        (void)w;
        return throw_err(ctx, &err, exc);
    }
    return rorm__js_handle_wrap(ctx, h);
}

static JSValueRef finish_tx(JSContextRef ctx, JSValueRef v, bool commit, JSValueRef *exc)
{
    rorm_jsdb *h = rorm__js_handle_of(ctx, v, exc);
    if (h == NULL) {
        return NULL;
    }
    if (!h->is_tx || h->db == NULL) {
        rorm_error err = { 0 };
        rorm__error(&err, RORM_ESTATE, "the transaction is already finished");
        return throw_err(ctx, &err, exc);
    }
    /* Streams on it end first (they hold its connection), then the transactions opened
       inside this one (savepoints). */
    rorm__js_close_streams(h);
    for (rorm_jsdb *t = h->engine->handles; t != NULL && t != h; t = t->next) {
        if (t->is_tx && t->db != NULL && t->root == h->root) {
            rorm_db_rollback(t->db, NULL);
            t->db = NULL;
        }
    }
    rorm_error err = { 0 };
    rorm_db *tx = h->db;
    h->db = NULL;
    int rc = commit ? rorm_db_commit(tx, &err) : rorm_db_rollback(tx, &err);
    return rc != RORM_OK ? throw_err(ctx, &err, exc) : JSValueMakeUndefined(ctx);
}

NATIVE(n_commit)
{
    UNUSED_ARGS();
    return finish_tx(ctx, ARG(0), true, exc);
}

NATIVE(n_rollback)
{
    UNUSED_ARGS();
    return finish_tx(ctx, ARG(0), false, exc);
}

/* ---- the operating system -------------------------------------------------------------------- */

NATIVE(n_print)
{
    UNUSED_ARGS();
    int stream = (int)JSValueToNumber(ctx, ARG(0), NULL);
    char *text = rorm__js_to_utf8(ctx, ARG(1), exc);
    if (text == NULL) {
        return NULL;
    }
    FILE *fp = stream == 2 ? stderr : stdout;
    fputs(text, fp);
    if (!(argc > 2 && JSValueToBoolean(ctx, argv[2]))) { /* raw: process.stdout.write */
        fputc('\n', fp);
    }
    if (stream == 2) {
        fflush(stdout);
    }
    fflush(fp);
    rorm__free(text);
    return JSValueMakeUndefined(ctx);
}

NATIVE(n_read_file)
{
    UNUSED_ARGS();
    char *path = arg_string(ctx, argc, argv, 0, "the path", exc);
    if (path == NULL) {
        return NULL;
    }
    size_t len = 0;
    struct stat st;
    /* Directories open and read as empty files on Linux: only regular files are modules. */
    char *text =
        stat(path, &st) == 0 && S_ISREG(st.st_mode) ? rorm__js_read_file(path, &len) : NULL;
    rorm__free(path);
    if (text == NULL) {
        return JSValueMakeNull(ctx);
    }
    JSValueRef out = rorm__js_make_string(ctx, text, len);
    rorm__free(text);
    return out;
}

NATIVE(n_realpath)
{
    UNUSED_ARGS();
    char *path = arg_string(ctx, argc, argv, 0, "the path", exc);
    if (path == NULL) {
        return NULL;
    }
    char *real = realpath(path, NULL);
    rorm__free(path);
    JSValueRef out = real ? str_value(ctx, real) : JSValueMakeNull(ctx);
    free(real); /* realpath() allocates with malloc */
    return out;
}

NATIVE(n_cwd)
{
    UNUSED_ARGS();
    (void)argc, (void)argv, (void)exc;
    char buf[PATH_MAX];
    return str_value(ctx, getcwd(buf, sizeof buf) ? buf : ".");
}

NATIVE(n_env)
{
    UNUSED_ARGS();
    (void)argc, (void)argv, (void)exc;
    JSObjectRef o = JSObjectMake(ctx, NULL, NULL);
    for (char **p = environ; p != NULL && *p != NULL; p++) {
        const char *eq = strchr(*p, '=');
        if (eq == NULL) {
            continue;
        }
        char *key = rorm__strndup(*p, (size_t)(eq - *p));
        if (key != NULL) {
            rorm__js_set(ctx, o, key, str_value(ctx, eq + 1));
        }
        rorm__free(key);
    }
    return o;
}

/* native.now(): a monotonic clock in milliseconds (fractional), for performance.now(). */
NATIVE(n_now)
{
    UNUSED_ARGS();
    (void)argc, (void)argv, (void)exc;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return JSValueMakeNumber(ctx, (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6);
}

NATIVE(n_exit)
{
    UNUSED_ARGS();
    int status =
        argc > 0 && JSValueIsNumber(ctx, argv[0]) ? (int)JSValueToNumber(ctx, argv[0], NULL) : 0;
    rorm__js_set_exit(rorm__js_engine_of(ctx), status);
    return JSValueMakeUndefined(ctx);
}

NATIVE(n_exited)
{
    UNUSED_ARGS();
    (void)argc, (void)argv, (void)exc;
    return JSValueMakeBoolean(ctx, rorm__js_engine_of(ctx)->exited);
}

NATIVE(n_eval)
{
    UNUSED_ARGS();
    /* Evaluate module source under its own file name, so stacks and errors point at it. */
    char *src = arg_string(ctx, argc, argv, 0, "the source", exc);
    char *file = src ? arg_string(ctx, argc, argv, 1, "the file name", exc) : NULL;
    JSValueRef out = NULL;
    if (file != NULL) {
        JSStringRef s = rorm__js_str(src), u = rorm__js_str(file);
        out = JSEvaluateScript(ctx, s, NULL, u, 1, exc);
        JSStringRelease(s);
        JSStringRelease(u);
    }
    rorm__free(src);
    rorm__free(file);
    return out;
}

JSObjectRef rorm__js_native_object(JSContextRef ctx)
{
    static const struct {
        const char *name;
        JSObjectCallAsFunctionCallback fn;
    } table[] = {
        { "open", n_open },
        { "connect", n_connect },
        { "close", n_close },
        { "loadSchema", n_load_schema },
        { "sync", n_sync },
        { "models", n_models },
        { "dbType", n_db_type },
        { "insert", n_insert },
        { "find", n_find },
        { "update", n_update },
        { "remove", n_remove },
        { "query", n_query },
        { "call", n_call },
        { "argBuffers", n_arg_buffers },
        { "resultBuffer", n_result_buffer },
        { "include", n_include },
        { "streamOpen", n_stream_open },
        { "streamNext", n_stream_next },
        { "streamClose", n_stream_close },
        { "queryRaw", n_query_raw },
        { "executeRaw", n_execute_raw },
        { "begin", n_begin },
        { "commit", n_commit },
        { "rollback", n_rollback },
        { "print", n_print },
        { "readFile", n_read_file },
        { "realpath", n_realpath },
        { "cwd", n_cwd },
        { "env", n_env },
        { "now", n_now },
        { "exit", n_exit },
        { "exited", n_exited },
        { "evalScript", n_eval },
    };
    JSObjectRef o = JSObjectMake(ctx, NULL, NULL);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        JSStringRef name = rorm__js_str(table[i].name);
        JSObjectRef f = JSObjectMakeFunctionWithCallback(ctx, name, table[i].fn);
        JSObjectSetProperty(ctx, o, name, f, kJSPropertyAttributeReadOnly, NULL);
        JSStringRelease(name);
    }
    return o;
}
