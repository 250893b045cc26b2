/* airquality.c — the whole AQI and the period's assessment, as the plan's
 * targets are counted: per station, county and city, under the baseline and
 * every scenario, the daily AQI of the six pollutants (HJ 633-2012;
 * policy/aqi.c), the HJ 663-2013 statistics of the period (policy/annual.c),
 * the monthly ranking of the counties by the comprehensive index, and the
 * targets ([assessment] targets; policy/targets.c) attained or not.
 *
 * The pollutants at a station each hour: PM2.5 as the run computes it (its
 * sources plus the background tag); PM10 that plus the background's coarse
 * part (the [background] file's pm10 - pm25) and the sources' coarse PM;
 * SO2 and CO the background plus the explicit sources' own (gases.c); NO2
 * the background plus the NO2 the sources' NOx forms by the ozone-limiting
 * method (physics/no2.h) against the background ozone; O3 the background
 * less the NO titration. The grid model's gases and a gridded inventory's
 * are not carried (only PM2.5 from them). A pollutant without a background
 * column is not assessed. A county's and the city's hourly values are the
 * means over their stations (HJ 663-2013: stations are averaged before the
 * statistics).
 *
 * Writes OUTPUT_daily.csv, OUTPUT_annual.csv and OUTPUT_ranking.csv beside
 * the output (column names are an interface; docs/reference.md) and fills
 * the summary's county and city rows. */
#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lt_time.h"
#include "physics/chem.h"
#include "physics/no2.h"
#include "policy/annual.h"
#include "policy/targets.h"
#include "products/product_util.h"
#include "products/products.h"

/* The daily values the NetCDF gains beside station_pm25_daily: name, the
 * pollutant, units, what it is. */
#define NQ 6
static const struct {
    const char *name;
    int pol;
    const char *units, *what;
} quantities[NQ] = {
    {"pm10", LT_POL_PM10, "ug m-3", "24-h mean PM10"},           {"so2", LT_POL_SO2, "ug m-3", "24-h mean SO2"},
    {"no2", LT_POL_NO2, "ug m-3", "24-h mean NO2"},              {"co", LT_POL_CO, "mg m-3", "24-h mean CO"},
    {"o3_8h", LT_POL_O3, "ug m-3", "daily maximum 8-h mean O3"}, {"o3_1h", LT_POL_O3, "ug m-3", "daily maximum 1-h O3"},
};

typedef struct rank_item {
    double key;
    size_t county;
} rank_item;

typedef struct airquality {
    const lt_run_shape *s;
    const lt_case *cs;
    const lt_stations_product *st;
    const lt_scenarios_product *sc;
    const lt_gases_product *gas; /* the sources' gases (NULL: none, the grid model) */
    int no2_full;               /* [chemistry] no2_method = full */
    lt_aqi_table t;             /* the case's rules, pols cut to the pollutants with data */
    const lt_targets *targets;
    const int *county_of;
    const char *const *county_names;
    size_t ncounty, nplace;     /* places: stations, counties, the city */
    const double *bg[LT_NPOL];  /* the background's series (PM2.5: NULL, the run has it) */
    const double **bgst[LT_NPOL]; /* [station] its series, given per station (else NULL) */
    double *pm25;               /* [hour][station] one scenario's totals */
    double *x;                  /* [place][pollutant][hour] */
    lt_aqi_day *days;           /* [place][day] */
    double *work;               /* [day] */
    rank_item *items;           /* [county] */
    lt_annual *month;           /* [county] one month's statistics */
    lt_output *out;
    int nc_day;                 /* the daily file and its variables (-1: not defined) */
    int v_st_aqi, v_st_prim, v_cty_aqi, v_city_aqi, v_city_prim;
    int v_st_q[NQ], v_city_q[NQ];  /* the daily values of the other pollutants (-1: not assessed) */
    int v_sc_aqi;
    FILE *fd, *fa, *fr;         /* the daily, annual and ranking tables */
    const char *final_d, *final_a, *final_r;
} airquality;

