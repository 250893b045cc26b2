/* test_grid.c — the Eulerian grid model as a whole (model/grid.c): tags sum
 * to the untagged run, the mass budget closes, first-order chemistry and the
 * ammonium nitrate partition against closed forms, the steady point source
 * against the Gaussian plume with sigma_z^2 = 2 K x / U, and the same bits on
 * 1 and 2 threads. */
#include "lt_test.h"

#include <string.h>

#include "physics/aerosol.h"
#include "solvers/grid.h"

#ifdef _OPENMP
#include <omp.h>
#endif

#define PI 3.14159265358979323846

/* A small domain with weather that varies in space and time: rain in hours
 * 3 and 4, day and night. */
static void weather(lt_grid_met *m, int nx, int ny, int h)
{
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            lt_grid_met *p = &m[j * nx + i];
            p->u_ms = 2.0 + 0.2 * j + 0.5 * sin(0.3 * h);
            p->v_ms = 1.0 - 0.1 * i + 0.3 * cos(0.2 * h);
            p->ust_ms = 0.3;
            p->rmol_m1 = h % 12 < 6 ? 0.01 : -0.02;
            p->pblh_m = h % 12 < 6 ? 200.0 : 900.0;
            p->t2_K = 272.0 + 0.2 * i;
            p->rh_pct = 70.0 + 2.0 * j;
            p->rain_mmh = h == 3 || h == 4 ? 1.5 : 0.0;
            p->sun = sin(PI * (h - 2) / 12.0);
            p->aloft = 0; /* the similarity profile */
        }
}

enum { NX = 12, NY = 10, HOURS = 8 };

/* Runs the case with the emissions spread over ntags tags (1: everything in
 * tag 0); returns the last hour's mean [tag][comp][col] and the budget. */
static void run_case(int ntags, double *mean, double *budget)
{
    lt_grid_spec sp;
    lt_grid_spec_defaults(&sp);
    sp.nx = NX;
    sp.ny = NY;
    sp.dx_m = 3000.0;
    sp.ntags = ntags;
    lt_grid *g = NULL;
    lt_error err = {0};
    assert_int_equal(lt_grid_create(&g, &sp, &err), 0);
    int tb = ntags > 1 ? 2 : 0; /* the boundary's tag */
    lt_grid_fill(g, tb, LT_GS_PPM, 20.0);
    lt_grid_fill(g, tb, LT_GS_SO4, 8.0);
    lt_grid_set_inflow(g, tb, LT_GS_PPM, 25.0);
    lt_grid_set_inflow(g, tb, LT_GS_SO4, 6.0);
    lt_grid_set_inflow(g, tb, LT_GS_TNH3, 3.0);
    lt_grid_met met[NX * NY];
    for (int h = 0; h < HOURS; h++) {
        weather(met, NX, NY, h);
        lt_grid_clear_emissions(g);
        double stack[LT_GS_N] = {0}, field[LT_GS_N] = {0};
        stack[LT_GS_PPM] = 2e7;  /* ug/s: a power plant */
        stack[LT_GS_SO2] = 3e8;
        stack[LT_GS_NOX] = 4e8;
        field[LT_GS_TNH3] = 5e6; /* per column: fertilised fields */
        field[LT_GS_VOC] = 1e7;
        field[LT_GS_PPM] = 1e6;
        lt_grid_emit(g, 0, 3 * NX + 2, lt_grid_layer_of(g, 220.0), stack);
        for (int col = 0; col < NX * NY; col += 3)
            lt_grid_emit(g, ntags > 1 ? 1 : 0, col, 0, field);
        assert_true(lt_grid_hour(g, met, mean, &err) >= 1);
    }
    lt_grid_budget(g, budget);
    lt_grid_free(&g);
}

/* The tags sum to the untagged run within 1e-6 relative, for every
 * component; nitrate goes to the NOx tag, ammonium to the ammonia tags; and
 * every species' budget closes within 1e-9 in both runs. */
