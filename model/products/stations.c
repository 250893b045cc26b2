/* stations.c — PM2.5 at the stations, hourly, in all (station_pm25) and per
 * sector tag (station_pm25_src); each station's mean and highest hour; the
 * sectors' shares of the all-station mean; and the whole run's hourly
 * totals, which the assessment and the scenarios read. */
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

#include "products/product_util.h"
#include "products/products.h"

struct lt_stations_product {
    const lt_run_shape *s;
    const int *gtag;       /* [group] sector tag */
    lt_output *out;
    int v_st, v_stsrc;
    float *b_st, *b_stsrc; /* [LT_BLOCK_HOURS][station], [..][tag][station] */
    double *tag_sum;       /* [tag][station] over the hours */
    double *totals;        /* [hour][station] */
    double *mean, *max;    /* [station] */
};

const double *lt_stations_totals(const lt_stations_product *p) { return p->totals; }

double lt_stations_tag_total(const lt_stations_product *p)
{
    double all = 0.0;
    for (size_t i = 0; i < (size_t)p->s->ntags * p->s->nst; i++)
        all += p->tag_sum[i];
    return all;
}

static int def_series(lt_output *out, const char *name, int nd, const int *dims, const size_t *chunks,
                      const char *long_name, int *varid, lt_error *err)
{
    int rc = lt_output_def_float(out, name, nd, dims, chunks, varid, err);
    if (!rc)
        rc = lt_output_atts(out, *varid, err, "standard_name", LT_PM25_STDNAME, "long_name", long_name, "units",
                            "ug m-3", "cell_methods", "time: mean", "coverage_content_type", "modelResult",
                            "coordinates", "station_lat station_lon station_name", NULL);
    return rc;
}

static int stations_start(void *self, lt_output *out, lt_error *err)
{
    lt_stations_product *p = self;
    const lt_run_shape *s = p->s;
    p->out = out;
    size_t ct, cy, cx, cs, nst1 = s->nst ? s->nst : 1;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    int dims[3] = {lt_output_dim(out, "time"), lt_output_dim(out, "station")}, rc;
    size_t chs[2] = {ct, cs}, chss[3] = {ct, 1, cs};
    if ((rc = def_series(out, "station_pm25", 2, dims, chs, "PM2.5 concentration at stations, hourly mean",
                         &p->v_st, err)))
        return rc;
    dims[1] = lt_output_dim(out, "source");
    dims[2] = lt_output_dim(out, "station");
    if ((rc = def_series(out, "station_pm25_src", 3, dims, chss,
                         "PM2.5 at stations contributed by each source tag (sector)", &p->v_stsrc, err)))
        return rc;
    p->b_st = malloc((size_t)LT_BLOCK_HOURS * nst1 * sizeof *p->b_st);
    p->b_stsrc = malloc((size_t)LT_BLOCK_HOURS * (size_t)s->ntags * nst1 * sizeof *p->b_stsrc);
    p->tag_sum = calloc((size_t)s->ntags * nst1, sizeof *p->tag_sum);
    p->totals = malloc((size_t)s->hours * nst1 * sizeof *p->totals);
    p->mean = calloc(nst1, sizeof *p->mean);
    p->max = calloc(nst1, sizeof *p->max);
    if (LT_ANY_NULL(p->b_st, p->b_stsrc, p->tag_sum, p->totals, p->mean, p->max))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the station series");
    return LT_OK;
}

static int stations_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    lt_stations_product *p = self;
    const lt_run_shape *s = p->s;
    if (pl->pass != 1)
        return LT_OK;
    const size_t nst = s->nst;
    float *st = p->b_st + (size_t)pl->slot * nst;
    float *sts = p->b_stsrc + (size_t)pl->slot * (size_t)s->ntags * nst;
    for (size_t k = 0; k < nst; k++) {
        double v[LT_MAX_TAGS] = {0}, total = 0.0;
        for (int g = 0; g < s->ngroups; g++) {
            double vg = 0.0;
            for (int c = 0; c < s->ncomp; c++)
                vg += pl->group[((size_t)g * s->ncomp + c) * s->nrec + s->ngrid + k];
            v[p->gtag[g]] += vg;
        }
        for (int tag = 0; tag < s->ntags; tag++) {
            sts[(size_t)tag * nst + k] = (float)v[tag];
            total += v[tag];
            p->tag_sum[(size_t)tag * nst + k] += v[tag];
        }
        st[k] = (float)total;
        p->totals[(size_t)pl->h * nst + k] = total;
        p->mean[k] += total;
        if (total > p->max[k])
            p->max[k] = total;
    }
    return LT_OK;
}

