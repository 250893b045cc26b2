/* case_bg.c — the case's regional background (see case_bg.h): the
 * [background] file read, its stations matched to the run's, the series at
 * every station and their mean, PM2.5's split into components. */
#include "run/case_bg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "run/case_impl.h"

/* The run station a file site names (code, else id), -1 if none. */
static long run_station(const lt_case *cs, const char *site)
{
    for (size_t i = 0; i < cs->nstations; i++)
        if ((cs->stations[i].code[0] && !strcmp(cs->stations[i].code, site)) || !strcmp(cs->stations[i].id, site))
            return (long)i;
    return -1;
}

/* The file's sites at the run's stations. */
static int place_sites(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    const lt_bgfile *bg = &cs->bgf;
    if (!bg->by_station)
        return LT_OK;
    if (!cs->nstations)
        return lt_error_set(err, LT_EINPUT, "%s: a station column, but the run has no stations: expected "
                            "[receptors] stations naming them, or a file without the column", cfg->background_file);
    cs->bg_site_x = malloc(bg->nsites * sizeof *cs->bg_site_x);
    cs->bg_site_y = malloc(bg->nsites * sizeof *cs->bg_site_y);
    if (!cs->bg_site_x || !cs->bg_site_y)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t s = 0; s < bg->nsites; s++) {
        long k = run_station(cs, bg->site[s]);
        if (k < 0)
            return lt_error_set(err, LT_EINPUT, "%s:%d: column 'station' = '%s': expected the code or id of a "
                                "station of %s", cfg->background_file, bg->site_line[s], bg->site[s],
                                cfg->stations_file);
        cs->bg_site_x[s] = cs->stations[k].x_m;
        cs->bg_site_y[s] = cs->stations[k].y_m;
    }
    return LT_OK;
}

void lt_case_bg_weights(const lt_case *cs, double x, double y, double *w)
{
    size_t n = cs->bgf.nsites;
    if (!cs->bgf.by_station) {
        w[0] = 1.0;
        return;
    }
    /* inverse distance squared (Shepard 1968); a receptor within 1 m of a
     * site takes that site's values */
    double sum = 0.0;
    for (size_t s = 0; s < n; s++) {
        double d2 = (x - cs->bg_site_x[s]) * (x - cs->bg_site_x[s]) + (y - cs->bg_site_y[s]) * (y - cs->bg_site_y[s]);
        if (d2 < 1.0) {
            for (size_t q = 0; q < n; q++)
                w[q] = q == s;
            return;
        }
        sum += w[s] = 1.0 / d2;
    }
    for (size_t s = 0; s < n; s++)
        w[s] /= sum;
}

double lt_case_bg_value(const lt_case *cs, const double *w, int col, int h)
{
    const lt_bgfile *bg = &cs->bgf;
    if (!w || !bg->by_station) {
        if (col == 0)
            return cs->background[h];
        if (col < LT_BG_NCOL) {
            const double *s = lt_case_background_of(cs, col);
            return s ? (col == 1 ? s[h] + cs->background[h] : s[h]) : NAN;
        }
        return cs->bg_comp ? cs->bg_comp[(size_t)(col - LT_BG_NCOL) * (size_t)cs->cfg->hours + (size_t)h] : NAN;
    }
    /* the sites with a value this hour, their weights renormalised */
    double v = 0.0, ws = 0.0;
    for (size_t s = 0; s < bg->nsites; s++) {
        double x = lt_bgfile_series(bg, col, s)[h];
        if (!isnan(x) && w[s] > 0.0) {
            v += w[s] * x;
            ws += w[s];
        }
    }
    return ws > 0.0 ? v / ws : NAN;
}

void lt_case_bg_shares(const lt_case *cs, const double *w, int h, double share[LT_BGC_N])
{
    double sum = 0.0;
    for (int c = 0; c < LT_BGC_N; c++)
        share[c] = 0.0;
    if (cs->bgf.components)
        for (int c = 0; c < LT_BGC_N; c++)
            sum += share[c] = lt_case_bg_value(cs, w, LT_BG_NCOL + c, h);
    if (!(sum > 0.0)) {
        for (int c = 0; c < LT_BGC_N; c++)
            share[c] = 0.0;
        share[LT_BGC_OTHER] = 1.0; /* no composition: all of it unspeciated */
        return;
    }
    for (int c = 0; c < LT_BGC_N; c++)
        share[c] /= sum;
}

/* Column col of the file at station k (by station) or of the file's one
 * series, hour h; PM10 as its coarse part, pm10 - pm25 (>= 0). */
