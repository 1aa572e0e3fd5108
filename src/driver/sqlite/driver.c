/*
 * The SQLite driver: opens connections with the per-connection settings RediORM relies on
 * (foreign keys, busy timeout, WAL for files), prepares persistent statements, binds rorm_value
 * arguments in SQLite's storage classes and maps SQLite result codes to rorm_code. The sqlite3
 * and sqlite3_stmt handles never leave this file.
 */
#include <limits.h>
#include <string.h>

#include <sqlite3.h>

#include "core/json.h"
#include "driver/driver.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/vec.h"

#define DEFAULT_BUSY_TIMEOUT_MS 5000

typedef struct sqlite_conn {
    rorm_conn base; /* first: the core sees a rorm_conn */
    sqlite3 *db;
} sqlite_conn;

typedef struct sqlite_stmt {
    rorm_stmt base; /* first: the core sees a rorm_stmt */
    sqlite3_stmt *stmt;
    /* JSON texts made for ARRAY/OBJECT arguments, bound SQLITE_STATIC: freed on reset/finalize. */
    rorm_vec(char *) owned;
} sqlite_stmt;

static sqlite_conn *to_conn(rorm_conn *c)
{
    return (sqlite_conn *)c;
}

static sqlite_stmt *to_stmt(rorm_stmt *s)
{
    return (sqlite_stmt *)s;
}

static sqlite3 *stmt_db(rorm_stmt *s)
{
    return to_conn(s->conn)->db;
}

/* ---- errors ------------------------------------------------------------------------------- */

static int constraint_kind(int rc)
{
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
        return RORM_CONSTRAINT_UNIQUE;
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
        return RORM_CONSTRAINT_PRIMARY_KEY;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return RORM_CONSTRAINT_FOREIGN_KEY;
    case SQLITE_CONSTRAINT_NOTNULL:
        return RORM_CONSTRAINT_NOT_NULL;
    case SQLITE_CONSTRAINT_CHECK:
        return RORM_CONSTRAINT_CHECK;
    default:
        return RORM_CONSTRAINT_NONE;
    }
}

/*
 * Report the extended result code @p rc of a call on @p conn (NULL before there is one), keeping
 * SQLite's own message, after @p context when given. Errors that mean the connection cannot be
 * trusted any more mark it broken, so that the pool closes it instead of handing it out again.
 */
static int report_in(rorm_error *err, rorm_conn *conn, int rc, const char *context)
{
    sqlite3 *db = conn ? to_conn(conn)->db : NULL;
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    int code;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        code = RORM_ECONSTRAINT;
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        code = RORM_EBUSY;
        break;
    case SQLITE_NOMEM:
        return rorm__error_oom(err);
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        if (conn) {
            conn->broken = true;
        }
        code = RORM_EDRIVER;
        break;
    default:
        code = RORM_EDRIVER;
        break;
    }
    /* File-level failures name the file: which database is full or read-only matters. */
    int primary = rc & 0xff;
    const char *file =
        db && (primary == SQLITE_FULL || primary == SQLITE_READONLY || primary == SQLITE_IOERR ||
               primary == SQLITE_CANTOPEN || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
            ? sqlite3_db_filename(db, "main")
            : NULL;
    if (file && file[0]) {
        rorm__error(err, code, "%s%s%s (database file %s)", context ? context : "",
                    context ? ": " : "", msg, file);
    } else if (context) {
        rorm__error(err, code, "%s: %s", context, msg);
    } else {
        rorm__error(err, code, "%s", msg);
    }
    if (err && code == RORM_ECONSTRAINT) {
        err->constraint = constraint_kind(rc);
        /* ON DELETE/UPDATE RESTRICT is enforced by an internal trigger, so SQLite reports
           SQLITE_CONSTRAINT_TRIGGER; its message tells it apart from a user's RAISE(). */
        if (rc == SQLITE_CONSTRAINT_TRIGGER &&
            strncmp(msg, "FOREIGN KEY constraint failed", 29) == 0) {
            err->constraint = RORM_CONSTRAINT_FOREIGN_KEY;
        }
    }
    return code;
}

static int report(rorm_error *err, rorm_conn *conn, int rc)
{
    return report_in(err, conn, rc, NULL);
}

/* ---- connections -------------------------------------------------------------------------- */

static int run_setup(sqlite_conn *c, const char *sql, rorm_error *err)
{
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    /* Say which setting failed; SQLite's text alone would not. */
    return rc == SQLITE_OK ? RORM_OK : report_in(err, &c->base, rc, sql);
}

