/* lt_temp.c — the run's temporary files (see lt_temp.h). */
#include "core/lt_temp.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void lt_temp_add(lt_tempfiles *t, const char *path)
{
    if (!t)
        return;
    for (int i = 0; i < LT_TEMP_MAX; i++)
        if (!t->used[i]) {
            snprintf(t->path[i], sizeof t->path[i], "%s", path);
            t->used[i] = 1; /* set last: the handler reads only complete names */
            return;
        }
}

void lt_temp_drop(lt_tempfiles *t, const char *path)
{
    if (!t)
        return;
    for (int i = 0; i < LT_TEMP_MAX; i++)
        if (t->used[i] && !strcmp(t->path[i], path))
            t->used[i] = 0;
}

void lt_temp_unlink_all(lt_tempfiles *t)
{
    if (!t)
        return;
    for (int i = 0; i < LT_TEMP_MAX; i++)
        if (t->used[i])
            unlink(t->path[i]);
}
