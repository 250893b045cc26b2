/* report.h — what the program prints: the inputs `lantian check` found, and
 * the summary of a run. */
#ifndef LT_REPORT_H
#define LT_REPORT_H

#include <stdio.h>

#include "run/case.h"
#include "run/run.h"
#include "run/summary.h"

void lt_print_check(FILE *f, const lt_case *cs, const lt_preflight *pf);
void lt_print_summary(FILE *f, const lt_case *cs, const lt_summary *s, const char *version);

#endif
