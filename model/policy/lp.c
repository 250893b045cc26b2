/* lp.c — the GLPK pieces the least-cost programs share (see lp.h). */
#include "policy/lp.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "policy/optimize.h"

int lt_lp_push(lt_lp_matrix *m, int i, int j, double a)
{
    if (a == 0.0 || j == 0)
        return 0;
    if (m->nnz + 1 >= m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 4096;
        int *ia = realloc(m->ia, cap * sizeof *ia);
        if (ia)
            m->ia = ia;
        int *ja = ia ? realloc(m->ja, cap * sizeof *ja) : NULL;
        if (ja)
            m->ja = ja;
        double *ar = ja ? realloc(m->ar, cap * sizeof *ar) : NULL;
        if (!ar)
            return -1;
        m->ar = ar;
        m->cap = cap;
    }
    m->nnz++;
    m->ia[m->nnz] = i;
    m->ja[m->nnz] = j;
    m->ar[m->nnz] = a;
    return 0;
}

void lt_lp_matrix_free(lt_lp_matrix *m)
{
    free(m->ia);
    free(m->ja);
    free(m->ar);
    m->ia = m->ja = NULL;
    m->ar = NULL;
    m->nnz = m->cap = 0;
}

/* Branch and cut's callback: the relative gap of the best plan so far. */
static void on_tree(glp_tree *tree, void *info)
{
    int why = glp_ios_reason(tree);
    if (why == GLP_IBINGO || why == GLP_ISELECT || why == GLP_IBRANCH)
        *(double *)info = glp_ios_mip_gap(tree);
}

int lt_lp_solve(glp_prob *lp, int mip, double time_limit_s, double mip_gap, double *gap)
{
    glp_scale_prob(lp, GLP_SF_AUTO);
    int tm = (int)fmin(time_limit_s * 1000.0, 2e9), rc, st;
    *gap = 0.0;
    if (mip) {
        glp_iocp io;
        glp_init_iocp(&io);
        io.msg_lev = GLP_MSG_OFF;
        io.presolve = GLP_ON;
        io.tm_lim = tm;
        io.mip_gap = mip_gap;
        io.cb_func = on_tree;
        io.cb_info = gap;
        rc = glp_intopt(lp, &io);
        st = glp_mip_status(lp);
    } else {
        glp_smcp sm;
        glp_init_smcp(&sm);
        sm.msg_lev = GLP_MSG_OFF;
        sm.presolve = GLP_ON;
        sm.tm_lim = tm;
        rc = glp_simplex(lp, &sm);
        st = glp_get_status(lp);
    }
    if (st == GLP_OPT) {
        *gap = mip ? fmin(*gap, mip_gap) : 0.0; /* the search finished: within mip_gap of the bound */
        return LT_OPT_OPTIMAL;
    }
    if (st == GLP_FEAS)
        return mip && rc == GLP_EMIPGAP ? LT_OPT_OPTIMAL : LT_OPT_FEASIBLE;
    return st == GLP_NOFEAS || rc == GLP_ENOPFS || rc == GLP_ENODFS ? LT_OPT_INFEASIBLE : LT_OPT_NO_SOLUTION;
}

double lt_lp_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
