/* test_optimize.c — the least-cost plan's program (policy/optimize.c) on
 * problems solved by hand and by brute-force enumeration, and the costs
 * file's checks (policy/optcost.c). */
#include "lt_test.h"

#include <string.h>
#include <unistd.h>

#include "policy/emergency.h"
#include "policy/optcost.h"
#include "policy/optimize.h"

static lt_opt_group linear_group(double emis_t, double cost, double max_cut)
{
    lt_opt_group g;
    memset(&g, 0, sizeof g);
    g.emis_t = emis_t;
    g.nseg = 1;
    g.cut_to[0] = max_cut;
    g.cost[0] = cost;
    return g;
}

static lt_opt_problem one_unit(const lt_opt_group *g, int ng, int ndays, const double *base, const double *resp,
                               const double *pm25_max, const double *good_min)
{
    lt_opt_problem p = {.ngroups = ng, .group = g, .nunits = 1, .ndays = ndays, .base = base, .resp = resp,
                        .pm25_max = pm25_max, .good_min = good_min, .good_limit = 75.0, .time_limit_s = 30,
                        .mip_gap = 0.0};
    return p;
}

/* Two groups, one station, one day. Removing group 0 entirely takes 30
 * ug/m3 off for 10 t x 100 yuan/t (33.3 yuan per ug/m3), group 1 60 ug/m3
 * for 10 t x 300 yuan/t (50 yuan per ug/m3). To go from 100 to 80: group 0
 * alone, cut 2/3, 666.67 yuan, and one ug/m3 less costs 33.3 yuan. */
static void lp_two_groups(void **state)
{
    (void)state;
    lt_opt_group g[2] = {linear_group(10, 100, 1.0), linear_group(10, 300, 1.0)};
    double base[1] = {100}, resp[2] = {30, 60}, pmax[1] = {80}, gmin[1] = {NAN};
    lt_opt_problem p = one_unit(g, 2, 1, base, resp, pmax, gmin);
    lt_opt_result r;
    lt_error err;
    assert_int_equal(lt_opt_solve(&p, &r, &err), LT_OK);
    assert_int_equal(r.status, LT_OPT_OPTIMAL);
    assert_rel(r.cut[0], 2.0 / 3.0, 1e-9);
    assert_true(fabs(r.cut[1]) < 1e-12);
    assert_rel(r.cost, 2000.0 / 3.0, 1e-9);
    assert_rel(r.mean[0], 80.0, 1e-9);
    assert_rel(r.dual_mean[0], 1000.0 / 30.0, 1e-6);
    lt_opt_result_free(&r);
}

/* The cheapest group is not the nearest: group 1 (60 ug/m3 at the station)
 * costs more per ug/m3 than group 0 (30 ug/m3), whose cut is capped at
 * 50 %: 15 ug/m3 from group 0 (500 yuan), the other 5 from group 1 (5/60 of
 * it, 250 yuan). */
static void lp_cheapest_not_nearest(void **state)
{
    (void)state;
    lt_opt_group g[2] = {linear_group(10, 100, 0.5), linear_group(10, 300, 1.0)};
    double base[1] = {100}, resp[2] = {30, 60}, pmax[1] = {80}, gmin[1] = {NAN};
    lt_opt_problem p = one_unit(g, 2, 1, base, resp, pmax, gmin);
    lt_opt_result r;
    lt_error err;
    assert_int_equal(lt_opt_solve(&p, &r, &err), LT_OK);
    assert_int_equal(r.status, LT_OPT_OPTIMAL);
    assert_rel(r.cut[0], 0.5, 1e-9);
    assert_rel(r.cut[1], 5.0 / 60.0, 1e-9);
    assert_rel(r.cost, 750.0, 1e-9);
    /* the marginal ug/m3 now comes from group 1 */
    assert_rel(r.dual_mean[0], 3000.0 / 60.0, 1e-6);
    lt_opt_result_free(&r);
}

