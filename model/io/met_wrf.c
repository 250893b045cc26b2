/* met_wrf.c — wrfout files read directly (see met.h): one or more files in
 * time order on one grid; 2-D fields with or without the Time dimension
 * (post-processing tools drop it from XLAT, XLONG, COSALPHA, SINALPHA); the
 * grid anchored on the file's own XLAT/XLONG, so subsets and cropped files
 * place correctly; the projection from the map attributes, checked against
 * every point's XLAT/XLONG. */
#include <math.h>
#include <netcdf.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lt_time.h"
#include "io/files.h"
#include "io/met_impl.h"
#include "io/nc3check.h"

#define PI 3.14159265358979323846

typedef struct wrf_state {
    int rot;                 /* 1: COSALPHA/SINALPHA read or computed into m->cosa, m->sina */
    int rot_in_file;         /* read from the file (record 0 if 2-D, each record if 3-D) */
    int has_rmol, has_hfx, has_pblh, has_ust, has_sw, has_psfc;
    float *prev;             /* the record before's accumulated rain */
    int aloft, nz;           /* U, V, PH, PHB, HGT given: the winds aloft; mass levels */
    float *u3, *v3, *ph, *phb, *hgt; /* one record's U, V, PH, PHB and HGT */
    char coords[160];        /* how XLAT/XLONG/COSALPHA were laid out, for the description */
} wrf_state;

static int has_var(int ncid, const char *name)
{
    int v;
    return nc_inq_varid(ncid, name, &v) == NC_NOERR;
}

/* Field name of file f at record rec into out (nlat*nlon): (Time,
 * south_north, west_east) or (south_north, west_east), the same in every
 * record. *timeless tells which (NULL: either). */
static int field(lt_met *m, int f, size_t rec, const char *name, float *out, int *timeless, lt_error *err)
{
    int nc = m->ncids[f], v, nd, dims[NC_MAX_VAR_DIMS], st;
    if ((st = nc_inq_varid(nc, name, &v)))
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' is missing: %s", m->paths[f], name, nc_strerror(st));
    nc_inq_varndims(nc, v, &nd);
    nc_inq_vardimid(nc, v, dims);
    char dn[3][NC_MAX_NAME + 1] = {"", "", ""};
    for (int d = 0; d < nd && d < 3; d++)
        nc_inq_dimname(nc, dims[d], dn[d]);
    int two = nd == 2 && !strcmp(dn[0], "south_north") && !strcmp(dn[1], "west_east");
    int three = nd == 3 && !strcmp(dn[1], "south_north") && !strcmp(dn[2], "west_east");
    if (!two && !three)
        return lt_error_set(err, LT_EINPUT,
                            "%s: variable '%s' has %d dimensions (%s%s%s%s%s): expected (Time, south_north, "
                            "west_east) or (south_north, west_east)",
                            m->paths[f], name, nd, dn[0], nd > 1 ? ", " : "", dn[1], nd > 2 ? ", " : "", dn[2]);
    if (timeless)
        *timeless = two;
    size_t start[3] = {rec, 0, 0}, count[3] = {1, (size_t)m->nlat, (size_t)m->nlon};
    st = two ? nc_get_vara_float(nc, v, start + 1, count + 1, out) : nc_get_vara_float(nc, v, start, count, out);
    if (st)
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s', record %zu: %s", m->paths[f], name, rec,
                            nc_strerror(st));
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

/* Opens the comma-separated files of the list. */
static int open_files(lt_met *m, lt_error *err)
{
    int cap = 1;
    for (const char *c = m->path; *c; c++)
        cap += *c == ',';
    m->ncids = malloc((size_t)cap * sizeof *m->ncids);
    m->paths = calloc((size_t)cap, sizeof *m->paths);
    char *buf = strdup(m->path);
    if (!m->ncids || !m->paths || !buf) {
        free(buf);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    int rc = LT_OK;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t && !rc; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        char *e = t + strlen(t);
        while (e > t && e[-1] == ' ')
            *--e = '\0';
        int f = m->nfiles++;
        m->ncids[f] = -1;
        if (!(m->paths[f] = strdup(t))) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            break;
        }
        FILE *probe = lt_file_open(t, "rb", "the wrfout file", err);
        if (!probe) {
            rc = err->code;
            break;
        }
        fclose(probe);
        int st = nc_open(t, NC_NOWRITE, &m->ncids[f]);
        if (st) {
            m->ncids[f] = -1;
            rc = lt_error_set(err, LT_EIO, "%s: cannot open the wrfout file: %s", t, nc_strerror(st));
        } else {
            rc = lt_nc3_check(t, m->ncids[f], err);
        }
    }
    free(buf);
    if (!rc && !m->nfiles)
        rc = lt_error_set(err, LT_EINPUT, "[met] file is empty: expected one or more wrfout files");
    return rc;
}

