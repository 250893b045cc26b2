/* obs.c — observation readers (see obs.h). */
#include "io/obs.h"
#include "core/lt_time.h"
#include "io/csv.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct obs_value {
    double t_s;        /* start of the hour or local day, UTC s */
    size_t order;      /* reading order, to keep the first of duplicates */
    double value;
    int st;
    short pol;
    short daily;
} obs_value;

struct lt_obs {
    lt_obs_station *st;
    size_t nst, capst;
    obs_value *v;
    size_t nv, capv;
    lt_obs_counts counts;
    int finished;
};

static const char *const pol_names[LT_OBS_NPOL] = {"pm25", "pm10", "so2", "no2", "co", "o3", "o3_8h"};

const char *lt_obs_pollutant_name(int pol) { return pol >= 0 && pol < LT_OBS_NPOL ? pol_names[pol] : "?"; }

const char *lt_obs_pollutant_units(int pol) { return pol == LT_OBS_CO ? "mg m-3" : "ug m-3"; }

int lt_obs_pollutant_index(const char *name)
{
    char low[16];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof low; p++)
        if (*p != '.' && *p != '_' && *p != ' ')
            low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    static const char *const squeezed[LT_OBS_NPOL] = {"pm25", "pm10", "so2", "no2", "co", "o3", "o38h"};
    for (int i = 0; i < LT_OBS_NPOL; i++)
        if (!strcmp(low, squeezed[i]))
            return i;
    return -1;
}

int lt_obs_create(lt_obs **obs, lt_error *err)
{
    *obs = calloc(1, sizeof **obs);
    if (!*obs)
        return lt_error_set(err, LT_ENOMEM, "out of memory for observations");
    return LT_OK;
}

void lt_obs_free(lt_obs **obs)
{
    if (!*obs)
        return;
    free((*obs)->st);
    free((*obs)->v);
    free(*obs);
    *obs = NULL;
}

/* The station with this code, added with the metadata given when new. */
static int station_of(lt_obs *o, const char *code, const char *name, const char *city, double lon, double lat,
                      lt_error *err)
{
    long i = lt_obs_find_station(o, code);
    if (i >= 0)
        return (int)i;
    if (o->nst == o->capst) {
        size_t cap = o->capst ? 2 * o->capst : 64;
        lt_obs_station *ns = realloc(o->st, cap * sizeof *ns);
        if (!ns)
            return -lt_error_set(err, LT_ENOMEM, "out of memory for observation stations");
        o->st = ns;
        o->capst = cap;
    }
    lt_obs_station *s = &o->st[o->nst];
    memset(s, 0, sizeof *s);
    snprintf(s->code, sizeof s->code, "%s", code);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->city, sizeof s->city, "%s", city);
    s->lon = lon;
    s->lat = lat;
    return (int)o->nst++;
}

static int add_value(lt_obs *o, int st, int pol, int daily, double t_s, double value, lt_error *err)
{
    if (o->nv == o->capv) {
        size_t cap = o->capv ? 2 * o->capv : 4096;
        obs_value *nv = realloc(o->v, cap * sizeof *nv);
        if (!nv)
            return lt_error_set(err, LT_ENOMEM, "out of memory for %zu observations", cap);
        o->v = nv;
        o->capv = cap;
    }
    o->v[o->nv] = (obs_value){t_s, o->nv, value, st, (short)pol, (short)daily};
    o->nv++;
    o->finished = 0;
    return LT_OK;
}

static int is_missing(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return !*s || !strcmp(s, "-") || !strcmp(s, "\xE2\x80\x94") || !strcasecmp(s, "NA") ||
           !strcasecmp(s, "NaN") || !strcmp(s, "--");
}

/* One value field: 0 and *v (NaN for missing) on success; an error naming
 * file, line, column and value when it is no number. Negative values are
 * counted and returned as NaN. */
