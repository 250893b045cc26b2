/* regions.h — county (or district) polygons from GeoJSON: which region a point
 * lies in, and the region of every receptor cell. */
#ifndef LT_REGIONS_H
#define LT_REGIONS_H

#include <stddef.h>

#include "core/lt_error.h"

typedef struct lt_regions lt_regions;

/* Reads a GeoJSON FeatureCollection of Polygon/MultiPolygon features in
 * lon/lat; each region is named by the feature property `property`. */
int lt_regions_read(lt_regions **r, const char *path, const char *property, lt_error *err);
void lt_regions_free(lt_regions **r);

size_t lt_regions_count(const lt_regions *r);
const char *lt_regions_name(const lt_regions *r, size_t i);

/* Index of the region holding lon/lat (holes respected), or -1. */
int lt_regions_find(const lt_regions *r, double lon, double lat);

#endif
