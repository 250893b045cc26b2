/* optimize.h — the least-cost annual plan as a mixed-integer linear program
 * (docs/optimize.md has the formulation with units), solved by GLPK.
 *
 * Decision: the cut x_g in [0, x_max,g] of each source group's emissions
 * (all species in proportion), its cost piecewise linear and convex (one
 * continuous variable per cost segment). The response is linear: a unit u's
 * daily PM2.5 under the cuts is base[u][d] - sum_g x_g resp[u][d][g], where
 * resp is what removing group g entirely removes (the plume is linear in
 * emissions). Constraints per unit with a target: the period mean of its
 * valid days at most pm25_max; at least good_min good days, a day being good
 * when its PM2.5 is at most good_limit (a binary per unit-day that can
 * change). */
#ifndef LT_OPTIMIZE_H
#define LT_OPTIMIZE_H

#include <stddef.h>

#include "core/lt_error.h"
#include "policy/optcost.h"

typedef struct lt_opt_group {
    double emis_t;       /* PM2.5-equivalent tonnes the group emits over the period */
    int nseg;            /* 0: the group cannot be cut */
    double cut_to[LT_OPT_MAX_SEG];
    double cost[LT_OPT_MAX_SEG]; /* yuan per t avoided */
} lt_opt_group;

typedef struct lt_opt_problem {
    int ngroups;
    const lt_opt_group *group;
    int nunits, ndays;
    const double *base;      /* [unit][day] baseline daily PM2.5, ug m-3 (NaN: invalid day) */
    const double *resp;      /* [unit][day][group] ug m-3 removed by cutting the group entirely */
    const double *pm25_max;  /* [unit] bound on the mean of the valid days (NaN: none) */
    const double *good_min;  /* [unit] good days at least (NaN: none) */
    double good_limit;       /* ug m-3: a day is good at or below it */
    double time_limit_s, mip_gap;
} lt_opt_problem;

enum {
    LT_OPT_OPTIMAL = 0,      /* optimal (within mip_gap for a mixed-integer program) */
    LT_OPT_FEASIBLE,         /* stopped by the time limit with a feasible plan */
    LT_OPT_INFEASIBLE,       /* no plan meets the targets, even with every cut at its maximum */
    LT_OPT_NO_SOLUTION       /* stopped by the time limit before any plan was found */
};
extern const char *const lt_opt_status_names[4];

typedef struct lt_opt_result {
    int status;
    double cost;             /* yuan */
    double gap;              /* relative gap of a mixed-integer plan (0 for a linear program) */
    double bound;            /* the solver's lower bound on the cost */
    double seconds;          /* the solver's wall time */
    int nbinaries, nrows, ncols;
    double *cut;             /* [group] */
    double *mean;            /* [unit] predicted mean */
    int *good;               /* [unit] predicted good days */
    double *dual_mean;       /* [unit] yuan per ug m-3 less mean (0: not binding; NaN: no target) */
} lt_opt_result;

/* Solves p. Returns LT_OK with r->status set (an infeasible target is a
 * status, not an error), or an error (out of memory, a solver failure). */
int lt_opt_solve(const lt_opt_problem *p, lt_opt_result *r, lt_error *err);
void lt_opt_result_free(lt_opt_result *r);

/* The units' means and good days under cuts cut[group] (pure). */
void lt_opt_evaluate(const lt_opt_problem *p, const double *cut, double *mean, int *good);

/* The most a group can be cut (its last segment's cut_to; 0 without). */
double lt_opt_max_cut(const lt_opt_group *g);

/* Cost of cutting group g by x (yuan): its segments filled in order. */
double lt_opt_group_cost(const lt_opt_group *g, double x);

#endif
