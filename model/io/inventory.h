/* inventory.h — point sources (stacks) and monitoring stations from CSV. */
#ifndef LT_INVENTORY_H
#define LT_INVENTORY_H

#include <stddef.h>

#include "io/background.h"
#include "io/config.h"
#include "core/lt_error.h"

/* Emission rates in tonnes per year are converted with a 365-day year. */
#define LT_SECONDS_PER_YEAR (365.0 * 86400.0)

typedef enum { LT_SRC_STACK = 0, LT_SRC_VOLUME = 1, LT_SRC_AREA = 2 } lt_source_kind;

/* A point-like source: a stack, or a volume source (a building, a yard, a
 * kiln hall) given by its initial spreads. */
typedef struct lt_point {
    lt_source_kind kind;
    char id[32];
    char name[128];
    double lon, lat;
    double height_m, diameter_m, velocity_ms, temp_K; /* temp_K <= 0: ambient */
    int sector;                /* index into the config's sector list */
    char county[64];
    char grade;                /* 'A'..'D', or '-' when not graded */
    double pm25_tpy;
    double so2_tpy, nox_tpy, nh3_tpy, voc_tpy; /* 0 when the column is absent */
    double pm10_tpy;           /* PM10 including PM2.5 (>= pm25_tpy); pm25_tpy when absent */
    double co_tpy;             /* 0 when the column is absent */
    double no2_ratio;          /* in-stack NO2/NOx (column no2_nox); NaN: [chemistry] no2_nox_ratio */
    double sigma_y0_m, sigma_z0_m;             /* volume sources: initial spreads;
                                                * areas: sigma_z0_m */
    int nvert;                                 /* areas: polygon vertices */
    double *vlon, *vlat;                       /* degrees */
    double *vx, *vy;                           /* projected, relative to (x_m, y_m) */
    double area_m2;
    int road;                                  /* 1: a segment of a road (roads file) */
    double x_m, y_m;           /* on the domain's projection */
    double north_rot;          /* earth-to-grid rotation at the source, rad */
    int line;                  /* line in the CSV, for messages */
} lt_point;

typedef struct lt_station {
    char id[32];
    char name[128];
    double lon, lat;
    char county[64];
    char code[32];             /* the monitoring network's station code (optional column), or "" */
    char city[64];             /* the station's city (optional column), or "" */
    double x_m, y_m;
} lt_station;

/* The columns a point-source file must have (more may follow). */
extern const char *const lt_point_columns[];
extern const int lt_point_ncolumns;

/* Reads and validates the point sources in path; sectors must be in cfg's
 * list. Coordinates are not projected here (see lt_case). */
int lt_points_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                   lt_error *err);

/* The columns of a volume-source file: id, name, lon, lat, height_m,
 * sigma_y0_m, sigma_z0_m, sector, county, grade, pm25_tpy. */
extern const char *const lt_volume_columns[];
extern const int lt_volume_ncolumns;

/* The columns of an area-source file: id, name, polygon ("lon lat; lon lat;
 * ..." with at least 3 vertices), height_m, sigma_z0_m, sector, county,
 * grade, pm25_tpy. */
extern const char *const lt_area_columns[];
extern const int lt_area_ncolumns;

/* Reads area sources and appends them to *pts. lon/lat become the vertices' mean. */
int lt_areas_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                  lt_error *err);

/* The columns of a road file: id, name, polyline ("lon lat; lon lat; ..."
 * with at least 2 vertices), width_m, height_m, sigma_z0_m, sector, county,
 * grade, pm25_tpy_per_km. */
extern const char *const lt_road_columns[];
extern const int lt_road_ncolumns;

/* Reads roads and appends one area source per segment (a rectangle of the
 * road's width around it, emission = rate x length); the segments of a road
 * share its id, so scenario rules select the whole road. */
int lt_roads_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                  lt_error *err);

/* Frees pts[0..n) (their polygons too) and pts. */
void lt_points_free(lt_point *pts, size_t n);

/* 1 when two edges of the polygon (x, y)[0..n) that share no vertex meet
 * (a figure of eight, a vertex on another edge); *ei, *ej the first two. */
int lt_polygon_crossing(const double *x, const double *y, int n, int *ei, int *ej);

/* Reads volume sources and appends them to *pts (ids must stay unique). */
int lt_volumes_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                    lt_error *err);

/* Reads receptor stations: columns id, name, lon, lat, county, and optionally
 * code (the network's station code, e.g. CNEMC's 1462A, unique when given;
 * observations are matched to stations by it) and city. */
int lt_stations_read(const char *path, lt_station **st, size_t *n, lt_error *err);

#endif
