/* met_cf.c — CF NetCDF meteorology (see met.h): a regular lon/lat grid or a
 * projected x/y grid with a grid mapping; records along a time axis named
 * time, valid_time or Time (or a scalar time: one record); variables found by
 * the [met] variables map, lantian's name, the names ERA5 and others use, or
 * their CF standard_name; dimensions of length one (ERA5's expver, number,
 * a single level) skipped wherever they are. */
#include <math.h>
#include <netcdf.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/files.h"
#include "io/met_impl.h"
#include "io/namemap.h"
#include "io/nc3check.h"
#include "io/units.h"

/* Records of a gridded file read in one call: 24, fewer for large grids (at
 * most 8 MB per variable): one call per hour costs more than the reading on
 * small grids. */
#define READ_AHEAD 24
#define READ_AHEAD_BYTES (8u << 20)

/* Other names of lantian's variables and what their values mean. kind:
 * 0 a value at the record's time, in units udunits converts; 1 an amount
 * accumulated over the hour before the record (ERA5's J m-2 and m), made a
 * mean rate over that interval; 2 a mean rate over the hour before the
 * record. sign -1: ECMWF's downward-positive fluxes. */
typedef struct alias {
    int v;
    const char *name;
    int kind;
    double sign;
    const char *units; /* the units an accumulation must convert to (kind 1) */
    double per_hour;   /* kind 1: from those units per hour to lantian's units */
} alias;

static const alias aliases[] = {
    {V_U10, "U10", 0, 1, NULL, 0},        {V_V10, "V10", 0, 1, NULL, 0},
    {V_T2, "t2m", 0, 1, NULL, 0},         {V_T2, "T2", 0, 1, NULL, 0},
    {V_T2, "tas", 0, 1, NULL, 0},         {V_PBLH, "blh", 0, 1, NULL, 0},
    {V_PBLH, "PBLH", 0, 1, NULL, 0},      {V_UST, "zust", 0, 1, NULL, 0},
    {V_UST, "UST", 0, 1, NULL, 0},        {V_UST, "ustar", 0, 1, NULL, 0},
    {V_RMOL, "RMOL", 0, 1, NULL, 0},      {V_HFX, "HFX", 0, 1, NULL, 0},
    {V_HFX, "sshf", 1, -1, "J m-2", 1.0 / 3600.0},
    {V_HFX, "msshf", 2, -1, NULL, 0},     {V_HFX, "ishf", 0, -1, NULL, 0},
    {V_RAIN, "tp", 1, 1, "mm", 1.0},      {V_RAIN, "pr", 0, 1, NULL, 0},
    {V_RAIN, "mtpr", 2, 1, NULL, 0},      {V_RH, "r2", 0, 1, NULL, 0},
    {V_RH, "hurs", 0, 1, NULL, 0},        {V_CLOUD, "tcc", 0, 1, NULL, 0},
    {V_CLOUD, "clt", 0, 1, NULL, 0},      {V_SWDOWN, "ssrd", 1, 1, "J m-2", 1.0 / 3600.0},
    {V_SWDOWN, "msdwswrf", 2, 1, NULL, 0}, {V_SWDOWN, "rsds", 0, 1, NULL, 0},
    {V_SWDOWN, "SWDOWN", 0, 1, NULL, 0},  {V_PSFC, "sp", 0, 1, NULL, 0},
    {V_PSFC, "ps", 0, 1, NULL, 0},        {V_PSFC, "PSFC", 0, 1, NULL, 0},
};

/* One variable's way from the file to lantian's units. */
typedef struct cfvar {
    int ndims, tpos, latpos, lonpos;
    size_t dimlen[NC_MAX_VAR_DIMS];
} cfvar;

typedef struct cf_state {
    cfvar var[NVARS];
    int tdim;                 /* -1: scalar time */
} cf_state;

static int nc_fail(lt_error *err, const char *path, const char *what, int status)
{
    return lt_error_set(err, LT_EINPUT, "%s: %s: %s", path, what, nc_strerror(status));
}

static int get_text_att(int ncid, int varid, const char *att, char *buf, size_t n)
{
    size_t len;
    nc_type type;
    if (nc_inq_att(ncid, varid, att, &type, &len) != NC_NOERR || type != NC_CHAR || len >= n)
        return 0;
    if (nc_get_att_text(ncid, varid, att, buf) != NC_NOERR)
        return 0;
    buf[len] = '\0';
    return 1;
}

