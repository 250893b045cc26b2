/* background.c — reading the [background] file (see background.h). */
#include "io/background.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/lt_time.h"
#include "io/csv.h"

const char *const lt_bg_names[LT_BG_NALL] = {"pm25", "pm10", "so2", "no2", "co",  "o3",
                                             "so4",  "no3",  "nh4", "om",  "ec",  "other"};
/* Units and upper bounds (beyond them a value is a typo); the column each
 * must not fall below (PM10 >= PM2.5). */
static const char *const bg_units[LT_BG_NALL] = {"ug/m3", "ug/m3", "ug/m3", "ug/m3", "mg/m3", "ug/m3",
                                                 "ug/m3", "ug/m3", "ug/m3", "ug/m3", "ug/m3", "ug/m3"};
static const double bg_hi[LT_BG_NALL] = {5000, 10000, 10000, 10000, 1000, 5000, 5000, 5000, 5000, 5000, 5000, 5000};
static const int bg_ge_of[LT_BG_NCOL] = {-1, 0, -1, -1, -1, -1};

/* The components' sum may differ from pm25 by this share, or by the
 * absolute amount when that is larger (six values rounded to 0.01). */
#define LT_BG_SUM_REL 0.01
#define LT_BG_SUM_ABS 0.05

/* The column of field i (PM2.5 under its old name too), -1 when absent. */
static int bg_column(const lt_csv *c, int i)
{
    int k = lt_csv_column(c, lt_bg_names[i]);
    return k < 0 && i == 0 ? lt_csv_column(c, "pm25_ugm3") : k;
}

/* Every header column is time, station or one of the names; the components
 * come all together. */
static int check_header(const lt_csv *c, lt_error *err)
{
    const char *path = lt_csv_path(c);
    for (int k = 0; k < lt_csv_ncols(c); k++) {
        const char *h = lt_csv_header(c, k);
        int ok = !strcmp(h, "time") || !strcmp(h, "pm25_ugm3") || !strcmp(h, "station");
        for (int i = 0; i < LT_BG_NALL && !ok; i++)
            ok = !strcmp(h, lt_bg_names[i]);
        if (!ok)
            return lt_error_set(err, LT_EINPUT, "%s: unknown column '%s': expected only time, station, pm25 (or "
                                "pm25_ugm3), pm10, so2, no2, co, o3 and the components so4, no3, nh4, om, ec, other",
                                path, h);
    }
    if (lt_csv_column(c, "time") < 0 || bg_column(c, 0) < 0)
        return lt_error_set(err, LT_EINPUT, "%s: expected the columns time and pm25 (or pm25_ugm3)", path);
    int ncomp = 0;
    for (int i = LT_BG_NCOL; i < LT_BG_NALL; i++)
        ncomp += bg_column(c, i) >= 0;
    for (int i = LT_BG_NCOL; i < LT_BG_NALL && ncomp && ncomp < LT_BGC_N; i++)
        if (bg_column(c, i) < 0)
            return lt_error_set(err, LT_EINPUT, "%s: PM2.5 components given without '%s': expected all six of so4, "
                                "no3, nh4, om, ec, other (ug/m3, summing to pm25), or none", path, lt_bg_names[i]);
    return LT_OK;
}

/* The station column's values in order of first appearance among the rows
 * of the run's hours. */
