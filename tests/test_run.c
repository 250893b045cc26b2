/* test_run.c — whole runs through the library: tag additivity, thread
 * invariance, the output file read back, calm hours, and the modules a run
 * stands on (config, projection, met interpolation). */
#include "lt_test.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "physics/chem.h"
#include "io/config.h"
#include "io/domain.h"
#include "fixture.h"
#include "run_helpers.h"
#include "io/met.h"
#include "products/products.h"
#include "physics/stability.h"

static size_t dim_len(int nc, const char *name)
{
    int d;
    size_t len;
    assert_int_equal(nc_inq_dimid(nc, name, &d), NC_NOERR);
    nc_inq_dimlen(nc, d, &len);
    return len;
}

static void text_att(int nc, int varid, const char *name, char *buf, size_t n)
{
    size_t len;
    assert_int_equal(nc_inq_attlen(nc, varid, name, &len), NC_NOERR);
    assert_true(len < n);
    nc_get_att_text(nc, varid, name, buf);
    buf[len] = '\0';
}

/* The variables vars[0..n) hold the same bits in files a and b. */
static void assert_same_data(const char *a, const char *b, const char *const *vars, int n)
{
    int n1, n2;
    assert_int_equal(nc_open(a, NC_NOWRITE, &n1), NC_NOERR);
    assert_int_equal(nc_open(b, NC_NOWRITE, &n2), NC_NOERR);
    for (int i = 0; i < n; i++) {
        size_t na, nb;
        float *fa = read_var(n1, vars[i], &na), *fb = read_var(n2, vars[i], &nb);
        assert_int_equal(na, nb);
        assert_memory_equal(fa, fb, na * sizeof *fa);
        free(fa);
        free(fb);
    }
    nc_close(n1);
    nc_close(n2);
}

/* Sum over the source dimension equals the total, on the grid and at stations. */
static void check_additivity(int nc, const char *total, const char *parts, size_t ntags,
                             size_t nt, size_t nper)
{
    size_t n1, n2;
    float *t = read_var(nc, total, &n1), *p = read_var(nc, parts, &n2);
    assert_int_equal(n1 * ntags, n2);
    double maxv = 0;
    size_t nonzero = 0;
    for (size_t h = 0; h < nt; h++)
        for (size_t r = 0; r < nper; r++) {
            double s = 0;
            for (size_t g = 0; g < ntags; g++)
                s += p[(h * ntags + g) * nper + r];
            double want = t[h * nper + r];
            assert_true(fabs(s - want) <= 1e-6 * fabs(want) + 1e-30);
            if (want > 0)
                nonzero++;
            if (want > maxv)
                maxv = want;
        }
    assert_true(nonzero > 0); /* the test means something only if plumes arrive */
    assert_true(maxv > 0);
    free(t);
    free(p);
}

static void additivity_and_round_trip(void **state)
{
    (void)state;
    char *dir = make_case();
    lt_summary sum = run_case(dir, NULL, 0, 2);
    char outp[512];
    snprintf(outp, sizeof outp, "%s/out.nc", dir);
    int nc;
    assert_int_equal(nc_open(outp, NC_NOWRITE, &nc), NC_NOERR);
    /* dimensions */
    assert_int_equal(dim_len(nc, "time"), 6);
    assert_int_equal(dim_len(nc, "y"), 20);
    assert_int_equal(dim_len(nc, "x"), 24);
    assert_int_equal(dim_len(nc, "source"), 3);
    assert_int_equal(dim_len(nc, "station"), 2);
    /* attributes */
    char buf[8192];
    text_att(nc, NC_GLOBAL, "Conventions", buf, sizeof buf);
    assert_string_equal(buf, "CF-1.8 ACDD-1.3");
    text_att(nc, NC_GLOBAL, "lantian_config", buf, sizeof buf);
    assert_non_null(strstr(buf, "[dispersion]\ncurves = briggs-rural"));
    text_att(nc, NC_GLOBAL, "lantian_command_line", buf, sizeof buf);
    assert_string_equal(buf, "test_run");
    int v;
    nc_inq_varid(nc, "pm25", &v);
    text_att(nc, v, "units", buf, sizeof buf);
    assert_string_equal(buf, "ug m-3");
    text_att(nc, v, "standard_name", buf, sizeof buf);
    assert_string_equal(buf, "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air");
    text_att(nc, v, "grid_mapping", buf, sizeof buf);
    assert_string_equal(buf, "crs");
    nc_inq_varid(nc, "time", &v);
    text_att(nc, v, "units", buf, sizeof buf);
    assert_string_equal(buf, "hours since 2017-01-01 00:00:00");
    double tv[6], tb[12];
    nc_get_var_double(nc, v, tv);
    nc_inq_varid(nc, "time_bnds", &v);
    nc_get_var_double(nc, v, tb);
    for (int h = 0; h < 6; h++) {
        assert_rel(tv[h], h + 0.5, 1e-12);
        assert_rel(tb[2 * h + 1], h + 1.0, 1e-12);
        assert_true(tb[2 * h] == h);
    }
    /* source labels in the config's sector order */
    char names[3 * 64];
    nc_inq_varid(nc, "source_name", &v);
    nc_get_var_text(nc, v, names);
    assert_string_equal(names, "industry");
    assert_string_equal(names + 64, "coal");
    assert_string_equal(names + 128, "solvents");
    /* lat/lon of the centre cells surround the domain centre */
    size_t n;
    float *lat = read_var(nc, "lat", &n), *lon = read_var(nc, "lon", &n);
    size_t c = 10 * 24 + 12;
    assert_true(fabs(lat[c] - 34.8) < 0.01 && fabs(lon[c] - 108.4) < 0.01);
    free(lat);
    free(lon);
    /* values: totals are the sums of the tags, grid and stations */
    check_additivity(nc, "pm25", "pm25_src", 3, 6, 24 * 20);
    check_additivity(nc, "station_pm25", "station_pm25_src", 3, 6, 2);
    /* the station means the summary printed are those in the file */
    float *st = read_var(nc, "station_pm25", &n);
    for (int k = 0; k < 2; k++) {
        double m = 0;
        for (int h = 0; h < 6; h++)
            m += st[h * 2 + k];
        assert_rel(m / 6, sum.station_mean[k], 1e-5);
    }
    free(st);
    nc_close(nc);
    lt_summary_free(&sum);
    remove_case(dir);
}

/* Sums over `parts`' level dimension (nlev levels) equal `total` at every
 * step and cell, both read whole: total[nt][nper], parts[nt][nlev][nper]. */
static void check_sum(const float *total, const float *parts, size_t nt, size_t nlev, size_t nper,
                      double rel)
{
    size_t nonzero = 0;
    for (size_t t = 0; t < nt; t++)
        for (size_t r = 0; r < nper; r++) {
            double s = 0;
            for (size_t g = 0; g < nlev; g++)
                s += parts[(t * nlev + g) * nper + r];
            double want = total[t * nper + r];
            if (!(fabs(s - want) <= rel * fabs(want) + 1e-30))
                print_error("step %zu cell %zu: sum %.9g, total %.9g\n", t, r, s, want);
            assert_true(fabs(s - want) <= rel * fabs(want) + 1e-30);
            nonzero += want > 0;
        }
    assert_true(nonzero > 0);
}

#define CHEM_POINTS FIX_POINTS_HEADER_SPECIES \
    "P1,Power plant,108.40,34.80,120,4,15,400,coal,A县,A,100,800,900,0,0\n" \
    "P2,Cement kiln,108.38,34.79,60,2,10,380,industry,B县,C,50,200,400,0,10\n" \
    "P3,Paint booth,108.41,34.81,15,0.8,8,0,solvents,B县,D,5,0,0,0,300\n"
#define FIX_POINTS_HEADER_SPECIES \
    "id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy,so2_tpy,nox_tpy,nh3_tpy,voc_tpy\n"

/* [output] sources: a source named there gets a tag of its own, taken out of
 * its sector's; the totals are the same bits, the sector plus its own source
 * equal the sector without the option, and an id no table has is an error. */
