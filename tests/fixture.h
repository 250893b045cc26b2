/* fixture.h — small synthetic cases written by the tests themselves:
 * a temporary folder with a config, point sources, stations and a met file. */
#ifndef LT_FIXTURE_H
#define LT_FIXTURE_H

#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Options that break the met file in one way each. */
typedef struct met_opts {
    int nlon, nlat;
    int hours;
    const char *omit;        /* a variable not to write */
    int gap_at;              /* skip this hour index (0: none) */
    int nan_at;              /* put a NaN into u10 at this hour (0: none) */
    const char *t2_units;    /* units of t2 */
    double u10, v10;         /* constant wind */
    double cloud;            /* < 0: no cloud variable */
} met_opts;

static inline met_opts met_defaults(void)
{
    met_opts o = {3, 3, 6, NULL, 0, 0, "K", 3.0, 1.0, -1.0};
    return o;
}

/* Writes a CF met file around 108.4 E, 34.8 N with constant weather. */
static inline int write_met(const char *path, const met_opts *o)
{
    int nc, dt, dy, dx;
    if (nc_create(path, NC_NETCDF4 | NC_CLOBBER, &nc))
        return -1;
    nc_def_dim(nc, "time", (size_t)o->hours, &dt);
    nc_def_dim(nc, "lat", (size_t)o->nlat, &dy);
    nc_def_dim(nc, "lon", (size_t)o->nlon, &dx);
    int tv, latv, lonv;
    nc_def_var(nc, "time", NC_DOUBLE, 1, &dt, &tv);
    nc_put_att_text(nc, tv, "units", 31, "hours since 2017-01-01 00:00:00");
    nc_def_var(nc, "lat", NC_DOUBLE, 1, &dy, &latv);
    nc_def_var(nc, "lon", NC_DOUBLE, 1, &dx, &lonv);
    const char *names[] = {"u10", "v10", "t2", "pblh", "ust", "rmol", "cloud"};
    const char *units[] = {"m s-1", "m s-1", o->t2_units, "m", "m s-1", "m-1", "1"};
    const double vals[] = {o->u10, o->v10, 272.0, 500.0, 0.3, 0.0, o->cloud};
    int dims[3] = {dt, dy, dx}, ids[7];
    for (int i = 0; i < 7; i++) {
        ids[i] = -1;
        if ((o->omit && !strcmp(o->omit, names[i])) || (i == 6 && o->cloud < 0))
            continue;
        nc_def_var(nc, names[i], NC_FLOAT, 3, dims, &ids[i]);
        nc_put_att_text(nc, ids[i], "units", strlen(units[i]), units[i]);
    }
    nc_enddef(nc);
    for (int k = 0; k < o->hours; k++) {
        size_t idx = (size_t)k;
        double t = k + (o->gap_at && k >= o->gap_at ? 1 : 0);
        nc_put_var1_double(nc, tv, &idx, &t);
    }
    for (int j = 0; j < o->nlat; j++) {
        size_t idx = (size_t)j;
        double lat = 34.6 + 0.2 * j;
        nc_put_var1_double(nc, latv, &idx, &lat);
    }
    for (int i = 0; i < o->nlon; i++) {
        size_t idx = (size_t)i;
        double lon = 108.2 + 0.2 * i;
        nc_put_var1_double(nc, lonv, &idx, &lon);
    }
    size_t n = (size_t)o->hours * o->nlat * o->nlon;
    float *buf = malloc(n * sizeof *buf);
    for (int i = 0; i < 7; i++) {
        if (ids[i] < 0)
            continue;
        for (size_t k = 0; k < n; k++)
            buf[k] = (float)vals[i];
        if (i == 0 && o->nan_at)
            buf[(size_t)o->nan_at * o->nlat * o->nlon] = NAN;
        nc_put_var_float(nc, ids[i], buf);
    }
    free(buf);
    return nc_close(nc) ? -1 : 0;
}

static inline void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

#define FIX_POINTS_HEADER "id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy\n"
#define FIX_POINTS FIX_POINTS_HEADER \
    "P1,Power plant,108.40,34.80,120,4,15,400,coal,A县,A,100\n" \
    "P2,Cement kiln,108.38,34.79,60,2,10,380,industry,B县,C,50\n" \
    "P3,Paint booth,108.41,34.81,15,0.8,8,0,solvents,B县,D,5\n"
#define FIX_STATIONS "id,name,lon,lat,county\nS1,East,108.45,34.81,A县\nS2,North,108.40,34.85,B县\n"

/* The config of the fixture case: a 24 x 20 km grid at 1 km. */
static inline void write_config(const char *dir, const char *extra_section)
{
    char path[512], text[2048];
    snprintf(path, sizeof path, "%s/case.ini", dir);
    snprintf(text, sizeof text,
             "[run]\nstart = 2017-01-01T00:00:00Z\nhours = 6\n\n"
             "[domain]\ncenter_lon = 108.4\ncenter_lat = 34.8\nnx = 24\nny = 20\ndx_m = 1000\n\n"
             "[met]\nfile = met.nc\n\n[sources]\npoints = points.csv\n\n"
             "[receptors]\nstations = stations.csv\nheight_m = 1.5\n\n"
             "[dispersion]\ncurves = briggs-rural\nz0_m = 0.3\n\n"
             "[output]\nfile = out.nc\n%s",
             extra_section ? extra_section : "");
    write_text(path, text);
}

/* Makes a fresh temporary folder holding a valid fixture case. */
static inline char *make_case(void)
{
    char tmpl[] = "/tmp/lantian-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir)
        return NULL;
    dir = strdup(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/points.csv", dir);
    write_text(path, FIX_POINTS);
    snprintf(path, sizeof path, "%s/stations.csv", dir);
    write_text(path, FIX_STATIONS);
    snprintf(path, sizeof path, "%s/met.nc", dir);
    met_opts o = met_defaults();
    write_met(path, &o);
    write_config(dir, NULL);
    return dir;
}

static inline void remove_case(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(dir);
}

#endif
