/* test_physics.c — stability, sigma curves, wind profile and plume rise
 * against published formulas and tables, evaluated by hand in the comments. */
#include "lt_test.h"

#include "physics/rise.h"
#include "physics/sigma.h"
#include "physics/stability.h"
#include "physics/surface.h"

/* Golder (1972) via Seinfeld & Pandis (2006) table 16.4: the line of each
 * class maps back to that class, for several roughness lengths. */
static void golder_lines_map_to_their_class(void **state)
{
    (void)state;
    const double z0s[] = {0.01, 0.1, 0.3, 1.0};
    for (int i = 0; i < 4; i++)
        for (int c = LT_PG_A; c <= LT_PG_F; c++) {
            double rmol = lt_golder_rmol((lt_pg_class)c, z0s[i]);
            assert_int_equal(lt_stability_golder(rmol, z0s[i]), c);
        }
}

static void golder_published_values(void **state)
{
    (void)state;
    /* 1/L = a + b log10 z0: class A at z0 = 0.1 m: -0.096 - 0.029 = -0.125. */
    assert_rel(lt_golder_rmol(LT_PG_A, 0.1), -0.125, 1e-12);
    /* class F at z0 = 0.01 m: 0.035 + 0.072 = 0.107 */
    assert_rel(lt_golder_rmol(LT_PG_F, 0.01), 0.107, 1e-12);
    /* class C at z0 = 1 m: -0.002 */
    assert_rel(lt_golder_rmol(LT_PG_C, 1.0), -0.002, 1e-12);
    /* Neutral (1/L = 0) is D; strongly stable 0.2 is F; strongly unstable A. */
    assert_int_equal(lt_stability_golder(0.0, 0.1), LT_PG_D);
    assert_int_equal(lt_stability_golder(0.2, 0.1), LT_PG_F);
    assert_int_equal(lt_stability_golder(-0.2, 0.1), LT_PG_A);
    /* Boundary between E (0.022) and F (0.071) at z0 = 0.1 lies at 0.0465. */
    assert_int_equal(lt_stability_golder(0.046, 0.1), LT_PG_E);
    assert_int_equal(lt_stability_golder(0.047, 0.1), LT_PG_F);
}

/* Briggs (1973) open-country curves, Seinfeld & Pandis (2006) table 18.5. */
static void briggs_rural_values(void **state)
{
    (void)state;
    const lt_sigma_curves *c = lt_sigma_curves_find("briggs-rural");
    assert_non_null(c);
    /* D, 1 km: sy = 0.08*1000/sqrt(1.1) = 76.28; sz = 0.06*1000/sqrt(2.5) = 37.95 */
    assert_rel(lt_sigma_y(c, LT_PG_D, 1000), 76.277, 1e-4);
    assert_rel(lt_sigma_z(c, LT_PG_D, 1000), 37.947, 1e-4);
    /* A, 500 m: sy = 0.22*500/sqrt(1.05) = 107.35; sz = 0.20*500 = 100 */
    assert_rel(lt_sigma_y(c, LT_PG_A, 500), 107.349, 1e-4);
    assert_rel(lt_sigma_z(c, LT_PG_A, 500), 100.0, 1e-12);
    /* F, 2 km: sy = 0.04*2000/sqrt(1.2) = 73.03; sz = 0.016*2000/1.6 = 20 */
    assert_rel(lt_sigma_y(c, LT_PG_F, 2000), 73.030, 1e-4);
    assert_rel(lt_sigma_z(c, LT_PG_F, 2000), 20.0, 1e-12);
    /* C, 10 km: sz = 0.08*10000/sqrt(3) = 461.88 */
    assert_rel(lt_sigma_z(c, LT_PG_C, 10000), 461.880, 1e-4);
    /* E, 100 m: sz = 0.03*100/1.03 = 2.9126 */
    assert_rel(lt_sigma_z(c, LT_PG_E, 100), 2.91262, 1e-4);
}

