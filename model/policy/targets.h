/* targets.h — the plan's targets per county and for the city ([assessment]
 * targets): a CSV level,name,pm25_max,good_days_min,heavy_days_max, and
 * whether a period's assessment attains them. */
#ifndef LT_TARGETS_H
#define LT_TARGETS_H

#include <stddef.h>

#include "core/lt_error.h"
#include "policy/annual.h"

enum { LT_LEVEL_STATION = 0, LT_LEVEL_COUNTY, LT_LEVEL_CITY };

typedef struct lt_target {
    int level;                  /* LT_LEVEL_COUNTY or LT_LEVEL_CITY */
    int county;                 /* index into the county names (county level) */
    double pm25_max;            /* annual mean PM2.5 at most, ug m-3 (NaN: no target) */
    double good_days_min;       /* good days a year at least (NaN: none) */
    double heavy_days_max;      /* heavy-pollution days a year at most (NaN: none) */
    int line;                   /* in the file */
} lt_target;

typedef struct lt_targets {
    size_t n;
    lt_target *t;
    char path[4096];
} lt_targets;

/* Reads FILE; county names must be among names[0..ncounty) (the stations'
 * counties); one row per level and name; an empty field is no target. The
 * errors name the file, line, column and value. */
int lt_targets_read(lt_targets *t, const char *path, const char *const *names, size_t ncounty, lt_error *err);
void lt_targets_free(lt_targets *t);

/* The target of the city (county < 0) or of county, or NULL. */
const lt_target *lt_targets_find(const lt_targets *t, int county);

/* The verdict of a period's assessment a against target g: 1 attained, 0
 * not, -1 no target or no valid day. A period shorter than a year is held
 * to the targets in proportion (good_days_min x valid days / days_in_year,
 * as a ratio; heavy days likewise), which the caller says. *good_gap is the
 * good days missing (0 when met), *pm25_gap the ug m-3 above the target. */
int lt_target_verdict(const lt_target *g, const lt_annual *a, int days_in_year, double *good_gap, double *pm25_gap);

#endif
