/* fields.c — the apportioned maps: PM2.5 per sector tag (pm25_src), per
 * county tag (pm25_county) and per component (pm25_primary, so4, no3, soa,
 * nh4), each averaged as [output] average_src, average_county and
 * average_components ask: hourly values are buffered a block at a time;
 * daily and whole-run means are summed and written when their day or the
 * run ends. One implementation, three products. */
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "physics/chem.h"
#include "products/product_util.h"
#include "products/products.h"

enum { FIELD_SRC, FIELD_COUNTY, FIELD_COMP };

typedef struct field {
    int kind, mode, nlev;  /* FIELD_*, LT_AVG_*, levels: tags, county tags or components */
    const lt_run_shape *s;
    lt_output *out;
    int varid[LT_NCOMP_GRID]; /* one variable (tags, counties) or one per component */
    float *block;          /* hour: [LT_BLOCK_HOURS][nlev][cell]; else [nlev][cell] */
    double *sum;           /* day, period: [nlev][cell] */
    int pos[2];            /* the day or period being summed (-1: none), hours in it */
    char state_sum[32], state_pos[32];
} field;

/* The component maps: names, standard names and long names (plume, grid). */
static const char *const comp_var[LT_NCOMP_GRID] = {"pm25_primary", "so4", "no3", "soa", "nh4"};
static const char *const comp_label[LT_NCOMP_GRID] = {"primary", "so4", "no3", "soa", "nh4"};
static const char *const comp_std[LT_NCOMP_GRID] = {
    NULL, "mass_concentration_of_sulfate_dry_aerosol_particles_in_air",
    "mass_concentration_of_nitrate_dry_aerosol_particles_in_air",
    "mass_concentration_of_secondary_particulate_organic_matter_dry_aerosol_particles_in_air",
    "mass_concentration_of_ammonium_dry_aerosol_particles_in_air"};
static const char *const plume_long[LT_NCOMP] = {
    "primary PM2.5 (after dry and wet removal along the plume)",
    "sulfate formed from SO2 along the plume (first order)",
    "nitrate formed from NOx along the plume (first order; all HNO3 counted as nitrate)",
    "secondary organic aerosol formed from VOC along the plume (first order, fixed yield)"};
static const char *const grid_long[LT_NCOMP_GRID] = {
    "primary PM2.5 (after deposition and transport)",
    "sulfate formed from SO2 (gas phase and aqueous, first order)",
    "particulate nitrate: total nitrate from NOx in equilibrium with ammonia (NH4NO3)",
    "secondary organic aerosol formed from VOC (first order, fixed yield)",
    "particulate ammonium: neutralising sulfate first, then as NH4NO3"};

/* The component label dimension (shared with components.c). */
int lt_fields_component_dim(lt_output *out, int ncomp, int *dimid, lt_error *err)
{
    return lt_output_def_labels(out, "component", "component_name", "PM2.5 component", (size_t)ncomp,
                                comp_label, dimid, err);
}

static int define_components(field *f, lt_output *out, int d_avg, size_t c_avg, lt_error *err)
{
    size_t ct, cy, cx, cs;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    int d_comp, w = f->mode, rc = lt_fields_component_dim(out, f->nlev, &d_comp, err);
    int d3[3] = {d_avg, lt_output_dim_of(out, w, "y"), lt_output_dim_of(out, w, "x")};
    size_t c3[3] = {c_avg, cy, cx};
    for (int c = 0; c < f->nlev && !rc; c++) {
        int v;
        if ((rc = lt_output_def_float_in(out, w, comp_var[c], 3, d3, c3, &v, err)))
            break;
        f->varid[c] = v;
        if (comp_std[c] && (rc = lt_output_atts_in(out, w, v, err, "standard_name", comp_std[c], NULL)))
            break;
        rc = lt_output_atts_in(
            out, w, v, err, "long_name", f->nlev == LT_NCOMP ? plume_long[c] : grid_long[c], "units", "ug m-3",
            "cell_methods", "time: mean", "grid_mapping", "crs", "coordinates", "lat lon", "comment",
            f->nlev == LT_NCOMP
                ? "pm25 = pm25_primary + so4 + no3 + soa. Ammonium and the ammonium nitrate "
                  "equilibrium are not in the plume model (method = grid treats them)."
                : "pm25 = pm25_primary + so4 + no3 + soa + nh4. Nitrate is attributed to the tags "
                  "in proportion to their total nitrate, ammonium in proportion to their total "
                  "ammonia (the partition itself is computed on the totals).",
            NULL);
    }
    return rc;
}

