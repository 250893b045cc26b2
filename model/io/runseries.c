/* runseries.c — reading a run's station series back (see runseries.h). */
#include "io/runseries.h"
#include "core/lt_time.h"

#include <math.h>
#include <netcdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lt_nc_time_origin(int nc, double *origin)
{
    int vt;
    size_t ul = 0;
    char units[128], day[16], hms[16], iso[40];
    if (nc_inq_varid(nc, "time", &vt) || nc_inq_attlen(nc, vt, "units", &ul) || ul >= sizeof units ||
        nc_get_att_text(nc, vt, "units", units))
        return 0;
    units[ul] = '\0';
    if (sscanf(units, "hours since %10s %8s", day, hms) != 2)
        return 0;
    snprintf(iso, sizeof iso, "%sT%sZ", day, hms);
    return !lt_parse_iso8601(iso, origin);
}

int lt_run_stem(const char *run, char *out, size_t n)
{
    size_t len = strlen(run);
    static const char *const tails[] = {"_stations.nc", "_daily.nc", "_period.nc", ".nc"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t tl = strlen(tails[i]);
        if (len >= tl && !strcmp(run + len - tl, tails[i])) {
            len -= tl;
            break;
        }
    }
    return snprintf(out, n, "%.*s", (int)len, run) < (int)n ? 0 : -1;
}

/* RUN.nc, RUN_daily.nc, RUN_period.nc -> RUN_stations.nc. */
static int stations_path(const char *run, char *out, size_t n)
{
    char stem[4096];
    if (lt_run_stem(run, stem, sizeof stem))
        return -1;
    return snprintf(out, n, "%s_stations.nc", stem) < (int)n ? 0 : -1;
}

/* Labels (dim, strlen) of variable name into each station's field at offset off. */
static int get_labels(int nc, const char *name, size_t n, lt_rs_station *st, size_t off, int required,
                      const char *path, lt_error *err)
{
    int v, nd, dims[2];
    size_t len = 0;
    if (nc_inq_varid(nc, name, &v)) {
        if (required)
            return lt_error_set(err, LT_EINPUT, "%s: no variable '%s': expected a lantian stations file", path, name);
        return LT_OK;
    }
    if (nc_inq_varndims(nc, v, &nd) || nd != 2 || nc_inq_vardimid(nc, v, dims) || nc_inq_dimlen(nc, dims[1], &len))
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s': expected (station, strlen) characters", path, name);
    for (size_t i = 0; i < n; i++) {
        char *dst = (char *)&st[i] + off;
        size_t start[2] = {i, 0}, count[2] = {1, len < LT_RS_LABEL - 1 ? len : LT_RS_LABEL - 1};
        memset(dst, 0, LT_RS_LABEL);
        if (nc_get_vara_text(nc, v, start, count, dst))
            return lt_error_set(err, LT_EINPUT, "%s: cannot read variable '%s'", path, name);
    }
    return LT_OK;
}

static int get_doubles(int nc, const char *name, size_t count, double *out, const char *path, lt_error *err)
{
    int v;
    size_t total = 1, len;
    int nd, dims[NC_MAX_VAR_DIMS];
    if (nc_inq_varid(nc, name, &v))
        return lt_error_set(err, LT_EINPUT, "%s: no variable '%s': expected a lantian stations file", path, name);
    nc_inq_varndims(nc, v, &nd);
    nc_inq_vardimid(nc, v, dims);
    for (int d = 0; d < nd; d++) {
        nc_inq_dimlen(nc, dims[d], &len);
        total *= len;
    }
    if (total != count || nc_get_var_double(nc, v, out))
        return lt_error_set(err, LT_EINPUT, "%s: variable '%s': expected %zu values, found %zu", path, name, count, total);
    double fill;
    if (!nc_get_att_double(nc, v, "_FillValue", &fill))
        for (size_t i = 0; i < count; i++)
            if (out[i] == fill)
                out[i] = NAN;
    return LT_OK;
}

