/*
 * rorm_str: a growable, always NUL-terminated string. After a failed allocation the string is in
 * a sticky out-of-memory state: later appends do nothing and return RORM_ENOMEM, so a long SQL
 * text can be built with unchecked appends and checked once with rorm__str_oom().
 */
#ifndef RORM_UTIL_STR_H
#define RORM_UTIL_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rorm_str {
    char *ptr; /* never NULL after init: points at a static "" until the first append */
    size_t len;
    size_t cap; /* 0 while ptr is the static empty string; SIZE_MAX marks the OOM state */
} rorm_str;

#define RORM_STR_INIT    \
    {                    \
        (char *)"", 0, 0 \
    }

void rorm__str_init(rorm_str *s);
void rorm__str_dispose(rorm_str *s);
/* Keep the allocation, drop the contents (and clear an OOM state). */
void rorm__str_clear(rorm_str *s);
int rorm__str_grow(rorm_str *s, size_t extra);
int rorm__str_put(rorm_str *s, const char *p, size_t n);
int rorm__str_puts(rorm_str *s, const char *p);
int rorm__str_putc(rorm_str *s, char c);
int rorm__str_printf(rorm_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int rorm__str_vprintf(rorm_str *s, const char *fmt, va_list ap);
int rorm__str_put_int(rorm_str *s, int64_t v);
/* Shorten to @p len bytes (no-op when already shorter). */
void rorm__str_truncate(rorm_str *s, size_t len);
bool rorm__str_oom(const rorm_str *s);
/* Hand the buffer to the caller (to be freed with rorm__free) and reset @p s; NULL on OOM. */
char *rorm__str_detach(rorm_str *s);

/* A string view into someone else's memory. */
typedef struct rorm_strview {
    const char *ptr;
    size_t len;
} rorm_strview;

bool rorm__strview_eq(rorm_strview a, const char *b);

/* True for a decimal literal: [+-]digits[.digits][(e|E)[+-]digits] with at least one digit. */
bool rorm__decimal_literal(const char *s, size_t len);

/* Levenshtein distance, capped at @p max + 1 (for "did you mean" suggestions). */
size_t rorm__edit_distance(const char *a, const char *b, size_t max);

#endif