/* The PROJ definition of the map attributes. */
static int wrf_crs(lt_met *m, double *dx, double *dy, char *crs, size_t n, lt_error *err)
{
    int nc0 = m->ncids[0], proj = 0;
    double tl1 = 0, tl2 = 0, slon = 0, clat = 0, moad = NAN;
    if (nc_get_att_int(nc0, NC_GLOBAL, "MAP_PROJ", &proj) || nc_get_att_double(nc0, NC_GLOBAL, "DX", dx) ||
        nc_get_att_double(nc0, NC_GLOBAL, "DY", dy))
        return lt_error_set(err, LT_EINPUT,
                            "%s: global attributes MAP_PROJ, DX, DY missing: expected a WRF wrfout file",
                            m->paths[0]);
    if (!(*dx > 0) || !(*dy > 0))
        return lt_error_set(err, LT_EINPUT, "%s: DX = %g, DY = %g: expected positive grid spacings in metres",
                            m->paths[0], *dx, *dy);
    nc_get_att_double(nc0, NC_GLOBAL, "TRUELAT1", &tl1);
    if (nc_get_att_double(nc0, NC_GLOBAL, "TRUELAT2", &tl2))
        tl2 = tl1;
    nc_get_att_double(nc0, NC_GLOBAL, "STAND_LON", &slon);
    nc_get_att_double(nc0, NC_GLOBAL, "CEN_LAT", &clat);
    if (nc_get_att_double(nc0, NC_GLOBAL, "MOAD_CEN_LAT", &moad) == NC_NOERR)
        clat = moad; /* the parent domain's: lat_0 moves the origin only, which the anchor makes irrelevant */
    const char *sphere = "+R=6370000"; /* WRF's earth */
    if (proj == 1)
        snprintf(crs, n, "+proj=lcc +lat_1=%.10g +lat_2=%.10g +lat_0=%.10g +lon_0=%.10g %s +units=m +type=crs", tl1,
                 tl2, clat, slon, sphere);
    else if (proj == 2)
        snprintf(crs, n, "+proj=stere +lat_0=%d +lat_ts=%.10g +lon_0=%.10g %s +units=m +type=crs",
                 tl1 >= 0 ? 90 : -90, tl1, slon, sphere);
    else if (proj == 3)
        snprintf(crs, n, "+proj=merc +lat_ts=%.10g +lon_0=%.10g %s +units=m +type=crs", tl1, slon, sphere);
    else
        return lt_error_set(err, LT_EINPUT,
                            "%s: MAP_PROJ = %d: expected 1 (Lambert), 2 (polar stereographic) or 3 (Mercator)",
                            m->paths[0], proj);
    return LT_OK;
}

/* The grid: x/y axes through the XLAT/XLONG of point (0, 0), every point's
 * XLAT/XLONG within a quarter of DX of where the projection puts it; without
 * XLAT/XLONG, centred on CEN_LAT/CEN_LON (right for a whole domain only). */
