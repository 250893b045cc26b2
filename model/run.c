/* run.c — loading a case and running the plume model hour by hour. */
#include "run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "chem.h"
#include "checkpoint.h"
#include "gridconv.h"
#include "gridrun.h"
#include "kmodel.h"
#include "output.h"
#include "plume.h"
#include "rise.h"
#include "sigma.h"
#include "stability.h"

#define RCHUNK 512     /* receptors per chunk of the per-hour sums */
#define BLOCK_HOURS 24 /* hours buffered before each write: one chunk in time */

#ifdef LT_MPI
#include <limits.h>
#include <mpi.h>
#endif
#define PI 3.14159265358979323846

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The file a source was read from, for messages. */
static const char *source_file(const lt_config *cfg, const lt_point *p)
{
    if (p->road)
        return cfg->roads_file;
    if (p->kind == LT_SRC_AREA)
        return cfg->areas_file;
    return p->kind == LT_SRC_VOLUME ? cfg->volumes_file : cfg->points_file;
}

#define UNASSIGNED_COUNTY "unassigned"

/* The county tag of a county name, added to the list when new. */
static int county_tag(lt_case *cs, const char *name)
{
    const char *n = name[0] ? name : UNASSIGNED_COUNTY;
    for (size_t c = 0; c < cs->nsrc_counties; c++)
        if (!strcmp(cs->src_county_names[c], n))
            return (int)c;
    cs->src_county_names[cs->nsrc_counties] = n;
    return (int)cs->nsrc_counties++;
}

/* One group per gridded sector and county (of the cells that emit), after
 * the point-like sources' groups. */
static int build_grid_groups(lt_case *cs, lt_error *err)
{
    const lt_emisgrid *g = cs->gridded;
    size_t ng = (size_t)g->nx * (size_t)g->ny;
    cs->cell_county = malloc(ng * sizeof *cs->cell_county);
    cs->grid_group_sector = malloc((size_t)LT_MAX_SECTORS * (cs->nsrc_counties + ng + 1) * sizeof(int));
    if (!cs->cell_county || !cs->grid_group_sector)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t r = 0; r < ng; r++) {
        int emits = 0;
        for (int k = 0; k < LT_MAX_SECTORS && !emits; k++)
            for (int l = 0; l < g->nheights && !emits; l++)
                for (int sp = 0; sp < LT_EG_NSPECIES && !emits; sp++)
                    emits = g->emis[k][l][sp] && g->emis[k][l][sp][r] > 0.0;
        int reg = cs->cell_region ? cs->cell_region[r] : -1;
        /* every cell gets its county tag when the inventory changes by month
         * (a cell may emit only in a later month); otherwise emitting cells */
        int all = cs->cfg->gridded_layout == LT_GRIDDED_MEIC;
        cs->cell_county[r] = emits || all ? county_tag(cs, reg >= 0 ? lt_regions_name(cs->regions, (size_t)reg) : "") : -1;
    }
    cs->grid_group0 = cs->ngroups;
    cs->grid_ngroups = 0;
    for (int k = 0; k < LT_MAX_SECTORS; k++) {
        if (!g->has[k])
            continue;
        for (size_t c = 0; c < cs->nsrc_counties; c++) {
            int present = 0;
            for (size_t r = 0; r < ng && !present; r++) {
                if (cs->cell_county[r] != (int)c)
                    continue;
                for (int l = 0; l < g->nheights && !present; l++)
                    for (int sp = 0; sp < LT_EG_NSPECIES && !present; sp++)
                        present = g->emis[k][l][sp] && g->emis[k][l][sp][r] > 0.0;
            }
            if (!present)
                continue;
            lt_point probe;
            memset(&probe, 0, sizeof probe);
            probe.sector = k;
            probe.grade = '-';
            snprintf(probe.county, sizeof probe.county, "%s",
                     strcmp(cs->src_county_names[c], UNASSIGNED_COUNTY) ? cs->src_county_names[c] : "");
            int gi = cs->ngroups++;
            cs->group_tag[gi] = cs->tag_of_sector[k];
            cs->group_county[gi] = (int)c;
            cs->group_sig[gi] = cs->scen ? lt_scenario_signature(cs->scen, &probe) : 0;
            cs->grid_group_sector[cs->grid_ngroups++] = k;
        }
    }
    return LT_OK;
}

/* Groups of sources with the same sector tag, the same county and the same
 * scenario rules; the background tag, when there is one, is a group of its
 * own (the last) with a county tag of its own. */
static int build_groups(lt_case *cs, lt_error *err)
{
    size_t nreg = cs->regions ? lt_regions_count(cs->regions) : 0;
    size_t cap = cs->npoints + 2 + (cs->gridded ? (size_t)LT_MAX_SECTORS * (nreg + 1) : 0);
    cs->group_of_point = malloc((cs->npoints ? cs->npoints : 1) * sizeof *cs->group_of_point);
    cs->group_tag = malloc(cap * sizeof *cs->group_tag);
    cs->group_county = malloc(cap * sizeof *cs->group_county);
    cs->group_sig = malloc(cap * sizeof *cs->group_sig);
    cs->src_county_names = malloc(cap * sizeof *cs->src_county_names);
    if (!cs->group_of_point || !cs->group_tag || !cs->group_county || !cs->group_sig ||
        !cs->src_county_names)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    cs->ngroups = 0;
    cs->nsrc_counties = 0;
    for (size_t i = 0; i < cs->npoints; i++) {
        int tag = cs->tag_of_sector[cs->points[i].sector];
        int cty = county_tag(cs, cs->points[i].county);
        uint64_t sig = cs->scen ? lt_scenario_signature(cs->scen, &cs->points[i]) : 0;
        int g = 0;
        while (g < cs->ngroups && !(cs->group_tag[g] == tag && cs->group_county[g] == cty &&
                                    cs->group_sig[g] == sig))
            g++;
        if (g == cs->ngroups) {
            cs->group_tag[g] = tag;
            cs->group_county[g] = cty;
            cs->group_sig[g] = sig;
            cs->ngroups++;
        }
        cs->group_of_point[i] = g;
    }
    cs->npoint_groups = cs->ngroups;
    if (cs->gridded && (build_grid_groups(cs, err)))
        return err->code;
    if (cs->background_tag >= 0) {
        cs->group_tag[cs->ngroups] = cs->background_tag;
        cs->group_county[cs->ngroups] = (int)cs->nsrc_counties;
        cs->src_county_names[cs->nsrc_counties++] = cs->cfg->background_name;
        cs->group_sig[cs->ngroups] = cs->scen ? lt_scenario_signature_background(cs->scen) : 0;
        cs->ngroups++;
    }
    if (cs->nsrc_counties == 0)
        cs->src_county_names[cs->nsrc_counties++] = UNASSIGNED_COUNTY;
    return LT_OK;
}

