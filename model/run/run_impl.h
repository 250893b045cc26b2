/* run_impl.h — the body of lt_run, for the hour loop (run.c) and the
 * checks before it (preflight.c). */
#ifndef LT_RUN_IMPL_H
#define LT_RUN_IMPL_H

#include "io/checkpoint.h"
#include "run/run.h"
#include "run/solver.h"

#define MAX_PRODUCTS 32

struct lt_run {
    lt_case *cs;
    const lt_config *cfg;
    lt_run_options opt;
    lt_run_shape shape;
    lt_solver *sv;
    lt_output *out;
    struct attached {
        const lt_product_ops *ops;
        void *self;
    } prod[MAX_PRODUCTS];
    int nprod;
    /* this hour's planes summed over groups on the grid */
    double *v_tag, *v_cty, *v_comp, *v_total;
    /* checkpoints */
    lt_state state;
    int h_start;
    char ck_path[LT_PATH_MAX + 16], ck_copy[LT_PATH_MAX + 64];
    lt_ckpt_input *inputs;          /* every input's size and CRC-32 (checkpoints only) */
    size_t ninputs;
    double t_start;
};

#endif
