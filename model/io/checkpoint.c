/* checkpoint.c — the state file of a long run (see checkpoint.h). */
#include "io/checkpoint.h"

#include <errno.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/files.h"

#define MAGIC "LANTIAN-CKPT-3\n" /* 3: alert-mode scenarios in the first pass */
#define NAME_MAX_LEN 48
#define PATH_LEN 4096

struct lt_ckpt {
    FILE *f;
    int writing, failed;
    lt_tempfiles *temp;           /* where the temporary name is registered */
    uint32_t crc;                 /* of the bytes written so far */
    unsigned char *data;          /* reading: the whole file, checked */
    size_t size, pos;
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

int lt_ckpt_hash_file(const char *path, lt_ckpt_input *in, lt_error *err)
{
    memset(in, 0, sizeof *in);
    snprintf(in->path, sizeof in->path, "%s", path);
    FILE *f = lt_file_open(path, "rb", "an input of the run", err);
    if (!f)
        return err->code;
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        in->crc = libdeflate_crc32(in->crc, buf, n);
        in->size += n;
    }
    int bad = ferror(f);
    fclose(f);
    return bad ? lt_error_set(err, LT_EIO, "%s: cannot read: %s", path, strerror(errno)) : LT_OK;
}

static void put_raw(lt_ckpt *ck, const void *p, size_t n)
{
    if (ck->failed || !n)
        return;
    if (fwrite(p, 1, n, ck->f) != n)
        ck->failed = 1;
    ck->crc = libdeflate_crc32(ck->crc, p, n);
}

int lt_ckpt_create(lt_ckpt **out, const char *path, uint64_t fingerprint, int hours_done, long pid,
                   const lt_ckpt_input *inputs, size_t ninputs, lt_tempfiles *temp, lt_error *err)
{
    *out = NULL;
    lt_ckpt *ck = calloc(1, sizeof *ck);
    if (!ck)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    snprintf(ck->path, sizeof ck->path, "%s", path);
    snprintf(ck->tmp, sizeof ck->tmp, "%s.tmp", path);
    ck->writing = 1;
    ck->temp = temp;
    lt_temp_add(temp, ck->tmp);
    if (!(ck->f = fopen(ck->tmp, "wb"))) {
        lt_temp_drop(temp, ck->tmp);
        int e = errno;
        free(ck);
        return lt_error_set(err, LT_EIO, "%s.tmp: cannot write the checkpoint: %s", path, strerror(e));
    }
    int64_t p64 = pid;
    uint64_t nin = ninputs;
    put_raw(ck, MAGIC, sizeof MAGIC - 1);
    put_raw(ck, &fingerprint, sizeof fingerprint);
    put_raw(ck, &hours_done, sizeof hours_done);
    put_raw(ck, &p64, sizeof p64);
    put_raw(ck, &nin, sizeof nin);
    for (size_t i = 0; i < ninputs; i++) {
        put_raw(ck, inputs[i].path, sizeof inputs[i].path);
        put_raw(ck, &inputs[i].size, sizeof inputs[i].size);
        put_raw(ck, &inputs[i].crc, sizeof inputs[i].crc);
    }
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
    uint32_t crc = ck->crc;
    int bad = ck->failed || fwrite(&crc, sizeof crc, 1, ck->f) != 1 || fflush(ck->f) != 0;
    int e = errno;
    bad |= fclose(ck->f) != 0;
    ck->f = NULL;
    if (bad || rename(ck->tmp, ck->path) != 0) {
        char path[PATH_LEN];
        snprintf(path, sizeof path, "%s", ck->path);
        lt_ckpt_close(p);
        return lt_error_set(err, LT_EIO, "%s: cannot write the checkpoint: %s", path, strerror(e ? e : errno));
    }
    lt_temp_drop(ck->temp, ck->tmp);
    free(ck);
    *p = NULL;
    return LT_OK;
}

/* n bytes of the checked file into out; -1 past its end. */
static int take(lt_ckpt *ck, void *out, size_t n)
{
    if (ck->size - ck->pos < n)
        return -1;
    memcpy(out, ck->data + ck->pos, n);
    ck->pos += n;
    return 0;
}

