/* config.c — reading and validating the INI run configuration (see config.h). */
#include "io/config.h"
#include "io/files.h"
#include "physics/aerosol.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "physics/sigma.h"

/* Every key lantian reads, with its default (NULL: required). */
typedef struct key_def {
    const char *section;
    const char *key;
    const char *def;
    int is_path;
} key_def;

static const key_def keys[] = {
    {"run", "start", NULL, 0},
    {"run", "hours", NULL, 0},
    {"run", "checkpoint_hours", "0", 0},
    {"domain", "center_lon", NULL, 0},
    {"domain", "center_lat", NULL, 0},
    {"domain", "nx", NULL, 0},
    {"domain", "ny", NULL, 0},
    {"domain", "dx_m", NULL, 0},
    {"domain", "counties", "", 1},
    {"domain", "county_property", "name", 0},
    {"met", "file", NULL, 1},
    {"met", "wind_height_m", "10", 0},
    {"met", "format", "cf", 0},
    {"met", "variables", "", 0},
    {"met", "profile", "", 1},
    {"met", "station_lon", "", 0},
    {"met", "station_lat", "", 0},
    {"met", "utc_offset_hours", "", 0},
    {"met", "albedo", "0.2", 0},
    {"met", "bowen", "1.0", 0},
    {"met", "theta_gradient_K_per_m", "0.005", 0},
    {"met", "max_gap_hours", "6", 0},
    {"sources", "points", NULL, 1},
    {"sources", "sectors", "industry, coal, vehicles, dust, burning, agriculture, solvents", 0},
    {"sources", "margin_km", "50", 0},
    {"sources", "volumes", "", 1},
    {"sources", "areas", "", 1},
    {"sources", "roads", "", 1},
    {"sources", "profiles", "", 1},
    {"sources", "hourly", "", 1},
    {"sources", "utc_offset_hours", "8", 0},
    {"gridded", "layout", "none", 0},
    {"gridded", "path", "", 1},
    {"gridded", "sectors", "power:coal, industry:industry, residential:coal, transportation:vehicles, agriculture:agriculture", 0},
    {"gridded", "species", "PM25:pm25, SO2:so2, NOx:nox, NH3:nh3", 0},
    {"gridded", "vertical", "", 1},
    {"gridded", "year", "0", 0},
    {"background", "file", "", 1},
    {"background", "name", "regional", 0},
    {"background", "from_observations", "", 1},
    {"background", "stations", "", 0},
    {"receptors", "stations", NULL, 1},
    {"receptors", "height_m", "0", 0},
    {"dispersion", "curves", "briggs-rural", 0},
    {"dispersion", "z0_m", "0.1", 0},
    {"dispersion", "calm", "meander", 0},
    {"dispersion", "sigma_v_min_ms", "0.2", 0},
    {"dispersion", "stack_wind", "isc3", 0},
    {"dispersion", "meander_time_h", "24", 0},
    {"dispersion", "stability", "golder", 0},
    {"dispersion", "buoyancy_induced", "yes", 0},
    {"assessment", "aqi_rules", "", 1},
    {"assessment", "alert_rules", "", 1},
    {"assessment", "alert_lead_hours", "24", 0},
    {"assessment", "measures", "", 1},
    {"assessment", "targets", "", 1},
    {"chemistry", "secondary", "no", 0},
    {"chemistry", "k_so2_night", "0.2", 0},
    {"chemistry", "k_so2_sun", "2.0", 0},
    {"chemistry", "k_nox_night", "2.0", 0},
    {"chemistry", "k_nox_sun", "15.0", 0},
    {"chemistry", "k_voc_night", "2.0", 0},
    {"chemistry", "k_voc_sun", "15.0", 0},
    {"chemistry", "soa_yield", "0.05", 0},
    {"chemistry", "aqueous", "yes", 0},
    {"chemistry", "nh4no3_kp", "mozurkewich", 0},
    {"chemistry", "nitrate_solution", "yes", 0},
    {"chemistry", "vd_so2_ms", "0.005", 0},
    {"chemistry", "vd_nox_ms", "0.001", 0},
    {"chemistry", "vd_pm_ms", "0.001", 0},
    {"chemistry", "wet_so2", "3e-5", 0},
    {"chemistry", "wet_nox", "0", 0},
    {"chemistry", "wet_pm", "1e-4", 0},
    {"chemistry", "vd_hno3_ms", "0.02", 0},
    {"chemistry", "vd_nh3_ms", "0.01", 0},
    {"chemistry", "wet_hno3", "6e-5", 0},
    {"chemistry", "wet_nh3", "6e-5", 0},
    {"chemistry", "vs_coarse_ms", "0.0016", 0},
    {"chemistry", "no2_method", "olm", 0},
    {"chemistry", "no2_nox_ratio", "0.1", 0},
    {"solver", "method", "plume", 0},
    {"solver", "coarsen", "5", 0},
    {"solver", "layer_tops_m", "50, 150, 300, 500, 800, 1200, 1800, 3000", 0},
    {"solver", "kz_min", "0.5", 0},
    {"solver", "kh_m2s", "0", 0},
    {"solver", "winds_aloft", "yes", 0},
    {"solver", "cfl", "0.9", 0},
    {"solver", "zero_out", "no", 0},
    {"output", "file", NULL, 1},
    {"output", "average_src", "hour", 0},
    {"output", "average_county", "day", 0},
    {"output", "average_components", "day", 0},
    {"output", "deflate", "1", 0},
    {"output", "significant_digits", "0", 0},
    {"output", "sources", "", 0},
    {"optimize", "mode", "annual", 0},
    {"optimize", "costs", "", 1},
    {"optimize", "emergency_costs", "", 1},
    {"optimize", "max_stopped_per_county", "", 0},
    {"optimize", "targets", "", 1},
    {"optimize", "good_day_targets", "", 0},
    {"optimize", "curve", "city", 0},
    {"optimize", "max_daily_pm25", "", 0},
    {"optimize", "time_limit_s", "60", 0},
    {"optimize", "mip_gap", "0.0001", 0},
    {"optimize", "pm25_equivalent", "pm25:1, so2:1, nox:1, nh3:1, voc:1", 0},
};
#define NKEYS ((int)(sizeof keys / sizeof keys[0]))

typedef struct entry {
    char *value;
    int line;          /* line in the file, 0 for default, -1 for --set */
    int set_index;     /* which --set argument */
} entry;

typedef struct parse_state {
    entry vals[NKEYS];
    lt_scen_entry *scen;
    int nscen;
    const char *path;
    const char *const *sets;   /* the --set arguments */
    lt_error *err;
} parse_state;

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int find_key(const char *section, const char *key)
{
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
            return i;
    return -1;
}

static int known_section(const char *section)
{
    if (!strncmp(section, "scenario.", 9))
        return 1;
    for (int i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0)
            return 1;
    return 0;
}