static int find_sites(const lt_csv *c, lt_bgfile *bg, double start_s, lt_error *err)
{
    int col = lt_csv_column(c, "station");
    size_t nr = lt_csv_rows(c), cap = col < 0 ? 1 : (nr ? nr : 1);
    bg->site = calloc(cap, sizeof *bg->site);
    bg->site_line = calloc(cap, sizeof *bg->site_line);
    if (!bg->site || !bg->site_line)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    bg->by_station = col >= 0;
    bg->nsites = 1;
    if (col < 0)
        return LT_OK;
    bg->nsites = 0;
    for (size_t r = 0; r < nr; r++) {
        double t, hr;
        if (lt_parse_iso8601(lt_csv_field(c, r, lt_csv_column(c, "time")), &t) == 0 &&
            !((hr = (t - start_s) / 3600.0) >= 0 && hr < bg->hours && fabs(hr - round(hr)) < 1e-6))
            continue; /* outside the run (a bad time is read_rows' error) */
        const char *s = lt_csv_field(c, r, col);
        if (!*s || strlen(s) >= sizeof bg->site[0])
            return lt_error_set(err, LT_EINPUT, "%s:%d: column 'station' = '%s': expected a station code or id "
                                "of 1 to 31 characters", lt_csv_path(c), lt_csv_line(c, r), s);
        size_t k = 0;
        while (k < bg->nsites && strcmp(bg->site[k], s))
            k++;
        if (k == bg->nsites) {
            snprintf(bg->site[k], sizeof bg->site[k], "%s", s);
            bg->site_line[k] = lt_csv_line(c, r);
            bg->nsites++;
        }
    }
    if (!bg->nsites)
        return lt_error_set(err, LT_EINPUT, "%s: no rows: expected a row per hour of the run", lt_csv_path(c));
    return LT_OK;
}

static size_t site_of(const lt_bgfile *bg, const char *s)
{
    size_t k = 0;
    while (bg->by_station && k < bg->nsites && strcmp(bg->site[k], s))
        k++;
    return k;
}

static double *slot(lt_bgfile *bg, int col, size_t s, int h)
{
    return bg->v + ((size_t)col * bg->nsites + s) * (size_t)bg->hours + (size_t)h;
}

/* The components' sum against pm25 on row r. */
static int check_sum(const lt_csv *c, size_t r, const double *x, lt_error *err)
{
    double sum = 0.0;
    for (int i = LT_BG_NCOL; i < LT_BG_NALL; i++)
        sum += x[i];
    double tol = fmax(LT_BG_SUM_REL * x[0], LT_BG_SUM_ABS);
    if (fabs(sum - x[0]) > tol)
        return lt_error_set(err, LT_EINPUT, "%s:%d: so4 + no3 + nh4 + om + ec + other = %g but pm25 = %g: expected "
                            "the components to sum to pm25 within 1 %% (or %g ug/m3)", lt_csv_path(c),
                            lt_csv_line(c, r), sum, x[0], LT_BG_SUM_ABS);
    return LT_OK;
}

/* Row r's values into hour h of site s. */
static int read_row(const lt_csv *c, size_t r, lt_bgfile *bg, size_t s, int h, const int *col, lt_error *err)
{
    const char *path = lt_csv_path(c);
    double x[LT_BG_NALL];
    for (int i = 0; i < LT_BG_NALL; i++) {
        x[i] = NAN;
        if (col[i] < 0)
            continue;
        const char *f = lt_csv_field(c, r, col[i]);
        int optional = i > 0 && i < LT_BG_NCOL; /* pm25 and the components need a value */
        if (!*f && optional)
            continue;
        char *end;
        double v = strtod(f, &end);
        if (!*f || *end || !isfinite(v) || v < 0 || v > bg_hi[i])
            return lt_error_set(err, LT_EINPUT, "%s:%d: column '%s' = '%s': expected a concentration in %s from 0 to %g%s",
                                path, lt_csv_line(c, r), lt_csv_header(c, col[i]), f, bg_units[i], bg_hi[i],
                                optional ? " (or empty: missing)" : "");
        x[i] = v;
    }
    for (int i = 0; i < LT_BG_NCOL; i++) {
        int j = bg_ge_of[i];
        if (j >= 0 && col[i] >= 0 && !isnan(x[i]) && x[i] < x[j] * (1.0 - 1e-9))
            return lt_error_set(err, LT_EINPUT, "%s:%d: %s = %g is below %s = %g: expected %s to include %s", path,
                                lt_csv_line(c, r), lt_bg_names[i], x[i], lt_bg_names[j], x[j], lt_bg_names[i],
                                lt_bg_names[j]);
    }
    int rc = bg->components ? check_sum(c, r, x, err) : LT_OK;
    for (int i = 0; i < LT_BG_NALL && !rc; i++)
        *slot(bg, i, s, h) = x[i];
    return rc;
}

