/* test_plume.c — the plume kernel against the closed-form Gaussian plume
 * (Turner 1970 eq. 5.8) and its crosswind integral. */
#include "lt_test.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "solvers/plume.h"
#include "physics/rise.h"

#define PI 3.14159265358979323846
#define SQRT_2PI_T 2.50662827463100050242

/* A neutral (D) ground-reflected source without rise, wind toward +x, u = 4. */
static lt_plume_src neutral_source(double q_ugs, double h_m)
{
    lt_plume_src s;
    memset(&s, 0, sizeof s);
    const lt_sigma_curves *c = lt_sigma_curves_find("briggs-rural");
    s.cos_t = 1.0;
    s.sin_t = 0.0;
    s.q_norm = q_ugs / (2 * PI * 4.0);
    s.hs_m = h_m;
    s.zi_m = 1e5; /* lid far away */
    s.lid = 1;
    s.sy = c->y[LT_PG_D];
    s.sz = c->z[LT_PG_D];
    return s;
}

/* The textbook formula, written out independently of plume.c. */
static double closed_form(double q, double u, double x, double y, double z, double h)
{
    double sy = 0.08 * x / sqrt(1 + 1e-4 * x), sz = 0.06 * x / sqrt(1 + 1.5e-3 * x);
    return q / (2 * PI * u * sy * sz) * exp(-y * y / (2 * sy * sy)) *
           (exp(-(z - h) * (z - h) / (2 * sz * sz)) + exp(-(z + h) * (z + h) / (2 * sz * sz)));
}

static void centreline_and_off_axis(void **state)
{
    (void)state;
    lt_plume_src s = neutral_source(1e6, 50.0);
    const double xs[] = {200, 500, 1000, 3000, 8000};
    for (int i = 0; i < 5; i++) {
        double x = xs[i];
        double sy = 0.08 * x / sqrt(1 + 1e-4 * x);
        const double ys[] = {0.0, 0.5 * sy, sy, 2 * sy};
        for (int j = 0; j < 4; j++) {
            double want = closed_form(1e6, 4.0, x, ys[j], 0.0, 50.0);
            assert_rel(lt_plume_at(&s, x, ys[j], 0.0), want, 0.01);
            /* the kernel, at a receptor placed there */
            double rx = x, ry = ys[j], c = 0.0;
            lt_plume_accumulate(&s, 1, &rx, &ry, 1, 0.0, 1, &c);
            assert_rel(c, want, 0.01);
        }
    }
}

static void upwind_gets_nothing(void **state)
{
    (void)state;
    lt_plume_src s = neutral_source(1e6, 10.0);
    double rx[3] = {-100.0, -5000.0, 0.5}, ry[3] = {0.0, 10.0, 0.0}, c[3] = {0};
    lt_plume_accumulate(&s, 1, rx, ry, 3, 0.0, 1, c);
    assert_true(c[0] == 0.0 && c[1] == 0.0 && c[2] == 0.0);
}

/* The crosswind integral of C along a fine line equals
 * Q / (sqrt(2 pi) u sz) * (vertical terms). */
static void crosswind_integral(void **state)
{
    (void)state;
    lt_plume_src s = neutral_source(1e6, 30.0);
    const double xs[] = {300, 1500, 6000};
    for (int i = 0; i < 3; i++) {
        double x = xs[i];
        double sy = 0.08 * x / sqrt(1 + 1e-4 * x), sz = 0.06 * x / sqrt(1 + 1.5e-3 * x);
        int n = 4001;
        double dy = 12.0 * sy / (n - 1), integral = 0.0;
        double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
        double *c = calloc(n, sizeof *c);
        for (int k = 0; k < n; k++) {
            rx[k] = x;
            ry[k] = -6.0 * sy + k * dy;
        }
        lt_plume_accumulate(&s, 1, rx, ry, (size_t)n, 0.0, 1, c);
        for (int k = 0; k < n; k++)
            integral += c[k] * dy;
        double want = 1e6 / (sqrt(2 * PI) * 4.0 * sz) * 2.0 * exp(-30.0 * 30.0 / (2 * sz * sz));
        assert_rel(integral, want, 0.01);
        free(rx);
        free(ry);
        free(c);
    }
}

/* Under a lid: far downwind the plume is uniform through zi,
 * C = Q / (sqrt(2 pi) u sy zi) exp(-y^2 / 2 sy^2). */
