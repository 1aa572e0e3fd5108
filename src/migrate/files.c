/*
 * File-based migrations: a plan written as a directory (migration.sql forward, down.sql back
 * where every step can be undone, meta.txt), applied in name order and recorded in
 * redi_migrations under the directory name with the checksum of migration.sql; status
 * (applied, pending, modified after applying, drift), rollback of the last one, and reset.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "migrate/migrate.h"
#include "util/alloc.h"
#include "util/error.h"

#define MG_NO_ROLLBACK "-- cannot be undone: "

static void checksum_text(char out[17], const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int write_file(const char *path, const char *text, rorm_error *err)
{
    FILE *fp = fopen(path, "wb");
    if (fp == NULL) {
        return rorm__error(err, RORM_EINVAL, "cannot write '%s': %s", path, strerror(errno));
    }
    size_t n = strlen(text);
    bool ok = fwrite(text, 1, n, fp) == n;
    ok = fclose(fp) == 0 && ok;
    return ok ? RORM_OK : rorm__error(err, RORM_EINVAL, "cannot write '%s'", path);
}

/* Read a whole file; *out is NULL (and RORM_OK) when it does not exist. */
static int read_file(char **out, const char *path, rorm_error *err)
{
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        return errno == ENOENT ? RORM_OK : rorm__error(err, RORM_EINVAL, "cannot read '%s'", path);
    }
    rorm_str s = RORM_STR_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        rorm__str_put(&s, buf, n);
    }
    fclose(fp);
    if (rorm__str_oom(&s)) {
        return rorm__error_oom(err);
    }
    *out = rorm__str_detach(&s);
    return *out ? RORM_OK : rorm__error_oom(err);
}

static bool valid_name(const char *name)
{
    if (name == NULL || *name == '\0' || strlen(name) > 100) {
        return false;
    }
    for (const char *p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-')) {
            return false;
        }
    }
    return true;
}

static int list_dirs(rorm__mg_names *out, const char *dir, rorm_error *err);
static void names_dispose(rorm__mg_names *v);

