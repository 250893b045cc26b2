/* test_met.c — the weather readers besides wrfout (see io/met.h): CF files
 * with records hours apart (a field linear in time comes back exactly), a
 * scalar time, ERA5's own names and accumulations by default, the real ERA5
 * files of ../shared (copied into tests/data/met), an optional field that
 * cannot be used (a warning), the preprocessor's fields against its
 * functions; a station's CSV (values, time zones, gaps, bad directions); and
 * AERMET's .SFC/.PFL read into the same fields as the CF file with the same
 * numbers, a run on each giving the same output. */
#include "lt_test.h"

#include <netcdf.h>
#include <string.h>
#include <unistd.h>

#include "core/lt_time.h"
#include "fixture.h"
#include "io/met.h"
#include "physics/stability.h"
#include "physics/surface.h"

#define PI 3.14159265358979323846

static const char *bin_dir(void)
{
    const char *b = getenv("LT_BUILD");
    return b ? b : "build";
}

static lt_met *open_met(const char *path, int format, lt_met_options *o, lt_error *err)
{
    lt_met_options d;
    if (!o) {
        lt_met_options_default(&d);
        o = &d;
    }
    o->path = path;
    o->format = format;
    lt_met *m = NULL;
    lt_error_clear(err);
    if (lt_met_open_opts(&m, o, err))
        return NULL;
    return m;
}

static double iso(const char *s)
{
    double t;
    assert_int_equal(lt_parse_iso8601(s, &t), 0);
    return t;
}

/* A 2 x 2 lon/lat CF file of variables names[] (units[]), each value
 * f(var, record), records hours[] after 2017-01-01; scalar_time: one record
 * with a 0-D time. */
typedef double (*field_fn)(int var, int rec);

static void write_cf(const char *path, int nrec, const double *hours, int nvar, const char *const *names,
                     const char *const *units, field_fn f, int scalar_time)
{
    int nc, dt = -1, dy, dx, tv, la, lo;
    assert_int_equal(nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc), 0);
    if (!scalar_time)
        nc_def_dim(nc, "time", (size_t)nrec, &dt);
    nc_def_dim(nc, "lat", 2, &dy);
    nc_def_dim(nc, "lon", 2, &dx);
    nc_def_var(nc, "time", NC_DOUBLE, scalar_time ? 0 : 1, &dt, &tv);
    nc_put_att_text(nc, tv, "units", 31, "hours since 2017-01-01 00:00:00");
    nc_def_var(nc, "lat", NC_DOUBLE, 1, &dy, &la);
    nc_def_var(nc, "lon", NC_DOUBLE, 1, &dx, &lo);
    int ids[16], dims[3] = {dt, dy, dx};
    for (int v = 0; v < nvar; v++) {
        nc_def_var(nc, names[v], NC_FLOAT, scalar_time ? 2 : 3, scalar_time ? dims + 1 : dims, &ids[v]);
        nc_put_att_text(nc, ids[v], "units", strlen(units[v]), units[v]);
    }
    nc_enddef(nc);
    double lats[2] = {34.0, 35.0}, lons[2] = {108.0, 109.0};
    nc_put_var_double(nc, la, lats);
    nc_put_var_double(nc, lo, lons);
    for (int k = 0; k < nrec; k++) {
        size_t idx = (size_t)k;
        if (scalar_time)
            nc_put_var_double(nc, tv, &hours[k]);
        else
            nc_put_var1_double(nc, tv, &idx, &hours[k]);
        for (int v = 0; v < nvar; v++) {
            float x[4];
            for (int q = 0; q < 4; q++)
                x[q] = (float)f(v, k);
            size_t s3[3] = {idx, 0, 0}, c3[3] = {1, 2, 2};
            if (scalar_time)
                nc_put_var_float(nc, ids[v], x);
            else
                nc_put_vara_float(nc, ids[v], s3, c3, x);
        }
    }
    assert_int_equal(nc_close(nc), 0);
}

static const double rec3h[5] = {0, 3, 6, 9, 12};

