/* emisgrid.c — gridded inventories onto the model grid (see emisgrid.h). */
#include "io/emisgrid.h"

#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/csv.h"
#include "io/namemap.h"
#include "io/nc3check.h"
#include "io/units.h"

#define EDGE_POINTS 16  /* points per rectangle edge: the projected edge is curved */

/* ---- geometry -------------------------------------------------------- */

/* One Sutherland-Hodgman pass: keep the side of the line coord[axis] = c
 * where sign * (coord - c) >= 0. */
static int clip_pass(const double *in, int n, double *out, int axis, double c, double sign)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        const double *p = in + 2 * i, *q = in + 2 * ((i + 1) % n);
        double dp = sign * (p[axis] - c), dq = sign * (q[axis] - c);
        if (dp >= 0) {
            out[2 * m] = p[0];
            out[2 * m + 1] = p[1];
            m++;
        }
        if ((dp >= 0) != (dq >= 0)) {
            double t = dp / (dp - dq);
            out[2 * m] = p[0] + t * (q[0] - p[0]);
            out[2 * m + 1] = p[1] + t * (q[1] - p[1]);
            m++;
        }
    }
    return m;
}

static double shoelace(const double *xy, int n)
{
    double a = 0.0;
    for (int i = 0, j = n - 1; i < n; j = i++)
        a += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
    return 0.5 * a;
}

double lt_clip_area(const double *xy, int n, double x0, double x1, double y0, double y1)
{
    /* a convex clip window: each pass adds at most one vertex per edge */
    double a[2 * (4 * EDGE_POINTS + 8) * 2], b[2 * (4 * EDGE_POINTS + 8) * 2];
    if (n > 4 * EDGE_POINTS)
        return NAN;
    memcpy(a, xy, 2 * (size_t)n * sizeof *a);
    int m = clip_pass(a, n, b, 0, x0, 1.0);
    m = clip_pass(b, m, a, 0, x1, -1.0);
    m = clip_pass(a, m, b, 1, y0, 1.0);
    m = clip_pass(b, m, a, 1, y1, -1.0);
    return m >= 3 ? fabs(shoelace(a, m)) : 0.0;
}

int lt_regrid_rectangle(const lt_domain *d, double lon0, double lon1, double lat0, double lat1,
                        int *cell, double *frac, int cap, double *inside)
{
    double poly[2 * 4 * EDGE_POINTS];
    const double corner[5][2] = {{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}};
    int n = 0;
    double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
    for (int e = 0; e < 4; e++)
        for (int k = 0; k < EDGE_POINTS; k++) {
            double t = (double)k / EDGE_POINTS;
            double lon = corner[e][0] + t * (corner[e + 1][0] - corner[e][0]);
            double lat = corner[e][1] + t * (corner[e + 1][1] - corner[e][1]);
            double x, y;
            if (lt_domain_forward(d, lon, lat, &x, &y))
                return -1;
            poly[2 * n] = x;
            poly[2 * n + 1] = y;
            n++;
            xmin = fmin(xmin, x);
            xmax = fmax(xmax, x);
            ymin = fmin(ymin, y);
            ymax = fmax(ymax, y);
        }
    double area = fabs(shoelace(poly, n));
    *inside = 0.0;
    if (!(area > 0.0))
        return 0;
    int nx = lt_domain_nx(d), ny = lt_domain_ny(d);
    double dx = lt_domain_dx(d), x00 = lt_domain_x(d, 0) - 0.5 * dx, y00 = lt_domain_y(d, 0) - 0.5 * dx;
    int i0 = (int)floor((xmin - x00) / dx), i1 = (int)floor((xmax - x00) / dx);
    int j0 = (int)floor((ymin - y00) / dx), j1 = (int)floor((ymax - y00) / dx);
    i0 = i0 < 0 ? 0 : i0;
    j0 = j0 < 0 ? 0 : j0;
    i1 = i1 >= nx ? nx - 1 : i1;
    j1 = j1 >= ny ? ny - 1 : j1;
    int m = 0;
    for (int j = j0; j <= j1; j++)
        for (int i = i0; i <= i1; i++) {
            double a = lt_clip_area(poly, n, x00 + i * dx, x00 + (i + 1) * dx, y00 + j * dx,
                                    y00 + (j + 1) * dx);
            if (!(a > 0.0))
                continue;
            if (m == cap)
                return -1;
            cell[m] = j * nx + i;
            frac[m] = a / area;
            *inside += frac[m];
            m++;
        }
    return m;
}