static void uniform_mixing_under_lid(void **state)
{
    (void)state;
    lt_plume_src s = neutral_source(1e6, 50.0);
    s.zi_m = 200.0;
    /* at 60 km sz = 0.06*6e4/sqrt(91) = 377 m > 1.6 zi = 320 m: uniform */
    double x = 60000.0;
    double sy = 0.08 * x / sqrt(1 + 1e-4 * x);
    double want = 1e6 / (sqrt(2 * PI) * 4.0 * sy * 200.0);
    assert_rel(lt_plume_at(&s, x, 0.0, 0.0), want, 1e-9);
    /* just below the switch the image sum must already be close to uniform */
    double sz = 1.59 * 200.0;
    double v = lt_plume_vertical(sz, 50.0, 0.0, 200.0, 1);
    assert_rel(v, sqrt(2 * PI) * sz / 200.0, 0.01);
}

/* Image sum reflects: with zi, the vertical integral of the vertical term over
 * [0, zi] is sqrt(2 pi) sz (mass is trapped between ground and lid). */
static void lid_traps_mass(void **state)
{
    (void)state;
    double zi = 300.0, sz = 150.0, he = 100.0;
    int n = 3000;
    double dz = zi / n, sum = 0.0;
    for (int k = 0; k < n; k++)
        sum += lt_plume_vertical(sz, he, (k + 0.5) * dz, zi, 1) * dz;
    assert_rel(sum, sqrt(2 * PI) * sz, 1e-3);
}

static void plume_above_lid_gives_nothing(void **state)
{
    (void)state;
    assert_true(lt_plume_vertical(50.0, 400.0, 0.0, 300.0, 1) == 0.0);
    /* without a lid (stable hours) the same plume reaches the ground */
    assert_true(lt_plume_vertical(200.0, 400.0, 0.0, 300.0, 0) > 0.0);
}

/* A volume source: the closed form with sigma^2 = sigma(x)^2 + sigma0^2 (ISC3). */
static void volume_source(void **state)
{
    (void)state;
    lt_plume_src s = neutral_source(1e6, 5.0);
    s.sy0sq = 20.0 * 20.0;
    s.sz0sq = 4.0 * 4.0;
    const double xs[] = {30, 300, 3000};
    for (int i = 0; i < 3; i++) {
        double x = xs[i];
        double sy = sqrt(pow(0.08 * x / sqrt(1 + 1e-4 * x), 2) + 400.0);
        double sz = sqrt(pow(0.06 * x / sqrt(1 + 1.5e-3 * x), 2) + 16.0);
        double y = 0.7 * sy;
        double want = 1e6 / (2 * PI * 4.0 * sy * sz) * exp(-y * y / (2 * sy * sy)) *
                      (exp(-(1.5 - 5.0) * (1.5 - 5.0) / (2 * sz * sz)) +
                       exp(-(1.5 + 5.0) * (1.5 + 5.0) / (2 * sz * sz)));
        assert_rel(lt_plume_at(&s, x, y, 1.5), want, 1e-12);
    }
}

/* An area source equals the sum of many small point sources covering it,
 * within 3 %, at receptors inside, on the edge, just outside and 2-5 km away.
 * The square (1 km, turned 30 degrees to the wind) is split into 400 x 400
 * points of 2.5 m. */
static void area_equals_points(void **state)
{
    (void)state;
    const double ang = 30.0 * PI / 180.0, half = 500.0, q = 1e6;
    double uv[8];
    const double corners[4][2] = {{-half, -half}, {half, -half}, {half, half}, {-half, half}};
    lt_plume_src a = neutral_source(q, 2.0);
    for (int i = 0; i < 4; i++) {
        uv[2 * i] = corners[i][0] * cos(ang) - corners[i][1] * sin(ang);
        uv[2 * i + 1] = corners[i][0] * sin(ang) + corners[i][1] * cos(ang);
    }
    a.poly = uv;
    a.npoly = 4;
    lt_plume_polygon_extent(&a);
    a.q_area = q / (4.0 * half * half) / 4.0; /* u = 4 m/s, as neutral_source */
    const int n = 400;
    lt_plume_src pt = neutral_source(q / ((double)n * n), 2.0);
    /* receptors: centre, an edge's midpoint (downwind side), just outside it,
     * off axis, 2 km and 5 km downwind */
    double em_u = half * cos(ang), em_v = half * sin(ang); /* midpoint of the x = +half edge */
    const double rec[6][2] = {{0, 0}, {em_u, em_v}, {em_u + 50, em_v}, {300, -400}, {2000, 150}, {5000, 0}};
    for (int r = 0; r < 6; r++) {
        double sum = 0.0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double cx = -half + (i + 0.5) * 2 * half / n, cy = -half + (j + 0.5) * 2 * half / n;
                double pu = cx * cos(ang) - cy * sin(ang), pv = cx * sin(ang) + cy * cos(ang);
                sum += lt_plume_at(&pt, rec[r][0] - pu, rec[r][1] - pv, 1.5);
            }
        double got = lt_plume_at(&a, rec[r][0], rec[r][1], 1.5);
        assert_true(sum > 0.0);
        assert_rel(got, sum, 0.03);
    }
}

