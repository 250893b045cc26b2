/* met_point.c — weather at one place (see met.h): a station's hourly
 * observations as a CSV table, or AERMET's surface (.SFC) and profile (.PFL)
 * files. The grid is a single point, which covers the whole domain. A value
 * missing in one record (an empty field; AERMET's missing codes) is
 * interpolated in time between the records around it when they are at most
 * [met] max_gap_hours apart, and is an error otherwise. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lt_time.h"
#include "io/csv.h"
#include "io/files.h"
#include "io/met_impl.h"
#include "physics/surface.h"

#define PI 3.14159265358979323846

typedef struct point_data {
    size_t n, cap;
    double *t;
    int *line;
    float *v; /* [k * NVARS + var], NaN when missing */
} point_data;

static int grow(point_data *d, lt_error *err)
{
    if (d->n < d->cap)
        return LT_OK;
    size_t cap = d->cap ? 2 * d->cap : 1024;
    double *t = realloc(d->t, cap * sizeof *t);
    if (t)
        d->t = t;
    int *l = realloc(d->line, cap * sizeof *l);
    if (l)
        d->line = l;
    float *v = realloc(d->v, cap * NVARS * sizeof *v);
    if (v)
        d->v = v;
    if (!t || !l || !v)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    d->cap = cap;
    return LT_OK;
}

static void free_data(point_data *d)
{
    free(d->t);
    free(d->line);
    free(d->v);
}

/* Fills each missing value of the variables in use from the records around
 * it; col[v] names the variable's column for messages. Counts the fills. */
static int fill_gaps(lt_met *m, point_data *d, const char *const *col, lt_error *err)
{
    int filled = 0;
    char which[256] = "";
    for (int v = 0; v < NVARS; v++) {
        if (!m->has[v])
            continue;
        int nv = 0;
        for (size_t k = 0; k < d->n; k++) {
            if (!isnan(d->v[k * NVARS + v]))
                continue;
            long a = (long)k - 1, b = (long)k + 1;
            while (a >= 0 && isnan(d->v[(size_t)a * NVARS + v]))
                a--;
            while ((size_t)b < d->n && isnan(d->v[(size_t)b * NVARS + v]))
                b++;
            if (a < 0 || (size_t)b >= d->n || d->t[b] - d->t[a] > m->opt.max_gap_h * 3600.0)
                return lt_error_set(err, LT_EINPUT,
                                    "%s:%d: %s is missing, and %s: expected a value, or values at most [met] "
                                    "max_gap_hours = %g h apart around it",
                                    m->path, d->line[k], col[v],
                                    a < 0 || (size_t)b >= d->n ? "no record before or after it has one"
                                                               : "the records around it that have one are farther apart",
                                    m->opt.max_gap_h);
            double w = (d->t[k] - d->t[a]) / (d->t[b] - d->t[a]);
            d->v[k * NVARS + v] = (float)((1 - w) * d->v[(size_t)a * NVARS + v] + w * d->v[(size_t)b * NVARS + v]);
            nv++;
        }
        if (nv && (v != V_V10 || !m->has[V_U10])) {
            filled += nv;
            snprintf(which + strlen(which), sizeof which - strlen(which), "%s%s %d", which[0] ? ", " : "", col[v],
                     nv);
        }
    }
    if (filled)
        lt_met_warn(m, "%s: %d missing values interpolated in time (%s)", m->path, filled, which);
    return LT_OK;
}

/* The one-point grid and the records: m->t, m->pointv. */
static int finish_points(lt_met *m, point_data *d, double lon, double lat, lt_error *err)
{
    m->nlon = m->nlat = 1;
    int rc = lt_met_alloc_grid(m, err);
    if (rc)
        return rc;
    m->lon[0] = lon;
    m->lat[0] = lat;
    m->nt = d->n;
    m->t = d->t;
    m->pointv = d->v;
    d->t = NULL;
    d->v = NULL;
    for (int v = 0; v < NVARS; v++)
        if (!m->varname[v][0])
            snprintf(m->varname[v], sizeof m->varname[v], "%s", lt_met_vars[v].name);
    return LT_OK;
}