int lt_case_load(lt_case *cs, const lt_config *cfg, lt_error *err)
{
    memset(cs, 0, sizeof *cs);
    cs->cfg = cfg;
    int rc;
    if ((rc = lt_domain_create(&cs->domain, cfg->center_lon, cfg->center_lat, cfg->nx, cfg->ny,
                               cfg->dx_m, err)) ||
        (rc = lt_points_read(cfg->points_file, cfg, &cs->points, &cs->npoints, err)) ||
        (cfg->volumes_file[0] &&
         (rc = lt_volumes_read(cfg->volumes_file, cfg, &cs->points, &cs->npoints, err))) ||
        (cfg->areas_file[0] &&
         (rc = lt_areas_read(cfg->areas_file, cfg, &cs->points, &cs->npoints, err))) ||
        (cfg->roads_file[0] &&
         (rc = lt_roads_read(cfg->roads_file, cfg, &cs->points, &cs->npoints, err))) ||
        (rc = lt_stations_read(cfg->stations_file, &cs->stations, &cs->nstations, err)))
        goto fail;
    for (size_t i = 0; i < cs->npoints; i++) {
        lt_point *p = &cs->points[i];
        double out;
        if (lt_domain_forward(cs->domain, p->lon, p->lat, &p->x_m, &p->y_m) ||
            (out = lt_domain_outside_m(cs->domain, p->x_m, p->y_m)) > 1000.0 * cfg->margin_km) {
            rc = lt_error_set(err, LT_EINPUT,
                              "%s:%d: source '%s' at lon %.4f, lat %.4f lies outside the domain "
                              "(by more than [sources] margin_km = %g km): expected a source in "
                              "or near the %d x %d km grid centred on %.4f E, %.4f N",
                              source_file(cfg, p),
                              p->line, p->id, p->lon, p->lat, cfg->margin_km,
                              (int)(cfg->nx * cfg->dx_m / 1000), (int)(cfg->ny * cfg->dx_m / 1000),
                              cfg->center_lon, cfg->center_lat);
            goto fail;
        }
        p->north_rot = lt_domain_north_rotation(cs->domain, p->lon, p->lat);
        if (p->kind == LT_SRC_AREA) {
            double a2 = 0.0;
            for (int v = 0; v < p->nvert; v++) {
                double vx, vy;
                if (lt_domain_forward(cs->domain, p->vlon[v], p->vlat[v], &vx, &vy)) {
                    rc = lt_error_set(err, LT_EINPUT, "%s:%d: area '%s': vertex %d cannot be projected",
                                      source_file(cfg, p), p->line, p->id, v + 1);
                    goto fail;
                }
                p->vx[v] = vx - p->x_m;
                p->vy[v] = vy - p->y_m;
            }
            for (int v = 0, w = p->nvert - 1; v < p->nvert; w = v++)
                a2 += p->vx[w] * p->vy[v] - p->vx[v] * p->vy[w];
            p->area_m2 = 0.5 * fabs(a2);
            double ext = 0.0; /* the largest vertex distance from the centre */
            for (int v = 0; v < p->nvert; v++)
                ext = fmax(ext, hypot(p->vx[v], p->vy[v]));
            if (!p->road && (!(p->area_m2 > 1.0) || p->area_m2 < 1e-3 * ext * ext)) {
                rc = lt_error_set(err, LT_EINPUT,
                                  "%s:%d: area '%s' encloses %.3g m2 across %.0f m: expected a polygon of at least 1 m2 "
                                  "that is not a line (vertices in order, not all in a row)",
                                  source_file(cfg, p), p->line, p->id, p->area_m2, 2 * ext);
                goto fail;
            }
        }
    }
    for (size_t i = 0; i < cs->nstations; i++) {
        lt_station *s = &cs->stations[i];
        if (lt_domain_forward(cs->domain, s->lon, s->lat, &s->x_m, &s->y_m) ||
            lt_domain_outside_m(cs->domain, s->x_m, s->y_m) > 0.0) {
            rc = lt_error_set(err, LT_EINPUT,
                              "%s: station '%s' at lon %.4f, lat %.4f lies outside the receptor grid: "
                              "expected stations inside the domain",
                              cfg->stations_file, s->id, s->lon, s->lat);
            goto fail;
        }
    }
    if (cfg->counties_file[0]) {
        if ((rc = lt_regions_read(&cs->regions, cfg->counties_file, cfg->county_property, err)))
            goto fail;
        for (size_t i = 0; i < cs->npoints; i++) {
            lt_point *p = &cs->points[i];
            int g;
            if (!p->county[0] && (g = lt_regions_find(cs->regions, p->lon, p->lat)) >= 0) {
                snprintf(p->county, sizeof p->county, "%s", lt_regions_name(cs->regions, (size_t)g));
                cs->assigned_counties++;
            }
        }
        for (size_t i = 0; i < cs->nstations; i++) {
            lt_station *s = &cs->stations[i];
            int g;
            if (!s->county[0] && (g = lt_regions_find(cs->regions, s->lon, s->lat)) >= 0) {
                snprintf(s->county, sizeof s->county, "%s", lt_regions_name(cs->regions, (size_t)g));
                cs->assigned_counties++;
            }
        }
        size_t ng = (size_t)cfg->nx * (size_t)cfg->ny;
        cs->cell_region = malloc(ng * sizeof *cs->cell_region);
        if (!cs->cell_region) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        for (int j = 0; j < cfg->ny; j++)
            for (int i = 0; i < cfg->nx; i++) {
                double lon, lat;
                size_t k = (size_t)j * cfg->nx + i;
                cs->cell_region[k] = lt_domain_inverse(cs->domain, lt_domain_x(cs->domain, i),
                                                       lt_domain_y(cs->domain, j), &lon, &lat)
                                         ? -1
                                         : lt_regions_find(cs->regions, lon, lat);
            }
    }
    if (cfg->hourly_file[0]) {
        cs->hourly = malloc(sizeof *cs->hourly);
        if (!cs->hourly) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = lt_houremis_read(cs->hourly, cfg->hourly_file, cs->points, cs->npoints, cfg->start_s,
                                   cfg->hours, err))) {
            free(cs->hourly);
            cs->hourly = NULL;
            goto fail;
        }
    }
    if (cfg->gridded_layout != LT_GRIDDED_NONE) {
        cs->gridded = malloc(sizeof *cs->gridded);
        if (!cs->gridded) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = lt_emisgrid_load(cs->gridded, cfg, cs->domain, cfg->start_s, err))) {
            free(cs->gridded);
            cs->gridded = NULL;
            goto fail;
        }
        time_t t0 = (time_t)cfg->start_s;
        struct tm tm;
        gmtime_r(&t0, &tm);
        cs->grid_month = tm.tm_mon;
    }
    /* Tags: the sectors that have sources, in the config's order. */
    int has[LT_MAX_SECTORS] = {0};
    for (size_t i = 0; i < cs->npoints; i++)
        has[cs->points[i].sector] = 1;
    for (int k = 0; cs->gridded && k < LT_MAX_SECTORS; k++)
        has[k] |= cs->gridded->has[k];
    cs->ntags = 0;
    for (int k = 0; k < cfg->nsectors; k++) {
        cs->tag_of_sector[k] = has[k] ? cs->ntags : -1;
        if (has[k])
            cs->tag_names[cs->ntags++] = cfg->sectors[k];
    }
    if (cfg->profiles_file[0]) {
        if ((rc = lt_profiles_read(&cs->profiles, cfg->profiles_file, cfg, cfg->start_s, cfg->utc_offset_h, err)))
            goto fail;
    } else {
        lt_profiles_flat(&cs->profiles, cfg->nsectors);
    }
    cs->background_tag = -1;
    if (cfg->background_file[0]) {
        cs->background = malloc((size_t)cfg->hours * sizeof *cs->background);
        if (!cs->background) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = lt_background_read(cfg->background_file, cfg->start_s, cfg->hours, cs->background, err)))
            goto fail;
        cs->background_tag = cs->ntags;
        cs->tag_names[cs->ntags++] = cfg->background_name;
    }
    if (cfg->aqi_rules[0]) {
        if ((rc = lt_aqi_table_read(&cs->aqi, cfg->aqi_rules, err)))
            goto fail;
        cs->have_aqi = 1;
    }
    if (cfg->alert_rules[0]) {
        if ((rc = lt_alert_rules_read(&cs->alert, cfg->alert_rules, err)))
            goto fail;
        cs->have_alert = 1;
    }
    if (cfg->nscen) {
        cs->scen = malloc(sizeof *cs->scen);
        if (!cs->scen) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = lt_scenarios_build(cs->scen, cfg, cs->points, cs->npoints, cs->stations, cs->nstations,
                                     cs->have_alert ? &cs->alert : NULL, err)))
            goto fail;
        if (cs->scen->n > 0 && !cs->have_aqi) {
            rc = lt_error_set(err, LT_EINPUT, "%s: scenarios need [assessment] aqi_rules (they are compared on the AQI)",
                              cfg->path);
            goto fail;
        }
    }
    if ((rc = build_groups(cs, err)))
        goto fail;
    cs->ncomp = !cfg->secondary ? 1 : cfg->solver == LT_SOLVER_PLUME ? LT_NCOMP : LT_NCOMP_GRID;
    cs->county_names = malloc((cs->nstations ? cs->nstations : 1) * sizeof *cs->county_names);
    cs->county_of_station = malloc((cs->nstations ? cs->nstations : 1) * sizeof *cs->county_of_station);
    if (!cs->county_names || !cs->county_of_station) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto fail;
    }
    cs->ncounties = 0;
    for (size_t k = 0; k < cs->nstations; k++) {
        size_t c = 0;
        while (c < cs->ncounties && strcmp(cs->county_names[c], cs->stations[k].county))
            c++;
        if (c == cs->ncounties)
            cs->county_names[cs->ncounties++] = cs->stations[k].county;
        cs->county_of_station[k] = (int)c;
    }
    if ((rc = lt_met_open_ex(&cs->met, cfg->met_file, cfg->met_format, cfg->met_variables, err)) ||
        (rc = lt_met_check_coverage(cs->met, cfg->start_s, cfg->hours, err)))
        goto fail;
    if (!cfg->stability_turner && !lt_met_has(cs->met, "rmol") && !lt_met_has(cs->met, "hfx")) {
        rc = lt_error_set(err, LT_EINPUT,
                          "%s: meteorological variable 'rmol' (m-1) is missing, and so is 'hfx' from which it could be derived: "
                          "expected rmol(time, lat, lon), or [dispersion] stability = turner with 'cloud'",
                          cfg->met_file);
        goto fail;
    }
    if (cfg->stability_turner && !lt_met_has(cs->met, "cloud")) {
        rc = lt_error_set(err, LT_EINPUT,
                          "%s: meteorological variable 'cloud' (0-1) is missing: expected cloud(time, lat, lon) for [dispersion] stability = turner",
                          cfg->met_file);
        goto fail;
    }
    if (lt_sigma_curves_find(cfg->curves)->similarity && !lt_met_has(cs->met, "rmol") &&
        !lt_met_has(cs->met, "hfx")) {
        rc = lt_error_set(err, LT_EINPUT, "%s: 'rmol' and 'hfx' are missing: expected one of them for [dispersion] curves = similarity",
                          cfg->met_file);
        goto fail;
    }
    return LT_OK;
fail:
    lt_case_free(cs);
    return rc;
}

int lt_case_check_met(lt_case *cs, lt_error *err)
{
    for (int h = 0; h < cs->cfg->hours; h++) {
        int rc = lt_met_load(cs->met, cs->cfg->start_s + 3600.0 * h, err);
        if (rc)
            return rc;
    }
    return LT_OK;
}

void lt_case_free(lt_case *cs)
{
    lt_domain_free(&cs->domain);
    lt_met_close(&cs->met);
    lt_points_free(cs->points, cs->npoints);
    free(cs->stations);
    free(cs->background);
    lt_regions_free(&cs->regions);
    free(cs->cell_region);
    cs->cell_region = NULL;
    free(cs->scen);
    free(cs->county_names);
    free(cs->county_of_station);
    cs->county_names = NULL;
    cs->county_of_station = NULL;
    free(cs->group_of_point);
    if (cs->gridded) {
        lt_emisgrid_free(cs->gridded);
        free(cs->gridded);
        cs->gridded = NULL;
    }
    if (cs->hourly) {
        lt_houremis_free(cs->hourly);
        free(cs->hourly);
        cs->hourly = NULL;
    }
    free(cs->grid_group_sector);
    free(cs->cell_county);
    cs->grid_group_sector = NULL;
    cs->cell_county = NULL;
    free(cs->group_tag);
    free(cs->group_county);
    free(cs->src_county_names);
    cs->group_county = NULL;
    cs->src_county_names = NULL;
    free(cs->group_sig);
    cs->scen = NULL;
    cs->group_of_point = NULL;
    cs->group_tag = NULL;
    cs->group_sig = NULL;
    cs->points = NULL;
    cs->stations = NULL;
    cs->background = NULL;
}

void lt_case_set_mpi(lt_case *cs, int rank, int ranks)
{
    cs->mpi_rank = rank;
    cs->mpi_ranks = ranks;
}

void lt_case_set_progress(lt_case *cs, lt_progress_fn fn, void *user)
{
    cs->progress = fn;
    cs->progress_user = user;
}

void lt_summary_free(lt_summary *s)
{
    free(s->station_mean);
    free(s->station_max);
    free(s->county_share);
    s->county_share = NULL;
    free(s->county_mean);
    free(s->day_alert);
    free(s->day_aqi);
    free(s->scen_day_aqi);
    s->county_mean = NULL;
    s->day_alert = s->day_aqi = s->scen_day_aqi = NULL;
    s->station_mean = s->station_max = NULL;
}

#define CY_N 120       /* similarity scheme: table points per source and hour */
#define CY_X0_M 1.0

/* The similarity scheme for source s in this hour (Draxler 1976 / Irwin 1983
 * lateral spread; vertical from kmodel.c). Needs the met at the source. */
static void similarity_setup(const lt_case *cs, lt_plume_src *s, const lt_met_point *m,
                             double speed, double he_m, double ratio, double *tab)
{
    const lt_config *cfg = cs->cfg;
    lt_kmodel_met km = {speed, cfg->wind_height_m, m->ust > 0.01 ? m->ust : 0.01, m->rmol,
                        m->pblh, cfg->z0_m};
    double zt = he_m > cfg->wind_height_m ? he_m : cfg->wind_height_m;
    double ut = lt_kmodel_wind(&km, zt);
    if (ut < 0.5)
        ut = 0.5;
    double sv;
    if (isfinite(m->sigma_theta)) {
        sv = m->sigma_theta * PI / 180.0 * speed;          /* measured sigma_theta */
    } else {
        /* sigma_v^2 = 4 u*^2 + 0.35 w*^2 (Hicks 1985), w* from H and zi; H
         * from hfx, else from 1/L: H = -rho cp T u*^3 / (kappa g L). */
        double h = isfinite(m->hfx) ? m->hfx
                                    : -1.2 * 1005.0 * m->t2 * pow(km.ust_ms, 3) * m->rmol / (0.4 * 9.81);
        double ws = h > 0 ? cbrt(9.81 / m->t2 * h / (1.2 * 1005.0) * m->pblh) : 0.0;
        sv = sqrt(4.0 * km.ust_ms * km.ust_ms + 0.35 * ws * ws);
    }
    s->sy.a = sv / ut;
    s->sy.b = 0.0;
    s->sy.half_pow = 0;
    s->sy.c = 0.9 / sqrt(1000.0 * ut);                     /* f_y = 1/(1 + 0.9 sqrt(t/1000 s)) */
    s->cy_x0 = CY_X0_M;
    s->cy_ratio = ratio;
    s->ncy = CY_N;
    s->cy = lt_kmodel_cy(&km, he_m, cfg->receptor_height_m, CY_X0_M, ratio, CY_N, tab) == 0 ? tab : NULL;
    if (!s->cy)
        s->q_ugs = 0.0;
}

