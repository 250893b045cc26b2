/* split.c — PM2.5 at the stations per sector tag and county tag together
 * (station_pm25_split: which sector of which county), and the county tags'
 * shares of the all-station mean. */
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

#include "products/product_util.h"
#include "products/products.h"

typedef struct split {
    const lt_run_shape *s;
    const lt_stations_product *st;
    const int *gtag, *gcty;  /* [group] sector tag, county tag */
    lt_output *out;
    int v_split;
    float *block;            /* [LT_BLOCK_HOURS][tag][county][station] */
    double *cty_sum;         /* [county] over stations and hours */
} split;

static int split_start(void *self, lt_output *out, lt_error *err)
{
    split *p = self;
    const lt_run_shape *s = p->s;
    p->out = out;
    size_t ct, cy, cx, cs, nst1 = s->nst ? s->nst : 1;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    int d4[4] = {lt_output_dim(out, "time"), lt_output_dim(out, "source"), lt_output_dim(out, "source_county"),
                 lt_output_dim(out, "station")}, rc;
    size_t c4[4] = {ct, 1, 1, cs};
    if ((rc = lt_output_def_float(out, "station_pm25_split", 4, d4, c4, &p->v_split, err)) ||
        (rc = lt_output_atts(out, p->v_split, err, "standard_name", LT_PM25_STDNAME, "long_name",
                             "PM2.5 at stations from each sector (source) of each county (source_county)", "units",
                             "ug m-3", "cell_methods", "time: mean", "coordinates",
                             "station_lat station_lon station_name", "comment",
                             "Sums over source_county give station_pm25_src; over both, station_pm25.", NULL)))
        return rc;
    p->block = malloc((size_t)LT_BLOCK_HOURS * (size_t)s->ntags * s->ncty * nst1 * sizeof *p->block);
    p->cty_sum = calloc(s->ncty ? s->ncty : 1, sizeof *p->cty_sum);
    if (LT_ANY_NULL(p->block, p->cty_sum))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the sector x county split");
    return LT_OK;
}

static int split_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    split *p = self;
    const lt_run_shape *s = p->s;
    if (pl->pass != 1)
        return LT_OK;
    const size_t nst = s->nst, ncty = s->ncty;
    float *spl = p->block + (size_t)pl->slot * (size_t)s->ntags * ncty * nst;
    memset(spl, 0, (size_t)s->ntags * ncty * nst * sizeof *spl);
    for (size_t k = 0; k < nst; k++)
        for (int g = 0; g < s->ngroups; g++) {
            double vg = 0.0;
            for (int c = 0; c < s->ncomp; c++)
                vg += pl->group[((size_t)g * s->ncomp + c) * s->nrec + s->ngrid + k];
            spl[((size_t)p->gtag[g] * ncty + (size_t)p->gcty[g]) * nst + k] += (float)vg;
            p->cty_sum[p->gcty[g]] += vg;
        }
    return LT_OK;
}

static int split_end_block(void *self, int h0, int nh, lt_error *err)
{
    split *p = self;
    if (!p->s->nst)
        return LT_OK;
    size_t s4[4] = {(size_t)h0, 0, 0, 0}, c4[4] = {(size_t)nh, (size_t)p->s->ntags, p->s->ncty, p->s->nst};
    int rc = lt_output_put_floats(p->out, p->v_split, s4, c4, p->block, err);
    if (rc)
        return rc;
    return LT_OK;
}

static int split_end_pass(void *self, int pass, lt_summary *sum, lt_error *err)
{
    split *p = self;
    if (pass != 1)
        return LT_OK;
    size_t ncty = p->s->ncty;
    sum->nsrc_counties = ncty;
    sum->county_share = calloc(ncty ? ncty : 1, sizeof *sum->county_share);
    if (!sum->county_share)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    double all = lt_stations_tag_total(p->st);
    for (size_t c = 0; c < ncty; c++)
        sum->county_share[c] = all > 0 ? p->cty_sum[c] / all : 0.0;
    return LT_OK;
}

static void split_state(void *self, lt_state *st)
{
    split *p = self;
    lt_state_add(st, "split_county_sum", p->cty_sum, p->s->ncty * sizeof *p->cty_sum);
}

static void split_destroy(void *self)
{
    split *p = self;
    free(p->block);
    free(p->cty_sum);
    free(p);
}

static void split_estimate(const void *self, double *mem, double *out)
{
    const split *p = self;
    double n = (double)p->s->ntags * (double)p->s->ncty * (double)(p->s->nst ? p->s->nst : 1);
    *mem = LT_BLOCK_HOURS * n * 4.0;
    *out = (double)p->s->hours * n * 4.0;
}

static const lt_product_ops split_ops = {
    .name = "split", .start = split_start, .add_hour = split_add_hour, .end_block = split_end_block,
    .end_pass = split_end_pass, .state = split_state, .destroy = split_destroy, .estimate = split_estimate};

int lt_split_attach(lt_run *run, const lt_stations_product *st, lt_error *err)
{
    split *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->st = st;
    p->gtag = lt_case_group_tags(lt_run_case_of(run));
    p->gcty = lt_case_group_counties(lt_run_case_of(run));
    return lt_run_attach(run, &split_ops, p, err);
}