static void own_source_tags(void **state)
{
    (void)state;
    char *dir = make_case();
    char path[600], o1[700], o2[700];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    write_text(path, CHEM_POINTS);
    snprintf(o1, sizeof o1, "output.file=%s/sectors.nc", dir);
    snprintf(o2, sizeof o2, "output.file=%s/own.nc", dir);
    const char *plain[] = {o1};
    lt_summary a = run_case(dir, plain, 1, 2);
    const char *own[] = {o2, "output.sources=P2, P1"};
    lt_summary b = run_case(dir, own, 2, 2);
    assert_int_equal(a.ntags, b.ntags); /* industry and coal lose their only sources to P2 and P1 */
    int nc1, nc2, v;
    snprintf(path, sizeof path, "%s/sectors.nc", dir);
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc1), NC_NOERR);
    snprintf(path, sizeof path, "%s/own.nc", dir);
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc2), NC_NOERR);
    char names[8 * 64] = "";
    assert_int_equal(nc_inq_varid(nc2, "source_name", &v), NC_NOERR);
    nc_get_var_text(nc2, v, names);
    /* sectors first (coal and industry keep no source of their own here: only
     * solvents has one left), then P2 and P1 in the order given */
    assert_string_equal(names, "solvents");
    assert_string_equal(names + 64, "P2");
    assert_string_equal(names + 128, "P1");
    size_t n1, n2;
    float *t1 = read_var(nc1, "station_pm25", &n1), *t2 = read_var(nc2, "station_pm25", &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(t1, t2, n1 * sizeof *t1);
    float *s1 = read_var(nc1, "station_pm25_src", &n1), *s2 = read_var(nc2, "station_pm25_src", &n2);
    /* tags: sectors.nc industry, coal, solvents (the sector list's order); own.nc
     * solvents, P2 (industry), P1 (coal) -- 6 h, 2 stations */
    double peak = 0.0;
    for (size_t h = 0; h < 6; h++)
        for (size_t k = 0; k < 2; k++) {
            double ind = s1[(h * 3 + 0) * 2 + k], coal = s1[(h * 3 + 1) * 2 + k], sol = s1[(h * 3 + 2) * 2 + k];
            assert_true(fabs(s2[(h * 3 + 1) * 2 + k] - ind) <= 1e-6 * (ind + 1e-30));
            assert_true(fabs(s2[(h * 3 + 2) * 2 + k] - coal) <= 1e-6 * (coal + 1e-30));
            assert_true(fabs(s2[(h * 3 + 0) * 2 + k] - sol) <= 1e-6 * (sol + 1e-30));
            peak = fmax(peak, coal + ind);
        }
    assert_true(peak > 0.0);
    nc_close(nc1);
    nc_close(nc2);
    free(t1);
    free(t2);
    free(s1);
    free(s2);
    /* an id no table has */
    snprintf(path, sizeof path, "%s/case.ini", dir);
    lt_config cfg;
    lt_case *cs = NULL;
    lt_error err;
    lt_error_clear(&err);
    const char *bad[] = {"output.sources=P9"};
    int rc = lt_config_load(&cfg, path, bad, 1, &err);
    if (!rc) {
        rc = lt_case_load(&cs, &cfg, &err);
        lt_case_free(&cs);
        lt_config_free(&cfg);
    }
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(err.msg, "[output] sources names 'P9'"));
    lt_summary_free(&a);
    lt_summary_free(&b);
    remove_case(dir);
}

/* Sector x county apportionment and the secondary components: every split
 * adds up to the total, averaged fields are the means of the hourly ones,
 * a cut of SO2 alone removes exactly the sulfate, threads change nothing. */
static void apportionment_and_components(void **state)
{
    (void)state;
    char *dir = make_case();
    char path[600];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    write_text(path, CHEM_POINTS);
    char o1[700], o2[700], o3[700];
    snprintf(o1, sizeof o1, "output.file=%s/hourly.nc", dir);
    snprintf(o2, sizeof o2, "output.file=%s/averaged.nc", dir);
    snprintf(o3, sizeof o3, "output.file=%s/one.nc", dir);
    const char *hourly[] = {o1, "chemistry.secondary=yes", "output.average_county=hour",
                            "output.average_components=hour",
                            "assessment.aqi_rules=inputs/policy/aqi_HJ633-2012.ini",
                            "scenario.noso2.cut=species=so2 factor=0"};
    lt_summary a = run_case(dir, hourly, 6, 2);
    const char *avg[] = {o2, "chemistry.secondary=yes", "output.average_src=period",
                         "output.average_county=day", "output.average_components=day"};
    lt_summary b = run_case(dir, avg, 5, 2);
    hourly[0] = o3;
    lt_summary c = run_case(dir, hourly, 6, 1);
    snprintf(path, sizeof path, "%s/hourly.nc", dir);
    int nc;
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc), NC_NOERR);
    size_t ng = 24 * 20, n;
    assert_int_equal(dim_len(nc, "source_county"), 2);
    char names[2 * 64];
    int v;
    nc_inq_varid(nc, "source_county_name", &v);
    nc_get_var_text(nc, v, names);
    assert_string_equal(names, "A县");
    assert_string_equal(names + 64, "B县");
    float *pm = read_var(nc, "pm25", &n);
    float *cty = read_var(nc, "pm25_county", &n);
    float *src = read_var(nc, "pm25_src", &n);
    check_sum(pm, cty, 6, 2, ng, 1e-6);
    check_sum(pm, src, 6, 3, ng, 1e-6);
    /* components: pm25 = primary + so4 + no3 + soa, each present */
    float *comp = malloc(6 * 4 * ng * sizeof *comp);
    const char *cn[] = {"pm25_primary", "so4", "no3", "soa"};
    for (int k = 0; k < 4; k++) {
        float *f = read_var(nc, cn[k], &n);
        double mx = 0;
        for (size_t t = 0; t < 6; t++)
            for (size_t r = 0; r < ng; r++) {
                comp[(t * 4 + (size_t)k) * ng + r] = f[t * ng + r];
                mx = fmax(mx, f[t * ng + r]);
            }
        assert_true(mx > 0);
        free(f);
    }
    check_sum(pm, comp, 6, 4, ng, 1e-5);
    /* stations: the split sums to the sector series and to the total */
    float *st = read_var(nc, "station_pm25", &n);
    float *sts = read_var(nc, "station_pm25_src", &n);
    float *spl = read_var(nc, "station_pm25_split", &n);
    check_sum(sts, spl, 6 * 3, 2, 2, 1e-6);
    check_sum(st, spl, 6, 3 * 2, 2, 1e-6);
    /* the scenario without SO2 is the baseline without its sulfate */
    float *stc = read_var(nc, "station_pm25_component", &n);
    float *sc = read_var(nc, "scenario_station_pm25", &n);
    for (size_t t = 0; t < 6; t++)
        for (size_t k = 0; k < 2; k++) {
            double want = st[t * 2 + k] - stc[(t * 4 + LT_COMP_SO4) * 2 + k];
            assert_true(fabs(sc[t * 2 + k] - want) <= 1e-5 * st[t * 2 + k] + 1e-30);
        }
    assert_true(b.comp_share[LT_COMP_SO4] > 0 && b.comp_share[LT_COMP_SOA] > 0);
    nc_close(nc);
    /* the averaged files: means of the hourly fields, the whole run's in
     * averaged_period.nc, the days' in averaged_daily.nc, each on its time */
    snprintf(path, sizeof path, "%s/averaged_period.nc", dir);
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc), NC_NOERR);
    assert_int_equal(dim_len(nc, "time"), 1);
    float *srcp = read_var(nc, "pm25_src", &n);
    assert_int_equal(n, 3 * ng);
    nc_close(nc);
    snprintf(path, sizeof path, "%s/averaged_daily.nc", dir);
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc), NC_NOERR);
    assert_int_equal(dim_len(nc, "time"), 1);
    float *ctyd = read_var(nc, "pm25_county", &n);
    assert_int_equal(n, 2 * ng);
    float *so4d = read_var(nc, "so4", &n);
    for (size_t r = 0; r < ng; r++) {
        for (size_t g = 0; g < 3; g++) {
            double m = 0;
            for (size_t t = 0; t < 6; t++)
                m += src[(t * 3 + g) * ng + r];
            assert_true(fabs(srcp[g * ng + r] - m / 6) <= 1e-5 * m / 6 + 1e-30);
        }
        for (size_t g = 0; g < 2; g++) {
            double m = 0;
            for (size_t t = 0; t < 6; t++)
                m += cty[(t * 2 + g) * ng + r];
            assert_true(fabs(ctyd[g * ng + r] - m / 6) <= 1e-5 * m / 6 + 1e-30);
        }
        double m = 0;
        for (size_t t = 0; t < 6; t++)
            m += comp[(t * 4 + LT_COMP_SO4) * ng + r];
        assert_true(fabs(so4d[r] - m / 6) <= 1e-5 * m / 6 + 1e-30);
    }
    nc_close(nc);
    free(srcp);
    free(ctyd);
    free(so4d);
    free(pm);
    free(cty);
    free(src);
    free(comp);
    free(st);
    free(sts);
    free(spl);
    free(stc);
    free(sc);
    /* one thread and two: the same bits */
    char p1[700], p3[700];
    snprintf(p1, sizeof p1, "%s/hourly.nc", dir);
    snprintf(p3, sizeof p3, "%s/one.nc", dir);
    const char *vars[] = {"pm25", "pm25_county", "so4", "no3", "soa", "station_pm25_split",
                          "scenario_station_pm25"};
    assert_same_data(p1, p3, vars, 7);
    lt_summary_free(&a);
    lt_summary_free(&b);
    lt_summary_free(&c);
    remove_case(dir);
}