static int point_fetch(lt_met *m, size_t k, float *const *out, lt_error *err)
{
    (void)err;
    for (int v = 0; v < NVARS; v++)
        if (m->has[v])
            out[v][0] = m->pointv[k * NVARS + v];
    return LT_OK;
}

static const char *point_where(const lt_met *m, size_t k)
{
    (void)k;
    return m->path;
}

static void point_close(lt_met *m)
{
    free(m->pointv);
    m->pointv = NULL;
}

static const met_reader point_reader = {point_fetch, point_where, point_close};

/* ---- a station's CSV ---------------------------------------------------- */

/* The station table's columns: name, lantian variable, range, factor to
 * lantian's units (and offset). */
typedef struct st_col {
    const char *name;
    int v;
    double lo, hi, scale, offset;
    const char *expected;
} st_col;

static const st_col st_cols[] = {
    {"temp_C", V_T2, -90, 60, 1, 273.15, "a temperature from -90 to 60 C"},
    {"temp_K", V_T2, 180, 340, 1, 0, "a temperature from 180 to 340 K"},
    {"cloud_fraction", V_CLOUD, 0, 1, 1, 0, "a cloud cover from 0 to 1"},
    {"cloud_tenths", V_CLOUD, 0, 10, 0.1, 0, "a total sky cover from 0 to 10 tenths"},
    {"cloud_oktas", V_CLOUD, 0, 8, 0.125, 0, "a cloud cover from 0 to 8 oktas"},
    {"pressure_hPa", V_PSFC, 300, 1100, 100, 0, "a station pressure from 300 to 1100 hPa"},
    {"rh_pct", V_RH, 0, 100, 1, 0, "a relative humidity from 0 to 100 %"},
    {"precip_mmh", V_RAIN, 0, 500, 1, 0, "a precipitation rate from 0 to 500 mm/h"},
    {"mixing_height_m", V_PBLH, 1, 10000, 1, 0, "a mixing height from 1 to 10000 m"},
    {"sigma_theta_deg", V_SIGTH, 0, 180, 1, 0, "a standard deviation of the wind direction from 0 to 180 degrees"},
    {"swdown_Wm2", V_SWDOWN, 0, 1500, 1, 0, "a downward shortwave radiation from 0 to 1500 W/m2"},
};
#define N_ST_COLS (int)(sizeof st_cols / sizeof *st_cols)

/* One row of the table into d (record d->n). */
static int station_row(lt_met *m, const lt_csv *c, size_t r, const int *use, point_data *d, lt_error *err)
{
    int rc = grow(d, err);
    if (rc)
        return rc;
    float *val = d->v + d->n * NVARS;
    for (int v = 0; v < NVARS; v++)
        val[v] = NAN;
    const char *ts = lt_csv_field(c, r, lt_csv_column(c, "time"));
    double t;
    int tr = lt_parse_time_zoned(ts, m->opt.utc_offset_h, &t);
    if (tr)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'time' = '%s': expected %s", m->path, lt_csv_line(c, r), ts,
                            tr == -2 ? "a time zone (2022-01-01T08:00+08:00 or ...Z), or [met] utc_offset_hours "
                                       "for times without one"
                                     : "a time like 2022-01-01T08:00+08:00, 2022-01-01 00:00Z or 2022-01-01T00:00:00Z");
    if (d->n && t <= d->t[d->n - 1])
        return lt_error_set(err, LT_EINPUT, "%s:%d: time %s is not after the row before: expected rows in time order, "
                            "each hour once", m->path, lt_csv_line(c, r), ts);
    const char *ws = lt_csv_field(c, r, lt_csv_column(c, "wind_speed_ms"));
    const char *wd = lt_csv_field(c, r, lt_csv_column(c, "wind_dir_deg"));
    if (ws[0] && wd[0]) {
        double s, dir;
        if ((rc = lt_csv_double(c, r, "wind_speed_ms", 0, 75, "a wind speed from 0 to 75 m/s", &s, err)) ||
            (rc = lt_csv_double(c, r, "wind_dir_deg", 0, 360,
                                "a wind direction from 0 to 360 degrees (where the wind blows from)", &dir, err)))
            return rc;
        val[V_U10] = (float)(-s * sin(dir * PI / 180.0)); /* blowing from dir */
        val[V_V10] = (float)(-s * cos(dir * PI / 180.0));
    }
    for (int i = 0; i < N_ST_COLS; i++) {
        if (!use[i] || !lt_csv_field(c, r, lt_csv_column(c, st_cols[i].name))[0])
            continue;
        double x;
        if ((rc = lt_csv_double(c, r, st_cols[i].name, st_cols[i].lo, st_cols[i].hi, st_cols[i].expected, &x, err)))
            return rc;
        val[st_cols[i].v] = (float)(x * st_cols[i].scale + st_cols[i].offset);
    }
    d->t[d->n] = t;
    d->line[d->n] = lt_csv_line(c, r);
    d->n++;
    return LT_OK;
}

