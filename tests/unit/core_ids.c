/*
 * Tests for the id generators: shapes, uniqueness, UUID version/variant bits, ordering of the
 * time-ordered ids across milliseconds and threads, and the fallback random generator.
 */
#include "harness/harness.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ids.h"

#define MANY 10000

typedef int (*gen_fn)(char *out);

static int gen_uuid4(char *out)
{
    return rorm__gen_uuid4(out);
}
static int gen_uuid7(char *out)
{
    return rorm__gen_uuid7(out);
}
static int gen_cuid(char *out)
{
    return rorm__gen_cuid(out);
}
static int gen_cuid2(char *out)
{
    return rorm__gen_cuid2(out);
}
static int gen_nanoid(char *out)
{
    return rorm__gen_nanoid(out);
}
static int gen_ulid(char *out)
{
    return rorm__gen_ulid(out);
}

static const char hexchars[] = "0123456789abcdef";
static const char base36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const char urlsafe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static bool all_in(const char *s, size_t from, size_t to, const char *alphabet)
{
    for (size_t i = from; i < to; i++) {
        if (s[i] == '\0' || strchr(alphabet, s[i]) == NULL) {
            return false;
        }
    }
    return true;
}

static void check_uuid(const char *s, char version)
{
    assert_int_equal(strlen(s), 36);
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            assert_int_equal(s[i], '-');
        } else if (strchr(hexchars, s[i]) == NULL || s[i] == '\0') {
            fail_msg("bad character in %s", s);
        }
    }
    assert_int_equal(s[14], version);
    assert_non_null(strchr("89ab", s[19]));
}