static void sqlite_disconnect(rorm_conn *conn)
{
    if (conn == NULL) {
        return;
    }
    sqlite_conn *c = to_conn(conn);
    /* close_v2: a statement the core did not finalize keeps the handle alive until it is. */
    sqlite3_close_v2(c->db);
    rorm__free(c);
}

static int sqlite_connect(rorm_conn **out, const rorm_config *config, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(config != NULL, err);
    *out = NULL;
    if (config->path == NULL || config->path[0] == '\0') {
        return rorm__error(err, RORM_EINVAL, "SQLite needs a database path or ':memory:'");
    }

    sqlite_conn *c = rorm__calloc(1, sizeof *c);
    if (c == NULL) {
        return rorm__error_oom(err);
    }
    c->base.driver = &rorm__driver_sqlite;

    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(config->path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        const char *msg = c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
        int code = (rc & 0xff) == SQLITE_NOMEM ? RORM_ENOMEM : RORM_EDRIVER;
        rorm__error(err, code, "cannot open SQLite database '%s': %s", config->path, msg);
        sqlite_disconnect(&c->base);
        return code;
    }
    sqlite3_extended_result_codes(c->db, 1);

    /* The busy timeout comes first so that the pragmas below wait for other connections. */
    unsigned timeout = config->busy_timeout_ms ? config->busy_timeout_ms : DEFAULT_BUSY_TIMEOUT_MS;
    sqlite3_busy_timeout(c->db, timeout > INT_MAX ? INT_MAX : (int)timeout);

    int error = run_setup(c, "PRAGMA foreign_keys=ON", err);
    /* An in-memory or temporary database has an empty file name; WAL applies to files only,
       and only to files we may write: a read-only file opens for reading, and writes to it
       fail with SQLite's "attempt to write a readonly database". */
    const char *file = sqlite3_db_filename(c->db, "main");
    if (error == RORM_OK && file != NULL && file[0] != '\0' &&
        sqlite3_db_readonly(c->db, "main") != 1) {
        error = run_setup(c, "PRAGMA journal_mode=WAL", err);
        if (error == RORM_OK) {
            error = run_setup(c, "PRAGMA synchronous=NORMAL", err);
        }
    }
    if (error != RORM_OK) {
        sqlite_disconnect(&c->base);
        return error;
    }
    *out = &c->base;
    return RORM_OK;
}

static int sqlite_exec(rorm_conn *conn, const char *sql, rorm_error *err)
{
    RORM_CHECK_ARG(conn != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    int rc = sqlite3_exec(to_conn(conn)->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? RORM_OK : report(err, conn, rc);
}

/* ---- statements --------------------------------------------------------------------------- */

static void free_owned(sqlite_stmt *s)
{
    for (size_t i = 0; i < s->owned.len; i++) {
        rorm_free(s->owned.ptr[i]);
    }
    s->owned.len = 0;
}

/* True when @p p .. @p end holds another statement (not just blanks, semicolons or comments). */
static int has_more_statements(sqlite3 *db, const char *p, const char *end, bool *more)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ';')) {
        p++;
    }
    *more = false;
    if (p == end) {
        return SQLITE_OK;
    }
    /* Something is left: let SQLite decide whether it is a statement or only comments. */
    sqlite3_stmt *extra = NULL;
    int rc = sqlite3_prepare_v3(db, p, (int)(end - p), 0, &extra, NULL);
    *more = extra != NULL || rc != SQLITE_OK;
    sqlite3_finalize(extra);
    return (rc & 0xff) == SQLITE_NOMEM ? rc : SQLITE_OK;
}

