/* case_bg.h — the case's regional background, for the run's modules that
 * build each hour's planes (solver.c, gridrun.c) and for case.c.
 *
 * The [background] file (io/background.h) gives one series for the whole
 * domain or one per station; a station's series are its own when the file
 * has it, else interpolated from the file's stations by inverse distance
 * squared (Shepard 1968), as is every grid cell's. The domain's series (the
 * grid model's inflow, the alerts' and the city's background) is the mean
 * over the run's stations. */
#ifndef LT_CASE_BG_H
#define LT_CASE_BG_H

#include "io/background.h"
#include "run/case.h"

/* Reads [background] file into the case (cs->background, bg_other, bg_comp,
 * bg_st); without a file the series are NaN. */
int lt_case_bg_load(lt_case *cs, lt_error *err);
void lt_case_bg_free(lt_case *cs);

/* The weights of the file's stations at (x, y) (projected metres):
 * w[nsites], summing to 1 (one site without a station column). */
size_t lt_case_bg_nsites(const lt_case *cs);
void lt_case_bg_weights(const lt_case *cs, double x, double y, double *w);

/* Column col (io/background.h; PM10 as PM10) in hour h at weights w, or the
 * domain's value when w is NULL; NaN when missing. */
double lt_case_bg_value(const lt_case *cs, const double *w, int col, int h);

/* The shares of PM2.5's components (LT_BGC_*) at weights w (NULL: the
 * domain's), summing to 1; without components all of it is 'other'. */
void lt_case_bg_shares(const lt_case *cs, const double *w, int h, double share[LT_BGC_N]);

#endif
