/* scenarios.c — the scenarios ([scenario.NAME]): factors on the source
 * groups' emissions (policy/scenario.c), recombined from the groups'
 * contributions hour by hour (the plume is linear in emissions; the grid
 * model's tags are recombined as CAMx PSAT's are), each assessed like the
 * baseline, written per scenario and summarised in OUTPUT_scenarios.csv.
 *
 * Scenarios whose factors never change in time outside alerts get their
 * grid mean at the end, from the groups' sums over the run: one pass over
 * the grid for them all. Alert-mode scenarios follow the baseline's forecast alerts, known only
 * after the first pass: that pass takes them as if no alert came, and a
 * second pass over the alert hours alone puts the alerts' measures in. */
#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lt_par.h"
#include "policy/assess.h"
#include "products/product_util.h"
#include "products/products.h"

struct lt_scenarios_product {
    const lt_run_shape *s;
    const lt_case *cs;
    const lt_scenarios *sc;
    const lt_stations_product *st;
    const lt_assessment_product *as;
    const int *gtag;
    const uint64_t *gsig;
    const int *county_of;
    const char *const *county_names;
    size_t ncounty;
    lt_output *out;
    int nscen, any_const, any_alert;
    int v_mean, v_st, v_stsrc, v_cityday, v_cityaqi, v_staqi, v_stday, v_citycat, v_caqi, v_alert;
    int nc_day;                 /* the daily file, where the daily values go */
    float *st_tag;         /* [scenario][hour][tag][station] */
    double *mean;          /* [scenario][cell] */
    double *gsum;          /* [group][comp][cell] over the run (steady scenarios) */
    double *fac, *fac0;    /* [group][comp] one hour's factors (fac0: without alert) */
    double *tot;           /* [hour][station] one scenario's totals */
    double seconds;
};
typedef struct lt_scenarios_product scenarios;

#define RCHUNK 512 /* cells per chunk of a scenario's hourly sum */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The variables of one scenario dimension: maps, series, days. */
static int define_series(scenarios *p, lt_output *out, int d_sc, lt_error *err)
{
    int rc;
    size_t ct, cy, cx, cs;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    int d_time = lt_output_dim(out, "time"), d_st = lt_output_dim(out, "station");
    int d3[3] = {d_sc, lt_output_dim(out, "y"), lt_output_dim(out, "x")};
    /* time first (CDO reads only such variables) */
    int d3s[3] = {d_time, d_sc, d_st}, d4s[4] = {d_time, d_sc, lt_output_dim(out, "source"), d_st};
    size_t c3[3] = {1, cy, cx}, c3s[3] = {ct, 1, cs}, c4s[4] = {ct, 1, 1, cs};
    if ((rc = lt_output_def_float(out, "scenario_pm25_mean", 3, d3, c3, &p->v_mean, err)) ||
        (rc = lt_output_atts(out, p->v_mean, err, "long_name", "PM2.5 mean over the run under each scenario",
                             "units", "ug m-3", "grid_mapping", "crs", "coordinates", "lat lon", NULL)) ||
        (rc = lt_output_def_float(out, "scenario_station_pm25", 3, d3s, c3s, &p->v_st, err)) ||
        (rc = lt_output_atts(out, p->v_st, err, "long_name", "hourly PM2.5 at stations under each scenario",
                             "units", "ug m-3", NULL)) ||
        (rc = lt_output_def_float(out, "scenario_station_pm25_src", 4, d4s, c4s, &p->v_stsrc, err)) ||
        (rc = lt_output_atts(out, p->v_stsrc, err, "long_name",
                             "hourly PM2.5 at stations per source tag under each scenario", "units", "ug m-3", NULL)))
        return rc;
    return LT_OK;
}

