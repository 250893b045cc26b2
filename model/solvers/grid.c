/* grid.c — the Eulerian grid model with tags (see grid.h). */
#include "solvers/grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/lt_par.h"
#include "solvers/advect.h"
#include "physics/aerosol.h"
#include "physics/kmodel.h"
#include "solvers/vdiff.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* n items of `per` operations each: worth a parallel region (core/lt_par.h) */
#define PAR_WORK(n, per) ((double)(n) * (double)(per) >= LT_PAR_MIN_WORK)

const char *const lt_grid_species_names[LT_GS_N] = {"pm25_primary", "so2", "so4", "nox", "total_nitrate",
                                                    "total_ammonia", "voc", "soa"};
const char *const lt_grid_budget_names[LT_GB_N] = {"initial", "emitted", "inflow", "outflow",
                                                   "chemistry", "dry_deposition", "wet_deposition",
                                                   "final"};

#define UG_TO_KG 1e-9

struct lt_grid {
    lt_grid_spec sp;
    int nx, ny, nz, nsp;
    int ntags;                    /* the caller's tags */
    int nt;                       /* carried: the tags and, with more than one, their bulk */
    int bulk;                     /* the tag that holds every emission (nt - 1) */
    size_t ncol, ncell, nplane;   /* nplane = nt * nsp * nz */
    double dz[LT_GRID_MAX_LAYERS], zmid[LT_GRID_MAX_LAYERS];
    double *c;                    /* [tag][species][layer][col], ug m-3 */
    double *e;                    /* emissions of the hour, same layout, ug/s */
    double *inflow;               /* [tag][species], ug m-3 (bulk: the tags' sum) */
    unsigned char *active;        /* [tag][species]: may be non-zero */
    double *fno3, *fnh4;          /* [layer][col]: particulate share of the totals */
    double *uf, *vf;              /* [layer] face winds: [ny][nx+1] and [ny+1][nx] */
    double *kz;                   /* [col][nz-1] interface diffusivities */
    double *conv;                 /* [col][3] SO2, NOx, VOC conversion rates, s-1 */
    double *plane_in, *plane_out; /* [plane] advection budget of one step */
    double *col_dep;              /* [col][species] dry deposition of one step, ug m-2 */
    double *cell_chem, *cell_wet; /* [cell][species] of one step, ug m-3 */
    double budget[LT_GS_N][LT_GB_N];
    double updates;
};

void lt_grid_spec_defaults(lt_grid_spec *s)
{
    static const double tops[8] = {50, 150, 300, 500, 800, 1200, 1800, 3000};
    memset(s, 0, sizeof *s);
    s->nz = 8;
    for (int k = 0; k < 8; k++)
        s->top_m[k] = tops[k];
    s->ntags = 1;
    s->chemistry = 1;
    lt_chem_defaults(&s->chem);
    s->kz_min = 0.5;
    s->z0_m = 0.3;
    s->cfl = 0.9;
}

