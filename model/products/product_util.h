/* product_util.h — small things every product file needs. */
#ifndef LT_PRODUCT_UTIL_H
#define LT_PRODUCT_UTIL_H

#include "run/run.h"

#define LT_PM25_STDNAME "mass_concentration_of_pm2p5_ambient_aerosol_particles_in_air"

/* 1 when any of the pointers given is NULL (an allocation failed). */
#define LT_ANY_NULL(...) lt_any_null_((const void *[]){__VA_ARGS__}, sizeof((const void *[]){__VA_ARGS__}) / sizeof(void *))

static inline int lt_any_null_(const void *const *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!p[i])
            return 1;
    return 0;
}

/* The component label dimension, defined once (fields.c). */
int lt_fields_component_dim(lt_output *out, int ncomp, int *dimid, lt_error *err);

#endif
