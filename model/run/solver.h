/* solver.h — the solver stage of the run: for hour h, the weather, each
 * source group's emissions, and the solver's planes: the concentration of
 * every source group and component at every receptor,
 *
 *   planes[(group * ncomp + component) * nrec + receptor]   ug m-3,
 *
 * receptors being the nx*ny cell centres in row order, then the stations.
 * [solver] method = plume runs the Gaussian plume for the explicit sources
 * and convolves the gridded inventory with the area plume (FFT); grid runs
 * the Eulerian grid model (gridrun.h); hybrid the grid plus each explicit
 * source's plume less its cell mean. In MPI builds hour h is dispersed by
 * rank h mod ranks and its planes sent to rank 0. */
#ifndef LT_SOLVER_H
#define LT_SOLVER_H

#include <stddef.h>

#include "core/lt_state.h"
#include "io/met.h"
#include "run/case.h"
#include "run/gridrun.h"
#include "run/sources.h"

typedef struct lt_solver lt_solver;

/* rank and ranks: this process and the run's processes (0 and 1 without MPI). */
int lt_solver_create(lt_solver **sv, lt_case *cs, int rank, int ranks, lt_error *err);
void lt_solver_free(lt_solver **sv);

/* The planes of hour h (dispersed here, or received from the rank that owns
 * h); count = 0 for a second pass, whose hours are not counted again. */
int lt_solver_hour(lt_solver *sv, int h, int count, lt_error *err);
const double *lt_solver_planes(const lt_solver *sv);
/* The hour's gases and coarse PM of the explicit sources at the stations,
 * [group][LT_NGAS][station] (chem.h), NULL where the plume does not carry
 * them (the grid model, no stations). */
const double *lt_solver_gases(const lt_solver *sv);

/* Sources calm in the last hour. */
int lt_solver_calm(const lt_solver *sv);

/* The last hour's weather at the domain centre. */
const lt_met_point *lt_solver_weather(const lt_solver *sv);

/* Before a second pass over the hours h with need[h] = 1 (need has the
 * run's hours) and the source groups g with groups[g] = 1 (MPI ranks above
 * 0 are told them): the grid model starts again. The plume solver then
 * disperses only those hours, in runs of consecutive ones, and only those
 * groups (the others' planes are zero). */
int lt_solver_rewind(lt_solver *sv, const int *need, const int *groups, lt_error *err);

/* Whether a second pass must step through every hour (the grid model and
 * the hybrid carry each hour into the next), not only the needed ones. */
int lt_solver_steps_every_hour(const lt_solver *sv);

/* MPI ranks above 0: disperse this rank's hours of every pass and send them. */
int lt_solver_worker(lt_solver *sv, int passes, int h_start, lt_error *err);

/* What was counted so far; the grid model (NULL for the plume). */
const lt_counts *lt_solver_counts(const lt_solver *sv);
lt_gridrun *lt_solver_gridrun(const lt_solver *sv);

/* Bytes of memory the solver stage of case cs will hold at most: the planes,
 * the gridded inventory's transformed maps and kernels, the grid model's
 * state (with the zero-out runs), the hybrid's plumes. */
double lt_solver_memory(const lt_case *cs);

/* How many hours one process disperses together in one parallel region (1
 * for the grid model and the hybrid, and under MPI). */
int lt_solver_block_hours(const lt_case *cs);

/* Checkpoints: the counters and the grid model's state. */
void lt_solver_state(lt_solver *sv, lt_state *st);

#endif
