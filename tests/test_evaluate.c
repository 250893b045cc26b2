/* test_evaluate.c — the model-versus-observation statistics against values
 * computed by hand, the benchmark verdicts, the contingency scores, the
 * relative response factor, and the observation readers on the real CNEMC
 * sample (inputs/observations/cnemc_2022-01) and on synthetic archives. */
#include "lt_test.h"

#include <string.h>
#include <sys/stat.h>

#include "core/lt_time.h"
#include "io/obs.h"
#include "policy/evaluate.h"
#include "fixture.h"

#define SAMPLE "inputs/observations/cnemc_2022-01"

/* M = 2, 4, 6 against O = 1, 3, 8 (and a missing hour that must be skipped):
 * means 4 and 4; MB 0; NME 100 (1 + 1 + 2) / 12; MFB 100 (2/3)(1/3 + 1/7 - 2/14);
 * MFE 100 (2/3)(1/3 + 1/7 + 1/7); RMSE sqrt(6/3); r = 14 / sqrt(8 x 26);
 * IOA = 1 - 6 / (25 + 1 + 36); all three pairs within a factor of two. */
static void stats_by_hand(void **state)
{
    (void)state;
    double m[] = {2, 4, NAN, 6, 9}, o[] = {1, 3, 5, 8, NAN};
    lt_eval_stats s;
    lt_eval_compute(m, o, 5, &s);
    assert_int_equal(s.n, 3);
    assert_rel(s.obs_mean, 4.0, 1e-12);
    assert_rel(s.mod_mean, 4.0, 1e-12);
    assert_true(fabs(s.mb) < 1e-12);
    assert_true(fabs(s.nmb) < 1e-12);
    assert_rel(s.nme, 100.0 * 4.0 / 12.0, 1e-12);
    assert_rel(s.mfb, 100.0 * 2.0 / 3.0 * (1.0 / 3.0 + 1.0 / 7.0 - 2.0 / 14.0), 1e-12);
    assert_rel(s.mfe, 100.0 * 2.0 / 3.0 * (1.0 / 3.0 + 1.0 / 7.0 + 2.0 / 14.0), 1e-12);
    assert_rel(s.rmse, sqrt(2.0), 1e-12);
    assert_rel(s.r, 14.0 / sqrt(208.0), 1e-12);
    assert_rel(s.ioa, 1.0 - 6.0 / 62.0, 1e-12);
    assert_rel(s.fac2, 1.0, 1e-12);
}

/* A model biased high by 50 %: NMB +50 %, MB half the observed mean, r = 1,
 * MFB = MFE = 100 x 2 x 0.5 / 2.5 = 40 %; FAC2 counts 3 of 4 when one
 * modelled value is 2.5 times its observation. */
static void stats_biased(void **state)
{
    (void)state;
    double o[] = {10, 20, 30, 40}, m[] = {15, 30, 45, 60};
    lt_eval_stats s;
    lt_eval_compute(m, o, 4, &s);
    assert_rel(s.nmb, 50.0, 1e-12);
    assert_rel(s.nme, 50.0, 1e-12);
    assert_rel(s.mb, 12.5, 1e-12);
    assert_rel(s.r, 1.0, 1e-12);
    assert_rel(s.mfb, 40.0, 1e-12);
    assert_rel(s.mfe, 40.0, 1e-12);
    m[0] = 25; /* 2.5 x 10 */
    lt_eval_compute(m, o, 4, &s);
    assert_rel(s.fac2, 0.75, 1e-12);
}

/* All-equal series: no error, but r and IOA are undefined (NaN); a zero
 * observed mean leaves NMB and NME undefined, while MFB, MFE and FAC2 stay
 * defined (a pair 0, 0 adds nothing to MFB and counts within a factor of 2). */
