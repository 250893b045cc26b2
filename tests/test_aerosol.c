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
    lt_inorganic_equilibrium(10.0, 8.0, 15.0, 283.15, 40.0, 101325.0, &r);
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
    lt_inorganic_equilibrium(20.0, 2.0, 15.0, 273.15, 40.0, 101325.0, &r);
    assert_rel(r.nh4, 2.0 / LT_MW_NH3 * LT_MW_NH4, 1e-12);
    assert_true(r.no3 == 0.0 && r.hno3_gas > 14.99);
    /* warm, dilute: nothing condenses (A N < Kp) */
    lt_inorganic_equilibrium(0.0, 0.5, 0.5, 308.15, 30.0, 101325.0, &r);
    assert_true(r.no3 == 0.0);
    /* cold winter air: nearly all the limiting HNO3 is particulate */
    lt_inorganic_equilibrium(5.0, 20.0, 10.0, 263.15, 40.0, 101325.0, &r);
    assert_true(r.hno3_gas < 0.01 * 10.0);
    /* deliquesced at 80 % RH: the aqueous constant is smaller, more nitrate */
    lt_inorganic s, q;
    lt_inorganic_equilibrium(5.0, 6.0, 10.0, 293.15, 50.0, 101325.0, &s);
    lt_inorganic_equilibrium(5.0, 6.0, 10.0, 293.15, 80.0, 101325.0, &q);
    assert_true(q.aqueous && !s.aqueous);
    assert_true(q.kp_nbar2 < s.kp_nbar2 && q.no3 > s.no3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(published_constants),
        cmocka_unit_test(worked_case),
        cmocka_unit_test(limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
