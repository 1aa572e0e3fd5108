/*
 * rorm_map: a hash map from byte-string keys to void * values. Open addressing over an index
 * table, entries kept in a dense array in insertion order, so iteration is deterministic (models,
 * fields and migration steps come out in schema order). Keys are copied by the map; values are
 * freed with the optional hook when the map is disposed or a value replaced.
 */
#ifndef RORM_UTIL_MAP_H
#define RORM_UTIL_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rorm_map_entry {
    char *key; /* owned copy, NUL-terminated */
    size_t keylen;
    uint64_t hash;
    void *value;
} rorm_map_entry;

typedef struct rorm_map {
    rorm_map_entry *entries; /* dense, insertion order; removed entries are compacted away */
    size_t len, cap;
    uint32_t *slots; /* index+1 into entries, 0 = empty; power-of-two size */
    size_t nslots;
    void (*free_value)(void *value);
} rorm_map;

void rorm__map_init(rorm_map *m, void (*free_value)(void *));
void rorm__map_dispose(rorm_map *m);
/* Insert or replace (the old value is freed with the hook). Returns 0 or RORM_ENOMEM. */
int rorm__map_set(rorm_map *m, const char *key, size_t keylen, void *value);
/* Returns the value or NULL. */
void *rorm__map_get(const rorm_map *m, const char *key, size_t keylen);
bool rorm__map_has(const rorm_map *m, const char *key, size_t keylen);
/* Remove and free the value with the hook; returns true when the key was present. */
bool rorm__map_remove(rorm_map *m, const char *key, size_t keylen);
uint64_t rorm__hash(const void *p, size_t n);

#define rorm_map_foreach(m, e) for ((e) = (m)->entries; (e) < (m)->entries + (m)->len; (e)++)

#endif
