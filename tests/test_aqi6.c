/* test_aqi6.c — the six-pollutant AQI of HJ 633-2012 and the annual
 * assessment of HJ 663-2013, against values worked by hand from the
 * standards' formulas (each worked in the comment beside it). */
#include "lt_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "policy/annual.h"
#include "policy/aqi.h"

static lt_aqi_table aqi, aqi26;

static int setup(void **state)
{
    (void)state;
    lt_error err;
    lt_error_clear(&err);
    if (lt_aqi_table_read(&aqi, "inputs/policy/aqi_HJ633-2012.ini", &err) ||
        lt_aqi_table_read(&aqi26, "inputs/policy/aqi_HJ633-2026.ini", &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

/* HJ 633-2012 eq. 1 on each scale, rounded up, and the 1-h rules. */
static void iaqi_every_scale(void **state)
{
    (void)state;
    assert_int_equal(aqi.pols, LT_POL_ALL);
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_PM10_24H, 200.0), 125); /* 100 + 50*50/100 */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_SO2_24H, 100.0), 75);   /* 50 + 50*50/100 */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_SO2_24H, 3000.0), 500); /* above the scale */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_NO2_24H, 100.0), 110);  /* 100 + 50*20/100 */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_CO_24H, 5.0), 105);     /* 100 + 50*1/10, mg/m3 */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_O3_8H, 180.0), 119);    /* 100 + 50*20/55 = 118.2 */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_O3_1H, 250.0), 125);    /* 100 + 50*50/100 */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_SO2_1H, 300.0), 72);    /* 50 + 50*150/350 = 71.4 */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_NO2_1H, 150.0), 75);    /* 50 + 50*50/100 */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_CO_1H, 20.0), 120);     /* 100 + 50*10/25 */
    /* the notes: above 800 the 8-h O3 and the 1-h SO2 are not indexed */
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_O3_8H, 800.0), 300);
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_O3_8H, 900.0), -2);
    assert_int_equal(aqi.scale[LT_SCALE_O3_8H].above, LT_SCALE_O3_1H);
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_SO2_1H, 900.0), -2);
    assert_int_equal(aqi.scale[LT_SCALE_SO2_1H].above, LT_SCALE_SO2_24H);
    assert_int_equal(lt_iaqi(&aqi, LT_SCALE_CO_24H, NAN), -1);
    /* the 2026 file: PM2.5 75 ug/m3 is now above the good limit of 60 */
    assert_int_equal(lt_iaqi(&aqi26, LT_SCALE_PM25_24H, 60.0), 100);
    assert_int_equal(lt_iaqi(&aqi26, LT_SCALE_PM25_24H, 75.0), 114); /* 100 + 50*15/55 = 113.6 */
    assert_int_equal(lt_iaqi(&aqi26, LT_SCALE_PM10_24H, 120.0), 100);
    assert_rel(aqi26.annual_limit[LT_POL_PM25], 30.0, 0.0);
}

static lt_aqi_day day_of(double pm25, double pm10, double so2, double no2, double co, double o3_8h, double o3_1h)
{
    lt_aqi_day d;
    memset(&d, 0, sizeof d);
    double c[LT_NPOL] = {pm25, pm10, so2, no2, co, o3_8h};
    memcpy(d.c, c, sizeof c);
    d.o3_1h = o3_1h;
    lt_aqi_day_index(&aqi, &d);
    return d;
}

