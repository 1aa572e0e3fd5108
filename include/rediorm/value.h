/**
 * @file rediorm/value.h
 * @brief The one value type that carries query arguments and results.
 *
 * A rorm_value is a small tagged union, passed by pointer and usually kept on the stack. It owns
 * what it points to (strings, arrays, members) unless RORM_VALUE_BORROWED is set, in which case
 * rorm_value_dispose() leaves the payload alone: the RORM_TEXT(), RORM_OBJECT() ... macros build
 * such borrowed values from literals and stack arrays, which is the cheap way to pass arguments.
 *
 * Ownership rules: constructors (rorm_value_set_*, rorm_value_copy, rorm_value_init_*) treat
 * their output as uninitialised and overwrite it without disposing it. The `_take` calls consume
 * their argument even when they fail. A borrowed array or object frees nothing on dispose, not
 * even items that are themselves owned.
 *
 * Integers are 64-bit and never pass through a double. DateTime is milliseconds since the Unix
 * epoch in UTC. Decimal and Json are kept as text (exact decimal digits, JSON source). Objects
 * keep their keys in insertion order.
 */
#ifndef REDIORM_VALUE_H
#define REDIORM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The kind of a value. Values are never renumbered. */
typedef enum rorm_type {
    RORM_TYPE_NULL = 0,
    RORM_TYPE_BOOL = 1,
    RORM_TYPE_INT = 2, /**< int64_t */
    RORM_TYPE_DOUBLE = 3,
    RORM_TYPE_TEXT = 4, /**< UTF-8, length-counted, always NUL-terminated */
    RORM_TYPE_BYTES = 5,
    RORM_TYPE_DATETIME = 6, /**< milliseconds since 1970-01-01T00:00:00Z */
    RORM_TYPE_DECIMAL = 7,  /**< exact decimal digits as text, e.g. "-12.50" */
    RORM_TYPE_JSON = 8,     /**< JSON source text */
    RORM_TYPE_ARRAY = 9,
    RORM_TYPE_OBJECT = 10, /**< ordered key/value members */
} rorm_type;

/** The payload is not owned: rorm_value_dispose() does not free it. */
#define RORM_VALUE_BORROWED 0x1u
/**
 * An owned object whose keys are stored in the same allocation as its members (results are
 * built this way). Its keys are read-only and not freed one by one; rorm_value_dispose() and
 * rorm_value_object_set_take() handle such objects like any other.
 */
#define RORM_VALUE_KEYS_INLINE 0x2u

typedef struct rorm_value rorm_value;
typedef struct rorm_member rorm_member;

struct rorm_value {
    unsigned type;  /**< a rorm_type */
    unsigned flags; /**< RORM_VALUE_* bits */
    union {
        bool b;
        int64_t i;
        double d;
        int64_t ms; /**< RORM_TYPE_DATETIME */
        struct {
            const char *ptr; /**< NUL-terminated; owned unless borrowed */
            size_t len;
        } s; /**< TEXT, DECIMAL, JSON */
        struct {
            const uint8_t *ptr;
            size_t len;
        } bytes;
        struct {
            rorm_value *items;
            size_t len, cap;
        } arr;
        struct {
            rorm_member *items;
            size_t len, cap;
        } obj;
    } u;
};

/**
 * One member of an object. An owned object owns its members' keys (they are copies, kept with
 * the members under RORM_VALUE_KEYS_INLINE); a borrowed one (RORM_OBJECT) owns nothing, so `{
 * "name", RORM_TEXT("Ann") }` is a valid member.
 */
struct rorm_member {
    const char *key;
    rorm_value value;
};

/* Borrowed values for arguments. They point at their operands, which must outlive the call. */
#define RORM_NULL_VALUE    ((rorm_value){ .type = RORM_TYPE_NULL })
#define RORM_BOOL(x)       ((rorm_value){ .type = RORM_TYPE_BOOL, .u.b = (x) })
#define RORM_INT(x)        ((rorm_value){ .type = RORM_TYPE_INT, .u.i = (int64_t)(x) })
#define RORM_DOUBLE(x)     ((rorm_value){ .type = RORM_TYPE_DOUBLE, .u.d = (double)(x) })
#define RORM_DATETIME(msx) ((rorm_value){ .type = RORM_TYPE_DATETIME, .u.ms = (int64_t)(msx) })
/* @p str must not be NULL and is evaluated twice. */
#define RORM_TEXT(str) \
    ((rorm_value){     \
        .type = RORM_TYPE_TEXT, .flags = RORM_VALUE_BORROWED, .u.s = { (str), strlen(str) } })
#define RORM_DECIMAL(str) \
    ((rorm_value){        \
        .type = RORM_TYPE_DECIMAL, .flags = RORM_VALUE_BORROWED, .u.s = { (str), strlen(str) } })
#define RORM_JSON(str) \
    ((rorm_value){     \
        .type = RORM_TYPE_JSON, .flags = RORM_VALUE_BORROWED, .u.s = { (str), strlen(str) } })
#define RORM_BYTES(p, n)                         \
    ((rorm_value){ .type = RORM_TYPE_BYTES,      \
                   .flags = RORM_VALUE_BORROWED, \
                   .u.bytes = { (const uint8_t *)(p), (n) } })
#define RORM_ARRAY(items)                        \
    ((rorm_value){ .type = RORM_TYPE_ARRAY,      \
                   .flags = RORM_VALUE_BORROWED, \
                   .u.arr = { (items), sizeof(items) / sizeof((items)[0]), 0 } })
