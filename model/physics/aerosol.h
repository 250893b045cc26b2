/* aerosol.h — the inorganic gas-particle partitioning of the grid model:
 * sulfate neutralised by ammonia first (up to (NH4)2SO4), then the ammonium
 * nitrate equilibrium NH3(g) + HNO3(g) <-> NH4NO3(s, aq) with the dissociation
 * constant of Mozurkewich (1993) for the solid,
 *   ln Kp = 118.87 - 24084/T - 6.025 ln T      (Kp in nbar^2),
 * below the deliquescence humidity ln DRH(%) = 723.7/T + 1.6954 (62 % at
 * 25 C), and above it the aqueous constant of Seinfeld & Pandis (2016,
 * eq. 10.98, after Mozurkewich 1993):
 *   Kp* = [P1 - P2 (1 - a) + P3 (1 - a)^2] (1 - a)^1.75 Kp,  a = RH / 100,
 *   ln P1 = -135.94 + 8763/T + 19.12 ln T, ln P2 = -122.65 + 9969/T + 16.22 ln T,
 *   ln P3 = -182.61 + 13875/T + 24.46 ln T.
 * When ammonia cannot neutralise the sulfate, no nitrate forms (an acidic
 * aerosol holds none). */
#ifndef LT_AEROSOL_H
#define LT_AEROSOL_H

/* Molar masses, g/mol. */
#define LT_MW_NH3 17.031
#define LT_MW_HNO3 63.013
#define LT_MW_SO4 96.06
#define LT_MW_NH4 18.039
#define LT_MW_NO3 62.005

/* The equilibrium of one cell: totals in ug m-3 (sulfate as SO4, total
 * ammonia as NH3, total nitrate as HNO3), temperature T_K, relative humidity
 * rh_pct, pressure p_pa. */
typedef struct lt_inorganic {
    double nh4, no3;       /* particulate ammonium and nitrate, ug m-3 */
    double nh3_gas, hno3_gas; /* left in the gas, ug m-3 */
    double kp_nbar2;       /* the dissociation constant used */
    int aqueous;           /* 1 above the deliquescence humidity */
} lt_inorganic;

void lt_inorganic_equilibrium(double so4_ug, double tnh3_ug, double thno3_ug, double T_K,
                              double rh_pct, double p_pa, lt_inorganic *out);

/* Kp (nbar^2) of the solid, and the deliquescence humidity (%), at T_K. */
double lt_nh4no3_kp_solid(double T_K);
double lt_nh4no3_drh(double T_K);

#endif
