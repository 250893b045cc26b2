/* aerosol.h — the inorganic gas-particle partitioning of the grid model.
 *
 * Sulfate is neutralised by ammonia first (up to (NH4)2SO4). Then nitrate
 * takes the larger of two equilibria of NH3(g) + HNO3(g) <-> NH4NO3:
 *
 * 1. NH4NO3 on its own, as solid or as its own solution, with the
 *    dissociation constant of Mozurkewich (1993) for the solid,
 *      ln Kp = 118.87 - 24084/T - 6.025 ln T      (Kp in nbar^2),
 *    below the deliquescence humidity ln DRH(%) = 723.7/T + 1.6954 (62 % at
 *    25 C), and above it the aqueous constant of Seinfeld & Pandis (2016,
 *    eq. 10.98, after Mozurkewich 1993):
 *      Kp* = [P1 - P2 (1 - a) + P3 (1 - a)^2] (1 - a)^1.75 Kp,  a = RH / 100,
 *      ln P1 = -135.94 + 8763/T + 19.12 ln T, ln P2 = -122.65 + 9969/T + 16.22 ln T,
 *      ln P3 = -182.61 + 13875/T + 24.46 ln T.
 *
 * 2. HNO3 and NH3 dissolved as NH4+ and NO3- into the water the ammonium
 *    sulfate and the organics hold (the humid-haze path; ISORROPIA's
 *    sulfate-poor aqueous case, Fountoukis & Nenes 2007), above 40 % RH on
 *    the metastable branch (the solution stays liquid down to the
 *    efflorescence of ammonium sulfate, 33-40 % RH, Martin 2000; the
 *    water-activity fit below holds to a_w = 0.40):
 *      gamma^2 m(NH4+) m(NO3-) = K p(NH3) p(HNO3),
 *    K = K(HNO3 dissolution and dissociation) K(NH3 Henry) K(NH3 + H2O) / Kw,
 *    2.587e17 mol2 kg-2 atm-2 at 298.15 K, each constant with its
 *    temperature dependence K = K0 exp[a (T0/T - 1) + b (1 + ln(T0/T) - T0/T)]
 *    (Fountoukis & Nenes 2007, Table 2); the water by ZSR,
 *      W = n((NH4)2SO4) / m0_AS(a_w) + n(NH4NO3) / m0_AN(a_w) + W_org,
 *    with the binary molalities m0 from the a_w(m) fits of Fountoukis & Nenes
 *    (2007, Table 7), and the organics' water by kappa-Koehler (Petters &
 *    Kreidenweis 2007), W_org = kappa V_org a_w / (1 - a_w) rho_w with
 *    kappa = 0.1 and a density of 1400 kg m-3 (secondary organic aerosol;
 *    kappa 0.05-0.2 in Petters & Kreidenweis 2007, Table 1); the mean
 *    activity coefficient of NH4NO3 in the NH4+ / NO3- / SO4-- solution by
 *    Kusik & Meissner (1978) for each pair (q = -1.15 for NH4NO3, -0.25 for
 *    (NH4)2SO4, Fountoukis & Nenes 2007, Table 4) mixed by Bromley (1973),
 *    with the temperature correction of Fountoukis & Nenes (2007, eq. 14).
 *    H+, OH- and dissolved neutral NH3 are neglected beside NH4+ (the
 *    solution is neutral when ammonia is left over).
 *
 * When ammonia cannot neutralise the sulfate, no nitrate forms (an acidic
 * aerosol holds little: HNO3 stays in the gas). */
#ifndef LT_AEROSOL_H
#define LT_AEROSOL_H

/* Molar masses, g/mol. */
#define LT_MW_NH3 17.031
#define LT_MW_HNO3 63.013
#define LT_MW_SO4 96.06
#define LT_MW_NH4 18.039
#define LT_MW_NO3 62.005

/* Options of the partition: ISORROPIA's constant for the solid NH4NO3
 * (Fountoukis & Nenes 2007, Table 2: 4.199e-17 atm2 at 298.15 K, a = -74.375,
 * b = 6.025) instead of Mozurkewich's; the solution path off. The two
 * constants agree to 0.1 % at 298 K and within 5.2 % from 263 to 303 K
 * (ISORROPIA's the higher in the cold); Mozurkewich's, a fit to measured
 * dissociation pressures that Seinfeld & Pandis and the aqueous correction
 * above build on, is the default. */
#define LT_AER_KP_ISORROPIA 1u
#define LT_AER_NO_SOLUTION 2u

/* The lowest relative humidity (%) of the aqueous sulfate solution. */
#define LT_AEROSOL_RH_MIN 40.0

/* Organic aerosol in the grid model: hygroscopicity and density of SOA. */
#define LT_ORG_KAPPA 0.1
#define LT_ORG_RHO 1400.0

/* The equilibrium of one cell: totals in ug m-3 (sulfate as SO4, total
 * ammonia as NH3, total nitrate as HNO3), the water the organics hold
 * worg_ug (ug m-3, lt_org_water), temperature T_K, relative humidity
 * rh_pct, pressure p_pa; opts the LT_AER_* flags. */
typedef struct lt_inorganic {
    double nh4, no3;          /* particulate ammonium and nitrate, ug m-3 */
    double nh3_gas, hno3_gas; /* left in the gas, ug m-3 */
    double water;             /* aerosol water of the solution path, ug m-3 (0 when dry) */
    double kp_nbar2;          /* the NH4NO3-alone dissociation constant used */
    int aqueous;              /* 1 above NH4NO3's deliquescence humidity */
    int dissolved;            /* 1 when the solution path holds the nitrate */
} lt_inorganic;

void lt_inorganic_equilibrium(double so4_ug, double tnh3_ug, double thno3_ug, double worg_ug, double T_K,
                              double rh_pct, double p_pa, unsigned opts, lt_inorganic *out);

/* The water (ug m-3) that org_ug ug m-3 of organics of hygroscopicity kappa
 * and density rho (kg m-3) hold at relative humidity rh_pct (0 at or below
 * LT_AEROSOL_RH_MIN, where the aerosol is taken as dry). */
double lt_org_water(double org_ug, double kappa, double rho, double rh_pct);

/* Kp (nbar^2) of the solid (Mozurkewich; ISORROPIA's), and the
 * deliquescence humidity (%), at T_K. */
double lt_nh4no3_kp_solid(double T_K);
double lt_nh4no3_kp_isorropia(double T_K);
double lt_nh4no3_drh(double T_K);

/* The molality (mol/kg) of a binary solution of ammonium sulfate (salt 0)
 * or ammonium nitrate (salt 1) in equilibrium with water activity aw. */
double lt_binary_molality(int salt, double aw);

/* K (mol2 kg-2 atm-2) of NH3(g) + HNO3(g) <-> NH4+ + NO3- at T_K. */
double lt_nh4no3_kaq(double T_K);

/* The mean activity coefficient of NH4NO3 in a solution of molalities
 * m_nh4, m_no3, m_so4 (mol/kg) at T_K. */
double lt_gamma_nh4no3(double m_nh4, double m_no3, double m_so4, double T_K);

#endif
