/* annual.c — HJ 663-2013 statistics of a period's days (see annual.h). */
#include "policy/annual.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double lt_hj663_percentile(double *x, size_t n, double p)
{
    if (n == 0)
        return NAN;
    qsort(x, n, sizeof *x, cmp_double);
    double k = 1.0 + (double)(n - 1) * p;
    size_t s = (size_t)floor(k);
    if (s >= n)
        return x[n - 1];
    return x[s - 1] + (x[s] - x[s - 1]) * (k - (double)s);
}

void lt_local_day_month(const lt_aqi_table *t, double day0_s, size_t d, int *year, int *month)
{
    /* noon of the local day, as local time */
    time_t ts = (time_t)(day0_s + 86400.0 * (double)d + 43200.0 + 3600.0 * t->utc_offset_h);
    struct tm tm;
    gmtime_r(&ts, &tm);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
}

/* HJ 663's validity of a year: enough valid days, and in every month. */
static int year_valid(const lt_aqi_table *t, const lt_aqi_day *days, size_t nd, double day0_s, int valid_days)
{
    if (valid_days < t->year_min_days)
        return 0;
    size_t d = 0;
    while (d < nd) {
        int y, m, y2, m2, n = 0;
        lt_local_day_month(t, day0_s, d, &y, &m);
        for (; d < nd; d++) {
            lt_local_day_month(t, day0_s, d, &y2, &m2);
            if (y2 != y || m2 != m)
                break;
            n += days[d].aqi >= 0;
        }
        if (n < (m == 2 ? t->feb_min_days : t->month_min_days))
            return 0;
    }
    return 1;
}

void lt_annual_stats(const lt_aqi_table *t, const lt_aqi_day *days, size_t nd, double day0_s, double *work,
                     lt_annual *a)
{
    memset(a, 0, sizeof *a);
    a->days = (int)nd;
    for (size_t d = 0; d < nd; d++) {
        const lt_aqi_day *dy = &days[d];
        if (dy->aqi < 0)
            continue;
        a->valid_days++;
        a->good_days += dy->aqi <= t->cat_upper[1];
        a->heavy_days += dy->aqi > t->cat_upper[3];
        for (int p = 0; p < LT_NPOL; p++)
            a->primary_days[p] += (dy->primary >> p) & 1u;
    }
    a->good_ratio = a->valid_days ? (double)a->good_days / a->valid_days : NAN;
    for (int p = 0; p < LT_NPOL; p++) {
        size_t n = 0;
        double s = 0.0;
        for (size_t d = 0; d < nd; d++)
            if (!isnan(days[d].c[p])) {
                s += days[d].c[p];
                work[n++] = days[d].c[p];
            }
        a->pol_days[p] = (int)n;
        a->mean[p] = n ? s / (double)n : NAN;
        if (p == LT_POL_CO)
            a->co_p95 = lt_hj663_percentile(work, n, 0.95);
        else if (p == LT_POL_O3)
            a->o3_8h_p90 = lt_hj663_percentile(work, n, 0.90);
    }
    /* the comprehensive index, I = sum of C_i / S_i (HJ 663-2013) */
    double stat[LT_NPOL] = {a->mean[LT_POL_PM25], a->mean[LT_POL_PM10], a->mean[LT_POL_SO2],
                            a->mean[LT_POL_NO2],  a->co_p95,            a->o3_8h_p90};
    a->index = t->pols == LT_POL_ALL ? 0.0 : NAN;
    for (int p = 0; p < LT_NPOL && t->pols == LT_POL_ALL; p++)
        a->index += stat[p] / t->annual_limit[p];
    a->year_valid = year_valid(t, days, nd, day0_s, a->valid_days);
}
