/**
 * @file rediorm/client.h
 * @brief The Prisma Client query surface: one call per Prisma method, arguments as a value tree.
 *
 *     rorm_member where[] = { { "email", RORM_TEXT("ann@example.com") } };
 *     rorm_member args[] = { { "where", RORM_OBJECT(where) } };
 *     rorm_value user;
 *     rorm_db_call(&user, db, "User", "findUnique", &RORM_OBJECT(args), &err);
 *
 * The same call serves the C API, the JavaScript binding and the chainable builder: arguments
 * are validated against the schema into a query description, compiled by the database's
 * dialect into SQL text with every value bound as a parameter, run, and the rows turned into
 * result values. See docs/prisma-client.md for every operation and option.
 */
#ifndef REDIORM_CLIENT_H
#define REDIORM_CLIENT_H

#include "common.h"
#include "db.h"
#include "error.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Prisma's null values for Json fields, as argument values (see docs/prisma-client.md, "Json
 * fields: JsonNull, DbNull, AnyNull"):
 *
 * - RORM_PRISMA_JSON_NULL (Prisma.JsonNull) is the JSON value null: written as JSON `null`,
 *   matching rows that hold it in `equals` / `not` (and the shorthand `field: value`).
 * - RORM_PRISMA_DB_NULL (Prisma.DbNull) is database NULL: only for optional Json fields (a
 *   required one refuses it with RORM_EINVAL); in filters `IS NULL`.
 * - RORM_PRISMA_ANY_NULL (Prisma.AnyNull) matches either in `equals` / `not`; anywhere else it
 *   is RORM_EINVAL.
 *
 * The first two are plain values (JSON text "null", and null); the last is a marker, JSON text
 * that is not JSON. The JSON text "JsonNull" and "DbNull" are markers too, and rorm_db_call_json()
 * spells the three as Prisma's JSON protocol does: `{"$type": "Enum", "value": "AnyNull"}`
 * (so a Json value of exactly that shape cannot be written through an argument tree: give it
 * as RORM_TYPE_JSON text). Records read back hold JSON null as the JSON text "null" and
 * database NULL as a null value.
 *
 *     rorm_member eq[] = { { "equals", RORM_PRISMA_ANY_NULL } };
 *     rorm_member where[] = { { "meta", RORM_OBJECT(eq) } };
 */
#define RORM_PRISMA_JSON_NULL RORM_JSON("null")
#define RORM_PRISMA_DB_NULL   RORM_NULL_VALUE
#define RORM_PRISMA_ANY_NULL  RORM_JSON("AnyNull")

/**
 * Run one Prisma Client operation.
 *
 * @param result_out receives the result, owned by the caller (dispose it with
 *        rorm_value_dispose()): an object or null for findUnique/findFirst, an array of objects
 *        for findMany, createManyAndReturn, updateManyAndReturn and groupBy, the record for
 *        create, update, upsert and delete, `{count: n}` for createMany, updateMany and
 *        deleteMany, an int (or an object with `select`) for count, and
 *        `{_count: ..., _avg: ...}` for aggregate. It is null on failure.
 * @param db a database handle or a transaction handle.
 * @param model the model name, e.g. "User".
 * @param operation the Prisma method name: create, createMany, createManyAndReturn, findUnique,
 *        findUniqueOrThrow, findFirst, findFirstOrThrow, findMany, update, updateMany,
 *        updateManyAndReturn, upsert, delete, deleteMany, count, aggregate, groupBy.
 * @param args the argument object (`{where: ..., data: ...}`), keys in order; NULL or null is
 *        an empty object. Borrowed.
 * @param err filled on failure; may be NULL.
 * @return RORM_OK; RORM_EINVAL for an unknown model, operation, field, operator or argument
 *         (the message names it and suggests the nearest name) or a value of the wrong type;
 *         RORM_ENOTFOUND for the *OrThrow operations, update and delete when no record
 *         matches (Prisma's P2025); RORM_ECONSTRAINT with rorm_error.constraint set and the
 *         fields named in the message (P2002, P2003, P2011; P2014 with
 *         RORM_CONSTRAINT_RELATION when relationMode = "prisma" refuses a change);
 *         RORM_EUNSUPPORTED for what docs/prisma-client.md lists as not supported yet (e.g.
 *         scalar-list filters); others from the database.
 */
RORM_API int rorm_db_call(rorm_value *result_out,
                          rorm_db *db,
                          const char *model,
                          const char *operation,
                          const rorm_value *args,
                          rorm_error *err);

/**
 * Load relations into records read some other way (the chainable builder, rorm_query_*): the
 * `include` of a findMany of @p model (`{posts: true, author: {select: ...}, _count: ...}`),
 * loaded as rorm_db_call() loads it, one batched statement per relation and level.
 *
 * @param records an object or an array of objects of @p model, changed in place: each gets a
 *        member per included relation. Each record must carry the fields the relation joins on
 *        (the key, or the foreign key of a relation the record holds).
 * @param include the include object; borrowed.
 * @return RORM_OK, or as rorm_db_call() for a bad include.
 */