/* Bounded exponents: a receptor far off axis gets exactly 0, not a denormal. */
static void far_off_axis_is_zero(void **state)
{
    (void)state;
    lt_plume_src s = neutral_source(1e6, 10.0);
    double sy = 0.08 * 1000.0 / sqrt(1.1);
    assert_true(lt_plume_at(&s, 1000.0, 11.0 * sy, 0.0) == 0.0);
    assert_true(lt_plume_at(&s, 1000.0, 9.0 * sy, 0.0) > 0.0);
}

/* The exponent cutoff (LT_EXP_CUTOFF: terms below e^-50 of the peak dropped)
 * changes a grid's total by less than 1e-4 relative, and every receptor by
 * less than 1e-4 of the grid's peak, against the closed form without it. */
static void cutoff_changes_little(void **state)
{
    (void)state;
    lt_plume_src s = neutral_source(1e6, 0.0);
    double tot_k = 0.0, tot_c = 0.0, peak = 0.0, worst = 0.0;
    for (int i = 1; i <= 200; i++)
        for (int j = -200; j <= 200; j++) {
            double x = 50.0 * i, y = 25.0 * j;
            double k = lt_plume_at(&s, x, y, 0.0), c = closed_form(1e6, 4.0, x, y, 0.0, 0.0);
            tot_k += k;
            tot_c += c;
            peak = fmax(peak, c);
            worst = fmax(worst, fabs(k - c));
        }
    assert_rel(tot_k, tot_c, 1e-4);
    assert_true(worst <= 1e-4 * peak);
}

/* The kernel's vector path (lt_plume_accumulate over point sources: libmvec's
 * exp, cbrt and sin, the receptors gathered in blocks, images run by run)
 * against lt_plume_at, the scalar formula, receptor by receptor: every curve
 * form (Briggs rural and urban, A-F), buoyant and momentum rise (stable with
 * the sine), buoyancy-induced and initial spreads, a low lid (images, uniform
 * mixing, plume above it) and no lid, any wind direction. The two differ by
 * the vector functions' rounding only: within 1e-12 of the peak. */
