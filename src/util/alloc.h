/*
 * Allocation for the whole library. Every allocation goes through these functions so that
 * rorm_set_allocator() can redirect them and tests can make the N-th allocation fail.
 */
#ifndef RORM_UTIL_ALLOC_H
#define RORM_UTIL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *rorm__malloc(size_t n);
void *rorm__calloc(size_t count, size_t size);
void *rorm__realloc(void *p, size_t n);
void rorm__free(void *p);
char *rorm__strdup(const char *s);
char *rorm__strndup(const char *s, size_t n);

/* Overflow-checked size arithmetic: return true and set *out when the result fits. */
static inline bool rorm__mul_ok(size_t *out, size_t a, size_t b)
{
    if (b != 0 && a > SIZE_MAX / b) {
        return false;
    }
    *out = a * b;
    return true;
}

static inline bool rorm__add_ok(size_t *out, size_t a, size_t b)
{
    if (a > SIZE_MAX - b) {
        return false;
    }
    *out = a + b;
    return true;
}

/*
 * Test hook: make the allocation numbered @p n (1-based, counted from this call) and every
 * later one fail; 0 turns failure injection off. Returns the number of allocations counted
 * since the previous call.
 */
size_t rorm__alloc_fail_after(size_t n);

#endif
