/*
 * The PostgreSQL driver on libpq. Statements are prepared on the server under generated names
 * (rorm_1, rorm_2, ... per connection) and described once, so a cached statement runs in one
 * round trip. Parameters go in text format (bytea in binary), with the server inferring their
 * types from the SQL; results come back in text format and are parsed here into the value kinds
 * the core converts: integers, doubles, booleans, numeric as decimal text, timestamps as UTC
 * milliseconds, bytea as bytes and arrays as arrays. The PGconn and PGresult handles never
 * leave this file.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#include "core/json.h"
#include "dialect/dialect.h"
#include "driver/driver.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/str.h"
#include "util/vec.h"

/* Type OIDs from pg_type.dat (stable across releases). */
#define OID_BOOL        16
#define OID_BYTEA       17
#define OID_INT8        20
#define OID_INT2        21
#define OID_INT4        23
#define OID_OID         26
#define OID_FLOAT4      700
#define OID_FLOAT8      701
#define OID_NUMERIC     1700
#define OID_TIMESTAMP   1114
#define OID_TIMESTAMPTZ 1184
#define OID_DATE        1082
#define OID_JSON        114
#define OID_JSONB       3802
#define FIRST_USER_OID  16384

/* Column kinds, decided once per prepared statement from the result's type OIDs. */
enum col_kind {
    K_TEXT,
    K_INT,
    K_DOUBLE,
    K_BOOL,
    K_DECIMAL,
    K_DATETIME,
    K_BYTES,
    K_JSON,
    K_ARRAY, /* element kind in elem */
};

typedef struct col_info {
    unsigned char kind, elem;
} col_info;

/* Known user-defined types of this connection (enums, arrays of enums). */
typedef struct user_type {
    Oid oid;
    bool is_array;
} user_type;

typedef struct pg_conn {
    rorm_conn base; /* first: the core sees a rorm_conn */
    PGconn *pg;
    unsigned next_id;
    rorm_vec(user_type) types;
    rorm_str deallocate; /* DEALLOCATE statements of finalized statements, run lazily */
    char where[96];      /* "host:port", for the messages of a lost connection */
} pg_conn;

typedef struct param_slot {
    char buf[48]; /* numbers, booleans and timestamps rendered as text */
    char *owned;  /* longer renderings (arrays, JSON), freed on reset */
} param_slot;

typedef struct pg_stmt {
    rorm_stmt base; /* first: the core sees a rorm_stmt */
    char name[24];
    char *sql; /* the text, to prepare again when the server drops or invalidates the plan */
    int ncols;
    col_info *cols;
    char **names;
    const char **values;
    int *lengths;
    int *formats;
    param_slot *slots;
    PGresult *res;
    int row, nrows;
    int64_t changes;
    /* Decoded column values (bytea, arrays) of the current row, freed on the next step. */
    rorm_value *decoded;
    /* Streaming (pg_stream): the next run sends the query in single-row mode; `sent` while
       results of that run may still be waiting on the connection; `ended` once it is over. */
    bool stream, sent, ended;
} pg_stmt;

static pg_conn *to_conn(rorm_conn *c)
{
    return (pg_conn *)c;
}

static pg_stmt *to_stmt(rorm_stmt *s)
{
    return (pg_stmt *)s;
}

/* ---- errors ------------------------------------------------------------------------------- */

/* The first line of a libpq message, without the trailing newline. */
static void first_line(char *buf, size_t size, const char *msg)
{
    size_t n = 0;
    if (msg == NULL) {
        msg = "unknown error";
    }
    while (msg[n] && msg[n] != '\n' && n + 1 < size) {
        n++;
    }
    memcpy(buf, msg, n);
    buf[n] = '\0';
}

/*
 * Report a failed result (or, with @p res NULL, the connection's error): SQLSTATE classes map to
 * codes, and a lost connection marks the connection broken so the pool replaces it.
 */
static int report(rorm_error *err, pg_conn *c, const PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[RORM_ERROR_MESSAGE_SIZE];
    first_line(line, sizeof line, msg ? msg : PQerrorMessage(c->pg));
    int code = RORM_EDRIVER, constraint = RORM_CONSTRAINT_NONE;
    if (state == NULL || PQstatus(c->pg) != CONNECTION_OK) {
        if (PQstatus(c->pg) != CONNECTION_OK) {
            c->base.broken = true;
            code = RORM_ECONNECTION;
            state = NULL;
        }
    } else if (strcmp(state, "23505") == 0) {
        code = RORM_ECONSTRAINT;
        constraint = RORM_CONSTRAINT_UNIQUE;
    } else if (strcmp(state, "23503") == 0) {
        code = RORM_ECONSTRAINT;
        constraint = RORM_CONSTRAINT_FOREIGN_KEY;
    } else if (strcmp(state, "23502") == 0) {
        code = RORM_ECONSTRAINT;
        constraint = RORM_CONSTRAINT_NOT_NULL;
    } else if (strcmp(state, "23514") == 0) {
        code = RORM_ECONSTRAINT;
        constraint = RORM_CONSTRAINT_CHECK;
    } else if (strncmp(state, "23", 2) == 0) {
        code = RORM_ECONSTRAINT;
    } else if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0) {
        code = RORM_ECONFLICT;
    } else if (strcmp(state, "55P03") == 0) {
        code = RORM_EBUSY;
    } else if (strcmp(state, "57014") == 0) {
        code = RORM_ETIMEOUT;
    } else if (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
               strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0) {
        c->base.broken = true;
        code = RORM_ECONNECTION;
    } else if (strcmp(state, "53200") == 0) {
        code = RORM_ENOMEM;
    }
    if (code == RORM_ECONNECTION) {
        rorm__error(err, code, "lost the connection to PostgreSQL at %s: %s", c->where, line);
    } else {
        rorm__error(err, code, "%s", line);
    }
    if (err) {
        err->constraint = constraint;
        if (state) {
            snprintf(err->sqlstate, sizeof err->sqlstate, "%s", state);
        }
    }
    return code;
}

