/**
 * @file rediorm/prisma.h
 * @brief Loading Prisma schema files (`schema.prisma`) into the schema model.
 *
 * A Prisma schema is parsed, checked with Prisma's validation rules and mapped to the same
 * rorm_schema that the native C API builds (see rediorm/schema.h), with Prisma's naming: tables
 * and columns as written unless `@@map`/`@map` rename them, constraint names such as `User_pkey`,
 * `User_email_key`, `Post_authorId_fkey`, and implicit many-to-many join tables `_AToB`.
 *
 * Problems are not reported one at a time: every error and warning found in the text goes into a
 * rorm_diagnostics list, each with its file, line and column, so a caller can print all of them
 * at once with rorm_diagnostics_render(). The rorm_error of a failed load only summarises
 * ("schema.prisma:12:3: 3 errors, first: ...").
 *
 * Supported providers: `sqlite`, `postgresql` (or `postgres`), `mysql`, and `cockroachdb` (treated
 * as PostgreSQL). `mongodb` and `sqlserver` schemas parse, but loading them fails with one error
 * naming the provider. See docs/prisma-schema.md for the status of every construct.
 */
#ifndef REDIORM_PRISMA_H
#define REDIORM_PRISMA_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"
#include "error.h"
#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Severity of a diagnostic. Values are never renumbered. */
typedef enum rorm_diag_severity {
    RORM_DIAG_ERROR = 1,   /**< the schema is rejected */
    RORM_DIAG_WARNING = 2, /**< the schema loads; something deserves attention */
} rorm_diag_severity;

/** One diagnostic. All strings are borrowed from the rorm_diagnostics list. */
typedef struct rorm_diag {
    unsigned severity;   /**< rorm_diag_severity */
    const char *message; /**< one line, says what is wrong and how to fix it */
    const char *file;    /**< the file name as given to the loader ("schema.prisma") */
    int line;            /**< 1-based */
    int column;          /**< 1-based, in characters */
    int length;          /**< characters to underline from column (at least 1) */
} rorm_diag;

/** A list of diagnostics, with the source text needed to render caret lines. */
typedef struct rorm_diagnostics rorm_diagnostics;

/** Create an empty list. The caller frees `*out` with rorm_diagnostics_free(). */
RORM_API int rorm_diagnostics_new(rorm_diagnostics **out, rorm_error *err);
/** Free the list and every string it holds. NULL is accepted. */
RORM_API void rorm_diagnostics_free(rorm_diagnostics *diags);
/** Remove every diagnostic (the list can be reused for another load). */
RORM_API void rorm_diagnostics_clear(rorm_diagnostics *diags);
/** @return the number of diagnostics (errors and warnings). */
RORM_API size_t rorm_diagnostics_count(const rorm_diagnostics *diags);
/** @return the number of diagnostics of severity RORM_DIAG_ERROR. */
RORM_API size_t rorm_diagnostics_error_count(const rorm_diagnostics *diags);
/** @return the @p i-th diagnostic in source order (borrowed), or NULL when out of range. */
RORM_API const rorm_diag *rorm_diagnostics_at(const rorm_diagnostics *diags, size_t i);

/**
 * Render every diagnostic, in source order, as
 *
 *     schema.prisma:12:3: error: Type "Strin" is neither a built-in type, nor refers to ...
 *        12 |   name Strin
 *           |        ^~~~~
 *
 * @param diags the list.
 * @param write called with each piece of text; a non-zero return stops rendering.
 * @param payload passed to @p write.
 * @return 0, what @p write returned when it stopped, or RORM_ENOMEM.
 */
RORM_API int rorm_diagnostics_render(const rorm_diagnostics *diags,
                                     int (*write)(const char *text, size_t len, void *payload),
                                     void *payload);
/** rorm_diagnostics_render() into a stdio stream. @return 0 or -1 on a write error. */
RORM_API int rorm_diagnostics_print(const rorm_diagnostics *diags, FILE *fp);

/**
 * Load a Prisma schema from text.
 * @param out receives the schema on success (the caller releases it with
 *            rorm_schema_release()); left NULL on failure.
 * @param text the schema text, @p len bytes, need not be NUL-terminated.
 * @param filename the name diagnostics use ("schema.prisma" when NULL).
 * @param diags receives every error and warning; may be NULL when the caller only wants `err`.
 * @param err summary of the failure (line and column of the first error).
 * @return RORM_OK (warnings may have been reported), RORM_ESCHEMA when the schema has errors,
 *         RORM_EUNSUPPORTED when the provider is not supported (mongodb, sqlserver),
 *         RORM_ENOMEM, or RORM_EINVAL for NULL arguments.
 */
RORM_API int rorm_prisma_load_string(rorm_schema **out,
                                     const char *text,
                                     size_t len,
                                     const char *filename,
                                     rorm_diagnostics *diags,
                                     rorm_error *err);

/**
 * Load a Prisma schema from a file, or from a directory: then every `*.prisma` file directly in
 * it (in byte-wise name order) forms one schema, as Prisma's multi-file schemas do.
 * Parameters and returns as rorm_prisma_load_string(); RORM_ENOTFOUND when @p path cannot be
 * read or a directory holds no `.prisma` file.
 */
RORM_API int rorm_prisma_load_path(rorm_schema **out,
                                   const char *path,
                                   rorm_diagnostics *diags,
                                   rorm_error *err);

/**
 * Load several schema texts as one schema (a multi-file schema held in memory).
 * @param texts, lens, filenames arrays of @p nfiles entries; @p filenames may be NULL.
 * Otherwise as rorm_prisma_load_string().
 */
RORM_API int rorm_prisma_load_strings(rorm_schema **out,
                                      const char *const *texts,
                                      const size_t *lens,
                                      const char *const *filenames,
                                      size_t nfiles,
                                      rorm_diagnostics *diags,
                                      rorm_error *err);

#ifdef __cplusplus
}
#endif
#endif
