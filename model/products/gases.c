/* gases.c — the explicit sources' own SO2, NOx, in-stack NO2, CO and coarse
 * PM (PM10 - PM2.5) at the stations, hour by hour, under the baseline and
 * every scenario: the local increments the six-pollutant AQI adds to the
 * background (airquality.c), and, for the baseline, hourly station series
 * in the output (station_so2_local, station_nox_local, station_co_local,
 * station_pm10_coarse_local).
 *
 * The solver carries them per source group (lt_planes.gas; the plume kernel
 * at the stations times each species' emission and first-order loss along
 * the travel time: physics/chem.h, lt_gas_src). A scenario scales a group's
 * SO2 by its factor on so2, NOx and the in-stack NO2 by its factor on nox,
 * CO by its factor on co and coarse PM by its factor on PM2.5 (the two share
 * their abatement: policy/scenario.h), recombined hour by hour as the PM2.5
 * is (scenarios.c); alert-mode scenarios' alert hours again in the second
 * pass, when the baseline's alerts are known. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/chem.h"
#include "products/product_util.h"
#include "products/products.h"

struct lt_gases_product {
    const lt_run_shape *s;
    const lt_case *cs;
    const lt_scenarios *sc;     /* NULL: no scenarios */
    const lt_assessment_product *as;
    const uint64_t *gsig;
    int nscen;
    lt_output *out;
    int v[LT_NGAS];             /* the baseline's hourly series (-1: not written) */
    double *local;              /* [1 + scenario][hour][LT_NGAS][station] */
    double *fac;                /* [group][LT_NGAS] one hour's factors */
    float *buf;                 /* [LT_BLOCK_HOURS][station] one series' block */
};

/* The output's series: the gas, its name, units, scale from ug/m3, what it is. */
static const struct {
    int gas;
    const char *name, *units;
    double scale;
    const char *what;
} series[] = {
    {LT_GAS_SO2, "station_so2_local", "ug m-3", 1.0, "SO2 at stations from the explicit sources"},
    {LT_GAS_NOX, "station_nox_local", "ug m-3", 1.0, "NOx (as NO2) at stations from the explicit sources"},
    {LT_GAS_CO, "station_co_local", "mg m-3", 1e-3, "CO at stations from the explicit sources"},
    {LT_GAS_COARSE, "station_pm10_coarse_local", "ug m-3", 1.0,
     "coarse PM (PM10 - PM2.5) at stations from the explicit sources"},
};
#define NSERIES (sizeof series / sizeof series[0])

const double *lt_gases_local(const lt_gases_product *p, int sc)
{
    if (!p || sc >= p->nscen)
        return NULL;
    size_t n = (size_t)p->s->hours * LT_NGAS * p->s->nst;
    return p->local + (size_t)(sc + 1) * n;
}

static int gases_start(void *self, lt_output *out, lt_error *err)
{
    lt_gases_product *p = self;
    const lt_run_shape *s = p->s;
    p->out = out;
    size_t ct, cy, cx, cs, nst1 = s->nst ? s->nst : 1;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    int dims[2] = {lt_output_dim(out, "time"), lt_output_dim(out, "station")}, rc;
    size_t ch[2] = {ct, cs};
    for (size_t i = 0; i < NSERIES; i++) {
        if ((rc = lt_output_def_float(out, series[i].name, 2, dims, ch, &p->v[i], err)) ||
            (rc = lt_output_atts(out, p->v[i], err, "long_name", series[i].what, "units", series[i].units,
                                 "cell_methods", "time: mean", "coverage_content_type", "modelResult", "coordinates",
                                 "station_lat station_lon station_name", "comment",
                                 "the baseline's local increment, without the background", NULL)))
            return rc;
    }
    size_t n = (size_t)(p->nscen + 1) * (size_t)s->hours * LT_NGAS * nst1;
    p->local = calloc(n, sizeof *p->local);
    p->fac = malloc((size_t)(s->ngroups ? s->ngroups : 1) * LT_NGAS * sizeof *p->fac);
    p->buf = malloc((size_t)LT_BLOCK_HOURS * nst1 * sizeof *p->buf);
    if (LT_ANY_NULL(p->local, p->fac, p->buf))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the stations' gases (%zu values)", n);
    return LT_OK;
}

/* The scenario species each gas is scaled by. */
static unsigned gas_species(int gas)
{
    static const unsigned sp[LT_NGAS] = {LT_SPECIES_SO2, LT_SPECIES_NOX, LT_SPECIES_NOX, LT_SPECIES_CO,
                                         LT_SPECIES_PM25};
    return sp[gas];
}

/* Scenario sc's (-1: the baseline) factor on group g's gas i at t. */
static double gas_factor(const lt_gases_product *p, int sc, size_t g, int i, double t, int alert_level)
{
    return sc < 0 ? 1.0 : lt_scenario_factor_species(p->sc, sc, p->gsig[g], t, alert_level, gas_species(i));
}

/* Scenario sc's (-1: the baseline) gases of hour pl->h: the groups' sum,
 * each scaled by the scenario's factor at that hour under alert_level; in
 * pass 2 (an alert hour of an alert-mode scenario) the difference the
 * alert's factors make is added (the groups it makes none to are not read:
 * the second pass does not disperse them). */
