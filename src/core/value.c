/*
 * The value type that carries query arguments and results: constructors, ownership (borrowed
 * versus owned payloads), deep copies, ordered objects, equality and the ISO-8601 date-time
 * conversions. JSON output lives in json.c.
 */
#include "rediorm/value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/value.h"
#include "rediorm/error.h"
#include "util/alloc.h"
#include "util/vec.h"

/*
 * An object with RORM_VALUE_KEYS_INLINE has one allocation for its members and their keys: this
 * header, the members (u.obj.items points at them), then room for the keys, which are copied in
 * and never freed one by one. Results are built this way: one allocation per record instead of
 * one per member.
 */
typedef struct inline_head {
    size_t key_room, key_used;
} inline_head;

/* The header is 16 bytes, so the members keep malloc's alignment. */
#define INLINE_HEAD_SIZE ((sizeof(inline_head) + 15) & ~(size_t)15)

static inline_head *head_of(const rorm_value *obj)
{
    return (inline_head *)(void *)((char *)obj->u.obj.items - INLINE_HEAD_SIZE);
}

static char *key_area(const rorm_value *obj)
{
    return (char *)(obj->u.obj.items + obj->u.obj.cap);
}

/*
 * A block for @p cap members and @p key_room bytes of keys; the members pointer, or NULL. From
 * @p alloc (a result arena) when it is not NULL, else from rorm__malloc.
 */
static rorm_member *
inline_alloc(size_t cap, size_t key_room, rorm__value_alloc_fn alloc, void *payload)
{
    size_t bytes;
    if (!rorm__mul_ok(&bytes, cap, sizeof(rorm_member)) ||
        !rorm__add_ok(&bytes, bytes, INLINE_HEAD_SIZE) || !rorm__add_ok(&bytes, bytes, key_room)) {
        return NULL;
    }
    char *block = alloc ? alloc(payload, bytes) : rorm__malloc(bytes);
    if (block == NULL) {
        return NULL;
    }
    inline_head *h = (inline_head *)(void *)block;
    h->key_room = key_room;
    h->key_used = 0;
    return (rorm_member *)(void *)(block + INLINE_HEAD_SIZE);
}

int rorm__value_object_reserve_in(
    rorm_value *out, size_t cap, size_t key_room, rorm__value_alloc_fn alloc, void *payload)
{
    rorm_member *items = inline_alloc(cap ? cap : 1, key_room, alloc, payload);
    if (items == NULL) {
        rorm_value_init(out);
        return RORM_ENOMEM;
    }
    rorm_value_init_object(out);
    out->flags = RORM_VALUE_KEYS_INLINE | (alloc ? RORM_VALUE_BORROWED : 0);
    out->u.obj.items = items;
    out->u.obj.cap = cap ? cap : 1;
    return RORM_OK;
}

int rorm__value_object_reserve(rorm_value *out, size_t cap, size_t key_room)
{
    return rorm__value_object_reserve_in(out, cap, key_room, NULL, NULL);
}

/*
 * Make room in inline object @p obj for one more member with a key of @p keylen bytes. A
 * borrowed object (in a result arena) grows into new memory from @p alloc; the old block
 * stays with the arena.
 */
static int inline_grow(rorm_value *obj, size_t keylen, rorm__value_alloc_fn alloc, void *payload)
{
    inline_head *h = head_of(obj);
    size_t len = obj->u.obj.len, cap = obj->u.obj.cap;
    if (len < cap && keylen < h->key_room - h->key_used) {
        return RORM_OK;
    }
    bool borrowed = (obj->flags & RORM_VALUE_BORROWED) != 0;
    if (borrowed != (alloc != NULL)) {
        return RORM_EINVAL; /* an arena object grows only in its arena */
    }
    size_t ncap = len < cap ? cap : cap * 2, room;
    if (ncap < cap || !rorm__add_ok(&room, h->key_used, keylen + 1) ||
        !rorm__add_ok(&room, room, h->key_used)) {
        return RORM_ENOMEM;
    }
    rorm_member *items = inline_alloc(ncap, room, alloc, payload);
    if (items == NULL) {
        return RORM_ENOMEM;
    }
    /* Copy the members and their keys in the old key area (an arena object's keys may also
       be schema names, which stay where they are). */
    const char *old_keys = key_area(obj);
    char *new_keys = (char *)(items + ncap);
    memcpy(new_keys, old_keys, h->key_used);
    for (size_t i = 0; i < len; i++) {
        items[i] = obj->u.obj.items[i];
        if (items[i].key >= old_keys && items[i].key < old_keys + h->key_used) {
            items[i].key = new_keys + (items[i].key - old_keys);
        }
    }
    ((inline_head *)(void *)((char *)items - INLINE_HEAD_SIZE))->key_used = h->key_used;
    if (!borrowed) {
        rorm__free(h);
    }
    obj->u.obj.items = items;
    obj->u.obj.cap = ncap;
    return RORM_OK;
}