/* Increasing marginal costs: 0-50 % at 100 yuan/t, 50-100 % at 400; a 75 %
 * cut costs 10 t x (0.5 x 100 + 0.25 x 400) = 1500 yuan. */
static void piecewise_costs(void **state)
{
    (void)state;
    lt_opt_group g = linear_group(10, 100, 0.5);
    g.nseg = 2;
    g.cut_to[1] = 1.0;
    g.cost[1] = 400;
    double base[1] = {100}, resp[1] = {40}, pmax[1] = {70}, gmin[1] = {NAN};
    lt_opt_problem p = one_unit(&g, 1, 1, base, resp, pmax, gmin);
    lt_opt_result r;
    lt_error err;
    assert_int_equal(lt_opt_solve(&p, &r, &err), LT_OK);
    assert_int_equal(r.status, LT_OPT_OPTIMAL);
    assert_rel(r.cut[0], 0.75, 1e-9);
    assert_rel(r.cost, 1500.0, 1e-9);
    assert_rel(lt_opt_group_cost(&g, 0.75), 1500.0, 1e-12);
    lt_opt_result_free(&r);
}

/* The least cost of making the days in set S good (and the mean bound),
 * over two groups, by enumerating the vertices of the feasible polygon: the
 * intersections of every pair of constraint lines a0 x0 + a1 x1 = b. */
static double brute_cost(const double *base, const double *resp, int nd, unsigned set, const double *c,
                         const double *xmax, double mean_need, const double *mean_coef)
{
    double a[40][2], b[40];
    int n = 0;
    for (int d = 0; d < nd; d++)
        if (set >> d & 1u) {
            a[n][0] = resp[2 * d];
            a[n][1] = resp[2 * d + 1];
            b[n++] = base[d] - 75.0 + 1e-6;
        }
    a[n][0] = mean_coef[0], a[n][1] = mean_coef[1], b[n++] = mean_need;
    int nge = n; /* rows >= b so far; the bounds follow as lines */
    double line[44][3];
    for (int i = 0; i < n; i++)
        line[i][0] = a[i][0], line[i][1] = a[i][1], line[i][2] = b[i];
    double bl[4][3] = {{1, 0, 0}, {0, 1, 0}, {1, 0, xmax[0]}, {0, 1, xmax[1]}};
    for (int i = 0; i < 4; i++)
        memcpy(line[n + i], bl[i], sizeof bl[i]);
    int nl = n + 4;
    double best = INFINITY;
    for (int i = 0; i < nl; i++)
        for (int j = i + 1; j < nl; j++) {
            double det = line[i][0] * line[j][1] - line[i][1] * line[j][0];
            if (fabs(det) < 1e-14)
                continue;
            double x0 = (line[i][2] * line[j][1] - line[i][1] * line[j][2]) / det;
            double x1 = (line[i][0] * line[j][2] - line[i][2] * line[j][0]) / det;
            int ok = x0 >= -1e-9 && x1 >= -1e-9 && x0 <= xmax[0] + 1e-9 && x1 <= xmax[1] + 1e-9;
            for (int k = 0; k < nge && ok; k++)
                ok = a[k][0] * x0 + a[k][1] * x1 >= b[k] - 1e-9;
            if (ok && c[0] * x0 + c[1] * x1 < best)
                best = c[0] * x0 + c[1] * x1;
        }
    return best;
}

/* Twelve days above the good-day limit, two groups whose shares differ day
 * by day, a good-day target of K and a mean bound: the mixed-integer plan's
 * cost equals the least over all 2^12 choices of good days. */