/* The daily values under each scenario, in the daily file, time first. */
static int define_daily(scenarios *p, lt_output *out, lt_error *err)
{
    int rc, ncid, ifill = -1;
    if ((rc = lt_output_file(out, LT_OUT_DAILY, &ncid, err)))
        return rc;
    p->nc_day = ncid;
    int d_day = lt_output_dim_of(out, LT_OUT_DAILY, "time"), d_st = lt_output_dim_of(out, LT_OUT_DAILY, "station");
    int d_sc = lt_output_dim_of(out, LT_OUT_DAILY, "scenario");
    int dd[3] = {d_day, d_sc, d_st};
    LT_NC(out, err, nc_def_var(ncid, "scenario_city_pm25_daily", NC_FLOAT, 2, dd, &p->v_cityday));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_cityday, err, "long_name",
                                "city daily PM2.5 under each scenario", "units", "ug m-3", "cell_methods",
                                "time: mean", NULL)))
        return rc;
    LT_NC(out, err, nc_def_var(ncid, "scenario_city_aqi", NC_INT, 2, dd, &p->v_cityaqi));
    LT_NC(out, err, nc_def_var_fill(ncid, p->v_cityaqi, 0, &ifill));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_cityaqi, err, "long_name", "city daily AQI under each scenario",
                                "units", "1", NULL)))
        return rc;
    LT_NC(out, err, nc_def_var(ncid, "scenario_station_aqi", NC_INT, 3, dd, &p->v_staqi));
    LT_NC(out, err, nc_def_var_fill(ncid, p->v_staqi, 0, &ifill));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_staqi, err, "long_name",
                                "station daily AQI under each scenario", "units", "1", NULL)))
        return rc;
    LT_NC(out, err, nc_def_var(ncid, "scenario_station_pm25_daily", NC_FLOAT, 3, dd, &p->v_stday));
    return lt_output_atts_in(out, LT_OUT_DAILY, p->v_stday, err, "long_name",
                             "station daily PM2.5 under each scenario", "units", "ug m-3", "cell_methods",
                             "time: mean", NULL);
}

/* The flag_values and flag_meanings of the assessment's variable name
 * (defined before, in the daily file) on varid too. */
static int copy_flags(scenarios *p, lt_output *out, const char *name, int varid, lt_error *err)
{
    int v;
    if (nc_inq_varid(p->nc_day, name, &v) != NC_NOERR)
        return LT_OK;
    LT_NC(out, err, nc_copy_att(p->nc_day, v, "flag_values", p->nc_day, varid));
    LT_NC(out, err, nc_copy_att(p->nc_day, v, "flag_meanings", p->nc_day, varid));
    return LT_OK;
}

/* The days' categories, counties and alert levels under each scenario. */
static int define_days(scenarios *p, lt_output *out, lt_error *err)
{
    int rc, ncid = p->nc_day, ifill = -1, d_day = lt_output_dim_of(out, LT_OUT_DAILY, "time");
    int d_sc = lt_output_dim_of(out, LT_OUT_DAILY, "scenario");
    signed char bfill = -1;
    int d2[2] = {d_day, d_sc};
    LT_NC(out, err, nc_def_var(ncid, "scenario_city_aqi_category", NC_BYTE, 2, d2, &p->v_citycat));
    LT_NC(out, err, nc_def_var_fill(ncid, p->v_citycat, 0, &bfill));
    if ((rc = copy_flags(p, out, "city_aqi_category", p->v_citycat, err)) ||
        (rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_citycat, err, "long_name",
                                "city daily AQI category under each scenario", NULL)))
        return rc;
    p->v_caqi = p->v_alert = -1;
    if (p->ncounty) {
        int d_cty;
        if ((rc = lt_output_def_labels(out, "county", "county_name", "county (from the stations' county column)",
                                       p->ncounty, p->county_names, &d_cty, err)))
            return rc;
        int d3[3] = {d_day, d_sc, lt_output_dim_of(out, LT_OUT_DAILY, "county")};
        LT_NC(out, err, nc_def_var(ncid, "scenario_county_aqi", NC_INT, 3, d3, &p->v_caqi));
        LT_NC(out, err, nc_def_var_fill(ncid, p->v_caqi, 0, &ifill));
        if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_caqi, err, "long_name",
                                    "county daily AQI under each scenario", "units", "1", NULL)))
            return rc;
    }
    if (!lt_case_alert(p->cs))
        return LT_OK;
    LT_NC(out, err, nc_def_var(ncid, "scenario_alert_level", NC_BYTE, 2, d2, &p->v_alert));
    if ((rc = copy_flags(p, out, "alert_level", p->v_alert, err)))
        return rc;
    return lt_output_atts_in(out, LT_OUT_DAILY, p->v_alert, err, "long_name",
                             "alert level the scenario's own PM2.5 would bring", NULL);
}

