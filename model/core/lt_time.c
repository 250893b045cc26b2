/* lt_time.c — times as lantian reads and writes them (see lt_time.h). */
#include "core/lt_time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int lt_parse_iso8601(const char *s, double *t_s)
{
    int Y, M, D, h, m, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &Y, &M, &D, &h, &m, &sec, &n) != 6)
        return -1;
    const char *rest = s + n;
    if (strcmp(rest, "Z") != 0 && strcmp(rest, "+00:00") != 0)
        return -1;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60 || Y < 1900)
        return -1;
    struct tm tm = {0};
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_mday != D || back.tm_mon != M - 1)
        return -1; /* 2020-02-31 and the like */
    *t_s = (double)t;
    return 0;
}

void lt_format_iso8601(double t_s, char *buf, int n)
{
    time_t t = (time_t)llround(t_s);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, (size_t)n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double lt_local_day_start(double t_s, double utc_offset_h)
{
    double off = utc_offset_h * 3600.0;
    return floor((t_s + off) / 86400.0) * 86400.0 - off;
}

long lt_local_day_index(double t_s, double day0_s)
{
    return (long)floor((t_s - day0_s) / 86400.0);
}
