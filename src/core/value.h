/*
 * Internal constructors of rorm_value objects for building results: objects whose keys live in
 * the same allocation as their members (RORM_VALUE_KEYS_INLINE), filled without lookups.
 */
#ifndef RORM_CORE_VALUE_H
#define RORM_CORE_VALUE_H

#include "rediorm/value.h"

/*
 * Make @p out an empty owned object with room for @p cap members and @p key_room bytes of keys
 * (each key takes its length + 1) in one allocation. On failure @p out is null.
 * @return RORM_OK or RORM_ENOMEM.
 */
int rorm__value_object_reserve(rorm_value *out, size_t cap, size_t key_room);
/*
 * Append member @p key (@p keylen bytes, copied) to the owned object @p obj, taking @p val's
 * payload; the caller knows the key is not there yet. Within the reserved room it cannot fail.
 * @return RORM_OK or RORM_ENOMEM (@p val is disposed).
 */
int rorm__value_object_append_take(rorm_value *obj,
                                   const char *key,
                                   size_t keylen,
                                   rorm_value *val);
/* Free member @p m of the owned object @p obj (its key when owned on its own, and its value). */
void rorm__value_member_dispose(rorm_value *obj, rorm_member *m);

#endif
