/*
 * Filling rorm_error reports, and the names of the codes.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rorm_error_clear(rorm_error *err)
{
    if (err) {
        memset(err, 0, sizeof *err);
    }
}

int rorm__error(rorm_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        err->constraint = 0;
        err->sqlstate[0] = '\0';
        err->line = 0;
        err->column = 0;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

int rorm__error_oom(rorm_error *err)
{
    if (err) {
        rorm_error_clear(err);
        err->code = RORM_ENOMEM;
        strcpy(err->message, "out of memory");
    }
    return RORM_ENOMEM;
}

const char *rorm_code_name(int code)
{
    switch (code) {
    case RORM_OK:
        return "RORM_OK";
    case RORM_EINVAL:
        return "RORM_EINVAL";
    case RORM_ENOMEM:
        return "RORM_ENOMEM";
    case RORM_ENOTFOUND:
        return "RORM_ENOTFOUND";
    case RORM_EPARSE:
        return "RORM_EPARSE";
    case RORM_ESCHEMA:
        return "RORM_ESCHEMA";
    case RORM_ECONSTRAINT:
        return "RORM_ECONSTRAINT";
    case RORM_EBUSY:
        return "RORM_EBUSY";
    case RORM_ETIMEOUT:
        return "RORM_ETIMEOUT";
    case RORM_EDRIVER:
        return "RORM_EDRIVER";
    case RORM_EUNSUPPORTED:
        return "RORM_EUNSUPPORTED";
    case RORM_ESTATE:
        return "RORM_ESTATE";
    case RORM_ECONFLICT:
        return "RORM_ECONFLICT";
    case RORM_ECONNECTION:
        return "RORM_ECONNECTION";
    default:
        return "RORM_E?";
    }
}
