/* test_gridconv.c — the FFT convolution of gridded emissions equals the sum,
 * cell by cell, of area sources through the plume kernel (plume.c), with and
 * without secondary components; bilinear sampling at stations. */
#include "lt_test.h"

#include <string.h>

#include "physics/chem.h"
#include "solvers/gridconv.h"
#include "solvers/plume.h"

#define NX 18
#define NY 13
#define DX 500.0
#define PI 3.14159265358979323846

/* A unit-emission cell source for wind toward angle ang (radians), class D,
 * u = 3 m/s, released at h_m; poly must hold 8 doubles. */
static lt_plume_src cell_source(double ang, double h_m, double *poly)
{
    lt_plume_src s;
    memset(&s, 0, sizeof s);
    const lt_sigma_curves *c = lt_sigma_curves_find("briggs-rural");
    s.cos_t = cos(ang);
    s.sin_t = sin(ang);
    double h = 0.5 * DX;
    const double sq[4][2] = {{-h, -h}, {h, -h}, {h, h}, {-h, h}};
    for (int v = 0; v < 4; v++) {
        poly[2 * v] = sq[v][0] * s.cos_t + sq[v][1] * s.sin_t;
        poly[2 * v + 1] = sq[v][1] * s.cos_t - sq[v][0] * s.sin_t;
    }
    s.poly = poly;
    s.npoly = 4;
    lt_plume_polygon_extent(&s);
    s.q_area = 1.0 / (DX * DX * 3.0);
    s.hs_m = h_m;
    s.zi_m = 800.0;
    s.lid = 1;
    s.sy = c->y[LT_PG_D];
    s.sz = c->z[LT_PG_D];
    s.u_travel_ms = 3.0;
    return s;
}

static void emission_map(double *e)
{
    for (int r = 0; r < NX * NY; r++)
        e[r] = (r % 7 == 0 || r % 11 == 3) ? 1.0 + (r % 5) : 0.0;
}

static void check(int ncomp)
{
    double e[NX * NY], rx[NX * NY], ry[NX * NY];
    emission_map(e);
    for (int j = 0; j < NY; j++)
        for (int i = 0; i < NX; i++) {
            rx[j * NX + i] = i * DX;
            ry[j * NX + i] = j * DX;
        }
    lt_chem_params p;
    lt_chem_defaults(&p);
    lt_chem_rates r;
    lt_chem_rates_at(&p, 0.5, 70.0, 0.0, 800.0, &r);
    const double unit[4] = {1, 1, 1, 1};
    lt_chem_src chem;
    lt_chem_src_setup(&chem, &p, &r, unit);
    const double angles[] = {0.3, 2.0, -2.6};
    for (int a = 0; a < 3; a++) {
        double poly[8];
        lt_plume_src k = cell_source(angles[a], 20.0, poly);
        if (ncomp > 1)
            k.chem = &chem;
        lt_gridconv *gc;
        lt_error err;
        assert_int_equal(lt_gridconv_create(&gc, NX, NY, ncomp, &err), 0);
        int mi;
        assert_int_equal(lt_gridconv_add_map(gc, e, &mi, &err), 0);
        lt_gridconv_set_kernel(gc, 0, &k, DX, 1.5, ncomp);
        /* the direct sum: one area source per emitting cell */
        int nsrc = 0;
        lt_plume_src src[NX * NY];
        lt_chem_src chems[NX * NY];
        for (int c = 0; c < NX * NY; c++) {
            if (e[c] == 0.0)
                continue;
            src[nsrc] = k;
            src[nsrc].x_m = rx[c];
            src[nsrc].y_m = ry[c];
            if (ncomp > 1) {
                const double q[4] = {e[c], e[c], e[c], e[c]};
                lt_chem_src_setup(&chems[nsrc], &p, &r, q);
                src[nsrc].chem = &chems[nsrc];
            } else {
                src[nsrc].q_area = e[c] / (DX * DX * 3.0);
            }
            nsrc++;
        }
        double *direct = calloc((size_t)ncomp * NX * NY, sizeof *direct);
        lt_plume_accumulate(src, (size_t)nsrc, rx, ry, NX * NY, 1.5, ncomp, direct);
        for (int q = 0; q < ncomp; q++) {
            double conv[NX * NY], mx = 0.0;
            int slot = q, map = mi;
            double w = 1.0;
            assert_int_equal(lt_gridconv_apply(gc, NULL, 1, &slot, &map, &w, conv), 0);
            for (int c = 0; c < NX * NY; c++)
                mx = fmax(mx, direct[q * NX * NY + c]);
            assert_true(mx > 0.0);
            double worst = 0.0;
            for (int c = 0; c < NX * NY; c++)
                worst = fmax(worst, fabs(conv[c] - direct[q * NX * NY + c]));
            /* single-precision FFT round-off only, relative to the largest
             * value (a wrong offset, wrap or scale errs by order 1) */
            print_message("angle %.1f component %d: worst %.3g of the peak\n", angles[a], q, worst / mx);
            assert_true(worst <= 1e-5 * mx);
        }
        free(direct);
        lt_gridconv_free(&gc);
    }
}

static void convolution_equals_area_sources(void **state)
{
    (void)state;
    check(1);
}

static void convolution_with_components(void **state)
{
    (void)state;
    check(LT_NCOMP);
}

static void bilinear_sampling(void **state)
{
    (void)state;
    double f[3 * 2] = {0, 1, 2, 10, 11, 12}; /* f = i + 10 j */
    assert_rel(lt_gridconv_sample(f, 3, 2, 1.0, 0.0), 1.0, 1e-15);
    assert_rel(lt_gridconv_sample(f, 3, 2, 1.5, 0.5), 6.5, 1e-15);
    assert_rel(lt_gridconv_sample(f, 3, 2, 2.0, 1.0), 12.0, 1e-15);
    assert_rel(lt_gridconv_sample(f, 3, 2, 5.0, -1.0), 2.0, 1e-15); /* clamped */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(convolution_equals_area_sources),
        cmocka_unit_test(convolution_with_components),
        cmocka_unit_test(bilinear_sampling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
