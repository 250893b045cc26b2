/* output.c — the frame of the run's CF NetCDF-4 file (see output.h and
 * docs/output.md): axes, grid, stations, tag labels, provenance; the label
 * dimensions and side files products ask for; commit and abort. */
#define _GNU_SOURCE /* memfd_create */
#include "io/output.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <netcdf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "core/lt_time.h"
#include "io/config.h"
#include "io/output_impl.h"

#define NC(call)                                                                    \
    do {                                                                            \
        int st_ = (call);                                                           \
        if (st_ != NC_NOERR) {                                                      \
            rc = lt_output_fail(o, st_, __FILE__, __LINE__, err);                   \
            goto fail;                                                              \
        }                                                                           \
    } while (0)

static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

/* Free bytes on the file system holding path's folder (-1: unknown). */
static double free_bytes(const char *path)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    struct statvfs v;
    return statvfs(dir, &v) == 0 ? (double)v.f_bavail * (double)v.f_frsize : -1.0;
}

int lt_output_disk_full(const lt_output *o, double *avail)
{
    *avail = free_bytes(o->path);
    return errno == ENOSPC || (*avail >= 0 && *avail < 4.0 * 1048576);
}

int lt_output_fail(const lt_output *o, int status, const char *file, int line, lt_error *err)
{
    double avail;
    if (lt_output_disk_full(o, &avail))
        return lt_error_set(err, LT_EIO,
                            "%s: writing the output: the disk is full (%.1f MB free on its file system; %s at %s:%d): "
                            "expected room for the output (lantian check estimates its size)",
                            o->path, avail / 1048576, nc_strerror(status), file, line);
    return lt_error_set(err, LT_EIO, "%s: writing the output: %s (at %s:%d)", o->path, nc_strerror(status), file,
                        line);
}

static int put_text(int ncid, int varid, const char *name, const char *value)
{
    return nc_put_att_text(ncid, varid, name, strlen(value), value);
}

int lt_output_atts(lt_output *o, int varid, lt_error *err, ...)
{
    va_list ap;
    va_start(ap, err);
    const char *name;
    int st = NC_NOERR;
    while (!st && (name = va_arg(ap, const char *)) != NULL)
        st = put_text(o->ncid, varid, name, va_arg(ap, const char *));
    va_end(ap);
    return st ? lt_output_fail(o, st, __FILE__, __LINE__, err) : LT_OK;
}

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

int lt_output_def_float(lt_output *o, const char *name, int nd, const int *dims, const size_t *chunks,
                        int *varid, lt_error *err)
{
    int st = nc_def_var(o->ncid, name, NC_FLOAT, nd, dims, varid);
    if (!st)
        st = nc_def_var_chunking(o->ncid, *varid, NC_CHUNKED, chunks);
    if (!st && o->deflate > 0)
        st = nc_def_var_deflate(o->ncid, *varid, 1, 1, o->deflate);
    if (!st && o->quantize > 0)
        st = nc_def_var_quantize(o->ncid, *varid, NC_QUANTIZE_BITGROOM, o->quantize);
    return st ? lt_output_fail(o, st, __FILE__, __LINE__, err) : LT_OK;
}

int lt_output_def_station_float(lt_output *o, const char *name, int nd, const int *dims,
                                const size_t *chunks, const char *long_name, int *varid, lt_error *err)
{
    int rc = lt_output_def_float(o, name, nd, dims, chunks, varid, err);
    if (rc)
        return rc;
    return lt_output_atts(o, *varid, err, "long_name", long_name, "units", "ug m-3", "cell_methods", "time: mean",
                          "coordinates", "station_lat station_lon station_name", NULL);
}

int lt_output_ncid(const lt_output *o)
{
    return o->ncid;
}

int lt_output_dim(const lt_output *o, const char *name)
{
    static const char *const names[] = {"time", "nv", "y", "x", "source", "source_county", "station", "strlen",
                                        "day", "period"};
    const int ids[] = {o->d_time, o->d_nv, o->d_y, o->d_x, o->d_src, o->d_cty, o->d_st, o->d_str, o->d_day,
                       o->d_period};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i]))
            return ids[i];
    return -1;
}

void lt_output_chunking(const lt_output *o, size_t *ct, size_t *cy, size_t *cx, size_t *cs)
{
    *ct = o->ct;
    *cy = o->cy;
    *cx = o->cx;
    *cs = o->cs;
}

