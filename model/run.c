/* run.c — loading a case and running the plume model hour by hour. */
#include "run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "output.h"
#include "plume.h"
#include "rise.h"
#include "sigma.h"
#include "stability.h"

#define BLOCK_HOURS 24 /* hours buffered before each write: one chunk in time */
#define PI 3.14159265358979323846

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int lt_case_load(lt_case *cs, const lt_config *cfg, lt_error *err)
{
    memset(cs, 0, sizeof *cs);
    cs->cfg = cfg;
    int rc;
    if ((rc = lt_domain_create(&cs->domain, cfg->center_lon, cfg->center_lat, cfg->nx, cfg->ny,
                               cfg->dx_m, err)) ||
        (rc = lt_points_read(cfg->points_file, cfg, &cs->points, &cs->npoints, err)) ||
        (rc = lt_stations_read(cfg->stations_file, &cs->stations, &cs->nstations, err)))
        goto fail;
    for (size_t i = 0; i < cs->npoints; i++) {
        lt_point *p = &cs->points[i];
        double out;
        if (lt_domain_forward(cs->domain, p->lon, p->lat, &p->x_m, &p->y_m) ||
            (out = lt_domain_outside_m(cs->domain, p->x_m, p->y_m)) > 1000.0 * cfg->margin_km) {
            rc = lt_error_set(err, LT_EINPUT,
                              "%s:%d: source '%s' at lon %.4f, lat %.4f lies outside the domain "
                              "(by more than [sources] margin_km = %g km): expected a source in "
                              "or near the %d x %d km grid centred on %.4f E, %.4f N",
                              cfg->points_file, p->line, p->id, p->lon, p->lat, cfg->margin_km,
                              (int)(cfg->nx * cfg->dx_m / 1000), (int)(cfg->ny * cfg->dx_m / 1000),
                              cfg->center_lon, cfg->center_lat);
            goto fail;
        }
        p->north_rot = lt_domain_north_rotation(cs->domain, p->lon, p->lat);
    }
    for (size_t i = 0; i < cs->nstations; i++) {
        lt_station *s = &cs->stations[i];
        if (lt_domain_forward(cs->domain, s->lon, s->lat, &s->x_m, &s->y_m) ||
            lt_domain_outside_m(cs->domain, s->x_m, s->y_m) > 0.0) {
            rc = lt_error_set(err, LT_EINPUT,
                              "%s: station '%s' at lon %.4f, lat %.4f lies outside the receptor grid: "
                              "expected stations inside the domain",
                              cfg->stations_file, s->id, s->lon, s->lat);
            goto fail;
        }
    }
    /* Tags: the sectors that have sources, in the config's order. */
    int has[LT_MAX_SECTORS] = {0};
    for (size_t i = 0; i < cs->npoints; i++)
        has[cs->points[i].sector] = 1;
    cs->ntags = 0;
    for (int k = 0; k < cfg->nsectors; k++) {
        cs->tag_of_sector[k] = has[k] ? cs->ntags : -1;
        if (has[k])
            cs->tag_names[cs->ntags++] = cfg->sectors[k];
    }
    cs->background_tag = -1;
    if (cfg->background_file[0]) {
        cs->background = malloc((size_t)cfg->hours * sizeof *cs->background);
        if (!cs->background) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = lt_background_read(cfg->background_file, cfg->start_s, cfg->hours, cs->background, err)))
            goto fail;
        cs->background_tag = cs->ntags;
        cs->tag_names[cs->ntags++] = cfg->background_name;
    }
    if (cfg->aqi_rules[0]) {
        if ((rc = lt_aqi_table_read(&cs->aqi, cfg->aqi_rules, err)))
            goto fail;
        cs->have_aqi = 1;
    }
    if (cfg->alert_rules[0]) {
        if ((rc = lt_alert_rules_read(&cs->alert, cfg->alert_rules, err)))
            goto fail;
        cs->have_alert = 1;
    }
    if ((rc = lt_met_open(&cs->met, cfg->met_file, err)) ||
        (rc = lt_met_check_coverage(cs->met, cfg->start_s, cfg->hours, err)))
        goto fail;
    return LT_OK;
