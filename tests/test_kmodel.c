/* test_kmodel.c — the vertical K-theory solver of the similarity scheme against
 * the exact solution for a ground source in uniform wind with K = b z:
 * Cy(x, z) = Q / (b x) exp(-u z / (b x)) (it satisfies u dC/dx = d/dz(b z dC/dz)
 * and carries the flux Q); and the similarity profiles against their limits. */
#include "lt_test.h"

#include "physics/kmodel.h"

static double u_const(const void *ctx, double z) { (void)z; return *(const double *)ctx; }
static double k_linear(const void *ctx, double z) { (void)ctx; return 0.16 * z; }

static void linear_k_exact(void **state)
{
    (void)state;
    double u = 3.0, b = 0.16, cy[6];
    /* distances 50 .. 1600 m (ratio 2), receptor at 1.5 m, release at the ground */
    assert_int_equal(lt_kmodel_cy_profiles(u_const, k_linear, &u, 3000.0, 0.0, 1.5, 50.0, 2.0, 6, cy), 0);
    for (int i = 0; i < 6; i++) {
        double x = 50.0 * pow(2.0, i);
        double want = 1.0 / (b * x) * exp(-u * 1.5 / (b * x));
        assert_rel(cy[i], want, 0.03);
    }
}

/* Neutral limit: the wind profile is logarithmic and K = kappa u* z near the ground. */
static void neutral_profiles(void **state)
{
    (void)state;
    lt_kmodel_met m = {5.0, 10.0, 0.4, 0.0, 1000.0, 0.1};
    assert_rel(lt_kmodel_wind(&m, 10.0), 5.0, 1e-12);
    assert_rel(lt_kmodel_wind(&m, 1.0), 5.0 * log(10.0) / log(100.0), 1e-12);
    assert_rel(lt_kmodel_k(&m, 10.0), 0.4 * 0.4 * 10.0 * 0.99 * 0.99, 1e-12);
    assert_true(lt_kmodel_k(&m, 1000.0) == 0.0);
    /* stable: phi_h = 1 + 5 z/L; unstable: (1 - 16 z/L)^-1/2 (Dyer 1974) */
    assert_rel(lt_phi_h(0.2), 2.0, 1e-12);
    assert_rel(lt_phi_h(-0.5), 1.0 / 3.0, 1e-12);
    assert_rel(lt_psi_m(0.1), -0.5, 1e-12);
    assert_rel(lt_psi_m(0.0), 0.0, 1e-12);
}

/* More mixing (unstable) dilutes a ground source faster than less (stable). */
static void stability_orders(void **state)
{
    (void)state;
    lt_kmodel_met un = {4.0, 2.0, 0.4, -1.0 / 20.0, 1000.0, 0.006};
    lt_kmodel_met st = {4.0, 2.0, 0.2, 1.0 / 20.0, 1000.0, 0.006};
    double a[3], b[3];
    assert_int_equal(lt_kmodel_cy(&un, 0.46, 1.5, 100.0, 2.0, 3, a), 0);
    assert_int_equal(lt_kmodel_cy(&st, 0.46, 1.5, 100.0, 2.0, 3, b), 0);
    for (int i = 0; i < 3; i++)
        assert_true(a[i] < b[i]);
}

/* A 40 m release over an 8 m stable boundary layer (issue 20: it used to be
 * put into the layer's top cell and mixed straight to the ground) stays aloft:
 * at the ground it gives under 1e-3 of what a 4 m release inside the layer
 * gives, out to 12.8 km; aloft, at its own height, its plume is a thin
 * Gaussian with sigma_z = sqrt(2 K x / u), K = 0.01 m2 s-1 (within 25 %). */
static void release_above_stable_layer(void **state)
{
    (void)state;
    lt_kmodel_met m = {2.0, 10.0, 0.1, 1.0 / 10.0, 8.0, 0.1};
    double above[8], inside[8], aloft[8];
    assert_int_equal(lt_kmodel_cy(&m, 40.0, 1.5, 100.0, 2.0, 8, above), 0);
    assert_int_equal(lt_kmodel_cy(&m, 4.0, 1.5, 100.0, 2.0, 8, inside), 0);
    assert_int_equal(lt_kmodel_cy(&m, 40.0, 40.0, 100.0, 2.0, 8, aloft), 0);
    for (int i = 0; i < 8; i++) {
        if (!(above[i] < 1e-3 * inside[i]))
            fail_msg("x = %g m: ground cy %.3g from 40 m, %.3g from 4 m", 100.0 * pow(2.0, i), above[i], inside[i]);
        assert_true(aloft[i] > 1e3 * above[i]);
    }
    double u = lt_kmodel_wind(&m, 40.0), x = 100.0 * pow(2.0, 6); /* 6.4 km */
    double sz = sqrt(2.0 * 0.01 * x / u);
    assert_rel(aloft[6], 1.0 / (sqrt(2.0 * 3.14159265358979) * sz * u), 0.25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linear_k_exact),
        cmocka_unit_test(neutral_profiles),
        cmocka_unit_test(stability_orders),
        cmocka_unit_test(release_above_stable_layer),
    };
    return cmocka_run_group_tests_name("kmodel", tests, NULL, NULL);
}
