/* case.h — a configured case: every input of a run read and checked (the
 * domain, sources, stations, weather, inventory, profiles, background,
 * counties, rules and scenarios), and the source groups the solvers carry:
 * sources sharing a sector tag, a county tag and the same scenario rules
 * form one group, so each scenario is a weighted sum of the groups.
 *
 * An opaque handle: lt_case_load / lt_case_free, and getters. */
#ifndef LT_CASE_H
#define LT_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "core/lt_error.h"
#include "io/config.h"
#include "io/domain.h"
#include "io/emisgrid.h"
#include "io/houremis.h"
#include "io/inventory.h"
#include "io/met.h"
#include "io/regions.h"
#include "policy/alert.h"
#include "policy/aqi.h"
#include "policy/scenario.h"
#include "policy/targets.h"

#define LT_CALM_MS 0.5 /* 10 m wind below which an hour is calm */

typedef struct lt_case lt_case;

/* Reads every input named by cfg and checks it: sources and stations inside
 * the domain (sources within [sources] margin_km of it), meteorology covering
 * every hour of the run. cfg must outlive the case. */
int lt_case_load(lt_case **cs, const lt_config *cfg, lt_error *err);

/* Reads and checks every hour of meteorology the run needs. */
int lt_case_check_met(lt_case *cs, lt_error *err);

/* Frees the case and sets *cs to NULL. Safe with NULL. */
void lt_case_free(lt_case **cs);

const lt_config *lt_case_config(const lt_case *cs);
const lt_domain *lt_case_domain(const lt_case *cs);
const lt_met *lt_case_met(const lt_case *cs);

/* The explicit sources (stacks, volumes, areas, road segments) in file
 * order, and the stations. */
const lt_point *lt_case_sources(const lt_case *cs, size_t *n);
const lt_station *lt_case_stations(const lt_case *cs, size_t *n);

/* Sector tags: the sectors that have sources, in the config's order, then
 * the background's tag (lt_case_background_tag, -1 without one). */
int lt_case_ntags(const lt_case *cs);
const char *const *lt_case_tag_names(const lt_case *cs);
int lt_case_background_tag(const lt_case *cs);
/* The [background] file's hourly series of column 1..LT_BG_NCOL-1 (so2,
 * no2, co, o3; io/background.h; for column 1, pm10, its coarse part pm10 -
 * pm25), NULL when the file has no such column (or there is no file). NaN:
 * a missing hour. With a file given per station: the mean over the run's
 * stations. */
const double *lt_case_background_of(const lt_case *cs, int column);
/* The same at station k: its own series when the file gives one per
 * station (interpolated from the file's stations when it is not one of
 * them), else lt_case_background_of(cs, column). */
const double *lt_case_background_at(const lt_case *cs, int column, size_t k);
/* What the file gives: 1 per station; 1 PM2.5's components. */
int lt_case_background_by_station(const lt_case *cs);
int lt_case_background_components(const lt_case *cs);
/* The file's stations (1 without a station column) and the components'
 * shares of the period's mean background PM2.5 (LT_BGC_*; all 'other'
 * without components). */
size_t lt_case_background_summary(const lt_case *cs, double share[LT_BGC_N]);
/* All of them: bg[0] = NULL (PM2.5 is the run's), bg[c] = lt_case_background_of(cs, c). */
void lt_case_background_series(const lt_case *cs, const double *bg[LT_BG_NCOL]);
/* [background] from_observations: the hours no chosen station observed (they
 * kept the [background] file's value). */
int lt_case_bg_fallback_hours(const lt_case *cs);

/* County tags: the counties of the sources in order of appearance
 * ("unassigned" for sources without one), then the background's. */
size_t lt_case_nsrc_counties(const lt_case *cs);
const char *const *lt_case_src_county_names(const lt_case *cs);

/* The stations' counties, in order of appearance, and each station's. */
size_t lt_case_station_counties(const lt_case *cs, const char *const **names, const int **county_of_station);

