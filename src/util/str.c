/*
 * The growable string (rorm_str) with its sticky out-of-memory state, and small string helpers.
 */
#include "util/str.h"

#include <stdio.h>
#include <string.h>

#include "rediorm/error.h"
#include "util/alloc.h"

static char empty[1];

#define STR_OOM SIZE_MAX

void rorm__str_init(rorm_str *s)
{
    s->ptr = empty;
    s->len = 0;
    s->cap = 0;
}

void rorm__str_dispose(rorm_str *s)
{
    if (s->cap != 0 && s->cap != STR_OOM) {
        rorm__free(s->ptr);
    }
    rorm__str_init(s);
}

void rorm__str_clear(rorm_str *s)
{
    if (s->cap == STR_OOM) {
        rorm__str_init(s);
        return;
    }
    s->len = 0;
    if (s->cap != 0) {
        s->ptr[0] = '\0'; /* with cap 0, ptr is a shared read-only "" */
    }
}

bool rorm__str_oom(const rorm_str *s)
{
    return s->cap == STR_OOM;
}

static int set_oom(rorm_str *s)
{
    if (s->cap != 0 && s->cap != STR_OOM) {
        rorm__free(s->ptr);
    }
    s->ptr = empty;
    s->len = 0;
    s->cap = STR_OOM;
    return RORM_ENOMEM;
}

int rorm__str_grow(rorm_str *s, size_t extra)
{
    if (s->cap == STR_OOM) {
        return RORM_ENOMEM;
    }
    size_t need;
    if (!rorm__add_ok(&need, s->len, extra) || !rorm__add_ok(&need, need, 1)) {
        return set_oom(s);
    }
    if (need <= s->cap) {
        return RORM_OK;
    }
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = rorm__realloc(s->cap ? s->ptr : NULL, cap);
    if (p == NULL) {
        return set_oom(s);
    }
    if (s->cap == 0) {
        p[0] = '\0';
    }
    s->ptr = p;
    s->cap = cap;
    return RORM_OK;
}

int rorm__str_put(rorm_str *s, const char *p, size_t n)
{
    if (rorm__str_grow(s, n) != RORM_OK) {
        return RORM_ENOMEM;
    }
    if (n) {
        memcpy(s->ptr + s->len, p, n);
    }
    s->len += n;
    s->ptr[s->len] = '\0';
    return RORM_OK;
}

int rorm__str_puts(rorm_str *s, const char *p)
{
    return rorm__str_put(s, p, strlen(p));
}

int rorm__str_putc(rorm_str *s, char c)
{
    return rorm__str_put(s, &c, 1);
}

int rorm__str_vprintf(rorm_str *s, const char *fmt, va_list ap)
{
    va_list copy;
    if (s->cap == STR_OOM) {
        return RORM_ENOMEM;
    }
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        return set_oom(s);
    }
    if (rorm__str_grow(s, (size_t)n) != RORM_OK) {
        return RORM_ENOMEM;
    }
    vsnprintf(s->ptr + s->len, (size_t)n + 1, fmt, ap);
    s->len += (size_t)n;
    return RORM_OK;
}

int rorm__str_printf(rorm_str *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = rorm__str_vprintf(s, fmt, ap);
    va_end(ap);
    return rc;
}

int rorm__str_put_int(rorm_str *s, int64_t v)
{
    char buf[24];
    char *end = buf + sizeof buf;
    char *p = end;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        *--p = '-';
    }
    return rorm__str_put(s, p, (size_t)(end - p));
}

void rorm__str_truncate(rorm_str *s, size_t len)
{
    if (s->cap != STR_OOM && len < s->len) {
        s->len = len;
        s->ptr[len] = '\0';
    }
}

char *rorm__str_detach(rorm_str *s)
{
    char *p;
    if (s->cap == STR_OOM) {
        rorm__str_init(s);
        return NULL;
    }
    if (s->cap == 0) {
        p = rorm__strndup("", 0);
    } else {
        p = s->ptr;
    }
    rorm__str_init(s);
    return p;
}

bool rorm__strview_eq(rorm_strview a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && memcmp(a.ptr, b, n) == 0;
}

size_t rorm__edit_distance(const char *a, const char *b, size_t max)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[64];
    if (lb >= sizeof row / sizeof row[0] || la >= 64) {
        return max + 1;
    }
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        size_t best = row[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            char ca = a[i - 1], cb = b[j - 1];
            if (ca >= 'A' && ca <= 'Z') {
                ca = (char)(ca - 'A' + 'a');
            }
            if (cb >= 'A' && cb <= 'Z') {
                cb = (char)(cb - 'A' + 'a');
            }
            size_t cost = ca == cb ? 0 : 1;
            size_t v = prev + cost;
            if (row[j] + 1 < v) {
                v = row[j] + 1;
            }
            if (row[j - 1] + 1 < v) {
                v = row[j - 1] + 1;
            }
            row[j] = v;
            prev = cur;
            if (v < best) {
                best = v;
            }
        }
        if (best > max) {
            return max + 1;
        }
    }
    return row[lb] > max ? max + 1 : row[lb];
}

bool rorm__decimal_literal(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        digits++;
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            digits++;
        }
    }
    if (digits == 0) {
        return false;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp = 0;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            exp++;
        }
        if (exp == 0) {
            return false;
        }
    }
    return i == len;
}
