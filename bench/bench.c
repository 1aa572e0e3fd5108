/*
 * The benchmark of ../shared/bench/WORKLOAD.md: each operation timed on raw SQLite (prepared
 * statements reused, rows copied into structs) and on RediORM's C API, side by side in one run,
 * each on a fresh database file. Prints the figures and the ratio RediORM/raw, and writes them
 * as JSON (--json PATH). Operations e and g need relations and grouping (later issues).
 *
 * With RORM_BENCH_PG_URL / RORM_BENCH_MYSQL_URL (or the test servers' RORM_TEST_PG_URL /
 * RORM_TEST_MYSQL_URL) set, the same workload also runs on PostgreSQL (raw libpq, prepared
 * statements reused) and MariaDB/MySQL (raw Connector/C server-side prepared statements), each
 * side in its own fresh schema or database with the tables RediORM creates.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rediorm/rediorm.h>
#include <sqlite3.h>
#ifdef RORM_WITH_PG
#include <libpq-fe.h>
#endif
#ifdef RORM_WITH_MYSQL
#include <mysql.h>
#endif

#define NUSERS   10000
#define NPOSTS   50000
#define NLOOKUPS 10000
#define NLISTS   1000
#define NUPDATES 2000

typedef struct user_row {
    int64_t id;
    char email[64];
    char name[64];
    int64_t age; /* -1 for NULL */
    int64_t created_at;
} user_row;

typedef struct post_row {
    int64_t id;
    char title[64];
    bool published;
    int64_t author_id;
} post_row;

typedef struct result {
    const char *op;
    const char *what;
    double raw_ms, orm_ms;
    int64_t raw_check, orm_check;
} result;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench: %s: %s\n", what, msg);
    exit(1);
}

static int64_t scattered(int64_t i)
{
    return (i * 7919) % NUSERS + 1;
}

static void user_data(int64_t i, char *email, char *name, int64_t *age)
{
    sprintf(email, "user%" PRId64 "@example.com", i);
    sprintf(name, "User %" PRId64, i);
    *age = i % 10 == 0 ? -1 : 18 + i % 60;
}

static void post_data(int64_t j, char *title, char *content, bool *published, int64_t *author)
{
    sprintf(title, "Post %" PRId64, j);
    sprintf(content,
            "Content of post %" PRId64 ". Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
            j);
    *published = j % 3 == 0;
    *author = j % NUSERS + 1;
}

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* ---- Raw SQLite --------------------------------------------------------------------------- */

static sqlite3 *raw;

static void raw_exec(const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK) {
        die(sql, msg);
    }
}

static sqlite3_stmt *raw_prepare(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(raw, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        die(sql, sqlite3_errmsg(raw));
    }
    return st;
}

