/*
 * Tests for src/util: the growable string (with its sticky out-of-memory state), typed vectors,
 * the insertion-ordered hash map, edit distance, error reports and allocation failure injection.
 */
#include "harness/harness.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/map.h"
#include "util/str.h"
#include "util/vec.h"

/* ---- rorm_str ---------------------------------------------------------------------------- */

static void test_core_util__str_basics(void **state)
{
    (void)state;
    rorm_str s = RORM_STR_INIT;
    assert_string_equal(s.ptr, "");
    assert_int_equal(s.len, 0);
    assert_int_equal(rorm__str_puts(&s, "SELECT "), RORM_OK);
    assert_int_equal(rorm__str_putc(&s, '*'), RORM_OK);
    assert_int_equal(rorm__str_put(&s, " FROM tbl_ignored", 5), RORM_OK);
    assert_int_equal(rorm__str_put(&s, NULL, 0), RORM_OK);
    assert_string_equal(s.ptr, "SELECT * FROM");
    assert_int_equal(s.len, 13);
    assert_false(rorm__str_oom(&s));

    /* Growth well past the first allocation keeps content and termination. */
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(rorm__str_puts(&s, "0123456789"), RORM_OK);
    }
    assert_int_equal(s.len, 13 + 10000);
    assert_int_equal(s.ptr[s.len], '\0');
    assert_true(s.cap > s.len);
    assert_memory_equal(s.ptr + s.len - 10, "0123456789", 10);

    rorm__str_truncate(&s, 6);
    assert_string_equal(s.ptr, "SELECT");
    rorm__str_truncate(&s, 100); /* longer: no-op */
    assert_string_equal(s.ptr, "SELECT");

    rorm__str_clear(&s);
    assert_string_equal(s.ptr, "");
    assert_int_equal(s.len, 0);
    assert_true(s.cap > 0); /* the allocation is kept */
    assert_int_equal(rorm__str_puts(&s, "again"), RORM_OK);

    char *p = rorm__str_detach(&s);
    assert_string_equal(p, "again");
    assert_string_equal(s.ptr, "");
    assert_int_equal(s.cap, 0);
    rorm__free(p);

    /* Detaching an empty string gives an empty allocation, not the static "". */
    p = rorm__str_detach(&s);
    assert_non_null(p);
    assert_string_equal(p, "");
    rorm__free(p);

    /* Clearing a never-allocated string is safe. */
    rorm_str e;
    rorm__str_init(&e);
    rorm__str_clear(&e);
    assert_string_equal(e.ptr, "");
    rorm__str_dispose(&e);
    rorm__str_dispose(&s);

    rorm_strview v = { "users.id", 5 };
    assert_true(rorm__strview_eq(v, "users"));
    assert_false(rorm__strview_eq(v, "user"));
    assert_false(rorm__strview_eq(v, "users."));
}

static void test_core_util__str_printf(void **state)
{
    (void)state;
    rorm_str s = RORM_STR_INIT;
    assert_int_equal(rorm__str_printf(&s, "%s=%d", "a", 1), RORM_OK);
    assert_int_equal(rorm__str_printf(&s, ", %05.1f|%-3s|%x", 2.25, "b", 255u), RORM_OK);
    assert_string_equal(s.ptr, "a=1, 002.2|b  |ff");
    assert_int_equal(rorm__str_printf(&s, "%s", ""), RORM_OK);
    assert_int_equal(s.len, strlen(s.ptr));

    /* A long expansion grows the buffer in one go. */
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    rorm__str_clear(&s);
    assert_int_equal(rorm__str_printf(&s, "[%s]", big), RORM_OK);
    assert_int_equal(s.len, sizeof big + 1);
    assert_int_equal(s.ptr[0], '[');
    assert_int_equal(s.ptr[s.len - 1], ']');
    rorm__str_dispose(&s);
}