/* Source groups: [0, npoint_groups) the explicit sources', then one per
 * gridded sector and county, then the background's (the last). Per group:
 * its sector tag, its county tag and its scenario signature. */
int lt_case_ngroups(const lt_case *cs);
const int *lt_case_group_tags(const lt_case *cs);
const int *lt_case_group_counties(const lt_case *cs);
const uint64_t *lt_case_group_signatures(const lt_case *cs);
/* Per group its enterprise grade ('A'-'D', '-' ungraded): groups are split
 * by grade only when [optimize] costs is set (else every group is '-'). */
const char *lt_case_group_grades(const lt_case *cs);
/* Per group its first explicit source (-1: a gridded or the background
 * group), and per source its group. With [optimize] mode = emergency and
 * emergency_costs set, every source id (an enterprise; a road's segments
 * share it) is a group of its own. */
const int *lt_case_group_points(const lt_case *cs);
const int *lt_case_point_groups(const lt_case *cs);
/* The group's emission rates at the inventory's annual rate, t/yr, of
 * PM2.5, SO2, NOx, NH3, VOC (gridded groups: the loaded month's maps at
 * their rate; the background group: zeros). */
void lt_case_group_emissions(const lt_case *cs, int g, double tpy[5]);

/* Components carried: 1 (PM2.5), LT_NCOMP (plume, secondary on) or
 * LT_NCOMP_GRID (grid and hybrid, with ammonium). */
int lt_case_ncomp(const lt_case *cs);

/* The rules of the assessment (NULL without [assessment] aqi_rules or
 * alert_rules) and the scenarios (NULL without [scenario.*]). */
const lt_aqi_table *lt_case_aqi(const lt_case *cs);
const lt_alert_rules *lt_case_alert(const lt_case *cs);
/* [assessment] targets, or NULL. */
const lt_targets *lt_case_targets(const lt_case *cs);
const lt_scenarios *lt_case_scenarios(const lt_case *cs);

/* The county polygons (NULL without [domain] counties), the region of each
 * receptor cell (-1 outside), and how many sources and stations were given
 * their county from the polygons. */
const lt_regions *lt_case_regions(const lt_case *cs);
const int *lt_case_cell_region(const lt_case *cs);
int lt_case_assigned_counties(const lt_case *cs);

/* The hourly stack emissions (NULL: none) and the gridded inventory (NULL:
 * none) with its number of sector x county groups. */
const lt_houremis *lt_case_hourly(const lt_case *cs);
const lt_emisgrid *lt_case_gridded(const lt_case *cs);
int lt_case_grid_ngroups(const lt_case *cs);

/* Every file the case reads: the configuration, the tables, the weather,
 * the inventory (each file of a MEIC folder), the rules and cuts files. */
size_t lt_case_inputs(const lt_case *cs, const char *const **paths);

/* The emissions lt_case_source_rates gives, ug/s: PM2.5, SO2, NOx (as NO2),
 * VOC, NH3, coarse PM (PM10 - PM2.5), CO. */
enum { LT_Q_PM25 = 0, LT_Q_SO2, LT_Q_NOX, LT_Q_VOC, LT_Q_NH3, LT_Q_COARSE, LT_Q_CO, LT_Q_N };

/* Emissions of source i in the hour starting at t_s, ug/s, q[LT_Q_*] (the
 * hourly file's measured rates of PM2.5, SO2, NOx and VOC when it has the
 * stack, else the annual rates times the temporal profile; NH3, coarse PM
 * and CO always the annual rates times the profile, the coarse part scaled
 * as the hour's PM2.5 when the hourly file gives it), and the exit velocity
 * and temperature of the hour. */
void lt_case_source_rates(const lt_case *cs, size_t i, double t_s, double q[LT_Q_N], double *vel_ms,
                          double *temp_K);

#endif
