/*
 * The large-data memory test (`make large`, not part of `make check`): reading 1,000,000 rows
 * with a stream keeps the peak memory of the process under a limit (64 MiB by default) above
 * the baseline, while findMany of the same rows does not.
 *
 * Each measurement is a child process (this program again, or `redi-orm run` for JavaScript)
 * whose peak resident set comes from wait4()'s ru_maxrss: a baseline child opens the database
 * and counts the rows; a stream child also reads them all with rorm_db_stream (or
 * `findMany().stream()` in JavaScript); a findMany child reads them all with findMany. The
 * figure reported is a child's peak minus the baseline's. The rows are checked (count, order,
 * a checksum), so a child that read nothing cannot pass.
 *
 *     rorm_large_memory [--rows N] [--limit-mib M] [--cli REDI_ORM] URL...
 *
 * For sqlite://:memory: each child fills its own database first (in batches, so the filling
 * adds little to the peak, and the same in every mode); other URLs are filled once by the
 * parent (table "LargeRow", dropped and created again).
 */
#define _GNU_SOURCE
#include <rediorm/rediorm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char schema_fmt[] = "datasource db {\n"
                                 "  provider = \"%s\"\n"
                                 "  url      = \"file:large.db\"\n"
                                 "}\n"
                                 "model LargeRow {\n"
                                 "  id    Int      @id\n"
                                 "  title String\n"
                                 "  views Int\n"
                                 "  at    DateTime\n"
                                 "}\n";

static const char *self_path;
static long nrows = 1000000;

static void die(const char *what, const rorm_error *err)
{
    fprintf(stderr, "rorm_large_memory: %s: %s\n", what, err ? err->message : "");
    exit(2);
}

static const char *provider_of(const char *url)
{
    if (strncmp(url, "postgres", 8) == 0) {
        return "postgresql";
    }
    return strncmp(url, "mysql", 5) == 0 ? "mysql" : "sqlite";
}

static rorm_db *open_db(const char *url)
{
    rorm_error err = { 0 };
    rorm_db *db = NULL;
    if (rorm_db_open(&db, url, &err) != RORM_OK) {
        die(url, &err);
    }
    char text[1024];
    snprintf(text, sizeof text, schema_fmt, provider_of(url));
    rorm_schema *schema = NULL;
    if (rorm_prisma_load_string(&schema, text, strlen(text), NULL, NULL, &err) != RORM_OK ||
        rorm_db_register(db, schema, &err) != RORM_OK) {
        die("schema", &err);
    }
    rorm_schema_release(schema);
    return db;
}

