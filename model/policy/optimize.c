/* optimize.c — the least-cost annual plan (see optimize.h), built once as a
 * GLPK problem and solved by the simplex method (no binaries) or branch and
 * cut (glp_intopt) with a time limit and a relative gap. GLPK's terminal
 * output is switched off while it runs: the library prints nothing. */
#include "policy/optimize.h"
#include "policy/lp.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const lt_opt_status_names[4] = {"optimal", "feasible (time limit)", "infeasible", "no plan (time limit)"};

/* A day must come this far below the good-day limit (ug m-3) for the
 * program to count it good: round-off in the verification never turns it. */
#define GOOD_MARGIN 1e-6

double lt_opt_max_cut(const lt_opt_group *g) { return g->nseg ? g->cut_to[g->nseg - 1] : 0.0; }

double lt_opt_group_cost(const lt_opt_group *g, double x)
{
    double c = 0.0, prev = 0.0;
    for (int j = 0; j < g->nseg && x > prev; j++) {
        double w = fmin(x, g->cut_to[j]) - prev;
        c += w * g->cost[j] * g->emis_t;
        prev = g->cut_to[j];
    }
    return c;
}

/* Unit u's daily value on day d under cut. */
static double day_value(const lt_opt_problem *p, int u, int d, const double *cut)
{
    size_t ud = (size_t)u * p->ndays + d;
    const double *r = p->resp + ud * p->ngroups;
    double v = p->base[ud];
    for (int g = 0; g < p->ngroups; g++)
        v -= cut[g] * r[g];
    return v;
}

void lt_opt_evaluate(const lt_opt_problem *p, const double *cut, double *mean, int *good)
{
    for (int u = 0; u < p->nunits; u++) {
        double sum = 0.0;
        int n = 0, ng = 0;
        for (int d = 0; d < p->ndays; d++) {
            if (isnan(p->base[(size_t)u * p->ndays + d]))
                continue;
            double v = day_value(p, u, d, cut);
            sum += v;
            n++;
            ng += v <= p->good_limit;
        }
        mean[u] = n ? sum / n : NAN;
        good[u] = ng;
    }
}

void lt_opt_result_free(lt_opt_result *r)
{
    free(r->cut);
    free(r->mean);
    free(r->good);
    free(r->dual_mean);
    memset(r, 0, sizeof *r);
}

/* The problem's columns: one per group and segment, then the binaries. */
typedef struct model {
    glp_prob *lp;
    int nseg_cols;
    int *col_group;           /* [column - 1] group of a segment column */
    int *mean_row;            /* [unit] row of the mean bound (0: none) */
    int *bin_col;             /* [unit][day] column of the good-day binary (0: none) */
    lt_lp_matrix mat;
} model;

/* The segment columns: bounds the segment's width, cost its yuan. */
static void add_segments(model *m, const lt_opt_problem *p)
{
    int n = 0;
    for (int g = 0; g < p->ngroups; g++)
        n += p->group[g].nseg;
    m->nseg_cols = n;
    if (n)
        glp_add_cols(m->lp, n);
    int c = 0;
    for (int g = 0; g < p->ngroups; g++) {
        const lt_opt_group *gr = &p->group[g];
        for (int j = 0; j < gr->nseg; j++) {
            double w = gr->cut_to[j] - (j ? gr->cut_to[j - 1] : 0.0);
            c++;
            m->col_group[c - 1] = g;
            glp_set_col_bnds(m->lp, c, GLP_DB, 0.0, w);
            glp_set_obj_coef(m->lp, c, gr->cost[j] * gr->emis_t);
        }
    }
}

/* sum_g coef[g] x_g in row i, over every segment column of each group;
 * coefficients below LT_LP_DROP of the row's largest are left out (see
 * lp.h). */
static int add_response(model *m, int i, const double *coef)
{
    double big = 0.0;
    for (int c = 1; c <= m->nseg_cols; c++)
        big = fmax(big, fabs(coef[m->col_group[c - 1]]));
    for (int c = 1; c <= m->nseg_cols; c++) {
        double a = coef[m->col_group[c - 1]];
        if (fabs(a) >= LT_LP_DROP * big && lt_lp_push(&m->mat, i, c, a))
            return -1;
    }
    return 0;
}

