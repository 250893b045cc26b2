/* outchunks.c — the hourly maps written a chunk at a time.
 *
 * Each chunk of a block of hours is shuffled and deflated here, the chunks on
 * every thread at once, with libdeflate (zlib format, which is what HDF5's
 * deflate filter reads), then stored with H5Dwrite_chunk in a fixed order.
 * The file is what nc_put_vara would make -- the same filters (shuffle, then
 * deflate at the level asked), the same chunks -- but its compression, the
 * largest cost of writing, no longer runs on one core. The same file, opened
 * by HDF5 a second time, shares netCDF's open handle (HDF5 keeps one per
 * file), so the two never see different states. */
#include <libdeflate.h>
#include <netcdf.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/output_impl.h"

void lt_output_close_chunks(lt_output *o)
{
    for (int i = 0; i < o->nh5; i++)
        H5Dclose(o->h5var[i]);
    o->nh5 = 0;
    if (o->h5file >= 0)
        H5Fclose(o->h5file);
    o->h5file = -1;
}

/* The HDF5 dataset of netCDF variable varid (opened once). */
static hid_t h5_var(lt_output *o, int varid, lt_error *err)
{
    for (int i = 0; i < o->nh5; i++)
        if (o->h5varid[i] == varid)
            return o->h5var[i];
    char name[NC_MAX_NAME + 1];
    if (nc_inq_varname(o->fr[LT_OUT_HOURLY].ncid, varid, name) != NC_NOERR || o->nh5 >= LT_OUT_MAX_H5) {
        lt_error_set(err, LT_EIO, "%s: writing the output: no variable %d", o->path, varid);
        return -1;
    }
    if (o->h5file < 0 && (o->h5file = H5Fopen(o->tmp, H5F_ACC_RDWR, H5P_DEFAULT)) < 0) {
        lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 cannot open %s", o->path, o->tmp);
        return -1;
    }
    hid_t d = H5Dopen2(o->h5file, name, H5P_DEFAULT);
    if (d < 0) {
        lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 has no dataset %s", o->path, name);
        return -1;
    }
    /* time is unlimited: the dataset extended to the run's hours before
     * chunks are stored past its (empty) extent, as netCDF's own writes
     * would extend it */
    hsize_t ext[4] = {(hsize_t)o->hours, 0, 0, 0};
    hid_t space = H5Dget_space(d);
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if (rank >= 3 && rank <= 4)
        H5Sget_simple_extent_dims(space, ext, NULL);
    if (space >= 0)
        H5Sclose(space);
    ext[0] = (hsize_t)o->hours;
    if (rank < 3 || rank > 4 || H5Dset_extent(d, ext) < 0) {
        H5Dclose(d);
        lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 cannot extend %s to %d hours", o->path, name,
                     o->hours);
        return -1;
    }
    o->h5varid[o->nh5] = varid;
    o->h5var[o->nh5++] = d;
    return d;
}

/* One chunk of a waiting block: its job, level and tile; then its bytes. */
typedef struct chunk_out {
    int job;
    size_t l, iy, ix;
    void *buf;
    size_t n;
} chunk_out;

/* Chunk c of job j shuffled (HDF5's shuffle: byte k of every value, k = 0..3,
 * one plane after the other) into shuf; zero past the grid's or run's end. */
static void shuffle_chunk(const lt_output *o, const struct put_job *j, const chunk_out *c, unsigned char *shuf)
{
    size_t nel = o->ct * o->cy * o->cx, ng = (size_t)o->ny * (size_t)o->nx;
    size_t y0 = c->iy * o->cy, x0 = c->ix * o->cx;
    size_t ny = o->cy < (size_t)o->ny - y0 ? o->cy : (size_t)o->ny - y0;
    size_t nx = o->cx < (size_t)o->nx - x0 ? o->cx : (size_t)o->nx - x0;
    if ((size_t)j->nh < o->ct || ny < o->cy || nx < o->cx)
        memset(shuf, 0, nel * sizeof(float));
    unsigned char *p0 = shuf, *p1 = shuf + nel, *p2 = shuf + 2 * nel, *p3 = shuf + 3 * nel;
    for (size_t t = 0; t < (size_t)j->nh; t++)
        for (size_t y = 0; y < ny; y++) {
            const float *row = j->data + (t * (size_t)j->nlev + c->l) * ng + (y0 + y) * (size_t)o->nx + x0;
            size_t i0 = (t * o->cy + y) * o->cx;
#pragma omp simd
            for (size_t x = 0; x < nx; x++) {
                uint32_t v;
                memcpy(&v, &row[x], sizeof v);
                p0[i0 + x] = (unsigned char)v;
                p1[i0 + x] = (unsigned char)(v >> 8);
                p2[i0 + x] = (unsigned char)(v >> 16);
                p3[i0 + x] = (unsigned char)(v >> 24);
            }
        }
}

