/*
 * The database handle: opening by URI or config, schema registration, transactions (a
 * transaction is a handle pinned to one connection), raw SQL, and table creation.
 */
#include "client/client.h"
#include "rediorm/migrate.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/uri.h"

int64_t rorm__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int rorm_db_open_config(rorm_db **out, const rorm_config *in, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(in != NULL, err);
    if (in->version < 1 || in->version > RORM_CONFIG_VERSION) {
        return rorm__error(err, RORM_EINVAL, "unsupported rorm_config version %u", in->version);
    }
    /* Work on a current-version copy: a version 1 struct ends at busy_timeout_ms. */
    rorm_config cfg = RORM_CONFIG_INIT;
    if (in->version == 1) {
        memcpy(&cfg, in, offsetof(rorm_config, busy_timeout_ms) + sizeof cfg.busy_timeout_ms);
        cfg.version = RORM_CONFIG_VERSION;
    } else {
        cfg = *in;
    }
    const rorm_config *config = &cfg;
    rorm_global_init();
    const rorm_driver *driver = rorm__driver_for_type(config->type);
    if (driver == NULL) {
        return rorm__error(err, RORM_EUNSUPPORTED,
                           "database type %u is not built into this library", config->type);
    }
    const rorm_dialect *dialect = rorm__dialect_for_type(config->type);
    if (dialect == NULL) {
        return rorm__error(err, RORM_EUNSUPPORTED, "no SQL dialect for database type %u",
                           config->type);
    }
    if (config->type == RORM_DB_SQLITE && (config->path == NULL || config->path[0] == '\0')) {
        return rorm__error(err, RORM_EINVAL, "a SQLite database needs a file path or ':memory:'");
    }
    unsigned max_open = config->max_connections ? config->max_connections : 4;
    unsigned timeout = config->busy_timeout_ms ? config->busy_timeout_ms : 5000;
    if (config->type == RORM_DB_SQLITE && strcmp(config->path, ":memory:") == 0) {
        /* Every SQLite connection to :memory: is its own database: share one connection. */
        max_open = 1;
    }
    rorm_db *db = rorm__calloc(1, sizeof *db);
    if (db == NULL) {
        return rorm__error_oom(err);
    }
    db->root = db;
    db->driver = driver;
    db->dialect = dialect;
    rorm__map_init(&db->models, NULL);
    rorm__sql_cache_init(db);
    int rc = rorm__pool_new(&db->pool, driver, config, max_open, timeout, err);
    if (rc != RORM_OK) {
        rorm__sql_cache_dispose(db);
        rorm__map_dispose(&db->models);
        rorm__free(db);
        return rc;
    }
    /* Connect once now so that a bad path or server is reported by open, not by the first query. */
    rorm_conn *conn = NULL;
    rc = rorm__pool_acquire(&conn, db->pool, err);
    if (rc != RORM_OK) {
        rorm_db_close(db);
        return rc;
    }
    rorm__pool_release(db->pool, conn);
    *out = db;
    return RORM_OK;
}

int rorm_db_open(rorm_db **out, const char *uri, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(uri != NULL, err);
    rorm_uri parsed;
    int rc = rorm__uri_parse(&parsed, uri, err);
    if (rc != RORM_OK) {
        return rc;
    }
    /* Parameters without a place in the version 1 fields. */
    parsed.config.schema = rorm__uri_param(&parsed, "schema");
    parsed.config.sslmode = rorm__uri_param(&parsed, "sslmode");
    parsed.config.charset = rorm__uri_param(&parsed, "charset");
    const char *timeout = rorm__uri_param(&parsed, "connect_timeout");
    if (timeout) {
        parsed.config.connect_timeout_s = (unsigned)strtoul(timeout, NULL, 10);
    }
    rc = rorm_db_open_config(out, &parsed.config, err);
    rorm__uri_dispose(&parsed);
    return rc;
}

