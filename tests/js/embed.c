/*
 * The C embedding API of librediorm-js (rediorm/js.h): engines over a database, schemas loaded
 * from text and registered natively, evaluation with values coming back as rorm_value, promises
 * and timers awaited, errors with the JavaScript message and stack, process.exit, run_file.
 * RORM_TEST_URL names the database (a SQLite memory or file database).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rediorm/js.h>
#include <rediorm/rediorm.h>

static const char schema_text[] = "datasource db {\n"
                                  "  provider = \"sqlite\"\n"
                                  "  url = \"file:./x.db\"\n"
                                  "}\n"
                                  "model User {\n"
                                  "  id    Int     @id @default(autoincrement())\n"
                                  "  email String  @unique\n"
                                  "  name  String\n"
                                  "  big   BigInt?\n"
                                  "  at    DateTime?\n"
                                  "}\n";

typedef struct fixture {
    rorm_db *db;
    rorm_js_engine *js;
} fixture;

static const char *test_url(void)
{
    const char *url = getenv("RORM_TEST_URL");
    return url != NULL ? url : "sqlite://:memory:";
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rorm_error err = { 0 };
    const char *url = test_url();
    if (strncmp(url, "sqlite://", 9) == 0 && strcmp(url, "sqlite://:memory:") != 0) {
        unlink(url + 9);
    }
    if (rorm_db_open(&f->db, url, &err) != RORM_OK) {
        fprintf(stderr, "open: %s\n", err.message);
        return -1;
    }
    if (rorm_js_engine_new(&f->js, f->db, &err) != RORM_OK) {
        fprintf(stderr, "engine: %s\n", err.message);
        return -1;
    }
    if (rorm_js_engine_load_schema(f->js, schema_text, strlen(schema_text), "schema.prisma", NULL,
                                   &err) != RORM_OK ||
        rorm_js_engine_sync(f->js, &err) != RORM_OK) {
        fprintf(stderr, "schema: %s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rorm_error err = { 0 };
    /* Leave the file database empty for the next test. */
    rorm_db_execute_raw(f->db, "DELETE FROM User", NULL, 0, NULL, &err);
    rorm_js_engine_free(f->js);
    rorm_db_close(f->db);
    free(f);
    return 0;
}

static void eval_ok(fixture *f, const char *src, rorm_value *out)
{
    rorm_error err = { 0 };
    int rc = rorm_js_eval(f->js, src, "test.js", out, &err);
    if (rc != RORM_OK) {
        fprintf(stderr, "%s\n%s\n", err.message, rorm_js_engine_last_stack(f->js));
    }
    assert_int_equal(rc, RORM_OK);
}

static void test_js_embed__values(void **state)
{
    fixture *f = *state;
    rorm_value v;
    eval_ok(f, "1 + 2", &v);
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_int_equal(v.u.i, 3);
    eval_ok(f, "1.5", &v);
    assert_int_equal(v.type, RORM_TYPE_DOUBLE);
    eval_ok(f, "9007199254740993n", &v);
    assert_int_equal(v.type, RORM_TYPE_INT);
    assert_true(v.u.i == INT64_C(9007199254740993));
    eval_ok(f, "'héllo'", &v);
    assert_int_equal(v.type, RORM_TYPE_TEXT);
    assert_string_equal(v.u.s.ptr, "héllo");
    rorm_value_dispose(&v);
    eval_ok(f, "new Date(86400000)", &v);
    assert_int_equal(v.type, RORM_TYPE_DATETIME);
    assert_int_equal(v.u.ms, 86400000);
    eval_ok(f, "new Uint8Array([1, 2, 255])", &v);
    assert_int_equal(v.type, RORM_TYPE_BYTES);
    assert_int_equal(v.u.bytes.len, 3);
    assert_int_equal(v.u.bytes.ptr[2], 255);
    rorm_value_dispose(&v);
    eval_ok(f, "({ b: [true, null], a: 'x', u: undefined })", &v);
    assert_int_equal(v.type, RORM_TYPE_OBJECT);
    assert_int_equal(rorm_value_len(&v), 2);
    assert_string_equal(rorm_value_object_at(&v, 0)->key, "b");
    assert_int_equal(rorm_value_object_get(&v, "b")->u.arr.len, 2);
    rorm_value_dispose(&v);
    eval_ok(f, "undefined", &v);
    assert_int_equal(v.type, RORM_TYPE_NULL);

    rorm_error err = { 0 };
    assert_int_equal(rorm_js_eval(f->js, "(function () {})", "f.js", &v, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "function"));
    assert_int_equal(rorm_js_eval(f->js, "2n ** 70n", "big.js", &v, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "64-bit"));
}