/* ---- the [gridded] maps ------------------------------------------------ */

typedef lt_namemap_item map_item; /* a = the inventory's name, b = lantian's */

/* "NAME_IN_FILE:LANTIAN_NAME[:number]" items of a [gridded] key. */
static int parse_map(const char *list, const char *what, const char *cfgpath, map_item *items,
                     int cap, int *n, lt_error *err)
{
    char where[LT_PATH_MAX + 64];
    snprintf(where, sizeof where, "%s: [gridded] %s", cfgpath, what);
    return lt_namemap_parse(list, where, "NAME_IN_FILE:LANTIAN_NAME", 1, items, cap, n, err);
}

static int species_index(const char *s)
{
    static const char *const names[LT_EG_NSPECIES] = {"pm25", "so2", "nox", "nh3", "voc"};
    for (int i = 0; i < LT_EG_NSPECIES; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* Default vertical fractions by the inventory's sector name: meic2wrf's
 * WRF-layer fractions (power .034/.140/.349/.227/.167/.059/.024, industry
 * .602/.346/.052, residential .9/.1, transportation .95/.05, agriculture 1)
 * gathered onto release heights of 10, 50, 150 and 300 m, taking the WRF
 * layers to end near 25, 60, 110, 170, 250, 350 and 500 m (an assumption). */
static const struct {
    const char *sector;
    double frac[4];
} default_vertical[] = {
    {"power", {0.034, 0.489, 0.394, 0.083}},
    {"industry", {0.602, 0.398, 0.0, 0.0}},
    {"residential", {0.9, 0.1, 0.0, 0.0}},
    {"transportation", {0.95, 0.05, 0.0, 0.0}},
    {"agriculture", {1.0, 0.0, 0.0, 0.0}},
};
static const double default_heights[4] = {10.0, 50.0, 150.0, 300.0};

typedef struct vprofile {
    int n;
    double height[LT_EG_MAX_HEIGHTS], frac[LT_EG_MAX_HEIGHTS];
} vprofile;

static int read_vertical(const char *path, const map_item *sec, int nsec, vprofile *vp, lt_error *err)
{
    for (int s = 0; s < nsec; s++) {
        vp[s].n = 0;
        for (size_t k = 0; k < sizeof default_vertical / sizeof default_vertical[0]; k++)
            if (!strcmp(default_vertical[k].sector, sec[s].a))
                for (int l = 0; l < 4; l++)
                    if (default_vertical[k].frac[l] > 0) {
                        vp[s].height[vp[s].n] = default_heights[l];
                        vp[s].frac[vp[s].n++] = default_vertical[k].frac[l];
                    }
        if (!vp[s].n) { /* a sector the defaults do not name: at the surface */
            vp[s].height[0] = default_heights[0];
            vp[s].frac[0] = 1.0;
            vp[s].n = 1;
        }
    }
    if (!path[0])
        return LT_OK;
    lt_csv *csv;
    if (lt_csv_open(&csv, path, err))
        return err->code;
    static const char *const cols[] = {"sector", "height_m", "fraction"};
    int rc = lt_csv_require(csv, cols, 3, err);
    int seen[LT_EG_MAX_SECTORS] = {0};
    for (size_t i = 0; i < lt_csv_rows(csv) && !rc; i++) {
        const char *name = lt_csv_field(csv, i, lt_csv_column(csv, "sector"));
        int s = 0;
        while (s < nsec && strcmp(sec[s].a, name))
            s++;
        if (s == nsec) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'sector' = '%s': expected a sector of [gridded] sectors",
                              path, lt_csv_line(csv, i), name);
            break;
        }
        double h, f;
        if ((rc = lt_csv_double(csv, i, "height_m", 0, 2000, "a release height in metres from 0 to 2000", &h, err)) ||
            (rc = lt_csv_double(csv, i, "fraction", 0, 1, "a fraction from 0 to 1", &f, err)))
            break;
        if (!seen[s]) {
            vp[s].n = 0;
            seen[s] = 1;
        }
        if (vp[s].n == LT_EG_MAX_HEIGHTS) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: more than %d heights for sector '%s'", path,
                              lt_csv_line(csv, i), LT_EG_MAX_HEIGHTS, name);
            break;
        }
        vp[s].height[vp[s].n] = h;
        vp[s].frac[vp[s].n++] = f;
    }
    for (int s = 0; s < nsec && !rc; s++) {
        double t = 0.0;
        for (int l = 0; l < vp[s].n; l++)
            t += vp[s].frac[l];
        if (seen[s] && fabs(t - 1.0) > 1e-6)
            rc = lt_error_set(err, LT_EINPUT, "%s: the fractions of sector '%s' add up to %.6g: expected 1",
                              path, sec[s].a, t);
    }
    lt_csv_close(&csv);
    return rc;
}