static int scenarios_start(void *self, lt_output *out, lt_error *err)
{
    scenarios *p = self;
    const lt_run_shape *s = p->s;
    p->out = out;
    const char *names[LT_MAX_SCENARIOS];
    for (int i = 0; i < p->nscen; i++)
        names[i] = p->sc->name[i];
    int d_sc, rc;
    if ((rc = lt_output_def_labels(out, "scenario", "scenario_name", "scenario ([scenario.NAME] of the configuration)", (size_t)p->nscen, names, &d_sc, err)) ||
        (rc = define_series(p, out, d_sc, err)) || (rc = define_daily(p, out, err)) ||
        (rc = define_days(p, out, err)))
        return rc;
    size_t nst1 = s->nst ? s->nst : 1, nh = (size_t)s->hours, ngc = (size_t)s->ngroups * (size_t)s->ncomp;
    p->st_tag = malloc((size_t)p->nscen * nh * (size_t)s->ntags * nst1 * sizeof *p->st_tag);
    p->mean = calloc((size_t)p->nscen * s->ngrid, sizeof *p->mean);
    p->tot = malloc(nh * nst1 * sizeof *p->tot);
    p->fac = malloc(ngc * sizeof *p->fac);
    p->fac0 = malloc(ngc * sizeof *p->fac0);
    p->gsum = p->any_const ? calloc(ngc * s->ngrid, sizeof *p->gsum) : NULL;
    if (LT_ANY_NULL(p->st_tag, p->mean, p->tot, p->fac, p->fac0) || (p->any_const && !p->gsum))
        return lt_error_set(err, LT_ENOMEM, "out of memory for %d scenarios", p->nscen);
    return LT_OK;
}

/* The species whose emission each component comes from. */
static unsigned comp_species(int ncomp, int c)
{
    static const unsigned sp[LT_NCOMP_GRID] = {LT_SPECIES_PM25, LT_SPECIES_SO2, LT_SPECIES_NOX, LT_SPECIES_VOC,
                                               LT_SPECIES_NH3};
    return ncomp == 1 ? LT_SPECIES_PM25 : sp[c];
}

/* The factors fac[group * ncomp + c] of scenario sc at time t_s. */
static void factors(const scenarios *p, int sc, double t_s, int alert_level, double *fac)
{
    for (int g = 0; g < p->s->ngroups; g++)
        for (int c = 0; c < p->s->ncomp; c++)
            fac[g * p->s->ncomp + c] = lt_scenario_factor_species(p->sc, sc, p->gsig[g], t_s, alert_level,
                                                                  comp_species(p->s->ncomp, c));
}

/* Scenario sc at hour h: station values per tag and, unless constant in
 * time, the grid total added into its mean. Pass 1 takes every scenario
 * without alerts (alert_level 0); pass 2 redoes an alert hour of an
 * alert-mode scenario by the difference the alert's factors make, to its
 * station values and its mean (the groups it makes none to are not read:
 * the second pass does not disperse them). */
