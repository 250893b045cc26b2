/* evaluate_cmd.c — `lantian evaluate RUN.nc --obs PATH... [options]`: a run
 * held against monitoring observations. Reads the run's station series and
 * the observations, calls policy/pairing.c, prints the statistics with the
 * benchmark verdicts, the categorical skill and the observation-anchored
 * scenarios, and writes RUN_evaluation.csv (and _categorical.csv, _rrf.csv). */
#include "app/evaluate_cmd.h"
#include "app/init_cmd.h"
#include "app/text.h"
#include "core/lt_time.h"
#include "policy/pairing.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OBS 64

typedef struct ev_args {
    const char *run, *obs[MAX_OBS], *out, *aqi, *alert, *measures, *compare;
    int nobs, min_hours;
    double match_km;
    unsigned pollutants;
} ev_args;

static int usage_error(const char *why, const char *what)
{
    fprintf(stderr, "lantian: evaluate: %s%s%s (see lantian --help)\n", why, what ? " " : "", what ? what : "");
    return 2;
}

static int parse_pollutants(const char *list, unsigned *mask)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    *mask = 0;
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int p = lt_obs_pollutant_index(tok);
        if (p < 0)
            return usage_error("--pollutant: expected pm25, pm10, so2, no2, co, o3 or o3_8h, not", tok);
        *mask |= 1u << p;
    }
    return 0;
}

static int parse_number(const char *opt, const char *s, double lo, double hi, double *v)
{
    char *end;
    *v = strtod(s, &end);
    if (end == s || *end || !(*v >= lo && *v <= hi)) {
        char why[128];
        snprintf(why, sizeof why, "%s: expected a number from %g to %g, not", opt, lo, hi);
        return usage_error(why, s);
    }
    return 0;
}

static int parse_args(int argc, char **argv, ev_args *a)
{
    memset(a, 0, sizeof *a);
    a->match_km = 1.0;
    a->min_hours = 20;
    a->pollutants = 1u << LT_OBS_PM25;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        int has = i + 1 < argc;
        double v;
        if (!strcmp(s, "--obs") && has) {
            while (i + 1 < argc && argv[i + 1][0] != '-') {
                if (a->nobs == MAX_OBS)
                    return usage_error("--obs: at most 64 files or folders (give the folder)", NULL);
                a->obs[a->nobs++] = argv[++i];
            }
        } else if (!strcmp(s, "--pollutant") && has) {
            if (parse_pollutants(argv[++i], &a->pollutants))
                return 2;
        } else if (!strcmp(s, "--match-km") && has) {
            if (parse_number("--match-km", argv[++i], 0, 100, &a->match_km))
                return 2;
        } else if (!strcmp(s, "--min-hours") && has) {
            if (parse_number("--min-hours", argv[++i], 1, 24, &v))
                return 2;
            a->min_hours = (int)v;
        } else if (!strcmp(s, "--aqi-rules") && has)
            a->aqi = argv[++i];
        else if (!strcmp(s, "--alert-rules") && has)
            a->alert = argv[++i];
        else if (!strcmp(s, "--measures") && has)
            a->measures = argv[++i];
        else if (!strcmp(s, "--compare") && has)
            a->compare = argv[++i];
        else if ((!strcmp(s, "-o") || !strcmp(s, "--output")) && has)
            a->out = argv[++i];
        else if (s[0] == '-')
            return usage_error("unknown or incomplete option", s);
        else if (!a->run)
            a->run = s;
        else
            return usage_error("unexpected argument", s);
    }
    if (!a->run)
        return usage_error("needs the run's output file (RUN.nc)", NULL);
    if (!a->nobs)
        return usage_error("needs --obs FILE_OR_FOLDER...", NULL);
    if (a->compare && !a->measures)
        return usage_error("--compare OTHER.nc goes with --measures SCENARIO", NULL);
    return 0;
}

/* RUN.nc -> RUN_evaluation.csv (the run's path has already been read, so it
 * fits; the fallback only keeps the compiler's truncation check honest). */
static void default_out(const char *run, char *out, size_t n)
{
    char stem[PATH_MAX];
    if (lt_run_stem(run, stem, sizeof stem) || snprintf(out, n, "%s_evaluation.csv", stem) >= (int)n)
        snprintf(out, n, "evaluation.csv");
}

