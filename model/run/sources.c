/* sources.c — the explicit sources of one hour for the plume kernel (see
 * sources.h). */
#include "run/sources.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "physics/kmodel.h"
#include "physics/rise.h"
#include "physics/stability.h"
#include "physics/surface.h"
#include "run/case_impl.h"

#define PI 3.14159265358979323846
#define CY_N 120       /* similarity scheme: table points per source and hour */
#define CY_X0_M 1.0
#define MR_N 256       /* meander: radial table points per source and hour */

struct lt_hour_sources {
    const lt_case *cs;
    const lt_sigma_curves *curves;
    lt_plume_src *src;    /* [source] */
    lt_chem_src *chems;   /* [source] emissions and rates (secondary on) */
    lt_gas_src *gases;    /* [source] the AQI's gases and coarse PM (stations in the case) */
    double *polybuf;      /* area polygons in the wind's frame, this hour */
    /* the similarity scheme only */
    double *cytab;        /* [source][CY_N] */
    lt_met_point *mets;   /* [source] */
    double *speeds;       /* [source] */
    double *mrtab;        /* [source][MR_N] the meander's random part */
    double xmax;          /* farthest source-receptor distance, m */
    size_t n;             /* sources set up this hour */
    const int *only;      /* [group]: only the sources of groups marked (NULL: all) */
};

