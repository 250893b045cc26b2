/* csv.h — a small reader for the comma-separated tables lantian takes
 * (sources, stations). Columns are found by header name; every row keeps its
 * line number so that errors can name it. Double quotes may enclose a field;
 * blank lines and lines starting with '#' are skipped. */
#ifndef LT_CSV_H
#define LT_CSV_H

#include <stddef.h>

#include "core/lt_error.h"

typedef struct lt_csv lt_csv;

/* Reads the whole file. */
int lt_csv_open(lt_csv **csv, const char *path, lt_error *err);
void lt_csv_close(lt_csv **csv);

/* Column index of name in the header, or -1. */
int lt_csv_column(const lt_csv *csv, const char *name);

/* The header's columns: their number and the name of column col. */
int lt_csv_ncols(const lt_csv *csv);
const char *lt_csv_header(const lt_csv *csv, int col);

/* Checks that every name in names[0..n) is a header column; the error names
 * the first missing one. */
int lt_csv_require(const lt_csv *csv, const char *const *names, int n, lt_error *err);

size_t lt_csv_rows(const lt_csv *csv);
const char *lt_csv_path(const lt_csv *csv);
int lt_csv_line(const lt_csv *csv, size_t row);   /* line number in the file */

/* The field of row at column col (never NULL; "" when the row is short). */
const char *lt_csv_field(const lt_csv *csv, size_t row, int col);

/* Parses field (row, column name) as a finite number in [lo, hi]; the error
 * names file, line, column, value and expectation. */
int lt_csv_double(const lt_csv *csv, size_t row, const char *name, double lo, double hi,
                  const char *expected, double *out, lt_error *err);

/* Copies field (row, name) into buf of size n; too long or (if required)
 * empty is an error. */
int lt_csv_string(const lt_csv *csv, size_t row, const char *name, int required, char *buf,
                  size_t n, lt_error *err);

#endif
