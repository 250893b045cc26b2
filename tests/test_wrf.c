/* test_wrf.c — reading WRF wrfout files directly: synthetic Lambert
 * conformal wrfout files with grid-relative winds in every layout of their
 * coordinates and rotation (2-D, 3-D, mixed, absent), cut out of a larger
 * domain, written every hour or every 3 hours, with a gap; the real cropped
 * wrfout files of ../shared (copied small into tests/data/met); and the
 * ERA5-style variable map of CF files (names, factors, packed shorts). */
#include "lt_test.h"

#include <netcdf.h>
#include <proj.h>
#include <string.h>
#include <unistd.h>

#include "core/lt_time.h"
#include "io/config.h"
#include "io/met.h"

#define NXW 12 /* the file's grid */
#define NYW 10
#define PNX 30 /* the parent domain it may be cut from */
#define PNY 24
#define DXW 9000.0
#define CLON 108.4
#define CLAT 34.8
#define PI 3.14159265358979323846

/* How a synthetic wrfout file is laid out. */
typedef struct wrf_spec {
    int h0, nh, step_h;   /* records at hours h0, h0 + step_h, ... of 2017-01-01 */
    double stretch;       /* XLAT/XLONG spaced that much wider than DX (1: consistent) */
    const char *skip;     /* a variable not to write */
    int coords_2d, rot_2d; /* XLAT/XLONG, COSALPHA/SINALPHA without the Time dimension */
    int no_rot;           /* no COSALPHA/SINALPHA */
    int i0, j0;           /* the file's first point in the parent domain */
} wrf_spec;

static wrf_spec spec_default(int h0, int nh)
{
    wrf_spec s = {h0, nh, 1, 1.0, NULL, 0, 0, 0, (PNX - NXW) / 2, (PNY - NYW) / 2};
    return s;
}

/* The Lambert cone constant of true latitudes 30 and 60 (Snyder 1987 eq. 15-3). */
static double cone(void)
{
    double p1 = 30 * PI / 180, p2 = 60 * PI / 180;
    return log(cos(p1) / cos(p2)) / log(tan(PI / 4 + p2 / 2) / tan(PI / 4 + p1 / 2));
}

/* Accumulated rain at hour h, mm: 0.1 h^2 (RAINNC) + 0.05 h (RAINC). */
static double rain_acc(double h) { return 0.1 * h * h + 0.05 * h; }

/* The 2 m temperature at a place and hour: linear in each. */
static double t2_at(double lon, double lat, double h) { return 270.0 + 2.0 * (lon - CLON) + 3.0 * (lat - CLAT) + 0.5 * h; }

static void put_field(int nc, int id, int k, int timeless, const float *f)
{
    size_t s3[3] = {(size_t)k, 0, 0}, c3[3] = {1, NYW, NXW};
    if (timeless && k == 0)
        nc_put_var_float(nc, id, f);
    else if (!timeless)
        nc_put_vara_float(nc, id, s3, c3, f);
}

/* Writes a wrfout file of spec s: the earth wind (3, 1) m/s on the grid's
 * axes, turned by the map's true rotation at each point. */
