/* namemap.c — "a:b[:number], ..." maps (see namemap.h). */
#include "io/namemap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cuts blanks off both ends of t in place. */
static char *trim(char *t)
{
    while (*t == ' ' || *t == '\t')
        t++;
    char *e = t + strlen(t);
    while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return t;
}

int lt_namemap_parse(const char *list, const char *where, const char *form, int positive,
                     lt_namemap_item *items, int cap, int *n, lt_error *err)
{
    char buf[1024];
    if (strlen(list) >= sizeof buf)
        return lt_error_set(err, LT_EINPUT, "%s: longer than %zu bytes", where, sizeof buf - 1);
    snprintf(buf, sizeof buf, "%s", list);
    *n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        t = trim(t);
        char *c1 = strchr(t, ':');
        if (!c1 || c1 == t || !c1[1] || *n == cap)
            return lt_error_set(err, LT_EINPUT, "%s: item '%s': expected %s (at most %d items)", where, t, form, cap);
        *c1 = '\0';
        char *b = c1 + 1, *c2 = strchr(b, ':');
        lt_namemap_item *it = &items[(*n)++];
        it->number = NAN;
        if (c2) {
            *c2 = '\0';
            char *end;
            it->number = strtod(c2 + 1, &end);
            if (end == c2 + 1 || *end || !isfinite(it->number) || (positive ? !(it->number > 0) : it->number == 0))
                return lt_error_set(err, LT_EINPUT, "%s: item '%s:%s:%s': expected a %s number after the second ':'",
                                    where, t, b, c2 + 1, positive ? "positive" : "non-zero");
        }
        t = trim(t);
        b = trim(b);
        if (strlen(t) >= sizeof it->a || strlen(b) >= sizeof it->b)
            return lt_error_set(err, LT_EINPUT, "%s: item '%s': names longer than 63 bytes", where, t);
        snprintf(it->a, sizeof it->a, "%s", t);
        snprintf(it->b, sizeof it->b, "%s", b);
    }
    return LT_OK;
}