static void combine(scenarios *p, int sc, const lt_planes *pl, int alert_level)
{
    const lt_run_shape *s = p->s;
    const size_t nk = (size_t)s->ngroups * (size_t)s->ncomp, nst = s->nst;
    const double t_s = s->start_s + 3600.0 * pl->h;
    factors(p, sc, t_s, alert_level, p->fac);
    if (pl->pass == 2) { /* fac - the factors pass 1 took */
        factors(p, sc, t_s, 0, p->fac0);
        for (size_t gc = 0; gc < nk; gc++)
            p->fac[gc] -= p->fac0[gc];
    }
    float *st_tag = p->st_tag + ((size_t)sc * (size_t)s->hours + (size_t)pl->h) * (size_t)s->ntags * nst;
    for (size_t k = 0; k < nst; k++) {
        double v[LT_MAX_TAGS] = {0};
        for (size_t gc = 0; gc < nk; gc++)
            if (p->fac[gc] != 0.0)
                v[p->gtag[gc / (size_t)s->ncomp]] += p->fac[gc] * pl->group[gc * s->nrec + s->ngrid + k];
        for (int tag = 0; tag < s->ntags; tag++) {
            float *o = st_tag + (size_t)tag * nst + k;
            *o = pl->pass == 1 ? (float)v[tag] : (float)((double)*o + v[tag]);
        }
    }
    if (lt_scenario_steady(p->sc, sc) && pl->pass == 1)
        return;
    double *mean = p->mean + (size_t)sc * s->ngrid;
    const double *fac = p->fac, *gconc = pl->group;
    const size_t ngrid = s->ngrid;
    long nchk = (long)((ngrid + RCHUNK - 1) / RCHUNK);
    /* in chunks of cells, each plane's run of them in turn: the same sum per
     * cell (groups in order) as cell by cell, streamed and vectorised */
#pragma omp parallel for schedule(static) if (2.0 * (double)nk * (double)ngrid >= LT_PAR_MIN_WORK)
    for (long ck = 0; ck < nchk; ck++) {
        size_t r0 = (size_t)ck * RCHUNK, m = ngrid - r0 < RCHUNK ? ngrid - r0 : RCHUNK;
        double v[RCHUNK] = {0};
        for (size_t gc = 0; gc < nk; gc++) {
            const double f = fac[gc], *g = gconc + gc * s->nrec + r0;
            if (f == 0.0)
                continue; /* f * g adds +0 or -0 to v: nothing for a finite g */
            for (size_t r = 0; r < m; r++)
                v[r] += f * g[r];
        }
        for (size_t r = 0; r < m; r++)
            mean[r0 + r] += v[r];
    }
}

static int scenarios_add_hour(void *self, const lt_planes *pl, lt_error *err)
{
    (void)err;
    scenarios *p = self;
    const lt_run_shape *s = p->s;
    double t0 = now_s();
    if (pl->pass == 1 && p->gsum) {
        const size_t ngc = (size_t)s->ngroups * (size_t)s->ncomp, ngrid = s->ngrid;
#pragma omp parallel for schedule(static) if ((double)ngc * (double)ngrid >= LT_PAR_MIN_WORK)
        for (long gc = 0; gc < (long)ngc; gc++) {
            double *sum = p->gsum + (size_t)gc * ngrid;
            const double *g = pl->group + (size_t)gc * s->nrec;
            for (size_t r = 0; r < ngrid; r++)
                sum[r] += g[r];
        }
    }
    const int level = pl->pass == 2 ? lt_assessment_alert_hours(p->as)[pl->h] : 0;
    for (int sc = 0; sc < p->nscen; sc++)
        if (pl->pass == 1 || (p->sc->alert_mode[sc] && level))
            combine(p, sc, pl, level);
    p->seconds += now_s() - t0;
    return LT_OK;
}

static int scenarios_passes(const void *self)
{
    const scenarios *p = self;
    return p->any_alert ? 2 : 1;
}

/* The second pass: the baseline's alert hours, and the groups whose factors
 * an alert changes in them. */
static void scenarios_rerun(const void *self, int *hours, int *groups)
{
    const scenarios *p = self;
    lt_scenarios_alert_rerun(p->sc, lt_assessment_alert_hours(p->as), p->s->hours, p->s->start_s, p->gsig,
                             p->s->ngroups, hours, groups);
}

/* Scenario sc's mean, series and days into the file; its station series
 * per tag st_src[hour][tag][station], its assessment a. */
