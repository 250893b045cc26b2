/* scenario.c — reading scenarios and measures, and the factor of a group of
 * sources at an hour (see scenario.h). */
#include "policy/scenario.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

typedef struct ctx {
    lt_scenarios *sc;
    const lt_config *cfg;
    const lt_point *pts;
    size_t npts;
    const lt_station *st;
    size_t nst;
    const lt_alert_rules *alert;
    lt_error *err;
} ctx;

static const char *sector_list(const lt_config *cfg, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < cfg->nsectors; i++) {
        if (i)
            strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, cfg->sectors[i], n - strlen(buf) - 1);
    }
    if (cfg->background_file[0]) {
        strncat(buf, ", ", n - strlen(buf) - 1);
        strncat(buf, cfg->background_name, n - strlen(buf) - 1);
    }
    return buf;
}

/* Splits "a|b|c" into items; calls f for each; returns non-zero on failure. */
static int each_item(const char *v, int (*f)(ctx *, lt_rule *, const char *), ctx *c, lt_rule *r)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", v);
    char *save = NULL;
    for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
        if (f(c, r, t))
            return 1;
    return 0;
}

static int add_sector(ctx *c, lt_rule *r, const char *s)
{
    if (!strcmp(s, "*")) {
        r->sector_mask = 0xFFFFFFFFu;
        return 0;
    }
    int k = lt_config_sector_index(c->cfg, s);
    if (k >= 0) {
        r->sector_mask |= 1u << k;
        return 0;
    }
    if (c->cfg->background_file[0] && !strcmp(s, c->cfg->background_name)) {
        r->sector_mask |= LT_RULE_BACKGROUND;
        return 0;
    }
    char list[LT_MAX_SECTORS * LT_NAME_MAX + 64];
    lt_error_set(c->err, LT_EINPUT, "%s: unknown sector '%s' (expected one of: %s)", r->where, s,
                 sector_list(c->cfg, list, sizeof list));
    return 1;
}

static int add_grade(ctx *c, lt_rule *r, const char *s)
{
    if (!strcmp(s, "*"))
        r->grade_mask = 0x1F;
    else if (strlen(s) == 1 && s[0] >= 'A' && s[0] <= 'D')
        r->grade_mask |= 1u << (s[0] - 'A');
    else if (!strcmp(s, "-"))
        r->grade_mask |= 1u << 4;
    else {
        lt_error_set(c->err, LT_EINPUT, "%s: unknown grade '%s' (expected A, B, C, D, - for ungraded, or *)",
                     r->where, s);
        return 1;
    }
    return 0;
}

static int add_county(ctx *c, lt_rule *r, const char *s)
{
    if (!strcmp(s, "*"))
        return 0;
    int known = 0;
    for (size_t i = 0; i < c->npts && !known; i++)
        known = !strcmp(c->pts[i].county, s);
    for (size_t i = 0; i < c->nst && !known; i++)
        known = !strcmp(c->st[i].county, s);
    if (!known || r->ncounties == LT_RULE_MAX_ITEMS || strlen(s) >= sizeof r->counties[0]) {
        lt_error_set(c->err, LT_EINPUT, "%s: unknown county '%s' (expected a county of the sources or stations)",
                     r->where, s);
        return 1;
    }
    snprintf(r->counties[r->ncounties++], sizeof r->counties[0], "%s", s);
    return 0;
}

static int add_id(ctx *c, lt_rule *r, const char *s)
{
    int known = 0;
    for (size_t i = 0; i < c->npts && !known; i++)
        known = !strcmp(c->pts[i].id, s);
    if (!known || r->nids == LT_RULE_MAX_ITEMS) {
        lt_error_set(c->err, LT_EINPUT, "%s: unknown source id '%s' (expected an id of %s)", r->where, s,
                     c->cfg->points_file);
        return 1;
    }
    snprintf(r->ids[r->nids++], sizeof r->ids[0], "%s", s);
    return 0;
}