/* u10, v10, t2 linear in time; cloud constant. */
static double linear_field(int v, int k)
{
    double h = rec3h[k];
    return v == 0 ? 1.0 + 0.25 * h : v == 1 ? -2.0 + 0.1 * h : v == 2 ? 268.0 + 0.5 * h : 0.4;
}

/* Records 3 h apart: the hours between them interpolated, exactly for a
 * field linear in time; the preprocessor fills u*, 1/L and the mixing height
 * from the wind, temperature and cloud, the same numbers its functions give. */
static void cf_interpolation_and_preprocessor(void **state)
{
    (void)state;
    char path[] = "/tmp/lantian-cf3h-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const char *names[] = {"u10", "v10", "t2", "cloud"}, *units[] = {"m s-1", "m s-1", "K", "1"};
    write_cf(path, 5, rec3h, 4, names, units, linear_field, 0);
    lt_error err;
    lt_met_options o;
    lt_met_options_default(&o);
    o.z0_m = 0.3;
    lt_met *m = open_met(path, LT_MET_CF, &o, &err);
    if (!m)
        print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_non_null(strstr(lt_met_description(m), "5 records 3 h apart (hours between records interpolated)"));
    assert_non_null(strstr(lt_met_description(m), "diagnosed by the preprocessor: pblh, ust, rmol, hfx"));
    assert_true(lt_met_diagnosed(m, "ust") && lt_met_has(m, "rmol") && !lt_met_diagnosed(m, "u10"));
    double t0 = iso("2017-01-01T00:00:00Z");
    assert_int_equal(lt_met_check_coverage(m, t0, 12, &err), 0);
    for (int h = 0; h < 12; h++) {
        double t = t0 + 3600.0 * h;
        assert_int_equal(lt_met_load(m, t, &err), 0);
        lt_met_point p;
        lt_met_sample(m, 108.0, 34.0, &p); /* a grid point: the preprocessor works point by point */
        assert_rel(p.u10, 1.0 + 0.25 * h, 1e-6);
        assert_rel(p.v10, -2.0 + 0.1 * h, 1e-6);
        assert_rel(p.t2, 268.0 + 0.5 * h, 1e-7);
        /* the same hour through the preprocessor's functions (physics/surface.h) at the point */
        double u = hypot(p.u10, p.v10), elev = lt_solar_altitude(108.0, 34.0, t + 1800.0);
        double rcp = lt_rho_cp(101325.0, p.t2), ust, L;
        double k = lt_sw_down(sin(elev * PI / 180.0), 0.4);
        double hflux = elev > 0 ? lt_heat_flux_bowen(lt_net_radiation(k, lt_albedo_at(0.2, elev), p.t2, 0.4), 1.0) : -1;
        if (hflux > 0 && lt_ustar_convective(u, 10.0, 0.3, p.t2, hflux, rcp, &ust, &L) > 0) {
            assert_true(p.rmol < 0.0);
            assert_rel(p.hfx, hflux, 1e-5);
        } else {
            double th, hs;
            lt_ustar_stable(u, 10.0, 0.3, p.t2, 0.4, rcp, &ust, &th, &L, &hs);
            assert_true(p.rmol > 0.0);
            assert_true(p.pblh >= 10.0 && p.pblh <= fmax(10.0, lt_zi_mechanical(ust)) * 1.0001);
        }
        assert_rel(p.ust, fmax(ust, 0.01), 1e-5);
        assert_rel(p.rmol, fmax(fmin(1.0 / L, 10.0), -10.0), 1e-5);
    }
    lt_met_close(&m);
    unlink(path);
}

static double era5_field(int v, int k)
{
    /* t2m, u10, v10, blh, zust, sshf (J m-2, downward), tp (m), tcc */
    const double base[] = {270.0, 2.0, -1.0, 300.0, 0.25, -36000.0, 0.0005, 0.3};
    return v == 5 ? base[5] * (k + 1) : v == 6 ? base[6] * (k + 1) : base[v];
}

/* ERA5's names found without a map: t2m, blh, zust; sshf and tp, amounts
 * over the hour before their record, become the rates of the hour that
 * record ends (the hour starting at the record before). */