int lt_hour_sources_create(lt_hour_sources **out, const lt_case *cs, lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    lt_hour_sources *hs = calloc(1, sizeof *hs);
    *out = NULL;
    if (!hs)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    hs->cs = cs;
    hs->curves = lt_sigma_curves_find(cfg->curves);
    size_t nv = 1, np1 = cs->npoints ? cs->npoints : 1;
    for (size_t i = 0; i < cs->npoints; i++)
        nv += (size_t)cs->points[i].nvert;
    hs->polybuf = malloc(2 * nv * sizeof *hs->polybuf);
    hs->src = malloc(np1 * sizeof *hs->src);
    hs->chems = cs->ncomp > 1 ? malloc(np1 * sizeof *hs->chems) : NULL;
    hs->gases = cs->nstations ? malloc(np1 * sizeof *hs->gases) : NULL;
    if (!hs->polybuf || !hs->src || (cs->ncomp > 1 && !hs->chems) || (cs->nstations && !hs->gases)) {
        lt_hour_sources_free(&hs);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    /* the grid's diagonal plus the sources' margin bounds every distance */
    double w = cfg->nx * cfg->dx_m, hgt = cfg->ny * cfg->dx_m;
    hs->xmax = 1.1 * (sqrt(w * w + hgt * hgt) + 2000.0 * cfg->margin_km) + 10.0;
    if (cfg->meander && !(hs->mrtab = malloc(np1 * MR_N * sizeof *hs->mrtab))) {
        lt_hour_sources_free(&hs);
        return lt_error_set(err, LT_ENOMEM, "out of memory for the meander tables");
    }
    if (hs->curves->similarity) {
        hs->cytab = malloc(np1 * CY_N * sizeof *hs->cytab);
        hs->mets = malloc(np1 * sizeof *hs->mets);
        hs->speeds = malloc(np1 * sizeof *hs->speeds);
        if (!hs->cytab || !hs->mets || !hs->speeds) {
            lt_hour_sources_free(&hs);
            return lt_error_set(err, LT_ENOMEM, "out of memory for the similarity tables");
        }
    }
    *out = hs;
    return LT_OK;
}

void lt_hour_sources_free(lt_hour_sources **p)
{
    lt_hour_sources *hs = p ? *p : NULL;
    if (!hs)
        return;
    free(hs->src);
    free(hs->chems);
    free(hs->gases);
    free(hs->polybuf);
    free(hs->cytab);
    free(hs->mets);
    free(hs->speeds);
    free(hs->mrtab);
    free(hs);
    *p = NULL;
}

/* The lateral turbulence at the source: from a measured sigma_theta, else
 * from u*, the heat flux and zi (lt_sigma_v). */
static double sigma_v(const lt_met_point *m, double speed)
{
    if (isfinite(m->sigma_theta))
        return m->sigma_theta * PI / 180.0 * speed;
    return lt_sigma_v(m->ust, m->hfx, m->rmol, m->t2, m->pblh);
}

/* The similarity scheme for source s in this hour (Draxler 1976 / Irwin 1983
 * lateral spread; vertical from kmodel.c). Needs the met at the source. */
static void similarity_setup(const lt_config *cfg, lt_plume_src *s, const lt_met_point *m, double speed,
                             double he_m, double ratio, double *tab)
{
    /* a dead calm (only meander models one) still needs a profile for the
     * column's vertical spread: 0.1 m/s at the anemometer at least */
    lt_kmodel_met km = {speed > 0.1 ? speed : 0.1, cfg->wind_height_m, m->ust > 0.01 ? m->ust : 0.01, m->rmol,
                        m->pblh, cfg->z0_m};
    double zt = he_m > cfg->wind_height_m ? he_m : cfg->wind_height_m;
    double ut = lt_kmodel_wind(&km, zt);
    if (ut < 0.5)
        ut = 0.5;
    double sv = sigma_v(m, speed);
    s->sy.a = sv / ut;
    s->sy.b = 0.0;
    s->sy.half_pow = 0;
    s->sy.c = 0.9 / sqrt(1000.0 * ut);                     /* f_y = 1/(1 + 0.9 sqrt(t/1000 s)) */
    s->cy_x0 = CY_X0_M;
    s->cy_ratio = ratio;
    s->ncy = CY_N;
    s->cy = lt_kmodel_cy(&km, he_m, cfg->receptor_height_m, CY_X0_M, ratio, CY_N, tab) == 0 ? tab : NULL;
    if (!s->cy)
        s->q_ugs = 0.0;
}

/* The release of source p in the hour (height, rise, initial spreads and,
 * for areas, the polygon in the wind's frame at polybuf): diluted by us_dil,
 * rising and washed down in us_rise. */
static void set_release(lt_plume_src *s, const lt_point *p, double q_ugs, double vel, double temp, double t2_K,
                        double us_dil, double us_rise, lt_pg_class cls, double *polybuf)
{
    if (p->kind == LT_SRC_AREA) {
        s->hs_m = p->height_m;                 /* no downwash, no rise */
        lt_rise_setup(&s->rise, 0.0, 0.0, 0.0, t2_K, us_dil, cls);
        s->sy0sq = 0.0;
        s->sz0sq = p->sigma_z0_m * p->sigma_z0_m;
        lt_plume_set_polygon(s, p->vx, p->vy, p->nvert, polybuf);
        s->q_area = q_ugs / p->area_m2 / us_dil; /* ug m-2 s-1 over u */
    } else if (p->kind == LT_SRC_VOLUME) {
        s->hs_m = p->height_m;                 /* no downwash, no rise */
        lt_rise_setup(&s->rise, 0.0, 0.0, 0.0, t2_K, us_dil, cls);
        s->sy0sq = p->sigma_y0_m * p->sigma_y0_m;
        s->sz0sq = p->sigma_z0_m * p->sigma_z0_m;
    } else {
        s->hs_m = lt_stack_tip_downwash(p->height_m, p->diameter_m, vel, us_rise);
        lt_rise_setup(&s->rise, p->diameter_m, vel, temp, t2_K, us_rise, cls);
        s->sy0sq = s->sz0sq = 0.0;
    }
}

/* The stations' gases and coarse PM of source p (index n in the hour) from
 * its emissions q4 under rates r, carried at us_dil: NOx's in-stack NO2
 * share the source's own ratio, else the configuration's. A source of
 * PM2.5 alone (dust) carries none. */
static void setup_gases(lt_hour_sources *hs, size_t n, const lt_point *p, const double *q4, const lt_chem_rates *r,
                        double us_dil, lt_plume_src *s)
{
    double isr = isnan(p->no2_ratio) ? hs->cs->cfg->no2_ratio : p->no2_ratio;
    const double qg[LT_NGAS] = {q4[LT_Q_SO2], q4[LT_Q_NOX], isr * q4[LT_Q_NOX], q4[LT_Q_CO], q4[LT_Q_COARSE]};
    int any = 0;
    for (int g = 0; g < LT_NGAS; g++)
        any |= qg[g] > 0.0;
    if (!any)
        return;
    lt_gas_src_setup(&hs->gases[n], r, qg);
    s->gas = &hs->gases[n];
    s->u_travel_ms = us_dil;
}

/* Source i as plume source s (index n in the hour); 0 when it does not
 * emit or is calm and skipped. */
static int setup_source(lt_hour_sources *hs, size_t i, size_t n, double t_s, lt_counts *c, int *calm,
                        size_t *poly_used)
{
    const lt_case *cs = hs->cs;
    const lt_config *cfg = cs->cfg;
    const lt_point *p = &cs->points[i];
    int chem = cs->ncomp > 1;
    double q4[LT_Q_N], vel, temp;
    lt_case_source_rates(cs, i, t_s, q4, &vel, &temp);
    /* without PM2.5 a source is carried only with chemistry on (its plume
     * is then for 1 ug/s): its precursors, and its CO and coarse PM when
     * the stations' gases are carried */
    int other = q4[LT_Q_SO2] > 0.0 || q4[LT_Q_NOX] > 0.0 || q4[LT_Q_VOC] > 0.0 ||
                (hs->gases && (q4[LT_Q_CO] > 0.0 || q4[LT_Q_COARSE] > 0.0));
    if (q4[LT_Q_PM25] <= 0.0 && !(chem && other))
        return 0;
    lt_met_point m;
    lt_met_sample(cs->met, p->lon, p->lat, &m);
    double speed = hypot(m.u10, m.v10);
    c->source_hours++;
    if (speed < LT_CALM_MS) {
        (*calm)++;
        c->calm_source_hours++;
        if (!cfg->meander && (!cfg->calm_minwind || speed == 0.0))
            return 0; /* ISC3: calm hours are not modelled */
        if (!cfg->meander) {
            m.u10 *= LT_CALM_MS / speed;
            m.v10 *= LT_CALM_MS / speed;
            speed = LT_CALM_MS;
        }
    }
    lt_pg_class cls = cfg->stability_turner
                          ? lt_stability_turner(speed, lt_turner_nri(p->lon, p->lat, t_s + 1800.0, m.cloud))
                          : lt_stability_golder(m.rmol, cfg->z0_m);
    c->class_hours[cls]++;
    double us = lt_stack_wind(cfg->stack_wind_profile, speed, cfg->wind_height_m, p->height_m, cls,
                              hs->curves->urban, cfg->z0_m, m.rmol, m.pblh);
    double us_dil = us > 1.0 ? us : 1.0; /* ISC3 minimum of 1 m/s */
    lt_plume_src *s = &hs->src[n];
    s->mr = NULL;
    s->fp0 = 1.0;
    if (cfg->meander) {
        /* carried at sqrt(u^2 + 2 sv^2), rising at least in 1 m/s */
        double sv = fmax(sigma_v(&m, speed), cfg->sigma_v_min_ms);
        us_dil = lt_plume_meander_weights(s, us, sv, cfg->meander_time_s);
    }
    s->x_m = p->x_m;
    s->y_m = p->y_m;
    double ang = atan2(m.v10, m.u10) + p->north_rot;
    s->cos_t = cos(ang);
    s->sin_t = sin(ang);
    double q_ugs = q4[0];
    s->chem = NULL;
    s->gas = NULL;
    lt_chem_rates r;
    if (chem || hs->gases) {
        double sun = sin(lt_solar_altitude(p->lon, p->lat, t_s + 1800.0) * PI / 180.0);
        lt_chem_rates_at(&cfg->chem, sun, m.rh, m.rain, m.pblh, &r);
    }
    if (hs->gases)
        setup_gases(hs, n, p, q4, &r, us_dil, s);
    if (chem) {
        /* the plume for 1 ug/s; the species and their chemistry in chem */
        lt_chem_src_setup(&hs->chems[n], &cfg->chem, &r, q4);
        s->chem = &hs->chems[n];
        s->u_travel_ms = us_dil;
        q_ugs = 1.0;
    }
    s->q_norm = q_ugs / (2.0 * PI * us_dil);
    s->poly = NULL;
    s->npoly = 0;
    set_release(s, p, q_ugs, vel, temp, m.t2, us_dil, us_dil > 1.0 ? us_dil : 1.0, cls,
                hs->polybuf + 2 * *poly_used);
    if (p->kind == LT_SRC_AREA)
        *poly_used += (size_t)p->nvert;
    s->zi_m = m.pblh;
    s->lid = cls <= LT_PG_D; /* ISC3: no lid in stable hours */
    s->bid = cfg->bid;
    s->sy = hs->curves->y[cls];
    s->sz = hs->curves->z[cls];
    s->tag = cs->group_of_point[i];
    s->cy = NULL;
    s->q_ugs = q_ugs;
    s->q_unit = q_ugs;
    if (hs->curves->similarity) {
        /* the table itself is computed in parallel afterwards */
        hs->mets[n] = m;
        hs->speeds[n] = speed;
        s->hs_m += s->rise.dh_final; /* final rise: the K-model starts from there */
        s->cy = hs->cytab;           /* marks the source */
    }
    return 1;
}

const lt_plume_src *lt_hour_sources_setup(lt_hour_sources *hs, double t_s, lt_counts *c, size_t *nout, int *calm)
{
    size_t n = 0, poly_used = 0; /* vertices placed in polybuf this hour */
    const int *group = lt_case_point_groups(hs->cs);
    *calm = 0;
    for (size_t i = 0; i < hs->cs->npoints; i++)
        if (!hs->only || hs->only[group[i]])
            n += (size_t)setup_source(hs, i, n, t_s, c, calm, &poly_used);
    hs->n = n;
    *nout = n;
    return hs->src;
}

void lt_hour_sources_only(lt_hour_sources *hs, const int *groups)
{
    hs->only = groups;
}

void lt_hour_sources_tables(lt_hour_sources *const *hs, int nhours)
{
    const lt_config *cfg = nhours > 0 ? hs[0]->cs->cfg : NULL;
    if (nhours < 1 || (!hs[0]->curves->similarity && !cfg->meander))
        return;
    /* (hour, source) pairs in one parallel region: the table's K-model
     * profiles are the costly part */
    long per = (long)hs[0]->cs->npoints, njobs = per * nhours;
    double ratio = pow(hs[0]->xmax / CY_X0_M, 1.0 / (CY_N - 1));
    int sim = hs[0]->curves->similarity;
#pragma omp parallel for schedule(dynamic) if (njobs > 1)
    for (long jb = 0; jb < njobs; jb++) {
        lt_hour_sources *h = hs[jb / per];
        size_t k = (size_t)(jb % per);
        if (k >= h->n)
            continue;
        lt_plume_src *s = &h->src[k];
        if (sim)
            similarity_setup(cfg, s, &h->mets[k], h->speeds[k], s->hs_m, ratio, h->cytab + k * CY_N);
        /* meander: points and volumes (AERMOD gives areas and lines none) */
        if (cfg->meander && !s->poly && s->q_ugs > 0.0)
            lt_plume_meander_table(s, cfg->receptor_height_m, h->xmax, h->mrtab + k * MR_N, MR_N);
    }
}

const lt_plume_src *lt_hour_sources_prepare(lt_hour_sources *hs, double t_s, lt_counts *c, size_t *nout, int *calm)
{
    const lt_plume_src *src = lt_hour_sources_setup(hs, t_s, c, nout, calm);
    lt_hour_sources_tables(&hs, 1);
    return src;
}

double lt_hour_sources_bytes(const lt_case *cs)
{
    double nv = 1.0, np1 = cs->npoints ? (double)cs->npoints : 1.0;
    for (size_t i = 0; i < cs->npoints; i++)
        nv += cs->points[i].nvert;
    double b = 2.0 * nv * 8.0 + np1 * (double)sizeof(lt_plume_src);
    if (cs->ncomp > 1)
        b += np1 * (double)sizeof(lt_chem_src);
    if (cs->nstations)
        b += np1 * (double)sizeof(lt_gas_src);
    if (lt_sigma_curves_find(cs->cfg->curves)->similarity)
        b += np1 * (CY_N * 8.0 + (double)sizeof(lt_met_point) + 8.0);
    if (cs->cfg->meander)
        b += np1 * MR_N * 8.0;
    return b + (double)sizeof(lt_hour_sources);
}
