/* init_cmd.c — `lantian init DIR --center LON,LAT [--met FILE [--format F]]
 * [--counties FILE.geojson] [--size NX,NY] [--dx M]`: a case folder that
 * `lantian check` accepts and `lantian run` runs: case.ini with the policy
 * files found where lantian is (beside the build, or PREFIX/share/lantian
 * after make install) by absolute path, the weather by absolute path (its
 * period gives [run]), the counties copied in, a stack table and a station
 * table with one example row each (to be replaced), and an output folder. */
#include "app/init_cmd.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lt_time.h"
#include "io/met.h"

static int fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "lantian: error: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 1;
}

/* The folder of the policy files shipped with lantian: beside the build
 * (REPO/inputs/policy for REPO/build/lantian) or installed
 * (PREFIX/share/lantian/inputs/policy for PREFIX/bin/lantian). */
int lt_find_policy(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (l <= 0)
        return 0;
    exe[l] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    static const char *const rel[] = {"/../inputs/policy", "/../../inputs/policy", "/../share/lantian/inputs/policy"};
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
        char cand[PATH_MAX + 64], probe[PATH_MAX + 128];
        snprintf(cand, sizeof cand, "%s%s", exe, rel[i]);
        snprintf(probe, sizeof probe, "%s/aqi_HJ633-2012.ini", cand);
        if (access(probe, R_OK) == 0 && realpath(cand, out) && strlen(out) < n)
            return 1;
    }
    return 0;
}

/* The met file's period: [run] start and hours (at most 744). */
static int met_period(const char *path, int format, double lon, double lat, char *start, size_t n, int *hours)
{
    lt_met_options o;
    lt_met_options_default(&o);
    o.path = path;
    o.format = format;
    o.station_lon = lon;
    o.station_lat = lat;
    lt_met *m = NULL;
    lt_error err;
    lt_error_clear(&err);
    if (lt_met_open_opts(&m, &o, &err)) {
        fprintf(stderr, "lantian: error: %s\n", err.msg);
        return 1;
    }
    size_t nt = lt_met_ntimes(m);
    double t0 = lt_met_time(m, 0), t1 = lt_met_time(m, nt - 1);
    lt_met_close(&m);
    lt_format_iso8601(t0, start, (int)n);
    /* a record at each hour's start: the last record serves the last hour;
     * at most a month to begin with ([run] hours takes the rest) */
    double h = floor((t1 - t0) / 3600.0 + 0.5) + 1.0;
    *hours = (int)fmin(fmax(h, 1.0), 744.0);
    return 0;
}

static int write_file(const char *dir, const char *name, const char *text)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    int bad = !f || fputs(text, f) < 0;
    if (f)
        bad |= fclose(f) != 0;
    return bad ? fail("%s: cannot write %s", p, strerror(errno)) : 0;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        return fail("%s: cannot open: %s", from, strerror(errno));
    FILE *out = fopen(to, "wb");
    int bad = !out;
    char buf[65536];
    size_t k;
    while (!bad && (k = fread(buf, 1, sizeof buf, in)) > 0)
        bad = fwrite(buf, 1, k, out) != k;
    fclose(in);
    if (out)
        bad |= fclose(out) != 0;
    return bad ? fail("%s: cannot write it: %s", to, strerror(errno)) : 0;
}

typedef struct init_args {
    const char *dir, *met, *counties, *format;
    double lon, lat, dx;
    int nx, ny, fmt;
} init_args;

static int parse(int argc, char **argv, init_args *a)
{
    *a = (init_args){.lon = NAN, .lat = NAN, .dx = 1000.0, .nx = 60, .ny = 60};
    for (int i = 2; i < argc; i++) {
        const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *e;
        if (!strcmp(k, "--center") && v) {
            a->lon = strtod(v, &e);
            a->lat = *e == ',' ? strtod(e + 1, &e) : NAN;
            if (*e || !(a->lon >= -180 && a->lon <= 180 && a->lat >= -85 && a->lat <= 85))
                return fail("--center '%s': expected LON,LAT in degrees (e.g. 108.94,34.34)%s", v, "");
            i++;
        } else if (!strcmp(k, "--met") && v)
            a->met = argv[++i];
        else if (!strcmp(k, "--format") && v)
            a->format = argv[++i];
        else if (!strcmp(k, "--counties") && v)
            a->counties = argv[++i];
        else if (!strcmp(k, "--size") && v) {
            a->nx = (int)strtol(v, &e, 10);
            a->ny = *e == ',' ? (int)strtol(e + 1, &e, 10) : 0;
            if (*e || a->nx < 1 || a->ny < 1 || a->nx > 5000 || a->ny > 5000)
                return fail("--size '%s': expected NX,NY cells from 1 to 5000%s", v, "");
            i++;
        } else if (!strcmp(k, "--dx") && v) {
            a->dx = strtod(v, &e);
            if (*e || !(a->dx >= 10 && a->dx <= 50000))
                return fail("--dx '%s': expected a cell size from 10 to 50000 m%s", v, "");
            i++;
        } else if (k[0] == '-')
            return fail("init: unknown or incomplete option '%s'%s (see lantian --help)", k, "");
        else if (!a->dir)
            a->dir = k;
        else
            return fail("init: unexpected argument '%s'%s", k, "");
    }
    if (!a->dir || isnan(a->lon))
        return fail("init: expected a folder and --center LON,LAT%s%s (see lantian --help)", "", "");
    static const char *const fmts[] = {"cf", "wrf", "station", "aermet"};
    a->fmt = -1;
    for (int f = 0; f < 4; f++)
        if (!strcmp(a->format ? a->format : "cf", fmts[f]))
            a->fmt = f;
    if (a->fmt < 0)
        return fail("--format '%s': expected cf, wrf, station or aermet%s", a->format, "");
    return 0;
}

