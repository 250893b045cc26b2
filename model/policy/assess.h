/* assess.h — the daily assessment of a run as China's rules count it: daily
 * PM2.5 and AQI per station and for the city (CST days), good, heavy and
 * exceedance days, and the alert level each day of the forecast would bring. */
#ifndef LT_ASSESS_H
#define LT_ASSESS_H

#include <stddef.h>

#include "policy/alert.h"
#include "policy/aqi.h"

typedef struct lt_assessment {
    size_t ndays, nst;
    double day0_s;             /* start of the first local day, seconds since the epoch (UTC) */
    double *st_pm25;           /* [day][station] daily mean, ug m-3 (NaN: invalid day) */
    int *st_aqi;               /* [day][station] (-1: invalid) */
    double *city_pm25;         /* [day]: the mean over stations of their daily values */
    int *city_aqi;             /* [day] */
    int *city_cat;             /* [day] category index (-1: invalid) */
    int *alert_day;            /* [day] highest alert level in force that day (0: none) */
    int *alert_hour;           /* [hour] alert level in force */
    int valid_days, good_days, heavy_days, exceed_days, alert_days;
    double city_mean;          /* mean of the valid city daily values */
    size_t ncounty;
    double *county_pm25;       /* [day][county]: mean of the county's stations' daily values */
    int *county_aqi;           /* [day][county] */
    double *county_mean;       /* [county]: mean of its valid daily values */
} lt_assessment;

/* Days a run of `hours` from start_s touches (local days of the table). */
size_t lt_assess_ndays(const lt_aqi_table *t, double start_s, int hours);

/* Assesses station hourly series st[h * nst + k] (ug m-3). The city's hourly
 * PM2.5 for the alert forecast is the station mean (HJ 663-2013 averages
 * stations before the index), its "daily AQI" at each hour the AQI of the
 * last 24 hours (lt_aqi_running) over PM2.5 and the other pollutants bg
 * gives (NULL, or bg[p] NULL: not counted): bg[LT_POL_PM10] the coarse part
 * PM10 - PM2.5 added to the city's PM2.5, bg[LT_POL_SO2 .. LT_POL_O3] the
 * pollutants' hourly values (CO mg m-3). The daily station, county and city
 * values here are PM2.5's. rules may be NULL (no alerts). Returns 0, or -1
 * when out of memory. */
int lt_assess(lt_assessment *a, const lt_aqi_table *t, const lt_alert_rules *rules,
              int lead_hours, const double *st, size_t nh, size_t nst, double start_s,
              const double *const *bg);

/* County values: county_of[k] (0..ncounty-1) is station k's county. Call after
 * lt_assess. Returns 0, or -1 when out of memory. */
int lt_assess_counties(lt_assessment *a, const lt_aqi_table *t, const int *county_of,
                       size_t ncounty);

void lt_assessment_free(lt_assessment *a);

#endif