/* Briggs (1973) urban curves, same tables. */
static void briggs_urban_values(void **state)
{
    (void)state;
    const lt_sigma_curves *c = lt_sigma_curves_find("briggs-urban");
    assert_non_null(c);
    /* A-B, 1 km: sy = 0.32*1000/sqrt(1.4) = 270.45; sz = 0.24*1000*sqrt(2) = 339.41 */
    assert_rel(lt_sigma_y(c, LT_PG_B, 1000), 270.449, 1e-4);
    assert_rel(lt_sigma_z(c, LT_PG_A, 1000), 339.411, 1e-4);
    /* C, 2 km: sz = 0.20*2000 = 400 */
    assert_rel(lt_sigma_z(c, LT_PG_C, 2000), 400.0, 1e-12);
    /* D, 1 km: sy = 0.16*1000/sqrt(1.4) = 135.22; sz = 0.14*1000/sqrt(1.3) = 122.79 */
    assert_rel(lt_sigma_y(c, LT_PG_D, 1000), 135.225, 1e-4);
    assert_rel(lt_sigma_z(c, LT_PG_D, 1000), 122.788, 1e-4);
    /* E-F, 500 m: sz = 0.08*500/sqrt(1.75) = 30.237 */
    assert_rel(lt_sigma_z(c, LT_PG_F, 500), 30.2372, 1e-4);
    assert_null(lt_sigma_curves_find("briggs-suburban"));
}

/* ISC3 power law: rural D exponent 0.15, urban F 0.30. */
static void wind_profile(void **state)
{
    (void)state;
    assert_rel(lt_wind_exponent(LT_PG_D, 0), 0.15, 1e-12);
    assert_rel(lt_wind_exponent(LT_PG_F, 1), 0.30, 1e-12);
    /* 3 m/s at 10 m, rural D, at 100 m: 3 * 10^0.15 = 4.2376 */
    assert_rel(lt_wind_at_height(3.0, 10.0, 100.0, LT_PG_D, 0), 4.23758, 1e-5);
    /* rural F at 50 m: 2 * 5^0.55 = 4.8469 */
    assert_rel(lt_wind_at_height(2.0, 10.0, 50.0, LT_PG_F, 0), 4.84689, 1e-5);
    /* below 10 m the 10 m wind is kept */
    assert_rel(lt_wind_at_height(2.0, 10.0, 5.0, LT_PG_A, 0), 2.0, 1e-12);
    /* a 2 m reference (Prairie Grass): 4 m/s at 2 m, rural D, at 10 m: 4 * 5^0.15 */
    assert_rel(lt_wind_at_height(4.0, 2.0, 10.0, LT_PG_D, 0), 4.0 * pow(5.0, 0.15), 1e-12);
}

/* Briggs (1974) stack-tip downwash, ISC3 eq. 1-7. */
/* stack_wind = profile: a near-ground release gets the same wind from a
 * 10 m and from a 2 m anemometer on the same profile (ISC3's rule gives it
 * whichever was measured); in neutral air the log law u(z)/u(zr) =
 * ln(z/z0)/ln(zr/z0); at least 7 z0; held above zi. */
static void stack_wind_profile(void **state)
{
    (void)state;
    const double z0 = 0.0060, rmols[3] = {0.0, 1.0 / 25.0, -1.0 / 40.0};
    for (int i = 0; i < 3; i++) {
        double u10 = 4.0, u2 = u10 * lt_wind_ratio(2.0, 10.0, z0, rmols[i]);
        double a = lt_stack_wind(1, u10, 10.0, 0.46, LT_PG_D, 0, z0, rmols[i], 800.0);
        double b = lt_stack_wind(1, u2, 2.0, 0.46, LT_PG_D, 0, z0, rmols[i], 800.0);
        assert_rel(a, b, 1e-12);
        assert_true(a < u2); /* below the 2 m anemometer the wind is weaker */
        assert_true(lt_wind_at_height(u10, 10.0, 0.46, LT_PG_D, 0) == u10);
    }
    assert_rel(lt_stack_wind(1, 5.0, 10.0, 50.0, LT_PG_D, 0, 0.1, 0.0, 1000.0), 5.0 * log(500.0) / log(100.0), 1e-12);
    assert_rel(lt_stack_wind(1, 5.0, 10.0, 0.2, LT_PG_D, 0, 0.1, 0.0, 1000.0), 5.0 * log(7.0) / log(100.0), 1e-12);
    assert_rel(lt_stack_wind(1, 5.0, 10.0, 300.0, LT_PG_D, 0, 0.1, 0.0, 120.0), 5.0 * log(1200.0) / log(100.0),
               1e-12);
    /* no finite 1/L (Turner's stability): Golder's for the class */
    assert_rel(lt_stack_wind(1, 3.0, 10.0, 60.0, LT_PG_F, 0, 0.1, NAN, 1e4),
               lt_stack_wind(1, 3.0, 10.0, 60.0, LT_PG_F, 0, 0.1, lt_golder_rmol(LT_PG_F, 0.1), 1e4), 1e-12);
    assert_true(lt_stack_wind(0, 3.0, 10.0, 60.0, LT_PG_F, 0, 0.1, 0.0, 1e4) ==
                lt_wind_at_height(3.0, 10.0, 60.0, LT_PG_F, 0));
}

