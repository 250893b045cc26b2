/* output.c — the files of a run (see output.h and docs/output.md): created
 * with their frame (outframe.c), the variables, labels and side files
 * products ask for, quantization, checkpoints' copies, commit and abort. */
#define _GNU_SOURCE /* memfd_create */
#include "io/output.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <netcdf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "core/lt_quantize.h"
#include "core/lt_time.h"
#include "io/output_impl.h"

static size_t min_sz(size_t a, size_t b) { return a < b ? a : b; }

/* Free bytes on the file system holding path's folder (-1: unknown). */
static double free_bytes(const char *path)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    struct statvfs v;
    return statvfs(dir, &v) == 0 ? (double)v.f_bavail * (double)v.f_frsize : -1.0;
}

int lt_output_disk_full(const lt_output *o, double *avail)
{
    *avail = free_bytes(o->path);
    return errno == ENOSPC || (*avail >= 0 && *avail < 4.0 * 1048576);
}

int lt_output_fail(const lt_output *o, int status, const char *file, int line, lt_error *err)
{
    double avail;
    if (lt_output_disk_full(o, &avail))
        return lt_error_set(err, LT_EIO,
                            "%s: writing the output: the disk is full (%.1f MB free on its file system; %s at %s:%d): "
                            "expected room for the output (lantian check estimates its size)",
                            o->path, avail / 1048576, nc_strerror(status), file, line);
    return lt_error_set(err, LT_EIO, "%s: writing the output: %s (at %s:%d)", o->path, nc_strerror(status), file,
                        line);
}


static int put_text(int ncid, int varid, const char *name, const char *value)
{
    return nc_put_att_text(ncid, varid, name, strlen(value), value);
}

/* The name, value pairs of ap (ending with NULL) as text attributes. */
static int put_atts(lt_output *o, int ncid, int varid, lt_error *err, va_list ap)
{
    const char *name;
    int st = NC_NOERR;
    while (!st && (name = va_arg(ap, const char *)) != NULL)
        st = put_text(ncid, varid, name, va_arg(ap, const char *));
    return st ? lt_output_fail(o, st, __FILE__, __LINE__, err) : LT_OK;
}

int lt_output_atts_in(lt_output *o, int which, int varid, lt_error *err, ...)
{
    va_list ap;
    va_start(ap, err);
    int rc = put_atts(o, o->fr[which].ncid, varid, err, ap);
    va_end(ap);
    return rc;
}

int lt_output_atts(lt_output *o, int varid, lt_error *err, ...)
{
    va_list ap;
    va_start(ap, err);
    int rc = put_atts(o, o->fr[LT_OUT_HOURLY].ncid, varid, err, ap);
    va_end(ap);
    return rc;
}

int lt_output_def_float_in(lt_output *o, int which, const char *name, int nd, const int *dims,
                           const size_t *chunks, int *varid, lt_error *err)
{
    struct out_frame *f = &o->fr[which];
    int st = nc_def_var(f->ncid, name, NC_FLOAT, nd, dims, varid);
    if (!st)
        st = nc_def_var_chunking(f->ncid, *varid, NC_CHUNKED, chunks);
    if (!st && o->deflate > 0)
        st = nc_def_var_deflate(f->ncid, *varid, 1, 1, o->deflate);
    if (!st && o->quantize > 0) {
        /* quantized by lantian before writing (lt_output_quantize), and
         * said as CF-1.11 section 8.4 does */
        if (*varid >= LT_OUT_MAX_VARS)
            return lt_error_set(err, LT_EINTERNAL, "%s: more than %d variables", o->path, LT_OUT_MAX_VARS);
        f->quantized[*varid] = 1;
        st = put_text(f->ncid, *varid, "quantization", "quantization_info");
        if (!st)
            st = nc_put_att_int(f->ncid, *varid, "quantization_nsb", NC_INT, 1, &o->nsb);
    }
    return st ? lt_output_fail(o, st, __FILE__, __LINE__, err) : LT_OK;
}

