/* sigma.h — plume spread sigma_y(x), sigma_z(x) as pluggable curve sets.
 *
 * A curve set is data: for each Pasquill–Gifford class, sigma = a x (1 + b x)^(h/2)
 * with h in {-2, -1, 0, 1}. Briggs' (1973) open-country and urban curves both
 * have this form. Add a set by adding a table entry in sigma.c. */
#ifndef LT_SIGMA_H
#define LT_SIGMA_H

#include "physics/stability.h"

typedef struct lt_sigma_term {
    double a;      /* m/m */
    double b;      /* 1/m */
    int half_pow;  /* exponent of (1 + b x), in halves */
    double c;      /* m^-1/2: divides by (1 + c sqrt(x)); 0 for Briggs */
} lt_sigma_term;

typedef struct lt_sigma_curves {
    const char *name;     /* as written in [dispersion] curves */
    const char *citation; /* where the coefficients come from */
    int urban;            /* selects the urban wind-profile exponents */
    int similarity;       /* 1: the boundary-layer similarity scheme (run.c, kmodel.c)
                           * sets the terms per source and hour instead of this table */
    lt_sigma_term y[LT_PG_NCLASS];
    lt_sigma_term z[LT_PG_NCLASS];
} lt_sigma_curves;

/* The set named name, or NULL. */
const lt_sigma_curves *lt_sigma_curves_find(const char *name);

/* Names of all sets, comma separated, for error messages. */
const char *lt_sigma_curves_names(void);

/* sigma = a x (1 + b x)^(h/2), in m. */
double lt_sigma_eval(const lt_sigma_term *t, double x_m);

double lt_sigma_y(const lt_sigma_curves *c, lt_pg_class cls, double x_m);
double lt_sigma_z(const lt_sigma_curves *c, lt_pg_class cls, double x_m);

#endif