fail:
    lt_case_free(cs);
    return rc;
}

int lt_case_check_met(lt_case *cs, lt_error *err)
{
    for (int h = 0; h < cs->cfg->hours; h++) {
        int rc = lt_met_load(cs->met, cs->cfg->start_s + 3600.0 * h, err);
        if (rc)
            return rc;
    }
    return LT_OK;
}

void lt_case_free(lt_case *cs)
{
    lt_domain_free(&cs->domain);
    lt_met_close(&cs->met);
    free(cs->points);
    free(cs->stations);
    free(cs->background);
    cs->points = NULL;
    cs->stations = NULL;
    cs->background = NULL;
}

void lt_summary_free(lt_summary *s)
{
    free(s->station_mean);
    free(s->station_max);
    s->station_mean = s->station_max = NULL;
}

/* Prepares each source for this hour; returns how many are active. */
static size_t prepare_sources(const lt_case *cs, const lt_sigma_curves *curves,
                              lt_plume_src *src, int *calm_count, lt_summary *sum)
{
    const lt_config *cfg = cs->cfg;
    size_t n = 0;
    *calm_count = 0;
    for (size_t i = 0; i < cs->npoints; i++) {
        const lt_point *p = &cs->points[i];
        if (p->pm25_tpy <= 0.0)
            continue;
        lt_met_point m;
        lt_met_sample(cs->met, p->lon, p->lat, &m);
        double speed = hypot(m.u10, m.v10);
        sum->source_hours++;
        if (speed < LT_CALM_MS) {
            (*calm_count)++;
            sum->calm_source_hours++;
            if (!cfg->calm_minwind || speed == 0.0)
                continue; /* ISC3: calm hours are not modelled */
            m.u10 *= LT_CALM_MS / speed;
            m.v10 *= LT_CALM_MS / speed;
            speed = LT_CALM_MS;
        }
        lt_pg_class cls = lt_stability_golder(m.rmol, cfg->z0_m);
        sum->class_hours[cls]++;
        double us = lt_wind_at_height(speed, cfg->wind_height_m, p->height_m, cls, curves->urban);
        double us_dil = us > 1.0 ? us : 1.0; /* ISC3 minimum of 1 m/s */
        lt_plume_src *s = &src[n++];
        s->x_m = p->x_m;
        s->y_m = p->y_m;
        double ang = atan2(m.v10, m.u10) + p->north_rot;
        s->cos_t = cos(ang);
        s->sin_t = sin(ang);
        double q_ugs = p->pm25_tpy * 1e12 / LT_SECONDS_PER_YEAR; /* t/yr -> ug/s */
        s->q_norm = q_ugs / (2.0 * PI * us_dil);
        s->hs_m = lt_stack_tip_downwash(p->height_m, p->diameter_m, p->velocity_ms, us_dil);
        lt_rise_setup(&s->rise, p->diameter_m, p->velocity_ms, p->temp_K, m.t2, us_dil, cls);
        s->zi_m = m.pblh;
        s->lid = cls <= LT_PG_D; /* ISC3: no lid in stable hours */
        s->bid = cfg->bid;
        s->sy = curves->y[cls];
        s->sz = curves->z[cls];
        s->tag = cs->tag_of_sector[p->sector];
    }
    return n;
}