static void tags_sum_to_total(void **state)
{
    (void)state;
    const size_t ncol = NX * NY, nc = LT_NCOMP_GRID;
    double *m3 = malloc(3 * nc * ncol * sizeof *m3), *m1 = malloc(nc * ncol * sizeof *m1);
    double b3[LT_GS_N * LT_GB_N], b1[LT_GS_N * LT_GB_N];
    run_case(3, m3, b3);
    run_case(1, m1, b1);
    double worst = 0.0;
    for (size_t c = 0; c < nc; c++) {
        double big = 0.0;
        for (size_t i = 0; i < ncol; i++)
            big = fmax(big, m1[c * ncol + i]);
        assert_true(big > 0.0); /* every component formed */
        for (size_t i = 0; i < ncol; i++) {
            double s = 0.0;
            for (int t = 0; t < 3; t++)
                s += m3[((size_t)t * nc + c) * ncol + i];
            worst = fmax(worst, fabs(s - m1[c * ncol + i]) / big);
        }
    }
    if (getenv("LT_VERIFY"))
        printf("VERIFY\t%s\ttag sum vs total, worst relative\t%.3g\t0\t1e-6\n", __func__, worst);
    assert_true(worst <= 1e-6);
    double no3_1 = 0.0, no3_0 = 0.0, nh4_0 = 0.0, nh4_1 = 0.0;
    for (size_t i = 0; i < ncol; i++) {
        no3_0 += m3[(0 * nc + LT_COMP_NO3) * ncol + i];
        no3_1 += m3[(1 * nc + LT_COMP_NO3) * ncol + i];
        nh4_0 += m3[(0 * nc + LT_COMP_NH4) * ncol + i];
        nh4_1 += m3[(1 * nc + LT_COMP_NH4) * ncol + i];
    }
    assert_true(no3_0 > 0.0 && no3_1 == 0.0); /* nitrate: the NOx emitter's */
    assert_true(nh4_1 > 0.0 && nh4_0 == 0.0); /* ammonium: the NH3 emitter's */
    for (int s = 0; s < LT_GS_N; s++) {
        double r3 = lt_grid_budget_residual(b3, s), r1 = lt_grid_budget_residual(b1, s);
        if (getenv("LT_VERIFY"))
            printf("VERIFY\t%s\tbudget residual %s\t%.3g\t0\t1e-9\n", __func__, lt_grid_species_names[s], r3);
        assert_true(fabs(r3) <= 1e-9);
        assert_true(fabs(r1) <= 1e-9);
    }
    /* every term was exercised somewhere */
    assert_true(b3[LT_GS_PPM * LT_GB_N + LT_GB_INFLOW] > 0.0);
    assert_true(b3[LT_GS_PPM * LT_GB_N + LT_GB_OUTFLOW] > 0.0);
    assert_true(b3[LT_GS_SO2 * LT_GB_N + LT_GB_CHEM] < 0.0);
    assert_true(b3[LT_GS_SO4 * LT_GB_N + LT_GB_CHEM] > 0.0);
    assert_true(b3[LT_GS_TNO3 * LT_GB_N + LT_GB_DRY] > 0.0);
    assert_true(b3[LT_GS_SO4 * LT_GB_N + LT_GB_WET] > 0.0);
    free(m3);
    free(m1);
}

/* The same bits on 1 and 2 threads. */
static void threads_same_bits(void **state)
{
    (void)state;
#ifdef _OPENMP
    const size_t n = 3 * LT_NCOMP_GRID * NX * NY;
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    double ba[LT_GS_N * LT_GB_N], bb[LT_GS_N * LT_GB_N];
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    run_case(3, a, ba);
    omp_set_num_threads(2);
    run_case(3, b, bb);
    omp_set_num_threads(saved);
    assert_memory_equal(a, b, n * sizeof *a);
    assert_memory_equal(ba, bb, sizeof ba);
    free(a);
    free(b);
#else
    skip();
#endif
}

/* A closed box at night without removal: SO2 -> SO4 at CALPUFF's night rate
 * (0.2 %/h): SO4 = (96.06/64.07) SO2_0 (1 - e^{-kt}) after t = 1 h; the
 * partition of an (NH4)2SO4-NH4NO3 mixture equals aerosol.c's and each of
 * two ammonia tags gets its share of the ammonium. */
