/*
 * SQLite faults, on files in a scratch directory next to the sqlite-file database:
 *   - a process killed with SIGKILL in the middle of a write transaction (and, in a loop, at
 *     random moments of a stream of committed transactions): the file passes
 *     PRAGMA integrity_check on reopen, the committed data is all there and the interrupted
 *     transaction is absent;
 *   - a full disk: a small tmpfs mounted for the test when the process may mount (root), else
 *     a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored) in a child process. Writes fail with a
 *     clear error naming the file, the failed transaction is absent, nothing is corrupted, and
 *     writing works again once there is room;
 *   - a read-only file (a child process without the right to write it): reads work, writes fail
 *     with a clear error, the file is unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "faults.h"

static char scratch[512];
static char mounted_at[600]; /* the tmpfs to unmount, when one was mounted */

static void path_in_scratch(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", scratch, name);
}

static void remove_db(const char *path)
{
    char p[600];
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < RORM_COUNT(suffixes); i++) {
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        unlink(p);
    }
}

static int group_setup(void **state)
{
    (void)state;
    /* The scratch directory: /tmp, where a less privileged child can reach it. */
    snprintf(scratch, sizeof scratch, "/tmp/rorm-faults-sqlite-%ld", (long)getpid());
    if (mkdir(scratch, 0755) != 0 && errno != EEXIST) {
        fail_msg("mkdir %s: %s", scratch, strerror(errno));
    }
    chmod(scratch, 0777);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    if (mounted_at[0] && umount2(mounted_at, MNT_DETACH) != 0) {
        fprintf(stderr, "umount %s: %s\n", mounted_at, strerror(errno));
    }
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

static rorm_db *open_file(const char *path, rorm_error *err, int *rc)
{
    char url[600];
    snprintf(url, sizeof url, "sqlite://%s", path);
    rorm_db *db = NULL;
    *rc = rorm_db_open(&db, url, err);
    if (*rc == RORM_OK) {
        rorm_schema *schema = ft_schema(1, NULL);
        *rc = rorm_db_register(db, schema, err);
        rorm_schema_release(schema);
    }
    return db;
}

static rorm_db *open_ok(const char *path)
{
    rorm_error err = { 0 };
    int rc;
    rorm_db *db = open_file(path, &err, &rc);
    assert_rorm_ok(rc, &err);
    return db;
}

static void assert_intact(rorm_db *db)
{
    rorm_error err = { 0 };
    rorm_rows *rows = NULL;
    assert_rorm_ok(rorm_db_query_raw(&rows, db, "PRAGMA integrity_check", NULL, 0, &err), &err);
    assert_int_equal(rorm_rows_count(rows), 1);
    assert_string_equal(rorm_value_as_text(rorm_rows_get(rows, 0, 0)), "ok");
    rorm_rows_free(rows);
}

static int insert_item(rorm_db *db, const char *code, int n, rorm_error *err)
{
    rorm_member m[] = { { "code", RORM_TEXT(code) }, { "n", RORM_INT(n) } };
    return rorm_db_insert(db, "Item", &RORM_OBJECT(m), NULL, err);
}

/* A fresh database at @p path with @p n committed rows. */
static void seed(const char *path, int n)
{
    rorm_error err = { 0 };
    remove_db(path);
    rorm_db *db = open_ok(path);
    assert_rorm_ok(rorm_db_ensure_schema(db, &err), &err);
    for (int i = 0; i < n; i++) {
        char code[32];
        snprintf(code, sizeof code, "base-%d", i);
        assert_rorm_ok(insert_item(db, code, i, &err), &err);
    }
    rorm_db_close(db);
}

/* ---- child processes ---------------------------------------------------------------------- */

/*
 * Write transactions of @p rows rows (a text of @p text bytes each) into @p db until one fails;
 * return its code. When @p fd >= 0, after @p signal_after commits write a byte to it with the
 * next transaction written and open, and wait there to be killed when @p wait.
 */
static int write_batches(
    rorm_db *db, int rows, size_t text, int fd, int signal_after, bool wait, rorm_error *err)
{
    char code[4200];
    int prefix = snprintf(code, sizeof code, "w-%ld-", (long)getpid());
    memset(code + prefix + 16, 'x', text);
    int rc = RORM_OK;
    for (int batch = 0; rc == RORM_OK && batch < 100000; batch++) {
        rorm_db *tx = NULL;
        rc = rorm_db_begin(&tx, db, err);
        for (int i = 0; rc == RORM_OK && i < rows; i++) {
            /* A unique key per row, then the filler. */
            char key[32];
            snprintf(key, sizeof key, "%07d-%07d-", batch % 10000000, i % 10000000);
            memcpy(code + prefix, key, 16);
            code[prefix + 16 + text] = '\0';
            rc = insert_item(tx, code, batch, err);
        }
        if (fd >= 0 && batch == signal_after) {
            if (write(fd, "x", 1) != 1) {
                _exit(3);
            }
            if (wait) {
                pause();
            }
        }
        if (rc == RORM_OK) {
            rc = rorm_db_commit(tx, err);
        } else if (tx) {
            rorm_error ignored = { 0 };
            rorm_db_rollback(tx, &ignored);
        }
    }
    return rc;
}

/* Fork; the child runs @p child with the write end of a pipe, the parent gets the read end. */
static pid_t spawn(int *read_fd, void (*child)(int fd, const void *arg), const void *arg)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        child(fds[1], arg);
        _exit(0);
    }
    close(fds[1]);
    *read_fd = fds[0];
    return pid;
}

