/* csv.c — the CSV table reader (see csv.h). */
#include "io/csv.h"
#include "io/files.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct row {
    int line;
    int nfields;
    char **fields;
} row;

struct lt_csv {
    char *path;
    char *text;        /* the file, fields are unescaped in place */
    row header;
    row *rows;
    size_t nrows;
};

/* Splits one line (NUL-terminated, may be modified) into fields. */
static int split_line(char *s, row *r, int line)
{
    int cap = 16;
    r->line = line;
    r->nfields = 0;
    r->fields = malloc((size_t)cap * sizeof *r->fields);
    if (!r->fields)
        return -1;
    for (;;) {
        if (r->nfields == cap) {
            cap *= 2;
            char **nf = realloc(r->fields, (size_t)cap * sizeof *nf);
            if (!nf)
                return -1;
            r->fields = nf;
        }
        while (*s == ' ' || *s == '\t')
            s++;
        char *start = s, *out = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (!*s)
                    return -2; /* unterminated quote */
                if (*s == '"' && s[1] == '"') {
                    *out++ = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    *out++ = *s++;
                }
            }
            while (*s == ' ' || *s == '\t')
                s++;
            if (*s && *s != ',')
                return -2;
        } else {
            while (*s && *s != ',')
                *out++ = *s++;
            while (out > start && (out[-1] == ' ' || out[-1] == '\t'))
                out--;
        }
        int more = *s == ',';
        *out = '\0';
        r->fields[r->nfields++] = start;
        if (!more)
            break;
        s++;
    }
    return 0;
}