int lt_output_def_float(lt_output *o, const char *name, int nd, const int *dims, const size_t *chunks,
                        int *varid, lt_error *err)
{
    return lt_output_def_float_in(o, LT_OUT_HOURLY, name, nd, dims, chunks, varid, err);
}

int lt_output_def_station_float(lt_output *o, const char *name, int nd, const int *dims,
                                const size_t *chunks, const char *long_name, int *varid, lt_error *err)
{
    int rc = lt_output_def_float(o, name, nd, dims, chunks, varid, err);
    if (rc)
        return rc;
    return lt_output_atts(o, *varid, err, "long_name", long_name, "units", "ug m-3", "cell_methods", "time: mean",
                          NULL);
}

int lt_output_ncid(const lt_output *o)
{
    return o->fr[LT_OUT_HOURLY].ncid;
}

static const char *const aux_suffix[LT_OUT_NFILES] = {"", "_daily.nc", "_period.nc"};

const char *lt_output_file_suffix(int which)
{
    return which > 0 && which < LT_OUT_NFILES ? aux_suffix[which] : "";
}

int lt_output_file(lt_output *o, int which, int *ncid, lt_error *err)
{
    struct out_frame *f = &o->fr[which];
    if (f->ncid >= 0) {
        *ncid = f->ncid;
        return LT_OK;
    }
    if (!o->defining)
        return lt_error_set(err, LT_EINTERNAL, "%s: the file %s asked for after the definitions", o->path,
                            aux_suffix[which]);
    const char *final, *tmp;
    int rc = lt_output_side_file(o, aux_suffix[which], &final, &tmp, err);
    if (rc)
        return rc;
    o->nside--; /* renamed with the netCDF files, not as a side file */
    f->final = o->side[o->nside].final;
    f->tmp = o->side[o->nside].tmp;
    o->side[o->nside].final = o->side[o->nside].tmp = NULL;
    int st = nc_create(f->tmp, NC_NETCDF4 | NC_CLOBBER, &f->ncid);
    if (st) {
        f->ncid = -1;
        return lt_error_set(err, LT_EIO, "%s: cannot create the output (as %s): %s", f->final, f->tmp,
                            nc_strerror(st));
    }
    if ((rc = lt_output_def_frame(o, which, err)))
        return rc;
    *ncid = f->ncid;
    return LT_OK;
}

int lt_output_dim_of(const lt_output *o, int which, const char *name)
{
    const struct out_frame *f = &o->fr[which];
    if (f->ncid < 0)
        return -1;
    static const char *const names[] = {"time", "nv", "y", "x", "source", "source_county", "station", "strlen",
                                        "region"};
    const int ids[] = {f->d_time, f->d_nv, f->d_y, f->d_x, f->d_src, f->d_cty, f->d_st, f->d_str, f->d_reg};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i]))
            return ids[i];
    for (int i = 0; i < f->nlab; i++)
        if (!strcmp(name, o->labels[i].dim))
            return f->lab_dim[i];
    return -1;
}

int lt_output_dim(const lt_output *o, const char *name)
{
    return lt_output_dim_of(o, LT_OUT_HOURLY, name);
}

void lt_output_chunking(const lt_output *o, size_t *ct, size_t *cy, size_t *cx, size_t *cs)
{
    *ct = o->ct;
    *cy = o->cy;
    *cx = o->cx;
    *cs = o->cs;
}

size_t lt_output_ndays(const lt_output *o) { return o->ndays; }
double lt_output_day0(const lt_output *o) { return o->day0_s; }

int lt_output_day_of_hour(const lt_output *o, int h)
{
    return (int)lt_local_day_index(o->start_s + 3600.0 * h, o->day0_s);
}

