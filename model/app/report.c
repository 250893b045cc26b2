/* report.c — the program's printouts (see report.h and the README's "What
 * make run prints" for the meaning of each line). */
#include "app/report.h"

#include <string.h>
#include <sys/stat.h>

#include "app/text.h"
#include <time.h>

#include "physics/aerosol.h"
#include "physics/chem.h"

#define LT_MAX_RANK 64

/* lantian check's assessment lines: the rules, the pollutants the whole AQI
 * will have (the rules' and the background's), the targets. */
static void print_check_assessment(FILE *f, const lt_case *cs)
{
    const lt_config *cfg = lt_case_config(cs);
    char tidy[4200];
    lt_tidy_path(cfg->aqi_rules, tidy, sizeof tidy);
    fprintf(f, "assessment  AQI rules %s (%s)%s%s\n", lt_case_aqi(cs)->name, tidy,
            lt_case_alert(cs) ? ", alert rules " : "", lt_case_alert(cs) ? lt_case_alert(cs)->name : "");
    /* the pollutants the whole AQI will have: the rules' and the background's */
    const double *bg[LT_BG_NCOL];
    lt_case_background_series(cs, bg);
    char pols[64] = "pm25";
    for (int p = 1; p < LT_NPOL; p++)
        if (((lt_case_aqi(cs)->pols >> p) & 1u) && bg[p]) {
            size_t l = strlen(pols);
            snprintf(pols + l, sizeof pols - l, " %s", lt_pol_names[p]);
        }
    fprintf(f, "            daily AQI of %s%s\n", pols,
            !strchr(pols, ' ')                ? " alone (the rules or the background have no other)"
            : cfg->solver == LT_SOLVER_GRID ? " (the others from the [background] file)"
                                              : " (the others the [background] file's plus the explicit sources' at the "
                                                "stations; NO2 by the ozone-limiting method)");
    const lt_targets *tg = lt_case_targets(cs);
    if (tg) {
        lt_tidy_path(cfg->targets_file, tidy, sizeof tidy);
        fprintf(f, "            targets %s: %zu rows\n", tidy, tg->n);
    }
}

/* lantian check's background line: one series or per station, and the
 * components of PM2.5 it carries. */
static void print_check_background(FILE *f, const lt_case *cs)
{
    const lt_config *cfg = lt_case_config(cs);
    char tidy[4200];
    double sh[LT_BGC_N];
    size_t ns = lt_case_background_summary(cs, sh);
    lt_tidy_path(cfg->background_file, tidy, sizeof tidy);
    if (lt_case_background_by_station(cs))
        fprintf(f, "background  %s: per station, %zu stations (other stations and the grid by inverse distance "
                   "squared; the grid model's inflow their mean)\n", tidy, ns);
    else
        fprintf(f, "background  %s: one series for the domain\n", tidy);
    if (lt_case_background_components(cs))
        fprintf(f, "            PM2.5 components (period mean): so4 %.1f %%, no3 %.1f %%, nh4 %.1f %%, om %.1f %%, "
                   "ec %.1f %%, other %.1f %%%s\n", 100 * sh[LT_BGC_SO4], 100 * sh[LT_BGC_NO3], 100 * sh[LT_BGC_NH4],
                100 * sh[LT_BGC_OM], 100 * sh[LT_BGC_EC], 100 * sh[LT_BGC_OTHER],
                cfg->solver == LT_SOLVER_PLUME ? " (the plume counts nh4, om, ec, other as primary)" : "");
    else
        fprintf(f, "            no PM2.5 components: the background counts as primary PM2.5\n");
}

