/* optcost.c — the cost segments of the annual plan (see optcost.h). */
#include "policy/optcost.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

void lt_opt_costs_free(lt_opt_costs *oc)
{
    free(oc->c);
    oc->c = NULL;
    oc->n = 0;
}

/* Field col of row r is '*' or one of names[0..n); the error lists them. */
static int check_name(const lt_csv *c, size_t r, const char *col, const char *const *names, size_t n,
                      lt_error *err)
{
    const char *f = lt_csv_field(c, r, lt_csv_column(c, col));
    if (!strcmp(f, "*"))
        return LT_OK;
    char list[600] = "";
    for (size_t k = 0; k < n; k++) {
        if (!strcmp(f, names[k]))
            return LT_OK;
        size_t l = strlen(list);
        if (l + strlen(names[k]) + 8 < sizeof list)
            snprintf(list + l, sizeof list - l, ", %s", names[k]);
    }
    return lt_error_set(err, LT_EINPUT, "%s:%d: column '%s' = '%s': expected * or one of%s", lt_csv_path(c),
                        lt_csv_line(c, r), col, f, list + 1);
}

/* Row r: its key checked, its cut_to and cost into *cut and *cost. */
static int cost_row(const lt_csv *c, size_t r, const char *const *sectors, int nsectors,
                    const char *const *counties, size_t ncounties, double *cut, double *cost, lt_error *err)
{
    int rc;
    const char *g = lt_csv_field(c, r, lt_csv_column(c, "grade"));
    if ((rc = check_name(c, r, "sector", sectors, (size_t)nsectors, err)) ||
        (rc = check_name(c, r, "county", counties, ncounties, err)))
        return rc;
    if (!(strlen(g) == 1 && strchr("ABCD-*", g[0])))
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'grade' = '%s': expected A, B, C, D, - (ungraded) or *",
                            lt_csv_path(c), lt_csv_line(c, r), g);
    if ((rc = lt_csv_double(c, r, "cut_to", 0, 1, "a fraction of the group's emissions from 0 to 1", cut, err)) ||
        (rc = lt_csv_double(c, r, "cost_yuan_per_t", 0, 1e12, "a cost in yuan per tonne, 0 or more", cost, err)))
        return rc;
    if (*cut <= 0.0)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'cut_to' = '%s': expected a fraction of the emissions above 0 "
                            "and at most 1", lt_csv_path(c), lt_csv_line(c, r), lt_csv_field(c, r, lt_csv_column(c, "cut_to")));
    return LT_OK;
}

/* Appends row r (checked) to its curve, creating it on its first row. */
static int add_row(lt_opt_costs *oc, const lt_csv *c, size_t r, double cut, double cost, lt_error *err)
{
    const char *s = lt_csv_field(c, r, lt_csv_column(c, "sector"));
    const char *k = lt_csv_field(c, r, lt_csv_column(c, "county"));
    const char *g = lt_csv_field(c, r, lt_csv_column(c, "grade"));
    lt_opt_curve *cv = NULL;
    for (size_t i = 0; i < oc->n && !cv; i++)
        if (!strcmp(oc->c[i].sector, s) && !strcmp(oc->c[i].county, k) && !strcmp(oc->c[i].grade, g))
            cv = &oc->c[i];
    int line = lt_csv_line(c, r);
    if (!cv) {
        cv = &oc->c[oc->n++];
        memset(cv, 0, sizeof *cv);
        snprintf(cv->sector, sizeof cv->sector, "%s", s);
        snprintf(cv->county, sizeof cv->county, "%s", k);
        snprintf(cv->grade, sizeof cv->grade, "%s", g);
        cv->line = line;
    }
    if (cv->nseg == LT_OPT_MAX_SEG)
        return lt_error_set(err, LT_EINPUT, "%s:%d: more than %d cost segments for %s,%s,%s: expected at most %d rows "
                            "per sector, county and grade", oc->path, line, LT_OPT_MAX_SEG, s, k, g, LT_OPT_MAX_SEG);
    if (cv->nseg && cut <= cv->cut_to[cv->nseg - 1])
        return lt_error_set(err, LT_EINPUT, "%s:%d: cut_to = %g after %g for %s,%s,%s: expected the segments' cut_to to "
                            "increase", oc->path, line, cut, cv->cut_to[cv->nseg - 1], s, k, g);
    if (cv->nseg && cost < cv->cost[cv->nseg - 1])
        return lt_error_set(err, LT_EINPUT, "%s:%d: cost_yuan_per_t = %g after %g for %s,%s,%s: expected marginal costs "
                            "that do not decrease as the cut deepens (a convex cost)", oc->path, line, cost,
                            cv->cost[cv->nseg - 1], s, k, g);
    cv->cut_to[cv->nseg] = cut;
    cv->cost[cv->nseg++] = cost;
    return LT_OK;
}

int lt_opt_costs_read(lt_opt_costs *oc, const char *path, const char *const *sectors, int nsectors,
                      const char *const *counties, size_t ncounties, lt_error *err)
{
    memset(oc, 0, sizeof *oc);
    snprintf(oc->path, sizeof oc->path, "%s", path);
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    static const char *const cols[] = {"sector", "county", "grade", "cut_to", "cost_yuan_per_t"};
    if ((rc = lt_csv_require(c, cols, 5, err)))
        goto done;
    size_t n = lt_csv_rows(c);
    if (n == 0) {
        rc = lt_error_set(err, LT_EINPUT, "%s: no rows: expected at least one cost segment", path);
        goto done;
    }
    if (!(oc->c = calloc(n, sizeof *oc->c))) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < n && !rc; r++) {
        double cut, cost;
        if (!(rc = cost_row(c, r, sectors, nsectors, counties, ncounties, &cut, &cost, err)))
            rc = add_row(oc, c, r, cut, cost, err);
    }
