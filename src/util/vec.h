/*
 * Typed growable arrays: rorm_vec(T) is { T *ptr; size_t len, cap; }. One checked grow function
 * does the allocation; the macros compute element sizes.
 */
#ifndef RORM_UTIL_VEC_H
#define RORM_UTIL_VEC_H

#include <stddef.h>

#define rorm_vec(T)      \
    struct {             \
        T *ptr;          \
        size_t len, cap; \
    }

/* Make room for @p extra more elements of @p elem_size bytes. Returns 0 or RORM_ENOMEM. */
int rorm__vec_grow(void **ptr, size_t *cap, size_t len, size_t extra, size_t elem_size);

#define rorm_vec_reserve(v, extra) \
    rorm__vec_grow((void **)&(v)->ptr, &(v)->cap, (v)->len, (extra), sizeof(*(v)->ptr))

/* Append one element; evaluates to 0 or RORM_ENOMEM. */
#define rorm_vec_push(v, x) (rorm_vec_reserve((v), 1) == 0 ? ((v)->ptr[(v)->len++] = (x), 0) : -2)

#define rorm_vec_free(v)         \
    do {                         \
        rorm__free((v)->ptr);    \
        (v)->ptr = NULL;         \
        (v)->len = (v)->cap = 0; \
    } while (0)

#define rorm_vec_foreach(v, it) for ((it) = (v)->ptr; (it) < (v)->ptr + (v)->len; (it)++)

#endif