/* Append to the inline object @p obj, growing it with @p alloc (NULL: rorm__malloc). */
static int inline_append(rorm_value *obj,
                         const char *key,
                         size_t keylen,
                         rorm_value *val,
                         rorm__value_alloc_fn alloc,
                         void *payload)
{
    int rc = inline_grow(obj, keylen, alloc, payload);
    if (rc != RORM_OK) {
        rorm_value_dispose(val);
        return rc;
    }
    inline_head *h = head_of(obj);
    char *k = key_area(obj) + h->key_used;
    memcpy(k, key, keylen);
    k[keylen] = '\0';
    h->key_used += keylen + 1;
    rorm_member *m = &obj->u.obj.items[obj->u.obj.len++];
    m->key = k;
    m->value = *val;
    rorm_value_init(val);
    return RORM_OK;
}

int rorm__value_object_append_take(rorm_value *obj, const char *key, size_t keylen, rorm_value *val)
{
    if ((obj->flags & RORM_VALUE_KEYS_INLINE) == 0) {
        char *copy = rorm__malloc(keylen + 1);
        if (copy == NULL) {
            rorm_value_dispose(val);
            return RORM_ENOMEM;
        }
        memcpy(copy, key, keylen);
        copy[keylen] = '\0';
        void *items = obj->u.obj.items;
        int rc = rorm__vec_grow(&items, &obj->u.obj.cap, obj->u.obj.len, 1, sizeof(rorm_member));
        obj->u.obj.items = items;
        if (rc != RORM_OK) {
            rorm__free(copy);
            rorm_value_dispose(val);
            return RORM_ENOMEM;
        }
        rorm_member *m = &obj->u.obj.items[obj->u.obj.len++];
        m->key = copy;
        m->value = *val;
        rorm_value_init(val);
        return RORM_OK;
    }
    return inline_append(obj, key, keylen, val, NULL, NULL);
}

int rorm__value_object_append_name(rorm_value *obj, const char *name, rorm_value *val)
{
    if ((obj->flags & RORM_VALUE_BORROWED) == 0 || obj->u.obj.len >= obj->u.obj.cap) {
        return rorm__value_object_append_take(obj, name, strlen(name), val);
    }
    rorm_member *m = &obj->u.obj.items[obj->u.obj.len++];
    m->key = name;
    m->value = *val;
    rorm_value_init(val);
    return RORM_OK;
}

void rorm__value_member_dispose(rorm_value *obj, rorm_member *m)
{
    if ((obj->flags & (RORM_VALUE_KEYS_INLINE | RORM_VALUE_BORROWED)) == 0) {
        rorm__free((char *)m->key);
    }
    m->key = NULL;
    rorm_value_dispose(&m->value);
}

rorm_value rorm_value_text_ref(const char *s)
{
    rorm_value v = { .type = RORM_TYPE_NULL };
    if (s != NULL) {
        v.type = RORM_TYPE_TEXT;
        v.flags = RORM_VALUE_BORROWED;
        v.u.s.ptr = s;
        v.u.s.len = strlen(s);
    }
    return v;
}

rorm_value rorm_value_decimal_ref(const char *s)
{
    rorm_value v = rorm_value_text_ref(s);
    if (s != NULL) {
        v.type = RORM_TYPE_DECIMAL;
    }
    return v;
}

rorm_value rorm_value_json_ref(const char *s)
{
    rorm_value v = rorm_value_text_ref(s);
    if (s != NULL) {
        v.type = RORM_TYPE_JSON;
    }
    return v;
}