/* Days in the calendar year of the run's first local day. */
static int days_in_year(const airquality *p)
{
    int y, m;
    lt_local_day_month(&p->t, lt_local_day_start(p->s->start_s, p->t.utc_offset_h), 0, &y, &m);
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 366 : 365;
}

static const char *level_name(int level)
{
    return level == LT_LEVEL_STATION ? "station" : level == LT_LEVEL_COUNTY ? "county" : "city";
}

/* The level, index and name of place q. */
static const char *place_of(const airquality *p, size_t q, int *level, int *idx)
{
    size_t nstations;
    const lt_station *st = lt_case_stations(p->cs, &nstations);
    size_t nst = p->s->nst;
    if (q < nst) {
        *level = LT_LEVEL_STATION;
        *idx = (int)q;
        return st[q].id;
    }
    if (q < nst + p->ncounty) {
        *level = LT_LEVEL_COUNTY;
        *idx = (int)(q - nst);
        return p->county_names[q - nst];
    }
    *level = LT_LEVEL_CITY;
    *idx = 0;
    return "city";
}

/* Station k belongs to place q (itself, its county, the city). */
static int member(const airquality *p, size_t q, size_t k)
{
    size_t nst = p->s->nst;
    if (q < nst)
        return q == k;
    if (q < nst + p->ncounty)
        return (size_t)p->county_of[k] == q - nst;
    return 1;
}

/* Pollutant pol's background at station k in hour h (NaN: none or missing). */
static double bg_at(const airquality *p, int pol, size_t k, size_t h)
{
    return !p->bg[pol] ? NAN : p->bgst[pol] ? p->bgst[pol][k][h] : p->bg[pol][h];
}

/* The six at station k in hour h, into x[pollutant * nh + h]: the run's
 * PM2.5; PM10 that plus the background's and the sources' coarse PM; SO2 and
 * CO the background plus the sources' (CO in mg/m3); NO2 the background plus
 * the NO2 the sources' NOx forms by the ozone-limiting method against the
 * background ozone (all of it with no2_method = full or without an ozone
 * background); O3 the background less what that NO titrates. loc: the
 * sources' gases [hour][LT_NGAS][station] (NULL: none). */
static void station_hour(const airquality *p, const double *loc, size_t k, size_t h, double *x)
{
    size_t nh = (size_t)p->s->hours, nst = p->s->nst;
    double g[LT_NGAS] = {0};
    for (int i = 0; loc && i < LT_NGAS; i++)
        g[i] = loc[(h * LT_NGAS + (size_t)i) * nst + k];
    double pm25 = p->pm25[h * nst + k], o3 = bg_at(p, LT_POL_O3, k, h), no2, o3_left;
    lt_no2_olm(g[LT_GAS_NOX], g[LT_GAS_NO2], o3, p->no2_full || isnan(o3), &no2, &o3_left);
    x[h] = pm25;
    x[LT_POL_PM10 * nh + h] = pm25 + bg_at(p, LT_POL_PM10, k, h) + g[LT_GAS_COARSE];
    x[LT_POL_SO2 * nh + h] = bg_at(p, LT_POL_SO2, k, h) + g[LT_GAS_SO2];
    x[LT_POL_NO2 * nh + h] = bg_at(p, LT_POL_NO2, k, h) + no2;
    x[LT_POL_CO * nh + h] = bg_at(p, LT_POL_CO, k, h) + 1e-3 * g[LT_GAS_CO];
    x[LT_POL_O3 * nh + h] = isnan(o3) ? NAN : o3_left;
}

/* The six hourly series of every place under scenario sc (-1: the
 * baseline) from its PM2.5 totals and its sources' gases: at each station
 * (station_hour), then each county's and the city's the means over their
 * stations, NaN values left out (HJ 663-2013: stations are averaged before
 * the statistics; NO2's conversion is not linear, so it is done station by
 * station). */
