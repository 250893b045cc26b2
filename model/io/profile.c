/* profile.c — temporal emission profiles (see profile.h). The product of the
 * three factors is normalised by its mean over every hour of the local
 * calendar year, so annual totals are preserved exactly, whatever the month
 * lengths and the weekdays the year starts on. */
#include "io/profile.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "io/csv.h"

void lt_profiles_flat(lt_profiles *p, int nsectors)
{
    memset(p, 0, sizeof *p);
    p->nsectors = nsectors;
    for (int k = 0; k < LT_MAX_SECTORS; k++) {
        for (int i = 0; i < 12; i++)
            p->month[k][i] = 1.0;
        for (int i = 0; i < 7; i++)
            p->weekday[k][i] = 1.0;
        for (int i = 0; i < 24; i++)
            p->hour[k][i] = 1.0;
        p->norm[k] = 1.0;
    }
}

static double raw_factor(const lt_profiles *p, int k, double t_s)
{
    time_t t = (time_t)floor(t_s + p->utc_offset_h * 3600.0);
    struct tm tm;
    gmtime_r(&t, &tm);
    int wd = (tm.tm_wday + 6) % 7; /* Monday = 0 */
    return p->month[k][tm.tm_mon] * p->weekday[k][wd] * p->hour[k][tm.tm_hour];
}

double lt_profile_factor(const lt_profiles *p, int k, double t_s)
{
    return raw_factor(p, k, t_s) * p->norm[k];
}

double lt_profile_factor_in_month(const lt_profiles *p, int k, double t_s)
{
    time_t t = (time_t)floor(t_s + p->utc_offset_h * 3600.0);
    struct tm tm;
    gmtime_r(&t, &tm);
    int wd = (tm.tm_wday + 6) % 7;
    double mw = 0.0, mh = 0.0;
    for (int d = 0; d < 7; d++)
        mw += p->weekday[k][d] / 7.0;
    for (int h = 0; h < 24; h++)
        mh += p->hour[k][h] / 24.0;
    return p->weekday[k][wd] * p->hour[k][tm.tm_hour] / (mw * mh);
}

int lt_profiles_read(lt_profiles *p, const char *path, const lt_config *cfg, double start_s,
                     double utc_offset_h, lt_error *err)
{
    lt_profiles_flat(p, cfg->nsectors);
    p->utc_offset_h = utc_offset_h;
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    static const char *const cols[] = {"sector", "kind", "index", "factor"};
    int (*seen)[3][24] = calloc(LT_MAX_SECTORS, sizeof *seen); /* the row of each entry */
    if (!seen) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = lt_csv_require(c, cols, 4, err)))
        goto done;
    for (size_t r = 0; r < lt_csv_rows(c); r++) {
        const char *sec = lt_csv_field(c, r, lt_csv_column(c, "sector"));
        const char *kind = lt_csv_field(c, r, lt_csv_column(c, "kind"));
        int k = lt_config_sector_index(cfg, sec);
        if (k < 0) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'sector' = '%s': expected a sector of [sources] sectors",
                              path, lt_csv_line(c, r), sec);
            goto done;
        }
        double idx, f;
        int lo, hi;
        double *dst;
        int kk;
        if (!strcmp(kind, "month")) {
            lo = 1, hi = 12, dst = p->month[k], kk = 0;
        } else if (!strcmp(kind, "weekday")) {
            lo = 1, hi = 7, dst = p->weekday[k], kk = 1;
        } else if (!strcmp(kind, "hour")) {
            lo = 0, hi = 23, dst = p->hour[k], kk = 2;
        } else {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'kind' = '%s': expected month, weekday or hour",
                              path, lt_csv_line(c, r), kind);
            goto done;
        }
        char what[64];
        snprintf(what, sizeof what, "a whole %s index from %d to %d", kind, lo, hi);
        if ((rc = lt_csv_double(c, r, "index", lo, hi, what, &idx, err)) ||
            (rc = lt_csv_double(c, r, "factor", 0, 100, "a factor from 0 to 100", &f, err)))
            goto done;
        if (idx != floor(idx)) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'index' = '%g': expected %s", path,
                              lt_csv_line(c, r), idx, what);
            goto done;
        }
        int *first = &seen[k][kk][(int)idx - lo];
        if (*first) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: sector '%s' %s %d appears twice (first at line %d): "
                              "expected one factor per sector, kind and index",
                              path, lt_csv_line(c, r), sec, kind, (int)idx, *first);
            goto done;
        }
        *first = lt_csv_line(c, r);
        dst[(int)idx - lo] = f;
    }
    /* Normalise each sector over the local calendar year of the run start. */
    {
        time_t t = (time_t)floor(start_s + utc_offset_h * 3600.0);
        struct tm tm;
        gmtime_r(&t, &tm);
        p->year = tm.tm_year + 1900;
        struct tm y0 = {0}, y1 = {0};
        y0.tm_year = tm.tm_year;
        y0.tm_mday = 1;
        y1.tm_year = tm.tm_year + 1;
        y1.tm_mday = 1;
        double a = (double)timegm(&y0) - utc_offset_h * 3600.0;
        double b = (double)timegm(&y1) - utc_offset_h * 3600.0;
        for (int k = 0; k < cfg->nsectors; k++) {
            double s = 0.0;
            long n = 0;
            for (double h = a; h < b; h += 3600.0, n++)
                s += raw_factor(p, k, h);
            if (!(s > 0.0)) {
                rc = lt_error_set(err, LT_EINPUT, "%s: sector '%s' has zero emission in every hour of %d: expected some factors above 0",
                                  path, cfg->sectors[k], p->year);
                goto done;
            }
            p->norm[k] = (double)n / s;
        }
    }
done:
    free(seen);
    lt_csv_close(&c);
    return rc;
}