void rorm_value_init(rorm_value *v)
{
    if (v != NULL) {
        memset(v, 0, sizeof *v);
    }
}

void rorm_value_dispose(rorm_value *v)
{
    if (v == NULL) {
        return;
    }
    if ((v->flags & RORM_VALUE_BORROWED) == 0) {
        switch (v->type) {
        case RORM_TYPE_TEXT:
        case RORM_TYPE_DECIMAL:
        case RORM_TYPE_JSON:
            rorm__free((char *)v->u.s.ptr);
            break;
        case RORM_TYPE_BYTES:
            rorm__free((uint8_t *)v->u.bytes.ptr);
            break;
        case RORM_TYPE_ARRAY:
            for (size_t i = 0; i < v->u.arr.len; i++) {
                rorm_value_dispose(&v->u.arr.items[i]);
            }
            rorm__free(v->u.arr.items);
            break;
        case RORM_TYPE_OBJECT: {
            bool inline_keys = (v->flags & RORM_VALUE_KEYS_INLINE) != 0;
            for (size_t i = 0; i < v->u.obj.len; i++) {
                rorm_member *m = &v->u.obj.items[i];
                if (!inline_keys) {
                    rorm__free((char *)m->key); /* an owned object owns its keys */
                }
                rorm_value_dispose(&m->value);
            }
            if (inline_keys) {
                rorm__free(head_of(v));
            } else {
                rorm__free(v->u.obj.items);
            }
            break;
        }
        default:
            break;
        }
    }
    rorm_value_init(v);
}

/* Make @p out an owned string-like value of @p type holding a copy of @p s. */
static int set_string(rorm_value *out, unsigned type, const char *s, size_t len)
{
    if (out == NULL) {
        return RORM_EINVAL;
    }
    rorm_value_init(out);
    if (s == NULL && len != 0) {
        return RORM_EINVAL;
    }
    size_t size;
    if (!rorm__add_ok(&size, len, 1)) {
        return RORM_ENOMEM;
    }
    char *p = rorm__malloc(size);
    if (p == NULL) {
        return RORM_ENOMEM;
    }
    if (len != 0) {
        memcpy(p, s, len);
    }
    p[len] = '\0';
    out->type = type;
    out->u.s.ptr = p;
    out->u.s.len = len;
    return RORM_OK;
}

int rorm_value_set_text(rorm_value *out, const char *s, size_t len)
{
    return set_string(out, RORM_TYPE_TEXT, s, len);
}

int rorm_value_set_decimal(rorm_value *out, const char *s, size_t len)
{
    return set_string(out, RORM_TYPE_DECIMAL, s, len);
}

int rorm_value_set_json(rorm_value *out, const char *s, size_t len)
{
    return set_string(out, RORM_TYPE_JSON, s, len);
}

int rorm_value_set_bytes(rorm_value *out, const void *p, size_t len)
{
    if (out == NULL) {
        return RORM_EINVAL;
    }
    rorm_value_init(out);
    if (p == NULL && len != 0) {
        return RORM_EINVAL;
    }
    uint8_t *copy = NULL;
    if (len != 0) {
        copy = rorm__malloc(len);
        if (copy == NULL) {
            return RORM_ENOMEM;
        }
        memcpy(copy, p, len);
    }
    out->type = RORM_TYPE_BYTES;
    out->u.bytes.ptr = copy;
    out->u.bytes.len = len;
    return RORM_OK;
}

void rorm_value_init_array(rorm_value *out)
{
    if (out != NULL) {
        rorm_value_init(out);
        out->type = RORM_TYPE_ARRAY;
    }
}

void rorm_value_init_object(rorm_value *out)
{
    if (out != NULL) {
        rorm_value_init(out);
        out->type = RORM_TYPE_OBJECT;
    }
}

static int copy_value(rorm_value *out, const rorm_value *src);

static int copy_array(rorm_value *out, const rorm_value *src)
{
    size_t n = src->u.arr.len;
    rorm_value_init_array(out);
    if (n == 0) {
        return RORM_OK;
    }
    if (src->u.arr.items == NULL) {
        return RORM_EINVAL;
    }
    rorm_value *items = rorm__calloc(n, sizeof *items);
    if (items == NULL) {
        return RORM_ENOMEM;
    }
    out->u.arr.items = items;
    out->u.arr.cap = n;
    for (size_t i = 0; i < n; i++) {
        int rc = copy_value(&items[i], &src->u.arr.items[i]);
        if (rc != RORM_OK) {
            rorm_value_dispose(out);
            return rc;
        }
        out->u.arr.len = i + 1;
    }
    return RORM_OK;
}