static void build_series(airquality *p, int sc)
{
    size_t nh = (size_t)p->s->hours, nst = p->s->nst;
    const double *loc = lt_gases_local(p->gas, sc);
    for (size_t k = 0; k < nst; k++)
        for (size_t h = 0; h < nh; h++)
            station_hour(p, loc, k, h, p->x + k * LT_NPOL * nh);
    for (size_t q = nst; q < p->nplace; q++)
        for (size_t i = 0; i < LT_NPOL * nh; i++) {
            double sum = 0.0;
            int n = 0;
            for (size_t k = 0; k < nst; k++) {
                double v = member(p, q, k) ? p->x[k * LT_NPOL * nh + i] : NAN;
                if (!isnan(v)) {
                    sum += v;
                    n++;
                }
            }
            p->x[q * LT_NPOL * nh + i] = n ? sum / n : NAN;
        }
}

/* A number or an empty field. */
static void put_num(FILE *f, double v, int digits)
{
    if (isnan(v))
        fputc(',', f);
    else
        fprintf(f, ",%.*f", digits, v);
}

static void put_int(FILE *f, int v)
{
    if (v < 0)
        fputc(',', f);
    else
        fprintf(f, ",%d", v);
}

/* The daily rows of place q under scenario name. */
static void write_days(airquality *p, const char *scen, size_t q, const lt_aqi_day *days, size_t nd)
{
    int level, idx;
    const char *name = place_of(p, q, &level, &idx);
    double day0 = lt_local_day_start(p->s->start_s, p->t.utc_offset_h);
    for (size_t d = 0; d < nd; d++) {
        const lt_aqi_day *dy = &days[d];
        char date[16], prim[64];
        time_t ts = (time_t)(day0 + 86400.0 * (double)d + 43200.0 + 3600.0 * p->t.utc_offset_h);
        struct tm tm;
        gmtime_r(&ts, &tm);
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
        fprintf(p->fd, "%s,%s,%s,%s", scen, level_name(level), name, date);
        for (int pol = 0; pol < LT_NPOL; pol++) {
            int on = (p->t.pols >> pol) & 1u;
            put_num(p->fd, on ? dy->c[pol] : NAN, pol == LT_POL_CO ? 3 : 2);
        }
        put_num(p->fd, (p->t.pols >> LT_POL_O3) & 1u ? dy->o3_1h : NAN, 2);
        for (int pol = 0; pol < LT_NPOL; pol++)
            put_int(p->fd, dy->iaqi[pol]);
        put_int(p->fd, dy->aqi);
        put_int(p->fd, dy->aqi >= 0 ? dy->category : -1);
        lt_aqi_primary_names(dy->primary, prim, sizeof prim);
        fprintf(p->fd, ",%s\n", prim);
    }
}

/* The target of place q (county or city), or NULL. */
static const lt_target *target_of(const airquality *p, size_t q)
{
    int level, idx;
    place_of(p, q, &level, &idx);
    if (level == LT_LEVEL_STATION || !p->targets)
        return NULL;
    return lt_targets_find(p->targets, level == LT_LEVEL_CITY ? -1 : idx);
}

/* Place q's period row under scenario sc (-1: baseline) into r and the table. */
static void assess_place(airquality *p, int sc, const char *scen, size_t q, const lt_aqi_day *days, size_t nd,
                         lt_annual_row *r)
{
    int level, idx, diy = days_in_year(p);
    const char *name = place_of(p, q, &level, &idx);
    double day0 = lt_local_day_start(p->s->start_s, p->t.utc_offset_h);
    memset(r, 0, sizeof *r);
    r->scenario = sc;
    r->level = level;
    r->place = idx;
    lt_annual_stats(&p->t, days, nd, day0, p->work, &r->a);
    const lt_target *g = target_of(p, q);
    r->verdict = lt_target_verdict(g, &r->a, diy, &r->good_gap, &r->pm25_gap);
    r->target_pm25 = g ? g->pm25_max : NAN;
    r->target_good = g ? g->good_days_min : NAN;
    for (size_t d = 0; d < nd; d++)
        r->pm25_missed += days[d].aqi > p->t.cat_upper[1] && days[d].iaqi[LT_POL_PM25] >= 0 &&
                          days[d].iaqi[LT_POL_PM25] <= p->t.cat_upper[1];
    const lt_annual *a = &r->a;
    FILE *f = p->fa;
    fprintf(f, "%s,%s,%s,%d,%d", scen, level_name(level), name, a->valid_days, a->good_days);
    put_num(f, a->good_ratio, 4);
    fprintf(f, ",%d", a->heavy_days);
    for (int pol = 0; pol < 4; pol++)
        put_num(f, a->mean[pol], 2);
    put_num(f, a->co_p95, 3);
    put_num(f, a->o3_8h_p90, 2);
    put_num(f, a->index, 3);
    put_num(f, r->target_pm25, 1);
    put_num(f, r->target_good, 0);
    fprintf(f, ",%s,%d,%s", r->verdict < 0 ? "" : r->verdict ? "yes" : "no", a->days, a->year_valid ? "yes" : "no");
    for (int pol = 0; pol < LT_NPOL; pol++)
        fprintf(f, ",%d", a->primary_days[pol]);
    fprintf(f, ",%d", r->pm25_missed);
    put_num(f, r->verdict == 0 && r->good_gap > 0 ? r->good_gap : NAN, 0);
    fputc('\n', f);
}



