/* maps.c — the hourly PM2.5 map (pm25), its mean over the run (pm25_mean),
 * and the grid's mean and highest hourly value for the summary. */
#include <netcdf.h>
#include <stdlib.h>
#include <string.h>

#include "products/product_util.h"
#include "products/products.h"

typedef struct maps {
    const lt_run_shape *s;
    lt_output *out;
    int v_pm25, v_mean;
    float *block;          /* [LT_BLOCK_HOURS][cell] */
    double *mean;          /* [cell] sum, then mean over the run */
    double grid_sum, grid_max;
} maps;

static int maps_start(void *self, lt_output *out, lt_error *err)
{
    maps *m = self;
    m->out = out;
    int rc;
    size_t ct, cy, cx, cs;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    int d3[3] = {lt_output_dim(out, "time"), lt_output_dim(out, "y"), lt_output_dim(out, "x")};
    size_t c3[3] = {ct, cy, cx};
    if ((rc = lt_output_def_float(out, "pm25", 3, d3, c3, &m->v_pm25, err)) ||
        (rc = lt_output_atts(out, m->v_pm25, err, "standard_name", LT_PM25_STDNAME, "long_name",
                             "PM2.5 concentration, hourly mean", "units", "ug m-3", "cell_methods", "time: mean",
                             "coverage_content_type", "modelResult", "grid_mapping", "crs", "coordinates", "lat lon",
                             NULL)) ||
        (rc = lt_output_def_float(out, "pm25_mean", 2, d3 + 1, c3 + 1, &m->v_mean, err)) ||
        (rc = lt_output_atts(out, m->v_mean, err, "standard_name", LT_PM25_STDNAME, "long_name",
                             "PM2.5, mean over the run", "units", "ug m-3", "cell_methods", "time: mean",
                             "grid_mapping", "crs", "coordinates", "lat lon", NULL)))
        return rc;
    m->block = malloc((size_t)LT_BLOCK_HOURS * m->s->ngrid * sizeof *m->block);
    m->mean = calloc(m->s->ngrid, sizeof *m->mean);
    if (LT_ANY_NULL(m->block, m->mean))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the hourly maps");
    return LT_OK;
}

static int maps_add_hour(void *self, const lt_planes *p, lt_error *err)
{
    (void)err;
    maps *m = self;
    if (p->pass != 1)
        return LT_OK;
    const size_t ngrid = m->s->ngrid;
    float *pm = m->block + (size_t)p->slot * ngrid;
    double hmax = 0.0, hsum = 0.0;
    /* one pass on one thread: a few operations a cell, far below a parallel
     * region's worth (core/lt_par.h), and the sum formed in cell order */
    for (size_t r = 0; r < ngrid; r++) {
        double total = p->total[r];
        pm[r] = (float)total;
        m->mean[r] += total;
        hsum += total;
        if (total > hmax)
            hmax = total;
    }
    m->grid_sum += hsum;
    if (hmax > m->grid_max)
        m->grid_max = hmax;
    return LT_OK;
}

static int maps_end_block(void *self, int h0, int nh, lt_error *err)
{
    maps *m = self;
    return lt_output_put_hours(m->out, m->v_pm25, h0, nh, 1, m->s->ngrid, m->block, err);
}

static int maps_end_pass(void *self, int pass, lt_summary *sum, lt_error *err)
{
    (void)err;
    maps *m = self;
    if (pass != 1)
        return LT_OK;
    sum->grid_max = m->grid_max;
    sum->grid_mean = m->grid_sum / ((double)m->s->hours * (double)m->s->ngrid);
    for (size_t r = 0; r < m->s->ngrid; r++)
        m->mean[r] /= m->s->hours;
    return LT_OK;
}

static int maps_finish(void *self, lt_summary *sum, lt_error *err)
{
    (void)sum;
    maps *m = self;
    for (size_t i = 0; i < m->s->ngrid; i++)
        m->block[i] = (float)m->mean[i];
    int rc = lt_output_put_floats(m->out, m->v_mean, NULL, NULL, m->block, err);
    if (rc)
        return rc;
    return LT_OK;
}

static void maps_state(void *self, lt_state *st)
{
    maps *m = self;
    lt_state_add(st, "maps_grid_sum", &m->grid_sum, sizeof m->grid_sum);
    lt_state_add(st, "maps_grid_max", &m->grid_max, sizeof m->grid_max);
    lt_state_add(st, "maps_mean", m->mean, m->s->ngrid * sizeof *m->mean);
}

static void maps_destroy(void *self)
{
    maps *m = self;
    free(m->block);
    free(m->mean);
    free(m);
}

static void maps_estimate(const void *self, double *mem, double *out)
{
    const maps *m = self;
    double ng = (double)m->s->ngrid;
    *mem = LT_BLOCK_HOURS * ng * 4.0 + ng * 8.0;
    *out = (double)m->s->hours * ng * 4.0 + ng * 4.0;
}

static const lt_product_ops maps_ops = {
    .name = "maps", .start = maps_start, .add_hour = maps_add_hour, .end_block = maps_end_block,
    .end_pass = maps_end_pass, .finish = maps_finish, .state = maps_state, .destroy = maps_destroy,
    .estimate = maps_estimate};

int lt_maps_attach(lt_run *run, lt_error *err)
{
    maps *m = calloc(1, sizeof *m);
    if (!m)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    m->s = lt_run_shape_of(run);
    return lt_run_attach(run, &maps_ops, m, err);
}