static int copy_object(rorm_value *out, const rorm_value *src)
{
    size_t n = src->u.obj.len;
    rorm_value_init_object(out);
    if (n == 0) {
        return RORM_OK;
    }
    if (src->u.obj.items == NULL) {
        return RORM_EINVAL;
    }
    rorm_member *items = rorm__calloc(n, sizeof *items);
    if (items == NULL) {
        return RORM_ENOMEM;
    }
    out->u.obj.items = items;
    out->u.obj.cap = n;
    for (size_t i = 0; i < n; i++) {
        const rorm_member *m = &src->u.obj.items[i];
        if (m->key != NULL) {
            items[i].key = rorm__strdup(m->key);
            if (items[i].key == NULL) {
                rorm_value_dispose(out);
                return RORM_ENOMEM;
            }
        }
        /* Count the member before copying its value so that its key is freed on failure. */
        out->u.obj.len = i + 1;
        int rc = copy_value(&items[i].value, &m->value);
        if (rc != RORM_OK) {
            rorm_value_dispose(out);
            return rc;
        }
    }
    return RORM_OK;
}

static int copy_value(rorm_value *out, const rorm_value *src)
{
    switch (src->type) {
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        return set_string(out, src->type, src->u.s.ptr, src->u.s.ptr ? src->u.s.len : 0);
    case RORM_TYPE_BYTES:
        return rorm_value_set_bytes(out, src->u.bytes.ptr, src->u.bytes.ptr ? src->u.bytes.len : 0);
    case RORM_TYPE_ARRAY:
        return copy_array(out, src);
    case RORM_TYPE_OBJECT:
        return copy_object(out, src);
    case RORM_TYPE_NULL:
    case RORM_TYPE_BOOL:
    case RORM_TYPE_INT:
    case RORM_TYPE_DOUBLE:
    case RORM_TYPE_DATETIME:
        *out = *src;
        out->flags = 0;
        return RORM_OK;
    default:
        rorm_value_init(out);
        return RORM_EINVAL;
    }
}

int rorm_value_copy(rorm_value *out, const rorm_value *src)
{
    if (out == NULL) {
        return RORM_EINVAL;
    }
    if (src == NULL) {
        rorm_value_init(out);
        return RORM_EINVAL;
    }
    /* Copy into a temporary: on failure @p out is left null, never half-built. */
    rorm_value tmp;
    int rc = copy_value(&tmp, src);
    if (rc != RORM_OK) {
        rorm_value_init(out);
        return rc;
    }
    *out = tmp;
    return RORM_OK;
}

void rorm_value_move(rorm_value *out, rorm_value *src)
{
    if (out == NULL || out == src) {
        return;
    }
    if (src == NULL) {
        rorm_value_init(out);
        return;
    }
    *out = *src;
    rorm_value_init(src);
}

int rorm_value_array_push_take(rorm_value *arr, rorm_value *item)
{
    if (item == NULL) {
        return RORM_EINVAL;
    }
    if (arr == NULL || arr == item || arr->type != RORM_TYPE_ARRAY ||
        (arr->flags & RORM_VALUE_BORROWED) != 0) {
        rorm_value_dispose(item);
        return RORM_EINVAL;
    }
    void *items = arr->u.arr.items;
    int rc = rorm__vec_grow(&items, &arr->u.arr.cap, arr->u.arr.len, 1, sizeof(rorm_value));
    arr->u.arr.items = items;
    if (rc != RORM_OK) {
        rorm_value_dispose(item);
        return RORM_ENOMEM;
    }
    arr->u.arr.items[arr->u.arr.len++] = *item;
    rorm_value_init(item);
    return RORM_OK;
}

const rorm_value *rorm_value_array_at(const rorm_value *arr, size_t i)
{
    if (arr == NULL || arr->type != RORM_TYPE_ARRAY || i >= arr->u.arr.len) {
        return NULL;
    }
    return &arr->u.arr.items[i];
}

