/*
 * Declarations shared by the files of the JavaScript binding: the engine, the database handles
 * scripts hold, value conversion, and the native functions the JavaScript runtime (prelude.js)
 * is built on.
 */
#ifndef RORM_JS_JS_H
#define RORM_JS_JS_H

#include <JavaScriptCore/JavaScript.h>
#include <stdbool.h>
#include <stdint.h>

#include "rediorm/js.h"
#include "rediorm/rediorm.h"
#include "util/map.h"
#include "util/vec.h"

typedef struct rorm_jsdb rorm_jsdb;

/*
 * A database handle as scripts hold it: the engine's own database (borrowed), one a script
 * opened with fromUri() (owned, closed with it), or a transaction (finished by commit or
 * rollback, rolled back when the script drops it unfinished). Every handle is on the engine's
 * list until its JavaScript wrapper is finalized or the engine is freed.
 */
struct rorm_jsdb {
    rorm_js_engine *engine;
    rorm_db *db;           /* NULL until opened; NULL again once closed or finished */
    char *uri;             /* for a lazily opened database */
    bool owned;            /* close db with the handle */
    bool is_tx;            /* db is a transaction handle */
    rorm_jsdb *root;       /* the database a transaction belongs to (NULL once that is gone) */
    rorm_schema **schemas; /* root handles: the schemas whose models scripts see */
    size_t nschemas;
    rorm_jsdb *parent; /* a transaction: the handle it was begun on (NULL once that is gone) */
    /* A stream (findMany().stream()): its cursor, closed before whatever it reads from. */
    bool is_stream;
    rorm_cursor *cursor;     /* NULL once closed */
    rorm_jsdb *source;       /* the database or transaction it reads from */
    const rorm_model *model; /* of the records */
    rorm_jsdb *prev, *next;
};

struct rorm_js_engine {
    JSContextGroupRef group;
    JSGlobalContextRef ctx;
    JSClassRef handle_class;
    JSObjectRef rt;          /* the runtime object prelude.js returns (protected) */
    JSValueRef object_proto; /* Object.prototype (protected): plain objects skip the checks */
    rorm_jsdb *handles;
    rorm_jsdb *main; /* the handle over the engine's database, or NULL */
    bool exited;
    int exit_status;
    char *last_stack;
    rorm_js_engine *next_engine; /* the thread's engines (engine.c) */
    /* pack.c's buffers, kept between calls so large results do not fault in fresh memory */
    double *pack_ops;
    size_t pack_ops_cap;
    uint16_t *pack_text;
    size_t pack_text_cap;
    /* args.c: the argument keys the prelude has interned, by id (cut: the text had a NUL, so
       two keys may read the same), and the block argument trees are built in */
    struct rorm_js_key {
        char *text;
        bool cut;
    } * arg_keys;
    size_t arg_keys_len, arg_keys_cap;
    char *arg_block;
    bool arg_block_busy;
    /* args.c: the buffers packArgs() writes into (owned by their typed arrays) */
    double *arg_ops;
    size_t arg_ops_len;
    uint16_t *arg_text;
    size_t arg_text_len;
    /* pack.c: the result buffer the prelude reads (owned by its typed array), and the result
       keys the prelude holds, to their ids + 1 */
    double *result_ops;
    size_t result_ops_len;
    rorm_map result_keys;
    rorm_map result_shapes; /* key id lists the prelude holds a maker for, to its number + 1 */
    /* rorm__js_handle_of()'s last answer (cleared when that wrapper is finalized) */
    JSValueRef last_handle_obj;
    rorm_jsdb *last_handle;
};

/* ---- engine.c ---------------------------------------------------------------------------- */
rorm_js_engine *rorm__js_engine_of(JSContextRef ctx);
/* Create a handle (linked into the engine's list) and its JavaScript wrapper. */
rorm_jsdb *rorm__js_handle_new(rorm_js_engine *engine);
JSObjectRef rorm__js_handle_wrap(JSContextRef ctx, rorm_jsdb *h);
/* The handle behind a wrapper, or NULL (with a TypeError in *exc) when it is not one. */
rorm_jsdb *rorm__js_handle_of(JSContextRef ctx, JSValueRef v, JSValueRef *exc);
/* Roll back the open transactions of @p root, then close it when owned. */
void rorm__js_handle_close(rorm_jsdb *h);
/* Close the streams reading from @p h or from a transaction begun on it (at any depth). */
void rorm__js_close_streams(rorm_jsdb *h);
/* Register @p schema with @p h's database unless its models already are, and keep it. */
int rorm__js_handle_add_schema(rorm_jsdb *h, rorm_schema *schema, rorm_error *err);
/* A whole file, NUL-terminated, for rorm__free; NULL with errno set when unreadable. */
char *rorm__js_read_file(const char *path, size_t *len_out);
/* Mark the engine exited with @p status (process.exit). */
void rorm__js_set_exit(rorm_js_engine *engine, int status);

/* ---- convert.c --------------------------------------------------------------------------- */
/* JSStringRef helpers (Create Rule: the caller releases what these return). */
JSStringRef rorm__js_str(const char *s);
/* A copy of a JS string (or any value's ToString) as UTF-8 for rorm__free, NULL on error. */
char *rorm__js_to_utf8(JSContextRef ctx, JSValueRef v, JSValueRef *exc);
JSValueRef rorm__js_get(JSContextRef ctx, JSObjectRef obj, const char *name);
void rorm__js_set(JSContextRef ctx, JSObjectRef obj, const char *name, JSValueRef v);
/* A JS string from UTF-8 text of @p len bytes. */
JSValueRef rorm__js_make_string(JSContextRef ctx, const char *s, size_t len);

