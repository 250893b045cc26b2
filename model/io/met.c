/* met.c — reading hourly CF meteorology (see met.h). */
#include "io/met.h"

#include <math.h>
#include <netcdf.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/config.h"
#include "io/namemap.h"
#include "io/nc3check.h"
#include "io/units.h"

enum { V_U10, V_V10, V_T2, V_PBLH, V_UST, V_RMOL, V_HFX, V_RAIN, V_RH, V_CLOUD, V_SIGTH, NVARS };

typedef struct var_def {
    const char *name;
    const char *standard_name; /* NULL: none in the CF table */
    const char *units;         /* lantian's units */
    int required;              /* rmol may be derived from hfx */
    double lo, hi;             /* plausible range, in lantian's units */
} var_def;

static const var_def vars[NVARS] = {
    {"u10", "eastward_wind", "m s-1", 1, -100, 100},
    {"v10", "northward_wind", "m s-1", 1, -100, 100},
    {"t2", "air_temperature", "K", 1, 180, 340},
    {"pblh", "atmosphere_boundary_layer_thickness", "m", 1, 1, 10000},
    {"ust", NULL, "m s-1", 1, 0, 10},
    {"rmol", NULL, "m-1", 0, -100, 100},
    {"hfx", "surface_upward_sensible_heat_flux", "W m-2", 0, -1000, 2000},
    {"rain", "lwe_precipitation_rate", "mm h-1", 0, 0, 500},
    {"rh", "relative_humidity", "%", 0, 0, 110},
    {"cloud", "cloud_area_fraction", "1", 0, 0, 1},
    {"sigma_theta", NULL, "degree", 0, 0, 180},
};

struct lt_met {
    char *path;
    int ncid;
    int nlon, nlat;        /* grid size along x (lon) and y (lat) */
    double *lon, *lat;     /* axis values: degrees, or metres on a projected grid */
    PJ_CONTEXT *pjc;       /* projected grids only: */
    PJ *pj;                /* lon/lat (degrees) -> grid x/y (m) */
    size_t nt;
    double *t;             /* seconds since the epoch */
    int varid[NVARS];      /* -1 when absent */
    char varname[NVARS][NC_MAX_NAME + 1];
    double scale[NVARS], offset[NVARS]; /* unit conversion: v' = v*scale + offset */
    double fill[NVARS];
    int has_fill[NVARS];
    float *slab[NVARS];    /* the loaded hour, nlat*nlon */
    size_t loaded;         /* record index loaded, or (size_t)-1 */
    /* Gridded files: READ_AHEAD records of each variable read in one call
     * (one call per hour costs more than the reading on small grids) */
    float *ahead[NVARS];
    size_t ahead_cap, ahead_k0, ahead_n; /* records the buffers hold, the first, how many */
    char optional[160];
    double pack_scale[NVARS], pack_offset[NVARS]; /* packed data (scale_factor, add_offset) */
    /* wrfout files read directly */
    int wrf;
    int nfiles;
    int *ncids;
    char **paths;
    size_t *rec_file, *rec_index; /* [record]: which file and record within it */
    float *work;                  /* nlat*nlon scratch */
    int has_rain_acc, has_q2;
};

static int nc_fail(lt_error *err, const char *path, const char *what, int status)
{
    return lt_error_set(err, LT_EINPUT, "%s: %s: %s", path, what, nc_strerror(status));
}

/* Finds a variable by name or by standard_name attribute. */
static int find_var(int ncid, const char *name, const char *stdname, int *varid, char *found)
{
    if (nc_inq_varid(ncid, name, varid) == NC_NOERR) {
        strcpy(found, name);
        return 1;
    }
    if (!stdname)
        return 0;
    int nv;
    nc_inq_nvars(ncid, &nv);
    for (int v = 0; v < nv; v++) {
        size_t len;
        if (nc_inq_attlen(ncid, v, "standard_name", &len) != NC_NOERR || len > 255)
            continue;
        char buf[256];
        if (nc_get_att_text(ncid, v, "standard_name", buf) != NC_NOERR)
            continue;
        buf[len] = '\0';
        if (strcmp(buf, stdname) == 0) {
            *varid = v;
            nc_inq_varname(ncid, v, found);
            return 1;
        }
    }
    return 0;
}

static int get_text_att(int ncid, int varid, const char *att, char *buf, size_t n)
{
    size_t len;
    if (nc_inq_attlen(ncid, varid, att, &len) != NC_NOERR || len >= n)
        return 0;
    if (nc_get_att_text(ncid, varid, att, buf) != NC_NOERR)
        return 0;
    buf[len] = '\0';
    return 1;
}

/* Reads a 1-D coordinate variable found by names or standard_name. */
static int read_coord(lt_met *m, int projected, const char *const *names, const char *stdname,
                      const char *what, double **vals, int *n, int *dimid, lt_error *err)
{
    int varid = -1;
    char found[NC_MAX_NAME + 1];
    for (int i = 0; names[i] && varid < 0; i++)
        if (!find_var(m->ncid, names[i], i == 0 ? stdname : NULL, &varid, found))
            varid = -1;
    if (varid < 0)
        return -1; /* not there: the caller decides */
    int nd;
    nc_inq_varndims(m->ncid, varid, &nd);
    if (nd != 1)
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' has %d dimensions: expected a 1-D %s coordinate",
                            m->path, found, nd, what);
    size_t len;
    nc_inq_vardimid(m->ncid, varid, dimid);
    nc_inq_dimlen(m->ncid, *dimid, &len);
    *vals = malloc(len * sizeof **vals);
    if (!*vals)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int st = nc_get_var_double(m->ncid, varid, *vals);
    if (st)
        return nc_fail(err, m->path, found, st);
    char units[64];
    if (projected && get_text_att(m->ncid, varid, "units", units, sizeof units) && strcmp(units, "m")) {
        /* projected axes in km and the like */
        double scale, offset;
        if (lt_units_linear(units, "m", &scale, &offset))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' units = '%s': expected a length like m or km",
                                m->path, found, units);
        for (size_t i = 0; i < len; i++)
            (*vals)[i] = (*vals)[i] * scale + offset;
    }
    for (size_t i = 0; i < len; i++) {
        if (!isfinite((*vals)[i]))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s'[%zu] is not a finite number",
                                m->path, found, i);
        if (i > 0 && !((*vals)[i] > (*vals)[i - 1]) && !((*vals)[i] < (*vals)[i - 1]))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' repeats the value %g at index %zu: expected strictly monotonic values",
                                m->path, found, (*vals)[i], i);
        if (i > 1 && (((*vals)[i] > (*vals)[i - 1]) != ((*vals)[i - 1] > (*vals)[i - 2])))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' is not monotonic at index %zu",
                                m->path, found, i);
    }
    *n = (int)len;
    return LT_OK;
}

