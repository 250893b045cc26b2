/* aerosol.c — sulfate-ammonium-nitrate partitioning (see aerosol.h). */
#include "physics/aerosol.h"

#include <math.h>

#define R_GAS 8.314462618 /* J mol-1 K-1 */

double lt_nh4no3_kp_solid(double T)
{
    return exp(118.87 - 24084.0 / T - 6.025 * log(T));
}

double lt_nh4no3_drh(double T)
{
    return exp(723.7 / T + 1.6954);
}

void lt_inorganic_equilibrium(double so4_ug, double tnh3_ug, double thno3_ug, double T, double rh_pct,
                              double p_pa, lt_inorganic *o)
{
    (void)p_pa; /* partial pressures follow from concentrations and T alone */
    /* ug m-3 -> umol m-3 */
    double s = so4_ug / LT_MW_SO4, a = tnh3_ug / LT_MW_NH3, n = thno3_ug / LT_MW_HNO3;
    double kp = lt_nh4no3_kp_solid(T);
    o->aqueous = rh_pct >= lt_nh4no3_drh(T);
    if (o->aqueous) {
        double w = 1.0 - fmin(rh_pct, 99.5) / 100.0, lt = log(T);
        double p1 = exp(-135.94 + 8763.0 / T + 19.12 * lt);
        double p2 = exp(-122.65 + 9969.0 / T + 16.22 * lt);
        double p3 = exp(-182.61 + 13875.0 / T + 24.46 * lt);
        kp *= (p1 - p2 * w + p3 * w * w) * pow(w, 1.75);
    }
    o->kp_nbar2 = kp;
    double nh4 = fmin(a, 2.0 * s); /* sulfate first */
    double free_nh3 = a - nh4, x = 0.0;
    if (free_nh3 > 0.0 && n > 0.0) {
        /* umol m-3 -> nbar: p = c R T, 1 nbar = 1e-4 Pa */
        double f = 1e-6 * R_GAS * T / 1e-4;
        double A = free_nh3 * f, N = n * f;
        if (A * N > kp) {
            /* (A - x)(N - x) = Kp, the root below min(A, N) */
            double b = A + N, d = b * b - 4.0 * (A * N - kp);
            x = (b - sqrt(d > 0.0 ? d : 0.0)) / 2.0 / f;
        }
    }
    o->nh4 = (nh4 + x) * LT_MW_NH4;
    o->no3 = x * LT_MW_NO3;
    o->nh3_gas = (free_nh3 - x) * LT_MW_NH3;
    o->hno3_gas = (n - x) * LT_MW_HNO3;
}
