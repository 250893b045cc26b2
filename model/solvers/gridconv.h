/* gridconv.h — plumes from gridded area emissions by convolution.
 *
 * Under one hour's meteorology (taken uniform over the domain, as a steady
 * plume assumes) the concentration a cell of unit emission makes at a
 * receptor depends only on their offset. With emissions E and receptors on
 * the same grid, C = K * E: a discrete convolution computed with FFTs (FFTW,
 * zero-padded to 2ny x 2nx so nothing wraps around), in O(N log N) instead of
 * the O(N^2) of one area source per cell. The kernel K is the area-source
 * plume of plume.c (the cell integrated, never collapsed to a point).
 *
 * Emission maps are transformed once and kept; each hour sets the kernels
 * (one per release height and component) and combines them. */
#ifndef LT_GRIDCONV_H
#define LT_GRIDCONV_H

#include "physics/chem.h"
#include "core/lt_error.h"
#include "solvers/plume.h"

typedef struct lt_gridconv lt_gridconv;

/* A convolver for an nx x ny grid with up to nslots kernels. */
int lt_gridconv_create(lt_gridconv **gc, int nx, int ny, int nslots, lt_error *err);
void lt_gridconv_free(lt_gridconv **gc);

/* Transforms map[ny*nx] (ug/s per cell) and keeps it as map number *index. */
int lt_gridconv_add_map(lt_gridconv *gc, const double *map, int *index, lt_error *err);

/* Replaces map index by a new map[ny*nx] (a new month's emissions). */
void lt_gridconv_set_map(lt_gridconv *gc, int index, const double *map);

/* Fills kernel slots slot0 .. slot0+ncomp-1 for a unit emission (1 ug/s) from
 * one cell of side dx_m: s is the source for this hour with s->poly the cell
 * square in the wind's frame and s->q_area = 1 / (dx^2 u); with chem (ncomp =
 * LT_NCOMP) slot c holds component c per unit emission of its precursor. zr_m
 * is the receptor height. Receptor offsets are evaluated in parallel. */
void lt_gridconv_set_kernel(lt_gridconv *gc, int slot0, const lt_plume_src *s, double dx_m,
                            double zr_m, int ncomp);

/* Working arrays for lt_gridconv_apply (one per thread), NULL when out of
 * memory: made once, not per call (arrays this large come from fresh pages
 * every time they are allocated). */
typedef struct lt_gridconv_scratch lt_gridconv_scratch;
lt_gridconv_scratch *lt_gridconv_scratch_new(const lt_gridconv *gc);
void lt_gridconv_scratch_free(lt_gridconv_scratch **scratch);

/* out[ny*nx] = sum over terms k of weight[k] * (kernel slot[k] * map map[k]),
 * with scratch (NULL: allocated for the call); -1 when out of memory.
 * Thread-safe: calls for different outputs, each with its own scratch, may
 * run at once. */
int lt_gridconv_apply(const lt_gridconv *gc, lt_gridconv_scratch *scratch, int nterms, const int *slot,
                      const int *map, const double *weight, double *out);

/* Bilinear value of field[ny*nx] at grid position (fi, fj) in cell units
 * from cell (0, 0)'s centre (clamped to the grid). */
double lt_gridconv_sample(const double *field, int nx, int ny, double fi, double fj);

#endif
