/* houremis.h — hourly emission files for stacks that have them (continuous
 * emission monitoring), as AERMOD's HOUREMIS: for the stacks listed, the
 * hour's measured rates (and, when given, exit temperature and velocity)
 * replace the annual rate times the temporal profile.
 *
 * CSV columns: time (ISO 8601 UTC, the start of the hour), id (a stack of
 * the points file), pm25_gs; optional so2_gs, nox_gs, voc_gs, temp_K,
 * velocity_ms. A stack listed must have a row for every hour of the run. */
#ifndef LT_HOUREMIS_H
#define LT_HOUREMIS_H

#include <stddef.h>

#include "io/inventory.h"
#include "core/lt_error.h"

enum { LT_HE_PM25 = 0, LT_HE_SO2, LT_HE_NOX, LT_HE_VOC, LT_HE_TEMP, LT_HE_VEL, LT_HE_NFIELDS };

typedef struct lt_houremis {
    int *slot;        /* [npoints] row block of each source, -1 when not listed */
    int nlisted, hours;
    double *val;      /* [slot][hour][LT_HE_NFIELDS]; NaN where a column is absent */
} lt_houremis;

/* Reads path for the run's hours start_s + 3600 h, h < hours. */
int lt_houremis_read(lt_houremis *he, const char *path, const lt_point *pts, size_t npts,
                     double start_s, int hours, lt_error *err);

/* The fields of source i at hour h, or NULL when it is not listed. */
const double *lt_houremis_get(const lt_houremis *he, size_t i, int h);

void lt_houremis_free(lt_houremis *he);

#endif