/* The grid model and the hybrid through the program's path: the splits and
 * the five components add up to the total, the mass budget written to the
 * file closes, the zero-out runs and the tags give the same total, the
 * hybrid is never below the plume alone, and threads change nothing. */
static void grid_and_hybrid(void **state)
{
    (void)state;
    char *dir = make_case();
    char path[600];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    write_text(path, CHEM_POINTS);
    char og[700], oh1[700], oh2[700], op[700], oh0[700];
    snprintf(og, sizeof og, "output.file=%s/grid.nc", dir);
    snprintf(oh1, sizeof oh1, "output.file=%s/hybrid1.nc", dir);
    snprintf(oh2, sizeof oh2, "output.file=%s/hybrid2.nc", dir);
    snprintf(op, sizeof op, "output.file=%s/plume.nc", dir);
    snprintf(oh0, sizeof oh0, "output.file=%s/hybrid0.nc", dir);
    const char *grid[] = {og, "chemistry.secondary=yes", "solver.method=grid", "solver.coarsen=4",
                          "solver.zero_out=yes", "output.average_county=hour", "output.average_components=hour"};
    lt_summary a = run_case(dir, grid, 7, 2);
    assert_true(a.grid.worst_residual <= 1e-9);
    assert_true(a.grid.tag_sum_error <= 1e-6);
    snprintf(path, sizeof path, "%s/grid.nc", dir);
    int nc;
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc), NC_NOERR);
    size_t ng = 24 * 20, n;
    float *pm = read_var(nc, "pm25", &n);
    float *cty = read_var(nc, "pm25_county", &n);
    float *src = read_var(nc, "pm25_src", &n);
    check_sum(pm, cty, 6, 2, ng, 1e-6);
    check_sum(pm, src, 6, 3, ng, 1e-6);
    const char *cn[] = {"pm25_primary", "so4", "no3", "soa", "nh4"};
    float *comp = malloc(6 * 5 * ng * sizeof *comp);
    for (int k = 0; k < 5; k++) {
        float *f = read_var(nc, cn[k], &n);
        for (size_t t = 0; t < 6; t++)
            for (size_t r = 0; r < ng; r++)
                comp[(t * 5 + (size_t)k) * ng + r] = f[t * ng + r];
        free(f);
    }
    check_sum(pm, comp, 6, 5, ng, 1e-5);
    /* the budget in the file closes */
    int v;
    double b[LT_GS_N * LT_GB_N];
    assert_int_equal(nc_inq_varid(nc, "mass_budget", &v), NC_NOERR);
    assert_int_equal(nc_get_var_double(nc, v, b), NC_NOERR);
    for (int sp = 0; sp < LT_GS_N; sp++)
        assert_true(fabs(lt_grid_budget_residual(b, sp)) <= 1e-9);
    assert_true(b[LT_GS_SO2 * LT_GB_N + LT_GB_EMITTED] > 0 && b[LT_GS_SO4 * LT_GB_N + LT_GB_CHEM] > 0);
    /* tagged grid contributions at the stations sum to station_pm25 */
    float *st = read_var(nc, "station_pm25", &n);
    float *tg = read_var(nc, "station_pm25_tagged_grid", &n);
    float *zo = read_var(nc, "station_pm25_zero_out", &n);
    double zs = 0.0;
    for (size_t i = 0; i < n; i++)
        zs += zo[i];
    assert_true(zs > 0.0);
    check_sum(st, tg, 6, 3, 2, 1e-5);
    float *stc = read_var(nc, "station_pm25_component", &n);
    float *stcs = read_var(nc, "station_pm25_component_src", &n);
    check_sum(stc, stcs, 6 * 5, 3, 2, 1e-5); /* components per sector sum to the components */
    free(stc);
    free(stcs);
    nc_close(nc);
    /* hybrid: never below the plume alone (secondary off: one component);
     * one thread and two give the same bits */
    const char *plume[] = {op};
    lt_summary p = run_case(dir, plume, 1, 2);
    const char *hyb0[] = {oh0, "solver.method=hybrid", "solver.coarsen=4"};
    lt_summary h0 = run_case(dir, hyb0, 3, 2);
    snprintf(path, sizeof path, "%s/plume.nc", dir);
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc), NC_NOERR);
    float *pp = read_var(nc, "pm25", &n);
    nc_close(nc);
    snprintf(path, sizeof path, "%s/hybrid0.nc", dir);
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc), NC_NOERR);
    float *hp = read_var(nc, "pm25", &n);
    nc_close(nc);
    size_t above = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(hp[i] >= pp[i] * (1.0f - 1e-6f));
        above += hp[i] > pp[i] * 1.001f;
    }
    assert_true(above > 0); /* the grid adds what the plume forgets */
    const char *hyb1[] = {oh1, "chemistry.secondary=yes", "solver.method=hybrid", "solver.coarsen=4",
                          "solver.zero_out=yes"};
    lt_summary h1 = run_case(dir, hyb1, 5, 1);
    hyb1[0] = oh2;
    lt_summary h2 = run_case(dir, hyb1, 5, 2);
    char p1[700], p2[700];
    snprintf(p1, sizeof p1, "%s/hybrid1.nc", dir);
    snprintf(p2, sizeof p2, "%s/hybrid2.nc", dir);
    const char *vars[] = {"pm25", "pm25_src", "station_pm25_split", "mass_budget", "station_pm25_zero_out"};
    assert_same_data(p1, p2, vars, 5);
    snprintf(p1, sizeof p1, "%s/hybrid1_daily.nc", dir);
    snprintf(p2, sizeof p2, "%s/hybrid2_daily.nc", dir);
    const char *daily[] = {"no3", "nh4", "pm25_county"};
    assert_same_data(p1, p2, daily, 3);
    free(pm);
    free(cty);
    free(src);
    free(comp);
    free(st);
    free(tg);
    free(zo);
    free(pp);
    free(hp);
    lt_summary_free(&a);
    lt_summary_free(&p);
    lt_summary_free(&h0);
    lt_summary_free(&h1);
    lt_summary_free(&h2);
    remove_case(dir);
}

/* Hourly stack emissions (HOUREMIS): the annual rate given hour by hour
 * reproduces the run without the file; doubling one hour doubles that hour's
 * plume of that stack alone; a missing hour is an error naming it. */
