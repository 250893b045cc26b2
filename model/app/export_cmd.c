/* export_cmd.c — `lantian export RUN.nc --geotiff VAR [--time T] [--level L]
 * [-o FILE]` and `lantian export RUN.nc --counties [GEOJSON] [--property P]
 * [-o FILE]`: parses, calls io/export.c, prints what it wrote. */
#include "app/export_cmd.h"

#include <stdio.h>
#include <string.h>

#include "io/export.h"

static int usage_error(const char *why, const char *what)
{
    fprintf(stderr, "lantian: export: %s%s%s (see lantian --help)\n", why, what ? " " : "", what ? what : "");
    return 2;
}

int lt_export_command(int argc, char **argv)
{
    const char *run = NULL, *var = NULL, *time = NULL, *level = NULL, *out = NULL, *counties = NULL;
    const char *property = NULL;
    int geotiff = 0, county = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc && argv[i + 1][0] != '-';
        if (!strcmp(a, "--geotiff") && more) {
            geotiff = 1;
            var = argv[++i];
        } else if (!strcmp(a, "--counties")) {
            county = 1;
            if (more && strstr(argv[i + 1], "json"))
                counties = argv[++i];
        } else if (!strcmp(a, "--time") && i + 1 < argc)
            time = argv[++i];
        else if (!strcmp(a, "--level") && i + 1 < argc)
            level = argv[++i];
        else if (!strcmp(a, "--property") && i + 1 < argc)
            property = argv[++i];
        else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc)
            out = argv[++i];
        else if (a[0] == '-')
            return usage_error("unknown or incomplete option", a);
        else if (!run)
            run = a;
        else
            return usage_error("unexpected argument", a);
    }
    if (!run)
        return usage_error("needs the run's output file (RUN.nc)", NULL);
    if (geotiff == county)
        return usage_error("expected one of --geotiff VAR or --counties", NULL);
    lt_error err;
    lt_error_clear(&err);
    lt_export_result r;
    int rc;
    if (geotiff) {
        lt_export_geotiff_opts o = {.run = run, .var = var, .time = time, .level = level, .out = out};
        if (!(rc = lt_export_geotiff(&o, &r, &err)))
            printf("wrote %s: %s from %s, %d x %d cells, %d band%s\n", r.path, var, r.from, r.nx, r.ny, r.bands,
                   r.bands == 1 ? "" : "s");
    } else {
        if (time || level)
            return usage_error("--time and --level go with --geotiff", NULL);
        lt_export_counties_opts o = {.run = run, .counties = counties, .property = property, .out = out};
        if (!(rc = lt_export_counties(&o, &r, &err)))
            printf("wrote %s: %d of %d county polygons with the run's values\n", r.path, r.matched, r.bands);
    }
    if (rc) {
        fprintf(stderr, "lantian: error: %s\n", err.msg);
        return 1;
    }
    return 0;
}
