/* emergency_cmd.c — `lantian optimize` with [optimize] mode = emergency:
 * the least-cost emergency reduction list (应急减排清单) for the alert days
 * of the baseline forecast.
 *
 * 1. the baseline run, every enterprise (explicit source id) a group of its
 *    own; its forecast alerts (the assessment's, with the background's
 *    pollutants) give the alert days and their levels;
 * 2. per enterprise and alert day: its emissions that day (the hourly rates
 *    the run used), the cut the measures table requires of its grade at the
 *    level, its measures' range and costs ([optimize] emergency_costs), its
 *    part of each county's and the city's daily PM2.5;
 * 3. the program (policy/emergency.c): the region's minimum cut per species
 *    at each level ([level] min_emission_cut of the alert rules), the
 *    optional daily PM2.5 bound and stop limit;
 * 4. the verification: the case simulated again, each enterprise scaled by
 *    1 - its cut in the hours of each alert day, assessed from scratch;
 * 5. OUTPUT_emergency.csv (the list) and OUTPUT_emergency_days.csv. */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/optimize_impl.h"
#include "app/report.h"
#include "core/lt_time.h"
#include "io/csv.h"
#include "policy/assess.h"
#include "policy/emergency.h"

typedef struct emg_case {
    opt_case *oc;
    int nent;                /* enterprises: the groups with explicit sources */
    int *ent_group;          /* [ent] */
    int *group_ent;          /* [group] (-1: not an enterprise) */
    int nalert;              /* alert days */
    int *alert_day;          /* [alert day] day index */
    int *alert_level;        /* [alert day] level 1.. */
    lt_emg_choice *ch;       /* [alert day][ent] */
    double *min_cut, *base, *resp;
    double *base_city;       /* [day] baseline city daily PM2.5 (every day) */
    lt_emg_costs costs;
    double req[LT_ALERT_MAX_LEVELS + 1][LT_MAX_SECTORS][5]; /* required cut per level, sector, grade A-D,- */
} emg_case;

static int grade_index(char g) { return g >= 'A' && g <= 'D' ? g - 'A' : 4; }

/* field is '*' or has name among its '|'-separated alternatives. */
static int selects(const char *field, const char *name)
{
    if (!strcmp(field, "*"))
        return 1;
    size_t n = strlen(name);
    for (const char *p = field; *p;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, name, n))
            return 1;
        p += len + (e != NULL);
    }
    return 0;
}

/* The measures table ([assessment] measures): the cut each level requires of
 * a sector and grade (1 - the least factor of its rows on all species or on
 * PM; '*' and a|b alternatives select as in the scenarios; the regional
 * rows cut the background, which is not in the list). */
static int read_required(emg_case *ec, lt_error *err)
{
    const lt_config *cfg = ec->oc->cfg;
    const lt_alert_rules *ar = lt_case_alert(ec->oc->cs);
    lt_csv *c;
    int rc = lt_csv_open(&c, cfg->measures_file, err);
    if (rc)
        return rc;
    static const char *const cols[] = {"level", "sector", "grade", "species", "factor"};
    if (!(rc = lt_csv_require(c, cols, 5, err)))
        for (size_t r = 0; r < lt_csv_rows(c) && !rc; r++) {
            const char *lv = lt_csv_field(c, r, lt_csv_column(c, "level"));
            const char *se = lt_csv_field(c, r, lt_csv_column(c, "sector"));
            const char *gr = lt_csv_field(c, r, lt_csv_column(c, "grade"));
            const char *sp = lt_csv_field(c, r, lt_csv_column(c, "species"));
            double f;
            if ((rc = lt_csv_double(c, r, "factor", 0, 1, "a factor on emissions from 0 to 1", &f, err)))
                break;
            if (strcmp(sp, "all") && strcmp(sp, "pm25") && strcmp(sp, "pm"))
                continue;
            static const char *const grades[5] = {"A", "B", "C", "D", "-"};
            for (int l = 1; l <= ar->nlevels; l++)
                for (int k = 0; k < cfg->nsectors; k++)
                    for (int g = 0; g < 5; g++)
                        if (!strcmp(ar->level[l - 1].name, lv) && selects(se, cfg->sectors[k]) && selects(gr, grades[g]))
                            ec->req[l][k][g] = fmax(ec->req[l][k][g], 1.0 - f);
        }
    lt_csv_close(&c);
    return rc;
}