/* The day's AQI is the largest IAQI; the primary pollutants are those at it. */
static void daily_index_and_primary(void **state)
{
    (void)state;
    char buf[64];
    /* PM2.5 60 -> 82, PM10 200 -> 125, SO2 20 -> 20, NO2 30 -> 38, CO 1 -> 25,
     * O3-8h 120 -> 67, O3-1h 150 -> 47: AQI 125, PM10, lightly polluted */
    lt_aqi_day d = day_of(60, 200, 20, 30, 1, 120, 150);
    assert_int_equal(d.iaqi[LT_POL_PM25], 82);
    assert_int_equal(d.iaqi[LT_POL_NO2], 38);
    assert_int_equal(d.iaqi[LT_POL_O3], 67);
    assert_int_equal(d.aqi, 125);
    assert_int_equal(d.category, 2);
    lt_aqi_primary_names(d.primary, buf, sizeof buf);
    assert_string_equal(buf, "pm10");
    /* a tie: PM2.5 115 and PM10 250 both at 150 */
    d = day_of(115, 250, 20, 30, 1, 120, 150);
    assert_int_equal(d.aqi, 150);
    lt_aqi_primary_names(d.primary, buf, sizeof buf);
    assert_string_equal(buf, "pm25+pm10");
    /* ozone: the 1-h IAQI beats the 8-h one (1-h 250 -> 125, 8-h 150 -> 91.7 -> 92) */
    d = day_of(30, 40, 10, 20, 0.5, 150, 250);
    assert_int_equal(d.iaqi[LT_POL_O3], 125);
    lt_aqi_primary_names(d.primary, buf, sizeof buf);
    assert_string_equal(buf, "o3");
    /* O3-8h above 800 is replaced by the 1-h IAQI: 850 -> 300 + 100*50/200 */
    d = day_of(30, 40, 10, 20, 0.5, 900, 850);
    assert_int_equal(d.iaqi[LT_POL_O3], 325);
    assert_int_equal(d.aqi, 325);
    /* AQI <= 50: no primary pollutant */
    d = day_of(20, 30, 10, 20, 0.5, 60, 80);
    /* PM2.5 20 -> 28.6 -> 29, PM10 30, SO2 10, NO2 20 -> 25, CO 0.5 -> 13, O3-8h 60 -> 30, O3-1h 80 -> 25 */
    assert_int_equal(d.aqi, 30);
    assert_int_equal(d.primary, 0);
    lt_aqi_primary_names(d.primary, buf, sizeof buf);
    assert_string_equal(buf, "");
    /* one invalid pollutant makes the day invalid */
    d = day_of(60, NAN, 20, 30, 1, 120, 150);
    assert_int_equal(d.aqi, -1);
    assert_int_equal(d.category, -1);
}

/* One CST day of hourly O3 from start (00:00 CST = 16:00 UTC). */
static void o3_eight_hour(void **state)
{
    (void)state;
    double start = 1483228800.0 - 8 * 3600.0; /* 2017-01-01 00:00 CST */
    double o3[24], other[24];
    for (int j = 0; j < 24; j++) {
        o3[j] = j >= 12 && j <= 19 ? 200.0 : 100.0;
        other[j] = 10.0;
    }
    const double *x[LT_NPOL] = {other, other, other, other, other, o3};
    lt_aqi_day d[2];
    assert_int_equal(lt_aqi_days(&aqi, x, 24, start, d, 2), 1);
    assert_rel(d[0].c[LT_POL_O3], 200.0, 1e-12); /* the window 12..19 */
    assert_rel(d[0].o3_1h, 200.0, 0.0);
    assert_rel(d[0].c[LT_POL_PM25], 10.0, 1e-12);
    /* without hours 12-14 the window 12..19 has 5 values (< 6): the best
     * valid one is 13..20 = (5 x 200 + 100) / 6 */
    o3[12] = o3[13] = o3[14] = NAN;
    lt_aqi_days(&aqi, x, 24, start, d, 2);
    assert_rel(d[0].c[LT_POL_O3], 1100.0 / 6.0, 1e-12);
    /* hours 0-10 missing: only the windows ending 16..23 have 6 values, 8 < 14 */
    for (int j = 0; j < 24; j++)
        o3[j] = j <= 10 ? NAN : 100.0;
    lt_aqi_days(&aqi, x, 24, start, d, 2);
    assert_true(isnan(d[0].c[LT_POL_O3]));
    assert_true(isnan(d[0].o3_1h)); /* 13 hours < 20 */
    assert_int_equal(d[0].aqi, -1);
    /* ... unless the maximum exceeds the 8-h limit (160) anyway */
    for (int j = 11; j < 24; j++)
        o3[j] = 200.0;
    lt_aqi_days(&aqi, x, 24, start, d, 2);
    assert_rel(d[0].c[LT_POL_O3], 200.0, 1e-12);
    /* a run starting at 06:00 CST: the day has 18 hours, below 20 */
    for (int j = 0; j < 24; j++)
        o3[j] = 100.0;
    assert_int_equal(lt_aqi_days(&aqi, x, 24, start + 6 * 3600.0, d, 2), 2);
    assert_true(isnan(d[0].c[LT_POL_PM25]));
    assert_true(isnan(d[1].c[LT_POL_PM25])); /* 6 hours of the second day */
}

