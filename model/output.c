/* output.c — writing the run's CF NetCDF-4 file (see output.h and
 * ../docs/output.md for the layout). */
#include "output.h"

#include <hdf5.h>
#include <libdeflate.h>
#include <math.h>
#include <netcdf.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chem.h"
#include "config.h"
#include "grid.h"

#define STRLEN 64
#define MAX_JOBS 64 /* hourly blocks waiting to be deflated, at most */
#define PM25_STDNAME "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air"

struct lt_output {
    int ncid;
    char *path, *tmp;
    int ny, nx, ntags;
    size_t nst;
    int v_pm25, v_src, v_st, v_stsrc, v_calm;
    size_t ndays;    /* local days of the run (the day dimension) */
    int v_stday, v_staqi, v_cityday, v_cityaqi, v_citycat, v_alert;
    int nscen, hours;
    size_t ncounty;
    int v_cday, v_caqi;
    int v_mean, v_smean, v_sst, v_sstsrc, v_scityday, v_scityaqi, v_sstaqi, v_salert;
    int v_sstday, v_scitycat, v_scaqi;
    /* Apportionment and components (averaged per spec). */
    size_t nsrc_cty;
    int ncomp;
    int avg[3];                 /* LT_AVG_* of pm25_src, pm25_county, components */
    int v_cty, v_comp[LT_NCOMP_GRID], v_split, v_stcomp, v_stcs;
    int v_budget, v_zo, v_zotag;       /* grid model: budget, zero-out (-1: none) */
    double day0_s, start_s;
    /* Hourly fields compressed here, chunk by chunk on every thread, and
     * written as chunks through HDF5 (see put_hours). */
    int deflate, quantize;
    size_t ct, cy, cx;          /* chunk: hours, cells along y and x */
    size_t ty, tx;              /* chunks (tiles) of a map along y and x */
    hid_t h5file;               /* the file through HDF5 (-1: not opened yet) */
    hid_t h5var[8];             /* its datasets, by slot */
    int h5varid[8], nh5;        /* the netCDF variable of each slot */
    struct put_job {            /* blocks waiting to be deflated: copies */
        int varid, h0, nh, nlev;
        float *data;            /* [nh][nlev][ny][nx] */
    } jobs[MAX_JOBS];
    int njobs;
    long nchunks;               /* chunks in them */
};

#define NC(call)                                                                          \
    do {                                                                                  \
        int st_ = (call);                                                                 \
        if (st_ != NC_NOERR) {                                                            \
            rc = lt_error_set(err, LT_EIO, "%s: writing the output: %s (at %s:%d)", o->path, \
                              nc_strerror(st_), __FILE__, __LINE__);                      \
            goto fail;                                                                    \
        }                                                                                 \
    } while (0)

static int put_text(int ncid, int varid, const char *name, const char *value)
{
    return nc_put_att_text(ncid, varid, name, strlen(value), value);
}

static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

/* Defines a float data variable with compression and chunking. */
/* A CF time coordinate NAME(dim) with its bounds NAME_bnds(dim, nv), in units. */
static int def_time_axis(int ncid, const char *name, int dim, int d_nv, const char *long_name,
                         const char *units, int *var, int *bnds)
{
    char bname[64];
    snprintf(bname, sizeof bname, "%s_bnds", name);
    int dd[2] = {dim, d_nv}, st;
    if ((st = nc_def_var(ncid, name, NC_DOUBLE, 1, &dim, var)) ||
        (st = put_text(ncid, *var, "standard_name", "time")) ||
        (st = put_text(ncid, *var, "long_name", long_name)) || (st = put_text(ncid, *var, "units", units)) ||
        (st = put_text(ncid, *var, "calendar", "standard")) || (st = put_text(ncid, *var, "bounds", bname)) ||
        (st = nc_def_var(ncid, bname, NC_DOUBLE, 2, dd, bnds)) || (st = put_text(ncid, *bnds, "units", units)) ||
        (st = put_text(ncid, *bnds, "calendar", "standard")))
        return st;
    return NC_NOERR;
}

static int def_float(lt_output *o, const lt_output_spec *s, const char *name, int nd,
                     const int *dims, const size_t *chunks, int *varid)
{
    int st = nc_def_var(o->ncid, name, NC_FLOAT, nd, dims, varid);
    if (st)
        return st;
    if ((st = nc_def_var_chunking(o->ncid, *varid, NC_CHUNKED, chunks)))
        return st;
    if (s->deflate > 0 && (st = nc_def_var_deflate(o->ncid, *varid, 1, 1, s->deflate)))
        return st;
    if (s->significant_digits > 0 &&
        (st = nc_def_var_quantize(o->ncid, *varid, NC_QUANTIZE_BITGROOM, s->significant_digits)))
        return st;
    return NC_NOERR;
}

/* A float series at the stations: def_float plus the attributes every
 * station series has (hourly means in ug m-3 at the stations' positions). */
static int def_station_float(lt_output *o, const lt_output_spec *s, const char *name, int nd,
                             const int *dims, const size_t *chunks, const char *long_name, int *varid)
{
    int st;
    if ((st = def_float(o, s, name, nd, dims, chunks, varid)) ||
        (st = put_text(o->ncid, *varid, "long_name", long_name)) ||
        (st = put_text(o->ncid, *varid, "units", "ug m-3")) ||
        (st = put_text(o->ncid, *varid, "cell_methods", "time: mean")) ||
        (st = put_text(o->ncid, *varid, "coordinates", "station_lat station_lon station_name")))
        return st;
    return NC_NOERR;
}

static int put_string_var(int ncid, int varid, size_t n, const char *(*get)(const void *, size_t),
                          const void *ctx)
{
    char *buf = calloc(n ? n : 1, STRLEN);
    if (!buf)
        return NC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        strncpy(buf + i * STRLEN, get(ctx, i), STRLEN - 1);
    int st = n ? nc_put_var_text(ncid, varid, buf) : NC_NOERR;
    free(buf);
    return st;
}

static const char *tag_name(const void *ctx, size_t i) { return ((const char *const *)ctx)[i]; }
static const char *st_name(const void *ctx, size_t i) { return ((const lt_station *)ctx)[i].name; }
static const char *st_id(const void *ctx, size_t i) { return ((const lt_station *)ctx)[i].id; }
static const char *st_county(const void *ctx, size_t i) { return ((const lt_station *)ctx)[i].county; }

