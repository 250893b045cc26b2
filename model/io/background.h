/* background.h — the [background] file: the regional concentrations the
 * run's own sources add to, hour by hour.
 *
 * A CSV with a column time (ISO 8601 UTC, the start of the hour) and
 *   pm25 (or pm25_ugm3, the old layout), required with a value every hour;
 *   pm10, so2, no2, co, o3: optional, ug/m3 (CO mg/m3), empty = missing hour;
 *   so4, no3, nh4, om, ec, other: PM2.5's components (ug/m3), all six or
 *     none, a value every hour, summing to pm25 within 1 % (or 0.05 ug/m3
 *     when pm25 is below 5: the rounding of six numbers);
 *   station: optional; then one row per station and hour, each station
 *     needing every hour of the run (the case matches the values to its
 *     stations by code or id).
 * Any other column, a negative or absurd value, PM10 below PM2.5, a row
 * given twice or an hour missing is an error naming the file, the line, the
 * column and the value. */
#ifndef LT_BACKGROUND_H
#define LT_BACKGROUND_H

#include <stddef.h>

#include "core/lt_error.h"

/* The pollutants of China's AQI, in this order. */
#define LT_BG_NCOL 6
/* PM2.5's components, after them (column LT_BG_NCOL + LT_BGC_*). */
enum { LT_BGC_SO4 = 0, LT_BGC_NO3, LT_BGC_NH4, LT_BGC_OM, LT_BGC_EC, LT_BGC_OTHER, LT_BGC_N };
#define LT_BG_NALL (LT_BG_NCOL + LT_BGC_N)

/* The columns' names: pm25 pm10 so2 no2 co o3 so4 no3 nh4 om ec other. */
extern const char *const lt_bg_names[LT_BG_NALL];

typedef struct lt_bgfile {
    int hours;
    size_t nsites;         /* stations of the station column; 1 without it */
    int by_station;        /* the file has a station column */
    char (*site)[32];      /* [nsites] its values ("" without the column) */
    int *site_line;        /* [nsites] the line each first appears on */
    int present[LT_BG_NALL];
    int components;        /* the six components are given */
    double *v;             /* [(col * nsites + site) * hours + h]; NaN: missing or absent */
} lt_bgfile;

/* Reads path for the hours start_s + 3600 h, h < hours (rows for other
 * hours are ignored). On error *bg holds nothing. */
int lt_bgfile_read(const char *path, double start_s, int hours, lt_bgfile *bg, lt_error *err);
void lt_bgfile_free(lt_bgfile *bg);

/* Column col (0..LT_BG_NALL-1) of site s: hours values. */
const double *lt_bgfile_series(const lt_bgfile *bg, int col, size_t s);

#endif
