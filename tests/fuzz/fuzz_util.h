/* fuzz_util.h — what every libFuzzer harness of tests/fuzz/ shares: the
 * fuzzer's bytes written to a file of this process's own (the readers read
 * files), and a base configuration for the readers that need one. */
#ifndef LT_FUZZ_UTIL_H
#define LT_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/config.h"

/* A path of this process's own, in $TMPDIR or /tmp, ending with suffix. */
static inline const char *fuzz_path(const char *suffix)
{
    static char path[4][512];
    static int k;
    k = (k + 1) % 4;
    const char *dir = getenv("TMPDIR");
    snprintf(path[k], sizeof path[k], "%s/lantian-fuzz-%ld%s", dir ? dir : "/tmp", (long)getpid(), suffix);
    return path[k];
}

/* Writes data[0..n) to a file of this process; returns its path. */
static inline const char *fuzz_file(const uint8_t *data, size_t n, const char *suffix)
{
    const char *p = fuzz_path(suffix);
    FILE *f = fopen(p, "wb");
    if (!f)
        abort();
    if (n && fwrite(data, 1, n, f) != n)
        abort();
    fclose(f);
    return p;
}

/* A valid configuration (the readers take its sectors and run times), read
 * once; its inputs need not exist. */
static inline const lt_config *fuzz_config(void)
{
    static lt_config cfg;
    static int loaded;
    if (!loaded) {
        static const char text[] =
            "[run]\nstart = 2017-01-01T00:00:00Z\nhours = 6\n[domain]\ncenter_lon = 108.4\ncenter_lat = 34.8\n"
            "nx = 24\nny = 20\ndx_m = 1000\n[met]\nfile = met.nc\n[sources]\npoints = points.csv\n"
            "sectors = industry, coal, vehicles, dust, burning, agriculture, solvents\n"
            "[receptors]\nstations = stations.csv\n[output]\nfile = out.nc\n";
        const char *p = fuzz_file((const uint8_t *)text, sizeof text - 1, ".base.ini");
        lt_error err;
        lt_error_clear(&err);
        if (lt_config_load(&cfg, p, NULL, 0, &err)) {
            fprintf(stderr, "fuzz_config: %s\n", err.msg);
            abort();
        }
        unlink(p);
        loaded = 1;
    }
    return &cfg;
}

#endif
