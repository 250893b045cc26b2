/* test_scenario.c — scenarios: recombined from one dispersion they equal an
 * explicit re-run with the emissions changed; rules select exactly the right
 * enterprises; alert mode acts only inside the alert windows; unknown
 * selectors fail with a clear error. */
#include "lt_test.h"

#include <omp.h>

#include "io/config.h"
#include "fixture.h"
#include "run_helpers.h"
#include "products/products.h"
#include "policy/scenario.h"

#define AQI_RULES "assessment.aqi_rules=inputs/policy/aqi_HJ633-2012.ini"

static int run_dir(const char *dir, const char *const *sets, int nsets, lt_error *err)
{
    char cfgp[512];
    snprintf(cfgp, sizeof cfgp, "%s/case.ini", dir);
    lt_config cfg;
    lt_case *cs = NULL;
    lt_summary sum;
    int rc = lt_config_load(&cfg, cfgp, sets, nsets, err);
    if (!rc) {
        rc = lt_case_load(&cs, &cfg, err);
        if (!rc) {
            lt_run_options opt = {.command_line = "test", .version = "test"};
            rc = lt_run_case(cs, &opt, &sum, err);
            if (!rc)
                lt_summary_free(&sum);
            lt_case_free(&cs);
        }
        lt_config_free(&cfg);
    }
    return rc;
}

