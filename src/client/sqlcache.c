/*
 * A per-database cache of generated SQL text, keyed by statement shape (model, kind of
 * statement, which columns, how many rows). Building SQL for a record call costs more than
 * looking it up; the text then keys the per-connection prepared-statement cache. Entries live
 * until the database is closed, so a returned pointer stays valid; the cache is bounded and
 * simply stops adding when full.
 */
#include "client/client.h"

#include <string.h>

#include "util/alloc.h"

#define SQL_CACHE_MAX 4096

typedef struct cached_sql {
    size_t len;
    char text[];
} cached_sql;

void rorm__sql_cache_init(rorm_db *db)
{
    pthread_mutex_init(&db->sql_lock, NULL);
    rorm__map_init(&db->sql_cache, rorm__free);
}

void rorm__sql_cache_dispose(rorm_db *db)
{
    rorm__map_dispose(&db->sql_cache);
    pthread_mutex_destroy(&db->sql_lock);
}

const char *rorm__sql_cache_get(rorm_db *db, const rorm_shape *key, size_t *len_out)
{
    rorm_db *root = db->root;
    pthread_mutex_lock(&root->sql_lock);
    cached_sql *c = rorm__map_get(&root->sql_cache, (const char *)key->bytes, key->len);
    pthread_mutex_unlock(&root->sql_lock);
    if (c == NULL) {
        return NULL;
    }
    *len_out = c->len;
    return c->text;
}

const char *
rorm__sql_cache_put(rorm_db *db, const rorm_shape *key, const rorm_str *sql, size_t *len_out)
{
    rorm_db *root = db->root;
    if (rorm__str_oom(sql)) {
        return NULL;
    }
    cached_sql *c = rorm__malloc(sizeof *c + sql->len + 1);
    if (c == NULL) {
        return NULL;
    }
    c->len = sql->len;
    memcpy(c->text, sql->ptr, sql->len + 1);
    const char *result = NULL;
    pthread_mutex_lock(&root->sql_lock);
    cached_sql *old = rorm__map_get(&root->sql_cache, (const char *)key->bytes, key->len);
    if (old) {
        result = old->text; /* another thread got there first */
        *len_out = old->len;
        rorm__free(c);
    } else if (root->sql_cache.len < SQL_CACHE_MAX &&
               rorm__map_set(&root->sql_cache, (const char *)key->bytes, key->len, c) == 0) {
        result = c->text;
        *len_out = c->len;
    } else {
        rorm__free(c);
    }
    pthread_mutex_unlock(&root->sql_lock);
    return result;
}

void rorm__shape_init(rorm_shape *key, const rorm_model *m, unsigned kind, uint32_t nrows)
{
    memcpy(key->bytes, &m, sizeof m);
    key->bytes[sizeof m] = (unsigned char)kind;
    memcpy(key->bytes + sizeof m + 1, &nrows, sizeof nrows);
    key->len = sizeof m + 1 + sizeof nrows;
    key->ok = true;
}

void rorm__shape_add_mask(rorm_shape *key, const bool *include, size_t n)
{
    size_t nbytes = (n + 7) / 8;
    if (!key->ok || key->len + nbytes > sizeof key->bytes) {
        key->ok = false;
        return;
    }
    memset(key->bytes + key->len, 0, nbytes);
    for (size_t i = 0; i < n; i++) {
        if (include[i]) {
            key->bytes[key->len + i / 8] |= (unsigned char)(1u << (i % 8));
        }
    }
    key->len += nbytes;
}

void rorm__shape_add(rorm_shape *key, const void *p, size_t n)
{
    if (!key->ok || key->len + n > sizeof key->bytes) {
        key->ok = false;
        return;
    }
    memcpy(key->bytes + key->len, p, n);
    key->len += n;
}