int lt_grid_create(lt_grid **out, const lt_grid_spec *spec, lt_error *err)
{
    *out = NULL;
    if (spec->nx < 2 || spec->ny < 2 || !(spec->dx_m > 0.0) || spec->nz < 1 ||
        spec->nz > LT_GRID_MAX_LAYERS || spec->ntags < 1 || !(spec->cfl > 0.0 && spec->cfl <= 1.0))
        return lt_error_set(err, LT_EINPUT,
                            "grid model: %d x %d columns of %g m, %d layers, %d tags, cfl %g: expected at least "
                            "2 x 2 columns, 1 to %d layers, 1 tag or more and 0 < cfl <= 1",
                            spec->nx, spec->ny, spec->dx_m, spec->nz, spec->ntags, spec->cfl,
                            LT_GRID_MAX_LAYERS);
    for (int k = 0; k < spec->nz; k++)
        if (!(spec->top_m[k] > (k ? spec->top_m[k - 1] : 0.0)))
            return lt_error_set(err, LT_EINPUT, "grid model: layer top %d is %g m: expected heights above 0 that increase",
                                k + 1, spec->top_m[k]);
    lt_grid *g = calloc(1, sizeof *g);
    if (!g)
        return lt_error_set(err, LT_ENOMEM, "out of memory for the grid model");
    g->sp = *spec;
    g->nx = spec->nx;
    g->ny = spec->ny;
    g->nz = spec->nz;
    g->nsp = spec->chemistry ? LT_GS_N : 1;
    g->ntags = spec->ntags;
    g->nt = g->ntags > 1 ? g->ntags + 1 : 1;
    g->bulk = g->nt - 1;
    g->ncol = (size_t)g->nx * (size_t)g->ny;
    g->ncell = g->ncol * (size_t)g->nz;
    g->nplane = (size_t)g->nt * (size_t)g->nsp * (size_t)g->nz;
    for (int k = 0; k < g->nz; k++) {
        double bot = k ? spec->top_m[k - 1] : 0.0;
        g->dz[k] = spec->top_m[k] - bot;
        g->zmid[k] = 0.5 * (spec->top_m[k] + bot);
    }
    size_t n = g->nplane * g->ncol;
    g->c = calloc(n, sizeof *g->c);
    g->e = calloc(n, sizeof *g->e);
    g->inflow = calloc((size_t)g->nt * g->nsp, sizeof *g->inflow);
    g->active = calloc((size_t)g->nt * g->nsp, 1);
    g->fno3 = calloc(g->ncell, sizeof *g->fno3);
    g->fnh4 = calloc(g->ncell, sizeof *g->fnh4);
    g->uf = malloc((size_t)g->nz * (size_t)g->ny * (size_t)(g->nx + 1) * sizeof *g->uf);
    g->vf = malloc((size_t)g->nz * (size_t)(g->ny + 1) * (size_t)g->nx * sizeof *g->vf);
    g->kz = malloc(g->ncol * (size_t)g->nz * sizeof *g->kz);
    g->conv = calloc(g->ncol * 3, sizeof *g->conv);
    g->plane_in = malloc(g->nplane * sizeof *g->plane_in);
    g->plane_out = malloc(g->nplane * sizeof *g->plane_out);
    g->col_dep = malloc(g->ncol * LT_GS_N * sizeof *g->col_dep);
    g->cell_chem = malloc(g->ncell * LT_GS_N * sizeof *g->cell_chem);
    g->cell_wet = malloc(g->ncell * LT_GS_N * sizeof *g->cell_wet);
    if (!g->c || !g->e || !g->inflow || !g->active || !g->fno3 || !g->fnh4 || !g->uf || !g->vf ||
        !g->kz || !g->conv || !g->plane_in || !g->plane_out || !g->col_dep || !g->cell_chem ||
        !g->cell_wet) {
        size_t ncol = g->ncol;
        lt_grid_free(&g);
        return lt_error_set(err, LT_ENOMEM,
                            "out of memory for the grid model: %zu columns x %d layers x %d species x %d tags",
                            ncol, spec->nz, spec->chemistry ? LT_GS_N : 1, spec->ntags);
    }
    *out = g;
    return LT_OK;
}

void lt_grid_free(lt_grid **gp)
{
    lt_grid *g = gp ? *gp : NULL;
    if (!g)
        return;
    free(g->c);
    free(g->e);
    free(g->inflow);
    free(g->active);
    free(g->fno3);
    free(g->fnh4);
    free(g->uf);
    free(g->vf);
    free(g->kz);
    free(g->conv);
    free(g->plane_in);
    free(g->plane_out);
    free(g->col_dep);
    free(g->cell_chem);
    free(g->cell_wet);
    free(g);
    *gp = NULL;
}

int lt_grid_layer_of(const lt_grid *g, double z_m)
{
    for (int k = 0; k < g->nz; k++)
        if (z_m <= g->sp.top_m[k])
            return k;
    return g->nz - 1;
}

void lt_grid_clear_emissions(lt_grid *g)
{
    memset(g->e, 0, g->nplane * g->ncol * sizeof *g->e);
}

/* The product each precursor turns into (-1: none). */
static int product_of(int s)
{
    return s == LT_GS_SO2 ? LT_GS_SO4 : s == LT_GS_NOX ? LT_GS_TNO3 : s == LT_GS_VOC ? LT_GS_SOA : -1;
}

