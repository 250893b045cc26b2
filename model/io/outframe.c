/* outframe.c — the frame every file of a run has (see output.h): its time
 * axis with bounds, the projected grid with lat/lon and its crs, the
 * stations, the tag labels and the county raster, the global attributes of
 * provenance, the products' label dimensions; and, before the data, every
 * label's name in the coordinates of the variables it labels. */
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lt_time.h"
#include "io/config.h"
#include "io/output_impl.h"

static int put_text(int ncid, int varid, const char *name, const char *value)
{
    return nc_put_att_text(ncid, varid, name, strlen(value), value);
}

/* The time coordinate time(time) with its bounds time_bnds(time, nv). */
static int def_time_axis(lt_output *o, struct out_frame *f, const char *long_name, const char *units,
                         lt_error *err)
{
    int rc = LT_OK, dd[2] = {f->d_time, f->d_nv};
    NC(nc_def_var(f->ncid, "time", NC_DOUBLE, 1, &f->d_time, &f->v_time));
    NC(put_text(f->ncid, f->v_time, "standard_name", "time"));
    NC(put_text(f->ncid, f->v_time, "long_name", long_name));
    NC(put_text(f->ncid, f->v_time, "units", units));
    NC(put_text(f->ncid, f->v_time, "calendar", "standard"));
    NC(put_text(f->ncid, f->v_time, "axis", "T"));
    NC(put_text(f->ncid, f->v_time, "bounds", "time_bnds"));
    /* bounds inherit units and calendar (CF 7.1: they should not repeat them) */
    NC(nc_def_var(f->ncid, "time_bnds", NC_DOUBLE, 2, dd, &f->v_tb));
    return LT_OK;
fail:
    return rc;
}

/* A coordinate variable name(dims) of doubles: standard_name and axis when
 * given, long_name and units. */
static int def_coord(lt_output *o, int nc, const char *name, int nd, const int *dims, const char *std,
                     const char *long_name, const char *units, const char *axis, int *varid, lt_error *err)
{
    int rc = LT_OK;
    NC(nc_def_var(nc, name, NC_DOUBLE, nd, dims, varid));
    if (std)
        NC(put_text(nc, *varid, "standard_name", std));
    NC(put_text(nc, *varid, "long_name", long_name));
    NC(put_text(nc, *varid, "units", units));
    if (axis)
        NC(put_text(nc, *varid, "axis", axis));
    return LT_OK;
fail:
    return rc;
}

/* x, y, lat, lon and the grid mapping of the transverse Mercator grid. */
static int def_grid(lt_output *o, struct out_frame *f, lt_error *err)
{
    int rc = LT_OK, v_crs, nc = f->ncid;
    const lt_domain *d = o->spec.domain;
    int dims[2] = {f->d_y, f->d_x};
    if ((rc = def_coord(o, nc, "x", 1, &f->d_x, "projection_x_coordinate",
                        "x of the cell centre on the transverse Mercator grid", "m", "X", &f->v_x, err)) ||
        (rc = def_coord(o, nc, "y", 1, &f->d_y, "projection_y_coordinate",
                        "y of the cell centre on the transverse Mercator grid", "m", "Y", &f->v_y, err)) ||
        (rc = def_coord(o, nc, "lat", 2, dims, "latitude", "latitude of the cell centre", "degrees_north", NULL,
                        &f->v_lat, err)) ||
        (rc = def_coord(o, nc, "lon", 2, dims, "longitude", "longitude of the cell centre", "degrees_east", NULL,
                        &f->v_lon, err)))
        return rc;
    NC(nc_def_var(nc, "crs", NC_INT, 0, NULL, &v_crs));
    NC(put_text(nc, v_crs, "grid_mapping_name", "transverse_mercator"));
    double clon = lt_domain_center_lon(d), clat = lt_domain_center_lat(d), one = 1.0, zero = 0.0;
    NC(nc_put_att_double(nc, v_crs, "longitude_of_central_meridian", NC_DOUBLE, 1, &clon));
    NC(nc_put_att_double(nc, v_crs, "latitude_of_projection_origin", NC_DOUBLE, 1, &clat));
    NC(nc_put_att_double(nc, v_crs, "scale_factor_at_central_meridian", NC_DOUBLE, 1, &one));
    NC(nc_put_att_double(nc, v_crs, "false_easting", NC_DOUBLE, 1, &zero));
    NC(nc_put_att_double(nc, v_crs, "false_northing", NC_DOUBLE, 1, &zero));
    double a = 6378137.0, rf = 298.257223563;
    NC(nc_put_att_double(nc, v_crs, "semi_major_axis", NC_DOUBLE, 1, &a));
    NC(nc_put_att_double(nc, v_crs, "inverse_flattening", NC_DOUBLE, 1, &rf));
    NC(put_text(nc, v_crs, "proj4_params", lt_domain_proj4(d)));
    if (lt_domain_wkt(d)[0])
        NC(put_text(nc, v_crs, "crs_wkt", lt_domain_wkt(d)));
    return LT_OK;
fail:
    return rc;
}