static void vector_kernel_equals_formula(void **state)
{
    (void)state;
    enum { NR = 3000 };
    double *rx = malloc(NR * sizeof *rx), *ry = malloc(NR * sizeof *ry), *c = malloc(NR * sizeof *c);
    unsigned seed = 12345;
    const char *sets[2] = {"briggs-rural", "briggs-urban"};
    int cases = 0, compared = 0;
    double worst = 0.0;
    for (int set = 0; set < 2; set++)
        for (int cls = LT_PG_A; cls <= LT_PG_F; cls++)
            for (int kind = 0; kind < 4; kind++) {
                const lt_sigma_curves *cv = lt_sigma_curves_find(sets[set]);
                lt_plume_src s;
                memset(&s, 0, sizeof s);
                double ang = 0.7 + 1.9 * kind + 0.3 * cls;
                s.cos_t = cos(ang);
                s.sin_t = sin(ang);
                s.x_m = 120.0 * kind;
                s.y_m = -80.0 * cls;
                s.q_norm = 1e6 / (2 * PI * 3.0);
                s.sy = cv->y[cls];
                s.sz = cv->z[cls];
                s.lid = cls <= LT_PG_D;
                s.zi_m = kind == 3 ? 60.0 : 150.0 + 200.0 * kind; /* kind 3: the plume above the lid */
                s.hs_m = 40.0 + 10.0 * kind;
                s.bid = kind != 1;
                if (kind == 2) { /* a volume source */
                    s.sy0sq = 30.0 * 30.0;
                    s.sz0sq = 10.0 * 10.0;
                }
                /* kind 0 buoyant, 1 momentum (at ambient temperature), 2 and 3 hot */
                lt_rise_setup(&s.rise, 2.0, kind == 1 ? 25.0 : 12.0, kind == 1 ? 280.0 : 420.0, 280.0, 3.0,
                              (lt_pg_class)cls);
                for (int r = 0; r < NR; r++) {
                    seed = seed * 1103515245u + 12345u;
                    double u = (seed >> 8) / 16777216.0;
                    seed = seed * 1103515245u + 12345u;
                    double v = (seed >> 8) / 16777216.0;
                    /* half near the axis, half anywhere within 15 km */
                    double xd = 15000.0 * u * u, yd = r % 2 ? (v - 0.5) * 0.3 * xd : (v - 0.5) * 30000.0;
                    rx[r] = s.x_m + xd * s.cos_t - yd * s.sin_t;
                    ry[r] = s.y_m + xd * s.sin_t + yd * s.cos_t;
                    c[r] = 0.0;
                }
                lt_plume_accumulate(&s, 1, rx, ry, NR, 1.5, 1, c);
                double peak = 0.0, *want = malloc(NR * sizeof *want);
                for (int r = 0; r < NR; r++) {
                    double dx = rx[r] - s.x_m, dy = ry[r] - s.y_m;
                    double xd = dx * s.cos_t + dy * s.sin_t, yd = dy * s.cos_t - dx * s.sin_t;
                    want[r] = xd < LT_X_MIN_M ? 0.0 : lt_plume_at(&s, xd, yd, 1.5);
                    peak = fmax(peak, want[r]);
                }
                for (int r = 0; r < NR; r++) {
                    double d = fabs(c[r] - want[r]);
                    worst = fmax(worst, peak > 0.0 ? d / peak : d);
                    if (!(d <= 1e-12 * peak)) {
                        print_error("%s class %d kind %d receptor %d: kernel %.17g, formula %.17g (peak %g)\n",
                                    sets[set], cls, kind, r, c[r], want[r], peak);
                        fail();
                    }
                    compared += want[r] > 1e-6 * peak;
                }
                cases += peak > 0.0;
                free(want);
            }
    if (getenv("LT_VERIFY"))
        printf("vector kernel vs formula: %d cases with plumes, %d receptors above 1e-6 of the peak, "
               "worst difference %.3g of the peak\n", cases, compared, worst);
    assert_true(cases >= 36 && compared > 10000);
    free(rx);
    free(ry);
    free(c);
}

/* The similarity scheme's vector path (similarity_block) equals the pair
 * formula: sigma_y = a x / (1 + c sqrt x) from sigma_v / u, a Cy table 1 m to
 * 30 km (falling as 1/x, as a ground-level Cy does), point
 * and volume sources, receptors near and far off the axis, before the
 * table's first point and past its last: within 1e-12 of the peak. */