/* run_dir that must succeed; prints lantian's message when it does not. */
static void run_ok(const char *dir, const char *const *sets, int nsets)
{
    lt_error err;
    lt_error_clear(&err);
    int rc = run_dir(dir, sets, nsets, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
}

/* One dispersion, two scenarios, against explicit runs with edited emissions. */
static void recombination_equals_rerun(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/case.ini", dir);
    write_config(dir, "[scenario.half_coal]\ncut = sector=coal factor=0.5\n"
                      "[scenario.grade_d]\ncut = grade=D factor=0.2\ncut = id=P2 factor=3\n");
    const char *sets[] = {AQI_RULES};
    run_ok(dir, sets, 1);
    snprintf(p, sizeof p, "%s/out.nc", dir);
    size_t n1, n2, ns;
    float *sc = read_path_var(p, "scenario_station_pm25", &ns);
    float *scm = read_path_var(p, "scenario_pm25_mean", &n1);
    /* explicit runs: the same case with the emissions edited by hand */
    const char *edits[2] = {
        FIX_POINTS_HEADER "P1,Power plant,108.40,34.80,120,4,15,400,coal,A县,A,50\n"
                          "P2,Cement kiln,108.38,34.79,60,2,10,380,industry,B县,C,50\n"
                          "P3,Paint booth,108.41,34.81,15,0.8,8,0,solvents,B县,D,5\n",
        FIX_POINTS_HEADER "P1,Power plant,108.40,34.80,120,4,15,400,coal,A县,A,100\n"
                          "P2,Cement kiln,108.38,34.79,60,2,10,380,industry,B县,C,150\n"
                          "P3,Paint booth,108.41,34.81,15,0.8,8,0,solvents,B县,D,1\n"};
    for (int s = 0; s < 2; s++) {
        char pts[600], outp[600], set_out[700], set_pts[700];
        snprintf(pts, sizeof pts, "%s/points_%d.csv", dir, s);
        write_text(pts, edits[s]);
        snprintf(outp, sizeof outp, "%s/explicit_%d.nc", dir, s);
        snprintf(set_out, sizeof set_out, "output.file=%s", outp);
        snprintf(set_pts, sizeof set_pts, "sources.points=%s", pts);
        write_config(dir, NULL);
        const char *esets[] = {AQI_RULES, set_out, set_pts};
        run_ok(dir, esets, 3);
        float *ex = read_path_var(outp, "station_pm25", &n2);
        float *exm = read_path_var(outp, "pm25_mean", &n2);
        size_t per = ns / 2, perm = n1 / 2;
        double worst = 0.0, peak = 0.0;
        const size_t nst = 2; /* make_case's stations; the series is (time, scenario, station) */
        assert_int_equal(per % nst, 0);
        for (size_t i = 0; i < per; i++) {
            double a = sc[((i / nst) * 2 + (size_t)s) * nst + i % nst], b = ex[i];
            if (b > peak)
                peak = b;
            if (b > 0 && fabs(a - b) / b > worst)
                worst = fabs(a - b) / b;
        }
        for (size_t i = 0; i < perm; i++) {
            double a = scm[s * perm + i], b = exm[i];
            if (b > 1e-6 * peak && fabs(a - b) / b > worst)
                worst = fabs(a - b) / b;
        }
        assert_true(peak > 0.0);
        if (getenv("LT_VERIFY"))
            printf("VERIFY\trecombination_equals_rerun\tscenario %d vs explicit run\t%.17g\t0\t1e-6\n", s, worst);
        if (worst > 1e-6)
            print_error("scenario %d: largest relative difference %g\n", s, worst);
        assert_true(worst <= 1e-6);
        free(ex);
        free(exm);
    }
    free(sc);
    free(scm);
    remove_case(dir);
}

/* Grade, county, id and sector rules pick exactly the sources they name. */
static void rules_select_the_right_sources(void **state)
{
    (void)state;
    char *dir = make_case();
    write_config(dir, "[scenario.s]\ncut = grade=C|D factor=0.5\n"
                      "[scenario.t]\ncut = county=A县 factor=0.25\ncut = id=P3 sector=solvents factor=0.1\n"
                      "[scenario.u]\ncut = sector=industry grade=A factor=0\n");
    lt_config cfg;
    lt_case *cs = NULL;
    lt_error err;
    const char *sets[] = {AQI_RULES};
    assert_int_equal(load_case(dir, sets, 1, &cfg, &cs, &err), 0);
    const lt_scenarios *sc = lt_case_scenarios(cs);
    size_t npoints;
    const lt_point *points = lt_case_sources(cs, &npoints);
    assert_int_equal(sc->n, 3);
    /* P1 coal A (A县), P2 industry C (B县), P3 solvents D (B县) */
    const double want[3][3] = {{1.0, 0.5, 0.5}, {0.25, 1.0, 0.1}, {1.0, 1.0, 1.0}};
    for (int s = 0; s < 3; s++)
        for (size_t i = 0; i < npoints; i++) {
            uint64_t sig = lt_scenario_signature(sc, &points[i]);
            assert_rel(lt_scenario_factor(sc, s, sig, cfg.start_s, 0), want[s][i], 1e-15);
        }
    /* groups: sources sharing tag and rules share a group */
    assert_int_equal(lt_case_ngroups(cs), 3);
    lt_case_free(&cs);
    lt_config_free(&cfg);
    remove_case(dir);
}

/* A time window: the factor applies from 'from' (inclusive) to 'to'. */
static void time_windows(void **state)
{
    (void)state;
    char *dir = make_case();
    write_config(dir, "[scenario.w]\ncut = factor=0 from=2017-01-01T02:00:00Z to=2017-01-01T04:00:00Z\n");
    const char *sets[] = {AQI_RULES};
    run_ok(dir, sets, 1);
    char p[600];
    snprintf(p, sizeof p, "%s/out.nc", dir);
    size_t n, nb;
    float *sc = read_path_var(p, "scenario_station_pm25", &n);
    float *base = read_path_var(p, "station_pm25", &nb);
    assert_int_equal(n, nb);
    for (size_t h = 0; h < 6; h++)
        for (size_t k = 0; k < 2; k++) {
            float a = sc[h * 2 + k], b = base[h * 2 + k];
            if (h == 2 || h == 3)
                assert_true(a == 0.0f);
            else
                assert_rel(a, b, 1e-6); /* summed in another order */
        }
    free(sc);
    free(base);
    remove_case(dir);
}

/* Alert mode: the level's measures act exactly in the hours the baseline
 * forecast puts that level in force. A background episode makes the alert. */
static void alert_mode_acts_in_windows(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    met_opts o = met_defaults();
    o.hours = 120;
    snprintf(p, sizeof p, "%s/met.nc", dir);
    write_met(p, &o);
    snprintf(p, sizeof p, "%s/bg.csv", dir);
    FILE *f = fopen(p, "w");
    /* 40 clean hours, then 200 ug/m3 (AQI 250) */
    fprintf(f, "time,pm25_ugm3\n");
    for (int h = 0; h < 120; h++)
        fprintf(f, "2017-01-%02dT%02d:00:00Z,%d\n", 1 + h / 24, h % 24, h < 40 ? 30 : 200);
    fclose(f);
    snprintf(p, sizeof p, "%s/measures.csv", dir);
    write_text(p, "level,sector,grade,species,factor\nyellow,regional,*,all,0.5\n"
                  "orange,regional,*,all,0.25\nred,regional,*,all,0.1\nyellow,industry,C,all,0.5\n");
    write_config(dir, "[scenario.a]\nalert = yes\n");
    char s1[700], s2[700], s3[700];
    snprintf(s1, sizeof s1, "background.file=%s/bg.csv", dir);
    snprintf(s2, sizeof s2, "assessment.measures=%s/measures.csv", dir);
    snprintf(s3, sizeof s3, "assessment.alert_lead_hours=0");
    const char *sets[] = {AQI_RULES, "assessment.alert_rules=inputs/policy/alert_2018.ini", "run.hours=120",
                          s1, s2, s3};
    run_ok(dir, sets, 6);
    snprintf(p, sizeof p, "%s/out.nc", dir);
    size_t n, nb, nsrc;
    float *sc = read_path_var(p, "scenario_station_pm25_src", &n);
    float *base = read_path_var(p, "station_pm25_src", &nb);
    assert_int_equal(n, nb);
    nsrc = n / (120 * 2); /* tags */
    /* The running 24-h mean passes 150 (AQI 200) once 17 of its hours are at 200
     * (17*200 + 7*30 = 3610 > 3600): from hour 40 + 16 = 56 to the end, 64 h: yellow
     * (>= 48 h) from hour 56, not orange (< 72 h). */
    int changed = 0, first = -1;
    for (int h = 0; h < 120; h++) {
        size_t i = ((size_t)h * nsrc + (nsrc - 1)) * 2; /* background tag, station 0 */
        if (sc[i] != base[i]) {
            changed++;
            if (first < 0)
                first = h;
            assert_rel(sc[i], 0.5 * base[i], 1e-6);
        }
        /* the cement kiln (industry, grade C) halved in the same hours, the
         * power plant (coal, grade A: no measure) untouched; tags in order
         * industry, coal, solvents, regional */
        for (size_t k = 0; k < 2; k++) {
            size_t ind = ((size_t)h * nsrc + 0) * 2 + k, coal = ((size_t)h * nsrc + 1) * 2 + k;
            if (h >= 56 && base[ind] > 0.0f)
                assert_true(fabsf(sc[ind] - 0.5f * base[ind]) <= 1e-5f * base[ind]);
            else
                assert_true(sc[ind] == base[ind]);
            assert_true(sc[coal] == base[coal]);
        }
    }
    assert_int_equal(first, 56);
    assert_int_equal(changed, 64);
    /* the grid mean over the 120 h: the baseline's less half the background's
     * 200 ug/m3 and half the kiln's plume in the 64 alert hours (the second
     * pass disperses those hours and the kiln's group alone) */
    size_t ng, ngb, nsg;
    float *scm = read_path_var(p, "scenario_pm25_mean", &ng);
    float *bm = read_path_var(p, "pm25_mean", &ngb);
    float *src = read_path_var(p, "pm25_src", &nsg); /* [hour][tag][cell] */
    assert_int_equal(ng, ngb);
    assert_int_equal(nsg, 120 * nsrc * ng);
    double kiln = 0.0;
    for (size_t i = 0; i < ng; i++) {
        double cut = 0.0;
        for (int h = 56; h < 120; h++)
            cut += 0.5 * (200.0 + src[((size_t)h * nsrc + 0) * ng + i]);
        kiln = fmax(kiln, cut);
        assert_true(fabs(scm[i] - (bm[i] - cut / 120.0)) <= 1e-5 * bm[i]);
    }
    assert_true(kiln > 0.5 * 200.0 * 64.0 * 1.001); /* the kiln's own part is there */
    free(src);
    free(scm);
    free(bm);
    free(sc);
    free(base);
    remove_case(dir);
}

/* Unknown sector, grade, county or id: one clear error naming the line. */
static void unknown_selectors(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"cut = sector=steel factor=0.5\n", "unknown sector 'steel' (expected one of: industry, coal"},
        {"cut = grade=E factor=0.5\n", "unknown grade 'E'"},
        {"cut = county=Nowhere factor=0.5\n", "unknown county 'Nowhere'"},
        {"cut = id=P9 factor=0.5\n", "unknown source id 'P9'"},
        {"cut = sector=coal\n", "no factor="},
        {"cut = sector=coal factor=0.5 colour=red\n", "unknown selector 'colour'"},
        {"level = purple\n", "unknown level"},
        {"cuts = sector=coal factor=0.5\n", "unknown key 'cuts' in [scenario.x]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = make_case();
        char sec[256];
        snprintf(sec, sizeof sec, "[scenario.x]\n%s", cases[i][0]);
        write_config(dir, sec);
        lt_config cfg;
        lt_case *cs = NULL;
        lt_error err;
        const char *sets[] = {AQI_RULES, "assessment.alert_rules=inputs/policy/alert_2018.ini",
                              "assessment.measures=inputs/policy/measures_2018.csv"};
        int rc = load_case(dir, sets, 3, &cfg, &cs, &err);
        if (!rc) {
            lt_case_free(&cs);
            lt_config_free(&cfg);
        }
        assert_int_not_equal(rc, 0);
        if (!strstr(err.msg, cases[i][1]) || !strstr(err.msg, "case.ini:29"))
            print_error("got: %s\n", err.msg);
        assert_non_null(strstr(err.msg, cases[i][1]));
        assert_non_null(strstr(err.msg, "case.ini:29"));
        remove_case(dir);
    }
}