void lt_print_check(FILE *f, const lt_case *cs, const lt_preflight *pf)
{
    const lt_config *cfg = lt_case_config(cs);
    size_t np, nst;
    const lt_point *pts = lt_case_sources(cs, &np);
    lt_case_stations(cs, &nst);
    fprintf(f, "config      %s\n", cfg->path);
    fprintf(f, "run         %s, %d hours\n", cfg->start_iso, cfg->hours);
    fprintf(f, "domain      %d x %d cells of %g m centred on %.4f E %.4f N (transverse Mercator)\n", cfg->nx, cfg->ny,
            cfg->dx_m, cfg->center_lon, cfg->center_lat);
    size_t nvol = 0, narea = 0, nseg = 0;
    double so2 = 0, nox = 0, nh3 = 0, voc = 0;
    for (size_t i = 0; i < np; i++) {
        nvol += pts[i].kind == LT_SRC_VOLUME;
        narea += pts[i].kind == LT_SRC_AREA && !pts[i].road;
        nseg += pts[i].road;
        so2 += pts[i].so2_tpy;
        nox += pts[i].nox_tpy;
        nh3 += pts[i].nh3_tpy;
        voc += pts[i].voc_tpy;
    }
    fprintf(f, "sources     %s: %zu stacks", cfg->points_file, np - nvol - narea - nseg);
    if (cfg->volumes_file[0])
        fprintf(f, "; %s: %zu volume sources", cfg->volumes_file, nvol);
    if (cfg->areas_file[0])
        fprintf(f, "; %s: %zu area sources", cfg->areas_file, narea);
    if (cfg->roads_file[0])
        fprintf(f, "; %s: %zu road segments", cfg->roads_file, nseg);
    if (lt_case_hourly(cs))
        fprintf(f, "; %s: hourly emissions of %d stacks", cfg->hourly_file, lt_case_hourly(cs)->nlisted);
    fprintf(f, "\n            other species (t/yr%s): SO2 %.1f, NOx %.1f, NH3 %.1f, VOC %.1f\n",
            cfg->secondary ? "; SO2, NOx and VOC form secondary PM2.5" : "; [chemistry] secondary = no: not used", so2,
            nox, nh3, voc);
    for (int k = 0; k < cfg->nsectors; k++) {
        double q = 0;
        int n = 0;
        for (size_t i = 0; i < np; i++)
            if (pts[i].sector == k) {
                q += pts[i].pm25_tpy;
                n++;
            }
        if (n)
            fprintf(f, "            %-12s %4d sources  PM2.5 %10.1f t/yr\n", cfg->sectors[k], n, q);
    }
    const lt_emisgrid *g = lt_case_gridded(cs);
    if (g)
        fprintf(f, "gridded     %s (%s): %s; %d sector x county tags\n", cfg->gridded_path,
                cfg->gridded_layout == LT_GRIDDED_MEIC ? "MEIC layout, the run's first month" : "CF layout", g->summary,
                lt_case_grid_ngroups(cs));
    fprintf(f, "stations    %s: %zu stations\n", cfg->stations_file, nst);
    if (lt_case_regions(cs))
        fprintf(f, "counties    %s: %zu polygons; %d sources or stations given their county from them\n",
                cfg->counties_file, lt_regions_count(lt_case_regions(cs)), lt_case_assigned_counties(cs));
    const lt_met *met = lt_case_met(cs);
    fprintf(f, "met         %s: %s; optional variables read: %s\n", cfg->met_file, lt_met_description(met),
            lt_met_optional_found(met)[0] ? lt_met_optional_found(met) : "none");
    if (cfg->meander)
        fprintf(f, "dispersion  %s, z0 %g m, meander in every hour (sigma_v at least %g m/s, time scale %g h); calm "
                   "hours modelled\n",
                cfg->curves, cfg->z0_m, cfg->sigma_v_min_ms, cfg->meander_time_s / 3600.0);
    else
        fprintf(f, "dispersion  %s, z0 %g m, calm hours: %s\n", cfg->curves, cfg->z0_m,
                cfg->calm_minwind ? "minwind" : "skip");
    char tidy[4200];
    if (cfg->background_file[0])
        print_check_background(f, cs);
    if (cfg->bg_obs_path[0]) {
        lt_tidy_path(cfg->bg_obs_path, tidy, sizeof tidy);
        fprintf(f, "background  derived from the PM2.5 observed at %s (%s): %d of %d hours observed there%s\n",
                cfg->bg_obs_stations, tidy, cfg->hours - lt_case_bg_fallback_hours(cs), cfg->hours,
                lt_case_bg_fallback_hours(cs) ? ", the others from [background] file" : "");
    }
    if (lt_case_aqi(cs))
        print_check_assessment(f, cs);
    lt_tidy_path(cfg->output_file, tidy, sizeof tidy);
    fprintf(f, "output      %s", tidy);
    for (int i = 1; i < pf->nfiles; i++) {
        lt_tidy_path(pf->files[i], tidy, sizeof tidy);
        fprintf(f, "%s%s", i == 1 ? " (and " : ", ", tidy);
    }
    fprintf(f, "%s\n", pf->nfiles > 1 ? ")" : "");
    fprintf(f, "            up to %.0f MB before compression", pf->output_bytes / 1048576);
    if (pf->disk_free >= 0)
        fprintf(f, "; %.1f GB free on its disk", pf->disk_free / 1073741824);
    fprintf(f, "\nmemory      about %.0f MB at most", pf->memory_bytes / 1048576);
    if (pf->memory_available >= 0)
        fprintf(f, " (%.1f GB available)", pf->memory_available / 1073741824);
    fprintf(f, "\nblocks      the plume disperses %d hour%s at a time in one parallel region (one process)",
            pf->block_hours, pf->block_hours == 1 ? "" : "s");
    fprintf(f, "\ncheck       all inputs valid; every hour of meteorology present and in range; the output "
               "replaces no input\n");
}

