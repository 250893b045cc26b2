/* bench_plume.c — throughput of the point-source plume kernel
 * (source x receptor x hour evaluations per second) at 1 and 2 threads on a
 * fixed synthetic case: 40 stacks, a 150 x 160 receptor grid at 1 km, 96
 * hours with winds turning through all directions and classes A-F.
 * Prints a table and writes JSON to the path given as argv[1]. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plume.h"
#include "rise.h"

#define NSRC 40
#define NX 150
#define NY 160
#define HOURS 96

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One hour's sources: positions on a ring, wind turning 37 degrees an hour. */
static void prepare(lt_plume_src *s, int hour, const lt_sigma_curves *c)
{
    lt_pg_class cls = (lt_pg_class)(hour % 6);
    double ang = hour * 37.0 * 3.14159265358979 / 180.0;
    for (int k = 0; k < NSRC; k++) {
        memset(&s[k], 0, sizeof s[k]);
        double a = 2 * 3.14159265358979 * k / NSRC;
        s[k].x_m = 40000.0 * cos(a) * (0.3 + 0.7 * (k % 3) / 2.0);
        s[k].y_m = 40000.0 * sin(a) * (0.3 + 0.7 * (k % 3) / 2.0);
        s[k].cos_t = cos(ang);
        s[k].sin_t = sin(ang);
        double us = 2.0 + (hour % 5);
        s[k].q_norm = 1e6 / (2 * 3.14159265358979 * us);
        s[k].hs_m = 30.0 + 5.0 * k;
        lt_rise_setup(&s[k].rise, 2.0 + 0.1 * k, 12.0, 400.0, 275.0, us, cls);
        s[k].zi_m = 300.0 + 20.0 * (hour % 24);
        s[k].lid = cls <= LT_PG_D;
        s[k].bid = 1;
        s[k].sy = c->y[cls];
        s[k].sz = c->z[cls];
        s[k].tag = k % 3;
    }
}

static double run(int threads, double *checksum)
{
    const lt_sigma_curves *c = lt_sigma_curves_find("briggs-rural");
    size_t nrec = (size_t)NX * NY;
    double *rx = malloc(nrec * sizeof *rx), *ry = malloc(nrec * sizeof *ry);
    double *conc = calloc(3 * nrec, sizeof *conc);
    lt_plume_src src[NSRC];
    for (int j = 0; j < NY; j++)
        for (int i = 0; i < NX; i++) {
            rx[(size_t)j * NX + i] = (i - 0.5 * (NX - 1)) * 1000.0;
            ry[(size_t)j * NX + i] = (j - 0.5 * (NY - 1)) * 1000.0;
        }
    omp_set_num_threads(threads);
    double t = 0.0;
    for (int h = 0; h < HOURS; h++) {
        prepare(src, h, c);
        double t0 = now_s();
        lt_plume_accumulate(src, NSRC, rx, ry, nrec, 1.5, 1, conc);
        t += now_s() - t0;
    }
    *checksum = 0;
    for (size_t r = 0; r < 3 * nrec; r++)
        *checksum += conc[r];
    free(rx);
    free(ry);
    free(conc);
    return t;
}

