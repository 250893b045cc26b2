/* plume.c — Gaussian plume concentration with ground and lid reflections.
 *
 * C(x,y,z) = Q / (2 pi u sy sz) exp(-y^2 / 2 sy^2) V(z), with V the sum of
 * image terms: Turner (1970) Workbook of Atmospheric Dispersion Estimates,
 * eq. 5.8; ISC3 (EPA-454/B-95-003b) §1.1.6, eqs. 1-50 to 1-54 for the
 * mixing-lid images, uniform mixing once sz > 1.6 zi, and zero ground
 * concentration when the effective height is above zi. Buoyancy-induced
 * dispersion sigma_e^2 = sigma^2 + (Delta h / 3.5)^2: ISC3 eq. 1-45. */
#include "plume.h"

#include <math.h>

#define SQRT_2PI 2.50662827463100050242

static double image(double d_m, double inv_2s2)
{
    double a = d_m * d_m * inv_2s2;
    return a < LT_EXP_CUTOFF ? exp(-a) : 0.0;
}

double lt_plume_vertical(double sigz_m, double he_m, double zr_m, double zi_m, int lid)
{
    if (!(sigz_m > 0.0))
        return 0.0;
    if (lid) {
        if (he_m > zi_m)
            return 0.0;
        if (sigz_m >= LT_UNIFORM_MIX * zi_m)
            return SQRT_2PI * sigz_m / zi_m;
    }
    double k = 0.5 / (sigz_m * sigz_m);
    double v = image(zr_m - he_m, k) + image(zr_m + he_m, k);
    if (!lid)
        return v;
    /* Images at 2 n zi -/+ he above and below; with sz < 1.6 zi, six pairs
     * of images bring every neglected term under exp(-50). */
    for (int n = 1; n <= 6; n++) {
        double d = 2.0 * n * zi_m;
        v += image(zr_m - he_m - d, k) + image(zr_m + he_m - d, k) +
             image(zr_m - he_m + d, k) + image(zr_m + he_m + d, k);
    }
    return v;
}

/* Cy at x from the table, linear in ln x (clamped to the table). */
static double table_cy(const lt_plume_src *s, double x)
{
    double p = log(x / s->cy_x0) / log(s->cy_ratio);
    if (p <= 0.0)
        return s->cy[0];
    if (p >= s->ncy - 1)
        return s->cy[s->ncy - 1];
    int i = (int)p;
    double w = p - i;
    return (1.0 - w) * s->cy[i] + w * s->cy[i + 1];
}

double lt_plume_at(const lt_plume_src *s, double xd_m, double yd_m, double zr_m)
{
    if (xd_m < LT_X_MIN_M)
        return 0.0;
    if (s->cy) {
        /* C = Q Cy(x, zr) exp(-y^2 / 2 sy^2) / (sqrt(2 pi) sy) */
        double sy = lt_sigma_eval(&s->sy, xd_m);
        if (s->sy0sq > 0.0)
            sy = sqrt(sy * sy + s->sy0sq);
        double ay = yd_m * yd_m / (2.0 * sy * sy);
        if (ay >= LT_EXP_CUTOFF)
            return 0.0;
        return s->q_ugs * table_cy(s, xd_m) * exp(-ay) / (SQRT_2PI * sy);
    }
    double sy = lt_sigma_eval(&s->sy, xd_m);
    double sz = lt_sigma_eval(&s->sz, xd_m);
    double dh = lt_rise_at(&s->rise, xd_m);
    if (s->bid && dh > 0.0) {
        double b = dh / 3.5;
        sy = sqrt(sy * sy + b * b);
        sz = sqrt(sz * sz + b * b);
    }
    if (s->sy0sq > 0.0 || s->sz0sq > 0.0) {
        /* volume sources: a virtual point upwind, as in ISC3 (sy^2 + sy0^2) */
        sy = sqrt(sy * sy + s->sy0sq);
        sz = sqrt(sz * sz + s->sz0sq);
    }
    double ay = yd_m * yd_m / (2.0 * sy * sy);
    if (ay >= LT_EXP_CUTOFF)
        return 0.0;
    double v = lt_plume_vertical(sz, s->hs_m + dh, zr_m, s->zi_m, s->lid);
    if (v == 0.0)
        return 0.0;
    return s->q_norm / (sy * sz) * exp(-ay) * v;
}

void lt_plume_accumulate(const lt_plume_src *src, size_t nsrc, const double *rx_m,
                         const double *ry_m, size_t nrec, double zr_m, double *conc)
{
    long n = (long)nrec;
#pragma omp parallel for schedule(static)
    for (long r = 0; r < n; r++) {
        double x = rx_m[r], y = ry_m[r];
        for (size_t k = 0; k < nsrc; k++) {
            const lt_plume_src *s = &src[k];
            double dx = x - s->x_m, dy = y - s->y_m;
            double xd = dx * s->cos_t + dy * s->sin_t;
            if (xd < LT_X_MIN_M)
                continue; /* upwind or at the stack: nothing */
            double yd = dy * s->cos_t - dx * s->sin_t;
            double c = lt_plume_at(s, xd, yd, zr_m);
            if (c > 0.0)
                conc[(size_t)s->tag * nrec + (size_t)r] += c;
        }
    }
}