size_t lt_output_ndays(const lt_output *o) { return o->ndays; }
double lt_output_day0(const lt_output *o) { return o->day0_s; }

int lt_output_day_of_hour(const lt_output *o, int h)
{
    return (int)lt_local_day_index(o->start_s + 3600.0 * h, o->day0_s);
}

int lt_output_def_labels(lt_output *o, const char *dim, const char *var, const char *long_name, int utf8,
                         size_t n, const char *const *names, int *dimid, lt_error *err)
{
    int rc = LT_OK;
    for (int i = 0; i < o->nlabels; i++)
        if (!strcmp(o->labels[i].dim, dim)) {
            *dimid = o->labels[i].dimid;
            return LT_OK;
        }
    if (o->nlabels == LT_OUT_MAX_LABELS)
        return lt_error_set(err, LT_EINTERNAL, "%s: more than %d label dimensions", o->path, LT_OUT_MAX_LABELS);
    struct out_label *l = &o->labels[o->nlabels];
    l->text = calloc(n ? n : 1, LT_OUT_STRLEN);
    if (!l->text)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    o->nlabels++;
    snprintf(l->dim, sizeof l->dim, "%s", dim);
    l->n = n;
    for (size_t i = 0; i < n; i++)
        strncpy(l->text + i * LT_OUT_STRLEN, names[i], LT_OUT_STRLEN - 1);
    NC(nc_def_dim(o->ncid, dim, n, &l->dimid));
    int dd[2] = {l->dimid, o->d_str};
    NC(nc_def_var(o->ncid, var, NC_CHAR, 2, dd, &l->varid));
    NC(put_text(o->ncid, l->varid, "long_name", long_name));
    if (utf8)
        NC(put_text(o->ncid, l->varid, "_Encoding", "utf-8"));
    *dimid = l->dimid;
    return LT_OK;
fail:
    return rc;
}

/* Labels as the frame writes them: n names of at most LT_OUT_STRLEN - 1 bytes. */
static int put_names(int ncid, int varid, size_t n, const char *(*get)(const void *, size_t), const void *ctx)
{
    char *buf = calloc(n ? n : 1, LT_OUT_STRLEN);
    if (!buf)
        return NC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        strncpy(buf + i * LT_OUT_STRLEN, get(ctx, i), LT_OUT_STRLEN - 1);
    int st = n ? nc_put_var_text(ncid, varid, buf) : NC_NOERR;
    free(buf);
    return st;
}

static const char *str_at(const void *ctx, size_t i) { return ((const char *const *)ctx)[i]; }
static const char *st_name(const void *ctx, size_t i) { return ((const lt_station *)ctx)[i].name; }
static const char *st_id(const void *ctx, size_t i) { return ((const lt_station *)ctx)[i].id; }
static const char *st_county(const void *ctx, size_t i) { return ((const lt_station *)ctx)[i].county; }
static const char *region_at(const void *ctx, size_t i) { return lt_regions_name(ctx, i); }

/* x, y, lat, lon and the grid mapping of the transverse Mercator grid. */
static int def_grid(lt_output *o, lt_error *err)
{
    int rc = LT_OK, v_crs;
    const lt_domain *d = o->spec.domain;
    NC(nc_def_var(o->ncid, "x", NC_DOUBLE, 1, &o->d_x, &o->v_x));
    NC(put_text(o->ncid, o->v_x, "standard_name", "projection_x_coordinate"));
    NC(put_text(o->ncid, o->v_x, "long_name", "x of the cell centre on the transverse Mercator grid"));
    NC(put_text(o->ncid, o->v_x, "units", "m"));
    NC(put_text(o->ncid, o->v_x, "axis", "X"));
    NC(nc_def_var(o->ncid, "y", NC_DOUBLE, 1, &o->d_y, &o->v_y));
    NC(put_text(o->ncid, o->v_y, "standard_name", "projection_y_coordinate"));
    NC(put_text(o->ncid, o->v_y, "long_name", "y of the cell centre on the transverse Mercator grid"));
    NC(put_text(o->ncid, o->v_y, "units", "m"));
    NC(put_text(o->ncid, o->v_y, "axis", "Y"));
    int dims[2] = {o->d_y, o->d_x};
    NC(nc_def_var(o->ncid, "lat", NC_DOUBLE, 2, dims, &o->v_lat));
    NC(put_text(o->ncid, o->v_lat, "standard_name", "latitude"));
    NC(put_text(o->ncid, o->v_lat, "units", "degrees_north"));
    NC(nc_def_var(o->ncid, "lon", NC_DOUBLE, 2, dims, &o->v_lon));
    NC(put_text(o->ncid, o->v_lon, "standard_name", "longitude"));
    NC(put_text(o->ncid, o->v_lon, "units", "degrees_east"));
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
    return LT_OK;
fail:
    return rc;
}

