/* main.c — the lantian program: parses the command line, calls the library,
 * prints the summary or the one error line, and sets the exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "config.h"
#include "lt_error.h"
#include "run.h"
#include "stability.h"

#define LT_MAX_RANK 64

#ifndef LT_VERSION
#define LT_VERSION "0.1.0"
#endif

static void usage(FILE *f)
{
    fprintf(f,
            "lantian %s — PM2.5 dispersion and emergency-scenario engine\n"
            "\n"
            "Usage:\n"
            "  lantian run CONFIG [--set section.key=value]... [--threads N] [--restart]\n"
            "  lantian check CONFIG [--set section.key=value]...\n"
            "  lantian --help | --version\n"
            "\n"
            "run    simulates hourly PM2.5 and writes [output] file (NetCDF-4, CF-1.8)\n"
            "check  reads and validates every input, prints what it found, writes nothing\n"
            "\n"
            "Threads: --threads N, else OMP_NUM_THREADS, else all cores.\n"
            "--restart resumes a run that [run] checkpoint_hours checkpointed (OUTPUT.ckpt)\n"
            "from its last checkpoint; the same CONFIG and --set overrides are needed.\n"
            "Relative paths in CONFIG resolve against CONFIG's folder; paths given\n"
            "with --set resolve against the current directory.\n",
            LT_VERSION);
}

static void print_check(const lt_case *cs)
{
    const lt_config *cfg = cs->cfg;
    printf("config      %s\n", cfg->path);
    printf("run         %s, %d hours\n", cfg->start_iso, cfg->hours);
    printf("domain      %d x %d cells of %g m centred on %.4f E %.4f N (transverse Mercator)\n",
           cfg->nx, cfg->ny, cfg->dx_m, cfg->center_lon, cfg->center_lat);
    size_t nvol = 0, narea = 0, nseg = 0;
    double so2 = 0, nox = 0, nh3 = 0, voc = 0;
    for (size_t i = 0; i < cs->npoints; i++) {
        nvol += cs->points[i].kind == LT_SRC_VOLUME;
        narea += cs->points[i].kind == LT_SRC_AREA && !cs->points[i].road;
        nseg += cs->points[i].road;
        so2 += cs->points[i].so2_tpy;
        nox += cs->points[i].nox_tpy;
        nh3 += cs->points[i].nh3_tpy;
        voc += cs->points[i].voc_tpy;
    }
    printf("sources     %s: %zu stacks", cfg->points_file, cs->npoints - nvol - narea - nseg);
    if (cfg->volumes_file[0])
        printf("; %s: %zu volume sources", cfg->volumes_file, nvol);
    if (cfg->areas_file[0])
        printf("; %s: %zu area sources", cfg->areas_file, narea);
    if (cfg->roads_file[0])
        printf("; %s: %zu road segments", cfg->roads_file, nseg);
    if (cs->hourly)
        printf("; %s: hourly emissions of %d stacks", cfg->hourly_file, cs->hourly->nlisted);
    printf("\n            other species (t/yr%s): SO2 %.1f, NOx %.1f, NH3 %.1f, VOC %.1f\n",
           cfg->secondary ? "; SO2, NOx and VOC form secondary PM2.5" : "; [chemistry] secondary = no: not used",
           so2, nox, nh3, voc);
    for (int k = 0; k < cfg->nsectors; k++) {
        double q = 0;
        int n = 0;
        for (size_t i = 0; i < cs->npoints; i++)
            if (cs->points[i].sector == k) {
                q += cs->points[i].pm25_tpy;
                n++;
            }
        if (n)
            printf("            %-12s %4d sources  PM2.5 %10.1f t/yr\n", cfg->sectors[k], n, q);
    }
    if (cs->gridded)
        printf("gridded     %s (%s): %s; %d sector x county tags\n", cfg->gridded_path,
               cfg->gridded_layout == LT_GRIDDED_MEIC ? "MEIC layout, the run's first month" : "CF layout",
               cs->gridded->summary, cs->grid_ngroups);
    printf("stations    %s: %zu stations\n", cfg->stations_file, cs->nstations);
    if (cs->regions)
        printf("counties    %s: %zu polygons; %d sources or stations given their county from them\n",
               cfg->counties_file, lt_regions_count(cs->regions), cs->assigned_counties);
    printf("met         %s: %d x %d grid points, %zu records, optional variables: %s\n",
           cfg->met_file, lt_met_nlon(cs->met), lt_met_nlat(cs->met), lt_met_ntimes(cs->met),
           lt_met_optional_found(cs->met)[0] ? lt_met_optional_found(cs->met) : "none");
    printf("dispersion  %s, z0 %g m, calm hours: %s\n", cfg->curves, cfg->z0_m,
           cfg->calm_minwind ? "minwind" : "skip");
    if (cs->have_aqi)
        printf("assessment  AQI rules %s (%s)%s%s\n", cs->aqi.name, cfg->aqi_rules,
               cs->have_alert ? ", alert rules " : "", cs->have_alert ? cs->alert.name : "");
    printf("output      %s\n", cfg->output_file);
    printf("check       all inputs valid; every hour of meteorology present and in range\n");
}

/* A progress line on stderr (only when it is a terminal): hours done, rate,
 * time left, redrawn in place at most every half second. */