static int read_scenarios(int nc, lt_run_series *rs, lt_error *err)
{
    int d, v;
    if (nc_inq_dimid(nc, "scenario", &d) || nc_inq_varid(nc, "scenario_station_pm25", &v))
        return LT_OK;
    nc_inq_dimlen(nc, d, &rs->nscen);
    if (!rs->nscen)
        return LT_OK;
    rs->scen = calloc(rs->nscen, sizeof *rs->scen);
    rs->scen_pm25 = malloc(rs->nt * rs->nscen * rs->nst * sizeof *rs->scen_pm25);
    if (!rs->scen || !rs->scen_pm25)
        return lt_error_set(err, LT_ENOMEM, "out of memory for %zu scenarios", rs->nscen);
    int vn, dims[2];
    size_t len = 0;
    if (!nc_inq_varid(nc, "scenario_name", &vn) && !nc_inq_vardimid(nc, vn, dims) && !nc_inq_dimlen(nc, dims[1], &len))
        for (size_t s = 0; s < rs->nscen; s++) {
            size_t start[2] = {s, 0}, count[2] = {1, len < LT_RS_LABEL - 1 ? len : LT_RS_LABEL - 1};
            nc_get_vara_text(nc, vn, start, count, rs->scen[s]);
        }
    return get_doubles(nc, "scenario_station_pm25", rs->nt * rs->nscen * rs->nst, rs->scen_pm25, rs->path, err);
}

/* The source tags and their series at the stations (optional). */
static int read_tags(int nc, lt_run_series *rs, lt_error *err)
{
    int d, v, vn, dims[2];
    size_t len = 0;
    if (nc_inq_dimid(nc, "source", &d) || nc_inq_varid(nc, "station_pm25_src", &v))
        return LT_OK;
    nc_inq_dimlen(nc, d, &rs->ntag);
    rs->tag = calloc(rs->ntag + 1, sizeof *rs->tag);
    rs->src = malloc((rs->nt * rs->ntag * rs->nst + 1) * sizeof *rs->src);
    if (!rs->tag || !rs->src)
        return lt_error_set(err, LT_ENOMEM, "out of memory for %zu source tags", rs->ntag);
    if (!nc_inq_varid(nc, "source_name", &vn) && !nc_inq_vardimid(nc, vn, dims) && !nc_inq_dimlen(nc, dims[1], &len))
        for (size_t s = 0; s < rs->ntag; s++) {
            size_t start[2] = {s, 0}, count[2] = {1, len < LT_RS_LABEL - 1 ? len : LT_RS_LABEL - 1};
            nc_get_vara_text(nc, vn, start, count, rs->tag[s]);
        }
    int rc = get_doubles(nc, "station_pm25_src", rs->nt * rs->ntag * rs->nst, rs->src, rs->path, err);
    if (!rc && rs->nscen && !nc_inq_varid(nc, "scenario_station_pm25_src", &v)) {
        if (!(rs->scen_src = malloc(rs->nt * rs->nscen * rs->ntag * rs->nst * sizeof *rs->scen_src)))
            return lt_error_set(err, LT_ENOMEM, "out of memory for the scenarios' source tags");
        rc = get_doubles(nc, "scenario_station_pm25_src", rs->nt * rs->nscen * rs->ntag * rs->nst, rs->scen_src,
                         rs->path, err);
    }
    return rc;
}

/* The hours' starts from time_bnds (or time - 0.5 h). */
static int read_times(int nc, lt_run_series *rs, lt_error *err)
{
    double origin;
    if (!lt_nc_time_origin(nc, &origin))
        return lt_error_set(err, LT_EINPUT, "%s: variable 'time': expected units 'hours since YYYY-MM-DD hh:mm:ss'",
                            rs->path);
    double *tb = malloc(2 * rs->nt * sizeof *tb);
    if (!tb)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int rc = get_doubles(nc, "time_bnds", 2 * rs->nt, tb, rs->path, err);
    for (size_t t = 0; t < rs->nt && !rc; t++)
        rs->t_start[t] = origin + 3600.0 * tb[2 * t];
    free(tb);
    return rc;
}