/* The release height index of h, added when new. */
static int height_slot(lt_emisgrid *g, double h)
{
    for (int l = 0; l < g->nheights; l++)
        if (fabs(g->height_m[l] - h) < 1e-6)
            return l;
    if (g->nheights == LT_EG_MAX_HEIGHTS)
        return -1;
    g->height_m[g->nheights] = h;
    return g->nheights++;
}

/* Adds one inventory cell holding kgs (kg/s) of species sp from lantian
 * sector k, spread over heights, onto the grid. */
typedef struct add_ctx {
    lt_emisgrid *g;
    const lt_domain *d;
    int *cell;
    double *frac;
    int cap;
} add_ctx;

static int add_cell(add_ctx *a, const vprofile *vp, int k, int sp, double lon0, double lon1,
                    double lat0, double lat1, double kgs, lt_error *err)
{
    lt_emisgrid *g = a->g;
    double inside;
    int m = lt_regrid_rectangle(a->d, lon0, lon1, lat0, lat1, a->cell, a->frac, a->cap, &inside);
    if (m < 0)
        return lt_error_set(err, LT_EINPUT,
                            "gridded cell %.4f-%.4f E, %.4f-%.4f N cannot be mapped onto the model grid "
                            "(projection failed or the cell spans too many model cells)", lon0, lon1, lat0, lat1);
    g->total_read_kgs[sp] += kgs;
    g->total_kept_kgs[sp] += kgs * inside;
    if (!m)
        return LT_OK;
    g->ncells_read++;
    g->has[k] = 1;
    size_t ng = (size_t)g->nx * (size_t)g->ny;
    for (int l = 0; l < vp->n; l++) {
        int hl = height_slot(g, vp->height[l]);
        if (hl < 0)
            return lt_error_set(err, LT_EINPUT, "gridded emissions: more than %d distinct release heights",
                                LT_EG_MAX_HEIGHTS);
        double **map = &g->emis[k][hl][sp];
        if (!*map && !(*map = calloc(ng, sizeof **map)))
            return lt_error_set(err, LT_ENOMEM, "out of memory for the gridded emissions");
        for (int c = 0; c < m; c++)
            (*map)[a->cell[c]] += kgs * 1e9 * vp->frac[l] * a->frac[c]; /* ug/s */
    }
    return LT_OK;
}

/* ---- readers ------------------------------------------------------------ */

static int nc_fail(lt_error *err, const char *path, const char *what, int st)
{
    return lt_error_set(err, LT_EINPUT, "%s: %s: %s", path, what, nc_strerror(st));
}