/* The grid model's report: grid, budget, zero-out against tags. */
static void print_grid(FILE *f, const lt_case *cs, const lt_summary *s)
{
    const lt_grid_stats *g = &s->grid;
    fprintf(f, "\ngrid model: %d x %d columns of %.0f m, %d layers, %d tags (source groups and the boundary)\n", g->nx,
            g->ny, g->dx_m, g->nz, g->ntags);
    if (g->sources_outside)
        fprintf(f, "  %d explicit sources lie outside the grid and are not in the grid model\n", g->sources_outside);
    unsigned pt = lt_case_config(cs)->chem.partition;
    if (lt_case_config(cs)->secondary)
        fprintf(f, "  partition: NH4NO3 with %s's Kp%s\n", pt & LT_AER_KP_ISORROPIA ? "ISORROPIA" : "Mozurkewich",
                pt & LT_AER_NO_SOLUTION ? " (nitrate_solution = no)"
                                        : ", or dissolved into the sulfate and SOA water above 40 % RH");
    if (s->solver == LT_SOLVER_HYBRID)
        fprintf(f, "  hybrid: the grid held less of a source group than its plume's cell mean (plume alone) "
                   "at %.1f %% of receptor-group-hours\n",
                100.0 * g->clipped_share);
    fprintf(f, "  mass budget, t (final = initial + emitted + inflow - outflow + chemistry - dry - wet)\n");
    fprintf(f, "  %-14s", "species");
    for (int t = 0; t < LT_GB_N; t++)
        fprintf(f, " %11.11s", lt_grid_budget_names[t]);
    fprintf(f, " %10s\n", "residual");
    for (int sp = 0; sp < LT_GS_N; sp++) {
        if (lt_case_ncomp(cs) == 1 && sp > 0)
            break;
        fprintf(f, "  %-14s", lt_grid_species_names[sp]);
        for (int t = 0; t < LT_GB_N; t++)
            fprintf(f, " %11.4g", g->budget[sp * LT_GB_N + t] / 1000.0);
        fprintf(f, " %10.2g\n", lt_grid_budget_residual(g->budget, sp));
    }
    if (!s->zero_out)
        return;
    fprintf(f, "  tagging against zero-out (brute force), all-station mean of the grid's PM2.5 (%.3f ug/m3)\n",
            s->zo_total);
    fprintf(f, "  %-14s %12s %12s %12s\n", "tag", "tagged", "zero-out", "difference");
    double sum_bf = 0.0;
    for (int t = 0; t < s->ntags; t++) {
        double a = s->zo_tagged[t], b = s->zo_brute[t];
        sum_bf += b;
        fprintf(f, "  %-14s %12.4f %12.4f %+11.2f %%\n", lt_case_tag_names(cs)[t], a, b,
                a > 0 ? 100.0 * (b - a) / a : 0.0);
    }
    fprintf(f, "  sum of the zero-out contributions %.4f ug/m3 = %.2f %% of the total (tags sum to it "
               "within %.2g)\n",
            sum_bf, s->zo_total > 0 ? 100.0 * sum_bf / s->zo_total : 0.0, g->tag_sum_error);
}

