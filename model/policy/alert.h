/* alert.h — heavy-pollution alert levels from a forecast AQI series, by a rule
 * set read from a data file (inputs/policy/alert_*.ini). */
#ifndef LT_ALERT_H
#define LT_ALERT_H

#include <stddef.h>

#include "core/lt_error.h"

#define LT_ALERT_MAX_LEVELS 6

/* One level: met by a run of consecutive hours with AQI > threshold lasting at
 * least min_hours, in which (when also_min_hours > 0) AQI > also_above for at
 * least also_min_hours consecutive hours; or by any hour of such a run
 * reaching or_reach (when > 0). */
typedef struct lt_alert_level {
    char name[32];
    double threshold;
    int min_hours;
    double also_above;
    int also_min_hours;
    double or_reach;
    double min_cut;     /* required cut of the city's emissions at this level, 0-1 */
} lt_alert_level;

typedef struct lt_alert_rules {
    char name[64];
    int nlevels;                      /* levels 1..nlevels, lowest first; 0 = none */
    lt_alert_level level[LT_ALERT_MAX_LEVELS];
} lt_alert_rules;

int lt_alert_rules_read(lt_alert_rules *r, const char *path, lt_error *err);

/* Level (0 = none) of every hour of the series aqi[0..nh) (negative values are
 * missing and break a run): each qualifying run of a level sets that level on
 * its hours and on the lead_hours before it; the highest level wins. */
void lt_alert_levels(const lt_alert_rules *r, const int *aqi, size_t nh, int lead_hours,
                     int *level);

#endif
