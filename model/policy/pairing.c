/* pairing.c — model against observations (see pairing.h). */
#include "policy/pairing.h"
#include "core/lt_time.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY_S 86400.0

/* The paired series of the run's stations (PM2.5). */
typedef struct series {
    size_t nst, nt, nd;
    double day0;          /* start of the first CST day, UTC s */
    double *mod_h, *obs_h;   /* [nst][nt] */
    double *mod_d, *obs_d;   /* [nst][nd] */
} series;

/* Great-circle distance, km (haversine, mean Earth radius 6371 km). */
static double km_between(double lon1, double lat1, double lon2, double lat2)
{
    const double r = M_PI / 180.0;
    double dl = (lat2 - lat1) * r, dn = (lon2 - lon1) * r;
    double a = sin(dl / 2) * sin(dl / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dn / 2) * sin(dn / 2);
    return 2.0 * 6371.0 * asin(fmin(1.0, sqrt(a)));
}

static int match_stations(const lt_run_series *rs, const lt_obs *obs, double match_km, lt_evaluation *ev,
                          lt_error *err)
{
    ev->match = calloc(rs->nst, sizeof *ev->match);
    char *used = calloc(lt_obs_nstations(obs) + 1, 1);
    if (!ev->match || !used) {
        free(used);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < rs->nst; i++) {
        lt_eval_match *m = &ev->match[i];
        const lt_rs_station *s = &rs->st[i];
        m->obs = lt_obs_find_station(obs, s->code[0] ? s->code : s->id);
        m->by_code = m->obs >= 0;
        m->km = NAN;
        for (size_t k = 0; m->obs < 0 && match_km > 0 && k < lt_obs_nstations(obs); k++) {
            const lt_obs_station *o = lt_obs_station_at(obs, k);
            double d = isnan(o->lon) ? INFINITY : km_between(s->lon, s->lat, o->lon, o->lat);
            if (d <= match_km && (isnan(m->km) || d < m->km))
                m->km = d;
        }
        for (size_t k = 0; m->obs < 0 && !isnan(m->km) && k < lt_obs_nstations(obs); k++) {
            const lt_obs_station *o = lt_obs_station_at(obs, k);
            if (!isnan(o->lon) && km_between(s->lon, s->lat, o->lon, o->lat) == m->km)
                m->obs = (long)k;
        }
        if (m->obs >= 0) {
            const lt_obs_station *o = lt_obs_station_at(obs, (size_t)m->obs);
            if (isnan(m->km))
                m->km = isnan(o->lon) ? NAN : km_between(s->lon, s->lat, o->lon, o->lat);
            used[m->obs] = 1;
            ev->matched++;
        }
    }
    for (size_t k = 0; k < lt_obs_nstations(obs); k++)
        ev->obs_unmatched += !used[k];
    free(used);
    if (!ev->matched)
        return lt_error_set(err, LT_EINPUT, "%s: none of the run's %zu stations has observations: expected their code "
                            "(the stations file's code column, else the id) among the %zu observed stations%s",
                            rs->path, rs->nst, lt_obs_nstations(obs),
                            match_km > 0 ? " or an observed station within the matching distance" : "");
    return LT_OK;
}

/* Every finite pair of the series into ev->pairs. */
static int collect_pairs(const lt_run_series *rs, const series *p, lt_evaluation *ev, lt_error *err)
{
    size_t cap = p->nst * (p->nt + p->nd);
    ev->pairs = malloc((cap ? cap : 1) * sizeof *ev->pairs);
    ev->station_id = calloc(p->nst, sizeof *ev->station_id);
    if (!ev->pairs || !ev->station_id)
        return lt_error_set(err, LT_ENOMEM, "out of memory for the pairs");
    for (size_t i = 0; i < p->nst; i++)
        snprintf(ev->station_id[i], sizeof ev->station_id[i], "%s", rs->st[i].id);
    for (int daily = 0; daily < 2; daily++)
        for (size_t i = 0; i < p->nst; i++) {
            size_t n = daily ? p->nd : p->nt;
            const double *m = (daily ? p->mod_d : p->mod_h) + i * n, *o = (daily ? p->obs_d : p->obs_h) + i * n;
            for (size_t t = 0; t < n; t++)
                if (!isnan(m[t]) && !isnan(o[t]))
                    ev->pairs[ev->npairs++] = (lt_eval_pair){i, daily, daily ? p->day0 + DAY_S * (double)t : rs->t_start[t],
                                                             o[t], m[t]};
        }
    return LT_OK;
}

static void free_series(series *p)
{
    free(p->mod_h);
    free(p->obs_h);
    free(p->mod_d);
    free(p->obs_d);
}

/* Daily means of an hourly series on the CST days from day0 (NaN: fewer
 * than min_hours values). */