static void show_progress(void *user, int done, int total, double elapsed_s)
{
    double *last = user;
    if (done < total && elapsed_s - *last < 0.5)
        return;
    *last = elapsed_s;
    double rate = elapsed_s > 0 ? done / elapsed_s : 0.0;
    double left = rate > 0 ? (total - done) / rate : 0.0;
    fprintf(stderr, "\r  %d/%d hours  %.0f h/s  %.0f s left   %s", done, total, rate, left,
            done == total ? "\n" : "");
    fflush(stderr);
}


/* The grid model's report: grid, budget, zero-out against tags. */
static void print_grid(const lt_case *cs, const lt_summary *s)
{
    const lt_grid_stats *g = &s->grid;
    printf("\ngrid model: %d x %d columns of %.0f m, %d layers, %d tags (source groups and the boundary)\n",
           g->nx, g->ny, g->dx_m, g->nz, g->ntags);
    if (g->sources_outside)
        printf("  %d explicit sources lie outside the grid and are not in the grid model\n", g->sources_outside);
    if (s->solver == LT_SOLVER_HYBRID)
        printf("  hybrid: the grid held less of a source group than its plume's cell mean (plume alone) "
               "at %.1f %% of receptor-group-hours\n", 100.0 * g->clipped_share);
    printf("  mass budget, t (final = initial + emitted + inflow - outflow + chemistry - dry - wet)\n");
    printf("  %-14s", "species");
    for (int t = 0; t < LT_GB_N; t++)
        printf(" %11.11s", lt_grid_budget_names[t]);
    printf(" %10s\n", "residual");
    for (int sp = 0; sp < LT_GS_N; sp++) {
        if (cs->ncomp == 1 && sp > 0)
            break;
        printf("  %-14s", lt_grid_species_names[sp]);
        for (int t = 0; t < LT_GB_N; t++)
            printf(" %11.4g", g->budget[sp * LT_GB_N + t] / 1000.0);
        printf(" %10.2g\n", lt_grid_budget_residual(g->budget, sp));
    }
    if (!s->zero_out)
        return;
    printf("  tagging against zero-out (brute force), all-station mean of the grid's PM2.5 (%.3f ug/m3)\n",
           s->zo_total);
    printf("  %-14s %12s %12s %12s\n", "tag", "tagged", "zero-out", "difference");
    double sum_bf = 0.0;
    for (int t = 0; t < s->ntags; t++) {
        double a = s->zo_tagged[t], b = s->zo_brute[t];
        sum_bf += b;
        printf("  %-14s %12.4f %12.4f %+11.2f %%\n", cs->tag_names[t], a, b,
               a > 0 ? 100.0 * (b - a) / a : 0.0);
    }
    printf("  sum of the zero-out contributions %.4f ug/m3 = %.2f %% of the total (tags sum to it "
           "within %.2g)\n", sum_bf, s->zo_total > 0 ? 100.0 * sum_bf / s->zo_total : 0.0, g->tag_sum_error);
}