/* Which of the columns the table has; two for one variable is an error. */
static int station_columns(lt_met *m, const lt_csv *c, int *use, const char **col, lt_error *err)
{
    static const char *const need[] = {"time", "wind_speed_ms", "wind_dir_deg"};
    int rc = lt_csv_require(c, need, 3, err);
    if (rc)
        return rc;
    m->has[V_U10] = m->has[V_V10] = 1;
    col[V_U10] = col[V_V10] = "the wind (wind_speed_ms, wind_dir_deg)";
    for (int i = 0; i < N_ST_COLS; i++) {
        use[i] = lt_csv_column(c, st_cols[i].name) >= 0;
        if (!use[i])
            continue;
        int v = st_cols[i].v;
        if (m->has[v])
            return lt_error_set(err, LT_EINPUT, "%s: columns '%s' and '%s' both give %s: expected one of them",
                                m->path, col[v], st_cols[i].name, lt_met_vars[v].name);
        m->has[v] = 1;
        col[v] = st_cols[i].name;
        snprintf(m->varname[v], sizeof m->varname[v], "%s", st_cols[i].name);
    }
    if (!m->has[V_T2])
        return lt_error_set(err, LT_EINPUT, "%s: no temperature column: expected temp_C or temp_K", m->path);
    return LT_OK;
}

int lt_met_open_station(lt_met *m, lt_error *err)
{
    m->rd = &point_reader;
    if (!isfinite(m->opt.station_lon) || !isfinite(m->opt.station_lat))
        return lt_error_set(err, LT_EINPUT,
                            "%s: [met] format = station needs the station's place: expected [met] station_lon and "
                            "station_lat in degrees",
                            m->path);
    lt_csv *c = NULL;
    int rc = lt_csv_open(&c, m->path, err);
    if (rc)
        return rc;
    int use[N_ST_COLS];
    const char *col[NVARS] = {0};
    point_data d = {0};
    if (!(rc = station_columns(m, c, use, col, err))) {
        for (size_t r = 0; r < lt_csv_rows(c) && !rc; r++)
            rc = station_row(m, c, r, use, &d, err);
    }
    if (!rc && !d.n)
        rc = lt_error_set(err, LT_EINPUT, "%s: no rows: expected hourly observations", m->path);
    if (!rc && !(rc = fill_gaps(m, &d, col, err)))
        rc = finish_points(m, &d, m->opt.station_lon, m->opt.station_lat, err);
    snprintf(m->varname[V_U10], sizeof m->varname[V_U10], "wind_speed_ms");
    snprintf(m->varname[V_V10], sizeof m->varname[V_V10], "wind_dir_deg");
    free_data(&d);
    lt_csv_close(&c);
    return rc;
}

/* ---- AERMET's .SFC and .PFL --------------------------------------------- */

/* The .SFC columns, as the AERMET user's guide lists them (the first 25;
 * later columns are flags lantian does not use). */
enum { A_YR, A_MO, A_DY, A_JDAY, A_HR, A_H, A_UST, A_WST, A_VPTG, A_ZIC, A_ZIM, A_L, A_Z0, A_BO, A_ALB, A_WS, A_WD,
       A_ZREF, A_TEMP, A_ZTEMP, A_IPCODE, A_PAMT, A_RH, A_PRES, A_CCVR, A_NCOL };