int lt_output_create(lt_output **out, const lt_output_spec *s, lt_error *err)
{
    *out = NULL;
    int rc = LT_OK;
    lt_output *o = calloc(1, sizeof *o);
    if (!o)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    o->ncid = -1;
    o->h5file = -1;
    o->path = strdup(s->path);
    size_t tl = strlen(s->path) + 32;
    o->tmp = malloc(tl);
    if (!o->path || !o->tmp) {
        lt_output_abort(&o);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    snprintf(o->tmp, tl, "%s.part%ld", s->path, (long)getpid());
    const lt_domain *d = s->domain;
    o->nx = lt_domain_nx(d);
    o->ny = lt_domain_ny(d);
    o->ntags = s->ntags;
    o->nst = s->nstations;

    int st = nc_create(o->tmp, NC_NETCDF4 | NC_CLOBBER, &o->ncid);
    if (st) {
        o->ncid = -1;
        rc = lt_error_set(err, LT_EIO, "%s: cannot create the output (as %s): %s", s->path, o->tmp,
                          nc_strerror(st));
        goto fail;
    }
    int d_time, d_nv, d_y, d_x, d_src, d_str, d_st;
    NC(nc_def_dim(o->ncid, "time", (size_t)s->hours, &d_time));
    NC(nc_def_dim(o->ncid, "nv", 2, &d_nv));
    NC(nc_def_dim(o->ncid, "y", (size_t)o->ny, &d_y));
    NC(nc_def_dim(o->ncid, "x", (size_t)o->nx, &d_x));
    NC(nc_def_dim(o->ncid, "source", (size_t)s->ntags, &d_src));
    NC(nc_def_dim(o->ncid, "station", s->nstations, &d_st));
    NC(nc_def_dim(o->ncid, "strlen", STRLEN, &d_str));

    char units[64], iso[32];
    lt_format_iso8601(s->start_s, iso, sizeof iso);
    {
        time_t t0 = (time_t)s->start_s;
        struct tm tm;
        gmtime_r(&t0, &tm);
        strftime(units, sizeof units, "hours since %Y-%m-%d %H:%M:%S", &tm);
    }
    int v_time, v_tb, v_x, v_y, v_lat, v_lon, v_crs, v_sname, v_stname, v_stid, v_stcounty,
        v_stlon, v_stlat, v_stx, v_sty;
    int dims[4];
    dims[0] = d_time;
    NC(def_time_axis(o->ncid, "time", d_time, d_nv, "middle of the averaging hour", units, &v_time, &v_tb));
    NC(put_text(o->ncid, v_time, "axis", "T"));

    NC(nc_def_var(o->ncid, "x", NC_DOUBLE, 1, &d_x, &v_x));
    NC(put_text(o->ncid, v_x, "standard_name", "projection_x_coordinate"));
    NC(put_text(o->ncid, v_x, "long_name", "x of the cell centre on the transverse Mercator grid"));
    NC(put_text(o->ncid, v_x, "units", "m"));
    NC(put_text(o->ncid, v_x, "axis", "X"));
    NC(nc_def_var(o->ncid, "y", NC_DOUBLE, 1, &d_y, &v_y));
    NC(put_text(o->ncid, v_y, "standard_name", "projection_y_coordinate"));
    NC(put_text(o->ncid, v_y, "long_name", "y of the cell centre on the transverse Mercator grid"));
    NC(put_text(o->ncid, v_y, "units", "m"));
    NC(put_text(o->ncid, v_y, "axis", "Y"));
    dims[0] = d_y;
    dims[1] = d_x;
    NC(nc_def_var(o->ncid, "lat", NC_DOUBLE, 2, dims, &v_lat));
    NC(put_text(o->ncid, v_lat, "standard_name", "latitude"));
    NC(put_text(o->ncid, v_lat, "units", "degrees_north"));
    NC(nc_def_var(o->ncid, "lon", NC_DOUBLE, 2, dims, &v_lon));
    NC(put_text(o->ncid, v_lon, "standard_name", "longitude"));
    NC(put_text(o->ncid, v_lon, "units", "degrees_east"));

    NC(nc_def_var(o->ncid, "crs", NC_INT, 0, NULL, &v_crs));
    NC(put_text(o->ncid, v_crs, "grid_mapping_name", "transverse_mercator"));
    double clon = lt_domain_center_lon(d), clat = lt_domain_center_lat(d), one = 1.0, zero = 0.0;
    NC(nc_put_att_double(o->ncid, v_crs, "longitude_of_central_meridian", NC_DOUBLE, 1, &clon));
    NC(nc_put_att_double(o->ncid, v_crs, "latitude_of_projection_origin", NC_DOUBLE, 1, &clat));
    NC(nc_put_att_double(o->ncid, v_crs, "scale_factor_at_central_meridian", NC_DOUBLE, 1, &one));
    NC(nc_put_att_double(o->ncid, v_crs, "false_easting", NC_DOUBLE, 1, &zero));
    NC(nc_put_att_double(o->ncid, v_crs, "false_northing", NC_DOUBLE, 1, &zero));
    double a = 6378137.0, rf = 298.257223563;
    NC(nc_put_att_double(o->ncid, v_crs, "semi_major_axis", NC_DOUBLE, 1, &a));
    NC(nc_put_att_double(o->ncid, v_crs, "inverse_flattening", NC_DOUBLE, 1, &rf));
    NC(put_text(o->ncid, v_crs, "proj4_params", lt_domain_proj4(d)));
    if (lt_domain_wkt(d)[0])
        NC(put_text(o->ncid, v_crs, "crs_wkt", lt_domain_wkt(d)));

    dims[0] = d_src;
    dims[1] = d_str;
    NC(nc_def_var(o->ncid, "source_name", NC_CHAR, 2, dims, &v_sname));
    NC(put_text(o->ncid, v_sname, "long_name", "emission sector of each source tag"));
    NC(put_text(o->ncid, v_sname, "_Encoding", "utf-8"));
    dims[0] = d_st;
    NC(nc_def_var(o->ncid, "station_name", NC_CHAR, 2, dims, &v_stname));
    NC(put_text(o->ncid, v_stname, "long_name", "station name"));
    NC(put_text(o->ncid, v_stname, "cf_role", "timeseries_id"));
    NC(put_text(o->ncid, v_stname, "_Encoding", "utf-8"));
    NC(nc_def_var(o->ncid, "station_id", NC_CHAR, 2, dims, &v_stid));
    NC(put_text(o->ncid, v_stid, "long_name", "station identifier"));
    NC(put_text(o->ncid, v_stid, "_Encoding", "utf-8"));
    NC(nc_def_var(o->ncid, "station_county", NC_CHAR, 2, dims, &v_stcounty));
    NC(put_text(o->ncid, v_stcounty, "long_name", "county of the station"));
    NC(put_text(o->ncid, v_stcounty, "_Encoding", "utf-8"));
    NC(nc_def_var(o->ncid, "station_lon", NC_DOUBLE, 1, &d_st, &v_stlon));
    NC(put_text(o->ncid, v_stlon, "standard_name", "longitude"));
    NC(put_text(o->ncid, v_stlon, "units", "degrees_east"));
    NC(nc_def_var(o->ncid, "station_lat", NC_DOUBLE, 1, &d_st, &v_stlat));
    NC(put_text(o->ncid, v_stlat, "standard_name", "latitude"));
    NC(put_text(o->ncid, v_stlat, "units", "degrees_north"));
    NC(nc_def_var(o->ncid, "station_x", NC_DOUBLE, 1, &d_st, &v_stx));
    NC(put_text(o->ncid, v_stx, "units", "m"));
    NC(put_text(o->ncid, v_stx, "long_name", "station x on the grid's projection"));
    NC(nc_def_var(o->ncid, "station_y", NC_DOUBLE, 1, &d_st, &v_sty));
    NC(put_text(o->ncid, v_sty, "units", "m"));
    NC(put_text(o->ncid, v_sty, "long_name", "station y on the grid's projection"));

    int v_day = -1, v_daybnds = -1, d_day, d_period, v_period, v_periodbnds;
    double day0 = 0.0;
    {
        /* local calendar days (the assessment's, or [sources] utc_offset_hours) */
        day0 = lt_local_day_start(s->start_s, s->aqi ? s->aqi->utc_offset_h : s->utc_offset_h);
        o->ndays = (size_t)lt_local_day_index(s->start_s + 3600.0 * (s->hours - 1), day0) + 1;
        o->day0_s = day0;
        o->start_s = s->start_s;
        NC(nc_def_dim(o->ncid, "day", o->ndays, &d_day));
        NC(def_time_axis(o->ncid, "day", d_day, d_nv, "middle of the local calendar day (China Standard Time for HJ 633)",
                         units, &v_day, &v_daybnds));
        NC(nc_def_dim(o->ncid, "period", 1, &d_period));
        NC(def_time_axis(o->ncid, "period", d_period, d_nv, "middle of the whole run", units, &v_period,
                         &v_periodbnds));
    }
    size_t ct = min_sz(24, (size_t)s->hours);
    size_t cy = min_sz(64, (size_t)o->ny), cx = min_sz(64, (size_t)o->nx);
    o->ct = ct;
    o->cy = cy;
    o->cx = cx;
    o->ty = ((size_t)o->ny + cy - 1) / cy;
    o->tx = ((size_t)o->nx + cx - 1) / cx;
    o->deflate = s->deflate;
    o->quantize = s->significant_digits;
    size_t cs = s->nstations ? s->nstations : 1;
    dims[0] = d_time;
    dims[1] = d_y;
    dims[2] = d_x;
    size_t ch3[3] = {ct, cy, cx};
    NC(def_float(o, s, "pm25", 3, dims, ch3, &o->v_pm25));
    int d_avg[3] = {d_time, d_day, d_period};
    size_t c_avg[3] = {ct, 1, 1};
    o->avg[0] = s->average_src;
    o->avg[1] = s->average_county;
    o->avg[2] = s->average_components;
    dims[0] = d_avg[o->avg[0]];
    dims[1] = d_src;
    dims[2] = d_y;
    dims[3] = d_x;
    size_t ch4[4] = {c_avg[o->avg[0]], 1, cy, cx};
    NC(def_float(o, s, "pm25_src", 4, dims, ch4, &o->v_src));
    int d_cty;
    o->nsrc_cty = s->nsrc_counties;
    NC(nc_def_dim(o->ncid, "source_county", s->nsrc_counties, &d_cty));
    dims[0] = d_avg[o->avg[1]];
    dims[1] = d_cty;
    ch4[0] = c_avg[o->avg[1]];
    NC(def_float(o, s, "pm25_county", 4, dims, ch4, &o->v_cty));
    int v_ctyname, v_compname = -1, d_comp = -1;
    {
        int dn[2] = {d_cty, d_str};
        NC(nc_def_var(o->ncid, "source_county_name", NC_CHAR, 2, dn, &v_ctyname));
        NC(put_text(o->ncid, v_ctyname, "long_name",
                    "county of the sources of each county tag (from their county column or [domain] counties)"));
        NC(put_text(o->ncid, v_ctyname, "_Encoding", "utf-8"));
    }
    o->ncomp = s->ncomp;
    if (o->ncomp > 1) {
        static const char *const cname[LT_NCOMP_GRID] = {"pm25_primary", "so4", "no3", "soa", "nh4"};
        static const char *const cstd[LT_NCOMP_GRID] = {
            NULL, "mass_concentration_of_sulfate_dry_aerosol_particles_in_air",
            "mass_concentration_of_nitrate_dry_aerosol_particles_in_air",
            "mass_concentration_of_secondary_particulate_organic_matter_dry_aerosol_particles_in_air",
            "mass_concentration_of_ammonium_dry_aerosol_particles_in_air"};
        static const char *const plume_long[LT_NCOMP] = {
            "primary PM2.5 (after dry and wet removal along the plume)",
            "sulfate formed from SO2 along the plume (first order)",
            "nitrate formed from NOx along the plume (first order; all HNO3 counted as nitrate)",
            "secondary organic aerosol formed from VOC along the plume (first order, fixed yield)"};
        static const char *const grid_long[LT_NCOMP_GRID] = {
            "primary PM2.5 (after deposition and transport)",
            "sulfate formed from SO2 (gas phase and aqueous, first order)",
            "particulate nitrate: total nitrate from NOx in equilibrium with ammonia (NH4NO3)",
            "secondary organic aerosol formed from VOC (first order, fixed yield)",
            "particulate ammonium: neutralising sulfate first, then as NH4NO3"};
        NC(nc_def_dim(o->ncid, "component", (size_t)o->ncomp, &d_comp));
        int dn[2] = {d_comp, d_str};
        NC(nc_def_var(o->ncid, "component_name", NC_CHAR, 2, dn, &v_compname));
        NC(put_text(o->ncid, v_compname, "long_name", "PM2.5 component"));
        int d3[3] = {d_avg[o->avg[2]], d_y, d_x};
        size_t c3[3] = {c_avg[o->avg[2]], cy, cx};
        for (int c = 0; c < o->ncomp; c++) {
            NC(def_float(o, s, cname[c], 3, d3, c3, &o->v_comp[c]));
            if (cstd[c])
                NC(put_text(o->ncid, o->v_comp[c], "standard_name", cstd[c]));
            NC(put_text(o->ncid, o->v_comp[c], "long_name", o->ncomp == LT_NCOMP ? plume_long[c] : grid_long[c]));
            NC(put_text(o->ncid, o->v_comp[c], "units", "ug m-3"));
            NC(put_text(o->ncid, o->v_comp[c], "cell_methods", "time: mean"));
            NC(put_text(o->ncid, o->v_comp[c], "grid_mapping", "crs"));
            NC(put_text(o->ncid, o->v_comp[c], "coordinates", "lat lon"));
            NC(put_text(o->ncid, o->v_comp[c], "comment",
                        o->ncomp == LT_NCOMP
                            ? "pm25 = pm25_primary + so4 + no3 + soa. Ammonium and the ammonium nitrate "
                              "equilibrium are not in the plume model (method = grid treats them)."
                            : "pm25 = pm25_primary + so4 + no3 + soa + nh4. Nitrate is attributed to the tags "
                              "in proportion to their total nitrate, ammonium in proportion to their total "
                              "ammonia (the partition itself is computed on the totals)."));
        }
    }
    dims[0] = d_time;
    dims[1] = d_st;
    size_t chs[2] = {ct, cs};
    NC(def_float(o, s, "station_pm25", 2, dims, chs, &o->v_st));
    dims[1] = d_src;
    dims[2] = d_st;
    size_t chss[3] = {ct, 1, cs};
    NC(def_float(o, s, "station_pm25_src", 3, dims, chss, &o->v_stsrc));
    {
        int d4[4] = {d_time, d_src, d_cty, d_st};
        size_t c4[4] = {ct, 1, 1, cs};
        NC(def_float(o, s, "station_pm25_split", 4, d4, c4, &o->v_split));
        NC(put_text(o->ncid, o->v_split, "standard_name", PM25_STDNAME));
        NC(put_text(o->ncid, o->v_split, "long_name", "PM2.5 at stations from each sector (source) of each county (source_county)"));
        NC(put_text(o->ncid, o->v_split, "units", "ug m-3"));
        NC(put_text(o->ncid, o->v_split, "cell_methods", "time: mean"));
        NC(put_text(o->ncid, o->v_split, "coordinates", "station_lat station_lon station_name"));
        NC(put_text(o->ncid, o->v_split, "comment",
                    "Sums over source_county give station_pm25_src; over both, station_pm25."));
        o->v_stcomp = -1;
        if (o->ncomp > 1) {
            int d3[3] = {d_time, d_comp, d_st};
            size_t c3[3] = {ct, 1, cs};
            NC(def_station_float(o, s, "station_pm25_component", 3, d3, c3,
                                 "PM2.5 at stations per component (component_name)", &o->v_stcomp));
            int d4c[4] = {d_time, d_comp, d_src, d_st};
            size_t c4c[4] = {ct, 1, 1, cs};
            NC(def_station_float(o, s, "station_pm25_component_src", 4, d4c, c4c,
                                 "PM2.5 at stations per component (component_name) and sector (source): which "
                                 "sectors the secondary PM2.5 comes from", &o->v_stcs));
            NC(put_text(o->ncid, o->v_stcs, "comment",
                        "Sums over source give station_pm25_component; over component, station_pm25_src."));
        }
    }
    o->v_budget = o->v_zo = o->v_zotag = -1;
    int v_bspecies = -1, v_bterm = -1;
    if (s->solver != LT_SOLVER_PLUME) {
        int d_bs, d_bt;
        NC(nc_def_dim(o->ncid, "grid_species", LT_GS_N, &d_bs));
        NC(nc_def_dim(o->ncid, "budget_term", LT_GB_N, &d_bt));
        int dn[2] = {d_bs, d_str};
        NC(nc_def_var(o->ncid, "grid_species_name", NC_CHAR, 2, dn, &v_bspecies));
        NC(put_text(o->ncid, v_bspecies, "long_name", "species carried by the grid model (total nitrate as NO3, total ammonia as NH3, NOx as NO2)"));
        dn[0] = d_bt;
        NC(nc_def_var(o->ncid, "budget_term_name", NC_CHAR, 2, dn, &v_bterm));
        NC(put_text(o->ncid, v_bterm, "long_name", "term of the mass budget"));
        int db[2] = {d_bs, d_bt};
        NC(nc_def_var(o->ncid, "mass_budget", NC_DOUBLE, 2, db, &o->v_budget));
        NC(put_text(o->ncid, o->v_budget, "long_name", "mass budget of the grid model over the run, per species"));
        NC(put_text(o->ncid, o->v_budget, "units", "kg"));
        NC(put_text(o->ncid, o->v_budget, "comment",
                    "final = initial + emitted + inflow - outflow + chemistry - dry_deposition - wet_deposition; "
                    "chemistry is negative for a precursor and positive for its product; the residual is in "
                    "the global attribute lantian_budget_residual"));
        if (s->zero_out && o->nst) {
            int d3[3] = {d_time, d_src, d_st};
            size_t c3[3] = {ct, 1, cs};
            NC(def_station_float(o, s, "station_pm25_zero_out", 3, d3, c3,
                                 "grid-model PM2.5 at stations due to each source tag by brute force: the run with "
                                 "every emission minus the run without the tag's", &o->v_zo));
            NC(def_station_float(o, s, "station_pm25_tagged_grid", 3, d3, c3,
                                 "grid-model PM2.5 at stations attributed to each source tag by tagging (the same "
                                 "quantity as station_pm25_zero_out, by the other method)", &o->v_zotag));
        }
    }
    if (s->aqi) {
        int dd[2] = {d_day, d_st};
        NC(nc_def_var(o->ncid, "station_pm25_daily", NC_FLOAT, 2, dd, &o->v_stday));
        NC(put_text(o->ncid, o->v_stday, "standard_name", PM25_STDNAME));
        NC(put_text(o->ncid, o->v_stday, "long_name", "daily mean PM2.5 at stations (missing: fewer valid hours than the rules require)"));
        NC(put_text(o->ncid, o->v_stday, "units", "ug m-3"));
        NC(put_text(o->ncid, o->v_stday, "cell_methods", "day: mean"));
        NC(nc_def_var(o->ncid, "station_aqi", NC_INT, 2, dd, &o->v_staqi));
        int fill = -1;
        NC(nc_def_var_fill(o->ncid, o->v_staqi, 0, &fill));
        NC(put_text(o->ncid, o->v_staqi, "long_name", "daily air quality index from 24-h PM2.5 (IAQI)"));
        NC(put_text(o->ncid, o->v_staqi, "units", "1"));
        NC(nc_def_var(o->ncid, "city_pm25_daily", NC_FLOAT, 1, &d_day, &o->v_cityday));
        NC(put_text(o->ncid, o->v_cityday, "standard_name", PM25_STDNAME));
        NC(put_text(o->ncid, o->v_cityday, "long_name", "city daily PM2.5: the mean over stations of their daily means"));
        NC(put_text(o->ncid, o->v_cityday, "units", "ug m-3"));
        NC(nc_def_var(o->ncid, "city_aqi", NC_INT, 1, &d_day, &o->v_cityaqi));
        NC(nc_def_var_fill(o->ncid, o->v_cityaqi, 0, &fill));
        NC(put_text(o->ncid, o->v_cityaqi, "long_name", "city daily AQI from the city daily PM2.5"));
        NC(put_text(o->ncid, o->v_cityaqi, "units", "1"));
        signed char bfill = -1;
        NC(nc_def_var(o->ncid, "city_aqi_category", NC_BYTE, 1, &d_day, &o->v_citycat));
        NC(nc_def_var_fill(o->ncid, o->v_citycat, 0, &bfill));
        {
            signed char fv[LT_AQI_MAX_CAT];
            char meanings[LT_AQI_MAX_CAT * 32] = "";
            for (int k = 0; k < s->aqi->ncat; k++) {
                fv[k] = (signed char)k;
                if (k)
                    strcat(meanings, " ");
                for (const char *c = s->aqi->cat_name[k]; *c; c++) {
                    size_t l = strlen(meanings);
                    meanings[l] = *c == ' ' ? '_' : *c;
                    meanings[l + 1] = '\0';
                }
            }
            NC(nc_put_att_schar(o->ncid, o->v_citycat, "flag_values", NC_BYTE, (size_t)s->aqi->ncat, fv));
            NC(put_text(o->ncid, o->v_citycat, "flag_meanings", meanings));
            NC(put_text(o->ncid, o->v_citycat, "long_name", "city daily AQI category"));
        }
        o->v_alert = -1;
        if (s->alert) {
            NC(nc_def_var(o->ncid, "alert_level", NC_BYTE, 1, &d_day, &o->v_alert));
            signed char fv[LT_ALERT_MAX_LEVELS + 1];
            char meanings[(LT_ALERT_MAX_LEVELS + 1) * 33] = "none";
            fv[0] = 0;
            for (int k = 0; k < s->alert->nlevels; k++) {
                fv[k + 1] = (signed char)(k + 1);
                strcat(meanings, " ");
                strcat(meanings, s->alert->level[k].name);
            }
            NC(nc_put_att_schar(o->ncid, o->v_alert, "flag_values", NC_BYTE, (size_t)s->alert->nlevels + 1, fv));
            NC(put_text(o->ncid, o->v_alert, "flag_meanings", meanings));
            NC(put_text(o->ncid, o->v_alert, "long_name",
                        "heavy-pollution alert level in force on the day, decided on this run as the forecast"));
            NC(put_text(o->ncid, NC_GLOBAL, "lantian_alert_rules", s->alert->name));
        }
        NC(put_text(o->ncid, NC_GLOBAL, "lantian_aqi_rules", s->aqi->name));
        o->ncounty = s->ncounties;
        if (o->ncounty) {
            int d_acty, v_cname, cd[2] = {d_day, 0};
            NC(nc_def_dim(o->ncid, "county", o->ncounty, &d_acty));
            int cn[2] = {d_acty, d_str};
            NC(nc_def_var(o->ncid, "county_name", NC_CHAR, 2, cn, &v_cname));
            NC(put_text(o->ncid, v_cname, "long_name", "county (from the stations' county column)"));
            NC(put_text(o->ncid, v_cname, "_Encoding", "utf-8"));
            cd[1] = d_acty;
            NC(nc_def_var(o->ncid, "county_pm25_daily", NC_FLOAT, 2, cd, &o->v_cday));
            NC(put_text(o->ncid, o->v_cday, "standard_name", PM25_STDNAME));
            NC(put_text(o->ncid, o->v_cday, "long_name", "county daily PM2.5: the mean of its stations' daily means"));
            NC(put_text(o->ncid, o->v_cday, "units", "ug m-3"));
            NC(nc_def_var(o->ncid, "county_aqi", NC_INT, 2, cd, &o->v_caqi));
            NC(nc_def_var_fill(o->ncid, o->v_caqi, 0, &fill));
            NC(put_text(o->ncid, o->v_caqi, "long_name", "county daily AQI"));
            NC(nc_enddef(o->ncid));
            NC(put_string_var(o->ncid, v_cname, o->ncounty, tag_name, s->county_names));
            NC(nc_redef(o->ncid));
        }
    }
    o->hours = s->hours;
    if (s->regions) {
        int d_reg, v_rname, v_cell;
        size_t nreg = lt_regions_count(s->regions);
        NC(nc_def_dim(o->ncid, "region", nreg, &d_reg));
        int rd[2] = {d_reg, d_str};
        NC(nc_def_var(o->ncid, "region_name", NC_CHAR, 2, rd, &v_rname));
        NC(put_text(o->ncid, v_rname, "long_name", "county polygons of [domain] counties"));
        NC(put_text(o->ncid, v_rname, "_Encoding", "utf-8"));
        int cd[2] = {d_y, d_x};
        NC(nc_def_var(o->ncid, "cell_region", NC_INT, 2, cd, &v_cell));
        int rfill = -1;
        NC(nc_def_var_fill(o->ncid, v_cell, 0, &rfill));
        NC(put_text(o->ncid, v_cell, "long_name", "index into region_name of the county holding the cell centre (-1: none)"));
        NC(put_text(o->ncid, v_cell, "coordinates", "lat lon"));
        NC(put_text(o->ncid, v_cell, "grid_mapping", "crs"));
        NC(nc_enddef(o->ncid));
        {
            const char **names = malloc(nreg * sizeof *names);
            if (!names) {
                rc = lt_error_set(err, LT_ENOMEM, "out of memory");
                goto fail;
            }
            for (size_t i = 0; i < nreg; i++)
                names[i] = lt_regions_name(s->regions, i);
            int st3 = put_string_var(o->ncid, v_rname, nreg, tag_name, names);
            free(names);
            NC(st3);
        }
        NC(nc_put_var_int(o->ncid, v_cell, s->cell_region));
        NC(nc_redef(o->ncid));
    }
    {
        int d2[2] = {d_y, d_x};
        size_t c2[2] = {cy, cx};
        NC(def_float(o, s, "pm25_mean", 2, d2, c2, &o->v_mean));
        NC(put_text(o->ncid, o->v_mean, "standard_name", PM25_STDNAME));
        NC(put_text(o->ncid, o->v_mean, "long_name", "PM2.5, mean over the run"));
        NC(put_text(o->ncid, o->v_mean, "units", "ug m-3"));
        NC(put_text(o->ncid, o->v_mean, "cell_methods", "time: mean"));
        NC(put_text(o->ncid, o->v_mean, "grid_mapping", "crs"));
        NC(put_text(o->ncid, o->v_mean, "coordinates", "lat lon"));
    }
    o->nscen = s->aqi ? s->nscenarios : 0;
    if (o->nscen) {
        int d_sc, v_scname;
        NC(nc_def_dim(o->ncid, "scenario", (size_t)o->nscen, &d_sc));
        int dd[4] = {d_sc, d_str};
        NC(nc_def_var(o->ncid, "scenario_name", NC_CHAR, 2, dd, &v_scname));
        NC(put_text(o->ncid, v_scname, "long_name", "scenario ([scenario.NAME] of the configuration)"));
        o->v_salert = -1;
        dd[1] = d_y;
        dd[2] = d_x;
        size_t c3[3] = {1, cy, cx};
        NC(def_float(o, s, "scenario_pm25_mean", 3, dd, c3, &o->v_smean));
        NC(put_text(o->ncid, o->v_smean, "long_name", "PM2.5 mean over the run under each scenario"));
        NC(put_text(o->ncid, o->v_smean, "units", "ug m-3"));
        NC(put_text(o->ncid, o->v_smean, "grid_mapping", "crs"));
        NC(put_text(o->ncid, o->v_smean, "coordinates", "lat lon"));
        dd[1] = d_time;
        dd[2] = d_st;
        size_t c3s[3] = {1, ct, cs};
        NC(def_float(o, s, "scenario_station_pm25", 3, dd, c3s, &o->v_sst));
        NC(put_text(o->ncid, o->v_sst, "long_name", "hourly PM2.5 at stations under each scenario"));
        NC(put_text(o->ncid, o->v_sst, "units", "ug m-3"));
        dd[2] = d_src;
        dd[3] = d_st;
        size_t c4s[4] = {1, ct, 1, cs};
        NC(def_float(o, s, "scenario_station_pm25_src", 4, dd, c4s, &o->v_sstsrc));
        NC(put_text(o->ncid, o->v_sstsrc, "long_name", "hourly PM2.5 at stations per source tag under each scenario"));
        NC(put_text(o->ncid, o->v_sstsrc, "units", "ug m-3"));
        int d_dayid;
        NC(nc_inq_dimid(o->ncid, "day", &d_dayid));
        dd[1] = d_dayid;
        NC(nc_def_var(o->ncid, "scenario_city_pm25_daily", NC_FLOAT, 2, dd, &o->v_scityday));
        NC(put_text(o->ncid, o->v_scityday, "long_name", "city daily PM2.5 under each scenario"));
        NC(put_text(o->ncid, o->v_scityday, "units", "ug m-3"));
        int ifill = -1;
        NC(nc_def_var(o->ncid, "scenario_city_aqi", NC_INT, 2, dd, &o->v_scityaqi));
        NC(nc_def_var_fill(o->ncid, o->v_scityaqi, 0, &ifill));
        NC(put_text(o->ncid, o->v_scityaqi, "long_name", "city daily AQI under each scenario"));
        dd[2] = d_st;
        NC(nc_def_var(o->ncid, "scenario_station_aqi", NC_INT, 3, dd, &o->v_sstaqi));
        NC(nc_def_var_fill(o->ncid, o->v_sstaqi, 0, &ifill));
        NC(put_text(o->ncid, o->v_sstaqi, "long_name", "station daily AQI under each scenario"));
        NC(nc_def_var(o->ncid, "scenario_station_pm25_daily", NC_FLOAT, 3, dd, &o->v_sstday));
        NC(put_text(o->ncid, o->v_sstday, "long_name", "station daily PM2.5 under each scenario"));
        NC(put_text(o->ncid, o->v_sstday, "units", "ug m-3"));
        {
            signed char bfill2 = -1;
            int d2[2] = {d_sc, d_dayid};
            NC(nc_def_var(o->ncid, "scenario_city_aqi_category", NC_BYTE, 2, d2, &o->v_scitycat));
            NC(nc_def_var_fill(o->ncid, o->v_scitycat, 0, &bfill2));
            NC(put_text(o->ncid, o->v_scitycat, "long_name", "city daily AQI category under each scenario (flags as city_aqi_category)"));
        }
        o->v_scaqi = -1;
        if (o->ncounty) {
            int d_acty;
            NC(nc_inq_dimid(o->ncid, "county", &d_acty));
            int d3[3] = {d_sc, d_dayid, d_acty};
            NC(nc_def_var(o->ncid, "scenario_county_aqi", NC_INT, 3, d3, &o->v_scaqi));
            NC(nc_def_var_fill(o->ncid, o->v_scaqi, 0, &ifill));
            NC(put_text(o->ncid, o->v_scaqi, "long_name", "county daily AQI under each scenario"));
        }
        if (s->alert) {
            NC(nc_def_var(o->ncid, "scenario_alert_level", NC_BYTE, 2, dd, &o->v_salert));
            NC(put_text(o->ncid, o->v_salert, "long_name",
                        "alert level the scenario's own PM2.5 would bring (flags as alert_level)"));
        }
        NC(nc_enddef(o->ncid));
        NC(put_string_var(o->ncid, v_scname, (size_t)o->nscen, tag_name, s->scenario_names));
        NC(nc_redef(o->ncid));
    }
    NC(nc_def_var(o->ncid, "calm_sources", NC_INT, 1, &d_time, &o->v_calm));
    NC(put_text(o->ncid, o->v_calm, "long_name",
                "number of sources whose 10 m wind was below 0.5 m s-1 in this hour"));
    NC(put_text(o->ncid, o->v_calm, "units", "1"));

    int datav[4] = {o->v_pm25, o->v_src, o->v_st, o->v_stsrc};
    const char *ln[4] = {"PM2.5 concentration, hourly mean",
                         "PM2.5 concentration contributed by each source tag (sector)",
                         "PM2.5 concentration at stations, hourly mean",
                         "PM2.5 at stations contributed by each source tag (sector)"};
    for (int i = 0; i < 4; i++) {
        NC(put_text(o->ncid, datav[i], "standard_name", PM25_STDNAME));
        NC(put_text(o->ncid, datav[i], "long_name", ln[i]));
        NC(put_text(o->ncid, datav[i], "units", "ug m-3"));
        NC(put_text(o->ncid, datav[i], "cell_methods", "time: mean"));
        NC(put_text(o->ncid, datav[i], "coverage_content_type", "modelResult"));
        if (i < 2) {
            NC(put_text(o->ncid, datav[i], "grid_mapping", "crs"));
            NC(put_text(o->ncid, datav[i], "coordinates", "lat lon"));
        } else {
            NC(put_text(o->ncid, datav[i], "coordinates", "station_lat station_lon station_name"));
        }
    }
    NC(put_text(o->ncid, o->v_src, "comment",
                "Sums over source equal pm25 (averaged alike); the plume model is linear in emissions."));
    NC(put_text(o->ncid, o->v_cty, "standard_name", PM25_STDNAME));
    NC(put_text(o->ncid, o->v_cty, "long_name", "PM2.5 concentration contributed by the sources of each county (source_county)"));
    NC(put_text(o->ncid, o->v_cty, "units", "ug m-3"));
    NC(put_text(o->ncid, o->v_cty, "cell_methods", "time: mean"));
    NC(put_text(o->ncid, o->v_cty, "grid_mapping", "crs"));
    NC(put_text(o->ncid, o->v_cty, "coordinates", "lat lon"));
    NC(put_text(o->ncid, o->v_cty, "comment",
                "Sums over source_county equal pm25 averaged alike. The background tag is a county tag of its own."));

    /* Global attributes: CF, ACDD and provenance. */
    char now[32], end[32], buf[256];
    lt_format_iso8601((double)time(NULL), now, sizeof now);
    lt_format_iso8601(s->start_s + 3600.0 * s->hours, end, sizeof end);
    NC(put_text(o->ncid, NC_GLOBAL, "Conventions", "CF-1.8 ACDD-1.3"));
    NC(put_text(o->ncid, NC_GLOBAL, "title", "lantian PM2.5 dispersion run"));
    NC(put_text(o->ncid, NC_GLOBAL, "summary",
                "Hourly primary PM2.5 from a steady-state Gaussian plume model of point "
                "sources, on a projected receptor grid and at stations, apportioned by sector."));
    NC(put_text(o->ncid, NC_GLOBAL, "keywords", "PM2.5, air quality, dispersion, Gaussian plume, source apportionment"));
    snprintf(buf, sizeof buf, "lantian %s", s->version);
    NC(put_text(o->ncid, NC_GLOBAL, "source", buf));
    NC(put_text(o->ncid, NC_GLOBAL, "product_version", s->version));
    NC(put_text(o->ncid, NC_GLOBAL, "date_created", now));
    NC(put_text(o->ncid, NC_GLOBAL, "time_coverage_start", iso));
    NC(put_text(o->ncid, NC_GLOBAL, "time_coverage_end", end));
    NC(put_text(o->ncid, NC_GLOBAL, "time_coverage_resolution", "PT1H"));
    snprintf(buf, sizeof buf, "%s: %s", now, s->command_line);
    NC(put_text(o->ncid, NC_GLOBAL, "history", buf));
    NC(put_text(o->ncid, NC_GLOBAL, "lantian_version", s->version));
    NC(put_text(o->ncid, NC_GLOBAL, "lantian_command_line", s->command_line));
    NC(put_text(o->ncid, NC_GLOBAL, "lantian_config_file", s->config_path));
    NC(put_text(o->ncid, NC_GLOBAL, "lantian_config", s->config_text));
    snprintf(buf, sizeof buf,
             "Gaussian plume; sigma curves %s; Pasquill-Gifford class from 1/L and z0 (Golder 1972); "
             "Briggs plume rise with stack-tip downwash (ISC3)", s->curves);
    NC(put_text(o->ncid, NC_GLOBAL, "lantian_physics", buf));
    static const char *const solver_names[3] = {"plume", "grid", "hybrid"};
    NC(put_text(o->ncid, NC_GLOBAL, "lantian_solver", solver_names[s->solver]));
    if (s->solver == LT_SOLVER_PLUME) {
        NC(put_text(o->ncid, NC_GLOBAL, "lantian_apportionment",
                    "source dimension = emission sector; exact for the linear plume model"));
    } else {
        char g[512];
        snprintf(g, sizeof g,
                 "Eulerian grid model: %d x %d columns of %g m, %d layers up to %g m; flux-form MC-limited "
                 "advection (Strang split), backward-Euler K-profile diffusion, first-order SO2/NOx/VOC "
                 "conversion, wet scavenging, sulfate-first NH4NO3 equilibrium (Mozurkewich 1993)%s",
                 s->grid_nx, s->grid_ny, s->grid_dx_m, s->grid_nz, s->grid_top_m,
                 s->solver == LT_SOLVER_HYBRID ? "; hybrid: grid + each explicit source's plume - its grid-cell mean (Isakov et al. 2007)" : "");
        NC(put_text(o->ncid, NC_GLOBAL, "lantian_grid_model", g));
        NC(put_text(o->ncid, NC_GLOBAL, "lantian_apportionment",
                    "source dimension = emission sector; every species is carried per tag (sector x county x "
                    "scenario rules, and the boundary inflow). Transport, deposition and first-order chemistry "
                    "keep tags exactly (tags are rescaled to the untagged bulk after each advection step, as in "
                    "CAMx PSAT, because the limiter is nonlinear). The nonlinear NH4NO3 partition is attributed "
                    "in proportion to the precursor tags: particulate nitrate to the tags' total nitrate (from "
                    "NOx), ammonium to the tags' total ammonia (from NH3). Scenarios recombine the tags linearly; "
                    "station_pm25_zero_out (when written) gives the brute-force contributions beside them."));
    }
    NC(nc_enddef(o->ncid));

    /* Static data. */
    {
        double *tv = malloc((size_t)s->hours * 2 * sizeof *tv);
        if (!tv) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        for (int h = 0; h < s->hours; h++) {
            tv[2 * h] = h;
            tv[2 * h + 1] = h + 1;
        }
        int st2 = nc_put_var_double(o->ncid, v_tb, tv);
        for (int h = 0; h < s->hours && !st2; h++)
            tv[h] = h + 0.5;
        if (!st2)
            st2 = nc_put_var_double(o->ncid, v_time, tv);
        free(tv);
        NC(st2);
    }
    {
        size_t n = (size_t)o->nx * (size_t)o->ny;
        double *lat = malloc(n * sizeof *lat), *lon = malloc(n * sizeof *lon);
        double *ax = malloc(((size_t)o->nx + (size_t)o->ny) * sizeof *ax);
        if (!lat || !lon || !ax) {
            free(lat);
            free(lon);
            free(ax);
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        for (int j = 0; j < o->ny; j++)
            for (int i = 0; i < o->nx; i++) {
                size_t k = (size_t)j * o->nx + i;
                if (lt_domain_inverse(d, lt_domain_x(d, i), lt_domain_y(d, j), &lon[k], &lat[k]))
                    lon[k] = lat[k] = NC_FILL_DOUBLE;
            }
        for (int i = 0; i < o->nx; i++)
            ax[i] = lt_domain_x(d, i);
        for (int j = 0; j < o->ny; j++)
            ax[o->nx + j] = lt_domain_y(d, j);
        int st2 = nc_put_var_double(o->ncid, v_lat, lat);
        if (!st2)
            st2 = nc_put_var_double(o->ncid, v_lon, lon);
        if (!st2)
            st2 = nc_put_var_double(o->ncid, v_x, ax);
        if (!st2)
            st2 = nc_put_var_double(o->ncid, v_y, ax + o->nx);
        free(lat);
        free(lon);
        free(ax);
        NC(st2);
    }
    {
        double mid = 0.5 * s->hours, b[2] = {0.0, (double)s->hours};
        size_t i0 = 0;
        NC(nc_put_var1_double(o->ncid, v_period, &i0, &mid));
        NC(nc_put_var_double(o->ncid, v_periodbnds, b));
    }
    NC(put_string_var(o->ncid, v_ctyname, s->nsrc_counties, tag_name, s->src_county_names));
    if (o->ncomp > 1) {
        static const char *const cn[LT_NCOMP_GRID] = {"primary", "so4", "no3", "soa", "nh4"};
        NC(put_string_var(o->ncid, v_compname, (size_t)o->ncomp, tag_name, cn));
    }
    if (s->solver != LT_SOLVER_PLUME) {
        NC(put_string_var(o->ncid, v_bspecies, LT_GS_N, tag_name, lt_grid_species_names));
        NC(put_string_var(o->ncid, v_bterm, LT_GB_N, tag_name, lt_grid_budget_names));
    }
    if (o->ndays) {
        for (size_t di = 0; di < o->ndays; di++) {
            size_t i2[2] = {di, 0};
            double mid = (day0 + ((double)di + 0.5) * 86400.0 - s->start_s) / 3600.0;
            double b[2] = {mid - 12.0, mid + 12.0};
            size_t c2[2] = {1, 2};
            NC(nc_put_var1_double(o->ncid, v_day, &di, &mid));
            NC(nc_put_vara_double(o->ncid, v_daybnds, i2, c2, b));
        }
    }
    NC(put_string_var(o->ncid, v_sname, (size_t)s->ntags, tag_name, s->tag_names));
    NC(put_string_var(o->ncid, v_stname, s->nstations, st_name, s->stations));
    NC(put_string_var(o->ncid, v_stid, s->nstations, st_id, s->stations));
    NC(put_string_var(o->ncid, v_stcounty, s->nstations, st_county, s->stations));
    for (size_t i = 0; i < s->nstations; i++) {
        size_t idx = i;
        NC(nc_put_var1_double(o->ncid, v_stlon, &idx, &s->stations[i].lon));
        NC(nc_put_var1_double(o->ncid, v_stlat, &idx, &s->stations[i].lat));
        NC(nc_put_var1_double(o->ncid, v_stx, &idx, &s->stations[i].x_m));
        NC(nc_put_var1_double(o->ncid, v_sty, &idx, &s->stations[i].y_m));
    }
    *out = o;
    return LT_OK;
fail:
    lt_output_abort(&o);
    return rc;
}

/* The datasets of the hourly fields are written a chunk at a time: each
 * chunk of a block of hours is shuffled and deflated here, the chunks on
 * every thread at once, with libdeflate (zlib format, which is what HDF5's
 * deflate filter reads), then stored with H5Dwrite_chunk in a fixed order.
 * The file is what nc_put_vara would make -- the same filters (shuffle, then
 * deflate at the level asked), the same chunks -- but its compression, the
 * largest cost of writing, no longer runs on one core. The same file, opened
 * by HDF5 a second time, shares netCDF's open handle (HDF5 keeps one per
 * file), so the two never see different states. */

/* pm25_src and pm25_county have a level dimension (time, level, y, x) */
static int has_levels(const lt_output *o, int varid)
{
    return varid == o->v_src || varid == o->v_cty;
}

static void h5_close(lt_output *o)
{
    for (int i = 0; i < o->nh5; i++)
        H5Dclose(o->h5var[i]);
    o->nh5 = 0;
    if (o->h5file >= 0)
        H5Fclose(o->h5file);
    o->h5file = -1;
}

/* The HDF5 dataset of netCDF variable varid (opened once). */
static hid_t h5_var(lt_output *o, int varid, lt_error *err)
{
    for (int i = 0; i < o->nh5; i++)
        if (o->h5varid[i] == varid)
            return o->h5var[i];
    char name[NC_MAX_NAME + 1];
    if (nc_inq_varname(o->ncid, varid, name) != NC_NOERR || o->nh5 >= (int)(sizeof o->h5var / sizeof *o->h5var)) {
        lt_error_set(err, LT_EIO, "%s: writing the output: no variable %d", o->path, varid);
        return -1;
    }
    if (o->h5file < 0 && (o->h5file = H5Fopen(o->tmp, H5F_ACC_RDWR, H5P_DEFAULT)) < 0) {
        lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 cannot open %s", o->path, o->tmp);
        return -1;
    }
    hid_t d = H5Dopen2(o->h5file, name, H5P_DEFAULT);
    if (d < 0) {
        lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 has no dataset %s", o->path, name);
        return -1;
    }
    o->h5varid[o->nh5] = varid;
    o->h5var[o->nh5++] = d;
    return d;
}

/* One chunk of a waiting block: its job, level and tile; then its bytes. */
typedef struct chunk_out {
    int job;
    size_t l, iy, ix;
    void *buf;
    size_t n;
} chunk_out;

/* Chunk c of job j shuffled (HDF5's shuffle: byte k of every value, k = 0..3,
 * one plane after the other) into shuf; zero past the grid's or run's end. */
static void shuffle_chunk(const lt_output *o, const struct put_job *j, const chunk_out *c, unsigned char *shuf)
{
    size_t nel = o->ct * o->cy * o->cx, ng = (size_t)o->ny * (size_t)o->nx;
    size_t y0 = c->iy * o->cy, x0 = c->ix * o->cx;
    size_t ny = o->cy < (size_t)o->ny - y0 ? o->cy : (size_t)o->ny - y0;
    size_t nx = o->cx < (size_t)o->nx - x0 ? o->cx : (size_t)o->nx - x0;
    if ((size_t)j->nh < o->ct || ny < o->cy || nx < o->cx)
        memset(shuf, 0, nel * sizeof(float));
    unsigned char *p0 = shuf, *p1 = shuf + nel, *p2 = shuf + 2 * nel, *p3 = shuf + 3 * nel;
    for (size_t t = 0; t < (size_t)j->nh; t++)
        for (size_t y = 0; y < ny; y++) {
            const float *row = j->data + (t * (size_t)j->nlev + c->l) * ng + (y0 + y) * (size_t)o->nx + x0;
            size_t i0 = (t * o->cy + y) * o->cx;
#pragma omp simd
            for (size_t x = 0; x < nx; x++) {
                uint32_t v;
                memcpy(&v, &row[x], sizeof v);
                p0[i0 + x] = (unsigned char)v;
                p1[i0 + x] = (unsigned char)(v >> 8);
                p2[i0 + x] = (unsigned char)(v >> 16);
                p3[i0 + x] = (unsigned char)(v >> 24);
            }
        }
}

/* Every chunk of every waiting block deflated, on every thread, then stored
 * in the order the blocks came. */
static int deflate_pending(lt_output *o, lt_error *err)
{
    if (!o->njobs)
        return LT_OK;
    size_t ty = o->ty, tx = o->tx;
    long nchunk = o->nchunks;
    chunk_out *co = calloc((size_t)nchunk, sizeof *co);
    int rc = LT_OK, failed = !co, bad = -1, noset = 0;
    long c = 0;
    for (int j = 0; j < o->njobs && co; j++)
        for (size_t l = 0; l < (size_t)o->jobs[j].nlev; l++)
            for (size_t iy = 0; iy < ty; iy++)
                for (size_t ix = 0; ix < tx; ix++) {
                    co[c].job = j;
                    co[c].l = l;
                    co[c].iy = iy;
                    co[c++].ix = ix;
                }
    size_t nb = o->ct * o->cy * o->cx * sizeof(float);
#pragma omp parallel reduction(| : failed) if (!failed)
    {
        struct libdeflate_compressor *z = libdeflate_alloc_compressor(o->deflate);
        unsigned char *shuf = malloc(nb);
        failed |= !z || !shuf;
#pragma omp for schedule(dynamic, 1)
        for (long k = 0; k < nchunk; k++) {
            if (failed)
                continue;
            shuffle_chunk(o, &o->jobs[co[k].job], &co[k], shuf);
            size_t cap = libdeflate_zlib_compress_bound(z, nb);
            co[k].buf = malloc(cap);
            co[k].n = co[k].buf ? libdeflate_zlib_compress(z, shuf, nb, co[k].buf, cap) : 0;
            failed |= co[k].n == 0;
        }
        free(shuf);
        libdeflate_free_compressor(z);
    }
    for (long k = 0; k < nchunk && !failed && bad < 0 && !noset; k++) {
        const struct put_job *j = &o->jobs[co[k].job];
        hid_t d = h5_var(o, j->varid, err);
        int four = has_levels(o, j->varid);
        hsize_t off4[4] = {(hsize_t)j->h0, co[k].l, co[k].iy * o->cy, co[k].ix * o->cx};
        hsize_t off3[3] = {(hsize_t)j->h0, co[k].iy * o->cy, co[k].ix * o->cx};
        if (d < 0)
            noset = 1; /* h5_var said why */
        else if (H5Dwrite_chunk(d, H5P_DEFAULT, 0, four ? off4 : off3, co[k].n, co[k].buf) < 0)
            bad = co[k].job;
    }
    if (noset)
        rc = LT_EIO;
    else if (failed)
        rc = lt_error_set(err, LT_ENOMEM, "%s: out of memory compressing the output (hours %d-%d)", o->path,
                          o->jobs[0].h0, o->jobs[o->njobs - 1].h0 + o->jobs[o->njobs - 1].nh - 1);
    else if (bad >= 0) {
        char name[NC_MAX_NAME + 1] = "?";
        nc_inq_varname(o->ncid, o->jobs[bad].varid, name);
        rc = lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 cannot store %s, hours %d-%d", o->path, name,
                          o->jobs[bad].h0, o->jobs[bad].h0 + o->jobs[bad].nh - 1);
    }
    for (long k = 0; co && k < nchunk; k++)
        free(co[k].buf);
    free(co);
    for (int j = 0; j < o->njobs; j++)
        free(o->jobs[j].data);
    o->njobs = 0;
    o->nchunks = 0;
    return rc;
}

/* Hours [h0, h0 + nh) of the hourly field varid: nlev levels (the source or
 * county dimension; 1 for a 3-D field) of ny x nx cells, the value of hour t,
 * level l, cell (y, x) at data[t * tstride + l * ny * nx + y * nx + x].
 * Whole chunks in time, to be deflated, are copied to wait until enough
 * chunks have gathered to keep every thread busy (deflate_pending); anything
 * else goes through netCDF now. */
static int put_hours(lt_output *o, int varid, int h0, int nh, int nlev, size_t tstride, const float *data,
                     lt_error *err)
{
    int rc = LT_OK;
    size_t ng = (size_t)o->ny * (size_t)o->nx;
    int whole = (size_t)h0 % o->ct == 0 && ((size_t)nh == o->ct || h0 + nh == o->hours);
    if (o->deflate > 0 && o->quantize == 0 && whole) {
        if (o->njobs == MAX_JOBS && (rc = deflate_pending(o, err)))
            return rc;
        size_t lev = (size_t)nlev * ng;
        float *copy = malloc((size_t)nh * lev * sizeof *copy);
        if (!copy)
            return lt_error_set(err, LT_ENOMEM, "out of memory writing the output");
        for (int t = 0; t < nh; t++)
            memcpy(copy + (size_t)t * lev, data + (size_t)t * tstride, lev * sizeof *copy);
        struct put_job j = {varid, h0, nh, nlev, copy};
        o->jobs[o->njobs++] = j;
        o->nchunks += (long)((size_t)nlev * o->ty * o->tx);
#ifdef _OPENMP
        long enough = 4L * omp_get_max_threads();
#else
        long enough = 1;
#endif
        return o->nchunks >= enough ? deflate_pending(o, err) : LT_OK;
    }
    /* netCDF's own path: uncompressed, quantized, or not a whole chunk in
     * time; a contiguous block in one call */
    int four = has_levels(o, varid);
    int calls = tstride == (size_t)nlev * ng ? 1 : nh, per = tstride == (size_t)nlev * ng ? nh : 1;
    for (int t = 0; t < calls; t++) {
        size_t s4[4] = {(size_t)(h0 + t), 0, 0, 0}, c4[4] = {(size_t)per, (size_t)nlev, (size_t)o->ny, (size_t)o->nx};
        size_t s3[3] = {(size_t)(h0 + t), 0, 0}, c3[3] = {(size_t)per, (size_t)o->ny, (size_t)o->nx};
        const float *src = data + (size_t)t * tstride;
        NC(four ? nc_put_vara_float(o->ncid, varid, s4, c4, src) : nc_put_vara_float(o->ncid, varid, s3, c3, src));
    }
    return LT_OK;
fail:
    return rc;
}

int lt_output_write(lt_output *o, int h0, int nh, const float *pm25, const float *st,
                    const float *st_src, const float *st_split, const float *st_comp,
                    const float *st_comp_src, const int *calm, lt_error *err)
{
    int rc = LT_OK;
    if ((rc = put_hours(o, o->v_pm25, h0, nh, 1, (size_t)o->ny * (size_t)o->nx, pm25, err)))
        return rc;
    size_t s3[3] = {(size_t)h0, 0, 0};
    if (o->nst) {
        size_t s2[2] = {(size_t)h0, 0}, c2[2] = {(size_t)nh, o->nst};
        NC(nc_put_vara_float(o->ncid, o->v_st, s2, c2, st));
        size_t c3s[3] = {(size_t)nh, (size_t)o->ntags, o->nst};
        NC(nc_put_vara_float(o->ncid, o->v_stsrc, s3, c3s, st_src));
        size_t s4[4] = {(size_t)h0, 0, 0, 0}, c4[4] = {(size_t)nh, (size_t)o->ntags, o->nsrc_cty, o->nst};
        NC(nc_put_vara_float(o->ncid, o->v_split, s4, c4, st_split));
        if (o->v_stcomp >= 0) {
            size_t c3c[3] = {(size_t)nh, (size_t)o->ncomp, o->nst};
            NC(nc_put_vara_float(o->ncid, o->v_stcomp, s3, c3c, st_comp));
            size_t s4c[4] = {(size_t)h0, 0, 0, 0}, c4c[4] = {(size_t)nh, (size_t)o->ncomp, (size_t)o->ntags, o->nst};
            NC(nc_put_vara_float(o->ncid, o->v_stcs, s4c, c4c, st_comp_src));
        }
    }
    size_t s1 = (size_t)h0, c1 = (size_t)nh;
    NC(nc_put_vara_int(o->ncid, o->v_calm, &s1, &c1, calm));
    return LT_OK;
fail:
    return rc;
}

int lt_output_field_index(const lt_output *o, int field, int h)
{
    int mode = o->avg[field];
    if (mode == LT_AVG_HOUR)
        return h;
    if (mode == LT_AVG_PERIOD)
        return 0;
    return (int)lt_local_day_index(o->start_s + 3600.0 * h, o->day0_s);
}

int lt_output_write_field(lt_output *o, int field, int t0, int nt, const float *data, lt_error *err)
{
    int rc = LT_OK;
    size_t ng = (size_t)o->ny * (size_t)o->nx;
    if (field == LT_FIELD_SRC || field == LT_FIELD_COUNTY) {
        size_t nl = field == LT_FIELD_SRC ? (size_t)o->ntags : o->nsrc_cty;
        if (o->avg[field] == LT_AVG_HOUR)
            return put_hours(o, field == LT_FIELD_SRC ? o->v_src : o->v_cty, t0, nt, (int)nl, nl * ng, data, err);
        size_t s4[4] = {(size_t)t0, 0, 0, 0}, c4[4] = {(size_t)nt, nl, (size_t)o->ny, (size_t)o->nx};
        NC(nc_put_vara_float(o->ncid, field == LT_FIELD_SRC ? o->v_src : o->v_cty, s4, c4, data));
        return LT_OK;
    }
    if (o->ncomp < 2)
        return LT_OK;
    for (int c = 0; c < o->ncomp; c++) {
        if (o->avg[field] == LT_AVG_HOUR) {
            if ((rc = put_hours(o, o->v_comp[c], t0, nt, 1, (size_t)o->ncomp * ng, data + (size_t)c * ng, err)))
                return rc;
            continue;
        }
        for (int t = 0; t < nt; t++) {
            size_t s3[3] = {(size_t)(t0 + t), 0, 0}, c3[3] = {1, (size_t)o->ny, (size_t)o->nx};
            NC(nc_put_vara_float(o->ncid, o->v_comp[c], s3, c3, data + ((size_t)t * o->ncomp + (size_t)c) * ng));
        }
    }
    return LT_OK;
fail:
    return rc;
}

int lt_output_write_assessment(lt_output *o, const lt_assessment *a, lt_error *err)
{
    int rc = LT_OK;
    size_t nd = a->ndays, nst = a->nst;
    float *f = malloc((nd * (nst ? nst : 1) + nd) * sizeof *f);
    signed char *b = malloc(2 * nd * sizeof *b);
    if (!f || !b) {
        free(f);
        free(b);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nd * nst; i++)
        f[i] = isnan(a->st_pm25[i]) ? NC_FILL_FLOAT : (float)a->st_pm25[i];
    for (size_t d = 0; d < nd; d++) {
        f[nd * nst + d] = isnan(a->city_pm25[d]) ? NC_FILL_FLOAT : (float)a->city_pm25[d];
        b[d] = (signed char)a->city_cat[d];
        b[nd + d] = (signed char)a->alert_day[d];
    }
    if (nst) {
        NC(nc_put_var_float(o->ncid, o->v_stday, f));
        NC(nc_put_var_int(o->ncid, o->v_staqi, a->st_aqi));
    }
    NC(nc_put_var_float(o->ncid, o->v_cityday, f + nd * nst));
    NC(nc_put_var_int(o->ncid, o->v_cityaqi, a->city_aqi));
    NC(nc_put_var_schar(o->ncid, o->v_citycat, b));
    if (o->ncounty && a->ncounty == o->ncounty) {
        float *cf = malloc(nd * o->ncounty * sizeof *cf);
        if (!cf) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < nd * o->ncounty; i++)
            cf[i] = isnan(a->county_pm25[i]) ? NC_FILL_FLOAT : (float)a->county_pm25[i];
        int st2 = nc_put_var_float(o->ncid, o->v_cday, cf);
        free(cf);
        NC(st2);
        NC(nc_put_var_int(o->ncid, o->v_caqi, a->county_aqi));
    }
    if (o->v_alert >= 0)
        NC(nc_put_var_schar(o->ncid, o->v_alert, b + nd));
    free(f);
    free(b);
    {
        char note[160];
        snprintf(note, sizeof note, "valid days %d, good days (AQI <= 100) %d, heavy-pollution days (AQI > 200) %d, "
                 "exceedance days (24-h PM2.5 > limit) %d, alert days %d",
                 a->valid_days, a->good_days, a->heavy_days, a->exceed_days, a->alert_days);
        return lt_output_note(o, "lantian_assessment", note, err);
    }
fail:
    free(f);
    free(b);
    return rc;
}