static void daily_means(const double *h, const double *t_start, size_t nt, double day0, size_t nd,
                        int min_hours, double *d)
{
    double *sum = calloc(nd, sizeof *sum);
    int *cnt = calloc(nd, sizeof *cnt);
    for (size_t t = 0; sum && cnt && t < nt; t++) {
        long k = lt_local_day_index(t_start[t], day0);
        if (k >= 0 && (size_t)k < nd && !isnan(h[t])) {
            sum[k] += h[t];
            cnt[k]++;
        }
    }
    for (size_t k = 0; k < nd; k++)
        d[k] = sum && cnt && cnt[k] >= min_hours && cnt[k] > 0 ? sum[k] / cnt[k] : NAN;
    free(sum);
    free(cnt);
}

static int make_series(const lt_run_series *rs, const lt_obs *obs, const lt_evaluation *ev, int min_hours,
                       series *p, lt_error *err)
{
    memset(p, 0, sizeof *p);
    p->nst = rs->nst;
    p->nt = rs->nt;
    p->day0 = lt_local_day_start(rs->t_start[0], LT_OBS_UTC_OFFSET_H);
    p->nd = (size_t)lt_local_day_index(rs->t_start[rs->nt - 1], p->day0) + 1;
    p->mod_h = malloc(p->nst * p->nt * sizeof *p->mod_h);
    p->obs_h = malloc(p->nst * p->nt * sizeof *p->obs_h);
    p->mod_d = malloc(p->nst * p->nd * sizeof *p->mod_d);
    p->obs_d = malloc(p->nst * p->nd * sizeof *p->obs_d);
    if (!p->mod_h || !p->obs_h || !p->mod_d || !p->obs_d) {
        free_series(p);
        return lt_error_set(err, LT_ENOMEM, "out of memory for %zu stations x %zu hours", p->nst, p->nt);
    }
    for (size_t i = 0; i < p->nst; i++) {
        long o = ev->match[i].obs;
        double *mh = p->mod_h + i * p->nt, *oh = p->obs_h + i * p->nt;
        for (size_t t = 0; t < p->nt; t++) {
            mh[t] = rs->pm25[t * rs->nst + i];
            oh[t] = o >= 0 ? lt_obs_hourly(obs, (size_t)o, LT_OBS_PM25, rs->t_start[t]) : NAN;
        }
        daily_means(mh, rs->t_start, p->nt, p->day0, p->nd, min_hours, p->mod_d + i * p->nd);
        for (size_t k = 0; k < p->nd; k++)
            p->obs_d[i * p->nd + k] =
                o >= 0 ? lt_obs_daily(obs, (size_t)o, LT_OBS_PM25, p->day0 + DAY_S * (double)k, min_hours, NULL) : NAN;
    }
    return LT_OK;
}

/* The group name of run station i at a level ("" = in no group). */
static const char *group_of(const lt_run_series *rs, const lt_obs *obs, const lt_evaluation *ev, size_t i,
                            const char *level)
{
    if (ev->match[i].obs < 0)
        return "";
    if (!strcmp(level, "station"))
        return rs->st[i].id;
    if (!strcmp(level, "county"))
        return rs->st[i].county;
    if (!strcmp(level, "city"))
        return rs->st[i].city[0] ? rs->st[i].city : lt_obs_station_at(obs, (size_t)ev->match[i].obs)->city;
    return "all";
}

static const char *const levels[] = {"station", "county", "city", "all"};

static int push_row(lt_evaluation *ev, const lt_eval_row *r, lt_error *err)
{
    lt_eval_row *n = realloc(ev->rows, (ev->nrows + 1) * sizeof *n);
    if (!n)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    ev->rows = n;
    ev->rows[ev->nrows++] = *r;
    return LT_OK;
}

/* Statistics of one group: the pairs of its stations pooled. */
static int group_stats(const series *p, const char *const *grp, const char *name, int daily, double *bm,
                       double *bo, lt_eval_stats *s)
{
    size_t n = daily ? p->nd : p->nt, k = 0;
    const double *m = daily ? p->mod_d : p->mod_h, *o = daily ? p->obs_d : p->obs_h;
    for (size_t i = 0; i < p->nst; i++)
        if (!strcmp(grp[i], name) && grp[i][0])
            for (size_t t = 0; t < n; t++) {
                bm[k] = m[i * n + t];
                bo[k++] = o[i * n + t];
            }
    lt_eval_compute(bm, bo, k, s);
    return k > 0;
}