/* ---- connections -------------------------------------------------------------------------- */

static void pg_disconnect(rorm_conn *conn)
{
    if (conn == NULL) {
        return;
    }
    pg_conn *c = to_conn(conn);
    PQfinish(c->pg);
    rorm_vec_free(&c->types);
    rorm__str_dispose(&c->deallocate);
    rorm__free(c);
}

/* Run a command without parameters; results are discarded. */
static int run(pg_conn *c, const char *sql, rorm_error *err)
{
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = RORM_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
        rc = res ? report(err, c, res) : report(err, c, NULL);
    } else if (strcmp(sql, "COMMIT") == 0 && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
        /* COMMIT of a transaction a failed statement aborted rolls back, "successfully". */
        rc = rorm__error(err, RORM_ESTATE,
                         "the transaction was rolled back: a statement in it had failed");
    }
    PQclear(res);
    return rc;
}

/* libpq's name for an sslmode given in either spelling (MySQL's "required" is "require"). */
static const char *libpq_sslmode(const char *mode)
{
    static const char *const names[][2] = {
        { "disabled", "disable" },
        { "preferred", "prefer" },
        { "required", "require" },
        { "verify_ca", "verify-ca" },
        { "verify_identity", "verify-full" },
    };
    if (mode == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(mode, names[i][0]) == 0) {
            return names[i][1];
        }
    }
    return mode;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int pg_connect(rorm_conn **out, const rorm_config *config, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(config != NULL, err);
    *out = NULL;
    pg_conn *c = rorm__calloc(1, sizeof *c);
    if (c == NULL) {
        return rorm__error_oom(err);
    }
    c->base.driver = &rorm__driver_postgres;
    char port[16], timeout[16];
    const char *keys[16], *vals[16];
    int n = 0;
#define KV(k, v)           \
    do {                   \
        if ((v) != NULL) { \
            keys[n] = (k); \
            vals[n] = (v); \
            n++;           \
        }                  \
    } while (0)
    KV("host", config->host && config->host[0] ? config->host : "localhost");
    if (config->port) {
        snprintf(port, sizeof port, "%u", config->port);
        KV("port", port);
    }
    KV("dbname", config->database);
    KV("user", config->user);
    KV("password", config->password);
    KV("sslmode", config->version >= 2 ? libpq_sslmode(config->sslmode) : NULL);
    if (config->version >= 2 && config->connect_timeout_s) {
        snprintf(timeout, sizeof timeout, "%u", config->connect_timeout_s);
        KV("connect_timeout", timeout);
    }
    KV("client_encoding", "UTF8");
    KV("application_name", "rediorm");
    /* ISO dates so that timestamps parse; UTC so that now() and timestamptz agree with us. */
    KV("options", "-c DateStyle=ISO,YMD -c TimeZone=UTC -c IntervalStyle=iso_8601");
#undef KV
    keys[n] = vals[n] = NULL;
    c->pg = PQconnectdbParams(keys, vals, 0);
    if (c->pg == NULL) {
        rorm__free(c);
        return rorm__error_oom(err);
    }
    if (PQstatus(c->pg) != CONNECTION_OK) {
        char line[RORM_ERROR_MESSAGE_SIZE];
        first_line(line, sizeof line, PQerrorMessage(c->pg));
        rorm__error(err, RORM_ECONNECTION, "cannot connect to PostgreSQL at %s:%u: %s",
                    config->host ? config->host : "localhost", config->port ? config->port : 5432,
                    line);
        pg_disconnect(&c->base);
        return RORM_ECONNECTION;
    }
    snprintf(c->where, sizeof c->where, "%s:%u", config->host ? config->host : "localhost",
             config->port ? config->port : 5432);
    /* Notices (DROP ... IF EXISTS skipping, cascades) are not errors: keep them off stderr. */
    PQsetNoticeProcessor(c->pg, ignore_notice, NULL);
    if (config->version >= 2 && config->schema && config->schema[0]) {
        char *ident = PQescapeIdentifier(c->pg, config->schema, strlen(config->schema));
        if (ident == NULL) {
            pg_disconnect(&c->base);
            return rorm__error(err, RORM_EINVAL, "invalid schema name '%.60s'", config->schema);
        }
        rorm_str sql = RORM_STR_INIT;
        rorm__str_puts(&sql, "SET search_path TO ");
        rorm__str_puts(&sql, ident);
        PQfreemem(ident);
        int rc = rorm__str_oom(&sql) ? rorm__error_oom(err) : run(c, sql.ptr, err);
        rorm__str_dispose(&sql);
        if (rc != RORM_OK) {
            pg_disconnect(&c->base);
            return rc;
        }
    }
    *out = &c->base;
    return RORM_OK;
}

/* Run the DEALLOCATEs queued by finalize, so names of evicted statements do not pile up. */
static void flush_deallocate(pg_conn *c)
{
    if (c->deallocate.len == 0) {
        return;
    }
    if (!rorm__str_oom(&c->deallocate) && PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
        PQclear(PQexec(c->pg, c->deallocate.ptr));
        rorm__str_clear(&c->deallocate);
    } else if (rorm__str_oom(&c->deallocate)) {
        rorm__str_clear(&c->deallocate);
    }
}

