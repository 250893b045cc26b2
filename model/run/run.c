/* run.c — the hour loop: for each hour, the solver stage's planes, summed
 * once on the grid, handed to every product; blocks of hours, checkpoints
 * and the second pass around it (see run.h and product.h). */
#include "run/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/lt_par.h"
#include "io/checkpoint.h"
#include "run/run_impl.h"

#define RCHUNK 512      /* receptors per chunk of the per-hour sums */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int lt_run_create(lt_run **out, lt_case *cs, const lt_run_options *opt, lt_error *err)
{
    *out = NULL;
    lt_run *run = calloc(1, sizeof *run);
    if (!run)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    const lt_config *cfg = lt_case_config(cs);
    run->cs = cs;
    run->cfg = cfg;
    run->opt = *opt;
    if (run->opt.mpi_ranks < 1)
        run->opt.mpi_ranks = 1;
    lt_run_shape *s = &run->shape;
    s->nx = cfg->nx;
    s->ny = cfg->ny;
    s->ngrid = (size_t)cfg->nx * (size_t)cfg->ny;
    lt_case_stations(cs, &s->nst);
    s->nrec = s->ngrid + s->nst;
    s->hours = cfg->hours;
    s->start_s = cfg->start_s;
    s->ntags = lt_case_ntags(cs);
    s->ngroups = lt_case_ngroups(cs);
    s->ncomp = lt_case_ncomp(cs);
    s->ncty = lt_case_nsrc_counties(cs);
    const lt_aqi_table *aqi = lt_case_aqi(cs);
    double day0 = lt_local_day_start(cfg->start_s, aqi ? aqi->utc_offset_h : cfg->utc_offset_h);
    s->ndays = (size_t)lt_local_day_index(cfg->start_s + 3600.0 * (cfg->hours - 1), day0) + 1;
    snprintf(run->ck_path, sizeof run->ck_path, "%s.ckpt", cfg->output_file);
    *out = run;
    return LT_OK;
}

int lt_run_attach(lt_run *run, const lt_product_ops *ops, void *self, lt_error *err)
{
    if (run->nprod == MAX_PRODUCTS) {
        if (ops->destroy)
            ops->destroy(self);
        return lt_error_set(err, LT_EINTERNAL, "more than %d products attached to a run", MAX_PRODUCTS);
    }
    run->prod[run->nprod].ops = ops;
    run->prod[run->nprod++].self = self;
    return LT_OK;
}

const lt_case *lt_run_case_of(const lt_run *run) { return run->cs; }
const lt_run_shape *lt_run_shape_of(const lt_run *run) { return &run->shape; }
lt_gridrun *lt_run_gridrun(const lt_run *run) { return run->sv ? lt_solver_gridrun(run->sv) : NULL; }

void lt_run_free(lt_run **p)
{
    lt_run *run = p ? *p : NULL;
    if (!run)
        return;
    lt_output_abort(&run->out);
    for (int i = 0; i < run->nprod; i++)
        if (run->prod[i].ops->destroy)
            run->prod[i].ops->destroy(run->prod[i].self);
    lt_solver_free(&run->sv);
    free(run->inputs);
    free(run->v_tag);
    free(run->v_cty);
    free(run->v_comp);
    free(run->v_total);
    free(run);
    *p = NULL;
}

