/*
 * Memory allocation functions used throughout RediORM, redirectable with rorm_set_allocator()
 * and able to fail on purpose for the out-of-memory tests.
 */
#include "util/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "rediorm/common.h"
#include "rediorm/value.h"

static void *(*malloc_fn)(size_t) = malloc;
static void *(*realloc_fn)(void *, size_t) = realloc;
static void (*free_fn)(void *) = free;

/* Failure injection: when fail_at is non-zero, allocation number fail_at and later ones fail. */
static atomic_size_t alloc_count;
static atomic_size_t fail_at;

void rorm_set_allocator(void *(*m)(size_t), void *(*r)(void *, size_t), void (*f)(void *))
{
    if (m == NULL || r == NULL || f == NULL) {
        m = malloc;
        r = realloc;
        f = free;
    }
    malloc_fn = m;
    realloc_fn = r;
    free_fn = f;
}

size_t rorm__alloc_fail_after(size_t n)
{
    size_t counted = atomic_exchange(&alloc_count, 0);
    atomic_store(&fail_at, n);
    return counted;
}

static bool should_fail(void)
{
    size_t n = atomic_fetch_add(&alloc_count, 1) + 1;
    size_t at = atomic_load(&fail_at);
    return at != 0 && n >= at;
}

void *rorm__malloc(size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc_fn(n ? n : 1);
}

void *rorm__calloc(size_t count, size_t size)
{
    size_t total;
    if (!rorm__mul_ok(&total, count, size)) {
        return NULL;
    }
    void *p = rorm__malloc(total);
    if (p) {
        memset(p, 0, total);
    }
    return p;
}

void *rorm__realloc(void *p, size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc_fn(p, n ? n : 1);
}

void rorm__free(void *p)
{
    if (p) {
        free_fn(p);
    }
}

void rorm_free(void *p)
{
    rorm__free(p);
}

char *rorm__strndup(const char *s, size_t n)
{
    size_t size;
    if (!rorm__add_ok(&size, n, 1)) {
        return NULL;
    }
    char *p = rorm__malloc(size);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *rorm__strdup(const char *s)
{
    return s ? rorm__strndup(s, strlen(s)) : NULL;
}
