/* sources.h — the explicit sources of one hour as the plume kernel takes
 * them: emissions with their temporal profile (or the hour's measured
 * rates), the weather at each source, its stability class, wind at stack
 * height, downwash and rise, the area polygons in the wind's frame, the
 * chemistry and, for the similarity scheme, each source's vertical table. */
#ifndef LT_SOURCES_H
#define LT_SOURCES_H

#include <stddef.h>

#include "physics/chem.h"
#include "physics/sigma.h"
#include "run/case.h"
#include "solvers/plume.h"

/* What the solver stage counts, hour by hour (kept as doubles so that a
 * checkpoint or an MPI message carries them as one array). */
typedef struct lt_counts {
    double calm_hours;         /* hours with a calm 10 m wind at the domain centre */
    double calm_source_hours;  /* source-hours skipped (or floored) as calm */
    double source_hours;
    double class_hours[6];     /* source-hours per Pasquill-Gifford class A-F */
    double evaluations;        /* source x receptor x hour pairs examined */
    double kernel_seconds;     /* in the plume kernel */
    double gridded_seconds;    /* convolving gridded emissions */
    double gridded_cell_hours;
    /* [background] from_observations, summed over the hours derived */
    double bg_hours;           /* hours the background was derived */
    double bg_clipped_hours;   /* of them, hours the local part exceeded the observed */
    double bg_obs_sum;         /* observed PM2.5 at the stations (mean of them) */
    double bg_local_sum;       /* the run's local part there */
    double bg_clipped_sum;     /* local minus observed, where it was clipped */
} lt_counts;

#define LT_COUNTS_N ((int)(sizeof(lt_counts) / sizeof(double)))

typedef struct lt_hour_sources lt_hour_sources;

int lt_hour_sources_create(lt_hour_sources **hs, const lt_case *cs, lt_error *err);
void lt_hour_sources_free(lt_hour_sources **hs);

/* From now on only the sources of the groups g with groups[g] != 0 (groups
 * as lt_case_ngroups numbers them; kept, not copied; NULL: every source). */
void lt_hour_sources_only(lt_hour_sources *hs, const int *groups);

/* Prepares every source that emits in the hour at t_s; counts source-hours,
 * calm ones and classes into c. Returns the plume sources (their number in
 * *n) and the calm sources' count in *calm. */
const lt_plume_src *lt_hour_sources_prepare(lt_hour_sources *hs, double t_s, lt_counts *c, size_t *n, int *calm);

/* lt_hour_sources_prepare in two steps, so that several hours (each in its
 * own lt_hour_sources) share one parallel region: the sources of the hour
 * (everything but the similarity scheme's tables), then the tables of
 * nhours hours at once. */
const lt_plume_src *lt_hour_sources_setup(lt_hour_sources *hs, double t_s, lt_counts *c, size_t *n, int *calm);
void lt_hour_sources_tables(lt_hour_sources *const *hs, int nhours);

/* The bytes one lt_hour_sources of the case holds. */
double lt_hour_sources_bytes(const lt_case *cs);

#endif