/* Every chunk of every waiting block deflated, on every thread, then stored
 * in the order the blocks came. */
int lt_output_flush_chunks(lt_output *o, lt_error *err)
{
    if (!o->njobs)
        return LT_OK;
    size_t ty = o->ty, tx = o->tx;
    long nchunk = o->nchunks;
    chunk_out *co = calloc((size_t)nchunk, sizeof *co);
    int rc = LT_OK, failed = !co, bad = -1, noset = 0;
    long c = 0;
    for (int j = 0; j < o->njobs && co; j++)
        for (size_t l = 0; l < (size_t)o->jobs[j].nlev; l++)
            for (size_t iy = 0; iy < ty; iy++)
                for (size_t ix = 0; ix < tx; ix++) {
                    co[c].job = j;
                    co[c].l = l;
                    co[c].iy = iy;
                    co[c++].ix = ix;
                }
    size_t nb = o->ct * o->cy * o->cx * sizeof(float);
#pragma omp parallel reduction(| : failed) if (!failed)
    {
        struct libdeflate_compressor *z = libdeflate_alloc_compressor(o->deflate);
        unsigned char *shuf = malloc(nb);
        failed |= !z || !shuf;
#pragma omp for schedule(dynamic, 1)
        for (long k = 0; k < nchunk; k++) {
            if (failed)
                continue;
            shuffle_chunk(o, &o->jobs[co[k].job], &co[k], shuf);
            size_t cap = libdeflate_zlib_compress_bound(z, nb);
            co[k].buf = malloc(cap);
            co[k].n = co[k].buf ? libdeflate_zlib_compress(z, shuf, nb, co[k].buf, cap) : 0;
            failed |= co[k].n == 0;
        }
        free(shuf);
        libdeflate_free_compressor(z);
    }
    for (long k = 0; k < nchunk && !failed && bad < 0 && !noset; k++) {
        const struct put_job *j = &o->jobs[co[k].job];
        hid_t d = h5_var(o, j->varid, err);
        int four = j->four;
        hsize_t off4[4] = {(hsize_t)j->h0, co[k].l, co[k].iy * o->cy, co[k].ix * o->cx};
        hsize_t off3[3] = {(hsize_t)j->h0, co[k].iy * o->cy, co[k].ix * o->cx};
        if (d < 0)
            noset = 1; /* h5_var said why */
        else if (H5Dwrite_chunk(d, H5P_DEFAULT, 0, four ? off4 : off3, co[k].n, co[k].buf) < 0)
            bad = co[k].job;
    }
    if (noset)
        rc = LT_EIO;
    else if (failed)
        rc = lt_error_set(err, LT_ENOMEM, "%s: out of memory compressing the output (hours %d-%d)", o->path,
                          o->jobs[0].h0, o->jobs[o->njobs - 1].h0 + o->jobs[o->njobs - 1].nh - 1);
    else if (bad >= 0) {
        char name[NC_MAX_NAME + 1] = "?";
        nc_inq_varname(o->fr[LT_OUT_HOURLY].ncid, o->jobs[bad].varid, name);
        double avail;
        if (lt_output_disk_full(o, &avail))
            rc = lt_output_fail(o, NC_EHDFERR, __FILE__, __LINE__, err);
        else
            rc = lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 cannot store %s, hours %d-%d", o->path, name,
                              o->jobs[bad].h0, o->jobs[bad].h0 + o->jobs[bad].nh - 1);
    }
    for (long k = 0; co && k < nchunk; k++)
        free(co[k].buf);
    free(co);
    for (int j = 0; j < o->njobs; j++)
        free(o->jobs[j].data);
    o->njobs = 0;
    o->nchunks = 0;
    return rc;
}

/* Hours [h0, h0 + nh) of the hourly field varid: nlev levels (the source or
 * county dimension; 1 for a 3-D field) of ny x nx cells, the value of hour t,
 * level l, cell (y, x) at data[t * tstride + l * ny * nx + y * nx + x].
 * Whole chunks in time, to be deflated, are copied to wait until enough
 * chunks have gathered to keep every thread busy (lt_output_flush_chunks); anything
 * else goes through netCDF now. */