static void hourly_emissions(void **state)
{
    (void)state;
    char *dir = make_case();
    char hp[600], s1[700], s2[700], s3[700];
    snprintf(hp, sizeof hp, "%s/hourly.csv", dir);
    const double gs = 100.0 * 1e6 / (365.0 * 86400.0); /* P1's 100 t/yr in g/s */
    FILE *f = fopen(hp, "w");
    fprintf(f, "time,id,pm25_gs,temp_K,velocity_ms\n");
    for (int h = 0; h < 6; h++)
        fprintf(f, "2017-01-01T%02d:00:00Z,P1,%.12g,400,15\n", h, h == 3 ? 2 * gs : gs);
    fclose(f);
    snprintf(s1, sizeof s1, "sources.hourly=%s", hp);
    snprintf(s2, sizeof s2, "output.file=%s/h.nc", dir);
    snprintf(s3, sizeof s3, "output.file=%s/base.nc", dir);
    const char *a[] = {s1, s2}, *b[] = {s3};
    lt_summary x = run_case(dir, a, 2, 2);
    lt_summary y = run_case(dir, b, 1, 2);
    char o1[700], o2[700];
    snprintf(o1, sizeof o1, "%s/h.nc", dir);
    snprintf(o2, sizeof o2, "%s/base.nc", dir);
    int n1, n2;
    assert_int_equal(nc_open(o1, NC_NOWRITE, &n1), NC_NOERR);
    assert_int_equal(nc_open(o2, NC_NOWRITE, &n2), NC_NOERR);
    size_t na, nb;
    float *fa = read_var(n1, "pm25_src", &na), *fb = read_var(n2, "pm25_src", &nb);
    assert_int_equal(na, nb);
    size_t ng = 24 * 20, checked = 0;
    for (size_t h = 0; h < 6; h++)
        for (size_t g = 0; g < 3; g++)
            for (size_t r = 0; r < ng; r++) {
                double va = fa[(h * 3 + g) * ng + r], vb = fb[(h * 3 + g) * ng + r];
                double want = (g == 1 && h == 3) ? 2.0 * vb : vb; /* tag 1 = coal = P1 */
                assert_true(fabs(va - want) <= 1e-5 * want + 1e-30);
                checked += vb > 0;
            }
    assert_true(checked > 100);
    free(fa);
    free(fb);
    nc_close(n1);
    nc_close(n2);
    lt_summary_free(&x);
    lt_summary_free(&y);
    /* hour 4 missing; an id not in the points file */
    const char *bad[][2] = {{"time,id,pm25_gs\n2017-01-01T00:00:00Z,P1,1\n", "has no row for 2017-01-01T01:00:00Z"},
                            {"time,id,pm25_gs\n2017-01-01T00:00:00Z,P9,1\n", "column 'id' = 'P9'"},
                            {"time,id,pm25_gs\n2017-01-01T00:00:00Z,P1,-1\n", "column 'pm25_gs'"}};
    for (int i = 0; i < 3; i++) {
        write_text(hp, bad[i][0]);
        char cfgp[600];
        snprintf(cfgp, sizeof cfgp, "%s/case.ini", dir);
        lt_config cfg;
        lt_case *cs = NULL;
        lt_error err;
        lt_error_clear(&err);
        const char *sets[] = {s1};
        assert_int_equal(lt_config_load(&cfg, cfgp, sets, 1, &err), 0);
        assert_int_not_equal(lt_case_load(&cs, &cfg, &err), 0);
        if (!strstr(err.msg, bad[i][1]))
            print_error("'%s' lacks '%s'\n", err.msg, bad[i][1]);
        assert_non_null(strstr(err.msg, bad[i][1]));
        lt_config_free(&cfg);
    }
    remove_case(dir);
}

/* The similarity scheme runs through the same path: totals are the sums of the
 * tags, plumes arrive, and 1 and 2 threads agree. */
static void similarity_scheme_runs(void **state)
{
    (void)state;
    char *dir = make_case();
    char p1[600], p2[600], s1[700], s2[700];
    snprintf(p1, sizeof p1, "%s/s1.nc", dir);
    snprintf(p2, sizeof p2, "%s/s2.nc", dir);
    snprintf(s1, sizeof s1, "output.file=%s", p1);
    snprintf(s2, sizeof s2, "output.file=%s", p2);
    const char *a[] = {"dispersion.curves=similarity", s1}, *b[] = {"dispersion.curves=similarity", s2};
    lt_summary x = run_case(dir, a, 2, 1);
    lt_summary y = run_case(dir, b, 2, 2);
    assert_true(x.grid_max > 0.0 && isfinite(x.grid_max));
    int nc;
    assert_int_equal(nc_open(p1, NC_NOWRITE, &nc), NC_NOERR);
    check_additivity(nc, "pm25", "pm25_src", 3, 6, 24 * 20);
    nc_close(nc);
    const char *vars[] = {"pm25", "station_pm25_src"};
    assert_same_data(p1, p2, vars, 2);
    lt_summary_free(&x);
    lt_summary_free(&y);
    remove_case(dir);
}

/* Volume sources join the point sources: same tags, additivity holds, and a
 * volume with its spreads at zero equals a stack with no rise at that height. */
static void volume_sources(void **state)
{
    (void)state;
    char *dir = make_case();
    char vp[600], sv[700], so[700], pp[600], sp[700], so2[700];
    snprintf(vp, sizeof vp, "%s/vol.csv", dir);
    write_text(vp, "id,name,lon,lat,height_m,sigma_y0_m,sigma_z0_m,sector,county,grade,pm25_tpy\n"
                   "V1,yard,108.42,34.80,0,0,0,industry,B县,C,20\n");
    snprintf(sv, sizeof sv, "sources.volumes=%s", vp);
    snprintf(so, sizeof so, "output.file=%s/v.nc", dir);
    const char *a[] = {sv, so};
    lt_summary x = run_case(dir, a, 2, 2);
    char out[600];
    snprintf(out, sizeof out, "%s/v.nc", dir);
    int nc;
    assert_int_equal(nc_open(out, NC_NOWRITE, &nc), NC_NOERR);
    check_additivity(nc, "pm25", "pm25_src", 3, 6, 24 * 20);
    size_t n1;
    float *va = read_var(nc, "station_pm25", &n1);
    nc_close(nc);
    /* the same release as a stack without exit flux */
    snprintf(pp, sizeof pp, "%s/pts2.csv", dir);
    write_text(pp, FIX_POINTS "V1,yard,108.42,34.80,0,0,0,0,industry,B县,C,20\n");
    snprintf(sp, sizeof sp, "sources.points=%s", pp);
    snprintf(so2, sizeof so2, "output.file=%s/p.nc", dir);
    const char *b[] = {sp, so2};
    lt_summary y = run_case(dir, b, 2, 2);
    snprintf(out, sizeof out, "%s/p.nc", dir);
    assert_int_equal(nc_open(out, NC_NOWRITE, &nc), NC_NOERR);
    size_t n2;
    float *pa = read_var(nc, "station_pm25", &n2);
    nc_close(nc);
    assert_int_equal(n1, n2);
    for (size_t i = 0; i < n1; i++)
        assert_rel(va[i], pa[i], 1e-6);
    free(va);
    free(pa);
    lt_summary_free(&x);
    lt_summary_free(&y);
    remove_case(dir);
}

/* Area sources run with the rest: tags add up, and an area's plume reaches
 * receptors inside it. */
static void area_sources(void **state)
{
    (void)state;
    char *dir = make_case();
    char ap[600], sa[700], so[700];
    snprintf(ap, sizeof ap, "%s/area.csv", dir);
    write_text(ap, "id,name,polygon,height_m,sigma_z0_m,sector,county,grade,pm25_tpy\n"
                   "A1,town,\"108.38 34.78; 108.42 34.78; 108.42 34.82; 108.38 34.82\",3,2,solvents,B县,-,200\n");
    snprintf(sa, sizeof sa, "sources.areas=%s", ap);
    snprintf(so, sizeof so, "output.file=%s/a.nc", dir);
    const char *a[] = {sa, so};
    lt_summary x = run_case(dir, a, 2, 2);
    char out[600];
    snprintf(out, sizeof out, "%s/a.nc", dir);
    int nc;
    assert_int_equal(nc_open(out, NC_NOWRITE, &nc), NC_NOERR);
    check_additivity(nc, "pm25", "pm25_src", 3, 6, 24 * 20);
    nc_close(nc);
    assert_true(x.grid_max > 0.0);
    lt_summary_free(&x);
    remove_case(dir);
}

/* A road equals many small point sources along it (3 %, at the stations and
 * on the grid where the plume is more than 1e-3 of its peak; calm = skip). An L-shaped road,
 * 1 m wide, released at 1 m; the points carry the same rate per length. */