static void activate(lt_grid *g, int tag, int s)
{
    int p = product_of(s);
    for (int t = tag;; t = g->bulk) {
        g->active[(size_t)t * g->nsp + s] = 1;
        if (p >= 0)
            g->active[(size_t)t * g->nsp + p] = 1;
        if (t == g->bulk)
            break;
    }
}

static double *plane(const lt_grid *g, int tag, int s, int k)
{
    return g->c + (((size_t)tag * g->nsp + s) * g->nz + k) * g->ncol;
}

void lt_grid_emit(lt_grid *g, int tag, int col, int k, const double *q_ugs)
{
    for (int s = 0; s < g->nsp; s++)
        if (q_ugs[s] > 0.0) {
            g->e[(((size_t)tag * g->nsp + s) * g->nz + k) * g->ncol + col] += q_ugs[s];
            if (tag != g->bulk)
                g->e[(((size_t)g->bulk * g->nsp + s) * g->nz + k) * g->ncol + col] += q_ugs[s];
            activate(g, tag, s);
        }
}

void lt_grid_set_inflow(lt_grid *g, int tag, int s, double c_ugm3)
{
    if (s >= g->nsp)
        return;
    g->inflow[(size_t)tag * g->nsp + s] = c_ugm3;
    if (g->nt > 1) {
        double sum = 0.0;
        for (int t = 0; t < g->ntags; t++)
            sum += g->inflow[(size_t)t * g->nsp + s];
        g->inflow[(size_t)g->bulk * g->nsp + s] = sum;
    }
    if (c_ugm3 > 0.0)
        activate(g, tag, s);
}

void lt_grid_fill(lt_grid *g, int tag, int s, double c_ugm3)
{
    if (s >= g->nsp)
        return;
    double area = g->sp.dx_m * g->sp.dx_m;
    for (int k = 0; k < g->nz; k++) {
        double *q = plane(g, tag, s, k), before = 0.0;
        for (size_t i = 0; i < g->ncol; i++) {
            before += q[i];
            q[i] = c_ugm3;
        }
        g->budget[s][LT_GB_INITIAL] += ((double)g->ncol * c_ugm3 - before) * area * g->dz[k] * UG_TO_KG;
        if (g->nt > 1) {
            double *b = plane(g, g->bulk, s, k);
            for (size_t i = 0; i < g->ncol; i++) {
                double sum = 0.0;
                for (int t = 0; t < g->ntags; t++)
                    sum += plane(g, t, s, k)[i];
                b[i] = sum;
            }
        }
    }
    if (c_ugm3 > 0.0)
        activate(g, tag, s);
}

/* The hour's winds per layer on the faces, diffusivities and conversion
 * rates per column; returns the largest Courant number over an hour. */