static double raw_value(const lt_case *cs, int col, size_t k, size_t h)
{
    const lt_bgfile *bg = &cs->bgf;
    size_t nh = (size_t)cs->cfg->hours, nst = cs->nstations;
    double x = bg->by_station ? cs->bg_st[((size_t)col * nst + k) * nh + h] : lt_bgfile_series(bg, col, 0)[h];
    if (col != 1 || bg->by_station)
        return x; /* the stations' coarse part is set already */
    return fmax(x - lt_bgfile_series(bg, 0, 0)[h], 0.0);
}

/* Each station's series (by station: interpolated from the sites, PM10 as
 * its coarse part) and their mean, the domain's series. */
static int station_series(lt_case *cs, lt_error *err)
{
    const lt_bgfile *bg = &cs->bgf;
    size_t nh = (size_t)cs->cfg->hours, nst = cs->nstations;
    double *w = malloc(bg->nsites * sizeof *w);
    if (bg->by_station)
        cs->bg_st = malloc((size_t)LT_BG_NALL * nst * nh * sizeof *cs->bg_st);
    if (!w || (bg->by_station && !cs->bg_st)) {
        free(w);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (size_t k = 0; bg->by_station && k < nst; k++) {
        lt_case_bg_weights(cs, cs->stations[k].x_m, cs->stations[k].y_m, w);
        double *st = cs->bg_st;
        for (int col = 0; col < LT_BG_NALL; col++)
            for (size_t h = 0; h < nh; h++)
                st[((size_t)col * nst + k) * nh + h] = lt_case_bg_value(cs, w, col, (int)h);
        for (size_t h = 0; h < nh; h++) {
            double *c = &st[(1 * nst + k) * nh + h];
            *c = fmax(*c - st[k * nh + h], 0.0);
        }
    }
    free(w);
    /* the domain's series: the file's, or the stations' mean (each
     * pollutant over the stations that have it that hour) */
    size_t ns = bg->by_station ? nst : 1;
    for (int col = 0; col < LT_BG_NALL; col++)
        for (size_t h = 0; h < nh; h++) {
            double v = 0.0;
            int n = 0;
            for (size_t k = 0; k < ns; k++) {
                double x = raw_value(cs, col, k, h);
                if (!isnan(x)) {
                    v += x;
                    n++;
                }
            }
            v = n ? v / n : NAN;
            if (col == 0)
                cs->background[h] = v;
            else if (col < LT_BG_NCOL)
                cs->bg_other[(size_t)(col - 1) * nh + h] = v;
            else if (cs->bg_comp)
                cs->bg_comp[(size_t)(col - LT_BG_NCOL) * nh + h] = v;
        }
    return LT_OK;
}

int lt_case_bg_load(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    size_t nh = (size_t)cfg->hours;
    if (!(cs->background = malloc(nh * sizeof *cs->background)) ||
        !(cs->bg_other = malloc((LT_BG_NCOL - 1) * nh * sizeof *cs->bg_other)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t h = 0; h < nh; h++)
        cs->background[h] = NAN;
    for (size_t h = 0; h < (LT_BG_NCOL - 1) * nh; h++)
        cs->bg_other[h] = NAN;
    if (!cfg->background_file[0])
        return LT_OK; /* [background] from_observations alone */
    int rc = lt_bgfile_read(cfg->background_file, cfg->start_s, cfg->hours, &cs->bgf, err);
    if (rc)
        return rc;
    for (int c = 0; c < LT_BG_NCOL; c++)
        cs->bg_present[c] = cs->bgf.present[c];
    if (cs->bgf.components && !(cs->bg_comp = malloc(LT_BGC_N * nh * sizeof *cs->bg_comp)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    if ((rc = place_sites(cs, err)))
        return rc;
    return station_series(cs, err);
}

void lt_case_bg_free(lt_case *cs)
{
    lt_bgfile_free(&cs->bgf);
    free(cs->bg_site_x);
    free(cs->bg_site_y);
    free(cs->bg_comp);
    free(cs->bg_st);
}

size_t lt_case_bg_nsites(const lt_case *cs) { return cs->bgf.nsites ? cs->bgf.nsites : 1; }

size_t lt_case_background_summary(const lt_case *cs, double share[LT_BGC_N])
{
    double sum = 0.0;
    for (int c = 0; c < LT_BGC_N; c++)
        share[c] = 0.0;
    for (int h = 0; cs->bg_comp && h < cs->cfg->hours; h++)
        for (int c = 0; c < LT_BGC_N; c++) {
            double v = cs->bg_comp[(size_t)c * (size_t)cs->cfg->hours + (size_t)h];
            share[c] += v;
            sum += v;
        }
    for (int c = 0; c < LT_BGC_N; c++)
        share[c] = sum > 0.0 ? share[c] / sum : c == LT_BGC_OTHER;
    return lt_case_bg_nsites(cs);
}