static int
sqlite_prepare(rorm_stmt **out, rorm_conn *conn, const char *sql, size_t len, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(conn != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    *out = NULL;
    if (len > INT_MAX) {
        return rorm__error(err, RORM_EINVAL, "SQL text of %zu bytes is too long for SQLite", len);
    }
    sqlite3 *db = to_conn(conn)->db;
    sqlite3_stmt *stmt = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(db, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
        return report(err, conn, rc);
    }
    if (stmt == NULL) {
        return rorm__error(err, RORM_EINVAL, "empty SQL statement: '%.*s'", (int)len, sql);
    }
    bool more = false;
    rc = has_more_statements(db, tail, sql + len, &more);
    if (rc != SQLITE_OK || more) {
        sqlite3_finalize(stmt);
        if (rc != SQLITE_OK) {
            return rorm__error_oom(err);
        }
        return rorm__error(err, RORM_EINVAL,
                           "prepare takes one SQL statement; found more after '%.*s'",
                           (int)(tail - sql), sql);
    }

    sqlite_stmt *s = rorm__calloc(1, sizeof *s);
    if (s == NULL) {
        sqlite3_finalize(stmt);
        return rorm__error_oom(err);
    }
    s->base.conn = conn;
    s->base.nparams = (size_t)sqlite3_bind_parameter_count(stmt);
    s->stmt = stmt;
    *out = &s->base;
    return RORM_OK;
}

static int bind_text(sqlite3_stmt *stmt, int i, const char *p, size_t len)
{
    /* SQLITE_STATIC: the value outlives the step (see bind in rediorm/sys/driver.h). */
    return sqlite3_bind_text64(stmt, i, p ? p : "", (sqlite3_uint64)len, SQLITE_STATIC,
                               SQLITE_UTF8);
}

/* Render an ARRAY or OBJECT argument as JSON text kept by the statement until reset. */
static int make_json(const char **out,
                     size_t *len_out,
                     sqlite_stmt *s,
                     const rorm_value *value,
                     size_t index,
                     rorm_error *err)
{
    char *json = NULL;
    int error = rorm__json_param_check(value, index, err);
    if (error != RORM_OK) {
        return error;
    }
    if (rorm_vec_reserve(&s->owned, 1) != RORM_OK) {
        return rorm__error_oom(err);
    }
    error = rorm_value_to_json(&json, len_out, value);
    if (error == RORM_ENOMEM) {
        return rorm__error_oom(err);
    }
    if (error != RORM_OK) {
        return rorm__error(err, error, "cannot bind parameter %zu: this %s value has no JSON form",
                           index, rorm_type_name(value->type));
    }
    s->owned.ptr[s->owned.len++] = json;
    *out = json;
    return RORM_OK;
}

static int sqlite_bind(rorm_stmt *stmt, size_t index, const rorm_value *value, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    RORM_CHECK_ARG(value != NULL, err);
    sqlite_stmt *s = to_stmt(stmt);
    if (index >= stmt->nparams) {
        return rorm__error(err, RORM_EINVAL,
                           "parameter index %zu out of range: the statement takes %zu", index,
                           stmt->nparams);
    }
    int i = (int)index + 1; /* SQLite counts parameters from 1 */
    int rc;
    switch (value->type) {
    case RORM_TYPE_NULL:
        rc = sqlite3_bind_null(s->stmt, i);
        break;
    case RORM_TYPE_BOOL:
        rc = sqlite3_bind_int(s->stmt, i, value->u.b ? 1 : 0);
        break;
    case RORM_TYPE_INT:
        rc = sqlite3_bind_int64(s->stmt, i, value->u.i);
        break;
    case RORM_TYPE_DOUBLE:
        rc = sqlite3_bind_double(s->stmt, i, value->u.d);
        break;
    case RORM_TYPE_DATETIME:
        rc = sqlite3_bind_int64(s->stmt, i, value->u.ms);
        break;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        rc = bind_text(s->stmt, i, value->u.s.ptr, value->u.s.len);
        break;
    case RORM_TYPE_BYTES:
        /* A NULL pointer would bind SQL NULL; an empty blob is a zero-length blob. */
        if (value->u.bytes.len == 0) {
            rc = sqlite3_bind_zeroblob(s->stmt, i, 0);
        } else {
            rc = sqlite3_bind_blob64(s->stmt, i, value->u.bytes.ptr,
                                     (sqlite3_uint64)value->u.bytes.len, SQLITE_STATIC);
        }
        break;
    case RORM_TYPE_ARRAY:
    case RORM_TYPE_OBJECT: {
        const char *json = NULL;
        size_t len = 0;
        int error = make_json(&json, &len, s, value, index, err);
        if (error != RORM_OK) {
            return error;
        }
        rc = bind_text(s->stmt, i, json, len);
        break;
    }
    default:
        return rorm__error(err, RORM_EINVAL, "cannot bind parameter %zu: unknown value type %u",
                           index, value->type);
    }
    return rc == SQLITE_OK ? RORM_OK : report(err, stmt->conn, rc);
}

static int sqlite_step(rorm_stmt *stmt, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    int rc = sqlite3_step(to_stmt(stmt)->stmt);
    if (rc == SQLITE_ROW) {
        return 1;
    }
    if (rc == SQLITE_DONE) {
        return 0;
    }
    return report(err, stmt->conn, rc);
}

static size_t sqlite_column_count(rorm_stmt *stmt)
{
    return (size_t)sqlite3_column_count(to_stmt(stmt)->stmt);
}

static const char *sqlite_column_name(rorm_stmt *stmt, size_t col)
{
    if (col > INT_MAX) {
        return NULL;
    }
    return sqlite3_column_name(to_stmt(stmt)->stmt, (int)col);
}

static int sqlite_column(rorm_stmt *stmt, size_t col, rorm_value *out, rorm_error *err)
{
    static const uint8_t empty[1];
    RORM_CHECK_ARG(stmt != NULL, err);
    RORM_CHECK_ARG(out != NULL, err);
    sqlite3_stmt *st = to_stmt(stmt)->stmt;
    if (col >= (size_t)sqlite3_column_count(st)) {
        return rorm__error(err, RORM_EINVAL, "column %zu out of range: the statement has %d", col,
                           sqlite3_column_count(st));
    }
    int i = (int)col;
    memset(out, 0, sizeof *out);
    out->flags = RORM_VALUE_BORROWED;
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        out->type = RORM_TYPE_INT;
        out->u.i = sqlite3_column_int64(st, i);
        return RORM_OK;
    case SQLITE_FLOAT:
        out->type = RORM_TYPE_DOUBLE;
        out->u.d = sqlite3_column_double(st, i);
        return RORM_OK;
    case SQLITE_TEXT: {
        /* Pointer first, then the length, as SQLite documents. */
        const unsigned char *p = sqlite3_column_text(st, i);
        if (p == NULL) {
            out->type = RORM_TYPE_NULL;
            return rorm__error_oom(err);
        }
        out->type = RORM_TYPE_TEXT;
        out->u.s.ptr = (const char *)p;
        out->u.s.len = (size_t)sqlite3_column_bytes(st, i);
        return RORM_OK;
    }
    case SQLITE_BLOB: {
        const void *p = sqlite3_column_blob(st, i);
        size_t n = (size_t)sqlite3_column_bytes(st, i);
        if (p == NULL && n != 0) {
            return rorm__error_oom(err);
        }
        out->type = RORM_TYPE_BYTES;
        out->u.bytes.ptr = p ? p : empty;
        out->u.bytes.len = n;
        return RORM_OK;
    }
    default:
        out->type = RORM_TYPE_NULL;
        return RORM_OK;
    }
}