static int cmp_rank(const void *a, const void *b)
{
    const rank_item *x = a, *y = b;
    int nx = isnan(x->key), ny = isnan(y->key);
    if (nx != ny)
        return nx - ny; /* without a value: last */
    if (!nx && x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->county > y->county) - (x->county < y->county);
}

/* The counties ranked each calendar month by the comprehensive index (by
 * PM2.5 when not all six pollutants are assessed), lowest (best) first. */
static void write_ranking(airquality *p, const char *scen, size_t nd)
{
    size_t nst = p->s->nst, nc = p->ncounty;
    double day0 = lt_local_day_start(p->s->start_s, p->t.utc_offset_h);
    rank_item *items = p->items;
    lt_annual *a = p->month;
    int six = p->t.pols == LT_POL_ALL;
    for (size_t d0 = 0; d0 < nd && nc;) {
        int y, m, y2, m2;
        lt_local_day_month(&p->t, day0, d0, &y, &m);
        size_t d1 = d0;
        for (; d1 < nd; d1++) {
            lt_local_day_month(&p->t, day0, d1, &y2, &m2);
            if (y2 != y || m2 != m)
                break;
        }
        for (size_t c = 0; c < nc; c++) {
            lt_annual_stats(&p->t, p->days + (nst + c) * nd + d0, d1 - d0, day0 + 86400.0 * (double)d0, p->work, &a[c]);
            items[c].key = six ? a[c].index : a[c].mean[LT_POL_PM25];
            items[c].county = c;
        }
        qsort(items, nc, sizeof *items, cmp_rank);
        for (size_t i = 0; i < nc; i++) {
            const lt_annual *ac = &a[items[i].county];
            fprintf(p->fr, "%s,%04d-%02d,%s,%s", scen, y, m, p->county_names[items[i].county],
                    six ? "comprehensive_index" : "pm25");
            if (isnan(items[i].key))
                fputc(',', p->fr);
            else
                fprintf(p->fr, ",%zu", i + 1);
            put_num(p->fr, ac->index, 3);
            put_num(p->fr, ac->mean[LT_POL_PM25], 2);
            fprintf(p->fr, ",%d\n", ac->valid_days);
        }
        d0 = d1;
    }
}

static int put_days(airquality *p, int sc, lt_error *err);

/* One scenario (-1: the baseline): its days, rows and ranking. */
static int assess_scenario(airquality *p, int sc, lt_summary *sum, lt_error *err)
{
    size_t nh = (size_t)p->s->hours, nd = p->s->ndays, nst = p->s->nst;
    const char *scen = sc < 0 ? "baseline" : lt_case_scenarios(p->cs)->name[sc];
    if (sc < 0)
        memcpy(p->pm25, lt_stations_totals(p->st), nh * nst * sizeof *p->pm25);
    else
        lt_scenarios_station_totals(p->sc, sc, p->pm25);
    build_series(p, sc);
    for (size_t q = 0; q < p->nplace; q++) {
        const double *xs[LT_NPOL];
        for (int pol = 0; pol < LT_NPOL; pol++)
            xs[pol] = (p->t.pols >> pol) & 1u ? p->x + (q * LT_NPOL + (size_t)pol) * nh : NULL;
        lt_aqi_day *days = p->days + q * nd;
        lt_aqi_days(&p->t, xs, nh, p->s->start_s, days, nd);
        write_days(p, scen, q, days, nd);
        lt_annual_row row;
        assess_place(p, sc, scen, q, days, nd, &row);
        if (q >= nst)
            sum->annual[sum->nannual++] = row;
    }
    write_ranking(p, scen, nd);
    return put_days(p, sc, err);
}

