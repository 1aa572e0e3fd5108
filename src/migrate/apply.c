/*
 * Applying a plan: the safety check (destructive steps need force, blocked steps never run),
 * one transaction where DDL is transactional, SQLite rebuilds with foreign keys off and checked
 * before commit, MySQL's step-by-step commits reported on failure, and the history row in
 * redi_migrations.
 */
#include <stdio.h>
#include <string.h>

#include "migrate/migrate.h"
#include "util/alloc.h"
#include "util/error.h"

/* Run the statements of @p sql, separated by ";\n", one by one. */
static int exec_all(rorm_conn *conn, const char *sql, rorm_error *err)
{
    rorm_str one = RORM_STR_INIT;
    int rc = RORM_OK;
    const char *s = sql;
    while (rc == RORM_OK && *s) {
        const char *end = strstr(s, ";\n");
        size_t n = end ? (size_t)(end - s) : strlen(s);
        rorm__str_clear(&one);
        rorm__str_put(&one, s, n);
        if (rorm__str_oom(&one)) {
            rc = rorm__error_oom(err);
        } else if (n > 0) {
            rc = rorm__conn_exec(conn, one.ptr, err);
        }
        s += n;
        if (*s) {
            s += 2;
        }
    }
    rorm__str_dispose(&one);
    return rc;
}

/* Refuse a plan with blocked steps, or destructive ones without force, naming them. */
static int check_safety(const rorm_migrate_plan *plan, bool force, rorm_error *err)
{
    rorm_str msg = RORM_STR_INIT;
    size_t nrefused = 0;
    for (size_t i = 0; i < plan->steps.len; i++) {
        const rorm__mg_step *s = &plan->steps.ptr[i];
        if (s->blocked) {
            rorm__str_printf(&msg, "%s%s: %s", nrefused ? "; " : "", s->description, s->blocked);
            nrefused++;
        } else if (s->destructive && !force) {
            rorm__str_printf(&msg, "%s%s (%lld rows)", nrefused ? "; " : "", s->description,
                             (long long)s->rows);
            nrefused++;
        }
    }
    int rc = RORM_OK;
    if (nrefused > 0) {
        rc = rorm__error(
            err, RORM_ESCHEMA, "%zu step%s refused (%s): %s", nrefused, nrefused == 1 ? "" : "s",
            force ? "blocked steps never run" : "destructive steps need force", msg.ptr);
    }
    rorm__str_dispose(&msg);
    return rc;
}

static int count_row(const rorm_value *cells, size_t n, void *payload)
{
    (void)cells;
    (void)n;
    (*(size_t *)payload)++;
    return RORM_OK;
}

