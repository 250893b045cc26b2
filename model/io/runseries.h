/* runseries.h — a finished run's hourly station series, read back from its
 * stations file (RUN_stations.nc, written beside RUN.nc) for evaluation
 * against observations and for observation-anchored scenarios. */
#ifndef LT_RUNSERIES_H
#define LT_RUNSERIES_H

#include <stddef.h>

#include "core/lt_error.h"

#define LT_RS_LABEL 64

typedef struct lt_rs_station {
    char id[LT_RS_LABEL], name[LT_RS_LABEL], county[LT_RS_LABEL], code[LT_RS_LABEL], city[LT_RS_LABEL];
    double lon, lat;
} lt_rs_station;

typedef struct lt_run_series {
    char path[4096];        /* the stations file read */
    size_t nt, nst, nscen;
    double *t_start;        /* [nt] start of each hour, UTC s */
    lt_rs_station *st;      /* [nst] */
    double *pm25;           /* [nt][nst] total PM2.5, ug m-3 (NaN: fill) */
    char (*scen)[LT_RS_LABEL];  /* [nscen] scenario names */
    double *scen_pm25;      /* [nt][nscen][nst], or NULL */
    char aqi_rules[LT_RS_LABEL];  /* the run's AQI rule set (its name), or "" */
    size_t ntag;                  /* source tags (sectors, own sources, background) */
    char (*tag)[LT_RS_LABEL];     /* [ntag] */
    double *src;                  /* [nt][ntag][nst] station_pm25_src, or NULL */
    double *scen_src;             /* [nt][nscen][ntag][nst] scenario_station_pm25_src, or NULL */
} lt_run_series;

/* Reads run (RUN.nc, RUN_daily.nc, RUN_period.nc or RUN_stations.nc: the
 * stations file beside it is used). Errors name the file and the variable. */
int lt_run_series_read(const char *run, lt_run_series *rs, lt_error *err);
void lt_run_series_free(lt_run_series *rs);

/* The run's stem: RUN.nc, RUN_daily.nc, RUN_period.nc, RUN_stations.nc -> RUN
 * (a name without those endings is its own stem); -1 when out is too small. */
int lt_run_stem(const char *run, char *out, size_t n);

/* The origin of a file's time axis ("hours since Y-M-D h:m:s", UTC) in
 * seconds since the epoch; 0 when the file has no such axis, else 1. */
int lt_nc_time_origin(int ncid, double *origin_s);

#endif
