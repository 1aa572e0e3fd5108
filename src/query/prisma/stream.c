/*
 * Streams: a findMany whose records come out one at a time (rorm_db_stream), so that memory
 * stays bounded however many rows match. The arguments go through the same validation and SQL
 * compilation as rorm_db_call(); the statement is prepared afresh (not from the connection's
 * cache, which another call could reset under it) and run in the driver's streaming mode:
 * SQLite steps row by row anyway, PostgreSQL uses single-row mode, MySQL an unbuffered fetch.
 * The connection stays with the cursor until rorm_cursor_close().
 */
#include "query/prisma/pc.h"

#include <string.h>

#include "core/json.h"
#include "rediorm/sys/driver.h"
#include "util/alloc.h"
#include "util/error.h"

struct rorm_cursor {
    pc_ctx ctx;
    rorm_value args; /* a copy: the query and its bound values point into it */
    rorm_db *db;
    rorm_conn *conn; /* held until close */
    rorm_stmt *stmt; /* prepared for this cursor alone */
    pc_sql sql;
    pc_col *cols;
    size_t ncols;
    rorm_value *cells; /* scratch for one row */
    int state;         /* 0 open, 1 done, < 0 the error that ended it */
    rorm_error failure;
};

/* What a stream cannot do: what needs every row at once, or other statements per batch. */
static int check_streamable(pc_ctx *ctx, const char *model)
{
    const pc_query *q = &ctx->q;
    const char *what = NULL;
    if (q->nincludes > 0 || q->has_counts) {
        what = "relations (include, a relation or _count in select)";
    } else if (q->ndistinct > 0) {
        what = "distinct";
    } else if (q->has_take && q->take < 0) {
        what = "a negative take";
    }
    if (what == NULL) {
        return RORM_OK;
    }
    return rorm__error(ctx->err, RORM_EUNSUPPORTED,
                       "stream() of %.40s does not support %s: stream the records and load "
                       "related ones with findMany in batches",
                       model, what);
}

/* Mark every transaction handle sharing the connection, from @p db up to the outermost. */
static void count_stream(rorm_db *db, int delta)
{
    for (rorm_db *t = db; t && t->conn; t = t->parent) {
        t->open_streams += delta;
    }
}

static int open_statement(rorm_cursor *cur, rorm_error *err)
{
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, cur->db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    cur->conn = conn;
    count_stream(cur->db, 1);
    const rorm_driver *drv = conn->driver;
    rc = drv->prepare(&cur->stmt, conn, cur->sql.text.ptr, cur->sql.text.len, err);
    for (size_t i = 0; rc == RORM_OK && i < cur->sql.params.len; i++) {
        rc = drv->bind(cur->stmt, i, cur->sql.params.ptr[i], err);
    }
    if (rc == RORM_OK && drv->version >= 3 && drv->stream) {
        rc = drv->stream(cur->stmt, err);
    }
    return rc;
}

int rorm_db_stream(
    rorm_cursor **out, rorm_db *db, const char *model, const rorm_value *args, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(db != NULL, err);
    rorm_cursor *cur = rorm__calloc(1, sizeof *cur);
    if (cur == NULL) {
        return rorm__error_oom(err);
    }
    cur->db = db;
    cur->ctx.err = err;
    rorm__pc_arena_init(&cur->ctx.arena);
    rorm__pc_sql_init(&cur->sql, db->dialect);
    rorm_value_init(&cur->args);
    /* The depth is checked before the copy recurses over the tree. */
    int rc = rorm__pc_check_depth(args, model, "stream", err);
    if (rc == RORM_OK && args && rorm_value_copy(&cur->args, args) != RORM_OK) {
        rc = rorm__error_oom(err);
    }
    if (rc == RORM_OK) {
        rc = rorm__pc_parse(&cur->ctx, db, model, "findMany", &cur->args);
    }
    if (rc == RORM_OK) {
        rc = check_streamable(&cur->ctx, model);
    }
    bool empty = false;
    if (rc == RORM_OK) {
        rc = rorm__pc_stream_sql(&cur->sql, &cur->cols, &cur->ncols, &empty, &cur->ctx);
    }
    if (rc == RORM_OK && (cur->sql.oom || rorm__str_oom(&cur->sql.text))) {
        rc = rorm__error_oom(err);
    }
    if (rc == RORM_OK &&
        (cur->cells = rorm__calloc(cur->ncols ? cur->ncols : 1, sizeof *cur->cells)) == NULL) {
        rc = rorm__error_oom(err);
    }
    if (rc == RORM_OK && empty) {
        cur->state = 1; /* the cursor row does not exist: nothing to read */
    } else if (rc == RORM_OK) {
        rc = open_statement(cur, err);
    }
    if (rc != RORM_OK) {
        rorm_cursor_close(cur);
        return rc;
    }
    *out = cur;
    return RORM_OK;
}

int rorm_db_stream_json(
    rorm_cursor **out, rorm_db *db, const char *model, const char *args_json, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    rorm_value args;
    rorm_value_init(&args);
    int rc = RORM_OK;
    if (args_json && *args_json) {
        rc = rorm__json_parse(&args, args_json, strlen(args_json), err);
    }
    if (rc == RORM_OK) {
        rc = rorm_db_stream(out, db, model, &args, err);
    }
    rorm_value_dispose(&args);
    return rc;
}

/* Give the statement and the connection back (the rest of a server's rows is read and
   dropped by the driver's reset). */
static void release(rorm_cursor *cur)
{
    if (cur->stmt) {
        const rorm_driver *drv = cur->stmt->conn->driver;
        drv->reset(cur->stmt);
        drv->finalize(cur->stmt);
        cur->stmt = NULL;
    }
    if (cur->conn) {
        count_stream(cur->db, -1);
        rorm__db_release(cur->db, cur->conn);
        cur->conn = NULL;
    }
}

int rorm_cursor_next(rorm_value *row_out, rorm_cursor *cur, rorm_error *err)
{
    RORM_CHECK_ARG(row_out != NULL, err);
    rorm_value_init(row_out);
    RORM_CHECK_ARG(cur != NULL, err);
    if (cur->state == 1) {
        return 0;
    }
    if (cur->state < 0) {
        /* The error that ended the stream, again. */
        if (err) {
            *err = cur->failure;
        }
        return cur->state;
    }
    cur->ctx.err = err;
    int rc = cur->stmt->conn->driver->step(cur->stmt, err);
    if (rc == 1) {
        rc = rorm__pc_stream_record(row_out, &cur->ctx, cur->cols, cur->ncols, cur->stmt,
                                    cur->cells);
        if (rc == RORM_OK) {
            return 1;
        }
    }
    /* Done or failed: the connection goes back to the pool now, not at close. */
    if (rc < 0) {
        cur->state = rc;
        if (err) {
            cur->failure = *err;
        } else {
            cur->failure.code = rc;
        }
    } else {
        cur->state = 1;
    }
    release(cur);
    return rc;
}

void rorm_cursor_close(rorm_cursor *cur)
{
    if (cur == NULL) {
        return;
    }
    release(cur);
    rorm__free(cur->cells);
    rorm__pc_sql_dispose(&cur->sql);
    rorm__pc_arena_dispose(&cur->ctx.arena);
    rorm_value_dispose(&cur->args);
    rorm__free(cur);
}
