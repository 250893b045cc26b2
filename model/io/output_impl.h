/* output_impl.h — the body of lt_output, shared by the frame (output.c) and
 * the chunk writer (outchunks.c) only. */
#ifndef LT_OUTPUT_IMPL_H
#define LT_OUTPUT_IMPL_H

#include <hdf5.h>

#include "io/output.h"

#define LT_OUT_STRLEN 64
#define LT_OUT_MAX_JOBS 64   /* hourly blocks waiting to be deflated, at most */
#define LT_OUT_MAX_H5 8      /* hourly maps written as chunks, at most */
#define LT_OUT_MAX_LABELS 16
#define LT_OUT_MAX_SIDE 8

struct lt_output {
    int ncid;
    char *path, *tmp;
    lt_output_spec spec;        /* as given (its pointers outlive the file) */
    int ny, nx, hours;
    size_t nst;
    int defining;               /* in define mode */
    size_t cache_size, cache_nelems; /* netCDF's default chunk cache before create */
    float cache_preemption;
    int cache_set;              /* the default is ours until begin_data */
    /* the frame's dimensions and the variables it writes at begin_data */
    int d_time, d_nv, d_y, d_x, d_src, d_str, d_st, d_cty, d_day, d_period;
    int v_time, v_tb, v_x, v_y, v_lat, v_lon, v_sname, v_stname, v_stid, v_stcounty;
    int v_stlon, v_stlat, v_stx, v_sty, v_day, v_daybnds, v_period, v_periodbnds, v_ctyname;
    int v_rname, v_cell;
    size_t ndays;               /* local days of the run (the day dimension) */
    double day0_s, start_s;
    /* label dimensions defined by products, written at begin_data */
    struct out_label {
        char dim[LT_OUT_STRLEN];
        int dimid, varid;
        size_t n;
        char *text;             /* [n][LT_OUT_STRLEN] */
    } labels[LT_OUT_MAX_LABELS];
    int nlabels;
    /* side files: final and temporary names */
    struct out_side {
        char *final, *tmp;
    } side[LT_OUT_MAX_SIDE];
    int nside;
    /* Hourly maps compressed here, chunk by chunk on every thread, and
     * written as chunks through HDF5 (outchunks.c). */
    int deflate, quantize;
    size_t ct, cy, cx, cs;      /* chunk: hours, cells along y and x, stations */
    size_t ty, tx;              /* chunks (tiles) of a map along y and x */
    hid_t h5file;               /* the file through HDF5 (-1: not opened yet) */
    hid_t h5var[LT_OUT_MAX_H5]; /* its datasets, by slot */
    int h5varid[LT_OUT_MAX_H5], nh5; /* the netCDF variable of each slot */
    struct put_job {            /* blocks waiting to be deflated: copies */
        int varid, h0, nh, nlev, four;
        float *data;            /* [nh][nlev][ny][nx] */
    } jobs[LT_OUT_MAX_JOBS];
    int njobs;
    long nchunks;               /* chunks in them */
};

/* 1 when the output's file system is full (errno ENOSPC, or under 4 MB
 * free); *avail the bytes free (-1: unknown). */
int lt_output_disk_full(const lt_output *o, double *avail);

/* outchunks.c: every waiting block deflated and stored; the HDF5 handles
 * closed; the waiting copies freed. */
int lt_output_flush_chunks(lt_output *o, lt_error *err);
void lt_output_close_chunks(lt_output *o);

#endif