static int pg_exec(rorm_conn *conn, const char *sql, rorm_error *err)
{
    RORM_CHECK_ARG(conn != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    return run(to_conn(conn), sql, err);
}

/* ---- statements --------------------------------------------------------------------------- */

static bool known_array(Oid oid, unsigned char *elem)
{
    switch (oid) {
    case 1000:
        *elem = K_BOOL;
        return true;
    case 1001:
        *elem = K_BYTES;
        return true;
    case 1005:
    case 1007:
    case 1016:
        *elem = K_INT;
        return true;
    case 1021:
    case 1022:
        *elem = K_DOUBLE;
        return true;
    case 1231:
        *elem = K_DECIMAL;
        return true;
    case 1115:
    case 1185:
        *elem = K_DATETIME;
        return true;
    case 199:
    case 3807:
        *elem = K_JSON;
        return true;
    case 1009:
    case 1015:
    case 1014:
        *elem = K_TEXT;
        return true;
    default:
        return false;
    }
}

/* Whether a user-defined type (an enum, an array of an enum) is an array: asked once. */
static int user_type_is_array(bool *out, pg_conn *c, Oid oid, rorm_error *err)
{
    for (size_t i = 0; i < c->types.len; i++) {
        if (c->types.ptr[i].oid == oid) {
            *out = c->types.ptr[i].is_array;
            return RORM_OK;
        }
    }
    char num[16];
    snprintf(num, sizeof num, "%u", (unsigned)oid);
    const char *vals[1] = { num };
    PGresult *res = PQexecParams(c->pg, "SELECT typcategory FROM pg_catalog.pg_type WHERE oid = $1",
                                 1, NULL, vals, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        int rc = report(err, c, res);
        PQclear(res);
        return rc;
    }
    *out = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 'A';
    PQclear(res);
    user_type t = { oid, *out };
    if (rorm_vec_push(&c->types, t) != RORM_OK) {
        return rorm__error_oom(err);
    }
    return RORM_OK;
}

static int classify(col_info *ci, pg_conn *c, Oid oid, rorm_error *err)
{
    ci->elem = K_TEXT;
    switch (oid) {
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
    case OID_OID:
        ci->kind = K_INT;
        return RORM_OK;
    case OID_FLOAT4:
    case OID_FLOAT8:
        ci->kind = K_DOUBLE;
        return RORM_OK;
    case OID_BOOL:
        ci->kind = K_BOOL;
        return RORM_OK;
    case OID_NUMERIC:
        ci->kind = K_DECIMAL;
        return RORM_OK;
    case OID_TIMESTAMP:
    case OID_TIMESTAMPTZ:
    case OID_DATE:
        ci->kind = K_DATETIME;
        return RORM_OK;
    case OID_BYTEA:
        ci->kind = K_BYTES;
        return RORM_OK;
    case OID_JSON:
    case OID_JSONB:
        ci->kind = K_JSON;
        return RORM_OK;
    default:
        break;
    }
    if (known_array(oid, &ci->elem)) {
        ci->kind = K_ARRAY;
        return RORM_OK;
    }
    ci->kind = K_TEXT;
    if (oid >= FIRST_USER_OID) {
        bool is_array = false;
        int rc = user_type_is_array(&is_array, c, oid, err);
        if (rc != RORM_OK) {
            return rc;
        }
        if (is_array) {
            ci->kind = K_ARRAY;
            ci->elem = K_TEXT;
        }
    }
    return RORM_OK;
}

static void free_stmt(pg_stmt *s)
{
    if (s->names) {
        for (int i = 0; i < s->ncols; i++) {
            rorm__free(s->names[i]);
        }
    }
    if (s->decoded) {
        for (int i = 0; i < s->ncols; i++) {
            rorm_value_dispose(&s->decoded[i]);
        }
    }
    if (s->slots) {
        for (size_t i = 0; i < s->base.nparams; i++) {
            rorm__free(s->slots[i].owned);
        }
    }
    PQclear(s->res);
    rorm__free(s->sql);
    rorm__free(s->names);
    rorm__free(s->cols);
    rorm__free(s->decoded);
    rorm__free(s->values);
    rorm__free(s->lengths);
    rorm__free(s->formats);
    rorm__free(s->slots);
    rorm__free(s);
}

/* Drain a pipeline up to and including its sync point. */
static void drain_pipeline(pg_conn *c)
{
    for (int guard = 0; guard < 16; guard++) {
        PGresult *r = PQgetResult(c->pg);
        if (r == NULL) {
            continue; /* the end of one query's results */
        }
        ExecStatusType st = PQresultStatus(r);
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC) {
            return;
        }
    }
}

/*
 * Prepare @p text as @p name and describe it (parameter count, result columns) in one round
 * trip: both messages go out in a pipeline. Falls back to two calls when the pipeline cannot
 * be entered. On success `*desc_out` is the describe result (the caller clears it).
 */
static int prepare_and_describe(
    PGresult **desc_out, pg_conn *c, const char *name, const char *text, rorm_error *err)
{
    *desc_out = NULL;
    if (PQenterPipelineMode(c->pg) != 1) {
        PGresult *res = PQprepare(c->pg, name, text, 0, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            int rc = report(err, c, res);
            PQclear(res);
            return rc;
        }
        PQclear(res);
        res = PQdescribePrepared(c->pg, name);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            int rc = report(err, c, res);
            PQclear(res);
            return rc;
        }
        *desc_out = res;
        return RORM_OK;
    }
    int rc = RORM_OK;
    if (PQsendPrepare(c->pg, name, text, 0, NULL) != 1 ||
        PQsendDescribePrepared(c->pg, name) != 1 || PQpipelineSync(c->pg) != 1) {
        rc = report(err, c, NULL);
        PQexitPipelineMode(c->pg);
        if (PQstatus(c->pg) != CONNECTION_OK) {
            c->base.broken = true;
        }
        return rc;
    }
    /* The prepare's result, then the end of its results. */
    PGresult *prep = PQgetResult(c->pg);
    if (prep != NULL) {
        PQclear(PQgetResult(c->pg));
    }
    PGresult *desc = PQgetResult(c->pg);
    if (desc != NULL && PQresultStatus(desc) != PGRES_PIPELINE_SYNC) {
        PQclear(PQgetResult(c->pg));
    }
    if (prep == NULL || PQresultStatus(prep) != PGRES_COMMAND_OK) {
        rc = prep ? report(err, c, prep) : report(err, c, NULL);
    } else if (desc == NULL || PQresultStatus(desc) != PGRES_COMMAND_OK) {
        rc = desc ? report(err, c, desc) : report(err, c, NULL);
    }
    bool synced = desc != NULL && PQresultStatus(desc) == PGRES_PIPELINE_SYNC;
    PQclear(prep);
    if (rc == RORM_OK) {
        *desc_out = desc;
    } else {
        PQclear(desc);
    }
    if (!synced && PQstatus(c->pg) == CONNECTION_OK) {
        drain_pipeline(c);
    }
    if (PQexitPipelineMode(c->pg) != 1) {
        /* Results left over mean the connection's state is unknown: do not reuse it. */
        c->base.broken = true;
    }
    if (rc != RORM_OK) {
        PQclear(*desc_out);
        *desc_out = NULL;
    }
    return rc;
}