static int value_field(lt_obs *o, const lt_csv *c, size_t r, int col, const char *colname, double *v,
                       lt_error *err)
{
    const char *s = lt_csv_field(c, r, col);
    *v = NAN;
    if (is_missing(s)) {
        o->counts.missing++;
        return LT_OK;
    }
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end || errno || !isfinite(x))
        return lt_error_set(err, LT_EINPUT, "%s:%d: column '%s' = '%s': expected a concentration (a number, or empty when missing)",
                            lt_csv_path(c), lt_csv_line(c, r), colname, s);
    if (x < 0) {
        o->counts.negative++;
        return LT_OK;
    }
    *v = x;
    return LT_OK;
}

static double num_or_nan(const char *s)
{
    char *end;
    double x = strtod(s, &end);
    return end != s && !*end && isfinite(x) ? x : NAN;
}

/* The CNEMC columns: hourly values and, in rows stamped 00:00, the day before's means. */
static const struct {
    const char *col;
    int pol, daily;
} cnemc_cols[] = {
    {"pm2_5", LT_OBS_PM25, 0}, {"pm10", LT_OBS_PM10, 0},     {"so2", LT_OBS_SO2, 0},
    {"no2", LT_OBS_NO2, 0},    {"co", LT_OBS_CO, 0},         {"o3_24h", LT_OBS_O3, 0}, /* swapped: the 1-h O3 */
    {"pm2_5_24h", LT_OBS_PM25, 1}, {"pm10_24h", LT_OBS_PM10, 1}, {"so2_24h", LT_OBS_SO2, 1},
    {"no2_24h", LT_OBS_NO2, 1},    {"co_24h", LT_OBS_CO, 1},     {"o3", LT_OBS_O3, 1}, /* swapped: max 1-h of 24 h */
    {"o3_8h", LT_OBS_O3_8H, 1},
};

static int read_cnemc_row(lt_obs *o, const lt_csv *c, size_t r, const int *cols, lt_error *err)
{
    const char *tp = lt_csv_field(c, r, lt_csv_column(c, "timepoint"));
    double t_end;
    if (lt_parse_time_zoned(tp, LT_OBS_UTC_OFFSET_H, &t_end))
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'timepoint' = '%s': expected a time YYYY-MM-DDThh:mm:ss (China Standard Time, the end of the hour)",
                            lt_csv_path(c), lt_csv_line(c, r), tp);
    if (fmod(t_end, 3600.0) != 0)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'timepoint' = '%s': expected a whole hour",
                            lt_csv_path(c), lt_csv_line(c, r), tp);
    const char *code = lt_csv_field(c, r, lt_csv_column(c, "stationcode"));
    if (!*code || strlen(code) >= sizeof o->st->code)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'stationcode' = '%.40s': expected a station code of 1 to %zu bytes",
                            lt_csv_path(c), lt_csv_line(c, r), code, sizeof o->st->code - 1);
    int st = station_of(o, code, lt_csv_field(c, r, lt_csv_column(c, "positionname")),
                        lt_csv_field(c, r, lt_csv_column(c, "area")),
                        num_or_nan(lt_csv_field(c, r, lt_csv_column(c, "longitude"))),
                        num_or_nan(lt_csv_field(c, r, lt_csv_column(c, "latitude"))), err);
    if (st < 0)
        return -st;
    /* hour-ending 00:00 CST closes the day before: its 24-h columns are that day's means */
    double t_hour = t_end - 3600.0;
    int midnight = lt_local_day_start(t_end, LT_OBS_UTC_OFFSET_H) == t_end;
    double day_start = lt_local_day_start(t_hour, LT_OBS_UTC_OFFSET_H);
    for (size_t k = 0; k < sizeof cnemc_cols / sizeof *cnemc_cols; k++) {
        if (cols[k] < 0 || (cnemc_cols[k].daily && !midnight))
            continue;
        double v;
        int rc = value_field(o, c, r, cols[k], cnemc_cols[k].col, &v, err);
        if (rc)
            return rc;
        if (!isnan(v) && (rc = add_value(o, st, cnemc_cols[k].pol, cnemc_cols[k].daily,
                                         cnemc_cols[k].daily ? day_start : t_hour, v, err)))
            return rc;
    }
    return LT_OK;
}