size_t rorm_value_len(const rorm_value *v)
{
    if (v == NULL) {
        return 0;
    }
    if (v->type == RORM_TYPE_ARRAY) {
        return v->u.arr.len;
    }
    if (v->type == RORM_TYPE_OBJECT) {
        return v->u.obj.len;
    }
    return 0;
}

static rorm_member *find_member(const rorm_value *obj, const char *key)
{
    for (size_t i = 0; i < obj->u.obj.len; i++) {
        rorm_member *m = &obj->u.obj.items[i];
        if (m->key != NULL && strcmp(m->key, key) == 0) {
            return m;
        }
    }
    return NULL;
}

/* Give member @p key of @p obj the value @p val (taken); false when there is no such member. */
static bool replace_member(rorm_value *obj, const char *key, rorm_value *val)
{
    rorm_member *m = find_member(obj, key);
    if (m == NULL) {
        return false;
    }
    rorm_value_dispose(&m->value);
    m->value = *val;
    rorm_value_init(val);
    return true;
}

int rorm_value_object_set_take(rorm_value *obj, const char *key, rorm_value *val)
{
    if (val == NULL) {
        return RORM_EINVAL;
    }
    if (obj == NULL || obj == val || key == NULL || obj->type != RORM_TYPE_OBJECT ||
        (obj->flags & RORM_VALUE_BORROWED) != 0) {
        rorm_value_dispose(val);
        return RORM_EINVAL;
    }
    if (replace_member(obj, key, val)) {
        return RORM_OK;
    }
    return rorm__value_object_append_take(obj, key, strlen(key), val);
}

int rorm__value_object_put_in(
    rorm_value *obj, const char *key, rorm_value *val, rorm__value_alloc_fn alloc, void *payload)
{
    if (alloc == NULL) {
        return rorm_value_object_set_take(obj, key, val);
    }
    if (obj->type != RORM_TYPE_OBJECT || (obj->flags & RORM_VALUE_KEYS_INLINE) == 0) {
        rorm_value_dispose(val);
        return RORM_EINVAL;
    }
    if (replace_member(obj, key, val)) {
        return RORM_OK;
    }
    return inline_append(obj, key, strlen(key), val, alloc, payload);
}

/* Copy @p src into memory from @p alloc: every node borrowed, objects with inline keys. */
static int
copy_in(rorm_value *out, const rorm_value *src, rorm__value_alloc_fn alloc, void *payload)
{
    rorm_value_init(out);
    switch (src->type) {
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
    case RORM_TYPE_BYTES: {
        bool bytes = src->type == RORM_TYPE_BYTES;
        const void *from = bytes ? (const void *)src->u.bytes.ptr : (const void *)src->u.s.ptr;
        size_t len = from == NULL ? 0 : bytes ? src->u.bytes.len : src->u.s.len;
        char *p = len + 1 > len ? alloc(payload, len + 1) : NULL;
        if (p == NULL) {
            return RORM_ENOMEM;
        }
        if (len != 0) {
            memcpy(p, from, len);
        }
        p[len] = '\0';
        out->type = src->type;
        out->flags = RORM_VALUE_BORROWED;
        if (bytes) {
            out->u.bytes.ptr = (const uint8_t *)p;
            out->u.bytes.len = len;
        } else {
            out->u.s.ptr = p;
            out->u.s.len = len;
        }
        return RORM_OK;
    }
    case RORM_TYPE_ARRAY: {
        size_t n = src->u.arr.len, bytes;
        rorm_value *items = NULL;
        if (n > 0 &&
            (!rorm__mul_ok(&bytes, n, sizeof *items) || (items = alloc(payload, bytes)) == NULL)) {
            return RORM_ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            int rc = copy_in(&items[i], &src->u.arr.items[i], alloc, payload);
            if (rc != RORM_OK) {
                return rc;
            }
        }
        out->type = RORM_TYPE_ARRAY;
        out->flags = RORM_VALUE_BORROWED;
        out->u.arr.items = items;
        out->u.arr.len = out->u.arr.cap = n;
        return RORM_OK;
    }
    case RORM_TYPE_OBJECT: {
        size_t n = src->u.obj.len, room = 0;
        for (size_t i = 0; i < n; i++) {
            room += strlen(src->u.obj.items[i].key ? src->u.obj.items[i].key : "") + 1;
        }
        rorm_value obj;
        if (rorm__value_object_reserve_in(&obj, n, room, alloc, payload) != RORM_OK) {
            return RORM_ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            const rorm_member *m = &src->u.obj.items[i];
            rorm_value v;
            int rc = copy_in(&v, &m->value, alloc, payload);
            if (rc != RORM_OK) {
                return rc;
            }
            const char *key = m->key ? m->key : "";
            inline_append(&obj, key, strlen(key), &v, alloc, payload); /* within the room */
        }
        *out = obj;
        return RORM_OK;
    }
    default: /* scalars, and bad types: nothing to allocate */
        return copy_value(out, src);
    }
}