static void stats_degenerate(void **state)
{
    (void)state;
    double a[] = {5, 5, 5};
    lt_eval_stats s;
    lt_eval_compute(a, a, 3, &s);
    assert_int_equal(s.n, 3);
    assert_true(fabs(s.nmb) < 1e-12 && fabs(s.rmse) < 1e-12);
    assert_true(isnan(s.r) && isnan(s.ioa));
    assert_rel(s.fac2, 1.0, 0);
    double o[] = {0, 0}, m[] = {0, 1};
    lt_eval_compute(m, o, 2, &s);
    assert_true(isnan(s.nmb) && isnan(s.nme));
    assert_rel(s.mfb, 100.0, 1e-12);  /* (2/2) (0 + 1/1) */
    assert_rel(s.mfe, 100.0, 1e-12);
    assert_rel(s.fac2, 0.5, 1e-12);
    double nan2[] = {NAN, NAN};
    lt_eval_compute(nan2, o, 2, &s);
    assert_int_equal(s.n, 0);
    assert_true(isnan(s.obs_mean) && isnan(s.nmb) && isnan(s.fac2));
}

/* Emery et al. (2017): strict limits (NME 35 % misses the goal); Boylan &
 * Russell (2006): inclusive (|MFB| 30 % meets it). */
static void benchmarks(void **state)
{
    (void)state;
    const lt_benchmark *b[4];
    assert_int_equal(lt_benchmarks_for("pm25", b, 4), 2);
    assert_int_equal(lt_benchmarks_for("o3_8h", b + 2, 2), 1);
    lt_eval_stats s = {.nmb = -12, .nme = 35, .r = 0.7, .mfb = -30, .mfe = 75.1};
    assert_int_equal(lt_bench_verdict(b[0], "nmb", &s), LT_BENCH_CRITERIA);
    assert_int_equal(lt_bench_verdict(b[0], "nme", &s), LT_BENCH_CRITERIA);
    assert_int_equal(lt_bench_verdict(b[0], "r", &s), LT_BENCH_CRITERIA);
    assert_int_equal(lt_bench_verdict(b[0], "mfb", &s), LT_BENCH_NA);
    assert_int_equal(lt_bench_verdict(b[1], "mfb", &s), LT_BENCH_GOAL);
    assert_int_equal(lt_bench_verdict(b[1], "mfe", &s), LT_BENCH_NEITHER);
    s.nmb = 9.9;
    s.r = 0.39;
    assert_int_equal(lt_bench_verdict(b[0], "nmb", &s), LT_BENCH_GOAL);
    assert_int_equal(lt_bench_verdict(b[0], "r", &s), LT_BENCH_NEITHER);
    s.nmb = NAN;
    assert_int_equal(lt_bench_verdict(b[0], "nmb", &s), LT_BENCH_NA);
    s.nmb = 4;  /* ozone is stricter */
    assert_int_equal(lt_bench_verdict(b[2], "nmb", &s), LT_BENCH_GOAL);
    s.nmb = 6;
    assert_int_equal(lt_bench_verdict(b[2], "nmb", &s), LT_BENCH_CRITERIA);
}

/* 3 hits, 1 miss, 2 false alarms, 4 correct negatives: POD 3/4, FAR 2/5,
 * CSI 3/6. */
static void contingency(void **state)
{
    (void)state;
    int obs[] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0}, mod[] = {1, 1, 1, 0, 1, 1, 0, 0, 0, 0};
    lt_contingency t = {0};
    for (int i = 0; i < 10; i++)
        lt_contingency_add(&t, obs[i], mod[i]);
    lt_contingency_scores(&t);
    assert_int_equal(t.a, 3);
    assert_int_equal(t.b, 1);
    assert_int_equal(t.c, 2);
    assert_int_equal(t.d, 4);
    assert_rel(t.pod, 0.75, 1e-12);
    assert_rel(t.far, 0.4, 1e-12);
    assert_rel(t.csi, 0.5, 1e-12);
    lt_contingency none = {0};
    lt_contingency_add(&none, 0, 0);
    lt_contingency_scores(&none);
    assert_true(isnan(none.pod) && isnan(none.far) && isnan(none.csi));
}