static void era5_default_names(void **state)
{
    (void)state;
    char path[] = "/tmp/lantian-era5d-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const char *names[] = {"t2m", "u10", "v10", "blh", "zust", "sshf", "tp", "tcc"};
    const char *units[] = {"K", "m s**-1", "m s**-1", "m", "m s**-1", "J m**-2", "m", "(0 - 1)"};
    const double hours[3] = {0, 1, 2};
    write_cf(path, 3, hours, 8, names, units, era5_field, 0);
    lt_error err;
    lt_met *m = open_met(path, LT_MET_CF, NULL, &err);
    if (!m)
        print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_string_equal(lt_met_warnings(m), "");
    assert_false(lt_met_diagnosed(m, "pblh") || lt_met_diagnosed(m, "ust"));
    double t0 = iso("2017-01-01T00:00:00Z");
    for (int h = 0; h < 2; h++) {
        assert_int_equal(lt_met_load(m, t0 + 3600.0 * h, &err), 0);
        lt_met_point p;
        lt_met_sample(m, 108.5, 34.5, &p);
        assert_rel(p.t2, 270.0, 1e-7);
        assert_rel(p.pblh, 300.0, 1e-7);
        assert_rel(p.ust, 0.25, 1e-7);
        assert_rel(p.cloud, 0.3, 1e-7);
        assert_rel(p.hfx, 36000.0 * (h + 2) / 3600.0, 1e-6); /* record h+1's amount, upward */
        assert_rel(p.rain, 0.5 * (h + 2), 1e-6);             /* mm in that hour */
    }
    lt_met_close(&m);
    unlink(path);
}

static double scalar_field(int v, int k)
{
    (void)k;
    return v == 0 ? 3.0 : v == 1 ? 1.0 : v == 2 ? 280.0 : 0.5;
}

/* A one-time export: time a scalar variable; one record. Optional fields
 * that cannot be used (units that do not convert, an extra dimension of
 * length 2) are warnings and left out; the preprocessor then works from
 * what remains, or says what it lacks. */
static void era5_scalar_time_and_unusable_fields(void **state)
{
    (void)state;
    char path[] = "/tmp/lantian-era5s-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const char *names[] = {"u10", "v10", "t2m", "tcc"}, *units[] = {"m s**-1", "m s**-1", "K", "(0 - 1)"};
    double h = 5.0;
    write_cf(path, 1, &h, 4, names, units, scalar_field, 1);
    lt_error err;
    lt_met *m = open_met(path, LT_MET_CF, NULL, &err);
    if (!m)
        print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_int_equal(lt_met_ntimes(m), 1);
    assert_rel(lt_met_time(m, 0), iso("2017-01-01T05:00:00Z"), 1e-12);
    assert_non_null(strstr(lt_met_description(m), "one record"));
    assert_int_equal(lt_met_load(m, iso("2017-01-01T05:00:00Z"), &err), 0);
    lt_met_close(&m);
    /* tcc in metres: ignored with a warning, and then nothing to diagnose from */
    const char *bad_units[] = {"m s**-1", "m s**-1", "K", "m"};
    write_cf(path, 1, &h, 4, names, bad_units, scalar_field, 1);
    assert_null(open_met(path, LT_MET_CF, NULL, &err));
    assert_non_null(strstr(err.msg, "'ust' and 'pblh' and 'rmol' are missing and cannot be diagnosed"));
    /* the same with the boundary layer given: runs, with the warning */
    const char *n2[] = {"u10", "v10", "t2m", "tcc", "blh", "zust", "rmol"};
    const char *u2[] = {"m s**-1", "m s**-1", "K", "m", "m", "m s**-1", "m-1"};
    write_cf(path, 1, &h, 7, n2, u2, scalar_field, 1);
    assert_non_null(m = open_met(path, LT_MET_CF, NULL, &err));
    assert_non_null(strstr(lt_met_warnings(m), "variable 'tcc' (lantian's optional cloud) ignored: units = 'm'"));
    assert_false(lt_met_has(m, "cloud"));
    lt_met_close(&m);
    /* a required field that cannot be used is an error */
    const char *u3[] = {"m s**-1", "m s**-1", "kg", "1"};
    write_cf(path, 1, &h, 4, names, u3, scalar_field, 1);
    assert_null(open_met(path, LT_MET_CF, NULL, &err));
    assert_non_null(strstr(err.msg, "variable 't2m' (lantian's t2) cannot be used: units = 'kg'"));
    unlink(path);
}