static void combine(lt_gases_product *p, int sc, const lt_planes *pl, int alert_level)
{
    const lt_run_shape *s = p->s;
    size_t nst = s->nst, ng = (size_t)s->ngroups;
    double t = s->start_s + 3600.0 * pl->h;
    for (size_t g = 0; g < ng; g++)
        for (int i = 0; i < LT_NGAS; i++)
            p->fac[g * LT_NGAS + (size_t)i] = gas_factor(p, sc, g, i, t, alert_level) -
                                              (pl->pass == 2 ? gas_factor(p, sc, g, i, t, 0) : 0.0);
    double *o = p->local + ((size_t)(sc + 1) * (size_t)s->hours + (size_t)pl->h) * LT_NGAS * nst;
    if (pl->pass == 1)
        memset(o, 0, LT_NGAS * nst * sizeof *o);
    for (size_t g = 0; g < ng; g++)
        for (int i = 0; i < LT_NGAS; i++) {
            double f = p->fac[g * LT_NGAS + (size_t)i];
            const double *x = pl->gas + (g * LT_NGAS + (size_t)i) * nst;
            if (f == 0.0)
                continue; /* pass 2: a group the alert does not change (not dispersed) */
            for (size_t k = 0; k < nst; k++)
                o[(size_t)i * nst + k] += f * x[k];
        }
}

static int gases_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    lt_gases_product *p = self;
    if (!pl->gas)
        return LT_OK;
    /* pass 1: every scenario as if no alert came; pass 2: the alert hours of
     * the alert-mode ones again */
    const int level = pl->pass == 2 ? lt_assessment_alert_hours(p->as)[pl->h] : 0;
    if (pl->pass == 1)
        combine(p, -1, pl, 0);
    for (int sc = 0; sc < p->nscen; sc++)
        if (pl->pass == 1 || (p->sc->alert_mode[sc] && level))
            combine(p, sc, pl, level);
    return LT_OK;
}

/* The second pass: the baseline's alert hours, where a scenario follows
 * them, and the groups whose factors an alert changes there. */
static void gases_rerun(const void *self, int *hours, int *groups)
{
    const lt_gases_product *p = self;
    if (p->sc)
        lt_scenarios_alert_rerun(p->sc, lt_assessment_alert_hours(p->as), p->s->hours, p->s->start_s, p->gsig,
                                 p->s->ngroups, hours, groups);
}

static int gases_end_block(void *self, int h0, int nh, lt_error *err)
{
    lt_gases_product *p = self;
    size_t nst = p->s->nst;
    if (!nst)
        return LT_OK;
    for (size_t i = 0; i < NSERIES; i++) {
        for (int b = 0; b < nh; b++) {
            const double *x = p->local + ((size_t)(h0 + b) * LT_NGAS + (size_t)series[i].gas) * nst;
            for (size_t k = 0; k < nst; k++)
                p->buf[(size_t)b * nst + k] = (float)(series[i].scale * x[k]);
        }
        size_t s2[2] = {(size_t)h0, 0}, c2[2] = {(size_t)nh, nst};
        int rc = lt_output_put_floats(p->out, p->v[i], s2, c2, p->buf, err);
        if (rc)
            return rc;
    }
    return LT_OK;
}

static int gases_passes(const void *self)
{
    const lt_gases_product *p = self;
    for (int sc = 0; sc < p->nscen; sc++)
        if (p->sc->alert_mode[sc])
            return 2;
    return 1;
}

static void gases_state(void *self, lt_state *st)
{
    lt_gases_product *p = self;
    const lt_run_shape *s = p->s;
    size_t n = (size_t)(p->nscen + 1) * (size_t)s->hours * LT_NGAS * (s->nst ? s->nst : 1);
    lt_state_add(st, "gases_local", p->local, n * sizeof *p->local);
}

static void gases_destroy(void *self)
{
    lt_gases_product *p = self;
    free(p->local);
    free(p->fac);
    free(p->buf);
    free(p);
}

static void gases_estimate(const void *self, double *mem, double *out)
{
    const lt_gases_product *p = self;
    const lt_run_shape *s = p->s;
    double nst = (double)(s->nst ? s->nst : 1), nh = s->hours;
    *mem = (p->nscen + 1.0) * nh * LT_NGAS * nst * 8.0 + LT_BLOCK_HOURS * nst * 4.0;
    *out = (double)NSERIES * nh * nst * 4.0;
}

static const lt_product_ops gases_ops = {
    .name = "gases", .start = gases_start, .add_hour = gases_add_hour, .end_block = gases_end_block,
    .passes = gases_passes, .rerun = gases_rerun, .state = gases_state, .destroy = gases_destroy, .estimate = gases_estimate};

int lt_gases_attach(lt_run *run, const lt_assessment_product *as, lt_gases_product **out, lt_error *err)
{
    const lt_case *cs = lt_run_case_of(run);
    lt_gases_product *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->cs = cs;
    p->sc = lt_case_scenarios(cs);
    p->nscen = p->sc ? p->sc->n : 0;
    p->as = as;
    p->gsig = lt_case_group_signatures(cs);
    for (int i = 0; i < LT_NGAS; i++)
        p->v[i] = -1;
    return lt_run_attach(run, &gases_ops, p, err);
}
