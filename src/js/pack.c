/*
 * Results of Prisma Client calls cross into JavaScript packed: one Float64Array of tokens and
 * numbers, one string holding every text value back to back and then the keys this result
 * defines, and an array for the rare values that need a JavaScript constructor (bigint, parsed
 * Json, Uint8Array). The objects of an array, and those nested in them, go by shape: the keys of
 * a shape once, then each object as its values alone. The prelude's unpack() rebuilds the tree,
 * making the objects of a shape with one object literal. A handful of JavaScriptCore calls carry
 * a whole result, where building it through the C API costs several calls (each taking the VM
 * lock) per value and per key; the values come out exactly as rorm__js_from_value() makes them.
 * The engine keeps the packing buffers between calls (see keep_buffer()).
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
    PK_NUM,       /* value */
    PK_DATE = 5,  /* milliseconds (4 is not used) */
    PK_VAL,       /* the next element of the values array */
    PK_ARR,       /* n, then n values */
    PK_OBJ,       /* n, then n times (key id, value) */
    PK_SHAPE,     /* shape number, then the value of each of its members */
    PK_NEW_SHAPE, /* n, n key ids: the next shape number; then as PK_SHAPE */
    PK_TEXT,      /* length: the text from where the previous string ended */
};

#define PACK_MAX_DEPTH 512
/* Objects with more members than this go as PK_OBJ. */
#define PACK_MAX_SHAPE 256

/* The size of the result buffer, in tokens: larger results get a Float64Array of their own. */
#define RESULT_BUFFER_LEN 8192
/* The most result keys, and shapes, the prelude and the engine keep between calls. */
#define RESULT_KEY_LIMIT   4096
#define RESULT_SHAPE_LIMIT 4096

/*
 * A shape: the keys of an object in order, and for each member the field and model that type
 * its value (as rorm__js_from_value does). The objects of an array usually share one.
 */
typedef struct pack_shape {
    const rorm_model *model;
    size_t n, first; /* members at p->members.ptr[first ...] */
    double js_id;    /* the prelude's number for its key list */
} pack_shape;

typedef struct pack_member {
    const char *key;
    double key_id;
    const rorm_field *field;
    const rorm_model *child;
    size_t last; /* the shape of this member's previous object value(s), or SIZE_MAX */
} pack_member;

typedef rorm_vec(uint16_t) utf16_vec;

typedef struct packer {
    JSContextRef ctx;
    JSValueRef *exc;
    rorm_vec(double) ops;
    utf16_vec text;        /* the strings, back to back */
    utf16_vec key_text;    /* the keys this result defines, after the strings in the end */
    rorm_vec(double) keys; /* start, end of each of those keys in key_text */
    rorm_map key_index;    /* those keys, to their ids + 1 */
    rorm_js_engine *engine;
    size_t key_base; /* the first id this result defines */
    rorm_vec(pack_shape) shapes;
    rorm_vec(pack_member) members;
    rorm_map shape_index;   /* model and key ids -> shape number + 1 */
    rorm_map new_js_shapes; /* key ids -> the prelude's number + 1, for lists new to it */
    size_t shape_base;      /* the first number of those */
    rorm_vec(uint32_t) scratch;
    JSObjectRef vals; /* created on first use; found on the stack by the collector */
    unsigned nvals;
    int rc;
} packer;

static void put(packer *p, double x)
{
    if (p->ops.len < p->ops.cap) {
        p->ops.ptr[p->ops.len++] = x;
    } else if (p->rc == RORM_OK && rorm_vec_push(&p->ops, x) != 0) {
        p->rc = RORM_ENOMEM;
    }
}

/*
 * Append UTF-8 @p s (@p len bytes) to @p text as UTF-16. Returns false, appending nothing, for
 * text JavaScriptCore's own UTF-8 conversion would treat differently: a NUL byte (the C string
 * ends there) or bytes that are not valid UTF-8.
 */
