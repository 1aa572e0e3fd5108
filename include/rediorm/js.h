/**
 * @file rediorm/js.h
 * @brief Embedding the JavaScript API (librediorm-js, on JavaScriptCore).
 *
 *     rorm_js_engine *js;
 *     rorm_value result;
 *     rorm_js_engine_new(&js, db, &err);
 *     rorm_js_engine_load_schema(js, text, strlen(text), "schema.prisma", NULL, &err);
 *     rorm_js_engine_sync(js, &err);
 *     rorm_js_eval(js, "models.User.count()", "count.js", &result, &err);
 *     rorm_value_dispose(&result);
 *     rorm_js_engine_free(js);
 *
 * An engine is one JavaScript global context over one database handle. Scripts see the globals
 * `db` (the database object, when the engine has a database), `models` (one object per model),
 * `require('redi/orm')`, `console`, `process`, `setTimeout`/`clearTimeout`; see
 * docs/javascript.md for the whole script API. Every Prisma Client method a script calls goes
 * through rorm_db_call() (rediorm/client.h), the one query path the C API also uses.
 *
 * This header is not part of the umbrella header rediorm/rediorm.h and its functions live in the
 * static library librediorm-js (link it with javascriptcoregtk-4.1). It is the only public header
 * that names a JavaScriptCore type, and only as an incomplete struct: rorm_js_engine_context()
 * returns the `JSGlobalContextRef` for embedders who add their own native functions.
 *
 * Threads: an engine, and every value it hands out, belongs to the thread that created it.
 */
#ifndef REDIORM_JS_H
#define REDIORM_JS_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"
#include "db.h"
#include "error.h"
#include "prisma.h"
#include "schema.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* librediorm-js is a static library of its own: its functions are not exports of librediorm. */
#define RORM_JS_API

/** JavaScriptCore's context struct; `struct OpaqueJSContext *` is a `JSGlobalContextRef`. */
struct OpaqueJSContext;

typedef struct rorm_js_engine rorm_js_engine;

/**
 * Create an engine: a JavaScript context with the RediORM runtime installed.
 * @param out receives the engine; the caller frees it with rorm_js_engine_free().
 * @param db the database scripts use as the global `db`; borrowed, it must outlive the engine.
 *        NULL is allowed: scripts then open databases with `require('redi/orm').fromUri()`.
 * @return RORM_OK, RORM_ENOMEM, or RORM_EINVAL when the JavaScript runtime fails to start.
 */
RORM_JS_API int rorm_js_engine_new(rorm_js_engine **out, rorm_db *db, rorm_error *err);

/**
 * Free the engine: the context, every database a script opened with `fromUri()` (closed), and
 * every transaction a script left open (rolled back). NULL is accepted.
 */
RORM_JS_API void rorm_js_engine_free(rorm_js_engine *engine);

/**
 * Expose the models of @p schema to scripts (`models.User`, `db.user`). The schema is registered
 * with the engine's database unless it already is (rorm_db_register()); the engine keeps a
 * reference. @return RORM_OK, RORM_EINVAL without a database, or errors of rorm_db_register().
 */
RORM_JS_API int
rorm_js_engine_add_schema(rorm_js_engine *engine, rorm_schema *schema, rorm_error *err);

/**
 * Load a Prisma schema from text (rorm_prisma_load_string()) and add it as
 * rorm_js_engine_add_schema() does. @p diags, when not NULL, receives every diagnostic.
 */
RORM_JS_API int rorm_js_engine_load_schema(rorm_js_engine *engine,
                                           const char *text,
                                           size_t len,
                                           const char *filename,
                                           rorm_diagnostics *diags,
                                           rorm_error *err);

/** Load a Prisma schema file or directory (rorm_prisma_load_path()) and add it. */
RORM_JS_API int rorm_js_engine_load_schema_path(rorm_js_engine *engine,
                                                const char *path,
                                                rorm_diagnostics *diags,
                                                rorm_error *err);

/** Create the missing tables of every added schema (rorm_db_ensure_schema()). */
RORM_JS_API int rorm_js_engine_sync(rorm_js_engine *engine, rorm_error *err);

/**
 * Set `process.argv` to @p argv (@p argc strings, copied). By default it is `["redi-orm"]`.
 */
RORM_JS_API int
rorm_js_engine_set_argv(rorm_js_engine *engine, int argc, const char *const *argv, rorm_error *err);

/**
 * Evaluate @p source as a script in the global scope and return its completion value. When the
 * value is a promise (or any thenable), it is awaited: microtasks run, and so do timers
 * (`setTimeout`) until the promise settles or no timer is left.
 *
 * Values come back as rorm_value: numbers as INT when integral (and within 2^53) else DOUBLE,
 * bigint as INT, strings as TEXT, Date as DATETIME, Uint8Array as BYTES, arrays and plain
 * objects as ARRAY and OBJECT (keys in order, undefined members left out), undefined and null
 * as null.
 *
 * @param source NUL-terminated UTF-8.
 * @param filename the name stack traces and error messages use (NULL: "<eval>").
 * @param result_out, when not NULL, receives the value (owned by the caller; null on failure).
 * @return RORM_OK; for a thrown error or a rejected promise, the RediORM code the error carries
 *         (a query error keeps its RORM_ECONSTRAINT, RORM_ENOTFOUND ...), else RORM_EINVAL, with
 *         "file:line: message" in @p err and the stack in rorm_js_engine_last_stack().
 *         RORM_EINVAL also for a value that has no rorm_value form (a function, a symbol).
 */
RORM_JS_API int rorm_js_eval(rorm_js_engine *engine,
                             const char *source,
                             const char *filename,
                             rorm_value *result_out,
                             rorm_error *err);

/**
 * Run the file @p path as the main module of a program, as `redi-orm run` does: CommonJS
 * (`require`, `module`, `exports`, `__filename`, `__dirname`), top-level `await`, then every
 * pending timer. Errors are reported as rorm_js_eval() reports them (the caller prints them).
 * @param status_out, when not NULL, receives the exit status: the argument of `process.exit()`
 *        when the script called it, else 0 (also 0 when an error is returned).
 * @return RORM_OK, RORM_ENOTFOUND when the file cannot be read, or the error of the script.
 */
RORM_JS_API int
rorm_js_run_file(rorm_js_engine *engine, const char *path, int *status_out, rorm_error *err);

/**
 * @return true when a script called `process.exit()`; its status goes to @p status_out (when
 *         not NULL). After that every further evaluation returns at once.
 */
RORM_JS_API bool rorm_js_engine_exited(const rorm_js_engine *engine, int *status_out);

/**
 * @return the stack trace of the last error thrown out of rorm_js_eval() or rorm_js_run_file()
 *         ("" when there was none). Borrowed until the next evaluation.
 */
RORM_JS_API const char *rorm_js_engine_last_stack(const rorm_js_engine *engine);

/**
 * @return the engine's JavaScriptCore context (a `JSGlobalContextRef`), for embedders who add
 *         their own globals with the JavaScriptCore C API. Borrowed; valid until the engine is
 *         freed. Do not release it.
 */
RORM_JS_API struct OpaqueJSContext *rorm_js_engine_context(rorm_js_engine *engine);

#ifdef __cplusplus
}
#endif
#endif