static int stats_rows(const lt_run_series *rs, const lt_obs *obs, lt_evaluation *ev, const series *p,
                      lt_error *err)
{
    int rc = LT_OK;
    size_t cap = p->nst * (p->nt > p->nd ? p->nt : p->nd);
    double *bm = malloc(cap * sizeof *bm), *bo = malloc(cap * sizeof *bo);
    const char **grp = malloc(p->nst * sizeof *grp);
    if (!bm || !bo || !grp)
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int daily = 0; daily < 2 && !rc; daily++)
        for (size_t l = 0; l < sizeof levels / sizeof *levels && !rc; l++) {
            for (size_t i = 0; i < p->nst; i++)
                grp[i] = group_of(rs, obs, ev, i, levels[l]);
            for (size_t i = 0; i < p->nst && !rc; i++) {
                int first = grp[i][0] != '\0';
                for (size_t q = 0; q < i && first; q++)
                    first = strcmp(grp[q], grp[i]) != 0;
                if (!first)
                    continue;
                lt_eval_row r = {.pollutant = LT_OBS_PM25, .daily = daily};
                snprintf(r.level, sizeof r.level, "%s", levels[l]);
                snprintf(r.name, sizeof r.name, "%s", grp[i]);
                group_stats(p, grp, grp[i], daily, bm, bo, &r.s);
                rc = push_row(ev, &r, err);
                if (!strcmp(levels[l], "all"))
                    *(daily ? &ev->days_paired : &ev->hours_paired) = r.s.n;
            }
        }
    free(bm);
    free(bo);
    free(grp);
    return rc;
}

/* Alert day flags of a daily AQI series (each day's AQI held over its 24
 * hours; -1 missing) under the rules. */
static void alert_days(const lt_alert_rules *r, const int *aqi_d, size_t nd, int *day_alert)
{
    int *h = calloc(nd * 24 + 1, sizeof *h), *lev = calloc(nd * 24 + 1, sizeof *lev);
    for (size_t k = 0; k < nd; k++)
        day_alert[k] = 0;
    if (h && lev) {
        for (size_t k = 0; k < nd * 24; k++)
            h[k] = aqi_d[k / 24];
        lt_alert_levels(r, h, nd * 24, 0, lev);
        for (size_t k = 0; k < nd * 24; k++)
            day_alert[k / 24] |= lev[k] > 0;
    }
    free(h);
    free(lev);
}

/* The categorical skill of one station's days into c. */
static void station_cats(const lt_eval_opts *o, const series *p, size_t i, lt_eval_cat *c)
{
    size_t nd = p->nd;
    int *ao = malloc(nd * sizeof *ao), *am = malloc(nd * sizeof *am);
    int *fo = malloc(nd * sizeof *fo), *fm = malloc(nd * sizeof *fm);
    if (ao && am && fo && fm) {
        for (size_t k = 0; k < nd; k++) {
            double vo = p->obs_d[i * nd + k], vm = p->mod_d[i * nd + k];
            int both = !isnan(vo) && !isnan(vm);
            ao[k] = both ? lt_iaqi_pm25(o->aqi, vo) : -1;
            am[k] = both ? lt_iaqi_pm25(o->aqi, vm) : -1;
        }
        if (o->alerts) {
            alert_days(o->alerts, ao, nd, fo);
            alert_days(o->alerts, am, nd, fm);
        }
        for (size_t k = 0; k < nd; k++) {
            if (ao[k] < 0)
                continue;
            c->ndays++;
            c->cat_hits += lt_aqi_category(o->aqi, ao[k]) == lt_aqi_category(o->aqi, am[k]);
            lt_contingency_add(&c->heavy, ao[k] > 200, am[k] > 200);
            if (o->alerts)
                lt_contingency_add(&c->alert, fo[k], fm[k]);
        }
    }
    free(ao);
    free(am);
    free(fo);
    free(fm);
}

static int cat_rows(const lt_run_series *rs, const lt_obs *obs, const lt_eval_opts *o, lt_evaluation *ev,
                    const series *p, lt_error *err)
{
    lt_eval_cat *per = calloc(p->nst, sizeof *per);
    if (!per)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->nst; i++)
        if (ev->match[i].obs >= 0)
            station_cats(o, p, i, &per[i]);
    int rc = LT_OK;
    for (size_t l = 0; l < sizeof levels / sizeof *levels && !rc; l++)
        for (size_t i = 0; i < p->nst && !rc; i++) {
            const char *g = group_of(rs, obs, ev, i, levels[l]);
            int first = g[0] != '\0';
            for (size_t q = 0; q < i && first; q++)
                first = strcmp(group_of(rs, obs, ev, q, levels[l]), g) != 0;
            if (!first)
                continue;
            lt_eval_cat c = {0};
            snprintf(c.level, sizeof c.level, "%s", levels[l]);
            snprintf(c.name, sizeof c.name, "%s", g);
            for (size_t q = i; q < p->nst; q++)
                if (!strcmp(group_of(rs, obs, ev, q, levels[l]), g)) {
                    c.ndays += per[q].ndays;
                    c.cat_hits += per[q].cat_hits;
                    c.heavy.a += per[q].heavy.a, c.heavy.b += per[q].heavy.b;
                    c.heavy.c += per[q].heavy.c, c.heavy.d += per[q].heavy.d;
                    c.alert.a += per[q].alert.a, c.alert.b += per[q].alert.b;
                    c.alert.c += per[q].alert.c, c.alert.d += per[q].alert.d;
                }
            lt_contingency_scores(&c.heavy);
            lt_contingency_scores(&c.alert);
            lt_eval_cat *n = realloc(ev->cats, (ev->ncats + 1) * sizeof *n);
            if (!n) {
                rc = lt_error_set(err, LT_ENOMEM, "out of memory");
                break;
            }
            ev->cats = n;
            ev->cats[ev->ncats++] = c;
        }
    free(per);
    return rc;
}