int lt_run(lt_case *cs, const char *command_line, const char *version, lt_summary *sum,
           lt_error *err)
{
    const lt_config *cfg = cs->cfg;
    double t_start = now_s();
    memset(sum, 0, sizeof *sum);
    sum->hours = cfg->hours;
    sum->ntags = cs->ntags;
    sum->nstations = cs->nstations;
#ifdef _OPENMP
    sum->threads = omp_get_max_threads();
#else
    sum->threads = 1;
#endif
    const lt_sigma_curves *curves = lt_sigma_curves_find(cfg->curves);
    const size_t ngrid = (size_t)cfg->nx * (size_t)cfg->ny;
    const size_t nst = cs->nstations;
    const size_t nrec = ngrid + nst;
    const int ntags = cs->ntags;
    int rc = LT_OK;

    double *rx = malloc(nrec * sizeof *rx), *ry = malloc(nrec * sizeof *ry);
    double *conc = malloc((size_t)ntags * nrec * sizeof *conc);
    lt_plume_src *src = malloc((cs->npoints ? cs->npoints : 1) * sizeof *src);
    float *b_pm = malloc((size_t)BLOCK_HOURS * ngrid * sizeof *b_pm);
    float *b_src = malloc((size_t)BLOCK_HOURS * ntags * ngrid * sizeof *b_src);
    float *b_st = malloc((size_t)BLOCK_HOURS * (nst ? nst : 1) * sizeof *b_st);
    float *b_stsrc = malloc((size_t)BLOCK_HOURS * ntags * (nst ? nst : 1) * sizeof *b_stsrc);
    int *b_calm = malloc(BLOCK_HOURS * sizeof *b_calm);
    double *tag_sum = calloc((size_t)ntags, sizeof *tag_sum);
    double *st_all = malloc((size_t)cfg->hours * (nst ? nst : 1) * sizeof *st_all);
    lt_assessment as;
    memset(&as, 0, sizeof as);
    sum->station_mean = calloc(nst ? nst : 1, sizeof(double));
    sum->station_max = calloc(nst ? nst : 1, sizeof(double));
    lt_output *out = NULL;
    if (!rx || !ry || !conc || !src || !b_pm || !b_src || !b_st || !b_stsrc || !b_calm ||
        !tag_sum || !st_all || !sum->station_mean || !sum->station_max) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory for %zu receptors x %d tags", nrec, ntags);
        goto done;
    }
    for (int j = 0; j < cfg->ny; j++)
        for (int i = 0; i < cfg->nx; i++) {
            rx[(size_t)j * cfg->nx + i] = lt_domain_x(cs->domain, i);
            ry[(size_t)j * cfg->nx + i] = lt_domain_y(cs->domain, j);
        }
    for (size_t k = 0; k < nst; k++) {
        rx[ngrid + k] = cs->stations[k].x_m;
        ry[ngrid + k] = cs->stations[k].y_m;
    }

    lt_output_spec spec = {
        .path = cfg->output_file, .domain = cs->domain, .start_s = cfg->start_s,
        .hours = cfg->hours, .ntags = ntags, .tag_names = cs->tag_names,
        .stations = cs->stations, .nstations = nst, .deflate = cfg->deflate,
        .significant_digits = cfg->significant_digits, .config_text = cfg->text,
        .command_line = command_line, .config_path = cfg->path, .version = version,
        .curves = cfg->curves,
        .aqi = cs->have_aqi ? &cs->aqi : NULL,
        .alert = cs->have_alert ? &cs->alert : NULL};
    if ((rc = lt_output_create(&out, &spec, err)))
        goto done;

    double grid_sum = 0.0;
    sum->grid_max = 0.0;
    for (int h0 = 0; h0 < cfg->hours; h0 += BLOCK_HOURS) {
        int nh = cfg->hours - h0 < BLOCK_HOURS ? cfg->hours - h0 : BLOCK_HOURS;
        for (int b = 0; b < nh; b++) {
            int h = h0 + b;
            double t = cfg->start_s + 3600.0 * h;
            if ((rc = lt_met_load(cs->met, t, err)))
                goto done;
            lt_met_point mc;
            lt_met_sample(cs->met, cfg->center_lon, cfg->center_lat, &mc);
            if (hypot(mc.u10, mc.v10) < LT_CALM_MS)
                sum->calm_hours++;
            size_t nact = prepare_sources(cs, curves, src, &b_calm[b], sum);
            memset(conc, 0, (size_t)ntags * nrec * sizeof *conc);
            double tk = now_s();
            lt_plume_accumulate(src, nact, rx, ry, nrec, cfg->receptor_height_m, conc);
            sum->kernel_seconds += now_s() - tk;
            if (cs->background_tag >= 0) {
                double *bg = conc + (size_t)cs->background_tag * nrec;
                for (size_t r = 0; r < nrec; r++)
                    bg[r] = cs->background[h];
            }
            sum->evaluations += (double)nact * (double)nrec;

            float *pm = b_pm + (size_t)b * ngrid;
            float *ps = b_src + (size_t)b * ntags * ngrid;
            for (size_t r = 0; r < ngrid; r++) {
                double total = 0.0;
                for (int g = 0; g < ntags; g++) {
                    double c = conc[(size_t)g * nrec + r];
                    ps[(size_t)g * ngrid + r] = (float)c;
                    total += c;
                }
                pm[r] = (float)total;
                grid_sum += total;
                if (total > sum->grid_max)
                    sum->grid_max = total;
            }
            float *st = b_st + (size_t)b * nst;
            float *sts = b_stsrc + (size_t)b * ntags * nst;
            for (size_t k = 0; k < nst; k++) {
                double total = 0.0;
                for (int g = 0; g < ntags; g++) {
                    double c = conc[(size_t)g * nrec + ngrid + k];
                    sts[(size_t)g * nst + k] = (float)c;
                    total += c;
                    tag_sum[g] += c;
                }
                st[k] = (float)total;
                st_all[(size_t)h * nst + k] = total;
                sum->station_mean[k] += total;
                if (total > sum->station_max[k])
                    sum->station_max[k] = total;
            }
        }
        if ((rc = lt_output_write(out, h0, nh, b_pm, b_src, b_st, b_stsrc, b_calm, err)))
            goto done;
    }
    for (size_t k = 0; k < nst; k++)
        sum->station_mean[k] /= cfg->hours;
    sum->grid_mean = grid_sum / ((double)cfg->hours * (double)ngrid);
    double all = 0.0;
    for (int g = 0; g < ntags; g++)
        all += tag_sum[g];
    for (int g = 0; g < ntags; g++)
        sum->tag_share[g] = all > 0 ? tag_sum[g] / all : 0.0;
    if (cs->have_aqi) {
        if (lt_assess(&as, &cs->aqi, cs->have_alert ? &cs->alert : NULL, cfg->alert_lead_hours,
                      st_all, (size_t)cfg->hours, nst, cfg->start_s)) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory for the daily assessment");
            goto done;
        }
        if ((rc = lt_output_write_assessment(out, &as, err)))
            goto done;
        sum->assessed = 1;
        sum->ndays = as.ndays;
        sum->valid_days = as.valid_days;
        sum->good_days = as.good_days;
        sum->heavy_days = as.heavy_days;
        sum->exceed_days = as.exceed_days;
        sum->alert_days = as.alert_days;
        sum->city_mean = as.city_mean;
    }
    {
        char note[64];
        snprintf(note, sizeof note, "%d", sum->calm_hours);
        if ((rc = lt_output_note(out, "lantian_calm_hours", note, err)))
            goto done;
        snprintf(note, sizeof note, "%ld of %ld", sum->calm_source_hours, sum->source_hours);
        if ((rc = lt_output_note(out, "lantian_calm_source_hours", note, err)))
            goto done;
    }
    rc = lt_output_commit(&out, err);
done:
    lt_output_abort(&out);
    free(rx);
    free(ry);
    free(conc);
    free(src);
    free(b_pm);
    free(b_src);
    free(b_st);
    free(b_stsrc);
    free(b_calm);
    free(tag_sum);
    free(st_all);
    lt_assessment_free(&as);
    if (rc)
        lt_summary_free(sum);
    sum->wall_seconds = now_s() - t_start;
    return rc;
}