/* The real ERA5 files: pvlib's (grib_to_netcdf, packed shorts, 'm s**-1',
 * one point, 8784 hours, radiation but no cloud or boundary layer) and a
 * new-CDS one (valid_time in int64 seconds, scalar number and expver, tcc in
 * '(0 - 1)', one record). Both open with the defaults; the preprocessor's
 * mixing height at noon in June in Copenhagen is a convective one, at
 * midnight a shallow stable one. */
static void era5_real_files(void **state)
{
    (void)state;
    lt_error err;
    lt_met *m = open_met("tests/data/met/pvlib_era5_testfile.nc", LT_MET_CF, NULL, &err);
    if (!m)
        print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_int_equal(lt_met_ntimes(m), 8784);
    assert_true(lt_met_has(m, "swdown") && lt_met_has(m, "psfc") && !lt_met_has(m, "cloud"));
    assert_non_null(strstr(lt_met_description(m), "one point at 12.4950 E, 55.6950 N, 8784 records 1 h apart"));
    assert_non_null(strstr(lt_met_warnings(m), "no cloud cover"));
    lt_met_point noon, night;
    assert_int_equal(lt_met_load(m, iso("2020-06-15T11:00:00Z"), &err), 0);
    lt_met_sample(m, 12.5, 55.7, &noon);
    assert_int_equal(lt_met_load(m, iso("2020-06-15T23:00:00Z"), &err), 0);
    lt_met_sample(m, 12.5, 55.7, &night);
    assert_true(noon.rmol < 0.0 && noon.hfx > 50.0 && noon.pblh > 500.0);
    assert_true(night.rmol > 0.0 && night.pblh < 600.0 && night.pblh < noon.pblh);
    lt_met_close(&m);
    assert_non_null(m = open_met("tests/data/met/neobyte_era5.nc", LT_MET_CF, NULL, &err));
    assert_int_equal(lt_met_ntimes(m), 1);
    assert_true(lt_met_has(m, "cloud"));
    assert_string_equal(lt_met_warnings(m), "");
    assert_int_equal(lt_met_load(m, iso("2024-01-01T12:00:00Z"), &err), 0);
    lt_met_close(&m);
}

/* A station's CSV: the wind from its speed and direction, temperatures in
 * C, cloud in tenths, local times with and without a zone; a missing value
 * interpolated (and said), one beyond the gap an error; a direction of 400,
 * a second temperature column, a time without a zone: one error each. */