int lt_output_write_means(lt_output *o, int s, const double *mean, const float *st_src,
                          const lt_assessment *a, lt_error *err)
{
    int rc = LT_OK;
    size_t ncell = (size_t)o->nx * (size_t)o->ny;
    float *f = malloc(ncell * sizeof *f);
    float *st = NULL;
    signed char *b = NULL;
    if (!f) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < ncell; i++)
        f[i] = (float)mean[i];
    if (s < 0) {
        NC(nc_put_var_float(o->ncid, o->v_mean, f));
        free(f);
        return LT_OK;
    }
    if (s >= o->nscen) {
        rc = lt_error_set(err, LT_EINTERNAL, "scenario %d beyond the %d defined", s, o->nscen);
        goto fail;
    }
    size_t st3[3] = {(size_t)s, 0, 0}, c3[3] = {1, (size_t)o->ny, (size_t)o->nx};
    NC(nc_put_vara_float(o->ncid, o->v_smean, st3, c3, f));
    size_t nh = (size_t)o->hours, nst = o->nst, nd = a->ndays;
    if (nst) {
        st = malloc(nh * nst * sizeof *st);
        if (!st) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t h = 0; h < nh; h++)
            for (size_t k = 0; k < nst; k++) {
                double v = 0.0;
                for (int g = 0; g < o->ntags; g++)
                    v += st_src[(h * (size_t)o->ntags + (size_t)g) * nst + k];
                st[h * nst + k] = (float)v;
            }
        size_t c3s[3] = {1, nh, nst};
        NC(nc_put_vara_float(o->ncid, o->v_sst, st3, c3s, st));
        size_t s4[4] = {(size_t)s, 0, 0, 0}, c4[4] = {1, nh, (size_t)o->ntags, nst};
        NC(nc_put_vara_float(o->ncid, o->v_sstsrc, s4, c4, st_src));
        size_t c3a[3] = {1, nd, nst};
        NC(nc_put_vara_int(o->ncid, o->v_sstaqi, st3, c3a, a->st_aqi));
        float *sd = malloc(nd * nst * sizeof *sd);
        if (!sd) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < nd * nst; i++)
            sd[i] = isnan(a->st_pm25[i]) ? NC_FILL_FLOAT : (float)a->st_pm25[i];
        int st_sd = nc_put_vara_float(o->ncid, o->v_sstday, st3, c3a, sd);
        free(sd);
        NC(st_sd);
        if (o->v_scaqi >= 0 && a->ncounty == o->ncounty) {
            size_t c3c[3] = {1, nd, o->ncounty};
            NC(nc_put_vara_int(o->ncid, o->v_scaqi, st3, c3c, a->county_aqi));
        }
    }
    float *cd = f; /* reuse: nd <= ncell is not guaranteed, so allocate */
    if (nd > ncell) {
        cd = malloc(nd * sizeof *cd);
        if (!cd) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
    }
    for (size_t d = 0; d < nd; d++)
        cd[d] = isnan(a->city_pm25[d]) ? NC_FILL_FLOAT : (float)a->city_pm25[d];
    size_t s2[2] = {(size_t)s, 0}, c2[2] = {1, nd};
    int st_put = nc_put_vara_float(o->ncid, o->v_scityday, s2, c2, cd);
    if (cd != f)
        free(cd);
    NC(st_put);
    NC(nc_put_vara_int(o->ncid, o->v_scityaqi, s2, c2, a->city_aqi));
    b = malloc(nd * sizeof *b);
    if (!b) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t d = 0; d < nd; d++)
        b[d] = (signed char)a->city_cat[d];
    NC(nc_put_vara_schar(o->ncid, o->v_scitycat, s2, c2, b));
    if (o->v_salert >= 0) {
        for (size_t d = 0; d < nd; d++)
            b[d] = (signed char)a->alert_day[d];
        NC(nc_put_vara_schar(o->ncid, o->v_salert, s2, c2, b));
    }
