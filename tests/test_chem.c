/* test_chem.c — secondary PM2.5 in the plume: the closed form of chem.h
 * against a numerical integration of the same first-order equations, its
 * mass balance, its limits, and the kernel's components against the unit
 * plume times the closed form. */
#include "lt_test.h"

#include <string.h>

#include "physics/chem.h"
#include "solvers/plume.h"

#define PI 3.14159265358979323846

/* dP/dt = -(kc + kp) P, dS/dt = r kc P - ks S by classical RK4 with 20 000
 * steps: an independent check of the closed form. */
static double rk4_product(double kc, double kp, double ks, double r, double t)
{
    double p = 1.0, s = 0.0, h = t / 20000.0;
    for (int i = 0; i < 20000; i++) {
        double p1 = -(kc + kp) * p, s1 = r * kc * p - ks * s;
        double pa = p + 0.5 * h * p1, sa = s + 0.5 * h * s1;
        double p2 = -(kc + kp) * pa, s2 = r * kc * pa - ks * sa;
        double pb = p + 0.5 * h * p2, sb = s + 0.5 * h * s2;
        double p3 = -(kc + kp) * pb, s3 = r * kc * pb - ks * sb;
        double pc = p + h * p3, sc = s + h * s3;
        double p4 = -(kc + kp) * pc, s4 = r * kc * pc - ks * sc;
        p += h / 6.0 * (p1 + 2 * p2 + 2 * p3 + p4);
        s += h / 6.0 * (s1 + 2 * s2 + 2 * s3 + s4);
    }
    return s;
}

static void closed_form_matches_integration(void **state)
{
    (void)state;
    lt_chem_params p;
    lt_chem_defaults(&p);
    lt_chem_rates r;
    /* noon sun, humid, raining, a shallow winter boundary layer */
    lt_chem_rates_at(&p, 0.5, 85.0, 1.5, 400.0, &r);
    const double ratio[3] = {LT_MW_SO4_PER_SO2, LT_MW_NO3_PER_NO2, p.soa_yield};
    const double ts[] = {60.0, 1800.0, 7200.0, 36000.0};
    for (int k = 0; k < 4; k++) {
        double f[LT_NCOMP];
        lt_chem_factors(&p, &r, ts[k], f);
        assert_rel(f[LT_COMP_PRIMARY], exp(-r.pm_loss * ts[k]), 1e-14);
        for (int i = 0; i < 3; i++)
            assert_rel(f[1 + i], rk4_product(r.conv[i], r.loss[i], r.pm_loss, ratio[i], ts[k]), 1e-9);
    }
}

static void rates_follow_sun_humidity_and_rain(void **state)
{
    (void)state;
    lt_chem_params p;
    lt_chem_defaults(&p);
    lt_chem_rates night, noon, wet;
    lt_chem_rates_at(&p, -0.2, NAN, 0.0, 500.0, &night);
    lt_chem_rates_at(&p, 1.0, NAN, 0.0, 500.0, &noon);
    /* CALPUFF CHEM.DAT: 0.2 %/h and 2 %/h for SO2, 2 and 15 %/h for NOx */
    assert_rel(night.conv[0] * 3600 * 100, 0.2, 1e-12);
    assert_rel(noon.conv[0] * 3600 * 100, 2.0, 1e-12);
    assert_rel(night.conv[1] * 3600 * 100, 2.0, 1e-12);
    assert_rel(noon.conv[1] * 3600 * 100, 15.0, 1e-12);
    /* MESOPUFF II aqueous path: 3e-8 RH^4 %/h, 1.968 %/h at 90 % */
    lt_chem_rates_at(&p, -0.2, 90.0, 2.0, 500.0, &wet);
    assert_rel(wet.conv[0] * 3600 * 100, 0.2 + 3e-8 * pow(90.0, 4), 1e-12);
    /* wet scavenging 1e-4 s-1 per mm/h for particles, dry 0.1 cm/s over 500 m */
    assert_rel(wet.pm_loss, 0.001 / 500.0 + 2.0e-4, 1e-12);
}