static int anchor_grid(lt_met *m, wrf_state *s, lt_error *err)
{
    double dx, dy;
    char crs[512];
    int rc = wrf_crs(m, &dx, &dy, crs, sizeof crs, err);
    if (rc)
        return rc;
    m->pjc = proj_context_create();
    proj_log_level(m->pjc, PJ_LOG_NONE);
    PJ *p = proj_create_crs_to_crs(m->pjc, "+proj=longlat +R=6370000 +type=crs", crs, NULL);
    if (p) {
        m->pj = proj_normalize_for_visualization(m->pjc, p);
        proj_destroy(p);
    }
    if (!m->pj)
        return lt_error_set(err, LT_EINPUT, "%s: PROJ cannot use '%s'", m->paths[0], crs);
    if ((rc = lt_met_alloc_grid(m, err)))
        return rc;
    size_t n = (size_t)m->nlon * (size_t)m->nlat;
    int nc0 = m->ncids[0];
    if (!has_var(nc0, "XLAT") || !has_var(nc0, "XLONG")) {
        double clat = 0, clon = 0;
        if (nc_get_att_double(nc0, NC_GLOBAL, "CEN_LAT", &clat) || nc_get_att_double(nc0, NC_GLOBAL, "CEN_LON", &clon))
            return lt_error_set(err, LT_EINPUT,
                                "%s: neither XLAT/XLONG nor CEN_LAT/CEN_LON: expected a WRF wrfout file", m->paths[0]);
        PJ_COORD c = proj_trans(m->pj, PJ_FWD, proj_coord(clon, clat, 0, 0));
        for (int i = 0; i < m->nlon; i++)
            m->lon[i] = c.xy.x + (i - 0.5 * (m->nlon - 1)) * dx;
        for (int j = 0; j < m->nlat; j++)
            m->lat[j] = c.xy.y + (j - 0.5 * (m->nlat - 1)) * dy;
        lt_met_warn(m, "%s: no XLAT/XLONG: the grid is centred on CEN_LAT/CEN_LON, which is right for a whole "
                    "domain, not a subset", m->paths[0]);
        snprintf(s->coords, sizeof s->coords, "grid centred on CEN_LAT/CEN_LON");
        return LT_OK;
    }
    float *la = malloc(n * sizeof *la), *lo = malloc(n * sizeof *lo);
    int t1 = 0, t2 = 0;
    if (!la || !lo)
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    if (!rc && !(rc = field(m, 0, 0, "XLAT", la, &t1, err)))
        rc = field(m, 0, 0, "XLONG", lo, &t2, err);
    if (!rc) {
        PJ_COORD c = proj_trans(m->pj, PJ_FWD, proj_coord(lo[0], la[0], 0, 0));
        for (int i = 0; i < m->nlon; i++)
            m->lon[i] = c.xy.x + i * dx;
        for (int j = 0; j < m->nlat; j++)
            m->lat[j] = c.xy.y + j * dy;
        for (size_t q = 0; q < n && !rc; q++) {
            PJ_COORD g = proj_trans(m->pj, PJ_FWD, proj_coord(lo[q], la[q], 0, 0));
            double off = hypot(g.xy.x - m->lon[q % (size_t)m->nlon], g.xy.y - m->lat[q / (size_t)m->nlon]);
            if (!(off <= 0.25 * dx))
                rc = lt_error_set(err, LT_EINPUT,
                                  "%s: XLAT/XLONG at south_north %zu, west_east %zu (%.4f N, %.4f E) lies %.0f m "
                                  "from where the map attributes (MAP_PROJ, TRUELAT1/2, STAND_LON, DX, DY) and "
                                  "point (0, 0) place it: expected a consistent WRF grid",
                                  m->paths[0], q / (size_t)m->nlon, q % (size_t)m->nlon, la[q], lo[q], off);
        }
        snprintf(s->coords, sizeof s->coords, "XLAT/XLONG %s", t1 && t2 ? "2-D" : !t1 && !t2 ? "3-D" : "mixed 2-D/3-D");
    }
    free(la);
    free(lo);
    return rc;
}

/* The map rotation when COSALPHA/SINALPHA are absent: the direction of true
 * north in grid coordinates at each point (n_x, n_y), with COSALPHA = n_y and
 * SINALPHA = n_x, so that U_earth = U cos a - V sin a, V_earth = V cos a +
 * U sin a (WRF's convention; NCL's wrf_uvmet gives the same for Lambert). */
static void compute_rotation(lt_met *m)
{
    size_t n = (size_t)m->nlon * (size_t)m->nlat;
    for (size_t i = 0; i < n; i++) {
        double lat = m->plat[i], d = lat > 89.9 ? -0.01 : 0.01;
        PJ_COORD a = proj_trans(m->pj, PJ_FWD, proj_coord(m->plon[i], lat, 0, 0));
        PJ_COORD b = proj_trans(m->pj, PJ_FWD, proj_coord(m->plon[i], lat + d, 0, 0));
        double nx = (b.xy.x - a.xy.x) * (d > 0 ? 1 : -1), ny = (b.xy.y - a.xy.y) * (d > 0 ? 1 : -1), r = hypot(nx, ny);
        m->cosa[i] = (float)(ny / r);
        m->sina[i] = (float)(nx / r);
    }
}