static void station_csv(void **state)
{
    (void)state;
    char dir[] = "/tmp/lantian-station-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[256];
    snprintf(p, sizeof p, "%s/station.csv", dir);
    write_text(p, "time,wind_speed_ms,wind_dir_deg,temp_C,cloud_tenths,pressure_hPa,rh_pct,mixing_height_m\n"
                  "2017-01-01T08:00+08:00,3.0,270,-2.0,5,965,70,400\n"
                  "2017-01-01T09:00+08:00,,,0.0,5,965,70,420\n"
                  "2017-01-01T10:00+08:00,4.0,180,2.0,,965,70,440\n"
                  "2017-01-01T11:00+08:00,4.0,180,3.0,3,965,70,460\n");
    lt_error err;
    lt_met_options o;
    lt_met_options_default(&o);
    o.station_lon = 108.4;
    o.station_lat = 34.8;
    lt_met *m = open_met(p, LT_MET_STATION, &o, &err);
    if (!m)
        print_error("%s\n", err.msg);
    assert_non_null(m);
    assert_non_null(strstr(lt_met_warnings(m), "2 missing values interpolated in time"));
    assert_true(lt_met_diagnosed(m, "ust") && !lt_met_diagnosed(m, "pblh") && lt_met_has(m, "psfc"));
    double t0 = iso("2017-01-01T00:00:00Z");
    lt_met_point pt;
    assert_int_equal(lt_met_load(m, t0, &err), 0);
    lt_met_sample(m, 108.0, 35.0, &pt); /* one point covers every place */
    assert_rel(pt.u10, 3.0, 1e-6);      /* from the west */
    assert_true(fabs(pt.v10) < 1e-6);
    assert_rel(pt.t2, 271.15, 1e-7);
    assert_rel(pt.cloud, 0.5, 1e-6);
    assert_rel(pt.rh, 70.0, 1e-6);
    assert_rel(pt.pblh, 400.0, 1e-6);
    assert_int_equal(lt_met_load(m, t0 + 3600.0, &err), 0);
    lt_met_sample(m, 108.4, 34.8, &pt);
    assert_rel(pt.u10, 1.5, 1e-6); /* halfway between (3, 0) and (0, 4) */
    assert_rel(pt.v10, 2.0, 1e-6);
    assert_int_equal(lt_met_load(m, t0 + 7200.0, &err), 0);
    lt_met_sample(m, 108.4, 34.8, &pt);
    assert_rel(pt.cloud, 0.4, 1e-6);
    lt_met_close(&m);
    /* a gap beyond max_gap_hours */
    o.max_gap_h = 1;
    assert_null(open_met(p, LT_MET_STATION, &o, &err));
    assert_non_null(strstr(err.msg, "station.csv:3: the wind (wind_speed_ms, wind_dir_deg) is missing"));
    o.max_gap_h = 6;
    /* times without a zone: local at utc_offset_hours, or an error */
    write_text(p, "time,wind_speed_ms,wind_dir_deg,temp_K,cloud_fraction\n2017-01-01 08:00,2,90,270,0.5\n");
    assert_null(open_met(p, LT_MET_STATION, &o, &err));
    assert_non_null(strstr(err.msg, "station.csv:2: column 'time' = '2017-01-01 08:00': expected a time zone"));
    o.utc_offset_h = 8;
    assert_non_null(m = open_met(p, LT_MET_STATION, &o, &err));
    assert_rel(lt_met_time(m, 0), t0, 1e-12);
    lt_met_close(&m);
    /* a direction of 400 */
    write_text(p, "time,wind_speed_ms,wind_dir_deg,temp_K,cloud_fraction\n2017-01-01T00:00Z,2,90,270,0.5\n"
                  "2017-01-01T01:00Z,2,400,270,0.5\n");
    assert_null(open_met(p, LT_MET_STATION, &o, &err));
    assert_non_null(strstr(err.msg, "station.csv:3: column 'wind_dir_deg' = '400': expected a wind direction from 0 "
                                    "to 360 degrees"));
    /* two temperature columns; none; the place not given */
    write_text(p, "time,wind_speed_ms,wind_dir_deg,temp_K,temp_C,cloud_fraction\n2017-01-01T00:00Z,2,90,270,-3,0.5\n");
    assert_null(open_met(p, LT_MET_STATION, &o, &err));
    assert_non_null(strstr(err.msg, "columns 'temp_C' and 'temp_K' both give t2"));
    write_text(p, "time,wind_speed_ms,wind_dir_deg,cloud_fraction\n2017-01-01T00:00Z,2,90,0.5\n");
    assert_null(open_met(p, LT_MET_STATION, &o, &err));
    assert_non_null(strstr(err.msg, "no temperature column: expected temp_C or temp_K"));
    o.station_lon = NAN;
    assert_null(open_met(p, LT_MET_STATION, &o, &err));
    assert_non_null(strstr(err.msg, "expected [met] station_lon and station_lat"));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- AERMET ------------------------------------------------------------ */

#define NAH 48 /* hours of the synthetic AERMET file: 2017-01-01 01 to 2017-01-02 24 local (UTC+8) */

/* The synthetic AERMET hour k (local hour ending k+1 of 2017-01-01): a
 * night with L > 0 and no convective height, a day with L < 0. */
typedef struct ahour {
    double h, ust, wst, vptg, zic, zim, L, z0, bo, alb, ws, wd, zref, t, rh, pres, ccvr, pamt, sigma;
} ahour;

static ahour aermet_hour(int k)
{
    int hr = k % 24 + 1;
    int day = hr >= 9 && hr <= 17;
    ahour a;
    a.h = day ? 40.0 + 5.0 * (hr - 8) : -10.0 - 0.5 * k;
    a.ust = 0.15 + 0.01 * (k % 7);
    a.wst = day ? 0.8 : -9.0;
    a.vptg = day ? 0.005 : -9.0;
    a.zic = day ? 100.0 * (hr - 8) : -999.0;
    a.zim = 200.0 + 10.0 * (k % 5);
    a.L = day ? -30.0 - 2.0 * k : 15.0 + k;
    a.z0 = 0.3;
    a.bo = 1.0;
    a.alb = 0.2;
    a.ws = 1.5 + 0.1 * (k % 9);
    a.wd = fmod(30.0 * k + 5.0, 360.0);
    a.zref = 10.0;
    a.t = 268.0 + 0.2 * k;
    a.rh = 60.0 + (k % 10);
    a.pres = 965.0;
    a.ccvr = k % 11;
    a.pamt = k == 20 ? 1.2 : 0.0;
    a.sigma = 10.0 + (k % 6);
    return a;
}

static void write_aermet(const char *sfc, const char *pfl, int cut_line)
{
    FILE *f = fopen(sfc, "w"), *g = pfl ? fopen(pfl, "w") : NULL;
    assert_non_null(f);
    fprintf(f, "   34.800N  108.400E          UA_ID: 99999  SF_ID: 99999     OS_ID: 99999        VERSION: 24142\n");
    for (int k = 0; k < NAH; k++) {
        ahour a = aermet_hour(k);
        int dy = 1 + k / 24, hr = k % 24 + 1;
        char line[400];
        snprintf(line, sizeof line,
                 "2017  1 %2d %3d %2d %6.1f %6.3f %6.3f %6.3f %5.0f. %5.0f. %8.1f %7.4f %6.2f %6.2f %7.2f %6.1f "
                 "%6.1f %6.1f %6.1f %5d %6.2f %6.0f. %6.0f. %5.0f NAD-SFC NoSubs\n",
                 dy, dy, hr, a.h, a.ust, a.wst, a.vptg, a.zic, a.zim, a.L, a.z0, a.bo, a.alb, a.ws, a.wd, a.zref, a.t,
                 2.0, a.pamt > 0 ? 11 : 0, a.pamt, a.rh, a.pres, a.ccvr);
        if (k == cut_line) { /* cut after column 20 */
            char *q = line;
            for (int c = 0; c < 20; c++) {
                q += strspn(q, " ");
                q += strcspn(q, " ");
            }
            strcpy(q, "\n");
        }
        fputs(line, f);
        if (g) { /* two levels: sigma-theta at 10 m (and missing at 100 m) */
            fprintf(g, "17 01 %02d %02d   10.0 0 %6.1f %6.2f %6.1f %6.1f %7.2f\n", dy, hr, a.wd, a.ws, a.t - 273.15,
                    a.sigma, 99.0);
            fprintf(g, "17 01 %02d %02d  100.0 1 %6.1f %6.2f %6.1f %6.1f %7.2f\n", dy, hr, a.wd, a.ws, a.t - 273.15,
                    99.0, 99.0);
        }
    }
    fclose(f);
    if (g)
        fclose(g);
}

/* The CF file holding the same numbers on a 1 x 1 grid at the station. */
static void write_aermet_as_cf(const char *path)
{
    int nc, dt, dy, dx, tv, la, lo;
    assert_int_equal(nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc), 0);
    nc_def_dim(nc, "time", NAH, &dt);
    nc_def_dim(nc, "lat", 1, &dy);
    nc_def_dim(nc, "lon", 1, &dx);
    nc_def_var(nc, "time", NC_DOUBLE, 1, &dt, &tv);
    nc_put_att_text(nc, tv, "units", 31, "hours since 2017-01-01 00:00:00");
    nc_def_var(nc, "lat", NC_DOUBLE, 1, &dy, &la);
    nc_def_var(nc, "lon", NC_DOUBLE, 1, &dx, &lo);
    const char *names[] = {"u10", "v10", "t2", "pblh", "ust", "rmol", "hfx", "rain", "rh", "cloud", "psfc",
                           "sigma_theta"};
    int ids[12], dims[3] = {dt, dy, dx};
    for (int v = 0; v < 12; v++)
        nc_def_var(nc, names[v], NC_FLOAT, 3, dims, &ids[v]);
    nc_enddef(nc);
    double lat = 34.8, lon = 108.4;
    nc_put_var_double(nc, la, &lat);
    nc_put_var_double(nc, lo, &lon);
    for (int k = 0; k < NAH; k++) {
        ahour a = aermet_hour(k);
        size_t idx = (size_t)k, s3[3] = {idx, 0, 0}, c3[3] = {1, 1, 1};
        double t = k - 8.0; /* local hour ending k+1 at UTC+8: the UTC hour starting k - 8 */
        nc_put_var1_double(nc, tv, &idx, &t);
        /* the numbers as the text holds them: wind to 0.01 m/s, direction, L and H to 0.1 */
        char buf[32];
        snprintf(buf, sizeof buf, "%.2f", a.ws);
        double ws = atof(buf);
        snprintf(buf, sizeof buf, "%.1f", a.wd);
        double wd = atof(buf);
        snprintf(buf, sizeof buf, "%.1f", a.L);
        double L = atof(buf);
        snprintf(buf, sizeof buf, "%.1f", a.h);
        double h = atof(buf);
        double zi = a.L < 0 ? fmax(a.zic, a.zim) : a.zim;
        float v[12] = {(float)(-ws * sin(wd * PI / 180.0)), (float)(-ws * cos(wd * PI / 180.0)), (float)a.t, (float)zi,
                       (float)a.ust, (float)(1.0 / L), (float)h, (float)a.pamt, (float)a.rh,
                       (float)(a.ccvr / 10.0), (float)(a.pres * 100.0), (float)a.sigma};
        for (int q = 0; q < 12; q++)
            nc_put_vara_float(nc, ids[q], s3, c3, &v[q]);
    }
    assert_int_equal(nc_close(nc), 0);
}