RORM_API int rorm_db_load_relations(rorm_value *records,
                                    rorm_db *db,
                                    const char *model,
                                    const rorm_value *include,
                                    rorm_error *err);

/**
 * rorm_db_call() with the arguments and the result as JSON text. Dates in the result are ISO
 * strings, BigInt values numbers, Decimal values strings, Bytes base64 strings.
 *
 * @param result_json_out receives the result as NUL-terminated JSON, freed with rorm_free();
 *        NULL on failure.
 * @param args_json the argument object as JSON; NULL or "" is `{}`.
 * @return as rorm_db_call(), plus RORM_EPARSE for arguments that are not valid JSON.
 */
RORM_API int rorm_db_call_json(char **result_json_out,
                               rorm_db *db,
                               const char *model,
                               const char *operation,
                               const char *args_json,
                               rorm_error *err);

/**
 * The Prisma error code for an error from rorm_db_call(): "P2002" (unique constraint; the
 * message names the fields as "(`a`,`b`)"), "P2003" (foreign key), "P2011" (null constraint),
 * "P2025" (record not found: *OrThrow, update, delete), or NULL when Prisma has no code for it
 * (validation errors are Prisma's PrismaClientValidationError, which has none).
 * @return a static string or NULL; NULL for a NULL @p err.
 */
RORM_API const char *rorm_error_prisma_code(const rorm_error *err);

/* ---- Streams ---------------------------------------------------------------------------- */

/** A stream over the records of a findMany (rorm_db_stream()). */
typedef struct rorm_cursor rorm_cursor;

/**
 * Open a stream over the records a findMany with @p args would return, read one at a time with
 * rorm_cursor_next() so that memory stays bounded however many rows match: SQLite steps through
 * the rows, PostgreSQL reads them in single-row mode, MySQL fetches them unbuffered.
 *
 * @p args are findMany's (where, orderBy, select, omit, take, skip, cursor), validated and
 * compiled as rorm_db_call() does; they are copied, so the caller may free them at once.
 * Relations (`include`, a relation or `_count` in `select`), `distinct` and a negative `take`
 * need every row at once and are RORM_EUNSUPPORTED: stream the records and load related ones
 * with findMany in batches.
 *
 * The cursor holds one connection of @p db's pool until it has read the last row, failed, or
 * been closed: on a pool of one connection (an in-memory SQLite database) other calls wait for
 * it. Opened on a transaction handle, it holds the transaction's connection: until it is
 * closed, other calls on that transaction (and its commit or rollback) fail with RORM_ESTATE.
 * Closing before the end reads and drops the rows the server still sends (PostgreSQL, MySQL).
 * MySQL aborts a result the client leaves unread for `net_write_timeout` (60 s by default).
 *
 * @param out receives the cursor; the caller closes it with rorm_cursor_close().
 * @return RORM_OK; RORM_EINVAL (bad arguments, as rorm_db_call()), RORM_EUNSUPPORTED (above),
 *         RORM_ESTATE (a stream already holds the transaction's connection), or a database
 *         error.
 */
RORM_API int rorm_db_stream(
    rorm_cursor **out, rorm_db *db, const char *model, const rorm_value *args, rorm_error *err);

/** rorm_db_stream() with the arguments as JSON text; RORM_EPARSE when it is not valid JSON. */
RORM_API int rorm_db_stream_json(
    rorm_cursor **out, rorm_db *db, const char *model, const char *args_json, rorm_error *err);

/**
 * Read the next record.
 * @param row_out receives the record (an object shaped as findMany's), owned by the caller;
 *        null when there is none.
 * @return 1 with a record, 0 at the end, or a negative code when reading failed (the
 *         connection is lost, a value cannot be converted). After 0 or an error the cursor has
 *         given its connection back; further calls return the same 0 or error.
 */
RORM_API int rorm_cursor_next(rorm_value *row_out, rorm_cursor *cursor, rorm_error *err);

/** Close the stream and give its connection back. NULL is accepted. */
RORM_API void rorm_cursor_close(rorm_cursor *cursor);

/*
 * Relations (see docs/prisma-client.md, "Relations"): rorm_db_call() takes `include`, relation
 * fields and `_count` in `select`, relation filters (`some`, `every`, `none`, `is`, `isNot`) in
 * every where, `orderBy` of a related field or of a relation's `_count`, and nested writes in
 * the data of create, update and upsert, for every relation kind. Related records load with a
 * fixed number of statements per relation level, never one per parent record; nested writes run
 * in one transaction (a savepoint inside the caller's). RORM_EUNSUPPORTED remains for what the
 * docs list as not supported yet.
 */

#ifdef __cplusplus
}
#endif
#endif
