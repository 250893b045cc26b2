/* aqi.c — the AQI of HJ 633-2012 (eq. 1, tables 1-2 and their notes), from
 * PM2.5 alone and from all six pollutants, with the data validity of
 * GB 3095-2012 section 8 and HJ 663-2013 (see aqi.h). */
#include "policy/aqi.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/config.h"
#include "io/kvfile.h"

const char *const lt_pol_names[LT_NPOL] = {"pm25", "pm10", "so2", "no2", "co", "o3"};
const char *const lt_scale_names[LT_NSCALE] = {"pm25_24h", "pm10_24h", "so2_24h", "so2_1h", "no2_24h",
                                               "no2_1h",   "co_24h",   "co_1h",   "o3_1h",  "o3_8h"};

/* The scale of each pollutant's daily value (O3: the daily maximum 8-h). */
static const int daily_scale[LT_NPOL] = {LT_SCALE_PM25_24H, LT_SCALE_PM10_24H, LT_SCALE_SO2_24H,
                                         LT_SCALE_NO2_24H,  LT_SCALE_CO_24H,   LT_SCALE_O3_8H};

static int scale_of(const char *name)
{
    for (int k = 0; k < LT_NSCALE; k++)
        if (!strcmp(name, lt_scale_names[k]))
            return k;
    return -1;
}

/* The other scales' breakpoints (each increasing, no more than the IAQI
 * breakpoints) and their above-the-last rules. */
static int read_scales(lt_aqi_table *t, const lt_kvfile *kv, const char *path, lt_error *err)
{
    char key[64];
    int rc;
    for (int k = 1; k < LT_NSCALE; k++) {
        lt_aqi_scale *s = &t->scale[k];
        s->above = -1;
        snprintf(key, sizeof key, "%s_breakpoints_%s", lt_scale_names[k], k == LT_SCALE_CO_24H || k == LT_SCALE_CO_1H ? "mgm3" : "ugm3");
        if (!lt_kvfile_get(kv, "aqi", key))
            continue;
        if ((rc = lt_kvfile_doubles(kv, "aqi", key, s->bp, LT_AQI_MAX_BP, &s->n, err)))
            return rc;
        if (s->n < 2 || s->n > t->nbp)
            return lt_error_set(err, LT_EINPUT, "%s: %s has %d breakpoints: expected from 2 to %d (the IAQI breakpoints)",
                                path, key, s->n, t->nbp);
        for (int i = 0; i < s->n; i++)
            if (!(s->bp[i] >= 0 && s->bp[i] <= 100000) || (i && !(s->bp[i] > s->bp[i - 1])))
                return lt_error_set(err, LT_EINPUT, "%s: %s breakpoint %d = %g: expected increasing values from 0", path,
                                    key, i + 1, s->bp[i]);
        snprintf(key, sizeof key, "%s_above_last", lt_scale_names[k]);
        const char *v = lt_kvfile_get(kv, "aqi", key);
        if (v && (s->above = scale_of(v)) < 0)
            return lt_error_set(err, LT_EINPUT, "%s: %s = '%s': expected the name of another scale (e.g. o3_1h)", path,
                                key, v);
    }
    int have = 0;
    for (int p = 1; p < LT_NPOL; p++)
        have += t->scale[daily_scale[p]].n > 0;
    have += t->scale[LT_SCALE_O3_1H].n > 0;
    if (have && have != LT_NPOL)
        return lt_error_set(err, LT_EINPUT, "%s: breakpoints for %d of the 6 daily scales of PM10, SO2, NO2, CO, O3 8-h "
                            "and O3 1-h: expected all of them (the six-pollutant AQI) or none (PM2.5 alone)", path, have);
    t->pols = have ? LT_POL_ALL : 1u << LT_POL_PM25;
    return LT_OK;
}