/* The three tables beside the output, opened with their headers. */
static int open_tables(airquality *p, lt_error *err)
{
    const char *tmp;
    int rc;
    if ((rc = lt_output_side_file(p->out, "_daily.csv", &p->final_d, &tmp, err)))
        return rc;
    if (!(p->fd = fopen(tmp, "w")))
        return lt_error_set(err, LT_EIO, "%s: cannot write the daily table", tmp);
    if ((rc = lt_output_side_file(p->out, "_annual.csv", &p->final_a, &tmp, err)))
        return rc;
    if (!(p->fa = fopen(tmp, "w")))
        return lt_error_set(err, LT_EIO, "%s: cannot write the annual table", tmp);
    if ((rc = lt_output_side_file(p->out, "_ranking.csv", &p->final_r, &tmp, err)))
        return rc;
    if (!(p->fr = fopen(tmp, "w")))
        return lt_error_set(err, LT_EIO, "%s: cannot write the ranking table", tmp);
    fprintf(p->fd, "scenario,level,name,date,pm25,pm10,so2,no2,co,o3_8h,o3_1h,iaqi_pm25,iaqi_pm10,iaqi_so2,iaqi_no2,"
                   "iaqi_co,iaqi_o3,aqi,category,primary\n");
    fprintf(p->fa, "scenario,level,name,valid_days,good_days,good_ratio,heavy_days,pm25,pm10,so2,no2,co_p95,o3_8h_p90,"
                   "comprehensive_index,target_pm25,target_good_days,attained,days,year_valid,primary_pm25_days,"
                   "primary_pm10_days,primary_so2_days,primary_no2_days,primary_co_days,primary_o3_days,"
                   "pm25_only_missed_days,good_days_short\n");
    fprintf(p->fr, "scenario,month,county,ranked_by,rank,comprehensive_index,pm25,valid_days\n");
    return LT_OK;
}

/* Closes one table; an error on any write is an error of the file. */
static int close_table(FILE **f, const char *final, lt_error *err)
{
    int bad = ferror(*f) | (fclose(*f) != 0);
    *f = NULL;
    return bad ? lt_error_set(err, LT_EIO, "%s: cannot write the table", final) : LT_OK;
}

