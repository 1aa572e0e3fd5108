/*
 * Arguments of Prisma Client calls cross from JavaScript packed (the prelude's packArgs()): a
 * Float64Array of tokens and numbers, a Uint16Array holding the UTF-16 code units of every
 * short string, one string joining the longer ones, and an array of the values JavaScript
 * leaves to rorm__js_to_value_at() (dates, bigints, bytes, class instances, anything nested
 * deeper than the limit). The
 * prelude reuses both typed arrays between calls, so a call costs no string building and a
 * handful of JavaScriptCore calls.
 *
 * Object keys, and the model and operation names, are interned for the life of the engine: the
 * prelude gives each new key an id and sends its text once, in definitions after the tokens;
 * later calls send the id alone. The definitions are read before anything else, so every id the
 * prelude has handed out is known here unless the call threw (and the prelude then forgets its
 * ids: a definition that comes again replaces the old text).
 */
#include "js/js.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/vec.h"

/* The tokens, as prelude.js's packArgs() writes them. */
enum {
    AK_NULL,
    AK_TRUE,
    AK_FALSE,
    AK_NUM,    /* value */
    AK_STR,    /* start, end (offsets into the text) */
    AK_JOINED, /* start, end (offsets into the joined text) */
    AK_VAL,    /* depth; the next element of the values array */
    AK_ARR,    /* n, then n values */
    AK_OBJ,    /* n, then n times (key, value) */
};

/* The most keys the prelude interns (its KEY_LIMIT); later keys come inline. */
#define ARG_KEY_LIMIT 4096

typedef struct unpacker {
    JSContextRef ctx;
    JSValueRef *exc;
    rorm_js_engine *engine;
    const double *ops;
    size_t n, ip;
    const uint16_t *text;
    size_t text_len;
    const uint16_t *joined;
    size_t joined_len;
    JSObjectRef vals;
    unsigned vp;
    const char *what; /* the name of the whole value in messages */
    /* Keys sent inline (past the interning limit): members copy them, the names borrow them. */
    rorm_vec(char *) inline_keys;
} unpacker;

static int bad_args(unpacker *u)
{
    rorm__js_throw_type(u->ctx, u->exc, "%s: malformed packed arguments", u->what);
    return RORM_EINVAL;
}

static bool next(unpacker *u, double *x)
{
    if (u->ip >= u->n) {
        return false;
    }
    *x = u->ops[u->ip++];
    return true;
}

/*
 * The UTF-8 form of text[start, end) as JSStringGetUTF8CString() makes it and as the C string
 * rorm__js_to_value() keeps: up to the first NUL. Lone surrogates take JavaScriptCore's own
 * conversion. Owned; NULL when out of memory (with *exc set) or for bad offsets.
 */
static char *slice_utf8(
    unpacker *u, const uint16_t *text, size_t text_len, double start, double end, size_t *len_out)
{
    if (!(start >= 0 && end >= start && end <= (double)text_len)) {
        bad_args(u);
        return NULL;
    }
    const uint16_t *s = text + (size_t)start, *e = text + (size_t)end;
    char *out = rorm__malloc((size_t)(e - s) * 3 + 1), *w = out;
    if (out == NULL) {
        rorm__js_throw_oom(u->ctx, u->exc);
        return NULL;
    }
    for (; s < e && *s != 0; s++) {
        unsigned c = *s;
        if (c < 0x80) {
            *w++ = (char)c;
        } else if (c < 0x800) {
            *w++ = (char)(0xC0 | c >> 6);
            *w++ = (char)(0x80 | (c & 0x3F));
        } else if (c < 0xD800 || c > 0xDFFF) {
            *w++ = (char)(0xE0 | c >> 12);
            *w++ = (char)(0x80 | (c >> 6 & 0x3F));
            *w++ = (char)(0x80 | (c & 0x3F));
        } else if (c <= 0xDBFF && s + 1 < e && s[1] >= 0xDC00 && s[1] <= 0xDFFF) {
            uint32_t cp = 0x10000 + ((c - 0xD800) << 10) + (s[1] - 0xDC00u);
            s++;
            *w++ = (char)(0xF0 | cp >> 18);
            *w++ = (char)(0x80 | (cp >> 12 & 0x3F));
            *w++ = (char)(0x80 | (cp >> 6 & 0x3F));
            *w++ = (char)(0x80 | (cp & 0x3F));
        } else {
            /* A lone surrogate: convert the whole string as JavaScriptCore does. */
            rorm__free(out);
            JSStringRef str =
                JSStringCreateWithCharacters(text + (size_t)start, (size_t)(end - start));
            out = rorm__js_to_utf8(u->ctx, JSValueMakeString(u->ctx, str), u->exc);
            JSStringRelease(str);
            if (out != NULL) {
                *len_out = strlen(out);
            }
            return out;
        }
    }
    *w = '\0';
    *len_out = (size_t)(w - out);
    return out;
}

