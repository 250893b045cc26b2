/* test_wrf.c — reading WRF wrfout files directly: a synthetic Lambert
 * conformal wrfout pair with grid-relative winds, accumulated rain across the
 * file boundary and Q2/PSFC humidity; and the ERA5-style variable map of CF
 * files (names, factors, packed shorts). */
#include "lt_test.h"

#include <netcdf.h>
#include <proj.h>
#include <string.h>
#include <unistd.h>

#include "io/config.h"
#include "io/met.h"

#define NXW 12
#define NYW 10
#define DXW 9000.0
#define ALPHA 0.12 /* radians: grid axes turned from east/north */

/* Writes hours [h0, h0 + nh) of a wrfout file; shift_lat moves XLAT (a
 * wrong grid) and skip names a variable not to write. */
static void write_wrf(const char *path, int h0, int nh, double shift_lat, const char *skip)
{
    int nc, dt, ds, dy, dx;
    nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc);
    nc_def_dim(nc, "Time", NC_UNLIMITED, &dt);
    nc_def_dim(nc, "DateStrLen", 19, &ds);
    nc_def_dim(nc, "south_north", NYW, &dy);
    nc_def_dim(nc, "west_east", NXW, &dx);
    int one = 1;
    double clat = 34.8, clon = 108.4, t1 = 30.0, t2 = 60.0, d = DXW;
    nc_put_att_int(nc, NC_GLOBAL, "MAP_PROJ", NC_INT, 1, &one);
    nc_put_att_double(nc, NC_GLOBAL, "CEN_LAT", NC_DOUBLE, 1, &clat);
    nc_put_att_double(nc, NC_GLOBAL, "CEN_LON", NC_DOUBLE, 1, &clon);
    nc_put_att_double(nc, NC_GLOBAL, "TRUELAT1", NC_DOUBLE, 1, &t1);
    nc_put_att_double(nc, NC_GLOBAL, "TRUELAT2", NC_DOUBLE, 1, &t2);
    nc_put_att_double(nc, NC_GLOBAL, "STAND_LON", NC_DOUBLE, 1, &clon);
    nc_put_att_double(nc, NC_GLOBAL, "DX", NC_DOUBLE, 1, &d);
    nc_put_att_double(nc, NC_GLOBAL, "DY", NC_DOUBLE, 1, &d);
    int vt, dims2[2] = {dt, ds}, dims[3] = {dt, dy, dx};
    nc_def_var(nc, "Times", NC_CHAR, 2, dims2, &vt);
    const char *names[] = {"XLAT", "XLONG", "U10", "V10", "T2", "PBLH", "UST", "HFX", "RAINC", "RAINNC",
                           "Q2", "PSFC", "COSALPHA", "SINALPHA"};
    int ids[14];
    for (int i = 0; i < 14; i++) {
        ids[i] = -1;
        if (skip && !strcmp(skip, names[i]))
            continue;
        nc_def_var(nc, names[i], NC_FLOAT, 3, dims, &ids[i]);
    }
    nc_enddef(nc);
    /* cell centres from the same Lambert projection on WRF's sphere */
    PJ_CONTEXT *ctx = proj_context_create();
    PJ *p = proj_create_crs_to_crs(ctx, "+proj=longlat +R=6370000 +type=crs",
                                   "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=34.8 +lon_0=108.4 +R=6370000 +units=m +type=crs", NULL);
    PJ *pn = proj_normalize_for_visualization(ctx, p);
    PJ_COORD c0 = proj_trans(pn, PJ_FWD, proj_coord(108.4, 34.8, 0, 0));
    float lat[NYW * NXW], lon[NYW * NXW], f[NYW * NXW];
    for (int j = 0; j < NYW; j++)
        for (int i = 0; i < NXW; i++) {
            PJ_COORD g = proj_trans(pn, PJ_INV, proj_coord(c0.xy.x + (i - 0.5 * (NXW - 1)) * DXW,
                                                         c0.xy.y + (j - 0.5 * (NYW - 1)) * DXW, 0, 0));
            lon[j * NXW + i] = (float)g.lp.lam;
            lat[j * NXW + i] = (float)(g.lp.phi + shift_lat);
        }
    proj_destroy(pn);
    proj_destroy(p);
    proj_context_destroy(ctx);
    for (int k = 0; k < nh; k++) {
        int h = h0 + k;
        char ts[20];
        snprintf(ts, sizeof ts, "2017-01-01_%02d:00:00", h);
        size_t s2[2] = {(size_t)k, 0}, c2[2] = {1, 19};
        nc_put_vara_text(nc, vt, s2, c2, ts);
        size_t s3[3] = {(size_t)k, 0, 0}, c3[3] = {1, NYW, NXW};
        /* earth wind (3, 1) m/s given on the grid's axes: the inverse rotation */
        double ue = 3.0, ve = 1.0, ca = cos(ALPHA), sa = sin(ALPHA);
        double val[14] = {0, 0, ue * ca + ve * sa, ve * ca - ue * sa, 275.0, 400.0, 0.3, 20.0,
                          0.25 * h, 0.5 * h, 0.003, 95000.0, ca, sa};
        for (int i = 0; i < 14; i++) {
            if (ids[i] < 0)
                continue;
            const float *src = i == 0 ? lat : i == 1 ? lon : f;
            if (i > 1)
                for (int q = 0; q < NYW * NXW; q++)
                    f[q] = (float)val[i];
            nc_put_vara_float(nc, ids[i], s3, c3, src);
        }
    }
    nc_close(nc);
}