/* Read what the child wrote until it exits (with status 0). */
static void child_report(pid_t pid, int fd, char *report, size_t size)
{
    ssize_t n = read(fd, report, size - 1);
    close(fd);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fail_msg("the child process ended with status %d", status);
    }
    assert_true(n > 0);
    report[n] = '\0';
}

/* ---- a killed process --------------------------------------------------------------------- */

#define BATCH 50

typedef struct writer_args {
    const char *path;
    int signal_after;
    bool wait;
} writer_args;

/*
 * The child: transactions of BATCH rows of 2 KiB (so that a transaction spills out of the page
 * cache into the files), committed one after the other; it signals with a transaction open.
 */
static void child_writer(int fd, const void *arg)
{
    const writer_args *w = arg;
    rorm_error err = { 0 };
    int rc;
    rorm_db *db = open_file(w->path, &err, &rc);
    if (rc == RORM_OK) {
        write_batches(db, BATCH, 2000, fd, w->signal_after, w->wait, &err);
    }
    _exit(2); /* only reached on an error */
}

/* Kill a writer child after it signals (plus @p delay_us). */
static void kill_writer(const char *path, int signal_after, bool wait, unsigned delay_us)
{
    writer_args args = { path, signal_after, wait };
    int fd;
    pid_t pid = spawn(&fd, child_writer, &args);
    char c;
    assert_int_equal(read(fd, &c, 1), 1);
    close(fd);
    if (delay_us) {
        usleep(delay_us);
    }
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void test_faults_sqlite__killed_in_transaction(void **state)
{
    (void)state;
    char path[600];
    path_in_scratch(path, sizeof path, "killed.db");
    seed(path, 5);
    /* Killed with the second transaction open: the first is there, the second is not. */
    kill_writer(path, 1, true, 0);
    rorm_db *db = open_ok(path);
    assert_intact(db);
    assert_int_equal(ft_count(db, "Item"), 5 + BATCH);
    rorm_db_close(db);
}

static void test_faults_sqlite__killed_at_random_moments(void **state)
{
    (void)state;
    char path[600];
    path_in_scratch(path, sizeof path, "random.db");
    seed(path, 5);
    unsigned seed_value = (unsigned)time(NULL);
    int64_t before = 5;
    for (int round = 0; round < 6; round++) {
        seed_value = seed_value * 1103515245u + 12345u;
        kill_writer(path, 0, false, 1000 + (seed_value >> 8) % 40000);
        rorm_db *db = open_ok(path);
        assert_intact(db);
        int64_t n = ft_count(db, "Item");
        /* Whole transactions only, and nothing committed before is lost. */
        if ((n - 5) % BATCH != 0 || n < before) {
            fail_msg("round %d: %lld rows after %lld (transactions of %d)", round, (long long)n,
                     (long long)before, BATCH);
        }
        before = n;
        rorm_db_close(db);
    }
}

/* ---- a full disk -------------------------------------------------------------------------- */

typedef struct fill_args {
    const char *path;
    rlim_t limit; /* a file size limit, or 0 */
} fill_args;

/* The child: fill the database until a write fails; report the code and the message. */
static void fill(int fd, const void *arg)
{
    const fill_args *f = arg;
    if (f->limit) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = { f->limit, f->limit };
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) {
            _exit(4);
        }
    }
    rorm_error err = { 0 };
    int rc;
    rorm_db *db = open_file(f->path, &err, &rc);
    if (rc == RORM_OK) {
        rc = write_batches(db, 10, 4000, -1, -1, false, &err);
    }
    char report[400];
    int n = snprintf(report, sizeof report, "%d %s", rc, err.message);
    if (write(fd, report, (size_t)n) != n) {
        _exit(3);
    }
    rorm_db_close(db);
}