static int add_species(ctx *c, lt_rule *r, const char *s)
{
    static const char *const known[] = {"pm25", "pm", "so2", "nox", "nh3", "voc", "co", "all", "*"};
    static const unsigned bits[] = {LT_SPECIES_PM25, LT_SPECIES_PM25, LT_SPECIES_SO2, LT_SPECIES_NOX, LT_SPECIES_NH3,
                                    LT_SPECIES_VOC,  LT_SPECIES_CO,   LT_SPECIES_ALL, LT_SPECIES_ALL};
    for (int i = 0; i < 9; i++)
        if (!strcmp(s, known[i])) {
            if (i < 2 || i >= 7)
                r->pm25 = 1; /* cuts of PM include PM2.5 */
            r->species |= bits[i];
            return 0;
        }
    lt_error_set(c->err, LT_EINPUT, "%s: unknown species '%s' (expected pm25, pm, so2, nox, nh3, voc, co or all)",
                 r->where, s);
    return 1;
}

static lt_rule *new_rule(ctx *c, int scenario, const char *where)
{
    lt_scenarios *sc = c->sc;
    if (sc->nrules == LT_MAX_RULES) {
        lt_error_set(c->err, LT_EINPUT, "%s: more than %d rules in all scenarios", where, LT_MAX_RULES);
        return NULL;
    }
    lt_rule *r = &sc->rule[sc->nrules++];
    memset(r, 0, sizeof *r);
    r->scenario = scenario;
    r->t_from = -INFINITY;
    r->t_to = INFINITY;
    r->factor = 1.0;
    snprintf(r->where, sizeof r->where, "%s", where);
    return r;
}

/* "sector=coal|industry grade=C|D county=X id=P1 species=pm25 factor=0.5 from=T to=T" */
static int parse_cut(ctx *c, int scenario, const lt_scen_entry *e)
{
    char where[LT_PATH_MAX + 400];
    snprintf(where, sizeof where, "%s: [scenario.%s] cut = '%.200s'", e->where, e->scenario, e->value);
    lt_rule *r = new_rule(c, scenario, where);
    if (!r)
        return 1;
    int have_factor = 0, have_species = 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", e->value);
    char *save = NULL;
    for (char *tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq || eq == tok || !eq[1]) {
            lt_error_set(c->err, LT_EINPUT, "%s: '%s': expected key=value (sector, county, grade, id, species, factor, from, to)",
                         where, tok);
            return 1;
        }
        *eq = '\0';
        const char *k = tok, *v = eq + 1;
        int fail = 0;
        if (!strcmp(k, "sector"))
            fail = each_item(v, add_sector, c, r);
        else if (!strcmp(k, "grade"))
            fail = each_item(v, add_grade, c, r);
        else if (!strcmp(k, "county"))
            fail = each_item(v, add_county, c, r);
        else if (!strcmp(k, "id"))
            fail = each_item(v, add_id, c, r);
        else if (!strcmp(k, "species")) {
            have_species = 1;
            fail = each_item(v, add_species, c, r);
        } else if (!strcmp(k, "factor")) {
            char *end;
            r->factor = strtod(v, &end);
            if (*end || !(r->factor >= 0 && r->factor <= 10)) {
                lt_error_set(c->err, LT_EINPUT, "%s: factor '%s': expected a number from 0 to 10", where, v);
                return 1;
            }
            have_factor = 1;
        } else if (!strcmp(k, "from") || !strcmp(k, "to")) {
            double t;
            if (lt_parse_iso8601(v, &t)) {
                lt_error_set(c->err, LT_EINPUT, "%s: %s '%s': expected an ISO 8601 UTC time like 2017-01-03T00:00:00Z",
                             where, k, v);
                return 1;
            }
            if (!strcmp(k, "from"))
                r->t_from = t;
            else
                r->t_to = t;
        } else {
            lt_error_set(c->err, LT_EINPUT, "%s: unknown selector '%s' (expected sector, county, grade, id, species, factor, from, to)",
                         where, k);
            return 1;
        }
        if (fail)
            return 1;
    }
    if (!have_factor) {
        lt_error_set(c->err, LT_EINPUT, "%s: no factor=: expected the multiplicative factor on emissions", where);
        return 1;
    }
    if (!have_species) {
        r->pm25 = 1;
        r->species = LT_SPECIES_ALL;
    }
    if (!r->sector_mask)
        r->sector_mask = 0xFFFFFFFFu;
    if (!r->grade_mask)
        r->grade_mask = 0x1F;
    if (!(r->t_to > r->t_from)) {
        lt_error_set(c->err, LT_EINPUT, "%s: 'to' is not after 'from'", where);
        return 1;
    }
    return 0;
}