static int64_t sqlite_changes(rorm_stmt *stmt)
{
    return (int64_t)sqlite3_changes64(stmt_db(stmt));
}

static int64_t sqlite_last_insert_id(rorm_stmt *stmt)
{
    return (int64_t)sqlite3_last_insert_rowid(stmt_db(stmt));
}

static void sqlite_reset(rorm_stmt *stmt)
{
    if (stmt == NULL) {
        return;
    }
    sqlite_stmt *s = to_stmt(stmt);
    /* reset's return code repeats the last step's error, which was reported then. */
    sqlite3_reset(s->stmt);
    sqlite3_clear_bindings(s->stmt);
    free_owned(s);
}

static void sqlite_finalize(rorm_stmt *stmt)
{
    if (stmt == NULL) {
        return;
    }
    sqlite_stmt *s = to_stmt(stmt);
    sqlite3_finalize(s->stmt);
    free_owned(s);
    rorm_vec_free(&s->owned);
    rorm__free(s);
}

const rorm_driver rorm__driver_sqlite = {
    .version = RORM_DRIVER_VERSION,
    .scheme = "sqlite",
    .db_type = RORM_DB_SQLITE,
    .caps = RORM_CAP_RETURNING | RORM_CAP_SAVEPOINTS | RORM_CAP_TRANSACTIONAL_DDL |
            RORM_CAP_UPSERT_ON_CONFLICT,
    .connect = sqlite_connect,
    .disconnect = sqlite_disconnect,
    .exec = sqlite_exec,
    .prepare = sqlite_prepare,
    .bind = sqlite_bind,
    .step = sqlite_step,
    .column_count = sqlite_column_count,
    .column_name = sqlite_column_name,
    .column = sqlite_column,
    .changes = sqlite_changes,
    .last_insert_id = sqlite_last_insert_id,
    .reset = sqlite_reset,
    .finalize = sqlite_finalize,
};