static void box_chemistry_and_partition(void **state)
{
    (void)state;
    lt_grid_spec sp;
    lt_grid_spec_defaults(&sp);
    sp.nx = 3;
    sp.ny = 3;
    sp.dx_m = 1000.0;
    sp.ntags = 2;
    sp.chem.aqueous = 0;
    sp.chem.vd_so2 = sp.chem.vd_pm = sp.chem.vd_hno3 = sp.chem.vd_nh3 = sp.chem.vd_nox = 0.0;
    lt_grid *g = NULL;
    lt_error err = {0};
    assert_int_equal(lt_grid_create(&g, &sp, &err), 0);
    lt_grid_fill(g, 0, LT_GS_SO2, 100.0);
    lt_grid_fill(g, 0, LT_GS_TNH3, 3.0);
    lt_grid_fill(g, 1, LT_GS_TNH3, 7.0);
    lt_grid_fill(g, 0, LT_GS_TNO3, 20.0);
    lt_grid_met met[9];
    for (int i = 0; i < 9; i++)
        met[i] = (lt_grid_met){.u_ms = 0.0, .v_ms = 0.0, .ust_ms = 0.3, .rmol_m1 = 0.0,
            .pblh_m = 800.0, .t2_K = 278.15, .rh_pct = 40.0, .rain_mmh = 0.0, .sun = -0.5};
    double mean[2 * LT_NCOMP_GRID * 9];
    assert_int_equal(lt_grid_hour(g, met, mean, &err), 1);
    double k = 0.2 * 0.01 / 3600.0, so4 = 96.06 / 64.07 * 100.0 * (1.0 - exp(-k * 3600.0));
    assert_rel(mean[LT_COMP_SO4 * 9 + 4], so4, 1e-12);
    /* NOx was not emitted: total nitrate stays 20; the equilibrium on the totals */
    lt_inorganic r;
    lt_inorganic_equilibrium(so4, 10.0, 20.0 * LT_MW_HNO3 / LT_MW_NO3, 0.0, 278.15 - 0.0065 * 25.0, 40.0,
                             101325.0 * exp(-25.0 / 8400.0), 0, &r);
    assert_true(r.no3 > 0.0);
    assert_rel(mean[LT_COMP_NO3 * 9 + 4], r.no3, 1e-9);
    double nh4_0 = mean[LT_COMP_NH4 * 9 + 4], nh4_1 = mean[(LT_NCOMP_GRID + LT_COMP_NH4) * 9 + 4];
    assert_rel(nh4_0 + nh4_1, r.nh4, 1e-9);
    assert_rel(nh4_0 / (nh4_0 + nh4_1), 0.3, 1e-9);
    double b[LT_GS_N * LT_GB_N];
    lt_grid_budget(g, b);
    assert_rel(-b[LT_GS_SO2 * LT_GB_N + LT_GB_CHEM] * 96.06 / 64.07, b[LT_GS_SO4 * LT_GB_N + LT_GB_CHEM], 1e-12);
    lt_grid_free(&g);
}

/* Horizontal diffusion against the 2-D Gaussian puff: a puff released in
 * still air spreads with sigma^2 growing by 2 K t in x and in y, which the
 * five-point scheme keeps exactly on an unbounded lattice (each substep adds
 * 2 r dx^2 to the variance); here 41 x 41 columns of 1 km, K = 500 m2/s, one
 * 1000 m layer, the puff emitted in the first hour, its variance compared
 * between hours 3 and 6 (3 h: 2 K t = 1.08e7 m2; the edges are 4 sigma
 * away). Mass is kept to round-off, no value goes negative, the peak only
 * falls; with kh 0 nothing spreads. */
static void horizontal_diffusion_puff(void **state)
{
    (void)state;
    enum { N = 41 };
    const double dx = 1000.0, K = 500.0;
    for (int on = 0; on < 2; on++) {
        lt_grid_spec sp;
        lt_grid_spec_defaults(&sp);
        sp.nx = sp.ny = N;
        sp.dx_m = dx;
        sp.nz = 1;
        sp.top_m[0] = 1000.0;
        sp.chemistry = 0;
        sp.kz_const = 1.0;
        sp.chem.vd_pm = 0.0;
        sp.chem.wet_pm = 0.0;
        sp.kh_m2s = on ? K : 0.0;
        lt_grid *g = NULL;
        lt_error err = {0};
        assert_int_equal(lt_grid_create(&g, &sp, &err), 0);
        static lt_grid_met met[N * N];
        for (int i = 0; i < N * N; i++)
            met[i] = (lt_grid_met){.u_ms = 0.0, .v_ms = 0.0, .ust_ms = 0.3, .rmol_m1 = 0.0,
                .pblh_m = 1000.0, .t2_K = 280.0, .rh_pct = NAN, .rain_mmh = 0.0, .sun = -1.0};
        static double mean[LT_NCOMP_GRID * N * N];
        double var[7][2] = {{0}}, mass[7] = {0}, peak[7] = {0};
        double q[LT_GS_N] = {1e6};
        for (int h = 1; h <= 6; h++) {
            lt_grid_clear_emissions(g);
            if (h == 1)
                lt_grid_emit(g, 0, (N / 2) * N + N / 2, 0, q);
            assert_true(lt_grid_hour(g, met, mean, &err) >= 1);
            double sx = 0.0, sy = 0.0;
            for (int j = 0; j < N; j++)
                for (int i = 0; i < N; i++) {
                    double c = mean[j * N + i], x = (i - N / 2) * dx, y = (j - N / 2) * dx;
                    assert_true(c >= 0.0);
                    mass[h] += c;
                    sx += c * x * x;
                    sy += c * y * y;
                    peak[h] = fmax(peak[h], c);
                }
            var[h][0] = sx / mass[h];
            var[h][1] = sy / mass[h];
        }
        if (on) {
            assert_rel(var[6][0] - var[3][0], 2.0 * K * 3.0 * 3600.0, 1e-4);
            assert_rel(var[6][1] - var[3][1], 2.0 * K * 3.0 * 3600.0, 1e-4);
            assert_rel(mass[6], mass[2], 1e-12);
            for (int h = 3; h <= 6; h++)
                assert_true(peak[h] < peak[h - 1]);
        } else {
            assert_true(var[6][0] == 0.0 && var[6][1] == 0.0);
        }
        lt_grid_free(&g);
    }
}

