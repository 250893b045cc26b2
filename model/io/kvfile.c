/* kvfile.c — INI data files read whole (see kvfile.h). */
#include "io/kvfile.h"

#include "io/config.h"
#include "io/files.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *section, *key, *value;
    int line;
} entry;

struct lt_kvfile {
    char *path;
    entry *e;
    size_t n, cap;
    FILE *f;     /* while reading: to find line numbers */
    int oom;
};

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    lt_kvfile *kv = user;
    if (kv->n == kv->cap) {
        size_t cap = kv->cap ? 2 * kv->cap : 32;
        entry *ne = realloc(kv->e, cap * sizeof *ne);
        if (!ne) {
            kv->oom = 1;
            return 0;
        }
        kv->e = ne;
        kv->cap = cap;
    }
    entry *e = &kv->e[kv->n];
    e->section = strdup(section);
    e->key = strdup(key);
    e->value = strdup(value);
    e->line = 0;
    if (!e->section || !e->key || !e->value) {
        kv->oom = 1;
        return 0;
    }
    kv->n++;
    return 1;
}

/* inih gives no line numbers to handlers: find them in the file. A key
 * given twice in a section is an error naming both lines. */
static int number_lines(lt_kvfile *kv, lt_error *err)
{
    for (size_t i = 0; i < kv->n; i++) {
        entry *e = &kv->e[i];
        int nth = 0;
        for (size_t j = 0; j < i; j++)
            nth += !strcmp(kv->e[j].section, e->section) && !strcmp(kv->e[j].key, e->key);
        e->line = lt_ini_key_line(kv->path, e->section, e->key, nth);
        if (nth)
            return lt_error_set(err, LT_EINPUT, "%s:%d: [%s] %s is given twice (first at line %d): expected each key once",
                                kv->path, e->line, e->section, e->key,
                                lt_ini_key_line(kv->path, e->section, e->key, 0));
    }
    return LT_OK;
}

int lt_kvfile_read(lt_kvfile **out, const char *path, lt_error *err)
{
    *out = NULL;
    lt_kvfile *kv = calloc(1, sizeof *kv);
    if (!kv || !(kv->path = strdup(path))) {
        free(kv);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    FILE *f = lt_file_open(path, "r", "", err);
    if (!f) {
        lt_kvfile_free(&kv);
        return err->code;
    }
    if (lt_ini_check_lines(path, err)) {
        fclose(f);
        lt_kvfile_free(&kv);
        return err->code;
    }
    int line = ini_parse_file(f, on_entry, kv);
    fclose(f);
    if (kv->oom || line != 0) {
        int rc = kv->oom ? lt_error_set(err, LT_ENOMEM, "out of memory")
                         : lt_error_set(err, LT_EINPUT, "%s:%d: not a valid INI line (expected [section] or key = value)",
                                        path, line);
        lt_kvfile_free(&kv);
        return rc;
    }
    if (number_lines(kv, err)) {
        lt_kvfile_free(&kv);
        return err->code;
    }
    *out = kv;
    return LT_OK;
}

void lt_kvfile_free(lt_kvfile **kvp)
{
    if (!kvp || !*kvp)
        return;
    lt_kvfile *kv = *kvp;
    for (size_t i = 0; i < kv->n; i++) {
        free(kv->e[i].section);
        free(kv->e[i].key);
        free(kv->e[i].value);
    }
    free(kv->e);
    free(kv->path);
    free(kv);
    *kvp = NULL;
}

const char *lt_kvfile_path(const lt_kvfile *kv) { return kv->path; }

static const entry *find(const lt_kvfile *kv, const char *section, const char *key)
{
    for (size_t i = kv->n; i-- > 0;) /* the last one wins, as in the config */
        if (!strcmp(kv->e[i].section, section) && !strcmp(kv->e[i].key, key))
            return &kv->e[i];
    return NULL;
}

const char *lt_kvfile_get(const lt_kvfile *kv, const char *section, const char *key)
{
    const entry *e = find(kv, section, key);
    return e ? e->value : NULL;
}

static int missing(const lt_kvfile *kv, const char *section, const char *key, lt_error *err)
{
    return lt_error_set(err, LT_EINPUT, "%s: [%s] %s is missing (required)", kv->path, section, key);
}

static int parse_number(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    return end != s && !*end && !errno && isfinite(*v) ? 0 : -1;
}

int lt_kvfile_double(const lt_kvfile *kv, const char *section, const char *key, const double *def,
                     double lo, double hi, double *out, lt_error *err)
{
    const entry *e = find(kv, section, key);
    if (!e) {
        if (!def)
            return missing(kv, section, key, err);
        *out = *def;
        return LT_OK;
    }
    double v;
    if (parse_number(e->value, &v) || v < lo || v > hi)
        return lt_error_set(err, LT_EINPUT, "%s:%d: [%s] %s = '%s': expected a number from %g to %g",
                            kv->path, e->line, section, key, e->value, lo, hi);
    *out = v;
    return LT_OK;
}

/* Splits e->value at commas; calls each(item, i, ctx); returns the count or -1. */
static int split(const char *value, int max, int (*each)(const char *, size_t, int, void *), void *ctx)
{
    int n = 0;
    const char *s = value;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        const char *e = strchr(s, ',');
        if (!e)
            e = s + strlen(s);
        const char *t = e;
        while (t > s && isspace((unsigned char)t[-1]))
            t--;
        if (n == max || each(s, (size_t)(t - s), n, ctx))
            return -1;
        n++;
        s = *e ? e + 1 : e;
    }
    return n;
}

