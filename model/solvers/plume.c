/* plume.c — Gaussian plume concentration with ground and lid reflections.
 *
 * C(x,y,z) = Q / (2 pi u sy sz) exp(-y^2 / 2 sy^2) V(z), with V the sum of
 * image terms: Turner (1970) Workbook of Atmospheric Dispersion Estimates,
 * eq. 5.8; ISC3 (EPA-454/B-95-003b) §1.1.6, eqs. 1-50 to 1-54 for the
 * mixing-lid images, uniform mixing once sz > 1.6 zi, and zero ground
 * concentration when the effective height is above zi. Buoyancy-induced
 * dispersion sigma_e^2 = sigma^2 + (Delta h / 3.5)^2: ISC3 eq. 1-45. */
#include "solvers/plume.h"

#include <math.h>

#define SQRT_2PI 2.50662827463100050242
#define PI 3.14159265358979323846

/* The kernels are written as loops the compiler turns into vector code:
 * glibc's libmvec supplies exp, cbrt, sin and erf for 2, 4 or 8 lanes. math.h declares those vector variants only under
 * -ffast-math; they are declared here without it (libmvec's results are
 * within 4 ulp of the scalar functions', test_plume checks the two paths
 * agree). Built for AVX2 and for any x86-64, the right one picked at load
 * time. Every lane computes what lt_plume_at does; terms it would skip are
 * computed and multiplied by zero, so the sums are the same. */
#pragma omp declare simd notinbranch
extern double exp(double);
#pragma omp declare simd notinbranch
extern double cbrt(double);
#pragma omp declare simd notinbranch
extern double sin(double);
#pragma omp declare simd notinbranch
extern double erf(double);
#pragma omp declare simd notinbranch
extern double log(double);

/* The exponent a of exp(-a) bounded by the cutoff into *arg, and into *in
 * whether it was within (1) or not (0): image()'s test. exp is then taken
 * over the bounded arguments in a loop of its own (exp_pass): with the mask
 * applied in the same expression the compiler would move exp into the
 * selected branch, unbounded, and libmvec falls back to scalar code for
 * arguments past ~700. */
__attribute__((always_inline)) static inline void cut_arg(double a, double *arg, double *in)
{
    *arg = a < LT_EXP_CUTOFF ? a : LT_EXP_CUTOFF;
    *in = a < LT_EXP_CUTOFF ? 1.0 : 0.0;
}

/* out[j] = exp(-arg[j]) where in[j], else 0 */
__attribute__((always_inline)) static inline void exp_pass(const double *arg, const double *in,
                                                           double *out, int n)
{
#pragma omp simd
    for (int j = 0; j < n; j++)
        out[j] = exp(-arg[j]);
#pragma omp simd
    for (int j = 0; j < n; j++)
        out[j] = in[j] > 0.0 ? out[j] : 0.0;
}

#define LANES 8 /* batches padded to a multiple of the widest vector */

/* Adds the mixing lid's images (lt_plume_vertical: pairs at 2 p zi -/+ he,
 * p = 1..6) to v[j] for n <= LANES receptors with release heights he[j],
 * k[j] = 1 / (2 sz[j]^2), pair after pair while any receptor still needs one;
 * receptors above the lid or mixed through it need none. Terms past the
 * cutoff add exact zeros, so each receptor's sum is lt_plume_vertical's. */
__attribute__((always_inline)) static inline void add_images(const double *he, const double *k,
                                                             const double *sz, int n, double zr,
                                                             double zi, double *v)
{
    double arg[4 * LANES], in[4 * LANES], e[4 * LANES];
    for (int p = 1; p <= 6; p++) {
        double d = 2.0 * p * zi, need = 0.0;
#pragma omp simd reduction(max : need)
        for (int j = 0; j < n; j++) {
            double near = d - he[j] - zr;
            double regular = he[j] <= zi && sz[j] < LT_UNIFORM_MIX * zi ? 1.0 : 0.0;
            double done = near > 0.0 && near * near * k[j] >= LT_EXP_CUTOFF ? 1.0 : 0.0;
            double nj = regular > done ? 1.0 : 0.0;
            need = need > nj ? need : nj;
        }
        if (need == 0.0)
            break;
#pragma omp simd
        for (int j = 0; j < n; j++) {
            double zm = zr - he[j], zp = zr + he[j];
            cut_arg((zm - d) * (zm - d) * k[j], &arg[j], &in[j]);
            cut_arg((zp - d) * (zp - d) * k[j], &arg[n + j], &in[n + j]);
            cut_arg((zm + d) * (zm + d) * k[j], &arg[2 * n + j], &in[2 * n + j]);
            cut_arg((zp + d) * (zp + d) * k[j], &arg[3 * n + j], &in[3 * n + j]);
        }
        exp_pass(arg, in, e, 4 * n);
#pragma omp simd
        for (int j = 0; j < n; j++)
            v[j] += e[j] + e[n + j] + e[2 * n + j] + e[3 * n + j];
    }
}


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
        double d = 2.0 * n * zi_m, near = d - he_m - zr_m; /* the nearest image of the pair and beyond */
        if (near > 0.0 && near * near * k >= LT_EXP_CUTOFF)
            break;
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