/* The emergency costs, checked against the levels, sectors, counties, ids. */
static int read_costs(emg_case *ec, lt_error *err)
{
    const lt_config *cfg = ec->oc->cfg;
    const lt_alert_rules *ar = lt_case_alert(ec->oc->cs);
    size_t np;
    const lt_point *pts = lt_case_sources(ec->oc->cs, &np);
    const char *levels[LT_ALERT_MAX_LEVELS], *sectors[LT_MAX_SECTORS];
    const char **ids = malloc((np ? np : 1) * sizeof *ids);
    if (!ids)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int l = 0; l < ar->nlevels; l++)
        levels[l] = ar->level[l].name;
    for (int k = 0; k < cfg->nsectors; k++)
        sectors[k] = cfg->sectors[k];
    for (size_t i = 0; i < np; i++)
        ids[i] = pts[i].id;
    int rc = lt_emg_costs_read(&ec->costs, cfg->opt_emg_costs, levels, ar->nlevels, sectors, cfg->nsectors,
                               lt_case_src_county_names(ec->oc->cs), lt_case_nsrc_counties(ec->oc->cs), ids, np,
                               err);
    free(ids);
    return rc;
}

/* The enterprises and the alert days of the baseline's forecast. */
static int find_alert_days(emg_case *ec, const double *total, lt_error *err)
{
    opt_case *oc = ec->oc;
    const double *bg[LT_BG_NCOL];
    lt_case_background_series(oc->cs, bg);
    lt_assessment a;
    if (lt_assess(&a, oc->aqi, lt_case_alert(oc->cs), oc->cfg->alert_lead_hours, total, (size_t)oc->hours, oc->nst,
                  oc->cfg->start_s, bg)) {
        lt_assessment_free(&a);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    ec->alert_day = calloc((size_t)oc->ndays + 1, sizeof *ec->alert_day);
    ec->alert_level = calloc((size_t)oc->ndays + 1, sizeof *ec->alert_level);
    ec->base_city = calloc((size_t)oc->ndays + 1, sizeof *ec->base_city);
    int rc = !ec->alert_day || !ec->alert_level || !ec->base_city ? lt_error_set(err, LT_ENOMEM, "out of memory")
                                                                   : LT_OK;
    for (int d = 0; !rc && d < oc->ndays; d++) {
        ec->base_city[d] = a.city_pm25[d];
        if (a.alert_day[d] > 0) {
            ec->alert_day[ec->nalert] = d;
            ec->alert_level[ec->nalert++] = a.alert_day[d];
        }
    }
    lt_assessment_free(&a);
    return rc;
}

/* The alert day (index into alert_day) that local day d is, or nalert. */
static int alert_of_day(const emg_case *ec, long d)
{
    int a = 0;
    while (a < ec->nalert && ec->alert_day[a] != d)
        a++;
    return a;
}

/* The enterprises: every group with an explicit source. */
static int find_enterprises(emg_case *ec, lt_error *err)
{
    opt_case *oc = ec->oc;
    const int *gp = lt_case_group_points(oc->cs);
    ec->ent_group = calloc((size_t)oc->ngroups + 1, sizeof *ec->ent_group);
    ec->group_ent = calloc((size_t)oc->ngroups + 1, sizeof *ec->group_ent);
    if (!ec->ent_group || !ec->group_ent)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int g = 0; g < oc->ngroups; g++) {
        ec->group_ent[g] = gp[g] >= 0 ? ec->nent : -1;
        if (gp[g] >= 0)
            ec->ent_group[ec->nent++] = g;
    }
    return LT_OK;
}

/* Each enterprise's tonnes per alert day (the hourly rates the run used:
 * measured where the hourly file has the stack, else annual x profile). */
static void day_emissions(emg_case *ec)
{
    opt_case *oc = ec->oc;
    size_t np;
    lt_case_sources(oc->cs, &np);
    const int *pg = lt_case_point_groups(oc->cs);
    double day0 = lt_local_day_start(oc->cfg->start_s, oc->aqi->utc_offset_h);
    const double *w = oc->cfg->opt_pm25_eq; /* pm25, so2, nox, nh3, voc */
    for (int h = 0; h < oc->hours; h++) {
        double t = oc->cfg->start_s + 3600.0 * h;
        int a = alert_of_day(ec, lt_local_day_index(t, day0));
        if (a == ec->nalert)
            continue;
        for (size_t i = 0; i < np; i++) {
            double q[LT_Q_N], vel, temp; /* ug/s of PM2.5, SO2, NOx, VOC, NH3 */
            lt_case_source_rates(oc->cs, i, t, q, &vel, &temp);
            lt_emg_choice *c = &ec->ch[(size_t)a * ec->nent + ec->group_ent[pg[i]]];
            for (int sp = 0; sp < LT_EMG_NSP; sp++)
                c->emis_sp[sp] += q[sp] * 3600.0 * 1e-12;
            c->emis_t += (w[0] * q[0] + w[1] * q[1] + w[2] * q[2] + w[3] * q[4] + w[4] * q[3]) * 3600.0 * 1e-12;
        }
    }
}

