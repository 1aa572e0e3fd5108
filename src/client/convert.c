/*
 * Values crossing the schema boundary: checking and converting arguments to a field's type
 * before they are bound, and turning a driver's column value back into the field's type.
 */
#include "client/client.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "util/alloc.h"
#include "util/error.h"

static int type_error(rorm_error *err, const rorm_field *f, const rorm_value *in)
{
    const char *list = (f->flags & RORM_LIST) ? "[]" : "";
    return rorm__error(err, RORM_EINVAL, "field '%s.%s' expects %s%s, got %s", f->model->name,
                       f->name, rorm_field_type_name(f->type), list, rorm_type_name(in->type));
}

static int format_double(rorm_value *tmp, double d, unsigned as_type)
{
    char buf[40];
    int n = 0;
    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            break;
        }
    }
    return as_type == RORM_TYPE_DECIMAL ? rorm_value_set_decimal(tmp, buf, (size_t)n)
                                        : rorm_value_set_text(tmp, buf, (size_t)n);
}

static int coerce_scalar(const rorm_value **out,
                         rorm_value *tmp,
                         const rorm_field *f,
                         const rorm_value *in,
                         rorm_error *err)
{
    *out = in;
    switch (f->type) {
    case RORM_FIELD_STRING:
        if (in->type == RORM_TYPE_TEXT) {
            return RORM_OK;
        }
        break;
    case RORM_FIELD_INT:
    case RORM_FIELD_BIGINT: {
        int64_t v;
        if (in->type == RORM_TYPE_INT) {
            v = in->u.i;
        } else if (in->type == RORM_TYPE_DOUBLE && isfinite(in->u.d) && floor(in->u.d) == in->u.d &&
                   fabs(in->u.d) <= 9007199254740992.0) {
            v = (int64_t)in->u.d;
        } else {
            break;
        }
        if (f->type == RORM_FIELD_INT && (v < INT32_MIN || v > INT32_MAX)) {
            return rorm__error(
                err, RORM_EINVAL,
                "value %lld is out of range for Int field '%s.%s' (32-bit; use BigInt)",
                (long long)v, f->model->name, f->name);
        }
        if (in->type != RORM_TYPE_INT) {
            *tmp = RORM_INT(v);
            *out = tmp;
        }
        return RORM_OK;
    }
    case RORM_FIELD_FLOAT:
        if (in->type == RORM_TYPE_DOUBLE) {
            return RORM_OK;
        }
        if (in->type == RORM_TYPE_INT) {
            *tmp = RORM_DOUBLE((double)in->u.i);
            *out = tmp;
            return RORM_OK;
        }
        break;
    case RORM_FIELD_DECIMAL:
        if (in->type == RORM_TYPE_DECIMAL || in->type == RORM_TYPE_TEXT) {
            if (!rorm__decimal_literal(in->u.s.ptr, in->u.s.len)) {
                return rorm__error(err, RORM_EINVAL,
                                   "'%.40s' is not a decimal number (field '%s.%s')", in->u.s.ptr,
                                   f->model->name, f->name);
            }
            if (in->type == RORM_TYPE_TEXT) {
                *tmp = rorm_value_decimal_ref(in->u.s.ptr);
                tmp->u.s.len = in->u.s.len;
                *out = tmp;
            }
            return RORM_OK;
        }
        if (in->type == RORM_TYPE_INT) {
            char buf[24];
            int n = snprintf(buf, sizeof buf, "%lld", (long long)in->u.i);
            if (rorm_value_set_decimal(tmp, buf, (size_t)n) != RORM_OK) {
                return rorm__error_oom(err);
            }
            *out = tmp;
            return RORM_OK;
        }
        if (in->type == RORM_TYPE_DOUBLE && isfinite(in->u.d)) {
            if (format_double(tmp, in->u.d, RORM_TYPE_DECIMAL) != RORM_OK) {
                return rorm__error_oom(err);
            }
            *out = tmp;
            return RORM_OK;
        }
        break;
    case RORM_FIELD_BOOL:
        if (in->type == RORM_TYPE_BOOL) {
            return RORM_OK;
        }
        break;
    case RORM_FIELD_DATETIME:
        if (in->type == RORM_TYPE_DATETIME) {
            return RORM_OK;
        }
        if (in->type == RORM_TYPE_TEXT) {
            int64_t ms;
            if (rorm_datetime_parse(&ms, in->u.s.ptr, in->u.s.len) != RORM_OK) {
                return rorm__error(err, RORM_EINVAL,
                                   "'%.40s' is not an ISO-8601 date-time (field '%s.%s')",
                                   in->u.s.ptr, f->model->name, f->name);
            }
            *tmp = RORM_DATETIME(ms);
            *out = tmp;
            return RORM_OK;
        }
        break;
    case RORM_FIELD_JSON:
        if (in->type == RORM_TYPE_JSON) {
            return RORM_OK;
        }
        {
            /* Any other value is stored as its JSON rendering, as Prisma does for Json fields:
               text that is not UTF-8 would be changed by it, so it is refused. */
            if (!rorm__value_utf8_valid(in)) {
                return rorm__error(err, RORM_EINVAL,
                                   "a text in the value of field '%s.%s' is not valid UTF-8 "
                                   "(Json cannot hold it)",
                                   f->model->name, f->name);
            }
            char *text = NULL;
            size_t len = 0;
            if (rorm_value_to_json(&text, &len, in) != RORM_OK) {
                return rorm__error_oom(err);
            }
            int rc = rorm_value_set_json(tmp, text, len);
            rorm__free(text);
            if (rc != RORM_OK) {
                return rorm__error_oom(err);
            }
            *out = tmp;
            return RORM_OK;
        }
    case RORM_FIELD_BYTES:
        if (in->type == RORM_TYPE_BYTES) {
            return RORM_OK;
        }
        break;
    case RORM_FIELD_ENUM:
        if (in->type == RORM_TYPE_TEXT) {
            const rorm_enum *e = f->enumeration;
            if (e == NULL) {
                return RORM_OK;
            }
            for (size_t i = 0; i < e->values.len; i++) {
                if (strcmp(e->values.ptr[i], in->u.s.ptr) == 0) {
                    if (strcmp(e->db_values.ptr[i], in->u.s.ptr) != 0) {
                        *tmp = rorm_value_text_ref(e->db_values.ptr[i]);
                        *out = tmp;
                    }
                    return RORM_OK;
                }
            }
            return rorm__error(err, RORM_EINVAL,
                               "'%.40s' is not a value of enum '%s' (field '%s.%s')", in->u.s.ptr,
                               e->name, f->model->name, f->name);
        }
        break;
    default:
        return rorm__error(err, RORM_EINVAL, "field '%s.%s' cannot be written", f->model->name,
                           f->name);
    }
    return type_error(err, f, in);
}

