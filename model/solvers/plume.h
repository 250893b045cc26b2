/* plume.h — the steady Gaussian plume: one source–receptor pair, and the
 * hourly kernel over all receptors of a run. */
#ifndef LT_PLUME_H
#define LT_PLUME_H

#include <stddef.h>

#include "physics/chem.h"
#include "physics/rise.h"
#include "physics/sigma.h"

/* Exponent arguments beyond this are dropped: exp(-50) ~ 2e-22 of the peak.
 * Keeping arguments bounded also keeps vector exp() on its fast path. */
#define LT_EXP_CUTOFF 50.0
/* ISC3 convention: receptors nearer than 1 m downwind get nothing. */
#define LT_X_MIN_M 1.0
/* ISC3 convention: once sigma_z exceeds 1.6 zi the plume is uniformly mixed. */
#define LT_UNIFORM_MIX 1.6

/* One source in one hour, with everything hoisted out of the receptor loop. */
typedef struct lt_plume_src {
    double x_m, y_m;        /* position on the projected grid */
    double cos_t, sin_t;    /* unit vector the wind blows toward */
    double q_norm;          /* Q / (2 pi u), in ug m-1 (Q in ug/s) */
    double hs_m;            /* release height after stack-tip downwash */
    double zi_m;            /* mixing height */
    int lid;                /* 1: reflect at zi and mix uniformly (classes A-D) */
    int bid;                /* 1: add buoyancy-induced dispersion (Delta h / 3.5) */
    double sy0sq, sz0sq;    /* initial spreads squared (volume sources), m2 */
    lt_rise rise;
    lt_sigma_term sy, sz;   /* the curve terms of this hour's class */
    int tag;                /* the output tag (sector) it adds to */
    /* Similarity scheme: crosswind-integrated concentration per unit emission
     * at receptor height, cy[i] at x = cy_x0 * cy_ratio^i (NULL: Gaussian sz). */
    const double *cy;
    int ncy;
    double cy_x0, cy_ratio;
    double q_ugs;           /* emission, ug/s (the similarity path) */
    /* Area sources: the polygon in the wind's frame (u along, v across; pairs),
     * relative to (x_m, y_m), and Q / (area u) in ug m-3 m-1... */
    const double *poly;
    int npoly;
    double q_area;          /* Q / (area u): ug s-1 m-2 divided by m s-1 */
    double umin, umax;      /* the polygon's extent along the wind ... */
    double vmin, vmax;      /* ... and across it (receptors upwind of umin get nothing) */
    /* Secondary PM2.5 (NULL: primary only, no removal). With it the q fields
     * above are for 1 ug/s, and chem holds the emissions and the rates. */
    const lt_chem_src *chem;
    double u_travel_ms;     /* speed that turns distance downwind into travel time */
    /* The AQI's gases and coarse PM at the stations (NULL: none;
     * lt_plume_station_gases), and the emission (ug/s) the q fields above
     * stand for: 1 with chem, the PM2.5 emission without. */
    const lt_gas_src *gas;
    double q_unit;
    /* Meander (NULL mr: none). The plume above carries the share
     * f_p(r) = fp0 exp(-r / fp_len) of the source at radial distance r, the
     * rest spreads evenly round the source (the random part): mr[i] at
     * r = LT_MR_R0_M mr_ratio^i, ug m-3 at the receptor height. */
    const double *mr;
    int nmr;
    double mr_ratio, fp0, fp_len;
} lt_plume_src;

/* The meander's radial table starts at 1 m. */
#define LT_MR_R0_M 1.0

/* Meander (AERMOD: Cimorelli et al. 2005, J. Appl. Meteor. 44, 682, sec. 5;
 * EPA 2004, AERMOD model formulation, sec. 5.1 and its routine MEANDR): the
 * horizontal energy of the wind is sigma_h^2 = ubar^2 + 2 sv^2 (ubar the
 * mean wind at plume height, sv the lateral turbulence); the random part's
 * share is f_r = [2 sv^2 + ubar^2 (1 - exp(-t / T_r))] / sigma_h^2, t = r /
 * u_eff the travel time to radial distance r, T_r the time over which the
 * mean wind's energy turns random (AERMOD: 24 h); the plume's is f_p = 1 -
 * f_r = (ubar^2 / sigma_h^2) exp(-t / T_r). Both parts are carried at u_eff =
 * sigma_h. Sets s->fp0, s->fp_len; returns u_eff (m/s). */