int rorm_migrate_generate(char **path_out,
                          rorm_db *db,
                          rorm_schema *schema,
                          const char *dir,
                          const char *name,
                          const rorm_migrate_options *opts,
                          rorm_error *err)
{
    if (path_out) {
        *path_out = NULL;
    }
    RORM_CHECK_ARG(db != NULL && dir != NULL, err);
    if (!valid_name(name)) {
        return rorm__error(err, RORM_EINVAL,
                           "migration name '%s' must be letters, digits, '_' or '-'",
                           name ? name : "");
    }
    rorm_migrate_plan *plan = NULL;
    int rc = schema ? rorm_migrate_plan_schema(&plan, db, schema, opts, err)
                    : rorm_migrate_plan_new(&plan, db, opts, err);
    if (rc != RORM_OK || plan->steps.len == 0) {
        rorm_migrate_plan_free(plan);
        return rc;
    }
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    /* Names sort in the order applied: never at or before the last existing one. */
    rorm__mg_names existing = { 0 };
    rc = list_dirs(&existing, dir, err);
    if (rc == RORM_OK && existing.len > 0) {
        unsigned long long last = strtoull(existing.ptr[existing.len - 1], NULL, 10);
        unsigned long long mine = strtoull(stamp, NULL, 10);
        if (last >= mine) {
            snprintf(stamp, sizeof stamp, "%llu", last + 1);
        }
    }
    names_dispose(&existing);
    rorm_str path = RORM_STR_INIT, up = RORM_STR_INIT, down = RORM_STR_INIT, meta = RORM_STR_INIT;
    rorm__str_printf(&path, "%s/%s_%s", dir, stamp, name);
    rorm__str_printf(&up, "-- %s_%s (%s)\n", stamp, name, db->dialect->name);
    for (size_t i = 0; i < plan->steps.len; i++) {
        const rorm__mg_step *s = &plan->steps.ptr[i];
        rorm__str_printf(&up, "-- %s%s\n%s;\n", s->description,
                         s->destructive ? " [destructive]" : "", s->sql);
    }
    rorm__str_printf(&down, "-- rollback of %s_%s\n", stamp, name);
    for (size_t i = plan->steps.len; i-- > 0;) {
        const rorm__mg_step *s = &plan->steps.ptr[i];
        if (s->down) {
            rorm__str_printf(&down, "-- undo: %s\n%s;\n", s->description, s->down);
        } else {
            rorm__str_printf(&down, MG_NO_ROLLBACK "%s\n", s->description);
        }
    }
    rorm__str_printf(&meta, "name %s_%s\nschema_checksum %s\ndb_type %s\nsteps %zu\n", stamp, name,
                     plan->checksum, db->dialect->name, plan->steps.len);
    if (rorm__str_oom(&path) || rorm__str_oom(&up) || rorm__str_oom(&down) ||
        rorm__str_oom(&meta)) {
        rc = rorm__error_oom(err);
    }
    if (rc == RORM_OK && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        rc = rorm__error(err, RORM_EINVAL, "cannot create '%s': %s", dir, strerror(errno));
    }
    if (rc == RORM_OK && mkdir(path.ptr, 0777) != 0) {
        rc = rorm__error(err, RORM_EINVAL, "cannot create '%s': %s", path.ptr, strerror(errno));
    }
    size_t base = path.len;
    const char *files[3][2] = { { "/migration.sql", up.ptr },
                                { "/down.sql", down.ptr },
                                { "/meta.txt", meta.ptr } };
    for (size_t i = 0; rc == RORM_OK && i < 3; i++) {
        rorm__str_truncate(&path, base);
        rorm__str_puts(&path, files[i][0]);
        rc = rorm__str_oom(&path) ? rorm__error_oom(err) : write_file(path.ptr, files[i][1], err);
    }
    rorm__str_truncate(&path, base);
    if (rc == RORM_OK && path_out) {
        *path_out = rorm__str_detach(&path);
    }
    rorm__str_dispose(&path);
    rorm__str_dispose(&up);
    rorm__str_dispose(&down);
    rorm__str_dispose(&meta);
    rorm_migrate_plan_free(plan);
    return rc;
}

/* ---- reading the directory and the history -------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The migration directories under @p dir (those holding migration.sql), sorted by name. */
static int list_dirs(rorm__mg_names *out, const char *dir, rorm_error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return errno == ENOENT ? RORM_OK : rorm__error(err, RORM_EINVAL, "cannot read '%s'", dir);
    }
    int rc = RORM_OK;
    struct dirent *e;
    while (rc == RORM_OK && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s/migration.sql", dir, e->d_name);
        if (stat(path, &st) != 0) {
            continue;
        }
        char *name = rorm__strdup(e->d_name);
        if (name == NULL || rorm_vec_push(out, name) != 0) {
            rorm__free(name);
            rc = rorm__error_oom(err);
        }
    }
    closedir(d);
    if (out->len > 1) {
        qsort(out->ptr, out->len, sizeof *out->ptr, cmp_names);
    }
    return rc;
}

static void names_dispose(rorm__mg_names *v)
{
    for (size_t i = 0; i < v->len; i++) {
        rorm__free(v->ptr[i]);
    }
    rorm_vec_free(v);
}

/* The history row of migration @p name: its row index in @p rows, or -1. */
static long history_row(const rorm_rows *rows, const char *name)
{
    long found = -1;
    for (size_t i = 0; rows && i < rorm_rows_count(rows); i++) {
        const rorm_value *v = rorm_rows_field(rows, i, "name");
        if (v && v->type == RORM_TYPE_TEXT && strcmp(v->u.s.ptr, name) == 0) {
            found = (long)i; /* the latest one */
        }
    }
    return found;
}

