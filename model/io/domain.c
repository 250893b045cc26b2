/* domain.c — receptor grid and transverse Mercator projection through PROJ. */
#include "io/domain.h"

#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lt_domain {
    PJ_CONTEXT *ctx;
    PJ *pj;          /* the projection as an operation: radians <-> metres */
    char proj4[256];
    char *wkt;
    double clon, clat;
    int nx, ny;
    double dx;
};

int lt_domain_create(lt_domain **out, double clon, double clat, int nx, int ny, double dx_m,
                     lt_error *err)
{
    *out = NULL;
    lt_domain *d = calloc(1, sizeof *d);
    if (!d)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    d->clon = clon;
    d->clat = clat;
    d->nx = nx;
    d->ny = ny;
    d->dx = dx_m;
    snprintf(d->proj4, sizeof d->proj4,
             "+proj=tmerc +lat_0=%.10g +lon_0=%.10g +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m",
             clat, clon);
    d->ctx = proj_context_create();
    if (!d->ctx) {
        free(d);
        return lt_error_set(err, LT_EINTERNAL, "PROJ: cannot create a context");
    }
    proj_log_level(d->ctx, PJ_LOG_NONE); /* errors come back through err */
    d->pj = proj_create(d->ctx, d->proj4);
    if (!d->pj) {
        int e = proj_context_errno(d->ctx);
        lt_error_set(err, LT_EINTERNAL, "PROJ: cannot create '%s': %s", d->proj4,
                     proj_context_errno_string(d->ctx, e));
        lt_domain_free(&d);
        return LT_EINTERNAL;
    }
    char crs[300];
    snprintf(crs, sizeof crs, "%s +type=crs", d->proj4);
    PJ *c = proj_create(d->ctx, crs);
    if (c) {
        const char *w = proj_as_wkt(d->ctx, c, PJ_WKT2_2019, NULL);
        if (w)
            d->wkt = strdup(w);
        proj_destroy(c);
    }
    if (!d->wkt)
        d->wkt = strdup("");
    *out = d;
    return LT_OK;
}

void lt_domain_free(lt_domain **dp)
{
    if (!dp || !*dp)
        return;
    lt_domain *d = *dp;
    if (d->pj)
        proj_destroy(d->pj);
    if (d->ctx)
        proj_context_destroy(d->ctx);
    free(d->wkt);
    free(d);
    *dp = NULL;
}

int lt_domain_nx(const lt_domain *d) { return d->nx; }
int lt_domain_ny(const lt_domain *d) { return d->ny; }
double lt_domain_dx(const lt_domain *d) { return d->dx; }
double lt_domain_x(const lt_domain *d, int i) { return (i - 0.5 * (d->nx - 1)) * d->dx; }
double lt_domain_y(const lt_domain *d, int j) { return (j - 0.5 * (d->ny - 1)) * d->dx; }
const char *lt_domain_proj4(const lt_domain *d) { return d->proj4; }
const char *lt_domain_wkt(const lt_domain *d) { return d->wkt; }
double lt_domain_center_lon(const lt_domain *d) { return d->clon; }
double lt_domain_center_lat(const lt_domain *d) { return d->clat; }

int lt_domain_forward(const lt_domain *d, double lon, double lat, double *x_m, double *y_m)
{
    PJ_COORD c = proj_coord(proj_torad(lon), proj_torad(lat), 0, 0);
    PJ_COORD r = proj_trans(d->pj, PJ_FWD, c);
    if (!isfinite(r.xy.x) || !isfinite(r.xy.y))
        return -1;
    *x_m = r.xy.x;
    *y_m = r.xy.y;
    return 0;
}

int lt_domain_inverse(const lt_domain *d, double x_m, double y_m, double *lon, double *lat)
{
    PJ_COORD c = proj_coord(x_m, y_m, 0, 0);
    PJ_COORD r = proj_trans(d->pj, PJ_INV, c);
    if (!isfinite(r.lp.lam) || !isfinite(r.lp.phi))
        return -1;
    *lon = proj_todeg(r.lp.lam);
    *lat = proj_todeg(r.lp.phi);
    return 0;
}

double lt_domain_north_rotation(const lt_domain *d, double lon, double lat)
{
    /* Project a short step due north and measure its direction on the grid:
     * the meridian convergence, with the sign that rotates earth vectors to
     * grid vectors (grid angle = earth angle + this). */
    double x0, y0, x1, y1;
    double step = lat < 89.0 ? 1e-4 : -1e-4;
    if (lt_domain_forward(d, lon, lat, &x0, &y0) ||
        lt_domain_forward(d, lon, lat + step, &x1, &y1))
        return 0.0;
    if (step < 0) {
        x1 = 2 * x0 - x1;
        y1 = 2 * y0 - y1;
    }
    return atan2(y1 - y0, x1 - x0) - 0.5 * 3.14159265358979323846;
}

double lt_domain_outside_m(const lt_domain *d, double x_m, double y_m)
{
    double hx = 0.5 * d->nx * d->dx, hy = 0.5 * d->ny * d->dx;
    double ex = fabs(x_m) - hx, ey = fabs(y_m) - hy;
    ex = ex > 0 ? ex : 0;
    ey = ey > 0 ? ey : 0;
    return sqrt(ex * ex + ey * ey);
}