/* One MEIC file: a month's t (or 1e6 mol) per cell. */
static int read_meic_file(add_ctx *a, const char *path, const vprofile *vp, int k, int sp,
                          double to_kgs, double lon_lo, double lon_hi, double lat_lo,
                          double lat_hi, lt_error *err)
{
    int nc, st, v;
    if ((st = nc_open(path, NC_NOWRITE, &nc)))
        return nc_fail(err, path, "cannot open the MEIC file (expected <yyyy>_<mm>__<sector>__<species>.nc)", st);
    if (lt_nc3_check(path, nc, err)) {
        nc_close(nc);
        return err->code;
    }
    double xr[2], yr[2], sp2[2];
    int dim[2];
    const char *names[4] = {"x_range", "y_range", "spacing", "dimension"};
    int rc = LT_OK;
    for (int i = 0; i < 4 && !rc; i++) {
        if ((st = nc_inq_varid(nc, names[i], &v)) ||
            (st = i == 3 ? nc_get_var_int(nc, v, dim)
                         : nc_get_var_double(nc, v, i == 0 ? xr : i == 1 ? yr : sp2)))
            rc = lt_error_set(err, LT_EINPUT, "%s: variable '%s' missing or unreadable: expected the GMT-grd layout of MEIC (x_range, y_range, spacing, dimension, z)",
                              path, names[i]);
    }
    if (!rc && (dim[0] < 1 || dim[1] < 1 || !(sp2[0] > 0) || !(sp2[1] > 0) ||
                fabs(xr[0] + dim[0] * sp2[0] - xr[1]) > 1e-6 * fabs(xr[1]) + 1e-6 ||
                fabs(yr[0] + dim[1] * sp2[1] - yr[1]) > 1e-6 * fabs(yr[1]) + 1e-6))
        rc = lt_error_set(err, LT_EINPUT, "%s: x_range %g..%g, y_range %g..%g, spacing %g x %g and dimension %d x %d disagree: expected range = dimension x spacing",
                          path, xr[0], xr[1], yr[0], yr[1], sp2[0], sp2[1], dim[0], dim[1]);
    size_t nz = 0;
    int zd;
    if (!rc && ((st = nc_inq_varid(nc, "z", &v)) || (st = nc_inq_vardimid(nc, v, &zd)) ||
                (st = nc_inq_dimlen(nc, zd, &nz))))
        rc = nc_fail(err, path, "variable 'z'", st);
    if (!rc && nz != (size_t)dim[0] * (size_t)dim[1])
        rc = lt_error_set(err, LT_EINPUT, "%s: z has %zu values: expected dimension %d x %d = %d",
                          path, nz, dim[0], dim[1], dim[0] * dim[1]);
    double *z = rc ? NULL : malloc(nz * sizeof *z);
    if (!rc && !z)
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    if (!rc && (st = nc_get_var_double(nc, v, z)))
        rc = nc_fail(err, path, "reading z", st);
    double nodata = NAN;
    if (!rc)
        nc_get_att_double(nc, v, "nodata_value", &nodata);
    for (int r = 0; r < dim[1] && !rc; r++) { /* north-first rows */
        double lat1 = yr[1] - r * sp2[1], lat0 = lat1 - sp2[1];
        if (lat1 < lat_lo || lat0 > lat_hi)
            continue;
        for (int c = 0; c < dim[0] && !rc; c++) {
            double lon0 = xr[0] + c * sp2[0], lon1 = lon0 + sp2[0];
            if (lon1 < lon_lo || lon0 > lon_hi)
                continue;
            double val = z[(size_t)r * dim[0] + c];
            if (val == nodata || val == 0.0)
                continue;
            if (!isfinite(val) || val < 0) {
                rc = lt_error_set(err, LT_EINPUT, "%s: z[%zu] (row %d from the north, column %d) = %g: expected a non-negative emission",
                                  path, (size_t)r * dim[0] + c, r, c, val);
                break;
            }
            rc = add_cell(a, vp, k, sp, lon0, lon1, lat0, lat1, val * to_kgs, err);
        }
    }
    free(z);
    nc_close(nc);
    return rc;
}

