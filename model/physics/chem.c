/* chem.c — first-order secondary PM2.5 along the plume (see chem.h). */
#include "physics/chem.h"

#include <math.h>

#define PCT_PER_H (0.01 / 3600.0) /* % per hour -> s-1 */

void lt_chem_defaults(lt_chem_params *p)
{
    p->k_so2_night = 0.2;
    p->k_so2_sun = 2.0;
    p->k_nox_night = 2.0;
    p->k_nox_sun = 15.0;
    p->k_voc_night = 2.0;
    p->k_voc_sun = 15.0;
    p->soa_yield = 0.05;
    p->aqueous = 1;
    p->vd_so2 = 0.005;
    p->vd_nox = 0.001;
    p->vd_voc = 0.0;
    p->vd_pm = 0.001;
    p->wet_so2 = 3e-5;
    p->wet_nox = 0.0;
    p->wet_voc = 0.0;
    p->wet_pm = 1e-4;
    p->vd_hno3 = 0.02;
    p->vd_nh3 = 0.01;
    p->wet_hno3 = 6e-5;
    p->wet_nh3 = 6e-5;
    p->vs_coarse = 0.0016;
    p->partition = 0;
}

void lt_chem_rates_at(const lt_chem_params *p, double sun, double rh_pct, double rain_mmh,
                      double zi_m, lt_chem_rates *r)
{
    double s = sun > 0.0 ? (sun < 1.0 ? sun : 1.0) : 0.0;
    double k1 = p->k_so2_night + (p->k_so2_sun - p->k_so2_night) * s;
    if (p->aqueous && isfinite(rh_pct) && rh_pct > 0.0) {
        double rh = rh_pct < 100.0 ? rh_pct : 100.0;
        k1 += 3e-8 * rh * rh * rh * rh; /* MESOPUFF II aqueous path, %/h */
    }
    r->conv[0] = k1 * PCT_PER_H;
    r->conv[1] = (p->k_nox_night + (p->k_nox_sun - p->k_nox_night) * s) * PCT_PER_H;
    r->conv[2] = (p->k_voc_night + (p->k_voc_sun - p->k_voc_night) * s) * PCT_PER_H;
    double zi = zi_m > 10.0 ? zi_m : 10.0, rain = rain_mmh > 0.0 ? rain_mmh : 0.0;
    r->loss[0] = p->vd_so2 / zi + p->wet_so2 * rain;
    r->loss[1] = p->vd_nox / zi + p->wet_nox * rain;
    r->loss[2] = p->vd_voc / zi + p->wet_voc * rain;
    r->pm_loss = p->vd_pm / zi + p->wet_pm * rain;
    r->coarse_loss = (p->vd_pm + p->vs_coarse) / zi + p->wet_pm * rain;
}

void lt_gas_src_setup(lt_gas_src *g, const lt_chem_rates *r, const double q_ugs[LT_NGAS])
{
    const double lam[LT_NGAS] = {r->conv[0] + r->loss[0], r->conv[1] + r->loss[1], r->conv[1] + r->loss[1], 0.0,
                                 r->coarse_loss};
    for (int i = 0; i < LT_NGAS; i++) {
        g->q[i] = q_ugs[i];
        g->lam[i] = lam[i];
    }
}

void lt_gas_src_eval(const lt_gas_src *g, double t_s, double out[LT_NGAS])
{
    for (int i = 0; i < LT_NGAS; i++)
        out[i] = g->q[i] > 0.0 ? g->q[i] * exp(-g->lam[i] * t_s) : 0.0;
}

static const double mass_ratio_fixed[2] = {LT_MW_SO4_PER_SO2, LT_MW_NO3_PER_NO2};

void lt_chem_src_setup(lt_chem_src *c, const lt_chem_params *p, const lt_chem_rates *r,
                       const double q_ugs[4])
{
    c->q_pm = q_ugs[0];
    c->ks = r->pm_loss;
    for (int i = 0; i < 3; i++) {
        double ratio = i < 2 ? mass_ratio_fixed[i] : p->soa_yield;
        double lam = r->conv[i] + r->loss[i];
        c->lam[i] = lam;
        c->active[i] = q_ugs[i + 1] > 0.0 && r->conv[i] > 0.0 && ratio > 0.0;
        /* ks = lam within 1e-9 relative: the limit of the closed form */
        c->same[i] = fabs(c->ks - lam) <= 1e-9 * fmax(c->ks, lam);
        double a = ratio * r->conv[i] * q_ugs[i + 1];
        c->amp[i] = c->same[i] ? a : a / (c->ks - lam);
    }
}

void lt_chem_src_eval(const lt_chem_src *c, double t_s, double out[LT_NCOMP])
{
    double es = exp(-c->ks * t_s);
    out[LT_COMP_PRIMARY] = c->q_pm * es;
    for (int i = 0; i < 3; i++) {
        if (!c->active[i])
            out[1 + i] = 0.0;
        else if (c->same[i])
            out[1 + i] = c->amp[i] * t_s * es;
        else
            out[1 + i] = c->amp[i] * (exp(-c->lam[i] * t_s) - es);
    }
}

void lt_chem_factors(const lt_chem_params *p, const lt_chem_rates *r, double t_s,
                     double f[LT_NCOMP])
{
    lt_chem_src c;
    const double unit[4] = {1.0, 1.0, 1.0, 1.0};
    lt_chem_src_setup(&c, p, r, unit);
    lt_chem_src_eval(&c, t_s, f);
}