static int load_rules(const ev_args *a, lt_aqi_table *aqi, lt_alert_rules *alerts, int *have_alerts, lt_error *err)
{
    char dir[PATH_MAX], path[PATH_MAX + 64];
    int found = lt_find_policy(dir, sizeof dir);
    const char *aqi_path = a->aqi, *alert_path = a->alert;
    if (!aqi_path) {
        if (!found)
            return lt_error_set(err, LT_EINPUT, "the AQI rules (aqi_HJ633-2012.ini) are neither beside this lantian nor "
                                "installed: expected --aqi-rules FILE");
        snprintf(path, sizeof path, "%s/aqi_HJ633-2012.ini", dir);
        aqi_path = path;
    }
    int rc = lt_aqi_table_read(aqi, aqi_path, err);
    char apath[PATH_MAX + 64];
    if (!rc && !alert_path && found) {
        snprintf(apath, sizeof apath, "%s/alert_2018.ini", dir);
        alert_path = apath;
    }
    *have_alerts = 0;
    if (!rc && alert_path) {
        rc = lt_alert_rules_read(alerts, alert_path, err);
        *have_alerts = !rc;
    }
    return rc;
}

static void print_obs(const ev_args *a, const lt_obs *obs)
{
    lt_obs_counts c = lt_obs_counts_of(obs);
    printf("observations: %zu file%s from %d path%s, %zu data rows, %zu stations; kept %zu values (%zu hourly, %zu "
           "daily)\n", c.files, c.files == 1 ? "" : "s", a->nobs, a->nobs == 1 ? "" : "s", c.rows,
           lt_obs_nstations(obs), c.values, c.hourly, c.daily);
    printf("  dropped: %zu missing, %zu negative, %zu duplicated (%zu of them with another value; the first read kept)\n",
           c.missing, c.negative, c.duplicates, c.conflicting);
}

static void print_matches(const lt_run_series *rs, const lt_obs *obs, const lt_evaluation *ev, double match_km)
{
    size_t by_code = 0;
    for (size_t i = 0; i < rs->nst; i++)
        by_code += ev->match[i].obs >= 0 && ev->match[i].by_code;
    printf("stations: %zu of the run's %zu matched (%zu by code, %zu by distance within %g km); %zu observed station%s "
           "not in the run\n", ev->matched, rs->nst, by_code, ev->matched - by_code, match_km, ev->obs_unmatched,
           ev->obs_unmatched == 1 ? "" : "s");
    for (size_t i = 0; i < rs->nst; i++)
        if (ev->match[i].obs < 0)
            printf("  no observations for run station %s (%s)\n", rs->st[i].id, rs->st[i].name);
        else if (!ev->match[i].by_code)
            printf("  run station %s matched to %s at %.2f km\n", rs->st[i].id,
                   lt_obs_station_at(obs, (size_t)ev->match[i].obs)->code, ev->match[i].km);
    char a[32], b[32], c[32], d[32];
    lt_format_iso8601(ev->run_first, a, sizeof a);
    lt_format_iso8601(ev->run_last + 3600, b, sizeof b);
    lt_format_iso8601(ev->obs_first, c, sizeof c);
    lt_format_iso8601(ev->obs_last + 3600, d, sizeof d);
    printf("periods: run %s to %s, observations %s to %s; paired PM2.5: %zu station-hours, %zu station-days\n", a, b,
           c, d, ev->hours_paired, ev->days_paired);
}

/* v by fmt, or "-" as wide when undefined. */
static void cell(double v, const char *fmt)
{
    if (isnan(v)) {
        char buf[32];
        int w = snprintf(buf, sizeof buf, fmt, 0.0);
        printf("%*s", w, "-");
    } else {
        printf(fmt, v);
    }
}

/* One verdict letter per benchmarked statistic: G goal, C criteria, x neither. */
static char letter(const lt_benchmark *b, const char *metric, const lt_eval_stats *s)
{
    int v = lt_bench_verdict(b, metric, s);
    return v == LT_BENCH_GOAL ? 'G' : v == LT_BENCH_CRITERIA ? 'C' : v == LT_BENCH_NEITHER ? 'x' : '-';
}