/* A CF variable <species>_<sector> on 1-D lat, lon. */
static int read_cf_var(add_ctx *a, int nc, const char *path, const char *name, const vprofile *vp,
                       int k, int sp, double mass_factor, const double *lat,
                       size_t nlat, const double *lon, size_t nlon, int latdim, int londim,
                       double lon_lo, double lon_hi, double lat_lo, double lat_hi, lt_error *err)
{
    int v, nd, dims[NC_MAX_VAR_DIMS];
    if (nc_inq_varid(nc, name, &v))
        return LT_OK; /* this species x sector is not in the file */
    nc_inq_varndims(nc, v, &nd);
    nc_inq_vardimid(nc, v, dims);
    if (nd != 2 || dims[0] != latdim || dims[1] != londim)
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' has %d dimensions: expected %s(lat, lon)", path, name, nd, name);
    char units[128] = "";
    size_t ul = 0;
    if (nc_inq_attlen(nc, v, "units", &ul) || ul >= sizeof units ||
        nc_get_att_text(nc, v, "units", units))
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' has no units: expected kg m-2 s-1 (a flux) or a mass rate per cell such as t year-1", path, name);
    units[ul] = '\0';
    double cv_scale, cv_offset;
    int per_area = lt_units_linear(units, "kg m-2 s-1", &cv_scale, &cv_offset) == 0;
    if (!per_area && lt_units_linear(units, "kg s-1", &cv_scale, &cv_offset))
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' units '%s': expected kg m-2 s-1 (a flux) or a mass rate per cell such as t year-1",
                            path, name, units);
    double *buf = malloc(nlat * nlon * sizeof *buf);
    if (!buf)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int rc = LT_OK, st;
    double fill = NAN;
    nc_get_att_double(nc, v, "_FillValue", &fill);
    if ((st = nc_get_var_double(nc, v, buf)))
        rc = nc_fail(err, path, name, st);
    double dlat = nlat > 1 ? fabs(lat[1] - lat[0]) : 0.1, dlon = nlon > 1 ? fabs(lon[1] - lon[0]) : 0.1;
    for (size_t j = 0; j < nlat && !rc; j++) {
        double lat0 = lat[j] - 0.5 * dlat, lat1 = lat[j] + 0.5 * dlat;
        if (lat1 < lat_lo || lat0 > lat_hi)
            continue;
        for (size_t i = 0; i < nlon && !rc; i++) {
            double lon0 = lon[i] - 0.5 * dlon, lon1 = lon[i] + 0.5 * dlon;
            if (lon1 < lon_lo || lon0 > lon_hi)
                continue;
            double val = buf[j * nlon + i];
            if (val == fill || val == 0.0)
                continue;
            if (!isfinite(val) || val < 0) {
                rc = lt_error_set(err, LT_EINPUT, "%s: %s[lat %zu, lon %zu] = %g: expected a non-negative emission",
                                  path, name, j, i, val);
                break;
            }
            double kgs = (val * cv_scale + cv_offset) * mass_factor;
            if (per_area) {
                /* the cell's area on the ellipsoid's authalic sphere */
                const double r = 6371007.2, d2r = 3.14159265358979323846 / 180.0;
                kgs *= r * r * (lon1 - lon0) * d2r * (sin(lat1 * d2r) - sin(lat0 * d2r));
            }
            rc = add_cell(a, vp, k, sp, lon0, lon1, lat0, lat1, kgs, err);
        }
    }
    free(buf);
    return rc;
}

static int read_axis(int nc, const char *path, const char *name, double **vals, size_t *n, int *dim,
                     lt_error *err)
{
    int v, st;
    if ((st = nc_inq_varid(nc, name, &v)) || (st = nc_inq_vardimid(nc, v, dim)) ||
        (st = nc_inq_dimlen(nc, *dim, n)))
        return lt_error_set(err, LT_EINPUT, "%s: coordinate '%s' missing: expected 1-D lat and lon (cell centres)", path, name);
    *vals = malloc(*n * sizeof **vals);
    if (!*vals)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    if ((st = nc_get_var_double(nc, v, *vals)))
        return nc_fail(err, path, name, st);
    for (size_t i = 2; i < *n; i++)
        if (fabs(((*vals)[i] - (*vals)[i - 1]) - ((*vals)[1] - (*vals)[0])) > 1e-6)
            return lt_error_set(err, LT_EINPUT, "%s: %s is not evenly spaced at index %zu: expected a regular grid", path, name, i);
    return LT_OK;
}

