/* output.h — the CF-1.8 / ACDD-1.3 NetCDF-4 file of a run.
 *
 * Written under a temporary name beside the final one and renamed only by
 * lt_output_commit, so a failed run leaves no partial file. */
#ifndef LT_OUTPUT_H
#define LT_OUTPUT_H

#include <stddef.h>

#include "assess.h"
#include "domain.h"
#include "inventory.h"
#include "lt_error.h"
#include "regions.h"

/* Everything the file's definition needs. */
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
    const lt_aqi_table *aqi;     /* NULL: no daily assessment variables */
    const lt_alert_rules *alert; /* NULL: no alert_level */
    const lt_regions *regions;   /* NULL: no region raster */
    const int *cell_region;
    size_t ncounties;            /* county variables (need aqi) */
    const char *const *county_names;
    int nscenarios;              /* scenario variables (need aqi) */
    const char *const *scenario_names;
    double utc_offset_h;         /* local days (without aqi rules) */
    size_t nsrc_counties;        /* county tags of the sources (source_county) */
    const char *const *src_county_names;
    int ncomp;                   /* 1: PM2.5 only; LT_NCOMP (plume) or LT_NCOMP_GRID components */
    int average_src, average_county, average_components; /* LT_AVG_* */
    int solver;                  /* LT_SOLVER_*: grid and hybrid add the budget */
    int grid_nx, grid_ny, grid_nz;
    double grid_dx_m, grid_top_m;
    int zero_out;                /* station_pm25_zero_out and station_pm25_tagged_grid */
} lt_output_spec;

/* The averaged grid fields: pm25_src, pm25_county, the components. */
enum { LT_FIELD_SRC = 0, LT_FIELD_COUNTY = 1, LT_FIELD_COMP = 2 };

typedef struct lt_output lt_output;

int lt_output_create(lt_output **out, const lt_output_spec *spec, lt_error *err);

/* Writes hours [h0, h0+nh): arrays in C order pm25[nh][ny][nx],
 * st[nh][nstations], st_src[nh][ntags][nstations],
 * st_split[nh][ntags][nsrc_counties][nstations], st_comp[nh][ncomp][nstations]
 * and st_comp_src[nh][ncomp][ntags][nstations] (ignored without components),
 * calm[nh] (calm source count per hour). */
int lt_output_write(lt_output *o, int h0, int nh, const float *pm25, const float *st,
                    const float *st_src, const float *st_split, const float *st_comp,
                    const float *st_comp_src, const int *calm, lt_error *err);

/* The index along field's time axis (hour, local day or period) of hour h. */
int lt_output_field_index(const lt_output *o, int field, int h);

/* Writes nt steps from t0 of an averaged field: data[nt][nlev][ny][nx] with
 * nlev = ntags, nsrc_counties or 4 components. */
int lt_output_write_field(lt_output *o, int field, int t0, int nt, const float *data, lt_error *err);

/* Writes the daily assessment (the file must have been created with spec.aqi). */
int lt_output_write_assessment(lt_output *o, const lt_assessment *a, lt_error *err);

/* Period means: s = -1 writes the baseline pm25_mean(y, x); s >= 0 writes
 * scenario s: scenario_pm25_mean, its station series per tag st_src[hour][tag][station]
 * (and their sum) and its daily assessment a. */
int lt_output_write_means(lt_output *o, int s, const double *mean, const float *st_src,
                          const lt_assessment *a, lt_error *err);

/* The grid model's mass budget, budget[species * LT_GB_N + term] in kg
 * (grid.h); nothing without the grid model. */
int lt_output_write_budget(lt_output *o, const double *budget, lt_error *err);

/* The zero-out comparison at stations, [hour][tag][station] for the whole
 * run (spec.zero_out). */
int lt_output_write_zero_out(lt_output *o, const float *zo, const float *tagged, lt_error *err);

/* Checkpoints: the file written so far copied to dest (synced first; the
 * copy is made under a temporary name and renamed); and, on restart, every
 * variable of a copy written back into a newly created file. */
int lt_output_snapshot(lt_output *o, const char *dest, lt_error *err);
int lt_output_restore(lt_output *o, const char *from, lt_error *err);

/* The file being written until commit renames it (OUTPUT.partPID). */
const char *lt_output_partial_path(const lt_output *o);

/* Adds a global attribute (text) before commit, e.g. run statistics. */
int lt_output_note(lt_output *o, const char *name, const char *value, lt_error *err);

/* Closes the file and renames it to its final name. Frees o. */
int lt_output_commit(lt_output **o, lt_error *err);

/* Closes and deletes the temporary file. Frees o. Safe with NULL. */
void lt_output_abort(lt_output **o);

#endif