static void print_stats(const lt_evaluation *ev, int daily)
{
    const lt_benchmark *b[2];
    int nb = lt_benchmarks_for("pm25", b, 2);
    printf("\nPM2.5, %s (ug m-3; NMB, NME, MFB, MFE in %%; verdicts: G goal, C criteria, x neither%s)\n",
           daily ? "daily means (the averaging the benchmarks are for)" : "hourly values",
           nb == 2 ? "; NMB, NME, r by Emery et al. 2017, MFB, MFE by Boylan & Russell 2006" : "");
    int w = 14;
    for (size_t i = 0; i < ev->nrows; i++)
        if (ev->rows[i].daily == daily && lt_display_width(ev->rows[i].name) + 1 > w)
            w = lt_display_width(ev->rows[i].name) + 1;
    printf("%-8s ", "level");
    lt_put_padded(stdout, "name", w);
    printf("%6s %8s %8s %8s %8s %8s %6s %8s %8s %8s %6s %6s\n", "n", "obs", "model", "NMB", "NME", "r", "", "MFB",
           "MFE", "RMSE", "IOA", "FAC2");
    for (size_t i = 0; i < ev->nrows; i++) {
        const lt_eval_row *r = &ev->rows[i];
        if (r->daily != daily)
            continue;
        printf("%-8s ", r->level);
        lt_put_padded(stdout, r->name, w);
        printf("%6zu", r->s.n);
        cell(r->s.obs_mean, " %7.1f");
        cell(r->s.mod_mean, " %7.1f");
        cell(r->s.nmb, " %7.1f");
        cell(r->s.nme, " %7.1f");
        cell(r->s.r, " %7.2f");
        printf("  %c%c%c  ", letter(b[0], "nmb", &r->s), letter(b[0], "nme", &r->s), letter(b[0], "r", &r->s));
        cell(r->s.mfb, " %7.1f");
        cell(r->s.mfe, " %7.1f");
        cell(r->s.rmse, " %7.1f");
        cell(r->s.ioa, " %5.2f");
        cell(r->s.fac2, " %5.2f");
        if (nb == 2)
            printf("  %c%c", letter(b[1], "mfb", &r->s), letter(b[1], "mfe", &r->s));
        printf("\n");
    }
}

static void print_cats(const lt_evaluation *ev, int have_alerts)
{
    printf("\nDaily AQI from PM2.5 (HJ 633-2012), station-days pooled: category hit rate; heavy-pollution days (AQI > "
           "200)%s: POD, FAR, CSI (hits/misses/false alarms)\n", have_alerts ? " and alert days" : "");
    for (size_t i = 0; i < ev->ncats; i++) {
        const lt_eval_cat *c = &ev->cats[i];
        if (strcmp(c->level, "station") == 0)
            continue;
        printf("%-8s ", c->level);
        lt_put_padded(stdout, c->name, 14);
        printf("%4zu days, category %5.1f %%;", c->ndays, c->ndays ? 100.0 * (double)c->cat_hits / (double)c->ndays : 0.0);
        const lt_contingency *t[2] = {&c->heavy, &c->alert};
        for (int k = 0; k < 1 + have_alerts; k++) {
            printf(" %s", k ? "alert" : "heavy");
            cell(t[k]->pod, " %4.2f");
            cell(t[k]->far, " %4.2f");
            cell(t[k]->csi, " %4.2f");
            printf(" (%zu/%zu/%zu)%s", t[k]->a, t[k]->b, t[k]->c, k || !have_alerts ? "" : ";");
        }
        printf("\n");
    }
}

static void print_rrf(const lt_evaluation *ev)
{
    if (!ev->nrrf)
        return;
    printf("\nScenarios anchored to the observations (RRF = scenario / baseline modelled mean over the paired days, "
           "per station, applied to each observed day; city = mean of the stations each day)\n");
    printf("%-12s %6s %5s %9s %9s %9s %9s   %s\n", "scenario", "RRF", "days", "observed", "anchored", "model", "model",
           "good days: observed -> anchored (model: baseline -> scenario)");
    printf("%-12s %6s %5s %9s %9s %9s %9s\n", "", "", "", "mean", "mean", "baseline", "scenario");
    for (size_t i = 0; i < ev->nrrf; i++) {
        const lt_eval_rrf *r = &ev->rrf[i];
        if (strcmp(r->level, "all"))
            continue;
        lt_put_padded(stdout, r->scenario, 12);
        printf(" %6.3f %5zu %9.1f %9.1f %9.1f %9.1f   %d -> %d (%d -> %d)\n", r->rrf, r->ndays, r->obs_mean,
               r->anchored_mean, r->base_mean, r->scen_mean, r->good_obs, r->good_anchored, r->good_base, r->good_scen);
    }
}