fail:
    free(f);
    free(st);
    free(b);
    return rc;
}

int lt_output_write_budget(lt_output *o, const double *budget, lt_error *err)
{
    int rc = LT_OK;
    if (o->v_budget < 0)
        return LT_OK;
    NC(nc_put_var_double(o->ncid, o->v_budget, budget));
    return LT_OK;
fail:
    return rc;
}

int lt_output_write_zero_out(lt_output *o, const float *zo, const float *tagged, lt_error *err)
{
    int rc = LT_OK;
    if (o->v_zo < 0)
        return LT_OK;
    size_t s3[3] = {0, 0, 0}, c3[3] = {(size_t)o->hours, (size_t)o->ntags, o->nst};
    NC(nc_put_vara_float(o->ncid, o->v_zo, s3, c3, zo));
    NC(nc_put_vara_float(o->ncid, o->v_zotag, s3, c3, tagged));
    return LT_OK;
fail:
    return rc;
}

int lt_output_snapshot(lt_output *o, const char *dest, lt_error *err)
{
    int rc = deflate_pending(o, err);
    if (rc)
        return rc;
    NC(nc_sync(o->ncid)); /* everything written so far on disk, metadata too */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", dest);
    FILE *in = fopen(o->tmp, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    int bad = !in || !out;
    char buf[1 << 16];
    size_t n;
    while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0)
        bad = fwrite(buf, 1, n, out) != n;
    bad |= in && ferror(in);
    if (in)
        fclose(in);
    if (out)
        bad |= fclose(out) != 0;
    if (bad || rename(tmp, dest) != 0) {
        remove(tmp);
        return lt_error_set(err, LT_EIO, "%s: cannot copy the partial output for the checkpoint", dest);
    }
    return LT_OK;
fail:
    return rc;
}

