/*
 * rorm_map: open addressing (linear probing) over a slot table that indexes a dense entry array.
 * The entry array keeps insertion order; removal compacts it and rebuilds the slots, which is
 * fine for our uses (schemas and caches rarely remove).
 */
#include "util/map.h"

#include <string.h>

#include "rediorm/error.h"
#include "util/alloc.h"

uint64_t rorm__hash(const void *p, size_t n)
{
    /* Eight bytes at a time (SQL text keys the statement caches: a byte-wise hash of it cost
       more than the lookup), each word folded in by a multiply and a shift, with a final mix so
       that low bits spread well for power-of-two tables. */
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
    }
    if (i < n) {
        uint64_t w = 0; /* bytes shifted in: a short memcpy here stalls the load after it */
        for (size_t k = 0; i + k < n; k++) {
            w |= (uint64_t)s[i + k] << (8 * k);
        }
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void rorm__map_init(rorm_map *m, void (*free_value)(void *))
{
    memset(m, 0, sizeof *m);
    m->free_value = free_value;
}

void rorm__map_dispose(rorm_map *m)
{
    for (size_t i = 0; i < m->len; i++) {
        if (m->free_value && m->entries[i].value) {
            m->free_value(m->entries[i].value);
        }
        rorm__free(m->entries[i].key);
    }
    rorm__free(m->entries);
    rorm__free(m->slots);
    void (*fv)(void *) = m->free_value;
    rorm__map_init(m, fv);
}

static size_t find_slot(const rorm_map *m, const char *key, size_t keylen, uint64_t h, bool *found)
{
    size_t mask = m->nslots - 1;
    size_t i = (size_t)h & mask;
    for (;;) {
        uint32_t s = m->slots[i];
        if (s == 0) {
            *found = false;
            return i;
        }
        const rorm_map_entry *e = &m->entries[s - 1];
        if (e->hash == h && e->keylen == keylen && memcmp(e->key, key, keylen) == 0) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static int rebuild_slots(rorm_map *m, size_t nslots)
{
    uint32_t *slots = rorm__calloc(nslots, sizeof *slots);
    if (slots == NULL) {
        return RORM_ENOMEM;
    }
    rorm__free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    for (size_t k = 0; k < m->len; k++) {
        size_t i = (size_t)m->entries[k].hash & (nslots - 1);
        while (slots[i] != 0) {
            i = (i + 1) & (nslots - 1);
        }
        slots[i] = (uint32_t)(k + 1);
    }
    return RORM_OK;
}

void *rorm__map_get(const rorm_map *m, const char *key, size_t keylen)
{
    bool found;
    if (m->len == 0) {
        return NULL;
    }
    size_t i = find_slot(m, key, keylen, rorm__hash(key, keylen), &found);
    return found ? m->entries[m->slots[i] - 1].value : NULL;
}

bool rorm__map_has(const rorm_map *m, const char *key, size_t keylen)
{
    bool found = false;
    if (m->len != 0) {
        find_slot(m, key, keylen, rorm__hash(key, keylen), &found);
    }
    return found;
}

int rorm__map_set(rorm_map *m, const char *key, size_t keylen, void *value)
{
    bool found = false;
    uint64_t h = rorm__hash(key, keylen);
    if (m->nslots == 0 || (m->len + 1) * 4 > m->nslots * 3) {
        size_t nslots = m->nslots ? m->nslots * 2 : 16;
        if (nslots > UINT32_MAX || rebuild_slots(m, nslots) != RORM_OK) {
            return RORM_ENOMEM;
        }
    }
    size_t i = find_slot(m, key, keylen, h, &found);
    if (found) {
        rorm_map_entry *e = &m->entries[m->slots[i] - 1];
        if (m->free_value && e->value && e->value != value) {
            m->free_value(e->value);
        }
        e->value = value;
        return RORM_OK;
    }
    if (m->len == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        size_t bytes;
        if (!rorm__mul_ok(&bytes, cap, sizeof *m->entries)) {
            return RORM_ENOMEM;
        }
        rorm_map_entry *entries = rorm__realloc(m->entries, bytes);
        if (entries == NULL) {
            return RORM_ENOMEM;
        }
        m->entries = entries;
        m->cap = cap;
    }
    char *copy = rorm__strndup(key, keylen);
    if (copy == NULL) {
        return RORM_ENOMEM;
    }
    rorm_map_entry *e = &m->entries[m->len];
    e->key = copy;
    e->keylen = keylen;
    e->hash = h;
    e->value = value;
    m->len++;
    m->slots[i] = (uint32_t)m->len;
    return RORM_OK;
}

bool rorm__map_remove(rorm_map *m, const char *key, size_t keylen)
{
    bool found = false;
    if (m->len == 0) {
        return false;
    }
    size_t i = find_slot(m, key, keylen, rorm__hash(key, keylen), &found);
    if (!found) {
        return false;
    }
    size_t k = m->slots[i] - 1;
    if (m->free_value && m->entries[k].value) {
        m->free_value(m->entries[k].value);
    }
    rorm__free(m->entries[k].key);
    memmove(&m->entries[k], &m->entries[k + 1], (m->len - k - 1) * sizeof *m->entries);
    m->len--;
    /* Re-index in place: the slot table is already allocated and large enough. */
    memset(m->slots, 0, m->nslots * sizeof *m->slots);
    for (size_t j = 0; j < m->len; j++) {
        size_t s = (size_t)m->entries[j].hash & (m->nslots - 1);
        while (m->slots[s] != 0) {
            s = (s + 1) & (m->nslots - 1);
        }
        m->slots[s] = (uint32_t)(j + 1);
    }
    return true;
}