/* "start, hours" for section, into buf. */
static const char *keys_of(const char *section, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < NKEYS; i++) {
        if (strcmp(keys[i].section, section) != 0)
            continue;
        if (buf[0])
            strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, keys[i].key, n - strlen(buf) - 1);
    }
    return buf;
}

static const char *sections_list(void)
{
    return "run, domain, met, sources, gridded, background, receptors, dispersion, chemistry, assessment, output";
}

/* Stores value for (section,key); msg_where is used in error messages. */
int lt_ini_key_line(const char *path, const char *section, const char *key, int nth)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char buf[4096], cur[128] = "";
    int line = 0, seen = 0, found = 0;
    while (!found && fgets(buf, sizeof buf, f)) {
        line++;
        char *s = buf;
        while (isspace((unsigned char)*s))
            s++;
        if (*s == '[') {
            char *e = strchr(s, ']');
            if (e)
                snprintf(cur, sizeof cur, "%.*s", (int)(e - s - 1), s + 1);
            continue;
        }
        size_t kl = strlen(key);
        if (strcmp(cur, section) || strncmp(s, key, kl))
            continue;
        char *t = s + kl;
        while (*t == ' ' || *t == '\t')
            t++;
        if ((*t == '=' || *t == ':') && seen++ == nth)
            found = line;
    }
    fclose(f);
    return found;
}

/* A key of a [scenario.NAME] section: kept for scenario.c to read. */
static int store_scenario(parse_state *st, const char *section, const char *key, const char *value,
                          const char *where)
{
    const char *name = section + 9;
    size_t nl = strlen(name);
    int ok = nl > 0 && nl < LT_NAME_MAX;
    for (size_t i = 0; i < nl && ok; i++)
        ok = isalnum((unsigned char)name[i]) || name[i] == '_' || name[i] == '-';
    if (!ok) {
        lt_error_set(st->err, LT_EINPUT, "%s: scenario name '%s': expected 1 to 31 letters, digits, '_' or '-'",
                     where, name);
        return 0;
    }
    if (strcmp(key, "description") && strcmp(key, "level") && strcmp(key, "alert") && strcmp(key, "cut") &&
        strcmp(key, "cuts_file")) {
        lt_error_set(st->err, LT_EINPUT, "%s: unknown key '%s' in [%s] (expected one of: description, level, alert, cut, cuts_file)",
                     where, key, section);
        return 0;
    }
    /* every key but cut once per scenario; --set replaces the file's */
    for (int i = 0; i < st->nscen && strcmp(key, "cut"); i++) {
        lt_scen_entry *e = &st->scen[i];
        if (strcmp(e->scenario, name) || strcmp(e->key, key))
            continue;
        int from_set = !strncmp(where, "--set", 5), was_set = !strncmp(e->where, "--set", 5);
        if (from_set && !was_set && strlen(value) < sizeof e->value) {
            snprintf(e->value, sizeof e->value, "%s", value);
            snprintf(e->where, sizeof e->where, "%s", where);
            return 1;
        }
        if (from_set)
            lt_error_set(st->err, LT_EINPUT, "%s: [%s] %s is set twice on the command line (also by %s): "
                         "expected one --set per key", where, section, key, e->where);
        else
            lt_error_set(st->err, LT_EINPUT, "%s: [%s] %s is given twice (first at line %d): expected it once",
                         where, section, key, lt_ini_key_line(st->path, section, key, 0));
        return 0;
    }
    if (strlen(value) >= sizeof st->scen[0].value) {
        lt_error_set(st->err, LT_EINPUT, "%s: [%s] %s is longer than 511 bytes", where, section, key);
        return 0;
    }
    if (st->nscen == LT_MAX_SCEN_ENTRIES) {
        lt_error_set(st->err, LT_EINPUT, "%s: more than %d scenario keys", where, LT_MAX_SCEN_ENTRIES);
        return 0;
    }
    if (!st->scen && !(st->scen = calloc(LT_MAX_SCEN_ENTRIES, sizeof *st->scen))) {
        lt_error_set(st->err, LT_ENOMEM, "out of memory");
        return 0;
    }
    lt_scen_entry *e = &st->scen[st->nscen++];
    snprintf(e->scenario, sizeof e->scenario, "%s", name);
    snprintf(e->key, sizeof e->key, "%s", key);
    snprintf(e->value, sizeof e->value, "%s", value);
    snprintf(e->where, sizeof e->where, "%s", where);
    return 1;
}

static int store(parse_state *st, const char *section, const char *key, const char *value,
                 int line, int set_index, const char *where)
{
    char buf[256];
    if (!strncmp(section, "scenario.", 9)) {
        (void)line;
        (void)set_index;
        return store_scenario(st, section, key, value, where);
    }
    if (!known_section(section)) {
        lt_error_set(st->err, LT_EINPUT, "%s: unknown section [%s] (expected one of: %s)",
                     where, section, sections_list());
        return 0;
    }
    int k = find_key(section, key);
    if (k < 0) {
        lt_error_set(st->err, LT_EINPUT, "%s: unknown key '%s' in [%s] (expected one of: %s)",
                     where, key, section, keys_of(section, buf, sizeof buf));
        return 0;
    }
    if (st->vals[k].value && line > 0 && st->vals[k].line > 0) {
        lt_error_set(st->err, LT_EINPUT, "%s: [%s] %s is given twice (first at line %d): expected each key once",
                     where, section, key, lt_ini_key_line(st->path, section, key, 0));
        return 0;
    }
    if (st->vals[k].value && line < 0 && st->vals[k].line < 0) {
        lt_error_set(st->err, LT_EINPUT, "%s: [%s] %s is set twice on the command line (also by --set %s): "
                     "expected one --set per key", where, section, key, st->sets[st->vals[k].set_index]);
        return 0;
    }
    char *v = dup_str(value);
    if (!v) {
        lt_error_set(st->err, LT_ENOMEM, "out of memory reading the configuration");
        return 0;
    }
    free(st->vals[k].value);
    st->vals[k].value = v;
    st->vals[k].line = line;
    st->vals[k].set_index = set_index;
    return 1;
}

static int on_ini_entry(void *user, const char *section, const char *name, const char *value)
{
    /* inih reports the line only through ini_parse's return value; the
     * placeholder is replaced by "path:line" once it has returned. */
    return store(user, section, name, value, 1, 0, "@LINE@");
}

/* Replaces the "@LINE@" placeholder of a handler error by "path:line". */
static void fix_where(lt_error *err, const char *path, int line)
{
    const char *p = strstr(err->msg, "@LINE@");
    if (!p)
        return;
    char tmp[sizeof err->msg];
    snprintf(tmp, sizeof tmp, "%.*s%s:%d%s", (int)(p - err->msg), err->msg, path, line,
             p + 6);
    memcpy(err->msg, tmp, sizeof tmp);
}

typedef struct val_ctx {
    parse_state *st;
    const char *const *sets;
    lt_error *err;
} val_ctx;