/* A PROJ CRS definition for the CF grid-mapping variable gm: its crs_wkt or
 * proj4 text if present, else built from the CF parameters of the mappings
 * lantian knows (CF-1.8 appendix F). Empty string when unsupported. */
static void grid_mapping_crs(int ncid, int gm, char *out, size_t n)
{
    out[0] = '\0';
    size_t len;
    const char *const textatts[] = {"crs_wkt", "spatial_ref", "proj4_params", "proj4", "proj4text"};
    for (int i = 0; i < 5; i++)
        if (nc_inq_attlen(ncid, gm, textatts[i], &len) == NC_NOERR && len + 12 < n) {
            nc_get_att_text(ncid, gm, textatts[i], out);
            out[len] = '\0';
            if (i >= 2 && !strstr(out, "+type=crs"))
                strcat(out, " +type=crs");
            return;
        }
    char name[64];
    if (!get_text_att(ncid, gm, "grid_mapping_name", name, sizeof name))
        return;
    double sp[2] = {0, 0}, lon0 = 0, lat0 = 0, fe = 0, fn = 0, k0 = 1, r = 0, a = 0, rf = 0;
    size_t nsp = 0;
    if (nc_inq_attlen(ncid, gm, "standard_parallel", &nsp) == NC_NOERR && nsp <= 2)
        nc_get_att_double(ncid, gm, "standard_parallel", sp);
    if (nc_get_att_double(ncid, gm, "longitude_of_central_meridian", &lon0) != NC_NOERR)
        nc_get_att_double(ncid, gm, "longitude_of_projection_origin", &lon0);
    nc_get_att_double(ncid, gm, "latitude_of_projection_origin", &lat0);
    nc_get_att_double(ncid, gm, "false_easting", &fe);
    nc_get_att_double(ncid, gm, "false_northing", &fn);
    nc_get_att_double(ncid, gm, "scale_factor_at_central_meridian", &k0);
    nc_get_att_double(ncid, gm, "earth_radius", &r);
    nc_get_att_double(ncid, gm, "semi_major_axis", &a);
    nc_get_att_double(ncid, gm, "inverse_flattening", &rf);
    char earth[96];
    if (r > 0)
        snprintf(earth, sizeof earth, "+R=%.10g", r);
    else if (a > 0 && rf > 0)
        snprintf(earth, sizeof earth, "+a=%.10g +rf=%.12g", a, rf);
    else
        snprintf(earth, sizeof earth, "+ellps=WGS84");
    if (!strcmp(name, "lambert_conformal_conic"))
        snprintf(out, n, "+proj=lcc +lat_1=%.10g +lat_2=%.10g +lat_0=%.10g +lon_0=%.10g +x_0=%.10g +y_0=%.10g %s +units=m +type=crs",
                 sp[0], nsp > 1 ? sp[1] : sp[0], lat0, lon0, fe, fn, earth);
    else if (!strcmp(name, "transverse_mercator"))
        snprintf(out, n, "+proj=tmerc +lat_0=%.10g +lon_0=%.10g +k=%.10g +x_0=%.10g +y_0=%.10g %s +units=m +type=crs",
                 lat0, lon0, k0, fe, fn, earth);
    else if (!strcmp(name, "mercator"))
        snprintf(out, n, "+proj=merc +lat_ts=%.10g +lon_0=%.10g +x_0=%.10g +y_0=%.10g %s +units=m +type=crs",
                 sp[0], lon0, fe, fn, earth);
    else if (!strcmp(name, "polar_stereographic")) {
        double svlon = lon0;
        nc_get_att_double(ncid, gm, "straight_vertical_longitude_from_pole", &svlon);
        snprintf(out, n, "+proj=stere +lat_0=%.10g +lat_ts=%.10g +lon_0=%.10g +x_0=%.10g +y_0=%.10g %s +units=m +type=crs",
                 lat0, sp[0], svlon, fe, fn, earth);
    }
}

/* Sets up the lon/lat -> x/y transformation of a projected met grid from the
 * grid_mapping attribute of the variable varid. */
static int setup_projection(lt_met *m, int varid, lt_error *err)
{
    char gmname[NC_MAX_NAME + 1], crs[4096];
    int gm;
    if (!get_text_att(m->ncid, varid, "grid_mapping", gmname, sizeof gmname) ||
        nc_inq_varid(m->ncid, gmname, &gm) != NC_NOERR)
        return lt_error_set(err, LT_EINPUT,
                            "%s: the grid has projected x/y coordinates but variable 'u10' has no usable "
                            "grid_mapping attribute: expected a CF grid-mapping variable", m->path);
    grid_mapping_crs(m->ncid, gm, crs, sizeof crs);
    if (!crs[0])
        return lt_error_set(err, LT_EINPUT,
                            "%s: grid-mapping variable '%s' is not supported: expected crs_wkt, proj4_params, "
                            "or grid_mapping_name lambert_conformal_conic, transverse_mercator, mercator or "
                            "polar_stereographic", m->path, gmname);
    m->pjc = proj_context_create();
    proj_log_level(m->pjc, PJ_LOG_NONE);
    PJ *p = proj_create_crs_to_crs(m->pjc, "+proj=longlat +datum=WGS84 +type=crs", crs, NULL);
    if (p) {
        m->pj = proj_normalize_for_visualization(m->pjc, p); /* lon, lat order */
        proj_destroy(p);
    }
    if (!m->pj)
        return lt_error_set(err, LT_EINPUT, "%s: grid-mapping variable '%s': PROJ cannot use '%.200s'",
                            m->path, gmname, crs);
    return LT_OK;
}