static void similarity_kernel_equals_formula(void **state)
{
    (void)state;
    enum { NR = 3000, NCY = 120 };
    static double rx[NR], ry[NR], c[NR], cy[NCY];
    double ratio = pow(30000.0, 1.0 / (NCY - 1));
    for (int i = 0; i < NCY; i++)
        cy[i] = 0.3 * pow(pow(ratio, i), -1.0) / (1.0 + 1e-3 * i);
    unsigned seed = 777;
    int compared = 0;
    for (int kind = 0; kind < 4; kind++) {
        lt_plume_src s;
        memset(&s, 0, sizeof s);
        double ang = 0.4 + 1.7 * kind, ut = 1.0 + kind;
        s.cos_t = cos(ang);
        s.sin_t = sin(ang);
        s.x_m = 50.0 * kind;
        s.q_ugs = 1e6;
        s.sy.a = (0.2 + 0.3 * kind) / ut;
        s.sy.c = 0.9 / sqrt(1000.0 * ut);
        s.cy = cy;
        s.ncy = NCY;
        s.cy_x0 = 1.0;
        s.cy_ratio = ratio;
        if (kind == 2)
            s.sy0sq = 25.0 * 25.0;
        for (int r = 0; r < NR; r++) {
            seed = seed * 1103515245u + 12345u;
            double u = (seed >> 8) / 16777216.0;
            seed = seed * 1103515245u + 12345u;
            double v = (seed >> 8) / 16777216.0;
            double xd = (kind == 3 ? 60000.0 : 15000.0) * u * u - 5.0, yd = r % 2 ? (v - 0.5) * 0.4 * xd : (v - 0.5) * 20000.0;
            rx[r] = s.x_m + xd * s.cos_t - yd * s.sin_t;
            ry[r] = s.y_m + xd * s.sin_t + yd * s.cos_t;
            c[r] = 0.0;
        }
        lt_plume_accumulate(&s, 1, rx, ry, NR, 1.5, 1, c);
        double peak = 0.0, want[NR];
        for (int r = 0; r < NR; r++) {
            double dx = rx[r] - s.x_m, dy = ry[r] - s.y_m;
            double xd = dx * s.cos_t + dy * s.sin_t, yd = dy * s.cos_t - dx * s.sin_t;
            want[r] = xd < LT_X_MIN_M ? 0.0 : lt_plume_at(&s, xd, yd, 1.5);
            peak = fmax(peak, want[r]);
        }
        assert_true(peak > 0.0);
        for (int r = 0; r < NR; r++) {
            if (!(fabs(c[r] - want[r]) <= 1e-12 * peak))
                print_error("kind %d receptor %d: kernel %.17g, formula %.17g (peak %g)\n", kind, r, c[r], want[r], peak);
            assert_true(fabs(c[r] - want[r]) <= 1e-12 * peak);
            compared += want[r] > 1e-9 * peak;
        }
    }
    assert_true(compared > 4000); /* of 12 000 pairs, a third out of the plumes' reach */
}

/* Hours dispersed together (lt_plume_accumulate_hours, one parallel region
 * over hour and receptor block) give, bit for bit, what each hour gives on
 * its own, on one thread and on two: hours with points, an area, a volume,
 * none at all, each into its own plane. */
static void hours_together_equal_hours_alone(void **state)
{
    (void)state;
    enum { NH = 5, NS = 4, NX = 37, NREC = NX * NX };
    static double rx[NREC], ry[NREC], alone[NH][NREC], together[2][NH][NREC];
    for (int r = 0; r < NREC; r++) { /* a 37 x 37 grid at 90 m: 1369 receptors, several blocks */
        rx[r] = -1500.0 + 90.0 * (r % NX);
        ry[r] = -1500.0 + 90.0 * (r / NX);
    }
    static lt_plume_src src[NH][NS];
    static double uv[NH][8];
    size_t nsrc[NH];
    const lt_plume_src *ptr[NH];
    for (int h = 0; h < NH; h++) {
        nsrc[h] = h == 2 ? 0 : (size_t)(1 + h % NS); /* hour 2: nothing to disperse */
        for (size_t k = 0; k < nsrc[h]; k++) {
            lt_plume_src *s = &src[h][k];
            *s = neutral_source(1e6 * (1.0 + (double)k), 10.0 + 15.0 * (double)k);
            double ang = 0.4 + 1.3 * h + 0.2 * (double)k;
            s->cos_t = cos(ang);
            s->sin_t = sin(ang);
            s->x_m = -200.0 * (double)k;
            s->y_m = 100.0 * h;
            if (k == 1) { /* a 100 m square area */
                const double c[4][2] = {{-50, -50}, {50, -50}, {50, 50}, {-50, 50}};
                for (int i = 0; i < 4; i++) {
                    uv[h][2 * i] = c[i][0] * s->cos_t + c[i][1] * s->sin_t;
                    uv[h][2 * i + 1] = c[i][1] * s->cos_t - c[i][0] * s->sin_t;
                }
                s->poly = uv[h];
                s->npoly = 4;
                lt_plume_polygon_extent(s);
                s->q_area = 1e6 / (1e4 * 4.0);
            } else if (k == 2) { /* a volume */
                s->sy0sq = 20.0 * 20.0;
                s->sz0sq = 5.0 * 5.0;
            }
        }
        ptr[h] = src[h];
        memset(alone[h], 0, sizeof alone[h]);
        lt_plume_accumulate(src[h], nsrc[h], rx, ry, NREC, 1.5, 1, alone[h]);
    }
    size_t reached = 0;
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1);
        memset(together[t], 0, sizeof together[t]);
        lt_plume_accumulate_hours(ptr, nsrc, NH, rx, ry, NREC, 1.5, 1, &together[t][0][0], NREC);
        assert_memory_equal(together[t], alone, sizeof alone);
    }
    for (int h = 0; h < NH; h++)
        for (int r = 0; r < NREC; r++)
            reached += alone[h][r] > 0.0;
    assert_true(reached > 1000); /* the comparison means something: plumes arrive */
    for (int r = 0; r < NREC; r++)
        assert_true(alone[2][r] == 0.0);
}

