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
 *
 * The tree is built borrowed (as a C caller builds one with RORM_OBJECT): its nodes, strings and
 * member arrays are bump-allocated in one block the engine keeps between calls (blocks of the
 * call's own past it), keys point at the interned ones, and the few values converted value by
 * value are owned by a list beside the tree, the tree holding borrowed views of them. One call
 * then costs no allocation at all, and rorm__js_args_done() releases everything at once.
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
/* The block the engine keeps for argument trees, and the least size of a call's extra blocks. */
#define ARENA_BLOCK (64u << 10)

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
    const char *what;        /* the name of the whole value in messages */
    rorm_js_packed_args *in; /* owns what the tree points at */
    /* the free part of the current block */
    char *free;
    size_t left;
} unpacker;

/* @p size bytes for the tree, aligned for any value; NULL (with *exc set) when out of memory. */
static void *arena_alloc(unpacker *u, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size > u->left) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        char *block = rorm__malloc(cap);
        if (block == NULL || rorm_vec_push(&u->in->blocks, block) != 0) {
            rorm__free(block);
            rorm__js_throw_oom(u->ctx, u->exc);
            return NULL;
        }
        u->free = block;
        u->left = cap;
    }
    void *p = u->free;
    u->free += size;
    u->left -= size;
    return p;
}

/* Give back the tail of the last allocation of @p size bytes past its first @p used. */
static void arena_trim(unpacker *u, void *p, size_t size, size_t used)
{
    size = (size + 15) & ~(size_t)15;
    used = (used + 15) & ~(size_t)15;
    if ((char *)p + size == u->free) {
        u->free -= size - used;
        u->left += size - used;
    }
}

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
 * rorm__js_to_value() keeps: up to the first NUL (*cut tells whether there was one). Lone
 * surrogates take JavaScriptCore's own conversion. In the tree's memory when @p own is false,
 * else for rorm__free; NULL when out of memory (with *exc set) or for bad offsets.
 */
static char *slice_utf8(unpacker *u,
                        const uint16_t *text,
                        size_t text_len,
                        double start,
                        double end,
                        bool own,
                        size_t *len_out,
                        bool *cut)
{
    if (!(start >= 0 && end >= start && end <= (double)text_len)) {
        bad_args(u);
        return NULL;
    }
    const uint16_t *s = text + (size_t)start, *e = text + (size_t)end;
    size_t size = (size_t)(e - s) * 3 + 1;
    char *out = own ? rorm__malloc(size) : arena_alloc(u, size), *w = out;
    if (out == NULL) {
        if (own) {
            rorm__js_throw_oom(u->ctx, u->exc);
        }
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
            JSStringRef str =
                JSStringCreateWithCharacters(text + (size_t)start, (size_t)(end - start));
            char *conv = rorm__js_to_utf8(u->ctx, JSValueMakeString(u->ctx, str), u->exc);
            JSStringRelease(str);
            if (conv == NULL) {
                if (own) {
                    rorm__free(out);
                }
                return NULL;
            }
            size_t n = strlen(conv);
            if (own) {
                rorm__free(out);
                out = conv;
            } else {
                arena_trim(u, out, size, 0);
                out = arena_alloc(u, n + 1);
                if (out != NULL) {
                    memcpy(out, conv, n + 1);
                }
                rorm__free(conv);
                if (out == NULL) {
                    return NULL;
                }
            }
            *len_out = n;
            *cut = n < (size_t)(end - start); /* (a NUL stops the conversion too) */
            return out;
        }
    }
    *w = '\0';
    *cut = s < e;
    *len_out = (size_t)(w - out);
    if (!own) {
        arena_trim(u, out, size, *len_out + 1);
    }
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
                               sizeof *e->arg_keys) != 0) {
                rorm__js_throw_oom(u->ctx, u->exc);
                return RORM_ENOMEM;
            }
            e->arg_keys = keys;
            e->arg_keys_cap = cap;
            memset(e->arg_keys + e->arg_keys_len, 0,
                   (k + 1 - e->arg_keys_len) * sizeof *e->arg_keys);
            e->arg_keys_len = k + 1;
        }
        bool cut;
        char *text = slice_utf8(u, u->text, u->text_len, a, b, true, &len, &cut);
        if (text == NULL) {
            return RORM_EINVAL;
        }
        rorm__free(e->arg_keys[k].text);
        e->arg_keys[k].text = text;
        e->arg_keys[k].cut = cut;
    }
    if (u->ip != u->n) {
        return bad_args(u);
    }
    return RORM_OK;
}

/*
 * The next key: an interned id, or -1 and its text (then in the tree's memory). Borrowed; NULL
 * after throwing. *cut tells that the text had a NUL (so two keys may read the same).
 */