static const char *const aermet_names[A_NCOL] = {
    "year", "month", "day", "julian day", "hour", "H", "u*", "w*", "VPTG", "zic", "zim", "L", "z0", "Bowen",
    "albedo", "wind speed", "wind direction", "wind height", "temperature", "temperature height", "precipitation code",
    "precipitation amount", "relative humidity", "pressure", "cloud cover"};

/* "41.300N" -> 41.3, "74.000W" -> -74.0. */
static int hemi(const char *s, char pos, char neg, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v))
        return -1;
    char h = (char)toupper((unsigned char)*end);
    if (h == pos)
        *out = v;
    else if (h == neg)
        *out = -v;
    else
        return -1;
    return 0;
}

/* The header's latitude and longitude. */
static int aermet_header(lt_met *m, const char *line, double *lat, double *lon, lt_error *err)
{
    char a[32], b[32];
    if (sscanf(line, "%31s %31s", a, b) != 2 || hemi(a, 'N', 'S', lat) || hemi(b, 'E', 'W', lon) ||
        fabs(*lat) > 90 || fabs(*lon) > 180)
        return lt_error_set(err, LT_EINPUT,
                            "%s:1: the header '%.40s' does not start with the station's latitude and longitude: "
                            "expected an AERMET surface file (e.g. '   41.300N   74.000W  UA_ID: ...')",
                            m->path, line);
    return LT_OK;
}

/* Splits a data line into its first A_NCOL numbers. */
static int aermet_fields(lt_met *m, int ln, char *line, double *x, lt_error *err)
{
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(line, " \t\r\n", &save); tok && n < A_NCOL; tok = strtok_r(NULL, " \t\r\n", &save)) {
        char *end;
        x[n] = strtod(tok, &end);
        if (end == tok || *end || !isfinite(x[n]))
            return lt_error_set(err, LT_EINPUT, "%s:%d: column %d (%s) = '%s': expected a number", m->path, ln, n + 1,
                                aermet_names[n], tok);
        n++;
    }
    if (n < A_NCOL)
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: %d columns: expected at least %d (year month day julian-day hour H u* w* VPTG zic "
                            "zim L z0 Bowen albedo wind-speed wind-direction wind-height temperature "
                            "temperature-height precipitation-code precipitation-amount RH pressure cloud-cover, as "
                            "AERMET writes them); column %d (%s) is missing",
                            m->path, ln, n, A_NCOL, n + 1, aermet_names[n]);
    return LT_OK;
}

/* The UTC start of the hour an AERMET record ends (hours 1-24 of local
 * standard time at utc_offset_h). */
static int aermet_time(const double *x, double utc_offset_h, double *t)
{
    for (int c = A_YR; c <= A_HR; c++)
        if (x[c] != floor(x[c]) || x[c] < 0.0 || x[c] > 9999.0)
            return -1;
    int y = (int)x[A_YR], mo = (int)x[A_MO], dy = (int)x[A_DY], hr = (int)x[A_HR];
    if (y < 100)
        y += y < 50 ? 2000 : 1900; /* two-digit years of older AERMET */
    if (hr < 1 || hr > 24)
        return -1;
    char iso[32];
    snprintf(iso, sizeof iso, "%04d-%02d-%02dT00:00:00Z", y, mo, dy);
    if (lt_parse_iso8601(iso, t))
        return -1;
    *t += (hr - 1) * 3600.0 - utc_offset_h * 3600.0;
    return 0;
}

