/* met.c — the common layer of the meteorology (see met.h): records and
 * their times, the hour's fields by interpolation between records, range
 * checks, the preprocessor for what a file lacks, and sampling. The readers
 * (met_cf.c, met_wrf.c, met_point.c) produce each record's fields. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lt_time.h"
#include "io/met_impl.h"
#include "physics/stability.h"
#include "physics/surface.h"

#define PI 3.14159265358979323846

const var_def lt_met_vars[NVARS] = {
    {"u10", "eastward_wind", "m s-1", 1, -100, 100},
    {"v10", "northward_wind", "m s-1", 1, -100, 100},
    {"t2", "air_temperature", "K", 1, 180, 340},
    {"pblh", "atmosphere_boundary_layer_thickness", "m", 0, 1, 10000},
    {"ust", NULL, "m s-1", 0, 0, 10},
    {"rmol", NULL, "m-1", 0, -100, 100},
    {"hfx", "surface_upward_sensible_heat_flux", "W m-2", 0, -1000, 2000},
    {"rain", "lwe_precipitation_rate", "mm h-1", 0, 0, 500},
    {"rh", "relative_humidity", "%", 0, 0, 110},
    {"cloud", "cloud_area_fraction", "1", 0, 0, 1},
    {"sigma_theta", NULL, "degree", 0, 0, 180},
    {"swdown", "surface_downwelling_shortwave_flux_in_air", "W m-2", 0, 0, 1500},
    {"psfc", "surface_air_pressure", "Pa", 0, 30000, 110000},
#define ALOFT(c)                                                                                               \
    {#c "_z25", NULL, "m s-1", 0, -150, 150}, {#c "_z50", NULL, "m s-1", 0, -150, 150},                          \
        {#c "_z100", NULL, "m s-1", 0, -150, 150}, {#c "_z200", NULL, "m s-1", 0, -150, 150},                    \
        {#c "_z400", NULL, "m s-1", 0, -150, 150}, {#c "_z700", NULL, "m s-1", 0, -150, 150},                    \
        {#c "_z1000", NULL, "m s-1", 0, -150, 150}, {#c "_z1500", NULL, "m s-1", 0, -150, 150},                  \
        {#c "_z2500", NULL, "m s-1", 0, -150, 150}, {#c "_z4000", NULL, "m s-1", 0, -150, 150}
    ALOFT(u), ALOFT(v),
#undef ALOFT
};

const double lt_met_z[LT_MET_NZ] = {25, 50, 100, 200, 400, 700, 1000, 1500, 2500, 4000};

void lt_met_options_default(lt_met_options *o)
{
    memset(o, 0, sizeof *o);
    o->format = LT_MET_CF;
    o->wind_height_m = 10.0;
    o->z0_m = 0.1;
    o->albedo = 0.2;
    o->bowen = 1.0;
    o->theta_gradient = 0.005;
    o->max_gap_h = 6.0;
    o->station_lon = o->station_lat = NAN;
    o->utc_offset_h = NAN;
}

void lt_met_warn(lt_met *m, const char *fmt, ...)
{
    size_t n = strlen(m->warnings);
    if (n + 2 >= sizeof m->warnings)
        return;
    if (n)
        m->warnings[n++] = '\n';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->warnings + n, sizeof m->warnings - n, fmt, ap);
    va_end(ap);
}

int lt_met_alloc_grid(lt_met *m, lt_error *err)
{
    size_t n = (size_t)m->nlon * (size_t)m->nlat;
    m->lon = m->lon ? m->lon : malloc((size_t)m->nlon * sizeof *m->lon);
    m->lat = m->lat ? m->lat : malloc((size_t)m->nlat * sizeof *m->lat);
    m->plon = malloc(n * sizeof *m->plon);
    m->plat = malloc(n * sizeof *m->plat);
    if (!m->lon || !m->lat || !m->plon || !m->plat)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    return LT_OK;
}

/* Each point's longitude and latitude (projected grids: back through PROJ). */
void lt_met_point_places(lt_met *m)
{
    for (int j = 0; j < m->nlat; j++)
        for (int i = 0; i < m->nlon; i++) {
            size_t p = (size_t)j * m->nlon + i;
            if (!m->pj) {
                m->plon[p] = m->lon[i];
                m->plat[p] = m->lat[j];
            } else {
                PJ_COORD c = proj_trans(m->pj, PJ_INV, proj_coord(m->lon[i], m->lat[j], 0, 0));
                m->plon[p] = c.lp.lam;
                m->plat[p] = c.lp.phi;
            }
        }
}