/* A meandering source: ground level, no rise, class cls of briggs-rural
 * (lid at zi_m for classes A-D), wind toward +x at plume height ubar, lateral
 * turbulence sv, AERMOD's 24 h time scale, its radial table in tab[256]
 * out to 20 km. */
static lt_plume_src meander_source(double q, double ubar, double sv, lt_pg_class cls, double zi_m, double *tab)
{
    lt_plume_src s;
    memset(&s, 0, sizeof s);
    const lt_sigma_curves *c = lt_sigma_curves_find("briggs-rural");
    s.cos_t = 1.0;
    s.zi_m = zi_m;
    s.lid = cls <= LT_PG_D;
    s.sy = c->y[cls];
    s.sz = c->z[cls];
    s.q_ugs = q;
    double ueff = lt_plume_meander_weights(&s, ubar, sv, 24.0 * 3600.0);
    s.q_norm = q / (2 * PI * ueff);
    lt_plume_meander_table(&s, 0.0, 20000.0, tab, 256);
    return s;
}

/* The calm limit, in closed form: with no mean wind the whole source is the
 * random part, C(r) = Q Fz / (2 pi r u_eff), u_eff = sqrt(2) sv, and for a
 * ground source seen at the ground with no lid (class F) Fz = 2 /
 * (sqrt(2 pi) sz(r)), sz = 0.016 r / (1 + 0.0003 r) (Briggs 1973, rural F;
 * Turner 1970 eq. 5.8 integrated across the wind): the same at every angle,
 * upwind as downwind. */
static void meander_calm_limit(void **state)
{
    (void)state;
    double tab[256], q = 1e6, sv = 0.3, ueff = sqrt(2.0) * sv;
    lt_plume_src s = meander_source(q, 0.0, sv, LT_PG_F, 1e5, tab);
    assert_true(s.fp0 == 0.0);
    const double radii[4] = {20.0, 150.0, 1000.0, 8000.0};
    for (int i = 0; i < 4; i++) {
        double r = radii[i], sz = 0.016 * r / (1.0 + 0.0003 * r);
        double want = q * 2.0 / (SQRT_2PI_T * sz) / (2 * PI * r * ueff);
        for (int a = 0; a < 12; a++) {
            double th = a * PI / 6.0, c = lt_plume_at(&s, r * cos(th), r * sin(th), 0.0);
            assert_rel(c, want, 2e-3); /* the table's interpolation, 1.046 apart in r */
        }
    }
}

/* Continuity: the field changes smoothly as the wind drops through the old
 * calm threshold (0.5 m/s at 10 m; here at plume height), and tends to the
 * radially symmetric calm limit as it vanishes (the plume's share goes as
 * ubar^2: at 2 mm/s its centreline is 0.1 % above the random part). */
static void meander_continuous_in_wind(void **state)
{
    (void)state;
    double tab[3][256];
    const double u[3] = {0.49, 0.50, 0.51};
    const double rx[3] = {500.0, 0.0, -500.0}, ry[3] = {0.0, 500.0, 0.0}; /* downwind, across, upwind */
    double c[3][3];
    for (int k = 0; k < 3; k++) {
        lt_plume_src s = meander_source(1e6, u[k], 0.3, LT_PG_E, 1e5, tab[k]);
        for (int j = 0; j < 3; j++)
            c[k][j] = lt_plume_at(&s, rx[j], ry[j], 0.0);
    }
    for (int j = 0; j < 3; j++) {
        assert_true(c[1][j] > 0.0);
        assert_rel(c[0][j], c[1][j], 0.05);
        assert_rel(c[2][j], c[1][j], 0.05);
    }
    /* upwind and crosswind the random part only: it falls as the wind grows */
    assert_true(c[0][2] > c[1][2] && c[1][2] > c[2][2]);
    double t2[256];
    lt_plume_src s = meander_source(1e6, 0.002, 0.3, LT_PG_E, 1e5, t2);
    double down = lt_plume_at(&s, 500.0, 0.0, 0.0), up = lt_plume_at(&s, -500.0, 0.0, 0.0);
    assert_rel(down, up, 0.01);
}