/* The stations, the tag labels and the county raster. */
static int def_labels(lt_output *o, lt_error *err)
{
    int rc = LT_OK;
    const lt_output_spec *s = &o->spec;
    int dims[2] = {o->d_src, o->d_str};
    NC(nc_def_var(o->ncid, "source_name", NC_CHAR, 2, dims, &o->v_sname));
    NC(put_text(o->ncid, o->v_sname, "long_name", "emission sector of each source tag"));
    NC(put_text(o->ncid, o->v_sname, "_Encoding", "utf-8"));
    dims[0] = o->d_st;
    NC(nc_def_var(o->ncid, "station_name", NC_CHAR, 2, dims, &o->v_stname));
    NC(put_text(o->ncid, o->v_stname, "long_name", "station name"));
    NC(put_text(o->ncid, o->v_stname, "cf_role", "timeseries_id"));
    NC(put_text(o->ncid, o->v_stname, "_Encoding", "utf-8"));
    NC(nc_def_var(o->ncid, "station_id", NC_CHAR, 2, dims, &o->v_stid));
    NC(put_text(o->ncid, o->v_stid, "long_name", "station identifier"));
    NC(put_text(o->ncid, o->v_stid, "_Encoding", "utf-8"));
    NC(nc_def_var(o->ncid, "station_county", NC_CHAR, 2, dims, &o->v_stcounty));
    NC(put_text(o->ncid, o->v_stcounty, "long_name", "county of the station"));
    NC(put_text(o->ncid, o->v_stcounty, "_Encoding", "utf-8"));
    NC(nc_def_var(o->ncid, "station_lon", NC_DOUBLE, 1, &o->d_st, &o->v_stlon));
    NC(put_text(o->ncid, o->v_stlon, "standard_name", "longitude"));
    NC(put_text(o->ncid, o->v_stlon, "units", "degrees_east"));
    NC(nc_def_var(o->ncid, "station_lat", NC_DOUBLE, 1, &o->d_st, &o->v_stlat));
    NC(put_text(o->ncid, o->v_stlat, "standard_name", "latitude"));
    NC(put_text(o->ncid, o->v_stlat, "units", "degrees_north"));
    NC(nc_def_var(o->ncid, "station_x", NC_DOUBLE, 1, &o->d_st, &o->v_stx));
    NC(put_text(o->ncid, o->v_stx, "units", "m"));
    NC(put_text(o->ncid, o->v_stx, "long_name", "station x on the grid's projection"));
    NC(nc_def_var(o->ncid, "station_y", NC_DOUBLE, 1, &o->d_st, &o->v_sty));
    NC(put_text(o->ncid, o->v_sty, "units", "m"));
    NC(put_text(o->ncid, o->v_sty, "long_name", "station y on the grid's projection"));
    NC(nc_def_dim(o->ncid, "source_county", s->nsrc_counties, &o->d_cty));
    int dn[2] = {o->d_cty, o->d_str};
    NC(nc_def_var(o->ncid, "source_county_name", NC_CHAR, 2, dn, &o->v_ctyname));
    NC(put_text(o->ncid, o->v_ctyname, "long_name",
                "county of the sources of each county tag (from their county column or [domain] counties)"));
    NC(put_text(o->ncid, o->v_ctyname, "_Encoding", "utf-8"));
    o->v_rname = o->v_cell = -1;
    if (s->regions) {
        int d_reg;
        NC(nc_def_dim(o->ncid, "region", lt_regions_count(s->regions), &d_reg));
        int rd[2] = {d_reg, o->d_str};
        NC(nc_def_var(o->ncid, "region_name", NC_CHAR, 2, rd, &o->v_rname));
        NC(put_text(o->ncid, o->v_rname, "long_name", "county polygons of [domain] counties"));
        NC(put_text(o->ncid, o->v_rname, "_Encoding", "utf-8"));
        int cd[2] = {o->d_y, o->d_x}, rfill = -1;
        NC(nc_def_var(o->ncid, "cell_region", NC_INT, 2, cd, &o->v_cell));
        NC(nc_def_var_fill(o->ncid, o->v_cell, 0, &rfill));
        NC(put_text(o->ncid, o->v_cell, "long_name",
                    "index into region_name of the county holding the cell centre (-1: none)"));
        NC(put_text(o->ncid, o->v_cell, "coordinates", "lat lon"));
        NC(put_text(o->ncid, o->v_cell, "grid_mapping", "crs"));
    }
    return LT_OK;
fail:
    return rc;
}