static void check_full(const char *path, const char *report)
{
    int code = atoi(report);
    const char *message = strchr(report, ' ') + 1;
    if (code != RORM_EDRIVER || strstr(message, "full") == NULL || strstr(message, path) == NULL) {
        fail_msg("expected RORM_EDRIVER saying the disk is full and naming %s, got %s: %s", path,
                 rorm_code_name(code), message);
    }
    rorm_db *db = open_ok(path);
    assert_intact(db);
    /* Only whole transactions of 10 rows, after the 5 seeded ones. */
    int64_t n = ft_count(db, "Item");
    assert_true(n >= 5 && (n - 5) % 10 == 0);
    rorm_db_close(db);
}

/* Run fill() in a child, optionally under a file size limit, and return its report. */
static void run_fill(const char *path, rlim_t limit, char *report, size_t size)
{
    fill_args args = { path, limit };
    int fd;
    pid_t pid = spawn(&fd, fill, &args);
    child_report(pid, fd, report, size);
}

static void test_faults_sqlite__full_disk(void **state)
{
    (void)state;
    char mnt[600], path[700], report[400];
    path_in_scratch(mnt, sizeof mnt, "small");
    assert_true(mkdir(mnt, 0755) == 0 || errno == EEXIST);
    bool mounted = mount("rorm-faults", mnt, "tmpfs", 0, "size=1m") == 0;
    int mount_errno = errno;
    char ballast[700];
    snprintf(ballast, sizeof ballast, "%s/ballast", mnt);
    if (mounted) {
        snprintf(mounted_at, sizeof mounted_at, "%s", mnt);
        snprintf(path, sizeof path, "%s/full.db", mnt);
        seed(path, 5);
        /* Room to give back once the disk is full. */
        FILE *f = fopen(ballast, "w");
        assert_non_null(f);
        static char zeros[256 * 1024];
        assert_int_equal(fwrite(zeros, 1, sizeof zeros, f), sizeof zeros);
        assert_int_equal(fclose(f), 0);
        run_fill(path, 0, report, sizeof report);
        printf("full disk: a 1 MiB tmpfs\n");
    } else {
        /* No right to mount: the same through a file size limit in the child. */
        snprintf(path, sizeof path, "%s/full.db", mnt);
        seed(path, 5);
        run_fill(path, 1024 * 1024, report, sizeof report);
        printf("full disk: RLIMIT_FSIZE of 1 MiB (mounting a tmpfs failed: %s)\n",
               strerror(mount_errno));
    }
    check_full(path, report);
    /* With room again (a file removed, or no limit in this process), writing works. */
    if (mounted) {
        assert_int_equal(unlink(ballast), 0);
    }
    rorm_error err = { 0 };
    rorm_db *db = open_ok(path);
    int64_t n = ft_count(db, "Item");
    assert_rorm_ok(insert_item(db, "after", 0, &err), &err);
    assert_int_equal(ft_count(db, "Item"), n + 1);
    assert_intact(db);
    rorm_db_close(db);
    if (mounted) {
        assert_int_equal(umount(mnt), 0);
        mounted_at[0] = '\0';
    }
}