/* The header, the stations' means and maxima. */
static void print_stations(FILE *f, const lt_case *cs, const lt_summary *s, const char *version)
{
    const lt_config *cfg = lt_case_config(cs);
    size_t nst;
    const lt_station *st = lt_case_stations(cs, &nst);
    fprintf(f, "lantian %s: %s, %d hours from %s\n", version, cfg->path, s->hours, cfg->start_iso);
    fprintf(f, "weather                %s\n", lt_met_description(lt_case_met(cs)));
    fprintf(f, "hours simulated        %d\n", s->hours);
    fprintf(f, "calm hours             %d (10 m wind < 0.5 m/s at the domain centre)\n", s->calm_hours);
    fprintf(f, "calm source-hours      %ld of %ld (%s)\n", s->calm_source_hours, s->source_hours,
            cfg->meander        ? "modelled with meander; gridded inventories at 0.5 m/s"
            : cfg->calm_minwind ? "modelled at 0.5 m/s"
                                : "not modelled, contribute nothing");
    fprintf(f, "stability (source-hours)  A %ld  B %ld  C %ld  D %ld  E %ld  F %ld\n", s->class_hours[0],
            s->class_hours[1], s->class_hours[2], s->class_hours[3], s->class_hours[4], s->class_hours[5]);
    if (cfg->bg_obs_path[0])
        fprintf(f, "background             from observations at %s: %d hours, observed %.2f - local %.2f = %.2f ug/m3 "
                   "(clipped to 0 in %d hours; %d hours from [background] file)\n",
                cfg->bg_obs_stations, s->bg_hours, s->bg_obs_mean, s->bg_local_mean,
                s->bg_obs_mean - s->bg_local_mean + s->bg_clipped_mean, s->bg_clipped_hours, s->bg_fallback_hours);
    fprintf(f, "grid PM2.5             mean %.3f ug/m3, max hourly %.2f ug/m3\n", s->grid_mean, s->grid_max);
    fputc('\n', f);
    lt_put_padded(f, "station", 28);
    lt_put_padded(f, "county", 14);
    fprintf(f, "%10s %10s\n", "mean", "max 1-h");
    for (size_t k = 0; k < s->nstations; k++) { /* padded by display width: a CJK name takes two columns a character */
        lt_put_padded(f, st[k].name, 28);
        lt_put_padded(f, st[k].county, 14);
        fprintf(f, "%10.3f %10.2f\n", s->station_mean[k], s->station_max[k]);
    }
    fprintf(f, "(ug/m3: %s PM2.5 from the sources in the inventory%s)\n", cfg->secondary ? "primary and secondary" : "primary",
            lt_case_background_tag(cs) >= 0 ? ", plus the background tag" : "");
}