/* HJ 663's settings: O3 8-h validity, the annual limits, a year's days. */
static int read_annual(lt_aqi_table *t, const lt_kvfile *kv, const char *path, lt_error *err)
{
    double v[4], d6 = 6, d14 = 14, d160 = 160, d324 = 324, d27 = 27, d25 = 25;
    int rc, n;
    if ((rc = lt_kvfile_double(kv, "aqi", "o3_8h_min_hours", &d6, 1, 8, &v[0], err)) ||
        (rc = lt_kvfile_double(kv, "aqi", "o3_8h_min_windows", &d14, 1, 17, &v[1], err)) ||
        (rc = lt_kvfile_double(kv, "aqi", "o3_8h_limit_ugm3", &d160, 0, 10000, &t->o3_8h_limit, err)))
        return rc;
    t->o3_8h_min_hours = (int)v[0];
    t->o3_8h_min_windows = (int)v[1];
    if ((rc = lt_kvfile_double(kv, "aqi", "year_min_days", &d324, 1, 366, &v[0], err)) ||
        (rc = lt_kvfile_double(kv, "aqi", "month_min_days", &d27, 1, 31, &v[1], err)) ||
        (rc = lt_kvfile_double(kv, "aqi", "february_min_days", &d25, 1, 29, &v[2], err)))
        return rc;
    t->year_min_days = (int)v[0];
    t->month_min_days = (int)v[1];
    t->feb_min_days = (int)v[2];
    /* GB 3095-2012 table 1, grade II (PM2.5 annual 35 ug/m3 ... O3 MDA8 160) */
    static const double grade2[LT_NPOL] = {35, 70, 60, 40, 4, 160};
    memcpy(t->annual_limit, grade2, sizeof grade2);
    if (lt_kvfile_get(kv, "aqi", "annual_limits")) {
        if ((rc = lt_kvfile_doubles(kv, "aqi", "annual_limits", t->annual_limit, LT_NPOL, NULL, err)))
            return rc;
        for (n = 0; n < LT_NPOL; n++)
            if (!(t->annual_limit[n] > 0))
                return lt_error_set(err, LT_EINPUT, "%s: annual_limits value %d (%s) = %g: expected a positive limit",
                                    path, n + 1, lt_pol_names[n], t->annual_limit[n]);
    }
    return LT_OK;
}