static int read_time(lt_met *m, int *tdim, lt_error *err)
{
    int varid;
    char found[NC_MAX_NAME + 1];
    if (!find_var(m->ncid, "time", "time", &varid, found))
        return lt_error_set(err, LT_EINPUT, "%s: no 'time' variable: expected time(time) with units 'hours since ...'",
                            m->path);
    int nd;
    nc_inq_varndims(m->ncid, varid, &nd);
    if (nd != 1)
        return lt_error_set(err, LT_EINPUT, "%s: variable 'time' must be 1-D", m->path);
    nc_inq_vardimid(m->ncid, varid, tdim);
    nc_inq_dimlen(m->ncid, *tdim, &m->nt);
    if (m->nt == 0)
        return lt_error_set(err, LT_EINPUT, "%s: the time dimension is empty: expected hourly records", m->path);
    char units[256];
    if (!get_text_att(m->ncid, varid, "units", units, sizeof units))
        return lt_error_set(err, LT_EINPUT, "%s: variable 'time' has no units: expected e.g. 'hours since 2020-01-01 00:00:00'",
                            m->path);
    char cal[64];
    if (get_text_att(m->ncid, varid, "calendar", cal, sizeof cal) && strcmp(cal, "standard") &&
        strcmp(cal, "gregorian") && strcmp(cal, "proleptic_gregorian"))
        return lt_error_set(err, LT_EINPUT, "%s: variable 'time' calendar = '%s': expected standard, gregorian or proleptic_gregorian",
                            m->path, cal);
    double scale, offset;
    int rc = LT_OK, cv = lt_units_time(units, &scale, &offset) == 0;
    if (!cv) {
        rc = lt_error_set(err, LT_EINPUT, "%s: variable 'time' units = '%s': expected a CF time unit like 'hours since 2020-01-01 00:00:00'",
                          m->path, units);
    } else {
        m->t = malloc(m->nt * sizeof *m->t);
        if (!m->t)
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        else {
            int st = nc_get_var_double(m->ncid, varid, m->t);
            if (st)
                rc = nc_fail(err, m->path, "time", st);
            else {
                for (size_t k = 0; k < m->nt; k++)
                    m->t[k] = m->t[k] * scale + offset;
                for (size_t k = 0; k < m->nt; k++) {
                    if (!isfinite(m->t[k])) {
                        rc = lt_error_set(err, LT_EINPUT, "%s: time[%zu] is not a finite number", m->path, k);
                        break;
                    }
                    m->t[k] = round(m->t[k] * 1000.0) / 1000.0; /* float time values */
                    if (k && m->t[k] <= m->t[k - 1]) {
                        rc = lt_error_set(err, LT_EINPUT, "%s: time[%zu] is not after time[%zu]: expected increasing times",
                                          m->path, k, k - 1);
                        break;
                    }
                }
            }
        }
    }
    return rc;
}

#define MAP_MAX NVARS
/* Records of a gridded file read in one call: 24, fewer for large grids
 * (at most 8 MB per variable) */
#define READ_AHEAD 24
#define READ_AHEAD_BYTES (8u << 20)

/* Reads a variable map "lantian:file[:factor], ..." and checks its names. */
static int read_map(const char *map, const char *where_file, lt_namemap_item *items, int *n,
                    lt_error *err)
{
    char where[LT_PATH_MAX + 64];
    snprintf(where, sizeof where, "%s: [met] variables", where_file);
    int rc = lt_namemap_parse(map, where, "LANTIAN_NAME:NAME_IN_FILE[:FACTOR]", 0, items, MAP_MAX, n, err);
    for (int i = 0; i < *n && !rc; i++) {
        int known = 0;
        for (int v = 0; v < NVARS; v++)
            known |= !strcmp(vars[v].name, items[i].a);
        if (!known)
            rc = lt_error_set(err, LT_EINPUT,
                              "%s: '%s' is not a lantian variable (expected u10, v10, t2, pblh, ust, rmol, hfx, rain, rh, cloud, sigma_theta)",
                              where, items[i].a);
    }
    return rc;
}

/* The map's item for lantian variable name, or NULL. */
static const lt_namemap_item *map_find(const lt_namemap_item *items, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(items[i].a, name))
            return &items[i];
    return NULL;
}

static int setup_var(lt_met *m, int v, int tdim, int latdim, int londim,
                     const lt_namemap_item *map, int nmap, lt_error *err)
{
    const var_def *d = &vars[v];
    m->varid[v] = -1;
    double factor = NAN;
    const lt_namemap_item *it = map_find(map, nmap, d->name);
    if (it) {
        if (nc_inq_varid(m->ncid, it->b, &m->varid[v]) != NC_NOERR)
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' (mapped to %s by [met] variables) is missing",
                                m->path, it->b, d->name);
        snprintf(m->varname[v], sizeof m->varname[v], "%s", it->b);
        factor = it->number;
    } else if (!find_var(m->ncid, d->name, d->standard_name, &m->varid[v], m->varname[v])) {
        m->varid[v] = -1;
        return LT_OK;
    }
    int id = m->varid[v], nd, dims[NC_MAX_VAR_DIMS];
    nc_inq_varndims(m->ncid, id, &nd);
    nc_inq_vardimid(m->ncid, id, dims);
    if (nd != 3 || dims[0] != tdim || dims[1] != latdim || dims[2] != londim)
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' must have dimensions (time, lat, lon) in that order",
                            m->path, m->varname[v]);
    m->scale[v] = 1.0;
    m->offset[v] = 0.0;
    m->pack_scale[v] = 1.0;
    m->pack_offset[v] = 0.0;
    nc_get_att_double(m->ncid, id, "scale_factor", &m->pack_scale[v]);
    nc_get_att_double(m->ncid, id, "add_offset", &m->pack_offset[v]);
    char units[128];
    if (isfinite(factor)) {
        m->scale[v] = factor; /* the map's factor replaces the units (e.g. accumulations) */
    } else if (get_text_att(m->ncid, id, "units", units, sizeof units) && strcmp(units, d->units)) {
        if (lt_units_linear(units, d->units, &m->scale[v], &m->offset[v]))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' units = '%s': expected units convertible to '%s'",
                                m->path, m->varname[v], units, d->units);
    }
    nc_type type;
    nc_inq_vartype(m->ncid, id, &type);
    m->has_fill[v] = 0;
    if (nc_get_att_double(m->ncid, id, "_FillValue", &m->fill[v]) == NC_NOERR ||
        nc_get_att_double(m->ncid, id, "missing_value", &m->fill[v]) == NC_NOERR)
        m->has_fill[v] = 1;
    m->slab[v] = malloc((size_t)m->nlat * (size_t)m->nlon * sizeof(float));
    if (!m->slab[v])
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    return LT_OK;
}

static int wrf_open(lt_met *m, const char *list, lt_error *err);

int lt_met_open(lt_met **out, const char *path, lt_error *err)
{
    return lt_met_open_ex(out, path, LT_MET_CF, NULL, err);
}

