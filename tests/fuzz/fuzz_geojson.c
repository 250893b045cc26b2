/* fuzz_geojson.c — the county polygons (io/regions.c, GeoJSON through
 * cJSON) on any bytes, and a point looked up in what was read. */
#include "fuzz_util.h"
#include "io/regions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *p = fuzz_file(data, n, ".geojson");
    lt_regions *r = NULL;
    lt_error err;
    lt_error_clear(&err);
    if (!lt_regions_read(&r, p, "name", &err)) {
        lt_regions_find(r, 108.4, 34.8);
        lt_regions_free(&r);
    }
    return 0;
}
