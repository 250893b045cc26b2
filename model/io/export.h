/* export.h — a run's output for GIS: a map variable as a GeoTIFF in the
 * run's projection (GDAL), and the county results as GeoJSON (the county
 * polygons with the run's values per county). Reads the run's files
 * (OUTPUT.nc and, for daily or whole-run variables, OUTPUT_daily.nc and
 * OUTPUT_period.nc beside it); writes under a temporary name and renames,
 * so a failure leaves nothing. */
#ifndef LT_EXPORT_H
#define LT_EXPORT_H

#include <stddef.h>

#include "core/lt_error.h"

typedef struct lt_export_geotiff_opts {
    const char *run;     /* OUTPUT.nc of a run */
    const char *var;     /* a variable whose last dimensions are (y, x) */
    const char *time;    /* NULL: every time step a band; else an index or an ISO 8601 time */
    const char *level;   /* the label (or index) along a label dimension (source, scenario, ...) */
    const char *out;     /* NULL: OUTPUT_VAR[_LEVEL][_TIME].tif */
} lt_export_geotiff_opts;

typedef struct lt_export_result {
    char path[4200];     /* the file written */
    char from[4200];     /* the run file the variable was read from */
    int bands, nx, ny;   /* GeoTIFF: bands and size; GeoJSON: features in bands */
    int matched;         /* GeoJSON: features with a county of the run */
} lt_export_result;

int lt_export_geotiff(const lt_export_geotiff_opts *o, lt_export_result *r, lt_error *err);

typedef struct lt_export_counties_opts {
    const char *run;       /* OUTPUT.nc of a run with [domain] counties */
    const char *counties;  /* NULL: the run's [domain] counties file */
    const char *property;  /* NULL: the run's [domain] county_property */
    const char *out;       /* NULL: OUTPUT_counties.geojson */
} lt_export_counties_opts;

int lt_export_counties(const lt_export_counties_opts *o, lt_export_result *r, lt_error *err);

#endif