/* A label variable var(dim, strlen): long_name, UTF-8 text. */
static int def_label_var(lt_output *o, int nc, const char *var, int dim, int d_str, const char *long_name,
                         int *varid, lt_error *err)
{
    int rc = LT_OK, dd[2] = {dim, d_str};
    NC(nc_def_var(nc, var, NC_CHAR, 2, dd, varid));
    NC(put_text(nc, *varid, "long_name", long_name));
    NC(put_text(nc, *varid, "_Encoding", "utf-8"));
    return LT_OK;
fail:
    return rc;
}

/* The stations, the tag labels and the county raster. */
static int def_labels(lt_output *o, struct out_frame *f, lt_error *err)
{
    int rc = LT_OK, nc = f->ncid;
    const lt_output_spec *s = &o->spec;
    if ((rc = def_label_var(o, nc, "source_name", f->d_src, f->d_str, "emission sector of each source tag, or the id of a source [output] sources gives a tag of its own",
                            &f->v_sname, err)) ||
        (rc = def_label_var(o, nc, "station_name", f->d_st, f->d_str, "station name", &f->v_stname, err)) ||
        (rc = def_label_var(o, nc, "station_id", f->d_st, f->d_str, "station identifier", &f->v_stid, err)) ||
        (rc = def_label_var(o, nc, "station_county", f->d_st, f->d_str, "county of the station", &f->v_stcounty,
                            err)) ||
        (rc = def_label_var(o, nc, "station_code", f->d_st, f->d_str,
                            "monitoring network's station code (the stations file's code column; empty when none)",
                            &f->v_stcode, err)) ||
        (rc = def_label_var(o, nc, "station_city", f->d_st, f->d_str,
                            "city of the station (the stations file's city column; empty when none)", &f->v_stcity,
                            err)))
        return rc;
    NC(put_text(nc, f->v_stname, "cf_role", "timeseries_id"));
    if ((rc = def_coord(o, nc, "station_lon", 1, &f->d_st, "longitude", "station longitude", "degrees_east", NULL,
                        &f->v_stlon, err)) ||
        (rc = def_coord(o, nc, "station_lat", 1, &f->d_st, "latitude", "station latitude", "degrees_north", NULL,
                        &f->v_stlat, err)) ||
        (rc = def_coord(o, nc, "station_x", 1, &f->d_st, NULL, "station x on the grid's projection", "m", NULL,
                        &f->v_stx, err)) ||
        (rc = def_coord(o, nc, "station_y", 1, &f->d_st, NULL, "station y on the grid's projection", "m", NULL,
                        &f->v_sty, err)))
        return rc;
    NC(nc_def_dim(nc, "source_county", s->nsrc_counties, &f->d_cty));
    if ((rc = def_label_var(o, nc, "source_county_name", f->d_cty, f->d_str,
                            "county of the sources of each county tag (from their county column or [domain] counties)",
                            &f->v_ctyname, err)))
        return rc;
    f->v_rname = f->v_cell = f->d_reg = -1;
    if (s->regions) {
        NC(nc_def_dim(nc, "region", lt_regions_count(s->regions), &f->d_reg));
        if ((rc = def_label_var(o, nc, "region_name", f->d_reg, f->d_str, "county polygons of [domain] counties",
                                &f->v_rname, err)))
            return rc;
        int cd[2] = {f->d_y, f->d_x}, rfill = -1;
        NC(nc_def_var(nc, "cell_region", NC_INT, 2, cd, &f->v_cell));
        NC(nc_def_var_fill(nc, f->v_cell, 0, &rfill));
        NC(put_text(nc, f->v_cell, "long_name", "index into region_name of the county holding the cell centre (-1: none)"));
        NC(put_text(nc, f->v_cell, "grid_mapping", "crs"));
    }
    return LT_OK;
fail:
    return rc;
}

