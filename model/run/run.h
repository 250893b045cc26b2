/* run.h — a run of a case: the hour loop from the weather and the sources
 * to the products (product.h) and the output file.
 *
 *   lt_run_create(&run, cs, &opts)      the solver stage, the output's spec
 *   lt_run_attach(run, &ops, self)      products, in the order they run
 *   lt_run_exec(run, &sum)              every hour, every product, the file
 *   lt_run_free(&run)
 *
 * products/products.h attaches every product a configuration asks for
 * (lt_products_attach) and lt_run_case does all four steps. */
#ifndef LT_RUN_H
#define LT_RUN_H

#include <signal.h>

#include "core/lt_temp.h"
#include "run/case.h"
#include "run/gridrun.h"
#include "run/product.h"
#include "run/summary.h"

/* Called after each simulated hour of the first pass with the hours done,
 * the total and the seconds since the run started (the library never prints;
 * the program draws a progress line with it). */
typedef void (*lt_progress_fn)(void *user, int done, int total, double elapsed_s);

typedef struct lt_run_options {
    const char *command_line;   /* recorded in the file */
    const char *version;
    int restart;                /* resume from OUTPUT.ckpt ([run] checkpoint_hours) */
    int force;                  /* replace an existing file that is not a lantian output */
    int ignore_memory;          /* run even when the estimate exceeds the memory available */
    int mpi_rank, mpi_ranks;    /* MPI builds: this process and the run's (0 and 1 without) */
    lt_progress_fn progress;    /* NULL: none */
    void *progress_user;
    /* Signals (the program's handler): the run stops at the end of the hour
     * once *stop is non-zero (the signal's number), removing what it wrote;
     * temp_files lists its temporary files for a handler that cannot wait.
     * Both may be NULL. */
    volatile sig_atomic_t *stop;
    lt_tempfiles *temp_files;
} lt_run_options;

typedef struct lt_run lt_run;

int lt_run_create(lt_run **run, lt_case *cs, const lt_run_options *opt, lt_error *err);

/* Attaches a product; the run owns self from here on (ops->destroy frees
 * it, also when attaching fails). */
int lt_run_attach(lt_run *run, const lt_product_ops *ops, void *self, lt_error *err);

/* The case, the sizes products work with, and the grid model (NULL for the
 * plume solver). */
const lt_case *lt_run_case_of(const lt_run *run);
const lt_run_shape *lt_run_shape_of(const lt_run *run);
lt_gridrun *lt_run_gridrun(const lt_run *run);

/* What a run will need, before it starts: memory (bytes, at most), output
 * size before compression, what the machine has available, and the files it
 * will write (the output, its side files, its checkpoint). */
typedef struct lt_preflight {
    double memory_bytes, output_bytes;
    double memory_available, disk_free;  /* -1: unknown */
    int block_hours;                     /* hours the plume disperses together */
    int nfiles;
    char files[16][LT_PATH_MAX + 64];
} lt_preflight;

/* Estimates and checks: no output path that is one of the case's inputs
 * (same file, also through links) or a folder, or a missing folder; no
 * existing file replaced that is not a lantian output (unless opt.force);
 * the memory estimate within what is available (unless opt.ignore_memory).
 * lt_run_exec runs it first; lantian check prints it. */
int lt_run_preflight(const lt_run *run, lt_preflight *pf, lt_error *err);

/* Runs every hour and writes the configuration's [output] file (only when
 * complete). Rank 0 returns the summary; other ranks an empty one. */
int lt_run_exec(lt_run *run, lt_summary *sum, lt_error *err);

void lt_run_free(lt_run **run);

#endif
