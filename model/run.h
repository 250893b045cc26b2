/* run.h — a configured case (all inputs read and checked) and its run:
 * the hourly loop from meteorology and sources to the output file. */
#ifndef LT_RUN_H
#define LT_RUN_H

#include <stddef.h>

#include "alert.h"
#include "aqi.h"
#include "assess.h"
#include "config.h"
#include "domain.h"
#include "emisgrid.h"
#include "grid.h"
#include "houremis.h"
#include "inventory.h"
#include "lt_error.h"
#include "met.h"
#include "profile.h"
#include "regions.h"
#include "scenario.h"

#define LT_CALM_MS 0.5 /* 10 m wind below which an hour is calm */

/* Called after each simulated hour of the first pass with the hours done,
 * the total and the seconds since the run started (the library never prints;
 * the program draws a progress line with it). */
typedef void (*lt_progress_fn)(void *user, int done, int total, double elapsed_s);

/* All inputs of a run, read and validated. */
typedef struct lt_case {
    const lt_config *cfg;
    lt_domain *domain;
    lt_point *points;
    size_t npoints;
    lt_station *stations;
    size_t nstations;
    lt_met *met;
    int ntags;                            /* sectors that have sources */
    int tag_of_sector[LT_MAX_SECTORS];    /* -1 when the sector has none */
    const char *tag_names[LT_MAX_SECTORS + 1];
    double *background;                   /* [hour] ug m-3, or NULL */
    int background_tag;                   /* its tag (the last), or -1 */
    int have_aqi, have_alert;             /* [assessment] files given */
    lt_aqi_table aqi;
    lt_alert_rules alert;
    /* Scenarios, and the groups of sources that share every factor: the
     * plume runs once per group and scenarios are weighted sums of groups. */
    size_t ncounties;                     /* the stations' counties, in order of appearance */
    const char **county_names;
    int *county_of_station;
    lt_scenarios *scen;                   /* NULL: no [scenario.*] */
    int ngroups;
    int *group_of_point;                  /* [npoints] */
    int npoint_groups;                    /* the explicit sources' groups: [0, npoint_groups) */
    int *group_tag;                       /* [ngroups] */
    int *group_county;                    /* [ngroups] index into src_county_names */
    /* County tags: the counties of the sources in order of appearance
     * ("unassigned" for sources without one), then the background's tag. */
    size_t nsrc_counties;
    const char **src_county_names;
    int ncomp;                            /* 1; with [chemistry] secondary LT_NCOMP (plume) or
                                           * LT_NCOMP_GRID (grid, hybrid: with ammonium) */
    /* Gridded area emissions ([gridded]): groups [grid_group0, grid_group0 +
     * grid_ngroups), one per sector and county, convolved on the grid. */
    lt_houremis *hourly;                  /* [sources] hourly stack emissions, or NULL */
    lt_emisgrid *gridded;
    int grid_group0, grid_ngroups;
    int *grid_group_sector;               /* [grid_ngroups] config sector index */
    int *cell_county;                     /* [ny*nx] county tag of cells with gridded emission, else -1 */
    int grid_month;                       /* month (0-11, UTC) of the emissions loaded */
    uint64_t *group_sig;                  /* [ngroups] */
    lt_profiles profiles;                 /* temporal factors per sector */
    lt_regions *regions;                  /* [domain] counties, or NULL */
    int *cell_region;                     /* [ny*nx] region of each cell, -1 outside */
    int assigned_counties;                /* sources and stations given a county */
    lt_progress_fn progress;
    void *progress_user;
    int mpi_rank, mpi_ranks;              /* MPI builds: this process and the run's processes */
    int restart;                          /* resume from OUTPUT.ckpt ([run] checkpoint_hours) */
} lt_case;

/* Reads every input named by cfg and checks it: sources and stations inside
 * the domain (sources within [sources] margin_km of it), meteorology covering
 * every hour of the run. */
int lt_case_load(lt_case *cs, const lt_config *cfg, lt_error *err);

/* Reads and checks every hour of meteorology the run needs. */
int lt_case_check_met(lt_case *cs, lt_error *err);

void lt_case_free(lt_case *cs);

/* Emissions of source i in the hour starting at t_s, ug/s: q = PM2.5, SO2,
 * NOx, VOC, NH3 (the hourly file's measured rates when it has the stack, else
 * the annual rates times the temporal profile), and the exit velocity and
 * temperature of the hour. */
void lt_case_source_rates(const lt_case *cs, size_t i, double t_s, double q[5], double *vel_ms,
                          double *temp_K);

