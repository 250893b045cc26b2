/* chem.h — secondary PM2.5 in the plume: first-order conversion of SO2 to
 * sulfate, NOx to nitrate and VOC to secondary organic aerosol along the
 * travel time, with first-order dry and wet removal of every species.
 *
 * For a precursor P converted at kc and lost otherwise at kp, and its product
 * S lost at ks (all s-1, constant over the travel time t):
 *   P(t) = P0 exp(-(kc + kp) t)
 *   S(t) = r kc P0 / (ks - kc - kp) [exp(-(kc + kp) t) - exp(-ks t)]
 * (S = r kc P0 t exp(-ks t) when ks = kc + kp), r the product's mass per unit
 * precursor mass (molecular weights; a yield for SOA). Primary PM2.5 decays as
 * exp(-ks t). Ammonium and the ammonium nitrate equilibrium are not here: all
 * HNO3 is counted as nitrate (the grid model treats the equilibrium). */
#ifndef LT_CHEM_H
#define LT_CHEM_H

/* The components of PM2.5 the plume writes, and the species each comes from. */
enum { LT_COMP_PRIMARY = 0, LT_COMP_SO4, LT_COMP_NO3, LT_COMP_SOA, LT_NCOMP };

/* The components the grid model reports: those above and ammonium. */
#define LT_COMP_NH4 LT_NCOMP
#define LT_NCOMP_GRID (LT_NCOMP + 1)

/* Mass of product per mass of precursor: SO4/SO2 = 96.06/64.07, NO3/NO2 =
 * 62.00/46.01 (NOx emissions are reported as NO2 in China's inventories). */
#define LT_MW_SO4_PER_SO2 (96.06 / 64.07)
#define LT_MW_NO3_PER_NO2 (62.00 / 46.01)

/* The scheme's settings ([chemistry] in the config), rates in % per hour as
 * CALPUFF gives them, deposition velocities in m/s, scavenging coefficients
 * in s-1 per mm/h of rain. */
typedef struct lt_chem_params {
    double k_so2_night, k_so2_sun;   /* SO2 -> SO4 at night / under an overhead sun */
    double k_nox_night, k_nox_sun;   /* NOx -> HNO3 */
    double k_voc_night, k_voc_sun;   /* VOC oxidation (OH-driven, as NOx) */
    double soa_yield;                /* SOA mass per VOC mass oxidised */
    double aqueous;                  /* 1: add the MESOPUFF II aqueous SO2 path */
    double vd_so2, vd_nox, vd_voc, vd_pm; /* dry deposition velocities */
    double wet_so2, wet_nox, wet_voc, wet_pm; /* scavenging coefficients */
    /* The grid model's gases (grid.h): nitric acid and ammonia. */
    double vd_hno3, vd_nh3, wet_hno3, wet_nh3;
    /* Coarse PM (PM10 - PM2.5): gravitational settling velocity, m/s, added
     * to vd_pm; scavenged as wet_pm. */
    double vs_coarse;
    /* The grid model's partition (aerosol.h): LT_AER_* flags. */
    unsigned partition;
} lt_chem_params;

/* Defaults: CALPUFF's CHEM.DAT diurnal cycle (Scire et al. 2000, CALPUFF
 * User's Guide, Table F-39: SO2 0.2 %/h at night to 2 %/h at midday, NOx
 * (HNO3 only) 2 to 15 %/h); aqueous SO2 oxidation 3e-8 RH^4 %/h (MESOPUFF II,
 * Scire et al. 1984); scavenging coefficients of CALPUFF's defaults (SO2 3e-5,
 * NOx 0, SO4 and NO3 1e-4 s-1 per mm/h); deposition velocities typical of
 * land (Seinfeld and Pandis 2016, ch. 19: SO2 0.5 cm/s, NO2 0.1 cm/s, fine
 * particles 0.1 cm/s; VOC not deposited); an SOA mass yield of 0.05 (an assumption,
 * within the 0.02-0.1 of aromatics under high NOx, Ng et al. 2007). For the
 * grid model's gases: HNO3 2 cm/s and NH3 1 cm/s (Seinfeld and Pandis 2016,
 * ch. 19: HNO3 1-4 cm/s over land, NH3 about 1 cm/s); scavenging HNO3 6e-5
 * (CALPUFF's default) and NH3 the same (an assumption: both are very soluble).
 * Coarse PM settles at 0.0016 m/s: Stokes' law, v = rho g d^2 Cc / (18 mu),
 * for d = 5 um (the middle of 2.5-10 um), rho = 2000 kg/m3 (crustal
 * material), mu = 1.81e-5 Pa s, Cc = 1.03 (Seinfeld and Pandis 2016,
 * eqs. 9.34 and 9.42). */
