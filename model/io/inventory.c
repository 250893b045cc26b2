/* inventory.c — reading point sources and stations (see inventory.h). */
#include "io/inventory.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

const char *const lt_point_columns[] = {"id", "name", "lon", "lat", "height_m", "diameter_m",
                                        "velocity_ms", "temp_K", "sector", "county", "grade",
                                        "pm25_tpy"};
const int lt_point_ncolumns = 12;

const char *const lt_volume_columns[] = {"id", "name", "lon", "lat", "height_m", "sigma_y0_m",
                                         "sigma_z0_m", "sector", "county", "grade", "pm25_tpy"};
const int lt_volume_ncolumns = 11;

const char *const lt_area_columns[] = {"id", "name", "polygon", "height_m", "sigma_z0_m",
                                       "sector", "county", "grade", "pm25_tpy"};
const int lt_area_ncolumns = 9;

static const char *const station_columns[] = {"id", "name", "lon", "lat", "county"};

void lt_points_free(lt_point *pts, size_t n)
{
    if (!pts)
        return;
    for (size_t i = 0; i < n; i++) {
        free(pts[i].vlon);
        free(pts[i].vlat);
        free(pts[i].vx);
        free(pts[i].vy);
    }
    free(pts);
}

/* Column `col` = "lon lat; lon lat; ..." into p's vertex arrays (at least
 * `min` vertices, at most 256); lon/lat set to their mean. */
/* Orientation of c against the line a->b: +1, -1, or 0 when in a row. */
static int orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    double d = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    double scale = fabs(bx - ax) + fabs(by - ay) + fabs(cx - ax) + fabs(cy - ay);
    return d > 1e-14 * scale * scale ? 1 : d < -1e-14 * scale * scale ? -1 : 0;
}

/* 1 when c lies on segment a-b (in a row with it). */
static int on_segment(double ax, double ay, double bx, double by, double cx, double cy)
{
    return fmin(ax, bx) <= cx && cx <= fmax(ax, bx) && fmin(ay, by) <= cy && cy <= fmax(ay, by);
}

int lt_polygon_crossing(const double *x, const double *y, int n, int *ei, int *ej)
{
    /* every pair of edges that share no vertex: the segments intersect when
     * each straddles the other's line, or one's end lies on the other
     * (Cormen et al., Introduction to Algorithms, section 33.1) */
    for (int i = 0; i < n; i++) {
        int i1 = (i + 1) % n;
        for (int j = i + 1; j < n; j++) {
            int j1 = (j + 1) % n;
            if (j == i1 || j1 == i)
                continue; /* neighbours meet at their shared vertex */
            int d1 = orient(x[j], y[j], x[j1], y[j1], x[i], y[i]);
            int d2 = orient(x[j], y[j], x[j1], y[j1], x[i1], y[i1]);
            int d3 = orient(x[i], y[i], x[i1], y[i1], x[j], y[j]);
            int d4 = orient(x[i], y[i], x[i1], y[i1], x[j1], y[j1]);
            int cross = d1 * d2 < 0 && d3 * d4 < 0;
            cross |= !d1 && on_segment(x[j], y[j], x[j1], y[j1], x[i], y[i]);
            cross |= !d2 && on_segment(x[j], y[j], x[j1], y[j1], x[i1], y[i1]);
            cross |= !d3 && on_segment(x[i], y[i], x[i1], y[i1], x[j], y[j]);
            cross |= !d4 && on_segment(x[i], y[i], x[i1], y[i1], x[j1], y[j1]);
            if (cross) {
                *ei = i;
                *ej = j;
                return 1;
            }
        }
    }
    return 0;
}

