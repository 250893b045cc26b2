/* lt_error.c — filling the error buffer (see lt_error.h). */
#include "core/lt_error.h"

#include <stdarg.h>
#include <stdio.h>

void lt_error_clear(lt_error *err)
{
    if (!err)
        return;
    err->code = LT_OK;
    err->msg[0] = '\0';
}

int lt_error_set(lt_error *err, int code, const char *fmt, ...)
{
    if (!err || err->code != LT_OK)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}