/* Every site has every hour. */
static int check_complete(const char *path, const lt_bgfile *bg, const int *line_of, double start_s,
                          lt_error *err)
{
    for (size_t s = 0; s < bg->nsites; s++)
        for (int h = 0; h < bg->hours; h++)
            if (!line_of[s * (size_t)bg->hours + (size_t)h]) {
                char iso[32];
                lt_format_iso8601(start_s + 3600.0 * h, iso, sizeof iso);
                return lt_error_set(err, LT_EINPUT, "%s: no row for %s (hour %d of the run)%s%s: expected an hourly "
                                    "row for every hour of the run%s", path, iso, h,
                                    bg->by_station ? " at station " : "", bg->by_station ? bg->site[s] : "",
                                    bg->by_station ? " at every station of the file" : "");
            }
    return LT_OK;
}

static int read_rows(const lt_csv *c, lt_bgfile *bg, const int *col, int *line_of, double start_s, lt_error *err)
{
    const char *path = lt_csv_path(c);
    int scol = lt_csv_column(c, "station");
    for (size_t r = 0; r < lt_csv_rows(c); r++) {
        const char *ts = lt_csv_field(c, r, lt_csv_column(c, "time"));
        double t;
        if (lt_parse_iso8601(ts, &t))
            return lt_error_set(err, LT_EINPUT, "%s:%d: column 'time' = '%s': expected an ISO 8601 UTC time like "
                                "2017-01-01T00:00:00Z", path, lt_csv_line(c, r), ts);
        double k = (t - start_s) / 3600.0;
        if (!(k >= 0 && k < bg->hours && fabs(k - round(k)) < 1e-6))
            continue;
        int h = (int)round(k);
        size_t s = scol >= 0 ? site_of(bg, lt_csv_field(c, r, scol)) : 0;
        int *seen = &line_of[s * (size_t)bg->hours + (size_t)h];
        if (*seen)
            return lt_error_set(err, LT_EINPUT, "%s:%d: time %s%s%s appears twice (first at line %d): expected one "
                                "row per hour%s", path, lt_csv_line(c, r), ts, scol >= 0 ? " at station " : "",
                                scol >= 0 ? bg->site[s] : "", *seen, scol >= 0 ? " and station" : "");
        *seen = lt_csv_line(c, r);
        int rc = read_row(c, r, bg, s, h, col, err);
        if (rc)
            return rc;
    }
    return LT_OK;
}

int lt_bgfile_read(const char *path, double start_s, int hours, lt_bgfile *bg, lt_error *err)
{
    memset(bg, 0, sizeof *bg);
    bg->hours = hours > 0 ? hours : 0;
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err), *line_of = NULL, col[LT_BG_NALL];
    if (rc)
        return rc;
    if ((rc = check_header(c, err)) || (rc = find_sites(c, bg, start_s, err)))
        goto done;
    for (int i = 0; i < LT_BG_NALL; i++) {
        col[i] = bg_column(c, i);
        bg->present[i] = col[i] >= 0;
    }
    bg->components = bg->present[LT_BG_NCOL];
    size_t n = bg->nsites * (size_t)(bg->hours ? bg->hours : 1);
    bg->v = malloc(LT_BG_NALL * n * sizeof *bg->v);
    line_of = calloc(n, sizeof *line_of);
    if (!bg->v || !line_of) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < LT_BG_NALL * n; i++)
        bg->v[i] = NAN;
    if (!(rc = read_rows(c, bg, col, line_of, start_s, err)))
        rc = check_complete(path, bg, line_of, start_s, err);
done:
    free(line_of);
    lt_csv_close(&c);
    if (rc)
        lt_bgfile_free(bg);
    return rc;
}

void lt_bgfile_free(lt_bgfile *bg)
{
    free(bg->site);
    free(bg->site_line);
    free(bg->v);
    memset(bg, 0, sizeof *bg);
}

const double *lt_bgfile_series(const lt_bgfile *bg, int col, size_t s)
{
    return bg->v + ((size_t)col * bg->nsites + s) * (size_t)bg->hours;
}