static void test_js_embed__models(void **state)
{
    fixture *f = *state;
    rorm_value v;
    eval_ok(f, "models.User.add({ email: 'a@x', name: 'A', big: 2n ** 60n })", &v);
    assert_int_equal(v.u.i, 1);
    eval_ok(f, "typeof models.User.get(1).big", &v);
    assert_string_equal(v.u.s.ptr, "bigint");
    rorm_value_dispose(&v);
    eval_ok(f, "models.User.get(1)", &v);
    assert_int_equal(v.type, RORM_TYPE_OBJECT);
    assert_true(rorm_value_object_get(&v, "big")->u.i == (INT64_C(1) << 60));
    rorm_value_dispose(&v);
    eval_ok(f, "db.user.select().count()", &v);
    assert_int_equal(v.u.i, 1);

    /* The record is in the C database too: one database handle, two APIs. */
    rorm_value rec;
    rorm_error err = { 0 };
    assert_int_equal(rorm_db_find(f->db, "User", &RORM_INT(1), &rec, &err), RORM_OK);
    assert_string_equal(rorm_value_as_text(rorm_value_object_get(&rec, "name")), "A");
    rorm_value_dispose(&rec);
}

static void test_js_embed__promises_and_timers(void **state)
{
    fixture *f = *state;
    rorm_value v;
    eval_ok(f, "Promise.resolve(41).then(x => x + 1)", &v);
    assert_int_equal(v.u.i, 42);
    eval_ok(f, "new Promise(r => setTimeout(() => r('late'), 20))", &v);
    assert_string_equal(v.u.s.ptr, "late");
    rorm_value_dispose(&v);
    eval_ok(f, "(async () => { await null; return db.queryRaw('SELECT 7 AS n'); })()", &v);
    assert_int_equal(v.type, RORM_TYPE_ARRAY);
    assert_int_equal(rorm_value_object_get(rorm_value_array_at(&v, 0), "n")->u.i, 7);
    rorm_value_dispose(&v);

    rorm_error err = { 0 };
    assert_int_equal(rorm_js_eval(f->js, "new Promise(() => {})", "p.js", &v, &err), RORM_EINVAL);
    assert_non_null(strstr(err.message, "never settled"));
}

static void test_js_embed__errors(void **state)
{
    fixture *f = *state;
    rorm_value v;
    rorm_error err = { 0 };
    int rc =
        rorm_js_eval(f->js, "\n\nfunction boom() { throw new RangeError('bad ' + 1); }\nboom();",
                     "boom.js", &v, &err);
    assert_int_equal(rc, RORM_EINVAL);
    assert_int_equal(v.type, RORM_TYPE_NULL);
    assert_string_equal(err.message, "boom.js:3: RangeError: bad 1");
    assert_non_null(strstr(rorm_js_engine_last_stack(f->js), "boom@boom.js:3"));

    rc = rorm_js_eval(f->js, "Promise.reject(new Error('async no'))", "rej.js", &v, &err);
    assert_int_equal(rc, RORM_EINVAL);
    assert_non_null(strstr(err.message, "async no"));

    rc = rorm_js_eval(f->js, "throw 'plain'", "t.js", &v, &err);
    assert_int_equal(rc, RORM_EINVAL);
    assert_non_null(strstr(err.message, "plain"));

    rc = rorm_js_eval(f->js, "syntax error here", "s.js", &v, &err);
    assert_int_equal(rc, RORM_EINVAL);
    assert_non_null(strstr(err.message, "SyntaxError"));

    /* A query error keeps its RediORM code. */
    eval_ok(f, "models.User.add({ email: 'dup@x', name: 'A' })", &v);
    rc = rorm_js_eval(f->js, "models.User.add({ email: 'dup@x', name: 'B' })", "dup.js", &v, &err);
    assert_int_equal(rc, RORM_ECONSTRAINT);
    assert_non_null(strstr(err.message, "dup.js:1"));
    assert_non_null(strstr(err.message, "email"));
    rc = rorm_js_eval(f->js, "models.User.set(12345, { name: 'x' })", "nf.js", &v, &err);
    assert_int_equal(rc, RORM_ENOTFOUND);
}