/* The variable with standard_name stdname, or -1. */
static int by_standard_name(int ncid, const char *stdname, char *found)
{
    int nv;
    if (!stdname || nc_inq_nvars(ncid, &nv))
        return -1;
    for (int v = 0; v < nv; v++) {
        char buf[256];
        if (get_text_att(ncid, v, "standard_name", buf, sizeof buf) && !strcmp(buf, stdname)) {
            nc_inq_varname(ncid, v, found);
            return v;
        }
    }
    return -1;
}

/* The first of names in the file, else the one with standard_name; -1. */
static int find_named(int ncid, const char *const *names, const char *stdname, char *found)
{
    int id;
    for (int i = 0; names[i]; i++)
        if (nc_inq_varid(ncid, names[i], &id) == NC_NOERR) {
            strcpy(found, names[i]);
            return id;
        }
    return by_standard_name(ncid, stdname, found);
}

/* Reads a 1-D coordinate (degrees, or metres when projected). -1: absent. */
static int read_coord(lt_met *m, int projected, const char *const *names, const char *stdname, const char *what,
                      double **vals, int *n, int *dimid, lt_error *err)
{
    char found[NC_MAX_NAME + 1];
    int varid = find_named(m->ncid, names, stdname, found), nd;
    if (varid < 0)
        return -1;
    nc_inq_varndims(m->ncid, varid, &nd);
    if (nd != 1)
        return lt_error_set(err, LT_EINPUT,
                            "%s: variable '%s' has %d dimensions: expected a 1-D %s coordinate (curvilinear grids "
                            "are read from wrfout files only)",
                            m->path, found, nd, what);
    size_t len;
    nc_inq_vardimid(m->ncid, varid, dimid);
    nc_inq_dimlen(m->ncid, *dimid, &len);
    if (!len)
        return lt_error_set(err, LT_EINPUT, "%s: coordinate '%s' is empty: expected at least one point", m->path, found);
    if (!(*vals = malloc(len * sizeof **vals)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int st = nc_get_var_double(m->ncid, varid, *vals);
    if (st)
        return nc_fail(err, m->path, found, st);
    char units[64];
    if (projected && get_text_att(m->ncid, varid, "units", units, sizeof units) && strcmp(units, "m")) {
        double scale, offset;
        if (lt_units_linear(units, "m", &scale, &offset))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' units = '%s': expected a length like m or km",
                                m->path, found, units);
        for (size_t i = 0; i < len; i++)
            (*vals)[i] = (*vals)[i] * scale + offset;
    }
    for (size_t i = 0; i < len; i++) {
        double *a = *vals;
        if (!isfinite(a[i]))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s'[%zu] is not a finite number", m->path, found, i);
        if (i > 0 && a[i] == a[i - 1])
            return lt_error_set(err, LT_EINPUT,
                                "%s: variable '%s' repeats the value %g at index %zu: expected strictly monotonic "
                                "values",
                                m->path, found, a[i], i);
        if (i > 1 && ((a[i] > a[i - 1]) != (a[i - 1] > a[i - 2])))
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' is not monotonic at index %zu", m->path, found, i);
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
        snprintf(out, n,
                 "+proj=lcc +lat_1=%.10g +lat_2=%.10g +lat_0=%.10g +lon_0=%.10g +x_0=%.10g +y_0=%.10g %s +units=m "
                 "+type=crs",
                 sp[0], nsp > 1 ? sp[1] : sp[0], lat0, lon0, fe, fn, earth);
    else if (!strcmp(name, "transverse_mercator"))
        snprintf(out, n, "+proj=tmerc +lat_0=%.10g +lon_0=%.10g +k=%.10g +x_0=%.10g +y_0=%.10g %s +units=m +type=crs",
                 lat0, lon0, k0, fe, fn, earth);
    else if (!strcmp(name, "mercator"))
        snprintf(out, n, "+proj=merc +lat_ts=%.10g +lon_0=%.10g +x_0=%.10g +y_0=%.10g %s +units=m +type=crs", sp[0],
                 lon0, fe, fn, earth);
    else if (!strcmp(name, "polar_stereographic")) {
        double svlon = lon0;
        nc_get_att_double(ncid, gm, "straight_vertical_longitude_from_pole", &svlon);
        snprintf(out, n,
                 "+proj=stere +lat_0=%.10g +lat_ts=%.10g +lon_0=%.10g +x_0=%.10g +y_0=%.10g %s +units=m +type=crs",
                 lat0, sp[0], svlon, fe, fn, earth);
    }
}

/* The lon/lat -> x/y transformation of a projected grid, from the
 * grid_mapping attribute of variable varid. */
static int setup_projection(lt_met *m, int varid, lt_error *err)
{
    char gmname[NC_MAX_NAME + 1], crs[4096];
    int gm;
    if (!get_text_att(m->ncid, varid, "grid_mapping", gmname, sizeof gmname) ||
        nc_inq_varid(m->ncid, gmname, &gm) != NC_NOERR)
        return lt_error_set(err, LT_EINPUT,
                            "%s: the grid has projected x/y coordinates but variable '%s' has no usable "
                            "grid_mapping attribute: expected a CF grid-mapping variable",
                            m->path, m->varname[V_U10]);
    grid_mapping_crs(m->ncid, gm, crs, sizeof crs);
    if (!crs[0])
        return lt_error_set(err, LT_EINPUT,
                            "%s: grid-mapping variable '%s' is not supported: expected crs_wkt, proj4_params, "
                            "or grid_mapping_name lambert_conformal_conic, transverse_mercator, mercator or "
                            "polar_stereographic",
                            m->path, gmname);
    m->pjc = proj_context_create();
    proj_log_level(m->pjc, PJ_LOG_NONE);
    PJ *p = proj_create_crs_to_crs(m->pjc, "+proj=longlat +datum=WGS84 +type=crs", crs, NULL);
    if (p) {
        m->pj = proj_normalize_for_visualization(m->pjc, p); /* lon, lat order */
        proj_destroy(p);
    }
    if (!m->pj)
        return lt_error_set(err, LT_EINPUT, "%s: grid-mapping variable '%s': PROJ cannot use '%.200s'", m->path,
                            gmname, crs);
    return LT_OK;
}

/* The time axis: a 1-D variable time, valid_time or Time (or with
 * standard_name time), or a scalar one (a single record). */
static int read_time(lt_met *m, cf_state *s, lt_error *err)
{
    static const char *const names[] = {"time", "valid_time", "Time", NULL};
    char found[NC_MAX_NAME + 1];
    int varid = find_named(m->ncid, names, "time", found), nd;
    if (varid < 0)
        return lt_error_set(err, LT_EINPUT,
                            "%s: no time variable: expected time(time) (or valid_time, or a scalar time) with units "
                            "'hours since ...'",
                            m->path);
    nc_inq_varndims(m->ncid, varid, &nd);
    if (nd > 1)
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' has %d dimensions: expected a 1-D or scalar time",
                            m->path, found, nd);
    s->tdim = -1;
    m->nt = 1;
    if (nd == 1) {
        nc_inq_vardimid(m->ncid, varid, &s->tdim);
        nc_inq_dimlen(m->ncid, s->tdim, &m->nt);
    }
    if (m->nt == 0)
        return lt_error_set(err, LT_EINPUT, "%s: the time dimension is empty: expected records", m->path);
    char units[256], cal[64];
    if (!get_text_att(m->ncid, varid, "units", units, sizeof units))
        return lt_error_set(err, LT_EINPUT,
                            "%s: variable '%s' has no units: expected e.g. 'hours since 2020-01-01 00:00:00'", m->path,
                            found);
    if (get_text_att(m->ncid, varid, "calendar", cal, sizeof cal) && strcmp(cal, "standard") &&
        strcmp(cal, "gregorian") && strcmp(cal, "proleptic_gregorian"))
        return lt_error_set(err, LT_EINPUT,
                            "%s: variable '%s' calendar = '%s': expected standard, gregorian or proleptic_gregorian",
                            m->path, found, cal);
    double scale, offset;
    if (lt_units_time(units, &scale, &offset))
        return lt_error_set(err, LT_EINPUT,
                            "%s: variable '%s' units = '%s': expected a CF time unit like 'hours since 2020-01-01 "
                            "00:00:00'",
                            m->path, found, units);
    if (!(m->t = malloc(m->nt * sizeof *m->t)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int st = nc_get_var_double(m->ncid, varid, m->t);
    if (st)
        return nc_fail(err, m->path, found, st);
    for (size_t k = 0; k < m->nt; k++) {
        m->t[k] = m->t[k] * scale + offset;
        if (!isfinite(m->t[k]))
            return lt_error_set(err, LT_EINPUT, "%s: %s[%zu] is not a finite number", m->path, found, k);
        m->t[k] = round(m->t[k] * 1000.0) / 1000.0; /* float time values */
        if (k && m->t[k] <= m->t[k - 1])
            return lt_error_set(err, LT_EINPUT, "%s: %s[%zu] is not after %s[%zu]: expected increasing times",
                                m->path, found, k, found, k - 1);
    }
    return LT_OK;
}

#define MAP_MAX NVARS

/* The [met] variables map "lantian:file[:factor], ...", its names checked. */
static int read_map(const char *map, const char *path, lt_namemap_item *items, int *n, lt_error *err)
{
    char where[4200];
    snprintf(where, sizeof where, "%s: [met] variables", path);
    int rc = lt_namemap_parse(map, where, "LANTIAN_NAME:NAME_IN_FILE[:FACTOR]", 0, items, MAP_MAX, n, err);
    for (int i = 0; i < *n && !rc; i++) {
        int known = 0;
        for (int v = 0; v < NVARS; v++)
            known |= !strcmp(lt_met_vars[v].name, items[i].a);
        if (!known)
            rc = lt_error_set(err, LT_EINPUT,
                              "%s: '%s' is not a lantian variable (expected u10, v10, t2, pblh, ust, rmol, hfx, rain, "
                              "rh, cloud, sigma_theta, swdown, psfc)",
                              where, items[i].a);
    }
    return rc;
}

/* Variable v's id in the file and how its values read (-1: not there). */
static int locate_var(lt_met *m, int v, const lt_namemap_item *map, int nmap, const alias **al, double *factor,
                      lt_error *err)
{
    *al = NULL;
    *factor = NAN;
    int id;
    for (int i = 0; i < nmap; i++)
        if (!strcmp(map[i].a, lt_met_vars[v].name)) {
            if (nc_inq_varid(m->ncid, map[i].b, &id) != NC_NOERR)
            {
                lt_error_set(err, LT_EINPUT, "%s: variable '%s' (mapped to %s by [met] variables) is missing",
                             m->path, map[i].b, lt_met_vars[v].name);
                return -2;
            }
            snprintf(m->varname[v], sizeof m->varname[v], "%s", map[i].b);
            *factor = map[i].number;
            return id;
        }
    if (nc_inq_varid(m->ncid, lt_met_vars[v].name, &id) == NC_NOERR) {
        snprintf(m->varname[v], sizeof m->varname[v], "%s", lt_met_vars[v].name);
        return id;
    }
    for (size_t a = 0; a < sizeof aliases / sizeof *aliases; a++)
        if (aliases[a].v == v && nc_inq_varid(m->ncid, aliases[a].name, &id) == NC_NOERR) {
            snprintf(m->varname[v], sizeof m->varname[v], "%s", aliases[a].name);
            *al = &aliases[a];
            return id;
        }
    return by_standard_name(m->ncid, lt_met_vars[v].standard_name, m->varname[v]);
}

/* Why variable id cannot be read as (time,) lat, lon: "" when it can. */
static void check_dims(lt_met *m, cf_state *s, int v, int id, int latdim, int londim, char *why, size_t n)
{
    cfvar *c = &s->var[v];
    int dims[NC_MAX_VAR_DIMS];
    nc_inq_varndims(m->ncid, id, &c->ndims);
    nc_inq_vardimid(m->ncid, id, dims);
    c->tpos = c->latpos = c->lonpos = -1;
    why[0] = '\0';
    for (int d = 0; d < c->ndims; d++) {
        nc_inq_dimlen(m->ncid, dims[d], &c->dimlen[d]);
        if (dims[d] == s->tdim)
            c->tpos = d;
        else if (dims[d] == latdim)
            c->latpos = d;
        else if (dims[d] == londim)
            c->lonpos = d;
        else if (c->dimlen[d] != 1) {
            char dn[NC_MAX_NAME + 1];
            nc_inq_dimname(m->ncid, dims[d], dn);
            snprintf(why, n, "it has dimension '%.64s' of length %zu besides time, latitude and longitude", dn,
                     c->dimlen[d]);
            return;
        }
    }
    if (c->latpos < 0 || c->lonpos < 0 || c->latpos > c->lonpos || (c->tpos >= 0 && c->tpos > c->latpos))
        snprintf(why, n, "its dimensions are not (time, latitude, longitude) in that order");
    else if (c->tpos < 0 && s->tdim >= 0 && m->nt > 1)
        snprintf(why, n, "it has no time dimension");
}

/* Sets up variable v: found, its dimensions, its units. An optional one that
 * cannot be used is a warning and left out. */
static int setup_var(lt_met *m, cf_state *s, int v, int latdim, int londim, const lt_namemap_item *map, int nmap,
                     lt_error *err)
{
    const var_def *d = &lt_met_vars[v];
    const alias *al;
    double factor;
    int id = locate_var(m, v, map, nmap, &al, &factor, err);
    if (id == -2)
        return err->code;
    if (id < 0)
        return LT_OK;
    char why[256] = "", units[128] = "";
    check_dims(m, s, v, id, latdim, londim, why, sizeof why);
    int has_units = get_text_att(m->ncid, id, "units", units, sizeof units);
    m->scale[v] = 1.0;
    m->offset[v] = 0.0;
    if (!why[0] && isfinite(factor)) {
        m->scale[v] = factor; /* the map's factor replaces the units (e.g. accumulations) */
    } else if (!why[0] && al && al->kind == 1) {
        if (!has_units || lt_units_linear(units, al->units, &m->scale[v], &m->offset[v]) || m->offset[v] != 0.0)
            snprintf(why, sizeof why, "units = '%s': expected an amount convertible to '%s' (an accumulation)",
                     has_units ? units : "(none)", al->units);
        m->scale[v] *= al->per_hour;
        m->interval[v] = 1;
    } else if (!why[0] && has_units && strcmp(units, d->units) &&
               lt_units_linear(units, d->units, &m->scale[v], &m->offset[v])) {
        snprintf(why, sizeof why, "units = '%s': expected units convertible to '%s'", units, d->units);
    }
    if (why[0]) {
        if (d->required)
            return lt_error_set(err, LT_EINPUT, "%s: variable '%s' (lantian's %s) cannot be used: %s", m->path,
                                m->varname[v], d->name, why);
        lt_met_warn(m, "%s: variable '%s' (lantian's optional %s) ignored: %s", m->path, m->varname[v], d->name, why);
        return LT_OK;
    }
    if (al) {
        m->scale[v] *= al->sign;
        m->offset[v] *= al->sign;
        m->interval[v] |= al->kind == 2;
    }
    m->varid[v] = id;
    m->has[v] = 1;
    m->pack_scale[v] = 1.0;
    m->pack_offset[v] = 0.0;
    nc_get_att_double(m->ncid, id, "scale_factor", &m->pack_scale[v]);
    nc_get_att_double(m->ncid, id, "add_offset", &m->pack_offset[v]);
    m->has_fill[v] = nc_get_att_double(m->ncid, id, "_FillValue", &m->fill[v]) == NC_NOERR ||
                     nc_get_att_double(m->ncid, id, "missing_value", &m->fill[v]) == NC_NOERR;
    return LT_OK;
}

/* Reads records k .. k+na-1 of variable v into the read-ahead buffer. */
static int read_ahead_var(lt_met *m, cf_state *s, int v, size_t k, size_t na, lt_error *err)
{
    const cfvar *c = &s->var[v];
    size_t start[NC_MAX_VAR_DIMS], count[NC_MAX_VAR_DIMS];
    for (int d = 0; d < c->ndims; d++) {
        start[d] = 0;
        count[d] = d == c->latpos || d == c->lonpos ? c->dimlen[d] : 1;
    }
    size_t n = (size_t)m->nlat * (size_t)m->nlon, per = c->tpos >= 0 ? na : 1;
    if (c->tpos >= 0) {
        start[c->tpos] = k;
        count[c->tpos] = na;
    }
    int st = nc_get_vara_float(m->ncid, m->varid[v], start, count, m->ahead[v]);
    if (st)
        return nc_fail(err, m->path, m->varname[v], st);
    for (size_t r = per; r < na; r++) /* no time dimension: the same field every record */
        memcpy(m->ahead[v] + r * n, m->ahead[v], n * sizeof(float));
    return LT_OK;
}

static int cf_fetch(lt_met *m, size_t k, float *const *out, lt_error *err)
{
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    if (k < m->ahead_k0 || k >= m->ahead_k0 + m->ahead_n) {
        if (!m->ahead_cap) {
            size_t cap = READ_AHEAD_BYTES / (n * sizeof(float));
            m->ahead_cap = cap < 1 ? 1 : cap > READ_AHEAD ? READ_AHEAD : cap;
        }
        size_t na = m->nt - k < m->ahead_cap ? m->nt - k : m->ahead_cap;
        m->ahead_n = 0;
        for (int v = 0; v < NVARS; v++) {
            if (!m->has[v])
                continue;
            if (!m->ahead[v] && !(m->ahead[v] = malloc(m->ahead_cap * n * sizeof(float))))
                return lt_error_set(err, LT_ENOMEM, "%s: out of memory reading %s", m->path, m->varname[v]);
            int rc = read_ahead_var(m, m->rs, v, k, na, err);
            if (rc)
                return rc;
        }
        m->ahead_k0 = k;
        m->ahead_n = na;
    }
    for (int v = 0; v < NVARS; v++) {
        if (!m->has[v])
            continue;
        const float *raw = m->ahead[v] + (k - m->ahead_k0) * n;
        float *s = out[v];
        for (size_t i = 0; i < n; i++) {
            double r = raw[i];
            int bad = !isfinite(r) || (m->has_fill[v] && (float)r == (float)m->fill[v]);
            s[i] = bad ? NAN : (float)((r * m->pack_scale[v] + m->pack_offset[v]) * m->scale[v] + m->offset[v]);
        }
    }
    return LT_OK;
}

static const char *cf_where(const lt_met *m, size_t k)
{
    (void)k;
    return m->path;
}

static void cf_close(lt_met *m)
{
    if (m->ncid >= 0)
        nc_close(m->ncid);
    m->ncid = -1;
    for (int v = 0; v < NVARS; v++)
        free(m->ahead[v]);
    free(m->rs);
    m->rs = NULL;
}

static const met_reader cf_reader = {cf_fetch, cf_where, cf_close};

/* The horizontal axes: lon/lat, or projected x/y. */
static int read_axes(lt_met *m, int *londim, int *latdim, int *projected, lt_error *err)
{
    static const char *const lon_names[] = {"lon", "longitude", NULL};
    static const char *const lat_names[] = {"lat", "latitude", NULL};
    static const char *const x_names[] = {"x", "west_east", NULL};
    static const char *const y_names[] = {"y", "south_north", NULL};
    *projected = 0;
    int rc = read_coord(m, 0, lon_names, "longitude", "longitude", &m->lon, &m->nlon, londim, err);
    if (rc == -1) {
        *projected = 1;
        rc = read_coord(m, 1, x_names, "projection_x_coordinate", "x", &m->lon, &m->nlon, londim, err);
    }
    if (rc == -1)
        return lt_error_set(err, LT_EINPUT,
                            "%s: no horizontal coordinates: expected 1-D lon and lat (standard_name longitude, "
                            "latitude) or x and y (projection_x_coordinate, projection_y_coordinate) with a "
                            "grid_mapping",
                            m->path);
    if (rc)
        return rc;
    rc = *projected ? read_coord(m, 1, y_names, "projection_y_coordinate", "y", &m->lat, &m->nlat, latdim, err)
                    : read_coord(m, 0, lat_names, "latitude", "latitude", &m->lat, &m->nlat, latdim, err);
    if (rc == -1)
        return lt_error_set(err, LT_EINPUT, "%s: a %s coordinate is missing: expected a 1-D variable %s", m->path,
                            *projected ? "y" : "latitude", *projected ? "y" : "lat");
    return rc;
}

int lt_met_open_cf(lt_met *m, lt_error *err)
{
    lt_namemap_item items[MAP_MAX];
    int nmap = 0, rc, st;
    if (m->opt.map && m->opt.map[0] && (rc = read_map(m->opt.map, m->path, items, &nmap, err)))
        return rc;
    FILE *probe = lt_file_open(m->path, "rb", "the meteorology", err); /* a folder or an unreadable file */
    if (!probe)
        return err->code;
    fclose(probe);
    if ((st = nc_open(m->path, NC_NOWRITE, &m->ncid))) {
        m->ncid = -1;
        return lt_error_set(err, LT_EIO, "%s: cannot open the meteorology: %s", m->path, nc_strerror(st));
    }
    m->rd = &cf_reader;
    cf_state *s = calloc(1, sizeof *s);
    if (!s)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    m->rs = s; /* the reader's state, freed on close */
    int londim, latdim, projected;
    if ((rc = lt_nc3_check(m->path, m->ncid, err)) || (rc = read_time(m, s, err)) ||
        (rc = read_axes(m, &londim, &latdim, &projected, err)))
        return rc;
    for (int v = 0; v < NVARS && !rc; v++)
        rc = setup_var(m, s, v, latdim, londim, items, nmap, err);
    if (!rc && m->has[V_U10] && projected)
        rc = setup_projection(m, m->varid[V_U10], err);
    return rc;
}