/* HJ 663-2013's percentile: k = 1 + (n - 1) p between order statistics. */
static void percentiles(void **state)
{
    (void)state;
    double x[10];
    for (int i = 0; i < 10; i++)
        x[i] = 10.0 - i; /* unsorted: 10 .. 1 */
    assert_rel(lt_hj663_percentile(x, 10, 0.95), 9.55, 1e-12); /* k = 9.55 */
    assert_rel(lt_hj663_percentile(x, 10, 0.90), 9.1, 1e-12);  /* k = 9.1 */
    assert_rel(lt_hj663_percentile(x, 10, 0.0), 1.0, 0.0);
    assert_rel(lt_hj663_percentile(x, 10, 1.0), 10.0, 0.0);
    double one = 7.0;
    assert_rel(lt_hj663_percentile(&one, 1, 0.95), 7.0, 0.0);
    assert_true(isnan(lt_hj663_percentile(x, 0, 0.5)));
}

/* A year of days (2021, 365 local days): statistics, the index, validity. */
static void annual_year(void **state)
{
    (void)state;
    size_t nd = 365;
    lt_aqi_day *d = malloc(nd * sizeof *d);
    double *work = malloc(nd * sizeof *work);
    double day0 = 1609459200.0 - 8 * 3600.0; /* 2021-01-01 00:00 CST */
    /* every day at the grade II limits: each C_i / S_i = 1 */
    for (size_t i = 0; i < nd; i++)
        d[i] = day_of(35, 70, 60, 40, 4, 160, 180);
    lt_annual a;
    lt_annual_stats(&aqi, d, nd, day0, work, &a);
    assert_int_equal(a.valid_days, 365);
    assert_rel(a.index, 6.0, 1e-12);
    assert_rel(a.co_p95, 4.0, 0.0);
    assert_int_equal(a.good_days, 365); /* PM2.5 35 -> 50, PM10 70 -> 60, CO 4 -> 100, O3-8h 160 -> 100 */
    assert_int_equal(a.primary_days[LT_POL_O3], 365); /* tied with CO: both count */
    assert_int_equal(a.primary_days[LT_POL_CO], 365);
    assert_int_equal(a.primary_days[LT_POL_PM25], 0);
    assert_int_equal(a.year_valid, 1);
    /* 73 heavy days of PM2.5 200 (IAQI 250), the rest at 35: mean and p95 */
    for (size_t i = 0; i < nd; i++)
        d[i] = day_of(i % 5 == 0 ? 200.0 : 35.0, 70, 60, 40, 1.0 + (double)i / 364.0, 100, 120);
    lt_annual_stats(&aqi, d, nd, day0, work, &a);
    assert_int_equal(a.heavy_days, 73);
    assert_int_equal(a.good_days, 292);
    assert_rel(a.good_ratio, 292.0 / 365.0, 1e-12);
    assert_rel(a.mean[LT_POL_PM25], (73 * 200.0 + 292 * 35.0) / 365.0, 1e-12);
    /* CO rises linearly 1 .. 2 mg/m3: k = 1 + 364 x 0.95 = 346.8 -> X(346) + 0.8 / 364 = 1 + 345.8 / 364 */
    assert_rel(a.co_p95, 1.0 + 345.8 / 364.0, 1e-12);
    assert_int_equal(a.primary_days[LT_POL_PM25], 73);
    /* February (local days 31..58) with 25 valid days: still valid; 24: not */
    for (size_t i = 31; i < 34; i++)
        d[i].aqi = -1;
    lt_annual_stats(&aqi, d, nd, day0, work, &a);
    assert_int_equal(a.valid_days, 362);
    assert_int_equal(a.year_valid, 1);
    d[34].aqi = -1;
    lt_annual_stats(&aqi, d, nd, day0, work, &a);
    assert_int_equal(a.year_valid, 0);
    /* 27 valid days in every month and 25 in February: 322 < 324 days */
    int y, m, prev = 0, n = 0;
    for (size_t i = 0; i < nd; i++) {
        lt_local_day_month(&aqi, day0, i, &y, &m);
        if (m != prev)
            n = 0;
        prev = m;
        d[i] = day_of(35, 70, 60, 40, 4, 160, 180);
        if (++n > (m == 2 ? 25 : 27))
            d[i].aqi = -1;
    }
    lt_annual_stats(&aqi, d, nd, day0, work, &a);
    assert_int_equal(a.valid_days, 322);
    assert_int_equal(a.year_valid, 0);
    lt_local_day_month(&aqi, day0, 364, &y, &m);
    assert_int_equal(y, 2021);
    assert_int_equal(m, 12);
    free(d);
    free(work);
}