int rorm__coerce(const rorm_value **out,
                 rorm_value *tmp,
                 const rorm_field *f,
                 const rorm_value *in,
                 rorm_error *err)
{
    rorm_value_init(tmp);
    *out = in;
    if (in == NULL || in->type == RORM_TYPE_NULL) {
        if (!(f->flags & RORM_NULLABLE) && !(f->flags & RORM_LIST)) {
            return rorm__error(err, RORM_EINVAL, "field '%s.%s' is required and cannot be null",
                               f->model->name, f->name);
        }
        static const rorm_value null_value = { .type = RORM_TYPE_NULL };
        *out = &null_value;
        return RORM_OK;
    }
    if (!(f->flags & RORM_LIST)) {
        return coerce_scalar(out, tmp, f, in, err);
    }
    if (in->type != RORM_TYPE_ARRAY) {
        return type_error(err, f, in);
    }
    /* A scalar list: check and convert every element into a new owned array. */
    rorm_field elem = *f;
    elem.flags &= ~(RORM_LIST | RORM_NULLABLE);
    rorm_value arr;
    rorm_value_init_array(&arr);
    for (size_t i = 0; i < in->u.arr.len; i++) {
        const rorm_value *conv;
        rorm_value etmp, item;
        rorm_value_init(&etmp); /* coerce_scalar() fills it only when it converts */
        int rc = coerce_scalar(&conv, &etmp, &elem, &in->u.arr.items[i], err);
        if (rc == RORM_OK) {
            rc = rorm_value_copy(&item, conv) == RORM_OK ? RORM_OK : rorm__error_oom(err);
            rorm_value_dispose(&etmp);
        }
        if (rc == RORM_OK && rorm_value_array_push_take(&arr, &item) != RORM_OK) {
            rorm_value_dispose(&item);
            rc = rorm__error_oom(err);
        }
        if (rc != RORM_OK) {
            rorm_value_dispose(&arr);
            return rc;
        }
    }
    rorm_value_move(tmp, &arr);
    *out = tmp;
    return RORM_OK;
}

/* ---- Columns back into field values ------------------------------------------------------ */

