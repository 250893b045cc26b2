/* optimize_cmd.c — `lantian optimize CONFIG`: the least-cost annual plan.
 *
 * 1. the baseline run of the case (its usual output), keeping every source
 *    group's hourly PM2.5 at the stations (products/response.c; groups split
 *    by sector, county and enterprise grade);
 * 2. the response: each group's daily values per county and for the city,
 *    assessed as the baseline is (policy/assess.c), and the program
 *    (policy/optimize.c) for the targets, then the cost curve's sweep;
 * 3. the verification run: the case simulated again, each group's planes
 *    scaled hour by hour by 1 - its cut, assessed from scratch (its output,
 *    OUTPUT_verify.nc with the station files, is scratch and removed);
 * 4. OUTPUT_optimize.csv (the cut per group), OUTPUT_optimize_summary.csv
 *    (per county and the city: baseline, target, predicted, verified, best
 *    reachable, shadow prices), OUTPUT_costcurve.csv and
 *    OUTPUT_optimize_cuts.csv (the plan as a scenario cuts_file). */
#include "app/optimize_cmd.h"
#include "app/optimize_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glpk.h>

#include "app/report.h"
#include "core/lt_time.h"
#include "policy/assess.h"
#include "policy/optimize.h"
#include "products/products.h"

static void opt_case_free(opt_case *oc)
{
    free(oc->series);
    free(oc->key_of);
    free(oc->key_rep);
    free(oc->kseries);
    free(oc->group);
    free(oc->curve);
    free(oc->tpy);
    free(oc->base);
    free(oc->resp);
    free(oc->pm25_max);
    free(oc->good_min);
    free(oc->good_target);
    free(oc->valid);
    lt_opt_costs_free(&oc->costs);
    lt_targets_free(&oc->targets);
}

/* The PM2.5 where the IAQI reaches the top of the "good" category (75 ug
 * m-3 in HJ 633-2012): a day is good at or below it. */
static double good_limit_of(const lt_aqi_table *t)
{
    double top = t->cat_upper[1];
    for (int i = 1; i < t->nbp; i++)
        if (t->iaqi_bp[i] >= top)
            return t->pm25_bp[i - 1] + (top - t->iaqi_bp[i - 1]) * (t->pm25_bp[i] - t->pm25_bp[i - 1]) /
                                           (t->iaqi_bp[i] - t->iaqi_bp[i - 1]);
    return t->pm25_bp[t->nbp - 1];
}

/* The daily values of stations' hourly series st (the baseline's or one
 * group's) per unit into out[unit * ndays + d]. */
