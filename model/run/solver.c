/* solver.c — the solver stage (see solver.h). */
#include "run/solver.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef LT_MPI
#include <mpi.h>
#endif

#include "physics/rise.h"
#include "physics/stability.h"
#include "run/case_bg.h"
#include "run/case_impl.h"
#include "solvers/gridconv.h"

#define PI 3.14159265358979323846

struct lt_solver {
    lt_case *cs;
    const lt_sigma_curves *curves;
    int rank, ranks;
    size_t ngrid, nst, nrec;
    int ngroups, ncomp;
    double *rx, *ry;      /* [receptor] */
    double *gconc;        /* the planes of the current hour: a slot of block */
    lt_hour_sources *hs;  /* hsb[0] */
    /* the plume solver in one process disperses hours ahead, nblk at a time
     * (dispersed_block): slot b holds hour b0 + b, b < bn */
    int nblk, b0, bn;
    double *block;              /* [nblk][planes] */
    lt_hour_sources **hsb;      /* [nblk] */
    const lt_plume_src **bsrc;  /* [nblk] the hour's sources, bnact[b] of them */
    size_t *bnact;
    lt_counts *bcnt;            /* [nblk] the hour's counts, added when it is taken */
    lt_met_point *bcen;         /* [nblk] the hour's weather at the domain centre */
    int *bcalm;                 /* [nblk] the hour's calm sources */
    int bfail, brc;             /* the hour whose error (code brc) berr holds, -1: none */
    lt_error berr;
    int calm;
    lt_met_point centre;     /* the last hour's weather at the domain centre */
    lt_counts counts;
    /* gridded emissions (plume): the convolution and its maps */
    lt_gridconv *gc;
    int *gmap;            /* [grid group][height][LT_EG_NSPECIES] map index, -1: none */
    /* the grid model ([solver] method = grid or hybrid) */
    lt_gridrun *gr;
    double *bgw;          /* [receptor][site] the background's weights (a file by station), or NULL */
    double *pconc;        /* hybrid: explicit groups' plumes [group][ncp][receptor] */
    int ncp;              /* components of the plume: 1 or LT_NCOMP */
    int *need;            /* the second pass's hours (need[h] = 1) then groups, NULL: every hour */
    const int *gneed;     /* need + hours: its groups (the plume), NULL: every group */
};

/* Hours dispersed in one parallel region, at most: enough that the region
 * is long beside a scheduler's time slice on a shared machine, bounded by
 * the memory the hours ahead hold (planes and sources). */
#define BLOCK_MAX 240
#define BLOCK_BUDGET_BYTES (64.0 * 1048576.0)

/* The explicit sources' gases and coarse PM at the stations, in doubles
 * after the hour's planes: [group][LT_NGAS][station] where the plume
 * disperses them (the plume solver and the hybrid's explicit groups), else
 * none. */
static size_t gas_doubles(const lt_case *cs)
{
    return cs->cfg->solver != LT_SOLVER_GRID ? (size_t)cs->ngroups * LT_NGAS * cs->nstations : 0;
}

/* Where they start. */
static size_t gas_offset(const lt_case *cs)
{
    const lt_config *cfg = cs->cfg;
    size_t nrec = (size_t)cfg->nx * (size_t)cfg->ny + cs->nstations;
    return (size_t)cs->ngroups * (size_t)cs->ncomp * nrec;
}

/* The planes of one hour and its gases, in doubles. */
static size_t plane_doubles(const lt_case *cs)
{
    return gas_offset(cs) + gas_doubles(cs);
}

/* How many hours the solver disperses at once: 1 for the grid model and
 * the hybrid (each hour needs the last) and with MPI ranks (dealt hour by
 * hour), else as many as BLOCK_BUDGET_BYTES holds, up to BLOCK_MAX. */