/* "winter.ini:12: [run] hours" or "--set run.hours". */
static void where_of(const val_ctx *c, int k, char *buf, size_t n)
{
    const entry *e = &c->st->vals[k];
    if (e->line < 0)
        snprintf(buf, n, "--set %s", c->sets[e->set_index]);
    else if (e->line > 0)
        snprintf(buf, n, "%s:%d: [%s] %s", c->st->path,
                 lt_ini_key_line(c->st->path, keys[k].section, keys[k].key, 0), keys[k].section,
                 keys[k].key);
    else
        snprintf(buf, n, "%s: [%s] %s (default)", c->st->path, keys[k].section, keys[k].key);
}

static int bad_value(const val_ctx *c, int k, const char *expected)
{
    char where[LT_PATH_MAX + 128];
    where_of(c, k, where, sizeof where);
    return lt_error_set(c->err, LT_EINPUT, "%s = '%s': expected %s", where,
                        c->st->vals[k].value, expected);
}

/* [met] file: one CF file, or with format = wrf a comma-separated list of
 * wrfout files; each relative path is taken from the config's folder. */
static int get_met_files(const val_ctx *c, const char *dir, lt_config *cfg)
{
    int kf = find_key("met", "format");
    const char *fmt = c->st->vals[kf].value;
    static const char *const formats[] = {"cf", "wrf", "station", "aermet"};
    cfg->met_format = -1;
    for (int i = 0; i < 4; i++)
        if (!strcmp(fmt, formats[i]))
            cfg->met_format = i; /* the order of LT_MET_* in met.h */
    if (cfg->met_format < 0)
        return bad_value(c, kf,
                         "cf (CF NetCDF, ERA5 and other reanalyses), wrf (wrfout files), station (a CSV of hourly "
                         "surface observations) or aermet (AERMET's .SFC file)");
    int kv = find_key("met", "variables");
    if (strlen(c->st->vals[kv].value) >= sizeof cfg->met_variables)
        return bad_value(c, kv, "a variable map shorter than 1024 bytes");
    snprintf(cfg->met_variables, sizeof cfg->met_variables, "%s", c->st->vals[kv].value);
    if (cfg->met_format != 0 && cfg->met_variables[0])
        return bad_value(c, kv, "no map unless format = cf (the names of wrfout, station and AERMET files are fixed)");
    int k = find_key("met", "file");
    const entry *e = &c->st->vals[k];
    char buf[sizeof cfg->met_file];
    if (strlen(e->value) >= sizeof buf)
        return bad_value(c, k, "a list shorter than 8192 bytes");
    snprintf(buf, sizeof buf, "%s", e->value);
    cfg->met_file[0] = '\0';
    char *save = NULL;
    int n = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        char *end = t + strlen(t);
        while (end > t && end[-1] == ' ')
            *--end = '\0';
        if (!*t)
            continue;
        if (n++ && cfg->met_format != 1)
            return bad_value(c, k, "one file (a list of files needs format = wrf)");
        size_t used = strlen(cfg->met_file);
        int w = (t[0] == '/' || e->line < 0 || !dir[0])
                    ? snprintf(cfg->met_file + used, sizeof cfg->met_file - used, "%s%s", used ? "," : "", t)
                    : snprintf(cfg->met_file + used, sizeof cfg->met_file - used, "%s%s/%s", used ? "," : "", dir, t);
        if (w < 0 || (size_t)w >= sizeof cfg->met_file - used)
            return bad_value(c, k, "a list shorter than 8192 bytes");
    }
    if (!n)
        return bad_value(c, k, "a file path");
    return LT_OK;
}

static int get_double(const val_ctx *c, const char *sec, const char *key, double lo,
                      double hi, const char *expected, double *out)
{
    int k = find_key(sec, key);
    const char *s = c->st->vals[k].value;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi)
        return bad_value(c, k, expected);
    *out = v;
    return LT_OK;
}

static int get_path(const val_ctx *c, const char *sec, const char *key, const char *base_dir, char *out);

/* A number that may be left empty (NaN). */
static int get_opt_double(const val_ctx *c, const char *sec, const char *key, double lo, double hi,
                          const char *expected, double *out)
{
    const char *s = c->st->vals[find_key(sec, key)].value;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s) {
        *out = NAN;
        return LT_OK;
    }
    return get_double(c, sec, key, lo, hi, expected, out);
}

/* The rest of [met]: a station's place, AERMET's profile file and local
 * time, the surface the preprocessor assumes, the largest gap interpolated. */
static int get_met_options(const val_ctx *c, const char *dir, lt_config *cfg)
{
    int rc;
    if ((rc = get_path(c, "met", "profile", dir, cfg->met_profile)) ||
        (rc = get_opt_double(c, "met", "station_lon", -180, 180, "the station's longitude in degrees east",
                             &cfg->met_station_lon)) ||
        (rc = get_opt_double(c, "met", "station_lat", -90, 90, "the station's latitude in degrees north",
                             &cfg->met_station_lat)) ||
        (rc = get_opt_double(c, "met", "utc_offset_hours", -14, 14, "hours from -14 to 14, or empty",
                             &cfg->met_utc_offset_h)) ||
        (rc = get_double(c, "met", "albedo", 0, 1, "a noon albedo from 0 to 1", &cfg->met_albedo)) ||
        (rc = get_double(c, "met", "bowen", 0.01, 20, "a Bowen ratio from 0.01 to 20", &cfg->met_bowen)) ||
        (rc = get_double(c, "met", "theta_gradient_K_per_m", 0.001, 0.1,
                         "a potential temperature gradient from 0.001 to 0.1 K/m", &cfg->met_theta_gradient)) ||
        (rc = get_double(c, "met", "max_gap_hours", 1, 48, "hours from 1 to 48", &cfg->met_max_gap_h)))
        return rc;
    if (cfg->met_profile[0] && cfg->met_format != 3)
        return bad_value(c, find_key("met", "profile"), "no profile file unless format = aermet");
    if (cfg->met_format == 2 && (isnan(cfg->met_station_lon) || isnan(cfg->met_station_lat)))
        return bad_value(c, find_key("met", "station_lon"),
                         "the station's longitude, with station_lat, for format = station");
    return LT_OK;
}

static int get_int(const val_ctx *c, const char *sec, const char *key, long lo, long hi,
                   const char *expected, int *out)
{
    int k = find_key(sec, key);
    const char *s = c->st->vals[k].value;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (end == s || *end || errno || v < lo || v > hi)
        return bad_value(c, k, expected);
    *out = (int)v;
    return LT_OK;
}

static int get_yesno(const val_ctx *c, const char *sec, const char *key, int *out)
{
    int k = find_key(sec, key);
    const char *s = c->st->vals[k].value;
    if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
        *out = 1;
    else if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
        *out = 0;
    else
        return bad_value(c, k, "yes or no");
    return LT_OK;
}

