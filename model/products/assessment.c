/* assessment.c — the daily assessment of the baseline as China's rules
 * count it (policy/assess.c): daily PM2.5 and AQI per station, county and
 * city on local calendar days, the city's AQI category, good, heavy and
 * exceedance days, and the alert level the run, taken as the forecast, puts
 * in force each day (which the alert-mode scenarios then follow). */
#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/assess.h"
#include "products/product_util.h"
#include "products/products.h"

struct lt_assessment_product {
    const lt_run_shape *s;
    const lt_case *cs;
    const lt_stations_product *st;
    const lt_aqi_table *aqi;
    const lt_alert_rules *alert;   /* NULL: no alerts */
    int lead_hours;
    const int *county_of;          /* [station] */
    const char *const *county_names;
    size_t ncounty;
    lt_output *out;
    int v_stday, v_staqi, v_cityday, v_cityaqi, v_citycat, v_alert, v_cday, v_caqi;
    int nc_day;                 /* the daily file, where every variable here goes */
    lt_assessment as;
};

const int *lt_assessment_alert_hours(const lt_assessment_product *p) { return p->as.alert_hour; }
const double *lt_assessment_city_values(const lt_assessment_product *p) { return p->as.city_pm25; }

/* "name_1 name_2 ..." of names[0..n) with blanks made underscores (CF flag_meanings). */
static void flag_meanings(char *buf, size_t cap, const char *first, const char *names, size_t stride, int n)
{
    snprintf(buf, cap, "%s", first ? first : "");
    for (int k = 0; k < n; k++) {
        size_t l = strlen(buf);
        if (l + 2 >= cap)
            return;
        if (l)
            buf[l++] = ' ';
        for (const char *c = names + (size_t)k * stride; *c && l + 1 < cap; c++)
            buf[l++] = *c == ' ' ? '_' : *c;
        buf[l] = '\0';
    }
}

/* The city's AQI category and the alert level, as CF flag variables. */
static int define_flags(lt_assessment_product *p, lt_output *out, int d_day, lt_error *err)
{
    int ncid = p->nc_day, rc;
    signed char bfill = -1, fv[LT_ALERT_MAX_LEVELS + LT_AQI_MAX_CAT + 1];
    char meanings[(LT_ALERT_MAX_LEVELS + LT_AQI_MAX_CAT + 1) * 33];
    LT_NC(out, err, nc_def_var(ncid, "city_aqi_category", NC_BYTE, 1, &d_day, &p->v_citycat));
    LT_NC(out, err, nc_def_var_fill(ncid, p->v_citycat, 0, &bfill));
    for (int k = 0; k < p->aqi->ncat; k++)
        fv[k] = (signed char)k;
    flag_meanings(meanings, sizeof meanings, NULL, &p->aqi->cat_name[0][0], sizeof p->aqi->cat_name[0],
                  p->aqi->ncat);
    LT_NC(out, err, nc_put_att_schar(ncid, p->v_citycat, "flag_values", NC_BYTE, (size_t)p->aqi->ncat, fv));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_citycat, err, "flag_meanings", meanings, "long_name",
                             "city daily AQI category", NULL)))
        return rc;
    p->v_alert = -1;
    if (!p->alert)
        return LT_OK;
    LT_NC(out, err, nc_def_var(ncid, "alert_level", NC_BYTE, 1, &d_day, &p->v_alert));
    for (int k = 0; k <= p->alert->nlevels; k++)
        fv[k] = (signed char)k;
    flag_meanings(meanings, sizeof meanings, "none", p->alert->level[0].name, sizeof p->alert->level[0],
                  p->alert->nlevels);
    LT_NC(out, err, nc_put_att_schar(ncid, p->v_alert, "flag_values", NC_BYTE, (size_t)p->alert->nlevels + 1, fv));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_alert, err, "flag_meanings", meanings, "long_name",
                             "heavy-pollution alert level in force on the day, decided on this run as the forecast",
                             NULL)))
        return rc;
    return lt_output_atts(out, NC_GLOBAL, err, "lantian_alert_rules", p->alert->name, NULL);
}

