/* alert.c — alert levels from rule sets (see alert.h). The 2018 unified rules
 * (yellow: AQI > 200 for >= 48 h; orange: >= 72 h; red: >= 96 h with AQI > 300
 * for >= 48 h, or AQI reaching 500) are one such data file. */
#include "policy/alert.h"

#include <stdio.h>
#include <string.h>

#include "io/kvfile.h"

int lt_alert_rules_read(lt_alert_rules *r, const char *path, lt_error *err)
{
    memset(r, 0, sizeof *r);
    lt_kvfile *kv;
    int rc = lt_kvfile_read(&kv, path, err);
    if (rc)
        return rc;
    char names[LT_ALERT_MAX_LEVELS][32];
    double thr;
    if ((rc = lt_kvfile_names(kv, "rules", "levels", &names[0][0], sizeof names[0], LT_ALERT_MAX_LEVELS, &r->nlevels, err)) ||
        (rc = lt_kvfile_double(kv, "rules", "threshold_aqi", NULL, 0, 1000, &thr, err)))
        goto done;
    const char *nm = lt_kvfile_get(kv, "rules", "name");
    snprintf(r->name, sizeof r->name, "%s", nm ? nm : path);
    static const char *const level_keys[] = {"threshold_aqi", "min_hours", "also_above_aqi",
                                             "also_min_hours", "or_reach_aqi", "min_emission_cut"};
    enum { NLK = 6 };
    const char *allowed[3 + NLK * LT_ALERT_MAX_LEVELS];
    char allowbuf[NLK * LT_ALERT_MAX_LEVELS][64];
    int na = 0;
    allowed[na++] = "rules.name";
    allowed[na++] = "rules.threshold_aqi";
    allowed[na++] = "rules.levels";
    for (int i = 0; i < r->nlevels; i++)
        for (int k = 0; k < NLK; k++) {
            char *b = allowbuf[i * NLK + k];
            snprintf(b, sizeof allowbuf[0], "%.31s.%s", names[i], level_keys[k]);
            allowed[na++] = b;
        }
    if ((rc = lt_kvfile_check_keys(kv, allowed, na, err)))
        goto done;
    for (int i = 0; i < r->nlevels; i++) {
        lt_alert_level *l = &r->level[i];
        const char *s = names[i];
        double mh, amh, zero = 0.0;
        memcpy(l->name, names[i], sizeof l->name);
        if ((rc = lt_kvfile_double(kv, s, "threshold_aqi", &thr, 0, 1000, &l->threshold, err)) ||
            (rc = lt_kvfile_double(kv, s, "min_hours", NULL, 1, 10000, &mh, err)) ||
            (rc = lt_kvfile_double(kv, s, "also_above_aqi", &zero, 0, 1000, &l->also_above, err)) ||
            (rc = lt_kvfile_double(kv, s, "also_min_hours", &zero, 0, 10000, &amh, err)) ||
            (rc = lt_kvfile_double(kv, s, "or_reach_aqi", &zero, 0, 1000, &l->or_reach, err)) ||
            (rc = lt_kvfile_double(kv, s, "min_emission_cut", &zero, 0, 1, &l->min_cut, err)))
            goto done;
        l->min_hours = (int)mh;
        l->also_min_hours = (int)amh;
    }
done:
    lt_kvfile_free(&kv);
    return rc;
}

/* Does the run aqi[a..b) qualify for level l? */
static int qualifies(const lt_alert_level *l, const int *aqi, size_t a, size_t b)
{
    if (l->or_reach > 0)
        for (size_t h = a; h < b; h++)
            if (aqi[h] >= l->or_reach)
                return 1;
    if ((int)(b - a) < l->min_hours)
        return 0;
    if (l->also_min_hours <= 0)
        return 1;
    int run = 0, best = 0;
    for (size_t h = a; h < b; h++) {
        run = aqi[h] > l->also_above ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best >= l->also_min_hours;
}

void lt_alert_levels(const lt_alert_rules *r, const int *aqi, size_t nh, int lead_hours,
                     int *level)
{
    for (size_t h = 0; h < nh; h++)
        level[h] = 0;
    for (int k = 0; k < r->nlevels; k++) {
        const lt_alert_level *l = &r->level[k];
        size_t h = 0;
        while (h < nh) {
            if (!(aqi[h] >= 0 && aqi[h] > l->threshold)) {
                h++;
                continue;
            }
            size_t a = h;
            while (h < nh && aqi[h] >= 0 && aqi[h] > l->threshold)
                h++;
            if (qualifies(l, aqi, a, h)) {
                size_t from = a >= (size_t)lead_hours ? a - (size_t)lead_hours : 0;
                for (size_t i = from; i < h; i++)
                    if (level[i] < k + 1)
                        level[i] = k + 1;
            }
        }
    }
}
