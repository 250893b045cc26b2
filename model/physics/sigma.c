/* sigma.c — Briggs (1973) sigma_y, sigma_z curves.
 *
 * Briggs, G.A. (1973) Diffusion estimation for small emissions. ATDL
 * Contribution 79, NOAA. Tabulated in Seinfeld & Pandis (2006) table 18.5 and
 * in Hanna, Briggs & Hosker (1982) Handbook on Atmospheric Diffusion, table 4.5.
 * Stated valid for 100 m < x < 10 km; used outside that range as ISC3 and
 * most screening models do. */
#include "physics/sigma.h"

#include <math.h>
#include <string.h>

#define T(a_, b_, h_) {(a_), (b_), (h_), 0.0}

static const lt_sigma_curves curve_sets[] = {
    {"briggs-rural",
     "Briggs (1973) open-country curves",
     0, 0,
     {T(0.22, 1e-4, -1), T(0.16, 1e-4, -1), T(0.11, 1e-4, -1), T(0.08, 1e-4, -1),
      T(0.06, 1e-4, -1), T(0.04, 1e-4, -1)},
     {T(0.20, 0.0, 0), T(0.12, 0.0, 0), T(0.08, 2e-4, -1), T(0.06, 1.5e-3, -1),
      T(0.03, 3e-4, -2), T(0.016, 3e-4, -2)}},
    {"briggs-urban",
     "Briggs (1973) urban curves (McElroy-Pooler St. Louis data)",
     1, 0,
     {T(0.32, 4e-4, -1), T(0.32, 4e-4, -1), T(0.22, 4e-4, -1), T(0.16, 4e-4, -1),
      T(0.11, 4e-4, -1), T(0.11, 4e-4, -1)},
     {T(0.24, 1e-3, 1), T(0.24, 1e-3, 1), T(0.20, 0.0, 0), T(0.14, 3e-4, -1),
      T(0.08, 1.5e-3, -1), T(0.08, 1.5e-3, -1)}},
    /* sigma_y from sigma_v (measured sigma_theta, or u* and w*) and the vertical
     * from K-theory with similarity profiles: see kmodel.c and run.c. The
     * table terms are unused. */
    {"similarity",
     "boundary-layer similarity: sigma_y = sigma_v t f_y (Draxler 1976, Irwin 1983); "
     "vertical K-theory with Businger-Dyer profiles",
     0, 1,
     {T(0, 0, 0), T(0, 0, 0), T(0, 0, 0), T(0, 0, 0), T(0, 0, 0), T(0, 0, 0)},
     {T(0, 0, 0), T(0, 0, 0), T(0, 0, 0), T(0, 0, 0), T(0, 0, 0), T(0, 0, 0)}},
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
    return "briggs-rural, briggs-urban, similarity";
}

double lt_sigma_eval(const lt_sigma_term *t, double x_m)
{
    double sb = 1.0 + t->b * x_m;
    double f;
    switch (t->half_pow) {
    case -2: f = 1.0 / sb; break;
    case -1: f = 1.0 / sqrt(sb); break;
    case 1: f = sqrt(sb); break;
    default: f = 1.0; break;
    }
    double s = t->a * x_m * f;
    return t->c > 0.0 ? s / (1.0 + t->c * sqrt(x_m)) : s;
}

double lt_sigma_y(const lt_sigma_curves *c, lt_pg_class cls, double x_m)
{
    return lt_sigma_eval(&c->y[cls], x_m);
}

double lt_sigma_z(const lt_sigma_curves *c, lt_pg_class cls, double x_m)
{
    return lt_sigma_eval(&c->z[cls], x_m);
}
