/* test_vdiff.c — vertical diffusion of the grid model: a Gaussian puff with
 * constant K against the analytical solution (with its image in the ground),
 * mass to round-off without deposition, the deposition budget, and the
 * well-mixed decay exp(-vd t / H). */
#include "lt_test.h"

#include <stdlib.h>

#include "solvers/vdiff.h"

#define PI 3.14159265358979323846

/* A puff released at z0 = 300 m spreads with K = 20 m2/s for an hour in a
 * 3 km column of 5 m layers: C = M / sqrt(4 pi K t) [e^{-(z-z0)^2/4Kt} +
 * e^{-(z+z0)^2/4Kt}] (the ground reflects). Starting from the exact profile
 * at t0 = 600 s. */
static void gaussian_puff(void **state)
{
    (void)state;
    enum { NZ = 600 };
    double c[NZ], dz[NZ], k[NZ - 1], work[4 * NZ];
    const double K = 20.0, z0 = 300.0, t0 = 600.0, t1 = 4200.0, M = 1.0;
    for (int i = 0; i < NZ; i++)
        dz[i] = 5.0;
    for (int i = 0; i < NZ - 1; i++)
        k[i] = K;
    double m0 = 0.0;
    for (int i = 0; i < NZ; i++) {
        double z = (i + 0.5) * 5.0, s = 4.0 * K * t0;
        c[i] = M / sqrt(PI * s) * (exp(-(z - z0) * (z - z0) / s) + exp(-(z + z0) * (z + z0) / s));
        m0 += c[i] * dz[i];
    }
    int steps = 360;
    double dt = (t1 - t0) / steps;
    for (int s = 0; s < steps; s++)
        lt_vdiff_step(c, NZ, dz, k, 0.0, dt, 0.5, work);
    double m1 = 0.0, err = 0.0, peak = 0.0;
    for (int i = 0; i < NZ; i++) {
        double z = (i + 0.5) * 5.0, s = 4.0 * K * t1;
        double want = M / sqrt(PI * s) * (exp(-(z - z0) * (z - z0) / s) + exp(-(z + z0) * (z + z0) / s));
        err += fabs(c[i] - want) * dz[i];
        peak = fmax(peak, want);
        m1 += c[i] * dz[i];
    }
    assert_rel(m1, m0, 1e-12);                 /* no flux at the top or the ground */
    double l1 = err / m0;
    if (getenv("LT_VERIFY"))
        printf("VERIFY\tgaussian_puff\tl1 error / mass\t%.3g\t0\t1e-4\n", l1);
    assert_true(l1 < 1e-4); /* measured 5.9e-6 */
    double zc = 300.0, s1 = 4.0 * K * t1;      /* the value at the release height */
    double want = M / sqrt(PI * s1) * (1.0 + exp(-4.0 * zc * zc / s1));
    assert_rel(c[(int)(zc / 5.0)] * 0.5 + c[(int)(zc / 5.0) - 1] * 0.5, want, 2e-3);
}

/* Strong mixing (K = 500 m2/s over 500 m) keeps the column well mixed, so
 * the mass decays as exp(-vd t / H); what leaves is what the step reports. */
static void deposition_budget(void **state)
{
    (void)state;
    enum { NZ = 20 };
    double c[NZ], dz[NZ], k[NZ - 1], work[4 * NZ];
    for (int i = 0; i < NZ; i++) {
        dz[i] = 25.0;
        c[i] = 50.0;
    }
    for (int i = 0; i < NZ - 1; i++)
        k[i] = 500.0;
    const double vd = 0.01, H = 500.0;
    double m0 = 50.0 * H, dep = 0.0;
    for (int s = 0; s < 3600; s++)
        dep += lt_vdiff_step(c, NZ, dz, k, vd, 10.0, 1.0, work);
    double m = 0.0;
    for (int i = 0; i < NZ; i++) {
        m += c[i] * dz[i];
        assert_true(c[i] >= 0.0);
    }
    assert_rel(m + dep, m0, 1e-12);                   /* the budget closes */
    assert_rel(m, m0 * exp(-vd * 36000.0 / H), 0.01); /* well-mixed decay */
}

/* Layers of growing thickness (a real model's) keep mass to round-off. */
static void uneven_layers(void **state)
{
    (void)state;
    enum { NZ = 12 };
    double c[NZ], dz[NZ], k[NZ - 1], work[4 * NZ], m0 = 0.0;
    for (int i = 0; i < NZ; i++) {
        dz[i] = 20.0 * pow(1.4, i);
        c[i] = i == 2 ? 100.0 : 0.0;
        m0 += c[i] * dz[i];
    }
    for (int i = 0; i < NZ - 1; i++)
        k[i] = 1.0 + 30.0 * sin(PI * (i + 1) / NZ);
    for (int s = 0; s < 500; s++)
        lt_vdiff_step(c, NZ, dz, k, 0.0, 60.0, 0.5, work);
    double m = 0.0;
    for (int i = 0; i < NZ; i++)
        m += c[i] * dz[i];
    assert_rel(m, m0, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gaussian_puff),
        cmocka_unit_test(deposition_budget),
        cmocka_unit_test(uneven_layers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
