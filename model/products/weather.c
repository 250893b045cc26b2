/* weather.c — the weather the run used, hour by hour at the domain centre
 * (met_*(time)): read from the file, or diagnosed by the preprocessor where
 * the file had none (each variable's lantian_origin says which), so that a
 * user can see the u*, Obukhov length and mixing height lantian worked with. */
#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>

#include "io/config.h"
#include "products/product_util.h"
#include "products/products.h"

enum { W_SPEED, W_DIR, W_T2, W_PBLH, W_UST, W_RMOL, W_HFX, W_CLOUD, NW };

typedef struct weather {
    lt_output *out;
    const lt_met *met;
    int varid[NW];
    int used[NW];
    float block[NW][LT_BLOCK_HOURS];
} weather;

typedef struct wdef {
    const char *name, *met_name, *long_name, *standard_name, *units;
} wdef;

static const wdef defs[NW] = {
    {"met_wind_speed", "u10", "wind speed at the met's wind height", "wind_speed", "m s-1"},
    {"met_wind_from_direction", "u10", "direction the wind blows from", "wind_from_direction", "degree"},
    {"met_air_temperature", "t2", "near-surface air temperature", "air_temperature", "K"},
    {"met_mixing_height", "pblh", "mixing height used by the dispersion", "atmosphere_boundary_layer_thickness", "m"},
    {"met_friction_velocity", "ust", "friction velocity u*", NULL, "m s-1"},
    {"met_inverse_obukhov_length", "rmol", "inverse Monin-Obukhov length 1/L", NULL, "m-1"},
    {"met_sensible_heat_flux", "hfx", "surface upward sensible heat flux", "surface_upward_sensible_heat_flux",
     "W m-2"},
    {"met_cloud_fraction", "cloud", "total cloud cover", "cloud_area_fraction", "1"},
};

/* Where variable w's values come from, for its lantian_origin. */
static void origin(const lt_met *met, int w, char *buf, size_t n)
{
    const char *name = defs[w].met_name;
    if (lt_met_diagnosed(met, name))
        snprintf(buf, n, "diagnosed by lantian's meteorological preprocessor (physics/surface.c) from the wind, "
                         "temperature, cloud cover or radiation, the time and place and [dispersion] z0_m");
    else if (w == W_RMOL && !lt_met_has(met, "rmol"))
        snprintf(buf, n, "derived from the file's sensible heat flux and friction velocity, "
                         "1/L = -kappa g H / (rho cp T u*^3) (Stull 1988 eq. 5.7c)");
    else
        snprintf(buf, n, "read from %s (%s)", lt_met_path(met), lt_met_varname(met, name));
}

static int weather_start(void *self, lt_output *out, lt_error *err)
{
    weather *p = self;
    p->out = out;
    int d_time = lt_output_dim(out, "time");
    int rc = lt_output_atts(out, NC_GLOBAL, err, "lantian_met", lt_met_description(p->met), NULL);
    if (!rc && lt_met_warnings(p->met)[0])
        rc = lt_output_atts(out, NC_GLOBAL, err, "lantian_met_warnings", lt_met_warnings(p->met), NULL);
    float fill = NC_FILL_FLOAT;
    for (int w = 0; w < NW && !rc; w++) {
        if (!p->used[w])
            continue;
        LT_NC(out, err, nc_def_var(lt_output_ncid(out), defs[w].name, NC_FLOAT, 1, &d_time, &p->varid[w]));
        LT_NC(out, err, nc_put_att_float(lt_output_ncid(out), p->varid[w], "_FillValue", NC_FLOAT, 1, &fill));
        char from[600];
        origin(p->met, w, from, sizeof from);
        rc = lt_output_atts(out, p->varid[w], err, "long_name", defs[w].long_name, "units", defs[w].units,
                            "comment", "at the domain centre ([domain] center_lon, center_lat), at the hour's start",
                            "lantian_origin", from, NULL);
        if (!rc && defs[w].standard_name)
            rc = lt_output_atts(out, p->varid[w], err, "standard_name", defs[w].standard_name, NULL);
    }
    return rc;
}

static float finite_or_fill(double v)
{
    return isfinite(v) ? (float)v : NC_FILL_FLOAT;
}

static int weather_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    weather *p = self;
    if (pl->pass != 1)
        return LT_OK;
    const lt_met_point *m = pl->weather;
    int b = pl->slot;
    double dir = fmod(270.0 - atan2(m->v10, m->u10) * 180.0 / 3.14159265358979323846, 360.0);
    p->block[W_SPEED][b] = (float)hypot(m->u10, m->v10);
    p->block[W_DIR][b] = (float)dir;
    p->block[W_T2][b] = finite_or_fill(m->t2);
    p->block[W_PBLH][b] = finite_or_fill(m->pblh);
    p->block[W_UST][b] = finite_or_fill(m->ust);
    p->block[W_RMOL][b] = finite_or_fill(m->rmol);
    p->block[W_HFX][b] = finite_or_fill(m->hfx);
    p->block[W_CLOUD][b] = finite_or_fill(m->cloud);
    return LT_OK;
}

static int weather_end_block(void *self, int h0, int nh, lt_error *err)
{
    weather *p = self;
    size_t s1 = (size_t)h0, c1 = (size_t)nh;
    for (int w = 0; w < NW; w++)
        if (p->used[w])
            LT_NC(p->out, err, nc_put_vara_float(lt_output_ncid(p->out), p->varid[w], &s1, &c1, p->block[w]));
    return LT_OK;
}

static void weather_estimate(const void *self, double *memory_bytes, double *output_bytes)
{
    (void)self;
    *memory_bytes = sizeof(weather);
    *output_bytes = 0.0; /* a few numbers per hour */
}

static const lt_product_ops weather_ops = {.name = "weather",
                                           .start = weather_start,
                                           .add_hour = weather_add_hour,
                                           .end_block = weather_end_block,
                                           .estimate = weather_estimate,
                                           .destroy = free};

int lt_weather_attach(lt_run *run, lt_error *err)
{
    weather *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->met = lt_case_met(lt_run_case_of(run));
    for (int w = 0; w < NW; w++)
        p->used[w] = lt_met_has(p->met, defs[w].met_name) || (w == W_RMOL && lt_met_has(p->met, "hfx"));
    return lt_run_attach(run, &weather_ops, p, err);
}