int lt_output_put_hours(lt_output *o, int varid, int h0, int nh, int nlev, size_t tstride, const float *data,
                        lt_error *err)
{
    int rc = LT_OK;
    size_t ng = (size_t)o->ny * (size_t)o->nx;
    int four = 0;
    NC(nc_inq_varndims(o->fr[LT_OUT_HOURLY].ncid, varid, &four));
    four = four == 4;
    int whole = (size_t)h0 % o->ct == 0 && ((size_t)nh == o->ct || h0 + nh == o->hours);
    if (o->deflate > 0 && whole) {
        if (o->njobs == LT_OUT_MAX_JOBS && (rc = lt_output_flush_chunks(o, err)))
            return rc;
        size_t lev = (size_t)nlev * ng;
        float *copy = malloc((size_t)nh * lev * sizeof *copy);
        if (!copy)
            return lt_error_set(err, LT_ENOMEM, "out of memory writing the output");
        for (int t = 0; t < nh; t++)
            memcpy(copy + (size_t)t * lev, data + (size_t)t * tstride, lev * sizeof *copy);
        lt_output_quantize(o, LT_OUT_HOURLY, varid, copy, (size_t)nh * lev);
        struct put_job j = {varid, h0, nh, nlev, four, copy};
        o->jobs[o->njobs++] = j;
        o->nchunks += (long)((size_t)nlev * o->ty * o->tx);
#ifdef _OPENMP
        long enough = 4L * omp_get_max_threads();
#else
        long enough = 1;
#endif
        return o->nchunks >= enough ? lt_output_flush_chunks(o, err) : LT_OK;
    }
    /* netCDF's own path: uncompressed or not a whole chunk in time; a
     * contiguous block in one call (quantized on a copy there) */
    int calls = tstride == (size_t)nlev * ng ? 1 : nh, per = tstride == (size_t)nlev * ng ? nh : 1;
    for (int t = 0; t < calls; t++) {
        size_t s4[4] = {(size_t)(h0 + t), 0, 0, 0}, c4[4] = {(size_t)per, (size_t)nlev, (size_t)o->ny, (size_t)o->nx};
        size_t s3[3] = {(size_t)(h0 + t), 0, 0}, c3[3] = {(size_t)per, (size_t)o->ny, (size_t)o->nx};
        const float *src = data + (size_t)t * tstride;
        if ((rc = lt_output_put_floats(o, varid, four ? s4 : s3, four ? c4 : c3, src, err)))
            return rc;
    }
    return LT_OK;
fail:
    return rc;
}

/* Every variable along time of file w extended at once to the file's whole
 * time axis (its datasets are created empty: time is unlimited), so that no
 * write extends a dataset hour by hour (HDF5 re-extends and re-indexes then,
 * a measurable cost over a year of hours). */
int lt_output_extend_all(lt_output *o, int w, size_t n, lt_error *err)
{
    struct out_frame *f = &o->fr[w];
    hid_t file = w == LT_OUT_HOURLY ? o->h5file : -1;
    if (file < 0)
        file = H5Fopen(w == LT_OUT_HOURLY ? o->tmp : f->tmp, H5F_ACC_RDWR, H5P_DEFAULT);
    if (file < 0)
        return lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 cannot open it", o->path);
    if (w == LT_OUT_HOURLY)
        o->h5file = file;
    int nv = 0, rc = LT_OK;
    nc_inq_nvars(f->ncid, &nv);
    for (int v = 0; v < nv && !rc; v++) {
        int nd, dims[NC_MAX_VAR_DIMS];
        char name[NC_MAX_NAME + 1];
        if (nc_inq_var(f->ncid, v, name, NULL, &nd, dims, NULL) || nd < 1 || dims[0] != f->d_time)
            continue;
        hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
        hid_t space = d >= 0 ? H5Dget_space(d) : -1;
        hsize_t ext[NC_MAX_VAR_DIMS];
        int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
        if (rank == nd)
            H5Sget_simple_extent_dims(space, ext, NULL);
        ext[0] = (hsize_t)n;
        if (rank != nd || H5Dset_extent(d, ext) < 0)
            rc = lt_error_set(err, LT_EIO, "%s: writing the output: HDF5 cannot extend %s to %zu steps", o->path,
                              name, n);
        if (space >= 0)
            H5Sclose(space);
        if (d >= 0)
            H5Dclose(d);
    }
    if (w != LT_OUT_HOURLY)
        H5Fclose(file);
    return rc;
}
