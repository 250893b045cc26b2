/* test_gases.c — the sources' own gases and coarse PM in the six-pollutant
 * AQI: the ozone-limiting method against its closed form (ozone-limited
 * and NOx-limited hours, ozone never negative), the gases' first-order
 * decay, CO at the stations carried by the same kernel as primary PM2.5,
 * coarse PM settling (it removes coarse mass and nothing else), NO2 and O3
 * in the daily table, a scenario's cut of CO, thread invariance, and a
 * PM10 below PM2.5 as an error naming the row. */
#include "lt_test.h"

#include <math.h>
#include <string.h>

#include "fixture.h"
#include "physics/chem.h"
#include "physics/no2.h"
#include "run_helpers.h"

/* OLM (Cole and Summerhays 1979): NO2 = ISR NOx + min((1 - ISR) NOx,
 * (46/48) O3), O3 left = O3 - (48/46) (NO2 - ISR NOx), by hand. */
static void olm_closed_form(void **state)
{
    (void)state;
    double no2, o3;
    /* ozone-limited: 100 NOx, 10 of it in-stack NO2, 40 O3: the 40 O3 make
     * 40 x 46.0055 / 47.9982 = 38.3391 NO2 and are used up */
    lt_no2_olm(100.0, 10.0, 40.0, 0, &no2, &o3);
    assert_rel(no2, 10.0 + 40.0 * 46.0055 / 47.9982, 1e-12);
    assert_true(fabs(o3) < 1e-12);
    /* NOx-limited: 20 NOx, 2 in-stack, 100 O3: all 18 of NO become NO2,
     * using 18 x 47.9982 / 46.0055 = 18.7796 O3 */
    lt_no2_olm(20.0, 2.0, 100.0, 0, &no2, &o3);
    assert_rel(no2, 20.0, 1e-12);
    assert_rel(o3, 100.0 - 18.0 * 47.9982 / 46.0055, 1e-12);
    /* full: all NOx as NO2, the ozone untouched */
    lt_no2_olm(100.0, 10.0, 40.0, 1, &no2, &o3);
    assert_rel(no2, 100.0, 1e-12);
    assert_rel(o3, 40.0, 1e-12);
    /* no ozone: only the in-stack NO2; an in-stack share above the NOx is
     * clamped to it */
    lt_no2_olm(50.0, 5.0, 0.0, 0, &no2, &o3);
    assert_rel(no2, 5.0, 1e-12);
    lt_no2_olm(50.0, 80.0, 30.0, 0, &no2, &o3);
    assert_rel(no2, 50.0, 1e-12);
    assert_rel(o3, 30.0, 1e-12);
}

/* Over a wide range of NOx, in-stack shares and ozone: ozone never below
 * zero nor above its background, NO2 between the in-stack part and the NOx,
 * and the mass of ozone lost matches the NO2 made (mole for mole). */
static void ozone_never_negative(void **state)
{
    (void)state;
    for (int i = 0; i <= 40; i++)
        for (int j = 0; j <= 10; j++)
            for (int k = 0; k <= 40; k++) {
                double nox = 0.5 * i * i, isr = 0.1 * j, o3in = 5.0 * k - 10.0, no2, o3;
                lt_no2_olm(nox, isr * nox, o3in, 0, &no2, &o3);
                double o3b = o3in > 0.0 ? o3in : 0.0;
                assert_true(o3 >= 0.0 && o3 <= o3b + 1e-12);
                assert_true(no2 >= isr * nox - 1e-12 && no2 <= nox + 1e-12);
                assert_true(fabs((o3b - o3) * 46.0055 / 47.9982 - (no2 - isr * nox)) < 1e-9 * (1.0 + nox));
            }
}

/* The gases' decay: SO2 and NOx at conversion + removal, the in-stack NO2
 * as NOx, CO inert, coarse PM at the PM removal plus settling over the
 * mixing height. */