static void write_wrf_spec(const char *path, const wrf_spec *s)
{
    int nc, dt, ds, dy, dx;
    nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc);
    nc_def_dim(nc, "Time", NC_UNLIMITED, &dt);
    nc_def_dim(nc, "DateStrLen", 19, &ds);
    nc_def_dim(nc, "south_north", NYW, &dy);
    nc_def_dim(nc, "west_east", NXW, &dx);
    int one = 1;
    double clat = CLAT, clon = CLON, t1 = 30.0, t2 = 60.0, d = DXW;
    nc_put_att_int(nc, NC_GLOBAL, "MAP_PROJ", NC_INT, 1, &one);
    nc_put_att_double(nc, NC_GLOBAL, "CEN_LAT", NC_DOUBLE, 1, &clat); /* the parent domain's centre */
    nc_put_att_double(nc, NC_GLOBAL, "CEN_LON", NC_DOUBLE, 1, &clon);
    nc_put_att_double(nc, NC_GLOBAL, "TRUELAT1", NC_DOUBLE, 1, &t1);
    nc_put_att_double(nc, NC_GLOBAL, "TRUELAT2", NC_DOUBLE, 1, &t2);
    nc_put_att_double(nc, NC_GLOBAL, "STAND_LON", NC_DOUBLE, 1, &clon);
    nc_put_att_double(nc, NC_GLOBAL, "DX", NC_DOUBLE, 1, &d);
    nc_put_att_double(nc, NC_GLOBAL, "DY", NC_DOUBLE, 1, &d);
    int vt, dims2[2] = {dt, ds}, dims[3] = {dt, dy, dx};
    nc_def_var(nc, "Times", NC_CHAR, 2, dims2, &vt);
    enum { XLAT, XLONG, U10, V10, T2, PBLH, UST, HFX, RAINC, RAINNC, Q2, PSFC, COSA, SINA, NW };
    const char *names[NW] = {"XLAT", "XLONG", "U10", "V10", "T2", "PBLH", "UST", "HFX", "RAINC", "RAINNC",
                             "Q2", "PSFC", "COSALPHA", "SINALPHA"};
    int ids[NW], timeless[NW] = {0};
    timeless[XLAT] = timeless[XLONG] = s->coords_2d;
    timeless[COSA] = timeless[SINA] = s->rot_2d;
    for (int i = 0; i < NW; i++) {
        ids[i] = -1;
        if ((s->skip && !strcmp(s->skip, names[i])) || (s->no_rot && (i == COSA || i == SINA)))
            continue;
        nc_def_var(nc, names[i], NC_FLOAT, timeless[i] ? 2 : 3, timeless[i] ? dims + 1 : dims, &ids[i]);
    }
    nc_enddef(nc);
    /* the points of the parent domain, centred on CEN_LAT/CEN_LON, on WRF's sphere */
    PJ_CONTEXT *ctx = proj_context_create();
    PJ *p = proj_create_crs_to_crs(ctx, "+proj=longlat +R=6370000 +type=crs",
                                   "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=34.8 +lon_0=108.4 +R=6370000 +units=m +type=crs",
                                   NULL);
    PJ *pn = proj_normalize_for_visualization(ctx, p);
    PJ_COORD c0 = proj_trans(pn, PJ_FWD, proj_coord(CLON, CLAT, 0, 0));
    float lat[NYW * NXW], lon[NYW * NXW], f[NW][NYW * NXW];
    for (int j = 0; j < NYW; j++)
        for (int i = 0; i < NXW; i++) {
            double x = c0.xy.x + (s->i0 + i - 0.5 * (PNX - 1)) * DXW * s->stretch;
            double y = c0.xy.y + (s->j0 + j - 0.5 * (PNY - 1)) * DXW * s->stretch;
            PJ_COORD g = proj_trans(pn, PJ_INV, proj_coord(x, y, 0, 0));
            lon[j * NXW + i] = (float)g.lp.lam;
            lat[j * NXW + i] = (float)g.lp.phi;
        }
    proj_destroy(pn);
    proj_destroy(p);
    proj_context_destroy(ctx);
    for (int k = 0; k < s->nh; k++) {
        int h = s->h0 + k * s->step_h;
        char ts[32];
        snprintf(ts, sizeof ts, "2017-01-%02d_%02d:00:00", 1 + h / 24, h % 24);
        size_t s2[2] = {(size_t)k, 0}, c2[2] = {1, 19};
        nc_put_vara_text(nc, vt, s2, c2, ts);
        for (int q = 0; q < NYW * NXW; q++) {
            /* WRF's rotation: SINALPHA = -sin(cone (lon - STAND_LON)), U = U_e cos + V_e sin, V = V_e cos - U_e sin */
            double a = -cone() * (lon[q] - CLON) * PI / 180, ca = cos(a), sa = sin(a), ue = 3.0, ve = 1.0;
            double val[NW] = {lat[q], lon[q], ue * ca + ve * sa, ve * ca - ue * sa, t2_at(lon[q], lat[q], h),
                              400.0, 0.3, 20.0, 0.05 * h, 0.1 * h * h, 0.003, 95000.0, ca, sa};
            for (int i = 0; i < NW; i++)
                f[i][q] = (float)val[i];
        }
        for (int i = 0; i < NW; i++)
            if (ids[i] >= 0)
                put_field(nc, ids[i], k, timeless[i], f[i]);
    }
    nc_close(nc);
}