int lt_output_def_labels(lt_output *o, const char *dim, const char *var, const char *long_name, size_t n,
                         const char *const *names, int *dimid, lt_error *err)
{
    for (int i = 0; i < o->nlabels; i++)
        if (!strcmp(o->labels[i].dim, dim)) {
            *dimid = o->fr[LT_OUT_HOURLY].lab_dim[i];
            return LT_OK;
        }
    if (o->nlabels == LT_OUT_MAX_LABELS)
        return lt_error_set(err, LT_EINTERNAL, "%s: more than %d label dimensions", o->path, LT_OUT_MAX_LABELS);
    struct out_label *l = &o->labels[o->nlabels];
    l->text = calloc(n ? n : 1, LT_OUT_STRLEN);
    if (!l->text)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    int i = o->nlabels++, rc = LT_OK;
    snprintf(l->dim, sizeof l->dim, "%s", dim);
    snprintf(l->var, sizeof l->var, "%s", var);
    snprintf(l->long_name, sizeof l->long_name, "%s", long_name);
    l->n = n;
    for (size_t k = 0; k < n; k++)
        strncpy(l->text + k * LT_OUT_STRLEN, names[k], LT_OUT_STRLEN - 1);
    for (int w = 0; w < LT_OUT_NFILES && !rc; w++)
        if (o->fr[w].ncid >= 0)
            rc = lt_output_def_label_in(o, &o->fr[w], i, err);
    *dimid = o->fr[LT_OUT_HOURLY].lab_dim[i];
    return rc;
}

void lt_output_quantize(const lt_output *o, int which, int varid, float *data, size_t n)
{
    if (varid >= 0 && varid < LT_OUT_MAX_VARS && o->fr[which].quantized[varid])
        lt_bitround(data, n, o->nsb, NC_FILL_FLOAT);
}

int lt_output_put_floats_in(lt_output *o, int which, int varid, const size_t *start, const size_t *count,
                            const float *data, lt_error *err)
{
    const struct out_frame *f = &o->fr[which];
    int nd = 0, dims[NC_MAX_VAR_DIMS];
    size_t n = 1, all[NC_MAX_VAR_DIMS], zero[NC_MAX_VAR_DIMS] = {0};
    LT_NC(o, err, nc_inq_varndims(f->ncid, varid, &nd));
    LT_NC(o, err, nc_inq_vardimid(f->ncid, varid, dims));
    for (int i = 0; i < nd; i++) {
        if (!count)
            LT_NC(o, err, nc_inq_dimlen(f->ncid, dims[i], &all[i]));
        if (!count && dims[i] == f->d_time) /* unlimited: the file's whole axis */
            all[i] = which == LT_OUT_HOURLY ? (size_t)o->hours : which == LT_OUT_DAILY ? o->ndays : 1;
        n *= count ? count[i] : all[i];
    }
    if (!count) {
        count = all;
        start = zero;
    }
    if (varid < 0 || varid >= LT_OUT_MAX_VARS || !f->quantized[varid] || !n) {
        LT_NC(o, err, nc_put_vara_float(f->ncid, varid, start, count, data));
        return LT_OK;
    }
    float *copy = malloc(n * sizeof *copy);
    if (!copy)
        return lt_error_set(err, LT_ENOMEM, "out of memory writing the output");
    memcpy(copy, data, n * sizeof *copy);
    lt_output_quantize(o, which, varid, copy, n);
    int st = nc_put_vara_float(f->ncid, varid, start, count, copy);
    free(copy);
    return st ? lt_output_fail(o, st, __FILE__, __LINE__, err) : LT_OK;
}

int lt_output_put_floats(lt_output *o, int varid, const size_t *start, const size_t *count, const float *data,
                         lt_error *err)
{
    return lt_output_put_floats_in(o, LT_OUT_HOURLY, varid, start, count, data, err);
}