/* AERMET's .SFC and .PFL read into the same fields as the CF file with the
 * same numbers; an hour's wind moved from its anemometer height by the
 * hour's profile; a line with a column missing is an error naming it. */
static void aermet_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/lantian-aermet-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sfc[256], pfl[256], cf[256];
    snprintf(sfc, sizeof sfc, "%s/test.sfc", dir);
    snprintf(pfl, sizeof pfl, "%s/test.pfl", dir);
    snprintf(cf, sizeof cf, "%s/same.nc", dir);
    write_aermet(sfc, pfl, -1);
    write_aermet_as_cf(cf);
    lt_error err;
    lt_met_options o;
    lt_met_options_default(&o);
    o.profile = pfl;
    o.utc_offset_h = 8;
    lt_met *a = open_met(sfc, LT_MET_AERMET, &o, &err);
    if (!a)
        print_error("%s\n", err.msg);
    assert_non_null(a);
    lt_met *c = open_met(cf, LT_MET_CF, NULL, &err);
    assert_non_null(c);
    assert_int_equal(lt_met_ntimes(a), NAH);
    assert_non_null(strstr(lt_met_description(a), "AERMET, one point at 108.4000 E, 34.8000 N, 48 records 1 h apart"));
    assert_string_equal(lt_met_warnings(a), "");
    for (size_t k = 0; k < NAH; k++) {
        assert_true(lt_met_time(a, k) == lt_met_time(c, k));
        assert_int_equal(lt_met_load(a, lt_met_time(a, k), &err), 0);
        assert_int_equal(lt_met_load(c, lt_met_time(c, k), &err), 0);
        lt_met_point pa, pc;
        lt_met_sample(a, 108.4, 34.8, &pa);
        lt_met_sample(c, 108.4, 34.8, &pc);
        assert_memory_equal(&pa, &pc, sizeof pa);
    }
    lt_met_close(&c);
    lt_met_close(&a);
    /* the default local time is the longitude's (UTC+7 at 108.4 E) */
    o.utc_offset_h = NAN;
    assert_non_null(a = open_met(sfc, LT_MET_AERMET, &o, &err));
    assert_rel(lt_met_time(a, 0), iso("2016-12-31T17:00:00Z"), 1e-12);
    lt_met_close(&a);
    /* a wind measured at 6.1 m, moved to 10 m by the hour's profile */
    FILE *f = fopen(sfc, "r+");
    char head[200], line[400];
    assert_non_null(fgets(head, sizeof head, f));
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    char *z = strstr(line, "  10.0 "); /* the wind height column */
    assert_non_null(z);
    memcpy(z, "   6.1 ", 7);
    write_text(sfc, head);
    f = fopen(sfc, "a");
    fputs(line, f);
    fclose(f);
    o.profile = NULL;
    assert_non_null(a = open_met(sfc, LT_MET_AERMET, &o, &err));
    assert_int_equal(lt_met_load(a, lt_met_time(a, 0), &err), 0);
    lt_met_point pa;
    lt_met_sample(a, 108.4, 34.8, &pa);
    ahour h0 = aermet_hour(0);
    assert_rel(hypot(pa.u10, pa.v10), h0.ws * lt_wind_ratio(10.0, 6.1, 0.3, 1.0 / h0.L), 1e-6);
    assert_true(lt_wind_ratio(10.0, 6.1, 0.3, 1.0 / h0.L) > 1.05);
    lt_met_close(&a);
    /* a line cut short */
    write_aermet(sfc, NULL, 5);
    assert_null(open_met(sfc, LT_MET_AERMET, &o, &err));
    assert_non_null(strstr(err.msg, "test.sfc:7: 20 columns: expected at least 25"));
    assert_non_null(strstr(err.msg, "column 21 (precipitation code) is missing"));
    /* a year past an int (the fuzzer's find: its conversion to int overflowed before the
     * fields were range-checked): one clear error line */
    write_text(sfc, head);
    f = fopen(sfc, "a");
    fprintf(f, "2147483648%s", line + strcspn(line, " \t") + strspn(line + strcspn(line, " \t"), "x"));
    fclose(f);
    assert_null(open_met(sfc, LT_MET_AERMET, &o, &err));
    assert_non_null(strstr(err.msg, "test.sfc:2: the date 2.14748e+09"));
    assert_non_null(strstr(err.msg, "expected a date and an hour 1-24"));
    /* not an AERMET file */
    write_text(sfc, "year,month\n1,2\n");
    assert_null(open_met(sfc, LT_MET_AERMET, &o, &err));
    assert_non_null(strstr(err.msg, "test.sfc:1: the header"));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* The fixture case run on the AERMET files and on the CF file with the same
 * numbers: the same concentrations, bit for bit. */