static int write_scenario(scenarios *p, int sc, const float *st_src, const lt_assessment *a, lt_error *err)
{
    const lt_run_shape *s = p->s;
    int ncid = p->nc_day, st = NC_NOERR, rc;
    size_t nh = (size_t)s->hours, nst = s->nst, nd = a->ndays, ngrid = s->ngrid;
    size_t nf = ngrid + nh * nst + nd * nst + nd;
    float *f = malloc(nf * sizeof *f), *series = f + ngrid, *sd = series + nh * nst, *cd = sd + nd * nst;
    signed char *b = malloc((nd ? nd : 1) * sizeof *b);
    if (!f || !b) {
        free(f);
        free(b);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ngrid; i++)
        f[i] = (float)p->mean[(size_t)sc * ngrid + i];
    size_t s3[3] = {(size_t)sc, 0, 0}, c3[3] = {1, (size_t)s->ny, (size_t)s->nx};
    rc = lt_output_put_floats(p->out, p->v_mean, s3, c3, f, err);
    if (!rc && nst) {
        for (size_t h = 0; h < nh; h++)
            for (size_t k = 0; k < nst; k++) {
                double v = 0.0;
                for (int g = 0; g < s->ntags; g++)
                    v += st_src[(h * (size_t)s->ntags + (size_t)g) * nst + k];
                series[h * nst + k] = (float)v;
            }
        for (size_t i = 0; i < nd * nst; i++)
            sd[i] = isnan(a->st_pm25[i]) ? NC_FILL_FLOAT : (float)a->st_pm25[i];
        size_t s3s[3] = {0, (size_t)sc, 0}, c3s[3] = {nh, 1, nst}, s4[4] = {0, (size_t)sc, 0, 0},
               c4[4] = {nh, 1, (size_t)s->ntags, nst};
        size_t s3a[3] = {0, (size_t)sc, 0}, c3a[3] = {nd, 1, nst}, c3c[3] = {nd, 1, p->ncounty};
        if (!(rc = lt_output_put_floats(p->out, p->v_st, s3s, c3s, series, err)))
            rc = lt_output_put_floats(p->out, p->v_stsrc, s4, c4, st_src, err);
        if (!rc && !(st = nc_put_vara_int(ncid, p->v_staqi, s3a, c3a, a->st_aqi)) &&
            !(st = nc_put_vara_float(ncid, p->v_stday, s3a, c3a, sd)) && p->v_caqi >= 0 && a->ncounty == p->ncounty)
            st = nc_put_vara_int(ncid, p->v_caqi, s3a, c3c, a->county_aqi);
    }
    size_t s2[2] = {0, (size_t)sc}, c2[2] = {nd, 1};
    for (size_t d = 0; d < nd; d++) {
        cd[d] = isnan(a->city_pm25[d]) ? NC_FILL_FLOAT : (float)a->city_pm25[d];
        b[d] = (signed char)a->city_cat[d];
    }
    if (!rc && !st && !(st = nc_put_vara_float(ncid, p->v_cityday, s2, c2, cd)) &&
        !(st = nc_put_vara_int(ncid, p->v_cityaqi, s2, c2, a->city_aqi)))
        st = nc_put_vara_schar(ncid, p->v_citycat, s2, c2, b);
    if (!st && p->v_alert >= 0) {
        for (size_t d = 0; d < nd; d++)
            b[d] = (signed char)a->alert_day[d];
        st = nc_put_vara_schar(ncid, p->v_alert, s2, c2, b);
    }
    free(f);
    free(b);
    if (rc)
        return rc;
    return st ? lt_output_fail(p->out, st, __FILE__, __LINE__, err) : LT_OK;
}