static void road_equals_points(void **state)
{
    (void)state;
    char *dir = make_case();
    char rp[600], pp[600], s1[700], s2[700], s3[700], s4[700], s5[700];
    snprintf(rp, sizeof rp, "%s/roads.csv", dir);
    write_text(rp, "id,name,polyline,width_m,height_m,sigma_z0_m,sector,county,grade,pm25_tpy_per_km\n"
                   "R1,ring road,\"108.36 34.78; 108.44 34.78; 108.44 34.83\",1,1,0,industry,B县,,50\n");
    /* the same road as points every ~5 m along the centreline */
    snprintf(pp, sizeof pp, "%s/rpts.csv", dir);
    FILE *f = fopen(pp, "w");
    fprintf(f, FIX_POINTS_HEADER);
    const double R = 6371008.8, d2r = 3.14159265358979323846 / 180.0;
    const double lens[2] = {0.08 * d2r * R * cos(34.78 * d2r), 0.05 * d2r * R};
    int id = 0;
    for (int sgm = 0; sgm < 2; sgm++) {
        int np = (int)(lens[sgm] / 5.0);
        for (int k = 0; k < np; k++) {
            double t = (k + 0.5) / np;
            double lon = sgm == 0 ? 108.36 + 0.08 * t : 108.44, lat = sgm == 0 ? 34.78 : 34.78 + 0.05 * t;
            fprintf(f, "p%d,,%.8f,%.8f,1,0,0,0,industry,B县,,%.10g\n", id++, lon, lat, 50.0 * lens[sgm] / 1000.0 / np);
        }
    }
    fclose(f);
    snprintf(s1, sizeof s1, "sources.roads=%s", rp);
    snprintf(s2, sizeof s2, "sources.points=%s", pp);
    snprintf(s3, sizeof s3, "output.file=%s/road.nc", dir);
    snprintf(s4, sizeof s4, "output.file=%s/pts.nc", dir);
    /* the road run keeps the fixture's stacks out: a points file with one zero source */
    snprintf(s5, sizeof s5, "%s/none.csv", dir);
    write_text(s5, FIX_POINTS_HEADER "Z,,108.40,34.80,10,0,0,0,industry,B县,,0\n");
    char s6[760];
    snprintf(s6, sizeof s6, "sources.points=%s", s5);
    /* the plume's road integral against its points: no meander, which points
     * have and roads (as in AERMOD) do not */
    const char *a[] = {s1, s6, s3, "dispersion.calm=skip"}, *b[] = {s2, s4, "dispersion.calm=skip"};
    lt_summary x = run_case(dir, a, 4, 2);
    lt_summary y = run_case(dir, b, 3, 2);
    const char *vars[] = {"pm25", "station_pm25"};
    for (int v = 0; v < 2; v++) {
        char o1[700], o2[700];
        snprintf(o1, sizeof o1, "%s/road.nc", dir);
        snprintf(o2, sizeof o2, "%s/pts.nc", dir);
        int n1, n2;
        nc_open(o1, NC_NOWRITE, &n1);
        nc_open(o2, NC_NOWRITE, &n2);
        size_t na, nb;
        float *fa = read_var(n1, vars[v], &na), *fb = read_var(n2, vars[v], &nb);
        assert_int_equal(na, nb);
        double peak = 0;
        for (size_t i = 0; i < nb; i++)
            peak = fb[i] > peak ? fb[i] : peak;
        assert_true(peak > 0);
        int compared = 0;
        for (size_t i = 0; i < nb; i++)
            if (fb[i] > 1e-3 * peak) {
                assert_rel(fa[i], fb[i], 0.03);
                compared++;
            }
        assert_true(compared >= (v == 0 ? 100 : 6)); /* the grid, then station S1's hours */
        free(fa);
        free(fb);
        nc_close(n1);
        nc_close(n2);
    }
    lt_summary_free(&x);
    lt_summary_free(&y);
    remove_case(dir);
}

/* Turner's method needs no 1/L: wind, sun and cloud classify the hours. */
static void turner_stability(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[512];
    snprintf(p, sizeof p, "%s/met.nc", dir);
    met_opts o = met_defaults();
    o.omit = "rmol";
    o.cloud = 0.2;
    write_met(p, &o);
    const char *sets[] = {"dispersion.stability=turner"};
    lt_summary s = run_case(dir, sets, 1, 2);
    /* 2017-01-01 00-06 UTC = 08-14 CST at 108.4 E, 3.16 m/s = 6.1 kt (the 6-kt row).
     * 08:30 CST is within an hour of sunrise (the sun is below the horizon at 07:30):
     * night, cloud 0.2 -> NRI -2 -> F. Later hours: altitude 15-32 deg -> insolation
     * class 2 -> C. Three sources: 3 F and 15 C source-hours. */
    assert_int_equal(s.class_hours[LT_PG_F], 3);
    assert_int_equal(s.class_hours[LT_PG_C], 15);
    assert_true(s.grid_max > 0.0);
    lt_summary_free(&s);
    remove_case(dir);
}

static void thread_invariance(void **state)
{
    (void)state;
    char *dir = make_case();
    char p1[600], p2[600], s1[700], s2[700];
    snprintf(p1, sizeof p1, "%s/one.nc", dir);
    snprintf(p2, sizeof p2, "%s/two.nc", dir);
    snprintf(s1, sizeof s1, "output.file=%s", p1);
    snprintf(s2, sizeof s2, "output.file=%s", p2);
    const char *a[] = {s1}, *b[] = {s2};
    lt_summary x = run_case(dir, a, 1, 1);
    lt_summary y = run_case(dir, b, 1, 2);
    const char *vars[] = {"pm25", "pm25_src", "station_pm25", "station_pm25_src"};
    assert_same_data(p1, p2, vars, 4);
    lt_summary_free(&x);
    lt_summary_free(&y);
    remove_case(dir);
}

/* Calm hours are counted, written, and contribute nothing (calm = skip),
 * are modelled at 0.5 m/s (calm = minwind) or with meander (calm = meander,
 * also in a dead calm, where minwind has no direction to blow in). */
static void calm_hours(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[512];
    snprintf(p, sizeof p, "%s/met.nc", dir);
    met_opts o = met_defaults();
    o.u10 = 0.3;
    o.v10 = 0.2;
    write_met(p, &o);
    const char *sk[] = {"dispersion.calm=skip"};
    lt_summary s = run_case(dir, sk, 1, 2);
    assert_int_equal(s.calm_hours, 6);
    assert_int_equal(s.calm_source_hours, 18);
    assert_true(s.station_max[0] == 0.0 && s.station_max[1] == 0.0);
    lt_summary_free(&s);
    const char *mw[] = {"dispersion.calm=minwind"}, *me[] = {"dispersion.calm=meander"};
    s = run_case(dir, mw, 1, 2);
    assert_int_equal(s.calm_source_hours, 18);
    assert_true(s.grid_max > 0.0);
    lt_summary_free(&s);
    s = run_case(dir, me, 1, 2);
    assert_int_equal(s.calm_source_hours, 18);
    assert_true(s.grid_max > 0.0 && s.station_max[0] > 0.0 && s.station_max[1] > 0.0);
    lt_summary_free(&s);
    o.u10 = o.v10 = 0.0;
    write_met(p, &o);
    s = run_case(dir, mw, 1, 2);
    assert_true(s.grid_max == 0.0);
    lt_summary_free(&s);
    s = run_case(dir, me, 1, 2);
    assert_int_equal(s.calm_source_hours, 18);
    assert_true(s.grid_max > 0.0 && s.station_max[0] > 0.0 && s.station_max[1] > 0.0);
    lt_summary_free(&s);
    const char *ms[] = {"dispersion.calm=meander", "dispersion.curves=similarity"};
    s = run_case(dir, ms, 2, 2); /* the similarity scheme's column in a dead calm too */
    /* spread all round: the North station too, which no straight plume toward
     * the (arbitrary) east of a dead calm reaches */
    assert_true(s.grid_max > 0.0 && s.station_max[0] > 0.0 && s.station_max[1] > 0.0);
    lt_summary_free(&s);
    remove_case(dir);
}