static int record_history(rorm_conn *conn,
                          const rorm_dialect *d,
                          const rorm_migrate_plan *plan,
                          const char *name,
                          rorm_error *err)
{
    int rc = rorm__conn_exec(conn, d->history_table_sql, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_str sql = RORM_STR_INIT, applied = RORM_STR_INIT;
    for (size_t i = 0; i < plan->steps.len; i++) {
        rorm__str_puts(&applied, plan->steps.ptr[i].sql);
        rorm__str_puts(&applied, ";\n");
    }
    rorm__str_puts(&sql, "INSERT INTO ");
    d->quote_ident(&sql, "redi_migrations");
    rorm__str_puts(&sql, " (");
    static const char *const cols[] = { "name", "checksum", "sql_applied", "db_type" };
    for (size_t i = 0; i < 4; i++) {
        rorm__str_puts(&sql, i ? ", " : "");
        d->quote_ident(&sql, cols[i]);
    }
    rorm__str_puts(&sql, ") VALUES (");
    for (size_t i = 0; i < 4; i++) {
        rorm__str_puts(&sql, i ? ", " : "");
        d->placeholder(&sql, i + 1);
    }
    rorm__str_putc(&sql, ')');
    if (rorm__str_oom(&sql) || rorm__str_oom(&applied)) {
        rc = rorm__error_oom(err);
    }
    rorm_stmt *stmt = NULL;
    if (rc == RORM_OK) {
        rc = rorm__conn_prepare(&stmt, conn, sql.ptr, sql.len, err);
    }
    rorm_value vals[4] = { rorm_value_text_ref(name), rorm_value_text_ref(plan->checksum),
                           rorm_value_text_ref(applied.ptr), rorm_value_text_ref(d->name) };
    for (size_t i = 0; rc == RORM_OK && i < 4; i++) {
        rc = conn->driver->bind(stmt, i, &vals[i], err);
    }
    if (rc == RORM_OK) {
        rc = conn->driver->step(stmt, err);
        rc = rc < 0 ? rc : RORM_OK;
    }
    if (stmt) {
        conn->driver->reset(stmt);
    }
    rorm__str_dispose(&sql);
    rorm__str_dispose(&applied);
    return rc;
}

int rorm_migrate_apply(rorm_db *db,
                       rorm_migrate_plan *plan,
                       const rorm_migrate_options *opts,
                       rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL && plan != NULL, err);
    RORM_CHECK_ARG(opts == NULL || opts->version >= 1, err);
    bool force = opts && opts->force;
    const char *name = opts && opts->name ? opts->name : "auto";
    plan->done = 0;
    int rc = check_safety(plan, force, err);
    if (rc != RORM_OK || plan->steps.len == 0) {
        return rc;
    }
    const rorm_dialect *d = db->dialect;
    bool transactional = (d->caps & RORM_CAP_TRANSACTIONAL_DDL) != 0;
    bool nested = db->conn != NULL; /* inside the caller's transaction: a savepoint */
    bool rebuild = false;
    for (size_t i = 0; i < plan->steps.len; i++) {
        rebuild = rebuild || plan->steps.ptr[i].rebuild;
    }
    rorm_conn *conn;
    if ((rc = rorm__db_acquire(&conn, db, err)) != RORM_OK) {
        return rc;
    }
    /* Foreign keys can only be switched off outside a transaction; a rebuild drops a table
       that others may reference, and foreign_key_check verifies the result before commit. */
    bool fk_off = rebuild && !nested;
    if (fk_off) {
        rc = rorm__conn_exec(conn, "PRAGMA foreign_keys=OFF", err);
    }
    if (rc == RORM_OK && transactional) {
        rc = rorm__conn_exec(conn, nested ? "SAVEPOINT rorm_migrate" : d->begin_sql, err);
    }
    bool in_tx = rc == RORM_OK && transactional;
    for (size_t i = 0; rc == RORM_OK && i < plan->steps.len; i++) {
        rorm_error step_err = { 0 };
        rc = exec_all(conn, plan->steps.ptr[i].sql, &step_err);
        if (rc != RORM_OK) {
            if (transactional) {
                rorm__error(err, rc, "step %zu of %zu failed (%s), nothing applied: %s", i + 1,
                            plan->steps.len, plan->steps.ptr[i].description, step_err.message);
            } else {
                rorm__error(err, rc,
                            "step %zu of %zu failed (%s); %zu done, %zu not done (DDL commits "
                            "step by step here): %s",
                            i + 1, plan->steps.len, plan->steps.ptr[i].description, i,
                            plan->steps.len - i, step_err.message);
            }
            if (err) {
                memcpy(err->sqlstate, step_err.sqlstate, sizeof err->sqlstate);
            }
            break;
        }
        plan->done = i + 1;
    }
    if (rc == RORM_OK && rebuild) {
        size_t violations = 0;
        rc = rorm__mg_query(conn, "PRAGMA foreign_key_check", NULL, count_row, &violations, err);
        if (rc == RORM_OK && violations > 0) {
            rc = rorm__error(err, RORM_ECONSTRAINT,
                             "the rebuilt tables break %zu foreign key%s: nothing applied",
                             violations, violations == 1 ? "" : "s");
        }
    }
    if (rc == RORM_OK) {
        rc = record_history(conn, d, plan, name, err);
    }
    if (in_tx) {
        rorm_error ignored = { 0 };
        if (rc == RORM_OK) {
            rc = rorm__conn_exec(conn, nested ? "RELEASE SAVEPOINT rorm_migrate" : d->commit_sql,
                                 err);
        } else if (nested) {
            rorm__conn_exec(conn, "ROLLBACK TO SAVEPOINT rorm_migrate", &ignored);
            rorm__conn_exec(conn, "RELEASE SAVEPOINT rorm_migrate", &ignored);
        } else if (rorm__conn_exec(conn, d->rollback_sql, &ignored) != RORM_OK) {
            conn->broken = true;
        }
        if (rc != RORM_OK) {
            plan->done = 0;
        }
    }
    if (fk_off) {
        rorm_error ignored = { 0 };
        if (rorm__conn_exec(conn, "PRAGMA foreign_keys=ON", &ignored) != RORM_OK) {
            conn->broken = true;
        }
    }
    rorm__db_release(db, conn);
    return rc;
}

