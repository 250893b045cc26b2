/* test_aerosol.c — the sulfate-ammonium-nitrate equilibrium of the grid
 * model against worked values: the published constants, a case worked by
 * hand below, and its limits (sulfate first, cold and warm air). */
#include "lt_test.h"

#include "physics/aerosol.h"

static void published_constants(void **state)
{
    (void)state;
    /* the deliquescence of NH4NO3 at 25 C is 62 % RH (Mozurkewich 1993) */
    assert_rel(lt_nh4no3_drh(298.15), 61.7, 0.005);
    /* Kp(298.15 K) = exp(118.87 - 24084/298.15 - 6.025 ln 298.15) = 43.1 nbar^2,
     * worked by hand: 118.87 - 80.778 - 34.328 = 3.764 */
    assert_rel(lt_nh4no3_kp_solid(298.15), exp(3.764), 1e-3);
    /* Kp falls steeply with temperature: exp(118.87 - 91.522 - 33.576) =
     * exp(-6.228) = 0.001973 nbar^2 at 263.15 K */
    assert_rel(lt_nh4no3_kp_solid(263.15), 0.001973, 1e-3);
}

/* Worked by hand at 283.15 K, 40 % RH (solid), 10 ug/m3 SO4, 8 ug/m3 NH3,
 * 15 ug/m3 HNO3: SO4 0.10410 umol m-3 takes 0.20820 of the 0.46973 umol of
 * NH3, leaving 0.26153; HNO3 0.23805 umol. f = R T / 100 = 23.542 nbar per
 * umol m-3, so A = 6.1570 and N = 5.6042 nbar; Kp(283.15) = exp(118.87 -
 * 85.058 - 34.017) = exp(-0.205) = 0.815 nbar^2; (A - x)(N - x) = Kp gives
 * x = 4.9364 nbar = 0.20968 umol m-3: NO3 13.001 ug, NH4 7.538 ug, HNO3 left
 * 1.787 ug. */
static void worked_case(void **state)
{
    (void)state;
    lt_inorganic r;
    lt_inorganic_equilibrium(10.0, 8.0, 15.0, 0.0, 283.15, 40.0, 101325.0, 0, &r);
    assert_false(r.aqueous);
    assert_rel(r.kp_nbar2, 0.815, 2e-3);
    assert_rel(r.no3, 13.001, 1e-3);
    assert_rel(r.nh4, 7.538, 1e-3);
    assert_rel(r.hno3_gas, 1.787, 1e-3);
    /* mass balance of nitrogen: every input accounted for */
    assert_rel(r.no3 / LT_MW_NO3 + r.hno3_gas / LT_MW_HNO3, 15.0 / LT_MW_HNO3, 1e-12);
    assert_rel(r.nh4 / LT_MW_NH4 + r.nh3_gas / LT_MW_NH3, 8.0 / LT_MW_NH3, 1e-12);
}

static void limits(void **state)
{
    (void)state;
    lt_inorganic r;
    /* too little ammonia for the sulfate: all of it is ammonium, no nitrate */
    lt_inorganic_equilibrium(20.0, 2.0, 15.0, 0.0, 273.15, 40.0, 101325.0, 0, &r);
    assert_rel(r.nh4, 2.0 / LT_MW_NH3 * LT_MW_NH4, 1e-12);
    assert_true(r.no3 == 0.0 && r.hno3_gas > 14.99);
    /* warm, dilute: nothing condenses (A N < Kp) */
    lt_inorganic_equilibrium(0.0, 0.5, 0.5, 0.0, 308.15, 30.0, 101325.0, 0, &r);
    assert_true(r.no3 == 0.0);
    /* cold winter air: nearly all the limiting HNO3 is particulate */
    lt_inorganic_equilibrium(5.0, 20.0, 10.0, 0.0, 263.15, 40.0, 101325.0, 0, &r);
    assert_true(r.hno3_gas < 0.01 * 10.0);
    /* deliquesced at 80 % RH: the aqueous constant is smaller, more nitrate */
    lt_inorganic s, q;
    lt_inorganic_equilibrium(5.0, 6.0, 10.0, 0.0, 293.15, 50.0, 101325.0, 0, &s);
    lt_inorganic_equilibrium(5.0, 6.0, 10.0, 0.0, 293.15, 80.0, 101325.0, 0, &q);
    assert_true(q.aqueous && !s.aqueous);
    assert_true(q.kp_nbar2 < s.kp_nbar2 && q.no3 > s.no3);
}