/* Copies a path, joined to base_dir when relative and base_dir is given. */
/* [solver]: the method and the grid model's columns and layers. */
static int get_solver(const val_ctx *c, lt_config *cfg)
{
    int k = find_key("solver", "method"), rc;
    const char *v = c->st->vals[k].value;
    if (!strcmp(v, "plume"))
        cfg->solver = LT_SOLVER_PLUME;
    else if (!strcmp(v, "grid"))
        cfg->solver = LT_SOLVER_GRID;
    else if (!strcmp(v, "hybrid"))
        cfg->solver = LT_SOLVER_HYBRID;
    else
        return bad_value(c, k, "plume (Gaussian plume at every receptor), grid (the Eulerian grid model) or hybrid "
                               "(the grid plus each explicit source's plume minus its grid-cell average)");
    if ((rc = get_int(c, "solver", "coarsen", 1, 50, "a whole number of receptor cells from 1 to 50", &cfg->grid_coarsen)) ||
        (rc = get_double(c, "solver", "kz_min", 0, 100, "a diffusivity in m2/s from 0 to 100", &cfg->grid_kz_min)) ||
        (rc = get_double(c, "solver", "kh_m2s", 0, 1e5, "a horizontal diffusivity in m2/s from 0 to 100000",
                         &cfg->grid_kh)) ||
        (rc = get_double(c, "solver", "cfl", 0.05, 1, "a Courant number from 0.05 to 1", &cfg->grid_cfl)) ||
        (rc = get_yesno(c, "solver", "zero_out", &cfg->zero_out)) ||
        (rc = get_yesno(c, "solver", "winds_aloft", &cfg->grid_winds_aloft)))
        return rc;
    if (cfg->checkpoint_hours % 24)
        return bad_value(c, find_key("run", "checkpoint_hours"), "0 (no checkpoints) or a multiple of 24 hours");
    k = find_key("solver", "coarsen");
    if (cfg->solver != LT_SOLVER_PLUME && (cfg->nx % cfg->grid_coarsen || cfg->ny % cfg->grid_coarsen || cfg->nx / cfg->grid_coarsen < 2 ||
        cfg->ny / cfg->grid_coarsen < 2)) {
        char exp[160];
        snprintf(exp, sizeof exp, "a divisor of both [domain] nx = %d and ny = %d that leaves at least 2 x 2 columns",
                 cfg->nx, cfg->ny);
        return bad_value(c, k, exp);
    }
    k = find_key("solver", "layer_tops_m");
    {
        const char *p = c->st->vals[k].value;
        cfg->grid_nz = 0;
        while (*p) {
            char *end;
            double z = strtod(p, &end);
            if (end == p || cfg->grid_nz == LT_SOLVER_MAX_LAYERS || !(z > (cfg->grid_nz ? cfg->grid_top_m[cfg->grid_nz - 1] : 0.0)) ||
                z > 20000.0)
                return bad_value(c, k, "1 to 32 layer tops in m, comma-separated, increasing, above 0 and up to 20000");
            cfg->grid_top_m[cfg->grid_nz++] = z;
            p = end;
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p == ',')
                p++;
            else if (*p)
                return bad_value(c, k, "1 to 32 layer tops in m, comma-separated, increasing, above 0 and up to 20000");
        }
        if (!cfg->grid_nz)
            return bad_value(c, k, "1 to 32 layer tops in m, comma-separated, increasing, above 0 and up to 20000");
    }
    if (cfg->zero_out && cfg->solver == LT_SOLVER_PLUME)
        return bad_value(c, find_key("solver", "zero_out"),
                         "no with method = plume (the plume is linear: zeroing a sector out gives its tag exactly)");
    return LT_OK;
}

static int get_path(const val_ctx *c, const char *sec, const char *key, const char *base_dir,
                    char *out)
{
    int k = find_key(sec, key);
    const entry *e = &c->st->vals[k];
    const char *s = e->value;
    if (!*s && keys[k].def && !keys[k].def[0]) {
        out[0] = '\0'; /* an optional file, not given */
        return LT_OK;
    }
    if (!*s)
        return bad_value(c, k, "a file path");
    int n;
    if (s[0] == '/' || e->line < 0 || !base_dir[0])
        n = snprintf(out, LT_PATH_MAX, "%s", s);
    else
        n = snprintf(out, LT_PATH_MAX, "%s/%s", base_dir, s);
    if (n >= LT_PATH_MAX)
        return bad_value(c, k, "a path shorter than 1024 bytes");
    return LT_OK;
}

int lt_config_sector_index(const lt_config *cfg, const char *name)
{
    for (int i = 0; i < cfg->nsectors; i++)
        if (strcmp(cfg->sectors[i], name) == 0)
            return i;
    return -1;
}

/* The comma-separated names of key k into names[max][LT_NAME_MAX], *n of
 * them, without repeats; what describes the list in an error. */
static int parse_names(const val_ctx *c, int k, char (*names)[LT_NAME_MAX], int max, int *n, const char *what)
{
    const char *s = c->st->vals[k].value;
    *n = 0;
    while (*s) {
        while (*s == ' ' || *s == ',' || *s == '\t')
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && *e != ',')
            e++;
        const char *t = e;
        while (t > s && isspace((unsigned char)t[-1]))
            t--;
        size_t len = (size_t)(t - s);
        if (len == 0 || len >= LT_NAME_MAX || *n == max)
            return bad_value(c, k, what);
        memcpy(names[*n], s, len);
        names[*n][len] = '\0';
        for (int i = 0; i < *n; i++)
            if (!strcmp(names[i], names[*n]))
                return bad_value(c, k, "names without repeats");
        (*n)++;
        s = e;
    }
    return LT_OK;
}

static int parse_sectors(const val_ctx *c, lt_config *cfg)
{
    int k = find_key("sources", "sectors");
    int rc = parse_names(c, k, cfg->sectors, LT_MAX_SECTORS, &cfg->nsectors,
                         "a comma-separated list of at most 16 names of at most 31 bytes");
    if (rc)
        return rc;
    if (cfg->nsectors == 0)
        return bad_value(c, k, "at least one sector name");
    k = find_key("output", "sources");
    if ((rc = parse_names(c, k, cfg->tag_sources, LT_MAX_SOURCE_TAGS, &cfg->ntag_sources,
                          "a comma-separated list of at most 16 source ids of at most 31 bytes")))
        return rc;
    for (int i = 0; i < cfg->ntag_sources; i++)
        for (int j = 0; j < cfg->nsectors; j++)
            if (!strcmp(cfg->tag_sources[i], cfg->sectors[j]))
                return bad_value(c, k, "source ids that are not also sector names (each becomes a tag)");
    return LT_OK;
}