/* One record's fields in lantian's terms; missing codes become NaN. */
static void aermet_values(const lt_met *m, const double *x, float *val)
{
    for (int v = 0; v < NVARS; v++)
        val[v] = NAN;
    double L = x[A_L], ust = x[A_UST], ws = x[A_WS], wd = x[A_WD], zref = x[A_ZREF];
    int miss_l = L <= -99990.0 || L == 0.0, miss_u = ust < 0.0;
    if (!miss_u)
        val[V_UST] = (float)ust;
    if (!miss_l)
        val[V_RMOL] = (float)(1.0 / L);
    if (x[A_H] > -990.0)
        val[V_HFX] = (float)x[A_H];
    if (ws < 900.0 && wd < 900.0 && ws >= 0.0 && zref > 0.0 && x[A_Z0] > 0.0) {
        /* moved from the anemometer's height to the run's by the hour's profile (neutral when L is missing) */
        double s = ws * lt_wind_ratio(m->opt.wind_height_m, zref, x[A_Z0], miss_l ? 0.0 : 1.0 / L);
        val[V_U10] = (float)(-s * sin(wd * PI / 180.0));
        val[V_V10] = (float)(-s * cos(wd * PI / 180.0));
    }
    if (x[A_TEMP] < 900.0 && x[A_TEMP] > 0.0)
        val[V_T2] = (float)x[A_TEMP];
    double zic = x[A_ZIC] > 0.0 ? x[A_ZIC] : NAN, zim = x[A_ZIM] > 0.0 ? x[A_ZIM] : NAN;
    /* AERMOD's mixing height: the larger of the two in convective hours, the mechanical one in stable hours */
    double zi = !miss_l && L < 0.0 ? (isnan(zic) ? zim : isnan(zim) ? zic : fmax(zic, zim)) : zim;
    if (!isnan(zi))
        val[V_PBLH] = (float)zi;
    if (x[A_PAMT] >= 0.0 && x[A_PAMT] < 900.0)
        val[V_RAIN] = (float)x[A_PAMT];
    if (x[A_RH] >= 0.0 && x[A_RH] <= 100.0)
        val[V_RH] = (float)x[A_RH];
    if (x[A_PRES] > 300.0 && x[A_PRES] < 1100.0)
        val[V_PSFC] = (float)(x[A_PRES] * 100.0);
    if (x[A_CCVR] >= 0.0 && x[A_CCVR] <= 10.0)
        val[V_CLOUD] = (float)(x[A_CCVR] / 10.0);
}

/* The .PFL file's sigma-theta at the lowest level that has one, matched to
 * the .SFC records by time. */
static int aermet_profile(lt_met *m, point_data *d, double utc_offset_h, lt_error *err)
{
    const char *path = m->opt.profile;
    FILE *f = lt_file_open(path, "r", "the AERMET profile file", err);
    if (!f)
        return err->code;
    float *best = malloc(d->n * sizeof *best), *besth = malloc(d->n * sizeof *besth);
    if (!best || !besth) {
        free(best);
        free(besth);
        fclose(f);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < d->n; k++)
        best[k] = besth[k] = NAN;
    char line[512];
    int ln = 0, rc = LT_OK, any = 0;
    size_t k = 0;
    while (!rc && fgets(line, sizeof line, f)) {
        ln++;
        double x[11];
        int n = sscanf(line, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf", &x[0], &x[1], &x[2], &x[3], &x[4], &x[5],
                       &x[6], &x[7], &x[8], &x[9], &x[10]);
        if (n <= 0)
            continue;
        if (n < 11) {
            rc = lt_error_set(err, LT_EINPUT,
                              "%s:%d: %d columns: expected 11 (year month day hour height top-flag wind-direction "
                              "wind-speed temperature sigma-theta sigma-w, as AERMET writes them)",
                              path, ln, n);
            break;
        }
        double sfc[A_NCOL] = {0};
        sfc[A_YR] = x[0];
        sfc[A_MO] = x[1];
        sfc[A_DY] = x[2];
        sfc[A_HR] = x[3];
        double t;
        if (aermet_time(sfc, utc_offset_h, &t)) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: the date %g %g %g hour %g: expected a date and an hour 1-24",
                              path, ln, x[0], x[1], x[2], x[3]);
            break;
        }
        while (k < d->n && d->t[k] < t)
            k++;
        if (k >= d->n || d->t[k] != t || x[9] < 0.0 || x[9] >= 99.0)
            continue; /* an hour the .SFC does not have, or sigma-theta missing (99) */
        if (isnan(besth[k]) || x[4] < besth[k]) {
            best[k] = (float)x[9];
            besth[k] = (float)x[4];
            any = 1;
        }
    }
    fclose(f);
    if (!rc && any) {
        m->has[V_SIGTH] = 1;
        snprintf(m->varname[V_SIGTH], sizeof m->varname[V_SIGTH], "sigma-theta of %s", path);
        for (k = 0; k < d->n; k++)
            d->v[k * NVARS + V_SIGTH] = best[k];
    } else if (!rc) {
        lt_met_warn(m, "%s: no sigma-theta in any hour of the surface file: none used", path);
    }
    free(best);
    free(besth);
    return rc;
}