/* Area sources: 10 squares of 1-3 km, same grid, 24 hours. Returns seconds. */
static double run_areas(int threads, double *evals)
{
    const lt_sigma_curves *c = lt_sigma_curves_find("briggs-rural");
    size_t nrec = (size_t)NX * NY;
    double *rx = malloc(nrec * sizeof *rx), *ry = malloc(nrec * sizeof *ry);
    double *conc = calloc(10 * nrec, sizeof *conc);
    for (int j = 0; j < NY; j++)
        for (int i = 0; i < NX; i++) {
            rx[(size_t)j * NX + i] = (i - 0.5 * (NX - 1)) * 1000.0;
            ry[(size_t)j * NX + i] = (j - 0.5 * (NY - 1)) * 1000.0;
        }
    lt_plume_src src[10];
    double uv[10][8];
    omp_set_num_threads(threads);
    double t = 0.0;
    for (int h = 0; h < 24; h++) {
        lt_pg_class cls = (lt_pg_class)(h % 6);
        double ang = h * 37.0 * 3.14159265358979 / 180.0;
        for (int k = 0; k < 10; k++) {
            memset(&src[k], 0, sizeof src[k]);
            double half = 500.0 + 100.0 * k;
            double a = 2 * 3.14159265358979 * k / 10;
            src[k].x_m = 30000.0 * cos(a);
            src[k].y_m = 30000.0 * sin(a);
            src[k].cos_t = cos(ang);
            src[k].sin_t = sin(ang);
            const double cx[4] = {-half, half, half, -half}, cy[4] = {-half, -half, half, half};
            for (int v = 0; v < 4; v++) {
                uv[k][2 * v] = cx[v] * cos(ang) + cy[v] * sin(ang);
                uv[k][2 * v + 1] = cy[v] * cos(ang) - cx[v] * sin(ang);
            }
            src[k].poly = uv[k];
            src[k].npoly = 4;
            lt_plume_polygon_extent(&src[k]);
            src[k].q_area = 1.0;
            src[k].hs_m = 3.0;
            src[k].zi_m = 500.0;
            src[k].lid = cls <= LT_PG_D;
            src[k].sy = c->y[cls];
            src[k].sz = c->z[cls];
            src[k].tag = k;
        }
        double t0 = now_s();
        lt_plume_accumulate(src, 10, rx, ry, nrec, 1.5, 1, conc);
        t += now_s() - t0;
    }
    *evals = 10.0 * nrec * 24;
    free(rx);
    free(ry);
    free(conc);
    return t;
}

int main(int argc, char **argv)
{
    double evals = (double)NSRC * NX * NY * HOURS;
    double c1, c2;
    run(2, &c1); /* warm-up */
    double t1 = run(1, &c1), t2 = run(2, &c2);
    double r1 = evals / t1, r2 = evals / t2;
    const double aermod = 0.66e6; /* AERMOD point sources, one core of this machine (issue #2) */
    printf("plume kernel, point sources: %d stacks x %d x %d receptors x %d hours = %.3g evaluations\n",
           NSRC, NX, NY, HOURS, evals);
    printf("%-10s %12s %18s %14s\n", "threads", "seconds", "evaluations/s", "x AERMOD/core");
    printf("%-10d %12.3f %18.3g %14.0f\n", 1, t1, r1, r1 / aermod);
    printf("%-10d %12.3f %18.3g %14.0f\n", 2, t2, r2, r2 / aermod);
    printf("speed-up 2 threads / 1 thread: %.2f; results identical: %s\n", t1 / t2,
           c1 == c2 ? "yes" : "NO");
    double ae, ta1 = run_areas(1, &ae), ta2 = run_areas(2, &ae);
    printf("\narea sources: 10 squares (1-2.8 km) x %d x %d receptors x 24 hours = %.3g evaluations\n",
           NX, NY, ae);
    printf("%-10s %12s %18s %18s\n", "threads", "seconds", "evaluations/s", "us per evaluation");
    printf("%-10d %12.3f %18.3g %18.3f\n", 1, ta1, ae / ta1, 1e6 * ta1 / ae);
    printf("%-10d %12.3f %18.3g %18.3f\n", 2, ta2, ae / ta2, 1e6 * ta2 / ae);
    printf("(AERMOD: about 12 us per area evaluation, 0.083 million per second per core, issue #3)\n");
    if (argc > 1) {
        FILE *f = fopen(argv[1], "w");
        if (!f) {
            fprintf(stderr, "bench_plume: cannot write %s\n", argv[1]);
            return 1;
        }
        fprintf(f,
                "{\n  \"case\": \"%d stacks, %dx%d receptors, %d hours\",\n"
                "  \"point_evals_per_s_1thread\": %.6g,\n  \"point_evals_per_s_2threads\": %.6g,\n"
                "  \"ratio_to_aermod_per_core_2threads\": %.1f,\n  \"thread_invariant\": %s\n}\n",
                NSRC, NX, NY, HOURS, r1, r2, r2 / aermod, c1 == c2 ? "true" : "false");
        fclose(f);
    }
    return c1 == c2 ? 0 : 1;
}