int lt_output_restore(lt_output *o, const char *from, lt_error *err)
{
    int rc = LT_OK, src = -1, nv = 0;
    void *buf = NULL;
    int st = nc_open(from, NC_NOWRITE, &src);
    if (st != NC_NOERR)
        return lt_error_set(err, LT_EIO, "%s: cannot open the checkpoint's output copy: %s", from, nc_strerror(st));
    NC(nc_inq_nvars(src, &nv));
    for (int v = 0; v < nv; v++) {
        char name[NC_MAX_NAME + 1];
        int nd, dims[NC_MAX_VAR_DIMS], dst;
        nc_type t;
        size_t tsize, len[NC_MAX_VAR_DIMS], slab = 1;
        NC(nc_inq_var(src, v, name, &t, &nd, dims, NULL));
        if (nc_inq_varid(o->ncid, name, &dst) != NC_NOERR)
            continue;
        NC(nc_inq_type(src, t, NULL, &tsize));
        for (int d = 0; d < nd; d++) {
            NC(nc_inq_dimlen(src, dims[d], &len[d]));
            if (d > 0)
                slab *= len[d];
        }
        /* one record along the first dimension at a time */
        size_t nrec = nd ? len[0] : 1;
        void *nb = realloc(buf, (slab ? slab : 1) * tsize);
        if (!nb) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory restoring %s", name);
            goto fail;
        }
        buf = nb;
        for (size_t r = 0; r < nrec; r++) {
            size_t start[NC_MAX_VAR_DIMS] = {0}, count[NC_MAX_VAR_DIMS];
            for (int d = 0; d < nd; d++)
                count[d] = d ? len[d] : 1;
            start[0] = r;
            if (nd) {
                NC(nc_get_vara(src, v, start, count, buf));
                NC(nc_put_vara(o->ncid, dst, start, count, buf));
            } else {
                NC(nc_get_var(src, v, buf));
                NC(nc_put_var(o->ncid, dst, buf));
            }
        }
    }
    free(buf);
    nc_close(src);
    return LT_OK;
