/* output.h — the CF-1.8 / ACDD-1.3 NetCDF-4 file of a run: its frame, and the
 * few calls the products use to put their variables into it.
 *
 * A run writes up to three files, each with its own time axis named time:
 * OUTPUT.nc (hours), OUTPUT_daily.nc (local calendar days) and
 * OUTPUT_period.nc (the whole run); and, with stations, OUTPUT_stations.csv
 * and OUTPUT_stations.nc (a CF discrete-sampling timeSeries file) made from
 * the hourly file at commit. The frame is what every file has: the time
 * axis with bounds, the projected grid with lat/lon and its crs, the
 * stations, the tag labels (source, source_county), the county raster, and
 * the global attributes of provenance. Everything else (maps, station series, the
 * assessment, scenarios, budgets) is defined and written by the products of
 * the run (model/products/), each through these calls:
 *
 *   lt_output_create       the frame, in define mode
 *   (products define their variables: lt_output_def_float, lt_output_atts,
 *    lt_output_def_labels, or netCDF calls on lt_output_ncid)
 *   lt_output_begin_data   leaves define mode and writes the frame's values
 *   (products write: lt_output_put_hours for hourly maps, netCDF calls)
 *   lt_output_commit       closes, renames the file and its side files
 *
 * The file is written under a temporary name beside the final one
 * (OUTPUT.partPID) and renamed only by lt_output_commit, so a failed run
 * leaves no partial file; side files (CSV tables beside the output) are
 * renamed with it. */
#ifndef LT_OUTPUT_H
#define LT_OUTPUT_H

#include <stddef.h>

#include "core/lt_error.h"
#include "core/lt_temp.h"
#include "io/domain.h"
#include "io/inventory.h"
#include "io/regions.h"

/* Everything the frame needs. Pointers must stay valid until commit. */
typedef struct lt_output_spec {
    const char *path;            /* final file name */
    const lt_domain *domain;
    double start_s;              /* run start, seconds since the epoch */
    int hours;
    int ntags;
    const char *const *tag_names;
    const lt_station *stations;
    size_t nstations;
    int deflate;                 /* 0-9 */
    int significant_digits;      /* 0: full precision */
    const char *config_text;     /* resolved configuration */
    const char *command_line;
    const char *config_path;
    const char *version;
    const char *curves;          /* dispersion curve set, for the metadata */
    double day_utc_offset_h;     /* local calendar days of the day axis */
    const lt_regions *regions;   /* NULL: no region raster */
    const int *cell_region;
    size_t nsrc_counties;        /* county tags of the sources (source_county) */
    const char *const *src_county_names;
    int solver;                  /* LT_SOLVER_* (config.h), for the metadata */
    int grid_nx, grid_ny, grid_nz;
    double grid_dx_m, grid_top_m;
    lt_tempfiles *temp_files;    /* where the temporary names are registered (NULL: nowhere) */
} lt_output_spec;

typedef struct lt_output lt_output;

/* The files of a run, each with its own time axis named time (so that CDO
 * and NCO take it for one): hours (OUTPUT.nc), local calendar days
 * (OUTPUT_daily.nc) and the whole run (OUTPUT_period.nc). The hourly file is
 * always written; the other two when a product asks for them. */
enum { LT_OUT_HOURLY = 0, LT_OUT_DAILY = 1, LT_OUT_PERIOD = 2, LT_OUT_NFILES = 3 };

int lt_output_create(lt_output **out, const lt_output_spec *spec, lt_error *err);

/* --- defining (before lt_output_begin_data) --- */

/* The netCDF id of the hourly file, for products' own nc_ calls. */
int lt_output_ncid(const lt_output *o);

/* The netCDF id of file which (LT_OUT_*), created with its frame the first
 * time a product asks for it (while defining only). */
int lt_output_file(lt_output *o, int which, int *ncid, lt_error *err);

/* What the daily and period files add to the output's name ("_daily.nc",
 * "_period.nc"; "" for the hourly file). */
const char *lt_output_file_suffix(int which);

/* The id of a frame dimension of the hourly file (lt_output_dim) or of file
 * which (lt_output_dim_of, once open): time, nv, y, x, source,
 * source_county, station, strlen, region, or a products' label dimension;
 * -1 for any other name. Every file's time axis is called time. */
int lt_output_dim(const lt_output *o, const char *name);
int lt_output_dim_of(const lt_output *o, int which, const char *name);

/* A label dimension dim of n entries with its label variable var(dim,
 * strlen) (long_name; UTF-8 text), defined once in every file (now and
 * opened later): a second call with the same dim returns the first one's
 * id. The returned id is the hourly file's (lt_output_dim_of gives the
 * others). The names are copied and written by lt_output_begin_data.
 * Before the data, every label variable is added to the coordinates of the
 * variables with its dimension, so xarray and CDO attach it. */
