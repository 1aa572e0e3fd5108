/*
 * Random identifiers for @default(uuid()), @default(cuid()), @default(nanoid()) and friends.
 * Every generator writes a NUL-terminated string of a fixed length into @p out and returns
 * RORM_OK, or RORM_EINVAL for a NULL @p out. Randomness comes from getrandom(2); when that is
 * unavailable a process-wide generator seeded from the clock, the pid and addresses is used.
 * All generators are thread-safe.
 */
#ifndef RORM_CORE_IDS_H
#define RORM_CORE_IDS_H

#include <stdbool.h>
#include <stddef.h>

/* UUID version 4 (random), "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx", lower-case. */
int rorm__gen_uuid4(char out[37]);
/*
 * UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids made by this
 * process are strictly increasing, also within one millisecond (a 12-bit counter in rand_a).
 */
int rorm__gen_uuid7(char out[37]);
/* CUID (version 1 shape): 'c', 8 base36 timestamp digits, 4 counter, 4 fingerprint, 8 random. */
int rorm__gen_cuid(char out[26]);
/* CUID2 shape: 24 lower-case base36 characters, the first a letter, from a hash of the time, a
 * counter, a fingerprint and random bits. */
int rorm__gen_cuid2(char out[25]);
/* Nano ID: 21 characters of the URL-safe alphabet A-Za-z0-9_- (126 random bits). */
int rorm__gen_nanoid(char out[22]);
/*
 * ULID: 26 Crockford base32 characters, 48-bit Unix milliseconds then 80 random bits. Ids made
 * by this process are strictly increasing (within a millisecond the random part is incremented).
 */
int rorm__gen_ulid(char out[27]);

/* Fill @p buf with @p n random bytes (getrandom, or the fallback generator). */
void rorm__random_bytes(void *buf, size_t n);

/* Test hook: force (true) or stop forcing (false) the fallback generator. */
void rorm__random_force_fallback(bool on);

#endif