static void downwash(void **state)
{
    (void)state;
    /* hs 50, d 2, vs 3, us 4: 50 + 2*2*(0.75 - 1.5) = 47 */
    assert_rel(lt_stack_tip_downwash(50, 2, 3, 4), 47.0, 1e-12);
    /* vs >= 1.5 us: no correction */
    assert_rel(lt_stack_tip_downwash(50, 2, 6, 4), 50.0, 1e-12);
    /* never below ground */
    assert_rel(lt_stack_tip_downwash(1, 2, 0, 4), 0.0, 1e-12);
}

/* Neutral/unstable buoyant rise, Fb >= 55 (ISC3 eqs. 1-8, 1-13, 1-15). */
static void rise_neutral_buoyant(void **state)
{
    (void)state;
    lt_rise r;
    /* d 5, vs 15, Ts 400, Ta 280, us 5, D:
     * Fb = 9.80616*15*25*120/(4*400) = 275.79; dh = 38.71 Fb^0.6 / 5 = 225.53;
     * xf = 119 Fb^0.4 = 1126.6 */
    lt_rise_setup(&r, 5, 15, 400, 280, 5, LT_PG_D);
    assert_rel(r.fb, 275.7983, 1e-5);
    assert_int_equal(r.momentum, 0);
    assert_rel(r.dh_final, 225.53, 1e-3);
    assert_rel(r.xf, 1126.6, 1e-3);
    /* gradual rise at 300 m: 1.6 (Fb 300^2)^(1/3) / 5 = 93.35 */
    assert_rel(lt_rise_at(&r, 300), 93.35, 1e-3);
    assert_rel(lt_rise_at(&r, 5000), r.dh_final, 1e-12);
}

/* Fb < 55 branch (eqs. 1-10, 1-12, 1-14). */
static void rise_neutral_small(void **state)
{
    (void)state;
    lt_rise r;
    /* d 1.5, vs 10, Ts 420, Ta 270, us 3, C:
     * Fb = 9.80616*10*2.25*150/(4*420) = 19.700; dh = 21.425 Fb^0.75 / 3 = 66.78;
     * xf = 49 Fb^0.625 = 315.68 */
    lt_rise_setup(&r, 1.5, 10, 420, 270, 3, LT_PG_C);
    assert_rel(r.fb, 19.7003, 1e-4);
    assert_rel(r.dh_final, 66.78, 1e-3);
    assert_rel(r.xf, 315.68, 1e-3);
}

/* Stable buoyant rise (eqs. 1-17, 1-19, 1-20). */
static void rise_stable_buoyant(void **state)
{
    (void)state;
    lt_rise r;
    /* same stack as rise_neutral_buoyant, class E (dtheta/dz 0.02 K/m):
     * s = 9.80616*0.02/280 = 7.00440e-4; dh = 2.6 (Fb/(5 s))^(1/3) = 111.42;
     * xf = 2.0715*5/sqrt(s) = 391.35 */
    lt_rise_setup(&r, 5, 15, 400, 280, 5, LT_PG_E);
    assert_rel(r.s, 7.00440e-4, 1e-5);
    assert_rel(r.dh_final, 111.42, 1e-3);
    assert_rel(r.xf, 391.35, 1e-3);
    /* F (0.035 K/m) rises less */
    lt_rise f;
    lt_rise_setup(&f, 5, 15, 400, 280, 5, LT_PG_F);
    assert_true(f.dh_final < r.dh_final);
    /* s = 1.22577e-3; dh = 2.6 (275.798/(5 s))^(1/3) = 92.48 */
    assert_rel(f.dh_final, 92.48, 1e-3);
}