/* Loads dir/case.ini with overrides; returns lt_case_load's status and its message in msg. */
static int load_status(const char *dir, const char *const *sets, int nsets, char *msg, size_t n)
{
    lt_error err;
    lt_config cfg;
    lt_case *cs = NULL;
    int rc = load_case(dir, sets, nsets, &cfg, &cs, &err);
    if (!rc) {
        lt_case_free(&cs);
        lt_config_free(&cfg);
    }
    if (snprintf(msg, n, "%s", rc ? err.msg : "") >= (int)n)
        msg[n - 1] = 0;
    return rc;
}

/* [background] from_observations with a known answer: observations made as
 * the run's own local PM2.5 at S1 plus a chosen background B(h) give back
 * B(h) as the background tag at every receptor, and S1's total equals the
 * observation; an hour observed below the local part is clipped to 0 and
 * counted; an hour without an observation needs a [background] file. */
static void background_from_observations(void **state)
{
    (void)state;
    char *dir = make_case();
    lt_summary s = run_case(dir, NULL, 0, 1);
    lt_summary_free(&s);
    char p[512];
    snprintf(p, sizeof p, "%s/out.nc", dir);
    int nc;
    assert_int_equal(nc_open(p, NC_NOWRITE, &nc), NC_NOERR);
    size_t n;
    float *local = read_var(nc, "station_pm25", &n); /* [6][2] */
    nc_close(nc);
    assert_int_equal(n, 12);
    int hclip = 0;
    for (int h = 1; h < 6; h++)
        if (local[2 * h] > local[2 * hclip])
            hclip = h;
    assert_true(local[2 * hclip] > 0.1f);
    const double B[6] = {30, 40, 50, 60, 70, 80};
    double obs[6];
    char text[1024] = "station,time,pollutant,value\n";
    for (int h = 0; h < 6; h++) {
        obs[h] = h == hclip ? 0.5 * local[2 * h] : local[2 * h] + B[h];
        snprintf(text + strlen(text), sizeof text - strlen(text), "S1,2017-01-01T%02d:00:00Z,pm25,%.9g\n", h, obs[h]);
    }
    snprintf(p, sizeof p, "%s/obs.csv", dir);
    write_text(p, text);
    char obs_set[600], bgf_set[600], out1[600], out2[600];
    snprintf(obs_set, sizeof obs_set, "background.from_observations=%s/obs.csv", dir);
    snprintf(bgf_set, sizeof bgf_set, "background.file=%s/bg.csv", dir);
    snprintf(out1, sizeof out1, "output.file=%s/bg.nc", dir);
    snprintf(out2, sizeof out2, "output.file=%s/bg2.nc", dir);
    const char *sets[] = {obs_set, "background.stations=S1", out1};
    s = run_case(dir, sets, 3, 2);
    assert_int_equal(s.bg_hours, 6);
    assert_int_equal(s.bg_clipped_hours, 1);
    assert_int_equal(s.bg_fallback_hours, 0);
    lt_summary_free(&s);
    snprintf(p, sizeof p, "%s/bg.nc", dir);
    assert_int_equal(nc_open(p, NC_NOWRITE, &nc), NC_NOERR);
    size_t nt = dim_len(nc, "time"), ns = dim_len(nc, "source"), nst = dim_len(nc, "station"), m;
    float *tot = read_var(nc, "station_pm25", &m), *src = read_var(nc, "station_pm25_src", &m);
    char note[4096];
    text_att(nc, NC_GLOBAL, "lantian_background_from_observations", note, sizeof note);
    nc_close(nc);
    assert_non_null(strstr(note, "stations S1 ("));
    assert_non_null(strstr(note, "clipped to zero in 1 hours"));
    for (size_t h = 0; h < nt; h++) {
        double bg = src[(h * ns + ns - 1) * nst + 0], bg2 = src[(h * ns + ns - 1) * nst + 1];
        double want = (int)h == hclip ? 0.0 : B[h];
        assert_rel(bg + 1e-9, want + 1e-9, 1e-5);
        assert_rel(bg2 + 1e-9, want + 1e-9, 1e-5);  /* the same at every receptor */
        if ((int)h != hclip)
            assert_rel(tot[h * nst], obs[h], 1e-5);
    }
    free(tot);
    free(src);
    /* hour 3 observed nowhere: an error naming it, unless a [background] file fills it */
    char *line = strstr(text, "S1,2017-01-01T03");
    memmove(line, strchr(line, '\n') + 1, strlen(strchr(line, '\n') + 1) + 1);
    snprintf(p, sizeof p, "%s/obs.csv", dir);
    write_text(p, text);
    char msg[1024];
    assert_int_not_equal(load_status(dir, sets, 3, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "no PM2.5 observed at the stations 'S1' in the hour starting 2017-01-01T03:00:00Z"));
    snprintf(p, sizeof p, "%s/bg.csv", dir);
    write_text(p, "time,pm25_ugm3\n2017-01-01T00:00:00Z,1\n2017-01-01T01:00:00Z,1\n2017-01-01T02:00:00Z,1\n"
                  "2017-01-01T03:00:00Z,17\n2017-01-01T04:00:00Z,1\n2017-01-01T05:00:00Z,1\n");
    const char *sets2[] = {obs_set, "background.stations=S1", out2, bgf_set};
    s = run_case(dir, sets2, 4, 1);
    assert_int_equal(s.bg_hours, 5);
    assert_int_equal(s.bg_fallback_hours, 1);
    lt_summary_free(&s);
    const char *bad[] = {obs_set, "background.stations=S9"};
    assert_int_not_equal(load_status(dir, bad, 2, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "[background] stations names 'S9', which is not a station"));
    const char *grid[] = {obs_set, "background.stations=S1", "solver.method=grid", "solver.coarsen=2"};
    assert_int_not_equal(load_status(dir, grid, 4, msg, sizeof msg), 0);
    if (!strstr(msg, "needs [solver] method = plume"))
        fail_msg("%s", msg);
    const char *none[] = {obs_set};
    assert_int_not_equal(load_status(dir, none, 1, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "[background] stations"));
    free(local);
    remove_case(dir);
}

static void config_overrides_and_paths(void **state)
{
    (void)state;
    char *dir = make_case();
    char cfgp[512];
    snprintf(cfgp, sizeof cfgp, "%s/case.ini", dir);
    const char *sets[] = {"run.hours=3", "output.file=rel/out.nc", "dispersion.curves=briggs-urban"};
    lt_config cfg;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_config_load(&cfg, cfgp, sets, 3, &err), 0);
    assert_int_equal(cfg.hours, 3);
    assert_string_equal(cfg.output_file, "rel/out.nc"); /* --set: as given */
    char want[600];
    snprintf(want, sizeof want, "%s/points.csv", dir); /* file: against its folder */
    assert_string_equal(cfg.points_file, want);
    assert_string_equal(cfg.curves, "briggs-urban");
    assert_int_equal(cfg.nsectors, 7);
    assert_string_equal(cfg.sectors[6], "solvents");
    assert_rel(cfg.z0_m, 0.3, 1e-12);
    assert_rel(cfg.receptor_height_m, 1.5, 1e-12);
    assert_rel(cfg.start_s, 1483228800.0, 1e-15); /* 2017-01-01T00:00:00Z */
    assert_non_null(strstr(cfg.text, "hours = 3"));
    lt_config_free(&cfg);
    /* a missing required key */
    write_text(cfgp, "[run]\nstart = 2017-01-01T00:00:00Z\n");
    lt_error_clear(&err);
    assert_int_not_equal(lt_config_load(&cfg, cfgp, NULL, 0, &err), 0);
    assert_non_null(strstr(err.msg, "[run] hours is missing"));
    remove_case(dir);
}

static void iso8601(void **state)
{
    (void)state;
    double t;
    assert_int_equal(lt_parse_iso8601("2020-01-10T00:00:00Z", &t), 0);
    assert_rel(t, 1578614400.0, 1e-15);
    assert_int_equal(lt_parse_iso8601("2020-02-29T12:30:00+00:00", &t), 0);
    assert_int_not_equal(lt_parse_iso8601("2019-02-29T00:00:00Z", &t), 0);
    assert_int_not_equal(lt_parse_iso8601("2020-01-10 00:00:00", &t), 0);
    assert_int_not_equal(lt_parse_iso8601("2020-01-10T00:00:00+08:00", &t), 0);
    char buf[32];
    lt_format_iso8601(1578614400.0, buf, sizeof buf);
    assert_string_equal(buf, "2020-01-10T00:00:00Z");
}

