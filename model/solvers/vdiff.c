/* vdiff.c — implicit vertical diffusion in a column (see vdiff.h). */
#include "solvers/vdiff.h"

/* The flux form: dz_i dC_i/dt = F_{i+1/2} - F_{i-1/2}, F_{i+1/2} = K (C_{i+1} -
 * C_i) / h_{i+1/2} with h the distance between layer centres, F_{-1/2} = vd
 * C_0 (out of the column), F_{n-1/2} = 0. Time: theta-weighted. */
double lt_vdiff_step(double *c, int n, const double *dz, const double *k, double vd_ms, double dt,
                     double theta, double *work)
{
    double *a = work, *b = work + n, *cc = work + 2 * n, *r = work + 3 * n;
    double dep_explicit = vd_ms * c[0];
    for (int i = 0; i < n; i++) {
        double gl = 0.0, gu = 0.0; /* conductances to the layer below and above, m/s */
        if (i > 0)
            gl = k[i - 1] / (0.5 * (dz[i - 1] + dz[i]));
        if (i < n - 1)
            gu = k[i] / (0.5 * (dz[i] + dz[i + 1]));
        double gd = i == 0 ? vd_ms : 0.0; /* deposition at the ground */
        double s = dt / dz[i];
        /* explicit part */
        double ex = 0.0;
        if (i > 0)
            ex += gl * (c[i - 1] - c[i]);
        if (i < n - 1)
            ex += gu * (c[i + 1] - c[i]);
        ex -= gd * c[i];
        r[i] = c[i] + (1.0 - theta) * s * ex;
        a[i] = -theta * s * gl;
        cc[i] = -theta * s * gu;
        b[i] = 1.0 + theta * s * (gl + gu + gd);
    }
    /* Thomas algorithm */
    for (int i = 1; i < n; i++) {
        double m = a[i] / b[i - 1];
        b[i] -= m * cc[i - 1];
        r[i] -= m * r[i - 1];
    }
    c[n - 1] = r[n - 1] / b[n - 1];
    for (int i = n - 2; i >= 0; i--)
        c[i] = (r[i] - cc[i] * c[i + 1]) / b[i];
    return dt * ((1.0 - theta) * dep_explicit + theta * vd_ms * c[0]);
}