/* A cuts file spells the same rules as cut lines; its errors name its own line. */
static void cuts_file(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[600];
    snprintf(p, sizeof p, "%s/plan.csv", dir);
    write_text(p, "# a plan\nmeasure,sector,grade,county,id,species,factor\n"
                  "gas,coal,*,*,*,all,0.3\nkilns,*,C|D,B县,,pm25,0.5\n");
    write_config(dir, "[scenario.f]\ncuts_file = plan.csv\n"
                      "[scenario.l]\ncut = sector=coal factor=0.3\ncut = grade=C|D county=B县 species=pm25 factor=0.5\n");
    lt_config cfg;
    lt_case *cs = NULL;
    lt_error err;
    const char *sets[] = {AQI_RULES};
    int rc = load_case(dir, sets, 1, &cfg, &cs, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    size_t npoints;
    const lt_point *points = lt_case_sources(cs, &npoints);
    for (size_t i = 0; i < npoints; i++) {
        uint64_t sig = lt_scenario_signature(lt_case_scenarios(cs), &points[i]);
        double a = lt_scenario_factor(lt_case_scenarios(cs), 0, sig, cfg.start_s, 0);
        double b = lt_scenario_factor(lt_case_scenarios(cs), 1, sig, cfg.start_s, 0);
        assert_rel(a, b, 1e-15);
    }
    lt_case_free(&cs);
    lt_config_free(&cfg);
    write_text(p, "measure,sector,grade,county,id,species,factor\ngas,coal,*,*,*,all,0.3\nbad,steel,*,*,*,all,0.5\n");
    assert_int_not_equal(load_case(dir, sets, 1, &cfg, &cs, &err), 0);
    assert_non_null(strstr(err.msg, "plan.csv:3"));
    assert_non_null(strstr(err.msg, "unknown sector 'steel'"));
    remove_case(dir);
}

int main(void)
{
    omp_set_num_threads(2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recombination_equals_rerun),
        cmocka_unit_test(rules_select_the_right_sources),
        cmocka_unit_test(time_windows),
        cmocka_unit_test(alert_mode_acts_in_windows),
        cmocka_unit_test(unknown_selectors),
        cmocka_unit_test(cuts_file),
    };
    return cmocka_run_group_tests_name("scenarios", tests, NULL, NULL);
}