/* Scenario sc's grid mean completed, its days assessed, written, summarised. */
static int finish_scenario(scenarios *p, int sc, lt_assessment *sas, lt_summary *sum, lt_error *err)
{
    const lt_run_shape *s = p->s;
    const size_t ngrid = s->ngrid, nst = s->nst, nh = (size_t)s->hours, ngc = (size_t)s->ngroups * s->ncomp;
    const float *sst = p->st_tag + (size_t)sc * nh * (size_t)s->ntags * nst;
    double *m = p->mean + (size_t)sc * ngrid;
    if (lt_scenario_steady(p->sc, sc)) {
        double t0 = now_s();
        factors(p, sc, s->start_s, 0, p->fac);
        for (size_t gc = 0; gc < ngc; gc++) {
            const double *gs = p->gsum + gc * ngrid;
            for (size_t r = 0; r < ngrid; r++)
                m[r] += p->fac[gc] * gs[r];
        }
        p->seconds += now_s() - t0;
    }
    for (size_t r = 0; r < ngrid; r++)
        m[r] /= s->hours;
    lt_scenarios_station_totals(p, sc, p->tot);
    lt_assessment_free(sas);
    const double *bg[LT_BG_NCOL];
    lt_case_background_series(p->cs, bg);
    if (lt_assess(sas, lt_case_aqi(p->cs), lt_case_alert(p->cs), lt_case_config(p->cs)->alert_lead_hours, p->tot, nh,
                  nst, s->start_s, bg) ||
        lt_assess_counties(sas, lt_case_aqi(p->cs), p->county_of, p->ncounty))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the daily assessment");
    int rc = write_scenario(p, sc, sst, sas, err);
    if (rc)
        return rc;
    const double *base = lt_stations_totals(p->st);
    double d = 0.0;
    for (size_t i = 0; i < nh * nst; i++)
        d += p->tot[i] - base[i];
    sum->scen_station_mean_delta[sc] = nst ? d / (double)(nh * nst) : 0.0;
    sum->scen_city_mean[sc] = sas->city_mean;
    sum->scen_good[sc] = sas->good_days;
    sum->scen_heavy[sc] = sas->heavy_days;
    sum->scen_exceed[sc] = sas->exceed_days;
    sum->scen_alert_days[sc] = sas->alert_days;
    memcpy(sum->scen_day_aqi + (size_t)sc * sum->ndays, sas->city_aqi, sum->ndays * sizeof *sum->scen_day_aqi);
    return LT_OK;
}

/* The scenario table beside the output: OUTPUT_scenarios.csv. */
static int write_table(scenarios *p, lt_summary *sum, lt_error *err)
{
    const char *final, *tmp;
    int rc = lt_output_side_file(p->out, "_scenarios.csv", &final, &tmp, err);
    if (rc)
        return rc;
    snprintf(sum->scenario_csv, sizeof sum->scenario_csv, "%s", final);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return lt_error_set(err, LT_EIO, "%s: cannot write the scenario table", tmp);
    fprintf(f, "scenario,description,city_mean_pm25_ugm3,good_days,heavy_days,exceedance_days,alert_days,"
               "station_mean_change_ugm3\n");
    fprintf(f, "baseline,,%.3f,%d,%d,%d,%d,0\n", sum->city_mean, sum->good_days, sum->heavy_days, sum->exceed_days,
            sum->alert_days);
    for (int s = 0; s < p->nscen; s++) {
        fprintf(f, "%s,\"", p->sc->name[s]);
        for (const char *c = p->sc->description[s]; *c; c++)
            fputs(*c == '"' ? "\"\"" : (char[]){*c, 0}, f);
        fprintf(f, "\",%.3f,%d,%d,%d,%d,%.4f\n", sum->scen_city_mean[s], sum->scen_good[s], sum->scen_heavy[s],
                sum->scen_exceed[s], sum->scen_alert_days[s], sum->scen_station_mean_delta[s]);
    }
    if (ferror(f) | (fclose(f) != 0))
        return lt_error_set(err, LT_EIO, "%s: cannot write the scenario table", final);
    return LT_OK;
}

static int scenarios_finish(void *self, lt_summary *sum, lt_error *err)
{
    scenarios *p = self;
    lt_assessment sas;
    memset(&sas, 0, sizeof sas);
    sum->nscen = p->nscen;
    sum->scen_day_aqi = malloc(((size_t)p->nscen * sum->ndays + 1) * sizeof *sum->scen_day_aqi);
    if (!sum->scen_day_aqi)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int rc = LT_OK;
    for (int sc = 0; sc < p->nscen && !rc; sc++)
        rc = finish_scenario(p, sc, &sas, sum, err);
    lt_assessment_free(&sas);
    sum->scenario_seconds = p->seconds;
    return rc ? rc : write_table(p, sum, err);
}

