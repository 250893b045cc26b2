/* evaluate.c — model-versus-observation statistics (see evaluate.h). */
#include "policy/evaluate.h"

#include <math.h>
#include <string.h>

void lt_eval_compute(const double *mod, const double *obs, size_t n, lt_eval_stats *s)
{
    double so = 0, sm = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(mod[i]) && !isnan(obs[i])) {
            so += obs[i];
            sm += mod[i];
            k++;
        }
    memset(s, 0, sizeof *s);
    s->n = k;
    if (k == 0) {
        s->obs_mean = s->mod_mean = s->mb = s->nmb = s->nme = s->mfb = s->mfe = s->rmse = s->r = s->ioa =
            s->fac2 = NAN;
        return;
    }
    double om = so / (double)k, mm = sm / (double)k;
    double sd = 0, sad = 0, sfb = 0, sfe = 0, sq = 0, cov = 0, vo = 0, vm = 0, pot = 0;
    size_t in2 = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(mod[i]) || isnan(obs[i]))
            continue;
        double m = mod[i], o = obs[i], d = m - o;
        sd += d;
        sad += fabs(d);
        sq += d * d;
        if (m + o != 0) {
            sfb += d / (m + o);
            sfe += fabs(d) / (m + o);
        }
        cov += (m - mm) * (o - om);
        vo += (o - om) * (o - om);
        vm += (m - mm) * (m - mm);
        double p = fabs(m - om) + fabs(o - om);
        pot += p * p;
        if ((o == 0 && m == 0) || (o > 0 && m >= 0.5 * o && m <= 2.0 * o))
            in2++;
    }
    s->obs_mean = om;
    s->mod_mean = mm;
    s->mb = sd / (double)k;
    s->nmb = so != 0 ? 100.0 * sd / so : NAN;
    s->nme = so != 0 ? 100.0 * sad / so : NAN;
    s->mfb = 100.0 * 2.0 * sfb / (double)k;
    s->mfe = 100.0 * 2.0 * sfe / (double)k;
    s->rmse = sqrt(sq / (double)k);
    s->r = vo > 0 && vm > 0 ? cov / sqrt(vo * vm) : NAN;
    s->ioa = pot > 0 ? 1.0 - sq / pot : NAN;
    s->fac2 = (double)in2 / (double)k;
}

/* Emery et al. (2017), Table 1 ("goals" and "criteria"): PM2.5 24-h NMB
 * <±10/±30 %, NME <35/50 %, r >0.70/0.40; MDA8 O3 NMB <±5/±15 %,
 * NME <15/25 %, r >0.75/0.50. Boylan & Russell (2006): PM goal
 * |MFB| <= 30 %, MFE <= 50 %; criteria |MFB| <= 60 %, MFE <= 75 %. */
static const lt_benchmark benchmarks[] = {
    {"Emery et al. (2017)", "pm25", 10, 30, 35, 50, 0.70, 0.40, NAN, NAN, NAN, NAN},
    {"Boylan & Russell (2006)", "pm25", NAN, NAN, NAN, NAN, NAN, NAN, 30, 60, 50, 75},
    {"Emery et al. (2017)", "o3_8h", 5, 15, 15, 25, 0.75, 0.50, NAN, NAN, NAN, NAN},
};

int lt_benchmarks_for(const char *pol, const lt_benchmark **out, int max)
{
    int n = 0;
    for (size_t i = 0; i < sizeof benchmarks / sizeof *benchmarks; i++)
        if (!strcmp(benchmarks[i].pollutant, pol) && n < max)
            out[n++] = &benchmarks[i];
    return n;
}

/* below: 1 when the value must be below the limits (NMB, NME, MFB, MFE), 0 above (r);
 * strict: < and > (Emery), else <= (Boylan & Russell). */
static int judge(double v, double goal, double crit, int below, int strict)
{
    if (isnan(v) || isnan(goal))
        return LT_BENCH_NA;
    if (below) {
        if (strict ? v < goal : v <= goal)
            return LT_BENCH_GOAL;
        return (strict ? v < crit : v <= crit) ? LT_BENCH_CRITERIA : LT_BENCH_NEITHER;
    }
    if (v > goal)
        return LT_BENCH_GOAL;
    return v > crit ? LT_BENCH_CRITERIA : LT_BENCH_NEITHER;
}

int lt_bench_verdict(const lt_benchmark *b, const char *metric, const lt_eval_stats *s)
{
    if (!strcmp(metric, "nmb"))
        return judge(fabs(s->nmb), b->nmb_goal, b->nmb_crit, 1, 1);
    if (!strcmp(metric, "nme"))
        return judge(s->nme, b->nme_goal, b->nme_crit, 1, 1);
    if (!strcmp(metric, "r"))
        return judge(s->r, b->r_goal, b->r_crit, 0, 1);
    if (!strcmp(metric, "mfb"))
        return judge(fabs(s->mfb), b->mfb_goal, b->mfb_crit, 1, 0);
    if (!strcmp(metric, "mfe"))
        return judge(s->mfe, b->mfe_goal, b->mfe_crit, 1, 0);
    return LT_BENCH_NA;
}

const char *lt_bench_word(int verdict)
{
    switch (verdict) {
    case LT_BENCH_GOAL: return "goal";
    case LT_BENCH_CRITERIA: return "criteria";
    case LT_BENCH_NEITHER: return "neither";
    default: return "-";
    }
}

void lt_contingency_add(lt_contingency *t, int observed, int modelled)
{
    if (observed && modelled)
        t->a++;
    else if (observed)
        t->b++;
    else if (modelled)
        t->c++;
    else
        t->d++;
}

void lt_contingency_scores(lt_contingency *t)
{
    double a = (double)t->a, b = (double)t->b, c = (double)t->c;
    t->pod = a + b > 0 ? a / (a + b) : NAN;
    t->far = a + c > 0 ? c / (a + c) : NAN;
    t->csi = a + b + c > 0 ? a / (a + b + c) : NAN;
}

double lt_rrf(const double *base, const double *scen, const double *have, size_t n)
{
    double sb = 0, ss = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(base[i]) && isfinite(scen[i]) && (!have || isfinite(have[i]))) {
            sb += base[i];
            ss += scen[i];
            k++;
        }
    return k > 0 && sb != 0 ? ss / sb : NAN;
}
