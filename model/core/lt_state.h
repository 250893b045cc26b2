/* lt_state.h — the state of a run as a list of named records (name, where,
 * how many bytes), so that every part of a run (the solver stage, the grid
 * model, each product) says once what must survive a checkpoint, and the
 * same list is written and read back (io/checkpoint.c does the file). */
#ifndef LT_STATE_H
#define LT_STATE_H

#include <stddef.h>

#define LT_STATE_MAX 160

typedef struct lt_state_rec {
    const char *name;
    void *data;
    size_t bytes;        /* 0: nothing to keep (skipped) */
} lt_state_rec;

typedef struct lt_state {
    lt_state_rec rec[LT_STATE_MAX];
    int n;
    int overflow;        /* more records were added than fit */
} lt_state;

/* Adds one record to the list. */
static inline void lt_state_add(lt_state *s, const char *name, void *data, size_t bytes)
{
    if (s->n == LT_STATE_MAX) {
        s->overflow = 1;
        return;
    }
    lt_state_rec r = {name, data, bytes};
    s->rec[s->n++] = r;
}

#endif