int rorm__db_new_offline(rorm_db **out,
                         const rorm_dialect *dialect,
                         rorm_schema *schema,
                         rorm_error *err)
{
    *out = NULL;
    rorm_db *db = rorm__calloc(1, sizeof *db);
    if (db == NULL) {
        return rorm__error_oom(err);
    }
    db->root = db;
    db->dialect = dialect;
    rorm__map_init(&db->models, NULL);
    rorm__sql_cache_init(db);
    int rc = rorm_db_register(db, schema, err);
    if (rc != RORM_OK) {
        rorm_db_close(db);
        return rc;
    }
    *out = db;
    return RORM_OK;
}

void rorm_db_close(rorm_db *db)
{
    if (db == NULL || db->root != db) {
        return;
    }
    rorm__pool_free(db->pool);
    for (size_t i = 0; i < db->schemas.len; i++) {
        rorm_schema_release(db->schemas.ptr[i]);
    }
    rorm_vec_free(&db->schemas);
    rorm__map_dispose(&db->models);
    rorm__sql_cache_dispose(db);
    rorm__free(db);
}

unsigned rorm_db_type_of(const rorm_db *db)
{
    return db ? db->driver->db_type : RORM_DB_NONE;
}

int rorm_db_register(rorm_db *db, rorm_schema *schema, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    RORM_CHECK_ARG(schema != NULL, err);
    if (db->root != db) {
        return rorm__error(
            err, RORM_ESTATE,
            "schemas are registered on the database handle, not inside a transaction");
    }
    for (size_t i = 0; i < db->schemas.len; i++) {
        if (db->schemas.ptr[i] == schema) {
            return RORM_OK;
        }
    }
    int rc = rorm_schema_validate(schema, err);
    if (rc != RORM_OK) {
        return rc;
    }
    for (size_t i = 0; i < schema->models.len; i++) {
        const char *name = schema->models.ptr[i]->name;
        if (rorm__map_has(&db->models, name, strlen(name))) {
            return rorm__error(err, RORM_ESCHEMA,
                               "model '%s' is already registered by another schema", name);
        }
    }
    if (rorm_vec_reserve(&db->schemas, 1) != RORM_OK) {
        return rorm__error_oom(err);
    }
    size_t added = 0;
    for (; added < schema->models.len; added++) {
        rorm_model *m = schema->models.ptr[added];
        if (rorm__map_set(&db->models, m->name, strlen(m->name), m) != RORM_OK) {
            for (size_t j = 0; j < added; j++) {
                const char *name = schema->models.ptr[j]->name;
                rorm__map_remove(&db->models, name, strlen(name));
            }
            return rorm__error_oom(err);
        }
    }
    schema->frozen = true;
    rorm_schema_retain(schema);
    db->schemas.ptr[db->schemas.len++] = schema;
    return RORM_OK;
}

const rorm_model *rorm_db_model(const rorm_db *db, const char *name)
{
    if (db == NULL || name == NULL) {
        return NULL;
    }
    return rorm__map_get(&db->root->models, name, strlen(name));
}

int rorm__db_model(rorm_model **out, const rorm_db *db, const char *name, rorm_error *err)
{
    if (name == NULL) {
        return rorm__error(err, RORM_EINVAL, "model name is NULL");
    }
    const rorm_map *models = &db->root->models;
    rorm_model *m = rorm__map_get(models, name, strlen(name));
    if (m) {
        *out = m;
        return RORM_OK;
    }
    const char *best = rorm__suggest(models, name);
    if (best) {
        return rorm__error(err, RORM_EINVAL, "unknown model '%s' (did you mean '%s'?)", name, best);
    }
    if (models->len == 0) {
        return rorm__error(err, RORM_EINVAL, "unknown model '%s': no schema is registered", name);
    }
    return rorm__error(err, RORM_EINVAL, "unknown model '%s'", name);
}

/* A stream holds the transaction's connection: nothing else may run on it until closed. */
static int check_no_stream(const rorm_db *db, rorm_error *err)
{
    const rorm_db *top = db;
    while (top->parent) {
        top = top->parent;
    }
    if (top->open_streams > 0) {
        return rorm__error(err, RORM_ESTATE,
                           "a stream is open on this transaction: close it before running "
                           "other statements on the transaction");
    }
    return RORM_OK;
}

