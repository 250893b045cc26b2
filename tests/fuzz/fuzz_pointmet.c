/* fuzz_pointmet.c — the weather of one place (io/met_point.c) on any bytes:
 * the first byte chooses a station's CSV or an AERMET .SFC (with, when the
 * bytes hold a form feed, the part after it as its .PFL); every record
 * found is then loaded and sampled. */
#include <math.h>

#include "fuzz_util.h"
#include "io/met.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (!n)
        return 0;
    int aermet = data[0] & 1;
    const uint8_t *body = data + 1, *ff = memchr(body, '\f', n - 1);
    size_t nb = ff ? (size_t)(ff - body) : n - 1;
    lt_met_options o;
    lt_met_options_default(&o);
    o.path = fuzz_file(body, nb, aermet ? ".sfc" : ".csv");
    o.format = aermet ? LT_MET_AERMET : LT_MET_STATION;
    o.station_lon = 108.4;
    o.station_lat = 34.8;
    o.utc_offset_h = data[0] & 2 ? 8.0 : NAN;
    o.max_gap_h = 1 + data[0] % 7;
    if (ff && aermet)
        o.profile = fuzz_file(ff + 1, n - 1 - nb - 1, ".pfl");
    lt_met *m = NULL;
    lt_error err;
    lt_error_clear(&err);
    if (lt_met_open_opts(&m, &o, &err))
        return 0;
    for (size_t k = 0; k < lt_met_ntimes(m) && k < 48; k++) {
        lt_error_clear(&err);
        if (!lt_met_load(m, lt_met_time(m, k), &err)) {
            lt_met_point pt;
            lt_met_sample(m, 108.4, 34.8, &pt);
        }
    }
    lt_met_close(&m);
    return 0;
}
