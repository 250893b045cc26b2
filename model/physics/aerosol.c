/* aerosol.c — sulfate-ammonium-nitrate partitioning (see aerosol.h). */
#include "physics/aerosol.h"

#include <math.h>

#define R_GAS 8.314462618 /* J mol-1 K-1 */
#define P_ATM 101325.0    /* Pa */
#define RH_MAX 99.0       /* the solution path above: a_w capped (m0 -> 0) */
#define A_GAMMA 0.511     /* Debye-Hueckel constant for log10, kg^0.5 mol^-0.5, 25 C */

double lt_nh4no3_kp_solid(double T)
{
    return exp(118.87 - 24084.0 / T - 6.025 * log(T));
}

/* 4.199e-17 atm2 in nbar2: 1 atm = 1.01325e9 nbar */
double lt_nh4no3_kp_isorropia(double T)
{
    double r = 298.15 / T;
    return 4.199e-17 * 1.01325e9 * 1.01325e9 * exp(-74.375 * (r - 1.0) + 6.025 * (1.0 + log(r) - r));
}

double lt_nh4no3_drh(double T)
{
    return exp(723.7 / T + 1.6954);
}

/* a_w(m) of the binary solutions, Fountoukis & Nenes (2007), Table 7:
 * (NH4)2SO4 and NH4NO3, decreasing in m up to M_TOP (a_w 0.389 and 0.635). */
static const double AW_FIT[2][7] = {
    {0.9968, -2.9690e-2, 1.735e-5, -3.2530e-4, 3.5710e-5, -9.7870e-7, 0.0},
    {1.0053, -2.4991e-2, 4.4688e-4, 1.6453e-5, -3.8940e-7, -4.7668e-8, 1.3753e-9},
};
static const double M_TOP[2] = {20.0, 25.0};

static double aw_of_m(int salt, double m)
{
    const double *k = AW_FIT[salt];
    double a = k[6];
    for (int i = 5; i >= 0; i--)
        a = a * m + k[i];
    return a;
}

