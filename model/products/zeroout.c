/* zeroout.c — the grid model's brute-force apportionment beside its tags:
 * at each station and hour, the run with every emission minus the run
 * without one tag's (station_pm25_zero_out), and the same contribution by
 * tagging (station_pm25_tagged_grid); their all-station means for the
 * summary. The gap shows what the nonlinear NH4NO3 partition does to the
 * tags ([solver] zero_out = yes). */
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

#include "products/product_util.h"
#include "products/products.h"

typedef struct zeroout {
    const lt_run_shape *s;
    const lt_run *run;
    lt_gridrun *gr;                     /* from start on */
    lt_output *out;
    int v_zo, v_tag;                    /* -1 without stations */
    float *zo, *tagged;                 /* [hour][tag][station] */
    double *hour;                       /* one hour: brute, tagged [tag][station], total [station] */
    double brute_sum[LT_MAX_TAGS], tagged_sum[LT_MAX_TAGS], total_sum;
} zeroout;

static int zeroout_start(void *self, lt_output *out, lt_error *err)
{
    zeroout *p = self;
    const lt_run_shape *s = p->s;
    p->out = out;
    p->gr = lt_run_gridrun(p->run);
    p->v_zo = p->v_tag = -1;
    size_t ct, cy, cx, cs, nst1 = s->nst ? s->nst : 1, n = (size_t)s->hours * (size_t)s->ntags * nst1;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    int d3[3] = {lt_output_dim(out, "time"), lt_output_dim(out, "source"), lt_output_dim(out, "station")}, rc;
    size_t c3[3] = {ct, 1, cs};
    if (s->nst &&
        ((rc = lt_output_def_station_float(out, "station_pm25_zero_out", 3, d3, c3,
                                           "grid-model PM2.5 at stations due to each source tag by brute force: the "
                                           "run with every emission minus the run without the tag's",
                                           &p->v_zo, err)) ||
         (rc = lt_output_def_station_float(out, "station_pm25_tagged_grid", 3, d3, c3,
                                           "grid-model PM2.5 at stations attributed to each source tag by tagging "
                                           "(the same quantity as station_pm25_zero_out, by the other method)",
                                           &p->v_tag, err))))
        return rc;
    p->zo = calloc(n, sizeof *p->zo);
    p->tagged = calloc(n, sizeof *p->tagged);
    p->hour = malloc(((size_t)2 * s->ntags + 1) * nst1 * sizeof *p->hour);
    if (LT_ANY_NULL(p->zo, p->tagged, p->hour))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the zero-out comparison");
    return LT_OK;
}

static int zeroout_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    zeroout *p = self;
    const lt_run_shape *s = p->s;
    if (pl->pass != 1)
        return LT_OK;
    size_t nst = s->nst, nst1 = nst ? nst : 1, nt = (size_t)s->ntags;
    double *zb = p->hour, *zt = p->hour + nt * nst1, *za = zt + nt * nst1;
    lt_gridrun_zero_out(p->gr, zb, zt, za);
    for (size_t k = 0; k < nt * nst; k++) {
        p->zo[(size_t)pl->h * nt * nst + k] = (float)zb[k];
        p->tagged[(size_t)pl->h * nt * nst + k] = (float)zt[k];
    }
    for (size_t tag = 0; tag < nt; tag++)
        for (size_t k = 0; k < nst; k++) {
            p->brute_sum[tag] += zb[tag * nst + k];
            p->tagged_sum[tag] += zt[tag * nst + k];
        }
    for (size_t k = 0; k < nst; k++)
        p->total_sum += za[k];
    return LT_OK;
}

static int zeroout_end_pass(void *self, int pass, lt_summary *sum, lt_error *err)
{
    zeroout *p = self;
    const lt_run_shape *s = p->s;
    if (pass != 1)
        return LT_OK;
    double nn = (double)s->hours * (double)(s->nst ? s->nst : 1);
    for (int tag = 0; tag < s->ntags; tag++) {
        sum->zo_brute[tag] = p->brute_sum[tag] / nn;
        sum->zo_tagged[tag] = p->tagged_sum[tag] / nn;
    }
    sum->zo_total = p->total_sum / nn;
    sum->zero_out = 1;
    if (p->v_zo < 0)
        return LT_OK;
    size_t s3[3] = {0, 0, 0}, c3[3] = {(size_t)s->hours, (size_t)s->ntags, s->nst};
    int rc = lt_output_put_floats(p->out, p->v_zo, s3, c3, p->zo, err);
    if (!rc)
        rc = lt_output_put_floats(p->out, p->v_tag, s3, c3, p->tagged, err);
    if (rc)
        return rc;
    return LT_OK;
}

static void zeroout_state(void *self, lt_state *st)
{
    zeroout *p = self;
    size_t n = (size_t)p->s->hours * (size_t)p->s->ntags * (p->s->nst ? p->s->nst : 1);
    lt_state_add(st, "zero_out_brute", p->brute_sum, sizeof p->brute_sum);
    lt_state_add(st, "zero_out_tagged", p->tagged_sum, sizeof p->tagged_sum);
    lt_state_add(st, "zero_out_total", &p->total_sum, sizeof p->total_sum);
    lt_state_add(st, "zero_out_series", p->zo, n * sizeof *p->zo);
    lt_state_add(st, "zero_out_tagged_series", p->tagged, n * sizeof *p->tagged);
}

static void zeroout_destroy(void *self)
{
    zeroout *p = self;
    free(p->zo);
    free(p->tagged);
    free(p->hour);
    free(p);
}

static void zeroout_estimate(const void *self, double *mem, double *out)
{
    const zeroout *p = self;
    double n = (double)p->s->hours * p->s->ntags * (double)(p->s->nst ? p->s->nst : 1);
    *mem = 2.0 * n * 4.0;
    *out = p->s->nst ? 2.0 * n * 4.0 : 0.0;
}

static const lt_product_ops zeroout_ops = {
    .name = "zero-out", .start = zeroout_start, .add_hour = zeroout_add_hour, .end_pass = zeroout_end_pass,
    .state = zeroout_state, .destroy = zeroout_destroy, .estimate = zeroout_estimate};

int lt_zeroout_attach(lt_run *run, lt_error *err)
{
    zeroout *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->run = run;
    return lt_run_attach(run, &zeroout_ops, p, err);
}
