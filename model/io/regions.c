/* regions.c — GeoJSON regions (cJSON) and point-in-polygon (even-odd rule,
 * holes as further rings). */
#include "io/regions.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ring {
    int region;
    size_t n;
    double *xy;               /* lon, lat pairs */
    double x0, x1, y0, y1;    /* bounding box */
} ring;

struct lt_regions {
    char **names;
    size_t nregions;
    ring *rings;
    size_t nrings, cap;
    double bad_lon, bad_lat;  /* a point out of range, for the message */
};

static int add_ring(lt_regions *r, int region, const cJSON *coords)
{
    int n = cJSON_GetArraySize(coords);
    if (n < 3)
        return -1;
    if (r->nrings == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        ring *nr = realloc(r->rings, cap * sizeof *nr);
        if (!nr)
            return -2;
        r->rings = nr;
        r->cap = cap;
    }
    ring *g = &r->rings[r->nrings];
    g->region = region;
    g->n = (size_t)n;
    g->xy = malloc(2 * (size_t)n * sizeof *g->xy);
    if (!g->xy)
        return -2;
    g->x0 = g->y0 = 1e300;
    g->x1 = g->y1 = -1e300;
    for (int i = 0; i < n; i++) {
        const cJSON *pt = cJSON_GetArrayItem(coords, i);
        const cJSON *x = cJSON_GetArrayItem(pt, 0), *y = cJSON_GetArrayItem(pt, 1);
        if (!cJSON_IsNumber(x) || !cJSON_IsNumber(y)) {
            free(g->xy);
            return -1;
        }
        if (!(x->valuedouble >= -180 && x->valuedouble <= 180 && y->valuedouble >= -90 && y->valuedouble <= 90)) {
            r->bad_lon = x->valuedouble;
            r->bad_lat = y->valuedouble;
            free(g->xy);
            return -3;
        }
        g->xy[2 * i] = x->valuedouble;
        g->xy[2 * i + 1] = y->valuedouble;
        if (x->valuedouble < g->x0) g->x0 = x->valuedouble;
        if (x->valuedouble > g->x1) g->x1 = x->valuedouble;
        if (y->valuedouble < g->y0) g->y0 = y->valuedouble;
        if (y->valuedouble > g->y1) g->y1 = y->valuedouble;
    }
    r->nrings++;
    return 0;
}

