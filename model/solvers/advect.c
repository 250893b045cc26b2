/* advect.c — flux-form, MC-limited advection with Strang splitting (see advect.h). */
#include "solvers/advect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Monotonized-central limited slope from the two one-sided differences. */
static double mc_slope(double dl, double dr)
{
    if (dl * dr <= 0.0)
        return 0.0;
    double a = fmin(2.0 * fabs(dl), fmin(2.0 * fabs(dr), 0.5 * fabs(dl + dr)));
    return dl > 0.0 ? a : -a;
}

/* One 1-D step along a line of n cells q[k*stride] with face velocities
 * f[k*fstride] (k = 0..n, face k west of cell k), Courant factor dt/dx.
 * Adds the fluxes through the two ends (per unit face area) that entered to
 * *in and that left to *out. */
static void sweep(double *q, int n, int stride, const double *f, int fstride, double dtdx,
                  double inflow, double *flux, double *in, double *out)
{
    /* cell values with one ghost cell each side: inflow at the edges */
#define Q(k) ((k) < 0 || (k) >= n ? inflow : q[(size_t)(k) * stride])
    for (int k = 0; k <= n; k++) {
        double u = f[(size_t)k * fstride], c = u * dtdx;
        if (u > 0.0) {
            int i = k - 1; /* upwind cell */
            double s = i < 0 ? 0.0 : mc_slope(Q(i) - Q(i - 1), Q(i + 1) - Q(i));
            flux[k] = u * (Q(i) + 0.5 * (1.0 - c) * s);
        } else {
            int i = k;
            double s = i >= n ? 0.0 : mc_slope(Q(i) - Q(i - 1), Q(i + 1) - Q(i));
            flux[k] = u * (Q(i) - 0.5 * (1.0 + c) * s);
        }
    }
#undef Q
    for (int k = 0; k < n; k++)
        q[(size_t)k * stride] -= dtdx * (flux[k + 1] - flux[k]);
    *in += fmax(flux[0], 0.0) + fmax(-flux[n], 0.0);
    *out += fmax(-flux[0], 0.0) + fmax(flux[n], 0.0);
}

int lt_advect_2d(double *q, int nx, int ny, const double *u, const double *v, double dx, double dy,
                 double dt, double cfl_max, double inflow, double *out_mass)
{
    double in = 0.0, out = 0.0;
    int n = lt_advect_2d_io(q, nx, ny, u, v, dx, dy, dt, cfl_max, inflow, &in, &out);
    if (out_mass)
        *out_mass = out - in;
    return n;
}

int lt_advect_2d_io(double *q, int nx, int ny, const double *u, const double *v, double dx,
                    double dy, double dt, double cfl_max, double inflow, double *in_mass,
                    double *out_mass)
{
    double cmax = 0.0;
    for (size_t k = 0; k < (size_t)ny * (nx + 1); k++)
        cmax = fmax(cmax, fabs(u[k]) * dt / dx);
    for (size_t k = 0; k < (size_t)(ny + 1) * nx; k++)
        cmax = fmax(cmax, fabs(v[k]) * dt / dy);
    int nsub = cmax > cfl_max ? (int)ceil(cmax / cfl_max) : 1;
    double h = dt / nsub, in = 0.0, out = 0.0;
    int nmax = nx > ny ? nx : ny;
    double *flux = malloc(((size_t)nmax + 1) * sizeof *flux);
    if (!flux)
        return -1;
    for (int s = 0; s < nsub; s++) {
        for (int pass = 0; pass < 3; pass++) {
            double a = 0.0, b = 0.0; /* this pass's fluxes in and out */
            if (pass == 1) {
                for (int i = 0; i < nx; i++)
                    sweep(q + i, ny, nx, v + i, nx, h / dy, inflow, flux, &a, &b);
                in += dx * h * a;
                out += dx * h * b;
            } else {
                for (int j = 0; j < ny; j++)
                    sweep(q + (size_t)j * nx, nx, 1, u + (size_t)j * (nx + 1), 1, 0.5 * h / dx, inflow,
                          flux, &a, &b);
                in += dy * 0.5 * h * a;
                out += dy * 0.5 * h * b;
            }
        }
    }
    free(flux);
    if (in_mass)
        *in_mass = in;
    if (out_mass)
        *out_mass = out;
    return nsub;
}