/* Transverse Mercator: origin at the centre, metres true along the central
 * meridian (1 degree of latitude ~ 110.9 km at 35 N), inverse undoes forward,
 * and meridians converge east of the centre (north rotated anticlockwise:
 * gamma = dlon sin(lat) to first order). */
static void projection(void **state)
{
    (void)state;
    lt_domain *d;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_domain_create(&d, 108.4, 34.8, 10, 10, 1000, &err), 0);
    double x, y, lon, lat;
    assert_int_equal(lt_domain_forward(d, 108.4, 34.8, &x, &y), 0);
    assert_true(fabs(x) < 1e-6 && fabs(y) < 1e-6);
    assert_int_equal(lt_domain_forward(d, 108.4, 35.3, &x, &y), 0);
    assert_rel(y, 0.5 * 110940.0, 2e-3);
    assert_int_equal(lt_domain_inverse(d, 54321.0, -12345.0, &lon, &lat), 0);
    assert_int_equal(lt_domain_forward(d, lon, lat, &x, &y), 0);
    assert_rel(x, 54321.0, 1e-9);
    assert_rel(y, -12345.0, 1e-9);
    double g = lt_domain_north_rotation(d, 109.4, 34.8);
    assert_rel(g, 1.0 * 3.14159265358979 / 180.0 * sin(34.8 * 3.14159265358979 / 180.0), 0.02);
    assert_true(fabs(lt_domain_north_rotation(d, 108.4, 34.8)) < 1e-9);
    assert_rel(lt_domain_x(d, 0), -4500.0, 1e-12);
    lt_domain_free(&d);
    assert_null(d);
}

/* Bilinear interpolation is exact for a field linear in lon and lat. */
static void met_bilinear(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[512];
    snprintf(p, sizeof p, "%s/lin.nc", dir);
    int nc, dt, dy, dx, tv, la, lo;
    nc_create(p, NC_NETCDF4 | NC_CLOBBER, &nc);
    nc_def_dim(nc, "time", 1, &dt);
    nc_def_dim(nc, "lat", 3, &dy);
    nc_def_dim(nc, "lon", 4, &dx);
    nc_def_var(nc, "time", NC_DOUBLE, 1, &dt, &tv);
    nc_put_att_text(nc, tv, "units", 30, "days since 2017-01-01 00:00:00");
    nc_def_var(nc, "lat", NC_DOUBLE, 1, &dy, &la);
    nc_def_var(nc, "lon", NC_DOUBLE, 1, &dx, &lo);
    const char *names[] = {"u10", "v10", "t2", "pblh", "ust", "rmol"};
    int ids[6], dims[3] = {dt, dy, dx};
    for (int i = 0; i < 6; i++)
        nc_def_var(nc, names[i], NC_FLOAT, 3, dims, &ids[i]);
    nc_put_att_text(nc, ids[2], "units", 5, "degC"); /* converted to K */
    nc_enddef(nc);
    double t = 0, lats[3] = {35.0, 34.5, 34.0}, lons[4] = {108, 108.5, 109, 109.5};
    nc_put_var_double(nc, tv, &t);
    nc_put_var_double(nc, la, lats);
    nc_put_var_double(nc, lo, lons);
    float f[12];
    for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 4; k++)
                f[j * 4 + k] = (float)(i == 3 ? 100 + 200 * (lons[k] - 108) + 400 * (lats[j] - 34)
                                              : (i == 2 ? -5.0 : 1.0));
        nc_put_var_float(nc, ids[i], f);
    }
    nc_close(nc);
    lt_met *m;
    lt_error err;
    lt_error_clear(&err);
    assert_int_equal(lt_met_open(&m, p, &err), 0);
    assert_int_equal(lt_met_load(m, 1483228800.0, &err), 0);
    lt_met_point mp;
    lt_met_sample(m, 108.8, 34.3, &mp);
    assert_rel(mp.pblh, 100 + 200 * 0.8 + 400 * 0.3, 1e-5);
    assert_rel(mp.t2, 268.15, 1e-6);
    assert_true(isnan(mp.hfx) && mp.rain == 0.0);
    /* outside the grid: the nearest edge */
    lt_met_sample(m, 107.0, 36.0, &mp);
    assert_rel(mp.pblh, 100 + 0 + 400 * 1.0, 1e-5);
    /* a day later there is no record */
    assert_int_not_equal(lt_met_check_coverage(m, 1483228800.0, 2, &err), 0);
    assert_non_null(strstr(err.msg, "2017-01-01T01:00:00Z"));
    lt_met_close(&m);
    remove_case(dir);
}

/* A projected met grid (CF transverse_mercator, axes in km) is read through
 * its grid mapping: a field linear in x and y is recovered exactly at a
 * lon/lat whose x/y PROJ gives independently. */
static void met_projected_grid(void **state)
{
    (void)state;
    char *dir = make_case();
    char p[512];
    snprintf(p, sizeof p, "%s/proj.nc", dir);
    int nc, dt, dy, dx, tv, yv, xv, gm;
    nc_create(p, NC_NETCDF4 | NC_CLOBBER, &nc);
    nc_def_dim(nc, "time", 1, &dt);
    nc_def_dim(nc, "y", 5, &dy);
    nc_def_dim(nc, "x", 6, &dx);
    nc_def_var(nc, "time", NC_DOUBLE, 1, &dt, &tv);
    nc_put_att_text(nc, tv, "units", 31, "hours since 2017-01-01 00:00:00");
    nc_def_var(nc, "y", NC_DOUBLE, 1, &dy, &yv);
    nc_put_att_text(nc, yv, "units", 2, "km");
    nc_put_att_text(nc, yv, "standard_name", 23, "projection_y_coordinate");
    nc_def_var(nc, "x", NC_DOUBLE, 1, &dx, &xv);
    nc_put_att_text(nc, xv, "units", 2, "km");
    nc_put_att_text(nc, xv, "standard_name", 23, "projection_x_coordinate");
    nc_def_var(nc, "crs", NC_INT, 0, NULL, &gm);
    nc_put_att_text(nc, gm, "grid_mapping_name", 19, "transverse_mercator");
    double lon0 = 108.4, lat0 = 34.8, one = 1.0;
    nc_put_att_double(nc, gm, "longitude_of_central_meridian", NC_DOUBLE, 1, &lon0);
    nc_put_att_double(nc, gm, "latitude_of_projection_origin", NC_DOUBLE, 1, &lat0);
    nc_put_att_double(nc, gm, "scale_factor_at_central_meridian", NC_DOUBLE, 1, &one);
    const char *names[] = {"u10", "v10", "t2", "pblh", "ust", "rmol"};
    int ids[6], dims[3] = {dt, dy, dx};
    for (int i = 0; i < 6; i++) {
        nc_def_var(nc, names[i], NC_FLOAT, 3, dims, &ids[i]);
        nc_put_att_text(nc, ids[i], "grid_mapping", 3, "crs");
    }
    nc_enddef(nc);
    double t = 0, ys[5], xs[6];
    for (int j = 0; j < 5; j++)
        ys[j] = -40.0 + 20.0 * j;
    for (int i = 0; i < 6; i++)
        xs[i] = -50.0 + 20.0 * i;
    nc_put_var_double(nc, tv, &t);
    nc_put_var_double(nc, yv, ys);
    nc_put_var_double(nc, xv, xs);
    float f[30];
    for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 5; j++)
            for (int k = 0; k < 6; k++)
                f[j * 6 + k] = (float)(i == 3 ? 500.0 + 4.0 * xs[k] + 2.0 * ys[j] : (i == 2 ? 270.0 : 1.0));
        nc_put_var_float(nc, ids[i], f);
    }
    nc_close(nc);
    lt_met *m;
    lt_error err;
    lt_error_clear(&err);
    int rc = lt_met_open(&m, p, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(lt_met_load(m, 1483228800.0, &err), 0);
    lt_domain *d;
    assert_int_equal(lt_domain_create(&d, 108.4, 34.8, 1, 1, 1000, &err), 0);
    double x, y;
    lt_domain_forward(d, 108.55, 34.95, &x, &y);
    lt_met_point mp;
    lt_met_sample(m, 108.55, 34.95, &mp);
    assert_rel(mp.pblh, 500.0 + 4.0 * x / 1000.0 + 2.0 * y / 1000.0, 1e-6);
    lt_domain_free(&d);
    lt_met_close(&m);
    remove_case(dir);
}

