/*
 * The driver registry: the drivers built into this library, found by database type or by the
 * scheme of a database URI.
 */
#include "driver/driver.h"

#include <string.h>

/* Drivers for servers join the table when their client library is part of the build
 * (RORM_WITH_PG, RORM_WITH_MYSQL). */

const rorm_driver *const rorm__drivers[] = {
    &rorm__driver_sqlite,
#ifdef RORM_WITH_PG
    &rorm__driver_postgres,
#endif
#ifdef RORM_WITH_MYSQL
    &rorm__driver_mysql,
#endif
    NULL,
};

const rorm_driver *rorm__driver_for_type(unsigned db_type)
{
    for (const rorm_driver *const *d = rorm__drivers; *d != NULL; d++) {
        if ((*d)->db_type == db_type) {
            return *d;
        }
    }
    return NULL;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* URI schemes are case-insensitive (RFC 3986, section 3.1). */
static bool scheme_eq(const char *name, const char *scheme, size_t len)
{
    size_t i = 0;
    for (; i < len; i++) {
        if (name[i] == '\0' || ascii_lower(scheme[i]) != name[i]) {
            return false;
        }
    }
    return name[i] == '\0';
}

const rorm_driver *rorm__driver_for_scheme(const char *scheme, size_t len)
{
    if (scheme == NULL) {
        return NULL;
    }
    for (const rorm_driver *const *d = rorm__drivers; *d != NULL; d++) {
        if (scheme_eq((*d)->scheme, scheme, len)) {
            return *d;
        }
    }
    return NULL;
}