int rorm__value_copy_in(rorm_value *out,
                        const rorm_value *src,
                        rorm__value_alloc_fn alloc,
                        void *payload)
{
    int rc = copy_in(out, src, alloc, payload);
    if (rc != RORM_OK) {
        rorm_value_init(out); /* what was made stays with the arena */
    }
    return rc;
}

const rorm_value *rorm_value_object_get(const rorm_value *obj, const char *key)
{
    if (obj == NULL || key == NULL || obj->type != RORM_TYPE_OBJECT) {
        return NULL;
    }
    const rorm_member *m = find_member(obj, key);
    return m ? &m->value : NULL;
}

const rorm_member *rorm_value_object_at(const rorm_value *obj, size_t i)
{
    if (obj == NULL || obj->type != RORM_TYPE_OBJECT || i >= obj->u.obj.len) {
        return NULL;
    }
    return &obj->u.obj.items[i];
}

static bool bytes_equal(const void *a, size_t alen, const void *b, size_t blen)
{
    if (alen != blen) {
        return false;
    }
    return alen == 0 || memcmp(a, b, alen) == 0;
}

/* Objects are equal when they have the same members, whatever their order. */
static bool objects_equal(const rorm_value *a, const rorm_value *b)
{
    if (a->u.obj.len != b->u.obj.len) {
        return false;
    }
    for (size_t i = 0; i < a->u.obj.len; i++) {
        const rorm_member *ma = &a->u.obj.items[i];
        const rorm_member *mb = &b->u.obj.items[i];
        /* Fast path: same key at the same position. */
        if (!(ma->key && mb->key && strcmp(ma->key, mb->key) == 0)) {
            mb = ma->key ? find_member(b, ma->key) : NULL;
            if (mb == NULL) {
                return false;
            }
        }
        if (!rorm_value_equal(&ma->value, &mb->value)) {
            return false;
        }
    }
    return true;
}

bool rorm_value_equal(const rorm_value *a, const rorm_value *b)
{
    if (a == b) {
        return true;
    }
    if (a == NULL || b == NULL || a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case RORM_TYPE_NULL:
        return true;
    case RORM_TYPE_BOOL:
        return a->u.b == b->u.b;
    case RORM_TYPE_INT:
        return a->u.i == b->u.i;
    case RORM_TYPE_DOUBLE:
        return a->u.d == b->u.d || (isnan(a->u.d) && isnan(b->u.d));
    case RORM_TYPE_DATETIME:
        return a->u.ms == b->u.ms;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        return bytes_equal(a->u.s.ptr, a->u.s.ptr ? a->u.s.len : 0, b->u.s.ptr,
                           b->u.s.ptr ? b->u.s.len : 0);
    case RORM_TYPE_BYTES:
        return bytes_equal(a->u.bytes.ptr, a->u.bytes.ptr ? a->u.bytes.len : 0, b->u.bytes.ptr,
                           b->u.bytes.ptr ? b->u.bytes.len : 0);
    case RORM_TYPE_ARRAY:
        if (a->u.arr.len != b->u.arr.len) {
            return false;
        }
        for (size_t i = 0; i < a->u.arr.len; i++) {
            if (!rorm_value_equal(&a->u.arr.items[i], &b->u.arr.items[i])) {
                return false;
            }
        }
        return true;
    case RORM_TYPE_OBJECT:
        return objects_equal(a, b);
    default:
        return false;
    }
}