static int parse_vertices(const lt_csv *c, size_t r, const char *col, int min, lt_point *p,
                          lt_error *err)
{
    const char *s = lt_csv_field(c, r, lt_csv_column(c, col));
    int cap = 1;
    for (const char *t = s; *t; t++)
        cap += *t == ';';
    p->vlon = malloc((size_t)cap * sizeof *p->vlon);
    p->vlat = malloc((size_t)cap * sizeof *p->vlat);
    p->vx = malloc((size_t)cap * sizeof *p->vx);
    p->vy = malloc((size_t)cap * sizeof *p->vy);
    if (!p->vlon || !p->vlat || !p->vx || !p->vy)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    const char *t = s;
    p->nvert = 0;
    double sx = 0, sy = 0;
    while (*t) {
        char *end;
        double lon = strtod(t, &end);
        if (end == t)
            break;
        t = end;
        double lat = strtod(t, &end);
        if (end == t || !isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90)
            break;
        t = end;
        while (*t == ' ' || *t == '\t')
            t++;
        if (*t == ';')
            t++;
        else if (*t)
            break;
        p->vlon[p->nvert] = lon;
        p->vlat[p->nvert] = lat;
        sx += lon;
        sy += lat;
        p->nvert++;
    }
    if (*t || p->nvert < min || p->nvert > 256)
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: column '%s' = '%.60s': expected %d to 256 vertices as 'lon lat; lon lat; ...' in degrees",
                            lt_csv_path(c), lt_csv_line(c, r), col, s, min);
    p->lon = sx / p->nvert;
    p->lat = sy / p->nvert;
    int ei, ej;
    if (min >= 3 && lt_polygon_crossing(p->vlon, p->vlat, p->nvert, &ei, &ej))
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: column '%s': edges %d and %d of the polygon cross: expected a simple polygon (its "
                            "vertices in order around it, no figure of eight)",
                            lt_csv_path(c), lt_csv_line(c, r), col, ei + 1, ej + 1);
    return LT_OK;
}

/* Optional species columns: absent means zero. Roads give them per km
 * (so2_tpy_per_km ...), kept per km in p until the segments are cut. PM10
 * includes PM2.5: absent it is PM2.5 (no coarse part), below it an error. The
 * in-stack NO2/NOx ratio (no2_nox, a fraction) is NaN when absent. */
static int read_species(const lt_csv *c, size_t r, lt_point *p, lt_error *err)
{
    static const char *const names[] = {"so2_tpy", "nox_tpy", "nh3_tpy", "voc_tpy", "co_tpy", "pm10_tpy"};
    static const char *const per_km[] = {"so2_tpy_per_km", "nox_tpy_per_km", "nh3_tpy_per_km",
                                         "voc_tpy_per_km", "co_tpy_per_km", "pm10_tpy_per_km"};
    double *dst[] = {&p->so2_tpy, &p->nox_tpy, &p->nh3_tpy, &p->voc_tpy, &p->co_tpy, &p->pm10_tpy};
    for (int i = 0; i < 6; i++) {
        const char *col = p->road ? per_km[i] : names[i];
        *dst[i] = i == 5 ? NAN : 0.0;
        if (lt_csv_column(c, col) < 0)
            continue;
        int rc = lt_csv_double(c, r, col, 0, 1e7,
                               p->road ? "an emission in t/yr per km from 0 to 1e7" : "an emission in t/yr from 0 to 1e7",
                               dst[i], err);
        if (rc)
            return rc;
    }
    p->no2_ratio = NAN;
    if (lt_csv_column(c, "no2_nox") >= 0 && lt_csv_field(c, r, lt_csv_column(c, "no2_nox"))[0]) {
        int rc = lt_csv_double(c, r, "no2_nox", 0, 1, "an in-stack NO2/NOx mass ratio from 0 to 1", &p->no2_ratio, err);
        if (rc)
            return rc;
    }
    return LT_OK;
}

/* PM10 (read into p->pm10_tpy, NaN when absent) against PM2.5 (pm25, the
 * same units): PM2.5 when absent, an error when below it. */
