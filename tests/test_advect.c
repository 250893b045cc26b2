/* test_advect.c — the grid model's advection against LeVeque's (1996) tests:
 * a cosine bell carried once round by solid-body rotation and deformed and
 * restored by the swirling flow. Mass conserved to round-off, no new extrema,
 * the l1 error and the share of the peak kept reported (LT_VERIFY) and
 * asserted; the boundary budget closes. */
#include "lt_test.h"

#include <string.h>

#include "solvers/advect.h"

#define N 100
#define PI 3.14159265358979323846

static void bell(double *q, double xc, double yc, double r0)
{
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            double x = (i + 0.5) / N, y = (j + 0.5) / N, r = hypot(x - xc, y - yc);
            q[j * N + i] = r < r0 ? 0.5 * (1.0 + cos(PI * r / r0)) : 0.0;
        }
}

static void stats(const double *q, const double *q0, double *mass, double *l1, double *lo, double *hi)
{
    double m = 0, e = 0, m0 = 0;
    *lo = 1e300;
    *hi = -1e300;
    for (int k = 0; k < N * N; k++) {
        m += q[k];
        m0 += q0[k];
        e += fabs(q[k] - q0[k]);
        *lo = fmin(*lo, q[k]);
        *hi = fmax(*hi, q[k]);
    }
    *mass = m;
    *l1 = e / m0;
}

/* One revolution of u = -2 pi (y - 0.5), v = 2 pi (x - 0.5) on the unit
 * square, the bell's radius 15 cells, Courant number 0.5 at the corners' speed. */
static void solid_body_rotation(void **state)
{
    (void)state;
    static double q[N * N], q0[N * N], u[N * (N + 1)], v[(N + 1) * N];
    bell(q0, 0.5, 0.75, 0.15);
    memcpy(q, q0, sizeof q);
    for (int j = 0; j < N; j++)
        for (int i = 0; i <= N; i++)
            u[j * (N + 1) + i] = -2 * PI * ((j + 0.5) / N - 0.5);
    for (int j = 0; j <= N; j++)
        for (int i = 0; i < N; i++)
            v[j * N + i] = 2 * PI * ((i + 0.5) / N - 0.5);
    double dx = 1.0 / N, umax = PI; /* at the middle of an edge */
    int nsteps = (int)ceil(1.0 / (0.5 * dx / umax));
    double out = 0.0, o;
    for (int k = 0; k < nsteps; k++) {
        lt_advect_2d(q, N, N, u, v, dx, dx, 1.0 / nsteps, 1.0, 0.0, &o);
        out += o;
    }
    double mass, l1, lo, hi, m0, l0, lo0, hi0;
    stats(q, q0, &mass, &l1, &lo, &hi);
    stats(q0, q0, &m0, &l0, &lo0, &hi0);
    double peak = hi / hi0;
    assert_rel(mass * dx * dx + out, m0 * dx * dx, 1e-13); /* nothing leaves: the bell stays inside */
    assert_true(lo >= 0.0 && hi <= hi0);                  /* no new extrema */
    assert_rel(peak, 0.9214, 0.01);                       /* at least 0.90 of the peak kept */
    assert_true(peak >= 0.90);
    assert_rel(l1, 0.0536, 0.05);                          /* the l1 error of MC-limited MUSCL here */
}

/* LeVeque's swirling flow u = sin^2(pi x) sin(2 pi y) g, v = -sin^2(pi y)
 * sin(2 pi x) g, g = cos(pi t / T), T = 1.5: the bell is sheared and returns. */
static void swirling_flow(void **state)
{
    (void)state;
    static double q[N * N], q0[N * N], u[N * (N + 1)], v[(N + 1) * N];
    bell(q0, 0.5, 0.75, 0.15);
    memcpy(q, q0, sizeof q);
    double dx = 1.0 / N, T = 1.5;
    int nsteps = (int)ceil(T / (0.5 * dx));
    double dt = T / nsteps;
    double mass0, l, lo0, hi0;
    stats(q0, q0, &mass0, &l, &lo0, &hi0);
    for (int k = 0; k < nsteps; k++) {
        double g = cos(PI * (k + 0.5) * dt / T);
        for (int j = 0; j < N; j++)
            for (int i = 0; i <= N; i++) {
                double x = (double)i / N, y = (j + 0.5) / N;
                u[j * (N + 1) + i] = sin(PI * x) * sin(PI * x) * sin(2 * PI * y) * g;
            }
        for (int j = 0; j <= N; j++)
            for (int i = 0; i < N; i++) {
                double x = (i + 0.5) / N, y = (double)j / N;
                v[j * N + i] = -sin(PI * y) * sin(PI * y) * sin(2 * PI * x) * g;
            }
        lt_advect_2d(q, N, N, u, v, dx, dx, dt, 1.0, 0.0, NULL);
        double mass, l1, lo, hi;
        stats(q, q0, &mass, &l1, &lo, &hi);
        assert_true(lo >= 0.0 && hi <= hi0);                  /* no new extrema at any step */
        assert_true(fabs(mass - mass0) <= 1e-12 * mass0);     /* the flow is closed at the walls */
    }
    double mass, l1, lo, hi;
    stats(q, q0, &mass, &l1, &lo, &hi);
    assert_rel(mass, mass0, 1e-12);
    assert_rel(hi / hi0, 0.920, 0.02);
    assert_rel(l1, 0.0801, 0.05);
}

/* A uniform wind carries the bell out through the east edge: what leaves is
 * counted, and mass in the grid + mass out = mass at the start. */
static void outflow_budget(void **state)
{
    (void)state;
    static double q[N * N], q0[N * N], u[N * (N + 1)], v[(N + 1) * N];
    bell(q0, 0.8, 0.5, 0.15);
    memcpy(q, q0, sizeof q);
    for (int k = 0; k < N * (N + 1); k++)
        u[k] = 1.0;
    memset(v, 0, sizeof v);
    double dx = 1.0 / N, out = 0.0, o;
    for (int k = 0; k < 50; k++) {
        lt_advect_2d(q, N, N, u, v, dx, dx, 0.005, 0.9, 0.0, &o);
        out += o;
    }
    double mass, l1, lo, hi, m0, lo0, hi0;
    stats(q, q0, &mass, &l1, &lo, &hi);
    stats(q0, q0, &m0, &l1, &lo0, &hi0);
    assert_true(out > 0.3 * m0 * dx * dx);
    assert_rel(mass * dx * dx + out, m0 * dx * dx, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solid_body_rotation),
        cmocka_unit_test(swirling_flow),
        cmocka_unit_test(outflow_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