double lt_binary_molality(int salt, double aw)
{
    double lo = 0.0, hi = M_TOP[salt];
    if (aw >= aw_of_m(salt, lo))
        return 0.0;
    if (aw <= aw_of_m(salt, hi))
        return hi; /* below the fit's range: its most concentrated solution */
    /* bisection on the monotone fit to 1e-12 mol/kg */
    while (hi - lo > 1e-12) {
        double mid = 0.5 * (lo + hi);
        if (aw_of_m(salt, mid) > aw)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

double lt_org_water(double org_ug, double kappa, double rho, double rh_pct)
{
    if (!(rh_pct > LT_AEROSOL_RH_MIN) || !(org_ug > 0.0))
        return 0.0;
    double aw = fmin(rh_pct, RH_MAX) / 100.0;
    /* kappa-Koehler: V_w = kappa V_org a_w / (1 - a_w), water at 1000 kg m-3 */
    return kappa * org_ug * (1000.0 / rho) * aw / (1.0 - aw);
}

/* K = K0 exp[a (T0/T - 1) + b (1 + ln(T0/T) - T0/T)], Fountoukis & Nenes
 * (2007), eq. 5, as a log at T0/T = r. */
static double lnk(double k0, double a, double b, double r)
{
    return log(k0) + a * (r - 1.0) + b * (1.0 + log(r) - r);
}

double lt_nh4no3_kaq(double T)
{
    double r = 298.15 / T;
    /* Table 2: HNO3(g) <-> H+ + NO3-, NH3(g) <-> NH3(aq), NH3(aq) + H2O <->
     * NH4+ + OH-, H2O <-> H+ + OH- */
    return exp(lnk(2.511e6, 29.17, 16.83, r) + lnk(57.639, 13.79, -5.39, r) + lnk(1.805e-5, -1.50, 26.92, r) -
               lnk(1.010e-14, -22.52, 26.92, r));
}

/* log10 of the Kusik-Meissner reduced activity coefficient Gamma0 of a pair
 * with parameter q at ionic strength I (Kusik & Meissner 1978). */
static double km_log10(double I, double q)
{
    double B = 0.75 - 0.065 * q, C = 1.0 + 0.055 * q * exp(-0.023 * I * I * I), sI = sqrt(I);
    return log10(1.0 + B * pow(1.0 + 0.1 * I, q) - B) - 0.5107 * sI / (1.0 + C * sI);
}

double lt_gamma_nh4no3(double m_nh4, double m_no3, double m_so4, double T)
{
    double I = 0.5 * (m_nh4 + m_no3 + 4.0 * m_so4);
    if (!(I > 0.0))
        return 1.0;
    double sI = sqrt(I), at = A_GAMMA * sI / (1.0 + sI);
    /* the pairs' log10 gamma0 at the solution's ionic strength (z+ z- log Gamma0) */
    double l_an = km_log10(I, -1.15), l_as = 2.0 * km_log10(I, -0.25);
    /* Bromley's (1973) mixing: cation NH4+ with anions NO3-, SO4--; anion NO3-
     * with cation NH4+; Y, X the charge-weighted ionic fractions */
    double y_no3 = m_no3 / I, y_so4 = 2.25 * m_so4 / I, x_nh4 = m_nh4 / I;
    double f_nh4 = y_no3 * l_an + y_so4 * l_as + at * (y_no3 + 2.0 * y_so4);
    double f_no3 = x_nh4 * l_an + at * x_nh4;
    double lg = -at + 0.5 * (f_nh4 + f_no3);
    /* temperature, Fountoukis & Nenes (2007), eq. 14 */
    double tc = T - 273.15, A = -(0.41 * sI / (1.0 + sI) + 0.039 * pow(I, 0.92));
    lg = (1.125 - 0.005 * tc) * lg - (0.125 - 0.005 * tc) * A;
    return pow(10.0, lg);
}

/* The dissolution balance of the solution path at x mol m-3 of NH4NO3 in
 * the solution: gamma^2 m(NH4+) m(NO3-) - K p(NH3) p(HNO3), increasing in x. */
typedef struct solution {
    double s, a, n;   /* sulfate, free NH3, HNO3: mol m-3 */
    double w0, m_an;  /* water without the nitrate (kg m-3); NH4NO3's m0 */
    double k, rt, T;  /* K (mol2 kg-2 atm-2), atm per mol m-3, K */
} solution;

static double balance(const solution *q, double x)
{
    double w = q->w0 + (q->m_an > 0.0 ? x / q->m_an : 0.0);
    double mn = (2.0 * q->s + x) / w, mo = x / w, ms = q->s / w;
    double g = lt_gamma_nh4no3(mn, mo, ms, q->T);
    return g * g * mn * mo - q->k * (q->a - x) * q->rt * (q->n - x) * q->rt;
}

/* The root of balance on [0, b] (balance(0) < 0 < balance(b)) by Brent's
 * method (Brent 1973, ch. 4): inverse quadratic interpolation or secant,
 * bisection whenever those fail to shrink the bracket fast enough. */
static double brent_root(const solution *q, double b)
{
    double a = 0.0, fa = balance(q, a), fb = balance(q, b), c = a, fc = fa, d = b - a, e = d;
    for (int it = 0; it < 100; it++) {
        if ((fb > 0.0) == (fc > 0.0)) {
            c = a;
            fc = fa;
            d = e = b - a;
        }
        if (fabs(fc) < fabs(fb)) {
            a = b, b = c, c = a;
            fa = fb, fb = fc, fc = fa;
        }
        double tol = 2.0 * 2.2e-16 * fabs(b) + 1e-14 * fabs(q->n), m = 0.5 * (c - b);
        if (fabs(m) <= tol || fb == 0.0)
            return b;
        if (fabs(e) >= tol && fabs(fa) > fabs(fb)) {
            double s = fb / fa, p, r;
            if (a == c) {
                p = 2.0 * m * s;
                r = 1.0 - s;
            } else {
                double t = fa / fc, u = fb / fc;
                p = s * (2.0 * m * t * (t - u) - (b - a) * (u - 1.0));
                r = (t - 1.0) * (u - 1.0) * (s - 1.0);
            }
            if (p > 0.0)
                r = -r;
            else
                p = -p;
            if (2.0 * p < fmin(3.0 * m * r - fabs(tol * r), fabs(e * r))) {
                e = d;
                d = p / r;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += fabs(d) > tol ? d : (m > 0.0 ? tol : -tol);
        fb = balance(q, b);
    }
    return b;
}

/* The solution path: nitrate (umol m-3) dissolved into the water of s umol
 * of (NH4)2SO4 and worg_ug of organic water, with a umol of free NH3 and n
 * of HNO3; *water the solution's water, ug m-3. */
static double dissolved(double s, double a, double n, double worg_ug, double T, double rh_pct, double *water)
{
    *water = 0.0;
    if (!(rh_pct > LT_AEROSOL_RH_MIN) || !(s > 0.0 || worg_ug > 0.0))
        return 0.0;
    double aw = fmin(rh_pct, RH_MAX) / 100.0;
    solution q = {s * 1e-6, a * 1e-6, n * 1e-6, 0.0, lt_binary_molality(1, aw), lt_nh4no3_kaq(T),
                  R_GAS * T / P_ATM, T};
    double m_as = lt_binary_molality(0, aw);
    q.w0 = (m_as > 0.0 ? q.s / m_as : 0.0) + worg_ug * 1e-9;
    *water = q.w0 * 1e9;
    if (!(q.a > 0.0 && q.n > 0.0 && q.w0 > 0.0))
        return 0.0;
    double x = brent_root(&q, fmin(q.a, q.n));
    *water = (q.w0 + (q.m_an > 0.0 ? x / q.m_an : 0.0)) * 1e9;
    return x * 1e6;
}

void lt_inorganic_equilibrium(double so4_ug, double tnh3_ug, double thno3_ug, double worg_ug, double T,
                              double rh_pct, double p_pa, unsigned opts, lt_inorganic *o)
{
    (void)p_pa; /* partial pressures follow from concentrations and T alone */
    /* ug m-3 -> umol m-3 */
    double s = so4_ug / LT_MW_SO4, a = tnh3_ug / LT_MW_NH3, n = thno3_ug / LT_MW_HNO3;
    double kp = opts & LT_AER_KP_ISORROPIA ? lt_nh4no3_kp_isorropia(T) : lt_nh4no3_kp_solid(T);
    o->aqueous = rh_pct >= lt_nh4no3_drh(T);
    if (o->aqueous) {
        double w = 1.0 - fmin(rh_pct, 99.5) / 100.0, lt = log(T);
        double p1 = exp(-135.94 + 8763.0 / T + 19.12 * lt);
        double p2 = exp(-122.65 + 9969.0 / T + 16.22 * lt);
        double p3 = exp(-182.61 + 13875.0 / T + 24.46 * lt);
        kp *= (p1 - p2 * w + p3 * w * w) * pow(w, 1.75);
    }
    o->kp_nbar2 = kp;
    double nh4 = fmin(a, 2.0 * s); /* sulfate first */
    double free_nh3 = a - nh4, x = 0.0;
    if (free_nh3 > 0.0 && n > 0.0) {
        /* umol m-3 -> nbar: p = c R T, 1 nbar = 1e-4 Pa */
        double f = 1e-6 * R_GAS * T / 1e-4;
        double A = free_nh3 * f, N = n * f;
        if (A * N > kp) {
            /* (A - x)(N - x) = Kp, the root below min(A, N) */
            double b = A + N, d = b * b - 4.0 * (A * N - kp);
            x = (b - sqrt(d > 0.0 ? d : 0.0)) / 2.0 / f;
        }
    }
    /* the solution path, where the sulfate is neutralised */
    double xs = 0.0;
    o->water = 0.0;
    if (!(opts & LT_AER_NO_SOLUTION))
        xs = dissolved(nh4 / 2.0, free_nh3, n, worg_ug, T, rh_pct, &o->water);
    o->dissolved = xs > x;
    if (xs > x)
        x = xs;
    o->nh4 = (nh4 + x) * LT_MW_NH4;
    o->no3 = x * LT_MW_NO3;
    o->nh3_gas = (free_nh3 - x) * LT_MW_NH3;
    o->hno3_gas = (n - x) * LT_MW_HNO3;
}