static int
pg_prepare(rorm_stmt **out, rorm_conn *conn, const char *sql, size_t len, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    RORM_CHECK_ARG(conn != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    *out = NULL;
    pg_conn *c = to_conn(conn);
    if (memchr(sql, '\0', len) != NULL) {
        return rorm__error(err, RORM_EINVAL, "SQL text contains a NUL byte");
    }
    flush_deallocate(c);
    /* PQprepare wants NUL-terminated text; the core's texts are, but not always at len. */
    char *text = rorm__malloc(len + 1);
    if (text == NULL) {
        return rorm__error_oom(err);
    }
    memcpy(text, sql, len);
    text[len] = '\0';
    pg_stmt *s = rorm__calloc(1, sizeof *s);
    if (s == NULL) {
        rorm__free(text);
        return rorm__error_oom(err);
    }
    s->base.conn = conn;
    snprintf(s->name, sizeof s->name, "rorm_%u", ++c->next_id);
    PGresult *res = NULL;
    int rc = prepare_and_describe(&res, c, s->name, text, err);
    if (rc != RORM_OK) {
        rorm__free(text);
        rorm__free(s);
        return rc;
    }
    s->sql = text;
    int np = PQnparams(res), nc = PQnfields(res);
    s->base.nparams = (size_t)np;
    s->ncols = nc;
    size_t npa = np ? (size_t)np : 1, nca = nc ? (size_t)nc : 1;
    s->values = rorm__calloc(npa, sizeof *s->values);
    s->lengths = rorm__calloc(npa, sizeof *s->lengths);
    s->formats = rorm__calloc(npa, sizeof *s->formats);
    s->slots = rorm__calloc(npa, sizeof *s->slots);
    s->cols = rorm__calloc(nca, sizeof *s->cols);
    s->names = rorm__calloc(nca, sizeof *s->names);
    s->decoded = rorm__calloc(nca, sizeof *s->decoded);
    if (!s->values || !s->lengths || !s->formats || !s->slots || !s->cols || !s->names ||
        !s->decoded) {
        rc = rorm__error_oom(err);
    }
    for (int i = 0; rc == RORM_OK && i < nc; i++) {
        s->names[i] = rorm__strdup(PQfname(res, i));
        if (s->names[i] == NULL) {
            rc = rorm__error_oom(err);
        }
    }
    /* Type lookups below run queries of their own: the describe result is read first. */
    Oid *types = rc == RORM_OK ? rorm__calloc(nca, sizeof *types) : NULL;
    if (rc == RORM_OK && types == NULL) {
        rc = rorm__error_oom(err);
    }
    for (int i = 0; rc == RORM_OK && i < nc; i++) {
        types[i] = PQftype(res, i);
    }
    PQclear(res);
    for (int i = 0; rc == RORM_OK && i < nc; i++) {
        rc = classify(&s->cols[i], c, types[i], err);
    }
    rorm__free(types);
    if (rc != RORM_OK) {
        free_stmt(s);
        return rc;
    }
    *out = &s->base;
    return RORM_OK;
}

/* ---- binding ------------------------------------------------------------------------------ */

/* "YYYY-MM-DD HH:MM:SS.mmm" (with " BC" before year 1), the timestamp input PostgreSQL takes. */
static int format_timestamp(char *buf, size_t size, int64_t ms)
{
    int64_t y;
    int mo, d, h, mi, s, milli;
    rorm__civil_from_ms(ms, &y, &mo, &d, &h, &mi, &s, &milli);
    bool bc = y <= 0;
    return snprintf(buf, size, "%04lld-%02d-%02d %02d:%02d:%02d.%03d%s",
                    (long long)(bc ? 1 - y : y), mo, d, h, mi, s, milli, bc ? " BC" : "");
}

static void put_hex(rorm_str *out, const uint8_t *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (rorm__str_grow(out, 2 * n + 3) != RORM_OK) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        out->ptr[out->len++] = hex[p[i] >> 4];
        out->ptr[out->len++] = hex[p[i] & 0xf];
    }
    out->ptr[out->len] = '\0';
}

/* Append one array element, double-quoted with backslash escapes, or NULL. */
static int put_array_element(rorm_str *out, const rorm_value *v, rorm_error *err)
{
    char buf[48];
    const char *p = NULL;
    size_t n = 0;
    switch (v->type) {
    case RORM_TYPE_NULL:
        rorm__str_puts(out, "NULL");
        return RORM_OK;
    case RORM_TYPE_BOOL:
        rorm__str_puts(out, v->u.b ? "t" : "f");
        return RORM_OK;
    case RORM_TYPE_INT:
        rorm__str_put_int(out, v->u.i);
        return RORM_OK;
    case RORM_TYPE_DOUBLE:
        n = (size_t)snprintf(buf, sizeof buf, "%.17g", v->u.d);
        p = buf;
        break;
    case RORM_TYPE_DATETIME:
        n = (size_t)format_timestamp(buf, sizeof buf, v->u.ms);
        p = buf;
        break;
    case RORM_TYPE_BYTES:
        rorm__str_puts(out, "\"\\\\x");
        put_hex(out, v->u.bytes.ptr, v->u.bytes.len);
        rorm__str_putc(out, '"');
        return RORM_OK;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        p = v->u.s.ptr;
        n = v->u.s.len;
        if (memchr(p, '\0', n) != NULL) {
            return rorm__error(err, RORM_EINVAL, "PostgreSQL text cannot contain NUL bytes");
        }
        break;
    default: {
        char *json = NULL;
        size_t len = 0;
        if (rorm_value_to_json(&json, &len, v) != RORM_OK) {
            return rorm__error_oom(err);
        }
        rorm_value tmp = RORM_JSON(json);
        int rc = put_array_element(out, &tmp, err);
        rorm_free(json);
        return rc;
    }
    }
    rorm__str_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"' || p[i] == '\\') {
            rorm__str_putc(out, '\\');
        }
        rorm__str_putc(out, p[i]);
    }
    rorm__str_putc(out, '"');
    return RORM_OK;
}