static void milp_equals_enumeration(void **state)
{
    (void)state;
    enum { ND = 12 };
    double base[ND], resp[2 * ND];
    for (int d = 0; d < ND; d++) {
        base[d] = 80.0 + 2.5 * ((d * 5) % ND);
        resp[2 * d] = 10.0 + 3.0 * ((d * 7) % 11);       /* group 0's part of the day */
        resp[2 * d + 1] = 60.0 - 2.5 * ((d * 3) % 13);   /* group 1's */
    }
    lt_opt_group g[2] = {linear_group(20, 150, 0.9), linear_group(12, 320, 0.8)};
    double c[2] = {20 * 150, 12 * 320}, xmax[2] = {0.9, 0.8};
    double mean_base = 0.0, mean_coef[2] = {0, 0};
    for (int d = 0; d < ND; d++) {
        mean_base += base[d] / ND;
        mean_coef[0] += resp[2 * d] / ND;
        mean_coef[1] += resp[2 * d + 1] / ND;
    }
    double pmax[1] = {mean_base - 12.0};
    for (int K = 2; K <= 9; K += 3) {
        double gmin[1] = {K};
        lt_opt_problem p = one_unit(g, 2, ND, base, resp, pmax, gmin);
        p.mip_gap = 0.0;
        lt_opt_result r;
        lt_error err;
        assert_int_equal(lt_opt_solve(&p, &r, &err), LT_OK);
        double best = INFINITY;
        for (unsigned s = 0; s < (1u << ND); s++)
            if (__builtin_popcount(s) >= K) {
                double v = brute_cost(base, resp, ND, s, c, xmax, mean_base - pmax[0], mean_coef);
                if (v < best)
                    best = v;
            }
        if (isinf(best)) {
            assert_int_equal(r.status, LT_OPT_INFEASIBLE);
        } else {
            assert_int_equal(r.status, LT_OPT_OPTIMAL);
            assert_true(r.nbinaries >= ND);
            assert_rel(r.cost, best, 1e-6);
            assert_true(r.good[0] >= K);
            assert_true(r.mean[0] <= pmax[0] + 1e-9);
        }
        lt_opt_result_free(&r);
    }
}

/* Out of reach: the status says so and the means are those with every cut
 * at its maximum (the best reachable). */