/* A steady point source at ground level in a uniform wind U with constant K
 * (30 layers of 20 m):
 * the crosswind-integrated concentration in the lowest layer against
 *   Cy(x, 0) = 2 Q / (U sqrt(2 pi) sigma_z),  sigma_z^2 = 2 K x / U,
 * the Gaussian plume's ground-level value with its image. */
static void steady_source_against_plume(void **state)
{
    (void)state;
    enum { SX = 70, SY = 21 };
    const double dx = 250.0, U = 4.0, K = 8.0, Q = 1e6;
    lt_grid_spec sp;
    lt_grid_spec_defaults(&sp);
    sp.nx = SX;
    sp.ny = SY;
    sp.dx_m = dx;
    sp.nz = 30;
    for (int k = 0; k < sp.nz; k++)
        sp.top_m[k] = 20.0 * (k + 1);
    sp.chemistry = 0;
    sp.kz_const = K;
    sp.chem.vd_pm = 0.0;
    lt_grid *g = NULL;
    lt_error err = {0};
    assert_int_equal(lt_grid_create(&g, &sp, &err), 0);
    lt_grid_met *met = malloc(SX * SY * sizeof *met);
    for (int i = 0; i < SX * SY; i++)
        met[i] = (lt_grid_met){.u_ms = U, .v_ms = 0.0, .ust_ms = 0.3, .rmol_m1 = 0.0,
            .pblh_m = 1000.0, .t2_K = 280.0, .rh_pct = NAN, .rain_mmh = 0.0, .sun = -1.0};
    double *mean = malloc(LT_NCOMP_GRID * SX * SY * sizeof *mean);
    const int is = 4, js = SY / 2;
    double q[LT_GS_N] = {Q};
    for (int h = 0; h < 3; h++) { /* 3 h: 43 km of travel, steady over the 17 km */
        lt_grid_clear_emissions(g);
        lt_grid_emit(g, 0, js * SX + is, 0, q);
        assert_true(lt_grid_hour(g, met, mean, &err) >= 1);
    }
    double worst = 0.0;
    for (int i = is + 12; i < SX - 4; i += 4) {
        double x = (i - is) * dx, cy = 0.0;
        for (int j = 0; j < SY; j++)
            cy += mean[j * SX + i] * dx;
        double sz = sqrt(2.0 * K * x / U), want = 2.0 * Q / (U * sqrt(2.0 * PI) * sz);
        worst = fmax(worst, fabs(cy / want - 1.0));
        /* the mass enters at the cell's centre and behaves as released about
         * half a cell upwind: the error falls as dx / x (2 % at 3 km, 0.4 %
         * at 15 km measured) */
        assert_rel(cy, want, 0.0045 + 0.25 * dx / x);
    }
    if (getenv("LT_VERIFY"))
        printf("VERIFY\t%s\tworst relative error 3-15 km\t%.4f\t0\t0.025\n", __func__, worst);
    free(met);
    free(mean);
    lt_grid_free(&g);
}

/* Bad specifications are refused with the values named. */
static void bad_spec(void **state)
{
    (void)state;
    lt_grid_spec sp;
    lt_grid_spec_defaults(&sp);
    sp.nx = 1;
    sp.ny = 5;
    sp.dx_m = 1000.0;
    lt_grid *g = NULL;
    lt_error err = {0};
    assert_int_not_equal(lt_grid_create(&g, &sp, &err), 0);
    assert_non_null(strstr(err.msg, "1 x 5 columns"));
    assert_null(g);
    lt_error_clear(&err);
    sp.nx = 5;
    sp.top_m[3] = sp.top_m[2];
    assert_int_not_equal(lt_grid_create(&g, &sp, &err), 0);
    assert_non_null(strstr(err.msg, "layer top 4"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tags_sum_to_total),
        cmocka_unit_test(threads_same_bits),
        cmocka_unit_test(box_chemistry_and_partition),
        cmocka_unit_test(steady_source_against_plume),
        cmocka_unit_test(horizontal_diffusion_puff),
        cmocka_unit_test(bad_spec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