/* The frame of the file, every product's variables, and the hour's sums. */
static int open_output(lt_run *run, lt_error *err)
{
    const lt_config *cfg = run->cfg;
    const lt_case *cs = run->cs;
    const lt_aqi_table *aqi = lt_case_aqi(cs);
    size_t nst;
    const lt_station *st = lt_case_stations(cs, &nst);
    lt_output_spec spec = {
        .path = cfg->output_file, .domain = lt_case_domain(cs), .start_s = cfg->start_s,
        .hours = cfg->hours, .ntags = run->shape.ntags, .tag_names = lt_case_tag_names(cs),
        .stations = st, .nstations = nst, .deflate = cfg->deflate,
        .significant_digits = cfg->significant_digits, .config_text = cfg->text,
        .command_line = run->opt.command_line, .config_path = cfg->path, .version = run->opt.version,
        .curves = cfg->curves, .day_utc_offset_h = aqi ? aqi->utc_offset_h : cfg->utc_offset_h,
        .regions = lt_case_regions(cs), .cell_region = lt_case_cell_region(cs),
        .nsrc_counties = run->shape.ncty, .src_county_names = lt_case_src_county_names(cs),
        .solver = cfg->solver, .grid_nx = cfg->nx / cfg->grid_coarsen, .grid_ny = cfg->ny / cfg->grid_coarsen,
        .grid_nz = cfg->grid_nz, .grid_dx_m = cfg->dx_m * cfg->grid_coarsen,
        .grid_top_m = cfg->grid_top_m[cfg->grid_nz - 1], .temp_files = run->opt.temp_files};
    size_t ng = run->shape.ngrid;
    run->v_tag = malloc((size_t)run->shape.ntags * ng * sizeof *run->v_tag);
    run->v_cty = malloc(run->shape.ncty * ng * sizeof *run->v_cty);
    run->v_comp = malloc((size_t)run->shape.ncomp * ng * sizeof *run->v_comp);
    run->v_total = malloc(ng * sizeof *run->v_total);
    if (!run->v_tag || !run->v_cty || !run->v_comp || !run->v_total)
        return lt_error_set(err, LT_ENOMEM, "out of memory for %zu receptors x %d source groups", run->shape.nrec,
                            run->shape.ngroups);
    int rc = lt_output_create(&run->out, &spec, err);
    for (int i = 0; i < run->nprod && !rc; i++)
        if (run->prod[i].ops->start)
            rc = run->prod[i].ops->start(run->prod[i].self, run->out, err);
    return rc ? rc : lt_output_begin_data(run->out, err);
}

/* The records a checkpoint carries: the run's, the solver stage's, then
 * every product's. */
static int build_state(lt_run *run, lt_error *err)
{
    memset(&run->state, 0, sizeof run->state);
    lt_solver_state(run->sv, &run->state);
    for (int i = 0; i < run->nprod; i++)
        if (run->prod[i].ops->state)
            run->prod[i].ops->state(run->prod[i].self, &run->state);
    if (run->state.overflow)
        return lt_error_set(err, LT_EINTERNAL, "a checkpoint of more than %d records", LT_STATE_MAX);
    return LT_OK;
}

/* The group planes of the hour summed on the grid per tag, county tag and
 * component, and in all: plane by plane on chunks of receptors (each
 * receptor's sums formed in the same order as one receptor at a time). */
static void sum_planes(lt_run *run, const double *gconc)
{
    const lt_run_shape *s = &run->shape;
    const int *gtag = lt_case_group_tags(run->cs), *gcty = lt_case_group_counties(run->cs);
    const size_t ngrid = s->ngrid, nrec = s->nrec;
    const int ncomp = s->ncomp;
    long nchk = ((long)ngrid + RCHUNK - 1) / RCHUNK;
#pragma omp parallel for schedule(static) if ((double)s->ngroups * (ncomp + 2.0) * (double)ngrid >= LT_PAR_MIN_WORK)
    for (long ck = 0; ck < nchk; ck++) {
        size_t r0 = (size_t)ck * RCHUNK, m = ngrid - r0 < RCHUNK ? ngrid - r0 : RCHUNK;
        double vg[RCHUNK];
        for (int tag = 0; tag < s->ntags; tag++)
            memset(run->v_tag + (size_t)tag * ngrid + r0, 0, m * sizeof(double));
        for (size_t c = 0; c < s->ncty; c++)
            memset(run->v_cty + c * ngrid + r0, 0, m * sizeof(double));
        for (int c = 0; c < ncomp; c++)
            memset(run->v_comp + (size_t)c * ngrid + r0, 0, m * sizeof(double));
        for (int g = 0; g < s->ngroups; g++) {
            memset(vg, 0, m * sizeof *vg);
            for (int c = 0; c < ncomp; c++) {
                const double *gp = gconc + ((size_t)g * ncomp + c) * nrec + r0;
                double *pc = run->v_comp + (size_t)c * ngrid + r0;
                for (size_t r = 0; r < m; r++) {
                    pc[r] += gp[r];
                    vg[r] += gp[r];
                }
            }
            double *ps = run->v_tag + (size_t)gtag[g] * ngrid + r0;
            double *py = run->v_cty + (size_t)gcty[g] * ngrid + r0;
            for (size_t r = 0; r < m; r++) {
                ps[r] += vg[r];
                py[r] += vg[r];
            }
        }
        double *tot = run->v_total + r0;
        memset(tot, 0, m * sizeof *tot);
        for (int tag = 0; tag < s->ntags; tag++) {
            const double *ps = run->v_tag + (size_t)tag * ngrid + r0;
            for (size_t r = 0; r < m; r++)
                tot[r] += ps[r];
        }
    }
}