void lt_plume_polygon_extent(lt_plume_src *s)
{
    s->umin = s->vmin = 1e300;
    s->umax = s->vmax = -1e300;
    for (int i = 0; i < s->npoly; i++) {
        s->umin = fmin(s->umin, s->poly[2 * i]);
        s->umax = fmax(s->umax, s->poly[2 * i]);
        s->vmin = fmin(s->vmin, s->poly[2 * i + 1]);
        s->vmax = fmax(s->vmax, s->poly[2 * i + 1]);
    }
}

void lt_plume_set_polygon(lt_plume_src *s, const double *x, const double *y, int n, double *uv)
{
    for (int v = 0; v < n; v++) {
        uv[2 * v] = x[v] * s->cos_t + y[v] * s->sin_t;     /* along the wind */
        uv[2 * v + 1] = y[v] * s->cos_t - x[v] * s->sin_t; /* across it */
    }
    s->poly = uv;
    s->npoly = n;
    lt_plume_polygon_extent(s);
}

/* The v where the polygon crosses the line u = u0, sorted: pairs bound the
 * stretches of the line inside the polygon (even-odd rule). */
static int crossings(const double *uv, int n, double u0, double *vs)
{
    int m = 0;
    for (int i = 0, j = n - 1; i < n; j = i++) {
        double ui = uv[2 * i], uj = uv[2 * j];
        if ((ui > u0) != (uj > u0)) {
            double t = (u0 - ui) / (uj - ui);
            double v = uv[2 * i + 1] + t * (uv[2 * j + 1] - uv[2 * i + 1]);
            int k = m++;
            while (k > 0 && vs[k - 1] > v) { /* insertion sort: few crossings */
                vs[k] = vs[k - 1];
                k--;
            }
            vs[k] = v;
        }
    }
    return m;
}

/* The 4-point Gauss-Legendre rule on [a, b] of the along-wind integrand of
 * an area source: at upwind distance d, the vertical term over sqrt(2 pi)
 * sz times the crosswind integral over the polygon's stretches at u = xd - d,
 * 0.5 [erf((v1 - y) / (sqrt 2 sy)) - erf((v0 - y) / (sqrt 2 sy))]. The four
 * points' exponentials and erfs are taken together in vector loops. */
__attribute__((target_clones("avx2", "default")))
static double gl4(const lt_plume_src *s, double xd, double yd, double zr, double a, double b)
{
    static const double gx[4] = {-0.8611363115940526, -0.3399810435848563, 0.3399810435848563,
                                 0.8611363115940526};
    static const double gw[4] = {0.3478548451374538, 0.6521451548625461, 0.6521451548625461,
                                 0.3478548451374538};
    double mid = 0.5 * (a + b), half = 0.5 * (b - a);
    double sz[4], k[4], ea[4 * LT_AREA_MAX_VERTICES], vs[LT_AREA_MAX_VERTICES];
    int m[4], off[5], ne = 0;
    for (int q = 0; q < 4; q++) {
        double d = mid + half * gx[q];
        m[q] = crossings(s->poly, s->npoly, xd - d, vs) & ~1;
        double sy = lt_sigma_eval(&s->sy, d);
        sz[q] = lt_sigma_eval(&s->sz, d);
        if (s->sz0sq > 0.0)
            sz[q] = sqrt(sz[q] * sz[q] + s->sz0sq);
        double kq = 1.0 / (1.41421356237309504880 * sy);
        off[q] = ne;
        for (int i = 0; i < m[q]; i++)
            ea[ne++] = (vs[i] - yd) * kq;
    }
    off[4] = ne;
    /* the vertical term at the four points (lt_plume_vertical) */
    double arg[8], in[8], e[8], v[4];
    const double he = s->hs_m, zi = s->zi_m;
    for (int q = 0; q < 4; q++) {
        k[q] = 0.5 / (sz[q] * sz[q]);
        cut_arg((zr - he) * (zr - he) * k[q], &arg[q], &in[q]);
        cut_arg((zr + he) * (zr + he) * k[q], &arg[4 + q], &in[4 + q]);
    }
    exp_pass(arg, in, e, 8);
    for (int q = 0; q < 4; q++)
        v[q] = e[q] + e[4 + q];
    if (s->lid) {
        const double hv[4] = {he, he, he, he};
        add_images(hv, k, sz, 4, zr, zi, v);
        for (int q = 0; q < 4; q++)
            v[q] = he > zi ? 0.0 : sz[q] >= LT_UNIFORM_MIX * zi ? SQRT_2PI * sz[q] / zi : v[q];
    }
    /* the erfs of every stretch's ends */
    double ef[4 * LT_AREA_MAX_VERTICES];
#pragma omp simd
    for (int i = 0; i < ne; i++)
        ef[i] = erf(ea[i]);
    double sum = 0.0;
    for (int q = 0; q < 4; q++) {
        if (m[q] < 2 || v[q] == 0.0)
            continue;
        double lat = 0.0;
        for (int i = off[q]; i + 1 < off[q + 1]; i += 2)
            lat += 0.5 * (ef[i + 1] - ef[i]);
        sum += gw[q] * (v[q] / (SQRT_2PI * sz[q]) * lat);
    }
    return half * sum;
}

/* Adaptive Gauss-Legendre: a panel is halved until its two halves agree with
 * it to 1e-3 of themselves or to abs_tol (a small share of the whole
 * integral, so that stretches that cannot matter are not refined), at most
 * 12 levels deep -- a long thin road crossing the plume at an angle makes a
 * narrow peak that a fixed rule would miss. */
