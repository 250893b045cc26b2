/* kmodel.c — vertical K-theory with similarity profiles (see kmodel.h).
 *
 * u(z) = u* / kappa [ln(z/z0) - psi_m(z/L)], scaled through the measured wind;
 * K(z) = kappa u* z / phi_h(z/L) (1 - z/zi)^2. The equation is marched in x
 * with implicit (backward Euler) steps on a geometric grid in z, reflecting at
 * the ground and at zi; the steps start at 1 cm and grow by 5 % a step up to
 * 2 % of the distance travelled, landing exactly on each output distance. The source enters as a flux Q = 1 in the
 * cell holding hs: integral of u C dz = 1 at every x (mass is conserved).
 * A release at or above zi is carried in a column reaching above it, with
 * K = 0.01 m2 s-1 above zi (below). */
#include "physics/kmodel.h"

#include <math.h>
#include <stdlib.h>

#define KAPPA 0.4
#define NZ 160
#define PI 3.14159265358979323846

double lt_psi_m(double zeta)
{
    if (zeta >= 0.0)
        return -5.0 * (zeta < 1.0 ? zeta : 1.0 + log(zeta)); /* capped growth above z/L = 1 */
    double x = pow(1.0 - 16.0 * zeta, 0.25);
    return 2.0 * log(0.5 * (1.0 + x)) + log(0.5 * (1.0 + x * x)) - 2.0 * atan(x) + 0.5 * PI;
}

double lt_phi_h(double zeta)
{
    if (zeta >= 0.0)
        return 1.0 + 5.0 * (zeta < 1.0 ? zeta : 1.0) + (zeta > 1.0 ? zeta - 1.0 : 0.0);
    return 1.0 / sqrt(1.0 - 16.0 * zeta);
}

static double log_profile(const lt_kmodel_met *m, double z)
{
    if (z < 2.0 * m->z0_m)
        z = 2.0 * m->z0_m;
    double v = log(z / m->z0_m) - lt_psi_m(z * m->rmol_m1);
    return v > 0.1 ? v : 0.1;
}

double lt_kmodel_wind(const lt_kmodel_met *m, double z_m)
{
    return m->u_ref_ms * log_profile(m, z_m) / log_profile(m, m->z_ref_m);
}

double lt_kmodel_k(const lt_kmodel_met *m, double z_m)
{
    if (z_m <= 0.0 || z_m >= m->zi_m)
        return 0.0;
    double f = 1.0 - z_m / m->zi_m;
    return KAPPA * m->ust_ms * z_m / lt_phi_h(z_m * m->rmol_m1) * f * f;
}

static double sim_u(const void *ctx, double z) { return lt_kmodel_wind(ctx, z); }
static double sim_k(const void *ctx, double z) { return lt_kmodel_k(ctx, z); }

/* Above the boundary layer the air is not still: K there is the minimum
 * eddy diffusivity CMAQ v5 gives non-urban cells (KZMIN, 0.01 m2 s-1; the
 * CMAQ Operational Guidance Document, CCTM configuration options). */
#define K_ABOVE_ZI 0.01
static double sim_k_above(const void *ctx, double z)
{
    const lt_kmodel_met *m = ctx;
    return z >= m->zi_m ? K_ABOVE_ZI : lt_kmodel_k(m, z);
}

int lt_kmodel_cy(const lt_kmodel_met *m, double hs_m, double zr_m, double x0_m, double ratio,
                 int n, double *cy)
{
    if (!(m->zi_m > 0.0) || !(m->z0_m > 0.0) || !(m->u_ref_ms > 0.0) || !(m->ust_ms > 0.0))
        return -1;
    if (hs_m < m->zi_m)
        return lt_kmodel_cy_profiles(sim_u, sim_k, m, m->zi_m, hs_m, zr_m, x0_m, ratio, n, cy);
    /* a release at or above the boundary-layer top (a shallow stable layer at
     * night): the column reaches 200 m above it, K is the free air's above zi,
     * and the plume comes down only as slowly as that lets it */
    return lt_kmodel_cy_profiles(sim_u, sim_k_above, m, hs_m + 200.0, hs_m, zr_m, x0_m, ratio, n, cy);
}

int lt_kmodel_cy_profiles(lt_profile_fn ufn, lt_profile_fn kfn, const void *ctx, double top,
                          double hs_m, double zr_m, double x0_m, double ratio, int n, double *cy)
{
    if (!(top > 0.0) || !(x0_m > 0.0) || !(ratio > 1.0) || n < 1)
        return -1;
    double *z = malloc(7 * NZ * sizeof *z);
    if (!z)
        return -1;
    double *ze = z + NZ, *dz = ze + NZ, *u = dz + NZ, *lo = u + NZ, *hi = lo + NZ, *c = hi + NZ;
    double cp[NZ], dp[NZ];
    /* cell edges: 0, then geometric from 2 cm to the top */
    double e0 = 0.02 < top / NZ ? 0.02 : top / NZ;
    double g = pow(top / e0, 1.0 / (NZ - 1));
    double edge_prev = 0.0;
    for (int j = 0; j < NZ; j++) {
        double edge = e0 * pow(g, j);
        ze[j] = edge_prev;                      /* lower edge of cell j */
        dz[j] = edge - edge_prev;
        z[j] = 0.5 * (edge + edge_prev);
        edge_prev = edge;
    }
    for (int j = 0; j < NZ; j++) {
        u[j] = ufn(ctx, z[j]);
        lo[j] = j > 0 ? kfn(ctx, ze[j]) / (dz[j] * (z[j] - z[j - 1])) : 0.0;
        hi[j] = j < NZ - 1 ? kfn(ctx, ze[j + 1]) / (dz[j] * (z[j + 1] - z[j])) : 0.0;
        c[j] = 0.0;
    }
    int js = 0;
    while (js < NZ - 1 && ze[js + 1] <= hs_m)
        js++;
    c[js] = 1.0 / (u[js] * dz[js]);
    int jr = 0;
    while (jr < NZ - 1 && z[jr + 1] <= zr_m)
        jr++;
    double x = 0.0, step = 0.01;
    for (int i = 0; i < n; i++) {
        double target = x0_m * pow(ratio, i);
        while (x < target - 1e-9) {
            double h = step < target - x ? step : target - x;
            /* (u/h + lo + hi) C_j - lo C_{j-1} - hi C_{j+1} = u C_j(old) / h */
            for (int j = 0; j < NZ; j++) {
                double diag = u[j] / h + lo[j] + hi[j], rhs = u[j] * c[j] / h;
                double mden = j ? diag - lo[j] * cp[j - 1] : diag;
                cp[j] = hi[j] / mden;
                dp[j] = (rhs + (j ? lo[j] * dp[j - 1] : 0.0)) / mden;
            }
            c[NZ - 1] = dp[NZ - 1];
            for (int j = NZ - 2; j >= 0; j--)
                c[j] = dp[j] + cp[j] * c[j + 1];
            x += h;
            /* grow by 5 % a step, up to 2 % of the distance travelled */
            double cap = 0.02 * x > 0.05 ? 0.02 * x : 0.05;
            step = step * 1.05 < cap ? step * 1.05 : cap;
        }
        /* linear in z between the cell centres around zr */
        if (zr_m <= z[0] || jr == NZ - 1)
            cy[i] = c[jr];
        else {
            double w = (zr_m - z[jr]) / (z[jr + 1] - z[jr]);
            cy[i] = (1.0 - w) * c[jr] + w * c[jr + 1];
        }
    }
    free(z);
    return 0;
}