/* Per enterprise and alert day: required cut, range and costs. */
static void build_choices(emg_case *ec)
{
    opt_case *oc = ec->oc;
    const lt_alert_rules *ar = lt_case_alert(oc->cs);
    const int *gp = lt_case_group_points(oc->cs), *gcty = lt_case_group_counties(oc->cs);
    const char *const *ctys = lt_case_src_county_names(oc->cs);
    size_t np;
    const lt_point *pts = lt_case_sources(oc->cs, &np);
    for (int a = 0; a < ec->nalert; a++) {
        int lv = ec->alert_level[a];
        ec->min_cut[a] = ar->level[lv - 1].min_cut;
        for (int e = 0; e < ec->nent; e++) {
            int g = ec->ent_group[e];
            const lt_point *p = &pts[gp[g]];
            lt_emg_choice *c = &ec->ch[(size_t)a * ec->nent + e];
            c->required = ec->req[lv][p->sector][grade_index(p->grade)];
            c->county = gcty[g];
            const lt_emg_cost *row = lt_emg_costs_find(&ec->costs, ar->level[lv - 1].name, oc->cfg->sectors[p->sector],
                                                       ctys[gcty[g]], p->grade, p->id);
            c->max_partial = row ? row->max_cut : 0.0;
            c->cost_per_t = row ? row->cost_per_t : 0.0;
            c->stop_cost = row ? row->stop_per_day : NAN;
        }
    }
}

/* The units' baseline and per-enterprise daily values on the alert days. */
static int build_response(emg_case *ec, const double *total, lt_error *err)
{
    opt_case *oc = ec->oc;
    size_t nd = (size_t)oc->ndays, nu = (size_t)oc->nunits, hn = (size_t)oc->hours * oc->nst;
    double *days = calloc(nu * nd + 1, sizeof *days);
    int rc = days ? LT_OK : lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int e = -1; e < ec->nent && !rc; e++) { /* -1: the baseline's total */
        if ((rc = lt_opt_unit_days(oc, e < 0 ? total : oc->series + (size_t)ec->ent_group[e] * hn, days, 1, err)))
            break;
        for (int a = 0; a < ec->nalert; a++)
            for (size_t u = 0; u < nu; u++) {
                double v = days[u * nd + (size_t)ec->alert_day[a]];
                if (e < 0)
                    ec->base[(size_t)a * nu + u] = v;
                else
                    ec->resp[((size_t)a * nu + u) * ec->nent + e] = isnan(v) ? 0.0 : v;
            }
    }
    free(days);
    return rc;
}

/* The verification: each enterprise scaled by 1 - its cut in the hours of
 * each alert day; the city's daily values under the list, from scratch. */
static int verify_list(emg_case *ec, const lt_emg_result *r, const lt_run_options *opt, double *city, lt_error *err)
{
    opt_case *oc = ec->oc;
    size_t hn = (size_t)oc->hours * oc->nst, nd = (size_t)oc->ndays, nu = (size_t)oc->nunits;
    double *factor = malloc((size_t)oc->ngroups * oc->hours * sizeof *factor), *total = calloc(hn + 1, sizeof *total);
    double *days = calloc(nu * nd + 1, sizeof *days);
    int rc = !factor || !total || !days ? lt_error_set(err, LT_ENOMEM, "out of memory") : LT_OK;
    double day0 = lt_local_day_start(oc->cfg->start_s, oc->aqi->utc_offset_h);
    for (int h = 0; !rc && h < oc->hours; h++) {
        int a = alert_of_day(ec, lt_local_day_index(oc->cfg->start_s + 3600.0 * h, day0));
        for (int g = 0; g < oc->ngroups; g++) {
            int e = ec->group_ent[g];
            factor[(size_t)g * oc->hours + h] = e >= 0 && a < ec->nalert ? 1.0 - r->cut[(size_t)a * ec->nent + e] : 1.0;
        }
    }
    if (!rc && !(rc = lt_opt_verify_series(oc, factor, 1, opt, total, err)) &&
        !(rc = lt_opt_unit_days(oc, total, days, 1, err)))
        memcpy(city, days + (nu - 1) * nd, nd * sizeof *city);
    free(factor);
    free(total);
    free(days);
    return rc;
}

