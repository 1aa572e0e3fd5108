/*
 * Random identifiers (UUID v4/v7, CUID, CUID2-shaped, Nano ID, ULID) for column defaults.
 * Random bytes come from getrandom(2). If the kernel refuses, a fallback generator takes over: a
 * 64-bit counter advanced atomically and scrambled by a bijective mixer, seeded from the clock,
 * the pid and stack addresses; it is not cryptographic, but its outputs never repeat within a
 * process, which is what an id needs. Time-ordered ids keep their last value under a mutex.
 */
#include "core/ids.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "rediorm/error.h"

/* ---- Randomness ---------------------------------------------------------------------------- */

#define GOLDEN 0x9e3779b97f4a7c15ULL

static atomic_bool force_fallback;
static atomic_bool fallback_seeded;
static _Atomic uint64_t fallback_state;

/* A bijective 64-bit finaliser: distinct inputs give distinct outputs. */
static uint64_t mix64(uint64_t z)
{
    z ^= z >> 30;
    z *= 0xbf58476d1ce4e5b9ULL;
    z ^= z >> 27;
    z *= 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z;
}

static uint64_t clock_ns(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) {
        return (uint64_t)time(NULL) * 1000000000ULL;
    }
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t fallback_next(void)
{
    if (!atomic_exchange(&fallback_seeded, true)) {
        int local;
        uint64_t seed = clock_ns(CLOCK_REALTIME) ^ mix64(clock_ns(CLOCK_MONOTONIC)) ^
                        ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&local;
        atomic_fetch_add(&fallback_state, mix64(seed));
    }
    uint64_t x = atomic_fetch_add(&fallback_state, GOLDEN) + GOLDEN;
    /* Fold in the pid so that a forked child does not repeat its parent's sequence. */
    return mix64(x ^ mix64((uint64_t)getpid()));
}

static void fallback_fill(unsigned char *p, size_t n)
{
    while (n > 0) {
        uint64_t r = fallback_next();
        size_t k = n < sizeof r ? n : sizeof r;
        memcpy(p, &r, k);
        p += k;
        n -= k;
    }
}

void rorm__random_force_fallback(bool on)
{
    atomic_store(&force_fallback, on);
}

void rorm__random_bytes(void *buf, size_t n)
{
    unsigned char *p = buf;
    if (!atomic_load(&force_fallback)) {
        while (n > 0) {
            ssize_t got = getrandom(p, n, 0);
            if (got < 0) {
                if (errno == EINTR) {
                    continue;
                }
                break;
            }
            p += got;
            n -= (size_t)got;
        }
    }
    if (n > 0) {
        fallback_fill(p, n);
    }
}

static uint64_t random_u64(void)
{
    uint64_t r;
    rorm__random_bytes(&r, sizeof r);
    return r;
}

static uint64_t now_ms(void)
{
    return clock_ns(CLOCK_REALTIME) / 1000000ULL;
}

/* ---- Encodings --------------------------------------------------------------------------- */

static const char hex[] = "0123456789abcdef";
static const char base36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/* Exactly @p width base36 digits of @p v (its low digits, zero-padded). */
static void put_base36(char *out, size_t width, uint64_t v)
{
    for (size_t i = width; i > 0; i--) {
        out[i - 1] = base36[v % 36];
        v /= 36;
    }
}

static void format_uuid(char out[37], const unsigned char b[16])
{
    size_t k = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            out[k++] = '-';
        }
        out[k++] = hex[b[i] >> 4];
        out[k++] = hex[b[i] & 15];
    }
    out[k] = '\0';
}

/* ---- Generators -------------------------------------------------------------------------- */

/* State of the time-ordered generators (UUID v7 and ULID). */
static pthread_mutex_t order_lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t uuid7_ms;
static unsigned uuid7_counter;
static uint64_t ulid_ms;
static unsigned char ulid_random[10];