/* The time, day and period axes. */
static int def_axes(lt_output *o, const char *units, lt_error *err)
{
    int rc = LT_OK;
    const lt_output_spec *s = &o->spec;
    NC(def_time_axis(o->ncid, "time", o->d_time, o->d_nv, "middle of the averaging hour", units, &o->v_time,
                     &o->v_tb));
    NC(put_text(o->ncid, o->v_time, "axis", "T"));
    /* local calendar days (the assessment's, or [sources] utc_offset_hours) */
    o->day0_s = lt_local_day_start(s->start_s, s->day_utc_offset_h);
    o->ndays = (size_t)lt_local_day_index(s->start_s + 3600.0 * (s->hours - 1), o->day0_s) + 1;
    NC(nc_def_dim(o->ncid, "day", o->ndays, &o->d_day));
    NC(def_time_axis(o->ncid, "day", o->d_day, o->d_nv,
                     "middle of the local calendar day (China Standard Time for HJ 633)", units, &o->v_day,
                     &o->v_daybnds));
    NC(nc_def_dim(o->ncid, "period", 1, &o->d_period));
    NC(def_time_axis(o->ncid, "period", o->d_period, o->d_nv, "middle of the whole run", units, &o->v_period,
                     &o->v_periodbnds));
    return LT_OK;
fail:
    return rc;
}

/* Global attributes: CF, ACDD and provenance. */
static int def_globals(lt_output *o, lt_error *err)
{
    int rc = LT_OK;
    const lt_output_spec *s = &o->spec;
    char now[32], end[32], iso[32], buf[256];
    lt_format_iso8601((double)time(NULL), now, sizeof now);
    lt_format_iso8601(s->start_s, iso, sizeof iso);
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
        return LT_OK;
    }
    char g[512];
    snprintf(g, sizeof g,
             "Eulerian grid model: %d x %d columns of %g m, %d layers up to %g m; flux-form MC-limited "
             "advection (Strang split), backward-Euler K-profile diffusion, first-order SO2/NOx/VOC "
             "conversion, wet scavenging, sulfate-first NH4NO3 equilibrium (Mozurkewich 1993)%s",
             s->grid_nx, s->grid_ny, s->grid_dx_m, s->grid_nz, s->grid_top_m,
             s->solver == LT_SOLVER_HYBRID
                 ? "; hybrid: grid + each explicit source's plume - its grid-cell mean (Isakov et al. 2007)"
                 : "");
    NC(put_text(o->ncid, NC_GLOBAL, "lantian_grid_model", g));
    NC(put_text(o->ncid, NC_GLOBAL, "lantian_apportionment",
                "source dimension = emission sector; every species is carried per tag (sector x county x "
                "scenario rules, and the boundary inflow). Transport, deposition and first-order chemistry "
                "keep tags exactly (tags are rescaled to the untagged bulk after each advection step, as in "
                "CAMx PSAT, because the limiter is nonlinear). The nonlinear NH4NO3 partition is attributed "
                "in proportion to the precursor tags: particulate nitrate to the tags' total nitrate (from "
                "NOx), ammonium to the tags' total ammonia (from NH3). Scenarios recombine the tags linearly; "
                "station_pm25_zero_out (when written) gives the brute-force contributions beside them."));
    return LT_OK;
fail:
    return rc;
}

