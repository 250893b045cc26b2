/* checkpoint.h — the state file of a long run ([run] checkpoint_hours): a
 * header (magic, version, the run's fingerprint, the hours done) and named
 * binary records, written under a temporary name and renamed, so a run killed
 * while writing keeps the previous checkpoint whole. The run restarts from it
 * with `lantian run CONFIG --restart` and ends with the same file as a run
 * never stopped (tests/test_scripts.sh kills one to check). */
#ifndef LT_CHECKPOINT_H
#define LT_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "core/lt_error.h"

typedef struct lt_ckpt lt_ckpt;

/* FNV-1a of a text (the resolved configuration): a checkpoint belongs to one
 * configuration. */
uint64_t lt_ckpt_fingerprint(const char *text, uint64_t seed);

/* Writing: records go to PATH.tmp; commit renames it to path. */
int lt_ckpt_create(lt_ckpt **ck, const char *path, uint64_t fingerprint, int hours_done,
                   const char *output_copy, lt_error *err);
void lt_ckpt_put(lt_ckpt *ck, const char *name, const void *data, size_t bytes);
int lt_ckpt_commit(lt_ckpt **ck, lt_error *err);

/* Reading: the header must carry the same fingerprint; each record is read
 * back by name in the order written and must have the size asked for. */
int lt_ckpt_open(lt_ckpt **ck, const char *path, uint64_t fingerprint, int *hours_done,
                 char *output_copy, size_t ncopy, lt_error *err);
int lt_ckpt_get(lt_ckpt *ck, const char *name, void *data, size_t bytes, lt_error *err);

/* Closes (and, when writing, deletes the temporary file). Safe with NULL. */
void lt_ckpt_close(lt_ckpt **ck);

#endif
