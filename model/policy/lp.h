/* lp.h — what the least-cost programs (optimize.c, emergency.c) share of
 * GLPK: the constraint matrix gathered as triplets, and one solve (the
 * simplex method, or branch and cut when the problem has binaries) with a
 * time limit and a relative gap, its outcome as an LT_OPT_* status. */
#ifndef LT_LP_H
#define LT_LP_H

#include <glpk.h>
#include <stddef.h>

/* A row's coefficients below this share of its largest are left out: the
 * far sources' parts of a station's PM2.5 reach 1e-19 ug m-3 beside parts of
 * 10, and with them GLPK's floating-point simplex declared optimal a basis
 * 17 times costlier than the optimum (found on the default case's cost curve;
 * its exact simplex, glpsol --exact, and the program without them agree).
 * Leaving out a positive part of a >= row only asks more of the cuts. */
#define LT_LP_DROP 1e-9

typedef struct lt_lp_matrix {
    int *ia, *ja;      /* 1-based, as glp_load_matrix takes them */
    double *ar;
    size_t nnz, cap;
} lt_lp_matrix;

/* Adds a[i][j] (nothing for a zero or for column 0); -1 when out of memory. */
int lt_lp_push(lt_lp_matrix *m, int i, int j, double a);
void lt_lp_matrix_free(lt_lp_matrix *m);

/* Scales lp and solves it; mip: by branch and cut. Returns the status
 * (LT_OPT_OPTIMAL within mip_gap, LT_OPT_FEASIBLE at the time limit,
 * LT_OPT_INFEASIBLE, LT_OPT_NO_SOLUTION) and the relative gap of the plan. */
int lt_lp_solve(glp_prob *lp, int mip, double time_limit_s, double mip_gap, double *gap);

/* A monotonic clock, seconds (the solvers' times). */
double lt_lp_seconds(void);

#endif