static const char *row_text(const rorm_rows *rows, long row, const char *field)
{
    const rorm_value *v = rorm_rows_field(rows, (size_t)row, field);
    return v && v->type == RORM_TYPE_TEXT ? v->u.s.ptr : "";
}

static int migration_sql(
    char **out, char sum[17], const char *dir, const char *name, const char *file, rorm_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", dir, name, file);
    int rc = read_file(out, path, err);
    if (rc == RORM_OK && *out == NULL) {
        rc = rorm__error(err, RORM_ENOTFOUND, "'%s' does not exist", path);
    }
    if (rc == RORM_OK && sum) {
        checksum_text(sum, *out, strlen(*out));
    }
    return rc;
}

/* True when @p s holds only blanks and "--" comment lines. */
static bool only_comments(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
            i++;
        }
        if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
            while (i < n && s[i] != '\n') {
                i++;
            }
            continue;
        }
        return i >= n;
    }
    return true;
}

/* Run a migration file's statements (separated by ";\n") in one transaction where DDL is
   transactional (SQLite with foreign keys off and checked), then @p finish inside it. */
typedef int (*finish_fn)(rorm_conn *conn, const rorm_dialect *d, void *payload, rorm_error *err);

static int count_row(const rorm_value *cells, size_t n, void *payload)
{
    (void)cells;
    (void)n;
    (*(size_t *)payload)++;
    return RORM_OK;
}

static int run_file(rorm_db *db, const char *sql, finish_fn finish, void *payload, rorm_error *err)
{
    const rorm_dialect *d = db->dialect;
    bool tx = (d->caps & RORM_CAP_TRANSACTIONAL_DDL) != 0 && db->conn == NULL;
    bool sqlite = d->rebuild_table != NULL && db->conn == NULL;
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (sqlite) {
        rc = rorm__conn_exec(conn, "PRAGMA foreign_keys=OFF", err);
    }
    if (rc == RORM_OK && tx) {
        rc = rorm__conn_exec(conn, d->begin_sql, err);
    }
    bool in_tx = rc == RORM_OK && tx;
    rorm_str one = RORM_STR_INIT;
    size_t done = 0;
    for (const char *s = sql; rc == RORM_OK && *s;) {
        const char *end = strstr(s, ";\n");
        size_t n = end ? (size_t)(end - s) : strlen(s);
        if (!only_comments(s, n)) {
            rorm__str_clear(&one);
            rorm__str_put(&one, s, n);
            rorm_error step_err = { 0 };
            rc = rorm__str_oom(&one) ? rorm__error_oom(err)
                                     : rorm__conn_exec(conn, one.ptr, &step_err);
            if (rc != RORM_OK && !rorm__str_oom(&one)) {
                rorm__error(err, rc, "statement %zu failed%s: %s", done + 1,
                            tx ? " (rolled back)" : " (earlier statements stay applied)",
                            step_err.message);
            }
            done++;
        }
        s += n;
        if (*s) {
            s += 2;
        }
    }
    rorm__str_dispose(&one);
    if (rc == RORM_OK && sqlite) {
        size_t violations = 0;
        rc = rorm__mg_query(conn, "PRAGMA foreign_key_check", NULL, count_row, &violations, err);
        if (rc == RORM_OK && violations > 0) {
            rc = rorm__error(err, RORM_ECONSTRAINT, "the migration breaks %zu foreign keys",
                             violations);
        }
    }
    if (rc == RORM_OK && finish) {
        rc = finish(conn, d, payload, err);
    }
    if (in_tx) {
        rorm_error ignored = { 0 };
        if (rc == RORM_OK) {
            rc = rorm__conn_exec(conn, d->commit_sql, err);
        } else if (rorm__conn_exec(conn, d->rollback_sql, &ignored) != RORM_OK) {
            conn->broken = true;
        }
    }
    if (sqlite) {
        rorm_error ignored = { 0 };
        if (rorm__conn_exec(conn, "PRAGMA foreign_keys=ON", &ignored) != RORM_OK) {
            conn->broken = true;
        }
    }
    rorm__db_release(db, conn);
    return rc;
}