static int good_day(const lt_aqi_table *t, double c) { return !isnan(c) && lt_aqi_category(t, lt_iaqi_pm25(t, c)) <= 1; }

/* One scenario's anchored days at every station, and the city (the mean of
 * the stations observed each day). */
static int rrf_scenario(const lt_run_series *rs, const lt_eval_opts *o, lt_evaluation *ev, const series *p,
                        size_t s, double *scen_h, double *scen_d, lt_error *err)
{
    size_t nd = p->nd;
    double *city = calloc(5 * nd, sizeof *city); /* obs, anchored, base, scen sums and counts per day */
    lt_eval_rrf *n = realloc(ev->rrf, (ev->nrrf + p->nst + 1) * sizeof *n);
    if (!city || !n) {
        free(city);
        if (n)
            ev->rrf = n;
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    ev->rrf = n;
    double sb = 0, ss = 0;
    for (size_t i = 0; i < p->nst; i++) {
        if (ev->match[i].obs < 0)
            continue;
        for (size_t t = 0; t < p->nt; t++)
            scen_h[t] = rs->scen_pm25[(t * rs->nscen + s) * rs->nst + i];
        daily_means(scen_h, rs->t_start, p->nt, p->day0, nd, o->min_hours, scen_d);
        const double *base = p->mod_d + i * nd, *ob = p->obs_d + i * nd;
        lt_eval_rrf r = {.rrf = lt_rrf(base, scen_d, ob, nd)};
        snprintf(r.scenario, sizeof r.scenario, "%s", rs->scen[s]);
        snprintf(r.level, sizeof r.level, "station");
        snprintf(r.name, sizeof r.name, "%s", rs->st[i].id);
        for (size_t k = 0; k < nd; k++) {
            if (isnan(ob[k]) || isnan(base[k]) || isnan(scen_d[k]))
                continue;
            double an = ob[k] * r.rrf;
            r.ndays++;
            r.obs_mean += ob[k], r.base_mean += base[k], r.scen_mean += scen_d[k], r.anchored_mean += an;
            r.good_obs += good_day(o->aqi, ob[k]), r.good_anchored += good_day(o->aqi, an);
            r.good_base += good_day(o->aqi, base[k]), r.good_scen += good_day(o->aqi, scen_d[k]);
            city[k] += ob[k], city[nd + k] += an, city[2 * nd + k] += base[k], city[3 * nd + k] += scen_d[k];
            city[4 * nd + k] += 1;
            sb += base[k], ss += scen_d[k];
        }
        if (r.ndays) {
            double dn = (double)r.ndays;
            r.obs_mean /= dn, r.base_mean /= dn, r.scen_mean /= dn, r.anchored_mean /= dn;
        }
        ev->rrf[ev->nrrf++] = r;
    }
    lt_eval_rrf c = {.rrf = sb != 0 ? ss / sb : NAN};
    snprintf(c.scenario, sizeof c.scenario, "%s", rs->scen[s]);
    snprintf(c.level, sizeof c.level, "all");
    snprintf(c.name, sizeof c.name, "all");
    for (size_t k = 0; k < nd; k++) {
        double cn = city[4 * nd + k];
        if (cn == 0)
            continue;
        double d[4] = {city[k] / cn, city[nd + k] / cn, city[2 * nd + k] / cn, city[3 * nd + k] / cn};
        c.ndays++;
        c.obs_mean += d[0], c.anchored_mean += d[1], c.base_mean += d[2], c.scen_mean += d[3];
        c.good_obs += good_day(o->aqi, d[0]), c.good_anchored += good_day(o->aqi, d[1]);
        c.good_base += good_day(o->aqi, d[2]), c.good_scen += good_day(o->aqi, d[3]);
    }
    if (c.ndays) {
        double dn = (double)c.ndays;
        c.obs_mean /= dn, c.base_mean /= dn, c.scen_mean /= dn, c.anchored_mean /= dn;
    }
    ev->rrf[ev->nrrf++] = c;
    free(city);
    return LT_OK;
}

static int rrf_rows(const lt_run_series *rs, const lt_eval_opts *o, lt_evaluation *ev, const series *p,
                    lt_error *err)
{
    if (!rs->nscen || !rs->scen_pm25)
        return LT_OK;
    double *scen_h = malloc(p->nt * sizeof *scen_h), *scen_d = malloc(p->nd * sizeof *scen_d);
    int rc = scen_h && scen_d ? LT_OK : lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t s = 0; s < rs->nscen && !rc; s++)
        rc = rrf_scenario(rs, o, ev, p, s, scen_h, scen_d, err);
    free(scen_h);
    free(scen_d);
    return rc;
}