#define RORM_OBJECT(members)                     \
    ((rorm_value){ .type = RORM_TYPE_OBJECT,     \
                   .flags = RORM_VALUE_BORROWED, \
                   .u.obj = { (members), sizeof(members) / sizeof((members)[0]), 0 } })

/* The same over a pointer and a count, for arrays whose size is not static. */
#define RORM_ARRAY_N(ptr, n) \
    ((rorm_value){           \
        .type = RORM_TYPE_ARRAY, .flags = RORM_VALUE_BORROWED, .u.arr = { (ptr), (n), 0 } })
#define RORM_OBJECT_N(ptr, n) \
    ((rorm_value){            \
        .type = RORM_TYPE_OBJECT, .flags = RORM_VALUE_BORROWED, .u.obj = { (ptr), (n), 0 } })

/** @return a borrowed TEXT value over the NUL-terminated @p s (NULL gives a null value). */
RORM_API rorm_value rorm_value_text_ref(const char *s);
/** @return a borrowed DECIMAL value over @p s. */
RORM_API rorm_value rorm_value_decimal_ref(const char *s);
/** @return a borrowed JSON value over @p s. */
RORM_API rorm_value rorm_value_json_ref(const char *s);

/** Make @p v a null value without freeing anything. */
RORM_API void rorm_value_init(rorm_value *v);
/** Free what @p v owns and make it null. NULL is accepted. */
RORM_API void rorm_value_dispose(rorm_value *v);

/* Owned constructors: they copy their input. On failure @p out is left null. */
RORM_API int rorm_value_set_text(rorm_value *out, const char *s, size_t len);
RORM_API int rorm_value_set_decimal(rorm_value *out, const char *s, size_t len);
RORM_API int rorm_value_set_json(rorm_value *out, const char *s, size_t len);
RORM_API int rorm_value_set_bytes(rorm_value *out, const void *p, size_t len);
/** Make @p out an empty owned array or object. Cannot fail. */
RORM_API void rorm_value_init_array(rorm_value *out);
RORM_API void rorm_value_init_object(rorm_value *out);

/** Deep-copy @p src into @p out (owned, whatever @p src was). */
RORM_API int rorm_value_copy(rorm_value *out, const rorm_value *src);
/** Take ownership of @p src's payload into @p out; @p src becomes null. */
RORM_API void rorm_value_move(rorm_value *out, rorm_value *src);

/**
 * Append @p item to the owned array @p arr, taking its payload (@p item becomes null).
 * @return RORM_OK, RORM_ENOMEM, or RORM_EINVAL when @p arr is not an owned array.
 */
RORM_API int rorm_value_array_push_take(rorm_value *arr, rorm_value *item);
/** @return element @p i of an array, or NULL when out of range or not an array. */
RORM_API const rorm_value *rorm_value_array_at(const rorm_value *arr, size_t i);
/** @return the number of elements of an array or members of an object, else 0. */
RORM_API size_t rorm_value_len(const rorm_value *v);

/**
 * Set member @p key of the owned object @p obj to @p val, taking its payload. An existing member
 * keeps its position and gets the new value; a new one is appended. The key is copied.
 */
RORM_API int rorm_value_object_set_take(rorm_value *obj, const char *key, rorm_value *val);
/** @return the value of member @p key, or NULL when absent or @p obj is not an object. */
RORM_API const rorm_value *rorm_value_object_get(const rorm_value *obj, const char *key);
/** @return member @p i of an object, or NULL. */
RORM_API const rorm_member *rorm_value_object_at(const rorm_value *obj, size_t i);

/**
 * @return true when both values have the same type and the same content. Objects compare as
 * sets of members (key order does not matter); NaN equals NaN and -0.0 equals 0.0.
 */
RORM_API bool rorm_value_equal(const rorm_value *a, const rorm_value *b);
/** @return the lower-case name of a type, e.g. "text". */
RORM_API const char *rorm_type_name(unsigned type);

/**
 * Convenience accessors: they return the payload, or @p fallback when the type differs (no
 * conversion: rorm_value_as_double of an INT is the fallback).
 */
RORM_API int64_t rorm_value_as_int(const rorm_value *v, int64_t fallback);
RORM_API double rorm_value_as_double(const rorm_value *v, double fallback);
/** @return the text of TEXT, DECIMAL and JSON values, else NULL. Borrowed from @p v. */
RORM_API const char *rorm_value_as_text(const rorm_value *v);

/**
 * Parse an ISO-8601 / RFC 3339 date-time ("2024-03-01", "2024-03-01T10:20:30.123Z",
 * "2024-03-01 10:20:30+02:00") into milliseconds since the epoch, UTC.
 * @return RORM_OK or RORM_EPARSE.
 */
RORM_API int rorm_datetime_parse(int64_t *ms_out, const char *s, size_t len);
/**
 * Format @p ms as "YYYY-MM-DDTHH:MM:SS.sssZ" into @p buf (at least 32 bytes). Years outside
 * 0000-9999 are written with a sign and at least six digits ("+010000-01-01T..."), as ISO 8601
 * extends them. @return the number of characters written.
 */
RORM_API size_t rorm_datetime_format(char *buf, size_t size, int64_t ms);

/**
 * Render @p v as JSON text (datetimes as ISO strings, bytes as base64 strings, decimals as
 * strings, JSON values inline) into a freshly allocated string released with rorm_free().
 * Values nested deeper than 512 levels are RORM_EINVAL.
 */
RORM_API int rorm_value_to_json(char **out, size_t *len_out, const rorm_value *v);
/** Release memory that RediORM handed to the caller as a bare pointer. NULL is accepted. */
RORM_API void rorm_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