int lt_regions_read(lt_regions **out, const char *path, const char *property, lt_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return lt_error_set(err, LT_EIO, "%s: cannot open: %s", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = len > 0 ? malloc((size_t)len + 1) : NULL;
    if (!text || fread(text, 1, (size_t)len, f) != (size_t)len) {
        fclose(f);
        free(text);
        return lt_error_set(err, LT_EIO, "%s: cannot read", path);
    }
    fclose(f);
    text[len] = '\0';
    cJSON *root = cJSON_Parse(text);
    int rc = LT_OK;
    lt_regions *r = calloc(1, sizeof *r);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        long off = at ? (long)(at - text) : -1;
        int line = 1;
        for (long i = 0; i < off && text[i]; i++)
            line += text[i] == '\n';
        rc = lt_error_set(err, LT_EINPUT, "%s:%d: not valid JSON (near byte %ld): expected a GeoJSON FeatureCollection",
                          path, line, off);
        goto done;
    }
    if (!r) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    const cJSON *feats = cJSON_GetObjectItemCaseSensitive(root, "features");
    if (!cJSON_IsArray(feats) || cJSON_GetArraySize(feats) == 0) {
        rc = lt_error_set(err, LT_EINPUT, "%s: no 'features' array: expected a GeoJSON FeatureCollection of polygons", path);
        goto done;
    }
    int nf = cJSON_GetArraySize(feats);
    r->names = calloc((size_t)nf, sizeof *r->names);
    if (!r->names) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < nf && !rc; i++) {
        const cJSON *ft = cJSON_GetArrayItem(feats, i);
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(ft, "properties");
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(props, property);
        const cJSON *geom = cJSON_GetObjectItemCaseSensitive(ft, "geometry");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(geom, "type");
        const cJSON *coords = cJSON_GetObjectItemCaseSensitive(geom, "coordinates");
        if (!cJSON_IsString(name)) {
            rc = lt_error_set(err, LT_EINPUT, "%s: feature %d has no string property '%s': expected every region named by it",
                              path, i, property);
            break;
        }
        r->names[r->nregions] = strdup(name->valuestring);
        int reg = (int)r->nregions++;
        int multi = cJSON_IsString(type) && !strcmp(type->valuestring, "MultiPolygon");
        int poly = cJSON_IsString(type) && !strcmp(type->valuestring, "Polygon");
        if ((!multi && !poly) || !cJSON_IsArray(coords)) {
            rc = lt_error_set(err, LT_EINPUT, "%s: feature %d ('%s'): geometry type %s: expected Polygon or MultiPolygon",
                              path, i, name->valuestring, cJSON_IsString(type) ? type->valuestring : "(none)");
            break;
        }
        int np = multi ? cJSON_GetArraySize(coords) : 1;
        for (int k = 0; k < np && !rc; k++) {
            const cJSON *pl = multi ? cJSON_GetArrayItem(coords, k) : coords;
            for (int g = 0; g < cJSON_GetArraySize(pl) && !rc; g++) {
                int a = add_ring(r, reg, cJSON_GetArrayItem(pl, g));
                if (a == -2)
                    rc = lt_error_set(err, LT_ENOMEM, "out of memory");
                else if (a == -3)
                    rc = lt_error_set(err, LT_EINPUT,
                                      "%s: feature %d ('%s'): the point [%g, %g] is not [longitude, latitude] (%s out "
                                      "of range): expected [lon, lat] pairs in degrees, as GeoJSON orders them%s",
                                      path, i, name->valuestring, r->bad_lon, r->bad_lat,
                                      fabs(r->bad_lat) > 90 ? "latitude" : "longitude",
                                      fabs(r->bad_lat) > 90 && fabs(r->bad_lon) <= 90 ? " (given as [lat, lon]?)" : "");
                else if (a)
                    rc = lt_error_set(err, LT_EINPUT, "%s: feature %d ('%s'): a ring with fewer than 3 [lon, lat] points",
                                      path, i, name->valuestring);
            }
        }
    }
done:
    cJSON_Delete(root);
    free(text);
    if (rc) {
        lt_regions_free(&r);
        return rc;
    }
    *out = r;
    return LT_OK;
}

void lt_regions_free(lt_regions **rp)
{
    if (!rp || !*rp)
        return;
    lt_regions *r = *rp;
    for (size_t i = 0; i < r->nregions; i++)
        free(r->names[i]);
    for (size_t i = 0; i < r->nrings; i++)
        free(r->rings[i].xy);
    free(r->names);
    free(r->rings);
    free(r);
    *rp = NULL;
}

size_t lt_regions_count(const lt_regions *r) { return r->nregions; }
const char *lt_regions_name(const lt_regions *r, size_t i) { return r->names[i]; }

/* Even-odd crossing test of (x, y) against one ring. */
static int in_ring(const ring *g, double x, double y)
{
    if (x < g->x0 || x > g->x1 || y < g->y0 || y > g->y1)
        return 0;
    int in = 0;
    for (size_t i = 0, j = g->n - 1; i < g->n; j = i++) {
        double xi = g->xy[2 * i], yi = g->xy[2 * i + 1], xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            in = !in;
    }
    return in;
}

int lt_regions_find(const lt_regions *r, double lon, double lat)
{
    /* a point is in a region when it lies inside an odd number of its rings
     * (outer rings and holes alike) */
    for (size_t a = 0; a < r->nregions; a++) {
        int in = 0;
        for (size_t i = 0; i < r->nrings; i++)
            if (r->rings[i].region == (int)a && in_ring(&r->rings[i], lon, lat))
                in = !in;
        if (in)
            return (int)a;
    }
    return -1;
}
