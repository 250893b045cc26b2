/* files.c — opening input files (see files.h). */
#include "io/files.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

FILE *lt_file_open(const char *path, const char *mode, const char *what, lt_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        lt_error_set(err, LT_EINPUT, "%s: is a folder: expected %s", path, what[0] ? what : "a file");
        return NULL;
    }
    FILE *f = fopen(path, mode);
    if (!f)
        lt_error_set(err, LT_EIO, "%s: cannot open%s%s: %s", path, what[0] ? " " : "", what, strerror(errno));
    return f;
}
