/* test_gridsteady.c — the grid model's operators together: a steady point
 * source in a uniform wind U with constant vertical K, carried by advect.c
 * and mixed by vdiff.c (operator splitting, as the grid solver does), against
 * the closed form of the crosswind-integrated plume with its ground image,
 *   Cy(x, z) = Q / (U sqrt(4 pi K x / U)) [e^{-(z-h)^2 U / 4Kx} + e^{-(z+h)^2 U / 4Kx}],
 * which is the Gaussian plume with sigma_z^2 = 2 K x / U. */
#include "lt_test.h"

#include <stdlib.h>
#include <string.h>

#include "solvers/advect.h"
#include "solvers/vdiff.h"

#define NX 140
#define NY 3
#define NZ 80
#define PI 3.14159265358979323846

static void steady_point_source(void **state)
{
    (void)state;
    const double dx = 100.0, dy = 100.0, dzl = 10.0, U = 3.0, K = 5.0, Q = 1e6; /* ug/s */
    const int is = 10, js = 1, ks = 10;                   /* release cell: z = 105 m */
    const double h = (ks + 0.5) * dzl, xs = (is + 0.5) * dx;
    double *q = calloc((size_t)NX * NY * NZ, sizeof *q);
    double *u = malloc((size_t)NY * (NX + 1) * sizeof *u), *v = calloc((size_t)(NY + 1) * NX, sizeof *v);
    double dz[NZ], k[NZ - 1], col[NZ], work[4 * NZ];
    for (int i = 0; i < NY * (NX + 1); i++)
        u[i] = U;
    for (int i = 0; i < NZ; i++)
        dz[i] = dzl;
    for (int i = 0; i < NZ - 1; i++)
        k[i] = K;
    const double dt = 15.0;
    for (int step = 0; step < 420; step++) { /* 6300 s: steady out to 14 km */
        q[((size_t)ks * NY + js) * NX + is] += Q * dt / (dx * dy * dzl);
        for (int l = 0; l < NZ; l++)
            lt_advect_2d(q + (size_t)l * NY * NX, NX, NY, u, v, dx, dy, dt, 0.9, 0.0, NULL);
        for (int j = 0; j < NY; j++)
            for (int i = 0; i < NX; i++) {
                for (int l = 0; l < NZ; l++)
                    col[l] = q[((size_t)l * NY + j) * NX + i];
                lt_vdiff_step(col, NZ, dz, k, 0.0, dt, 0.5, work);
                for (int l = 0; l < NZ; l++)
                    q[((size_t)l * NY + j) * NX + i] = col[l];
            }
    }
    /* crosswind-integrated profiles at 3, 6 and 10 km downwind */
    const double xs_km[3] = {3.0, 6.0, 10.0};
    for (int c = 0; c < 3; c++) {
        int i = is + (int)(xs_km[c] * 1000.0 / dx);
        double x = (i + 0.5) * dx - xs, err = 0.0, norm = 0.0, flux = 0.0;
        for (int l = 0; l < NZ; l++) {
            double cy = 0.0;
            for (int j = 0; j < NY; j++)
                cy += q[((size_t)l * NY + j) * NX + i] * dy;
            double z = (l + 0.5) * dzl, s = 4.0 * K * x / U;
            double want = Q / (U * sqrt(PI * s)) * (exp(-(z - h) * (z - h) / s) + exp(-(z + h) * (z + h) / s));
            err += fabs(cy - want) * dzl;
            norm += want * dzl;
            flux += cy * dzl * U;
        }
        if (getenv("LT_VERIFY"))
            printf("VERIFY\tsteady_point_source\tl1 of Cy(z) at %.0f km / its integral\t%.4g\t0\t0.03\n", xs_km[c], err / norm);
        assert_true(err / norm < 0.005);  /* within 0.5 % (measured 0.07-0.14 %) */
        assert_rel(flux, Q, 1e-6);         /* the whole emission passes each section */
    }
    free(q);
    free(u);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(steady_point_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