/* The sentence of the global summary: what this run computed. */
static void summary_text(const lt_output *o, int which, char *buf, size_t n)
{
    const lt_output_spec *s = &o->spec;
    static const char *const solver[3] = {"a steady-state Gaussian plume model", "an Eulerian grid model",
                                          "a hybrid of an Eulerian grid model and Gaussian plumes"};
    static const char *const what[LT_OUT_NFILES] = {"Hourly", "Daily (local calendar days)", "Whole-run"};
    char start[32], end[32];
    lt_format_iso8601(s->start_s, start, sizeof start);
    lt_format_iso8601(s->start_s + 3600.0 * s->hours, end, sizeof end);
    snprintf(buf, n,
             "%s PM2.5 (primary, and the sulfate, nitrate and secondary organic aerosol formed from SO2, NOx and "
             "VOC) from %s, %s to %s (%d hours), on a %d x %d transverse Mercator grid of %g m cells and at %zu "
             "stations, apportioned to %d source tags (sectors) and %zu county tags.%s",
             what[which], solver[s->solver >= 0 && s->solver < 3 ? s->solver : 0], start, end, s->hours,
             lt_domain_nx(s->domain), lt_domain_ny(s->domain), lt_domain_dx(s->domain), s->nstations, s->ntags,
             s->nsrc_counties,
             which == LT_OUT_HOURLY ? " Daily and whole-run products are in the files _daily.nc and _period.nc "
                                      "beside this one, when the run made them."
                                    : "");
}

static const char *const file_titles[LT_OUT_NFILES] = {
    "lantian PM2.5 dispersion run: hourly means", "lantian PM2.5 dispersion run: daily means and assessment",
    "lantian PM2.5 dispersion run: whole-run means"};