static int column_scalar(
    rorm_value *out, unsigned type, const rorm_field *f, const rorm_value *col, rorm_error *err)
{
    switch (type) {
    case RORM_FIELD_INT:
    case RORM_FIELD_BIGINT:
        if (col->type == RORM_TYPE_INT) {
            *out = *col;
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_DOUBLE) {
            *out = RORM_INT((int64_t)col->u.d);
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_TEXT || col->type == RORM_TYPE_DECIMAL) {
            char *end;
            long long v = strtoll(col->u.s.ptr, &end, 10);
            if (*end == '\0' && end != col->u.s.ptr) {
                *out = RORM_INT(v);
                return RORM_OK;
            }
        }
        break;
    case RORM_FIELD_FLOAT:
        if (col->type == RORM_TYPE_DOUBLE) {
            *out = *col;
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_INT) {
            *out = RORM_DOUBLE((double)col->u.i);
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_TEXT || col->type == RORM_TYPE_DECIMAL) {
            *out = RORM_DOUBLE(strtod(col->u.s.ptr, NULL));
            return RORM_OK;
        }
        break;
    case RORM_FIELD_BOOL:
        if (col->type == RORM_TYPE_BOOL) {
            *out = *col;
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_INT) {
            *out = RORM_BOOL(col->u.i != 0);
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_TEXT) {
            *out = RORM_BOOL(strcmp(col->u.s.ptr, "true") == 0 || strcmp(col->u.s.ptr, "1") == 0 ||
                             strcmp(col->u.s.ptr, "t") == 0);
            return RORM_OK;
        }
        break;
    case RORM_FIELD_DATETIME:
        if (col->type == RORM_TYPE_DATETIME) {
            *out = *col;
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_INT) {
            *out = RORM_DATETIME(col->u.i);
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_DOUBLE) {
            *out = RORM_DATETIME((int64_t)col->u.d);
            return RORM_OK;
        }
        if (col->type == RORM_TYPE_TEXT) {
            int64_t ms;
            if (rorm_datetime_parse(&ms, col->u.s.ptr, col->u.s.len) == RORM_OK) {
                *out = RORM_DATETIME(ms);
                return RORM_OK;
            }
        }
        break;
    case RORM_FIELD_DECIMAL:
        if (col->type == RORM_TYPE_TEXT || col->type == RORM_TYPE_DECIMAL) {
            /* Servers pad to the column's scale (0.100000...): keep the digits that count. */
            size_t len = col->u.s.len;
            const char *p = col->u.s.ptr;
            if (memchr(p, '.', len) != NULL && memchr(p, 'e', len) == NULL &&
                memchr(p, 'E', len) == NULL) {
                while (len > 0 && p[len - 1] == '0') {
                    len--;
                }
                if (len > 0 && p[len - 1] == '.') {
                    len--;
                }
            }
            return rorm_value_set_decimal(out, p, len) == RORM_OK ? RORM_OK : rorm__error_oom(err);
        }
        if (col->type == RORM_TYPE_INT) {
            char buf[24];
            int n = snprintf(buf, sizeof buf, "%lld", (long long)col->u.i);
            return rorm_value_set_decimal(out, buf, (size_t)n) == RORM_OK ? RORM_OK
                                                                          : rorm__error_oom(err);
        }
        if (col->type == RORM_TYPE_DOUBLE) {
            return format_double(out, col->u.d, RORM_TYPE_DECIMAL) == RORM_OK
                       ? RORM_OK
                       : rorm__error_oom(err);
        }
        break;
    case RORM_FIELD_JSON:
        if (col->type == RORM_TYPE_TEXT || col->type == RORM_TYPE_JSON) {
            return rorm_value_set_json(out, col->u.s.ptr, col->u.s.len) == RORM_OK
                       ? RORM_OK
                       : rorm__error_oom(err);
        }
        break;
    case RORM_FIELD_BYTES:
        if (col->type == RORM_TYPE_BYTES) {
            return rorm_value_set_bytes(out, col->u.bytes.ptr, col->u.bytes.len) == RORM_OK
                       ? RORM_OK
                       : rorm__error_oom(err);
        }
        if (col->type == RORM_TYPE_TEXT) {
            return rorm_value_set_bytes(out, col->u.s.ptr, col->u.s.len) == RORM_OK
                       ? RORM_OK
                       : rorm__error_oom(err);
        }
        break;
    case RORM_FIELD_ENUM:
        if (col->type == RORM_TYPE_TEXT && f && f->enumeration) {
            const rorm_enum *e = f->enumeration;
            for (size_t i = 0; i < e->db_values.len; i++) {
                if (strcmp(e->db_values.ptr[i], col->u.s.ptr) == 0) {
                    return rorm_value_set_text(out, e->values.ptr[i], strlen(e->values.ptr[i])) ==
                                   RORM_OK
                               ? RORM_OK
                               : rorm__error_oom(err);
                }
            }
        }
        /* Unknown members come back as the stored text. */
        /* fall through */
    case RORM_FIELD_STRING:
    default:
        if (col->type == RORM_TYPE_TEXT) {
            return rorm_value_set_text(out, col->u.s.ptr, col->u.s.len) == RORM_OK
                       ? RORM_OK
                       : rorm__error_oom(err);
        }
        if (col->type == RORM_TYPE_INT || col->type == RORM_TYPE_DOUBLE) {
            char buf[40];
            int n = col->type == RORM_TYPE_INT
                        ? snprintf(buf, sizeof buf, "%lld", (long long)col->u.i)
                        : snprintf(buf, sizeof buf, "%.17g", col->u.d);
            return rorm_value_set_text(out, buf, (size_t)n) == RORM_OK ? RORM_OK
                                                                       : rorm__error_oom(err);
        }
        if (col->type == RORM_TYPE_BYTES) {
            return rorm_value_set_text(out, (const char *)col->u.bytes.ptr, col->u.bytes.len) ==
                           RORM_OK
                       ? RORM_OK
                       : rorm__error_oom(err);
        }
        break;
    }
    return rorm__error(err, RORM_EDRIVER,
                       "column '%s' of '%s' holds a %s that cannot be read as %s",
                       f ? f->column : "?", f ? f->model->table : "?", rorm_type_name(col->type),
                       rorm_field_type_name(type));
}