static void write_wrf(const char *path, int h0, int nh, double stretch, const char *skip)
{
    wrf_spec s = spec_default(h0, nh);
    s.stretch = stretch;
    s.skip = skip;
    write_wrf_spec(path, &s);
}

static lt_met *open_wrf(const char *list, int max_gap_h, lt_error *err)
{
    lt_met_options o;
    lt_met_options_default(&o);
    o.path = list;
    o.format = LT_MET_WRF;
    o.max_gap_h = max_gap_h;
    lt_met *m = NULL;
    lt_error_clear(err);
    if (lt_met_open_opts(&m, &o, err))
        return NULL;
    return m;
}

static double t0_2017(void)
{
    double t0;
    lt_parse_iso8601("2017-01-01T00:00:00Z", &t0);
    return t0;
}

static void wrfout_pair(void **state)
{
    (void)state;
    char dir[] = "/tmp/lantian-wrf-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[128], b[128], list[300];
    snprintf(a, sizeof a, "%s/wrfout_d01_2017-01-01_00:00:00", dir);
    snprintf(b, sizeof b, "%s/wrfout_d01_2017-01-01_03:00:00", dir);
    write_wrf(a, 0, 3, 1.0, NULL);
    write_wrf(b, 3, 3, 1.0, NULL);
    snprintf(list, sizeof list, "%s, %s", a, b);
    lt_error err;
    lt_met *m = open_wrf(list, 6, &err);
    if (!m)
        print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_int_equal(lt_met_ntimes(m), 6);
    double t0 = t0_2017();
    assert_int_equal(lt_met_check_coverage(m, t0, 6, &err), 0);
    assert_true(lt_met_has(m, "hfx") && lt_met_has(m, "rain") && lt_met_has(m, "rh") && !lt_met_has(m, "rmol"));
    /* saturation over water (Bolton 1980) and e from Q2, PSFC */
    for (int h = 0; h < 6; h++) {
        assert_int_equal(lt_met_load(m, t0 + 3600.0 * h, &err), 0);
        lt_met_point p;
        lt_met_sample(m, 108.43, 34.83, &p);
        assert_rel(p.u10, 3.0, 1e-5); /* rotated back to earth axes */
        assert_rel(p.v10, 1.0, 1e-5);
        assert_rel(p.t2, t2_at(108.43, 34.83, h), 1e-5);
        double tc = p.t2 - 273.15, es = 611.2 * exp(17.67 * tc / (tc + 243.5));
        double e = 0.003 * 95000.0 / (0.622 + 0.003);
        assert_rel(p.rh, fmin(100.0, 100.0 * e / es), 1e-4);
        /* the accumulations differenced over the hour that starts at h, across the two files (the
         * last hour has no later record: the interval before it) */
        int hn = h < 5 ? h + 1 : 5;
        assert_rel(p.rain, rain_acc(hn) - rain_acc(hn - 1), 1e-5);
        /* 1/L from HFX: -kappa g H / (rho cp T u*^3) */
        assert_rel(p.rmol, -0.4 * 9.81 * 20.0 / (1.2 * 1005.0 * p.t2 * 0.027), 1e-5);
    }
    lt_met_close(&m);
    /* a grid whose XLAT/XLONG disagree with DX (spaced 10 % wider) */
    write_wrf(a, 0, 3, 1.1, NULL);
    assert_null(open_wrf(list, 6, &err));
    assert_non_null(strstr(err.msg, "expected a consistent WRF grid"));
    /* UST missing: diagnosed */
    write_wrf(a, 0, 3, 1.0, "UST");
    write_wrf(b, 3, 3, 1.0, "UST");
    assert_non_null(m = open_wrf(list, 6, &err));
    assert_true(lt_met_diagnosed(m, "ust") && !lt_met_diagnosed(m, "pblh"));
    assert_non_null(strstr(lt_met_description(m), "diagnosed by the preprocessor: ust"));
    lt_met_close(&m);
    /* T2 missing */
    write_wrf(a, 0, 3, 1.0, "T2");
    assert_null(open_wrf(list, 6, &err));
    assert_non_null(strstr(err.msg, "'T2' is missing"));
    write_wrf(b, 3, 3, 1.0, NULL);
    /* files out of order */
    write_wrf(a, 0, 3, 1.0, NULL);
    snprintf(list, sizeof list, "%s,%s", b, a);
    assert_null(open_wrf(list, 6, &err));
    assert_non_null(strstr(err.msg, "expected the files in time order"));
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* Every layout of the coordinates and the rotation: 3-D, 2-D, mixed either
 * way, and no COSALPHA/SINALPHA (the rotation computed from the projection)
 * give the same earth winds and temperatures. */
static void wrf_layouts(void **state)
{
    (void)state;
    char path[] = "/tmp/lantian-wrflayout-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const int layout[5][3] = {{0, 0, 0}, {1, 1, 0}, {0, 1, 0}, {1, 0, 0}, {1, 0, 1}}; /* coords_2d, rot_2d, no_rot */
    const char *want[5] = {"XLAT/XLONG 3-D, COSALPHA/SINALPHA 3-D", "XLAT/XLONG 2-D, COSALPHA/SINALPHA 2-D",
                           "XLAT/XLONG 3-D, COSALPHA/SINALPHA 2-D", "XLAT/XLONG 2-D, COSALPHA/SINALPHA 3-D",
                           "map rotation computed from the projection"};
    double t0 = t0_2017();
    for (int c = 0; c < 5; c++) {
        wrf_spec s = spec_default(0, 3);
        s.coords_2d = layout[c][0];
        s.rot_2d = layout[c][1];
        s.no_rot = layout[c][2];
        write_wrf_spec(path, &s);
        lt_error err;
        lt_met *m = open_wrf(path, 6, &err);
        if (!m)
            print_error("layout %d: %s\n", c, err.msg);
        assert_non_null(m);
        if (!strstr(lt_met_description(m), want[c]))
            print_error("layout %d: %s\n", c, lt_met_description(m));
        assert_non_null(strstr(lt_met_description(m), want[c]));
        for (int h = 0; h < 3; h++) {
            assert_int_equal(lt_met_load(m, t0 + 3600.0 * h, &err), 0);
            const double at[3][2] = {{108.43, 34.83}, {108.0, 34.5}, {108.8, 35.1}};
            for (int q = 0; q < 3; q++) {
                lt_met_point p;
                lt_met_sample(m, at[q][0], at[q][1], &p);
                assert_rel(p.u10, 3.0, 1e-4);
                assert_rel(p.v10, 1.0, 3e-4);
                assert_rel(p.t2, t2_at(at[q][0], at[q][1], h), 1e-5);
            }
        }
        lt_met_close(&m);
    }
    unlink(path);
}

/* Files cut out of a larger domain (CEN_LAT/CEN_LON the parent's) place
 * their points by their own XLAT/XLONG: a field linear in lon/lat comes
 * back at a place inside each cut-out, and the cut-out covers it. */
static void wrf_subset(void **state)
{
    (void)state;
    char path[] = "/tmp/lantian-wrfsub-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const int corner[3][2] = {{0, 0}, {PNX - NXW, PNY - NYW}, {PNX - NXW, 0}};
    for (int c = 0; c < 3; c++) {
        wrf_spec s = spec_default(0, 2);
        s.i0 = corner[c][0];
        s.j0 = corner[c][1];
        s.coords_2d = c == 2;
        write_wrf_spec(path, &s);
        lt_error err;
        lt_met *m = open_wrf(path, 6, &err);
        if (!m)
            print_error("cut-out %d: %s\n", c, err.msg);
        assert_non_null(m);
        /* the cut-out's middle, from the same projection */
        PJ_CONTEXT *ctx = proj_context_create();
        PJ *p = proj_create_crs_to_crs(
            ctx, "+proj=longlat +R=6370000 +type=crs",
            "+proj=lcc +lat_1=30 +lat_2=60 +lat_0=34.8 +lon_0=108.4 +R=6370000 +units=m +type=crs", NULL);
        PJ *pn = proj_normalize_for_visualization(ctx, p);
        PJ_COORD c0 = proj_trans(pn, PJ_FWD, proj_coord(CLON, CLAT, 0, 0));
        double x = c0.xy.x + (s.i0 + 0.37 * NXW - 0.5 * (PNX - 1)) * DXW;
        double y = c0.xy.y + (s.j0 + 0.61 * NYW - 0.5 * (PNY - 1)) * DXW;
        PJ_COORD g = proj_trans(pn, PJ_INV, proj_coord(x, y, 0, 0));
        proj_destroy(pn);
        proj_destroy(p);
        proj_context_destroy(ctx);
        const char *units;
        assert_true(lt_met_outside(m, g.lp.lam, g.lp.phi, &units) == 0.0);
        assert_true(lt_met_outside(m, CLON + (c == 0 ? 1.5 : -1.5), CLAT + (c == 1 ? -1.0 : 1.0), &units) > 0.0);
        assert_int_equal(lt_met_load(m, t0_2017() + 3600.0, &err), 0);
        lt_met_point pt;
        lt_met_sample(m, g.lp.lam, g.lp.phi, &pt);
        assert_rel(pt.t2, t2_at(g.lp.lam, g.lp.phi, 1), 2e-6);
        assert_rel(pt.u10, 3.0, 1e-4);
        lt_met_close(&m);
    }
    unlink(path);
}

/* History every 3 hours: a state field linear in time comes back exactly in
 * the hours between records; the rain of the accumulations is conserved
 * (the hours' rates sum to the accumulation over the period); a gap longer
 * than [met] max_gap_hours is an error naming it. */
static void wrf_history_interval(void **state)
{
    (void)state;
    char path[] = "/tmp/lantian-wrf3h-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    wrf_spec s = spec_default(0, 5);
    s.step_h = 3; /* records at 0, 3, 6, 9, 12 h */
    write_wrf_spec(path, &s);
    lt_error err;
    lt_met *m = open_wrf(path, 6, &err);
    assert_non_null(m);
    assert_non_null(strstr(lt_met_description(m), "5 records 3 h apart (hours between records interpolated)"));
    double t0 = t0_2017(), total = 0.0;
    assert_int_equal(lt_met_check_coverage(m, t0, 12, &err), 0);
    for (int h = 0; h < 12; h++) {
        assert_int_equal(lt_met_load(m, t0 + 3600.0 * h, &err), 0);
        lt_met_point p;
        lt_met_sample(m, 108.43, 34.83, &p);
        assert_rel(p.t2, t2_at(108.43, 34.83, h), 1e-6);
        int k = h / 3; /* the interval (3k, 3k + 3] holds the hour */
        assert_rel(p.rain, (rain_acc(3 * k + 3) - rain_acc(3 * k)) / 3.0, 1e-5);
        total += p.rain;
    }
    assert_rel(total, rain_acc(12) - rain_acc(0), 1e-5);
    lt_met_close(&m);
    /* records 3 h apart with max_gap_hours = 2 */
    assert_non_null(m = open_wrf(path, 2, &err));
    assert_int_not_equal(lt_met_check_coverage(m, t0, 12, &err), 0);
    assert_non_null(strstr(err.msg, "no record for 2017-01-01T01:00:00Z"));
    assert_non_null(strstr(err.msg, "3 h apart, more than [met] max_gap_hours = 2"));
    lt_met_close(&m);
    unlink(path);
}

/* The real cropped wrfout of ../shared (a 30 km Lambert run, 3-hourly, 2-D
 * XLAT, XLONG, COSALPHA, SINALPHA): read as it is; the rotation computed
 * from the projection agrees with the file's COSALPHA/SINALPHA; the real
 * file without winds is one error naming U10. */
static void wrf_real_files(void **state)
{
    (void)state;
    const char *real = "tests/data/met/salem_wrf_d01_allvars_subset.nc";
    lt_error err;
    lt_met *m = open_wrf(real, 6, &err);
    if (!m)
        print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_int_equal(lt_met_ntimes(m), 4);
    assert_non_null(strstr(lt_met_description(m), "10 x 8 points, XLAT/XLONG 2-D, COSALPHA/SINALPHA 2-D"));
    assert_non_null(strstr(lt_met_description(m), "4 records 3 h apart"));
    /* the same file without the rotation fields (made by tests/data/met/make_subsets.py) */
    const char *copy = "tests/data/met/salem_wrf_d01_norot_subset.nc";
    lt_met *mc = open_wrf(copy, 6, &err);
    if (!mc)
        print_error("%s\n", err.msg);
    assert_non_null(mc);
    assert_non_null(strstr(lt_met_description(mc), "map rotation computed from the projection"));
    double t;
    lt_parse_iso8601("2005-09-21T03:00:00Z", &t);
    assert_int_equal(lt_met_load(m, t, &err), 0);
    assert_int_equal(lt_met_load(mc, t, &err), 0);
    for (int q = 0; q < 4; q++) {
        double lon = 86.0 + 0.7 * q, lat = 29.4 + 0.4 * q;
        lt_met_point a, b;
        lt_met_sample(m, lon, lat, &a);
        lt_met_sample(mc, lon, lat, &b);
        double speed = hypot(a.u10, a.v10);
        assert_true(fabs(a.u10 - b.u10) <= 2e-3 * speed && fabs(a.v10 - b.v10) <= 2e-3 * speed);
        assert_true(a.t2 > 260.0 && a.t2 < 300.0 && a.pblh > 10.0 && a.ust > 0.0);
    }
    lt_met_close(&mc);
    lt_met_close(&m);
    assert_null(open_wrf("tests/data/met/salem_wrf_cropped_subset.nc", 6, &err));
    assert_non_null(strstr(err.msg, "salem_wrf_cropped_subset.nc: variable 'U10' is missing"));
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

/* One value of variable name of the real file at the given index. */
static double nc_at(int nc, const char *name, const size_t *idx)
{
    int v;
    float x;
    assert_int_equal(nc_inq_varid(nc, name, &v), NC_NOERR);
    assert_int_equal(nc_get_var1_float(nc, v, idx, &x), NC_NOERR);
    return x;
}

/* The real wrfout with U, V, PH, PHB, HGT (tests/data/met/make_subsets.py):
 * the winds aloft at a grid point, sampled at its own XLONG/XLAT, against
 * the file's values worked out here by hand: U and V averaged over the two
 * faces, turned by COSALPHA/SINALPHA, at the mass level's height (the mean
 * of its two faces' (PH + PHB) / 9.81 less HGT), linear between levels and
 * from the 10 m wind below the lowest. The file without them has none. */
static void wrf_winds_aloft(void **state)
{
    (void)state;
    const char *path = "tests/data/met/salem_wrf_d01_aloft_subset.nc";
    lt_error err;
    lt_met *m = open_wrf(path, 6, &err);
    if (!m)
        print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_non_null(strstr(lt_met_optional_found(m), "winds aloft (10 heights, 25-4000 m)"));
    double t;
    lt_parse_iso8601("2005-09-21T03:00:00Z", &t);
    assert_int_equal(lt_met_load(m, t, &err), 0);
    int nc;
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc), NC_NOERR);
    const size_t rec = 1, pts[3][2] = {{3, 4}, {1, 7}, {6, 2}}; /* (j, i) */
    for (int q = 0; q < 3; q++) {
        size_t j = pts[q][0], i = pts[q][1], p2[2] = {j, i}, p3[3] = {rec, j, i};
        double lon = nc_at(nc, "XLONG", p2), lat = nc_at(nc, "XLAT", p2);
        double ca = nc_at(nc, "COSALPHA", p2), sa = nc_at(nc, "SINALPHA", p2), hgt = nc_at(nc, "HGT", p2);
        double zk[27], ue[27], ve[27];
        for (size_t k = 0; k < 27; k++) {
            size_t a[4] = {rec, k, j, i}, b[4] = {rec, k + 1, j, i}, u1[4] = {rec, k, j, i + 1}, v1[4] = {rec, k, j + 1, i};
            zk[k] = 0.5 * (nc_at(nc, "PH", a) + nc_at(nc, "PHB", a) + nc_at(nc, "PH", b) + nc_at(nc, "PHB", b)) / 9.81 - hgt;
            double ug = 0.5 * (nc_at(nc, "U", a) + nc_at(nc, "U", u1)), vg = 0.5 * (nc_at(nc, "V", a) + nc_at(nc, "V", v1));
            ue[k] = ug * ca - vg * sa;
            ve[k] = vg * ca + ug * sa;
        }
        double u10 = nc_at(nc, "U10", p3) * ca - nc_at(nc, "V10", p3) * sa;
        lt_met_point mp;
        lt_met_sample(m, lon, lat, &mp);
        assert_int_equal(mp.aloft, 1);
        assert_rel(mp.u10, u10, 1e-4);
        assert_true(zk[0] > 10.0 && zk[0] < lt_met_z[1]); /* the first mass level: between 10 and 50 m */
        for (int l = 0; l < LT_MET_NZ; l++) {
            double z = lt_met_z[l], wu, wv;
            int k = 0;
            while (k < 27 && zk[k] < z)
                k++;
            if (k == 0) {
                double w = (z - 10.0) / (zk[0] - 10.0), v10 = nc_at(nc, "V10", p3) * ca + nc_at(nc, "U10", p3) * sa;
                wu = u10 + w * (ue[0] - u10);
                wv = v10 + w * (ve[0] - v10);
            } else {
                double w = (z - zk[k - 1]) / (zk[k] - zk[k - 1]);
                wu = ue[k - 1] + w * (ue[k] - ue[k - 1]);
                wv = ve[k - 1] + w * (ve[k] - ve[k - 1]);
            }
            double sp = hypot(wu, wv) + 0.1;
            if (fabs(mp.uz[l] - wu) > 1e-3 * sp || fabs(mp.vz[l] - wv) > 1e-3 * sp)
                print_error("point %d, %g m: lantian %g %g, by hand %g %g\n", q, z, mp.uz[l], mp.vz[l], wu, wv);
            assert_true(fabs(mp.uz[l] - wu) <= 1e-3 * sp && fabs(mp.vz[l] - wv) <= 1e-3 * sp);
        }
        /* between the levels and below the first: lt_met_wind_at */
        double u, v;
        assert_int_equal(lt_met_wind_at(&mp, 10.0, 75.0, &u, &v), 1);
        assert_rel(u, 0.5 * (mp.uz[1] + mp.uz[2]), 1e-12);
        assert_int_equal(lt_met_wind_at(&mp, 10.0, 5.0, &u, &v), 1);
        assert_rel(v, mp.v10, 0.0);
        assert_int_equal(lt_met_wind_at(&mp, 10.0, 17.5, &u, &v), 1);
        assert_rel(u, 0.5 * (mp.u10 + mp.uz[0]), 1e-12);
        assert_int_equal(lt_met_wind_at(&mp, 10.0, 9000.0, &u, &v), 1);
        assert_rel(u, mp.uz[LT_MET_NZ - 1], 0.0);
    }
    nc_close(nc);
    lt_met_close(&m);
    /* the same file without U, V, PH, PHB, HGT */
    m = open_wrf("tests/data/met/salem_wrf_d01_allvars_subset.nc", 6, &err);
    assert_non_null(m);
    assert_int_equal(lt_met_load(m, t, &err), 0);
    lt_met_point mp;
    lt_met_sample(m, 87.0, 30.0, &mp);
    assert_int_equal(mp.aloft, 0);
    double u, v;
    assert_int_equal(lt_met_wind_at(&mp, 10.0, 100.0, &u, &v), 0);
    lt_met_close(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wrfout_pair),          cmocka_unit_test(wrf_layouts),
        cmocka_unit_test(wrf_subset),           cmocka_unit_test(wrf_history_interval),
        cmocka_unit_test(wrf_real_files),
        cmocka_unit_test(wrf_winds_aloft),
        cmocka_unit_test(era5_variable_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