/* Hour h of pass `pass` (slot b of its block): the planes, handed to every product. */
static int one_hour(lt_run *run, int pass, int h, int b, lt_error *err)
{
    if (run->opt.stop && *run->opt.stop)
        return lt_error_set(err, LT_EINTR, "%s: stopped by signal %d at hour %d of %d: nothing written (a checkpoint, "
                            "if there is one, stays for --restart)", run->cfg->output_file, (int)*run->opt.stop, h,
                            run->shape.hours);
    int rc = lt_solver_hour(run->sv, h, pass == 1, err);
    if (rc)
        return rc;
    lt_planes p = {.pass = pass, .h = h, .slot = b, .calm = lt_solver_calm(run->sv),
                   .weather = lt_solver_weather(run->sv), .group = lt_solver_planes(run->sv),
                   .gas = lt_solver_gases(run->sv)};
    if (pass == 1) {
        sum_planes(run, p.group);
        p.tag = run->v_tag;
        p.county = run->v_cty;
        p.comp = run->v_comp;
        p.total = run->v_total;
    }
    for (int i = 0; i < run->nprod && !rc; i++)
        if (run->prod[i].ops->add_hour)
            rc = run->prod[i].ops->add_hour(run->prod[i].self, &p, err);
    if (!rc && pass == 1 && run->opt.progress)
        run->opt.progress(run->opt.progress_user, h + 1, run->shape.hours, now_s() - run->t_start);
    return rc;
}

static uint64_t run_fingerprint(const lt_run *run)
{
    return lt_ckpt_fingerprint(run->cfg->text, lt_ckpt_fingerprint(run->opt.version, 0));
}

/* The copy of the output a checkpoint at hour `done` keeps: OUTPUT.ckpt-DONE.nc. */
static void copy_name(const lt_run *run, int done, char *buf, size_t n)
{
    snprintf(buf, n, "%s.ckpt-%d.nc", run->cfg->output_file, done);
}