/* Read the key definitions that follow the tokens into the engine's table. */
static int define_keys(unpacker *u, size_t at)
{
    rorm_js_engine *e = u->engine;
    double count;
    u->ip = at;
    if (!next(u, &count) || !(count >= 0 && count * 3 <= (double)(u->n - u->ip))) {
        return bad_args(u);
    }
    for (size_t i = 0; i < (size_t)count; i++) {
        double id = -1, a = 0, b = 0;
        next(u, &id);
        next(u, &a);
        next(u, &b);
        if (!(id >= 0 && id < ARG_KEY_LIMIT && floor(id) == id)) {
            return bad_args(u);
        }
        size_t k = (size_t)id, len;
        if (k >= e->arg_keys_len) {
            void *keys = e->arg_keys;
            size_t cap = e->arg_keys_cap;
            if (rorm__vec_grow(&keys, &cap, e->arg_keys_len, k + 1 - e->arg_keys_len,
                               sizeof(char *)) != 0) {
                rorm__js_throw_oom(u->ctx, u->exc);
                return RORM_ENOMEM;
            }
            e->arg_keys = keys;
            e->arg_keys_cap = cap;
            memset(e->arg_keys + e->arg_keys_len, 0, (k + 1 - e->arg_keys_len) * sizeof(char *));
            e->arg_keys_len = k + 1;
        }
        char *text = slice_utf8(u, u->text, u->text_len, a, b, &len);
        if (text == NULL) {
            return *u->exc ? RORM_EINVAL : bad_args(u);
        }
        rorm__free(e->arg_keys[k]);
        e->arg_keys[k] = text;
    }
    if (u->ip != u->n) {
        return bad_args(u);
    }
    return RORM_OK;
}

/* The next key: an interned id, or -1 and its text. Borrowed; NULL after throwing. */
static const char *key_at(unpacker *u)
{
    double id, a, b;
    if (!next(u, &id)) {
        bad_args(u);
        return NULL;
    }
    if (id >= 0 && id < (double)u->engine->arg_keys_len && floor(id) == id &&
        u->engine->arg_keys[(size_t)id] != NULL) {
        return u->engine->arg_keys[(size_t)id];
    }
    if (id != -1 || !next(u, &a) || !next(u, &b)) {
        bad_args(u);
        return NULL;
    }
    size_t len;
    char *k = slice_utf8(u, u->text, u->text_len, a, b, &len);
    if (k != NULL && rorm_vec_push(&u->inline_keys, k) != 0) {
        rorm__free(k);
        rorm__js_throw_oom(u->ctx, u->exc);
        return NULL;
    }
    return k;
}

/* "Argument `key`" (as rorm__js_to_value() names members) or the whole value's name. */
static const char *what_of(unpacker *u, const char *key, char *buf, size_t size)
{
    if (key == NULL) {
        return u->what;
    }
    snprintf(buf, size, "Argument `%.100s`", key);
    return buf;
}

