/* calm.c — the number of calm sources in each hour (calm_sources: 10 m wind
 * below 0.5 m/s) and the run's calm hours and source-hours in the file's
 * global attributes. */
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>

#include "products/product_util.h"
#include "products/products.h"

typedef struct calm {
    lt_output *out;
    int v_calm;
    int block[LT_BLOCK_HOURS];
} calm;

static int calm_start(void *self, lt_output *out, lt_error *err)
{
    calm *p = self;
    p->out = out;
    int d_time = lt_output_dim(out, "time");
    LT_NC(out, err, nc_def_var(lt_output_ncid(out), "calm_sources", NC_INT, 1, &d_time, &p->v_calm));
    return lt_output_atts(out, p->v_calm, err, "long_name",
                          "number of sources whose 10 m wind was below 0.5 m s-1 in this hour", "units", "1", NULL);
}

static int calm_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    calm *p = self;
    if (pl->pass == 1)
        p->block[pl->slot] = pl->calm;
    return LT_OK;
}

static int calm_end_block(void *self, int h0, int nh, lt_error *err)
{
    calm *p = self;
    size_t s1 = (size_t)h0, c1 = (size_t)nh;
    LT_NC(p->out, err, nc_put_vara_int(lt_output_ncid(p->out), p->v_calm, &s1, &c1, p->block));
    return LT_OK;
}

static int calm_finish(void *self, lt_summary *sum, lt_error *err)
{
    calm *p = self;
    char note[64];
    snprintf(note, sizeof note, "%d", sum->calm_hours);
    int rc = lt_output_note(p->out, "lantian_calm_hours", note, err);
    if (rc)
        return rc;
    snprintf(note, sizeof note, "%ld of %ld", sum->calm_source_hours, sum->source_hours);
    return lt_output_note(p->out, "lantian_calm_source_hours", note, err);
}

static const lt_product_ops calm_ops = {
    .name = "calm", .start = calm_start, .add_hour = calm_add_hour, .end_block = calm_end_block,
    .finish = calm_finish, .destroy = free};

int lt_calm_attach(lt_run *run, lt_error *err)
{
    calm *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    (void)lt_run_shape_of(run);
    return lt_run_attach(run, &calm_ops, p, err);
}