/* What the preprocessor will diagnose, and whether it can. */
static int plan_diagnosis(lt_met *m, lt_error *err)
{
    int need = !m->has[V_UST] || !m->has[V_PBLH] || (!m->has[V_RMOL] && !m->has[V_HFX]);
    if (!need)
        return LT_OK;
    if (!m->has[V_HFX] && !m->has[V_CLOUD] && !m->has[V_SWDOWN]) {
        char list[64] = "";
        int nm = 0;
        static const int cand[] = {V_UST, V_PBLH, V_RMOL};
        for (int i = 0; i < 3; i++)
            if (!m->has[cand[i]])
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s'%s'", nm++ ? " and " : "",
                         lt_met_vars[cand[i]].name);
        return lt_error_set(err, LT_EINPUT,
                            "%s: %s %s missing and cannot be diagnosed: expected %s in the file, or for the "
                            "preprocessor the cloud cover (cloud, tcc), the downward shortwave radiation (swdown, "
                            "ssrd) or the sensible heat flux (hfx, sshf); [dispersion] stability = turner needs "
                            "'cloud' as well",
                            m->path, list, nm > 1 ? "are" : "is", nm > 1 ? "them" : "it");
    }
    m->derived[V_UST] = !m->has[V_UST];
    m->derived[V_PBLH] = !m->has[V_PBLH];
    m->derived[V_RMOL] = !m->has[V_RMOL] && (m->derived[V_UST] || !m->has[V_HFX]);
    m->derived[V_HFX] = !m->has[V_HFX];
    if (!m->has[V_CLOUD] && !m->has[V_HFX])
        lt_met_warn(m, "%s: no cloud cover: stable hours take it as 0.5 (daytime hours estimate it from the measured "
                    "shortwave radiation)", m->path);
    return LT_OK;
}