static int unpack(unpacker *u, rorm_value *out, const char *key, int depth, const rorm_js_path *at)
{
    rorm_value_init(out);
    double tok, a, b;
    if (!next(u, &tok)) {
        return bad_args(u);
    }
    switch ((int)tok) {
    case AK_NULL:
        return RORM_OK;
    case AK_TRUE:
    case AK_FALSE:
        *out = RORM_BOOL(tok == AK_TRUE);
        return RORM_OK;
    case AK_NUM:
        if (!next(u, &a)) {
            return bad_args(u);
        }
        if (isfinite(a) && floor(a) == a && fabs(a) <= 9007199254740992.0) {
            *out = RORM_INT((int64_t)a);
        } else {
            *out = RORM_DOUBLE(a);
        }
        return RORM_OK;
    case AK_STR:
    case AK_JOINED: {
        size_t len;
        char *s = !next(u, &a) || !next(u, &b) ? NULL
                  : tok == AK_STR              ? slice_utf8(u, u->text, u->text_len, a, b, &len)
                                  : slice_utf8(u, u->joined, u->joined_len, a, b, &len);
        if (s == NULL) {
            return *u->exc ? RORM_EINVAL : bad_args(u);
        }
        out->type = RORM_TYPE_TEXT;
        out->u.s.ptr = s;
        out->u.s.len = len;
        return RORM_OK;
    }
    case AK_VAL: {
        if (!next(u, &a) || u->vals == NULL) {
            return bad_args(u);
        }
        JSValueRef v = JSObjectGetPropertyAtIndex(u->ctx, u->vals, u->vp++, u->exc);
        if (v == NULL) {
            return RORM_EINVAL;
        }
        char buf[128];
        return rorm__js_to_value_at(u->ctx, v, out, what_of(u, key, buf, sizeof buf), (int)a, at,
                                    u->exc);
    }
    case AK_ARR: {
        if (!next(u, &a) || !(a >= 0 && a <= (double)u->n)) {
            return bad_args(u);
        }
        rorm_value_init_array(out);
        void *items = NULL;
        if (rorm__vec_grow(&items, &out->u.arr.cap, 0, (size_t)a, sizeof(rorm_value)) != 0) {
            rorm__js_throw_oom(u->ctx, u->exc);
            return RORM_ENOMEM;
        }
        out->u.arr.items = items;
        for (size_t i = 0; i < (size_t)a; i++) {
            rorm_js_path here = { NULL, i, at };
            int rc = unpack(u, &out->u.arr.items[i], key, depth + 1, &here);
            if (rc != RORM_OK) {
                rorm_value_dispose(out);
                return rc;
            }
            out->u.arr.len++;
        }
        return RORM_OK;
    }
    case AK_OBJ: {
        if (!next(u, &a) || !(a >= 0 && a <= (double)u->n)) {
            return bad_args(u);
        }
        rorm_value_init_object(out);
        int rc = RORM_OK;
        for (size_t i = 0; i < (size_t)a && rc == RORM_OK; i++) {
            const char *k = key_at(u);
            if (k == NULL) {
                rc = RORM_EINVAL;
                break;
            }
            rorm_value iv;
            rorm_js_path here = { k, 0, at };
            rc = unpack(u, &iv, k, depth + 1, &here);
            if (rc == RORM_OK && rorm_value_object_set_take(out, k, &iv) != RORM_OK) {
                rorm__js_throw_oom(u->ctx, u->exc);
                rc = RORM_ENOMEM;
            }
            rorm_value_dispose(&iv);
        }
        if (rc != RORM_OK) {
            rorm_value_dispose(out);
        }
        return rc;
    }
    default:
        return bad_args(u);
    }
}

void rorm__js_free_bytes(void *bytes, void *context)
{
    (void)context;
    rorm__free(bytes);
}

JSValueRef rorm__js_arg_buffers(JSContextRef ctx, double nops, double ntext, JSValueRef *exc)
{
    rorm_js_engine *e = rorm__js_engine_of(ctx);
    if (e == NULL || !(nops >= 16 && nops <= 1e9) || !(ntext >= 16 && ntext <= 4e9)) {
        return rorm__js_throw_type(ctx, exc, "argBuffers(): bad sizes");
    }
    size_t no = (size_t)nops, nt = (size_t)ntext;
    double *ops = rorm__malloc(no * sizeof *ops);
    uint16_t *text = rorm__malloc(nt * sizeof *text);
    if (ops == NULL || text == NULL) {
        rorm__free(ops);
        rorm__free(text);
        return rorm__js_throw_oom(ctx, exc);
    }
    JSObjectRef o = JSObjectMakeTypedArrayWithBytesNoCopy(
        ctx, kJSTypedArrayTypeFloat64Array, ops, no * sizeof *ops, rorm__js_free_bytes, NULL, exc);
    if (o == NULL) {
        rorm__free(ops);
        rorm__free(text);
        return NULL;
    }
    JSObjectRef t = JSObjectMakeTypedArrayWithBytesNoCopy(
        ctx, kJSTypedArrayTypeUint16Array, text, nt * sizeof *text, rorm__js_free_bytes, NULL, exc);
    if (t == NULL) {
        rorm__free(text);
        return NULL;
    }
    JSValueRef pair[2] = { o, t };
    JSObjectRef out = JSObjectMakeArray(ctx, 2, pair, exc);
    if (out != NULL) {
        /* The prelude keeps the arrays (so the memory) until it asks for others. */
        e->arg_ops = ops;
        e->arg_ops_len = no;
        e->arg_text = text;
        e->arg_text_len = nt;
    }
    return out;
}