int lt_met_open_ex(lt_met **out, const char *path, int format, const char *map, lt_error *err)
{
    *out = NULL;
    lt_met *m = calloc(1, sizeof *m);
    if (!m)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    m->loaded = (size_t)-1;
    m->ncid = -1;
    m->path = strdup(path);
    int rc = LT_OK, st;
    if (format == LT_MET_WRF) {
        if ((rc = wrf_open(m, path, err))) {
            lt_met_close(&m);
            return rc;
        }
        *out = m;
        return LT_OK;
    }
    lt_namemap_item items[MAP_MAX];
    int nmap = 0;
    if (map && map[0] && (rc = read_map(map, path, items, &nmap, err))) {
        lt_met_close(&m);
        return rc;
    }
    if ((st = nc_open(path, NC_NOWRITE, &m->ncid))) {
        m->ncid = -1;
        rc = lt_error_set(err, LT_EIO, "%s: cannot open the meteorology: %s", path, nc_strerror(st));
        lt_met_close(&m);
        return rc;
    }
    if ((rc = lt_nc3_check(path, m->ncid, err))) {
        lt_met_close(&m);
        return rc;
    }
    static const char *const lon_names[] = {"lon", "longitude", NULL};
    static const char *const lat_names[] = {"lat", "latitude", NULL};
    static const char *const x_names[] = {"x", "west_east", NULL};
    static const char *const y_names[] = {"y", "south_north", NULL};
    int tdim, londim, latdim, projected = 0;
    if ((rc = read_time(m, &tdim, err)))
        goto done;
    rc = read_coord(m, 0, lon_names, "longitude", "longitude", &m->lon, &m->nlon, &londim, err);
    if (rc == -1) {
        rc = read_coord(m, 1, x_names, "projection_x_coordinate", "x", &m->lon, &m->nlon, &londim, err);
        projected = 1;
    }
    if (rc == -1) {
        rc = lt_error_set(err, LT_EINPUT,
                          "%s: no horizontal coordinates: expected 1-D lon and lat (standard_name longitude, "
                          "latitude) or x and y (projection_x_coordinate, projection_y_coordinate) with a grid_mapping",
                          path);
        goto done;
    }
    if (rc)
        goto done;
    if (projected)
        rc = read_coord(m, 1, y_names, "projection_y_coordinate", "y", &m->lat, &m->nlat, &latdim, err);
    else
        rc = read_coord(m, 0, lat_names, "latitude", "latitude", &m->lat, &m->nlat, &latdim, err);
    if (rc == -1) {
        rc = lt_error_set(err, LT_EINPUT, "%s: a %s coordinate is missing: expected a 1-D variable %s",
                          path, projected ? "y" : "latitude", projected ? "y" : "lat");
        goto done;
    }
    if (rc)
        goto done;
    for (int v = 0; v < NVARS && !rc; v++)
        rc = setup_var(m, v, tdim, latdim, londim, items, nmap, err);
    if (rc)
        goto done;
    for (int v = 0; v < NVARS; v++) {
        if (m->varid[v] >= 0 || !vars[v].required)
            continue;
        rc = lt_error_set(err, LT_EINPUT, "%s: meteorological variable '%s' (%s) is missing: expected %s(time, lat, lon)%s%s",
                          path, vars[v].name, vars[v].units, vars[v].name,
                          vars[v].standard_name ? " or a variable with standard_name " : "",
                          vars[v].standard_name ? vars[v].standard_name : "");
        goto done;
    }
    if (projected && (rc = setup_projection(m, m->varid[V_U10], err)))
        goto done;
    m->optional[0] = '\0';
    for (int v = V_RMOL; v < NVARS; v++)
        if (m->varid[v] >= 0) {
            if (m->optional[0])
                strcat(m->optional, ",");
            strcat(m->optional, vars[v].name);
        }
done:
    if (rc) {
        lt_met_close(&m);
        return rc;
    }
    *out = m;
    return LT_OK;
}

void lt_met_close(lt_met **mp)
{
    if (!mp || !*mp)
        return;
    lt_met *m = *mp;
    if (m->ncid >= 0)
        nc_close(m->ncid);
    if (m->pj)
        proj_destroy(m->pj);
    if (m->pjc)
        proj_context_destroy(m->pjc);
    for (int v = 0; v < NVARS; v++) {
        free(m->slab[v]);
        free(m->ahead[v]);
    }
    for (int f = 0; f < m->nfiles; f++) {
        if (m->ncids && m->ncids[f] >= 0)
            nc_close(m->ncids[f]);
        if (m->paths)
            free(m->paths[f]);
    }
    free(m->ncids);
    free(m->paths);
    free(m->rec_file);
    free(m->rec_index);
    free(m->work);
    free(m->lon);
    free(m->lat);
    free(m->t);
    free(m->path);
    free(m);
    *mp = NULL;
}

size_t lt_met_ntimes(const lt_met *m) { return m->nt; }
int lt_met_nlon(const lt_met *m) { return m->nlon; }
int lt_met_nlat(const lt_met *m) { return m->nlat; }
double lt_met_time(const lt_met *m, size_t k) { return m->t[k]; }
const char *lt_met_optional_found(const lt_met *m) { return m->optional; }
const char *lt_met_path(const lt_met *m) { return m->path; }

int lt_met_has(const lt_met *m, const char *name)
{
    for (int v = 0; v < NVARS; v++)
        if (!strcmp(vars[v].name, name))
            return m->varid[v] >= 0;
    return 0;
}

/* Index of the record at t_s (to within a second), or -1. */
static long find_time(const lt_met *m, double t_s)
{
    size_t lo = 0, hi = m->nt;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->t[mid] < t_s - 1.0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->nt && fabs(m->t[lo] - t_s) <= 1.0)
        return (long)lo;
    return -1;
}

int lt_met_check_coverage(const lt_met *m, double start_s, int hours, lt_error *err)
{
    for (int h = 0; h < hours; h++) {
        double t = start_s + 3600.0 * h;
        if (find_time(m, t) < 0) {
            char iso[32], a[32], b[32];
            lt_format_iso8601(t, iso, sizeof iso);
            lt_format_iso8601(m->t[0], a, sizeof a);
            lt_format_iso8601(m->t[m->nt - 1], b, sizeof b);
            return lt_error_set(err, LT_EINPUT,
                                "%s: variable 'time' has no record for %s (hour %d of the run): "
                                "expected hourly records covering the run; the file spans %s to %s",
                                m->path, iso, h, a, b);
        }
    }
    return LT_OK;
}