static void gas_decay(void **state)
{
    (void)state;
    lt_chem_params p;
    lt_chem_defaults(&p);
    lt_chem_rates r;
    lt_chem_rates_at(&p, 0.5, 60.0, 1.0, 800.0, &r);
    assert_rel(r.coarse_loss - r.pm_loss, 0.0016 / 800.0, 1e-12);
    lt_gas_src g;
    const double q[LT_NGAS] = {10.0, 20.0, 2.0, 30.0, 40.0};
    lt_gas_src_setup(&g, &r, q);
    double out[LT_NGAS], t = 3600.0;
    lt_gas_src_eval(&g, t, out);
    assert_rel(out[LT_GAS_SO2], 10.0 * exp(-(r.conv[0] + r.loss[0]) * t), 1e-12);
    assert_rel(out[LT_GAS_NOX], 20.0 * exp(-(r.conv[1] + r.loss[1]) * t), 1e-12);
    assert_rel(out[LT_GAS_NO2] / out[LT_GAS_NOX], 0.1, 1e-12);
    assert_rel(out[LT_GAS_CO], 30.0, 1e-15);
    assert_rel(out[LT_GAS_COARSE], 40.0 * exp(-r.coarse_loss * t), 1e-12);
}

/* The fixture's sources with CO, NOx and PM10 at the power plant. */
#define GAS_POINTS                                                                                                 \
    "id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy,pm10_tpy,co_tpy,nox_tpy\n" \
    "P1,Power plant,108.40,34.80,120,4,15,400,coal,A县,A,100,200,%s,%s\n"                                          \
    "P2,Cement kiln,108.38,34.79,60,2,10,380,industry,B县,C,50,50,0,0\n"                                         \
    "P3,Paint booth,108.41,34.81,15,0.8,8,0,solvents,B县,D,5,5,0,0\n"

static void write_points(const char *dir, const char *co, const char *nox)
{
    char path[600], text[2048];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    snprintf(text, sizeof text, GAS_POINTS, co, nox);
    write_text(path, text);
}

/* A background file of 42 hours from 2017-01-01T00Z: row (pm25 to co)
 * constant, ozone o3a + o3b h in hour h of the file. */
static double o3_of(double o3a, double o3b, int h) { return o3a + o3b * h; }

static void write_background(const char *dir, const char *row, double o3a, double o3b)
{
    char path[600], *text = malloc(65536);
    snprintf(text, 65536, "time,pm25,pm10,so2,no2,co,o3\n");
    for (int h = 0; h < 42; h++) {
        size_t l = strlen(text);
        snprintf(text + l, 65536 - l, "2017-01-%02dT%02d:00:00Z,%s,%g\n", 1 + h / 24, h % 24, row,
                 o3_of(o3a, o3b, h));
    }
    snprintf(path, sizeof path, "%s/bg.csv", dir);
    write_text(path, text);
    free(text);
}

/* Runs the gas case into dir/name.nc with extra overrides. */
static void run_gases(const char *dir, const char *name, const char *const *extra, int nextra, int threads)
{
    char bg[600], out[600], met[600];
    met_opts o = met_defaults();
    o.hours = 42;
    snprintf(met, sizeof met, "%s/met.nc", dir);
    write_met(met, &o);
    snprintf(bg, sizeof bg, "background.file=%s/bg.csv", dir);
    snprintf(out, sizeof out, "output.file=%s/%s.nc", dir, name);
    const char *sets[16] = {"run.start=2017-01-01T16:00:00Z", "run.hours=24", bg, out,
                            "assessment.aqi_rules=inputs/policy/aqi_HJ633-2012.ini"};
    int n = 5;
    for (int i = 0; i < nextra; i++)
        sets[n++] = extra[i];
    lt_summary s = run_case(dir, sets, n, threads);
    lt_summary_free(&s);
}

static float *read_out(const char *dir, const char *name, const char *var, size_t *n)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s.nc", dir, name);
    return read_path_var(p, var, n);
}

/* The index of tag name in the output's source_name labels. */
static size_t tag_index(const char *dir, const char *file, const char *name)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s.nc", dir, file);
    int nc, v, d[2];
    size_t n, len;
    assert_int_equal(nc_open(p, NC_NOWRITE, &nc), NC_NOERR);
    assert_int_equal(nc_inq_varid(nc, "source_name", &v), NC_NOERR);
    nc_inq_vardimid(nc, v, d);
    nc_inq_dimlen(nc, d[0], &n);
    nc_inq_dimlen(nc, d[1], &len);
    char *buf = calloc(n * len, 1);
    assert_int_equal(nc_get_var_text(nc, v, buf), NC_NOERR);
    nc_close(nc);
    size_t k = n;
    for (size_t i = 0; i < n; i++) {
        if (!strncmp(buf + i * len, name, len) && (strlen(name) == len || buf[i * len + strlen(name)] == '\0'))
            k = i;
    }
    free(buf);
    assert_true(k < n);
    return k;
}

