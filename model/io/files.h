/* files.h — opening an input file with the errors users need: a missing
 * file, a folder where a file was expected, a file that cannot be read. */
#ifndef LT_FILES_H
#define LT_FILES_H

#include <stdio.h>

#include "core/lt_error.h"

/* fopen(path, mode) for reading a regular file; NULL with err set to
 * "PATH: cannot open WHAT: REASON" (WHAT may be "") or "PATH: is a folder:
 * expected WHAT". */
FILE *lt_file_open(const char *path, const char *mode, const char *what, lt_error *err);

#endif