/* What the grid model reports ([solver] method = grid or hybrid). */
typedef struct lt_grid_stats {
    int nx, ny, nz;                 /* columns and layers */
    double dx_m;
    int ntags;                      /* tags carried (source groups and the boundary) */
    double budget[LT_GS_N * LT_GB_N]; /* kg, the tagged run (grid.h) */
    double worst_residual;          /* largest |residual| / largest term of the budgets */
    long steps;                     /* grid steps so far */
    double updates;                 /* cell x species x tag updates */
    double seconds;                 /* in the grid model */
    int sources_outside;            /* explicit sources outside the grid (not in it) */
    double clipped_share;           /* hybrid: share of receptor values where the grid held less
                                     * of the group than the plume's cell mean (plume alone) */
    double tag_sum_error;           /* zero-out: largest |sum of tags - untagged| / untagged at stations */
} lt_grid_stats;

/* What a run reports. Arrays are owned; free with lt_summary_free. */
typedef struct lt_summary {
    int hours;
    int calm_hours;             /* hours with a calm 10 m wind at the domain centre */
    long calm_source_hours;     /* source-hours skipped (or floored) as calm */
    long source_hours;
    long class_hours[6];        /* source-hours per Pasquill-Gifford class A-F */
    size_t nstations;
    double *station_mean;       /* ug m-3, over the run */
    double *station_max;        /* ug m-3, highest hourly value */
    int ntags;
    double tag_share[LT_MAX_SECTORS + 1]; /* share of the all-station mean, 0-1 */
    size_t nsrc_counties;
    double *county_share;       /* [source county] share of the all-station mean */
    double comp_share[LT_NCOMP_GRID]; /* share of each component (secondary on) */
    double grid_mean, grid_max;
    int assessed;               /* 1 when [assessment] aqi_rules was given */
    size_t ndays;
    int valid_days, good_days, heavy_days, exceed_days, alert_days;
    double city_mean;           /* mean of the valid city daily PM2.5 */
    double *county_mean;        /* [county] mean of the valid county daily PM2.5 */
    double day0_s;              /* start of the first local day */
    int *day_alert;             /* [day] alert level in force (baseline forecast) */
    int *day_aqi;               /* [day] baseline city AQI */
    int *scen_day_aqi;          /* [scenario][day] city AQI under each scenario */
    /* Scenarios: [0..nscen) in config order. */
    int nscen;
    double scen_city_mean[LT_MAX_SCENARIOS];
    int scen_good[LT_MAX_SCENARIOS], scen_heavy[LT_MAX_SCENARIOS];
    int scen_exceed[LT_MAX_SCENARIOS], scen_alert_days[LT_MAX_SCENARIOS];
    double scen_station_mean_delta[LT_MAX_SCENARIOS]; /* all-station mean minus baseline */
    int reruns;                  /* extra dispersion passes (alert-mode scenarios) */
    double scenario_seconds;     /* time spent combining scenarios */
    char scenario_csv[LT_PATH_MAX + 32];
    double evaluations;         /* source x receptor x hour pairs examined */
    double kernel_seconds;      /* time in the plume kernel */
    double gridded_seconds;     /* time convolving gridded emissions */
    double gridded_cell_hours;  /* gridded cells x hours convolved */
    double wall_seconds;
    int threads;
    int solver;                 /* LT_SOLVER_* */
    lt_grid_stats grid;         /* grid and hybrid */
    int zero_out;               /* the zero-out comparison below was made */
    double zo_tagged[LT_MAX_SECTORS + 1]; /* all-station mean of the grid's tagged contribution */
    double zo_brute[LT_MAX_SECTORS + 1];  /* the same by zero-out */
    double zo_total;                      /* all-station mean of the untagged grid PM2.5 */
} lt_summary;

/* MPI builds (make MPI=1): this process is rank of ranks. Rank 0 writes the
 * output and returns the summary; the others disperse their hours, send them
 * to rank 0 and return an empty summary. */
void lt_case_set_mpi(lt_case *cs, int rank, int ranks);

/* restart = 1: lt_run resumes from the checkpoint [run] checkpoint_hours
 * left (OUTPUT.ckpt, written by the same configuration and version) and ends
 * with the file an uninterrupted run writes. */
void lt_case_set_restart(lt_case *cs, int restart);

/* Sets the progress callback of the case's runs (NULL: none). */
void lt_case_set_progress(lt_case *cs, lt_progress_fn fn, void *user);

/* Runs the case hour by hour and writes cfg->output_file (only when complete).
 * command_line is recorded in the file. */
int lt_run(lt_case *cs, const char *command_line, const char *version, lt_summary *sum,
           lt_error *err);

void lt_summary_free(lt_summary *sum);

#endif