static int field_start(void *self, lt_output *out, lt_error *err)
{
    field *f = self;
    f->out = out;
    size_t ct, cy, cx, cs;
    lt_output_chunking(out, &ct, &cy, &cx, &cs);
    /* the averaging's file: hourly, daily or whole-run (LT_AVG_* are LT_OUT_*) */
    int w = f->mode, ncid, rc = lt_output_file(out, w, &ncid, err);
    if (rc)
        return rc;
    int d_avg = lt_output_dim_of(out, w, "time");
    size_t c_avg = f->mode == LT_AVG_HOUR ? ct : 1;
    if (f->kind == FIELD_COMP) {
        rc = define_components(f, out, d_avg, c_avg, err);
    } else {
        int src = f->kind == FIELD_SRC;
        int d4[4] = {d_avg, lt_output_dim_of(out, w, src ? "source" : "source_county"), lt_output_dim_of(out, w, "y"),
                     lt_output_dim_of(out, w, "x")};
        size_t c4[4] = {c_avg, 1, cy, cx};
        if (!(rc = lt_output_def_float_in(out, w, src ? "pm25_src" : "pm25_county", 4, d4, c4, &f->varid[0], err)))
            rc = lt_output_atts_in(
                out, w, f->varid[0], err, "standard_name", LT_PM25_STDNAME, "long_name",
                src ? "PM2.5 concentration contributed by each source tag (sector)"
                    : "PM2.5 concentration contributed by the sources of each county (source_county)",
                "units", "ug m-3", "cell_methods", "time: mean", "grid_mapping", "crs", "coordinates", "lat lon",
                "comment",
                src ? "Sums over source equal pm25 (averaged alike); the plume model is linear in emissions."
                    : "Sums over source_county equal pm25 averaged alike. The background tag is a county tag of "
                      "its own.",
                NULL);
        if (!rc && src)
            rc = lt_output_atts_in(out, w, f->varid[0], err, "coverage_content_type", "modelResult", NULL);
    }
    if (rc)
        return rc;
    size_t n = (size_t)f->nlev * f->s->ngrid;
    f->block = malloc((f->mode == LT_AVG_HOUR ? LT_BLOCK_HOURS : 1) * n * sizeof *f->block);
    f->sum = f->mode == LT_AVG_HOUR ? NULL : calloc(n, sizeof *f->sum);
    if (!f->block || (f->mode != LT_AVG_HOUR && !f->sum))
        return lt_error_set(err, LT_ENOMEM, "out of memory for the apportioned maps");
    return LT_OK;
}

/* Writes nt steps from t0: data[nt][nlev][cell]. */
static int field_write(field *f, int t0, int nt, const float *data, lt_error *err)
{
    int rc;
    size_t ng = f->s->ngrid, nl = (size_t)f->nlev;
    if (f->kind != FIELD_COMP) {
        if (f->mode == LT_AVG_HOUR)
            return lt_output_put_hours(f->out, f->varid[0], t0, nt, f->nlev, nl * ng, data, err);
        size_t s4[4] = {(size_t)t0, 0, 0, 0}, c4[4] = {(size_t)nt, nl, (size_t)f->s->ny, (size_t)f->s->nx};
        if ((rc = lt_output_put_floats_in(f->out, f->mode, f->varid[0], s4, c4, data, err)))
            return rc;
        return LT_OK;
    }
    for (int c = 0; c < f->nlev; c++) {
        if (f->mode == LT_AVG_HOUR) {
            if ((rc = lt_output_put_hours(f->out, f->varid[c], t0, nt, 1, nl * ng, data + (size_t)c * ng, err)))
                return rc;
            continue;
        }
        for (int t = 0; t < nt; t++) {
            size_t s3[3] = {(size_t)(t0 + t), 0, 0}, c3[3] = {1, (size_t)f->s->ny, (size_t)f->s->nx};
            if ((rc = lt_output_put_floats_in(f->out, f->mode, f->varid[c], s3, c3, data + ((size_t)t * nl + (size_t)c) * ng,
                                              err)))
                return rc;
        }
    }
    return LT_OK;
}

