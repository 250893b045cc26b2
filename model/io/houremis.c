/* houremis.c — hourly stack emission files (see houremis.h). */
#include "io/houremis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/config.h"
#include "io/csv.h"

int lt_houremis_read(lt_houremis *he, const char *path, const lt_point *pts, size_t npts,
                     double start_s, int hours, lt_error *err)
{
    memset(he, 0, sizeof *he);
    he->hours = hours;
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    static const char *const cols[] = {"time", "id", "pm25_gs"};
    static const char *const names[LT_HE_NFIELDS] = {"pm25_gs", "so2_gs", "nox_gs", "voc_gs", "temp_K", "velocity_ms"};
    static const double hi[LT_HE_NFIELDS] = {1e7, 1e7, 1e7, 1e7, 2000, 100};
    static const char *const what[LT_HE_NFIELDS] = {
        "an emission in g/s from 0 to 1e7", "an emission in g/s from 0 to 1e7", "an emission in g/s from 0 to 1e7",
        "an emission in g/s from 0 to 1e7", "an exit temperature in K from 0 (ambient) to 2000",
        "an exit velocity in m/s from 0 to 100"};
    he->slot = malloc((npts ? npts : 1) * sizeof *he->slot);
    if (!he->slot) {
        lt_csv_close(&c);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < npts; i++)
        he->slot[i] = -1;
    if ((rc = lt_csv_require(c, cols, 3, err)))
        goto done;
    /* the stacks listed, in order of first appearance */
    for (size_t r = 0; r < lt_csv_rows(c); r++) {
        const char *id = lt_csv_field(c, r, lt_csv_column(c, "id"));
        size_t i = 0;
        while (i < npts && strcmp(pts[i].id, id))
            i++;
        if (i == npts) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'id' = '%s': expected the id of a source in the points file",
                              path, lt_csv_line(c, r), id);
            goto done;
        }
        if (pts[i].kind != LT_SRC_STACK) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'id' = '%s': expected a stack (hourly files are for stacks)",
                              path, lt_csv_line(c, r), id);
            goto done;
        }
        if (he->slot[i] < 0)
            he->slot[i] = he->nlisted++;
    }
    size_t n = (size_t)he->nlisted * (size_t)hours * LT_HE_NFIELDS;
    he->val = malloc((n ? n : 1) * sizeof *he->val);
    if (!he->val) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory for %d stacks x %d hours", he->nlisted, hours);
        goto done;
    }
    for (size_t k = 0; k < n; k++)
        he->val[k] = NAN;
    int *seen = calloc((size_t)he->nlisted * (size_t)hours + 1, sizeof *seen); /* the row of each stack-hour */
    if (!seen) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < lt_csv_rows(c) && !rc; r++) {
        const char *ts = lt_csv_field(c, r, lt_csv_column(c, "time"));
        const char *id = lt_csv_field(c, r, lt_csv_column(c, "id"));
        double t;
        if (lt_parse_iso8601(ts, &t)) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: column 'time' = '%s': expected YYYY-MM-DDTHH:MM:SSZ",
                              path, lt_csv_line(c, r), ts);
            break;
        }
        double hf = (t - start_s) / 3600.0;
        if (hf < 0 || hf >= hours || fabs(hf - round(hf)) > 1e-6)
            continue; /* outside the run (or not on the hour): not used */
        int h = (int)round(hf);
        size_t i = 0;
        while (strcmp(pts[i].id, id))
            i++;
        size_t at = (size_t)he->slot[i] * (size_t)hours + (size_t)h;
        if (seen[at]) {
            rc = lt_error_set(err, LT_EINPUT, "%s:%d: stack '%s' at %s appears twice (first at line %d): expected one "
                              "row per stack and hour", path, lt_csv_line(c, r), id, ts, seen[at]);
            break;
        }
        seen[at] = lt_csv_line(c, r);
        for (int f = 0; f < LT_HE_NFIELDS && !rc; f++)
            if (lt_csv_column(c, names[f]) >= 0)
                rc = lt_csv_double(c, r, names[f], 0, hi[f], what[f], &he->val[at * LT_HE_NFIELDS + f], err);
    }
    for (size_t i = 0; i < npts && !rc; i++) {
        if (he->slot[i] < 0)
            continue;
        for (int h = 0; h < hours; h++)
            if (!seen[(size_t)he->slot[i] * (size_t)hours + (size_t)h]) {
                char iso[32];
                lt_format_iso8601(start_s + 3600.0 * h, iso, sizeof iso);
                rc = lt_error_set(err, LT_EINPUT, "%s: stack '%s' has no row for %s (hour %d of the run): expected every hour of the run for each stack listed",
                                  path, pts[i].id, iso, h);
                break;
            }
    }
    free(seen);
done:
    lt_csv_close(&c);
    if (rc)
        lt_houremis_free(he);
    return rc;
}

const double *lt_houremis_get(const lt_houremis *he, size_t i, int h)
{
    if (!he->slot || he->slot[i] < 0)
        return NULL;
    return he->val + ((size_t)he->slot[i] * (size_t)he->hours + (size_t)h) * LT_HE_NFIELDS;
}

void lt_houremis_free(lt_houremis *he)
{
    free(he->slot);
    free(he->val);
    he->slot = NULL;
    he->val = NULL;
}