/* ISORROPIA-lite's metastable NH4-SO4-NO3 regression case (Kakavas et al.
 * 2022, its Fortran run 1 as kept in a C++ port's test): 298.15 K, 80 % RH,
 * 1/98 umol m-3 of sulfate, 2/17 of ammonia, 1/63 of nitric acid, 10 ug m-3
 * of organics with kappa 0.15 and density 1000 kg m-3. ISORROPIA: water
 * 8.083 ug m-3, HNO3 left 0.012439 umol m-3, so 0.2129 ug m-3 of nitrate,
 * NH3 left 0.093891 umol m-3. The NH4NO3-alone path forms none (A N = 0.95
 * nbar^2 below the aqueous Kp of 18 nbar^2). */
static void isorropia_humid_case(void **state)
{
    (void)state;
    lt_inorganic r;
    double so4 = LT_MW_SO4 / 98.0, nh3 = 2.0 / 17.0 * LT_MW_NH3, hno3 = 1.0 / 63.0 * LT_MW_HNO3;
    double worg = lt_org_water(10.0, 0.15, 1000.0, 80.0);
    /* kappa-Koehler: 0.15 x 10e-9 / 1000 m3 x 0.8 / 0.2 x 1000 kg m-3 = 6 ug */
    assert_rel(worg, 6.0, 1e-12);
    lt_inorganic_equilibrium(so4, nh3, hno3, worg, 298.15, 80.0, 101325.0, 0, &r);
    assert_true(r.dissolved);
    double no3_iso = (1.0 / 63.0 - 0.012439) * LT_MW_NO3;
    assert_rel(r.no3, no3_iso, 0.02);
    assert_rel(r.water, 8.083, 0.05);
    assert_rel(r.nh3_gas / LT_MW_NH3, 0.093891, 0.01);
    /* without the organics' water, much less dissolves (water 1.9 ug) */
    lt_inorganic d;
    lt_inorganic_equilibrium(so4, nh3, hno3, 0.0, 298.15, 80.0, 101325.0, 0, &d);
    assert_true(d.no3 > 0.0 && d.no3 < 0.5 * r.no3);
    assert_rel(d.water, 1.9, 0.05);
    /* the old path alone puts none there */
    lt_inorganic_equilibrium(so4, nh3, hno3, 0.0, 298.15, 30.0, 101325.0, 0, &d);
    assert_true(d.no3 == 0.0);
}

/* The pieces against published values: the saturated (NH4)2SO4 solution is
 * 5.78 mol/kg (76.4 g per 100 g water at 25 C, CRC Handbook) at its
 * deliquescence a_w = 0.7997 (Fountoukis & Nenes 2007, Table 4); K of the
 * aqueous NH4NO3 = 2.511e6 x 57.639 x 1.805e-5 / 1.010e-14 = 2.5866e17 at
 * 298.15 K; and the solid's K (4.199e-17 atm2, Table 2) must equal the
 * activity of the saturated solution over K, (m gamma)^2 / K, with m = 25.95
 * mol/kg (the solubility; the a_w fit ends at 25 mol/kg): Kusik-Meissner's
 * gamma must give it within 20 %. */
static void solution_pieces(void **state)
{
    (void)state;
    assert_rel(lt_binary_molality(0, 0.7997), 5.78, 0.02);
    assert_rel(lt_nh4no3_kaq(298.15), 2.5866e17, 1e-4);
    double m = 25.0, g = lt_gamma_nh4no3(m, m, 0.0, 298.15);
    assert_rel(m * m * g * g / lt_nh4no3_kaq(298.15), 4.199e-17, 0.2);
    /* Kusik-Meissner's limit: gamma -> 1 as the solution dilutes, and the
     * Debye-Hueckel limiting law log10 gamma = -0.511 sqrt(I) at I = 1e-4 */
    assert_rel(log10(lt_gamma_nh4no3(1e-4, 1e-4, 0.0, 298.15)), -0.511e-2, 0.02);
    /* colder air dissolves more: K grows as T falls */
    assert_true(lt_nh4no3_kaq(268.15) > 10.0 * lt_nh4no3_kaq(298.15));
    /* the fits: dilute at a_w 1, the driest solution at the fit's end */
    assert_true(lt_binary_molality(0, 0.999) == 0.0);
    assert_rel(lt_binary_molality(1, 0.30), 25.0, 1e-12);
}