int rorm__gen_uuid4(char out[37])
{
    unsigned char b[16];
    if (out == NULL) {
        return RORM_EINVAL;
    }
    rorm__random_bytes(b, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* variant 10 */
    format_uuid(out, b);
    return RORM_OK;
}

int rorm__gen_uuid7(char out[37])
{
    unsigned char b[16];
    if (out == NULL) {
        return RORM_EINVAL;
    }
    rorm__random_bytes(b, sizeof b);
    uint64_t now = now_ms() & 0xFFFFFFFFFFFFULL;

    /*
     * rand_a is a counter (RFC 9562 section 6.2, method 1): it starts at a random value below
     * 2048 in each new millisecond and counts up within it; if it overflows, the timestamp is
     * advanced by one, so ids stay strictly increasing even when the clock steps back.
     */
    pthread_mutex_lock(&order_lock);
    if (now > uuid7_ms) {
        uuid7_ms = now;
        uuid7_counter = (unsigned)((b[6] << 8 | b[7]) & 0x7FF);
    } else if (++uuid7_counter > 0xFFF) {
        uuid7_ms++;
        uuid7_counter = 0;
    }
    uint64_t ms = uuid7_ms;
    unsigned counter = uuid7_counter;
    pthread_mutex_unlock(&order_lock);

    for (int i = 5; i >= 0; i--) {
        b[i] = (unsigned char)(ms & 0xFF);
        ms >>= 8;
    }
    b[6] = (unsigned char)(0x70 | (counter >> 8));
    b[7] = (unsigned char)(counter & 0xFF);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    format_uuid(out, b);
    return RORM_OK;
}

static atomic_uint_fast64_t cuid_counter;
static atomic_int host_print = -1;

/* Four base36 digits naming this process on this host, as CUIDs carry. */
static void fingerprint(char out[4])
{
    int hp = atomic_load(&host_print);
    if (hp < 0) {
        char name[256];
        unsigned sum = 36;
        if (gethostname(name, sizeof name) != 0) {
            name[0] = '\0';
        }
        name[sizeof name - 1] = '\0';
        size_t len = strlen(name);
        for (size_t i = 0; i < len; i++) {
            sum += (unsigned char)name[i];
        }
        hp = (int)((sum + len) % (36 * 36));
        atomic_store(&host_print, hp);
    }
    put_base36(out, 2, (uint64_t)getpid());
    put_base36(out + 2, 2, (uint64_t)hp);
}

int rorm__gen_cuid(char out[26])
{
    if (out == NULL) {
        return RORM_EINVAL;
    }
    uint64_t count = atomic_fetch_add(&cuid_counter, 1);
    out[0] = 'c';
    put_base36(out + 1, 8, now_ms());
    put_base36(out + 9, 4, count);
    fingerprint(out + 13);
    put_base36(out + 17, 4, random_u64());
    put_base36(out + 21, 4, random_u64());
    out[25] = '\0';
    return RORM_OK;
}

int rorm__gen_cuid2(char out[25])
{
    uint64_t r[4];
    char print[4];
    if (out == NULL) {
        return RORM_EINVAL;
    }
    rorm__random_bytes(r, sizeof r);
    uint64_t count = atomic_fetch_add(&cuid_counter, 1);
    fingerprint(print);
    uint64_t fp = 0;
    memcpy(&fp, print, sizeof print);

    /* The first character is a uniformly chosen letter (rejection sampling over bytes). */
    unsigned char letter;
    do {
        rorm__random_bytes(&letter, 1);
    } while (letter >= 26 * 9);
    out[0] = (char)('a' + letter % 26);

    /*
     * The body hashes time, counter, fingerprint and random bits into three 64-bit lanes with a
     * bijective mixer; each lane yields 8 base36 digits (7 for the last). Not the SHA-3 of the
     * JavaScript library, but the same shape and at least as unpredictable as its inputs.
     */
    uint64_t t = now_ms();
    uint64_t base = mix64(t ^ mix64(count + GOLDEN) ^ mix64(fp * GOLDEN));
    for (int lane = 0; lane < 3; lane++) {
        uint64_t h = mix64(r[lane] ^ mix64(base + (uint64_t)(lane + 1) * GOLDEN) ^ r[3]);
        put_base36(out + 1 + lane * 8, lane < 2 ? 8 : 7, h);
    }
    out[24] = '\0';
    return RORM_OK;
}

int rorm__gen_nanoid(char out[22])
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    unsigned char b[21];
    if (out == NULL) {
        return RORM_EINVAL;
    }
    rorm__random_bytes(b, sizeof b);
    for (size_t i = 0; i < sizeof b; i++) {
        out[i] = alphabet[b[i] & 63];
    }
    out[21] = '\0';
    return RORM_OK;
}

int rorm__gen_ulid(char out[27])
{
    static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    unsigned char fresh[10], rnd[10];
    if (out == NULL) {
        return RORM_EINVAL;
    }
    rorm__random_bytes(fresh, sizeof fresh);
    uint64_t now = now_ms() & 0xFFFFFFFFFFFFULL;

    /* Within one millisecond (or when the clock steps back) the random part counts up by one;
     * when it wraps, the timestamp moves on instead. */
    pthread_mutex_lock(&order_lock);
    if (now > ulid_ms) {
        ulid_ms = now;
        memcpy(ulid_random, fresh, sizeof ulid_random);
    } else {
        int i = (int)sizeof ulid_random - 1;
        while (i >= 0 && ++ulid_random[i] == 0) {
            i--;
        }
        if (i < 0) {
            ulid_ms++;
        }
    }
    uint64_t ms = ulid_ms;
    memcpy(rnd, ulid_random, sizeof rnd);
    pthread_mutex_unlock(&order_lock);

    /* 10 characters for the 48-bit time (the top two bits are zero), 16 for 80 random bits. */
    for (int i = 9; i >= 0; i--) {
        out[i] = crockford[ms & 31];
        ms >>= 5;
    }
    for (int half = 0; half < 2; half++) {
        uint64_t v = 0;
        for (int k = 0; k < 5; k++) {
            v = v << 8 | rnd[half * 5 + k];
        }
        for (int i = 7; i >= 0; i--) {
            out[10 + half * 8 + i] = crockford[v & 31];
            v >>= 5;
        }
    }
    out[26] = '\0';
    return RORM_OK;
}