static void wrfout_pair(void **state)
{
    (void)state;
    char dir[] = "/tmp/lantian-wrf-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[128], b[128], list[300];
    snprintf(a, sizeof a, "%s/wrfout_d01_2017-01-01_00:00:00", dir);
    snprintf(b, sizeof b, "%s/wrfout_d01_2017-01-01_03:00:00", dir);
    write_wrf(a, 0, 3, 0.0, NULL);
    write_wrf(b, 3, 3, 0.0, NULL);
    snprintf(list, sizeof list, "%s, %s", a, b);
    lt_met *m;
    lt_error err;
    lt_error_clear(&err);
    int rc = lt_met_open_ex(&m, list, LT_MET_WRF, NULL, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(lt_met_ntimes(m), 6);
    double t0;
    lt_parse_iso8601("2017-01-01T00:00:00Z", &t0);
    assert_int_equal(lt_met_check_coverage(m, t0, 6, &err), 0);
    assert_true(lt_met_has(m, "hfx") && lt_met_has(m, "rain") && lt_met_has(m, "rh") && !lt_met_has(m, "rmol"));
    /* saturation over water at 1.85 C (Bolton 1980) and e from Q2, PSFC */
    double tc = 275.0 - 273.15, es = 611.2 * exp(17.67 * tc / (tc + 243.5));
    double e = 0.003 * 95000.0 / (0.622 + 0.003), rh = fmin(100.0, 100.0 * e / es);
    for (int h = 0; h < 6; h++) {
        assert_int_equal(lt_met_load(m, t0 + 3600.0 * h, &err), 0);
        lt_met_point p;
        lt_met_sample(m, 108.43, 34.83, &p);
        assert_rel(p.u10, 3.0, 1e-5);  /* rotated back to earth axes */
        assert_rel(p.v10, 1.0, 1e-5);
        assert_rel(p.t2, 275.0, 1e-6);
        /* accumulated 0.75 mm/h differenced to the hour, across the two files */
        if (h == 0)
            assert_true(p.rain == 0.0);
        else
            assert_rel(p.rain, 0.75, 1e-5);
        assert_rel(p.rh, rh, 1e-5);
        /* 1/L from HFX: -kappa g H / (rho cp T u*^3) */
        assert_rel(p.rmol, -0.4 * 9.81 * 20.0 / (1.2 * 1005.0 * 275.0 * 0.027), 1e-5);
    }
    lt_met_close(&m);
    /* a grid whose XLAT disagrees with its projection attributes */
    write_wrf(a, 0, 3, 0.2, NULL);
    lt_error_clear(&err);
    assert_int_not_equal(lt_met_open_ex(&m, list, LT_MET_WRF, NULL, &err), 0);
    assert_non_null(strstr(err.msg, "expected a consistent WRF grid"));
    /* UST missing */
    write_wrf(a, 0, 3, 0.0, "UST");
    lt_error_clear(&err);
    assert_int_not_equal(lt_met_open_ex(&m, list, LT_MET_WRF, NULL, &err), 0);
    assert_non_null(strstr(err.msg, "'UST' is missing"));
    /* files out of order */
    write_wrf(a, 0, 3, 0.0, NULL);
    snprintf(list, sizeof list, "%s,%s", b, a);
    lt_error_clear(&err);
    assert_int_not_equal(lt_met_open_ex(&m, list, LT_MET_WRF, NULL, &err), 0);
    assert_non_null(strstr(err.msg, "expected the files in time order"));
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* An ERA5-like CF file: latitude north-first, names t2m, blh, zust, packed
 * shorts, sshf accumulated in J m-2 (downward positive) and tp in m. */
static void era5_variable_map(void **state)
{
    (void)state;
    char path[] = "/tmp/lantian-era5-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int nc, dt, dy, dx;
    nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc);
    nc_def_dim(nc, "time", 2, &dt);
    nc_def_dim(nc, "latitude", 3, &dy);
    nc_def_dim(nc, "longitude", 3, &dx);
    int vt, vla, vlo;
    nc_def_var(nc, "time", NC_INT, 1, &dt, &vt);
    nc_put_att_text(nc, vt, "units", 30, "hours since 1900-01-01 00:00:00");
    nc_def_var(nc, "latitude", NC_DOUBLE, 1, &dy, &vla);
    nc_put_att_text(nc, vla, "units", 13, "degrees_north");
    nc_def_var(nc, "longitude", NC_DOUBLE, 1, &dx, &vlo);
    nc_put_att_text(nc, vlo, "units", 12, "degrees_east");
    const char *names[] = {"u10", "v10", "t2m", "blh", "zust", "sshf", "tp"};
    const char *units[] = {"m s**-1", "m s**-1", "K", "m", "m s**-1", "J m**-2", "m"};
    const double val[] = {2.0, -1.0, 270.0, 300.0, 0.25, -36000.0, 0.0005};
    int dims[3] = {dt, dy, dx}, ids[7];
    for (int i = 0; i < 7; i++) {
        nc_def_var(nc, names[i], NC_SHORT, 3, dims, &ids[i]);
        double sf = fabs(val[i]) / 10000.0, ao = 0.0;
        nc_put_att_double(nc, ids[i], "scale_factor", NC_DOUBLE, 1, &sf);
        nc_put_att_double(nc, ids[i], "add_offset", NC_DOUBLE, 1, &ao);
        nc_put_att_text(nc, ids[i], "units", strlen(units[i]), units[i]);
    }
    nc_enddef(nc);
    int tv[2] = {1026936, 1026937}; /* 2017-02-25 00 and 01 UTC */
    nc_put_var_int(nc, vt, tv);
    double la[3] = {35.5, 35.0, 34.5}, lo[3] = {108.0, 108.5, 109.0};
    nc_put_var_double(nc, vla, la);
    nc_put_var_double(nc, vlo, lo);
    short sv[18];
    for (int i = 0; i < 7; i++) {
        for (int q = 0; q < 18; q++)
            sv[q] = val[i] < 0 ? -10000 : 10000;
        nc_put_var_short(nc, ids[i], sv);
    }
    nc_close(nc);
    const char *map = "t2:t2m, pblh:blh, ust:zust, hfx:sshf:-2.7777777777778e-4, rain:tp:1000";
    lt_met *m;
    lt_error err;
    lt_error_clear(&err);
    int rc = lt_met_open_ex(&m, path, LT_MET_CF, map, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    double t0;
    lt_parse_iso8601("2017-02-25T00:00:00Z", &t0);
    assert_int_equal(lt_met_load(m, t0, &err), 0);
    lt_met_point p;
    lt_met_sample(m, 108.7, 34.9, &p);
    assert_rel(p.u10, 2.0, 1e-6);
    assert_rel(p.v10, -1.0, 1e-6);
    assert_rel(p.t2, 270.0, 1e-6);
    assert_rel(p.pblh, 300.0, 1e-6);
    assert_rel(p.hfx, 10.0, 1e-6);   /* 36 kJ m-2 into the ground over an hour: 10 W m-2 upward */
    assert_rel(p.rain, 0.5, 1e-6);   /* 0.5 mm in the hour */
    lt_met_close(&m);
    /* a map naming a variable the file lacks, and a bad item */
    lt_error_clear(&err);
    assert_int_not_equal(lt_met_open_ex(&m, path, LT_MET_CF, "t2:t2m, pblh:boundary", &err), 0);
    assert_non_null(strstr(err.msg, "'boundary' (mapped to pblh"));
    lt_error_clear(&err);
    assert_int_not_equal(lt_met_open_ex(&m, path, LT_MET_CF, "temperature:t2m", &err), 0);
    assert_non_null(strstr(err.msg, "not a lantian variable"));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wrfout_pair),
        cmocka_unit_test(era5_variable_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