typedef struct record_args {
    const char *name, *checksum, *sql;
} record_args;

static int
exec_bound(rorm_conn *conn, const char *sql, const rorm_value *vals, size_t n, rorm_error *err)
{
    rorm_stmt *stmt = NULL;
    int rc = rorm__conn_prepare(&stmt, conn, sql, strlen(sql), err);
    for (size_t i = 0; rc == RORM_OK && i < n; i++) {
        rc = conn->driver->bind(stmt, i, &vals[i], err);
    }
    if (rc == RORM_OK) {
        rc = conn->driver->step(stmt, err);
        rc = rc < 0 ? rc : RORM_OK;
    }
    if (stmt) {
        conn->driver->reset(stmt);
    }
    return rc;
}

static int record(rorm_conn *conn, const rorm_dialect *d, void *payload, rorm_error *err)
{
    const record_args *a = payload;
    int rc = rorm__conn_exec(conn, d->history_table_sql, err);
    rorm_str sql = RORM_STR_INIT;
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
    rorm_value vals[4] = { rorm_value_text_ref(a->name), rorm_value_text_ref(a->checksum),
                           rorm_value_text_ref(a->sql), rorm_value_text_ref(d->name) };
    if (rc == RORM_OK) {
        rc = rorm__str_oom(&sql) ? rorm__error_oom(err) : exec_bound(conn, sql.ptr, vals, 4, err);
    }
    rorm__str_dispose(&sql);
    return rc;
}

static int forget(rorm_conn *conn, const rorm_dialect *d, void *payload, rorm_error *err)
{
    const int64_t *id = payload;
    rorm_str sql = RORM_STR_INIT;
    rorm__str_puts(&sql, "DELETE FROM ");
    d->quote_ident(&sql, "redi_migrations");
    rorm__str_puts(&sql, " WHERE ");
    d->quote_ident(&sql, "id");
    rorm__str_puts(&sql, " = ");
    d->placeholder(&sql, 1);
    rorm_value v = { .type = RORM_TYPE_INT, .u.i = *id };
    int rc = rorm__str_oom(&sql) ? rorm__error_oom(err) : exec_bound(conn, sql.ptr, &v, 1, err);
    rorm__str_dispose(&sql);
    return rc;
}

int rorm_migrate_apply_dir(size_t *count_out, rorm_db *db, const char *dir, rorm_error *err)
{
    if (count_out) {
        *count_out = 0;
    }
    RORM_CHECK_ARG(db != NULL && dir != NULL, err);
    rorm__mg_names names = { 0 };
    rorm_rows *history = NULL;
    int rc = list_dirs(&names, dir, err);
    if (rc == RORM_OK) {
        rc = rorm_migrate_status(&history, db, err);
    }
    /* Refuse when an applied migration was edited afterwards: the database no longer matches
       its files. */
    for (size_t i = 0; rc == RORM_OK && i < names.len; i++) {
        long row = history_row(history, names.ptr[i]);
        if (row < 0) {
            continue;
        }
        char *sql = NULL, sum[17];
        rc = migration_sql(&sql, sum, dir, names.ptr[i], "migration.sql", err);
        if (rc == RORM_OK && strcmp(sum, row_text(history, row, "checksum")) != 0) {
            rc = rorm__error(err, RORM_ESTATE, "migration '%s' was modified after it was applied",
                             names.ptr[i]);
        }
        rorm__free(sql);
    }
    for (size_t i = 0; rc == RORM_OK && i < names.len; i++) {
        if (history_row(history, names.ptr[i]) >= 0) {
            continue;
        }
        char *sql = NULL, sum[17];
        rc = migration_sql(&sql, sum, dir, names.ptr[i], "migration.sql", err);
        record_args a = { names.ptr[i], sum, sql };
        if (rc == RORM_OK) {
            rc = run_file(db, sql, record, &a, err);
            if (rc != RORM_OK && err) {
                char msg[RORM_ERROR_MESSAGE_SIZE];
                snprintf(msg, sizeof msg, "%s", err->message);
                rorm__error(err, rc, "migration '%s': %s", names.ptr[i], msg);
            }
        }
        if (rc == RORM_OK && count_out) {
            (*count_out)++;
        }
        rorm__free(sql);
    }
    rorm_rows_free(history);
    names_dispose(&names);
    return rc;
}

