/* lt_time.c — times as lantian reads and writes them (see lt_time.h). */
#include "core/lt_time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Seconds since the epoch of a UTC calendar time; -1 when the date does not exist. */
static int utc_seconds(int Y, int M, int D, int h, int m, int sec, double *t_s)
{
    if (M < 1 || M > 12 || D < 1 || D > 31 || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60 ||
        Y < 1900)
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

int lt_parse_time_zoned(const char *s, double utc_offset_h, double *t_s)
{
    int Y, M, D, h, m, sec = 0, n = 0;
    char sep;
    if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d%n", &Y, &M, &D, &sep, &h, &m, &n) != 6 || (sep != 'T' && sep != ' '))
        return -1;
    const char *r = s + n;
    if (*r == ':') {
        int k = 0;
        if (sscanf(r, ":%2d%n", &sec, &k) != 1)
            return -1;
        r += k;
    }
    double off;
    if (!*r) {
        if (isnan(utc_offset_h))
            return -2;
        off = utc_offset_h;
    } else if (!strcmp(r, "Z")) {
        off = 0.0;
    } else if (*r == '+' || *r == '-') {
        int oh = 0, om = 0, k = 0;
        if (sscanf(r + 1, "%2d%n", &oh, &k) != 1 || k != 2)
            return -1;
        const char *q = r + 1 + k;
        if (*q == ':')
            q++;
        if (*q) {
            k = 0;
            if (sscanf(q, "%2d%n", &om, &k) != 1 || k != 2 || q[k])
                return -1;
        }
        if (oh > 14 || om > 59)
            return -1;
        off = (*r == '-' ? -1.0 : 1.0) * (oh + om / 60.0);
    } else {
        return -1;
    }
    double t;
    if (utc_seconds(Y, M, D, h, m, sec, &t))
        return -1;
    *t_s = t - off * 3600.0;
    return 0;
}

int lt_parse_iso8601(const char *s, double *t_s)
{
    int Y, M, D, h, m, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &Y, &M, &D, &h, &m, &sec, &n) != 6)
        return -1;
    const char *rest = s + n;
    if (strcmp(rest, "Z") != 0 && strcmp(rest, "+00:00") != 0)
        return -1;
    return utc_seconds(Y, M, D, h, m, sec, t_s);
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