/* The daily assessment and the counties ranked by their mean daily PM2.5. */
static void print_assessment(FILE *f, const lt_case *cs, const lt_summary *s)
{
    const lt_config *cfg = lt_case_config(cs);
    const lt_aqi_table *aqi = lt_case_aqi(cs);
    const lt_alert_rules *alert = lt_case_alert(cs);
    fprintf(f, "\ndaily assessment (%s, China Standard Time days, city = mean of the stations)\n", aqi->name);
    fprintf(f, "  days %zu, valid %d; city mean PM2.5 %.2f ug/m3\n", s->ndays, s->valid_days, s->city_mean);
    fprintf(f, "  good days (AQI <= 100) %d, heavy-pollution days (AQI > 200) %d, "
               "exceedance days (24-h PM2.5 > %g) %d\n",
            s->good_days, s->heavy_days, aqi->pm25_limit, s->exceed_days);
    if (alert)
        fprintf(f, "  alert days (%s rules, decided on this run as the forecast, %d h lead) %d\n", alert->name,
                cfg->alert_lead_hours, s->alert_days);
    const char *const *names;
    const int *of;
    size_t nc = lt_case_station_counties(cs, &names, &of);
    int order[LT_MAX_RANK];
    size_t nr = nc < LT_MAX_RANK ? nc : LT_MAX_RANK;
    for (size_t i = 0; i < nr; i++)
        order[i] = (int)i;
    for (size_t i = 0; i < nr; i++)
        for (size_t j = i + 1; j < nr; j++)
            if (s->county_mean[order[j]] > s->county_mean[order[i]]) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    fprintf(f, "  counties by mean daily PM2.5:");
    for (size_t i = 0; i < nr; i++)
        fprintf(f, "%s %zu. %s %.1f", i ? "," : "", i + 1, names[order[i]], s->county_mean[order[i]]);
    fprintf(f, "\n");
}

/* The days with an alert in force under alert-mode scenario i. */
static void print_alert_days(FILE *f, const lt_case *cs, const lt_summary *s, int i)
{
    const lt_aqi_table *aqi = lt_case_aqi(cs);
    const lt_alert_rules *alert = lt_case_alert(cs);
    fprintf(f, "  alert mode '%s', days with an alert in force: date (CST), level, city AQI and "
               "category, baseline -> controlled\n",
            lt_case_scenarios(cs)->name[i]);
    for (size_t d = 0; d < s->ndays; d++) {
        if (!s->day_alert[d])
            continue;
        char date[32];
        time_t t = (time_t)(s->day0_s + 8 * 3600.0 + 86400.0 * (double)d);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%d", &tm);
        int a0 = s->day_aqi[d], a1 = s->scen_day_aqi[(size_t)i * s->ndays + d];
        int c0 = lt_aqi_category(aqi, a0), c1 = lt_aqi_category(aqi, a1);
        char v0[16] = "   - ", v1[16] = "   - ";
        if (a0 >= 0)
            snprintf(v0, sizeof v0, "%4d ", a0);
        if (a1 >= 0)
            snprintf(v1, sizeof v1, "%4d ", a1);
        fprintf(f, "    %s  %-7s %s", date, alert->level[s->day_alert[d] - 1].name, v0);
        lt_put_padded(f, c0 >= 0 ? aqi->cat_name[c0] : "no valid data", 20);
        fprintf(f, "-> %s%s\n", v1, c1 >= 0 ? aqi->cat_name[c1] : "no valid data");
    }
}

