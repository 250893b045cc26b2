/* optcost.h — the costs of the annual plan's cuts ([optimize] costs): a CSV
 * sector,county,grade,cut_to,cost_yuan_per_t. Rows with the same sector,
 * county and grade ('*' for any) are the successive segments of one
 * piecewise-linear cost: cutting the group's emissions from the previous
 * row's cut_to (0 for the first) up to this row's costs cost_yuan_per_t per
 * tonne of PM2.5-equivalent emission avoided; the last cut_to is the most
 * that can be cut. Marginal costs may not decrease (a convex cost, which the
 * linear program fills cheapest segment first). */
#ifndef LT_OPTCOST_H
#define LT_OPTCOST_H

#include <stddef.h>

#include "core/lt_error.h"

#define LT_OPT_MAX_SEG 16

typedef struct lt_opt_curve {
    char sector[32], county[64], grade[4]; /* "*": any */
    int nseg;
    double cut_to[LT_OPT_MAX_SEG];         /* increasing, in (0, 1] */
    double cost[LT_OPT_MAX_SEG];           /* yuan per t, not decreasing */
    int line;                              /* the first row's line */
} lt_opt_curve;

typedef struct lt_opt_costs {
    size_t n;
    lt_opt_curve *c;
    char path[4096];
} lt_opt_costs;

/* Reads path; sectors must be among sectors[0..nsectors), counties among
 * counties[0..ncounties) (or '*'), grades A-D, '-' (ungraded) or '*'. The
 * errors name the file, line, column, value and what was expected. */
int lt_opt_costs_read(lt_opt_costs *oc, const char *path, const char *const *sectors, int nsectors,
                      const char *const *counties, size_t ncounties, lt_error *err);
void lt_opt_costs_free(lt_opt_costs *oc);

/* The curve for a group of sector, county and grade ('A'-'D' or '-'): the
 * most specific matching one (fewest '*'; the first in the file among
 * equals), or NULL when none matches (the group cannot be cut). */
const lt_opt_curve *lt_opt_costs_find(const lt_opt_costs *oc, const char *sector, const char *county, char grade);

/* The emergency list's measures ([optimize] emergency_costs): a CSV
 * level,sector,county,grade,id,max_cut,cost_yuan_per_t,stop_yuan_per_day.
 * Each row says, for the enterprises it selects ('*' any) at an alert level
 * ('*' any): the deepest partial cut (output reductions) max_cut, what a
 * partial cut costs per PM2.5-equivalent tonne avoided, and what stopping
 * the enterprise costs per day (empty: it may not be stopped). The most
 * specific row wins (an id row over any other). */
typedef struct lt_emg_cost {
    char level[32], sector[32], county[64], grade[4], id[32];
    double max_cut, cost_per_t, stop_per_day; /* stop_per_day NaN: no stopping */
    int line;
} lt_emg_cost;

typedef struct lt_emg_costs {
    size_t n;
    lt_emg_cost *c;
    char path[4096];
} lt_emg_costs;

/* Reads path: levels among levels[0..nlevels), sectors, counties, grades
 * (A-D, -), ids among ids[0..nids) or '*'; numbers in range. */
int lt_emg_costs_read(lt_emg_costs *ec, const char *path, const char *const *levels, int nlevels,
                      const char *const *sectors, int nsectors, const char *const *counties, size_t ncounties,
                      const char *const *ids, size_t nids, lt_error *err);
void lt_emg_costs_free(lt_emg_costs *ec);

/* The row for an enterprise at a level, or NULL (it cannot be cut). */
const lt_emg_cost *lt_emg_costs_find(const lt_emg_costs *ec, const char *level, const char *sector,
                                     const char *county, char grade, const char *id);

#endif