done:
    lt_csv_close(&c);
    if (rc)
        lt_opt_costs_free(oc);
    return rc;
}

const lt_opt_curve *lt_opt_costs_find(const lt_opt_costs *oc, const char *sector, const char *county, char grade)
{
    const lt_opt_curve *best = NULL;
    int best_score = -1;
    for (size_t i = 0; i < oc->n; i++) {
        const lt_opt_curve *cv = &oc->c[i];
        int s_any = !strcmp(cv->sector, "*"), c_any = !strcmp(cv->county, "*"), g_any = !strcmp(cv->grade, "*");
        if ((!s_any && strcmp(cv->sector, sector)) || (!c_any && strcmp(cv->county, county)) ||
            (!g_any && cv->grade[0] != grade))
            continue;
        int score = !s_any + !c_any + !g_any;
        if (score > best_score) {
            best = cv;
            best_score = score;
        }
    }
    return best;
}

void lt_emg_costs_free(lt_emg_costs *ec)
{
    free(ec->c);
    ec->c = NULL;
    ec->n = 0;
}

/* Row r of the emergency costs into *row, checked. */
static int emg_row(const lt_csv *c, size_t r, const char *const *const lists[4], const size_t nlist[4],
                   lt_emg_cost *row, lt_error *err)
{
    static const char *const cols[4] = {"level", "sector", "county", "id"};
    int rc;
    for (int i = 0; i < 4; i++)
        if ((rc = check_name(c, r, cols[i], lists[i], nlist[i], err)))
            return rc;
    const char *g = lt_csv_field(c, r, lt_csv_column(c, "grade"));
    if (!(strlen(g) == 1 && strchr("ABCD-*", g[0])))
        return lt_error_set(err, LT_EINPUT, "%s:%d: column 'grade' = '%s': expected A, B, C, D, - (ungraded) or *",
                            lt_csv_path(c), lt_csv_line(c, r), g);
    snprintf(row->level, sizeof row->level, "%s", lt_csv_field(c, r, lt_csv_column(c, "level")));
    snprintf(row->sector, sizeof row->sector, "%s", lt_csv_field(c, r, lt_csv_column(c, "sector")));
    snprintf(row->county, sizeof row->county, "%s", lt_csv_field(c, r, lt_csv_column(c, "county")));
    snprintf(row->grade, sizeof row->grade, "%s", g);
    snprintf(row->id, sizeof row->id, "%s", lt_csv_field(c, r, lt_csv_column(c, "id")));
    row->line = lt_csv_line(c, r);
    row->stop_per_day = NAN;
    if ((rc = lt_csv_double(c, r, "max_cut", 0, 1, "a fraction of the emissions from 0 to 1", &row->max_cut, err)) ||
        (rc = lt_csv_double(c, r, "cost_yuan_per_t", 0, 1e12, "a cost in yuan per tonne, 0 or more", &row->cost_per_t,
                            err)))
        return rc;
    if (lt_csv_field(c, r, lt_csv_column(c, "stop_yuan_per_day"))[0] &&
        (rc = lt_csv_double(c, r, "stop_yuan_per_day", 0, 1e12,
                            "a cost in yuan per day, 0 or more, or empty (it may not be stopped)", &row->stop_per_day, err)))
        return rc;
    return LT_OK;
}

int lt_emg_costs_read(lt_emg_costs *ec, const char *path, const char *const *levels, int nlevels,
                      const char *const *sectors, int nsectors, const char *const *counties, size_t ncounties,
                      const char *const *ids, size_t nids, lt_error *err)
{
    memset(ec, 0, sizeof *ec);
    snprintf(ec->path, sizeof ec->path, "%s", path);
    lt_csv *c;
    int rc = lt_csv_open(&c, path, err);
    if (rc)
        return rc;
    static const char *const cols[] = {"level", "sector", "county", "grade", "id", "max_cut", "cost_yuan_per_t",
                                       "stop_yuan_per_day"};
    const char *const *const lists[4] = {levels, sectors, counties, ids};
    const size_t nlist[4] = {(size_t)nlevels, (size_t)nsectors, ncounties, nids};
    if ((rc = lt_csv_require(c, cols, 8, err)))
        goto done;
    size_t n = lt_csv_rows(c);
    if (!(ec->c = calloc(n ? n : 1, sizeof *ec->c))) {
        rc = lt_error_set(err, LT_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < n && !rc; r++)
        if (!(rc = emg_row(c, r, lists, nlist, &ec->c[ec->n], err)))
            ec->n++;
done:
    lt_csv_close(&c);
    if (rc)
        lt_emg_costs_free(ec);
    return rc;
}

const lt_emg_cost *lt_emg_costs_find(const lt_emg_costs *ec, const char *level, const char *sector,
                                     const char *county, char grade, const char *id)
{
    const lt_emg_cost *best = NULL;
    int best_score = -1;
    for (size_t i = 0; i < ec->n; i++) {
        const lt_emg_cost *r = &ec->c[i];
        int l_any = !strcmp(r->level, "*"), s_any = !strcmp(r->sector, "*"), c_any = !strcmp(r->county, "*");
        int g_any = !strcmp(r->grade, "*"), i_any = !strcmp(r->id, "*");
        if ((!l_any && strcmp(r->level, level)) || (!s_any && strcmp(r->sector, sector)) ||
            (!c_any && strcmp(r->county, county)) || (!g_any && r->grade[0] != grade) || (!i_any && strcmp(r->id, id)))
            continue;
        int score = 8 * !i_any + !l_any + !s_any + !c_any + !g_any;
        if (score > best_score) {
            best = r;
            best_score = score;
        }
    }
    return best;
}