int rorm__db_acquire(rorm_conn **out, rorm_db *db, rorm_error *err)
{
    if (db->conn) {
        int rc = check_no_stream(db, err);
        if (rc != RORM_OK) {
            return rc;
        }
        *out = db->conn;
        return RORM_OK;
    }
    return rorm__pool_acquire(out, db->root->pool, err);
}

void rorm__db_release(rorm_db *db, rorm_conn *conn)
{
    if (db->conn == NULL) {
        rorm__pool_release(db->root->pool, conn);
    }
}

/* ---- Transactions ------------------------------------------------------------------------ */

/*
 * Savepoint statements: the same SQL on SQLite, PostgreSQL and MySQL. The names are ours
 * ("rorm_sp2" for depth 2), never user text.
 */
static void savepoint_sql(char *buf, size_t size, const char *verb, int depth)
{
    snprintf(buf, size, "%s rorm_sp%d", verb, depth);
}

/* The statements that start a transaction at @p isolation on @p db's database. */
static int begin_statements(
    const char **pre, const char **begin, const rorm_db *db, unsigned isolation, rorm_error *err)
{
    static const char *const levels[] = { NULL, "READ UNCOMMITTED", "READ COMMITTED",
                                          "REPEATABLE READ", "SERIALIZABLE" };
    static const char *const pg_begin[] = { NULL, "BEGIN ISOLATION LEVEL READ UNCOMMITTED",
                                            "BEGIN ISOLATION LEVEL READ COMMITTED",
                                            "BEGIN ISOLATION LEVEL REPEATABLE READ",
                                            "BEGIN ISOLATION LEVEL SERIALIZABLE" };
    static const char *const my_set[] = { NULL, "SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED",
                                          "SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
                                          "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                                          "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE" };
    *pre = NULL;
    *begin = db->dialect->begin_sql;
    if (isolation == RORM_ISOLATION_DEFAULT) {
        return RORM_OK;
    }
    if (isolation > RORM_ISOLATION_SERIALIZABLE) {
        return rorm__error(err, RORM_EINVAL, "unknown isolation level %u", isolation);
    }
    if (db->conn != NULL) {
        return rorm__error(err, RORM_EINVAL,
                           "a savepoint runs at its transaction's isolation level (%s given)",
                           levels[isolation]);
    }
    switch (db->driver->db_type) {
    case RORM_DB_POSTGRES:
        *begin = pg_begin[isolation];
        return RORM_OK;
    case RORM_DB_MYSQL:
        *pre = my_set[isolation];
        return RORM_OK;
    default:
        if (isolation == RORM_ISOLATION_SERIALIZABLE) {
            return RORM_OK; /* SQLite transactions are serializable */
        }
        return rorm__error(err, RORM_EUNSUPPORTED,
                           "isolation level %s is not available on this database (transactions "
                           "are serializable)",
                           levels[isolation]);
    }
}

int rorm_db_begin(rorm_db **tx_out, rorm_db *db, rorm_error *err)
{
    return rorm_db_begin_isolation(tx_out, db, RORM_ISOLATION_DEFAULT, err);
}

int rorm_db_begin_isolation(rorm_db **tx_out, rorm_db *db, unsigned isolation, rorm_error *err)
{
    RORM_CHECK_ARG(tx_out != NULL, err);
    *tx_out = NULL;
    RORM_CHECK_ARG(db != NULL, err);
    const char *pre_sql, *begin_sql;
    int brc = begin_statements(&pre_sql, &begin_sql, db, isolation, err);
    if (brc != RORM_OK) {
        return brc;
    }
    rorm_db *tx = rorm__calloc(1, sizeof *tx);
    if (tx == NULL) {
        return rorm__error_oom(err);
    }
    tx->root = db->root;
    tx->driver = db->driver;
    tx->dialect = db->dialect;
    tx->parent = db->conn ? db : NULL;
    tx->depth = db->depth + 1;
    int rc = db->conn ? check_no_stream(db, err) : RORM_OK;
    if (rc != RORM_OK) {
        rorm__free(tx);
        return rc;
    }
    if (db->conn) {
        char sql[64];
        savepoint_sql(sql, sizeof sql, "SAVEPOINT", tx->depth);
        tx->conn = db->conn;
        rc = rorm__conn_exec(tx->conn, sql, err);
        if (rc == RORM_OK) {
            db->open_children++;
        }
    } else {
        rc = rorm__pool_acquire(&tx->conn, db->root->pool, err);
        if (rc == RORM_OK) {
            rc = pre_sql ? rorm__conn_exec(tx->conn, pre_sql, err) : RORM_OK;
            if (rc == RORM_OK) {
                rc = rorm__conn_exec(tx->conn, begin_sql, err);
            }
            if (rc != RORM_OK) {
                rorm__pool_release(db->root->pool, tx->conn);
            }
        }
    }
    if (rc != RORM_OK) {
        rorm__free(tx);
        return rc;
    }
    *tx_out = tx;
    return RORM_OK;
}

static void finish(rorm_db *tx)
{
    if (tx->parent) {
        tx->parent->open_children--;
    } else {
        rorm__pool_release(tx->root->pool, tx->conn);
    }
    rorm__free(tx);
}

static int rollback_conn(rorm_db *tx, rorm_error *err)
{
    if (tx->parent == NULL) {
        return rorm__conn_exec(tx->conn, tx->dialect->rollback_sql, err);
    }
    char sql[64];
    savepoint_sql(sql, sizeof sql, "ROLLBACK TO SAVEPOINT", tx->depth);
    int rc = rorm__conn_exec(tx->conn, sql, err);
    if (rc == RORM_OK) {
        savepoint_sql(sql, sizeof sql, "RELEASE SAVEPOINT", tx->depth);
        rc = rorm__conn_exec(tx->conn, sql, err);
    }
    return rc;
}

static int check_finishable(rorm_db *tx, rorm_error *err)
{
    if (tx == NULL || tx->conn == NULL || tx->depth == 0) {
        return rorm__error(err, RORM_ESTATE, "not a transaction handle");
    }
    if (tx->open_children > 0) {
        return rorm__error(err, RORM_ESTATE, "a nested transaction is still open: finish it first");
    }
    if (tx->open_streams > 0) {
        return rorm__error(err, RORM_ESTATE,
                           "a stream is still open on this transaction: close "
                           "it first");
    }
    return RORM_OK;
}

int rorm_db_commit(rorm_db *tx, rorm_error *err)
{
    int rc = check_finishable(tx, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (tx->parent) {
        char sql[64];
        savepoint_sql(sql, sizeof sql, "RELEASE SAVEPOINT", tx->depth);
        rc = rorm__conn_exec(tx->conn, sql, err);
    } else {
        rc = rorm__conn_exec(tx->conn, tx->dialect->commit_sql, err);
    }
    if (rc != RORM_OK) {
        /* Leave nothing half-done: roll back, keeping the commit's error for the caller. */
        rorm_error ignored = { 0 };
        if (rollback_conn(tx, &ignored) != RORM_OK && tx->parent == NULL) {
            tx->conn->broken = true;
        }
    }
    finish(tx);
    return rc;
}

int rorm_db_rollback(rorm_db *tx, rorm_error *err)
{
    int rc = check_finishable(tx, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rc = rollback_conn(tx, err);
    if (rc != RORM_OK && tx->parent == NULL) {
        tx->conn->broken = true;
    }
    finish(tx);
    return rc;
}

/* ---- Raw SQL ----------------------------------------------------------------------------- */

static int bind_all(rorm_stmt *stmt, const rorm_value *params, size_t nparams, rorm_error *err)
{
    if (nparams != stmt->nparams) {
        return rorm__error(err, RORM_EINVAL, "the SQL has %zu parameters but %zu values were given",
                           stmt->nparams, nparams);
    }
    for (size_t i = 0; i < nparams; i++) {
        int rc = stmt->conn->driver->bind(stmt, i, &params[i], err);
        if (rc != RORM_OK) {
            return rc;
        }
    }
    return RORM_OK;
}

int rorm_db_execute_raw(rorm_db *db,
                        const char *sql,
                        const rorm_value *params,
                        size_t nparams,
                        int64_t *affected_out,
                        rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    RORM_CHECK_ARG(params != NULL || nparams == 0, err);
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_stmt *stmt;
    rc = rorm__conn_prepare(&stmt, conn, sql, strlen(sql), err);
    if (rc == RORM_OK) {
        rc = bind_all(stmt, params, nparams, err);
    }
    while (rc == RORM_OK && (rc = conn->driver->step(stmt, err)) == 1) {
        rc = RORM_OK;
    }
    if (rc == RORM_OK && affected_out) {
        *affected_out = conn->driver->changes(stmt);
    }
    if (stmt) {
        conn->driver->reset(stmt);
    }
    rorm__db_release(db, conn);
    return rc;
}

int rorm_db_query_raw(rorm_rows **out,
                      rorm_db *db,
                      const char *sql,
                      const rorm_value *params,
                      size_t nparams,
                      rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(db != NULL, err);
    RORM_CHECK_ARG(sql != NULL, err);
    RORM_CHECK_ARG(params != NULL || nparams == 0, err);
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    const rorm_driver *drv = conn->driver;
    rorm_rows *rows = NULL;
    rorm_stmt *stmt = NULL;
    rc = rorm__conn_prepare(&stmt, conn, sql, strlen(sql), err);
    if (rc == RORM_OK) {
        rc = bind_all(stmt, params, nparams, err);
    }
    size_t ncols = rc == RORM_OK ? drv->column_count(stmt) : 0;
    if (rc == RORM_OK) {
        rc = rorm__rows_new(&rows, ncols, err);
    }
    if (rc == RORM_OK && ncols) {
        rows->names_owned = true;
        for (size_t c = 0; c < ncols && rc == RORM_OK; c++) {
            rows->names[c] = rorm__strdup(drv->column_name(stmt, c));
            if (rows->names[c] == NULL) {
                rc = rorm__error_oom(err);
            }
        }
    }
    while (rc == RORM_OK && (rc = drv->step(stmt, err)) == 1) {
        rorm_value *cells;
        rc = rorm__rows_add(&cells, rows, err);
        for (size_t c = 0; rc == RORM_OK && c < ncols; c++) {
            rorm_value col;
            rc = drv->column(stmt, c, &col, err);
            if (rc == RORM_OK && rorm_value_copy(&cells[c], &col) != RORM_OK) {
                rc = rorm__error_oom(err);
            }
        }
    }
    if (stmt) {
        drv->reset(stmt);
    }
    rorm__db_release(db, conn);
    if (rc != RORM_OK) {
        rorm_rows_free(rows);
        return rc;
    }
    *out = rows;
    return RORM_OK;
}

/* ---- Tables ------------------------------------------------------------------------------ */

static int table_exists(bool *out,
                        rorm_conn *conn,
                        const rorm_dialect *d,
                        const char *schema,
                        const char *table,
                        rorm_error *err)
{
    rorm_stmt *stmt;
    int rc = rorm__conn_prepare(&stmt, conn, d->table_exists_sql, strlen(d->table_exists_sql), err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_value name = rorm_value_text_ref(table);
    rc = conn->driver->bind(stmt, 0, &name, err);
    if (rc == RORM_OK && stmt->nparams > 1) {
        rorm_value s = rorm_value_text_ref(schema ? schema : "");
        rc = conn->driver->bind(stmt, 1, &s, err);
    }
    if (rc == RORM_OK) {
        rc = conn->driver->step(stmt, err);
    }
    conn->driver->reset(stmt);
    if (rc < 0) {
        return rc;
    }
    *out = rc == 1;
    return RORM_OK;
}

static int
create_model_table(rorm_conn *conn, const rorm_dialect *d, const rorm_model *m, rorm_error *err)
{
    bool exists = false;
    int rc = table_exists(&exists, conn, d, m->schema_name, m->table, err);
    if (rc != RORM_OK || exists) {
        return rc;
    }
    rorm_str sql = RORM_STR_INIT;
    if (m->schema_name != NULL) {
        /* The model's database schema first (only PostgreSQL validates a model with one). */
        rorm__str_puts(&sql, "CREATE SCHEMA IF NOT EXISTS ");
        d->quote_ident(&sql, m->schema_name);
        rc = rorm__str_oom(&sql) ? rorm__error_oom(err) : rorm__conn_exec(conn, sql.ptr, err);
        rorm__str_clear(&sql);
    }
    if (rc == RORM_OK) {
        rc = d->create_table(&sql, m, err);
    }
    if (rc == RORM_OK && rorm__str_oom(&sql)) {
        rc = rorm__error_oom(err);
    }
    if (rc == RORM_OK) {
        rc = rorm__conn_exec(conn, sql.ptr, err);
    }
    for (size_t i = 0; rc == RORM_OK && i < m->indexes.len; i++) {
        rorm__str_clear(&sql);
        rc = d->create_index(&sql, m, m->indexes.ptr[i], err);
        if (rc == RORM_OK && rorm__str_oom(&sql)) {
            rc = rorm__error_oom(err);
        }
        if (rc == RORM_OK && sql.len) {
            rc = rorm__conn_exec(conn, sql.ptr, err);
        }
    }
    rorm__str_dispose(&sql);
    return rc;
}

/*
 * Order models so that each comes after the models its foreign keys reference (depth-first).
 * A cycle is broken where it is found; SQLite does not check references at CREATE time, and
 * the migration engine handles cycles on the servers by adding constraints afterwards.
 */
static int visit(rorm_model **order, size_t *n, unsigned char *state, rorm_model *m)
{
    if (state[m->index] != 0) {
        return RORM_OK;
    }
    state[m->index] = 1;
    for (size_t i = 0; i < m->fields.len; i++) {
        rorm_field *f = m->fields.ptr[i];
        if (f->type == RORM_FIELD_RELATION && f->relation && f->relation->nfields > 0 &&
            f->relation->model && f->relation->model != m &&
            f->relation->model->schema == m->schema) {
            visit(order, n, state, f->relation->model);
        }
    }
    state[m->index] = 2;
    order[(*n)++] = m;
    return RORM_OK;
}

static int ensure_models(rorm_db *db, const rorm_model *only, rorm_error *err)
{
    rorm_db *tx = NULL;
    int rc = rorm_db_begin(&tx, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    for (size_t s = 0; rc == RORM_OK && s < db->root->schemas.len; s++) {
        rorm_schema *schema = db->root->schemas.ptr[s];
        size_t nmodels = schema->models.len, n = 0;
        rorm_model **order = rorm__calloc(nmodels ? nmodels : 1, sizeof *order);
        unsigned char *state = rorm__calloc(nmodels ? nmodels : 1, 1);
        if (order == NULL || state == NULL) {
            rc = rorm__error_oom(err);
        }
        for (size_t i = 0; rc == RORM_OK && i < nmodels; i++) {
            visit(order, &n, state, schema->models.ptr[i]);
        }
        for (size_t i = 0; rc == RORM_OK && i < n; i++) {
            if ((only == NULL || order[i] == only) && !order[i]->is_view && !order[i]->ignored) {
                rc = create_model_table(tx->conn, db->dialect, order[i], err);
            }
        }
        rorm__free(order);
        rorm__free(state);
    }
    if (rc != RORM_OK) {
        rorm_db_rollback(tx, NULL);
        return rc;
    }
    return rorm_db_commit(tx, err);
}

int rorm_db_create_table(rorm_db *db, const char *model, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    rorm_model *m = NULL;
    int rc = rorm__db_model(&m, db, model, err);
    if (rc != RORM_OK) {
        return rc;
    }
    return ensure_models(db, m, err);
}

/*
 * The migration engine brings every registered model's table up to date: missing tables in
 * foreign-key order, and changes to existing ones under the engine's safety rules (destructive
 * steps refused: ensure-schema never forces). Unknown tables are left alone.
 */
int rorm_db_ensure_schema(rorm_db *db, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL, err);
    return rorm_migrate(db, NULL, err);
}
