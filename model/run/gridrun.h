/* gridrun.h — the grid model driven by a case ([solver] method = grid or
 * hybrid): the case's sources and gridded inventory turned into the grid's
 * hourly emissions per tag (one tag per source group: sector x county x
 * scenario rules, and the boundary), the weather sampled at every column, the
 * lowest layer interpolated to the receptors, and, for hybrid, each explicit
 * source's plume added less its own grid-cell average.
 *
 * Hybrid (after Isakov et al. 2007, J. Appl. Meteor. Climatol. 46:1354, and
 * Stein et al. 2007, Atmos. Environ. 41:9410): the grid carries every
 * emission, but near a source its cell mean hides the plume's gradient, and
 * it holds the plume's mass as a cell mean <C_plume>_cell. For each explicit
 * source group and component, at receptor r,
 *   C(r) = C_plume(r) + max(0, P[C_grid](r) - P[<C_plume>_cell](r)),
 * with P the bilinear interpolation from the column centres: the plume, plus
 * what the grid holds of the group beyond the plume's own cell mean (the
 * group's emissions of earlier hours, transported back). Where the grid holds
 * less than the plume's cell mean (the grid mixes an elevated release into
 * its layer in the first hour, the plume keeps it aloft or, in stable hours,
 * near the ground), the plume alone is taken, so nothing is counted twice
 * and nothing is negative; how often that happens is reported. The plume's
 * nitrate (all HNO3 counted as particulate) takes the grid's particulate
 * share of total nitrate in the column. Gridded sectors and the boundary come
 * from the grid alone. */
#ifndef LT_GRIDRUN_H
#define LT_GRIDRUN_H

#include <stddef.h>

#include "core/lt_state.h"
#include "run/case.h"
#include "solvers/grid.h"

/* What the grid model reports ([solver] method = grid or hybrid). */
typedef struct lt_grid_stats {
    int nx, ny, nz;                 /* columns and layers */
    double dx_m;
    int ntags;                      /* tags carried (source groups and the boundary) */
    double budget[LT_GS_N * LT_GB_N]; /* kg, the tagged run (grid.h) */
    double worst_residual;          /* largest |residual| / largest term of the budgets */
    long steps;                     /* grid steps so far */
    double updates;                 /* cell x species x tag updates */
    double seconds;                 /* in the grid model */
    int sources_outside;            /* explicit sources outside the grid (not in it) */
    double clipped_share;           /* hybrid: share of receptor values where the grid held less
                                     * of the group than the plume's cell mean (plume alone) */
    double tag_sum_error;           /* zero-out: largest |sum of tags - untagged| / untagged at stations */
} lt_grid_stats;

typedef struct lt_gridrun lt_gridrun;

/* The receptors (x, y on the domain's projection; the first nx*ny are the
 * cell centres in row order) and the number of components (1 or
 * LT_NCOMP_GRID). zero_out adds one untagged run with everything and one
 * without each tag. */
int lt_gridrun_create(lt_gridrun **gr, lt_case *cs, const double *rx, const double *ry, size_t nrec,
                      int ncomp, int zero_out, lt_error *err);
void lt_gridrun_free(lt_gridrun **gr);

/* Starts from the initial state again (the boundary's first hour everywhere). */
int lt_gridrun_reset(lt_gridrun *gr, lt_error *err);

/* Runs hour h: the grid's contribution of every group and component into
 * gconc[(group * ncomp + c) * nrec + r] (overwritten). With pconc (hybrid:
 * the explicit sources' plumes [(group * ncp + c) * nrec + r] for groups
 * below cs->npoint_groups, ncp = 1 or LT_NCOMP) the plume less its cell mean is
 * added. zero_out: also step the zero-out runs (not in reruns). */
int lt_gridrun_hour(lt_gridrun *gr, int h, const double *pconc, int ncp, int zero_out,
                    double *gconc, lt_error *err);

/* The zero-out runs' station values of the last hour: st[tag * nst + k] the
 * PM2.5 at station k from the run with everything minus the run without tag
 * (its brute-force contribution), tagged[tag * nst + k] the grid's tagged
 * contribution at the same station, total[k] the run with everything. */
void lt_gridrun_zero_out(const lt_gridrun *gr, double *st, double *tagged, double *total);

/* Checkpoints: the tagged run, the zero-out runs and the counters as named
 * records. */
void lt_gridrun_state(lt_gridrun *gr, lt_state *st);

/* What the grid model reports. */
void lt_gridrun_stats_get(const lt_gridrun *gr, lt_grid_stats *st);

#endif