void lt_case_source_rates(const lt_case *cs, size_t i, double t_s, double q[5], double *vel_ms,
                          double *temp_K)
{
    const lt_config *cfg = cs->cfg;
    const lt_point *p = &cs->points[i];
    /* the hour's measured rates for stacks in the hourly file, else the
     * annual rate times the temporal profile */
    const double *hr = cs->hourly ? lt_houremis_get(cs->hourly, i, (int)lround((t_s - cfg->start_s) / 3600.0)) : NULL;
    double to_ugs = 1e12 / LT_SECONDS_PER_YEAR /* t/yr -> ug/s */
                    * lt_profile_factor(&cs->profiles, p->sector, t_s);
    if (hr) {
        for (int k = 0; k < 4; k++)
            q[k] = isfinite(hr[k]) ? hr[k] * 1e6 : 0.0;
    } else {
        q[0] = p->pm25_tpy * to_ugs;
        q[1] = p->so2_tpy * to_ugs;
        q[2] = p->nox_tpy * to_ugs;
        q[3] = p->voc_tpy * to_ugs;
    }
    q[4] = p->nh3_tpy * to_ugs; /* the hourly files carry no NH3 */
    *vel_ms = hr && isfinite(hr[LT_HE_VEL]) ? hr[LT_HE_VEL] : p->velocity_ms;
    *temp_K = hr && isfinite(hr[LT_HE_TEMP]) ? hr[LT_HE_TEMP] : p->temp_K;
}

/* Prepares each source for this hour; returns how many are active. */
static size_t prepare_sources(const lt_case *cs, const lt_sigma_curves *curves,
                              lt_plume_src *src, int *calm_count, lt_summary *sum,
                              double *cytab, lt_met_point *mets, double *speeds, double t_s,
                              double *polybuf, lt_chem_src *chems)
{
    size_t poly_used = 0; /* vertices placed in polybuf this hour */
    const lt_config *cfg = cs->cfg;
    size_t n = 0;
    *calm_count = 0;
    for (size_t i = 0; i < cs->npoints; i++) {
        const lt_point *p = &cs->points[i];
        int chem = cs->ncomp > 1;
        /* the four emissions (PM2.5, SO2, NOx, VOC) in ug/s: the hour's
         * measured rates for stacks in the hourly file, else the annual rate
         * times the temporal profile */
        double q4[5], vel, temp;
        lt_case_source_rates(cs, i, t_s, q4, &vel, &temp);
        if (q4[0] <= 0.0 && !(chem && (q4[1] > 0.0 || q4[2] > 0.0 || q4[3] > 0.0)))
            continue;
        lt_met_point m;
        lt_met_sample(cs->met, p->lon, p->lat, &m);
        double speed = hypot(m.u10, m.v10);
        sum->source_hours++;
        if (speed < LT_CALM_MS) {
            (*calm_count)++;
            sum->calm_source_hours++;
            if (!cfg->calm_minwind || speed == 0.0)
                continue; /* ISC3: calm hours are not modelled */
            m.u10 *= LT_CALM_MS / speed;
            m.v10 *= LT_CALM_MS / speed;
            speed = LT_CALM_MS;
        }
        lt_pg_class cls = cfg->stability_turner
                              ? lt_stability_turner(speed, lt_turner_nri(p->lon, p->lat, t_s + 1800.0, m.cloud))
                              : lt_stability_golder(m.rmol, cfg->z0_m);
        sum->class_hours[cls]++;
        double us = lt_wind_at_height(speed, cfg->wind_height_m, p->height_m, cls, curves->urban);
        double us_dil = us > 1.0 ? us : 1.0; /* ISC3 minimum of 1 m/s */
        lt_plume_src *s = &src[n++];
        s->x_m = p->x_m;
        s->y_m = p->y_m;
        double ang = atan2(m.v10, m.u10) + p->north_rot;
        s->cos_t = cos(ang);
        s->sin_t = sin(ang);
        double q_ugs = q4[0];
        s->chem = NULL;
        if (chem) {
            /* the plume for 1 ug/s; the species and their chemistry in chem */
            lt_chem_rates r;
            double sun = sin(lt_solar_altitude(p->lon, p->lat, t_s + 1800.0) * PI / 180.0);
            lt_chem_rates_at(&cfg->chem, sun, m.rh, m.rain, m.pblh, &r);
            lt_chem_src_setup(&chems[n - 1], &cfg->chem, &r, q4);
            s->chem = &chems[n - 1];
            s->u_travel_ms = us_dil;
            q_ugs = 1.0;
        }
        s->q_norm = q_ugs / (2.0 * PI * us_dil);
        s->poly = NULL;
        s->npoly = 0;
        if (p->kind == LT_SRC_AREA) {
            s->hs_m = p->height_m;                 /* no downwash, no rise */
            lt_rise_setup(&s->rise, 0.0, 0.0, 0.0, m.t2, us_dil, cls);
            s->sy0sq = 0.0;
            s->sz0sq = p->sigma_z0_m * p->sigma_z0_m;
            /* the polygon in the wind's frame */
            lt_plume_set_polygon(s, p->vx, p->vy, p->nvert, polybuf + 2 * poly_used);
            poly_used += (size_t)p->nvert;
            s->q_area = q_ugs / p->area_m2 / us_dil; /* ug m-2 s-1 over u */
        } else if (p->kind == LT_SRC_VOLUME) {
            s->hs_m = p->height_m;                 /* no downwash, no rise */
            lt_rise_setup(&s->rise, 0.0, 0.0, 0.0, m.t2, us_dil, cls);
            s->sy0sq = p->sigma_y0_m * p->sigma_y0_m;
            s->sz0sq = p->sigma_z0_m * p->sigma_z0_m;
        } else {
            s->hs_m = lt_stack_tip_downwash(p->height_m, p->diameter_m, vel, us_dil);
            lt_rise_setup(&s->rise, p->diameter_m, vel, temp, m.t2, us_dil, cls);
            s->sy0sq = s->sz0sq = 0.0;
        }
        s->zi_m = m.pblh;
        s->lid = cls <= LT_PG_D; /* ISC3: no lid in stable hours */
        s->bid = cfg->bid;
        s->sy = curves->y[cls];
        s->sz = curves->z[cls];
        s->tag = cs->group_of_point[i];
        s->cy = NULL;
        s->q_ugs = q_ugs;
        if (curves->similarity) {
            /* the table itself is computed in parallel by the caller */
            mets[n - 1] = m;
            speeds[n - 1] = speed;
            s->hs_m += s->rise.dh_final; /* final rise: the K-model starts from there */
            s->cy = cytab;              /* marks the source for the caller */
        }
    }
    return n;
}

/* Everything one pass over the hours needs. */
typedef struct pass_ctx {
    lt_case *cs;
    const lt_sigma_curves *curves;
    size_t ngrid, nst, nrec;
    int ntags, ngroups;
    double *rx, *ry;
    double *gconc;        /* [group][receptor] of the current hour */
    lt_plume_src *src;
    int calm;
    /* similarity scheme only */
    double *cytab;        /* [source][CY_N] */
    lt_met_point *mets;   /* [source] */
    double *speeds;       /* [source] */
    double xmax;          /* farthest source-receptor distance, m */
    double *polybuf;      /* area polygons in the wind's frame, this hour */
    lt_chem_src *chems;   /* [source] emissions and rates (secondary on) */
    int ncomp;
    /* gridded emissions */
    lt_gridconv *gc;
    int *gmap;            /* [grid group][height][LT_EG_NSPECIES] map index, -1: none */
    /* the grid model ([solver] method = grid or hybrid) */
    lt_gridrun *gr;
    double *pconc;        /* hybrid: explicit groups' plumes [group][ncp][receptor] */
    int ncp;              /* components of the plume: 1 or LT_NCOMP */
} pass_ctx;

/* The emission species each component comes from. */
static int comp_emission(int ncomp, int c)
{
    static const int sp[LT_NCOMP] = {LT_EG_PM25, LT_EG_SO2, LT_EG_NOX, LT_EG_VOC};
    return ncomp == 1 ? LT_EG_PM25 : sp[c];
}

/* Builds (reload = 0) or replaces (reload = 1) the transformed emission map
 * of every gridded group, height and species. */
static int grid_maps(pass_ctx *x, int reload, lt_error *err)
{
    lt_case *cs = x->cs;
    const lt_emisgrid *g = cs->gridded;
    int nh = g->nheights;
    double *tmp = malloc(x->ngrid * sizeof *tmp);
    if (!tmp)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int rc = LT_OK;
    for (int gg = 0; gg < cs->grid_ngroups && !rc; gg++) {
        int k = cs->grid_group_sector[gg], cty = cs->group_county[cs->grid_group0 + gg];
        for (int l = 0; l < nh && !rc; l++)
            for (int sp = 0; sp < LT_EG_NSPECIES && !rc; sp++) {
                int *slot = &x->gmap[((size_t)gg * nh + l) * LT_EG_NSPECIES + sp];
                const double *e = g->emis[k][l][sp];
                int any = 0;
                for (size_t r = 0; r < x->ngrid; r++) {
                    tmp[r] = e && cs->cell_county[r] == cty ? e[r] : 0.0;
                    any |= tmp[r] > 0.0;
                }
                if (!reload) {
                    *slot = -1;
                    if (any)
                        rc = lt_gridconv_add_map(x->gc, tmp, slot, err);
                } else if (*slot >= 0) {
                    lt_gridconv_set_map(x->gc, *slot, tmp);
                } else if (any) {
                    rc = lt_error_set(err, LT_EINPUT,
                                      "%s: sector '%s' emits in county '%s' at %g m in a later month but not in the "
                                      "run's first month: expected the same sectors, counties and heights every month",
                                      cs->cfg->gridded_path, cs->cfg->sectors[k], cs->src_county_names[cty],
                                      g->height_m[l]);
                }
            }
    }
    free(tmp);
    return rc;
}

/* MEIC's monthly files: the month of t_s loaded (and the convolution's maps
 * replaced) when the run enters a new month. */
static int gridded_month(pass_ctx *x, double t_s, lt_error *err)
{
    lt_case *cs = x->cs;
    const lt_config *cfg = cs->cfg;
    if (cfg->gridded_layout != LT_GRIDDED_MEIC)
        return LT_OK;
    time_t tt = (time_t)t_s;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (tm.tm_mon == cs->grid_month)
        return LT_OK;
    lt_emisgrid next;
    int rc = lt_emisgrid_load(&next, cfg, cs->domain, t_s, err);
    if (rc)
        return rc;
    lt_emisgrid_free(cs->gridded);
    *cs->gridded = next;
    cs->grid_month = tm.tm_mon;
    return x->gc ? grid_maps(x, 1, err) : LT_OK;
}