static void raw_open(const char *path)
{
    if (sqlite3_open(path, &raw) != SQLITE_OK) {
        die("open", sqlite3_errmsg(raw));
    }
    raw_exec(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16000;");
    raw_exec(
        "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, name TEXT NOT NULL, "
        "age INTEGER, created_at DATETIME NOT NULL);"
        "CREATE UNIQUE INDEX users_email_key ON users (email);"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, content TEXT NOT NULL, "
        "published BOOLEAN NOT NULL DEFAULT false, author_id INTEGER NOT NULL REFERENCES users (id) "
        "ON DELETE RESTRICT ON UPDATE CASCADE);"
        "CREATE INDEX posts_author_id_idx ON posts (author_id);");
}

static int64_t raw_a(void)
{
    sqlite3_stmt *st =
        raw_prepare("INSERT INTO users (email, name, age, created_at) VALUES (?, ?, ?, ?)");
    char email[64], name[64];
    int64_t age, n = 0;
    raw_exec("BEGIN");
    for (int64_t i = 1; i <= NUSERS; i++) {
        user_data(i, email, name, &age);
        sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        if (age < 0) {
            sqlite3_bind_null(st, 3);
        } else {
            sqlite3_bind_int64(st, 3, age);
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        sqlite3_bind_int64(st, 4, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
        if (sqlite3_step(st) != SQLITE_DONE) {
            die("a", sqlite3_errmsg(raw));
        }
        n += sqlite3_last_insert_rowid(raw) == i;
        sqlite3_reset(st);
    }
    raw_exec("COMMIT");
    sqlite3_finalize(st);
    return n;
}

/* The fastest raw form: multi-row INSERTs of 500 rows, prepared once and reused. */
#define RAW_B_ROWS 500
static int64_t raw_b(void)
{
    char sql[RAW_B_ROWS * 16 + 128];
    int off = sprintf(sql, "INSERT INTO posts (title, content, published, author_id) VALUES ");
    for (int r = 0; r < RAW_B_ROWS; r++) {
        off += sprintf(sql + off, "%s(?, ?, ?, ?)", r ? ", " : "");
    }
    sqlite3_stmt *st = raw_prepare(sql);
    static char titles[RAW_B_ROWS][32], contents[RAW_B_ROWS][128];
    bool published;
    int64_t author, n = 0;
    raw_exec("BEGIN");
    for (int64_t base = 0; base < NPOSTS; base += RAW_B_ROWS) {
        for (int r = 0; r < RAW_B_ROWS; r++) {
            post_data(base + r, titles[r], contents[r], &published, &author);
            sqlite3_bind_text(st, 4 * r + 1, titles[r], -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4 * r + 2, contents[r], -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 4 * r + 3, published);
            sqlite3_bind_int64(st, 4 * r + 4, author);
        }
        if (sqlite3_step(st) != SQLITE_DONE) {
            die("b", sqlite3_errmsg(raw));
        }
        n += sqlite3_changes(raw);
        sqlite3_reset(st);
    }
    raw_exec("COMMIT");
    sqlite3_finalize(st);
    return n;
}

static int64_t raw_c(void)
{
    sqlite3_stmt *st =
        raw_prepare("SELECT id, email, name, age, created_at FROM users WHERE id = ? LIMIT 1");
    user_row u;
    int64_t sum = 0;
    for (int64_t i = 0; i < NLOOKUPS; i++) {
        sqlite3_bind_int64(st, 1, scattered(i));
        if (sqlite3_step(st) != SQLITE_ROW) {
            die("c", "missing user");
        }
        u.id = sqlite3_column_int64(st, 0);
        copy_text(u.email, sizeof u.email, (const char *)sqlite3_column_text(st, 1));
        copy_text(u.name, sizeof u.name, (const char *)sqlite3_column_text(st, 2));
        u.age = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 3);
        u.created_at = sqlite3_column_int64(st, 4);
        sum += u.age > 0 ? u.age : 0;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return sum;
}

static int64_t raw_d(void)
{
    sqlite3_stmt *st =
        raw_prepare("SELECT id, title, published, author_id FROM posts WHERE published = ? AND "
                    "author_id = ? ORDER BY id DESC LIMIT 10");
    post_row rows[10];
    int64_t check = 0;
    for (int64_t i = 0; i < NLISTS; i++) {
        sqlite3_bind_int(st, 1, 1);
        sqlite3_bind_int64(st, 2, scattered(i));
        int n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            post_row *p = &rows[n++];
            p->id = sqlite3_column_int64(st, 0);
            copy_text(p->title, sizeof p->title, (const char *)sqlite3_column_text(st, 1));
            p->published = sqlite3_column_int(st, 2) != 0;
            p->author_id = sqlite3_column_int64(st, 3);
            check += p->id;
        }
        check += (int64_t)n * 1000000000;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return check;
}

static int64_t raw_f(void)
{
    sqlite3_stmt *st = raw_prepare("UPDATE users SET name = ?, age = ? WHERE id = ?");
    char name[64];
    int64_t n = 0;
    raw_exec("BEGIN");
    for (int64_t i = 0; i < NUPDATES; i++) {
        int64_t id = scattered(i);
        sprintf(name, "User %" PRId64 " v2", id);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, 20 + id % 50);
        sqlite3_bind_int64(st, 3, id);
        if (sqlite3_step(st) != SQLITE_DONE) {
            die("f", sqlite3_errmsg(raw));
        }
        n += sqlite3_changes(raw);
        sqlite3_reset(st);
    }
    raw_exec("COMMIT");
    sqlite3_finalize(st);
    return n;
}

static int64_t raw_h(void)
{
    sqlite3_stmt *st = raw_prepare("DELETE FROM posts WHERE author_id < ?");
    sqlite3_bind_int64(st, 1, 500);
    if (sqlite3_step(st) != SQLITE_DONE) {
        die("h", sqlite3_errmsg(raw));
    }
    int64_t n = sqlite3_changes(raw);
    sqlite3_finalize(st);
    return n;
}

/* ---- RediORM ------------------------------------------------------------------------------ */

static rorm_db *db;
static rorm_error err;

static void ok(int rc, const char *what)
{
    if (rc != RORM_OK) {
        die(what, err.message);
    }
}

static const rorm_field_def user_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "email", .type = RORM_FIELD_STRING, .flags = RORM_UNIQUE },
    { .name = "name", .type = RORM_FIELD_STRING },
    { .name = "age", .type = RORM_FIELD_INT, .flags = RORM_NULLABLE },
    { .name = "createdAt", .type = RORM_FIELD_DATETIME, .default_kind = RORM_DEFAULT_NOW },
};
static const rorm_relation_def user_relations[] = {
    { .name = "posts", .kind = RORM_ONE_TO_MANY, .model = "Post" },
};
static const rorm_field_def post_fields[] = {
    { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
    { .name = "title", .type = RORM_FIELD_STRING },
    { .name = "content", .type = RORM_FIELD_STRING },
    { .name = "published",
      .type = RORM_FIELD_BOOL,
      .default_kind = RORM_DEFAULT_VALUE,
      .default_text = "false" },
    { .name = "authorId", .type = RORM_FIELD_INT, .flags = RORM_INDEX },
};
static const rorm_relation_def post_relations[] = {
    { .name = "author",
      .kind = RORM_MANY_TO_ONE,
      .model = "User",
      .fields = "authorId",
      .references = "id" },
};
static const rorm_model_def models[] = {
    { .name = "User",
      .fields = user_fields,
      .nfields = RORM_COUNT(user_fields),
      .relations = user_relations,
      .nrelations = RORM_COUNT(user_relations) },
    { .name = "Post",
      .fields = post_fields,
      .nfields = RORM_COUNT(post_fields),
      .relations = post_relations,
      .nrelations = RORM_COUNT(post_relations) },
};

static void orm_open(const char *path)
{
    rorm_config cfg = RORM_CONFIG_INIT;
    cfg.type = RORM_DB_SQLITE;
    cfg.path = path;
    cfg.max_connections = 1; /* one connection, so the cache_size pragma below applies to it */
    ok(rorm_db_open_config(&db, &cfg, &err), "open");
    ok(rorm_db_execute_raw(db, "PRAGMA cache_size=-16000", NULL, 0, NULL, &err), "pragma");
    rorm_schema *schema;
    ok(rorm_schema_new(&schema, &err), "schema");
    for (size_t i = 0; i < RORM_COUNT(models); i++) {
        ok(rorm_schema_add_model(schema, &models[i], &err), "model");
    }
    ok(rorm_db_register(db, schema, &err), "register");
    rorm_schema_release(schema);
    ok(rorm_db_ensure_schema(db, &err), "ensure");
}

static int64_t orm_a(void)
{
    char email[64], name[64];
    int64_t age, n = 0;
    rorm_db *tx;
    ok(rorm_db_begin(&tx, db, &err), "begin");
    for (int64_t i = 1; i <= NUSERS; i++) {
        user_data(i, email, name, &age);
        rorm_member m[] = {
            { "email", RORM_TEXT(email) },
            { "name", RORM_TEXT(name) },
            { "age", age < 0 ? RORM_NULL_VALUE : RORM_INT(age) },
        };
        rorm_value id;
        ok(rorm_db_insert(tx, "User", &RORM_OBJECT(m), &id, &err), "a");
        n += id.u.i == i;
    }
    ok(rorm_db_commit(tx, &err), "commit");
    return n;
}

static int64_t orm_b(void)
{
    /* The caller's data as values: 4 members per post, borrowing the formatted strings. */
    enum { CHUNK = 1000 };
    static char titles[CHUNK][32], contents[CHUNK][128];
    static rorm_member members[CHUNK][4];
    static rorm_value records[CHUNK];
    bool published;
    int64_t author, total = 0;
    rorm_db *tx;
    ok(rorm_db_begin(&tx, db, &err), "begin");
    for (int64_t base = 0; base < NPOSTS; base += CHUNK) {
        for (int k = 0; k < CHUNK; k++) {
            post_data(base + k, titles[k], contents[k], &published, &author);
            members[k][0] = (rorm_member){ "title", RORM_TEXT(titles[k]) };
            members[k][1] = (rorm_member){ "content", RORM_TEXT(contents[k]) };
            members[k][2] = (rorm_member){ "published", RORM_BOOL(published) };
            members[k][3] = (rorm_member){ "authorId", RORM_INT(author) };
            records[k] = RORM_OBJECT(members[k]);
        }
        int64_t n = 0;
        ok(rorm_db_insert_many(tx, "Post", records, CHUNK, &n, &err), "b");
        total += n;
    }
    ok(rorm_db_commit(tx, &err), "commit");
    return total;
}

static int64_t orm_c(void)
{
    user_row u;
    int64_t sum = 0;
    for (int64_t i = 0; i < NLOOKUPS; i++) {
        rorm_value rec;
        ok(rorm_db_find(db, "User", &RORM_INT(scattered(i)), &rec, &err), "c");
        u.id = rorm_value_as_int(
            rorm_value_object_at(&rec, 0) ? &rorm_value_object_at(&rec, 0)->value : NULL, 0);
        copy_text(u.email, sizeof u.email,
                  rorm_value_as_text(&rorm_value_object_at(&rec, 1)->value));
        copy_text(u.name, sizeof u.name, rorm_value_as_text(&rorm_value_object_at(&rec, 2)->value));
        u.age = rorm_value_as_int(&rorm_value_object_at(&rec, 3)->value, -1);
        u.created_at = rorm_value_object_at(&rec, 4)->value.u.ms;
        sum += u.age > 0 ? u.age : 0;
        rorm_value_dispose(&rec);
    }
    return sum;
}

static int64_t orm_d(void)
{
    post_row rows[10];
    int64_t check = 0;
    for (int64_t i = 0; i < NLISTS; i++) {
        rorm_query *q;
        rorm_rows *res;
        ok(rorm_query_new(&q, db, "Post", &err), "d");
        rorm_query_select(q, "id, title, published, authorId");
        rorm_query_where(q, "published", "=", &RORM_BOOL(true));
        rorm_query_where(q, "authorId", "=", &RORM_INT(scattered(i)));
        rorm_query_order_by(q, "id", RORM_DESC);
        rorm_query_limit(q, 10);
        ok(rorm_query_execute(&res, q, &err), "d");
        size_t n = rorm_rows_count(res);
        for (size_t r = 0; r < n; r++) {
            post_row *p = &rows[r];
            p->id = rorm_rows_get(res, r, 0)->u.i;
            copy_text(p->title, sizeof p->title, rorm_value_as_text(rorm_rows_get(res, r, 1)));
            p->published = rorm_rows_get(res, r, 2)->u.b;
            p->author_id = rorm_rows_get(res, r, 3)->u.i;
            check += p->id;
        }
        check += (int64_t)n * 1000000000;
        rorm_rows_free(res);
        rorm_query_free(q);
    }
    return check;
}

static int64_t orm_f(void)
{
    char name[64];
    int64_t n = 0;
    rorm_db *tx;
    ok(rorm_db_begin(&tx, db, &err), "begin");
    for (int64_t i = 0; i < NUPDATES; i++) {
        int64_t id = scattered(i);
        sprintf(name, "User %" PRId64 " v2", id);
        rorm_member m[] = { { "name", RORM_TEXT(name) }, { "age", RORM_INT(20 + id % 50) } };
        ok(rorm_db_update(tx, "User", &RORM_INT(id), &RORM_OBJECT(m), &err), "f");
        n++;
    }
    ok(rorm_db_commit(tx, &err), "commit");
    return n;
}

static int64_t orm_h(void)
{
    rorm_query *q;
    int64_t n = 0;
    ok(rorm_query_new(&q, db, "Post", &err), "h");
    rorm_query_where(q, "authorId", "<", &RORM_INT(500));
    ok(rorm_query_delete(&n, q, &err), "h");
    rorm_query_free(q);
    return n;
}

/* ---- Servers: shared setup ---------------------------------------------------------------- */

/*
 * A fresh scratch schema (PostgreSQL) or database (MySQL) named @p name on the server at
 * @p url, with the workload's tables created by RediORM. Returns the URL that opens it.
 */
static char *fresh_server_db(const char *url, bool pg, const char *name)
{
    rorm_db *admin;
    char sql[256], *out = malloc(strlen(url) + 64);
    if (out == NULL) {
        die("malloc", "out of memory");
    }
    ok(rorm_db_open(&admin, url, &err), "open admin");
    if (pg) {
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS \"%s\" CASCADE", name);
        ok(rorm_db_execute_raw(admin, sql, NULL, 0, NULL, &err), sql);
        snprintf(sql, sizeof sql, "CREATE SCHEMA \"%s\"", name);
        ok(rorm_db_execute_raw(admin, sql, NULL, 0, NULL, &err), sql);
        sprintf(out, "%s%cschema=%s", url, strchr(url, '?') ? '&' : '?', name);
    } else {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", name);
        ok(rorm_db_execute_raw(admin, sql, NULL, 0, NULL, &err), sql);
        snprintf(sql, sizeof sql, "CREATE DATABASE `%s` CHARACTER SET utf8mb4", name);
        ok(rorm_db_execute_raw(admin, sql, NULL, 0, NULL, &err), sql);
        const char *slash = strchr(strstr(url, "://") + 3, '/');
        const char *query = strchr(url, '?');
        if (slash == NULL) {
            slash = query ? query : url + strlen(url);
        }
        sprintf(out, "%.*s/%s%s", (int)(slash - url), url, name, query ? query : "");
    }
    rorm_db_close(admin);
    /* The tables, exactly as RediORM makes them, so both sides run on the same DDL. */
    rorm_db *setup;
    rorm_schema *schema;
    ok(rorm_db_open(&setup, out, &err), "open scratch");
    ok(rorm_schema_new(&schema, &err), "schema");
    for (size_t i = 0; i < RORM_COUNT(models); i++) {
        ok(rorm_schema_add_model(schema, &models[i], &err), "model");
    }
    ok(rorm_db_register(setup, schema, &err), "register");
    rorm_schema_release(schema);
    ok(rorm_db_ensure_schema(setup, &err), "ensure");
    rorm_db_close(setup);
    return out;
}