int lt_aqi_table_read(lt_aqi_table *t, const char *path, lt_error *err)
{
    memset(t, 0, sizeof *t);
    lt_kvfile *kv;
    int rc = lt_kvfile_read(&kv, path, err);
    if (rc)
        return rc;
    static const char *const allowed[] = {
        "aqi.name", "aqi.pm25_24h_breakpoints_ugm3", "aqi.iaqi_breakpoints", "aqi.category_upper",
        "aqi.categories", "aqi.min_hours_per_day", "aqi.utc_offset_hours", "aqi.pm25_24h_limit_ugm3",
        "aqi.pm10_24h_breakpoints_ugm3", "aqi.so2_24h_breakpoints_ugm3", "aqi.so2_1h_breakpoints_ugm3",
        "aqi.no2_24h_breakpoints_ugm3", "aqi.no2_1h_breakpoints_ugm3", "aqi.co_24h_breakpoints_mgm3",
        "aqi.co_1h_breakpoints_mgm3", "aqi.o3_1h_breakpoints_ugm3", "aqi.o3_8h_breakpoints_ugm3",
        "aqi.so2_1h_above_last", "aqi.o3_8h_above_last", "aqi.pm25_24h_above_last", "aqi.pm10_24h_above_last",
        "aqi.so2_24h_above_last", "aqi.no2_24h_above_last", "aqi.no2_1h_above_last", "aqi.co_24h_above_last",
        "aqi.co_1h_above_last", "aqi.o3_1h_above_last", "aqi.o3_8h_min_hours", "aqi.o3_8h_min_windows",
        "aqi.o3_8h_limit_ugm3", "aqi.annual_limits", "aqi.year_min_days", "aqi.month_min_days",
        "aqi.february_min_days"};
    int nb2 = 0, ncu = 0;
    double off_def = 8.0;
    if ((rc = lt_kvfile_check_keys(kv, allowed, (int)(sizeof allowed / sizeof *allowed), err)) ||
        (rc = lt_kvfile_doubles(kv, "aqi", "pm25_24h_breakpoints_ugm3", t->pm25_bp, LT_AQI_MAX_BP, &t->nbp, err)) ||
        (rc = lt_kvfile_doubles(kv, "aqi", "iaqi_breakpoints", t->iaqi_bp, LT_AQI_MAX_BP, &nb2, err)) ||
        (rc = lt_kvfile_doubles(kv, "aqi", "category_upper", t->cat_upper, LT_AQI_MAX_CAT, &ncu, err)) ||
        (rc = lt_kvfile_names(kv, "aqi", "categories", &t->cat_name[0][0], sizeof t->cat_name[0], LT_AQI_MAX_CAT, &t->ncat, err)))
        goto done;
    double mh;
    if ((rc = lt_kvfile_double(kv, "aqi", "min_hours_per_day", NULL, 1, 24, &mh, err)) ||
        (rc = lt_kvfile_double(kv, "aqi", "utc_offset_hours", &off_def, -14, 14, &t->utc_offset_h, err)) ||
        (rc = lt_kvfile_double(kv, "aqi", "pm25_24h_limit_ugm3", NULL, 0, 1000, &t->pm25_limit, err)))
        goto done;
    t->min_hours = (int)mh;
    const char *name = lt_kvfile_get(kv, "aqi", "name");
    snprintf(t->name, sizeof t->name, "%s", name ? name : path);
    if (nb2 != t->nbp || t->nbp < 2) {
        rc = lt_error_set(err, LT_EINPUT, "%s: %d PM2.5 breakpoints but %d IAQI breakpoints: expected as many of each, at least 2",
                          path, t->nbp, nb2);
        goto done;
    }
    /* the ranges the index is defined on (HJ 633: concentrations to 500, IAQI
     * to 500), with room for other rule sets; beyond them a table is a typo */
    for (int i = 0; i < t->nbp; i++)
        if (!(t->pm25_bp[i] >= 0 && t->pm25_bp[i] <= 10000) || !(t->iaqi_bp[i] >= 0 && t->iaqi_bp[i] <= 1000)) {
            rc = lt_error_set(err, LT_EINPUT, "%s: breakpoint %d (%g ug/m3, IAQI %g): expected concentrations from 0 to "
                              "10000 and IAQI from 0 to 1000", path, i + 1, t->pm25_bp[i], t->iaqi_bp[i]);
            goto done;
        }
    for (int i = 0; i < ncu; i++)
        if (!(t->cat_upper[i] >= 0 && t->cat_upper[i] <= 1000)) {
            rc = lt_error_set(err, LT_EINPUT, "%s: category_upper %d = %g: expected an AQI from 0 to 1000", path, i + 1,
                              t->cat_upper[i]);
            goto done;
        }
    for (int i = 1; i < t->nbp; i++)
        if (!(t->pm25_bp[i] > t->pm25_bp[i - 1]) || !(t->iaqi_bp[i] > t->iaqi_bp[i - 1])) {
            rc = lt_error_set(err, LT_EINPUT, "%s: breakpoint %d does not increase: expected increasing breakpoints", path, i);
            goto done;
        }
    if (ncu != t->ncat - 1) {
        rc = lt_error_set(err, LT_EINPUT, "%s: %d category names but %d category_upper values: expected one fewer upper bound than names",
                          path, t->ncat, ncu);
        goto done;
    }
    if (t->ncat < 5) {
        rc = lt_error_set(err, LT_EINPUT, "%s: %d categories: expected at least 5 (good days are those of the first two, "
                          "heavy-pollution days those above the fourth)", path, t->ncat);
        goto done;
    }
    t->scale[0].n = t->nbp;
    memcpy(t->scale[0].bp, t->pm25_bp, sizeof t->pm25_bp);
    t->scale[0].above = -1;
    if ((rc = read_scales(t, kv, path, err)) || (rc = read_annual(t, kv, path, err)))
        goto done;
    for (int k = 0; k < LT_NSCALE; k++)
        if (t->scale[k].above >= 0 && (t->scale[k].above == k || !t->scale[t->scale[k].above].n ||
                                       t->scale[t->scale[k].above].above >= 0)) {
            rc = lt_error_set(err, LT_EINPUT, "%s: %s_above_last = %s: expected another scale the file defines, whose "
                              "own values are not replaced", path, lt_scale_names[k], lt_scale_names[t->scale[k].above]);
            goto done;
        }
done:
    lt_kvfile_free(&kv);
    return rc;
}

int lt_iaqi_pm25(const lt_aqi_table *t, double c)
{
    if (isnan(c))
        return -1;
    if (c <= t->pm25_bp[0])
        return (int)t->iaqi_bp[0];
    for (int k = 1; k < t->nbp; k++)
        if (c <= t->pm25_bp[k]) {
            double v = t->iaqi_bp[k - 1] + (t->iaqi_bp[k] - t->iaqi_bp[k - 1]) *
                                               (c - t->pm25_bp[k - 1]) / (t->pm25_bp[k] - t->pm25_bp[k - 1]);
            /* rounded up (HJ 633-2012 §5); the tiny margin absorbs floating-point
             * noise so that an exact breakpoint maps to its own IAQI */
            return (int)ceil(v - 1e-9);
        }
    return (int)t->iaqi_bp[t->nbp - 1];
}