static int check_pm10(const lt_csv *c, size_t r, lt_point *p, double pm25, lt_error *err)
{
    if (isnan(p->pm10_tpy)) {
        p->pm10_tpy = pm25;
        return LT_OK;
    }
    if (p->pm10_tpy < pm25 * (1.0 - 1e-9))
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: column '%s' = '%s' is below '%s' = %g: expected PM10 to include PM2.5 "
                            "(PM10 >= PM2.5)",
                            lt_csv_path(c), lt_csv_line(c, r), p->road ? "pm10_tpy_per_km" : "pm10_tpy",
                            lt_csv_field(c, r, lt_csv_column(c, p->road ? "pm10_tpy_per_km" : "pm10_tpy")),
                            p->road ? "pm25_tpy_per_km" : "pm25_tpy", pm25);
    return LT_OK;
}

/* The sector (one of cfg's) and enterprise grade (A-D, or empty/- for none)
 * of the source on p->line. */
static int classify(const lt_csv *c, const lt_config *cfg, const char *sector, const char *grade,
                    lt_point *p, lt_error *err)
{
    p->sector = lt_config_sector_index(cfg, sector);
    if (p->sector < 0) {
        char list[LT_MAX_SECTORS * LT_NAME_MAX + 64] = "";
        for (int i = 0; i < cfg->nsectors; i++) {
            if (i)
                strcat(list, ", ");
            strcat(list, cfg->sectors[i]);
        }
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: column 'sector' = '%s': expected one of the sectors of "
                            "[sources] sectors: %s",
                            lt_csv_path(c), p->line, sector, list);
    }
    if (grade[0] == '\0' || strcmp(grade, "-") == 0)
        p->grade = '-';
    else if (strlen(grade) == 1 && grade[0] >= 'A' && grade[0] <= 'D')
        p->grade = grade[0];
    else
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: column 'grade' = '%s': expected A, B, C, D, or empty/- when not graded",
                            lt_csv_path(c), p->line, grade);
    return LT_OK;
}

static int read_point(const lt_csv *c, size_t r, const lt_config *cfg, lt_source_kind kind,
                      lt_point *p, lt_error *err)
{
    char sector[64], grade[8];
    int rc;
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->line = lt_csv_line(c, r);
    if ((rc = lt_csv_string(c, r, "id", 1, p->id, sizeof p->id, err)) ||
        (rc = lt_csv_string(c, r, "name", 0, p->name, sizeof p->name, err)))
        return rc;
    if (kind == LT_SRC_AREA) {
        if ((rc = parse_vertices(c, r, "polygon", 3, p, err)))
            return rc;
    } else if ((rc = lt_csv_double(c, r, "lon", -180, 180, "a longitude in degrees east (-180 to 180)", &p->lon, err)) ||
               (rc = lt_csv_double(c, r, "lat", -90, 90, "a latitude in degrees north (-90 to 90)", &p->lat, err)))
        return rc;
    if ((rc = lt_csv_double(c, r, "height_m", 0, 700, "a release height in metres from 0 to 700", &p->height_m, err)) ||
        (rc = lt_csv_string(c, r, "sector", 1, sector, sizeof sector, err)) ||
        (rc = lt_csv_string(c, r, "county", 0, p->county, sizeof p->county, err)) ||
        (rc = lt_csv_string(c, r, "grade", 0, grade, sizeof grade, err)) ||
        (rc = lt_csv_double(c, r, "pm25_tpy", 0, 1e6, "an emission in t/yr from 0 to 1e6", &p->pm25_tpy, err)) ||
        (rc = read_species(c, r, p, err)) || (rc = check_pm10(c, r, p, p->pm25_tpy, err)))
        return rc;
    if (kind == LT_SRC_AREA) {
        if ((rc = lt_csv_double(c, r, "sigma_z0_m", 0, 1000, "an initial vertical spread in metres from 0 to 1000", &p->sigma_z0_m, err)))
            return rc;
    } else if (kind == LT_SRC_VOLUME) {
        if ((rc = lt_csv_double(c, r, "sigma_y0_m", 0, 5000, "an initial lateral spread in metres from 0 to 5000", &p->sigma_y0_m, err)) ||
            (rc = lt_csv_double(c, r, "sigma_z0_m", 0, 1000, "an initial vertical spread in metres from 0 to 1000", &p->sigma_z0_m, err)))
            return rc;
    } else if ((rc = lt_csv_double(c, r, "diameter_m", 0, 50, "a stack diameter in metres from 0 to 50", &p->diameter_m, err)) ||
        (rc = lt_csv_double(c, r, "velocity_ms", 0, 100, "an exit velocity in m/s from 0 to 100", &p->velocity_ms, err)) ||
               (rc = lt_csv_double(c, r, "temp_K", -1e9, 2000, "an exit temperature in K up to 2000 (<= 0 for ambient)", &p->temp_K, err)))
        return rc;
    if (p->temp_K > 0 && p->temp_K < 150)
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: column 'temp_K' = '%s': expected an exit temperature in K "
                            "(>= 150) or <= 0 for ambient; was it given in degrees C?",
                            lt_csv_path(c), p->line,
                            lt_csv_field(c, r, lt_csv_column(c, "temp_K")));
    return classify(c, cfg, sector, grade, p, err);
}