static int level_index(const lt_alert_rules *a, const char *name)
{
    for (int k = 0; a && k < a->nlevels; k++)
        if (!strcmp(a->level[k].name, name))
            return k + 1;
    return 0;
}

/* Adds the measures of `level` (or, with level 0, of every level as alert
 * rules) from the measures table. */
static int add_measures(ctx *c, int scenario, int level, const char *why)
{
    const lt_config *cfg = c->cfg;
    if (!cfg->measures_file[0]) {
        lt_error_set(c->err, LT_EINPUT, "%s: needs [assessment] measures (the measures table of the alert levels)", why);
        return 1;
    }
    lt_csv *csv;
    if (lt_csv_open(&csv, cfg->measures_file, c->err))
        return 1;
    static const char *const cols[] = {"level", "sector", "grade", "species", "factor"};
    int rc = lt_csv_require(csv, cols, 5, c->err) ? 1 : 0;
    for (size_t i = 0; i < lt_csv_rows(csv) && !rc; i++) {
        char where[LT_PATH_MAX + 400];
        snprintf(where, sizeof where, "%s:%d", cfg->measures_file, lt_csv_line(csv, i));
        const char *lv = lt_csv_field(csv, i, lt_csv_column(csv, "level"));
        int li = level_index(c->alert, lv);
        if (!li) {
            lt_error_set(c->err, LT_EINPUT, "%s: column 'level' = '%s': expected a level of the alert rules %s",
                         where, lv, c->alert ? c->alert->name : "(none given: set [assessment] alert_rules)");
            rc = 1;
            break;
        }
        if (level && li != level)
            continue;
        lt_rule *r = new_rule(c, scenario, where);
        if (!r) {
            rc = 1;
            break;
        }
        r->alert_level = level ? 0 : li;
        double f;
        if (each_item(lt_csv_field(csv, i, lt_csv_column(csv, "sector")), add_sector, c, r) ||
            each_item(lt_csv_field(csv, i, lt_csv_column(csv, "grade")), add_grade, c, r) ||
            each_item(lt_csv_field(csv, i, lt_csv_column(csv, "species")), add_species, c, r) ||
            lt_csv_double(csv, i, "factor", 0, 1, "a factor from 0 to 1", &f, c->err)) {
            rc = 1;
            break;
        }
        r->factor = f;
    }
    lt_csv_close(&csv);
    return rc;
}

/* A table of cuts (plan measures): one row a cut, columns sector, grade,
 * county, id, species, factor and, optionally, from, to (empty or '*': any),
 * more columns (a note) ignored. Each row becomes the cut line it spells. */
static int add_cuts_file(ctx *c, int scenario, const lt_scen_entry *e, const char *path)
{
    lt_csv *csv;
    if (lt_csv_open(&csv, path, c->err))
        return 1;
    static const char *const cols[] = {"sector", "grade", "county", "id", "species", "factor"};
    static const char *const opt[] = {"from", "to"};
    int rc = lt_csv_require(csv, cols, 6, c->err) ? 1 : 0;
    for (size_t i = 0; i < lt_csv_rows(csv) && !rc; i++) {
        lt_scen_entry row;
        memset(&row, 0, sizeof row);
        snprintf(row.scenario, sizeof row.scenario, "%s", e->scenario);
        snprintf(row.key, sizeof row.key, "cut");
        snprintf(row.where, sizeof row.where, "%s:%d", path, lt_csv_line(csv, i));
        size_t n = 0;
        for (int k = 0; k < 8; k++) {
            const char *name = k < 6 ? cols[k] : opt[k - 6];
            int col = lt_csv_column(csv, name);
            const char *v = lt_csv_field(csv, i, col);
            if (col < 0 || !v[0] || (!strcmp(v, "*") && k != 5))
                continue;
            n += (size_t)snprintf(row.value + n, sizeof row.value - n, "%s%s=%s", n ? " " : "", name, v);
            if (n >= sizeof row.value) {
                lt_error_set(c->err, LT_EINPUT, "%s: row too long", row.where);
                rc = 1;
                break;
            }
        }
        if (!rc && parse_cut(c, scenario, &row))
            rc = 1;
    }
    lt_csv_close(&csv);
    return rc;
}

