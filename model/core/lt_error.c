/* lt_error.c — filling the error buffer (see lt_error.h). */
#include "core/lt_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof err->msg) {
        char *full = malloc((size_t)n + 1);
        if (full) {
            vsnprintf(full, (size_t)n + 1, fmt, ap2);
            /* the first third and the last two thirds of the room */
            const char *mark = " [...] ";
            size_t room = sizeof err->msg - 1 - strlen(mark), head = room / 3, tail = room - head;
            snprintf(err->msg, sizeof err->msg, "%.*s%s%s", (int)head, full, mark, full + (size_t)n - tail);
            free(full);
        }
    }
    va_end(ap2);
    return code;
}