static void print_summary(const lt_case *cs, const lt_summary *s)
{
    const lt_config *cfg = cs->cfg;
    printf("lantian %s: %s, %d hours from %s\n", LT_VERSION, cfg->path, s->hours, cfg->start_iso);
    printf("hours simulated        %d\n", s->hours);
    printf("calm hours             %d (10 m wind < 0.5 m/s at the domain centre)\n", s->calm_hours);
    printf("calm source-hours      %ld of %ld (%s)\n", s->calm_source_hours, s->source_hours,
           cfg->calm_minwind ? "modelled at 0.5 m/s" : "not modelled, contribute nothing");
    printf("stability (source-hours)  A %ld  B %ld  C %ld  D %ld  E %ld  F %ld\n",
           s->class_hours[0], s->class_hours[1], s->class_hours[2], s->class_hours[3],
           s->class_hours[4], s->class_hours[5]);
    printf("grid PM2.5             mean %.3f ug/m3, max hourly %.2f ug/m3\n", s->grid_mean,
           s->grid_max);
    printf("\n%-28s %-14s %10s %10s\n", "station", "county", "mean", "max 1-h");
    for (size_t k = 0; k < s->nstations; k++)
        printf("%-28s %-14s %10.3f %10.2f\n", cs->stations[k].name, cs->stations[k].county,
               s->station_mean[k], s->station_max[k]);
    printf("(ug/m3: %s PM2.5 from the sources in the inventory%s)\n",
           cfg->secondary ? "primary and secondary" : "primary",
           cs->background_tag >= 0 ? ", plus the background tag" : "");
    if (s->assessed) {
        printf("\ndaily assessment (%s, China Standard Time days, city = mean of the stations)\n",
               cs->aqi.name);
        printf("  days %zu, valid %d; city mean PM2.5 %.2f ug/m3\n", s->ndays, s->valid_days,
               s->city_mean);
        printf("  good days (AQI <= 100) %d, heavy-pollution days (AQI > 200) %d, "
               "exceedance days (24-h PM2.5 > %g) %d\n",
               s->good_days, s->heavy_days, cs->aqi.pm25_limit, s->exceed_days);
        if (cs->have_alert)
            printf("  alert days (%s rules, decided on this run as the forecast, %d h lead) %d\n",
                   cs->alert.name, cfg->alert_lead_hours, s->alert_days);
        /* counties ranked by their mean daily PM2.5 */
        size_t nc = cs->ncounties;
        int order[LT_MAX_RANK];
        size_t nr = nc < LT_MAX_RANK ? nc : LT_MAX_RANK;
        for (size_t i = 0; i < nr; i++)
            order[i] = (int)i;
        for (size_t i = 0; i < nr; i++)
            for (size_t j = i + 1; j < nr; j++)
                if (s->county_mean[order[j]] > s->county_mean[order[i]]) {
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
        printf("  counties by mean daily PM2.5:");
        for (size_t i = 0; i < nr; i++)
            printf("%s %zu. %s %.1f", i ? "," : "", i + 1, cs->county_names[order[i]],
                   s->county_mean[order[i]]);
        printf("\n");
    }
    if (s->nscen) {
        const lt_scenarios *sc = cs->scen;
        printf("\nscenarios (city = mean of the stations; alert days by each run's own forecast)\n");
        printf("  %-12s %14s %6s %6s %7s %6s %14s\n", "scenario", "city PM2.5", "good", "heavy",
               "exceed", "alert", "station change");
        printf("  %-12s %14.2f %6d %6d %7d %6d %14s\n", "baseline", s->city_mean, s->good_days,
               s->heavy_days, s->exceed_days, s->alert_days, "-");
        for (int i = 0; i < s->nscen; i++)
            printf("  %-12s %14.2f %6d %6d %7d %6d %+14.3f\n", sc->name[i], s->scen_city_mean[i],
                   s->scen_good[i], s->scen_heavy[i], s->scen_exceed[i], s->scen_alert_days[i],
                   s->scen_station_mean_delta[i]);
        if (cs->have_alert && cfg->measures_file[0]) {
            printf("  measures table %s: cut of the inventory's PM2.5 emission", cfg->measures_file);
            for (int l = 1; l <= cs->alert.nlevels; l++) {
                double need = cs->alert.level[l - 1].min_cut;
                printf("%s %s %.1f %%%s", l > 1 ? "," : "", cs->alert.level[l - 1].name,
                       100.0 * sc->level_cut[l], sc->level_cut[l] + 1e-9 < need ? " (BELOW the required" : "");
                if (sc->level_cut[l] + 1e-9 < need)
                    printf(" %.0f %%)", 100.0 * need);
            }
            printf("\n");
        }
        for (int i = 0; i < s->nscen; i++) {
            if (!sc->alert_mode[i])
                continue;
            printf("  alert mode '%s', days with an alert in force: date (CST), level, city AQI and "
                   "category, baseline -> controlled\n", sc->name[i]);
            for (size_t d = 0; d < s->ndays; d++) {
                if (!s->day_alert[d])
                    continue;
                char date[32];
                time_t t = (time_t)(s->day0_s + 8 * 3600.0 + 86400.0 * (double)d);
                struct tm tm;
                gmtime_r(&t, &tm);
                strftime(date, sizeof date, "%Y-%m-%d", &tm);
                int a0 = s->day_aqi[d], a1 = s->scen_day_aqi[(size_t)i * s->ndays + d];
                int c0 = lt_aqi_category(&cs->aqi, a0), c1 = lt_aqi_category(&cs->aqi, a1);
                printf("    %s  %-7s %4d %-20s -> %4d %s\n", date,
                       cs->alert.level[s->day_alert[d] - 1].name, a0,
                       c0 >= 0 ? cs->aqi.cat_name[c0] : "(invalid day)", a1,
                       c1 >= 0 ? cs->aqi.cat_name[c1] : "(invalid day)");
            }
        }
        printf("  cost: scenarios combined in %.2f s beside %.2f s of dispersion%s\n",
               s->scenario_seconds, s->kernel_seconds,
               s->reruns ? " (alert mode re-ran the dispersion once)" : "");
        printf("  table: %s\n", s->scenario_csv);
    }
    double allmean = 0.0;
    for (size_t k = 0; k < s->nstations; k++)
        allmean += s->station_mean[k] / (double)s->nstations;
    printf("\nsource tags: share of the all-station mean (%.3f ug/m3)\n", allmean);
    for (int g = 0; g < s->ntags; g++)
        printf("  %-14s %10.4f ug/m3 %8.3f %%\n", cs->tag_names[g], allmean * s->tag_share[g],
               100.0 * s->tag_share[g]);
    printf("county tags (where the sources are): share of the all-station mean\n");
    for (size_t c = 0; c < s->nsrc_counties; c++)
        printf("  %-14s %10.4f ug/m3 %8.3f %%\n", cs->src_county_names[c], allmean * s->county_share[c],
               100.0 * s->county_share[c]);
    if (cfg->secondary) {
        static const char *const cn[LT_NCOMP_GRID] = {"primary", "sulfate", "nitrate", "SOA", "ammonium"};
        printf("components: share of the all-station mean\n");
        for (int c = 0; c < cs->ncomp; c++)
            printf("  %-14s %10.4f ug/m3 %8.3f %%\n", cn[c], allmean * s->comp_share[c],
                   100.0 * s->comp_share[c]);
    }
    if (s->solver != LT_SOLVER_PLUME)
        print_grid(cs, s);
    printf("\nplume kernel           %.3g source-receptor-hour evaluations in %.2f s "
           "= %.3g per second on %d threads\n",
           s->evaluations, s->kernel_seconds,
           s->kernel_seconds > 0 ? s->evaluations / s->kernel_seconds : 0.0, s->threads);
    if (cs->gridded && s->solver == LT_SOLVER_PLUME)
        printf("gridded emissions      convolved in %.2f s (%.3g cell-hours, kernels and FFTs)\n",
               s->gridded_seconds, s->gridded_cell_hours);
    if (s->solver != LT_SOLVER_PLUME) {
        const lt_grid_stats *g = &s->grid;
        printf("grid model             %.2f s for %d hours (first pass) = %.1f s per simulated day; "
               "%ld steps; %.3g cell-species-tag updates = %.3g per second\n",
               g->seconds, s->hours, g->seconds * 24.0 / s->hours, g->steps, g->updates,
               g->seconds > 0 ? g->updates / g->seconds : 0.0);
    }
    printf("wall time              %.2f s\n", s->wall_seconds);
    printf("output                 %s\n", cfg->output_file);
}

#ifdef LT_MPI
#include <mpi.h>
#endif

static int lantian_main(int argc, char **argv, int rank, int ranks);

int main(int argc, char **argv)
{
#ifdef LT_MPI
    int provided, rank = 0, ranks = 1;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int rc_main = lantian_main(argc, argv, rank, ranks);
    if (rc_main == 1 && ranks > 1)
        MPI_Abort(MPI_COMM_WORLD, 1); /* the other ranks may wait on this one */
    MPI_Finalize();
    return rc_main ? 1 : 0;
#else
    return lantian_main(argc, argv, 0, 1);
#endif
}

/* The program: rank and ranks are MPI's (0 and 1 without MPI); only rank 0
 * prints, except an error, which the rank that met it prints. */
static int lantian_main(int argc, char **argv, int rank, int ranks)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("lantian %s\n", LT_VERSION);
        return 0;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") && strcmp(cmd, "check")) {
        fprintf(stderr, "lantian: unknown command '%s' (expected run, check, --help or --version)\n", cmd);
        return 2;
    }
    const char *config = NULL;
    const char **sets = calloc((size_t)argc, sizeof *sets);
    int nsets = 0, threads = 0, restart = 0;
    if (!sets)
        return 1;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            sets[nsets++] = argv[++i];
        } else if (!strncmp(argv[i], "--set=", 6)) {
            sets[nsets++] = argv[i] + 6;
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            char *end;
            long t = strtol(argv[++i], &end, 10);
            if (*end || t < 1 || t > 1024) {
                fprintf(stderr, "lantian: --threads '%s': expected a whole number from 1 to 1024\n", argv[i]);
                free(sets);
                return 2;
            }
            threads = (int)t;
        } else if (!strcmp(argv[i], "--restart")) {
            restart = 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "lantian: unknown option '%s' (see lantian --help)\n", argv[i]);
            free(sets);
            return 2;
        } else if (!config) {
            config = argv[i];
        } else {
            fprintf(stderr, "lantian: unexpected argument '%s': one CONFIG only\n", argv[i]);
            free(sets);
            return 2;
        }
    }
    if (!config) {
        fprintf(stderr, "lantian: %s needs a CONFIG file (see lantian --help)\n", cmd);
        free(sets);
        return 2;
    }
