/* bgobs.c — [background] from_observations: which stations the regional
 * background was derived at, over how many hours, the observed and local
 * means there, and how much was clipped (the local part above the observed),
 * in the global attribute lantian_background_from_observations and the
 * summary the program prints. */
#include <stdio.h>
#include <stdlib.h>

#include "products/product_util.h"
#include "products/products.h"

typedef struct bgobs {
    lt_output *out;
    const lt_case *cs;
} bgobs;

static int bgobs_start(void *self, lt_output *out, lt_error *err)
{
    (void)err;
    ((bgobs *)self)->out = out;
    return LT_OK;
}

static int bgobs_finish(void *self, lt_summary *sum, lt_error *err)
{
    bgobs *p = self;
    const lt_config *cfg = lt_case_config(p->cs);
    sum->bg_fallback_hours = lt_case_bg_fallback_hours(p->cs);
    char note[6000];
    snprintf(note, sizeof note,
             "observed PM2.5 at stations %s (%s) less the run's local part there, hour by hour, never below zero: "
             "%d hours derived, mean observed %.2f ug m-3, local %.2f, background %.2f; clipped to zero in %d hours "
             "(mean excess of the local part over the hours derived %.3f ug m-3); %d hours without an observation "
             "kept the [background] file's value",
             cfg->bg_obs_stations, cfg->bg_obs_path, sum->bg_hours, sum->bg_obs_mean, sum->bg_local_mean,
             sum->bg_obs_mean - sum->bg_local_mean + sum->bg_clipped_mean, sum->bg_clipped_hours,
             sum->bg_clipped_mean, sum->bg_fallback_hours);
    return lt_output_note(p->out, "lantian_background_from_observations", note, err);
}

static const lt_product_ops bgobs_ops = {.name = "background from observations", .start = bgobs_start,
                                         .finish = bgobs_finish, .destroy = free};

int lt_bgobs_attach(lt_run *run, lt_error *err)
{
    bgobs *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->cs = lt_run_case_of(run);
    return lt_run_attach(run, &bgobs_ops, p, err);
}