static void test_js_embed__exit(void **state)
{
    fixture *f = *state;
    rorm_value v;
    rorm_error err = { 0 };
    int status = -1;
    assert_false(rorm_js_engine_exited(f->js, &status));
    assert_int_equal(rorm_js_eval(f->js, "process.exit(3); 1", "exit.js", &v, &err), RORM_OK);
    assert_true(rorm_js_engine_exited(f->js, &status));
    assert_int_equal(status, 3);
    /* Further evaluation returns at once. */
    assert_int_equal(rorm_js_eval(f->js, "1", "again.js", &v, &err), RORM_OK);
    assert_int_equal(v.type, RORM_TYPE_NULL);
}

static void test_js_embed__native_schema_and_run_file(void **state)
{
    (void)state;
    static const rorm_field_def fields[] = {
        { .name = "id", .type = RORM_FIELD_INT, .flags = RORM_PRIMARY_KEY | RORM_AUTOINCREMENT },
        { .name = "title", .type = RORM_FIELD_STRING },
    };
    static const rorm_model_def note = { .name = "Note", .fields = fields, .nfields = 2 };
    rorm_error err = { 0 };
    rorm_db *db;
    rorm_schema *schema;
    rorm_js_engine *js;
    assert_int_equal(rorm_db_open(&db, "sqlite://:memory:", &err), RORM_OK);
    assert_int_equal(rorm_schema_new(&schema, &err), RORM_OK);
    assert_int_equal(rorm_schema_add_model(schema, &note, &err), RORM_OK);
    /* Registered by the caller first: the engine only exposes it. */
    assert_int_equal(rorm_db_register(db, schema, &err), RORM_OK);
    assert_int_equal(rorm_js_engine_new(&js, db, &err), RORM_OK);
    assert_int_equal(rorm_js_engine_add_schema(js, schema, &err), RORM_OK);
    rorm_schema_release(schema);
    assert_int_equal(rorm_js_engine_sync(js, &err), RORM_OK);

    char path[] = "/tmp/rorm-embed-XXXXXX.js";
    int fd = mkstemps(path, 3);
    assert_true(fd >= 0);
    const char *script =
        "const n = models.Note.add({ title: process.argv[1] });\n"
        "await new Promise(r => setTimeout(r, 5));\n"
        "setTimeout(() => process.exit(models.Note.get(n).title === 'hi' ? 4 : 5), 1);\n";
    assert_int_equal(write(fd, script, strlen(script)), (ssize_t)strlen(script));
    close(fd);
    const char *argv[] = { "embed", "hi" };
    assert_int_equal(rorm_js_engine_set_argv(js, 2, argv, &err), RORM_OK);
    int status = 0;
    assert_int_equal(rorm_js_run_file(js, path, &status, &err), RORM_OK);
    assert_int_equal(status, 4);
    unlink(path);

    rorm_js_engine *js2;
    assert_int_equal(rorm_js_engine_new(&js2, NULL, &err), RORM_OK);
    assert_int_equal(rorm_js_run_file(js2, "/nonexistent/x.js", &status, &err), RORM_ENOTFOUND);
    assert_int_equal(rorm_js_engine_add_schema(js2, NULL, &err), RORM_EINVAL);
    rorm_value v;
    /* Without a database scripts open their own. */
    assert_int_equal(rorm_js_eval(js2, "typeof db", "x.js", &v, &err), RORM_OK);
    assert_string_equal(v.u.s.ptr, "undefined");
    rorm_value_dispose(&v);
    assert_int_equal(
        rorm_js_eval(js2,
                     "(async () => { const d = require('redi/orm').fromUri('sqlite://:memory:');"
                     " await d.connect(); const r = await d.queryRaw('SELECT 1 AS one');"
                     " await d.close(); return r[0].one; })()",
                     "own.js", &v, &err),
        RORM_OK);
    assert_int_equal(v.u.i, 1);
    rorm_js_engine_free(js2);
    rorm_js_engine_free(js);
    rorm_db_close(db);
    rorm_js_engine_free(NULL);
}