static int read_cnemc(lt_obs *o, const lt_csv *c, lt_error *err)
{
    int cols[sizeof cnemc_cols / sizeof *cnemc_cols], any = 0;
    for (size_t k = 0; k < sizeof cnemc_cols / sizeof *cnemc_cols; k++)
        any |= (cols[k] = lt_csv_column(c, cnemc_cols[k].col)) >= 0;
    if (!any)
        return lt_error_set(err, LT_EINPUT, "%s: no pollutant column: expected the CNEMC columns pm2_5, pm10, so2, no2, co, o3, ...",
                            lt_csv_path(c));
    for (size_t r = 0; r < lt_csv_rows(c); r++) {
        int rc = read_cnemc_row(o, c, r, cols, err);
        if (rc)
            return rc;
    }
    return LT_OK;
}

static int read_long_row(lt_obs *o, const lt_csv *c, size_t r, int c_avg, lt_error *err)
{
    const char *code = lt_csv_field(c, r, lt_csv_column(c, "station"));
    const char *ts = lt_csv_field(c, r, lt_csv_column(c, "time"));
    const char *pn = lt_csv_field(c, r, lt_csv_column(c, "pollutant"));
    if (!*code || strlen(code) >= sizeof o->st->code)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'station' = '%.40s': expected a station code of 1 to %zu bytes",
                            lt_csv_path(c), lt_csv_line(c, r), code, sizeof o->st->code - 1);
    int pol = lt_obs_pollutant_index(pn);
    if (pol < 0)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'pollutant' = '%s': expected pm25, pm10, so2, no2, co, o3 or o3_8h",
                            lt_csv_path(c), lt_csv_line(c, r), pn);
    int daily = pol == LT_OBS_O3_8H;
    if (c_avg >= 0) {
        const char *a = lt_csv_field(c, r, c_avg);
        if (!strcmp(a, "day"))
            daily = 1;
        else if (strcmp(a, "hour") || pol == LT_OBS_O3_8H)
            return lt_error_set(err, LT_EINPUT, "%s:%d: column 'averaging' = '%s': expected %s", lt_csv_path(c),
                                lt_csv_line(c, r), a, pol == LT_OBS_O3_8H ? "day (o3_8h is a daily maximum)" : "hour or day");
    }
    double t;
    if (lt_parse_time_zoned(ts, LT_OBS_UTC_OFFSET_H, &t) || fmod(t, 3600.0) != 0)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'time' = '%s': expected the start of a whole hour, YYYY-MM-DDThh:mm[:ss] with a zone (Z, +08:00) or in China Standard Time",
                            lt_csv_path(c), lt_csv_line(c, r), ts);
    if (daily && lt_local_day_start(t, LT_OBS_UTC_OFFSET_H) != t)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'time' = '%s': expected the start of a day in China Standard Time (00:00+08:00) for a daily value",
                            lt_csv_path(c), lt_csv_line(c, r), ts);
    int st = station_of(o, code, "", "", NAN, NAN, err);
    if (st < 0)
        return -st;
    double v;
    int rc = value_field(o, c, r, lt_csv_column(c, "value"), "value", &v, err);
    if (!rc && !isnan(v))
        rc = add_value(o, st, pol, daily, t, v, err);
    return rc;
}

static int read_long(lt_obs *o, const lt_csv *c, lt_error *err)
{
    static const char *const need[] = {"station", "time", "pollutant", "value"};
    int rc = lt_csv_require(c, need, 4, err);
    int c_avg = lt_csv_column(c, "averaging");
    for (size_t r = 0; r < lt_csv_rows(c) && !rc; r++)
        rc = read_long_row(o, c, r, c_avg, err);
    return rc;
}

/* A station list (stationcode, and any of positionname, city or area,
 * longitude, latitude): metadata for the stations of long files. */
