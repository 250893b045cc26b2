/* components.c — PM2.5 at the stations per component (primary, sulfate,
 * nitrate, SOA, ammonium: station_pm25_component) and per component and
 * sector (station_pm25_component_src: which sectors the secondary PM2.5
 * comes from), and the components' shares of the all-station mean. Only
 * with [chemistry] secondary = yes. */
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

#include "physics/chem.h"
#include "products/product_util.h"
#include "products/products.h"

typedef struct components {
    const lt_run_shape *s;
    const lt_stations_product *st;
    const int *gtag;
    lt_output *out;
    int v_comp, v_compsrc;
    float *b_comp, *b_compsrc; /* [LT_BLOCK_HOURS][comp][station], [..][comp][tag][station] */
    double comp_sum[LT_NCOMP_GRID];
} components;

static int components_start(void *self, lt_output *out, lt_error *err)
{
    components *p = self;
    const lt_run_shape *s = p->s;
    p->out = out;
    size_t ct, cy, cx, cs, nst1 = s->nst ? s->nst : 1;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    int d_comp, rc = lt_fields_component_dim(out, s->ncomp, &d_comp, err);
    int d_time = lt_output_dim(out, "time"), d_st = lt_output_dim(out, "station");
    int d3[3] = {d_time, d_comp, d_st}, d4[4] = {d_time, d_comp, lt_output_dim(out, "source"), d_st};
    size_t c3[3] = {ct, 1, cs}, c4[4] = {ct, 1, 1, cs};
    if (rc || (rc = lt_output_def_station_float(out, "station_pm25_component", 3, d3, c3,
                                                "PM2.5 at stations per component (component_name)", &p->v_comp,
                                                err)) ||
        (rc = lt_output_def_station_float(out, "station_pm25_component_src", 4, d4, c4,
                                          "PM2.5 at stations per component (component_name) and sector (source): "
                                          "which sectors the secondary PM2.5 comes from",
                                          &p->v_compsrc, err)) ||
        (rc = lt_output_atts(out, p->v_compsrc, err, "comment",
                             "Sums over source give station_pm25_component; over component, station_pm25_src.",
                             NULL)))
        return rc;
    p->b_comp = malloc((size_t)LT_BLOCK_HOURS * (size_t)s->ncomp * nst1 * sizeof *p->b_comp);
    p->b_compsrc = malloc((size_t)LT_BLOCK_HOURS * (size_t)s->ncomp * (size_t)s->ntags * nst1 * sizeof *p->b_compsrc);
    if (LT_ANY_NULL(p->b_comp, p->b_compsrc))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the station components");
    return LT_OK;
}

static int components_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    components *p = self;
    const lt_run_shape *s = p->s;
    if (pl->pass != 1)
        return LT_OK;
    const size_t nst = s->nst, ntags = (size_t)s->ntags;
    float *stc = p->b_comp + (size_t)pl->slot * (size_t)s->ncomp * nst;
    float *stcs = p->b_compsrc + (size_t)pl->slot * (size_t)s->ncomp * ntags * nst;
    memset(stcs, 0, (size_t)s->ncomp * ntags * nst * sizeof *stcs);
    for (size_t k = 0; k < nst; k++) {
        double vc[LT_NCOMP_GRID] = {0};
        for (int g = 0; g < s->ngroups; g++)
            for (int c = 0; c < s->ncomp; c++) {
                double vv = pl->group[((size_t)g * s->ncomp + c) * s->nrec + s->ngrid + k];
                vc[c] += vv;
                stcs[((size_t)c * ntags + (size_t)p->gtag[g]) * nst + k] += (float)vv;
            }
        for (int c = 0; c < s->ncomp; c++) {
            stc[(size_t)c * nst + k] = (float)vc[c];
            p->comp_sum[c] += vc[c];
        }
    }
    return LT_OK;
}

static int components_end_block(void *self, int h0, int nh, lt_error *err)
{
    components *p = self;
    size_t nst = p->s->nst;
    if (!nst)
        return LT_OK;
    size_t s3[3] = {(size_t)h0, 0, 0}, c3[3] = {(size_t)nh, (size_t)p->s->ncomp, nst};
    size_t s4[4] = {(size_t)h0, 0, 0, 0}, c4[4] = {(size_t)nh, (size_t)p->s->ncomp, (size_t)p->s->ntags, nst};
    int rc = lt_output_put_floats(p->out, p->v_comp, s3, c3, p->b_comp, err);
    if (!rc)
        rc = lt_output_put_floats(p->out, p->v_compsrc, s4, c4, p->b_compsrc, err);
    if (rc)
        return rc;
    return LT_OK;
}

static int components_end_pass(void *self, int pass, lt_summary *sum, lt_error *err)
{
    (void)err;
    components *p = self;
    if (pass != 1)
        return LT_OK;
    double all = lt_stations_tag_total(p->st);
    for (int c = 0; c < p->s->ncomp; c++)
        sum->comp_share[c] = all > 0 ? p->comp_sum[c] / all : 0.0;
    return LT_OK;
}

static void components_state(void *self, lt_state *st)
{
    components *p = self;
    lt_state_add(st, "component_sum", p->comp_sum, sizeof p->comp_sum);
}

static void components_destroy(void *self)
{
    components *p = self;
    free(p->b_comp);
    free(p->b_compsrc);
    free(p);
}

static void components_estimate(const void *self, double *mem, double *out)
{
    const components *p = self;
    double n = (double)p->s->ncomp * (1.0 + p->s->ntags) * (double)(p->s->nst ? p->s->nst : 1);
    *mem = LT_BLOCK_HOURS * n * 4.0;
    *out = (double)p->s->hours * n * 4.0;
}

static const lt_product_ops components_ops = {
    .name = "components", .start = components_start, .add_hour = components_add_hour,
    .end_block = components_end_block, .end_pass = components_end_pass, .state = components_state,
    .destroy = components_destroy, .estimate = components_estimate};

int lt_components_attach(lt_run *run, const lt_stations_product *st, lt_error *err)
{
    components *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->st = st;
    p->gtag = lt_case_group_tags(lt_run_case_of(run));
    return lt_run_attach(run, &components_ops, p, err);
}