static int bind_owned(pg_stmt *s, size_t i, rorm_str *text, rorm_error *err)
{
    if (rorm__str_oom(text)) {
        rorm__str_dispose(text);
        return rorm__error_oom(err);
    }
    if (text->len > INT_MAX) {
        rorm__str_dispose(text);
        return rorm__error(err, RORM_EINVAL, "parameter %zu is too large", i);
    }
    s->lengths[i] = (int)text->len;
    s->slots[i].owned = rorm__str_detach(text);
    if (s->slots[i].owned == NULL) {
        s->slots[i].owned = rorm__strdup("");
        if (s->slots[i].owned == NULL) {
            return rorm__error_oom(err);
        }
    }
    s->values[i] = s->slots[i].owned;
    return RORM_OK;
}

static int pg_bind(rorm_stmt *stmt, size_t index, const rorm_value *value, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    RORM_CHECK_ARG(value != NULL, err);
    pg_stmt *s = to_stmt(stmt);
    if (index >= stmt->nparams) {
        return rorm__error(err, RORM_EINVAL,
                           "parameter index %zu out of range: the statement takes %zu", index,
                           stmt->nparams);
    }
    param_slot *slot = &s->slots[index];
    rorm__free(slot->owned);
    slot->owned = NULL;
    s->formats[index] = 0;
    s->lengths[index] = 0;
    switch (value->type) {
    case RORM_TYPE_NULL:
        s->values[index] = NULL;
        return RORM_OK;
    case RORM_TYPE_BOOL:
        s->values[index] = value->u.b ? "t" : "f";
        return RORM_OK;
    case RORM_TYPE_INT:
        snprintf(slot->buf, sizeof slot->buf, "%lld", (long long)value->u.i);
        s->values[index] = slot->buf;
        return RORM_OK;
    case RORM_TYPE_DOUBLE:
        if (value->u.d != value->u.d) {
            snprintf(slot->buf, sizeof slot->buf, "NaN");
        } else if (value->u.d > 1.7976931348623157e308) {
            snprintf(slot->buf, sizeof slot->buf, "Infinity");
        } else if (value->u.d < -1.7976931348623157e308) {
            snprintf(slot->buf, sizeof slot->buf, "-Infinity");
        } else {
            snprintf(slot->buf, sizeof slot->buf, "%.17g", value->u.d);
        }
        s->values[index] = slot->buf;
        return RORM_OK;
    case RORM_TYPE_DATETIME:
        format_timestamp(slot->buf, sizeof slot->buf, value->u.ms);
        s->values[index] = slot->buf;
        return RORM_OK;
    case RORM_TYPE_TEXT:
    case RORM_TYPE_DECIMAL:
    case RORM_TYPE_JSON:
        if (memchr(value->u.s.ptr, '\0', value->u.s.len) != NULL) {
            return rorm__error(err, RORM_EINVAL,
                               "parameter %zu: PostgreSQL text cannot contain NUL bytes", index);
        }
        if (!rorm__utf8_valid(value->u.s.ptr, value->u.s.len)) {
            return rorm__error(err, RORM_EINVAL,
                               "parameter %zu: text is not valid UTF-8 (PostgreSQL refuses it)",
                               index);
        }
        s->values[index] = value->u.s.ptr;
        return RORM_OK;
    case RORM_TYPE_BYTES:
        if (value->u.bytes.len > INT_MAX) {
            return rorm__error(err, RORM_EINVAL, "parameter %zu is too large", index);
        }
        s->values[index] = value->u.bytes.len ? (const char *)value->u.bytes.ptr : "";
        s->lengths[index] = (int)value->u.bytes.len;
        s->formats[index] = 1; /* binary: bytea goes as it is */
        return RORM_OK;
    case RORM_TYPE_ARRAY: {
        int check = rorm__json_param_check(value, index, err);
        if (check != RORM_OK) {
            return check;
        }
        rorm_str text = RORM_STR_INIT;
        rorm__str_putc(&text, '{');
        for (size_t i = 0; i < value->u.arr.len; i++) {
            if (i) {
                rorm__str_putc(&text, ',');
            }
            int rc = put_array_element(&text, &value->u.arr.items[i], err);
            if (rc != RORM_OK) {
                rorm__str_dispose(&text);
                return rc;
            }
        }
        rorm__str_putc(&text, '}');
        return bind_owned(s, index, &text, err);
    }
    case RORM_TYPE_OBJECT: {
        char *json = NULL;
        size_t len = 0;
        int check = rorm__json_param_check(value, index, err);
        if (check != RORM_OK) {
            return check;
        }
        if (rorm_value_to_json(&json, &len, value) != RORM_OK) {
            return rorm__error_oom(err);
        }
        rorm_str text = RORM_STR_INIT;
        rorm__str_put(&text, json, len);
        rorm_free(json);
        return bind_owned(s, index, &text, err);
    }
    default:
        return rorm__error(err, RORM_EINVAL, "cannot bind parameter %zu: unknown value type %u",
                           index, value->type);
    }
}

/* ---- results ------------------------------------------------------------------------------ */

/* "cached plan must not change result type" (0A000) or an unknown statement name (26000). */
static bool reprepare_wanted(pg_conn *c, const PGresult *res)
{
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    return state && (strcmp(state, "0A000") == 0 || strcmp(state, "26000") == 0) &&
           PQtransactionStatus(c->pg) == PQTRANS_IDLE && PQstatus(c->pg) == CONNECTION_OK;
}