int rorm__column_to_value(rorm_value *out,
                          const rorm_field *f,
                          const rorm_value *col,
                          rorm_error *err)
{
    rorm_value_init(out);
    if (col->type == RORM_TYPE_NULL) {
        return RORM_OK;
    }
    if (!(f->flags & RORM_LIST)) {
        return column_scalar(out, f->type, f, col, err);
    }
    /* Native arrays (PostgreSQL) come as arrays; convert each element. */
    if (col->type == RORM_TYPE_ARRAY) {
        rorm_value arr;
        rorm_value_init_array(&arr);
        for (size_t i = 0; i < col->u.arr.len; i++) {
            const rorm_value *item = &col->u.arr.items[i];
            rorm_value conv;
            int rc = item->type == RORM_TYPE_NULL ? (rorm_value_init(&conv), RORM_OK)
                                                  : column_scalar(&conv, f->type, f, item, err);
            if (rc == RORM_OK && (conv.flags & RORM_VALUE_BORROWED)) {
                rorm_value owned;
                rc = rorm_value_copy(&owned, &conv) == RORM_OK ? RORM_OK : rorm__error_oom(err);
                conv = owned;
            }
            if (rc == RORM_OK && rorm_value_array_push_take(&arr, &conv) != RORM_OK) {
                rorm_value_dispose(&conv);
                rc = rorm__error_oom(err);
            }
            if (rc != RORM_OK) {
                rorm_value_dispose(&arr);
                return rc;
            }
        }
        *out = arr;
        return RORM_OK;
    }
    /* Scalar lists are JSON arrays in a text column on databases without native arrays. */
    if (col->type != RORM_TYPE_TEXT && col->type != RORM_TYPE_JSON) {
        return rorm__error(err, RORM_EDRIVER, "list column '%s' of '%s' does not hold JSON text",
                           f->column, f->model->table);
    }
    rorm_value parsed;
    int rc = rorm__json_parse(&parsed, col->u.s.ptr, col->u.s.len, err);
    if (rc != RORM_OK) {
        return rc;
    }
    if (parsed.type != RORM_TYPE_ARRAY) {
        rorm_value_dispose(&parsed);
        return rorm__error(err, RORM_EDRIVER, "list column '%s' of '%s' does not hold a JSON array",
                           f->column, f->model->table);
    }
    for (size_t i = 0; i < parsed.u.arr.len; i++) {
        rorm_value *item = &parsed.u.arr.items[i];
        if (item->type == RORM_TYPE_NULL || f->type == RORM_FIELD_STRING ||
            f->type == RORM_FIELD_ENUM) {
            continue;
        }
        rorm_value conv;
        rc = column_scalar(&conv, f->type, f, item, err);
        if (rc != RORM_OK) {
            rorm_value_dispose(&parsed);
            return rc;
        }
        rorm_value_dispose(item);
        *item = conv;
    }
    *out = parsed;
    return RORM_OK;
}
