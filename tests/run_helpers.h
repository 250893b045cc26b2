/* run_helpers.h — whole runs of a fixture case from a test (load, run,
 * read a variable back, read a CSV field), shared by the test files that
 * run cases: include after lt_test.h and fixture.h. */
#ifndef LT_RUN_HELPERS_H
#define LT_RUN_HELPERS_H

#include <omp.h>
#include <string.h>

#include "io/config.h"
#include "products/products.h"

/* Loads dir/case.ini with the given overrides into *cfg and *cs. */
static inline int load_case(const char *dir, const char *const *sets, int nsets, lt_config *cfg, lt_case **cs,
                     lt_error *err)
{
    char cfgp[512];
    snprintf(cfgp, sizeof cfgp, "%s/case.ini", dir);
    lt_error_clear(err);
    *cs = NULL;
    int rc = lt_config_load(cfg, cfgp, sets, nsets, err);
    if (!rc && (rc = lt_case_load(cs, cfg, err)))
        lt_config_free(cfg);
    return rc;
}

/* Runs dir/case.ini with the given overrides on `threads` threads. */
static inline lt_summary run_case(const char *dir, const char *const *sets, int nsets, int threads)
{
    lt_error err;
    lt_config cfg;
    lt_case *cs = NULL;
    lt_summary sum;
    omp_set_num_threads(threads);
    int rc = load_case(dir, sets, nsets, &cfg, &cs, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    lt_run_options opt = {.command_line = "test_run", .version = "test"};
    rc = lt_run_case(cs, &opt, &sum, &err);
    if (rc)
        print_error("%s\n", err.msg);
    assert_int_equal(rc, 0);
    lt_case_free(&cs);
    lt_config_free(&cfg);
    return sum;
}

static inline float *read_var(int nc, const char *name, size_t *n)
{
    int v, nd, dims[NC_MAX_VAR_DIMS];
    assert_int_equal(nc_inq_varid(nc, name, &v), NC_NOERR);
    nc_inq_varndims(nc, v, &nd);
    nc_inq_vardimid(nc, v, dims);
    *n = 1;
    for (int i = 0; i < nd; i++) {
        size_t len;
        nc_inq_dimlen(nc, dims[i], &len);
        *n *= len;
    }
    float *buf = malloc(*n * sizeof *buf);
    assert_int_equal(nc_get_var_float(nc, v, buf), NC_NOERR);
    return buf;
}

/* Variable var of the NetCDF file path, all of it (n values). */
static inline float *read_path_var(const char *path, const char *var, size_t *n)
{
    int nc;
    assert_int_equal(nc_open(path, NC_NOWRITE, &nc), NC_NOERR);
    float *v = read_var(nc, var, n);
    nc_close(nc);
    return v;
}

/* Field k (0-based) of the CSV row of file path starting with prefix, into
 * buf ("" when empty); fails when there is no such row. */
static inline void csv_field(const char *path, const char *prefix, int k, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = !strncmp(line, prefix, strlen(prefix));
    fclose(f);
    if (!found)
        print_error("no row '%s' in %s\n", prefix, path);
    assert_true(found);
    char *c = line;
    for (int i = 0; i < k; i++) {
        c = strchr(c, ',');
        assert_non_null(c);
        c++;
    }
    size_t l = strcspn(c, ",\n");
    snprintf(buf, n, "%.*s", (int)(l < n ? l : n - 1), c);
}

static inline double csv_num(const char *path, const char *prefix, int k)
{
    char b[64];
    csv_field(path, prefix, k, b, sizeof b);
    assert_true(b[0] != '\0');
    return atof(b);
}

#endif
