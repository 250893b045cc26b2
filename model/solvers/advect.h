/* advect.h — horizontal advection for the Eulerian grid model (issue 5's
 * first piece): flux form, so mass is conserved to round-off; piecewise-linear
 * upwind reconstruction with the monotonized-central limiter (van Leer 1977),
 * so no new extrema appear in a sweep; second order where the field is smooth;
 * Strang splitting (x half step, y step, x half step) with sub-steps that keep
 * the Courant number at or below cfl_max. Checked against LeVeque's (1996)
 * solid-body rotation and swirling-flow tests in tests/test_advect.c. */
#ifndef LT_ADVECT_H
#define LT_ADVECT_H

/* One 2-D layer: q[j*nx + i] (mass per volume), u[j*(nx+1) + i] the x
 * velocity on the face west of cell i (i = 0..nx), v[j*nx + i] the y velocity
 * on the face south of cell j (j = 0..ny), spacing dx, dy (m), over dt (s).
 * Air entering through the edges carries concentration inflow; air leaving
 * carries the edge cell's (upwind). out_mass, when not NULL, receives the mass
 * (per unit depth) that left minus the mass that entered. Returns the number
 * of sub-steps taken. */
int lt_advect_2d(double *q, int nx, int ny, const double *u, const double *v, double dx, double dy,
                 double dt, double cfl_max, double inflow, double *out_mass);

/* The same, with the mass (per unit depth) that entered through the edges in
 * in_mass and that left in out_mass, each when not NULL. */
int lt_advect_2d_io(double *q, int nx, int ny, const double *u, const double *v, double dx,
                    double dy, double dt, double cfl_max, double inflow, double *in_mass,
                    double *out_mass);

#endif