static double panel(const lt_plume_src *s, double xd, double yd, double zr, double a, double b,
                    int depth, double whole, double abs_tol)
{
    if (whole < 0.0)
        whole = gl4(s, xd, yd, zr, a, b);
    double m = 0.5 * (a + b);
    double l = gl4(s, xd, yd, zr, a, m), r = gl4(s, xd, yd, zr, m, b);
    double diff = fabs(l + r - whole);
    if (depth >= 12 || diff <= 1e-3 * fabs(l + r) || diff <= abs_tol)
        return l + r;
    return panel(s, xd, yd, zr, a, m, depth + 1, l, abs_tol) +
           panel(s, xd, yd, zr, m, b, depth + 1, r, abs_tol);
}

/* An area source: the point-source formula integrated over the polygon,
 * crosswind exactly (erf) and along the wind by adaptive 4-point
 * Gauss-Legendre on panels that break at every vertex and grow geometrically
 * (ratio <= 1.4) from the receptor, where the integrand changes fastest. As in AERMOD's
 * AREA/AREAPOLY treatment (EPA-454/R-03-004 §5.8), never collapsed to a point. */
static double area_at(const lt_plume_src *s, double xd, double yd, double zr)
{
    double dhi = xd - s->umin, dlo = xd - s->umax;
    if (dhi <= LT_X_MIN_M)
        return 0.0;
    /* far off the polygon's side: exp(-y^2 / 2 sy^2) < exp(-50) even with the
     * widest plume (at the farthest upwind point) */
    double symax = lt_sigma_eval(&s->sy, dhi), off = 10.0 * symax;
    if (yd < s->vmin - off || yd > s->vmax + off)
        return 0.0;
    /* Only the part of the polygon within `off` of the receptor's line across
     * the wind can matter: its extent along the wind bounds the integral
     * (a long road crossing the plume obliquely shrinks to a short piece). */
    double ua = 1e300, ub = -1e300, blo = yd - off, bhi = yd + off;
    for (int i = 0, j = s->npoly - 1; i < s->npoly; j = i++) {
        double ui = s->poly[2 * i], vi = s->poly[2 * i + 1];
        double uj = s->poly[2 * j], vj = s->poly[2 * j + 1];
        double t0 = 0.0, t1 = 1.0, dv = vj - vi;
        if (dv != 0.0) {
            double ta = (blo - vi) / dv, tb = (bhi - vi) / dv;
            t0 = fmax(t0, fmin(ta, tb));
            t1 = fmin(t1, fmax(ta, tb));
        } else if (vi < blo || vi > bhi) {
            continue;
        }
        if (t0 > t1)
            continue;
        double u0 = ui + t0 * (uj - ui), u1 = ui + t1 * (uj - ui);
        ua = fmin(ua, fmin(u0, u1));
        ub = fmax(ub, fmax(u0, u1));
    }
    if (ua > ub)
        return 0.0;
    dhi = fmin(dhi, xd - ua);
    dlo = fmax(dlo, xd - ub);
    if (dhi <= LT_X_MIN_M)
        return 0.0;
    if (dlo < LT_X_MIN_M)
        dlo = LT_X_MIN_M;
    double edges[LT_AREA_MAX_VERTICES + 64];
    int ne = 0;
    for (double d = dlo; d < dhi && ne < 63; d *= 1.4)
        edges[ne++] = d;
    edges[ne++] = dhi;
    for (int i = 0; i < s->npoly; i++) {
        double d = xd - s->poly[2 * i];
        if (d > dlo && d < dhi)
            edges[ne++] = d;
    }
    for (int i = 1; i < ne; i++) { /* sort */
        double e = edges[i];
        int k = i;
        while (k > 0 && edges[k - 1] > e) {
            edges[k] = edges[k - 1];
            k--;
        }
        edges[k] = e;
    }
    double sum = 0.0;
    /* Far from the polygon (its along-wind extent within a quarter of the
     * distance) and with a plume wider than the polygon across the wind, the
     * integrand is smooth between vertices: one 4-point panel each, with no
     * adaptive halving (tested against the adaptive rule). A narrow plume
     * crossing a long thin road at an angle keeps the adaptive rule. */
    int far = dhi - dlo <= 0.25 * dlo && lt_sigma_eval(&s->sy, dlo) >= s->vmax - s->vmin;
    double coarse[LT_AREA_MAX_VERTICES + 64], total = 0.0;
    for (int p = 0; p + 1 < ne; p++) {
        coarse[p] = edges[p + 1] > edges[p] ? gl4(s, xd, yd, zr, edges[p], edges[p + 1]) : 0.0;
        total += fabs(coarse[p]);
    }
    /* refinement stops where a panel's change is below 1e-4 of the coarse
     * whole: stretches that cannot matter are not refined */
    double abs_tol = 1e-4 * total + 1e-300;
    for (int p = 0; p + 1 < ne; p++)
        if (edges[p + 1] > edges[p])
            sum += far ? coarse[p] : panel(s, xd, yd, zr, edges[p], edges[p + 1], 0, coarse[p], abs_tol);
    return s->q_area * sum;
}