static void aermet_run_equals_cf_run(void **state)
{
    (void)state;
    char *dir = make_case();
    assert_non_null(dir);
    char sfc[512], pfl[512], cf[512], cmd[2048];
    snprintf(sfc, sizeof sfc, "%s/test.sfc", dir);
    snprintf(pfl, sizeof pfl, "%s/test.pfl", dir);
    snprintf(cf, sizeof cf, "%s/same.nc", dir);
    write_aermet(sfc, pfl, -1);
    write_aermet_as_cf(cf);
    snprintf(cmd, sizeof cmd,
             "%s/lantian run %s/case.ini --set met.file=%s --set met.format=aermet --set met.profile=%s "
             "--set met.utc_offset_hours=8 --set run.hours=24 --set output.file=%s/a.nc >/dev/null && "
             "%s/lantian run %s/case.ini --set met.file=%s --set run.hours=24 --set output.file=%s/c.nc >/dev/null && "
             "/usr/bin/python3 tests/ncsame.py %s/a.nc %s/c.nc",
             bin_dir(), dir, sfc, pfl, dir, bin_dir(), dir, cf, dir, dir, dir);
    assert_int_equal(system(cmd), 0);
    remove_case(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cf_interpolation_and_preprocessor),
        cmocka_unit_test(era5_default_names),
        cmocka_unit_test(era5_scalar_time_and_unusable_fields),
        cmocka_unit_test(era5_real_files),
        cmocka_unit_test(station_csv),
        cmocka_unit_test(aermet_files),
        cmocka_unit_test(aermet_run_equals_cf_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