/* The whole file into c->text (NUL-terminated; a NUL inside is an error). */
static int read_text(lt_csv *c, FILE *f, const char *path, lt_error *err)
{
    size_t cap = 1 << 16, n = 0, got;
    if (!(c->text = malloc(cap)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    while ((got = fread(c->text + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            cap *= 2;
            char *t = realloc(c->text, cap);
            if (!t)
                return lt_error_set(err, LT_ENOMEM, "out of memory");
            c->text = t;
        }
    }
    if (ferror(f))
        return lt_error_set(err, LT_EIO, "%s: read error: %s", path, strerror(errno));
    c->text[n] = '\0';
    if (memchr(c->text, '\0', n))
        return lt_error_set(err, LT_EINPUT, "%s: contains NUL bytes: expected a text CSV file", path);
    return LT_OK;
}

/* Appends row r to c->rows (capacity *rcap); frees r's fields on failure. */
static int push_row(lt_csv *c, row r, size_t *rcap, lt_error *err)
{
    if (c->nrows == *rcap) {
        row *nr = realloc(c->rows, 2 * *rcap * sizeof *nr);
        if (!nr) {
            free(r.fields);
            return lt_error_set(err, LT_ENOMEM, "out of memory");
        }
        c->rows = nr;
        *rcap *= 2;
    }
    c->rows[c->nrows++] = r;
    return LT_OK;
}

/* The lines of c->text into the header and the rows (blank and '#' lines skipped). */
static int split_rows(lt_csv *c, const char *path, int *have_header, lt_error *err)
{
    char *s = c->text;
    if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        s += 3; /* UTF-8 byte-order mark from spreadsheet exports */
    size_t rcap = 64;
    if (!(c->rows = malloc(rcap * sizeof *c->rows)))
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int line = 0, rc = LT_OK;
    while (*s && !rc) {
        line++;
        char *e = strchr(s, '\n');
        char *next = e ? e + 1 : s + strlen(s);
        if (e)
            *e = '\0';
        size_t len = strlen(s);
        if (len && s[len - 1] == '\r')
            s[len - 1] = '\0';
        char *t = s;
        while (isspace((unsigned char)*t))
            t++;
        if (*t && *t != '#') {
            row r;
            int sr = split_line(s, &r, line);
            if (sr == -1)
                return lt_error_set(err, LT_ENOMEM, "out of memory");
            if (sr == -2) {
                free(r.fields);
                return lt_error_set(err, LT_EINPUT, "%s:%d: unbalanced double quote", path, line);
            }
            if (!*have_header) {
                c->header = r;
                *have_header = 1;
            } else {
                rc = push_row(c, r, &rcap, err);
            }
        }
        s = next;
    }
    return rc;
}

int lt_csv_open(lt_csv **out, const char *path, lt_error *err)
{
    *out = NULL;
    FILE *f = lt_file_open(path, "rb", "", err);
    if (!f)
        return err->code;
    lt_csv *c = calloc(1, sizeof *c);
    if (!c) {
        fclose(f);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    int rc = (c->path = strdup(path)) ? read_text(c, f, path, err) : lt_error_set(err, LT_ENOMEM, "out of memory");
    fclose(f);
    int have_header = 0;
    if (!rc)
        rc = split_rows(c, path, &have_header, err);
    if (!rc && !have_header)
        rc = lt_error_set(err, LT_EINPUT, "%s: empty file: expected a header line", path);
    for (int i = 0; !rc && i < c->header.nfields; i++)
        for (int j = 0; !rc && j < i; j++)
            if (c->header.fields[i][0] && !strcmp(c->header.fields[i], c->header.fields[j]))
                rc = lt_error_set(err, LT_EINPUT, "%s:%d: column '%s' appears twice (columns %d and %d): "
                                  "expected each column once", path, c->header.line, c->header.fields[i], j + 1, i + 1);
    if (rc) {
        lt_csv_close(&c);
        return rc;
    }
    *out = c;
    return LT_OK;
}

void lt_csv_close(lt_csv **csv)
{
    if (!csv || !*csv)
        return;
    lt_csv *c = *csv;
    for (size_t i = 0; i < c->nrows; i++)
        free(c->rows[i].fields);
    free(c->header.fields);
    free(c->rows);
    free(c->text);
    free(c->path);
    free(c);
    *csv = NULL;
}

int lt_csv_column(const lt_csv *c, const char *name)
{
    for (int i = 0; i < c->header.nfields; i++)
        if (strcmp(c->header.fields[i], name) == 0)
            return i;
    return -1;
}

int lt_csv_ncols(const lt_csv *c) { return c->header.nfields; }

const char *lt_csv_header(const lt_csv *c, int col)
{
    return col >= 0 && col < c->header.nfields ? c->header.fields[col] : "";
}

int lt_csv_require(const lt_csv *c, const char *const *names, int n, lt_error *err)
{
    for (int i = 0; i < n; i++) {
        if (lt_csv_column(c, names[i]) >= 0)
            continue;
        char list[512] = "";
        for (int j = 0; j < n; j++) {
            if (j)
                strncat(list, ",", sizeof list - strlen(list) - 1);
            strncat(list, names[j], sizeof list - strlen(list) - 1);
        }
        return lt_error_set(err, LT_EINPUT,
                            "%s:%d: missing column '%s' in the header (expected at least: %s)",
                            c->path, c->header.line, names[i], list);
    }
    return LT_OK;
}

size_t lt_csv_rows(const lt_csv *c) { return c->nrows; }
const char *lt_csv_path(const lt_csv *c) { return c->path; }
int lt_csv_line(const lt_csv *c, size_t r) { return c->rows[r].line; }

const char *lt_csv_field(const lt_csv *c, size_t r, int col)
{
    if (col < 0 || col >= c->rows[r].nfields)
        return "";
    return c->rows[r].fields[col];
}

int lt_csv_double(const lt_csv *c, size_t r, const char *name, double lo, double hi,
                  const char *expected, double *out, lt_error *err)
{
    int col = lt_csv_column(c, name);
    const char *s = lt_csv_field(c, r, col);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v) || v < lo || v > hi)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column '%s' = '%s': expected %s", c->path,
                            c->rows[r].line, name, s, expected);
    *out = v;
    return LT_OK;
}

int lt_csv_string(const lt_csv *c, size_t r, const char *name, int required, char *buf,
                  size_t n, lt_error *err)
{
    int col = lt_csv_column(c, name);
    const char *s = lt_csv_field(c, r, col);
    size_t len = strlen(s);
    if (required && len == 0)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column '%s' is empty: expected a value",
                            c->path, c->rows[r].line, name);
    if (len >= n)
        return lt_error_set(err, LT_EINPUT, "%s:%d: column '%s' = '%.40s...': expected at most %zu bytes",
                            c->path, c->rows[r].line, name, s, n - 1);
    memcpy(buf, s, len + 1);
    return LT_OK;
}
