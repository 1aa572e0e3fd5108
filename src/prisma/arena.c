/*
 * The AST arena: a list of blocks, freed in one call when a load ends. Each allocation is
 * rounded up to pointer alignment; large requests get a block of their own. With
 * RORM_ARENA_PASSTHROUGH defined every allocation is its own block, so ASan and valgrind see
 * each one.
 */
#include "prisma/prisma.h"

#include <string.h>

#include "util/alloc.h"

#define ARENA_BLOCK_SIZE 16384

struct rorm__arena_block {
    rorm__arena_block *next;
    size_t used, size;
    max_align_t data[];
};

void rorm__arena_init(rorm__arena *a)
{
    a->head = NULL;
    a->oom = false;
}

void rorm__arena_dispose(rorm__arena *a)
{
    rorm__arena_block *b = a->head;
    while (b) {
        rorm__arena_block *next = b->next;
        rorm__free(b);
        b = next;
    }
    a->head = NULL;
}

void *rorm__arena_alloc(rorm__arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    size_t need;
    if (!rorm__add_ok(&need, n, align - 1)) {
        a->oom = true;
        return NULL;
    }
    need &= ~(align - 1);
    if (need == 0) {
        need = align;
    }
#ifndef RORM_ARENA_PASSTHROUGH
    if (a->head && a->head->size - a->head->used >= need) {
        void *p = (char *)a->head->data + a->head->used;
        a->head->used += need;
        return p;
    }
    size_t size = need > ARENA_BLOCK_SIZE ? need : ARENA_BLOCK_SIZE;
#else
    size_t size = need;
#endif
    size_t total;
    if (!rorm__add_ok(&total, sizeof(rorm__arena_block), size)) {
        a->oom = true;
        return NULL;
    }
    rorm__arena_block *b = rorm__calloc(1, total);
    if (!b) {
        a->oom = true;
        return NULL;
    }
    b->size = size;
    b->used = need;
    /* Keep the fuller block behind a fresh one only when the new block has room left. */
    if (a->head && b->used == b->size) {
        b->next = a->head->next;
        a->head->next = b;
    } else {
        b->next = a->head;
        a->head = b;
    }
    return b->data;
}

char *rorm__arena_strndup(rorm__arena *a, const char *s, size_t n)
{
    char *p = rorm__arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}