const char *rorm_type_name(unsigned type)
{
    switch (type) {
    case RORM_TYPE_NULL:
        return "null";
    case RORM_TYPE_BOOL:
        return "bool";
    case RORM_TYPE_INT:
        return "int";
    case RORM_TYPE_DOUBLE:
        return "double";
    case RORM_TYPE_TEXT:
        return "text";
    case RORM_TYPE_BYTES:
        return "bytes";
    case RORM_TYPE_DATETIME:
        return "datetime";
    case RORM_TYPE_DECIMAL:
        return "decimal";
    case RORM_TYPE_JSON:
        return "json";
    case RORM_TYPE_ARRAY:
        return "array";
    case RORM_TYPE_OBJECT:
        return "object";
    default:
        return "unknown";
    }
}

int64_t rorm_value_as_int(const rorm_value *v, int64_t fallback)
{
    return v != NULL && v->type == RORM_TYPE_INT ? v->u.i : fallback;
}

double rorm_value_as_double(const rorm_value *v, double fallback)
{
    return v != NULL && v->type == RORM_TYPE_DOUBLE ? v->u.d : fallback;
}

const char *rorm_value_as_text(const rorm_value *v)
{
    if (v == NULL) {
        return NULL;
    }
    switch (v->type) {
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        return v->u.s.ptr;
    default:
        return NULL;
    }
}

/* ---- Dates ---------------------------------------------------------------------------------
 *
 * Proleptic Gregorian calendar. Day numbers count from 0000-01-01 (day 0); year 0 is a leap
 * year. A 400-year cycle has 146097 days, so any day number is reduced to a year within one
 * cycle and then to a month through the cumulative month table.
 */

#define MS_PER_DAY     86400000LL
#define DAYS_PER_CYCLE 146097LL
/* Day number of 1970-01-01 counted from 0000-01-01. */
#define EPOCH_DAY 719528LL

static const int month_start[2][13] = {
    { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365 },
    { 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366 },
};

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from the start of a 400-year cycle to January 1 of year @p y of it (0 <= y <= 400). */
static int64_t days_before_year(int64_t y)
{
    if (y == 0) {
        return 0;
    }
    /* Leap years in [0, y): year 0 itself plus those in [1, y - 1]. */
    int64_t leaps = 1 + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
    return 365 * y + leaps;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

/* Days since 1970-01-01 of a valid date with 0 <= y. */
static int64_t days_from_date(int64_t y, int m, int d)
{
    int64_t cycles = y / 400;
    int64_t day = cycles * DAYS_PER_CYCLE + days_before_year(y % 400);
    day += month_start[is_leap(y)][m - 1] + (d - 1);
    return day - EPOCH_DAY;
}

static void date_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t day = days + EPOCH_DAY;
    int64_t cycle = floor_div(day, DAYS_PER_CYCLE);
    int64_t rest = day - cycle * DAYS_PER_CYCLE; /* 0 .. 146096 */
    int64_t yoc = rest / 365;                    /* may be one or two too high */
    if (yoc > 399) {
        yoc = 399;
    }
    while (days_before_year(yoc) > rest) {
        yoc--;
    }
    int64_t doy = rest - days_before_year(yoc);
    int64_t year = cycle * 400 + yoc;
    const int *starts = month_start[is_leap(yoc)];
    int month = 1;
    while (month < 12 && doy >= starts[month]) {
        month++;
    }
    *y = year;
    *m = month;
    *d = (int)(doy - starts[month - 1]) + 1;
}

static int days_in_month(int64_t y, int m)
{
    return month_start[is_leap(y)][m] - month_start[is_leap(y)][m - 1];
}

/* Read exactly @p n digits at *pos; false when they are not all there. */
static bool read_digits(const char *s, size_t len, size_t *pos, int n, int *out)
{
    int v = 0;
    if (len - *pos < (size_t)n) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        char c = s[*pos + (size_t)i];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    *pos += (size_t)n;
    *out = v;
    return true;
}

static bool accept(const char *s, size_t len, size_t *pos, char c)
{
    if (*pos < len && s[*pos] == c) {
        (*pos)++;
        return true;
    }
    return false;
}