/* The gridded groups' plumes for the hour at t_s under the domain centre's
 * meteorology mc: kernels per release height, then one convolution per
 * group and component, into x->gconc (grid and, by bilinear sampling, stations). */
static int gridded_hour(pass_ctx *x, double t_s, const lt_met_point *mc, lt_summary *sum,
                        lt_error *err)
{
    lt_case *cs = x->cs;
    const lt_config *cfg = cs->cfg;
    int rc = gridded_month(x, t_s, err);
    if (rc)
        return rc;
    double speed = hypot(mc->u10, mc->v10);
    lt_met_point m = *mc;
    if (speed < LT_CALM_MS) {
        if (!cfg->calm_minwind || speed == 0.0)
            return LT_OK; /* a calm hour: not modelled, as for the sources */
        m.u10 *= LT_CALM_MS / speed;
        m.v10 *= LT_CALM_MS / speed;
        speed = LT_CALM_MS;
    }
    double t0 = now_s();
    const lt_emisgrid *g = cs->gridded;
    const lt_sigma_curves *curves = x->curves->similarity ? lt_sigma_curves_find("briggs-rural") : x->curves;
    lt_pg_class cls = cfg->stability_turner
                          ? lt_stability_turner(speed, lt_turner_nri(cfg->center_lon, cfg->center_lat, t_s + 1800.0, m.cloud))
                          : lt_stability_golder(m.rmol, cfg->z0_m);
    double ang = atan2(m.v10, m.u10) + lt_domain_north_rotation(cs->domain, cfg->center_lon, cfg->center_lat);
    double dx = cfg->dx_m, h = 0.5 * dx;
    lt_chem_src chem; /* per unit emission of each species: the same for every height */
    if (x->ncomp > 1) {
        lt_chem_rates r;
        double sun = sin(lt_solar_altitude(cfg->center_lon, cfg->center_lat, t_s + 1800.0) * PI / 180.0);
        lt_chem_rates_at(&cfg->chem, sun, m.rh, m.rain, m.pblh, &r);
        const double unit[4] = {1.0, 1.0, 1.0, 1.0};
        lt_chem_src_setup(&chem, &cfg->chem, &r, unit);
    }
    for (int l = 0; l < g->nheights; l++) {
        lt_plume_src s;
        memset(&s, 0, sizeof s);
        s.cos_t = cos(ang);
        s.sin_t = sin(ang);
        double us = lt_wind_at_height(speed, cfg->wind_height_m, g->height_m[l], cls, curves->urban);
        double ud = us > 1.0 ? us : 1.0;
        const double sx[4] = {-h, h, h, -h}, sy[4] = {-h, -h, h, h};
        double uv[8];
        lt_plume_set_polygon(&s, sx, sy, 4, uv);
        s.q_area = 1.0 / (dx * dx * ud);
        s.hs_m = g->height_m[l];
        lt_rise_setup(&s.rise, 0.0, 0.0, 0.0, m.t2, ud, cls);
        s.zi_m = m.pblh;
        s.lid = cls <= LT_PG_D;
        s.sy = curves->y[cls];
        s.sz = curves->z[cls];
        if (x->ncomp > 1) {
            s.chem = &chem;
            s.u_travel_ms = ud;
        }
        lt_gridconv_set_kernel(x->gc, l * x->ncomp, &s, dx, cfg->receptor_height_m, x->ncomp);
    }
    long njobs = (long)cs->grid_ngroups * x->ncomp;
    int nh = g->nheights, failed = 0;
    double x0 = lt_domain_x(cs->domain, 0), y0 = lt_domain_y(cs->domain, 0);
#pragma omp parallel for schedule(dynamic) reduction(| : failed)
    for (long jb = 0; jb < njobs; jb++) {
        int gg = (int)(jb / x->ncomp), c = (int)(jb % x->ncomp);
        int k = cs->grid_group_sector[gg], gi = cs->grid_group0 + gg;
        double f = g->monthly ? lt_profile_factor_in_month(&cs->profiles, k, t_s)
                              : lt_profile_factor(&cs->profiles, k, t_s);
        int slot[LT_EG_MAX_HEIGHTS], map[LT_EG_MAX_HEIGHTS], nt = 0;
        double w[LT_EG_MAX_HEIGHTS];
        for (int l = 0; l < nh; l++) {
            int mi = x->gmap[((size_t)gg * nh + l) * LT_EG_NSPECIES + comp_emission(x->ncomp, c)];
            if (mi < 0)
                continue;
            slot[nt] = l * x->ncomp + c;
            map[nt] = mi;
            w[nt++] = f;
        }
        double *out = x->gconc + ((size_t)gi * x->ncomp + (size_t)c) * x->nrec;
        if (!nt)
            continue;
        if (lt_gridconv_apply(x->gc, nt, slot, map, w, out)) {
            failed |= 1;
            continue;
        }
        for (size_t st = 0; st < x->nst; st++) {
            const lt_station *p = &cs->stations[st];
            out[x->ngrid + st] = lt_gridconv_sample(out, cfg->nx, cfg->ny, (p->x_m - x0) / dx, (p->y_m - y0) / dx);
        }
    }
    sum->gridded_seconds += now_s() - t0;
    sum->gridded_cell_hours += (double)x->ngrid;
    return failed ? lt_error_set(err, LT_ENOMEM, "out of memory in the gridded convolution") : LT_OK;
}

/* Met, sources and the plume kernel for hour h: fills x->gconc. */
static int disperse_hour(pass_ctx *x, int h, lt_summary *sum, int count, lt_error *err)
{
    lt_case *cs = x->cs;
    const lt_config *cfg = cs->cfg;
    double t = cfg->start_s + 3600.0 * h;
    int rc = lt_met_load(cs->met, t, err);
    if (rc)
        return rc;
    lt_summary scratch;
    lt_summary *s = count ? sum : &scratch; /* a rerun must not count twice */
    if (!count)
        memset(&scratch, 0, sizeof scratch);
    lt_met_point mc;
    lt_met_sample(cs->met, cfg->center_lon, cfg->center_lat, &mc);
    if (hypot(mc.u10, mc.v10) < LT_CALM_MS)
        s->calm_hours++;
    if (cfg->solver == LT_SOLVER_GRID) {
        x->calm = 0;
        if (cs->gridded && (rc = gridded_month(x, t, err)))
            return rc;
        return lt_gridrun_hour(x->gr, h, NULL, 0, count, x->gconc, err);
    }
    size_t nact = prepare_sources(cs, x->curves, x->src, &x->calm, s, x->cytab, x->mets, x->speeds, t,
                                  x->polybuf, x->chems);
    if (x->curves->similarity) {
        long na = (long)nact;
        double ratio = pow(x->xmax / CY_X0_M, 1.0 / (CY_N - 1));
#pragma omp parallel for schedule(dynamic)
        for (long k = 0; k < na; k++)
            similarity_setup(cs, &x->src[k], &x->mets[k], x->speeds[k], x->src[k].hs_m, ratio,
                             x->cytab + (size_t)k * CY_N);
    }
    if (cfg->solver == LT_SOLVER_HYBRID) {
        /* the explicit sources' plumes, then the grid with them added less
         * their cell means */
        memset(x->pconc, 0, (size_t)cs->npoint_groups * (size_t)x->ncp * x->nrec * sizeof *x->pconc);
        double tk = now_s();
        lt_plume_accumulate(x->src, nact, x->rx, x->ry, x->nrec, cfg->receptor_height_m, x->ncp, x->pconc);
        s->kernel_seconds += now_s() - tk;
        s->evaluations += (double)nact * (double)x->nrec;
        if (cs->gridded && (rc = gridded_month(x, t, err)))
            return rc;
        return lt_gridrun_hour(x->gr, h, x->pconc, x->ncp, count, x->gconc, err);
    }
    memset(x->gconc, 0, (size_t)x->ngroups * (size_t)x->ncomp * x->nrec * sizeof *x->gconc);
    double tk = now_s();
    lt_plume_accumulate(x->src, nact, x->rx, x->ry, x->nrec, cfg->receptor_height_m, x->ncomp,
                        x->gconc);
    s->kernel_seconds += now_s() - tk;
    s->evaluations += (double)nact * (double)x->nrec;
    if (cs->gridded && (rc = gridded_hour(x, t, &mc, s, err)))
        return rc;
    if (cs->background_tag >= 0) {
        /* regional background: counted as primary */
        double *bg = x->gconc + (size_t)(x->ngroups - 1) * (size_t)x->ncomp * x->nrec;
        for (size_t r = 0; r < x->nrec; r++)
            bg[r] = cs->background[h];
    }
    return LT_OK;
}

/* The summary's counters as one array (checkpoints, and MPI's messages):
 * the first SC_HOUR_N are those disperse_hour adds to, hour by hour. */
enum { SC_CALM_H, SC_CALM_SRC, SC_SRC_H, SC_CLASS, SC_EVALS = SC_CLASS + 6, SC_KERNEL, SC_GRIDDED_S,
       SC_GRIDDED_CELLS, SC_HOUR_N, SC_GRID_MAX = SC_HOUR_N, SC_SCEN_S, SC_ZO_TOTAL, SC_N };

static void counters_pack(const lt_summary *s, double *c)
{
    c[SC_CALM_H] = s->calm_hours;
    c[SC_CALM_SRC] = (double)s->calm_source_hours;
    c[SC_SRC_H] = (double)s->source_hours;
    for (int k = 0; k < 6; k++)
        c[SC_CLASS + k] = (double)s->class_hours[k];
    c[SC_EVALS] = s->evaluations;
    c[SC_KERNEL] = s->kernel_seconds;
    c[SC_GRIDDED_S] = s->gridded_seconds;
    c[SC_GRIDDED_CELLS] = s->gridded_cell_hours;
    c[SC_GRID_MAX] = s->grid_max;
    c[SC_SCEN_S] = s->scenario_seconds;
    c[SC_ZO_TOTAL] = s->zo_total;
}

static void counters_unpack(lt_summary *s, const double *c)
{
    s->calm_hours = (int)c[SC_CALM_H];
    s->calm_source_hours = (long)c[SC_CALM_SRC];
    s->source_hours = (long)c[SC_SRC_H];
    for (int k = 0; k < 6; k++)
        s->class_hours[k] = (long)c[SC_CLASS + k];
    s->evaluations = c[SC_EVALS];
    s->kernel_seconds = c[SC_KERNEL];
    s->gridded_seconds = c[SC_GRIDDED_S];
    s->gridded_cell_hours = c[SC_GRIDDED_CELLS];
    s->grid_max = c[SC_GRID_MAX];
    s->scenario_seconds = c[SC_SCEN_S];
    s->zo_total = c[SC_ZO_TOTAL];
}

#ifdef LT_MPI
/* Adds an hour's counters c[0..SC_HOUR_N) to s. */
static void counters_add_hour(lt_summary *s, const double *c)
{
    s->calm_hours += (int)c[SC_CALM_H];
    s->calm_source_hours += (long)c[SC_CALM_SRC];
    s->source_hours += (long)c[SC_SRC_H];
    for (int k = 0; k < 6; k++)
        s->class_hours[k] += (long)c[SC_CLASS + k];
    s->evaluations += c[SC_EVALS];
    s->kernel_seconds += c[SC_KERNEL];
    s->gridded_seconds += c[SC_GRIDDED_S];
    s->gridded_cell_hours += c[SC_GRIDDED_CELLS];
}
#endif