/* RRF worked example: baseline 10, 20, 30 and scenario 5, 10, 30 give
 * 45 / 60 = 0.75; restricted to the days with an observation (1st and 3rd),
 * 35 / 40 = 0.875. */
static void rrf(void **state)
{
    (void)state;
    double base[] = {10, 20, 30}, scen[] = {5, 10, 30}, have[] = {80, NAN, 120};
    assert_rel(lt_rrf(base, scen, NULL, 3), 0.75, 1e-12);
    assert_rel(lt_rrf(base, scen, have, 3), 0.875, 1e-12);
    double zero[] = {0, 0, 0};
    assert_true(isnan(lt_rrf(zero, scen, NULL, 3)));
}

static double iso(const char *s)
{
    double t;
    assert_int_equal(lt_parse_time_zoned(s, NAN, &t), 0);
    return t;
}

/* Reads and finishes the observations of path (a file or folder). */
static lt_obs *read_obs(const char *path)
{
    lt_obs *o;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_obs_create(&o, &err), 0);
    int rc = lt_obs_read(o, path, &err);
    if (rc)
        fail_msg("%s", err.msg);
    assert_int_equal(lt_obs_finish(o, &err), 0);
    return o;
}

static void remove_dir(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* The shared sample: 21 stations plus one with a single hour, the file of
 * 2022-01-01T00 (hour-ending, CST) is the hour 23-24 CST of 31 December,
 * i.e. 15:00-16:00 UTC, and its 24-h columns are 31 December's means. The
 * ozone columns are swapped in the source: o3_24h is the 1-h value. */
static void cnemc_sample(void **state)
{
    (void)state;
    lt_obs *o = read_obs(SAMPLE);
    assert_int_equal(lt_obs_nstations(o), 22);
    long st = lt_obs_find_station(o, "1462A");
    assert_true(st >= 0);
    const lt_obs_station *s = lt_obs_station_at(o, (size_t)st);
    assert_string_equal(s->name, "高压开关厂");
    assert_string_equal(s->city, "西安市");
    assert_rel(s->lon, 108.882, 1e-12);
    /* 2022-01-01T00:00:00,1462A,...,pm10 109,pm10_24h 129,pm2_5 102,pm2_5_24h 120,o3 87,o3_24h 8,o3_8h 71,... */
    double h = iso("2021-12-31T15:00:00Z");
    assert_rel(lt_obs_hourly(o, (size_t)st, LT_OBS_PM25, h), 102, 0);
    assert_rel(lt_obs_hourly(o, (size_t)st, LT_OBS_PM10, h), 109, 0);
    assert_rel(lt_obs_hourly(o, (size_t)st, LT_OBS_O3, h), 8, 0);   /* the o3_24h column */
    assert_rel(lt_obs_hourly(o, (size_t)st, LT_OBS_CO, h), 1.6, 1e-12);
    assert_true(isnan(lt_obs_hourly(o, (size_t)st, LT_OBS_PM25, h - 3600)));
    double d = iso("2021-12-31T00:00:00+08:00");
    int pub = 0;
    assert_rel(lt_obs_daily(o, (size_t)st, LT_OBS_PM25, d, 20, &pub), 120, 0);
    assert_int_equal(pub, 1);
    assert_rel(lt_obs_daily(o, (size_t)st, LT_OBS_O3, d, 20, NULL), 87, 0);     /* max 1-h */
    assert_rel(lt_obs_daily(o, (size_t)st, LT_OBS_O3_8H, d, 20, NULL), 71, 0);  /* MDA8 */
    /* 1 January has three hourly files only: no daily mean from hours, the
     * published mean comes from 2 January's 00:00 file */
    double d1 = iso("2022-01-01T00:00:00+08:00");
    assert_false(isnan(lt_obs_daily(o, (size_t)st, LT_OBS_PM25, d1, 20, &pub)));
    assert_int_equal(pub, 1);
    double first, last;
    lt_obs_period(o, &first, &last);
    assert_rel(first, d, 0);
    lt_obs_counts c = lt_obs_counts_of(o);
    assert_true(c.files >= 18);
    assert_int_equal(c.duplicates, 0);
    assert_true(c.daily > 16 * 20 * 5);
    lt_obs_free(&o);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_text(path, text);
}

#define CNEMC_HEAD "timepoint,stationcode,longitude,latitude,area,positionname,primarypollutant,aqi,pm10,pm10_24h,pm2_5,pm2_5_24h,o3,o3_24h,o3_8h,o3_8h_24h,no2,no2_24h,so2,so2_24h,co,co_24h\n"

/* A user's full archive: one file per hour. A day of 24 hours gives a daily
 * mean from its hours when no 00:00 file of the next day closes it; 19
 * hours (< 20, GB 3095-2012) give none. */
static void cnemc_full_archive(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/lantian-obs-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    double sum = 0;
    for (int h = 1; h <= 23; h++) { /* hours ending 01:00 ... 23:00 of 5 January */
        char name[64], text[1024];
        snprintf(name, sizeof name, "2022-01-05T%02d.csv", h);
        snprintf(text, sizeof text, CNEMC_HEAD "2022-01-05T%02d:00:00,9999A,108.7,34.3,咸阳市,测试,,50,60,60,%d,40,,,,,,,,,,\n"
                                               "2022-01-05T%02d:00:00,9998A,108.8,34.3,咸阳市,短,,50,60,60,%s,40,,,,,,,,,,\n",
                 h, 10 * h, h, h <= 19 ? "7" : "");
        write_file(dir, name, text);
        sum += 10 * h;
    }
    /* the 24th hour (ending 00:00 of 6 January), whose 24-h column is left empty here */
    write_file(dir, "2022-01-06T00.csv", CNEMC_HEAD "2022-01-06T00:00:00,9999A,108.7,34.3,咸阳市,测试,,50,60,,240,,,,,,,,,,,\n");
    sum += 240;
    lt_obs *o = read_obs(dir);
    long a = lt_obs_find_station(o, "9999A"), b = lt_obs_find_station(o, "9998A");
    int pub = 1;
    double d = iso("2022-01-05T00:00:00+08:00");
    assert_rel(lt_obs_daily(o, (size_t)a, LT_OBS_PM25, d, 20, &pub), sum / 24.0, 1e-12);
    assert_int_equal(pub, 0);
    assert_true(isnan(lt_obs_daily(o, (size_t)b, LT_OBS_PM25, d, 20, NULL)));
    /* hour ending 01:00 CST = 16:00-17:00 UTC of the day before */
    assert_rel(lt_obs_hourly(o, (size_t)a, LT_OBS_PM25, iso("2022-01-04T16:00:00Z")), 10, 0);
    lt_obs_counts c = lt_obs_counts_of(o);
    assert_int_equal(c.files, 24);
    assert_true(c.missing > 0);
    lt_obs_free(&o);
    remove_dir(dir);
}

/* The long layout, with a station list; duplicates and negative values are
 * counted; times carry a zone or are CST. */
static void long_format(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/lantian-obs-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    write_file(dir, "obs.csv",
               "station,time,pollutant,value\n"
               "S1,2022-01-05T00:00:00Z,pm25,50\n"
               "S1,2022-01-05T09:00:00+08:00,PM2.5,55\n"      /* = 01:00Z */
               "S1,2022-01-05T00:00:00Z,pm25,50\n"            /* duplicate, same value */
               "S1,2022-01-05T00:00:00Z,pm25,52\n"            /* duplicate, another value */
               "S1,2022-01-05T02:00:00Z,pm25,-3\n"            /* negative */
               "S1,2022-01-05T03:00:00Z,pm25,\n"              /* missing */
               "S2,2022-01-05 10:00,no2,40\n");               /* CST without a zone */
    write_file(dir, "stations.csv", "stationcode,positionname,city,longitude,latitude\nS1,East,咸阳市,108.45,34.81\n");
    lt_obs *o = read_obs(dir);
    long s1 = lt_obs_find_station(o, "S1"), s2 = lt_obs_find_station(o, "S2");
    assert_true(s1 >= 0 && s2 >= 0);
    assert_rel(lt_obs_station_at(o, (size_t)s1)->lon, 108.45, 1e-12);
    assert_string_equal(lt_obs_station_at(o, (size_t)s1)->city, "咸阳市");
    assert_rel(lt_obs_hourly(o, (size_t)s1, LT_OBS_PM25, iso("2022-01-05T00:00:00Z")), 50, 0);
    assert_rel(lt_obs_hourly(o, (size_t)s1, LT_OBS_PM25, iso("2022-01-05T01:00:00Z")), 55, 0);
    assert_true(isnan(lt_obs_hourly(o, (size_t)s1, LT_OBS_PM25, iso("2022-01-05T02:00:00Z"))));
    assert_rel(lt_obs_hourly(o, (size_t)s2, LT_OBS_NO2, iso("2022-01-05T02:00:00Z")), 40, 0);
    lt_obs_counts c = lt_obs_counts_of(o);
    assert_int_equal(c.duplicates, 2);
    assert_int_equal(c.conflicting, 1);
    assert_int_equal(c.negative, 1);
    assert_int_equal(c.missing, 1);
    assert_int_equal(c.values, 3);
    lt_obs_free(&o);
    remove_dir(dir);
}

/* Malformed files: one error naming the file, the line and the field. */
static void bad_files(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {CNEMC_HEAD "2022-01-05T01:00:00,1462A,108.7,34.3,x,y,,50,60,60,abc,40,,,,,,,,,,\n", ":2: column 'pm2_5' = 'abc': expected a concentration"},
        {CNEMC_HEAD "2022-13-05T01:00:00,1462A,108.7,34.3,x,y,,50,60,60,1,40,,,,,,,,,,\n", ":2: column 'timepoint' = '2022-13-05T01:00:00'"},
        {CNEMC_HEAD "2022-01-05T01:30:00,1462A,108.7,34.3,x,y,,50,60,60,1,40,,,,,,,,,,\n", "expected a whole hour"},
        {"station,time,pollutant,value\nS1,2022-01-05T00:00:00Z,pm1,3\n", ":2: column 'pollutant' = 'pm1'"},
        {"station,time,pollutant,value\nS1,yesterday,pm25,3\n", ":2: column 'time' = 'yesterday'"},
        {"station,time,value\nS1,2022-01-05T00:00:00Z,3\n", "pollutant"},
        {"a,b,c\n1,2,3\n", "expected the CNEMC archive's columns"},
        {"station,time,pollutant,value,averaging\nS1,2022-01-05T03:00:00+08:00,pm25,3,day\n", "expected the start of a day"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char tmpl[] = "/tmp/lantian-obs-XXXXXX";
        char *dir = mkdtemp(tmpl);
        assert_non_null(dir);
        write_file(dir, "bad.csv", cases[i].text);
        char path[256];
        snprintf(path, sizeof path, "%s/bad.csv", dir);
        lt_obs *o;
        lt_error err;
        lt_error_clear(&err);
        assert_int_equal(lt_obs_create(&o, &err), 0);
        int rc = lt_obs_read(o, path, &err);
        if (!rc || !strstr(err.msg, cases[i].want) || !strstr(err.msg, "bad.csv"))
            fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, err.msg, cases[i].want);
        lt_obs_free(&o);
        remove(path);
        rmdir(dir);
    }
    lt_obs *o;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_obs_create(&o, &err), 0);
    assert_int_not_equal(lt_obs_read(o, "/nonexistent/obs", &err), 0);
    assert_non_null(strstr(err.msg, "/nonexistent/obs"));
    lt_obs_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stats_by_hand),      cmocka_unit_test(stats_biased),
        cmocka_unit_test(stats_degenerate),   cmocka_unit_test(benchmarks),
        cmocka_unit_test(contingency),        cmocka_unit_test(rrf),
        cmocka_unit_test(cnemc_sample),       cmocka_unit_test(cnemc_full_archive),
        cmocka_unit_test(long_format),        cmocka_unit_test(bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
