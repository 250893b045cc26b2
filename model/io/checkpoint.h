/* checkpoint.h — the state file of a long run ([run] checkpoint_hours).
 *
 * Layout: a magic line, the run's fingerprint (its configuration and
 * version), the hours done, the writing process's id, the run's inputs (the
 * path, size and CRC-32 of the content of each), then named binary records,
 * and at the end the CRC-32 of everything before it. Written under a
 * temporary name and renamed, so a run killed while writing keeps the
 * previous checkpoint whole. On restart the checksum, the fingerprint and
 * every input are verified before anything is read back: a damaged
 * checkpoint, another configuration or an input changed since is one clear
 * error. The file names derived from a checkpoint (the output's copy, the
 * stopped run's partial file) are made from the output's name, the hours and
 * the process id, never read as paths from the file. */
#ifndef LT_CHECKPOINT_H
#define LT_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "core/lt_error.h"
#include "core/lt_temp.h"

#define LT_CKPT_PATH 1024

typedef struct lt_ckpt lt_ckpt;

/* An input of the run as the checkpoint records it. */
typedef struct lt_ckpt_input {
    char path[LT_CKPT_PATH];
    uint64_t size;
    uint32_t crc;        /* CRC-32 (zlib's) of the whole content */
} lt_ckpt_input;

/* FNV-1a of a text (the resolved configuration): a checkpoint belongs to one
 * configuration. */
uint64_t lt_ckpt_fingerprint(const char *text, uint64_t seed);

/* The size and CRC-32 of the file at path. */
int lt_ckpt_hash_file(const char *path, lt_ckpt_input *in, lt_error *err);

/* Writing: records go to PATH.tmp; commit adds the checksum and renames it
 * to path. */
int lt_ckpt_create(lt_ckpt **ck, const char *path, uint64_t fingerprint, int hours_done, long pid,
                   const lt_ckpt_input *inputs, size_t ninputs, lt_tempfiles *temp, lt_error *err);
void lt_ckpt_put(lt_ckpt *ck, const char *name, const void *data, size_t bytes);
int lt_ckpt_commit(lt_ckpt **ck, lt_error *err);

/* Reading: the checksum must hold, the header carry the same fingerprint and
 * the same inputs (each by size and CRC-32); hours_done must be in (0,
 * max_hours) and pid positive. Each record is read back by name in the
 * order written and must have the size asked for. */
int lt_ckpt_open(lt_ckpt **ck, const char *path, uint64_t fingerprint, const lt_ckpt_input *inputs,
                 size_t ninputs, int max_hours, int *hours_done, long *pid, lt_error *err);
int lt_ckpt_get(lt_ckpt *ck, const char *name, void *data, size_t bytes, lt_error *err);

/* Closes (and, when writing, deletes the temporary file). Safe with NULL. */
void lt_ckpt_close(lt_ckpt **ck);

#endif