int lt_output_create(lt_output **out, const lt_output_spec *s, lt_error *err)
{
    *out = NULL;
    int rc = LT_OK;
    lt_output *o = calloc(1, sizeof *o);
    if (!o)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    o->ncid = -1;
    o->h5file = -1;
    o->spec = *s;
    o->path = strdup(s->path);
    size_t tl = strlen(s->path) + 32;
    o->tmp = malloc(tl);
    if (!o->path || !o->tmp) {
        lt_output_abort(&o);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    snprintf(o->tmp, tl, "%s.part%ld", s->path, (long)getpid());
    o->nx = lt_domain_nx(s->domain);
    o->ny = lt_domain_ny(s->domain);
    o->hours = s->hours;
    o->nst = s->nstations;
    o->start_s = s->start_s;
    o->deflate = s->deflate;
    o->quantize = s->significant_digits;
    o->ct = min_sz(24, (size_t)s->hours);
    o->cy = min_sz(64, (size_t)o->ny);
    o->cx = min_sz(64, (size_t)o->nx);
    o->cs = s->nstations ? s->nstations : 1;
    o->ty = ((size_t)o->ny + o->cy - 1) / o->cy;
    o->tx = ((size_t)o->nx + o->cx - 1) / o->cx;

    /* No chunk cache for the file's variables: every write is of whole
     * chunks, and dirty chunks held in a cache would be flushed at close,
     * where a full disk leaves HDF5 unable to close the file (it then crashes
     * at exit). netCDF's default cache (process-wide) is set to none while
     * the variables are defined, and put back by lt_output_begin_data. */
    nc_get_chunk_cache(&o->cache_size, &o->cache_nelems, &o->cache_preemption);
    nc_set_chunk_cache(0, 0, 1.0f);
    o->cache_set = 1;
    lt_temp_add(s->temp_files, o->tmp);
    int st = nc_create(o->tmp, NC_NETCDF4 | NC_CLOBBER, &o->ncid);
    if (st) {
        o->ncid = -1;
        rc = lt_error_set(err, LT_EIO, "%s: cannot create the output (as %s): %s", s->path, o->tmp,
                          nc_strerror(st));
        goto fail;
    }
    o->defining = 1;
    NC(nc_def_dim(o->ncid, "time", (size_t)s->hours, &o->d_time));
    NC(nc_def_dim(o->ncid, "nv", 2, &o->d_nv));
    NC(nc_def_dim(o->ncid, "y", (size_t)o->ny, &o->d_y));
    NC(nc_def_dim(o->ncid, "x", (size_t)o->nx, &o->d_x));
    NC(nc_def_dim(o->ncid, "source", (size_t)s->ntags, &o->d_src));
    NC(nc_def_dim(o->ncid, "station", s->nstations, &o->d_st));
    NC(nc_def_dim(o->ncid, "strlen", LT_OUT_STRLEN, &o->d_str));
    char units[64];
    time_t t0 = (time_t)s->start_s;
    struct tm tm;
    gmtime_r(&t0, &tm);
    strftime(units, sizeof units, "hours since %Y-%m-%d %H:%M:%S", &tm);
    if ((rc = def_axes(o, units, err)) || (rc = def_grid(o, err)) || (rc = def_labels(o, err)) ||
        (rc = def_globals(o, err)))
        goto fail;
    *out = o;
    return LT_OK;
fail:
    lt_output_abort(&o);
    return rc;
}

/* The values of the time, day and period axes. */
static int put_axes(lt_output *o, lt_error *err)
{
    int rc = LT_OK, hours = o->hours;
    double *tv = malloc((size_t)hours * 2 * sizeof *tv);
    if (!tv)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int h = 0; h < hours; h++) {
        tv[2 * h] = h;
        tv[2 * h + 1] = h + 1;
    }
    int st = nc_put_var_double(o->ncid, o->v_tb, tv);
    for (int h = 0; h < hours && !st; h++)
        tv[h] = h + 0.5;
    if (!st)
        st = nc_put_var_double(o->ncid, o->v_time, tv);
    free(tv);
    NC(st);
    double mid = 0.5 * hours, b[2] = {0.0, (double)hours};
    size_t i0 = 0;
    NC(nc_put_var1_double(o->ncid, o->v_period, &i0, &mid));
    NC(nc_put_var_double(o->ncid, o->v_periodbnds, b));
    for (size_t di = 0; di < o->ndays; di++) {
        size_t i2[2] = {di, 0}, c2[2] = {1, 2};
        double dmid = (o->day0_s + ((double)di + 0.5) * 86400.0 - o->start_s) / 3600.0;
        double db[2] = {dmid - 12.0, dmid + 12.0};
        NC(nc_put_var1_double(o->ncid, o->v_day, &di, &dmid));
        NC(nc_put_vara_double(o->ncid, o->v_daybnds, i2, c2, db));
    }
    return LT_OK;
fail:
    return rc;
}

