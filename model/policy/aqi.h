/* aqi.h — China's air quality index from PM2.5 and the day statistics the
 * assessments count (good days, heavy-pollution days, exceedance days).
 * The breakpoints and rules are data (inputs/policy/aqi_*.ini), not code. */
#ifndef LT_AQI_H
#define LT_AQI_H

#include <stddef.h>

#include "core/lt_error.h"

#define LT_AQI_MAX_BP 12
#define LT_AQI_MAX_CAT 8

typedef struct lt_aqi_table {
    char name[64];
    int nbp;
    double pm25_bp[LT_AQI_MAX_BP];   /* 24-h PM2.5 breakpoints, ug m-3 */
    double iaqi_bp[LT_AQI_MAX_BP];   /* IAQI at each breakpoint */
    int ncat;
    double cat_upper[LT_AQI_MAX_CAT]; /* upper AQI of categories 0..ncat-2 */
    char cat_name[LT_AQI_MAX_CAT][32];
    int min_hours;                   /* valid day: at least this many hourly values */
    double utc_offset_h;             /* local calendar days for daily values */
    double pm25_limit;               /* 24-h limit value, ug m-3 */
} lt_aqi_table;

/* Reads a rule table (see inputs/policy/aqi_HJ633-2012.ini); checks that the
 * breakpoints increase and the categories match. */
int lt_aqi_table_read(lt_aqi_table *t, const char *path, lt_error *err);

/* IAQI of a 24-h mean PM2.5 (ug m-3): linear between breakpoints, rounded up
 * (HJ 633-2012 eq. 1); the top IAQI above the last breakpoint; -1 for NaN. */
int lt_iaqi_pm25(const lt_aqi_table *t, double c_ugm3);

/* Category index 0..ncat-1 of an AQI value (-1 for a negative/invalid AQI). */
int lt_aqi_category(const lt_aqi_table *t, int aqi);

/* Daily means over local calendar days (UTC + utc_offset_h) of an hourly series
 * starting at start_s (hour h covers [start_s + 3600 h, +1 h)); NaN entries are
 * missing. A day with fewer than min_hours values is NaN. Writes at most
 * maxdays values and the start of the first day (seconds since the epoch,
 * UTC) into *day0_s; returns the number of days touched. */
size_t lt_daily_means(const lt_aqi_table *t, const double *hourly, size_t nh, double start_s,
                      double *daily, size_t maxdays, double *day0_s);

/* 24-h running means: out[h] = mean of hourly[h-23..h] when at least
 * min_hours of them are present, else NaN. */
void lt_running24(const lt_aqi_table *t, const double *hourly, size_t nh, double *out);

#endif
