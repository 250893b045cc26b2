/* aqi.c — AQI from PM2.5 (HJ 633-2012 eq. 1 and tables 1-2; see aqi.h). */
#include "policy/aqi.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/config.h"
#include "io/kvfile.h"

int lt_aqi_table_read(lt_aqi_table *t, const char *path, lt_error *err)
{
    memset(t, 0, sizeof *t);
    lt_kvfile *kv;
    int rc = lt_kvfile_read(&kv, path, err);
    if (rc)
        return rc;
    static const char *const allowed[] = {
        "aqi.name", "aqi.pm25_24h_breakpoints_ugm3", "aqi.iaqi_breakpoints", "aqi.category_upper",
        "aqi.categories", "aqi.min_hours_per_day", "aqi.utc_offset_hours", "aqi.pm25_24h_limit_ugm3"};
    int nb2 = 0, ncu = 0;
    double off_def = 8.0;
    if ((rc = lt_kvfile_check_keys(kv, allowed, 8, err)) ||
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