/* The mean of the day or period summed so far, written. */
static int field_flush(field *f, lt_error *err)
{
    if (f->mode == LT_AVG_HOUR || f->pos[0] < 0 || !f->pos[1])
        return LT_OK;
    size_t n = (size_t)f->nlev * f->s->ngrid;
    for (size_t i = 0; i < n; i++) {
        f->block[i] = (float)(f->sum[i] / f->pos[1]);
        f->sum[i] = 0.0;
    }
    f->pos[1] = 0;
    return field_write(f, f->pos[0], 1, f->block, err);
}

static int field_add_hour(void *self, const lt_planes *p, lt_error *err)
{
    field *f = self;
    if (p->pass != 1)
        return LT_OK;
    const double *v = f->kind == FIELD_SRC ? p->tag : f->kind == FIELD_COUNTY ? p->county : p->comp;
    size_t n = (size_t)f->nlev * f->s->ngrid;
    if (f->mode == LT_AVG_HOUR) {
        float *dst = f->block + (size_t)p->slot * n;
        for (size_t i = 0; i < n; i++)
            dst[i] = (float)v[i];
        return LT_OK;
    }
    int idx = f->mode == LT_AVG_PERIOD ? 0 : lt_output_day_of_hour(f->out, p->h);
    if (idx != f->pos[0]) {
        int rc = field_flush(f, err);
        if (rc)
            return rc;
        f->pos[0] = idx;
    }
    for (size_t i = 0; i < n; i++)
        f->sum[i] += v[i];
    f->pos[1]++;
    return LT_OK;
}

static int field_end_block(void *self, int h0, int nh, lt_error *err)
{
    field *f = self;
    return f->mode == LT_AVG_HOUR ? field_write(f, h0, nh, f->block, err) : LT_OK;
}

static int field_end_pass(void *self, int pass, lt_summary *sum, lt_error *err)
{
    (void)sum;
    return pass == 1 ? field_flush(self, err) : LT_OK;
}

static void field_state(void *self, lt_state *st)
{
    field *f = self;
    lt_state_add(st, f->state_sum, f->sum, f->sum ? (size_t)f->nlev * f->s->ngrid * sizeof *f->sum : 0);
    lt_state_add(st, f->state_pos, f->pos, sizeof f->pos);
}

static void field_destroy(void *self)
{
    field *f = self;
    free(f->block);
    free(f->sum);
    free(f);
}

static void field_estimate(const void *self, double *mem, double *out)
{
    const field *f = self;
    double n = (double)f->nlev * (double)f->s->ngrid;
    double steps = f->mode == LT_AVG_HOUR ? f->s->hours : f->mode == LT_AVG_DAY ? (double)f->s->ndays : 1.0;
    *mem = f->mode == LT_AVG_HOUR ? LT_BLOCK_HOURS * n * 4.0 : n * 12.0;
    *out = steps * n * 4.0;
}

static const lt_product_ops field_ops = {
    .name = "fields", .start = field_start, .add_hour = field_add_hour, .end_block = field_end_block,
    .end_pass = field_end_pass, .state = field_state, .destroy = field_destroy, .estimate = field_estimate};

static int attach_field(lt_run *run, int kind, int mode, int nlev, lt_error *err)
{
    static const char *const names[3] = {"src", "county", "comp"};
    field *f = calloc(1, sizeof *f);
    if (!f)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    f->kind = kind;
    f->mode = mode;
    f->nlev = nlev;
    f->s = lt_run_shape_of(run);
    f->pos[0] = -1;
    snprintf(f->state_sum, sizeof f->state_sum, "field_%s_sum", names[kind]);
    snprintf(f->state_pos, sizeof f->state_pos, "field_%s_pos", names[kind]);
    return lt_run_attach(run, &field_ops, f, err);
}

int lt_fields_attach(lt_run *run, lt_error *err)
{
    const lt_config *cfg = lt_case_config(lt_run_case_of(run));
    const lt_run_shape *s = lt_run_shape_of(run);
    int rc;
    if ((rc = attach_field(run, FIELD_SRC, cfg->average_src, s->ntags, err)) ||
        (rc = attach_field(run, FIELD_COUNTY, cfg->average_county, (int)s->ncty, err)) ||
        (s->ncomp > 1 && (rc = attach_field(run, FIELD_COMP, cfg->average_components, s->ncomp, err))))
        return rc;
    return LT_OK;
}