static void scenarios_state(void *self, lt_state *st)
{
    scenarios *p = self;
    const lt_run_shape *s = p->s;
    size_t nst1 = s->nst ? s->nst : 1, ngc = (size_t)s->ngroups * (size_t)s->ncomp;
    lt_state_add(st, "scenario_st_tag", p->st_tag,
                 (size_t)p->nscen * (size_t)s->hours * (size_t)s->ntags * nst1 * sizeof *p->st_tag);
    lt_state_add(st, "scenario_mean", p->mean, (size_t)p->nscen * s->ngrid * sizeof *p->mean);
    lt_state_add(st, "scenario_gsum", p->gsum, p->gsum ? ngc * s->ngrid * sizeof *p->gsum : 0);
    lt_state_add(st, "scenario_seconds", &p->seconds, sizeof p->seconds);
}

static void scenarios_destroy(void *self)
{
    scenarios *p = self;
    free(p->st_tag);
    free(p->mean);
    free(p->gsum);
    free(p->fac);
    free(p->fac0);
    free(p->tot);
    free(p);
}

static void scenarios_estimate(const void *self, double *mem, double *out)
{
    const scenarios *p = self;
    const lt_run_shape *s = p->s;
    double nst = (double)(s->nst ? s->nst : 1), ng = (double)s->ngrid, nh = s->hours, ns = p->nscen;
    *mem = ns * nh * s->ntags * nst * 4.0 + ns * ng * 8.0 + nh * nst * 8.0 +
           (p->any_const ? (double)s->ngroups * s->ncomp * ng * 8.0 : 0.0);
    *out = ns * (ng * 4.0 + nh * nst * (1.0 + s->ntags) * 4.0 + (double)s->ndays * (2.0 * nst + 4.0) * 4.0);
}

static const char *const scenario_files[] = {"_scenarios.csv", NULL};

static const lt_product_ops scenarios_ops = {
    .name = "scenarios", .start = scenarios_start, .add_hour = scenarios_add_hour, .finish = scenarios_finish,
    .passes = scenarios_passes, .rerun = scenarios_rerun, .state = scenarios_state, .destroy = scenarios_destroy,
    .estimate = scenarios_estimate, .side_files = scenario_files};

int lt_scenarios_count(const lt_scenarios_product *p) { return p ? p->nscen : 0; }

void lt_scenarios_station_totals(const lt_scenarios_product *p, int sc, double *tot)
{
    const lt_run_shape *s = p->s;
    size_t nh = (size_t)s->hours, nst = s->nst, nt = (size_t)s->ntags;
    const float *sst = p->st_tag + (size_t)sc * nh * nt * nst;
    for (size_t h = 0; h < nh; h++)
        for (size_t k = 0; k < nst; k++) {
            double v = 0.0;
            for (size_t g = 0; g < nt; g++)
                v += sst[(h * nt + g) * nst + k];
            tot[h * nst + k] = v;
        }
}

int lt_scenarios_attach(lt_run *run, const lt_stations_product *st, const lt_assessment_product *as,
                        lt_scenarios_product **out, lt_error *err)
{
    const lt_case *cs = lt_run_case_of(run);
    scenarios *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->cs = cs;
    p->sc = lt_case_scenarios(cs);
    p->st = st;
    p->as = as;
    p->gtag = lt_case_group_tags(cs);
    p->gsig = lt_case_group_signatures(cs);
    p->ncounty = lt_case_station_counties(cs, &p->county_names, &p->county_of);
    p->nscen = p->sc->n;
    for (int i = 0; i < p->nscen; i++) {
        p->any_const |= lt_scenario_steady(p->sc, i);
        p->any_alert |= p->sc->alert_mode[i];
    }
    return lt_run_attach(run, &scenarios_ops, p, err);
}
