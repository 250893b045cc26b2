/* case_impl.h — the body of lt_case, for the modules that turn it into each
 * hour's emissions: case.c (loading), sources.c (the plume's sources of an
 * hour), solver.c (the solver stage) and gridrun.c (the grid model). The
 * products and the program use case.h's getters only. */
#ifndef LT_CASE_IMPL_H
#define LT_CASE_IMPL_H

#include "io/background.h"
#include "io/profile.h"
#include "run/case.h"

struct lt_case {
    const lt_config *cfg;
    lt_domain *domain;
    lt_point *points;
    size_t npoints;
    lt_station *stations;
    size_t nstations;
    lt_met *met;
    int ntags;                            /* sectors that have sources */
    int tag_of_sector[LT_MAX_SECTORS];    /* -1 when the sector has none */
    const char *tag_names[LT_MAX_TAGS];
    int source_tag[LT_MAX_SOURCE_TAGS];   /* the tag of each of [output] sources */
    double *background;                   /* [hour] ug m-3, or NULL */
    double *bg_other;                     /* [pollutant 1..5][hour]: PM10, SO2, NO2 ug m-3, CO mg m-3,
                                             O3 ug m-3 of the [background] file (NaN: missing) */
    int bg_present[LT_BG_NCOL];           /* the file gave the pollutant's column */
    int background_tag;                   /* its tag (the last), or -1 */
    lt_bgfile bgf;                        /* the [background] file as read (case_bg.c) */
    double *bg_site_x, *bg_site_y;        /* [bgf.nsites] its stations' positions (by station) */
    double *bg_comp;                      /* [LT_BGC_N][hour] PM2.5's components, domain mean, or NULL */
    double *bg_st;                        /* [LT_BG_NALL][station][hour] by station (PM10 as coarse), or NULL */
    /* [background] from_observations: the background is derived each hour at
     * these stations (observed minus the run's local part, solver.c) */
    size_t nbg_st;
    size_t *bg_station;                   /* [nbg_st] index among the stations */
    double *bg_obs;                       /* [hours][nbg_st] observed PM2.5, NaN missing */
    int bg_fallback_hours;                /* hours without an observation: [background] file's value */
    int have_aqi, have_alert;             /* [assessment] files given */
    lt_aqi_table aqi;
    lt_targets targets;                   /* [assessment] targets (n = 0: none) */
    lt_alert_rules alert;
    size_t ncounties;                     /* the stations' counties, in order of appearance */
    const char **county_names;
    int *county_of_station;
    lt_scenarios *scen;                   /* NULL: no [scenario.*] */
    int ngroups;
    int *group_of_point;                  /* [npoints] */
    int npoint_groups;                    /* the explicit sources' groups: [0, npoint_groups) */
    int *group_tag;                       /* [ngroups] */
    int *group_county;                    /* [ngroups] index into src_county_names */
    uint64_t *group_sig;                  /* [ngroups] */
    char *group_grade;                    /* [ngroups] 'A'-'D', '-' (only with [optimize] costs) */
    int *group_point;                     /* [ngroups] its first source (-1: gridded, background) */
    size_t nsrc_counties;
    const char **src_county_names;
    int ncomp;
    /* Gridded area emissions ([gridded]): groups [grid_group0, grid_group0 +
     * grid_ngroups), one per sector and county, convolved on the grid. */
    lt_houremis *hourly;                  /* [sources] hourly stack emissions, or NULL */
    lt_emisgrid *gridded;
    int grid_group0, grid_ngroups;
    int *grid_group_sector;               /* [grid_ngroups] config sector index */
    int *cell_county;                     /* [ny*nx] county tag of cells with gridded emission, else -1 */
    int grid_month;                       /* month (0-11, UTC) of the emissions loaded */
    lt_profiles profiles;                 /* temporal factors per sector */
    lt_regions *regions;                  /* [domain] counties, or NULL */
    int *cell_region;                     /* [ny*nx] region of each cell, -1 outside */
    int assigned_counties;                /* sources and stations given a county */
    char **inputs;                        /* every file the case reads */
    size_t ninputs;
};

#endif