static int check_inputs(const lt_run_series *rs, const lt_obs *obs, const lt_eval_opts *o, lt_evaluation *ev,
                        lt_error *err)
{
    for (int pol = 0; pol < LT_OBS_NPOL; pol++)
        if ((o->pollutants >> pol & 1u) && pol != LT_OBS_PM25)
            return lt_error_set(err, LT_EINPUT, "pollutant '%s': the run models PM2.5 only (expected --pollutant pm25)",
                                lt_obs_pollutant_name(pol));
    if (!lt_obs_has(obs, LT_OBS_PM25))
        return lt_error_set(err, LT_EINPUT, "the observations hold no PM2.5 value: expected pm2_5 (CNEMC) or pollutant pm25");
    ev->run_first = rs->t_start[0];
    ev->run_last = rs->t_start[rs->nt - 1];
    lt_obs_period(obs, &ev->obs_first, &ev->obs_last);
    if (ev->obs_last < ev->run_first || ev->obs_first > ev->run_last + 3600.0) {
        char a[32], b[32], c[32], d[32];
        lt_format_iso8601(ev->run_first, a, sizeof a);
        lt_format_iso8601(ev->run_last + 3600.0, b, sizeof b);
        lt_format_iso8601(ev->obs_first, c, sizeof c);
        lt_format_iso8601(ev->obs_last + 3600.0, d, sizeof d);
        return lt_error_set(err, LT_EINPUT, "%s: the run covers %s to %s, the observations %s to %s: expected periods "
                            "that overlap", rs->path, a, b, c, d);
    }
    return LT_OK;
}

int lt_evaluate(const lt_run_series *rs, const lt_obs *obs, const lt_eval_opts *o, lt_evaluation *ev,
                lt_error *err)
{
    memset(ev, 0, sizeof *ev);
    ev->categorical_from = LT_OBS_PM25;
    series p;
    int rc = check_inputs(rs, obs, o, ev, err);
    if (!rc)
        rc = match_stations(rs, obs, o->match_km, ev, err);
    if (!rc && !(rc = make_series(rs, obs, ev, o->min_hours, &p, err))) {
        if (!(rc = stats_rows(rs, obs, ev, &p, err)) && !(rc = cat_rows(rs, obs, o, ev, &p, err)) &&
            !(rc = rrf_rows(rs, o, ev, &p, err)))
            rc = collect_pairs(rs, &p, ev, err);
        free_series(&p);
    }
    if (!rc && ev->hours_paired == 0 && ev->days_paired == 0)
        rc = lt_error_set(err, LT_EINPUT, "%s: the matched stations have no observed hour or day inside the run",
                          rs->path);
    if (rc)
        lt_evaluation_free(ev);
    return rc;
}

void lt_evaluation_free(lt_evaluation *ev)
{
    free(ev->rows);
    free(ev->cats);
    free(ev->rrf);
    free(ev->match);
    free(ev->pairs);
    free(ev->station_id);
    memset(ev, 0, sizeof *ev);
}

/* A number for the CSV: empty when undefined. */
static void num(FILE *f, double v) { v != v ? fputs(",", f) : fprintf(f, ",%.6g", v); }

static void csv_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
}

static void write_stats(FILE *f, const void *ctx)
{
    const lt_evaluation *ev = ctx;
    fputs("pollutant,averaging,level,name,n,obs_mean,mod_mean,mb,nmb,nme,mfb,mfe,rmse,r,ioa,fac2\n", f);
    for (size_t i = 0; i < ev->nrows; i++) {
        const lt_eval_row *r = &ev->rows[i];
        fprintf(f, "%s,%s,%s,", lt_obs_pollutant_name(r->pollutant), r->daily ? "day" : "hour", r->level);
        csv_text(f, r->name);
        fprintf(f, ",%zu", r->s.n);
        const double v[] = {r->s.obs_mean, r->s.mod_mean, r->s.mb, r->s.nmb, r->s.nme, r->s.mfb,
                            r->s.mfe, r->s.rmse, r->s.r, r->s.ioa, r->s.fac2};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            num(f, v[k]);
        fputc('\n', f);
    }
}

static void write_cats(FILE *f, const void *ctx)
{
    const lt_evaluation *ev = ctx;
    fputs("pollutant,level,name,days,category_hits,category_hit_rate,event,hits,misses,false_alarms,"
          "correct_negatives,pod,far,csi\n", f);
    for (size_t i = 0; i < ev->ncats; i++) {
        const lt_eval_cat *c = &ev->cats[i];
        const lt_contingency *t[2] = {&c->heavy, &c->alert};
        static const char *const what[2] = {"heavy_day_aqi_gt_200", "alert_day"};
        for (int k = 0; k < 2; k++) {
            fprintf(f, "%s,%s,", lt_obs_pollutant_name(ev->categorical_from), c->level);
            csv_text(f, c->name);
            fprintf(f, ",%zu,%zu", c->ndays, c->cat_hits);
            num(f, c->ndays ? (double)c->cat_hits / (double)c->ndays : NAN);
            fprintf(f, ",%s,%zu,%zu,%zu,%zu", what[k], t[k]->a, t[k]->b, t[k]->c, t[k]->d);
            num(f, t[k]->pod);
            num(f, t[k]->far);
            num(f, t[k]->csi);
            fputc('\n', f);
        }
    }
}