/* Times(Time, DateStrLen) of every file, in sequence. */
static int read_times(lt_met *m, lt_error *err)
{
    size_t cap = 0;
    m->nt = 0;
    for (int f = 0; f < m->nfiles; f++) {
        int nc = m->ncids[f], v, dims[2], d;
        size_t nt = 0, sl = 0, fx = 0, fy = 0;
        if (nc_inq_varid(nc, "Times", &v) || nc_inq_vardimid(nc, v, dims) || nc_inq_dimlen(nc, dims[0], &nt) ||
            nc_inq_dimlen(nc, dims[1], &sl) || sl < 19)
            return lt_error_set(err, LT_EINPUT,
                                "%s: variable 'Times' (Time, DateStrLen) missing: expected a WRF wrfout file",
                                m->paths[f]);
        if (nc_inq_dimid(nc, "west_east", &d) || nc_inq_dimlen(nc, d, &fx) || nc_inq_dimid(nc, "south_north", &d) ||
            nc_inq_dimlen(nc, d, &fy) || fx != (size_t)m->nlon || fy != (size_t)m->nlat)
            return lt_error_set(err, LT_EINPUT, "%s: grid %zu x %zu: expected the %d x %d grid of %s", m->paths[f], fx,
                                fy, m->nlon, m->nlat, m->paths[0]);
        if (m->nt + nt > cap) {
            cap = 2 * (m->nt + nt);
            double *t = realloc(m->t, cap * sizeof *t);
            if (t)
                m->t = t;
            size_t *a = realloc(m->rec_file, cap * sizeof *a);
            if (a)
                m->rec_file = a;
            size_t *b = realloc(m->rec_index, cap * sizeof *b);
            if (b)
                m->rec_index = b;
            if (!t || !a || !b)
                return lt_error_set(err, LT_ENOMEM, "out of memory");
        }
        char *txt = malloc(nt * sl + 1);
        if (!txt)
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        int rc = nc_get_var_text(nc, v, txt) ? lt_error_set(err, LT_EINPUT, "%s: cannot read Times", m->paths[f]) : 0;
        for (size_t k = 0; k < nt && !rc; k++) {
            char one[32];
            snprintf(one, sizeof one, "%.19s", txt + k * sl);
            double tt;
            if (wrf_time(one, &tt))
                rc = lt_error_set(err, LT_EINPUT, "%s: Times[%zu] = '%s': expected YYYY-MM-DD_hh:mm:ss", m->paths[f],
                                  k, one);
            else if (m->nt && tt <= m->t[m->nt - 1])
                rc = lt_error_set(err, LT_EINPUT,
                                  "%s: Times[%zu] = '%s' is not after the previous record: expected the files in "
                                  "time order",
                                  m->paths[f], k, one);
            else {
                m->t[m->nt] = tt;
                m->rec_file[m->nt] = (size_t)f;
                m->rec_index[m->nt] = k;
                m->nt++;
            }
        }
        free(txt);
        if (rc)
            return rc;
    }
    return LT_OK;
}

/* Accumulated rain (RAINC + RAINNC, mm) at record k into out. */
static int rain_acc(lt_met *m, size_t k, float *out, lt_error *err)
{
    int f = (int)m->rec_file[k], rc;
    if ((rc = field(m, f, m->rec_index[k], "RAINC", out, NULL, err)) ||
        (rc = field(m, f, m->rec_index[k], "RAINNC", m->work, NULL, err)))
        return rc;
    for (size_t i = 0; i < (size_t)m->nlat * m->nlon; i++)
        out[i] += m->work[i];
    return LT_OK;
}

/* Record k's fields: winds rotated from grid to earth axes; rain the mean
 * rate over the interval ending at k (the accumulations differenced; a
 * bucket reset or a restart between files takes the new total); relative
 * humidity from Q2, PSFC and T2 (saturation pressure of Bolton 1980:
 * 611.2 exp(17.67 T_c / (T_c + 243.5)) Pa). */
/* A 3-D field of file f, record rec: (Time, dim1, dim2, dim3) of the given
 * lengths into out. */