/* Widens box (lon lo, hi, lat lo, hi) to hold cell (i, j)'s centre. */
static void extend_box(const lt_domain *d, int i, int j, double *box)
{
    double lon, lat;
    if (lt_domain_inverse(d, lt_domain_x(d, i), lt_domain_y(d, j), &lon, &lat))
        return;
    box[0] = fmin(box[0], lon);
    box[1] = fmax(box[1], lon);
    box[2] = fmin(box[2], lat);
    box[3] = fmax(box[3], lat);
}

int lt_emisgrid_load(lt_emisgrid *g, const lt_config *cfg, const lt_domain *d, double t_s,
                     lt_error *err)
{
    memset(g, 0, sizeof *g);
    g->nx = lt_domain_nx(d);
    g->ny = lt_domain_ny(d);
    map_item sec[LT_EG_MAX_SECTORS], spc[LT_EG_MAX_SPECIES];
    int nsec, nspc, rc;
    if ((rc = parse_map(cfg->gridded_sectors, "sectors", cfg->path, sec, LT_EG_MAX_SECTORS, &nsec, err)) ||
        (rc = parse_map(cfg->gridded_species, "species", cfg->path, spc, LT_EG_MAX_SPECIES, &nspc, err)))
        return rc;
    int sector_of[LT_EG_MAX_SECTORS], species_of[LT_EG_MAX_SPECIES];
    for (int s = 0; s < nsec; s++)
        if ((sector_of[s] = lt_config_sector_index(cfg, sec[s].b)) < 0)
            return lt_error_set(err, LT_EINPUT, "%s: [gridded] sectors: '%s' maps to '%s', which is not in [sources] sectors",
                                cfg->path, sec[s].a, sec[s].b);
    for (int s = 0; s < nspc; s++) {
        if ((species_of[s] = species_index(spc[s].b)) < 0)
            return lt_error_set(err, LT_EINPUT, "%s: [gridded] species: '%s' maps to '%s': expected pm25, so2, nox, nh3 or voc",
                                cfg->path, spc[s].a, spc[s].b);
        if (species_of[s] == LT_EG_VOC && cfg->gridded_layout == LT_GRIDDED_MEIC && isnan(spc[s].number))
            return lt_error_set(err, LT_EINPUT, "%s: [gridded] species: VOC species '%s' is in 1e6 mol: expected its molar mass, e.g. %s:voc:46",
                                cfg->path, spc[s].a, spc[s].a);
    }
    vprofile vp[LT_EG_MAX_SECTORS];
    if ((rc = read_vertical(cfg->gridded_vertical, sec, nsec, vp, err)))
        return rc;
    /* the domain's lon/lat box: the extremes along its four edges */
    double box[4] = {INFINITY, -INFINITY, INFINITY, -INFINITY}; /* lon lo, hi, lat lo, hi */
    for (int i = 0; i < g->nx; i++) {
        extend_box(d, i, 0, box);
        extend_box(d, i, g->ny - 1, box);
    }
    for (int j = 0; j < g->ny; j++) {
        extend_box(d, 0, j, box);
        extend_box(d, g->nx - 1, j, box);
    }
    double lon_lo = box[0], lon_hi = box[1], lat_lo = box[2], lat_hi = box[3];
    double pad = 0.01 * lt_domain_dx(d) / 1000.0 + 0.05;
    lon_lo -= pad, lon_hi += pad, lat_lo -= pad, lat_hi += pad;
    add_ctx a = {g, d, NULL, NULL, 0};
    a.cap = 1 << 20;
    a.cell = malloc((size_t)a.cap * sizeof *a.cell);
    a.frac = malloc((size_t)a.cap * sizeof *a.frac);
    if (!a.cell || !a.frac) {
        free(a.cell);
        free(a.frac);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    if (cfg->gridded_layout == LT_GRIDDED_MEIC) {
        time_t tt = (time_t)t_s;
        struct tm tm;
        gmtime_r(&tt, &tm);
        static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int y = cfg->gridded_year > 0 ? cfg->gridded_year : tm.tm_year + 1900;
        int days = md[tm.tm_mon] + (tm.tm_mon == 1 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
        g->monthly = 1;
        for (int s = 0; s < nsec && !rc; s++)
            for (int p = 0; p < nspc && !rc; p++) {
                char path[LT_PATH_MAX + 256];
                snprintf(path, sizeof path, "%s/%04d_%02d__%.63s__%.63s.nc", cfg->gridded_path, y,
                         tm.tm_mon + 1, sec[s].a, spc[p].a);
                /* t/month -> kg/s; VOC: 1e6 mol/month x g/mol -> kg/s */
                double per_s = 1.0 / (days * 86400.0);
                double to_kgs = species_of[p] == LT_EG_VOC ? 1e6 * spc[p].number * 1e-3 * per_s : 1e3 * per_s;
                rc = read_meic_file(&a, path, &vp[s], sector_of[s], species_of[p], to_kgs, lon_lo, lon_hi,
                                    lat_lo, lat_hi, err);
            }
    } else {
        int nc, st;
        const char *path = cfg->gridded_path;
        if ((st = nc_open(path, NC_NOWRITE, &nc))) {
            rc = nc_fail(err, path, "cannot open the gridded inventory", st);
        } else if ((rc = lt_nc3_check(path, nc, err))) {
            nc_close(nc);
        } else {
            double *lat = NULL, *lon = NULL;
            size_t nlat = 0, nlon = 0;
            int latdim = -1, londim = -1;
            rc = read_axis(nc, path, "lat", &lat, &nlat, &latdim, err);
            if (!rc)
                rc = read_axis(nc, path, "lon", &lon, &nlon, &londim, err);
            int found = 0;
            for (int s = 0; s < nsec && !rc; s++)
                for (int p = 0; p < nspc && !rc; p++) {
                    char name[160];
                    snprintf(name, sizeof name, "%.63s_%.63s", spc[p].a, sec[s].a);
                    int v;
                    found += nc_inq_varid(nc, name, &v) == NC_NOERR;
                    rc = read_cf_var(&a, nc, path, name, &vp[s], sector_of[s], species_of[p],
                                     isnan(spc[p].number) ? 1.0 : spc[p].number, lat, nlat, lon, nlon,
                                     latdim, londim, lon_lo, lon_hi, lat_lo, lat_hi, err);
                }
            if (!rc && !found)
                rc = lt_error_set(err, LT_EINPUT, "%s: no variable named <species>_<sector> for [gridded] species and sectors (e.g. %s_%s)",
                                  path, nspc ? spc[0].a : "pm25", nsec ? sec[0].a : "industry");
            free(lat);
            free(lon);
            nc_close(nc);
        }
    }
    free(a.cell);
    free(a.frac);
    if (rc) {
        lt_emisgrid_free(g);
        return rc;
    }
    snprintf(g->summary, sizeof g->summary,
             "%d cell x sector x species records on the grid; on the grid, as t/yr at the rate read: PM2.5 %.1f of %.1f, SO2 %.1f, NOx %.1f, NH3 %.1f, VOC %.1f; %d release heights",
             g->ncells_read, g->total_kept_kgs[0] * 31536.0, g->total_read_kgs[0] * 31536.0,
             g->total_kept_kgs[1] * 31536.0, g->total_kept_kgs[2] * 31536.0,
             g->total_kept_kgs[3] * 31536.0, g->total_kept_kgs[4] * 31536.0, g->nheights);
    return LT_OK;
}

void lt_emisgrid_free(lt_emisgrid *g)
{
    for (int k = 0; k < LT_MAX_SECTORS; k++)
        for (int l = 0; l < LT_EG_MAX_HEIGHTS; l++)
            for (int s = 0; s < LT_EG_NSPECIES; s++) {
                free(g->emis[k][l][s]);
                g->emis[k][l][s] = NULL;
            }
}