/* ---- WRF wrfout files -------------------------------------------------- */

/* Values of one loaded hour out of range: the error names the variable, the
 * time and the grid point (WRF slabs are converted before the check). */
static int check_slabs(lt_met *m, size_t k, double t_s, lt_error *err)
{
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    for (int v = 0; v < NVARS; v++) {
        if (m->varid[v] < 0)
            continue;
        for (size_t i = 0; i < n; i++) {
            double val = m->slab[v][i];
            if (isfinite(val) && val >= vars[v].lo && val <= vars[v].hi)
                continue;
            char iso[32];
            lt_format_iso8601(t_s, iso, sizeof iso);
            return lt_error_set(err, LT_EINPUT,
                                "%s: %s at %s, south_north %zu, west_east %zu = %g: expected a value from %g to %g %s",
                                m->paths[m->rec_file[k]], m->varname[v], iso,
                                i / (size_t)m->nlon, i % (size_t)m->nlon, val, vars[v].lo, vars[v].hi, vars[v].units);
        }
    }
    return LT_OK;
}

/* "2017-01-01_00:00:00" -> seconds since the epoch. */
static int wrf_time(const char *s, double *t)
{
    char iso[32];
    if (strlen(s) < 19)
        return -1;
    snprintf(iso, sizeof iso, "%.10sT%.8sZ", s, s + 11);
    return lt_parse_iso8601(iso, t);
}

static int wrf_field(lt_met *m, int f, size_t rec, const char *name, float *out, lt_error *err)
{
    int v, st;
    size_t start[3] = {rec, 0, 0}, count[3] = {1, (size_t)m->nlat, (size_t)m->nlon};
    if ((st = nc_inq_varid(m->ncids[f], name, &v)) || (st = nc_get_vara_float(m->ncids[f], v, start, count, out)))
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' (Time, south_north, west_east): %s", m->paths[f], name,
                            nc_strerror(st));
    return LT_OK;
}

static int wrf_has(int ncid, const char *name)
{
    int v;
    return nc_inq_varid(ncid, name, &v) == NC_NOERR;
}

/* Accumulated rain (RAINC + RAINNC, mm) at record k into out. */
static int wrf_rain_acc(lt_met *m, size_t k, float *out, lt_error *err)
{
    int f = (int)m->rec_file[k], rc;
    if ((rc = wrf_field(m, f, m->rec_index[k], "RAINC", out, err)) ||
        (rc = wrf_field(m, f, m->rec_index[k], "RAINNC", m->work, err)))
        return rc;
    for (size_t i = 0; i < (size_t)m->nlat * m->nlon; i++)
        out[i] += m->work[i];
    return LT_OK;
}

/* Fills the slabs for record k: winds rotated from grid to earth axes with
 * COSALPHA/SINALPHA (U_earth = U cos a - V sin a, V_earth = V cos a + U sin a,
 * as the WRF user's guide gives), rain from the accumulations differenced to
 * the hour, relative humidity from Q2, PSFC and T2 (saturation pressure of
 * Bolton 1980: 611.2 exp(17.67 T_c / (T_c + 243.5)) Pa). */
static int wrf_load(lt_met *m, size_t k, lt_error *err)
{
    int f = (int)m->rec_file[k], rc;
    size_t r = m->rec_index[k], n = (size_t)m->nlat * (size_t)m->nlon;
    static const char *const direct[] = {"T2", "PBLH", "UST", "RMOL", "HFX"};
    static const int dv[] = {V_T2, V_PBLH, V_UST, V_RMOL, V_HFX};
    for (int i = 0; i < 5; i++)
        if (m->varid[dv[i]] >= 0 && (rc = wrf_field(m, f, r, direct[i], m->slab[dv[i]], err)))
            return rc;
    if ((rc = wrf_field(m, f, r, "U10", m->slab[V_U10], err)) ||
        (rc = wrf_field(m, f, r, "V10", m->slab[V_V10], err)))
        return rc;
    if (wrf_has(m->ncids[f], "COSALPHA") && wrf_has(m->ncids[f], "SINALPHA")) {
        float *ca = m->work, *tmp = malloc(n * sizeof *tmp);
        if (!tmp)
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        if ((rc = wrf_field(m, f, r, "COSALPHA", ca, err)) || (rc = wrf_field(m, f, r, "SINALPHA", tmp, err))) {
            free(tmp);
            return rc;
        }
        for (size_t i = 0; i < n; i++) {
            double u = m->slab[V_U10][i], v = m->slab[V_V10][i];
            m->slab[V_U10][i] = (float)(u * ca[i] - v * tmp[i]);
            m->slab[V_V10][i] = (float)(v * ca[i] + u * tmp[i]);
        }
        free(tmp);
    }
    if (m->has_rain_acc) {
        float *now = m->slab[V_RAIN];
        if ((rc = wrf_rain_acc(m, k, now, err)))
            return rc;
        if (k == 0) {
            for (size_t i = 0; i < n; i++)
                now[i] = 0.0f; /* no earlier record: the first hour counts as dry */
        } else {
            float *prev = malloc(n * sizeof *prev);
            if (!prev)
                return lt_error_set(err, LT_ENOMEM, "out of memory");
            if ((rc = wrf_rain_acc(m, k - 1, prev, err))) {
                free(prev);
                return rc;
            }
            double hours = (m->t[k] - m->t[k - 1]) / 3600.0;
            for (size_t i = 0; i < n; i++) {
                double d = now[i] - prev[i];
                /* a bucket reset or a restart between files: take the new total */
                now[i] = (float)((d >= 0.0 ? d : now[i]) / hours);
            }
            free(prev);
        }
    }
    if (m->has_q2) {
        float *rh = m->slab[V_RH];
        if ((rc = wrf_field(m, f, r, "Q2", rh, err)) || (rc = wrf_field(m, f, r, "PSFC", m->work, err)))
            return rc;
        for (size_t i = 0; i < n; i++) {
            double q = rh[i] > 0 ? rh[i] : 0.0, p = m->work[i], tc = m->slab[V_T2][i] - 273.15;
            double e = q * p / (0.622 + q), es = 611.2 * exp(17.67 * tc / (tc + 243.5));
            double val = 100.0 * e / es;
            rh[i] = (float)(val > 100.0 ? 100.0 : val);
        }
    }
    return LT_OK;
}