static int find_or_add(lt_scenarios *sc, const char *name)
{
    for (int i = 0; i < sc->n; i++)
        if (!strcmp(sc->name[i], name))
            return i;
    if (sc->n == LT_MAX_SCENARIOS)
        return -1;
    snprintf(sc->name[sc->n], sizeof sc->name[0], "%s", name);
    return sc->n++;
}

static int matches(const lt_rule *r, const lt_point *p)
{
    if (!(r->sector_mask & (1u << p->sector)))
        return 0;
    unsigned g = p->grade == '-' ? 1u << 4 : 1u << (p->grade - 'A');
    if (!(r->grade_mask & g))
        return 0;
    if (r->ncounties) {
        int ok = 0;
        for (int i = 0; i < r->ncounties && !ok; i++)
            ok = !strcmp(r->counties[i], p->county);
        if (!ok)
            return 0;
    }
    if (r->nids) {
        int ok = 0;
        for (int i = 0; i < r->nids && !ok; i++)
            ok = !strcmp(r->ids[i], p->id);
        if (!ok)
            return 0;
    }
    return r->species != 0;
}

uint64_t lt_scenario_signature(const lt_scenarios *sc, const lt_point *p)
{
    uint64_t s = 0;
    for (int r = 0; r < sc->nrules; r++)
        if (matches(&sc->rule[r], p))
            s |= (uint64_t)1 << r;
    return s;
}

uint64_t lt_scenario_signature_background(const lt_scenarios *sc)
{
    uint64_t s = 0;
    for (int r = 0; r < sc->nrules; r++) {
        const lt_rule *x = &sc->rule[r];
        /* only rules that name the background (a '*' sector does not) */
        if (x->sector_mask != 0xFFFFFFFFu && (x->sector_mask & LT_RULE_BACKGROUND) && x->pm25 &&
            !x->ncounties && !x->nids)
            s |= (uint64_t)1 << r;
    }
    return s;
}

double lt_scenario_factor(const lt_scenarios *sc, int s, uint64_t sig, double t_s, int alert_level)
{
    return lt_scenario_factor_species(sc, s, sig, t_s, alert_level, LT_SPECIES_PM25);
}

double lt_scenario_factor_species(const lt_scenarios *sc, int s, uint64_t sig, double t_s,
                                  int alert_level, unsigned species)
{
    double f = 1.0;
    for (int r = 0; r < sc->nrules; r++) {
        const lt_rule *x = &sc->rule[r];
        if (x->scenario != s || !(sig & ((uint64_t)1 << r)) || !(x->species & species))
            continue;
        if (t_s < x->t_from || t_s >= x->t_to)
            continue;
        if (x->alert_level && x->alert_level != alert_level)
            continue;
        f *= x->factor;
    }
    return f;
}

int lt_scenario_steady(const lt_scenarios *sc, int s)
{
    for (int r = 0; r < sc->nrules; r++) {
        const lt_rule *x = &sc->rule[r];
        if (x->scenario == s && (isfinite(x->t_from) || isfinite(x->t_to)))
            return 0;
    }
    return 1;
}

void lt_scenarios_alert_rerun(const lt_scenarios *sc, const int *alert_hour, int hours, double start_s,
                              const uint64_t *gsig, int ngroups, int *need_hours, int *need_groups)
{
    for (int h = 0; h < hours; h++) {
        if (!alert_hour[h])
            continue;
        for (int s = 0; s < sc->n; s++)
            need_hours[h] |= sc->alert_mode[s] != 0;
        double t = start_s + 3600.0 * h;
        for (int r = 0; r < sc->nrules; r++) {
            const lt_rule *x = &sc->rule[r];
            if (!sc->alert_mode[x->scenario] || x->alert_level != alert_hour[h] || t < x->t_from ||
                t >= x->t_to || x->factor == 1.0)
                continue; /* not in force then, or a rule that changes nothing */
            for (int g = 0; g < ngroups; g++)
                need_groups[g] |= (int)((gsig[g] >> r) & 1u);
        }
    }
}