/* Prepare the statement's text again under a new name; the column layout must not change. */
static int reprepare(pg_stmt *s, pg_conn *c, rorm_error *err)
{
    char name[24];
    snprintf(name, sizeof name, "rorm_%u", ++c->next_id);
    PGresult *desc = NULL;
    int rc = prepare_and_describe(&desc, c, name, s->sql, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (PQnparams(desc) != (int)s->base.nparams || PQnfields(desc) != s->ncols) {
        PQclear(desc);
        return rorm__error(err, RORM_ESTATE,
                           "the statement's parameters or columns changed with the table: "
                           "prepare it again");
    }
    int nc = s->ncols;
    Oid types[64];
    Oid *t = nc <= 64 ? types : rorm__calloc((size_t)nc, sizeof *t);
    if (t == NULL) {
        PQclear(desc);
        return rorm__error_oom(err);
    }
    for (int i = 0; i < nc; i++) {
        t[i] = PQftype(desc, i);
    }
    PQclear(desc);
    for (int i = 0; rc == RORM_OK && i < nc; i++) {
        rc = classify(&s->cols[i], c, t[i], err);
    }
    if (t != types) {
        rorm__free(t);
    }
    if (rc == RORM_OK) {
        rorm__str_printf(&c->deallocate, "DEALLOCATE %s;", s->name);
        memcpy(s->name, name, sizeof name);
    }
    return rc;
}

/* Read and drop what is left of a streamed run, up to the end of its results. */
static void drain(pg_stmt *s, pg_conn *c)
{
    PQclear(s->res);
    s->res = NULL;
    if (s->sent) {
        PGresult *r;
        while ((r = PQgetResult(c->pg)) != NULL) {
            PQclear(r);
        }
        s->sent = false;
    }
}

/*
 * A streamed run: the query goes out once in single-row mode, then each step takes one result
 * of one row from the connection; the final (empty) result or an error ends the run.
 */
static int step_stream(pg_stmt *s, pg_conn *c, rorm_error *err)
{
    if (!s->sent && !s->ended) {
        if (PQsendQueryPrepared(c->pg, s->name, (int)s->base.nparams, s->values, s->lengths,
                                s->formats, 0) != 1) {
            return report(err, c, NULL);
        }
        s->sent = true;
        if (PQsetSingleRowMode(c->pg) != 1) {
            drain(s, c);
            return rorm__error(err, RORM_EDRIVER, "PostgreSQL refused single-row mode");
        }
    }
    PQclear(s->res);
    s->res = NULL;
    if (!s->sent) {
        s->row = s->nrows = 0;
        return 0;
    }
    s->ended = true;
    s->res = PQgetResult(c->pg);
    ExecStatusType st = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
    if (st == PGRES_SINGLE_TUPLE) {
        s->row = 0;
        s->nrows = 1;
        return 1;
    }
    int rc = 0;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        rc = report(err, c, s->res);
    }
    drain(s, c);
    s->row = s->nrows = 0;
    return rc;
}

static int pg_step(rorm_stmt *stmt, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    pg_stmt *s = to_stmt(stmt);
    pg_conn *c = to_conn(stmt->conn);
    for (int i = 0; i < s->ncols; i++) {
        rorm_value_dispose(&s->decoded[i]);
    }
    if (s->stream) {
        return step_stream(s, c, err);
    }
    if (s->res == NULL) {
        s->res = PQexecPrepared(c->pg, s->name, (int)stmt->nparams, s->values, s->lengths,
                                s->formats, 0);
        ExecStatusType st = PQresultStatus(s->res);
        if (st == PGRES_FATAL_ERROR && reprepare_wanted(c, s->res)) {
            /* The table changed under a cached plan (or the statement is gone): prepare the
               same text again and run it once more. Outside a transaction only, where the
               failure aborted nothing. */
            PQclear(s->res);
            s->res = NULL;
            int rc = reprepare(s, c, err);
            if (rc != RORM_OK) {
                return rc;
            }
            s->res = PQexecPrepared(c->pg, s->name, (int)stmt->nparams, s->values, s->lengths,
                                    s->formats, 0);
            st = PQresultStatus(s->res);
        }
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            int rc = s->res ? report(err, c, s->res) : report(err, c, NULL);
            PQclear(s->res);
            s->res = NULL;
            return rc;
        }
        const char *n = PQcmdTuples(s->res);
        s->changes = n && *n ? strtoll(n, NULL, 10) : 0;
        s->nrows = PQntuples(s->res);
        s->row = -1;
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return 1;
    }
    s->row = s->nrows;
    return 0;
}

static size_t pg_column_count(rorm_stmt *stmt)
{
    return (size_t)to_stmt(stmt)->ncols;
}

static const char *pg_column_name(rorm_stmt *stmt, size_t col)
{
    pg_stmt *s = to_stmt(stmt);
    return col < (size_t)s->ncols ? s->names[col] : NULL;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* Decode bytea's text output ("\x0a1b...") into an owned BYTES value. */
static int decode_bytea(rorm_value *out, const char *p, size_t n, rorm_error *err)
{
    if (n < 2 || p[0] != '\\' || p[1] != 'x' || (n % 2) != 0) {
        return rorm__error(err, RORM_EDRIVER, "unexpected bytea text from the server");
    }
    size_t len = (n - 2) / 2;
    uint8_t *buf = rorm__malloc(len ? len : 1);
    if (buf == NULL) {
        return rorm__error_oom(err);
    }
    for (size_t i = 0; i < len; i++) {
        int hi = hexval(p[2 + 2 * i]), lo = hexval(p[3 + 2 * i]);
        if (hi < 0 || lo < 0) {
            rorm__free(buf);
            return rorm__error(err, RORM_EDRIVER, "unexpected bytea text from the server");
        }
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    memset(out, 0, sizeof *out);
    out->type = RORM_TYPE_BYTES;
    out->u.bytes.ptr = buf;
    out->u.bytes.len = len;
    return RORM_OK;
}

static int parse_digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char ch = (*p)[i];
        if (ch < '0' || ch > '9') {
            return -1;
        }
        v = v * 10 + (ch - '0');
    }
    *p += n;
    return v;
}