int rorm__js_packed_args_of(JSContextRef ctx,
                            rorm_js_packed_args *out,
                            size_t argc,
                            const JSValueRef argv[],
                            JSValueRef *exc)
{
    memset(out, 0, sizeof *out);
    /* Calls without values or long strings pass none: no question to the VM for them. */
    if (argc > 0 && !JSValueIsNull(ctx, argv[0])) {
        if (!JSValueIsObject(ctx, argv[0])) {
            goto bad;
        }
        out->vals = (JSObjectRef)argv[0];
    }
    if (argc > 1 && !JSValueIsNull(ctx, argv[1])) {
        if (!JSValueIsString(ctx, argv[1])) {
            goto bad;
        }
        out->joined_str = JSValueToStringCopy(ctx, argv[1], exc);
        if (out->joined_str == NULL) {
            return RORM_EINVAL;
        }
        out->joined = JSStringGetCharactersPtr(out->joined_str);
        out->joined_len = JSStringGetLength(out->joined_str);
    }
    if (argc < 4) {
        rorm_js_engine *e = rorm__js_engine_of(ctx);
        if (e == NULL || e->arg_ops == NULL) {
            goto bad;
        }
        out->ops = e->arg_ops;
        out->ops_len = e->arg_ops_len;
        out->text = e->arg_text;
        out->text_len = e->arg_text_len;
        return RORM_OK;
    }
    if (JSValueGetTypedArrayType(ctx, argv[2], NULL) != kJSTypedArrayTypeFloat64Array ||
        JSValueGetTypedArrayType(ctx, argv[3], NULL) != kJSTypedArrayTypeUint16Array) {
        goto bad;
    }
    out->ops = JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)argv[2], exc);
    out->ops_len = JSObjectGetTypedArrayLength(ctx, (JSObjectRef)argv[2], exc);
    out->text = JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)argv[3], exc);
    out->text_len = JSObjectGetTypedArrayLength(ctx, (JSObjectRef)argv[3], exc);
    if (out->ops != NULL && out->text != NULL) {
        return RORM_OK;
    }
bad:
    rorm__js_throw_type(ctx, exc, "the arguments: malformed packed arguments");
    return RORM_EINVAL;
}

int rorm__js_unpack_args(JSContextRef ctx,
                         rorm_js_packed_args *in,
                         const char **names,
                         size_t nnames,
                         rorm_value *out,
                         const char *what,
                         JSValueRef *exc)
{
    rorm_value_init(out);
    for (size_t i = 0; i < nnames; i++) {
        names[i] = NULL;
    }
    unpacker u = { .ctx = ctx,
                   .exc = exc,
                   .engine = rorm__js_engine_of(ctx),
                   .ops = in->ops,
                   .text = in->text,
                   .text_len = in->text_len,
                   .joined = in->joined,
                   .joined_len = in->joined_len,
                   .vals = in->vals,
                   .what = what };
    double end = in->ops_len >= 2 ? in->ops[0] : -1, n = in->ops_len >= 2 ? in->ops[1] : -1;
    if (u.engine == NULL || !(n >= 2 && n <= (double)in->ops_len) || !(end >= 2 && end <= n)) {
        return bad_args(&u);
    }
    u.n = (size_t)n;
    int rc = define_keys(&u, (size_t)end);
    u.ip = 2;
    u.n = (size_t)end;
    for (size_t i = 0; i < nnames && rc == RORM_OK; i++) {
        names[i] = key_at(&u);
        if (names[i] == NULL) {
            rc = RORM_EINVAL;
        }
    }
    if (rc == RORM_OK) {
        rc = unpack(&u, out, NULL, 0, NULL);
    }
    if (rc == RORM_OK && u.ip != u.n) {
        rorm_value_dispose(out);
        rc = bad_args(&u);
    }
    /* Inline keys may be @p names: the caller frees them with rorm__js_args_done(). */
    in->inline_keys = u.inline_keys.ptr;
    in->n_inline_keys = u.inline_keys.len;
    if (rc != RORM_OK) {
        for (size_t i = 0; i < nnames; i++) {
            names[i] = NULL;
        }
    }
    return rc;
}

void rorm__js_args_done(rorm_js_packed_args *in)
{
    if (in->joined_str != NULL) {
        JSStringRelease(in->joined_str);
        in->joined_str = NULL;
    }
    for (size_t i = 0; i < in->n_inline_keys; i++) {
        rorm__free(in->inline_keys[i]);
    }
    rorm__free(in->inline_keys);
    in->inline_keys = NULL;
    in->n_inline_keys = 0;
}

void rorm__js_args_free(rorm_js_engine *e)
{
    for (size_t i = 0; i < e->arg_keys_len; i++) {
        rorm__free(e->arg_keys[i]);
    }
    rorm__free(e->arg_keys);
    e->arg_keys = NULL;
    e->arg_keys_len = e->arg_keys_cap = 0;
}