static int block_hours(const lt_case *cs, int ranks)
{
    const lt_config *cfg = cs->cfg;
    if (cfg->solver != LT_SOLVER_PLUME || ranks > 1)
        return 1;
    double per = (double)plane_doubles(cs) * 8.0 + lt_hour_sources_bytes(cs);
    double n = floor(BLOCK_BUDGET_BYTES / per);
    n = n < 1.0 ? 1.0 : n > BLOCK_MAX ? BLOCK_MAX : n;
    return n < cfg->hours ? (int)n : cfg->hours > 0 ? cfg->hours : 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The emission species each component comes from. */
static int comp_emission(int ncomp, int c)
{
    static const int sp[LT_NCOMP] = {LT_EG_PM25, LT_EG_SO2, LT_EG_NOX, LT_EG_VOC};
    return ncomp == 1 ? LT_EG_PM25 : sp[c];
}

/* A background given per station: each receptor's weights of its stations. */
static int bg_weights(lt_solver *sv, lt_error *err)
{
    const lt_case *cs = sv->cs;
    if (!lt_case_background_by_station(cs))
        return LT_OK;
    size_t ns = lt_case_bg_nsites(cs);
    if (!(sv->bgw = malloc(sv->nrec * ns * sizeof *sv->bgw)))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the background's weights");
    for (size_t r = 0; r < sv->nrec; r++)
        lt_case_bg_weights(cs, sv->rx[r], sv->ry[r], sv->bgw + r * ns);
    return LT_OK;
}

/* Builds (reload = 0) or replaces (reload = 1) the transformed emission map
 * of every gridded group, height and species. */
static int grid_maps(lt_solver *sv, int reload, lt_error *err)
{
    lt_case *cs = sv->cs;
    const lt_emisgrid *g = cs->gridded;
    int nh = g->nheights;
    double *tmp = malloc(sv->ngrid * sizeof *tmp);
    if (!tmp)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int rc = LT_OK;
    for (int gg = 0; gg < cs->grid_ngroups && !rc; gg++) {
        int k = cs->grid_group_sector[gg], cty = cs->group_county[cs->grid_group0 + gg];
        for (int l = 0; l < nh && !rc; l++)
            for (int sp = 0; sp < LT_EG_NSPECIES && !rc; sp++) {
                int *slot = &sv->gmap[((size_t)gg * nh + l) * LT_EG_NSPECIES + sp];
                const double *e = g->emis[k][l][sp];
                int any = 0;
                for (size_t r = 0; r < sv->ngrid; r++) {
                    tmp[r] = e && cs->cell_county[r] == cty ? e[r] : 0.0;
                    any |= tmp[r] > 0.0;
                }
                if (!reload) {
                    *slot = -1;
                    if (any)
                        rc = lt_gridconv_add_map(sv->gc, tmp, slot, err);
                } else if (*slot >= 0) {
                    lt_gridconv_set_map(sv->gc, *slot, tmp);
                } else if (any) {
                    rc = lt_error_set(err, LT_EINPUT,
                                      "%s: sector '%s' emits in county '%s' at %g m in a later month but not in the "
                                      "run's first month: expected the same sectors, counties and heights every month",
                                      cs->cfg->gridded_path, cs->cfg->sectors[k], cs->src_county_names[cty],
                                      g->height_m[l]);
                }
            }
    }
    free(tmp);
    return rc;
}

static int create_buffers(lt_solver *sv, lt_error *err)
{
    lt_case *cs = sv->cs;
    const lt_config *cfg = cs->cfg;
    sv->rx = malloc(sv->nrec * sizeof *sv->rx);
    sv->ry = malloc(sv->nrec * sizeof *sv->ry);
    int nb = sv->nblk = block_hours(cs, sv->ranks);
    sv->bfail = -1;
    sv->block = malloc((size_t)nb * plane_doubles(cs) * sizeof *sv->block);
    sv->gconc = sv->block;
    sv->hsb = calloc((size_t)nb, sizeof *sv->hsb);
    sv->bsrc = calloc((size_t)nb, sizeof *sv->bsrc);
    sv->bnact = calloc((size_t)nb, sizeof *sv->bnact);
    sv->bcnt = calloc((size_t)nb, sizeof *sv->bcnt);
    sv->bcen = calloc((size_t)nb, sizeof *sv->bcen);
    sv->bcalm = calloc((size_t)nb, sizeof *sv->bcalm);
    if (!sv->rx || !sv->ry || !sv->block || !sv->hsb || !sv->bsrc || !sv->bnact || !sv->bcnt || !sv->bcen ||
        !sv->bcalm)
        return lt_error_set(err, LT_ENOMEM, "out of memory for %zu receptors x %d source groups x %d hours",
                            sv->nrec, sv->ngroups, nb);
    for (int j = 0; j < cfg->ny; j++)
        for (int i = 0; i < cfg->nx; i++) {
            sv->rx[(size_t)j * cfg->nx + i] = lt_domain_x(cs->domain, i);
            sv->ry[(size_t)j * cfg->nx + i] = lt_domain_y(cs->domain, j);
        }
    for (size_t k = 0; k < sv->nst; k++) {
        sv->rx[sv->ngrid + k] = cs->stations[k].x_m;
        sv->ry[sv->ngrid + k] = cs->stations[k].y_m;
    }
    int rc = bg_weights(sv, err);
    for (int b = 0; b < nb && !rc; b++)
        rc = lt_hour_sources_create(&sv->hsb[b], cs, err);
    if (rc)
        return rc;
    sv->hs = sv->hsb[0];
    if (cs->gridded) {
        int nh = cs->gridded->nheights;
        if (!(sv->gmap = malloc(((size_t)cs->grid_ngroups * nh + 1) * LT_EG_NSPECIES * sizeof *sv->gmap)))
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        if ((rc = lt_gridconv_create(&sv->gc, cfg->nx, cfg->ny, nh * sv->ncomp, err)) || (rc = grid_maps(sv, 0, err)))
            return rc;
    }
    return LT_OK;
}

int lt_solver_create(lt_solver **out, lt_case *cs, int rank, int ranks, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    *out = NULL;
    if (ranks > 1 && cfg->solver != LT_SOLVER_PLUME)
        return lt_error_set(err, LT_EINPUT, "%s: [solver] method = %s with %d MPI ranks: expected method = plume "
                            "(MPI splits the hours among ranks; the grid model carries each hour into the next)",
                            cfg->path, cfg->solver == LT_SOLVER_GRID ? "grid" : "hybrid", ranks);
    lt_solver *sv = calloc(1, sizeof *sv);
    if (!sv)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    sv->cs = cs;
    sv->curves = lt_sigma_curves_find(cfg->curves);
    sv->rank = rank;
    sv->ranks = ranks;
    sv->ngrid = (size_t)cfg->nx * (size_t)cfg->ny;
    sv->nst = cs->nstations;
    sv->nrec = sv->ngrid + sv->nst;
    sv->ngroups = cs->ngroups;
    sv->ncomp = cs->ncomp;
    sv->ncp = sv->ncomp > 1 ? LT_NCOMP : 1;
    int rc = create_buffers(sv, err);
    if (!rc && cfg->solver != LT_SOLVER_PLUME) {
        int zero_out = cfg->zero_out;
        rc = lt_gridrun_create(&sv->gr, cs, sv->rx, sv->ry, sv->nrec, sv->ncomp, zero_out, err);
        if (!rc && cfg->solver == LT_SOLVER_HYBRID &&
            !(sv->pconc = malloc(((size_t)cs->npoint_groups * (size_t)sv->ncp + 1) * sv->nrec * sizeof *sv->pconc)))
            rc = lt_error_set(err, LT_ENOMEM, "out of memory for the hybrid's plumes");
    }
    if (rc) {
        lt_solver_free(&sv);
        return rc;
    }
    *out = sv;
    return LT_OK;
}

void lt_solver_free(lt_solver **p)
{
    lt_solver *sv = p ? *p : NULL;
    if (!sv)
        return;
    free(sv->rx);
    free(sv->bgw);
    free(sv->ry);
    free(sv->block);
    for (int b = 0; sv->hsb && b < sv->nblk; b++)
        lt_hour_sources_free(&sv->hsb[b]);
    free(sv->hsb);
    free(sv->bsrc);
    free(sv->bnact);
    free(sv->bcnt);
    free(sv->bcen);
    free(sv->bcalm);
    free(sv->gmap);
    lt_gridconv_free(&sv->gc);
    lt_gridrun_free(&sv->gr);
    free(sv->pconc);
    free(sv->need);
    free(sv);
    *p = NULL;
}

/* MEIC's monthly files: the month of t_s loaded (and the convolution's maps
 * replaced) when the run enters a new month. */
static int gridded_month(lt_solver *sv, double t_s, lt_error *err)
{
    lt_case *cs = sv->cs;
    const lt_config *cfg = cs->cfg;
    if (cfg->gridded_layout != LT_GRIDDED_MEIC)
        return LT_OK;
    time_t tt = (time_t)t_s;
    struct tm tm;
    gmtime_r(&tt, &tm);
    if (tm.tm_mon == cs->grid_month)
        return LT_OK;
    lt_emisgrid next;
    int rc = lt_emisgrid_load(&next, cfg, cs->domain, t_s, err);
    if (rc)
        return rc;
    lt_emisgrid_free(cs->gridded);
    *cs->gridded = next;
    cs->grid_month = tm.tm_mon;
    return sv->gc ? grid_maps(sv, 1, err) : LT_OK;
}

/* The convolution kernel of each release height for the hour: the area
 * plume of one cell under the domain centre's weather m (speed > 0). */
static void gridded_kernels(lt_solver *sv, double t_s, const lt_met_point *m, double speed)
{
    lt_case *cs = sv->cs;
    const lt_config *cfg = cs->cfg;
    const lt_emisgrid *g = cs->gridded;
    const lt_sigma_curves *curves = sv->curves->similarity ? lt_sigma_curves_find("briggs-rural") : sv->curves;
    lt_pg_class cls = cfg->stability_turner
                          ? lt_stability_turner(speed, lt_turner_nri(cfg->center_lon, cfg->center_lat, t_s + 1800.0, m->cloud))
                          : lt_stability_golder(m->rmol, cfg->z0_m);
    double ang = atan2(m->v10, m->u10) + lt_domain_north_rotation(cs->domain, cfg->center_lon, cfg->center_lat);
    double dx = cfg->dx_m, h = 0.5 * dx;
    lt_chem_src chem; /* per unit emission of each species: the same for every height */
    if (sv->ncomp > 1) {
        lt_chem_rates r;
        double sun = sin(lt_solar_altitude(cfg->center_lon, cfg->center_lat, t_s + 1800.0) * PI / 180.0);
        lt_chem_rates_at(&cfg->chem, sun, m->rh, m->rain, m->pblh, &r);
        const double unit[4] = {1.0, 1.0, 1.0, 1.0};
        lt_chem_src_setup(&chem, &cfg->chem, &r, unit);
    }
    for (int l = 0; l < g->nheights; l++) {
        lt_plume_src s;
        memset(&s, 0, sizeof s);
        s.cos_t = cos(ang);
        s.sin_t = sin(ang);
        double us = lt_stack_wind(cfg->stack_wind_profile, speed, cfg->wind_height_m, g->height_m[l], cls,
                                  curves->urban, cfg->z0_m, m->rmol, m->pblh);
        double ud = us > 1.0 ? us : 1.0;
        const double sx[4] = {-h, h, h, -h}, sy[4] = {-h, -h, h, h};
        double uv[8];
        lt_plume_set_polygon(&s, sx, sy, 4, uv);
        s.q_area = 1.0 / (dx * dx * ud);
        s.hs_m = g->height_m[l];
        lt_rise_setup(&s.rise, 0.0, 0.0, 0.0, m->t2, ud, cls);
        s.zi_m = m->pblh;
        s.lid = cls <= LT_PG_D;
        s.sy = curves->y[cls];
        s.sz = curves->z[cls];
        if (sv->ncomp > 1) {
            s.chem = &chem;
            s.u_travel_ms = ud;
        }
        lt_gridconv_set_kernel(sv->gc, l * sv->ncomp, &s, dx, cfg->receptor_height_m, sv->ncomp);
    }
}

/* The gridded groups' plumes for the hour at t_s under the domain centre's
 * meteorology mc: kernels per release height, then one convolution per
 * group and component, into the planes (grid and, by bilinear sampling,
 * stations). */
static int gridded_hour(lt_solver *sv, double t_s, const lt_met_point *mc, lt_counts *c, double *planes,
                        lt_error *err)
{
    lt_case *cs = sv->cs;
    const lt_config *cfg = cs->cfg;
    int rc = gridded_month(sv, t_s, err);
    if (rc)
        return rc;
    double speed = hypot(mc->u10, mc->v10);
    lt_met_point m = *mc;
    if (speed < LT_CALM_MS) {
        if (!cfg->meander && (!cfg->calm_minwind || speed == 0.0))
            return LT_OK; /* a calm hour: not modelled, as for the sources */
        /* minwind, and meander (which areas do not have): 0.5 m/s in the
         * hour's direction (toward the east when exactly calm) */
        m.u10 = speed > 0.0 ? m.u10 * LT_CALM_MS / speed : LT_CALM_MS;
        m.v10 = speed > 0.0 ? m.v10 * LT_CALM_MS / speed : 0.0;
        speed = LT_CALM_MS;
    }
    double t0 = now_s();
    const lt_emisgrid *g = cs->gridded;
    gridded_kernels(sv, t_s, &m, speed);
    long njobs = (long)cs->grid_ngroups * sv->ncomp;
    int nh = g->nheights, failed = 0, ncomp = sv->ncomp;
    double x0 = lt_domain_x(cs->domain, 0), y0 = lt_domain_y(cs->domain, 0), dx = cfg->dx_m;
#pragma omp parallel reduction(| : failed)
    {
        lt_gridconv_scratch *ws = lt_gridconv_scratch_new(sv->gc); /* one per thread */
#pragma omp for schedule(dynamic)
        for (long jb = 0; jb < njobs; jb++) {
            int gg = (int)(jb / ncomp), cc = (int)(jb % ncomp);
            int k = cs->grid_group_sector[gg], gi = cs->grid_group0 + gg;
            if (sv->gneed && !sv->gneed[gi])
                continue; /* a second pass that does not need the group */
            double f = g->monthly ? lt_profile_factor_in_month(&cs->profiles, k, t_s)
                                  : lt_profile_factor(&cs->profiles, k, t_s);
            int slot[LT_EG_MAX_HEIGHTS], map[LT_EG_MAX_HEIGHTS], nt = 0;
            double w[LT_EG_MAX_HEIGHTS];
            for (int l = 0; l < nh; l++) {
                int mi = sv->gmap[((size_t)gg * nh + l) * LT_EG_NSPECIES + comp_emission(ncomp, cc)];
                if (mi < 0)
                    continue;
                slot[nt] = l * ncomp + cc;
                map[nt] = mi;
                w[nt++] = f;
            }
            double *out = planes + ((size_t)gi * ncomp + (size_t)cc) * sv->nrec;
            if (!nt)
                continue;
            if (!ws || lt_gridconv_apply(sv->gc, ws, nt, slot, map, w, out)) {
                failed |= 1;
                continue;
            }
            for (size_t st = 0; st < sv->nst; st++) {
                const lt_station *p = &cs->stations[st];
                out[sv->ngrid + st] =
                    lt_gridconv_sample(out, cfg->nx, cfg->ny, (p->x_m - x0) / dx, (p->y_m - y0) / dx);
            }
        }
        lt_gridconv_scratch_free(&ws);
    }
    c->gridded_seconds += now_s() - t0;
    c->gridded_cell_hours += (double)sv->ngrid;
    return failed ? lt_error_set(err, LT_ENOMEM, "out of memory in the gridded convolution") : LT_OK;
}

/* The explicit sources' plumes of the hour at t_s into planes (ncp
 * components per group, groups [0, npoint_groups)), their gases at the
 * stations into gas (zeroed first). */
static void plume_hour(lt_solver *sv, double t_s, int ncp, double *planes, double *gas, lt_counts *c)
{
    size_t nact;
    const lt_plume_src *src = lt_hour_sources_prepare(sv->hs, t_s, c, &nact, &sv->calm);
    double tk = now_s(), zr = sv->cs->cfg->receptor_height_m;
    memset(gas, 0, gas_doubles(sv->cs) * sizeof *gas);
    if (sv->nst)
        lt_plume_station_gases(src, nact, sv->rx + sv->ngrid, sv->ry + sv->ngrid, sv->nst, zr, gas);
    lt_plume_accumulate(src, nact, sv->rx, sv->ry, sv->nrec, zr, ncp, planes);
    c->kernel_seconds += now_s() - tk;
    c->evaluations += (double)nact * (double)sv->nrec;
}

/* [background] from_observations: the hour's background is the observed
 * PM2.5 at the chosen stations less the run's own (local) part there, both
 * averaged over the stations observed this hour, never below zero; an hour
 * observed at none keeps the [background] file's value. */
static double background_from_obs(const lt_solver *sv, int h, const double *planes, lt_counts *c)
{
    const lt_case *cs = sv->cs;
    double obs = 0, local = 0;
    int n = 0;
    for (size_t k = 0; k < cs->nbg_st; k++) {
        double v = cs->bg_obs[(size_t)h * cs->nbg_st + k];
        if (isnan(v))
            continue;
        size_t r = sv->ngrid + cs->bg_station[k];
        for (int g = 0; g < sv->ngroups - 1; g++)
            for (int q = 0; q < sv->ncomp; q++)
                local += planes[((size_t)g * sv->ncomp + q) * sv->nrec + r];
        obs += v;
        n++;
    }
    if (!n)
        return cs->background[h];
    obs /= n;
    local /= n;
    c->bg_hours++;
    c->bg_obs_sum += obs;
    c->bg_local_sum += local;
    if (local > obs) {
        c->bg_clipped_hours++;
        c->bg_clipped_sum += local - obs;
        return 0.0;
    }
    return obs - local;
}

/* The regional background of hour h into its planes: PM2.5 per receptor
 * (the file's one series, or interpolated from its stations), split into
 * components by the file's composition: sulfate and nitrate as those of the
 * plume, the rest (ammonium, organic matter, EC, other) as primary (the
 * plume has no ammonium component; the file cannot say which organics are
 * secondary); without components, all primary. From observations: the
 * derived value everywhere, split the same way. */
static void background_hour(lt_solver *sv, int h, double *planes, lt_counts *c)
{
    const lt_case *cs = sv->cs;
    if (cs->background_tag < 0)
        return;
    const size_t nrec = sv->nrec, ns = lt_case_bg_nsites(cs);
    double *bg = planes + (size_t)(sv->ngroups - 1) * (size_t)sv->ncomp * nrec;
    int obs = cs->bg_obs != NULL;
    double b = obs ? background_from_obs(sv, h, planes, c) : cs->background[h], sh[LT_BGC_N];
    lt_case_bg_shares(cs, NULL, h, sh);
    for (size_t r = 0; r < nrec; r++) {
        const double *w = sv->bgw ? sv->bgw + r * ns : NULL;
        double v = w && !obs ? lt_case_bg_value(cs, w, 0, h) : b;
        if (sv->ncomp == 1) {
            bg[r] = v;
            continue;
        }
        if (w && lt_case_background_components(cs))
            lt_case_bg_shares(cs, w, h, sh);
        bg[LT_COMP_SO4 * nrec + r] = v * sh[LT_BGC_SO4];
        bg[LT_COMP_NO3 * nrec + r] = v * sh[LT_BGC_NO3];
        bg[LT_COMP_PRIMARY * nrec + r] = v * (sh[LT_BGC_NH4] + sh[LT_BGC_OM] + sh[LT_BGC_EC] + sh[LT_BGC_OTHER]);
        for (int q = LT_COMP_SOA; q < sv->ncomp; q++)
            bg[(size_t)q * nrec + r] = 0.0;
    }
}

/* The weather and the sources of the block's hours h0 + b, b < nb, hour by
 * hour (the met file is read in order); returns how many were set up, the
 * first failure's error in e. */
static int block_sources(lt_solver *sv, int h0, int nb, lt_error *e)
{
    lt_case *cs = sv->cs;
    const lt_config *cfg = cs->cfg;
    int n = 0;
    for (; n < nb; n++) {
        double t = cfg->start_s + 3600.0 * (h0 + n);
        lt_counts *c = &sv->bcnt[n];
        memset(c, 0, sizeof *c);
        if (lt_met_load(cs->met, t, e))
            break;
        lt_met_sample(cs->met, cfg->center_lon, cfg->center_lat, &sv->bcen[n]);
        if (hypot(sv->bcen[n].u10, sv->bcen[n].v10) < LT_CALM_MS)
            c->calm_hours++;
        sv->bsrc[n] = lt_hour_sources_setup(sv->hsb[n], t, c, &sv->bnact[n], &sv->bcalm[n]);
    }
    return n;
}

/* The plume solver's hours h0 + b, b < nb, into the block's slots: weather
 * and sources hour by hour, then the similarity tables and the plumes of all
 * the hours in one parallel region each (coarse enough that a thread losing
 * its core on a shared machine costs one piece of work, not a barrier an
 * hour), then the gridded inventory and the background hour by hour. Each
 * hour's counts go to its slot (added when the hour is taken); the first
 * hour that fails ends the block there (bfail, brc, berr). */
static void disperse_block(lt_solver *sv, int h0, int nb)
{
    lt_case *cs = sv->cs;
    const lt_config *cfg = cs->cfg;
    size_t plane = plane_doubles(cs);
    lt_error e;
    lt_error_clear(&e);
    lt_error_clear(&sv->berr);
    int n = block_sources(sv, h0, nb, &e);
    sv->b0 = h0;
    sv->bn = n;
    sv->bfail = n < nb ? h0 + n : -1;
    sv->brc = e.code;
    lt_hour_sources_tables(sv->hsb, n);
    memset(sv->block, 0, (size_t)n * plane * sizeof *sv->block);
    double tk = now_s(), ev = 0.0;
    lt_plume_accumulate_hours(sv->bsrc, sv->bnact, n, sv->rx, sv->ry, sv->nrec, cfg->receptor_height_m, sv->ncomp,
                              sv->block, plane);
    if (sv->nst) { /* the gases at the stations: an hour per piece of work */
        size_t off = gas_offset(cs);
#pragma omp parallel for schedule(dynamic) if (n > 1)
        for (int b = 0; b < n; b++)
            lt_plume_station_gases(sv->bsrc[b], sv->bnact[b], sv->rx + sv->ngrid, sv->ry + sv->ngrid, sv->nst,
                                   cfg->receptor_height_m, sv->block + (size_t)b * plane + off);
    }
    double dt = now_s() - tk;
    for (int b = 0; b < n; b++)
        ev += (double)sv->bnact[b] * (double)sv->nrec;
    for (int b = 0; b < n; b++) { /* the kernel's time shared by evaluations */
        double eb = (double)sv->bnact[b] * (double)sv->nrec;
        sv->bcnt[b].kernel_seconds += ev > 0.0 ? dt * eb / ev : dt / n;
        sv->bcnt[b].evaluations += eb;
    }
    for (int b = 0; b < n; b++) {
        double *planes = sv->block + (size_t)b * plane;
        int rc = cs->gridded ? gridded_hour(sv, cfg->start_s + 3600.0 * (h0 + b), &sv->bcen[b], &sv->bcnt[b],
                                            planes, &sv->berr)
                             : LT_OK;
        if (rc) {
            sv->bn = b;
            sv->bfail = h0 + b;
            sv->brc = rc;
            return;
        }
        background_hour(sv, h0 + b, planes, &sv->bcnt[b]);
    }
    if (sv->bfail >= 0)
        sv->berr = e;
}

/* The grid model's and the hybrid's hour h: fills the planes; counts into
 * c; count = 0 in a second pass (the grid's zero-out runs are not stepped). */
static int disperse_hour(lt_solver *sv, int h, lt_counts *c, int count, lt_error *err)
{
    lt_case *cs = sv->cs;
    const lt_config *cfg = cs->cfg;
    double t = cfg->start_s + 3600.0 * h;
    int rc = lt_met_load(cs->met, t, err);
    if (rc)
        return rc;
    lt_met_point mc;
    lt_met_sample(cs->met, cfg->center_lon, cfg->center_lat, &mc);
    sv->centre = mc;
    if (hypot(mc.u10, mc.v10) < LT_CALM_MS)
        c->calm_hours++;
    int zero_out = count;
    if (cfg->solver == LT_SOLVER_GRID) {
        sv->calm = 0;
        if (cs->gridded && (rc = gridded_month(sv, t, err)))
            return rc;
        return lt_gridrun_hour(sv->gr, h, NULL, 0, zero_out, sv->gconc, err);
    }
    /* the hybrid: the explicit sources' plumes, then the grid with them
     * added less their cell means */
    memset(sv->pconc, 0, (size_t)cs->npoint_groups * (size_t)sv->ncp * sv->nrec * sizeof *sv->pconc);
    plume_hour(sv, t, sv->ncp, sv->pconc, sv->gconc + gas_offset(cs), c);
    if (cs->gridded && (rc = gridded_month(sv, t, err)))
        return rc;
    return lt_gridrun_hour(sv->gr, h, sv->pconc, sv->ncp, zero_out, sv->gconc, err);
}

/* Adds c to the counts. */
static void counts_add(lt_counts *to, const lt_counts *c)
{
    double *a = (double *)to;
    const double *b = (const double *)c;
    for (int i = 0; i < LT_COUNTS_N; i++)
        a[i] += b[i];
}

/* Hour h, from the block (dispersed first when it is not held), or by the
 * grid model: the planes, calm and centre set; the hour's counts into c. */
static int take_hour(lt_solver *sv, int h, lt_counts *c, int count, lt_error *err)
{
    if (sv->cs->cfg->solver != LT_SOLVER_PLUME)
        return disperse_hour(sv, h, c, count, err);
    if (h < sv->b0 || h >= sv->b0 + sv->bn) {
        if (h == sv->bfail)
            return lt_error_set(err, sv->brc, "%s", sv->berr.msg);
        int left = sv->cs->cfg->hours - h, n = left < sv->nblk ? (left > 0 ? left : 1) : sv->nblk;
        if (sv->need) /* a second pass: the run of needed hours from h */
            for (int b = 1; b < n; b++)
                if (!sv->need[h + b]) {
                    n = b;
                    break;
                }
        disperse_block(sv, h, n);
        if (h == sv->bfail)
            return lt_error_set(err, sv->brc, "%s", sv->berr.msg);
    }
    int b = h - sv->b0;
    sv->gconc = sv->block + (size_t)b * plane_doubles(sv->cs);
    sv->calm = sv->bcalm[b];
    sv->centre = sv->bcen[b];
    counts_add(c, &sv->bcnt[b]);
    return LT_OK;
}

/* Hours are dealt out in turn, hour h to rank h mod ranks. Every rank
 * disperses its own hours and sends each hour's planes, with the hour's
 * counters, to rank 0, which receives them in hour order and does everything
 * else exactly as a one-process run: the file is the same bit for bit. Dealt
 * hour by hour, each rank computes its next hour while rank 0 takes in the
 * others'. */
static int owner_of(const lt_solver *sv, int h)
{
    return sv->ranks > 1 ? h % sv->ranks : 0;
}

#ifdef LT_MPI
/* The doubles of an hour's header: rc, calm, the counts, the centre's weather. */
#define HOUR_HEAD (2 + LT_COUNTS_N + (int)(sizeof(lt_met_point) / sizeof(double)))

/* Hour h received from its rank: rc and calm, the hour's counts and its
 * weather at the centre, then the planes (or the error message). */
static int receive_hour(lt_solver *sv, int h, int from, int count, lt_error *err)
{
    double c[HOUR_HEAD];
    size_t n = plane_doubles(sv->cs);
    MPI_Recv(c, HOUR_HEAD, MPI_DOUBLE, from, 2 * h, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (c[0] != 0.0) {
        char msg[sizeof err->msg];
        MPI_Recv(msg, (int)sizeof msg, MPI_CHAR, from, 2 * h + 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        msg[sizeof msg - 1] = '\0';
        return lt_error_set(err, (int)c[0], "%s (rank %d)", msg, from);
    }
    MPI_Recv(sv->gconc, (int)n, MPI_DOUBLE, from, 2 * h + 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    sv->calm = (int)c[1];
    memcpy(&sv->centre, c + 2 + LT_COUNTS_N, sizeof sv->centre);
    if (count) {
        lt_counts got;
        memcpy(&got, c + 2, sizeof got);
        counts_add(&sv->counts, &got);
    }
    return LT_OK;
}
#endif

int lt_solver_hour(lt_solver *sv, int h, int count, lt_error *err)
{
#ifdef LT_MPI
    int from = owner_of(sv, h);
    if (from != 0)
        return receive_hour(sv, h, from, count, err);
#endif
    if (count)
        return take_hour(sv, h, &sv->counts, 1, err);
    lt_counts scratch; /* a second pass must not count twice */
    memset(&scratch, 0, sizeof scratch);
    return take_hour(sv, h, &scratch, 0, err);
}

int lt_solver_worker(lt_solver *sv, int passes, int h_start, lt_error *err)
{
#ifdef LT_MPI
    size_t n = plane_doubles(sv->cs);
    for (int pass = 0; pass < passes; pass++) {
        if (pass) { /* rank 0's lt_solver_rewind: the hours and groups of the second pass */
            int hours = sv->cs->cfg->hours, *need = calloc((size_t)hours + (size_t)sv->cs->ngroups + 1, sizeof *need);
            if (!need)
                return lt_error_set(err, LT_ENOMEM, "out of memory");
            MPI_Bcast(need, hours + sv->cs->ngroups, MPI_INT, 0, MPI_COMM_WORLD);
            int rc = lt_solver_rewind(sv, need, need + hours, err);
            free(need);
            if (rc)
                return rc;
        }
        for (int h = pass ? 0 : h_start; h < sv->cs->cfg->hours; h++) {
            if (owner_of(sv, h) != sv->rank || (pass && !sv->need[h]))
                continue;
            lt_counts d;
            memset(&d, 0, sizeof d);
            int rc = take_hour(sv, h, &d, 1, err);
            double c[HOUR_HEAD] = {rc, sv->calm};
            memcpy(c + 2, &d, sizeof d);
            memcpy(c + 2 + LT_COUNTS_N, &sv->centre, sizeof sv->centre);
            MPI_Send(c, HOUR_HEAD, MPI_DOUBLE, 0, 2 * h, MPI_COMM_WORLD);
            if (rc) {
                MPI_Send(err->msg, (int)sizeof err->msg, MPI_CHAR, 0, 2 * h + 1, MPI_COMM_WORLD);
                return rc;
            }
            MPI_Send(sv->gconc, (int)n, MPI_DOUBLE, 0, 2 * h + 1, MPI_COMM_WORLD);
        }
    }
#else
    (void)sv;
    (void)passes;
    (void)h_start;
    (void)err;
    (void)owner_of;
#endif
    return LT_OK;
}

const double *lt_solver_planes(const lt_solver *sv) { return sv->gconc; }
const double *lt_solver_gases(const lt_solver *sv)
{
    return gas_doubles(sv->cs) ? sv->gconc + gas_offset(sv->cs) : NULL;
}
int lt_solver_calm(const lt_solver *sv) { return sv->calm; }
const lt_met_point *lt_solver_weather(const lt_solver *sv) { return &sv->centre; }
const lt_counts *lt_solver_counts(const lt_solver *sv) { return &sv->counts; }
lt_gridrun *lt_solver_gridrun(const lt_solver *sv) { return sv->gr; }

int lt_solver_rewind(lt_solver *sv, const int *need, const int *groups, lt_error *err)
{
    const int hours = sv->cs->cfg->hours, ngroups = sv->cs->ngroups;
    free(sv->need);
    sv->gneed = NULL;
    if (!(sv->need = malloc(((size_t)hours + (size_t)ngroups + 1) * sizeof *sv->need)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    memcpy(sv->need, need, (size_t)hours * sizeof *sv->need);
    memcpy(sv->need + hours, groups, (size_t)ngroups * sizeof *sv->need);
#ifdef LT_MPI
    if (sv->ranks > 1 && sv->rank == 0) /* the workers' lt_solver_worker waits for them */
        MPI_Bcast(sv->need, hours + ngroups, MPI_INT, 0, MPI_COMM_WORLD);
#endif
    if (!sv->gr) { /* the plume: only the groups needed (the grid model steps them all) */
        sv->gneed = sv->need + hours;
        for (int b = 0; b < sv->nblk; b++)
            lt_hour_sources_only(sv->hsb[b], sv->gneed);
    }
    /* a block held from the first pass has every group: disperse again */
    sv->bn = 0;
    sv->bfail = -1;
    return sv->gr ? lt_gridrun_reset(sv->gr, err) : LT_OK; /* the grid remembers: start again */
}

int lt_solver_steps_every_hour(const lt_solver *sv)
{
    return sv->gr != NULL;
}

void lt_solver_state(lt_solver *sv, lt_state *st)
{
    lt_state_add(st, "solver_counts", &sv->counts, sizeof sv->counts);
    if (sv->gr)
        lt_gridrun_state(sv->gr, st);
}

int lt_solver_block_hours(const lt_case *cs)
{
    return block_hours(cs, 1);
}

double lt_solver_memory(const lt_case *cs)
{
    const lt_config *cfg = cs->cfg;
    double ngrid = (double)cfg->nx * cfg->ny, nrec = ngrid + (double)cs->nstations, mem = 0.0;
    mem += (double)plane_doubles(cs) * 8.0 + 2.0 * nrec * 8.0;  /* planes and gases, receptors */
    mem += (double)cs->npoints * (sizeof(lt_plume_src) + sizeof(lt_chem_src) + 120 * 8.0 + (cfg->meander ? 256 * 8.0 : 0.0));
    double nb = (double)block_hours(cs, 1); /* the hours dispersed ahead (one process) */
    mem += (nb - 1.0) * ((double)plane_doubles(cs) * 8.0 + lt_hour_sources_bytes(cs));
    if (cs->gridded && cfg->solver == LT_SOLVER_PLUME) {
        /* transformed maps (groups x heights x species at most) and kernels,
         * each a half spectrum of the doubled grid, and one emission map per
         * sector, height and species */
        double nc = (2.0 * cfg->ny) * (cfg->nx + 1.0) * 16.0, nmaps = 0.0;
        const lt_emisgrid *g = cs->gridded;
        for (int gg = 0; gg < cs->grid_ngroups; gg++) /* the maps grid_maps keeps: those that emit */
            for (int l = 0; l < g->nheights; l++)
                for (int sp = 0; sp < LT_EG_NSPECIES; sp++) {
                    const double *e = g->emis[cs->grid_group_sector[gg]][l][sp];
                    int cty = cs->group_county[cs->grid_group0 + gg], any = 0;
                    for (size_t r = 0; e && r < (size_t)ngrid && !any; r++)
                        any = cs->cell_county[r] == cty && e[r] > 0.0;
                    nmaps += any;
                }
        mem += (nmaps + (double)cs->gridded->nheights * cs->ncomp + 4.0) * nc;
        for (int k = 0; k < LT_MAX_SECTORS; k++)
            for (int l = 0; l < cs->gridded->nheights; l++)
                for (int sp = 0; sp < LT_EG_NSPECIES; sp++)
                    mem += cs->gridded->emis[k][l][sp] ? ngrid * 8.0 : 0.0;
    }
    if (cfg->solver != LT_SOLVER_PLUME) {
        double ncol = ngrid / ((double)cfg->grid_coarsen * cfg->grid_coarsen);
        double nsp = cs->ncomp > 1 ? LT_GS_N : 1, nt = cs->ngroups > 1 ? cs->ngroups + 1 : 1;
        double grids = nt + (cfg->zero_out ? (cs->ntags + 1.0) * 1.0 : 0.0);
        mem += 2.0 * grids * nsp * cfg->grid_nz * ncol * 8.0;               /* concentrations, emissions */
        mem += (double)cs->ngroups * LT_NCOMP_GRID * ncol * 8.0;            /* the hour's column means */
        if (cfg->solver == LT_SOLVER_HYBRID)
            mem += (double)cs->npoint_groups * LT_NCOMP * nrec * 8.0;       /* the plumes */
    }
    return mem;
}