/*
 * A rorm_value as JavaScript. @p model guides typing (BigInt fields become bigint, relation
 * fields recurse into the related model); NULL for untyped values.
 */
JSValueRef rorm__js_from_value(JSContextRef ctx,
                               const rorm_value *v,
                               const rorm_model *model,
                               JSValueRef *exc);
/* One record/field value: @p field NULL for untyped. */
JSValueRef rorm__js_from_field_value(JSContextRef ctx,
                                     const rorm_value *v,
                                     const rorm_field *field,
                                     JSValueRef *exc);
/* A result set as an array of objects. */
JSValueRef rorm__js_from_rows(JSContextRef ctx,
                              const rorm_rows *rows,
                              const rorm_model *model,
                              JSValueRef *exc);

/*
 * rorm__js_from_value() packed for the prelude's unpack(): the text, with the tokens in the
 * engine's result buffer, or [text, values array or null, tokens (Float64Array) or null]
 * (pack.c). Prisma Client results cross this way.
 */
JSValueRef rorm__js_pack_value(JSContextRef ctx,
                               const rorm_value *v,
                               const rorm_model *model,
                               JSValueRef *exc);

/* native.resultBuffer(): the Float64Array results are packed into when they fit (once). */
JSValueRef rorm__js_result_buffer(JSContextRef ctx, JSValueRef *exc);
/* A JSTypedArrayBytesDeallocator for memory from rorm__malloc(). */
void rorm__js_free_bytes(void *bytes, void *context);

/*
 * A JavaScript value as a rorm_value (owned). @p what names the value in error messages
 * ("argument `data`"). On failure *exc holds a TypeError and *out is null.
 */
int rorm__js_to_value(
    JSContextRef ctx, JSValueRef v, rorm_value *out, const char *what, JSValueRef *exc);
/* Where a conversion is in the value being converted: a member key or an array index, and the
   level above (NULL at the top). Kept on the C stack, read only to name a path in an error. */
typedef struct rorm_js_path {
    const char *key; /* NULL for an array item */
    size_t index;
    const struct rorm_js_path *up;
} rorm_js_path;

/* rorm__js_to_value() of a value found @p depth levels down at @p at (for the depth limit). */
int rorm__js_to_value_at(JSContextRef ctx,
                         JSValueRef v,
                         rorm_value *out,
                         const char *what,
                         int depth,
                         const rorm_js_path *at,
                         JSValueRef *exc);
/*
 * Call arguments as the prelude's packArgs() packs them (args.c): the tokens (ops[0] is where
 * they end, ops[1] the elements in use, the tokens start at ops[2]), the key definitions after
 * them, the UTF-16 text of short strings, the longer strings joined, and the values JavaScript
 * did not pack (NULL when none).
 */
typedef struct rorm_js_packed_args {
    const double *ops;
    size_t ops_len;
    const uint16_t *text;
    size_t text_len;
    JSStringRef joined_str; /* the longer strings joined (released by rorm__js_args_done()) */
    const uint16_t *joined;
    size_t joined_len;
    JSObjectRef vals;
    /* What the unpacked tree points into, released by rorm__js_args_done(): */
    rorm_vec(char *) blocks;       /* memory of its own past the engine's block */
    rorm_vec(rorm_value) owned;    /* values converted one by one */
    struct rorm_js_engine *engine; /* whose block it holds, or NULL */
} rorm_js_packed_args;

/*
 * native.call()'s arguments after the handle: (), (vals) or (vals or null, joined) read the
 * buffers the engine handed out (rorm__js_arg_buffers()); (vals or null, joined or null, ops,
 * text) typed arrays of the caller's own.
 */
int rorm__js_packed_args_of(JSContextRef ctx,
                            rorm_js_packed_args *out,
                            size_t argc,
                            const JSValueRef argv[],
                            JSValueRef *exc);
/* native.argBuffers(nops, ntext): fresh buffers for packArgs() (a Float64Array and a
   Uint16Array over memory of their own), which later calls read without asking the VM. */
JSValueRef rorm__js_arg_buffers(JSContextRef ctx, double nops, double ntext, JSValueRef *exc);

/*
 * Unpack call arguments into a borrowed rorm_value tree, valid until rorm__js_args_done(), with
 * the values rorm__js_to_value() makes of the value they were packed from. The tokens start
 * with @p nnames keys (the model and the operation), returned in @p names (borrowed as well).
 */
int rorm__js_unpack_args(JSContextRef ctx,
                         rorm_js_packed_args *in,
                         const char **names,
                         size_t nnames,
                         rorm_value *out,
                         const char *what,
                         JSValueRef *exc);
/* Free what rorm__js_unpack_args() kept in @p in. */
void rorm__js_args_done(rorm_js_packed_args *in);
/* Free the engine's interned argument keys. */
void rorm__js_args_free(rorm_js_engine *e);

/* Throw: an Error carrying @p err (message, rormCode, constraint, sqlstate, line, column). */
JSValueRef rorm__js_throw_error(JSContextRef ctx, const rorm_error *err, JSValueRef *exc);
/* Throw RORM_ENOMEM without allocating from RediORM's allocator. */
JSValueRef rorm__js_throw_oom(JSContextRef ctx, JSValueRef *exc);
JSValueRef rorm__js_throw_type(JSContextRef ctx, JSValueRef *exc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Fill @p err from a thrown JS value; returns the code (RORM_EINVAL unless it carries one). */
int rorm__js_error_from_exception(JSContextRef ctx,
                                  JSValueRef exc,
                                  rorm_error *err,
                                  char **stack_out);

/* ---- native.c ---------------------------------------------------------------------------- */
/* The object of native functions handed to prelude.js. */
JSObjectRef rorm__js_native_object(JSContextRef ctx);

#endif