static int build_text(const parse_state *st, lt_config *cfg, lt_error *err)
{
    size_t cap = 256;
    for (int i = 0; i < NKEYS; i++)
        cap += strlen(keys[i].section) + strlen(keys[i].key) + strlen(st->vals[i].value) + 16;
    for (int i = 0; i < st->nscen; i++)
        cap += strlen(st->scen[i].scenario) + strlen(st->scen[i].key) + strlen(st->scen[i].value) + 32;
    cfg->text = malloc(cap);
    if (!cfg->text)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    size_t n = 0;
    const char *cur = "";
    for (int i = 0; i < NKEYS; i++) {
        if (strcmp(cur, keys[i].section) != 0) {
            cur = keys[i].section;
            n += (size_t)snprintf(cfg->text + n, cap - n, "%s[%s]\n", n ? "\n" : "", cur);
        }
        n += (size_t)snprintf(cfg->text + n, cap - n, "%s = %s\n", keys[i].key,
                              st->vals[i].value);
    }
    for (int i = 0; i < st->nscen; i++) {
        const lt_scen_entry *e = &st->scen[i];
        if (i == 0 || strcmp(e->scenario, st->scen[i - 1].scenario))
            n += (size_t)snprintf(cfg->text + n, cap - n, "\n[scenario.%s]\n", e->scenario);
        n += (size_t)snprintf(cfg->text + n, cap - n, "%s = %s\n", e->key, e->value);
    }
    return LT_OK;
}

/* [output] average_src, average_county, average_components. */
static int get_averaging(const val_ctx *c, lt_config *cfg)
{
    int k;
    static const char *const avg_keys[] = {"average_src", "average_county", "average_components"};
    int *avg_out[] = {&cfg->average_src, &cfg->average_county, &cfg->average_components};
    for (int i = 0; i < 3; i++) {
        k = find_key("output", avg_keys[i]);
        const char *v = c->st->vals[k].value;
        if (!strcmp(v, "hour"))
            *avg_out[i] = LT_AVG_HOUR;
        else if (!strcmp(v, "day"))
            *avg_out[i] = LT_AVG_DAY;
        else if (!strcmp(v, "period"))
            *avg_out[i] = LT_AVG_PERIOD;
        else
            return bad_value(c, k, "hour, day (local calendar days) or period (the whole run)");
    }
    return LT_OK;
}

/* [domain] county_property and [background] name: names the run uses,
 * checked against the sectors and the sources' own tags. */
static int get_names(const val_ctx *c, lt_config *cfg)
{
    int k;
    k = find_key("domain", "county_property");
    if (!c->st->vals[k].value[0] || strlen(c->st->vals[k].value) >= LT_NAME_MAX)
        return bad_value(c, k, "a GeoJSON property name of 1 to 31 bytes");
    snprintf(cfg->county_property, sizeof cfg->county_property, "%s", c->st->vals[k].value);
    k = find_key("background", "name");
    {
        const char *bn = c->st->vals[k].value;
        if (!bn[0] || strlen(bn) >= LT_NAME_MAX || strchr(bn, ','))
            return bad_value(c, k, "a tag name of 1 to 31 bytes without commas");
        for (int i = 0; i < cfg->nsectors; i++)
            if (!strcmp(cfg->sectors[i], bn))
                return bad_value(c, k, "a name that is not also a sector");
        for (int i = 0; i < cfg->ntag_sources; i++)
            if (!strcmp(cfg->tag_sources[i], bn))
                return bad_value(c, k, "a name that is not also one of [output] sources");
        snprintf(cfg->background_name, sizeof cfg->background_name, "%s", bn);
    }
    k = find_key("background", "stations");
    const char *bs = c->st->vals[k].value;
    if (strlen(bs) >= sizeof cfg->bg_obs_stations)
        return bad_value(c, k, "a list of station codes shorter than 1024 bytes");
    if (cfg->bg_obs_path[0] && !bs[0])
        return bad_value(c, k, "the codes (or ids) of the stations the background is derived at, comma-separated, "
                               "when [background] from_observations is given");
    snprintf(cfg->bg_obs_stations, sizeof cfg->bg_obs_stations, "%s", bs);
    return LT_OK;
}

/* [chemistry]: the secondary PM2.5 switch, the rates, deposition and
 * scavenging. */
static int get_chemistry(const val_ctx *c, lt_config *cfg)
{
    int rc;
    lt_chem_params *ch = &cfg->chem;
    int aq = 1;
    const char *pct = "a rate in % per hour from 0 to 100";
    const char *vd = "a deposition velocity in m/s from 0 to 0.1";
    const char *wet = "a scavenging coefficient in s-1 per mm/h from 0 to 0.01";
    if ((rc = get_yesno(c, "chemistry", "secondary", &cfg->secondary)) ||
        (rc = get_double(c, "chemistry", "k_so2_night", 0, 100, pct, &ch->k_so2_night)) ||
        (rc = get_double(c, "chemistry", "k_so2_sun", 0, 100, pct, &ch->k_so2_sun)) ||
        (rc = get_double(c, "chemistry", "k_nox_night", 0, 100, pct, &ch->k_nox_night)) ||
        (rc = get_double(c, "chemistry", "k_nox_sun", 0, 100, pct, &ch->k_nox_sun)) ||
        (rc = get_double(c, "chemistry", "k_voc_night", 0, 100, pct, &ch->k_voc_night)) ||
        (rc = get_double(c, "chemistry", "k_voc_sun", 0, 100, pct, &ch->k_voc_sun)) ||
        (rc = get_double(c, "chemistry", "soa_yield", 0, 1, "a mass yield from 0 to 1", &ch->soa_yield)) ||
        (rc = get_yesno(c, "chemistry", "aqueous", &aq)) ||
        (rc = get_double(c, "chemistry", "vd_so2_ms", 0, 0.1, vd, &ch->vd_so2)) ||
        (rc = get_double(c, "chemistry", "vd_nox_ms", 0, 0.1, vd, &ch->vd_nox)) ||
        (rc = get_double(c, "chemistry", "vd_pm_ms", 0, 0.1, vd, &ch->vd_pm)) ||
        (rc = get_double(c, "chemistry", "wet_so2", 0, 0.01, wet, &ch->wet_so2)) ||
        (rc = get_double(c, "chemistry", "wet_nox", 0, 0.01, wet, &ch->wet_nox)) ||
        (rc = get_double(c, "chemistry", "wet_pm", 0, 0.01, wet, &ch->wet_pm)) ||
        (rc = get_double(c, "chemistry", "vd_hno3_ms", 0, 0.1, vd, &ch->vd_hno3)) ||
        (rc = get_double(c, "chemistry", "vd_nh3_ms", 0, 0.1, vd, &ch->vd_nh3)) ||
        (rc = get_double(c, "chemistry", "wet_hno3", 0, 0.01, wet, &ch->wet_hno3)) ||
        (rc = get_double(c, "chemistry", "wet_nh3", 0, 0.01, wet, &ch->wet_nh3)) ||
        (rc = get_double(c, "chemistry", "vs_coarse_ms", 0, 0.1, "a settling velocity in m/s from 0 to 0.1",
                         &ch->vs_coarse)) ||
        (rc = get_double(c, "chemistry", "no2_nox_ratio", 0, 1, "an in-stack NO2/NOx mass ratio from 0 to 1",
                         &cfg->no2_ratio)))
        return rc;
    int kn = find_key("chemistry", "no2_method");
    if (!strcmp(c->st->vals[kn].value, "olm"))
        cfg->no2_full = 0;
    else if (!strcmp(c->st->vals[kn].value, "full"))
        cfg->no2_full = 1;
    else
        return bad_value(c, kn, "olm (the ozone-limiting method) or full (all NOx as NO2)");
    ch->aqueous = aq;
    ch->vd_voc = ch->wet_voc = 0.0;
    int sol = 1;
    if ((rc = get_yesno(c, "chemistry", "nitrate_solution", &sol)))
        return rc;
    ch->partition = sol ? 0u : LT_AER_NO_SOLUTION;
    int k = find_key("chemistry", "nh4no3_kp");
    if (!strcmp(c->st->vals[k].value, "isorropia"))
        ch->partition |= LT_AER_KP_ISORROPIA;
    else if (strcmp(c->st->vals[k].value, "mozurkewich"))
        return bad_value(c, k, "mozurkewich (Mozurkewich 1993) or isorropia (Fountoukis & Nenes 2007)");
    return LT_OK;
}