static void test_js_embed__leftovers_are_cleaned(void **state)
{
    (void)state;
    /* A script that leaves a database open and a transaction unfinished: freeing the engine
     * rolls back and closes them (the sanitizer build checks nothing leaks). */
    rorm_error err = { 0 };
    rorm_js_engine *js;
    assert_int_equal(rorm_js_engine_new(&js, NULL, &err), RORM_OK);
    rorm_value v;
    int rc = rorm_js_eval(
        js,
        "globalThis.d = require('redi/orm').fromUri('sqlite://:memory:');"
        "d.executeRaw('CREATE TABLE t (x INTEGER)').then(() => {"
        "  d.$transaction(async tx => { await tx.executeRaw('INSERT INTO t VALUES (1)');"
        "    await new Promise(() => {}); }); return 1; })",
        "left.js", &v, &err);
    assert_int_equal(rc, RORM_OK);
    assert_int_equal(v.u.i, 1);
    rorm_js_engine_free(js);
}

/* The core's failure-injection hook (src/util/alloc.h). */
size_t rorm__alloc_fail_after(size_t n);

static void test_js_embed__oom(void **state)
{
    /*
     * Allocation 1, 2, 3, ... of a script touching every layer of the binding (conversion both
     * ways, the record API, the select builder, rorm_db_call, raw SQL, a transaction, the result
     * value) fails in turn until the script completes. Each failure must come back as a clean
     * RORM_ENOMEM, the engine must stay usable, and nothing may leak (LeakSanitizer).
     */
    fixture *f = *state;
    static const char script[] =
        "(async () => {"
        "  const id = models.User.add({ email: 'oom' + Math.random(), name: 'A', big: 5n,"
        "                               at: new Date(0) });"
        "  models.User.get(id);"
        "  models.User.select(['name', 'big']).where('name', '=', 'A').orderBy('name', 'DESC')"
        "    .limit(5).execute();"
        "  models.User.select().where('name', 'in', ['A', 'B']).count();"
        "  await db.user.create({ data: { email: 'p' + Math.random(), name: 'B' } });"
        "  await db.user.findMany({ where: { name: { startsWith: 'B' } }, orderBy: { id: 'desc' } });"
        "  await db.queryRaw('SELECT ? AS x', 'y');"
        "  await db.$transaction(async (tx) => tx.user.count());"
        "  return { ok: [1, 'two', 3n, new Date(1), new Uint8Array([1])] };"
        "})()";
    size_t n;
    for (n = 1; n < 100000; n++) {
        rorm_value v;
        rorm_error err = { 0 };
        assert_int_equal(rorm_db_execute_raw(f->db, "DELETE FROM User", NULL, 0, NULL, &err),
                         RORM_OK);
        rorm__alloc_fail_after(n);
        int rc = rorm_js_eval(f->js, script, "oom.js", &v, &err);
        rorm__alloc_fail_after(0);
        if (rc == RORM_OK) {
            assert_int_equal(v.type, RORM_TYPE_OBJECT);
            rorm_value_dispose(&v);
            break;
        }
        if (rc != RORM_ENOMEM) {
            fail_msg("allocation %zu: %s (%s)\n%s", n, rorm_code_name(rc), err.message,
                     rorm_js_engine_last_stack(f->js));
        }
        assert_int_equal(v.type, RORM_TYPE_NULL);
    }
    /* The run that completed needed n - 1 allocations: a full run counts the same. */
    rorm_error err = { 0 };
    assert_int_equal(rorm_db_execute_raw(f->db, "DELETE FROM User", NULL, 0, NULL, &err), RORM_OK);
    rorm__alloc_fail_after(0);
    rorm_value full;
    eval_ok(f, script, &full);
    size_t counted = rorm__alloc_fail_after(0);
    rorm_value_dispose(&full);
    assert_true(n > 10);
    assert_int_equal(counted, n - 1);
    /* Still usable. */
    rorm_value v;
    eval_ok(f, "models.User.select().count() >= 0", &v);
    assert_int_equal(v.type, RORM_TYPE_BOOL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_js_embed__values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_js_embed__models, setup, teardown),
        cmocka_unit_test_setup_teardown(test_js_embed__promises_and_timers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_js_embed__errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_js_embed__exit, setup, teardown),
        cmocka_unit_test(test_js_embed__native_schema_and_run_file),
        cmocka_unit_test(test_js_embed__leftovers_are_cleaned),
        cmocka_unit_test_setup_teardown(test_js_embed__oom, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
