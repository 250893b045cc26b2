/* case.c — loading and checking a case's inputs, and its source groups. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lt_time.h"
#include "io/obs.h"
#include "physics/chem.h"
#include "physics/sigma.h"
#include "run/case_bg.h"
#include "run/case_impl.h"

#define UNASSIGNED_COUNTY "unassigned"

/* The file a source was read from, for messages. */
static const char *source_file(const lt_config *cfg, const lt_point *p)
{
    if (p->road)
        return cfg->roads_file;
    if (p->kind == LT_SRC_AREA)
        return cfg->areas_file;
    return p->kind == LT_SRC_VOLUME ? cfg->volumes_file : cfg->points_file;
}

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

/* 1 when gridded cell r emits anything of sector k (any sector: k < 0). */
static int cell_emits(const lt_emisgrid *g, int k, size_t r)
{
    for (int s = k < 0 ? 0 : k; s < (k < 0 ? LT_MAX_SECTORS : k + 1); s++)
        for (int l = 0; l < g->nheights; l++)
            for (int sp = 0; sp < LT_EG_NSPECIES; sp++)
                if (g->emis[s][l][sp] && g->emis[s][l][sp][r] > 0.0)
                    return 1;
    return 0;
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
    /* every cell gets its county tag when the inventory changes by month (a
     * cell may emit only in a later month); otherwise emitting cells */
    int all = cs->cfg->gridded_layout == LT_GRIDDED_MEIC;
    for (size_t r = 0; r < ng; r++) {
        int reg = cs->cell_region ? cs->cell_region[r] : -1;
        cs->cell_county[r] = all || cell_emits(g, -1, r)
                                 ? county_tag(cs, reg >= 0 ? lt_regions_name(cs->regions, (size_t)reg) : "")
                                 : -1;
    }
    cs->grid_group0 = cs->ngroups;
    cs->grid_ngroups = 0;
    for (int k = 0; k < LT_MAX_SECTORS; k++) {
        if (!g->has[k])
            continue;
        for (size_t c = 0; c < cs->nsrc_counties; c++) {
            int present = 0;
            for (size_t r = 0; r < ng && !present; r++)
                present = cs->cell_county[r] == (int)c && cell_emits(g, k, r);
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
            cs->group_grade[gi] = '-';
            cs->group_point[gi] = -1;
            cs->grid_group_sector[cs->grid_ngroups++] = k;
        }
    }
    return LT_OK;
}

/* The tag of source p: its own when [output] sources names it, else its
 * sector's. */