static int airquality_finish(void *self, lt_summary *sum, lt_error *err)
{
    airquality *p = self;
    size_t nh = (size_t)p->s->hours, nd = p->s->ndays, nst = p->s->nst;
    int nsc = lt_scenarios_count(p->sc);
    p->pm25 = malloc(nh * (nst ? nst : 1) * sizeof *p->pm25);
    p->x = malloc(p->nplace * LT_NPOL * nh * sizeof *p->x);
    p->days = malloc(p->nplace * (nd ? nd : 1) * sizeof *p->days);
    p->work = malloc((nd ? nd : 1) * sizeof *p->work);
    p->items = malloc((p->ncounty ? p->ncounty : 1) * sizeof *p->items);
    p->month = malloc((p->ncounty ? p->ncounty : 1) * sizeof *p->month);
    sum->annual = malloc((size_t)(nsc + 1) * (p->ncounty + 1) * sizeof *sum->annual);
    if (!p->pm25 || !p->x || !p->days || !p->work || !p->items || !p->month || !sum->annual)
        return lt_error_set(err, LT_ENOMEM, "out of memory for the six-pollutant assessment");
    int rc = open_tables(p, err);
    if (rc)
        return rc;
    sum->nannual = 0;
    for (int sc = -1; sc < nsc && !rc; sc++)
        rc = assess_scenario(p, sc, sum, err);
    if (rc)
        return rc;
    sum->aq_pols = p->t.pols;
    sum->aq_days_in_year = days_in_year(p);
    snprintf(sum->aq_csv, sizeof sum->aq_csv, "%s", p->final_a);
    if ((rc = close_table(&p->fd, p->final_d, err)) || (rc = close_table(&p->fa, p->final_a, err)) ||
        (rc = close_table(&p->fr, p->final_r, err)))
        return rc;
    char note[600], names[64] = "";
    for (int pol = 0; pol < LT_NPOL; pol++)
        if ((p->t.pols >> pol) & 1u) {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s%s", l ? ", " : "", lt_pol_names[pol]);
        }
    snprintf(note, sizeof note, "daily AQI (%s) of %s; PM2.5 from the run (its sources and the background), PM10 "
             "that plus the background's and the explicit sources' coarse PM, SO2, NO2, CO and O3 the [background] "
             "file's plus the explicit sources' (NO2 by %s, O3 less the NO titration); %s", p->t.name, names,
             p->no2_full || !p->bg[LT_POL_O3] ? "all the NOx as NO2" : "the ozone-limiting method",
             p->gas ? "a gridded inventory's gases not carried" : "no source gases (the grid model)");
    return lt_output_note(p->out, "lantian_six_pollutant_aqi", note, err);
}

/* An int variable of the daily file with fill -1, its long name and units. */
static int def_int(airquality *p, const char *name, int nd, const int *dims, const char *long_name, int *v,
                   lt_error *err)
{
    int fill = -1;
    LT_NC(p->out, err, nc_def_var(p->nc_day, name, NC_INT, nd, dims, v));
    LT_NC(p->out, err, nc_def_var_fill(p->nc_day, *v, 0, &fill));
    return lt_output_atts_in(p->out, LT_OUT_DAILY, *v, err, "long_name", long_name, "units", "1", NULL);
}

/* A float variable of the daily file (fill: NC_FILL_FLOAT, an invalid day). */
static int def_float(airquality *p, const char *name, int nd, const int *dims, const char *long_name,
                     const char *units, int *v, lt_error *err)
{
    LT_NC(p->out, err, nc_def_var(p->nc_day, name, NC_FLOAT, nd, dims, v));
    return lt_output_atts_in(p->out, LT_OUT_DAILY, *v, err, "long_name", long_name, "units", units, NULL);
}

/* Daily value k of a day (NaN: invalid). */
static double quantity_of(const lt_aqi_day *d, int k)
{
    return k == NQ - 1 ? d->o3_1h : d->c[quantities[k].pol];
}

/* The primary pollutants as CF flag masks. */
static int def_primary(airquality *p, const char *name, int nd, const int *dims, int *v, lt_error *err)
{
    signed char masks[LT_NPOL], fill = 0;
    for (int i = 0; i < LT_NPOL; i++)
        masks[i] = (signed char)(1 << i);
    LT_NC(p->out, err, nc_def_var(p->nc_day, name, NC_BYTE, nd, dims, v));
    LT_NC(p->out, err, nc_def_var_fill(p->nc_day, *v, 0, &fill));
    LT_NC(p->out, err, nc_put_att_schar(p->nc_day, *v, "flag_masks", NC_BYTE, LT_NPOL, masks));
    return lt_output_atts_in(p->out, LT_OUT_DAILY, *v, err, "flag_meanings", "pm25 pm10 so2 no2 co o3", "long_name",
                             "primary pollutants of the day (AQI > 50 and the pollutant's IAQI equal to it)",
                             "comment", "0 (the fill value): no primary pollutant (AQI <= 50) or an invalid day", NULL);
}

