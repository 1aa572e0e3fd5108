/*
 * Results of Prisma Client calls cross into JavaScript packed: one Float64Array of tokens and
 * numbers, one string holding every text value and object key back to back, and an array for
 * the rare values that need a JavaScript constructor (bigint, parsed Json, Uint8Array). The
 * prelude's unpack() rebuilds the tree. A handful of JavaScriptCore calls carry a whole result,
 * where building it through the C API costs several calls (each taking the VM lock) per value
 * and per key; the values come out exactly as rorm__js_from_value() makes them. The engine keeps
 * the packing buffers between calls (up to PACK_KEEP_BYTES each).
 */
#include "js/js.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "schema/schema.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/map.h"
#include "util/vec.h"

/* The tokens, as prelude.js's unpack() reads them. */
enum {
    PK_NULL,
    PK_TRUE,
    PK_FALSE,
    PK_NUM,  /* value */
    PK_STR,  /* start, end (UTF-16 offsets into the text) */
    PK_DATE, /* milliseconds */
    PK_VAL,  /* the next element of the values array */
    PK_ARR,  /* n, then n values */
    PK_OBJ,  /* n, then n times (key index, value) */
};

#define PACK_MAX_DEPTH 512

/* The members of the previous object of an array: the next one usually has the same keys. */
typedef struct pack_memo {
    const char *key;
    double key_index;
    const rorm_field *field;
    const rorm_model *child;
} pack_memo;

typedef struct packer {
    JSContextRef ctx;
    JSValueRef *exc;
    rorm_vec(double) ops;
    rorm_vec(uint16_t) text;
    rorm_vec(double) keys; /* start, end of each key in the text */
    rorm_map key_index;
    JSObjectRef vals; /* created on first use; found on the stack by the collector */
    unsigned nvals;
    int rc;
} packer;

static void put(packer *p, double x)
{
    if (p->rc == RORM_OK && rorm_vec_push(&p->ops, x) != 0) {
        p->rc = RORM_ENOMEM;
    }
}

/*
 * Append UTF-8 @p s (@p len bytes) to the text as UTF-16. Returns false, appending nothing, for
 * text JavaScriptCore's own UTF-8 conversion would treat differently: a NUL byte (the C string
 * ends there) or bytes that are not valid UTF-8.
 */