fail:
    free(buf);
    nc_close(src);
    return rc;
}

const char *lt_output_partial_path(const lt_output *o)
{
    return o->tmp;
}

int lt_output_note(lt_output *o, const char *name, const char *value, lt_error *err)
{
    int rc = LT_OK;
    NC(nc_redef(o->ncid));
    NC(put_text(o->ncid, NC_GLOBAL, name, value));
    NC(nc_enddef(o->ncid));
    return LT_OK;
fail:
    return rc;
}

int lt_output_commit(lt_output **op, lt_error *err)
{
    lt_output *o = *op;
    int rc = deflate_pending(o, err);
    if (rc) {
        lt_output_abort(op);
        return rc;
    }
    h5_close(o);
    int st = nc_close(o->ncid);
    o->ncid = -1;
    if (st) {
        rc = lt_error_set(err, LT_EIO, "%s: closing the output: %s", o->path, nc_strerror(st));
        lt_output_abort(op);
        return rc;
    }
    if (rename(o->tmp, o->path) != 0) {
        rc = lt_error_set(err, LT_EIO, "%s: cannot rename %s to it", o->path, o->tmp);
        lt_output_abort(op);
        return rc;
    }
    free(o->tmp);
    free(o->path);
    free(o);
    *op = NULL;
    return LT_OK;
}

void lt_output_abort(lt_output **op)
{
    if (!op || !*op)
        return;
    lt_output *o = *op;
    for (int j = 0; j < o->njobs; j++)
        free(o->jobs[j].data);
    h5_close(o);
    if (o->ncid >= 0)
        nc_close(o->ncid);
    if (o->tmp)
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    free(o);
    *op = NULL;
}