/* The size and CRC-32 of every input, once (checkpoints carry them). */
static int hash_inputs(lt_run *run, lt_error *err)
{
    if (run->inputs || !(run->cfg->checkpoint_hours || run->opt.restart))
        return LT_OK;
    const char *const *paths;
    run->ninputs = lt_case_inputs(run->cs, &paths);
    if (!(run->inputs = calloc(run->ninputs ? run->ninputs : 1, sizeof *run->inputs)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (size_t i = 0; i < run->ninputs; i++) {
        int rc = lt_ckpt_hash_file(paths[i], &run->inputs[i], err);
        if (rc)
            return rc;
    }
    return LT_OK;
}

/* The state after hours [0, done): a copy of the file so far, and the
 * records beside it; the previous checkpoint's copy goes. */
static int checkpoint(lt_run *run, int done, lt_error *err)
{
    char copy[sizeof run->ck_copy];
    lt_ckpt *ck = NULL;
    copy_name(run, done, copy, sizeof copy);
    int rc;
    if ((rc = lt_output_snapshot(run->out, copy, err)) ||
        (rc = lt_ckpt_create(&ck, run->ck_path, run_fingerprint(run), done, (long)getpid(), run->inputs,
                             run->ninputs, run->opt.temp_files, err)))
        return rc;
    for (int i = 0; i < run->state.n; i++)
        if (run->state.rec[i].data && run->state.rec[i].bytes)
            lt_ckpt_put(ck, run->state.rec[i].name, run->state.rec[i].data, run->state.rec[i].bytes);
    if ((rc = lt_ckpt_commit(&ck, err)))
        return rc;
    if (run->ck_copy[0] && strcmp(run->ck_copy, copy))
        remove(run->ck_copy);
    snprintf(run->ck_copy, sizeof run->ck_copy, "%s", copy);
    return LT_OK;
}

/* --restart: the hour to resume at and, on rank 0, the file so far and every
 * record read back; the stopped run's partial file (OUTPUT.partPID, from the
 * process id the checkpoint records) removed. */
static int restore(lt_run *run, lt_error *err)
{
    lt_ckpt *ck = NULL;
    long pid = 0;
    int rc = hash_inputs(run, err);
    if (!rc)
        rc = lt_ckpt_open(&ck, run->ck_path, run_fingerprint(run), run->inputs, run->ninputs, run->shape.hours,
                          &run->h_start, &pid, err);
    if (rc)
        return rc;
    if (run->h_start % LT_BLOCK_HOURS)
        rc = lt_error_set(err, LT_EINPUT, "%s: the checkpoint is at hour %d: expected a multiple of %d before "
                          "the run's %d hours", run->ck_path, run->h_start, LT_BLOCK_HOURS, run->shape.hours);
    copy_name(run, run->h_start, run->ck_copy, sizeof run->ck_copy);
    if (!rc && run->opt.mpi_rank == 0) {
        rc = lt_output_restore(run->out, run->ck_copy, err);
        for (int i = 0; i < run->state.n && !rc; i++)
            if (run->state.rec[i].data && run->state.rec[i].bytes)
                rc = lt_ckpt_get(ck, run->state.rec[i].name, run->state.rec[i].data, run->state.rec[i].bytes, err);
        char partial[LT_PATH_MAX + 64];
        snprintf(partial, sizeof partial, "%s.part%ld", run->cfg->output_file, pid);
        if (!rc && strcmp(partial, lt_output_partial_path(run->out)))
            remove(partial);
    }
    lt_ckpt_close(&ck);
    return rc;
}

/* Pass 1 over [h_start, hours) in blocks, with checkpoints at block ends. */
static int first_pass(lt_run *run, lt_error *err)
{
    const int hours = run->shape.hours;
    int rc = LT_OK;
    for (int h0 = run->h_start; h0 < hours && !rc; h0 += LT_BLOCK_HOURS) {
        int nh = hours - h0 < LT_BLOCK_HOURS ? hours - h0 : LT_BLOCK_HOURS;
        for (int b = 0; b < nh && !rc; b++)
            rc = one_hour(run, 1, h0 + b, b, err);
        for (int i = 0; i < run->nprod && !rc; i++)
            if (run->prod[i].ops->end_block)
                rc = run->prod[i].ops->end_block(run->prod[i].self, h0, nh, err);
        int done = h0 + nh, every = run->cfg->checkpoint_hours;
        if (!rc && every && done % every == 0 && done < hours)
            rc = checkpoint(run, done, err);
    }
    return rc;
}

/* How many passes the products need (1 or 2). */
static int passes_needed(const lt_run *run)
{
    int passes = 1;
    for (int i = 0; i < run->nprod; i++)
        if (run->prod[i].ops->passes && run->prod[i].ops->passes(run->prod[i].self) > passes)
            passes = 2;
    return passes;
}

/* What the solver stage counted, into the summary. */
static void counts_to_summary(const lt_counts *c, lt_summary *sum)
{
    sum->calm_hours = (int)c->calm_hours;
    sum->calm_source_hours = (long)c->calm_source_hours;
    sum->source_hours = (long)c->source_hours;
    for (int k = 0; k < 6; k++)
        sum->class_hours[k] = (long)c->class_hours[k];
    sum->evaluations = c->evaluations;
    sum->kernel_seconds = c->kernel_seconds;
    sum->gridded_seconds = c->gridded_seconds;
    sum->gridded_cell_hours = c->gridded_cell_hours;
    sum->bg_hours = (int)c->bg_hours;
    sum->bg_clipped_hours = (int)c->bg_clipped_hours;
    sum->bg_obs_mean = c->bg_hours > 0 ? c->bg_obs_sum / c->bg_hours : 0.0;
    sum->bg_local_mean = c->bg_hours > 0 ? c->bg_local_sum / c->bg_hours : 0.0;
    sum->bg_clipped_mean = c->bg_hours > 0 ? c->bg_clipped_sum / c->bg_hours : 0.0;
}

static int end_pass(lt_run *run, int pass, lt_summary *sum, lt_error *err)
{
    int rc = LT_OK;
    for (int i = 0; i < run->nprod && !rc; i++)
        if (run->prod[i].ops->end_pass)
            rc = run->prod[i].ops->end_pass(run->prod[i].self, pass, sum, err);
    return rc;
}

/* Pass 2 over the hours and groups the products mark (rerun), or over all
 * of them for a product without rerun; the solver steps every hour and
 * group where it must (the grid model) and disperses only the marked ones
 * otherwise. */
static int second_pass(lt_run *run, lt_summary *sum, lt_error *err)
{
    const int hours = run->shape.hours, ngroups = run->shape.ngroups;
    int *need = calloc((size_t)hours + (size_t)ngroups + 1, sizeof *need), *groups = need + hours;
    if (!need)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int i = 0; i < run->nprod; i++) {
        const lt_product_ops *o = run->prod[i].ops;
        if (o->rerun)
            o->rerun(run->prod[i].self, need, groups);
        else if (o->passes && o->passes(run->prod[i].self) == 2)
            for (int k = 0; k < hours + ngroups; k++)
                need[k] = 1;
    }
    int rc = lt_solver_rewind(run->sv, need, groups, err), last = -1;
    for (int h = 0; h < hours; h++)
        last = need[h] ? h : last; /* a solver that steps every hour stops after it */
    for (int h = 0; h <= last && !rc; h++)
        if (need[h] || lt_solver_steps_every_hour(run->sv)) {
            rc = one_hour(run, 2, h, 0, err);
            sum->reruns++;
        }
    for (int g = 0; g < ngroups && last >= 0; g++)
        sum->rerun_groups += groups[g] != 0 || lt_solver_steps_every_hour(run->sv);
    free(need);
    return rc;
}

int lt_run_exec(lt_run *run, lt_summary *sum, lt_error *err)
{
    run->t_start = now_s();
    memset(sum, 0, sizeof *sum);
    sum->hours = run->shape.hours;
    sum->ntags = run->shape.ntags;
    sum->ngroups = run->shape.ngroups;
    sum->nstations = run->shape.nst;
    sum->solver = run->cfg->solver;
#ifdef _OPENMP
    sum->threads = omp_get_max_threads();
#else
    sum->threads = 1;
#endif
    lt_preflight pf;
    int rc = run->opt.mpi_rank == 0 ? lt_run_preflight(run, &pf, err) : LT_OK, passes = passes_needed(run);
    if (rc || (rc = lt_solver_create(&run->sv, run->cs, run->opt.mpi_rank, run->opt.mpi_ranks, err)))
        return rc;
    if (run->opt.mpi_rank > 0) {
        /* another rank: disperse its hours and send them to rank 0 */
        if (run->opt.restart && (rc = restore(run, err)))
            return rc;
        return lt_solver_worker(run->sv, passes, run->h_start, err);
    }
    if ((rc = hash_inputs(run, err)) || (rc = open_output(run, err)) || (rc = build_state(run, err)) ||
        (run->opt.restart && (rc = restore(run, err))) || (rc = first_pass(run, err)))
        goto done;
    counts_to_summary(lt_solver_counts(run->sv), sum);
    if ((rc = end_pass(run, 1, sum, err)))
        goto done;
    if (passes == 2 && ((rc = second_pass(run, sum, err)) || (rc = end_pass(run, 2, sum, err))))
        goto done;
    for (int i = 0; i < run->nprod && !rc; i++)
        if (run->prod[i].ops->finish)
            rc = run->prod[i].ops->finish(run->prod[i].self, sum, err);
    if (!rc && !(rc = lt_output_commit(&run->out, err)) && run->ck_copy[0]) {
        remove(run->ck_path); /* complete: the checkpoint has served */
        remove(run->ck_copy);
    }
done:
    lt_output_abort(&run->out);
    if (rc)
        lt_summary_free(sum);
    sum->wall_seconds = now_s() - run->t_start;
    return rc;
}

void lt_summary_free(lt_summary *s)
{
    free(s->station_mean);
    free(s->station_max);
    free(s->station_tag_mean);
    s->station_tag_mean = NULL;
    free(s->county_share);
    free(s->county_mean);
    free(s->day_alert);
    free(s->day_aqi);
    free(s->scen_day_aqi);
    free(s->annual);
    s->annual = NULL;
    s->nannual = 0;
    s->county_share = s->county_mean = NULL;
    s->day_alert = s->day_aqi = s->scen_day_aqi = NULL;
    s->station_mean = s->station_max = NULL;
}
