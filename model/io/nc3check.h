/* nc3check.h — whether a netCDF-3 file is as long as its header says. The
 * netCDF library reads the missing part of a truncated classic file as fill
 * values without an error; this check makes a cut-short file one clear error. */
#ifndef LT_NC3CHECK_H
#define LT_NC3CHECK_H

#include "core/lt_error.h"

/* For a file open in netCDF as ncid: nothing for netCDF-4 files; for the
 * classic formats, an error when the file is shorter than its header
 * describes. */
int lt_nc3_check(const char *path, int ncid, lt_error *err);

#endif