/* The values of x, y, lat and lon. */
static int put_grid(lt_output *o, lt_error *err)
{
    const lt_domain *d = o->spec.domain;
    size_t n = (size_t)o->nx * (size_t)o->ny;
    double *lat = malloc(n * sizeof *lat), *lon = malloc(n * sizeof *lon);
    double *ax = malloc(((size_t)o->nx + (size_t)o->ny) * sizeof *ax);
    int st = NC_ENOMEM;
    if (lat && lon && ax) {
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
        st = nc_put_var_double(o->ncid, o->v_lat, lat);
        if (!st)
            st = nc_put_var_double(o->ncid, o->v_lon, lon);
        if (!st)
            st = nc_put_var_double(o->ncid, o->v_x, ax);
        if (!st)
            st = nc_put_var_double(o->ncid, o->v_y, ax + o->nx);
    }
    free(lat);
    free(lon);
    free(ax);
    if (st == NC_ENOMEM)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    return st ? lt_output_fail(o, st, __FILE__, __LINE__, err) : LT_OK;
}

/* The stations, the labels and the county raster. */
static int put_labels(lt_output *o, lt_error *err)
{
    int rc = LT_OK;
    const lt_output_spec *s = &o->spec;
    NC(put_names(o->ncid, o->v_ctyname, s->nsrc_counties, str_at, s->src_county_names));
    NC(put_names(o->ncid, o->v_sname, (size_t)s->ntags, str_at, s->tag_names));
    NC(put_names(o->ncid, o->v_stname, s->nstations, st_name, s->stations));
    NC(put_names(o->ncid, o->v_stid, s->nstations, st_id, s->stations));
    NC(put_names(o->ncid, o->v_stcounty, s->nstations, st_county, s->stations));
    for (size_t i = 0; i < s->nstations; i++) {
        NC(nc_put_var1_double(o->ncid, o->v_stlon, &i, &s->stations[i].lon));
        NC(nc_put_var1_double(o->ncid, o->v_stlat, &i, &s->stations[i].lat));
        NC(nc_put_var1_double(o->ncid, o->v_stx, &i, &s->stations[i].x_m));
        NC(nc_put_var1_double(o->ncid, o->v_sty, &i, &s->stations[i].y_m));
    }
    if (s->regions) {
        NC(put_names(o->ncid, o->v_rname, lt_regions_count(s->regions), region_at, s->regions));
        NC(nc_put_var_int(o->ncid, o->v_cell, s->cell_region));
    }
    for (int i = 0; i < o->nlabels; i++)
        if (o->labels[i].n)
            NC(nc_put_var_text(o->ncid, o->labels[i].varid, o->labels[i].text));
    return LT_OK;
fail:
    return rc;
}

/* netCDF's default chunk cache as it was before the file was created. */
static void restore_cache(lt_output *o)
{
    if (o->cache_set)
        nc_set_chunk_cache(o->cache_size, o->cache_nelems, o->cache_preemption);
    o->cache_set = 0;
}

int lt_output_begin_data(lt_output *o, lt_error *err)
{
    int rc = LT_OK;
    int st = nc_enddef(o->ncid);
    restore_cache(o);
    NC(st);
    o->defining = 0;
    if ((rc = put_axes(o, err)) || (rc = put_grid(o, err)) || (rc = put_labels(o, err)))
        return rc;
    return LT_OK;
fail:
    return rc;
}

