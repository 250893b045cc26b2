/* main.c — the lantian program: parses the command line, calls the library,
 * prints the summary or the one error line, and sets the exit code. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef LT_MPI
#include <mpi.h>
#endif

#include "app/evaluate_cmd.h"
#include "app/optimize_cmd.h"
#include "app/export_cmd.h"
#include "app/init_cmd.h"
#include "app/report.h"
#include "core/lt_error.h"
#include "core/lt_temp.h"
#include "io/config.h"
#include "io/met.h"
#include "run/case.h"
#include "products/products.h"

#ifndef LT_VERSION
#define LT_VERSION "0.1.0"
#endif

static void usage(FILE *f)
{
    fprintf(f,
            "lantian %s — PM2.5 dispersion and emergency-scenario engine\n"
            "\n"
            "Usage:\n"
            "  lantian run CONFIG [--set section.key=value]... [--threads N] [--restart] [--force]\n"
            "              [--ignore-memory]\n"
            "  lantian check CONFIG [--set section.key=value]... [--force] [--ignore-memory]\n"
            "  lantian optimize CONFIG [--set section.key=value]... [--threads N] [--force]\n"
            "  lantian export RUN.nc --geotiff VAR [--time T] [--level L] [-o FILE.tif]\n"
            "  lantian export RUN.nc --counties [COUNTIES.geojson] [--property P] [-o FILE.geojson]\n"
            "  lantian init DIR --center LON,LAT [--met FILE [--format cf|wrf|station|aermet]]\n"
            "              [--counties FILE.geojson] [--size NX,NY] [--dx M]\n"
            "  lantian evaluate RUN.nc --obs FILE_OR_FOLDER... [--pollutant pm25] [--match-km KM]\n"
            "              [--min-hours N] [--aqi-rules FILE] [--alert-rules FILE] [-o FILE.csv]\n"
            "              [--measures SCENARIO [--compare OTHER.nc]]\n"
            "  lantian --help | --version\n"
            "\n"
            "run    simulates hourly PM2.5 and writes [output] file (NetCDF-4, CF-1.8)\n"
            "check  reads and validates every input, prints what it found, writes nothing\n"
            "optimize runs the baseline, then finds the least-cost cuts per sector, county and\n"
            "       grade ([optimize] costs) that meet the targets ([optimize] targets) and the\n"
            "       cost of each good-day target (good_day_targets), verifies the plan by\n"
            "       simulating it again; writes OUTPUT_optimize.csv, OUTPUT_optimize_summary.csv,\n"
            "       OUTPUT_costcurve.csv, OUTPUT_optimize_cuts.csv. With [optimize] mode =\n"
            "       emergency: the least-cost list of measures per enterprise and alert day\n"
            "       (OUTPUT_emergency.csv, OUTPUT_emergency_days.csv; docs/optimize.md)\n"
            "export writes a map variable of a run (from RUN.nc, RUN_daily.nc or RUN_period.nc)\n"
            "       as a GeoTIFF in the run's projection (every time step a band, or --time\n"
            "       T as an index or an ISO 8601 time; --level the source, county, component\n"
            "       or scenario by name), or the county polygons with the run's values per\n"
            "       county as GeoJSON (RUN_counties.geojson)\n"
            "init   writes a case folder for another city that lantian check accepts: case.ini\n"
            "       (the policy files and the weather by absolute path, [run] from the weather's\n"
            "       period), points.csv and stations.csv with one example row each to replace,\n"
            "       the counties copied in, an output folder\n"
            "evaluate pairs a run's stations (RUN_stations.nc) with observations (the CNEMC\n"
            "       hourly archive, or station,time,pollutant,value CSV; files or folders) by\n"
            "       hour and by CST day, prints NMB, NME, r, MFB, MFE with the Emery et al. (2017)\n"
            "       and Boylan & Russell (2006) verdicts, AQI-category and heavy/alert-day skill and\n"
            "       the scenarios anchored to the observations (RRF); writes RUN_evaluation.csv,\n"
            "       RUN_evaluation_categorical.csv, RUN_evaluation_rrf.csv. Stations match by the\n"
            "       stations file's code column (else id), then the nearest within --match-km (1).\n"
            "       --measures: the scenario actually applied; its effect at the observed stations\n"
            "       and by sector; --compare: a run of the baseline over another period, to split the\n"
            "       observed change into weather and emissions (RUN_evaluation_episode.csv)\n"
            "\n"
            "Threads: --threads N, else OMP_NUM_THREADS, else all cores.\n"
            "--force replaces an existing [output] file that is not a lantian output (never\n"
            "one of the run's inputs); --ignore-memory runs although the memory estimate\n"
            "exceeds what the machine has available.\n"
            "--restart resumes a run that [run] checkpoint_hours checkpointed (OUTPUT.ckpt)\n"
            "from its last checkpoint; the same CONFIG and --set overrides are needed.\n"
            "Relative paths in CONFIG resolve against CONFIG's folder; paths given\n"
            "with --set resolve against the current directory.\n",
            LT_VERSION);
}

/* A progress line on stderr when it is a terminal: hours done, rate, time
 * left, redrawn in place at most every half second. */
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