int lt_output_create(lt_output **out, const lt_output_spec *s, lt_error *err)
{
    *out = NULL;
    int rc = LT_OK;
    lt_output *o = calloc(1, sizeof *o);
    if (!o)
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    for (int w = 0; w < LT_OUT_NFILES; w++)
        o->fr[w].ncid = -1;
    o->h5file = -1;
    o->spec = *s;
    o->path = strdup(s->path);
    size_t tl = strlen(s->path) + 32;
    o->tmp = malloc(tl);
    if (!o->path || !o->tmp) {
        lt_output_abort(&o);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    snprintf(o->tmp, tl, "%s.part%ld", s->path, (long)getpid());
    o->nx = lt_domain_nx(s->domain);
    o->ny = lt_domain_ny(s->domain);
    o->hours = s->hours;
    o->nst = s->nstations;
    o->start_s = s->start_s;
    o->deflate = s->deflate;
    o->quantize = s->significant_digits;
    o->nsb = lt_quantize_bits_for_digits(o->quantize);
    o->ct = min_sz(24, (size_t)s->hours);
    o->cy = min_sz(64, (size_t)o->ny);
    o->cx = min_sz(64, (size_t)o->nx);
    o->cs = s->nstations ? s->nstations : 1;
    o->ty = ((size_t)o->ny + o->cy - 1) / o->cy;
    o->tx = ((size_t)o->nx + o->cx - 1) / o->cx;
    /* local calendar days (the assessment's, or [sources] utc_offset_hours) */
    o->day0_s = lt_local_day_start(s->start_s, s->day_utc_offset_h);
    o->ndays = (size_t)lt_local_day_index(s->start_s + 3600.0 * (s->hours - 1), o->day0_s) + 1;

    /* No chunk cache for the file's variables: every write is of whole
     * chunks, and dirty chunks held in a cache would be flushed at close,
     * where a full disk leaves HDF5 unable to close the file (it then crashes
     * at exit). netCDF's default cache (process-wide) is set to none while
     * the variables are defined, and put back by lt_output_begin_data. */
    nc_get_chunk_cache(&o->cache_size, &o->cache_nelems, &o->cache_preemption);
    nc_set_chunk_cache(0, 0, 1.0f);
    o->cache_set = 1;
    lt_temp_add(s->temp_files, o->tmp);
    struct out_frame *f = &o->fr[LT_OUT_HOURLY];
    int st = nc_create(o->tmp, NC_NETCDF4 | NC_CLOBBER, &f->ncid);
    if (st) {
        f->ncid = -1;
        rc = lt_error_set(err, LT_EIO, "%s: cannot create the output (as %s): %s", s->path, o->tmp,
                          nc_strerror(st));
        goto fail;
    }
    o->defining = 1;
    if ((rc = lt_output_def_frame(o, LT_OUT_HOURLY, err)))
        goto fail;
    if (s->nstations) {
        const char *fin, *tmp;
        if ((rc = lt_output_side_file(o, "_stations.csv", &fin, &tmp, err)) ||
            (rc = lt_output_side_file(o, "_stations.nc", &fin, &tmp, err)))
            goto fail;
        o->side_stations = o->nside - 2;
    } else
        o->side_stations = -1;
    *out = o;
    return LT_OK;
fail:
    lt_output_abort(&o);
    return rc;
}

/* netCDF's default chunk cache as it was before the file was created. */
static void restore_cache(lt_output *o)
{
    if (o->cache_set)
        nc_set_chunk_cache(o->cache_size, o->cache_nelems, o->cache_preemption);
    o->cache_set = 0;
}

int lt_output_begin_data(lt_output *o, lt_error *err)
{
    int rc = LT_OK, st = NC_NOERR;
    for (int w = 0; w < LT_OUT_NFILES && !rc && !st; w++)
        if (o->fr[w].ncid >= 0 && !(rc = lt_output_set_coordinates(o, &o->fr[w], err)))
            st = nc_enddef(o->fr[w].ncid);
    restore_cache(o);
    if (rc)
        return rc;
    if (st)
        return lt_output_fail(o, st, __FILE__, __LINE__, err);
    o->defining = 0;
    int rc2 = lt_output_put_frames(o, err);
    for (int w = 0; w < LT_OUT_NFILES && !rc2; w++)
        if (o->fr[w].ncid >= 0 && !(rc2 = nc_sync(o->fr[w].ncid) ? lt_output_fail(o, NC_EHDFERR, __FILE__, __LINE__, err) : LT_OK))
            rc2 = lt_output_extend_all(o, w, w == LT_OUT_HOURLY ? (size_t)o->hours : w == LT_OUT_DAILY ? o->ndays : 1,
                                       err);
    return rc2;
}

int lt_output_side_file(lt_output *o, const char *suffix, const char **final, const char **tmp, lt_error *err)
{
    if (o->nside == LT_OUT_MAX_SIDE)
        return lt_error_set(err, LT_EINTERNAL, "%s: more than %d side files", o->path, LT_OUT_MAX_SIDE);
    size_t n = strlen(o->path);
    if (n > 3 && !strcmp(o->path + n - 3, ".nc"))
        n -= 3;
    size_t len = n + strlen(suffix) + 1;
    struct out_side *s = &o->side[o->nside];
    s->final = malloc(len);
    s->tmp = malloc(len + 32);
    if (!s->final || !s->tmp) {
        free(s->final);
        free(s->tmp);
        return lt_error_set(err, LT_ENOMEM, "out of memory");
    }
    snprintf(s->final, len, "%.*s%s", (int)n, o->path, suffix);
    snprintf(s->tmp, len + 32, "%s.part%ld", s->final, (long)getpid());
    lt_temp_add(o->spec.temp_files, s->tmp);
    o->nside++;
    *final = s->final;
    *tmp = s->tmp;
    return LT_OK;
}

const char *lt_output_partial_path(const lt_output *o)
{
    return o->tmp;
}

int lt_output_note(lt_output *o, const char *name, const char *value, lt_error *err)
{
    int rc = LT_OK, nc = o->fr[LT_OUT_HOURLY].ncid;
    if (!o->defining)
        NC(nc_redef(nc));
    NC(put_text(nc, NC_GLOBAL, name, value));
    if (!o->defining)
        NC(nc_enddef(nc));
    return LT_OK;
fail:
    return rc;
}

/* Frees o and its names (the files themselves are the caller's affair). */
static void output_free(lt_output *o)
{
    if (o->tmp)
        lt_temp_drop(o->spec.temp_files, o->tmp);
    for (int i = 0; i < o->nside; i++)
        lt_temp_drop(o->spec.temp_files, o->side[i].tmp);
    for (int w = 1; w < LT_OUT_NFILES; w++) {
        if (o->fr[w].tmp)
            lt_temp_drop(o->spec.temp_files, o->fr[w].tmp);
        free(o->fr[w].tmp);
        free(o->fr[w].final);
    }
    for (int j = 0; j < o->njobs; j++)
        free(o->jobs[j].data);
    for (int i = 0; i < o->nlabels; i++)
        free(o->labels[i].text);
    for (int i = 0; i < o->nside; i++) {
        free(o->side[i].final);
        free(o->side[i].tmp);
    }
    free(o->tmp);
    free(o->path);
    free(o);
}

/* A file being abandoned: every descriptor the process holds on it (netCDF's
 * and HDF5's) is pointed at an anonymous file in memory, so that whatever
 * HDF5 still flushes while closing succeeds -- on a full disk it cannot, and
 * HDF5 then leaves the file half open and crashes at exit. The file on disk
 * is deleted afterwards. */
static void divert_to_memory(const char *path)
{
    char real[4200];
    if (!realpath(path, real))
        return;
    int mfd = memfd_create("lantian-abandoned-output", 0);
    DIR *d = mfd >= 0 ? opendir("/proc/self/fd") : NULL;
    for (struct dirent *e; d && (e = readdir(d));) {
        int fd = atoi(e->d_name);
        char link[64], target[4200];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0 || fd == mfd || fd == dirfd(d))
            continue;
        target[n] = '\0';
        if (!strcmp(target, real))
            dup2(mfd, fd);
    }
    if (d)
        closedir(d);
    if (mfd >= 0)
        close(mfd);
}