int lt_output_side_file(lt_output *o, const char *suffix, const char **final, const char **tmp, lt_error *err)
{
    if (o->nside == LT_OUT_MAX_SIDE)
        return lt_error_set(err, LT_EINTERNAL, "%s: more than %d side files", o->path, LT_OUT_MAX_SIDE);
    size_t n = strlen(o->path);
    if (n > 3 && !strcmp(o->path + n - 3, ".nc"))
        n -= 3;
    size_t len = n + strlen(suffix) + 1;
    struct out_side *s = &o->side[o->nside];
    s->final = malloc(len);
    s->tmp = malloc(len + 32);
    if (!s->final || !s->tmp) {
        free(s->final);
        free(s->tmp);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    snprintf(s->final, len, "%.*s%s", (int)n, o->path, suffix);
    snprintf(s->tmp, len + 32, "%s.part%ld", s->final, (long)getpid());
    lt_temp_add(o->spec.temp_files, s->tmp);
    o->nside++;
    *final = s->final;
    *tmp = s->tmp;
    return LT_OK;
}

int lt_output_snapshot(lt_output *o, const char *dest, lt_error *err)
{
    int rc = lt_output_flush_chunks(o, err);
    if (rc)
        return rc;
    NC(nc_sync(o->ncid)); /* everything written so far on disk, metadata too */
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", dest);
    lt_temp_add(o->spec.temp_files, tmp);
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
        lt_temp_drop(o->spec.temp_files, tmp);
        return lt_error_set(err, LT_EIO, "%s: cannot copy the partial output for the checkpoint", dest);
    }
    lt_temp_drop(o->spec.temp_files, tmp);
    return LT_OK;
fail:
    return rc;
}

/* Variable v of src copied into dst, one record along its first dimension
 * at a time; *buf is grown as needed. */
static int copy_var(lt_output *o, int src, int v, void **buf, lt_error *err)
{
    int rc = LT_OK, nd, dims[NC_MAX_VAR_DIMS], dst;
    char name[NC_MAX_NAME + 1];
    nc_type t;
    size_t tsize, len[NC_MAX_VAR_DIMS], slab = 1;
    NC(nc_inq_var(src, v, name, &t, &nd, dims, NULL));
    if (nc_inq_varid(o->ncid, name, &dst) != NC_NOERR)
        return LT_OK;
    NC(nc_inq_type(src, t, NULL, &tsize));
    for (int d = 0; d < nd; d++) {
        NC(nc_inq_dimlen(src, dims[d], &len[d]));
        if (d > 0)
            slab *= len[d];
    }
    /* whole chunks along the first dimension at a time (the file has no
     * chunk cache: a part of a chunk would be read, changed and written) */
    size_t nrec = nd ? len[0] : 1, step = 1, chunks[NC_MAX_VAR_DIMS];
    int storage = NC_CONTIGUOUS;
    if (nd && nc_inq_var_chunking(o->ncid, dst, &storage, chunks) == NC_NOERR && storage == NC_CHUNKED &&
        chunks[0] > 0)
        step = chunks[0];
    void *nb = realloc(*buf, (slab ? slab : 1) * step * tsize);
    if (!nb)
        return lt_error_set(err, LT_ENOMEM, "out of memory restoring %s", name);
    *buf = nb;
    for (size_t r = 0; r < nrec; r += step) {
        size_t start[NC_MAX_VAR_DIMS] = {0}, count[NC_MAX_VAR_DIMS];
        for (int d = 0; d < nd; d++)
            count[d] = d ? len[d] : (nrec - r < step ? nrec - r : step);
        start[0] = r;
        if (nd) {
            NC(nc_get_vara(src, v, start, count, nb));
            NC(nc_put_vara(o->ncid, dst, start, count, nb));
        } else {
            NC(nc_get_var(src, v, nb));
            NC(nc_put_var(o->ncid, dst, nb));
        }
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
    for (int v = 0; v < nv && !rc; v++)
        rc = copy_var(o, src, v, &buf, err);
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
    if (!o->defining)
        NC(nc_redef(o->ncid));
    NC(put_text(o->ncid, NC_GLOBAL, name, value));
    if (!o->defining)
        NC(nc_enddef(o->ncid));
    return LT_OK;
fail:
    return rc;
}

/* Frees o and its names (the files themselves are the caller's affair). */
static void output_free(lt_output *o)
{
    if (o->tmp)
        lt_temp_drop(o->spec.temp_files, o->tmp);
    for (int i = 0; i < o->nside; i++)
        lt_temp_drop(o->spec.temp_files, o->side[i].tmp);
    for (int j = 0; j < o->njobs; j++)
        free(o->jobs[j].data);
    for (int i = 0; i < o->nlabels; i++)
        free(o->labels[i].text);
    for (int i = 0; i < o->nside; i++) {
        free(o->side[i].final);
        free(o->side[i].tmp);
    }
    free(o->tmp);
    free(o->path);
    free(o);
}

/* A file being abandoned: every descriptor the process holds on it (netCDF's
 * and HDF5's) is pointed at an anonymous file in memory, so that whatever
 * HDF5 still flushes while closing succeeds -- on a full disk it cannot, and
 * HDF5 then leaves the file half open and crashes at exit. The file on disk
 * is deleted afterwards. */
static void divert_to_memory(const char *path)
{
    char real[4200];
    if (!realpath(path, real))
        return;
    int mfd = memfd_create("lantian-abandoned-output", 0);
    DIR *d = mfd >= 0 ? opendir("/proc/self/fd") : NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        int fd = atoi(e->d_name);
        char link[64], target[4200];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0 || fd == mfd || fd == dirfd(d))
            continue;
        target[n] = '\0';
        if (!strcmp(target, real))
            dup2(mfd, fd);
    }
    if (d)
        closedir(d);
    if (mfd >= 0)
        close(mfd);
}

