/* kmodel.h — the vertical part of the 'similarity' dispersion scheme: the
 * crosswind-integrated concentration of a continuous point source from the
 * steady advection-diffusion equation u(z) dC/dx = d/dz (K(z) dC/dz), with
 * surface-layer similarity profiles of u and K, marched downwind. */
#ifndef LT_KMODEL_H
#define LT_KMODEL_H

typedef struct lt_kmodel_met {
    double u_ref_ms, z_ref_m;  /* a measured wind and its height */
    double ust_ms;             /* friction velocity */
    double rmol_m1;            /* 1/L */
    double zi_m;               /* boundary-layer height: K vanishes there */
    double z0_m;               /* roughness length */
} lt_kmodel_met;

/* Businger-Dyer functions (Dyer 1974; Paulson 1970): stability correction of
 * the wind profile psi_m(z/L), and phi_h(z/L) for heat. */
double lt_psi_m(double zeta);
double lt_phi_h(double zeta);

/* Wind at height z from the similarity profile through (z_ref, u_ref). */
double lt_kmodel_wind(const lt_kmodel_met *m, double z_m);

/* Eddy diffusivity K(z) = kappa u* z / phi_h(z/L) (1 - z/zi)^2
 * (Troen & Mahrt 1986; Holtslag & Boville 1993), 0 at and above zi. */
double lt_kmodel_k(const lt_kmodel_met *m, double z_m);

/* Crosswind-integrated concentration per unit emission rate (s m-2) at height
 * zr_m for a release at hs_m, at the n distances x_i = x0_m * ratio^i. A
 * release at or above zi stays in the air above the boundary layer, where K
 * is 0.01 m2 s-1, and reaches the ground only through it.
 * Returns 0, or -1 for impossible arguments or no memory. */
int lt_kmodel_cy(const lt_kmodel_met *m, double hs_m, double zr_m, double x0_m, double ratio,
                 int n, double *cy);

/* The same for any profiles u(ctx, z) and K(ctx, z) below top_m (used by the
 * similarity profiles above, and by the tests with analytical profiles). */
typedef double (*lt_profile_fn)(const void *ctx, double z_m);
int lt_kmodel_cy_profiles(lt_profile_fn u, lt_profile_fn k, const void *ctx, double top_m,
                          double hs_m, double zr_m, double x0_m, double ratio, int n, double *cy);

#endif
