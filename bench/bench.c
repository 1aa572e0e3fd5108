/*
 * The benchmark of ../shared/bench/WORKLOAD.md: each operation timed on raw SQLite (prepared
 * statements reused, rows copied into structs), on RediORM's C API (the record and chainable
 * API), on the Prisma Client engine (rorm_db_call with the argument trees of bench/workload.js
 * built in C: the "Call" column) and on RediORM's JavaScript API (bench/workload.js, Prisma
 * Client code run by the embedded JavaScriptCore engine), side by side in one run, each on a
 * fresh database file. Prints the figures and the ratios C/raw, Call/raw and JS/raw, and writes
 * them as JSON (--json PATH). Op e2 is issue 6's include benchmark: 1,000
 * users with 50 posts each, against a hand-written two-query raw load.
 *
 * With RORM_BENCH_PG_URL / RORM_BENCH_MYSQL_URL (or the test servers' RORM_TEST_PG_URL /
 * RORM_TEST_MYSQL_URL) set, the same workload also runs on PostgreSQL (raw libpq, prepared
 * statements reused) and MariaDB/MySQL (raw Connector/C server-side prepared statements), each
 * side in its own fresh schema or database with the tables RediORM creates (C API only; every
 * operation but e2).
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
#ifdef RORM_BENCH_JS
#include <rediorm/js.h>
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

/* RORM_BENCH_CLOCK=cpu times with the calling thread's CPU time instead of wall time: steadier
   on a busy machine while optimizing, but blind to waiting and to other threads' work. */
static clockid_t bench_clock = CLOCK_MONOTONIC;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(bench_clock, &ts);
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

/* e: the users with id <= E_USERS and all their posts, read into structs and attached to their
   user; the check is users * 1e6 + posts. */
#define E_USERS 1000
typedef struct full_post {
    int64_t id;
    char title[32];
    char content[128];
    bool published;
    int64_t author_id;
} full_post;

static user_row e_users[E_USERS];
static int64_t e_nposts[E_USERS + 1]; /* posts per user, by id */
static full_post e_posts[NPOSTS];

static void read_full_post(full_post *p,
                           int64_t id,
                           const char *title,
                           const char *content,
                           bool published,
                           int64_t author)
{
    p->id = id;
    copy_text(p->title, sizeof p->title, title);
    copy_text(p->content, sizeof p->content, content);
    p->published = published;
    p->author_id = author;
    if (author < 1 || author > E_USERS) {
        die("e", "post of an unexpected author");
    }
    e_nposts[author]++;
}

/* The hand-written two-query form: the users, then their posts with `author_id IN (ids)`; both
   statements prepared once and reused (the IN statement for as long as the id count is the
   same). */
static sqlite3_stmt *e_users_st, *e_posts_st, *g_st;
static int e_posts_n;

static int64_t raw_e(void)
{
    sqlite3_stmt *users_st, *posts_st;
    if (e_users_st == NULL) {
        e_users_st =
            raw_prepare("SELECT id, email, name, age, created_at FROM users WHERE id <= ?");
    }
    users_st = e_users_st;
    sqlite3_bind_int64(users_st, 1, E_USERS);
    int n = 0;
    while (sqlite3_step(users_st) == SQLITE_ROW) {
        user_row *u = &e_users[n++];
        u->id = sqlite3_column_int64(users_st, 0);
        copy_text(u->email, sizeof u->email, (const char *)sqlite3_column_text(users_st, 1));
        copy_text(u->name, sizeof u->name, (const char *)sqlite3_column_text(users_st, 2));
        u->age = sqlite3_column_type(users_st, 3) == SQLITE_NULL
                     ? -1
                     : sqlite3_column_int64(users_st, 3);
        u->created_at = sqlite3_column_int64(users_st, 4);
        e_nposts[u->id] = 0;
    }
    sqlite3_reset(users_st);
    if (e_posts_st == NULL || e_posts_n != n) {
        static char sql[E_USERS * 3 + 128];
        int off = sprintf(sql, "SELECT id, title, content, published, author_id FROM posts WHERE "
                               "author_id IN (");
        for (int i = 0; i < n; i++) {
            off += sprintf(sql + off, "%s?", i ? "," : "");
        }
        sprintf(sql + off, ")");
        sqlite3_finalize(e_posts_st);
        e_posts_st = raw_prepare(sql);
        e_posts_n = n;
    }
    posts_st = e_posts_st;
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(posts_st, i + 1, e_users[i].id);
    }
    int64_t np = 0;
    while (sqlite3_step(posts_st) == SQLITE_ROW) {
        read_full_post(&e_posts[np++], sqlite3_column_int64(posts_st, 0),
                       (const char *)sqlite3_column_text(posts_st, 1),
                       (const char *)sqlite3_column_text(posts_st, 2),
                       sqlite3_column_int(posts_st, 3) != 0, sqlite3_column_int64(posts_st, 4));
    }
    sqlite3_reset(posts_st);
    return (int64_t)n * 1000000 + np;
}

/* g: posts per author into structs; the check is groups * 1e6 + the total of the counts. */
typedef struct group_row {
    int64_t author_id, count;
} group_row;
static group_row g_rows[NUSERS];

