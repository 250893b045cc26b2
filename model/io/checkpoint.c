/* checkpoint.c — the state file of a long run (see checkpoint.h). */
#include "io/checkpoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "LANTIAN-CKPT-1\n"
#define NAME_MAX_LEN 48
#define PATH_LEN 4096

struct lt_ckpt {
    FILE *f;
    int writing, failed;
    char path[PATH_LEN], tmp[PATH_LEN + 8];
};

uint64_t lt_ckpt_fingerprint(const char *text, uint64_t seed)
{
    uint64_t h = 1469598103934665603ULL ^ seed;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

static void put_raw(lt_ckpt *ck, const void *p, size_t n)
{
    if (!ck->failed && n && fwrite(p, 1, n, ck->f) != n)
        ck->failed = 1;
}

int lt_ckpt_create(lt_ckpt **out, const char *path, uint64_t fingerprint, int hours_done,
                   const char *output_copy, lt_error *err)
{
    *out = NULL;
    lt_ckpt *ck = calloc(1, sizeof *ck);
    if (!ck)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    snprintf(ck->path, sizeof ck->path, "%s", path);
    snprintf(ck->tmp, sizeof ck->tmp, "%s.tmp", path);
    ck->writing = 1;
    if (!(ck->f = fopen(ck->tmp, "wb"))) {
        int e = errno;
        free(ck);
        return lt_error_set(err, LT_EIO, "%s.tmp: cannot write the checkpoint: %s", path, strerror(e));
    }
    put_raw(ck, MAGIC, sizeof MAGIC - 1);
    put_raw(ck, &fingerprint, sizeof fingerprint);
    put_raw(ck, &hours_done, sizeof hours_done);
    lt_ckpt_put(ck, "output_copy", output_copy, strlen(output_copy) + 1);
    *out = ck;
    return LT_OK;
}

void lt_ckpt_put(lt_ckpt *ck, const char *name, const void *data, size_t bytes)
{
    char nm[NAME_MAX_LEN] = {0};
    snprintf(nm, sizeof nm, "%s", name);
    uint64_t n = bytes;
    put_raw(ck, nm, sizeof nm);
    put_raw(ck, &n, sizeof n);
    put_raw(ck, data, bytes);
}

int lt_ckpt_commit(lt_ckpt **p, lt_error *err)
{
    lt_ckpt *ck = *p;
    int bad = ck->failed || fflush(ck->f) != 0;
    bad |= fclose(ck->f) != 0;
    ck->f = NULL;
    if (bad || rename(ck->tmp, ck->path) != 0) {
        int e = errno;
        char path[PATH_LEN];
        snprintf(path, sizeof path, "%s", ck->path);
        lt_ckpt_close(p);
        return lt_error_set(err, LT_EIO, "%s: cannot write the checkpoint: %s", path, strerror(e));
    }
    free(ck);
    *p = NULL;
    return LT_OK;
}

int lt_ckpt_open(lt_ckpt **out, const char *path, uint64_t fingerprint, int *hours_done,
                 char *output_copy, size_t ncopy, lt_error *err)
{
    *out = NULL;
    lt_ckpt *ck = calloc(1, sizeof *ck);
    if (!ck)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    snprintf(ck->path, sizeof ck->path, "%s", path);
    if (!(ck->f = fopen(path, "rb"))) {
        int e = errno;
        free(ck);
        return lt_error_set(err, LT_EIO, "%s: cannot open the checkpoint to restart from: %s (run without "
                            "--restart, or with [run] checkpoint_hours set, first)", path, strerror(e));
    }
    char magic[sizeof MAGIC - 1];
    uint64_t fp = 0;
    if (fread(magic, 1, sizeof magic, ck->f) != sizeof magic || memcmp(magic, MAGIC, sizeof magic) ||
        fread(&fp, sizeof fp, 1, ck->f) != 1 || fread(hours_done, sizeof *hours_done, 1, ck->f) != 1) {
        lt_ckpt_close(&ck);
        return lt_error_set(err, LT_EINPUT, "%s: not a lantian checkpoint (or cut short)", path);
    }
    if (fp != fingerprint) {
        lt_ckpt_close(&ck);
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint was written by another configuration or version "
                            "(fingerprint %016llx, this run %016llx): expected the same configuration and overrides",
                            path, (unsigned long long)fp, (unsigned long long)fingerprint);
    }
    /* the output copy's name, of variable size */
    char nm[NAME_MAX_LEN];
    uint64_t n;
    if (fread(nm, 1, sizeof nm, ck->f) != sizeof nm || strncmp(nm, "output_copy", sizeof nm) ||
        fread(&n, sizeof n, 1, ck->f) != 1 || n == 0 || n > ncopy ||
        fread(output_copy, 1, (size_t)n, ck->f) != n) {
        lt_ckpt_close(&ck);
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint's header is damaged", path);
    }
    output_copy[n - 1] = '\0';
    *out = ck;
    return LT_OK;
}

int lt_ckpt_get(lt_ckpt *ck, const char *name, void *data, size_t bytes, lt_error *err)
{
    char nm[NAME_MAX_LEN];
    uint64_t n;
    if (fread(nm, 1, sizeof nm, ck->f) != sizeof nm || fread(&n, sizeof n, 1, ck->f) != 1)
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint ends before '%s'", ck->path, name);
    nm[sizeof nm - 1] = '\0';
    if (strcmp(nm, name) || n != bytes)
        return lt_error_set(err, LT_EINPUT, "%s: checkpoint record '%s' of %llu bytes where '%s' of %zu bytes was "
                            "expected: expected a checkpoint of this configuration and version",
                            ck->path, nm, (unsigned long long)n, name, bytes);
    if (bytes && fread(data, 1, bytes, ck->f) != bytes)
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint ends inside '%s'", ck->path, name);
    return LT_OK;
}

void lt_ckpt_close(lt_ckpt **p)
{
    lt_ckpt *ck = p ? *p : NULL;
    if (!ck)
        return;
    if (ck->f)
        fclose(ck->f);
    if (ck->writing)
        remove(ck->tmp);
    free(ck);
    *p = NULL;
}