/* Momentum-dominated rise (eqs. 1-16, 1-21). */
static void rise_momentum(void **state)
{
    (void)state;
    lt_rise r;
    /* at ambient temperature: no buoyancy; d 1, vs 10, us 2, D: 3*1*10/2 = 15 m */
    lt_rise_setup(&r, 1, 10, 0, 275, 2, LT_PG_D);
    assert_int_equal(r.momentum, 1);
    assert_rel(r.fb, 0.0, 1e-12);
    assert_rel(r.dh_final, 15.0, 1e-12);
    /* stable F: Fm = 100*1*275/(4*275) = 25; s = 9.80616*0.035/275 = 1.24806e-3;
     * 1.5 (Fm/(us sqrt s))^(1/3) = 1.5 (25/(2*0.035328))^(1/3) = 10.61 < 15 */
    lt_rise_setup(&r, 1, 10, 0, 275, 2, LT_PG_F);
    assert_rel(r.fm, 25.0, 1e-12);
    assert_rel(r.dh_final, 10.61, 1e-3);
    /* gradual momentum rise grows with x and stops at the final value */
    lt_rise_setup(&r, 1, 10, 0, 275, 2, LT_PG_D);
    assert_true(lt_rise_at(&r, 5) < lt_rise_at(&r, 20));
    assert_rel(lt_rise_at(&r, 1e4), 15.0, 1e-12);
    /* no exit velocity: no rise */
    lt_rise_setup(&r, 1, 0, 400, 275, 2, LT_PG_D);
    assert_rel(r.dh_final, 0.0, 1e-12);
}

/* Final rise for stacks of the kinds in the default case, one row per stack,
 * at least three per regime. Expected values evaluated by hand from the ISC3
 * equations cited in rise.c (Fb, Fm, crossover Delta T, then the regime's
 * final-rise formula). */
static void rise_table(void **state)
{
    (void)state;
    static const struct {
        double d, vs, ts, ta, us;
        int cls;
        double dh;
        int momentum;
    } rows[] = {
        /* neutral/unstable, buoyant */
        {7.5, 20, 323, 270, 6, LT_PG_D, 252.9711, 0},
        {3, 10, 333, 272, 3, LT_PG_B, 114.4788, 0},
        {4.5, 14, 393, 268, 2.5, LT_PG_D, 394.9925, 0},
        /* neutral/unstable, momentum: 3 d vs / us */
        {0.8, 8, 0, 272, 2, LT_PG_A, 9.6, 1},
        {2, 15, 280, 275, 4, LT_PG_D, 22.5, 1},  /* 5 K warmer: below the crossover */
        {1, 10, 0, 275, 2, LT_PG_D, 15.0, 1},
        /* stable, buoyant: 2.6 (Fb / (us s))^(1/3) */
        {2.5, 8, 453, 275, 1.5, LT_PG_E, 92.4956, 0},
        {1.2, 6, 353, 270, 1, LT_PG_F, 40.9881, 0},
        {3, 12, 353, 272, 4, LT_PG_F, 59.5861, 0},
        /* stable, momentum: the lower of 1.5 (Fm / (us sqrt s))^(1/3) and 3 d vs / us */
        {0.5, 20, 0, 270, 1.5, LT_PG_E, 12.7795, 1},
        {1.5, 25, 0, 275, 1, LT_PG_F, 32.2641, 1},
        {2, 10, 0, 265, 1.2, LT_PG_F, 19.8447, 1},
        {0.8, 10, 0, 272, 3, LT_PG_E, 8.0, 1},   /* here 3 d vs / us is lower */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        lt_rise r;
        lt_rise_setup(&r, rows[i].d, rows[i].vs, rows[i].ts, rows[i].ta, rows[i].us,
                      (lt_pg_class)rows[i].cls);
        assert_int_equal(r.momentum, rows[i].momentum);
        assert_rel(r.dh_final, rows[i].dh, 1e-4);
    }
}