static int airquality_start(void *self, lt_output *out, lt_error *err)
{
    airquality *p = self;
    p->out = out;
    /* the daily AQI, the primary pollutants and the daily values, a variable
     * per pollutant (a pollutant dimension in this file stops CDO reading its
     * other variables); each pollutant's IAQI is in OUTPUT_daily.csv */
    int rc = lt_output_file(out, LT_OUT_DAILY, &p->nc_day, err);
    if (rc)
        return rc;
    int d_day = lt_output_dim_of(out, LT_OUT_DAILY, "time"), d_st = lt_output_dim_of(out, LT_OUT_DAILY, "station");
    int d2[2] = {d_day, d_st};
    if ((rc = def_int(p, "station_aqi_all", 2, d2, "station daily AQI of all the pollutants assessed (HJ 633-2012)",
                      &p->v_st_aqi, err)) ||
        (rc = def_primary(p, "station_primary", 2, d2, &p->v_st_prim, err)) ||
        (rc = def_int(p, "city_aqi_all", 1, &d_day, "city daily AQI of all the pollutants assessed", &p->v_city_aqi,
                      err)) ||
        (rc = def_primary(p, "city_primary", 1, &d_day, &p->v_city_prim, err)))
        return rc;
    for (int k = 0; k < NQ; k++) {
        p->v_st_q[k] = p->v_city_q[k] = -1;
        if (!((p->t.pols >> quantities[k].pol) & 1u))
            continue;
        char name[64], what[160];
        snprintf(name, sizeof name, "station_%s_daily", quantities[k].name);
        snprintf(what, sizeof what, "station %s (background: see lantian_six_pollutant_aqi)", quantities[k].what);
        if ((rc = def_float(p, name, 2, d2, what, quantities[k].units, &p->v_st_q[k], err)))
            return rc;
        snprintf(name, sizeof name, "city_%s_daily", quantities[k].name);
        snprintf(what, sizeof what, "city %s (the station mean)", quantities[k].what);
        if ((rc = def_float(p, name, 1, &d_day, what, quantities[k].units, &p->v_city_q[k], err)))
            return rc;
    }
    p->v_cty_aqi = p->v_sc_aqi = -1;
    int d_cty = lt_output_dim_of(out, LT_OUT_DAILY, "county"), d_sc = lt_output_dim_of(out, LT_OUT_DAILY, "scenario");
    int dc[2] = {d_day, d_cty}, ds[2] = {d_day, d_sc};
    if (p->ncounty && d_cty >= 0 &&
        (rc = def_int(p, "county_aqi_all", 2, dc, "county daily AQI of all the pollutants assessed", &p->v_cty_aqi, err)))
        return rc;
    if (lt_scenarios_count(p->sc) && d_sc >= 0 &&
        (rc = def_int(p, "scenario_city_aqi_all", 2, ds, "city daily AQI of all the pollutants assessed under each scenario",
                      &p->v_sc_aqi, err)))
        return rc;
    return LT_OK;
}