static void test_core_util__str_put_int(void **state)
{
    (void)state;
    static const struct {
        int64_t v;
        const char *text;
    } cases[] = {
        { 0, "0" },
        { 7, "7" },
        { -7, "-7" },
        { 10, "10" },
        { -1000000, "-1000000" },
        { INT64_MAX, "9223372036854775807" },
        { INT64_MIN, "-9223372036854775808" },
        { INT64_MIN + 1, "-9223372036854775807" },
        { INT32_MAX, "2147483647" },
        { (int64_t)INT32_MIN - 1, "-2147483649" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rorm_str s = RORM_STR_INIT;
        assert_int_equal(rorm__str_puts(&s, "n="), RORM_OK);
        assert_int_equal(rorm__str_put_int(&s, cases[i].v), RORM_OK);
        assert_string_equal(s.ptr + 2, cases[i].text);
        rorm__str_dispose(&s);
    }
}

static void test_core_util__str_sticky_oom(void **state)
{
    (void)state;
    rorm_str s = RORM_STR_INIT;
    assert_int_equal(rorm__str_puts(&s, "before"), RORM_OK);

    /* Force a reallocation that fails: the string drops its content and stays failed. */
    char big[200];
    memset(big, 'y', sizeof big);
    rorm__alloc_fail_after(1);
    assert_int_equal(rorm__str_put(&s, big, sizeof big), RORM_ENOMEM);
    rorm__alloc_fail_after(0);
    assert_true(rorm__str_oom(&s));
    assert_string_equal(s.ptr, "");
    assert_int_equal(s.len, 0);

    /* Later appends do nothing even though memory is available again. */
    assert_int_equal(rorm__str_puts(&s, "after"), RORM_ENOMEM);
    assert_int_equal(rorm__str_putc(&s, 'x'), RORM_ENOMEM);
    assert_int_equal(rorm__str_printf(&s, "%d", 42), RORM_ENOMEM);
    assert_int_equal(rorm__str_put_int(&s, 42), RORM_ENOMEM);
    assert_int_equal(rorm__str_grow(&s, 1), RORM_ENOMEM);
    rorm__str_truncate(&s, 0);
    assert_true(rorm__str_oom(&s));
    assert_string_equal(s.ptr, "");
    assert_null(rorm__str_detach(&s));
    assert_false(rorm__str_oom(&s)); /* detach resets */

    /* Clearing also leaves the failed state. */
    rorm__alloc_fail_after(1);
    assert_int_equal(rorm__str_puts(&s, "x"), RORM_ENOMEM);
    rorm__alloc_fail_after(0);
    assert_true(rorm__str_oom(&s));
    rorm__str_clear(&s);
    assert_false(rorm__str_oom(&s));
    assert_int_equal(rorm__str_puts(&s, "ok"), RORM_OK);
    assert_string_equal(s.ptr, "ok");
    rorm__str_dispose(&s);

    /* A size that cannot be represented is an OOM, not an overflow. */
    assert_int_equal(rorm__str_puts(&s, "abc"), RORM_OK);
    assert_int_equal(rorm__str_grow(&s, SIZE_MAX - 1), RORM_ENOMEM);
    assert_true(rorm__str_oom(&s));
    rorm__str_dispose(&s);
    assert_false(rorm__str_oom(&s));

    /* Building a long text under every failure point: either all of it or a clean failure. */
    for (size_t n = 1;; n++) {
        rorm_str t = RORM_STR_INIT;
        rorm__alloc_fail_after(n);
        for (int i = 0; i < 200; i++) {
            rorm__str_printf(&t, "col%d, ", i);
        }
        rorm__alloc_fail_after(0);
        if (!rorm__str_oom(&t)) {
            assert_non_null(strstr(t.ptr, "col199, "));
            rorm__str_dispose(&t);
            break;
        }
        assert_int_equal(t.len, 0);
        rorm__str_dispose(&t);
        assert_true(n < 100);
    }
}

static void test_core_util__edit_distance(void **state)
{
    (void)state;
    assert_int_equal(rorm__edit_distance("email", "email", 3), 0);
    assert_int_equal(rorm__edit_distance("emial", "email", 3), 2);
    assert_int_equal(rorm__edit_distance("emal", "email", 3), 1);
    assert_int_equal(rorm__edit_distance("Email", "email", 3), 0); /* case-insensitive */
    assert_int_equal(rorm__edit_distance("", "abc", 5), 3);
    assert_int_equal(rorm__edit_distance("abc", "", 5), 3);
    assert_int_equal(rorm__edit_distance("", "", 0), 0);
    assert_int_equal(rorm__edit_distance("kitten", "sitting", 5), 3);
    /* Capped at max + 1. */
    assert_int_equal(rorm__edit_distance("kitten", "sitting", 2), 3);
    assert_int_equal(rorm__edit_distance("abcdef", "uvwxyz", 2), 3);
    assert_int_equal(rorm__edit_distance("a", "abcdefghij", 3), 4);
    /* Very long words are not compared. */
    char longw[100];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    assert_int_equal(rorm__edit_distance(longw, longw, 3), 4);
    assert_int_equal(rorm__edit_distance("a", longw, 3), 4);
}

/* ---- rorm_vec ---------------------------------------------------------------------------- */

typedef struct point {
    int x, y;
} point;

static void test_core_util__vec(void **state)
{
    (void)state;
    rorm_vec(point) v = { NULL, 0, 0 };
    for (int i = 0; i < 1000; i++) {
        point p = { i, -i };
        assert_int_equal(rorm_vec_push(&v, p), RORM_OK);
    }
    assert_int_equal(v.len, 1000);
    assert_true(v.cap >= 1000);
    int sum = 0;
    point *it;
    rorm_vec_foreach(&v, it) {
        assert_int_equal(it->x, -it->y);
        sum += it->x;
    }
    assert_int_equal(sum, 999 * 1000 / 2);

    size_t cap = v.cap;
    assert_int_equal(rorm_vec_reserve(&v, cap - v.len), RORM_OK);
    assert_int_equal(v.cap, cap); /* already room */
    rorm_vec_free(&v);
    assert_null(v.ptr);
    assert_int_equal(v.len, 0);
    assert_int_equal(v.cap, 0);

    /* Failure leaves the vector as it was. */
    rorm_vec(int) w = { NULL, 0, 0 };
    assert_int_equal(rorm_vec_push(&w, 1), RORM_OK);
    size_t wcap = w.cap;
    for (int i = 1; (size_t)i < wcap; i++) {
        assert_int_equal(rorm_vec_push(&w, i + 1), RORM_OK);
    }
    rorm__alloc_fail_after(1);
    assert_int_equal(rorm_vec_push(&w, 99), RORM_ENOMEM);
    rorm__alloc_fail_after(0);
    assert_int_equal(w.len, wcap);
    assert_int_equal(w.cap, wcap);
    assert_int_equal(w.ptr[0], 1);
    /* Impossible sizes are refused without allocating. */
    assert_int_equal(rorm_vec_reserve(&w, SIZE_MAX), RORM_ENOMEM);
    assert_int_equal(rorm_vec_reserve(&w, SIZE_MAX / 2), RORM_ENOMEM);
    rorm_vec_free(&w);
}

/* ---- rorm_map ---------------------------------------------------------------------------- */

static int freed_count;

static void free_counted(void *p)
{
    freed_count++;
    free(p);
}

static int *boxed(int v)
{
    int *p = malloc(sizeof *p);
    assert_non_null(p);
    *p = v;
    return p;
}

static void test_core_util__map_basics(void **state)
{
    (void)state;
    rorm_map m;
    rorm__map_init(&m, NULL);
    assert_null(rorm__map_get(&m, "a", 1));
    assert_false(rorm__map_has(&m, "a", 1));
    assert_false(rorm__map_remove(&m, "a", 1));

    static int one = 1, two = 2, three = 3, four = 4;
    assert_int_equal(rorm__map_set(&m, "zeta", 4, &one), RORM_OK);
    assert_int_equal(rorm__map_set(&m, "alpha", 5, &two), RORM_OK);
    assert_int_equal(rorm__map_set(&m, "mid", 3, &three), RORM_OK);
    assert_int_equal(m.len, 3);
    assert_ptr_equal(rorm__map_get(&m, "alpha", 5), &two);
    assert_true(rorm__map_has(&m, "mid", 3));
    /* Keys are byte strings with a length: prefixes and embedded NULs differ. */
    assert_null(rorm__map_get(&m, "alp", 3));
    assert_null(rorm__map_get(&m, "alphabet", 8));
    assert_int_equal(rorm__map_set(&m, "a\0b", 3, &four), RORM_OK);
    assert_ptr_equal(rorm__map_get(&m, "a\0b", 3), &four);
    assert_null(rorm__map_get(&m, "a", 1));

    /* Replacing keeps the position. */
    assert_int_equal(rorm__map_set(&m, "zeta", 4, &four), RORM_OK);
    assert_int_equal(m.len, 4);
    assert_ptr_equal(rorm__map_get(&m, "zeta", 4), &four);

    /* Iteration is insertion order; keys are copies. */
    char key[] = "temp";
    assert_int_equal(rorm__map_set(&m, key, 4, &one), RORM_OK);
    key[0] = 'X';
    assert_true(rorm__map_has(&m, "temp", 4));
    const char *order[] = { "zeta", "alpha", "mid", "a", "temp" };
    size_t k = 0;
    rorm_map_entry *e;
    rorm_map_foreach(&m, e) {
        assert_string_equal(e->key, order[k]);
        k++;
    }
    assert_int_equal(k, 5);

    /* Removal compacts and keeps the others in order, and their lookups working. */
    assert_true(rorm__map_remove(&m, "alpha", 5));
    assert_false(rorm__map_remove(&m, "alpha", 5));
    assert_int_equal(m.len, 4);
    assert_string_equal(m.entries[1].key, "mid");
    assert_ptr_equal(rorm__map_get(&m, "mid", 3), &three);
    assert_ptr_equal(rorm__map_get(&m, "temp", 4), &one);
    assert_null(rorm__map_get(&m, "alpha", 5));
    /* Re-adding appends at the end. */
    assert_int_equal(rorm__map_set(&m, "alpha", 5, &two), RORM_OK);
    assert_string_equal(m.entries[m.len - 1].key, "alpha");

    /* An empty key is a key. */
    assert_int_equal(rorm__map_set(&m, "", 0, &three), RORM_OK);
    assert_ptr_equal(rorm__map_get(&m, "", 0), &three);
    rorm__map_dispose(&m);
    assert_int_equal(m.len, 0);
    assert_null(rorm__map_get(&m, "mid", 3));
    rorm__map_dispose(&m); /* twice is fine */

    assert_true(rorm__hash("abc", 3) == rorm__hash("abc", 3));
    assert_true(rorm__hash("abc", 3) != rorm__hash("abd", 3));
}

static void test_core_util__map_many_keys(void **state)
{
    (void)state;
    rorm_map m;
    rorm__map_init(&m, free_counted);
    freed_count = 0;
    enum { N = 10000 };
    char key[32];
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "model_%d", i);
        assert_int_equal(rorm__map_set(&m, key, (size_t)n, boxed(i)), RORM_OK);
    }
    assert_int_equal(m.len, N);
    assert_true(m.nslots >= N);
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "model_%d", i);
        int *v = rorm__map_get(&m, key, (size_t)n);
        assert_non_null(v);
        assert_int_equal(*v, i);
        assert_int_equal(m.entries[i].keylen, (size_t)n);
    }
    assert_null(rorm__map_get(&m, "model_10000", 11));

    /* Replace a value: the old one goes through the hook. */
    assert_int_equal(rorm__map_set(&m, "model_5", 7, boxed(-5)), RORM_OK);
    assert_int_equal(freed_count, 1);
    assert_int_equal(*(int *)rorm__map_get(&m, "model_5", 7), -5);
    /* Setting the same pointer again does not free it. */
    assert_int_equal(rorm__map_set(&m, "model_5", 7, rorm__map_get(&m, "model_5", 7)), RORM_OK);
    assert_int_equal(freed_count, 1);

    /* Remove every third key; the rest stay reachable and ordered. */
    for (int i = 0; i < N; i += 3) {
        int n = snprintf(key, sizeof key, "model_%d", i);
        assert_true(rorm__map_remove(&m, key, (size_t)n));
    }
    int removed = (N + 2) / 3;
    assert_int_equal(freed_count, 1 + removed);
    assert_int_equal(m.len, N - removed);
    int prev = -1;
    rorm_map_entry *e;
    rorm_map_foreach(&m, e) {
        int idx = atoi(e->key + 6);
        assert_true(idx > prev);
        assert_true(idx % 3 != 0);
        prev = idx;
    }
    for (int i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "model_%d", i);
        assert_int_equal(rorm__map_has(&m, key, (size_t)n), i % 3 != 0);
    }

    /* NULL values are allowed and never passed to the hook. */
    assert_int_equal(rorm__map_set(&m, "null", 4, NULL), RORM_OK);
    assert_true(rorm__map_has(&m, "null", 4));
    assert_null(rorm__map_get(&m, "null", 4));
    size_t live = m.len - 1;
    rorm__map_dispose(&m);
    assert_int_equal(freed_count, 1 + removed + (int)live);
}