/* Reads a source file of the given kind and appends its rows to *pts. */
static int sources_read(const char *path, const lt_config *cfg, lt_source_kind kind,
                        lt_point **pts, size_t *n, lt_error *err)
{
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    if ((rc = kind == LT_SRC_VOLUME ? lt_csv_require(c, lt_volume_columns, lt_volume_ncolumns, err)
              : kind == LT_SRC_AREA ? lt_csv_require(c, lt_area_columns, lt_area_ncolumns, err)
                                    : lt_csv_require(c, lt_point_columns, lt_point_ncolumns, err)))
        goto done;
    size_t nr = lt_csv_rows(c), n0 = *n;
    if (nr == 0) {
        rc = lt_error_set(err, LT_EINPUT, "%s: no sources: expected at least one data row", path);
        goto done;
    }
    lt_point *p = realloc(*pts, (n0 + nr) * sizeof *p);
    if (!p) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    *pts = p;
    for (size_t r = 0; r < nr; r++)
        memset(&p[n0 + r], 0, sizeof *p); /* so that a failure frees only what exists */
    *n = n0 + nr;                          /* the caller frees all rows on failure */
    for (size_t r = 0; r < nr && !rc; r++) {
        lt_point *q = &p[n0 + r];
        if ((rc = read_point(c, r, cfg, kind, q, err)))
            break;
        for (size_t k = 0; k < n0 + r; k++)
            if (strcmp(p[k].id, q->id) == 0) {
                rc = lt_error_set(err, LT_EINPUT,
                                  "%s:%d: column 'id' = '%s': expected a unique id (already used%s%d)",
                                  path, q->line, q->id, k < n0 ? " in the point sources, line " : " on line ",
                                  p[k].line);
                break;
            }
    }
done:
    lt_csv_close(&c);
    return rc;
}

int lt_points_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                   lt_error *err)
{
    *pts = NULL;
    *n = 0;
    int rc = sources_read(path, cfg, LT_SRC_STACK, pts, n, err);
    if (rc) {
        lt_points_free(*pts, *n);
        *pts = NULL;
        *n = 0;
    }
    return rc;
}

int lt_areas_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                  lt_error *err)
{
    return sources_read(path, cfg, LT_SRC_AREA, pts, n, err);
}

const char *const lt_road_columns[] = {"id", "name", "polyline", "width_m", "height_m", "sigma_z0_m",
                                       "sector", "county", "grade", "pm25_tpy_per_km"};
const int lt_road_ncolumns = 10;

#define EARTH_R_M 6371008.8