/* Scenario sc's days (-1: the baseline's, every variable) into the daily file. */
static int put_days(airquality *p, int sc, lt_error *err)
{
    size_t nd = p->s->ndays, nst = p->s->nst, nc = p->ncounty, city = p->nplace - 1;
    int *iv = malloc(nd * (nst + nc + 1) * sizeof *iv);
    signed char *bv = malloc(nd * (nst + 1) * sizeof *bv);
    float *fv = malloc(nd * (nst + 1) * sizeof *fv);
    int st = NC_NOERR;
    if (!iv || !bv || !fv) {
        free(iv);
        free(bv);
        free(fv);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    if (sc >= 0) {
        for (size_t d = 0; d < nd; d++)
            iv[d] = p->days[city * nd + d].aqi;
        size_t s2[2] = {0, (size_t)sc}, c2[2] = {nd, 1};
        st = p->v_sc_aqi >= 0 ? nc_put_vara_int(p->nc_day, p->v_sc_aqi, s2, c2, iv) : NC_NOERR;
    } else {
        /* stations, then the city */
        for (size_t pass = 0; pass < 2 && !st; pass++) {
            size_t q0 = pass ? city : 0, nq = pass ? 1 : nst;
            for (size_t d = 0; d < nd; d++)
                for (size_t q = 0; q < nq; q++) {
                    iv[d * nq + q] = p->days[(q0 + q) * nd + d].aqi;
                    bv[d * nq + q] = (signed char)p->days[(q0 + q) * nd + d].primary;
                }
            if (nq && !(st = nc_put_var_int(p->nc_day, pass ? p->v_city_aqi : p->v_st_aqi, iv)))
                st = nc_put_var_schar(p->nc_day, pass ? p->v_city_prim : p->v_st_prim, bv);
            for (int k = 0; k < NQ && nq && !st; k++) {
                int v = pass ? p->v_city_q[k] : p->v_st_q[k];
                if (v < 0)
                    continue;
                for (size_t d = 0; d < nd; d++)
                    for (size_t q = 0; q < nq; q++) {
                        double x = quantity_of(&p->days[(q0 + q) * nd + d], k);
                        fv[d * nq + q] = isnan(x) ? NC_FILL_FLOAT : (float)x;
                    }
                st = nc_put_var_float(p->nc_day, v, fv);
            }
        }
        if (!st && p->v_cty_aqi >= 0) {
            for (size_t d = 0; d < nd; d++)
                for (size_t c = 0; c < nc; c++)
                    iv[d * nc + c] = p->days[(nst + c) * nd + d].aqi;
            st = nc_put_var_int(p->nc_day, p->v_cty_aqi, iv);
        }
    }
    free(iv);
    free(bv);
    free(fv);
    return st ? lt_output_fail(p->out, st, __FILE__, __LINE__, err) : LT_OK;
}

static void airquality_destroy(void *self)
{
    airquality *p = self;
    if (p->fd)
        fclose(p->fd);
    if (p->fa)
        fclose(p->fa);
    if (p->fr)
        fclose(p->fr);
    free(p->pm25);
    free(p->x);
    free(p->days);
    free(p->work);
    free(p->items);
    free(p->month);
    for (int pol = 0; pol < LT_NPOL; pol++)
        free(p->bgst[pol]);
    free(p);
}

static void airquality_estimate(const void *self, double *mem, double *out)
{
    const airquality *p = self;
    const lt_run_shape *s = p->s;
    double np = (double)p->nplace, nsc = lt_scenarios_count(p->sc) + 1.0;
    *mem = (double)s->hours * ((double)s->nst + np * LT_NPOL) * 8.0 + np * (double)s->ndays * sizeof(lt_aqi_day);
    *out = nsc * np * ((double)s->ndays * 120.0 + 200.0);
}

static const char *const airquality_files[] = {"_daily.csv", "_annual.csv", "_ranking.csv", NULL};

static const lt_product_ops airquality_ops = {
    .name = "airquality", .start = airquality_start, .finish = airquality_finish, .destroy = airquality_destroy,
    .estimate = airquality_estimate, .side_files = airquality_files};

int lt_airquality_attach(lt_run *run, const lt_stations_product *st, const lt_scenarios_product *sc,
                         const lt_gases_product *gas, lt_error *err)
{
    const lt_case *cs = lt_run_case_of(run);
    airquality *p = calloc(1, sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->cs = cs;
    p->st = st;
    p->sc = sc;
    p->gas = gas;
    p->no2_full = lt_case_config(cs)->no2_full;
    p->t = *lt_case_aqi(cs);
    p->targets = lt_case_targets(cs);
    p->ncounty = lt_case_station_counties(cs, &p->county_names, &p->county_of);
    p->nplace = p->s->nst + p->ncounty + 1;
    lt_case_background_series(cs, p->bg);
    for (int pol = 1; pol < LT_NPOL && lt_case_background_by_station(cs); pol++) {
        if (!p->bg[pol])
            continue;
        if (!(p->bgst[pol] = malloc((p->s->nst ? p->s->nst : 1) * sizeof *p->bgst[pol]))) {
            airquality_destroy(p);
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        }
        for (size_t k = 0; k < p->s->nst; k++)
            p->bgst[pol][k] = lt_case_background_at(cs, pol, k);
    }
    for (int pol = 1; pol < LT_NPOL; pol++)
        if (!p->bg[pol])
            p->t.pols &= ~(1u << pol);
    return lt_run_attach(run, &airquality_ops, p, err);
}