static void test_core_util__map_oom(void **state)
{
    (void)state;
    /* Insert under every failure point: each step either works or leaves the map intact. */
    for (size_t n = 1;; n++) {
        rorm_map m;
        rorm__map_init(&m, NULL);
        static int value = 1;
        char key[16];
        bool failed = false;
        rorm__alloc_fail_after(n);
        for (int i = 0; i < 40 && !failed; i++) {
            int len = snprintf(key, sizeof key, "k%d", i);
            if (rorm__map_set(&m, key, (size_t)len, &value) != RORM_OK) {
                failed = true;
                /* Everything inserted before is still there. */
                for (int j = 0; j < i; j++) {
                    len = snprintf(key, sizeof key, "k%d", j);
                    assert_true(rorm__map_has(&m, key, (size_t)len));
                }
                assert_int_equal(m.len, (size_t)i);
            }
        }
        rorm__alloc_fail_after(0);
        rorm__map_dispose(&m);
        if (!failed) {
            break;
        }
        assert_true(n < 200);
    }
}

/* ---- Allocation and errors --------------------------------------------------------------- */

static void test_core_util__alloc_failure_injection(void **state)
{
    (void)state;
    rorm__alloc_fail_after(0);
    void *a = rorm__malloc(8);
    void *b = rorm__realloc(NULL, 8);
    char *c = rorm__strdup("abc");
    /* The count since the last call is returned. */
    assert_int_equal(rorm__alloc_fail_after(3), 3);
    void *p1 = rorm__malloc(1);
    void *p2 = rorm__calloc(2, 4);
    void *p3 = rorm__malloc(1); /* the third fails */
    void *p4 = rorm__realloc(p1, 100);
    char *p5 = rorm__strndup("xyz", 2);
    assert_int_equal(rorm__alloc_fail_after(0), 5);
    assert_non_null(p1);
    assert_non_null(p2);
    assert_memory_equal(p2, "\0\0\0\0\0\0\0\0", 8);
    assert_null(p3);
    assert_null(p4); /* later ones fail too; p1 is untouched */
    assert_null(p5);

    /* Off again: everything works, including zero sizes. */
    void *z = rorm__malloc(0);
    assert_non_null(z);
    char *d = rorm__strndup("xyz", 2);
    assert_string_equal(d, "xy");
    assert_null(rorm__strdup(NULL));
    /* Overflowing sizes fail without calling the allocator. */
    assert_null(rorm__calloc(SIZE_MAX / 2, 4));
    assert_null(rorm__strndup("x", SIZE_MAX));

    size_t out;
    assert_true(rorm__mul_ok(&out, 3, 4) && out == 12);
    assert_false(rorm__mul_ok(&out, SIZE_MAX / 2, 3));
    assert_true(rorm__mul_ok(&out, SIZE_MAX, 0) && out == 0);
    assert_true(rorm__add_ok(&out, SIZE_MAX - 1, 1) && out == SIZE_MAX);
    assert_false(rorm__add_ok(&out, SIZE_MAX, 1));

    rorm__free(NULL);
    rorm_free(NULL);
    rorm__free(a);
    rorm__free(b);
    rorm__free(c);
    rorm__free(p1);
    rorm__free(p2);
    rorm__free(z);
    rorm__free(d);
}