int rorm_migrate_status_dir(char **out, rorm_db *db, const char *dir, rorm_error *err)
{
    RORM_CHECK_ARG(out != NULL, err);
    *out = NULL;
    RORM_CHECK_ARG(db != NULL && dir != NULL, err);
    rorm__mg_names names = { 0 };
    rorm_rows *history = NULL;
    rorm_str s = RORM_STR_INIT;
    int rc = list_dirs(&names, dir, err);
    if (rc == RORM_OK) {
        rc = rorm_migrate_status(&history, db, err);
    }
    for (size_t i = 0; rc == RORM_OK && i < names.len; i++) {
        long row = history_row(history, names.ptr[i]);
        char *sql = NULL, sum[17];
        rc = migration_sql(&sql, sum, dir, names.ptr[i], "migration.sql", err);
        rorm__free(sql);
        const char *state = row < 0                                                ? "pending"
                            : strcmp(sum, row_text(history, row, "checksum")) != 0 ? "modified"
                                                                                   : "applied";
        rorm__str_printf(&s, "%s %s\n", state, names.ptr[i]);
    }
    /* Drift: what the registered schemas still need after every file. */
    if (rc == RORM_OK && db->root->schemas.len > 0) {
        rorm_migrate_plan *plan = NULL;
        rc = rorm_migrate_plan_new(&plan, db, NULL, err);
        if (rc == RORM_OK) {
            rorm__str_printf(&s, "drift %zu\n", plan->steps.len);
            for (size_t i = 0; i < plan->steps.len; i++) {
                rorm__str_printf(&s, "  %s\n", plan->steps.ptr[i].description);
            }
        }
        rorm_migrate_plan_free(plan);
    }
    rorm_rows_free(history);
    names_dispose(&names);
    if (rc == RORM_OK && rorm__str_oom(&s)) {
        rc = rorm__error_oom(err);
    }
    if (rc == RORM_OK) {
        *out = rorm__str_detach(&s);
    }
    rorm__str_dispose(&s);
    return rc;
}

int rorm_migrate_rollback(char **name_out, rorm_db *db, const char *dir, rorm_error *err)
{
    if (name_out) {
        *name_out = NULL;
    }
    RORM_CHECK_ARG(db != NULL && dir != NULL, err);
    rorm__mg_names names = { 0 };
    rorm_rows *history = NULL;
    int rc = list_dirs(&names, dir, err);
    if (rc == RORM_OK) {
        rc = rorm_migrate_status(&history, db, err);
    }
    /* The last applied migration that has a directory. */
    long row = -1;
    const char *name = NULL;
    for (size_t i = 0; rc == RORM_OK && i < names.len; i++) {
        long r = history_row(history, names.ptr[i]);
        if (r > row) {
            row = r;
            name = names.ptr[i];
        }
    }
    if (rc == RORM_OK && name == NULL) {
        rc = rorm__error(err, RORM_ENOTFOUND, "no applied migration in '%s'", dir);
    }
    char *down = NULL;
    if (rc == RORM_OK) {
        rc = migration_sql(&down, NULL, dir, name, "down.sql", err);
    }
    if (rc == RORM_OK && strstr(down, MG_NO_ROLLBACK) != NULL) {
        const char *why = strstr(down, MG_NO_ROLLBACK) + strlen(MG_NO_ROLLBACK);
        const char *eol = strchr(why, '\n');
        rc = rorm__error(err, RORM_EUNSUPPORTED, "migration '%s' cannot be rolled back: %.*s", name,
                         (int)(eol ? eol - why : (long)strlen(why)), why);
    }
    if (rc == RORM_OK) {
        const rorm_value *id = rorm_rows_field(history, (size_t)row, "id");
        int64_t idv = id && id->type == RORM_TYPE_INT    ? id->u.i
                      : id && id->type == RORM_TYPE_TEXT ? strtoll(id->u.s.ptr, NULL, 10)
                                                         : 0;
        rc = run_file(db, down, forget, &idv, err);
    }
    if (rc == RORM_OK && name_out) {
        *name_out = rorm__strdup(name);
        rc = *name_out ? RORM_OK : rorm__error_oom(err);
    }
    rorm__free(down);
    rorm_rows_free(history);
    names_dispose(&names);
    return rc;
}

