/* optimize_impl.h — what the annual plan (optimize_cmd.c) and the
 * emergency list (emergency_cmd.c) of `lantian optimize` share: the case
 * being optimised, the baseline run that keeps every group's station
 * series, the units' daily values, the verification run, the tables. */
#ifndef LT_OPTIMIZE_IMPL_H
#define LT_OPTIMIZE_IMPL_H

#include <stdio.h>

#include "policy/optcost.h"
#include "policy/optimize.h"
#include "policy/targets.h"
#include "run/run.h"

/* Units: the stations' counties, then the city (the last). */
typedef struct opt_case {
    const lt_config *cfg;
    lt_case *cs;
    const lt_aqi_table *aqi;
    int ngroups, hours, ndays, nunits;  /* ngroups: the run's source groups */
    int nkeys;             /* decision groups: one per sector, county and grade (the background its own) */
    int *key_of;           /* [group] its decision group */
    int *key_rep;          /* [key] a run group of it, for its names */
    double *kseries;       /* [key][hour][station] */
    size_t nst, ncounty;
    const char *const *county_names; /* the stations' counties */
    const int *county_of;
    double *series;        /* [group][hour][station] */
    lt_opt_group *group;
    const lt_opt_curve **curve; /* [group] (NULL: not cut) */
    double *tpy;           /* [group][5] */
    double *base, *resp;   /* [unit][day], [unit][day][group] */
    double *pm25_max, *good_min, *good_target; /* [unit]; good_target: the year's, unscaled */
    int *valid;            /* [unit] valid days */
    int curve_unit;        /* the unit of the cost curve */
    double good_limit;
    lt_opt_costs costs;
    lt_targets targets;
} opt_case;


/* The baseline run (the case's products, the usual output) keeping every
 * group's hourly PM2.5 at the stations in oc->series. */
int lt_opt_baseline_run(opt_case *oc, const lt_run_options *opt, lt_summary *sum, lt_error *err);

/* The daily values of stations' hourly series st per unit (the counties,
 * then the city) into out[(unit * ndays + d) * stride]. */
int lt_opt_unit_days(const opt_case *oc, const double *st, double *out, size_t stride, lt_error *err);

/* The case simulated again, group g scaled by factor[g] (hourly:
 * factor[g * hours + h]); the stations' hourly total into total. */
int lt_opt_verify_series(const opt_case *oc, const double *factor, int hourly, const lt_run_options *opt,
                         double *total, lt_error *err);

/* The output's name without .nc, plus suffix; a table written as path.tmp
 * and renamed when closed. */
void lt_opt_side_name(const lt_config *cfg, const char *suffix, char *out, size_t n);
FILE *lt_opt_open_table(const char *path, char *tmp, size_t n, lt_error *err);
int lt_opt_close_table(FILE *f, const char *tmp, const char *path, lt_error *err);

/* The emergency list (emergency_cmd.c), after the case is loaded. */
int lt_emergency_case(opt_case *oc, const lt_run_options *opt, FILE *out, lt_error *err);

#endif
