/* met_impl.h — the body of lt_met, shared by the common layer (met.c: times,
 * interpolation, checks, the preprocessor, sampling) and the readers that
 * produce each record's fields (met_cf.c, met_wrf.c, met_point.c). */
#ifndef LT_MET_IMPL_H
#define LT_MET_IMPL_H

#include <netcdf.h>
#include <proj.h>
#include <stddef.h>

#include "io/met.h"

/* lantian's meteorological variables. */
enum { V_U10, V_V10, V_T2, V_PBLH, V_UST, V_RMOL, V_HFX, V_RAIN, V_RH, V_CLOUD, V_SIGTH, V_SWDOWN, V_PSFC,
       V_UZ0, V_VZ0 = V_UZ0 + LT_MET_NZ, NVARS = V_VZ0 + LT_MET_NZ }; /* V_UZ0 + l: the wind at lt_met_z[l] */

typedef struct var_def {
    const char *name;
    const char *standard_name; /* NULL: none in the CF table */
    const char *units;         /* lantian's units */
    int required;              /* u10, v10, t2: the others are optional or diagnosed */
    double lo, hi;             /* plausible range, in lantian's units */
} var_def;

extern const var_def lt_met_vars[NVARS];

/* A reader: the raw fields of record k (lantian's units, nlat*nlon values
 * each, for the variables m->has) into out[v]; a description of where record
 * k comes from, for messages. */
typedef struct met_reader {
    int (*fetch)(lt_met *m, size_t k, float *const *out, lt_error *err);
    const char *(*where)(const lt_met *m, size_t k);
    void (*close)(lt_met *m);
} met_reader;

#define MET_CACHE 3 /* records kept fetched */

struct lt_met {
    char *path;
    const met_reader *rd;
    void *rs;              /* the reader's own state */
    lt_met_options opt;
    /* the grid: axes in degrees, or metres on a projected grid with pj */
    int nlon, nlat;
    double *lon, *lat;
    double *plon, *plat;   /* [nlat*nlon] each point's longitude and latitude */
    PJ_CONTEXT *pjc;
    PJ *pj;                /* lon/lat (degrees) -> grid x/y (m) */
    /* the records */
    size_t nt;
    double *t;             /* seconds since the epoch, increasing */
    int has[NVARS];        /* in the file */
    int derived[NVARS];    /* diagnosed by the preprocessor */
    int interval[NVARS];   /* an amount over the interval ending at its record (rain from accumulations) */
    char varname[NVARS][NC_MAX_NAME + 1];
    struct met_rec {
        long k;            /* -1: empty */
        float *v[NVARS];
    } cache[MET_CACHE];
    int cache_next;
    /* the loaded hour */
    double loaded_t;
    float *slab[NVARS];
    /* the preprocessor's convective mixing height: per point, at zic_t */
    float *zic;
    double zic_t;
    float *scratch[NVARS]; /* a second hour's fields, for the preprocessor's history */
    char optional[200];
    char description[400];
    char warnings[1024];
    /* CF files */
    int ncid;
    int varid[NVARS];
    int vdims[NVARS];      /* dimensions of the variable; 2 = no time dimension */
    int vtime_pos[NVARS];  /* the position of the time dimension (-1: none) */
    double scale[NVARS], offset[NVARS], fill[NVARS], pack_scale[NVARS], pack_offset[NVARS];
    int has_fill[NVARS];
    float *ahead[NVARS];
    size_t ahead_cap, ahead_k0, ahead_n;
    /* wrfout files */
    int nfiles;
    int *ncids;
    char **paths;
    size_t *rec_file, *rec_index;
    float *work, *cosa, *sina;
    int wrf_rain_acc, wrf_q2;
    /* point weather (station CSV, AERMET): values per record [k][v] */
    float *pointv;
};

/* The readers' open functions: fill the grid, the records and m->has. */
int lt_met_open_cf(lt_met *m, lt_error *err);
int lt_met_open_wrf(lt_met *m, lt_error *err);
int lt_met_open_station(lt_met *m, lt_error *err);
int lt_met_open_aermet(lt_met *m, lt_error *err);

/* How a wrfout file's coordinates and rotation were laid out ("" for others). */
const char *lt_met_wrf_layout(const lt_met *m);

/* Each grid point's longitude and latitude (m->plon, m->plat) from the axes,
 * through PROJ for a projected grid. */
void lt_met_point_places(lt_met *m);

/* Adds a warning (one line) to the met's list. */
void lt_met_warn(lt_met *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Allocates m->lon, m->lat for nlon x nlat and the point arrays; for a lon/lat
 * grid fills plon/plat from the axes (projected grids fill them themselves). */
int lt_met_alloc_grid(lt_met *m, lt_error *err);

#endif