static bool put_text(packer *p, const char *s, size_t len)
{
    if (rorm_vec_reserve(&p->text, len) != 0) {
        p->rc = RORM_ENOMEM;
        return true;
    }
    const unsigned char *u = (const unsigned char *)s, *end = u + len;
    uint16_t *out = p->text.ptr + p->text.len;
    while (u < end) {
        unsigned c = *u;
        if (c >= 0x01 && c < 0x80) {
            *out++ = (uint16_t)c;
            u++;
            continue;
        }
        uint32_t cp;
        int n;
        if (c >= 0xC2 && c <= 0xDF) {
            cp = c & 0x1F;
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            cp = c & 0x0F;
            n = 2;
        } else if (c >= 0xF0 && c <= 0xF4) {
            cp = c & 0x07;
            n = 3;
        } else {
            return false; /* NUL, a continuation byte, or a lead byte never valid */
        }
        if (end - u <= n) {
            return false;
        }
        for (int k = 1; k <= n; k++) {
            if ((u[k] & 0xC0) != 0x80) {
                return false;
            }
            cp = cp << 6 | (u[k] & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false; /* overlong, out of range, or a surrogate */
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            *out++ = (uint16_t)(0xD800 | cp >> 10);
            *out++ = (uint16_t)(0xDC00 | (cp & 0x3FF));
        } else {
            *out++ = (uint16_t)cp;
        }
        u += n + 1;
    }
    p->text.len = (size_t)(out - p->text.ptr);
    return true;
}

/* Hand @p v to the values array (a value made through the C API). */
static void put_val(packer *p, JSValueRef v)
{
    if (v == NULL) {
        p->rc = RORM_EINVAL; /* *exc holds the error */
        return;
    }
    if (p->vals == NULL) {
        p->vals = JSObjectMakeArray(p->ctx, 0, NULL, p->exc);
        if (p->vals == NULL) {
            p->rc = RORM_EINVAL;
            return;
        }
    }
    JSObjectSetPropertyAtIndex(p->ctx, p->vals, p->nvals++, v, NULL);
    put(p, PK_VAL);
}

static double key_of(packer *p, const char *key)
{
    size_t len = strlen(key);
    void *found = rorm__map_get(&p->key_index, key, len);
    if (found != NULL) {
        return (double)((uintptr_t)found - 1);
    }
    size_t start = p->text.len;
    if (!put_text(p, key, len)) {
        /* Keys are schema names or the caller's; JavaScriptCore would make "" of bad UTF-8. */
        p->text.len = start;
    }
    size_t index = p->keys.len / 2;
    if (p->rc == RORM_OK &&
        (rorm_vec_push(&p->keys, (double)start) != 0 ||
         rorm_vec_push(&p->keys, (double)p->text.len) != 0 ||
         rorm__map_set(&p->key_index, key, len, (void *)(uintptr_t)(index + 1)) != RORM_OK)) {
        p->rc = RORM_ENOMEM;
    }
    return (double)index;
}

static void
pack(packer *p, const rorm_value *v, const rorm_model *model, const rorm_field *field, int depth);

static void pack_object(packer *p,
                        const rorm_value *v,
                        const rorm_model *model,
                        int depth,
                        pack_memo *memo,
                        size_t nmemo)
{
    put(p, PK_OBJ);
    put(p, (double)v->u.obj.len);
    for (size_t i = 0; i < v->u.obj.len && p->rc == RORM_OK; i++) {
        const rorm_member *m = &v->u.obj.items[i];
        pack_memo cur;
        if (i < nmemo && memo[i].key != NULL && strcmp(memo[i].key, m->key) == 0) {
            cur = memo[i];
        } else {
            /* As rorm__js_from_value types the members. */
            const rorm_field *f = model != NULL ? rorm_model_field(model, m->key) : NULL;
            const rorm_model *child = model;
            if (f != NULL && f->type == RORM_FIELD_RELATION) {
                child = rorm_field_related_model(f);
                f = NULL;
            } else if (f == NULL && m->key[0] != '_') {
                child = NULL;
            }
            cur = (pack_memo){ m->key, key_of(p, m->key), f, child };
            if (i < nmemo) {
                memo[i] = cur;
            }
        }
        put(p, cur.key_index);
        pack(p, &m->value, cur.child, cur.field, depth + 1);
    }
}

static void
pack(packer *p, const rorm_value *v, const rorm_model *model, const rorm_field *field, int depth)
{
    if (p->rc != RORM_OK) {
        return;
    }
    if (depth > PACK_MAX_DEPTH) {
        rorm__js_throw_type(p->ctx, p->exc, "value nested deeper than %d levels", PACK_MAX_DEPTH);
        p->rc = RORM_EINVAL;
        return;
    }
    switch (v->type) {
    case RORM_TYPE_NULL:
        put(p, PK_NULL);
        return;
    case RORM_TYPE_BOOL:
        put(p, v->u.b ? PK_TRUE : PK_FALSE);
        return;
    case RORM_TYPE_INT:
        if ((field != NULL && field->type == RORM_FIELD_BIGINT) || v->u.i > 9007199254740992LL ||
            v->u.i < -9007199254740992LL) {
            put_val(p, rorm__js_from_field_value(p->ctx, v, field, p->exc));
        } else {
            put(p, PK_NUM);
            put(p, (double)v->u.i);
        }
        return;
    case RORM_TYPE_DOUBLE:
        put(p, PK_NUM);
        put(p, v->u.d);
        return;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL: {
        size_t start = p->text.len;
        if (!put_text(p, v->u.s.ptr, v->u.s.len)) {
            p->text.len = start;
            put_val(p, rorm__js_from_field_value(p->ctx, v, field, p->exc));
            return;
        }
        put(p, PK_STR);
        put(p, (double)start);
        put(p, (double)p->text.len);
        return;
    }
    case RORM_TYPE_DATETIME:
        put(p, PK_DATE);
        put(p, (double)v->u.ms);
        return;
    case RORM_TYPE_ARRAY: {
        put(p, PK_ARR);
        put(p, (double)v->u.arr.len);
        pack_memo memo[16] = { { 0 } };
        for (size_t i = 0; i < v->u.arr.len && p->rc == RORM_OK; i++) {
            const rorm_value *item = &v->u.arr.items[i];
            if (item->type == RORM_TYPE_OBJECT) {
                pack_object(p, item, model, depth + 1, memo, RORM_COUNT(memo));
            } else {
                pack(p, item, model, field, depth + 1);
            }
        }
        return;
    }
    case RORM_TYPE_OBJECT:
        pack_object(p, v, model, depth, NULL, 0);
        return;
    default: /* Json, Bytes and anything else: as the C API makes them */
        put_val(p, rorm__js_from_field_value(p->ctx, v, field, p->exc));
        return;
    }
}

/* Buffers above this size go back to the allocator after the call instead of staying. */
#define PACK_KEEP_BYTES (8u << 20)

JSValueRef
rorm__js_pack_value(JSContextRef ctx, const rorm_value *v, const rorm_model *model, JSValueRef *exc)
{
    rorm_js_engine *e = rorm__js_engine_of(ctx);
    packer p = { .ctx = ctx, .exc = exc };
    if (e != NULL) {
        /* The engine's buffers, taken for the call (a nested call would start its own). */
        p.ops.ptr = e->pack_ops;
        p.ops.cap = e->pack_ops_cap;
        p.text.ptr = e->pack_text;
        p.text.cap = e->pack_text_cap;
        e->pack_ops = NULL;
        e->pack_text = NULL;
        e->pack_ops_cap = e->pack_text_cap = 0;
    }
    rorm__map_init(&p.key_index, NULL);
    pack(&p, v, model, NULL, 0);
    JSValueRef out = NULL;
    if (p.rc == RORM_OK) {
        /* One Float64Array: the key count, each key's start and end in the text, the tokens. */
        size_t n = 1 + p.keys.len + p.ops.len;
        JSObjectRef arr = JSObjectMakeTypedArray(ctx, kJSTypedArrayTypeFloat64Array, n, exc);
        double *dst = arr != NULL ? JSObjectGetTypedArrayBytesPtr(ctx, arr, exc) : NULL;
        if (dst != NULL) {
            dst[0] = (double)(p.keys.len / 2);
            if (p.keys.len > 0) {
                memcpy(dst + 1, p.keys.ptr, p.keys.len * sizeof(double));
            }
            if (p.ops.len > 0) {
                memcpy(dst + 1 + p.keys.len, p.ops.ptr, p.ops.len * sizeof(double));
            }
            JSStringRef text = JSStringCreateWithCharacters(p.text.ptr, p.text.len);
            JSValueRef parts[3] = { arr, JSValueMakeString(ctx, text),
                                    p.vals != NULL ? (JSValueRef)p.vals : JSValueMakeNull(ctx) };
            JSStringRelease(text);
            out = JSObjectMakeArray(ctx, 3, parts, exc);
        }
    } else if (p.rc == RORM_ENOMEM) {
        rorm__js_throw_oom(ctx, exc);
    }
    rorm__map_dispose(&p.key_index);
    rorm_vec_free(&p.keys);
    if (e != NULL && p.ops.cap * sizeof(double) <= PACK_KEEP_BYTES &&
        p.text.cap * sizeof(uint16_t) <= PACK_KEEP_BYTES) {
        e->pack_ops = p.ops.ptr;
        e->pack_ops_cap = p.ops.cap;
        e->pack_text = p.text.ptr;
        e->pack_text_cap = p.text.cap;
    } else {
        rorm_vec_free(&p.ops);
        rorm_vec_free(&p.text);
    }
    return out;
}

/* ---- arguments: JavaScript -> rorm_value ---------------------------------------------------- */

/*
 * The prelude's packArgs() makes the same three parts for call arguments: tokens and numbers, one
 * text of every string and key, and the values it leaves to rorm__js_to_value_at() (dates,
 * bigints, bytes, class instances, anything deeper than the depth limit). The tokens are those
 * above; a value token is followed by its depth, an object's members by the key's offsets.
 */
typedef struct unpacker {
    JSContextRef ctx;
    JSValueRef *exc;
    const double *ops;
    size_t n, ip;
    const JSChar *text;
    size_t text_len;
    JSObjectRef vals;
    unsigned vp;
    const char *what; /* the name of the whole value in messages */
    /* Keys decoded so far, by their start in the text (packArgs() writes each key once); a key
       stays allocated until the end, as the members being built still point at it. */
    struct {
        double start, end;
        char *key;
    } keys[32];
    rorm_vec(char *) all_keys;
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
static char *slice_utf8(unpacker *u, double start, double end, size_t *len_out)
{
    if (!(start >= 0 && end >= start && end <= (double)u->text_len)) {
        bad_args(u);
        return NULL;
    }
    const JSChar *s = u->text + (size_t)start, *e = u->text + (size_t)end;
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
                JSStringCreateWithCharacters(u->text + (size_t)start, (size_t)(end - start));
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

/* "Argument `key`" (as rorm__js_to_value() names members) or the whole value's name. */
static const char *what_of(unpacker *u, const char *key, char *buf, size_t size)
{
    if (key == NULL) {
        return u->what;
    }
    snprintf(buf, size, "Argument `%.100s`", key);
    return buf;
}

/* The next key: decoded once and kept in a small cache by its offsets. Borrowed. */
static const char *key_at(unpacker *u)
{
    double ks, ke;
    if (!next(u, &ks) || !next(u, &ke)) {
        return NULL;
    }
    size_t slot = (size_t)(ks >= 0 && ks < 1e15 ? ks : 0) % RORM_COUNT(u->keys);
    if (u->keys[slot].key != NULL && u->keys[slot].start == ks && u->keys[slot].end == ke) {
        return u->keys[slot].key;
    }
    size_t len;
    char *k = slice_utf8(u, ks, ke, &len);
    if (k != NULL && rorm_vec_push(&u->all_keys, k) != 0) {
        rorm__free(k);
        rorm__js_throw_oom(u->ctx, u->exc);
        return NULL;
    }
    if (k != NULL) {
        u->keys[slot].start = ks;
        u->keys[slot].end = ke;
        u->keys[slot].key = k;
    }
    return k;
}

static int unpack(unpacker *u, rorm_value *out, const char *key, int depth, const rorm_js_path *at)
{
    rorm_value_init(out);
    double tok, a, b;
    if (!next(u, &tok)) {
        return bad_args(u);
    }
    switch ((int)tok) {
    case PK_NULL:
        return RORM_OK;
    case PK_TRUE:
    case PK_FALSE:
        *out = RORM_BOOL(tok == PK_TRUE);
        return RORM_OK;
    case PK_NUM:
        if (!next(u, &a)) {
            return bad_args(u);
        }
        if (isfinite(a) && floor(a) == a && fabs(a) <= 9007199254740992.0) {
            *out = RORM_INT((int64_t)a);
        } else {
            *out = RORM_DOUBLE(a);
        }
        return RORM_OK;
    case PK_STR: {
        size_t len;
        char *s = next(u, &a) && next(u, &b) ? slice_utf8(u, a, b, &len) : NULL;
        if (s == NULL) {
            return *u->exc ? RORM_EINVAL : bad_args(u);
        }
        out->type = RORM_TYPE_TEXT;
        out->u.s.ptr = s;
        out->u.s.len = len;
        return RORM_OK;
    }
    case PK_VAL: {
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
    case PK_ARR: {
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
    case PK_OBJ: {
        if (!next(u, &a) || !(a >= 0 && a <= (double)u->n)) {
            return bad_args(u);
        }
        rorm_value_init_object(out);
        int rc = RORM_OK;
        for (size_t i = 0; i < (size_t)a && rc == RORM_OK; i++) {
            const char *k = key_at(u);
            if (k == NULL) {
                rc = *u->exc ? RORM_EINVAL : bad_args(u);
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

int rorm__js_unpack_args(JSContextRef ctx,
                         JSValueRef ops,
                         JSValueRef count,
                         JSValueRef text,
                         JSValueRef vals,
                         char **names,
                         size_t nnames,
                         rorm_value *out,
                         const char *what,
                         JSValueRef *exc)
{
    rorm_value_init(out);
    for (size_t i = 0; i < nnames; i++) {
        names[i] = NULL;
    }
    unpacker u = { .ctx = ctx, .exc = exc, .what = what };
    if (ops == NULL || JSValueGetTypedArrayType(ctx, ops, NULL) != kJSTypedArrayTypeFloat64Array ||
        text == NULL || !JSValueIsString(ctx, text)) {
        return bad_args(&u);
    }
    u.ops = JSObjectGetTypedArrayBytesPtr(ctx, (JSObjectRef)ops, exc);
    size_t cap = JSObjectGetTypedArrayLength(ctx, (JSObjectRef)ops, exc);
    double n = JSValueToNumber(ctx, count, NULL);
    if (u.ops == NULL || !(n >= 0 && n <= (double)cap)) {
        return bad_args(&u);
    }
    u.n = (size_t)n;
    u.vals = vals != NULL && JSValueIsObject(ctx, vals) ? (JSObjectRef)vals : NULL;
    JSStringRef s = JSValueToStringCopy(ctx, text, exc);
    if (s == NULL) {
        return RORM_EINVAL;
    }
    u.text = JSStringGetCharactersPtr(s);
    u.text_len = JSStringGetLength(s);
    int rc = RORM_OK;
    for (size_t i = 0; i < nnames && rc == RORM_OK; i++) {
        double a, b;
        size_t len;
        names[i] = next(&u, &a) && next(&u, &b) ? slice_utf8(&u, a, b, &len) : NULL;
        if (names[i] == NULL) {
            rc = *exc ? RORM_EINVAL : bad_args(&u);
        }
    }
    if (rc == RORM_OK) {
        rc = unpack(&u, out, NULL, 0, NULL);
    }
    if (rc == RORM_OK && u.ip != u.n) {
        rorm_value_dispose(out);
        rc = bad_args(&u);
    }
    for (size_t i = 0; i < u.all_keys.len; i++) {
        rorm__free(u.all_keys.ptr[i]);
    }
    rorm_vec_free(&u.all_keys);
    JSStringRelease(s);
    if (rc != RORM_OK) {
        for (size_t i = 0; i < nnames; i++) {
            rorm__free(names[i]);
            names[i] = NULL;
        }
    }
    return rc;
}