void lt_chem_defaults(lt_chem_params *p);

/* First-order rates for one source and hour, s-1. */
typedef struct lt_chem_rates {
    double conv[3];   /* SO2, NOx, VOC converted */
    double loss[3];   /* SO2, NOx, VOC removed (dry + wet) */
    double pm_loss;   /* every particle component removed (dry + wet) */
    double coarse_loss; /* coarse PM removed: settling, dry deposition, wet */
} lt_chem_rates;

/* The rates at sine of the solar elevation sun (negative: night), relative
 * humidity rh_pct (NaN: no aqueous path), rain_mmh and mixing height zi_m
 * (dry deposition as vd / zi over a well-mixed layer). */
void lt_chem_rates_at(const lt_chem_params *p, double sun, double rh_pct, double rain_mmh,
                      double zi_m, lt_chem_rates *r);

/* Per unit of emitted mass after travel time t_s: f[LT_COMP_PRIMARY] of
 * primary PM2.5, f[LT_COMP_SO4] sulfate per SO2, f[LT_COMP_NO3] nitrate per
 * NOx, f[LT_COMP_SOA] SOA per VOC (the closed form above). */
void lt_chem_factors(const lt_chem_params *p, const lt_chem_rates *r, double t_s,
                     double f[LT_NCOMP]);

/* What the kernel needs per source and hour: component c at travel time t is
 *   q_pm e^{-ks t}                                    (c = primary)
 *   amp[i] (e^{-lam[i] t} - e^{-ks t})                (c = 1 + i, lam != ks)
 *   amp[i] t e^{-ks t}                                (c = 1 + i, same[i])
 * amp folding in the emission (ug/s), the mass ratio and the rate. */
typedef struct lt_chem_src {
    double q_pm;         /* primary PM2.5, ug/s */
    double ks;           /* particle loss, s-1 */
    double lam[3];       /* precursor total loss (conversion + removal), s-1 */
    double amp[3];
    int same[3];
    int active[3];       /* precursor emitted */
} lt_chem_src;

/* Fills c for emissions q_ugs[4] (PM2.5, SO2, NOx, VOC; ug/s) under rates r. */
void lt_chem_src_setup(lt_chem_src *c, const lt_chem_params *p, const lt_chem_rates *r,
                       const double q_ugs[4]);

/* The four components (ug/s after travel time t_s, per the plume's unit
 * dispersion) of source c. */
void lt_chem_src_eval(const lt_chem_src *c, double t_s, double out[LT_NCOMP]);

/* The gases of the AQI and coarse PM from one source, as the plume carries
 * them to the stations: SO2 and NOx (as NO2) as the precursors left after
 * conversion and removal, the in-stack NO2 (a share of that NOx, for the
 * ozone-limiting method: policy/no2.h), CO inert, coarse PM with its own
 * removal. Each is q exp(-lam t) per unit dispersion at travel time t. */
enum { LT_GAS_SO2 = 0, LT_GAS_NOX, LT_GAS_NO2, LT_GAS_CO, LT_GAS_COARSE, LT_NGAS };

typedef struct lt_gas_src {
    double q[LT_NGAS];    /* ug/s */
    double lam[LT_NGAS];  /* s-1 */
} lt_gas_src;

/* Fills g from the emissions q_ugs[LT_NGAS] (SO2, NOx, in-stack NO2, CO,
 * coarse; ug/s) under rates r: SO2 and NOx lost at conversion + removal,
 * the in-stack NO2 as NOx, CO not at all, coarse PM at coarse_loss. */
void lt_gas_src_setup(lt_gas_src *g, const lt_chem_rates *r, const double q_ugs[LT_NGAS]);

/* The five (ug/s per unit dispersion) at travel time t_s. */
void lt_gas_src_eval(const lt_gas_src *g, double t_s, double out[LT_NGAS]);

#endif
