/* aqi.h — China's air quality index (HJ 633) and the day statistics the
 * assessments count (good days, heavy-pollution days, exceedance days): from
 * PM2.5 alone (the alerts' running index) and from all six pollutants (the
 * daily AQI of HJ 633-2012 section 5: the maximum of the IAQI of 24-h PM2.5,
 * PM10, SO2, NO2, CO, the daily maximum 8-h O3 and the daily maximum 1-h O3).
 * The breakpoints and rules are data (inputs/policy/aqi_*.ini), not code. */
#ifndef LT_AQI_H
#define LT_AQI_H

#include <stddef.h>

#include "core/lt_error.h"

#define LT_AQI_MAX_BP 12
#define LT_AQI_MAX_CAT 8
#define LT_POL_ALL 0x3fu /* the six bits of lt_aqi_table.pols */

/* The six pollutants, in the order of every table and file. */
enum { LT_POL_PM25 = 0, LT_POL_PM10, LT_POL_SO2, LT_POL_NO2, LT_POL_CO, LT_POL_O3, LT_NPOL };

/* The concentration scales of HJ 633-2012 table 1 (the "key" of each in the
 * rule file is its name with _breakpoints_ugm3, or _mgm3 for CO). */
enum {
    LT_SCALE_PM25_24H = 0, LT_SCALE_PM10_24H, LT_SCALE_SO2_24H, LT_SCALE_SO2_1H, LT_SCALE_NO2_24H,
    LT_SCALE_NO2_1H, LT_SCALE_CO_24H, LT_SCALE_CO_1H, LT_SCALE_O3_1H, LT_SCALE_O3_8H, LT_NSCALE
};

/* Short names of the pollutants ("pm25", ... "o3") and of the scales
 * ("pm25_24h", ... "o3_8h"). */
extern const char *const lt_pol_names[LT_NPOL];
extern const char *const lt_scale_names[LT_NSCALE];

typedef struct lt_aqi_scale {
    int n;                           /* breakpoints given (0: the scale is not in the rules) */
    double bp[LT_AQI_MAX_BP];        /* concentrations at iaqi_bp[0..n) */
    int above;                       /* above bp[n-1]: the scale whose IAQI is reported instead
                                        (HJ 633 table 1 notes: SO2 1-h -> 24-h, O3 8-h -> 1-h); -1:
                                        the top IAQI of the scale */
} lt_aqi_scale;

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
    /* The six-pollutant index and HJ 663's annual assessment. */
    lt_aqi_scale scale[LT_NSCALE];   /* scale[LT_SCALE_PM25_24H] mirrors pm25_bp */
    unsigned pols;                   /* bit p: pollutant p is assessed (the rules define it: PM2.5
                                        alone or all six; a caller may clear the bits of pollutants
                                        it has no data for) */
    int o3_8h_min_hours;             /* valid 8-h mean: at least this many hours */
    int o3_8h_min_windows;           /* valid daily maximum 8-h: this many valid windows
                                        (or fewer when the maximum exceeds the limit) */
    double o3_8h_limit;              /* 24-h (MDA8) limit for that exception, ug m-3 */
    double annual_limit[LT_NPOL];    /* the comprehensive index's S_i (PM2.5, PM10, SO2, NO2
                                        annual means; CO 24-h 95th percentile, mg m-3; O3-8h 90th
                                        percentile) */
    int year_min_days, month_min_days, feb_min_days; /* HJ 663 validity of a year */
} lt_aqi_table;

/* Reads a rule table (see inputs/policy/aqi_HJ633-2012.ini); checks that the
 * breakpoints increase and the categories match. */
int lt_aqi_table_read(lt_aqi_table *t, const char *path, lt_error *err);

/* IAQI of a 24-h mean PM2.5 (ug m-3): linear between breakpoints, rounded up
 * (HJ 633-2012 eq. 1); the top IAQI above the last breakpoint; -1 for NaN. */
int lt_iaqi_pm25(const lt_aqi_table *t, double c_ugm3);

/* IAQI of concentration c on scale sc (ug m-3; CO mg m-3), HJ 633-2012
 * eq. 1, rounded up; above the scale's last breakpoint the top IAQI, or -2
 * when the scale says another scale's IAQI is reported instead; -1 for NaN
 * or a scale the rules do not define. */
int lt_iaqi(const lt_aqi_table *t, int sc, double c);

/* One day's statistics at one place: 24-h means (CO mg m-3), the daily
 * maximum 8-h and 1-h O3, NaN where invalid. */
typedef struct lt_aqi_day {
    double c[LT_NPOL];               /* 24-h means; c[LT_POL_O3] the daily maximum 8-h mean */
    double o3_1h;                    /* the daily maximum 1-h O3 */
    int iaqi[LT_NPOL];               /* -1 invalid; iaqi[LT_POL_O3] the larger of the 8-h and 1-h */
    int aqi;                         /* -1: the day is invalid */
    int category;
    unsigned primary;                /* bit p: pollutant p is primary (AQI > 50 and its IAQI = AQI) */
} lt_aqi_day;

/* The day's IAQI, AQI, category and primary pollutants from d->c and
 * d->o3_1h. A day is valid when every assessed pollutant (t->pols) has a
 * valid value (HJ 663-2013 needs all of them for the daily AQI); the others
 * have iaqi -1 and take no part. */
void lt_aqi_day_index(const lt_aqi_table *t, lt_aqi_day *d);

/* Daily statistics of pollutant series x[LT_NPOL][nh] (hourly, from start_s,
 * NaN missing; series p may be NULL: not assessed) over local days: 24-h means
 * with at least min_hours values, the O3 8-h moving means within the day
 * (windows of hours j-7..j of the day, j = 7..23, each with at least
 * o3_8h_min_hours values) and their maximum, the 1-h maximum; then the
 * index of each day. Fills days[0..maxdays); returns the days touched. */
size_t lt_aqi_days(const lt_aqi_table *t, const double *const x[LT_NPOL], size_t nh, double start_s,
                   lt_aqi_day *days, size_t maxdays);

/* The AQI of the 24 hours ending at each hour h (hours h-23..h of the
 * series x as lt_aqi_days takes them, each window assessed as a day: 24-h
 * means, the maximum 8-h O3 within it, the maximum hour), the index the
 * alerts follow; only the pollutants of t->pols with a series count.
 * aqi[h] = -1 where the window is invalid (fewer than min_hours values). */
void lt_aqi_running(const lt_aqi_table *t, const double *const x[LT_NPOL], size_t nh, int *aqi);

/* "pm25+pm10" of the primary bits (empty for none), into buf. */
void lt_aqi_primary_names(unsigned primary, char *buf, size_t cap);

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