int lt_run_series_read(const char *run, lt_run_series *rs, lt_error *err)
{
    memset(rs, 0, sizeof *rs);
    if (stations_path(run, rs->path, sizeof rs->path))
        return lt_error_set(err, LT_EINPUT, "%s: path too long", run);
    int nc, st = nc_open(rs->path, NC_NOWRITE, &nc);
    if (st)
        return lt_error_set(err, LT_EIO, "%s: cannot open the run's station series (%s): expected the file a run "
                            "with [receptors] stations writes beside %s", rs->path, nc_strerror(st), run);
    int dt, ds, rc = LT_OK;
    if (nc_inq_dimid(nc, "time", &dt) || nc_inq_dimid(nc, "station", &ds)) {
        rc = lt_error_set(err, LT_EINPUT, "%s: no dimensions time and station: expected a lantian stations file", rs->path);
        goto done;
    }
    nc_inq_dimlen(nc, dt, &rs->nt);
    nc_inq_dimlen(nc, ds, &rs->nst);
    if (!rs->nt || !rs->nst) {
        rc = lt_error_set(err, LT_EINPUT, "%s: %zu hours and %zu stations: expected at least one of each", rs->path,
                          rs->nt, rs->nst);
        goto done;
    }
    rs->t_start = malloc(rs->nt * sizeof *rs->t_start);
    rs->st = calloc(rs->nst, sizeof *rs->st);
    rs->pm25 = malloc(rs->nt * rs->nst * sizeof *rs->pm25);
    double *ll = malloc(rs->nst * sizeof *ll);
    if (!rs->t_start || !rs->st || !rs->pm25 || !ll) {
        free(ll);
        rc = lt_error_set(err, LT_ENOMEM, "out of memory for %zu hours x %zu stations", rs->nt, rs->nst);
        goto done;
    }
    if (!(rc = get_labels(nc, "station_id", rs->nst, rs->st, offsetof(lt_rs_station, id), 1, rs->path, err)) &&
        !(rc = get_labels(nc, "station_name", rs->nst, rs->st, offsetof(lt_rs_station, name), 0, rs->path, err)) &&
        !(rc = get_labels(nc, "station_county", rs->nst, rs->st, offsetof(lt_rs_station, county), 0, rs->path, err)) &&
        !(rc = get_labels(nc, "station_code", rs->nst, rs->st, offsetof(lt_rs_station, code), 0, rs->path, err)) &&
        !(rc = get_labels(nc, "station_city", rs->nst, rs->st, offsetof(lt_rs_station, city), 0, rs->path, err)) &&
        !(rc = get_doubles(nc, "station_lon", rs->nst, ll, rs->path, err))) {
        for (size_t i = 0; i < rs->nst; i++)
            rs->st[i].lon = ll[i];
        if (!(rc = get_doubles(nc, "station_lat", rs->nst, ll, rs->path, err)))
            for (size_t i = 0; i < rs->nst; i++)
                rs->st[i].lat = ll[i];
    }
    free(ll);
    if (!rc && !(rc = read_times(nc, rs, err)) &&
        !(rc = get_doubles(nc, "station_pm25", rs->nt * rs->nst, rs->pm25, rs->path, err)))
        if (!(rc = read_scenarios(nc, rs, err)))
            rc = read_tags(nc, rs, err);
    size_t al = 0;
    if (!rc && !nc_inq_attlen(nc, NC_GLOBAL, "lantian_aqi_rules", &al) && al < LT_RS_LABEL)
        nc_get_att_text(nc, NC_GLOBAL, "lantian_aqi_rules", rs->aqi_rules);
done:
    nc_close(nc);
    if (rc)
        lt_run_series_free(rs);
    return rc;
}

void lt_run_series_free(lt_run_series *rs)
{
    free(rs->t_start);
    free(rs->st);
    free(rs->pm25);
    free(rs->scen);
    free(rs->scen_pm25);
    free(rs->tag);
    free(rs->src);
    free(rs->scen_src);
    rs->tag = NULL;
    rs->src = rs->scen_src = NULL;
    rs->t_start = rs->pm25 = rs->scen_pm25 = NULL;
    rs->st = NULL;
    rs->scen = NULL;
}