/* Global attributes: CF, ACDD and provenance. */
static int def_globals(lt_output *o, struct out_frame *f, int which, lt_error *err)
{
    int rc = LT_OK, nc = f->ncid;
    const lt_output_spec *s = &o->spec;
    char now[32], end[32], iso[32], buf[1024];
    lt_format_iso8601((double)time(NULL), now, sizeof now);
    lt_format_iso8601(s->start_s, iso, sizeof iso);
    lt_format_iso8601(s->start_s + 3600.0 * s->hours, end, sizeof end);
    NC(put_text(nc, NC_GLOBAL, "Conventions", "CF-1.8 ACDD-1.3"));
    NC(put_text(nc, NC_GLOBAL, "title", file_titles[which]));
    summary_text(o, which, buf, sizeof buf);
    NC(put_text(nc, NC_GLOBAL, "summary", buf));
    NC(put_text(nc, NC_GLOBAL, "keywords", "PM2.5, air quality, dispersion, Gaussian plume, source apportionment"));
    snprintf(buf, sizeof buf, "lantian %s", s->version);
    NC(put_text(nc, NC_GLOBAL, "source", buf));
    NC(put_text(nc, NC_GLOBAL, "product_version", s->version));
    NC(put_text(nc, NC_GLOBAL, "date_created", now));
    NC(put_text(nc, NC_GLOBAL, "time_coverage_start", iso));
    NC(put_text(nc, NC_GLOBAL, "time_coverage_end", end));
    static const char *const res[LT_OUT_NFILES] = {"PT1H", "P1D", ""};
    if (res[which][0])
        NC(put_text(nc, NC_GLOBAL, "time_coverage_resolution", res[which]));
    snprintf(buf, sizeof buf, "%s: %s", now, s->command_line);
    NC(put_text(nc, NC_GLOBAL, "history", buf));
    NC(put_text(nc, NC_GLOBAL, "lantian_version", s->version));
    NC(put_text(nc, NC_GLOBAL, "lantian_command_line", s->command_line));
    NC(put_text(nc, NC_GLOBAL, "lantian_config_file", s->config_path));
    NC(put_text(nc, NC_GLOBAL, "lantian_config", s->config_text));
    snprintf(buf, sizeof buf,
             "Gaussian plume; sigma curves %s; Pasquill-Gifford class from 1/L and z0 (Golder 1972); "
             "Briggs plume rise with stack-tip downwash (ISC3)", s->curves);
    NC(put_text(nc, NC_GLOBAL, "lantian_physics", buf));
    static const char *const solver_names[3] = {"plume", "grid", "hybrid"};
    NC(put_text(nc, NC_GLOBAL, "lantian_solver", solver_names[s->solver]));
    if (s->solver == LT_SOLVER_PLUME) {
        NC(put_text(nc, NC_GLOBAL, "lantian_apportionment",
                    "source dimension = emission sector; exact for the linear plume model"));
        return LT_OK;
    }
    snprintf(buf, sizeof buf,
             "Eulerian grid model: %d x %d columns of %g m, %d layers up to %g m; flux-form MC-limited "
             "advection (Strang split), backward-Euler K-profile diffusion, first-order SO2/NOx/VOC "
             "conversion, wet scavenging, sulfate-first NH4NO3 equilibrium (Mozurkewich 1993)%s",
             s->grid_nx, s->grid_ny, s->grid_dx_m, s->grid_nz, s->grid_top_m,
             s->solver == LT_SOLVER_HYBRID
                 ? "; hybrid: grid + each explicit source's plume - its grid-cell mean (Isakov et al. 2007)"
                 : "");
    NC(put_text(nc, NC_GLOBAL, "lantian_grid_model", buf));
    NC(put_text(nc, NC_GLOBAL, "lantian_apportionment",
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

/* The container variable CF-1.11 (section 8.4) names in each quantized
 * variable's quantization attribute. */
static int def_quantization(lt_output *o, struct out_frame *f, lt_error *err)
{
    if (o->quantize <= 0)
        return LT_OK;
    int rc = LT_OK, v;
    char impl[160];
    snprintf(impl, sizeof impl, "lantian %s (model/core/lt_quantize.c), %d significant digits asked",
             o->spec.version, o->quantize);
    NC(nc_def_var(f->ncid, "quantization_info", NC_INT, 0, NULL, &v));
    NC(put_text(f->ncid, v, "algorithm", "bitround"));
    NC(put_text(f->ncid, v, "implementation", impl));
    NC(put_text(f->ncid, v, "long_name", "lossy quantization of the float variables that name it, before deflate"));
    return LT_OK;
fail:
    return rc;
}

int lt_output_def_label_in(lt_output *o, struct out_frame *f, int i, lt_error *err)
{
    int rc = LT_OK;
    const struct out_label *l = &o->labels[i];
    NC(nc_def_dim(f->ncid, l->dim, l->n, &f->lab_dim[i]));
    if ((rc = def_label_var(o, f->ncid, l->var, f->lab_dim[i], f->d_str, l->long_name, &f->lab_var[i], err)))
        return rc;
    f->nlab = i + 1;
    return LT_OK;
fail:
    return rc;
}

int lt_output_def_frame(lt_output *o, int which, lt_error *err)
{
    int rc = LT_OK;
    struct out_frame *f = &o->fr[which];
    const lt_output_spec *s = &o->spec;
    /* time unlimited: the record dimension NCO's ncrcat and ncra join on */
    NC(nc_def_dim(f->ncid, "time", NC_UNLIMITED, &f->d_time));
    NC(nc_def_dim(f->ncid, "nv", 2, &f->d_nv));
    NC(nc_def_dim(f->ncid, "y", (size_t)o->ny, &f->d_y));
    NC(nc_def_dim(f->ncid, "x", (size_t)o->nx, &f->d_x));
    NC(nc_def_dim(f->ncid, "source", (size_t)s->ntags, &f->d_src));
    NC(nc_def_dim(f->ncid, "station", s->nstations, &f->d_st));
    NC(nc_def_dim(f->ncid, "strlen", LT_OUT_STRLEN, &f->d_str));
    char units[64];
    time_t t0 = (time_t)s->start_s;
    struct tm tm;
    gmtime_r(&t0, &tm);
    strftime(units, sizeof units, "hours since %Y-%m-%d %H:%M:%S", &tm);
    static const char *const axis[LT_OUT_NFILES] = {
        "middle of the averaging hour", "middle of the local calendar day (China Standard Time for HJ 633)",
        "middle of the whole run"};
    if ((rc = def_time_axis(o, f, axis[which], units, err)) || (rc = def_grid(o, f, err)) ||
        (rc = def_labels(o, f, err)) || (rc = def_globals(o, f, which, err)) ||
        (rc = def_quantization(o, f, err)))
        return rc;
    for (int i = 0; i < o->nlabels && !rc; i++)
        rc = lt_output_def_label_in(o, f, i, err);
    return rc;
fail:
    return rc;
}

/* The names of the label variables of dimension dim in f appended to buf:
 * the auxiliary coordinates (CF 5) xarray and CDO attach to it. */
static void labels_of_dim(const lt_output *o, const struct out_frame *f, int dim, char *buf, size_t n)
{
    const char *add = NULL;
    char one[2 * LT_OUT_STRLEN];
    if (dim == f->d_src)
        add = "source_name";
    else if (dim == f->d_cty)
        add = "source_county_name";
    else if (dim == f->d_st)
        add = "station_lat station_lon station_name station_id";
    else if (dim == f->d_reg && f->d_reg >= 0)
        add = "region_name";
    else if (dim == f->d_y)
        add = "lat lon";
    for (int i = 0; !add && i < f->nlab; i++)
        if (dim == f->lab_dim[i]) {
            snprintf(one, sizeof one, "%s", o->labels[i].var);
            add = one;
        }
    if (!add)
        return;
    /* each name once */
    char tmp[2 * LT_OUT_STRLEN + 64];
    snprintf(tmp, sizeof tmp, "%s", add);
    for (char *tok = strtok(tmp, " "); tok; tok = strtok(NULL, " ")) {
        char pad[LT_OUT_STRLEN + 2], hay[1100];
        snprintf(pad, sizeof pad, " %s ", tok);
        snprintf(hay, sizeof hay, " %s ", buf);
        if (!strstr(hay, pad) && strlen(buf) + strlen(tok) + 2 < n)
            snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", buf[0] ? " " : "", tok);
    }
}

int lt_output_set_coordinates(lt_output *o, struct out_frame *f, lt_error *err)
{
    int rc = LT_OK, nv = 0;
    NC(nc_inq_nvars(f->ncid, &nv));
    for (int v = 0; v < nv; v++) {
        int nd, dims[NC_MAX_VAR_DIMS];
        nc_type t;
        NC(nc_inq_var(f->ncid, v, NULL, &t, &nd, dims, NULL));
        /* data only: not the labels (text), coordinates or bounds */
        if (t == NC_CHAR || v == f->v_time || v == f->v_tb || v == f->v_x || v == f->v_y || v == f->v_lat ||
            v == f->v_lon || v == f->v_stlon || v == f->v_stlat || v == f->v_stx || v == f->v_sty)
            continue;
        char coords[1024] = "";
        size_t len = 0;
        if (nc_inq_attlen(f->ncid, v, "coordinates", &len) == NC_NOERR && len < sizeof coords)
            NC(nc_get_att_text(f->ncid, v, "coordinates", coords));
        coords[len < sizeof coords ? len : 0] = '\0';
        char before[1024];
        snprintf(before, sizeof before, "%s", coords);
        for (int d = 0; d < nd; d++)
            labels_of_dim(o, f, dims[d], coords, sizeof coords);
        if (strcmp(before, coords))
            NC(put_text(f->ncid, v, "coordinates", coords));
    }
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
static const char *st_code(const void *ctx, size_t i) { return ((const lt_station *)ctx)[i].code; }
static const char *st_city(const void *ctx, size_t i) { return ((const lt_station *)ctx)[i].city; }
static const char *region_at(const void *ctx, size_t i) { return lt_regions_name(ctx, i); }

/* The time axis of file which: hours, local days or the whole run. */
static int put_axis(lt_output *o, struct out_frame *f, int which, lt_error *err)
{
    int rc = LT_OK, hours = o->hours;
    size_t n = which == LT_OUT_HOURLY ? (size_t)hours : which == LT_OUT_DAILY ? o->ndays : 1;
    double *tv = malloc(n * 3 * sizeof *tv), *tb = tv + n;
    if (!tv)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (which == LT_OUT_HOURLY) {
            tb[2 * i] = (double)i;
            tb[2 * i + 1] = (double)i + 1.0;
        } else if (which == LT_OUT_DAILY) {
            double dmid = (o->day0_s + ((double)i + 0.5) * 86400.0 - o->start_s) / 3600.0;
            tb[2 * i] = dmid - 12.0;
            tb[2 * i + 1] = dmid + 12.0;
        } else {
            tb[0] = 0.0;
            tb[1] = (double)hours;
        }
        tv[i] = 0.5 * (tb[2 * i] + tb[2 * i + 1]);
    }
    size_t s0[2] = {0, 0}, c2[2] = {n, 2};
    int st = nc_put_vara_double(f->ncid, f->v_time, s0, &n, tv);
    if (!st)
        st = nc_put_vara_double(f->ncid, f->v_tb, s0, c2, tb);
    free(tv);
    NC(st);
    return LT_OK;
fail:
    return rc;
}

/* The values of x, y, lat and lon. */
static int put_grid(lt_output *o, struct out_frame *f, lt_error *err)
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
        st = nc_put_var_double(f->ncid, f->v_lat, lat);
        if (!st)
            st = nc_put_var_double(f->ncid, f->v_lon, lon);
        if (!st)
            st = nc_put_var_double(f->ncid, f->v_x, ax);
        if (!st)
            st = nc_put_var_double(f->ncid, f->v_y, ax + o->nx);
    }
    free(lat);
    free(lon);
    free(ax);
    if (st == NC_ENOMEM)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    return st ? lt_output_fail(o, st, __FILE__, __LINE__, err) : LT_OK;
}

/* The stations, the labels and the county raster. */
static int put_labels(lt_output *o, struct out_frame *f, lt_error *err)
{
    int rc = LT_OK, nc = f->ncid;
    const lt_output_spec *s = &o->spec;
    NC(put_names(nc, f->v_ctyname, s->nsrc_counties, str_at, s->src_county_names));
    NC(put_names(nc, f->v_sname, (size_t)s->ntags, str_at, s->tag_names));
    NC(put_names(nc, f->v_stname, s->nstations, st_name, s->stations));
    NC(put_names(nc, f->v_stid, s->nstations, st_id, s->stations));
    NC(put_names(nc, f->v_stcounty, s->nstations, st_county, s->stations));
    NC(put_names(nc, f->v_stcode, s->nstations, st_code, s->stations));
    NC(put_names(nc, f->v_stcity, s->nstations, st_city, s->stations));
    for (size_t i = 0; i < s->nstations; i++) {
        NC(nc_put_var1_double(nc, f->v_stlon, &i, &s->stations[i].lon));
        NC(nc_put_var1_double(nc, f->v_stlat, &i, &s->stations[i].lat));
        NC(nc_put_var1_double(nc, f->v_stx, &i, &s->stations[i].x_m));
        NC(nc_put_var1_double(nc, f->v_sty, &i, &s->stations[i].y_m));
    }
    if (s->regions) {
        NC(put_names(nc, f->v_rname, lt_regions_count(s->regions), region_at, s->regions));
        NC(nc_put_var_int(nc, f->v_cell, s->cell_region));
    }
    for (int i = 0; i < f->nlab; i++)
        if (o->labels[i].n)
            NC(nc_put_var_text(nc, f->lab_var[i], o->labels[i].text));
    return LT_OK;
fail:
    return rc;
}

int lt_output_put_frames(lt_output *o, lt_error *err)
{
    int rc = LT_OK;
    for (int w = 0; w < LT_OUT_NFILES && !rc; w++)
        if (o->fr[w].ncid >= 0 && !(rc = put_axis(o, &o->fr[w], w, err)) && !(rc = put_grid(o, &o->fr[w], err)))
            rc = put_labels(o, &o->fr[w], err);
    return rc;
}