static int tag_of(const lt_case *cs, const lt_point *p)
{
    for (int i = 0; i < cs->cfg->ntag_sources; i++)
        if (!strcmp(p->id, cs->cfg->tag_sources[i]))
            return cs->source_tag[i];
    return cs->tag_of_sector[p->sector];
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
    cs->group_grade = malloc(cap * sizeof *cs->group_grade);
    cs->group_point = malloc(cap * sizeof *cs->group_point);
    cs->src_county_names = malloc(cap * sizeof *cs->src_county_names);
    if (!cs->group_of_point || !cs->group_tag || !cs->group_county || !cs->group_sig ||
        !cs->group_grade || !cs->group_point || !cs->src_county_names)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    cs->ngroups = 0;
    cs->nsrc_counties = 0;
    for (size_t i = 0; i < cs->npoints; i++) {
        int tag = tag_of(cs, &cs->points[i]);
        int cty = county_tag(cs, cs->points[i].county);
        uint64_t sig = cs->scen ? lt_scenario_signature(cs->scen, &cs->points[i]) : 0;
        /* the optimizer cuts per sector, county and grade (annual plan) or per
         * enterprise (emergency list): groups split by grade, or by source id */
        int by_id = cs->cfg->opt_mode == LT_OPT_EMERGENCY && cs->cfg->opt_emg_costs[0];
        char grade = cs->cfg->opt_costs[0] || by_id ? cs->points[i].grade : '-';
        int g = 0;
        while (g < cs->ngroups && !(cs->group_tag[g] == tag && cs->group_county[g] == cty &&
                                    cs->group_sig[g] == sig && cs->group_grade[g] == grade &&
                                    (!by_id || !strcmp(cs->points[cs->group_point[g]].id, cs->points[i].id))))
            g++;
        if (g == cs->ngroups) {
            cs->group_tag[g] = tag;
            cs->group_county[g] = cty;
            cs->group_sig[g] = sig;
            cs->group_grade[g] = grade;
            cs->group_point[g] = (int)i;
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
        cs->group_grade[cs->ngroups] = '-';
        cs->group_point[cs->ngroups] = -1;
        cs->ngroups++;
    }
    if (cs->nsrc_counties == 0)
        cs->src_county_names[cs->nsrc_counties++] = UNASSIGNED_COUNTY;
    return LT_OK;
}

/* Area source p's polygon on the grid, relative to its centre, and its area. */
static int place_polygon(lt_case *cs, lt_point *p, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    double a2 = 0.0;
    for (int v = 0; v < p->nvert; v++) {
        double vx, vy;
        if (lt_domain_forward(cs->domain, p->vlon[v], p->vlat[v], &vx, &vy))
            return lt_error_set(err, LT_EINPUT, "%s:%d: area '%s': vertex %d cannot be projected",
                                source_file(cfg, p), p->line, p->id, v + 1);
        p->vx[v] = vx - p->x_m;
        p->vy[v] = vy - p->y_m;
    }
    for (int v = 0, w = p->nvert - 1; v < p->nvert; w = v++)
        a2 += p->vx[w] * p->vy[v] - p->vx[v] * p->vy[w];
    p->area_m2 = 0.5 * fabs(a2);
    double ext = 0.0; /* the largest vertex distance from the centre */
    for (int v = 0; v < p->nvert; v++)
        ext = fmax(ext, hypot(p->vx[v], p->vy[v]));
    if (!p->road && (!(p->area_m2 > 1.0) || p->area_m2 < 1e-3 * ext * ext))
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: area '%s' encloses %.3g m2 across %.0f m: expected a polygon of at least 1 m2 "
                            "that is not a line (vertices in order, not all in a row)",
                            source_file(cfg, p), p->line, p->id, p->area_m2, 2 * ext);
    return LT_OK;
}

/* The sources and stations read, placed on the grid and checked against it. */
static int load_sources(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    int rc;
    if ((rc = lt_points_read(cfg->points_file, cfg, &cs->points, &cs->npoints, err)) ||
        (cfg->volumes_file[0] && (rc = lt_volumes_read(cfg->volumes_file, cfg, &cs->points, &cs->npoints, err))) ||
        (cfg->areas_file[0] && (rc = lt_areas_read(cfg->areas_file, cfg, &cs->points, &cs->npoints, err))) ||
        (cfg->roads_file[0] && (rc = lt_roads_read(cfg->roads_file, cfg, &cs->points, &cs->npoints, err))) ||
        (rc = lt_stations_read(cfg->stations_file, &cs->stations, &cs->nstations, err)))
        return rc;
    for (size_t i = 0; i < cs->npoints; i++) {
        lt_point *p = &cs->points[i];
        if (lt_domain_forward(cs->domain, p->lon, p->lat, &p->x_m, &p->y_m) ||
            lt_domain_outside_m(cs->domain, p->x_m, p->y_m) > 1000.0 * cfg->margin_km)
            return lt_error_set(err, LT_EINPUT,
                                "%s:%d: source '%s' at lon %.4f, lat %.4f lies outside the domain "
                                "(by more than [sources] margin_km = %g km): expected a source in "
                                "or near the %d x %d km grid centred on %.4f E, %.4f N",
                                source_file(cfg, p), p->line, p->id, p->lon, p->lat, cfg->margin_km,
                                (int)(cfg->nx * cfg->dx_m / 1000), (int)(cfg->ny * cfg->dx_m / 1000),
                                cfg->center_lon, cfg->center_lat);
        p->north_rot = lt_domain_north_rotation(cs->domain, p->lon, p->lat);
        if (p->kind == LT_SRC_AREA && (rc = place_polygon(cs, p, err)))
            return rc;
    }
    for (size_t i = 0; i < cs->nstations; i++) {
        lt_station *s = &cs->stations[i];
        if (lt_domain_forward(cs->domain, s->lon, s->lat, &s->x_m, &s->y_m) ||
            lt_domain_outside_m(cs->domain, s->x_m, s->y_m) > 0.0)
            return lt_error_set(err, LT_EINPUT,
                                "%s: station '%s' at lon %.4f, lat %.4f lies outside the receptor grid: "
                                "expected stations inside the domain",
                                cfg->stations_file, s->id, s->lon, s->lat);
    }
    return LT_OK;
}