/* The scenario table, the measures' cuts and the alert-mode days. */
static void print_scenarios(FILE *f, const lt_case *cs, const lt_summary *s)
{
    const lt_config *cfg = lt_case_config(cs);
    const lt_scenarios *sc = lt_case_scenarios(cs);
    const lt_alert_rules *alert = lt_case_alert(cs);
    fprintf(f, "\nscenarios (city = mean of the stations; alert days by each run's own forecast)\n");
    fprintf(f, "  %-12s %14s %6s %6s %7s %6s %14s\n", "scenario", "city PM2.5", "good", "heavy", "exceed", "alert",
            "station change");
    fprintf(f, "  %-12s %14.2f %6d %6d %7d %6d %14s\n", "baseline", s->city_mean, s->good_days, s->heavy_days,
            s->exceed_days, s->alert_days, "-");
    for (int i = 0; i < s->nscen; i++)
        fprintf(f, "  %-12s %14.2f %6d %6d %7d %6d %+14.3f\n", sc->name[i], s->scen_city_mean[i], s->scen_good[i],
                s->scen_heavy[i], s->scen_exceed[i], s->scen_alert_days[i], s->scen_station_mean_delta[i]);
    if (alert && cfg->measures_file[0]) {
        char mt[4200];
        lt_tidy_path(cfg->measures_file, mt, sizeof mt);
        fprintf(f, "  measures table %s: cut of the inventory's PM2.5 emission", mt);
        for (int l = 1; l <= alert->nlevels; l++) {
            double need = alert->level[l - 1].min_cut;
            fprintf(f, "%s %s %.1f %%%s", l > 1 ? "," : "", alert->level[l - 1].name, 100.0 * sc->level_cut[l],
                    sc->level_cut[l] + 1e-9 < need ? " (BELOW the required" : "");
            if (sc->level_cut[l] + 1e-9 < need)
                fprintf(f, " %.0f %%)", 100.0 * need);
        }
        fprintf(f, "\n");
    }
    for (int i = 0; i < s->nscen; i++)
        if (sc->alert_mode[i])
            print_alert_days(f, cs, s, i);
    fprintf(f, "  cost: scenarios combined in %.2f s beside %.2f s of dispersion", s->scenario_seconds,
            s->kernel_seconds);
    if (s->reruns)
        fprintf(f, " (alert mode dispersed %d of the %d hours and %d of the %d source groups again)", s->reruns,
                s->hours, s->rerun_groups, s->ngroups);
    fprintf(f, "\n");
    char tidy[4200];
    lt_tidy_path(s->scenario_csv, tidy, sizeof tidy);
    fprintf(f, "  table: %s\n", tidy);
}

/* One share: the name padded by display width, ug/m3 and per cent. */
static void share_line(FILE *f, const char *name, double allmean, double share)
{
    fputs("  ", f);
    lt_put_padded(f, name, 14);
    fprintf(f, "%10.4f ug/m3 %8.3f %%\n", allmean * share, 100.0 * share);
}

/* The shares of the sector tags, the county tags and the components. */
static void print_shares(FILE *f, const lt_case *cs, const lt_summary *s)
{
    double allmean = 0.0;
    for (size_t k = 0; k < s->nstations; k++)
        allmean += s->station_mean[k] / (double)s->nstations;
    fprintf(f, "\nsource tags: share of the all-station mean (%.3f ug/m3)\n", allmean);
    for (int g = 0; g < s->ntags; g++)
        share_line(f, lt_case_tag_names(cs)[g], allmean, s->tag_share[g]);
    fprintf(f, "county tags (where the sources are): share of the all-station mean\n");
    for (size_t c = 0; c < s->nsrc_counties; c++)
        share_line(f, lt_case_src_county_names(cs)[c], allmean, s->county_share[c]);
    if (!lt_case_config(cs)->secondary)
        return;
    static const char *const cn[LT_NCOMP_GRID] = {"primary", "sulfate", "nitrate", "SOA", "ammonium"};
    fprintf(f, "components: share of the all-station mean\n");
    for (int c = 0; c < lt_case_ncomp(cs); c++)
        share_line(f, cn[c], allmean, s->comp_share[c]);
}