static void drop_server_db(const char *url, bool pg, const char *name)
{
    rorm_db *admin;
    char sql[256];
    if (rorm_db_open(&admin, url, &err) != RORM_OK) {
        return;
    }
    if (pg) {
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS \"%s\" CASCADE", name);
    } else {
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", name);
    }
    rorm_db_execute_raw(admin, sql, NULL, 0, NULL, &err);
    rorm_db_close(admin);
}

static void orm_open_url(const char *url)
{
    ok(rorm_db_open(&db, url, &err), "open");
    rorm_schema *schema;
    ok(rorm_schema_new(&schema, &err), "schema");
    for (size_t i = 0; i < RORM_COUNT(models); i++) {
        ok(rorm_schema_add_model(schema, &models[i], &err), "model");
    }
    ok(rorm_db_register(db, schema, &err), "register");
    rorm_schema_release(schema);
}

static int64_t now_epoch_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "YYYY-MM-DD HH:MM:SS.mmm" for a UTC instant (what the raw sides bind for created_at). */
static void format_ts(char *buf, size_t size, int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%03d", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

/* Parse the same form back (the raw sides read created_at into their structs). */
static int64_t parse_ts(const char *s)
{
    struct tm tm = { 0 };
    int ms = 0;
    if (sscanf(s, "%d-%d-%d %d:%d:%d.%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &ms) < 6) {
        return 0;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm) * 1000 + ms;
}

#ifdef RORM_WITH_PG
/* ---- Raw libpq ---------------------------------------------------------------------------- */

static PGconn *pg;

static void pg_ok(PGresult *res, ExecStatusType want, const char *what)
{
    if (PQresultStatus(res) != want) {
        die(what, PQerrorMessage(pg));
    }
}

static void pg_exec(const char *sql)
{
    PGresult *res = PQexec(pg, sql);
    pg_ok(res, PGRES_COMMAND_OK, sql);
    PQclear(res);
}

static void pg_prepare(const char *name, const char *sql)
{
    PGresult *res = PQprepare(pg, name, sql, 0, NULL);
    pg_ok(res, PGRES_COMMAND_OK, sql);
    PQclear(res);
}

static void raw_pg_open(const char *url, const char *schema)
{
    /* libpq takes the URI itself; the search path is set the way the driver sets it. */
    char conninfo[1024];
    snprintf(conninfo, sizeof conninfo, "%s", url);
    char *q = strchr(conninfo, '?');
    if (q) {
        *q = '\0'; /* drop RediORM's parameters */
    }
    pg = PQconnectdb(conninfo);
    if (PQstatus(pg) != CONNECTION_OK) {
        die("PQconnectdb", PQerrorMessage(pg));
    }
    char sql[128];
    snprintf(sql, sizeof sql, "SET search_path TO \"%s\"", schema);
    pg_exec(sql);
    pg_prepare("a", "INSERT INTO users (email, name, age, created_at) VALUES ($1, $2, $3, $4) "
                    "RETURNING id");
    pg_prepare("c", "SELECT id, email, name, age, created_at FROM users WHERE id = $1 LIMIT 1");
    pg_prepare("d", "SELECT id, title, published, author_id FROM posts WHERE published = $1 AND "
                    "author_id = $2 ORDER BY id DESC LIMIT 10");
    pg_prepare("f", "UPDATE users SET name = $1, age = $2 WHERE id = $3");
    pg_prepare("h", "DELETE FROM posts WHERE author_id < $1");
}

/* Fresh statistics for both schemas, so the planner sees the loaded tables in op d. */
static void pg_analyze(void)
{
    pg_exec("ANALYZE rorm_bench_raw.users, rorm_bench_raw.posts, rorm_bench_orm.users, "
            "rorm_bench_orm.posts");
}

static int64_t raw_pg_a(void)
{
    char email[64], name[64], agebuf[24], ts[96];
    int64_t age, n = 0;
    pg_exec("BEGIN");
    for (int64_t i = 1; i <= NUSERS; i++) {
        user_data(i, email, name, &age);
        snprintf(agebuf, sizeof agebuf, "%" PRId64, age);
        format_ts(ts, sizeof ts, now_epoch_ms());
        const char *v[4] = { email, name, age < 0 ? NULL : agebuf, ts };
        PGresult *res = PQexecPrepared(pg, "a", 4, v, NULL, NULL, 0);
        pg_ok(res, PGRES_TUPLES_OK, "a");
        n += strtoll(PQgetvalue(res, 0, 0), NULL, 10) == i;
        PQclear(res);
    }
    pg_exec("COMMIT");
    return n;
}

static int64_t raw_pg_b(void)
{
    static char sql[RAW_B_ROWS * 24 + 128];
    int off = sprintf(sql, "INSERT INTO posts (title, content, published, author_id) VALUES ");
    for (int r = 0; r < RAW_B_ROWS; r++) {
        off += sprintf(sql + off, "%s($%d, $%d, $%d, $%d)", r ? ", " : "", 4 * r + 1, 4 * r + 2,
                       4 * r + 3, 4 * r + 4);
    }
    pg_prepare("b", sql);
    static char titles[RAW_B_ROWS][32], contents[RAW_B_ROWS][128], authors[RAW_B_ROWS][24];
    static const char *v[RAW_B_ROWS * 4];
    bool published;
    int64_t author, n = 0;
    pg_exec("BEGIN");
    for (int64_t base = 0; base < NPOSTS; base += RAW_B_ROWS) {
        for (int r = 0; r < RAW_B_ROWS; r++) {
            post_data(base + r, titles[r], contents[r], &published, &author);
            snprintf(authors[r], sizeof authors[r], "%" PRId64, author);
            v[4 * r] = titles[r];
            v[4 * r + 1] = contents[r];
            v[4 * r + 2] = published ? "t" : "f";
            v[4 * r + 3] = authors[r];
        }
        PGresult *res = PQexecPrepared(pg, "b", RAW_B_ROWS * 4, v, NULL, NULL, 0);
        pg_ok(res, PGRES_COMMAND_OK, "b");
        n += strtoll(PQcmdTuples(res), NULL, 10);
        PQclear(res);
    }
    pg_exec("COMMIT");
    return n;
}

static int64_t raw_pg_c(void)
{
    user_row u;
    int64_t sum = 0;
    char idbuf[24];
    for (int64_t i = 0; i < NLOOKUPS; i++) {
        snprintf(idbuf, sizeof idbuf, "%" PRId64, scattered(i));
        const char *v[1] = { idbuf };
        PGresult *res = PQexecPrepared(pg, "c", 1, v, NULL, NULL, 0);
        pg_ok(res, PGRES_TUPLES_OK, "c");
        if (PQntuples(res) != 1) {
            die("c", "missing user");
        }
        u.id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
        copy_text(u.email, sizeof u.email, PQgetvalue(res, 0, 1));
        copy_text(u.name, sizeof u.name, PQgetvalue(res, 0, 2));
        u.age = PQgetisnull(res, 0, 3) ? -1 : strtoll(PQgetvalue(res, 0, 3), NULL, 10);
        u.created_at = parse_ts(PQgetvalue(res, 0, 4));
        sum += u.age > 0 ? u.age : 0;
        PQclear(res);
    }
    return sum;
}

static int64_t raw_pg_d(void)
{
    post_row rows[10];
    int64_t check = 0;
    char idbuf[24];
    for (int64_t i = 0; i < NLISTS; i++) {
        snprintf(idbuf, sizeof idbuf, "%" PRId64, scattered(i));
        const char *v[2] = { "t", idbuf };
        PGresult *res = PQexecPrepared(pg, "d", 2, v, NULL, NULL, 0);
        pg_ok(res, PGRES_TUPLES_OK, "d");
        int n = PQntuples(res);
        for (int r = 0; r < n; r++) {
            post_row *p = &rows[r];
            p->id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
            copy_text(p->title, sizeof p->title, PQgetvalue(res, r, 1));
            p->published = PQgetvalue(res, r, 2)[0] == 't';
            p->author_id = strtoll(PQgetvalue(res, r, 3), NULL, 10);
            check += p->id;
        }
        check += (int64_t)n * 1000000000;
        PQclear(res);
    }
    return check;
}

static int64_t raw_pg_f(void)
{
    char name[64], agebuf[24], idbuf[24];
    int64_t n = 0;
    pg_exec("BEGIN");
    for (int64_t i = 0; i < NUPDATES; i++) {
        int64_t id = scattered(i);
        sprintf(name, "User %" PRId64 " v2", id);
        snprintf(agebuf, sizeof agebuf, "%" PRId64, 20 + id % 50);
        snprintf(idbuf, sizeof idbuf, "%" PRId64, id);
        const char *v[3] = { name, agebuf, idbuf };
        PGresult *res = PQexecPrepared(pg, "f", 3, v, NULL, NULL, 0);
        pg_ok(res, PGRES_COMMAND_OK, "f");
        n += strtoll(PQcmdTuples(res), NULL, 10);
        PQclear(res);
    }
    pg_exec("COMMIT");
    return n;
}

static int64_t raw_pg_h(void)
{
    const char *v[1] = { "500" };
    PGresult *res = PQexecPrepared(pg, "h", 1, v, NULL, NULL, 0);
    pg_ok(res, PGRES_COMMAND_OK, "h");
    int64_t n = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return n;
}
#endif

#ifdef RORM_WITH_MYSQL
/* ---- Raw MariaDB Connector/C ------------------------------------------------------------- */

static MYSQL *my;

static void my_die(MYSQL_STMT *st, const char *what)
{
    die(what, st ? mysql_stmt_error(st) : mysql_error(my));
}

static void my_exec(const char *sql)
{
    if (mysql_query(my, sql) != 0) {
        my_die(NULL, sql);
    }
}

static MYSQL_STMT *my_prepare(const char *sql)
{
    MYSQL_STMT *st = mysql_stmt_init(my);
    if (st == NULL || mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
        my_die(st, sql);
    }
    return st;
}

static void raw_my_open(const char *url)
{
    /* mysql://user:pass@host:port/db */
    char user[64] = "", pass[64] = "", host[128] = "", dbname[128] = "";
    unsigned port = 3306;
    const char *p = strstr(url, "://") + 3;
    sscanf(p, "%63[^:@]:%63[^@]@%127[^:/]:%u/%127[^?]", user, pass, host, &port, dbname);
    my = mysql_init(NULL);
    mysql_optionsv(my, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_optionsv(my, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
    if (mysql_real_connect(my, host, user, pass, dbname, port, NULL, CLIENT_FOUND_ROWS) == NULL) {
        my_die(NULL, "connect");
    }
}

static void bind_str(MYSQL_BIND *b, const char *s, unsigned long *len)
{
    memset(b, 0, sizeof *b);
    *len = strlen(s);
    b->buffer_type = MYSQL_TYPE_STRING;
    b->buffer = (void *)s;
    b->buffer_length = *len;
    b->length = len;
}

static void bind_i64(MYSQL_BIND *b, long long *v, my_bool *is_null)
{
    memset(b, 0, sizeof *b);
    b->buffer_type = MYSQL_TYPE_LONGLONG;
    b->buffer = v;
    b->is_null = is_null;
}

static void to_time(MYSQL_TIME *t, int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    memset(t, 0, sizeof *t);
    t->year = (unsigned)tm.tm_year + 1900;
    t->month = (unsigned)tm.tm_mon + 1;
    t->day = (unsigned)tm.tm_mday;
    t->hour = (unsigned)tm.tm_hour;
    t->minute = (unsigned)tm.tm_min;
    t->second = (unsigned)tm.tm_sec;
    t->second_part = (unsigned long)(ms % 1000) * 1000;
    t->time_type = MYSQL_TIMESTAMP_DATETIME;
}

static int64_t from_time(const MYSQL_TIME *t)
{
    struct tm tm = { 0 };
    tm.tm_year = (int)t->year - 1900;
    tm.tm_mon = (int)t->month - 1;
    tm.tm_mday = (int)t->day;
    tm.tm_hour = (int)t->hour;
    tm.tm_min = (int)t->minute;
    tm.tm_sec = (int)t->second;
    return (int64_t)timegm(&tm) * 1000 + (int64_t)(t->second_part / 1000);
}

static int64_t raw_my_a(void)
{
    MYSQL_STMT *st =
        my_prepare("INSERT INTO users (email, name, age, created_at) VALUES (?, ?, ?, ?)");
    char email[64], name[64];
    int64_t age, n = 0;
    long long agev;
    my_bool age_null;
    unsigned long l1, l2;
    MYSQL_TIME ts;
    MYSQL_BIND b[4];
    my_exec("BEGIN");
    for (int64_t i = 1; i <= NUSERS; i++) {
        user_data(i, email, name, &age);
        bind_str(&b[0], email, &l1);
        bind_str(&b[1], name, &l2);
        agev = age;
        age_null = age < 0;
        bind_i64(&b[2], &agev, &age_null);
        to_time(&ts, now_epoch_ms());
        memset(&b[3], 0, sizeof b[3]);
        b[3].buffer_type = MYSQL_TYPE_DATETIME;
        b[3].buffer = &ts;
        if (mysql_stmt_bind_param(st, b) != 0 || mysql_stmt_execute(st) != 0) {
            my_die(st, "a");
        }
        n += (int64_t)mysql_stmt_insert_id(st) == i;
    }
    my_exec("COMMIT");
    mysql_stmt_close(st);
    return n;
}

static int64_t raw_my_b(void)
{
    static char sql[RAW_B_ROWS * 16 + 128];
    int off = sprintf(sql, "INSERT INTO posts (title, content, published, author_id) VALUES ");
    for (int r = 0; r < RAW_B_ROWS; r++) {
        off += sprintf(sql + off, "%s(?, ?, ?, ?)", r ? ", " : "");
    }
    MYSQL_STMT *st = my_prepare(sql);
    static char titles[RAW_B_ROWS][32], contents[RAW_B_ROWS][128];
    static unsigned long lens[RAW_B_ROWS][2];
    static signed char pub[RAW_B_ROWS];
    static long long authors[RAW_B_ROWS];
    static MYSQL_BIND b[RAW_B_ROWS * 4];
    bool published;
    int64_t author, n = 0;
    my_exec("BEGIN");
    for (int64_t base = 0; base < NPOSTS; base += RAW_B_ROWS) {
        for (int r = 0; r < RAW_B_ROWS; r++) {
            post_data(base + r, titles[r], contents[r], &published, &author);
            bind_str(&b[4 * r], titles[r], &lens[r][0]);
            bind_str(&b[4 * r + 1], contents[r], &lens[r][1]);
            pub[r] = published;
            memset(&b[4 * r + 2], 0, sizeof b[0]);
            b[4 * r + 2].buffer_type = MYSQL_TYPE_TINY;
            b[4 * r + 2].buffer = &pub[r];
            authors[r] = author;
            bind_i64(&b[4 * r + 3], &authors[r], NULL);
        }
        if (mysql_stmt_bind_param(st, b) != 0 || mysql_stmt_execute(st) != 0) {
            my_die(st, "b");
        }
        n += (int64_t)mysql_stmt_affected_rows(st);
    }
    my_exec("COMMIT");
    mysql_stmt_close(st);
    return n;
}

static int64_t raw_my_c(void)
{
    MYSQL_STMT *st =
        my_prepare("SELECT id, email, name, age, created_at FROM users WHERE id = ? LIMIT 1");
    user_row u;
    long long id, rid, rage;
    my_bool age_null;
    unsigned long le, ln;
    MYSQL_TIME ts;
    MYSQL_BIND p[1], r[5];
    bind_i64(&p[0], &id, NULL);
    memset(r, 0, sizeof r);
    r[0].buffer_type = MYSQL_TYPE_LONGLONG;
    r[0].buffer = &rid;
    r[1].buffer_type = MYSQL_TYPE_STRING;
    r[1].buffer = u.email;
    r[1].buffer_length = sizeof u.email - 1;
    r[1].length = &le;
    r[2].buffer_type = MYSQL_TYPE_STRING;
    r[2].buffer = u.name;
    r[2].buffer_length = sizeof u.name - 1;
    r[2].length = &ln;
    r[3].buffer_type = MYSQL_TYPE_LONGLONG;
    r[3].buffer = &rage;
    r[3].is_null = &age_null;
    r[4].buffer_type = MYSQL_TYPE_DATETIME;
    r[4].buffer = &ts;
    int64_t sum = 0;
    for (int64_t i = 0; i < NLOOKUPS; i++) {
        id = scattered(i);
        if (mysql_stmt_bind_param(st, p) != 0 || mysql_stmt_execute(st) != 0 ||
            mysql_stmt_bind_result(st, r) != 0 || mysql_stmt_store_result(st) != 0) {
            my_die(st, "c");
        }
        if (mysql_stmt_fetch(st) != 0) {
            die("c", "missing user");
        }
        u.email[le < sizeof u.email ? le : sizeof u.email - 1] = '\0';
        u.name[ln < sizeof u.name ? ln : sizeof u.name - 1] = '\0';
        u.id = rid;
        u.age = age_null ? -1 : rage;
        u.created_at = from_time(&ts);
        sum += u.age > 0 ? u.age : 0;
        mysql_stmt_free_result(st);
    }
    mysql_stmt_close(st);
    return sum;
}

static int64_t raw_my_d(void)
{
    MYSQL_STMT *st =
        my_prepare("SELECT id, title, published, author_id FROM posts WHERE published = ? AND "
                   "author_id = ? ORDER BY id DESC LIMIT 10");
    post_row rows[10], cur;
    long long author, rid, raid;
    signed char pub = 1, rpub;
    unsigned long lt;
    MYSQL_BIND p[2], r[4];
    memset(p, 0, sizeof p);
    p[0].buffer_type = MYSQL_TYPE_TINY;
    p[0].buffer = &pub;
    bind_i64(&p[1], &author, NULL);
    memset(r, 0, sizeof r);
    r[0].buffer_type = MYSQL_TYPE_LONGLONG;
    r[0].buffer = &rid;
    r[1].buffer_type = MYSQL_TYPE_STRING;
    r[1].buffer = cur.title;
    r[1].buffer_length = sizeof cur.title - 1;
    r[1].length = &lt;
    r[2].buffer_type = MYSQL_TYPE_TINY;
    r[2].buffer = &rpub;
    r[3].buffer_type = MYSQL_TYPE_LONGLONG;
    r[3].buffer = &raid;
    int64_t check = 0;
    for (int64_t i = 0; i < NLISTS; i++) {
        author = scattered(i);
        if (mysql_stmt_bind_param(st, p) != 0 || mysql_stmt_execute(st) != 0 ||
            mysql_stmt_bind_result(st, r) != 0 || mysql_stmt_store_result(st) != 0) {
            my_die(st, "d");
        }
        int n = 0;
        while (mysql_stmt_fetch(st) == 0) {
            post_row *pr = &rows[n++];
            cur.title[lt < sizeof cur.title ? lt : sizeof cur.title - 1] = '\0';
            pr->id = rid;
            copy_text(pr->title, sizeof pr->title, cur.title);
            pr->published = rpub != 0;
            pr->author_id = raid;
            check += pr->id;
        }
        check += (int64_t)n * 1000000000;
        mysql_stmt_free_result(st);
    }
    mysql_stmt_close(st);
    return check;
}

static int64_t raw_my_f(void)
{
    MYSQL_STMT *st = my_prepare("UPDATE users SET name = ?, age = ? WHERE id = ?");
    char name[64];
    long long age, id;
    unsigned long ln;
    MYSQL_BIND b[3];
    int64_t n = 0;
    my_exec("BEGIN");
    for (int64_t i = 0; i < NUPDATES; i++) {
        id = scattered(i);
        sprintf(name, "User %lld v2", id);
        age = 20 + id % 50;
        bind_str(&b[0], name, &ln);
        bind_i64(&b[1], &age, NULL);
        bind_i64(&b[2], &id, NULL);
        if (mysql_stmt_bind_param(st, b) != 0 || mysql_stmt_execute(st) != 0) {
            my_die(st, "f");
        }
        n += (int64_t)mysql_stmt_affected_rows(st);
    }
    my_exec("COMMIT");
    mysql_stmt_close(st);
    return n;
}

static int64_t raw_my_h(void)
{
    MYSQL_STMT *st = my_prepare("DELETE FROM posts WHERE author_id < ?");
    long long v = 500;
    MYSQL_BIND b[1];
    bind_i64(&b[0], &v, NULL);
    if (mysql_stmt_bind_param(st, b) != 0 || mysql_stmt_execute(st) != 0) {
        my_die(st, "h");
    }
    int64_t n = (int64_t)mysql_stmt_affected_rows(st);
    mysql_stmt_close(st);
    return n;
}
#endif

/* ---- Driver ------------------------------------------------------------------------------- */

typedef int64_t (*op_fn)(void);

static void remove_db(const char *path)
{
    char p[512];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

typedef struct op_def {
    const char *op, *what;
    op_fn raw_fn, orm_fn;
} op_def;

#define NOPS 6
typedef struct suite {
    const char *name; /* "sqlite", "postgresql", "mysql" */
    const char *version;
    result results[NOPS];
    bool ran;
} suite;

static bool only_raw, only_orm;
/* Untimed work after the bulk load (op b), e.g. ANALYZE on a server; may be NULL. */
static void (*after_load)(void);

/*
 * Run the six operations of one database, alternating which side goes first (@p flip swaps
 * the order). With @p keep_min the times are merged into earlier ones, keeping the faster.
 */
static int run_ops(suite *su, const op_def *ops, bool flip, bool keep_min, bool print)
{
    int failed = 0;
    if (print) {
        printf("\n%s %s\n", su->name, su->version);
        printf("%-3s %-52s %10s %10s %7s\n", "op", "what", "raw ms", "rediorm ms", "ratio");
    }
    for (size_t i = 0; i < NOPS; i++) {
        result *r = &su->results[i];
        r->op = ops[i].op;
        r->what = ops[i].what;
        double t_raw = 0, t_orm = 0;
        for (int turn = 0; turn < 2; turn++) {
            bool raw_turn = ((turn == 0) == (i % 2 == 0)) != flip;
            double t0 = now_ms();
            if (raw_turn) {
                r->raw_check = only_orm ? 0 : ops[i].raw_fn();
                t_raw = now_ms() - t0;
            } else {
                r->orm_check = only_raw ? 0 : ops[i].orm_fn();
                t_orm = now_ms() - t0;
            }
        }
        if (i == 1 && after_load) {
            after_load();
        }
        r->raw_ms = keep_min && r->raw_ms > 0 && r->raw_ms < t_raw ? r->raw_ms : t_raw;
        r->orm_ms = keep_min && r->orm_ms > 0 && r->orm_ms < t_orm ? r->orm_ms : t_orm;
        if (print) {
            printf("%-3s %-52s %10.2f %10.2f %7.2f%s\n", r->op, r->what, r->raw_ms, r->orm_ms,
                   r->orm_ms / r->raw_ms, r->raw_check == r->orm_check ? "" : "  RESULT MISMATCH");
        }
        if (r->raw_check != r->orm_check && !only_raw && !only_orm) {
            fprintf(stderr, "bench: %s op %s: raw check %" PRId64 " != rediorm check %" PRId64 "\n",
                    su->name, r->op, r->raw_check, r->orm_check);
            failed = 1;
        }
    }
    su->ran = true;
    return failed;
}

static const char *env_url(const char *a, const char *b)
{
    const char *v = getenv(a);
    if (v == NULL || *v == '\0') {
        v = getenv(b);
    }
    return v && *v ? v : NULL;
}

int main(int argc, char **argv)
{
    const char *json_path = NULL;
    /* For profiling one side: RORM_BENCH_SIDE=raw or =rediorm (the checks then differ). */
    const char *side = getenv("RORM_BENCH_SIDE");
    only_raw = side && strcmp(side, "raw") == 0;
    only_orm = side && strcmp(side, "rediorm") == 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_path = argv[++i];
        }
    }
    static const char *const whats[NOPS] = {
        "insert 10,000 users one by one (one transaction)",
        "insert 50,000 posts in bulk (one transaction)",
        "10,000 find-by-id lookups, scattered",
        "1,000 filtered, ordered, limited lists",
        "2,000 updates by id (one transaction)",
        "delete posts with authorId < 500",
    };
    static const char *const names[NOPS] = { "a", "b", "c", "d", "f", "h" };
    op_fn orm_fns[NOPS] = { orm_a, orm_b, orm_c, orm_d, orm_f, orm_h };
    suite suites[3] = { { "sqlite", sqlite3_libversion(), { { 0 } }, false },
                        { "postgresql", "", { { 0 } }, false },
                        { "mysql", "", { { 0 } }, false } };
    int failed = 0;
    printf("RediORM %s benchmark, workload ../shared/bench/WORKLOAD.md\n", rorm_version());

    /* SQLite: fresh files in a temporary directory. */
    {
        char dir[] = "/tmp/rorm-bench-XXXXXX";
        if (mkdtemp(dir) == NULL) {
            die("mkdtemp", "failed");
        }
        char raw_path[256], orm_path[256];
        snprintf(raw_path, sizeof raw_path, "%s/raw.db", dir);
        snprintf(orm_path, sizeof orm_path, "%s/orm.db", dir);
        raw_open(raw_path);
        orm_open(orm_path);
        op_fn raw_fns[NOPS] = { raw_a, raw_b, raw_c, raw_d, raw_f, raw_h };
        op_def ops[NOPS];
        for (int i = 0; i < NOPS; i++) {
            ops[i] = (op_def){ names[i], whats[i], raw_fns[i], orm_fns[i] };
        }
        failed |= run_ops(&suites[0], ops, false, false, true);
        sqlite3_close(raw);
        rorm_db_close(db);
        remove_db(raw_path);
        remove_db(orm_path);
        rmdir(dir);
    }

#ifdef RORM_WITH_PG
    const char *pg_url = env_url("RORM_BENCH_PG_URL", "RORM_TEST_PG_URL");
    if (pg_url) {
        /* Two passes on fresh schemas, the second with each pair in the other order; the
           faster time of each side is kept (a server's background work after one side's
           writes otherwise lands on the other side). */
        for (int pass = 0; pass < 2; pass++) {
            char *raw_url = fresh_server_db(pg_url, true, "rorm_bench_raw");
            char *orm_url = fresh_server_db(pg_url, true, "rorm_bench_orm");
            raw_pg_open(raw_url, "rorm_bench_raw");
            orm_open_url(orm_url);
            static char version[64];
            snprintf(version, sizeof version, "server %d (best of 2 passes)", PQserverVersion(pg));
            suites[1].version = version;
            op_fn raw_fns[NOPS] = { raw_pg_a, raw_pg_b, raw_pg_c, raw_pg_d, raw_pg_f, raw_pg_h };
            op_def ops[NOPS];
            for (int i = 0; i < NOPS; i++) {
                ops[i] = (op_def){ names[i], whats[i], raw_fns[i], orm_fns[i] };
            }
            after_load = pg_analyze;
            failed |= run_ops(&suites[1], ops, pass == 1, pass == 1, pass == 1);
            after_load = NULL;
            PQfinish(pg);
            rorm_db_close(db);
            drop_server_db(pg_url, true, "rorm_bench_raw");
            drop_server_db(pg_url, true, "rorm_bench_orm");
            free(raw_url);
            free(orm_url);
        }
    } else {
        printf("\npostgresql: set RORM_BENCH_PG_URL (make bench starts a test server)\n");
    }
#endif
#ifdef RORM_WITH_MYSQL
    const char *my_url = env_url("RORM_BENCH_MYSQL_URL", "RORM_TEST_MYSQL_URL");
    if (my_url) {
        for (int pass = 0; pass < 2; pass++) {
            char *raw_url = fresh_server_db(my_url, false, "rorm_bench_raw");
            char *orm_url = fresh_server_db(my_url, false, "rorm_bench_orm");
            raw_my_open(raw_url);
            orm_open_url(orm_url);
            static char version[96];
            snprintf(version, sizeof version, "%s (best of 2 passes)", mysql_get_server_info(my));
            suites[2].version = version;
            op_fn raw_fns[NOPS] = { raw_my_a, raw_my_b, raw_my_c, raw_my_d, raw_my_f, raw_my_h };
            op_def ops[NOPS];
            for (int i = 0; i < NOPS; i++) {
                ops[i] = (op_def){ names[i], whats[i], raw_fns[i], orm_fns[i] };
            }
            failed |= run_ops(&suites[2], ops, pass == 1, pass == 1, pass == 1);
            mysql_close(my);
            rorm_db_close(db);
            drop_server_db(my_url, false, "rorm_bench_raw");
            drop_server_db(my_url, false, "rorm_bench_orm");
            free(raw_url);
            free(orm_url);
        }
    } else {
        printf("\nmysql: set RORM_BENCH_MYSQL_URL (make bench starts a test server)\n");
    }
#endif
    printf("\ne, g: need include and groupBy (relations and Prisma API issues)\n");

    if (json_path) {
        FILE *f = fopen(json_path, "w");
        if (f == NULL) {
            die(json_path, "cannot write");
        }
        /* The SQLite figures keep their place at the top level; servers follow by name. */
        fprintf(f, "{\n  \"rediorm\": \"%s\",\n  \"sqlite\": \"%s\",\n", rorm_version(),
                sqlite3_libversion());
        for (int s = 0; s < 3; s++) {
            if (!suites[s].ran) {
                continue;
            }
            if (s == 0) {
                fprintf(f, "  \"operations\": [\n");
            } else {
                fprintf(f, ",\n  \"%s\": {\"server\": \"%s\", \"operations\": [\n", suites[s].name,
                        suites[s].version);
            }
            for (size_t i = 0; i < NOPS; i++) {
                const result *r = &suites[s].results[i];
                fprintf(
                    f,
                    "    {\"op\": \"%s\", \"name\": \"%s\", \"raw_ms\": %.3f, \"rediorm_ms\": %.3f, \"ratio\": %.3f}%s\n",
                    r->op, r->what, r->raw_ms, r->orm_ms, r->orm_ms / r->raw_ms,
                    i + 1 < NOPS ? "," : "");
            }
            fprintf(f, s == 0 ? "  ]" : "  ]}");
        }
        fprintf(f, "\n}\n");
        fclose(f);
        printf("\nwrote %s\n", json_path);
    }
    return failed;
}