static int field3(lt_met *m, int f, size_t rec, const char *name, size_t n1, size_t n2, size_t n3, float *out,
                  lt_error *err)
{
    int nc = m->ncids[f], v, nd, dims[NC_MAX_VAR_DIMS], st;
    if ((st = nc_inq_varid(nc, name, &v)))
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' is missing: %s", m->paths[f], name, nc_strerror(st));
    nc_inq_varndims(nc, v, &nd);
    nc_inq_vardimid(nc, v, dims);
    size_t len[4] = {0, 0, 0, 0};
    for (int d = 0; d < nd && d < 4; d++)
        nc_inq_dimlen(nc, dims[d], &len[d]);
    if (nd != 4 || len[1] != n1 || len[2] != n2 || len[3] != n3)
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s' has %d dimensions (%zu x %zu x %zu): expected (Time, "
                            "%zu, %zu, %zu)", m->paths[f], name, nd, len[1], len[2], len[3], n1, n2, n3);
    size_t start[4] = {rec, 0, 0, 0}, count[4] = {1, n1, n2, n3};
    if ((st = nc_get_vara_float(nc, v, start, count, out)))
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s', record %zu: %s", m->paths[f], name, rec,
                            nc_strerror(st));
    return LT_OK;
}

/* The winds aloft of record r of file f: U and V destaggered to the mass
 * points, rotated to east/north, at the mass levels' heights above ground
 * ((PH + PHB) / g averaged over the level's two faces, less HGT;
 * Skamarock et al. 2019, the WRF-ARW description, section 2), interpolated
 * linearly in height to lt_met_z (below the lowest level: between it and
 * the 10 m wind; above the top: the top's). */
static int fetch_aloft(lt_met *m, int f, size_t r, float *const *out, lt_error *err)
{
    wrf_state *s = m->rs;
    size_t nx = (size_t)m->nlon, ny = (size_t)m->nlat, nz = (size_t)s->nz, n = nx * ny;
    int rc;
    if ((rc = field3(m, f, r, "U", nz, ny, nx + 1, s->u3, err)) ||
        (rc = field3(m, f, r, "V", nz, ny + 1, nx, s->v3, err)) ||
        (rc = field3(m, f, r, "PH", nz + 1, ny, nx, s->ph, err)) ||
        (rc = field3(m, f, r, "PHB", nz + 1, ny, nx, s->phb, err)) || (rc = field(m, f, r, "HGT", s->hgt, NULL, err)))
        return rc;
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            size_t p = j * nx + i;
            double zl = 10.0, ul = out[V_U10][p], vl = out[V_V10][p]; /* the 10 m wind, already east/north */
            size_t k = 0;
            for (int l = 0; l < LT_MET_NZ; l++) {
                double z = lt_met_z[l], zk = 0.0, uk = 0.0, vk = 0.0;
                for (; k < nz; k++) {
                    zk = 0.5 * (s->ph[k * n + p] + s->phb[k * n + p] + s->ph[(k + 1) * n + p] +
                                s->phb[(k + 1) * n + p]) / 9.81 - s->hgt[p];
                    double ug = 0.5 * (s->u3[(k * ny + j) * (nx + 1) + i] + s->u3[(k * ny + j) * (nx + 1) + i + 1]);
                    double vg = 0.5 * (s->v3[(k * (ny + 1) + j) * nx + i] + s->v3[(k * (ny + 1) + j + 1) * nx + i]);
                    uk = s->rot ? ug * m->cosa[p] - vg * m->sina[p] : ug;
                    vk = s->rot ? vg * m->cosa[p] + ug * m->sina[p] : vg;
                    if (zk >= z)
                        break;
                    zl = zk;
                    ul = uk;
                    vl = vk;
                }
                double w = k < nz && zk > zl ? (z - zl) / (zk - zl) : 0.0;
                if (k == nz)
                    uk = ul, vk = vl;
                out[V_UZ0 + l][p] = (float)(ul + w * (uk - ul));
                out[V_VZ0 + l][p] = (float)(vl + w * (vk - vl));
            }
        }
    return LT_OK;
}