static void write_rrf(FILE *f, const void *ctx)
{
    const lt_evaluation *ev = ctx;
    fputs("scenario,level,name,days,obs_mean,base_mean,scenario_mean,rrf,anchored_mean,good_days_obs,"
          "good_days_anchored,good_days_model_base,good_days_model_scenario\n", f);
    for (size_t i = 0; i < ev->nrrf; i++) {
        const lt_eval_rrf *r = &ev->rrf[i];
        csv_text(f, r->scenario);
        fprintf(f, ",%s,", r->level);
        csv_text(f, r->name);
        fprintf(f, ",%zu", r->ndays);
        const double v[] = {r->obs_mean, r->base_mean, r->scen_mean, r->rrf, r->anchored_mean};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            num(f, r->ndays ? v[k] : NAN);
        fprintf(f, ",%d,%d,%d,%d\n", r->good_obs, r->good_anchored, r->good_base, r->good_scen);
    }
}

static void write_pairs(FILE *f, const void *ctx)
{
    const lt_evaluation *ev = ctx;
    fputs("station,averaging,time,obs,model\n", f);
    for (size_t i = 0; i < ev->npairs; i++) {
        const lt_eval_pair *q = &ev->pairs[i];
        char t[32];
        lt_format_iso8601(q->t_s, t, sizeof t);
        csv_text(f, ev->station_id[q->station]);
        fprintf(f, ",%s,%s,%.6g,%.6g\n", q->daily ? "day" : "hour", t, q->obs, q->mod);
    }
}

