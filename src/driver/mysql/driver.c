/*
 * The MySQL / MariaDB driver on MariaDB Connector/C. Statements are server-side prepared
 * statements (mysql_stmt_*) using the binary protocol, so values travel without escaping:
 * integers as 64-bit, doubles as doubles, datetimes as MYSQL_TIME, text and blobs with their
 * length. Results are stored client-side after execute, so a connection may prepare and run the
 * next statement while rows are read. Connections use utf8mb4, UTC (time_zone '+00:00') and
 * CLIENT_FOUND_ROWS, so an UPDATE that changes nothing still counts the rows it matched. The
 * MYSQL handles never leave this file.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "core/json.h"
#include "dialect/dialect.h"
#include "driver/driver.h"
#include "util/alloc.h"
#include "util/error.h"

#define INITIAL_BUFFER 64

enum col_kind {
    K_TEXT,
    K_INT,
    K_UINT,
    K_DOUBLE,
    K_DECIMAL,
    K_DATETIME,
    K_BYTES,
    K_JSON,
};

typedef struct my_conn {
    rorm_conn base; /* first: the core sees a rorm_conn */
    MYSQL *my;
    bool utf8;      /* the connection character set is UTF-8: text parameters are checked */
    char where[96]; /* "host:port" or the socket path, for the messages of a lost connection */
} my_conn;

typedef struct param_slot {
    union {
        long long i;
        double d;
        signed char b;
        MYSQL_TIME t;
    } u;
    char *owned; /* JSON text of arrays and objects */
    unsigned long length;
    my_bool is_null;
} param_slot;

typedef struct result_slot {
    union {
        long long i;
        double d;
        MYSQL_TIME t;
    } u;
    char *buf; /* strings and blobs; grown on truncation */
    unsigned long cap, length;
    my_bool is_null, error;
    unsigned char kind;
} result_slot;

typedef struct my_stmt {
    rorm_stmt base; /* first: the core sees a rorm_stmt */
    MYSQL_STMT *stmt;
    unsigned ncols;
    char **names;
    MYSQL_BIND *pbind;
    param_slot *params;
    MYSQL_BIND *rbind;
    result_slot *results;
    bool executed;
    bool rebind; /* result buffers grew: bind them again before the next fetch */
    bool stream; /* my_stream: rows are fetched from the server one at a time (unbuffered) */
    int64_t changes, insert_id;
} my_stmt;

static my_conn *to_conn(rorm_conn *c)
{
    return (my_conn *)c;
}

static my_stmt *to_stmt(rorm_stmt *s)
{
    return (my_stmt *)s;
}

/* ---- errors ------------------------------------------------------------------------------- */

static int map_errno(unsigned no, int *constraint, rorm_conn *conn)
{
    *constraint = RORM_CONSTRAINT_NONE;
    switch (no) {
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
        *constraint = RORM_CONSTRAINT_UNIQUE;
        return RORM_ECONSTRAINT;
    case ER_ROW_IS_REFERENCED_2:
    case ER_NO_REFERENCED_ROW_2:
    case ER_ROW_IS_REFERENCED:
    case ER_NO_REFERENCED_ROW:
        *constraint = RORM_CONSTRAINT_FOREIGN_KEY;
        return RORM_ECONSTRAINT;
    case ER_BAD_NULL_ERROR:
    case ER_NO_DEFAULT_FOR_FIELD:
        *constraint = RORM_CONSTRAINT_NOT_NULL;
        return RORM_ECONSTRAINT;
    case 3819: /* MySQL ER_CHECK_CONSTRAINT_VIOLATED */
    case 4025: /* MariaDB ER_CONSTRAINT_FAILED */
        *constraint = RORM_CONSTRAINT_CHECK;
        return RORM_ECONSTRAINT;
    case ER_LOCK_DEADLOCK:
        return RORM_ECONFLICT;
    case ER_LOCK_WAIT_TIMEOUT:
        return RORM_EBUSY;
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case 2055: /* CR_SERVER_LOST_EXTENDED */
    case ER_CONNECTION_KILLED:
    case ER_SERVER_SHUTDOWN:
        conn->broken = true;
        return RORM_ECONNECTION;
    case CR_OUT_OF_MEMORY:
    case ER_OUTOFMEMORY:
        return RORM_ENOMEM;
    default:
        return RORM_EDRIVER;
    }
}

