/**
 * @file rediorm/query.h
 * @brief The select builder: columns, conditions, order, limit and offset.
 *
 *     rorm_query *q;
 *     rorm_query_new(&q, db, "User", &err);
 *     rorm_query_where(q, "age", ">", &RORM_INT(25));
 *     rorm_query_order_by(q, "name", RORM_ASC);
 *     rorm_query_limit(q, 10);
 *     rorm_query_execute(&rows, q, &err);
 *     rorm_query_free(q);
 *
 * Builder calls check their arguments against the schema. A failed call returns its error code
 * and also marks the query as failed: the error (with its message) is reported again by
 * rorm_query_execute(), rorm_query_first() and rorm_query_count(), so a chain of calls can be
 * checked once at the end. Every value is bound as a parameter.
 */
#ifndef REDIORM_QUERY_H
#define REDIORM_QUERY_H

#include <stdint.h>

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rorm_query rorm_query;

typedef enum rorm_order {
    RORM_ASC = 0,
    RORM_DESC = 1,
} rorm_order;

/** Start a query on @p model. The caller frees `*out` with rorm_query_free(). */
RORM_API int rorm_query_new(rorm_query **out, rorm_db *db, const char *model, rorm_error *err);
/** Free a query. NULL is accepted. */
RORM_API void rorm_query_free(rorm_query *q);

/** Restrict the result to the comma-separated fields (default: every scalar field). */
RORM_API int rorm_query_select(rorm_query *q, const char *fields);

/**
 * Add a condition. @p op is one of `=`, `!=` (or `<>`), `<`, `<=`, `>`, `>=`, `like`,
 * `not like`, `in`, `not in` (value: an array), `is null`, `is not null` (value: NULL), in
 * any letter case. Conditions in the same group are joined by the group's operator: AND at the
 * top level.
 */
RORM_API int
rorm_query_where(rorm_query *q, const char *field, const char *op, const rorm_value *value);
/** Open a group whose conditions are joined by OR, inside the current group. */
RORM_API int rorm_query_or_begin(rorm_query *q);
/** Open a group whose conditions are joined by AND, inside the current group. */
RORM_API int rorm_query_and_begin(rorm_query *q);
/** Close the innermost open group. */
RORM_API int rorm_query_group_end(rorm_query *q);

/** Add a sort key; several calls sort by each in turn. */
RORM_API int rorm_query_order_by(rorm_query *q, const char *field, rorm_order order);
/** At most @p n rows (n >= 0). */
RORM_API int rorm_query_limit(rorm_query *q, int64_t n);
/** Skip @p n rows (n >= 0). */
RORM_API int rorm_query_offset(rorm_query *q, int64_t n);

/** Run the query. The caller frees `*out` with rorm_rows_free(). */
RORM_API int rorm_query_execute(rorm_rows **out, rorm_query *q, rorm_error *err);
/** The first row as an object. @return RORM_OK, RORM_ENOTFOUND when no row matches, or an error. */
RORM_API int rorm_query_first(rorm_value *record_out, rorm_query *q, rorm_error *err);
/** Count the rows matching the conditions (limit and offset apply). */
RORM_API int rorm_query_count(int64_t *count_out, rorm_query *q, rorm_error *err);

/**
 * Delete every row matching the conditions (Prisma's deleteMany). The query must have no
 * select, order, limit or offset. @p count_out, when not NULL, receives the rows deleted.
 */
RORM_API int rorm_query_delete(int64_t *count_out, rorm_query *q, rorm_error *err);

#ifdef __cplusplus
}
#endif
#endif
