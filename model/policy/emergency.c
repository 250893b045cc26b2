/* emergency.c — the least-cost emergency reduction list (see emergency.h):
 * one GLPK problem over every alert day, solved by branch and cut with a time
 * limit and a relative gap. GLPK's terminal output is off while it runs. */
#include "policy/emergency.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policy/lp.h"
#include "policy/optimize.h"

/* The deepest partial cut allowed: a required cut beyond max_partial is
 * still allowed when stopping is not (the table's measure itself). */
static double partial_ub(const lt_emg_choice *c)
{
    return isnan(c->stop_cost) ? fmax(c->max_partial, c->required) : c->max_partial;
}

static double deepest(const lt_emg_choice *c) { return isnan(c->stop_cost) ? partial_ub(c) : 1.0; }

double lt_emg_value(const lt_emg_problem *p, const double *cut, int day, int u)
{
    size_t du = (size_t)day * p->nunits + u;
    const double *r = p->resp + du * p->nent;
    double v = p->base[du];
    for (int e = 0; e < p->nent; e++)
        v -= cut[(size_t)day * p->nent + e] * r[e];
    return v;
}

void lt_emg_result_free(lt_emg_result *r)
{
    free(r->cut);
    free(r->stopped);
    free(r->value);
    free(r->achieved);
    memset(r, 0, sizeof *r);
}

/* Shares of each species the cuts achieve per day, and the predicted values. */
static void evaluate(const lt_emg_problem *p, lt_emg_result *r)
{
    for (int d = 0; d < p->ndays; d++) {
        for (int sp = 0; sp < LT_EMG_NSP; sp++) {
            double tot = 0.0, cut = 0.0;
            for (int e = 0; e < p->nent; e++) {
                const lt_emg_choice *c = &p->ch[(size_t)d * p->nent + e];
                tot += c->emis_sp[sp];
                cut += c->emis_sp[sp] * r->cut[(size_t)d * p->nent + e];
            }
            r->achieved[(size_t)d * LT_EMG_NSP + sp] = tot > 0.0 ? cut / tot : NAN;
        }
        for (int u = 0; u < p->nunits; u++)
            r->value[(size_t)d * p->nunits + u] = lt_emg_value(p, r->cut, d, u);
    }
}

/* Does the deepest list meet every requirement but the stop limit? */
static int reachable(const lt_emg_problem *p, lt_emg_result *r)
{
    for (size_t i = 0; i < (size_t)p->ndays * p->nent; i++)
        r->cut[i] = deepest(&p->ch[i]);
    evaluate(p, r);
    for (int d = 0; d < p->ndays; d++) {
        for (int sp = 0; sp < LT_EMG_NSP; sp++) {
            double a = r->achieved[(size_t)d * LT_EMG_NSP + sp];
            if (!isnan(a) && a < p->min_cut[d] - 1e-12)
                return 0;
        }
        for (int u = 0; u < p->nunits && !isnan(p->max_pm25); u++) {
            double v = r->value[(size_t)d * p->nunits + u];
            if (!isnan(v) && v > p->max_pm25 + 1e-9)
                return 0;
        }
    }
    return 1;
}

typedef struct emodel {
    glp_prob *lp;
    int *ycol, *scol;        /* [day][enterprise] (0: none) */
    lt_lp_matrix mat;
} emodel;

/* The columns of one enterprise-day, its link and requirement rows. */
static int add_choice(emodel *m, const lt_emg_choice *c, size_t k)
{
    double ub = partial_ub(c);
    int y = 0, s = 0;
    if (ub > 0.0) {
        y = glp_add_cols(m->lp, 1);
        glp_set_col_bnds(m->lp, y, GLP_DB, 0.0, ub);
        glp_set_obj_coef(m->lp, y, c->cost_per_t * c->emis_t);
    }
    if (!isnan(c->stop_cost)) {
        s = glp_add_cols(m->lp, 1);
        glp_set_col_kind(m->lp, s, GLP_BV);
        glp_set_obj_coef(m->lp, s, c->stop_cost);
    }
    m->ycol[k] = y;
    m->scol[k] = s;
    if (y && s) { /* y <= ub (1 - s) */
        int i = glp_add_rows(m->lp, 1);
        glp_set_row_bnds(m->lp, i, GLP_UP, 0.0, ub);
        if (lt_lp_push(&m->mat, i, y, 1.0) || lt_lp_push(&m->mat, i, s, ub))
            return -1;
    }
    if (c->required > 0.0) {
        if (!s) {
            glp_set_col_bnds(m->lp, y, GLP_DB, c->required, ub);
        } else {
            int i = glp_add_rows(m->lp, 1);
            glp_set_row_bnds(m->lp, i, GLP_LO, c->required, 0.0);
            if (lt_lp_push(&m->mat, i, y, 1.0) || lt_lp_push(&m->mat, i, s, 1.0))
                return -1;
        }
    }
    return 0;
}

/* Row sum_e coef[e] (y + s) >= rhs over day d. */
static int add_cover(emodel *m, const lt_emg_problem *p, int d, const double *coef, double rhs)
{
    int i = glp_add_rows(m->lp, 1);
    glp_set_row_bnds(m->lp, i, GLP_LO, rhs, 0.0);
    double big = 0.0;
    for (int e = 0; e < p->nent; e++)
        big = fmax(big, fabs(coef[e]));
    for (int e = 0; e < p->nent; e++) {
        size_t k = (size_t)d * p->nent + e;
        if (fabs(coef[e]) < LT_LP_DROP * big) /* see lp.h */
            continue;
        if (lt_lp_push(&m->mat, i, m->ycol[k], coef[e]) || lt_lp_push(&m->mat, i, m->scol[k], coef[e]))
            return -1;
    }
    return 0;
}

