/* test_aqi.c — AQI (HJ 633-2012) and alert levels (2018 unified rules) read from
 * the policy files in inputs/policy, against worked values and synthetic series. */
#include "lt_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policy/alert.h"
#include "policy/aqi.h"
#include "policy/assess.h"
#include "fixture.h"

static lt_aqi_table aqi;
static lt_alert_rules rules2018, rules2026;

static int setup(void **state)
{
    (void)state;
    lt_error err;
    lt_error_clear(&err);
    if (lt_aqi_table_read(&aqi, "inputs/policy/aqi_HJ633-2012.ini", &err) ||
        lt_alert_rules_read(&rules2018, "inputs/policy/alert_2018.ini", &err) ||
        lt_alert_rules_read(&rules2026, "inputs/policy/alert_2026-draft.ini", &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

/* HJ 633-2012 eq. 1: IAQI = (IH - IL)/(BH - BL) (C - BL) + IL, rounded up. */
static void iaqi_worked_values(void **state)
{
    (void)state;
    assert_int_equal(lt_iaqi_pm25(&aqi, 100.0), 132); /* 100 + 50*25/40 = 131.25 */
    assert_int_equal(lt_iaqi_pm25(&aqi, 35.0), 50);
    assert_int_equal(lt_iaqi_pm25(&aqi, 75.0), 100);
    assert_int_equal(lt_iaqi_pm25(&aqi, 75.1), 101);  /* 100.125 rounded up */
    assert_int_equal(lt_iaqi_pm25(&aqi, 0.0), 0);
    assert_int_equal(lt_iaqi_pm25(&aqi, 10.0), 15);   /* 14.29 rounded up */
    assert_int_equal(lt_iaqi_pm25(&aqi, 150.0), 200);
    assert_int_equal(lt_iaqi_pm25(&aqi, 200.0), 250);
    assert_int_equal(lt_iaqi_pm25(&aqi, 250.0), 300);
    assert_int_equal(lt_iaqi_pm25(&aqi, 425.0), 450);
    assert_int_equal(lt_iaqi_pm25(&aqi, 800.0), 500);
    assert_int_equal(lt_iaqi_pm25(&aqi, NAN), -1);
}

static void category_bounds(void **state)
{
    (void)state;
    const int aqis[] = {0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500};
    const int cats[] = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    for (int i = 0; i < 12; i++)
        assert_int_equal(lt_aqi_category(&aqi, aqis[i]), cats[i]);
    assert_string_equal(aqi.cat_name[1], "good");
    assert_string_equal(aqi.cat_name[4], "heavily polluted");
    assert_int_equal(lt_aqi_category(&aqi, -1), -1);
}

/* A day needs at least 20 hourly values; days are UTC+8 calendar days. */
static void daily_validity(void **state)
{
    (void)state;
    /* start 2017-01-01T16:00Z = 2017-01-02 00:00 CST: 48 hours = two CST days */
    double start = 1483228800.0 + 16 * 3600.0, day0, daily[4];
    double h[48];
    for (int i = 0; i < 48; i++)
        h[i] = i < 24 ? 10.0 : 30.0;
    for (int i = 24; i < 29; i++)
        h[i] = NAN; /* day 2 keeps 19 values: invalid */
    size_t n = lt_daily_means(&aqi, h, 48, start, daily, 4, &day0);
    assert_int_equal(n, 2);
    assert_rel(day0, start, 1e-15);
    assert_rel(daily[0], 10.0, 1e-12);
    assert_true(isnan(daily[1]));
    h[24] = 30.0; /* 20 values: valid */
    lt_daily_means(&aqi, h, 48, start, daily, 4, &day0);
    assert_rel(daily[1], 30.0, 1e-12);
    /* a run starting at 00:00 UTC spans 08:00 CST: its first CST day has 16 hours */
    n = lt_daily_means(&aqi, h, 48, 1483228800.0, daily, 4, &day0);
    assert_int_equal(n, 3);
    assert_rel(day0, 1483228800.0 - 8 * 3600.0, 1e-15);
    assert_true(isnan(daily[0]));
    /* the running 24-h mean needs 20 values too */
    double r[48];
    for (int i = 0; i < 48; i++)
        h[i] = 50.0;
    lt_running24(&aqi, h, 48, r);
    assert_true(isnan(r[18]));
    assert_rel(r[19], 50.0, 1e-12);
}

/* A synthetic series: `hours` of AQI `value` after 10 clean hours, then clean. */
static int *series(size_t nh, int start, int hours, int value)
{
    int *a = malloc(nh * sizeof *a);
    for (size_t i = 0; i < nh; i++)
        a[i] = ((int)i >= start && (int)i < start + hours) ? value : 80;
    return a;
}

static int max_level(const lt_alert_rules *r, const int *a, size_t nh, int lead, int *first)
{
    int *lv = malloc(nh * sizeof *lv);
    lt_alert_levels(r, a, nh, lead, lv);
    int m = 0;
    *first = -1;
    for (size_t i = 0; i < nh; i++) {
        if (lv[i] > m)
            m = lv[i];
        if (lv[i] && *first < 0)
            *first = (int)i;
    }
    free(lv);
    return m;
}

static void alert_2018_edges(void **state)
{
    (void)state;
    const size_t nh = 240;
    int first, *a;
    struct { int hours, value, level; } cases[] = {
        {47, 250, 0}, {48, 250, 1},   /* yellow needs 48 h above 200 */
        {71, 250, 1}, {72, 250, 2},   /* orange 72 h */
        {96, 250, 2},                 /* 96 h but never above 300: still orange */
        {95, 320, 2}, {96, 320, 3},   /* red: 96 h with > 300 throughout */
        {48, 200, 0},                 /* AQI = 200 is not above 200 */
        {1, 500, 3},                  /* reaching 500 is red at once */
        {1, 499, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        a = series(nh, 10, cases[i].hours, cases[i].value);
        int got = max_level(&rules2018, a, nh, 0, &first);
        if (got != cases[i].level)
            print_error("%d h at AQI %d: level %d, expected %d\n", cases[i].hours, cases[i].value,
                        got, cases[i].level);
        assert_int_equal(got, cases[i].level);
        if (got)
            assert_int_equal(first, 10);
        free(a);
    }
    /* red's second condition: 96 h above 200, of which 47 or 48 consecutive above 300 */
    a = series(nh, 10, 96, 250);
    for (int i = 30; i < 77; i++)
        a[i] = 320;
    assert_int_equal(max_level(&rules2018, a, nh, 0, &first), 2);
    a[77] = 320;
    assert_int_equal(max_level(&rules2018, a, nh, 0, &first), 3);
    /* a missing hour breaks the run: 30 h, then 65 h above 200 is only yellow */
    a[40] = -1;
    assert_int_equal(max_level(&rules2018, a, nh, 0, &first), 1);
    free(a);
    /* the lead time opens the window earlier */
    a = series(nh, 30, 50, 250);
    assert_int_equal(max_level(&rules2018, a, nh, 24, &first), 1);
    assert_int_equal(first, 6);
    free(a);
}

static void alert_rule_versions(void **state)
{
    (void)state;
    int first;
    /* 60 h at AQI 180: nothing in 2018, yellow under the stricter draft */
    int *a = series(200, 10, 60, 180);
    assert_int_equal(max_level(&rules2018, a, 200, 0, &first), 0);
    assert_int_equal(max_level(&rules2026, a, 200, 0, &first), 1);
    free(a);
    assert_string_equal(rules2018.name, "2018-unified");
    assert_int_equal(rules2018.nlevels, 3);
    assert_string_equal(rules2018.level[2].name, "red");
}

/* A policy file with an unknown key or a bad value fails with file and line. */
static void bad_policy_files(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/alert.ini", dir);
    write_text(p, "[rules]\nname = x\nthreshold_aqi = 200\nlevels = yellow\n[yellow]\nmin_hour = 48\n");
    lt_alert_rules r;
    lt_error err;
    lt_error_clear(&err);
    assert_int_not_equal(lt_alert_rules_read(&r, p, &err), 0);
    if (!strstr(err.msg, "alert.ini:6:"))
        print_error("%s\n", err.msg);
    assert_non_null(strstr(err.msg, "alert.ini:6: unknown key 'min_hour' in [yellow]"));
    write_text(p, "[aqi]\npm25_24h_breakpoints_ugm3 = 0, 35, 30\niaqi_breakpoints = 0, 50, 100\n"
                  "category_upper = 50\ncategories = a, b\nmin_hours_per_day = 20\npm25_24h_limit_ugm3 = 75\n");
    lt_aqi_table t;
    lt_error_clear(&err);
    assert_int_not_equal(lt_aqi_table_read(&t, p, &err), 0);
    assert_non_null(strstr(err.msg, "does not increase"));
    remove_case(dir);
}

/* The assessment of two stations over three CST days. */
static void assessment(void **state)
{
    (void)state;
    /* start at 16:00 UTC = 00:00 CST; 72 hours: days of 60, 160 and 260 ug/m3 (city means) */
    double start = 1483228800.0 + 16 * 3600.0;
    size_t nh = 72, nst = 2;
    double st[72 * 2];
    for (size_t h = 0; h < nh; h++) {
        double base = h < 24 ? 60.0 : (h < 48 ? 160.0 : 260.0);
        st[h * nst + 0] = base - 10.0;
        st[h * nst + 1] = base + 10.0;
    }
    lt_assessment a;
    assert_int_equal(lt_assess(&a, &aqi, &rules2018, 0, st, nh, nst, start, NULL), 0);
    assert_int_equal(a.ndays, 3);
    assert_rel(a.city_pm25[1], 160.0, 1e-12);
    assert_int_equal(a.city_aqi[0], lt_iaqi_pm25(&aqi, 60.0));   /* 82 */
    assert_int_equal(a.city_aqi[1], 210);                        /* 200 + 100*10/100 */
    assert_int_equal(a.st_aqi[1 * nst + 0], lt_iaqi_pm25(&aqi, 150.0));
    assert_int_equal(a.city_aqi[2], 310);                        /* 300 + 100*10/100 */
    assert_int_equal(a.city_cat[2], 5);                          /* severely polluted */
    assert_int_equal(a.valid_days, 3);
    assert_int_equal(a.good_days, 1);
    assert_int_equal(a.heavy_days, 2);
    assert_int_equal(a.exceed_days, 2);
    /* the running 24-h AQI exceeds 200 from hour 45 on: 27 h, below 48: no alert */
    assert_int_equal(a.alert_days, 0);
    /* counties: station 0 alone, station 1 alone */
    const int county_of[2] = {0, 1};
    assert_int_equal(lt_assess_counties(&a, &aqi, county_of, 2), 0);
    assert_rel(a.county_pm25[1 * 2 + 0], 150.0, 1e-12);
    assert_rel(a.county_pm25[1 * 2 + 1], 170.0, 1e-12);
    assert_int_equal(a.county_aqi[2 * 2 + 1], lt_iaqi_pm25(&aqi, 270.0));
    assert_rel(a.county_mean[0], (50.0 + 150.0 + 250.0) / 3.0, 1e-12);
    lt_assessment_free(&a);
}

/* The alerts follow the whole AQI: NO2 at 600 ug/m3 (24-h IAQI 300 + 100 x
 * 35/185 = 319) raises them where PM2.5 (50, IAQI 72) alone would not; with
 * PM2.5 alone the running index is the old one (lt_running24 + lt_iaqi_pm25). */
static void alerts_on_the_whole_aqi(void **state)
{
    (void)state;
    double start = 1483228800.0 + 16 * 3600.0;
    size_t nh = 120, nst = 2;
    double *st = malloc(nh * nst * sizeof *st), *no2 = malloc(nh * sizeof *no2), *co = malloc(nh * sizeof *co);
    for (size_t h = 0; h < nh; h++) {
        st[h * nst] = st[h * nst + 1] = 50.0;
        no2[h] = 600.0;
        co[h] = 1.0;
    }
    lt_assessment a;
    assert_int_equal(lt_assess(&a, &aqi, &rules2018, 0, st, nh, nst, start, NULL), 0);
    assert_int_equal(a.alert_days, 0);
    lt_assessment_free(&a);
    const double *bg[6] = {NULL, NULL, NULL, no2, co, NULL};
    assert_int_equal(lt_assess(&a, &aqi, &rules2018, 0, st, nh, nst, start, bg), 0);
    /* valid from hour 19 (20 values) on: 101 hours above 300, red */
    assert_int_equal(a.alert_hour[18], 0);
    int top = 0;
    for (size_t h = 0; h < nh; h++)
        top = a.alert_hour[h] > top ? a.alert_hour[h] : top;
    assert_int_equal(top, 3);
    assert_true(a.alert_days > 0);
    assert_int_equal(a.city_aqi[1], lt_iaqi_pm25(&aqi, 50.0)); /* the daily values stay PM2.5's */
    lt_assessment_free(&a);
    /* PM2.5 alone: lt_aqi_running is the old running index */
    int *run = malloc(nh * sizeof *run);
    double *r24 = malloc(nh * sizeof *r24), *pm = malloc(nh * sizeof *pm);
    for (size_t h = 0; h < nh; h++)
        pm[h] = h % 7 == 3 ? NAN : 40.0 + 30.0 * sin(0.3 * (double)h) + (double)h;
    const double *x[6] = {pm, NULL, NULL, NULL, NULL, NULL};
    lt_aqi_running(&aqi, x, nh, run);
    lt_running24(&aqi, pm, nh, r24);
    for (size_t h = 0; h < nh; h++)
        assert_int_equal(run[h], lt_iaqi_pm25(&aqi, r24[h]));
    free(run);
    free(r24);
    free(pm);
    free(st);
    free(no2);
    free(co);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iaqi_worked_values),
        cmocka_unit_test(category_bounds),
        cmocka_unit_test(daily_validity),
        cmocka_unit_test(alert_2018_edges),
        cmocka_unit_test(alert_rule_versions),
        cmocka_unit_test(bad_policy_files),
        cmocka_unit_test(assessment),
        cmocka_unit_test(alerts_on_the_whole_aqi),
    };
    return cmocka_run_group_tests_name("aqi and alerts", tests, setup, NULL);
}