/* The county values: their label dimension and daily PM2.5 and AQI. */
static int define_counties(lt_assessment_product *p, lt_output *out, int d_day, lt_error *err)
{
    int ncid = p->nc_day, fill = -1, d_cty, rc;
    if ((rc = lt_output_def_labels(out, "county", "county_name", "county (from the stations' county column)",
                                   p->ncounty, p->county_names, &d_cty, err)))
        return rc;
    d_cty = lt_output_dim_of(out, LT_OUT_DAILY, "county");
    int cd[2] = {d_day, d_cty};
    LT_NC(out, err, nc_def_var(ncid, "county_pm25_daily", NC_FLOAT, 2, cd, &p->v_cday));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_cday, err, "standard_name", LT_PM25_STDNAME, "long_name",
                             "county daily PM2.5: the mean of its stations' daily means", "units", "ug m-3", NULL)))
        return rc;
    LT_NC(out, err, nc_def_var(ncid, "county_aqi", NC_INT, 2, cd, &p->v_caqi));
    LT_NC(out, err, nc_def_var_fill(ncid, p->v_caqi, 0, &fill));
    return lt_output_atts_in(out, LT_OUT_DAILY, p->v_caqi, err, "long_name", "county daily AQI", NULL);
}

static int assessment_start(void *self, lt_output *out, lt_error *err)
{
    lt_assessment_product *p = self;
    p->out = out;
    int ncid, fill = -1, rc = lt_output_file(out, LT_OUT_DAILY, &ncid, err);
    if (rc)
        return rc;
    p->nc_day = ncid;
    int d_day = lt_output_dim_of(out, LT_OUT_DAILY, "time"), dd[2] = {d_day, lt_output_dim_of(out, LT_OUT_DAILY, "station")};
    LT_NC(out, err, nc_def_var(ncid, "station_pm25_daily", NC_FLOAT, 2, dd, &p->v_stday));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_stday, err, "standard_name", LT_PM25_STDNAME, "long_name",
                             "daily mean PM2.5 at stations (missing: fewer valid hours than the rules require)",
                             "units", "ug m-3", "cell_methods", "time: mean", NULL)))
        return rc;
    LT_NC(out, err, nc_def_var(ncid, "station_aqi", NC_INT, 2, dd, &p->v_staqi));
    LT_NC(out, err, nc_def_var_fill(ncid, p->v_staqi, 0, &fill));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_staqi, err, "long_name", "daily air quality index from 24-h PM2.5 (IAQI)",
                             "units", "1", NULL)))
        return rc;
    LT_NC(out, err, nc_def_var(ncid, "city_pm25_daily", NC_FLOAT, 1, &d_day, &p->v_cityday));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_cityday, err, "standard_name", LT_PM25_STDNAME, "long_name",
                             "city daily PM2.5: the mean over stations of their daily means", "units", "ug m-3",
                             NULL)))
        return rc;
    LT_NC(out, err, nc_def_var(ncid, "city_aqi", NC_INT, 1, &d_day, &p->v_cityaqi));
    LT_NC(out, err, nc_def_var_fill(ncid, p->v_cityaqi, 0, &fill));
    if ((rc = lt_output_atts_in(out, LT_OUT_DAILY, p->v_cityaqi, err, "long_name", "city daily AQI from the city daily PM2.5",
                             "units", "1", NULL)) ||
        (rc = define_flags(p, out, d_day, err)) ||
        (rc = lt_output_atts(out, NC_GLOBAL, err, "lantian_aqi_rules", p->aqi->name, NULL)))
        return rc;
    return p->ncounty ? define_counties(p, out, d_day, err) : LT_OK;
}

/* NaN as the float fill value. */
static float fill_nan(double v)
{
    return isnan(v) ? NC_FILL_FLOAT : (float)v;
}

