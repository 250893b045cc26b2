/* evaluate.h — model-versus-observation statistics, the benchmarks they are
 * judged by, categorical skill, and the relative response factor.
 *
 * M is modelled, O observed, sums over the n pairs where both are finite:
 *   MB   = (1/n) sum (M - O)
 *   NMB  = 100 sum (M - O) / sum O                 (%)
 *   NME  = 100 sum |M - O| / sum O                 (%)
 *   MFB  = 100 (2/n) sum (M - O) / (M + O)         (%; a pair with M = O = 0 adds 0)
 *   MFE  = 100 (2/n) sum |M - O| / (M + O)         (%)
 *   RMSE = sqrt((1/n) sum (M - O)^2)
 *   r    = Pearson's correlation coefficient
 *   IOA  = 1 - sum (M - O)^2 / sum (|M - Obar| + |O - Obar|)^2   (Willmott 1981, d)
 *   FAC2 = fraction of pairs with 0.5 <= M/O <= 2 (a pair with M = O = 0 counts in)
 * as defined by Emery et al. (2017, J. Air Waste Manage. Assoc. 67:582-598),
 * Boylan & Russell (2006, Atmos. Environ. 40:4946-4959) and Chang & Hanna
 * (2004, Meteorol. Atmos. Phys. 87:167-196). A statistic that is undefined
 * (no pairs; sum O = 0 for NMB/NME; a constant series for r; a zero
 * denominator for IOA) is NaN. */
#ifndef LT_EVALUATE_H
#define LT_EVALUATE_H

#include <stddef.h>

typedef struct lt_eval_stats {
    size_t n;
    double obs_mean, mod_mean, mb, nmb, nme, mfb, mfe, rmse, r, ioa, fac2;
} lt_eval_stats;

/* Statistics of the pairs (mod[i], obs[i]), i < n, skipping a pair where
 * either is NaN. */
void lt_eval_compute(const double *mod, const double *obs, size_t n, lt_eval_stats *s);

/* Benchmark verdicts. */
enum { LT_BENCH_NA = -1, LT_BENCH_GOAL = 0, LT_BENCH_CRITERIA = 1, LT_BENCH_NEITHER = 2 };

typedef struct lt_benchmark {
    const char *name;         /* "Emery et al. (2017)", ... */
    const char *pollutant;    /* pm25, o3_8h */
    double nmb_goal, nmb_crit;   /* |NMB| below, % (NaN: not judged) */
    double nme_goal, nme_crit;   /* NME below, % */
    double r_goal, r_crit;       /* r above */
    double mfb_goal, mfb_crit;   /* |MFB| at most, % */
    double mfe_goal, mfe_crit;   /* MFE at most, % */
} lt_benchmark;

/* The benchmark sets for pollutant name pol ("pm25", "o3_8h"): Emery et
 * al. (2017) and Boylan & Russell (2006) for PM2.5, Emery et al. (2017) for
 * MDA8 ozone. Writes at most max pointers; returns how many. */
int lt_benchmarks_for(const char *pol, const lt_benchmark **out, int max);

/* Verdict of one statistic: goal, criteria, neither, or NA (not judged by
 * this set, or the statistic is NaN). metric is "nmb", "nme", "r", "mfb" or "mfe". */
int lt_bench_verdict(const lt_benchmark *b, const char *metric, const lt_eval_stats *s);
/* "goal", "criteria", "neither", "-". */
const char *lt_bench_word(int verdict);

/* A yes/no event (a heavy-pollution day, an alert day): the 2 x 2 table
 * and its scores (Wilks, Statistical Methods in the Atmospheric Sciences,
 * ch. 8): POD = a/(a+b), FAR = c/(a+c), CSI = a/(a+b+c), NaN when the
 * denominator is 0; a hits, b misses, c false alarms, d correct negatives. */
typedef struct lt_contingency {
    size_t a, b, c, d;
    double pod, far, csi;
} lt_contingency;
/* Adds one pair (observed event?, modelled event?). */
void lt_contingency_add(lt_contingency *t, int observed, int modelled);
void lt_contingency_scores(lt_contingency *t);

/* Relative response factor (US EPA 2018 modelling guidance for attainment,
 * as SMAT-CE applies it): the mean of the scenario's modelled values over
 * the mean of the baseline's, over the entries i < n where base, scen and
 * (when have is not NULL) have[i] are all finite. NaN when the baseline mean
 * is 0 or there is no entry. */
double lt_rrf(const double *base, const double *scen, const double *have, size_t n);

#endif