static int read_meta(lt_obs *o, const lt_csv *c, lt_error *err)
{
    int c_city = lt_csv_column(c, "city") >= 0 ? lt_csv_column(c, "city") : lt_csv_column(c, "area");
    for (size_t r = 0; r < lt_csv_rows(c); r++) {
        const char *code = lt_csv_field(c, r, lt_csv_column(c, "stationcode"));
        if (!*code || strlen(code) >= sizeof o->st->code)
            return lt_error_set(err, LT_EINPUT, "%s:%d: column 'stationcode' = '%.40s': expected a station code of 1 to %zu bytes",
                                lt_csv_path(c), lt_csv_line(c, r), code, sizeof o->st->code - 1);
        double lon = num_or_nan(lt_csv_field(c, r, lt_csv_column(c, "longitude")));
        double lat = num_or_nan(lt_csv_field(c, r, lt_csv_column(c, "latitude")));
        int st = station_of(o, code, lt_csv_field(c, r, lt_csv_column(c, "positionname")), lt_csv_field(c, r, c_city),
                            lon, lat, err);
        if (st < 0)
            return -st;
        lt_obs_station *s = &o->st[st];
        if (isnan(s->lon) && !isnan(lon)) {
            s->lon = lon;
            s->lat = lat;
        }
        if (!s->name[0])
            snprintf(s->name, sizeof s->name, "%s", lt_csv_field(c, r, lt_csv_column(c, "positionname")));
        if (!s->city[0])
            snprintf(s->city, sizeof s->city, "%s", lt_csv_field(c, r, c_city));
    }
    return LT_OK;
}

static int read_file(lt_obs *o, const char *path, lt_error *err)
{
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    size_t before = o->nv;
    if (lt_csv_column(c, "timepoint") >= 0 && lt_csv_column(c, "stationcode") >= 0)
        rc = read_cnemc(o, c, err);
    else if (lt_csv_column(c, "stationcode") >= 0)
        rc = read_meta(o, c, err);
    else if (lt_csv_column(c, "pollutant") >= 0 || lt_csv_column(c, "station") >= 0)
        rc = read_long(o, c, err);
    else
        rc = lt_error_set(err, LT_EINPUT, "%s: header: expected the CNEMC archive's columns (timepoint, stationcode, ...) or station,time,pollutant,value",
                          path);
    if (!rc) {
        o->counts.files++;
        o->counts.rows += lt_csv_rows(c);
    } else {
        o->nv = before;
    }
    lt_csv_close(&c);
    return rc;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every *.csv under dir, in name order. */
static int read_dir(lt_obs *o, const char *dir, int depth, lt_error *err)
{
    if (depth > 8)
        return lt_error_set(err, LT_EINPUT, "%s: folders nested deeper than 8 levels", dir);
    DIR *d = opendir(dir);
    if (!d)
        return lt_error_set(err, LT_EIO, "%s: cannot open the folder: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = LT_OK;
    for (struct dirent *e; (e = readdir(d)) && !rc;) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = lt_error_set(err, LT_ENOMEM, "out of memory listing %s", dir);
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name)))
            rc = lt_error_set(err, LT_ENOMEM, "out of memory listing %s", dir);
        else
            n++;
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && !rc; i++) {
        char path[4096];
        struct stat sb;
        if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= (int)sizeof path)
            rc = lt_error_set(err, LT_EINPUT, "%s/%s: path too long", dir, names[i]);
        else if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            rc = read_dir(o, path, depth + 1, err);
        else if (strlen(names[i]) > 4 && !strcmp(names[i] + strlen(names[i]) - 4, ".csv"))
            rc = read_file(o, path, err);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int lt_obs_read(lt_obs *o, const char *path, lt_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return lt_error_set(err, LT_EIO, "%s: cannot open the observations: %s", path, strerror(errno));
    size_t files = o->counts.files;
    int rc = S_ISDIR(sb.st_mode) ? read_dir(o, path, 0, err) : read_file(o, path, err);
    if (!rc && o->counts.files == files)
        rc = lt_error_set(err, LT_EINPUT, "%s: no observation file (*.csv) in the folder", path);
    return rc;
}