/* Writes one table into path.partial (renamed by the caller). */
static int write_table(const char *path, const void *ctx, void (*fill)(FILE *, const void *), lt_error *err)
{
    char tmp[4300];
    if (snprintf(tmp, sizeof tmp, "%s.partial", path) >= (int)sizeof tmp)
        return lt_error_set(err, LT_EINPUT, "%s: path too long", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return lt_error_set(err, LT_EIO, "%s: cannot write: %s", tmp, strerror(errno));
    fill(f, ctx);
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (bad)
        return lt_error_set(err, LT_EIO, "%s: cannot write the table (disk full?)", path);
    return LT_OK;
}

int lt_evaluation_write(const lt_evaluation *ev, const char *csv, lt_error *err)
{
    size_t len = strlen(csv);
    int stem = len > 4 && !strcmp(csv + len - 4, ".csv") ? (int)(len - 4) : (int)len;
    char path[4][4200];
    void (*fill[4])(FILE *, const void *) = {write_stats, write_cats, write_pairs, write_rrf};
    static const char *const tail[4] = {".csv", "_categorical.csv", "_pairs.csv", "_rrf.csv"};
    int n = ev->nrrf ? 4 : 3, rc = LT_OK, made = 0;
    for (int i = 0; i < n; i++)
        if (snprintf(path[i], sizeof path[i], "%.*s%s", stem, csv, i ? tail[i] : csv + stem) >= (int)sizeof path[i])
            return lt_error_set(err, LT_EINPUT, "%s: path too long", csv);
    for (; made < n && !rc; made++)
        rc = write_table(path[made], ev, fill[made], err);
    for (int i = 0; i < made; i++) {
        char tmp[4300];
        if (snprintf(tmp, sizeof tmp, "%s.partial", path[i]) >= (int)sizeof tmp)
            continue;
        if (rc)
            unlink(tmp);
        else if (rename(tmp, path[i]) != 0)
            rc = lt_error_set(err, LT_EIO, "%s: cannot rename %s to it: %s", path[i], tmp, strerror(errno));
    }
    return rc;
}

/* ---- after an episode: the measures' effect, weather against emissions ---- */

/* Station i's samples of an hourly series x[t * stride] (t < nt): the CST
 * days' means (daily) or the hours; n samples into out. */
static size_t samples_of(const lt_run_series *rs, const double *x, size_t stride, int daily, int min_hours,
                         double *tmp, double *out)
{
    for (size_t t = 0; t < rs->nt; t++)
        tmp[t] = x[t * stride];
    if (!daily) {
        memcpy(out, tmp, rs->nt * sizeof *out);
        return rs->nt;
    }
    double day0 = lt_local_day_start(rs->t_start[0], LT_OBS_UTC_OFFSET_H);
    size_t nd = (size_t)lt_local_day_index(rs->t_start[rs->nt - 1], day0) + 1;
    daily_means(tmp, rs->t_start, rs->nt, day0, nd, min_hours, out);
    return nd;
}

/* The observed samples of observation station o matching samples_of. */
static void obs_samples(const lt_run_series *rs, const lt_obs *obs, long o, int daily, int min_hours, size_t n,
                        double *out)
{
    double day0 = lt_local_day_start(rs->t_start[0], LT_OBS_UTC_OFFSET_H);
    for (size_t k = 0; k < n; k++)
        out[k] = o < 0 ? NAN
                 : daily ? lt_obs_daily(obs, (size_t)o, LT_OBS_PM25, day0 + DAY_S * (double)k, min_hours, NULL)
                         : lt_obs_hourly(obs, (size_t)o, LT_OBS_PM25, rs->t_start[k]);
}

typedef struct ep_buf {
    double *tmp, *ob, *wo, *wi, *a, *b;
} ep_buf;

/* Sums over station i's samples into row r (and, per tag, into tag_sum). */
static void episode_station(const lt_run_series *rs, const lt_obs *obs, long o, size_t i, int s, int daily,
                            int min_hours, ep_buf *w, lt_episode_row *r, double *tag_sum)
{
    size_t n = samples_of(rs, rs->pm25 + i, rs->nst, daily, min_hours, w->tmp, w->wo);
    samples_of(rs, rs->scen_pm25 + (size_t)s * rs->nst + i, rs->nscen * rs->nst, daily, min_hours, w->tmp, w->wi);
    obs_samples(rs, obs, o, daily, min_hours, n, w->ob);
    for (size_t k = 0; k < n; k++)
        if (!isnan(w->ob[k]) && !isnan(w->wo[k]) && !isnan(w->wi[k])) {
            r->n++;
            r->obs += w->ob[k], r->without += w->wo[k], r->with += w->wi[k];
        }
    for (size_t j = 0; tag_sum && j < rs->ntag; j++) {
        samples_of(rs, rs->src + j * rs->nst + i, rs->ntag * rs->nst, daily, min_hours, w->tmp, w->a);
        samples_of(rs, rs->scen_src + ((size_t)s * rs->ntag + j) * rs->nst + i, rs->nscen * rs->ntag * rs->nst,
                   daily, min_hours, w->tmp, w->b);
        for (size_t k = 0; k < n; k++)
            if (!isnan(w->ob[k]) && !isnan(w->wo[k]) && !isnan(w->wi[k]))
                tag_sum[j] += w->a[k] - w->b[k];
    }
}

/* The other period's observed and baseline sums at the station with id. */
static void episode_other(const lt_run_series *other, const lt_obs *obs, long o, const char *id, int daily,
                          int min_hours, ep_buf *w, lt_episode_row *r)
{
    size_t i = 0;
    while (i < other->nst && strcmp(other->st[i].id, id))
        i++;
    if (i == other->nst)
        return;
    size_t n = samples_of(other, other->pm25 + i, other->nst, daily, min_hours, w->tmp, w->wo);
    obs_samples(other, obs, o, daily, min_hours, n, w->ob);
    for (size_t k = 0; k < n; k++)
        if (!isnan(w->ob[k]) && !isnan(w->wo[k])) {
            r->n_other++;
            r->other_obs += w->ob[k], r->other_without += w->wo[k];
        }
}

static void episode_means(lt_episode_row *r, int compared)
{
    double n = (double)r->n, m = (double)r->n_other;
    r->obs = r->n ? r->obs / n : NAN;
    r->without = r->n ? r->without / n : NAN;
    r->with = r->n ? r->with / n : NAN;
    r->effect = r->without - r->with;
    r->effect_pct = r->without > 0 ? 100.0 * r->effect / r->without : NAN;
    r->other_obs = compared && r->n_other ? r->other_obs / m : NAN;
    r->other_without = compared && r->n_other ? r->other_without / m : NAN;
    r->d_obs = r->obs - r->other_obs;
    r->d_weather = r->without - r->other_without;
    r->d_emissions = r->d_obs - r->d_weather;
}

static int episode_scenario(const lt_run_series *rs, const char *measures, lt_error *err)
{
    for (size_t s = 0; s < rs->nscen; s++)
        if (!strcmp(rs->scen[s], measures))
            return rs->scen_src || !rs->ntag ? (int)s
                                             : -lt_error_set(err, LT_EINPUT, "%s: no scenario_station_pm25_src", rs->path);
    char list[512] = "";
    for (size_t s = 0; s < rs->nscen && strlen(list) < sizeof list - LT_RS_LABEL - 4; s++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", s ? ", " : "", rs->scen[s]);
    return -lt_error_set(err, LT_EINPUT, "--measures '%s': not a scenario of %s (%s): expected the scenario of the "
                         "measures applied", measures, rs->path, rs->nscen ? list : "it has none");
}

int lt_episode_assess(const lt_run_series *rs, const lt_run_series *other, const lt_obs *obs,
                      const lt_evaluation *ev, const char *measures, int min_hours, lt_episode *ep, lt_error *err)
{
    memset(ep, 0, sizeof *ep);
    int s = episode_scenario(rs, measures, err);
    if (s < 0)
        return -s;
    ep->daily = ev->days_paired > 0;
    ep->compared = other != NULL;
    snprintf(ep->scenario, sizeof ep->scenario, "%s", measures);
    size_t cap = (other && other->nt > rs->nt ? other->nt : rs->nt) + 1;
    ep_buf w = {malloc(cap * sizeof(double)), malloc(cap * sizeof(double)), malloc(cap * sizeof(double)),
                malloc(cap * sizeof(double)), malloc(cap * sizeof(double)), malloc(cap * sizeof(double))};
    ep->rows = calloc(rs->nst + 1, sizeof *ep->rows);
    ep->ntag = rs->ntag;
    ep->tag = calloc(rs->ntag + 1, sizeof *ep->tag);
    ep->tag_effect = calloc(rs->ntag + 1, sizeof *ep->tag_effect);
    int rc = w.tmp && w.ob && w.wo && w.wi && w.a && w.b && ep->rows && ep->tag && ep->tag_effect
                 ? LT_OK : lt_error_set(err, LT_ENOMEM, "out of memory");
    lt_episode_row all = {.level = "all", .name = "all"};
    for (size_t i = 0; i < rs->nst && !rc; i++) {
        long o = ev->match[i].obs;
        if (o < 0)
            continue;
        lt_episode_row *r = &ep->rows[ep->nrows++];
        snprintf(r->level, sizeof r->level, "station");
        snprintf(r->name, sizeof r->name, "%s", rs->st[i].id);
        episode_station(rs, obs, o, i, s, ep->daily, min_hours, &w, r, rs->ntag ? ep->tag_effect : NULL);
        if (other)
            episode_other(other, obs, o, rs->st[i].id, ep->daily, min_hours, &w, r);
        all.n += r->n, all.obs += r->obs, all.without += r->without, all.with += r->with;
        all.n_other += r->n_other, all.other_obs += r->other_obs, all.other_without += r->other_without;
        episode_means(r, ep->compared);
    }
    if (!rc) {
        for (size_t j = 0; j < rs->ntag; j++) {
            snprintf(ep->tag[j], sizeof ep->tag[j], "%s", rs->tag[j]);
            ep->tag_effect[j] = all.n ? ep->tag_effect[j] / (double)all.n : NAN;
        }
        episode_means(&all, ep->compared);
        ep->rows[ep->nrows++] = all;
        if (!all.n)
            rc = lt_error_set(err, LT_EINPUT, "%s: no observed %s inside the run at the matched stations for the "
                              "measures' assessment", rs->path, ep->daily ? "day" : "hour");
        else if (other && !all.n_other)
            rc = lt_error_set(err, LT_EINPUT, "%s: no observation pairs with the other period's run (--compare): "
                              "expected observations covering both periods and the same station ids", other->path);
    }
    free(w.tmp), free(w.ob), free(w.wo), free(w.wi), free(w.a), free(w.b);
    if (rc)
        lt_episode_free(ep);
    return rc;
}

void lt_episode_free(lt_episode *ep)
{
    free(ep->rows);
    free(ep->tag);
    free(ep->tag_effect);
    memset(ep, 0, sizeof *ep);
}

static void write_episode(FILE *f, const void *ctx)
{
    const lt_episode *ep = ctx;
    fputs("kind,name,samples,obs_mean,model_without,model_with,effect,effect_pct,other_samples,other_obs_mean,"
          "other_model_without,change_obs,change_weather,change_emissions\n", f);
    for (size_t i = 0; i < ep->nrows; i++) {
        const lt_episode_row *r = &ep->rows[i];
        fprintf(f, "%s,", r->level);
        csv_text(f, r->name);
        fprintf(f, ",%zu", r->n);
        const double v[] = {r->obs, r->without, r->with, r->effect, r->effect_pct};
        for (size_t k = 0; k < 5; k++)
            num(f, v[k]);
        fprintf(f, ",%zu", r->n_other);
        const double u[] = {r->other_obs, r->other_without, r->d_obs, r->d_weather, r->d_emissions};
        for (size_t k = 0; k < 5; k++)
            num(f, u[k]);
        fputc('\n', f);
    }
    for (size_t j = 0; j < ep->ntag; j++) {
        fputs("sector,", f);
        csv_text(f, ep->tag[j]);
        fputs(",,,,", f);
        num(f, ep->tag_effect[j]);
        fputs(",,,,,,,\n", f);
    }
}

int lt_episode_write(const lt_episode *ep, const char *csv, lt_error *err)
{
    int rc = write_table(csv, ep, write_episode, err);
    char tmp[4300];
    if (snprintf(tmp, sizeof tmp, "%s.partial", csv) >= (int)sizeof tmp)
        return rc ? rc : lt_error_set(err, LT_EINPUT, "%s: path too long", csv);
    if (!rc && rename(tmp, csv) != 0)
        rc = lt_error_set(err, LT_EIO, "%s: cannot rename %s to it: %s", csv, tmp, strerror(errno));
    if (rc)
        unlink(tmp);
    return rc;
}