static int wrf_fetch(lt_met *m, size_t k, float *const *out, lt_error *err)
{
    wrf_state *s = m->rs;
    int f = (int)m->rec_file[k], rc;
    size_t r = m->rec_index[k], n = (size_t)m->nlat * (size_t)m->nlon;
    static const char *const direct[] = {"U10", "V10", "T2", "PBLH", "UST", "RMOL", "HFX", "SWDOWN", "PSFC"};
    static const int dv[] = {V_U10, V_V10, V_T2, V_PBLH, V_UST, V_RMOL, V_HFX, V_SWDOWN, V_PSFC};
    for (int i = 0; i < 9; i++)
        if (m->has[dv[i]] && (rc = field(m, f, r, direct[i], out[dv[i]], NULL, err)))
            return rc;
    if (s->rot_in_file && ((rc = field(m, f, r, "COSALPHA", m->cosa, NULL, err)) ||
                           (rc = field(m, f, r, "SINALPHA", m->sina, NULL, err))))
        return rc;
    if (s->rot)
        for (size_t i = 0; i < n; i++) {
            double u = out[V_U10][i], v = out[V_V10][i];
            out[V_U10][i] = (float)(u * m->cosa[i] - v * m->sina[i]);
            out[V_V10][i] = (float)(v * m->cosa[i] + u * m->sina[i]);
        }
    if (s->aloft && (rc = fetch_aloft(m, f, r, out, err)))
        return rc;
    if (m->has[V_RAIN]) {
        float *now = out[V_RAIN];
        if ((rc = rain_acc(m, k, now, err)))
            return rc;
        if (k == 0) {
            for (size_t i = 0; i < n; i++)
                now[i] = 0.0f; /* no earlier record: the interval before the first counts as dry */
        } else {
            if ((rc = rain_acc(m, k - 1, s->prev, err)))
                return rc;
            double hours = (m->t[k] - m->t[k - 1]) / 3600.0;
            for (size_t i = 0; i < n; i++) {
                double d = now[i] - s->prev[i];
                now[i] = (float)((d >= 0.0 ? d : now[i]) / hours);
            }
        }
    }
    if (m->has[V_RH]) {
        float *rh = out[V_RH];
        if ((rc = field(m, f, r, "Q2", rh, NULL, err)) || (rc = field(m, f, r, "PSFC", m->work, NULL, err)))
            return rc;
        for (size_t i = 0; i < n; i++) {
            double q = rh[i] > 0 ? rh[i] : 0.0, p = m->work[i], tc = out[V_T2][i] - 273.15;
            double e = q * p / (0.622 + q), es = 611.2 * exp(17.67 * tc / (tc + 243.5));
            rh[i] = (float)fmin(100.0 * e / es, 100.0);
        }
    }
    return LT_OK;
}

static const char *wrf_where(const lt_met *m, size_t k)
{
    return m->paths[m->rec_file[k]];
}

static void wrf_close(lt_met *m)
{
    wrf_state *s = m->rs;
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
    free(m->cosa);
    free(m->sina);
    if (s) {
        free(s->prev);
        free(s->u3);
        free(s->v3);
        free(s->ph);
        free(s->phb);
        free(s->hgt);
    }
    free(s);
    m->rs = NULL;
}

static const met_reader wrf_reader = {wrf_fetch, wrf_where, wrf_close};

/* The winds aloft when the files have U, V, PH, PHB and HGT. */
static int aloft_setup(lt_met *m, wrf_state *s, lt_error *err)
{
    int nc0 = m->ncids[0], d;
    static const char *const need[] = {"U", "V", "PH", "PHB", "HGT"};
    for (int i = 0; i < 5; i++)
        if (!has_var(nc0, need[i]))
            return LT_OK; /* the similarity profile through the 10 m wind instead */
    size_t nz = 0;
    if (nc_inq_dimid(nc0, "bottom_top", &d) || nc_inq_dimlen(nc0, d, &nz) || nz < 2)
        return LT_OK;
    size_t nx = (size_t)m->nlon, ny = (size_t)m->nlat;
    s->nz = (int)nz;
    s->u3 = malloc(nz * ny * (nx + 1) * sizeof *s->u3);
    s->v3 = malloc(nz * (ny + 1) * nx * sizeof *s->v3);
    s->ph = malloc((nz + 1) * ny * nx * sizeof *s->ph);
    s->phb = malloc((nz + 1) * ny * nx * sizeof *s->phb);
    s->hgt = malloc(ny * nx * sizeof *s->hgt);
    if (!s->u3 || !s->v3 || !s->ph || !s->phb || !s->hgt)
        return lt_error_set(err, LT_ENOMEM, "out of memory for the winds aloft (%zu levels)", nz);
    s->aloft = 1;
    for (int v = V_UZ0; v < NVARS; v++)
        m->has[v] = 1;
    return LT_OK;
}