/* [dispersion]: stability, calm hours (and the meander's settings), the
 * wind at release height. */
static int get_dispersion_modes(const val_ctx *c, lt_config *cfg)
{
    int rc, k = find_key("dispersion", "stability");
    if (!strcmp(c->st->vals[k].value, "golder"))
        cfg->stability_turner = 0;
    else if (!strcmp(c->st->vals[k].value, "turner"))
        cfg->stability_turner = 1;
    else
        return bad_value(c, k, "golder (from the Obukhov length) or turner (from wind, sun and cloud)");
    if ((rc = get_double(c, "dispersion", "sigma_v_min_ms", 0.01, 2, "a lateral turbulence in m/s from 0.01 to 2",
                         &cfg->sigma_v_min_ms)) ||
        (rc = get_double(c, "dispersion", "meander_time_h", 0.1, 240, "a time scale in hours from 0.1 to 240",
                         &cfg->meander_time_s)))
        return rc;
    cfg->meander_time_s *= 3600.0;
    k = find_key("dispersion", "calm");
    const char *v = c->st->vals[k].value;
    if (strcmp(v, "skip") && strcmp(v, "minwind") && strcmp(v, "meander"))
        return bad_value(c, k, "skip, minwind or meander");
    cfg->calm_minwind = !strcmp(v, "minwind");
    cfg->meander = !strcmp(v, "meander");
    k = find_key("dispersion", "stack_wind");
    v = c->st->vals[k].value;
    if (strcmp(v, "isc3") && strcmp(v, "profile"))
        return bad_value(c, k, "isc3 (power law, never below the anemometer) or profile (similarity profile)");
    cfg->stack_wind_profile = !strcmp(v, "profile");
    return LT_OK;
}

/* [optimize]: the least-cost plan (lantian optimize). */
static int get_optimize(const val_ctx *c, lt_config *cfg, const char *dir)
{
    int rc, k = find_key("optimize", "mode");
    const char *v = c->st->vals[k].value;
    if (!strcmp(v, "annual"))
        cfg->opt_mode = LT_OPT_ANNUAL;
    else if (!strcmp(v, "emergency"))
        cfg->opt_mode = LT_OPT_EMERGENCY;
    else
        return bad_value(c, k, "annual (cut fractions per source group for the period's targets) or emergency");
    double ms;
    if ((rc = get_path(c, "optimize", "costs", dir, cfg->opt_costs)) ||
        (rc = get_path(c, "optimize", "emergency_costs", dir, cfg->opt_emg_costs)) ||
        (rc = get_opt_double(c, "optimize", "max_stopped_per_county", 0, 100000,
                             "a whole number of enterprises, or empty for no limit", &ms)) ||
        (rc = get_path(c, "optimize", "targets", dir, cfg->opt_targets)) ||
        (rc = get_opt_double(c, "optimize", "max_daily_pm25", 0, 1000, "a daily PM2.5 in ug/m3 from 0 to 1000, or empty",
                             &cfg->opt_max_daily_pm25)) ||
        (rc = get_double(c, "optimize", "time_limit_s", 0.1, 86400, "seconds from 0.1 to 86400", &cfg->opt_time_limit_s)) ||
        (rc = get_double(c, "optimize", "mip_gap", 0, 1, "a relative gap from 0 to 1, e.g. 0.0001", &cfg->opt_mip_gap)))
        return rc;
    if (!isnan(ms) && ms != floor(ms))
        return bad_value(c, find_key("optimize", "max_stopped_per_county"), "a whole number of enterprises, or empty");
    cfg->opt_max_stopped = isnan(ms) ? -1 : (int)ms;
    if (!cfg->opt_targets[0])
        snprintf(cfg->opt_targets, sizeof cfg->opt_targets, "%s", cfg->targets_file);
    k = find_key("optimize", "curve");
    if (strlen(c->st->vals[k].value) >= sizeof cfg->opt_curve || !c->st->vals[k].value[0])
        return bad_value(c, k, "city or the name of a county of the stations");
    snprintf(cfg->opt_curve, sizeof cfg->opt_curve, "%s", c->st->vals[k].value);
    k = find_key("optimize", "good_day_targets");
    cfg->opt_nsweep = 0;
    for (const char *s = c->st->vals[k].value; *s;) {
        char *end;
        while (isspace((unsigned char)*s) || *s == ',')
            s++;
        if (!*s)
            break;
        double d = strtod(s, &end);
        if (end == s || !isfinite(d) || d < 0 || d > 366 || d != floor(d) || cfg->opt_nsweep == LT_OPT_MAX_SWEEP)
            return bad_value(c, k, "up to 64 whole numbers of good days from 0 to 366, separated by commas");
        cfg->opt_sweep[cfg->opt_nsweep++] = d;
        s = end;
        while (isspace((unsigned char)*s))
            s++;
        if (*s && *s != ',')
            return bad_value(c, k, "up to 64 whole numbers of good days from 0 to 366, separated by commas");
    }
    static const char *const sp[5] = {"pm25", "so2", "nox", "nh3", "voc"};
    k = find_key("optimize", "pm25_equivalent");
    for (int i = 0; i < 5; i++)
        cfg->opt_pm25_eq[i] = 0.0;
    for (const char *s = c->st->vals[k].value; *s;) {
        while (isspace((unsigned char)*s) || *s == ',')
            s++;
        if (!*s)
            break;
        const char *colon = strchr(s, ':');
        int i = 0;
        while (colon && i < 5 && !((size_t)(colon - s) == strlen(sp[i]) && !strncmp(s, sp[i], strlen(sp[i]))))
            i++;
        char *end;
        double w = colon && i < 5 ? strtod(colon + 1, &end) : -1.0;
        if (!colon || i == 5 || end == colon + 1 || !isfinite(w) || w < 0 || w > 100)
            return bad_value(c, k, "species:weight pairs (pm25, so2, nox, nh3, voc; weights 0 to 100) separated by commas");
        cfg->opt_pm25_eq[i] = w;
        s = end;
    }
    return LT_OK;
}