/* [domain] counties: the polygons, the county of every source and station
 * without one, and the region of every receptor cell. */
static int load_counties(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    int rc = lt_regions_read(&cs->regions, cfg->counties_file, cfg->county_property, err);
    if (rc)
        return rc;
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
    if (!cs->cell_region)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int j = 0; j < cfg->ny; j++)
        for (int i = 0; i < cfg->nx; i++) {
            double lon, lat;
            size_t k = (size_t)j * cfg->nx + i;
            cs->cell_region[k] = lt_domain_inverse(cs->domain, lt_domain_x(cs->domain, i),
                                                   lt_domain_y(cs->domain, j), &lon, &lat)
                                     ? -1
                                     : lt_regions_find(cs->regions, lon, lat);
        }
    return LT_OK;
}

/* The hourly stack emissions and the gridded inventory (its first month). */
static int load_emission_files(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    int rc;
    if (cfg->hourly_file[0]) {
        if (!(cs->hourly = malloc(sizeof *cs->hourly)))
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        if ((rc = lt_houremis_read(cs->hourly, cfg->hourly_file, cs->points, cs->npoints, cfg->start_s, cfg->hours,
                                   err))) {
            free(cs->hourly);
            cs->hourly = NULL;
            return rc;
        }
    }
    if (cfg->gridded_layout != LT_GRIDDED_NONE) {
        if (!(cs->gridded = malloc(sizeof *cs->gridded)))
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        if ((rc = lt_emisgrid_load(cs->gridded, cfg, cs->domain, cfg->start_s, err))) {
            free(cs->gridded);
            cs->gridded = NULL;
            return rc;
        }
        time_t t0 = (time_t)cfg->start_s;
        struct tm tm;
        gmtime_r(&t0, &tm);
        cs->grid_month = tm.tm_mon;
    }
    return LT_OK;
}

/* The sector tags, the temporal profiles and the background's tag. */
static int load_tags(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    int has[LT_MAX_SECTORS] = {0}, found[LT_MAX_SOURCE_TAGS] = {0}, rc;
    for (size_t i = 0; i < cs->npoints; i++) {
        int own = 0;
        for (int t = 0; t < cfg->ntag_sources; t++)
            if (!strcmp(cs->points[i].id, cfg->tag_sources[t]))
                own = found[t] = 1;
        has[cs->points[i].sector] |= !own; /* a sector tag only where sources remain in it */
    }
    for (int k = 0; cs->gridded && k < LT_MAX_SECTORS; k++)
        has[k] |= cs->gridded->has[k];
    cs->ntags = 0;
    for (int k = 0; k < cfg->nsectors; k++) {
        cs->tag_of_sector[k] = has[k] ? cs->ntags : -1;
        if (has[k])
            cs->tag_names[cs->ntags++] = cfg->sectors[k];
    }
    /* [output] sources: each its own tag, after the sectors' */
    for (int t = 0; t < cfg->ntag_sources; t++) {
        if (!found[t])
            return lt_error_set(err, LT_EINPUT,
                                "%s: [output] sources names '%s', which no stack, volume, area or road has as its "
                                "id: expected ids from the source tables",
                                cfg->path, cfg->tag_sources[t]);
        cs->source_tag[t] = cs->ntags;
        cs->tag_names[cs->ntags++] = cfg->tag_sources[t];
    }
    if (cfg->profiles_file[0]) {
        if ((rc = lt_profiles_read(&cs->profiles, cfg->profiles_file, cfg, cfg->start_s, cfg->utc_offset_h, err)))
            return rc;
    } else {
        lt_profiles_flat(&cs->profiles, cfg->nsectors);
    }
    cs->background_tag = -1;
    if (cfg->background_file[0] || cfg->bg_obs_path[0]) {
        if ((rc = lt_case_bg_load(cs, err)))
            return rc;
        cs->background_tag = cs->ntags;
        cs->tag_names[cs->ntags++] = cfg->background_name;
    }
    return LT_OK;
}

/* The run station of [background] stations entry code (by code, else id). */
static long bg_station_of(const lt_case *cs, const char *code)
{
    for (size_t i = 0; i < cs->nstations; i++)
        if (!strcmp(cs->stations[i].code, code) || !strcmp(cs->stations[i].id, code))
            return (long)i;
    return -1;
}