/* Rule files: PM2.5 alone still reads; a partial six-pollutant file does not. */
static void rule_files(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/aqi.ini", dir);
    const char *base = "[aqi]\nname = pm\npm25_24h_breakpoints_ugm3 = 0, 35, 75, 115, 150, 250, 350, 500\n"
                       "iaqi_breakpoints = 0, 50, 100, 150, 200, 300, 400, 500\ncategory_upper = 50, 100, 150, 200, 300\n"
                       "categories = a, b, c, d, e, f\nmin_hours_per_day = 20\npm25_24h_limit_ugm3 = 75\n";
    write_text(p, base);
    lt_aqi_table t;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_aqi_table_read(&t, p, &err), 0);
    assert_int_equal(t.pols, 1u << LT_POL_PM25);
    lt_aqi_day d;
    memset(&d, 0, sizeof d);
    d.c[LT_POL_PM25] = 100.0;
    for (int q = 1; q < LT_NPOL; q++)
        d.c[q] = NAN; /* not assessed: PM2.5 alone decides */
    d.o3_1h = NAN;
    lt_aqi_day_index(&t, &d);
    assert_int_equal(d.aqi, 132);
    char text[1200];
    snprintf(text, sizeof text, "%spm10_24h_breakpoints_ugm3 = 0, 50, 150\n", base);
    write_text(p, text);
    lt_error_clear(&err);
    assert_int_not_equal(lt_aqi_table_read(&t, p, &err), 0);
    assert_non_null(strstr(err.msg, "1 of the 6 daily scales"));
    snprintf(text, sizeof text, "%so3_1h_above_last = o3_2h\no3_1h_breakpoints_ugm3 = 0, 160\n", base);
    write_text(p, text);
    lt_error_clear(&err);
    assert_int_not_equal(lt_aqi_table_read(&t, p, &err), 0);
    assert_non_null(strstr(err.msg, "o3_2h"));
    snprintf(text, sizeof text, "%sco_24h_breakpoints_mgm3 = 0, 4, 2\n", base);
    write_text(p, text);
    lt_error_clear(&err);
    assert_int_not_equal(lt_aqi_table_read(&t, p, &err), 0);
    assert_non_null(strstr(err.msg, "co_24h_breakpoints_mgm3 breakpoint 3 = 2"));
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iaqi_every_scale), cmocka_unit_test(daily_index_and_primary),
        cmocka_unit_test(o3_eight_hour),    cmocka_unit_test(percentiles),
        cmocka_unit_test(annual_year),      cmocka_unit_test(rule_files),
    };
    return cmocka_run_group_tests_name("six-pollutant AQI and HJ 663", tests, setup, NULL);
}
