/*
 * Internal constructors of rorm_value objects for building results: objects whose keys live in
 * the same allocation as their members (RORM_VALUE_KEYS_INLINE), filled without lookups.
 */
#ifndef RORM_CORE_VALUE_H
#define RORM_CORE_VALUE_H

#include "rediorm/value.h"

/* Memory for a result tree from a caller's arena: freed all at once by its owner. */
typedef void *(*rorm__value_alloc_fn)(void *payload, size_t n);

/*
 * Make @p out an empty owned object with room for @p cap members and @p key_room bytes of keys
 * (each key takes its length + 1) in one allocation. On failure @p out is null.
 * @return RORM_OK or RORM_ENOMEM.
 */
int rorm__value_object_reserve(rorm_value *out, size_t cap, size_t key_room);
/*
 * As rorm__value_object_reserve, in memory from @p alloc (not NULL: the object is flagged
 * RORM_VALUE_BORROWED, nothing of it is freed on its own; NULL: as rorm__value_object_reserve).
 */
int rorm__value_object_reserve_in(
    rorm_value *out, size_t cap, size_t key_room, rorm__value_alloc_fn alloc, void *payload);
/*
 * Set member @p key of @p obj to @p val (taken), as rorm_value_object_set_take; with @p alloc,
 * @p obj is an arena object (rorm__value_object_reserve_in) that grows into @p alloc's memory.
 * @return RORM_OK, RORM_ENOMEM or RORM_EINVAL (@p val is disposed).
 */
int rorm__value_object_put_in(
    rorm_value *obj, const char *key, rorm_value *val, rorm__value_alloc_fn alloc, void *payload);
/*
 * A deep copy of @p src in memory from @p alloc, every node borrowed.
 * @return RORM_OK, RORM_ENOMEM (then @p out is null) or RORM_EINVAL.
 */
int rorm__value_copy_in(rorm_value *out,
                        const rorm_value *src,
                        rorm__value_alloc_fn alloc,
                        void *payload);
/*
 * Append member @p key (@p keylen bytes, copied) to the owned object @p obj, taking @p val's
 * payload; the caller knows the key is not there yet. Within the reserved room it cannot fail.
 * @return RORM_OK or RORM_ENOMEM (@p val is disposed).
 */
int rorm__value_object_append_take(rorm_value *obj,
                                   const char *key,
                                   size_t keylen,
                                   rorm_value *val);
/*
 * As rorm__value_object_append_take, but an arena object (rorm__value_object_reserve_in with an
 * allocator) within its reserved members keeps @p name itself as the key, uncopied: @p name
 * must outlive the tree (a schema name). Other objects copy it.
 */
int rorm__value_object_append_name(rorm_value *obj, const char *name, rorm_value *val);
/* Free member @p m of the owned object @p obj (its key when owned on its own, and its value). */
void rorm__value_member_dispose(rorm_value *obj, rorm_member *m);

#endif