/* [background] stations into cs->bg_station, their observations into cs->bg_obs. */
static int bg_stations(lt_case *cs, const lt_obs *obs, long *obs_st, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    char list[sizeof cfg->bg_obs_stations];
    snprintf(list, sizeof list, "%s", cfg->bg_obs_stations);
    for (char *save, *tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        long i = bg_station_of(cs, tok);
        if (i < 0)
            return lt_error_set(err, LT_EINPUT, "%s: [background] stations names '%s', which is not a station of %s: "
                                "expected the code or id of a receptor station", cfg->path, tok, cfg->stations_file);
        long o = lt_obs_find_station(obs, cs->stations[i].code[0] ? cs->stations[i].code : cs->stations[i].id);
        if (o < 0)
            o = lt_obs_find_station(obs, cs->stations[i].id);
        if (o < 0)
            return lt_error_set(err, LT_EINPUT, "%s: [background] stations: '%s' has no observations in %s: expected "
                                "its code among the observed stations", cfg->path, tok, cfg->bg_obs_path);
        if (cs->nbg_st == 64)
            return lt_error_set(err, LT_EINPUT, "%s: [background] stations: more than 64 stations", cfg->path);
        obs_st[cs->nbg_st] = o;
        cs->bg_station[cs->nbg_st++] = (size_t)i;
    }
    return LT_OK;
}

/* [background] from_observations: the observed PM2.5 at the chosen stations
 * for every hour; an hour observed at none takes the [background] file's
 * value, and without a file is an error. */
static int load_bg_obs(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    if (!cfg->bg_obs_path[0])
        return LT_OK;
    if (cfg->solver != LT_SOLVER_PLUME)
        return lt_error_set(err, LT_EINPUT, "%s: [background] from_observations needs [solver] method = plume (the "
                            "grid model's background is its inflow at the boundary)", cfg->path);
    long obs_st[64];
    lt_obs *obs = NULL;
    int rc = lt_obs_create(&obs, err);
    if (!rc && !(cs->bg_station = calloc(64, sizeof *cs->bg_station)))
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    if (!rc && !(rc = lt_obs_read(obs, cfg->bg_obs_path, err)) && !(rc = lt_obs_finish(obs, err)))
        rc = bg_stations(cs, obs, obs_st, err);
    if (!rc && !(cs->bg_obs = malloc((size_t)cfg->hours * cs->nbg_st * sizeof *cs->bg_obs)))
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int h = 0; !rc && h < cfg->hours; h++) {
        int any = 0;
        for (size_t k = 0; k < cs->nbg_st; k++) {
            double v = lt_obs_hourly(obs, (size_t)obs_st[k], LT_OBS_PM25, cfg->start_s + 3600.0 * h);
            cs->bg_obs[(size_t)h * cs->nbg_st + k] = v;
            any |= !isnan(v);
        }
        if (!any && isnan(cs->background[h])) {
            char t[32];
            lt_format_iso8601(cfg->start_s + 3600.0 * h, t, sizeof t);
            rc = lt_error_set(err, LT_EINPUT, "%s: [background] from_observations: no PM2.5 observed at the stations "
                              "'%s' in the hour starting %s: expected an hourly value there, or a [background] file "
                              "for the hours without one", cfg->bg_obs_path, cfg->bg_obs_stations, t);
        }
        cs->bg_fallback_hours += !any;
    }
    lt_obs_free(&obs);
    return rc;
}

