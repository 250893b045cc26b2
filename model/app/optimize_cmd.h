/* optimize_cmd.h — `lantian optimize CONFIG`: the least-cost annual plan
 * (docs/optimize.md): the baseline run, the program, the verification run,
 * the cost curve; writes OUTPUT_optimize.csv, OUTPUT_optimize_summary.csv,
 * OUTPUT_costcurve.csv and OUTPUT_optimize_cuts.csv beside the output and
 * prints the plan to out. */
#ifndef LT_OPTIMIZE_CMD_H
#define LT_OPTIMIZE_CMD_H

#include <stdio.h>

#include "core/lt_error.h"
#include "run/run.h"

int lt_optimize_run(const char *config, const char *const *sets, int nsets, const lt_run_options *opt, FILE *out,
                    lt_error *err);

#endif