/* The assessment's values into the file. */
static int write_assessment(lt_assessment_product *p, lt_error *err)
{
    const lt_assessment *a = &p->as;
    int ncid = p->nc_day, st = NC_NOERR;
    size_t nd = a->ndays, nst = a->nst, nc = p->ncounty;
    float *f = malloc((nd * (nst ? nst : 1) + nd + nd * (nc ? nc : 1)) * sizeof *f);
    signed char *b = malloc(2 * nd * sizeof *b);
    if (!f || !b) {
        free(f);
        free(b);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    float *city = f + nd * nst, *cty = city + nd;
    for (size_t i = 0; i < nd * nst; i++)
        f[i] = fill_nan(a->st_pm25[i]);
    for (size_t d = 0; d < nd; d++) {
        city[d] = fill_nan(a->city_pm25[d]);
        b[d] = (signed char)a->city_cat[d];
        b[nd + d] = (signed char)a->alert_day[d];
    }
    if (nst && !(st = nc_put_var_float(ncid, p->v_stday, f)))
        st = nc_put_var_int(ncid, p->v_staqi, a->st_aqi);
    if (!st && !(st = nc_put_var_float(ncid, p->v_cityday, city)) && !(st = nc_put_var_int(ncid, p->v_cityaqi, a->city_aqi)))
        st = nc_put_var_schar(ncid, p->v_citycat, b);
    if (!st && nc && a->ncounty == nc) {
        for (size_t i = 0; i < nd * nc; i++)
            cty[i] = fill_nan(a->county_pm25[i]);
        if (!(st = nc_put_var_float(ncid, p->v_cday, cty)))
            st = nc_put_var_int(ncid, p->v_caqi, a->county_aqi);
    }
    if (!st && p->v_alert >= 0)
        st = nc_put_var_schar(ncid, p->v_alert, b + nd);
    free(f);
    free(b);
    if (st)
        return lt_output_fail(p->out, st, __FILE__, __LINE__, err);
    char note[160];
    snprintf(note, sizeof note, "valid days %d, good days (AQI <= 100) %d, heavy-pollution days (AQI > 200) %d, "
             "exceedance days (24-h PM2.5 > limit) %d, alert days %d",
             a->valid_days, a->good_days, a->heavy_days, a->exceed_days, a->alert_days);
    return lt_output_note(p->out, "lantian_assessment", note, err);
}

/* The baseline's days, into the summary. */
static int fill_summary(const lt_assessment_product *p, lt_summary *sum, lt_error *err)
{
    const lt_assessment *a = &p->as;
    sum->county_mean = malloc((p->ncounty ? p->ncounty : 1) * sizeof *sum->county_mean);
    sum->day_alert = malloc((a->ndays ? a->ndays : 1) * sizeof *sum->day_alert);
    sum->day_aqi = malloc((a->ndays ? a->ndays : 1) * sizeof *sum->day_aqi);
    if (!sum->county_mean || !sum->day_alert || !sum->day_aqi)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    memcpy(sum->county_mean, a->county_mean, p->ncounty * sizeof *sum->county_mean);
    memcpy(sum->day_alert, a->alert_day, a->ndays * sizeof *sum->day_alert);
    memcpy(sum->day_aqi, a->city_aqi, a->ndays * sizeof *sum->day_aqi);
    sum->day0_s = a->day0_s;
    sum->assessed = 1;
    sum->ndays = a->ndays;
    sum->valid_days = a->valid_days;
    sum->good_days = a->good_days;
    sum->heavy_days = a->heavy_days;
    sum->exceed_days = a->exceed_days;
    sum->alert_days = a->alert_days;
    sum->city_mean = a->city_mean;
    return LT_OK;
}

static int assessment_end_pass(void *self, int pass, lt_summary *sum, lt_error *err)
{
    lt_assessment_product *p = self;
    if (pass != 1)
        return LT_OK;
    const double *bg[LT_BG_NCOL];
    lt_case_background_series(p->cs, bg);
    if (lt_assess(&p->as, p->aqi, p->alert, p->lead_hours, lt_stations_totals(p->st), (size_t)p->s->hours,
                  p->s->nst, p->s->start_s, bg) ||
        lt_assess_counties(&p->as, p->aqi, p->county_of, p->ncounty))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the daily assessment");
    int rc = write_assessment(p, err);
    return rc ? rc : fill_summary(p, sum, err);
}

static void assessment_destroy(void *self)
{
    lt_assessment_product *p = self;
    lt_assessment_free(&p->as);
    free(p);
}

static void assessment_estimate(const void *self, double *mem, double *out)
{
    const lt_assessment_product *p = self;
    double n = (double)p->s->ndays * ((double)p->s->nst + (double)p->ncounty + 1.0);
    *mem = n * 16.0 + (double)p->s->hours * 8.0;
    *out = n * 8.0;
}

static const lt_product_ops assessment_ops = {
    .name = "assessment", .start = assessment_start, .end_pass = assessment_end_pass,
    .destroy = assessment_destroy, .estimate = assessment_estimate};

int lt_assessment_attach(lt_run *run, const lt_stations_product *st, lt_assessment_product **out, lt_error *err)
{
    const lt_case *cs = lt_run_case_of(run);
    lt_assessment_product *p = calloc(1, sizeof *p);
    *out = p;
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    p->s = lt_run_shape_of(run);
    p->cs = cs;
    p->st = st;
    p->aqi = lt_case_aqi(cs);
    p->alert = lt_case_alert(cs);
    p->lead_hours = lt_case_config(cs)->alert_lead_hours;
    p->ncounty = lt_case_station_counties(cs, &p->county_names, &p->county_of);
    return lt_run_attach(run, &assessment_ops, p, err);
}