int rorm_migrate_reset(rorm_db *db, const char *dir, rorm_error *err)
{
    RORM_CHECK_ARG(db != NULL && dir != NULL, err);
    const rorm_dialect *d = db->dialect;
    rorm_conn *conn;
    int rc = rorm__db_acquire(&conn, db, err);
    if (rc != RORM_OK) {
        return rc;
    }
    /* With several PostgreSQL schemas registered, each of them is emptied. */
    rorm__mg_schemas ds;
    rorm__mg_db have;
    rc = rorm__mg_schemas_find(&ds, conn, d->db_type, db->root->schemas.ptr, db->root->schemas.len,
                               err);
    if (rc == RORM_OK) {
        rc = rorm__mg_introspect_in(&have, conn, d, ds.names.ptr, ds.names.len, err);
        rorm__mg_schemas_dispose(&ds);
    }
    rorm__db_release(db, conn);
    if (rc != RORM_OK) {
        return rc;
    }
    /* Foreign keys first (servers), then the tables, the history and the enum types. */
    rorm_str sql = RORM_STR_INIT;
    for (size_t i = 0; d->rebuild_table == NULL && i < have.tables.len; i++) {
        const rorm__mg_table *t = &have.tables.ptr[i];
        for (size_t k = 0; k < t->fks.len; k++) {
            rorm_alter op = { .kind = RORM_ALTER_DROP_FOREIGN_KEY,
                              .table = t->name,
                              .name = t->fks.ptr[k].name,
                              .schema = t->schema };
            if (t->fks.ptr[k].name && (rc = d->alter(&sql, &op, err)) == RORM_OK) {
                rorm__str_puts(&sql, ";\n");
            }
        }
    }
    for (size_t i = 0; rc == RORM_OK && i < have.tables.len; i++) {
        rorm_alter op = { .kind = RORM_ALTER_DROP_TABLE,
                          .table = have.tables.ptr[i].name,
                          .schema = have.tables.ptr[i].schema };
        if ((rc = d->alter(&sql, &op, err)) == RORM_OK) {
            rorm__str_puts(&sql, ";\n");
        }
    }
    rorm__str_puts(&sql, "DROP TABLE IF EXISTS ");
    d->quote_ident(&sql, "redi_migrations");
    rorm__str_puts(&sql, ";\n");
    for (size_t i = 0; rc == RORM_OK && i < have.enums.len; i++) {
        rorm_alter op = { .kind = RORM_ALTER_DROP_ENUM,
                          .name = have.enums.ptr[i].name,
                          .schema = have.enums.ptr[i].schema };
        if ((rc = d->alter(&sql, &op, err)) == RORM_OK) {
            rorm__str_puts(&sql, ";\n");
        }
    }
    rorm__mg_db_dispose(&have);
    if (rc == RORM_OK && rorm__str_oom(&sql)) {
        rc = rorm__error_oom(err);
    }
    if (rc == RORM_OK) {
        rc = run_file(db, sql.ptr, NULL, NULL, err);
    }
    rorm__str_dispose(&sql);
    if (rc == RORM_OK) {
        rc = rorm_migrate_apply_dir(NULL, db, dir, err);
    }
    return rc;
}