int lt_output_def_labels(lt_output *o, const char *dim, const char *var, const char *long_name, size_t n,
                         const char *const *names, int *dimid, lt_error *err);

/* A float data variable of the hourly file (lt_output_def_float) or of file
 * which, chunked as given, compressed and quantized as the run asks
 * ([output] deflate, significant_digits; bit-rounded by
 * lt_output_put_floats and lt_output_put_hours, and said so by CF-1.11's
 * quantization attributes). */
int lt_output_def_float(lt_output *o, const char *name, int nd, const int *dims, const size_t *chunks,
                        int *varid, lt_error *err);
int lt_output_def_float_in(lt_output *o, int which, const char *name, int nd, const int *dims,
                           const size_t *chunks, int *varid, lt_error *err);

/* A float series at the stations: lt_output_def_float plus the attributes
 * every station series has (hourly means in ug m-3 at the stations). */
int lt_output_def_station_float(lt_output *o, const char *name, int nd, const int *dims,
                                const size_t *chunks, const char *long_name, int *varid, lt_error *err);

/* Text attributes of varid (NC_GLOBAL for the file's) of the hourly file or
 * of file which: name, value pairs ending with NULL. */
int lt_output_atts(lt_output *o, int varid, lt_error *err, ...);
int lt_output_atts_in(lt_output *o, int which, int varid, lt_error *err, ...);

/* The chunk shape products use: hours per chunk, cells along y and x, and
 * stations (at least 1). */
void lt_output_chunking(const lt_output *o, size_t *ct, size_t *cy, size_t *cx, size_t *cs);

/* --- writing --- */

/* Leaves define mode and writes the frame's coordinates and every label. */
int lt_output_begin_data(lt_output *o, lt_error *err);

/* Hours [h0, h0 + nh) of an hourly map varid (time, [level,] y, x): nlev
 * levels of ny x nx cells, the value of hour t, level l, cell (y, x) at
 * data[t * tstride + l * ny * nx + y * nx + x]. Whole chunks in time are
 * shuffled and deflated on every thread and stored as chunks (outchunks.c);
 * anything else goes through netCDF at once. */
int lt_output_put_hours(lt_output *o, int varid, int h0, int nh, int nlev, size_t tstride, const float *data,
                        lt_error *err);

/* Values of a float variable through netCDF: the hyperslab start/count
 * (NULL, NULL: the whole variable), bit-rounded first when the run quantizes
 * it ([output] significant_digits). Products write their floats with it. */
int lt_output_put_floats(lt_output *o, int varid, const size_t *start, const size_t *count, const float *data,
                         lt_error *err);
int lt_output_put_floats_in(lt_output *o, int which, int varid, const size_t *start, const size_t *count,
                            const float *data, lt_error *err);

/* The local days of the daily file's time axis: their number, the start of the first (UTC
 * seconds), and the day holding hour h of the run. */
size_t lt_output_ndays(const lt_output *o);
double lt_output_day0(const lt_output *o);
int lt_output_day_of_hour(const lt_output *o, int h);

/* The error of a failed netCDF call: "PATH: writing the output: REASON (at
 * FILE:LINE)". Returns its code. */
int lt_output_fail(const lt_output *o, int status, const char *file, int line, lt_error *err);

/* Runs a netCDF call and returns its error from the calling function. */
#define LT_NC(o, err, call)                                                     \
    do {                                                                        \
        int lt_nc_st_ = (call);                                                 \
        if (lt_nc_st_ != 0)                                                     \
            return lt_output_fail((o), lt_nc_st_, __FILE__, __LINE__, (err));   \
    } while (0)

/* A file beside the output, OUTPUT-without-.nc + suffix (e.g.
 * "_scenarios.csv"): *final is its name, *tmp the name to write it under; it
 * is renamed at commit and deleted if the run fails. The names belong to o. */
int lt_output_side_file(lt_output *o, const char *suffix, const char **final, const char **tmp, lt_error *err);

/* Adds a global attribute (text) at any time before commit. */
int lt_output_note(lt_output *o, const char *name, const char *value, lt_error *err);

/* Checkpoints: the files written so far copied to dest (synced first; the
 * copy is made under a temporary name and renamed): the hourly file as it
 * is, the daily and period files as its groups "daily" and "period"; and,
 * on restart, every variable of a copy written back into the new files. */
int lt_output_snapshot(lt_output *o, const char *dest, lt_error *err);
int lt_output_restore(lt_output *o, const char *from, lt_error *err);

/* The file being written until commit renames it (OUTPUT.partPID). */
const char *lt_output_partial_path(const lt_output *o);

/* Closes the file and renames it and its side files to their final names.
 * Frees o. */
int lt_output_commit(lt_output **o, lt_error *err);

/* Closes and deletes the temporary files. Frees o. Safe with NULL. */
void lt_output_abort(lt_output **o);

#endif
