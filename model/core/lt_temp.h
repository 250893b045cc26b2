/* lt_temp.h — the temporary files a run has open, kept where a signal
 * handler can remove them: the program owns an lt_tempfiles and passes it to
 * the run; the output (its partial file and side files) and the checkpoint
 * writer register their temporary names and drop them once renamed or
 * removed. lt_temp_unlink_all is async-signal-safe (only unlink). */
#ifndef LT_TEMP_H
#define LT_TEMP_H

#include <signal.h>

#define LT_TEMP_MAX 16
#define LT_TEMP_PATH 4200

typedef struct lt_tempfiles {
    volatile sig_atomic_t used[LT_TEMP_MAX];
    char path[LT_TEMP_MAX][LT_TEMP_PATH];
} lt_tempfiles;

/* Registers path (safe with t == NULL; ignored when the list is full). */
void lt_temp_add(lt_tempfiles *t, const char *path);

/* Drops path from the list (it has been renamed or removed). */
void lt_temp_drop(lt_tempfiles *t, const char *path);

/* Removes every registered file (for a signal handler). */
void lt_temp_unlink_all(lt_tempfiles *t);

#endif