/* CO is inert: at each station and hour, 1000 x station_co_local (mg/m3)
 * is 2000 times the plant's PM2.5 (no removal without chemistry) when it
 * emits 2000 times as much CO as PM2.5, by the same kernel; the daily CO is the background plus
 * the day's mean of it, and a scenario halving CO halves the increment. The
 * same on 1 and 2 threads. */
static void co_follows_the_plume(void **state)
{
    (void)state;
    char *dir = make_case();
    write_points(dir, "200000", "0");
    write_background(dir, "30,60,10,40,1.0", 50.0, 0.0);
    const char *extra[] = {"scenario.cohalf.cut=species=co factor=0.5"};
    run_gases(dir, "a", extra, 1, 2);
    run_gases(dir, "b", extra, 1, 1);
    size_t n, nt, nb;
    float *co = read_out(dir, "a", "station_co_local", &n), *src = read_out(dir, "a", "station_pm25_src", &nt);
    float *co1 = read_out(dir, "b", "station_co_local", &nb);
    const size_t nst = 2, ntag = 4, coal = tag_index(dir, "a", "coal");
    assert_int_equal(n, 24 * nst);
    assert_int_equal(nb, n);
    double day[2] = {0.0, 0.0};
    for (size_t h = 0; h < 24; h++)
        for (size_t k = 0; k < nst; k++) {
            double pm = src[(h * ntag + coal) * nst + k];
            assert_rel(1000.0 * co[h * nst + k], 2000.0 * pm, 1e-5);
            assert_true(co[h * nst + k] == co1[h * nst + k]);
            day[k] += co[h * nst + k] / 24.0;
        }
    assert_true(day[0] > 0.01); /* S1 is downwind of the plant */
    char p[600];
    snprintf(p, sizeof p, "%s/a_daily.csv", dir);
    double base = csv_num(p, "baseline,station,S1,2017-01-02,", 8);
    double half = csv_num(p, "cohalf,station,S1,2017-01-02,", 8);
    assert_rel(base, 1.0 + day[0], 2e-3);
    assert_rel(half - 1.0, 0.5 * (base - 1.0), 2e-2);
    free(co);
    free(co1);
    free(src);
    remove_case(dir);
}

/* The plant's NOx as NO2 by OLM against the background ozone at S1 (rising
 * through the day, so that the early hours are ozone-limited and the late
 * ones NOx-limited): each hour NO2 = 0.1 NOx + min(0.9 NOx, (46/48) O3) and
 * O3 titrated; the daily NO2 their mean plus the background's, the day's
 * 1-h O3 the highest titrated hour; with no2_method = full all the NOx and
 * the ozone untouched. */
static void no2_by_olm_in_the_day(void **state)
{
    (void)state;
    char *dir = make_case();
    write_points(dir, "0", "20000");
    write_background(dir, "30,60,10,40,1.0", 0.0, 0.5);
    run_gases(dir, "o", NULL, 0, 2);
    const char *full[] = {"chemistry.no2_method=full"};
    run_gases(dir, "f", full, 1, 2);
    size_t n;
    float *nox = read_out(dir, "o", "station_nox_local", &n);
    const size_t nst = 2;
    double no2 = 0.0, all = 0.0, o3max = 0.0, o3bg = 0.0;
    int limited = 0;
    for (size_t h = 0; h < 24; h++) {
        double x = nox[h * nst + 0], o3 = o3_of(0.0, 0.5, 16 + (int)h), cap = o3 * 46.0055 / 47.9982;
        double made = fmin(0.9 * x, cap);
        limited += 0.9 * x > cap;
        no2 += (0.1 * x + made) / 24.0;
        all += x / 24.0;
        o3max = fmax(o3max, o3 - made * 47.9982 / 46.0055);
        o3bg = fmax(o3bg, o3);
    }
    assert_true(limited > 0 && limited < 24); /* both kinds of hour */
    char p[600];
    snprintf(p, sizeof p, "%s/o_daily.csv", dir);
    assert_rel(csv_num(p, "baseline,station,S1,2017-01-02,", 7), 40.0 + no2, 1e-3);
    assert_rel(csv_num(p, "baseline,station,S1,2017-01-02,", 10), o3max, 1e-3);
    snprintf(p, sizeof p, "%s/f_daily.csv", dir);
    assert_rel(csv_num(p, "baseline,station,S1,2017-01-02,", 7), 40.0 + all, 1e-3);
    assert_rel(csv_num(p, "baseline,station,S1,2017-01-02,", 10), o3bg, 1e-9);
    free(nox);
    remove_case(dir);
}

