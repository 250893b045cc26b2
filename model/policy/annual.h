/* annual.h — the annual (or any period's) assessment of HJ 663-2013
 * (Technical Regulation for Ambient Air Quality Assessment): the statistics
 * of the daily values of lt_aqi_days, the good-day ratio, heavy-pollution
 * days, days per primary pollutant and the comprehensive index, with the
 * data validity of a year. Pure functions of the days. */
#ifndef LT_ANNUAL_H
#define LT_ANNUAL_H

#include <stddef.h>

#include "policy/aqi.h"

typedef struct lt_annual {
    int days;                   /* days given */
    int valid_days;             /* days with a valid AQI */
    int good_days;              /* valid days with AQI <= the second category's upper bound (100) */
    int heavy_days;             /* valid days above the fourth's (200) */
    double good_ratio;          /* good_days / valid_days (NaN without valid days) */
    int primary_days[LT_NPOL];  /* valid days on which each pollutant is primary (ties count for each) */
    int pol_days[LT_NPOL];      /* days with a valid daily value of each pollutant */
    double mean[LT_NPOL];       /* mean of the valid daily values (O3: of the daily maximum 8-h) */
    double co_p95;              /* 95th percentile of the daily CO, mg m-3 */
    double o3_8h_p90;           /* 90th percentile of the daily maximum 8-h O3 */
    double index;               /* comprehensive index (NaN unless all six statistics exist) */
    int year_valid;             /* 1: the days meet HJ 663's validity of a year */
} lt_annual;

/* The p-quantile (0..1) of x[0..n) as HJ 663-2013 defines percentiles:
 * sorted ascending X(1) <= ... <= X(n), k = 1 + (n - 1) p, s = floor(k),
 * m = X(s) + (X(s + 1) - X(s)) (k - s). Sorts x in place; NaN when n = 0. */
double lt_hj663_percentile(double *x, size_t n, double p);

/* The statistics of days[0..nd), the first of which starts at day0_s
 * (seconds since the epoch, UTC; local days of the table). work holds nd
 * doubles. The year is valid when at least year_min_days days are valid
 * and every calendar month the days cover has month_min_days (February
 * feb_min_days) of them. */
void lt_annual_stats(const lt_aqi_table *t, const lt_aqi_day *days, size_t nd, double day0_s, double *work,
                     lt_annual *a);

/* The calendar month (1-12) and year of local day d from day0_s. */
void lt_local_day_month(const lt_aqi_table *t, double day0_s, size_t d, int *year, int *month);

#endif