/* ---- a read-only file --------------------------------------------------------------------- */

/* The child: read the database at @p arg and try to write it; report both. */
static void read_only_child(int fd, const void *arg)
{
    const char *path = arg;
    /* Root may write any file: drop to an unprivileged user first. */
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam("nobody");
        if (pw == NULL || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
            _exit(5);
        }
    }
    rorm_error err = { 0 };
    int rc;
    rorm_db *db = open_file(path, &err, &rc);
    int64_t n = -1;
    if (rc == RORM_OK) {
        rorm_query *q = NULL;
        rc = rorm_query_new(&q, db, "Item", &err);
        if (rc == RORM_OK) {
            rc = rorm_query_count(&n, q, &err);
            rorm_query_free(q);
        }
    }
    int read_rc = rc;
    if (rc == RORM_OK) {
        rc = insert_item(db, "written", 1, &err);
    }
    char report[400];
    int len =
        snprintf(report, sizeof report, "%d %lld %d %s", read_rc, (long long)n, rc, err.message);
    if (write(fd, report, (size_t)len) != len) {
        _exit(3);
    }
    rorm_db_close(db);
}

static void test_faults_sqlite__read_only_file(void **state)
{
    (void)state;
    char path[600];
    path_in_scratch(path, sizeof path, "readonly.db");
    seed(path, 5);
    /* Checkpointed into the main file, which is then made read-only. */
    {
        rorm_error err = { 0 };
        rorm_db *db = open_ok(path);
        assert_rorm_ok(rorm_db_execute_raw(db, "PRAGMA journal_mode=DELETE", NULL, 0, NULL, &err),
                       &err);
        rorm_db_close(db);
    }
    assert_int_equal(chmod(path, 0444), 0);
    int fd;
    pid_t pid = spawn(&fd, read_only_child, path);
    char report[400];
    child_report(pid, fd, report, sizeof report);
    int read_rc = 0, write_rc = 0, offset = 0;
    long long n = 0;
    assert_int_equal(sscanf(report, "%d %lld %d %n", &read_rc, &n, &write_rc, &offset), 3);
    const char *message = report + offset;
    if (read_rc != RORM_OK || n != 5) {
        fail_msg("reading the read-only file: %s, %lld rows: %s", rorm_code_name(read_rc), n,
                 message);
    }
    if (write_rc != RORM_EDRIVER || strstr(message, "readonly") == NULL ||
        strstr(message, path) == NULL) {
        fail_msg("expected RORM_EDRIVER saying the file is read-only and naming %s, got %s: %s",
                 path, rorm_code_name(write_rc), message);
    }
    assert_int_equal(chmod(path, 0644), 0);
    rorm_db *db = open_ok(path);
    assert_intact(db);
    assert_int_equal(ft_count(db, "Item"), 5);
    rorm_db_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults_sqlite__killed_in_transaction),
        cmocka_unit_test(test_faults_sqlite__killed_at_random_moments),
        cmocka_unit_test(test_faults_sqlite__full_disk),
        cmocka_unit_test(test_faults_sqlite__read_only_file),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
