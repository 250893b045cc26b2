/* test_aloft.c — the grid model's winds per layer from the met file's winds
 * aloft: a CF file whose u_z25 ... v_z4000 blow from the south while the
 * 10 m wind blows from the west-southwest carries the plumes north; with
 * [solver] winds_aloft = no (or without them) east, as before; the same
 * bits on one thread and two. */
#include "lt_test.h"

#include <string.h>

#include "fixture.h"
#include "io/met.h"
#include "run_helpers.h"

/* Adds u_z*, v_z* (m s-1, constant u, v) to the fixture's met file. */
static void add_aloft(const char *path, int hours, double u, double v)
{
    int nc, dt, dy, dx;
    assert_int_equal(nc_open(path, NC_WRITE, &nc), NC_NOERR);
    assert_int_equal(nc_redef(nc), NC_NOERR);
    nc_inq_dimid(nc, "time", &dt);
    nc_inq_dimid(nc, "lat", &dy);
    nc_inq_dimid(nc, "lon", &dx);
    int dims[3] = {dt, dy, dx}, ids[2 * LT_MET_NZ];
    for (int c = 0; c < 2; c++)
        for (int l = 0; l < LT_MET_NZ; l++) {
            char name[32];
            snprintf(name, sizeof name, "%c_z%g", c ? 'v' : 'u', lt_met_z[l]);
            assert_int_equal(nc_def_var(nc, name, NC_FLOAT, 3, dims, &ids[c * LT_MET_NZ + l]), NC_NOERR);
            nc_put_att_text(nc, ids[c * LT_MET_NZ + l], "units", 5, "m s-1");
        }
    assert_int_equal(nc_enddef(nc), NC_NOERR);
    size_t n = (size_t)hours * 3 * 3;
    float *buf = malloc(n * sizeof *buf);
    for (int c = 0; c < 2; c++) {
        for (size_t k = 0; k < n; k++)
            buf[k] = (float)(c ? v : u);
        for (int l = 0; l < LT_MET_NZ; l++)
            assert_int_equal(nc_put_var_float(nc, ids[c * LT_MET_NZ + l], buf), NC_NOERR);
    }
    free(buf);
    nc_close(nc);
}

/* The centroid of the ground PM2.5 over the hours (the three stacks stand
 * within 2 km of the domain's centre) relative to the centre, cells. */
static void centroid(const char *path, double *cx, double *cy)
{
    size_t n;
    float *src = read_path_var(path, "pm25", &n); /* [time][y][x] */
    const size_t nx = 24, ny = 20, nt = n / (nx * ny);
    double s = 0, sx = 0, sy = 0;
    for (size_t t = 0; t < nt; t++)
        for (size_t j = 0; j < ny; j++)
            for (size_t i = 0; i < nx; i++) {
                double c = src[(t * ny + j) * nx + i];
                s += c;
                sx += c * ((double)i - 11.5);
                sy += c * ((double)j - 9.5);
            }
    free(src);
    assert_true(s > 0.0);
    *cx = sx / s;
    *cy = sy / s;
}

static void grid_winds_aloft(void **state)
{
    (void)state;
    char *dir = make_case(), p[600], out[3][600];
    snprintf(p, sizeof p, "%s/met.nc", dir);
    add_aloft(p, 6, 0.0, 6.0);
    const char *name[3] = {"a1", "a2", "off"};
    for (int r = 0; r < 3; r++) {
        snprintf(out[r], sizeof out[r], "output.file=%s/%s.nc", dir, name[r]);
        const char *sets[] = {"solver.method=grid", "solver.coarsen=4", out[r],
                              r == 2 ? "solver.winds_aloft=no" : "solver.winds_aloft=yes"};
        lt_summary s = run_case(dir, sets, 4, r == 1 ? 2 : 1);
        lt_summary_free(&s);
    }
    double x[3], y[3];
    for (int r = 0; r < 3; r++) {
        snprintf(p, sizeof p, "%s/%s.nc", dir, name[r]);
        centroid(p, &x[r], &y[r]);
    }
    /* aloft from the south: north of the source, little east; the 10 m
     * wind (3, 1) and its profile: east, a third as far north */
    assert_true(y[0] > 4.0 && fabs(x[0]) < 0.4 * y[0]); /* here: (-1.2, 5.7) */
    assert_true(x[2] > 4.0 && x[2] > 1.5 * y[2]);        /* here: (5.3, 2.3) */
    /* one thread and two: the same bits */
    char p1[700], p2[700];
    snprintf(p1, sizeof p1, "%s/a1.nc", dir);
    snprintf(p2, sizeof p2, "%s/a2.nc", dir);
    size_t n1, n2;
    float *a = read_path_var(p1, "pm25", &n1), *b = read_path_var(p2, "pm25", &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1 * sizeof *a);
    free(a);
    free(b);
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grid_winds_aloft),
    };
    return cmocka_run_group_tests_name("aloft", tests, NULL, NULL);
}