/* The six-pollutant days and the period's assessment against hand values:
 * two CST days (2 and 3 January) whose background NO2 and O3 decide the
 * second day's AQI while PM2.5 would call it good. */
static void six_pollutant_assessment(void **state)
{
    (void)state;
    char *dir = make_case(), p[512], bg[600], tg[600], out[600], aqi[600];
    met_opts o = met_defaults();
    o.hours = 64;
    snprintf(p, sizeof p, "%s/met.nc", dir);
    write_met(p, &o);
    char *text = malloc(8192);
    strcpy(text, "time,pm25,pm10,so2,no2,co,o3\n");
    for (int h = 0; h < 48; h++) {
        int day = h / 24, j = h % 24; /* CST day and hour: the run starts at 00:00 CST */
        double no2 = day ? 100.0 : 30.0, o3 = day && j >= 12 && j <= 19 ? 200.0 : (day ? 100.0 : 50.0);
        snprintf(text + strlen(text), 8192 - strlen(text), "2017-01-%02dT%02d:00:00Z,20,50,10,%g,1,%g\n",
                 1 + (16 + h) / 24, (16 + h) % 24, no2, o3);
    }
    snprintf(p, sizeof p, "%s/bg.csv", dir);
    write_text(p, text);
    free(text);
    snprintf(p, sizeof p, "%s/targets.csv", dir);
    write_text(p, "level,name,pm25_max,good_days_min,heavy_days_max\ncity,city,1000,365,\ncounty,A县,1000,,\n");
    snprintf(bg, sizeof bg, "background.file=%s/bg.csv", dir);
    snprintf(tg, sizeof tg, "assessment.targets=%s/targets.csv", dir);
    snprintf(out, sizeof out, "output.file=%s/aq.nc", dir);
    snprintf(aqi, sizeof aqi, "assessment.aqi_rules=inputs/policy/aqi_HJ633-2012.ini");
    const char *sets[] = {"run.start=2017-01-01T16:00:00Z", "run.hours=48", bg, tg, out, aqi};
    lt_summary s = run_case(dir, sets, 6, 2);
    /* the run's own PM2.5 at the stations, from its output */
    snprintf(p, sizeof p, "%s/aq.nc", dir);
    int nc;
    assert_int_equal(nc_open(p, NC_NOWRITE, &nc), NC_NOERR);
    size_t n;
    float *st = read_var(nc, "station_pm25", &n); /* [48][2], background included */
    nc_close(nc);
    assert_int_equal(n, 96);
    double m[2][3] = {{0}}; /* [day][S1, S2, city] */
    for (int h = 0; h < 48; h++)
        for (int k = 0; k < 2; k++) {
            m[h / 24][k] += st[2 * h + k] / 24.0;
            m[h / 24][2] += st[2 * h + k] / 48.0;
        }
    free(st);
    snprintf(p, sizeof p, "%s/aq_daily.csv", dir);
    const char *day2 = "baseline,city,city,2017-01-03,", *day1s = "baseline,station,S1,2017-01-02,";
    assert_rel(csv_num(p, day2, 4), m[1][2], 0.01 / m[1][2]);        /* pm25 */
    assert_rel(csv_num(p, day2, 5), m[1][2] + 30.0, 0.01 / m[1][2]); /* pm10 = pm25 + coarse 30 */
    assert_rel(csv_num(p, day1s, 4), m[0][0], 0.01 / m[0][0]);
    assert_rel(csv_num(p, day2, 9), 200.0, 0.0);                     /* o3_8h: the window 12..19 */
    assert_int_equal((int)csv_num(p, day2, 14), 110);                /* iaqi_no2: 100 + 50*20/100 */
    assert_int_equal((int)csv_num(p, day2, 16), 137);                /* iaqi_o3: 100 + 50*40/55 = 136.4 */
    int iaqi25 = (int)csv_num(p, day2, 11);
    assert_true(iaqi25 < 100); /* the test's premise: PM2.5 alone would call the day good */
    assert_int_equal((int)csv_num(p, day2, 17), 137);
    assert_int_equal((int)csv_num(p, day2, 18), 2);
    char prim[64];
    csv_field(p, day2, 19, prim, sizeof prim);
    assert_string_equal(prim, "o3");
    /* the period: two valid days, one good; the city's 365 good days a year
     * held over 2 valid days: 2 needed, 1 short */
    snprintf(p, sizeof p, "%s/aq_annual.csv", dir);
    const char *city = "baseline,city,city,";
    assert_int_equal((int)csv_num(p, city, 3), 2);
    assert_int_equal((int)csv_num(p, city, 4), 1);
    assert_rel(csv_num(p, city, 7), 0.5 * (m[0][2] + m[1][2]), 0.01 / m[0][2]);
    assert_rel(csv_num(p, city, 10), 65.0, 1e-12); /* NO2: (30 + 100) / 2 */
    char att[16];
    csv_field(p, city, 16, att, sizeof att);
    assert_string_equal(att, "no");
    assert_int_equal((int)csv_num(p, city, 25), 1); /* pm25_only_missed_days */
    assert_int_equal((int)csv_num(p, city, 26), 1); /* good_days_short */
    csv_field(p, "baseline,county,A县,", 16, att, sizeof att);
    assert_string_equal(att, "yes");
    csv_field(p, "baseline,station,S1,", 16, att, sizeof att);
    assert_string_equal(att, "");
    /* the same days in the daily NetCDF: the AQI, the primary pollutants' flags, the values */
    snprintf(p, sizeof p, "%s/aq_daily.nc", dir);
    assert_int_equal(nc_open(p, NC_NOWRITE, &nc), NC_NOERR);
    int v, aqi_all[2];
    signed char primv[2];
    assert_int_equal(nc_inq_varid(nc, "city_aqi_all", &v), NC_NOERR);
    assert_int_equal(nc_get_var_int(nc, v, aqi_all), NC_NOERR);
    assert_int_equal(nc_inq_varid(nc, "city_primary", &v), NC_NOERR);
    assert_int_equal(nc_get_var_schar(nc, v, primv), NC_NOERR);
    float *no2 = read_var(nc, "station_no2_daily", &n), *o3 = read_var(nc, "city_o3_8h_daily", &n);
    nc_close(nc);
    assert_rel(no2[1 * 2 + 1], 100.0, 1e-6); /* day 2 at S2 */
    assert_rel(o3[1], 200.0, 1e-6);
    free(no2);
    free(o3);
    assert_int_equal(aqi_all[1], 137);
    assert_int_equal(primv[1], 1 << 5); /* o3 */
    /* the summary's rows: counties then the city */
    assert_int_equal(s.nannual, 3);
    assert_int_equal(s.annual[2].level, LT_LEVEL_CITY);
    assert_int_equal(s.annual[2].a.good_days, 1);
    assert_int_equal(s.aq_pols, LT_POL_ALL);
    lt_summary_free(&s);
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(additivity_and_round_trip),
        cmocka_unit_test(thread_invariance),
        cmocka_unit_test(apportionment_and_components),
        cmocka_unit_test(own_source_tags),
        cmocka_unit_test(grid_and_hybrid),
        cmocka_unit_test(hourly_emissions),
        cmocka_unit_test(similarity_scheme_runs),
        cmocka_unit_test(volume_sources),
        cmocka_unit_test(turner_stability),
        cmocka_unit_test(area_sources),
        cmocka_unit_test(road_equals_points),
        cmocka_unit_test(calm_hours),
        cmocka_unit_test(background_from_observations),
        cmocka_unit_test(six_pollutant_assessment),
        cmocka_unit_test(config_overrides_and_paths),
        cmocka_unit_test(iso8601),
        cmocka_unit_test(projection),
        cmocka_unit_test(met_bilinear),
        cmocka_unit_test(met_projected_grid),
    };
    return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
