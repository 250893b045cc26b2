/* product.h — what a run makes of its hours: the interface every product
 * implements (model/products/), as PETSc's time-stepper monitors
 * (TSMonitorSet: a callback with its own context and destructor, called after
 * every step). The hour loop (run.c) knows nothing of what products do; it
 * hands each of them, in the order they were attached, every hour's planes.
 *
 * A product owns its buffers, its variables in the output and its part of
 * the checkpoint. Every member may be NULL. The order of the calls:
 *
 *   start(out)           define variables, allocate (rank 0 only)
 *   add_hour(planes)     every hour of pass 1, then the hours of pass 2 if any
 *   end_block(h0, nh)    after each block of LT_BLOCK_HOURS hours of pass 1
 *   end_pass(pass, sum)  after each pass, in attachment order
 *   finish(sum)          after the last pass, before the file is committed
 *   destroy              always
 *
 * estimate() and side_files tell lantian check what the product will need.
 *
 * passes() = 2 asks for a second pass over the hours (scenarios whose
 * measures follow the baseline's alerts); rerun(hours, groups), after the
 * first pass, sets hours[h] = 1 for the hours that pass must see again and
 * groups[g] = 1 for the source groups whose planes it needs in them
 * (without rerun: all of them). The second pass disperses only the hours
 * and groups some product needs (every hour and group where the solver
 * must step through them, the grid model): a product's pass-2 add_hour
 * ignores the hours it did not mark and reads only the groups it marked
 * (the others' planes are zero there).
 * state() lists the records that carry the product through a checkpoint
 * (lt_state.h). */
#ifndef LT_PRODUCT_H
#define LT_PRODUCT_H

#include <stddef.h>

#include "core/lt_error.h"
#include "core/lt_state.h"
#include "io/met.h"
#include "io/output.h"
#include "run/summary.h"

#define LT_BLOCK_HOURS 24 /* hours buffered before each write: one chunk in time */

/* One hour as the products see it. */
typedef struct lt_planes {
    int pass;               /* 1, or 2 for the second pass */
    int h;                  /* hour from the run's start */
    int slot;               /* its place in the block of LT_BLOCK_HOURS (pass 1) */
    int calm;               /* sources calm in the hour */
    const lt_met_point *weather; /* the hour's weather at the domain centre */
    const double *group;    /* [group][component][receptor]: the solver's planes */
    /* the explicit sources' gases and coarse PM at the stations,
     * [group][LT_NGAS][station] (physics/chem.h; NULL: not carried, the
     * grid model) */
    const double *gas;
    /* pass 1: the planes summed over groups on the grid, once for all
     * products (NULL in pass 2) */
    const double *tag;      /* [tag][cell] */
    const double *county;   /* [county tag][cell] */
    const double *comp;     /* [component][cell] */
    const double *total;    /* [cell] */
} lt_planes;

/* The sizes every product works with. */
typedef struct lt_run_shape {
    int nx, ny;
    size_t ngrid, nst, nrec; /* cells, stations, receptors (cells then stations) */
    int hours;
    double start_s;
    int ntags, ngroups, ncomp;
    size_t ncty;            /* county tags */
    size_t ndays;           /* local calendar days the run touches */
} lt_run_shape;

typedef struct lt_product_ops {
    const char *name;
    int (*start)(void *self, lt_output *out, lt_error *err);
    int (*add_hour)(void *self, const lt_planes *p, lt_error *err);
    int (*end_block)(void *self, int h0, int nh, lt_error *err);
    int (*end_pass)(void *self, int pass, lt_summary *sum, lt_error *err);
    int (*finish)(void *self, lt_summary *sum, lt_error *err);
    int (*passes)(const void *self);
    void (*rerun)(const void *self, int *hours, int *groups);
    void (*state)(void *self, lt_state *st);
    void (*destroy)(void *self);
    /* Bytes of memory the product will hold at most, and bytes it adds to
     * the output before compression, from the run's shape (lantian check
     * prints them; a run that cannot fit is refused). */
    void (*estimate)(const void *self, double *memory_bytes, double *output_bytes);
    /* The files it writes beside the output: suffixes of the output's name
     * without .nc (NULL-terminated; NULL: none). */
    const char *const *side_files;
} lt_product_ops;

#endif