static size_t custom_allocs;

static void *counting_malloc(size_t n)
{
    custom_allocs++;
    return malloc(n);
}

static void *counting_realloc(void *p, size_t n)
{
    custom_allocs++;
    return realloc(p, n);
}

static void test_core_util__custom_allocator(void **state)
{
    (void)state;
    custom_allocs = 0;
    rorm_set_allocator(counting_malloc, counting_realloc, free);
    char *s = rorm__strdup("hello");
    rorm_str t = RORM_STR_INIT;
    rorm__str_puts(&t, "world");
    rorm__str_dispose(&t);
    rorm__free(s);
    rorm_set_allocator(NULL, NULL, NULL);
    assert_int_equal(custom_allocs, 2);
    s = rorm__strdup("back to malloc");
    assert_int_equal(custom_allocs, 2);
    rorm__free(s);
}

static void test_core_util__errors(void **state)
{
    (void)state;
    rorm_error err;
    memset(&err, 0x55, sizeof err);
    rorm_error_clear(&err);
    assert_int_equal(err.code, RORM_OK);
    assert_string_equal(err.message, "");
    rorm_error_clear(NULL);

    err.line = 3;
    strcpy(err.sqlstate, "23505");
    assert_int_equal(
        rorm__error(&err, RORM_EINVAL, "unknown field '%s' on model '%s'", "emial", "User"),
        RORM_EINVAL);
    assert_int_equal(err.code, RORM_EINVAL);
    assert_string_equal(err.message, "unknown field 'emial' on model 'User'");
    assert_int_equal(err.line, 0);
    assert_string_equal(err.sqlstate, "");
    assert_int_equal(rorm__error(NULL, RORM_EPARSE, "x"), RORM_EPARSE);

    /* Long messages are cut to the buffer. */
    char longmsg[1000];
    memset(longmsg, 'm', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    rorm__error(&err, RORM_EDRIVER, "%s", longmsg);
    assert_int_equal(strlen(err.message), RORM_ERROR_MESSAGE_SIZE - 1);

    assert_int_equal(rorm__error_oom(&err), RORM_ENOMEM);
    assert_int_equal(err.code, RORM_ENOMEM);
    assert_string_equal(err.message, "out of memory");
    assert_int_equal(rorm__error_oom(NULL), RORM_ENOMEM);

    assert_string_equal(rorm_code_name(RORM_OK), "RORM_OK");
    assert_string_equal(rorm_code_name(RORM_EPARSE), "RORM_EPARSE");
    assert_string_equal(rorm_code_name(RORM_ESTATE), "RORM_ESTATE");
    assert_string_equal(rorm_code_name(-99), "RORM_E?");
}

static int check_arg(int x, rorm_error *err)
{
    RORM_CHECK_ARG(x > 0, err);
    return RORM_OK;
}

static void test_core_util__check_arg(void **state)
{
    (void)state;
    rorm_error err = { 0 };
    assert_int_equal(check_arg(1, &err), RORM_OK);
    assert_int_equal(check_arg(0, &err), RORM_EINVAL);
    assert_string_equal(err.message, "invalid argument: x > 0");
    assert_int_equal(check_arg(-1, NULL), RORM_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_util__str_basics),
        cmocka_unit_test(test_core_util__str_printf),
        cmocka_unit_test(test_core_util__str_put_int),
        cmocka_unit_test(test_core_util__str_sticky_oom),
        cmocka_unit_test(test_core_util__edit_distance),
        cmocka_unit_test(test_core_util__vec),
        cmocka_unit_test(test_core_util__map_basics),
        cmocka_unit_test(test_core_util__map_many_keys),
        cmocka_unit_test(test_core_util__map_oom),
        cmocka_unit_test(test_core_util__alloc_failure_injection),
        cmocka_unit_test(test_core_util__custom_allocator),
        cmocka_unit_test(test_core_util__errors),
        cmocka_unit_test(test_core_util__check_arg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