static int stations_end_block(void *self, int h0, int nh, lt_error *err)
{
    lt_stations_product *p = self;
    size_t nst = p->s->nst;
    if (!nst)
        return LT_OK;
    size_t s2[2] = {(size_t)h0, 0}, c2[2] = {(size_t)nh, nst};
    size_t s3[3] = {(size_t)h0, 0, 0}, c3[3] = {(size_t)nh, (size_t)p->s->ntags, nst};
    int rc = lt_output_put_floats(p->out, p->v_st, s2, c2, p->b_st, err);
    if (!rc)
        rc = lt_output_put_floats(p->out, p->v_stsrc, s3, c3, p->b_stsrc, err);
    if (rc)
        return rc;
    return LT_OK;
}

static int stations_end_pass(void *self, int pass, lt_summary *sum, lt_error *err)
{
    lt_stations_product *p = self;
    size_t nst = p->s->nst, nst1 = nst ? nst : 1;
    if (pass != 1)
        return LT_OK;
    sum->station_mean = malloc(nst1 * sizeof *sum->station_mean);
    sum->station_max = malloc(nst1 * sizeof *sum->station_max);
    if (!sum->station_mean || !sum->station_max)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t k = 0; k < nst; k++) {
        sum->station_mean[k] = p->mean[k] / p->s->hours;
        sum->station_max[k] = p->max[k];
    }
    double all = lt_stations_tag_total(p);
    sum->station_tag_mean = malloc((size_t)p->s->ntags * nst1 * sizeof *sum->station_tag_mean);
    if (!sum->station_tag_mean)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int g = 0; g < p->s->ntags; g++) {
        double tg = 0.0;
        for (size_t k = 0; k < nst; k++) {
            tg += p->tag_sum[(size_t)g * nst + k];
            sum->station_tag_mean[(size_t)g * nst1 + k] = p->tag_sum[(size_t)g * nst + k] / p->s->hours;
        }
        sum->tag_share[g] = all > 0 ? tg / all : 0.0;
    }
    return LT_OK;
}

static void stations_state(void *self, lt_state *st)
{
    lt_stations_product *p = self;
    size_t nst1 = p->s->nst ? p->s->nst : 1;
    lt_state_add(st, "station_mean", p->mean, nst1 * sizeof *p->mean);
    lt_state_add(st, "station_max", p->max, nst1 * sizeof *p->max);
    lt_state_add(st, "station_tag_sum", p->tag_sum, (size_t)p->s->ntags * nst1 * sizeof *p->tag_sum);
    lt_state_add(st, "station_totals", p->totals, (size_t)p->s->hours * nst1 * sizeof *p->totals);
}

static void stations_destroy(void *self)
{
    lt_stations_product *p = self;
    free(p->b_st);
    free(p->b_stsrc);
    free(p->tag_sum);
    free(p->totals);
    free(p->mean);
    free(p->max);
    free(p);
}

static void stations_estimate(const void *self, double *mem, double *out)
{
    const lt_stations_product *p = self;
    double nst = (double)(p->s->nst ? p->s->nst : 1), nt = p->s->ntags;
    *mem = LT_BLOCK_HOURS * nst * (1.0 + nt) * 4.0 + (double)p->s->hours * nst * 8.0 + nst * nt * 8.0;
    *out = (double)p->s->hours * nst * (1.0 + nt) * 4.0;
}

static const lt_product_ops stations_ops = {
    .name = "stations", .start = stations_start, .add_hour = stations_add_hour,
    .end_block = stations_end_block, .end_pass = stations_end_pass, .state = stations_state,
    .destroy = stations_destroy, .estimate = stations_estimate};

int lt_stations_attach(lt_run *run, lt_stations_product **out, lt_error *err)
{
    lt_stations_product *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->gtag = lt_case_group_tags(lt_run_case_of(run));
    return lt_run_attach(run, &stations_ops, p, err);
}