/* Mass: the flux through a circle round the source is Q in both limits. With
 * a 20 m lid both parts are mixed uniformly through it at 2 km (sz = 60 m >
 * 1.6 zi, class D), so the flux is u_eff zi times the ring integral of the
 * ground value. Calm: the random part alone; windy (6 m/s, sv 0.2): the
 * plume carries 99.8 %. */
static void meander_mass_both_limits(void **state)
{
    (void)state;
    double tab[256], q = 1e6, R = 2000.0, zi = 20.0;
    const double ubar[2] = {0.0, 6.0};
    for (int k = 0; k < 2; k++) {
        lt_plume_src s = meander_source(q, ubar[k], 0.2, LT_PG_D, zi, tab);
        double ueff = sqrt(ubar[k] * ubar[k] + 2.0 * 0.2 * 0.2), flux = 0.0;
        int n = 36000;
        for (int i = 0; i < n; i++) {
            double th = 2 * PI * (i + 0.5) / n;
            flux += lt_plume_at(&s, R * cos(th), R * sin(th), 0.0) * R * (2 * PI / n);
        }
        flux *= ueff * zi;
        assert_rel(flux, q, 0.01);
    }
}

/* The kernel adds what lt_plume_at gives (upwind receptors too), the same
 * bits on one thread and on two. */
static void meander_kernel_equals_pairs(void **state)
{
    (void)state;
    enum { NX = 41, NREC = NX * NX };
    static double rx[NREC], ry[NREC], c[2][NREC];
    for (int r = 0; r < NREC; r++) {
        rx[r] = -2000.0 + 100.0 * (r % NX);
        ry[r] = -2000.0 + 100.0 * (r / NX);
    }
    double tab[2][256];
    lt_plume_src src[2] = {meander_source(1e6, 1.5, 0.4, LT_PG_D, 800.0, tab[0]),
                           meander_source(3e6, 0.2, 0.3, LT_PG_F, 1e5, tab[1])};
    src[1].x_m = 300.0;
    src[1].sz0sq = 25.0; /* a volume */
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1);
        memset(c[t], 0, sizeof c[t]);
        lt_plume_accumulate(src, 2, rx, ry, NREC, 0.0, 1, c[t]);
    }
    assert_memory_equal(c[0], c[1], sizeof c[0]);
    int upwind = 0;
    for (int r = 0; r < NREC; r++) {
        double want = 0.0;
        for (int k = 0; k < 2; k++)
            want += lt_plume_at(&src[k], rx[r] - src[k].x_m, ry[r], 0.0);
        assert_rel(c[0][r], want, 1e-12);
        upwind += rx[r] < -100.0 && c[0][r] > 0.0;
    }
    assert_true(upwind > 100); /* meander reaches where a straight plume cannot */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(centreline_and_off_axis),
        cmocka_unit_test(upwind_gets_nothing),
        cmocka_unit_test(crosswind_integral),
        cmocka_unit_test(uniform_mixing_under_lid),
        cmocka_unit_test(lid_traps_mass),
        cmocka_unit_test(plume_above_lid_gives_nothing),
        cmocka_unit_test(far_off_axis_is_zero),
        cmocka_unit_test(cutoff_changes_little),
        cmocka_unit_test(volume_source),
        cmocka_unit_test(area_equals_points),
        cmocka_unit_test(vector_kernel_equals_formula),
        cmocka_unit_test(similarity_kernel_equals_formula),
        cmocka_unit_test(hours_together_equal_hours_alone),
        cmocka_unit_test(meander_calm_limit),
        cmocka_unit_test(meander_continuous_in_wind),
        cmocka_unit_test(meander_mass_both_limits),
        cmocka_unit_test(meander_kernel_equals_pairs),
    };
    return cmocka_run_group_tests_name("plume", tests, NULL, NULL);
}