/* Progress into a log (stderr not a terminal: a Slurm log, a pipe to tee):
 * a line when another 5 % of the hours is done and 10 s have passed since
 * the last one, and at the end. */
typedef struct log_state {
    int next;       /* the next step, in twentieths of the run */
    double last_s;  /* when the last line was written */
} log_state;

static void log_progress(void *user, int done, int total, double elapsed_s)
{
    log_state *ls = user;
    if (total <= 0 || (done < total && (20L * done < (long)ls->next * total || elapsed_s - ls->last_s < 10.0)))
        return;
    while (20L * done >= (long)ls->next * total)
        ls->next++;
    ls->last_s = elapsed_s;
    double rate = elapsed_s > 0 ? done / elapsed_s : 0.0;
    double left = rate > 0 ? (total - done) / rate : 0.0;
    fprintf(stderr, "lantian: progress %d/%d hours (%.0f %%), %.2f h/s, %.0f s elapsed, %.0f s left\n", done, total,
            100.0 * done / total, rate, elapsed_s, left);
    fflush(stderr);
}

/* Signals: the first SIGINT, SIGTERM or SIGHUP asks the run to stop at the
 * end of its hour (it then removes what it wrote and the program exits with
 * 128 + the signal's number); a second removes the run's temporary files at
 * once and exits. */
static volatile sig_atomic_t stop_signal;
static lt_tempfiles temp_files;

static void on_signal(int sig)
{
    if (!stop_signal) {
        stop_signal = sig;
        return;
    }
    lt_temp_unlink_all(&temp_files);
    _exit(128 + sig);
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &sa, NULL);
}

/* The command line after the command word. */
typedef struct args {
    const char *cmd, *config;
    const char **sets;
    int nsets, threads, restart, force, ignore_memory;
} args;

/* Parses argv[2..]; returns 0, or the exit code after printing why not. */
static int parse_args(int argc, char **argv, args *a)
{
    a->sets = calloc((size_t)argc, sizeof *a->sets);
    if (!a->sets)
        return 1;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--set") && i + 1 < argc) {
            a->sets[a->nsets++] = argv[++i];
        } else if (!strncmp(argv[i], "--set=", 6)) {
            a->sets[a->nsets++] = argv[i] + 6;
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            char *end;
            long t = strtol(argv[++i], &end, 10);
            if (*end || t < 1 || t > 1024) {
                fprintf(stderr, "lantian: --threads '%s': expected a whole number from 1 to 1024\n", argv[i]);
                return 2;
            }
            a->threads = (int)t;
        } else if (!strcmp(argv[i], "--restart")) {
            a->restart = 1;
        } else if (!strcmp(argv[i], "--force")) {
            a->force = 1;
        } else if (!strcmp(argv[i], "--ignore-memory")) {
            a->ignore_memory = 1;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "lantian: unknown option '%s' (see lantian --help)\n", argv[i]);
            return 2;
        } else if (!a->config) {
            a->config = argv[i];
        } else {
            fprintf(stderr, "lantian: unexpected argument '%s': one CONFIG only\n", argv[i]);
            return 2;
        }
    }
    if (!a->config) {
        fprintf(stderr, "lantian: %s needs a CONFIG file (see lantian --help)\n", a->cmd);
        return 2;
    }
    return 0;
}

/* Each line of warnings on stderr, "lantian: warning: ...". */
static void print_warnings(const char *warnings)
{
    for (const char *p = warnings; *p;) {
        const char *e = strchr(p, '\n');
        int n = e ? (int)(e - p) : (int)strlen(p);
        fprintf(stderr, "lantian: warning: %.*s\n", n, p);
        p += n + (e != NULL);
    }
}

