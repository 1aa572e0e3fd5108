/**
 * @file rediorm/common.h
 * @brief Export macros, version numbers, library initialisation and the allocator hook.
 */
#ifndef REDIORM_COMMON_H
#define REDIORM_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(RORM_BUILDING_LIBRARY) && defined(__GNUC__)
#define RORM_API __attribute__((visibility("default")))
#else
#define RORM_API
#endif

#define RORM_VERSION_MAJOR  0
#define RORM_VERSION_MINOR  1
#define RORM_VERSION_PATCH  0
#define RORM_VERSION_STRING "0.1.0"
/** The version packed as major*1000000 + minor*1000 + patch. */
#define RORM_VERSION_NUMBER \
    (RORM_VERSION_MAJOR * 1000000 + RORM_VERSION_MINOR * 1000 + RORM_VERSION_PATCH)

/**
 * The deepest nesting a query may have: levels of objects and arrays in the arguments of
 * rorm_db_call() and rorm_db_stream() (where AND/OR/NOT, relation filters, select/include,
 * nested writes, Json values alike), and groups of the select builder (rorm_query_or_begin).
 * Deeper is RORM_EINVAL naming where, checked before anything recurses.
 */
#define RORM_QUERY_MAX_DEPTH 64

/** @return the version string of the library that is linked, e.g. "0.1.0". */
RORM_API const char *rorm_version(void);

/**
 * Initialise process-wide state (database client libraries). Safe to call more than once and
 * from several threads; rorm_db_open() calls it, so calling it yourself is optional.
 */
RORM_API void rorm_global_init(void);

/**
 * Replace the allocator used by every RediORM allocation. Call it before any other RediORM
 * call, or with all RediORM objects freed. Passing NULLs restores malloc/realloc/free.
 * realloc_fn must behave like realloc(): (NULL, n) allocates and (p, 0) is never called.
 */
RORM_API void rorm_set_allocator(void *(*malloc_fn)(size_t),
                                 void *(*realloc_fn)(void *, size_t),
                                 void (*free_fn)(void *));

#ifdef __cplusplus
}
#endif
#endif
