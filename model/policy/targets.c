/* targets.c — the plan's targets and their attainment (see targets.h). */
#include "policy/targets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

void lt_targets_free(lt_targets *t)
{
    free(t->t);
    t->t = NULL;
    t->n = 0;
}

/* An optional number column: empty is NaN. */
static int opt_number(const lt_csv *c, size_t r, const char *name, double hi, double *out, lt_error *err)
{
    const char *f = lt_csv_field(c, r, lt_csv_column(c, name));
    *out = NAN;
    if (!*f)
        return LT_OK;
    char *end;
    double v = strtod(f, &end);
    if (*end || !isfinite(v) || v < 0 || v > hi)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column '%s' = '%s': expected a number from 0 to %g, or empty for no "
                            "target", lt_csv_path(c), lt_csv_line(c, r), name, f, hi);
    *out = v;
    return LT_OK;
}

/* Row r into g. */
static int target_row(const lt_csv *c, size_t r, const char *const *names, size_t ncounty, lt_target *g,
                      lt_error *err)
{
    const char *path = lt_csv_path(c), *lv = lt_csv_field(c, r, lt_csv_column(c, "level"));
    const char *nm = lt_csv_field(c, r, lt_csv_column(c, "name"));
    int line = lt_csv_line(c, r), rc;
    g->line = line;
    g->county = -1;
    if (!strcmp(lv, "city")) {
        g->level = LT_LEVEL_CITY;
    } else if (!strcmp(lv, "county")) {
        g->level = LT_LEVEL_COUNTY;
        for (size_t k = 0; k < ncounty && g->county < 0; k++)
            if (!strcmp(names[k], nm))
                g->county = (int)k;
        if (g->county < 0) {
            char list[512] = "";
            for (size_t k = 0; k < ncounty; k++) {
                size_t l = strlen(list);
                if (l + strlen(names[k]) + 8 >= sizeof list) {
                    snprintf(list + l, sizeof list - l, ", ...");
                    break;
                }
                snprintf(list + l, sizeof list - l, "%s%s", k ? ", " : "", names[k]);
            }
            return lt_error_set(err, LT_EINPUT, "%s:%d: county '%s' is not a county of the stations: expected one of %s",
                                path, line, nm, list);
        }
    } else {
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'level' = '%s': expected county or city", path, line, lv);
    }
    if ((rc = opt_number(c, r, "pm25_max", 1000, &g->pm25_max, err)) ||
        (rc = opt_number(c, r, "good_days_min", 366, &g->good_days_min, err)) ||
        (rc = opt_number(c, r, "heavy_days_max", 366, &g->heavy_days_max, err)))
        return rc;
    return LT_OK;
}

int lt_targets_read(lt_targets *t, const char *path, const char *const *names, size_t ncounty, lt_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", path);
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    static const char *const cols[] = {"level", "name", "pm25_max", "good_days_min", "heavy_days_max"};
    if ((rc = lt_csv_require(c, cols, 5, err)))
        goto done;
    size_t n = lt_csv_rows(c);
    if (!(t->t = calloc(n ? n : 1, sizeof *t->t))) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < n; r++) {
        lt_target *g = &t->t[t->n];
        if ((rc = target_row(c, r, names, ncounty, g, err)))
            goto done;
        const lt_target *dup = lt_targets_find(t, g->level == LT_LEVEL_CITY ? -1 : g->county);
        if (dup) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: a second row for %s (the first at line %d): expected one row per "
                              "level and name", path, g->line, g->level == LT_LEVEL_CITY ? "the city" : names[g->county],
                              dup->line);
            goto done;
        }
        t->n++;
    }
done:
    lt_csv_close(&c);
    if (rc)
        lt_targets_free(t);
    return rc;
}

const lt_target *lt_targets_find(const lt_targets *t, int county)
{
    for (size_t i = 0; t && i < t->n; i++)
        if ((county < 0 && t->t[i].level == LT_LEVEL_CITY) || (county >= 0 && t->t[i].level == LT_LEVEL_COUNTY &&
                                                               t->t[i].county == county))
            return &t->t[i];
    return NULL;
}

int lt_target_verdict(const lt_target *g, const lt_annual *a, int days_in_year, double *good_gap, double *pm25_gap)
{
    *good_gap = 0.0;
    *pm25_gap = 0.0;
    if (!g || a->valid_days == 0 || (isnan(g->pm25_max) && isnan(g->good_days_min) && isnan(g->heavy_days_max)))
        return -1;
    /* a year's target, held in proportion over the valid days of the period */
    double scale = days_in_year > 0 && a->valid_days < days_in_year ? (double)a->valid_days / days_in_year : 1.0;
    int ok = 1;
    if (!isnan(g->pm25_max) && a->mean[LT_POL_PM25] > g->pm25_max) {
        ok = 0;
        *pm25_gap = a->mean[LT_POL_PM25] - g->pm25_max;
    }
    if (!isnan(g->good_days_min) && a->good_days < g->good_days_min * scale - 1e-9) {
        ok = 0;
        *good_gap = ceil(g->good_days_min * scale - 1e-9) - a->good_days;
    }
    if (!isnan(g->heavy_days_max) && a->heavy_days > g->heavy_days_max * scale + 1e-9)
        ok = 0;
    return ok;
}