static int validate(const val_ctx *c, lt_config *cfg, const char *dir)
{
    int rc;
    int k = find_key("run", "start");
    if (lt_parse_iso8601(c->st->vals[k].value, &cfg->start_s) != 0)
        return bad_value(c, k, "an ISO 8601 UTC time like 2020-01-10T00:00:00Z");
    lt_format_iso8601(cfg->start_s, cfg->start_iso, sizeof cfg->start_iso);
    if ((rc = get_int(c, "run", "hours", 1, 24 * 366 * 10, "a whole number of hours from 1 to 87840", &cfg->hours)) ||
        (rc = get_int(c, "run", "checkpoint_hours", 0, 24 * 366 * 10, "0 (no checkpoints) or a multiple of 24 hours",
                      &cfg->checkpoint_hours)) ||
        (rc = get_double(c, "domain", "center_lon", -180, 180, "a longitude in degrees east (-180 to 180)", &cfg->center_lon)) ||
        (rc = get_double(c, "domain", "center_lat", -80, 80, "a latitude in degrees north (-80 to 80)", &cfg->center_lat)) ||
        (rc = get_int(c, "domain", "nx", 1, 20000, "a number of columns from 1 to 20000", &cfg->nx)) ||
        (rc = get_int(c, "domain", "ny", 1, 20000, "a number of rows from 1 to 20000", &cfg->ny)) ||
        (rc = get_double(c, "domain", "dx_m", 1, 100000, "a grid spacing in metres from 1 to 100000", &cfg->dx_m)) ||
        (rc = get_path(c, "domain", "counties", dir, cfg->counties_file)) ||
        (rc = get_met_files(c, dir, cfg)) || (rc = get_met_options(c, dir, cfg)) ||
        (rc = get_double(c, "met", "wind_height_m", 0.5, 200, "the height of the met wind in metres, 0.5 to 200", &cfg->wind_height_m)) ||
        (rc = get_path(c, "sources", "points", dir, cfg->points_file)) ||
        (rc = parse_sectors(c, cfg)) ||
        (rc = get_double(c, "sources", "margin_km", 0, 1000, "a distance in km from 0 to 1000", &cfg->margin_km)) ||
        (rc = get_path(c, "sources", "volumes", dir, cfg->volumes_file)) ||
        (rc = get_path(c, "sources", "areas", dir, cfg->areas_file)) ||
        (rc = get_path(c, "sources", "roads", dir, cfg->roads_file)) ||
        (rc = get_path(c, "sources", "profiles", dir, cfg->profiles_file)) ||
        (rc = get_path(c, "sources", "hourly", dir, cfg->hourly_file)) ||
        (rc = get_double(c, "sources", "utc_offset_hours", -14, 14, "hours from -14 to 14", &cfg->utc_offset_h)) ||
        (rc = get_path(c, "background", "file", dir, cfg->background_file)) ||
        (rc = get_path(c, "background", "from_observations", dir, cfg->bg_obs_path)) ||
        (rc = get_path(c, "receptors", "stations", dir, cfg->stations_file)) ||
        (rc = get_double(c, "receptors", "height_m", 0, 500, "a flagpole height in metres from 0 to 500", &cfg->receptor_height_m)) ||
        (rc = get_double(c, "dispersion", "z0_m", 1e-4, 5, "a roughness length in metres from 0.0001 to 5", &cfg->z0_m)) ||
        (rc = get_yesno(c, "dispersion", "buoyancy_induced", &cfg->bid)) ||

        (rc = get_path(c, "assessment", "aqi_rules", dir, cfg->aqi_rules)) ||
        (rc = get_path(c, "assessment", "alert_rules", dir, cfg->alert_rules)) ||
        (rc = get_int(c, "assessment", "alert_lead_hours", 0, 240, "hours from 0 to 240", &cfg->alert_lead_hours)) ||
        (rc = get_path(c, "assessment", "measures", dir, cfg->measures_file)) ||
        (rc = get_path(c, "assessment", "targets", dir, cfg->targets_file)) ||
        (rc = get_path(c, "output", "file", dir, cfg->output_file)) ||
        (rc = get_int(c, "output", "deflate", 0, 9, "a deflate level from 0 to 9", &cfg->deflate)) ||
        (rc = get_int(c, "output", "significant_digits", 0, 7, "0 (full precision) or 1 to 7 significant digits", &cfg->significant_digits)))
        return rc;
    if ((double)cfg->nx * cfg->ny > 4e8)
        return lt_error_set(c->err, LT_EINPUT, "%s: [domain] nx * ny = %.0f receptors: expected at most 4e8",
                            c->st->path, (double)cfg->nx * cfg->ny);
    if (cfg->targets_file[0] && !cfg->aqi_rules[0])
        return lt_error_set(c->err, LT_EINPUT, "%s: [assessment] targets is set but aqi_rules is not: expected both "
                            "(the targets are on good days and the annual assessment)", c->st->path);
    if (cfg->alert_rules[0] && !cfg->aqi_rules[0])
        return lt_error_set(c->err, LT_EINPUT, "%s: [assessment] alert_rules is set but aqi_rules is not: expected both (alerts are decided on the AQI)",
                            c->st->path);
    k = find_key("dispersion", "curves");
    if (!lt_sigma_curves_find(c->st->vals[k].value))
        return bad_value(c, k, lt_sigma_curves_names());
    snprintf(cfg->curves, sizeof cfg->curves, "%s", c->st->vals[k].value);
    if ((rc = get_names(c, cfg)))
        return rc;
    if ((rc = get_dispersion_modes(c, cfg)))
        return rc;
    k = find_key("gridded", "layout");
    {
        const char *v = c->st->vals[k].value;
        if (!strcmp(v, "none"))
            cfg->gridded_layout = LT_GRIDDED_NONE;
        else if (!strcmp(v, "meic"))
            cfg->gridded_layout = LT_GRIDDED_MEIC;
        else if (!strcmp(v, "cf"))
            cfg->gridded_layout = LT_GRIDDED_CF;
        else
            return bad_value(c, k, "none, meic (monthly files per sector and species) or cf (one file, <species>_<sector> variables)");
    }
    if ((rc = get_path(c, "gridded", "path", dir, cfg->gridded_path)) ||
        (rc = get_path(c, "gridded", "vertical", dir, cfg->gridded_vertical)))
        return rc;
    if (cfg->gridded_layout != LT_GRIDDED_NONE && !cfg->gridded_path[0])
        return bad_value(c, find_key("gridded", "path"), "the inventory's folder (meic) or file (cf) when [gridded] layout is set");
    if ((rc = get_int(c, "gridded", "year", 0, 2100, "0 (the run's year) or the inventory's year, e.g. 2017", &cfg->gridded_year)))
        return rc;
    snprintf(cfg->gridded_sectors, sizeof cfg->gridded_sectors, "%s", c->st->vals[find_key("gridded", "sectors")].value);
    snprintf(cfg->gridded_species, sizeof cfg->gridded_species, "%s", c->st->vals[find_key("gridded", "species")].value);
    if ((rc = get_chemistry(c, cfg)))
        return rc;
    if ((rc = get_solver(c, cfg)) || (rc = get_optimize(c, cfg, dir)))
        return rc;
    return get_averaging(c, cfg);
}