static void infeasible_reports_best_reachable(void **state)
{
    (void)state;
    lt_opt_group g[2] = {linear_group(10, 100, 0.5), linear_group(10, 300, 0.5)};
    double base[2] = {100, 90}, resp[4] = {30, 60, 20, 20}, pmax[1] = {40}, gmin[1] = {NAN};
    lt_opt_problem p = one_unit(g, 2, 2, base, resp, pmax, gmin);
    lt_opt_result r;
    lt_error err;
    assert_int_equal(lt_opt_solve(&p, &r, &err), LT_OK);
    assert_int_equal(r.status, LT_OPT_INFEASIBLE);
    /* (100 - 15 - 30 + 90 - 10 - 10) / 2 */
    assert_rel(r.mean[0], 62.5, 1e-12);
    lt_opt_result_free(&r);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Bad rows: each a clear error naming the file's line and the value. */
static void costs_file_checks(void **state)
{
    (void)state;
    char path[] = "/tmp/lantian-test-costs-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const char *sectors[] = {"industry", "coal"}, *counties[] = {"秦都区", "乾县"};
    const char *hdr = "sector,county,grade,cut_to,cost_yuan_per_t\n";
    struct {
        const char *rows, *want;
    } bad[] = {
        {"industry,*,B,0.5,-3\n", ":2: column 'cost_yuan_per_t' = '-3'"},
        {"industry,*,B,1.2,300\n", ":2: column 'cut_to' = '1.2'"},
        {"industry,*,B,0,300\n", ":2: column 'cut_to' = '0'"},
        {"steel,*,B,0.5,300\n", ":2: column 'sector' = 'steel': expected * or one of industry, coal"},
        {"industry,武功县,B,0.5,300\n", ":2: column 'county' = '武功县'"},
        {"industry,*,E,0.5,300\n", ":2: column 'grade' = 'E'"},
        {"industry,*,B,0.5,300\nindustry,*,B,0.4,500\n", ":3: cut_to = 0.4 after 0.5"},
        {"industry,*,B,0.5,300\nindustry,*,B,0.8,200\n", ":3: cost_yuan_per_t = 200 after 300"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s%s", hdr, bad[i].rows);
        write_text(path, text);
        lt_opt_costs oc;
        lt_error err;
        lt_error_clear(&err);
        assert_int_not_equal(lt_opt_costs_read(&oc, path, sectors, 2, counties, 2, &err), LT_OK);
        if (!strstr(err.msg, bad[i].want) || !strstr(err.msg, path))
            fail_msg("row %zu: '%s' does not name '%s'", i, err.msg, bad[i].want);
    }
    /* the most specific curve wins */
    write_text(path, "sector,county,grade,cut_to,cost_yuan_per_t\n*,*,*,0.2,900\nindustry,*,*,0.5,300\n"
                     "industry,秦都区,B,0.3,100\nindustry,秦都区,B,0.6,200\n");
    lt_opt_costs oc;
    lt_error err;
    assert_int_equal(lt_opt_costs_read(&oc, path, sectors, 2, counties, 2, &err), LT_OK);
    assert_int_equal((int)oc.n, 3);
    const lt_opt_curve *cv = lt_opt_costs_find(&oc, "industry", "秦都区", 'B');
    assert_int_equal(cv->nseg, 2);
    assert_rel(cv->cut_to[1], 0.6, 1e-15);
    assert_rel(lt_opt_costs_find(&oc, "industry", "乾县", 'B')->cost[0], 300, 1e-15);
    assert_rel(lt_opt_costs_find(&oc, "coal", "乾县", '-')->cost[0], 900, 1e-15);
    lt_opt_costs_free(&oc);
    remove(path);
}


static lt_emg_choice partial_only(double pm, double so2, double cost, double max_partial)
{
    lt_emg_choice c;
    memset(&c, 0, sizeof c);
    c.emis_sp[0] = pm;
    c.emis_sp[1] = so2;
    c.emis_t = pm + so2;
    c.cost_per_t = cost;
    c.max_partial = max_partial;
    c.stop_cost = NAN;
    return c;
}

/* One alert day at a 20 % minimum cut. PM2.5: E1 and E2 emit 10 t each, E1
 * cheaper (100 vs 300 yuan/t): E1 cut 40 % (4 t, 400 yuan). SO2: only E3
 * (20 t at 50 yuan/t): cut 20 % (4 t, 200 yuan). E0, the A-grade plant,
 * may not be cut (no partial cut, no stop): it stays at 0 though it emits
 * the most. */
static void emergency_min_cuts(void **state)
{
    (void)state;
    lt_emg_choice ch[4] = {partial_only(100, 0, 0, 0), partial_only(10, 0, 100, 1), partial_only(10, 0, 300, 1),
                           partial_only(0, 20, 50, 1)};
    /* the A-grade plant's emissions are not in the enterprises that may cut: the minimum is on the others */
    double min_cut[1] = {0.2};
    double base[1] = {NAN};
    lt_emg_problem p = {.nent = 4, .ndays = 1, .ch = ch, .min_cut = min_cut, .nunits = 1, .base = base,
                        .resp = (double[4]){0}, .max_pm25 = NAN, .max_stopped = -1, .time_limit_s = 30};
    lt_emg_result r;
    lt_error err;
    /* with the A-grade plant's 100 t of PM2.5 counted, 20 % (24 t) is out of reach: the others have 20 t */
    assert_int_equal(lt_emg_solve(&p, &r, &err), LT_OK);
    assert_int_equal(r.status, LT_OPT_INFEASIBLE);
    lt_emg_result_free(&r);
    ch[0] = partial_only(5, 0, 0, 0);
    assert_int_equal(lt_emg_solve(&p, &r, &err), LT_OK);
    assert_int_equal(r.status, LT_OPT_OPTIMAL);
    assert_true(r.cut[0] == 0.0);
    /* 20 % of 25 t of PM2.5 = 5 t: all from E1 (50 %), 20 % of SO2 from E3 */
    assert_rel(r.cut[1], 0.5, 1e-9);
    assert_true(fabs(r.cut[2]) < 1e-12);
    assert_rel(r.cut[3], 0.2, 1e-9);
    assert_rel(r.achieved[0], 0.2, 1e-9);
    assert_rel(r.achieved[1], 0.2, 1e-9);
    assert_rel(r.cost, 100 * 10 * 0.5 + 50 * 20 * 0.2, 1e-9);
    lt_emg_result_free(&r);
}

/* Four enterprises in two counties over three alert days, each either
 * running or stopped (12 binaries), with a 30 % minimum cut of PM2.5 and
 * SO2, a bound on the daily PM2.5 and at most one stop per county a day:
 * the program's list costs what the cheapest of all 2^12 lists that meet
 * everything costs. */
static void emergency_equals_enumeration(void **state)
{
    (void)state;
    enum { NE = 4, ND = 3 };
    lt_emg_choice ch[ND * NE];
    double base[ND], resp[ND * NE], min_cut[ND] = {0.3, 0.3, 0.3};
    for (int d = 0; d < ND; d++) {
        base[d] = 160.0 + 10.0 * d;
        for (int e = 0; e < NE; e++) {
            lt_emg_choice *c = &ch[d * NE + e];
            *c = partial_only(5.0 + 3.0 * ((e + d) % 4), 2.0 + 4.0 * ((3 * e + d) % 3), 0, 0);
            c->stop_cost = 1000.0 + 700.0 * ((e * 5 + d * 3) % 7);
            c->county = e % 2;
            resp[d * NE + e] = 6.0 + 5.0 * ((e * 3 + d) % 5);
        }
    }
    lt_emg_problem p = {.nent = NE, .ndays = ND, .ch = ch, .min_cut = min_cut, .nunits = 1, .base = base,
                        .resp = resp, .max_pm25 = 150.0, .max_stopped = 1, .ncounty = 2, .time_limit_s = 30};
    lt_emg_result r;
    lt_error err;
    assert_int_equal(lt_emg_solve(&p, &r, &err), LT_OK);
    double best = INFINITY;
    for (unsigned m = 0; m < (1u << (ND * NE)); m++) {
        int ok = 1;
        double cost = 0.0;
        for (int d = 0; d < ND && ok; d++) {
            double pm = 0, pmc = 0, so = 0, soc = 0, v = base[d];
            int stops[2] = {0, 0};
            for (int e = 0; e < NE; e++) {
                const lt_emg_choice *c = &ch[d * NE + e];
                int s = m >> (d * NE + e) & 1u;
                pm += c->emis_sp[0], so += c->emis_sp[1];
                if (s) {
                    pmc += c->emis_sp[0], soc += c->emis_sp[1], v -= resp[d * NE + e];
                    stops[c->county]++;
                    cost += c->stop_cost;
                }
            }
            ok = pmc >= 0.3 * pm - 1e-9 && soc >= 0.3 * so - 1e-9 && v <= 150.0 + 1e-9 && stops[0] <= 1 &&
                 stops[1] <= 1;
        }
        if (ok && cost < best)
            best = cost;
    }
    assert_true(isfinite(best));
    assert_int_equal(r.status, LT_OPT_OPTIMAL);
    assert_int_equal(r.nbinaries, ND * NE);
    assert_rel(r.cost, best, 1e-9);
    for (int d = 0; d < ND; d++) {
        assert_true(r.achieved[d * LT_EMG_NSP] >= 0.3 - 1e-9);
        assert_true(r.value[d] <= 150.0 + 1e-9);
    }
    lt_emg_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lp_two_groups),
        cmocka_unit_test(lp_cheapest_not_nearest),
        cmocka_unit_test(piecewise_costs),
        cmocka_unit_test(milp_equals_enumeration),
        cmocka_unit_test(infeasible_reports_best_reachable),
        cmocka_unit_test(costs_file_checks),
        cmocka_unit_test(emergency_min_cuts),
        cmocka_unit_test(emergency_equals_enumeration),
    };
    return cmocka_run_group_tests_name("optimize", tests, NULL, NULL);
}
