/* grid.h — the Eulerian grid model: a 3-D grid of columns over the domain
 * that carries primary PM2.5 and the precursors of secondary PM2.5 hour after
 * hour, with tags.
 *
 * Each hour is split into equal steps short enough for the advection's
 * Courant limit; each step is, in order (operator splitting, as CMAQ's
 * science processes):
 *   emissions   added to the layer of their effective height;
 *   advection   per layer, flux form, MC-limited, Strang split (advect.h),
 *               inflow at the edges from the boundary concentrations;
 *   diffusion   per column, backward Euler with the boundary-layer profile
 *               K(z) = kappa u* z / phi_h(z/L) (1 - z/zi)^2 + kz_min
 *               (Troen & Mahrt 1986; kmodel.h) and dry deposition as the
 *               ground flux vd C (vdiff.h);
 *   chemistry   first-order SO2 -> SO4 (gas phase, diurnal, plus the aqueous
 *               path at high humidity), NOx -> HNO3 and VOC -> SOA at the
 *               rates of chem.h, exact over the step (exponential decay);
 *   horizontal diffusion (kh_m2s > 0) explicit, five-point, in substeps of
 *               kh dt / dx^2 <= 1/4 (each a convex combination of a cell
 *               and its neighbours: monotone, positive, mass-conserving),
 *               no diffusive flux through the domain's edges;
 *   wet removal C exp(-Lambda P dt) with P the rain rate (mm/h);
 *   partition   sulfate neutralised by ammonia first, then the NH4NO3
 *               gas-particle equilibrium (aerosol.h), per cell: NH4NO3
 *               alone, or dissolved into the water of the ammonium
 *               sulfate and of the cell's SOA above 40 % RH.
 *
 * Tags: every species is carried once per tag. Every process but the
 * partition is linear and acts on each tag alone, so tags sum to the total to
 * round-off. The partition works on the totals: the model carries total
 * nitrate (HNO3 + NO3-) and total ammonia (NH3 + NH4+), which the partition
 * does not change, and the particulate share of each, the same for every tag
 * in a cell, gives each tag its particulate nitrate and ammonium in proportion
 * to its own total nitrate and total ammonia (the attribution of CAMx PSAT,
 * Yarwood et al. 2004; CMAQ-ISAM, Kwok et al. 2013, does the same for the
 * inorganic aerosol). Gas and particle deposit at their own velocities, so the
 * effective velocity of a total is weighted by that share. */
#ifndef LT_GRID_H
#define LT_GRID_H

#include "physics/chem.h"
#include "core/lt_error.h"
#include "core/lt_state.h"

/* The species carried: primary PM2.5, SO2, sulfate, NOx (as NO2), total
 * nitrate (as NO3), total ammonia (as NH3), VOC, SOA. */
enum { LT_GS_PPM = 0, LT_GS_SO2, LT_GS_SO4, LT_GS_NOX, LT_GS_TNO3, LT_GS_TNH3, LT_GS_VOC,
       LT_GS_SOA, LT_GS_N };

/* The terms of the mass budget of each species, kg over the run so far. */
enum { LT_GB_INITIAL = 0, LT_GB_EMITTED, LT_GB_INFLOW, LT_GB_OUTFLOW, LT_GB_CHEM, LT_GB_DRY,
       LT_GB_WET, LT_GB_FINAL, LT_GB_N };

/* Names for the species and the budget terms (output, messages). */
extern const char *const lt_grid_species_names[LT_GS_N];
extern const char *const lt_grid_budget_names[LT_GB_N];

#define LT_GRID_MAX_LAYERS 32

