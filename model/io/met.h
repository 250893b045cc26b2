/* met.h — hourly meteorology from a CF NetCDF file.
 *
 * Variables (time, lat, lon) on a regular or irregular lon/lat grid given by
 * 1-D coordinate variables; 1x1 (one station's weather) and larger grids work.
 * Each variable is found by its name or, failing that, by its CF
 * standard_name, and converted from its units attribute to lantian's units
 * with udunits. Values between grid points are bilinear; outside the grid the
 * nearest edge value is used. */
#ifndef LT_MET_H
#define LT_MET_H

#include <stddef.h>

#include "core/lt_error.h"

/* One point's weather in one hour, in lantian's units. */
typedef struct lt_met_point {
    double u10, v10;   /* m s-1, eastward / northward */
    double t2;         /* K */
    double pblh;       /* m */
    double ust;        /* m s-1 */
    double rmol;       /* m-1, 1/L */
    double hfx;        /* W m-2 (NaN if absent) */
    double rain;       /* mm h-1 (0 if absent) */
    double rh;         /* % (NaN if absent) */
    double cloud;      /* 0-1 (NaN if absent) */
    double sigma_theta;/* degrees, standard deviation of the wind direction (NaN if absent) */
} lt_met_point;

typedef struct lt_met lt_met;

int lt_met_open(lt_met **met, const char *path, lt_error *err);

/* Formats of [met] format. */
enum { LT_MET_CF = 0, LT_MET_WRF = 1 };

/* Opens meteorology of the given format: LT_MET_CF, a CF file whose
 * variables are found by lantian's names, by standard_name, or through map
 * ("u10:u10, t2:t2m, hfx:sshf:-2.7778e-4": lantian name, the file's name and
 * optionally a factor that replaces the unit conversion, e.g. for ERA5's
 * accumulated fields); LT_MET_WRF, a comma-separated list of wrfout files in
 * time order. */
int lt_met_open_ex(lt_met **met, const char *path, int format, const char *map, lt_error *err);
void lt_met_close(lt_met **met);

size_t lt_met_ntimes(const lt_met *m);
int lt_met_nlon(const lt_met *m);
int lt_met_nlat(const lt_met *m);
double lt_met_time(const lt_met *m, size_t k); /* seconds since the epoch */
/* A comma-separated list of the optional variables found. */
const char *lt_met_optional_found(const lt_met *m);
const char *lt_met_path(const lt_met *m);

/* 1 when the file has the variable of lantian's name (u10, rmol, cloud ...). */
int lt_met_has(const lt_met *m, const char *name);

/* Checks that a record exists for every hour start_s + h*3600, h = 0..hours-1;
 * the error names the first missing time. */
int lt_met_check_coverage(const lt_met *m, double start_s, int hours, lt_error *err);

/* How far lon/lat lies outside the met grid, in the grid's units (degrees of
 * a lon/lat grid, metres of a projected one; *units says which): 0 inside or
 * within half a grid spacing of the edge. An axis of one point (a station's
 * weather) covers everything along it. */
double lt_met_outside(const lt_met *m, double lon, double lat, const char **units);

/* The grid's extent for messages: "107.60-109.23 E, 34.20-35.50 N" or the
 * projected x/y range. */
void lt_met_extent(const lt_met *m, char *buf, size_t n);

/* Reads the record at time t_s into memory and checks its values (no fill
 * values, NaN or out-of-range numbers). */
int lt_met_load(lt_met *m, double t_s, lt_error *err);

/* The loaded hour's weather at lon/lat. */
void lt_met_sample(const lt_met *m, double lon, double lat, lt_met_point *out);

#endif
