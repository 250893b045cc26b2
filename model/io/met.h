/* met.h — hourly meteorology as the weather researchers have it.
 *
 * Formats ([met] format): cf — a CF NetCDF file on a regular or irregular
 * lon/lat grid or a projected x/y grid, variables found by lantian's name,
 * by the names ERA5 and others use (t2m, blh, zust, sshf, tcc, tp, ssrd ...)
 * or by CF standard_name, converted from their units with udunits (and the
 * aliases of io/units.c); wrf — wrfout files read directly; station — a CSV
 * of hourly surface observations; aermet — AERMET's .SFC (and .PFL) files.
 *
 * Every hour of a run is sampled at its start. Records need not be hourly:
 * an hour between two records less than [met] max_gap_hours apart is
 * interpolated linearly in time (amounts over an interval, such as rain
 * from WRF's accumulations or ERA5's tp, take the interval's mean rate). A
 * file without u*, 1/L or the mixing height has them diagnosed, point by
 * point and hour by hour, by the preprocessor of physics/surface.c (as
 * AERMET does), from the wind, temperature, cloud cover or measured
 * shortwave radiation or sensible heat flux, the time and place, and the
 * surface's roughness, albedo and Bowen ratio. Values between grid points
 * are bilinear; the grid must cover the domain (the case checks). */
#ifndef LT_MET_H
#define LT_MET_H

#include <stddef.h>

#include "core/lt_error.h"

/* The heights above ground (m) of the winds aloft a file may give: wrfout's
 * U, V on mass levels (destaggered, rotated to east/north, interpolated
 * linearly in height), or a CF file's u_z25 ... v_z4000. */
#define LT_MET_NZ 10
extern const double lt_met_z[LT_MET_NZ];

/* One point's weather in one hour, in lantian's units. */
typedef struct lt_met_point {
    double u10, v10;   /* m s-1, eastward / northward, at the met's wind height */
    double t2;         /* K */
    double pblh;       /* m */
    double ust;        /* m s-1 */
    double rmol;       /* m-1, 1/L */
    double hfx;        /* W m-2 (NaN if absent) */
    double rain;       /* mm h-1 (0 if absent) */
    double rh;         /* % (NaN if absent) */
    double cloud;      /* 0-1 (NaN if absent) */
    double sigma_theta;/* degrees, standard deviation of the wind direction (NaN if absent) */
    int aloft;         /* 1: uz, vz hold the winds at lt_met_z (else NaN) */
    double uz[LT_MET_NZ], vz[LT_MET_NZ]; /* m s-1, eastward / northward */
} lt_met_point;

typedef struct lt_met lt_met;

/* Formats of [met] format. */
enum { LT_MET_CF = 0, LT_MET_WRF = 1, LT_MET_STATION = 2, LT_MET_AERMET = 3 };

/* How to read the weather: [met] keys and what the preprocessor needs. */
typedef struct lt_met_options {
    const char *path;          /* a file; for wrf, files separated by commas */
    int format;                /* LT_MET_* */
    const char *map;           /* cf: "lantian:file[:factor], ..." (NULL or "": none) */
    const char *profile;       /* aermet: the .PFL file (NULL or "": none) */
    double wind_height_m;      /* the height of the wind the run uses */
    double z0_m, albedo, bowen;  /* the surface, for the preprocessor */
    double theta_gradient;     /* K/m above the convective layer, for its growth */
    double max_gap_h;          /* records farther apart are not interpolated */
    double station_lon, station_lat; /* station: where it is (NaN: the caller must say) */
    double utc_offset_h;       /* aermet: its local standard time (NaN: from the longitude) */
} lt_met_options;

/* The defaults: 10 m wind, z0 0.1 m, albedo 0.2, Bowen ratio 1, 0.005 K/m,
 * records at most 6 h apart. */
void lt_met_options_default(lt_met_options *o);

int lt_met_open_opts(lt_met **met, const lt_met_options *opt, lt_error *err);

/* A CF file (map as in lt_met_options), or a comma-separated list of wrfout
 * files with LT_MET_WRF; the defaults otherwise. */
int lt_met_open_ex(lt_met **met, const char *path, int format, const char *map, lt_error *err);
int lt_met_open(lt_met **met, const char *path, lt_error *err);
void lt_met_close(lt_met **met);

size_t lt_met_ntimes(const lt_met *m);
int lt_met_nlon(const lt_met *m);
int lt_met_nlat(const lt_met *m);
double lt_met_time(const lt_met *m, size_t k); /* seconds since the epoch */
/* A comma-separated list of the optional variables found. */
const char *lt_met_optional_found(const lt_met *m);
const char *lt_met_path(const lt_met *m);

/* What was read and how: the format, the records' spacing and interpolation,
 * the fields diagnosed (one line, for the summary and the output). */
const char *lt_met_description(const lt_met *m);

/* Warnings about the file, one per line ("" when none): an optional field
 * that cannot be used and is ignored, a stable hour's cloud cover assumed. */
const char *lt_met_warnings(const lt_met *m);

/* 1 when the run has the variable of lantian's name (u10, rmol, cloud ...),
 * read or diagnosed; lt_met_diagnosed: diagnosed. */
int lt_met_has(const lt_met *m, const char *name);
/* The name in the file of a variable read ("" for others). */
const char *lt_met_varname(const lt_met *m, const char *name);
int lt_met_diagnosed(const lt_met *m, const char *name);

/* Checks that every hour start_s + h*3600, h = 0..hours-1, has a record or
 * lies between two records at most max_gap_h apart; the error names the
 * first hour that does not. */
int lt_met_check_coverage(const lt_met *m, double start_s, int hours, lt_error *err);

/* How far lon/lat lies outside the met grid, in the grid's units (degrees of
 * a lon/lat grid, metres of a projected one; *units says which): 0 inside or
 * within half a grid spacing of the edge. An axis of one point (a station's
 * weather) covers everything along it. */
double lt_met_outside(const lt_met *m, double lon, double lat, const char **units);

/* The grid's extent for messages: "107.60-109.23 E, 34.20-35.50 N" or the
 * projected x/y range. */
void lt_met_extent(const lt_met *m, char *buf, size_t n);

/* The weather of the hour at t_s into memory: the record at t_s, or the two
 * around it interpolated; values checked (no fill values, NaN or
 * out-of-range numbers); missing fields diagnosed. */
int lt_met_load(lt_met *m, double t_s, lt_error *err);

/* The loaded hour's weather at lon/lat. */
void lt_met_sample(const lt_met *m, double lon, double lat, lt_met_point *out);

/* The wind at z_m above ground from p's winds aloft: linear in height
 * between lt_met_z levels, between the wind_height_m wind (u10, v10) and
 * the lowest level below it, the top level's above; 0 when p has none. */
int lt_met_wind_at(const lt_met_point *p, double wind_height_m, double z_m, double *u, double *v);

#endif