static int alloc_buffers(lt_met *m, lt_error *err)
{
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    for (int c = 0; c < MET_CACHE; c++)
        m->cache[c].k = -1;
    for (int v = 0; v < NVARS; v++) {
        if (!m->has[v] && !m->derived[v])
            continue;
        m->slab[v] = malloc(n * sizeof(float));
        m->scratch[v] = malloc(n * sizeof(float));
        if (!m->slab[v] || !m->scratch[v])
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        for (int c = 0; c < MET_CACHE && m->has[v]; c++)
            if (!(m->cache[c].v[v] = malloc(n * sizeof(float))))
                return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    if (m->derived[V_PBLH] && !(m->zic = calloc(n, sizeof *m->zic)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    m->zic_t = NAN;
    m->loaded_t = NAN;
    return LT_OK;
}

/* The records' spacing, the fields read and diagnosed: m->description. */
static void describe(lt_met *m)
{
    static const char *const fmt[] = {"CF NetCDF", "wrfout", "station observations", "AERMET"};
    double dmin = INFINITY, dmax = 0.0;
    for (size_t k = 1; k < m->nt; k++) {
        dmin = fmin(dmin, m->t[k] - m->t[k - 1]);
        dmax = fmax(dmax, m->t[k] - m->t[k - 1]);
    }
    char spacing[96] = "one record";
    if (m->nt > 1 && dmin == dmax)
        snprintf(spacing, sizeof spacing, "%zu records %g h apart", m->nt, dmin / 3600.0);
    else if (m->nt > 1)
        snprintf(spacing, sizeof spacing, "%zu records %g to %g h apart", m->nt, dmin / 3600.0, dmax / 3600.0);
    char diag[200] = "";
    for (int v = 0; v < NVARS; v++)
        if (m->derived[v])
            snprintf(diag + strlen(diag), sizeof diag - strlen(diag), "%s%s", diag[0] ? ", " : "", lt_met_vars[v].name);
    char grid[96];
    if (m->nlon == 1 && m->nlat == 1)
        snprintf(grid, sizeof grid, "one point at %.4f E, %.4f N", m->lon[0], m->lat[0]);
    else
        snprintf(grid, sizeof grid, "%d x %d points", m->nlon, m->nlat);
    const char *layout = m->opt.format == LT_MET_WRF ? lt_met_wrf_layout(m) : "";
    if (snprintf(m->description, sizeof m->description, "%s, %s%s%s, %s%s%s%s", fmt[m->opt.format], grid,
                 layout[0] ? ", " : "", layout, spacing, dmax > 3600.0 ? " (hours between records interpolated)" : "",
                 diag[0] ? "; diagnosed by the preprocessor: " : "", diag) >= (int)sizeof m->description)
        m->description[sizeof m->description - 1] = '\0'; /* a description: its end may go */
    m->optional[0] = '\0';
    for (int v = V_PBLH; v < V_UZ0; v++)
        if (m->has[v] && !lt_met_vars[v].required)
            snprintf(m->optional + strlen(m->optional), sizeof m->optional - strlen(m->optional), "%s%s",
                     m->optional[0] ? "," : "", lt_met_vars[v].name);
    int all = 1;
    for (int v = V_UZ0; v < NVARS; v++)
        all &= m->has[v];
    if (all)
        snprintf(m->optional + strlen(m->optional), sizeof m->optional - strlen(m->optional), "%swinds aloft "
                 "(%d heights, 25-4000 m)", m->optional[0] ? "," : "", LT_MET_NZ);
}

int lt_met_open_opts(lt_met **out, const lt_met_options *opt, lt_error *err)
{
    *out = NULL;
    lt_met *m = calloc(1, sizeof *m);
    if (!m)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    m->opt = *opt;
    m->ncid = -1;
    m->path = strdup(opt->path);
    if (!m->path) {
        free(m);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (int v = 0; v < NVARS; v++)
        m->varid[v] = -1;
    int rc = opt->format == LT_MET_WRF       ? lt_met_open_wrf(m, err)
             : opt->format == LT_MET_STATION ? lt_met_open_station(m, err)
             : opt->format == LT_MET_AERMET  ? lt_met_open_aermet(m, err)
                                             : lt_met_open_cf(m, err);
    for (int v = 0; v < NVARS && !rc; v++)
        if (lt_met_vars[v].required && !m->has[v])
            rc = lt_error_set(err, LT_EINPUT, "%s: meteorological variable '%s' (%s) is missing: expected %s%s%s",
                              m->path, lt_met_vars[v].name, lt_met_vars[v].units, lt_met_vars[v].name,
                              lt_met_vars[v].standard_name ? " or a variable with standard_name " : "",
                              lt_met_vars[v].standard_name ? lt_met_vars[v].standard_name : "");
    if (!rc && !m->nt)
        rc = lt_error_set(err, LT_EINPUT, "%s: no records", m->path);
    if (!rc)
        rc = plan_diagnosis(m, err);
    if (!rc && !m->plon)
        rc = lt_met_alloc_grid(m, err);
    if (!rc) {
        lt_met_point_places(m);
        rc = alloc_buffers(m, err);
    }
    if (rc) {
        lt_met_close(&m);
        return rc;
    }
    describe(m);
    *out = m;
    return LT_OK;
}

int lt_met_open_ex(lt_met **out, const char *path, int format, const char *map, lt_error *err)
{
    lt_met_options o;
    lt_met_options_default(&o);
    o.path = path;
    o.format = format;
    o.map = map;
    return lt_met_open_opts(out, &o, err);
}

int lt_met_open(lt_met **out, const char *path, lt_error *err)
{
    return lt_met_open_ex(out, path, LT_MET_CF, NULL, err);
}

void lt_met_close(lt_met **mp)
{
    if (!mp || !*mp)
        return;
    lt_met *m = *mp;
    if (m->rd && m->rd->close)
        m->rd->close(m);
    if (m->pj)
        proj_destroy(m->pj);
    if (m->pjc)
        proj_context_destroy(m->pjc);
    for (int v = 0; v < NVARS; v++) {
        free(m->slab[v]);
        free(m->scratch[v]);
        for (int c = 0; c < MET_CACHE; c++)
            free(m->cache[c].v[v]);
    }
    free(m->zic);
    free(m->lon);
    free(m->lat);
    free(m->plon);
    free(m->plat);
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
const char *lt_met_description(const lt_met *m) { return m->description; }
const char *lt_met_warnings(const lt_met *m) { return m->warnings; }

static int var_index(const char *name)
{
    for (int v = 0; v < NVARS; v++)
        if (!strcmp(lt_met_vars[v].name, name))
            return v;
    return -1;
}

int lt_met_has(const lt_met *m, const char *name)
{
    int v = var_index(name);
    return v >= 0 && (m->has[v] || m->derived[v]);
}

const char *lt_met_varname(const lt_met *m, const char *name)
{
    int v = var_index(name);
    return v >= 0 && m->has[v] ? m->varname[v] : "";
}

int lt_met_diagnosed(const lt_met *m, const char *name)
{
    int v = var_index(name);
    return v >= 0 && m->derived[v];
}

/* The records around t_s: k0 <= k1 with t[k0] <= t_s <= t[k1] (k0 == k1 on
 * a record, within a second); -1 outside the records. */
static long bracket(const lt_met *m, double t_s, long *k1)
{
    size_t lo = 0, hi = m->nt;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->t[mid] < t_s - 1.0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->nt && fabs(m->t[lo] - t_s) <= 1.0) {
        *k1 = (long)lo;
        return (long)lo;
    }
    if (lo == 0 || lo == m->nt)
        return -1;
    *k1 = (long)lo;
    return (long)lo - 1;
}

int lt_met_check_coverage(const lt_met *m, double start_s, int hours, lt_error *err)
{
    for (int h = 0; h < hours; h++) {
        double t = start_s + 3600.0 * h;
        long k1, k0 = bracket(m, t, &k1);
        char iso[32], a[32], b[32];
        lt_format_iso8601(t, iso, sizeof iso);
        if (k0 < 0) {
            lt_format_iso8601(m->t[0], a, sizeof a);
            lt_format_iso8601(m->t[m->nt - 1], b, sizeof b);
            return lt_error_set(err, LT_EINPUT,
                                "%s: variable 'time' has no record for %s (hour %d of the run): "
                                "expected records covering the run; the file spans %s to %s",
                                m->path, iso, h, a, b);
        }
        double gap = (m->t[k1] - m->t[k0]) / 3600.0;
        if (k0 != k1 && gap > m->opt.max_gap_h) {
            lt_format_iso8601(m->t[k0], a, sizeof a);
            lt_format_iso8601(m->t[k1], b, sizeof b);
            return lt_error_set(err, LT_EINPUT,
                                "%s: no record for %s (hour %d of the run): the records around it, %s and %s, are "
                                "%g h apart, more than [met] max_gap_hours = %g: expected records at most that far "
                                "apart",
                                m->path, iso, h, a, b, gap, m->opt.max_gap_h);
        }
    }
    return LT_OK;
}

/* Record k's fields, fetched from the reader (kept for reuse) and checked:
 * every value finite and in its range. */
static int fetch(lt_met *m, long k, struct met_rec **out, lt_error *err)
{
    for (int c = 0; c < MET_CACHE; c++)
        if (m->cache[c].k == k) {
            *out = &m->cache[c];
            return LT_OK;
        }
    struct met_rec *r = &m->cache[m->cache_next];
    m->cache_next = (m->cache_next + 1) % MET_CACHE;
    r->k = -1;
    int rc = m->rd->fetch(m, (size_t)k, r->v, err);
    if (rc)
        return rc;
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    for (int v = 0; v < NVARS; v++) {
        if (!m->has[v])
            continue;
        for (size_t i = 0; i < n; i++) {
            double val = r->v[v][i];
            if (isfinite(val) && val >= lt_met_vars[v].lo && val <= lt_met_vars[v].hi)
                continue;
            char iso[32];
            lt_format_iso8601(m->t[k], iso, sizeof iso);
            return lt_error_set(err, LT_EINPUT,
                                "%s: variable '%s' at %s, %s %zu, %s %zu = %g: expected %s from %g to %g %s",
                                m->rd->where(m, (size_t)k), m->varname[v], iso,
                                m->opt.format == LT_MET_WRF ? "south_north" : "lat index", i / (size_t)m->nlon,
                                m->opt.format == LT_MET_WRF ? "west_east" : "lon index", i % (size_t)m->nlon, val,
                                isfinite(val) ? "a value" : "a valid value (not missing or NaN)", lt_met_vars[v].lo,
                                lt_met_vars[v].hi, lt_met_vars[v].units);
        }
    }
    r->k = k;
    *out = r;
    return LT_OK;
}

/* The read fields at t_s into out[v]: the record there, or the two around
 * it interpolated linearly; amounts over an interval take the interval that
 * holds the hour (the record after t_s). */
static int fields_at(lt_met *m, double t_s, float *const *out, lt_error *err)
{
    long k1, k0 = bracket(m, t_s, &k1);
    if (k0 < 0) {
        char iso[32];
        lt_format_iso8601(t_s, iso, sizeof iso);
        return lt_error_set(err, LT_EINPUT, "%s: no record for %s", m->path, iso);
    }
    struct met_rec *a, *b;
    long kn = k0 == k1 && k0 + 1 < (long)m->nt ? k0 + 1 : k1; /* the interval holding the hour */
    int rc = fetch(m, k0, &a, err);
    if (!rc)
        rc = fetch(m, k1, &b, err);
    if (rc)
        return rc;
    double w = k0 == k1 ? 0.0 : (t_s - m->t[k0]) / (m->t[k1] - m->t[k0]);
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    for (int v = 0; v < NVARS; v++) {
        if (!m->has[v])
            continue;
        if (m->interval[v]) {
            struct met_rec *c;
            if ((rc = fetch(m, kn, &c, err)))
                return rc;
            memcpy(out[v], c->v[v], n * sizeof(float));
        } else if (k0 == k1) {
            memcpy(out[v], a->v[v], n * sizeof(float));
        } else {
            for (size_t i = 0; i < n; i++)
                out[v][i] = (float)((1.0 - w) * a->v[v][i] + w * b->v[v][i]);
        }
    }
    return LT_OK;
}

/* The surface fluxes of point i at the hour starting t_s from the fields f:
 * H, u*, L and, when the sun heats the ground, whether it does. */
typedef struct flux {
    double h, ust, L;
    int convective;
} flux;

static flux point_flux(const lt_met *m, size_t i, double t_s, float *const *f)
{
    const lt_met_options *o = &m->opt;
    double u = fmax(hypot(f[V_U10][i], f[V_V10][i]), 0.1), t = f[V_T2][i];
    double elev = lt_solar_altitude(m->plon[i], m->plat[i], t_s + 1800.0), se = sin(elev * PI / 180.0);
    double rcp = lt_rho_cp(m->has[V_PSFC] ? f[V_PSFC][i] : 101325.0, t);
    double n = m->has[V_CLOUD] ? f[V_CLOUD][i] : 0.5, h = NAN;
    if (m->has[V_HFX]) {
        h = f[V_HFX][i];
    } else if (se > 0.0) {
        double k = lt_sw_down(se, n);
        if (m->has[V_SWDOWN]) {
            k = f[V_SWDOWN][i];
            if (!m->has[V_CLOUD]) { /* the cloud cover the measured sunshine implies (Kasten & Czeplak inverted) */
                double clear = lt_sw_down(se, 0.0), ratio = clear > 0.0 ? fmin(k / clear, 1.0) : 1.0;
                n = pow(fmax(1.0 - ratio, 0.0) / 0.75, 1.0 / 3.4);
                n = fmin(n, 1.0);
            }
        }
        h = lt_heat_flux_bowen(lt_net_radiation(k, lt_albedo_at(o->albedo, elev), t, n), o->bowen);
    }
    flux out = {h, 0.0, INFINITY, 0};
    if (h > 0.0 && lt_ustar_convective(u, o->wind_height_m, o->z0_m, t, h, rcp, &out.ust, &out.L) > 0) {
        out.convective = 1;
        return out;
    }
    double th, hs;
    lt_ustar_stable(u, o->wind_height_m, o->z0_m, t, n, rcp, &out.ust, &th, &out.L, &hs);
    out.h = m->has[V_HFX] ? h : hs;
    return out;
}

/* The convective mixing height of every point at the hour t_s: grown from
 * the hour before (kept), or, when that is not the hour kept, from the last
 * hour without a heating sun (up to 18 h back). */
static int grow_zic(lt_met *m, double t_s, float *const *f, lt_error *err)
{
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    const lt_met_options *o = &m->opt;
    if (!(m->zic_t == t_s - 3600.0)) {
        double from = t_s - 18 * 3600.0;
        if (from < m->t[0])
            from = m->t[0] + ceil((m->t[0] - from) / 3600.0) * 0.0;
        for (size_t i = 0; i < n; i++)
            m->zic[i] = 0.0f;
        for (double tt = fmax(from, m->t[0]); tt < t_s - 1.0; tt += 3600.0) {
            int rc = fields_at(m, tt, m->scratch, err);
            if (rc)
                return rc;
            for (size_t i = 0; i < n; i++) {
                flux fx = point_flux(m, i, tt, m->scratch);
                m->zic[i] = fx.convective ? (float)lt_zi_convective_step(m->zic[i], 3600.0, fx.h, fx.ust, fx.L,
                                                                         m->scratch[V_T2][i], o->theta_gradient,
                                                                         lt_rho_cp(101325.0, m->scratch[V_T2][i]))
                                          : 0.0f;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        flux fx = point_flux(m, i, t_s, f);
        m->zic[i] = fx.convective ? (float)lt_zi_convective_step(m->zic[i], 3600.0, fx.h, fx.ust, fx.L, f[V_T2][i],
                                                                 o->theta_gradient,
                                                                 lt_rho_cp(101325.0, f[V_T2][i]))
                                  : 0.0f;
    }
    m->zic_t = t_s;
    return LT_OK;
}

/* The fields the file lacks, point by point (surface.h). */
static int diagnose(lt_met *m, double t_s, lt_error *err)
{
    size_t n = (size_t)m->nlat * (size_t)m->nlon;
    float *const *f = m->slab;
    if (m->derived[V_PBLH]) {
        int rc = grow_zic(m, t_s, f, err);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (m->derived[V_UST] || m->derived[V_RMOL] || m->derived[V_PBLH] || m->derived[V_HFX]) {
            flux fx = point_flux(m, i, t_s, f);
            double ust = m->has[V_UST] ? f[V_UST][i] : fx.ust;
            if (m->derived[V_UST])
                f[V_UST][i] = (float)fmax(fx.ust, 0.01);
            if (m->derived[V_HFX])
                f[V_HFX][i] = (float)fx.h;
            if (m->derived[V_RMOL])
                f[V_RMOL][i] = (float)fmax(fmin(1.0 / fx.L, 10.0), -10.0);
            if (m->derived[V_PBLH]) {
                double zi = lt_zi_mechanical(ust);
                if (fx.convective)
                    zi = fmax(zi, m->zic[i]);
                f[V_PBLH][i] = (float)fmin(fmax(zi, 10.0), 5000.0);
            }
        }
    }
    return LT_OK;
}

int lt_met_load(lt_met *m, double t_s, lt_error *err)
{
    if (m->loaded_t == t_s)
        return LT_OK;
    m->loaded_t = NAN;
    int rc = fields_at(m, t_s, m->slab, err);
    if (!rc)
        rc = diagnose(m, t_s, err);
    if (!rc)
        m->loaded_t = t_s;
    return rc;
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
    memset(p, 0, sizeof *p); /* padding too: points compare bytewise */
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
        val[v] = m->has[v] || m->derived[v] ? bilinear(m->slab[v], m->nlon, m->nlat, i, wx, j, wy) : NAN;
    p->u10 = val[V_U10];
    p->v10 = val[V_V10];
    p->t2 = val[V_T2];
    p->pblh = val[V_PBLH];
    p->ust = val[V_UST];
    p->hfx = val[V_HFX];
    p->rain = m->has[V_RAIN] ? val[V_RAIN] : 0.0;
    p->rh = val[V_RH];
    p->cloud = val[V_CLOUD];
    p->sigma_theta = val[V_SIGTH];
    p->aloft = 1;
    for (int v = V_UZ0; v < NVARS; v++)
        p->aloft &= m->has[v] != 0;
    for (int l = 0; l < LT_MET_NZ; l++) {
        p->uz[l] = p->aloft ? val[V_UZ0 + l] : NAN;
        p->vz[l] = p->aloft ? val[V_VZ0 + l] : NAN;
    }
    if (m->has[V_RMOL] || m->derived[V_RMOL]) {
        p->rmol = val[V_RMOL];
    } else if (!m->has[V_HFX]) {
        p->rmol = NAN; /* neither: only Turner's method can classify */
    } else {
        /* 1/L = -kappa g H / (rho cp T u*^3): Stull (1988) eq. 5.7c, with
         * rho cp = 1.2 * 1005 J m-3 K-1 and kappa = 0.4. */
        double us = p->ust > 0.01 ? p->ust : 0.01;
        p->rmol = -0.4 * 9.81 * p->hfx / (1.2 * 1005.0 * p->t2 * us * us * us);
    }
}

int lt_met_wind_at(const lt_met_point *p, double zw, double z, double *u, double *v)
{
    if (!p->aloft)
        return 0;
    /* the levels: the measured wind at zw, then those of lt_met_z above it */
    double zl = zw, ul = p->u10, vl = p->v10;
    if (z <= zw) {
        *u = ul;
        *v = vl;
        return 1;
    }
    for (int l = 0; l < LT_MET_NZ; l++) {
        if (lt_met_z[l] <= zw)
            continue;
        if (z <= lt_met_z[l]) {
            double w = (z - zl) / (lt_met_z[l] - zl);
            *u = ul + w * (p->uz[l] - ul);
            *v = vl + w * (p->vz[l] - vl);
            return 1;
        }
        zl = lt_met_z[l];
        ul = p->uz[l];
        vl = p->vz[l];
    }
    *u = ul;
    *v = vl;
    return 1;
}
