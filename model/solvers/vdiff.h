/* vdiff.h — vertical diffusion in a grid column for the Eulerian grid model:
 * dC/dt = d/dz (K dC/dz), finite volumes on layers of any thickness,
 * Crank-Nicolson in time (theta = 1/2, second order and unconditionally
 * stable; theta = 1 is backward Euler, for stiff K), solved by the Thomas
 * algorithm. No flux through the top; through the ground a dry deposition
 * flux vd C(1) (taken implicitly, so C stays >= 0 with theta = 1). Mass is
 * conserved to round-off when vd = 0. */
#ifndef LT_VDIFF_H
#define LT_VDIFF_H

/* One step of dt for the column c[0..n) (layer 0 at the ground) with layer
 * thicknesses dz[0..n) and diffusivities k[0..n-1) at the interfaces between
 * layers i and i+1 (m2/s). work holds 4n doubles. Returns the mass deposited
 * per unit area during the step. */
double lt_vdiff_step(double *c, int n, const double *dz, const double *k, double vd_ms, double dt,
                     double theta, double *work);

#endif