static void print_episode(const lt_episode *ep)
{
    printf("\nThe measures applied (scenario '%s') over the observed %s: modelled without and with them, their "
           "effect%s (ug m-3)\n", ep->scenario, ep->daily ? "days" : "hours",
           ep->compared ? "; the change from the other period split into weather and emissions" : "");
    printf("%-8s %-10s %5s %9s %9s %9s %8s %7s", "level", "name", "n", "observed", "without", "with", "effect", "%");
    if (ep->compared)
        printf(" %9s %8s %8s %9s", "other obs", "change", "weather", "emissions");
    printf("\n");
    for (size_t i = 0; i < ep->nrows; i++) {
        const lt_episode_row *r = &ep->rows[i];
        printf("%-8s ", r->level);
        lt_put_padded(stdout, r->name, 10);
        printf(" %5zu", r->n);
        cell(r->obs, " %9.1f");
        cell(r->without, " %9.1f");
        cell(r->with, " %9.1f");
        cell(r->effect, " %8.2f");
        cell(r->effect_pct, " %7.1f");
        if (ep->compared) {
            cell(r->other_obs, " %9.1f");
            cell(r->d_obs, " %8.2f");
            cell(r->d_weather, " %8.2f");
            cell(r->d_emissions, " %9.2f");
        }
        printf("\n");
    }
    printf("effect by source tag (mean over the station samples):");
    for (size_t j = 0; j < ep->ntag; j++)
        printf(" %s %.2f", ep->tag[j], ep->tag_effect[j]);
    printf("\n");
}

/* --measures [--compare]: the after-episode assessment, printed and written beside out. */
static int do_episode(const ev_args *a, const lt_run_series *rs, const lt_obs *obs, const lt_evaluation *ev,
                      const char *out, lt_error *err)
{
    lt_run_series other;
    int rc = a->compare ? lt_run_series_read(a->compare, &other, err) : LT_OK;
    if (rc)
        return rc;
    lt_episode ep;
    if (!(rc = lt_episode_assess(rs, a->compare ? &other : NULL, obs, ev, a->measures, a->min_hours, &ep, err))) {
        char path[PATH_MAX], tidy[PATH_MAX];
        size_t len = strlen(out);
        snprintf(path, sizeof path, "%.*s_episode.csv", (int)(len > 4 && !strcmp(out + len - 4, ".csv") ? len - 4 : len),
                 out);
        print_episode(&ep);
        if (!(rc = lt_episode_write(&ep, path, err))) {
            lt_tidy_path(path, tidy, sizeof tidy);
            printf("wrote %s\n", tidy);
        }
        lt_episode_free(&ep);
    }
    if (a->compare)
        lt_run_series_free(&other);
    return rc;
}

static int run_eval(const ev_args *a, lt_error *err)
{
    lt_aqi_table aqi;
    lt_alert_rules alerts;
    int have_alerts = 0;
    lt_obs *obs = NULL;
    lt_run_series rs;
    lt_evaluation ev;
    int rc = load_rules(a, &aqi, &alerts, &have_alerts, err);
    if (rc || (rc = lt_obs_create(&obs, err)))
        return rc;
    for (int i = 0; i < a->nobs && !rc; i++)
        rc = lt_obs_read(obs, a->obs[i], err);
    if (!rc)
        rc = lt_obs_finish(obs, err);
    if (!rc && !(rc = lt_run_series_read(a->run, &rs, err))) {
        lt_eval_opts o = {a->match_km, a->min_hours, &aqi, have_alerts ? &alerts : NULL, a->pollutants};
        if (!(rc = lt_evaluate(&rs, obs, &o, &ev, err))) {
            char out[PATH_MAX], tidy[PATH_MAX];
            default_out(a->run, out, sizeof out);
            if (a->out)
                snprintf(out, sizeof out, "%s", a->out);
            lt_tidy_path(rs.path, tidy, sizeof tidy);
            printf("lantian evaluate: %s\n", tidy);
            print_obs(a, obs);
            print_matches(&rs, obs, &ev, a->match_km);
            print_stats(&ev, 1);
            print_stats(&ev, 0);
            print_cats(&ev, have_alerts);
            print_rrf(&ev);
            if (!(rc = lt_evaluation_write(&ev, out, err))) {
                lt_tidy_path(out, tidy, sizeof tidy);
                printf("\nwrote %s (statistics), and beside it _categorical.csv, _pairs.csv%s\n", tidy,
                       ev.nrrf ? ", _rrf.csv" : "");
            }
            if (!rc && a->measures)
                rc = do_episode(a, &rs, obs, &ev, out, err);
            lt_evaluation_free(&ev);
        }
        lt_run_series_free(&rs);
    }
    lt_obs_free(&obs);
    return rc;
}

int lt_evaluate_command(int argc, char **argv)
{
    ev_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    lt_error err;
    lt_error_clear(&err);
    if (run_eval(&a, &err)) {
        fflush(stdout);
        fprintf(stderr, "lantian: error: %s\n", err.msg);
        return 1;
    }
    return 0;
}