static const char *key_at(unpacker *u, bool *cut)
{
    double id, a, b;
    if (!next(u, &id)) {
        bad_args(u);
        return NULL;
    }
    const rorm_js_engine *e = u->engine;
    if (id >= 0 && id < (double)e->arg_keys_len && floor(id) == id &&
        e->arg_keys[(size_t)id].text != NULL) {
        *cut = e->arg_keys[(size_t)id].cut;
        return e->arg_keys[(size_t)id].text;
    }
    if (id != -1 || !next(u, &a) || !next(u, &b)) {
        bad_args(u);
        return NULL;
    }
    size_t len;
    return slice_utf8(u, u->text, u->text_len, a, b, false, &len, cut);
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

/*
 * A value converted by rorm__js_to_value_at(): owned by the list in @p u->in, the tree gets a
 * borrowed view of it.
 */
static int convert_value(
    unpacker *u, rorm_value *out, JSValueRef v, const char *what, int depth, const rorm_js_path *at)
{
    rorm_value owned;
    int rc = rorm__js_to_value_at(u->ctx, v, &owned, what, depth, at, u->exc);
    if (rc != RORM_OK) {
        return rc;
    }
    if (rorm_vec_push(&u->in->owned, owned) != 0) {
        rorm_value_dispose(&owned);
        rorm__js_throw_oom(u->ctx, u->exc);
        return RORM_ENOMEM;
    }
    *out = owned;
    out->flags |= RORM_VALUE_BORROWED;
    return RORM_OK;
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
        bool cut;
        if (!next(u, &a) || !next(u, &b)) {
            return bad_args(u);
        }
        const char *s = tok == AK_STR
                            ? slice_utf8(u, u->text, u->text_len, a, b, false, &len, &cut)
                            : slice_utf8(u, u->joined, u->joined_len, a, b, false, &len, &cut);
        if (s == NULL) {
            return RORM_EINVAL;
        }
        *out =
            (rorm_value){ .type = RORM_TYPE_TEXT, .flags = RORM_VALUE_BORROWED, .u.s = { s, len } };
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
        return convert_value(u, out, v, what_of(u, key, buf, sizeof buf), (int)a, at);
    }
    case AK_ARR: {
        if (!next(u, &a) || !(a >= 0 && a <= (double)u->n)) {
            return bad_args(u);
        }
        size_t n = (size_t)a;
        rorm_value *items = n > 0 ? arena_alloc(u, n * sizeof *items) : NULL;
        if (n > 0 && items == NULL) {
            return RORM_ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            rorm_js_path here = { NULL, i, at };
            int rc = unpack(u, &items[i], key, depth + 1, &here);
            if (rc != RORM_OK) {
                return rc;
            }
        }
        *out = RORM_ARRAY_N(items, n);
        return RORM_OK;
    }
    case AK_OBJ: {
        if (!next(u, &a) || !(a >= 0 && a <= (double)u->n)) {
            return bad_args(u);
        }
        size_t n = (size_t)a, len = 0;
        rorm_member *items = n > 0 ? arena_alloc(u, n * sizeof *items) : NULL;
        if (n > 0 && items == NULL) {
            return RORM_ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            bool cut;
            const char *k = key_at(u, &cut);
            if (k == NULL) {
                return RORM_EINVAL;
            }
            /* Keys that read the same (a NUL cut them): the last one wins, as in an object
               built with rorm_value_object_set(). */
            size_t slot = len;
            for (size_t j = 0; cut && j < len; j++) {
                if (strcmp(items[j].key, k) == 0) {
                    slot = j;
                }
            }
            rorm_js_path here = { k, 0, at };
            int rc = unpack(u, &items[slot].value, k, depth + 1, &here);
            if (rc != RORM_OK) {
                return rc;
            }
            items[slot].key = k;
            if (slot == len) {
                len++;
            }
        }
        *out = RORM_OBJECT_N(items, len);
        return RORM_OK;
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
                   .what = what,
                   .in = in };
    double end = in->ops_len >= 2 ? in->ops[0] : -1, n = in->ops_len >= 2 ? in->ops[1] : -1;
    if (u.engine == NULL || !(n >= 2 && n <= (double)in->ops_len) || !(end >= 2 && end <= n)) {
        return bad_args(&u);
    }
    /* The engine's block, unless a call running inside this one's conversion holds it. */
    rorm_js_engine *e = u.engine;
    if (!e->arg_block_busy) {
        if (e->arg_block == NULL) {
            e->arg_block = rorm__malloc(ARENA_BLOCK);
        }
        if (e->arg_block != NULL) {
            e->arg_block_busy = true;
            in->engine = e;
            u.free = e->arg_block;
            u.left = ARENA_BLOCK;
        }
    }
    u.n = (size_t)n;
    int rc = define_keys(&u, (size_t)end);
    u.ip = 2;
    u.n = (size_t)end;
    for (size_t i = 0; i < nnames && rc == RORM_OK; i++) {
        bool cut;
        names[i] = key_at(&u, &cut);
        if (names[i] == NULL) {
            rc = RORM_EINVAL;
        }
    }
    if (rc == RORM_OK) {
        rc = unpack(&u, out, NULL, 0, NULL);
    }
    if (rc == RORM_OK && u.ip != u.n) {
        rc = bad_args(&u);
    }
    if (rc != RORM_OK) {
        rorm_value_init(out);
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
    for (size_t i = 0; i < in->owned.len; i++) {
        rorm_value_dispose(&in->owned.ptr[i]);
    }
    rorm_vec_free(&in->owned);
    for (size_t i = 0; i < in->blocks.len; i++) {
        rorm__free(in->blocks.ptr[i]);
    }
    rorm_vec_free(&in->blocks);
    if (in->engine != NULL) {
        in->engine->arg_block_busy = false;
        in->engine = NULL;
    }
}

void rorm__js_args_free(rorm_js_engine *e)
{
    for (size_t i = 0; i < e->arg_keys_len; i++) {
        rorm__free(e->arg_keys[i].text);
    }
    rorm__free(e->arg_keys);
    e->arg_keys = NULL;
    e->arg_keys_len = e->arg_keys_cap = 0;
    rorm__free(e->arg_block);
    e->arg_block = NULL;
}