/* Unit u's mean bound: sum_g (mean of resp over valid days) x_g >= mean - max. */
static int add_mean_row(model *m, const lt_opt_problem *p, int u, double *coef)
{
    int n = 0;
    double base = 0.0;
    memset(coef, 0, (size_t)p->ngroups * sizeof *coef);
    for (int d = 0; d < p->ndays; d++) {
        size_t ud = (size_t)u * p->ndays + d;
        if (isnan(p->base[ud]))
            continue;
        n++;
        base += p->base[ud];
        for (int g = 0; g < p->ngroups; g++)
            coef[g] += p->resp[ud * p->ngroups + g];
    }
    if (!n || isnan(p->pm25_max[u]) || base / n <= p->pm25_max[u])
        return 0; /* met without a cut */
    for (int g = 0; g < p->ngroups; g++)
        coef[g] /= n;
    int i = glp_add_rows(m->lp, 1);
    glp_set_row_bnds(m->lp, i, GLP_LO, base / n - p->pm25_max[u], 0.0);
    m->mean_row[u] = i;
    return add_response(m, i, coef);
}

/* Unit u's good days: a binary z per day that a cut can make good, with
 * sum_g resp x_g - (base - limit + margin) z >= 0, and a count row. */
static int add_good_rows(model *m, const lt_opt_problem *p, int u, const double *xmax, int *nbin)
{
    int always = 0, nb = 0;
    for (int d = 0; d < p->ndays; d++) {
        size_t ud = (size_t)u * p->ndays + d;
        if (isnan(p->base[ud]))
            continue;
        if (p->base[ud] <= p->good_limit) {
            always++;
            continue;
        }
        if (day_value(p, u, d, xmax) > p->good_limit - GOOD_MARGIN)
            continue; /* never good */
        int i = glp_add_rows(m->lp, 1), j = glp_add_cols(m->lp, 1);
        nb++;
        glp_set_col_kind(m->lp, j, GLP_BV);
        glp_set_row_bnds(m->lp, i, GLP_LO, 0.0, 0.0);
        m->bin_col[ud] = j;
        if (add_response(m, i, p->resp + ud * p->ngroups) ||
            lt_lp_push(&m->mat, i, j, -(p->base[ud] - p->good_limit + GOOD_MARGIN)))
            return -1;
    }
    double need = p->good_min[u] - always;
    if (need > 0.0) {
        int i = glp_add_rows(m->lp, 1);
        glp_set_row_bnds(m->lp, i, GLP_LO, need, 0.0);
        for (int d = 0; d < p->ndays; d++) {
            int j = m->bin_col[(size_t)u * p->ndays + d];
            if (j && lt_lp_push(&m->mat, i, j, 1.0))
                return -1;
        }
    }
    *nbin += nb;
    return 0;
}

static void free_model(model *m)
{
    if (m->lp)
        glp_delete_prob(m->lp);
    free(m->col_group);
    free(m->mean_row);
    free(m->bin_col);
    lt_lp_matrix_free(&m->mat);
}

/* Solves the built model; fills r's status, cost, cuts and duals. */
static int solve_model(model *m, const lt_opt_problem *p, lt_opt_result *r)
{
    int mip = r->nbinaries > 0;
    double gap;
    r->status = lt_lp_solve(m->lp, mip, p->time_limit_s, p->mip_gap, &gap);
    if (r->status > LT_OPT_FEASIBLE)
        return 0;
    r->gap = mip ? gap : 0.0;
    for (int c = 1; c <= m->nseg_cols; c++)
        r->cut[m->col_group[c - 1]] += mip ? glp_mip_col_val(m->lp, c) : glp_get_col_prim(m->lp, c);
    if (mip) { /* duals of the linear program with the binaries fixed at the plan's values */
        int nc = glp_get_num_cols(m->lp);
        for (int j = m->nseg_cols + 1; j <= nc; j++) {
            double z = round(glp_mip_col_val(m->lp, j));
            glp_set_col_kind(m->lp, j, GLP_CV);
            glp_set_col_bnds(m->lp, j, GLP_FX, z, z);
        }
        if (lt_lp_solve(m->lp, 0, p->time_limit_s, 0.0, &gap) != LT_OPT_OPTIMAL)
            return 0; /* no duals */
    }
    for (int u = 0; u < p->nunits; u++)
        r->dual_mean[u] = m->mean_row[u] ? fmax(0.0, glp_get_row_dual(m->lp, m->mean_row[u])) : r->dual_mean[u];
    return 0;
}