static int wrf_open(lt_met *m, const char *list, lt_error *err)
{
    m->wrf = 1;
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", list);
    int cap = 1;
    for (const char *c = buf; *c; c++)
        cap += *c == ',';
    m->ncids = malloc((size_t)cap * sizeof *m->ncids);
    m->paths = calloc((size_t)cap, sizeof *m->paths);
    if (!m->ncids || !m->paths)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        char *e = t + strlen(t);
        while (e > t && e[-1] == ' ')
            *--e = '\0';
        int f = m->nfiles;
        m->ncids[f] = -1;
        m->paths[f] = strdup(t);
        m->nfiles++;
        int st = nc_open(t, NC_NOWRITE, &m->ncids[f]);
        if (st) {
            m->ncids[f] = -1;
            return lt_error_set(err, LT_EIO, "%s: cannot open the wrfout file: %s", t, nc_strerror(st));
        }
        if (lt_nc3_check(t, m->ncids[f], err))
            return err->code;
    }
    /* the grid, from the first file; the others must match */
    int nc0 = m->ncids[0], d;
    size_t nx = 0, ny = 0;
    if (nc_inq_dimid(nc0, "west_east", &d) || nc_inq_dimlen(nc0, d, &nx) || nc_inq_dimid(nc0, "south_north", &d) ||
        nc_inq_dimlen(nc0, d, &ny))
        return lt_error_set(err, LT_EINPUT, "%s: dimensions west_east and south_north missing: expected a WRF wrfout file",
                            m->paths[0]);
    int proj = 0;
    double tl1 = 0, tl2 = 0, slon = 0, clat = 0, clon = 0, dx = 0, dy = 0;
    if (nc_get_att_int(nc0, NC_GLOBAL, "MAP_PROJ", &proj) || nc_get_att_double(nc0, NC_GLOBAL, "DX", &dx) ||
        nc_get_att_double(nc0, NC_GLOBAL, "DY", &dy) || nc_get_att_double(nc0, NC_GLOBAL, "CEN_LAT", &clat) ||
        nc_get_att_double(nc0, NC_GLOBAL, "CEN_LON", &clon))
        return lt_error_set(err, LT_EINPUT, "%s: global attributes MAP_PROJ, DX, DY, CEN_LAT, CEN_LON missing: expected a WRF wrfout file",
                            m->paths[0]);
    nc_get_att_double(nc0, NC_GLOBAL, "TRUELAT1", &tl1);
    nc_get_att_double(nc0, NC_GLOBAL, "TRUELAT2", &tl2);
    nc_get_att_double(nc0, NC_GLOBAL, "STAND_LON", &slon);
    char crs[512];
    const char *sphere = "+R=6370000"; /* WRF's earth */
    if (proj == 1)
        snprintf(crs, sizeof crs, "+proj=lcc +lat_1=%.10g +lat_2=%.10g +lat_0=%.10g +lon_0=%.10g %s +units=m +type=crs",
                 tl1, tl2, clat, slon, sphere);
    else if (proj == 2)
        snprintf(crs, sizeof crs, "+proj=stere +lat_0=%d +lat_ts=%.10g +lon_0=%.10g %s +units=m +type=crs",
                 tl1 >= 0 ? 90 : -90, tl1, slon, sphere);
    else if (proj == 3)
        snprintf(crs, sizeof crs, "+proj=merc +lat_ts=%.10g +lon_0=%.10g %s +units=m +type=crs", tl1, slon, sphere);
    else
        return lt_error_set(err, LT_EINPUT, "%s: MAP_PROJ = %d: expected 1 (Lambert), 2 (polar stereographic) or 3 (Mercator)",
                            m->paths[0], proj);
    m->pjc = proj_context_create();
    proj_log_level(m->pjc, PJ_LOG_NONE);
    PJ *p = proj_create_crs_to_crs(m->pjc, "+proj=longlat +R=6370000 +type=crs", crs, NULL);
    if (p) {
        m->pj = proj_normalize_for_visualization(m->pjc, p);
        proj_destroy(p);
    }
    if (!m->pj)
        return lt_error_set(err, LT_EINPUT, "%s: PROJ cannot use '%s'", m->paths[0], crs);
    PJ_COORD c = proj_trans(m->pj, PJ_FWD, proj_coord(clon, clat, 0, 0));
    m->nlon = (int)nx;
    m->nlat = (int)ny;
    m->lon = malloc(nx * sizeof *m->lon);
    m->lat = malloc(ny * sizeof *m->lat);
    m->work = malloc(nx * ny * sizeof *m->work);
    if (!m->lon || !m->lat || !m->work)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t i = 0; i < nx; i++)
        m->lon[i] = c.xy.x + ((double)i - 0.5 * (double)(nx - 1)) * dx;
    for (size_t j = 0; j < ny; j++)
        m->lat[j] = c.xy.y + ((double)j - 0.5 * (double)(ny - 1)) * dy;
    /* the grid's corners against XLAT/XLONG: the projection must place them */
    if (wrf_has(nc0, "XLAT") && wrf_has(nc0, "XLONG")) {
        float *la = malloc(nx * ny * sizeof *la);
        if (!la)
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        int rc = wrf_field(m, 0, 0, "XLAT", la, err) ? err->code : LT_OK;
        if (!rc)
            rc = wrf_field(m, 0, 0, "XLONG", m->work, err);
        size_t corner[2] = {0, nx * ny - 1};
        for (int q = 0; q < 2 && !rc; q++) {
            PJ_COORD g = proj_trans(m->pj, PJ_FWD, proj_coord(m->work[corner[q]], la[corner[q]], 0, 0));
            double ex = m->lon[corner[q] % nx], ey = m->lat[corner[q] / nx];
            if (hypot(g.xy.x - ex, g.xy.y - ey) > 0.25 * dx)
                rc = lt_error_set(err, LT_EINPUT,
                                  "%s: XLAT/XLONG at grid point %zu (%.4f N, %.4f E) lies %.0f m from where MAP_PROJ %d, "
                                  "CEN_LAT/CEN_LON, TRUELAT1/2, STAND_LON and DX place it: expected a consistent WRF grid",
                                  m->paths[0], corner[q], la[corner[q]], m->work[corner[q]],
                                  hypot(g.xy.x - ex, g.xy.y - ey), proj);
        }
        free(la);
        if (rc)
            return rc;
    }
    /* times: Times(Time, DateStrLen) in every file, in sequence */
    size_t cap_t = 0;
    m->nt = 0;
    for (int f = 0; f < m->nfiles; f++) {
        int nc = m->ncids[f], v, dims[2];
        size_t nt = 0, sl = 0;
        if (nc_inq_varid(nc, "Times", &v) || nc_inq_vardimid(nc, v, dims) || nc_inq_dimlen(nc, dims[0], &nt) ||
            nc_inq_dimlen(nc, dims[1], &sl) || sl < 19)
            return lt_error_set(err, LT_EINPUT, "%s: variable 'Times' (Time, DateStrLen) missing: expected a WRF wrfout file",
                                m->paths[f]);
        size_t fx = 0, fy = 0;
        if (nc_inq_dimid(nc, "west_east", &d) || nc_inq_dimlen(nc, d, &fx) || nc_inq_dimid(nc, "south_north", &d) ||
            nc_inq_dimlen(nc, d, &fy) || fx != nx || fy != ny)
            return lt_error_set(err, LT_EINPUT, "%s: grid %zu x %zu: expected the %zu x %zu grid of %s",
                                m->paths[f], fx, fy, nx, ny, m->paths[0]);
        char *txt = malloc(nt * sl + 1);
        if (!txt)
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        if (nc_get_var_text(nc, v, txt)) {
            free(txt);
            return lt_error_set(err, LT_EINPUT, "%s: cannot read Times", m->paths[f]);
        }
        if (m->nt + nt > cap_t) {
            cap_t = 2 * (m->nt + nt);
            double *t = realloc(m->t, cap_t * sizeof *t);
            size_t *a = realloc(m->rec_file, cap_t * sizeof *a);
            if (t)
                m->t = t;
            if (a)
                m->rec_file = a;
            size_t *b = realloc(m->rec_index, cap_t * sizeof *b);
            if (b)
                m->rec_index = b;
            if (!t || !a || !b) {
                free(txt);
                return lt_error_set(err, LT_ENOMEM, "out of memory");
            }
        }
        for (size_t k = 0; k < nt; k++) {
            char one[32];
            snprintf(one, sizeof one, "%.19s", txt + k * sl);
            double tt;
            if (wrf_time(one, &tt)) {
                free(txt);
                return lt_error_set(err, LT_EINPUT, "%s: Times[%zu] = '%s': expected YYYY-MM-DD_hh:mm:ss", m->paths[f], k, one);
            }
            if (m->nt && tt <= m->t[m->nt - 1]) {
                free(txt);
                return lt_error_set(err, LT_EINPUT, "%s: Times[%zu] = '%s' is not after the previous record: expected the files in time order",
                                    m->paths[f], k, one);
            }
            m->t[m->nt] = tt;
            m->rec_file[m->nt] = (size_t)f;
            m->rec_index[m->nt] = k;
            m->nt++;
        }
        free(txt);
    }
    if (!m->nt)
        return lt_error_set(err, LT_EINPUT, "%s: no records", m->paths[0]);
    /* which lantian variables the files give */
    static const char *const need[] = {"U10", "V10", "T2", "PBLH", "UST"};
    for (int i = 0; i < 5; i++)
        if (!wrf_has(nc0, need[i]))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' is missing: expected U10, V10, T2, PBLH, UST and RMOL or HFX",
                                m->paths[0], need[i]);
    for (int v = 0; v < NVARS; v++)
        m->varid[v] = -1;
    const int have[] = {V_U10, V_V10, V_T2, V_PBLH, V_UST};
    for (int i = 0; i < 5; i++)
        m->varid[have[i]] = 1;
    m->varid[V_RMOL] = wrf_has(nc0, "RMOL") ? 1 : -1;
    m->varid[V_HFX] = wrf_has(nc0, "HFX") ? 1 : -1;
    if (m->varid[V_RMOL] < 0 && m->varid[V_HFX] < 0)
        return lt_error_set(err, LT_EINPUT, "%s: RMOL and HFX are both missing: expected one of them", m->paths[0]);
    m->has_rain_acc = wrf_has(nc0, "RAINC") && wrf_has(nc0, "RAINNC");
    m->has_q2 = wrf_has(nc0, "Q2") && wrf_has(nc0, "PSFC");
    m->varid[V_RAIN] = m->has_rain_acc ? 1 : -1;
    m->varid[V_RH] = m->has_q2 ? 1 : -1;
    static const char *const wname[NVARS] = {"U10", "V10", "T2", "PBLH", "UST", "RMOL", "HFX",
                                             "RAINC+RAINNC", "RH from Q2, PSFC, T2", "", ""};
    m->optional[0] = '\0';
    for (int v = 0; v < NVARS; v++) {
        snprintf(m->varname[v], sizeof m->varname[v], "%s", wname[v]);
        if (m->varid[v] < 0)
            continue;
        m->slab[v] = malloc(nx * ny * sizeof(float));
        if (!m->slab[v])
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        if (v >= V_RMOL) {
            if (m->optional[0])
                strcat(m->optional, ",");
            strcat(m->optional, vars[v].name);
        }
    }
    return LT_OK;
}

