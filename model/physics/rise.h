/* rise.h — Briggs plume rise with stack-tip downwash (the ISC3 formulation). */
#ifndef LT_RISE_H
#define LT_RISE_H

#include "physics/stability.h"

/* Everything about one stack in one hour that the rise at distance x needs. */
typedef struct lt_rise {
    double fb;        /* buoyancy flux, m4 s-3 */
    double fm;        /* momentum flux, m4 s-2 */
    double us;        /* wind at stack top used in rise formulas, m/s */
    double s;         /* stability parameter g (dtheta/dz)/Ta, s-2 (stable only) */
    double beta_j;    /* jet entrainment coefficient 1/3 + us/vs */
    double dh_final;  /* final rise, m */
    double xf;        /* distance to final rise, m */
    int momentum;     /* 1 when momentum dominates (Delta T below the crossover) */
    int stable;       /* 1 for classes E and F */
} lt_rise;

/* Stack height after Briggs' (1974) stack-tip downwash correction. */
double lt_stack_tip_downwash(double hs_m, double d_m, double vs_ms, double us_ms);

/* Fills r for a stack of diameter d_m, exit velocity vs_ms and exit
 * temperature ts_K (ts_K <= 0: at ambient) in air at ta_K, with wind us_ms at
 * stack top and class cls. */
void lt_rise_setup(lt_rise *r, double d_m, double vs_ms, double ts_K, double ta_K,
                   double us_ms, lt_pg_class cls);

/* Rise at downwind distance x_m: gradual below xf, final beyond. */
double lt_rise_at(const lt_rise *r, double x_m);

#endif
