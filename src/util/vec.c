/*
 * The one grow function behind rorm_vec(T).
 */
#include "util/vec.h"

#include "rediorm/error.h"
#include "util/alloc.h"

int rorm__vec_grow(void **ptr, size_t *cap, size_t len, size_t extra, size_t elem_size)
{
    size_t need;
    if (!rorm__add_ok(&need, len, extra)) {
        return RORM_ENOMEM;
    }
    if (need <= *cap) {
        return RORM_OK;
    }
    size_t ncap = *cap ? *cap : 4;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            return RORM_ENOMEM;
        }
        ncap *= 2;
    }
    size_t bytes;
    if (!rorm__mul_ok(&bytes, ncap, elem_size)) {
        return RORM_ENOMEM;
    }
    void *p = rorm__realloc(*ptr, bytes);
    if (p == NULL) {
        return RORM_ENOMEM;
    }
    *ptr = p;
    *cap = ncap;
    return RORM_OK;
}
