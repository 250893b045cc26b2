/* emisgrid.h — gridded area emissions (MEIC-style or CF NetCDF) mapped onto
 * the model grid, conserving mass, and spread over release heights by
 * vertical fractions per sector.
 *
 * Two layouts are read:
 *  - meic: one file per month x sector x species, <yyyy>_<mm>__<sector>__<species>.nc,
 *    GMT-grd style (x_range, y_range, spacing, dimension, z(xysize)) with rows
 *    stored north-first; t per cell per month, VOC species in 1e6 mol per cell
 *    per month (converted to mass with the molar mass given in the species map).
 *  - cf: one file with 1-D lat, lon (cell centres, regular spacing) and one
 *    variable per species and sector named <species>_<sector>, in units
 *    convertible to kg m-2 s-1 (a flux) or to kg s-1 (per cell; e.g. t year-1).
 *
 * Each inventory cell, a lon/lat rectangle, is projected to the model grid
 * (its edges densified so the curved image is followed) and clipped against
 * every model cell it overlaps (Sutherland-Hodgman); the mass goes to each in
 * proportion to the overlap area. Mass outside the domain is dropped and
 * reported. */
#ifndef LT_EMISGRID_H
#define LT_EMISGRID_H

#include <stddef.h>

#include "io/config.h"
#include "io/domain.h"
#include "core/lt_error.h"

#define LT_EG_MAX_SECTORS 16
#define LT_EG_MAX_SPECIES 32
#define LT_EG_MAX_HEIGHTS 8

/* Emission species lantian carries (index into emis[.][.][species]). */
enum { LT_EG_PM25 = 0, LT_EG_SO2, LT_EG_NOX, LT_EG_NH3, LT_EG_VOC, LT_EG_NSPECIES };

/* The overlap of one lon/lat rectangle with the model grid: cell[k] gets the
 * fraction frac[k] of the rectangle's area. Returns the number of cells
 * (at most cap; -1 when cap is too small) and sets *inside to the sum of the
 * fractions (1 for a rectangle wholly inside the grid). */
int lt_regrid_rectangle(const lt_domain *d, double lon0, double lon1, double lat0, double lat1,
                        int *cell, double *frac, int cap, double *inside);

/* Area of the intersection of polygon (x, y pairs, n vertices, any
 * orientation) with the rectangle [x0,x1] x [y0,y1]. */
double lt_clip_area(const double *xy, int n, double x0, double x1, double y0, double y1);

/* The emissions on the model grid: for each lantian sector with gridded
 * emission, release heights and, per height, species maps in ug/s per cell. */
typedef struct lt_emisgrid {
    int nx, ny;
    int nheights;
    double height_m[LT_EG_MAX_HEIGHTS];        /* distinct release heights, ascending */
    int has[LT_MAX_SECTORS];                   /* lantian sector has gridded emission */
    /* emis[sector][height][species] -> [ny*nx] ug/s, NULL when zero */
    double *emis[LT_MAX_SECTORS][LT_EG_MAX_HEIGHTS][LT_EG_NSPECIES];
    double total_read_kgs[LT_EG_NSPECIES];     /* every cell overlapping the domain's box */
    double total_kept_kgs[LT_EG_NSPECIES];     /* on the model grid */
    int monthly;                               /* 1: the month's file (meic); profiles'
                                                * month factors are not applied again */
    int ncells_read;                           /* inventory cells that touch the domain */
    char summary[512];                         /* one line for the program's report */
} lt_emisgrid;

/* Reads cfg's [gridded] inventory for the month holding t_s (meic) or the
 * whole run (cf) and maps it onto domain d. */
int lt_emisgrid_load(lt_emisgrid *g, const lt_config *cfg, const lt_domain *d, double t_s,
                     lt_error *err);

void lt_emisgrid_free(lt_emisgrid *g);

#endif