static double hour_setup(lt_grid *g, const lt_grid_met *met)
{
    const int nx = g->nx, ny = g->ny, nz = g->nz;
    double *cu = malloc(g->ncol * 2 * sizeof *cu); /* one layer's column winds */
    if (!cu)
        return -1.0;
    double *cv = cu + g->ncol, cmax = 0.0;
    for (int k = 0; k < nz; k++) {
        for (size_t col = 0; col < g->ncol; col++) {
            const lt_grid_met *m = &met[col];
            double sp10 = hypot(m->u_ms, m->v_ms), f = 0.0;
            if (g->sp.kz_const > 0.0) {
                f = 1.0; /* the analytical tests: the same wind at every height */
            } else if (m->aloft) {
                cu[col] = m->ul[k]; /* the met file's wind of the layer */
                cv[col] = m->vl[k];
                continue;
            } else if (sp10 > 1e-6) {
                /* the similarity profile through the 10 m wind, held above zi
                 * and at most 4 times the 10 m wind (no jet aloft) */
                lt_kmodel_met km = {sp10, 10.0, m->ust_ms > 0.01 ? m->ust_ms : 0.01, m->rmol_m1,
                                    m->pblh_m > 50.0 ? m->pblh_m : 50.0, g->sp.z0_m};
                double z = g->zmid[k] < km.zi_m ? g->zmid[k] : km.zi_m;
                f = lt_kmodel_wind(&km, z) / sp10;
                f = isfinite(f) ? fmin(fmax(f, 0.0), 4.0) : 1.0;
            }
            cu[col] = f * m->u_ms;
            cv[col] = f * m->v_ms;
        }
        double *u = g->uf + (size_t)k * ny * (nx + 1), *v = g->vf + (size_t)k * (ny + 1) * nx;
        for (int j = 0; j < ny; j++)
            for (int i = 0; i <= nx; i++) {
                size_t w = (size_t)j * nx + (size_t)(i ? i - 1 : 0), e = (size_t)j * nx + (size_t)(i < nx ? i : nx - 1);
                double val = 0.5 * (cu[w] + cu[e]);
                u[(size_t)j * (nx + 1) + i] = val;
                cmax = fmax(cmax, fabs(val) * 3600.0 / g->sp.dx_m);
            }
        for (int j = 0; j <= ny; j++)
            for (int i = 0; i < nx; i++) {
                size_t s = (size_t)(j ? j - 1 : 0) * nx + i, n = (size_t)(j < ny ? j : ny - 1) * nx + i;
                double val = 0.5 * (cv[s] + cv[n]);
                v[(size_t)j * nx + i] = val;
                cmax = fmax(cmax, fabs(val) * 3600.0 / g->sp.dx_m);
            }
    }
    free(cu);
    for (size_t col = 0; col < g->ncol; col++) {
        const lt_grid_met *m = &met[col];
        lt_kmodel_met km = {1.0, 10.0, m->ust_ms > 0.01 ? m->ust_ms : 0.01, m->rmol_m1,
                            m->pblh_m > 50.0 ? m->pblh_m : 50.0, g->sp.z0_m};
        for (int k = 0; k + 1 < nz; k++)
            g->kz[col * nz + k] = g->sp.kz_const > 0.0 ? g->sp.kz_const
                                                       : lt_kmodel_k(&km, g->sp.top_m[k]) + g->sp.kz_min;
        lt_chem_rates r;
        lt_chem_rates_at(&g->sp.chem, m->sun, m->rh_pct, 0.0, km.zi_m, &r);
        for (int i = 0; i < 3; i++)
            g->conv[col * 3 + i] = g->sp.chemistry ? r.conv[i] : 0.0;
    }
    return cmax;
}

/* The particulate shares of total nitrate and total ammonia in every cell. */
static void partition(lt_grid *g, const lt_grid_met *met)
{
    if (!g->sp.chemistry)
        return;
    const size_t ncol = g->ncol;
    long ncell = (long)g->ncell;
#pragma omp parallel for schedule(static) if (PAR_WORK(ncell, 50.0 * g->nt))
    for (long cell = 0; cell < ncell; cell++) {
        int k = (int)(cell / (long)ncol);
        size_t col = (size_t)cell % ncol;
        double so4 = plane(g, g->bulk, LT_GS_SO4, k)[col];
        double tnh3 = plane(g, g->bulk, LT_GS_TNH3, k)[col];
        double tno3 = plane(g, g->bulk, LT_GS_TNO3, k)[col];
        double fn = 0.0, fa = 0.0;
        if (tno3 > 0.0 || tnh3 > 0.0) {
            const lt_grid_met *m = &met[col];
            /* the layer's temperature from the standard lapse rate, pressure
             * from a scale height of 8.4 km */
            double T = m->t2_K - 0.0065 * g->zmid[k];
            double rh = isfinite(m->rh_pct) ? m->rh_pct : LT_AEROSOL_RH_MIN;
            double soa = plane(g, g->bulk, LT_GS_SOA, k)[col];
            double worg = lt_org_water(soa, LT_ORG_KAPPA, LT_ORG_RHO, rh);
            lt_inorganic r;
            lt_inorganic_equilibrium(so4, tnh3, tno3 * LT_MW_HNO3 / LT_MW_NO3, worg, T, rh,
                                     101325.0 * exp(-g->zmid[k] / 8400.0), g->sp.chem.partition, &r);
            fn = tno3 > 0.0 ? fmin(fmax(r.no3 / tno3, 0.0), 1.0) : 0.0;
            fa = tnh3 > 0.0 ? fmin(fmax(r.nh4 * LT_MW_NH3 / LT_MW_NH4 / tnh3, 0.0), 1.0) : 0.0;
        }
        g->fno3[cell] = fn;
        g->fnh4[cell] = fa;
    }
}

