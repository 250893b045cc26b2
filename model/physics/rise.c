/* rise.c — Briggs plume rise.
 *
 * Equations as implemented in ISC3: U.S. EPA (1995) User's guide for the
 * Industrial Source Complex (ISC3) dispersion models, Vol. II,
 * EPA-454/B-95-003b, §1.1.4 (eqs. 1-6 to 1-20), from
 * Briggs, G.A. (1969) Plume Rise, USAEC TID-24635;
 * Briggs, G.A. (1971, 1972, 1975) and, for stack-tip downwash,
 * Briggs, G.A. (1974) Diffusion estimation for small emissions, ATDL-106. */
#include "physics/rise.h"

#include <math.h>

#define G_MS2 9.80616
#define LT_PI 3.14159265358979323846
/* Minimum wind used in rise formulas (ISC3 takes 1.0 m/s). */
#define US_MIN_MS 1.0

double lt_stack_tip_downwash(double hs_m, double d_m, double vs_ms, double us_ms)
{
    /* ISC3 eq. 1-7: h' = hs + 2 d (vs/us - 1.5) when vs < 1.5 us. */
    if (vs_ms < 1.5 * us_ms) {
        double h = hs_m + 2.0 * d_m * (vs_ms / us_ms - 1.5);
        return h > 0.0 ? h : 0.0;
    }
    return hs_m;
}

void lt_rise_setup(lt_rise *r, double d_m, double vs_ms, double ts_K, double ta_K,
                   double us_ms, lt_pg_class cls)
{
    double us = us_ms > US_MIN_MS ? us_ms : US_MIN_MS;
    double ts = ts_K > ta_K ? ts_K : ta_K; /* ambient or colder: no buoyancy */
    double dT = ts - ta_K;

    r->us = us;
    r->stable = cls >= LT_PG_E;
    r->fb = G_MS2 * vs_ms * d_m * d_m * dT / (4.0 * ts);        /* eq. 1-8 */
    r->fm = vs_ms * vs_ms * d_m * d_m * ta_K / (4.0 * ts);      /* eq. 1-9 */
    r->beta_j = vs_ms > 0.0 ? 1.0 / 3.0 + us / vs_ms : 1.0;
    r->s = 0.0;
    r->dh_final = 0.0;
    r->xf = 0.0;
    r->momentum = 1;

    if (vs_ms <= 0.0 || d_m <= 0.0)
        return; /* nothing leaves the stack with any flux: no rise */

    if (!r->stable) {
        double dTc, dh_b, xf_b;
        if (r->fb < 55.0) {
            dTc = 0.0297 * ts * cbrt(vs_ms) / pow(d_m, 2.0 / 3.0);   /* eq. 1-10 */
            dh_b = 21.425 * pow(r->fb, 0.75) / us;                  /* eq. 1-12 */
            xf_b = 49.0 * pow(r->fb, 0.625);                         /* eq. 1-14 */
        } else {
            dTc = 0.00575 * ts * pow(vs_ms, 2.0 / 3.0) / cbrt(d_m);  /* eq. 1-11 */
            dh_b = 38.71 * pow(r->fb, 0.6) / us;                    /* eq. 1-13 */
            xf_b = 119.0 * pow(r->fb, 0.4);                          /* eq. 1-15 */
        }
        if (dT >= dTc && r->fb > 0.0) {
            r->momentum = 0;
            r->dh_final = dh_b;
            r->xf = xf_b;
        } else {
            r->dh_final = 3.0 * d_m * vs_ms / us;                    /* eq. 1-16 */
            /* Distance to final momentum rise: ISC3 eq. 1-19's xmax. */
            r->xf = 4.0 * d_m * (vs_ms + 3.0 * us) * (vs_ms + 3.0 * us) / (vs_ms * us);
        }
    } else {
        double dthdz = cls == LT_PG_E ? 0.020 : 0.035;              /* K/m */
        r->s = G_MS2 * dthdz / ta_K;                                 /* eq. 1-17 */
        double dTc = 0.019582 * ts * vs_ms * sqrt(r->s);             /* eq. 1-18 */
        if (dT >= dTc && r->fb > 0.0) {
            r->momentum = 0;
            r->dh_final = 2.6 * cbrt(r->fb / (us * r->s));            /* eq. 1-19 */
            r->xf = 2.0715 * us / sqrt(r->s);                        /* eq. 1-20 */
        } else {
            double dh_s = 1.5 * cbrt(r->fm / (us * sqrt(r->s)));      /* eq. 1-21 */
            double dh_u = 3.0 * d_m * vs_ms / us;
            r->dh_final = dh_s < dh_u ? dh_s : dh_u;
            r->xf = 0.5 * LT_PI * us / sqrt(r->s);
        }
    }
}

double lt_rise_at(const lt_rise *r, double x_m)
{
    if (x_m >= r->xf || r->dh_final <= 0.0)
        return r->dh_final;
    double dh;
    if (!r->momentum) {
        /* Gradual buoyant rise, 2/3 law (ISC3 eq. 1-23). */
        dh = 1.60 * cbrt(r->fb * x_m * x_m) / r->us;
    } else if (!r->stable) {
        /* Gradual momentum rise, unstable/neutral (ISC3 eq. 1-24). */
        dh = cbrt(3.0 * r->fm * x_m / (r->beta_j * r->beta_j * r->us * r->us));
    } else {
        /* Gradual momentum rise, stable (ISC3 eq. 1-25). */
        double rs = sqrt(r->s);
        dh = cbrt(3.0 * r->fm * sin(x_m * rs / r->us) /
                  (r->beta_j * r->beta_j * r->us * rs));
    }
    return dh < r->dh_final ? dh : r->dh_final;
}