/* Coarse PM settles: without settling the plant's coarse PM at the
 * stations is its primary PM2.5 component (the same emission and removal);
 * with settling less, and PM2.5 at the stations exactly as before. PM10 in
 * the day is PM2.5 plus the background's and the sources' coarse parts,
 * so never below PM2.5. */
static void settling_removes_coarse_only(void **state)
{
    (void)state;
    char *dir = make_case();
    write_points(dir, "0", "0");
    write_background(dir, "30,60,10,40,1.0", 50.0, 0.0);
    const char *still[] = {"chemistry.secondary=yes", "chemistry.vs_coarse_ms=0"};
    const char *fast[] = {"chemistry.secondary=yes", "chemistry.vs_coarse_ms=0.05"};
    run_gases(dir, "s", still, 2, 2);
    run_gases(dir, "v", fast, 2, 2);
    size_t n;
    float *c0 = read_out(dir, "s", "station_pm10_coarse_local", &n), *c1 = read_out(dir, "v", "station_pm10_coarse_local", &n);
    float *comp = read_out(dir, "s", "station_pm25_component_src", &n);
    float *t0 = read_out(dir, "s", "station_pm25", &n), *t1 = read_out(dir, "v", "station_pm25", &n);
    const size_t nst = 2, ntag = 4, ncomp = 4, coal = tag_index(dir, "s", "coal");
    int seen = 0;
    for (size_t h = 0; h < 24; h++)
        for (size_t k = 0; k < nst; k++) {
            size_t i = h * nst + k;
            double prim = comp[((h * ncomp + 0) * ntag + coal) * nst + k];
            assert_rel(c0[i], prim, 1e-5);
            assert_true(c1[i] <= c0[i]);
            seen += c1[i] < 0.99 * c0[i];
            assert_true(t0[i] == t1[i]);
        }
    assert_true(seen > 0);
    char p[600];
    snprintf(p, sizeof p, "%s/s_daily.csv", dir);
    const char *rows[] = {"baseline,station,S1,2017-01-02,", "baseline,station,S2,2017-01-02,",
                          "baseline,city,city,2017-01-02,"};
    for (int r = 0; r < 3; r++)
        assert_true(csv_num(p, rows[r], 5) >= csv_num(p, rows[r], 4) + 30.0 - 1e-6);
    free(c0);
    free(c1);
    free(comp);
    free(t0);
    free(t1);
    remove_case(dir);
}

#define FIX_POINTS_HEADER_PM10                                                                       \
    "id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy,pm10_tpy\n" \
    "P1,Power plant,108.40,34.80,120,4,15,400,coal,A县,A,100,150\n"                                 \
    "P2,Cement kiln,108.38,34.79,60,2,10,380,industry,B县,C,50,20\n"

/* A PM10 below the PM2.5: one error naming the file, line and column. */
static void pm10_below_pm25(void **state)
{
    (void)state;
    char *dir = make_case(), path[600];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    write_text(path, FIX_POINTS_HEADER_PM10);
    lt_config cfg;
    lt_case *cs = NULL;
    lt_error err;
    int rc = load_case(dir, NULL, 0, &cfg, &cs, &err);
    assert_int_not_equal(rc, 0);
    assert_null(cs);
    if (!strstr(err.msg, "points.csv:3: column 'pm10_tpy' = '20'") || !strstr(err.msg, "'pm25_tpy' = 50"))
        print_error("%s\n", err.msg);
    assert_non_null(strstr(err.msg, "points.csv:3: column 'pm10_tpy' = '20'"));
    assert_non_null(strstr(err.msg, "'pm25_tpy' = 50"));
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(olm_closed_form),
        cmocka_unit_test(ozone_never_negative),
        cmocka_unit_test(gas_decay),
        cmocka_unit_test(co_follows_the_plume),
        cmocka_unit_test(no2_by_olm_in_the_day),
        cmocka_unit_test(settling_removes_coarse_only),
        cmocka_unit_test(pm10_below_pm25),
    };
    return cmocka_run_group_tests_name("gases", tests, NULL, NULL);
}