int rorm_migrate(rorm_db *db, const rorm_migrate_options *opts, rorm_error *err)
{
    rorm_migrate_plan *plan = NULL;
    int rc = rorm_migrate_plan_new(&plan, db, opts, err);
    if (rc == RORM_OK) {
        rc = rorm_migrate_apply(db, plan, opts, err);
    }
    rorm_migrate_plan_free(plan);
    return rc;
}

int rorm_migrate_schema(rorm_db *db,
                        rorm_schema *schema,
                        const rorm_migrate_options *opts,
                        rorm_error *err)
{
    rorm_migrate_plan *plan = NULL;
    int rc = rorm_migrate_plan_schema(&plan, db, schema, opts, err);
    if (rc == RORM_OK) {
        rc = rorm_migrate_apply(db, plan, opts, err);
    }
    rorm_migrate_plan_free(plan);
    return rc;
}

int rorm_migrate_status(rorm_rows **out, rorm_db *db, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(db != NULL, err);
    const rorm_dialect *d = db->dialect;
    rorm_str sql = RORM_STR_INIT;
    rorm__str_puts(&sql, "SELECT ");
    static const char *const cols[] = { "id",          "name",       "checksum",
                                        "sql_applied", "applied_at", "db_type" };
    for (size_t i = 0; i < 6; i++) {
        rorm__str_puts(&sql, i ? ", " : "");
        d->quote_ident(&sql, cols[i]);
    }
    rorm__str_puts(&sql, " FROM ");
    d->quote_ident(&sql, "redi_migrations");
    rorm__str_puts(&sql, " ORDER BY ");
    d->quote_ident(&sql, "id");
    if (rorm__str_oom(&sql)) {
        return rorm__error_oom(err);
    }
    /* The history table is created by the first migration: make it now so that the status of
       a database never migrated is an empty list. */
    int rc = rorm_db_execute_raw(db, d->history_table_sql, NULL, 0, NULL, err);
    if (rc == RORM_OK) {
        rc = rorm_db_query_raw(out, db, sql.ptr, NULL, 0, err);
    }
    rorm__str_dispose(&sql);
    return rc;
}

int rorm_migrate_describe(char **out, rorm_db *db, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(db != NULL, err);
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm__mg_db have;
    rc = rorm__mg_introspect(&have, conn, db->dialect, err);
    rorm__db_release(db, conn);
    if (rc != RORM_OK) {
        return rc;
    }
    rorm_str s = RORM_STR_INIT;
    rorm__mg_describe(&s, &have);
    rorm__mg_db_dispose(&have);
    if (rorm__str_oom(&s)) {
        return rorm__error_oom(err);
    }
    /* rorm_free() releases what rorm__malloc gave. */
    *out = rorm__str_detach(&s);
    return *out ? RORM_OK : rorm__error_oom(err);
}