int lt_iaqi(const lt_aqi_table *t, int sc, double c)
{
    const lt_aqi_scale *s = &t->scale[sc];
    if (isnan(c) || s->n == 0)
        return -1;
    if (c <= s->bp[0])
        return (int)t->iaqi_bp[0];
    for (int k = 1; k < s->n; k++)
        if (c <= s->bp[k]) {
            double v = t->iaqi_bp[k - 1] + (t->iaqi_bp[k] - t->iaqi_bp[k - 1]) * (c - s->bp[k - 1]) / (s->bp[k] - s->bp[k - 1]);
            return (int)ceil(v - 1e-9); /* rounded up, as lt_iaqi_pm25 */
        }
    return s->above >= 0 ? -2 : (int)t->iaqi_bp[s->n - 1];
}

void lt_aqi_day_index(const lt_aqi_table *t, lt_aqi_day *d)
{
    d->aqi = 0;
    d->primary = 0;
    for (int p = 0; p < LT_NPOL; p++) {
        if (!(t->pols & (1u << p))) {
            d->iaqi[p] = -1;
            continue;
        }
        int i = lt_iaqi(t, daily_scale[p], d->c[p]);
        if (p == LT_POL_O3) {
            /* HJ 633-2012 table 1 note 3: above the last 8-h breakpoint the
             * 1-h IAQI is reported; the daily index takes the larger of the two */
            int i1 = lt_iaqi(t, LT_SCALE_O3_1H, d->o3_1h);
            if (i == -2)
                i = i1;
            else if (i >= 0)
                i = i1 < 0 ? -1 : (i1 > i ? i1 : i);
        } else if (i == -2) {
            i = lt_iaqi(t, t->scale[daily_scale[p]].above, d->c[p]);
        }
        d->iaqi[p] = i < 0 ? -1 : i;
        if (d->iaqi[p] < 0)
            d->aqi = -1;
        else if (d->aqi >= 0 && d->iaqi[p] > d->aqi)
            d->aqi = d->iaqi[p];
    }
    d->category = lt_aqi_category(t, d->aqi);
    if (d->aqi > t->cat_upper[0])
        for (int p = 0; p < LT_NPOL; p++)
            if (d->iaqi[p] >= 0 && d->iaqi[p] == d->aqi)
                d->primary |= 1u << p;
}

/* O3 of the hours of local day d (hour of the day j, NaN missing) into
 * the daily maximum 8-h mean and the maximum 1-h value. */
static void o3_day(const lt_aqi_table *t, const double o3[24], int nvalid, double *mda8, double *max1)
{
    double best = -1.0, mx = -1.0;
    int nwin = 0;
    for (int j = 0; j < 24; j++)
        if (!isnan(o3[j]) && o3[j] > mx)
            mx = o3[j];
    for (int j = 7; j < 24; j++) {
        double s = 0.0;
        int n = 0;
        for (int i = j - 7; i <= j; i++)
            if (!isnan(o3[i])) {
                s += o3[i];
                n++;
            }
        if (n < t->o3_8h_min_hours)
            continue;
        nwin++;
        if (s / n > best)
            best = s / n;
    }
    /* HJ 663-2013 table 2: the daily maximum 8-h mean needs o3_8h_min_windows
     * valid windows of 08:00-24:00, unless it already exceeds the limit */
    *mda8 = nwin >= t->o3_8h_min_windows || (nwin > 0 && best > t->o3_8h_limit) ? best : NAN;
    *max1 = nvalid >= t->min_hours ? mx : NAN;
}

/* The rules t with only the pollutants that have a series assessed. */
static lt_aqi_table with_series(const lt_aqi_table *t, const double *const x[LT_NPOL])
{
    lt_aqi_table tt = *t;
    for (int p = 0; p < LT_NPOL; p++)
        if (!x[p])
            tt.pols &= ~(1u << p);
    return tt;
}