int lt_opt_unit_days(const opt_case *oc, const double *st, double *out, size_t stride, lt_error *err)
{
    lt_assessment a;
    if (lt_assess(&a, oc->aqi, NULL, 0, st, (size_t)oc->hours, oc->nst, oc->cfg->start_s, NULL) ||
        lt_assess_counties(&a, oc->aqi, oc->county_of, oc->ncounty)) {
        lt_assessment_free(&a);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (int d = 0; d < oc->ndays; d++) {
        for (size_t u = 0; u < oc->ncounty; u++)
            out[(u * oc->ndays + d) * stride] = a.county_pm25[d * oc->ncounty + u];
        out[(oc->ncounty * oc->ndays + d) * stride] = a.city_pm25[d];
    }
    lt_assessment_free(&a);
    return LT_OK;
}

/* The decision groups: the run's groups of the same sector, county and
 * grade (they differ by the scenarios' rules, or are stacks and gridded
 * cells) are one, their series summed. */
static int build_keys(opt_case *oc, lt_error *err)
{
    const int *gtag = lt_case_group_tags(oc->cs), *gcty = lt_case_group_counties(oc->cs);
    const char *grade = lt_case_group_grades(oc->cs);
    size_t hn = (size_t)oc->hours * oc->nst;
    oc->key_of = calloc((size_t)oc->ngroups, sizeof *oc->key_of);
    oc->key_rep = calloc((size_t)oc->ngroups, sizeof *oc->key_rep);
    oc->kseries = calloc((size_t)oc->ngroups * (hn ? hn : 1), sizeof *oc->kseries);
    if (!oc->key_of || !oc->key_rep || !oc->kseries)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    oc->nkeys = 0;
    for (int g = 0; g < oc->ngroups; g++) {
        int k = 0;
        while (k < oc->nkeys && !(gtag[oc->key_rep[k]] == gtag[g] && gcty[oc->key_rep[k]] == gcty[g] &&
                                  grade[oc->key_rep[k]] == grade[g]))
            k++;
        if (k == oc->nkeys)
            oc->key_rep[oc->nkeys++] = g;
        oc->key_of[g] = k;
        double *dst = oc->kseries + (size_t)k * hn;
        const double *src = oc->series + (size_t)g * hn;
        for (size_t i = 0; i < hn; i++)
            dst[i] += src[i];
    }
    return LT_OK;
}

/* The decision groups: names for the costs, their cost curves and tonnes. */
static int build_groups(opt_case *oc, lt_error *err)
{
    const lt_case *cs = oc->cs;
    const int *gtag = lt_case_group_tags(cs), *gcty = lt_case_group_counties(cs);
    const char *grade = lt_case_group_grades(cs);
    const char *const *tags = lt_case_tag_names(cs), *const *ctys = lt_case_src_county_names(cs);
    const double *w = oc->cfg->opt_pm25_eq;
    double period_years = oc->hours / (24.0 * 365.0);
    for (int g = 0; g < oc->ngroups; g++) {
        double t1[5];
        lt_case_group_emissions(cs, g, t1);
        for (int sp = 0; sp < 5; sp++)
            oc->tpy[5 * (size_t)oc->key_of[g] + sp] += t1[sp];
    }
    for (int key = 0; key < oc->nkeys; key++) {
        const double *t = oc->tpy + 5 * (size_t)key;
        int g = oc->key_rep[key];
        lt_opt_group *gr = &oc->group[key];
        memset(gr, 0, sizeof *gr);
        gr->emis_t = (w[0] * t[0] + w[1] * t[1] + w[2] * t[2] + w[3] * t[3] + w[4] * t[4]) * period_years;
        oc->curve[key] = gtag[g] == lt_case_background_tag(cs)
                             ? NULL
                             : lt_opt_costs_find(&oc->costs, tags[gtag[g]], ctys[gcty[g]], grade[g]);
        if (oc->curve[key] && gr->emis_t > 0.0) {
            gr->nseg = oc->curve[key]->nseg;
            memcpy(gr->cut_to, oc->curve[key]->cut_to, sizeof gr->cut_to);
            memcpy(gr->cost, oc->curve[key]->cost, sizeof gr->cost);
        }
    }
    (void)err;
    return LT_OK;
}

/* Targets per unit: the mean bound, and the good days held in proportion
 * over the period's valid days as the assessment does (lt_target_verdict). */
static void build_targets(opt_case *oc)
{
    time_t t0 = (time_t)oc->cfg->start_s;
    struct tm tm;
    gmtime_r(&t0, &tm);
    int year = tm.tm_year + 1900;
    int diy = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 366 : 365;
    for (int u = 0; u < oc->nunits; u++) {
        int n = 0;
        for (int d = 0; d < oc->ndays; d++)
            n += !isnan(oc->base[(size_t)u * oc->ndays + d]);
        oc->valid[u] = n;
        const lt_target *t = lt_targets_find(&oc->targets, u == oc->nunits - 1 ? -1 : u);
        oc->pm25_max[u] = t ? t->pm25_max : NAN;
        oc->good_target[u] = t ? t->good_days_min : NAN;
        double scale = n < diy ? (double)n / diy : 1.0;
        oc->good_min[u] = t && !isnan(t->good_days_min) ? ceil(t->good_days_min * scale - 1e-9) : NAN;
    }
}

/* Reads the costs and targets and builds the response from the baseline's
 * per-group series. */
static int build_problem(opt_case *oc, lt_error *err)
{
    int rc = build_keys(oc, err);
    if (rc)
        return rc;
    size_t nd = (size_t)oc->ndays, nu = (size_t)oc->nunits, ng = (size_t)oc->nkeys;
    oc->group = calloc(ng, sizeof *oc->group);
    oc->curve = calloc(ng, sizeof *oc->curve);
    oc->tpy = calloc(5 * ng, sizeof *oc->tpy);
    oc->base = calloc(nu * nd, sizeof *oc->base);
    oc->resp = calloc(nu * nd * ng, sizeof *oc->resp);
    oc->pm25_max = calloc(nu, sizeof *oc->pm25_max);
    oc->good_min = calloc(nu, sizeof *oc->good_min);
    oc->good_target = calloc(nu, sizeof *oc->good_target);
    oc->valid = calloc(nu, sizeof *oc->valid);
    double *total = calloc((size_t)oc->hours * oc->nst, sizeof *total);
    if (!oc->group || !oc->curve || !oc->tpy || !oc->base || !oc->resp || !oc->pm25_max || !oc->good_min ||
        !oc->good_target || !oc->valid || !total) {
        free(total);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    size_t hn = (size_t)oc->hours * oc->nst;
    for (size_t g = 0; g < ng && !rc; g++) {
        for (size_t i = 0; i < hn; i++)
            total[i] += oc->kseries[g * hn + i];
        rc = lt_opt_unit_days(oc, oc->kseries + g * hn, oc->resp + g, ng, err);
    }
    if (!rc)
        rc = lt_opt_unit_days(oc, total, oc->base, 1, err);
    free(total);
    if (rc)
        return rc;
    oc->good_limit = good_limit_of(oc->aqi);
    build_targets(oc);
    return build_groups(oc, err);
}

/* The costs and the targets, read before the baseline runs. */
static int read_tables(opt_case *oc, lt_error *err)
{
    const lt_config *cfg = oc->cfg;
    int rc;
    oc->ncounty = lt_case_station_counties(oc->cs, (const char *const **)&oc->county_names, &oc->county_of);
    const char *sectors[LT_MAX_SECTORS];
    for (int k = 0; k < cfg->nsectors; k++)
        sectors[k] = cfg->sectors[k];
    if ((rc = lt_opt_costs_read(&oc->costs, cfg->opt_costs, sectors, cfg->nsectors, lt_case_src_county_names(oc->cs),
                                lt_case_nsrc_counties(oc->cs), err)))
        return rc;
    if (cfg->opt_targets[0] &&
        (rc = lt_targets_read(&oc->targets, cfg->opt_targets, oc->county_names, oc->ncounty, err)))
        return rc;
    oc->curve_unit = -1;
    for (size_t u = 0; u < oc->ncounty; u++)
        if (!strcmp(cfg->opt_curve, oc->county_names[u]))
            oc->curve_unit = (int)u;
    if (!strcmp(cfg->opt_curve, "city"))
        oc->curve_unit = (int)oc->ncounty;
    if (oc->curve_unit < 0)
        return lt_error_set(err, LT_EINPUT, "%s: [optimize] curve = '%s': expected city or a county of the stations "
                            "(%s%s)", cfg->path, cfg->opt_curve, oc->ncounty ? oc->county_names[0] : "",
                            oc->ncounty > 1 ? ", ..." : "");
    return LT_OK;
}

/* The baseline: the case's run with its products, and every group's series. */
int lt_opt_baseline_run(opt_case *oc, const lt_run_options *opt, lt_summary *sum, lt_error *err)
{
    lt_run *run = NULL;
    memset(sum, 0, sizeof *sum);
    int rc = lt_run_create(&run, oc->cs, opt, err);
    if (!rc) {
        const lt_run_shape *s = lt_run_shape_of(run);
        oc->ngroups = s->ngroups;
        oc->hours = s->hours;
        oc->nst = s->nst;
        oc->series = calloc((size_t)s->ngroups * (size_t)s->hours * (s->nst ? s->nst : 1), sizeof *oc->series);
        if (!oc->series)
            rc = lt_error_set(err, LT_ENOMEM, "out of memory (the groups' station series)");
    }
    if (!rc && !(rc = lt_products_attach(run, err)) &&
        !(rc = lt_response_attach(run, oc->series, NULL, NULL, err)))
        rc = lt_run_exec(run, sum, err);
    lt_run_free(&run);
    return rc;
}

/* The output's name without .nc, plus suffix. */
void lt_opt_side_name(const lt_config *cfg, const char *suffix, char *out, size_t n)
{
    size_t len = strlen(cfg->output_file);
    if (len > 3 && !strcmp(cfg->output_file + len - 3, ".nc"))
        len -= 3;
    snprintf(out, n, "%.*s%s", (int)len, cfg->output_file, suffix);
}

/* The verification: the case simulated again (a second load and run, the
 * output to a scratch file removed afterwards, with the station files), the
 * stations' hourly total with group g scaled by factor[g] (hourly: by
 * factor[g * hours + h]) into total[hour][station]. */
int lt_opt_verify_series(const opt_case *oc, const double *factor, int hourly, const lt_run_options *opt,
                         double *total, lt_error *err)
{
    lt_config cfg = *oc->cfg; /* a shallow copy: only the output's name differs */
    lt_opt_side_name(oc->cfg, "_verify.nc", cfg.output_file, sizeof cfg.output_file);
    cfg.checkpoint_hours = 0;
    lt_case *cs = NULL;
    lt_run *run = NULL;
    lt_summary sum;
    memset(&sum, 0, sizeof sum);
    lt_run_options o = *opt;
    o.restart = 0;
    o.force = 1;
    o.progress = NULL;
    lt_stations_product *stp;
    lt_preflight pf;
    pf.nfiles = 0;
    int rc;
    if (!(rc = lt_case_load(&cs, &cfg, err)) && !(rc = lt_run_create(&run, cs, &o, err)) &&
        !(rc = lt_stations_attach(run, &stp, err)) &&
        !(rc = hourly ? lt_response_attach_hourly(run, factor, total, err)
                      : lt_response_attach(run, NULL, factor, total, err)) &&
        !(rc = lt_run_preflight(run, &pf, err)))
        rc = lt_run_exec(run, &sum, err);
    lt_run_free(&run);
    lt_case_free(&cs);
    for (int i = 0; i < pf.nfiles; i++) /* the scratch output and its side files */
        remove(pf.files[i]);
    lt_summary_free(&sum);
    return rc;
}

/* The annual plan's verification: the units' means and good days (the
 * daily AQI within the "good" category) under the cuts, from scratch. */
static int verify_run(opt_case *oc, const double *cut, const lt_run_options *opt, double *mean, int *good,
                      lt_error *err)
{
    size_t hn = (size_t)oc->hours * oc->nst, nu = (size_t)oc->nunits, nd = (size_t)oc->ndays;
    double *factor = malloc((size_t)oc->ngroups * sizeof *factor), *total = calloc(hn ? hn : 1, sizeof *total);
    double *days = calloc(nu * nd, sizeof *days);
    int rc = !factor || !total || !days ? lt_error_set(err, LT_ENOMEM, "out of memory") : LT_OK;
    for (int g = 0; !rc && g < oc->ngroups; g++)
        factor[g] = 1.0 - cut[oc->key_of[g]];
    if (!rc && !(rc = lt_opt_verify_series(oc, factor, 0, opt, total, err)) &&
        !(rc = lt_opt_unit_days(oc, total, days, 1, err)))
        for (size_t u = 0; u < nu; u++) {
            double s = 0.0;
            int n = 0;
            good[u] = 0;
            for (size_t d = 0; d < nd; d++) {
                double v = days[u * nd + d];
                if (isnan(v))
                    continue;
                s += v;
                n++;
                good[u] += lt_iaqi_pm25(oc->aqi, v) <= oc->aqi->cat_upper[1];
            }
            mean[u] = n ? s / n : NAN;
        }
    free(factor);
    free(total);
    free(days);
    return rc;
}

static lt_opt_problem problem_of(const opt_case *oc)
{
    lt_opt_problem p = {.ngroups = oc->nkeys, .group = oc->group, .nunits = oc->nunits, .ndays = oc->ndays,
                        .base = oc->base, .resp = oc->resp, .pm25_max = oc->pm25_max, .good_min = oc->good_min,
                        .good_limit = oc->good_limit, .time_limit_s = oc->cfg->opt_time_limit_s,
                        .mip_gap = oc->cfg->opt_mip_gap};
    return p;
}

/* What one more good day costs in each unit whose good-day target binds
 * (yuan; NaN: not binding; INFINITY: out of reach), by solving again. */
static int good_day_prices(const opt_case *oc, const lt_opt_result *r, double *price, lt_error *err)
{
    lt_opt_problem p = problem_of(oc);
    double *gmin = malloc((size_t)oc->nunits * sizeof *gmin);
    if (!gmin)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int rc = LT_OK;
    for (int u = 0; u < oc->nunits && !rc; u++) {
        price[u] = NAN;
        if (r->status > LT_OPT_FEASIBLE || isnan(oc->good_min[u]) || r->good[u] > oc->good_min[u])
            continue;
        memcpy(gmin, oc->good_min, (size_t)oc->nunits * sizeof *gmin);
        gmin[u] = r->good[u] + 1;
        p.good_min = gmin;
        lt_opt_result r1;
        if ((rc = lt_opt_solve(&p, &r1, err)))
            break;
        price[u] = r1.status <= LT_OPT_FEASIBLE ? r1.cost - r->cost : INFINITY;
        lt_opt_result_free(&r1);
    }
    free(gmin);
    return rc;
}

/* One row of the cost curve per good-day target of the curve's unit (the
 * city or a county; the other targets not imposed). */
typedef struct curve_point {
    double target;
    lt_opt_result r;
} curve_point;

static int sweep(const opt_case *oc, curve_point *pts, lt_error *err)
{
    lt_opt_problem p = problem_of(oc);
    size_t nu = (size_t)oc->nunits;
    double *none = malloc(nu * sizeof *none), *gmin = malloc(nu * sizeof *gmin);
    if (!none || !gmin) {
        free(none);
        free(gmin);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (size_t u = 0; u < nu; u++)
        none[u] = gmin[u] = NAN;
    p.pm25_max = none;
    p.good_min = gmin;
    int rc = LT_OK;
    for (int i = 0; i < oc->cfg->opt_nsweep && !rc; i++) {
        pts[i].target = oc->cfg->opt_sweep[i];
        gmin[oc->curve_unit] = pts[i].target;
        rc = lt_opt_solve(&p, &pts[i].r, err);
    }
    free(none);
    free(gmin);
    return rc;
}

/* Opens path.tmp for writing (renamed by close_table). */
FILE *lt_opt_open_table(const char *path, char *tmp, size_t n, lt_error *err)
{
    snprintf(tmp, n, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        lt_error_set(err, LT_EIO, "%s: cannot write: expected a writable folder", tmp);
    return f;
}

int lt_opt_close_table(FILE *f, const char *tmp, const char *path, lt_error *err)
{
    int bad = ferror(f) | (fclose(f) != 0);
    if (bad || rename(tmp, path)) {
        remove(tmp);
        return lt_error_set(err, LT_EIO, "%s: cannot write (disk full?)", path);
    }
    return LT_OK;
}

/* OUTPUT_optimize_cuts.csv: the plan as a scenario cuts table, one rule per
 * sector, grade and factor with its counties as alternatives (fewer rules
 * than groups: a run takes at most 64). Groups outside every county cannot
 * be selected by a rule (county '*' is any county) and are left out. */
static void write_rules(FILE *f, const opt_case *oc, const lt_opt_result *r)
{
    const int *gtag = lt_case_group_tags(oc->cs), *gcty = lt_case_group_counties(oc->cs);
    const char *grade = lt_case_group_grades(oc->cs);
    const char *const *tags = lt_case_tag_names(oc->cs), *const *ctys = lt_case_src_county_names(oc->cs);
    char *done = calloc((size_t)oc->nkeys + 1, 1);
    fprintf(f, "sector,grade,county,id,species,factor,note\n");
    for (int k = 0; done && k < oc->nkeys; k++) {
        int g = oc->key_rep[k];
        if (done[k] || r->cut[k] <= 0.0 || !strcmp(ctys[gcty[g]], "unassigned"))
            continue;
        char fk[32];
        snprintf(fk, sizeof fk, "%.6f", 1.0 - r->cut[k]);
        fprintf(f, "%s,%c,", tags[gtag[g]], grade[g]);
        for (int k2 = k, n = 0; k2 < oc->nkeys && n < 16; k2++) { /* a rule takes up to 16 counties */
            int g2 = oc->key_rep[k2];
            char f2[32];
            snprintf(f2, sizeof f2, "%.6f", 1.0 - r->cut[k2]);
            if (done[k2] || r->cut[k2] <= 0.0 || gtag[g2] != gtag[g] || grade[g2] != grade[g] || strcmp(f2, fk) ||
                !strcmp(ctys[gcty[g2]], "unassigned"))
                continue;
            fprintf(f, "%s%s", n++ ? "|" : "", ctys[gcty[g2]]);
            done[k2] = 1;
        }
        fprintf(f, ",*,all,%s,lantian optimize: cut %.2f %%\n", fk, 100.0 * r->cut[k]);
    }
    free(done);
}

/* OUTPUT_optimize.csv: the cut per decision group that can be cut, with its
 * tonnes over the period and its cost; OUTPUT_optimize_cuts.csv. */
static int write_cuts(const opt_case *oc, const lt_opt_result *r, lt_error *err)
{
    char path[LT_PATH_MAX + 32], tmp[LT_PATH_MAX + 40], path2[LT_PATH_MAX + 32], tmp2[LT_PATH_MAX + 40];
    lt_opt_side_name(oc->cfg, "_optimize.csv", path, sizeof path);
    lt_opt_side_name(oc->cfg, "_optimize_cuts.csv", path2, sizeof path2);
    FILE *f = lt_opt_open_table(path, tmp, sizeof tmp, err), *f2 = f ? lt_opt_open_table(path2, tmp2, sizeof tmp2, err) : NULL;
    if (!f2) {
        if (f)
            fclose(f), remove(tmp);
        return err->code;
    }
    const int *gtag = lt_case_group_tags(oc->cs), *gcty = lt_case_group_counties(oc->cs);
    const char *grade = lt_case_group_grades(oc->cs);
    const char *const *tags = lt_case_tag_names(oc->cs), *const *ctys = lt_case_src_county_names(oc->cs);
    double yrs = oc->hours / (24.0 * 365.0);
    fprintf(f, "sector,county,grade,cut,max_cut,pm25_t,so2_t,nox_t,nh3_t,voc_t,pm25eq_t,avoided_pm25eq_t,cost_yuan\n");
    for (int k = 0; k < oc->nkeys; k++) {
        const lt_opt_group *gr = &oc->group[k];
        int g = oc->key_rep[k];
        if (!gr->nseg)
            continue;
        const double *t = oc->tpy + 5 * (size_t)k;
        fprintf(f, "%s,%s,%c,%.6f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.2f\n", tags[gtag[g]], ctys[gcty[g]],
                grade[g], r->cut[k], lt_opt_max_cut(gr), t[0] * yrs, t[1] * yrs, t[2] * yrs, t[3] * yrs, t[4] * yrs,
                gr->emis_t, gr->emis_t * r->cut[k], lt_opt_group_cost(gr, r->cut[k]));
    }
    write_rules(f2, oc, r);
    int rc = lt_opt_close_table(f, tmp, path, err);
    int rc2 = lt_opt_close_table(f2, tmp2, path2, err);
    return rc ? rc : rc2;
}

/* Everything the summary reports per unit. */
typedef struct unit_report {
    double *base_mean, *best_mean, *ver_mean, *good_price;
    int *base_good, *best_good, *ver_good;
} unit_report;

static const char *unit_name(const opt_case *oc, int u) { return u == oc->nunits - 1 ? "city" : oc->county_names[u]; }

static void fmt_num(char *buf, size_t n, double v, const char *f)
{
    if (isnan(v))
        buf[0] = '\0';
    else
        snprintf(buf, n, f, v);
}

/* OUTPUT_optimize_summary.csv: one row per county and the city. */
static int write_summary(const opt_case *oc, const lt_opt_result *r, const unit_report *ur, lt_error *err)
{
    char path[LT_PATH_MAX + 32], tmp[LT_PATH_MAX + 40];
    lt_opt_side_name(oc->cfg, "_optimize_summary.csv", path, sizeof path);
    FILE *f = lt_opt_open_table(path, tmp, sizeof tmp, err);
    if (!f)
        return err->code;
    fprintf(f, "level,name,valid_days,baseline_pm25,target_pm25,predicted_pm25,verified_pm25,best_pm25,"
               "baseline_good_days,target_good_days,needed_good_days,predicted_good_days,verified_good_days,"
               "best_good_days,yuan_per_ugm3,yuan_per_good_day,attained\n");
    for (int u = 0; u < oc->nunits; u++) {
        char tp[32], ng[32], tg[32], dm[32], gp[32];
        fmt_num(tp, sizeof tp, oc->pm25_max[u], "%g");
        fmt_num(tg, sizeof tg, oc->good_target[u], "%g");
        fmt_num(ng, sizeof ng, oc->good_min[u], "%g");
        fmt_num(dm, sizeof dm, r->dual_mean[u], "%.2f");
        fmt_num(gp, sizeof gp, ur->good_price[u], "%.2f");
        if (isinf(ur->good_price[u]))
            snprintf(gp, sizeof gp, "unreachable");
        int has = !isnan(oc->pm25_max[u]) || !isnan(oc->good_min[u]);
        int ok = (isnan(oc->pm25_max[u]) || ur->ver_mean[u] <= oc->pm25_max[u] + 1e-9) &&
                 (isnan(oc->good_min[u]) || ur->ver_good[u] >= oc->good_min[u]);
        fprintf(f, "%s,%s,%d,%.4f,%s,%.10g,%.10g,%.4f,%d,%s,%s,%d,%d,%d,%s,%s,%s\n",
                u == oc->nunits - 1 ? "city" : "county", unit_name(oc, u), oc->valid[u], ur->base_mean[u], tp,
                r->mean[u], ur->ver_mean[u], ur->best_mean[u], ur->base_good[u], tg, ng, r->good[u], ur->ver_good[u],
                ur->best_good[u], dm, gp, has ? (ok ? "yes" : "no") : "");
    }
    return lt_opt_close_table(f, tmp, path, err);
}

/* OUTPUT_costcurve.csv: the least cost of each good-day target of the city. */
static int write_curve(const opt_case *oc, const curve_point *pts, lt_error *err)
{
    char path[LT_PATH_MAX + 32], tmp[LT_PATH_MAX + 40];
    lt_opt_side_name(oc->cfg, "_costcurve.csv", path, sizeof path);
    FILE *f = lt_opt_open_table(path, tmp, sizeof tmp, err);
    if (!f)
        return err->code;
    fprintf(f, "level,name,good_days_target,status,cost_yuan,good_days,pm25,gap,solve_s\n");
    int u = oc->curve_unit;
    for (int i = 0; i < oc->cfg->opt_nsweep; i++) {
        const lt_opt_result *r = &pts[i].r;
        int ok = r->status <= LT_OPT_FEASIBLE;
        fprintf(f, "%s,%s,%g,%s,", u == oc->nunits - 1 ? "city" : "county", unit_name(oc, u), pts[i].target, r->status == LT_OPT_OPTIMAL ? "optimal"
                                            : r->status == LT_OPT_FEASIBLE ? "feasible"
                                            : r->status == LT_OPT_INFEASIBLE ? "infeasible" : "no_solution");
        if (ok)
            fprintf(f, "%.2f,%d,%.4f,%.6f,%.3f\n", r->cost, r->good[u], r->mean[u], r->gap, r->seconds);
        else
            fprintf(f, ",%d,%.4f,,%.3f\n", r->good[u], r->mean[u], r->seconds);
    }
    return lt_opt_close_table(f, tmp, path, err);
}

/* The plan in words: the solver, the cost, each unit, the largest cuts. */
static void print_report(FILE *out, const opt_case *oc, const lt_opt_result *r, const unit_report *ur,
                         const curve_point *pts)
{
    int ncut = 0;
    for (int g = 0; g < oc->nkeys; g++)
        ncut += oc->group[g].nseg > 0;
    fprintf(out, "\nleast-cost plan (lantian optimize, annual mode): %d of %d source groups (sector x county x grade) "
                 "have costs; a good day is a day whose PM2.5 24-h mean is at most %.1f ug/m3 (PM2.5 alone: the other "
                 "pollutants' indices are not counted)\n", ncut, oc->nkeys, oc->good_limit);
    if (r->status == LT_OPT_INFEASIBLE && r->ncols == 0)
        fprintf(out, "  not solved: a target is out of reach even with every cut at its maximum (which would cost %.0f "
                     "yuan over the run's %d hours); the best reachable values below\n", r->cost, oc->hours);
    else
        fprintf(out, "  solver: GLPK %s, %s: %s, cost %.0f yuan over the run's %d hours, %d rows x %d columns (%d "
                     "binaries), %.3f s\n", glp_version(), r->nbinaries ? "branch and cut" : "simplex",
                lt_opt_status_names[r->status], r->cost, oc->hours, r->nrows, r->ncols, r->nbinaries, r->seconds);
    if (r->nbinaries && r->status <= LT_OPT_FEASIBLE)
        fprintf(out, "  relative gap %.4f %% (asked: at most %.4f %%)\n", 100.0 * r->gap, 100.0 * oc->cfg->opt_mip_gap);
    fprintf(out, "  %-10s %9s %7s %9s %9s %9s | %5s %5s %5s %5s %5s | %s\n", "unit", "PM2.5", "target", "predicted",
            "verified", "best", "good", "need", "pred", "verif", "best", "marginal cost");
    for (int u = 0; u < oc->nunits; u++) {
        char margin[96] = "";
        if (r->dual_mean[u] > 0.0)
            snprintf(margin, sizeof margin, "%.0f yuan per ug/m3 less", r->dual_mean[u]);
        if (!isnan(ur->good_price[u]))
            snprintf(margin + strlen(margin), sizeof margin - strlen(margin), "%s%s%.0f yuan for one more good day",
                     margin[0] ? "; " : "", isinf(ur->good_price[u]) ? "(out of reach) " : "",
                     isinf(ur->good_price[u]) ? 0.0 : ur->good_price[u]);
        char tp[16] = "-", need[16] = "-";
        if (!isnan(oc->pm25_max[u]))
            snprintf(tp, sizeof tp, "%.1f", oc->pm25_max[u]);
        if (!isnan(oc->good_min[u]))
            snprintf(need, sizeof need, "%.0f", oc->good_min[u]);
        fprintf(out, "  %-10s %9.2f %7s %9.3f %9.3f %9.2f | %5d %5s %5d %5d %5d | %s\n", unit_name(oc, u),
                ur->base_mean[u], tp, r->mean[u], ur->ver_mean[u], ur->best_mean[u], ur->base_good[u], need, r->good[u],
                ur->ver_good[u], ur->best_good[u], margin);
        if (r->status == LT_OPT_INFEASIBLE && !isnan(oc->pm25_max[u]) && ur->best_mean[u] > oc->pm25_max[u] + 1e-9)
            fprintf(out, "    %s reaches %.1f ug/m3 with every measure: the target %.0f needs cuts beyond the costs "
                         "file's (or outside the inventory: the regional background)\n",
                    unit_name(oc, u), ur->best_mean[u], oc->pm25_max[u]);
        if (r->status == LT_OPT_INFEASIBLE && !isnan(oc->good_min[u]) && ur->best_good[u] < oc->good_min[u])
            fprintf(out, "    %s reaches %d good days with every measure: %.0f are needed\n", unit_name(oc, u),
                    ur->best_good[u], oc->good_min[u]);
    }
    fprintf(out, "  (predicted: the linear response of the baseline's groups; verified: the case simulated again with "
                 "the cuts; best: every cut at its maximum)\n");
    if (oc->cfg->opt_nsweep) {
        fprintf(out, "  cost curve (good days of %s in the period, no other target):", unit_name(oc, oc->curve_unit));
        for (int i = 0; i < oc->cfg->opt_nsweep; i++) {
            const lt_opt_result *c = &pts[i].r;
            if (c->status <= LT_OPT_FEASIBLE)
                fprintf(out, " %g: %.0f yuan%s", pts[i].target, c->cost, i + 1 < oc->cfg->opt_nsweep ? ";" : "");
            else
                fprintf(out, " %g: %s%s", pts[i].target, c->status == LT_OPT_INFEASIBLE ? "out of reach" : "no plan",
                        i + 1 < oc->cfg->opt_nsweep ? ";" : "");
        }
        fprintf(out, "\n");
    }
}

/* What the program can optimise with this configuration. */
static int check_config(const lt_config *cfg, lt_error *err)
{
    if (cfg->opt_mode == LT_OPT_EMERGENCY) {
        if (!cfg->opt_emg_costs[0])
            return lt_error_set(err, LT_EINPUT, "%s: [optimize] emergency_costs is not set: expected the measures' "
                                "ranges and costs (level,sector,county,grade,id,max_cut,cost_yuan_per_t,"
                                "stop_yuan_per_day; see docs/optimize.md)", cfg->path);
        if (!cfg->alert_rules[0] || !cfg->measures_file[0])
            return lt_error_set(err, LT_EINPUT, "%s: [assessment] alert_rules and measures are needed by mode = "
                                "emergency (the alert days, their minimum cuts and each grade's required measures)",
                                cfg->path);
        return LT_OK;
    }
    if (!cfg->opt_costs[0])
        return lt_error_set(err, LT_EINPUT, "%s: [optimize] costs is not set: expected the cost segments file "
                            "(sector,county,grade,cut_to,cost_yuan_per_t; see docs/optimize.md)", cfg->path);
    if (!cfg->aqi_rules[0])
        return lt_error_set(err, LT_EINPUT, "%s: [assessment] aqi_rules is not set: expected the AQI rules (the "
                            "optimizer counts good days as they do)", cfg->path);
    if (!cfg->opt_targets[0] && !cfg->opt_nsweep)
        return lt_error_set(err, LT_EINPUT, "%s: neither [optimize] targets (nor [assessment] targets) nor "
                            "good_day_targets is set: expected something to reach", cfg->path);
    if (cfg->ntag_sources)
        return lt_error_set(err, LT_EINPUT, "%s: [output] sources is set: expected none with lantian optimize (its "
                            "groups are sectors)", cfg->path);
    return LT_OK;
}

/* The units' baseline and best reachable values, the good-day prices and
 * the verification. */
static int assess_plan(opt_case *oc, const lt_opt_result *r, const lt_run_options *opt, unit_report *ur,
                       lt_error *err)
{
    size_t nu = (size_t)oc->nunits;
    double *zero = calloc((size_t)oc->nkeys, sizeof *zero), *xmax = calloc((size_t)oc->nkeys, sizeof *xmax);
    ur->base_mean = calloc(nu, sizeof(double));
    ur->best_mean = calloc(nu, sizeof(double));
    ur->ver_mean = calloc(nu, sizeof(double));
    ur->good_price = calloc(nu, sizeof(double));
    ur->base_good = calloc(nu, sizeof(int));
    ur->best_good = calloc(nu, sizeof(int));
    ur->ver_good = calloc(nu, sizeof(int));
    int rc = LT_OK;
    if (!zero || !xmax || !ur->base_mean || !ur->best_mean || !ur->ver_mean || !ur->good_price || !ur->base_good ||
        !ur->best_good || !ur->ver_good)
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    if (!rc) {
        lt_opt_problem p = problem_of(oc);
        for (int g = 0; g < oc->nkeys; g++)
            xmax[g] = lt_opt_max_cut(&oc->group[g]);
        lt_opt_evaluate(&p, zero, ur->base_mean, ur->base_good);
        lt_opt_evaluate(&p, xmax, ur->best_mean, ur->best_good);
        if (!(rc = good_day_prices(oc, r, ur->good_price, err)))
            rc = verify_run(oc, r->cut, opt, ur->ver_mean, ur->ver_good, err);
    }
    free(zero);
    free(xmax);
    return rc;
}

static void unit_report_free(unit_report *ur)
{
    free(ur->base_mean);
    free(ur->best_mean);
    free(ur->ver_mean);
    free(ur->good_price);
    free(ur->base_good);
    free(ur->best_good);
    free(ur->ver_good);
}

/* Baseline, program, verification, sweep, files, report. */
static int optimize_case(opt_case *oc, const lt_run_options *opt, FILE *out, lt_error *err)
{
    lt_summary sum;
    int rc = lt_opt_baseline_run(oc, opt, &sum, err);
    if (rc)
        return rc;
    lt_print_summary(out, oc->cs, &sum, LT_VERSION);
    lt_summary_free(&sum);
    oc->aqi = lt_case_aqi(oc->cs);
    oc->nunits = (int)oc->ncounty + 1;
    oc->ndays = (int)lt_assess_ndays(oc->aqi, oc->cfg->start_s, oc->hours);
    if ((rc = build_problem(oc, err)))
        return rc;
    lt_opt_problem p = problem_of(oc);
    lt_opt_result r;
    unit_report ur = {0};
    curve_point *pts = calloc((size_t)oc->cfg->opt_nsweep + 1, sizeof *pts);
    if (!pts)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    if (!(rc = lt_opt_solve(&p, &r, err))) {
        if (!(rc = assess_plan(oc, &r, opt, &ur, err)) && !(rc = sweep(oc, pts, err)) &&
            !(rc = write_cuts(oc, &r, err)) && !(rc = write_summary(oc, &r, &ur, err)) &&
            !(rc = oc->cfg->opt_nsweep ? write_curve(oc, pts, err) : LT_OK))
            print_report(out, oc, &r, &ur, pts);
        lt_opt_result_free(&r);
    }
    for (int i = 0; i < oc->cfg->opt_nsweep; i++)
        lt_opt_result_free(&pts[i].r);
    free(pts);
    unit_report_free(&ur);
    return rc;
}

int lt_optimize_run(const char *config, const char *const *sets, int nsets, const lt_run_options *opt, FILE *out,
                    lt_error *err)
{
    lt_config cfg;
    opt_case oc;
    memset(&oc, 0, sizeof oc);
    int rc = lt_config_load(&cfg, config, sets, nsets, err);
    if (rc)
        return rc;
    oc.cfg = &cfg;
    if (!(rc = check_config(&cfg, err)) && !(rc = lt_case_load(&oc.cs, &cfg, err))) {
        if (opt->mpi_ranks > 1)
            rc = lt_error_set(err, LT_EINPUT, "lantian optimize runs on one rank: expected no mpirun (threads help)");
        else if (cfg.opt_mode == LT_OPT_EMERGENCY) {
            oc.aqi = lt_case_aqi(oc.cs);
            oc.ncounty = lt_case_station_counties(oc.cs, (const char *const **)&oc.county_names, &oc.county_of);
            rc = lt_emergency_case(&oc, opt, out, err);
        } else if (!(rc = read_tables(&oc, err)))
            rc = optimize_case(&oc, opt, out, err);
    }
    opt_case_free(&oc);
    lt_case_free(&oc.cs);
    lt_config_free(&cfg);
    return rc;
}