static int
report_raw(rorm_error *err, rorm_conn *conn, unsigned no, const char *msg, const char *state)
{
    int constraint;
    int code = map_errno(no, &constraint, conn);
    msg = msg && *msg ? msg : "unknown MySQL error";
    if (code == RORM_ECONNECTION) {
        rorm__error(err, code, "lost the connection to MySQL at %s: %s", to_conn(conn)->where, msg);
    } else {
        rorm__error(err, code, "%s", msg);
    }
    if (err) {
        err->constraint = constraint;
        if (state && strcmp(state, "00000") != 0) {
            snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
        }
    }
    return code;
}

static int report_conn(rorm_error *err, my_conn *c)
{
    return report_raw(err, &c->base, mysql_errno(c->my), mysql_error(c->my), mysql_sqlstate(c->my));
}

static int report_stmt(rorm_error *err, my_stmt *s)
{
    if (mysql_stmt_errno(s->stmt) == 0) {
        /* An unbuffered fetch that lost the server reports on the connection, not the
           statement. */
        MYSQL *my = to_conn(s->base.conn)->my;
        if (mysql_errno(my) != 0) {
            return report_raw(err, s->base.conn, mysql_errno(my), mysql_error(my),
                              mysql_sqlstate(my));
        }
    }
    return report_raw(err, s->base.conn, mysql_stmt_errno(s->stmt), mysql_stmt_error(s->stmt),
                      mysql_stmt_sqlstate(s->stmt));
}

/* ---- connections -------------------------------------------------------------------------- */

static void my_disconnect(rorm_conn *conn)
{
    if (conn == NULL) {
        return;
    }
    my_conn *c = to_conn(conn);
    mysql_close(c->my);
    rorm__free(c);
}

