/* response.c — the stations' hourly PM2.5 per source group, for the
 * optimizer (lantian optimize): with per_group, every group's series (the
 * sum of its components), in the caller's memory; with factor, the total of
 * the groups each scaled by its factor (the verification run of a plan). */
#include <stdlib.h>
#include <string.h>

#include "products/products.h"

typedef struct response {
    const lt_run_shape *s;
    double *per_group;     /* [group][hour][station] or NULL */
    const double *factor;  /* [group], [group][hour] (hourly) or NULL */
    int hourly;
    double *total;         /* [hour][station] or NULL */
} response;

static int response_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    response *p = self;
    const lt_run_shape *s = p->s;
    if (pl->pass != 1)
        return LT_OK;
    for (size_t k = 0; k < s->nst; k++) {
        double tot = 0.0;
        for (int g = 0; g < s->ngroups; g++) {
            double v = 0.0;
            for (int c = 0; c < s->ncomp; c++)
                v += pl->group[((size_t)g * s->ncomp + c) * s->nrec + s->ngrid + k];
            if (p->per_group)
                p->per_group[((size_t)g * s->hours + pl->h) * s->nst + k] = v;
            tot += !p->factor ? v : p->factor[p->hourly ? (size_t)g * s->hours + pl->h : (size_t)g] * v;
        }
        if (p->total)
            p->total[(size_t)pl->h * s->nst + k] = tot;
    }
    return LT_OK;
}

static void response_destroy(void *self) { free(self); }

static void response_estimate(const void *self, double *memory_bytes, double *output_bytes)
{
    const response *p = self;
    double series = (double)p->s->hours * (double)p->s->nst * 8.0;
    *memory_bytes = (p->per_group ? series * p->s->ngroups : 0.0) + (p->total ? series : 0.0);
    *output_bytes = 0.0;
}

static const lt_product_ops response_ops = {.name = "response", .add_hour = response_add_hour,
                                            .destroy = response_destroy, .estimate = response_estimate};

static int attach(lt_run *run, double *per_group, const double *factor, int hourly, double *total, lt_error *err)
{
    response *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->per_group = per_group;
    p->factor = factor;
    p->hourly = hourly;
    p->total = total;
    return lt_run_attach(run, &response_ops, p, err);
}

int lt_response_attach(lt_run *run, double *per_group, const double *factor, double *total, lt_error *err)
{
    return attach(run, per_group, factor, 0, total, err);
}

int lt_response_attach_hourly(lt_run *run, const double *factor, double *total, lt_error *err)
{
    return attach(run, NULL, factor, 1, total, err);
}
