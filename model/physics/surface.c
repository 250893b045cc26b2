/* surface.c — the surface energy balance and boundary-layer scales (see
 * surface.h for the formulas and their sources). */
#include "physics/surface.h"

#include <math.h>

#include "physics/kmodel.h" /* lt_psi_m: Businger-Dyer, Paulson (1970) */

#define SIGMA_SB 5.67e-8

double lt_rho_cp(double p_Pa, double t_K)
{
    return p_Pa / (287.04 * t_K) * 1004.0;
}

double lt_sw_down(double sin_elev, double cloud)
{
    double k0 = 990.0 * sin_elev - 30.0;
    return k0 > 0.0 ? k0 * (1.0 - 0.75 * pow(fmin(fmax(cloud, 0.0), 1.0), 3.4)) : 0.0;
}

double lt_albedo_at(double r0, double elev_deg)
{
    if (elev_deg <= 0.0)
        return 1.0;
    return r0 + (1.0 - r0) * exp(-0.1 * elev_deg - 0.5 * (1.0 - r0) * (1.0 - r0));
}

double lt_net_radiation(double k_down, double albedo, double t_K, double cloud)
{
    double t2 = t_K * t_K;
    return ((1.0 - albedo) * k_down + 5.31e-13 * t2 * t2 * t2 - SIGMA_SB * t2 * t2 + 60.0 * cloud) / 1.12;
}

double lt_heat_flux_bowen(double rn, double bowen)
{
    return 0.9 * rn / (1.0 + 1.0 / bowen);
}

int lt_ustar_convective(double u_ms, double z_m, double z0_m, double t_K, double h_Wm2, double rho_cp,
                        double *ust, double *L)
{
    double lz = log(z_m / z0_m), us = LT_KAPPA * u_ms / lz;
    double l = -rho_cp * t_K * us * us * us / (LT_KAPPA * LT_G * h_Wm2);
    for (int it = 1; it <= 50; it++) {
        double un = LT_KAPPA * u_ms / (lz - lt_psi_m(z_m / l) + lt_psi_m(z0_m / l));
        double ln = -rho_cp * t_K * un * un * un / (LT_KAPPA * LT_G * h_Wm2);
        int done = fabs(un - us) <= 1e-3 * us;
        us = un;
        l = ln;
        if (done) {
            *ust = us;
            *L = l;
            return it;
        }
    }
    *ust = us;
    *L = l;
    return -1;
}

void lt_ustar_stable(double u_ms, double z_m, double z0_m, double t_K, double cloud, double rho_cp,
                     double *ust, double *theta_star, double *L, double *h_Wm2)
{
    const double beta_m = 5.0;
    double n = fmin(fmax(cloud, 0.0), 1.0);
    double th = 0.09 * (1.0 - 0.5 * n * n);
    double cdn = LT_KAPPA / log(z_m / z0_m);
    double u0 = sqrt(beta_m * z_m * LT_G * th / t_K);
    double ucr = 2.0 * u0 / sqrt(cdn), us;
    if (u_ms >= ucr) {
        double r = 2.0 * u0 / (sqrt(cdn) * u_ms);
        us = 0.5 * cdn * u_ms * (1.0 + sqrt(1.0 - r * r));
    } else {
        us = 0.5 * cdn * u_ms;
        th *= u_ms / ucr;
    }
    *ust = us;
    *theta_star = th;
    *L = th > 0.0 ? t_K * us * us / (LT_KAPPA * LT_G * th) : INFINITY;
    *h_Wm2 = -rho_cp * us * th;
}

double lt_zi_mechanical(double ust)
{
    return 2300.0 * pow(fmax(ust, 0.0), 1.5);
}

/* dh/dt of Batchvarova & Gryning (1991). */
static double bg_rate(double h, double wt, double ust, double kl, double t_K, double gamma, double A, double B,
                      double C)
{
    double den = h * h / ((1.0 + 2.0 * A) * h - 2.0 * B * kl) + C * ust * ust * t_K / (gamma * LT_G * ((1.0 + A) * h - B * kl));
    return wt / gamma / den;
}

double lt_zi_convective_step(double zi_m, double dt_s, double h_Wm2, double ust, double L, double t_K,
                             double gamma_Kpm, double rho_cp)
{
    const double A = 0.2, B = 2.5, C = 8.0;
    if (!(h_Wm2 > 0.0) || !(dt_s > 0.0))
        return zi_m;
    double wt = h_Wm2 / rho_cp, h = fmax(zi_m, 1.0);
    double kl = LT_KAPPA * (isfinite(L) && L < 0.0 ? L : 0.0), done = 0.0;
    while (done < dt_s) { /* classical Runge-Kutta, steps growing h by at most 2 % */
        double r1 = bg_rate(h, wt, ust, kl, t_K, gamma_Kpm, A, B, C);
        double dt = fmin(fmin(60.0, dt_s - done), 0.02 * h / r1);
        double r2 = bg_rate(h + 0.5 * dt * r1, wt, ust, kl, t_K, gamma_Kpm, A, B, C);
        double r3 = bg_rate(h + 0.5 * dt * r2, wt, ust, kl, t_K, gamma_Kpm, A, B, C);
        double r4 = bg_rate(h + dt * r3, wt, ust, kl, t_K, gamma_Kpm, A, B, C);
        h += dt * (r1 + 2.0 * r2 + 2.0 * r3 + r4) / 6.0;
        done += dt;
    }
    return h;
}

double lt_wstar(double h_Wm2, double zi_m, double t_K, double rho_cp)
{
    return h_Wm2 > 0.0 ? cbrt(LT_G * h_Wm2 * zi_m / (rho_cp * t_K)) : 0.0;
}

double lt_sigma_v(double ust, double h, double rmol, double t_K, double zi_m)
{
    double us = ust > 0.01 ? ust : 0.01;
    if (!isfinite(h))
        h = -1.2 * 1005.0 * t_K * us * us * us * rmol / (0.4 * LT_G);
    double ws = lt_wstar(h, zi_m, t_K, 1.2 * 1005.0);
    return sqrt(4.0 * us * us + 0.35 * ws * ws);
}

static double profile(double z, double z0, double rmol)
{
    double v = log(z / z0) - lt_psi_m(z * rmol) + lt_psi_m(z0 * rmol);
    return v > 0.1 ? v : 0.1;
}

double lt_wind_ratio(double z_to_m, double z_from_m, double z0_m, double rmol_m1)
{
    if (z_to_m == z_from_m)
        return 1.0;
    return profile(z_to_m, z0_m, rmol_m1) / profile(z_from_m, z0_m, rmol_m1);
}
