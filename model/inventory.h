/* inventory.h — point sources (stacks) and monitoring stations from CSV. */
#ifndef LT_INVENTORY_H
#define LT_INVENTORY_H

#include <stddef.h>

#include "config.h"
#include "lt_error.h"

/* Emission rates in tonnes per year are converted with a 365-day year. */
#define LT_SECONDS_PER_YEAR (365.0 * 86400.0)

typedef struct lt_point {
    char id[32];
    char name[128];
    double lon, lat;
    double height_m, diameter_m, velocity_ms, temp_K; /* temp_K <= 0: ambient */
    int sector;                /* index into the config's sector list */
    char county[64];
    char grade;                /* 'A'..'D', or '-' when not graded */
    double pm25_tpy;
    double x_m, y_m;           /* on the domain's projection */
    double north_rot;          /* earth-to-grid rotation at the source, rad */
    int line;                  /* line in the CSV, for messages */
} lt_point;

typedef struct lt_station {
    char id[32];
    char name[128];
    double lon, lat;
    char county[64];
    double x_m, y_m;
} lt_station;

/* The columns a point-source file must have (more may follow). */
extern const char *const lt_point_columns[];
extern const int lt_point_ncolumns;

/* Reads and validates the point sources in path; sectors must be in cfg's
 * list. Coordinates are not projected here (see lt_case). */
int lt_points_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                   lt_error *err);

int lt_stations_read(const char *path, lt_station **st, size_t *n, lt_error *err);

/* Reads an hourly background PM2.5 CSV (columns time, pm25_ugm3; time as
 * ISO 8601 UTC, the start of the hour) and fills bg[h] for the run's hours
 * start_s + 3600 h, h < hours; the error names the first hour missing. */
int lt_background_read(const char *path, double start_s, int hours, double *bg, lt_error *err);

#endif
