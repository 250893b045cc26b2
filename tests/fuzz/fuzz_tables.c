/* fuzz_tables.c — every CSV reader on any bytes: the first byte chooses the
 * table (points, volumes, areas, roads, stations, background, temporal
 * profiles, hourly stack emissions), the rest is the file. */
#include <math.h>

#include "fuzz_util.h"
#include "io/houremis.h"
#include "io/inventory.h"
#include "io/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (!n)
        return 0;
    const lt_config *cfg = fuzz_config();
    const char *p = fuzz_file(data + 1, n - 1, ".csv");
    lt_error err;
    lt_error_clear(&err);
    lt_point *pts = NULL;
    size_t np = 0;
    switch (data[0] % 8) {
    case 0: lt_points_read(p, cfg, &pts, &np, &err); break;
    case 1: lt_volumes_read(p, cfg, &pts, &np, &err); break;
    case 2: lt_areas_read(p, cfg, &pts, &np, &err); break;
    case 3: lt_roads_read(p, cfg, &pts, &np, &err); break;
    case 4: {
        lt_station *st = NULL;
        size_t ns = 0;
        if (!lt_stations_read(p, &st, &ns, &err))
            free(st);
        break;
    }
    case 5: {
        lt_bgfile bg;
        if (!lt_bgfile_read(p, cfg->start_s, 6, &bg, &err)) {
            for (int c = 0; c < LT_BG_NALL; c++)
                for (size_t s = 0; s < bg.nsites; s++)
                    if (lt_bgfile_series(&bg, c, s)[5] < 0.0)
                        __builtin_trap(); /* the reader let a negative value through */
            lt_bgfile_free(&bg);
        }
        break;
    }
    case 6: {
        lt_profiles prof;
        lt_profiles_read(&prof, p, cfg, cfg->start_s, 8.0, &err);
        break;
    }
    default: {
        /* the hourly file against two stacks */
        lt_point two[2];
        memset(two, 0, sizeof two);
        snprintf(two[0].id, sizeof two[0].id, "P1");
        snprintf(two[1].id, sizeof two[1].id, "P2");
        lt_houremis he;
        if (!lt_houremis_read(&he, p, two, 2, cfg->start_s, 6, &err))
            lt_houremis_free(&he);
        break;
    }
    }
    lt_points_free(pts, np);
    return 0;
}