/* The whole file read and its checksum verified. */
static int read_checked(lt_ckpt *ck, lt_error *err)
{
    FILE *f = fopen(ck->path, "rb");
    if (!f)
        return lt_error_set(err, LT_EIO, "%s: cannot open the checkpoint to restart from: %s (run without --restart, "
                            "or with [run] checkpoint_hours set, first)", ck->path, strerror(errno));
    size_t cap = 1 << 20;
    ck->data = malloc(cap);
    size_t n;
    while (ck->data && (n = fread(ck->data + ck->size, 1, cap - ck->size, f)) > 0) {
        ck->size += n;
        if (ck->size == cap) {
            unsigned char *d = realloc(ck->data, cap *= 2);
            if (!d) {
                free(ck->data);
                ck->data = NULL;
            }
            ck->data = d;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!ck->data)
        return lt_error_set(err, LT_ENOMEM, "%s: out of memory reading the checkpoint", ck->path);
    if (bad)
        return lt_error_set(err, LT_EIO, "%s: cannot read the checkpoint: %s", ck->path, strerror(errno));
    uint32_t stored;
    if (ck->size >= sizeof MAGIC - 1 && !memcmp(ck->data, MAGIC, sizeof MAGIC - 3) &&
        memcmp(ck->data, MAGIC, sizeof MAGIC - 1))
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint was written by another configuration or version (format "
                            "%.15s, this lantian writes %.14s): expected a checkpoint of this version",
                            ck->path, (const char *)ck->data, MAGIC);
    if (ck->size < sizeof MAGIC - 1 + sizeof stored || memcmp(ck->data, MAGIC, sizeof MAGIC - 1))
        return lt_error_set(err, LT_EINPUT, "%s: not a lantian checkpoint (or cut short)", ck->path);
    ck->size -= sizeof stored;
    memcpy(&stored, ck->data + ck->size, sizeof stored);
    uint32_t crc = libdeflate_crc32(0, ck->data, ck->size);
    if (crc != stored)
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint is damaged (its CRC-32 is %08x, its content's %08x): "
                            "expected the file as the run wrote it", ck->path, stored, crc);
    ck->pos = sizeof MAGIC - 1;
    return LT_OK;
}

/* The recorded inputs against the run's. */
static int check_inputs(lt_ckpt *ck, const lt_ckpt_input *inputs, size_t ninputs, lt_error *err)
{
    uint64_t nin;
    if (take(ck, &nin, sizeof nin) || nin > 100000)
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint's header is damaged", ck->path);
    if (nin != ninputs)
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint's run read %llu input files, this run reads %zu: "
                            "expected the same inputs", ck->path, (unsigned long long)nin, ninputs);
    for (size_t i = 0; i < ninputs; i++) {
        lt_ckpt_input r;
        if (take(ck, r.path, sizeof r.path) || take(ck, &r.size, sizeof r.size) || take(ck, &r.crc, sizeof r.crc))
            return lt_error_set(err, LT_EINPUT, "%s: the checkpoint's header is damaged", ck->path);
        r.path[sizeof r.path - 1] = '\0';
        if (strcmp(r.path, inputs[i].path))
            return lt_error_set(err, LT_EINPUT, "%s: input %zu of the checkpoint's run is %s, this run's is %s: "
                                "expected the same inputs", ck->path, i + 1, r.path, inputs[i].path);
        if (r.size != inputs[i].size || r.crc != inputs[i].crc)
            return lt_error_set(err, LT_EINPUT, "%s: the input %s changed since the checkpoint (%llu bytes, CRC-32 "
                                "%08x then; %llu bytes, %08x now): expected the inputs of the stopped run",
                                ck->path, r.path, (unsigned long long)r.size, r.crc,
                                (unsigned long long)inputs[i].size, inputs[i].crc);
    }
    return LT_OK;
}

int lt_ckpt_open(lt_ckpt **out, const char *path, uint64_t fingerprint, const lt_ckpt_input *inputs,
                 size_t ninputs, int max_hours, int *hours_done, long *pid, lt_error *err)
{
    *out = NULL;
    lt_ckpt *ck = calloc(1, sizeof *ck);
    if (!ck)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    snprintf(ck->path, sizeof ck->path, "%s", path);
    uint64_t fp = 0;
    int64_t p64 = 0;
    int rc = read_checked(ck, err);
    if (!rc && (take(ck, &fp, sizeof fp) || take(ck, hours_done, sizeof *hours_done) || take(ck, &p64, sizeof p64)))
        rc = lt_error_set(err, LT_EINPUT, "%s: the checkpoint's header is damaged", path);
    if (!rc && fp != fingerprint)
        rc = lt_error_set(err, LT_EINPUT, "%s: the checkpoint was written by another configuration or version "
                          "(fingerprint %016llx, this run %016llx): expected the same configuration and overrides",
                          path, (unsigned long long)fp, (unsigned long long)fingerprint);
    if (!rc && (*hours_done <= 0 || *hours_done >= max_hours))
        rc = lt_error_set(err, LT_EINPUT, "%s: the checkpoint is at hour %d: expected an hour from 1 to %d",
                          path, *hours_done, max_hours - 1);
    if (!rc && (p64 <= 0 || p64 > 0x7fffffff))
        rc = lt_error_set(err, LT_EINPUT, "%s: the checkpoint's process id %lld is not one: expected 1 to 2^31",
                          path, (long long)p64);
    if (!rc)
        rc = check_inputs(ck, inputs, ninputs, err);
    if (rc) {
        lt_ckpt_close(&ck);
        return rc;
    }
    *pid = (long)p64;
    *out = ck;
    return LT_OK;
}

int lt_ckpt_get(lt_ckpt *ck, const char *name, void *data, size_t bytes, lt_error *err)
{
    char nm[NAME_MAX_LEN];
    uint64_t n;
    if (take(ck, nm, sizeof nm) || take(ck, &n, sizeof n))
        return lt_error_set(err, LT_EINPUT, "%s: the checkpoint ends before '%s'", ck->path, name);
    nm[sizeof nm - 1] = '\0';
    if (strcmp(nm, name) || n != bytes)
        return lt_error_set(err, LT_EINPUT, "%s: checkpoint record '%s' of %llu bytes where '%s' of %zu bytes was "
                            "expected: expected a checkpoint of this configuration and version",
                            ck->path, nm, (unsigned long long)n, name, bytes);
    if (bytes && take(ck, data, bytes))
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
    if (ck->writing) {
        remove(ck->tmp);
        lt_temp_drop(ck->temp, ck->tmp);
    }
    free(ck->data);
    free(ck);
    *p = NULL;
}