/* Haze: humid, moderate ammonia. The dissolved nitrate grows with the
 * humidity and the water, mass is conserved to round-off, and at or below
 * 40 % RH (dry) the result is the NH4NO3-alone one, whatever the organics. */
static void humid_haze(void **state)
{
    (void)state;
    lt_inorganic r, q, d;
    double prev = 0.0;
    for (double rh = 45.0; rh <= 95.0; rh += 5.0) {
        lt_inorganic_equilibrium(15.0, 7.0, 12.0, lt_org_water(20.0, LT_ORG_KAPPA, LT_ORG_RHO, rh), 283.15, rh,
                                 101325.0, 0, &r);
        assert_true(r.no3 >= prev);
        prev = r.no3;
        assert_rel(r.no3 / LT_MW_NO3 + r.hno3_gas / LT_MW_HNO3, 12.0 / LT_MW_HNO3, 1e-12);
        assert_rel(r.nh4 / LT_MW_NH4 + r.nh3_gas / LT_MW_NH3, 7.0 / LT_MW_NH3, 1e-12);
        assert_true(r.hno3_gas >= 0.0 && r.nh3_gas >= 0.0);
    }
    assert_true(r.dissolved && r.no3 > 1.0);
    lt_inorganic_equilibrium(15.0, 7.0, 12.0, 0.0, 283.15, 40.0, 101325.0, 0, &q);
    lt_inorganic_equilibrium(15.0, 7.0, 12.0, lt_org_water(20.0, LT_ORG_KAPPA, LT_ORG_RHO, 40.0), 283.15, 40.0,
                             101325.0, 0, &d);
    assert_true(q.no3 == d.no3 && !d.dissolved && d.water == 0.0);
    /* with no sulfate and no organics the solution path has no water */
    lt_inorganic_equilibrium(0.0, 7.0, 12.0, 0.0, 283.15, 70.0, 101325.0, 0, &d);
    assert_true(!d.dissolved && d.water == 0.0);
}

/* The options: ISORROPIA's constant for the solid agrees with Mozurkewich's
 * to 0.1 % at 298 K and within 5.2 % from 263 to 303 K (ISORROPIA's higher
 * in the cold: 1.0515 at 263.15 K, worked from both formulas); the solution
 * path switched off gives back the NH4NO3-alone result. */
static void options(void **state)
{
    (void)state;
    assert_rel(lt_nh4no3_kp_isorropia(298.15), lt_nh4no3_kp_solid(298.15), 1e-3);
    for (double T = 263.15; T <= 303.15; T += 5.0)
        assert_rel(lt_nh4no3_kp_isorropia(T), lt_nh4no3_kp_solid(T), 0.052);
    assert_rel(lt_nh4no3_kp_isorropia(263.15) / lt_nh4no3_kp_solid(263.15), 1.0515, 1e-3);
    lt_inorganic a, b;
    lt_inorganic_equilibrium(10.0, 8.0, 15.0, 0.0, 283.15, 40.0, 101325.0, LT_AER_KP_ISORROPIA, &a);
    assert_rel(a.kp_nbar2, lt_nh4no3_kp_isorropia(283.15), 1e-12);
    double so4 = LT_MW_SO4 / 98.0, nh3 = 2.0 / 17.0 * LT_MW_NH3, hno3 = 1.0 / 63.0 * LT_MW_HNO3;
    lt_inorganic_equilibrium(so4, nh3, hno3, 6.0, 298.15, 80.0, 101325.0, LT_AER_NO_SOLUTION, &b);
    assert_true(b.no3 == 0.0 && !b.dissolved && b.water == 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(published_constants),
        cmocka_unit_test(worked_case),
        cmocka_unit_test(limits),
        cmocka_unit_test(isorropia_humid_case),
        cmocka_unit_test(solution_pieces),
        cmocka_unit_test(humid_haze),
        cmocka_unit_test(options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