static void check_shape(gen_fn gen, const char *s)
{
    if (gen == gen_uuid4) {
        check_uuid(s, '4');
    } else if (gen == gen_uuid7) {
        check_uuid(s, '7');
    } else if (gen == gen_cuid) {
        assert_int_equal(strlen(s), 25);
        assert_int_equal(s[0], 'c');
        assert_true(all_in(s, 1, 25, base36));
    } else if (gen == gen_cuid2) {
        assert_int_equal(strlen(s), 24);
        assert_true(s[0] >= 'a' && s[0] <= 'z');
        assert_true(all_in(s, 1, 24, base36));
    } else if (gen == gen_nanoid) {
        assert_int_equal(strlen(s), 21);
        assert_true(all_in(s, 0, 21, urlsafe));
    } else if (gen == gen_ulid) {
        assert_int_equal(strlen(s), 26);
        assert_true(all_in(s, 0, 26, crockford));
        assert_true(s[0] <= '7');
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Generate MANY ids, check each shape, and that no two are equal. */
static void check_unique(gen_fn gen)
{
    char(*ids)[40] = calloc(MANY, sizeof *ids);
    assert_non_null(ids);
    for (size_t i = 0; i < MANY; i++) {
        memset(ids[i], 'X', sizeof ids[i]);
        assert_int_equal(gen(ids[i]), RORM_OK);
        check_shape(gen, ids[i]);
    }
    qsort(ids, MANY, sizeof *ids, cmp_str);
    for (size_t i = 1; i < MANY; i++) {
        if (strcmp(ids[i - 1], ids[i]) == 0) {
            fail_msg("duplicate id %s", ids[i]);
        }
    }
    free(ids);
}

static const gen_fn all_gens[] = {
    gen_uuid4, gen_uuid7, gen_cuid, gen_cuid2, gen_nanoid, gen_ulid
};

static void test_core_ids__shapes_and_uniqueness(void **state)
{
    (void)state;
    for (size_t g = 0; g < sizeof all_gens / sizeof all_gens[0]; g++) {
        check_unique(all_gens[g]);
    }
}

static void test_core_ids__fallback_generator(void **state)
{
    (void)state;
    rorm__random_force_fallback(true);
    for (size_t g = 0; g < sizeof all_gens / sizeof all_gens[0]; g++) {
        check_unique(all_gens[g]);
    }
    unsigned char a[32], b[32];
    rorm__random_bytes(a, sizeof a);
    rorm__random_bytes(b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a);
    rorm__random_force_fallback(false);
}

static void test_core_ids__random_bytes_spread(void **state)
{
    (void)state;
    /* 64 KiB of random bytes: every byte value appears, and the mean is near 127.5. */
    enum { N = 65536 };
    unsigned char *buf = malloc(N);
    assert_non_null(buf);
    size_t counts[256] = { 0 };
    double sum = 0;
    rorm__random_bytes(buf, N);
    for (size_t i = 0; i < N; i++) {
        counts[buf[i]]++;
        sum += buf[i];
    }
    for (int k = 0; k < 256; k++) {
        assert_true(counts[k] > 0);
    }
    double mean = sum / N;
    assert_true(mean > 125.0 && mean < 130.0);
    rorm__random_bytes(buf, 0);
    free(buf);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { 0, ms * 1000000L };
    nanosleep(&ts, NULL);
}

static uint64_t uuid7_time(const char *s)
{
    char hex[13];
    memcpy(hex, s, 8);
    memcpy(hex + 8, s + 9, 4);
    hex[12] = '\0';
    return strtoull(hex, NULL, 16);
}

static uint64_t ulid_time(const char *s)
{
    uint64_t t = 0;
    for (int i = 0; i < 10; i++) {
        t = t * 32 + (uint64_t)(strchr(crockford, s[i]) - crockford);
    }
    return t;
}

static void test_core_ids__time_ordered(void **state)
{
    (void)state;
    char prev7[37], cur7[37], prevu[27], curu[27];
    uint64_t before = now_ms();
    assert_int_equal(rorm__gen_uuid7(prev7), RORM_OK);
    assert_int_equal(rorm__gen_ulid(prevu), RORM_OK);
    uint64_t after = now_ms();
    /* The embedded timestamps are the current time (the counters may push them ahead a bit). */
    assert_true(uuid7_time(prev7) >= before && uuid7_time(prev7) <= after + 1000);
    assert_true(ulid_time(prevu) >= before && ulid_time(prevu) <= after + 1000);

    /* Strictly increasing, within one millisecond and across many. */
    for (int i = 0; i < MANY; i++) {
        assert_int_equal(rorm__gen_uuid7(cur7), RORM_OK);
        assert_int_equal(rorm__gen_ulid(curu), RORM_OK);
        if (strcmp(prev7, cur7) >= 0 || strcmp(prevu, curu) >= 0) {
            fail_msg("not increasing: %s then %s / %s then %s", prev7, cur7, prevu, curu);
        }
        memcpy(prev7, cur7, sizeof cur7);
        memcpy(prevu, curu, sizeof curu);
        if (i % 2500 == 0) {
            sleep_ms(2);
        }
    }
    /* After a pause the timestamp part itself moves on. */
    uint64_t t7 = uuid7_time(prev7), tu = ulid_time(prevu);
    sleep_ms(5);
    assert_int_equal(rorm__gen_uuid7(cur7), RORM_OK);
    assert_int_equal(rorm__gen_ulid(curu), RORM_OK);
    assert_true(uuid7_time(cur7) > t7);
    assert_true(ulid_time(curu) > tu);
    assert_true(strcmp(cur7, prev7) > 0);
    assert_true(strcmp(curu, prevu) > 0);
}

#define THREADS    4
#define PER_THREAD 2500

typedef struct thread_job {
    gen_fn gen;
    char (*ids)[40];
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *job = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        if (job->gen(job->ids[i]) != RORM_OK) {
            job->ids[i][0] = '\0';
        }
    }
    return NULL;
}

static void test_core_ids__threads(void **state)
{
    (void)state;
    for (size_t g = 0; g < sizeof all_gens / sizeof all_gens[0]; g++) {
        char(*ids)[40] = calloc(THREADS * PER_THREAD, sizeof *ids);
        assert_non_null(ids);
        pthread_t threads[THREADS];
        thread_job jobs[THREADS];
        for (int t = 0; t < THREADS; t++) {
            jobs[t].gen = all_gens[g];
            jobs[t].ids = ids + t * PER_THREAD;
            assert_int_equal(pthread_create(&threads[t], NULL, thread_main, &jobs[t]), 0);
        }
        for (int t = 0; t < THREADS; t++) {
            pthread_join(threads[t], NULL);
        }
        for (int i = 0; i < THREADS * PER_THREAD; i++) {
            check_shape(all_gens[g], ids[i]);
        }
        qsort(ids, THREADS * PER_THREAD, sizeof *ids, cmp_str);
        for (int i = 1; i < THREADS * PER_THREAD; i++) {
            assert_string_not_equal(ids[i - 1], ids[i]);
        }
        free(ids);
    }
}

static void test_core_ids__null_output(void **state)
{
    (void)state;
    assert_int_equal(rorm__gen_uuid4(NULL), RORM_EINVAL);
    assert_int_equal(rorm__gen_uuid7(NULL), RORM_EINVAL);
    assert_int_equal(rorm__gen_cuid(NULL), RORM_EINVAL);
    assert_int_equal(rorm__gen_cuid2(NULL), RORM_EINVAL);
    assert_int_equal(rorm__gen_nanoid(NULL), RORM_EINVAL);
    assert_int_equal(rorm__gen_ulid(NULL), RORM_EINVAL);
}

/* The first character of cuid2 is spread over all 26 letters. */
static void test_core_ids__cuid2_first_letter(void **state)
{
    (void)state;
    int seen[26] = { 0 };
    char id[25];
    for (int i = 0; i < 5000; i++) {
        assert_int_equal(rorm__gen_cuid2(id), RORM_OK);
        seen[id[0] - 'a']++;
    }
    for (int k = 0; k < 26; k++) {
        assert_true(seen[k] > 50);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_ids__shapes_and_uniqueness),
        cmocka_unit_test(test_core_ids__fallback_generator),
        cmocka_unit_test(test_core_ids__random_bytes_spread),
        cmocka_unit_test(test_core_ids__time_ordered),
        cmocka_unit_test(test_core_ids__threads),
        cmocka_unit_test(test_core_ids__null_output),
        cmocka_unit_test(test_core_ids__cuid2_first_letter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