/* After a failed close (a full disk), HDF5 keeps the file half open and
 * would crash closing it again at exit: the partial file is emptied (its
 * space freed, so that what HDF5 still flushes fits), and any HDF5 handle
 * left on it closed. */
static void release_partial(const char *path)
{
    if (truncate(path, 0) != 0)
        return;
    ssize_t n = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
    hid_t *ids = n > 0 ? malloc((size_t)n * sizeof *ids) : NULL;
    if (!ids)
        return;
    n = H5Fget_obj_ids(H5F_OBJ_ALL, H5F_OBJ_ALL, (size_t)n, ids);
    for (int files = 0; files < 2; files++) /* objects in the file first, then the file */
        for (ssize_t i = 0; i < n; i++) {
            char name[4200];
            H5I_type_t t = H5Iget_type(ids[i]);
            if ((t == H5I_FILE) != files || H5Fget_name(ids[i], name, sizeof name) <= 0 || strcmp(name, path))
                continue;
            if (t == H5I_FILE)
                H5Fclose(ids[i]);
            else if (t == H5I_ATTR)
                H5Aclose(ids[i]);
            else
                H5Oclose(ids[i]);
        }
    free(ids);
}


/* The temporary name of file w. */
static const char *frame_tmp(const lt_output *o, int w)
{
    return w == LT_OUT_HOURLY ? o->tmp : o->fr[w].tmp;
}