/* The command line as one string, for the output's provenance. */
static char *join_args(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* `check` or `run` on a loaded case; *forwarded when another rank has the
 * error message. */
static int execute(const args *a, lt_case *cs, const char *cmdline, int rank, int ranks, int *forwarded,
                   lt_error *err)
{
    lt_run_options opt = {.command_line = cmdline, .version = LT_VERSION, .restart = a->restart,
                          .force = a->force, .ignore_memory = a->ignore_memory, .mpi_rank = rank,
                          .mpi_ranks = ranks, .stop = &stop_signal, .temp_files = &temp_files};
    if (!strcmp(a->cmd, "check")) {
        lt_preflight pf;
        int rc = lt_case_check_met(cs, err);
        if (!rc)
            rc = lt_run_case_preflight(cs, &opt, &pf, err);
        if (!rc && rank == 0)
            lt_print_check(stdout, cs, &pf);
        return rc;
    }
    double last = -1.0;
    log_state ls = {1, 0.0};
    if (rank == 0) {
        int tty = isatty(fileno(stderr));
        opt.progress = tty ? show_progress : log_progress;
        opt.progress_user = tty ? (void *)&last : (void *)&ls;
    }
    lt_summary sum;
    int rc = lt_run_case(cs, &opt, &sum, err);
    *forwarded = rc && rank > 0; /* rank 0 has the message and stops the run */
    if (!rc) {
        if (rank == 0)
            lt_print_summary(stdout, cs, &sum, LT_VERSION);
        lt_summary_free(&sum);
    }
    return rc;
}

/* `optimize`: the least-cost plan (its own loads and runs). */
static int optimize(const args *a, const char *cmdline, int rank, int ranks, lt_error *err)
{
    lt_run_options opt = {.command_line = cmdline, .version = LT_VERSION, .force = a->force,
                          .ignore_memory = a->ignore_memory, .mpi_rank = rank, .mpi_ranks = ranks,
                          .stop = &stop_signal, .temp_files = &temp_files};
    double last = -1.0;
    log_state ls = {1, 0.0};
    int tty = isatty(fileno(stderr));
    opt.progress = tty ? show_progress : log_progress;
    opt.progress_user = tty ? (void *)&last : (void *)&ls;
    if (a->restart)
        return lt_error_set(err, LT_EINPUT, "--restart: lantian optimize does not resume: expected it without");
    return lt_optimize_run(a->config, a->sets, a->nsets, &opt, stdout, err);
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
    if (!strcmp(argv[1], "export"))
        return rank == 0 ? lt_export_command(argc, argv) : 0;
    if (!strcmp(argv[1], "init"))
        return rank == 0 ? lt_init_command(argc, argv) : 0;
    if (!strcmp(argv[1], "evaluate"))
        return rank == 0 ? lt_evaluate_command(argc, argv) : 0;
    args a = {.cmd = argv[1]};
    if (strcmp(a.cmd, "run") && strcmp(a.cmd, "check") && strcmp(a.cmd, "optimize")) {
        fprintf(stderr, "lantian: unknown command '%s' (expected run, check, optimize, export, init, evaluate, --help or --version)\n", a.cmd);
        return 2;
    }
    int code = parse_args(argc, argv, &a);
    char *cmdline = code ? NULL : join_args(argc, argv);
    if (code || !cmdline) {
        free(a.sets);
        return code ? code : 1;
    }
#ifdef _OPENMP
    if (a.threads > 0)
        omp_set_num_threads(a.threads);
#endif
    catch_signals();
    lt_error err;
    lt_error_clear(&err);
    lt_config cfg;
    lt_case *cs = NULL;
    int forwarded = 0;
    int rc = LT_OK;
    if (!strcmp(a.cmd, "optimize")) {
        rc = optimize(&a, cmdline, rank, ranks, &err);
    } else if (!(rc = lt_config_load(&cfg, a.config, a.sets, a.nsets, &err))) {
        if (!(rc = lt_case_load(&cs, &cfg, &err))) {
            if (rank == 0)
                print_warnings(lt_met_warnings(lt_case_met(cs)));
            rc = execute(&a, cs, cmdline, rank, ranks, &forwarded, &err);
        }
        lt_case_free(&cs);
        lt_config_free(&cfg);
    }
    free(cmdline);
    free(a.sets);
    if (forwarded)
        return 3;
    if (rc == LT_EINTR) {
        fprintf(stderr, "lantian: %s\n", err.msg);
        return 128 + (int)stop_signal;
    }
    if (rc) {
        if (ranks > 1)
            fprintf(stderr, "lantian: error (rank %d): %s\n", rank, err.msg);
        else
            fprintf(stderr, "lantian: error: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* The OpenMP wait policy: passive unless the environment chooses. A thread
 * that finishes its share of a parallel region sleeps instead of spinning
 * for the next; the solver's regions are coarse (blocks of hours), so an
 * idle machine loses nothing, and on a machine where another process keeps
 * a core busy the spinning no longer takes the core from the thread that
 * has work (measured by make bench, "threads under load"). libgomp reads
 * OMP_WAIT_POLICY once, when it is loaded, so the program sets it and
 * starts itself again; should that fail it runs on with the default. */
static void wait_policy(char **argv)
{
    char self[4096];
    if (getenv("OMP_WAIT_POLICY"))
        return;
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1); /* the binary's own path and name */
    if (n <= 0 || (size_t)n >= sizeof self - 1)
        return;
    self[n] = '\0';
    if (setenv("OMP_WAIT_POLICY", "passive", 1) == 0)
        execv(self, argv);
}

int main(int argc, char **argv)
{
    wait_policy(argv);
#ifdef LT_MPI
    int provided, rank = 0, ranks = 1;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int rc_main = lantian_main(argc, argv, rank, ranks);
    if ((rc_main == 1 || rc_main > 128) && ranks > 1)
        MPI_Abort(MPI_COMM_WORLD, rc_main); /* the other ranks may wait on this one */
    MPI_Finalize();
    return rc_main == 3 ? 1 : rc_main;
#else
    return lantian_main(argc, argv, 0, 1);
#endif
}
