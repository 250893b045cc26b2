/* units.h — physical units of the files lantian reads, through udunits2.
 *
 * The unit database is read once per process (reading it costs about a
 * third of a second) and kept read-only; it is the one process-wide object
 * lantian keeps. Unit strings as files write them are first put through a
 * small table of aliases udunits does not know: ERA5's "(0 - 1)" (a
 * fraction), "m s**-1" and the like (Fortran-style powers), "~" and
 * "dimensionless". */
#ifndef LT_UNITS_H
#define LT_UNITS_H

#include <stddef.h>

#include "core/lt_error.h"

/* A converter from units `from` (as a file writes them) to `to` (udunits
 * syntax): value_to = value_from * *scale + *offset. Returns 0, or -1 when
 * either cannot be parsed or they are not convertible (the database missing:
 * -2). */
int lt_units_linear(const char *from, const char *to, double *scale, double *offset);

/* The same for a time unit "UNIT since DATE" into seconds since
 * 1970-01-01T00:00:00Z. */
int lt_units_time(const char *from, double *scale, double *offset);

/* Normalises a unit string of a file: the alias table above, into out. */
void lt_units_alias(const char *in, char *out, size_t n);

#endif