int lt_met_load(lt_met *m, double t_s, lt_error *err)
{
    long k = find_time(m, t_s);
    if (k < 0) {
        char iso[32];
        lt_format_iso8601(t_s, iso, sizeof iso);
        return lt_error_set(err, LT_EINPUT, "%s: no record for %s", m->path, iso);
    }
    if ((size_t)k == m->loaded)
        return LT_OK;
    if (m->wrf) {
        int rc = wrf_load(m, (size_t)k, err);
        if (rc)
            return rc;
        rc = check_slabs(m, (size_t)k, t_s, err);
        m->loaded = rc ? (size_t)-1 : (size_t)k;
        return rc;
    }
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    if ((size_t)k < m->ahead_k0 || (size_t)k >= m->ahead_k0 + m->ahead_n) {
        if (!m->ahead_cap) {
            size_t cap = READ_AHEAD_BYTES / (n * sizeof(float));
            m->ahead_cap = cap < 1 ? 1 : cap > READ_AHEAD ? READ_AHEAD : cap;
        }
        size_t na = m->nt - (size_t)k < m->ahead_cap ? m->nt - (size_t)k : m->ahead_cap;
        size_t start[3] = {(size_t)k, 0, 0};
        size_t count[3] = {na, (size_t)m->nlat, (size_t)m->nlon};
        m->ahead_n = 0;
        for (int v = 0; v < NVARS; v++) {
            if (m->varid[v] < 0)
                continue;
            if (!m->ahead[v] && !(m->ahead[v] = malloc(m->ahead_cap * n * sizeof(float))))
                return lt_error_set(err, LT_ENOMEM, "%s: out of memory reading %s", m->path, m->varname[v]);
            int st = nc_get_vara_float(m->ncid, m->varid[v], start, count, m->ahead[v]);
            if (st) {
                m->loaded = (size_t)-1;
                return nc_fail(err, m->path, m->varname[v], st);
            }
        }
        m->ahead_k0 = (size_t)k;
        m->ahead_n = na;
    }
    for (int v = 0; v < NVARS; v++) {
        if (m->varid[v] < 0)
            continue;
        float *s = m->slab[v];
        memcpy(s, m->ahead[v] + ((size_t)k - m->ahead_k0) * n, n * sizeof *s);
        for (size_t i = 0; i < n; i++) {
            double raw = s[i];
            double val = (raw * m->pack_scale[v] + m->pack_offset[v]) * m->scale[v] + m->offset[v];
            int bad = !isfinite(raw) || (m->has_fill[v] && (float)raw == (float)m->fill[v]);
            if (bad || val < vars[v].lo || val > vars[v].hi) {
                char iso[32];
                lt_format_iso8601(t_s, iso, sizeof iso);
                m->loaded = (size_t)-1;
                return lt_error_set(err, LT_EINPUT,
                                    "%s: variable '%s' at %s, lat index %zu, lon index %zu = %g: expected %s from %g to %g %s",
                                    m->path, m->varname[v], iso, i / (size_t)m->nlon,
                                    i % (size_t)m->nlon, raw,
                                    bad ? "a valid value (not missing or NaN)" : "a value",
                                    vars[v].lo, vars[v].hi, vars[v].units);
            }
            s[i] = (float)val;
        }
    }
    m->loaded = (size_t)k;
    return LT_OK;
}