/* Parse "YYYY-MM-DD[ HH:MM:SS[.fff]][+TZ][ BC]" (ISO DateStyle) into UTC milliseconds. */
static bool parse_timestamp(int64_t *out, const char *p)
{
    if (strcmp(p, "infinity") == 0 || strcmp(p, "-infinity") == 0) {
        return false;
    }
    int64_t year = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        year = year * 10 + (*p++ - '0');
        digits++;
    }
    if (digits < 4 || *p++ != '-') {
        return false;
    }
    int mon = parse_digits(&p, 2);
    if (mon < 0 || *p++ != '-') {
        return false;
    }
    int day = parse_digits(&p, 2);
    int h = 0, mi = 0, s = 0, ms = 0;
    if (day < 0) {
        return false;
    }
    if (*p == ' ' || *p == 'T') {
        p++;
        h = parse_digits(&p, 2);
        if (h < 0 || *p++ != ':') {
            return false;
        }
        mi = parse_digits(&p, 2);
        if (mi < 0 || *p++ != ':') {
            return false;
        }
        s = parse_digits(&p, 2);
        if (s < 0) {
            return false;
        }
        if (*p == '.') {
            p++;
            int scale = 100;
            while (*p >= '0' && *p <= '9') {
                ms += (*p++ - '0') * scale;
                scale /= 10;
            }
        }
    }
    int tz_min = 0;
    if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        int th = parse_digits(&p, 2), tm = 0;
        if (th < 0) {
            return false;
        }
        if (*p == ':') {
            p++;
            tm = parse_digits(&p, 2);
            if (tm < 0) {
                return false;
            }
            if (*p == ':') {
                p++;
                if (parse_digits(&p, 2) < 0) {
                    return false;
                }
            }
        }
        tz_min = sign * (th * 60 + tm);
    }
    if (strcmp(p, " BC") == 0) {
        year = 1 - year;
    } else if (*p != '\0') {
        return false;
    }
    *out = rorm__ms_from_civil(year, mon, day, h, mi, s, ms) - (int64_t)tz_min * 60000;
    return true;
}

/* Convert one text value of kind @p kind into @p out (owned when it allocates). */
static int convert_text(rorm_value *out, unsigned kind, const char *p, size_t n, rorm_error *err)
{
    memset(out, 0, sizeof *out);
    out->flags = RORM_VALUE_BORROWED;
    switch (kind) {
    case K_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (errno || *end) {
            return rorm__error(err, RORM_EDRIVER, "unexpected integer text '%.40s'", p);
        }
        out->type = RORM_TYPE_INT;
        out->u.i = v;
        return RORM_OK;
    }
    case K_DOUBLE:
        out->type = RORM_TYPE_DOUBLE;
        out->u.d = strtod(p, NULL); /* also NaN, Infinity, -Infinity */
        return RORM_OK;
    case K_BOOL:
        out->type = RORM_TYPE_BOOL;
        out->u.b = p[0] == 't';
        return RORM_OK;
    case K_DATETIME: {
        int64_t ms;
        if (!parse_timestamp(&ms, p)) {
            return rorm__error(err, RORM_EDRIVER, "cannot read timestamp '%.40s'", p);
        }
        out->type = RORM_TYPE_DATETIME;
        out->u.ms = ms;
        return RORM_OK;
    }
    case K_BYTES:
        return decode_bytea(out, p, n, err);
    case K_DECIMAL:
        out->type = RORM_TYPE_DECIMAL;
        break;
    case K_JSON:
        out->type = RORM_TYPE_JSON;
        break;
    default:
        out->type = RORM_TYPE_TEXT;
        break;
    }
    out->u.s.ptr = p;
    out->u.s.len = n;
    return RORM_OK;
}

/*
 * Parse a one-dimensional array literal ("{a,\"b c\",NULL}") into an owned array of values of
 * kind @p elem.
 */
static int parse_array(rorm_value *out, unsigned elem, const char *p, rorm_error *err)
{
    rorm_value_init_array(out);
    if (*p == '[') { /* explicit bounds: "[0:1]={...}" */
        p = strchr(p, '=');
        p = p ? p + 1 : "";
    }
    if (*p++ != '{') {
        rorm_value_dispose(out);
        return rorm__error(err, RORM_EDRIVER, "unexpected array text from the server");
    }
    rorm_str item = RORM_STR_INIT;
    int rc = RORM_OK;
    if (*p == '}') {
        p++;
    } else {
        for (;;) {
            rorm__str_clear(&item);
            bool quoted = false;
            if (*p == '"') {
                quoted = true;
                p++;
                while (*p && *p != '"') {
                    if (*p == '\\' && p[1]) {
                        p++;
                    }
                    rorm__str_putc(&item, *p++);
                }
                if (*p++ != '"') {
                    rc = rorm__error(err, RORM_EDRIVER, "unterminated array element");
                    break;
                }
            } else {
                while (*p && *p != ',' && *p != '}') {
                    if (*p == '{') {
                        rc = rorm__error(err, RORM_EUNSUPPORTED,
                                         "multi-dimensional arrays are not supported");
                        break;
                    }
                    rorm__str_putc(&item, *p++);
                }
                if (rc != RORM_OK) {
                    break;
                }
            }
            if (rorm__str_oom(&item)) {
                rc = rorm__error_oom(err);
                break;
            }
            rorm_value v, owned;
            rorm_value_init(&owned);
            if (!quoted && item.len == 4 && strcmp(item.ptr ? item.ptr : "", "NULL") == 0) {
                rorm_value_init(&owned);
            } else {
                const char *txt = item.ptr ? item.ptr : "";
                rc = convert_text(&v, elem, txt, item.len, err);
                if (rc == RORM_OK) {
                    if (v.flags & RORM_VALUE_BORROWED) {
                        rc =
                            rorm_value_copy(&owned, &v) == RORM_OK ? RORM_OK : rorm__error_oom(err);
                    } else {
                        owned = v;
                    }
                }
            }
            if (rc == RORM_OK && rorm_value_array_push_take(out, &owned) != RORM_OK) {
                rorm_value_dispose(&owned);
                rc = rorm__error_oom(err);
            }
            if (rc != RORM_OK) {
                break;
            }
            if (*p == ',') {
                p++;
                continue;
            }
            if (*p == '}') {
                p++;
                break;
            }
            rc = rorm__error(err, RORM_EDRIVER, "unexpected array text from the server");
            break;
        }
    }
    rorm__str_dispose(&item);
    if (rc != RORM_OK) {
        rorm_value_dispose(out);
    }
    return rc;
}