static int my_connect(rorm_conn **out, const rorm_config *config, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(config != NULL, err);
    *out = NULL;
    rorm_global_init();
    my_conn *c = rorm__calloc(1, sizeof *c);
    if (c == NULL) {
        return rorm__error_oom(err);
    }
    c->base.driver = &rorm__driver_mysql;
    c->my = mysql_init(NULL);
    if (c->my == NULL) {
        rorm__free(c);
        return rorm__error_oom(err);
    }
    bool v2 = config->version >= 2;
    const char *charset = v2 && config->charset ? config->charset : "utf8mb4";
    mysql_optionsv(c->my, MYSQL_SET_CHARSET_NAME, charset);
    c->utf8 = strncasecmp(charset, "utf8", 4) == 0;
    mysql_optionsv(c->my, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
    if (v2 && config->connect_timeout_s) {
        unsigned t = config->connect_timeout_s;
        mysql_optionsv(c->my, MYSQL_OPT_CONNECT_TIMEOUT, &t);
    }
    /* sslmode in either spelling (disable/disabled, prefer/preferred, require/required,
       verify-ca/verify_ca, verify-full/verify_identity): TLS is enforced from "require" up. */
    if (v2 && config->sslmode && strncasecmp(config->sslmode, "disable", 7) != 0 &&
        strncasecmp(config->sslmode, "prefer", 6) != 0 &&
        strncasecmp(config->sslmode, "allow", 5) != 0) {
        my_bool on = 1;
        mysql_optionsv(c->my, MYSQL_OPT_SSL_ENFORCE, &on);
        if (strncasecmp(config->sslmode, "verify", 6) == 0) {
            mysql_optionsv(c->my, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
        }
    }
    const char *host = config->host && config->host[0] ? config->host : "localhost";
    const char *socket = NULL;
    if (host[0] == '/') {
        socket = host;
        host = "localhost";
    }
    if (mysql_real_connect(c->my, host, config->user, config->password, config->database,
                           config->port, socket,
                           CLIENT_FOUND_ROWS | CLIENT_MULTI_STATEMENTS) == NULL) {
        int constraint;
        unsigned no = mysql_errno(c->my);
        int code = map_errno(no, &constraint, &c->base);
        if (code == RORM_EDRIVER) {
            code = RORM_ECONNECTION;
        }
        rorm__error(err, code, "cannot connect to MySQL at %s:%u: %s", socket ? socket : host,
                    config->port ? config->port : 3306, mysql_error(c->my));
        my_disconnect(&c->base);
        return code;
    }
    if (socket) {
        snprintf(c->where, sizeof c->where, "%s", socket);
    } else {
        snprintf(c->where, sizeof c->where, "%s:%u", host, config->port ? config->port : 3306);
    }
    *out = &c->base;
    return RORM_OK;
}

static int my_exec(rorm_conn *conn, const char *sql, rorm_error *err)
{
    RORM_CHECK_ARG(conn != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    my_conn *c = to_conn(conn);
    if (mysql_real_query(c->my, sql, strlen(sql)) != 0) {
        return report_conn(err, c);
    }
    /* Several statements may have run: read every result, stopping at the first error. */
    for (;;) {
        MYSQL_RES *res = mysql_store_result(c->my);
        if (res) {
            mysql_free_result(res);
        } else if (mysql_field_count(c->my) != 0) {
            return report_conn(err, c);
        }
        int next = mysql_next_result(c->my);
        if (next == -1) {
            return RORM_OK;
        }
        if (next > 0) {
            return report_conn(err, c);
        }
    }
}

/* ---- statements --------------------------------------------------------------------------- */

static void free_stmt(my_stmt *s)
{
    if (s->stmt) {
        mysql_stmt_close(s->stmt);
    }
    for (unsigned i = 0; s->names && i < s->ncols; i++) {
        rorm__free(s->names[i]);
    }
    for (unsigned i = 0; s->results && i < s->ncols; i++) {
        rorm__free(s->results[i].buf);
    }
    for (size_t i = 0; s->params && i < s->base.nparams; i++) {
        rorm__free(s->params[i].owned);
    }
    rorm__free(s->names);
    rorm__free(s->pbind);
    rorm__free(s->params);
    rorm__free(s->rbind);
    rorm__free(s->results);
    rorm__free(s);
}

static unsigned char kind_of(const MYSQL_FIELD *f)
{
    switch (f->type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return (f->flags & UNSIGNED_FLAG) ? K_UINT : K_INT;
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
        return K_DOUBLE;
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
        return K_DECIMAL;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
        return K_DATETIME;
    case MYSQL_TYPE_JSON:
        return K_JSON;
    case MYSQL_TYPE_BIT:
    case MYSQL_TYPE_GEOMETRY:
        return K_BYTES;
    default:
        /* Strings and blobs: charset 63 is "binary". */
        return f->charsetnr == 63 ? K_BYTES : K_TEXT;
    }
}

static void bind_result_slot(MYSQL_BIND *b, result_slot *r)
{
    memset(b, 0, sizeof *b);
    b->is_null = &r->is_null;
    b->error = &r->error;
    b->length = &r->length;
    switch (r->kind) {
    case K_INT:
    case K_UINT:
        b->buffer_type = MYSQL_TYPE_LONGLONG;
        b->buffer = &r->u.i;
        b->is_unsigned = r->kind == K_UINT;
        break;
    case K_DOUBLE:
        b->buffer_type = MYSQL_TYPE_DOUBLE;
        b->buffer = &r->u.d;
        break;
    case K_DATETIME:
        b->buffer_type = MYSQL_TYPE_DATETIME;
        b->buffer = &r->u.t;
        break;
    /* The library is told one byte less than the allocation, so a string that fits always has
       room for the NUL that my_column adds. */
    case K_BYTES:
        b->buffer_type = MYSQL_TYPE_BLOB;
        b->buffer = r->buf;
        b->buffer_length = r->cap ? r->cap - 1 : 0;
        break;
    default:
        b->buffer_type = MYSQL_TYPE_STRING;
        b->buffer = r->buf;
        b->buffer_length = r->cap ? r->cap - 1 : 0;
        break;
    }
}

static int
my_prepare(rorm_stmt **out, rorm_conn *conn, const char *sql, size_t len, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(conn != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    *out = NULL;
    my_conn *c = to_conn(conn);
    my_stmt *s = rorm__calloc(1, sizeof *s);
    if (s == NULL) {
        return rorm__error_oom(err);
    }
    s->base.conn = conn;
    s->stmt = mysql_stmt_init(c->my);
    if (s->stmt == NULL) {
        rorm__free(s);
        return rorm__error_oom(err);
    }
    if (mysql_stmt_prepare(s->stmt, sql, len) != 0) {
        int rc = report_stmt(err, s);
        free_stmt(s);
        return rc;
    }
    size_t np = mysql_stmt_param_count(s->stmt);
    s->base.nparams = np;
    s->pbind = rorm__calloc(np ? np : 1, sizeof *s->pbind);
    s->params = rorm__calloc(np ? np : 1, sizeof *s->params);
    int rc = (s->pbind && s->params) ? RORM_OK : rorm__error_oom(err);
    MYSQL_RES *meta = mysql_stmt_result_metadata(s->stmt);
    if (rc == RORM_OK && meta != NULL) {
        s->ncols = mysql_num_fields(meta);
        MYSQL_FIELD *fields = mysql_fetch_fields(meta);
        s->names = rorm__calloc(s->ncols, sizeof *s->names);
        s->rbind = rorm__calloc(s->ncols, sizeof *s->rbind);
        s->results = rorm__calloc(s->ncols, sizeof *s->results);
        if (!s->names || !s->rbind || !s->results) {
            rc = rorm__error_oom(err);
        }
        for (unsigned i = 0; rc == RORM_OK && i < s->ncols; i++) {
            result_slot *r = &s->results[i];
            r->kind = kind_of(&fields[i]);
            s->names[i] = rorm__strdup(fields[i].name);
            if (s->names[i] == NULL) {
                rc = rorm__error_oom(err);
                break;
            }
            if (r->kind == K_TEXT || r->kind == K_BYTES || r->kind == K_DECIMAL ||
                r->kind == K_JSON) {
                r->cap = INITIAL_BUFFER;
                r->buf = rorm__malloc(r->cap);
                if (r->buf == NULL) {
                    rc = rorm__error_oom(err);
                    break;
                }
            }
            bind_result_slot(&s->rbind[i], r);
        }
    }
    if (meta) {
        mysql_free_result(meta);
    }
    if (rc != RORM_OK) {
        free_stmt(s);
        return rc;
    }
    *out = &s->base;
    return RORM_OK;
}

static void to_mysql_time(MYSQL_TIME *t, int64_t ms)
{
    int64_t y;
    int mo, d, h, mi, sec, milli;
    rorm__civil_from_ms(ms, &y, &mo, &d, &h, &mi, &sec, &milli);
    memset(t, 0, sizeof *t);
    t->year = (unsigned)(y < 0 ? 0 : y);
    t->month = (unsigned)mo;
    t->day = (unsigned)d;
    t->hour = (unsigned)h;
    t->minute = (unsigned)mi;
    t->second = (unsigned)sec;
    t->second_part = (unsigned long)milli * 1000;
    t->time_type = MYSQL_TIMESTAMP_DATETIME;
}

static int my_bind(rorm_stmt *stmt, size_t index, const rorm_value *value, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    RORM_CHECK_ARG(value != NULL, err);
    my_stmt *s = to_stmt(stmt);
    if (index >= stmt->nparams) {
        return rorm__error(err, RORM_EINVAL,
                           "parameter index %zu out of range: the statement takes %zu", index,
                           stmt->nparams);
    }
    MYSQL_BIND *b = &s->pbind[index];
    param_slot *p = &s->params[index];
    rorm__free(p->owned);
    p->owned = NULL;
    memset(b, 0, sizeof *b);
    p->is_null = 0;
    b->is_null = &p->is_null;
    switch (value->type) {
    case RORM_TYPE_NULL:
        b->buffer_type = MYSQL_TYPE_NULL;
        p->is_null = 1;
        return RORM_OK;
    case RORM_TYPE_BOOL:
        p->u.b = value->u.b ? 1 : 0;
        b->buffer_type = MYSQL_TYPE_TINY;
        b->buffer = &p->u.b;
        return RORM_OK;
    case RORM_TYPE_INT:
        p->u.i = value->u.i;
        b->buffer_type = MYSQL_TYPE_LONGLONG;
        b->buffer = &p->u.i;
        return RORM_OK;
    case RORM_TYPE_DOUBLE:
        p->u.d = value->u.d;
        b->buffer_type = MYSQL_TYPE_DOUBLE;
        b->buffer = &p->u.d;
        return RORM_OK;
    case RORM_TYPE_DATETIME:
        to_mysql_time(&p->u.t, value->u.ms);
        b->buffer_type = MYSQL_TYPE_DATETIME;
        b->buffer = &p->u.t;
        return RORM_OK;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        /* MySQL would refuse invalid UTF-8 in strict mode and cut the text at it otherwise. */
        if (to_conn(stmt->conn)->utf8 && !rorm__utf8_valid(value->u.s.ptr, value->u.s.len)) {
            return rorm__error(err, RORM_EINVAL, "parameter %zu: text is not valid UTF-8", index);
        }
        b->buffer_type = MYSQL_TYPE_STRING;
        b->buffer = (void *)value->u.s.ptr;
        b->buffer_length = value->u.s.len;
        p->length = value->u.s.len;
        b->length = &p->length;
        return RORM_OK;
    case RORM_TYPE_BYTES:
        b->buffer_type = MYSQL_TYPE_BLOB;
        b->buffer = (void *)(value->u.bytes.len ? value->u.bytes.ptr : (const uint8_t *)"");
        b->buffer_length = value->u.bytes.len;
        p->length = value->u.bytes.len;
        b->length = &p->length;
        return RORM_OK;
    case RORM_TYPE_ARRAY:
    case RORM_TYPE_OBJECT: {
        size_t len = 0;
        int rc = rorm__json_param_check(value, index, err);
        if (rc != RORM_OK) {
            return rc;
        }
        rc = rorm_value_to_json(&p->owned, &len, value);
        if (rc != RORM_OK) {
            return rc == RORM_ENOMEM
                       ? rorm__error_oom(err)
                       : rorm__error(err, rc, "parameter %zu has no JSON form", index);
        }
        b->buffer_type = MYSQL_TYPE_STRING;
        b->buffer = p->owned;
        b->buffer_length = len;
        p->length = len;
        b->length = &p->length;
        return RORM_OK;
    }
    default:
        return rorm__error(err, RORM_EINVAL, "cannot bind parameter %zu: unknown value type %u",
                           index, value->type);
    }
}

static int my_step(rorm_stmt *stmt, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    my_stmt *s = to_stmt(stmt);
    if (!s->executed) {
        if (stmt->nparams && mysql_stmt_bind_param(s->stmt, s->pbind) != 0) {
            return report_stmt(err, s);
        }
        if (mysql_stmt_execute(s->stmt) != 0) {
            return report_stmt(err, s);
        }
        s->executed = true;
        s->changes = (int64_t)mysql_stmt_affected_rows(s->stmt);
        s->insert_id = (int64_t)mysql_stmt_insert_id(s->stmt);
        if (s->ncols == 0) {
            return 0;
        }
        if (mysql_stmt_bind_result(s->stmt, s->rbind) != 0 ||
            (!s->stream && mysql_stmt_store_result(s->stmt) != 0)) {
            return report_stmt(err, s);
        }
    }
    if (s->ncols == 0) {
        return 0;
    }
    /* Never rebind in the middle of a row: Connector/C may reset the lengths of the columns
       already fetched. Between rows it is allowed. */
    if (s->rebind) {
        if (mysql_stmt_bind_result(s->stmt, s->rbind) != 0) {
            return report_stmt(err, s);
        }
        s->rebind = false;
    }
    int rc = mysql_stmt_fetch(s->stmt);
    if (rc == MYSQL_NO_DATA) {
        return 0;
    }
    if (rc == 1) {
        return report_stmt(err, s);
    }
    if (rc == MYSQL_DATA_TRUNCATED) {
        /* A string longer than its buffer: grow the buffer and fetch that column again. */
        for (unsigned i = 0; i < s->ncols; i++) {
            result_slot *r = &s->results[i];
            if (!r->error || r->is_null || r->buf == NULL || r->length < r->cap) {
                continue;
            }
            char *grown = rorm__realloc(r->buf, r->length + 1);
            if (grown == NULL) {
                return rorm__error_oom(err);
            }
            r->buf = grown;
            r->cap = r->length + 1;
            bind_result_slot(&s->rbind[i], r);
            if (mysql_stmt_fetch_column(s->stmt, &s->rbind[i], i, 0) != 0) {
                return report_stmt(err, s);
            }
            s->rebind = true; /* the next fetch writes into the grown buffer */
        }
    }
    return 1;
}

static size_t my_column_count(rorm_stmt *stmt)
{
    return to_stmt(stmt)->ncols;
}

static const char *my_column_name(rorm_stmt *stmt, size_t col)
{
    my_stmt *s = to_stmt(stmt);
    return col < s->ncols ? s->names[col] : NULL;
}

static int64_t from_mysql_time(const MYSQL_TIME *t)
{
    return rorm__ms_from_civil(t->year, (int)(t->month ? t->month : 1), (int)(t->day ? t->day : 1),
                               (int)t->hour, (int)t->minute, (int)t->second,
                               (int)(t->second_part / 1000));
}

static int my_column(rorm_stmt *stmt, size_t col, rorm_value *out, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    RORM_CHECK_ARG(out != NULL, err);
    my_stmt *s = to_stmt(stmt);
    if (col >= s->ncols) {
        return rorm__error(err, RORM_EINVAL, "column %zu out of range: the statement has %u", col,
                           s->ncols);
    }
    result_slot *r = &s->results[col];
    memset(out, 0, sizeof *out);
    out->flags = RORM_VALUE_BORROWED;
    if (r->is_null) {
        out->type = RORM_TYPE_NULL;
        return RORM_OK;
    }
    switch (r->kind) {
    case K_INT:
    case K_UINT:
        out->type = RORM_TYPE_INT;
        out->u.i = r->u.i;
        return RORM_OK;
    case K_DOUBLE:
        out->type = RORM_TYPE_DOUBLE;
        out->u.d = r->u.d;
        return RORM_OK;
    case K_DATETIME:
        out->type = RORM_TYPE_DATETIME;
        out->u.ms = from_mysql_time(&r->u.t);
        return RORM_OK;
    case K_BYTES:
        out->type = RORM_TYPE_BYTES;
        out->u.bytes.ptr = (const uint8_t *)r->buf;
        out->u.bytes.len = r->length;
        return RORM_OK;
    default:
        /* Strings are not NUL-terminated by the library: the allocation keeps one spare byte
           beyond what the library may write (see bind_result_slot). */
        if (r->buf == NULL || r->length >= r->cap) {
            return rorm__error(err, RORM_EDRIVER,
                               "column %zu: %lu bytes do not fit the result buffer", col,
                               (unsigned long)r->length);
        }
        r->buf[r->length] = '\0';
        out->type = r->kind == K_DECIMAL ? RORM_TYPE_DECIMAL
                    : r->kind == K_JSON  ? RORM_TYPE_JSON
                                         : RORM_TYPE_TEXT;
        out->u.s.ptr = r->buf;
        out->u.s.len = r->length;
        return RORM_OK;
    }
}

static int64_t my_changes(rorm_stmt *stmt)
{
    return to_stmt(stmt)->changes;
}

static int64_t my_last_insert_id(rorm_stmt *stmt)
{
    return to_stmt(stmt)->insert_id;
}

static void my_reset(rorm_stmt *stmt)
{
    if (stmt == NULL) {
        return;
    }
    my_stmt *s = to_stmt(stmt);
    if (s->executed && s->ncols) {
        mysql_stmt_free_result(s->stmt);
    }
    s->executed = false;
    for (size_t i = 0; i < stmt->nparams; i++) {
        rorm__free(s->params[i].owned);
        s->params[i].owned = NULL;
    }
}

static void my_finalize(rorm_stmt *stmt)
{
    if (stmt == NULL) {
        return;
    }
    free_stmt(to_stmt(stmt));
}

static int my_stream(rorm_stmt *stmt, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    to_stmt(stmt)->stream = true;
    return RORM_OK;
}

static int my_ping(rorm_conn *conn)
{
    if (mysql_ping(to_conn(conn)->my) != 0) {
        conn->broken = true;
        return RORM_ECONNECTION;
    }
    return RORM_OK;
}

/* An idle connection receives nothing unless the server is closing it (an error packet, then
   end of file): anything readable means it is gone. No round trip. */
static bool my_alive(rorm_conn *conn)
{
    if (rorm__socket_readable((int)mysql_get_socket(to_conn(conn)->my))) {
        conn->broken = true;
        return false;
    }
    return true;
}

const rorm_driver rorm__driver_mysql = {
    .version = RORM_DRIVER_VERSION,
    .scheme = "mysql",
    .db_type = RORM_DB_MYSQL,
    .caps = RORM_CAP_SAVEPOINTS | RORM_CAP_UPSERT_ON_DUPLICATE | RORM_CAP_NATIVE_ENUMS,
    .connect = my_connect,
    .disconnect = my_disconnect,
    .exec = my_exec,
    .prepare = my_prepare,
    .bind = my_bind,
    .step = my_step,
    .column_count = my_column_count,
    .column_name = my_column_name,
    .column = my_column,
    .changes = my_changes,
    .last_insert_id = my_last_insert_id,
    .reset = my_reset,
    .finalize = my_finalize,
    .ping = my_ping,
    .stream = my_stream,
    .alive = my_alive,
};
