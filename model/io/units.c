/* units.c — units through udunits2 (see units.h). */
#include "io/units.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <udunits2.h>

static ut_system *units_db;
static pthread_once_t units_once = PTHREAD_ONCE_INIT;

static void load_units(void)
{
    ut_set_error_message_handler(ut_ignore); /* udunits must not print */
    units_db = ut_read_xml(NULL);
}

void lt_units_alias(const char *in, char *out, size_t n)
{
    while (isspace((unsigned char)*in))
        in++;
    if (!strcmp(in, "(0 - 1)") || !strcmp(in, "0-1") || !strcmp(in, "~") || !strcmp(in, "dimensionless") ||
        !strcmp(in, "fraction") || !in[0]) {
        snprintf(out, n, "1");
        return;
    }
    /* "m s**-1", "m**2 s**-2": Fortran powers into udunits' "m s-1" */
    size_t k = 0;
    for (const char *c = in; *c && k + 1 < n; c++) {
        if (c[0] == '*' && c[1] == '*') {
            c++;
            continue;
        }
        out[k++] = *c;
    }
    out[k] = '\0';
}

/* The database, read on first use; NULL when it cannot be read. */
static ut_system *units(void)
{
    pthread_once(&units_once, load_units);
    return units_db;
}

static int linear(const char *from, const char *to, double *scale, double *offset)
{
    ut_system *sys = units();
    if (!sys)
        return -2;
    char a[256];
    lt_units_alias(from, a, sizeof a);
    ut_unit *uf = ut_parse(sys, a, UT_UTF8), *ut = ut_parse(sys, to, UT_ASCII);
    cv_converter *cv = uf && ut ? ut_get_converter(uf, ut) : NULL;
    int rc = -1;
    if (cv) {
        *offset = cv_convert_double(cv, 0.0);
        *scale = cv_convert_double(cv, 1.0) - *offset;
        cv_free(cv);
        rc = 0;
    }
    ut_free(uf);
    ut_free(ut);
    return rc;
}

int lt_units_linear(const char *from, const char *to, double *scale, double *offset)
{
    return linear(from, to, scale, offset);
}

int lt_units_time(const char *from, double *scale, double *offset)
{
    if (!strstr(from, "since"))
        return -1;
    return linear(from, "s @ 1970-01-01T00:00:00Z", scale, offset);
}