static int64_t raw_g(void)
{
    if (g_st == NULL) {
        g_st = raw_prepare("SELECT author_id, COUNT(*) FROM posts GROUP BY author_id");
    }
    sqlite3_stmt *st = g_st;
    int64_t n = 0, total = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        group_row *g = &g_rows[n++];
        g->author_id = sqlite3_column_int64(st, 0);
        g->count = sqlite3_column_int64(st, 1);
        total += g->count;
    }
    sqlite3_reset(st);
    return n * 1000000 + total;
}

static void raw_close(void)
{
    sqlite3_finalize(e_users_st);
    sqlite3_finalize(e_posts_st);
    sqlite3_finalize(g_st);
    e_users_st = e_posts_st = g_st = NULL;
    sqlite3_close(raw);
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

/* A RediORM database on the SQLite file @p path with the workload's models; the schema goes to
   @p schema_out (a reference the caller releases) when not NULL. */
static rorm_db *orm_open(const char *path, rorm_schema **schema_out)
{
    rorm_db *out;
    rorm_config cfg = RORM_CONFIG_INIT;
    cfg.type = RORM_DB_SQLITE;
    cfg.path = path;
    cfg.max_connections = 1; /* one connection, so the cache_size pragma below applies to it */
    ok(rorm_db_open_config(&out, &cfg, &err), "open");
    ok(rorm_db_execute_raw(out, "PRAGMA cache_size=-16000", NULL, 0, NULL, &err), "pragma");
    rorm_schema *schema;
    ok(rorm_schema_new(&schema, &err), "schema");
    for (size_t i = 0; i < RORM_COUNT(models); i++) {
        ok(rorm_schema_add_model(schema, &models[i], &err), "model");
    }
    ok(rorm_db_register(out, schema, &err), "register");
    ok(rorm_db_ensure_schema(out, &err), "ensure");
    if (schema_out) {
        *schema_out = schema;
    } else {
        rorm_schema_release(schema);
    }
    return out;
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

static int64_t load_e(rorm_db *d)
{
    rorm_member lte[] = { { "lte", RORM_INT(E_USERS) } };
    rorm_member where[] = { { "id", RORM_OBJECT(lte) } };
    rorm_member include[] = { { "posts", RORM_BOOL(true) } };
    rorm_member args[] = { { "where", RORM_OBJECT(where) }, { "include", RORM_OBJECT(include) } };
    rorm_value res;
    ok(rorm_db_call(&res, d, "User", "findMany", &RORM_OBJECT(args), &err), "e");
    size_t n = rorm_value_len(&res);
    int64_t np = 0;
    for (size_t i = 0; i < n; i++) {
        const rorm_value *rec = rorm_value_array_at(&res, i);
        user_row *u = &e_users[i];
        /* Members in schema order: id, email, name, age, createdAt, then the included posts. */
        u->id = rorm_value_object_at(rec, 0)->value.u.i;
        copy_text(u->email, sizeof u->email,
                  rorm_value_as_text(&rorm_value_object_at(rec, 1)->value));
        copy_text(u->name, sizeof u->name,
                  rorm_value_as_text(&rorm_value_object_at(rec, 2)->value));
        u->age = rorm_value_as_int(&rorm_value_object_at(rec, 3)->value, -1);
        u->created_at = rorm_value_object_at(rec, 4)->value.u.ms;
        e_nposts[u->id] = 0;
        const rorm_value *posts = rorm_value_object_get(rec, "posts");
        size_t pn = rorm_value_len(posts);
        for (size_t k = 0; k < pn; k++) {
            const rorm_value *p = rorm_value_array_at(posts, k);
            read_full_post(&e_posts[np++], rorm_value_object_at(p, 0)->value.u.i,
                           rorm_value_as_text(&rorm_value_object_at(p, 1)->value),
                           rorm_value_as_text(&rorm_value_object_at(p, 2)->value),
                           rorm_value_object_at(p, 3)->value.u.b,
                           rorm_value_object_at(p, 4)->value.u.i);
        }
    }
    rorm_value_dispose(&res);
    return (int64_t)n * 1000000 + np;
}

static int64_t orm_e(void)
{
    return load_e(db);
}

static int64_t load_g(rorm_db *d)
{
    rorm_value by_items[] = { RORM_TEXT("authorId") };
    rorm_member count[] = { { "_all", RORM_BOOL(true) } };
    rorm_member args[] = { { "by", RORM_ARRAY(by_items) }, { "_count", RORM_OBJECT(count) } };
    rorm_value res;
    ok(rorm_db_call(&res, d, "Post", "groupBy", &RORM_OBJECT(args), &err), "g");
    size_t n = rorm_value_len(&res);
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const rorm_value *rec = rorm_value_array_at(&res, i);
        group_row *g = &g_rows[i];
        g->author_id = rorm_value_object_get(rec, "authorId")->u.i;
        g->count = rorm_value_object_get(rorm_value_object_get(rec, "_count"), "_all")->u.i;
        total += g->count;
    }
    rorm_value_dispose(&res);
    return (int64_t)n * 1000000 + total;
}

static int64_t orm_g(void)
{
    return load_g(db);
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

/* ---- RediORM Prisma Client engine (rorm_db_call) ----------------------------------------- */

/*
 * The workload as the JavaScript API runs it (bench/workload.js), but with the Prisma-style
 * argument trees built in C and passed to rorm_db_call(): the engine's own cost, without the
 * JavaScript binding's. Results are read into the same structs and checked the same way.
 */
static rorm_db *call_db;

/* The value of member @p i of record @p rec (members in the order the result shows them). */
static const rorm_value *member_at(const rorm_value *rec, size_t i)
{
    const rorm_member *m = rorm_value_object_at(rec, i);
    if (m == NULL) {
        die("call", "a record has fewer members than expected");
    }
    return &m->value;
}

static int64_t call_a(void)
{
    char email[64], name[64];
    int64_t age, n = 0;
    rorm_db *tx;
    ok(rorm_db_begin(&tx, call_db, &err), "begin");
    for (int64_t i = 1; i <= NUSERS; i++) {
        user_data(i, email, name, &age);
        rorm_member data[] = {
            { "email", RORM_TEXT(email) },
            { "name", RORM_TEXT(name) },
            { "age", age < 0 ? RORM_NULL_VALUE : RORM_INT(age) },
        };
        rorm_member args[] = { { "data", RORM_OBJECT(data) } };
        rorm_value u;
        ok(rorm_db_call(&u, tx, "User", "create", &RORM_OBJECT(args), &err), "a");
        n += member_at(&u, 0)->u.i == i;
        rorm_value_dispose(&u);
    }
    ok(rorm_db_commit(tx, &err), "commit");
    return n;
}

static int64_t call_b(void)
{
    /* One createMany of every post, as bench/workload.js does. */
    static char titles[NPOSTS][16], contents[NPOSTS][96];
    static rorm_member members[NPOSTS][4];
    static rorm_value records[NPOSTS];
    bool published;
    int64_t author;
    for (int64_t j = 0; j < NPOSTS; j++) {
        post_data(j, titles[j], contents[j], &published, &author);
        members[j][0] = (rorm_member){ "title", RORM_TEXT(titles[j]) };
        members[j][1] = (rorm_member){ "content", RORM_TEXT(contents[j]) };
        members[j][2] = (rorm_member){ "published", RORM_BOOL(published) };
        members[j][3] = (rorm_member){ "authorId", RORM_INT(author) };
        records[j] = RORM_OBJECT(members[j]);
    }
    rorm_member args[] = { { "data", RORM_ARRAY_N(records, NPOSTS) } };
    rorm_db *tx;
    rorm_value res;
    ok(rorm_db_begin(&tx, call_db, &err), "begin");
    ok(rorm_db_call(&res, tx, "Post", "createMany", &RORM_OBJECT(args), &err), "b");
    ok(rorm_db_commit(tx, &err), "commit");
    int64_t n = rorm_value_as_int(rorm_value_object_get(&res, "count"), -1);
    rorm_value_dispose(&res);
    return n;
}

static int64_t call_c(void)
{
    user_row u;
    int64_t sum = 0;
    for (int64_t i = 0; i < NLOOKUPS; i++) {
        rorm_member where[] = { { "id", RORM_INT(scattered(i)) } };
        rorm_member args[] = { { "where", RORM_OBJECT(where) } };
        rorm_value rec;
        ok(rorm_db_call(&rec, call_db, "User", "findUnique", &RORM_OBJECT(args), &err), "c");
        if (rec.type != RORM_TYPE_OBJECT) {
            die("c", "missing user");
        }
        /* Members in schema order: id, email, name, age, createdAt. */
        u.id = member_at(&rec, 0)->u.i;
        copy_text(u.email, sizeof u.email, rorm_value_as_text(member_at(&rec, 1)));
        copy_text(u.name, sizeof u.name, rorm_value_as_text(member_at(&rec, 2)));
        u.age = rorm_value_as_int(member_at(&rec, 3), -1);
        u.created_at = member_at(&rec, 4)->u.ms;
        sum += u.age > 0 ? u.age : 0;
        rorm_value_dispose(&rec);
    }
    return sum;
}

static int64_t call_d(void)
{
    post_row rows[10];
    int64_t check = 0;
    for (int64_t i = 0; i < NLISTS; i++) {
        rorm_member where[] = { { "published", RORM_BOOL(true) },
                                { "authorId", RORM_INT(scattered(i)) } };
        rorm_member order[] = { { "id", RORM_TEXT("desc") } };
        rorm_member select[] = { { "id", RORM_BOOL(true) },
                                 { "title", RORM_BOOL(true) },
                                 { "published", RORM_BOOL(true) },
                                 { "authorId", RORM_BOOL(true) } };
        rorm_member args[] = { { "where", RORM_OBJECT(where) },
                               { "orderBy", RORM_OBJECT(order) },
                               { "take", RORM_INT(10) },
                               { "select", RORM_OBJECT(select) } };
        rorm_value res;
        ok(rorm_db_call(&res, call_db, "Post", "findMany", &RORM_OBJECT(args), &err), "d");
        size_t n = rorm_value_len(&res);
        for (size_t r = 0; r < n && r < 10; r++) {
            const rorm_value *rec = rorm_value_array_at(&res, r);
            post_row *p = &rows[r];
            p->id = member_at(rec, 0)->u.i;
            copy_text(p->title, sizeof p->title, rorm_value_as_text(member_at(rec, 1)));
            p->published = member_at(rec, 2)->u.b;
            p->author_id = member_at(rec, 3)->u.i;
            check += p->id;
        }
        check += (int64_t)n * 1000000000;
        rorm_value_dispose(&res);
    }
    return check;
}

static int64_t call_e(void)
{
    return load_e(call_db);
}

static int64_t call_f(void)
{
    char name[64];
    int64_t n = 0;
    rorm_db *tx;
    ok(rorm_db_begin(&tx, call_db, &err), "begin");
    for (int64_t i = 0; i < NUPDATES; i++) {
        int64_t id = scattered(i);
        sprintf(name, "User %" PRId64 " v2", id);
        rorm_member where[] = { { "id", RORM_INT(id) } };
        rorm_member data[] = { { "name", RORM_TEXT(name) }, { "age", RORM_INT(20 + id % 50) } };
        rorm_member args[] = { { "where", RORM_OBJECT(where) }, { "data", RORM_OBJECT(data) } };
        rorm_value u;
        ok(rorm_db_call(&u, tx, "User", "update", &RORM_OBJECT(args), &err), "f");
        n += member_at(&u, 0)->u.i == id;
        rorm_value_dispose(&u);
    }
    ok(rorm_db_commit(tx, &err), "commit");
    return n;
}

static int64_t call_g(void)
{
    return load_g(call_db);
}

static int64_t call_h(void)
{
    rorm_member lt[] = { { "lt", RORM_INT(500) } };
    rorm_member where[] = { { "authorId", RORM_OBJECT(lt) } };
    rorm_member args[] = { { "where", RORM_OBJECT(where) } };
    rorm_value res;
    ok(rorm_db_call(&res, call_db, "Post", "deleteMany", &RORM_OBJECT(args), &err), "h");
    int64_t n = rorm_value_as_int(rorm_value_object_get(&res, "count"), -1);
    rorm_value_dispose(&res);
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
    pg_prepare("e_users", "SELECT id, email, name, age, created_at FROM users WHERE id <= $1");
    pg_prepare("e_posts", "SELECT id, title, content, published, author_id FROM posts WHERE "
                          "author_id = ANY($1::bigint[])");
    pg_prepare("g", "SELECT author_id, COUNT(*) FROM posts GROUP BY author_id");
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

/* e: the users, then their posts with `author_id = ANY($1)` (an array of the ids read). */
static int64_t raw_pg_e(void)
{
    char limit[24];
    snprintf(limit, sizeof limit, "%d", E_USERS);
    const char *v1[1] = { limit };
    PGresult *res = PQexecPrepared(pg, "e_users", 1, v1, NULL, NULL, 0);
    pg_ok(res, PGRES_TUPLES_OK, "e");
    int n = PQntuples(res);
    static char ids[E_USERS * 8 + 8];
    int off = sprintf(ids, "{");
    for (int r = 0; r < n; r++) {
        user_row *u = &e_users[r];
        u->id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
        copy_text(u->email, sizeof u->email, PQgetvalue(res, r, 1));
        copy_text(u->name, sizeof u->name, PQgetvalue(res, r, 2));
        u->age = PQgetisnull(res, r, 3) ? -1 : strtoll(PQgetvalue(res, r, 3), NULL, 10);
        u->created_at = parse_ts(PQgetvalue(res, r, 4));
        e_nposts[u->id] = 0;
        off += sprintf(ids + off, "%s%" PRId64, r ? "," : "", u->id);
    }
    sprintf(ids + off, "}");
    PQclear(res);
    const char *v2[1] = { ids };
    res = PQexecPrepared(pg, "e_posts", 1, v2, NULL, NULL, 0);
    pg_ok(res, PGRES_TUPLES_OK, "e");
    int64_t np = PQntuples(res);
    for (int r = 0; r < np; r++) {
        read_full_post(&e_posts[r], strtoll(PQgetvalue(res, r, 0), NULL, 10), PQgetvalue(res, r, 1),
                       PQgetvalue(res, r, 2), PQgetvalue(res, r, 3)[0] == 't',
                       strtoll(PQgetvalue(res, r, 4), NULL, 10));
    }
    PQclear(res);
    return (int64_t)n * 1000000 + np;
}

static int64_t raw_pg_g(void)
{
    PGresult *res = PQexecPrepared(pg, "g", 0, NULL, NULL, NULL, 0);
    pg_ok(res, PGRES_TUPLES_OK, "g");
    int64_t n = PQntuples(res), total = 0;
    for (int r = 0; r < n; r++) {
        g_rows[r].author_id = strtoll(PQgetvalue(res, r, 0), NULL, 10);
        g_rows[r].count = strtoll(PQgetvalue(res, r, 1), NULL, 10);
        total += g_rows[r].count;
    }
    PQclear(res);
    return n * 1000000 + total;
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

/* e: the users, then their posts with `author_id IN (?, ...)` binding the ids read. */
static int64_t raw_my_e(void)
{
    MYSQL_STMT *st = my_prepare("SELECT id, email, name, age, created_at FROM users WHERE id <= ?");
    long long limit = E_USERS, rid, rage;
    my_bool age_null;
    unsigned long le, ln;
    MYSQL_TIME ts;
    user_row cur;
    MYSQL_BIND p[1], r[5];
    bind_i64(&p[0], &limit, NULL);
    memset(r, 0, sizeof r);
    r[0].buffer_type = MYSQL_TYPE_LONGLONG;
    r[0].buffer = &rid;
    r[1].buffer_type = MYSQL_TYPE_STRING;
    r[1].buffer = cur.email;
    r[1].buffer_length = sizeof cur.email - 1;
    r[1].length = &le;
    r[2].buffer_type = MYSQL_TYPE_STRING;
    r[2].buffer = cur.name;
    r[2].buffer_length = sizeof cur.name - 1;
    r[2].length = &ln;
    r[3].buffer_type = MYSQL_TYPE_LONGLONG;
    r[3].buffer = &rage;
    r[3].is_null = &age_null;
    r[4].buffer_type = MYSQL_TYPE_DATETIME;
    r[4].buffer = &ts;
    if (mysql_stmt_bind_param(st, p) != 0 || mysql_stmt_execute(st) != 0 ||
        mysql_stmt_bind_result(st, r) != 0 || mysql_stmt_store_result(st) != 0) {
        my_die(st, "e");
    }
    static long long ids[E_USERS];
    int n = 0;
    while (n < E_USERS && mysql_stmt_fetch(st) == 0) {
        user_row *u = &e_users[n];
        cur.email[le < sizeof cur.email ? le : sizeof cur.email - 1] = '\0';
        cur.name[ln < sizeof cur.name ? ln : sizeof cur.name - 1] = '\0';
        u->id = rid;
        copy_text(u->email, sizeof u->email, cur.email);
        copy_text(u->name, sizeof u->name, cur.name);
        u->age = age_null ? -1 : rage;
        u->created_at = from_time(&ts);
        e_nposts[u->id] = 0;
        ids[n++] = rid;
    }
    mysql_stmt_close(st);
    static char sql[E_USERS * 3 + 128];
    int off = sprintf(sql, "SELECT id, title, content, published, author_id FROM posts WHERE "
                           "author_id IN (");
    for (int i = 0; i < n; i++) {
        off += sprintf(sql + off, "%s?", i ? "," : "");
    }
    sprintf(sql + off, ")");
    st = my_prepare(sql);
    static MYSQL_BIND pb[E_USERS];
    for (int i = 0; i < n; i++) {
        bind_i64(&pb[i], &ids[i], NULL);
    }
    long long pid, paid;
    signed char ppub;
    char title[32], content[128];
    unsigned long lt, lc;
    MYSQL_BIND q[5];
    memset(q, 0, sizeof q);
    q[0].buffer_type = MYSQL_TYPE_LONGLONG;
    q[0].buffer = &pid;
    q[1].buffer_type = MYSQL_TYPE_STRING;
    q[1].buffer = title;
    q[1].buffer_length = sizeof title - 1;
    q[1].length = &lt;
    q[2].buffer_type = MYSQL_TYPE_STRING;
    q[2].buffer = content;
    q[2].buffer_length = sizeof content - 1;
    q[2].length = &lc;
    q[3].buffer_type = MYSQL_TYPE_TINY;
    q[3].buffer = &ppub;
    q[4].buffer_type = MYSQL_TYPE_LONGLONG;
    q[4].buffer = &paid;
    if (mysql_stmt_bind_param(st, pb) != 0 || mysql_stmt_execute(st) != 0 ||
        mysql_stmt_bind_result(st, q) != 0 || mysql_stmt_store_result(st) != 0) {
        my_die(st, "e");
    }
    int64_t np = 0;
    while (np < NPOSTS && mysql_stmt_fetch(st) == 0) {
        title[lt < sizeof title ? lt : sizeof title - 1] = '\0';
        content[lc < sizeof content ? lc : sizeof content - 1] = '\0';
        read_full_post(&e_posts[np++], pid, title, content, ppub != 0, paid);
    }
    mysql_stmt_close(st);
    return (int64_t)n * 1000000 + np;
}

static int64_t raw_my_g(void)
{
    MYSQL_STMT *st = my_prepare("SELECT author_id, COUNT(*) FROM posts GROUP BY author_id");
    long long author, count;
    MYSQL_BIND r[2];
    memset(r, 0, sizeof r);
    r[0].buffer_type = MYSQL_TYPE_LONGLONG;
    r[0].buffer = &author;
    r[1].buffer_type = MYSQL_TYPE_LONGLONG;
    r[1].buffer = &count;
    if (mysql_stmt_execute(st) != 0 || mysql_stmt_bind_result(st, r) != 0 ||
        mysql_stmt_store_result(st) != 0) {
        my_die(st, "g");
    }
    int64_t n = 0, total = 0;
    while (n < NUSERS && mysql_stmt_fetch(st) == 0) {
        g_rows[n].author_id = author;
        g_rows[n].count = count;
        total += count;
        n++;
    }
    mysql_stmt_close(st);
    return n * 1000000 + total;
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

/* ---- RediORM JavaScript API --------------------------------------------------------------- */

#ifdef RORM_BENCH_JS
static rorm_db *js_db;
static rorm_js_engine *js;

/* Evaluate @p src in the engine (a returned promise is awaited); its value as an integer. */
static int64_t js_eval(const char *src, const char *file)
{
    rorm_value v;
    if (rorm_js_eval(js, src, file, &v, &err) != RORM_OK) {
        fprintf(stderr, "%s\n", rorm_js_engine_last_stack(js));
        die(file, err.message);
    }
    int64_t n = rorm_value_as_int(&v, -1);
    rorm_value_dispose(&v);
    return n;
}

/* An engine over a fresh database at @p path, with bench/workload.js evaluated in it. */
static void js_open(const char *path)
{
    rorm_schema *schema;
    js_db = orm_open(path, &schema);
    ok(rorm_js_engine_new(&js, js_db, &err), "js engine");
    ok(rorm_js_engine_add_schema(js, schema, &err), "js schema");
    rorm_schema_release(schema);
    const char *file = getenv("RORM_BENCH_WORKLOAD_JS");
    file = file && *file ? file : RORM_BENCH_JS;
    FILE *f = fopen(file, "rb");
    if (f == NULL) {
        die(file, "cannot read (set RORM_BENCH_WORKLOAD_JS)");
    }
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    js_eval(text, "workload.js");
}

static void js_close(void)
{
    rorm_js_engine_free(js);
    rorm_db_close(js_db);
    js = NULL;
    js_db = NULL;
}

#define JS_OP(x)                                             \
    static int64_t js_##x(void)                              \
    {                                                        \
        return js_eval("bench." #x "()", "bench-" #x ".js"); \
    }
JS_OP(a)
JS_OP(b)
JS_OP(c)
JS_OP(d)
JS_OP(e)
JS_OP(f)
JS_OP(g)
JS_OP(h)
JS_OP(e2)
#endif

/* ---- Driver ------------------------------------------------------------------------------- */

typedef int64_t (*op_fn)(void);

enum { SIDE_RAW, SIDE_ORM, SIDE_CALL, SIDE_JS, NSIDES };

static void remove_db(const char *path)
{
    char p[512];
    unlink(path);
    if (snprintf(p, sizeof p, "%s-wal", path) < (int)sizeof p) {
        unlink(p);
    }
    if (snprintf(p, sizeof p, "%s-shm", path) < (int)sizeof p) {
        unlink(p);
    }
}

/* The operations, in the order they run; e2 (issue 6's include of 1,000 users x 50 posts) runs
   last, SQLite only, on posts reloaded for it. */
enum { OP_A, OP_B, OP_C, OP_D, OP_E, OP_F, OP_G, OP_H, OP_E2, NOPS };
static const struct {
    const char *op, *what;
    int reps; /* 1: one pass; else the median of that many calls */
} op_info[NOPS] = {
    { "a", "insert 10,000 users one by one (one transaction)", 1 },
    { "b", "insert 50,000 posts in bulk (one transaction)", 1 },
    { "c", "10,000 find-by-id lookups, scattered", 1 },
    { "d", "1,000 filtered, ordered, limited lists", 1 },
    { "e", "users id <= 1,000 with their 5,000 posts (include)", 5 },
    { "f", "2,000 updates by id (one transaction)", 1 },
    { "g", "count posts grouped by authorId (10,000 groups)", 5 },
    { "h", "delete posts with authorId < 500", 1 },
    { "e2", "1,000 users with their 50,000 posts (include)", 5 },
};
#define MAX_REPS 5

typedef struct result {
    const char *op, *what;
    bool ran;
    double ms[NSIDES];
    int64_t check[NSIDES];
} result;

typedef struct suite {
    const char *name; /* "sqlite", "postgresql", "mysql" */
    const char *version;
    result results[NOPS];
    bool ran;
} suite;

/* RORM_BENCH_SIDE=raw, =rediorm, =call or =js runs one side only, for profiling (no checks). */
static int only_side = -1;
/* Untimed work after the bulk load (op b), e.g. ANALYZE on a server; may be NULL. */
static void (*after_load)(void);
/* Untimed work before op e2 (reloading the posts); may be NULL. */
static void (*before_e2)(void);

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void print_ms(double ms, bool ran)
{
    if (ran) {
        printf(" %9.2f", ms);
    } else {
        printf(" %9s", "-");
    }
}

/*
 * Run the operations of one database that have a function on the raw side (@p fns[op][side];
 * NULL for a side that does not run). The sides take turns going first (@p flip shifts the
 * order); with @p keep_min the times are merged into earlier ones, keeping the faster.
 */
static int run_ops(suite *su, op_fn fns[NOPS][NSIDES], bool flip, bool keep_min, bool print)
{
    int failed = 0;
    bool has_js = false, has_call = false;
    for (int i = 0; i < NOPS; i++) {
        has_js |= fns[i][SIDE_JS] != NULL;
        has_call |= fns[i][SIDE_CALL] != NULL;
    }
    if (print) {
        printf("\n%s %s\n", su->name, su->version);
        printf("%-3s %-52s %9s %9s", "op", "what", "raw ms", "C ms");
        printf(has_call ? " %9s" : "%s", has_call ? "Call ms" : "");
        printf(" %9s %6s", has_js ? "JS ms" : "", "C/raw");
        printf(has_call ? " %8s" : "%s", has_call ? "Call/raw" : "");
        printf(" %6s\n", has_js ? "JS/raw" : "");
    }
    for (int i = 0; i < NOPS; i++) {
        if (fns[i][SIDE_RAW] == NULL) {
            continue;
        }
        if (i == OP_E2 && before_e2) {
            before_e2();
        }
        result *r = &su->results[i];
        r->op = op_info[i].op;
        r->what = op_info[i].what;
        r->ran = true;
        int sides[NSIDES], nsides = 0;
        for (int s = 0; s < NSIDES; s++) {
            if (fns[i][s] != NULL && (only_side < 0 || only_side == s)) {
                sides[nsides++] = s;
            }
        }
        double times[NSIDES][MAX_REPS] = { { 0 } };
        for (int rep = 0; rep < op_info[i].reps; rep++) {
            for (int turn = 0; turn < nsides; turn++) {
                int s = sides[(turn + i + rep + flip) % nsides];
                double t0 = now_ms();
                r->check[s] = fns[i][s]();
                times[s][rep] = now_ms() - t0;
            }
        }
        if (i == OP_B && after_load) {
            after_load();
        }
        for (int k = 0; k < nsides; k++) {
            int s = sides[k];
            qsort(times[s], (size_t)op_info[i].reps, sizeof(double), cmp_double);
            double t = times[s][op_info[i].reps / 2];
            r->ms[s] = keep_min && r->ms[s] > 0 && r->ms[s] < t ? r->ms[s] : t;
        }
        bool mismatch = false;
        for (int k = 1; k < nsides; k++) {
            if (r->check[sides[k]] != r->check[sides[0]]) {
                mismatch = true;
                fprintf(stderr,
                        "bench: %s op %s: check %" PRId64 " (side %d) != %" PRId64 " (side %d)\n",
                        su->name, r->op, r->check[sides[k]], sides[k], r->check[sides[0]],
                        sides[0]);
                failed = 1;
            }
        }
        if (print) {
            bool js_ran = fns[i][SIDE_JS] != NULL && (only_side < 0 || only_side == SIDE_JS);
            bool call_ran = fns[i][SIDE_CALL] != NULL && (only_side < 0 || only_side == SIDE_CALL);
            printf("%-3s %-52s", r->op, r->what);
            print_ms(r->ms[SIDE_RAW], only_side < 0 || only_side == SIDE_RAW);
            print_ms(r->ms[SIDE_ORM], only_side < 0 || only_side == SIDE_ORM);
            if (has_call) {
                print_ms(r->ms[SIDE_CALL], call_ran);
            }
            print_ms(r->ms[SIDE_JS], js_ran);
            printf(" %6.2f", r->ms[SIDE_ORM] / r->ms[SIDE_RAW]);
            if (call_ran) {
                printf(" %8.2f", r->ms[SIDE_CALL] / r->ms[SIDE_RAW]);
            } else if (has_call) {
                printf(" %8s", "-");
            }
            if (js_ran) {
                printf(" %6.2f", r->ms[SIDE_JS] / r->ms[SIDE_RAW]);
            }
            printf("%s\n", mismatch ? "  RESULT MISMATCH" : "");
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

/* The SQLite files of the three sides (op e2 reloads their posts). */
static char sqlite_paths[NSIDES][128];

/* Before e2: every file gets 50,000 posts of the first 1,000 users (50 each), untimed, through
   a connection of its own. */
static void reload_posts_e2(void)
{
    for (int s = 0; s < NSIDES; s++) {
        sqlite3 *c;
        if (sqlite_paths[s][0] == '\0' || sqlite3_open(sqlite_paths[s], &c) != SQLITE_OK) {
            continue;
        }
        char *msg = NULL;
        sqlite3_busy_timeout(c, 5000);
        if (sqlite3_exec(
                c,
                "BEGIN; DELETE FROM posts; "
                "WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < 49999) "
                "INSERT INTO posts (title, content, published, author_id) SELECT 'Post ' || j, "
                "'Content of post ' || j || '. Lorem ipsum dolor sit amet, consectetur adipiscing "
                "elit.', j % 3 = 0, j % 1000 + 1 FROM n; COMMIT;",
                NULL, NULL, &msg) != SQLITE_OK) {
            die("e2 reload", msg);
        }
        sqlite3_close(c);
    }
}

int main(int argc, char **argv)
{
    const char *json_path = NULL;
    const char *side = getenv("RORM_BENCH_SIDE");
    if (side && *side) {
        only_side = strcmp(side, "raw") == 0    ? SIDE_RAW
                    : strcmp(side, "js") == 0   ? SIDE_JS
                    : strcmp(side, "call") == 0 ? SIDE_CALL
                                                : SIDE_ORM;
    }
    const char *clock_env = getenv("RORM_BENCH_CLOCK");
    if (clock_env && strcmp(clock_env, "cpu") == 0) {
        bench_clock = CLOCK_THREAD_CPUTIME_ID;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_path = argv[++i];
        }
    }
    static const op_fn orm_fns[NOPS] = { orm_a, orm_b, orm_c, orm_d, orm_e,
                                         orm_f, orm_g, orm_h, orm_e };
    static const op_fn call_fns[NOPS] = { call_a, call_b, call_c, call_d, call_e,
                                          call_f, call_g, call_h, call_e };
    suite suites[3] = { { "sqlite", sqlite3_libversion(), { { 0 } }, false },
                        { "postgresql", "", { { 0 } }, false },
                        { "mysql", "", { { 0 } }, false } };
    int failed = 0;
    printf(
        "RediORM %s benchmark, workload ../shared/bench/WORKLOAD.md; C = the C API, Call = "
        "the Prisma Client engine (rorm_db_call), JS = the JavaScript API (Prisma Client), e and g the median of 5 calls; %s time\n",
        rorm_version(), bench_clock == CLOCK_MONOTONIC ? "wall" : "thread CPU");

    /* SQLite: fresh files in a temporary directory; RORM_BENCH_RUNS=n runs the pass n times
       and keeps each side's fastest time (for noisy machines). */
    const char *runs_env = getenv("RORM_BENCH_RUNS");
    int runs = runs_env && atoi(runs_env) > 1 ? atoi(runs_env) : 1;
    static char sqlite_version[64];
    snprintf(sqlite_version, sizeof sqlite_version, "%s (best of %d passes)", sqlite3_libversion(),
             runs);
    if (runs > 1) {
        suites[0].version = sqlite_version;
    }
    for (int run = 0; run < runs; run++) {
        char dir[] = "/tmp/rorm-bench-XXXXXX";
        if (mkdtemp(dir) == NULL) {
            die("mkdtemp", "failed");
        }
        static const char *const files[NSIDES] = { "raw.db", "orm.db", "call.db", "js.db" };
        for (int s = 0; s < NSIDES; s++) {
            snprintf(sqlite_paths[s], sizeof sqlite_paths[s], "%s/%s", dir, files[s]);
        }
        raw_open(sqlite_paths[SIDE_RAW]);
        db = orm_open(sqlite_paths[SIDE_ORM], NULL);
        call_db = orm_open(sqlite_paths[SIDE_CALL], NULL);
        static const op_fn raw_fns[NOPS] = { raw_a, raw_b, raw_c, raw_d, raw_e,
                                             raw_f, raw_g, raw_h, raw_e };
        op_fn fns[NOPS][NSIDES] = { { 0 } };
        for (int i = 0; i < NOPS; i++) {
            fns[i][SIDE_RAW] = raw_fns[i];
            fns[i][SIDE_ORM] = orm_fns[i];
            fns[i][SIDE_CALL] = call_fns[i];
        }
#ifdef RORM_BENCH_JS
        js_open(sqlite_paths[SIDE_JS]);
        static const op_fn js_fns[NOPS] = { js_a, js_b, js_c, js_d, js_e, js_f, js_g, js_h, js_e2 };
        for (int i = 0; i < NOPS; i++) {
            fns[i][SIDE_JS] = js_fns[i];
        }
#else
        sqlite_paths[SIDE_JS][0] = '\0';
#endif
        before_e2 = reload_posts_e2;
        failed |= run_ops(&suites[0], fns, run % 2 == 1, run > 0, run == runs - 1);
        before_e2 = NULL;
#ifdef RORM_BENCH_JS
        js_close();
#endif
        raw_close();
        rorm_db_close(db);
        rorm_db_close(call_db);
        call_db = NULL;
        for (int s = 0; s < NSIDES; s++) {
            remove_db(sqlite_paths[s]);
        }
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
            static const op_fn raw_fns[NOPS] = { raw_pg_a, raw_pg_b, raw_pg_c, raw_pg_d, raw_pg_e,
                                                 raw_pg_f, raw_pg_g, raw_pg_h, NULL };
            op_fn fns[NOPS][NSIDES] = { { 0 } };
            for (int i = 0; i < NOPS; i++) {
                fns[i][SIDE_RAW] = raw_fns[i];
                fns[i][SIDE_ORM] = orm_fns[i];
            }
            after_load = pg_analyze;
            failed |= run_ops(&suites[1], fns, pass == 1, pass == 1, pass == 1);
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
            static const op_fn raw_fns[NOPS] = { raw_my_a, raw_my_b, raw_my_c, raw_my_d, raw_my_e,
                                                 raw_my_f, raw_my_g, raw_my_h, NULL };
            op_fn fns[NOPS][NSIDES] = { { 0 } };
            for (int i = 0; i < NOPS; i++) {
                fns[i][SIDE_RAW] = raw_fns[i];
                fns[i][SIDE_ORM] = orm_fns[i];
            }
            failed |= run_ops(&suites[2], fns, pass == 1, pass == 1, pass == 1);
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

    if (json_path) {
        FILE *f = fopen(json_path, "w");
        if (f == NULL) {
            die(json_path, "cannot write");
        }
        /* The SQLite figures keep their place at the top level; servers follow by name.
           "rediorm_ms"/"ratio" are the C API, "call_ms"/"call_ratio" the Prisma Client
           engine (rorm_db_call), "js_ms"/"js_ratio" the JavaScript API. */
        fprintf(f, "{\n  \"rediorm\": \"%s\",\n  \"sqlite\": \"%s\",\n  \"clock\": \"%s\",\n",
                rorm_version(), sqlite3_libversion(),
                bench_clock == CLOCK_MONOTONIC ? "wall" : "thread cpu");
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
            bool first = true;
            for (size_t i = 0; i < NOPS; i++) {
                const result *r = &suites[s].results[i];
                if (!r->ran) {
                    continue;
                }
                fprintf(
                    f,
                    "%s    {\"op\": \"%s\", \"name\": \"%s\", \"raw_ms\": %.3f, \"rediorm_ms\": "
                    "%.3f, \"ratio\": %.3f",
                    first ? "" : ",\n", r->op, r->what, r->ms[SIDE_RAW], r->ms[SIDE_ORM],
                    r->ms[SIDE_ORM] / r->ms[SIDE_RAW]);
                if (r->ms[SIDE_CALL] > 0) {
                    fprintf(f, ", \"call_ms\": %.3f, \"call_ratio\": %.3f", r->ms[SIDE_CALL],
                            r->ms[SIDE_CALL] / r->ms[SIDE_RAW]);
                }
                if (r->ms[SIDE_JS] > 0) {
                    fprintf(f, ", \"js_ms\": %.3f, \"js_ratio\": %.3f", r->ms[SIDE_JS],
                            r->ms[SIDE_JS] / r->ms[SIDE_RAW]);
                }
                fprintf(f, "}");
                first = false;
            }
            fprintf(f, s == 0 ? "\n  ]" : "\n  ]}");
        }
        fprintf(f, "\n}\n");
        fclose(f);
        printf("\nwrote %s\n", json_path);
    }
    return failed;
}