static int pg_column(rorm_stmt *stmt, size_t col, rorm_value *out, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    RORM_CHECK_ARG(out != NULL, err);
    pg_stmt *s = to_stmt(stmt);
    if (col >= (size_t)s->ncols || s->res == NULL || s->row < 0 || s->row >= s->nrows) {
        return rorm__error(err, RORM_EINVAL, "column %zu is not available", col);
    }
    int c = (int)col;
    memset(out, 0, sizeof *out);
    out->flags = RORM_VALUE_BORROWED;
    if (PQgetisnull(s->res, s->row, c)) {
        out->type = RORM_TYPE_NULL;
        return RORM_OK;
    }
    const char *p = PQgetvalue(s->res, s->row, c);
    size_t n = (size_t)PQgetlength(s->res, s->row, c);
    unsigned kind = s->cols[c].kind;
    if (kind == K_BYTES || kind == K_ARRAY) {
        rorm_value_dispose(&s->decoded[c]);
        int rc = kind == K_BYTES ? decode_bytea(&s->decoded[c], p, n, err)
                                 : parse_array(&s->decoded[c], s->cols[c].elem, p, err);
        if (rc != RORM_OK) {
            return rc;
        }
        *out = s->decoded[c];
        out->flags |= RORM_VALUE_BORROWED;
        return RORM_OK;
    }
    return convert_text(out, kind, p, n, err);
}

static int64_t pg_changes(rorm_stmt *stmt)
{
    return to_stmt(stmt)->changes;
}

/* The key returned by INSERT ... RETURNING (the dialect appends it for generated keys). */
static int64_t pg_last_insert_id(rorm_stmt *stmt)
{
    pg_stmt *s = to_stmt(stmt);
    if (s->res == NULL || s->nrows < 1 || s->ncols < 1 || PQgetisnull(s->res, 0, 0)) {
        return 0;
    }
    return strtoll(PQgetvalue(s->res, 0, 0), NULL, 10);
}

static void pg_reset(rorm_stmt *stmt)
{
    if (stmt == NULL) {
        return;
    }
    pg_stmt *s = to_stmt(stmt);
    drain(s, to_conn(stmt->conn));
    s->ended = false;
    s->row = -1;
    s->nrows = 0;
    for (int i = 0; i < s->ncols; i++) {
        rorm_value_dispose(&s->decoded[i]);
    }
    for (size_t i = 0; i < stmt->nparams; i++) {
        rorm__free(s->slots[i].owned);
        s->slots[i].owned = NULL;
        s->values[i] = NULL;
        s->lengths[i] = 0;
        s->formats[i] = 0;
    }
}

static void pg_finalize(rorm_stmt *stmt)
{
    if (stmt == NULL) {
        return;
    }
    pg_stmt *s = to_stmt(stmt);
    pg_conn *c = to_conn(stmt->conn);
    drain(s, c);
    /* The server-side statement goes with the next prepare (or with the connection). */
    rorm__str_printf(&c->deallocate, "DEALLOCATE %s;", s->name);
    free_stmt(s);
}

static int pg_stream(rorm_stmt *stmt, rorm_error *err)
{
    RORM_CHECK_ARG(stmt != NULL, err);
    pg_stmt *s = to_stmt(stmt);
    s->stream = true;
    return RORM_OK;
}

static int pg_ping(rorm_conn *conn)
{
    pg_conn *c = to_conn(conn);
    PGresult *res = PQexec(c->pg, "");
    bool ok = PQresultStatus(res) == PGRES_EMPTY_QUERY && PQstatus(c->pg) == CONNECTION_OK;
    PQclear(res);
    if (!ok) {
        conn->broken = true;
        return RORM_ECONNECTION;
    }
    return RORM_OK;
}

/*
 * Between requests the server sends nothing unless it is going away (a shutdown or a terminated
 * backend: an error message, then end of file) or has a notice: read what came and see whether
 * the connection survived it. No round trip.
 */
static bool pg_alive(rorm_conn *conn)
{
    pg_conn *c = to_conn(conn);
    if (PQstatus(c->pg) == CONNECTION_OK && !rorm__socket_readable(PQsocket(c->pg))) {
        return true;
    }
    if (PQstatus(c->pg) == CONNECTION_OK && PQconsumeInput(c->pg) == 1 &&
        PQstatus(c->pg) == CONNECTION_OK && !rorm__socket_readable(PQsocket(c->pg))) {
        PGnotify *n;
        while ((n = PQnotifies(c->pg)) != NULL) {
            PQfreemem(n);
        }
        return true;
    }
    conn->broken = true;
    return false;
}

const rorm_driver rorm__driver_postgres = {
    .version = RORM_DRIVER_VERSION,
    .scheme = "postgresql",
    .db_type = RORM_DB_POSTGRES,
    .caps = RORM_CAP_RETURNING | RORM_CAP_SAVEPOINTS | RORM_CAP_TRANSACTIONAL_DDL |
            RORM_CAP_UPSERT_ON_CONFLICT | RORM_CAP_NATIVE_ENUMS | RORM_CAP_NATIVE_ARRAYS,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind = pg_bind,
    .step = pg_step,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
    .column = pg_column,
    .changes = pg_changes,
    .last_insert_id = pg_last_insert_id,
    .reset = pg_reset,
    .finalize = pg_finalize,
    .ping = pg_ping,
    .stream = pg_stream,
    .alive = pg_alive,
};
