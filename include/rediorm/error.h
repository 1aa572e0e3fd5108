/**
 * @file rediorm/error.h
 * @brief Error codes and the caller-owned error report.
 *
 * Every fallible RediORM function returns an int: RORM_OK (0) on success or one of the negative
 * codes below. When the caller passes a non-NULL rorm_error, it is filled with the code and a
 * one-line message that names what was wrong. The struct is fixed-size so that reporting an
 * out-of-memory condition never allocates.
 */
#ifndef REDIORM_ERROR_H
#define REDIORM_ERROR_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. Values are never renumbered; new ones are appended. */
typedef enum rorm_code {
    RORM_OK = 0,             /**< success */
    RORM_EINVAL = -1,        /**< a bad argument: unknown model or field, wrong value type, NULL */
    RORM_ENOMEM = -2,        /**< an allocation failed */
    RORM_ENOTFOUND = -3,     /**< the record asked for does not exist */
    RORM_EPARSE = -4,        /**< text that could not be parsed: a URI, a schema, a date */
    RORM_ESCHEMA = -5,       /**< the schema is invalid (see line/column when it came from text) */
    RORM_ECONSTRAINT = -6,   /**< a constraint was violated (see rorm_error.constraint) */
    RORM_EBUSY = -7,         /**< the database is locked by another connection */
    RORM_ETIMEOUT = -8,      /**< waiting for a connection or a lock took too long */
    RORM_EDRIVER = -9,       /**< any other error reported by the database or its client library */
    RORM_EUNSUPPORTED = -10, /**< the operation is not supported by this database or build */
    RORM_ESTATE = -11,       /**< the object is in the wrong state (e.g. a finished transaction) */
    RORM_ECONFLICT = -12,    /**< deadlock or serialization failure: retry the transaction */
    RORM_ECONNECTION = -13,  /**< the connection to the server failed or was lost */
} rorm_code;

/** Which constraint a RORM_ECONSTRAINT error violated. */
typedef enum rorm_constraint {
    RORM_CONSTRAINT_NONE = 0,
    RORM_CONSTRAINT_UNIQUE = 1,
    RORM_CONSTRAINT_FOREIGN_KEY = 2,
    RORM_CONSTRAINT_NOT_NULL = 3,
    RORM_CONSTRAINT_CHECK = 4,
    RORM_CONSTRAINT_PRIMARY_KEY = 5,
    RORM_CONSTRAINT_RELATION = 6, /**< a required relation would break (relationMode "prisma":
                                       an emulated Restrict / NoAction; Prisma's P2014) */
} rorm_constraint;

#define RORM_ERROR_MESSAGE_SIZE 256

/** A caller-owned error report. Zero-initialise it or use rorm_error_clear(). */
typedef struct rorm_error {
    int code;                              /**< one of rorm_code */
    int constraint;                        /**< one of rorm_constraint for RORM_ECONSTRAINT */
    char message[RORM_ERROR_MESSAGE_SIZE]; /**< one line, NUL-terminated */
    char sqlstate[6];                      /**< SQLSTATE when a server sent one, else "" */
    int line;                              /**< 1-based line for schema text errors, else 0 */
    int column;                            /**< 1-based column for schema text errors, else 0 */
} rorm_error;

/** Reset @p err to RORM_OK with an empty message. NULL is accepted. */
RORM_API void rorm_error_clear(rorm_error *err);

/** @return a short constant name for @p code, e.g. "RORM_EINVAL". */
RORM_API const char *rorm_code_name(int code);

#ifdef __cplusplus
}
#endif
#endif