/* Parse an optional UTC offset at *pos: Z, +HH:MM, +HHMM or +HH (and '-'), in minutes. */
static bool parse_offset(const char *s, size_t len, size_t *pos, int *minutes)
{
    *minutes = 0;
    if (*pos == len) {
        return true;
    }
    char c = s[*pos];
    if (c == 'Z' || c == 'z') {
        (*pos)++;
        return true;
    }
    if (c != '+' && c != '-') {
        return false;
    }
    (*pos)++;
    int hh, mm = 0;
    if (!read_digits(s, len, pos, 2, &hh)) {
        return false;
    }
    if (accept(s, len, pos, ':')) {
        if (!read_digits(s, len, pos, 2, &mm)) {
            return false;
        }
    } else if (*pos < len && !read_digits(s, len, pos, 2, &mm)) {
        return false;
    }
    if (hh > 23 || mm > 59) {
        return false;
    }
    *minutes = (hh * 60 + mm) * (c == '-' ? -1 : 1);
    return true;
}

int rorm_datetime_parse(int64_t *ms_out, const char *s, size_t len)
{
    size_t pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0, offset = 0;
    if (ms_out == NULL) {
        return RORM_EINVAL;
    }
    *ms_out = 0;
    if (s == NULL) {
        return RORM_EPARSE;
    }
    if (!read_digits(s, len, &pos, 4, &year) || !accept(s, len, &pos, '-') ||
        !read_digits(s, len, &pos, 2, &month) || !accept(s, len, &pos, '-') ||
        !read_digits(s, len, &pos, 2, &day)) {
        return RORM_EPARSE;
    }
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) {
        return RORM_EPARSE;
    }
    if (pos < len) {
        char sep = s[pos++];
        if (sep != 'T' && sep != 't' && sep != ' ') {
            return RORM_EPARSE;
        }
        if (!read_digits(s, len, &pos, 2, &hour) || !accept(s, len, &pos, ':') ||
            !read_digits(s, len, &pos, 2, &minute)) {
            return RORM_EPARSE;
        }
        if (accept(s, len, &pos, ':')) {
            if (!read_digits(s, len, &pos, 2, &second)) {
                return RORM_EPARSE;
            }
            if (accept(s, len, &pos, '.')) {
                /* At least one digit; digits beyond milliseconds are truncated. */
                int ndigits = 0;
                while (pos < len && s[pos] >= '0' && s[pos] <= '9') {
                    if (ndigits < 3) {
                        millis = millis * 10 + (s[pos] - '0');
                    }
                    ndigits++;
                    pos++;
                }
                if (ndigits == 0) {
                    return RORM_EPARSE;
                }
                for (int i = ndigits; i < 3; i++) {
                    millis *= 10;
                }
            }
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return RORM_EPARSE;
        }
        if (!parse_offset(s, len, &pos, &offset) || pos != len) {
            return RORM_EPARSE;
        }
    }
    int64_t days = days_from_date(year, month, day);
    int64_t ms = days * MS_PER_DAY + ((int64_t)hour * 3600 + minute * 60 + second) * 1000 + millis;
    *ms_out = ms - (int64_t)offset * 60000;
    return RORM_OK;
}

size_t rorm_datetime_format(char *buf, size_t size, int64_t ms)
{
    if (buf == NULL || size == 0) {
        return 0;
    }
    /* Floor division without forming days * MS_PER_DAY, which overflows near INT64_MIN. */
    int64_t days = ms / MS_PER_DAY;
    int64_t rest = ms % MS_PER_DAY;
    if (rest < 0) {
        rest += MS_PER_DAY;
        days--;
    }
    int64_t year;
    int month, day;
    date_from_days(days, &year, &month, &day);
    int hour = (int)(rest / 3600000);
    int minute = (int)(rest / 60000 % 60);
    int second = (int)(rest / 1000 % 60);
    int millis = (int)(rest % 1000);
    int n;
    if (year >= 0 && year <= 9999) {
        n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)year, month, day, hour,
                     minute, second, millis);
    } else {
        /* Extended years as in ECMAScript: a sign and at least six digits. */
        n = snprintf(buf, size, "%c%06lld-%02d-%02dT%02d:%02d:%02d.%03dZ", year < 0 ? '-' : '+',
                     (long long)(year < 0 ? -year : year), month, day, hour, minute, second,
                     millis);
    }
    if (n < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)n < size ? (size_t)n : size - 1;
}
