/* surface.h — the surface energy balance and boundary-layer scales from
 * routine weather, in the manner of AERMET (EPA's meteorological
 * preprocessor for AERMOD): what lantian uses when a weather file has no
 * friction velocity, Obukhov length or mixing height.
 *
 * Day (sensible heat flux H > 0): net radiation from the sun's elevation,
 * cloud cover, albedo and temperature (Holtslag & van Ulden 1983), H from it
 * by the Bowen ratio, u* and L by iterating the similarity wind profile;
 * checked in tests/test_surface.c against EPA's own AERMET output (H within
 * 2 %, u* within 0.5 %, L within 5 % on its test case's daytime hours);
 * night: u* and theta* by Venkatram's (1980) method with van Ulden &
 * Holtslag's (1985) theta*; the mechanical mixing height 2300 u*^1.5
 * (Venkatram 1980), the convective one grown hour by hour from the morning
 * (Batchvarova & Gryning 1991). Pure functions of plain values, SI units
 * (temperatures in K, fluxes in W m-2, heights in m). */
#ifndef LT_SURFACE_H
#define LT_SURFACE_H

#define LT_KAPPA 0.4
#define LT_G 9.81

/* rho cp of air, J m-3 K-1, at pressure p_Pa and temperature t_K (dry air,
 * R = 287.04 J kg-1 K-1, cp = 1004 J kg-1 K-1; AERMET takes the density
 * from the station pressure likewise). */
double lt_rho_cp(double p_Pa, double t_K);

/* Incoming shortwave radiation, W m-2, at solar elevation sine sin_elev
 * under cloud fraction n (0-1): (990 sin - 30)(1 - 0.75 n^3.4), Kasten &
 * Czeplak (1980) as in Holtslag & van Ulden (1983) eqs. 4-5; 0 below. */
double lt_sw_down(double sin_elev, double cloud);

/* The albedo at solar elevation elev_deg of a surface whose noon albedo is
 * r0 (AERMET: r = r0 + (1 - r0) exp(-0.1 elev - 0.5 (1 - r0)^2), Paine 1987). */
double lt_albedo_at(double r0, double elev_deg);

/* Net radiation, W m-2: [(1 - r) K + c1 T^6 - sigma T^4 + c2 n] / (1 + c3)
 * with c1 = 5.31e-13 W m-2 K-6, c2 = 60 W m-2, c3 = 0.12 (Holtslag & van
 * Ulden 1983, the constants AERMET uses). */
double lt_net_radiation(double k_down, double albedo, double t_K, double cloud);

/* Daytime sensible heat flux from the net radiation by the Bowen ratio, the
 * ground taking 10 % (AERMET: H = 0.9 Rn / (1 + 1/Bo)). */
double lt_heat_flux_bowen(double rn, double bowen);

/* Convective hours (h_Wm2 > 0): u* (m/s) and L (m, negative) from the wind
 * u at z_m over roughness z0_m, iterating u* = kappa u / [ln(z/z0) -
 * psi_m(z/L) + psi_m(z0/L)] with L = -rho cp T u*^3 / (kappa g H) to 0.1 %
 * (AERMET's scheme; psi_m of Paulson 1970). Returns the iterations, or -1
 * when it did not converge in 50. */
int lt_ustar_convective(double u_ms, double z_m, double z0_m, double t_K, double h_Wm2, double rho_cp,
                        double *ust, double *L);

/* Stable and neutral hours: theta* = 0.09 (1 - 0.5 n^2) K (van Ulden &
 * Holtslag 1985), u* = (C_DN u / 2)[1 + sqrt(1 - (2 u0 / (sqrt(C_DN) u))^2)]
 * with C_DN = kappa / ln(z/z0) and u0^2 = beta_m z g theta* / T, beta_m = 5
 * (Venkatram 1980, as AERMET); below the critical wind u_cr = 2 u0 /
 * sqrt(C_DN) (the root negative) u* = C_DN u / 2 and theta* scaled by
 * u / u_cr, as AERMET does, so both are continuous at u_cr. Gives u* (m/s),
 * theta* (K), L = T u*^2 / (kappa g theta*) (m) and H = -rho cp u* theta*
 * (W m-2). */
void lt_ustar_stable(double u_ms, double z_m, double z0_m, double t_K, double cloud, double rho_cp,
                     double *ust, double *theta_star, double *L, double *h_Wm2);

/* The mechanical mixing height, m: 2300 u*^1.5 (Venkatram 1980). */
double lt_zi_mechanical(double ust);

/* The convective mixing height after dt_s of growth from zi_m under a
 * kinematic heat flux H / (rho cp) > 0, u* and L, into a layer whose
 * potential temperature rises gamma K/m: Batchvarova & Gryning (1991) eq.
 * 17, dh/dt = (w'theta')/gamma / { h^2 / [(1+2A) h - 2 B kappa L] +
 * C u*^2 T / [gamma g ((1+A) h - B kappa L)] }, A = 0.2, B = 2.5, C = 8,
 * integrated by the classical Runge-Kutta method in steps of at most 60 s
 * that grow h by at most 2 %. With u* = 0 it is the encroachment
 * of Carson (1973): h^2 = h0^2 + 2 (1 + 2A) (w'theta') t / gamma. */
double lt_zi_convective_step(double zi_m, double dt_s, double h_Wm2, double ust, double L, double t_K,
                             double gamma_Kpm, double rho_cp);

/* The ratio u(z_to) / u(z_from) of the similarity wind profile over
 * roughness z0_m with 1/L = rmol_m1: [ln(z_to/z0) - psi_m(z_to/L) +
 * psi_m(z0/L)] / [the same at z_from] (Businger-Dyer, Paulson 1970), the
 * profile's value held at 0.1 or more, as in the surface layer; AERMOD
 * moves a measured wind to its reference height the same way. */
double lt_wind_ratio(double z_to_m, double z_from_m, double z0_m, double rmol_m1);

/* Convective velocity scale w* = (g H zi / (rho cp T))^(1/3), m/s (0 when H <= 0). */
double lt_wstar(double h_Wm2, double zi_m, double t_K, double rho_cp);

/* Lateral turbulence near the ground, sigma_v^2 = 4 u*^2 + 0.35 w*^2 (Hicks
 * 1985; Panofsky et al. 1977 for the convective term), m/s: u* ust_ms (at
 * least 0.01), w* from the heat flux h_Wm2, or when that is NaN from 1/L:
 * H = -rho cp T u*^3 / (kappa g L), rho cp = 1.2 x 1005. */
double lt_sigma_v(double ust_ms, double h_Wm2, double rmol_m1, double t_K, double zi_m);

#endif
