/* domain.h — the receptor grid and its map projection.
 *
 * The grid is projected with a transverse Mercator projection (conformal)
 * centred on [domain] center_lon/center_lat, on the WGS84 ellipsoid, done by
 * PROJ. Cell centres are at x_i = (i - (nx-1)/2) dx, y_j = (j - (ny-1)/2) dx:
 * the centre of the grid is the projection origin. */
#ifndef LT_DOMAIN_H
#define LT_DOMAIN_H

#include "core/lt_error.h"

typedef struct lt_domain lt_domain;

int lt_domain_create(lt_domain **d, double center_lon, double center_lat, int nx, int ny,
                     double dx_m, lt_error *err);
void lt_domain_free(lt_domain **d);

int lt_domain_nx(const lt_domain *d);
int lt_domain_ny(const lt_domain *d);
double lt_domain_dx(const lt_domain *d);
double lt_domain_x(const lt_domain *d, int i);   /* cell-centre x, m */
double lt_domain_y(const lt_domain *d, int j);

/* lon/lat (degrees) -> projected x/y (m); non-zero when PROJ fails. */
int lt_domain_forward(const lt_domain *d, double lon, double lat, double *x_m, double *y_m);
int lt_domain_inverse(const lt_domain *d, double x_m, double y_m, double *lon, double *lat);

/* Rotation (radians, counter-clockwise) from earth to grid axes at lon/lat:
 * a vector pointing at math angle a (from east) on the earth points at
 * a + rotation on the grid. Zero on the central meridian. */
double lt_domain_north_rotation(const lt_domain *d, double lon, double lat);

/* Distance (m) from (x,y) to the grid's rectangle; 0 inside. */
double lt_domain_outside_m(const lt_domain *d, double x_m, double y_m);

/* The projection as a PROJ string and as WKT (for the CF crs variable). */
const char *lt_domain_proj4(const lt_domain *d);
const char *lt_domain_wkt(const lt_domain *d);
double lt_domain_center_lon(const lt_domain *d);
double lt_domain_center_lat(const lt_domain *d);

#endif