/* The 24 hours h0 .. h0+23 of the series (outside 0..nh-1: missing) assessed
 * as one day into d. */
static void window_day(const lt_aqi_table *t, const double *const x[LT_NPOL], size_t nh, long h0, lt_aqi_day *d)
{
    memset(d, 0, sizeof *d);
    for (int p = 0; p < LT_NPOL; p++) {
        double v[24], s = 0.0;
        int n = 0;
        for (int j = 0; j < 24; j++) {
            long h = h0 + j;
            v[j] = x[p] && h >= 0 && h < (long)nh ? x[p][h] : NAN;
            if (!isnan(v[j])) {
                s += v[j];
                n++;
            }
        }
        if (p == LT_POL_O3) {
            d->c[p] = d->o3_1h = NAN;
            if (x[p])
                o3_day(t, v, n, &d->c[p], &d->o3_1h);
        } else {
            d->c[p] = n >= t->min_hours ? s / n : NAN;
        }
    }
    lt_aqi_day_index(t, d);
}

size_t lt_aqi_days(const lt_aqi_table *t, const double *const x[LT_NPOL], size_t nh, double start_s,
                   lt_aqi_day *days, size_t maxdays)
{
    double day0 = lt_local_day_start(start_s, t->utc_offset_h);
    size_t nd = nh ? (size_t)lt_local_day_index(start_s + 3600.0 * (double)(nh - 1), day0) + 1 : 0;
    if (nd > maxdays)
        nd = maxdays;
    /* the run's first hour in the local day: day0 is a whole number of hours before it */
    long h0 = (long)floor((day0 - start_s) / 3600.0 + 0.5);
    lt_aqi_table tt = with_series(t, x);
    for (size_t d = 0; d < nd; d++)
        window_day(&tt, x, nh, h0 + 24 * (long)d, &days[d]);
    return nd;
}

void lt_aqi_running(const lt_aqi_table *t, const double *const x[LT_NPOL], size_t nh, int *aqi)
{
    lt_aqi_table tt = with_series(t, x);
    for (size_t h = 0; h < nh; h++) {
        lt_aqi_day d;
        window_day(&tt, x, nh, (long)h - 23, &d);
        aqi[h] = d.aqi;
    }
}

void lt_aqi_primary_names(unsigned primary, char *buf, size_t cap)
{
    size_t l = 0;
    buf[0] = '\0';
    for (int p = 0; p < LT_NPOL; p++)
        if (primary & (1u << p)) {
            int n = snprintf(buf + l, cap - l, "%s%s", l ? "+" : "", lt_pol_names[p]);
            if (n < 0 || (size_t)n >= cap - l)
                return;
            l += (size_t)n;
        }
}

int lt_aqi_category(const lt_aqi_table *t, int aqi)
{
    if (aqi < 0)
        return -1;
    for (int k = 0; k < t->ncat - 1; k++)
        if (aqi <= t->cat_upper[k])
            return k;
    return t->ncat - 1;
}

size_t lt_daily_means(const lt_aqi_table *t, const double *hourly, size_t nh, double start_s,
                      double *daily, size_t maxdays, double *day0_s)
{
    /* Local midnight at or before the start. */
    *day0_s = lt_local_day_start(start_s, t->utc_offset_h);
    size_t ndays = 0;
    double sum = 0.0;
    int n = 0;
    long cur = -1;
    for (size_t h = 0; h <= nh; h++) {
        long d = h < nh ? lt_local_day_index(start_s + 3600.0 * (double)h, *day0_s) : -2;
        if (d != cur && cur >= 0) {
            if ((size_t)cur < maxdays)
                daily[cur] = n >= t->min_hours ? sum / n : NAN;
            ndays = (size_t)cur + 1;
            sum = 0.0;
            n = 0;
        }
        if (h == nh)
            break;
        cur = d;
        if (!isnan(hourly[h])) {
            sum += hourly[h];
            n++;
        }
    }
    return ndays;
}

void lt_running24(const lt_aqi_table *t, const double *hourly, size_t nh, double *out)
{
    for (size_t h = 0; h < nh; h++) {
        double s = 0.0;
        int n = 0;
        for (size_t k = h >= 23 ? h - 23 : 0; k <= h; k++)
            if (!isnan(hourly[k])) {
                s += hourly[k];
                n++;
            }
        out[h] = n >= t->min_hours ? s / n : NAN;
    }
}