/* Row i: id i, title "row <i>" padded to 40 characters, views i % 1000. */
static void fill(rorm_db *db)
{
    rorm_error err = { 0 };
    const char *drop = rorm_db_type_of(db) == RORM_DB_MYSQL ? "DROP TABLE IF EXISTS `LargeRow`"
                                                            : "DROP TABLE IF EXISTS \"LargeRow\"";
    if (rorm_db_execute_raw(db, drop, NULL, 0, NULL, &err) != RORM_OK ||
        rorm_db_ensure_schema(db, &err) != RORM_OK) {
        die("create the table", &err);
    }
    enum { BATCH = 10000 };
    static rorm_value recs[BATCH];
    static rorm_member members[BATCH][4];
    static char titles[BATCH][48];
    for (long start = 1; start <= nrows; start += BATCH) {
        size_t n = 0;
        for (long i = start; i < start + BATCH && i <= nrows; i++, n++) {
            snprintf(titles[n], sizeof titles[n], "row %-36ld", i);
            members[n][0] = (rorm_member){ "id", RORM_INT(i) };
            members[n][1] = (rorm_member){ "title", rorm_value_text_ref(titles[n]) };
            members[n][2] = (rorm_member){ "views", RORM_INT(i % 1000) };
            members[n][3] = (rorm_member){ "at", RORM_DATETIME(1700000000000LL + i * 1000) };
            recs[n] = RORM_OBJECT(members[n]);
        }
        if (rorm_db_insert_many(db, "LargeRow", recs, n, NULL, &err) != RORM_OK) {
            die("fill", &err);
        }
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Check one record: ids come in order 1, 2, ...; sum the views. */
static void check_row(const rorm_value *row, long expect_id, long long *sum)
{
    long id = (long)rorm_value_as_int(rorm_value_object_get(row, "id"), -1);
    if (id != expect_id) {
        fprintf(stderr, "rorm_large_memory: row %ld has id %ld\n", expect_id, id);
        exit(2);
    }
    *sum += rorm_value_as_int(rorm_value_object_get(row, "views"), 0);
}

static long long expected_sum(void)
{
    long long s = 0;
    for (long i = 1; i <= nrows; i++) {
        s += i % 1000;
    }
    return s;
}

/* A child: one mode, then report "rows seconds" on stdout. */
static int child(const char *mode, const char *url)
{
    rorm_db *db = open_db(url);
    if (strcmp(url, "sqlite://:memory:") == 0) {
        fill(db);
    }
    rorm_error err = { 0 };
    const char *args = "{\"orderBy\": {\"id\": \"asc\"}}";
    long n = 0;
    long long sum = 0;
    double t0 = now_s();
    if (strcmp(mode, "c-baseline") == 0) {
        char *json = NULL;
        if (rorm_db_call_json(&json, db, "LargeRow", "count", NULL, &err) != RORM_OK) {
            die("count", &err);
        }
        n = atol(json);
        sum = expected_sum();
        rorm_free(json);
    } else if (strcmp(mode, "c-stream") == 0) {
        rorm_cursor *cur = NULL;
        if (rorm_db_stream_json(&cur, db, "LargeRow", args, &err) != RORM_OK) {
            die("stream", &err);
        }
        rorm_value row;
        int rc;
        while ((rc = rorm_cursor_next(&row, cur, &err)) == 1) {
            check_row(&row, ++n, &sum);
            rorm_value_dispose(&row);
        }
        if (rc != 0) {
            die("stream", &err);
        }
        rorm_cursor_close(cur);
    } else {
        rorm_value all;
        rorm_member order[] = { { "id", RORM_TEXT("asc") } };
        rorm_member top[] = { { "orderBy", RORM_OBJECT(order) } };
        if (rorm_db_call(&all, db, "LargeRow", "findMany", &RORM_OBJECT(top), &err) != RORM_OK) {
            die("findMany", &err);
        }
        for (size_t i = 0; i < rorm_value_len(&all); i++) {
            check_row(rorm_value_array_at(&all, i), ++n, &sum);
        }
        rorm_value_dispose(&all);
    }
    double t = now_s() - t0;
    if (n != nrows || sum != expected_sum()) {
        fprintf(stderr, "rorm_large_memory: %s read %ld rows (checksum %lld), expected %ld\n", mode,
                n, sum, nrows);
        return 2;
    }
    printf("%ld %.3f\n", n, t);
    rorm_db_close(db);
    return 0;
}

/* Run one child and return its peak resident set in KiB (and its report). */
static long measure(const char *mode, const char *url, const char *cli, double *secs)
{
    int fd[2];
    if (pipe(fd) != 0) {
        perror("pipe");
        exit(2);
    }
    char rows[32];
    snprintf(rows, sizeof rows, "%ld", nrows);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        if (strncmp(mode, "js-", 3) == 0) {
            const char *dir = getenv("RORM_LARGE_DIR");
            char script[4096], schema[4096];
            snprintf(script, sizeof script, "%s/memory.js", dir ? dir : "tests/large");
            snprintf(schema, sizeof schema, "%s/schema-%s.prisma", dir ? dir : "tests/large",
                     provider_of(url));
            execl(cli, cli, "run", "--db", url, "--schema", schema, script, mode + 3, rows,
                  (char *)NULL);
        } else {
            execl(self_path, self_path, "--child", mode, "--rows", rows, url, (char *)NULL);
        }
        perror("exec");
        _exit(127);
    }
    close(fd[1]);
    char out[256] = { 0 };
    size_t got = 0;
    ssize_t r;
    while (got + 1 < sizeof out && (r = read(fd[0], out + got, sizeof out - 1 - got)) > 0) {
        got += (size_t)r;
    }
    close(fd[0]);
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "rorm_large_memory: %s on %s failed (%s)\n", mode, url, out);
        exit(1);
    }
    /* The report is the last line of the output (a script may print before it). */
    long n = 0;
    *secs = 0;
    char *last = out;
    for (char *p = out; (p = strchr(p, '\n')) != NULL && p[1];) {
        last = ++p;
    }
    if (sscanf(last, "%ld %lf", &n, secs) != 2 || n != nrows) {
        fprintf(stderr, "rorm_large_memory: %s on %s: unexpected report '%s'\n", mode, url, out);
        exit(1);
    }
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    self_path = "/proc/self/exe";
    long limit_mib = 64;
    const char *cli = NULL;
    const char *child_mode = NULL;
    int i = 1;
    for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (i + 1 >= argc) {
            fprintf(stderr, "rorm_large_memory: %s needs a value\n", argv[i]);
            return 2;
        }
        if (strcmp(argv[i], "--rows") == 0) {
            nrows = atol(argv[i + 1]);
        } else if (strcmp(argv[i], "--limit-mib") == 0) {
            limit_mib = atol(argv[i + 1]);
        } else if (strcmp(argv[i], "--cli") == 0) {
            cli = argv[i + 1];
        } else if (strcmp(argv[i], "--child") == 0) {
            child_mode = argv[i + 1];
        } else {
            fprintf(stderr, "rorm_large_memory: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (i >= argc || nrows <= 0) {
        fprintf(stderr, "usage: rorm_large_memory [--rows N] [--limit-mib M] [--cli REDI_ORM] "
                        "URL...\n");
        return 2;
    }
    if (child_mode) {
        return child(child_mode, argv[i]);
    }
    int failures = 0;
    printf("%-28s %-12s %10s %12s %8s\n", "database", "mode", "rows", "peak-base", "seconds");
    for (; i < argc; i++) {
        const char *url = argv[i];
        if (strcmp(url, "sqlite://:memory:") != 0) {
            rorm_db *db = open_db(url);
            fill(db);
            rorm_db_close(db);
        }
        static const char *const c_modes[] = { "stream", "findMany" };
        for (int lang = 0; lang < (cli ? 2 : 1); lang++) {
            const char *prefix = lang ? "js-" : "c-";
            char mode[32];
            snprintf(mode, sizeof mode, "%sbaseline", prefix);
            double secs;
            long base = measure(mode, url, cli, &secs);
            for (int m = 0; m < 2; m++) {
                snprintf(mode, sizeof mode, "%s%s", prefix, c_modes[m]);
                long peak = measure(mode, url, cli, &secs);
                long delta_kib = peak - base;
                bool streaming = m == 0;
                bool good =
                    streaming ? delta_kib < limit_mib * 1024 : delta_kib >= limit_mib * 1024;
                failures += !good;
                char db_name[29];
                snprintf(db_name, sizeof db_name, "%.28s", url);
                printf("%-28s %-12s %10ld %8.1f MiB %8.2f  %s\n", db_name, mode, nrows,
                       (double)delta_kib / 1024.0, secs,
                       good ? (streaming ? "ok: under the limit" : "ok: over the limit")
                            : (streaming ? "FAIL: over the limit" : "FAIL: findMany stayed under"));
                fflush(stdout);
            }
        }
    }
    printf("limit %ld MiB above the baseline: %s\n", limit_mib, failures ? "FAILED" : "passed");
    return failures ? 1 : 0;
}