/* The data lines of the .SFC into d. */
static int aermet_records(lt_met *m, FILE *f, double utc_offset_h, point_data *d, lt_error *err)
{
    char line[1024];
    int ln = 1, rc = LT_OK;
    while (!rc && fgets(line, sizeof line, f)) {
        ln++;
        if (strspn(line, " \t\r\n") == strlen(line))
            continue;
        double x[A_NCOL], t;
        if ((rc = aermet_fields(m, ln, line, x, err)) || (rc = grow(d, err)))
            break;
        if (aermet_time(x, utc_offset_h, &t))
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: the date %g %g %g hour %g: expected a date and an hour 1-24",
                              m->path, ln, x[A_YR], x[A_MO], x[A_DY], x[A_HR]);
        else if (d->n && t <= d->t[d->n - 1])
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: the hour is not after the line before: expected the hours in order",
                              m->path, ln);
        else if (x[A_WD] < 900.0 && (x[A_WD] < 0.0 || x[A_WD] > 360.0))
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 17 (wind direction) = %g: expected 0 to 360 degrees or "
                              "999 (missing)", m->path, ln, x[A_WD]);
        else if (x[A_ZREF] < 900.0 && !(x[A_ZREF] > 0.0))
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 18 (wind height) = %g: expected a height in metres",
                              m->path, ln, x[A_ZREF]);
        if (rc)
            break;
        aermet_values(m, x, d->v + d->n * NVARS);
        d->t[d->n] = t;
        d->line[d->n] = ln;
        d->n++;
    }
    return rc;
}

int lt_met_open_aermet(lt_met *m, lt_error *err)
{
    m->rd = &point_reader;
    FILE *f = lt_file_open(m->path, "r", "the AERMET surface file", err);
    if (!f)
        return err->code;
    char head[1024];
    double lat = 0, lon = 0;
    int rc = fgets(head, sizeof head, f) ? aermet_header(m, head, &lat, &lon, err)
                                         : lt_error_set(err, LT_EINPUT, "%s: empty: expected an AERMET surface file",
                                                        m->path);
    double off = isfinite(m->opt.utc_offset_h) ? m->opt.utc_offset_h : round(lon / 15.0);
    point_data d = {0};
    if (!rc)
        rc = aermet_records(m, f, off, &d, err);
    fclose(f);
    if (!rc && !d.n)
        rc = lt_error_set(err, LT_EINPUT, "%s: no hours: expected AERMET surface records", m->path);
    /* the variables the file gives: those present in some hour */
    static const int vs[] = {V_U10, V_V10, V_T2, V_PBLH, V_UST, V_RMOL, V_HFX, V_RAIN, V_RH, V_CLOUD, V_PSFC};
    static const char *const col[NVARS] = {"the wind (columns 16-18)", "the wind (columns 16-18)",
                                           "the temperature (column 19)", "the mixing height (columns 10-11)",
                                           "u* (column 7)", "L (column 12)", "H (column 6)",
                                           "the precipitation (column 22)", "the relative humidity (column 23)",
                                           "the cloud cover (column 25)", "sigma-theta (the .PFL)", "",
                                           "the pressure (column 24)"};
    for (size_t i = 0; i < sizeof vs / sizeof *vs && !rc; i++) {
        int v = vs[i];
        for (size_t k = 0; k < d.n && !m->has[v]; k++)
            m->has[v] = !isnan(d.v[k * NVARS + v]);
        if (!m->has[v] && (v == V_U10 || v == V_T2 || v == V_UST || v == V_RMOL || v == V_PBLH))
            rc = lt_error_set(err, LT_EINPUT, "%s: %s is missing in every hour: expected an AERMET surface file "
                              "with it", m->path, col[v]);
        snprintf(m->varname[v], sizeof m->varname[v], "%s", col[v]);
    }
    if (!rc && m->opt.profile && m->opt.profile[0])
        rc = aermet_profile(m, &d, off, err);
    if (!rc && !(rc = fill_gaps(m, &d, col, err)))
        rc = finish_points(m, &d, lon, lat, err);
    free_data(&d);
    return rc;
}