/* Heavy days (the city's daily AQI above the "heavily polluted" bound) of
 * city[day], with the alert days' values replaced by alert[a] when given. */
static int heavy_days(const emg_case *ec, const double *city, const double *alert, size_t stride)
{
    const lt_aqi_table *t = ec->oc->aqi;
    int n = 0;
    for (int d = 0; d < ec->oc->ndays; d++) {
        int a = alert_of_day(ec, d);
        double v = alert && a < ec->nalert ? alert[(size_t)a * stride] : city[d];
        n += !isnan(v) && lt_iaqi_pm25(t, v) > t->cat_upper[3];
    }
    return n;
}

/* The local date of day d, YYYY-MM-DD. */
static void day_label(const emg_case *ec, int d, char *buf, size_t n)
{
    double off = 3600.0 * ec->oc->aqi->utc_offset_h;
    double day0 = lt_local_day_start(ec->oc->cfg->start_s, ec->oc->aqi->utc_offset_h);
    char iso[32];
    lt_format_iso8601(day0 + 86400.0 * d + off, iso, sizeof iso); /* the local midnight on the local clock */
    snprintf(buf, n, "%.10s", iso);
}

/* OUTPUT_emergency.csv: the list, one row per enterprise and alert day it
 * acts on. */
static int write_list(const emg_case *ec, const lt_emg_result *r, lt_error *err)
{
    opt_case *oc = ec->oc;
    char path[LT_PATH_MAX + 32], tmp[LT_PATH_MAX + 40];
    lt_opt_side_name(oc->cfg, "_emergency.csv", path, sizeof path);
    FILE *f = lt_opt_open_table(path, tmp, sizeof tmp, err);
    if (!f)
        return err->code;
    const lt_alert_rules *ar = lt_case_alert(oc->cs);
    const int *gp = lt_case_group_points(oc->cs);
    const char *const *ctys = lt_case_src_county_names(oc->cs);
    const int *gcty = lt_case_group_counties(oc->cs);
    size_t np;
    const lt_point *pts = lt_case_sources(oc->cs, &np);
    fprintf(f, "id,name,sector,county,grade,date,level,measure,cut,required_cut,pm25_t,so2_t,nox_t,voc_t,cost_yuan\n");
    for (int a = 0; a < ec->nalert; a++) {
        char date[16];
        day_label(ec, ec->alert_day[a], date, sizeof date);
        for (int e = 0; e < ec->nent; e++) {
            size_t k = (size_t)a * ec->nent + e;
            const lt_emg_choice *c = &ec->ch[k];
            if (r->cut[k] <= 0.0)
                continue;
            const lt_point *p = &pts[gp[ec->ent_group[e]]];
            double cost = r->stopped[k] ? c->stop_cost : c->cost_per_t * c->emis_t * r->cut[k];
            fprintf(f, "%s,\"%s\",%s,%s,%c,%s,%s,%s,%.6f,%.4f,%.6f,%.6f,%.6f,%.6f,%.2f\n", p->id, p->name,
                    oc->cfg->sectors[p->sector], ctys[gcty[ec->ent_group[e]]], p->grade, date,
                    ar->level[ec->alert_level[a] - 1].name, r->stopped[k] ? "stop" : "partial", r->cut[k], c->required,
                    c->emis_sp[0] * r->cut[k], c->emis_sp[1] * r->cut[k], c->emis_sp[2] * r->cut[k],
                    c->emis_sp[3] * r->cut[k], cost);
        }
    }
    return lt_opt_close_table(f, tmp, path, err);
}

/* OUTPUT_emergency_days.csv: per alert day the cuts against the minimum
 * and the city's PM2.5 before, predicted and verified. */