/* Dry deposition velocity and scavenging coefficient of species s in a cell
 * whose particulate shares are fn (nitrate) and fa (ammonia). */
static void removal(const lt_chem_params *p, int s, double fn, double fa, double *vd, double *wet)
{
    switch (s) {
    case LT_GS_SO2:
        *vd = p->vd_so2;
        *wet = p->wet_so2;
        break;
    case LT_GS_NOX:
        *vd = p->vd_nox;
        *wet = p->wet_nox;
        break;
    case LT_GS_VOC:
        *vd = p->vd_voc;
        *wet = p->wet_voc;
        break;
    case LT_GS_TNO3:
        *vd = fn * p->vd_pm + (1.0 - fn) * p->vd_hno3;
        *wet = fn * p->wet_pm + (1.0 - fn) * p->wet_hno3;
        break;
    case LT_GS_TNH3:
        *vd = fa * p->vd_pm + (1.0 - fa) * p->vd_nh3;
        *wet = fa * p->wet_pm + (1.0 - fa) * p->wet_nh3;
        break;
    default: /* primary PM2.5, sulfate, SOA */
        *vd = p->vd_pm;
        *wet = p->wet_pm;
    }
}

/* The limiter makes advection nonlinear: the tags, advected one by one, no
 * longer sum exactly to the bulk advected as a whole. As CAMx PSAT and
 * CMAQ-ISAM do, each cell's tags are scaled to the bulk after advection; the
 * bulk is what an untagged run computes, and its budget is the model's. */
static void renormalise(lt_grid *g)
{
    const size_t ncol = g->ncol;
    long n = (long)((size_t)g->nsp * g->nz * ncol);
#pragma omp parallel for schedule(static) if (PAR_WORK(n, 2.0 * g->nt))
    for (long i = 0; i < n; i++) {
        int s = (int)(i / (long)(g->nz * ncol));
        int k = (int)(i / (long)ncol % g->nz);
        size_t col = (size_t)i % ncol;
        if (!g->active[(size_t)g->bulk * g->nsp + s])
            continue;
        double sum = 0.0;
        for (int t = 0; t < g->ntags; t++)
            sum += plane(g, t, s, k)[col];
        if (!(sum > 0.0))
            continue;
        double f = plane(g, g->bulk, s, k)[col] / sum;
        for (int t = 0; t < g->ntags; t++)
            plane(g, t, s, k)[col] *= f;
    }
}

/* Horizontal diffusion of the nx x ny plane q over dt at diffusivity kh in
 * columns dx wide: explicit five-point substeps of r = kh dt' / dx^2 <= 1/4,
 * a missing neighbour at the domain's edge taken as the cell itself (no flux
 * through the edge). Each substep is a convex combination of a cell and its
 * neighbours, so it is monotone and keeps the plane's sum to round-off. tmp
 * holds nx ny doubles. */
static void diffuse_plane(double *q, int nx, int ny, double kh, double dx, double dt, double *tmp)
{
    double rtot = kh * dt / (dx * dx);
    int nsub = (int)ceil(rtot / 0.25);
    double r = rtot / nsub;
    for (int n = 0; n < nsub; n++) {
        memcpy(tmp, q, (size_t)nx * ny * sizeof *q);
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) {
                const double *c = tmp + (size_t)j * nx + i;
                double w = i > 0 ? c[-1] : c[0], e = i < nx - 1 ? c[1] : c[0];
                double s = j > 0 ? c[-nx] : c[0], no = j < ny - 1 ? c[nx] : c[0];
                q[(size_t)j * nx + i] = c[0] + r * (w + e + s + no - 4.0 * c[0]);
            }
    }
}