/* The plume alone (without the meander's weight). */
static double plume_at(const lt_plume_src *s, double xd_m, double yd_m, double zr_m)
{
    if (s->poly)
        return area_at(s, xd_m, yd_m, zr_m);
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
    {
        /* off the plume's axis even at its widest (the final rise's
         * buoyancy-induced spread, the initial spread): nothing, without
         * computing the rise and sigma_z */
        double b = s->bid ? s->rise.dh_final / 3.5 : 0.0;
        double wmax = sy * sy + (b > 0.0 ? b * b : 0.0) + s->sy0sq;
        if (yd_m * yd_m >= 2.0 * LT_EXP_CUTOFF * wmax)
            return 0.0;
    }
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

double lt_plume_meander_weights(lt_plume_src *s, double ubar, double sv, double tr_s)
{
    double ueff = sqrt(ubar * ubar + 2.0 * sv * sv);
    s->fp0 = ueff > 0.0 ? ubar * ubar / (ueff * ueff) : 0.0;
    s->fp_len = ueff * tr_s;
    return ueff;
}

double lt_plume_random_at(const lt_plume_src *s, double r, double zr_m)
{
    if (r < LT_X_MIN_M)
        return 0.0;
    double fr = 1.0 - s->fp0 * exp(-r / s->fp_len);
    if (s->cy)
        return fr * s->q_ugs * table_cy(s, r) / (2.0 * PI * r);
    /* the vertical spread and rise at r, as plume_at has them */
    double sz = lt_sigma_eval(&s->sz, r), dh = lt_rise_at(&s->rise, r);
    if (s->bid && dh > 0.0)
        sz = sqrt(sz * sz + dh * dh / (3.5 * 3.5));
    if (s->sz0sq > 0.0)
        sz = sqrt(sz * sz + s->sz0sq);
    double v = lt_plume_vertical(sz, s->hs_m + dh, zr_m, s->zi_m, s->lid);
    return fr * s->q_norm * v / (SQRT_2PI * sz * r);
}

void lt_plume_meander_table(lt_plume_src *s, double zr_m, double rmax_m, double *tab, int n)
{
    s->mr = NULL;
    s->nmr = n;
    s->mr_ratio = pow(rmax_m / LT_MR_R0_M, 1.0 / (n - 1));
    for (int i = 0; i < n; i++)
        tab[i] = lt_plume_random_at(s, LT_MR_R0_M * pow(s->mr_ratio, i), zr_m);
    s->mr = tab;
}

/* The random part at r from the table, linear in ln r (0 beyond its ends). */
static double table_mr(const lt_plume_src *s, double r)
{
    double p = log(r / LT_MR_R0_M) / log(s->mr_ratio);
    if (!(p >= 0.0) || p > s->nmr - 1)
        return 0.0;
    int i = (int)p;
    if (i >= s->nmr - 1)
        return s->mr[s->nmr - 1];
    double w = p - i;
    return (1.0 - w) * s->mr[i] + w * s->mr[i + 1];
}

double lt_plume_at(const lt_plume_src *s, double xd_m, double yd_m, double zr_m)
{
    double c = plume_at(s, xd_m, yd_m, zr_m);
    if (!s->mr)
        return c;
    double r = sqrt(xd_m * xd_m + yd_m * yd_m);
    return (c > 0.0 ? c * s->fp0 * exp(-r / s->fp_len) : 0.0) + table_mr(s, r);
}

/* Adds c, the concentration of source s at receptor r (xd_m downwind), into
 * conc: the total, or each component after the travel time's chemistry. */
static void add_one(const lt_plume_src *s, size_t r, double xd_m, double c, size_t nrec, int ncomp,
                    double *conc)
{
    if (ncomp == 1) {
        conc[(size_t)s->tag * nrec + r] += c;
        return;
    }
    /* travel time to the receptor (to its foot for an area's far side) */
    double comp[LT_NCOMP];
    lt_chem_src_eval(s->chem, (xd_m > 0.0 ? xd_m : 0.0) / s->u_travel_ms, comp);
    double *base = conc + (size_t)s->tag * LT_NCOMP * nrec + r;
    for (int q = 0; q < LT_NCOMP; q++)
        base[(size_t)q * nrec] += c * comp[q];
}

#define RBLOCK 256 /* receptors per block: a block's scratch stays in L1 */

typedef struct pt_scratch {
    double xd[RBLOCK], yd[RBLOCK];
    double x[RBLOCK], y[RBLOCK], dh[RBLOCK], sy[RBLOCK], sz[RBLOCK], he[RBLOCK], k[RBLOCK];
    double v[RBLOCK], c[RBLOCK];
    /* exponents, masks and exps: the ground's two terms and the crosswind one
     * of each receptor */
    double arg[3 * RBLOCK], in[3 * RBLOCK], e[3 * RBLOCK];
    int keep[RBLOCK], idx[RBLOCK];
} pt_scratch;

/* sigma = a x (1 + b x)^(h/2) / (1 + c sqrt x) at x[j] into out[j], as
 * lt_sigma_eval computes it (the same operations, so the same bits); one
 * loop per exponent, so that no lane computes what its curve does not use. */
__attribute__((always_inline)) static inline void sigma_pass(const lt_sigma_term *t, const double *x, double *out, int n)
{
    const double a = t->a, b = t->b;
    switch (t->half_pow) {
    case -2:
#pragma omp simd
        for (int j = 0; j < n; j++)
            out[j] = a * x[j] * (1.0 / (1.0 + b * x[j]));
        break;
    case -1:
#pragma omp simd
        for (int j = 0; j < n; j++)
            out[j] = a * x[j] * (1.0 / sqrt(1.0 + b * x[j]));
        break;
    case 1:
#pragma omp simd
        for (int j = 0; j < n; j++)
            out[j] = a * x[j] * sqrt(1.0 + b * x[j]);
        break;
    default:
#pragma omp simd
        for (int j = 0; j < n; j++)
            out[j] = a * x[j] * 1.0;
        break;
    }
    if (t->c > 0.0) {
        const double c = t->c;
#pragma omp simd
        for (int j = 0; j < n; j++)
            out[j] = out[j] / (1.0 + c * sqrt(x[j]));
    }
}

/* The distances of m receptors downwind (xd) and across the wind (yd) of s,
 * and xd at least LT_X_MIN_M (x). */
__attribute__((always_inline)) static inline void frame_pass(const lt_plume_src *s, const double *rx,
                                                             const double *ry, int m, pt_scratch *w)
{
    const double x0 = s->x_m, y0 = s->y_m, ct = s->cos_t, st = s->sin_t;
#pragma omp simd
    for (int i = 0; i < m; i++) {
        double dx = rx[i] - x0, dy = ry[i] - y0;
        w->xd[i] = dx * ct + dy * st;
        w->yd[i] = dy * ct - dx * st;
        w->x[i] = w->xd[i] > LT_X_MIN_M ? w->xd[i] : LT_X_MIN_M;
    }
}

/* The receptors marked in w->keep gathered: their indices into w->idx, their
 * xd, yd into w->x, w->y, padded to a multiple of LANES with copies of the
 * last. Returns how many. */
__attribute__((always_inline)) static inline int gather_pass(pt_scratch *w, int m)
{
    int n = 0;
    for (int i = 0; i < m; i++) { /* without a branch to mispredict */
        w->idx[n] = i;
        n += w->keep[i];
    }
    int np = (n + LANES - 1) / LANES * LANES;
    for (int j = 0; n > 0 && j < np; j++) {
        int i = w->idx[j < n ? j : n - 1];
        w->x[j] = w->xd[i];
        w->y[j] = w->yd[i];
    }
    return n;
}

/* Source s at receptors rx, ry [m] of one block: the receptors it reaches are
 * gathered, then their concentrations computed in vector loops; returns how
 * many, with their indices in w->idx, distances downwind in w->x and values
 * in w->c. */
__attribute__((target_clones("avx2", "default")))
static int point_block(const lt_plume_src *s, const double *rx, const double *ry, int m, double zr,
                       pt_scratch *w)
{
    frame_pass(s, rx, ry, m, w);
    /* upwind, or off the axis even at the plume's widest (the final rise's
     * buoyancy-induced spread, the initial spread): not gathered, as in
     * lt_plume_at's first tests. y^2 < 2 cutoff (sy^2 + wb) is tested
     * multiplied out by (1 + b x)^-h (no square root, no division), with a
     * margin of 1e-9 so that rounding never drops a receptor it would keep. */
    const double bmax = s->bid ? s->rise.dh_final / 3.5 : 0.0;
    const double wb = (bmax > 0.0 ? bmax * bmax : 0.0) + s->sy0sq;
    const double kc = 2.0 * LT_EXP_CUTOFF * (1.0 + 1e-9), a2 = s->sy.a * s->sy.a, by = s->sy.b;
    int hp = s->sy.c > 0.0 ? 99 : s->sy.half_pow;
    if (hp == 99)
        sigma_pass(&s->sy, w->x, w->sy, m);
    switch (hp) {
    case -2:
#pragma omp simd
        for (int i = 0; i < m; i++) {
            double x = w->x[i], sb = 1.0 + by * x, sb2 = sb * sb, yd = w->yd[i];
            w->keep[i] = w->xd[i] >= LT_X_MIN_M && yd * yd * sb2 < kc * (a2 * x * x + wb * sb2);
        }
        break;
    case -1:
#pragma omp simd
        for (int i = 0; i < m; i++) {
            double x = w->x[i], sb = 1.0 + by * x, yd = w->yd[i];
            w->keep[i] = w->xd[i] >= LT_X_MIN_M && yd * yd * sb < kc * (a2 * x * x + wb * sb);
        }
        break;
    case 1:
#pragma omp simd
        for (int i = 0; i < m; i++) {
            double x = w->x[i], yd = w->yd[i];
            w->keep[i] = w->xd[i] >= LT_X_MIN_M && yd * yd < kc * (a2 * x * x * (1.0 + by * x) + wb);
        }
        break;
    case 99: /* with the c term: the spread itself */
#pragma omp simd
        for (int i = 0; i < m; i++) {
            double sy = w->sy[i], yd = w->yd[i];
            w->keep[i] = w->xd[i] >= LT_X_MIN_M && yd * yd < kc * (sy * sy + wb);
        }
        break;
    default:
#pragma omp simd
        for (int i = 0; i < m; i++) {
            double x = w->x[i], yd = w->yd[i];
            w->keep[i] = w->xd[i] >= LT_X_MIN_M && yd * yd < kc * (a2 * x * x + wb);
        }
        break;
    }
    int n = gather_pass(w, m);
    if (n == 0)
        return 0;
    int np = (n + LANES - 1) / LANES * LANES;
    /* the rise (lt_rise_at), one loop per form */
    const lt_rise *r = &s->rise;
    const double dhf = r->dh_final, xf = r->xf;
    if (dhf <= 0.0) {
        for (int j = 0; j < np; j++)
            w->dh[j] = dhf;
    } else if (!r->momentum) {
        const double fb = r->fb, us = r->us;
#pragma omp simd
        for (int j = 0; j < np; j++) {
            double x = w->x[j], g = 1.60 * cbrt(fb * x * x) / us; /* ISC3 eq. 1-23 */
            w->dh[j] = x >= xf ? dhf : g < dhf ? g : dhf;
        }
    } else if (!r->stable) {
        const double fm = r->fm, bj = r->beta_j, us = r->us;
#pragma omp simd
        for (int j = 0; j < np; j++) {
            double x = w->x[j], g = cbrt(3.0 * fm * x / (bj * bj * us * us)); /* ISC3 eq. 1-24 */
            w->dh[j] = x >= xf ? dhf : g < dhf ? g : dhf;
        }
    } else {
        const double rs = sqrt(r->s), fm = r->fm, bj = r->beta_j, us = r->us;
#pragma omp simd
        for (int j = 0; j < np; j++) {
            double x = w->x[j];
            double g = cbrt(3.0 * fm * sin(x * rs / us) / (bj * bj * us * rs)); /* ISC3 eq. 1-25 */
            w->dh[j] = x >= xf ? dhf : g < dhf ? g : dhf;
        }
    }
    /* the spreads, with the buoyancy-induced and initial ones; the ground's
     * image and the direct term */
    sigma_pass(&s->sy, w->x, w->sy, np);
    sigma_pass(&s->sz, w->x, w->sz, np);
    const double hs = s->hs_m, zi = s->zi_m;
    if (s->bid) {
#pragma omp simd
        for (int j = 0; j < np; j++) {
            double sy = w->sy[j], sz = w->sz[j], d = w->dh[j];
            double b = d / 3.5, bs = b * b;
            double syb = sqrt(sy * sy + bs), szb = sqrt(sz * sz + bs);
            w->sy[j] = d > 0.0 ? syb : sy;
            w->sz[j] = d > 0.0 ? szb : sz;
        }
    }
    if (s->sy0sq > 0.0 || s->sz0sq > 0.0) { /* volume sources: a virtual point upwind */
        const double sy0sq = s->sy0sq, sz0sq = s->sz0sq;
#pragma omp simd
        for (int j = 0; j < np; j++) {
            w->sy[j] = sqrt(w->sy[j] * w->sy[j] + sy0sq);
            w->sz[j] = sqrt(w->sz[j] * w->sz[j] + sz0sq);
        }
    }
#pragma omp simd
    for (int j = 0; j < np; j++) {
        double sy = w->sy[j], sz = w->sz[j], y = w->y[j];
        double he = hs + w->dh[j], k = 0.5 / (sz * sz);
        w->he[j] = he;
        w->k[j] = k;
        cut_arg((zr - he) * (zr - he) * k, &w->arg[j], &w->in[j]);
        cut_arg((zr + he) * (zr + he) * k, &w->arg[np + j], &w->in[np + j]);
        cut_arg(y * y / (2.0 * sy * sy), &w->arg[2 * np + j], &w->in[2 * np + j]);
    }
    exp_pass(w->arg, w->in, w->e, 3 * np);
#pragma omp simd
    for (int j = 0; j < np; j++)
        w->v[j] = w->e[j] + w->e[np + j];
    if (s->lid) /* run by run of LANES receptors */
        for (int j0 = 0; j0 < np; j0 += LANES)
            add_images(w->he + j0, w->k + j0, w->sz + j0, LANES, zr, zi, w->v + j0);
    const double qn = s->q_norm, lidf = s->lid ? 1.0 : 0.0;
#pragma omp simd
    for (int j = 0; j < np; j++) {
        double sy = w->sy[j], sz = w->sz[j], v = w->v[j];
        /* under a lid: above it nothing, mixed through it uniform */
        double vl = w->he[j] > zi ? 0.0 : sz >= LT_UNIFORM_MIX * zi ? SQRT_2PI * sz / zi : v;
        v = lidf > 0.0 ? vl : v;
        w->c[j] = qn / (sy * sz) * w->e[2 * np + j] * v;
    }
    return n;
}

/* The similarity scheme's source s at one block's receptors, as point_block
 * for the Briggs path: the receptors within the cutoff of the axis gathered,
 * their sigma_y, table position and crosswind exponential in vector loops
 * (lt_plume_at's cy branch: the table read linear in ln x, clamped). */
__attribute__((target_clones("avx2", "default")))
static int similarity_block(const lt_plume_src *s, const double *rx, const double *ry, int m, pt_scratch *w)
{
    const double sy0sq = s->sy0sq;
    frame_pass(s, rx, ry, m, w);
    sigma_pass(&s->sy, w->x, w->sy, m);
    const double kc = 2.0 * LT_EXP_CUTOFF * (1.0 + 1e-9);
#pragma omp simd
    for (int i = 0; i < m; i++) {
        double sy = w->sy[i], yd = w->yd[i];
        w->keep[i] = w->xd[i] >= LT_X_MIN_M && yd * yd < kc * (sy * sy + sy0sq);
    }
    int n = gather_pass(w, m);
    if (n == 0)
        return 0;
    int np = (n + LANES - 1) / LANES * LANES;
    sigma_pass(&s->sy, w->x, w->sy, np);
    const double ilr = 1.0 / log(s->cy_ratio), cx0 = s->cy_x0;
#pragma omp simd
    for (int j = 0; j < np; j++) {
        double sy = w->sy[j];
        sy = sy0sq > 0.0 ? sqrt(sy * sy + sy0sq) : sy;
        w->sy[j] = sy;
        cut_arg(w->y[j] * w->y[j] / (2.0 * sy * sy), &w->arg[j], &w->in[j]);
        w->k[j] = log(w->x[j] / cx0) * ilr;
    }
    exp_pass(w->arg, w->in, w->e, np);
    const double *cy = s->cy;
    const int top = s->ncy - 1;
    for (int j = 0; j < np; j++) { /* the table, gathered */
        double p = w->k[j];
        int i = p <= 0.0 ? 0 : p >= top ? top : (int)p;
        double f = p <= 0.0 || p >= top ? 0.0 : p - i;
        w->v[j] = f > 0.0 ? (1.0 - f) * cy[i] + f * cy[i + 1] : cy[i];
    }
    const double q = s->q_ugs;
#pragma omp simd
    for (int j = 0; j < np; j++)
        w->c[j] = q * w->v[j] * w->e[j] / (SQRT_2PI * w->sy[j]);
    return n;
}

/* A meandering source at the m receptors from r0: the plume's share, then
 * the random part at every receptor (its travel distance the radial one). */
/* The random part of s at m receptors: their radial distances into w->x,
 * the table read there (table_mr: linear in ln r, 0 beyond its ends) into
 * w->c; the distances and logarithms in a vector loop. */
__attribute__((target_clones("avx2", "default")))
static void random_pass(const lt_plume_src *s, const double *rx, const double *ry, int m, pt_scratch *w)
{
    const double x0 = s->x_m, y0 = s->y_m, ilr = 1.0 / log(s->mr_ratio);
#pragma omp simd
    for (int i = 0; i < m; i++) {
        double dx = rx[i] - x0, dy = ry[i] - y0, r = sqrt(dx * dx + dy * dy);
        w->x[i] = r;
        w->k[i] = log((r > LT_MR_R0_M ? r : LT_MR_R0_M) / LT_MR_R0_M) * ilr;
    }
    const double *t = s->mr;
    const int top = s->nmr - 1;
    for (int i = 0; i < m; i++) {
        double p = w->k[i];
        int j = p < top ? (int)p : top;
        double f = p - j;
        w->c[i] = w->x[i] < LT_MR_R0_M || p > top ? 0.0 : j == top ? t[top] : (1.0 - f) * t[j] + f * t[j + 1];
    }
}

/* The plume's share f_p(r) = fp0 exp(-r / fp_len) applied to the n gathered
 * receptors' values (w->c, at w->x, w->y). */
__attribute__((target_clones("avx2", "default")))
static void plume_share(const lt_plume_src *s, pt_scratch *w, int n)
{
    const double fp0 = s->fp0, il = 1.0 / s->fp_len;
#pragma omp simd
    for (int j = 0; j < n; j++) {
        double x = w->x[j], y = w->y[j];
        w->c[j] *= fp0 * exp(-sqrt(x * x + y * y) * il);
    }
}

static void meander_block(const lt_plume_src *s, const double *rx_m, const double *ry_m, size_t r0, int m,
                          size_t nrec, double zr_m, int ncomp, double *conc, pt_scratch *w)
{
    if (s->fp0 > 0.0) {
        int n = s->cy ? similarity_block(s, rx_m + r0, ry_m + r0, m, w) : point_block(s, rx_m + r0, ry_m + r0, m, zr_m, w);
        plume_share(s, w, n);
        for (int j = 0; j < n; j++)
            if (w->c[j] > 0.0)
                add_one(s, r0 + (size_t)w->idx[j], w->x[j], w->c[j], nrec, ncomp, conc);
    }
    random_pass(s, rx_m + r0, ry_m + r0, m, w);
    if (ncomp == 1) { /* the total: one plane, receptor after receptor */
        double *o = conc + (size_t)s->tag * nrec + r0;
        for (int i = 0; i < m; i++)
            o[i] += w->c[i];
        return;
    }
    for (int i = 0; i < m; i++)
        if (w->c[i] > 0.0)
            add_one(s, r0 + (size_t)i, w->x[i], w->c[i], nrec, ncomp, conc);
}

/* Every source of src[0, nsrc) at the receptors of block bk (RBLOCK of
 * them from r0 = bk * RBLOCK), added into conc in array order. */
static void accumulate_block(const lt_plume_src *src, size_t nsrc, const double *rx_m, const double *ry_m,
                             size_t nrec, double zr_m, int ncomp, double *conc, long bk, pt_scratch *w)
{
    size_t r0 = (size_t)bk * RBLOCK;
    int m = nrec - r0 < RBLOCK ? (int)(nrec - r0) : RBLOCK;
    double bx0 = rx_m[r0], bx1 = bx0, by0 = ry_m[r0], by1 = by0; /* the block's extent */
    for (int i = 1; i < m; i++) {
        double xi = rx_m[r0 + (size_t)i], yi = ry_m[r0 + (size_t)i];
        bx0 = xi < bx0 ? xi : bx0;
        bx1 = xi > bx1 ? xi : bx1;
        by0 = yi < by0 ? yi : by0;
        by1 = yi > by1 ? yi : by1;
    }
    for (size_t k = 0; k < nsrc; k++) {
        const lt_plume_src *s = &src[k];
        /* the whole block upwind (of the whole polygon) or at the stack:
         * nothing (the receptors' own test, at the block's farthest corner) */
        double ux = (s->cos_t > 0.0 ? bx1 : bx0) - s->x_m, uy = (s->sin_t > 0.0 ? by1 : by0) - s->y_m;
        if (s->mr) {
            meander_block(s, rx_m, ry_m, r0, m, nrec, zr_m, ncomp, conc, w);
            continue;
        }
        if (ux * s->cos_t + uy * s->sin_t < (s->poly ? s->umin : 0.0) + LT_X_MIN_M)
            continue;
        if (!s->poly) {
            int n = s->cy ? similarity_block(s, rx_m + r0, ry_m + r0, m, w) : point_block(s, rx_m + r0, ry_m + r0, m, zr_m, w);
            for (int j = 0; j < n; j++)
                if (w->c[j] > 0.0)
                    add_one(s, r0 + (size_t)w->idx[j], w->x[j], w->c[j], nrec, ncomp, conc);
            continue;
        }
        for (int i = 0; i < m; i++) {
            size_t r = r0 + (size_t)i;
            double dx = rx_m[r] - s->x_m, dy = ry_m[r] - s->y_m;
            double xd = dx * s->cos_t + dy * s->sin_t;
            if (xd < (s->poly ? s->umin : 0.0) + LT_X_MIN_M)
                continue; /* upwind (of the whole polygon) or at the stack: nothing */
            double yd = dy * s->cos_t - dx * s->sin_t;
            double c = lt_plume_at(s, xd, yd, zr_m);
            if (c > 0.0)
                add_one(s, r, xd, c, nrec, ncomp, conc);
        }
    }
}

void lt_plume_station_gases(const lt_plume_src *src, size_t nsrc, const double *rx_m, const double *ry_m,
                            size_t nst, double zr_m, double *gas)
{
    for (size_t k = 0; k < nsrc; k++) {
        const lt_plume_src *s = &src[k];
        if (!s->gas || !(s->q_unit > 0.0))
            continue;
        for (size_t r = 0; r < nst; r++) {
            double dx = rx_m[r] - s->x_m, dy = ry_m[r] - s->y_m;
            double xd = dx * s->cos_t + dy * s->sin_t, yd = dy * s->cos_t - dx * s->sin_t;
            if (!s->mr && xd < (s->poly ? s->umin : 0.0) + LT_X_MIN_M)
                continue; /* upwind (of the whole polygon) or at the stack, as the kernel */
            /* the plume's part after the travel time along the wind, the
             * meander's random part after the radial one, as add_one has
             * them */
            double c = plume_at(s, xd, yd, zr_m), cr = 0.0, rad = sqrt(dx * dx + dy * dy);
            if (s->mr) {
                c = c > 0.0 ? c * s->fp0 * exp(-rad / s->fp_len) : 0.0;
                cr = table_mr(s, rad);
            }
            double g[LT_NGAS], gr[LT_NGAS];
            lt_gas_src_eval(s->gas, (xd > 0.0 ? xd : 0.0) / s->u_travel_ms, g);
            lt_gas_src_eval(s->gas, rad / s->u_travel_ms, gr);
            c = c > 0.0 ? c / s->q_unit : 0.0;
            cr = cr > 0.0 ? cr / s->q_unit : 0.0;
            double *o = gas + (size_t)s->tag * LT_NGAS * nst + r;
            for (int i = 0; i < LT_NGAS; i++)
                o[(size_t)i * nst] += c * g[i] + cr * gr[i];
        }
    }
}

void lt_plume_accumulate_hours(const lt_plume_src *const *src, const size_t *nsrc, int nhours, const double *rx_m,
                               const double *ry_m, size_t nrec, double zr_m, int ncomp, double *conc,
                               size_t stride)
{
    /* (hour, block of receptors) pairs are dealt to threads, one parallel
     * region for all the hours: on a machine where another process holds a
     * core, a thread that loses its core delays the region's end by one
     * pair's work, once, not once an hour. Within a pair every source is
     * added in array order, so each receptor's sum is formed the same way
     * whatever the thread count. */
    long nblk = (long)((nrec + RBLOCK - 1) / RBLOCK), njobs = nblk * (long)nhours;
#pragma omp parallel if (njobs > 1)
    {
        pt_scratch w;
#pragma omp for schedule(dynamic, 1)
        for (long jb = 0; jb < njobs; jb++) {
            long hb = jb / nblk;
            accumulate_block(src[hb], nsrc[hb], rx_m, ry_m, nrec, zr_m, ncomp, conc + (size_t)hb * stride,
                             jb % nblk, &w);
        }
    }
}

void lt_plume_accumulate(const lt_plume_src *src, size_t nsrc, const double *rx_m,
                         const double *ry_m, size_t nrec, double zr_m, int ncomp, double *conc)
{
    lt_plume_accumulate_hours(&src, &nsrc, 1, rx_m, ry_m, nrec, zr_m, ncomp, conc, 0);
}