/* Which lantian variables the files give, under WRF's names. */
static int wrf_variables(lt_met *m, wrf_state *s, lt_error *err)
{
    int nc0 = m->ncids[0];
    static const char *const need[] = {"U10", "V10", "T2"};
    for (int i = 0; i < 3; i++)
        if (!has_var(nc0, need[i]))
            return lt_error_set(err, LT_EINPUT,
                                "%s: variable '%s' is missing: expected the 10 m wind U10, V10 and the 2 m "
                                "temperature T2 of a wrfout file",
                                m->paths[0], need[i]);
    static const char *const opt[] = {"PBLH", "UST", "RMOL", "HFX", "SWDOWN", "PSFC"};
    static const int ov[] = {V_PBLH, V_UST, V_RMOL, V_HFX, V_SWDOWN, V_PSFC};
    m->has[V_U10] = m->has[V_V10] = m->has[V_T2] = 1;
    for (int i = 0; i < 6; i++)
        m->has[ov[i]] = has_var(nc0, opt[i]);
    m->has[V_RAIN] = m->interval[V_RAIN] = has_var(nc0, "RAINC") && has_var(nc0, "RAINNC");
    m->has[V_RH] = has_var(nc0, "Q2") && has_var(nc0, "PSFC");
    int rc = aloft_setup(m, s, err);
    if (rc)
        return rc;
    static const char *const wname[NVARS] = {"U10", "V10", "T2", "PBLH", "UST", "RMOL", "HFX",
                                             "RAINC+RAINNC", "RH from Q2, PSFC, T2", "", "", "SWDOWN", "PSFC"};
    for (int v = 0; v < NVARS; v++)
        snprintf(m->varname[v], sizeof m->varname[v], "%s",
                 v >= V_UZ0 ? (v < V_VZ0 ? "U on mass levels" : "V on mass levels") : wname[v]);
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    m->work = malloc(n * sizeof *m->work);
    m->cosa = malloc(n * sizeof *m->cosa);
    m->sina = malloc(n * sizeof *m->sina);
    s->prev = malloc(n * sizeof *s->prev);
    if (!m->work || !m->cosa || !m->sina || !s->prev)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    s->rot = 1;
    int ca = has_var(nc0, "COSALPHA"), sa = has_var(nc0, "SINALPHA");
    if (ca != sa)
        lt_met_warn(m, "%s: %s without %s: the map rotation is computed from the projection", m->paths[0],
                    ca ? "COSALPHA" : "SINALPHA", ca ? "SINALPHA" : "COSALPHA");
    if (ca && sa) {
        int t1 = 0, t2 = 0;
        rc = field(m, 0, 0, "COSALPHA", m->cosa, &t1, err);
        if (!rc)
            rc = field(m, 0, 0, "SINALPHA", m->sina, &t2, err);
        if (rc)
            return rc;
        s->rot_in_file = !(t1 && t2); /* a 3-D one is read each record */
        snprintf(s->coords + strlen(s->coords), sizeof s->coords - strlen(s->coords), ", COSALPHA/SINALPHA %s",
                 t1 && t2 ? "2-D" : !t1 && !t2 ? "3-D" : "mixed 2-D/3-D");
    } else {
        compute_rotation(m);
        snprintf(s->coords + strlen(s->coords), sizeof s->coords - strlen(s->coords),
                 ", map rotation computed from the projection");
    }
    return LT_OK;
}

int lt_met_open_wrf(lt_met *m, lt_error *err)
{
    wrf_state *s = calloc(1, sizeof *s);
    if (!s)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    m->rs = s;
    m->rd = &wrf_reader;
    int rc = open_files(m, err);
    if (rc)
        return rc;
    int nc0 = m->ncids[0], d;
    size_t nx = 0, ny = 0;
    if (nc_inq_dimid(nc0, "west_east", &d) || nc_inq_dimlen(nc0, d, &nx) || nc_inq_dimid(nc0, "south_north", &d) ||
        nc_inq_dimlen(nc0, d, &ny) || !nx || !ny)
        return lt_error_set(err, LT_EINPUT,
                            "%s: dimensions west_east and south_north missing: expected a WRF wrfout file",
                            m->paths[0]);
    m->nlon = (int)nx;
    m->nlat = (int)ny;
    if ((rc = anchor_grid(m, s, err)) || (rc = read_times(m, err)))
        return rc;
    lt_met_point_places(m); /* needed for a computed rotation */
    return wrf_variables(m, s, err);
}

/* How the coordinates were laid out (for lt_met_description). */
const char *lt_met_wrf_layout(const lt_met *m)
{
    const wrf_state *s = m->rs;
    return s ? s->coords : "";
}