typedef struct lt_grid_spec {
    int nx, ny;                 /* columns */
    double dx_m;                /* column width (square columns) */
    int nz;                     /* layers */
    double top_m[LT_GRID_MAX_LAYERS]; /* layer tops, ascending */
    int ntags;
    int chemistry;              /* 0: primary PM2.5 only; 1: every species */
    lt_chem_params chem;        /* rates, deposition velocities, scavenging */
    double kz_min;              /* added to K everywhere, m2/s */
    double kz_const;            /* > 0: K = kz_const everywhere and the 10 m wind at
                                 * every height (the analytical tests) */
    double z0_m;                /* roughness length */
    double cfl;                 /* largest Courant number of a step */
    double kh_m2s;              /* horizontal eddy diffusivity (0: none but the
                                 * advection scheme's own) */
} lt_grid_spec;

/* Defaults: 8 layers with tops 50, 150, 300, 500, 800, 1200, 1800, 3000 m,
 * kz_min 0.5 m2/s (CMAQ's floor of the eddy diffusivity is 0.5-2 m2/s over
 * cities), z0 0.3 m, cfl 0.9. */
void lt_grid_spec_defaults(lt_grid_spec *s);

/* The weather of one column for one hour. */
typedef struct lt_grid_met {
    double u_ms, v_ms;          /* 10 m wind along the grid's x and y */
    int aloft;                  /* 1: ul, vl are the winds of each layer (from the met file) */
    double ul[LT_GRID_MAX_LAYERS], vl[LT_GRID_MAX_LAYERS]; /* at the layers' midpoints, grid x and y */
    double ust_ms, rmol_m1, pblh_m;
    double t2_K, rh_pct;        /* rh NaN: no aqueous path, dry partition */
    double rain_mmh;
    double sun;                 /* sine of the solar elevation (negative at night) */
} lt_grid_met;

typedef struct lt_grid lt_grid;

int lt_grid_create(lt_grid **g, const lt_grid_spec *spec, lt_error *err);
void lt_grid_free(lt_grid **g);

/* The layer holding height z_m (the top layer above the grid). */
int lt_grid_layer_of(const lt_grid *g, double z_m);

/* Emissions of the coming hour: cleared, then added; q_ugs[LT_GS_N] in ug/s
 * (only PPM, SO2, NOX, TNH3 (as NH3) and VOC are emitted), into column col
 * (j * nx + i) at layer k. */
void lt_grid_clear_emissions(lt_grid *g);
void lt_grid_emit(lt_grid *g, int tag, int col, int k, const double *q_ugs);

/* Concentration (ug m-3) of species sp of tag entering through the edges
 * (0 unless set: clean air). */
void lt_grid_set_inflow(lt_grid *g, int tag, int sp, double c_ugm3);

/* Sets species sp of tag to c_ugm3 in every cell (an initial condition;
 * counted as the budget's initial mass). */
void lt_grid_fill(lt_grid *g, int tag, int sp, double c_ugm3);

/* Advances one hour under met[col]; mean[(tag * LT_NCOMP_GRID + c) * ncol +
 * col] receives the hour's mean concentration of component c in the lowest
 * layer (ug m-3). Returns the number of steps, or -1 (err set). */
int lt_grid_hour(lt_grid *g, const lt_grid_met *met, double *mean, lt_error *err);

/* The particulate share of total nitrate in the lowest layer of each column
 * at the end of the last hour: share[col]. */
void lt_grid_nitrate_share(const lt_grid *g, double *share);

/* The budget so far, kg: b[sp * LT_GB_N + term]; FINAL is the mass now. */
void lt_grid_budget(const lt_grid *g, double *b);

/* The residual of species sp's budget relative to its largest term:
 * (final - initial - emitted - inflow + outflow - chem + dry + wet) / max. */
double lt_grid_budget_residual(const double *b, int sp);

/* The whole state (concentrations, boundary, budget, counters) as named
 * records, for checkpoints. */
void lt_grid_state(lt_grid *g, lt_state *st);

/* Cell x species x tag updates done so far (every process counted once per
 * step; planes known to be empty are skipped and not counted). */
double lt_grid_updates(const lt_grid *g);

#endif
