/* summary.h — what a run reports, for the program to print: plain results,
 * each part filled by the stage or product that owns it (the solver stage:
 * hours and counters; products/: station means, shares, the assessment, the
 * scenarios, the grid model's budget and zero-out). Free with
 * lt_summary_free. */
#ifndef LT_SUMMARY_H
#define LT_SUMMARY_H

#include <stddef.h>

#include "io/config.h"
#include "physics/chem.h"
#include "policy/annual.h"
#include "run/gridrun.h"

/* One place's period assessment under one scenario (products/airquality.c). */
typedef struct lt_annual_row {
    int scenario;               /* -1: the baseline */
    int level;                  /* LT_LEVEL_STATION, _COUNTY or _CITY (policy/targets.h) */
    int place;                  /* station or county index (0 for the city) */
    lt_annual a;
    int verdict;                /* 1 attained, 0 not, -1 no target */
    double good_gap, pm25_gap;  /* good days missing, ug m-3 above the target */
    double target_pm25, target_good; /* NaN: none */
    int pm25_missed;            /* non-good days PM2.5 alone would have called good */
} lt_annual_row;

typedef struct lt_summary {
    int hours;
    int calm_hours;             /* hours with a calm 10 m wind at the domain centre */
    long calm_source_hours;     /* source-hours skipped (or floored) as calm */
    long source_hours;
    long class_hours[6];        /* source-hours per Pasquill-Gifford class A-F */
    size_t nstations;
    double *station_mean;       /* ug m-3, over the run */
    double *station_max;        /* ug m-3, highest hourly value */
    double *station_tag_mean;   /* [tag][station] ug m-3 over the run */
    int ntags;
    double tag_share[LT_MAX_TAGS]; /* share of the all-station mean, 0-1 */
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
    int reruns;                  /* hours of the second pass (alert-mode scenarios) */
    int rerun_groups;            /* source groups it disperses (of ngroups) */
    int ngroups;                 /* source groups (lt_case_ngroups) */
    double scenario_seconds;     /* time spent combining scenarios */
    char scenario_csv[LT_PATH_MAX + 32];
    double evaluations;         /* source x receptor x hour pairs examined */
    double kernel_seconds;      /* time in the plume kernel */
    double gridded_seconds;     /* time convolving gridded emissions */
    double gridded_cell_hours;  /* gridded cells x hours convolved */
    /* [background] from_observations */
    int bg_hours, bg_clipped_hours, bg_fallback_hours;  /* derived; clipped to 0; from the file */
    double bg_obs_mean, bg_local_mean, bg_clipped_mean;  /* over the derived hours, ug m-3 */
    /* The six-pollutant assessment (products/airquality.c). */
    size_t nannual;
    lt_annual_row *annual;      /* county and city rows, baseline then each scenario */
    unsigned aq_pols;           /* pollutants assessed (lt_aqi_table.pols) */
    int aq_days_in_year;        /* the targets are held in proportion to days of this year */
    char aq_csv[LT_PATH_MAX + 32]; /* OUTPUT_annual.csv */
    double wall_seconds;
    int threads;
    int solver;                 /* LT_SOLVER_* */
    lt_grid_stats grid;         /* grid and hybrid */
    int zero_out;               /* the zero-out comparison below was made */
    double zo_tagged[LT_MAX_TAGS]; /* all-station mean of the grid's tagged contribution */
    double zo_brute[LT_MAX_TAGS];  /* the same by zero-out */
    double zo_total;                      /* all-station mean of the untagged grid PM2.5 */
} lt_summary;

void lt_summary_free(lt_summary *sum);

#endif
