/*
 * Dialect lookup and the SQL fragments every dialect writes the same way.
 */
#include "dialect/dialect.h"

#include "rediorm/db.h"

const rorm_dialect *rorm__dialect_for_type(unsigned db_type)
{
    switch (db_type) {
    case RORM_DB_SQLITE:
        return &rorm__dialect_sqlite;
    default:
        return NULL;
    }
}

void rorm__dialect_column_list(rorm_str *out,
                               const rorm_dialect *d,
                               rorm_field *const *fields,
                               size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            rorm__str_put(out, ", ", 2);
        }
        d->quote_ident(out, fields[i]->column);
    }
}