/* Is every target reachable with every cut at its maximum? */
static int reachable(const lt_opt_problem *p, const double *xmax, double *mean, int *good)
{
    lt_opt_evaluate(p, xmax, mean, good);
    int ok = 1;
    for (int u = 0; u < p->nunits; u++) {
        if (!isnan(p->pm25_max[u]) && mean[u] > p->pm25_max[u] + 1e-9)
            ok = 0;
        if (!isnan(p->good_min[u]) && good[u] < p->good_min[u])
            ok = 0;
    }
    return ok;
}

int lt_opt_solve(const lt_opt_problem *p, lt_opt_result *r, lt_error *err)
{
    memset(r, 0, sizeof *r);
    size_t nud = (size_t)p->nunits * p->ndays;
    model m = {0};
    double *xmax = calloc((size_t)p->ngroups + 1, sizeof *xmax);
    double *coef = calloc((size_t)p->ngroups + 1, sizeof *coef);
    r->cut = calloc((size_t)p->ngroups + 1, sizeof *r->cut);
    r->mean = calloc((size_t)p->nunits + 1, sizeof *r->mean);
    r->good = calloc((size_t)p->nunits + 1, sizeof *r->good);
    r->dual_mean = calloc((size_t)p->nunits + 1, sizeof *r->dual_mean);
    size_t ncols = 1;
    for (int g = 0; g < p->ngroups; g++)
        ncols += (size_t)p->group[g].nseg;
    m.col_group = calloc(ncols, sizeof *m.col_group);
    m.mean_row = calloc((size_t)p->nunits + 1, sizeof *m.mean_row);
    m.bin_col = calloc(nud + 1, sizeof *m.bin_col);
    if (!xmax || !coef || !r->cut || !r->mean || !r->good || !r->dual_mean || !m.col_group || !m.mean_row ||
        !m.bin_col) {
        free(xmax);
        free(coef);
        free_model(&m);
        lt_opt_result_free(r);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (int g = 0; g < p->ngroups; g++)
        xmax[g] = lt_opt_max_cut(&p->group[g]);
    for (int u = 0; u < p->nunits; u++)
        r->dual_mean[u] = isnan(p->pm25_max[u]) ? NAN : 0.0;
    double t0 = lt_lp_seconds();
    int rc = LT_OK;
    if (!reachable(p, xmax, r->mean, r->good)) {
        r->status = LT_OPT_INFEASIBLE; /* the mean and good days with every cut at its maximum */
        memcpy(r->cut, xmax, (size_t)p->ngroups * sizeof *xmax);
        r->cost = 0.0;
        for (int g = 0; g < p->ngroups; g++)
            r->cost += lt_opt_group_cost(&p->group[g], xmax[g]);
        goto done;
    }
    int prev = glp_term_out(GLP_OFF);
    m.lp = glp_create_prob();
    glp_set_obj_dir(m.lp, GLP_MIN);
    add_segments(&m, p);
    for (int u = 0; u < p->nunits && !rc; u++) {
        if (add_mean_row(&m, p, u, coef) ||
            (!isnan(p->good_min[u]) && add_good_rows(&m, p, u, xmax, &r->nbinaries)))
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    if (!rc) {
        if (glp_get_num_rows(m.lp) == 0) /* every target met without a cut */
            glp_add_rows(m.lp, 1);
        if (m.mat.nnz)
            glp_load_matrix(m.lp, (int)m.mat.nnz, m.mat.ia, m.mat.ja, m.mat.ar);
        r->nrows = glp_get_num_rows(m.lp);
        r->ncols = glp_get_num_cols(m.lp);
        if (m.nseg_cols == 0) {
            r->status = LT_OPT_OPTIMAL;
        } else {
            solve_model(&m, p, r);
        }
        if (r->status <= LT_OPT_FEASIBLE) {
            r->cost = 0.0;
            for (int g = 0; g < p->ngroups; g++) {
                r->cut[g] = fmin(fmax(r->cut[g], 0.0), xmax[g]);
                r->cost += lt_opt_group_cost(&p->group[g], r->cut[g]);
            }
            lt_opt_evaluate(p, r->cut, r->mean, r->good);
        }
    }
    glp_term_out(prev);
done:
    r->seconds = lt_lp_seconds() - t0;
    free(xmax);
    free(coef);
    free_model(&m);
    if (rc)
        lt_opt_result_free(r);
    return rc;
}