/* The section header "[name]" of an INI line into name (empty: not one). */
static void section_of(const char *text, char *name, size_t n)
{
    name[0] = '\0';
    while (isspace((unsigned char)*text))
        text++;
    const char *e = *text == '[' ? strchr(text, ']') : NULL;
    if (e)
        snprintf(name, n, "%.*s", (int)(e - text - 1), text + 1);
}

int lt_ini_check_lines(const char *path, lt_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return lt_error_set(err, LT_EIO, "%s: cannot open: %s", path, strerror(errno));
    enum { MAX_SECTIONS = 256 };
    char (*seen)[LT_INI_MAX_LINE + 1] = malloc(MAX_SECTIONS * sizeof *seen), buf[LT_INI_MAX_LINE + 2];
    int seen_line[MAX_SECTIONS], nseen = 0;
    if (!seen) {
        fclose(f);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    int line = 1, len = 0, c, rc = LT_OK;
    while (!rc && (c = fgetc(f)) != EOF) {
        if (c != '\n' && c != '\r' && len < LT_INI_MAX_LINE + 1)
            buf[len] = (char)c;
        if (c == '\n') {
            buf[len < LT_INI_MAX_LINE + 1 ? len : LT_INI_MAX_LINE + 1] = '\0';
            char name[LT_INI_MAX_LINE + 1];
            section_of(buf, name, sizeof name);
            for (int i = 0; i < nseen && name[0]; i++)
                if (!strcmp(seen[i], name))
                    rc = lt_error_set(err, LT_EINPUT,
                                      "%s:%d: section [%s] appears twice (first at line %d): expected each section once",
                                      path, line, name, seen_line[i]);
            if (name[0] && nseen < MAX_SECTIONS) {
                snprintf(seen[nseen], sizeof seen[nseen], "%s", name);
                seen_line[nseen++] = line;
            }
            line++;
            len = 0;
        } else if (c != '\r' && ++len > LT_INI_MAX_LINE) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: line longer than %d characters: expected shorter lines (the INI reader's limit)",
                              path, line, LT_INI_MAX_LINE);
        }
    }
    if (!rc && len > 0) { /* a last line without a newline */
        buf[len] = '\0';
        char name[LT_INI_MAX_LINE + 1];
        section_of(buf, name, sizeof name);
        for (int i = 0; i < nseen && name[0] && !rc; i++)
            if (!strcmp(seen[i], name))
                rc = lt_error_set(err, LT_EINPUT,
                                  "%s:%d: section [%s] appears twice (first at line %d): expected each section once",
                                  path, line, name, seen_line[i]);
    }
    free(seen);
    fclose(f);
    return rc;
}

int lt_config_load(lt_config *cfg, const char *path, const char *const *sets, int nsets,
                   lt_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    parse_state st;
    memset(&st, 0, sizeof st);
    st.path = path;
    st.sets = sets;
    st.err = err;
    int rc = LT_OK;

    FILE *f = lt_file_open(path, "r", "the configuration", err);
    if (!f)
        return err->code;
    if ((rc = lt_ini_check_lines(path, err))) {
        fclose(f);
        return rc;
    }
    int line = ini_parse_file(f, on_ini_entry, &st);
    fclose(f);
    if (line != 0) {
        if (err->code == LT_OK)
            lt_error_set(err, LT_EINPUT, "%s:%d: not a valid INI line (expected [section] or key = value)",
                         path, line);
        else
            fix_where(err, path, line);
        rc = err->code;
        goto done;
    }
    {
        /* scenario keys read from the file: "path:line" for their messages */
        for (int i = 0; i < st.nscen; i++) {
            lt_scen_entry *e = &st.scen[i];
            char section[64];
            snprintf(section, sizeof section, "scenario.%s", e->scenario);
            int nth = 0;
            for (int j = 0; j < i; j++)
                nth += !strcmp(st.scen[j].scenario, e->scenario) && !strcmp(st.scen[j].key, e->key);
            snprintf(e->where, sizeof e->where, "%s:%d", path, lt_ini_key_line(path, section, e->key, nth));
        }
    }
    for (int i = 0; i < nsets; i++) {
        const char *s = sets[i];
        const char *dot = strchr(s, '.');
        const char *eq = strchr(s, '=');
        char where[LT_PATH_MAX];
        snprintf(where, sizeof where, "--set %s", s);
        if (!dot || !eq || dot > eq || dot == s || eq == dot + 1) {
            rc = lt_error_set(err, LT_EINPUT, "%s: expected section.key=value", where);
            goto done;
        }
        if (!strncmp(s, "scenario.", 9)) { /* --set scenario.NAME.key=value */
            const char *d2 = dot + 1;
            while (strchr(d2, '.') && strchr(d2, '.') < eq)
                d2 = strchr(d2, '.') + 1;
            dot = d2 - 1;
            if (dot == s + 8) {
                rc = lt_error_set(err, LT_EINPUT, "%s: expected scenario.NAME.key=value", where);
                goto done;
            }
        }
        char sec[64], key[64];
        snprintf(sec, sizeof sec, "%.*s", (int)(dot - s), s);
        snprintf(key, sizeof key, "%.*s", (int)(eq - dot - 1), dot + 1);
        if (!store(&st, sec, key, eq + 1, -1, i, where)) {
            rc = err->code;
            goto done;
        }
    }
    for (int i = 0; i < NKEYS; i++) {
        if (st.vals[i].value)
            continue;
        if (!keys[i].def) {
            rc = lt_error_set(err, LT_EINPUT, "%s: [%s] %s is missing (required)", path,
                              keys[i].section, keys[i].key);
            goto done;
        }
        st.vals[i].value = dup_str(keys[i].def);
        if (!st.vals[i].value) {
            rc = lt_error_set(err, LT_ENOMEM, "out of memory");
            goto done;
        }
    }
    char dir[LT_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        dir[0] = '\0';
    val_ctx vc = {&st, sets, err};
    if ((rc = validate(&vc, cfg, dir)) == LT_OK)
        rc = build_text(&st, cfg, err);
    if (rc == LT_OK) {
        cfg->scen = st.scen; /* handed over */
        cfg->nscen = st.nscen;
        st.scen = NULL;
    }
done:
    for (int i = 0; i < NKEYS; i++)
        free(st.vals[i].value);
    free(st.scen);
    if (rc != LT_OK)
        lt_config_free(cfg);
    return rc;
}

void lt_config_free(lt_config *cfg)
{
    free(cfg->text);
    free(cfg->scen);
    cfg->scen = NULL;
    cfg->nscen = 0;
    cfg->text = NULL;
}