/* The AQI and alert rules, and the scenarios. */
static int load_rules(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    int rc;
    if (cfg->aqi_rules[0]) {
        if ((rc = lt_aqi_table_read(&cs->aqi, cfg->aqi_rules, err)))
            return rc;
        cs->have_aqi = 1;
    }
    if (cfg->alert_rules[0]) {
        if ((rc = lt_alert_rules_read(&cs->alert, cfg->alert_rules, err)))
            return rc;
        cs->have_alert = 1;
    }
    if (!cfg->nscen && !cfg->measures_file[0])
        return LT_OK;
    if (!cfg->nscen) {
        /* a measures table no scenario uses is still checked: the next run may */
        if (!cs->have_alert)
            return lt_error_set(err, LT_EINPUT, "%s: [assessment] measures = %s needs [assessment] alert_rules (its "
                                "levels are the alert levels)", cfg->path, cfg->measures_file);
        lt_scenarios *tmp = malloc(sizeof *tmp);
        if (!tmp)
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        rc = lt_scenarios_build(tmp, cfg, cs->points, cs->npoints, cs->stations, cs->nstations, &cs->alert, err);
        free(tmp);
        return rc;
    }
    if (!(cs->scen = malloc(sizeof *cs->scen)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    if ((rc = lt_scenarios_build(cs->scen, cfg, cs->points, cs->npoints, cs->stations, cs->nstations,
                                 cs->have_alert ? &cs->alert : NULL, err)))
        return rc;
    if (cs->scen->n > 0 && !cs->have_aqi)
        return lt_error_set(err, LT_EINPUT, "%s: scenarios need [assessment] aqi_rules (they are compared on the AQI)",
                            cfg->path);
    return LT_OK;
}

/* The stations' counties, in order of appearance. */
static int station_counties(lt_case *cs, lt_error *err)
{
    cs->county_names = malloc((cs->nstations ? cs->nstations : 1) * sizeof *cs->county_names);
    cs->county_of_station = malloc((cs->nstations ? cs->nstations : 1) * sizeof *cs->county_of_station);
    if (!cs->county_names || !cs->county_of_station)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    cs->ncounties = 0;
    for (size_t k = 0; k < cs->nstations; k++) {
        size_t c = 0;
        while (c < cs->ncounties && strcmp(cs->county_names[c], cs->stations[k].county))
            c++;
        if (c == cs->ncounties)
            cs->county_names[cs->ncounties++] = cs->stations[k].county;
        cs->county_of_station[k] = (int)c;
    }
    return LT_OK;
}

/* The weather must cover the receptor grid (its edge cells) and every
 * source: the error names the point farthest outside. */
static int check_met_area(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    double worst = 0.0, wlon = 0.0, wlat = 0.0;
    const char *units = "";
    const char *what = "";
    for (int k = 0; k < 2 * (cfg->nx + cfg->ny); k++) { /* the grid's edge cells */
        int i = k < cfg->nx ? k : k < 2 * cfg->nx ? k - cfg->nx : k < 2 * cfg->nx + cfg->ny ? 0 : cfg->nx - 1;
        int j = k < cfg->nx ? 0 : k < 2 * cfg->nx ? cfg->ny - 1 : (k - 2 * cfg->nx) % cfg->ny;
        double lon, lat;
        if (lt_domain_inverse(cs->domain, lt_domain_x(cs->domain, i), lt_domain_y(cs->domain, j), &lon, &lat))
            continue;
        double d = lt_met_outside(cs->met, lon, lat, &units);
        if (d > worst) {
            worst = d, wlon = lon, wlat = lat;
            what = "the receptor grid's edge";
        }
    }
    for (size_t i = 0; i < cs->npoints; i++) {
        double d = lt_met_outside(cs->met, cs->points[i].lon, cs->points[i].lat, &units);
        if (d > worst) {
            worst = d, wlon = cs->points[i].lon, wlat = cs->points[i].lat;
            what = cs->points[i].id;
        }
    }
    if (worst <= 0.0)
        return LT_OK;
    char extent[160];
    lt_met_extent(cs->met, extent, sizeof extent);
    return lt_error_set(err, LT_EINPUT,
                        "%s: the weather grid spans %s, but %s%s at %.4f E, %.4f N lies %.4g %s beyond it: expected "
                        "weather covering the receptor grid and every source",
                        cfg->met_file, extent, strcmp(what, "the receptor grid's edge") ? "source " : "", what, wlon,
                        wlat, worst, units);
}

/* The meteorology: open, covering the run, with what the stability scheme
 * and the dispersion curves need. */
static int open_met(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    int rc;
    lt_met_options o;
    lt_met_options_default(&o);
    o.path = cfg->met_file;
    o.format = cfg->met_format;
    o.map = cfg->met_variables;
    o.profile = cfg->met_profile;
    o.wind_height_m = cfg->wind_height_m;
    o.z0_m = cfg->z0_m;
    o.albedo = cfg->met_albedo;
    o.bowen = cfg->met_bowen;
    o.theta_gradient = cfg->met_theta_gradient;
    o.max_gap_h = cfg->met_max_gap_h;
    o.station_lon = cfg->met_station_lon;
    o.station_lat = cfg->met_station_lat;
    o.utc_offset_h = cfg->met_utc_offset_h;
    if ((rc = lt_met_open_opts(&cs->met, &o, err)) ||
        (rc = lt_met_check_coverage(cs->met, cfg->start_s, cfg->hours, err)) || (rc = check_met_area(cs, err)))
        return rc;
    int has_l = lt_met_has(cs->met, "rmol") || lt_met_has(cs->met, "hfx");
    if (!cfg->stability_turner && !has_l)
        return lt_error_set(err, LT_EINPUT,
                            "%s: meteorological variable 'rmol' (m-1) is missing, and so is 'hfx' from which it could "
                            "be derived: expected rmol(time, lat, lon), or [dispersion] stability = turner with 'cloud'",
                            cfg->met_file);
    if (cfg->stability_turner && !lt_met_has(cs->met, "cloud"))
        return lt_error_set(err, LT_EINPUT,
                            "%s: meteorological variable 'cloud' (0-1) is missing: expected cloud(time, lat, lon) for "
                            "[dispersion] stability = turner",
                            cfg->met_file);
    if (lt_sigma_curves_find(cfg->curves)->similarity && !has_l)
        return lt_error_set(err, LT_EINPUT,
                            "%s: 'rmol' and 'hfx' are missing: expected one of them for [dispersion] curves = similarity",
                            cfg->met_file);
    return LT_OK;
}

/* Adds path (a copy) to the case's inputs. */
static int add_input(lt_case *cs, const char *path, size_t len, lt_error *err)
{
    char **p = realloc(cs->inputs, (cs->ninputs + 1) * sizeof *p);
    if (!p)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    cs->inputs = p;
    if (!(p[cs->ninputs] = strndup(path, len)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    cs->ninputs++;
    return LT_OK;
}

/* Every file the case reads, for the output guard and the checkpoint's
 * fingerprint. */
static int list_inputs(lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    const char *files[] = {cfg->path, cfg->points_file, cfg->volumes_file, cfg->areas_file, cfg->roads_file,
                           cfg->hourly_file, cfg->profiles_file, cfg->background_file, cfg->stations_file,
                           cfg->counties_file, cfg->gridded_vertical, cfg->aqi_rules, cfg->alert_rules,
                           cfg->measures_file, cfg->targets_file};
    int rc = LT_OK;
    for (size_t i = 0; i < sizeof files / sizeof *files && !rc; i++)
        if (files[i][0])
            rc = add_input(cs, files[i], strlen(files[i]), err);
    for (const char *m = cfg->met_file; !rc && *m;) { /* one file, or wrfout files separated by commas */
        while (*m == ' ' || *m == ',')
            m++;
        size_t n = strcspn(m, ",");
        while (n && m[n - 1] == ' ')
            n--;
        if (n)
            rc = add_input(cs, m, n, err);
        m += strcspn(m, ",");
    }
    for (int i = 0; i < cfg->nscen && !rc; i++)
        if (!strcmp(cfg->scen[i].key, "cuts_file")) {
            char path[LT_PATH_MAX];
            lt_scenario_entry_path(cfg, &cfg->scen[i], path, sizeof path);
            rc = add_input(cs, path, strlen(path), err);
        }
    if (!rc && cfg->gridded_layout == LT_GRIDDED_CF)
        rc = add_input(cs, cfg->gridded_path, strlen(cfg->gridded_path), err);
    DIR *d = !rc && cfg->gridded_layout == LT_GRIDDED_MEIC ? opendir(cfg->gridded_path) : NULL;
    for (struct dirent *e; d && !rc && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n > 3 && !strcmp(e->d_name + n - 3, ".nc")) {
            char path[LT_PATH_MAX + 256];
            int len = snprintf(path, sizeof path, "%s/%s", cfg->gridded_path, e->d_name);
            rc = add_input(cs, path, (size_t)len, err);
        }
    }
    if (d)
        closedir(d);
    return rc;
}

int lt_case_load(lt_case **out, const lt_config *cfg, lt_error *err)
{
    *out = NULL;
    lt_case *cs = calloc(1, sizeof *cs);
    if (!cs)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    cs->cfg = cfg;
    cs->background_tag = -1;
    int rc;
    if ((rc = lt_domain_create(&cs->domain, cfg->center_lon, cfg->center_lat, cfg->nx, cfg->ny, cfg->dx_m, err)) ||
        (rc = load_sources(cs, err)) || (cfg->counties_file[0] && (rc = load_counties(cs, err))) ||
        (rc = load_emission_files(cs, err)) || (rc = load_tags(cs, err)) || (rc = load_bg_obs(cs, err)) || (rc = load_rules(cs, err)) ||
        (rc = build_groups(cs, err)))
        goto fail;
    cs->ncomp = !cfg->secondary ? 1 : cfg->solver == LT_SOLVER_PLUME ? LT_NCOMP : LT_NCOMP_GRID;
    if ((rc = station_counties(cs, err)) ||
        (cfg->targets_file[0] && (rc = lt_targets_read(&cs->targets, cfg->targets_file,
                                                       (const char *const *)cs->county_names, cs->ncounties, err))) ||
        (rc = open_met(cs, err)) || (rc = list_inputs(cs, err)))
        goto fail;
    *out = cs;
    return LT_OK;
fail:
    lt_case_free(&cs);
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

void lt_case_free(lt_case **p)
{
    lt_case *cs = p ? *p : NULL;
    if (!cs)
        return;
    lt_domain_free(&cs->domain);
    lt_met_close(&cs->met);
    lt_points_free(cs->points, cs->npoints);
    free(cs->stations);
    free(cs->background);
    lt_case_bg_free(cs);
    free(cs->bg_other);
    lt_targets_free(&cs->targets);
    free(cs->bg_station);
    free(cs->bg_obs);
    lt_regions_free(&cs->regions);
    free(cs->cell_region);
    free(cs->scen);
    free(cs->county_names);
    free(cs->county_of_station);
    free(cs->group_of_point);
    if (cs->gridded) {
        lt_emisgrid_free(cs->gridded);
        free(cs->gridded);
    }
    if (cs->hourly) {
        lt_houremis_free(cs->hourly);
        free(cs->hourly);
    }
    free(cs->grid_group_sector);
    free(cs->cell_county);
    free(cs->group_tag);
    free(cs->group_county);
    free(cs->src_county_names);
    free(cs->group_sig);
    free(cs->group_grade);
    free(cs->group_point);
    for (size_t i = 0; i < cs->ninputs; i++)
        free(cs->inputs[i]);
    free(cs->inputs);
    free(cs);
    *p = NULL;
}

void lt_case_source_rates(const lt_case *cs, size_t i, double t_s, double q[LT_Q_N], double *vel_ms,
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
    q[LT_Q_NH3] = p->nh3_tpy * to_ugs; /* the hourly files carry no NH3, PM10 or CO */
    double coarse = p->pm10_tpy > p->pm25_tpy ? p->pm10_tpy - p->pm25_tpy : 0.0;
    q[LT_Q_COARSE] = hr && p->pm25_tpy > 0.0 ? q[LT_Q_PM25] * coarse / p->pm25_tpy : coarse * to_ugs;
    q[LT_Q_CO] = p->co_tpy * to_ugs;
    *vel_ms = hr && isfinite(hr[LT_HE_VEL]) ? hr[LT_HE_VEL] : p->velocity_ms;
    *temp_K = hr && isfinite(hr[LT_HE_TEMP]) ? hr[LT_HE_TEMP] : p->temp_K;
}

const lt_config *lt_case_config(const lt_case *cs) { return cs->cfg; }
const lt_domain *lt_case_domain(const lt_case *cs) { return cs->domain; }
const lt_met *lt_case_met(const lt_case *cs) { return cs->met; }
int lt_case_ntags(const lt_case *cs) { return cs->ntags; }
const char *const *lt_case_tag_names(const lt_case *cs) { return cs->tag_names; }
int lt_case_background_tag(const lt_case *cs) { return cs->background_tag; }

void lt_case_background_series(const lt_case *cs, const double *bg[LT_BG_NCOL])
{
    bg[0] = NULL;
    for (int c = 1; c < LT_BG_NCOL; c++)
        bg[c] = lt_case_background_of(cs, c);
}

const double *lt_case_background_of(const lt_case *cs, int column)
{
    if (column <= 0 || column >= LT_BG_NCOL || !cs->bg_other || !cs->bg_present[column])
        return NULL;
    return cs->bg_other + (size_t)(column - 1) * (size_t)cs->cfg->hours;
}

const double *lt_case_background_at(const lt_case *cs, int column, size_t k)
{
    const double *s = lt_case_background_of(cs, column);
    if (!s || !cs->bg_st || k >= cs->nstations)
        return s;
    return cs->bg_st + ((size_t)column * cs->nstations + k) * (size_t)cs->cfg->hours;
}

int lt_case_background_by_station(const lt_case *cs) { return cs->bgf.by_station; }
int lt_case_background_components(const lt_case *cs) { return cs->bgf.components; }

int lt_case_bg_fallback_hours(const lt_case *cs) { return cs->bg_fallback_hours; }
size_t lt_case_nsrc_counties(const lt_case *cs) { return cs->nsrc_counties; }
const char *const *lt_case_src_county_names(const lt_case *cs) { return cs->src_county_names; }
int lt_case_ngroups(const lt_case *cs) { return cs->ngroups; }
const int *lt_case_group_tags(const lt_case *cs) { return cs->group_tag; }
const int *lt_case_group_counties(const lt_case *cs) { return cs->group_county; }
const uint64_t *lt_case_group_signatures(const lt_case *cs) { return cs->group_sig; }
const char *lt_case_group_grades(const lt_case *cs) { return cs->group_grade; }
const int *lt_case_group_points(const lt_case *cs) { return cs->group_point; }
const int *lt_case_point_groups(const lt_case *cs) { return cs->group_of_point; }

void lt_case_group_emissions(const lt_case *cs, int g, double tpy[5])
{
    for (int sp = 0; sp < 5; sp++)
        tpy[sp] = 0.0;
    if (g < cs->npoint_groups) {
        for (size_t i = 0; i < cs->npoints; i++) {
            const lt_point *p = &cs->points[i];
            if (cs->group_of_point[i] != g)
                continue;
            tpy[0] += p->pm25_tpy;
            tpy[1] += p->so2_tpy;
            tpy[2] += p->nox_tpy;
            tpy[3] += p->nh3_tpy;
            tpy[4] += p->voc_tpy;
        }
        return;
    }
    int gg = g - cs->grid_group0;
    if (!cs->gridded || gg < 0 || gg >= cs->grid_ngroups)
        return; /* the background: no emission of the inventory's */
    const lt_emisgrid *eg = cs->gridded;
    int k = cs->grid_group_sector[gg];
    size_t ng = (size_t)eg->nx * (size_t)eg->ny;
    /* species of lt_emisgrid (pm25, so2, nox, nh3, voc) in the order of tpy */
    for (int l = 0; l < eg->nheights; l++)
        for (int sp = 0; sp < LT_EG_NSPECIES; sp++) {
            const double *e = eg->emis[k][l][sp];
            for (size_t r = 0; e && r < ng; r++)
                if (cs->cell_county[r] == cs->group_county[g])
                    tpy[sp] += e[r] * 1e-12 * LT_SECONDS_PER_YEAR; /* ug/s -> t/yr */
        }
}
int lt_case_ncomp(const lt_case *cs) { return cs->ncomp; }
const lt_aqi_table *lt_case_aqi(const lt_case *cs) { return cs->have_aqi ? &cs->aqi : NULL; }
const lt_targets *lt_case_targets(const lt_case *cs) { return cs->targets.n ? &cs->targets : NULL; }
const lt_alert_rules *lt_case_alert(const lt_case *cs) { return cs->have_alert ? &cs->alert : NULL; }
const lt_scenarios *lt_case_scenarios(const lt_case *cs) { return cs->scen; }
const lt_regions *lt_case_regions(const lt_case *cs) { return cs->regions; }
const int *lt_case_cell_region(const lt_case *cs) { return cs->cell_region; }
int lt_case_assigned_counties(const lt_case *cs) { return cs->assigned_counties; }
const lt_houremis *lt_case_hourly(const lt_case *cs) { return cs->hourly; }
const lt_emisgrid *lt_case_gridded(const lt_case *cs) { return cs->gridded; }
int lt_case_grid_ngroups(const lt_case *cs) { return cs->grid_ngroups; }

const lt_point *lt_case_sources(const lt_case *cs, size_t *n)
{
    *n = cs->npoints;
    return cs->points;
}

const lt_station *lt_case_stations(const lt_case *cs, size_t *n)
{
    *n = cs->nstations;
    return cs->stations;
}

size_t lt_case_inputs(const lt_case *cs, const char *const **paths)
{
    *paths = (const char *const *)cs->inputs;
    return cs->ninputs;
}

size_t lt_case_station_counties(const lt_case *cs, const char *const **names, const int **county_of_station)
{
    *names = cs->county_names;
    *county_of_station = cs->county_of_station;
    return cs->ncounties;
}