/* Emissions, advection and horizontal diffusion over dt, plane by plane,
 * with each plane's inflow and outflow and their budget; -1 when out of
 * memory. */
static int transport(lt_grid *g, double dt)
{
    const int nz = g->nz, nsp = g->nsp;
    const size_t ncol = g->ncol;
    const double area = g->sp.dx_m * g->sp.dx_m;
    long np = (long)g->nplane;
    int failed = 0;
#pragma omp parallel for schedule(dynamic) reduction(| : failed) if (PAR_WORK(np, 30.0 * ncol))
    for (long p = 0; p < np; p++) {
        int k = (int)(p % nz), s = (int)(p / nz % nsp), t = (int)(p / nz / nsp);
        g->plane_in[p] = g->plane_out[p] = 0.0;
        if (!g->active[(size_t)t * nsp + s])
            continue;
        double *q = g->c + (size_t)p * ncol;
        const double *e = g->e + (size_t)p * ncol;
        double f = dt / (area * g->dz[k]);
        for (size_t i = 0; i < ncol; i++)
            q[i] += e[i] * f;
        double in = 0.0, out = 0.0;
        if (lt_advect_2d_io(q, g->nx, g->ny, g->uf + (size_t)k * g->ny * (g->nx + 1),
                            g->vf + (size_t)k * (g->ny + 1) * g->nx, g->sp.dx_m, g->sp.dx_m, dt, 1.0,
                            g->inflow[(size_t)t * nsp + s], &in, &out) < 0)
            failed |= 1;
        g->plane_in[p] = in * g->dz[k];
        g->plane_out[p] = out * g->dz[k];
        if (g->sp.kh_m2s > 0.0) {
            double *tmp = malloc(ncol * sizeof *tmp);
            if (!tmp)
                failed |= 1;
            else
                diffuse_plane(q, g->nx, g->ny, g->sp.kh_m2s, g->sp.dx_m, dt, tmp);
            free(tmp);
        }
    }
    if (failed)
        return -1;
    /* the budget's emitted, inflow and outflow terms (the bulk's planes) */
    for (long p = 0; p < np; p++) {
        int s = (int)(p / nz % nsp), t = (int)(p / nz / nsp);
        if (!g->active[(size_t)t * nsp + s])
            continue;
        g->updates += (double)ncol;
        if (t != g->bulk)
            continue;
        double emitted = 0.0;
        const double *e = g->e + (size_t)p * ncol;
        for (size_t i = 0; i < ncol; i++)
            emitted += e[i];
        g->budget[s][LT_GB_EMITTED] += emitted * dt * UG_TO_KG;
        g->budget[s][LT_GB_INFLOW] += g->plane_in[p] * UG_TO_KG;
        g->budget[s][LT_GB_OUTFLOW] += g->plane_out[p] * UG_TO_KG;
    }
    return 0;
}