/* Turner's key (EPA-454/R-99-005 table 6-4), rows by wind speed in knots. */
static void turner_key(void **state)
{
    (void)state;
    const double kt = 0.514444; /* m/s per knot */
    /* row 0-1 kt: NRI 4 -> A, 1 -> C, 0 -> D, -1 -> F, -2 -> G (taken as F) */
    assert_int_equal(lt_stability_turner(1.0 * kt, 4), LT_PG_A);
    assert_int_equal(lt_stability_turner(1.0 * kt, 1), LT_PG_C);
    assert_int_equal(lt_stability_turner(1.0 * kt, 0), LT_PG_D);
    assert_int_equal(lt_stability_turner(1.0 * kt, -1), LT_PG_F);
    assert_int_equal(lt_stability_turner(1.0 * kt, -2), LT_PG_F);
    /* row 4-5 kt: 4 -> A, 2 -> C, -1 -> E, -2 -> F */
    assert_int_equal(lt_stability_turner(5.0 * kt, 4), LT_PG_A);
    assert_int_equal(lt_stability_turner(5.0 * kt, 2), LT_PG_C);
    assert_int_equal(lt_stability_turner(5.0 * kt, -1), LT_PG_E);
    assert_int_equal(lt_stability_turner(5.0 * kt, -2), LT_PG_F);
    /* row 8-9 kt: 3 -> C, -2 -> E;  row 11 kt: -2 -> D;  >= 12 kt: 4 -> C, 3 -> D */
    assert_int_equal(lt_stability_turner(8.5 * kt, 3), LT_PG_C);
    assert_int_equal(lt_stability_turner(8.5 * kt, -2), LT_PG_E);
    assert_int_equal(lt_stability_turner(11.0 * kt, -2), LT_PG_D);
    assert_int_equal(lt_stability_turner(15.0 * kt, 4), LT_PG_C);
    assert_int_equal(lt_stability_turner(15.0 * kt, 3), LT_PG_D);
}

/* Solar altitude at local noon: 90 - lat + declination; negative at midnight. */
static void solar_altitude(void **state)
{
    (void)state;
    /* 108.4 E: solar noon near 04:46 UTC. Equinox 2017-03-20, solstice 2017-06-21. */
    double eq_noon = 1489968000.0 + (12.0 - 108.4 / 15.0) * 3600.0;
    double so_noon = 1498003200.0 + (12.0 - 108.4 / 15.0) * 3600.0;
    assert_true(fabs(lt_solar_altitude(108.4, 34.8, eq_noon) - (90.0 - 34.8)) < 1.5);
    assert_true(fabs(lt_solar_altitude(108.4, 34.8, so_noon) - (90.0 - 34.8 + 23.44)) < 1.0);
    assert_true(lt_solar_altitude(108.4, 34.8, eq_noon + 12 * 3600.0) < -40.0);
    /* NRI: clear equinox noon -> altitude 55: class 3; cloudy -> 2; overcast -> 0;
     * clear midnight -> -2, cloudy midnight -> -1 */
    assert_int_equal(lt_turner_nri(108.4, 34.8, eq_noon, 0.0), 3);
    assert_int_equal(lt_turner_nri(108.4, 34.8, eq_noon, 0.7), 2);
    assert_int_equal(lt_turner_nri(108.4, 34.8, eq_noon, 1.0), 0);
    assert_int_equal(lt_turner_nri(108.4, 34.8, eq_noon + 12 * 3600.0, 0.2), -2);
    assert_int_equal(lt_turner_nri(108.4, 34.8, eq_noon + 12 * 3600.0, 0.6), -1);
    /* summer noon, clear: altitude 78 -> class 4 */
    assert_int_equal(lt_turner_nri(108.4, 34.8, so_noon, 0.0), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golder_lines_map_to_their_class),
        cmocka_unit_test(golder_published_values),
        cmocka_unit_test(briggs_rural_values),
        cmocka_unit_test(briggs_urban_values),
        cmocka_unit_test(wind_profile),
        cmocka_unit_test(stack_wind_profile),
        cmocka_unit_test(downwash),
        cmocka_unit_test(rise_neutral_buoyant),
        cmocka_unit_test(rise_neutral_small),
        cmocka_unit_test(rise_stable_buoyant),
        cmocka_unit_test(rise_momentum),
        cmocka_unit_test(rise_table),
        cmocka_unit_test(turner_key),
        cmocka_unit_test(solar_altitude),
    };
    return cmocka_run_group_tests_name("physics", tests, NULL, NULL);
}