double lt_plume_meander_weights(lt_plume_src *s, double ubar_ms, double sv_ms, double tr_s);

/* The random part of s at radial distance r_m (>= LT_X_MIN_M) and height
 * zr_m: the crosswind-integrated plume at distance r (its vertical spread
 * and rise at r) times f_r(r), spread evenly round the circle of radius r:
 * f_r q_norm V(sz) / (sqrt(2 pi) sz r) (Gaussian sz), f_r q Cy(r) / (2 pi r)
 * (the similarity table). */
double lt_plume_random_at(const lt_plume_src *s, double r_m, double zr_m);

/* Fills tab[0, n) with the random part at r = LT_MR_R0_M ratio^i up to
 * rmax_m and points s->mr at it (s's fp0, fp_len set, not an area). */
void lt_plume_meander_table(lt_plume_src *s, double zr_m, double rmax_m, double *tab, int n);

/* Sets s->umin, umax, vmin, vmax from s->poly, once per source and hour
 * (not per receptor). */
void lt_plume_polygon_extent(lt_plume_src *s);

/* Makes s an area source over the polygon (x[i], y[i]), i < n, given on the
 * grid relative to (s->x_m, s->y_m): its vertices turned into the wind's frame
 * (s->cos_t, s->sin_t set) into uv[2n], which s then points to, and its extent. */
void lt_plume_set_polygon(lt_plume_src *s, const double *x, const double *y, int n, double *uv);

/* Largest number of vertices of an area polygon. */
#define LT_AREA_MAX_VERTICES 256

/* The vertical term: the sum of Gaussian image terms for a plume at he_m with
 * spread sigz_m seen at height zr_m, reflected at the ground and, with lid,
 * at zi_m; sqrt(2 pi) sigz / zi when uniformly mixed; 0 when the plume is
 * above the lid. C = Q / (2 pi u sy sz) exp(-y^2 / 2 sy^2) * this. */
double lt_plume_vertical(double sigz_m, double he_m, double zr_m, double zi_m, int lid);

/* Concentration (ug m-3) at downwind distance xd_m, crosswind yd_m and
 * height zr_m from source s (with meander, the plume's share and the random
 * part from the table: what the kernel adds). */
double lt_plume_at(const lt_plume_src *s, double xd_m, double yd_m, double zr_m);

/* Adds every source's contribution at every receptor into
 * conc[(tag * ncomp + c) * nrec + r]: with ncomp = 1 the total PM2.5 (sources
 * must have no chem), with ncomp = LT_NCOMP each component of chem.h (sources
 * must have chem). Receptors are split among OpenMP threads; each receptor
 * sums sources in array order, so the result does not depend on the thread
 * count. */
void lt_plume_accumulate(const lt_plume_src *src, size_t nsrc, const double *rx_m,
                         const double *ry_m, size_t nrec, double zr_m, int ncomp, double *conc);

/* The gases and coarse PM (chem.h's LT_GAS_*) of every source with gas at
 * the nst receptors (rx_m[k], ry_m[k]): the plume of lt_plume_at per unit
 * emission (its value over q_unit) times each species' emission after the
 * travel time, added into gas[(tag * LT_NGAS + i) * nst + k]. Serial: each
 * receptor sums the sources in array order. */
void lt_plume_station_gases(const lt_plume_src *src, size_t nsrc, const double *rx_m, const double *ry_m,
                            size_t nst, double zr_m, double *gas);

/* lt_plume_accumulate for nhours hours at once, in one parallel region:
 * hour b's sources src[b][0, nsrc[b]) into conc + b * stride. */
void lt_plume_accumulate_hours(const lt_plume_src *const *src, const size_t *nsrc, int nhours, const double *rx_m,
                               const double *ry_m, size_t nrec, double zr_m, int ncomp, double *conc,
                               size_t stride);

#endif