#ifdef _OPENMP
    if (threads > 0)
        omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    /* The command line, for the output's provenance. */
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *cmdline = malloc(len);
    if (!cmdline) {
        free(sets);
        return 1;
    }
    cmdline[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(cmdline, " ");
        strcat(cmdline, argv[i]);
    }

    lt_error err;
    lt_error_clear(&err);
    lt_config cfg;
    lt_case cs;
    int forwarded = 0;
    int rc = lt_config_load(&cfg, config, sets, nsets, &err);
    if (!rc) {
        rc = lt_case_load(&cs, &cfg, &err);
        if (!rc) {
            if (!strcmp(cmd, "check")) {
                rc = lt_case_check_met(&cs, &err);
                if (!rc && rank == 0)
                    print_check(&cs);
            } else {
                lt_summary sum;
                double last = -1.0;
                if (isatty(fileno(stderr)) && rank == 0)
                    lt_case_set_progress(&cs, show_progress, &last);
                lt_case_set_mpi(&cs, rank, ranks);
                lt_case_set_restart(&cs, restart);
                rc = lt_run(&cs, cmdline, LT_VERSION, &sum, &err);
                forwarded = rc && rank > 0; /* rank 0 has the message and stops the run */
                if (!rc) {
                    if (rank == 0)
                        print_summary(&cs, &sum);
                    lt_summary_free(&sum);
                }
            }
            lt_case_free(&cs);
        }
        lt_config_free(&cfg);
    }
    free(cmdline);
    free(sets);
    if (forwarded)
        return 3;
    if (rc) {
        if (ranks > 1)
            fprintf(stderr, "lantian: error (rank %d): %s\n", rank, err.msg);
        else
            fprintf(stderr, "lantian: error: %s\n", err.msg);
        return 1;
    }
    return 0;
}