static void no_removal_conserves_sulfur(void **state)
{
    (void)state;
    lt_chem_params p;
    lt_chem_defaults(&p);
    p.vd_so2 = p.vd_pm = p.wet_so2 = p.wet_pm = 0.0;
    lt_chem_rates r;
    lt_chem_rates_at(&p, 0.8, NAN, 0.0, 800.0, &r);
    for (double t = 100.0; t < 2e5; t *= 3.0) {
        double f[LT_NCOMP];
        lt_chem_factors(&p, &r, t, f);
        /* sulfate formed = SO2 lost, in sulfate mass */
        assert_rel(f[LT_COMP_SO4], LT_MW_SO4_PER_SO2 * (1.0 - exp(-r.conv[0] * t)), 1e-12);
    }
}

static void equal_rates_limit_is_continuous(void **state)
{
    (void)state;
    lt_chem_params p;
    lt_chem_defaults(&p);
    lt_chem_rates r = {{1e-5, 0, 0}, {2e-5, 0, 0}, 3e-5, 3e-5}; /* ks = kc + kp exactly */
    double f[LT_NCOMP], g[LT_NCOMP];
    lt_chem_factors(&p, &r, 3600.0, f);
    r.pm_loss *= 1.0 + 1e-6; /* just off the limit: the general formula */
    lt_chem_factors(&p, &r, 3600.0, g);
    assert_rel(f[LT_COMP_SO4], g[LT_COMP_SO4], 1e-5);
    assert_rel(f[LT_COMP_SO4], LT_MW_SO4_PER_SO2 * 1e-5 * 3600.0 * exp(-3e-5 * 3600.0), 1e-12);
}

/* The kernel with chemistry: each component equals the unit plume times the
 * closed form at the travel time x / u. */
static void kernel_components(void **state)
{
    (void)state;
    lt_chem_params p;
    lt_chem_defaults(&p);
    lt_chem_rates r;
    lt_chem_rates_at(&p, 0.6, 80.0, 0.5, 600.0, &r);
    const double q[4] = {2e6, 5e6, 8e6, 3e6};
    lt_chem_src cs;
    lt_chem_src_setup(&cs, &p, &r, q);
    lt_plume_src s;
    memset(&s, 0, sizeof s);
    const lt_sigma_curves *c = lt_sigma_curves_find("briggs-rural");
    double u = 3.0;
    s.cos_t = 1.0;
    s.q_norm = 1.0 / (2 * PI * u);
    s.hs_m = 30.0;
    s.zi_m = 1e5;
    s.lid = 1;
    s.sy = c->y[LT_PG_D];
    s.sz = c->z[LT_PG_D];
    s.chem = &cs;
    s.u_travel_ms = u;
    for (double x = 500.0; x < 40000.0; x *= 2.0) {
        double rx = x, ry = 100.0, conc[LT_NCOMP] = {0};
        lt_plume_accumulate(&s, 1, &rx, &ry, 1, 1.5, LT_NCOMP, conc);
        double unit = lt_plume_at(&s, x, 100.0, 1.5), t = x / u;
        double f[LT_NCOMP];
        lt_chem_factors(&p, &r, t, f);
        assert_rel(conc[LT_COMP_PRIMARY], unit * q[0] * f[0], 1e-12);
        for (int i = 0; i < 3; i++)
            assert_rel(conc[1 + i], unit * q[1 + i] * f[1 + i], 1e-12);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(closed_form_matches_integration),
        cmocka_unit_test(rates_follow_sun_humidity_and_rain),
        cmocka_unit_test(no_removal_conserves_sulfur),
        cmocka_unit_test(equal_rates_limit_is_continuous),
        cmocka_unit_test(kernel_components),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