int lt_roads_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                  lt_error *err)
{
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    if ((rc = lt_csv_require(c, lt_road_columns, lt_road_ncolumns, err)))
        goto done;
    if (lt_csv_rows(c) == 0) {
        rc = lt_error_set(err, LT_EINPUT, "%s: no roads: expected at least one data row", path);
        goto done;
    }
    size_t n_before = *n;
    for (size_t r = 0; r < lt_csv_rows(c) && !rc; r++) {
        /* the row's fields, read once through a template point */
        lt_point t;
        char sector[64], grade[8];
        double width, rate;
        memset(&t, 0, sizeof t);
        t.kind = LT_SRC_AREA;
        t.road = 1;
        t.line = lt_csv_line(c, r);
        if ((rc = lt_csv_string(c, r, "id", 1, t.id, sizeof t.id, err)) ||
            (rc = lt_csv_string(c, r, "name", 0, t.name, sizeof t.name, err)) ||
            (rc = lt_csv_double(c, r, "width_m", 0.5, 200, "a road width in metres from 0.5 to 200", &width, err)) ||
            (rc = lt_csv_double(c, r, "height_m", 0, 50, "a release height in metres from 0 to 50", &t.height_m, err)) ||
            (rc = lt_csv_double(c, r, "sigma_z0_m", 0, 100, "an initial vertical spread in metres from 0 to 100", &t.sigma_z0_m, err)) ||
            (rc = lt_csv_string(c, r, "sector", 1, sector, sizeof sector, err)) ||
            (rc = lt_csv_string(c, r, "county", 0, t.county, sizeof t.county, err)) ||
            (rc = lt_csv_string(c, r, "grade", 0, grade, sizeof grade, err)) ||
            (rc = lt_csv_double(c, r, "pm25_tpy_per_km", 0, 1e5, "an emission in t/yr per km from 0 to 1e5", &rate, err)) ||
            (rc = read_species(c, r, &t, err)) || (rc = check_pm10(c, r, &t, rate, err)))
            break;
        if ((rc = classify(c, cfg, sector, grade, &t, err)))
            break;
        for (size_t k = 0; k < n_before; k++)
            if (!strcmp((*pts)[k].id, t.id)) {
                rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'id' = '%s': expected a unique id (already used by another source)",
                                  path, t.line, t.id);
                break;
            }
        for (size_t k = n_before; k < *n && !rc; k++)
            if (!strcmp((*pts)[k].id, t.id) && (*pts)[k].line != t.line)
                rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'id' = '%s': expected a unique road id (line %d has it)",
                                  path, t.line, t.id, (*pts)[k].line);
        if (rc)
            break;
        /* the polyline */
        lt_point line;
        memset(&line, 0, sizeof line);
        if ((rc = parse_vertices(c, r, "polyline", 2, &line, err))) {
            free(line.vlon);
            free(line.vlat);
            free(line.vx);
            free(line.vy);
            break;
        }
        lt_point *np = realloc(*pts, (*n + (size_t)line.nvert - 1) * sizeof *np);
        if (!np) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        } else {
            *pts = np;
            for (int k = 0; k + 1 < line.nvert && !rc; k++) {
                /* a rectangle of the road's width around the segment, on the local plane */
                double lat0 = 0.5 * (line.vlat[k] + line.vlat[k + 1]) * 3.14159265358979323846 / 180.0;
                double mx = EARTH_R_M * cos(lat0) * 3.14159265358979323846 / 180.0, my = EARTH_R_M * 3.14159265358979323846 / 180.0;
                double dx = (line.vlon[k + 1] - line.vlon[k]) * mx, dy = (line.vlat[k + 1] - line.vlat[k]) * my;
                double len = hypot(dx, dy);
                if (len < 1.0)
                    continue; /* a repeated vertex */
                double ox = -dy / len * 0.5 * width / mx, oy = dx / len * 0.5 * width / my;
                lt_point *q = &(*pts)[*n];
                *q = t;
                q->nvert = 4;
                q->vlon = malloc(4 * sizeof *q->vlon);
                q->vlat = malloc(4 * sizeof *q->vlat);
                q->vx = malloc(4 * sizeof *q->vx);
                q->vy = malloc(4 * sizeof *q->vy);
                (*n)++;
                if (!q->vlon || !q->vlat || !q->vx || !q->vy) {
                    rc = lt_error_set(err, LT_ENOMEM, "out of memory");
                    break;
                }
                const double sx[4] = {ox, ox, -ox, -ox}, sy[4] = {oy, oy, -oy, -oy};
                const int end[4] = {0, 1, 1, 0};
                for (int v = 0; v < 4; v++) {
                    q->vlon[v] = line.vlon[k + end[v]] + sx[v];
                    q->vlat[v] = line.vlat[k + end[v]] + sy[v];
                }
                q->lon = 0.5 * (line.vlon[k] + line.vlon[k + 1]);
                q->lat = 0.5 * (line.vlat[k] + line.vlat[k + 1]);
                q->pm25_tpy = rate * len / 1000.0;
                q->so2_tpy = t.so2_tpy * len / 1000.0;
                q->nox_tpy = t.nox_tpy * len / 1000.0;
                q->nh3_tpy = t.nh3_tpy * len / 1000.0;
                q->voc_tpy = t.voc_tpy * len / 1000.0;
                q->co_tpy = t.co_tpy * len / 1000.0;
                q->pm10_tpy = t.pm10_tpy * len / 1000.0;
                q->no2_ratio = t.no2_ratio;
            }
        }
        free(line.vlon);
        free(line.vlat);
        free(line.vx);
        free(line.vy);
    }