/* [output] sources: each own source's mean contribution at every station. */
static void print_own_sources(FILE *f, const lt_case *cs, const lt_summary *s)
{
    const lt_config *cfg = lt_case_config(cs);
    if (!cfg->ntag_sources || !s->station_tag_mean)
        return;
    size_t nst;
    const lt_station *st = lt_case_stations(cs, &nst);
    const char *const *names = lt_case_tag_names(cs);
    fprintf(f, "\nown sources ([output] sources) at the stations: mean contribution, ug/m3 (%% of the station mean)\n");
    lt_put_padded(f, "station", 28);
    for (int t = 0; t < cfg->ntag_sources; t++)
        fprintf(f, "%21s", cfg->tag_sources[t]);
    fputc('\n', f);
    size_t n1 = nst ? nst : 1;
    for (size_t k = 0; k < nst; k++) {
        lt_put_padded(f, st[k].name, 28);
        for (int t = 0; t < cfg->ntag_sources; t++) {
            int g = 0;
            while (g < s->ntags && strcmp(names[g], cfg->tag_sources[t]))
                g++;
            double v = g < s->ntags ? s->station_tag_mean[(size_t)g * n1 + k] : 0.0;
            fprintf(f, "%11.4f (%5.2f %%)", v, s->station_mean[k] > 0 ? 100.0 * v / s->station_mean[k] : 0.0);
        }
        fputc('\n', f);
    }
}

/* One place's row of the period's assessment. */
static void print_annual_row(FILE *f, const char *scen, const char *place, const lt_annual_row *r, int six)
{
    const lt_annual *a = &r->a;
    fprintf(f, "  %-10s ", scen);
    lt_put_padded(f, place, 10);
    fprintf(f, " %5d %5d %5d %7.1f", a->valid_days, a->good_days, a->heavy_days, a->mean[LT_POL_PM25]);
    if (six)
        fprintf(f, " %6.2f", a->index);
    else
        fprintf(f, " %6s", "-");
    fprintf(f, "  %3d %3d %3d %3d %3d %3d", a->primary_days[0], a->primary_days[1], a->primary_days[2],
            a->primary_days[3], a->primary_days[4], a->primary_days[5]);
    if (r->verdict < 0) {
        fputc('\n', f);
        return;
    }
    fprintf(f, "  %s", r->verdict ? "attained" : "NOT attained:");
    if (!r->verdict && r->pm25_gap > 0)
        fprintf(f, " PM2.5 %.1f > %g", a->mean[LT_POL_PM25], r->target_pm25);
    if (!r->verdict && r->good_gap > 0)
        fprintf(f, "%s needs %.0f more good days", r->pm25_gap > 0 ? "," : "", r->good_gap);
    fputc('\n', f);
}

/* The six-pollutant assessment of the period: the city under every
 * scenario, the counties under the baseline, the targets. */
static void print_annual(FILE *f, const lt_case *cs, const lt_summary *s)
{
    const lt_aqi_table *aqi = lt_case_aqi(cs);
    const lt_scenarios *sc = lt_case_scenarios(cs);
    const char *const *names;
    const int *of;
    size_t nc = lt_case_station_counties(cs, &names, &of);
    char pols[64] = "";
    for (int p = 0; p < LT_NPOL; p++)
        if ((s->aq_pols >> p) & 1u) {
            size_t l = strlen(pols);
            snprintf(pols + l, sizeof pols - l, "%s%s", l ? " " : "", lt_pol_names[p]);
        }
    int six = s->aq_pols == LT_POL_ALL;
    const lt_annual_row *city = &s->annual[nc];
    fprintf(f, "\nassessment of the period (HJ 663-2013 statistics; daily AQI of %s by %s%s)\n", pols, aqi->name,
            six ? "" : "; the other pollutants have no [background] column: good days are an upper bound");
    if (!city->a.year_valid)
        fprintf(f, "  %d days: not a valid HJ 663 year (that needs %d valid days, %d in each month, %d in February); "
                   "a year's targets are held in proportion to the valid days (of %d)\n",
                city->a.days, aqi->year_min_days, aqi->month_min_days, aqi->feb_min_days, s->aq_days_in_year);
    fprintf(f, "  %-10s %-10s %5s %5s %5s %7s %6s  %-23s  %s\n", "scenario", "place", "valid", "good", "heavy",
            "PM2.5", "index", "primary pm25..o3 days", "targets");
    for (size_t i = 0; i < s->nannual; i++) {
        const lt_annual_row *r = &s->annual[i];
        if (r->scenario >= 0 && r->level != LT_LEVEL_CITY)
            continue;
        print_annual_row(f, r->scenario < 0 ? "baseline" : sc->name[r->scenario],
                         r->level == LT_LEVEL_CITY ? "city" : names[r->place], r, six);
    }
    if (s->aq_pols != (1u << LT_POL_PM25))
        fprintf(f, "  non-good days of the city that PM2.5 alone would have called good: %d of %d\n",
                city->pm25_missed, city->a.valid_days - city->a.good_days);
    char tidy[4200];
    lt_tidy_path(s->aq_csv, tidy, sizeof tidy);
    fprintf(f, "  (every scenario, county and station in %s; days in _daily.csv, monthly county ranks in "
               "_ranking.csv)\n", tidy);
}

