/* emergency.h — the least-cost emergency reduction list (应急减排清单) as a
 * mixed-integer linear program (docs/optimize.md), solved by GLPK.
 *
 * For each alert day of the baseline forecast and each enterprise: a partial
 * cut y in [0, max_partial] (output reductions, at a cost per tonne) and, where
 * stopping is allowed, a binary s (the enterprise stopped that day, at a cost
 * per day; then y = 0). Its cut y + s must reach what the measures table
 * requires of its grade at the day's level. Over the region, each species'
 * cut must reach the level's minimum share of the enterprises' emissions;
 * optionally each unit's (county's, the city's) daily PM2.5 stays at or below
 * a bound, and at most N enterprises of a county are stopped on a day. */
#ifndef LT_EMERGENCY_H
#define LT_EMERGENCY_H

#include <stddef.h>

#include "core/lt_error.h"

#define LT_EMG_NSP 4 /* PM2.5, SO2, NOx, VOC: the species the alert rules' minimum cut is on */

typedef struct lt_emg_choice {    /* one enterprise on one alert day */
    double emis_t;                /* PM2.5-equivalent tonnes it emits that day */
    double emis_sp[LT_EMG_NSP];   /* tonnes of each species that day */
    double required;              /* the cut the measures table requires (0-1) */
    double max_partial;           /* the deepest partial cut (0-1) */
    double cost_per_t;            /* yuan per PM2.5-equivalent tonne a partial cut avoids */
    double stop_cost;             /* yuan for stopping it that day (NaN: it may not be stopped) */
    int county;                   /* for the stop limit */
} lt_emg_choice;

typedef struct lt_emg_problem {
    int nent, ndays;              /* enterprises, alert days */
    const lt_emg_choice *ch;      /* [day][enterprise] */
    const double *min_cut;        /* [day] the level's minimum cut of each species (0-1) */
    int nunits;
    const double *base;           /* [day][unit] baseline daily PM2.5, ug m-3 (NaN: invalid) */
    const double *resp;           /* [day][unit][enterprise] ug m-3 the enterprise adds that day */
    double max_pm25;              /* bound on every unit's daily PM2.5 (NaN: none) */
    int max_stopped;              /* per county and day (< 0: no limit) */
    int ncounty;
    double time_limit_s, mip_gap;
} lt_emg_problem;

typedef struct lt_emg_result {
    int status;                   /* LT_OPT_* (policy/optimize.h) */
    double cost, gap, seconds;
    int nbinaries, nrows, ncols;
    double *cut;                  /* [day][enterprise] */
    unsigned char *stopped;       /* [day][enterprise] */
    double *value;                /* [day][unit] predicted daily PM2.5 */
    double *achieved;             /* [day][species] the share of the enterprises' emissions cut */
} lt_emg_result;

/* The day's value of unit u under cuts cut[day][enterprise] (pure). */
double lt_emg_value(const lt_emg_problem *p, const double *cut, int day, int u);

/* Solves p; an unreachable requirement is a status (with the deepest list
 * every enterprise allows as the cut), not an error. */
int lt_emg_solve(const lt_emg_problem *p, lt_emg_result *r, lt_error *err);
void lt_emg_result_free(lt_emg_result *r);

#endif