static bool put_text(packer *p, utf16_vec *text, const char *s, size_t len)
{
    if (rorm_vec_reserve(text, len) != 0) {
        p->rc = RORM_ENOMEM;
        return true;
    }
    const unsigned char *u = (const unsigned char *)s, *end = u + len;
    uint16_t *out = text->ptr + text->len;
    while (u < end) {
        if (end - u >= 8) {
            /* Eight ASCII bytes, none of them NUL, at a time. */
            uint64_t w;
            memcpy(&w, u, sizeof w);
            if (((w | ((w & 0x7F7F7F7F7F7F7F7FULL) + 0x7F7F7F7F7F7F7F7FULL)) &
                 0x8080808080808080ULL) == 0x8080808080808080ULL &&
                (w & 0x8080808080808080ULL) == 0) {
                for (int k = 0; k < 8; k++) {
                    out[k] = u[k];
                }
                out += 8;
                u += 8;
                continue;
            }
        }
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
    text->len = (size_t)(out - text->ptr);
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

/*
 * The id of @p key: one the prelude already holds (the engine's result keys), else a new one
 * defined by this result (its text goes in the definitions), base + its index among them.
 */
static double key_of(packer *p, const char *key)
{
    size_t len = strlen(key);
    if (p->engine != NULL) {
        void *known = rorm__map_get(&p->engine->result_keys, key, len);
        if (known != NULL) {
            return (double)((uintptr_t)known - 1);
        }
    }
    void *found = rorm__map_get(&p->key_index, key, len);
    if (found != NULL) {
        return (double)((uintptr_t)found - 1);
    }
    size_t start = p->key_text.len;
    if (!put_text(p, &p->key_text, key, len)) {
        /* Keys are schema names or the caller's; JavaScriptCore would make "" of bad UTF-8. */
        p->key_text.len = start;
    }
    size_t id = p->key_base + p->keys.len / 2;
    if (p->rc == RORM_OK &&
        (rorm_vec_push(&p->keys, (double)start) != 0 ||
         rorm_vec_push(&p->keys, (double)p->key_text.len) != 0 ||
         rorm__map_set(&p->key_index, key, len, (void *)(uintptr_t)(id + 1)) != RORM_OK)) {
        p->rc = RORM_ENOMEM;
    }
    return (double)id;
}

/*
 * Keep this result's new keys and shapes in the engine, as the prelude will (their numbers
 * follow the known ones). All or none: false when they are not kept (the limits, or out of
 * memory), and the prelude then drops them after this result.
 */
/* Add the entries of @p from to @p to, all or none. */
static bool merge_all(rorm_map *to, const rorm_map *from)
{
    size_t before = to->len;
    const rorm_map_entry *ent;
    rorm_map_foreach(from, ent) {
        if (rorm__map_set(to, ent->key, ent->keylen, ent->value) != RORM_OK) {
            while (to->len > before) {
                const rorm_map_entry *last = &to->entries[to->len - 1];
                rorm__map_remove(to, last->key, last->keylen);
            }
            return false;
        }
    }
    return true;
}

static bool commit_keys(packer *p)
{
    rorm_map *keys = &p->engine->result_keys, *shapes = &p->engine->result_shapes;
    if (keys->len + p->key_index.len > RESULT_KEY_LIMIT ||
        shapes->len + p->new_js_shapes.len > RESULT_SHAPE_LIMIT) {
        return false;
    }
    size_t nkeys = keys->len;
    if (!merge_all(keys, &p->key_index)) {
        return false;
    }
    if (!merge_all(shapes, &p->new_js_shapes)) {
        while (keys->len > nkeys) {
            const rorm_map_entry *last = &keys->entries[keys->len - 1];
            rorm__map_remove(keys, last->key, last->keylen);
        }
        return false;
    }
    return true;
}

/* The field and model that type member @p key of a @p model record, as rorm__js_from_value. */
static pack_member member_of(packer *p, const rorm_model *model, const char *key)
{
    const rorm_field *f = model != NULL ? rorm_model_field(model, key) : NULL;
    const rorm_model *child = model;
    if (f != NULL && f->type == RORM_FIELD_RELATION) {
        child = rorm_field_related_model(f);
        f = NULL;
    } else if (f == NULL && key[0] != '_') {
        child = NULL;
    }
    return (pack_member){ key, key_of(p, key), f, child, SIZE_MAX };
}

static void
pack(packer *p, const rorm_value *v, const rorm_model *model, const rorm_field *field, int depth);

/* An object as PK_OBJ: each member with its key. */
static void pack_object(packer *p, const rorm_value *v, const rorm_model *model, int depth)
{
    put(p, PK_OBJ);
    put(p, (double)v->u.obj.len);
    for (size_t i = 0; i < v->u.obj.len && p->rc == RORM_OK; i++) {
        const rorm_member *m = &v->u.obj.items[i];
        pack_member cur = member_of(p, model, m->key);
        put(p, cur.key_id);
        pack(p, &m->value, cur.child, cur.field, depth + 1);
    }
}

/* Whether object @p v of @p model has shape @p s. */
static bool
has_shape(const packer *p, const pack_shape *s, const rorm_value *v, const rorm_model *model)
{
    if (s->model != model || s->n != v->u.obj.len) {
        return false;
    }
    const pack_member *sm = p->members.ptr + s->first;
    for (size_t i = 0; i < s->n; i++) {
        const char *k = v->u.obj.items[i].key;
        if (k != sm[i].key && strcmp(k, sm[i].key) != 0) {
            return false;
        }
    }
    return true;
}

/*
 * The number of the shape of @p v, found or added; SIZE_MAX on failure. *fresh tells that its
 * key list is new to the prelude (it is then defined where it is first used).
 */
static size_t shape_of(packer *p, const rorm_value *v, const rorm_model *model, bool *fresh)
{
    size_t n = v->u.obj.len;
    *fresh = false;
    /* The lookup key: the model, then the index of each key. */
    p->scratch.len = 0;
    if (rorm_vec_reserve(&p->scratch, n + sizeof model / sizeof(uint32_t)) != 0 ||
        rorm_vec_reserve(&p->members, n) != 0) {
        p->rc = RORM_ENOMEM;
        return SIZE_MAX;
    }
    memcpy(p->scratch.ptr, &model, sizeof model);
    p->scratch.len = sizeof model / sizeof(uint32_t);
    size_t first = p->members.len;
    for (size_t i = 0; i < n; i++) {
        pack_member cur = member_of(p, model, v->u.obj.items[i].key);
        p->members.ptr[first + i] = cur;
        p->scratch.ptr[p->scratch.len++] = (uint32_t)cur.key_id;
    }
    if (p->rc != RORM_OK) {
        return SIZE_MAX;
    }
    const char *lookup = (const char *)p->scratch.ptr;
    size_t lookup_len = p->scratch.len * sizeof(uint32_t);
    void *found = rorm__map_get(&p->shape_index, lookup, lookup_len);
    if (found != NULL) {
        return (size_t)(uintptr_t)found - 1;
    }
    size_t id = p->shapes.len;
    /* The prelude knows shapes by their key lists alone (the model only types the values). */
    const char *keys = lookup + sizeof model;
    size_t keys_len = lookup_len - sizeof model;
    void *known =
        p->engine != NULL ? rorm__map_get(&p->engine->result_shapes, keys, keys_len) : NULL;
    if (known == NULL) {
        known = rorm__map_get(&p->new_js_shapes, keys, keys_len);
    }
    size_t js_id;
    if (known != NULL) {
        js_id = (size_t)(uintptr_t)known - 1;
    } else {
        js_id = p->shape_base + p->new_js_shapes.len;
        if (rorm__map_set(&p->new_js_shapes, keys, keys_len, (void *)(uintptr_t)(js_id + 1)) != 0) {
            p->rc = RORM_ENOMEM;
            return SIZE_MAX;
        }
        *fresh = true;
    }
    pack_shape s = { model, n, first, (double)js_id };
    if (rorm_vec_push(&p->shapes, s) != 0 ||
        rorm__map_set(&p->shape_index, lookup, lookup_len, (void *)(uintptr_t)(id + 1)) != 0) {
        p->rc = RORM_ENOMEM;
        return SIZE_MAX;
    }
    p->members.len += n;
    return id;
}

static void
pack_shaped(packer *p, const rorm_value *v, const rorm_model *model, int depth, size_t *last);

/* An array at @p depth (checked); *last is the shape of the previous object. */
static void pack_array(packer *p,
                       const rorm_value *v,
                       const rorm_model *model,
                       const rorm_field *field,
                       int depth,
                       size_t *last)
{
    put(p, PK_ARR);
    put(p, (double)v->u.arr.len);
    for (size_t i = 0; i < v->u.arr.len && p->rc == RORM_OK; i++) {
        const rorm_value *item = &v->u.arr.items[i];
        if (item->type == RORM_TYPE_OBJECT) {
            pack_shaped(p, item, model, depth + 1, last);
        } else {
            pack(p, item, model, field, depth + 1);
        }
    }
}

/* An object of an array as PK_SHAPE; *last is the shape of the array's previous object. */
static void
pack_shaped(packer *p, const rorm_value *v, const rorm_model *model, int depth, size_t *last)
{
    size_t n = v->u.obj.len;
    if (n > PACK_MAX_SHAPE) {
        pack_object(p, v, model, depth);
        return;
    }
    size_t id = *last;
    bool fresh = false;
    if (id == SIZE_MAX || !has_shape(p, &p->shapes.ptr[id], v, model)) {
        id = shape_of(p, v, model, &fresh);
        if (id == SIZE_MAX) {
            return;
        }
        *last = id;
    }
    const pack_shape *s = &p->shapes.ptr[id];
    if (fresh) {
        put(p, PK_NEW_SHAPE);
        put(p, (double)n);
        for (size_t i = 0; i < n; i++) {
            put(p, p->members.ptr[s->first + i].key_id);
        }
    } else {
        put(p, PK_SHAPE);
        put(p, s->js_id);
    }
    size_t first = s->first;
    for (size_t i = 0; i < n && p->rc == RORM_OK; i++) {
        /* The members may move as later shapes are added: index them each time. */
        pack_member cur = p->members.ptr[first + i];
        const rorm_value *mv = &v->u.obj.items[i].value;
        if (mv->type == RORM_TYPE_OBJECT && depth + 1 <= PACK_MAX_DEPTH) {
            /* A nested object (a to-one relation, `_count`): by shape too. */
            pack_shaped(p, mv, cur.child, depth + 1, &cur.last);
            p->members.ptr[first + i].last = cur.last;
        } else if (mv->type == RORM_TYPE_ARRAY && depth + 1 <= PACK_MAX_DEPTH) {
            /* A list relation: its records likely have the shape of the previous parent's. */
            pack_array(p, mv, cur.child, cur.field, depth + 1, &cur.last);
            p->members.ptr[first + i].last = cur.last;
        } else {
            pack(p, mv, cur.child, cur.field, depth + 1);
        }
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
        if (!put_text(p, &p->text, v->u.s.ptr, v->u.s.len)) {
            p->text.len = start;
            put_val(p, rorm__js_from_field_value(p->ctx, v, field, p->exc));
            return;
        }
        put(p, PK_TEXT);
        put(p, (double)(p->text.len - start));
        return;
    }
    case RORM_TYPE_DATETIME:
        put(p, PK_DATE);
        put(p, (double)v->u.ms);
        return;
    case RORM_TYPE_ARRAY: {
        size_t last = SIZE_MAX;
        pack_array(p, v, model, field, depth, &last);
        return;
    }
    case RORM_TYPE_OBJECT:
        pack_object(p, v, model, depth);
        return;
    default: /* Json, Bytes and anything else: as the C API makes them */
        put_val(p, rorm__js_from_field_value(p->ctx, v, field, p->exc));
        return;
    }
}

/* The result buffer the prelude reads tokens from (native.resultBuffer()). */
JSValueRef rorm__js_result_buffer(JSContextRef ctx, JSValueRef *exc)
{
    rorm_js_engine *e = rorm__js_engine_of(ctx);
    if (e == NULL || e->result_ops != NULL) {
        return rorm__js_throw_type(ctx, exc, "resultBuffer(): already handed out");
    }
    size_t n = RESULT_BUFFER_LEN;
    double *ops = rorm__malloc(n * sizeof *ops);
    if (ops == NULL) {
        return rorm__js_throw_oom(ctx, exc);
    }
    JSObjectRef o = JSObjectMakeTypedArrayWithBytesNoCopy(
        ctx, kJSTypedArrayTypeFloat64Array, ops, n * sizeof *ops, rorm__js_free_bytes, NULL, exc);
    if (o == NULL) {
        rorm__free(ops);
        return NULL;
    }
    /* The prelude holds the array for the life of the engine. */
    e->result_ops = ops;
    e->result_ops_len = n;
    return o;
}

/*
 * The engine keeps its packing buffers between calls: filling fresh memory for each large
 * result costs page faults and copies as the buffers grow. A buffer above PACK_KEEP_BYTES goes
 * back to the allocator after the call, and so does one above PACK_SMALL_BYTES that the call
 * used less than an eighth of (one large result does not hold the memory for good).
 */
#define PACK_KEEP_BYTES  (32u << 20)
#define PACK_SMALL_BYTES (1u << 20)

static bool keep_buffer(size_t cap, size_t len, size_t elem)
{
    return cap * elem <= PACK_KEEP_BYTES && (cap * elem <= PACK_SMALL_BYTES || len >= cap / 8);
}

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
    rorm__map_init(&p.shape_index, NULL);
    rorm__map_init(&p.new_js_shapes, NULL);
    p.engine = e;
    p.key_base = e != NULL ? e->result_keys.len : 0;
    p.shape_base = e != NULL ? e->result_shapes.len : 0;
    pack(&p, v, model, NULL, 0);
    /* The keys this result defines go after the strings. */
    size_t strings_len = p.text.len;
    if (p.rc == RORM_OK && p.key_text.len > 0) {
        if (rorm_vec_reserve(&p.text, p.key_text.len) != 0) {
            p.rc = RORM_ENOMEM;
        } else {
            memcpy(p.text.ptr + p.text.len, p.key_text.ptr, p.key_text.len * sizeof(uint16_t));
            p.text.len += p.key_text.len;
        }
    }
    JSValueRef out = NULL;
    if (p.rc == RORM_OK) {
        /* The tokens: how many keys this result defines, whether the prelude keeps them, each
           one's start and end in the text, then the tree. They go in the engine's result buffer
           when they fit, else in a Float64Array of their own. */
        size_t n = 2 + p.keys.len + p.ops.len;
        JSObjectRef arr = NULL;
        double *dst = e != NULL && n <= e->result_ops_len ? e->result_ops : NULL;
        if (dst == NULL) {
            arr = JSObjectMakeTypedArray(ctx, kJSTypedArrayTypeFloat64Array, n, exc);
            dst = arr != NULL ? JSObjectGetTypedArrayBytesPtr(ctx, arr, exc) : NULL;
        }
        if (dst != NULL) {
            dst[0] = (double)(p.keys.len / 2);
            for (size_t i = 0; i < p.keys.len; i++) {
                dst[2 + i] = (double)strings_len + p.keys.ptr[i];
            }
            if (p.ops.len > 0) {
                memcpy(dst + 2 + p.keys.len, p.ops.ptr, p.ops.len * sizeof(double));
            }
            /* The text alone, or [text, values or null, tokens when not in the buffer]. */
            JSStringRef text = JSStringCreateWithCharacters(p.text.ptr, p.text.len);
            out = JSValueMakeString(ctx, text);
            JSStringRelease(text);
            if (arr != NULL || p.vals != NULL) {
                JSValueRef parts[3] = { out,
                                        p.vals != NULL ? (JSValueRef)p.vals : JSValueMakeNull(ctx),
                                        arr != NULL ? (JSValueRef)arr : JSValueMakeNull(ctx) };
                out = JSObjectMakeArray(ctx, 3, parts, exc);
            }
            /* Last: once kept here, the prelude must see this result. */
            dst[1] = out != NULL && e != NULL && commit_keys(&p) ? 1 : 0;
        }
    } else if (p.rc == RORM_ENOMEM) {
        rorm__js_throw_oom(ctx, exc);
    }
    rorm__map_dispose(&p.key_index);
    rorm__map_dispose(&p.shape_index);
    rorm__map_dispose(&p.new_js_shapes);
    rorm_vec_free(&p.keys);
    rorm_vec_free(&p.key_text);
    rorm_vec_free(&p.shapes);
    rorm_vec_free(&p.members);
    rorm_vec_free(&p.scratch);
    /* (A nested call that kept its own buffers keeps them.) */
    if (e != NULL && e->pack_ops == NULL && keep_buffer(p.ops.cap, p.ops.len, sizeof(double))) {
        e->pack_ops = p.ops.ptr;
        e->pack_ops_cap = p.ops.cap;
    } else {
        rorm_vec_free(&p.ops);
    }
    if (e != NULL && e->pack_text == NULL &&
        keep_buffer(p.text.cap, p.text.len, sizeof(uint16_t))) {
        e->pack_text = p.text.ptr;
        e->pack_text_cap = p.text.cap;
    } else {
        rorm_vec_free(&p.text);
    }
    return out;
}
