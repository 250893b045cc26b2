/* assess.c — daily AQI statistics and alert days of a run (see assess.h). */
#include "policy/assess.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/config.h"

size_t lt_assess_ndays(const lt_aqi_table *t, double start_s, int hours)
{
    double day0 = lt_local_day_start(start_s, t->utc_offset_h);
    return (size_t)lt_local_day_index(start_s + 3600.0 * (hours - 1), day0) + 1;
}

void lt_assessment_free(lt_assessment *a)
{
    free(a->st_pm25);
    free(a->st_aqi);
    free(a->city_pm25);
    free(a->city_aqi);
    free(a->city_cat);
    free(a->alert_day);
    free(a->alert_hour);
    free(a->county_pm25);
    free(a->county_aqi);
    free(a->county_mean);
    memset(a, 0, sizeof *a);
}

int lt_assess(lt_assessment *a, const lt_aqi_table *t, const lt_alert_rules *rules,
              int lead_hours, const double *st, size_t nh, size_t nst, double start_s,
              const double *const *bg)
{
    memset(a, 0, sizeof *a);
    size_t nd = lt_assess_ndays(t, start_s, (int)nh);
    a->ndays = nd;
    a->nst = nst;
    a->st_pm25 = malloc(nd * (nst ? nst : 1) * sizeof *a->st_pm25);
    a->st_aqi = malloc(nd * (nst ? nst : 1) * sizeof *a->st_aqi);
    a->city_pm25 = malloc(nd * sizeof *a->city_pm25);
    a->city_aqi = malloc(nd * sizeof *a->city_aqi);
    a->city_cat = malloc(nd * sizeof *a->city_cat);
    a->alert_day = calloc(nd, sizeof *a->alert_day);
    a->alert_hour = calloc(nh, sizeof *a->alert_hour);
    double *series = malloc(nh * sizeof *series), *daily = malloc(nd * sizeof *daily);
    double *run24 = malloc(nh * sizeof *run24);
    int *aqi_h = malloc(nh * sizeof *aqi_h);
    if (!a->st_pm25 || !a->st_aqi || !a->city_pm25 || !a->city_aqi || !a->city_cat ||
        !a->alert_day || !a->alert_hour || !series || !daily || !run24 || !aqi_h) {
        free(series);
        free(daily);
        free(run24);
        free(aqi_h);
        lt_assessment_free(a);
        return -1;
    }
    a->day0_s = lt_local_day_start(start_s, t->utc_offset_h);
    for (size_t k = 0; k < nst; k++) {
        for (size_t h = 0; h < nh; h++)
            series[h] = st[h * nst + k];
        lt_daily_means(t, series, nh, start_s, daily, nd, &a->day0_s);
        for (size_t d = 0; d < nd; d++) {
            a->st_pm25[d * nst + k] = daily[d];
            a->st_aqi[d * nst + k] = lt_iaqi_pm25(t, daily[d]);
        }
    }
    double sum = 0.0;
    for (size_t d = 0; d < nd; d++) {
        /* The city value: the mean over the stations with a valid day. */
        double s = 0.0;
        int n = 0;
        for (size_t k = 0; k < nst; k++)
            if (!isnan(a->st_pm25[d * nst + k])) {
                s += a->st_pm25[d * nst + k];
                n++;
            }
        a->city_pm25[d] = n ? s / n : NAN;
        a->city_aqi[d] = lt_iaqi_pm25(t, a->city_pm25[d]);
        a->city_cat[d] = lt_aqi_category(t, a->city_aqi[d]);
        if (a->city_aqi[d] < 0)
            continue;
        a->valid_days++;
        sum += a->city_pm25[d];
        a->good_days += a->city_aqi[d] <= t->cat_upper[1];
        a->heavy_days += a->city_aqi[d] > t->cat_upper[3];
        a->exceed_days += a->city_pm25[d] > t->pm25_limit;
    }
    a->city_mean = a->valid_days ? sum / a->valid_days : NAN;
    if (rules) {
        for (size_t h = 0; h < nh; h++) {
            double s = 0.0;
            for (size_t k = 0; k < nst; k++)
                s += st[h * nst + k];
            series[h] = nst ? s / (double)nst : NAN;
        }
        /* run24 holds the city's PM10 when the coarse part is given */
        const double *x[LT_NPOL] = {series, NULL, NULL, NULL, NULL, NULL};
        for (int p = 1; p < LT_NPOL && bg; p++)
            x[p] = bg[p];
        if (x[LT_POL_PM10]) {
            for (size_t h = 0; h < nh; h++)
                run24[h] = series[h] + bg[LT_POL_PM10][h];
            x[LT_POL_PM10] = run24;
        }
        lt_aqi_running(t, x, nh, aqi_h);
        lt_alert_levels(rules, aqi_h, nh, lead_hours, a->alert_hour);
        for (size_t h = 0; h < nh; h++) {
            size_t d = (size_t)lt_local_day_index(start_s + 3600.0 * (double)h, a->day0_s);
            if (d < nd && a->alert_hour[h] > a->alert_day[d])
                a->alert_day[d] = a->alert_hour[h];
        }
        for (size_t d = 0; d < nd; d++)
            a->alert_days += a->alert_day[d] > 0;
    }
    free(series);
    free(daily);
    free(run24);
    free(aqi_h);
    return 0;
}

int lt_assess_counties(lt_assessment *a, const lt_aqi_table *t, const int *county_of,
                       size_t ncounty)
{
    size_t nd = a->ndays, nst = a->nst;
    a->ncounty = ncounty;
    a->county_pm25 = malloc(nd * (ncounty ? ncounty : 1) * sizeof *a->county_pm25);
    a->county_aqi = malloc(nd * (ncounty ? ncounty : 1) * sizeof *a->county_aqi);
    a->county_mean = malloc((ncounty ? ncounty : 1) * sizeof *a->county_mean);
    if (!a->county_pm25 || !a->county_aqi || !a->county_mean)
        return -1;
    for (size_t c = 0; c < ncounty; c++) {
        double msum = 0.0;
        int mn = 0;
        for (size_t d = 0; d < nd; d++) {
            double s = 0.0;
            int n = 0;
            for (size_t k = 0; k < nst; k++)
                if ((size_t)county_of[k] == c && !isnan(a->st_pm25[d * nst + k])) {
                    s += a->st_pm25[d * nst + k];
                    n++;
                }
            double v = n ? s / n : NAN;
            a->county_pm25[d * ncounty + c] = v;
            a->county_aqi[d * ncounty + c] = lt_iaqi_pm25(t, v);
            if (n) {
                msum += v;
                mn++;
            }
        }
        a->county_mean[c] = mn ? msum / mn : NAN;
    }
    return 0;
}