done:
    lt_csv_close(&c);
    return rc;
}

int lt_volumes_read(const char *path, const lt_config *cfg, lt_point **pts, size_t *n,
                    lt_error *err)
{
    return sources_read(path, cfg, LT_SRC_VOLUME, pts, n, err);
}

int lt_stations_read(const char *path, lt_station **st, size_t *n, lt_error *err)
{
    *st = NULL;
    *n = 0;
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    if ((rc = lt_csv_require(c, station_columns, 5, err)))
        goto done;
    size_t nr = lt_csv_rows(c);
    if (nr == 0) {
        rc = lt_error_set(err, LT_EINPUT, "%s: no stations: expected at least one data row", path);
        goto done;
    }
    lt_station *s = calloc(nr, sizeof *s);
    if (!s) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < nr && !rc; r++) {
        lt_station *t = &s[r];
        if ((rc = lt_csv_string(c, r, "id", 1, t->id, sizeof t->id, err)) ||
            (rc = lt_csv_string(c, r, "name", 0, t->name, sizeof t->name, err)) ||
            (rc = lt_csv_double(c, r, "lon", -180, 180, "a longitude in degrees east (-180 to 180)", &t->lon, err)) ||
            (rc = lt_csv_double(c, r, "lat", -90, 90, "a latitude in degrees north (-90 to 90)", &t->lat, err)) ||
            (rc = lt_csv_string(c, r, "county", 0, t->county, sizeof t->county, err)) ||
            (rc = lt_csv_string(c, r, "code", 0, t->code, sizeof t->code, err)) ||
            (rc = lt_csv_string(c, r, "city", 0, t->city, sizeof t->city, err)))
            break;
        for (size_t q = 0; q < r; q++)
            if (strcmp(s[q].id, t->id) == 0 || (t->code[0] && strcmp(s[q].code, t->code) == 0)) {
                int same_id = strcmp(s[q].id, t->id) == 0;
                rc = lt_error_set(err, LT_EINPUT,
                                  "%s:%d: column '%s' = '%s': expected a unique station %s (line %d has it too)",
                                  path, lt_csv_line(c, r), same_id ? "id" : "code", same_id ? t->id : t->code,
                                  same_id ? "id" : "code", lt_csv_line(c, q));
                break;
            }
    }
    if (rc) {
        free(s);
        goto done;
    }
    *st = s;
    *n = nr;
done:
    lt_csv_close(&c);
    return rc;
}