/* The case's files into the (new or empty) folder. */
static int write_case(const init_args *a, const char *policy, const char *met, const char *start, int hours)
{
    char ini[16384], rows[1024];
    const char *name = strrchr(a->dir, '/') ? strrchr(a->dir, '/') + 1 : a->dir;
    static const char *const fmts[] = {"cf", "wrf", "station", "aermet"};
    int len = snprintf(ini, sizeof ini,
             "# A lantian case made by `lantian init` (see the README, \"Run your own city\").\n"
             "# Replace the example rows of points.csv and stations.csv with your sources and\n"
             "# monitors; add areas, roads, volumes or a gridded inventory as the README shows.\n\n"
             "[run]\nstart = %s\nhours = %d\n\n"
             "[domain]\ncenter_lon = %.6f\ncenter_lat = %.6f\nnx = %d\nny = %d\ndx_m = %g\n%s\n"
             "[met]\nfile = %s\nformat = %s\n%s\n"
             "[sources]\npoints = points.csv\n\n"
             "[receptors]\nstations = stations.csv\n\n"
             "[dispersion]\ncurves = briggs-rural\nz0_m = 0.3\n\n"
             "[chemistry]\nsecondary = yes\n\n"
             "[assessment]\naqi_rules = %s/aqi_HJ633-2012.ini\nalert_rules = %s/alert_2018.ini\n\n"
             "[output]\nfile = output/%s.nc\ndeflate = 1\nsignificant_digits = 4\n",
             start, hours, a->lon, a->lat, a->nx, a->ny, a->dx, a->counties ? "counties = counties.geojson\n" : "",
             met, fmts[a->fmt],
             a->fmt >= 2 ? "# the station's position: the domain centre unless station_lon, station_lat say\n" : "",
             policy, policy, name);
    if (len < 0 || (size_t)len >= sizeof ini)
        return fail("%s: the paths are too long for case.ini%s", a->dir, "");
    if (write_file(a->dir, "case.ini", ini))
        return 1;
    snprintf(rows, sizeof rows,
             "id,name,lon,lat,height_m,diameter_m,velocity_ms,temp_K,sector,county,grade,pm25_tpy,so2_tpy,nox_tpy,"
             "nh3_tpy,voc_tpy\n"
             "EX1,example stack (replace),%.6f,%.6f,60,2.0,12,400,industry,,B,10,20,30,0,5\n",
             a->lon, a->lat);
    if (write_file(a->dir, "points.csv", rows))
        return 1;
    snprintf(rows, sizeof rows, "id,name,lon,lat,county\nST1,example station (replace),%.6f,%.6f,\n",
             a->lon + 0.02, a->lat + 0.01);
    if (write_file(a->dir, "stations.csv", rows))
        return 1;
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/output", a->dir);
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        return fail("%s: cannot make the folder: %s", p, strerror(errno));
    snprintf(p, sizeof p, "%s/counties.geojson", a->dir);
    return a->counties ? copy_file(a->counties, p) : 0;
}

int lt_init_command(int argc, char **argv)
{
    init_args a;
    if (parse(argc, argv, &a))
        return 2;
    struct stat st;
    if (stat(a.dir, &st) == 0) {
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s/case.ini", a.dir);
        if (!S_ISDIR(st.st_mode))
            return fail("%s: exists and is not a folder%s: expected a new folder for the case", a.dir, "");
        if (access(probe, F_OK) == 0)
            return fail("%s: already holds a case.ini%s: expected a new or empty folder", a.dir, "");
    } else if (mkdir(a.dir, 0755) != 0)
        return fail("%s: cannot make the folder: %s", a.dir, strerror(errno));
    char policy[PATH_MAX], met[PATH_MAX] = "met.nc", start[32] = "2017-01-01T00:00:00Z";
    int hours = 24;
    if (!lt_find_policy(policy, sizeof policy))
        return fail("the policy files (aqi_HJ633-2012.ini, alert_2018.ini) are neither beside this lantian nor "
                    "under its share/lantian%s%s: expected the repository's build or make install",
                    "", "");
    if (a.met) {
        if (!realpath(a.met, met))
            return fail("--met %s: %s", a.met, strerror(errno));
        if (met_period(met, a.fmt, a.lon, a.lat, start, sizeof start, &hours))
            return 1;
    }
    if (write_case(&a, policy, met, start, hours))
        return 1;
    printf("wrote %s/case.ini (%d hours from %s, %d x %d cells of %g m around %.4f E, %.4f N), points.csv and "
           "stations.csv with one example row each, %s%s/output/\n",
           a.dir, hours, start, a.nx, a.ny, a.dx, a.lon, a.lat, a.counties ? "counties.geojson, " : "", a.dir);
    if (!a.met)
        printf("put your weather at %s/met.nc (or edit [met] file), then: lantian check %s/case.ini\n", a.dir, a.dir);
    else
        printf("next: lantian check %s/case.ini\n", a.dir);
    return 0;
}
