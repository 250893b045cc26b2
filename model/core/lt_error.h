/* lt_error.h — the error buffer every lantian call fills instead of printing.
 *
 * Library code never prints and never exits: a failing function writes one
 * line (file, line or variable, value, what was expected) into an lt_error
 * and returns a non-zero status. The program prints it. */
#ifndef LT_ERROR_H
#define LT_ERROR_H

#include <stddef.h>

enum {
    LT_OK = 0,
    LT_EINPUT = 1,   /* bad input data or configuration */
    LT_EIO = 2,      /* a file could not be read or written */
    LT_ENOMEM = 3,   /* out of memory */
    LT_EINTERNAL = 4, /* a library (PROJ, netCDF, udunits) failed unexpectedly */
    LT_EINTR = 5      /* stopped by a signal */
};

typedef struct lt_error {
    int code;
    char msg[2048];
} lt_error;

/* Clears err (safe with NULL). */
void lt_error_clear(lt_error *err);

/* Formats the message into err (printf-style) and returns code. The first
 * error wins: a later call does not overwrite an earlier message. A message
 * longer than the buffer keeps its beginning and its end (the file and the
 * expectation) and loses the middle, marked " [...] ", which is where a long
 * echoed value or path sits. */
int lt_error_set(lt_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
