/* sigma.c — Briggs (1973) sigma_y, sigma_z curves.
 *
 * Briggs, G.A. (1973) Diffusion estimation for small emissions. ATDL
 * Contribution 79, NOAA. Tabulated in Seinfeld & Pandis (2006) table 18.5 and
 * in Hanna, Briggs & Hosker (1982) Handbook on Atmospheric Diffusion, table 4.5.
 * Stated valid for 100 m < x < 10 km; used outside that range as ISC3 and
 * most screening models do. */
#include "sigma.h"

#include <math.h>
#include <string.h>

#define T(a_, b_, h_) {(a_), (b_), (h_)}

static const lt_sigma_curves curve_sets[] = {
    {"briggs-rural",
     "Briggs (1973) open-country curves",
     0,
     {T(0.22, 1e-4, -1), T(0.16, 1e-4, -1), T(0.11, 1e-4, -1), T(0.08, 1e-4, -1),
      T(0.06, 1e-4, -1), T(0.04, 1e-4, -1)},
     {T(0.20, 0.0, 0), T(0.12, 0.0, 0), T(0.08, 2e-4, -1), T(0.06, 1.5e-3, -1),
      T(0.03, 3e-4, -2), T(0.016, 3e-4, -2)}},
    {"briggs-urban",
     "Briggs (1973) urban curves (McElroy-Pooler St. Louis data)",
     1,
     {T(0.32, 4e-4, -1), T(0.32, 4e-4, -1), T(0.22, 4e-4, -1), T(0.16, 4e-4, -1),
      T(0.11, 4e-4, -1), T(0.11, 4e-4, -1)},
     {T(0.24, 1e-3, 1), T(0.24, 1e-3, 1), T(0.20, 0.0, 0), T(0.14, 3e-4, -1),
      T(0.08, 1.5e-3, -1), T(0.08, 1.5e-3, -1)}},
};

#undef T

const lt_sigma_curves *lt_sigma_curves_find(const char *name)
{
    for (size_t i = 0; i < sizeof curve_sets / sizeof curve_sets[0]; i++)
        if (strcmp(curve_sets[i].name, name) == 0)
            return &curve_sets[i];
    return NULL;
}

const char *lt_sigma_curves_names(void)
{
    return "briggs-rural, briggs-urban";
}

double lt_sigma_eval(const lt_sigma_term *t, double x_m)
{
    double s = 1.0 + t->b * x_m;
    double f;
    switch (t->half_pow) {
    case -2: f = 1.0 / s; break;
    case -1: f = 1.0 / sqrt(s); break;
    case 1: f = sqrt(s); break;
    default: f = 1.0; break;
    }
    return t->a * x_m * f;
}

double lt_sigma_y(const lt_sigma_curves *c, lt_pg_class cls, double x_m)
{
    return lt_sigma_eval(&c->y[cls], x_m);
}

double lt_sigma_z(const lt_sigma_curves *c, lt_pg_class cls, double x_m)
{
    return lt_sigma_eval(&c->z[cls], x_m);
}
