/* profile.h — temporal emission profiles per sector: month-of-year,
 * day-of-week and hour-of-day factors, applied in local time and normalised so
 * that each sector's emission summed over the calendar year equals its annual
 * total (the inventory's t/yr). */
#ifndef LT_PROFILE_H
#define LT_PROFILE_H

#include "io/config.h"
#include "core/lt_error.h"

typedef struct lt_profiles {
    int nsectors;
    double month[LT_MAX_SECTORS][12];   /* January = 0 */
    double weekday[LT_MAX_SECTORS][7];  /* Monday = 0 */
    double hour[LT_MAX_SECTORS][24];    /* local hour 0-23 */
    double norm[LT_MAX_SECTORS];        /* 1 / mean of the product over the year */
    double utc_offset_h;
    int year;                           /* the calendar year normalised over */
} lt_profiles;

/* Reads a CSV with columns sector, kind (month, weekday or hour), index (1-12,
 * 1-7 with 1 = Monday, 0-23), factor. Missing entries are 1; sectors are those
 * of cfg. Normalises over the local calendar year holding start_s. */
int lt_profiles_read(lt_profiles *p, const char *path, const lt_config *cfg, double start_s,
                     double utc_offset_h, lt_error *err);

/* All factors 1 (no profile file). */
void lt_profiles_flat(lt_profiles *p, int nsectors);

/* The emission factor of sector k at time t_s (UTC seconds): mean 1 over the year. */
double lt_profile_factor(const lt_profiles *p, int k, double t_s);

/* The day-of-week and hour-of-day part alone, with mean 1 over a week: for
 * inventories already resolved by month (MEIC), whose month total must not
 * be scaled again. */
double lt_profile_factor_in_month(const lt_profiles *p, int k, double t_s);

#endif
