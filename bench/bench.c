/*
 * The benchmark of ../shared/bench/WORKLOAD.md: each operation timed on raw SQLite (prepared
 * statements reused, rows copied into structs) and on RediORM's C API, side by side in one run,
 * each on a fresh database file. Prints the figures and the ratio RediORM/raw, and writes them
 * as JSON (--json PATH). Operations e and g need relations and grouping (later issues).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rediorm/rediorm.h>
#include <sqlite3.h>

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

int main(int argc, char **argv)
{
    const char *json_path = NULL;
    /* For profiling one side: RORM_BENCH_SIDE=raw or =rediorm (the checks then differ). */
    const char *side = getenv("RORM_BENCH_SIDE");
    bool only_raw = side && strcmp(side, "raw") == 0;
    bool only_orm = side && strcmp(side, "rediorm") == 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_path = argv[++i];
        }
    }
    char dir[] = "/tmp/rorm-bench-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        die("mkdtemp", "failed");
    }
    char raw_path[256], orm_path[256];
    snprintf(raw_path, sizeof raw_path, "%s/raw.db", dir);
    snprintf(orm_path, sizeof orm_path, "%s/orm.db", dir);
    raw_open(raw_path);
    orm_open(orm_path);

    static const struct {
        const char *op, *what;
        op_fn raw_fn, orm_fn;
    } ops[] = {
        { "a", "insert 10,000 users one by one (one transaction)", raw_a, orm_a },
        { "b", "insert 50,000 posts in bulk (one transaction)", raw_b, orm_b },
        { "c", "10,000 find-by-id lookups, scattered", raw_c, orm_c },
        { "d", "1,000 filtered, ordered, limited lists", raw_d, orm_d },
        { "f", "2,000 updates by id (one transaction)", raw_f, orm_f },
        { "h", "delete posts with authorId < 500", raw_h, orm_h },
    };
    result results[sizeof ops / sizeof ops[0]];
    printf("RediORM %s benchmark (SQLite %s), workload ../shared/bench/WORKLOAD.md\n\n",
           rorm_version(), sqlite3_libversion());
    printf("%-3s %-52s %10s %10s %7s\n", "op", "what", "raw ms", "rediorm ms", "ratio");
    int failed = 0;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        result *r = &results[i];
        r->op = ops[i].op;
        r->what = ops[i].what;
        /* Alternate which side runs first so neither always gets the warmer machine. */
        double t_raw = 0, t_orm = 0;
        for (int turn = 0; turn < 2; turn++) {
            bool raw_turn = (turn == 0) == (i % 2 == 0);
            double t0 = now_ms();
            if (raw_turn) {
                r->raw_check = only_orm ? 0 : ops[i].raw_fn();
                t_raw = now_ms() - t0;
            } else {
                r->orm_check = only_raw ? 0 : ops[i].orm_fn();
                t_orm = now_ms() - t0;
            }
        }
        r->raw_ms = t_raw;
        r->orm_ms = t_orm;
        printf("%-3s %-52s %10.2f %10.2f %7.2f%s\n", r->op, r->what, r->raw_ms, r->orm_ms,
               r->orm_ms / r->raw_ms, r->raw_check == r->orm_check ? "" : "  RESULT MISMATCH");
        if (r->raw_check != r->orm_check && !only_raw && !only_orm) {
            fprintf(stderr, "bench: op %s: raw check %" PRId64 " != rediorm check %" PRId64 "\n",
                    r->op, r->raw_check, r->orm_check);
            failed = 1;
        }
    }
    printf("e, g: need include and groupBy (relations and Prisma API issues)\n");
    sqlite3_close(raw);
    rorm_db_close(db);
    remove_db(raw_path);
    remove_db(orm_path);
    rmdir(dir);

    if (json_path) {
        FILE *f = fopen(json_path, "w");
        if (f == NULL) {
            die(json_path, "cannot write");
        }
        fprintf(f, "{\n  \"rediorm\": \"%s\",\n  \"sqlite\": \"%s\",\n  \"operations\": [\n",
                rorm_version(), sqlite3_libversion());
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
            fprintf(
                f,
                "    {\"op\": \"%s\", \"name\": \"%s\", \"raw_ms\": %.3f, \"rediorm_ms\": %.3f, \"ratio\": %.3f}%s\n",
                results[i].op, results[i].what, results[i].raw_ms, results[i].orm_ms,
                results[i].orm_ms / results[i].raw_ms,
                i + 1 < sizeof ops / sizeof ops[0] ? "," : "");
        }
        fprintf(f, "  ]\n}\n");
        fclose(f);
        printf("\nwrote %s\n", json_path);
    }
    return failed;
}