/* Cell index and weight of coordinate value c on axis a[0..n): a[i] + w (a[i+1]-a[i]). */
static void locate(const double *a, int n, double c, int *i, double *w)
{
    if (n == 1) {
        *i = 0;
        *w = 0.0;
        return;
    }
    int inc = a[1] > a[0];
    double first = a[0], last = a[n - 1];
    if ((inc && c <= first) || (!inc && c >= first)) {
        *i = 0;
        *w = 0.0;
        return;
    }
    if ((inc && c >= last) || (!inc && c <= last)) {
        *i = n - 2;
        *w = 1.0;
        return;
    }
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if ((a[mid] <= c) == inc)
            lo = mid;
        else
            hi = mid;
    }
    *i = lo;
    *w = (c - a[lo]) / (a[lo + 1] - a[lo]);
}

static double bilinear(const float *s, int nlon, int nlat, int i, double wx, int j, double wy)
{
    int i1 = nlon > 1 ? i + 1 : i, j1 = nlat > 1 ? j + 1 : j;
    double a = s[(size_t)j * nlon + i], b = s[(size_t)j * nlon + i1];
    double c = s[(size_t)j1 * nlon + i], d = s[(size_t)j1 * nlon + i1];
    return (1 - wy) * ((1 - wx) * a + wx * b) + wy * ((1 - wx) * c + wx * d);
}

void lt_met_sample(const lt_met *m, double lon, double lat, lt_met_point *p)
{
    int i, j;
    double wx, wy;
    if (m->pj) {
        PJ_COORD c = proj_trans(m->pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
        lon = c.xy.x; /* now grid x, y in metres */
        lat = c.xy.y;
    }
    locate(m->lon, m->nlon, lon, &i, &wx);
    locate(m->lat, m->nlat, lat, &j, &wy);
    double val[NVARS];
    for (int v = 0; v < NVARS; v++)
        val[v] = m->varid[v] >= 0 ? bilinear(m->slab[v], m->nlon, m->nlat, i, wx, j, wy) : NAN;
    p->u10 = val[V_U10];
    p->v10 = val[V_V10];
    p->t2 = val[V_T2];
    p->pblh = val[V_PBLH];
    p->ust = val[V_UST];
    p->hfx = val[V_HFX];
    p->rain = m->varid[V_RAIN] >= 0 ? val[V_RAIN] : 0.0;
    p->rh = val[V_RH];
    p->cloud = val[V_CLOUD];
    p->sigma_theta = val[V_SIGTH];
    if (m->varid[V_RMOL] >= 0) {
        p->rmol = val[V_RMOL];
    } else if (m->varid[V_HFX] < 0) {
        p->rmol = NAN; /* neither: only Turner's method can classify */
    } else {
        /* 1/L = -kappa g H / (rho cp T u*^3): Stull (1988) eq. 5.7c, with
         * rho cp = 1.2 * 1005 J m-3 K-1 and kappa = 0.4. */
        double us = p->ust > 0.01 ? p->ust : 0.01;
        p->rmol = -0.4 * 9.81 * p->hfx / (1.2 * 1005.0 * p->t2 * us * us * us);
    }
}

/* How far c lies beyond the axis a[0..n) (0 within half a spacing of it). */
static double beyond_axis(const double *a, int n, double c)
{
    if (n < 2)
        return 0.0;
    double lo = fmin(a[0], a[n - 1]), hi = fmax(a[0], a[n - 1]);
    double half = 0.5 * fabs(a[n - 1] - a[0]) / (n - 1);
    return c < lo - half ? lo - half - c : c > hi + half ? c - hi - half : 0.0;
}

double lt_met_outside(const lt_met *m, double lon, double lat, const char **units)
{
    *units = m->pj ? "m" : "degrees";
    if (m->pj) {
        PJ_COORD c = proj_trans(m->pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
        lon = c.xy.x;
        lat = c.xy.y;
        if (!isfinite(lon) || !isfinite(lat))
            return INFINITY;
    }
    return hypot(beyond_axis(m->lon, m->nlon, lon), beyond_axis(m->lat, m->nlat, lat));
}

void lt_met_extent(const lt_met *m, char *buf, size_t n)
{
    double x0 = fmin(m->lon[0], m->lon[m->nlon - 1]), x1 = fmax(m->lon[0], m->lon[m->nlon - 1]);
    double y0 = fmin(m->lat[0], m->lat[m->nlat - 1]), y1 = fmax(m->lat[0], m->lat[m->nlat - 1]);
    if (m->pj)
        snprintf(buf, n, "x %.0f to %.0f m, y %.0f to %.0f m on its projection", x0, x1, y0, y1);
    else
        snprintf(buf, n, "%.2f to %.2f E, %.2f to %.2f N", x0, x1, y0, y1);
}