/* One step of dt: every process of grid.h but the partition. */
static int step(lt_grid *g, const lt_grid_met *met, double dt)
{
    const int nz = g->nz, nsp = g->nsp, nt = g->nt;
    const size_t ncol = g->ncol;
    const double area = g->sp.dx_m * g->sp.dx_m;
    if (transport(g, dt))
        return -1;
    if (nt > 1)
        renormalise(g);
    /* the particulate shares decide the removal of the totals */
    partition(g, met);
    /* vertical diffusion and dry deposition, column by column */
    long nc = (long)ncol;
#pragma omp parallel for schedule(static) if (PAR_WORK(nc, 20.0 * nz * nsp * nt))
    for (long col = 0; col < nc; col++) {
        double buf[LT_GRID_MAX_LAYERS], work[4 * LT_GRID_MAX_LAYERS];
        const double *kz = g->kz + (size_t)col * nz;
        double *dep = g->col_dep + (size_t)col * LT_GS_N;
        for (int s = 0; s < LT_GS_N; s++)
            dep[s] = 0.0;
        for (int t = 0; t < nt; t++)
            for (int s = 0; s < nsp; s++) {
                if (!g->active[(size_t)t * nsp + s])
                    continue;
                double vd, wet;
                removal(&g->sp.chem, s, g->fno3[col], g->fnh4[col], &vd, &wet);
                for (int k = 0; k < nz; k++)
                    buf[k] = plane(g, t, s, k)[col];
                double d = lt_vdiff_step(buf, nz, g->dz, kz, vd, dt, 1.0, work);
                if (t == g->bulk)
                    dep[s] += d;
                for (int k = 0; k < nz; k++)
                    plane(g, t, s, k)[col] = buf[k];
            }
    }
    for (size_t col = 0; col < ncol; col++)
        for (int s = 0; s < nsp; s++)
            g->budget[s][LT_GB_DRY] += g->col_dep[col * LT_GS_N + s] * area * UG_TO_KG;
    /* chemistry and wet removal, cell by cell */
    static const double ratio_fixed[2] = {LT_MW_SO4_PER_SO2, LT_MW_NO3_PER_NO2};
    static const int prec[3] = {LT_GS_SO2, LT_GS_NOX, LT_GS_VOC};
    long ncell = (long)g->ncell;
#pragma omp parallel for schedule(static) if (PAR_WORK(ncell, 50.0 * g->nt))
    for (long cell = 0; cell < ncell; cell++) {
        int k = (int)(cell / (long)ncol);
        size_t col = (size_t)cell % ncol;
        const lt_grid_met *m = &met[col];
        double *chem = g->cell_chem + (size_t)cell * LT_GS_N, *wetl = g->cell_wet + (size_t)cell * LT_GS_N;
        for (int s = 0; s < LT_GS_N; s++)
            chem[s] = wetl[s] = 0.0;
        double keep[3], wf[LT_GS_N];
        for (int i = 0; i < 3; i++)
            keep[i] = exp(-g->conv[col * 3 + i] * dt);
        double rain = m->rain_mmh > 0.0 ? m->rain_mmh : 0.0;
        for (int s = 0; s < nsp; s++) {
            double vd, wet;
            removal(&g->sp.chem, s, g->fno3[cell], g->fnh4[cell], &vd, &wet);
            wf[s] = exp(-wet * rain * dt);
        }
        for (int t = 0; t < nt; t++) {
            if (g->sp.chemistry)
                for (int i = 0; i < 3; i++) {
                    int s = prec[i], pr = product_of(s);
                    if (!g->active[(size_t)t * nsp + s])
                        continue;
                    double *a = plane(g, t, s, k) + col, *b = plane(g, t, pr, k) + col;
                    double d = *a * (1.0 - keep[i]);
                    double r = i < 2 ? ratio_fixed[i] : g->sp.chem.soa_yield;
                    *a -= d;
                    *b += r * d;
                    if (t == g->bulk) {
                        chem[s] -= d;
                        chem[pr] += r * d;
                    }
                }
            if (rain > 0.0)
                for (int s = 0; s < nsp; s++) {
                    if (!g->active[(size_t)t * nsp + s])
                        continue;
                    double *a = plane(g, t, s, k) + col;
                    double d = *a * (1.0 - wf[s]);
                    *a -= d;
                    if (t == g->bulk)
                        wetl[s] += d;
                }
        }
    }
    for (size_t cell = 0; cell < g->ncell; cell++) {
        double vol = area * g->dz[cell / ncol] * UG_TO_KG;
        for (int s = 0; s < nsp; s++) {
            g->budget[s][LT_GB_CHEM] += g->cell_chem[cell * LT_GS_N + s] * vol;
            g->budget[s][LT_GB_WET] += g->cell_wet[cell * LT_GS_N + s] * vol;
        }
    }
    return 0;
}

