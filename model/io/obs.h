/* obs.h — air-quality observations from monitoring networks.
 *
 * Two layouts are read, told apart by their header:
 *  - the CNEMC national network's hourly archive, one CSV per hour for all
 *    stations (header timepoint,stationcode,longitude,latitude,area,
 *    positionname,...,pm2_5,pm2_5_24h,...). `timepoint` is China Standard
 *    Time and hour-ending: the row stamped 16:00 is the mean of 15:00-16:00.
 *    The archive's ozone columns are swapped: o3_24h holds the latest 1-h O3
 *    and o3 the maximum 1-h O3 of the last 24 h; o3_8h is the day's maximum
 *    8-h mean. The *_24h columns are running 24-h means, so only the rows
 *    stamped 00:00 give calendar-day means (of the day before); those are
 *    kept as daily values, all other rows' 24-h columns are ignored.
 *  - a long CSV with columns station,time,pollutant,value (optionally
 *    averaging = hour | day): time is the start of the averaging period, with
 *    a zone (Z, +08:00) or taken as China Standard Time without one.
 *
 *  - a station list (stationcode and any of positionname, city or area,
 *    longitude, latitude; CNEMC's stations.csv) gives the long files'
 *    stations their names, cities and positions.
 *
 * Inside, every value is stamped with the start of its hour (or local day)
 * in UTC seconds. Missing and negative values are counted and dropped; a
 * value given twice for the same station, pollutant and hour is counted and
 * the first one read is kept. */
#ifndef LT_OBS_H
#define LT_OBS_H

#include <stddef.h>

#include "core/lt_error.h"

enum {
    LT_OBS_PM25,
    LT_OBS_PM10,
    LT_OBS_SO2,
    LT_OBS_NO2,
    LT_OBS_CO,     /* mg m-3 */
    LT_OBS_O3,     /* hourly: the 1-h mean; daily: the day's maximum 1-h mean */
    LT_OBS_O3_8H,  /* daily only: the maximum 8-h moving mean (MDA8) */
    LT_OBS_NPOL
};

#define LT_OBS_UTC_OFFSET_H 8.0  /* China Standard Time */

/* "pm25", "pm10", "so2", "no2", "co", "o3", "o3_8h"; and its units. */
const char *lt_obs_pollutant_name(int pol);
const char *lt_obs_pollutant_units(int pol);
/* Index of a pollutant name (also "pm2_5", "pm2.5", "PM2.5"), or -1. */
int lt_obs_pollutant_index(const char *name);

typedef struct lt_obs_station {
    char code[32];      /* network code (CNEMC: 1462A) or the long file's station */
    char name[128];     /* position name, or "" */
    char city[64];      /* city (CNEMC's area column), or "" */
    double lon, lat;    /* NaN when the file gives none */
} lt_obs_station;

typedef struct lt_obs_counts {
    size_t files, rows;         /* data rows read */
    size_t values;              /* values kept */
    size_t hourly, daily;       /* of which hourly, daily */
    size_t missing;             /* empty or "NA" fields */
    size_t negative;            /* values below zero, dropped */
    size_t duplicates;          /* station-pollutant-times given again (first kept) */
    size_t conflicting;         /* of the duplicates, those with another value */
} lt_obs_counts;

typedef struct lt_obs lt_obs;

int lt_obs_create(lt_obs **obs, lt_error *err);
void lt_obs_free(lt_obs **obs);

/* Reads one file, or every *.csv under a folder (recursively, in name
 * order). A malformed file is an error naming the file, line and field. */
int lt_obs_read(lt_obs *obs, const char *path, lt_error *err);

/* Sorts the values and drops duplicates; call after the last read and before
 * any lookup. */
int lt_obs_finish(lt_obs *obs, lt_error *err);

size_t lt_obs_nstations(const lt_obs *obs);
const lt_obs_station *lt_obs_station_at(const lt_obs *obs, size_t i);
/* Index of the station with this code, or -1. */
long lt_obs_find_station(const lt_obs *obs, const char *code);
lt_obs_counts lt_obs_counts_of(const lt_obs *obs);
/* First and last hour start (UTC s) of any value; NaN when empty. */
void lt_obs_period(const lt_obs *obs, double *first_s, double *last_s);
/* 1 when some value of pollutant pol exists. */
int lt_obs_has(const lt_obs *obs, int pol);

/* The hourly value of station st for the hour starting at t_s (UTC), or NaN. */
double lt_obs_hourly(const lt_obs *obs, size_t st, int pol, double t_s);

/* The daily value of station st for the local (CST) day starting at
 * day_start_s: the network's published daily value when there is one, else
 * the mean of the day's hourly values (the maximum for O3) when at least
 * min_hours are present (GB 3095-2012 asks 20), else NaN. *published says
 * which (may be NULL). */
double lt_obs_daily(const lt_obs *obs, size_t st, int pol, double day_start_s, int min_hours,
                    int *published);

#endif