static int each_number(const char *s, size_t len, int i, void *ctx)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return parse_number(buf, &((double *)ctx)[i]);
}

int lt_kvfile_doubles(const lt_kvfile *kv, const char *section, const char *key, double *out,
                      int max, int *n_out, lt_error *err)
{
    const entry *e = find(kv, section, key);
    if (!e)
        return missing(kv, section, key, err);
    int n = split(e->value, max, each_number, out);
    if (n < 0 || (!n_out && n != max) || n == 0)
        return lt_error_set(err, LT_EINPUT, "%s:%d: [%s] %s = '%s': expected %s%d comma-separated numbers",
                            kv->path, e->line, section, key, e->value, n_out ? "up to " : "", max);
    if (n_out)
        *n_out = n;
    return LT_OK;
}

typedef struct names_ctx {
    char *out;
    size_t width;
} names_ctx;

static int each_name(const char *s, size_t len, int i, void *ctx)
{
    names_ctx *c = ctx;
    if (len == 0 || len >= c->width)
        return -1;
    memcpy(c->out + (size_t)i * c->width, s, len);
    c->out[(size_t)i * c->width + len] = '\0';
    return 0;
}

int lt_kvfile_names(const lt_kvfile *kv, const char *section, const char *key, char *out,
                    size_t width, int max, int *n_out, lt_error *err)
{
    const entry *e = find(kv, section, key);
    if (!e)
        return missing(kv, section, key, err);
    names_ctx c = {out, width};
    int n = split(e->value, max, each_name, &c);
    if (n <= 0)
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: [%s] %s = '%s': expected 1 to %d comma-separated names of at most %zu bytes",
                            kv->path, e->line, section, key, e->value, max, width - 1);
    *n_out = n;
    return LT_OK;
}

int lt_kvfile_check_keys(const lt_kvfile *kv, const char *const *allowed, int n, lt_error *err)
{
    for (size_t i = 0; i < kv->n; i++) {
        const entry *e = &kv->e[i];
        int ok = 0;
        for (int k = 0; k < n && !ok; k++) {
            const char *dot = strchr(allowed[k], '.');
            size_t sl = (size_t)(dot - allowed[k]);
            ok = strlen(e->section) == sl && !strncmp(allowed[k], e->section, sl) &&
                 !strcmp(dot + 1, e->key);
        }
        if (!ok)
            return lt_error_set(err, LT_EINPUT, "%s:%d: unknown key '%s' in [%s]", kv->path, e->line,
                                e->key, e->section);
    }
    return LT_OK;
}
