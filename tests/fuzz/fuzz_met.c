/* fuzz_met.c — the meteorology readers (io/met.c) on files made from the
 * input: the bytes choose the grid's size, the coordinates, the time axis
 * and its units, which variables exist with which units, fill values and
 * packing, and their values (a file of raw bytes would fuzz the netCDF
 * library, not lantian's reader). The first byte's low bit chooses a CF file
 * or a wrfout file; every record found is then loaded and sampled. */
#include <math.h>
#include <netcdf.h>

#include "core/lt_time.h"
#include "fuzz_util.h"
#include "io/met.h"

typedef struct src {
    const uint8_t *d;
    size_t n, at;
} src;

static unsigned byte(src *s) { return s->at < s->n ? s->d[s->at++] : 0; }

static double number(src *s)
{
    /* mostly plausible values, sometimes anything a float can hold */
    unsigned k = byte(s);
    if (k < 200)
        return (double)(k + 256 * byte(s)) / 64.0 - 200.0;
    float f;
    uint8_t b[4] = {(uint8_t)byte(s), (uint8_t)byte(s), (uint8_t)byte(s), (uint8_t)byte(s)};
    memcpy(&f, b, sizeof f);
    return f;
}

/* A short text: one of the usual ones, or bytes of the input. */
static void text(src *s, const char *const *usual, int nusual, char *out, size_t cap)
{
    unsigned k = byte(s);
    if ((int)k < 3 * nusual) {
        snprintf(out, cap, "%s", usual[k % nusual]);
        return;
    }
    size_t len = byte(s) % (cap - 1), i = 0;
    for (; i < len; i++)
        out[i] = (char)(byte(s) | 1);
    out[i] = '\0';
}

static void cf_file(src *s, const char *path, char *map, size_t mapcap)
{
    static const char *const tunits[] = {"hours since 2017-01-01 00:00:00", "seconds since 2017-01-01",
                                         "days since 1900-01-01", "hours since 2017-01-01T00:00:00Z", "hours"};
    static const char *const names[] = {"u10", "v10", "t2", "pblh", "ust", "rmol", "hfx", "rain", "rh",
                                        "cloud", "sigma_theta"};
    static const char *const units[] = {"m s-1", "K", "degC", "m", "km", "m-1", "W m-2", "mm h-1", "%",
                                        "1", "(0 - 1)", "m s**-1", "degree", "kg"};
    int nt = 1 + (int)(byte(s) % 12), ny = 1 + (int)(byte(s) % 4), nx = 1 + (int)(byte(s) % 4);
    int nc, dt, dy, dx, v;
    if (nc_create(path, NC_CLOBBER | (byte(s) & 1 ? NC_NETCDF4 : 0), &nc))
        abort();
    nc_def_dim(nc, "time", (size_t)nt, &dt);
    nc_def_dim(nc, "lat", (size_t)ny, &dy);
    nc_def_dim(nc, "lon", (size_t)nx, &dx);
    char u[40];
    int tv, yv, xv, dims[3] = {dt, dy, dx};
    nc_def_var(nc, "time", NC_DOUBLE, 1, &dt, &tv);
    text(s, tunits, 5, u, sizeof u);
    nc_put_att_text(nc, tv, "units", strlen(u), u);
    nc_def_var(nc, "lat", NC_DOUBLE, 1, &dy, &yv);
    nc_def_var(nc, "lon", NC_DOUBLE, 1, &dx, &xv);
    int vid[11];
    for (int k = 0; k < 11; k++) {
        vid[k] = -1;
        if (k > 4 && (byte(s) & 1))
            continue;
        nc_def_var(nc, names[k], byte(s) & 1 ? NC_FLOAT : NC_SHORT, 3, dims, &vid[k]);
        text(s, units, 14, u, sizeof u);
        nc_put_att_text(nc, vid[k], "units", strlen(u), u);
        if (byte(s) % 4 == 0) {
            double sf = number(s), of = number(s);
            nc_put_att_double(nc, vid[k], "scale_factor", NC_DOUBLE, 1, &sf);
            nc_put_att_double(nc, vid[k], "add_offset", NC_DOUBLE, 1, &of);
        }
    }
    nc_enddef(nc);
    for (int i = 0; i < nt; i++) {
        size_t at = (size_t)i;
        double t = byte(s) % 8 ? i : number(s);
        nc_put_var1_double(nc, tv, &at, &t);
    }
    for (int j = 0; j < ny; j++) {
        size_t at = (size_t)j;
        double y = 34.6 + 0.2 * j + (byte(s) % 8 ? 0 : number(s));
        nc_put_var1_double(nc, yv, &at, &y);
    }
    for (int i = 0; i < nx; i++) {
        size_t at = (size_t)i;
        double x = 108.2 + 0.2 * i + (byte(s) % 8 ? 0 : number(s));
        nc_put_var1_double(nc, xv, &at, &x);
    }
    size_t nval = (size_t)nt * ny * nx;
    double *buf = malloc(nval * sizeof *buf);
    static const double plausible[11] = {3, 1, 272, 500, 0.3, 0, 10, 0, 60, 0.5, 10};
    for (int k = 0; k < 11; k++) {
        if (vid[k] < 0)
            continue;
        for (size_t i = 0; i < nval; i++)
            buf[i] = byte(s) % 4 ? plausible[k] : number(s);
        nc_put_var_double(nc, vid[k], buf);
    }
    free(buf);
    nc_close(nc);
    if (byte(s) % 4 == 0) /* a variable map */
        text(s, (const char *const[]){"u10:u10, t2:t2:1", "cloud:cloud", "rain:rain:0.001"}, 3, map, mapcap);
}