void lt_scenario_entry_path(const lt_config *cfg, const lt_scen_entry *e, char *out, size_t n)
{
    /* relative to the config's folder, as every path of the config; as
     * given when it comes from --set */
    const char *slash = strrchr(cfg->path, '/');
    if (e->value[0] == '/' || !slash || !strncmp(e->where, "--set", 5))
        snprintf(out, n, "%s", e->value);
    else
        snprintf(out, n, "%.*s/%s", (int)(slash - cfg->path), cfg->path, e->value);
}

int lt_scenarios_build(lt_scenarios *sc, const lt_config *cfg, const lt_point *pts, size_t npts,
                       const lt_station *st, size_t nst, const lt_alert_rules *alert,
                       lt_error *err)
{
    memset(sc, 0, sizeof *sc);
    ctx c = {sc, cfg, pts, npts, st, nst, alert, err};
    for (int i = 0; i < cfg->nscen; i++) {
        const lt_scen_entry *e = &cfg->scen[i];
        int s = find_or_add(sc, e->scenario);
        if (s < 0)
            return lt_error_set(err, LT_EINPUT, "%s: more than %d scenarios", e->where, LT_MAX_SCENARIOS);
        if (!strcmp(e->key, "description")) {
            snprintf(sc->description[s], sizeof sc->description[0], "%.127s", e->value);
        } else if (!strcmp(e->key, "cut")) {
            if (parse_cut(&c, s, e))
                return err->code;
        } else if (!strcmp(e->key, "cuts_file")) {
            char path[LT_PATH_MAX];
            lt_scenario_entry_path(cfg, e, path, sizeof path);
            if (add_cuts_file(&c, s, e, path))
                return err->code;
        } else if (!strcmp(e->key, "level")) {
            char why[LT_PATH_MAX + 256];
            snprintf(why, sizeof why, "%s: [scenario.%s] level = %.40s", e->where, e->scenario, e->value);
            int li = level_index(alert, e->value);
            if (!li)
                return lt_error_set(err, LT_EINPUT, "%s: unknown level (expected a level of [assessment] alert_rules%s%s)",
                                    why, alert ? ": " : ", which is not set", alert ? alert->name : "");
            sc->level[s] = li;
            if (add_measures(&c, s, li, why))
                return err->code;
        } else { /* alert */
            char why[LT_PATH_MAX + 256];
            snprintf(why, sizeof why, "%s: [scenario.%s] alert = %.40s", e->where, e->scenario, e->value);
            if (strcmp(e->value, "yes") && strcmp(e->value, "no"))
                return lt_error_set(err, LT_EINPUT, "%s: expected yes or no", why);
            if (!strcmp(e->value, "no"))
                continue;
            if (!alert)
                return lt_error_set(err, LT_EINPUT, "%s: needs [assessment] alert_rules", why);
            sc->alert_mode[s] = 1;
            if (add_measures(&c, s, 0, why))
                return err->code;
        }
    }
    /* What each level's measures do to the point sources' total PM2.5. */
    sc->nlevels = alert ? alert->nlevels : 0;
    if (alert && cfg->measures_file[0]) {
        lt_scenarios probe;
        memset(&probe, 0, sizeof probe);
        ctx pc = {&probe, cfg, pts, npts, st, nst, alert, err};
        probe.n = 1;
        if (add_measures(&pc, 0, 0, cfg->measures_file))
            return err->code;
        double q = 0.0;
        double qcut[LT_ALERT_MAX_LEVELS + 1] = {0};
        for (size_t i = 0; i < npts; i++) {
            uint64_t sig = lt_scenario_signature(&probe, &pts[i]);
            q += pts[i].pm25_tpy;
            for (int l = 1; l <= alert->nlevels; l++)
                qcut[l] += pts[i].pm25_tpy * lt_scenario_factor(&probe, 0, sig, 0.0, l);
        }
        for (int l = 1; l <= alert->nlevels; l++)
            sc->level_cut[l] = q > 0 ? 1.0 - qcut[l] / q : 0.0;
    }
    return LT_OK;
}
