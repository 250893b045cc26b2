/* products.h — the products of a run (run/product.h), one file each:
 *
 *   maps.c         pm25 (hourly map), pm25_mean, the grid's mean and maximum
 *   fields.c       the tag, county and component maps (hour, day or period means)
 *   stations.c     station_pm25, station_pm25_src, station means and maxima, sector shares
 *   split.c        station_pm25_split (sector x county at stations), county shares
 *   components.c   station_pm25_component(_src), component shares
 *   assessment.c   the daily assessment (HJ 633 AQI) and the alerts
 *   scenarios.c    the scenarios recombined from the groups, OUTPUT_scenarios.csv
 *   gases.c        the explicit sources' SO2, NOx, NO2, CO and coarse PM at stations
 *   airquality.c   six-pollutant daily AQI, HJ 663 assessment, targets (CSV files)
 *   zeroout.c      the grid model's zero-out (brute force) beside its tags
 *   budget.c       the grid model's mass budget and statistics
 *   calm.c         calm_sources and the calm-hour counts
 *
 * lt_products_attach attaches every product the case's configuration asks
 * for, in this order; adding a product is one new file and one line there. */
#ifndef LT_PRODUCTS_H
#define LT_PRODUCTS_H

#include "run/run.h"

/* The products some others read: the station series (their totals per hour
 * and station, and the sum of their sector contributions over stations and
 * hours), and the baseline's assessment (the alert level of each hour). */
typedef struct lt_stations_product lt_stations_product;
typedef struct lt_assessment_product lt_assessment_product;
typedef struct lt_scenarios_product lt_scenarios_product;
typedef struct lt_gases_product lt_gases_product;

const double *lt_stations_totals(const lt_stations_product *p);  /* [hour][station] */
double lt_stations_tag_total(const lt_stations_product *p);
const int *lt_assessment_alert_hours(const lt_assessment_product *p);
const double *lt_assessment_city_values(const lt_assessment_product *p);
/* The scenarios (0 for NULL) and scenario sc's station totals
 * tot[hour][station] (valid from the scenarios' finish on). */
int lt_scenarios_count(const lt_scenarios_product *p);
void lt_scenarios_station_totals(const lt_scenarios_product *p, int sc, double *tot);

int lt_maps_attach(lt_run *run, lt_error *err);
int lt_fields_attach(lt_run *run, lt_error *err);
int lt_stations_attach(lt_run *run, lt_stations_product **st, lt_error *err);
int lt_split_attach(lt_run *run, const lt_stations_product *st, lt_error *err);
int lt_components_attach(lt_run *run, const lt_stations_product *st, lt_error *err);
int lt_assessment_attach(lt_run *run, const lt_stations_product *st, lt_assessment_product **as, lt_error *err);
int lt_scenarios_attach(lt_run *run, const lt_stations_product *st, const lt_assessment_product *as,
                        lt_scenarios_product **sc, lt_error *err);
/* The explicit sources' gases and coarse PM at the stations (gases.c):
 * scenario sc's (-1: the baseline) local increments
 * [hour][LT_NGAS][station] in ug/m3 (physics/chem.h's LT_GAS_*), valid
 * from the last pass's end on; NULL for a NULL product. */
int lt_gases_attach(lt_run *run, const lt_assessment_product *as, lt_gases_product **g, lt_error *err);
const double *lt_gases_local(const lt_gases_product *p, int sc);
/* The six-pollutant daily AQI and the HJ 663 period assessment per station,
 * county and city under the baseline and every scenario, against the
 * targets: OUTPUT_daily.csv, OUTPUT_annual.csv, OUTPUT_ranking.csv, the
 * summary (airquality.c). */
int lt_airquality_attach(lt_run *run, const lt_stations_product *st, const lt_scenarios_product *sc,
                         const lt_gases_product *gas, lt_error *err);
int lt_zeroout_attach(lt_run *run, lt_error *err);
int lt_budget_attach(lt_run *run, lt_error *err);
int lt_calm_attach(lt_run *run, lt_error *err);
/* [background] from_observations: what the derivation did, in the global
 * attribute lantian_background_from_observations and the summary. */
int lt_bgobs_attach(lt_run *run, lt_error *err);

/* The weather at the domain centre each hour, read or diagnosed (weather.c). */
int lt_weather_attach(lt_run *run, lt_error *err);

/* Every product the run's configuration asks for. */
int lt_products_attach(lt_run *run, lt_error *err);

/* The stations' hourly PM2.5 per group, per_group[(g * hours + h) * nst + k]
 * (NULL: not kept), and the groups' total with group g scaled by factor[g]
 * (NULL: 1), total[h * nst + k] (NULL: not kept), in the caller's memory,
 * which must outlive the run (lantian optimize). */
int lt_response_attach(lt_run *run, double *per_group, const double *factor, double *total, lt_error *err);
/* The same total with a factor per group and hour, factor[g * hours + h]. */
int lt_response_attach_hourly(lt_run *run, const double *factor, double *total, lt_error *err);

/* A whole run: create, attach every product, execute, free. */
int lt_run_case(lt_case *cs, const lt_run_options *opt, lt_summary *sum, lt_error *err);

/* The preflight of the run lt_run_case would make (lantian check). */
int lt_run_case_preflight(lt_case *cs, const lt_run_options *opt, lt_preflight *pf, lt_error *err);

#endif
