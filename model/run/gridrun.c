/* gridrun.c — the grid model driven by a case (see gridrun.h). */
#include "run/gridrun.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lt_par.h"
#include "io/inventory.h"
#include "physics/aerosol.h"
#include "run/case_bg.h"
#include "run/case_impl.h"
#include "solvers/plume.h"
#include "physics/rise.h"
#include "physics/sigma.h"
#include "physics/stability.h"

#define PI 3.14159265358979323846

/* Where an explicit source's emission goes: column and share. */
typedef struct src_cell {
    int col;
    double w;
} src_cell;

struct lt_gridrun {
    lt_case *cs;
    int ncomp;
    int c;                        /* receptor cells per column side */
    int gnx, gny;
    size_t ncol, nrec, ngrid;
    double x0_m, y0_m, cdx_m;     /* south-west corner of the grid, column width */
    double *col_lon, *col_lat, *col_rot;
    lt_grid_met *met;             /* [col] */
    lt_grid *grid;                /* the tagged run */
    int nzo;                      /* zero-out runs: [0, ntags) without tag, ntags: all */
    lt_grid **zo;
    double *zo_mean;              /* [LT_NCOMP_GRID][ncol] scratch */
    double *zo_st;                /* [nzo][nst] PM2.5 at the stations, last hour */
    double *tag_st;               /* [ntags][nst] tagged grid PM2.5 at the stations */
    double *mean;                 /* [group][LT_NCOMP_GRID][ncol] of the hour */
    int *ri, *rj;                 /* [nrec] interpolation cell */
    double *rwx, *rwy;            /* [nrec] weights */
    double *fno3;                 /* [ncol] the grid's particulate share of nitrate */
    double *gcol;                 /* gridded groups summed onto columns [group][height][species][col] */
    int gcol_month, gcol_nheights;  /* the inventory month and heights gcol holds */
    size_t *src_first;            /* [npoints + 1] into cells */
    src_cell *cells;
    int sources_outside;
    long steps;
    double seconds, clipped, total_hybrid, tag_sum_error;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void spec_of(const lt_gridrun *gr, int ntags, lt_grid_spec *sp)
{
    const lt_config *cfg = gr->cs->cfg;
    lt_grid_spec_defaults(sp);
    sp->nx = gr->gnx;
    sp->ny = gr->gny;
    sp->dx_m = gr->cdx_m;
    sp->nz = cfg->grid_nz;
    for (int k = 0; k < cfg->grid_nz; k++)
        sp->top_m[k] = cfg->grid_top_m[k];
    sp->ntags = ntags;
    sp->chemistry = gr->ncomp > 1;
    sp->chem = cfg->chem;
    sp->kz_min = cfg->grid_kz_min;
    sp->kh_m2s = cfg->grid_kh;
    sp->z0_m = cfg->z0_m;
    sp->cfl = cfg->grid_cfl;
}

/* The columns of source i: its polygon clipped against each column (areas
 * and roads), or the column holding it. Returns the count added. */
static int source_cells(lt_gridrun *gr, const lt_point *p, src_cell *out, int cap)
{
    int n = 0;
    if (p->kind == LT_SRC_AREA) {
        double xy[2 * LT_AREA_MAX_VERTICES], xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
        for (int v = 0; v < p->nvert; v++) {
            xy[2 * v] = p->x_m + p->vx[v];
            xy[2 * v + 1] = p->y_m + p->vy[v];
            xmin = fmin(xmin, xy[2 * v]);
            xmax = fmax(xmax, xy[2 * v]);
            ymin = fmin(ymin, xy[2 * v + 1]);
            ymax = fmax(ymax, xy[2 * v + 1]);
        }
        int i0 = (int)floor((xmin - gr->x0_m) / gr->cdx_m), i1 = (int)floor((xmax - gr->x0_m) / gr->cdx_m);
        int j0 = (int)floor((ymin - gr->y0_m) / gr->cdx_m), j1 = (int)floor((ymax - gr->y0_m) / gr->cdx_m);
        i0 = i0 < 0 ? 0 : i0;
        j0 = j0 < 0 ? 0 : j0;
        i1 = i1 >= gr->gnx ? gr->gnx - 1 : i1;
        j1 = j1 >= gr->gny ? gr->gny - 1 : j1;
        for (int j = j0; j <= j1; j++)
            for (int i = i0; i <= i1; i++) {
                double x0 = gr->x0_m + i * gr->cdx_m, y0 = gr->y0_m + j * gr->cdx_m;
                double a = lt_clip_area(xy, p->nvert, x0, x0 + gr->cdx_m, y0, y0 + gr->cdx_m);
                if (a > 0.0 && n < cap)
                    out[n++] = (src_cell){j * gr->gnx + i, a / p->area_m2};
            }
        return n;
    }
    int i = (int)floor((p->x_m - gr->x0_m) / gr->cdx_m), j = (int)floor((p->y_m - gr->y0_m) / gr->cdx_m);
    if (i < 0 || j < 0 || i >= gr->gnx || j >= gr->gny)
        return 0;
    out[0] = (src_cell){j * gr->gnx + i, 1.0};
    return 1;
}

/* Bilinear weights of each receptor from the column centres, held constant
 * beyond the outermost centres. */
static void receptor_weights(lt_gridrun *gr, const double *rx, const double *ry)
{
    for (size_t r = 0; r < gr->nrec; r++) {
        double fx = (rx[r] - gr->x0_m) / gr->cdx_m - 0.5, fy = (ry[r] - gr->y0_m) / gr->cdx_m - 0.5;
        int i0 = (int)floor(fx), j0 = (int)floor(fy);
        i0 = i0 < 0 ? 0 : i0 > gr->gnx - 2 ? gr->gnx - 2 : i0;
        j0 = j0 < 0 ? 0 : j0 > gr->gny - 2 ? gr->gny - 2 : j0;
        gr->ri[r] = i0;
        gr->rj[r] = j0;
        gr->rwx[r] = fmin(fmax(fx - i0, 0.0), 1.0);
        gr->rwy[r] = fmin(fmax(fy - j0, 0.0), 1.0);
    }
}

/* The explicit sources' columns: counted first, then filled; -1: no memory. */
static int place_sources(lt_gridrun *gr)
{
    const lt_case *cs = gr->cs;
    size_t total = 0;
    src_cell *tmp = malloc(gr->ncol * sizeof *tmp);
    if (!tmp)
        return -1;
    for (size_t i = 0; i < cs->npoints; i++)
        total += (size_t)source_cells(gr, &cs->points[i], tmp, (int)gr->ncol);
    free(tmp);
    gr->cells = malloc((total + 1) * sizeof *gr->cells);
    if (!gr->cells)
        return -1;
    total = 0;
    for (size_t i = 0; i < cs->npoints; i++) {
        gr->src_first[i] = total;
        int n = source_cells(gr, &cs->points[i], gr->cells + total, (int)gr->ncol);
        total += (size_t)n;
        gr->sources_outside += n == 0;
    }
    gr->src_first[cs->npoints] = total;
    return 0;
}

int lt_gridrun_create(lt_gridrun **out, lt_case *cs, const double *rx, const double *ry, size_t nrec,
                      int ncomp, int zero_out, lt_error *err)
{
    *out = NULL;
    const lt_config *cfg = cs->cfg;
    lt_gridrun *gr = calloc(1, sizeof *gr);
    if (!gr)
        return lt_error_set(err, LT_ENOMEM, "out of memory for the grid model");
    gr->cs = cs;
    gr->ncomp = ncomp;
    gr->c = cfg->grid_coarsen;
    gr->gnx = cfg->nx / gr->c;
    gr->gny = cfg->ny / gr->c;
    gr->ncol = (size_t)gr->gnx * (size_t)gr->gny;
    gr->nrec = nrec;
    gr->ngrid = (size_t)cfg->nx * (size_t)cfg->ny;
    gr->cdx_m = cfg->dx_m * gr->c;
    gr->x0_m = lt_domain_x(cs->domain, 0) - 0.5 * cfg->dx_m;
    gr->y0_m = lt_domain_y(cs->domain, 0) - 0.5 * cfg->dx_m;
    size_t nst = cs->nstations ? cs->nstations : 1;
    gr->col_lon = malloc(gr->ncol * 3 * sizeof *gr->col_lon);
    gr->met = malloc(gr->ncol * sizeof *gr->met);
    gr->mean = malloc((size_t)cs->ngroups * LT_NCOMP_GRID * gr->ncol * sizeof *gr->mean);
    gr->ri = malloc(nrec * 2 * sizeof *gr->ri);
    gr->rwx = malloc(nrec * 2 * sizeof *gr->rwx);
    gr->fno3 = malloc(gr->ncol * sizeof *gr->fno3);
    gr->src_first = malloc((cs->npoints + 1) * sizeof *gr->src_first);
    gr->tag_st = calloc((size_t)(cs->ntags + 1) * nst, sizeof *gr->tag_st);
    if (!gr->col_lon || !gr->met || !gr->mean || !gr->ri || !gr->rwx || !gr->fno3 || !gr->src_first || !gr->tag_st)
        goto nomem;
    gr->col_lat = gr->col_lon + gr->ncol;
    gr->col_rot = gr->col_lat + gr->ncol;
    gr->rj = gr->ri + nrec;
    gr->rwy = gr->rwx + nrec;
    for (int j = 0; j < gr->gny; j++)
        for (int i = 0; i < gr->gnx; i++) {
            size_t col = (size_t)j * gr->gnx + i;
            double x = gr->x0_m + (i + 0.5) * gr->cdx_m, y = gr->y0_m + (j + 0.5) * gr->cdx_m;
            if (lt_domain_inverse(cs->domain, x, y, &gr->col_lon[col], &gr->col_lat[col])) {
                lt_gridrun_free(&gr);
                return lt_error_set(err, LT_EINPUT, "grid model: column %d, %d cannot be projected back to lon/lat", i, j);
            }
            gr->col_rot[col] = lt_domain_north_rotation(cs->domain, gr->col_lon[col], gr->col_lat[col]);
        }
    receptor_weights(gr, rx, ry);
    if (place_sources(gr))
        goto nomem;
    lt_grid_spec sp;
    spec_of(gr, cs->ngroups, &sp);
    int rc;
    if ((rc = lt_grid_create(&gr->grid, &sp, err))) {
        lt_gridrun_free(&gr);
        return rc;
    }
    if (zero_out) {
        gr->nzo = cs->ntags + 1;
        gr->zo = calloc((size_t)gr->nzo, sizeof *gr->zo);
        gr->zo_mean = malloc(LT_NCOMP_GRID * gr->ncol * sizeof *gr->zo_mean);
        gr->zo_st = calloc((size_t)gr->nzo * nst, sizeof *gr->zo_st);
        if (!gr->zo || !gr->zo_mean || !gr->zo_st)
            goto nomem;
        spec_of(gr, 1, &sp);
        for (int z = 0; z < gr->nzo; z++)
            if ((rc = lt_grid_create(&gr->zo[z], &sp, err))) {
                lt_gridrun_free(&gr);
                return rc;
            }
    }
    if ((rc = lt_gridrun_reset(gr, err))) {
        lt_gridrun_free(&gr);
        return rc;
    }
    *out = gr;
    return LT_OK;
nomem:
    lt_gridrun_free(&gr);
    return lt_error_set(err, LT_ENOMEM, "out of memory for the grid model");
}

void lt_gridrun_free(lt_gridrun **p)
{
    lt_gridrun *gr = p ? *p : NULL;
    if (!gr)
        return;
    lt_grid_free(&gr->grid);
    for (int z = 0; gr->zo && z < gr->nzo; z++)
        lt_grid_free(&gr->zo[z]);
    free(gr->zo);
    free(gr->zo_mean);
    free(gr->zo_st);
    free(gr->tag_st);
    free(gr->col_lon);
    free(gr->met);
    free(gr->mean);
    free(gr->ri);
    free(gr->rwx);
    free(gr->fno3);
    free(gr->src_first);
    free(gr->cells);
    free(gr->gcol);
    free(gr);
    *p = NULL;
}

/* The boundary's tag (group) in the tagged run, or -1. */
static int boundary_group(const lt_case *cs)
{
    return cs->background_tag >= 0 ? cs->ngroups - 1 : -1;
}

/* The background's species in hour h (the domain's series): PM2.5 split by
 * the file's composition into sulfate, total nitrate (as NO3), total
 * ammonia (ammonium as NH3) and primary (organic matter, EC, other); all
 * primary without components or without chemistry. Nitrate and ammonium
 * enter as totals: the partition decides, cell by cell, how much of them
 * stays in the particle. */
static void boundary_species(const lt_case *cs, int h, double c[LT_GS_N])
{
    for (int sp = 0; sp < LT_GS_N; sp++)
        c[sp] = 0.0;
    double b = cs->background ? cs->background[h] : 0.0, sh[LT_BGC_N];
    if (cs->ncomp == 1) {
        c[LT_GS_PPM] = b;
        return;
    }
    lt_case_bg_shares(cs, NULL, h, sh);
    c[LT_GS_SO4] = b * sh[LT_BGC_SO4];
    c[LT_GS_TNO3] = b * sh[LT_BGC_NO3];
    c[LT_GS_TNH3] = b * sh[LT_BGC_NH4] * (LT_MW_NH3 / LT_MW_NH4);
    c[LT_GS_PPM] = b * (sh[LT_BGC_OM] + sh[LT_BGC_EC] + sh[LT_BGC_OTHER]);
}

int lt_gridrun_reset(lt_gridrun *gr, lt_error *err)
{
    lt_case *cs = gr->cs;
    lt_grid_spec sp;
    lt_grid_free(&gr->grid);
    spec_of(gr, cs->ngroups, &sp);
    int rc = lt_grid_create(&gr->grid, &sp, err);
    if (rc)
        return rc;
    for (int z = 0; z < gr->nzo; z++) {
        lt_grid_free(&gr->zo[z]);
        spec_of(gr, 1, &sp);
        if ((rc = lt_grid_create(&gr->zo[z], &sp, err)))
            return rc;
    }
    gr->steps = 0;
    gr->seconds = gr->clipped = gr->total_hybrid = gr->tag_sum_error = 0.0;
    /* the regional background: the initial state and the inflow */
    int bg = boundary_group(cs);
    double c0[LT_GS_N];
    boundary_species(cs, 0, c0);
    for (int s = 0; bg >= 0 && s < LT_GS_N; s++) {
        if (c0[s] <= 0.0)
            continue;
        lt_grid_fill(gr->grid, bg, s, c0[s]);
        for (int z = 0; z < gr->nzo; z++)
            if (z != cs->background_tag)
                lt_grid_fill(gr->zo[z], 0, s, c0[s]);
    }
    return LT_OK;
}

/* Adds group g's emission q[LT_GS_N] (ug/s) at column col, layer k, to the
 * tagged run and to every zero-out run that keeps the group's tag. */
static void emit(lt_gridrun *gr, int g, int col, int k, const double *q)
{
    lt_grid_emit(gr->grid, g, col, k, q);
    int tag = gr->cs->group_tag[g];
    for (int z = 0; z < gr->nzo; z++)
        if (z != tag)
            lt_grid_emit(gr->zo[z], 0, col, k, q);
}

/* The sum of a receptor-cell field f[ny][nx] over column col's cells (only
 * those of county cty when cell_county is given). */
static double column_sum(const lt_gridrun *gr, const double *f, size_t col, const int *cell_county, int cty)
{
    const int nx = gr->cs->cfg->nx;
    int ci = (int)(col % (size_t)gr->gnx), cj = (int)(col / (size_t)gr->gnx);
    double sum = 0.0;
    for (int j = cj * gr->c; j < (cj + 1) * gr->c; j++)
        for (int i = ci * gr->c; i < (ci + 1) * gr->c; i++) {
            size_t r = (size_t)j * nx + i;
            if (!cell_county || cell_county[r] == cty)
                sum += f[r];
        }
    return sum;
}

/* The gridded inventory of each group, height and species summed onto the
 * columns (ug/s), once per inventory month rather than every hour. */
static int gridded_columns(lt_gridrun *gr)
{
    const lt_case *cs = gr->cs;
    const lt_emisgrid *eg = cs->gridded;
    if (gr->gcol && gr->gcol_month == cs->grid_month && gr->gcol_nheights == eg->nheights)
        return 0;
    size_t n = (size_t)cs->grid_ngroups * (size_t)eg->nheights * LT_EG_NSPECIES * gr->ncol;
    double *a = realloc(gr->gcol, (n ? n : 1) * sizeof *a);
    if (!a)
        return -1;
    gr->gcol = a;
    gr->gcol_month = cs->grid_month;
    gr->gcol_nheights = eg->nheights;
    for (int gg = 0; gg < cs->grid_ngroups; gg++) {
        int ks = cs->grid_group_sector[gg], cty = cs->group_county[cs->grid_group0 + gg];
        for (int l = 0; l < eg->nheights; l++)
            for (int sp = 0; sp < LT_EG_NSPECIES; sp++) {
                const double *e = eg->emis[ks][l][sp];
                double *o = a + (((size_t)gg * eg->nheights + (size_t)l) * LT_EG_NSPECIES + (size_t)sp) * gr->ncol;
                for (size_t col = 0; col < gr->ncol; col++)
                    o[col] = e ? column_sum(gr, e, col, cs->cell_county, cty) : 0.0;
            }
    }
    return 0;
}

/* The hour's emissions of every source and gridded cell; -1: no memory. */
static int hour_emissions(lt_gridrun *gr, double t_s)
{
    lt_case *cs = gr->cs;
    const lt_config *cfg = cs->cfg;
    lt_grid_clear_emissions(gr->grid);
    for (int z = 0; z < gr->nzo; z++)
        lt_grid_clear_emissions(gr->zo[z]);
    const lt_sigma_curves *curves = lt_sigma_curves_find(cfg->curves);
    for (size_t i = 0; i < cs->npoints; i++) {
        if (gr->src_first[i] == gr->src_first[i + 1])
            continue;
        const lt_point *p = &cs->points[i];
        double q5[LT_Q_N], vel, temp, q[LT_GS_N] = {0};
        lt_case_source_rates(cs, i, t_s, q5, &vel, &temp);
        q[LT_GS_PPM] = q5[0];
        q[LT_GS_SO2] = q5[1];
        q[LT_GS_NOX] = q5[2];
        q[LT_GS_VOC] = q5[3];
        q[LT_GS_TNH3] = q5[4];
        double z_m = p->height_m;
        if (p->kind == LT_SRC_STACK) {
            /* effective height: stack-tip downwash and Briggs' final rise at
             * the hour's wind (at least the calm threshold; ISC3's 1 m/s
             * floor for the rise) */
            lt_met_point m;
            lt_met_sample(cs->met, p->lon, p->lat, &m);
            double speed = fmax(hypot(m.u10, m.v10), LT_CALM_MS);
            lt_pg_class cls = cfg->stability_turner
                                  ? lt_stability_turner(speed, lt_turner_nri(p->lon, p->lat, t_s + 1800.0, m.cloud))
                                  : lt_stability_golder(m.rmol, cfg->z0_m);
            double us = fmax(lt_stack_wind(cfg->stack_wind_profile, speed, cfg->wind_height_m, p->height_m, cls,
                                           curves->urban, cfg->z0_m, m.rmol, m.pblh),
                             1.0);
            lt_rise r;
            lt_rise_setup(&r, p->diameter_m, vel, temp, m.t2, us, cls);
            z_m = lt_stack_tip_downwash(p->height_m, p->diameter_m, vel, us) + r.dh_final;
        }
        int k = lt_grid_layer_of(gr->grid, z_m), g = cs->group_of_point[i];
        for (size_t c = gr->src_first[i]; c < gr->src_first[i + 1]; c++) {
            double qc[LT_GS_N];
            for (int s = 0; s < LT_GS_N; s++)
                qc[s] = q[s] * gr->cells[c].w;
            emit(gr, g, gr->cells[c].col, k, qc);
        }
    }
    const lt_emisgrid *eg = cs->gridded;
    if (!eg)
        return 0;
    if (gridded_columns(gr))
        return -1;
    static const int gs_of[LT_EG_NSPECIES] = {LT_GS_PPM, LT_GS_SO2, LT_GS_NOX, LT_GS_TNH3, LT_GS_VOC};
    for (int gg = 0; gg < cs->grid_ngroups; gg++) {
        int ks = cs->grid_group_sector[gg], gi = cs->grid_group0 + gg;
        double f = eg->monthly ? lt_profile_factor_in_month(&cs->profiles, ks, t_s)
                               : lt_profile_factor(&cs->profiles, ks, t_s);
        for (int l = 0; l < eg->nheights; l++) {
            int k = lt_grid_layer_of(gr->grid, eg->height_m[l]);
            const double *a = gr->gcol + ((size_t)gg * eg->nheights + (size_t)l) * LT_EG_NSPECIES * gr->ncol;
            for (size_t col = 0; col < gr->ncol; col++) {
                double q[LT_GS_N] = {0};
                int any = 0;
                for (int sp = 0; sp < LT_EG_NSPECIES; sp++) {
                    double sum = a[(size_t)sp * gr->ncol + col];
                    q[gs_of[sp]] += sum * f;
                    any |= sum > 0.0;
                }
                if (any)
                    emit(gr, gi, (int)col, k, q);
            }
        }
    }
    return 0;
}

/* Bilinear interpolation of field f[col] at receptor r. */
static double interp(const lt_gridrun *gr, const double *f, size_t r)
{
    size_t a = (size_t)gr->rj[r] * gr->gnx + gr->ri[r];
    double wx = gr->rwx[r], wy = gr->rwy[r];
    return (1.0 - wy) * ((1.0 - wx) * f[a] + wx * f[a + 1]) +
           wy * ((1.0 - wx) * f[a + gr->gnx] + wx * f[a + gr->gnx + 1]);
}

/* The hour's weather at every column. */
static void column_weather(lt_gridrun *gr, double t_s)
{
    const lt_case *cs = gr->cs;
    for (size_t col = 0; col < gr->ncol; col++) {
        lt_met_point m;
        lt_met_sample(cs->met, gr->col_lon[col], gr->col_lat[col], &m);
        double speed = hypot(m.u10, m.v10), ang = atan2(m.v10, m.u10) + gr->col_rot[col];
        lt_grid_met *gm = &gr->met[col];
        gm->u_ms = speed * cos(ang);
        gm->v_ms = speed * sin(ang);
        /* the winds aloft of the met file at the layers' midpoints, turned
         * into the grid's frame as the 10 m wind is */
        gm->aloft = m.aloft && cs->cfg->grid_winds_aloft;
        for (int k = 0; gm->aloft && k < cs->cfg->grid_nz; k++) {
            double zm = 0.5 * ((k ? cs->cfg->grid_top_m[k - 1] : 0.0) + cs->cfg->grid_top_m[k]), ue, ve;
            lt_met_wind_at(&m, cs->cfg->wind_height_m, zm, &ue, &ve);
            double sk = hypot(ue, ve), ak = atan2(ve, ue) + gr->col_rot[col];
            gm->ul[k] = sk * cos(ak);
            gm->vl[k] = sk * sin(ak);
        }
        gm->ust_ms = m.ust;
        gm->rmol_m1 = m.rmol;
        gm->pblh_m = m.pblh;
        gm->t2_K = m.t2;
        gm->rh_pct = m.rh;
        gm->rain_mmh = m.rain;
        gm->sun = sin(lt_solar_altitude(gr->col_lon[col], gr->col_lat[col], t_s + 1800.0) * PI / 180.0);
    }
}

/* Hybrid: each explicit group's plume, and the grid's part of the group
 * beyond the plume's own cell mean, into gconc. */
static int hybrid_add(lt_gridrun *gr, const double *pconc, int ncp, double *gconc, lt_error *err)
{
    const size_t ncol = gr->ncol, nrec = gr->nrec;
    const int ncomp = gr->ncomp;
    long np = (long)gr->cs->npoint_groups * ncp;
    double replaced = 0.0, count = 0.0;
    const double inv = 1.0 / ((double)gr->c * gr->c);
    lt_grid_nitrate_share(gr->grid, gr->fno3);
    int failed = 0;
#pragma omp parallel for schedule(static) reduction(+ : replaced, count) reduction(| : failed) \
    if ((double)np * 4.0 * (double)nrec >= LT_PAR_MIN_WORK)
    for (long pc = 0; pc < np; pc++) {
        int g = (int)(pc / ncp), c = (int)(pc % ncp);
        const double *p = pconc + (size_t)pc * nrec;
        double *avg = malloc(ncol * sizeof *avg);
        if (!avg) {
            failed |= 1;
            continue;
        }
        for (size_t col = 0; col < ncol; col++)
            avg[col] = column_sum(gr, p, col, NULL, 0) * inv;
        /* the plume counts all its HNO3 as nitrate: it takes the grid's
         * particulate share of the column, as the grid's own nitrate */
        int no3 = ncp > 1 && c == LT_COMP_NO3;
        double *o = gconc + ((size_t)g * ncomp + (size_t)c) * nrec;
        for (size_t r = 0; r < nrec; r++) {
            double f = no3 ? interp(gr, gr->fno3, r) : 1.0;
            double extra = o[r] - f * interp(gr, avg, r);
            if (p[r] > 0.0 || o[r] > 0.0) {
                count += 1.0;
                replaced += extra < 0.0;
            }
            o[r] = f * p[r] + (extra > 0.0 ? extra : 0.0);
        }
        free(avg);
    }
    if (failed)
        return lt_error_set(err, LT_ENOMEM, "out of memory in the hybrid");
    gr->clipped += replaced;
    gr->total_hybrid += count;
    return LT_OK;
}

/* The zero-out runs stepped, and the tagged grid at the stations per tag
 * (sums of components) beside them. */
static int zero_out_step(lt_gridrun *gr, lt_error *err)
{
    const lt_case *cs = gr->cs;
    const size_t ncol = gr->ncol, nst = cs->nstations, nst1 = nst ? nst : 1;
    const int ncomp = gr->ncomp;
    memset(gr->tag_st, 0, (size_t)(cs->ntags + 1) * nst1 * sizeof *gr->tag_st);
    for (int g = 0; g < cs->ngroups; g++)
        for (int c = 0; c < ncomp; c++) {
            const double *f = gr->mean + ((size_t)g * LT_NCOMP_GRID + (size_t)c) * ncol;
            for (size_t k = 0; k < nst; k++)
                gr->tag_st[(size_t)cs->group_tag[g] * nst1 + k] += interp(gr, f, gr->ngrid + k);
        }
    for (int z = 0; z < gr->nzo; z++) {
        int nz = lt_grid_hour(gr->zo[z], gr->met, gr->zo_mean, err);
        if (nz < 0)
            return err->code ? err->code : LT_ENOMEM;
        for (size_t k = 0; k < nst; k++) {
            double v = 0.0;
            for (int c = 0; c < ncomp; c++)
                v += interp(gr, gr->zo_mean + (size_t)c * ncol, gr->ngrid + k);
            gr->zo_st[(size_t)z * nst1 + k] = v;
        }
    }
    /* the untagged run against the tags' sum */
    for (size_t k = 0; k < nst; k++) {
        double s = 0.0, all = gr->zo_st[(size_t)(gr->nzo - 1) * nst1 + k];
        for (int tag = 0; tag < cs->ntags; tag++)
            s += gr->tag_st[(size_t)tag * nst1 + k];
        if (all > 0.0)
            gr->tag_sum_error = fmax(gr->tag_sum_error, fabs(s - all) / all);
    }
    return LT_OK;
}

int lt_gridrun_hour(lt_gridrun *gr, int h, const double *pconc, int ncp, int zero_out,
                    double *gconc, lt_error *err)
{
    lt_case *cs = gr->cs;
    double t0 = now_s(), t_s = cs->cfg->start_s + 3600.0 * h;
    column_weather(gr, t_s);
    int bg = boundary_group(cs);
    double cb[LT_GS_N];
    boundary_species(cs, h, cb);
    for (int s = 0; bg >= 0 && s < LT_GS_N; s++) {
        lt_grid_set_inflow(gr->grid, bg, s, cb[s]);
        for (int z = 0; z < gr->nzo; z++)
            lt_grid_set_inflow(gr->zo[z], 0, s, z == cs->background_tag ? 0.0 : cb[s]);
    }
    if (hour_emissions(gr, t_s))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the grid model's gridded emissions");
    int n = lt_grid_hour(gr->grid, gr->met, gr->mean, err);
    if (n < 0)
        return err->code ? err->code : LT_ENOMEM;
    gr->steps += n;
    const size_t ncol = gr->ncol, nrec = gr->nrec;
    const int ncomp = gr->ncomp;
    /* the grid at the receptors */
    long nplanes = (long)cs->ngroups * ncomp;
#pragma omp parallel for schedule(static) if ((double)nplanes * 2.0 * (double)nrec >= LT_PAR_MIN_WORK)
    for (long pc = 0; pc < nplanes; pc++) {
        int g = (int)(pc / ncomp), c = (int)(pc % ncomp);
        const double *f = gr->mean + ((size_t)g * LT_NCOMP_GRID + (size_t)c) * ncol;
        double *o = gconc + (size_t)pc * nrec;
        for (size_t r = 0; r < nrec; r++)
            o[r] = interp(gr, f, r);
    }
    int rc = LT_OK;
    if (pconc && (rc = hybrid_add(gr, pconc, ncp, gconc, err)))
        return rc;
    if (gr->nzo && zero_out && (rc = zero_out_step(gr, err)))
        return rc;
    gr->seconds += now_s() - t0;
    return LT_OK;
}

void lt_gridrun_zero_out(const lt_gridrun *gr, double *st, double *tagged, double *total)
{
    const lt_case *cs = gr->cs;
    size_t nst = cs->nstations, nst1 = nst ? nst : 1;
    const double *all = gr->zo_st + (size_t)(gr->nzo - 1) * nst1;
    for (size_t k = 0; k < nst; k++)
        total[k] = all[k];
    for (int tag = 0; tag < cs->ntags; tag++)
        for (size_t k = 0; k < nst; k++) {
            st[(size_t)tag * nst + k] = all[k] - gr->zo_st[(size_t)tag * nst1 + k];
            tagged[(size_t)tag * nst + k] = gr->tag_st[(size_t)tag * nst1 + k];
        }
}

void lt_gridrun_stats_get(const lt_gridrun *gr, lt_grid_stats *st)
{
    memset(st, 0, sizeof *st);
    st->nx = gr->gnx;
    st->ny = gr->gny;
    st->nz = gr->cs->cfg->grid_nz;
    st->dx_m = gr->cdx_m;
    st->ntags = gr->cs->ngroups;
    lt_grid_budget(gr->grid, st->budget);
    for (int s = 0; s < LT_GS_N; s++)
        st->worst_residual = fmax(st->worst_residual, fabs(lt_grid_budget_residual(st->budget, s)));
    st->steps = gr->steps;
    st->updates = lt_grid_updates(gr->grid);
    st->seconds = gr->seconds;
    st->sources_outside = gr->sources_outside;
    st->clipped_share = gr->total_hybrid > 0.0 ? gr->clipped / gr->total_hybrid : 0.0;
    st->tag_sum_error = gr->tag_sum_error;
}

void lt_gridrun_state(lt_gridrun *gr, lt_state *st)
{
    lt_grid_state(gr->grid, st);
    for (int z = 0; z < gr->nzo; z++)
        lt_grid_state(gr->zo[z], st);
    lt_state_add(st, "gridrun_steps", &gr->steps, sizeof gr->steps);
    lt_state_add(st, "gridrun_seconds", &gr->seconds, sizeof gr->seconds);
    lt_state_add(st, "gridrun_clipped", &gr->clipped, sizeof gr->clipped);
    lt_state_add(st, "gridrun_total_hybrid", &gr->total_hybrid, sizeof gr->total_hybrid);
    lt_state_add(st, "gridrun_tag_sum_error", &gr->tag_sum_error, sizeof gr->tag_sum_error);
}