/* After a failed close (a full disk), HDF5 keeps the file half open and
 * would crash closing it again at exit: the partial file is emptied (its
 * space freed, so that what HDF5 still flushes fits), and any HDF5 handle
 * left on it closed. */
static void release_partial(lt_output *o)
{
    if (truncate(o->tmp, 0) != 0)
        return;
    ssize_t n = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
    hid_t *ids = n > 0 ? malloc((size_t)n * sizeof *ids) : NULL;
    if (!ids)
        return;
    n = H5Fget_obj_ids(H5F_OBJ_ALL, H5F_OBJ_ALL, (size_t)n, ids);
    for (int files = 0; files < 2; files++) /* objects in the file first, then the file */
        for (ssize_t i = 0; i < n; i++) {
            char name[4200];
            H5I_type_t t = H5Iget_type(ids[i]);
            if ((t == H5I_FILE) != files || H5Fget_name(ids[i], name, sizeof name) <= 0 || strcmp(name, o->tmp))
                continue;
            if (t == H5I_FILE)
                H5Fclose(ids[i]);
            else if (t == H5I_ATTR)
                H5Aclose(ids[i]);
            else
                H5Oclose(ids[i]);
        }
    free(ids);
}

int lt_output_commit(lt_output **op, lt_error *err)
{
    lt_output *o = *op;
    int rc = lt_output_flush_chunks(o, err);
    if (rc) {
        lt_output_abort(op);
        return rc;
    }
    lt_output_close_chunks(o);
    int st = nc_close(o->ncid);
    o->ncid = -1;
    if (st) {
        rc = lt_error_set(err, LT_EIO, "%s: closing the output: %s", o->path, nc_strerror(st));
        divert_to_memory(o->tmp);
        release_partial(o);
        lt_output_abort(op);
        return rc;
    }
    /* the side files first, then the file itself: a failure leaves none */
    for (int i = 0; i < o->nside; i++)
        if (rename(o->side[i].tmp, o->side[i].final) != 0) {
            rc = lt_error_set(err, LT_EIO, "%s: cannot rename %s to it", o->side[i].final, o->side[i].tmp);
            for (int k = 0; k < i; k++)
                remove(o->side[k].final);
            lt_output_abort(op);
            return rc;
        }
    if (rename(o->tmp, o->path) != 0) {
        rc = lt_error_set(err, LT_EIO, "%s: cannot rename %s to it", o->path, o->tmp);
        for (int k = 0; k < o->nside; k++)
            remove(o->side[k].final);
        lt_output_abort(op);
        return rc;
    }
    output_free(o);
    *op = NULL;
    return LT_OK;
}

void lt_output_abort(lt_output **op)
{
    if (!op || !*op)
        return;
    lt_output *o = *op;
    restore_cache(o);
    if (o->tmp && o->ncid >= 0)
        divert_to_memory(o->tmp);
    lt_output_close_chunks(o);
    if (o->ncid >= 0 && nc_close(o->ncid) != NC_NOERR)
        release_partial(o);
    o->ncid = -1;
    if (o->tmp)
        unlink(o->tmp);
    for (int i = 0; i < o->nside; i++)
        unlink(o->side[i].tmp);
    output_free(o);
    *op = NULL;
}
