/*
 * Internal helpers for filling a rorm_error. Every function returns the code it was given so a
 * failure can be reported and returned in one statement: return rorm__error(err, RORM_EINVAL, ...).
 */
#ifndef RORM_UTIL_ERROR_H
#define RORM_UTIL_ERROR_H

#include "rediorm/error.h"

int rorm__error(rorm_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int rorm__error_oom(rorm_error *err);

/* Set RORM_EINVAL naming the failed expression and return it, in every build. */
#define RORM_CHECK_ARG(expr, err)                                                  \
    do {                                                                           \
        if (!(expr)) {                                                             \
            return rorm__error((err), RORM_EINVAL, "invalid argument: %s", #expr); \
        }                                                                          \
    } while (0)

#endif