int lt_grid_hour(lt_grid *g, const lt_grid_met *met, double *mean, lt_error *err)
{
    double cmax = hour_setup(g, met);
    if (cmax < 0.0)
        return lt_error_set(err, LT_ENOMEM, "out of memory in the grid model"), -1;
    int nstep = cmax > g->sp.cfl ? (int)ceil(cmax / g->sp.cfl) : 1;
    double dt = 3600.0 / nstep, w = 1.0 / nstep;
    const size_t ncol = g->ncol;
    memset(mean, 0, (size_t)g->ntags * LT_NCOMP_GRID * ncol * sizeof *mean);
    for (int n = 0; n < nstep; n++) {
        if (step(g, met, dt))
            return lt_error_set(err, LT_ENOMEM, "out of memory in the grid model's advection"), -1;
        partition(g, met);
        /* the lowest layer's components, averaged over the hour's steps */
        long nt = (long)g->ntags;
#pragma omp parallel for schedule(static) if (PAR_WORK(nt, (double)LT_NCOMP_GRID * ncol))
        for (long t = 0; t < nt; t++) {
            double *o = mean + (size_t)t * LT_NCOMP_GRID * ncol;
            const double *ppm = plane(g, (int)t, LT_GS_PPM, 0);
            for (size_t i = 0; i < ncol; i++)
                o[i] += w * ppm[i];
            if (!g->sp.chemistry)
                continue;
            const double *so4 = plane(g, (int)t, LT_GS_SO4, 0), *tno3 = plane(g, (int)t, LT_GS_TNO3, 0);
            const double *soa = plane(g, (int)t, LT_GS_SOA, 0), *tnh3 = plane(g, (int)t, LT_GS_TNH3, 0);
            for (size_t i = 0; i < ncol; i++) {
                o[LT_COMP_SO4 * ncol + i] += w * so4[i];
                o[LT_COMP_NO3 * ncol + i] += w * g->fno3[i] * tno3[i];
                o[LT_COMP_SOA * ncol + i] += w * soa[i];
                o[LT_COMP_NH4 * ncol + i] += w * g->fnh4[i] * tnh3[i] * (LT_MW_NH4 / LT_MW_NH3);
            }
        }
    }
    return nstep;
}

void lt_grid_nitrate_share(const lt_grid *g, double *share)
{
    memcpy(share, g->fno3, g->ncol * sizeof *share); /* layer 0 comes first */
}

void lt_grid_budget(const lt_grid *g, double *b)
{
    double area = g->sp.dx_m * g->sp.dx_m;
    for (int s = 0; s < LT_GS_N; s++) {
        for (int t = 0; t < LT_GB_N; t++)
            b[s * LT_GB_N + t] = s < g->nsp ? g->budget[s][t] : 0.0;
        if (s >= g->nsp)
            continue;
        double m = 0.0;
        for (int k = 0; k < g->nz; k++) {
            const double *q = plane(g, g->bulk, s, k);
            double sum = 0.0;
            for (size_t i = 0; i < g->ncol; i++)
                sum += q[i];
            m += sum * area * g->dz[k];
        }
        b[s * LT_GB_N + LT_GB_FINAL] = m * UG_TO_KG;
    }
}

double lt_grid_budget_residual(const double *b, int s)
{
    const double *t = b + s * LT_GB_N;
    double res = t[LT_GB_FINAL] - t[LT_GB_INITIAL] - t[LT_GB_EMITTED] - t[LT_GB_INFLOW] +
                 t[LT_GB_OUTFLOW] - t[LT_GB_CHEM] + t[LT_GB_DRY] + t[LT_GB_WET];
    double big = 0.0;
    for (int i = 0; i < LT_GB_N; i++)
        big = fmax(big, fabs(t[i]));
    return big > 0.0 ? res / big : 0.0;
}

double lt_grid_updates(const lt_grid *g)
{
    return g->updates;
}

void lt_grid_state(lt_grid *g, lt_state *st)
{
    lt_state_add(st, "grid_c", g->c, g->nplane * g->ncol * sizeof *g->c);
    lt_state_add(st, "grid_inflow", g->inflow, (size_t)g->nt * g->nsp * sizeof *g->inflow);
    lt_state_add(st, "grid_active", g->active, (size_t)g->nt * g->nsp);
    lt_state_add(st, "grid_fno3", g->fno3, g->ncell * sizeof *g->fno3);
    lt_state_add(st, "grid_fnh4", g->fnh4, g->ncell * sizeof *g->fnh4);
    lt_state_add(st, "grid_budget", g->budget, sizeof g->budget);
    lt_state_add(st, "grid_updates", &g->updates, sizeof g->updates);
}