static int cmp_value(const void *pa, const void *pb)
{
    const obs_value *a = pa, *b = pb;
    if (a->st != b->st)
        return a->st < b->st ? -1 : 1;
    if (a->pol != b->pol)
        return a->pol < b->pol ? -1 : 1;
    if (a->daily != b->daily)
        return a->daily < b->daily ? -1 : 1;
    if (a->t_s != b->t_s)
        return a->t_s < b->t_s ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

int lt_obs_finish(lt_obs *o, lt_error *err)
{
    (void)err;
    if (o->nv)
        qsort(o->v, o->nv, sizeof *o->v, cmp_value);
    size_t w = 0;
    o->counts.duplicates = o->counts.conflicting = o->counts.hourly = o->counts.daily = 0;
    for (size_t i = 0; i < o->nv; i++) {
        if (w > 0 && o->v[w - 1].st == o->v[i].st && o->v[w - 1].pol == o->v[i].pol &&
            o->v[w - 1].daily == o->v[i].daily && o->v[w - 1].t_s == o->v[i].t_s) {
            o->counts.duplicates++;
            o->counts.conflicting += o->v[w - 1].value != o->v[i].value;
            continue;
        }
        o->v[w++] = o->v[i];
        if (o->v[i].daily)
            o->counts.daily++;
        else
            o->counts.hourly++;
    }
    o->nv = w;
    o->counts.values = w;
    o->finished = 1;
    return LT_OK;
}

size_t lt_obs_nstations(const lt_obs *o) { return o->nst; }

const lt_obs_station *lt_obs_station_at(const lt_obs *o, size_t i) { return i < o->nst ? &o->st[i] : NULL; }

long lt_obs_find_station(const lt_obs *o, const char *code)
{
    for (size_t i = 0; i < o->nst; i++)
        if (!strcmp(o->st[i].code, code))
            return (long)i;
    return -1;
}

lt_obs_counts lt_obs_counts_of(const lt_obs *o) { return o->counts; }

void lt_obs_period(const lt_obs *o, double *first_s, double *last_s)
{
    *first_s = *last_s = NAN;
    for (size_t i = 0; i < o->nv; i++) {
        double a = o->v[i].t_s, b = o->v[i].daily ? a + 23 * 3600.0 : a;
        if (isnan(*first_s) || a < *first_s)
            *first_s = a;
        if (isnan(*last_s) || b > *last_s)
            *last_s = b;
    }
}

int lt_obs_has(const lt_obs *o, int pol)
{
    for (size_t i = 0; i < o->nv; i++)
        if (o->v[i].pol == pol)
            return 1;
    return 0;
}

/* First value not before (st, pol, daily, t) in the sorted array. */
static size_t lower_bound(const lt_obs *o, int st, int pol, int daily, double t)
{
    obs_value key = {t, 0, 0, st, (short)pol, (short)daily};
    size_t lo = 0, hi = o->nv;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_value(&o->v[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double lookup(const lt_obs *o, size_t st, int pol, int daily, double t)
{
    size_t i = lower_bound(o, (int)st, pol, daily, t);
    if (i < o->nv && o->v[i].st == (int)st && o->v[i].pol == pol && o->v[i].daily == daily && o->v[i].t_s == t)
        return o->v[i].value;
    return NAN;
}

double lt_obs_hourly(const lt_obs *o, size_t st, int pol, double t_s) { return lookup(o, st, pol, 0, t_s); }

double lt_obs_daily(const lt_obs *o, size_t st, int pol, double day_start_s, int min_hours, int *published)
{
    double v = lookup(o, st, pol, 1, day_start_s);
    if (published)
        *published = !isnan(v);
    if (!isnan(v) || pol == LT_OBS_O3_8H)
        return v;
    double sum = 0, mx = -INFINITY;
    int n = 0;
    for (size_t i = lower_bound(o, (int)st, pol, 0, day_start_s);
         i < o->nv && o->v[i].st == (int)st && o->v[i].pol == pol && !o->v[i].daily &&
         o->v[i].t_s < day_start_s + 86400.0;
         i++) {
        sum += o->v[i].value;
        mx = fmax(mx, o->v[i].value);
        n++;
    }
    if (n < min_hours || n == 0)
        return NAN;
    return pol == LT_OBS_O3 ? mx : sum / n;
}