static int write_days(const emg_case *ec, const lt_emg_result *r, const double *ver, lt_error *err)
{
    opt_case *oc = ec->oc;
    char path[LT_PATH_MAX + 32], tmp[LT_PATH_MAX + 40];
    lt_opt_side_name(oc->cfg, "_emergency_days.csv", path, sizeof path);
    FILE *f = lt_opt_open_table(path, tmp, sizeof tmp, err);
    if (!f)
        return err->code;
    const lt_alert_rules *ar = lt_case_alert(oc->cs);
    fprintf(f, "date,level,min_cut,cut_pm25,cut_so2,cut_nox,cut_voc,stopped,city_pm25_baseline,city_pm25_predicted,"
               "city_pm25_verified,max_county_pm25_predicted,cost_yuan\n");
    for (int a = 0; a < ec->nalert; a++) {
        char date[16];
        day_label(ec, ec->alert_day[a], date, sizeof date);
        int stopped = 0;
        double cost = 0.0, worst = -INFINITY; /* the highest valid county value */
        for (int e = 0; e < ec->nent; e++) {
            size_t k = (size_t)a * ec->nent + e;
            stopped += r->stopped[k];
            cost += r->stopped[k] ? ec->ch[k].stop_cost : ec->ch[k].cost_per_t * ec->ch[k].emis_t * r->cut[k];
        }
        for (int u = 0; u + 1 < oc->nunits; u++)
            if (!isnan(r->value[(size_t)a * oc->nunits + u]))
                worst = fmax(worst, r->value[(size_t)a * oc->nunits + u]);
        fprintf(f, "%s,%s,%.2f", date, ar->level[ec->alert_level[a] - 1].name, ec->min_cut[a]);
        for (int sp = 0; sp < LT_EMG_NSP; sp++) {
            double v = r->achieved[(size_t)a * LT_EMG_NSP + sp];
            if (isnan(v))
                fprintf(f, ",");
            else
                fprintf(f, ",%.6f", v);
        }
        /* an alert day that is not a valid day (the run's first or last, partial) has no daily value */
        double v4[4] = {ec->base_city[ec->alert_day[a]], r->value[(size_t)a * oc->nunits + oc->nunits - 1],
                        ver[ec->alert_day[a]], isinf(worst) ? NAN : worst};
        fprintf(f, ",%d", stopped);
        for (int i = 0; i < 4; i++)
            if (isnan(v4[i]))
                fprintf(f, ",");
            else
                fprintf(f, i == 1 || i == 2 ? ",%.10g" : ",%.4f", v4[i]);
        fprintf(f, ",%.2f\n", cost);
    }
    return lt_opt_close_table(f, tmp, path, err);
}

/* The list in words: the solver, the cost, each alert day. */
static void print_list(FILE *out, const emg_case *ec, const lt_emg_result *r, const double *ver)
{
    opt_case *oc = ec->oc;
    const lt_alert_rules *ar = lt_case_alert(oc->cs);
    fprintf(out, "\nleast-cost emergency list (lantian optimize, emergency mode): %d enterprises, %d alert days of the "
                 "baseline forecast; the minimum cuts are on the enterprises' own emissions (the gridded inventory is "
                 "outside the list)\n", ec->nent, ec->nalert);
    if (r->status == LT_OPT_INFEASIBLE && r->ncols == 0)
        fprintf(out, "  not solved: a requirement is out of reach even with every enterprise at its deepest measure "
                     "(the values below are that list's)\n");
    else
        fprintf(out, "  solver: GLPK %s, branch and cut: %s (gap %.4f %%), cost %.0f yuan, %d rows x %d columns (%d "
                     "binaries), %.3f s\n", glp_version(), lt_opt_status_names[r->status], 100.0 * r->gap, r->cost,
                r->nrows, r->ncols, r->nbinaries, r->seconds);
    fprintf(out, "  %-10s %-7s %5s | %7s %7s %7s %7s | %5s | %8s %9s %8s\n", "date", "level", "min", "PM2.5", "SO2",
            "NOx", "VOC", "stops", "city", "predicted", "verified");
    for (int a = 0; a < ec->nalert; a++) {
        char date[16], cut[4][16];
        day_label(ec, ec->alert_day[a], date, sizeof date);
        int stopped = 0;
        for (int e = 0; e < ec->nent; e++)
            stopped += r->stopped[(size_t)a * ec->nent + e];
        for (int sp = 0; sp < LT_EMG_NSP; sp++) {
            double v = r->achieved[(size_t)a * LT_EMG_NSP + sp];
            snprintf(cut[sp], sizeof cut[sp], isnan(v) ? "-" : "%.1f %%", 100.0 * v);
        }
        char city[3][24];
        double v3[3] = {ec->base_city[ec->alert_day[a]], r->value[(size_t)a * oc->nunits + oc->nunits - 1],
                        ver[ec->alert_day[a]]};
        for (int i = 0; i < 3; i++) /* "-": not a valid day (the run's first or last, partial) */
            snprintf(city[i], sizeof city[i], isnan(v3[i]) ? "-" : i ? "%.3f" : "%.1f", v3[i]);
        fprintf(out, "  %-10s %-7s %3.0f %% | %7s %7s %7s %7s | %5d | %8s %9s %8s\n", date,
                ar->level[ec->alert_level[a] - 1].name, 100.0 * ec->min_cut[a], cut[0], cut[1], cut[2], cut[3], stopped,
                city[0], city[1], city[2]);
    }
    fprintf(out, "  heavy-pollution days of the city (PM2.5 alone): baseline %d, predicted %d, verified %d\n",
            heavy_days(ec, ec->base_city, NULL, 0), heavy_days(ec, ec->base_city, r->value + oc->nunits - 1,
                                                                (size_t)oc->nunits),
            heavy_days(ec, ver, NULL, 0));
}