/* The day's region-wide, air-quality and stop-limit rows. */
static int add_day(emodel *m, const lt_emg_problem *p, int d, double *coef)
{
    const lt_emg_choice *ch = p->ch + (size_t)d * p->nent;
    for (int sp = 0; sp < LT_EMG_NSP && p->min_cut[d] > 0.0; sp++) {
        double tot = 0.0;
        for (int e = 0; e < p->nent; e++)
            tot += coef[e] = ch[e].emis_sp[sp];
        if (tot > 0.0 && add_cover(m, p, d, coef, p->min_cut[d] * tot))
            return -1;
    }
    for (int u = 0; u < p->nunits && !isnan(p->max_pm25); u++) {
        size_t du = (size_t)d * p->nunits + u;
        if (!isnan(p->base[du]) && p->base[du] > p->max_pm25 &&
            add_cover(m, p, d, p->resp + du * p->nent, p->base[du] - p->max_pm25))
            return -1;
    }
    for (int c = 0; c < p->ncounty && p->max_stopped >= 0; c++) {
        int i = glp_add_rows(m->lp, 1);
        glp_set_row_bnds(m->lp, i, GLP_UP, 0.0, p->max_stopped);
        for (int e = 0; e < p->nent; e++)
            if (ch[e].county == c && lt_lp_push(&m->mat, i, m->scol[(size_t)d * p->nent + e], 1.0))
                return -1;
    }
    return 0;
}

/* Branch and cut (or the simplex method without binaries); the list. */
static void solve(emodel *m, const lt_emg_problem *p, lt_emg_result *r)
{
    int mip = r->nbinaries > 0;
    double gap;
    r->status = lt_lp_solve(m->lp, mip, p->time_limit_s, p->mip_gap, &gap);
    if (r->status > LT_OPT_FEASIBLE)
        return;
    r->gap = mip ? gap : 0.0;
    for (size_t k = 0; k < (size_t)p->ndays * p->nent; k++) {
        double y = m->ycol[k] ? (mip ? glp_mip_col_val(m->lp, m->ycol[k]) : glp_get_col_prim(m->lp, m->ycol[k])) : 0.0;
        int s = m->scol[k] ? glp_mip_col_val(m->lp, m->scol[k]) > 0.5 : 0;
        r->stopped[k] = (unsigned char)s;
        r->cut[k] = s ? 1.0 : fmin(fmax(y, 0.0), partial_ub(&p->ch[k]));
    }
}

/* The list's cost from its cuts. */
static double list_cost(const lt_emg_problem *p, const lt_emg_result *r)
{
    double c = 0.0;
    for (size_t k = 0; k < (size_t)p->ndays * p->nent; k++)
        c += r->stopped[k] ? p->ch[k].stop_cost : p->ch[k].cost_per_t * p->ch[k].emis_t * r->cut[k];
    return c;
}

int lt_emg_solve(const lt_emg_problem *p, lt_emg_result *r, lt_error *err)
{
    memset(r, 0, sizeof *r);
    size_t n = (size_t)p->ndays * p->nent + 1;
    emodel m = {0};
    r->cut = calloc(n, sizeof *r->cut);
    r->stopped = calloc(n, 1);
    r->value = calloc((size_t)p->ndays * p->nunits + 1, sizeof *r->value);
    r->achieved = calloc((size_t)p->ndays * LT_EMG_NSP + 1, sizeof *r->achieved);
    m.ycol = calloc(n, sizeof *m.ycol);
    m.scol = calloc(n, sizeof *m.scol);
    double *coef = calloc((size_t)p->nent + 1, sizeof *coef);
    int rc = LT_OK;
    if (!r->cut || !r->stopped || !r->value || !r->achieved || !m.ycol || !m.scol || !coef)
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    double t0 = lt_lp_seconds();
    if (!rc && !reachable(p, r)) {
        r->status = LT_OPT_INFEASIBLE; /* the deepest list: reported as the best reachable */
        for (size_t k = 0; k + 1 < n; k++)
            r->stopped[k] = !isnan(p->ch[k].stop_cost);
        r->cost = list_cost(p, r);
    } else if (!rc) {
        int prev = glp_term_out(GLP_OFF);
        m.lp = glp_create_prob();
        glp_set_obj_dir(m.lp, GLP_MIN);
        for (size_t k = 0; k + 1 < n && !rc; k++)
            if (add_choice(&m, &p->ch[k], k))
                rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        for (int d = 0; d < p->ndays && !rc; d++)
            if (add_day(&m, p, d, coef))
                rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        if (!rc) {
            if (!glp_get_num_rows(m.lp))
                glp_add_rows(m.lp, 1);
            if (!glp_get_num_cols(m.lp))
                glp_add_cols(m.lp, 1);
            glp_load_matrix(m.lp, (int)m.mat.nnz, m.mat.ia, m.mat.ja, m.mat.ar);
            r->nrows = glp_get_num_rows(m.lp);
            r->ncols = glp_get_num_cols(m.lp);
            for (int j = 1; j <= r->ncols; j++)
                r->nbinaries += glp_get_col_kind(m.lp, j) == GLP_BV;
            memset(r->cut, 0, n * sizeof *r->cut);
            solve(&m, p, r);
            evaluate(p, r);
            r->cost = list_cost(p, r);
        }
        glp_term_out(prev);
        glp_delete_prob(m.lp);
    }
    r->seconds = lt_lp_seconds() - t0;
    free(coef);
    free(m.ycol);
    free(m.scol);
    lt_lp_matrix_free(&m.mat);
    if (rc)
        lt_emg_result_free(r);
    return rc;
}
