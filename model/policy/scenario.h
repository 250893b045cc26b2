/* scenario.h — emergency-reduction and plan scenarios: multiplicative factors
 * on emissions, selected by sector, county, enterprise grade, source id and
 * species, in time windows; from [scenario.NAME] sections of the config and
 * the measures table of the alert levels (inputs/policy/measures_*.csv).
 *
 * Sources matched by the same set of rules have the same factor at every
 * hour, so the plume runs once per such group and every scenario is a
 * weighted sum of the groups' contributions (the plume is linear in
 * emissions). */
#ifndef LT_SCENARIO_H
#define LT_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "policy/alert.h"
#include "io/config.h"
#include "io/inventory.h"
#include "core/lt_error.h"

#define LT_MAX_RULES 64
#define LT_RULE_BACKGROUND (1u << 31) /* sector bit of the background tag */
#define LT_RULE_MAX_ITEMS 16

/* Species a rule can cut (bits of lt_rule.species); a cut of PM2.5 cuts
 * the coarse part of PM10 by the same factor (the two share their sources'
 * abatement: filters and dust control remove both). */
enum { LT_SPECIES_PM25 = 1, LT_SPECIES_SO2 = 2, LT_SPECIES_NOX = 4, LT_SPECIES_NH3 = 8,
       LT_SPECIES_VOC = 16, LT_SPECIES_CO = 32, LT_SPECIES_ALL = 63 };

typedef struct lt_rule {
    int scenario;
    int alert_level;       /* 0: always; L > 0: only while alert level L is in force */
    uint32_t sector_mask;  /* bit k: config sector k; LT_RULE_BACKGROUND */
    unsigned grade_mask;   /* bits 0-3: grades A-D, bit 4: ungraded */
    int ncounties, nids;   /* 0: any */
    char counties[LT_RULE_MAX_ITEMS][64];
    char ids[LT_RULE_MAX_ITEMS][32];
    int pm25;              /* the rule's species include PM2.5 */
    unsigned species;      /* LT_SPECIES_* bits the factor applies to */
    double factor;
    double t_from, t_to;   /* active for t_from <= t < t_to (seconds since the epoch) */
    char where[LT_PATH_MAX + 400];
} lt_rule;

typedef struct lt_scenarios {
    int n;
    char name[LT_MAX_SCENARIOS][LT_NAME_MAX];
    char description[LT_MAX_SCENARIOS][128];
    int alert_mode[LT_MAX_SCENARIOS];   /* measures follow the alert levels of the forecast */
    int level[LT_MAX_SCENARIOS];        /* level = NAME: that level's measures throughout (0: none) */
    int nrules;
    lt_rule rule[LT_MAX_RULES];
    /* Per alert level (1..nlevels): the cut of the point sources' total PM2.5
     * emission the level's measures achieve (0-1), for the minimum-cut check. */
    int nlevels;
    double level_cut[LT_ALERT_MAX_LEVELS + 1];
} lt_scenarios;

/* Reads the scenarios of cfg. Sector, grade, county and id selectors are
 * checked against the config's sectors, the inventory and the stations; the
 * measures table (needed by level/alert scenarios) against the alert rules. */
int lt_scenarios_build(lt_scenarios *sc, const lt_config *cfg, const lt_point *pts, size_t npts,
                       const lt_station *st, size_t nst, const lt_alert_rules *alert,
                       lt_error *err);

/* The file a [scenario.NAME] cuts_file entry names. */
void lt_scenario_entry_path(const lt_config *cfg, const lt_scen_entry *e, char *out, size_t n);

/* The set of rules (bit r) that select point p / the background tag, for
 * any species. */
uint64_t lt_scenario_signature(const lt_scenarios *sc, const lt_point *p);
uint64_t lt_scenario_signature_background(const lt_scenarios *sc);

/* The PM2.5 emission factor of scenario s for a group with signature sig at
 * time t_s, with alert level `alert_level` in force then: the product of the
 * factors of the scenario's active rules in sig (1 when none). */
double lt_scenario_factor(const lt_scenarios *sc, int s, uint64_t sig, double t_s, int alert_level);

/* The same for the emission of the species in mask species (one LT_SPECIES_* bit). */
double lt_scenario_factor_species(const lt_scenarios *sc, int s, uint64_t sig, double t_s,
                                  int alert_level, unsigned species);

/* 1 when scenario s's factors outside alerts (alert_level 0) never change
 * in time: no rule with a window (an alert-mode scenario may be steady; its
 * alerts' rules do not apply at level 0). */
int lt_scenario_steady(const lt_scenarios *sc, int s);

/* What a second pass must disperse again for the alert-mode scenarios,
 * given the baseline's alert level of each hour (alert_hour[h], 0: none):
 * need_hours[h] = 1 for every alert hour (when a scenario follows alerts),
 * need_groups[g] = 1 for every group (signature gsig[g]) that a rule of the
 * hour's level, active then, cuts by a factor other than 1 — any group
 * whose factors an alert changes, so the others' factors equal those
 * without alert. Marks are only set, never cleared. */
void lt_scenarios_alert_rerun(const lt_scenarios *sc, const int *alert_hour, int hours, double start_s,
                              const uint64_t *gsig, int ngroups, int *need_hours, int *need_groups);

#endif