static void wrf_file(src *s, const char *path)
{
    int nc, dt, ds, dy, dx, v;
    int nt = 1 + (int)(byte(s) % 6), ny = 2 + (int)(byte(s) % 3), nx = 2 + (int)(byte(s) % 3);
    if (nc_create(path, NC_CLOBBER, &nc))
        abort();
    nc_def_dim(nc, "Time", (size_t)nt, &dt);
    nc_def_dim(nc, "DateStrLen", 19, &ds);
    nc_def_dim(nc, "south_north", (size_t)ny, &dy);
    nc_def_dim(nc, "west_east", (size_t)nx, &dx);
    int proj = (int)(byte(s) % 5);
    double dxm = 1000.0 + byte(s) * 100.0, lat0 = 34.8, lon0 = 108.4, tl1 = 30 + byte(s) % 40, tl2 = 60;
    nc_put_att_int(nc, NC_GLOBAL, "MAP_PROJ", NC_INT, 1, &proj);
    nc_put_att_double(nc, NC_GLOBAL, "DX", NC_DOUBLE, 1, &dxm);
    nc_put_att_double(nc, NC_GLOBAL, "DY", NC_DOUBLE, 1, &dxm);
    nc_put_att_double(nc, NC_GLOBAL, "CEN_LAT", NC_DOUBLE, 1, &lat0);
    nc_put_att_double(nc, NC_GLOBAL, "CEN_LON", NC_DOUBLE, 1, &lon0);
    nc_put_att_double(nc, NC_GLOBAL, "TRUELAT1", NC_DOUBLE, 1, &tl1);
    nc_put_att_double(nc, NC_GLOBAL, "TRUELAT2", NC_DOUBLE, 1, &tl2);
    nc_put_att_double(nc, NC_GLOBAL, "STAND_LON", NC_DOUBLE, 1, &lon0);
    int td[2] = {dt, ds}, d3[3] = {dt, dy, dx};
    nc_def_var(nc, "Times", NC_CHAR, 2, td, &v);
    static const char *const names[] = {"U10", "V10", "T2", "PBLH", "UST", "RMOL", "HFX", "RAINC", "RAINNC",
                                        "Q2", "PSFC", "COSALPHA", "SINALPHA", "XLAT", "XLONG", "SWDOWN"};
    int vid[16], flat[16];
    for (int k = 0; k < 16; k++) {
        vid[k] = -1;
        flat[k] = k >= 11 && k <= 14 && (byte(s) & 1); /* 2-D, without Time */
        if (k > 2 && (byte(s) & 1))
            continue;
        nc_def_var(nc, names[k], NC_FLOAT, flat[k] ? 2 : 3, flat[k] ? d3 + 1 : d3, &vid[k]);
    }
    nc_enddef(nc);
    for (int i = 0; i < nt; i++) {
        char t[20];
        snprintf(t, sizeof t, "2017-01-01_%02d:00:00", byte(s) % 16 ? i : (int)(byte(s) % 40));
        size_t st[2] = {(size_t)i, 0}, ct[2] = {1, 19};
        nc_put_vara_text(nc, v, st, ct, t);
    }
    static const double plausible[16] = {3, 1, 272, 500, 0.3, 0, 10, 1, 2, 0.004, 1e5, 1, 0, 34.8, 108.4, 300};
    size_t nval = (size_t)nt * ny * nx;
    float *buf = malloc(nval * sizeof *buf);
    double step = dxm / 111000.0; /* roughly the grid's spacing in degrees */
    for (int k = 0; k < 16; k++) {
        if (vid[k] < 0)
            continue;
        for (size_t i = 0; i < nval; i++) {
            size_t q = i % ((size_t)ny * nx);
            double grid = k == 13 ? step * (double)(q / nx) : k == 14 ? step * (double)(q % nx) : 0.0;
            buf[i] = (float)(byte(s) % 4 ? plausible[k] + grid : number(s));
        }
        nc_put_var_float(nc, vid[k], buf);
    }
    free(buf);
    nc_close(nc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    src s = {data, n, 0};
    const char *p = fuzz_path(".met.nc");
    char map[64] = "";
    int wrf = byte(&s) & 1;
    if (wrf)
        wrf_file(&s, p);
    else
        cf_file(&s, p, map, sizeof map);
    lt_met *m = NULL;
    lt_error err;
    lt_error_clear(&err);
    if (lt_met_open_ex(&m, p, wrf ? LT_MET_WRF : LT_MET_CF, map, &err))
        return 0;
    const char *units;
    lt_met_outside(m, 108.4, 34.8, &units);
    for (size_t k = 0; k < lt_met_ntimes(m) && k < 16; k++) {
        lt_error_clear(&err);
        if (!lt_met_load(m, lt_met_time(m, k), &err)) {
            lt_met_point pt;
            lt_met_sample(m, 108.4, 34.8, &pt);
            lt_met_sample(m, 0.0, 0.0, &pt);
        }
    }
    lt_met_close(&m);
    return 0;
}