/* MPI (make MPI=1): the hours are dealt out in turn, hour h to rank h mod
 * ranks. Every rank disperses its own hours and sends each hour's
 * concentrations per group and component, with the hour's counters, to rank
 * 0, which receives them in hour order and does everything else exactly as a
 * one-process run: the file is the same bit for bit. Dealt hour by hour, each
 * rank computes its next hour while rank 0 takes in the others'. */
#ifdef LT_MPI
static int owner_of(const lt_case *cs, int h)
{
    return cs->mpi_ranks > 1 ? h % cs->mpi_ranks : 0;
}

#endif

/* Hour h into x->gconc: dispersed here, or received from its rank. */
static int obtain_hour(pass_ctx *x, int h, lt_summary *sum, int count, lt_error *err)
{
#ifdef LT_MPI
    lt_case *cs = x->cs;
    int from = owner_of(cs, h);
    if (from != 0) {
        double c[2 + SC_N]; /* rc, calm, the hour's counters */
        size_t n = (size_t)x->ngroups * (size_t)x->ncomp * x->nrec;
        MPI_Recv(c, 2 + SC_HOUR_N, MPI_DOUBLE, from, 2 * h, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (c[0] != 0.0) {
            char msg[sizeof err->msg];
            MPI_Recv(msg, (int)sizeof msg, MPI_CHAR, from, 2 * h + 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            msg[sizeof msg - 1] = '\0';
            return lt_error_set(err, (int)c[0], "%s (rank %d)", msg, from);
        }
        MPI_Recv(x->gconc, (int)n, MPI_DOUBLE, from, 2 * h + 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        x->calm = (int)c[1];
        if (count)
            counters_add_hour(sum, c + 2);
        return LT_OK;
    }
#endif
    return disperse_hour(x, h, sum, count, err);
}

#ifdef LT_MPI
/* A rank other than 0: its hours of each pass, dispersed and sent. */
static int run_worker(pass_ctx *x, int passes, int h_start, lt_error *err)
{
    lt_case *cs = x->cs;
    size_t n = (size_t)x->ngroups * (size_t)x->ncomp * x->nrec;
    for (int pass = 0; pass < passes; pass++)
        for (int h = pass ? 0 : h_start; h < cs->cfg->hours; h++) {
            if (owner_of(cs, h) != cs->mpi_rank)
                continue;
            lt_summary d;
            memset(&d, 0, sizeof d);
            double c[2 + SC_N];
            int rc = disperse_hour(x, h, &d, 1, err);
            c[0] = rc;
            c[1] = x->calm;
            counters_pack(&d, c + 2);
            MPI_Send(c, 2 + SC_HOUR_N, MPI_DOUBLE, 0, 2 * h, MPI_COMM_WORLD);
            if (rc) {
                MPI_Send(err->msg, (int)sizeof err->msg, MPI_CHAR, 0, 2 * h + 1, MPI_COMM_WORLD);
                return rc;
            }
            MPI_Send(x->gconc, (int)n, MPI_DOUBLE, 0, 2 * h + 1, MPI_COMM_WORLD);
        }
    return LT_OK;
}
#endif

/* The species whose emission each component comes from. */
static unsigned comp_species(int ncomp, int c)
{
    static const unsigned sp[LT_NCOMP_GRID] = {LT_SPECIES_PM25, LT_SPECIES_SO2, LT_SPECIES_NOX,
                                               LT_SPECIES_VOC, LT_SPECIES_NH3};
    return ncomp == 1 ? LT_SPECIES_PM25 : sp[c];
}

/* The factors f[group * ncomp + c] of scenario s at time t_s. */
static void scenario_factors(const pass_ctx *x, int s, double t_s, int alert_level, double *f)
{
    const lt_case *cs = x->cs;
    for (int g = 0; g < x->ngroups; g++)
        for (int c = 0; c < x->ncomp; c++)
            f[g * x->ncomp + c] = lt_scenario_factor_species(cs->scen, s, cs->group_sig[g], t_s,
                                                             alert_level, comp_species(x->ncomp, c));
}

/* Scenario s at hour h: station values per tag into st_tag[tag][station] and,
 * unless mean is NULL, the grid total added into mean[cell]. (Scenarios whose
 * factors are constant in time get their grid mean at the end, from the
 * groups' sums over the run, instead: one pass over the grid for them all.) */
static void combine_scenario(const pass_ctx *x, int s, int h, int alert_level, float *st_tag,
                             double *mean, double *f)
{
    const lt_case *cs = x->cs;
    const size_t nk = (size_t)x->ngroups * (size_t)x->ncomp;
    scenario_factors(x, s, cs->cfg->start_s + 3600.0 * h, alert_level, f);
    for (size_t k = 0; k < (size_t)x->ntags * x->nst; k++)
        st_tag[k] = 0.0f;
    for (size_t k = 0; k < x->nst; k++) {
        double v[LT_MAX_SECTORS + 1] = {0};
        for (size_t gc = 0; gc < nk; gc++)
            v[cs->group_tag[gc / (size_t)x->ncomp]] += f[gc] * x->gconc[gc * x->nrec + x->ngrid + k];
        for (int tag = 0; tag < x->ntags; tag++)
            st_tag[(size_t)tag * x->nst + k] = (float)v[tag];
    }
    if (!mean)
        return;
    long n = (long)x->ngrid;
#pragma omp parallel for schedule(static)
    for (long r = 0; r < n; r++) {
        double v = 0.0;
        for (size_t gc = 0; gc < nk; gc++)
            v += f[gc] * x->gconc[gc * x->nrec + (size_t)r];
        mean[r] += v;
    }
}

/* Station totals of a scenario's [hour][tag][station] series. */
static void totals_of(const float *st_src, size_t nh, int ntags, size_t nst, double *tot)
{
    for (size_t h = 0; h < nh; h++)
        for (size_t k = 0; k < nst; k++) {
            double v = 0.0;
            for (int g = 0; g < ntags; g++)
                v += st_src[(h * (size_t)ntags + (size_t)g) * nst + k];
            tot[h * nst + k] = v;
        }
}

/* The scenario table beside the output: OUTPUT_scenarios.csv (written under a
 * temporary name, then renamed). */
static int write_scenario_csv(const lt_case *cs, lt_summary *sum, lt_error *err)
{
    const char *out = cs->cfg->output_file;
    size_t n = strlen(out);
    if (n > 3 && !strcmp(out + n - 3, ".nc"))
        n -= 3;
    snprintf(sum->scenario_csv, sizeof sum->scenario_csv, "%.*s_scenarios.csv", (int)n, out);
    char tmp[sizeof sum->scenario_csv + 16];
    snprintf(tmp, sizeof tmp, "%s.part", sum->scenario_csv);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return lt_error_set(err, LT_EIO, "%s: cannot write the scenario table", tmp);
    fprintf(f, "scenario,description,city_mean_pm25_ugm3,good_days,heavy_days,exceedance_days,alert_days,"
               "station_mean_change_ugm3\n");
    fprintf(f, "baseline,,%.3f,%d,%d,%d,%d,0\n", sum->city_mean, sum->good_days, sum->heavy_days,
            sum->exceed_days, sum->alert_days);
    for (int s = 0; s < sum->nscen; s++) {
        fprintf(f, "%s,\"", cs->scen->name[s]);
        for (const char *c = cs->scen->description[s]; *c; c++)
            fputs(*c == '"' ? "\"\"" : (char[]){*c, 0}, f);
        fprintf(f, "\",%.3f,%d,%d,%d,%d,%.4f\n", sum->scen_city_mean[s], sum->scen_good[s],
                sum->scen_heavy[s], sum->scen_exceed[s], sum->scen_alert_days[s],
                sum->scen_station_mean_delta[s]);
    }
    if (fclose(f) != 0 || rename(tmp, sum->scenario_csv) != 0) {
        remove(tmp);
        return lt_error_set(err, LT_EIO, "%s: cannot write the scenario table", sum->scenario_csv);
    }
    return LT_OK;
}

/* One averaged grid field of the output (pm25_src, pm25_county or the
 * components): hourly values are buffered a block at a time; daily and
 * whole-run means are summed and written when their day or the run ends. */
typedef struct field_acc {
    int field, mode, nlev;
    size_t ngrid;
    float *block;  /* hour: [BLOCK_HOURS][nlev][ngrid]; else [nlev][ngrid] */
    double *sum;   /* day, period: [nlev][ngrid] */
    int cur, count;
} field_acc;

static int field_init(field_acc *f, int field, int mode, int nlev, size_t ngrid)
{
    memset(f, 0, sizeof *f);
    f->field = field;
    f->mode = mode;
    f->nlev = nlev;
    f->ngrid = ngrid;
    f->cur = -1;
    size_t n = (size_t)nlev * ngrid;
    f->block = malloc((mode == LT_AVG_HOUR ? BLOCK_HOURS : 1) * n * sizeof *f->block);
    f->sum = mode == LT_AVG_HOUR ? NULL : calloc(n, sizeof *f->sum);
    return f->block && (mode == LT_AVG_HOUR || f->sum) ? 0 : -1;
}

static void field_free(field_acc *f)
{
    free(f->block);
    free(f->sum);
    f->block = NULL;
    f->sum = NULL;
}

static int field_flush(field_acc *f, lt_output *out, lt_error *err)
{
    if (f->mode == LT_AVG_HOUR || f->cur < 0 || !f->count)
        return LT_OK;
    size_t n = (size_t)f->nlev * f->ngrid;
    for (size_t i = 0; i < n; i++) {
        f->block[i] = (float)(f->sum[i] / f->count);
        f->sum[i] = 0.0;
    }
    f->count = 0;
    return lt_output_write_field(out, f->field, f->cur, 1, f->block, err);
}

/* Adds hour h (slot b of its block) with values v[nlev][ngrid]. */
static int field_add(field_acc *f, lt_output *out, int h, int b, const double *v, lt_error *err)
{
    size_t n = (size_t)f->nlev * f->ngrid;
    if (f->mode == LT_AVG_HOUR) {
        float *dst = f->block + (size_t)b * n;
        for (size_t i = 0; i < n; i++)
            dst[i] = (float)v[i];
        return LT_OK;
    }
    int idx = lt_output_field_index(out, f->field, h);
    if (idx != f->cur) {
        int rc = field_flush(f, out, err);
        if (rc)
            return rc;
        f->cur = idx;
    }
    for (size_t i = 0; i < n; i++)
        f->sum[i] += v[i];
    f->count++;
    return LT_OK;
}

/* The end of an hourly block [h0, h0 + nh). */
static int field_block_end(field_acc *f, lt_output *out, int h0, int nh, lt_error *err)
{
    return f->mode == LT_AVG_HOUR ? lt_output_write_field(out, f->field, h0, nh, f->block, err) : LT_OK;
}

/* One record of a run's state at a checkpoint. */
typedef struct state_rec {
    const char *name;
    void *p;
    size_t bytes;
} state_rec;

/* Puts (save) or reads back every record, then the grid model's state. */
static int state_io(int save, lt_ckpt *ck, const state_rec *r, int n, lt_gridrun *gr, lt_error *err)
{
    for (int i = 0; i < n; i++) {
        if (!r[i].p || !r[i].bytes)
            continue;
        if (save)
            lt_ckpt_put(ck, r[i].name, r[i].p, r[i].bytes);
        else {
            int rc = lt_ckpt_get(ck, r[i].name, r[i].p, r[i].bytes, err);
            if (rc)
                return rc;
        }
    }
    if (gr) {
        if (save)
            lt_gridrun_save(gr, ck);
        else
            return lt_gridrun_load(gr, ck, err);
    }
    return LT_OK;
}

/* The checkpoint of a run: OUTPUT.ckpt, and the copy of the output it names. */
static void checkpoint_path(const lt_config *cfg, char *buf, size_t n)
{
    snprintf(buf, n, "%s.ckpt", cfg->output_file);
}

static uint64_t run_fingerprint(const lt_case *cs, const char *version)
{
    return lt_ckpt_fingerprint(cs->cfg->text, lt_ckpt_fingerprint(version, 0));
}

void lt_case_set_restart(lt_case *cs, int restart)
{
    cs->restart = restart;
}

int lt_run(lt_case *cs, const char *command_line, const char *version, lt_summary *sum,
           lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    double t_start = now_s();
    memset(sum, 0, sizeof *sum);
    sum->hours = cfg->hours;
    sum->ntags = cs->ntags;
    sum->nstations = cs->nstations;
#ifdef _OPENMP
    sum->threads = omp_get_max_threads();
#else
    sum->threads = 1;
#endif
    const size_t ngrid = (size_t)cfg->nx * (size_t)cfg->ny;
    const size_t nst = cs->nstations;
    const size_t nrec = ngrid + nst;
    const int ntags = cs->ntags;
    const size_t ncty = cs->nsrc_counties;
    const int ncomp = cs->ncomp;
    const int ngroups = cs->ngroups;
    const size_t ngc = (size_t)ngroups * (size_t)ncomp; /* group x component planes */
    const int nscen = cs->scen ? cs->scen->n : 0;
    const size_t nh_all = (size_t)cfg->hours;
    const size_t nst1 = nst ? nst : 1;
    int rc = LT_OK;
    pass_ctx x = {cs, lt_sigma_curves_find(cfg->curves), ngrid, nst, nrec, ntags, ngroups,
                  NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0.0, NULL, NULL, ncomp, NULL, NULL,
                  NULL, NULL, ncomp > 1 ? LT_NCOMP : 1};
    sum->solver = cfg->solver;
    const int zero_out = cfg->solver != LT_SOLVER_PLUME && cfg->zero_out;
    float *zo_st = NULL, *zo_tag = NULL;  /* [hour][tag][station] */
    double *zo_h = NULL;                   /* one hour: brute, tagged [tag][station], total [station] */
    field_acc fsrc, fcty, fcomp;
    memset(&fsrc, 0, sizeof fsrc);
    memset(&fcty, 0, sizeof fcty);
    memset(&fcomp, 0, sizeof fcomp);
    {
        size_t nv = 1;
        for (size_t i = 0; i < cs->npoints; i++)
            nv += (size_t)cs->points[i].nvert;
        x.polybuf = malloc(2 * nv * sizeof *x.polybuf);
        if (!x.polybuf)
            return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    size_t np1 = cs->npoints ? cs->npoints : 1;
    if (x.curves->similarity) {
        x.cytab = malloc(np1 * CY_N * sizeof *x.cytab);
        x.mets = malloc(np1 * sizeof *x.mets);
        x.speeds = malloc(np1 * sizeof *x.speeds);
        /* the grid's diagonal plus the sources' margin bounds every distance */
        double w = cfg->nx * cfg->dx_m, hgt = cfg->ny * cfg->dx_m;
        x.xmax = 1.1 * (sqrt(w * w + hgt * hgt) + 2000.0 * cfg->margin_km) + 10.0;
        if (!x.cytab || !x.mets || !x.speeds) {
            free(x.cytab);
            free(x.polybuf);
            free(x.mets);
            free(x.speeds);
            return lt_error_set(err, LT_ENOMEM, "out of memory for the similarity tables");
        }
    }

    x.rx = malloc(nrec * sizeof *x.rx);
    x.ry = malloc(nrec * sizeof *x.ry);
    x.gconc = malloc(ngc * nrec * sizeof *x.gconc);
    x.src = malloc(np1 * sizeof *x.src);
    x.chems = ncomp > 1 ? malloc(np1 * sizeof *x.chems) : NULL;
    float *b_pm = malloc((size_t)BLOCK_HOURS * ngrid * sizeof *b_pm);
    float *b_st = malloc((size_t)BLOCK_HOURS * nst1 * sizeof *b_st);
    float *b_stsrc = malloc((size_t)BLOCK_HOURS * ntags * nst1 * sizeof *b_stsrc);
    float *b_split = malloc((size_t)BLOCK_HOURS * ntags * ncty * nst1 * sizeof *b_split);
    float *b_stcomp = malloc((size_t)BLOCK_HOURS * ncomp * nst1 * sizeof *b_stcomp);
    float *b_stcs = malloc((size_t)BLOCK_HOURS * ncomp * ntags * nst1 * sizeof *b_stcs); /* [comp][tag][station] */
    int *b_calm = malloc(BLOCK_HOURS * sizeof *b_calm);
    /* this hour's grid fields: [tag][cell], [county][cell], [component][cell] */
    double *v_src = malloc((size_t)ntags * ngrid * sizeof *v_src);
    double *v_cty = malloc(ncty * ngrid * sizeof *v_cty);
    double *v_comp = malloc((size_t)ncomp * ngrid * sizeof *v_comp);
    double *tag_sum = calloc((size_t)ntags, sizeof *tag_sum);
    double *cty_sum = calloc(ncty, sizeof *cty_sum);
    double comp_sum[LT_NCOMP_GRID] = {0};
    double *st_all = malloc(nh_all * nst1 * sizeof *st_all);
    double *base_mean = calloc(ngrid, sizeof *base_mean);
    /* scenarios: station series per tag, grid sums, the factors of one hour */
    float *sc_st = nscen ? malloc((size_t)nscen * nh_all * ntags * nst1 * sizeof *sc_st) : NULL;
    double *sc_mean = nscen ? calloc((size_t)nscen * ngrid, sizeof *sc_mean) : NULL;
    double *sc_tot = nscen ? malloc(nh_all * nst1 * sizeof *sc_tot) : NULL;
    double *fac = malloc(ngc * sizeof *fac);
    int any_const = 0;
    for (int s = 0; s < nscen; s++)
        any_const |= lt_scenario_constant(cs->scen, s);
    double *gsum = any_const ? calloc(ngc * ngrid, sizeof *gsum) : NULL;
    lt_assessment as, sas;
    memset(&as, 0, sizeof as);
    memset(&sas, 0, sizeof sas);
    sum->station_mean = calloc(nst1, sizeof(double));
    sum->station_max = calloc(nst1, sizeof(double));
    sum->county_share = calloc(ncty, sizeof(double));
    sum->nsrc_counties = ncty;
    lt_output *out = NULL;
    if (!x.rx || !x.ry || !x.gconc || !x.src || (ncomp > 1 && !x.chems) || !b_pm || !b_st ||
        !b_stsrc || !b_split || !b_stcomp || !b_stcs || !b_calm || !v_src || !v_cty || !v_comp || !tag_sum ||
        !cty_sum || !st_all || !base_mean || !fac || !sum->station_mean || !sum->station_max ||
        !sum->county_share || (nscen && (!sc_st || !sc_mean || !sc_tot)) || (any_const && !gsum) ||
        field_init(&fsrc, LT_FIELD_SRC, cfg->average_src, ntags, ngrid) ||
        field_init(&fcty, LT_FIELD_COUNTY, cfg->average_county, (int)ncty, ngrid) ||
        (ncomp > 1 && field_init(&fcomp, LT_FIELD_COMP, cfg->average_components, ncomp, ngrid))) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory for %zu receptors x %d source groups", nrec,
                          ngroups);
        goto done;
    }
    for (int j = 0; j < cfg->ny; j++)
        for (int i = 0; i < cfg->nx; i++) {
            x.rx[(size_t)j * cfg->nx + i] = lt_domain_x(cs->domain, i);
            x.ry[(size_t)j * cfg->nx + i] = lt_domain_y(cs->domain, j);
        }
    for (size_t k = 0; k < nst; k++) {
        x.rx[ngrid + k] = cs->stations[k].x_m;
        x.ry[ngrid + k] = cs->stations[k].y_m;
    }
    const char *scen_names[LT_MAX_SCENARIOS];
    for (int s = 0; s < nscen; s++)
        scen_names[s] = cs->scen->name[s];

    lt_output_spec spec = {
        .path = cfg->output_file, .domain = cs->domain, .start_s = cfg->start_s,
        .hours = cfg->hours, .ntags = ntags, .tag_names = cs->tag_names,
        .stations = cs->stations, .nstations = nst, .deflate = cfg->deflate,
        .significant_digits = cfg->significant_digits, .config_text = cfg->text,
        .command_line = command_line, .config_path = cfg->path, .version = version,
        .curves = cfg->curves,
        .aqi = cs->have_aqi ? &cs->aqi : NULL,
        .alert = cs->have_alert ? &cs->alert : NULL,
        .nscenarios = nscen, .scenario_names = scen_names,
        .ncounties = cs->ncounties, .county_names = cs->county_names,
        .regions = cs->regions, .cell_region = cs->cell_region,
        .utc_offset_h = cfg->utc_offset_h, .nsrc_counties = ncty,
        .src_county_names = cs->src_county_names, .ncomp = ncomp,
        .average_src = cfg->average_src, .average_county = cfg->average_county,
        .average_components = cfg->average_components,
        .solver = cfg->solver, .grid_nx = cfg->nx / cfg->grid_coarsen, .grid_ny = cfg->ny / cfg->grid_coarsen,
        .grid_nz = cfg->grid_nz, .grid_dx_m = cfg->dx_m * cfg->grid_coarsen,
        .grid_top_m = cfg->grid_top_m[cfg->grid_nz - 1], .zero_out = zero_out};
    if (cs->mpi_ranks > 1 && cfg->solver != LT_SOLVER_PLUME) {
        rc = lt_error_set(err, LT_EINPUT, "%s: [solver] method = %s with %d MPI ranks: expected method = plume "
                          "(MPI splits the hours among ranks; the grid model carries each hour into the next)",
                          cfg->path, cfg->solver == LT_SOLVER_GRID ? "grid" : "hybrid", cs->mpi_ranks);
        goto done;
    }
    if (cs->mpi_rank == 0 && (rc = lt_output_create(&out, &spec, err)))
        goto done;
    if (cs->gridded) {
        int nh = cs->gridded->nheights;
        x.gmap = malloc(((size_t)cs->grid_ngroups * nh + 1) * LT_EG_NSPECIES * sizeof *x.gmap);
        if (!x.gmap) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto done;
        }
        if ((rc = lt_gridconv_create(&x.gc, cfg->nx, cfg->ny, nh * ncomp, err)) ||
            (rc = grid_maps(&x, 0, err)))
            goto done;
    }

    if (cfg->solver != LT_SOLVER_PLUME) {
        if ((rc = lt_gridrun_create(&x.gr, cs, x.rx, x.ry, nrec, ncomp, zero_out, err)))
            goto done;
        if (cfg->solver == LT_SOLVER_HYBRID &&
            !(x.pconc = malloc(((size_t)cs->npoint_groups * (size_t)x.ncp + 1) * nrec * sizeof *x.pconc))) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory for the hybrid's plumes");
            goto done;
        }
        if (zero_out) {
            zo_st = calloc(nh_all * (size_t)ntags * nst1, sizeof *zo_st);
            zo_tag = calloc(nh_all * (size_t)ntags * nst1, sizeof *zo_tag);
            zo_h = malloc(((size_t)2 * ntags + 1) * nst1 * sizeof *zo_h);
            if (!zo_st || !zo_tag || !zo_h) {
                rc = lt_error_set(err, LT_ENOMEM, "out of memory for the zero-out comparison");
                goto done;
            }
        }
    }

    /* Checkpoints: the state after each block of hours that ends a period of
     * [run] checkpoint_hours, and a copy of the output written so far. */
    double grid_sum = 0.0;
    sum->grid_max = 0.0;
    int h_start = 0, fpos[6];
    double counters[SC_N];
    char ck_path[LT_PATH_MAX + 16], ck_copy[LT_PATH_MAX + 64] = "";
    char partial[LT_PATH_MAX + 64] = ""; /* the partial output of the run that checkpointed */
    checkpoint_path(cfg, ck_path, sizeof ck_path);
    const uint64_t fingerprint = run_fingerprint(cs, version);
    field_acc *facc[3] = {&fsrc, &fcty, &fcomp};
    const state_rec recs[] = {
        {"partial_output", partial, sizeof partial},
        {"counters", counters, sizeof counters},
        {"field_positions", fpos, sizeof fpos},
        {"station_mean", sum->station_mean, nst1 * sizeof(double)},
        {"station_max", sum->station_max, nst1 * sizeof(double)},
        {"zo_brute", sum->zo_brute, sizeof sum->zo_brute},
        {"zo_tagged", sum->zo_tagged, sizeof sum->zo_tagged},
        {"grid_sum", &grid_sum, sizeof grid_sum},
        {"tag_sum", tag_sum, (size_t)ntags * sizeof *tag_sum},
        {"cty_sum", cty_sum, ncty * sizeof *cty_sum},
        {"comp_sum", comp_sum, sizeof comp_sum},
        {"st_all", st_all, nh_all * nst1 * sizeof *st_all},
        {"base_mean", base_mean, ngrid * sizeof *base_mean},
        {"sc_st", sc_st, nscen ? (size_t)nscen * nh_all * ntags * nst1 * sizeof *sc_st : 0},
        {"sc_mean", sc_mean, nscen ? (size_t)nscen * ngrid * sizeof *sc_mean : 0},
        {"gsum", gsum, gsum ? ngc * ngrid * sizeof *gsum : 0},
        {"fsrc_sum", fsrc.sum, fsrc.sum ? (size_t)fsrc.nlev * ngrid * sizeof *fsrc.sum : 0},
        {"fcty_sum", fcty.sum, fcty.sum ? (size_t)fcty.nlev * ngrid * sizeof *fcty.sum : 0},
        {"fcomp_sum", fcomp.sum, fcomp.sum ? (size_t)fcomp.nlev * ngrid * sizeof *fcomp.sum : 0},
        {"zo_st", zo_st, zo_st ? nh_all * ntags * nst1 * sizeof *zo_st : 0},
        {"zo_tag", zo_tag, zo_tag ? nh_all * ntags * nst1 * sizeof *zo_tag : 0},
    };
    const int nrecs = (int)(sizeof recs / sizeof recs[0]);
    if (cs->restart) {
        lt_ckpt *ck = NULL;
        if ((rc = lt_ckpt_open(&ck, ck_path, fingerprint, &h_start, ck_copy, sizeof ck_copy, err)))
            goto done;
        if (cs->mpi_rank == 0) {
            rc = lt_output_restore(out, ck_copy, err);
            if (!rc)
                rc = state_io(0, ck, recs, nrecs, x.gr, err);
            /* the stopped run's partial file: this run writes its own */
            if (!rc && partial[0] && strcmp(partial, lt_output_partial_path(out)))
                remove(partial);
            counters_unpack(sum, counters);
            for (int i = 0; i < 3; i++) {
                facc[i]->cur = fpos[2 * i];
                facc[i]->count = fpos[2 * i + 1];
            }
        }
        lt_ckpt_close(&ck);
        if (rc)
            goto done;
        if (h_start % BLOCK_HOURS || h_start >= cfg->hours) {
            rc = lt_error_set(err, LT_EINPUT, "%s: the checkpoint is at hour %d: expected a multiple of %d before "
                              "the run's %d hours", ck_path, h_start, BLOCK_HOURS, cfg->hours);
            goto done;
        }
    }
#ifdef LT_MPI
    if (cs->mpi_rank > 0) {
        int passes = 1;
        for (int s = 0; s < nscen; s++)
            if (cs->scen->alert_mode[s])
                passes = 2;
        rc = run_worker(&x, passes, h_start, err);
        goto done;
    }
#endif
    /* Pass 1: the baseline, and every scenario that does not follow alerts. */
    for (int h0 = h_start; h0 < cfg->hours; h0 += BLOCK_HOURS) {
        int nh = cfg->hours - h0 < BLOCK_HOURS ? cfg->hours - h0 : BLOCK_HOURS;
        for (int b = 0; b < nh; b++) {
            int h = h0 + b;
            if ((rc = obtain_hour(&x, h, sum, 1, err)))
                goto done;
            if (zero_out) {
                double *zb = zo_h, *zt = zo_h + (size_t)ntags * nst1, *za = zt + (size_t)ntags * nst1;
                lt_gridrun_zero_out(x.gr, zb, zt, za);
                for (size_t k = 0; k < (size_t)ntags * nst; k++) {
                    zo_st[(size_t)h * ntags * nst + k] = (float)zb[k];
                    zo_tag[(size_t)h * ntags * nst + k] = (float)zt[k];
                }
                for (int tag = 0; tag < ntags; tag++)
                    for (size_t k = 0; k < nst; k++) {
                        sum->zo_brute[tag] += zb[(size_t)tag * nst + k];
                        sum->zo_tagged[tag] += zt[(size_t)tag * nst + k];
                    }
                for (size_t k = 0; k < nst; k++)
                    sum->zo_total += za[k];
            }
            b_calm[b] = x.calm;
            float *pm = b_pm + (size_t)b * ngrid;
            double hmax = 0.0, hsum = 0.0;
            long n = (long)ngrid, nchk = (n + RCHUNK - 1) / RCHUNK;
            /* per tag, county and component, summed over the groups plane by
             * plane on chunks of receptors (each receptor's sums formed in the
             * same order as one receptor at a time) */
#pragma omp parallel for schedule(static) reduction(max : hmax) reduction(+ : hsum)
            for (long ck = 0; ck < nchk; ck++) {
                size_t r0 = (size_t)ck * RCHUNK, m = ngrid - r0 < RCHUNK ? ngrid - r0 : RCHUNK;
                double vg[RCHUNK], tot[RCHUNK];
                for (int tag = 0; tag < ntags; tag++)
                    memset(v_src + (size_t)tag * ngrid + r0, 0, m * sizeof *v_src);
                for (size_t c = 0; c < ncty; c++)
                    memset(v_cty + c * ngrid + r0, 0, m * sizeof *v_cty);
                for (int c = 0; c < ncomp; c++)
                    memset(v_comp + (size_t)c * ngrid + r0, 0, m * sizeof *v_comp);
                for (int g = 0; g < ngroups; g++) {
                    memset(vg, 0, m * sizeof *vg);
                    for (int c = 0; c < ncomp; c++) {
                        const double *gp = x.gconc + ((size_t)g * ncomp + c) * nrec + r0;
                        double *pc = v_comp + (size_t)c * ngrid + r0;
                        for (size_t r = 0; r < m; r++) {
                            pc[r] += gp[r];
                            vg[r] += gp[r];
                        }
                    }
                    double *ps = v_src + (size_t)cs->group_tag[g] * ngrid + r0;
                    double *py = v_cty + (size_t)cs->group_county[g] * ngrid + r0;
                    for (size_t r = 0; r < m; r++) {
                        ps[r] += vg[r];
                        py[r] += vg[r];
                    }
                }
                memset(tot, 0, m * sizeof *tot);
                for (int tag = 0; tag < ntags; tag++) {
                    const double *ps = v_src + (size_t)tag * ngrid + r0;
                    for (size_t r = 0; r < m; r++)
                        tot[r] += ps[r];
                }
                for (size_t r = 0; r < m; r++) {
                    double total = tot[r];
                    pm[r0 + r] = (float)total;
                    base_mean[r0 + r] += total;
                    hsum += total;
                    if (total > hmax)
                        hmax = total;
                }
            }
            grid_sum += hsum;
            if (hmax > sum->grid_max)
                sum->grid_max = hmax;
            if ((rc = field_add(&fsrc, out, h, b, v_src, err)) ||
                (rc = field_add(&fcty, out, h, b, v_cty, err)) ||
                (ncomp > 1 && (rc = field_add(&fcomp, out, h, b, v_comp, err))))
                goto done;
            float *st = b_st + (size_t)b * nst;
            float *sts = b_stsrc + (size_t)b * ntags * nst;
            float *spl = b_split + (size_t)b * ntags * ncty * nst;
            float *stc = b_stcomp + (size_t)b * ncomp * nst;
            float *stcs = b_stcs + (size_t)b * ncomp * ntags * nst;
            memset(spl, 0, (size_t)ntags * ncty * nst * sizeof *spl);
            memset(stcs, 0, (size_t)ncomp * ntags * nst * sizeof *stcs);
            for (size_t k = 0; k < nst; k++) {
                double v[LT_MAX_SECTORS + 1] = {0}, vc[LT_NCOMP_GRID] = {0}, total = 0.0;
                for (int g = 0; g < ngroups; g++) {
                    double vg = 0.0;
                    for (int c = 0; c < ncomp; c++) {
                        double vv = x.gconc[((size_t)g * ncomp + c) * nrec + ngrid + k];
                        vc[c] += vv;
                        vg += vv;
                        stcs[((size_t)c * ntags + (size_t)cs->group_tag[g]) * nst + k] += (float)vv;
                    }
                    v[cs->group_tag[g]] += vg;
                    spl[((size_t)cs->group_tag[g] * ncty + (size_t)cs->group_county[g]) * nst + k] += (float)vg;
                    cty_sum[cs->group_county[g]] += vg;
                }
                for (int tag = 0; tag < ntags; tag++) {
                    sts[(size_t)tag * nst + k] = (float)v[tag];
                    total += v[tag];
                    tag_sum[tag] += v[tag];
                }
                for (int c = 0; c < ncomp; c++) {
                    stc[(size_t)c * nst + k] = (float)vc[c];
                    comp_sum[c] += vc[c];
                }
                st[k] = (float)total;
                st_all[(size_t)h * nst + k] = total;
                sum->station_mean[k] += total;
                if (total > sum->station_max[k])
                    sum->station_max[k] = total;
            }
            double ts = now_s();
            if (gsum) {
#pragma omp parallel for schedule(static)
                for (long r = 0; r < n; r++)
                    for (size_t gc = 0; gc < ngc; gc++)
                        gsum[gc * ngrid + (size_t)r] += x.gconc[gc * nrec + (size_t)r];
            }
            for (int s = 0; s < nscen; s++)
                if (!cs->scen->alert_mode[s])
                    combine_scenario(&x, s, h, 0, sc_st + ((size_t)s * nh_all + (size_t)h) * ntags * nst,
                                     lt_scenario_constant(cs->scen, s) ? NULL : sc_mean + (size_t)s * ngrid,
                                     fac);
            sum->scenario_seconds += now_s() - ts;
            if (cs->progress)
                cs->progress(cs->progress_user, h + 1, cfg->hours, now_s() - t_start);
        }
        if ((rc = lt_output_write(out, h0, nh, b_pm, b_st, b_stsrc, b_split, b_stcomp, b_stcs, b_calm, err)) ||
            (rc = field_block_end(&fsrc, out, h0, nh, err)) ||
            (rc = field_block_end(&fcty, out, h0, nh, err)) ||
            (ncomp > 1 && (rc = field_block_end(&fcomp, out, h0, nh, err))))
            goto done;
        if (cfg->checkpoint_hours && (h0 + nh) % cfg->checkpoint_hours == 0 && h0 + nh < cfg->hours) {
            char copy[sizeof ck_copy];
            lt_ckpt *ck = NULL;
            snprintf(copy, sizeof copy, "%s.ckpt-%d.nc", cfg->output_file, h0 + nh);
            counters_pack(sum, counters);
            snprintf(partial, sizeof partial, "%s", lt_output_partial_path(out));
            for (int i = 0; i < 3; i++) {
                fpos[2 * i] = facc[i]->cur;
                fpos[2 * i + 1] = facc[i]->count;
            }
            if ((rc = lt_output_snapshot(out, copy, err)) ||
                (rc = lt_ckpt_create(&ck, ck_path, fingerprint, h0 + nh, copy, err)))
                goto done;
            state_io(1, ck, recs, nrecs, x.gr, err);
            if ((rc = lt_ckpt_commit(&ck, err)))
                goto done;
            if (ck_copy[0] && strcmp(ck_copy, copy))
                remove(ck_copy); /* the previous checkpoint's copy */
            snprintf(ck_copy, sizeof ck_copy, "%s", copy);
        }
    }
    if ((rc = field_flush(&fsrc, out, err)) || (rc = field_flush(&fcty, out, err)) ||
        (ncomp > 1 && (rc = field_flush(&fcomp, out, err))))
        goto done;
    for (size_t k = 0; k < nst; k++)
        sum->station_mean[k] /= cfg->hours;
    if (x.gr) {
        lt_gridrun_stats_get(x.gr, &sum->grid);
        char note[64];
        snprintf(note, sizeof note, "%.3g", sum->grid.worst_residual);
        if ((rc = lt_output_write_budget(out, sum->grid.budget, err)) ||
            (rc = lt_output_note(out, "lantian_budget_residual", note, err)))
            goto done;
        if (zero_out) {
            double nn = (double)cfg->hours * (double)(nst ? nst : 1);
            for (int tag = 0; tag < ntags; tag++) {
                sum->zo_brute[tag] /= nn;
                sum->zo_tagged[tag] /= nn;
            }
            sum->zo_total /= nn;
            sum->zero_out = 1;
            if ((rc = lt_output_write_zero_out(out, zo_st, zo_tag, err)))
                goto done;
        }
    }
    sum->grid_mean = grid_sum / ((double)cfg->hours * (double)ngrid);
    double all = 0.0;
    for (int g = 0; g < ntags; g++)
        all += tag_sum[g];
    for (int g = 0; g < ntags; g++)
        sum->tag_share[g] = all > 0 ? tag_sum[g] / all : 0.0;
    for (size_t c = 0; c < ncty; c++)
        sum->county_share[c] = all > 0 ? cty_sum[c] / all : 0.0;
    for (int c = 0; c < ncomp; c++)
        sum->comp_share[c] = all > 0 ? comp_sum[c] / all : 0.0;
    for (size_t r = 0; r < ngrid; r++)
        base_mean[r] /= cfg->hours;
    if (cs->have_aqi) {
        if (lt_assess(&as, &cs->aqi, cs->have_alert ? &cs->alert : NULL, cfg->alert_lead_hours,
                      st_all, nh_all, nst, cfg->start_s)) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory for the daily assessment");
            goto done;
        }
        if (lt_assess_counties(&as, &cs->aqi, cs->county_of_station, cs->ncounties)) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory for the daily assessment");
            goto done;
        }
        if ((rc = lt_output_write_assessment(out, &as, err)))
            goto done;
        sum->county_mean = malloc((cs->ncounties ? cs->ncounties : 1) * sizeof *sum->county_mean);
        sum->day_alert = malloc(as.ndays * sizeof *sum->day_alert);
        sum->day_aqi = malloc(as.ndays * sizeof *sum->day_aqi);
        sum->scen_day_aqi = malloc(((size_t)nscen * as.ndays + 1) * sizeof *sum->scen_day_aqi);
        if (!sum->county_mean || !sum->day_alert || !sum->day_aqi || !sum->scen_day_aqi) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto done;
        }
        memcpy(sum->county_mean, as.county_mean, cs->ncounties * sizeof *sum->county_mean);
        memcpy(sum->day_alert, as.alert_day, as.ndays * sizeof *sum->day_alert);
        memcpy(sum->day_aqi, as.city_aqi, as.ndays * sizeof *sum->day_aqi);
        sum->day0_s = as.day0_s;
        sum->assessed = 1;
        sum->ndays = as.ndays;
        sum->valid_days = as.valid_days;
        sum->good_days = as.good_days;
        sum->heavy_days = as.heavy_days;
        sum->exceed_days = as.exceed_days;
        sum->alert_days = as.alert_days;
        sum->city_mean = as.city_mean;
    }
    /* Pass 2: scenarios whose measures follow the baseline's alerts. Their
     * factors depend on the whole baseline, so the dispersion runs again. */
    int need_rerun = 0;
    for (int s = 0; s < nscen; s++)
        need_rerun |= cs->scen->alert_mode[s];
    if (need_rerun) {
        sum->reruns = 1;
        if (x.gr && (rc = lt_gridrun_reset(x.gr, err))) /* the grid remembers: start again */
            goto done;
        for (int h = 0; h < cfg->hours; h++) {
            if ((rc = obtain_hour(&x, h, sum, 0, err)))
                goto done;
            double ts = now_s();
            for (int s = 0; s < nscen; s++)
                if (cs->scen->alert_mode[s])
                    combine_scenario(&x, s, h, as.alert_hour[h],
                                     sc_st + ((size_t)s * nh_all + (size_t)h) * ntags * nst,
                                     sc_mean + (size_t)s * ngrid, fac);
            sum->scenario_seconds += now_s() - ts;
        }
    }
    /* Each scenario: its assessment, the file's scenario variables, the summary. */
    if ((rc = lt_output_write_means(out, -1, base_mean, NULL, NULL, err)))
        goto done;
    sum->nscen = nscen;
    for (int s = 0; s < nscen; s++) {
        const float *sst = sc_st + (size_t)s * nh_all * ntags * nst;
        double *m = sc_mean + (size_t)s * ngrid;
        if (lt_scenario_constant(cs->scen, s)) {
            double ts = now_s();
            scenario_factors(&x, s, cfg->start_s, 0, fac);
            for (size_t gc = 0; gc < ngc; gc++) {
                const double *gs = gsum + gc * ngrid;
                for (size_t r = 0; r < ngrid; r++)
                    m[r] += fac[gc] * gs[r];
            }
            sum->scenario_seconds += now_s() - ts;
        }
        for (size_t r = 0; r < ngrid; r++)
            m[r] /= cfg->hours;
        totals_of(sst, nh_all, ntags, nst, sc_tot);
        lt_assessment_free(&sas);
        if (lt_assess(&sas, &cs->aqi, cs->have_alert ? &cs->alert : NULL, cfg->alert_lead_hours,
                      sc_tot, nh_all, nst, cfg->start_s) ||
            lt_assess_counties(&sas, &cs->aqi, cs->county_of_station, cs->ncounties)) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory for the daily assessment");
            goto done;
        }
        if ((rc = lt_output_write_means(out, s, m, sst, &sas, err)))
            goto done;
        double d = 0.0;
        for (size_t i = 0; i < nh_all * nst; i++)
            d += sc_tot[i] - st_all[i];
        sum->scen_station_mean_delta[s] = nst ? d / (double)(nh_all * nst) : 0.0;
        sum->scen_city_mean[s] = sas.city_mean;
        sum->scen_good[s] = sas.good_days;
        sum->scen_heavy[s] = sas.heavy_days;
        sum->scen_exceed[s] = sas.exceed_days;
        sum->scen_alert_days[s] = sas.alert_days;
        memcpy(sum->scen_day_aqi + (size_t)s * as.ndays, sas.city_aqi, as.ndays * sizeof *sum->scen_day_aqi);
    }
    {
        char note[64];
        snprintf(note, sizeof note, "%d", sum->calm_hours);
        if ((rc = lt_output_note(out, "lantian_calm_hours", note, err)))
            goto done;
        snprintf(note, sizeof note, "%ld of %ld", sum->calm_source_hours, sum->source_hours);
        if ((rc = lt_output_note(out, "lantian_calm_source_hours", note, err)))
            goto done;
    }
    if (nscen && (rc = write_scenario_csv(cs, sum, err)))
        goto done;
    rc = lt_output_commit(&out, err);
    if (rc && nscen)
        remove(sum->scenario_csv);
    if (!rc && ck_copy[0]) { /* complete: the checkpoint has served */
        remove(ck_path);
        remove(ck_copy);
    }
done:
    lt_output_abort(&out);
    free(x.rx);
    free(x.ry);
    free(x.gconc);
    free(x.src);
    free(x.cytab);
    free(x.polybuf);
    free(x.mets);
    free(x.speeds);
    free(x.chems);
    free(x.gmap);
    lt_gridconv_free(&x.gc);
    lt_gridrun_free(&x.gr);
    free(x.pconc);
    free(zo_st);
    free(zo_tag);
    free(zo_h);
    free(b_pm);
    free(b_st);
    free(b_stsrc);
    free(b_split);
    free(b_stcomp);
    free(b_stcs);
    free(b_calm);
    free(v_src);
    free(v_cty);
    free(v_comp);
    field_free(&fsrc);
    field_free(&fcty);
    field_free(&fcomp);
    free(tag_sum);
    free(cty_sum);
    free(st_all);
    free(base_mean);
    free(sc_st);
    free(sc_mean);
    free(sc_tot);
    free(fac);
    free(gsum);
    lt_assessment_free(&as);
    lt_assessment_free(&sas);
    if (rc)
        lt_summary_free(sum);
    sum->wall_seconds = now_s() - t_start;
    return rc;
}