/* The files the run wrote: the output and those beside it, paths tidied. */
static void print_outputs(FILE *f, const char *out, double wall_s)
{
    struct stat sm, ss;
    char tidy[4200], side[4300];
    lt_tidy_path(out, tidy, sizeof tidy);
    fprintf(f, "output                 %s\n", tidy);
    size_t n = strlen(tidy);
    if (n > 3 && !strcmp(tidy + n - 3, ".nc"))
        n -= 3;
    static const char *const beside[] = {"_daily.nc",  "_period.nc", "_stations.nc", "_stations.csv", "_scenarios.csv",
                                         "_daily.csv", "_annual.csv", "_ranking.csv"};
    int any = 0;
    for (size_t i = 0; i < sizeof beside / sizeof *beside; i++) {
        snprintf(side, sizeof side, "%.*s%s", (int)n, tidy, beside[i]);
        /* written by this run: modified within its wall time of the output (not a stale one) */
        if (stat(side, &ss) == 0 && stat(tidy, &sm) == 0 && (double)ss.st_mtime >= (double)sm.st_mtime - wall_s - 2.0)
            fprintf(f, "%s%s", any++ ? ", " : "beside it              ", side);
    }
    if (any)
        fputc('\n', f);
}

/* What the run cost. */
static void print_costs(FILE *f, const lt_case *cs, const lt_summary *s)
{
    fprintf(f, "\nplume kernel           %.3g source-receptor-hour evaluations in %.2f s "
               "= %.3g per second on %d threads\n",
            s->evaluations, s->kernel_seconds, s->kernel_seconds > 0 ? s->evaluations / s->kernel_seconds : 0.0,
            s->threads);
    if (lt_case_gridded(cs) && s->solver == LT_SOLVER_PLUME)
        fprintf(f, "gridded emissions      convolved in %.2f s (%.3g cell-hours, kernels and FFTs)\n",
                s->gridded_seconds, s->gridded_cell_hours);
    if (s->solver != LT_SOLVER_PLUME) {
        const lt_grid_stats *g = &s->grid;
        fprintf(f, "grid model             %.2f s for %d hours (first pass) = %.1f s per simulated day; "
                   "%ld steps; %.3g cell-species-tag updates = %.3g per second\n",
                g->seconds, s->hours, g->seconds * 24.0 / s->hours, g->steps, g->updates,
                g->seconds > 0 ? g->updates / g->seconds : 0.0);
    }
    fprintf(f, "wall time              %.2f s\n", s->wall_seconds);
    print_outputs(f, lt_case_config(cs)->output_file, s->wall_seconds);
}

void lt_print_summary(FILE *f, const lt_case *cs, const lt_summary *s, const char *version)
{
    print_stations(f, cs, s, version);
    if (s->assessed)
        print_assessment(f, cs, s);
    if (s->nscen)
        print_scenarios(f, cs, s);
    if (s->nannual)
        print_annual(f, cs, s);
    print_shares(f, cs, s);
    print_own_sources(f, cs, s);
    if (s->solver != LT_SOLVER_PLUME)
        print_grid(f, cs, s);
    print_costs(f, cs, s);
}
