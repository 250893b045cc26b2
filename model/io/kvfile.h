/* kvfile.h — a data file in INI form (policy tables, rule sets) read whole into
 * (section, key, value, line) entries, with getters whose errors name the
 * file, line, key and value. The run configuration has its own fixed schema
 * (config.c); this is for the data files it points to. */
#ifndef LT_KVFILE_H
#define LT_KVFILE_H

#include <stddef.h>

#include "core/lt_error.h"

typedef struct lt_kvfile lt_kvfile;

int lt_kvfile_read(lt_kvfile **kv, const char *path, lt_error *err);
void lt_kvfile_free(lt_kvfile **kv);
const char *lt_kvfile_path(const lt_kvfile *kv);

/* The value of [section] key, or NULL. */
const char *lt_kvfile_get(const lt_kvfile *kv, const char *section, const char *key);

/* Number in [lo, hi]; required unless def is non-NULL (then *def when absent). */
int lt_kvfile_double(const lt_kvfile *kv, const char *section, const char *key, const double *def,
                     double lo, double hi, double *out, lt_error *err);

/* A comma-separated list of numbers, exactly n of them (n_out NULL) or up to
 * max (count in *n_out). */
int lt_kvfile_doubles(const lt_kvfile *kv, const char *section, const char *key, double *out,
                      int max, int *n_out, lt_error *err);

/* A comma-separated list of names, each copied into out[i] (width bytes). */
int lt_kvfile_names(const lt_kvfile *kv, const char *section, const char *key, char *out,
                    size_t width, int max, int *n_out, lt_error *err);

/* Fails naming the first key of the file not in allowed[] ("section.key"). */
int lt_kvfile_check_keys(const lt_kvfile *kv, const char *const *allowed, int n, lt_error *err);

#endif