static void emg_free(emg_case *ec)
{
    free(ec->ent_group);
    free(ec->group_ent);
    free(ec->alert_day);
    free(ec->alert_level);
    free(ec->ch);
    free(ec->min_cut);
    free(ec->base);
    free(ec->resp);
    free(ec->base_city);
    lt_emg_costs_free(&ec->costs);
}

/* After the baseline: the alert days, the choices, the response. */
static int build_list_problem(emg_case *ec, lt_error *err)
{
    opt_case *oc = ec->oc;
    size_t hn = (size_t)oc->hours * oc->nst;
    double *total = calloc(hn + 1, sizeof *total);
    if (!total)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int g = 0; g < oc->ngroups; g++)
        for (size_t i = 0; i < hn; i++)
            total[i] += oc->series[(size_t)g * hn + i];
    int rc = find_enterprises(ec, err);
    if (!rc)
        rc = find_alert_days(ec, total, err);
    size_t na = (size_t)ec->nalert, nu = (size_t)oc->nunits;
    if (!rc) {
        ec->ch = calloc(na * ec->nent + 1, sizeof *ec->ch);
        ec->min_cut = calloc(na + 1, sizeof *ec->min_cut);
        ec->base = calloc(na * nu + 1, sizeof *ec->base);
        ec->resp = calloc(na * nu * ec->nent + 1, sizeof *ec->resp);
        if (!ec->ch || !ec->min_cut || !ec->base || !ec->resp)
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    if (!rc) {
        day_emissions(ec);
        build_choices(ec);
        rc = build_response(ec, total, err);
    }
    free(total);
    return rc;
}

int lt_emergency_case(opt_case *oc, const lt_run_options *opt, FILE *out, lt_error *err)
{
    emg_case ec;
    memset(&ec, 0, sizeof ec);
    ec.oc = oc;
    int rc = read_required(&ec, err);
    if (!rc)
        rc = read_costs(&ec, err);
    lt_summary sum;
    if (!rc && !(rc = lt_opt_baseline_run(oc, opt, &sum, err))) {
        lt_print_summary(out, oc->cs, &sum, LT_VERSION);
        lt_summary_free(&sum);
    }
    oc->nunits = (int)oc->ncounty + 1;
    oc->ndays = (int)lt_assess_ndays(oc->aqi, oc->cfg->start_s, oc->hours);
    if (!rc)
        rc = build_list_problem(&ec, err);
    lt_emg_problem p = {.nent = ec.nent, .ndays = ec.nalert, .ch = ec.ch, .min_cut = ec.min_cut,
                        .nunits = oc->nunits, .base = ec.base, .resp = ec.resp, .max_pm25 = oc->cfg->opt_max_daily_pm25,
                        .max_stopped = oc->cfg->opt_max_stopped, .ncounty = (int)lt_case_nsrc_counties(oc->cs),
                        .time_limit_s = oc->cfg->opt_time_limit_s, .mip_gap = oc->cfg->opt_mip_gap};
    lt_emg_result r;
    memset(&r, 0, sizeof r);
    double *ver = calloc((size_t)oc->ndays + 1, sizeof *ver);
    if (!rc && !ver)
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    if (!rc && !(rc = lt_emg_solve(&p, &r, err)) && !(rc = verify_list(&ec, &r, opt, ver, err)) &&
        !(rc = write_list(&ec, &r, err)) && !(rc = write_days(&ec, &r, ver, err)))
        print_list(out, &ec, &r, ver);
    lt_emg_result_free(&r);
    free(ver);
    emg_free(&ec);
    return rc;
}