/* Every open file closed; the first failure's error. */
static int close_files(lt_output *o, lt_error *err)
{
    int rc = LT_OK;
    for (int w = 0; w < LT_OUT_NFILES; w++) {
        if (o->fr[w].ncid < 0)
            continue;
        int st = nc_close(o->fr[w].ncid);
        o->fr[w].ncid = -1;
        if (st && !rc) {
            rc = lt_error_set(err, LT_EIO, "%s: closing the output: %s", w ? o->fr[w].final : o->path,
                              nc_strerror(st));
            divert_to_memory(frame_tmp(o, w));
            release_partial(frame_tmp(o, w));
        }
    }
    return rc;
}

int lt_output_commit(lt_output **op, lt_error *err)
{
    lt_output *o = *op;
    int rc = lt_output_flush_chunks(o, err);
    if (rc) {
        lt_output_abort(op);
        return rc;
    }
    lt_output_close_chunks(o);
    if ((rc = close_files(o, err)) ||
        (o->side_stations >= 0 && (rc = lt_output_station_files(o, o->tmp, o->side[o->side_stations].tmp,
                                                                o->side[o->side_stations + 1].tmp, err)))) {
        lt_output_abort(op);
        return rc;
    }
    /* the side files and the daily and period files first, then the hourly
     * file itself: a failure leaves none */
    const char *from[LT_OUT_MAX_SIDE + LT_OUT_NFILES], *to[LT_OUT_MAX_SIDE + LT_OUT_NFILES];
    int n = 0;
    for (int i = 0; i < o->nside; i++) {
        from[n] = o->side[i].tmp;
        to[n++] = o->side[i].final;
    }
    for (int w = 1; w < LT_OUT_NFILES; w++)
        if (o->fr[w].tmp) {
            from[n] = o->fr[w].tmp;
            to[n++] = o->fr[w].final;
        }
    from[n] = o->tmp;
    to[n++] = o->path;
    for (int i = 0; i < n; i++)
        if (rename(from[i], to[i]) != 0) {
            rc = lt_error_set(err, LT_EIO, "%s: cannot rename %s to it", to[i], from[i]);
            for (int k = 0; k < i; k++)
                remove(to[k]);
            lt_output_abort(op);
            return rc;
        }
    output_free(o);
    *op = NULL;
    return LT_OK;
}

void lt_output_abort(lt_output **op)
{
    if (!op || !*op)
        return;
    lt_output *o = *op;
    restore_cache(o);
    for (int w = 0; w < LT_OUT_NFILES; w++)
        if (frame_tmp(o, w) && o->fr[w].ncid >= 0)
            divert_to_memory(frame_tmp(o, w));
    lt_output_close_chunks(o);
    for (int w = 0; w < LT_OUT_NFILES; w++) {
        if (o->fr[w].ncid >= 0 && nc_close(o->fr[w].ncid) != NC_NOERR)
            release_partial(frame_tmp(o, w));
        o->fr[w].ncid = -1;
        if (frame_tmp(o, w))
            unlink(frame_tmp(o, w));
    }
    for (int i = 0; i < o->nside; i++)
        unlink(o->side[i].tmp);
    output_free(o);
    *op = NULL;
}
